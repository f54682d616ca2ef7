"""The driver: what a person does in the Discord client, as plain synchronous calls.

Why it refuses bad input itself: Discord's client never sends an unknown option, a missing required
one, a value outside min/max or choices, or a command the member may not see. Raising here keeps
tests from exercising input the bot can never receive. Options are typed from the commands the bot
registered with the fake, never from a hand-written copy.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .constants import ADMINISTRATOR, DM, EPHEMERAL, VIEW_CHANNEL
from .entities import Attachment, Channel, Interaction, Member, Message, Role, User, walk_components
from .rest.interactions import INTERACTION_DEADLINE

if TYPE_CHECKING:
    from .server import FakeDiscord

T = TypeVar("T")
ATTACHMENT_LIMIT = 10 * 1024 * 1024
DEFERRED_UPDATE_WAIT = 3.0


def _name(person: Member | User) -> str:
    return person.username if isinstance(person, User) else person.name


class RefusedByClient(ValueError):
    """The Discord client would never send this (unknown option, out of range, no permission...)."""


class NoAnswer(AssertionError):
    """The bot did not answer in time; Discord would show "The application did not respond"."""


@dataclass
class Answer:
    """What the bot answered to one interaction (a snapshot, plus live follow-ups).

    For a deferred answer (type 5) it is the message the first follow-up filled in; for a deferred
    update (type 6) the first follow-up if one came within 3 s, else the clicked message."""

    interaction: Interaction
    type: int
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    ephemeral: bool = False
    modal: dict[str, Any] | None = None
    choices: list[dict[str, Any]] | None = None
    response_message: Message | None = None

    @property
    def message(self) -> Message | None:
        """The answer's message as it now stands in the channel; None when it was ephemeral."""
        msg = self.response_message
        return None if msg is None or msg.ephemeral else msg

    @property
    def embed(self) -> dict[str, Any] | None:
        return self.embeds[0] if self.embeds else None

    @property
    def text(self) -> str:
        """Content, embed texts and text displays together, for readable asserts."""
        snapshot = Message(
            self.interaction.world,
            0,
            0,
            self.interaction.world.bot_user,
            content=self.content,
            embeds=self.embeds,
            components=self.components,
        )
        return snapshot.text

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    @property
    def followups(self) -> list[Message]:
        inter = self.interaction
        with inter.world.lock:
            return [m for m in (inter.find_message(i) for i in inter.followup_ids) if m is not None]

    def wait_followups(self, count: int, timeout: float = 10.0) -> list[Message]:
        """Block until the bot has sent at least `count` follow-ups."""
        inter = self.interaction
        inter.world.wait_until(lambda: len(inter.followup_ids) >= count, timeout, f"{count} follow-up(s)")
        return self.followups

    def __repr__(self) -> str:
        kind = {4: "message", 5: "deferred", 6: "deferred update", 7: "update", 8: "choices", 9: "modal"}
        return f"<Answer {kind.get(self.type, self.type)} ephemeral={self.ephemeral} {self.text[:80]!r}>"


class Pending:
    """An interaction on its way; `answer()` waits for the bot's response."""

    def __init__(self, driver: Driver, inter: Interaction, what: str, timeout: float) -> None:
        self.driver = driver
        self.interaction = inter
        self.what = what
        self.timeout = timeout

    def answer(self, timeout: float | None = None) -> Answer:
        return self.driver._await_answer(self.interaction, self.what, self.timeout if timeout is None else timeout)


