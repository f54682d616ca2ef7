"""How proposals read: the card, the rule in one sentence, outcomes, thread lines and audit lines.

Names stored with positions are already made safe (`display_name`); titles, bodies and reasons are
member text and are escaped here before they go into markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain.decisions import Outcome, OutcomeReason, Rule, Tally
from bot.domain.records import AuditEntry, Proposal
from bot.domain.states import Position
from bot.services.proposals import ROTA_CHANGE, ProposalDetails
from bot.ui.audience import member_name, names_hidden, visible_names
from bot.ui.audit_text import RENDERERS, rota_settings_parts, setting_label, setting_text
from bot.ui.format import clip, fit, join, safe, ts
from bot.ui.i18n import N_, _, n_, p_, slash

OPEN_COLOUR = discord.Colour.blurple()
PASSED_COLOUR = discord.Colour.green()
FAILED_COLOUR = discord.Colour.red()
WITHDRAWN_COLOUR = discord.Colour.light_grey()

RULE_SENTENCES = {
    Rule.CONSENT: N_("Consent: it passes unless someone blocks."),
    Rule.CONSENSUS: N_("Consensus: it passes if nobody blocks or disagrees (abstaining is standing aside)."),
    Rule.MAJORITY: N_("Majority: it passes if more members agree than disagree (a block counts as a disagree)."),
}
#: The card's title by the proposal's status.
_CARD_TITLES = {
    "open": N_("Proposal #{proposal}: {title}"),
    "passed": N_("Passed · Proposal #{proposal}: {title}"),
    "failed": N_("Not passed · Proposal #{proposal}: {title}"),
    "withdrawn": N_("Withdrawn · Proposal #{proposal}: {title}"),
}
#: The answer to a member who took a position, by position: (nothing changed, new, changed).
_POSITION_REPLIES = {
    Position.AGREE: (
        N_("You already agree on proposal #{proposal}. Nothing changed."),
        N_("Noted: you agree on proposal #{proposal}."),
        N_("Changed: you now agree on proposal #{proposal} (before: {before})."),
    ),
    Position.ABSTAIN: (
        N_("You already abstain (stand aside) on proposal #{proposal}. Nothing changed."),
        N_("Noted: you abstain (stand aside) on proposal #{proposal}."),
        N_("Changed: you now abstain (stand aside) on proposal #{proposal} (before: {before})."),
    ),
    Position.DISAGREE: (
        N_("You already disagree on proposal #{proposal}. Nothing changed."),
        N_("Noted: you disagree on proposal #{proposal}."),
        N_("Changed: you now disagree on proposal #{proposal} (before: {before})."),
    ),
    Position.BLOCK: (
        N_("You already block on proposal #{proposal}. Nothing changed."),
        N_("Noted: you block on proposal #{proposal}."),
        N_("Changed: you now block on proposal #{proposal} (before: {before})."),
    ),
}


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def listed(items: Sequence[str]) -> str:
    """Names or labels in a short list as the current language writes one: "A, B, C" in English."""
    return join(items, "standard-narrow")


def position_label(position: Position) -> str:
    """A position as its button and its field on the card name it ("Block")."""
    return {
        Position.AGREE: p_("position", "Agree"),
        Position.ABSTAIN: p_("position", "Abstain"),
        Position.DISAGREE: p_("position", "Disagree"),
        Position.BLOCK: p_("position", "Block"),
    }[position]


def position_name(position: Position, *, explained: bool = False) -> str:
    """A position inside a line ("block"); `explained` says what abstaining means."""
    if position is Position.ABSTAIN and explained:
        return p_("position", "abstain (stand aside)")
    return {
        Position.AGREE: p_("position", "agree"),
        Position.ABSTAIN: p_("position", "abstain"),
        Position.DISAGREE: p_("position", "disagree"),
        Position.BLOCK: p_("position", "block"),
    }[position]


def rule_name(rule: str) -> str:
    """A decision rule's name ("consent")."""
    return {
        Rule.CONSENT: p_("decision rule", "consent"),
        Rule.CONSENSUS: p_("decision rule", "consensus"),
        Rule.MAJORITY: p_("decision rule", "majority"),
    }[Rule(rule)]


def status_name(status: str) -> str:
    """A proposal's status in one word ("open", "passed", "failed", "withdrawn")."""
    return {
        "open": p_("proposal status", "open"),
        "passed": p_("proposal status", "passed"),
        "failed": p_("proposal status", "failed"),
        "withdrawn": p_("proposal status", "withdrawn"),
    }[status]


def rule_sentence(rule: str) -> str:
    return _(RULE_SENTENCES[Rule(rule)])


