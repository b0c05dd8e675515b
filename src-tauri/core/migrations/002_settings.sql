-- Preferences that belong to the vault rather than to one window, e.g. when a key counts
-- as old enough to rotate.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
