-- A card refresh one process asked another for (the process that runs the card's server edits it).
-- Kept until that process has edited the card, so a refresh asked while it is down is done when it
-- starts. `version` counts the asks: the row is removed only if no newer ask came meanwhile.

CREATE TABLE stale_cards (
    kind       TEXT   NOT NULL,
    card_id    INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    guild_id   INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, card_id)
);
