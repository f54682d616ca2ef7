"""Responding to an interaction: the one callback per interaction, within 3 seconds, of a type that
fits the interaction (message, deferral, update, autocomplete choices, modal).

Why strict: real Discord refuses a late, second or mismatched callback (a late one leaves the member
with "This interaction failed"); the fake refuses it the same way and records a violation.
"""

from __future__ import annotations

import time
from typing import Any

from .. import limits
from ..constants import EPHEMERAL, IS_COMPONENTS_V2, LOADING
from ..entities import Interaction, Message
from .base import ApiError, Req, Resource, Resp, Route, as_int, not_found, truthy
from .messages import apply_edit, dispatch_message, make_message, require_content

INTERACTION_DEADLINE = 3.0


class Interactions(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("POST", "/interactions/{interaction_id}/{interaction_token}/callback", self.interaction_callback)

    def _interaction(self, req: Req) -> Interaction:
        inter = self.world.interactions.get(as_int(req.params["interaction_id"]))
        if inter is None or inter.token != req.params["interaction_token"]:
            raise ApiError(404, 10062, "Unknown interaction", violation="unknown_interaction")
        return inter

    def interaction_callback(self, req: Req) -> Resp:
        world = self.world
        inter = self._interaction(req)
        body = req.body or {}
        kind = body.get("type")
        data = body.get("data") or {}
        route = f"{req.method} {req.template}"
        elapsed = time.monotonic() - inter.sent_at
        if inter.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.", violation="double_response")
        if elapsed > INTERACTION_DEADLINE:
            inter.response_type = -1
            raise ApiError(
                404, 10062, f"Unknown interaction (answered after {elapsed:.2f}s, limit 3s)", violation="late_response"
            )
        allowed = {
            2: {4, 5, 9},  # application command
            3: {4, 5, 6, 7, 9},  # component
            4: {8},  # autocomplete
            5: {4, 5, 6, 7} if inter.message_id else {4, 5},  # modal submit
        }[inter.type]
        if kind not in allowed:
            raise ApiError(
                400,
                50035,
                f"Invalid Form Body: response type {kind} to interaction type {inter.type}",
                violation="bad_response_type",
            )
        chan = world.channels[inter.channel_id]
        message: Message | None = None
        if kind == 4:
            flags = int(data.get("flags") or 0)
            ephemeral = bool(flags & EPHEMERAL)
            require_content(req, data)
            message = make_message(
                world,
                req,
                chan,
                data,
                flags=flags & (EPHEMERAL | IS_COMPONENTS_V2 | 4 | 4096),
                kind=20 if inter.type == 2 else 0,
                interaction=inter,
                store=not ephemeral,
            )
            self._set_original(inter, message)
        elif kind == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = Message(
                world,
                world.snowflake(),
                chan.id,
                world.bot_user,
                flags=flags,
                type=20 if inter.type == 2 else 0,
                guild_id=chan.guild_id,
                interaction_id=inter.id,
                webhook_id=world.application_id,
            )
            if not message.ephemeral:
                world.all_messages[message.id] = message
                dispatch_message(world, "MESSAGE_CREATE", message)
            self._set_original(inter, message)
        elif kind in (6, 7):
            target = inter.find_message(inter.message_id or 0)
            if target is None:
                raise not_found("Message", 10008)
            if kind == 7:
                apply_edit(world, req, target, data, keep_flags=target.flags & EPHEMERAL)
            message = target
            inter.original_id = target.id
        elif kind == 8:
            for problem in limits.autocomplete_problems(data):
                world.record("autocomplete_limit", problem, route)
            inter.choices = list(data.get("choices") or [])
        elif kind == 9:
            for problem in limits.modal_problems(data):
                world.record("modal_limit", problem, route)
            inter.modal = data
        inter.response_type = kind
        inter.responded_at = time.monotonic()
        if not truthy(req.query.get("with_response")):
            return Resp()
        info: dict[str, Any] = {"id": str(inter.id), "type": inter.type}
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            info.update(
                response_message_id=str(message.id),
                response_message_loading=message.loading,
                response_message_ephemeral=message.ephemeral,
            )
            resource["message"] = message.to_json()
        return Resp(200, {"interaction": info, "resource": resource})

    def _set_original(self, inter: Interaction, message: Message) -> None:
        inter.original_id = message.id
        if message.ephemeral:
            inter.ephemeral_original = message
            self.world.ephemeral_messages[message.id] = message
