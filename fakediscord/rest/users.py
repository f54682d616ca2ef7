"""The User resource: the bot's own user, other users, the bot's guilds (and leaving one), and
opening a DM channel.

Why: discord.py reads the bot's own user when it logs in, and Rota opens a DM channel before it
messages a member privately.
"""

from __future__ import annotations

from typing import Any

from ..constants import DM
from ..entities import Channel
from .base import ApiError, Req, Resource, Resp, Route, as_int, not_found, truthy


class Users(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("GET", "/users/@me", self.get_me)
        r("GET", "/users/{user_id}", self.get_user)
        r("GET", "/users/@me/guilds", self.my_guilds)
        r("DELETE", "/users/@me/guilds/{guild_id}", self.leave_guild)
        r("POST", "/users/@me/channels", self.create_dm)

    def get_me(self, req: Req) -> Resp:
        data = self.world.bot_user.to_json()
        data.update(verified=True, mfa_enabled=False, locale="en-US", email=None)
        return Resp(200, data)

    def get_user(self, req: Req) -> Resp:
        user = self.world.users.get(as_int(req.params["user_id"]))
        if user is None:
            raise not_found("User", 10013)
        return Resp(200, user.to_json())

    def my_guilds(self, req: Req) -> Resp:
        """The bot's guilds as partial objects, paged by id like Discord."""
        world = self.world
        guilds = sorted((g for g in world.guilds.values() if world.bot_user.id in g.members), key=lambda g: g.id)
        if "after" in req.query:
            guilds = [g for g in guilds if g.id > as_int(req.query["after"])]
        if "before" in req.query:
            guilds = [g for g in guilds if g.id < as_int(req.query["before"])]
        limit = max(1, min(200, int(req.query.get("limit", 200))))
        out = []
        for guild in guilds[:limit]:
            data: dict[str, Any] = {
                "id": str(guild.id),
                "name": guild.name,
                "icon": None,
                "banner": None,
                "owner": guild.owner_id == world.bot_user.id,
                "permissions": str(guild.bot_member.permissions),
                "features": [],
            }
            if truthy(req.query.get("with_counts")):
                data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
            out.append(data)
        return Resp(200, out)

    def leave_guild(self, req: Req) -> Resp:
        guild = self._guild(req)
        self.world.remove_bot(guild)
        return Resp()

    def create_dm(self, req: Req) -> Resp:
        world = self.world
        body = req.body or {}
        user = world.users.get(as_int(body.get("recipient_id")))
        if user is None:
            raise ApiError(400, 50035, "Invalid Form Body")
        if user.dm_channel_id is None:
            chan = Channel(world, world.snowflake(), DM, recipient_id=user.id, created_at=world.now())
            world.channels[chan.id] = chan
            user.dm_channel_id = chan.id
        return Resp(200, world.channels[user.dm_channel_id].to_json())
