"""Turning Discord's interaction user into our Actor."""

from __future__ import annotations

import discord

from bot.domain.members import Actor
from bot.domain.text import display_name
from bot.ui.i18n import language_for


def actor_from(interaction: discord.Interaction) -> Actor:
    permissions = interaction.permissions
    return Actor(
        user_id=interaction.user.id,
        name=display_name(interaction.user.display_name),
        manage_guild=bool(permissions.manage_guild or permissions.administrator),
        language=language_for(interaction.locale.value),
    )


def guild_id_of(interaction: discord.Interaction) -> int:
    """Every Rota command is server-only; Discord never sends these from a DM."""
    assert interaction.guild_id is not None
    return interaction.guild_id
