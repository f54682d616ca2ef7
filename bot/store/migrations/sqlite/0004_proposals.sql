-- Proposals the group decides by its own rule, and each member's one position on each.

CREATE TABLE proposals (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    author_id      INTEGER NOT NULL,
    author_name    TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    rule           TEXT    NOT NULL CHECK (rule IN ('consent', 'consensus', 'majority')),
    quorum         INTEGER NOT NULL CHECK (quorum BETWEEN 0 AND 1000),
    opened_at      REAL    NOT NULL,
    closes_at      INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'open'
                           CHECK (status IN ('open', 'passed', 'failed', 'withdrawn')),
    outcome_reason TEXT,
    closed_at      REAL,
    action_starts_at INTEGER,
    action_where   TEXT,
    action_places  INTEGER CHECK (action_places IS NULL OR action_places BETWEEN 1 AND 50),
    channel_id     INTEGER,
    message_id     INTEGER,
    thread_id      INTEGER
);
CREATE INDEX proposals_by_guild_status ON proposals (guild_id, status, closes_at);

CREATE TABLE proposal_positions (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    user_name   TEXT    NOT NULL,
    position    TEXT    NOT NULL CHECK (position IN ('agree', 'abstain', 'disagree', 'block')),
    reason      TEXT,
    updated_at  REAL    NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
) WITHOUT ROWID;
CREATE INDEX proposal_positions_by_user ON proposal_positions (user_id, proposal_id);
