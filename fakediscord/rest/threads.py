"""Threads: starting one (from a message or not), its members, and a guild's active threads.

An archived thread's members cannot change (50083) until it is unarchived; see channels.py for
unarchiving, which a locked thread allows only to those with Manage Threads (160005).

Discord documents these under the Channel and Guild resources; they are together here because they
share the thread lookup and the thread-member shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..constants import (
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    INTENT_GUILD_MEMBERS,
    MANAGE_THREADS,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
)
from ..entities import Channel, iso
from .base import ApiError, Req, Resource, Resp, Route, as_int, not_found

if TYPE_CHECKING:
    from ..world import World


class Threads(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("POST", "/channels/{channel_id}/messages/{message_id}/threads", self.thread_from_message)
        r("POST", "/channels/{channel_id}/threads", self.thread_without_message)
        r("GET", "/channels/{channel_id}/thread-members", self.list_thread_members)
        r("GET", "/channels/{channel_id}/thread-members/{user_id}", self.get_thread_member)
        r("PUT", "/channels/{channel_id}/thread-members/@me", self.join_thread)
        r("DELETE", "/channels/{channel_id}/thread-members/@me", self.leave_thread)
        r("PUT", "/channels/{channel_id}/thread-members/{user_id}", self.add_thread_member)
        r("DELETE", "/channels/{channel_id}/thread-members/{user_id}", self.remove_thread_member)
        r("GET", "/guilds/{guild_id}/threads/active", self.active_threads)

    def _new_thread(self, parent: Channel, thread_id: int, name: str, kind: int, body: dict[str, Any]) -> Channel:
        world = self.world
        if not name or len(name) > 100:
            world.record("thread_name", f"thread name of {len(name or '')} characters (1 to 100)")
        thread = Channel(
            world,
            thread_id,
            kind,
            name=name,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=world.bot_user.id,
            created_at=world.now(),
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        thread.thread_member_ids.append(world.bot_user.id)
        world.channels[thread.id] = thread
        if parent.guild is not None and world.dispatcher is not None:
            world.dispatcher("THREAD_CREATE", {**thread.to_json(), "newly_created": True}, parent.guild_id, 0)
        return thread

    def thread_from_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        msg = self._message(chan, req.params["message_id"])
        if chan.type != 0:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        if msg.thread is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message", violation="thread_exists")
        self._require(chan.guild, VIEW_CHANNEL | CREATE_PUBLIC_THREADS, chan)
        body = req.body or {}
        thread = self._new_thread(chan, msg.id, body.get("name", ""), PUBLIC_THREAD, body)
        return Resp(201, thread.to_json())

    def thread_without_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        if chan.type != 0:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        body = req.body or {}
        kind = int(body.get("type") or PRIVATE_THREAD)
        self._require(
            chan.guild,
            VIEW_CHANNEL | (CREATE_PUBLIC_THREADS if kind == PUBLIC_THREAD else CREATE_PRIVATE_THREADS),
            chan,
        )
        thread = self._new_thread(chan, self.world.snowflake(), body.get("name", ""), kind, body)
        if kind == PRIVATE_THREAD:
            thread.invitable = bool(body.get("invitable", True))
        return Resp(201, thread.to_json())

    def _thread(self, req: Req) -> Channel:
        chan = self._channel(req)
        if not chan.is_thread:
            raise ApiError(400, 50024, "Cannot execute action on this channel type", violation="not_a_thread")
        return chan

    def get_thread_member(self, req: Req) -> Resp:
        thread = self._thread(req)
        uid = as_int(req.params["user_id"])
        if uid not in thread.thread_member_ids:
            raise not_found("Member", 10007)
        return Resp(200, self._thread_member_json(thread, uid))

    def list_thread_members(self, req: Req) -> Resp:
        thread = self._thread(req)
        return Resp(200, [self._thread_member_json(thread, u) for u in thread.thread_member_ids])

    def _thread_member_json(self, thread: Channel, user_id: int) -> dict[str, Any]:
        return {"id": str(thread.id), "user_id": str(user_id), "join_timestamp": _iso_now(self.world), "flags": 0}

    def _thread_members_changed(self, thread: Channel, added: list[int], removed: list[int]) -> None:
        world = self.world
        if world.dispatcher is None:
            return
        data = {
            "id": str(thread.id),
            "guild_id": str(thread.guild_id),
            "member_count": len(thread.thread_member_ids),
            "added_members": [self._thread_member_json(thread, u) for u in added],
            "removed_member_ids": [str(u) for u in removed],
        }
        world.dispatcher("THREAD_MEMBERS_UPDATE", data, thread.guild_id, INTENT_GUILD_MEMBERS)

    def add_thread_member(self, req: Req) -> Resp:
        thread = self._thread(req)
        guild = thread.guild
        assert guild is not None
        member = self._member(guild, req.params["user_id"])
        self._require(guild, SEND_MESSAGES_IN_THREADS, thread)
        _refuse_if_archived(thread)
        if member.id not in thread.thread_member_ids:
            thread.thread_member_ids.append(member.id)
            self._thread_members_changed(thread, [member.id], [])
        return Resp()

    def remove_thread_member(self, req: Req) -> Resp:
        thread = self._thread(req)
        guild = thread.guild
        assert guild is not None
        member = self._member(guild, req.params["user_id"])
        if member.id != self.world.bot_user.id and thread.owner_id != self.world.bot_user.id:
            self._require(guild, MANAGE_THREADS, thread)
        _refuse_if_archived(thread)
        if member.id in thread.thread_member_ids:
            thread.thread_member_ids.remove(member.id)
            self._thread_members_changed(thread, [], [member.id])
        return Resp()

    def join_thread(self, req: Req) -> Resp:
        req.params["user_id"] = str(self.world.bot_user.id)
        return self.add_thread_member(req)

    def leave_thread(self, req: Req) -> Resp:
        req.params["user_id"] = str(self.world.bot_user.id)
        return self.remove_thread_member(req)

    def active_threads(self, req: Req) -> Resp:
        guild = self._guild(req)
        threads = [c for c in self.world.channels.values() if c.guild_id == guild.id and c.is_thread and not c.archived]
        members = [
            self._thread_member_json(t, self.world.bot_user.id)
            for t in threads
            if self.world.bot_user.id in t.thread_member_ids
        ]
        return Resp(200, {"threads": [t.to_json() for t in threads], "members": members})


def _refuse_if_archived(thread: Channel) -> None:
    """Discord: members of an archived thread can be neither added nor removed (nor join or leave)
    until it is unarchived (PATCH {"archived": false}, or a message sent in it)."""
    if thread.archived:
        raise ApiError(400, 50083, "Operation cannot be performed on an archived thread")


def _iso_now(world: World) -> str:
    return iso(world.now())
