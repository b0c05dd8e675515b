//! Property tests: every parser and validator takes arbitrary input without panicking, and
//! what should round-trip does. Inputs reach these from forms, files, the CLI and a
//! database file that may have been tampered with.

use std::sync::Arc;

use entryguard_core::crypto::{self, Binding};
use entryguard_core::secret::MasterKey;
use entryguard_core::{validate, CredentialService, MemoryKeychain, NewCredential};
use proptest::prelude::*;
use serde_json::json;

const BINDING: Binding<'static> = Binding {
    vault_id: "vault",
    credential_id: "credential",
    field: "field",
    destination: "APISIX\0endpoint=https://apisix.example.com",
};

fn key() -> MasterKey {
    MasterKey::from_bytes(vec![7; 32]).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn stored_timestamps_sort_as_text_in_time_order_and_read_back(
        a in 0i64..4_102_444_800_000, b in 0i64..4_102_444_800_000,
        second in 0i64..4_102_444_800, ms in (0i64..1000, 0i64..1000),
    ) {
        // Anywhere up to 2100, and two moments within one second (where trimmed digits broke it).
        for (a, b) in [(a, b), (second * 1000 + ms.0, second * 1000 + ms.1)] {
            let at = |ms: i64| time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap();
            let (text_a, text_b) = (entryguard_core::time::format(at(a)), entryguard_core::time::format(at(b)));
            prop_assert_eq!(text_a.cmp(&text_b), a.cmp(&b), "{} vs {}", text_a, text_b);
            prop_assert_eq!(entryguard_core::time::parse(&text_a), Some(at(a)));
        }
    }

    #[test]
    fn any_bytes_given_to_the_blob_parser_fail_cleanly(blob in proptest::collection::vec(any::<u8>(), 0..200)) {
        prop_assert!(crypto::open(&key(), BINDING, &blob).is_err());
    }

    #[test]
    fn sealed_secrets_open_to_themselves(secret in proptest::collection::vec(any::<u8>(), 0..500)) {
        let blob = crypto::seal(&key(), BINDING, &secret);
        prop_assert_eq!(crypto::open(&key(), BINDING, &blob).unwrap().to_vec(), secret);
    }

    #[test]
    fn every_validator_answers_any_text_without_panicking(
        name in ".{0,120}", env in ".{0,50}", text in "\\PC{0,80}", raw in any::<String>(),
    ) {
        for provider in ["AWS", "APISIX", "AZURE", "GCP"] {
            let input: NewCredential = serde_json::from_value(json!({
                "name": name, "environment": env, "type": null, "provider": provider,
                "fields": {
                    "access_key_id": text, "secret_access_key": raw, "session_token": text,
                    "region": text, "endpoint": raw, "admin_key": text, "tenant_id": raw,
                    "client_id": text, "client_secret": raw, "service_account_json": raw,
                }
            })).unwrap();
            let _ = validate::validate(&input);
        }
        let _ = validate::gcp_key(&raw);
        let _ = validate::endpoint_url("endpoint", "Endpoint URL", &raw);
        let _ = validate::aws_access_key_id(&raw);
    }

    #[test]
    fn accepted_names_are_trimmed_and_free_of_hidden_characters(name in "\\PC{0,120}") {
        if let Ok(clean) = validate::name(&name) {
            prop_assert_eq!(clean.trim(), clean.as_str());
            prop_assert!(!clean.chars().any(validate::is_hidden));
            prop_assert!(!clean.is_empty() && clean.chars().count() <= 100);
        }
    }

    #[test]
    fn key_id_hints_never_panic_and_never_grow(id in any::<String>()) {
        let hint = validate::key_id_hint(&id);
        prop_assert!(hint.chars().count() <= 9);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn resolve_matches_literally_or_not_at_all(query in "[%_a-f0-9-]{0,12}|.{0,20}") {
        let dir = tempfile::tempdir().unwrap();
        let service = CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
        let made = service.create(serde_json::from_value(json!({
            "name": "Only", "environment": null, "type": null, "provider": "APISIX",
            "fields": {"endpoint": "http://127.0.0.1:9", "admin_key": "0123456789abcdef"}
        })).unwrap()).unwrap();
        if let Ok(found) = service.resolve(&query) {
            let q = query.trim();
            prop_assert!(
                q.eq_ignore_ascii_case("only") || made.id.starts_with(&q.to_lowercase()),
                "{q:?} matched {}", found.id
            );
        }
    }

    #[test]
    fn any_credentials_file_previews_without_panicking(
        text in any::<String>(), key_id in "\\PC{0,24}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        // Arbitrary text, then a profile whose key id is arbitrary (e.g. "ééééé", which
        // once panicked when sliced by bytes).
        let text = format!("{text}\n[p]\naws_access_key_id = {key_id}\naws_secret_access_key = x\n");
        std::fs::write(&file, &text).unwrap();
        let service = CredentialService::open(&dir.path().join("vault"), Arc::new(MemoryKeychain::new())).unwrap();
        let _ = service.import_preview(Some(&file));
    }
}

#[test]
fn a_profile_whose_key_id_is_not_ascii_previews_with_a_reason_instead_of_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        "[accents]\naws_access_key_id = aéééééééé\naws_secret_access_key = x\n",
    )
    .unwrap();
    let service =
        CredentialService::open(&dir.path().join("vault"), Arc::new(MemoryKeychain::new()))
            .unwrap();
    let preview = service.import_preview(Some(&file)).unwrap();
    let candidate = &preview.candidates[0];
    assert!(!candidate.importable);
    assert_eq!(candidate.access_key_hint.as_deref(), Some("aééé…éééé"));
}

#[test]
fn resolve_takes_wildcard_characters_literally() {
    let dir = tempfile::tempdir().unwrap();
    let service = CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap();
    let made = service
        .create(
            serde_json::from_value(json!({
                "name": "Only", "environment": null, "type": null, "provider": "APISIX",
                "fields": {"endpoint": "http://127.0.0.1:9", "admin_key": "0123456789abcdef"}
            }))
            .unwrap(),
        )
        .unwrap();
    for wildcard in ["_", "%", "%%", "_%", &made.id[..3].replace(|_| true, "_")] {
        assert!(service.resolve(wildcard).is_err(), "{wildcard:?} matched");
    }
    assert_eq!(service.resolve(&made.id[..8]).unwrap().id, made.id);
    assert_eq!(service.resolve("ONLY").unwrap().id, made.id);
}
