"""How proposals read: the card, the rule in one sentence, outcomes, thread lines and audit lines.

Names stored with positions are already made safe (`display_name`); titles, bodies and reasons are
member text and are escaped here before they go into markdown.
"""

from __future__ import annotations

import discord

from bot.domain.decisions import Outcome, OutcomeReason, Rule, Tally
from bot.domain.records import AuditEntry, Proposal
from bot.domain.states import Position
from bot.services.proposals import ProposalDetails
from bot.ui.audit_text import RENDERERS
from bot.ui.format import clip, safe, ts

OPEN_COLOUR = discord.Colour.blurple()
PASSED_COLOUR = discord.Colour.green()
FAILED_COLOUR = discord.Colour.red()
WITHDRAWN_COLOUR = discord.Colour.light_grey()

RULE_SENTENCES = {
    Rule.CONSENT: "Consent: it passes unless someone blocks.",
    Rule.CONSENSUS: "Consensus: it passes if nobody blocks or disagrees (abstaining is standing aside).",
    Rule.MAJORITY: "Majority: it passes if more members agree than disagree (a block counts as a disagree).",
}
POSITION_LABELS = {
    Position.AGREE: "Agree",
    Position.ABSTAIN: "Abstain",
    Position.DISAGREE: "Disagree",
    Position.BLOCK: "Block",
}
POSITION_VERBS = {
    Position.AGREE: "agree",
    Position.ABSTAIN: "abstain (stand aside)",
    Position.DISAGREE: "disagree",
    Position.BLOCK: "block",
}


def rule_sentence(rule: str) -> str:
    return RULE_SENTENCES[Rule(rule)]


def quorum_text(proposal: Proposal, tally: Tally) -> str:
    if proposal.quorum == 0:
        return f"none needed · {tally.participants} took a position"
    met = "met" if tally.participants >= proposal.quorum else "not met yet" if proposal.is_open else "not met"
    return f"{tally.participants} of {proposal.quorum} needed took a position ({met})"


def reason_text(outcome: Outcome, tally: Tally, quorum: int) -> str:
    """Why it passes or fails, in words."""
    against = tally.disagree + tally.block
    return {
        OutcomeReason.PASSED: "passes",
        OutcomeReason.QUORUM_NOT_MET: (
            f"fails: only {tally.participants} of the {quorum} members needed took a position"
        ),
        OutcomeReason.BLOCKED: f"fails: {tally.block} block{'s' if tally.block != 1 else ''}",
        OutcomeReason.DISAGREEMENT: f"fails: {tally.disagree} disagree, and consensus needs nobody disagreeing",
        OutcomeReason.NOT_ENOUGH_AGREE: f"fails: {tally.agree} agree against {against} disagree or block",
        OutcomeReason.TIE: f"fails: a tie, {tally.agree} agree against {against} disagree or block",
    }[outcome.reason]


def status_text(details: ProposalDetails) -> str:
    """The headline: open with its provisional outcome, or how it ended."""
    p, outcome, tally = details.proposal, details.outcome, details.tally
    if p.status == "open":
        return f"If it closed now, it {reason_text(outcome, tally, p.quorum)}."
    if p.status == "withdrawn":
        return "Withdrawn by its author."
    final = "Passed" if p.status == "passed" else "Did not pass"
    why = reason_text(outcome, tally, p.quorum)
    return f"**{final}**" + ("." if p.status == "passed" else f": it {why}.")


def tally_line(tally: Tally) -> str:
    return f"{tally.agree} agree · {tally.abstain} abstain · {tally.disagree} disagree · {tally.block} block"


def action_text(proposal: Proposal) -> str | None:
    if not proposal.has_action or proposal.action_starts_at is None:
        return None
    places = proposal.action_places or 1
    return (
        f"Opens a shift at **{safe(proposal.action_where or '')}**, {ts(proposal.action_starts_at, 'F')}, "
        f"with {places} place{'s' if places != 1 else ''}, if it passes."
    )


def card_embed(details: ProposalDetails) -> discord.Embed:
    p = details.proposal
    colour = {"open": OPEN_COLOUR, "passed": PASSED_COLOUR, "failed": FAILED_COLOUR}.get(p.status, WITHDRAWN_COLOUR)
    prefix = {"open": "", "passed": "Passed · ", "failed": "Not passed · ", "withdrawn": "Withdrawn · "}[p.status]
    embed = discord.Embed(title=clip(f"{prefix}Proposal #{p.id}: {p.title}", 256), colour=colour)
    embed.description = clip(safe(p.body), 4000)
    embed.add_field(name="Rule", value=rule_sentence(p.rule), inline=False)
    if p.is_open:
        embed.add_field(name="Closes", value=f"{ts(p.closes_at, 'F')} ({ts(p.closes_at, 'R')})", inline=True)
    else:
        closed = p.closed_at or p.closes_at
        embed.add_field(name="Closed", value=ts(closed, "F"), inline=True)
    embed.add_field(name="Quorum", value=quorum_text(p, details.tally), inline=True)
    action = action_text(p)
    if action:
        embed.add_field(name="Action", value=action, inline=False)
    for position in Position:
        people = [s.name for s in details.named(position)]
        embed.add_field(
            name=f"{POSITION_LABELS[position]} ({len(people)})",
            value=clip(", ".join(people), 1024) if people else "nobody",
            inline=True,
        )
    embed.add_field(name="Outcome" if not p.is_open else "So far", value=status_text(details), inline=False)
    footer = f"Proposed by {discord.utils.remove_markdown(p.author_name)} · /proposal show {p.id}"
    if p.is_open:
        footer += " · your position can change until the close"
    embed.set_footer(text=clip(footer, 200))
    return embed


