"""Rules for server settings (time zone, channels, decision defaults)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.domain.decisions import Rule
from bot.domain.errors import BadDeadline, BadDuration, RotaError
from bot.domain.members import Actor
from bot.domain.shifts import OFF_WORDS, parse_reminder_offsets
from bot.domain.timeparse import is_valid_timezone, parse_closes_in, parse_duration

MIN_DECISION = timedelta(minutes=10)
MAX_DECISION = timedelta(days=60)


@dataclass(eq=False)
class UnknownTimezone(RotaError):
    """Not an IANA time zone name such as Europe/London."""

    name: str


@dataclass(eq=False)
class MissingPermission(RotaError):
    """Changing this needs a Discord permission the member lacks (`permission` as Discord names it)."""

    permission: str


@dataclass(eq=False)
class NothingToChange(RotaError):
    """A settings command was used without any value to change."""


def require_manage_guild(actor: Actor) -> None:
    if not actor.manage_guild:
        raise MissingPermission("Manage Server")


def validate_timezone(name: str) -> str:
    name = name.strip()
    if not is_valid_timezone(name):
        raise UnknownTimezone(name[:64])
    return name


def validate_decision_minutes(text: str) -> int:
    value = parse_closes_in(text)
    if not MIN_DECISION <= value <= MAX_DECISION:
        raise BadDeadline(value, MIN_DECISION, MAX_DECISION)
    return int(value.total_seconds() // 60)


def validate_rule(name: str) -> str:
    return Rule(name).value


STILL_COMING_MIN = timedelta(hours=1)
STILL_COMING_MAX = timedelta(days=7)


def validate_still_coming(text: str, *, language: str = "en") -> int:
    """How long before a shift holders are asked "still coming?", in minutes; `off` (0) asks nobody."""
    if text.strip().lower() in OFF_WORDS:
        return 0
    value = parse_duration(text, language=language)
    if not STILL_COMING_MIN <= value <= STILL_COMING_MAX:
        raise BadDuration(text[:40], STILL_COMING_MIN, STILL_COMING_MAX)
    return int(value.total_seconds() // 60)


def validate_reminder_offsets(text: str) -> str:
    """Normalise '24h, 1h' to a stored form; 'off' turns reminders off."""
    offsets = parse_reminder_offsets(text)
    if not offsets:
        return "off"
    return ",".join(f"{int(o.total_seconds() // 60)}m" for o in offsets)
