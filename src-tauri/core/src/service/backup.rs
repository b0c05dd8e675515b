//! Encrypted backup and restore: a vault carried to a new laptop, past a lost keychain, or
//! to a second admin, without re-entering every key.
//!
//! The file is [age](https://age-encryption.org) with its scrypt passphrase recipient (a
//! standard format, readable by `age -d` as well), around a JSON document:
//! `{format, version, created_at, credentials: [{name, environment, provider, type,
//! public_fields, secrets, created_at, rotated_at}], audit}`. Secrets exist in clear only
//! inside the age stream: the document is serialized straight into the encrypting writer,
//! which writes a private temp file beside the target, synced, then renamed over it.
//!
//! A restore decrypts into a zeroizing buffer, validates every credential with the rules a
//! new one meets, seals each secret with this vault's key, and writes everything in one
//! transaction: a wrong passphrase, a damaged file or a newer format changes nothing.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::path::Path;

use rusqlite::{params, TransactionBehavior};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use super::credentials::{insert_new, Dates};
use super::CredentialService;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store;
use crate::validate::{self, Validated};

const FORMAT: &str = "entryguard-backup";
/// The newest backup format this build writes and reads.
pub const BACKUP_VERSION: u32 = 1;
/// Shortest passphrase accepted for a new backup.
pub const PASSPHRASE_MIN: usize = 12;
/// A progress event is sent about every 1% of a large task.
const PROGRESS_STEPS: u32 = 100;

/// The document inside the age stream, as written.
#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    created_at: String,
    credentials: Vec<Entry<'a>>,
    audit: Option<Vec<AuditEvent>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    name: &'a str,
    environment: Option<&'a str>,
    provider: Provider,
    #[serde(rename = "type")]
    credential_type: CredentialType,
    public_fields: Value,
    secrets: BTreeMap<&'a str, &'a str>,
    created_at: &'a str,
    rotated_at: Option<&'a str>,
}

/// The document as read back; secrets only ever in `SecretString`s.
#[derive(Deserialize)]
struct ReadDocument {
    format: String,
    version: u32,
    created_at: String,
    credentials: Vec<ReadEntry>,
    #[serde(default)]
    audit: Option<Vec<ReadAudit>>,
}

#[derive(Deserialize)]
struct ReadEntry {
    id: String,
    name: String,
    environment: Option<String>,
    provider: Provider,
    #[serde(rename = "type")]
    credential_type: CredentialType,
    public_fields: Value,
    secrets: BTreeMap<String, SecretString>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    rotated_at: Option<String>,
}

#[derive(Deserialize)]
struct ReadAudit {
    at: String,
    credential_id: Option<String>,
    kind: String,
    details: String,
}

/// Checks a new backup's passphrase: long enough and not a repeated pattern.
pub fn passphrase(passphrase: &SecretString) -> Result<()> {
    let text = passphrase.expose_secret();
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < PASSPHRASE_MIN {
        return Err(Error::validation(
            "passphrase",
            format!(
                "Use a passphrase of at least {PASSPHRASE_MIN} characters (this one has {}); \
                 a few unrelated words work well.",
                chars.len()
            ),
        ));
    }
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 6 {
        return Err(Error::validation(
            "passphrase",
            "This passphrase repeats too few characters to be safe; use a few unrelated words.",
        ));
    }
    Ok(())
}

