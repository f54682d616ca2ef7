-- Calendar subscription links: each member has at most one link per kind in each server ('mine':
-- their own shifts; 'group': the server's open places, counts only). Only the SHA-256 of a link's
-- random token is kept, so a copy of the database lets nobody read a feed; a new link replaces the
-- row, which kills the old one at once.

CREATE TABLE calendar_feeds (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('mine', 'group')),
    token_hash TEXT    NOT NULL UNIQUE,
    created_at REAL    NOT NULL,
    PRIMARY KEY (guild_id, user_id, kind)
);
