"""What a member reads privately after a shift command or button: claims, leaves, lists, edits.

Cards, reminders and DMs to others are `shift_render.py`; this module words the answers to the
member who acted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import discord

from bot.domain.records import Shift
from bot.domain.roles import Role
from bot.domain.shifts import ClaimKind
from bot.services.shifts import ChangeOutcome, ClaimOutcome, LeaveOutcome
from bot.ui.format import clip, join, safe, span, ts
from bot.ui.i18n import N_, _, n_, p_, slash

#: What `/shift list` says when a page is empty, by what it shows (`{offer}`, `{list}`: the commands).
LIST_EMPTY = {
    "open": N_("No open places in this period: {offer} to ask for help."),
    "mine": N_("You have no shifts in this period. {list} shows where help is needed."),
    "all": N_("No shifts in this period yet. {offer} starts one."),
}


def earlier_label() -> str:
    """The list's button to the page before."""
    return _("◀ Earlier")


def later_label() -> str:
    """The list's button to the page after."""
    return _("Later ▶")


def pick_placeholder() -> str:
    """The list's menu of shifts one can claim."""
    return _("Take a place on…")


#: The repeat patterns offered while typing `repeat:` (the parser reads these English forms).
REPEAT_PATTERNS = (
    "weekly",
    "every 2 weeks",
    "every 4 weeks",
    "monthly",
    "monthly on the first saturday",
    "monthly on the last friday",
    "monthly on the 15th",
    "mon, thu",
)
_REPEAT_LABELS = {
    "weekly": N_("weekly"),
    "every 2 weeks": N_("every 2 weeks"),
    "every 4 weeks": N_("every 4 weeks"),
    "monthly": N_("monthly, on the same day"),
    "monthly on the first saturday": N_("monthly on the first Saturday"),
    "monthly on the last friday": N_("monthly on the last Friday"),
    "monthly on the 15th": N_("monthly on the 15th"),
    "mon, thu": N_("Mondays and Thursdays"),
}


def repeat_label(pattern: str) -> str:
    return _(_REPEAT_LABELS[pattern])


def here_label() -> str:
    return _("I'm here")


def checked_in_text(shift_id: int, *, new: bool) -> str:
    if new:
        return _("You're checked in for shift #{shift}. Thanks for being there!", shift=shift_id)
    return _("You're already checked in for shift #{shift}.", shift=shift_id)


def claim_role_label(role: str) -> str:
    """A card's claim button on a shift with roles."""
    return _("Claim: {role}", role=role)


def claim_role_placeholder() -> str:
    return _("Claim a place as…")


def role_option(role: Role) -> str:
    """A role in the card's menu: its name and how many of its places are taken."""
    return clip(_("{role} · {taken}/{places}", role=role.name, taken=role.taken, places=role.places), 100)


def coming_label() -> str:
    return _("I'll be there")


def not_coming_label() -> str:
    return _("Can't make it")


def see_you(shift_id: int) -> str:
    """The answer to "I'll be there" (nothing is recorded: silence and yes look the same)."""
    return _("Thanks, see you at shift #{shift}!", shift=shift_id)


def claim_label() -> str:
    return _("Claim a place")


def leave_label() -> str:
    return p_("button", "Leave")


def waitlist_label() -> str:
    return _("Join the waitlist")


def claim_text(outcome: ClaimOutcome) -> str:
    """The answer to a claim (FULL has its own question: `full_text`)."""
    shift, result = outcome.shift, outcome.result
    where = {"shift": shift.id, "place": safe(shift.location), "when": ts(shift.starts_at, "F")}
    if result.kind is ClaimKind.CLAIMED:
        text = _(
            "You have a place on shift #{shift} at **{place}**, {when}. I'll remind you by DM before it starts.",
            **where,
        )
        if shift.thread_id:
            text += " " + _("Coordinate in <#{thread}>.", thread=shift.thread_id)
        return text
    if result.kind is ClaimKind.ALREADY_ON:
        return _("You already have a place on shift #{shift} at **{place}**, {when}. Nothing changed.", **where)
    if result.kind is ClaimKind.WAITLISTED:
        return _(
            "You're number {position} on the waitlist for shift #{shift} at **{place}**, {when}. "
            "If a place frees up, it's yours automatically and I'll tell you by DM.",
            position=result.waitlist_position,
            **where,
        )
    return _(
        "You're already number {position} on the waitlist for shift #{shift} at **{place}**, {when}. Nothing changed.",
        position=result.waitlist_position,
        **where,
    )


def full_text(shift_id: int, position: int | None) -> str:
    """Every place is taken: would they like to wait?"""
    return _(
        "Every place on shift #{shift} is taken. Join the waitlist? You would be "
        "number {position}, and you get the next free place automatically.",
        shift=shift_id,
        position=position,
    )


