"""The Webhook resource, as interactions use it: follow-up messages, and reading, editing or deleting
the original response or a follow-up, by the interaction's token.

Why apart from interactions.py: these routes are authorised by the token alone, live for 15 minutes
rather than 3 seconds, and the first follow-up after a deferral fills in the "thinking" message.
"""

from __future__ import annotations

from ..constants import EPHEMERAL, IS_COMPONENTS_V2
from ..entities import Interaction, Message
from .base import ApiError, Req, Resource, Resp, Route, as_int, not_found, truthy
from .messages import apply_edit, make_message, require_content


class Webhooks(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("POST", "/webhooks/{webhook_id}/{webhook_token}", self.followup)
        for msg in ("@original", "{message_id}"):
            base = "/webhooks/{webhook_id}/{webhook_token}/messages/" + msg
            r("GET", base, self.webhook_get)
            r("PATCH", base, self.webhook_edit)
            r("DELETE", base, self.webhook_delete)

    def _webhook_interaction(self, req: Req) -> Interaction:
        world = self.world
        if as_int(req.params["webhook_id"]) != world.application_id:
            raise not_found("Webhook", 10015)
        token = req.params["webhook_token"]
        inter = next((i for i in world.interactions.values() if i.token == token), None)
        if inter is None or inter.expired:
            raise ApiError(401, 50027, "Invalid Webhook Token", violation="bad_webhook_token")
        if inter.response_type in (None, -1):
            raise ApiError(
                404,
                10015,
                "Unknown Webhook (follow-up before the interaction was answered)",
                violation="followup_before_response",
            )
        return inter

    def followup(self, req: Req) -> Resp:
        world = self.world
        inter = self._webhook_interaction(req)
        body = req.body or {}
        chan = world.channels[inter.channel_id]
        inter.webhook_actions += 1
        require_content(req, body)
        if inter.response_type == 5 and not inter.deferred_done:
            # The first follow-up after a deferral fills in the "thinking" message; its flags are ignored.
            original = inter.find_message(inter.original_id or 0)
            assert original is not None
            apply_edit(
                world,
                req,
                original,
                {k: v for k, v in body.items() if k != "flags"},
                keep_flags=original.flags & EPHEMERAL,
            )
            inter.deferred_done = True
            world.notify()
            return Resp(200, original.to_json()) if truthy(req.query.get("wait")) else Resp()
        flags = int(body.get("flags") or 0)
        ephemeral = bool(flags & EPHEMERAL)
        msg = make_message(
            world,
            req,
            chan,
            body,
            flags=flags & (EPHEMERAL | IS_COMPONENTS_V2 | 4 | 4096),
            interaction=inter,
            store=not ephemeral,
        )
        if ephemeral:
            inter.ephemeral_followups[msg.id] = msg
            world.ephemeral_messages[msg.id] = msg
        inter.followup_ids.append(msg.id)
        if truthy(req.query.get("wait")):
            return Resp(200, msg.to_json())
        return Resp()

    def _webhook_message(self, req: Req, inter: Interaction) -> Message:
        ref = req.params.get("message_id")
        if ref is None:  # @original
            if inter.original_id is None:
                raise ApiError(404, 10008, "Unknown Message (no original response)", violation="no_original")
            msg = inter.find_message(inter.original_id)
        else:
            mid = as_int(ref)
            owned = mid in (inter.original_id, *inter.followup_ids)
            msg = inter.find_message(mid) if owned else None
        if msg is None or msg.deleted:
            raise not_found("Message", 10008)
        return msg

    def webhook_get(self, req: Req) -> Resp:
        inter = self._webhook_interaction(req)
        return Resp(200, self._webhook_message(req, inter).to_json())

    def webhook_edit(self, req: Req) -> Resp:
        inter = self._webhook_interaction(req)
        msg = self._webhook_message(req, inter)
        inter.webhook_actions += 1
        apply_edit(self.world, req, msg, req.body or {}, keep_flags=msg.flags & EPHEMERAL)
        if inter.response_type == 5 and msg.id == inter.original_id:
            inter.deferred_done = True
        return Resp(200, msg.to_json())

    def webhook_delete(self, req: Req) -> Resp:
        inter = self._webhook_interaction(req)
        msg = self._webhook_message(req, inter)
        inter.webhook_actions += 1
        msg.deleted = True
        return Resp()
