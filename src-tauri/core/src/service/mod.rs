//! `CredentialService`: the one place that combines the store, the sealing and the keychain.
//!
//! Callers (Tauri commands, the CLI, the verifier) never see SQL or crypto. Every mutation is
//! one transaction, so a crash leaves each credential complete or absent. The master key is
//! read from the keychain once per process and only when a secret must be sealed or opened:
//! listing and deleting work even when the keychain is locked or the key is gone.
//!
//! One `impl CredentialService` block per concern, each in its own file, and each file owns
//! the SQL of its concern (run inside its own transactions):
//! - `mod.rs` — opening the vault, the event sink, noticing other processes' changes;
//! - [`vault_key`] — key custody: load or create the master key, the key check, reset;
//! - [`credentials`] — create, list, resolve, rotate, delete, details;
//! - [`checks`] — queue a check, open a credential for it, record its outcome;
//! - [`settings`] — vault-wide preferences;
//! - [`import`] — AWS shared credentials files;
//! - [`backup`] — encrypted backup and restore.
//!
//! [`crate::store`] owns the schema, the row → view query and the audit trail's insert.

mod backup;
mod checks;
mod credentials;
mod import;
mod settings;
mod vault_key;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::{params, Connection};
use tokio::sync::mpsc::UnboundedSender;

use crate::error::Result;
use crate::keychain::KeySource;
use crate::model::CredentialEvent;
use crate::store;

pub use backup::{passphrase as check_passphrase, BACKUP_VERSION, PASSPHRASE_MIN};
pub use vault_key::RESET_CONFIRMATION;

/// Receives domain events; the app forwards them to the window.
pub trait EventSink: Send + Sync {
    fn emit(&self, event: CredentialEvent);
}

/// A sink that drops events (CLI, tests).
pub struct NullSink;
impl EventSink for NullSink {
    fn emit(&self, _: CredentialEvent) {}
}

pub struct CredentialService {
    conn: Mutex<Connection>,
    data_dir: PathBuf,
    vault_id: String,
    keys: Arc<dyn KeySource>,
    key: Mutex<Option<Arc<vault_key::VaultKey>>>,
    sink: RwLock<Arc<dyn EventSink>>,
    queue: RwLock<Option<UnboundedSender<String>>>,
    data_version: Mutex<i64>,
    recheck_override: Mutex<Option<std::time::Duration>>,
}

impl CredentialService {
    /// Opens the vault in `data_dir`. Does not touch the keychain.
    pub fn open(data_dir: &Path, keys: Arc<dyn KeySource>) -> Result<Self> {
        let conn = store::open(data_dir)?;
        // Two processes opening a brand-new vault: the first insert wins, both read it.
        conn.execute(
            "INSERT OR IGNORE INTO vault (singleton, vault_id, created_at) VALUES (1, ?1, ?2)",
            params![uuid::Uuid::now_v7().to_string(), crate::time::now()],
        )?;
        let vault_id: String = conn.query_row("SELECT vault_id FROM vault", [], |r| r.get(0))?;
        let version = external_version(&conn)?;
        Ok(CredentialService {
            conn: Mutex::new(conn),
            data_dir: data_dir.to_owned(),
            vault_id,
            keys,
            key: Mutex::new(None),
            sink: RwLock::new(Arc::new(NullSink)),
            queue: RwLock::new(None),
            data_version: Mutex::new(version),
            recheck_override: Mutex::new(settings::recheck_override_from_env()),
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

    /// True once per change another process (the CLI) committed since the last call, so
    /// an open window can reload.
    pub fn poll_external_change(&self) -> Result<bool> {
        let version = external_version(&self.db())?;
        let mut last = self.data_version.lock().unwrap();
        let changed = version != *last;
        *last = version;
        Ok(changed)
    }

    /// Where the vault's writes stand: two equal stamps mean nothing was written between
    /// them, by this process or another, so what was read after the first is still current.
    pub fn change_stamp(&self) -> Result<ChangeStamp> {
        let db = self.db();
        Ok(ChangeStamp {
            ours: db.total_changes(),
            others: external_version(&db)?,
        })
    }
}

/// See [`CredentialService::change_stamp`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeStamp {
    /// Rows this connection inserted, updated or deleted (committed or not: a rollback only
    /// makes a stamp look changed, never the reverse).
    ours: u64,
    /// SQLite's count of commits by other connections.
    others: i64,
}

fn external_version(db: &Connection) -> Result<i64> {
    Ok(db.pragma_query_value(None, "data_version", |r| r.get(0))?)
}
