-- A shift's calendar revision: `revision` counts the changes a calendar shows (time, place, notes,
-- places, cancelling) and `updated_at` is when the last one was made, so an .ics file re-imported
-- after a change carries a higher SEQUENCE and a later LAST-MODIFIED. Existing shifts start at
-- revision 0, last changed when they were created.

ALTER TABLE shifts ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shifts ADD COLUMN updated_at DOUBLE PRECISION;
UPDATE shifts SET updated_at = created_at;
