"""How `/help` reads: what Rota is for, and every command grouped by what it is for."""

from __future__ import annotations

import discord

from bot.ui.i18n import N_, _, slash

#: The embed's opening paragraph: what Rota is for.
INTRO = N_(
    "Rota helps a group organise without a boss. Members offer shifts and claim places themselves; "
    "facilitation rotates fairly; the group decides proposals by its own rule; and everything is "
    "visible to everyone. Nobody is ever assigned work without saying yes."
)

#: Commands by what they are for: (the commands, as `slash()` takes them; what they do).
GROUPS: dict[str, list[tuple[tuple[str, ...], str]]] = {
    N_("Shifts"): [
        (
            ("shift offer",),
            N_(
                "offer a shift: when, where, how many places or roles (`3 leafleters, 1 driver`); it can repeat "
                "(`monthly on the first saturday`) and close sign-up early (`2h before`)"
            ),
        ),
        (
            ("shift claim", "shift leave"),
            N_(
                "take or give up a place (full shifts have a waitlist); a day before, you're asked whether "
                "you're still coming, and at the shift you can tap I'm here"
            ),
        ),
        (("shift list", "shift show"), N_("upcoming shifts: open, yours, or all")),
        (("shift edit", "shift cancel"), N_("the offerer changes or cancels; everyone on it is told")),
        (("shift handoff",), N_("offer your place to a member, who must accept")),
        (("shift reminders", "shift calendar"), N_("your reminder times; your shifts in your calendar app")),
    ],
    N_("Facilitation"): [
        (("rota show",), N_("who facilitates now and next, and the fairness rule")),
        (("rota join", "rota leave"), N_("volunteer, or step back")),
        (("rota away", "rota back"), N_("say when you can't take a turn")),
        (("rota swap", "rota pass"), N_("swap with someone who agrees, or pass your turn on")),
    ],
    N_("Decisions"): [
        (("propose",), N_("put a proposal or an action to the group")),
        (("proposal list", "proposal show"), N_("open and closed proposals, tallies and reasons")),
        (("proposal withdraw",), N_("the author withdraws before the close")),
    ],
    N_("Transparency"): [
        (("log",), N_("the public record of who did what")),
        (("stats",), N_("how evenly shifts, facilitation and proposals are shared")),
        (("mydata export", "mydata delete"), N_("your own data")),
        (("setup show",), N_("this server's settings (changing them needs Manage Server)")),
    ],
}


def help_embed(available: set[str]) -> discord.Embed:
    """Every group of commands, listing only the commands this bot has registered (`available`)."""
    embed = discord.Embed(title="Rota", description=_(INTRO), colour=discord.Colour.green())
    for group, entries in GROUPS.items():
        lines = [
            _(
                "`{commands}`: {what}",
                commands=" · ".join(slash(command, code=False) for command in commands),
                what=_(what),
            )
            for commands, what in entries
            if any(command.split(" ")[0] in available for command in commands)
        ]
        if lines:
            embed.add_field(name=_(group), value="\n".join(lines), inline=False)
    embed.set_footer(
        text=_(
            "Start with {list} to see where help is needed, or {offer} to ask for it.",
            list=slash("shift list", code=False),
            offer=slash("shift offer", code=False),
        )
    )
    return embed
