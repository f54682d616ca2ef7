"""Calendar subscription links: random, stored only as a hash, one per member and kind, revocable."""

from __future__ import annotations

import hashlib

from bot.services import Services
from bot.services.feeds import GROUP, MINE

from .conftest import GUILD, OTHER_GUILD, member


async def test_a_link_is_shown_once_and_only_its_hash_is_kept(services: Services) -> None:
    first = await services.feeds.link(GUILD, member(1).user_id, MINE)
    assert first.token is not None and len(first.token) >= 22  # at least 128 bits, URL-safe
    again = await services.feeds.link(GUILD, member(1).user_id, MINE)
    assert again.token is None and again.made_at == first.made_at
    stored = await services.db.fetchall("SELECT token_hash FROM calendar_feeds")
    assert [row["token_hash"] for row in stored] == [hashlib.sha256(first.token.encode()).hexdigest()]
    owner = await services.feeds.owner(first.token)
    assert owner is not None and (owner.guild_id, owner.user_id, owner.kind) == (GUILD, member(1).user_id, MINE)


async def test_reset_kills_the_old_link_at_once(services: Services) -> None:
    old = await services.feeds.link(GUILD, member(1).user_id, MINE)
    new = await services.feeds.link(GUILD, member(1).user_id, MINE, reset=True)
    assert old.token and new.token and new.token != old.token
    assert await services.feeds.owner(old.token) is None
    assert await services.feeds.owner(new.token) is not None


async def test_links_are_scoped_to_member_server_and_kind(services: Services) -> None:
    links = {
        (guild, n, kind): await services.feeds.link(guild, member(n).user_id, kind)
        for guild in (GUILD, OTHER_GUILD)
        for n in (1, 2)
        for kind in (MINE, GROUP)
    }
    tokens = {link.token for link in links.values()}
    assert len(tokens) == len(links)
    for (guild, n, kind), link in links.items():
        assert link.token is not None
        owner = await services.feeds.owner(link.token)
        assert owner is not None and (owner.guild_id, owner.user_id, owner.kind) == (guild, member(n).user_id, kind)


async def test_wrong_tokens_find_nobody(services: Services) -> None:
    link = await services.feeds.link(GUILD, member(1).user_id, MINE)
    assert link.token is not None
    for wrong in ("", "x", link.token[:-1] + ("A" if link.token[-1] != "A" else "B"), link.token + "A", "../" * 15):
        assert await services.feeds.owner(wrong) is None


async def test_deleting_my_data_kills_both_links(services: Services) -> None:
    mine = await services.feeds.link(GUILD, member(1).user_id, MINE)
    group = await services.feeds.link(GUILD, member(1).user_id, GROUP)
    elsewhere = await services.feeds.link(OTHER_GUILD, member(1).user_id, MINE)
    await services.transparency.delete_member(GUILD, member(1))
    assert mine.token and group.token and elsewhere.token
    assert await services.feeds.owner(mine.token) is None
    assert await services.feeds.owner(group.token) is None
    assert await services.feeds.owner(elsewhere.token) is not None  # another server's data is not this one's


async def test_group_feed_lists_roomys_only(services: Services) -> None:
    one, two = member(1), member(2)
    roomy = await services.shifts.offer(GUILD, one, when="2026-12-05 10:00", where="Market", places=2, duration="1h")
    full = await services.shifts.offer(GUILD, one, when="2026-12-06 10:00", where="Park", places=1, duration="1h")
    cancelled = await services.shifts.offer(GUILD, one, when="2026-12-07 10:00", where="Hall", places=1, duration="1h")
    await services.shifts.claim(GUILD, two, full[0].id)
    await services.shifts.cancel(GUILD, one, cancelled[0].id, "rain")
    link = await services.feeds.link(GUILD, two.user_id, GROUP)
    assert link.token is not None
    owner = await services.feeds.owner(link.token)
    assert owner is not None
    feed = await services.feeds.feed(owner)
    assert [s.id for s in feed.shifts] == [roomy[0].id]


async def test_a_member_who_left_the_server_loses_their_links_there(services: Services) -> None:
    mine = await services.feeds.link(GUILD, member(1).user_id, MINE)
    group = await services.feeds.link(GUILD, member(1).user_id, GROUP)
    await services.transparency.member_left(GUILD, member(1).user_id)
    assert mine.token and group.token
    assert await services.feeds.owner(mine.token) is None and await services.feeds.owner(group.token) is None
