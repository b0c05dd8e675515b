//! Key custody. The vault's first promise is that it never loses a secret, so:
//! - the master key lives in the keychain under an account of its own
//!   (`vault-<vault id>-<key id>`; vaults made before that use `vault-<vault id>`), and the
//!   vault row names the account, so copies of a vault never overwrite each other's key;
//! - every use of the cached key first reads that row (one single-row read): a process
//!   notices at once when another one reset the vault, and reloads the new key;
//! - a key is made only for a vault with nothing sealed, under the vault lock, so two
//!   processes adding the first credentials at once end with one key;
//! - a reset happens only when the key is missing or wrong (or when forced), stores the new
//!   key before changing anything, and sets the old ciphertext aside (quarantine) instead of
//!   deleting it: it opens again if its key comes back ([`CredentialService::recover`]).
//!
//! Sealing and opening happen here too, so no other file holds the key.

use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use secrecy::{ExposeSecret, SecretString};

use super::CredentialService;
use crate::crypto::{self, Binding};
use crate::error::{Error, Result};
use crate::model::{CredentialEvent, RecoverReport, Status, VaultState, VaultStatus};
use crate::secret::MasterKey;
use crate::store;

const KEY_CHECK: &[u8] = b"EntryGuard vault key check v1";
const KEY_CHECK_ID: &str = "vault";
const KEY_CHECK_FIELD: &str = "key_check";
/// What an admin types to confirm a vault reset or a purge.
pub const RESET_CONFIRMATION: &str = "RESET";

/// The master key and the keychain account it came from.
pub(super) struct VaultKey {
    pub account: String,
    pub key: MasterKey,
}

/// A version 1 blob with what its destination is made from: credential id, provider,
/// public fields (JSON), field, blob.
type LegacyBlob = (String, String, String, String, Vec<u8>);

/// Secret fields sealed under one key, ready to insert while that key is still the vault's.
pub(super) struct SealedFields {
    pub account: String,
    pub fields: Vec<(&'static str, Vec<u8>)>,
}

/// Sealed blobs by field name, as read from the store.
pub(super) type Blobs = Vec<(String, Vec<u8>)>;

/// The vault row's key columns.
struct KeyRow {
    account: String,
    check: Option<Vec<u8>>,
}

impl CredentialService {
    /// The keychain account holding this vault's current key.
    pub fn keychain_account(&self) -> String {
        self.key_row()
            .map(|row| row.account)
            .unwrap_or_else(|_| self.original_account())
    }

    fn original_account(&self) -> String {
        format!("vault-{}", self.vault_id)
    }

    fn key_row(&self) -> Result<KeyRow> {
        Ok(self.key_row_and_sealed()?.0)
    }

