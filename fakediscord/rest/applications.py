"""The Application resource: the bot's application, and its application commands, global and per
guild.

Why the commands matter: the driver types every option it sends from the commands the bot registered
here, never from a hand-written copy.
"""

from __future__ import annotations

from typing import Any

from .. import command_rules
from .base import ApiError, Req, Resource, Resp, Route, as_int, not_found


class Applications(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("GET", "/oauth2/applications/@me", self.get_application)
        r("GET", "/applications/@me", self.get_application)
        for base in ("/applications/{application_id}", "/applications/{application_id}/guilds/{guild_id}"):
            r("GET", base + "/commands", self.list_commands)
            r("PUT", base + "/commands", self.overwrite_commands)
            r("POST", base + "/commands", self.create_command)
            r("GET", base + "/commands/{command_id}", self.get_command)
            r("PATCH", base + "/commands/{command_id}", self.edit_command)
            r("DELETE", base + "/commands/{command_id}", self.delete_command)

    def get_application(self, req: Req) -> Resp:
        world = self.world
        owner = self.fake.app_owner
        return Resp(
            200,
            {
                "id": str(world.application_id),
                "name": world.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "bot": world.bot_user.to_json(),
                "owner": owner.to_json(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "tags": [],
                "hook": True,
                "is_monetized": False,
                "integration_types_config": {"0": {}},
                "approximate_guild_count": len(world.guilds),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
            },
        )

    # -- application commands --------------------------------------------------------------------
    def _command_list(self, req: Req) -> list[dict[str, Any]]:
        if as_int(req.params["application_id"]) != self.world.application_id:
            raise ApiError(403, 50001, "Missing Access")
        if "guild_id" in req.params:
            guild = self._guild(req)
            return self.world.guild_commands.setdefault(guild.id, [])
        return self.world.global_commands

    def _normalise_command(self, req: Req, data: dict[str, Any], existing: list[dict[str, Any]]) -> dict[str, Any]:
        kind = data.get("type", 1)
        old = next((c for c in existing if c["name"] == data.get("name") and c["type"] == kind), None)
        perms = data.get("default_member_permissions")
        cmd = {
            "id": old["id"] if old else str(self.world.snowflake()),
            "application_id": str(self.world.application_id),
            "version": str(self.world.snowflake()),
            "type": kind,
            "name": data.get("name"),
            "name_localizations": data.get("name_localizations"),
            "description": data.get("description", ""),
            "description_localizations": data.get("description_localizations"),
            "options": data.get("options") or [],
            "default_member_permissions": None if perms is None else str(perms),
            "dm_permission": data.get("dm_permission", True),
            "contexts": data.get("contexts"),
            "integration_types": data.get("integration_types") or [0],
            "nsfw": data.get("nsfw", False),
        }
        if "guild_id" in req.params:
            cmd["guild_id"] = req.params["guild_id"]
        return cmd

    def list_commands(self, req: Req) -> Resp:
        return Resp(200, self._command_list(req))

    def overwrite_commands(self, req: Req) -> Resp:
        existing = self._command_list(req)
        body = req.body or []
        if not isinstance(body, list):
            raise ApiError(400, 50035, "Invalid Form Body")
        _check_texts(body)
        new = [self._normalise_command(req, c, existing) for c in body]
        names = [(c["name"], c["type"]) for c in new]
        if len(set(names)) != len(names):
            raise ApiError(400, 50035, "Invalid Form Body: duplicate command name", violation="bad_commands")
        existing[:] = new
        return Resp(200, new)

    def create_command(self, req: Req) -> Resp:
        existing = self._command_list(req)
        _check_texts([req.body or {}])
        cmd = self._normalise_command(req, req.body or {}, existing)
        existing[:] = [c for c in existing if c["id"] != cmd["id"]] + [cmd]
        return Resp(201, cmd)

    def _find_command(self, req: Req) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        existing = self._command_list(req)
        for cmd in existing:
            if cmd["id"] == req.params["command_id"]:
                return existing, cmd
        raise not_found("application command", 10063)

    def get_command(self, req: Req) -> Resp:
        return Resp(200, self._find_command(req)[1])

    def edit_command(self, req: Req) -> Resp:
        _, cmd = self._find_command(req)
        for key, value in (req.body or {}).items():
            cmd[key] = value
        return Resp(200, cmd)

    def delete_command(self, req: Req) -> Resp:
        existing, cmd = self._find_command(req)
        existing.remove(cmd)
        return Resp()


def _check_texts(commands: list[Any]) -> None:
    found = [found for command in commands if isinstance(command, dict) for found in command_rules.problems(command)]
    if found:
        raise ApiError(400, 50035, "Invalid Form Body: " + "; ".join(found[:5]), violation="bad_commands")
