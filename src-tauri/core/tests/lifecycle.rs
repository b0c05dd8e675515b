//! Rotation in place, key age, the audit trail, and import from AWS shared credentials files.

mod support;

use std::time::Duration;

use entryguard_core::{
    store, CredentialService, ImportSelection, MemoryKeychain, NewCredential, ProviderSpec,
    SecretString, Settings, Status, Verifier, VerifierConfig,
};
use serde_json::json;
use support::{memory_service, wait_for, Server};

const CANARY: &str = "LIFECYCLEcanarySECRET0123456789abcdefghi";

fn aws(name: &str, key_id: &str, secret: &str) -> NewCredential {
    serde_json::from_value(json!({"name": name, "environment": null, "type": null, "provider": "AWS",
        "fields": {"access_key_id": key_id, "secret_access_key": secret, "session_token": null, "region": null}}))
    .unwrap()
}

fn aws_spec(key_id: &str, secret: &str) -> ProviderSpec {
    ProviderSpec::Aws {
        access_key_id: key_id.into(),
        secret_access_key: SecretString::from(secret.to_owned()),
        session_token: None,
        region: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotating_an_invalid_key_to_a_valid_one_keeps_id_name_and_created_time() {
    let moto = Server::start("moto");
    let (_dir, service, _events) = memory_service();
    let config = VerifierConfig {
        aws_endpoint: Some(moto.endpoint()),
        propagation_grace: Duration::ZERO,
        ..VerifierConfig::default()
    };
    Verifier::spawn(service.clone(), config);
    let (key_id, secret) = (moto.str("/access_key_id"), moto.str("/secret_access_key"));

    let before = service
        .create(aws("AWS Production", &key_id, &"w".repeat(40)))
        .unwrap();
    let before = wait_for(&service, &before.id, |v| v.status != Status::Unverified).await;
    assert_eq!(before.status, Status::Invalid);

    let rotated = service
        .rotate(&before.id, aws_spec(&key_id, &secret))
        .unwrap();
    assert_eq!(
        rotated.status,
        Status::Unverified,
        "a rotated key is checked again"
    );
    let after = wait_for(&service, &before.id, |v| v.status != Status::Unverified).await;
    assert_eq!(after.status, Status::Valid, "{after:?}");
    assert_eq!(
        (
            after.id.as_str(),
            after.name.as_str(),
            after.created_at.as_str()
        ),
        (
            before.id.as_str(),
            before.name.as_str(),
            before.created_at.as_str()
        )
    );
    assert!(after.rotated_at.is_some());
    assert_eq!(after.key_age_days, 0);

    let kinds: Vec<String> = service
        .audit_events(Some(&before.id))
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    let rotated_at = kinds
        .iter()
        .position(|k| k == "rotated")
        .expect("a rotated event");
    assert_eq!(kinds.first().map(String::as_str), Some("created"));
    assert!(
        kinds[rotated_at..].iter().any(|k| k == "verification"),
        "{kinds:?}"
    );
}

#[test]
fn rotation_checks_the_new_fields_and_the_provider() {
    let (_dir, service, _events) = memory_service();
    let view = service
        .create(aws("AWS", "AKIAIOSFODNN7EXAMPLE", CANARY))
        .unwrap();
    let err = service
        .rotate(&view.id, aws_spec("AKIA1", CANARY))
        .unwrap_err();
    assert_eq!(err.field(), Some("access_key_id"));
    let apisix = ProviderSpec::Apisix {
        endpoint: "https://a.example".into(),
        admin_key: SecretString::from("k".repeat(20)),
    };
    assert!(service
        .rotate(&view.id, apisix)
        .unwrap_err()
        .to_string()
        .contains("AWS credential"));
    assert_eq!(
        service.get(&view.id).unwrap().hint,
        "AKIA…MPLE",
        "nothing changed"
    );
}

#[test]
fn the_audit_trail_never_holds_a_secret() {
    let (dir, service, _events) = memory_service();
    let view = service
        .create(aws("AWS", "AKIAIOSFODNN7EXAMPLE", CANARY))
        .unwrap();
    service
        .rotate(
            &view.id,
            aws_spec("AKIAI44QH8DHBEXAMPLE", &CANARY.to_lowercase()),
        )
        .unwrap();
    service.verify_now(&view.id).unwrap();
    service.delete(&view.id).unwrap();
    let audit = serde_json::to_string(&service.audit_events(None).unwrap()).unwrap();
    assert!(audit.contains("rotated") && audit.contains("deleted"));
    assert!(!audit.contains(CANARY) && !audit.contains(&CANARY.to_lowercase()));
    let db = std::fs::read(dir.path().join("entryguard.db")).unwrap();
    assert!(!db
        .windows(CANARY.len())
        .any(|w| w.eq_ignore_ascii_case(CANARY.as_bytes())));
}

#[test]
fn keys_older_than_the_threshold_are_flagged_and_the_threshold_is_a_setting() {
    let (dir, service, _events) = memory_service();
    let view = service
        .create(aws("Old key", "AKIAIOSFODNN7EXAMPLE", CANARY))
        .unwrap();
    assert_eq!(service.settings().unwrap().key_age_threshold_days, 90);
    assert!(!service.get(&view.id).unwrap().key_stale);
    // Age the key by moving its creation 120 days back.
    rusqlite::Connection::open(dir.path().join("entryguard.db"))
        .unwrap()
        .execute("UPDATE credentials SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-120 days')", [])
        .unwrap();
    let old = service.get(&view.id).unwrap();
    assert_eq!((old.key_age_days, old.key_stale), (120, true));
    let defaults = service.settings().unwrap();
    service
        .set_settings(Settings {
            key_age_threshold_days: 180,
            ..defaults.clone()
        })
        .unwrap();
    assert!(!service.get(&view.id).unwrap().key_stale);
    let err = service
        .set_settings(Settings {
            key_age_threshold_days: 0,
            ..defaults.clone()
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("key_age_threshold_days"));
    service
        .rotate(&view.id, aws_spec("AKIAIOSFODNN7EXAMPLE", CANARY))
        .unwrap();
    assert_eq!(
        service.get(&view.id).unwrap().key_age_days,
        0,
        "rotation resets the age"
    );
}

#[test]
fn settings_have_documented_defaults_and_a_bad_value_changes_none_of_them() {
    let (_dir, service, _events) = memory_service();
    let defaults = service.settings().unwrap();
    assert_eq!(
        defaults,
        Settings {
            key_age_threshold_days: 90,
            recheck_hours: 12,
            notify: true,
            unverified_alert_minutes: 60,
            expiry_warning_days: 14,
        }
    );
    let cases = [
        (
            "recheck_hours",
            Settings {
                recheck_hours: 721,
                ..defaults.clone()
            },
        ),
        (
            "unverified_alert_minutes",
            Settings {
                unverified_alert_minutes: 0,
                ..defaults.clone()
            },
        ),
        (
            "expiry_warning_days",
            Settings {
                expiry_warning_days: 366,
                ..defaults.clone()
            },
        ),
    ];
    for (field, mut bad) in cases {
        bad.notify = false;
        let err = service.set_settings(bad).unwrap_err();
        assert_eq!(err.field(), Some(field));
        assert!(err.to_string().contains("out of range"), "{err}");
        assert_eq!(service.settings().unwrap(), defaults, "nothing saved");
    }
    let chosen = Settings {
        recheck_hours: 0,
        notify: false,
        unverified_alert_minutes: 5,
        expiry_warning_days: 30,
        ..defaults
    };
    assert_eq!(service.set_settings(chosen.clone()).unwrap(), chosen);
    assert_eq!(
        service.freshness().unwrap().recheck,
        None,
        "0 turns re-checks off"
    );
}

#[test]
fn a_version_1_database_migrates_keeping_its_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let keys = std::sync::Arc::new(MemoryKeychain::new());
    {
        let conn = rusqlite::Connection::open(dir.path().join("entryguard.db")).unwrap();
        conn.execute_batch(store::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO credentials (id, name, name_key, provider, type, hint, created_at, updated_at) \
             VALUES ('0190', 'From v1', 'from v1', 'AWS', 'ACCESS_KEY', 'AKIA…MPLE', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let service = CredentialService::open(dir.path(), keys).unwrap();
    let rows = service.list().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name, "From v1");
    assert!(
        rows[0].key_stale,
        "a key from 2025-01-01 is older than 90 days"
    );
    assert_eq!(service.settings().unwrap().key_age_threshold_days, 90);
}

#[test]
fn hints_and_the_audit_trail_show_no_character_of_a_secret() {
    let (_dir, service, _events) = support::keychain_service();
    let secret = "edd1c9f034335f136f87ad84b625WXYZ";
    let apisix = service
        .create(
            serde_json::from_value(json!({"name": "gateway", "environment": null, "type": null,
                "provider": "APISIX", "fields": {"endpoint": "https://apisix.example.com:9180",
                "admin_key": secret}}))
            .unwrap(),
        )
        .unwrap();
    let azure = service
        .create(
            serde_json::from_value(json!({"name": "entra", "environment": null, "type": null,
                "provider": "AZURE", "fields": {"tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "client_id": "11111111-2222-3333-4444-555555555555", "client_secret": secret}}))
            .unwrap(),
        )
        .unwrap();
    assert_eq!(apisix.hint, "apisix.example.com:9180");
    assert_eq!(azure.hint, "app 1111…5555");
    let everything = format!(
        "{:?}{:?}",
        service.list().unwrap(),
        service.audit_events(None).unwrap()
    );
    assert!(!everything.contains("WXYZ"), "{everything}");
}

#[test]
fn a_version_3_database_loses_its_secret_hints_and_the_audit_trail_stays_append_only() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("entryguard.db")).unwrap();
        for sql in &store::MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute_batch(
            "INSERT INTO credentials (id, name, name_key, provider, type, public_fields, hint, \
               created_at, updated_at) VALUES ('0191', 'Gateway', 'gateway', 'APISIX', \
               'ADMIN_KEY', '{\"endpoint\":\"https://apisix.example.com:9180\"}', '…WXYZ', \
               '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO audit_events (at, credential_id, credential_name, kind, details) VALUES
               ('2026-01-01T00:00:00Z', '0191', 'Gateway', 'created', 'APISIX …WXYZ'),
               ('2026-01-02T00:00:00Z', '0191', 'Gateway', 'rotated', 'new key …ABCD (was …WXYZ)'),
               ('2026-01-03T00:00:00Z', NULL, NULL, 'vault_key_created', 'keychain account vault-1');",
        )
        .unwrap();
    }
    let service =
        CredentialService::open(dir.path(), std::sync::Arc::new(MemoryKeychain::new())).unwrap();
    assert_eq!(service.list().unwrap()[0].hint, "apisix.example.com:9180");
    let details: Vec<String> = service
        .audit_events(None)
        .unwrap()
        .into_iter()
        .map(|e| e.details)
        .collect();
    assert_eq!(
        details,
        ["APISIX …", "new key … (was …)", "keychain account vault-1"]
    );
    let conn = rusqlite::Connection::open(dir.path().join("entryguard.db")).unwrap();
    assert!(
        conn.execute("UPDATE audit_events SET details = 'x'", [])
            .is_err(),
        "append-only again"
    );
}

const CREDENTIALS_FILE: &str = "\
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region = eu-west-1

[bad-key]
aws_access_key_id = AKIA-not-a-key
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[Existing]
aws_access_key_id = AKIAI44QH8DHBEXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY

[sso-dev]
sso_start_url = https://example.awsapps.com/start
sso_role_name = ReadOnly

[role-chain]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = default
";

#[test]
fn importing_profiles_previews_every_profile_and_imports_only_static_keys_under_free_names() {
    let (dir, service, _events) = memory_service();
    service
        .create(aws("existing", "AKIAIOSFODNN7EXAMPLE", CANARY))
        .unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(&file, CREDENTIALS_FILE).unwrap();
    let untouched = std::fs::read(&file).unwrap();

    let preview = service.import_preview(Some(&file)).unwrap();
    let row = |p: &str| {
        preview
            .candidates
            .iter()
            .find(|c| c.profile == p)
            .unwrap_or_else(|| panic!("{p}"))
    };
    assert_eq!(preview.candidates.len(), 5);
    assert!(row("default").importable && row("default").region.as_deref() == Some("eu-west-1"));
    assert_eq!(row("default").access_key_hint.as_deref(), Some("AKIA…MPLE"));
    assert!(
        !row("bad-key").importable
            && row("bad-key")
                .reason
                .as_deref()
                .unwrap()
                .contains("AKIA or ASIA")
    );
    assert!(row("Existing").importable && row("Existing").name_exists);
    assert!(row("sso-dev")
        .reason
        .as_deref()
        .unwrap()
        .starts_with("SSO profile"));
    assert!(row("role-chain")
        .reason
        .as_deref()
        .unwrap()
        .starts_with("role profile"));
    assert!(
        !serde_json::to_string(&preview)
            .unwrap()
            .contains("EXAMPLEKEY"),
        "no secret in the preview"
    );

    let select = |profile: &str, name: &str| ImportSelection {
        profile: profile.into(),
        name: name.into(),
    };
    let result = service
        .import_profiles(
            Some(&file),
            &[
                select("default", "default"),
                select("Existing", "Existing"),
                select("sso-dev", "sso-dev"),
            ],
        )
        .unwrap();
    assert_eq!(result.imported.len(), 1);
    assert_eq!(result.imported[0].name, "default");
    assert_eq!(result.imported[0].hint, "AKIA…MPLE");
    let skipped: Vec<&str> = result.skipped.iter().map(|s| s.profile.as_str()).collect();
    assert_eq!(skipped, ["Existing", "sso-dev"]);
    assert!(
        result.skipped[0].reason.contains("already exists"),
        "never overwritten"
    );

    let renamed = service
        .import_profiles(Some(&file), &[select("Existing", "Existing (imported)")])
        .unwrap();
    assert_eq!(renamed.imported[0].name, "Existing (imported)");
    assert_eq!(service.list().unwrap().len(), 3);
    let audit = service.audit_events(Some(&renamed.imported[0].id)).unwrap();
    assert_eq!(audit[0].kind, "imported");
    assert!(audit[0].details.contains("profile “Existing”"));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        untouched,
        "the source file is never modified"
    );

    let missing = service
        .import_preview(Some(&dir.path().join("nope")))
        .unwrap_err();
    assert!(missing.to_string().contains("not a readable file"));
}
