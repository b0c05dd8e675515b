//! Key custody: the master key is loaded from the keychain once per process, proved right by
//! the vault's key check, created only for a vault with nothing sealed yet, and replaced only
//! by an explicit reset. Sealing and opening of secret fields happen here too, so no other
//! file holds the key.

use std::sync::Arc;

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use secrecy::{ExposeSecret, SecretString};

use super::CredentialService;
use crate::crypto::{self, Binding};
use crate::error::{Error, Result};
use crate::model::{CredentialEvent, Status, VaultState, VaultStatus};
use crate::secret::MasterKey;
use crate::store;

const KEY_CHECK: &[u8] = b"EntryGuard vault key check v1";
const KEY_CHECK_ID: &str = "vault";
const KEY_CHECK_FIELD: &str = "key_check";
/// What an admin types to confirm a vault reset.
pub const RESET_CONFIRMATION: &str = "RESET";

/// Sealed secret fields of one credential, ready to insert.
pub(super) type SealedFields = Vec<(&'static str, Vec<u8>)>;

impl CredentialService {
    /// The keychain account holding this vault's key.
    pub fn keychain_account(&self) -> String {
        format!("vault-{}", self.vault_id)
    }

    /// The master key, loading it once per process. With `create`, an empty vault gets a new
    /// key; a vault with sealed data never does.
    pub(super) fn key(&self, create: bool) -> Result<Option<Arc<MasterKey>>> {
        let mut cached = self.key.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(key) = cached.as_ref() {
            return Ok(Some(key.clone()));
        }
        let account = self.keychain_account();
        let check: Option<Vec<u8>> =
            self.db()
                .query_row("SELECT key_check FROM vault", [], |r| r.get(0))?;
        let key = match self.keys.load(&account)? {
            Some(key) => {
                match &check {
                    Some(blob) => {
                        crypto::open(&key, self.check_binding(), blob).map_err(|_| {
                            Error::WrongKey {
                                service: self.keys.service().into(),
                                account: account.clone(),
                            }
                        })?;
                    }
                    None => self.write_key_check(&key, None)?,
                }
                key
            }
            None => {
                let sealed = store::sealed_count(&self.db())?;
                if sealed > 0 {
                    self.record_key_missing_once()?;
                    return Err(self.key_missing());
                }
                if !create {
                    return Ok(None);
                }
                let key = MasterKey::generate();
                // Claim the vault in the database first, so two processes never both store
                // a key; the loser reads the winner's key next time.
                self.write_key_check(&key, check.as_deref())?;
                self.keys.store(&account, &key)?;
                store::audit(
                    &self.db(),
                    None,
                    "vault_key_created",
                    &format!("keychain account {account}"),
                )?;
                key
            }
        };
        let key = Arc::new(key);
        *cached = Some(key.clone());
        Ok(Some(key))
    }

    /// The key for sealing or opening existing secrets: never created here.
    pub(super) fn key_for_secrets(&self) -> Result<Arc<MasterKey>> {
        self.key(false)?.ok_or_else(|| self.key_missing())
    }

    /// Notes a missing key in the audit trail, once per episode.
    fn record_key_missing_once(&self) -> Result<()> {
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
                &format!("keychain account {}", self.keychain_account()),
            )?;
        }
        Ok(())
    }

    fn key_missing(&self) -> Error {
        Error::KeyMissing {
            service: self.keys.service().into(),
            account: self.keychain_account(),
        }
    }

    fn check_binding(&self) -> Binding<'_> {
        self.binding(KEY_CHECK_ID, KEY_CHECK_FIELD)
    }

    fn binding<'a>(&'a self, credential_id: &'a str, field: &'a str) -> Binding<'a> {
        Binding {
            vault_id: &self.vault_id,
            credential_id,
            field,
        }
    }

    /// Writes the key-check value if it is still `expected`; fails if another process won.
    fn write_key_check(&self, key: &MasterKey, expected: Option<&[u8]>) -> Result<()> {
        let blob = crypto::seal(key, self.check_binding(), KEY_CHECK);
        let changed = self.db().execute(
            "UPDATE vault SET key_check = ?1 WHERE key_check IS ?2",
            params![blob, expected],
        )?;
        if changed == 0 {
            return Err(Error::Internal(
                "another EntryGuard process set up the vault key at the same time; try again"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Seals each secret field of credential `id`, bound to the vault, the id and the field.
    pub(super) fn seal_all(
        &self,
        key: &MasterKey,
        id: &str,
        secrets: &[(&'static str, SecretString)],
    ) -> SealedFields {
        secrets
            .iter()
            .map(|(field, value)| {
                let blob = crypto::seal(
                    key,
                    self.binding(id, field),
                    value.expose_secret().as_bytes(),
                );
                (*field, blob)
            })
            .collect()
    }

    /// Opens credential `id`'s sealed fields; a blob altered or moved fails as `Integrity`.
    pub(super) fn open_all(
        &self,
        id: &str,
        blobs: Vec<(String, Vec<u8>)>,
    ) -> Result<Vec<(String, SecretString)>> {
        let key = self.key_for_secrets()?;
        blobs
            .into_iter()
            .map(|(field, blob)| {
                let plain = crypto::open(&key, self.binding(id, &field), &blob)?;
                let text = String::from_utf8(plain.to_vec()).map_err(|_| Error::Integrity)?;
                Ok((field, SecretString::from(text)))
            })
            .collect()
    }

    /// The key's state, for the page banner and `entryguard` status lines.
    pub fn vault_status(&self) -> VaultStatus {
        let error = match self.key(false) {
            Ok(_) => {
                return VaultStatus {
                    state: VaultState::Ready,
                    message: String::new(),
                }
            }
            Err(e) => e,
        };
        let state = match error {
            Error::NoKeychain(_) => VaultState::NoKeychain,
            Error::KeyMissing { .. } => VaultState::KeyMissing,
            Error::WrongKey { .. } => VaultState::WrongKey,
            _ => VaultState::KeychainLocked,
        };
        VaultStatus {
            state,
            message: error.to_string(),
        }
    }

    /// Discards every sealed secret and starts a new master key. Metadata and audit stay;
    /// each credential becomes Unverified until its secret is rotated in again.
    pub fn reset_vault(&self, confirmation: &str) -> Result<()> {
        if confirmation != RESET_CONFIRMATION {
            return Err(Error::ResetNotConfirmed {
                confirm: RESET_CONFIRMATION,
            });
        }
        let mut cached = self.key.lock().unwrap_or_else(|p| p.into_inner());
        let key = MasterKey::generate();
        let account = self.keychain_account();
        {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let discarded: i64 =
                tx.query_row("SELECT COUNT(*) FROM secret_fields", [], |r| r.get(0))?;
            tx.execute("DELETE FROM secret_fields", [])?;
            tx.execute(
                "UPDATE credentials SET status = ?2, identity = NULL, checking = 0, \
                 next_check_at = NULL, generation = generation + 1, updated_at = ?1, \
                 status_reason = 'Secret discarded by a vault reset — rotate it to enter it again'",
                params![crate::time::now(), Status::Unverified.as_str()],
            )?;
            tx.execute(
                "UPDATE vault SET key_check = ?1",
                [crypto::seal(&key, self.check_binding(), KEY_CHECK)],
            )?;
            store::audit(
                &tx,
                None,
                "vault_reset",
                &format!("{discarded} sealed fields discarded; new key in {account}"),
            )?;
            tx.commit()?;
        }
        self.keys.store(&account, &key)?;
        *cached = Some(Arc::new(key));
        self.emit(CredentialEvent::Reload);
        Ok(())
    }
}
