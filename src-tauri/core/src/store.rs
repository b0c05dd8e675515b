//! The SQLite store: opening, migrating, the row → view query and the audit trail's insert.
//!
//! The schema lives in `migrations/`; the statements every part of the service shares (the
//! view query, the audit insert) live here; each `service/` file owns the statements of its
//! own concern (see [`crate::service`]). Files are private to the user (dir 0700, database
//! 0600) because the metadata, though not secret, is nobody else's business; a folder in use
//! that the user chose as the data dir keeps its own mode (see [`create_private_dir`]).

use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::freshness::{Freshness, Now};
use crate::model::{CredentialView, Provider, Status};

/// Every schema version, oldest first; a database's `user_version` counts those applied.
fn migrations() -> Migrations<'static> {
    let mut steps: Vec<M<'static>> = MIGRATIONS[..3].iter().map(|sql| M::up(sql)).collect();
    steps.push(M::up_with_hook(MIGRATIONS[3], |tx: &Transaction| {
        rewrite_secret_hints(tx).map_err(Into::into)
    }));
    steps.extend(MIGRATIONS[4..].iter().map(|sql| M::up(sql)));
    Migrations::new(steps)
}

/// The SQL of every schema version, oldest first.
pub const MIGRATIONS: [&str; 7] = [
    include_str!("../migrations/001_initial.sql"),
    include_str!("../migrations/002_settings.sql"),
    include_str!("../migrations/003_key_custody.sql"),
    include_str!("../migrations/004_secret_free_hints.sql"),
    include_str!("../migrations/005_expiry.sql"),
    include_str!("../migrations/006_newest_first.sql"),
    include_str!("../migrations/007_environments.sql"),
];

/// Migration 004: hints from non-secret fields, and no secret's tail left in the audit trail.
fn rewrite_secret_hints(tx: &Transaction) -> rusqlite::Result<()> {
    let rows: Vec<(String, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT id, provider, public_fields FROM credentials \
             WHERE provider IN ('APISIX', 'AZURE')",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows
    };
    for (id, provider, public) in rows {
        let Ok(provider) = provider.parse() else {
            continue;
        };
        let public = serde_json::from_str(&public).unwrap_or_default();
        let hint = crate::validate::hint(provider, &public);
        tx.execute(
            "UPDATE credentials SET hint = ?2 WHERE id = ?1",
            [&id, &hint],
        )?;
        let mut stmt =
            tx.prepare("SELECT seq, details FROM audit_events WHERE credential_id = ?1")?;
        let entries: Vec<(i64, String)> = stmt
            .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (seq, details) in entries {
            let scrubbed = scrub_secret_tails(&details);
            if scrubbed != details {
                tx.execute(
                    "UPDATE audit_events SET details = ?2 WHERE seq = ?1",
                    rusqlite::params![seq, scrubbed],
                )?;
            }
        }
    }
    tx.execute_batch(
        "CREATE TRIGGER audit_events_are_append_only_update BEFORE UPDATE ON audit_events \
         BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    )
}

/// Replaces each old secret hint (`…` and up to four characters) with `…`.
pub fn scrub_secret_tails(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '…' {
            for _ in 0..4 {
                if chars
                    .peek()
                    .is_some_and(|n| !n.is_whitespace() && *n != ')' && *n != ';')
                {
                    chars.next();
                }
            }
        }
    }
    out
}

/// The newest schema version this build knows.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Days after which a key is flagged for rotation unless the admin chose otherwise.
pub const DEFAULT_KEY_AGE_THRESHOLD_DAYS: u32 = 90;
/// The `settings` row holding that number of days.
pub const KEY_AGE_THRESHOLD_SETTING: &str = "key_age_threshold_days";

pub const DB_FILE: &str = "entryguard.db";
const LOCK_FILE: &str = "entryguard.lock";

