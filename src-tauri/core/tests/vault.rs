//! The vault against a real Secret Service (GNOME Keyring, started by scripts/test): key
//! custody and its failure states, secrecy (canaries), integrity, crash safety, schema.
//! Run single-threaded: the tests share the session keychain.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use entryguard_core::keychain::Failure;
use entryguard_core::{
    ApiError, CredentialService, Error, KeySource, MemoryKeychain, NewCredential, OsKeychain,
    VaultState, APP_ID,
};
use rusqlite::Connection;
use serde_json::json;

const CANARY: &str = "CANARYsecretVALUE0123456789abcdefCANARY!";

fn aws(name: &str, secret: &str) -> NewCredential {
    serde_json::from_value(
        json!({"name": name, "environment": "production", "type": null, "provider": "AWS",
        "fields": {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": secret,
                   "session_token": null, "region": "eu-west-1"}}),
    )
    .unwrap()
}

fn os_keychain() -> Arc<dyn KeySource> {
    Arc::new(OsKeychain::new(APP_ID).with_timeout(Duration::from_secs(5)))
}

fn raw(dir: &std::path::Path) -> Connection {
    Connection::open(dir.join("entryguard.db")).unwrap()
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn secret_of(service: &CredentialService, id: &str, field: &str) -> String {
    use entryguard_core::ExposeSecret;
    service
        .begin_check(id)
        .unwrap()
        .unwrap()
        .secret(field)
        .unwrap()
        .expose_secret()
        .to_owned()
}

#[test]
fn master_key_is_created_in_the_keychain_once_and_reused_by_the_next_process() {
    let dir = tempfile::tempdir().unwrap();
    let first = CredentialService::open(dir.path(), os_keychain()).unwrap();
    let id = first.create(aws("AWS Production", CANARY)).unwrap().id;
    let account = first.keychain_account();
    drop(first);
    assert!(
        os_keychain().load(&account).unwrap().is_some(),
        "the key is in the Secret Service"
    );

    let second = CredentialService::open(dir.path(), os_keychain()).unwrap();
    assert_eq!(second.vault_status().state, VaultState::Ready);
    assert_eq!(secret_of(&second, &id, "secret_access_key"), CANARY);
    os_keychain().delete(&account).unwrap();
}

#[test]
fn a_missing_key_with_sealed_data_never_creates_a_new_key_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let service = CredentialService::open(dir.path(), os_keychain()).unwrap();
    let keep = service.create(aws("keep", CANARY)).unwrap();
    let drop_me = service.create(aws("drop me", CANARY)).unwrap();
    let account = service.keychain_account();
    drop(service);
    os_keychain().delete(&account).unwrap();
    let blobs_before: Vec<Vec<u8>> = {
        let conn = raw(dir.path());
        let mut stmt = conn
            .prepare("SELECT blob FROM secret_fields ORDER BY credential_id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };

    let service = CredentialService::open(dir.path(), os_keychain()).unwrap();
    let status = service.vault_status();
    assert_eq!(status.state, VaultState::KeyMissing);
    assert!(
        status.message.contains("restore the keychain entry"),
        "{}",
        status.message
    );
    assert_eq!(service.list().unwrap().len(), 2, "metadata still lists");
    let err = service.create(aws("new", CANARY)).unwrap_err();
    assert!(matches!(err, Error::KeyMissing { .. }), "{err}");
    assert!(matches!(
        service.begin_check(&keep.id),
        Err(Error::KeyMissing { .. })
    ));
    service.delete(&drop_me.id).unwrap();
    assert!(
        os_keychain().load(&account).unwrap().is_none(),
        "no new key was made over old ciphertext"
    );

    let conn = raw(dir.path());
    let blob: Vec<u8> = conn
        .query_row(
            "SELECT blob FROM secret_fields WHERE credential_id = ?1",
            [&keep.id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        blobs_before.contains(&blob),
        "the kept credential's sealed secret is untouched"
    );
}

#[test]
fn a_wrong_key_is_reported_and_nothing_is_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let service = CredentialService::open(dir.path(), os_keychain()).unwrap();
    service.create(aws("AWS", CANARY)).unwrap();
    let account = service.keychain_account();
    drop(service);
    let before = std::fs::read(dir.path().join("entryguard.db")).unwrap();
    let other = entryguard_core::secret::MasterKey::generate();
    os_keychain().store(&account, &other).unwrap();

    let service = CredentialService::open(dir.path(), os_keychain()).unwrap();
    assert_eq!(service.vault_status().state, VaultState::WrongKey);
    assert!(matches!(
        service.create(aws("other", CANARY)),
        Err(Error::WrongKey { .. })
    ));
    assert_eq!(service.list().unwrap().len(), 1);
    drop(service);
    let conn = raw(dir.path());
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let blobs = count(&conn, "secret_fields");
    assert_eq!(blobs, 1);
    assert!(!before.is_empty());
    os_keychain().delete(&account).unwrap();
}

#[test]
fn a_locked_or_absent_keychain_is_its_own_state_and_creates_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeychain::new());
    let service = CredentialService::open(dir.path(), keys.clone()).unwrap();
    service.create(aws("AWS", CANARY)).unwrap();
    let service = CredentialService::open(dir.path(), keys.clone()).unwrap();

    keys.set_failure(Some(Failure::Locked));
    let status = service.vault_status();
    assert_eq!(status.state, VaultState::KeychainLocked);
    assert!(status.message.contains("Unlock your login keyring"));
    assert!(matches!(
        service.create(aws("x", CANARY)),
        Err(Error::KeychainLocked(_))
    ));

    keys.set_failure(Some(Failure::NoService));
    let status = service.vault_status();
    assert_eq!(status.state, VaultState::NoKeychain);
    assert!(status.message.contains("GNOME Keyring"));
    assert_eq!(
        service.list().unwrap().len(),
        1,
        "listing works without the keychain"
    );

    keys.set_failure(None);
    assert_eq!(
        service.vault_status().state,
        VaultState::Ready,
        "unlocking recovers without a restart"
    );
    assert_eq!(keys.accounts().len(), 1, "still the one original key");
}

