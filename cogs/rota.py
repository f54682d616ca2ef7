"""`/rota ...`, the swap Accept / Decline buttons and the scheduled hand-overs.

Every command acts for the member using it only. None of them asks who holds a turn: the
facilitator has no power. The cog calls one RotaService method, answers the member first, and then
(after answering) announces a new holder, moves the facilitator role and sends DMs.
"""

from __future__ import annotations

import enum
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import RotaBot
from bot.domain.governance import Names
from bot.domain.states import OfferKind
from bot.domain.text import display_name
from bot.scheduler import JobRun
from bot.services.rota import RotaChange
from bot.services.rota_turns import HANDOVER_JOB, Handover
from bot.ui import discord_rest, offer_render
from bot.ui import rota_render as render
from bot.ui.audience import private, reading
from bot.ui.channel_check import UNKNOWN_ROLE, channel_problems, role_deleted
from bot.ui.members import actor_from, guild_id_of
from bot.ui.replies import NO_PINGS, reply
from cogs.offers import ask_to_accept

log = logging.getLogger(__name__)

RotaName = app_commands.Range[str, 1, 32]


# --- telling people after a change -------------------------------------------------------------------


class RoleMove(enum.Enum):
    DONE = "done"
    FORBIDDEN = "forbidden"  # Manage Roles missing, or the role sits above the bot's
    GONE = "gone"  # a moderator deleted the role


async def move_role(bot: RotaBot, handover: Handover) -> RoleMove:
    """Move the rota's role from the last holder to the new one, and say how it went."""
    if handover.role_id is None:
        return RoleMove.DONE
    if role_deleted(bot, handover.guild_id, handover.role_id):
        return RoleMove.GONE
    async with bot.speaking_to_server(handover.guild_id):  # the server's audit log shows the reason
        reason = render.role_reason(handover)
    steps: list[tuple[str, int]] = []
    if handover.previous_id is not None and handover.previous_id != handover.holder_id:
        steps.append(("remove", handover.previous_id))
    if handover.holder_id is not None:
        steps.append(("add", handover.holder_id))
    outcome = RoleMove.DONE
    for step, user_id in steps:
        call = discord_rest.add_role if step == "add" else discord_rest.remove_role
        try:
            await call(bot, handover.guild_id, user_id, handover.role_id, reason=reason)
        except discord.Forbidden:
            outcome = RoleMove.FORBIDDEN
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_ROLE:
                return RoleMove.GONE
            log.info("could not %s the role of rota %s for %s: %s", step, handover.rota, user_id, exc)
        except discord.HTTPException as exc:
            log.info("could not %s the role of rota %s for %s: %s", step, handover.rota, user_id, exc)
    return outcome


async def announce_handover(bot: RotaBot, handover: Handover) -> None:
    from cogs.transparency import gone_from  # here, not at the top: that module builds on this one

    if handover.holder_id is not None and await gone_from(bot, handover.guild_id, handover.holder_id):
        return  # they left the server: leaving the rota passed the turn on, and that is announced
    role = await move_role(bot, handover)
    settings = await bot.services.settings.get(handover.guild_id)
    channel_id = settings.announce_channel_id
    # No announcement channel, or it was deleted or closed to the bot: tell the new holder by DM
    # rather than nobody (`/setup show` and `/rota show` say what to fix).
    unusable = {p.setting for p in channel_problems(bot, settings)}
    if channel_id is None or "announce_channel_id" in unusable:
        if handover.holder_id is not None:
            await bot.dm(handover.holder_id, lambda: render.handover_dm(handover))
        return
    hidden = settings.names == Names.HOLDERS.value
    if hidden and handover.holder_id is not None:  # the new holder hears privately; the channel, only that it moved
        await bot.dm(handover.holder_id, lambda: render.handover_dm(handover))
    mentions = (
        discord.AllowedMentions(users=[discord.Object(handover.holder_id)], everyone=False, roles=False)
        if handover.holder_id is not None and not hidden
        else NO_PINGS
    )
    async with bot.speaking_to_server(handover.guild_id):
        text = render.announcement(handover, role_failed=role is RoleMove.FORBIDDEN, role_gone=role is RoleMove.GONE)
    await bot.pacer.slot(channel_id)
    try:
        await bot.get_partial_messageable(channel_id, guild_id=handover.guild_id).send(text, allowed_mentions=mentions)
    except discord.HTTPException as exc:
        log.warning("could not announce the %s hand-over in channel %s: %s", handover.rota, channel_id, exc)
        if handover.holder_id is not None:
            await bot.dm(handover.holder_id, lambda: render.handover_dm(handover))


async def after_change(bot: RotaBot, change: RotaChange) -> None:
    if change.handover is not None:
        await announce_handover(bot, change.handover)
    rota = change.rota.name
    taken = change.taken
    if taken is not None and taken.user_id is not None:
        await bot.dm(taken.user_id, lambda: render.taken_dm(rota, taken))
    told = change.tell_next
    if told is not None and told.user_id is not None and (taken is None or told.user_id != taken.user_id):
        await bot.dm(told.user_id, lambda: render.next_dm(rota, told))


# --- the cog ---------------------------------------------------------------------------------------


