"""/setup's rules in the service layer: who may change what, validation, and the audit trail."""

from __future__ import annotations

import pytest

from bot.domain.errors import BadDeadline, BadDuration, BadReminderOffset
from bot.domain.settings import (
    MissingPermission,
    NothingToChange,
    UnknownTimezone,
    validate_decision_minutes,
    validate_reminder_offsets,
    validate_rule,
    validate_timezone,
)
from bot.services import Services

from .conftest import GUILD, OTHER_GUILD, member


async def test_defaults_before_anything_is_set(services: Services) -> None:
    current = await services.settings.get(GUILD)
    assert current.timezone == "UTC" and current.decision_rule == "consent" and current.decision_minutes == 2880


async def test_a_change_needs_manage_server_and_changes_nothing_otherwise(services: Services) -> None:
    with pytest.raises(MissingPermission):
        await services.settings.change(GUILD, member(1), {"timezone": "Europe/London"})
    assert (await services.settings.get(GUILD)).timezone == "UTC"
    assert await services.db.fetchval("SELECT COUNT(*) FROM audit_log") == 0


async def test_each_real_change_is_audited_and_kept_per_server(services: Services) -> None:
    admin = member(1, admin=True)
    done = await services.settings.change(GUILD, admin, {"timezone": "Europe/London", "decision_rule": "consent"})
    assert [c.name for c in done] == ["timezone"]  # consent was already the rule
    assert (await services.settings.get(GUILD)).timezone == "Europe/London"
    assert (await services.settings.get(OTHER_GUILD)).timezone == "UTC"
    rows = await services.db.fetchall("SELECT actor_id, kind, subject, detail FROM audit_log")
    assert [(r["actor_id"], r["kind"], r["subject"]) for r in rows] == [(admin.user_id, "settings", "timezone")]
    with pytest.raises(NothingToChange):
        await services.settings.change(GUILD, admin, {})


def test_validation_of_each_setting() -> None:
    assert validate_timezone(" Europe/London ") == "Europe/London"
    for bad in ("Mars/Olympus", "", "../../etc/passwd", "x" * 500):
        with pytest.raises(UnknownTimezone):
            validate_timezone(bad)
    assert validate_decision_minutes("48h") == 2880
    with pytest.raises(BadDeadline):
        validate_decision_minutes("5m")
    with pytest.raises(BadDeadline):
        validate_decision_minutes("90d")
    with pytest.raises(BadDuration):
        validate_decision_minutes("soon")
    assert validate_rule("majority") == "majority"
    with pytest.raises(ValueError):
        validate_rule("dictator")
    assert validate_reminder_offsets("24h, 1h") == "1440m,60m"
    assert validate_reminder_offsets("off") == "off"
    with pytest.raises(BadReminderOffset):
        validate_reminder_offsets("30d")
