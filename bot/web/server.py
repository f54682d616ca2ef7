"""The web endpoint's life: started in the bot's setup, stopped first when the bot closes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.ui.calendar_render import FEED_PATH
from bot.web.feeds import FeedHandler
from bot.web.health import health_handler, metrics_handler

if TYPE_CHECKING:
    from bot.app import RotaBot

log = logging.getLogger(__name__)


class WebPortError(Exception):
    """The port could not be listened on; the message is one line for the person running the bot."""


def make_app(bot: RotaBot) -> web.Application:
    app = web.Application()
    app.router.add_get("/healthz", health_handler(bot))
    app.router.add_get("/metrics", metrics_handler(bot))
    if bot.config.public_url is not None:  # without an address to give out, no links exist
        app.router.add_get(FEED_PATH, FeedHandler(bot))
    return app


class WebServer:
    def __init__(self, bot: RotaBot, host: str, port: int) -> None:
        self.bot = bot
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        runner = web.AppRunner(
            make_app(self.bot), access_log=None, shutdown_timeout=2.0
        )  # no log of feed URLs: they hold tokens
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            raise WebPortError(
                f"ROTA_WEB_PORT={self.port}: cannot listen on {self.host}:{self.port} ({exc.strerror or exc})."
            ) from None
        self._runner = runner
        log.info("web endpoint listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
