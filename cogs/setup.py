"""`/setup`: server settings. Everyone can see them; who changes them is `/setup governance`; all is logged."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import RotaBot
from bot.domain.governance import Governance, Names, Route, validate_retention_days
from bot.domain.records import GuildSettings
from bot.domain.settings import (
    validate_decision_minutes,
    validate_reminder_offsets,
    validate_rule,
    validate_still_coming,
    validate_timezone,
)
from bot.domain.timeparse import timezone_suggestions
from bot.services.proposals import ROTA_CHANGE
from bot.services.rota import rota_change
from bot.ui import setup_replies as replies
from bot.ui.channel_check import (
    CARD_NEEDS,
    POST_NEEDS,
    channel_problems,
    missing_in,
    require_card_channel,
    role_deleted,
)
from bot.ui.members import actor_from, guild_id_of
from bot.ui.replies import NO_PINGS, reply
from bot.ui.rota_render import configured_text
from cogs.proposals import ProposalCog, settings_took_effect

#: Written out (not built from a list) so the catalogue extractor finds each day for translation.
WEEKDAY_CHOICES = [
    app_commands.Choice(name="Monday", value=0),
    app_commands.Choice(name="Tuesday", value=1),
    app_commands.Choice(name="Wednesday", value=2),
    app_commands.Choice(name="Thursday", value=3),
    app_commands.Choice(name="Friday", value=4),
    app_commands.Choice(name="Saturday", value=5),
    app_commands.Choice(name="Sunday", value=6),
]
#: Each language in its own name; "auto" follows the server's Discord language.
LANGUAGE_CHOICES = [
    app_commands.Choice(name="Automatic: the server's Discord language", value="auto"),
    app_commands.Choice(name="English", value="en"),
    app_commands.Choice(name="Deutsch", value="de"),
    app_commands.Choice(name="Español", value="es"),
    app_commands.Choice(name="Français", value="fr"),
    app_commands.Choice(name="Português (Brasil)", value="pt_BR"),
]
GOVERNANCE_CHOICES = [
    app_commands.Choice(name="organisers: Manage Server changes settings at once", value="organisers"),
    app_commands.Choice(name="group: every change is a proposal the group decides", value="group"),
]
NAMES_CHOICES = [
    app_commands.Choice(name="shown: names on cards, lists and the log", value="shown"),
    app_commands.Choice(name="holders: counts in public; holders see each other", value="holders"),
]
RULE_CHOICES = [
    app_commands.Choice(name="consent: passes unless someone blocks", value="consent"),
    app_commands.Choice(name="consensus: passes unless someone blocks or disagrees", value="consensus"),
    app_commands.Choice(name="majority: more agree than disagree", value="majority"),
]


@app_commands.guild_only()
class SetupCog(commands.GroupCog, group_name="setup", group_description="See or change Rota's server settings"):
    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot
        self.settings = bot.services.settings
        super().__init__()

    async def _apply(self, interaction: discord.Interaction, changes: dict[str, object], warning: str = "") -> None:
        """Apply the change now, or open a proposal for the group (`settings_route` decides)."""
        guild_id, actor = guild_id_of(interaction), actor_from(interaction)
        plan = await self.settings.plan(guild_id, actor, changes)
        if plan.route is Route.APPLY or not plan.changes:
            done = await self.settings.change(guild_id, actor, changes) if plan.changes else []
            await reply(interaction, replies.changes_text(done) + warning)
            settings_took_effect(self.bot, guild_id, [c.name for c in done])
            return
        async with self.bot.speaking_to_server(guild_id):  # the proposal is read by everyone
            title, body = replies.proposal_title(plan.changes), replies.proposal_body(plan.changes)
        await self._propose(interaction, plan.current, title, body, {c.name: c.new for c in plan.changes}, warning)

    async def _propose(
        self,
        interaction: discord.Interaction,
        current: GuildSettings,
        title: str,
        body: str,
        change: dict[str, object],
        warning: str = "",
    ) -> None:
        """Open a settings proposal decided by the server's defaults; tell the asker privately, with its link."""
        assert interaction.channel_id is not None
        require_card_channel(self.bot, interaction.channel_id, configured=False)
        proposal = await self.bot.services.proposals.open(
            guild_id_of(interaction), actor_from(interaction), title=title, body=body, settings_change=change
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        cog = self.bot.get_cog("ProposalCog")
        assert isinstance(cog, ProposalCog)
        message = await cog.post_card(proposal, interaction.channel_id, author_id=interaction.user.id)
        reason = "group" if current.governance == Governance.GROUP.value else "permission"
        text = replies.proposed_text(reason, proposal, message.jump_url if message is not None else None)
        await interaction.followup.send(text + warning, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="show", description="See this server's Rota settings (anyone can)")
    async def show(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        current = await self.settings.get(guild_id)
        rotas = await self.bot.services.rota.configured(guild_id)
        problems = channel_problems(self.bot, current)
        deleted = [r.role_id for r in rotas if r.role_id and role_deleted(self.bot, guild_id, r.role_id)]
        await reply(interaction, embed=replies.settings_embed(current, rotas, problems, deleted))

    @app_commands.command(name="timezone", description="Set the time zone used to read and show times")
    @app_commands.describe(zone="An IANA time zone, e.g. Europe/London (start typing to search)")
    async def timezone(self, interaction: discord.Interaction, zone: app_commands.Range[str, 1, 64]) -> None:
        await self._apply(interaction, {"timezone": validate_timezone(zone)})

    @timezone.autocomplete("zone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=zone, value=zone) for zone in timezone_suggestions(current, limit=25)]

    @app_commands.command(name="channels", description="Choose where shift cards, announcements and the log go")
    @app_commands.describe(
        shifts="Where new shift cards are posted",
        announcements="Where hand-overs and outcomes are announced",
        log="Where every change is recorded (defaults to the announcement channel)",
    )
    async def channels(
        self,
        interaction: discord.Interaction,
        shifts: discord.TextChannel | None = None,
        announcements: discord.TextChannel | None = None,
        log: discord.TextChannel | None = None,
    ) -> None:
        changes: dict[str, object] = {}
        if shifts is not None:
            changes["shift_channel_id"] = shifts.id
        if announcements is not None:
            changes["announce_channel_id"] = announcements.id
        if log is not None:
            changes["log_channel_id"] = log.id
        problems = [
            replies.cannot_work_in(channel.mention, missing)
            for channel, needs in ((shifts, CARD_NEEDS), (announcements, POST_NEEDS), (log, POST_NEEDS))
            if channel is not None and (missing := missing_in(channel, needs))
        ]
        await self._apply(interaction, changes, "".join(dict.fromkeys(problems)))

    @app_commands.command(name="decisions", description="Default rule and length for new proposals")
    @app_commands.describe(
        rule="How proposals are decided by default", closes_in="How long they stay open, e.g. 48h or 3d"
    )
    @app_commands.choices(rule=RULE_CHOICES)
    async def decisions(
        self,
        interaction: discord.Interaction,
        rule: app_commands.Choice[str] | None = None,
        closes_in: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        changes: dict[str, object] = {}
        if rule is not None:
            changes["decision_rule"] = validate_rule(rule.value)
        if closes_in is not None:
            changes["decision_minutes"] = validate_decision_minutes(closes_in)
        await self._apply(interaction, changes)

    @app_commands.command(name="reminders", description="Default reminder times before a shift, e.g. 24h,1h or off")
    @app_commands.describe(offsets="Up to three times before the start, separated by commas, or `off`")
    async def reminders(self, interaction: discord.Interaction, offsets: app_commands.Range[str, 1, 40]) -> None:
        await self._apply(interaction, {"reminder_offsets": validate_reminder_offsets(offsets)})

    @app_commands.command(
        name="language", description="The language of the cards, announcements and log everyone reads"
    )
    @app_commands.describe(language="Private answers always follow each member's own Discord language")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(self, interaction: discord.Interaction, language: app_commands.Choice[str]) -> None:
        await self._apply(interaction, {"language": None if language.value == "auto" else language.value})

    @app_commands.command(name="governance", description="Who changes these settings: organisers, or the group")
    @app_commands.describe(mode="organisers: Manage Server at once; group: every change is a proposal")
    @app_commands.choices(mode=GOVERNANCE_CHOICES)
    async def governance(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        await self._apply(interaction, {"governance": Governance(mode.value).value})

    @app_commands.command(name="privacy", description="Whose names public cards, lists and the log show")
    @app_commands.describe(names="shown: everyone's; holders: only the people on a shift see each other")
    @app_commands.choices(names=NAMES_CHOICES)
    async def privacy(self, interaction: discord.Interaction, names: app_commands.Choice[str]) -> None:
        await self._apply(interaction, {"names": Names(names.value).value})

    @app_commands.command(name="retention", description="After how many days finished records name nobody")
    @app_commands.describe(days="Finished shifts, closed proposals and log entries older than this say 'a member'")
    async def retention(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650]) -> None:
        await self._apply(interaction, {"retention_days": validate_retention_days(days)})

    @app_commands.command(name="still-coming", description="When holders are asked by DM whether they're still coming")
    @app_commands.describe(before="How long before a shift, e.g. 24h or 3h (1h to 7d), or off")
    async def still_coming(self, interaction: discord.Interaction, before: app_commands.Range[str, 1, 20]) -> None:
        actor = actor_from(interaction)
        await self._apply(interaction, {"still_coming_minutes": validate_still_coming(before, language=actor.language)})

    @app_commands.command(name="rota", description="Add a rota, or change its turn length, hand-over time or role")
    @app_commands.describe(
        rota="The rota, e.g. facilitator or note-taker (a new name adds a rota)",
        turn_days="How many days a turn lasts (1-28; default 7)",
        weekday="The day turns change (default Monday)",
        at="The time turns change, 24-hour HH:MM in the server's time zone (default 18:00)",
        role="A role the bot moves to whoever holds the turn (needs Manage Roles)",
        no_role="Stop moving a role for this rota",
    )
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    async def rota(
        self,
        interaction: discord.Interaction,
        rota: app_commands.Range[str, 2, 32],
        turn_days: app_commands.Range[int, 1, 28] | None = None,
        weekday: app_commands.Choice[int] | None = None,
        at: app_commands.Range[str, 3, 5] | None = None,
        role: discord.Role | None = None,
        no_role: bool = False,
    ) -> None:
        guild_id, actor = guild_id_of(interaction), actor_from(interaction)
        change = rota_change(
            rota,
            length_days=turn_days,
            weekday=weekday.value if weekday else None,
            at=at,
            role_id=role.id if role else None,
            clear_role=no_role,
        )
        route, current = await self.settings.route(guild_id, actor)
        if route is Route.APPLY:
            done = await self.bot.services.rota.apply_change(guild_id, actor, change)
            await reply(interaction, configured_text(done, await self.bot.services.rota.timezone(guild_id)))
            return
        async with self.bot.speaking_to_server(guild_id):
            title, body = replies.rota_proposal_title(change), replies.rota_proposal_body()
        await self._propose(interaction, current, title, body, {ROTA_CHANGE: change})


async def setup(bot: RotaBot) -> None:
    await bot.add_cog(SetupCog(bot))