impl CredentialService {
    /// Writes every credential (and, with `include_audit`, the audit trail) to `out`,
    /// encrypted with `passphrase`.
    pub fn backup(
        &self,
        out: &Path,
        passphrase_text: &SecretString,
        include_audit: bool,
    ) -> Result<BackupReport> {
        passphrase(passphrase_text)?;
        let views = self.list()?;
        let total = views.len() as u32;
        let mut opened = Vec::with_capacity(views.len());
        let mut left_out = Vec::new();
        for (done, view) in views.iter().enumerate() {
            // One credential whose secret cannot be read (set aside by a vault reset, or
            // failing its integrity check) must not cost the admin the backup of the rest;
            // the report names it. A keychain or storage failure still stops the backup.
            match self.begin_check(&view.id) {
                Ok(Some(job)) => opened.push((view, job)),
                Ok(None) => {} // deleted meanwhile
                Err(e @ (Error::Validation { .. } | Error::Integrity)) => left_out.push(LeftOut {
                    name: view.name.clone(),
                    reason: e.to_string(),
                }),
                Err(e) => return Err(e),
            }
            self.progress("backup", done as u32 + 1, total);
        }
        let audit = include_audit.then(|| self.audit_events(None)).transpose()?;
        let audit_events = audit.as_ref().map_or(0, Vec::len) as u32;
        let document = Document {
            format: FORMAT,
            version: BACKUP_VERSION,
            created_at: crate::time::now(),
            credentials: opened
                .iter()
                .map(|(view, job)| Entry {
                    id: &view.id,
                    name: &view.name,
                    environment: view.environment.as_deref(),
                    provider: view.provider,
                    credential_type: view.credential_type,
                    public_fields: job.public.clone(),
                    secrets: job
                        .secrets
                        .iter()
                        .map(|(field, value)| (field.as_str(), value.expose_secret()))
                        .collect(),
                    created_at: &view.created_at,
                    rotated_at: view.rotated_at.as_deref(),
                })
                .collect(),
            audit,
        };
        write_encrypted(out, passphrase_text, &document)?;
        let report = BackupReport {
            file: out.display().to_string(),
            credentials: opened.len() as u32,
            audit_events,
            left_out,
        };
        let left_out_names = match report.left_out.len() {
            0 => String::new(),
            n => format!(
                "; {n} left out, their secret unreadable: {}",
                some_names(&report.left_out)
            ),
        };
        store::audit(
            &self.db(),
            None,
            "vault_backup",
            &format!(
                "{} credentials{} to {}{left_out_names}",
                report.credentials,
                if include_audit {
                    " and the audit trail"
                } else {
                    ""
                },
                report.file
            ),
        )?;
        Ok(report)
    }

    /// What restoring `file` would bring; changes nothing.
    pub fn restore_preview(
        &self,
        file: &Path,
        passphrase: &SecretString,
    ) -> Result<RestorePreview> {
        self.preview_of(file, &read_encrypted(file, passphrase)?)
    }

    /// Decrypts `file` once, shows `proceed` the preview, and restores it if `proceed` says
    /// so (`None` when not): what the CLI does between asking and restoring.
    pub fn restore_confirmed(
        &self,
        file: &Path,
        passphrase: &SecretString,
        on_conflict: OnConflict,
        proceed: impl FnOnce(&RestorePreview) -> bool,
    ) -> Result<Option<RestoreReport>> {
        let document = read_encrypted(file, passphrase)?;
        if !proceed(&self.preview_of(file, &document)?) {
            return Ok(None);
        }
        self.restore_document(file, document, on_conflict).map(Some)
    }

    fn preview_of(&self, file: &Path, document: &ReadDocument) -> Result<RestorePreview> {
        let taken = self.taken_names()?;
        Ok(RestorePreview {
            file: file.display().to_string(),
            created_at: document.created_at.clone(),
            audit_events: document.audit.as_ref().map_or(0, Vec::len) as u32,
            credentials: document
                .credentials
                .iter()
                .map(|e| RestoreEntry {
                    name: e.name.clone(),
                    exists: taken.contains(&validate::name_key(&e.name)),
                    environment: e.environment.clone(),
                    provider: e.provider,
                    credential_type: e.credential_type,
                })
                .collect(),
        })
    }

    /// Restores `file` into this vault in one transaction, sealing each secret with this
    /// vault's key; existing names are skipped or restored under a new name.
    pub fn restore(
        &self,
        file: &Path,
        passphrase: &SecretString,
        on_conflict: OnConflict,
    ) -> Result<RestoreReport> {
        self.restore_document(file, read_encrypted(file, passphrase)?, on_conflict)
    }

