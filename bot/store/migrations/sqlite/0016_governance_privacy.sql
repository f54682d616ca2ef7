-- Issue 16: the group governs its own settings, chooses how visible its members are, and keeps less.
-- governance: who changes settings ('organisers': Manage Server at once; 'group': always by proposal).
-- names: 'shown' everywhere, or only to the holders of a shift ('holders'); public texts show counts.
-- retention_days: finished shifts, closed proposals and log entries older than this are anonymised.
-- A settings-change proposal carries the change it applies when it passes (JSON {setting: value}).
-- audit_log.anonymised_at marks entries the retention job has already scrubbed.

ALTER TABLE guild_settings ADD COLUMN governance TEXT NOT NULL DEFAULT 'organisers'
    CHECK (governance IN ('organisers', 'group'));
ALTER TABLE guild_settings ADD COLUMN names TEXT NOT NULL DEFAULT 'shown' CHECK (names IN ('shown', 'holders'));
ALTER TABLE guild_settings ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 180
    CHECK (retention_days BETWEEN 1 AND 3650);
ALTER TABLE proposals ADD COLUMN settings_change TEXT;
ALTER TABLE audit_log ADD COLUMN anonymised_at REAL;
