"""Get Gateway and Get Gateway Bot: where the bot's websocket should connect.

Why: discord.py asks for the gateway URL over REST before it connects; the fake points it at its own
gateway (tests/fakediscord/gateway.py) with a single shard.
"""

from __future__ import annotations

from .base import Req, Resource, Resp, Route


class GatewayInfo(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("GET", "/gateway", self.get_gateway)
        r("GET", "/gateway/bot", self.get_gateway_bot)

    def get_gateway(self, req: Req) -> Resp:
        return Resp(200, {"url": self.fake.gateway_url})

    def get_gateway_bot(self, req: Req) -> Resp:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}
        return Resp(200, {"url": self.fake.gateway_url, "shards": 1, "session_start_limit": limit})