    fn restore_document(
        &self,
        file: &Path,
        document: ReadDocument,
        on_conflict: OnConflict,
    ) -> Result<RestoreReport> {
        let mut taken = self.taken_names()?;
        // Validate everything first, as a new credential would be: nothing is written
        // unless all of it can be.
        let mut planned = Vec::new();
        let mut report = RestoreReport {
            restored: 0,
            renamed: 0,
            skipped: 0,
            queued: 0,
            ids: Vec::new(),
        };
        for entry in document.credentials {
            let name = if taken.contains(&validate::name_key(&entry.name)) {
                match on_conflict {
                    OnConflict::Skip => {
                        report.skipped += 1;
                        continue;
                    }
                    OnConflict::Rename => {
                        report.renamed += 1;
                        free_name(&entry.name, &taken)
                    }
                }
            } else {
                entry.name.clone()
            };
            taken.insert(validate::name_key(&name));
            let old_id = entry.id.clone();
            let dates = restored_dates(&entry);
            let valid = validated(entry, name)?;
            planned.push((old_id, uuid::Uuid::now_v7().to_string(), valid, dates));
        }
        let key = self.key(true)?.expect("key(true) always yields a key");
        let total = planned.len() as u32;
        let sealed: Vec<_> = planned
            .iter()
            .enumerate()
            .map(|(done, (_, id, valid, _))| {
                self.progress("restore", done as u32 + 1, total);
                self.seal_valid(&key, id, valid)
            })
            .collect();
        let details = format!("restored from backup {}", file.display());
        // Each credential's trail, found by its id in the backup (one pass, not one a row).
        let mut trails: std::collections::HashMap<&str, Vec<&ReadAudit>> = Default::default();
        for event in document.audit.iter().flatten() {
            if let Some(id) = event.credential_id.as_deref() {
                trails.entry(id).or_default().push(event);
            }
        }
        {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for ((old_id, id, valid, dates), sealed) in planned.iter().zip(&sealed) {
                // The trail the backup carried comes first, then the restore itself.
                for event in trails.get(old_id.as_str()).into_iter().flatten() {
                    tx.execute(
                        "INSERT INTO audit_events (at, credential_id, credential_name, kind, details) \
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![event.at, id, valid.name, event.kind, event.details],
                    )?;
                }
                insert_new(&tx, id, valid, sealed, dates, ("restored", Some(&details)))?;
            }
            store::audit(
                &tx,
                None,
                "vault_restore",
                &format!(
                    "{} credentials restored ({} renamed, {} skipped) from {}",
                    planned.len(),
                    report.renamed,
                    report.skipped,
                    file.display()
                ),
            )?;
            tx.commit()?;
        }
        report.restored = planned.len() as u32;
        report.queued = (self.requeue_unverified()? as u32).min(report.restored);
        report.ids = planned.into_iter().map(|(_, id, _, _)| id).collect();
        self.emit(CredentialEvent::Reload);
        Ok(report)
    }

    /// Tells the window how far a long task is, about every 1%.
    fn progress(&self, task: &str, done: u32, total: u32) {
        let step = (total / PROGRESS_STEPS).max(1);
        if done == total || done.is_multiple_of(step) {
            self.emit(CredentialEvent::Progress {
                task: task.into(),
                done,
                total,
            });
        }
    }
}

/// `name (restored)`, `name (restored 2)`, … whichever is free.
fn free_name(name: &str, taken: &std::collections::HashSet<String>) -> String {
    (1..)
        .map(|n| match n {
            1 => format!("{name} (restored)"),
            n => format!("{name} (restored {n})"),
        })
        .find(|candidate| !taken.contains(&validate::name_key(candidate)))
        .expect("an unbounded search finds a free name")
}

/// The backup's creation and rotation times when they are times, not in the future and in
/// order; else now. An older backup without them costs a key its age, never the restore.
fn restored_dates(entry: &ReadEntry) -> Dates {
    let now = time::OffsetDateTime::now_utc();
    let past = |text: &Option<String>| {
        let at = crate::time::parse(text.as_deref()?)?;
        (at <= now).then(|| crate::time::format(at))
    };
    match past(&entry.created_at) {
        Some(created_at) => Dates {
            rotated_at: past(&entry.rotated_at).filter(|r| *r >= created_at),
            created_at,
        },
        None => Dates::now(),
    }
}

/// A backed-up credential checked with the rules a new one meets.
fn validated(mut entry: ReadEntry, name: String) -> Result<Validated> {
    let text = |key: &str| {
        entry
            .public_fields
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut secret = |key: &str| entry.secrets.remove(key);
    let missing = || Error::BackupDamaged("a credential in it has no secret".into());
    let spec = match entry.provider {
        Provider::Aws => ProviderSpec::Aws {
            access_key_id: text("access_key_id"),
            secret_access_key: secret("secret_access_key").ok_or_else(missing)?,
            session_token: secret("session_token"),
            region: Some(text("region")),
        },
        Provider::Apisix => ProviderSpec::Apisix {
            endpoint: text("endpoint"),
            admin_key: secret("admin_key").ok_or_else(missing)?,
        },
        Provider::Azure => ProviderSpec::Azure {
            tenant_id: text("tenant_id"),
            client_id: text("client_id"),
            client_secret: secret("client_secret").ok_or_else(missing)?,
        },
        Provider::Gcp => ProviderSpec::Gcp {
            service_account_json: secret("service_account_json").ok_or_else(missing)?,
        },
    };
    let input = NewCredential {
        name,
        environment: entry.environment.take(),
        credential_type: Some(entry.credential_type),
        spec,
    };
    validate::validate(&input).map_err(|e| match e {
        Error::Validation { message, .. } => Error::BackupDamaged(format!(
            "“{}” does not pass today's rules: {message}",
            input.name
        )),
        other => other,
    })
}

/// Serializes `document` into an age stream in a private temp file beside `out`, synced and
/// renamed over it, so a crash leaves the old file or the new one, never half of one.
fn write_encrypted(out: &Path, passphrase: &SecretString, document: &Document<'_>) -> Result<()> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out.file_name().ok_or_else(|| {
        Error::validation("out", format!("{} is not a file name.", out.display()))
    })?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        uuid::Uuid::now_v7().simple()
    ));
    let result = (|| -> Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&temp)?;
        let encryptor = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(
            passphrase.expose_secret().to_owned(),
        ));
        let mut writer = encryptor
            .wrap_output(std::io::BufWriter::new(file))
            .map_err(|e| Error::Internal(format!("starting the backup stream: {e}")))?;
        serde_json::to_writer(&mut writer, document)
            .map_err(|e| Error::Internal(format!("writing the backup: {e}")))?;
        let file = writer.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, out)?;
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// More than any vault's backup holds (10,000 credentials with their trail are ~5 MB): a
/// wrong file is refused after this much, never read whole.
const MAX_BACKUP_BYTES: u64 = 256 << 20;

