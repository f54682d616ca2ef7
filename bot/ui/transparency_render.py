"""How `/log`, `/stats` and `/mydata` read: the record's pages, the shares of work, a member's own data."""

from __future__ import annotations

import discord
from babel.numbers import format_percent, get_decimal_symbol

from bot.domain.records import Activity
from bot.services.transparency import Deletion, Stats
from bot.ui.audience import member_name
from bot.ui.format import clip, join, safe
from bot.ui.i18n import _, babel_locale, n_, p_, slash

#: The chart's file name; the stats embed shows it as its image.
CHART_FILENAME = "rota-stats.png"
STATS_TOP = 20


def chart_description() -> str:
    """The chart's alt text."""
    return _("Shifts and turns per member")


def newer_label() -> str:
    """The `/log` button to the newer page."""
    return _("◀ Newer")


def older_label() -> str:
    """The `/log` button to the older page."""
    return _("Older ▶")


def log_kind_word(kind: str) -> str:
    """How each `/log` kind reads in the title."""
    words = {
        "all": p_("log kind", "everything"),
        "shifts": p_("log kind", "shifts"),
        "rota": p_("log kind", "rota"),
        "proposals": p_("log kind", "proposals"),
        "settings": p_("log kind", "settings"),
        "data": p_("log kind", "data"),
    }
    return words.get(kind, kind)


def delete_label() -> str:
    """The button that confirms `/mydata delete`."""
    return _("Yes, delete my data here")


def delete_warning() -> str:
    """What `/mydata delete` says before the member confirms."""
    return _(
        "This deletes your personal data in this server: your future shift places are released (the "
        "waitlist moves up), you leave every rota, your positions on open proposals are withdrawn, and the "
        "public record shows your past actions as 'former member'. It can't be undone. "
        "{mydata_export} first if you want a copy.",
        mydata_export=slash("mydata export"),
    )


def only_the_asker() -> str:
    return _("Only the member who asked can confirm deleting their own data.")


def place_released() -> str:
    """The note in a shift's thread when a deleted member's place there is released."""
    return _("A place on this shift has been released.")


def export_text() -> str:
    return _("Here is everything Rota stores about you in this server.")


def export_description() -> str:
    """The alt text of the `/mydata export` file."""
    return _("Your data")


def log_embed(kind: str, days: int, member: int, lines: list[str], page: int, pages: int) -> discord.Embed:
    """One page of `/log` (`member` 0: everyone)."""
    if lines:
        description = "\n".join(lines)
    elif member:
        description = _("Nothing recorded by <@{member}> in this period.", member=member)
    else:
        description = _("Nothing recorded in this period.")
    embed = discord.Embed(
        title=n_(
            "The record: {kind}, last {count} day",
            "The record: {kind}, last {count} days",
            days,
            kind=log_kind_word(kind),
        ),
        description=description[:4096],
        colour=discord.Colour.dark_teal(),
    )
    if member:
        embed.add_field(name=_("Member"), value=f"<@{member}>")
    embed.set_footer(
        text=_(
            "Page {page} of {pages} · newest first · anyone can see this record",
            page=page + 1,
            pages=pages,
        )
    )
    return embed


def _pct(value: float) -> str:
    """A share as a whole percentage, in the current language ('57%')."""
    return format_percent(round(value * 100) / 100, locale=babel_locale())


def _decimal(value: float) -> str:
    """A number with two decimals, in the current language ('0.35')."""
    return f"{value:.2f}".replace(".", get_decimal_symbol(babel_locale()))


def _member_line(p: Activity) -> str:
    parts = [n_("{count} shift ({done} done)", "{count} shifts ({done} done)", p.shifts_taken, done=p.shifts_done)]
    if p.late_leaves:
        parts.append(n_("{count} late leave", "{count} late leaves", p.late_leaves))
    if p.turns_held or p.turns_passed:
        parts.append(
            n_("{count} turn ({passed} passed)", "{count} turns ({passed} passed)", p.turns_held, passed=p.turns_passed)
        )
    if p.proposals_made:
        parts.append(n_("{count} proposal", "{count} proposals", p.proposals_made))
    if p.positions_taken:
        parts.append(n_("{count} position", "{count} positions", p.positions_taken))
    return _("**{name}**: {work}", name=member_name(p.name, p.user_id), work=join(parts, "unit"))


def stats_embed(stats: Stats) -> discord.Embed:
    """`/stats`: how evenly the work is shared, with the chart as its image."""
    people = stats.people
    embed = discord.Embed(
        title=n_("How the work is shared, last {count} day", "How the work is shared, last {count} days", stats.days),
        colour=discord.Colour.gold(),
    )
    if not people:
        embed.description = _(
            "Nothing recorded in this period yet. {shift_list} shows where help is needed.",
            shift_list=slash("shift list"),
        )
        return embed
    fifth = max(1, -(-len(people) // 5))
    embed.description = " ".join(
        [
            n_(
                "**{count}** member took part in something.",
                "**{count}** members took part in something.",
                len(people),
            ),
            n_(
                "The busiest fifth ({fifth}) did **{share}** of the {count} shift place.",
                "The busiest fifth ({fifth}) did **{share}** of the {count} shift places.",
                stats.total_shifts,
                fifth=fifth,
                share=_pct(stats.busiest_fifth_share),
            ),
            _(
                "Inequality of shifts per member (Gini, 0 = perfectly even, 1 = one person does all): **{gini}**.",
                gini=_decimal(stats.shift_gini),
            ),
            _(
                "Members Rota knows who did none of this work in the period: **{idle}**.",
                idle=stats.idle,
            ),
        ]
    )
    lines = [_member_line(p) for p in people[:STATS_TOP]]
    embed.add_field(name=_("Per member"), value="\n".join(lines)[:1024], inline=False)
    if stats.by_role:
        roles = [n_("{role}: {count} place", "{role}: {count} places", n, role=safe(name)) for name, n in stats.by_role]
        embed.add_field(name=_("Places taken by role"), value=clip("\n".join(roles), 1024), inline=False)
    if len(people) > STATS_TOP:
        more = len(people) - STATS_TOP
        embed.set_footer(
            text=n_(
                "…and {count} more. The chart shows the top {top}.",
                "…and {count} more. The chart shows the top {top}.",
                more,
                top=STATS_TOP,
            )
        )
    embed.set_image(url=f"attachment://{CHART_FILENAME}")
    return embed


def chart_title(days: int) -> str:
    """The title drawn on the `/stats` chart."""
    return n_("Who did what, last {count} day", "Who did what, last {count} days", days)


def deletion_text(done: Deletion) -> str:
    """The answer once `/mydata delete` is confirmed: what went, and what the record keeps."""
    return _(
        "Done. Your personal data in this server is gone: {released}, {waitlists}, {positions}, {rotas}. "
        "The public record keeps what happened, shown as 'former member'.",
        released=n_("{count} future place released", "{count} future places released", len(done.released)),
        waitlists=n_("{count} waitlist spot left", "{count} waitlist spots left", len(done.waitlists_left)),
        positions=n_(
            "{count} position on open proposals withdrawn",
            "{count} positions on open proposals withdrawn",
            len(done.positions_withdrawn),
        ),
        rotas=n_("{count} rota left", "{count} rotas left", len(done.rotas_left)),
    )
