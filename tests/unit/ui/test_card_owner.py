"""With several processes, a card is edited only by the process that owns its server's shard."""

from __future__ import annotations

import asyncio
from typing import Any

import discord

from bot.ui.cards import CardKeeper, RenderedCard
from bot.ui.pacing import ChannelPacer


class Recorder:
    """Stands in for the bot: records every card edit instead of calling Discord."""

    def __init__(self) -> None:
        self.edits: list[int] = []

    def get_partial_messageable(self, channel_id: int, **_: Any) -> Any:
        recorder = self

        class Message:
            def __init__(self, message_id: int) -> None:
                self.message_id = message_id

            async def edit(self, **_: Any) -> None:
                recorder.edits.append(self.message_id)

        class Channel:
            def get_partial_message(self, message_id: int) -> Message:
                return Message(message_id)

        return Channel()


async def test_a_card_of_another_processs_server_is_forwarded_not_edited() -> None:
    bot = Recorder()
    forwarded: list[tuple[str, int, int, int]] = []
    settled: list[tuple[str, int, int]] = []

    async def forward(kind: str, card_id: int, channel_id: int, guild_id: int) -> None:
        forwarded.append((kind, card_id, channel_id, guild_id))

    async def settle(kind: str, card_id: int, version: int) -> None:
        settled.append((kind, card_id, version))

    keeper = CardKeeper(
        bot,  # type: ignore[arg-type]
        ChannelPacer(),
        gather=0.0,
        owns=lambda guild_id: guild_id == 1,
        forward=forward,
        settle=settle,
    )

    async def render(card_id: int) -> RenderedCard:
        return RenderedCard(10, 100 + card_id, None, discord.Embed(title="card"), None)

    keeper.register("shift", render)
    keeper.refresh("shift", 2, 20, guild_id=2)  # not ours: the owner is told
    keeper.refresh("shift", 1, 10, guild_id=1)  # ours: edited here
    await keeper.flush()
    while not forwarded:
        await asyncio.sleep(0)
    assert forwarded == [("shift", 2, 20, 2)] and bot.edits == [101]
    assert settled == []  # nobody asked for the card edited here

    keeper.asked("shift", 3, 10, 1, version=1)  # another process changed a card of ours
    keeper.asked("shift", 3, 10, 1, version=2)  # ... twice before it was edited: one edit, the newest ask settled
    keeper.asked("shift", 4, 20, 2, version=1)  # ... and one that is not ours either: ignored
    await keeper.flush()
    assert bot.edits == [101, 103] and settled == [("shift", 3, 2)]


async def test_without_other_processes_every_card_is_edited_here() -> None:
    bot = Recorder()
    keeper = CardKeeper(bot, ChannelPacer(), gather=0.0, owns=lambda guild_id: False, forward=None)  # type: ignore[arg-type]

    async def render(card_id: int) -> RenderedCard:
        return RenderedCard(10, card_id, None, discord.Embed(title="card"), None)

    keeper.register("shift", render)
    keeper.refresh("shift", 7, 10, guild_id=5)
    await keeper.flush()
    assert bot.edits == [7]
