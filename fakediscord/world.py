"""The fake Discord's state: guilds, channels, roles, members, messages, interactions.

The entity classes are in entities.py and Discord's numbers in constants.py; here is `World`, which
holds them all, plus the `Violation` records of what the bot did wrong.

Why one object: tests set up a scene and later inspect it, while the server thread mutates the same
objects. Everything is guarded by one re-entrant lock, and a condition on it wakes driver calls that
wait for the bot to answer.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .constants import (
    BOT_DEFAULT,
    DISCORD_EPOCH_MS,
    EVERYONE_DEFAULT,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    PRIVATE_THREAD,
)
from .entities import Attachment, Channel, Guild, Interaction, Member, Message, Overwrite, Role, User
from .gateway import shard_of


@dataclass
class Violation:
    """Something the bot did that real Discord would reject or that harms users."""

    kind: str
    detail: str
    route: str = ""

    def __str__(self) -> str:
        where = f" [{self.route}]" if self.route else ""
        return f"{self.kind}{where}: {self.detail}"


class World:
    """Everything the fake Discord knows. Tests build scenes here and read results back."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.clock_offset = 0.0
        self._last_snowflake = 0
        self._counter = itertools.count()
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.all_messages: dict[int, Message] = {}
        self.interactions: dict[int, Interaction] = {}
        self.ephemeral_messages: dict[int, Message] = {}  # reachable only through interactions
        self.uploads: dict[int, Attachment] = {}  # files members attached to command options
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.violations: list[Violation] = []
        self.rate_limited: list[str] = []  # "METHOD /path" for every 429 served
        self.pings: list[dict[str, Any]] = []  # every message that would notify someone
        self.pings_are_violations = True
        self.fail_on_429 = False
        self.requests: list[str] = []  # "METHOD /path" for every REST call, in order
        self.injected_429: dict[tuple[str, str], list[float]] = {}
        self.attachment_base = ""
        # Set by the server: called under the lock with (event name, payload, guild id or None, intent).
        self.dispatcher: Callable[[str, dict[str, Any], int | None, int], None] | None = None
        self.bot_user = self.add_user("Rota", bot=True)
        self.application_id = self.bot_user.id

    # -- time and ids ----------------------------------------------------------------------------
    def now(self) -> float:
        """The fake's clock: real time plus whatever the test has advanced it by."""
        return time.time() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset += seconds

    def snowflake(self) -> int:
        """A new unique id whose timestamp is the fake's clock, like Discord's ids."""
        with self.lock:
            ms = int(self.now() * 1000) - DISCORD_EPOCH_MS
            value = (ms << 22) | (next(self._counter) & 0xFFF)
            if value <= self._last_snowflake:
                value = self._last_snowflake + 1
            self._last_snowflake = value
            return value

    # -- building a scene ------------------------------------------------------------------------
    def add_user(self, name: str, *, bot: bool = False, dms_closed: bool = False) -> User:
        with self.lock:
            user = User(
                self, self.snowflake(), name, bot=bot, global_name=None if bot else name.title(), dms_closed=dms_closed
            )
            self.users[user.id] = user
            return user

    def add_guild(
        self, name: str, *, bot_permissions: int = BOT_DEFAULT, owner: str = "owner", bot_in_guild: bool = True
    ) -> Guild:
        """A server with @everyone, #general, its owner and (by default) the bot, which is told live.

        `bot_permissions` are the bot's effective server-wide permissions (its role carries them; if
        they are fewer than @everyone's defaults, @everyone is restricted to match)."""
        with self.lock:
            owner_user = self.add_user(f"{owner}-{name.lower().replace(' ', '-')}")
            guild = Guild(self, self.snowflake(), name, owner_user.id, joined_at=self.now())
            guild.roles[guild.id] = Role(guild, guild.id, "@everyone", permissions=EVERYONE_DEFAULT)
            self.guilds[guild.id] = guild
            guild.add_text_channel("general")
            guild.members[owner_user.id] = Member(guild, owner_user, joined_at=self.now())
            if bot_in_guild:
                self.invite_bot(guild, bot_permissions)
            return guild

    def invite_bot(self, guild: Guild, bot_permissions: int = BOT_DEFAULT) -> None:
        """The bot joins: it gets its managed role on top, and GUILD_CREATE if connected."""
        with self.lock:
            top = max((r.position for r in guild.roles.values()), default=0)
            role = Role(
                guild,
                self.snowflake(),
                self.bot_user.username,
                permissions=bot_permissions,
                position=top + 1,
                managed=True,
                bot_id=self.bot_user.id,
            )
            guild.roles[role.id] = role
            # bot_permissions are the bot's effective permissions: @everyone must not grant more.
            guild.everyone.permissions &= EVERYONE_DEFAULT & bot_permissions | ~EVERYONE_DEFAULT
            guild.members[self.bot_user.id] = Member(guild, self.bot_user, [role.id], joined_at=self.now())
            guild.joined_at = self.now()
            guild.live = True
            if self.dispatcher is not None:
                self.dispatcher("GUILD_CREATE", {"__guild__": guild.id}, guild.id, 0)

    def add_guild_on_shard(self, name: str, shard: int, shard_count: int) -> Guild:
        """A server with the bot whose id Discord routes to `shard` (ids follow the clock: a few
        servers may be made without the bot before one fits)."""
        while True:
            guild = self.add_guild(name, bot_in_guild=False)
            if shard_of(guild.id, shard_count) == shard:
                self.invite_bot(guild)
                return guild

    def remove_bot(self, guild: Guild) -> None:
        """The bot is kicked: GUILD_DELETE (without `unavailable`, which would mean an outage)."""
        with self.lock:
            if self.dispatcher is not None and guild.live:
                self.dispatcher("GUILD_DELETE", {"id": str(guild.id)}, guild.id, 0)
            guild.members.pop(self.bot_user.id, None)
            for role in [r for r in guild.roles.values() if r.bot_id == self.bot_user.id]:
                del guild.roles[role.id]
            guild.live = False

    def post(self, channel: Channel, author: Member | User, content: str) -> Message:
        """A person writes in a channel (MESSAGE_CREATE, with the intents that carry it)."""
        with self.lock:
            user = author.user if isinstance(author, Member) else author
            msg = Message(self, self.snowflake(), channel.id, user, content=content, guild_id=channel.guild_id)
            msg.mention_user_ids = [int(u) for u in re.findall(r"<@!?(\d+)>", content)]
            self.all_messages[msg.id] = msg
            channel.last_message_id = msg.id
            if self.dispatcher is not None:
                data = msg.to_json()
                if isinstance(author, Member):
                    data["member"] = author.to_json(with_user=False)
                intent = INTENT_GUILD_MESSAGES if channel.guild_id else INTENT_DIRECT_MESSAGES
                self.dispatcher("MESSAGE_CREATE", data, channel.guild_id, intent)
            self.notify()
            return msg

    def delete_message(self, message: Message) -> None:
        """A moderator deletes a message (MESSAGE_DELETE, for bots with the message intents). As on
        Discord, a thread started from it stays (orphaned), and editing the message answers 10008."""
        with self.lock:
            message.deleted = True
            chan = self.channels.get(message.channel_id)
            if chan is not None:
                chan.message_count = max(0, chan.message_count - 1)
            if self.dispatcher is not None:
                data = {"id": str(message.id), "channel_id": str(message.channel_id)}
                if message.guild_id:
                    data["guild_id"] = str(message.guild_id)
                intent = INTENT_GUILD_MESSAGES if message.guild_id else INTENT_DIRECT_MESSAGES
                self.dispatcher("MESSAGE_DELETE", data, message.guild_id, intent)
            self.notify()

    def delete_channel(self, channel: Channel) -> None:
        """A moderator deletes a channel with its threads and messages (THREAD_DELETE, CHANNEL_DELETE);
        every later request naming it answers 10003 (Unknown Channel)."""
        with self.lock:
            guild = channel.guild
            for thread in [channel, *channel.threads]:
                for msg in self.all_messages.values():
                    if msg.channel_id == thread.id:
                        msg.deleted = True
                data = thread.to_json()
                self.channels.pop(thread.id, None)
                if guild is None:
                    continue
                if thread.id in guild.channel_ids:
                    guild.channel_ids.remove(thread.id)
                if thread.is_thread:
                    data = {k: data[k] for k in ("id", "guild_id", "parent_id", "type")}
                self._dispatch_guild("THREAD_DELETE" if thread.is_thread else "CHANNEL_DELETE", guild, data)
            self.notify()

    def archive_thread(self, thread: Channel, *, locked: bool = False) -> None:
        """The thread archives itself after its auto-archive time (or a moderator archives it, and
        with `locked` locks it): THREAD_UPDATE. Discord then refuses to add or remove its members
        (50083), and only someone with Manage Threads may unarchive a locked one (160005)."""
        with self.lock:
            assert thread.is_thread, thread
            thread.archived = True
            thread.locked = thread.locked or locked
            guild = thread.guild
            if guild is not None:
                self._dispatch_guild("THREAD_UPDATE", guild, thread.to_json())
            self.notify()

    def set_overwrite(self, channel: Channel, target: Role | Member, *, allow: int = 0, deny: int = 0) -> None:
        """A moderator edits a channel's permissions for a role or member (CHANNEL_UPDATE); allow and
        deny both 0 removes the overwrite. The bot's requests there, and the `app_permissions` of
        interactions from there, follow the result."""
        with self.lock:
            kind = 1 if isinstance(target, Member) else 0
            channel.overwrites = [o for o in channel.overwrites if o.id != target.id]
            if allow or deny:
                channel.overwrites.append(Overwrite(target.id, kind, allow, deny))
            guild = channel.guild
            if guild is not None:
                self._dispatch_guild("CHANNEL_UPDATE", guild, channel.to_json())
            self.notify()

    def delete_role(self, role: Role) -> None:
        """A moderator deletes a role: it leaves every member and overwrite (GUILD_ROLE_DELETE), and
        every later request naming it answers 10011 (Unknown Role)."""
        with self.lock:
            guild = role.guild
            assert not role.is_everyone and not role.managed, role
            guild.roles.pop(role.id, None)
            for member in guild.members.values():
                if role.id in member.role_ids:
                    member.role_ids.remove(role.id)
            for chan in guild.channels:
                chan.overwrites = [o for o in chan.overwrites if o.id != role.id]
            self._dispatch_guild("GUILD_ROLE_DELETE", guild, {"guild_id": str(guild.id), "role_id": str(role.id)})
            self.notify()

    # -- reading results -------------------------------------------------------------------------
    def messages(self, channel: Channel | Message) -> list[Message]:
        """A channel's (or a thread's) messages, oldest first, latest state; never ephemeral ones."""
        chan_id = channel.id
        with self.lock:
            return [m for m in self.all_messages.values() if m.channel_id == chan_id and not m.deleted]

    def messages_seen_by(self, channel: Channel | Message, member: Member) -> list[Message]:
        """A channel's messages as `member` sees them: a private thread they were not added to
        (and cannot moderate) shows them nothing, as in Discord."""
        chan = self.channels.get(channel.id)
        if chan is not None and not chan.visible_to(member):
            return []
        return self.messages(channel)

    def public_messages(self, guild: Guild) -> list[Message]:
        """Every message any member of `guild` can read: its channels and public threads, never a
        private thread, a DM or an ephemeral answer."""
        with self.lock:
            places = {c.id for c in self.channels.values() if c.guild_id == guild.id and c.type != PRIVATE_THREAD}
            return [m for m in self.all_messages.values() if m.channel_id in places and not m.ephemeral]

    def dms(self, user: User | Member) -> list[Message]:
        """Messages the bot sent this person by DM."""
        uid = user.id
        with self.lock:
            u = self.users[uid]
            if u.dm_channel_id is None:
                return []
            return [m for m in self.messages(self.channels[u.dm_channel_id]) if m.author.id == self.bot_user.id]

    def threads(self, of: Channel | Message) -> list[Channel]:
        """Threads started from a message, or under a channel."""
        with self.lock:
            if isinstance(of, Message):
                thread = of.thread
                return [thread] if thread else []
            return of.threads

    def record(self, kind: str, detail: str, route: str = "") -> None:
        with self.lock:
            self.violations.append(Violation(kind, detail, route))

    def drain_violations(self) -> list[Violation]:
        """Take (and clear) the violations so far: for tests that provoke them on purpose."""
        with self.lock:
            out, self.violations = self.violations, []
            return out

    def allow_pings(self) -> None:
        """This test expects the bot to ping people: record pings in `world.pings` only."""
        self.pings_are_violations = False

    def inject_429(self, method: str, path_template: str, times: int = 1, retry_after: float = 0.1) -> None:
        """The next `times` calls of a route (spec template, e.g. /channels/{channel_id}/messages) get 429."""
        with self.lock:
            self.injected_429.setdefault((method.upper(), path_template), []).extend([retry_after] * times)

    def wait_until(self, predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
        """Block the test until the predicate (checked under the lock) is truthy."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                result = predicate()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}")
                self.changed.wait(min(left, 0.05))

    def notify(self) -> None:
        with self.changed:
            self.changed.notify_all()

    # -- dispatch helpers ------------------------------------------------------------------------
    def _dispatch_guild(self, event: str, guild: Guild, payload: dict[str, Any], intent: int = 0) -> None:
        if self.dispatcher is not None and guild.live:
            self.dispatcher(event, payload, guild.id, intent)

    def _member_updated(self, member: Member) -> None:
        payload = {"guild_id": str(member.guild.id), **member.to_json()}
        self._dispatch_guild("GUILD_MEMBER_UPDATE", member.guild, payload, intent=INTENT_GUILD_MEMBERS)
        self.notify()
