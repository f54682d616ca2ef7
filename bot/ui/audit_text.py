"""One compact line per audit entry, for `/log` and the log channel. Never a ping.

Audit rows are stored language-neutral (an action, a subject and details); the line is written when it
is shown, in the current language, one whole sentence per kind of action with the actor's name in it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from babel.dates import get_day_names

from bot.domain.governance import ANONYMISED_NAME
from bot.domain.records import AuditEntry
from bot.ui.audience import anonymous, member_name, names_hidden
from bot.ui.format import clip, join, safe, span, ts
from bot.ui.i18n import LANGUAGES, N_, _, babel_locale, n_, p_

#: Each setting's name as a label (`/setup show`); translate where shown: `_(SETTING_LABELS[name])`
#: or `setting_label(name)`.
SETTING_LABELS = {
    "timezone": N_("time zone"),
    "shift_channel_id": N_("shift channel"),
    "announce_channel_id": N_("announcement channel"),
    "log_channel_id": N_("log channel"),
    "decision_rule": N_("default decision rule"),
    "decision_minutes": N_("default proposal length"),
    "reminder_offsets": N_("default shift reminders"),
    "language": N_("language"),
    "still_coming_minutes": N_('"still coming?" question'),
    "governance": N_("governance"),
    "names": N_("name privacy"),
    "retention_days": N_("retention"),
}


def setting_label(name: str) -> str:
    """A setting's label in the current language (its own name when it has none)."""
    label = SETTING_LABELS.get(name)
    return _(label) if label is not None else name