    /// The key columns and whether any secret is sealed, read in one statement.
    fn key_row_and_sealed(&self) -> Result<(KeyRow, bool)> {
        // Read for every check and save: from the statement cache.
        let (account, check, sealed): (Option<String>, Option<Vec<u8>>, bool) = self
            .db()
            .prepare_cached(
                "SELECT key_account, key_check, EXISTS (SELECT 1 FROM secret_fields) FROM vault",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let account = account.unwrap_or_else(|| self.original_account());
        Ok((KeyRow { account, check }, sealed))
    }

    /// The master key if this process holds the one the vault row names; never asks the
    /// keychain, nor waits for a thread that is asking it (that thread holds the cache).
    pub(super) fn key_in_memory(&self) -> Result<Option<Arc<VaultKey>>> {
        let row = self.key_row()?;
        let cached = match self.key.try_lock() {
            Ok(cached) => cached,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(None),
        };
        Ok(cached.clone().filter(|key| key.account == row.account))
    }

    /// The master key. Cached per process, but only while the vault row still names the
    /// account it came from. With `create`, a vault with nothing sealed gets a new key.
    pub(super) fn key(&self, create: bool) -> Result<Option<Arc<VaultKey>>> {
        let row = self.key_row()?;
        let mut cached = self.key.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(key) = cached.as_ref() {
            if key.account == row.account {
                return Ok(Some(key.clone()));
            }
            tracing::info!("the vault's key changed in another process; loading the new one");
            *cached = None;
        }
        let key = match self.keys.load(&row.account)? {
            Some(key) => {
                match &row.check {
                    Some(check) => self.verify_check(&key, &row.account, check)?,
                    None => self.write_first_check(&key, &row.account)?,
                }
                VaultKey {
                    account: row.account,
                    key,
                }
            }
            None => {
                // Read again, with whether anything is sealed, in one snapshot.
                let (now, sealed) = self.key_row_and_sealed()?;
                if now.account != row.account {
                    // Another process made or replaced the key since we read the row.
                    drop(cached);
                    return self.key(create);
                }
                if sealed {
                    self.record_key_missing_once(&row.account)?;
                    return Err(self.key_missing(&row.account));
                }
                // Nothing is sealed, so nothing can be lost: a first key may be made.
                if !create {
                    return Ok(None);
                }
                drop(cached);
                return self.create_first_key(&row.account).map(Some);
            }
        };
        self.bind_legacy_blobs(&key)?;
        let key = Arc::new(key);
        *cached = Some(key.clone());
        Ok(Some(key))
    }

    /// Re-seals blobs from before destinations were bound (version 1) so that each is
    /// bound to where its secret goes. Runs once, the first time a process has the key.
    fn bind_legacy_blobs(&self, key: &VaultKey) -> Result<()> {
        let legacy = self.legacy_blobs()?;
        if legacy.is_empty() {
            return Ok(());
        }
        self.rebind(key, legacy)
    }

    fn legacy_blobs(&self) -> Result<Vec<LegacyBlob>> {
        let db = self.db();
        let mut stmt = db.prepare(
            "SELECT s.credential_id, c.provider, c.public_fields, s.field, s.blob \
             FROM secret_fields s JOIN credentials c ON c.id = s.credential_id \
             WHERE substr(s.blob, 1, 1) = ?1",
        )?;
        let rows = stmt
            .query_map([vec![crypto::LEGACY_VERSION]], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Re-seals each blob read by [`Self::legacy_blobs`] that is still the one stored: a
    /// secret another process rotated since then is newer and stays.
    fn rebind(&self, key: &VaultKey, legacy: Vec<LegacyBlob>) -> Result<()> {
        let mut db = self.db();
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut bound = 0;
        for (id, provider, public, field, blob) in legacy {
            let provider = provider.parse().map_err(Error::Internal)?;
            let public = serde_json::from_str(&public).unwrap_or_default();
            let destination = crate::fields::destination(provider, &public);
            // A blob that does not open stays as it is: its check reports the damage.
            let Ok(plain) = crypto::open(&key.key, self.binding(&id, &field, ""), &blob) else {
                continue;
            };
            let resealed = crypto::seal(&key.key, self.binding(&id, &field, &destination), &plain);
            bound += tx.execute(
                "UPDATE secret_fields SET blob = ?3 \
                 WHERE credential_id = ?1 AND field = ?2 AND blob = ?4",
                params![id, field, resealed, blob],
            )?;
        }
        store::audit(
            &tx,
            None,
            "secrets_bound_to_destinations",
            &format!("{bound} sealed fields re-sealed with their destinations"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The destination a credential's secret is bound to, from its stored fields.
    pub(super) fn destination_of(&self, id: &str) -> Result<String> {
        let (provider, public): (String, String) = self.db().query_row(
            "SELECT provider, public_fields FROM credentials WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let provider = provider.parse().map_err(Error::Internal)?;
        let public = serde_json::from_str(&public).unwrap_or_default();
        Ok(crate::fields::destination(provider, &public))
    }

    /// The key for sealing or opening existing secrets: never created here.
    pub(super) fn key_for_secrets(&self) -> Result<Arc<VaultKey>> {
        let account = self.keychain_account();
        self.key(false)?.ok_or_else(|| self.key_missing(&account))
    }

    /// Makes a key for a vault with nothing sealed, or adopts the one another process made
    /// while this one waited for the vault lock (the row then names another account).
    fn create_first_key(&self, seen_account: &str) -> Result<Arc<VaultKey>> {
        let _lock = store::lock_set_up(&self.data_dir)?;
        if self.key_row()?.account != seen_account {
            return self.key_for_secrets();
        }
        let key = self.store_new_key()?;
        let check = crypto::seal(&key.key, self.check_binding(), KEY_CHECK);
        {
            let db = self.db();
            db.execute(
                "UPDATE vault SET key_account = ?1, key_check = ?2",
                params![key.account, check],
            )?;
            store::audit(
                &db,
                None,
                "vault_key_created",
                &format!("keychain account {}", key.account),
            )?;
        }
        let key = Arc::new(key);
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key.clone());
        Ok(key)
    }

    /// A new random key, stored in the keychain under a new account of its own.
    fn store_new_key(&self) -> Result<VaultKey> {
        // The random half of a UUIDv7 (62 random bits): unique across copies of a vault.
        let key_id = uuid::Uuid::now_v7().simple().to_string();
        let key = VaultKey {
            account: format!("{}-{}", self.original_account(), &key_id[16..]),
            key: MasterKey::generate(),
        };
        self.keys.store(&key.account, &key.key)?;
        Ok(key)
    }

    fn verify_check(&self, key: &MasterKey, account: &str, check: &[u8]) -> Result<()> {
        crypto::open(key, self.check_binding(), check)
            .map(drop)
            .map_err(|_| Error::WrongKey {
                service: self.keys.service().into(),
                account: account.into(),
            })
    }

    /// A key found in the keychain for a vault that has no key check yet (made by a build
    /// that wrote the key first): adopt it, unless another process set a check meanwhile.
    fn write_first_check(&self, key: &MasterKey, account: &str) -> Result<()> {
        let blob = crypto::seal(key, self.check_binding(), KEY_CHECK);
        let changed = self.db().execute(
            "UPDATE vault SET key_check = ?1 WHERE key_check IS NULL",
            params![blob],
        )?;
        match changed {
            0 => match self.key_row()?.check {
                Some(check) => self.verify_check(key, account, &check),
                None => Err(Error::Busy("the vault key is being set up".into())),
            },
            _ => Ok(()),
        }
    }

    /// Notes a missing key in the audit trail, once per episode.
    fn record_key_missing_once(&self, account: &str) -> Result<()> {
        let db = self.db();
        let last: Option<String> = db
            .query_row(
                "SELECT kind FROM audit_events WHERE credential_id IS NULL ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if last.as_deref() != Some("vault_key_missing") {
            store::audit(
                &db,
                None,
                "vault_key_missing",
                &format!("keychain account {account}"),
            )?;
        }
        Ok(())
    }

    fn key_missing(&self, account: &str) -> Error {
        Error::KeyMissing {
            service: self.keys.service().into(),
            account: account.into(),
        }
    }

    fn check_binding(&self) -> Binding<'_> {
        self.binding(KEY_CHECK_ID, KEY_CHECK_FIELD, "")
    }

    fn binding<'a>(
        &'a self,
        credential_id: &'a str,
        field: &'a str,
        destination: &'a str,
    ) -> Binding<'a> {
        Binding {
            vault_id: &self.vault_id,
            credential_id,
            field,
            destination,
        }
    }

    /// Seals each secret field of credential `id`, bound to the vault, the id, the field
    /// and the secret's destination ([`crate::fields::destination`]).
    pub(super) fn seal_all(
        &self,
        key: &VaultKey,
        id: &str,
        destination: &str,
        secrets: &[(&'static str, SecretString)],
    ) -> SealedFields {
        let fields = secrets
            .iter()
            .map(|(field, value)| {
                let blob = crypto::seal(
                    &key.key,
                    self.binding(id, field, destination),
                    value.expose_secret().as_bytes(),
                );
                (*field, blob)
            })
            .collect();
        SealedFields {
            account: key.account.clone(),
            fields,
        }
    }

    /// Opens credential `id`'s sealed fields; a blob altered, moved, or whose destination
    /// was edited outside the app fails as `Integrity`.
    pub(super) fn open_with(
        &self,
        key: &MasterKey,
        id: &str,
        destination: &str,
        blobs: Blobs,
    ) -> Result<Vec<(String, SecretString)>> {
        blobs
            .into_iter()
            .map(|(field, blob)| {
                let plain = crypto::open(key, self.binding(id, &field, destination), &blob)?;
                let text = String::from_utf8(plain.to_vec()).map_err(|_| Error::Integrity)?;
                Ok((field, SecretString::from(text)))
            })
            .collect()
    }

    /// The key's state, for the page banner and `entryguard vault status`.
    pub fn vault_status(&self) -> VaultStatus {
        let quarantined = store::quarantined_count(&self.db()).unwrap_or(0);
        let (state, message) = match self.key(false) {
            Ok(_) => (VaultState::Ready, String::new()),
            Err(e) => (vault_state(&e), e.to_string()),
        };
        VaultStatus {
            state,
            message,
            quarantined,
        }
    }

    /// Starts a new master key when the current one is missing or wrong. Every sealed
    /// secret is set aside (not deleted) and each credential becomes Unverified until its
    /// secret is rotated in again or its old key comes back. A healthy or locked vault is
    /// refused unless `force`.
    pub fn reset_vault(&self, confirmation: &str, force: bool) -> Result<()> {
        if confirmation != RESET_CONFIRMATION {
            return Err(Error::ResetNotConfirmed {
                confirm: RESET_CONFIRMATION,
            });
        }
        // Checked under the lock: another process may have reset the vault, or the key may
        // have come back, while this one waited for it.
        let _lock = store::lock_set_up(&self.data_dir)?;
        self.check_reset(force)?;
        let old = self.key_row()?;
        // The new key is safe in the keychain before anything in the database changes.
        let key = self.store_new_key()?;
        if let Err(e) = self.retire_key(&old, &key) {
            // Under a fresh account of its own, so removing it touches no other vault.
            let _ = self.keys.delete(&key.account);
            return Err(e);
        }
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(key));
        self.emit(CredentialEvent::Reload);
        Ok(())
    }

    /// Whether a reset may go ahead now: only for a missing or wrong key, unless `force`
    /// (never for a vault without a keychain to hold the new key). Asks the keychain.
    pub fn check_reset(&self, force: bool) -> Result<()> {
        match self.vault_status().state {
            VaultState::KeyMissing | VaultState::WrongKey => Ok(()),
            VaultState::Ready | VaultState::KeychainLocked if force => Ok(()),
            VaultState::Ready => Err(Error::ResetRefused(
                "The vault's key is in the keychain and opens every secret, so a reset \
                     would only set the stored secrets aside. Nothing was changed. To start \
                     over anyway, reset with --force."
                    .into(),
            )),
            VaultState::KeychainLocked => Err(Error::ResetRefused(
                "The keychain is locked, so the vault's key cannot be read right now; \
                     that is not a lost key. Unlock your login keyring and check again. \
                     Nothing was changed."
                    .into(),
            )),
            VaultState::NoKeychain => Err(Error::ResetRefused(
                "No keychain service is available to hold a new key. Start GNOME Keyring \
                     or KWallet first. Nothing was changed."
                    .into(),
            )),
        }
    }

    /// Quarantines what `old` sealed and makes `new` the vault's key, in one transaction.
    fn retire_key(&self, old: &KeyRow, new: &VaultKey) -> Result<()> {
        let mut db = self.db();
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = crate::time::now();
        tx.execute(
            "INSERT OR REPLACE INTO retired_keys (key_account, key_check, retired_at) \
             VALUES (?1, ?2, ?3)",
            params![old.account, old.check, now],
        )?;
        let set_aside = tx.execute(
            "INSERT OR REPLACE INTO quarantined_fields (credential_id, field, blob, key_account) \
             SELECT credential_id, field, blob, ?1 FROM secret_fields",
            [&old.account],
        )?;
        tx.execute("DELETE FROM secret_fields", [])?;
        tx.execute(
            "UPDATE credentials SET status = ?2, identity = NULL, checking = 0, \
             next_check_at = NULL, generation = generation + 1, updated_at = ?1, \
             status_reason = 'Secret set aside by a vault reset — rotate it to enter it again, \
             or restore the old key and run “entryguard vault recover”'",
            params![now, Status::Unverified.as_str()],
        )?;
        tx.execute(
            "UPDATE vault SET key_account = ?1, key_check = ?2",
            params![
                new.account,
                crypto::seal(&new.key, self.check_binding(), KEY_CHECK)
            ],
        )?;
        store::audit(
            &tx,
            None,
            "vault_reset",
            &format!(
                "{set_aside} sealed fields set aside (key {}); new key in {}",
                old.account, new.account
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Opens again what a reset set aside, for every retired key that is back in the
    /// keychain, when its credential has had no new secret since. Each recovered
    /// credential is checked again.
    pub fn recover(&self) -> Result<RecoverReport> {
        let current = self.key_for_secrets()?;
        let retired: Vec<KeyRow> = {
            let db = self.db();
            let mut stmt = db.prepare(
                "SELECT key_account, key_check FROM retired_keys \
                 WHERE key_account IN (SELECT key_account FROM quarantined_fields)",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(KeyRow {
                        account: r.get(0)?,
                        check: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            rows
        };
        let mut recovered = Vec::new();
        for old in retired {
            let Some(key) = self.keys.load(&old.account)? else {
                continue;
            };
            if let Some(check) = &old.check {
                if self.verify_check(&key, &old.account, check).is_err() {
                    continue;
                }
            }
            recovered.extend(self.restore_from(&key, &old.account, &current)?);
        }
        for id in &recovered {
            self.request_verification(id)?;
        }
        Ok(RecoverReport {
            recovered: recovered.len() as u32,
            still_quarantined: store::quarantined_count(&self.db())?,
        })
    }

    /// Reseals `account`'s quarantined fields under the current key, for credentials that
    /// have no secret now; returns their ids.
    fn restore_from(
        &self,
        old: &MasterKey,
        account: &str,
        current: &VaultKey,
    ) -> Result<Vec<String>> {
        let candidates = quarantined_without_secret(&self.db(), account)?;
        let mut restored = Vec::new();
        for (id, blobs) in candidates {
            let destination = self.destination_of(&id)?;
            let secrets = self.open_with(old, &id, &destination, blobs)?;
            let secrets: Vec<(&'static str, SecretString)> = secrets
                .into_iter()
                .filter_map(|(field, value)| {
                    crate::fields::FIELDS
                        .iter()
                        .find(|f| f.key == field)
                        .map(|f| (f.key, value))
                })
                .collect();
            let sealed = self.seal_all(current, &id, &destination, &secrets);
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            super::credentials::insert_sealed(&tx, &id, &sealed)?;
            tx.execute(
                "DELETE FROM quarantined_fields WHERE credential_id = ?1 AND key_account = ?2",
                params![id, account],
            )?;
            tx.execute(
                "UPDATE credentials SET generation = generation + 1, updated_at = ?2, \
                 status_reason = 'Recovered from a retired key; queued for verification' \
                 WHERE id = ?1",
                params![id, crate::time::now()],
            )?;
            let name: String =
                tx.query_row("SELECT name FROM credentials WHERE id = ?1", [&id], |r| {
                    r.get(0)
                })?;
            store::audit(
                &tx,
                Some((&id, &name)),
                "recovered",
                &format!("secret recovered from key {account}"),
            )?;
            tx.commit()?;
            restored.push(id);
        }
        Ok(restored)
    }

    /// Deletes every set-aside secret for good (their key is not coming back); returns how
    /// many credentials had one.
    pub fn purge_quarantine(&self, confirmation: &str) -> Result<u32> {
        if confirmation != RESET_CONFIRMATION {
            return Err(Error::ResetNotConfirmed {
                confirm: RESET_CONFIRMATION,
            });
        }
        let mut db = self.db();
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let purged = store::quarantined_count(&tx)?;
        tx.execute("DELETE FROM quarantined_fields", [])?;
        tx.execute("DELETE FROM retired_keys", [])?;
        store::audit(
            &tx,
            None,
            "quarantine_purged",
            &format!("set-aside secrets of {purged} credentials deleted"),
        )?;
        tx.commit()?;
        Ok(purged)
    }
}

/// The vault state an error stands for.
fn vault_state(error: &Error) -> VaultState {
    match error {
        Error::NoKeychain(_) => VaultState::NoKeychain,
        Error::KeyMissing { .. } => VaultState::KeyMissing,
        Error::WrongKey { .. } => VaultState::WrongKey,
        _ => VaultState::KeychainLocked,
    }
}

/// Quarantined blobs sealed under `account`, grouped by credential, for credentials that
/// hold no secret now (a rotation since the reset wins over the old secret).
fn quarantined_without_secret(db: &Connection, account: &str) -> Result<Vec<(String, Blobs)>> {
    let mut stmt = db.prepare(
        "SELECT q.credential_id, q.field, q.blob FROM quarantined_fields q \
         WHERE q.key_account = ?1 AND NOT EXISTS \
           (SELECT 1 FROM secret_fields s WHERE s.credential_id = q.credential_id) \
         ORDER BY q.credential_id",
    )?;
    let rows = stmt.query_map([account], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
    })?;
    let mut grouped: Vec<(String, Blobs)> = Vec::new();
    for row in rows {
        let (id, field, blob) = row?;
        match grouped.last_mut() {
            Some((last, fields)) if *last == id => fields.push((field, blob)),
            _ => grouped.push((id, vec![(field, blob)])),
        }
    }
    Ok(grouped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::{KeySource, MemoryKeychain};
    use crate::model::ProviderSpec;

    /// A vault whose one APISIX credential's secret ("OLDsecret") is sealed the way version
    /// 1 did, as an older build left it.
    struct Version1Vault {
        dir: tempfile::TempDir,
        keys: Arc<MemoryKeychain>,
        service: CredentialService,
        id: String,
        key: MasterKey,
    }

    fn version_1_vault() -> Version1Vault {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(MemoryKeychain::new());
        let service = CredentialService::open(dir.path(), keys.clone()).unwrap();
        let input = serde_json::from_value(serde_json::json!({"name": "APISIX",
            "environment": null, "type": null, "provider": "APISIX",
            "fields": {"endpoint": "http://127.0.0.1:9", "admin_key": "0123456789abcdef"}}))
        .unwrap();
        let id = service.create(input).unwrap().id;
        let key = keys.load(&service.keychain_account()).unwrap().unwrap();
        let legacy = crypto::seal_legacy(&key, service.binding(&id, "admin_key", ""), b"OLDsecret");
        service
            .db()
            .execute("UPDATE secret_fields SET blob = ?1", [&legacy])
            .unwrap();
        Version1Vault {
            dir,
            keys,
            service,
            id,
            key,
        }
    }

    #[test]
    fn version_1_blobs_are_rebound_to_their_destination_the_first_time_the_key_is_loaded() {
        let Version1Vault { dir, keys, id, .. } = version_1_vault();

        let reopened = CredentialService::open(dir.path(), keys).unwrap();
        let job = reopened.begin_check(&id).unwrap().unwrap();
        assert_eq!(
            job.secret("admin_key").unwrap().expose_secret(),
            "OLDsecret"
        );
        let blob: Vec<u8> = reopened
            .db()
            .query_row("SELECT blob FROM secret_fields", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            crypto::version_of(&blob),
            Some(2),
            "re-sealed with its destination"
        );
        reopened
            .db()
            .execute(
                "UPDATE credentials SET public_fields = '{\"endpoint\":\"http://127.0.0.1:8\"}'",
                [],
            )
            .unwrap();
        assert!(matches!(reopened.begin_check(&id), Err(Error::Integrity)));
    }

    #[test]
    fn re_sealing_a_version_1_blob_never_overwrites_a_secret_rotated_meanwhile() {
        let Version1Vault {
            dir,
            keys,
            service,
            id,
            key,
        } = version_1_vault();

        // One process reads the old blob to re-seal it; another rotates the secret first.
        let upgrading = CredentialService::open(dir.path(), keys.clone()).unwrap();
        let stale = upgrading.legacy_blobs().unwrap();
        assert_eq!(stale.len(), 1);
        let rotated = ProviderSpec::Apisix {
            endpoint: "http://127.0.0.1:9".into(),
            admin_key: "NEWsecret-0123456789".to_owned().into(),
        };
        service.rotate(&id, rotated).unwrap();
        let vault_key = VaultKey {
            account: service.keychain_account(),
            key,
        };
        upgrading.rebind(&vault_key, stale).unwrap();

        let job = upgrading.begin_check(&id).unwrap().unwrap();
        assert_eq!(
            job.secret("admin_key").unwrap().expose_secret(),
            "NEWsecret-0123456789"
        );
    }
}
