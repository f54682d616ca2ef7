"""`/log`, `/stats` and `/mydata`: everything is visible, and each member controls their own data."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import json
import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Listening, RotaBot
from bot.domain.governance import ensure_may_follow
from bot.scheduler import JobRun
from bot.services.retention import RETENTION_JOB
from bot.services.transparency import Deletion
from bot.ui import transparency_render as render
from bot.ui.audience import member_name, reading
from bot.ui.audit_text import audit_line
from bot.ui.chart import Bar, bar_chart
from bot.ui.members import actor_from, guild_id_of
from bot.ui.replies import NO_PINGS, reply, run_guarded
from bot.ui.shift_render import promotion_text
from cogs.rota import after_change

log = logging.getLogger(__name__)

LOG_PAGE = 15
#: The kinds of entry `/log` can show; written out so the catalogue extractor finds each choice.
KIND_CHOICES = [
    app_commands.Choice(name="all", value="all"),
    app_commands.Choice(name="shifts", value="shifts"),
    app_commands.Choice(name="rota", value="rota"),
    app_commands.Choice(name="proposals", value="proposals"),
    app_commands.Choice(name="settings", value="settings"),
    app_commands.Choice(name="data", value="data"),
]


def plain(name: str) -> str:
    """A stored (markdown-escaped) name as plain text, for the chart."""
    return re.sub(r"\\(.)", r"\1", name).replace("\u200b", "")


class LogPageButton(
    Listening,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"log:(?P<kind>all|shifts|rota|proposals|settings|data):(?P<days>\d+):(?P<member>\d+):(?P<page>\d+)",
):
    def __init__(self, kind: str, days: int, member: int, page: int, label: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"log:{kind}:{days}:{member}:{page}",
            )
        )
        self.kind, self.days, self.member, self.page = kind, days, member, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> LogPageButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["kind"], int(match["days"]), int(match["member"]), int(match["page"]), label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        async def turn() -> None:
            embed, view = await log_page(interaction, self.kind, self.days, self.member, self.page)
            await interaction.response.edit_message(embed=embed, view=view)

        await run_guarded(interaction, turn)


class DeleteMyDataButton(
    Listening, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"mydata:delete:(?P<user>\d+)"
):
    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.delete_label(), style=discord.ButtonStyle.danger, custom_id=f"mydata:delete:{user_id}"
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> DeleteMyDataButton:
        return cls(int(match["user"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: delete_flow(interaction, self.user_id))


async def log_page(
    interaction: discord.Interaction, kind: str, days: int, member: int, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    bot = RotaBot.of(interaction)
    guild_id = guild_id_of(interaction)
    audience = await bot.reading_privately(guild_id, interaction.user.id)
    if member:  # picking out a member says what they did, whatever the lines call them
        ensure_may_follow(audience.names, interaction.user.id, member)
    entries = await bot.services.transparency.log(
        guild_id, days=days, kind=None if kind == "all" else kind, member_id=member or None
    )
    pages = max(1, -(-len(entries) // LOG_PAGE))
    page = min(max(page, 0), pages - 1)
    with reading(audience):  # names:holders: the reader's own name, nobody else's
        lines = [audit_line(e) for e in entries[page * LOG_PAGE : (page + 1) * LOG_PAGE]]
    embed = render.log_embed(kind, days, member, lines, page, pages)
    view = discord.ui.View(timeout=None)
    if pages > 1:
        view.add_item(LogPageButton(kind, days, member, max(page - 1, 0), render.newer_label(), disabled=page == 0))
        view.add_item(LogPageButton(kind, days, member, page + 1, render.older_label(), disabled=page >= pages - 1))
    return embed, view


async def post_note(bot: RotaBot, channel_id: int, text: str) -> None:
    await bot.pacer.slot(channel_id)
    with contextlib.suppress(discord.HTTPException):  # a missing thread is not worth failing a deletion over
        await bot.get_partial_messageable(channel_id).send(text, allowed_mentions=NO_PINGS)


async def after_stepping_back(bot: RotaBot, guild_id: int, done: Deletion) -> None:
    """What others see once a member's places and turns are freed (they deleted their data, or left
    the server): the cards, whoever moved up (told by DM), a note in each thread, the rotas' turns."""
    async with bot.speaking_to_server(guild_id):  # the note goes in each shift's thread, which everyone reads
        note = render.place_released()
    for release in done.released:
        bot.cards.refresh("shift", release.shift.id, release.shift.channel_id, guild_id=release.shift.guild_id)
        if release.promoted is not None:
            bot.later(bot.dm(release.promoted.user_id, functools.partial(promotion_text, release.shift)))
        if release.shift.thread_id is not None:
            bot.later(post_note(bot, release.shift.thread_id, note))
    for change in done.rotas_left:
        bot.later(after_change(bot, change))


