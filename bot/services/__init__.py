"""Use cases: each one runs domain rules and storage inside one transaction and writes the audit row."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock
from bot.scheduler import Scheduler
from bot.services.proposals import ProposalService
from bot.services.rota import RotaService
from bot.services.settings import SettingsService
from bot.services.shifts import ShiftService
from bot.services.transparency import TransparencyService
from bot.store.database import Database


@dataclass
class Services:
    """What every cog needs, built once by the bot."""

    db: Database
    clock: Clock
    scheduler: Scheduler = field(init=False)
    settings: SettingsService = field(init=False)
    shifts: ShiftService = field(init=False)
    rota: RotaService = field(init=False)
    proposals: ProposalService = field(init=False)
    transparency: TransparencyService = field(init=False)

    def __post_init__(self) -> None:
        self.scheduler = Scheduler(self.db, self.clock)
        self.settings = SettingsService(self.db, self.clock)
        self.shifts = ShiftService(self.db, self.clock)
        self.rota = RotaService(self.db, self.clock)
        self.proposals = ProposalService(self.db, self.clock, self.shifts)
        self.transparency = TransparencyService(self.db, self.clock, self.shifts, self.rota)
