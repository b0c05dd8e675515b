-- Key custody (src/service/vault_key.rs). Every master key made from now on has its own
-- keychain account, vault-<vault id>-<key id>, so a reset never overwrites a key that a
-- copy of this vault may still use. NULL means the original account, vault-<vault id>.
ALTER TABLE vault ADD COLUMN key_account TEXT;

-- Keys a reset retired, with their key-check values, so that what they sealed can be
-- opened again if the key comes back to the keychain.
CREATE TABLE retired_keys (
    key_account TEXT PRIMARY KEY,
    key_check   BLOB,
    retired_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Sealed fields a reset set aside instead of deleting: kept until their key returns
-- (`entryguard vault recover`) or an admin purges them (`entryguard vault purge`).
CREATE TABLE quarantined_fields (
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    field         TEXT NOT NULL,
    blob          BLOB NOT NULL,
    key_account   TEXT NOT NULL,
    PRIMARY KEY (credential_id, field, key_account)
) WITHOUT ROWID;
