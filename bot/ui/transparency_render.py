"""How `/log`, `/stats` and `/mydata` read: the record's pages, the shares of work, a member's own data."""

from __future__ import annotations

import discord

from bot.services.transparency import Deletion, Stats

#: The chart's file name; the stats embed shows it as its image.
CHART_FILENAME = "rota-stats.png"
CHART_DESCRIPTION = "Shifts and turns per member"
NEWER, OLDER = "◀ Newer", "Older ▶"
#: How each `/log` kind reads in the title.
LOG_KIND_WORDS = {
    "all": "everything",
    "shifts": "shifts",
    "rota": "rota",
    "proposals": "proposals",
    "settings": "settings",
    "data": "data",
}
STATS_TOP = 20

DELETE_LABEL = "Yes, delete my data here"
DELETE_WARNING = (
    "This deletes your personal data in this server: your future shift places are released (the "
    "waitlist moves up), you leave every rota, your positions on open proposals are withdrawn, and the "
    "public record shows your past actions as 'former member'. It can't be undone. "
    "`/mydata export` first if you want a copy."
)
ONLY_THE_ASKER = "Only the member who asked can confirm deleting their own data."
PLACE_RELEASED = "A place on this shift has been released."
EXPORT_TEXT = "Here is everything Rota stores about you in this server."
EXPORT_DESCRIPTION = "Your data"


def log_embed(kind: str, days: int, member: int, lines: list[str], page: int, pages: int) -> discord.Embed:
    """One page of `/log` (`member` 0: everyone)."""
    who = f" by <@{member}>" if member else ""
    embed = discord.Embed(
        title=f"The record: {LOG_KIND_WORDS.get(kind, kind)}, last {days} days",
        description=("\n".join(lines) if lines else f"Nothing recorded{who} in this period.")[:4096],
        colour=discord.Colour.dark_teal(),
    )
    if who:
        embed.add_field(name="Member", value=f"<@{member}>")
    embed.set_footer(text=f"Page {page + 1} of {pages} · newest first · anyone can see this record")
    return embed


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def stats_embed(stats: Stats) -> discord.Embed:
    """`/stats`: how evenly the work is shared, with the chart as its image."""
    people = stats.people
    embed = discord.Embed(title=f"How the work is shared, last {stats.days} days", colour=discord.Colour.gold())
    if not people:
        embed.description = "Nothing recorded in this period yet. `/shift list` shows where help is needed."
        return embed
    fifth = max(1, -(-len(people) // 5))
    embed.description = (
        f"**{len(people)}** members took part in something. The busiest fifth ({fifth}) did "
        f"**{_pct(stats.busiest_fifth_share)}** of the {stats.total_shifts} shift places. "
        f"Inequality of shifts per member (Gini, 0 = perfectly even, 1 = one person does all): "
        f"**{stats.shift_gini:.2f}**. Members Rota knows who did none of this work in the period: **{stats.idle}**."
    )
    lines = []
    for p in people[:STATS_TOP]:
        parts = [f"{_count(p.shifts_taken, 'shift')} ({p.shifts_done} done)"]
        if p.late_leaves:
            parts.append(_count(p.late_leaves, "late leave"))
        if p.turns_held or p.turns_passed:
            parts.append(f"{_count(p.turns_held, 'turn')} ({p.turns_passed} passed)")
        if p.proposals_made:
            parts.append(_count(p.proposals_made, "proposal"))
        if p.positions_taken:
            parts.append(_count(p.positions_taken, "position"))
        lines.append(f"**{p.name}**: " + ", ".join(parts))
    embed.add_field(name="Per member", value="\n".join(lines)[:1024], inline=False)
    if len(people) > STATS_TOP:
        embed.set_footer(text=f"…and {len(people) - STATS_TOP} more. The chart shows the top {STATS_TOP}.")
    embed.set_image(url=f"attachment://{CHART_FILENAME}")
    return embed


def chart_title(days: int) -> str:
    """The title drawn on the `/stats` chart."""
    return f"Who did what, last {days} days"


def deletion_text(done: Deletion) -> str:
    """The answer once `/mydata delete` is confirmed: what went, and what the record keeps."""
    return (
        "Done. Your personal data in this server is gone: "
        f"{len(done.released)} future place(s) released, {len(done.waitlists_left)} waitlist spot(s) left, "
        f"{len(done.positions_withdrawn)} position(s) on open proposals withdrawn, "
        f"{len(done.rotas_left)} rota(s) left. "
        "The public record keeps what happened, shown as 'former member'."
    )
