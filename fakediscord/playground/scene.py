"""The pretend server the playground opens on: a few named members, #shifts, #announcements, #general,
and Rota already set up (its channels chosen, three volunteers in the facilitator rota), so the first
thing a visitor can do is offer a shift, and moving the clock a week shows a hand-over.

Why set up through the bot: `/setup channels` is sent by an organiser through the Driver, exactly as in
the tests, so the bot's own settings and public log say what a real server's would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..driver import Driver
from ..entities import Channel, Guild, Member
from ..server import FakeDiscord
from ..world import World

SERVER_NAME = "Riverside Mutual Aid"
#: (username, organiser): the first is an organiser (Manage Server), so `/setup` works for them.
MEMBERS = (("amara", True), ("ben", False), ("chloe", False), ("dev", False))


@dataclass
class Scene:
    guild: Guild
    members: list[Member]
    shifts: Channel
    announcements: Channel
    general: Channel
    #: Interactions the playground sent itself while setting up; the page does not show their answers.
    setup_interactions: set[int] = field(default_factory=set)


def build_scene(world: World) -> Scene:
    """The server, its members and channels (before the bot connects, so it hears them at once)."""
    # The bot pings on purpose now and then (a hand-over names the new facilitator): the page shows
    # whom a message notified, rather than listing it among the rules broken as a test would.
    world.allow_pings()
    guild = world.add_guild(SERVER_NAME, owner="founder")
    members = [guild.add_member(name, manage_guild=organiser) for name, organiser in MEMBERS]
    shifts = guild.add_text_channel("shifts")
    announcements = guild.add_text_channel("announcements")
    return Scene(guild, members, shifts, announcements, guild.general)


#: Who has joined the facilitator rota (Dev has not, so a visitor can try `/rota join`).
VOLUNTEERS = ("amara", "ben", "chloe")


def set_up_rota(fake: FakeDiscord, scene: Scene) -> None:
    """An organiser chooses where cards and announcements go, and volunteers join the rota, as a new
    server's would."""
    driver = Driver(fake, timeout=30)
    answers = [
        driver.command("setup channels", user=scene.members[0], shifts=scene.shifts, announcements=scene.announcements)
    ]
    answers += [driver.command("rota join", user=m) for m in scene.members if m.name in VOLUNTEERS]
    scene.setup_interactions.update(a.interaction.id for a in answers)
