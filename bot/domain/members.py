"""Who is acting. The bot passes this in; the domain never asks Discord."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """A member doing something. `manage_guild` is Discord's Manage Server permission, used only
    for server settings: no Rota role (facilitator included) grants any power."""

    user_id: int
    name: str
    manage_guild: bool = False
    language: str = "en"  # how they write times ("sáb 10:00"): the language of their Discord
