"""`/propose`, `/proposal ...` and the Agree / Abstain / Disagree / Block buttons: the group decides.

The cog parses the interaction, calls one ProposalService method, answers the member first, and then
(after answering) refreshes the card and posts in the proposal's thread. Closing happens in the
scheduler: the close job applies the rule once; the outcome job opens a passed action's shift and
announces the result in the channel and the thread.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Listening, RotaBot, listen
from bot.domain.decisions import BODY_MAX, REASON_MAX, TITLE_MAX
from bot.domain.errors import ProposalClosed
from bot.domain.records import Proposal, Shift
from bot.domain.states import Position
from bot.scheduler import JobRun
from bot.services.proposals import CLOSE_JOB, CLOSING_SOON_JOB, OUTCOME_JOB, ActionInput
from bot.ui import proposal_render as render
from bot.ui import proposal_replies as replies
from bot.ui.audience import reading
from bot.ui.cards import RenderedCard
from bot.ui.channel_check import require_card_channel
from bot.ui.format import clip
from bot.ui.members import actor_from, guild_id_of
from bot.ui.modals import Modal, submitted_custom_id, submitted_values, unless_answered
from bot.ui.notify import add_to_thread
from bot.ui.replies import NO_PINGS, reply, run_guarded
from bot.ui.wording import explain
from cogs.shift_buttons import CARD as SHIFT_CARD

log = logging.getLogger(__name__)

CARD = "proposal"
#: Discord integer options stop at 2**53; anything above is no proposal of ours.
ProposalNumber = app_commands.Range[int, 1, 2**53 - 1]
LIST_LIMIT = 25
RULE_CHOICES = [
    app_commands.Choice(name="consent: passes unless someone blocks", value="consent"),
    app_commands.Choice(name="consensus: passes unless someone blocks or disagrees", value="consensus"),
    app_commands.Choice(name="majority: more agree than disagree", value="majority"),
]


# --- buttons that survive restarts: all their state is in the custom_id -----------------------

BUTTON_STYLES = {
    Position.AGREE: discord.ButtonStyle.success,
    Position.ABSTAIN: discord.ButtonStyle.secondary,
    Position.DISAGREE: discord.ButtonStyle.primary,
    Position.BLOCK: discord.ButtonStyle.danger,
}


class PositionButton(
    Listening,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"proposal:(?P<position>agree|abstain|disagree|block):(?P<id>\d+)",
):
    def __init__(self, proposal_id: int, position: Position, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.position_label(position),
                style=BUTTON_STYLES[position],
                custom_id=f"proposal:{position.value}:{proposal_id}",
                disabled=disabled,
            )
        )
        self.proposal_id = proposal_id
        self.position = position

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> PositionButton:
        return cls(int(match["id"]), Position(match["position"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: position_pressed(interaction, self.proposal_id, self.position))


def card_view(proposal: Proposal) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for position in Position:
        view.add_item(PositionButton(proposal.id, position, disabled=not proposal.is_open))
    return view


# --- modals -------------------------------------------------------------------------------------


REASON_FORM = re.compile(r"proposal:reason:(?P<position>block|disagree):(?P<id>\d+):(?P<user>\d+)")


class ReasonModal(Listening, Modal):
    """Why a member blocks (required) or disagrees (optional). The custom_id names the proposal."""

    def __init__(self, proposal_id: int, position: Position, user_id: int) -> None:
        blocking = position is Position.BLOCK
        super().__init__(
            title=clip(replies.reason_form_title(proposal_id, position), 45),
            timeout=900,
            custom_id=f"proposal:reason:{position.value}:{proposal_id}:{user_id}",
        )
        self.proposal_id = proposal_id
        self.position = position
        self.reason: discord.ui.TextInput[ReasonModal] = discord.ui.TextInput(
            label=replies.reason_label(position),
            style=discord.TextStyle.paragraph,
            required=blocking,
            max_length=REASON_MAX,
            placeholder=replies.reason_placeholder(),
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await run_guarded(
            interaction, lambda: take_position(interaction, self.proposal_id, self.position, self.reason.value)
        )


class ProposeModal(Listening, Modal):
    """The proposal's text (and, for an action, the shift it opens). The options are checked already."""

    def __init__(self, *, user_id: int, rule: str, closes_in: str | None, quorum: int, action: bool) -> None:
        super().__init__(
            title=replies.propose_form_title(action=action),
            timeout=1800,
            custom_id=f"proposal:new:{user_id}",
        )
        self.rule, self.closes_in, self.quorum = rule, closes_in, quorum
        self.title_input: discord.ui.TextInput[ProposeModal] = discord.ui.TextInput(
            label=replies.title_label(), max_length=TITLE_MAX, placeholder=replies.title_placeholder()
        )
        self.body_input: discord.ui.TextInput[ProposeModal] = discord.ui.TextInput(
            label=replies.body_label(), style=discord.TextStyle.paragraph, max_length=BODY_MAX
        )
        self.add_item(self.title_input)
        self.add_item(self.body_input)
        self.when_input: discord.ui.TextInput[ProposeModal] | None = None
        self.where_input: discord.ui.TextInput[ProposeModal] | None = None
        self.places_input: discord.ui.TextInput[ProposeModal] | None = None
        if action:
            self.when_input = discord.ui.TextInput(
                label=replies.when_label(), max_length=60, placeholder=replies.when_placeholder()
            )
            self.where_input = discord.ui.TextInput(label=replies.where_label(), max_length=100)
            self.places_input = discord.ui.TextInput(label=replies.places_label(), max_length=2, default="2")
            for item in (self.when_input, self.where_input, self.places_input):
                self.add_item(item)

    def action(self) -> ActionInput | None:
        if self.when_input is None or self.where_input is None or self.places_input is None:
            return None
        return ActionInput(self.when_input.value, self.where_input.value, self.places_input.value)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: propose_flow(interaction, self))


