"""Cards (shift and proposal messages) are edited in place, never re-sent, and edits are coalesced.

`CardKeeper.refresh(kind, id, channel, guild_id=...)` marks a card dirty and returns at once. One
worker per channel takes dirty cards in turn, waits for a write slot, renders the card from the
database *at that moment* and edits the message. However many changes arrive meanwhile, each card
gets at most one pending edit, and the last edit always shows what the database holds.

With several processes, a card is edited only by the process that runs its server's shard, so one
channel's writes are paced in one place: another process that changed the card asks the owner
through the database instead (`forward`), and the owner refreshes it as if the change were its own,
then settles the ask (`settle`). Asks are kept in the database, so one made while the owner was
down is done when it starts.

A moderator may delete a card (Rota runs without the message intents, so it learns this only when
the next edit answers 10008). A card that still matters (a shift ahead, an open proposal) is then
posted again, once per deletion: through the channel's pacer like any write, rendered in the
server's language like every card, and its new message id stored (`reattach`), so the next edit
finds it and its buttons (whose ids carry all their state) keep working. If the channel is gone
(10003) or Rota may no longer post there (50001, 50013), that is logged once and the card left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import discord

from bot.ui.pacing import ChannelPacer
from bot.ui.replies import NO_PINGS

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RenderedCard:
    channel_id: int
    message_id: int
    content: str | None
    embed: discord.Embed
    view: discord.ui.View | None
    thread_id: int | None = None
    #: Post the card again if it was deleted: it still matters (a shift ahead, an open proposal).
    repost: bool = False


class Reattach(Protocol):
    """Store where a re-posted card now is, unless its stored message is no longer `was` (then
    another process posted it again first); True when stored."""

    def __call__(self, card_id: int, /, *, was: int, message_id: int, thread_id: int | None) -> Awaitable[bool]: ...


UNKNOWN_CHANNEL = 10003
UNKNOWN_MESSAGE = 10008

Renderer = Callable[[int], Awaitable[RenderedCard | None]]
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: people coordinate in the thread until the shift or decision


@dataclass(frozen=True, slots=True)
class PostedCard:
    message: discord.Message
    thread_id: int | None


GATHER_SECONDS = 0.3
Forward = Callable[[str, int, int, int], Coroutine[Any, Any, None]]  # kind, card, channel, server
Settle = Callable[[str, int, int], Coroutine[Any, Any, None]]  # kind, card, the ask's version


class CardKeeper:
    def __init__(
        self,
        bot: discord.Client,
        pacer: ChannelPacer,
        gather: float = GATHER_SECONDS,
        *,
        owns: Callable[[int], bool] = lambda guild_id: True,
        forward: Forward | None = None,
        settle: Settle | None = None,
    ) -> None:
        """`owns(guild_id)`: this process edits that server's cards. `forward` asks the process
        that does (None: there is no other process to ask, so edit here); `settle` marks an ask done."""
        self._bot = bot
        self._pacer = pacer
        self._gather = gather
        self._owns = owns
        self._forward = forward
        self._settle = settle
        self._asks: dict[tuple[str, int], int] = {}  # card -> newest ask's version, for `settle`
        self._forwarding: set[asyncio.Task[None]] = set()
        self._renderers: dict[str, Renderer] = {}
        self._reattach: dict[str, Reattach] = {}
        # What Discord refused for good, remembered in this process so that it is logged once and
        # costs no further request: deleted channels, and cards (by the message they were left at)
        # that were deleted and could not be posted again. A restart tries them once more.
        self._gone_channels: set[int] = set()
        self._left: dict[tuple[str, int], int] = {}
        self._edit_refused: set[tuple[str, int]] = set()  # cards whose edit was refused (logged once)
        self._dirty: dict[int, dict[tuple[str, int], None]] = {}  # channel -> ordered set of cards
        self._workers: dict[int, asyncio.Task[None]] = {}

    def register(self, kind: str, renderer: Renderer, *, reattach: Reattach | None = None) -> None:
        """How to render a kind of card, and (to post deleted cards again) how to store their new place."""
        self._renderers[kind] = renderer
        if reattach is not None:
            self._reattach[kind] = reattach

    def refresh(self, kind: str, card_id: int, channel_id: int | None, *, guild_id: int) -> None:
        """Edit the card soon (here, or by the process that owns its server)."""
        if channel_id is None:
            return
        if self._forward is not None and not self._owns(guild_id):
            task = asyncio.get_running_loop().create_task(self._forward(kind, card_id, channel_id, guild_id))
            self._forwarding.add(task)
            task.add_done_callback(self._forwarding.discard)
            return
        self._dirty.setdefault(channel_id, {})[(kind, card_id)] = None
        worker = self._workers.get(channel_id)
        if worker is None or worker.done():
            self._workers[channel_id] = asyncio.get_running_loop().create_task(
                self._work(channel_id), name=f"rota-cards-{channel_id}"
            )

    def asked(self, kind: str, card_id: int, channel_id: int, guild_id: int, version: int) -> None:
        """Another process changed a card (now, or while this one was down): refresh it if it is
        ours, then settle the ask."""
        if not self._owns(guild_id):
            return
        self._asks[(kind, card_id)] = max(version, self._asks.get((kind, card_id), 0))
        self.refresh(kind, card_id, channel_id, guild_id=guild_id)

    async def post(
        self,
        channel_id: int,
        *,
        guild_id: int,
        embed: discord.Embed,
        view: discord.ui.View,
        thread_name: str,
        private_thread: bool = False,
    ) -> PostedCard | None:
        """Post a new card and open its discussion thread; None if the channel refuses the card.
        A `private_thread` is not started from the card (that would make it public) but beside it,
        and only the members added to it (and moderators) can see it."""
        await self._pacer.slot(channel_id)
        channel = self._bot.get_partial_messageable(channel_id, guild_id=guild_id)
        try:
            message = await channel.send(embed=embed, view=view, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("could not post a card in channel %s: %s", channel_id, exc)
            return None
        thread_id: int | None = None
        try:
            name = discord.utils.remove_markdown(thread_name)[:100]
            if private_thread:
                thread_id = await self._private_thread(channel_id, name)
            else:
                thread = await message.create_thread(name=name, auto_archive_duration=THREAD_ARCHIVE_MINUTES)
                thread_id = thread.id
        except discord.HTTPException as exc:
            log.info("no thread for the card %s: %s", message.id, exc)
        return PostedCard(message, thread_id)

    async def _private_thread(self, channel_id: int, name: str) -> int | None:
        channel = self._bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):  # private threads live in text channels only
            log.info("no private thread in channel %s (not a cached text channel)", channel_id)
            return None
        thread = await channel.create_thread(
            name=name,
            type=discord.ChannelType.private_thread,
            invitable=False,  # its holders cannot bring in others: membership follows the places
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        )
        return thread.id

    async def flush(self) -> None:
        """Wait until every pending refresh has been written (used at shutdown and in tests)."""
        while any(not worker.done() for worker in self._workers.values()):
            await asyncio.gather(*self._workers.values(), return_exceptions=True)

    async def _work(self, channel_id: int) -> None:
        while self._dirty.get(channel_id):
            # Let a burst gather first: edits spent on its first claims would use up the channel's
            # five writes per window, and the edit showing the final state would wait seconds for one.
            await asyncio.sleep(self._gather)
            await self._pacer.slot(channel_id)
            pending = self._dirty.get(channel_id)
            if not pending:
                return
            key = next(iter(pending))
            del pending[key]
            version = self._asks.pop(key, None)
            try:
                if await self._write(*key) and version is not None and self._settle is not None:
                    await self._settle(*key, version)
            except Exception:
                log.exception("could not refresh %s card %s", *key)
        self._dirty.pop(channel_id, None)

    async def _write(self, kind: str, card_id: int) -> bool:
        """Edit the card to what the database holds; False if Discord failed and it may be retried."""
        card = await self._renderers[kind](card_id)
        key = (kind, card_id)
        if card is None:
            return True
        if card.channel_id in self._gone_channels or self._left.get(key) == card.message_id:
            log.info("%s card %s is left as it is (its channel or message is gone)", kind, card_id)
            return True
        message = self._bot.get_partial_messageable(card.channel_id).get_partial_message(card.message_id)
        kwargs: dict[str, Any] = {"content": card.content, "embed": card.embed, "allowed_mentions": NO_PINGS}
        kwargs["view"] = card.view
        try:
            await message.edit(**kwargs)
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_MESSAGE:
                return await self._post_again(kind, card_id, card)
            self._channel_gone(card.channel_id, exc)
        except discord.Forbidden as exc:
            # The bot lost access to the channel. Later changes try again (one request each, so
            # the card is right again once access is given back), but this is logged only once.
            if key not in self._edit_refused:
                self._edit_refused.add(key)
                log.warning("could not edit %s card %s: %s", kind, card_id, exc)
        except discord.HTTPException as exc:
            log.warning("could not edit %s card %s: %s", kind, card_id, exc)
            return False
        else:
            self._edit_refused.discard(key)
        return True

    async def _post_again(self, kind: str, card_id: int, card: RenderedCard) -> bool:
        """The card's message was deleted: post the card again where it was, and store where it now is."""
        key = (kind, card_id)
        reattach = self._reattach.get(kind)
        if not card.repost or reattach is None:
            log.info("%s card %s was deleted from Discord; nothing left to show, so leaving it", kind, card_id)
            self._left[key] = card.message_id
            return True
        thread_id = await self._thread_still_there(card.thread_id)
        await self._pacer.slot(card.channel_id)
        channel = self._bot.get_partial_messageable(card.channel_id)
        try:
            extra: dict[str, Any] = {} if card.view is None else {"view": card.view}
            message = await channel.send(content=card.content, embed=card.embed, allowed_mentions=NO_PINGS, **extra)
        except (discord.NotFound, discord.Forbidden) as exc:  # channel gone (10003), or access lost (50001, 50013)
            if exc.code == UNKNOWN_CHANNEL:
                self._gone_channels.add(card.channel_id)
            self._left[key] = card.message_id
            log.warning("%s card %s was deleted and cannot be posted again: %s; leaving it", kind, card_id, exc)
            return True
        except discord.HTTPException as exc:
            log.warning("could not post deleted %s card %s again: %s", kind, card_id, exc)
            return False
        # A card started its thread, which Discord keeps (orphaned) when the card is deleted, so the
        # new card uses the same thread; a thread cannot be moved onto another message, so the new
        # card shows no thread of its own. If the thread was deleted too, the card goes on without
        # one (its thread posts go to the channel instead).
        if await reattach(card_id, was=card.message_id, message_id=message.id, thread_id=thread_id):
            log.info("%s card %s was deleted from Discord; posted it again as message %s", kind, card_id, message.id)
            return True
        # Another process posted it again first (only the owner of a server edits its cards, so this
        # is a hand-over race): this copy is one too many.
        await self._pacer.slot(card.channel_id)
        try:
            await message.delete()
        except discord.HTTPException as exc:
            log.warning("could not delete a second copy of %s card %s: %s", kind, card_id, exc)
        return True

    async def _thread_still_there(self, thread_id: int | None) -> int | None:
        """The card's thread if it still exists: an active one is in discord.py's cache, an archived
        one is looked up (one request, once per deletion); only Discord's 404 says it is gone."""
        if thread_id is None or isinstance(self._bot.get_channel(thread_id), discord.Thread):
            return thread_id
        try:
            await self._bot.fetch_channel(thread_id)
        except discord.NotFound:
            return None
        except discord.HTTPException as exc:
            log.info("could not look up thread %s (%s); keeping it", thread_id, exc)
        return thread_id

    def _channel_gone(self, channel_id: int, exc: discord.HTTPException) -> None:
        if channel_id not in self._gone_channels:
            self._gone_channels.add(channel_id)
            log.warning("the cards' channel %s is gone (%s); its cards are left as they are", channel_id, exc)
