"""Every sentence a member reads about a mistake, in one place (easy to review and to translate).

`explain(error)` turns a typed domain error into a polite message that says how to fix the input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bot.domain import errors as e
from bot.domain.settings import MissingPermission, NothingToChange, UnknownTimezone
from bot.domain.states import OfferKind
from bot.ui.format import clip, span, ts

E = TypeVar("E", bound=e.RotaError)
_EXPLAINERS: dict[type[e.RotaError], Callable[[Any], str]] = {}

TIME_EXAMPLES = "`sat 10am`, `tomorrow 14:00`, `5 dec 10:00` or `2026-12-05 10:00`"
DURATION_EXAMPLES = "`2h`, `90m` or `1h30m`"


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
    return "That didn't work, and nothing was changed. Please check what you typed and try again."


def explain_unusable_option(kind: str) -> str:
    """Discord let through something this server can't use (a user who isn't a member, say)."""
    what = {"user": "member", "role": "role", "channel": "channel"}.get(kind, "choice")
    return f"I can't use that {what} here: choose a {what} of this server and try again."


def _field(name: str) -> str:
    return name.replace("_", " ")


# --- text ------------------------------------------------------------------------------------------
explains(e.TextRequired)(lambda err: f"Please fill in the {_field(err.field)}: it can't be empty.")
explains(e.TextTooLong)(
    lambda err: f"The {_field(err.field)} is {err.length} characters long; please keep it to {err.limit}."
)
explains(e.MentionNotAllowed)(
    lambda err: (
        f"The {_field(err.field)} can't contain mentions such as `{clip(err.mention, 40)}`: "
        "Rota never lets member text ping anyone. Write the name without the @ instead."
    )
)

# --- time ------------------------------------------------------------------------------------------
explains(e.UnparseableTime)(
    lambda err: (
        f"I couldn't read `{clip(err.text, 60)}` as a date and time. Try {TIME_EXAMPLES} (in the server's time zone)."
    )
)
explains(e.TimeInPast)(lambda err: f"That time ({ts(err.when)}) has already passed. Please pick a time ahead.")
explains(e.TooFarAhead)(
    lambda err: f"That is too far ahead ({ts(err.when, 'D')}): Rota plans up to {err.max_days} days ahead."
)


@explains(e.BadDuration)
def _bad_duration(err: e.BadDuration) -> str:
    if err.low is None or err.high is None:
        return f"I couldn't read `{clip(err.text, 40)}` as a length of time. Try {DURATION_EXAMPLES}."
    given = clip(err.text, 40)
    return f"Please choose a length between {span(err.low)} and {span(err.high)} (you gave `{given}`)."


explains(e.BadRepeatCount)(
    lambda err: f"A weekly repeat can run from {err.low} to {err.high} times (you asked for {err.value})."
)

# --- shifts ----------------------------------------------------------------------------------------
explains(e.BadPlaces)(lambda err: f"A shift needs between {err.low} and {err.high} places (you asked for {err.value}).")
explains(e.ShiftNotFound)(
    lambda err: f"I can't find shift #{err.shift_id} in this server. `/shift list` shows the upcoming ones."
)
explains(e.ShiftCancelled)(lambda err: f"Shift #{err.shift_id} was cancelled, so its places can't change.")
explains(e.ShiftStarted)(lambda err: f"Shift #{err.shift_id} has already started, so its places can't change.")
explains(e.NotOnShift)(lambda err: f"You aren't on shift #{err.shift_id} (nor on its waitlist).")
explains(e.NotOfferer)(
    lambda err: (
        f"Only the member who offered shift #{err.shift_id} can change or cancel it. "
        "You can claim or leave a place yourself."
    )
)
explains(e.PlacesBelowTaken)(
    lambda err: (
        f"{err.taken} people already hold a place, so the shift can't have fewer than {err.taken} "
        f"places (you asked for {err.requested}). Ask someone to hand off or leave first."
    )
)
explains(e.HandoffToSelf)(lambda err: "You already hold this place: choose another member to hand it to.")
explains(e.HandoffToBot)(lambda err: "A bot can't take a shift: choose a member to hand your place to.")
explains(e.HandoffRecipientOnShift)(lambda err: "That member already has a place on this shift.")
explains(e.HandoffGiverGone)(
    lambda err: "The member who offered this place no longer holds it, so the offer has ended."
)
explains(e.BadReminderOffset)(
    lambda err: (
        f"Reminders can be set from {span(err.low)} to {span(err.high)} before a shift "
        f"(`{clip(err.text, 20)}` is outside that). Example: `24h,1h`, or `off`."
    )
)
explains(e.TooManyReminders)(lambda err: f"Please choose at most {err.limit} reminder times (you gave {err.count}).")

# --- rota ------------------------------------------------------------------------------------------
explains(e.AlreadyInRota)(lambda err: "You are already in this rota. `/rota show` shows when your turn comes.")
explains(e.NotInRota)(lambda err: "You aren't in this rota. `/rota join` adds you.")
explains(e.SwapWithSelf)(lambda err: "You can't swap a turn with yourself: choose another member of the rota.")
explains(e.SwapNotInRota)(lambda err: "That member isn't in this rota, so there is no turn to swap with them.")
explains(e.NoTurnToSwap)(lambda err: "There is no upcoming turn to swap or pass for that member yet.")
explains(e.AwayInPast)(lambda err: f"That time away has already ended ({ts(err.ends, 'D')}).")
explains(e.AwayReversed)(lambda err: "The end of your time away must come after its start.")
explains(e.UnknownRota)(
    lambda err: (
        f"There is no rota called `{clip(err.name, 32)}` here. Start typing in the rota option to see this "
        "server's rotas; someone with Manage Server can add one with `/setup rota`."
    )
)
explains(e.BadRotaName)(
    lambda err: "A rota name is 2-32 characters: lowercase letters, digits and dashes (e.g. `note-taker`)."
)
_OFFERED = {OfferKind.HANDOFF: "this place", OfferKind.SWAP: "this swap"}
_OFFER_NAMES = {OfferKind.HANDOFF: "That handoff", OfferKind.SWAP: "That swap offer"}
explains(e.OfferNotYours)(
    lambda err: f"Only the member {_OFFERED[err.kind]} was offered to can answer it. Nothing changed."
)
explains(e.OfferClosed)(lambda err: f"{_OFFER_NAMES[err.kind]} is already {err.status.value}; nothing changed.")
explains(e.SwapStale)(
    lambda err: (
        "The turn order has changed since this swap was offered, so it no longer fits. Nothing changed; "
        "`/rota show` has the new order, and `/rota swap` can ask again."
    )
)
explains(e.NobodyToTakeTurn)(
    lambda err: "Nobody else in this rota is available to take that turn, so it stays yours. Nothing changed."
)
explains(e.NotAway)(lambda err: "You have no time away set in this rota, so there is nothing to end.")
explains(e.BadTurnTime)(lambda err: f"`{clip(err.text, 20)}` isn't a time of day. Use 24-hour `HH:MM`, e.g. `18:00`.")
explains(e.BadTurnLength)(lambda err: f"A turn can last {err.low} to {err.high} days (you gave {err.value}).")

# --- decisions -------------------------------------------------------------------------------------
explains(e.BadDeadline)(
    lambda err: f"A proposal can stay open from {span(err.low)} to {span(err.high)}. Try `48h` or `3d`."
)
explains(e.BadQuorum)(lambda err: f"The quorum must be between {err.low} and {err.high} members.")
explains(e.ReasonRequired)(lambda err: "A block needs a reason, so the group can understand and respond to it.")
explains(e.ProposalNotFound)(
    lambda err: f"I can't find proposal #{err.proposal_id} in this server. `/proposal list` shows them."
)


@explains(e.ProposalClosed)
def _proposal_closed(err: e.ProposalClosed) -> str:
    if err.status == "closing":
        return f"Proposal #{err.proposal_id} has reached its deadline; its outcome is being posted. Nothing changed."
    state = {
        "withdrawn": "was withdrawn by its author",
        "passed": "has closed (it passed)",
        "failed": "has closed (it did not pass)",
    }.get(err.status, "has closed")
    return f"Proposal #{err.proposal_id} {state}, so it can't change any more. `/proposal show` has its record."


explains(e.NotProposalAuthor)(
    lambda err: (
        f"Only the member who proposed #{err.proposal_id} can withdraw it. "
        "You can take a position with the buttons on its card, or say why in its thread."
    )
)
explains(e.ActionBeforeClose)(
    lambda err: (
        f"The action starts {ts(err.starts_at)}, before the proposal closes ({ts(err.closes_at)}), "
        "so it couldn't be decided in time. Pick a later time or a shorter `closes_in`."
    )
)

# --- settings --------------------------------------------------------------------------------------
explains(UnknownTimezone)(
    lambda err: (
        f"`{clip(err.name, 40)}` isn't a time zone I know. Pick one from the list, "
        "such as `Europe/London` or `America/New_York`."
    )
)
explains(MissingPermission)(
    lambda err: (
        f"Changing this needs the **{err.permission}** permission in Discord. "
        "Anyone can see the settings with `/setup show`."
    )
)
explains(NothingToChange)(lambda err: "Nothing to change: please fill in at least one option.")
