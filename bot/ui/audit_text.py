"""One compact line per audit entry, for `/log` and the log channel. Never a ping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.domain.records import AuditEntry
from bot.ui.format import clip, safe, ts

SETTING_LABELS = {
    "timezone": "time zone",
    "shift_channel_id": "shift channel",
    "announce_channel_id": "announcement channel",
    "log_channel_id": "log channel",
    "decision_rule": "default decision rule",
    "decision_minutes": "default proposal length",
    "reminder_offsets": "default shift reminders",
}


def setting_text(name: str, value: Any) -> str:
    if value is None:
        return "not set"
    if name.endswith("_channel_id"):
        return f"<#{value}>"
    if name == "decision_minutes":
        return f"{value // 60} h" if value % 60 == 0 else f"{value} min"
    return f"`{clip(str(value), 60)}`"


def _setting_changed(entry: AuditEntry) -> str:
    label = SETTING_LABELS.get(entry.subject, entry.subject)
    old = setting_text(entry.subject, entry.detail.get("old"))
    new = setting_text(entry.subject, entry.detail.get("new"))
    return f"changed the {label} from {old} to {new}"


NAME_KEYS = {"to", "from"}  # member names, stored already escaped


def _shift(text: str) -> Callable[[AuditEntry], str]:
    def render(entry: AuditEntry) -> str:
        values = {k: str(v) if k in NAME_KEYS else safe(str(v)) for k, v in entry.detail.items()}
        return text.format(n=entry.subject, **values)

    return render


def _shift_offered(entry: AuditEntry) -> str:
    where = safe(str(entry.detail.get("where", "")))
    starts = entry.detail.get("starts_at")
    when = f", {ts(starts, 'f')}" if isinstance(starts, int) else ""
    return f"offered shift #{entry.subject} at {where}{when}"


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _when(entry: AuditEntry, key: str, style: str = "f") -> str:
    value = entry.detail.get(key)
    return ts(value, style) if isinstance(value, int) else "?"


def _rota_handover(entry: AuditEntry) -> str:
    to = entry.detail.get("to")
    until = _when(entry, "ends")
    if not to:
        return f"found nobody available for the {entry.subject} turn until {until}"
    return f"handed the {entry.subject} turn to {to} until {until}"


def _rota_settings(entry: AuditEntry) -> str:
    parts = []
    for key, value in sorted(entry.detail.items()):
        if key == "turn_length_days":
            parts.append(f"turns of {value} day(s)")
        elif key == "anchor_weekday" and isinstance(value, int):
            parts.append(f"hand-over on {WEEKDAY_NAMES[value]}")
        elif key == "anchor_time":
            parts.append(f"at {safe(str(value))}")
        elif key == "role_id":
            parts.append(f"role <@&{value}>" if value else "no role")
    verb = "added" if entry.action == "rota_created" else "changed"
    return f"{verb} the {entry.subject} rota" + (f": {', '.join(parts)}" if parts else "")


#: How each action reads after the actor's name (`/log` and the log channel). Features add theirs.
RENDERERS: dict[str, Callable[[AuditEntry], str]] = {
    "setting_changed": _setting_changed,
    "shift_offered": _shift_offered,
    "shift_claimed": _shift("took a place on shift #{n}"),
    "shift_waitlisted": _shift("joined the waitlist of shift #{n}"),
    "shift_left": lambda e: f"left shift #{e.subject}" + (" (less than a day before)" if e.detail.get("late") else ""),
    "shift_unwaitlisted": _shift("left the waitlist of shift #{n}"),
    "shift_promoted": _shift("moved up from the waitlist onto shift #{n}"),
    "shift_edited": lambda e: f"changed shift #{e.subject} ({', '.join(sorted(e.detail)) or 'no change'})",
    "shift_cancelled": _shift("cancelled shift #{n}: {reason}"),
    "handoff_offered": _shift("offered their place on shift #{n} to {to}"),
    "handoff_accepted": _shift("accepted a place on shift #{n} from {from}"),
    "handoff_declined": _shift("declined a place on shift #{n} from {from}"),
    "handoff_lapsed": _shift("noted that an offer of a place on shift #{n} from {from} ended unanswered"),
    "rota_joined": lambda e: f"joined the {e.subject} rota" + (" again" if e.detail.get("rejoined") else ""),
    "rota_left": lambda e: f"left the {e.subject} rota",
    "rota_handover": _rota_handover,
    "rota_away": lambda e: f"is away from the {e.subject} rota from {_when(e, 'starts')} until {_when(e, 'ends')}",
    "rota_back": lambda e: f"is available again in the {e.subject} rota",
    "rota_passed": lambda e: f"passed the {e.subject} turn of {_when(e, 'starts', 'd')} on to {e.detail.get('to')}",
    "rota_swap_offered": lambda e: f"offered {e.detail.get('with')} a swap of {e.subject} turns",
    "rota_swapped": lambda e: f"swapped {e.subject} turns with {e.detail.get('with')}",
    "rota_swap_declined": lambda e: f"declined a swap of {e.subject} turns with {e.detail.get('with')}",
    "rota_swap_lapsed": lambda e: (
        f"noted that a swap of {e.subject} turns between {e.detail.get('from')} and {e.detail.get('with')} "
        "ended unanswered"
    ),
    "rota_created": _rota_settings,
    "rota_configured": _rota_settings,
    "data_deleted": lambda e: "removed their personal data",
}


def describe(entry: AuditEntry) -> str:
    render = RENDERERS.get(entry.action)
    what = render(entry) if render else f"{entry.action.replace('_', ' ')} {clip(entry.subject, 80)}".strip()
    return f"**{entry.actor_name}** {what}"  # names are stored already escaped


def audit_line(entry: AuditEntry) -> str:
    return f"{ts(entry.created_at, 'R')} {describe(entry)}"
