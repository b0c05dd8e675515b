//! Encrypted backup and restore on the real keychain: a backup holds no secret in clear,
//! restores into another vault (another key) with every secret opening, and a wrong
//! passphrase or a damaged, truncated or newer file changes nothing.

mod support;

use entryguard_core::{
    CredentialService, Error, ExposeSecret, NewCredential, OnConflict, SecretString,
};
use serde_json::json;
use support::keychain_service;

const CANARY: &str = "CANARYbackupADMINkey0123456789";
const PASSPHRASE: &str = "correct horse battery staple";

fn apisix(name: &str) -> NewCredential {
    serde_json::from_value(
        json!({"name": name, "environment": "production", "type": null,
        "provider": "APISIX", "fields": {"endpoint": "https://apisix.example.com:9180",
        "admin_key": CANARY}}),
    )
    .unwrap()
}

fn pass(text: &str) -> SecretString {
    SecretString::from(text.to_owned())
}

fn secret_of(service: &CredentialService, id: &str) -> String {
    let job = service.begin_check(id).unwrap().unwrap();
    job.secrets[0].1.expose_secret().to_owned()
}

/// A vault on the real keychain holding one APISIX credential, and its backup (with the
/// audit trail) in a temp dir.
fn backed_up() -> (
    Vec<tempfile::TempDir>,
    std::sync::Arc<CredentialService>,
    std::path::PathBuf,
) {
    let (data, vault, _) = keychain_service();
    vault.create(apisix("Gateway")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vault.egbackup");
    vault.backup(&file, &pass(PASSPHRASE), true).unwrap();
    (vec![data, dir], vault, file)
}

/// Every credential's secret in `service`, by name.
fn secrets(service: &CredentialService) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = service
        .list()
        .unwrap()
        .iter()
        .map(|v| (v.name.clone(), secret_of(service, &v.id)))
        .collect();
    all.sort();
    all
}

