"""A fake Discord (REST API v10 + gateway) for end-to-end tests of a real discord.py bot.

Tests build a `World` (guilds, members, channels, roles), act through a `Driver` (commands, clicks,
selects, modals) and read back what the bot did; the fake records every `Violation` of Discord's
rules. See tests/README.md.
"""

from .botprocess import BotProcess
from .driver import Answer, Driver, NoAnswer, Pending, RefusedByClient
from .entities import Attachment, Channel, Guild, Interaction, Member, Message, Role, User
from .server import FAKE_TOKEN, FakeDiscord
from .world import Violation, World

__all__ = [
    "FAKE_TOKEN",
    "Answer",
    "Attachment",
    "BotProcess",
    "Channel",
    "Driver",
    "FakeDiscord",
    "Guild",
    "Interaction",
    "Member",
    "Message",
    "NoAnswer",
    "Pending",
    "RefusedByClient",
    "Role",
    "User",
    "Violation",
    "World",
]
