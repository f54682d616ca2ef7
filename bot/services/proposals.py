"""Proposal use cases: open, take a position, withdraw, close at the deadline, carry out a passed action.

Each runs in one transaction (its server locked first) that re-reads the proposal, writes the change and its
audit row, and (re)schedules jobs. Closing is durable: the close job closes the proposal and, in the
same transaction, schedules the outcome job that creates the action's shifts and announces the
result, so a restart neither loses nor repeats a close.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.domain import decisions as rules
from bot.domain import shifts as shift_rules
from bot.domain.decisions import Outcome, Rule, Tally, ensure_author
from bot.domain.errors import (
    ActionBeforeClose,
    BadPlaces,
    ProposalClosed,
    ProposalNotFound,
    RotaError,
)
from bot.domain.members import Actor
from bot.domain.records import SETTING_NAMES, Proposal, Shift, Stance
from bot.domain.states import Position
from bot.domain.text import clean_text, one_line
from bot.domain.timeparse import parse_closes_in, parse_when
from bot.services.rota import RotaService
from bot.services.settings import apply_changes
from bot.services.shifts import ShiftService
from bot.store import audit, jobs
from bot.store import proposals as rows
from bot.store import settings as settings_rows
from bot.store.database import Database, Tx

CLOSE_JOB = "proposal_close"
CLOSING_SOON_JOB = "proposal_closing_soon"
OUTCOME_JOB = "proposal_outcome"
#: The key of a settings proposal's change that configures a rota (the rest are `/setup` settings).
ROTA_CHANGE = "rota"
#: A passed action opens a shift of this length (the modal has no room for more fields).
ACTION_DURATION = "2h"
#: "Members the bot knows": who used Rota in this server in this window (the bot sees no member list).
KNOWN_WINDOW = timedelta(days=90)


def close_key(proposal_id: int) -> str:
    return f"proposal:{proposal_id}:close"


def soon_key(proposal_id: int) -> str:
    return f"proposal:{proposal_id}:soon"


def outcome_key(proposal_id: int) -> str:
    return f"proposal:{proposal_id}:outcome"


@dataclass(frozen=True, slots=True)
class ActionInput:
    """What a member typed for an action: the shift it opens if it passes."""

    when: str
    where: str
    places: str


@dataclass(frozen=True, slots=True)
class ProposalDetails:
    """A proposal with every member's position, as the card and `/proposal show` need it."""

    proposal: Proposal
    stances: list[Stance]
    shift_ids: list[int]

    @property
    def tally(self) -> Tally:
        return Tally.from_positions(Position(s.position) for s in self.stances)

    @property
    def outcome(self) -> Outcome:
        """The outcome now: final once closed, "if it closed now" while open."""
        return rules.decide(Rule(self.proposal.rule), self.tally, self.proposal.quorum)

    def named(self, position: Position) -> list[Stance]:
        return [s for s in self.stances if s.position == position.value]


@dataclass(frozen=True, slots=True)
class PositionChange:
    details: ProposalDetails
    previous: Stance | None
    position: Position
    changed: bool


@dataclass(frozen=True, slots=True)
class ClosingSoon:
    details: ProposalDetails
    not_yet: int


@dataclass(frozen=True, slots=True)
class CarriedOut:
    """What a closed proposal led to: its linked shifts, or why its action could not open one."""

    details: ProposalDetails
    shifts: list[Shift]
    problem: RotaError | None = None


