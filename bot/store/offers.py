"""Ending an offer (a shift handoff or a rota swap), guarded so that only an open one can end."""

from __future__ import annotations

from bot.domain.states import OfferKind, OfferStatus
from bot.store.database import Tx

_TABLES = {OfferKind.HANDOFF: "shift_handoffs", OfferKind.SWAP: "rota_swaps"}
#: How an offer reaches its server: through its shift, or through its rota.
_SERVER_OF = {
    OfferKind.HANDOFF: "SELECT s.guild_id FROM shift_handoffs o JOIN shifts s ON s.id = o.shift_id WHERE o.id = ?",
    OfferKind.SWAP: "SELECT r.guild_id FROM rota_swaps o JOIN rotas r ON r.id = o.rota_id WHERE o.id = ?",
}


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
