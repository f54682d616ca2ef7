"""Answering an interaction the right way whatever state it is in.

Discord allows one initial response per interaction within 3 s; after that (or after a defer)
everything is a follow-up. These helpers pick the right call so cogs never have to.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot import metrics
from bot.domain.errors import RotaError
from bot.ui.i18n import _

log = logging.getLogger("rota.errors")

NO_PINGS = discord.AllowedMentions.none()


async def reply(
    interaction: discord.Interaction, content: str | None = None, *, ephemeral: bool = True, **kwargs: Any
) -> None:
    """Send `content` as the response, or as a follow-up if the interaction was already answered."""
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    if content is not None:
        kwargs["content"] = content
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def run_guarded(interaction: discord.Interaction, action: Callable[[], Awaitable[None]]) -> None:
    """Run a button or modal action; any error gets the same polite answer as a slash command's."""
    try:
        await action()
    except Exception as exc:
        await report_error(interaction, exc)
    else:
        metrics.count_interaction(interaction, "ok")


def error_reference() -> str:
    return secrets.token_hex(3).upper()


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """A member's mistake gets a polite explanation; our mistake gets a reference and a logged traceback."""
    from bot.ui.wording import explain, explain_unusable_option  # local: wording imports every feature's errors

    outcome = "refused"
    if isinstance(error, RotaError):
        message = explain(error)
    elif isinstance(error, app_commands.TransformerError):
        # The client sent something this server doesn't have (e.g. a pasted user who isn't a member).
        message = explain_unusable_option(error.type.name)
    else:
        outcome = "error"
        reference = error_reference()
        log.error("unexpected error (reference %s) in %s", reference, _describe(interaction), exc_info=error)
        message = _(
            "Sorry, something went wrong on our side (reference {reference}). Nothing was changed. "
            "Please try again in a moment; if it keeps happening, tell whoever runs this bot the reference.",
            reference=reference,
        )
    metrics.count_interaction(interaction, outcome)
    try:
        await reply(interaction, message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error message for %s", _describe(interaction))


def _describe(interaction: discord.Interaction) -> str:
    command = interaction.command.qualified_name if interaction.command else None
    custom_id = (interaction.data or {}).get("custom_id") if interaction.data else None
    return f"interaction {interaction.id} ({command or custom_id or interaction.type.name})"
