"""`/shift ...` and the Claim / Leave / waitlist / handoff buttons: members put themselves on shifts.

The cog parses the interaction, calls one ShiftService method, answers the member first, and then
(after answering) refreshes the card, adjusts the shift's thread and sends any DMs.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import RotaBot
from bot.domain.errors import ShiftFull
from bot.domain.ical import CalendarEvent, calendar
from bot.domain.shifts import ClaimKind, HandoffStatus
from bot.domain.text import display_name
from bot.scheduler import JobRun
from bot.services.shifts import HANDOFF_LAPSE_JOB, REMINDER_JOB, SHIFT_STARTED_JOB, ClaimOutcome, LeaveOutcome
from bot.store.shifts import Shift
from bot.ui import shift_render as render
from bot.ui.cards import RenderedCard
from bot.ui.format import safe, span, ts
from bot.ui.members import actor_from, guild_id_of
from bot.ui.notify import add_to_thread, remove_from_thread, send_dm, tell_all
from bot.ui.replies import NO_PINGS, reply, run_guarded

log = logging.getLogger(__name__)

PAGE_SIZE = 10
#: Discord integer options stop at 2**53; SQLite's at 2**63. Anything above is no shift of ours.
ShiftNumber = app_commands.Range[int, 1, 2**53 - 1]
CARD = "shift"


def rota(interaction: discord.Interaction) -> RotaBot:
    client = interaction.client
    assert isinstance(client, RotaBot)
    return client


# --- buttons that survive restarts: all their state is in the custom_id -----------------------


class ClaimButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"shift:claim:(?P<id>\d+)"):
    def __init__(self, shift_id: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Claim a place",
                style=discord.ButtonStyle.success,
                custom_id=f"shift:claim:{shift_id}",
                disabled=disabled,
            )
        )
        self.shift_id = shift_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> ClaimButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: claim_flow(interaction, self.shift_id, join_waitlist=False))


class WaitlistButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"shift:wait:(?P<id>\d+)"):
    def __init__(self, shift_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Join the waitlist", style=discord.ButtonStyle.primary, custom_id=f"shift:wait:{shift_id}"
            )
        )
        self.shift_id = shift_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> WaitlistButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: claim_flow(interaction, self.shift_id, join_waitlist=True))


class LeaveButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"shift:leave:(?P<id>\d+)"):
    def __init__(self, shift_id: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Leave",
                style=discord.ButtonStyle.secondary,
                custom_id=f"shift:leave:{shift_id}",
                disabled=disabled,
            )
        )
        self.shift_id = shift_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> LeaveButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: leave_flow(interaction, self.shift_id))


class HandoffButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"handoff:(?P<answer>accept|decline):(?P<id>\d+)"
):
    def __init__(self, handoff_id: int, answer: str) -> None:
        accept = answer == "accept"
        super().__init__(
            discord.ui.Button(
                label="Accept the place" if accept else "Decline",
                style=discord.ButtonStyle.success if accept else discord.ButtonStyle.secondary,
                custom_id=f"handoff:{answer}:{handoff_id}",
            )
        )
        self.handoff_id = handoff_id
        self.accept = accept

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> HandoffButton:
        return cls(int(match["id"]), match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: handoff_answer_flow(interaction, self.handoff_id, self.accept))


class ListPageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"shift:list:(?P<show>open|mine|all):(?P<days>\d+):(?P<page>\d+)",
):
    def __init__(self, show: str, days: int, page: int, label: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"shift:list:{show}:{days}:{page}",
            )
        )
        self.show, self.days, self.page = show, days, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> ListPageButton:
        return cls(match["show"], int(match["days"]), int(match["page"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        async def turn() -> None:
            embed, view = await list_page(interaction, self.show, self.days, self.page)
            await interaction.response.edit_message(embed=embed, view=view)

        await run_guarded(interaction, turn)


class PickShiftSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"shift:pick"):
    """One tap from a list to a place: choosing a shift claims a place on it (or offers the waitlist)."""

    def __init__(self, options: list[tuple[int, str]] | None = None) -> None:
        choices = [discord.SelectOption(label=label, value=str(shift_id)) for shift_id, label in (options or [])]
        super().__init__(
            discord.ui.Select(custom_id="shift:pick", placeholder="Take a place on…", options=choices[:25])
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select[Any], match: Any
    ) -> PickShiftSelect:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or []
        if not values or not str(values[0]).isdigit():
            return
        await run_guarded(interaction, lambda: claim_flow(interaction, int(values[0]), join_waitlist=False))


def card_view(shift: Shift, now: datetime) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    closed = shift.cancelled or shift.starts_at <= now
    view.add_item(ClaimButton(shift.id, disabled=closed))
    view.add_item(LeaveButton(shift.id, disabled=closed))
    return view


def handoff_view(handoff_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(HandoffButton(handoff_id, "accept"))
    view.add_item(HandoffButton(handoff_id, "decline"))
    return view


# --- flows shared by commands and buttons --------------------------------------------------------


async def claim_flow(interaction: discord.Interaction, shift_id: int, *, join_waitlist: bool) -> None:
    bot = rota(interaction)
    try:
        outcome = await bot.services.shifts.claim(
            guild_id_of(interaction), actor_from(interaction), shift_id, join_waitlist=join_waitlist
        )
    except ShiftFull as full:
        view = discord.ui.View(timeout=None)
        view.add_item(WaitlistButton(shift_id))
        await reply(
            interaction,
            f"Every place on shift #{shift_id} is taken. Join the waitlist? You would be "
            f"number {full.waitlist_position}, and you get the next free place automatically.",
            view=view,
        )
        return
    await reply(interaction, claim_text(outcome))
    if outcome.result.kind is ClaimKind.CLAIMED:
        bot.cards.refresh(CARD, shift_id, outcome.shift.channel_id)
        bot.later(add_to_thread(bot, outcome.shift.thread_id, interaction.user.id))
    elif outcome.result.kind is ClaimKind.WAITLISTED:
        bot.cards.refresh(CARD, shift_id, outcome.shift.channel_id)


def claim_text(outcome: ClaimOutcome) -> str:
    shift, result = outcome.shift, outcome.result
    where = f"shift #{shift.id} at **{safe(shift.location)}**, {ts(shift.starts_at, 'F')}"
    if result.kind is ClaimKind.CLAIMED:
        thread = f" Coordinate in <#{shift.thread_id}>." if shift.thread_id else ""
        return f"You have a place on {where}. I'll remind you by DM before it starts.{thread}"
    if result.kind is ClaimKind.ALREADY_ON:
        return f"You already have a place on {where}. Nothing changed."
    if result.kind is ClaimKind.WAITLISTED:
        return (
            f"You're number {result.waitlist_position} on the waitlist for {where}. If a place frees up, "
            "it's yours automatically and I'll tell you by DM."
        )
    return f"You're already number {result.waitlist_position} on the waitlist for {where}. Nothing changed."


async def leave_flow(interaction: discord.Interaction, shift_id: int) -> None:
    bot = rota(interaction)
    outcome = await bot.services.shifts.leave(guild_id_of(interaction), actor_from(interaction), shift_id)
    await reply(interaction, leave_text(outcome))
    bot.cards.refresh(CARD, shift_id, outcome.shift.channel_id)
    bot.later(after_leave(bot, outcome, interaction.user.id))


def leave_text(outcome: LeaveOutcome) -> str:
    shift = outcome.shift
    if not outcome.left_place:
        return f"You're off the waitlist for shift #{shift.id}."
    text = f"You've left shift #{shift.id} at {safe(shift.location)}. Thanks for letting the group know."
    if outcome.promoted:
        text += f" {outcome.promoted.name} from the waitlist takes your place."
    return text


async def after_leave(bot: RotaBot, outcome: LeaveOutcome, user_id: int) -> None:
    shift = outcome.shift
    if outcome.left_place:
        await remove_from_thread(bot, shift.thread_id, user_id)
    if outcome.promoted:
        await add_to_thread(bot, shift.thread_id, outcome.promoted.user_id)
        await send_dm(bot, outcome.promoted.user_id, render.promotion_text(shift))
    if outcome.late and shift.channel_id:
        await bot.pacer.slot(shift.channel_id)
        try:
            await bot.get_partial_messageable(shift.channel_id).send(
                f"A place has opened on shift #{shift.id} at **{safe(shift.location)}**, starting "
                f"{ts(shift.starts_at, 'R')}. If you can help, tap Claim on the card or use `/shift claim {shift.id}`.",
                allowed_mentions=NO_PINGS,
            )
        except discord.HTTPException as exc:
            log.warning("could not announce a freed place on shift %s: %s", shift.id, exc)


async def handoff_answer_flow(interaction: discord.Interaction, handoff_id: int, accept: bool) -> None:
    bot = rota(interaction)
    outcome = await bot.services.shifts.answer_handoff(handoff_id, actor_from(interaction), accept=accept)
    shift, handoff = outcome.shift, outcome.handoff
    if outcome.status is HandoffStatus.ACCEPTED:
        text = f"Done: the place on shift #{shift.id} at {safe(shift.location)}, {ts(shift.starts_at, 'F')}, is yours."
        giver = f"{handoff.recipient_name} accepted your place on shift #{shift.id}. It's theirs now; thank you."
    else:
        text = f"You declined the place on shift #{shift.id}. Nothing changed."
        giver = f"{handoff.recipient_name} declined your place on shift #{shift.id}; you still hold it."
    await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_PINGS)
    bot.later(send_dm(bot, handoff.giver_id, giver))
    if outcome.status is HandoffStatus.ACCEPTED:
        bot.cards.refresh(CARD, shift.id, shift.channel_id)
        bot.later(add_to_thread(bot, shift.thread_id, handoff.recipient_id))
        bot.later(remove_from_thread(bot, shift.thread_id, handoff.giver_id))


async def list_page(
    interaction: discord.Interaction, show: str, days: int, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    bot = rota(interaction)
    shifts = await bot.services.shifts.listing(guild_id_of(interaction), interaction.user.id, show, days)
    pages = max(1, -(-len(shifts) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    lines = render.list_lines(shifts[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], bot.clock.now())
    titles = {"open": "Shifts with open places", "mine": "Your shifts", "all": "All shifts"}
    empty = {
        "open": "No open places in this period: `/shift offer` to ask for help.",
        "mine": "You have no shifts in this period. `/shift list` shows where help is needed.",
        "all": "No shifts in this period yet. `/shift offer` starts one.",
    }
    embed = discord.Embed(
        title=f"{titles[show]}, next {days} days",
        description="\n".join(lines) or empty[show],
        colour=discord.Colour.green(),
    )
    embed.set_footer(text=f"Page {page + 1} of {pages} · pick a shift below, or /shift claim <number>")
    view = discord.ui.View(timeout=None)
    now = bot.clock.now()
    claimable = [s for s in shifts[page * PAGE_SIZE : (page + 1) * PAGE_SIZE] if not s.cancelled and s.starts_at > now]
    if claimable:
        tz = await bot.services.shifts.timezone(guild_id_of(interaction))
        view.add_item(PickShiftSelect([(s.id, render.label(s, tz)) for s in claimable]))
    if pages > 1:
        view.add_item(ListPageButton(show, days, max(page - 1, 0), "◀ Earlier", disabled=page == 0))
        view.add_item(ListPageButton(show, days, page + 1, "Later ▶", disabled=page >= pages - 1))
    return embed, view


# --- the cog ----------------------------------------------------------------------------------------


@app_commands.guild_only()
class ShiftCog(commands.GroupCog, group_name="shift", group_description="Offer, claim and manage shifts"):
    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot
        self.shifts = bot.services.shifts
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(
            ClaimButton, LeaveButton, WaitlistButton, HandoffButton, ListPageButton, PickShiftSelect
        )
        self.bot.cards.register(CARD, self.render_card)
        self.bot.services.scheduler.register(REMINDER_JOB, self.send_reminder)
        self.bot.services.scheduler.register(HANDOFF_LAPSE_JOB, self.lapse_handoff)
        self.bot.services.scheduler.register(SHIFT_STARTED_JOB, self.shift_started)

    async def render_card(self, shift_id: int) -> RenderedCard | None:
        details = await self.shifts.card_details(shift_id)
        if details is None or details.shift.channel_id is None or details.shift.message_id is None:
            return None
        shift = details.shift
        return RenderedCard(
            shift.channel_id,
            shift.message_id,
            None,
            render.card_embed(details, self.bot.clock.now()),
            card_view(shift, self.bot.clock.now()),
        )

    async def shift_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        guild_id = guild_id_of(interaction)
        tz = await self.shifts.timezone(guild_id)
        needle = current.strip().lower().lstrip("#")
        choices = []
        for shift in await self.shifts.suggestions(guild_id, limit=100):
            text = render.label(shift, tz)
            if needle and needle not in text.lower():
                continue
            choices.append(app_commands.Choice(name=text, value=shift.id))
            if len(choices) == 25:
                break
        return choices

    # --- offering -------------------------------------------------------------------------------

    @app_commands.command(name="offer", description="Offer a shift others can claim places on")
    @app_commands.describe(
        when="When it starts, in the server's time zone: 'sat 10am', 'tomorrow 14:00', '2026-12-05 10:00'",
        where="Where to meet",
        places="How many people are needed (1-50)",
        duration="How long: '2h', '90m' (default 2h)",
        notes="Anything people should know (optional, up to 500 characters)",
        repeat="Repeat weekly?",
        count="With weekly repeat: how many shifts in all (2-12)",
        join="Take the first place yourself (default yes)",
    )
    @app_commands.choices(
        repeat=[app_commands.Choice(name="no repeat", value="none"), app_commands.Choice(name="weekly", value="weekly")]
    )
    async def offer(
        self,
        interaction: discord.Interaction,
        when: app_commands.Range[str, 1, 60],
        where: app_commands.Range[str, 1, 100],
        places: app_commands.Range[int, 1, 50] = 2,
        duration: app_commands.Range[str, 1, 20] = "2h",
        notes: app_commands.Range[str, 0, 500] = "",
        repeat: str = "none",
        count: app_commands.Range[int, 2, 12] = 4,
        join: bool = True,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = guild_id_of(interaction)
        created = await self.shifts.offer(
            guild_id,
            actor_from(interaction),
            when=when,
            where=where,
            places=places,
            duration=duration,
            notes=notes,
            repeat_weeks=count if repeat == "weekly" else 1,
            join=join,
        )
        settings = await self.bot.services.settings.get(guild_id)
        channel_id = settings.shift_channel_id or interaction.channel_id
        assert channel_id is not None
        first = await self.post_card(created[0], channel_id, join_user=interaction.user.id if join else None)
        for later in created[1:]:
            self.bot.later(self.post_card(later, channel_id, join_user=interaction.user.id if join else None))
        numbers = ", ".join(f"#{s.id}" for s in created)
        where_posted = f"in <#{channel_id}>" if first else "but I couldn't post its card (check my permissions there)"
        text = (
            f"Posted shift {numbers} {where_posted}. "
            if len(created) == 1
            else f"Posted {len(created)} weekly shifts ({numbers}) {where_posted}. "
        )
        text += "You hold the first place." if join else "You haven't taken a place yourself."
        if first:
            text += f" {first.jump_url}"
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)

    async def post_card(self, shift: Shift, channel_id: int, *, join_user: int | None) -> discord.Message | None:
        details = await self.shifts.card_details(shift.id)
        assert details is not None
        now = self.bot.clock.now()
        posted = await self.bot.cards.post(
            channel_id,
            guild_id=shift.guild_id,
            embed=render.card_embed(details, now),
            view=card_view(shift, now),
            thread_name=f"Shift #{shift.id} · {shift.location}",
        )
        if posted is None:
            return None
        await self.shifts.attach_card(
            shift.id, channel_id=channel_id, message_id=posted.message.id, thread_id=posted.thread_id
        )
        if join_user is not None:
            await add_to_thread(self.bot, posted.thread_id, join_user)
        return posted.message

    # --- claiming and leaving -------------------------------------------------------------------

    @app_commands.command(name="claim", description="Take a place on a shift (or join its waitlist)")
    @app_commands.describe(shift="The shift: start typing a place or day, or give its number")
    async def claim(self, interaction: discord.Interaction, shift: ShiftNumber) -> None:
        await claim_flow(interaction, shift, join_waitlist=False)

    @app_commands.command(name="leave", description="Give up your place on a shift (or leave its waitlist)")
    @app_commands.describe(shift="The shift you're leaving")
    async def leave(self, interaction: discord.Interaction, shift: ShiftNumber) -> None:
        await leave_flow(interaction, shift)

    claim.autocomplete("shift")(shift_autocomplete)
    leave.autocomplete("shift")(shift_autocomplete)

    # --- reading ---------------------------------------------------------------------------------

    @app_commands.command(name="list", description="Upcoming shifts: open ones, yours, or all")
    @app_commands.describe(show="Which shifts", days="How many days ahead (default 14)")
    @app_commands.choices(
        show=[
            app_commands.Choice(name="with open places", value="open"),
            app_commands.Choice(name="mine", value="mine"),
            app_commands.Choice(name="all", value="all"),
        ]
    )
    async def list_(
        self, interaction: discord.Interaction, show: str = "open", days: app_commands.Range[int, 1, 366] = 14
    ) -> None:
        embed, view = await list_page(interaction, show, days, 0)
        await reply(interaction, embed=embed, view=view)

    @app_commands.command(name="show", description="Everything about one shift, including its waitlist")
    @app_commands.describe(shift="The shift")
    async def show(self, interaction: discord.Interaction, shift: ShiftNumber) -> None:
        details = await self.shifts.details(guild_id_of(interaction), shift)
        await reply(interaction, embed=render.details_embed(details, self.bot.clock.now()))

    show.autocomplete("shift")(shift_autocomplete)

    # --- the offerer's changes ------------------------------------------------------------------

    @app_commands.command(name="edit", description="Change a shift you offered; everyone on it is told")
    @app_commands.describe(
        shift="Your shift",
        when="New start time",
        where="New meeting place",
        places="New number of places",
        notes="New notes",
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        shift: ShiftNumber,
        when: app_commands.Range[str, 1, 60] | None = None,
        where: app_commands.Range[str, 1, 100] | None = None,
        places: app_commands.Range[int, 1, 50] | None = None,
        notes: app_commands.Range[str, 0, 500] | None = None,
    ) -> None:
        if when is None and where is None and places is None and notes is None:
            await reply(interaction, "Nothing to change: fill in when, where, places or notes.")
            return
        outcome = await self.shifts.edit(
            guild_id_of(interaction), actor_from(interaction), shift, when=when, where=where, places=places, notes=notes
        )
        if outcome.old == outcome.shift:
            await reply(interaction, f"Shift #{shift} already looks like that; nothing changed.")
            return
        await reply(
            interaction,
            f"Saved shift #{shift}. The card is updated"
            + (" and everyone on it is told by DM." if outcome.time_changed or outcome.place_changed else "."),
        )
        self.bot.cards.refresh(CARD, shift, outcome.shift.channel_id)
        if (outcome.time_changed or outcome.place_changed) and outcome.old is not None:
            text = render.change_text(
                outcome.old, outcome.shift, time_changed=outcome.time_changed, place_changed=outcome.place_changed
            )
            self.bot.later(tell_all(self.bot, outcome.tell, text))

    @app_commands.command(name="cancel", description="Cancel a shift you offered; everyone on it is told")
    @app_commands.describe(shift="Your shift", reason="Why (everyone on it will see this)")
    async def cancel(
        self, interaction: discord.Interaction, shift: ShiftNumber, reason: app_commands.Range[str, 1, 300]
    ) -> None:
        outcome = await self.shifts.cancel(guild_id_of(interaction), actor_from(interaction), shift, reason)
        await reply(
            interaction,
            f"Shift #{shift} is cancelled. Its card shows it, and the "
            f"{len(outcome.tell)} other people on it or waiting are told by DM.",
        )
        self.bot.cards.refresh(CARD, shift, outcome.shift.channel_id)
        self.bot.later(tell_all(self.bot, outcome.tell, render.cancel_text(outcome.shift)))

    edit.autocomplete("shift")(shift_autocomplete)
    cancel.autocomplete("shift")(shift_autocomplete)

    # --- handoff ---------------------------------------------------------------------------------

    @app_commands.command(
        name="handoff", description="Offer your place to another member; it moves only if they accept"
    )
    @app_commands.describe(shift="The shift you hold a place on", to="The member you'd like to take it")
    async def handoff(self, interaction: discord.Interaction, shift: ShiftNumber, to: discord.Member) -> None:
        # The DM goes out before the answer, and a DM channel can be rate limited: defer first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.shifts.offer_handoff(
            guild_id_of(interaction),
            actor_from(interaction),
            shift,
            recipient_id=to.id,
            recipient_name=display_name(to.display_name) or str(to.id),
            recipient_is_bot=to.bot,
        )
        s = outcome.shift
        ask = (
            f"{outcome.handoff.giver_name} offers you their place on shift #{s.id} at **{safe(s.location)}**, "
            f"{ts(s.starts_at, 'F')}. Nothing changes unless you accept; the offer ends when the shift starts."
        )
        view = handoff_view(outcome.handoff.id)
        if await send_dm(self.bot, to.id, ask, view=view):
            await reply(
                interaction,
                f"I've asked {outcome.handoff.recipient_name} by DM. You keep your place "
                "unless they accept; I'll tell you their answer.",
            )
            return
        # Their DMs are closed: ask in this channel, pinging only them.
        await reply(interaction, f"{outcome.handoff.recipient_name} doesn't accept DMs, so I'm asking them here.")
        channel = interaction.channel
        if isinstance(channel, discord.abc.Messageable):
            await channel.send(
                f"<@{to.id}>: {ask}",
                view=view,
                allowed_mentions=discord.AllowedMentions(users=[discord.Object(to.id)], everyone=False, roles=False),
            )

    handoff.autocomplete("shift")(shift_autocomplete)

    # --- reminders and calendar ------------------------------------------------------------------

    @app_commands.command(name="reminders", description="When you get DM reminders before your shifts")
    @app_commands.describe(offsets="Up to three times before the start, e.g. '24h,1h' or '2h', or 'off' (empty: show)")
    async def reminders(
        self, interaction: discord.Interaction, offsets: app_commands.Range[str, 1, 40] | None = None
    ) -> None:
        if offsets is None:
            current = await self.shifts.reminder_offsets(guild_id_of(interaction), interaction.user.id)
            await reply(
                interaction,
                f"Your reminders here: {reminder_offsets_text(current)}"
                + (" before each shift." if current else ".")
                + " Change them with `/shift reminders 24h,1h` (up to three times) or `off`.",
            )
            return
        chosen = await self.shifts.set_reminders(guild_id_of(interaction), actor_from(interaction), offsets)
        if not chosen:
            await reply(
                interaction, "Reminders are off for you in this server. `/shift reminders 24h,1h` turns them on."
            )
        else:
            await reply(
                interaction,
                "I'll DM you "
                + " and ".join(span(o) for o in chosen)
                + " before each of your shifts (your upcoming ones are updated too).",
            )

    @app_commands.command(name="calendar", description="An .ics calendar file of your shifts (or all shifts)")
    @app_commands.describe(show="Your shifts or all shifts")
    @app_commands.choices(
        show=[app_commands.Choice(name="mine", value="mine"), app_commands.Choice(name="all", value="all")]
    )
    async def calendar(self, interaction: discord.Interaction, show: str = "mine") -> None:
        guild_id = guild_id_of(interaction)
        shifts = await self.shifts.calendar(guild_id, interaction.user.id if show == "mine" else None)
        now = self.bot.clock.now()
        events = [
            CalendarEvent(
                uid=f"shift-{s.id}-{s.guild_id}@rota",
                starts=s.starts_at,
                ends=s.ends_at,
                summary=f"Shift #{s.id}: {discord.utils.remove_markdown(s.location)}",
                location=s.location,
                description=s.notes,
                cancelled=s.cancelled,
                stamp=now,
            )
            for s in shifts
        ]
        data = calendar(events, name="Rota shifts").encode("utf-8")
        file = discord.File(io.BytesIO(data), filename="rota-shifts.ics", description="Shifts calendar")
        await reply(interaction, f"{len(events)} shift(s). Open the file to add them to your calendar app.", file=file)

    # --- scheduled jobs --------------------------------------------------------------------------

    async def send_reminder(self, run: JobRun) -> None:
        payload = run.job.payload
        due = await self.shifts.due_reminder(int(payload["shift_id"]), int(payload["user_id"]))
        if due is not None:
            await send_dm(self.bot, due.user_id, render.reminder_text(due.shift), nonce=run.nonce)

    async def shift_started(self, run: JobRun) -> None:
        """Close the card's buttons at the start; a moved shift has moved its job too."""
        shift = await self.shifts.card_details(int(run.job.payload["shift_id"]))
        if shift is not None and shift.shift.starts_at <= self.bot.clock.now():
            self.bot.cards.refresh(CARD, shift.shift.id, shift.shift.channel_id)

    async def lapse_handoff(self, run: JobRun) -> None:
        outcome = await self.shifts.lapse_handoff(int(run.job.payload["handoff_id"]), run.finish)
        if outcome is None:
            return
        h, s = outcome.handoff, outcome.shift
        await send_dm(
            self.bot,
            h.giver_id,
            f"Your offer of a place on shift #{s.id} to {h.recipient_name} ended "
            "unanswered when the shift started; you kept the place.",
        )
        await send_dm(self.bot, h.recipient_id, f"The offer of a place on shift #{s.id} has ended (the shift started).")


def reminder_offsets_text(offsets: tuple[timedelta, ...]) -> str:
    return " and ".join(span(o) for o in offsets) if offsets else "off"


async def setup(bot: RotaBot) -> None:
    await bot.add_cog(ShiftCog(bot))