/// Decrypts and parses a backup; every failure is a specific error and nothing else happens.
fn read_encrypted(file: &Path, passphrase: &SecretString) -> Result<ReadDocument> {
    // Streamed, and refused by its first bytes when it is not age's, whatever its size (age
    // itself would read a header line without end); never more than a backup's size.
    let could_not_read = |e: std::io::Error| {
        Error::validation("file", format!("Could not read {}: {e}", file.display()))
    };
    let opened = std::fs::File::open(file).map_err(could_not_read)?;
    let mut input = std::io::BufReader::new(opened.take(MAX_BACKUP_BYTES + (1 << 20)));
    if !input
        .fill_buf()
        .map_err(could_not_read)?
        .starts_with(b"age-encryption.org/v1\n")
    {
        return Err(Error::BackupDamaged("not an age-encrypted backup".into()));
    }
    let decryptor = age::Decryptor::new_buffered(input)
        .map_err(|e| Error::BackupDamaged(format!("not an age-encrypted backup: {e}")))?;
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(
        passphrase.expose_secret().to_owned(),
    ));
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => {
                Error::WrongPassphrase
            }
            other => Error::BackupDamaged(other.to_string()),
        })?;
    let mut plain = Zeroizing::new(Vec::new());
    (&mut reader)
        .take(MAX_BACKUP_BYTES + 1)
        .read_to_end(&mut plain)
        .map_err(|e| Error::BackupDamaged(format!("its contents do not decrypt: {e}")))?;
    if plain.len() as u64 > MAX_BACKUP_BYTES {
        return Err(Error::BackupDamaged(
            "it holds more than 256 MiB, more than any EntryGuard backup".into(),
        ));
    }
    let document: ReadDocument = serde_json::from_slice(&plain)
        .map_err(|_| Error::BackupDamaged("it is not an EntryGuard backup".into()))?;
    if document.format != FORMAT {
        return Err(Error::BackupDamaged(
            "it is not an EntryGuard backup".into(),
        ));
    }
    if document.version > BACKUP_VERSION {
        return Err(Error::BackupNewer {
            found: document.version,
            known: BACKUP_VERSION,
        });
    }
    Ok(document)
}

