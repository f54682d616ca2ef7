"""The Message resource: a channel's messages (list, create, read, edit, delete), reactions and pins,
and the shared core that makes and edits every message the bot sends.

Why the core is here as functions: interaction responses (interactions.py) and follow-ups
(webhooks.py) create and edit messages too, and must be held to the same limits, ping rules and
attachment handling as a plain channel message.
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any

from .. import limits
from ..constants import (
    ATTACH_FILES,
    DM,
    EPHEMERAL,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    IS_COMPONENTS_V2,
    LOADING,
    MANAGE_MESSAGES,
    MANAGE_THREADS,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
)
from ..entities import Attachment, Channel, Interaction, Message
from .base import ApiError, Req, Resource, Resp, Route, as_int

if TYPE_CHECKING:
    from ..world import World

NONCE_WINDOW = 300.0  # seconds in which Discord dedupes a repeated nonce ("the past few minutes")


class Messages(Resource):
    def declare(self, route: Route) -> None:
        r = route
        r("GET", "/channels/{channel_id}/messages", self.list_messages)
        r("POST", "/channels/{channel_id}/messages", self.create_message)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        r("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", self.no_content)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", self.no_content)
        r("PUT", "/channels/{channel_id}/messages/pins/{message_id}", self.no_content)
        r("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", self.no_content)

    def list_messages(self, req: Req) -> Resp:
        chan = self._channel(req)
        msgs = [m for m in self.world.messages(chan)]
        msgs.sort(key=lambda m: m.id, reverse=True)
        q = req.query
        if "before" in q:
            msgs = [m for m in msgs if m.id < as_int(q["before"])]
        if "after" in q:
            msgs = sorted((m for m in msgs if m.id > as_int(q["after"])), key=lambda m: m.id)
            msgs = list(reversed(msgs[: int(q.get("limit", 50))]))
        limit = max(1, min(100, int(q.get("limit", 50))))
        return Resp(200, [m.to_json() for m in msgs[:limit]])

    def create_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        self._check_send(chan, req)
        body = req.body or {}
        if not (
            body.get("content")
            or body.get("embeds")
            or body.get("components")
            or req.files
            or body.get("sticker_ids")
            or body.get("poll")
        ):
            raise ApiError(400, 50006, "Cannot send an empty message", violation="empty_message")
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            # Discord: the same author sending the same nonce again within a few minutes gets the
            # message it already created back, and no new message is made. The author's nonces are
            # compared across every channel, not only this one.
            recent = self.world.now() - NONCE_WINDOW
            for earlier in self.world.all_messages.values():
                mine = earlier.author.id == self.world.bot_user.id and not earlier.deleted
                if mine and earlier.nonce == str(nonce) and earlier.created_at >= recent:
                    return Resp(200, earlier.to_json())
        flags = int(body.get("flags") or 0) & (IS_COMPONENTS_V2 | (1 << 2) | (1 << 12))
        msg = make_message(self.world, req, chan, body, flags=flags)
        msg.nonce = None if nonce is None else str(nonce)
        return Resp(200, msg.to_json())

    def get_message(self, req: Req) -> Resp:
        return Resp(200, self._message(self._channel(req), req.params["message_id"]).to_json())

    def edit_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        msg = self._message(chan, req.params["message_id"])
        if msg.author.id != self.world.bot_user.id:
            body = req.body or {}
            if set(body) - {"flags"}:
                raise ApiError(403, 50005, "Cannot edit a message authored by another user", violation="forbidden")
        apply_edit(self.world, req, msg, req.body or {})
        return Resp(200, msg.to_json())

    def delete_message(self, req: Req) -> Resp:
        chan = self._channel(req)
        msg = self._message(chan, req.params["message_id"])
        if msg.author.id != self.world.bot_user.id and chan.type != DM:
            self._require(chan.guild, MANAGE_MESSAGES, chan)
        msg.deleted = True
        if self.world.dispatcher is not None:
            data = {"id": str(msg.id), "channel_id": str(chan.id)}
            if chan.guild_id:
                data["guild_id"] = str(chan.guild_id)
            self.world.dispatcher("MESSAGE_DELETE", data, chan.guild_id, INTENT_GUILD_MESSAGES)
        return Resp()

    def _check_send(self, chan: Channel, req: Req) -> None:
        """Discord refuses a send without permission, and a DM to someone who closed their DMs."""
        world = self.world
        if chan.type == DM:
            user = world.users.get(chan.recipient_id or 0)
            if user is not None and user.dms_closed:
                raise ApiError(403, 50007, "Cannot send messages to this user")
            return
        if chan.is_thread and chan.locked and not self._bot_can(chan.guild, MANAGE_THREADS, chan):
            # Only those with Manage Threads may write in a locked thread (archived or not).
            raise ApiError(403, 160005, "Thread is locked")
        if chan.is_thread and chan.archived:
            chan.archived = False  # sending to an archived thread reopens it
        need = VIEW_CHANNEL | (SEND_MESSAGES_IN_THREADS if chan.is_thread else SEND_MESSAGES)
        if req.files:
            need |= ATTACH_FILES
        self._require(chan.guild, need, chan)


# -- the shared core: every message the bot makes or edits, whichever route it came by --------------
def _check_message(world: World, req: Req, body: dict[str, Any]) -> None:
    for problem in limits.message_problems(body):
        world.record("message_limit", problem, f"{req.method} {req.template}")
    refused = limits.allowed_mentions_problems(body)
    if refused:
        raise ApiError(400, 50035, "Invalid Form Body: " + "; ".join(refused), violation="bad_allowed_mentions")


def _new_attachments(
    world: World, req: Req, body: dict[str, Any], chan_id: int, keep: list[Attachment] | None = None
) -> list[Attachment]:
    """Attachments after a create or edit: kept ones listed by id, new ones by file index."""
    listed = body.get("attachments")
    out: list[Attachment] = []
    used: set[int] = set()
    if listed is not None:
        by_id = {a.id: a for a in keep or []}
        for item in listed:
            ref = as_int(item.get("id"))
            if ref in req.files and ref not in used:
                used.add(ref)
                out.append(_store_file(world, req, ref, chan_id, item.get("filename"), item.get("description")))
            elif ref in by_id:
                out.append(by_id[ref])
            else:
                world.record(
                    "bad_attachment",
                    f"attachment id {ref} is neither a file index nor kept",
                    f"{req.method} {req.template}",
                )
    elif keep:
        out = list(keep)
    for index in sorted(req.files):
        if index not in used:
            out.append(_store_file(world, req, index, chan_id, None, None))
    return out


def _store_file(
    world: World, req: Req, index: int, chan_id: int, filename: str | None, description: str | None
) -> Attachment:
    name, ctype, data = req.files[index]
    name = filename or name
    guessed = mimetypes.guess_type(name)[0]
    if not ctype or ctype == "application/octet-stream":
        ctype = guessed or ctype
    att_id = world.snowflake()
    url = f"{world.attachment_base}/attachments/{chan_id}/{att_id}/{name}"
    return Attachment(att_id, name, data, content_type=ctype, description=description, url=url)


def _ping_check(world: World, req: Req, msg: Message, body: dict[str, Any], replied: Message | None) -> None:
    """Record who would be notified; a violation unless the test said pings are expected."""
    chan = world.channels[msg.channel_id]
    replied_author = replied.author.id if replied is not None else None
    result = limits.pings(body, replied_author_id=replied_author)
    result["users"] = [u for u in result["users"] if u != world.bot_user.id]
    msg.mention_user_ids = list(result["users"])
    msg.mention_role_ids = list(result["roles"])
    msg.mention_everyone = result["everyone"]
    if chan.type == DM or msg.ephemeral:
        return
    if result["users"] or result["roles"] or result["everyone"]:
        who = []
        who += [world.users[u].username if u in world.users else str(u) for u in result["users"]]
        who += [f"role {r}" for r in result["roles"]]
        who += ["@everyone/@here"] if result["everyone"] else []
        world.pings.append({"message_id": msg.id, **result})
        if world.pings_are_violations:
            world.record(
                "ping",
                f"message would notify {', '.join(who)}: {msg.content[:80]!r}",
                f"{req.method} {req.template}",
            )


def make_message(
    world: World,
    req: Req,
    chan: Channel,
    body: dict[str, Any],
    *,
    flags: int = 0,
    kind: int = 0,
    interaction: Interaction | None = None,
    store: bool = True,
) -> Message:
    _check_message(world, req, body)
    msg = Message(
        world,
        world.snowflake(),
        chan.id,
        world.bot_user,
        content=body.get("content") or "",
        embeds=[{"type": "rich", **e} for e in body.get("embeds") or []],
        components=body.get("components") or [],
        flags=flags,
        type=kind,
        guild_id=chan.guild_id,
        interaction_id=interaction.id if interaction else None,
        webhook_id=world.application_id if interaction else None,
    )
    msg.attachments = _new_attachments(world, req, body, chan.id)
    replied = None
    ref = body.get("message_reference")
    if ref and ref.get("message_id"):
        replied = world.all_messages.get(as_int(ref["message_id"]))
        if replied is None and ref.get("fail_if_not_exists", True):
            raise ApiError(400, 50035, "Invalid Form Body: unknown message_reference")
        msg.reference_id = replied.id if replied else None
        msg.type = 19
    _ping_check(world, req, msg, body, replied)
    if store:
        world.all_messages[msg.id] = msg
        chan.last_message_id = msg.id
        chan.message_count += 1
        dispatch_message(world, "MESSAGE_CREATE", msg)
    return msg


def apply_edit(world: World, req: Req, msg: Message, body: dict[str, Any], *, keep_flags: int = 0) -> None:
    _check_message(world, req, body)
    if "content" in body:
        msg.content = body["content"] or ""
    if "embeds" in body:
        msg.embeds = [{"type": "rich", **e} for e in body["embeds"] or []]
    if "components" in body:
        msg.components = body["components"] or []
    if "flags" in body and body["flags"] is not None:
        msg.flags = (int(body["flags"]) & ~(EPHEMERAL | LOADING)) | keep_flags
    else:
        msg.flags = (msg.flags & ~LOADING) | keep_flags
    if "attachments" in body or req.files:
        msg.attachments = _new_attachments(world, req, body, msg.channel_id, keep=msg.attachments)
    msg.edited_at = world.now()
    msg.edits += 1
    if not msg.ephemeral:
        dispatch_message(world, "MESSAGE_UPDATE", msg)


def dispatch_message(world: World, event: str, msg: Message) -> None:
    if world.dispatcher is None or msg.ephemeral:
        return
    intent = INTENT_GUILD_MESSAGES if msg.guild_id else INTENT_DIRECT_MESSAGES
    world.dispatcher(event, msg.to_json(), msg.guild_id, intent)


def require_content(req: Req, data: dict[str, Any]) -> None:
    if not (data.get("content") or data.get("embeds") or data.get("components") or req.files or data.get("poll")):
        raise ApiError(400, 50006, "Cannot send an empty message", violation="empty_message")
