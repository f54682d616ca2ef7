"""Discord's hard limits on messages, components, modals and autocomplete, checked by hand.

Why by hand as well as by the OpenAPI schema: some limits the schema states loosely (content may be
4,000 characters there, for Nitro users; bots get 2,000), and the total embed size and pings are
rules across fields that a schema cannot express.
"""

from __future__ import annotations

import re
from typing import Any

from .constants import IS_COMPONENTS_V2
from .entities import walk_components

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


def message_problems(payload: dict[str, Any]) -> list[str]:
    """Every limit a message body (create or edit) breaks; empty when Discord would accept it."""
    problems: list[str] = []
    content = payload.get("content")
    if isinstance(content, str) and len(content) > 2000:
        problems.append(f"content is {len(content)} characters (limit 2000)")
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        problems.append(f"{len(embeds)} embeds (limit 10)")
    total = 0
    for i, embed in enumerate(embeds):
        total += _embed_problems(embed, i, problems)
    if total > 6000:
        problems.append(f"embeds total {total} characters (limit 6000)")
    flags = payload.get("flags") or 0
    problems += component_problems(payload.get("components") or [], v2=bool(int(flags) & IS_COMPONENTS_V2))
    return problems


def _embed_problems(embed: dict[str, Any], i: int, problems: list[str]) -> int:
    def check(value: Any, limit: int, what: str) -> int:
        if not isinstance(value, str):
            return 0
        if len(value) > limit:
            problems.append(f"embed {i} {what} is {len(value)} characters (limit {limit})")
        return len(value)

    total = check(embed.get("title"), 256, "title") + check(embed.get("description"), 4096, "description")
    total += check((embed.get("footer") or {}).get("text"), 2048, "footer text")
    total += check((embed.get("author") or {}).get("name"), 256, "author name")
    fields = embed.get("fields") or []
    if len(fields) > 25:
        problems.append(f"embed {i} has {len(fields)} fields (limit 25)")
    for j, f in enumerate(fields):
        total += check(f.get("name"), 256, f"field {j} name") + check(f.get("value"), 1024, f"field {j} value")
        if not f.get("name") or not f.get("value"):
            problems.append(f"embed {i} field {j} has an empty name or value")
    return total


def component_problems(components: list[dict[str, Any]], *, v2: bool = False) -> list[str]:
    problems: list[str] = []
    if not v2:
        if len(components) > 5:
            problems.append(f"{len(components)} action rows (limit 5)")
        for r, row in enumerate(components):
            if row.get("type") != 1:
                problems.append(f"top-level component {r} is type {row.get('type')} without the components-v2 flag")
    else:
        count = sum(1 for _ in walk_components(components))
        if count > 40:
            problems.append(f"{count} components (limit 40)")
    custom_ids: set[str] = set()
    for comp in walk_components(components):
        kind = comp.get("type")
        if kind == 1:
            children = comp.get("components") or []
            buttons = [c for c in children if c.get("type") == 2]
            if len(buttons) > 5:
                problems.append(f"an action row has {len(buttons)} buttons (limit 5)")
            if len(children) > 1 and any(c.get("type") in (3, 4, 5, 6, 7, 8) for c in children):
                problems.append("a select menu or text input shares its action row")
        cid = comp.get("custom_id")
        if isinstance(cid, str):
            if len(cid) > 100:
                problems.append(f"custom_id is {len(cid)} characters (limit 100): {cid[:40]}...")
            if cid in custom_ids:
                problems.append(f"custom_id {cid!r} is used twice in one message")
            custom_ids.add(cid)
        if kind == 2:
            label = comp.get("label")
            if isinstance(label, str) and len(label) > 80:
                problems.append(f"button label is {len(label)} characters (limit 80)")
            if comp.get("style") == 5 and not comp.get("url"):
                problems.append("link button without url")
            if comp.get("style") != 5 and comp.get("style") != 6 and not cid:
                problems.append("non-link button without custom_id")
        if kind == 3:
            options = comp.get("options") or []
            if len(options) > 25:
                problems.append(f"select has {len(options)} options (limit 25)")
            if not options:
                problems.append("string select without options")
            for opt in options:
                for key, limit in (("label", 100), ("value", 100), ("description", 100)):
                    if isinstance(opt.get(key), str) and len(opt[key]) > limit:
                        problems.append(f"select option {key} is {len(opt[key])} characters (limit {limit})")
    return problems


