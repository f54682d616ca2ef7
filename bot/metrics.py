"""What operators watch, in Prometheus' text format (served at /metrics by bot/web).

One registry of this process's metrics. Labels are command names, outcomes, job kinds, shard
numbers and REST route templates (ids and tokens replaced), never a user's id or name, so the
metrics say how the bot is doing and nothing about who uses it. README.md says what each means.
"""

from __future__ import annotations

import re
import time
from types import SimpleNamespace
from typing import Any, cast

import aiohttp
import discord
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

INTERACTIONS = Counter(
    "rota_interactions",
    "Interactions handled, by command (or button/form family) and outcome: ok, refused (the member's "
    "input or rights; told why) or error (ours; logged with a reference)",
    ("command", "outcome"),
    registry=REGISTRY,
)
ANSWER_SECONDS = Histogram(
    "rota_answer_seconds",
    "Time from receiving an interaction to Discord accepting its first answer (Discord allows 3 s)",
    ("kind",),
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
    registry=REGISTRY,
)
JOBS_DUE = Gauge("rota_jobs_due", "Scheduled jobs due now and not yet run (read at each scrape)", registry=REGISTRY)
JOBS_STARTED = Counter("rota_jobs_started", "Job runs started, by kind", ("kind",), registry=REGISTRY)
JOBS_LATE = Counter(
    "rota_jobs_late", "Job runs started more than a minute after their due time, by kind", ("kind",), registry=REGISTRY
)
JOBS_FAILED = Counter(
    "rota_jobs_failed",
    "Job runs that failed, by kind; gave_up=true when the job will not be tried again",
    ("kind", "gave_up"),
    registry=REGISTRY,
)
DB_TRANSACTION_SECONDS = Histogram(
    "rota_db_transaction_seconds",
    "Duration of committed database transactions",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
GATEWAY_LATENCY = Gauge(
    "rota_gateway_latency_seconds", "Heartbeat round trip to Discord's gateway, by shard", ("shard",), registry=REGISTRY
)
GATEWAY_CONNECTED = Gauge(
    "rota_gateway_connected",
    "1 while a shard's gateway session is up, 0 while it is down",
    ("shard",),
    registry=REGISTRY,
)
GATEWAY_RECONNECTS = Counter(
    "rota_gateway_reconnects",
    "Gateway sessions re-established after a drop, by shard and how (resume or identify)",
    ("shard", "how"),
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "rota_discord_rate_limited", "429 answers from Discord's REST API, by route", ("route",), registry=REGISTRY
)
FEED_REQUESTS = Counter(
    "rota_feed_requests", "Calendar feed requests, by feed kind and HTTP status", ("kind", "status"), registry=REGISTRY
)

LATE_SECONDS = 60.0
#: A custom_id part that is an id or a random token: left out of a button's label (unbounded values).
_VARIABLE = re.compile(r"^(\d+|[0-9a-f]{16,})$")
_CALLBACK = re.compile(r"/interactions/(\d+)/[^/]+/callback$")
_PENDING_LIMIT = 10_000
_pending: dict[int, tuple[str, float]] = {}


def interaction_label(interaction: discord.Interaction) -> str:
    """A bounded name for what was used: `shift claim`, or a button's family such as `shift:claim`."""
    if interaction.command is not None:
        return interaction.command.qualified_name
    data = cast(dict[str, Any], interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if custom_id:
        return ":".join(part for part in custom_id.split(":") if not _VARIABLE.match(part))[:48] or "component"
    return str(data.get("name", "unknown"))[:48]


def count_interaction(interaction: discord.Interaction, outcome: str) -> None:
    INTERACTIONS.labels(interaction_label(interaction), outcome).inc()


def interaction_received(interaction: discord.Interaction) -> None:
    """Start the clock on an interaction's answer (stopped when Discord accepts the callback)."""
    if len(_pending) >= _PENDING_LIMIT:  # answers that never came (a crash mid-way): forget the oldest
        for key in list(_pending)[: _PENDING_LIMIT // 2]:
            del _pending[key]
    _pending[interaction.id] = (interaction.type.name, time.monotonic())


def route_of(path: str) -> str:
    """A REST path as a route template: `/channels/{id}/messages`, tokens as `{token}`."""
    path = re.sub(r"^.*?/api/v\d+", "", path)
    out: list[str] = []
    for part in path.split("/"):
        if part.isdigit():
            out.append("{id}")
        elif len(out) >= 2 and out[-1] == "{id}" and out[-2] in ("webhooks", "interactions"):
            out.append("{token}")
        else:
            out.append(part)
    return "/".join(out)[:80]


async def _request_ended(
    session: aiohttp.ClientSession, context: SimpleNamespace, params: aiohttp.TraceRequestEndParams
) -> None:
    path = params.url.path
    if params.response.status == 429:
        RATE_LIMITED.labels(route_of(path)).inc()
    answered = _CALLBACK.search(path)
    if answered is not None and params.response.status < 300:
        started = _pending.pop(int(answered.group(1)), None)
        if started is not None:
            ANSWER_SECONDS.labels(started[0]).observe(time.monotonic() - started[1])


def discord_trace() -> aiohttp.TraceConfig:
    """discord.py's public `http_trace` hook: sees every REST answer (429s, interaction callbacks)."""
    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(_request_ended)
    return trace
