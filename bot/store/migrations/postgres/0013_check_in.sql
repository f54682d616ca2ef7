-- When a holder checked themselves in ("I'm here"), from 30 minutes before the start to the end.
-- Only the member does it; a shift nobody checked in for is counted as before. Never shown per shift.

ALTER TABLE shift_places ADD COLUMN checked_in_at DOUBLE PRECISION;