/// The names an audit entry gives of what a backup left out: a vault whose every secret was
/// set aside would otherwise write one entry as long as the vault.
fn some_names(left_out: &[LeftOut]) -> String {
    const NAMED: usize = 20;
    let names: Vec<&str> = left_out
        .iter()
        .take(NAMED)
        .map(|l| l.name.as_str())
        .collect();
    match left_out.len().saturating_sub(NAMED) {
        0 => names.join(", "),
        more => format!("{} and {more} more", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audit_entry_names_the_first_twenty_left_out_and_counts_the_rest() {
        let left_out = |n: usize| -> Vec<LeftOut> {
            (1..=n)
                .map(|i| LeftOut {
                    name: format!("c{i}"),
                    reason: "unreadable".into(),
                })
                .collect()
        };
        assert_eq!(some_names(&left_out(2)), "c1, c2");
        assert_eq!(some_names(&left_out(20)).matches(", ").count(), 19);
        let many = some_names(&left_out(10_000));
        assert!(
            many.starts_with("c1, c2, ") && many.ends_with("c20 and 9980 more"),
            "{many}"
        );
    }

    #[test]
    fn short_or_repetitive_passphrases_are_refused_with_the_reason() {
        let check = |p: &str| passphrase(&SecretString::from(p.to_owned()));
        assert!(check("short")
            .unwrap_err()
            .to_string()
            .contains("at least 12"));
        assert!(check("aaaaaaaaaaaaaaaa")
            .unwrap_err()
            .to_string()
            .contains("repeats"));
        assert!(check("correct horse battery").is_ok());
    }

    fn dated(created_at: Option<&str>, rotated_at: Option<&str>) -> Dates {
        restored_dates(&ReadEntry {
            id: "id".into(),
            name: "name".into(),
            environment: None,
            provider: Provider::Apisix,
            credential_type: Provider::Apisix.credential_type(),
            public_fields: Value::Null,
            secrets: BTreeMap::new(),
            created_at: created_at.map(Into::into),
            rotated_at: rotated_at.map(Into::into),
        })
    }

    #[test]
    fn a_restored_credential_keeps_its_dates_only_when_they_are_past_times_in_order() {
        let kept = dated(
            Some("2025-01-02T03:04:05+01:00"),
            Some("2025-06-01T00:00:00Z"),
        );
        assert_eq!(
            kept.created_at, "2025-01-02T02:04:05.000Z",
            "stored in the one format"
        );
        assert_eq!(kept.rotated_at.as_deref(), Some("2025-06-01T00:00:00.000Z"));
        let before = dated(Some("2025-06-01T00:00:00Z"), Some("2025-01-01T00:00:00Z"));
        assert_eq!(before.rotated_at, None, "a rotation before the creation");
        let now = crate::time::now();
        for created in [None, Some("yesterday"), Some("9999-01-01T00:00:00Z")] {
            let dates = dated(created, Some("2025-06-01T00:00:00Z"));
            assert!(dates.created_at >= now, "{created:?} gives now");
            assert_eq!(dates.rotated_at, None);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_backup_dates_give_a_stored_time_no_later_than_now(
            created in proptest::option::of(".*"), rotated in proptest::option::of(".*")
        ) {
            let dates = dated(created.as_deref(), rotated.as_deref());
            let after = crate::time::now();
            proptest::prop_assert!(crate::time::parse(&dates.created_at).is_some());
            proptest::prop_assert!(dates.created_at <= after);
            if let Some(r) = &dates.rotated_at {
                proptest::prop_assert!(*r >= dates.created_at && *r <= after);
            }
        }
    }

    #[test]
    fn restored_names_that_exist_get_the_next_free_suffix() {
        let taken = ["prod", "prod (restored)"].map(String::from).into();
        assert_eq!(free_name("Prod", &taken), "Prod (restored 2)");
    }

    /// A backup document of `version` holding `credentials`.
    fn document(version: u32, credentials: Vec<Entry<'static>>) -> Document<'static> {
        Document {
            format: FORMAT,
            version,
            created_at: "2026-12-02T00:00:00Z".into(),
            credentials,
            audit: None,
        }
    }

    #[test]
    fn a_backup_holds_no_secret_in_clear_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("vault.egbackup");
        let document = document(
            BACKUP_VERSION,
            vec![Entry {
                id: "1",
                name: "gateway",
                environment: None,
                provider: Provider::Apisix,
                credential_type: CredentialType::AdminKey,
                public_fields: serde_json::json!({"endpoint": "https://apisix.example.com"}),
                secrets: [("admin_key", "CANARYbackupSECRET0123")].into(),
                created_at: "2026-12-01T00:00:00Z",
                rotated_at: None,
            }],
        );
        let pass = SecretString::from("correct horse battery".to_owned());
        write_encrypted(&out, &pass, &document).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"CANARY"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let back = read_encrypted(&out, &pass).unwrap();
        assert_eq!(back.credentials[0].name, "gateway");
        assert_eq!(
            back.credentials[0].secrets["admin_key"].expose_secret(),
            "CANARYbackupSECRET0123"
        );
        let wrong = SecretString::from("not the passphrase".to_owned());
        assert!(matches!(
            read_encrypted(&out, &wrong),
            Err(Error::WrongPassphrase)
        ));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file is left behind"
        );
    }

    #[test]
    fn a_backup_from_a_newer_format_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("future.egbackup");
        let document = document(BACKUP_VERSION + 1, Vec::new());
        let pass = SecretString::from("correct horse battery".to_owned());
        write_encrypted(&out, &pass, &document).unwrap();
        assert!(matches!(
            read_encrypted(&out, &pass),
            Err(Error::BackupNewer { found: 2, known: 1 })
        ));
    }
}
