"""The Bot: opens the store, loads every cog, registers persistent buttons, starts the scheduler.

Commands are synced only when the command tree changed since the last sync (a hash kept in the
database), because Discord rate-limits command syncs.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import importlib
import json
import logging
import pkgutil
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from contextlib import asynccontextmanager
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot import metrics
from bot.clock import Clock
from bot.config import Config
from bot.services import Services
from bot.sharding import shard_of, wait_for_identify_turn
from bot.store import cards as card_asks
from bot.store import meta
from bot.store.database import CARDS_CHANNEL, open_database
from bot.ui import discord_rest
from bot.ui.audience import Audience, private, public, reading
from bot.ui.audit_mirror import AuditMirror
from bot.ui.cards import CardKeeper
from bot.ui.command_translator import CatalogueTranslator
from bot.ui.i18n import ENGLISH, language_for, speak, speaking
from bot.ui.notify import send_dm
from bot.ui.pacing import ChannelPacer
from bot.ui.replies import NO_PINGS, report_error
from bot.web.server import WebServer

log = logging.getLogger("rota")

#: What the bot needs in a channel to do its job; the invite link asks for exactly these.
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    manage_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
)
#: Only needed if the server gives the facilitator a role that the bot moves at each hand-over.
OPTIONAL_PERMISSIONS = discord.Permissions(manage_roles=True)
INVITE_SCOPES = ("bot", "applications.commands")
GUILD_READY_TIMEOUT = 0.5
MEMBERSHIP_SECONDS = 300.0  # how long a "still in the server" answer is trusted


def intents() -> discord.Intents:
    """Only what we use: server and channel events. No message content, no presence, no member list."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


def cog_modules() -> list[str]:
    """Every module in cogs/ that defines an extension `setup`."""
    names = []
    for info in pkgutil.iter_modules(cogs.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"cogs.{info.name}")
        if hasattr(module, "setup"):
            names.append(module.__name__)
    return sorted(names)


def listen(interaction: discord.Interaction) -> None:
    """Answer this interaction in the member's Discord language, and remember that language for
    the DMs Rota sends them later (a write only when it changed)."""
    language = language_for(interaction.locale.value)
    speak(language)
    bot = RotaBot.of(interaction)
    bot.services.languages.note(interaction.user.id, language)


class Listening:
    """For buttons, selects and forms: answer in the member's language (see `listen`)."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        listen(interaction)
        return True


class RotaTree(app_commands.CommandTree["RotaBot"]):
    """One error handler for every slash command; every command answers in the member's language."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        listen(interaction)
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        if isinstance(error, app_commands.CheckFailure) and not isinstance(error, app_commands.CommandInvokeError):
            original = error
        await report_error(interaction, original)


