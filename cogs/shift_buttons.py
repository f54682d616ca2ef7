"""The buttons and menus on shifts (Claim, Leave, the waitlist, list pages, "Take a place on…").

Every one survives a restart: all its state is in its custom_id. The flows here are shared by the
buttons and the `/shift` commands: each calls one service method, answers the member first, and
then refreshes the card, adjusts the shift's thread and sends any DMs.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import discord

from bot.app import Listening, RotaBot
from bot.domain import shifts as rules
from bot.domain.records import Shift
from bot.domain.roles import BUTTONS_MAX, Role
from bot.domain.shifts import ClaimKind
from bot.services.shifts import LeaveOutcome
from bot.ui import shift_render as render
from bot.ui import shift_replies as replies
from bot.ui.members import actor_from, guild_id_of
from bot.ui.notify import add_to_thread, remove_from_thread
from bot.ui.replies import NO_PINGS, reply, run_guarded

log = logging.getLogger(__name__)

#: The card kind shift cards are registered under with the card keeper.
CARD = "shift"
PAGE_SIZE = 10


def _role_suffix(role: int) -> str:
    return f":{role}" if role else ""


class ClaimButton(
    Listening, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"shift:claim:(?P<id>\d+)(?::(?P<role>\d+))?"
):
    """Claim a place on the card's shift (of one role, on a shift with roles)."""

    def __init__(self, shift_id: int, *, disabled: bool = False, role: Role | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=replies.claim_label() if role is None else replies.claim_role_label(role.name),
                style=discord.ButtonStyle.success,
                custom_id=f"shift:claim:{shift_id}{_role_suffix(role.position if role else 0)}",
                disabled=disabled,
            )
        )
        self.shift_id, self.role = shift_id, role.position if role else 0

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> ClaimButton:
        button = cls(int(match["id"]))
        button.role = int(match["role"] or 0)
        return button

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(
            interaction, lambda: claim_flow(interaction, self.shift_id, join_waitlist=False, role=self.role or None)
        )


class ClaimRoleSelect(Listening, discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"shift:roles:(?P<id>\d+)"):
    """On a shift with more roles than buttons fit: choose the role to claim a place as."""

    def __init__(self, shift_id: int, roles: tuple[Role, ...] = (), *, disabled: bool = False) -> None:
        options = [discord.SelectOption(label=replies.role_option(r), value=str(r.position)) for r in roles]
        super().__init__(
            discord.ui.Select(
                custom_id=f"shift:roles:{shift_id}",
                placeholder=replies.claim_role_placeholder(),
                options=options or [discord.SelectOption(label="-", value="0")],
                disabled=disabled,
            )
        )
        self.shift_id = shift_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> ClaimRoleSelect:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        role = int(self.item.values[0]) if self.item.values else 0
        await run_guarded(interaction, lambda: claim_flow(interaction, self.shift_id, join_waitlist=False, role=role))


class WaitlistButton(
    Listening, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"shift:wait:(?P<id>\d+)(?::(?P<role>\d+))?"
):
    """Join the waitlist of a full shift (or role), offered privately when a claim finds it full."""

    def __init__(self, shift_id: int, role: int = 0) -> None:
        super().__init__(
            discord.ui.Button(
                label=replies.waitlist_label(),
                style=discord.ButtonStyle.primary,
                custom_id=f"shift:wait:{shift_id}{_role_suffix(role)}",
            )
        )
        self.shift_id, self.role = shift_id, role

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> WaitlistButton:
        return cls(int(match["id"]), int(match["role"] or 0))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(
            interaction, lambda: claim_flow(interaction, self.shift_id, join_waitlist=True, role=self.role or None)
        )


class LeaveButton(Listening, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"shift:leave:(?P<id>\d+)"):
    """Give up one's place (or waitlist spot) on the card's shift."""

    def __init__(self, shift_id: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=replies.leave_label(),
                style=discord.ButtonStyle.secondary,
                custom_id=f"shift:leave:{shift_id}",
                disabled=disabled,
            )
        )
        self.shift_id = shift_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> LeaveButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: leave_flow(interaction, self.shift_id))


class ListPageButton(
    Listening,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"shift:list:(?P<show>open|mine|all):(?P<days>\d+):(?P<page>\d+)",
):
    """Earlier / Later on a `/shift list` page."""

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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> ListPageButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["show"], int(match["days"]), int(match["page"]), label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        async def turn() -> None:
            embed, view = await list_page(interaction, self.show, self.days, self.page)
            await interaction.response.edit_message(embed=embed, view=view)

        await run_guarded(interaction, turn)