@dataclass
class ProposalService:
    db: Database
    clock: Clock
    shifts: ShiftService
    #: Applies a passed proposal's rota change (`/setup rota` under `group` governance).
    rota: RotaService | None = None

    # --- reading -------------------------------------------------------------------------------

    async def details(self, guild_id: int, proposal_id: int) -> ProposalDetails:
        proposal = await rows.get(self.db, guild_id, proposal_id)
        if proposal is None:
            raise ProposalNotFound(proposal_id)
        return await self._details(self.db, proposal)

    async def card_details(self, proposal_id: int) -> ProposalDetails | None:
        proposal = await rows.get_any(self.db, proposal_id)
        return None if proposal is None else await self._details(self.db, proposal)

    async def _details(self, db: Database | Tx, proposal: Proposal) -> ProposalDetails:
        return ProposalDetails(
            proposal, await rows.stances(db, proposal.id), await rows.linked_shift_ids(db, proposal.id)
        )

    async def listing(self, guild_id: int, status: str) -> list[Proposal]:
        return await rows.listing(self.db, guild_id, status=status)

    async def suggestions(self, guild_id: int, needle: str, *, limit: int = 25) -> list[Proposal]:
        """Proposals for autocomplete by title or number: open ones first, then the latest closed."""
        needle = needle.strip().lower().lstrip("#")
        found = await rows.listing(self.db, guild_id, status="all", limit=500)
        return [p for p in found if not needle or needle in f"{p.id} {p.title}".lower()][:limit]

    async def not_yet(self, details: ProposalDetails) -> list[str]:
        """Names of members the bot knows (used Rota here lately) who have taken no position yet."""
        since = (self.clock.now() - KNOWN_WINDOW).timestamp()
        known = await rows.known_members(self.db, details.proposal.guild_id, since=since)
        taken = {s.user_id for s in details.stances}
        return sorted((name for uid, name in known.items() if uid not in taken), key=str.lower)

    # --- opening -------------------------------------------------------------------------------

    async def open(
        self,
        guild_id: int,
        actor: Actor,
        *,
        title: str,
        body: str,
        rule: str | None = None,
        closes_in: str | None = None,
        quorum: int = 0,
        action: ActionInput | None = None,
        settings_change: dict[str, Any] | None = None,
    ) -> Proposal:
        """Validate in the order of the form, then store the proposal and schedule its jobs. A
        `settings_change` ({setting: validated value}) is applied when the proposal passes."""
        now = self.clock.now()
        chosen_rule, length = await self._terms(guild_id, rule, closes_in)
        draft = rules.validate_proposal(title, body, length, quorum)
        closes_at = now + draft.closes_in
        starts_at, where, places = await self._validate_action(
            guild_id, action, now=now, closes_at=closes_at, language=actor.language
        )
        stamp = now.timestamp()
        async with self.db.transaction(guild_id=guild_id) as tx:
            proposal_id = await rows.insert(
                tx,
                guild_id=guild_id,
                author_id=actor.user_id,
                author_name=actor.name,
                title=draft.title,
                body=draft.body,
                rule=chosen_rule.value,
                quorum=draft.quorum,
                opened_at=now,
                closes_at=closes_at,
                action_starts_at=starts_at,
                action_where=where,
                action_places=places,
                settings_change=settings_change,
            )
            proposal = await rows.get_any(tx, proposal_id)
            assert proposal is not None
            payload = {"proposal_id": proposal_id}
            await jobs.schedule(
                tx, CLOSE_JOB, proposal.closes_at.timestamp(), payload, key=close_key(proposal_id), now=stamp
            )
            soon = rules.closing_soon_at(proposal.opened_at, proposal.closes_at)
            await jobs.schedule(tx, CLOSING_SOON_JOB, soon.timestamp(), payload, key=soon_key(proposal_id), now=stamp)
            detail: dict[str, Any] = {
                "title": draft.title,
                "rule": chosen_rule.value,
                "quorum": draft.quorum,
                "closes_at": int(proposal.closes_at.timestamp()),
            }
            if starts_at is not None:
                detail["action"] = {"starts_at": int(starts_at.timestamp()), "where": where, "places": places}
            if settings_change is not None:
                detail["settings"] = settings_change
            await self._audit(tx, guild_id, actor, "proposal_opened", proposal_id, detail)
        return proposal

    async def check_terms(self, guild_id: int, *, rule: str | None, closes_in: str | None, quorum: int) -> Rule:
        """Check the command's options before the member types the text (`open` checks them again)."""
        chosen_rule, length = await self._terms(guild_id, rule, closes_in)
        rules.validate_deadline(length)
        rules.validate_quorum(quorum)
        return chosen_rule

    async def _terms(self, guild_id: int, rule: str | None, closes_in: str | None) -> tuple[Rule, timedelta]:
        """The rule and length asked for, or the server's defaults from `/setup`."""
        settings = await settings_rows.load(self.db, guild_id)
        length = parse_closes_in(closes_in) if closes_in else timedelta(minutes=settings.decision_minutes)
        return Rule(rule or settings.decision_rule), length

    async def _validate_action(
        self, guild_id: int, action: ActionInput | None, *, now: datetime, closes_at: datetime, language: str
    ) -> tuple[datetime | None, str | None, int | None]:
        if action is None:
            return None, None, None
        tz = await self.shifts.timezone(guild_id)
        starts_at = shift_rules.validate_start(parse_when(action.when, now=now, tz=tz, language=language), now=now)
        if starts_at <= closes_at:
            raise ActionBeforeClose(starts_at, closes_at)
        where = one_line(clean_text(action.where, field="where", max_len=shift_rules.WHERE_MAX))
        text = action.places.strip()
        if not text.isdigit():
            raise BadPlaces(0, shift_rules.PLACES_MIN, shift_rules.PLACES_MAX)
        return starts_at, where, shift_rules.validate_places(int(text))

    async def attach_card(self, proposal_id: int, *, channel_id: int, message_id: int, thread_id: int | None) -> None:
        """Remember where the card is (no rule depends on it, so no server lock)."""
        async with self.db.transaction() as tx:
            await rows.set_card(tx, proposal_id, channel_id=channel_id, message_id=message_id, thread_id=thread_id)

    async def reattach_card(self, proposal_id: int, *, was: int, message_id: int, thread_id: int | None) -> bool:
        """A deleted card was posted again in its channel: remember its new message, unless the
        stored one is no longer `was` (another process posted it again first); True when stored."""
        async with self.db.transaction() as tx:
            current = await rows.get_any(tx, proposal_id)
            if current is None or current.message_id != was or current.channel_id is None:
                return False
            await rows.set_card(
                tx, proposal_id, channel_id=current.channel_id, message_id=message_id, thread_id=thread_id
            )
            return True

    # --- positions -----------------------------------------------------------------------------

    async def take_position(
        self, guild_id: int, actor: Actor, proposal_id: int, position: Position, reason: str | None = None
    ) -> PositionChange:
        """Set the member's own position (one per member, changeable until the close)."""
        cleaned = rules.validate_position(position, reason)
        now = self.clock.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            proposal = await self._open_proposal(tx, guild_id, proposal_id, now)
            previous = await rows.stance_of(tx, proposal_id, actor.user_id)
            changed = previous is None or previous.position != position.value or previous.reason != cleaned
            if changed:
                await rows.put_stance(
                    tx, proposal_id, actor.user_id, actor.name, position.value, cleaned, at=now.timestamp()
                )
                await self._audit(
                    tx,
                    guild_id,
                    actor,
                    "position_taken",
                    proposal_id,
                    {
                        "position": position.value,
                        "previous": previous.position if previous else None,
                        "title": proposal.title,
                    },
                )
            details = await self._details(tx, proposal)
        return PositionChange(details, previous, position, changed)

    # --- the author's withdrawal ---------------------------------------------------------------

    async def withdraw(self, guild_id: int, actor: Actor, proposal_id: int) -> ProposalDetails:
        """Only the author, only while open; its jobs are dropped in the same transaction."""
        now = self.clock.now()
        async with self.db.transaction(guild_id=guild_id) as tx:
            proposal = await self._open_proposal(tx, guild_id, proposal_id, now)
            ensure_author(proposal_id=proposal_id, author_id=proposal.author_id, user_id=actor.user_id)
            await rows.close(tx, proposal_id, status="withdrawn", reason=None, at=now.timestamp())
            await jobs.cancel(tx, close_key(proposal_id))
            await jobs.cancel(tx, soon_key(proposal_id))
            await self._audit(tx, guild_id, actor, "proposal_withdrawn", proposal_id, {"title": proposal.title})
            closed = await rows.get_any(tx, proposal_id)
            assert closed is not None
            details = await self._details(tx, closed)
        return details

    # --- scheduled: closing soon, close, outcome ------------------------------------------------

    async def closing_soon(self, proposal_id: int) -> ClosingSoon | None:
        """What the closing-soon line says, or None when it no longer applies."""
        details = await self.card_details(proposal_id)
        if details is None or not details.proposal.is_open or details.proposal.closes_at <= self.clock.now():
            return None
        return ClosingSoon(details, len(await self.not_yet(details)))

    async def close(self, proposal_id: int, finish: Callable[[Tx], Awaitable[bool]]) -> ProposalDetails | None:
        """The deadline has come (job handler): apply the rule once, audit it, schedule the announcement."""
        stamp = self.clock.timestamp()
        async with self.db.transaction() as tx:
            proposal = await rows.get_any(tx, proposal_id)
            if proposal is not None:  # lock its server, then read what the rule decides on
                await tx.lock_guild(proposal.guild_id)
                proposal = await rows.get_any(tx, proposal_id)
            if proposal is None or not proposal.is_open:
                await finish(tx)
                return None
            details = await self._details(tx, proposal)
            outcome, tally = details.outcome, details.tally
            status = "passed" if outcome.passed else "failed"
            await rows.close(tx, proposal_id, status=status, reason=outcome.reason.value, at=stamp)
            await jobs.cancel(tx, soon_key(proposal_id))
            await jobs.schedule(
                tx, OUTCOME_JOB, stamp, {"proposal_id": proposal_id}, key=outcome_key(proposal_id), now=stamp
            )
            await audit.record(
                tx,
                guild_id=proposal.guild_id,
                actor=None,
                kind="proposals",
                action="proposal_closed",
                subject=str(proposal_id),
                detail={
                    "title": proposal.title,
                    "status": status,
                    "reason": outcome.reason.value,
                    "tally": [tally.agree, tally.abstain, tally.disagree, tally.block],
                },
                at=stamp,
            )
            if outcome.passed and proposal.settings_change:
                # The group's decision takes effect with the close itself: once, or not at all.
                # Only settings this version knows (a change stored by another version must not keep the close failing).
                settings = {k: v for k, v in proposal.settings_change.items() if k in SETTING_NAMES}
                await apply_changes(tx, proposal.guild_id, settings, actor=None, at=stamp, proposal_id=proposal_id)
                rota_change = proposal.settings_change.get(ROTA_CHANGE)
                if rota_change is not None and self.rota is not None:
                    await self.rota.configure_in(
                        tx, proposal.guild_id, rota_change, actor=None, proposal_id=proposal_id
                    )
            await finish(tx)
            closed = await rows.get_any(tx, proposal_id)
            assert closed is not None
            return await self._details(tx, closed)

    async def carry_out(self, proposal_id: int) -> CarriedOut | None:
        """After a close: a passed action gets its shift, once (a retried job finds the shift it made)."""
        details = await self.card_details(proposal_id)
        if details is None:
            return None
        proposal = details.proposal
        if proposal.status != "passed" or not proposal.has_action or details.shift_ids:
            return CarriedOut(details, await self._shifts(details.shift_ids))
        assert proposal.action_starts_at is not None and proposal.action_where is not None
        tz = await self.shifts.timezone(proposal.guild_id)
        when = proposal.action_starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        try:
            created = await self.shifts.offer(
                proposal.guild_id,
                Actor(proposal.author_id, proposal.author_name),
                when=when,
                where=proposal.action_where,
                places=proposal.action_places or 1,
                duration=ACTION_DURATION,
                notes=proposal.title,  # the card says which proposal opened it, in the server's language
                join=False,
                proposal_id=proposal.id,
            )
        except RotaError as problem:
            return CarriedOut(details, [], problem)
        refreshed = await self.card_details(proposal_id)
        assert refreshed is not None
        return CarriedOut(refreshed, created)

    async def _shifts(self, shift_ids: list[int]) -> list[Shift]:
        found = [await self.shifts.card_details(i) for i in shift_ids]
        return [d.shift for d in found if d is not None]

    # --- helpers -------------------------------------------------------------------------------

    async def _open_proposal(self, tx: Tx, guild_id: int, proposal_id: int, now: datetime) -> Proposal:
        proposal = await rows.get(tx, guild_id, proposal_id)
        if proposal is None:
            raise ProposalNotFound(proposal_id)
        if not proposal.is_open:
            raise ProposalClosed(proposal_id, proposal.status)
        if proposal.closes_at <= now:
            raise ProposalClosed(proposal_id, "closing")
        return proposal

    async def _audit(
        self, tx: Tx, guild_id: int, actor: Actor, action: str, proposal_id: int, detail: dict[str, Any]
    ) -> None:
        await audit.record(
            tx,
            guild_id=guild_id,
            actor=actor,
            kind="proposals",
            action=action,
            subject=str(proposal_id),
            detail=detail,
            at=self.clock.timestamp(),
        )