def setting_text(name: str, value: Any) -> str:
    if name == "still_coming_minutes":
        return _("{time} before", time=span(timedelta(minutes=value))) if value else _("off")
    if name == "governance":
        return _("the group, by proposal") if value == "group" else _("organisers (Manage Server)")
    if name == "names":
        return _("names only to those on the same shift") if value == "holders" else _("names shown")
    if name == "retention_days":
        return n_("names kept {count} day", "names kept {count} days", int(value))
    if name == "language":
        return LANGUAGES.get(value, str(value)) if value is not None else _("the server's Discord language")
    if value is None:
        return _("not set")
    if name.endswith("_channel_id"):
        return f"<#{value}>"
    if name == "decision_minutes":
        if value % 60 == 0:
            return n_("{count} h", "{count} h", value // 60)
        return n_("{count} min", "{count} min", value)
    return f"`{clip(str(value), 60)}`"


#: How a change of each setting reads in the record.
SETTING_CHANGES = {
    "timezone": N_("**{actor}** changed the time zone from {old} to {new}"),
    "shift_channel_id": N_("**{actor}** changed the shift channel from {old} to {new}"),
    "announce_channel_id": N_("**{actor}** changed the announcement channel from {old} to {new}"),
    "log_channel_id": N_("**{actor}** changed the log channel from {old} to {new}"),
    "decision_rule": N_("**{actor}** changed the default decision rule from {old} to {new}"),
    "decision_minutes": N_("**{actor}** changed the default proposal length from {old} to {new}"),
    "reminder_offsets": N_("**{actor}** changed the default shift reminders from {old} to {new}"),
    "language": N_("**{actor}** changed the language everyone reads from {old} to {new}"),
    "still_coming_minutes": N_('**{actor}** changed when holders are asked "still coming?" from {old} to {new}'),
}


def _actor(entry: AuditEntry) -> str:
    """Who did it (names are stored already escaped); Rota itself, a former member, or a member
    this reader may not see (`/setup privacy names:holders`)."""
    if entry.actor_id is None:
        return anonymous() if entry.actor_name == ANONYMISED_NAME else entry.actor_name
    return member_name(entry.actor_name, entry.actor_id)


def _named(value: object) -> str:
    """A member's name kept in an entry's details (no id with it): hidden whenever names are."""
    return anonymous() if names_hidden() else str(value)


def _setting_changed(entry: AuditEntry) -> str:
    old = setting_text(entry.subject, entry.detail.get("old"))
    new = setting_text(entry.subject, entry.detail.get("new"))
    if "proposal" in entry.detail:  # the group decided it: no one person changed it
        return _(
            "The group decided in proposal #{proposal}: the {setting} changed from {old} to {new}",
            proposal=entry.detail["proposal"],
            setting=setting_label(entry.subject),
            old=old,
            new=new,
        )
    message = SETTING_CHANGES.get(entry.subject)
    if message is None:
        # A setting without a sentence of its own: its label (its stored name if it has none).
        return _(
            "**{actor}** changed the {setting} from {old} to {new}",
            actor=_actor(entry),
            setting=setting_label(entry.subject),
            old=old,
            new=new,
        )
    return _(message, actor=_actor(entry), old=old, new=new)


NAME_KEYS = {"to", "from"}  # member names, stored already escaped


def _shift(message: str) -> Callable[[AuditEntry], str]:
    """A line about shift #`number` from a message marked with `N_`, the entry's details as its values."""

    def render(entry: AuditEntry) -> str:
        values: dict[str, object] = {k: _named(v) if k in NAME_KEYS else safe(str(v)) for k, v in entry.detail.items()}
        values.update(actor=_actor(entry), number=entry.subject)
        return _(message, **values)

    return render


def _shift_offered(entry: AuditEntry) -> str:
    where = safe(str(entry.detail.get("where", "")))
    starts = entry.detail.get("starts_at")
    if isinstance(starts, int):
        return _(
            "**{actor}** offered shift #{number} at {where}, {when}",
            actor=_actor(entry),
            number=entry.subject,
            where=where,
            when=ts(starts, "f"),
        )
    return _("**{actor}** offered shift #{number} at {where}", actor=_actor(entry), number=entry.subject, where=where)


def _shift_left(entry: AuditEntry) -> str:
    if entry.detail.get("late"):
        return _("**{actor}** left shift #{number} (less than a day before)", actor=_actor(entry), number=entry.subject)
    return _("**{actor}** left shift #{number}", actor=_actor(entry), number=entry.subject)


def _field_name(field: str) -> str:
    """A changed shift field as the record names it (English shows the stored field name)."""
    names = {
        "starts_at": p_("changed shift field", "starts_at"),
        "ends_at": p_("changed shift field", "ends_at"),
        "location": p_("changed shift field", "location"),
        "places": p_("changed shift field", "places"),
        "notes": p_("changed shift field", "notes"),
        "roles": p_("changed shift field", "roles"),
        "closes_at": p_("changed shift field", "closes_at"),
    }
    return names.get(field, field)


def _shift_edited(entry: AuditEntry) -> str:
    if not entry.detail:
        return _("**{actor}** changed shift #{number} (no change)", actor=_actor(entry), number=entry.subject)
    return _(
        "**{actor}** changed shift #{number} ({fields})",
        actor=_actor(entry),
        number=entry.subject,
        fields=join([_field_name(field) for field in sorted(entry.detail)], "unit"),
    )


def _weekday(index: int) -> str:
    """Monday (0) to Sunday (6), in the current language."""
    return str(get_day_names("wide", locale=babel_locale())[index])


def _when(entry: AuditEntry, key: str, style: str = "f") -> str:
    value = entry.detail.get(key)
    return ts(value, style) if isinstance(value, int) else "?"


def _rota_handover(entry: AuditEntry) -> str:
    to = entry.detail.get("to")
    until = _when(entry, "ends")
    if not to:
        return _(
            "**{actor}** found nobody available for the {rota} turn until {until}",
            actor=_actor(entry),
            rota=entry.subject,
            until=until,
        )
    return _(
        "**{actor}** handed the {rota} turn to {member} until {until}",
        actor=_actor(entry),
        rota=entry.subject,
        member=_named(to),
        until=until,
    )


def rota_settings_parts(detail: dict[str, Any]) -> list[str]:
    """A rota's changed settings as short phrases ("turns of 7 days", "hand-over on Monday")."""
    parts = []
    for key, value in sorted(detail.items()):
        if key == "turn_length_days":
            parts.append(n_("turns of {count} day", "turns of {count} days", int(value)))
        elif key == "anchor_weekday" and isinstance(value, int):
            parts.append(_("hand-over on {weekday}", weekday=_weekday(value)))
        elif key == "anchor_time":
            parts.append(_("at {time}", time=safe(str(value))))
        elif key == "role_id":
            parts.append(_("role <@&{role}>", role=value) if value else _("no role"))
    return parts


def _rota_settings(entry: AuditEntry) -> str:
    parts = rota_settings_parts(entry.detail)
    actor, rota = _actor(entry), entry.subject
    if "proposal" in entry.detail:  # the group decided it
        return _(
            "The group decided in proposal #{proposal}: the {rota} rota: {settings}",
            proposal=entry.detail["proposal"],
            rota=rota,
            settings=join(parts, "unit") if parts else _("added"),
        )
    if entry.action == "rota_created":
        if parts:
            return _(
                "**{actor}** added the {rota} rota: {settings}", actor=actor, rota=rota, settings=join(parts, "unit")
            )
        return _("**{actor}** added the {rota} rota", actor=actor, rota=rota)
    if parts:
        return _(
            "**{actor}** changed the {rota} rota: {settings}", actor=actor, rota=rota, settings=join(parts, "unit")
        )
    return _("**{actor}** changed the {rota} rota", actor=actor, rota=rota)


def _rota_joined(entry: AuditEntry) -> str:
    if entry.detail.get("rejoined"):
        return _("**{actor}** joined the {rota} rota again", actor=_actor(entry), rota=entry.subject)
    return _("**{actor}** joined the {rota} rota", actor=_actor(entry), rota=entry.subject)


def _rota_away(entry: AuditEntry) -> str:
    return _(
        "**{actor}** is away from the {rota} rota from {starts} until {ends}",
        actor=_actor(entry),
        rota=entry.subject,
        starts=_when(entry, "starts"),
        ends=_when(entry, "ends"),
    )


def _rota_passed(entry: AuditEntry) -> str:
    return _(
        "**{actor}** passed the {rota} turn of {day} on to {member}",
        actor=_actor(entry),
        rota=entry.subject,
        day=_when(entry, "starts", "d"),
        member=_named(entry.detail.get("to")),
    )


def _rota_swap(message: str) -> Callable[[AuditEntry], str]:
    """A line about a swap of turns from a message marked with `N_` (`{member}`: the other member)."""

    def render(entry: AuditEntry) -> str:
        return _(
            message,
            actor=_actor(entry),
            rota=entry.subject,
            member=_named(entry.detail.get("with")),
            requester=_named(entry.detail.get("from")),
        )

    return render


#: How each action reads in `/log` and the log channel: the whole line, the actor's name included
#: (`**{actor}** ...`, already escaped), so a translator can put it where the language wants it.
#: Features add theirs.
LINES: dict[str, Callable[[AuditEntry], str]] = {
    "setting_changed": _setting_changed,
    "shift_offered": _shift_offered,
    "shift_claimed": _shift(N_("**{actor}** took a place on shift #{number}")),
    "shift_waitlisted": _shift(N_("**{actor}** joined the waitlist of shift #{number}")),
    "shift_left": _shift_left,
    "shift_unwaitlisted": _shift(N_("**{actor}** left the waitlist of shift #{number}")),
    "shift_promoted": _shift(N_("**{actor}** moved up from the waitlist onto shift #{number}")),
    "shift_edited": _shift_edited,
    "shift_cancelled": _shift(N_("**{actor}** cancelled shift #{number}: {reason}")),
    "handoff_offered": _shift(N_("**{actor}** offered their place on shift #{number} to {to}")),
    "handoff_accepted": _shift(N_("**{actor}** accepted a place on shift #{number} from {from}")),
    "handoff_declined": _shift(N_("**{actor}** declined a place on shift #{number} from {from}")),
    "handoff_lapsed": _shift(
        N_("**{actor}** noted that an offer of a place on shift #{number} from {from} ended unanswered")
    ),
    "rota_joined": _rota_joined,
    "rota_left": lambda e: _("**{actor}** left the {rota} rota", actor=_actor(e), rota=e.subject),
    "rota_handover": _rota_handover,
    "rota_away": _rota_away,
    "rota_back": lambda e: _("**{actor}** is available again in the {rota} rota", actor=_actor(e), rota=e.subject),
    "rota_passed": _rota_passed,
    "rota_swap_offered": _rota_swap(N_("**{actor}** offered {member} a swap of {rota} turns")),
    "rota_swapped": _rota_swap(N_("**{actor}** swapped {rota} turns with {member}")),
    "rota_swap_declined": _rota_swap(N_("**{actor}** declined a swap of {rota} turns with {member}")),
    "rota_swap_lapsed": _rota_swap(
        N_("**{actor}** noted that a swap of {rota} turns between {requester} and {member} ended unanswered")
    ),
    "rota_created": _rota_settings,
    "rota_configured": _rota_settings,
    "data_deleted": lambda e: _("**{actor}** removed their personal data", actor=_actor(e)),
    "member_left": lambda e: _(
        "**{actor}** left the server; their future places went to the waitlist", actor=_actor(e)
    ),
}

#: The older form, still honoured: only the words after the actor's name (which then always comes
#: first, whatever the language). Prefer `LINES`.
RENDERERS: dict[str, Callable[[AuditEntry], str]] = {}


def describe(entry: AuditEntry) -> str:
    line = LINES.get(entry.action)
    if line is not None:
        return line(entry)
    render = RENDERERS.get(entry.action)
    # An action nothing words (yet): its stored name, which no catalogue translates.
    what = render(entry) if render else f"{entry.action.replace('_', ' ')} {clip(entry.subject, 80)}".strip()
    return _("**{actor}** {what}", actor=_actor(entry), what=what)


def audit_line(entry: AuditEntry) -> str:
    return f"{ts(entry.created_at, 'R')} {describe(entry)}"