# --- flows shared by commands, buttons and modals ---------------------------------------------


async def position_pressed(interaction: discord.Interaction, proposal_id: int, position: Position) -> None:
    """Agree and Abstain count at once; Disagree and Block first ask why."""
    if position in (Position.AGREE, Position.ABSTAIN):
        await take_position(interaction, proposal_id, position, None)
        return
    bot = RotaBot.of(interaction)
    details = await bot.services.proposals.details(guild_id_of(interaction), proposal_id)
    proposal = details.proposal
    if not proposal.is_open or proposal.closes_at <= bot.clock.now():
        raise ProposalClosed(proposal_id, proposal.status if not proposal.is_open else "closing")
    await interaction.response.send_modal(ReasonModal(proposal_id, position, interaction.user.id))


async def take_position(
    interaction: discord.Interaction, proposal_id: int, position: Position, reason: str | None
) -> None:
    bot = RotaBot.of(interaction)
    change = await bot.services.proposals.take_position(
        guild_id_of(interaction), actor_from(interaction), proposal_id, position, reason
    )
    proposal = change.details.proposal
    previous = change.previous.position if change.previous else None
    await reply(interaction, render.position_reply(position, proposal, change.changed, previous))
    if not change.changed:
        return
    bot.cards.refresh(CARD, proposal_id, proposal.channel_id, guild_id=proposal.guild_id)
    stance = next((s for s in change.details.stances if s.user_id == interaction.user.id), None)
    if stance is not None and stance.reason and position in (Position.BLOCK, Position.DISAGREE):
        async with bot.speaking_to_server(proposal.guild_id):  # the thread is public
            text = render.reason_post(stance.name, stance.user_id, position, stance.reason)
        bot.later(post(bot, proposal.thread_id or proposal.channel_id, text))


async def propose_flow(interaction: discord.Interaction, modal: ProposeModal) -> None:
    bot = RotaBot.of(interaction)
    assert interaction.channel_id is not None
    require_card_channel(bot, interaction.channel_id, configured=False)
    proposal = await bot.services.proposals.open(
        guild_id_of(interaction),
        actor_from(interaction),
        title=modal.title_input.value,
        body=modal.body_input.value,
        rule=modal.rule,
        closes_in=modal.closes_in,
        quorum=modal.quorum,
        action=modal.action(),
    )
    await interaction.response.defer(ephemeral=True, thinking=True)
    channel_id = interaction.channel_id
    assert channel_id is not None
    cog = bot.get_cog("ProposalCog")
    assert isinstance(cog, ProposalCog)
    message = await cog.post_card(proposal, channel_id, author_id=interaction.user.id)
    text = replies.opened(proposal, message.jump_url if message is not None else None)
    await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)


async def post(bot: RotaBot, channel_id: int | None, text: str, *, nonce: str | None = None) -> discord.Message | None:
    """A message the bot posts on its own (not an interaction answer): paced, never pinging. A job
    passes its nonce, so a post made just before a crash is not repeated when the job runs again."""
    if channel_id is None:
        return None
    await bot.pacer.slot(channel_id)
    # Without a nonce of ours discord.py makes a random one. Never pass a placeholder such as
    # MISSING: it is sent as the text "...", the same for every post, and Discord then answers
    # each later post with the first one instead of posting it.
    try:
        channel = bot.get_partial_messageable(channel_id)
        if nonce is None:
            return await channel.send(text, allowed_mentions=NO_PINGS)
        return await channel.send(text, allowed_mentions=NO_PINGS, nonce=nonce)
    except discord.HTTPException as exc:
        log.warning("could not post in channel %s: %s", channel_id, exc)
        return None