class RotaBot(commands.AutoShardedBot):
    """The bot: every shard of this process, the services, the cards and the scheduler."""

    def __init__(self, config: Config, clock: Clock) -> None:
        shards: dict[str, Any] = {}  # nothing: every shard Discord recommends, in this process
        if config.shard_count is not None:
            shards["shard_count"] = config.shard_count
        if config.shard_ids is not None:
            shards["shard_ids"] = list(config.shard_ids)
        super().__init__(
            **shards,
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            allowed_mentions=NO_PINGS,
            tree_cls=RotaTree,
            max_messages=None,
            chunk_guilds_at_startup=False,
            # discord.py fires on_ready only after no GUILD_CREATE has arrived for this long (default
            # 2 s, added to every start). Discord streams them right after READY, and Rota needs no
            # member cache, so half a second is enough; commands are answered before ready anyway.
            guild_ready_timeout=GUILD_READY_TIMEOUT,
            http_trace=metrics.discord_trace(),  # 429s by route and answer times (bot/metrics.py)
        )
        self.config = config
        self.clock = clock
        self.db = open_database(config.database)
        self.services = Services(self.db, clock, instance=config.instance)
        self.pacer = ChannelPacer()
        forward = functools.partial(card_asks.ask_refresh, self.db) if self.db.shares_notices else None
        settle = functools.partial(card_asks.refreshed, self.db)
        self.cards = CardKeeper(self, self.pacer, owns=self.owns_guild, forward=forward, settle=settle)
        self.db.on_notice(CARDS_CHANNEL, lambda notice: self._card_asked(card_asks.StaleCard.from_notice(notice)))
        self._background: set[asyncio.Task[Any]] = set()
        self._announced_ready = False
        self._closing: asyncio.Future[None] | None = None
        self._identify_concurrency: int | None = None
        self._members_seen: dict[tuple[int, int], tuple[bool, float]] = {}
        self.web = WebServer(self, config.web_host, config.web_port) if config.web_port is not None else None
        self._gateway_up: dict[int, bool] = {}  # shard id: whether its session is up (READY or RESUMED)

    def later(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run follow-up work (DMs, card refreshes, thread changes) after the member has been answered."""
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("follow-up work failed", exc_info=task.exception())

    async def setup_hook(self) -> None:
        await self.db.open()
        self.db.after_commit(lambda tx: metrics.DB_TRANSACTION_SECONDS.observe(time.monotonic() - tx.began))
        self.db.on_audit(
            AuditMirror(
                self,
                self.services.settings.log_channel_id,
                self.pacer,
                language_of=self.language_of_server,
                names_of=self.names_of_server,
            )
        )
        for name in cog_modules():
            await self.load_extension(name)
        await self.services.retention.ensure_scheduled()  # the daily job that keeps less (`/setup retention`)
        await self.services.scheduler.start()
        await self.tree.set_translator(CatalogueTranslator())
        if self.db.shares_notices:  # cards other processes asked this one to refresh while it was down
            for card in await card_asks.stale_cards(self.db):
                self._card_asked(card)
        if self.web is not None:
            await self.web.start()
        await self.sync_commands_if_changed()

    def _card_asked(self, card: card_asks.StaleCard) -> None:
        self.cards.asked(card.kind, card.card_id, card.channel_id, card.guild_id, card.version)

    async def sync_commands_if_changed(self) -> None:
        """Sync commands with Discord when they changed since the last sync (Discord rate-limits it);
        with several processes starting at once, one syncs and the others find nothing to do."""
        async with self.db.exclusively("command-sync") as mine:
            if mine:
                await self._sync_commands()

    async def _sync_commands(self) -> None:
        scopes: list[discord.Object | None] = [None]
        for guild_id in self.config.dev_guilds:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            scopes.append(guild)
        translator = self.tree.translator or CatalogueTranslator()
        for scope in scopes:
            commands_here = self.tree.get_commands(guild=scope)
            payload = [await cmd.get_translated_payload(self.tree, translator) for cmd in commands_here]
            digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
            key = f"command_hash:{scope.id if scope else 'global'}"
            if await meta.get(self.db, key) == digest:
                continue
            synced = await self.tree.sync(guild=scope)
            await meta.put(self.db, key, digest)
            log.info("synced %d commands (%s)", len(synced), f"server {scope.id}" if scope else "global")

    async def on_ready(self) -> None:
        if not self._announced_ready:
            self._announced_ready = True
            log.info("Rota is ready as %s in %d servers", self.user, len(self.guilds))

    async def close(self) -> None:
        """Stop in order: no new jobs, finish follow-ups and card edits, disconnect, close the database.
        Called twice on SIGTERM (our handler, then `async with`), so the work runs once and is shared."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close_once())
        await asyncio.shield(self._closing)

    async def _close_once(self) -> None:
        if self.web is not None:  # first: no feed request may start on a closing database
            await self.web.stop()
        await self.services.scheduler.stop()
        if self._background:
            await asyncio.wait(self._background, timeout=5)
        await self.cards.flush()
        await self.services.languages.close()
        await super().close()
        await self.db.close()

    # --- what operators watch (bot/metrics.py, /healthz) ---------------------------------------

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        metrics.interaction_received(interaction)

    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu
    ) -> None:
        metrics.count_interaction(interaction, "ok")

    async def on_shard_ready(self, shard_id: int) -> None:
        if shard_id in self._gateway_up:  # not the first session: it had to identify again
            metrics.GATEWAY_RECONNECTS.labels(str(shard_id), "identify").inc()
        self._gateway_up[shard_id] = True

    async def on_shard_resumed(self, shard_id: int) -> None:
        metrics.GATEWAY_RECONNECTS.labels(str(shard_id), "resume").inc()
        self._gateway_up[shard_id] = True

    async def on_shard_disconnect(self, shard_id: int) -> None:
        if shard_id in self._gateway_up:
            self._gateway_up[shard_id] = False

    def gateway_up(self, shard_id: int) -> bool:
        """Whether the shard's gateway session is up: READY or RESUMED since its last disconnect."""
        return self._gateway_up.get(shard_id, False)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Take this shard's turn at identifying, shared with every process on the database."""
        if self._identify_concurrency is None:
            self._identify_concurrency = (await self.fetch_session_start_limits()).max_concurrency
        await wait_for_identify_turn(
            self.db, shard_id or 0, self._identify_concurrency, window=self.config.identify_window
        )

    # --- membership: Rota gets no event when someone leaves (no members intent), so it asks -----

    async def still_member(self, guild_id: int, user_id: int) -> bool:
        """Whether the person is still in the server, asked of Discord (cached a few minutes). Only
        Discord's "unknown member" counts as gone: any other failure is no reason to skip anyone."""
        key, now = (guild_id, user_id), time.monotonic()
        known = self._members_seen.get(key)
        if known is not None and now - known[1] < MEMBERSHIP_SECONDS:
            return known[0]
        try:
            present = await discord_rest.is_member(self, guild_id, user_id)
        except discord.HTTPException:
            return True
        self._members_seen[key] = (present, now)
        return present

    # --- languages: Rota speaks first in the reader's language ---------------------------------

    async def language_of_member(self, user_id: int) -> str:
        """The language of a DM to this member: the one they last used with Rota, else English."""
        return language_for(await self.services.languages.of_member(user_id))

    async def language_of_server(self, guild_id: int) -> str:
        """The language of what everyone in a server reads: the one it chose, else its Discord
        language (Discord tells every bot a server's preferred locale), else English."""
        return self._server_language(guild_id, await self.services.languages.of_server(guild_id))

    def _server_language(self, guild_id: int, chosen: str | None) -> str:
        if chosen is not None:
            return chosen
        guild = self.get_guild(guild_id)
        return language_for(guild.preferred_locale.value) if guild is not None else ENGLISH

    async def names_of_server(self, guild_id: int) -> str:
        """Whose names this server's public messages show (`/setup privacy`)."""
        return (await self.services.settings.get(guild_id)).names

    @asynccontextmanager
    async def speaking_to_server(self, guild_id: int) -> AsyncIterator[None]:
        """Make text inside the block in the server's language (cards, announcements, the log)."""
        current = await self.services.settings.get(guild_id)  # one read for the language and the names
        with speaking(self._server_language(guild_id, current.language)), reading(public(current.names)):
            yield

    async def reading_privately(self, guild_id: int, reader_id: int, shares_with: Iterable[int] = ()) -> Audience:
        """The audience of a private answer to one member (whose names they may see)."""
        return private((await self.services.settings.get(guild_id)).names, reader_id, shares_with)

    async def dm(
        self,
        user_id: int,
        write: Callable[[], str],
        *,
        view: Callable[[], discord.ui.View] | None = None,
        nonce: int | str | None = None,
    ) -> bool:
        """DM a member, written in their language; False when their DMs are closed."""
        # A DM is read by its recipient alone, about things that concern them: names stay.
        with speaking(await self.language_of_member(user_id)), reading(Audience()):
            content = write()
            extra: dict[str, Any] = {} if view is None else {"view": view()}
        if nonce is not None:
            extra["nonce"] = nonce
        return await send_dm(self, user_id, content, **extra)

    async def dm_all(self, user_ids: Iterable[int], write: Callable[[], str]) -> None:
        for user_id in user_ids:
            await self.dm(user_id, write)

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process runs the shard Discord sends this server's events to."""
        if self.config.shard_ids is None or self.config.shard_count is None:
            return True  # every shard runs here
        return shard_of(guild_id, self.config.shard_count) in self.config.shard_ids

    @staticmethod
    def of(interaction: discord.Interaction) -> RotaBot:
        """The bot an interaction came to (every interaction Rota handles comes to a RotaBot)."""
        client = interaction.client
        assert isinstance(client, RotaBot)
        return client

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("unhandled error in %s", event_method)
