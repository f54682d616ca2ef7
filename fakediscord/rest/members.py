"""Guild members: listing and reading them, changing a nickname or roles, giving and taking a role.

Every role given or taken passes Discord's hierarchy check (base.Resource._check_role_hierarchy).
"""

from __future__ import annotations

from ..entities import Member, Role
from .base import Req, Resource, Resp, Route, as_int


class Members(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("PATCH", "/guilds/{guild_id}/members/{user_id}", self.edit_member)
        r("GET", "/guilds/{guild_id}/members", self.list_members)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)
        r("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self.add_member_role)
        r("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self.remove_member_role)

    def edit_member(self, req: Req) -> Resp:
        """Nick and role list changes; every role added or removed must pass the hierarchy check."""
        guild = self._guild(req)
        member = self._member(guild, req.params["user_id"])
        body = req.body or {}
        if "roles" in body and body["roles"] is not None:
            wanted = [as_int(r) for r in body["roles"]]
            for rid in set(wanted) ^ set(member.role_ids):
                role = self._role(guild, str(rid))
                if not (role.managed and rid in member.role_ids):
                    self._check_role_hierarchy(guild, role)
            member.role_ids = [r for r in dict.fromkeys(wanted) if r != guild.id]
        if "nick" in body:
            member.nick = body["nick"]
        self.world._member_updated(member)
        return Resp(200, member.to_json())

    def list_members(self, req: Req) -> Resp:
        guild = self._guild(req)
        after = as_int(req.query.get("after", "0"))
        limit = max(1, min(1000, int(req.query.get("limit", 1))))
        members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
        return Resp(200, [m.to_json() for m in members[:limit]])

    def get_member(self, req: Req) -> Resp:
        guild = self._guild(req)
        return Resp(200, self._member(guild, req.params["user_id"]).to_json())

    def _role_change(self, req: Req) -> tuple[Member, Role]:
        guild = self._guild(req)
        member = self._member(guild, req.params["user_id"])
        role = self._role(guild, req.params["role_id"])
        self._check_role_hierarchy(guild, role)
        return member, role

    def add_member_role(self, req: Req) -> Resp:
        member, role = self._role_change(req)
        if role.id not in member.role_ids:
            member.role_ids.append(role.id)
            self.world._member_updated(member)
        return Resp()

    def remove_member_role(self, req: Req) -> Resp:
        member, role = self._role_change(req)
        if role.id in member.role_ids:
            member.role_ids.remove(role.id)
            self.world._member_updated(member)
        return Resp()