#[test]
fn a_restored_key_keeps_its_age_and_its_rotation_reminder() {
    let (data, source, _) = keychain_service();
    let old = source.create(apisix("Old gateway")).unwrap();
    let rotated = source.create(apisix("Rotated gateway")).unwrap();
    source.create(apisix("New gateway")).unwrap();
    let db = rusqlite::Connection::open(data.path().join("entryguard.db")).unwrap();
    db.execute(
        "UPDATE credentials SET created_at = '2025-01-02T03:04:05.000Z' WHERE id = ?1",
        [&old.id],
    )
    .unwrap();
    db.execute(
        "UPDATE credentials SET created_at = '2024-05-01T00:00:00.000Z', \
         rotated_at = '2026-11-01T00:00:00.000Z' WHERE id = ?1",
        [&rotated.id],
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vault.egbackup");
    source.backup(&file, &pass(PASSPHRASE), false).unwrap();

    let (_b, target, _) = keychain_service();
    target
        .restore(&file, &pass(PASSPHRASE), OnConflict::Skip)
        .unwrap();
    let dates = |service: &CredentialService| {
        let mut all: Vec<_> = service
            .list()
            .unwrap()
            .into_iter()
            .map(|v| {
                (
                    v.name,
                    v.created_at,
                    v.rotated_at,
                    v.key_age_days,
                    v.key_stale,
                )
            })
            .collect();
        all.sort();
        all
    };
    let restored = dates(&target);
    assert_eq!(restored, dates(&source));
    let old = restored.iter().find(|r| r.0 == "Old gateway").unwrap();
    assert!(
        old.3 > 300 && old.4,
        "a key of 2025 is still due for rotation: {old:?}"
    );
}

#[test]
fn a_backup_restores_into_another_vault_with_every_secret_and_its_history() {
    let (_a, source, _) = keychain_service();
    let made = source.create(apisix("Gateway")).unwrap();
    source.create(apisix("Staging gateway")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vault.egbackup");
    let report = source.backup(&file, &pass(PASSPHRASE), true).unwrap();
    assert_eq!(report.credentials, 2);
    assert!(report.audit_events >= 2);
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );

    let (_b, target, _) = keychain_service();
    assert_ne!(target.vault_id(), source.vault_id());
    let preview = target.restore_preview(&file, &pass(PASSPHRASE)).unwrap();
    assert_eq!(preview.credentials.len(), 2);
    assert!(preview.credentials.iter().all(|e| !e.exists));
    let restored = target
        .restore(&file, &pass(PASSPHRASE), OnConflict::Skip)
        .unwrap();
    assert_eq!((restored.restored, restored.skipped), (2, 0));
    assert_eq!(
        secrets(&target),
        secrets(&source),
        "every secret opens with the new key"
    );
    let trail: Vec<String> = target
        .audit_events(None)
        .unwrap()
        .iter()
        .map(|e| e.kind.clone())
        .collect();
    assert!(
        trail.contains(&"created".to_owned()),
        "the carried history: {trail:?}"
    );
    assert!(trail.contains(&"restored".to_owned()));
    assert!(!format!("{trail:?}").contains(CANARY));
    let _ = made;
}

#[test]
fn names_that_exist_are_skipped_or_restored_under_a_new_name() {
    let (_dirs, vault, file) = backed_up();

    let preview = vault.restore_preview(&file, &pass(PASSPHRASE)).unwrap();
    assert!(preview.credentials[0].exists);
    let skipped = vault
        .restore(&file, &pass(PASSPHRASE), OnConflict::Skip)
        .unwrap();
    assert_eq!((skipped.restored, skipped.skipped), (0, 1));
    let renamed = vault
        .restore(&file, &pass(PASSPHRASE), OnConflict::Rename)
        .unwrap();
    assert_eq!((renamed.restored, renamed.renamed), (1, 1));
    let names: Vec<String> = vault.list().unwrap().into_iter().map(|v| v.name).collect();
    assert!(
        names.contains(&"Gateway (restored)".to_owned()),
        "{names:?}"
    );
}

#[test]
fn a_credential_whose_secret_cannot_be_read_is_left_out_and_named_not_the_whole_backup() {
    let (data, vault, _) = support::memory_service();
    vault.create(apisix("Kept")).unwrap();
    let altered = vault.create(apisix("Altered")).unwrap();
    let set_aside = vault.create(apisix("Set aside")).unwrap();
    let db = rusqlite::Connection::open(data.path().join("entryguard.db")).unwrap();
    // One seal altered on disk, one secret gone as a vault reset leaves it.
    db.execute(
        "UPDATE secret_fields SET blob = zeroblob(length(blob)) WHERE credential_id = ?1",
        [&altered.id],
    )
    .unwrap();
    db.execute(
        "DELETE FROM secret_fields WHERE credential_id = ?1",
        [&set_aside.id],
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vault.egbackup");
    let report = vault.backup(&file, &pass(PASSPHRASE), true).unwrap();
    assert_eq!(report.credentials, 1);
    let mut left: Vec<_> = report.left_out.iter().map(|l| l.name.as_str()).collect();
    left.sort();
    assert_eq!(left, ["Altered", "Set aside"]);
    assert!(report
        .left_out
        .iter()
        .all(|l| l.reason.contains("Rotate") || l.reason.contains("rotate")));
    assert!(!format!("{report:?}").contains(CANARY));
    let trail = vault.audit_events(None).unwrap();
    assert!(
        trail.iter().any(|e| e.kind == "vault_backup"
            && e.details.contains("2 left out")
            && e.details.contains("Altered")),
        "the audit trail names what the backup left out"
    );

    let (_target_dir, target, _) = support::memory_service();
    target
        .restore(&file, &pass(PASSPHRASE), OnConflict::Rename)
        .unwrap();
    assert_eq!(secrets(&target), [("Kept".to_owned(), CANARY.to_owned())]);
}

#[test]
fn a_wrong_passphrase_or_a_damaged_or_truncated_file_changes_nothing() {
    let (dirs, _source, file) = backed_up();
    let good = std::fs::read(&file).unwrap();

    let (_b, target, _) = keychain_service();
    target.create(apisix("Already here")).unwrap();
    let before = secrets(&target);
    let refused = |path: &std::path::Path, passphrase: &str| {
        let err = target
            .restore(path, &pass(passphrase), OnConflict::Rename)
            .unwrap_err();
        assert_eq!(
            secrets(&target),
            before,
            "the vault is unchanged after: {err}"
        );
        err
    };

    assert!(matches!(
        refused(&file, "not the passphrase at all"),
        Error::WrongPassphrase
    ));

    let damaged = dirs[1].path().join("damaged.egbackup");
    let step = (good.len() / 14).max(1);
    for at in (0..good.len()).step_by(step).chain([good.len() - 1]) {
        let mut bytes = good.clone();
        bytes[at] ^= 0x01;
        std::fs::write(&damaged, &bytes).unwrap();
        let err = refused(&damaged, PASSPHRASE);
        assert!(
            matches!(err, Error::BackupDamaged(_) | Error::WrongPassphrase),
            "byte {at}: {err}"
        );
        assert!(!err.to_string().contains(CANARY));
    }
    for len in [0, 10, good.len() / 2, good.len() - 1] {
        std::fs::write(&damaged, &good[..len]).unwrap();
        assert!(
            matches!(refused(&damaged, PASSPHRASE), Error::BackupDamaged(_)),
            "{len} bytes"
        );
    }
}

#[test]
fn a_file_that_never_ends_is_refused_without_being_read_whole() {
    let (_dir, target, _) = keychain_service();
    let (done, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let preview = target.restore_preview(std::path::Path::new("/dev/zero"), &pass(PASSPHRASE));
        done.send(preview.err().map(|e| e.to_string())).unwrap()
    });
    let err = answer
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("refused at its header, not read to the end")
        .expect("refused");
    assert!(err.contains("not an age-encrypted backup"), "{err}");
}

#[test]
fn a_weak_passphrase_is_refused_before_anything_is_written() {
    let (dirs, vault, _) = backed_up();
    let file = dirs[1].path().join("weak.egbackup");
    let err = vault.backup(&file, &pass("short"), true).unwrap_err();
    assert_eq!(err.field(), Some("passphrase"));
    assert!(!file.exists());
}
