-- How long before a shift each holder is asked "still coming?" (minutes; 0: never asked).

ALTER TABLE guild_settings ADD COLUMN still_coming_minutes INTEGER NOT NULL DEFAULT 1440;
