"""Who may change the group's settings, who may see whose name, and how long names are kept.

Three settings a group chooses for itself (issue 16). They are pure rules so that one function
answers each question for every command, card and job:

- `settings_route`: is a `/setup` change applied now, or does it become a proposal the group decides?
- `may_see_name`: may this reader see this member's name (or mention)?
- `validate_retention_days` / `retention_cutoff`: what the daily retention job anonymises.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import RotaError
from bot.domain.members import Actor
from bot.domain.settings import MissingPermission


class Governance(enum.Enum):
    """Who changes settings: organisers (Manage Server, at once, logged) or the whole group (by proposal)."""

    ORGANISERS = "organisers"
    GROUP = "group"


class Names(enum.Enum):
    """Whose names public messages show: everyone's, or nobody's (holders see each other privately)."""

    SHOWN = "shown"
    HOLDERS = "holders"


class Route(enum.Enum):
    """What happens to a requested settings change."""

    APPLY = "apply"
    PROPOSE = "propose"


def settings_route(governance: str, actor: Actor) -> Route:
    """The one rule for "apply now or propose".

    Under `organisers` a member with Manage Server changes settings at once (moving to `group`
    included: power flows toward the group easily). Everyone else, and everyone under `group`
    (admins included, and moving back to `organisers`), opens a proposal the group decides.
    """
    if Governance(governance) is Governance.ORGANISERS and actor.manage_guild:
        return Route.APPLY
    return Route.PROPOSE


@dataclass(eq=False)
class DecidedByGroup(RotaError):
    """Under `group` governance this setting is changed by a proposal, not directly (`setting` names it)."""

    setting: str


def ensure_may_apply(governance: str, actor: Actor, setting: str) -> None:
    """For changes that cannot become a proposal: refuse unless `settings_route` says apply."""
    if settings_route(governance, actor) is Route.APPLY:
        return
    if Governance(governance) is Governance.GROUP:
        raise DecidedByGroup(setting)
    raise MissingPermission("Manage Server")


def may_see_name(names: str, *, reader_id: int | None, subject_id: int | None, shares_with: frozenset[int]) -> bool:
    """The one rule for names. With `shown` everyone sees every name. With `holders` a public
    message (`reader_id` None) names nobody; a reader sees their own name and the names of
    `shares_with` (the people they hold a shift with), and nobody else's."""
    if Names(names) is Names.SHOWN:
        return True
    if reader_id is None or subject_id is None:
        return False
    return subject_id == reader_id or (reader_id in shares_with and subject_id in shares_with)


@dataclass(eq=False)
class OthersNotShown(RotaError):
    """Under `names: holders` a member cannot pick out another member's record (`/log member:`)."""


def ensure_may_follow(names: str, reader_id: int, member_id: int) -> None:
    """Filtering the record by a member says what they did, whatever the lines call them."""
    if not may_see_name(names, reader_id=reader_id, subject_id=member_id, shares_with=frozenset()):
        raise OthersNotShown()


#: How an anonymised record names the member (stored language-neutral; the UI words it when shown).
ANONYMISED_NAME = "a member"
RETENTION_MIN_DAYS = 1
RETENTION_MAX_DAYS = 3650


@dataclass(eq=False)
class BadRetention(RotaError):
    """A retention outside `low`..`high` days."""

    days: int
    low: int
    high: int


def validate_retention_days(days: int) -> int:
    if not RETENTION_MIN_DAYS <= days <= RETENTION_MAX_DAYS:
        raise BadRetention(days, RETENTION_MIN_DAYS, RETENTION_MAX_DAYS)
    return days


def retention_cutoff(now: datetime, days: int) -> datetime:
    """Records that ended (a shift), closed (a proposal) or were written (a log entry) before this
    are anonymised; a record exactly `days` old is kept until the next run."""
    return now - timedelta(days=days)