def leave_text(outcome: LeaveOutcome) -> str:
    """The answer to leaving a place or the waitlist."""
    shift = outcome.shift
    if not outcome.left_place:
        return _("You're off the waitlist for shift #{shift}.", shift=shift.id)
    text = _(
        "You've left shift #{shift} at {place}. Thanks for letting the group know.",
        shift=shift.id,
        place=safe(shift.location),
    )
    if outcome.promoted:
        text += " " + _("{member} from the waitlist takes your place.", member=outcome.promoted.name)
    return text


def place_opened(shift: Shift) -> str:
    """Posted in the shift's channel when a place frees up close to the start with nobody waiting."""
    return _(
        "A place has opened on shift #{shift} at **{place}**, starting {when}. "
        "If you can help, tap Claim on the card or use `{claim} {shift}`.",
        shift=shift.id,
        place=safe(shift.location),
        when=ts(shift.starts_at, "R"),
        claim=slash("shift claim", code=False),
    )


def _list_title(show: str, days: int) -> str:
    if show == "open":
        return n_("Shifts with open places, next {count} day", "Shifts with open places, next {count} days", days)
    if show == "mine":
        return n_("Your shifts, next {count} day", "Your shifts, next {count} days", days)
    return n_("All shifts, next {count} day", "All shifts, next {count} days", days)


def list_embed(show: str, days: int, lines: list[str], page: int, pages: int) -> discord.Embed:
    """One page of `/shift list`."""
    embed = discord.Embed(
        title=_list_title(show, days),
        description="\n".join(lines) or _(LIST_EMPTY[show], offer=slash("shift offer"), list=slash("shift list")),
        colour=discord.Colour.green(),
    )
    embed.set_footer(
        text=_(
            "Page {page} of {pages} · pick a shift below, or {claim} <number>",
            page=page + 1,
            pages=pages,
            claim=slash("shift claim", code=False),
        )
    )
    return embed


def offered(created: Sequence[Shift], channel_id: int, *, posted: bool, joined: bool, jump_url: str | None) -> str:
    """The answer to `/shift offer`."""
    numbers = ", ".join(f"#{s.id}" for s in created)
    if len(created) == 1 and posted:
        text = _("Posted shift #{shift} in <#{channel}>.", shift=created[0].id, channel=channel_id)
    elif len(created) == 1:
        text = _(
            "Posted shift #{shift} but I couldn't post its card (check my permissions there).", shift=created[0].id
        )
    elif posted:
        text = n_(
            "Posted a series of {count} shift ({numbers}) in <#{channel}>.",
            "Posted a series of {count} shifts ({numbers}) in <#{channel}>.",
            len(created),
            numbers=numbers,
            channel=channel_id,
        )
    else:
        text = n_(
            "Posted a series of {count} shift ({numbers}) but couldn't post its card (check my permissions there).",
            "Posted a series of {count} shifts ({numbers}) but couldn't post the cards (check my permissions there).",
            len(created),
            numbers=numbers,
        )
    text += " " + (_("You hold the first place.") if joined else _("You haven't taken a place yourself."))
    if jump_url:
        text += f" {jump_url}"
    return text


def nothing_to_edit() -> str:
    """`/shift edit` with no option filled in."""
    return _("Nothing to change: fill in when, where, places or notes.")


def which_shifts(shift_id: int, later: int) -> str:
    """Asked when the shift being changed has later shifts in its series."""
    return n_(
        "Shift #{shift} is part of a series, with {count} more shift after it. Change only this one, "
        "or this one and the later one too?",
        "Shift #{shift} is part of a series, with {count} more shifts after it. Change only this one, "
        "or this one and all later ones?",
        later,
        shift=shift_id,
    )


def only_this_label() -> str:
    return _("Only this one")


def this_and_later_label() -> str:
    return _("This and all later ones")


def question_expired() -> str:
    return _("That question has expired (the bot restarted since). Nothing changed; please run the command again.")


def edited_series(shift_id: int, outcomes: Sequence[ChangeOutcome]) -> str:
    """The answer to `/shift edit`, for one shift or a shift and the later ones of its series."""
    if len(outcomes) == 1:
        return edited(shift_id, outcomes[0])
    return n_(
        "Saved shift #{shift} and {count} later shift of its series. Their cards are updated, and everyone "
        "on them is told by DM if the time or place changed.",
        "Saved shift #{shift} and {count} later shifts of its series. Their cards are updated, and everyone "
        "on them is told by DM if the time or place changed.",
        len(outcomes) - 1,
        shift=shift_id,
    )


def cancelled_series(shift_id: int, outcomes: Sequence[ChangeOutcome]) -> str:
    """The answer to `/shift cancel`, for one shift or a shift and the later ones of its series."""
    if len(outcomes) == 1:
        return cancelled(shift_id, outcomes[0])
    return n_(
        "Shift #{shift} and {count} later shift of its series are cancelled. Their cards show it, and "
        "everyone on them or waiting is told by DM.",
        "Shift #{shift} and {count} later shifts of its series are cancelled. Their cards show it, and "
        "everyone on them or waiting is told by DM.",
        len(outcomes) - 1,
        shift=shift_id,
    )


