//! `CredentialService`: the one place that combines the store, the sealing and the keychain.
//!
//! Callers (Tauri commands, the CLI, the verifier) never see SQL or crypto. Every mutation is
//! one transaction, so a crash leaves each credential complete or absent. The master key is
//! read from the keychain once per process and only when a secret must be sealed or opened:
//! listing and deleting work even when the keychain is locked or the key is gone.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::mpsc::UnboundedSender;

use crate::crypto::{self, Binding};
use crate::error::{Error, Result};
use crate::keychain::KeySource;
use crate::model::*;
use crate::secret::MasterKey;
use crate::store;
use crate::validate::{self, Validated};

/// Receives domain events; the app forwards them to the window.
pub trait EventSink: Send + Sync {
    fn emit(&self, event: CredentialEvent);
}

/// A sink that drops events (CLI, tests).
pub struct NullSink;
impl EventSink for NullSink {
    fn emit(&self, _: CredentialEvent) {}
}

const KEY_CHECK: &[u8] = b"EntryGuard vault key check v1";
const KEY_CHECK_ID: &str = "vault";
const KEY_CHECK_FIELD: &str = "key_check";
pub const RESET_CONFIRMATION: &str = "RESET";

/// A credential opened for one verification attempt.
pub struct CheckJob {
    pub id: String,
    pub name: String,
    pub generation: i64,
    pub provider: Provider,
    pub public: serde_json::Value,
    pub secrets: Vec<(String, SecretString)>,
    /// When the current secret was stored (created or rotated).
    pub secret_since: String,
}

impl std::fmt::Debug for CheckJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckJob")
            .field("id", &self.id)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

impl CheckJob {
    /// The named secret; empty when the credential has no such field.
    pub fn secret(&self, field: &str) -> Option<&SecretString> {
        self.secrets
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, s)| s)
    }

    pub fn public_str(&self, field: &str) -> Option<&str> {
        self.public.get(field).and_then(|v| v.as_str())
    }
}

/// What a verification attempt decided, as the worker writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    pub status: Status,
    pub reason: Option<String>,
    pub identity: Option<String>,
    /// Set when another attempt is scheduled.
    pub next_check_at: Option<String>,
}

pub struct CredentialService {
    conn: Mutex<Connection>,
    vault_id: String,
    keys: Arc<dyn KeySource>,
    key: Mutex<Option<Arc<MasterKey>>>,
    sink: RwLock<Arc<dyn EventSink>>,
    queue: RwLock<Option<UnboundedSender<String>>>,
    data_version: Mutex<i64>,
}

