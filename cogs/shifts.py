"""`/shift ...`: members offer shifts and put themselves on them.

The cog parses the interaction, calls one service method, answers the member first, and then
(after answering) refreshes the card, adjusts the shift's thread and sends any DMs. The buttons
and the flows they share with the commands are `shift_buttons.py`.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import RotaBot
from bot.domain.governance import Names
from bot.domain.records import Shift
from bot.domain.states import OfferKind
from bot.domain.text import display_name
from bot.scheduler import JobRun
from bot.services.feeds import GROUP, MINE
from bot.services.reminders import CHECK_IN_MOMENT, REMINDER_JOB, SHIFT_STARTED_JOB, STILL_COMING_JOB
from bot.services.shifts import ChangeOutcome
from bot.ui import calendar_render, offer_render
from bot.ui import shift_render as render
from bot.ui import shift_replies as replies
from bot.ui.audience import reading
from bot.ui.cards import RenderedCard
from bot.ui.channel_check import require_card_channel
from bot.ui.members import actor_from, guild_id_of
from bot.ui.notify import add_to_thread
from bot.ui.replies import NO_PINGS, reply
from cogs.offers import ask_to_accept
from cogs.shift_buttons import (
    CARD,
    DYNAMIC_ITEMS,
    ask_which_shifts,
    card_view,
    check_in_view,
    claim_flow,
    leave_flow,
    list_page,
    still_coming_view,
)
from cogs.transparency import gone_from

log = logging.getLogger(__name__)

SCOPE_CHOICES = [
    app_commands.Choice(name="only this one", value="this"),
    app_commands.Choice(name="this and all later ones", value="later"),
]


async def answer(interaction: discord.Interaction, text: str) -> None:
    """The answer to a change: a reply to the command, or the question's message replaced when it
    came from "only this one / this and all later ones"."""
    if interaction.type is discord.InteractionType.component:
        await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_PINGS)
    else:
        await reply(interaction, text)


#: Discord integer options stop at 2**53; SQLite's at 2**63. Anything above is no shift of ours.
ShiftNumber = app_commands.Range[int, 1, 2**53 - 1]


# --- the cog ----------------------------------------------------------------------------------------


@app_commands.guild_only()
class ShiftCog(commands.GroupCog, group_name="shift", group_description="Offer, claim and manage shifts"):
    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot
        self.shifts = bot.services.shifts
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.cards.register(CARD, self.render_card, reattach=self.shifts.reattach_card)
        self.bot.services.scheduler.register(REMINDER_JOB, self.send_reminder)
        self.bot.services.scheduler.register(SHIFT_STARTED_JOB, self.shift_started)
        self.bot.services.scheduler.register(STILL_COMING_JOB, self.ask_still_coming)

    async def render_card(self, shift_id: int) -> RenderedCard | None:
        details = await self.shifts.card_details(shift_id)
        if details is None:
            return None
        shift = details.shift
        if shift.channel_id is None or shift.message_id is None:
            return None
        now = self.bot.clock.now()
        async with self.bot.speaking_to_server(shift.guild_id):  # a card is read by everyone
            return RenderedCard(
                shift.channel_id,
                shift.message_id,
                None,
                render.card_embed(details, now),
                card_view(shift, now, details.roles),
                thread_id=shift.thread_id,
                repost=not shift.cancelled and shift.ends_at > now,  # deleted: post it again while it matters
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
        repeat="Repeat: 'weekly', 'every 2 weeks', 'monthly on the first saturday', 'mon, thu' (pick or type)",
        count="With a repeat: how many shifts in all (2-52; default 4)",
        until="With a repeat: the last date instead of a count, e.g. '2027-03-31'",
        join="Take the first place yourself (default yes)",
        closes="When sign-up closes: '2h before', '1d before', or a time (default: at the start)",
        roles="Roles with their own places, e.g. '3 leafleters, 1 driver' (then places is their sum)",
    )
    async def offer(
        self,
        interaction: discord.Interaction,
        when: app_commands.Range[str, 1, 60],
        where: app_commands.Range[str, 1, 100],
        places: app_commands.Range[int, 1, 50] = 2,
        duration: app_commands.Range[str, 1, 20] = "2h",
        notes: app_commands.Range[str, 0, 500] = "",
        repeat: app_commands.Range[str, 1, 60] | None = None,
        count: app_commands.Range[int, 2, 52] | None = None,
        until: app_commands.Range[str, 1, 60] | None = None,
        join: bool = True,
        closes: app_commands.Range[str, 1, 60] | None = None,
        roles: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = guild_id_of(interaction)
        settings = await self.bot.services.settings.get(guild_id)
        channel_id = settings.shift_channel_id or interaction.channel_id
        assert channel_id is not None
        require_card_channel(self.bot, channel_id, configured=settings.shift_channel_id is not None)
        created = await self.shifts.offer(
            guild_id,
            actor_from(interaction),
            when=when,
            where=where,
            places=places,
            duration=duration,
            notes=notes,
            repeat=repeat,
            count=count,
            until=until,
            join=join,
            closes=closes,
            roles=roles,
        )
        first = await self.post_card(created[0], channel_id, join_user=interaction.user.id if join else None)
        for later in created[1:]:
            self.bot.later(self.post_card(later, channel_id, join_user=interaction.user.id if join else None))
        text = replies.offered(
            created, channel_id, posted=first is not None, joined=join, jump_url=first.jump_url if first else None
        )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)

    async def post_card(self, shift: Shift, channel_id: int, *, join_user: int | None) -> discord.Message | None:
        details = await self.shifts.card_details(shift.id)
        assert details is not None
        now = self.bot.clock.now()
        async with self.bot.speaking_to_server(shift.guild_id):  # not the offerer's: everyone reads it
            embed, view, thread_name = (
                render.card_embed(details, now),
                card_view(shift, now, details.roles),
                replies.thread_name(shift),
            )
        hidden = (await self.bot.services.settings.get(shift.guild_id)).names == Names.HOLDERS.value
        posted = await self.bot.cards.post(
            channel_id,
            guild_id=shift.guild_id,
            embed=embed,
            view=view,
            thread_name=thread_name,
            private_thread=hidden,  # names are for holders only: so is the talk among them
        )
        if posted is None:
            return None
        await self.shifts.attach_card(
            shift.id, channel_id=channel_id, message_id=posted.message.id, thread_id=posted.thread_id
        )
        if join_user is not None:
            await add_to_thread(self.bot, posted.thread_id, join_user)
        return posted.message

    @offer.autocomplete("repeat")
    async def repeat_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The patterns Rota reads, named in the member's language; what they typed comes first."""
        typed = [app_commands.Choice(name=current[:100], value=current[:60])] if current.strip() else []
        needle = current.strip().lower()
        known = [
            app_commands.Choice(name=replies.repeat_label(pattern), value=pattern)
            for pattern in replies.REPEAT_PATTERNS
            if not needle or needle in pattern or needle in replies.repeat_label(pattern).lower()
        ]
        return (typed + [c for c in known if c.value != current])[:25]

    # --- claiming and leaving -------------------------------------------------------------------

    @app_commands.command(name="claim", description="Take a place on a shift (or join its waitlist)")
    @app_commands.describe(
        shift="The shift: start typing a place or day, or give its number",
        role="On a shift with roles: which one (start typing to see them)",
    )
    async def claim(
        self, interaction: discord.Interaction, shift: ShiftNumber, role: app_commands.Range[str, 1, 32] | None = None
    ) -> None:
        await claim_flow(interaction, shift, join_waitlist=False, role=role)

    @claim.autocomplete("role")
    async def role_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """The chosen shift's roles, with how many of their places are taken."""
        shift_id = getattr(interaction.namespace, "shift", None)
        if not isinstance(shift_id, int):
            return []
        needle = current.strip().casefold()
        return [
            app_commands.Choice(name=replies.role_option(role), value=role.name)
            for role in await self.shifts.roles(guild_id_of(interaction), shift_id)
            if needle in role.name.casefold()
        ][:25]

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
        guild_id = guild_id_of(interaction)
        details = await self.shifts.details(guild_id, shift)
        holders = [p.user_id for p in details.holders]  # holders see each other
        with reading(await self.bot.reading_privately(guild_id, interaction.user.id, holders)):
            embed = render.details_embed(details, self.bot.clock.now())
        await reply(interaction, embed=embed)

    show.autocomplete("shift")(shift_autocomplete)

    # --- the offerer's changes ------------------------------------------------------------------

    @app_commands.command(name="edit", description="Change a shift you offered; everyone on it is told")
    @app_commands.describe(
        shift="Your shift",
        when="New start time",
        where="New meeting place",
        places="New number of places",
        notes="New notes",
        scope="For a shift in a series: only this one, or this and all later ones (asked if not given)",
        roles="All its roles, e.g. '4 leafleters, 1 driver': add roles or places, or remove free ones",
        closes="When sign-up closes: '2h before', '1d before', or a time",
    )
    @app_commands.choices(scope=SCOPE_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction,
        shift: ShiftNumber,
        when: app_commands.Range[str, 1, 60] | None = None,
        where: app_commands.Range[str, 1, 100] | None = None,
        places: app_commands.Range[int, 1, 50] | None = None,
        notes: app_commands.Range[str, 0, 500] | None = None,
        scope: str | None = None,
        roles: app_commands.Range[str, 1, 200] | None = None,
        closes: app_commands.Range[str, 1, 60] | None = None,
    ) -> None:
        if all(value is None for value in (when, where, places, notes, roles, closes)):
            await reply(interaction, replies.nothing_to_edit())
            return
        guild_id, actor = guild_id_of(interaction), actor_from(interaction)

        async def run(answering: discord.Interaction, later: bool) -> None:
            outcomes = await self.shifts.edit(
                guild_id,
                actor,
                shift,
                when=when,
                where=where,
                places=places,
                notes=notes,
                later=later,
                roles=roles,
                closes=closes,
            )
            await answer(answering, replies.edited_series(shift, outcomes))
            for outcome in outcomes:
                self._after_edit(outcome)

        await self._for_which_shifts(interaction, guild_id, shift, scope, run)

    def _after_edit(self, outcome: ChangeOutcome) -> None:
        if outcome.old == outcome.shift:
            return
        shift = outcome.shift
        self.bot.cards.refresh(CARD, shift.id, shift.channel_id, guild_id=shift.guild_id)
        old = outcome.old
        if (outcome.time_changed or outcome.place_changed) and old is not None:

            def text() -> str:
                return render.change_text(
                    old, shift, time_changed=outcome.time_changed, place_changed=outcome.place_changed
                )

            self.bot.later(self.bot.dm_all(outcome.tell, text))

    @app_commands.command(name="cancel", description="Cancel a shift you offered; everyone on it is told")
    @app_commands.describe(
        shift="Your shift",
        reason="Why (everyone on it will see this)",
        scope="For a shift in a series: only this one, or this and all later ones (asked if not given)",
    )
    @app_commands.choices(scope=SCOPE_CHOICES)
    async def cancel(
        self,
        interaction: discord.Interaction,
        shift: ShiftNumber,
        reason: app_commands.Range[str, 1, 300],
        scope: str | None = None,
    ) -> None:
        guild_id, actor = guild_id_of(interaction), actor_from(interaction)

        async def run(answering: discord.Interaction, later: bool) -> None:
            outcomes = await self.shifts.cancel(guild_id, actor, shift, reason, later=later)
            await answer(answering, replies.cancelled_series(shift, outcomes))
            for outcome in outcomes:
                cancelled = outcome.shift
                self.bot.cards.refresh(CARD, cancelled.id, cancelled.channel_id, guild_id=cancelled.guild_id)
                self.bot.later(self.bot.dm_all(outcome.tell, functools.partial(render.cancel_text, cancelled)))

        await self._for_which_shifts(interaction, guild_id, shift, scope, run)

    async def _for_which_shifts(
        self,
        interaction: discord.Interaction,
        guild_id: int,
        shift_id: int,
        scope: str | None,
        run: Callable[[discord.Interaction, bool], Awaitable[None]],
    ) -> None:
        """Run a change now when it concerns one shift (or the member said which); for a shift with
        later ones in its series, ask first."""
        later = await self.shifts.later_in_series(guild_id, shift_id) if scope is None else 0
        if later:
            await ask_which_shifts(interaction, shift_id, later, run)
        else:
            await run(interaction, scope == "later")

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
        offered = await self.bot.services.handoffs.offer(
            guild_id_of(interaction),
            actor_from(interaction),
            shift,
            recipient_id=to.id,
            recipient_name=display_name(to.display_name) or str(to.id),
            recipient_is_bot=to.bot,
        )
        handoff = offered.handoff
        await ask_to_accept(
            interaction,
            OfferKind.HANDOFF,
            handoff.id,
            to=to.id,
            to_name=handoff.recipient_name,
            question=lambda: offer_render.handoff_ask(handoff, offered.shift),
        )

    handoff.autocomplete("shift")(shift_autocomplete)

    # --- reminders and calendar ------------------------------------------------------------------

    @app_commands.command(name="reminders", description="When you get DM reminders before your shifts")
    @app_commands.describe(offsets="Up to three times before the start, e.g. '24h,1h' or '2h', or 'off' (empty: show)")
    async def reminders(
        self, interaction: discord.Interaction, offsets: app_commands.Range[str, 1, 40] | None = None
    ) -> None:
        reminders = self.bot.services.reminders
        if offsets is None:
            current = await reminders.reminder_offsets(guild_id_of(interaction), interaction.user.id)
            await reply(interaction, replies.current_reminders(current))
            return
        chosen = await reminders.set_reminders(guild_id_of(interaction), actor_from(interaction), offsets)
        await reply(interaction, replies.reminders_set(chosen))

    @app_commands.command(
        name="calendar", description="Your shifts in your calendar app: a file, or a link that updates"
    )
    @app_commands.describe(
        show="Your shifts, all shifts (file), or a link to the open places for everyone (group)",
        reset="Make a new subscription link; the old one stops working at once",
    )
    @app_commands.choices(
        show=[
            app_commands.Choice(name="mine", value="mine"),
            app_commands.Choice(name="all", value="all"),
            app_commands.Choice(name="group", value="group"),
        ]
    )
    async def calendar(self, interaction: discord.Interaction, show: str = "mine", reset: bool = False) -> None:
        guild_id = guild_id_of(interaction)
        public_url = self.bot.config.public_url  # None: the web endpoint gives out no links
        if public_url is None and (show == "group" or reset):
            await reply(interaction, replies.feeds_off())
            return
        if show == "group":
            await reply(interaction, await self._feed_link_text(guild_id, interaction.user.id, GROUP, reset))
            return
        shifts = await self.shifts.calendar(guild_id, interaction.user.id if show == "mine" else None)
        held = await self.shifts.roles_held(interaction.user.id, shifts)
        waiting = await self.shifts.waiting_on(interaction.user.id, shifts)
        data = calendar_render.calendar_file(shifts, held, waiting, now=self.bot.clock.now())
        file = discord.File(io.BytesIO(data), filename="rota-shifts.ics", description=replies.calendar_description())
        text = replies.calendar_text(len(shifts))
        if public_url is not None and (show == "mine" or reset):
            text += "\n\n" + await self._feed_link_text(guild_id, interaction.user.id, MINE, reset)
        await reply(interaction, text, file=file)

    async def _feed_link_text(self, guild_id: int, user_id: int, kind: str, reset: bool) -> str:
        """The member's subscription link of this kind, made now if new; else how to replace it."""
        public_url = self.bot.config.public_url
        assert public_url is not None
        link = await self.bot.services.feeds.link(guild_id, user_id, kind, reset=reset)
        if link.token is None:
            return replies.feed_link_kept(link.made_at, group=kind == GROUP)
        https, webcal = calendar_render.feed_urls(public_url, link.token)
        return replies.feed_link(https, webcal, group=kind == GROUP)

    # --- scheduled jobs --------------------------------------------------------------------------

    async def send_reminder(self, run: JobRun) -> None:
        payload = run.job.payload
        due = await self.bot.services.reminders.due_reminder(int(payload["shift_id"]), int(payload["user_id"]))
        if due is not None and not await gone_from(self.bot, due.shift.guild_id, due.user_id):
            await self.bot.dm(due.user_id, lambda: render.reminder_text(due.shift, due.role), nonce=run.nonce)

    async def ask_still_coming(self, run: JobRun) -> None:
        """Ask a holder whether they are still coming (only if they still hold the place)."""
        payload = run.job.payload
        due = await self.bot.services.reminders.due_reminder(int(payload["shift_id"]), int(payload["user_id"]))
        if due is not None and not await gone_from(self.bot, due.shift.guild_id, due.user_id):
            shift = due.shift
            await self.bot.dm(
                due.user_id,
                lambda: render.still_coming_text(shift),
                view=lambda: still_coming_view(shift.id),
                nonce=run.nonce,
            )

    async def shift_started(self, run: JobRun) -> None:
        """A moment the card's buttons change (sign-up closes, check-in opens, the start, the end):
        refresh it; when check-in opens, the shift's thread is told, with the button."""
        details = await self.shifts.card_details(int(run.job.payload["shift_id"]))
        if details is None:
            return
        shift = details.shift
        self.bot.cards.refresh(CARD, shift.id, shift.channel_id, guild_id=shift.guild_id)
        if run.job.payload.get("moment") == CHECK_IN_MOMENT and shift.thread_id and not shift.cancelled:
            async with self.bot.speaking_to_server(shift.guild_id):
                text, view = render.check_in_open_text(shift), check_in_view(shift.id)
            await self.bot.pacer.slot(shift.thread_id)
            try:
                await self.bot.get_partial_messageable(shift.thread_id).send(
                    text, view=view, allowed_mentions=NO_PINGS, nonce=run.nonce
                )
            except discord.HTTPException as exc:
                log.warning("could not open check-in in the thread of shift %s: %s", shift.id, exc)


async def setup(bot: RotaBot) -> None:
    await bot.add_cog(ShiftCog(bot))
