"""How `/help` reads: what Rota is for, and every command grouped by what it is for."""

from __future__ import annotations

import discord

#: The embed's opening paragraph: what Rota is for.
INTRO = (
    "Rota helps a group organise without a boss. Members offer shifts and claim places themselves; "
    "facilitation rotates fairly; the group decides proposals by its own rule; and everything is "
    "visible to everyone. Nobody is ever assigned work without saying yes."
)

#: Commands by what they are for: (the commands as typed, `·` between several; what they do).
GROUPS: dict[str, list[tuple[str, str]]] = {
    "Shifts": [
        ("/shift offer", "offer a shift: when, where, how many places"),
        ("/shift claim · /shift leave", "take or give up a place (full shifts have a waitlist)"),
        ("/shift list · /shift show", "upcoming shifts: open, yours, or all"),
        ("/shift edit · /shift cancel", "the offerer changes or cancels; everyone on it is told"),
        ("/shift handoff", "offer your place to a member, who must accept"),
        ("/shift reminders · /shift calendar", "your reminder times; an .ics file of shifts"),
    ],
    "Facilitation": [
        ("/rota show", "who facilitates now and next, and the fairness rule"),
        ("/rota join · /rota leave", "volunteer, or step back"),
        ("/rota away · /rota back", "say when you can't take a turn"),
        ("/rota swap · /rota pass", "swap with someone who agrees, or pass your turn on"),
    ],
    "Decisions": [
        ("/propose", "put a proposal or an action to the group"),
        ("/proposal list · /proposal show", "open and closed proposals, tallies and reasons"),
        ("/proposal withdraw", "the author withdraws before the close"),
    ],
    "Transparency": [
        ("/log", "the public record of who did what"),
        ("/stats", "how evenly shifts, facilitation and proposals are shared"),
        ("/mydata export · /mydata delete", "your own data"),
        ("/setup show", "this server's settings (changing them needs Manage Server)"),
    ],
}


def help_embed(available: set[str]) -> discord.Embed:
    """Every group of commands, listing only the commands this bot has registered (`available`)."""
    embed = discord.Embed(title="Rota", description=INTRO, colour=discord.Colour.green())
    for group, entries in GROUPS.items():
        lines = [
            f"`{name}`: {what}"
            for name, what in entries
            if any(part.strip().lstrip("/").split(" ")[0] in available for part in name.split("·"))
        ]
        if lines:
            embed.add_field(name=group, value="\n".join(lines), inline=False)
    embed.set_footer(text="Start with /shift list to see where help is needed, or /shift offer to ask for it.")
    return embed
