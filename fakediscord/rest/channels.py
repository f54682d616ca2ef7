"""The Channel resource: reading, editing (renaming, archiving or locking a thread) and deleting a
channel, the typing indicator, and the older pin routes.

Locking a thread takes Manage Threads, and so does unarchiving a locked one (160005 otherwise).

Messages and threads in a channel have their own modules (messages.py, threads.py).
"""

from __future__ import annotations

from ..constants import MANAGE_CHANNELS, MANAGE_THREADS
from .base import MISSING_PERMISSIONS, ApiError, Req, Resource, Resp, Route


class Channels(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("GET", "/channels/{channel_id}", self.get_channel)
        r("PATCH", "/channels/{channel_id}", self.edit_channel)
        r("DELETE", "/channels/{channel_id}", self.delete_channel)
        r("PUT", "/channels/{channel_id}/pins/{message_id}", self.no_content)
        r("DELETE", "/channels/{channel_id}/pins/{message_id}", self.no_content)
        r("POST", "/channels/{channel_id}/typing", self.no_content)

    def get_channel(self, req: Req) -> Resp:
        return Resp(200, self._channel(req).to_json())

    def edit_channel(self, req: Req) -> Resp:
        """Renames, topics, and archiving or locking a thread."""
        chan = self._channel(req)
        guild = chan.guild
        body = req.body or {}
        own_thread = chan.is_thread and chan.owner_id == self.world.bot_user.id
        if guild is not None and not own_thread:
            self._require(guild, MANAGE_THREADS if chan.is_thread else MANAGE_CHANNELS, chan)
        if chan.is_thread:
            manages = self._bot_can(guild, MANAGE_THREADS, chan)
            if "locked" in body and bool(body["locked"]) != chan.locked and not manages:
                raise ApiError(*MISSING_PERMISSIONS)  # locking or unlocking takes Manage Threads
            if chan.archived and body.get("archived") is False and chan.locked and not manages:
                # A locked thread stays archived for everyone without Manage Threads, its creator too.
                raise ApiError(403, 160005, "Thread is locked")
        if body.get("name"):
            chan.name = body["name"]
        if chan.is_thread:
            chan.archived = bool(body.get("archived", chan.archived))
            chan.locked = bool(body.get("locked", chan.locked))
        event = "THREAD_UPDATE" if chan.is_thread else "CHANNEL_UPDATE"
        if guild is not None:
            self.world._dispatch_guild(event, guild, chan.to_json())
        return Resp(200, chan.to_json())

    def delete_channel(self, req: Req) -> Resp:
        chan = self._channel(req)
        guild = chan.guild
        if guild is None:
            return Resp(200, chan.to_json())  # closing a DM
        self._require(guild, MANAGE_THREADS if chan.is_thread else MANAGE_CHANNELS, chan)
        data = chan.to_json()
        del self.world.channels[chan.id]
        if chan.id in guild.channel_ids:
            guild.channel_ids.remove(chan.id)
        self.world._dispatch_guild("THREAD_DELETE" if chan.is_thread else "CHANNEL_DELETE", guild, data)
        return Resp(200, data)