class Driver:
    """Acts as members in the world, through the fake's gateway, and reads back the bot's answers."""

    def __init__(self, fake: FakeDiscord, timeout: float = 10.0) -> None:
        self.fake = fake
        self.world = fake.world
        self.timeout = timeout
        self._local = threading.local()

    # -- slash commands --------------------------------------------------------------------------
    def command(
        self,
        name: str,
        *,
        user: Member | User,
        channel: Channel | None = None,
        timeout: float | None = None,
        options: dict[str, Any] | None = None,
        **kw_options: Any,
    ) -> Answer:
        """Run `/name` (e.g. "shift offer") as `user` in `channel` (default: #general, or their DM).

        Options go as keywords; one named like a parameter here (user, channel...) goes in `options`."""
        pending = self.send_command(name, user=user, channel=channel, timeout=timeout, options=options, **kw_options)
        return pending.answer()

    def send_command(
        self,
        name: str,
        *,
        user: Member | User,
        channel: Channel | None = None,
        timeout: float | None = None,
        options: dict[str, Any] | None = None,
        **kw_options: Any,
    ) -> Pending:
        """Like `command` but returns at once; call `.answer()` on the result to wait."""
        options = {**(options or {}), **kw_options}
        chan = self._channel_for(user, channel)
        self._local.locale = (user.user if isinstance(user, Member) else user).locale
        with self.world.lock:
            cmd = self._find_command(name, chan)
            self._check_may_use(cmd, user, chan)
            leaf, wrap = self._leaf(cmd, name)
            opts, resolved = self._build_options(leaf, options, chan, focused=None)
            data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": wrap(opts)}
            if resolved:
                data["resolved"] = resolved
            if cmd.get("guild_id"):
                data["guild_id"] = cmd["guild_id"]
            inter = self._new_interaction(2, user, chan, data)
        self._dispatch(inter)
        return Pending(self, inter, f"/{name}", timeout or self.timeout)

    def autocomplete(
        self,
        name: str,
        option: str,
        value: str,
        *,
        user: Member | User,
        channel: Channel | None = None,
        timeout: float | None = None,
        options: dict[str, Any] | None = None,
        **kw_options: Any,
    ) -> list[dict[str, Any]]:
        """Type `value` into `option` of `/name` and return the choices the bot offers."""
        options = {**(options or {}), **kw_options}
        chan = self._channel_for(user, channel)
        self._local.locale = (user.user if isinstance(user, Member) else user).locale
        with self.world.lock:
            cmd = self._find_command(name, chan)
            self._check_may_use(cmd, user, chan)
            leaf, wrap = self._leaf(cmd, name)
            definition = self._option_def(leaf, option)
            if not definition.get("autocomplete"):
                raise RefusedByClient(f"option {option!r} of /{name} has no autocomplete")
            opts, resolved = self._build_options(leaf, options, chan, focused=(definition["name"], value))
            data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": wrap(opts)}
            if resolved:
                data["resolved"] = resolved
            inter = self._new_interaction(4, user, chan, data)
        self._dispatch(inter)
        answer = self._await_answer(inter, f"autocomplete of /{name} {option}", timeout or self.timeout)
        if answer.type != 8:
            raise AssertionError(f"autocomplete answered with type {answer.type}, not 8")
        return answer.choices or []

    # -- components ------------------------------------------------------------------------------
    def click(
        self, message: Message | Answer, label_or_custom_id: str, *, user: Member | User, timeout: float | None = None
    ) -> Answer:
        """Press a button, found by custom_id or by its label."""
        msg, inter_of_msg = self._target(message)
        with self.world.lock:
            matches = [
                c
                for c in msg.walk_components()
                if c.get("type") == 2 and label_or_custom_id in (c.get("custom_id"), c.get("label"))
            ]
            exact = [c for c in matches if c.get("custom_id") == label_or_custom_id]
            matches = exact or matches
            if not matches:
                labels = [c.get("label") or c.get("custom_id") for c in msg.buttons]
                raise RefusedByClient(f"no button {label_or_custom_id!r} on the message (buttons: {labels})")
            if len(matches) > 1:
                raise RefusedByClient(f"several buttons match {label_or_custom_id!r}; use the custom_id")
            button = matches[0]
            if button.get("disabled"):
                raise RefusedByClient(f"button {label_or_custom_id!r} is disabled")
            if not button.get("custom_id"):
                raise RefusedByClient(f"button {label_or_custom_id!r} is a link, not an interaction")
            self._check_can_see(msg, inter_of_msg, user)
            data = {"custom_id": button["custom_id"], "component_type": 2}
            inter = self._new_interaction(3, user, msg.channel, data, message=msg)
        self._dispatch(inter)
        return self._await_answer(inter, f"click on {label_or_custom_id!r}", timeout or self.timeout)

    def select(
        self,
        message: Message | Answer,
        custom_id: str,
        values: Sequence[Any],
        *,
        user: Member | User,
        timeout: float | None = None,
    ) -> Answer:
        """Choose values in a select menu (strings for a string select; members, roles or channels)."""
        msg, inter_of_msg = self._target(message)
        with self.world.lock:
            menu = next(
                (
                    c
                    for c in msg.walk_components()
                    if c.get("custom_id") == custom_id and c.get("type") in (3, 5, 6, 7, 8)
                ),
                None,
            )
            if menu is None:
                raise RefusedByClient(f"no select menu {custom_id!r} on the message")
            if menu.get("disabled"):
                raise RefusedByClient(f"select {custom_id!r} is disabled")
            self._check_can_see(msg, inter_of_msg, user)
            data, resolved = self._select_values(menu, list(values), msg.channel)
            if resolved:
                data["resolved"] = resolved
            inter = self._new_interaction(3, user, msg.channel, data, message=msg)
        self._dispatch(inter)
        return self._await_answer(inter, f"select {custom_id!r}", timeout or self.timeout)

    def submit_modal(
        self, answer: Answer, values: dict[str, Any], *, user: Member | User, timeout: float | None = None
    ) -> Answer:
        """Fill in and submit the modal an answer opened; fields by custom_id or label."""
        if answer.modal is None:
            raise RefusedByClient(f"that answer opened no modal: {answer!r}")
        origin = answer.interaction
        with self.world.lock:
            remaining = dict(values)
            components = [self._fill_modal_component(c, remaining) for c in answer.modal.get("components", [])]
            components = [c for c in components if c is not None]
            if remaining:
                raise RefusedByClient(f"the modal has no fields {sorted(remaining)}")
            data = {"custom_id": answer.modal.get("custom_id"), "components": components}
            message = origin.find_message(origin.message_id) if origin.message_id else None
            chan = self.world.channels[origin.channel_id]
            inter = self._new_interaction(5, user, chan, data, message=message)
        self._dispatch(inter)
        return self._await_answer(inter, f"modal {answer.modal.get('title')!r}", timeout or self.timeout)

    # -- concurrency -----------------------------------------------------------------------------
    def concurrently(self, calls: Sequence[Callable[[], T]], timeout: float = 60.0) -> list[T]:
        """Run driver calls in parallel threads; their interactions leave together (a barrier)."""
        barrier = threading.Barrier(len(calls), timeout=10)

        def run(call: Callable[[], T]) -> T:
            self._local.barrier = barrier
            try:
                return call()
            finally:
                self._local.barrier = None

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            futures = [pool.submit(run, call) for call in calls]
            return [f.result(timeout) for f in futures]

    # -- internals: the interaction --------------------------------------------------------------
    def _channel_for(self, user: Member | User, channel: Channel | None) -> Channel:
        if channel is not None:
            if channel.type != DM and isinstance(user, Member) and channel.guild_id != user.guild.id:
                raise RefusedByClient(f"{user.name} is not in the guild of {channel!r}")
            if not channel.visible_to(user):
                raise RefusedByClient(f"{_name(user)} can't see the private thread {channel!r}")
            return channel
        if isinstance(user, Member):
            return user.guild.channels[0]
        return self._dm_channel(user)

    def _dm_channel(self, user: User) -> Channel:
        world = self.world
        with world.lock:
            if user.dm_channel_id is None:
                chan = Channel(world, world.snowflake(), DM, recipient_id=user.id, created_at=world.now())
                world.channels[chan.id] = chan
                user.dm_channel_id = chan.id
            return world.channels[user.dm_channel_id]

    def _new_interaction(
        self, kind: int, user: Member | User, chan: Channel, data: dict[str, Any], message: Message | None = None
    ) -> Interaction:
        world = self.world
        person = user.user if isinstance(user, Member) else user
        inter = Interaction(
            world,
            world.snowflake(),
            "tok-" + secrets.token_urlsafe(24),
            kind,
            person,
            chan.id,
            chan.guild_id,
            data,
            sent_at=0.0,
            message_id=message.id if message else None,
        )
        inter.created_wall = world.now()
        world.interactions[inter.id] = inter
        payload: dict[str, Any] = {
            "id": str(inter.id),
            "application_id": str(world.application_id),
            "type": kind,
            "token": inter.token,
            "version": 1,
            "data": data,
            "channel_id": str(chan.id),
            "channel": {**chan.to_json(), "permissions": str(self._perms(user, chan))},
            "locale": person.locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_LIMIT,
        }
        guild = chan.guild
        if guild is not None:
            member = guild.members.get(person.id)
            if member is None:
                raise RefusedByClient(f"{person.username} is not a member of {guild.name}")
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                guild_locale=guild.preferred_locale,
                # Both are the effective permissions in this channel, overwrites applied.
                member={**member.to_json(), "permissions": str(member.permissions_in(chan))},
                app_permissions=str(guild.bot_member.permissions_in(chan)),
                authorizing_integration_owners={"0": str(guild.id)},
                context=0,
            )
        else:
            payload.update(
                user=person.to_json(),
                app_permissions=str(_DM_PERMISSIONS),
                context=1,
                authorizing_integration_owners={"0": "0"},
            )
        if message is not None:
            payload["message"] = message.to_json()
        inter.payload = payload
        return inter

    def _dispatch(self, inter: Interaction) -> None:
        barrier = getattr(self._local, "barrier", None)
        if barrier is not None:
            self._local.barrier = None
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        with self.world.lock:
            inter.sent_at = time.monotonic()
            if self.world.dispatcher is None:
                raise RuntimeError("the fake has no gateway")
            self.world.dispatcher("INTERACTION_CREATE", inter.payload, inter.guild_id, 0)

    def _await_answer(self, inter: Interaction, what: str, timeout: float) -> Answer:
        world = self.world
        grace = INTERACTION_DEADLINE + 0.5
        try:
            world.wait_until(lambda: inter.response_type is not None, grace, f"the bot to answer {what}")
        except TimeoutError:
            raise NoAnswer(f"the bot did not answer {what} within 3 s") from None
        if inter.response_type == -1:
            raise NoAnswer(f"the bot answered {what} too late (after 3 s); Discord refused it")
        if inter.response_type == 5:
            try:
                world.wait_until(lambda: inter.deferred_done, timeout, f"the deferred answer to {what}")
            except TimeoutError:
                raise NoAnswer(f"the bot deferred {what} but sent nothing within {timeout:.0f} s") from None
        if inter.response_type == 6:
            # A deferred update is usually followed by an edit or a follow-up; give it a moment.
            with contextlib.suppress(TimeoutError):
                world.wait_until(lambda: inter.webhook_actions > 0, min(timeout, DEFERRED_UPDATE_WAIT), what)
        with world.lock:
            kind = inter.response_type
            answer = Answer(inter, kind if kind is not None else -1, modal=inter.modal, choices=inter.choices)
            msg = inter.find_message(inter.original_id) if inter.original_id else None
            if msg is not None and kind in (4, 5, 7):
                answer.response_message = msg
                answer.content = msg.content
                answer.embeds = [dict(e) for e in msg.embeds]
                answer.components = list(msg.components)
                answer.attachments = list(msg.attachments)
                answer.ephemeral = bool(msg.flags & EPHEMERAL)
            elif msg is not None and kind == 6:
                answer.response_message = msg
                first = inter.find_message(inter.followup_ids[0]) if inter.followup_ids else None
                shown = first or msg
                answer.content = shown.content
                answer.embeds = [dict(e) for e in shown.embeds]
                answer.components = list(shown.components)
                answer.attachments = list(shown.attachments)
                answer.ephemeral = shown.ephemeral
            return answer

    def _target(self, message: Message | Answer) -> tuple[Message, Interaction | None]:
        if isinstance(message, Answer):
            if message.response_message is None:
                raise RefusedByClient(f"that answer has no message to act on: {message!r}")
            msg = message.response_message
        else:
            msg = message
        owner = self.world.interactions.get(msg.interaction_id or 0)
        if msg.deleted:
            raise RefusedByClient("that message was deleted")
        return msg, owner

    def _check_can_see(self, msg: Message, owner: Interaction | None, user: Member | User) -> None:
        if msg.ephemeral and owner is not None and owner.user.id != user.id:
            raise RefusedByClient("only the person who got an ephemeral message can use it")
        # A DM is seen (and its buttons clicked) by its recipient alone, as in Discord.
        chan = self.world.channels.get(msg.channel_id)
        person = user.user if isinstance(user, Member) else user
        if chan is not None and chan.type == DM and chan.recipient_id not in (None, person.id):
            raise RefusedByClient(f"{person.username} can't see another member's DMs")
        if chan is not None and not chan.visible_to(user):
            raise RefusedByClient(f"{person.username} is not a member of the private thread {chan!r}")

    # -- internals: commands and options ---------------------------------------------------------
    def _names(self, node: dict[str, Any]) -> tuple[str, ...]:
        """What a member may type for a command, subcommand or option: its name, and the name their
        client shows them in their language (the interaction then carries the command's own name)."""
        locale = getattr(self._local, "locale", "en-US")
        shown = (node.get("name_localizations") or {}).get(locale)
        return (node["name"], shown) if shown else (node["name"],)

    def _find_command(self, name: str, chan: Channel) -> dict[str, Any]:
        top = name.split()[0]
        pools = []
        if chan.guild_id:
            pools.append(self.world.guild_commands.get(chan.guild_id, []))
        pools.append(self.world.global_commands)
        for pool in pools:
            for cmd in pool:
                if top in self._names(cmd) and cmd.get("type", 1) == 1:
                    return cmd
        known = sorted(c["name"] for pool in pools for c in pool)
        raise RefusedByClient(f"no registered command /{top} (registered: {known})")

    def _check_may_use(self, cmd: dict[str, Any], user: Member | User, chan: Channel) -> None:
        if isinstance(user, Member) and not user.permissions_in(chan) & VIEW_CHANNEL:
            raise RefusedByClient(f"{user.name} cannot see {chan!r}, so cannot use commands there")
        if chan.type == DM:
            contexts = cmd.get("contexts")
            if cmd.get("dm_permission") is False or (contexts is not None and 1 not in contexts):
                raise RefusedByClient(f"/{cmd['name']} is not available in DMs")
            return
        contexts = cmd.get("contexts")
        if contexts is not None and 0 not in contexts:
            raise RefusedByClient(f"/{cmd['name']} is not available in servers")
        required = cmd.get("default_member_permissions")
        if required is None:
            return
        need = int(required)
        perms = self._perms(user)
        if not perms & ADMINISTRATOR and (need == 0 or perms & need != need):
            raise RefusedByClient(f"{_name(user)} lacks the permissions /{cmd['name']} needs ({need})")

    def _perms(self, user: Member | User, chan: Channel | None = None) -> int:
        if not isinstance(user, Member):
            return _DM_PERMISSIONS
        return user.permissions_in(chan) if chan is not None else user.permissions

    def _leaf(
        self, cmd: dict[str, Any], name: str
    ) -> tuple[dict[str, Any], Callable[[list[dict[str, Any]]], list[dict[str, Any]]]]:
        """Walk "group sub" down to the subcommand whose options the user fills in."""
        parts = name.split()[1:]
        node = cmd
        chain: list[tuple[str, int]] = []
        for part in parts:
            child = next((o for o in node.get("options") or [] if part in self._names(o) and o["type"] in (1, 2)), None)
            if child is None:
                raise RefusedByClient(f"/{cmd['name']} has no subcommand {part!r} at {' '.join(parts)!r}")
            chain.append((child["name"], child["type"]))
            node = child
        if any(o["type"] in (1, 2) for o in node.get("options") or []):
            subs = [o["name"] for o in node["options"]]
            raise RefusedByClient(f"/{name} needs a subcommand: one of {subs}")

        def wrap(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
            for sub_name, sub_type in reversed(chain):
                options = [{"name": sub_name, "type": sub_type, "options": options}]
            return options

        return node, wrap

    def _option_def(self, leaf: dict[str, Any], key: str) -> dict[str, Any]:
        for opt in leaf.get("options") or []:
            if any(name == key or name.replace("-", "_") == key for name in self._names(opt)):
                found: dict[str, Any] = opt
                return found
        names = [o["name"] for o in leaf.get("options") or []]
        raise RefusedByClient(f"unknown option {key!r} (options: {names})")

    def _build_options(
        self, leaf: dict[str, Any], given: dict[str, Any], chan: Channel, focused: tuple[str, str] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        resolved: dict[str, dict[str, Any]] = {}
        out: list[dict[str, Any]] = []
        names_given = set()
        for key, value in given.items():
            definition = self._option_def(leaf, key)
            names_given.add(definition["name"])
            if value is None:
                continue
            out.append(
                {
                    "name": definition["name"],
                    "type": definition["type"],
                    "value": self._option_value(definition, value, chan, resolved),
                }
            )
        if focused is not None:
            name, text = focused
            out = [o for o in out if o["name"] != name]
            definition = self._option_def(leaf, name)
            out.append({"name": name, "type": definition["type"], "value": text, "focused": True})
        else:
            for opt in leaf.get("options") or []:
                if opt.get("required") and opt["name"] not in names_given:
                    raise RefusedByClient(f"missing required option {opt['name']!r}")
        return out, {k: v for k, v in resolved.items() if v}

    def _option_value(self, opt: dict[str, Any], value: Any, chan: Channel, resolved: dict[str, Any]) -> Any:
        kind, name = opt["type"], opt["name"]
        if kind == 3:
            if not isinstance(value, str):
                raise RefusedByClient(f"option {name!r} takes text, got {value!r}")
            if len(value) < opt.get("min_length", 0) or len(value) > opt.get("max_length", 6000):
                raise RefusedByClient(
                    f"option {name!r}: length {len(value)} outside "
                    f"{opt.get('min_length', 0)}..{opt.get('max_length', 6000)}"
                )
        elif kind in (4, 10):
            wrong = isinstance(value, bool) or not isinstance(value, int if kind == 4 else int | float)
            if wrong:
                raise RefusedByClient(f"option {name!r} takes a {'whole ' if kind == 4 else ''}number, got {value!r}")
            low, high = opt.get("min_value"), opt.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise RefusedByClient(f"option {name!r}: {value} outside {low}..{high}")
        elif kind == 5:
            if not isinstance(value, bool):
                raise RefusedByClient(f"option {name!r} takes true/false, got {value!r}")
        elif kind in (6, 7, 8, 9):
            return self._resolve(opt, value, chan, resolved)
        elif kind == 11:
            return self._attachment_option(opt, value, chan, resolved)
        choices = opt.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise RefusedByClient(f"option {name!r}: {value!r} is not one of {[c['value'] for c in choices]}")
        return value

    def _resolve(self, opt: dict[str, Any], value: Any, chan: Channel, resolved: dict[str, Any]) -> str:
        kind, name = opt["type"], opt["name"]
        guild = chan.guild
        if isinstance(value, Member | User) and kind in (6, 9):
            user = value.user if isinstance(value, Member) else value
            resolved.setdefault("users", {})[str(user.id)] = user.to_json()
            member = guild.members.get(user.id) if guild else None
            if member is not None:
                resolved.setdefault("members", {})[str(user.id)] = {
                    **member.to_json(with_user=False),
                    "permissions": str(member.permissions),
                }
            return str(user.id)
        if isinstance(value, Role) and kind in (8, 9):
            resolved.setdefault("roles", {})[str(value.id)] = value.to_json()
            return str(value.id)
        if isinstance(value, Channel) and kind == 7:
            types = opt.get("channel_types")
            if types and value.type not in types:
                raise RefusedByClient(f"option {name!r} takes channels of types {types}, not {value.type}")
            data = value.to_json()
            entry: dict[str, Any] = {
                k: data[k] for k in ("id", "name", "type", "parent_id", "thread_metadata") if k in data
            }
            entry["permissions"] = str(guild.bot_member.permissions if guild else _DM_PERMISSIONS)
            resolved.setdefault("channels", {})[str(value.id)] = entry
            return str(value.id)
        raise RefusedByClient(f"option {name!r} (type {kind}) cannot take {value!r}")

    def _attachment_option(self, opt: dict[str, Any], value: Any, chan: Channel, resolved: dict[str, Any]) -> str:
        if not (isinstance(value, tuple) and len(value) == 2):
            raise RefusedByClient(f"option {opt['name']!r} takes (filename, bytes)")
        filename, data = value
        world = self.world
        att = Attachment(world.snowflake(), filename, bytes(data))
        att.url = f"{world.attachment_base}/attachments/{chan.id}/{att.id}/{filename}"
        world.uploads[att.id] = att
        resolved.setdefault("attachments", {})[str(att.id)] = att.to_json()
        return str(att.id)

    def _select_values(
        self, menu: dict[str, Any], values: list[Any], chan: Channel
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        low, high = menu.get("min_values", 1), menu.get("max_values", 1)
        if not low <= len(values) <= high:
            raise RefusedByClient(f"select {menu['custom_id']!r} takes {low}..{high} values, got {len(values)}")
        data: dict[str, Any] = {"custom_id": menu["custom_id"], "component_type": menu["type"]}
        resolved: dict[str, Any] = {}
        if menu["type"] == 3:
            allowed = [o["value"] for o in menu.get("options") or []]
            for v in values:
                if v not in allowed:
                    raise RefusedByClient(f"{v!r} is not an option of {menu['custom_id']!r} ({allowed})")
            data["values"] = list(values)
        else:
            kind = {5: 6, 6: 8, 7: 9, 8: 7}[menu["type"]]
            fake_opt = {"type": kind, "name": menu["custom_id"], "channel_types": menu.get("channel_types")}
            data["values"] = [self._resolve(fake_opt, v, chan, resolved) for v in values]
        return data, resolved

    def _fill_modal_component(self, comp: dict[str, Any], remaining: dict[str, Any]) -> dict[str, Any] | None:
        kind = comp.get("type")
        if kind == 1:
            inner = [self._fill_modal_component(c, remaining) for c in comp.get("components") or []]
            return {"type": 1, "components": [c for c in inner if c is not None]}
        if kind == 18:
            inner_comp = dict(comp.get("component") or {})
            inner_comp.setdefault("label", comp.get("label"))
            filled = self._fill_modal_component(inner_comp, remaining)
            return {"type": 18, "id": comp.get("id"), "component": filled} if filled else None
        if kind == 4:
            cid, label = comp.get("custom_id"), comp.get("label")
            key = cid if cid in remaining else label if label in remaining else None
            value = remaining.pop(key) if key is not None else comp.get("value") or ""
            if not isinstance(value, str):
                raise RefusedByClient(f"text field {label or cid!r} takes text")
            if comp.get("required", True) and not value:
                raise RefusedByClient(f"text field {label or cid!r} is required")
            if value and not comp.get("min_length", 0) <= len(value) <= comp.get("max_length", 4000):
                raise RefusedByClient(
                    f"text field {label or cid!r}: length {len(value)} outside "
                    f"{comp.get('min_length', 0)}..{comp.get('max_length', 4000)}"
                )
            return {"type": 4, "custom_id": cid, "value": value}
        if kind == 3:
            cid, label = comp.get("custom_id"), comp.get("label")
            key = cid if cid in remaining else label if label in remaining else None
            values = remaining.pop(key) if key is not None else []
            values = [values] if isinstance(values, str) else list(values)
            allowed = [o["value"] for o in comp.get("options") or []]
            if any(v not in allowed for v in values):
                raise RefusedByClient(f"select {label or cid!r} takes values from {allowed}")
            if comp.get("required", True) and not values:
                raise RefusedByClient(f"select {label or cid!r} is required")
            return {"type": 3, "custom_id": cid, "values": values}
        return None


_DM_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