/// Opens (creating if needed) the database in `data_dir`, migrated to the latest schema.
/// Two processes opening a brand-new data dir take turns (the vault lock), so neither
/// sees a half-migrated schema.
pub fn open(data_dir: &Path) -> Result<Connection> {
    create_private_dir(data_dir)?;
    let _lock = lock_set_up(data_dir)?;
    let path = data_dir.join(DB_FILE);
    create_private_file(&path)?;
    let mut conn = Connection::open(&path)?;
    set_up(&mut conn).map_err(|e| match e {
        Error::Storage(rusqlite::Error::SqliteFailure(f, _))
            if matches!(
                f.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            Error::DamagedVault(path.clone())
        }
        e => e,
    })?;
    // Every check and list reuses its statements; parsing the view query each time
    // was a quarter of a check's CPU.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// The connection's settings, then the schema: the first reads of the file.
fn set_up(conn: &mut Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.create_scalar_function(
        "fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(ctx
                .get::<Option<String>>(0)?
                .map(|t| crate::listing::fold(&t)))
        },
    )?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(conn)
}

/// An exclusive, cross-process lock on a file in the data dir, held until dropped.
pub struct FileLock(std::fs::File);

impl FileLock {
    /// Waits up to `patience` for the lock on `data_dir/name` (a private file, made if
    /// missing); `None` when another process held it all that time.
    pub fn acquire(data_dir: &Path, name: &str, patience: Duration) -> Result<Option<Self>> {
        let path = data_dir.join(name);
        create_private_file(&path)?;
        let file = std::fs::OpenOptions::new().write(true).open(&path)?;
        let deadline = std::time::Instant::now() + patience;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(FileLock(file))),
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// The lock on a vault's set-up steps (schema migration, making or replacing the master
/// key). A lock file rather than a SQLite write lock, so that readers and other writers are
/// never blocked by a slow keychain.
pub fn lock_set_up(data_dir: &Path) -> Result<FileLock> {
    FileLock::acquire(data_dir, LOCK_FILE, Duration::from_secs(30))?.ok_or_else(|| {
        Error::Busy("another EntryGuard process has been setting up this vault for 30 s".into())
    })
}

/// Applies pending migrations, refusing a database from a newer build.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > schema_version() {
        return Err(Error::NewerSchema {
            found,
            known: schema_version(),
        });
    }
    migrations().to_latest(conn)?;
    Ok(())
}

/// Creates `dir` (and parents) readable by the user alone. An existing directory that holds
/// other things than a vault keeps its mode: `--data-dir` pointed at a folder in use must not
/// change who may list it, and the files EntryGuard keeps there are private in any case.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    let foreign =
        dir.is_dir() && !dir.join(DB_FILE).exists() && std::fs::read_dir(dir)?.next().is_some();
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    if !foreign {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        options.open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    options.open(path)?;
    Ok(())
}

/// Whole days since a credential's secret was stored (rotation or creation), never below 0.
pub(crate) const KEY_AGE_DAYS: &str = "MAX(0, CAST(julianday('now') - \
     julianday(COALESCE(c.rotated_at, c.created_at)) AS INTEGER))";

/// The view query up to its `WHERE`: the columns [`view_from_row`] reads, in its order.
/// `whole_list` counts every credential's cloud resources in one pass over them, joined
/// in; otherwise each row looks its own up, which suits a few rows.
pub(crate) fn view_select(whole_list: bool) -> String {
    let (resource_count, join) = match whole_list {
        true => (
            "COALESCE(r.n, 0)",
            " LEFT JOIN (SELECT credential_id, COUNT(*) AS n FROM cloud_resources \
             GROUP BY credential_id) r ON r.credential_id = c.id",
        ),
        false => (
            "(SELECT COUNT(*) FROM cloud_resources r WHERE r.credential_id = c.id)",
            "",
        ),
    };
    format!(
        "SELECT c.id, c.name, c.provider, c.type, c.environment, c.status, \
         c.status_reason, c.checking, c.created_at, c.updated_at, c.verified_at, \
         c.next_check_at, c.identity, c.hint, {resource_count}, c.rotated_at, \
         {KEY_AGE_DAYS}, \
         COALESCE((SELECT CAST(value AS INTEGER) FROM settings \
                   WHERE key = '{KEY_AGE_THRESHOLD_SETTING}'), {DEFAULT_KEY_AGE_THRESHOLD_DAYS}), \
         c.expires_at \
         FROM credentials c{join}"
    )
}

