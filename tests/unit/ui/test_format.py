"""`fit`: an embed over Discord's 6,000 characters loses the tail of its longest texts, not its card."""

from __future__ import annotations

import discord

from bot.ui.format import EMBED_TOTAL, embed_length, fit


def test_the_longest_texts_are_shortened_until_the_embed_fits() -> None:
    embed = discord.Embed(title="Proposal #1", description="b" * 4000)
    for name in ("Agree", "Disagree", "Block"):
        embed.add_field(name=name, value="n" * 1024, inline=False)
    embed.add_field(name="Rule", value="Consent", inline=False)
    fit(embed)
    assert embed_length(embed) == EMBED_TOTAL
    assert embed.fields[3].value == "Consent"  # short texts are left whole
    assert embed.description is not None and embed.description.endswith("…")


def test_an_embed_that_fits_is_left_alone_and_nothing_loops_forever() -> None:
    embed = discord.Embed(title="t", description="short")
    assert fit(embed).description == "short"
    tiny = discord.Embed(title="x" * 300, description="y")
    assert embed_length(fit(tiny, limit=10)) == 301  # only the title is long, and titles are not cut