def quorum_text(proposal: Proposal, tally: Tally) -> str:
    count, quorum = tally.participants, proposal.quorum
    if quorum == 0:
        return n_("none needed · {count} took a position", "none needed · {count} took a position", count)
    if count >= quorum:
        return n_(
            "{count} of {quorum} needed took a position (met)",
            "{count} of {quorum} needed took a position (met)",
            count,
            quorum=quorum,
        )
    if proposal.is_open:
        return n_(
            "{count} of {quorum} needed took a position (not met yet)",
            "{count} of {quorum} needed took a position (not met yet)",
            count,
            quorum=quorum,
        )
    return n_(
        "{count} of {quorum} needed took a position (not met)",
        "{count} of {quorum} needed took a position (not met)",
        count,
        quorum=quorum,
    )


def reason_text(outcome: Outcome, tally: Tally, quorum: int, *, closed: bool = False) -> str:
    """Why it passes or fails, as a sentence: "If it closed now, it ..." while open; `closed`: why it did not pass."""
    against = tally.disagree + tally.block
    reason = outcome.reason
    if reason is OutcomeReason.PASSED:
        return _("**Did not pass**.") if closed else _("If it closed now, it passes.")
    if reason is OutcomeReason.QUORUM_NOT_MET:
        if closed:
            return n_(
                "**Did not pass**: it fails: only {participants} of the {count} members needed took a position.",
                "**Did not pass**: it fails: only {participants} of the {count} members needed took a position.",
                quorum,
                participants=tally.participants,
            )
        return n_(
            "If it closed now, it fails: only {participants} of the {count} members needed took a position.",
            "If it closed now, it fails: only {participants} of the {count} members needed took a position.",
            quorum,
            participants=tally.participants,
        )
    if reason is OutcomeReason.BLOCKED:
        if closed:
            return n_(
                "**Did not pass**: it fails: {count} block.", "**Did not pass**: it fails: {count} blocks.", tally.block
            )
        return n_(
            "If it closed now, it fails: {count} block.", "If it closed now, it fails: {count} blocks.", tally.block
        )
    if reason is OutcomeReason.DISAGREEMENT:
        if closed:
            return n_(
                "**Did not pass**: it fails: {count} disagree, and consensus needs nobody disagreeing.",
                "**Did not pass**: it fails: {count} disagree, and consensus needs nobody disagreeing.",
                tally.disagree,
            )
        return n_(
            "If it closed now, it fails: {count} disagree, and consensus needs nobody disagreeing.",
            "If it closed now, it fails: {count} disagree, and consensus needs nobody disagreeing.",
            tally.disagree,
        )
    if reason is OutcomeReason.NOT_ENOUGH_AGREE:
        if closed:
            return n_(
                "**Did not pass**: it fails: {count} agree against {against} disagree or block.",
                "**Did not pass**: it fails: {count} agree against {against} disagree or block.",
                tally.agree,
                against=against,
            )
        return n_(
            "If it closed now, it fails: {count} agree against {against} disagree or block.",
            "If it closed now, it fails: {count} agree against {against} disagree or block.",
            tally.agree,
            against=against,
        )
    if closed:
        return n_(
            "**Did not pass**: it fails: a tie, {count} agree against {against} disagree or block.",
            "**Did not pass**: it fails: a tie, {count} agree against {against} disagree or block.",
            tally.agree,
            against=against,
        )
    return n_(
        "If it closed now, it fails: a tie, {count} agree against {against} disagree or block.",
        "If it closed now, it fails: a tie, {count} agree against {against} disagree or block.",
        tally.agree,
        against=against,
    )


def status_text(details: ProposalDetails) -> str:
    """The headline: open with its provisional outcome, or how it ended."""
    p, outcome, tally = details.proposal, details.outcome, details.tally
    if p.status == "open":
        return reason_text(outcome, tally, p.quorum)
    if p.status == "withdrawn":
        return _("Withdrawn by its author.")
    if p.status == "passed":
        return _("**Passed**.")
    return reason_text(outcome, tally, p.quorum, closed=True)


def tally_line(tally: Tally) -> str:
    return " · ".join(
        [
            n_("{count} agree", "{count} agree", tally.agree),
            n_("{count} abstain", "{count} abstain", tally.abstain),
            n_("{count} disagree", "{count} disagree", tally.disagree),
            n_("{count} block", "{count} block", tally.block),
        ]
    )


