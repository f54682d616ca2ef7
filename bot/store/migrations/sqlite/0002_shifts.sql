-- Shifts that members offer and claim, their waitlists, handoffs, and members' reminder choices.

CREATE TABLE shifts (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    series_id     INTEGER,
    offerer_id    INTEGER NOT NULL,
    offerer_name  TEXT    NOT NULL,
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL CHECK (ends_at > starts_at),
    location      TEXT    NOT NULL,
    notes         TEXT    NOT NULL DEFAULT '',
    places        INTEGER NOT NULL CHECK (places BETWEEN 1 AND 50),
    taken         INTEGER NOT NULL DEFAULT 0 CHECK (taken BETWEEN 0 AND places),
    cancelled_at  REAL,
    cancel_reason TEXT,
    channel_id    INTEGER,
    message_id    INTEGER,
    thread_id     INTEGER,
    proposal_id   INTEGER,
    created_at    REAL    NOT NULL
);
CREATE INDEX shifts_by_guild_start ON shifts (guild_id, starts_at);
CREATE INDEX shifts_by_message ON shifts (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE shift_places (
    shift_id   INTEGER NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    user_name  TEXT    NOT NULL,
    claimed_at REAL    NOT NULL,
    PRIMARY KEY (shift_id, user_id)
) WITHOUT ROWID;
CREATE INDEX shift_places_by_user ON shift_places (user_id, shift_id);

CREATE TABLE shift_waitlist (
    shift_id  INTEGER NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    user_name TEXT    NOT NULL,
    joined_at REAL    NOT NULL,
    PRIMARY KEY (shift_id, user_id)
) WITHOUT ROWID;
CREATE INDEX shift_waitlist_order ON shift_waitlist (shift_id, joined_at, user_id);
CREATE INDEX shift_waitlist_by_user ON shift_waitlist (user_id, shift_id);

CREATE TABLE shift_handoffs (
    id             INTEGER PRIMARY KEY,
    shift_id       INTEGER NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    giver_id       INTEGER NOT NULL,
    giver_name     TEXT    NOT NULL,
    recipient_id   INTEGER NOT NULL,
    recipient_name TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'pending',
    created_at     REAL    NOT NULL,
    settled_at     REAL
);
CREATE INDEX shift_handoffs_by_shift ON shift_handoffs (shift_id, status);

CREATE TABLE member_prefs (
    guild_id         INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,
    reminder_offsets TEXT,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