@app_commands.guild_only()
class RotaCog(commands.GroupCog, group_name="rota", group_description="Take turns at facilitating, fairly"):
    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot
        self.rota = bot.services.rota
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.services.scheduler.register(HANDOVER_JOB, self.hand_over)

    async def rota_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        needle = current.strip().lower()
        names = await self.rota.names(guild_id_of(interaction))
        return [app_commands.Choice(name=n, value=n) for n in names if needle in n][:25]

    async def _changed(self, interaction: discord.Interaction, action: str, change: RotaChange) -> None:
        await reply(interaction, render.change_reply(action, change))
        self.bot.later(after_change(self.bot, change))

    @app_commands.command(name="show", description="Who holds the turn now, who is next, who is away, and the rule")
    @app_commands.describe(rota="Which rota (default: facilitator)")
    async def show(self, interaction: discord.Interaction, rota: RotaName | None = None) -> None:
        guild_id = guild_id_of(interaction)
        view = await self.rota.overview(guild_id, rota)
        settings = await self.bot.services.settings.get(guild_id)
        with reading(private(settings.names, interaction.user.id)):
            embed = render.show_embed(view, await self.rota.timezone(guild_id))
        if any(p.setting == "announce_channel_id" for p in channel_problems(self.bot, settings)):
            embed.add_field(
                name=render.announcements_missing_title(), value=render.announcements_missing(), inline=False
            )
        await reply(interaction, embed=embed)

    @app_commands.command(name="join", description="Volunteer for a rota (yourself only)")
    @app_commands.describe(rota="Which rota (default: facilitator)")
    async def join(self, interaction: discord.Interaction, rota: RotaName | None = None) -> None:
        change = await self.rota.join(guild_id_of(interaction), actor_from(interaction), rota)
        await self._changed(interaction, "join", change)

    @app_commands.command(name="leave", description="Step back from a rota; a turn you hold goes to the next in line")
    @app_commands.describe(rota="Which rota (default: facilitator)")
    async def leave(self, interaction: discord.Interaction, rota: RotaName | None = None) -> None:
        change = await self.rota.leave(guild_id_of(interaction), actor_from(interaction), rota)
        await self._changed(interaction, "leave", change)

    @app_commands.command(name="away", description="Say when you can't take a turn")
    @app_commands.rename(starts="from")
    @app_commands.describe(
        until="When you're back: '2026-12-20', 'sun 18:00', 'in 10 days'",
        starts="When you're away from (default: now)",
        rota="Which rota (default: facilitator)",
    )
    async def away(
        self,
        interaction: discord.Interaction,
        until: app_commands.Range[str, 1, 60],
        starts: app_commands.Range[str, 1, 60] | None = None,
        rota: RotaName | None = None,
    ) -> None:
        change = await self.rota.away(
            guild_id_of(interaction), actor_from(interaction), rota, starts=starts, until=until
        )
        await self._changed(interaction, "away", change)

    @app_commands.command(name="back", description="You're available again (ends your time away now)")
    @app_commands.describe(rota="Which rota (default: facilitator)")
    async def back(self, interaction: discord.Interaction, rota: RotaName | None = None) -> None:
        change = await self.rota.back(guild_id_of(interaction), actor_from(interaction), rota)
        await self._changed(interaction, "back", change)

    @app_commands.command(name="pass", description="Pass your current or next turn on to the next fair member")
    @app_commands.describe(rota="Which rota (default: facilitator)")
    async def pass_(self, interaction: discord.Interaction, rota: RotaName | None = None) -> None:
        change = await self.rota.pass_turn(guild_id_of(interaction), actor_from(interaction), rota)
        await self._changed(interaction, "pass", change)

    @app_commands.command(name="swap", description="Ask a member to swap your next turn with theirs")
    @app_commands.rename(other="with")
    @app_commands.describe(other="The member to swap with (they must accept)", rota="Which rota (default: facilitator)")
    async def swap(self, interaction: discord.Interaction, other: discord.Member, rota: RotaName | None = None) -> None:
        # The DM goes out before the answer, and a DM channel can be rate limited: defer first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        offered = await self.bot.services.swaps.offer(
            guild_id_of(interaction),
            actor_from(interaction),
            rota,
            other_id=other.id,
            other_name=display_name(other.display_name) or str(other.id),
        )
        swap = offered.swap
        await ask_to_accept(
            interaction,
            OfferKind.SWAP,
            swap.id,
            to=other.id,
            to_name=swap.other_name,
            question=lambda: offer_render.swap_ask(swap, offered.rota),
        )

    show.autocomplete("rota")(rota_autocomplete)
    join.autocomplete("rota")(rota_autocomplete)
    leave.autocomplete("rota")(rota_autocomplete)
    away.autocomplete("rota")(rota_autocomplete)
    back.autocomplete("rota")(rota_autocomplete)
    pass_.autocomplete("rota")(rota_autocomplete)
    swap.autocomplete("rota")(rota_autocomplete)

    # --- scheduled jobs --------------------------------------------------------------------------

    async def hand_over(self, run: JobRun) -> None:
        payload = run.job.payload
        handover = await self.bot.services.rota_turns.hand_over(int(payload["rota_id"]), int(payload["at"]), run.finish)
        if handover is not None:
            await announce_handover(self.bot, handover)


async def setup(bot: RotaBot) -> None:
    await bot.add_cog(RotaCog(bot))
