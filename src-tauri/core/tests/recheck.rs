//! Scheduled re-verification: a status stays true while the app runs. Against a loopback
//! server that answers like APISIX's Admin API and can be switched off, and Google's
//! published key certificates (the local `fakes` server).

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use entryguard_core::{
    CredentialEvent, CredentialView, NewCredential, Status, StatusChange, Verifier, VerifierConfig,
};
use serde_json::json;
use support::{memory_service, wait_for, Server, Stub};

const KEY: &str = "the-admin-key-1234";

/// Makes the server take a second per answer, so a check is surely still running.
static SLOW: AtomicBool = AtomicBool::new(false);

/// An APISIX Admin API that accepts `KEY` while `up`, and answers 502 (a gateway with no
/// upstream) otherwise.
fn apisix_server(up: Arc<AtomicBool>) -> Stub {
    Stub::start(move |request| {
        if SLOW.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_secs(1));
        }
        let (status, body) = if !up.load(Ordering::SeqCst) {
            (502, "<html>Bad Gateway</html>")
        } else if request.contains(&format!("x-api-key: {KEY}")) {
            (200, r#"{"total":0,"list":[]}"#)
        } else {
            (401, r#"{"error_msg":"failed to check token"}"#)
        };
        format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        )
    })
}

fn apisix(name: &str, endpoint: &str) -> NewCredential {
    serde_json::from_value(json!({"name": name, "environment": null, "type": null,
        "provider": "APISIX", "fields": {"endpoint": endpoint, "admin_key": KEY}}))
    .unwrap()
}

fn config() -> VerifierConfig {
    VerifierConfig {
        first_retry: Duration::from_secs(1),
        attempt_timeout: Duration::from_secs(2),
        ..VerifierConfig::default()
    }
}

