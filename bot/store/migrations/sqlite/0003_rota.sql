-- Rotas (facilitator and any others a server adds), their pools with history kept after leaving,
-- away windows, turns (held, handed on, passed, and future turns fixed by swaps and passes) and
-- swap offers.

CREATE TABLE rotas (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    name             TEXT    NOT NULL,
    turn_length_days INTEGER NOT NULL DEFAULT 7 CHECK (turn_length_days BETWEEN 1 AND 28),
    anchor_weekday   INTEGER NOT NULL DEFAULT 0 CHECK (anchor_weekday BETWEEN 0 AND 6),
    anchor_time      TEXT    NOT NULL DEFAULT '18:00',
    role_id          INTEGER,
    next_handover_at INTEGER,
    created_at       REAL    NOT NULL,
    UNIQUE (guild_id, name)
);

-- One row per member per rota, kept after leaving (left_at set) so rejoining never jumps the queue.
CREATE TABLE rota_members (
    rota_id      INTEGER NOT NULL REFERENCES rotas (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    user_name    TEXT    NOT NULL,
    joined_at    REAL    NOT NULL,
    left_at      REAL,
    last_held_at INTEGER,
    turns_held   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (rota_id, user_id)
) WITHOUT ROWID;
CREATE INDEX rota_members_active ON rota_members (rota_id, joined_at) WHERE left_at IS NULL;

CREATE TABLE rota_away (
    id         INTEGER PRIMARY KEY,
    rota_id    INTEGER NOT NULL REFERENCES rotas (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    starts     INTEGER NOT NULL,
    ends       INTEGER NOT NULL CHECK (ends > starts),
    created_at REAL    NOT NULL
);
CREATE INDEX rota_away_by_rota ON rota_away (rota_id, ends);

-- status: held (started; current or past), vacant (started, nobody available), handed_on (the
-- holder left mid-turn; counts as held), passed (given up; does not count), assigned (a future
-- turn fixed by a swap or a pass: `reason`).
CREATE TABLE rota_turns (
    id         INTEGER PRIMARY KEY,
    rota_id    INTEGER NOT NULL REFERENCES rotas (id) ON DELETE CASCADE,
    starts     INTEGER NOT NULL,
    ends       INTEGER NOT NULL CHECK (ends > starts),
    user_id    INTEGER,
    status     TEXT    NOT NULL CHECK (status IN ('held', 'vacant', 'handed_on', 'passed', 'assigned')),
    reason     TEXT,
    created_at REAL    NOT NULL
);
CREATE UNIQUE INDEX rota_turns_one_holder ON rota_turns (rota_id, starts) WHERE status IN ('held', 'vacant', 'assigned');
CREATE INDEX rota_turns_by_rota ON rota_turns (rota_id, starts DESC);
CREATE INDEX rota_turns_by_user ON rota_turns (rota_id, user_id, status);

CREATE TABLE rota_swaps (
    id              INTEGER PRIMARY KEY,
    rota_id         INTEGER NOT NULL REFERENCES rotas (id) ON DELETE CASCADE,
    requester_id    INTEGER NOT NULL,
    requester_name  TEXT    NOT NULL,
    requester_turn  INTEGER NOT NULL,
    other_id        INTEGER NOT NULL,
    other_name      TEXT    NOT NULL,
    other_turn      INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'accepted', 'declined', 'lapsed', 'withdrawn')),
    created_at      REAL    NOT NULL,
    settled_at      REAL
);
CREATE INDEX rota_swaps_pending ON rota_swaps (rota_id, status);
