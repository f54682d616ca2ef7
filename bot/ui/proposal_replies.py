"""What a member reads privately around proposals: the forms, the answer to `/propose`, lists, withdrawal.

The card, thread posts and outcomes are `proposal_render.py`; this module words the forms a member
fills in and the answers to the member who acted.
"""

from __future__ import annotations

import discord

from bot.domain.records import Proposal
from bot.domain.states import Position
from bot.ui.format import clip, ts
from bot.ui.i18n import N_, _, n_, slash
from bot.ui.proposal_render import OPEN_COLOUR

# --- the reason form (Disagree / Block) ---------------------------------------------------------------


def reason_form_title(proposal_id: int, position: Position) -> str:
    """The title of the form that asks why a member blocks or disagrees."""
    if position is Position.BLOCK:
        return _("Block proposal #{proposal}", proposal=proposal_id)
    return _("Disagree with proposal #{proposal}", proposal=proposal_id)


def reason_label(position: Position) -> str:
    """The question above the reason box: required for a block, optional for a disagree."""
    return _("Why do you block it?") if position is Position.BLOCK else _("Why do you disagree? (optional)")


def reason_placeholder() -> str:
    return _("The group sees this in the proposal's thread.")


# --- the `/propose` form -----------------------------------------------------------------------------


def title_label() -> str:
    return _("Title")


def title_placeholder() -> str:
    return _("Buy a megaphone for the march")


def body_label() -> str:
    return _("Proposal")


def when_label() -> str:
    return _("When (server time)")


def when_placeholder() -> str:
    return _("sat 10am")


def where_label() -> str:
    return _("Where")


def places_label() -> str:
    return _("Places (1-50)")


def form_expired() -> str:
    return _("That form expired when Rota restarted. Please run {command} again.", command=slash("propose"))


def propose_form_title(*, action: bool) -> str:
    """The title of the `/propose` form; an action asks for its shift too."""
    return _("New proposal with an action") if action else _("New proposal")


def opened(proposal: Proposal, jump_url: str | None) -> str:
    """The answer to a submitted `/propose` form (`jump_url` None: the card could not be posted)."""
    if jump_url is None:
        return _(
            "Proposal #{proposal} is open, but I couldn't post its card here (check my permissions).",
            proposal=proposal.id,
        )
    return _(
        "Proposal #{proposal} is open until {when}. Discussion goes in its thread. {link}",
        proposal=proposal.id,
        when=ts(proposal.closes_at, "F"),
        link=jump_url,
    )


# --- reading and withdrawing --------------------------------------------------------------------------

LIST_TITLES = {"open": N_("Open proposals"), "closed": N_("Closed proposals"), "all": N_("Proposals")}
LIST_EMPTY = {
    "open": N_("No open proposals. {command} starts one."),
    "closed": N_("No closed proposals yet."),
    "all": N_("No proposals yet. {command} starts one."),
}


def list_embed(status: str, lines: list[str], shown: int, total: int) -> discord.Embed:
    """`/proposal list`: `shown` of `total` proposals, one line each."""
    empty = _(LIST_EMPTY[status], command=slash("propose"))
    embed = discord.Embed(
        title=_(LIST_TITLES[status]), description=clip("\n".join(lines), 4000) or empty, colour=OPEN_COLOUR
    )
    command = slash("proposal show", code=False)  # a footer shows no markdown
    if total > shown:
        footer = n_(
            "Showing {shown} of {count} · {command} <number> for details",
            "Showing {shown} of {count} · {command} <number> for details",
            total,
            shown=shown,
            command=command,
        )
    else:
        footer = _("{command} <number> for details", command=command)
    embed.set_footer(text=footer)
    return embed


def withdrawn(proposal: Proposal) -> str:
    """The answer to `/proposal withdraw`."""
    return _("Proposal #{proposal} is withdrawn. Its card and thread show it.", proposal=proposal.id)
