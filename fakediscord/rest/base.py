"""What every resource module shares: the request a handler gets, the response it gives, Discord's
error answers, and the lookups and permission checks most handlers begin with.

Why a base class: a handler finds the guild, channel, member, message or role named in its path, or
fails with Discord's own 404, and checks the bot's permissions the way Discord does; written once
here, every resource refuses in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..constants import ADMINISTRATOR, MANAGE_ROLES, VIEW_CHANNEL
from ..entities import Channel, Guild, Member, Message, Role

if TYPE_CHECKING:
    from ..server import FakeDiscord
    from ..world import World


class ApiError(Exception):
    """An error answer in Discord's shape: HTTP status, JSON error code and message."""

    def __init__(self, status: int, code: int, message: str, violation: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.violation = violation


def not_found(what: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


MISSING_PERMISSIONS = (403, 50013, "Missing Permissions")


@dataclass
class Req:
    method: str
    path: str
    template: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any = None
    files: dict[int, tuple[str, str | None, bytes]] = field(default_factory=dict)


@dataclass
class Resp:
    status: int = 204
    body: Any = None


Handler = Callable[[Req], Resp]
Route = Callable[[str, str, Handler], None]  # RestApi.route: (method, path template, handler)


def truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "yes")


def as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class Resource:
    """The handlers of one Discord resource. Each runs under the world lock and never awaits."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.world: World = fake.world

    def declare(self, route: Route) -> None:
        """Register this resource's routes, by Discord's OpenAPI path templates."""
        raise NotImplementedError

    # -- lookups ---------------------------------------------------------------------------------
    def _channel(self, req: Req) -> Channel:
        chan = self.world.channels.get(as_int(req.params["channel_id"]))
        if chan is None:
            raise not_found("Channel", 10003)
        guild = chan.guild
        if guild is not None and not guild.bot_member.permissions_in(chan) & VIEW_CHANNEL:
            raise ApiError(403, 50001, "Missing Access")  # a channel the bot cannot see, by an overwrite
        return chan

    def _guild(self, req: Req) -> Guild:
        guild = self.world.guilds.get(as_int(req.params["guild_id"]))
        if guild is None or self.world.bot_user.id not in guild.members:
            raise not_found("Guild", 10004)
        return guild

    def _member(self, guild: Guild, user_id: str) -> Member:
        member = guild.members.get(as_int(user_id))
        if member is None:
            raise not_found("Member", 10007)
        return member

    def _message(self, chan: Channel, message_id: str) -> Message:
        msg = self.world.all_messages.get(as_int(message_id))
        if msg is None or msg.channel_id != chan.id or msg.deleted:
            raise not_found("Message", 10008)
        return msg

    def _role(self, guild: Guild, role_id: str) -> Role:
        role = guild.roles.get(as_int(role_id))
        if role is None:
            raise not_found("Role", 10011)
        return role

    # -- permissions -----------------------------------------------------------------------------
    def _bot_can(self, guild: Guild | None, permission: int, channel: Channel | None = None) -> bool:
        """Whether the bot holds `permission`: in `channel` (its overwrites applied) or server-wide."""
        if guild is None:
            return True
        bot = guild.bot_member
        perms = bot.permissions_in(channel) if channel is not None else bot.permissions
        return bool(perms & ADMINISTRATOR or perms & permission == permission)

    def _require(self, guild: Guild | None, permission: int, channel: Channel | None = None) -> None:
        if not self._bot_can(guild, permission, channel):
            raise ApiError(*MISSING_PERMISSIONS)

    def _check_role_hierarchy(self, guild: Guild, role: Role) -> None:
        """Discord's rule: Manage Roles, and the bot's highest role strictly above the role it touches."""
        bot = guild.bot_member
        if not self._bot_can(guild, MANAGE_ROLES) or role.managed or role.is_everyone:
            raise ApiError(*MISSING_PERMISSIONS)
        if guild.owner_id != bot.id and bot.top_position <= role.position:
            raise ApiError(*MISSING_PERMISSIONS)

    def no_content(self, req: Req) -> Resp:
        """For routes the fake accepts and forgets: typing, pins, reactions."""
        return Resp()
