"""The Guild resource: a guild, its channels, and its roles (create, read, edit, delete).

Guild members have their own module (members.py); editing or deleting a role is held to Discord's
role hierarchy, as giving one is.
"""

from __future__ import annotations

from ..constants import MANAGE_ROLES
from .base import Req, Resource, Resp, Route, truthy


class Guilds(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("GET", "/guilds/{guild_id}", self.get_guild)
        r("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        r("GET", "/guilds/{guild_id}/roles", self.get_roles)
        r("POST", "/guilds/{guild_id}/roles", self.create_role)
        r("GET", "/guilds/{guild_id}/roles/{role_id}", self.get_role)
        r("PATCH", "/guilds/{guild_id}/roles/{role_id}", self.edit_role)
        r("DELETE", "/guilds/{guild_id}/roles/{role_id}", self.delete_role)

    def get_guild(self, req: Req) -> Resp:
        guild = self._guild(req)
        data = guild.to_json()
        if truthy(req.query.get("with_counts")):
            data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
        return Resp(200, data)

    def get_guild_channels(self, req: Req) -> Resp:
        return Resp(200, [c.to_json() for c in self._guild(req).channels])

    def get_roles(self, req: Req) -> Resp:
        return Resp(200, [r.to_json() for r in self._guild(req).roles.values()])

    def create_role(self, req: Req) -> Resp:
        guild = self._guild(req)
        self._require(guild, MANAGE_ROLES)
        body = req.body or {}
        role = guild.add_role(
            body.get("name") or "new role",
            permissions=int(body.get("permissions") or 0),
            mentionable=bool(body.get("mentionable")),
        )
        return Resp(200, role.to_json())

    def get_role(self, req: Req) -> Resp:
        guild = self._guild(req)
        return Resp(200, self._role(guild, req.params["role_id"]).to_json())

    def edit_role(self, req: Req) -> Resp:
        guild = self._guild(req)
        role = self._role(guild, req.params["role_id"])
        self._check_role_hierarchy(guild, role)
        body = req.body or {}
        if "name" in body:
            role.name = body["name"]
        if "permissions" in body:
            role.permissions = int(body["permissions"] or 0)
        if "mentionable" in body:
            role.mentionable = bool(body["mentionable"])
        self.world._dispatch_guild("GUILD_ROLE_UPDATE", guild, {"guild_id": str(guild.id), "role": role.to_json()})
        return Resp(200, role.to_json())

    def delete_role(self, req: Req) -> Resp:
        guild = self._guild(req)
        role = self._role(guild, req.params["role_id"])
        self._check_role_hierarchy(guild, role)
        del guild.roles[role.id]
        for member in guild.members.values():
            if role.id in member.role_ids:
                member.role_ids.remove(role.id)
        payload = {"guild_id": str(guild.id), "role_id": str(role.id)}
        self.world._dispatch_guild("GUILD_ROLE_DELETE", guild, payload)
        return Resp()