/// A keychain whose `load` runs its function (which hangs or fails the test); nothing
/// else is ever asked of it.
struct KeychainThat(fn());

impl KeySource for KeychainThat {
    fn load(&self, _: &str) -> entryguard_core::Result<Option<entryguard_core::secret::MasterKey>> {
        (self.0)();
        unreachable!("the function never returns")
    }
    fn store(
        &self,
        _: &str,
        _: &entryguard_core::secret::MasterKey,
    ) -> entryguard_core::Result<()> {
        unreachable!()
    }
    fn delete(&self, _: &str) -> entryguard_core::Result<()> {
        unreachable!()
    }
    fn service(&self) -> &str {
        "test"
    }
}

#[test]
fn listing_never_waits_for_a_keychain_that_does_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let service = CredentialService::open(
        dir.path(),
        // A prompt nobody answers.
        Arc::new(KeychainThat(|| {
            std::thread::sleep(Duration::from_secs(3600))
        })),
    )
    .unwrap();
    assert!(
        service.list().unwrap().is_empty(),
        "listing never touches the keychain"
    );
    assert!(
        OsKeychain::new(APP_ID)
            .load("vault-does-not-exist")
            .unwrap()
            .is_none(),
        "absent is a definite None"
    );
}

#[test]
fn a_check_never_waits_for_another_thread_asking_a_keychain_that_does_not_answer() {
    static ASKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let dir = tempfile::tempdir().unwrap();
    let holder = CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    let id = holder.create(aws("AWS", CANARY)).unwrap().id;
    let service = Arc::new(
        CredentialService::open(
            dir.path(),
            // A prompt nobody answers.
            Arc::new(KeychainThat(|| {
                ASKED.store(true, std::sync::atomic::Ordering::SeqCst);
                std::thread::sleep(Duration::from_secs(3600))
            })),
        )
        .unwrap(),
    );
    let asking = (service.clone(), id.clone());
    std::thread::spawn(move || asking.0.begin_check(&asking.1));
    while !ASKED.load(std::sync::atomic::Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(10));
    }
    // The verifier's own thread asks this between checks; it must come back at once.
    let (answered, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || answered.send(service.begin_check_if_key_in_memory(&id).is_none()));
    assert_eq!(
        answer.recv_timeout(Duration::from_secs(20)),
        Ok(true),
        "waited for the other thread's keychain call"
    );
}

#[test]
fn a_check_opens_without_the_keychain_only_with_the_vaults_key_already_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let holder = CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    let id = holder.create(aws("AWS", CANARY)).unwrap().id;

    let fresh_process = CredentialService::open(
        dir.path(),
        Arc::new(KeychainThat(|| {
            panic!("asked the keychain, which may wait")
        })),
    )
    .unwrap();
    assert!(fresh_process.begin_check_if_key_in_memory(&id).is_none());

    let job = holder
        .begin_check_if_key_in_memory(&id)
        .expect("the key that sealed it is in memory")
        .unwrap()
        .expect("the credential exists");
    use entryguard_core::ExposeSecret;
    assert_eq!(
        job.secret("secret_access_key").unwrap().expose_secret(),
        CANARY
    );
    holder.delete(&id).unwrap();
    assert!(matches!(
        holder.begin_check_if_key_in_memory(&id),
        Some(Ok(None))
    ));
}