def action_text(proposal: Proposal) -> str | None:
    if not proposal.has_action or proposal.action_starts_at is None:
        return None
    return n_(
        "Opens a shift at **{where}**, {when}, with {count} place, if it passes.",
        "Opens a shift at **{where}**, {when}, with {count} places, if it passes.",
        proposal.action_places or 1,
        where=safe(proposal.action_where or ""),
        when=ts(proposal.action_starts_at, "F"),
    )


def settings_change_text(change: dict[str, object]) -> str:
    """A settings-change proposal's change, one line per setting ("• time zone: `Europe/Berlin`")."""
    lines = []
    for name, value in change.items():
        if name == ROTA_CHANGE and isinstance(value, dict):
            parts = rota_settings_parts({k: v for k, v in value.items() if k != "name"})
            lines.append(_("• the {rota} rota: {settings}", rota=value.get("name"), settings=join(parts, "unit")))
        else:
            lines.append(f"• {setting_label(name)}: {setting_text(name, value)}")
    return "\n".join(lines)


def card_embed(details: ProposalDetails) -> discord.Embed:
    p = details.proposal
    colour = {"open": OPEN_COLOUR, "passed": PASSED_COLOUR, "failed": FAILED_COLOUR}.get(p.status, WITHDRAWN_COLOUR)
    embed = discord.Embed(title=clip(_(_CARD_TITLES[p.status], proposal=p.id, title=p.title), 256), colour=colour)
    embed.description = clip(safe(p.body), 4000)
    embed.add_field(name=_("Rule"), value=rule_sentence(p.rule), inline=False)
    if p.is_open:
        embed.add_field(name=_("Closes"), value=f"{ts(p.closes_at, 'F')} ({ts(p.closes_at, 'R')})", inline=True)
    else:
        closed = p.closed_at or p.closes_at
        embed.add_field(name=_("Closed"), value=ts(closed, "F"), inline=True)
    embed.add_field(name=_("Quorum"), value=quorum_text(p, details.tally), inline=True)
    action = action_text(p)
    if action:
        embed.add_field(name=_("Action"), value=action, inline=False)
    if p.settings_change:
        embed.add_field(
            name=_("Settings it changes if it passes"), value=clip(settings_change_text(p.settings_change), 1024)
        )
    for position in Position:
        stances = details.named(position)
        people = visible_names((s.name, s.user_id) for s in stances)
        embed.add_field(
            name=f"{position_label(position)} ({len(stances)})",
            value=clip(listed(people), 1024) if people else _("nobody"),
            inline=True,
        )
    embed.add_field(name=_("So far") if p.is_open else _("Outcome"), value=status_text(details), inline=False)
    author = discord.utils.remove_markdown(member_name(p.author_name, p.author_id))
    command = slash("proposal show", code=False)
    if p.is_open:
        footer = _(
            "Proposed by {member} · {command} {proposal} · your position can change until the close",
            member=author,
            command=command,
            proposal=p.id,
        )
    else:
        footer = _("Proposed by {member} · {command} {proposal}", member=author, command=command, proposal=p.id)
    embed.set_footer(text=clip(footer, 200))
    return fit(embed)


def details_embed(details: ProposalDetails, not_yet: list[str]) -> discord.Embed:
    """`/proposal show`: the card plus every stated reason and who has not yet taken a position."""
    embed = card_embed(details)
    reasons = [
        _(
            "**{member}** ({position}): {reason}",
            member=member_name(s.name, s.user_id),
            position=position_name(Position(s.position), explained=True),
            reason=safe(s.reason),
        )
        for s in details.stances
        if s.reason
    ]
    if reasons:
        embed.add_field(name=_("Reasons"), value=clip("\n".join(reasons), 1024), inline=False)
    if details.proposal.is_open:
        if names_hidden():
            names = n_("{count} member", "{count} members", len(not_yet))
        else:
            names = clip(listed(not_yet), 900) if not_yet else _("everyone who has used Rota here lately has")
        text = names + "\n" + _("_Counting members who used Rota in this server in the last 90 days._")
        name = n_("Not yet taken a position ({count})", "Not yet taken a position ({count})", len(not_yet))
        embed.add_field(name=name, value=text, inline=False)
    return fit(embed)


def list_lines(proposals: list[Proposal]) -> list[str]:
    lines = []
    for p in proposals:
        if p.is_open:
            state = _("closes {when}", when=ts(p.closes_at, "R"))
        elif p.status == "failed":
            state = p_("proposal status", "did not pass")
        else:
            state = status_name(p.status)
        lines.append(f"**#{p.id}** {safe(clip(p.title, 80))} · {rule_name(p.rule)} · {state}")
    return lines