class PickShiftSelect(Listening, discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"shift:pick"):
    """One tap from a list to a place: choosing a shift claims a place on it (or offers the waitlist)."""

    def __init__(self, options: list[tuple[int, str]] | None = None) -> None:
        choices = [discord.SelectOption(label=label, value=str(shift_id)) for shift_id, label in (options or [])]
        super().__init__(
            discord.ui.Select(custom_id="shift:pick", placeholder=replies.pick_placeholder(), options=choices[:25])
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> PickShiftSelect:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        values = self.item.values  # discord.py fills them from the interaction before the callback
        if not values or not values[0].isdigit():
            return
        await run_guarded(interaction, lambda: claim_flow(interaction, int(values[0]), join_waitlist=False))


#: Every shift button and menu, registered once when the shift cog loads.
class CheckInButton(Listening, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"shift:here:(?P<id>\d+)"):
    """I'm here: a holder checks themselves in, from half an hour before the start until the end."""

    def __init__(self, shift_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=replies.here_label(), style=discord.ButtonStyle.primary, custom_id=f"shift:here:{shift_id}"
            )
        )
        self.shift_id = shift_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> CheckInButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: check_in_flow(interaction, self.shift_id))


async def check_in_flow(interaction: discord.Interaction, shift_id: int) -> None:
    bot = RotaBot.of(interaction)
    done = await bot.services.shifts.check_in(guild_id_of(interaction), actor_from(interaction), shift_id)
    await reply(interaction, replies.checked_in_text(shift_id, new=done.new))


def check_in_view(shift_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CheckInButton(shift_id))
    return view


class StillComingButton(
    Listening,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"shift:coming:(?P<id>\d+):(?P<answer>yes|no)",
):
    """The answers to "still coming?" in a holder's DM: nothing changes for yes; no frees the place."""

    def __init__(self, shift_id: int, coming: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label=replies.coming_label() if coming else replies.not_coming_label(),
                style=discord.ButtonStyle.success if coming else discord.ButtonStyle.secondary,
                custom_id=f"shift:coming:{shift_id}:{'yes' if coming else 'no'}",
            )
        )
        self.shift_id, self.coming = shift_id, coming

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> StillComingButton:
        return cls(int(match["id"]), match["answer"] == "yes")

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, lambda: still_coming_flow(interaction, self.shift_id, coming=self.coming))


#: Questions waiting for "only this one / this and all later ones": token -> what to do with the
#: answer. In memory, because they are private and short-lived; after a restart the button says so.
_SCOPE_QUESTIONS: dict[str, Callable[[discord.Interaction, bool], Awaitable[None]]] = {}  # token -> answer
_SCOPE_QUESTIONS_KEPT = 500


