"""Get Gateway and Get Gateway Bot: where the bot's websocket should connect, and how to shard.

Why: discord.py asks for the gateway URL over REST before it connects, and an AutoShardedClient takes
its shard count from `shards` here. The fake points it at its own gateway (fakediscord/gateway.py)
and reports the gateway's settings: `recommended_shards` and `max_concurrency` (both 1 by default).
`remaining` counts down with every accepted IDENTIFY (the fake does not enforce the daily total).
"""

from __future__ import annotations

from ..gateway import SESSION_STARTS_PER_DAY
from .base import Req, Resource, Resp, Route

RESET_AFTER_MS = 14_400_000  # the example in Discord's docs


class GatewayInfo(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("GET", "/gateway", self.get_gateway)
        r("GET", "/gateway/bot", self.get_gateway_bot)

    def get_gateway(self, req: Req) -> Resp:
        return Resp(200, {"url": self.fake.gateway_url})

    def get_gateway_bot(self, req: Req) -> Resp:
        gateway = self.fake.gateway
        limit = {
            "total": SESSION_STARTS_PER_DAY,
            "remaining": max(0, SESSION_STARTS_PER_DAY - gateway.identifies),
            "reset_after": RESET_AFTER_MS,
            "max_concurrency": gateway.max_concurrency,
        }
        return Resp(
            200, {"url": self.fake.gateway_url, "shards": gateway.recommended_shards, "session_start_limit": limit}
        )
