"""Use cases: each one runs domain rules and storage inside one transaction and writes the audit row."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock
from bot.domain.states import OfferKind
from bot.scheduler import Scheduler
from bot.services.feeds import FeedService
from bot.services.handoffs import HandoffService
from bot.services.languages import LanguageService
from bot.services.offers import OfferService
from bot.services.proposals import ProposalService
from bot.services.reminders import Reminders
from bot.services.retention import RetentionService
from bot.services.rota import RotaService
from bot.services.rota_turns import RotaTurns
from bot.services.settings import SettingsService
from bot.services.shifts import ShiftService
from bot.services.swaps import SwapService
from bot.services.transparency import TransparencyService
from bot.store.database import Database


@dataclass
class Services:
    """What every cog needs, built once by the bot."""

    db: Database
    clock: Clock
    #: This process's stable name among the processes sharing the database (its jobs' owner).
    instance: str = "rota"
    scheduler: Scheduler = field(init=False)
    settings: SettingsService = field(init=False)
    reminders: Reminders = field(init=False)
    handoffs: HandoffService = field(init=False)
    shifts: ShiftService = field(init=False)
    rota_turns: RotaTurns = field(init=False)
    swaps: SwapService = field(init=False)
    rota: RotaService = field(init=False)
    offers: OfferService = field(init=False)
    proposals: ProposalService = field(init=False)
    transparency: TransparencyService = field(init=False)
    languages: LanguageService = field(init=False)
    feeds: FeedService = field(init=False)
    retention: RetentionService = field(init=False)

    def __post_init__(self) -> None:
        self.scheduler = Scheduler(self.db, self.clock, owner=self.instance)
        self.settings = SettingsService(self.db, self.clock)
        self.reminders = Reminders(self.db, self.clock)
        self.handoffs = HandoffService(self.db, self.clock, self.reminders)
        self.shifts = ShiftService(self.db, self.clock, self.reminders, self.handoffs)
        self.rota_turns = RotaTurns(self.db, self.clock)
        self.swaps = SwapService(self.db, self.clock, self.rota_turns)
        self.rota = RotaService(self.db, self.clock, self.rota_turns, self.swaps)
        self.offers = OfferService(self.db, self.clock, {OfferKind.HANDOFF: self.handoffs, OfferKind.SWAP: self.swaps})
        self.proposals = ProposalService(self.db, self.clock, self.shifts, self.rota)
        self.transparency = TransparencyService(self.db, self.clock, self.shifts, self.rota)
        self.languages = LanguageService(self.db, self.clock)
        self.feeds = FeedService(self.db, self.clock, self.shifts)
        self.retention = RetentionService(self.db, self.clock)
