//! Background verification against a real AWS API (moto with authentication enforced) and
//! local servers that follow APISIX's, Microsoft Entra ID's and Google's documented wire
//! behaviour.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use entryguard_core::{CredentialEvent, NewCredential, Status, Verifier, VerifierConfig};
use serde_json::json;
use support::{memory_service, wait_for, Server};

fn input(value: serde_json::Value) -> NewCredential {
    serde_json::from_value(value).unwrap()
}

fn config() -> VerifierConfig {
    VerifierConfig {
        propagation_grace: Duration::ZERO,
        ..VerifierConfig::default()
    }
}

fn aws(name: &str, key_id: &str, secret: &str) -> NewCredential {
    input(
        json!({"name": name, "environment": null, "type": null, "provider": "AWS",
        "fields": {"access_key_id": key_id, "secret_access_key": secret, "session_token": null, "region": null}}),
    )
}

fn apisix(name: &str, endpoint: &str, key: &str) -> NewCredential {
    input(
        json!({"name": name, "environment": null, "type": null, "provider": "APISIX",
        "fields": {"endpoint": endpoint, "admin_key": key}}),
    )
}

fn azure(name: &str, tenant: &str, client: &str, secret: &str) -> NewCredential {
    input(
        json!({"name": name, "environment": null, "type": null, "provider": "AZURE",
        "fields": {"tenant_id": tenant, "client_id": client, "client_secret": secret}}),
    )
}