#[test]
fn canary_secret_never_reaches_the_database_file_returns_debug_output_or_errors() {
    let dir = tempfile::tempdir().unwrap();
    let service = CredentialService::open(dir.path(), os_keychain()).unwrap();
    let input = aws("AWS Production", CANARY);
    assert!(
        !format!("{input:?}").contains(CANARY),
        "Debug of the input is redacted"
    );
    let view = service.create(input).unwrap();
    let returned = serde_json::to_string(&view).unwrap()
        + &serde_json::to_string(&service.list().unwrap()).unwrap();
    assert!(!returned.contains(CANARY));
    assert!(!format!("{view:?}").contains(CANARY));
    let job = service.begin_check(&view.id).unwrap().unwrap();
    assert!(
        !format!("{job:?}").contains(CANARY),
        "Debug of an opened job is redacted"
    );
    drop(job);

    // A secret of the wrong length is rejected without being echoed.
    let err = service
        .create(aws("bad", &format!("{CANARY}{CANARY}")))
        .unwrap_err();
    let api = ApiError::from(err);
    assert!(!api.message.contains(CANARY) && api.field.as_deref() == Some("secret_access_key"));
    let audit = serde_json::to_string(&service.audit_events(None).unwrap()).unwrap();
    assert!(!audit.contains(CANARY));

    for file in ["entryguard.db", "entryguard.db-wal", "entryguard.db-shm"] {
        let path = dir.path().join(file);
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(
                !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
                "{file} holds the secret"
            );
        }
    }
    os_keychain().delete(&service.keychain_account()).unwrap();
}

#[test]
fn a_sealed_blob_copied_to_another_row_fails_with_an_integrity_error() {
    let dir = tempfile::tempdir().unwrap();
    let service = CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    let a = service.create(aws("a", CANARY)).unwrap();
    let b = service.create(aws("b", &"b".repeat(40))).unwrap();
    raw(dir.path())
        .execute(
            "UPDATE secret_fields SET blob = (SELECT blob FROM secret_fields WHERE credential_id = ?1) \
             WHERE credential_id = ?2",
            [&a.id, &b.id],
        )
        .unwrap();
    assert!(matches!(service.begin_check(&b.id), Err(Error::Integrity)));
    assert_eq!(secret_of(&service, &a.id, "secret_access_key"), CANARY);
}

#[test]
fn names_are_unique_ignoring_case_and_surrounding_spaces() {
    let (_dir, service, _) = support::memory_service();
    service.create(aws("AWS Production", CANARY)).unwrap();
    let err = service
        .create(aws("  aws production ", CANARY))
        .unwrap_err();
    assert!(matches!(err, Error::NameTaken(_)));
    assert_eq!(err.field(), Some("name"));
    assert_eq!(service.list().unwrap().len(), 1, "nothing half-written");
}

#[test]
fn deleting_removes_secrets_and_cloud_resources_but_keeps_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let service = CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    let view = service.create(aws("AWS", CANARY)).unwrap();
    service
        .add_cloud_resource(&view.id, "security_group_rule", "sgr-0123")
        .unwrap();
    service
        .add_cloud_resource(&view.id, "security_group_rule", "sgr-0456")
        .unwrap();
    assert_eq!(service.get(&view.id).unwrap().resource_count, 2);
    service.delete(&view.id).unwrap();
    let conn = raw(dir.path());
    assert_eq!(count(&conn, "credentials"), 0);
    assert_eq!(count(&conn, "secret_fields"), 0);
    assert_eq!(count(&conn, "cloud_resources"), 0);
    let kinds: Vec<String> = service
        .audit_events(Some(&view.id))
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("created"));
    assert_eq!(kinds.last().map(String::as_str), Some("deleted"));
    assert!(
        conn.execute("DELETE FROM audit_events", []).is_err(),
        "audit events are append-only"
    );
}