def details_embed(details: ProposalDetails, not_yet: list[str]) -> discord.Embed:
    """`/proposal show`: the card plus every stated reason and who has not yet taken a position."""
    embed = card_embed(details)
    reasons = [
        f"**{s.name}** ({POSITION_VERBS[Position(s.position)]}): {safe(s.reason)}" for s in details.stances if s.reason
    ]
    if reasons:
        embed.add_field(name="Reasons", value=clip("\n".join(reasons), 1024), inline=False)
    if details.proposal.is_open:
        names = clip(", ".join(not_yet), 900) if not_yet else "everyone who has used Rota here lately has"
        text = f"{names}\n_Counting members who used Rota in this server in the last 90 days._"
        embed.add_field(name=f"Not yet taken a position ({len(not_yet)})", value=text, inline=False)
    return embed


def list_lines(proposals: list[Proposal]) -> list[str]:
    lines = []
    for p in proposals:
        if p.is_open:
            state = f"closes {ts(p.closes_at, 'R')}"
        else:
            state = {"passed": "passed", "failed": "did not pass", "withdrawn": "withdrawn"}[p.status]
        lines.append(f"**#{p.id}** {safe(clip(p.title, 80))} · {p.rule} · {state}")
    return lines


def label(proposal: Proposal) -> str:
    """Autocomplete label (max 100 characters)."""
    state = "open" if proposal.is_open else proposal.status
    return clip(f"#{proposal.id} {proposal.title} · {state}", 100)


def position_reply(position: Position, proposal: Proposal, changed: bool, previous: str | None) -> str:
    verb = POSITION_VERBS[position]
    if not changed:
        return f"You already {verb} on proposal #{proposal.id}. Nothing changed."
    if previous is None:
        text = f"Noted: you {verb} on proposal #{proposal.id}."
    else:
        text = f"Changed: you now {verb} on proposal #{proposal.id} (before: {POSITION_VERBS[Position(previous)]})."
    text += f" You can change it until it closes {ts(proposal.closes_at, 'R')}."
    if proposal.thread_id and position in (Position.BLOCK, Position.DISAGREE):
        text += f" Your reason is posted in <#{proposal.thread_id}>."
    return text


def reason_post(name: str, position: Position, reason: str) -> str:
    """The line in the proposal's thread when someone blocks or disagrees with a reason."""
    return f"**{name}** {'blocks' if position is Position.BLOCK else 'disagrees'}: {safe(reason)}"


def closing_soon_text(proposal: Proposal, not_yet: int) -> str:
    people = f"{not_yet} member{'s' if not_yet != 1 else ''} who used Rota here lately"
    return (
        f"Closing soon: proposal #{proposal.id} closes {ts(proposal.closes_at, 'F')} ({ts(proposal.closes_at, 'R')}). "
        f"{people} {'have' if not_yet != 1 else 'has'} not taken a position yet; "
        f"`/proposal show {proposal.id}` lists who."
    )


def outcome_text(details: ProposalDetails, shift_links: list[str], problem: str | None = None) -> str:
    p = details.proposal
    text = f"Proposal #{p.id} **{safe(clip(p.title, 100))}** closed. {status_text(details)}\n"
    text += f"Final tally: {tally_line(details.tally)}. {quorum_text(p, details.tally).capitalize()}."
    if shift_links:
        text += "\nIts shift is open for places: " + " ".join(shift_links)
    elif problem:
        text += f"\nIts shift could not be opened: {problem}"
    return text


def withdrawn_text(proposal: Proposal) -> str:
    return f"Proposal #{proposal.id} was withdrawn by its author, {proposal.author_name}. Nothing was decided."


def thread_name(proposal: Proposal) -> str:
    """The name of a proposal's discussion thread."""
    return f"Proposal #{proposal.id} · {proposal.title}"


def shift_reference(shift_id: int) -> str:
    """A passed action's shift in the outcome post, when its card cannot be linked."""
    return f"shift #{shift_id}"


# --- audit lines -----------------------------------------------------------------------------------


def _subject(entry: AuditEntry) -> str:
    title = entry.detail.get("title")
    return f"proposal #{entry.subject}" + (f" ({safe(clip(str(title), 60))})" if title else "")


def _closed(entry: AuditEntry) -> str:
    outcome = "passed" if entry.detail.get("status") == "passed" else "did not pass"
    return f"closed {_subject(entry)}: it {outcome}"


def _position(entry: AuditEntry) -> str:
    position = Position(entry.detail.get("position", "agree"))
    previous = entry.detail.get("previous")
    before = f" (was {Position(previous).value})" if previous else ""
    return f"took a position on {_subject(entry)}: {position.value}{before}"


RENDERERS.update(
    {
        "proposal_opened": lambda entry: f"proposed {_subject(entry)}",
        "position_taken": _position,
        "proposal_withdrawn": lambda entry: f"withdrew {_subject(entry)}",
        "proposal_closed": _closed,
    }
)