pub fn view_from_row(row: &Row<'_>) -> rusqlite::Result<CredentialView> {
    Ok(CredentialView {
        id: row.get(0)?,
        name: row.get(1)?,
        provider: parse_enum(row, 2, Provider::ALL.iter().map(|p| (p.as_str(), *p)))?,
        credential_type: parse_enum(
            row,
            3,
            Provider::ALL
                .iter()
                .map(|p| (p.credential_type().as_str(), p.credential_type())),
        )?,
        environment: row.get(4)?,
        status: parse_enum(row, 5, Status::ALL.into_iter().map(|s| (s.as_str(), s)))?,
        status_reason: row.get(6)?,
        checking: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
        verified_at: row.get(10)?,
        next_check_at: row.get(11)?,
        identity: row.get(12)?,
        hint: row.get(13)?,
        resource_count: row.get(14)?,
        rotated_at: row.get(15)?,
        key_age_days: row.get(16)?,
        key_stale: row.get::<_, i64>(16)? >= row.get::<_, i64>(17)?,
        // Filled by [`crate::freshness::Freshness::apply`], which knows the interval.
        stale_at: None,
        stale: false,
        expires_at: row.get(18)?,
        expires_soon: false,
    })
}

fn parse_enum<T: Copy>(
    row: &Row<'_>,
    idx: usize,
    mut table: impl Iterator<Item = (&'static str, T)>,
) -> rusqlite::Result<T> {
    let text = row.get_ref(idx)?.as_str()?;
    table
        .find(|(s, _)| *s == text)
        .map(|(_, v)| v)
        .ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                idx,
                rusqlite::types::Type::Text,
                format!("unknown value {text:?}").into(),
            )
        })
}

pub fn get_view(conn: &Connection, id: &str, fresh: &Freshness) -> Result<Option<CredentialView>> {
    static SQL: LazyLock<String> =
        LazyLock::new(|| format!("{} WHERE c.id = ?1", view_select(false)));
    let mut view = conn
        .prepare_cached(&SQL)?
        .query_row([id], view_from_row)
        .optional()?;
    if let Some(v) = &mut view {
        fresh.apply(v, &Now::new());
    }
    Ok(view)
}

/// Every view, newest first. The rows come in table order and are sorted here: looking
/// each one up from the `credentials_newest_first` index cost SQLite more than reading the
/// table straight through and sorting in memory.
pub fn list_views(conn: &Connection, fresh: &Freshness) -> Result<Vec<CredentialView>> {
    let mut stmt = conn.prepare_cached(&view_select(true))?;
    let now = Now::new();
    let rows = stmt.query_map([], |r| {
        let mut view = view_from_row(r)?;
        fresh.apply(&mut view, &now);
        Ok(view)
    })?;
    let mut views: Vec<CredentialView> = rows.collect::<rusqlite::Result<_>>()?;
    // The index's order: text order, as SQLite's BINARY collation compares. Table order is
    // creation order, so this is one reversal of an almost sorted list.
    views.sort_by(|a, b| {
        (b.created_at.as_str(), b.id.as_str()).cmp(&(a.created_at.as_str(), a.id.as_str()))
    });
    Ok(views)
}

/// Appends an audit event. `details` must never contain a secret.
pub fn audit(
    conn: &Connection,
    credential: Option<(&str, &str)>,
    kind: &str,
    details: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_events (at, credential_id, credential_name, kind, details) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        crate::time::now(),
        credential.map(|c| c.0),
        credential.map(|c| c.1),
        kind,
        details
    ])?;
    Ok(())
}

/// Number of credentials whose secret a vault reset set aside.
pub fn quarantined_count(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT COUNT(DISTINCT credential_id) FROM quarantined_fields",
        [],
        |r| r.get(0),
    )?)
}