#[test]
fn a_reset_that_waited_for_the_vault_lock_stands_down_if_the_key_came_back_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeychain::new());
    let service = CredentialService::open(dir.path(), keys.clone()).unwrap();
    service.create(aws("AWS", CANARY)).unwrap();
    let account = service.keychain_account();
    let key = keys.load(&account).unwrap().unwrap();
    keys.delete(&account).unwrap();
    let resetting = CredentialService::open(dir.path(), keys.clone()).unwrap();
    assert_eq!(resetting.vault_status().state, VaultState::KeyMissing);

    // Another process holds the vault lock while the reset is asked for...
    let held = entryguard_core::store::lock_set_up(dir.path()).unwrap();
    let reset = std::thread::spawn(move || resetting.reset_vault("RESET", false));
    std::thread::sleep(Duration::from_millis(300));
    // ...and the key comes back before it lets go (the admin restored the keyring).
    keys.store(&account, &key).unwrap();
    drop(held);

    let refused = reset.join().unwrap().unwrap_err();
    assert!(matches!(refused, Error::ResetRefused(_)), "{refused}");
    let status = CredentialService::open(dir.path(), keys.clone())
        .unwrap()
        .vault_status();
    assert_eq!(status.state, VaultState::Ready);
    assert_eq!(status.quarantined, 0, "no secret was set aside");
}

#[test]
fn reset_vault_needs_confirmation_sets_secrets_aside_and_keeps_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeychain::new());
    let service = CredentialService::open(dir.path(), keys.clone()).unwrap();
    let view = service.create(aws("AWS", CANARY)).unwrap();
    let account = service.keychain_account();
    keys.delete(&account).unwrap();
    let service = CredentialService::open(dir.path(), keys.clone()).unwrap();
    assert_eq!(service.vault_status().state, VaultState::KeyMissing);
    assert!(
        service.reset_vault("yes", false).is_err(),
        "a reset must be confirmed"
    );
    service.reset_vault("RESET", false).unwrap();
    let status = service.vault_status();
    assert_eq!(status.state, VaultState::Ready);
    assert_eq!(
        status.quarantined, 1,
        "the old secret is set aside, not deleted"
    );
    let after = service.get(&view.id).unwrap();
    assert!(after.status_reason.unwrap().contains("vault reset"));
    assert!(service
        .audit_events(None)
        .unwrap()
        .iter()
        .any(|e| e.kind == "vault_reset"));
    service.create(aws("after reset", CANARY)).unwrap();
}

/// A file's permission bits.
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_data_dir_and_database_are_private_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    CredentialService::open(&data, Arc::new(MemoryKeychain::new())).unwrap();
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("entryguard.db")), 0o600);
}

#[cfg(unix)]
#[test]
fn a_data_dir_already_in_use_keeps_its_mode_and_the_vault_in_it_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let chmod = |p: &std::path::Path, m| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
    };
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::write(shared.join("notes.txt"), "the team's").unwrap();
    chmod(&shared, 0o755);
    let service = CredentialService::open(&shared, Arc::new(MemoryKeychain::new())).unwrap();
    service.create(aws("AWS", CANARY)).unwrap();
    assert_eq!(mode(&shared), 0o755, "a folder in use keeps its mode");
    for file in ["entryguard.db", "entryguard.db-wal", "entryguard.db-shm"] {
        let path = shared.join(file);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }

    // An empty folder made for the vault, and one that holds it, are the vault's own.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    chmod(&empty, 0o755);
    CredentialService::open(&empty, Arc::new(MemoryKeychain::new())).unwrap();
    assert_eq!(mode(&empty), 0o700);
    chmod(&empty, 0o755);
    CredentialService::open(&empty, Arc::new(MemoryKeychain::new())).unwrap();
    assert_eq!(mode(&empty), 0o700);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    raw(dir.path())
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(dir.path().join("entryguard.db")).unwrap();
    let err = CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new()))
        .err()
        .unwrap();
    assert!(matches!(err, Error::NewerSchema { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("Update EntryGuard"));
    assert_eq!(
        std::fs::read(dir.path().join("entryguard.db")).unwrap(),
        before
    );
}

#[test]
fn an_empty_database_migrates_to_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    Connection::open(dir.path().join("entryguard.db")).unwrap();
    CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    let version: i64 = raw(dir.path())
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, entryguard_core::store::schema_version());
}

#[test]
fn a_page_in_the_default_order_reads_the_newest_rows_from_the_index_without_sorting_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    let sql = format!(
        "EXPLAIN QUERY PLAN {}",
        entryguard_core::listing::ids_sql(&Default::default())
    );
    let plan: Vec<String> = entryguard_core::store::open(dir.path())
        .unwrap()
        .prepare(&sql)
        .unwrap()
        // No filter, the first 40.
        .query_map(
            rusqlite::params![
                None::<&str>,
                None::<&str>,
                None::<&str>,
                "",
                false,
                None::<&str>,
                40,
                0
            ],
            |r| r.get(3),
        )
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter()
            .any(|step| step.contains("credentials_newest_first"))
            && !plan.iter().any(|step| step.contains("TEMP B-TREE")),
        "{plan:?}"
    );
}

