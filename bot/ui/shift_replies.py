"""What a member reads privately after a shift command or button: claims, leaves, lists, edits.

Cards, reminders and DMs to others are `shift_render.py`; this module words the answers to the
member who acted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import discord

from bot.domain.records import Shift
from bot.domain.shifts import ClaimKind
from bot.services.shifts import ChangeOutcome, ClaimOutcome, LeaveOutcome
from bot.ui.format import safe, span, ts

LIST_TITLES = {"open": "Shifts with open places", "mine": "Your shifts", "all": "All shifts"}
LIST_EMPTY = {
    "open": "No open places in this period: `/shift offer` to ask for help.",
    "mine": "You have no shifts in this period. `/shift list` shows where help is needed.",
    "all": "No shifts in this period yet. `/shift offer` starts one.",
}
EARLIER, LATER = "◀ Earlier", "Later ▶"
PICK_PLACEHOLDER = "Take a place on…"
CLAIM_LABEL, LEAVE_LABEL, WAITLIST_LABEL = "Claim a place", "Leave", "Join the waitlist"


def claim_text(outcome: ClaimOutcome) -> str:
    """The answer to a claim (FULL has its own question: `full_text`)."""
    shift, result = outcome.shift, outcome.result
    where = f"shift #{shift.id} at **{safe(shift.location)}**, {ts(shift.starts_at, 'F')}"
    if result.kind is ClaimKind.CLAIMED:
        thread = f" Coordinate in <#{shift.thread_id}>." if shift.thread_id else ""
        return f"You have a place on {where}. I'll remind you by DM before it starts.{thread}"
    if result.kind is ClaimKind.ALREADY_ON:
        return f"You already have a place on {where}. Nothing changed."
    if result.kind is ClaimKind.WAITLISTED:
        return (
            f"You're number {result.waitlist_position} on the waitlist for {where}. If a place frees up, "
            "it's yours automatically and I'll tell you by DM."
        )
    return f"You're already number {result.waitlist_position} on the waitlist for {where}. Nothing changed."


def full_text(shift_id: int, position: int | None) -> str:
    """Every place is taken: would they like to wait?"""
    return (
        f"Every place on shift #{shift_id} is taken. Join the waitlist? You would be "
        f"number {position}, and you get the next free place automatically."
    )


def leave_text(outcome: LeaveOutcome) -> str:
    """The answer to leaving a place or the waitlist."""
    shift = outcome.shift
    if not outcome.left_place:
        return f"You're off the waitlist for shift #{shift.id}."
    text = f"You've left shift #{shift.id} at {safe(shift.location)}. Thanks for letting the group know."
    if outcome.promoted:
        text += f" {outcome.promoted.name} from the waitlist takes your place."
    return text


def place_opened(shift: Shift) -> str:
    """Posted in the shift's channel when a place frees up close to the start with nobody waiting."""
    return (
        f"A place has opened on shift #{shift.id} at **{safe(shift.location)}**, starting "
        f"{ts(shift.starts_at, 'R')}. If you can help, tap Claim on the card or use `/shift claim {shift.id}`."
    )


def list_embed(show: str, days: int, lines: list[str], page: int, pages: int) -> discord.Embed:
    """One page of `/shift list`."""
    embed = discord.Embed(
        title=f"{LIST_TITLES[show]}, next {days} days",
        description="\n".join(lines) or LIST_EMPTY[show],
        colour=discord.Colour.green(),
    )
    embed.set_footer(text=f"Page {page + 1} of {pages} · pick a shift below, or /shift claim <number>")
    return embed


def offered(created: Sequence[Shift], channel_id: int, *, posted: bool, joined: bool, jump_url: str | None) -> str:
    """The answer to `/shift offer`."""
    numbers = ", ".join(f"#{s.id}" for s in created)
    where_posted = f"in <#{channel_id}>" if posted else "but I couldn't post its card (check my permissions there)"
    text = (
        f"Posted shift {numbers} {where_posted}. "
        if len(created) == 1
        else f"Posted {len(created)} weekly shifts ({numbers}) {where_posted}. "
    )
    text += "You hold the first place." if joined else "You haven't taken a place yourself."
    if jump_url:
        text += f" {jump_url}"
    return text


NOTHING_TO_EDIT = "Nothing to change: fill in when, where, places or notes."


def edited(shift_id: int, outcome: ChangeOutcome) -> str:
    """The answer to `/shift edit`."""
    if outcome.old == outcome.shift:
        return f"Shift #{shift_id} already looks like that; nothing changed."
    told = outcome.time_changed or outcome.place_changed
    return f"Saved shift #{shift_id}. The card is updated" + (" and everyone on it is told by DM." if told else ".")


def cancelled(shift_id: int, outcome: ChangeOutcome) -> str:
    """The answer to `/shift cancel`."""
    return (
        f"Shift #{shift_id} is cancelled. Its card shows it, and the "
        f"{len(outcome.tell)} other people on it or waiting are told by DM."
    )


def reminder_offsets_text(offsets: tuple[timedelta, ...]) -> str:
    """'24 hours and 1 hour', or 'off'."""
    return " and ".join(span(o) for o in offsets) if offsets else "off"


def current_reminders(offsets: tuple[timedelta, ...]) -> str:
    """`/shift reminders` with no option: what they are now and how to change them."""
    return (
        f"Your reminders here: {reminder_offsets_text(offsets)}"
        + (" before each shift." if offsets else ".")
        + " Change them with `/shift reminders 24h,1h` (up to three times) or `off`."
    )


def reminders_set(offsets: tuple[timedelta, ...]) -> str:
    """The answer to changing one's reminder times."""
    if not offsets:
        return "Reminders are off for you in this server. `/shift reminders 24h,1h` turns them on."
    return (
        "I'll DM you "
        + " and ".join(span(o) for o in offsets)
        + " before each of your shifts (your upcoming ones are updated too)."
    )


#: The calendar's name in a calendar app, and the file's description in Discord.
CALENDAR_NAME, CALENDAR_DESCRIPTION = "Rota shifts", "Shifts calendar"


def calendar_text(count: int) -> str:
    """The message the calendar file comes with."""
    return f"{count} shift(s). Open the file to add them to your calendar app."


def calendar_summary(shift: Shift) -> str:
    """An event's title in a calendar app (plain text: no Markdown there)."""
    return f"Shift #{shift.id}: {discord.utils.remove_markdown(shift.location)}"


def thread_name(shift: Shift) -> str:
    """The name of a shift's discussion thread."""
    return f"Shift #{shift.id} · {shift.location}"
