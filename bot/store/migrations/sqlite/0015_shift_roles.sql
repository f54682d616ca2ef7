-- Roles on a shift ("3 leafleters, 1 driver"): each with its own places and its own waitlist. A
-- place or a waitlist entry names its role by position (1, 2...); 0 means the shift has no roles.
-- The shift's own places and taken stay the totals, so every existing rule and listing holds.

CREATE TABLE shift_roles (
    shift_id INTEGER NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    places   INTEGER NOT NULL CHECK (places BETWEEN 1 AND 50),
    taken    INTEGER NOT NULL DEFAULT 0 CHECK (taken BETWEEN 0 AND places),
    PRIMARY KEY (shift_id, position)
);

ALTER TABLE shift_places ADD COLUMN role INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shift_waitlist ADD COLUMN role INTEGER NOT NULL DEFAULT 0;