/// Key checks the server saw (each APISIX check sends one request with the key).
fn checks(server: &Stub) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.to_lowercase().contains("x-api-key"))
        .count()
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn valid(service: &entryguard_core::CredentialService, id: &str) -> CredentialView {
    let view = wait_for(service, id, |v| v.status != Status::Unverified).await;
    assert_eq!(view.status, Status::Valid, "{view:?}");
    view
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_older_than_the_interval_is_checked_again_without_a_click() {
    let server = apisix_server(Arc::new(AtomicBool::new(true)));
    let (_dir, service, _events) = memory_service();
    service.set_recheck_override(Some(Duration::from_secs(1)));
    Verifier::spawn(service.clone(), config());
    let created = service.create(apisix("re-checked", &server.url())).unwrap();
    let first = valid(&service, &created.id).await;
    assert!(first.stale_at.is_some() && first.next_check_at.is_some());

    until("two scheduled re-checks", || checks(&server) >= 3).await;
    let later = valid(&service, &created.id).await;
    assert!(
        later.verified_at > first.verified_at,
        "the decision is renewed"
    );
    assert!(!later.stale);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interval_zero_turns_re_checks_off_and_nothing_is_ever_stale() {
    let server = apisix_server(Arc::new(AtomicBool::new(true)));
    let (_dir, service, _events) = memory_service();
    service.set_recheck_override(Some(Duration::ZERO));
    Verifier::spawn(service.clone(), config());
    let created = service.create(apisix("left alone", &server.url())).unwrap();
    valid(&service, &created.id).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(checks(&server), 1, "checked once, at creation");
    let view = service.get(&created.id).unwrap();
    assert_eq!(
        (view.stale, view.stale_at, view.next_check_at),
        (false, None, None)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicking_verify_while_the_host_is_down_does_not_start_more_chains_of_retries() {
    let server = apisix_server(Arc::new(AtomicBool::new(false)));
    let (_dir, service, _events) = memory_service();
    service.set_recheck_override(Some(Duration::ZERO));
    // Retries every second while the host is down.
    let config = VerifierConfig {
        max_retry: Duration::from_secs(1),
        ..config()
    };
    Verifier::spawn(service.clone(), config);
    let created = service.create(apisix("down", &server.url())).unwrap();
    let retrying = |v: &CredentialView| v.next_check_at.is_some();
    for _ in 0..3 {
        wait_for(&service, &created.id, retrying).await;
        service.verify_now(&created.id).unwrap();
    }
    wait_for(&service, &created.id, retrying).await;
    let before = checks(&server);
    tokio::time::sleep(Duration::from_secs(4)).await;
    let during = checks(&server) - before;
    assert!(
        during <= 6,
        "one chain of retries, one a second: {during} checks in 4 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_under_a_user_check_is_not_scheduled_twice() {
    let up = Arc::new(AtomicBool::new(true));
    let server = apisix_server(up.clone());
    let (_dir, service, _events) = memory_service();
    // Off while we set up, so only our calls start checks.
    service.set_recheck_override(Some(Duration::ZERO));
    Verifier::spawn(service.clone(), config());
    let created = service.create(apisix("busy", &server.url())).unwrap();
    valid(&service, &created.id).await;

    SLOW.store(true, Ordering::SeqCst);
    let checking = service.verify_now(&created.id).unwrap();
    assert!(checking.checking);
    assert!(
        !service
            .begin_scheduled_check(&created.id, Duration::ZERO)
            .unwrap(),
        "a check is running: the scheduler leaves it alone"
    );
    valid(&service, &created.id).await;
    assert_eq!(
        checks(&server),
        2,
        "creation and the user's check, nothing else"
    );
    assert!(service
        .begin_scheduled_check(&created.id, Duration::ZERO)
        .unwrap());
    assert!(
        !service
            .begin_scheduled_check(&created.id, Duration::ZERO)
            .unwrap(),
        "a second scheduled start while the first runs is refused"
    );
    valid(&service, &created.id).await;
    SLOW.store(false, Ordering::SeqCst);
    assert_eq!(checks(&server), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_re_checks_are_unverified_with_a_reason_never_invalid_and_recover() {
    let up = Arc::new(AtomicBool::new(true));
    let server = apisix_server(up.clone());
    let (_dir, service, events) = memory_service();
    service.set_recheck_override(Some(Duration::from_secs(1)));
    Verifier::spawn(service.clone(), config());
    let created = service.create(apisix("offline", &server.url())).unwrap();
    let decided = valid(&service, &created.id).await;

    up.store(false, Ordering::SeqCst);
    let offline = wait_for(&service, &created.id, |v| v.status != Status::Valid).await;
    assert_eq!(offline.status, Status::Unverified, "{offline:?}");
    assert!(offline
        .status_reason
        .as_deref()
        .unwrap()
        .contains("retrying in"));
    assert_eq!(
        offline.verified_at, decided.verified_at,
        "the last decision is kept"
    );
    assert_eq!(offline.identity, decided.identity);
    assert!(
        offline.stale,
        "the kept decision is older than the interval"
    );
    // Several retries, none of them Invalid.
    let before = checks(&server);
    until("two retries", || checks(&server) >= before + 2).await;
    assert_ne!(service.get(&created.id).unwrap().status, Status::Invalid);

    up.store(true, Ordering::SeqCst);
    let back = valid(&service, &created.id).await;
    assert!(back.verified_at > decided.verified_at);

    let changes: Vec<StatusChange> = events
        .all()
        .into_iter()
        .filter_map(|e| match e {
            CredentialEvent::StatusChanged(c) => Some(c),
            _ => None,
        })
        .collect();
    let path: Vec<(Status, Status, bool)> =
        changes.iter().map(|c| (c.from, c.to, c.offline)).collect();
    assert_eq!(
        path,
        [
            (Status::Unverified, Status::Valid, false),
            (Status::Valid, Status::Unverified, true),
            (Status::Unverified, Status::Valid, false),
        ],
        "one change each way, flagged as the network's doing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_credentials_are_re_checked_at_start_oldest_decision_first() {
    let server = apisix_server(Arc::new(AtomicBool::new(true)));
    let (dir, service, _events) = memory_service();
    service.set_recheck_override(Some(Duration::ZERO));
    Verifier::spawn(service.clone(), config());
    let mut ids = Vec::new();
    for name in ["first", "second", "third"] {
        let created = service.create(apisix(name, &server.url())).unwrap();
        valid(&service, &created.id).await;
        ids.push(created.id);
    }
    let (due, _) = service.due_for_recheck(Duration::ZERO).unwrap();
    let order: Vec<&str> = due.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(order, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let (due, next) = service.due_for_recheck(Duration::from_secs(3600)).unwrap();
    assert!(due.is_empty());
    let next = next.expect("the oldest decision goes stale within the hour");
    assert!(next > Duration::from_secs(3500) && next <= Duration::from_secs(3600));
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gcp_key_expiry_is_read_from_googles_published_certificate() {
    let fakes = Server::start("fakes");
    let (_dir, service, _events) = memory_service();
    Verifier::spawn(service.clone(), config());
    let gcp = |name: &str, json: &str| -> NewCredential {
        serde_json::from_value(json!({"name": name, "environment": null, "type": null,
            "provider": "GCP", "fields": {"service_account_json": json}}))
        .unwrap()
    };
    let expiring = service
        .create(gcp("expiring", &fakes.str("/gcp/expiring_key_json")))
        .unwrap();
    let expiring = valid(&service, &expiring.id).await;
    // The same instant as the certificate's notAfter (stored in the app's own format).
    assert_eq!(
        expiring
            .expires_at
            .as_deref()
            .and_then(entryguard_core::time::parse),
        entryguard_core::time::parse(&fakes.str("/gcp/expiring_not_after"))
    );
    assert!(
        expiring.expires_soon,
        "10 days left, inside the 14-day warning"
    );

    let lasting = service
        .create(gcp("never expires", &fakes.str("/gcp/key_json")))
        .unwrap();
    let lasting = valid(&service, &lasting.id).await;
    assert_eq!(lasting.expires_at, None, "year 9999 means no expiry");
    assert!(!lasting.expires_soon);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_is_asked_without_a_key_once_for_many_keys_and_still_flagged_when_open() {
    let keyed = apisix_server(Arc::new(AtomicBool::new(true)));
    let open = Stub::answering(200, "application/json", r#"{"total":0,"list":[]}"#, "");
    let (_dir, service, _events) = memory_service();
    service.set_recheck_override(Some(Duration::ZERO));
    Verifier::spawn(service.clone(), config());
    for i in 0..3 {
        let keyed_row = service
            .create(apisix(&format!("keyed {i}"), &keyed.url()))
            .unwrap();
        let view = valid(&service, &keyed_row.id).await;
        assert_eq!(view.status_reason, None, "a keyed gateway gets no warning");
        let open_row = service
            .create(apisix(&format!("open {i}"), &open.url()))
            .unwrap();
        let view = valid(&service, &open_row.id).await;
        assert!(view
            .status_reason
            .unwrap()
            .contains("answers without any key"));
    }
    let keyless = |s: &Stub| {
        s.requests()
            .iter()
            .filter(|r| !r.to_lowercase().contains("x-api-key"))
            .count()
    };
    assert_eq!(
        (keyless(&keyed), keyless(&open)),
        (1, 1),
        "one probe per gateway"
    );
    assert_eq!(checks(&keyed), 3, "every key is still checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_hangs_when_asked_without_a_key_still_gets_its_verdict() {
    // The keyed answer takes most of a check's deadline; the keyless probe never answers.
    let gateway = Stub::start(|request| {
        if request.contains(&format!("x-api-key: {KEY}")) {
            std::thread::sleep(Duration::from_millis(1500));
            let body = r#"{"total":0,"list":[]}"#;
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            )
        } else {
            std::thread::sleep(Duration::from_secs(8));
            String::new()
        }
    });
    let (_dir, service, _events) = memory_service();
    Verifier::spawn(service.clone(), config());
    let created = service
        .create(apisix("slow gateway", &gateway.url()))
        .unwrap();
    let view = valid(&service, &created.id).await;
    assert_eq!(
        view.status_reason, None,
        "an unanswered probe is no warning"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_certificate_url_costs_the_expiry_never_the_verdict() {
    let fakes = Server::start("fakes");
    let (_dir, service, _events) = memory_service();
    // The default 10 s request deadline: the lookup must give up well before the check's.
    Verifier::spawn(service.clone(), VerifierConfig::default());
    let mut key: serde_json::Value =
        serde_json::from_str(&fakes.str("/gcp/expiring_key_json")).unwrap();
    key["client_x509_cert_url"] = json!(format!("{}/hang", fakes.endpoint()));
    let created = service
        .create(
            serde_json::from_value(json!({"name": "slow certs", "environment": null,
                "type": null, "provider": "GCP",
                "fields": {"service_account_json": key.to_string()}}))
            .unwrap(),
        )
        .unwrap();
    let view = valid(&service, &created.id).await;
    assert_eq!(view.expires_at, None, "not learned, not guessed");
}
