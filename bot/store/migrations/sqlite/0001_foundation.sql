-- Server settings, the public audit log, durable scheduler jobs and small key/value metadata.

CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    timezone            TEXT    NOT NULL DEFAULT 'UTC',
    shift_channel_id    INTEGER,
    announce_channel_id INTEGER,
    log_channel_id      INTEGER,
    decision_rule       TEXT    NOT NULL DEFAULT 'consent'
                                CHECK (decision_rule IN ('consent', 'consensus', 'majority')),
    decision_minutes    INTEGER NOT NULL DEFAULT 2880 CHECK (decision_minutes BETWEEN 10 AND 86400),
    reminder_offsets    TEXT    NOT NULL DEFAULT '24h,1h',
    updated_at          REAL    NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('shifts', 'rota', 'proposals', 'settings', 'data')),
    action      TEXT    NOT NULL,
    subject     TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT '{}',
    created_at  REAL    NOT NULL
);
CREATE INDEX audit_by_guild_time ON audit_log (guild_id, created_at DESC);
CREATE INDEX audit_by_actor ON audit_log (guild_id, actor_id, created_at DESC);

CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    due_at      REAL    NOT NULL,
    payload     TEXT    NOT NULL DEFAULT '{}',
    state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    key         TEXT UNIQUE,
    created_at  REAL    NOT NULL,
    finished_at REAL
);
CREATE INDEX jobs_pending_by_due ON jobs (due_at) WHERE state = 'pending';

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
