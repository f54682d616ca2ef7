"""FakeDiscord: the REST API and gateway on 127.0.0.1, running in a background thread.

Why a thread with its own loop: tests are plain synchronous functions that talk to a bot process; the
fake must keep answering the bot while a test blocks waiting for an answer.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from aiohttp import web

from .gateway import Gateway
from .rest import API_PREFIX, RestApi
from .world import World

FAKE_TOKEN = "test-token"


class FakeDiscord:
    """Start with `start()`; `api_base` and `gateway_url` are what a client points at."""

    def __init__(self, world: World | None = None, token: str = FAKE_TOKEN) -> None:
        self.world = world or World()
        self.token = token
        self.app_owner = self.world.add_user("app-owner")
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self.gateway = Gateway(self)
        self.rest = RestApi(self)
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.world.dispatcher = self.gateway.dispatch

    # -- addresses -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def violations(self) -> list[Any]:
        return self.world.violations

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FakeDiscord:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="fake-discord", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Discord did not start")
        return self

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())
        ready.set()
        self.loop.run_forever()

    async def _serve(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{channel}/{id}/{name}", self._attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])  # the port the system chose for 0
        self.world.attachment_base = self.base_url

    async def _attachment(self, request: web.Request) -> web.Response:
        """Attachment URLs work, so a bot may read back what it uploaded."""
        att_id = int(request.match_info["id"])
        with self.world.lock:
            upload = self.world.uploads.get(att_id)
            if upload is not None:
                return web.Response(body=upload.data)
            for msg in list(self.world.all_messages.values()):
                for att in msg.attachments:
                    if att.id == att_id:
                        return web.Response(body=att.data, content_type=att.content_type or "application/octet-stream")
        return web.Response(status=404)

    def stop(self) -> None:
        if self._thread is None:
            return

        async def shutdown() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        try:
            self.call(shutdown(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
            self._thread = None

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        """Run a coroutine on the fake's loop from a test thread and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    # -- gateway faults and facts ----------------------------------------------------------------
    def drop_gateway(self, hold_resume: float = 0.5, shard_id: int = 0) -> None:
        """Close the bot's socket for a shard (code 4000, resumable). Its RESUME is held for
        `hold_resume` s, so events sent meanwhile are missed and must be replayed."""
        if not self.call(self.gateway.drop(hold_resume, shard_id)):
            raise RuntimeError(f"no bot is connected to the gateway as shard {shard_id}")

    @property
    def connected(self) -> bool:
        """Every shard of the bot is connected ([0, 1] for an unsharded bot)."""
        return self.gateway.connected

    def wait_connected(self, timeout: float = 10) -> None:
        self.world.wait_until(lambda: self.connected, timeout, "the bot to be connected to the gateway")

    @property
    def identifies(self) -> int:
        return self.gateway.identifies

    @property
    def identify_too_fast(self) -> int:
        """IDENTIFYs answered with op 9 because they came too soon in their rate-limit bucket."""
        return self.gateway.identify_too_fast

    @property
    def resumes(self) -> int:
        return self.gateway.resumes
