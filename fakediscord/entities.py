"""The things the fake Discord holds: users, guilds with their roles and members, channels (threads
and DMs too), messages with their attachments, and interactions.

Why apart from `World`: each entity knows its own JSON shape (`to_json`, as Discord sends it) and what
a test reads from it (`text`, `buttons`, `has_role`...), while `World` owns the collections, ids, the
clock and dispatching. An entity reaches the world, and its lock, through its `world` or `guild`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .constants import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    DISCORD_EPOCH_MS,
    DM,
    EPHEMERAL,
    EVERYONE_DEFAULT,
    GUILD_TEXT,
    INTENT_GUILD_MEMBERS,
    LOADING,
    MANAGE_GUILD,
    MANAGE_THREADS,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    VIEW_CHANNEL,
)

if TYPE_CHECKING:
    from .world import World


def iso(ts: float) -> str:
    """Discord's ISO 8601 timestamp for a UNIX time."""
    return datetime.fromtimestamp(ts, UTC).isoformat()


def snowflake_time(snowflake: int) -> float:
    return ((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000


@dataclass(eq=False)
class User:
    world: World
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None
    dms_closed: bool = False
    dm_channel_id: int | None = None
    locale: str = "en-US"  # their Discord client's language, sent with each interaction

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }

    def __repr__(self) -> str:
        return f"<User {self.username} {self.id}>"


@dataclass(eq=False)
class Role:
    guild: Guild
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    mentionable: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    @property
    def is_everyone(self) -> bool:
        return self.id == self.guild.id

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data

    def __repr__(self) -> str:
        return f"<Role {self.name} {self.id}>"


@dataclass(eq=False)
class Member:
    guild: Guild
    user: User
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: float = 0.0

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def mention(self) -> str:
        return self.user.mention

    @property
    def dms_closed(self) -> bool:
        return self.user.dms_closed

    @dms_closed.setter
    def dms_closed(self, value: bool) -> None:
        self.user.dms_closed = value

    @property
    def roles(self) -> list[Role]:
        """The member's roles (without @everyone), read under the world lock."""
        with self.guild.world.lock:
            return [self.guild.roles[r] for r in self.role_ids if r in self.guild.roles]

    @property
    def role_names(self) -> list[str]:
        return [r.name for r in self.roles]

    def has_role(self, role: Role | str) -> bool:
        name = role if isinstance(role, str) else role.name
        return name in self.role_names

    @property
    def permissions(self) -> int:
        """Guild-level permissions: @everyone plus every role, everything for admins and owners."""
        with self.guild.world.lock:
            if self.guild.owner_id == self.id:
                return ALL_PERMISSIONS
            perms = self.guild.everyone.permissions
            for role in self.roles:
                perms |= role.permissions
            return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def permissions_in(self, channel: Channel) -> int:
        """Effective permissions in a channel, by Discord's rule: the guild-level permissions, then the
        channel's overwrites for @everyone, then for all the member's roles together, then for the
        member. A thread follows its parent's overwrites. Without View Channel nothing else is left."""
        with self.guild.world.lock:
            perms = self.permissions
            if perms == ALL_PERMISSIONS and (self.guild.owner_id == self.id or perms & ADMINISTRATOR):
                return ALL_PERMISSIONS
            source = channel
            if channel.is_thread and channel.parent_id is not None:
                source = self.guild.world.channels.get(channel.parent_id, channel)
            by_id = {o.id: o for o in source.overwrites}
            everyone = by_id.get(self.guild.id)
            if everyone is not None:
                perms = perms & ~everyone.deny | everyone.allow
            allow = deny = 0
            for role_id in self.role_ids:
                o = by_id.get(role_id)
                if o is not None and o.type == 0:
                    allow |= o.allow
                    deny |= o.deny
            perms = perms & ~deny | allow
            mine = by_id.get(self.id)
            if mine is not None and mine.type == 1:
                perms = perms & ~mine.deny | mine.allow
            return perms if perms & VIEW_CHANNEL else 0

    @property
    def top_position(self) -> int:
        return max([r.position for r in self.roles] + [0])

    def add_role(self, role: Role) -> None:
        """Give a role as a human admin would (dispatches GUILD_MEMBER_UPDATE)."""
        with self.guild.world.lock:
            if role.id not in self.role_ids:
                self.role_ids.append(role.id)
            self.guild.world._member_updated(self)

    def remove_role(self, role: Role) -> None:
        with self.guild.world.lock:
            if role.id in self.role_ids:
                self.role_ids.remove(role.id)
            self.guild.world._member_updated(self)

    def to_json(self, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.to_json()
        return data

    def __repr__(self) -> str:
        return f"<Member {self.user.username} of {self.guild.name}>"


@dataclass
class Overwrite:
    """A channel's permission overwrite for a role (type 0) or a member (type 1)."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass(eq=False)
class Channel:
    world: World
    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    parent_id: int | None = None
    position: int = 0
    owner_id: int | None = None
    recipient_id: int | None = None
    thread_member_ids: list[int] = field(default_factory=list)
    created_at: float = 0.0
    auto_archive_duration: int = 1440
    last_message_id: int | None = None
    message_count: int = 0
    archived: bool = False
    locked: bool = False
    overwrites: list[Overwrite] = field(default_factory=list)
    invitable: bool = True  # a private thread: whether its non-moderator members may add others

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def visible_to(self, member: Member | User) -> bool:
        """Discord: a private thread is seen only by the members added to it and by those with
        Manage Threads; every other channel here is seen by every member of its server."""
        if self.type != PRIVATE_THREAD:
            return True
        if member.id in self.thread_member_ids:
            return True
        return isinstance(member, Member) and bool(member.permissions & MANAGE_THREADS)

    @property
    def is_thread(self) -> bool:
        return self.type in (PUBLIC_THREAD, PRIVATE_THREAD)

    @property
    def guild(self) -> Guild | None:
        return self.world.guilds.get(self.guild_id) if self.guild_id else None

    @property
    def thread_members(self) -> list[User]:
        with self.world.lock:
            return [self.world.users[u] for u in self.thread_member_ids if u in self.world.users]

    @property
    def threads(self) -> list[Channel]:
        """Threads whose parent is this channel, oldest first."""
        with self.world.lock:
            return [c for c in self.world.channels.values() if c.parent_id == self.id and c.is_thread]

    def to_json(self) -> dict[str, Any]:
        if self.type == DM:
            recipient = self.world.users[self.recipient_id] if self.recipient_id else None
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": str(self.last_message_id) if self.last_message_id else None,
                "recipients": [recipient.to_json()] if recipient else [],
                "flags": 0,
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "last_message_id": str(self.last_message_id) if self.last_message_id else None,
            "rate_limit_per_user": 0,
            "flags": 0,
            "nsfw": False,
        }
        if self.is_thread:
            data.update(
                owner_id=str(self.owner_id) if self.owner_id else None,
                message_count=self.message_count,
                total_message_sent=self.message_count,
                member_count=len(self.thread_member_ids),
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": iso(self.created_at),
                    "locked": self.locked,
                    "invitable": self.invitable,
                    "create_timestamp": iso(self.created_at),
                },
            )
        else:
            data.update(
                position=self.position,
                permission_overwrites=[o.to_json() for o in self.overwrites],
                topic=None,
                default_thread_rate_limit_per_user=0,
            )
        return data

    def __repr__(self) -> str:
        return f"<Channel {self.name or self.type} {self.id}>"


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None
    url: str = ""

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description:
            data["description"] = self.description
        return data


@dataclass(eq=False)
class Message:
    world: World
    id: int
    channel_id: int
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    guild_id: int | None = None
    edited_at: float | None = None
    interaction_id: int | None = None
    webhook_id: int | None = None
    reference_id: int | None = None
    mention_user_ids: list[int] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    deleted: bool = False
    edits: int = 0
    nonce: str | None = None

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    @property
    def created_at(self) -> float:
        return snowflake_time(self.id)

    @property
    def channel(self) -> Channel:
        return self.world.channels[self.channel_id]

    @property
    def embed(self) -> dict[str, Any] | None:
        return self.embeds[0] if self.embeds else None

    @property
    def thread(self) -> Channel | None:
        """The thread started from this message (Discord gives it the message's id)."""
        chan = self.world.channels.get(self.id)
        return chan if chan is not None and chan.is_thread else None

    def walk_components(self) -> list[dict[str, Any]]:
        return list(walk_components(self.components))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in self.walk_components() if c.get("type") == 2]

    @property
    def text(self) -> str:
        """Everything a reader sees as text: content, embeds, text displays; handy for asserts."""
        parts = [self.content]
        for e in self.embeds:
            parts += [e.get("title", ""), e.get("description", "")]
            parts += [(e.get("author") or {}).get("name", ""), (e.get("footer") or {}).get("text", "")]
            for f in e.get("fields", []) or []:
                parts += [f.get("name", ""), f.get("value", "")]
        for c in self.walk_components():
            if c.get("type") == 10:
                parts.append(c.get("content", ""))
        return "\n".join(p for p in parts if p)

    def to_json(self) -> dict[str, Any]:
        world = self.world
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "channel_id": str(self.channel_id),
            "author": self.author.to_json(),
            "content": self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": iso(self.edited_at) if self.edited_at else None,
            "tts": False,
            "mention_everyone": self.mention_everyone,
            "mentions": [world.users[u].to_json() for u in self.mention_user_ids if u in world.users],
            "mention_roles": [str(r) for r in self.mention_role_ids],
            "attachments": [a.to_json() for a in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "flags": self.flags,
        }
        if self.guild_id:
            data["guild_id"] = str(self.guild_id)
        if self.webhook_id:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(world.application_id)
        if self.interaction_id and self.interaction_id in world.interactions:
            inter = world.interactions[self.interaction_id]
            data["interaction_metadata"] = {
                "id": str(inter.id),
                "type": inter.type,
                "user": inter.user.to_json(),
                "authorizing_integration_owners": {"0": str(inter.guild_id)} if inter.guild_id else {},
            }
        if self.reference_id:
            data["message_reference"] = {
                "type": 0,
                "message_id": str(self.reference_id),
                "channel_id": str(self.channel_id),
            }
        thread = world.channels.get(self.id)
        if thread is not None and thread.is_thread:
            data["thread"] = thread.to_json()
        return data

    def __repr__(self) -> str:
        return f"<Message {self.id} by {self.author.username}: {self.text[:60]!r}>"


def walk_components(components: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Every component, depth first, through rows, containers, sections and labels."""
    for comp in components or []:
        yield comp
        yield from walk_components(comp.get("components") or [])
        if isinstance(comp.get("accessory"), dict):
            yield comp["accessory"]
        if isinstance(comp.get("component"), dict):
            yield from walk_components([comp["component"]])


@dataclass(eq=False)
class Interaction:
    """One interaction the driver sent, and everything the bot answered to it."""

    world: World
    id: int
    token: str
    type: int
    user: User
    channel_id: int
    guild_id: int | None
    data: dict[str, Any]
    sent_at: float  # time.monotonic() when dispatched
    message_id: int | None = None  # the component's message, for clicks and modals from buttons
    response_type: int | None = None
    responded_at: float | None = None
    original_id: int | None = None  # the response's own message (or the clicked one for 6/7)
    ephemeral_original: Message | None = None
    modal: dict[str, Any] | None = None
    choices: list[dict[str, Any]] | None = None
    followup_ids: list[int] = field(default_factory=list)
    ephemeral_followups: dict[int, Message] = field(default_factory=dict)
    deferred_done: bool = False
    webhook_actions: int = 0
    payload: dict[str, Any] = field(default_factory=dict)  # the INTERACTION_CREATE body

    created_wall: float = 0.0  # the fake's clock at creation: tokens last 15 minutes of it

    @property
    def expired(self) -> bool:
        return self.world.now() - self.created_wall > 15 * 60

    def find_message(self, message_id: int) -> Message | None:
        """A message by id, ephemeral ones included (they live outside any channel)."""
        world = self.world
        return world.all_messages.get(message_id) or world.ephemeral_messages.get(message_id)


@dataclass(eq=False)
class Guild:
    world: World
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    joined_at: float = 0.0
    live: bool = False  # the bot has been told about it (READY or GUILD_CREATE)
    preferred_locale: str = "en-US"  # a Community server's chosen language (Discord's default en-US)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    @property
    def bot_member(self) -> Member:
        return self.members[self.world.bot_user.id]

    @property
    def bot_role(self) -> Role:
        return next(r for r in self.roles.values() if r.bot_id == self.world.bot_user.id)

    @property
    def channels(self) -> list[Channel]:
        with self.world.lock:
            return [self.world.channels[c] for c in self.channel_ids]

    @property
    def general(self) -> Channel:
        return self.channel("general")

    def channel(self, name: str) -> Channel:
        for chan in self.channels:
            if chan.name == name:
                return chan
        raise KeyError(f"no channel named {name!r} in {self.name}")

    def role(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"no role named {name!r} in {self.name}")

    def member(self, name: str) -> Member:
        for member in self.members.values():
            if member.user.username == name:
                return member
        raise KeyError(f"no member named {name!r} in {self.name}")

    def set_bot_permissions(self, permissions: int) -> None:
        """Make the bot's server-wide permissions exactly these, as an admin would: by editing the
        bot's role and, where @everyone grants more, restricting @everyone (permissions only add up)."""
        with self.world.lock:
            self.bot_role.permissions = permissions
            self.everyone.permissions = EVERYONE_DEFAULT & permissions
            for role in (self.everyone, self.bot_role):
                payload = {"guild_id": str(self.id), "role": role.to_json()}
                self.world._dispatch_guild("GUILD_ROLE_UPDATE", self, payload)

    def add_member(
        self,
        name: str,
        *,
        admin: bool = False,
        manage_guild: bool = False,
        roles: Iterable[Role] = (),
        dms_closed: bool = False,
        user: User | None = None,
    ) -> Member:
        """A person joins the server; admin / manage_guild give them a role carrying that permission."""
        world = self.world
        with world.lock:
            if user is None:
                user = world.add_user(name, dms_closed=dms_closed)
            member = Member(self, user, joined_at=world.now())
            self.members[user.id] = member
            for role in roles:
                member.role_ids.append(role.id)
            if admin:
                member.role_ids.append(self._perm_role("Admins", ADMINISTRATOR).id)
            if manage_guild:
                member.role_ids.append(self._perm_role("Organisers", MANAGE_GUILD).id)
            if self.live:
                payload = {"guild_id": str(self.id), **member.to_json()}
                world._dispatch_guild("GUILD_MEMBER_ADD", self, payload, intent=INTENT_GUILD_MEMBERS)
            return member

    def remove_member(self, member: Member) -> None:
        """A person leaves (or is kicked): GUILD_MEMBER_REMOVE."""
        world = self.world
        with world.lock:
            self.members.pop(member.id, None)
            payload = {"guild_id": str(self.id), "user": member.user.to_json()}
            world._dispatch_guild("GUILD_MEMBER_REMOVE", self, payload, intent=INTENT_GUILD_MEMBERS)
            world.notify()

    def _perm_role(self, name: str, permissions: int) -> Role:
        for role in self.roles.values():
            if role.name == name and role.permissions == permissions:
                return role
        return self.add_role(name, permissions=permissions)

    def add_role(self, name: str, *, permissions: int = 0, mentionable: bool = False, above_bot: bool = False) -> Role:
        """A new role; like Discord it sits above @everyone and below the bot unless said otherwise."""
        world = self.world
        with world.lock:
            bot_pos = max((r.position for r in self.roles.values() if r.bot_id), default=0)
            if above_bot:
                position = bot_pos + 1
            else:
                position = 1
                for role in self.roles.values():
                    if not role.is_everyone and role.position >= 1:
                        role.position += 1
            role = Role(
                self, world.snowflake(), name, permissions=permissions, position=position, mentionable=mentionable
            )
            self.roles[role.id] = role
            if self.live:
                world._dispatch_guild("GUILD_ROLE_CREATE", self, {"guild_id": str(self.id), "role": role.to_json()})
            return role

    def add_text_channel(self, name: str) -> Channel:
        world = self.world
        with world.lock:
            chan = Channel(
                world,
                world.snowflake(),
                GUILD_TEXT,
                name=name,
                guild_id=self.id,
                position=len(self.channel_ids),
                created_at=world.now(),
            )
            world.channels[chan.id] = chan
            self.channel_ids.append(chan.id)
            if self.live:
                world._dispatch_guild("CHANNEL_CREATE", self, chan.to_json())
            return chan

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "region": "",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "system_channel_id": str(self.channel_ids[0]) if self.channel_ids else None,
            "system_channel_flags": 0,
            "widget_enabled": False,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.preferred_locale,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "application_id": None,
            "features": [],
            "roles": [r.to_json() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "max_members": 500000,
            "max_video_channel_users": 25,
        }

    def gateway_json(self, intents: int) -> dict[str, Any]:
        """The GUILD_CREATE payload: the guild plus channels, threads and (with the intent) members."""
        world = self.world
        data = self.to_json()
        members = list(self.members.values())
        if not intents & INTENT_GUILD_MEMBERS:
            members = [m for m in members if m.id == world.bot_user.id]
        data.update(
            joined_at=iso(self.joined_at),
            large=False,
            unavailable=False,
            member_count=len(self.members),
            members=[m.to_json() for m in members],
            channels=[world.channels[c].to_json() for c in self.channel_ids],
            threads=[c.to_json() for c in world.channels.values() if c.guild_id == self.id and c.is_thread],
            voice_states=[],
            presences=[],
            stage_instances=[],
            guild_scheduled_events=[],
            soundboard_sounds=[],
        )
        return data

    def __repr__(self) -> str:
        return f"<Guild {self.name} {self.id}>"
