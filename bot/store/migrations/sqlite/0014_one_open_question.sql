-- One open question per pair: while a member hasn't answered, the same member can't ask them again
-- about the same shift (a handoff) or the same rota (a swap). The services check it in the
-- transaction that creates the offer; these partial unique indexes are the database's guarantee.
-- Older duplicates (none are expected: asking again used to withdraw the earlier offer first) are
-- withdrawn at the moment the newest of their pair was made.

UPDATE shift_handoffs SET status = 'withdrawn', settled_at = (
    SELECT MAX(n.created_at) FROM shift_handoffs n
    WHERE n.shift_id = shift_handoffs.shift_id AND n.giver_id = shift_handoffs.giver_id
      AND n.recipient_id = shift_handoffs.recipient_id AND n.status = 'pending'
)
WHERE status = 'pending' AND EXISTS (
    SELECT 1 FROM shift_handoffs n
    WHERE n.shift_id = shift_handoffs.shift_id AND n.giver_id = shift_handoffs.giver_id
      AND n.recipient_id = shift_handoffs.recipient_id AND n.status = 'pending' AND n.id > shift_handoffs.id
);
CREATE UNIQUE INDEX shift_handoffs_one_open ON shift_handoffs (shift_id, giver_id, recipient_id)
    WHERE status = 'pending';

UPDATE rota_swaps SET status = 'withdrawn', settled_at = (
    SELECT MAX(n.created_at) FROM rota_swaps n
    WHERE n.rota_id = rota_swaps.rota_id AND n.requester_id = rota_swaps.requester_id
      AND n.other_id = rota_swaps.other_id AND n.status = 'pending'
)
WHERE status = 'pending' AND EXISTS (
    SELECT 1 FROM rota_swaps n
    WHERE n.rota_id = rota_swaps.rota_id AND n.requester_id = rota_swaps.requester_id
      AND n.other_id = rota_swaps.other_id AND n.status = 'pending' AND n.id > rota_swaps.id
);
CREATE UNIQUE INDEX rota_swaps_one_open ON rota_swaps (rota_id, requester_id, other_id)
    WHERE status = 'pending';