fn gcp(name: &str, key_json: &str) -> NewCredential {
    input(
        json!({"name": name, "environment": null, "type": null, "provider": "GCP",
        "fields": {"service_account_json": key_json}}),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_keys_are_checked_with_sts_against_moto() {
    let moto = Server::start("moto");
    let (_dir, service, _events) = memory_service();
    let config = VerifierConfig {
        aws_endpoint: Some(moto.endpoint()),
        ..config()
    };
    Verifier::spawn(service.clone(), config);
    let (key_id, secret) = (moto.str("/access_key_id"), moto.str("/secret_access_key"));

    let good = service.create(aws("real", &key_id, &secret)).unwrap();
    assert_eq!(good.status, Status::Unverified);
    assert!(
        good.checking,
        "a new row is shown as being verified at once"
    );
    let good = wait_for(&service, &good.id, |v| v.status != Status::Unverified).await;
    assert_eq!(good.status, Status::Valid, "{good:?}");
    assert!(good.identity.unwrap().contains(&moto.str("/user_arn")));
    assert!(good.verified_at.is_some());

    let unknown = service
        .create(aws("unknown", "AKIAZZZZZZZZZZZZZZZZ", &secret))
        .unwrap();
    let unknown = wait_for(&service, &unknown.id, |v| v.status != Status::Unverified).await;
    assert_eq!(unknown.status, Status::Invalid);
    assert!(unknown
        .status_reason
        .unwrap()
        .starts_with("InvalidClientTokenId — the access key ID does not exist"));

    let wrong = service
        .create(aws("wrong secret", &key_id, &"x".repeat(40)))
        .unwrap();
    let wrong = wait_for(&service, &wrong.id, |v| v.status != Status::Unverified).await;
    assert_eq!(wrong.status, Status::Invalid);
    assert!(wrong
        .status_reason
        .unwrap()
        .starts_with("SignatureDoesNotMatch — the secret access key is wrong"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_aws_key_rejected_as_unknown_is_retried_before_it_is_invalid() {
    let moto = Server::start("moto");
    let (_dir, service, events) = memory_service();
    let config = VerifierConfig {
        aws_endpoint: Some(moto.endpoint()),
        propagation_grace: Duration::from_secs(2),
        first_retry: Duration::from_secs(1),
        ..VerifierConfig::default()
    };
    Verifier::spawn(service.clone(), config);
    let created = service
        .create(aws("fresh", "AKIAZZZZZZZZZZZZZZZZ", &"y".repeat(40)))
        .unwrap();
    let done = wait_for(&service, &created.id, |v| v.status == Status::Invalid).await;
    assert!(done.status_reason.unwrap().contains("InvalidClientTokenId"));
    let retried = events.all().into_iter().any(|e| matches!(e,
        CredentialEvent::Changed { credential } if credential.status == Status::Unverified
            && credential.status_reason.as_deref().is_some_and(|r| r.contains("new key can take a few seconds"))));
    assert!(retried, "the propagation retry was shown before Invalid");
}

/// The app's verifier runs on a thread of its own: its checks finish while the thread
/// that started it has no runtime at all and only blocks.
#[test]
fn a_verifier_on_its_own_thread_decides_while_its_caller_blocks() {
    let fakes = Server::start("fakes");
    let (_dir, service, _events) = memory_service();
    Verifier::start(service.clone(), config()).unwrap();
    let (endpoint, key) = (fakes.endpoint(), fakes.str("/apisix_key"));
    let good = service
        .create(apisix("own thread", &endpoint, &key))
        .unwrap();
    let bad = service
        .create(apisix(
            "own thread, wrong key",
            &endpoint,
            "not-the-admin-key",
        ))
        .unwrap();

    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    let decided = |id: &str| loop {
        let view = service.get(id).unwrap();
        if !view.checking && view.status != Status::Unverified {
            return view.status;
        }
        assert!(std::time::Instant::now() < deadline, "undecided: {view:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(decided(&good.id), Status::Valid);
    assert_eq!(decided(&bad.id), Status::Invalid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apisix_admin_keys_are_checked_and_keyless_admin_apis_are_flagged() {
    let fakes = Server::start("fakes");
    let (_dir, service, _events) = memory_service();
    Verifier::spawn(service.clone(), config());
    let endpoint = fakes.endpoint();
    let key = fakes.str("/apisix_key");

    let good = service.create(apisix("apisix", &endpoint, &key)).unwrap();
    let good = wait_for(&service, &good.id, |v| v.status != Status::Unverified).await;
    assert_eq!(good.status, Status::Valid);
    assert_eq!(
        good.status_reason, None,
        "a keyed Admin API gets no warning"
    );

    let bad = service
        .create(apisix("apisix wrong", &endpoint, "not-the-admin-key"))
        .unwrap();
    let bad = wait_for(&service, &bad.id, |v| v.status != Status::Unverified).await;
    assert_eq!(bad.status, Status::Invalid);
    assert!(bad.status_reason.unwrap().contains("wrong admin key"));

    let open = service
        .create(apisix(
            "apisix open",
            &format!("{endpoint}/open"),
            "any-key-at-all",
        ))
        .unwrap();
    let open = wait_for(&service, &open.id, |v| v.status != Status::Unverified).await;
    assert_eq!(open.status, Status::Valid);
    assert!(open
        .status_reason
        .unwrap()
        .contains("answers without any key"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_client_secrets_are_classified_by_aadsts_code() {
    let fakes = Server::start("fakes");
    let (_dir, service, _events) = memory_service();
    let config = VerifierConfig {
        azure_authority: fakes.endpoint(),
        ..config()
    };
    Verifier::spawn(service.clone(), config);
    let (tenant, client) = (fakes.str("/azure/tenant_id"), fakes.str("/azure/client_id"));
    let other_guid = "99999999-9999-9999-9999-999999999999";
    let cases = [
        (
            "good",
            tenant.as_str(),
            client.as_str(),
            fakes.str("/azure/good_secret"),
            None,
        ),
        (
            "wrong secret",
            &tenant,
            &client,
            "wrong-secret-value".into(),
            Some("AADSTS7000215 — the client secret is wrong"),
        ),
        (
            "expired",
            &tenant,
            &client,
            fakes.str("/azure/expired_secret"),
            Some("AADSTS7000222 — the client secret has expired"),
        ),
        (
            "unknown app",
            &tenant,
            other_guid,
            "whatever-secret".into(),
            Some("AADSTS700016 — no application"),
        ),
        (
            "unknown tenant",
            other_guid,
            &client,
            "whatever-secret".into(),
            Some("AADSTS90002 — the tenant was not found"),
        ),
    ];
    for (name, tenant, client, secret, expected) in cases {
        let created = service
            .create(azure(name, tenant, client, &secret))
            .unwrap();
        let done = wait_for(&service, &created.id, |v| v.status != Status::Unverified).await;
        match expected {
            None => {
                assert_eq!(done.status, Status::Valid, "{name}: {done:?}");
                assert!(done.identity.unwrap().contains(&tenant.to_lowercase()));
            }
            Some(reason) => {
                assert_eq!(done.status, Status::Invalid, "{name}");
                assert!(
                    done.status_reason.as_deref().unwrap().starts_with(reason),
                    "{name}: {:?}",
                    done.status_reason
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gcp_keys_are_checked_with_a_signed_jwt_grant() {
    let fakes = Server::start("fakes");
    let (_dir, service, _events) = memory_service();
    Verifier::spawn(service.clone(), config());

    let good = service
        .create(gcp("gcp", &fakes.str("/gcp/key_json")))
        .unwrap();
    let good = wait_for(&service, &good.id, |v| v.status != Status::Unverified).await;
    assert_eq!(good.status, Status::Valid, "{good:?}");
    assert!(good.identity.unwrap().contains("(project "));

    let other = service
        .create(gcp("gcp other key", &fakes.str("/gcp/other_key_json")))
        .unwrap();
    let other = wait_for(&service, &other.id, |v| v.status != Status::Unverified).await;
    assert_eq!(other.status, Status::Invalid);
    let reason = other.status_reason.unwrap();
    assert!(
        reason.starts_with("invalid_grant — Invalid JWT Signature"),
        "{reason}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_trouble_leaves_credentials_unverified_with_a_retry_never_invalid() {
    let fakes = Server::start("fakes");
    let (_dir, service, _events) = memory_service();
    let config = VerifierConfig {
        attempt_timeout: Duration::from_secs(2),
        ..config()
    };
    Verifier::spawn(service.clone(), config);
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("http://127.0.0.1:{port}")
    };
    let cases = [
        ("refused", refused, "Unreachable"),
        ("hangs", format!("{}/hang", fakes.endpoint()), "Timed out"),
        (
            "no such host",
            "https://entryguard-test.invalid".to_owned(),
            "Unreachable",
        ),
    ];
    for (name, endpoint, reason) in cases {
        let created = service
            .create(apisix(name, &endpoint, "some-admin-key"))
            .unwrap();
        let done = wait_for(&service, &created.id, |v| v.next_check_at.is_some()).await;
        assert_eq!(done.status, Status::Unverified, "{name}");
        let text = done.status_reason.unwrap();
        assert!(
            text.starts_with(reason) && text.contains("retrying in 5 s"),
            "{name}: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_during_verification_does_not_resurrect_the_row() {
    let fakes = Server::start("fakes");
    let (_dir, service, events) = memory_service();
    let config = VerifierConfig {
        attempt_timeout: Duration::from_secs(2),
        ..config()
    };
    Verifier::spawn(service.clone(), config);
    let created = service
        .create(apisix(
            "doomed",
            &format!("{}/hang", fakes.endpoint()),
            "some-admin-key",
        ))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    service.delete(&created.id).unwrap();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(service.get(&created.id).is_err(), "the row stays deleted");
    assert!(service.list().unwrap().is_empty());
    let after_delete: Vec<_> = events
        .all()
        .into_iter()
        .skip_while(|e| !matches!(e, CredentialEvent::Deleted { .. }))
        .skip(1)
        .collect();
    assert!(
        after_delete.is_empty(),
        "no event after the delete: {after_delete:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_checks_each_report_exactly_one_outcome() {
    let fakes = Server::start("fakes");
    let (_dir, service, events) = memory_service();
    Verifier::spawn(service.clone(), config());
    let key = fakes.str("/apisix_key");
    let ids: Vec<String> = (0..200)
        .map(|i| {
            service
                .create(apisix(&format!("apisix {i}"), &fakes.endpoint(), &key))
                .unwrap()
                .id
        })
        .collect();
    for id in &ids {
        wait_for(&service, id, |v| v.status == Status::Valid).await;
    }
    let mut valid_events: HashMap<String, usize> = HashMap::new();
    let mut last_seen: HashMap<String, (Status, bool)> = HashMap::new();
    for e in events.all() {
        if let CredentialEvent::Changed { credential } = e {
            last_seen.insert(
                credential.id.clone(),
                (credential.status, credential.checking),
            );
            if credential.status == Status::Valid {
                *valid_events.entry(credential.id).or_default() += 1;
            }
        }
    }
    assert!(
        last_seen.values().all(|s| *s == (Status::Valid, false)),
        "the window's last word on every row is its outcome, never an older \"checking\" state"
    );
    assert_eq!(valid_events.len(), 200, "every credential reported Valid");
    assert!(
        valid_events.values().all(|&n| n == 1),
        "no duplicated outcome events"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_re_queues_every_undecided_credential() {
    let fakes = Server::start("fakes");
    let (_dir, service, events) = memory_service();
    let key = fakes.str("/apisix_key");
    // Stored while no verifier ran (e.g. the app quit mid-check, or the CLI added them).
    let ids: Vec<String> = (0..5)
        .map(|i| {
            service
                .create(apisix(&format!("waiting {i}"), &fakes.endpoint(), &key))
                .unwrap()
                .id
        })
        .collect();
    assert!(service
        .list()
        .unwrap()
        .iter()
        .all(|v| v.status == Status::Unverified && !v.checking));
    let before = events.all().len();

    Verifier::spawn(service.clone(), config()).requeue_unverified();
    for id in &ids {
        wait_for(&service, id, |v| v.status == Status::Valid).await;
    }
    let changed = events.all()[before..]
        .iter()
        .filter(|e| matches!(e, CredentialEvent::Changed { .. }))
        .count();
    assert_eq!(
        changed, 5,
        "one event per outcome, none for the re-queue itself"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_whose_certificate_is_not_trusted_is_never_talked_to() {
    let tls = Server::start("fakes-untrusted-tls");
    let (_dir, service, _events) = memory_service();
    let config = VerifierConfig {
        aws_endpoint: Some(tls.endpoint()),
        azure_authority: tls.endpoint(),
        ..config()
    };
    Verifier::spawn(service.clone(), config);
    let created = [
        service
            .create(apisix(
                "apisix over tls",
                &tls.endpoint(),
                &tls.str("/apisix_key"),
            ))
            .unwrap(),
        service
            .create(azure(
                "azure over tls",
                &tls.str("/azure/tenant_id"),
                &tls.str("/azure/client_id"),
                &tls.str("/azure/good_secret"),
            ))
            .unwrap(),
        service
            .create(gcp("gcp over tls", &tls.str("/gcp/key_json")))
            .unwrap(),
        service
            .create(aws("aws over tls", "AKIAIOSFODNN7EXAMPLE", &"s".repeat(40)))
            .unwrap(),
    ];
    for view in created {
        let done = wait_for(&service, &view.id, |v| v.next_check_at.is_some()).await;
        assert_eq!(done.status, Status::Unverified, "{}: {done:?}", view.name);
        let reason = done.status_reason.unwrap().to_lowercase();
        assert!(
            reason.contains("certificate") || reason.contains("unknownissuer"),
            "{}: {reason}",
            view.name
        );
    }
}
