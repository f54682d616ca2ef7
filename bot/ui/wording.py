"""Every sentence a member reads about a mistake, in one place (easy to review and to translate).

`explain(error)` turns a typed domain error into a polite message that says how to fix the input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bot.domain import errors as e
from bot.domain.governance import BadRetention, DecidedByGroup, OthersNotShown
from bot.domain.settings import MissingPermission, NothingToChange, UnknownTimezone
from bot.domain.states import OfferKind, OfferStatus
from bot.domain.time_words import time_examples
from bot.ui.channel_check import PERMISSION_NAMES
from bot.ui.format import clip, join, span, ts
from bot.ui.i18n import N_, _, current_language, n_, p_, slash

E = TypeVar("E", bound=e.RotaError)
_EXPLAINERS: dict[type[e.RotaError], Callable[[Any], str]] = {}


def explains(kind: type[E]) -> Callable[[Callable[[E], str]], Callable[[E], str]]:
    def register(render: Callable[[E], str]) -> Callable[[E], str]:
        _EXPLAINERS[kind] = render
        return render

    return register


def explain(error: e.RotaError) -> str:
    for kind in type(error).__mro__:
        render = _EXPLAINERS.get(kind)
        if render is not None:
            return render(error)
    return _("That didn't work, and nothing was changed. Please check what you typed and try again.")


#: What Discord let through that this server can't use, by the option's kind.
_UNUSABLE = {
    "user": N_("I can't use that member here: choose a member of this server and try again."),
    "role": N_("I can't use that role here: choose a role of this server and try again."),
    "channel": N_("I can't use that channel here: choose a channel of this server and try again."),
}
_UNUSABLE_OTHER = N_("I can't use that choice here: choose a choice of this server and try again.")


def explain_unusable_option(kind: str) -> str:
    """Discord let through something this server can't use (a user who isn't a member, say)."""
    return _(_UNUSABLE.get(kind, _UNUSABLE_OTHER))


def _field(name: str) -> str:
    """A text field the domain names that has no sentence of its own here (shown as named)."""
    return name.replace("_", " ")


# --- text ------------------------------------------------------------------------------------------
#: One whole sentence per text field, so each language can word the field its own way.
_REQUIRED = {
    "where": N_("Please fill in the where: it can't be empty."),
    "notes": N_("Please fill in the notes: it can't be empty."),
    "reason": N_("Please fill in the reason: it can't be empty."),
    "title": N_("Please fill in the title: it can't be empty."),
    "body": N_("Please fill in the body: it can't be empty."),
}
_MENTIONS = {
    "where": N_(
        "The where can't contain mentions such as `{mention}`: "
        "Rota never lets member text ping anyone. Write the name without the @ instead."
    ),
    "notes": N_(
        "The notes can't contain mentions such as `{mention}`: "
        "Rota never lets member text ping anyone. Write the name without the @ instead."
    ),
    "reason": N_(
        "The reason can't contain mentions such as `{mention}`: "
        "Rota never lets member text ping anyone. Write the name without the @ instead."
    ),
    "title": N_(
        "The title can't contain mentions such as `{mention}`: "
        "Rota never lets member text ping anyone. Write the name without the @ instead."
    ),
    "body": N_(
        "The body can't contain mentions such as `{mention}`: "
        "Rota never lets member text ping anyone. Write the name without the @ instead."
    ),
    "role": N_(
        "A role name can't contain mentions such as `{mention}`: "
        "Rota never lets member text ping anyone. Write the name without the @ instead."
    ),
}


@explains(e.TextRequired)
def _text_required(err: e.TextRequired) -> str:
    if err.field in _REQUIRED:
        return _(_REQUIRED[err.field])
    return _("Please fill in the {field}: it can't be empty.", field=_field(err.field))


@explains(e.TextTooLong)
def _text_too_long(err: e.TextTooLong) -> str:
    count, limit = err.length, err.limit
    if err.field == "where":
        return n_(
            "The where is {count} character long; please keep it to {limit}.",
            "The where is {count} characters long; please keep it to {limit}.",
            count,
            limit=limit,
        )
    if err.field == "notes":
        return n_(
            "The notes is {count} character long; please keep it to {limit}.",
            "The notes is {count} characters long; please keep it to {limit}.",
            count,
            limit=limit,
        )
    if err.field == "reason":
        return n_(
            "The reason is {count} character long; please keep it to {limit}.",
            "The reason is {count} characters long; please keep it to {limit}.",
            count,
            limit=limit,
        )
    if err.field == "title":
        return n_(
            "The title is {count} character long; please keep it to {limit}.",
            "The title is {count} characters long; please keep it to {limit}.",
            count,
            limit=limit,
        )
    if err.field == "body":
        return n_(
            "The body is {count} character long; please keep it to {limit}.",
            "The body is {count} characters long; please keep it to {limit}.",
            count,
            limit=limit,
        )
    if err.field == "role":
        return n_(
            "A role name is {count} character long; please keep it to {limit}.",
            "A role name is {count} characters long; please keep it to {limit}.",
            count,
            limit=limit,
        )
    return n_(
        "The {field} is {count} character long; please keep it to {limit}.",
        "The {field} is {count} characters long; please keep it to {limit}.",
        count,
        field=_field(err.field),
        limit=limit,
    )


@explains(e.MentionNotAllowed)
def _mention_not_allowed(err: e.MentionNotAllowed) -> str:
    mention = clip(err.mention, 40)
    if err.field in _MENTIONS:
        return _(_MENTIONS[err.field], mention=mention)
    return _(
        "The {field} can't contain mentions such as `{mention}`: "
        "Rota never lets member text ping anyone. Write the name without the @ instead.",
        field=_field(err.field),
        mention=mention,
    )


# --- time ------------------------------------------------------------------------------------------


@explains(e.UnparseableTime)
def _unparseable_time(err: e.UnparseableTime) -> str:
    # Times as members of this language write them (each one parses), and a date every language reads.
    first, second, third = time_examples(current_language())[:3]
    return _(
        "I couldn't read `{text}` as a date and time. Try `{first}`, `{second}`, `{third}` "
        "or `{iso}` (in the server's time zone).",
        text=clip(err.text, 60),
        first=first,
        second=second,
        third=third,
        iso="2026-12-05 10:00",
    )


explains(e.AmbiguousDate)(
    lambda err: _(
        "I can't tell whether `{text}` gives the day or the month first. "
        "Please write the month as a word, e.g. `{day_first}` or `{month_first}`.",
        text=clip(err.text, 60),
        day_first=clip(err.day_first, 20),
        month_first=clip(err.month_first, 20),
    )
)


def _hour_examples(hour: int) -> tuple[str, str]:
    """The hour with am/pm and in 24-hour time: 10 -> `10am`, `10:00`; 18 -> `6pm`, `18:00`."""
    if 1 <= hour <= 12:
        return f"{hour}am", f"{hour}:00"
    return f"{hour % 12 or 12}{'pm' if hour >= 12 else 'am'}", f"{hour:02d}:00"


@explains(e.AmbiguousHour)
def _ambiguous_hour(err: e.AmbiguousHour) -> str:
    twelve, clock = _hour_examples(err.hour)
    return _(
        "I can't tell what time `{text}` means: an hour alone could be morning or evening, or a day "
        "of the month. Please add am or pm, or use 24-hour time with minutes, e.g. `{twelve}` or `{clock}`.",
        text=clip(err.text, 60),
        twelve=twelve,
        clock=clock,
    )


explains(e.WeekdayMismatch)(
    lambda err: _(
        "The day of the week in `{text}` doesn't match the date, which is {when}. Please check which day you mean.",
        text=clip(err.text, 60),
        when=ts(err.when, "F"),
    )
)
explains(e.TimeInPast)(
    lambda err: _("That time ({when}) has already passed. Please pick a time ahead.", when=ts(err.when))
)
explains(e.TooFarAhead)(
    lambda err: n_(
        "That is too far ahead ({when}): Rota plans up to {count} day ahead.",
        "That is too far ahead ({when}): Rota plans up to {count} days ahead.",
        err.max_days,
        when=ts(err.when, "D"),
    )
)


@explains(e.BadDuration)
def _bad_duration(err: e.BadDuration) -> str:
    given = clip(err.text, 40)
    if err.low is None or err.high is None:
        return _("I couldn't read `{text}` as a length of time. Try `2h`, `90m` or `1h30m`.", text=given)
    return _(
        "Please choose a length between {low} and {high} (you gave `{text}`).",
        low=span(err.low),
        high=span(err.high),
        text=given,
    )


explains(e.BadRepeatCount)(
    lambda err: n_(
        "A repeat makes from {low} to {count} shift (this one would make {value}).",
        "A repeat makes from {low} to {count} shifts (this one would make {value}).",
        err.high,
        low=err.low,
        value=err.value,
    )
)

# --- shifts ----------------------------------------------------------------------------------------
explains(e.BadPlaces)(
    lambda err: n_(
        "A shift needs between {low} and {count} place (you asked for {value}).",
        "A shift needs between {low} and {count} places (you asked for {value}).",
        err.high,
        low=err.low,
        value=err.value,
    )
)
explains(e.ShiftNotFound)(
    lambda err: _(
        "I can't find shift #{shift} in this server. {list} shows the upcoming ones.",
        shift=err.shift_id,
        list=slash("shift list"),
    )
)
explains(e.BadRoles)(
    lambda err: _(
        "I couldn't read `{text}` as roles. Write each role as a number of places and a name, separated "
        "by commas, such as `3 leafleters, 1 driver` (up to 8 roles and 50 places in all, names up to 32 characters).",
        text=clip(err.text, 60),
    )
)
explains(e.UnknownRole)(
    lambda err: _(
        "Shift #{shift} has roles: {roles}. Please say which one you'd like, with the buttons on its card "
        "or `role:` in the command.",
        shift=err.shift_id,
        roles=join([f"`{clip(name, 32)}`" for name in err.roles]),
    )
)


@explains(e.CannotPostThere)
def _cannot_post_there(err: e.CannotPostThere) -> str:
    if not err.missing:
        return _("The channel for cards (<#{channel}>) no longer exists, so nothing was created. "
                 "Someone with Manage Server can choose another with {fix}.",
                 channel=err.channel_id, fix=slash("setup channels"))  # fmt: skip
    return _(
        "I can't post a card in <#{channel}>: I'm missing {permissions} there. Nothing was created; "
        "please give me these there, or use another channel.",
        channel=err.channel_id,
        permissions=join([_(PERMISSION_NAMES.get(name, name)) for name in err.missing]),
    )


explains(e.RoleInUse)(
    lambda err: _(
        "Someone holds or waits for a place as `{role}`, so that role stays. Leave it in the list "
        "(you can remove its free places).",
        role=clip(err.role, 32),
    )
)
explains(e.RolePlacesBelowTaken)(
    lambda err: n_(
        "{count} person already holds a place as `{role}`, so it can't have fewer than {count} places "
        "(you asked for {requested}).",
        "{count} people already hold a place as `{role}`, so it can't have fewer than {count} places "
        "(you asked for {requested}).",
        err.taken,
        role=clip(err.role, 32),
        requested=err.requested,
    )
)
explains(e.RolesTooLate)(
    lambda err: _(
        "Shift #{shift} already has people on it without roles, so roles can't be added now. "
        "You can offer a new shift with roles instead.",
        shift=err.shift_id,
    )
)
explains(e.PlacesFromRoles)(
    lambda err: _(
        "Shift #{shift} has roles, so its places are theirs added up; its number of places can't be set on its own.",
        shift=err.shift_id,
    )
)
explains(e.UnknownRepeat)(
    lambda err: _(
        "I can't read `{text}` as a repeat. Try `weekly`, `every 2 weeks`, `monthly on the first saturday`, "
        "`monthly on the 15th` or `mon, thu` (the suggestions while you type show them all).",
        text=clip(err.text, 40),
    )
)
explains(e.CheckInNotOpen)(
    lambda err: _(
        "Check-in for shift #{shift} opens {when}, half an hour before the start.",
        shift=err.shift_id,
        when=ts(err.opens_at, "R"),
    )
)
explains(e.CheckInOver)(lambda err: _("Shift #{shift} has ended, so check-in is over.", shift=err.shift_id))
explains(e.SignupClosed)(
    lambda err: _(
        "Sign-up for shift #{shift} closed {when}, so it takes no new claims. "
        "If you already hold a place, you can still leave it or hand it on.",
        shift=err.shift_id,
        when=ts(err.closes_at, "R"),
    )
)
explains(e.BadSignupClose)(
    lambda err: _(
        "I couldn't use `{text}` as the time sign-up closes: give a length before the start such as "
        "`2h before` or `1d before`, or a time between now and the start ({start}).",
        text=clip(err.text, 40),
        start=ts(err.starts_at, "f"),
    )
)
explains(e.ShiftCancelled)(
    lambda err: _("Shift #{shift} was cancelled, so its places can't change.", shift=err.shift_id)
)
explains(e.ShiftStarted)(
    lambda err: _("Shift #{shift} has already started, so its places can't change.", shift=err.shift_id)
)
explains(e.NotOnShift)(lambda err: _("You aren't on shift #{shift} (nor on its waitlist).", shift=err.shift_id))
explains(e.NotOfferer)(
    lambda err: _(
        "Only the member who offered shift #{shift} can change or cancel it. You can claim or leave a place yourself.",
        shift=err.shift_id,
    )
)
explains(e.PlacesBelowTaken)(
    lambda err: n_(
        "{count} person already holds a place, so the shift can't have fewer than {count} place "
        "(you asked for {requested}). Ask someone to hand off or leave first.",
        "{count} people already hold a place, so the shift can't have fewer than {count} places "
        "(you asked for {requested}). Ask someone to hand off or leave first.",
        err.taken,
        requested=err.requested,
    )
)
explains(e.HandoffToSelf)(lambda err: _("You already hold this place: choose another member to hand it to."))
explains(e.HandoffToBot)(lambda err: _("A bot can't take a shift: choose a member to hand your place to."))
explains(e.HandoffRecipientOnShift)(lambda err: _("That member already has a place on this shift."))
explains(e.HandoffGiverGone)(
    lambda err: _("The member who offered this place no longer holds it, so the offer has ended.")
)
explains(e.BadReminderOffset)(
    lambda err: _(
        "Reminders can be set from {low} to {high} before a shift "
        "(`{text}` is outside that). Example: `24h,1h`, or `off`.",
        low=span(err.low),
        high=span(err.high),
        text=clip(err.text, 20),
    )
)
explains(e.TooManyReminders)(
    lambda err: n_(
        "Please choose at most {count} reminder time (you gave {given}).",
        "Please choose at most {count} reminder times (you gave {given}).",
        err.limit,
        given=err.count,
    )
)

# --- rota ------------------------------------------------------------------------------------------
explains(e.AlreadyInRota)(
    lambda err: _("You are already in this rota. {show} shows when your turn comes.", show=slash("rota show"))
)
explains(e.NotInRota)(lambda err: _("You aren't in this rota. {join} adds you.", join=slash("rota join")))
explains(e.SwapWithSelf)(lambda err: _("You can't swap a turn with yourself: choose another member of the rota."))
explains(e.SwapNotInRota)(lambda err: _("That member isn't in this rota, so there is no turn to swap with them."))
explains(e.NoTurnToSwap)(lambda err: _("There is no upcoming turn to swap or pass for that member yet."))
explains(e.AwayInPast)(lambda err: _("That time away has already ended ({when}).", when=ts(err.ends, "D")))
explains(e.AwayReversed)(lambda err: _("The end of your time away must come after its start."))
explains(e.UnknownRota)(
    lambda err: _(
        "There is no rota called `{name}` here. Start typing in the rota option to see this "
        "server's rotas; someone with Manage Server can add one with {setup}.",
        name=clip(err.name, 32),
        setup=slash("setup rota"),
    )
)
explains(e.BadRotaName)(
    lambda err: _("A rota name is 2-32 characters: lowercase letters, digits and dashes (e.g. `note-taker`).")
)
_NOT_YOURS = {
    OfferKind.HANDOFF: N_("Only the member this place was offered to can answer it. Nothing changed."),
    OfferKind.SWAP: N_("Only the member this swap was offered to can answer it. Nothing changed."),
}
explains(e.OfferNotYours)(lambda err: _(_NOT_YOURS[err.kind]))
#: An offer that was already answered, by what it offered and how it ended: whole sentences, so each
#: language can make the state agree with the offer.
_CLOSED = {
    (OfferKind.HANDOFF, OfferStatus.PENDING): N_("That handoff is already pending; nothing changed."),
    (OfferKind.HANDOFF, OfferStatus.ACCEPTED): N_("That handoff is already accepted; nothing changed."),
    (OfferKind.HANDOFF, OfferStatus.DECLINED): N_("That handoff is already declined; nothing changed."),
    (OfferKind.HANDOFF, OfferStatus.LAPSED): N_("That handoff is already lapsed; nothing changed."),
    (OfferKind.HANDOFF, OfferStatus.WITHDRAWN): N_("That handoff is already withdrawn; nothing changed."),
    (OfferKind.SWAP, OfferStatus.PENDING): N_("That swap offer is already pending; nothing changed."),
    (OfferKind.SWAP, OfferStatus.ACCEPTED): N_("That swap offer is already accepted; nothing changed."),
    (OfferKind.SWAP, OfferStatus.DECLINED): N_("That swap offer is already declined; nothing changed."),
    (OfferKind.SWAP, OfferStatus.LAPSED): N_("That swap offer is already lapsed; nothing changed."),
    (OfferKind.SWAP, OfferStatus.WITHDRAWN): N_("That swap offer is already withdrawn; nothing changed."),
}
explains(e.OfferClosed)(lambda err: _(_CLOSED[err.kind, err.status]))
explains(e.AlreadyAsked)(
    lambda err: _(
        "You already asked {member} about this; they haven't answered yet. Nothing new was sent.",
        member=err.recipient_name,
    )
)
explains(e.SwapStale)(
    lambda err: _(
        "The turn order has changed since this swap was offered, so it no longer fits. Nothing changed; "
        "{show} has the new order, and {swap} can ask again.",
        show=slash("rota show"),
        swap=slash("rota swap"),
    )
)
explains(e.NobodyToTakeTurn)(
    lambda err: _("Nobody else in this rota is available to take that turn, so it stays yours. Nothing changed.")
)
explains(e.NotAway)(lambda err: _("You have no time away set in this rota, so there is nothing to end."))
explains(e.BadTurnTime)(
    lambda err: _("`{text}` isn't a time of day. Use 24-hour `HH:MM`, e.g. `18:00`.", text=clip(err.text, 20))
)
explains(e.BadTurnLength)(
    lambda err: n_(
        "A turn can last {low} to {count} day (you gave {value}).",
        "A turn can last {low} to {count} days (you gave {value}).",
        err.high,
        low=err.low,
        value=err.value,
    )
)

# --- decisions -------------------------------------------------------------------------------------
explains(e.BadDeadline)(
    lambda err: _(
        "A proposal can stay open from {low} to {high}. Try `48h` or `3d`.", low=span(err.low), high=span(err.high)
    )
)
explains(e.BadQuorum)(
    lambda err: n_(
        "The quorum must be between {low} and {count} member.",
        "The quorum must be between {low} and {count} members.",
        err.high,
        low=err.low,
    )
)
explains(e.ReasonRequired)(lambda err: _("A block needs a reason, so the group can understand and respond to it."))
explains(e.ProposalNotFound)(
    lambda err: _(
        "I can't find proposal #{proposal} in this server. {list} shows them.",
        proposal=err.proposal_id,
        list=slash("proposal list"),
    )
)

#: Why a proposal can't change any more, by its status (`{show}` is the command with its record).
_PROPOSAL_CLOSED = {
    "withdrawn": N_(
        "Proposal #{proposal} was withdrawn by its author, so it can't change any more. {show} has its record."
    ),
    "passed": N_("Proposal #{proposal} has closed (it passed), so it can't change any more. {show} has its record."),
    "failed": N_(
        "Proposal #{proposal} has closed (it did not pass), so it can't change any more. {show} has its record."
    ),
}


@explains(e.ProposalClosed)
def _proposal_closed(err: e.ProposalClosed) -> str:
    if err.status == "closing":
        return _(
            "Proposal #{proposal} has reached its deadline; its outcome is being posted. Nothing changed.",
            proposal=err.proposal_id,
        )
    text = _PROPOSAL_CLOSED.get(
        err.status, N_("Proposal #{proposal} has closed, so it can't change any more. {show} has its record.")
    )
    return _(text, proposal=err.proposal_id, show=slash("proposal show"))


explains(e.NotProposalAuthor)(
    lambda err: _(
        "Only the member who proposed #{proposal} can withdraw it. "
        "You can take a position with the buttons on its card, or say why in its thread.",
        proposal=err.proposal_id,
    )
)
explains(e.ActionBeforeClose)(
    lambda err: _(
        "The action starts {starts}, before the proposal closes ({closes}), "
        "so it couldn't be decided in time. Pick a later time or a shorter `closes_in`.",
        starts=ts(err.starts_at),
        closes=ts(err.closes_at),
    )
)

# --- settings --------------------------------------------------------------------------------------
explains(UnknownTimezone)(
    lambda err: _(
        "`{name}` isn't a time zone I know. Pick one from the list, such as `Europe/London` or `America/New_York`.",
        name=clip(err.name, 40),
    )
)


def _permission(name: str) -> str:
    """A Discord permission by the name members see in their Discord (the domain names it in English)."""
    if name == "Manage Server":
        return p_("Discord permission", "Manage Server")
    return name


explains(MissingPermission)(
    lambda err: _(
        "Changing this needs the **{permission}** permission in Discord. Anyone can see the settings with {show}.",
        permission=_permission(err.permission),
        show=slash("setup show"),
    )
)
explains(NothingToChange)(lambda err: _("Nothing to change: please fill in at least one option."))
explains(DecidedByGroup)(
    lambda err: _(
        "This server's settings are changed by the group's decision, so nothing was changed. Use {setup} "
        "again: it opens a proposal for the group to decide.",
        setup=slash("setup"),
    )
)
explains(BadRetention)(lambda err: _("Please choose between {low} and {high} days.", low=err.low, high=err.high))
explains(OthersNotShown)(
    lambda err: _(
        "This server shows members' names only to those on the same shift, so the record can't be picked out "
        "for another member. Leave out the member to see everyone's, or choose yourself."
    )
)
