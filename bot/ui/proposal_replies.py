"""What a member reads privately around proposals: the forms, the answer to `/propose`, lists, withdrawal.

The card, thread posts and outcomes are `proposal_render.py`; this module words the forms a member
fills in and the answers to the member who acted.
"""

from __future__ import annotations

import discord

from bot.domain.records import Proposal
from bot.domain.states import Position
from bot.ui.format import clip, ts
from bot.ui.proposal_render import OPEN_COLOUR

# --- the reason form (Disagree / Block) ---------------------------------------------------------------

REASON_PLACEHOLDER = "The group sees this in the proposal's thread."


def reason_form_title(proposal_id: int, position: Position) -> str:
    """The title of the form that asks why a member blocks or disagrees."""
    if position is Position.BLOCK:
        return f"Block proposal #{proposal_id}"
    return f"Disagree with proposal #{proposal_id}"


def reason_label(position: Position) -> str:
    """The question above the reason box: required for a block, optional for a disagree."""
    return "Why do you block it?" if position is Position.BLOCK else "Why do you disagree? (optional)"


# --- the `/propose` form -----------------------------------------------------------------------------

TITLE_LABEL, TITLE_PLACEHOLDER = "Title", "Buy a megaphone for the march"
BODY_LABEL = "Proposal"
WHEN_LABEL, WHEN_PLACEHOLDER = "When (server time)", "sat 10am"
WHERE_LABEL = "Where"
PLACES_LABEL = "Places (1-50)"
FORM_EXPIRED = "That form expired when Rota restarted. Please run `/propose` again."


def propose_form_title(*, action: bool) -> str:
    """The title of the `/propose` form; an action asks for its shift too."""
    return "New proposal with an action" if action else "New proposal"


def opened(proposal: Proposal, jump_url: str | None) -> str:
    """The answer to a submitted `/propose` form (`jump_url` None: the card could not be posted)."""
    if jump_url is None:
        return f"Proposal #{proposal.id} is open, but I couldn't post its card here (check my permissions)."
    return (
        f"Proposal #{proposal.id} is open until {ts(proposal.closes_at, 'F')}. "
        f"Discussion goes in its thread. {jump_url}"
    )


# --- reading and withdrawing --------------------------------------------------------------------------

LIST_TITLES = {"open": "Open proposals", "closed": "Closed proposals", "all": "Proposals"}
LIST_EMPTY = {
    "open": "No open proposals. `/propose` starts one.",
    "closed": "No closed proposals yet.",
    "all": "No proposals yet. `/propose` starts one.",
}


def list_embed(status: str, lines: list[str], shown: int, total: int) -> discord.Embed:
    """`/proposal list`: `shown` of `total` proposals, one line each."""
    embed = discord.Embed(
        title=LIST_TITLES[status], description=clip("\n".join(lines), 4000) or LIST_EMPTY[status], colour=OPEN_COLOUR
    )
    if total > shown:
        embed.set_footer(text=f"Showing {shown} of {total} · /proposal show <number> for details")
    else:
        embed.set_footer(text="/proposal show <number> for details")
    return embed


def withdrawn(proposal: Proposal) -> str:
    """The answer to `/proposal withdraw`."""
    return f"Proposal #{proposal.id} is withdrawn. Its card and thread show it."
