"""Accept / Decline on an offer to one member (a shift handoff or a rota swap), and its lapse.

Both kinds are asked the same way and answered through one button whose custom_id carries all
its state, so an answer works after a restart and from a DM (which Discord delivers to shard 0).
The ids keep the forms the two kinds had before they shared this flow, so old DMs still work.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import discord
from discord.ext import commands

from bot.app import Listening, RotaBot
from bot.domain.governance import Names
from bot.domain.records import Handoff
from bot.domain.states import OfferKind, OfferStatus
from bot.scheduler import Handler, JobRun
from bot.services.offers import LAPSE_ID_FIELDS, LAPSE_JOBS, OfferEnded
from bot.ui import offer_render as render
from bot.ui.members import actor_from, guild_id_of
from bot.ui.notify import add_to_thread, remove_from_thread
from bot.ui.replies import NO_PINGS, reply, run_guarded
from cogs.shift_buttons import CARD

_ID_PREFIX = {OfferKind.HANDOFF: "handoff", OfferKind.SWAP: "rota:swap"}
_KIND_OF_PREFIX = {prefix: kind for kind, prefix in _ID_PREFIX.items()}


class OfferButton(
    Listening,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"(?P<kind>handoff|rota:swap):(?P<answer>accept|decline):(?P<id>\d+)",
):
    """Accept or Decline on one offer; only the member it was made to can answer."""

    def __init__(self, kind: OfferKind, offer_id: int, accept: bool) -> None:
        answer = "accept" if accept else "decline"
        super().__init__(
            discord.ui.Button(
                label=render.answer_label(kind, accept=accept),
                style=discord.ButtonStyle.success if accept else discord.ButtonStyle.secondary,
                custom_id=f"{_ID_PREFIX[kind]}:{answer}:{offer_id}",
            )
        )
        self.kind, self.offer_id, self.accept = kind, offer_id, accept

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> OfferButton:
        return cls(_KIND_OF_PREFIX[match["kind"]], int(match["id"]), match["answer"] == "accept")

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: answer_flow(interaction, self.kind, self.offer_id, self.accept))


def offer_view(kind: OfferKind, offer_id: int) -> discord.ui.View:
    """Accept and Decline for one offer."""
    view = discord.ui.View(timeout=None)
    view.add_item(OfferButton(kind, offer_id, True))
    view.add_item(OfferButton(kind, offer_id, False))
    return view


async def ask_to_accept(
    interaction: discord.Interaction,
    kind: OfferKind,
    offer_id: int,
    *,
    to: int,
    to_name: str,
    question: Callable[[], str],
) -> None:
    """Ask the member by DM, in their language; if their DMs are closed, ask them here (in the
    server's language, since everyone reads it), pinging only them.

    The command has deferred (a DM channel can be rate limited), so both answers are follow-ups;
    the public question is a follow-up too, which needs no Send Messages permission in the channel.
    """
    bot = RotaBot.of(interaction)
    if await bot.dm(to, question, view=lambda: offer_view(kind, offer_id)):
        await reply(interaction, render.asked(kind, to_name, by_dm=True))
        return
    guild_id = guild_id_of(interaction)
    if (await bot.services.settings.get(guild_id)).names == Names.HOLDERS.value:
        # Asking in the channel would name them to everyone: the offer waits (and lapses) unanswered.
        await reply(interaction, render.cannot_ask_here(to_name))
        return
    await reply(interaction, render.asked(kind, to_name, by_dm=False))
    async with bot.speaking_to_server(guild_id):
        text, view = question(), offer_view(kind, offer_id)
    only_them = discord.AllowedMentions(users=[discord.Object(to)], everyone=False, roles=False)
    await interaction.followup.send(f"<@{to}>: {text}", view=view, allowed_mentions=only_them)


async def answer_flow(interaction: discord.Interaction, kind: OfferKind, offer_id: int, accept: bool) -> None:
    """The answer replaces the question; the member who offered is told by DM."""
    bot = RotaBot.of(interaction)
    ended = await bot.services.offers.answer(kind, offer_id, actor_from(interaction), accept=accept)
    mine, _theirs = render.answered(ended)
    await interaction.response.edit_message(content=mine, view=None, allowed_mentions=NO_PINGS)
    bot.later(bot.dm(ended.offerer_id, lambda: render.answered(ended)[1]))  # in the offerer's language
    after_accept(bot, ended)


def after_accept(bot: RotaBot, ended: OfferEnded) -> None:
    """A place that moved shows on its card, and its new holder joins the shift's thread."""
    if ended.status is not OfferStatus.ACCEPTED or not isinstance(ended.offer, Handoff) or ended.shift is None:
        return
    shift, handoff = ended.shift, ended.offer
    bot.cards.refresh(CARD, shift.id, shift.channel_id, guild_id=shift.guild_id)
    bot.later(add_to_thread(bot, shift.thread_id, handoff.recipient_id))
    bot.later(remove_from_thread(bot, shift.thread_id, handoff.giver_id))


def _lapsed_text(ended: OfferEnded, user_id: int) -> str:
    return render.lapsed(ended)[user_id]


class OfferCog(commands.Cog):
    """Registers the answer button and the lapse jobs of both kinds of offer."""

    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(OfferButton)
        for kind, job in LAPSE_JOBS.items():
            self.bot.services.scheduler.register(job, self._lapse_handler(kind))

    def _lapse_handler(self, kind: OfferKind) -> Handler:
        async def lapse(run: JobRun) -> None:
            offer_id = int(run.job.payload[LAPSE_ID_FIELDS[kind]])
            ended = await self.bot.services.offers.lapse(kind, offer_id, run.finish)
            if ended is None:
                return
            for user_id in render.lapsed(ended):  # each side's DM in their own language
                await self.bot.dm(user_id, functools.partial(_lapsed_text, ended, user_id))

        return lapse


async def setup(bot: RotaBot) -> None:
    await bot.add_cog(OfferCog(bot))
