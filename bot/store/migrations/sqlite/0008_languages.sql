-- The language each member last used with Rota (for the DMs Rota sends them later), and the
-- language a server chose for what everyone reads (NULL: its Discord language, else English).

ALTER TABLE guild_settings ADD COLUMN language TEXT;

CREATE TABLE member_languages (
    user_id    INTEGER PRIMARY KEY,
    language   TEXT NOT NULL,
    updated_at REAL NOT NULL
);
