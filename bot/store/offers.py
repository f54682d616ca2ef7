"""Ending an offer (a shift handoff or a rota swap), guarded so that only an open one can end."""

from __future__ import annotations

from bot.domain.states import OfferKind, OfferStatus
from bot.store.database import Tx

_TABLES = {OfferKind.HANDOFF: "shift_handoffs", OfferKind.SWAP: "rota_swaps"}


async def end(tx: Tx, kind: OfferKind, offer_id: int, status: OfferStatus, *, now: float) -> bool:
    """Give a pending offer its final `status`; False if it had already ended (nothing changes).

    The `status = 'pending'` guard is the state machine of `bot.domain.offers` in SQL: two answers
    racing each other cannot both end the same offer.
    """
    cur = await tx.execute(
        f"UPDATE {_TABLES[kind]} SET status = ?, settled_at = ? WHERE id = ? AND status = 'pending'",
        (status.value, now, offer_id),
    )
    return cur.rowcount == 1