class SeriesScopeButton(
    Listening,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"shift:scope:(?P<token>[0-9a-f]{16}):(?P<later>[01])",
):
    """Only this one, or this and all later ones: the answer to a change of a shift in a series."""

    def __init__(self, token: str, later: bool, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or "…",
                style=discord.ButtonStyle.primary if later else discord.ButtonStyle.secondary,
                custom_id=f"shift:scope:{token}:{int(later)}",
            )
        )
        self.token, self.later = token, later

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> SeriesScopeButton:
        return cls(match["token"], match["later"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        run = _SCOPE_QUESTIONS.pop(self.token, None)
        if run is None:
            await interaction.response.edit_message(content=replies.question_expired(), view=None)
            return
        await run_guarded(interaction, lambda: run(interaction, self.later))


async def ask_which_shifts(
    interaction: discord.Interaction,
    shift_id: int,
    later: int,
    run: Callable[[discord.Interaction, bool], Awaitable[None]],
) -> None:
    """Ask whether a change is for this shift only or also for the later ones of its series; `run`
    gets the click's interaction and the answer."""
    token = secrets.token_hex(8)
    while len(_SCOPE_QUESTIONS) >= _SCOPE_QUESTIONS_KEPT:
        _SCOPE_QUESTIONS.pop(next(iter(_SCOPE_QUESTIONS)))
    _SCOPE_QUESTIONS[token] = run
    view = discord.ui.View(timeout=None)
    view.add_item(SeriesScopeButton(token, False, replies.only_this_label()))
    view.add_item(SeriesScopeButton(token, True, replies.this_and_later_label()))
    await reply(interaction, replies.which_shifts(shift_id, later), view=view)


DYNAMIC_ITEMS = (
    ClaimButton,
    LeaveButton,
    WaitlistButton,
    ListPageButton,
    PickShiftSelect,
    ClaimRoleSelect,
    StillComingButton,
    CheckInButton,
    SeriesScopeButton,
)


def still_coming_view(shift_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(StillComingButton(shift_id, True))
    view.add_item(StillComingButton(shift_id, False))
    return view


async def still_coming_flow(interaction: discord.Interaction, shift_id: int, *, coming: bool) -> None:
    """Answered in the DM itself (the question is replaced). Only "can't make it" changes anything:
    the place is released as if the member had left, and the waitlist moves up."""
    bot = RotaBot.of(interaction)
    if coming:
        await interaction.response.edit_message(content=replies.see_you(shift_id), view=None)
        return
    guild_id = await bot.services.shifts.guild_of(shift_id)
    outcome = await bot.services.shifts.leave(guild_id, actor_from(interaction), shift_id)
    await interaction.response.edit_message(content=replies.leave_text(outcome), view=None)
    bot.cards.refresh(CARD, shift_id, outcome.shift.channel_id, guild_id=guild_id)
    bot.later(after_leave(bot, outcome, interaction.user.id))


def card_view(shift: Shift, now: datetime, roles: tuple[Role, ...] = ()) -> discord.ui.View:
    """Claim (one per role, or a menu of roles when they are many) and Leave, closed once the shift
    is cancelled or has started; Claim also once sign-up closed."""
    view = discord.ui.View(timeout=None)
    closed = shift.cancelled or shift.starts_at <= now
    signup_closed = shift.closes_at is not None and shift.closes_at <= now
    if not roles:
        view.add_item(ClaimButton(shift.id, disabled=closed or signup_closed))
    elif len(roles) <= BUTTONS_MAX:
        for role in roles:
            view.add_item(ClaimButton(shift.id, disabled=closed or signup_closed, role=role))
    else:
        view.add_item(ClaimRoleSelect(shift.id, roles, disabled=closed or signup_closed))
    view.add_item(LeaveButton(shift.id, disabled=closed))
    if not shift.cancelled and rules.check_in_opens(shift.starts_at) <= now <= shift.ends_at:
        view.add_item(CheckInButton(shift.id))
    return view


async def claim_flow(
    interaction: discord.Interaction, shift_id: int, *, join_waitlist: bool, role: int | str | None = None
) -> None:
    """Claim a place (of a role); a full shift or role asks whether to join its waitlist."""
    bot = RotaBot.of(interaction)
    outcome = await bot.services.shifts.claim(
        guild_id_of(interaction), actor_from(interaction), shift_id, join_waitlist=join_waitlist, role=role
    )
    kind = outcome.result.kind
    if kind is ClaimKind.FULL:
        view = discord.ui.View(timeout=None)
        view.add_item(WaitlistButton(shift_id, outcome.role))
        await reply(interaction, replies.full_text(shift_id, outcome.result.waitlist_position), view=view)
        return
    await reply(interaction, replies.claim_text(outcome))
    if kind is ClaimKind.CLAIMED:
        bot.cards.refresh(CARD, shift_id, outcome.shift.channel_id, guild_id=outcome.shift.guild_id)
        bot.later(add_to_thread(bot, outcome.shift.thread_id, interaction.user.id))
    elif kind is ClaimKind.WAITLISTED:
        bot.cards.refresh(CARD, shift_id, outcome.shift.channel_id, guild_id=outcome.shift.guild_id)


async def leave_flow(interaction: discord.Interaction, shift_id: int) -> None:
    """Leave a place or the waitlist; the first waiting member is told they moved up."""
    bot = RotaBot.of(interaction)
    outcome = await bot.services.shifts.leave(guild_id_of(interaction), actor_from(interaction), shift_id)
    await reply(interaction, replies.leave_text(outcome))
    bot.cards.refresh(CARD, shift_id, outcome.shift.channel_id, guild_id=outcome.shift.guild_id)
    bot.later(after_leave(bot, outcome, interaction.user.id))


async def after_leave(bot: RotaBot, outcome: LeaveOutcome, user_id: int) -> None:
    """Threads, the promoted member's DM, and (close to the start) a note that a place opened."""
    shift = outcome.shift
    if outcome.left_place:
        await remove_from_thread(bot, shift.thread_id, user_id)
    if outcome.promoted:
        await add_to_thread(bot, shift.thread_id, outcome.promoted.user_id)
        await bot.dm(outcome.promoted.user_id, lambda: render.promotion_text(shift))
    if outcome.late and shift.channel_id:
        async with bot.speaking_to_server(shift.guild_id):
            text = replies.place_opened(shift)
        await bot.pacer.slot(shift.channel_id)
        try:
            await bot.get_partial_messageable(shift.channel_id).send(text, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("could not announce a freed place on shift %s: %s", shift.id, exc)


async def list_page(
    interaction: discord.Interaction, show: str, days: int, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    """One page of `/shift list`, with a menu to take a place and Earlier / Later."""
    bot = RotaBot.of(interaction)
    shifts = await bot.services.shifts.listing(guild_id_of(interaction), interaction.user.id, show, days)
    pages = max(1, -(-len(shifts) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    on_page = shifts[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    now = bot.clock.now()
    roles = await bot.services.shifts.roles_of(on_page)
    embed = replies.list_embed(show, days, render.list_lines(on_page, now, roles), page, pages)
    view = discord.ui.View(timeout=None)
    claimable = [s for s in on_page if not s.cancelled and s.starts_at > now]
    if claimable:
        tz = await bot.services.shifts.timezone(guild_id_of(interaction))
        view.add_item(PickShiftSelect([(s.id, render.label(s, tz)) for s in claimable]))
    if pages > 1:
        view.add_item(ListPageButton(show, days, max(page - 1, 0), replies.earlier_label(), disabled=page == 0))
        view.add_item(ListPageButton(show, days, page + 1, replies.later_label(), disabled=page >= pages - 1))
    return embed, view