def jump_url(shift: Shift) -> str | None:
    if shift.channel_id is None or shift.message_id is None:
        return None
    return f"https://discord.com/channels/{shift.guild_id}/{shift.channel_id}/{shift.message_id}"


#: Settings whose change shows on every card people still use, not just at the card's next change.
SHOWN_ON_CARDS = ("language", "names")


def settings_took_effect(bot: RotaBot, guild_id: int, names: list[str]) -> None:
    """After settings changed (at once, or by a passed proposal): redraw the cards they show on."""
    if any(name in SHOWN_ON_CARDS for name in names):
        bot.later(refresh_cards(bot, guild_id))


async def refresh_cards(bot: RotaBot, guild_id: int) -> None:
    for shift in await bot.services.shifts.suggestions(guild_id, limit=200):
        bot.cards.refresh(SHIFT_CARD, shift.id, shift.channel_id, guild_id=guild_id)
    for proposal in await bot.services.proposals.listing(guild_id, "open"):
        bot.cards.refresh(CARD, proposal.id, proposal.channel_id, guild_id=guild_id)


# --- the cog ----------------------------------------------------------------------------------------


class ProposalCog(commands.Cog):
    proposal = app_commands.Group(
        name="proposal", description="Browse proposals, or withdraw your own", guild_only=True
    )

    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot
        self.proposals = bot.services.proposals

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PositionButton)
        self.bot.cards.register(CARD, self.render_card, reattach=self.proposals.reattach_card)
        scheduler = self.bot.services.scheduler
        scheduler.register(CLOSE_JOB, self.close_due)
        scheduler.register(OUTCOME_JOB, self.announce_outcome)
        scheduler.register(CLOSING_SOON_JOB, self.closing_soon)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Forms submitted after a restart (their modal is gone from memory) still count."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        listen(interaction)
        custom_id = submitted_custom_id(interaction)
        reason = REASON_FORM.fullmatch(custom_id)
        if reason is not None:
            proposal_id, position = int(reason["id"]), Position(reason["position"])
            values = submitted_values(interaction)
            text = values[0] if values else None

            async def restore() -> None:
                await run_guarded(interaction, lambda: take_position(interaction, proposal_id, position, text))

            await unless_answered(interaction, restore)
        elif custom_id.startswith("proposal:new:"):

            async def expired() -> None:
                await reply(interaction, replies.form_expired())

            await unless_answered(interaction, expired)

    async def render_card(self, proposal_id: int) -> RenderedCard | None:
        details = await self.proposals.card_details(proposal_id)
        if details is None:
            return None
        p = details.proposal
        if p.channel_id is None or p.message_id is None:
            return None
        async with self.bot.speaking_to_server(p.guild_id):  # a card is read by everyone
            return RenderedCard(
                p.channel_id,
                p.message_id,
                None,
                render.card_embed(details),
                card_view(p),
                thread_id=p.thread_id,
                repost=p.is_open,  # deleted while open: post it again, or nobody could take a position
            )

    async def post_card(self, proposal: Proposal, channel_id: int, *, author_id: int) -> discord.Message | None:
        details = await self.proposals.card_details(proposal.id)
        assert details is not None
        async with self.bot.speaking_to_server(proposal.guild_id):  # not the author's: everyone reads it
            embed, view, thread_name = render.card_embed(details), card_view(proposal), render.thread_name(proposal)
        posted = await self.bot.cards.post(
            channel_id, guild_id=proposal.guild_id, embed=embed, view=view, thread_name=thread_name
        )
        if posted is None:
            return None
        await self.proposals.attach_card(
            proposal.id, channel_id=channel_id, message_id=posted.message.id, thread_id=posted.thread_id
        )
        await add_to_thread(self.bot, posted.thread_id, author_id)
        return posted.message

    async def proposal_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        found = await self.proposals.suggestions(guild_id_of(interaction), current)
        return [app_commands.Choice(name=render.label(p), value=p.id) for p in found]

    # --- opening ---------------------------------------------------------------------------------

    @app_commands.command(name="propose", description="Propose something the group decides by its rule")
    @app_commands.guild_only()
    @app_commands.describe(
        rule="How it is decided (default: the server's rule from /setup)",
        closes_in="How long it stays open: '48h', '3d' (10 minutes to 60 days; default from /setup)",
        quorum="How many members must take a position for it to count (default 0)",
        action="Is it a concrete action? Then it opens a shift if it passes",
    )
    @app_commands.choices(rule=RULE_CHOICES)
    async def propose(
        self,
        interaction: discord.Interaction,
        rule: str | None = None,
        closes_in: app_commands.Range[str, 1, 20] | None = None,
        quorum: int = 0,
        action: bool = False,
    ) -> None:
        chosen = await self.proposals.check_terms(
            guild_id_of(interaction), rule=rule, closes_in=closes_in, quorum=quorum
        )
        modal = ProposeModal(
            user_id=interaction.user.id, rule=chosen.value, closes_in=closes_in, quorum=quorum, action=action
        )
        await interaction.response.send_modal(modal)

    # --- reading ---------------------------------------------------------------------------------

    @proposal.command(name="list", description="Proposals: open ones, closed ones, or all")
    @app_commands.describe(status="Which proposals")
    @app_commands.choices(
        status=[
            app_commands.Choice(name="open", value="open"),
            app_commands.Choice(name="closed", value="closed"),
            app_commands.Choice(name="all", value="all"),
        ]
    )
    async def list_(self, interaction: discord.Interaction, status: str = "open") -> None:
        found = await self.proposals.listing(guild_id_of(interaction), status)
        shown = found[:LIST_LIMIT]
        await reply(interaction, embed=replies.list_embed(status, render.list_lines(shown), len(shown), len(found)))

    @proposal.command(name="show", description="One proposal: tally, reasons, who has not yet taken a position")
    @app_commands.describe(proposal="The proposal: start typing its title, or give its number")
    async def show(self, interaction: discord.Interaction, proposal: ProposalNumber) -> None:
        guild_id = guild_id_of(interaction)
        details = await self.proposals.details(guild_id, proposal)
        not_yet = await self.proposals.not_yet(details)
        with reading(await self.bot.reading_privately(guild_id, interaction.user.id)):
            embed = render.details_embed(details, not_yet)
        await reply(interaction, embed=embed)

    @proposal.command(name="withdraw", description="Withdraw a proposal you made, before it closes")
    @app_commands.describe(proposal="Your proposal")
    async def withdraw(self, interaction: discord.Interaction, proposal: ProposalNumber) -> None:
        details = await self.proposals.withdraw(guild_id_of(interaction), actor_from(interaction), proposal)
        p = details.proposal
        await reply(interaction, replies.withdrawn(p))
        self.bot.cards.refresh(CARD, p.id, p.channel_id, guild_id=p.guild_id)
        async with self.bot.speaking_to_server(p.guild_id):  # the thread is public
            text = render.withdrawn_text(p)
        self.bot.later(post(self.bot, p.thread_id, text))

    show.autocomplete("proposal")(proposal_autocomplete)
    withdraw.autocomplete("proposal")(proposal_autocomplete)

    # --- scheduled jobs --------------------------------------------------------------------------

    async def closing_soon(self, run: JobRun) -> None:
        soon = await self.proposals.closing_soon(int(run.job.payload["proposal_id"]))
        if soon is None:
            return
        p = soon.details.proposal
        async with self.bot.speaking_to_server(p.guild_id):
            text = render.closing_soon_text(p, soon.not_yet)
        await post(self.bot, p.thread_id or p.channel_id, text, nonce=run.nonce)

    async def close_due(self, run: JobRun) -> None:
        """Apply the rule once; the outcome job (scheduled in the same transaction) does the rest."""
        await self.proposals.close(int(run.job.payload["proposal_id"]), run.finish)

    async def announce_outcome(self, run: JobRun) -> None:
        """Open a passed action's shift, then post the outcome in the channel and the thread."""
        done = await self.proposals.carry_out(int(run.job.payload["proposal_id"]))
        if done is None:
            return
        p = done.details.proposal
        links: list[str | int] = []  # a card's link, or the number of a shift whose card could not be posted
        shift_cog = self.bot.get_cog("ShiftCog")
        for shift in done.shifts:
            link = jump_url(shift)
            if link is None and p.channel_id is not None and shift_cog is not None:
                message = await shift_cog.post_card(shift, p.channel_id, join_user=None)  # type: ignore[attr-defined]
                link = message.jump_url if message is not None else None
            links.append(link or shift.id)
        self.bot.cards.refresh(CARD, p.id, p.channel_id, guild_id=p.guild_id)
        if p.status == "passed" and p.settings_change:
            settings_took_effect(self.bot, p.guild_id, list(p.settings_change))
        async with self.bot.speaking_to_server(p.guild_id):  # the outcome is posted for everyone
            references = [render.shift_reference(link) if isinstance(link, int) else link for link in links]
            problem = explain(done.problem) if done.problem is not None else None
            text = render.outcome_text(done.details, references, problem)
        if p.thread_id is not None:
            await post(self.bot, p.thread_id, text, nonce=run.nonce_for("thread"))
        await post(self.bot, p.channel_id, text, nonce=run.nonce)


async def setup(bot: RotaBot) -> None:
    await bot.add_cog(ProposalCog(bot))
