"""A tiny discord.py bot that tests the fake itself: some commands behave, some break Discord's rules.

Why: the fake's strictness is only worth something if real discord.py traffic trips it, so each
misbehaviour here is one the fake must record. Run as `python -m fakediscord.minibot` with
the same environment variables as Rota (DISCORD_TOKEN, DISCORD_API_BASE, DISCORD_GATEWAY_URL).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

import discord
import yarl
from discord import app_commands
from discord.ext import commands

log = logging.getLogger("minibot")
FRUITS = ["apple", "apricot", "banana", "blackberry", "cherry", "mango", "maracuja", "melon"]


class Buttons(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Press", custom_id="mini:press", style=discord.ButtonStyle.primary)
    async def press(self, interaction: discord.Interaction, button: discord.ui.Button[Buttons]) -> None:
        await interaction.response.edit_message(content=f"pressed by {interaction.user.name}", view=self)

    @discord.ui.button(label="Form", custom_id="mini:form")
    async def form(self, interaction: discord.Interaction, button: discord.ui.Button[Buttons]) -> None:
        await interaction.response.send_modal(NoteModal())

    @discord.ui.button(label="Ack", custom_id="mini:ack")
    async def ack(self, interaction: discord.Interaction, button: discord.ui.Button[Buttons]) -> None:
        await interaction.response.defer()
        await interaction.followup.send("acknowledged", ephemeral=True)

    @discord.ui.select(
        custom_id="mini:pick", options=[discord.SelectOption(label=f, value=f) for f in FRUITS[:4]], max_values=2
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Buttons]) -> None:
        await interaction.response.edit_message(content="picked " + ",".join(select.values), view=self)


class NoteModal(discord.ui.Modal, title="Leave a note"):
    note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(label="Note", custom_id="note", max_length=50)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if interaction.message is not None:
            await interaction.response.edit_message(content=f"note: {self.note.value}")
        else:
            await interaction.response.send_message(f"note: {self.note.value}", ephemeral=True)


shift = app_commands.Group(name="shift", description="Shifts")
pool = app_commands.Group(name="pool", description="The pool", parent=shift)


@shift.command(name="offer", description="Offer a shift")
@app_commands.describe(when="When", places="How many places")
async def shift_offer(interaction: discord.Interaction, when: str, places: app_commands.Range[int, 1, 10] = 2) -> None:
    await interaction.response.send_message(f"offered {when} with {places} places")


@pool.command(name="join", description="Join the pool")
async def pool_join(interaction: discord.Interaction, member: discord.Member | None = None) -> None:
    who = member or interaction.user
    await interaction.response.send_message(f"{who.name} joined", ephemeral=True)


class MiniBot(commands.Bot):
    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.members = True
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, guild_ready_timeout=0.2)

    async def setup_hook(self) -> None:
        self.add_view(Buttons())
        self.tree.add_command(shift)
        register(self.tree)
        await self.tree.sync()
        log.info("commands synced")

    async def on_message(self, message: discord.Message) -> None:
        if self.user is not None and self.user in message.mentions and "hello" in message.content:
            await message.reply(f"hi {message.author.name}", allowed_mentions=discord.AllowedMentions.none())
        elif message.author != self.user and message.content:
            log.info("read a message without being mentioned: %s", message.content)

    async def on_ready(self) -> None:
        log.info("minibot is ready as %s in %d guilds", self.user, len(self.guilds))


def register(tree: app_commands.CommandTree[MiniBot]) -> None:
    @tree.command(description="Answers pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="Echo text")
    async def echo(
        interaction: discord.Interaction, text: app_commands.Range[str, 1, 20], loud: bool = False, colour: str = "red"
    ) -> None:
        await interaction.response.send_message(text.upper() if loud else text, ephemeral=not loud)

    @tree.command(description="Answers after four seconds")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(3.3)
        try:
            await interaction.response.send_message("too late")
        except discord.HTTPException as exc:
            log.info("late answer refused: %s", exc.code)

    @tree.command(description="Answers twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("one")
        # discord.py refuses to answer twice itself; go round it with a raw request.
        route = discord.http.Route("POST", "/interactions/{i}/{t}/callback", i=interaction.id, t=interaction.token)
        try:
            await interaction.client.http.request(route, json={"type": 4, "data": {"content": "again"}})
        except discord.HTTPException as exc:
            log.info("second answer refused: %s", exc.code)

    @tree.command(description="Too long")
    async def long(interaction: discord.Interaction) -> None:
        with contextlib.suppress(discord.HTTPException):
            await interaction.response.send_message("x" * 2001)

    @tree.command(description="Pings everyone")
    async def everyone(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("@everyone the shift starts")

    @tree.command(description="A select whose placeholder is too long")
    async def badselect(interaction: discord.Interaction) -> None:
        view = discord.ui.View()
        view.add_item(
            discord.ui.Select(custom_id="bad", placeholder="p" * 151, options=[discord.SelectOption(label="a")])
        )
        await interaction.response.send_message("pick", view=view)

    @tree.command(description="Deferred answer")
    async def slow(interaction: discord.Interaction, private: bool = False) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)
        await asyncio.sleep(0.3)
        await interaction.followup.send("done thinking", ephemeral=True)
        await interaction.followup.send("and one more")

    @tree.command(description="Buttons")
    async def buttons(interaction: discord.Interaction, private: bool = False) -> None:
        await interaction.response.send_message("choose", view=Buttons(), ephemeral=private)

    @tree.command(description="Send n messages to this channel")
    async def flood(interaction: discord.Interaction, n: app_commands.Range[int, 1, 20]) -> None:
        await interaction.response.send_message(f"sending {n}", ephemeral=True)
        for i in range(n):
            await interaction.channel.send(f"message {i}")  # type: ignore[union-attr]

    @tree.command(description="DM someone")
    async def dm(interaction: discord.Interaction, member: discord.Member) -> None:
        try:
            await member.send("hello by DM", file=discord.File(__file__, filename="hello.py"))
        except discord.Forbidden as exc:
            await interaction.response.send_message(f"cannot DM ({exc.code})", ephemeral=True)
            return
        await interaction.response.send_message("sent", ephemeral=True)

    @tree.command(description="Start a thread and add someone")
    async def thread(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message("thread below")
        msg = await interaction.original_response()
        th = await msg.create_thread(name="talk")
        await th.add_user(member)
        await th.send("welcome", allowed_mentions=discord.AllowedMentions.none())

    @tree.command(description="Give a role")
    async def give(interaction: discord.Interaction, member: discord.Member, role: discord.Role) -> None:
        try:
            await member.add_roles(role)
        except discord.Forbidden as exc:
            await interaction.response.send_message(f"forbidden {exc.code}", ephemeral=True)
            return
        await interaction.response.send_message("given", ephemeral=True)

    @tree.command(description="Pick a fruit")
    async def fruit(interaction: discord.Interaction, name: str, many: int = 1) -> None:
        await interaction.response.send_message(f"{many} {name}", ephemeral=True)

    @fruit.autocomplete("name")
    async def fruit_name(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f, value=f) for f in FRUITS if f.startswith(current)]

    @tree.command(description="Too many choices")
    async def greedy(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name, ephemeral=True)

    @greedy.autocomplete("name")
    async def greedy_name(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"n{i}", value=f"v{i}") for i in range(26)]

    @tree.command(description="Admins only")
    @app_commands.default_permissions(manage_guild=True)
    async def admin(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("admin ok", ephemeral=True)

    @tree.command(description="A file")
    async def file(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("here", file=discord.File(__file__, filename="bot.py"))

    @tree.command(description="Opens a modal")
    async def form(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(NoteModal())

    @tree.command(description="A slow answer, to test overlapping interactions")
    async def nap(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await asyncio.sleep(1.0)
        await interaction.followup.send("rested", ephemeral=True)


async def main() -> None:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    bot = MiniBot()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    runner = asyncio.create_task(bot.start(os.environ["DISCORD_TOKEN"]))
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    await bot.close()
    if runner in done and runner.exception() is not None:
        raise runner.exception()  # type: ignore[misc]


if __name__ == "__main__":
    asyncio.run(main())
