"""What the page shows, read from the fake's world in one go: channels, threads, members, every
message (ephemeral ones marked with the one member who may see them) and the registered commands.

Why one whole picture rather than events: the playground holds a few hundred messages at most, and a
page that redraws from one consistent snapshot cannot drift from the world it shows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..constants import ADMINISTRATOR, MANAGE_GUILD
from ..entities import Message, snowflake_time
from ..world import World
from .scene import Scene


def snapshot(world: World, scene: Scene, hidden: set[int], locales: list[str]) -> dict[str, Any]:
    """The page's whole state (JSON-ready); `hidden` are interactions whose answers stay out of sight."""
    with world.lock:
        guild = scene.guild
        people = [m for m in scene.members if m.id in guild.members]
        channels = [{"id": str(c.id), "name": c.name, "type": c.type} for c in guild.channels]
        threads = [
            {"id": str(c.id), "name": c.name, "parent_id": str(c.parent_id), "archived": c.archived}
            for c in world.channels.values()
            if c.is_thread and c.guild_id == guild.id
        ]
        messages: list[dict[str, Any]] = []
        for msg in list(world.all_messages.values()) + list(world.ephemeral_messages.values()):
            if msg.deleted or msg.interaction_id in hidden:
                continue
            messages.append(_message(world, msg))
        messages.sort(key=lambda m: int(m["id"]))
        return {
            "server": {"id": str(guild.id), "name": guild.name},
            "bot": {"id": str(world.bot_user.id), "name": world.bot_user.username},
            "members": [
                {
                    "id": str(m.id),
                    "name": m.user.global_name or m.user.username,
                    "username": m.user.username,
                    "locale": m.user.locale,
                    "organiser": bool(m.permissions & (MANAGE_GUILD | ADMINISTRATOR)),
                    "dm_channel_id": str(m.user.dm_channel_id) if m.user.dm_channel_id else None,
                }
                for m in people
            ],
            "names": {str(u.id): u.global_name or u.username for u in world.users.values()},
            "roles": {str(r.id): r.name for r in guild.roles.values()},
            "channels": channels,
            "threads": threads,
            "messages": messages,
            "commands": list(world.global_commands) + list(world.guild_commands.get(guild.id, [])),
            "locales": locales,
            "clock_offset": world.clock_offset,
            # What the bot did that Discord would refuse (or that pings people): shown, never hidden.
            "violations": [str(v) for v in world.violations[-10:]],
            "violation_count": len(world.violations),
        }


def _message(world: World, msg: Message) -> dict[str, Any]:
    inter = world.interactions.get(msg.interaction_id or 0)
    thread = msg.thread
    return {
        "id": str(msg.id),
        "channel_id": str(msg.channel_id),
        "author": {"id": str(msg.author.id), "name": msg.author.global_name or msg.author.username},
        "bot": msg.author.bot,
        "content": msg.content,
        "embeds": msg.embeds,
        "components": msg.components,
        "attachments": [
            {"filename": a.filename, "url": f"/files/{msg.id}/{a.id}/{quote(a.filename)}", "size": a.size}
            for a in msg.attachments
        ],
        "created_at": snowflake_time(msg.id),
        "edited": msg.edited_at is not None,
        "loading": msg.loading,
        "only_for": str(inter.user.id) if msg.ephemeral and inter is not None else None,
        "used_by": _used_by(inter),
        "thread_id": str(thread.id) if thread is not None else None,
        "notified": [str(u) for u in msg.mention_user_ids],  # whom Discord would notify (allowed_mentions)
        "notified_everyone": msg.mention_everyone,
    }


def _used_by(inter: Any) -> dict[str, str] | None:
    """Who used which command, as Discord heads an answer to one ("Amara used /shift offer")."""
    if inter is None or inter.type != 2:
        return None
    names = [inter.data.get("name", "")]
    options = inter.data.get("options") or []
    while options and options[0].get("type") in (1, 2):
        names.append(options[0]["name"])
        options = options[0].get("options") or []
    return {"user": inter.user.global_name or inter.user.username, "command": "/" + " ".join(names)}
