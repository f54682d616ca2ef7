"""GET /healthz and GET /metrics, for whoever runs the bot."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import metrics
from bot.store import jobs as job_rows

if TYPE_CHECKING:
    from bot.app import RotaBot

log = logging.getLogger(__name__)

DB_TIMEOUT = 2.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def gateway_problem(bot: RotaBot) -> str | None:
    """Why the gateway is not usable (one line), or None when every shard's session is up."""
    shards = bot.shards
    if not shards:
        return "gateway not connected yet"
    down = sorted(shard_id for shard_id, info in shards.items() if info.is_closed() or not bot.gateway_up(shard_id))
    if down:
        return f"gateway disconnected (shard {', '.join(map(str, down))})"
    return None


async def database_problem(bot: RotaBot) -> str | None:
    try:
        async with asyncio.timeout(DB_TIMEOUT):
            await bot.db.fetchval("SELECT 1")
    except TimeoutError:
        return f"database did not answer within {DB_TIMEOUT:g} s"
    except Exception as exc:
        return f"database error ({type(exc).__name__})"
    return None


def health_handler(bot: RotaBot) -> Handler:
    async def healthz(request: web.Request) -> web.Response:
        problem = gateway_problem(bot) or await database_problem(bot)
        headers = {"Cache-Control": "no-store"}
        if problem is not None:
            return web.Response(status=503, text=problem + "\n", headers=headers)
        return web.Response(text="ok\n", headers=headers)

    return healthz


def metrics_handler(bot: RotaBot) -> Handler:
    async def scrape(request: web.Request) -> web.Response:
        for shard_id, latency in bot.latencies:
            if math.isfinite(latency):
                metrics.GATEWAY_LATENCY.labels(str(shard_id)).set(latency)
        for shard_id in bot.shards:
            metrics.GATEWAY_CONNECTED.labels(str(shard_id)).set(1 if bot.gateway_up(shard_id) else 0)
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                metrics.JOBS_DUE.set(await job_rows.count_due(bot.db, bot.clock.timestamp()))
        except Exception as exc:  # the scrape still answers; /healthz says what is wrong with the database
            log.warning("could not count due jobs for /metrics: %s", type(exc).__name__)
        body = generate_latest(metrics.REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})

    return scrape
