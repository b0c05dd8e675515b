-- The vault: one row. Holds the vault id (the keychain account is `vault-<id>`) and the
-- key-check value, a sealed constant that proves a key from the keychain is the right one.
CREATE TABLE vault (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    vault_id   TEXT NOT NULL,
    key_check  BLOB,
    created_at TEXT NOT NULL
);

-- Credential metadata, in clear. Secrets live sealed in secret_fields.
CREATE TABLE credentials (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL UNIQUE,           -- lower-cased trimmed name
    provider      TEXT NOT NULL,
    type          TEXT NOT NULL,
    environment   TEXT,
    public_fields TEXT NOT NULL DEFAULT '{}',     -- non-secret provider fields, JSON
    hint          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'UNVERIFIED'
                  CHECK (status IN ('VALID', 'INVALID', 'UNVERIFIED')),
    status_reason TEXT,
    identity      TEXT,
    checking      INTEGER NOT NULL DEFAULT 0,
    generation    INTEGER NOT NULL DEFAULT 1,     -- bumped when secrets change
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    verified_at   TEXT,
    rotated_at    TEXT,
    next_check_at TEXT
);

CREATE TABLE secret_fields (
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    field         TEXT NOT NULL,
    blob          BLOB NOT NULL,
    PRIMARY KEY (credential_id, field)
) WITHOUT ROWID;

-- Cloud resources EntryGuard created with a credential; they go with it.
CREATE TABLE cloud_resources (
    id            TEXT PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX cloud_resources_by_credential ON cloud_resources(credential_id);

-- Append-only history. credential_id is deliberately not a foreign key: events outlive
-- the credential they describe.
CREATE TABLE audit_events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    credential_id   TEXT,
    credential_name TEXT,
    kind            TEXT NOT NULL,
    details         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_by_credential ON audit_events(credential_id, seq);
CREATE TRIGGER audit_events_are_append_only_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_are_append_only_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