def modal_problems(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    title = data.get("title") or ""
    if len(title) > 45:
        problems.append(f"modal title is {len(title)} characters (limit 45)")
    cid = data.get("custom_id") or ""
    if len(cid) > 100:
        problems.append(f"modal custom_id is {len(cid)} characters (limit 100)")
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        problems.append(f"modal has {len(components)} top-level components (1 to 5 allowed)")
    for comp in walk_components(components):
        if comp.get("type") == 4:
            label = comp.get("label")
            if isinstance(label, str) and len(label) > 45:
                problems.append(f"text input label is {len(label)} characters (limit 45)")
            value = comp.get("value")
            if isinstance(value, str) and len(value) > 4000:
                problems.append("text input value over 4000 characters")
        if comp.get("type") == 18 and len(comp.get("label") or "") > 45:
            problems.append("modal label over 45 characters")
        if comp.get("type") == 2:
            problems.append("a button inside a modal")
    return problems


def autocomplete_problems(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    choices = data.get("choices") or []
    if len(choices) > 25:
        problems.append(f"{len(choices)} autocomplete choices (limit 25)")
    for choice in choices:
        name = choice.get("name") or ""
        if len(name) > 100:
            problems.append(f"autocomplete choice name is {len(name)} characters (limit 100)")
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            problems.append(f"autocomplete choice value is {len(value)} characters (limit 100)")
    return problems


ALLOWED_PARSE = {"users", "roles", "everyone"}


def allowed_mentions_problems(payload: dict[str, Any]) -> list[str]:
    """Why Discord would refuse this message's allowed_mentions (400, 50035 Invalid Form Body)."""
    allowed = payload.get("allowed_mentions")
    if allowed is None:
        return []
    if not isinstance(allowed, dict):
        return ["allowed_mentions is not an object"]
    problems: list[str] = []
    parse = allowed.get("parse") or []
    unknown = set(parse) - ALLOWED_PARSE
    if unknown:
        problems.append(f"allowed_mentions.parse has unknown values {sorted(unknown)}")
    for kind in ("users", "roles"):
        ids = allowed.get(kind) or []
        if len(ids) > 100:
            problems.append(f"allowed_mentions.{kind} lists {len(ids)} ids (limit 100)")
        if ids and kind in parse:
            problems.append(f"allowed_mentions: parse {kind!r} and a {kind} list are mutually exclusive")
        if any(not str(i).isdigit() for i in ids):
            problems.append(f"allowed_mentions.{kind} holds something that is not a snowflake")
    return problems


def pings(
    payload: dict[str, Any],
    *,
    replied_author_id: int | None,
    default_allowed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Who this message would notify, following Discord's allowed_mentions rules.

    Only the message content pings (embeds never do). With no allowed_mentions everything mentioned
    pings, and a reply pings its author; with allowed_mentions only what `parse`, `users` and
    `roles` allow pings, and the replied-to author only with `replied_user: true`.
    """
    content = payload.get("content") or ""
    users = {int(u) for u in USER_MENTION.findall(content)}
    roles = {int(r) for r in ROLE_MENTION.findall(content)}
    everyone = "@everyone" in content or "@here" in content
    allowed = payload.get("allowed_mentions", default_allowed)
    if allowed is None:
        out_users = set(users)
        out_roles = set(roles)
        out_everyone = everyone
        replied = True
    else:
        parse = allowed.get("parse") or []
        allow_users = {int(u) for u in allowed.get("users") or []}
        allow_roles = {int(r) for r in allowed.get("roles") or []}
        out_users = users if "users" in parse else users & allow_users
        out_roles = roles if "roles" in parse else roles & allow_roles
        out_everyone = everyone and "everyone" in parse
        replied = bool(allowed.get("replied_user", False))
    if replied and replied_author_id is not None:
        out_users.add(replied_author_id)
    return {"users": sorted(out_users), "roles": sorted(out_roles), "everyone": out_everyone}