async def gone_from(bot: RotaBot, guild_id: int, user_id: int) -> bool:
    """Whether the member has left the server; if so, their places and turns are freed first, so
    nobody is reminded, asked or pinged who is no longer there."""
    if await bot.still_member(guild_id, user_id):
        return False
    done = await bot.services.transparency.member_left(guild_id, user_id)
    if done is not None:
        await after_stepping_back(bot, guild_id, done)
    return True


async def delete_flow(interaction: discord.Interaction, user_id: int) -> None:
    if interaction.user.id != user_id:
        await reply(interaction, render.only_the_asker())
        return
    bot = RotaBot.of(interaction)
    guild_id = guild_id_of(interaction)
    done = await bot.services.transparency.delete_member(guild_id, actor_from(interaction))
    bot.services.languages.forget(user_id)
    await interaction.response.edit_message(content=render.deletion_text(done), view=None, allowed_mentions=NO_PINGS)
    await after_stepping_back(bot, guild_id, done)
    for proposal_id in done.positions_withdrawn:
        channel_id = await bot.services.transparency.proposal_channel(proposal_id)
        bot.cards.refresh("proposal", proposal_id, channel_id, guild_id=guild_id_of(interaction))


@app_commands.guild_only()
class TransparencyCog(commands.Cog):
    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot
        self.service = bot.services.transparency

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(LogPageButton, DeleteMyDataButton)
        self.bot.services.scheduler.register(RETENTION_JOB, self.keep_less)  # scheduled in RotaBot.setup_hook

    async def keep_less(self, run: JobRun) -> None:
        """The daily retention job: old records name nobody (nothing is posted about it)."""
        done = await self.bot.services.retention.run(run.finish)
        changed = {g: d for g, d in done.items() if d.shifts or d.proposals or d.log_entries}
        log.info("retention: anonymised old records in %d servers: %s", len(changed), changed)

    @app_commands.command(name="log", description="The public record of who did what")
    @app_commands.describe(member="Only this member's actions", kind="Which kind of actions", days="How far back")
    @app_commands.choices(kind=KIND_CHOICES)
    async def log(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        kind: str = "all",
        days: app_commands.Range[int, 1, 3650] = 30,
    ) -> None:
        embed, view = await log_page(interaction, kind, days, member.id if member else 0, 0)
        await reply(interaction, embed=embed, view=view)

    @app_commands.command(name="stats", description="How evenly shifts, facilitation and proposals are shared")
    @app_commands.describe(days="How far back (default 90 days)")
    async def stats(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 90) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = guild_id_of(interaction)
        stats = await self.service.stats(guild_id, days)
        with reading(await self.bot.reading_privately(guild_id, interaction.user.id)):  # totals stay; names may not
            bars = [Bar(plain(member_name(p.name, p.user_id)), p.shifts_taken, p.turns_held) for p in stats.people]
            embed = render.stats_embed(stats)
        png = await asyncio.to_thread(bar_chart, bars, title=render.chart_title(days))  # in this language
        file = discord.File(io.BytesIO(png), filename=render.CHART_FILENAME, description=render.chart_description())
        await interaction.followup.send(embed=embed, file=file, ephemeral=True, allowed_mentions=NO_PINGS)

    mydata = app_commands.Group(name="mydata", description="Your own data: see it all, or delete it", guild_only=True)

    @mydata.command(name="export", description="A JSON file of everything Rota stores about you in this server")
    async def export(self, interaction: discord.Interaction) -> None:
        data = await self.service.export(guild_id_of(interaction), interaction.user.id)
        raw = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8")
        file = discord.File(io.BytesIO(raw), filename="rota-my-data.json", description=render.export_description())
        await reply(interaction, render.export_text(), file=file)

    @mydata.command(name="delete", description="Delete your personal data in this server (asks to confirm)")
    async def delete(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(DeleteMyDataButton(interaction.user.id))
        await reply(interaction, render.delete_warning(), view=view)


async def setup(bot: RotaBot) -> None:
    await bot.add_cog(TransparencyCog(bot))