def edited(shift_id: int, outcome: ChangeOutcome) -> str:
    """The answer to `/shift edit`."""
    if outcome.old == outcome.shift:
        return _("Shift #{shift} already looks like that; nothing changed.", shift=shift_id)
    if outcome.time_changed or outcome.place_changed:
        return _("Saved shift #{shift}. The card is updated and everyone on it is told by DM.", shift=shift_id)
    return _("Saved shift #{shift}. The card is updated.", shift=shift_id)


def cancelled(shift_id: int, outcome: ChangeOutcome) -> str:
    """The answer to `/shift cancel`."""
    return n_(
        "Shift #{shift} is cancelled. Its card shows it, and the {count} other person on it or waiting is told by DM.",
        "Shift #{shift} is cancelled. Its card shows it, and the {count} other people on it or waiting are told by DM.",
        len(outcome.tell),
        shift=shift_id,
    )


def reminder_offsets_text(offsets: tuple[timedelta, ...]) -> str:
    """'24 hr and 1 hr', or 'off'."""
    return join([span(o) for o in offsets]) if offsets else p_("reminders", "off")


def current_reminders(offsets: tuple[timedelta, ...]) -> str:
    """`/shift reminders` with no option: what they are now and how to change them."""
    command = slash("shift reminders", code=False)
    if not offsets:
        return _(
            "Your reminders here: off. Change them with `{reminders} 24h,1h` (up to three times) or `off`.",
            reminders=command,
        )
    return _(
        "Your reminders here: {times} before each shift. "
        "Change them with `{reminders} 24h,1h` (up to three times) or `off`.",
        times=reminder_offsets_text(offsets),
        reminders=command,
    )


def reminders_set(offsets: tuple[timedelta, ...]) -> str:
    """The answer to changing one's reminder times."""
    if not offsets:
        return _(
            "Reminders are off for you in this server. `{reminders} 24h,1h` turns them on.",
            reminders=slash("shift reminders", code=False),
        )
    return _(
        "I'll DM you {times} before each of your shifts (your upcoming ones are updated too).",
        times=reminder_offsets_text(offsets),
    )


def calendar_name() -> str:
    """The calendar's name in a calendar app."""
    return _("Rota shifts")


def calendar_description() -> str:
    """The calendar file's description in Discord."""
    return _("Shifts calendar")


def calendar_text(count: int) -> str:
    """The message the calendar file comes with."""
    return n_(
        "{count} shift. Open the file to add it to your calendar app.",
        "{count} shifts. Open the file to add them to your calendar app.",
        count,
    )


def _reset_command(group: bool) -> str:
    """`/shift calendar reset:True`, typed as the member would (with show:group for the group link)."""
    show = f" {p_('option name', 'show')}:{p_('choice', 'group')}" if group else ""
    return f"`{slash('shift calendar', code=False)}{show} {p_('option name', 'reset')}:True`"


def feed_link(https_url: str, webcal_url: str, *, group: bool) -> str:
    """A new subscription link, shown once (only a fingerprint of it is kept)."""
    if group:
        intro = _(
            "Subscription link to this server's shifts with open places (counts only, never names), for a "
            "shared calendar or a website:"
        )
    else:
        intro = _("Subscription link to your shifts: your calendar app updates them as they change.")
    return _(
        "{intro}\n<{https}>\nIn a calendar app that asks for a webcal link: `{webcal}`\n"
        "I show it only this once. Anyone with the link can read the calendar; {reset} makes a new "
        "link and stops this one.",
        intro=intro,
        https=https_url,
        webcal=webcal_url,
        reset=_reset_command(group),
    )


def feed_link_kept(made_at: datetime, *, group: bool) -> str:
    """The member already has a link: it cannot be shown again, only replaced."""
    return _(
        "You made your subscription link {when}. I keep only a fingerprint of it, so I can't show it again: "
        "{reset} makes a new link and stops the old one.",
        when=ts(made_at, "D"),
        reset=_reset_command(group),
    )


def feeds_off() -> str:
    """Links were asked for, but whoever runs the bot has not turned on its web endpoint."""
    return _(
        "Calendar subscription links are not turned on for this bot (whoever runs it can turn them on). "
        "{calendar} still gives you an .ics file.",
        calendar=slash("shift calendar"),
    )


def calendar_summary(shift: Shift, role: str | None = None, *, waiting: bool = False) -> str:
    """An event's title in a calendar app: plain text, the place exactly as typed (a calendar app
    shows no Markdown, so nothing is stripped or escaped here; the .ics writer escapes for RFC 5545),
    the member's role on a shift with roles, or that they are on its waitlist."""
    if waiting:
        return _("Shift #{shift}: {place} (on the waitlist)", shift=shift.id, place=shift.location)
    if role is not None:
        return _("Shift #{shift}: {place} ({role})", shift=shift.id, place=shift.location, role=role)
    return _("Shift #{shift}: {place}", shift=shift.id, place=shift.location)


def thread_name(shift: Shift) -> str:
    """The name of a shift's discussion thread."""
    return _("Shift #{shift} · {place}", shift=shift.id, place=shift.location)