def label(proposal: Proposal) -> str:
    """Autocomplete label (max 100 characters)."""
    return clip(f"#{proposal.id} {proposal.title} · {status_name(proposal.status)}", 100)


def position_reply(position: Position, proposal: Proposal, changed: bool, previous: str | None) -> str:
    already, noted, now = _POSITION_REPLIES[position]
    if not changed:
        return _(already, proposal=proposal.id)
    if previous is None:
        text = _(noted, proposal=proposal.id)
    else:
        before = position_name(Position(previous), explained=True)
        text = _(now, proposal=proposal.id, before=before)
    text += " " + _("You can change it until it closes {when}.", when=ts(proposal.closes_at, "R"))
    if proposal.thread_id and position in (Position.BLOCK, Position.DISAGREE):
        text += " " + _("Your reason is posted in <#{thread}>.", thread=proposal.thread_id)
    return text


def reason_post(name: str, user_id: int, position: Position, reason: str) -> str:
    """The line in the proposal's thread when someone blocks or disagrees with a reason."""
    name = member_name(name, user_id)
    if position is Position.BLOCK:
        return _("**{member}** blocks: {reason}", member=name, reason=safe(reason))
    return _("**{member}** disagrees: {reason}", member=name, reason=safe(reason))


def closing_soon_text(proposal: Proposal, not_yet: int) -> str:
    closes = _(
        "Closing soon: proposal #{proposal} closes {when} ({relative}).",
        proposal=proposal.id,
        when=ts(proposal.closes_at, "F"),
        relative=ts(proposal.closes_at, "R"),
    )
    who = n_(
        "{count} member who used Rota here lately has not taken a position yet; `{command} {proposal}` lists who.",
        "{count} members who used Rota here lately have not taken a position yet; `{command} {proposal}` lists who.",
        not_yet,
        command=slash("proposal show", code=False),
        proposal=proposal.id,
    )
    return f"{closes} {who}"


def outcome_text(details: ProposalDetails, shift_links: list[str], problem: str | None = None) -> str:
    p = details.proposal
    text = _("Proposal #{proposal} **{title}** closed.", proposal=p.id, title=safe(clip(p.title, 100)))
    text += f" {status_text(details)}\n"
    text += _(
        "Final tally: {tally}. {quorum}.",
        tally=tally_line(details.tally),
        quorum=_upper_first(quorum_text(p, details.tally)),
    )
    if p.settings_change and p.status == "passed":
        text += "\n" + _("The group's decision is in effect:") + "\n" + settings_change_text(p.settings_change)
    if shift_links:
        text += "\n" + _("Its shift is open for places: {links}", links=" ".join(shift_links))
    elif problem:
        text += "\n" + _("Its shift could not be opened: {problem}", problem=problem)
    return text


def withdrawn_text(proposal: Proposal) -> str:
    return _(
        "Proposal #{proposal} was withdrawn by its author, {member}. Nothing was decided.",
        proposal=proposal.id,
        member=member_name(proposal.author_name, proposal.author_id),
    )


def thread_name(proposal: Proposal) -> str:
    """The name of a proposal's discussion thread."""
    return _("Proposal #{proposal} · {title}", proposal=proposal.id, title=proposal.title)


def shift_reference(shift_id: int) -> str:
    """A passed action's shift in the outcome post, when its card cannot be linked."""
    return _("shift #{shift}", shift=shift_id)


# --- audit lines -----------------------------------------------------------------------------------


def _subject(entry: AuditEntry) -> str:
    title = entry.detail.get("title")
    if title:
        return _("proposal #{proposal} ({title})", proposal=entry.subject, title=safe(clip(str(title), 60)))
    return _("proposal #{proposal}", proposal=entry.subject)


def _closed(entry: AuditEntry) -> str:
    if entry.detail.get("status") == "passed":
        return _("closed {proposal}: it passed", proposal=_subject(entry))
    return _("closed {proposal}: it did not pass", proposal=_subject(entry))


def _position(entry: AuditEntry) -> str:
    position = position_name(Position(entry.detail.get("position", "agree")))
    previous = entry.detail.get("previous")
    if previous:
        return _(
            "took a position on {proposal}: {position} (was {previous})",
            proposal=_subject(entry),
            position=position,
            previous=position_name(Position(previous)),
        )
    return _("took a position on {proposal}: {position}", proposal=_subject(entry), position=position)


RENDERERS.update(
    {
        "proposal_opened": lambda entry: _("proposed {proposal}", proposal=_subject(entry)),
        "position_taken": _position,
        "proposal_withdrawn": lambda entry: _("withdrew {proposal}", proposal=_subject(entry)),
        "proposal_closed": _closed,
    }
)