impl CredentialService {
    /// Opens the vault in `data_dir`. Does not touch the keychain.
    pub fn open(data_dir: &Path, keys: Arc<dyn KeySource>) -> Result<Self> {
        let conn = store::open(data_dir)?;
        let vault_id: String = match conn
            .query_row("SELECT vault_id FROM vault", [], |r| r.get(0))
            .optional()?
        {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                conn.execute(
                    "INSERT INTO vault (singleton, vault_id, created_at) VALUES (1, ?1, ?2)",
                    params![id, crate::time::now()],
                )?;
                id
            }
        };
        let version = conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
        Ok(CredentialService {
            conn: Mutex::new(conn),
            vault_id,
            keys,
            key: Mutex::new(None),
            sink: RwLock::new(Arc::new(NullSink)),
            queue: RwLock::new(None),
            data_version: Mutex::new(version),
        })
    }

    pub fn set_sink(&self, sink: Arc<dyn EventSink>) {
        *self.sink.write().unwrap() = sink;
    }

    /// Connects the verifier's queue; called once by [`crate::Verifier::spawn`].
    pub(crate) fn set_queue(&self, queue: UnboundedSender<String>) {
        *self.queue.write().unwrap() = Some(queue);
    }

    pub fn vault_id(&self) -> &str {
        &self.vault_id
    }

    /// The keychain account holding this vault's key.
    pub fn keychain_account(&self) -> String {
        format!("vault-{}", self.vault_id)
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn emit(&self, event: CredentialEvent) {
        self.sink.read().unwrap().emit(event);
    }

    /// Hands an event to the sink (e.g. a reload after another process changed the store).
    pub fn emit_event(&self, event: CredentialEvent) {
        self.emit(event);
    }

    // ---- master key -------------------------------------------------------------------

    /// The master key, loading it once per process. With `create`, an empty vault gets a new
    /// key; a vault with sealed data never does.
    fn key(&self, create: bool) -> Result<Option<Arc<MasterKey>>> {
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

    fn key_for_secrets(&self) -> Result<Arc<MasterKey>> {
        self.key(false)?.ok_or_else(|| self.key_missing())
    }

    fn key_missing(&self) -> Error {
        Error::KeyMissing {
            service: self.keys.service().into(),
            account: self.keychain_account(),
        }
    }

    fn check_binding(&self) -> Binding<'_> {
        Binding {
            vault_id: &self.vault_id,
            credential_id: KEY_CHECK_ID,
            field: KEY_CHECK_FIELD,
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
                "UPDATE credentials SET status = 'UNVERIFIED', identity = NULL, checking = 0, \
                 next_check_at = NULL, generation = generation + 1, updated_at = ?1, \
                 status_reason = 'Secret discarded by a vault reset — rotate it to enter it again'",
                [crate::time::now()],
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

    // ---- credentials ------------------------------------------------------------------

    /// Validates, seals and stores a new credential as Unverified, then queues its check.
    pub fn create(&self, input: NewCredential) -> Result<CredentialView> {
        self.create_recorded(input, "created", None)
    }

    /// [`Self::create`], recording `kind` (e.g. "imported") with `details` in the audit trail.
    pub(crate) fn create_recorded(
        &self,
        input: NewCredential,
        kind: &str,
        details: Option<&str>,
    ) -> Result<CredentialView> {
        let valid = validate::validate(&input)?;
        drop(input);
        let key = self.key(true)?.expect("key(true) always yields a key");
        let id = uuid::Uuid::now_v7().to_string();
        let sealed = self.seal_all(&key, &id, &valid.secrets);
        let now = crate::time::now();
        {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Validated {
                name,
                environment,
                provider,
                credential_type,
                public_fields,
                hint,
                ..
            } = &valid;
            tx.execute(
                "INSERT INTO credentials (id, name, name_key, provider, type, environment, \
                 public_fields, hint, status_reason, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'Queued for verification', ?9, ?9)",
                params![
                    id,
                    name,
                    validate::name_key(name),
                    provider.as_str(),
                    credential_type.as_str(),
                    environment,
                    public_fields.to_string(),
                    hint,
                    now
                ],
            )
            .map_err(|e| unique_name(e, name))?;
            insert_sealed(&tx, &id, &sealed)?;
            let default_details = format!("{} {}", provider.as_str(), hint);
            store::audit(
                &tx,
                Some((&id, name)),
                kind,
                details.unwrap_or(&default_details),
            )?;
            tx.commit()?;
        }
        self.request_verification(&id)
    }

    fn seal_all(
        &self,
        key: &MasterKey,
        id: &str,
        secrets: &[(&'static str, SecretString)],
    ) -> Vec<(&'static str, Vec<u8>)> {
        secrets
            .iter()
            .map(|(field, value)| {
                let binding = Binding {
                    vault_id: &self.vault_id,
                    credential_id: id,
                    field,
                };
                (
                    *field,
                    crypto::seal(key, binding, value.expose_secret().as_bytes()),
                )
            })
            .collect()
    }

    pub fn list(&self) -> Result<Vec<CredentialView>> {
        store::list_views(&self.db())
    }

    pub fn get(&self, id: &str) -> Result<CredentialView> {
        store::get_view(&self.db(), id)?.ok_or_else(|| Error::NotFound(id.into()))
    }

    /// Finds a credential by full id, unique id prefix, or exact (case-insensitive) name.
    pub fn resolve(&self, query: &str) -> Result<CredentialView> {
        let q = query.trim();
        if q.is_empty() {
            return Err(Error::NotFound(query.into()));
        }
        let db = self.db();
        let by_name: Option<String> = db
            .query_row(
                "SELECT id FROM credentials WHERE name_key = ?1",
                [validate::name_key(q)],
                |r| r.get(0),
            )
            .optional()?;
        let id = match by_name {
            Some(id) => id,
            None => {
                let pattern = format!("{}%", q.to_lowercase().replace(['%', '_'], ""));
                let mut stmt = db.prepare("SELECT id FROM credentials WHERE id LIKE ?1 LIMIT 2")?;
                let ids: Vec<String> = stmt
                    .query_map([pattern], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                match ids.as_slice() {
                    [one] => one.clone(),
                    [] => return Err(Error::NotFound(q.into())),
                    _ => {
                        return Err(Error::Validation {
                            field: None,
                            message: format!(
                                "“{q}” matches more than one credential; give more of the id."
                            ),
                        })
                    }
                }
            }
        };
        store::get_view(&db, &id)?.ok_or_else(|| Error::NotFound(q.into()))
    }

    /// Deletes a credential, its sealed fields and its cloud resources in one transaction.
    pub fn delete(&self, id: &str) -> Result<()> {
        {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let found: Option<(String, i64)> = tx
                .query_row(
                    "SELECT name, (SELECT COUNT(*) FROM cloud_resources WHERE credential_id = ?1) \
                     FROM credentials WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (name, resources) = found.ok_or_else(|| Error::NotFound(id.into()))?;
            tx.execute("DELETE FROM credentials WHERE id = ?1", [id])?;
            store::audit(
                &tx,
                Some((id, &name)),
                "deleted",
                &format!("{resources} cloud resources deleted with it"),
            )?;
            tx.commit()?;
        }
        self.emit(CredentialEvent::Deleted { id: id.into() });
        Ok(())
    }

    /// Replaces a credential's secret (and, for AWS, its key id) in place: same id, name and
    /// created time; it becomes Unverified and is checked again at once.
    pub fn rotate(&self, id: &str, spec: ProviderSpec) -> Result<CredentialView> {
        let current = self.get(id)?;
        if spec.provider() != current.provider {
            return Err(Error::Validation {
                field: None,
                message: format!(
                    "This is an {} credential; rotate it with {} fields.",
                    current.provider.as_str(),
                    current.provider.as_str()
                ),
            });
        }
        let (public_fields, secrets, hint) = validate::spec(&spec)?;
        drop(spec);
        let key = self.key_for_secrets()?;
        let sealed = self.seal_all(&key, id, &secrets);
        let now = crate::time::now();
        {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx.execute(
                "UPDATE credentials SET public_fields = ?2, hint = ?3, status = 'UNVERIFIED', \
                 status_reason = 'Rotated; queued for verification', identity = NULL, \
                 generation = generation + 1, rotated_at = ?4, updated_at = ?4, next_check_at = NULL \
                 WHERE id = ?1",
                params![id, public_fields.to_string(), hint, now],
            )?;
            if changed == 0 {
                return Err(Error::NotFound(id.into()));
            }
            tx.execute("DELETE FROM secret_fields WHERE credential_id = ?1", [id])?;
            insert_sealed(&tx, id, &sealed)?;
            store::audit(
                &tx,
                Some((id, &current.name)),
                "rotated",
                &format!("new key {hint} (was {})", current.hint),
            )?;
            tx.commit()?;
        }
        self.request_verification(id)
    }

    /// Marks a credential as being checked and queues the check ("Verify now").
    pub fn request_verification(&self, id: &str) -> Result<CredentialView> {
        let queued = self.queue.read().unwrap().clone();
        {
            let db = self.db();
            let checking = queued.is_some();
            let changed = db.execute(
                "UPDATE credentials SET checking = ?2, next_check_at = NULL, updated_at = ?3, \
                 status_reason = CASE WHEN ?2 THEN 'Verifying…' ELSE status_reason END \
                 WHERE id = ?1",
                params![id, checking, crate::time::now()],
            )?;
            if changed == 0 {
                return Err(Error::NotFound(id.into()));
            }
        }
        if let Some(queue) = queued {
            let _ = queue.send(id.to_owned());
        }
        let view = self.get(id)?;
        self.emit(CredentialEvent::Changed {
            credential: Box::new(view.clone()),
        });
        Ok(view)
    }

    /// Records a user's "verify now" in the audit trail, then queues the check.
    pub fn verify_now(&self, id: &str) -> Result<CredentialView> {
        let view = self.get(id)?;
        store::audit(&self.db(), Some((id, &view.name)), "verify_requested", "")?;
        self.request_verification(id)
    }

    /// Marks every undecided credential as being checked and queues them all, in one
    /// statement and without an event per row (at start-up, before the window has listed).
    pub fn requeue_unverified(&self) -> Result<usize> {
        let Some(queue) = self.queue.read().unwrap().clone() else {
            return Ok(0);
        };
        let ids: Vec<String> = {
            let db = self.db();
            let mut stmt = db.prepare(
                "UPDATE credentials SET checking = 1, next_check_at = NULL, \
                 status_reason = 'Verifying…' WHERE status = 'UNVERIFIED' RETURNING id",
            )?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        };
        for id in &ids {
            let _ = queue.send(id.clone());
        }
        Ok(ids.len())
    }

    /// Opens a credential's secrets for one check; `None` if it was deleted meanwhile.
    pub fn begin_check(&self, id: &str) -> Result<Option<CheckJob>> {
        type Meta = (String, i64, String, String, String, Option<String>);
        let (meta, blobs): (Option<Meta>, Vec<(String, Vec<u8>)>) = {
            let db = self.db();
            let meta = db
                .query_row(
                    "SELECT name, generation, provider, public_fields, created_at, rotated_at \
                     FROM credentials WHERE id = ?1",
                    [id],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    },
                )
                .optional()?;
            let mut stmt = db
                .prepare_cached("SELECT field, blob FROM secret_fields WHERE credential_id = ?1")?;
            let blobs = stmt
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            (meta, blobs)
        };
        let Some((name, generation, provider, public, created_at, rotated_at)) = meta else {
            return Ok(None);
        };
        let provider: Provider = provider.parse().map_err(Error::Internal)?;
        if blobs.is_empty() {
            return Err(Error::Validation {
                field: None,
                message: "This credential has no stored secret (it was discarded by a vault reset); rotate it to enter the secret again.".into(),
            });
        }
        let key = self.key_for_secrets()?;
        let mut secrets = Vec::with_capacity(blobs.len());
        for (field, blob) in blobs {
            let binding = Binding {
                vault_id: &self.vault_id,
                credential_id: id,
                field: &field,
            };
            let plain = crypto::open(&key, binding, &blob)?;
            let text = String::from_utf8(plain.to_vec()).map_err(|_| Error::Integrity)?;
            secrets.push((field, SecretString::from(text)));
        }
        Ok(Some(CheckJob {
            id: id.into(),
            name,
            generation,
            provider,
            public: serde_json::from_str(&public).unwrap_or_default(),
            secrets,
            secret_since: rotated_at.unwrap_or(created_at),
        }))
    }

    /// Writes a check's outcome unless the credential was deleted or its secret changed
    /// since the check began. Returns the updated row, or `None` if the result was dropped.
    pub fn finish_check(
        &self,
        id: &str,
        generation: i64,
        update: StatusUpdate,
    ) -> Result<Option<CredentialView>> {
        let view = {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let before: Option<(String, String)> = tx
                .query_row(
                    "SELECT status, name FROM credentials WHERE id = ?1 AND generation = ?2",
                    params![id, generation],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((old_status, name)) = before else {
                return Ok(None);
            };
            let now = crate::time::now();
            let decided = update.status != Status::Unverified;
            tx.execute(
                "UPDATE credentials SET status = ?3, status_reason = ?4, \
                 identity = CASE WHEN ?3 = 'VALID' THEN ?5 WHEN ?3 = 'INVALID' THEN NULL ELSE identity END, \
                 checking = 0, next_check_at = ?6, updated_at = ?7, \
                 verified_at = CASE WHEN ?8 THEN ?7 ELSE verified_at END \
                 WHERE id = ?1 AND generation = ?2",
                params![
                    id,
                    generation,
                    update.status.as_str(),
                    update.reason,
                    update.identity,
                    update.next_check_at,
                    now,
                    decided
                ],
            )?;
            if old_status != update.status.as_str() || decided {
                let why = [update.identity.as_deref(), update.reason.as_deref()];
                let why: Vec<&str> = why.into_iter().flatten().collect();
                let details = match why.as_slice() {
                    [] => update.status.as_str().to_owned(),
                    parts => format!("{} — {}", update.status.as_str(), parts.join("; ")),
                };
                store::audit(&tx, Some((id, &name)), "verification", &details)?;
            }
            tx.commit()?;
            store::get_view(&db, id)?
        };
        if let Some(v) = &view {
            self.emit(CredentialEvent::Changed {
                credential: Box::new(v.clone()),
            });
        }
        Ok(view)
    }

    /// Audit events, newest last; all of them or one credential's.
    pub fn audit_events(&self, credential_id: Option<&str>) -> Result<Vec<AuditEvent>> {
        let db = self.db();
        let mut stmt = db.prepare(
            "SELECT seq, at, credential_id, credential_name, kind, details FROM audit_events \
             WHERE ?1 IS NULL OR credential_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([credential_id], |r| {
            Ok(AuditEvent {
                seq: r.get(0)?,
                at: r.get(1)?,
                credential_id: r.get(2)?,
                credential_name: r.get(3)?,
                kind: r.get(4)?,
                details: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a cloud resource created with a credential (deleted with it).
    pub fn add_cloud_resource(
        &self,
        credential_id: &str,
        kind: &str,
        external_id: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO cloud_resources (id, credential_id, kind, external_id, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                uuid::Uuid::now_v7().to_string(),
                credential_id,
                kind,
                external_id,
                crate::time::now()
            ],
        )?;
        Ok(())
    }

    /// True once per change another process (the CLI) committed since the last call, so
    /// an open window can reload.
    pub fn poll_external_change(&self) -> Result<bool> {
        let version: i64 = self
            .db()
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        let mut last = self.data_version.lock().unwrap();
        let changed = version != *last;
        *last = version;
        Ok(changed)
    }
}

fn insert_sealed(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    sealed: &[(&'static str, Vec<u8>)],
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO secret_fields (credential_id, field, blob) VALUES (?1, ?2, ?3)",
    )?;
    for (field, blob) in sealed {
        stmt.execute(params![id, field, blob])?;
    }
    Ok(())
}

fn unique_name(e: rusqlite::Error, name: &str) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, Some(msg))
            if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains("name_key") =>
        {
            Error::NameTaken(name.into())
        }
        _ => e.into(),
    }
}

impl CredentialService {
    /// The current secret generation of a credential (0 if it is gone).
    pub fn generation(&self, id: &str) -> Result<i64> {
        Ok(self
            .db()
            .query_row(
                "SELECT generation FROM credentials WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }
}

impl CredentialService {
    /// A credential's non-secret provider fields (key id, region, endpoint, tenant...).
    pub fn public_fields(&self, id: &str) -> Result<serde_json::Value> {
        let text: Option<String> = self
            .db()
            .query_row(
                "SELECT public_fields FROM credentials WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let text = text.ok_or_else(|| Error::NotFound(id.into()))?;
        Ok(serde_json::from_str(&text).unwrap_or_default())
    }

    /// Everything non-secret about a credential, with its audit trail.
    pub fn details(&self, id: &str) -> Result<CredentialDetails> {
        const LABELS: [(&str, &str); 9] = [
            ("access_key_id", "Access Key ID"),
            ("region", "Region"),
            ("endpoint", "Endpoint URL"),
            ("tenant_id", "Tenant ID"),
            ("client_id", "Client ID"),
            ("client_email", "Client email"),
            ("project_id", "Project ID"),
            ("private_key_id", "Private key ID"),
            ("token_uri", "Token URI"),
        ];
        let credential = self.get(id)?;
        let public = self.public_fields(id)?;
        let fields = LABELS
            .iter()
            .filter_map(|(key, label)| {
                let value = public.get(*key)?.as_str()?;
                Some(FieldInfo {
                    key: (*key).into(),
                    label: (*label).into(),
                    value: value.into(),
                })
            })
            .collect();
        Ok(CredentialDetails {
            credential,
            fields,
            audit: self.audit_events(Some(id))?,
        })
    }

    pub fn settings(&self) -> Result<Settings> {
        let days: Option<String> = self
            .db()
            .query_row(
                "SELECT value FROM settings WHERE key = 'key_age_threshold_days'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(Settings {
            key_age_threshold_days: days
                .and_then(|d| d.parse().ok())
                .unwrap_or(store::DEFAULT_KEY_AGE_THRESHOLD_DAYS),
        })
    }

    /// Saves preferences; the list reloads so key-age flags follow.
    pub fn set_settings(&self, settings: Settings) -> Result<Settings> {
        let days = settings.key_age_threshold_days;
        if !(1..=3650).contains(&days) {
            return Err(Error::validation(
                "key_age_threshold_days",
                format!("Choose a key age between 1 and 3650 days; {days} is out of range."),
            ));
        }
        self.db().execute(
            "INSERT INTO settings (key, value) VALUES ('key_age_threshold_days', ?1) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [days.to_string()],
        )?;
        self.emit(CredentialEvent::Reload);
        self.settings()
    }
}
