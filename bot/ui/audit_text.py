"""One compact line per audit entry, for `/log` and the log channel. Never a ping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.store.database import AuditEntry
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


def _setting_value(name: str, value: Any) -> str:
    if value is None:
        return "not set"
    if name.endswith("_channel_id"):
        return f"<#{value}>"
    if name == "decision_minutes":
        return f"{value // 60} h" if value % 60 == 0 else f"{value} min"
    return f"`{clip(str(value), 60)}`"


def _setting_changed(entry: AuditEntry) -> str:
    label = SETTING_LABELS.get(entry.subject, entry.subject)
    old = _setting_value(entry.subject, entry.detail.get("old"))
    new = _setting_value(entry.subject, entry.detail.get("new"))
    return f"changed the {label} from {old} to {new}"


#: Features register how their actions read: action -> renderer of the part after the actor's name.
RENDERERS: dict[str, Callable[[AuditEntry], str]] = {"setting_changed": _setting_changed}


def describe(entry: AuditEntry) -> str:
    render = RENDERERS.get(entry.action)
    what = render(entry) if render else f"{entry.action.replace('_', ' ')} {clip(entry.subject, 80)}".strip()
    return f"**{safe(entry.actor_name)}** {what}"


def audit_line(entry: AuditEntry) -> str:
    return f"{ts(entry.created_at, 'R')} {describe(entry)}"
