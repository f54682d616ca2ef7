"""Offers (shift handoffs and rota swaps): the open one between two members, and ending one, guarded
so that only an open one can end."""

from __future__ import annotations

from bot.domain.states import OfferKind, OfferStatus
from bot.store.database import Tx

_TABLES = {OfferKind.HANDOFF: "shift_handoffs", OfferKind.SWAP: "rota_swaps"}
#: How an offer reaches its server: through its shift, or through its rota.
_SERVER_OF = {
    OfferKind.HANDOFF: "SELECT s.guild_id FROM shift_handoffs o JOIN shifts s ON s.id = o.shift_id WHERE o.id = ?",
    OfferKind.SWAP: "SELECT r.guild_id FROM rota_swaps o JOIN rotas r ON r.id = o.rota_id WHERE o.id = ?",
}


#: The columns naming one question: what it is about, who asked, and whom (see migration 0014).
_PAIR = {
    OfferKind.HANDOFF: ("shift_id", "giver_id", "recipient_id"),
    OfferKind.SWAP: ("rota_id", "requester_id", "other_id"),
}


async def open_offer_between(
    tx: Tx, kind: OfferKind, about_id: int, *, offerer_id: int, recipient_id: int
) -> int | None:
    """The unanswered offer `offerer_id` made to `recipient_id` about this shift or rota, if any.

    Read in the transaction that would create the next one, which holds the server's write lock, so
    two repeats at once cannot both miss each other; the partial unique index of migration 0014
    (one pending row per pair) is the database's own guarantee of the same rule.
    """
    about, offerer, recipient = _PAIR[kind]
    value = await tx.fetchval(
        f"SELECT id FROM {_TABLES[kind]} WHERE {about} = ? AND {offerer} = ? AND {recipient} = ?"
        " AND status = 'pending'",
        (about_id, offerer_id, recipient_id),
    )
    return None if value is None else int(value)


async def guild_of(tx: Tx, kind: OfferKind, offer_id: int) -> int | None:
    """The server an offer belongs to (None if there is no such offer)."""
    value = await tx.fetchval(_SERVER_OF[kind], (offer_id,))
    return None if value is None else int(value)


async def end(tx: Tx, kind: OfferKind, offer_id: int, status: OfferStatus, *, now: float) -> bool:
    """Give a pending offer its final `status`; False if it had already ended (nothing changes).

    The `status = 'pending'` guard is the state machine of `bot.domain.offers` in SQL: two answers
    racing each other cannot both end the same offer.
    """
    changed = await tx.execute(
        f"UPDATE {_TABLES[kind]} SET status = ?, settled_at = ? WHERE id = ? AND status = 'pending'",
        (status.value, now, offer_id),
    )
    return changed == 1
