"""`/help`: what Rota is for and every command, grouped, in one embed."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import RotaBot
from bot.ui.help_render import help_embed
from bot.ui.replies import reply


class HelpCog(commands.Cog):
    def __init__(self, bot: RotaBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Rota does and how to start")
    async def help(self, interaction: discord.Interaction) -> None:
        available = {command.name for command in self.bot.tree.get_commands()}
        await reply(interaction, embed=help_embed(available))


async def setup(bot: RotaBot) -> None:
    await bot.add_cog(HelpCog(bot))
