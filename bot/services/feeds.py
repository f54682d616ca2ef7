"""Calendar subscription links and the feeds behind them.

A link's token is random (`secrets.token_urlsafe`, 256 bits); only its SHA-256 is stored, so the
link is shown once, when it is made, and a member who lost it makes a new one (which kills the old
one in the same statement). A token is looked up by its hash and the hashes compared in constant
time. Each member has one link per kind in each server: 'mine' (their own shifts) and 'group' (the
server's shifts with open places, counts only), so each is theirs to revoke and `/mydata delete`
removes both.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.clock import Clock
from bot.domain.records import Shift
from bot.domain.roles import Role
from bot.services.shifts import ShiftService
from bot.store import feeds as feed_rows
from bot.store import shifts as shift_rows
from bot.store.database import Database
from bot.store.feeds import FeedRow

MINE = "mine"
GROUP = "group"
TOKEN_BYTES = 32  # 256 bits of randomness, 43 URL-safe characters
#: What a token can look like; anything else is refused before touching the database.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
GROUP_DAYS = 90  # how far ahead the group feed looks


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A member's link: the new token, or None when it already existed (only its hash is kept)."""

    token: str | None
    made_at: datetime


@dataclass(frozen=True, slots=True)
class Feed:
    """What a feed shows: the shifts, the member's role on each (personal), each shift's roles (group)."""

    owner: FeedRow
    shifts: list[Shift]
    held: dict[int, str] = field(default_factory=dict)
    waiting: set[int] = field(default_factory=set)
    roles: dict[int, tuple[Role, ...]] = field(default_factory=dict)


class FeedService:
    def __init__(self, db: Database, clock: Clock, shifts: ShiftService) -> None:
        self.db = db
        self.clock = clock
        self.shifts = shifts

    async def link(self, guild_id: int, user_id: int, kind: str, *, reset: bool = False) -> FeedLink:
        """The member's link of this kind: made now if they have none (or `reset`, which kills the old one)."""
        if not reset:
            made = await feed_rows.made_at(self.db, guild_id, user_id, kind)
            if made is not None:
                return FeedLink(None, datetime.fromtimestamp(made, UTC))
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self.clock.now()
        async with self.db.transaction() as tx:
            await feed_rows.replace(tx, guild_id, user_id, kind, token_hash(token), at=now.timestamp())
        return FeedLink(token, now)

    async def owner(self, token: str) -> FeedRow | None:
        """Whose link this is; None for a wrong or revoked token (the caller reveals nothing more)."""
        if not _TOKEN_SHAPE.fullmatch(token):
            return None
        digest = token_hash(token)
        row = await feed_rows.by_hash(self.db, digest)
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        return row

    async def feed(self, owner: FeedRow) -> Feed:
        if owner.kind == MINE:
            shifts = await self.shifts.calendar(owner.guild_id, owner.user_id)
            held = await self.shifts.roles_held(owner.user_id, shifts)
            return Feed(owner, shifts, held=held, waiting=await self.shifts.waiting_on(owner.user_id, shifts))
        now = self.clock.now()
        found = await shift_rows.upcoming(self.db, owner.guild_id, start=now, end=now + timedelta(days=GROUP_DAYS))
        open_shifts = [s for s in found if s.free > 0 and (s.closes_at is None or s.closes_at > now)]
        return Feed(owner, open_shifts, roles=await self.shifts.roles_of(open_shifts))