#[test]
fn the_whole_list_and_the_first_screen_agree_on_newest_first_order_and_resource_counts() {
    let dir = tempfile::tempdir().unwrap();
    let service = CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    let ids: Vec<String> = (0..8)
        .map(|i| service.create(aws(&format!("AWS {i}"), CANARY)).unwrap().id)
        .collect();
    service
        .add_cloud_resource(&ids[2], "security_group_rule", "sgr-0123")
        .unwrap();
    service
        .add_cloud_resource(&ids[2], "security_group_rule", "sgr-0456")
        .unwrap();
    service
        .add_cloud_resource(&ids[5], "security_group_rule", "sgr-0789")
        .unwrap();
    // Creation order is not list order: ties within one millisecond, a row stored in the
    // old trimmed format, and a row restored with an older time.
    let conn = raw(dir.path());
    for (i, at) in [
        (1, "2026-12-02T10:00:00.500Z"),
        (4, "2026-12-02T10:00:00.500Z"),
        (6, "2026-12-02T10:00:00.500Z"),
        (3, "2026-12-02T10:00:00.5Z"),
        (7, "2020-01-01T00:00:00.000Z"),
    ] {
        conn.execute(
            "UPDATE credentials SET created_at = ?1 WHERE id = ?2",
            (at, &ids[i]),
        )
        .unwrap();
    }
    let expected: Vec<String> = conn
        .prepare("SELECT id FROM credentials ORDER BY created_at DESC, id DESC")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();

    let list = service.list().unwrap();
    let listed: Vec<&str> = list.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(listed, expected);
    let first_screen = service.boot(5).unwrap().page.rows;
    assert_eq!(
        first_screen
            .iter()
            .map(|v| v.id.as_str())
            .collect::<Vec<_>>(),
        listed[..5]
    );
    for view in list.iter().chain(&first_screen) {
        let want = match view.id.as_str() {
            id if id == ids[2] => 2,
            id if id == ids[5] => 1,
            _ => 0,
        };
        assert_eq!(view.resource_count, want, "{}", view.name);
        assert_eq!(service.get(&view.id).unwrap(), *view);
    }
}

#[test]
fn killing_the_process_mid_creates_leaves_every_credential_complete_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let bulk = support::example("bulk_create");
    let mut child = Command::new(&bulk)
        .arg(dir.path())
        .arg("1000")
        .arg("--os-keychain")
        .spawn()
        .unwrap();
    let db = dir.path().join("entryguard.db");
    // Kill once some creates have landed.
    let start = std::time::Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let n: i64 = Connection::open(&db)
            .and_then(|c| c.query_row("SELECT COUNT(*) FROM credentials", [], |r| r.get(0)))
            .unwrap_or(0);
        if n >= 50 || start.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let conn = raw(dir.path());
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let total = count(&conn, "credentials");
    assert!(
        (50..1000).contains(&total),
        "killed mid-way ({total} created)"
    );
    let incomplete: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM credentials c WHERE NOT EXISTS \
             (SELECT 1 FROM secret_fields s WHERE s.credential_id = c.id AND s.field = 'secret_access_key')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(incomplete, 0, "no credential without its sealed secret");
    assert_eq!(count(&conn, "secret_fields"), total, "no orphaned secret");
    let service = CredentialService::open(dir.path(), os_keychain()).unwrap();
    for survivor in service.list().unwrap() {
        assert!(
            service.begin_check(&survivor.id).unwrap().is_some(),
            "every committed secret opens ({})",
            survivor.name
        );
    }
    os_keychain().delete(&service.keychain_account()).unwrap();
}

#[test]
fn a_database_file_that_is_not_a_database_is_named_as_damaged_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("entryguard.db");
    let garbage = b"this is not an EntryGuard vault\n".repeat(256);
    std::fs::write(&file, &garbage).unwrap();
    let err = match CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())) {
        Err(e) => e,
        Ok(_) => panic!("a file that is not a database opened as a vault"),
    };
    assert!(
        matches!(&err, Error::DamagedVault(p) if p == &file),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&file.display().to_string()) && message.contains("Move it aside"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        garbage,
        "the file was changed"
    );
}
