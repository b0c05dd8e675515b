//! The verifier's surface, attacked: a destination edited in the database file, answers
//! that are not the provider judging the key, redirects, proxies and endpoint overrides.
//! Loopback stubs record everything they receive; canary secrets must never reach the
//! wrong one. The vaults use the session's real keychain.

mod support;

use std::time::Duration;

use entryguard_core::verify::HttpsProxy;
use entryguard_core::{
    CredentialService, CredentialView, NewCredential, Provider, Status, Verifier, VerifierConfig,
};
use rusqlite::Connection;
use serde_json::json;
use support::{keychain_service, wait_for, Server, Stub};

const CANARY: &str = "CANARYadminKEYneverLEAVES0123456789";

fn apisix(name: &str, endpoint: &str) -> NewCredential {
    serde_json::from_value(json!({"name": name, "environment": null, "type": null,
        "provider": "APISIX", "fields": {"endpoint": endpoint, "admin_key": CANARY}}))
    .unwrap()
}

/// Verifies `input` with `config` and returns the row once it is no longer being checked.
async fn verified(
    service: &std::sync::Arc<CredentialService>,
    config: VerifierConfig,
    input: NewCredential,
) -> CredentialView {
    Verifier::spawn(service.clone(), config);
    let id = service.create(input).unwrap().id;
    settled(service, &id).await
}

/// A fresh vault's verdict on `input`, checked with `config`.
async fn verdict(config: VerifierConfig, input: NewCredential) -> CredentialView {
    let (_dir, service, _events) = keychain_service();
    verified(&service, config, input).await
}

async fn settled(service: &CredentialService, id: &str) -> CredentialView {
    wait_for(service, id, |_| true).await
}

/// The verdict on the fakes' good Azure credential, with `authority` as its authority.
async fn azure_verdict(fakes: &Server, authority: &Stub) -> CredentialView {
    let config = VerifierConfig {
        azure_authority: authority.url(),
        ..VerifierConfig::default()
    };
    let azure = serde_json::from_value(json!({"name": "az", "environment": null,
        "type": null, "provider": "AZURE", "fields": {
            "tenant_id": fakes.str("/azure/tenant_id"),
            "client_id": fakes.str("/azure/client_id"),
            "client_secret": fakes.str("/azure/good_secret")}}))
    .unwrap();
    verdict(config, azure).await
}

fn reason(row: &CredentialView) -> String {
    row.status_reason.clone().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_destination_edited_in_the_database_fails_as_tampered_and_nothing_is_sent() {
    let fakes = Server::start("fakes");
    let attacker = Stub::answering(200, "application/json", "{}", "");
    let (dir, service, _events) = keychain_service();
    let input: NewCredential = serde_json::from_value(json!({"name": "APISIX",
        "environment": null, "type": null, "provider": "APISIX",
        "fields": {"endpoint": fakes.endpoint(), "admin_key": fakes.str("/apisix_key")}}))
    .unwrap();
    let row = verified(&service, VerifierConfig::default(), input).await;
    assert_eq!(row.status, Status::Valid, "{}", reason(&row));

    Connection::open(dir.path().join("entryguard.db"))
        .unwrap()
        .execute(
            "UPDATE credentials SET public_fields = json_set(public_fields, '$.endpoint', ?1)",
            [attacker.url()],
        )
        .unwrap();
    service.verify_now(&row.id).unwrap();
    let row = settled(&service, &row.id).await;
    assert_eq!(row.status, Status::Unverified, "{row:?}");
    assert!(reason(&row).contains("integrity"), "{}", reason(&row));
    assert!(
        attacker.requests().is_empty(),
        "nothing reached the new destination"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apisix_answers_that_do_not_judge_the_key_leave_it_unverified() {
    let html = "<html><body>Proxy Authentication Required</body></html>";
    let cases = [
        (
            302,
            "text/html",
            html,
            "Location: http://127.0.0.1:9/elsewhere\r\n",
        ),
        // A portal or catch-all route at the URL: a 200 that is not the Admin API's JSON.
        (200, "text/html", html, ""),
        (401, "text/html", html, ""),
        (403, "text/html", html, ""),
        (
            404,
            "application/json",
            r#"{"error_msg":"404 Route Not Found"}"#,
            "",
        ),
        (407, "text/html", html, ""),
        (408, "text/html", html, ""),
        (421, "text/plain", "misdirected", ""),
        (425, "text/plain", "too early", ""),
    ];
    for (status, content_type, body, headers) in cases {
        let stub = Stub::answering(status, content_type, body, headers);
        let row = verdict(VerifierConfig::default(), apisix("a", &stub.url())).await;
        assert_eq!(
            row.status,
            Status::Unverified,
            "HTTP {status}: {}",
            reason(&row)
        );
        assert!(
            reason(&row).contains(&status.to_string()),
            "{}",
            reason(&row)
        );
    }
    let refusal = Stub::answering(
        401,
        "application/json",
        r#"{"message":"failed to check token"}"#,
        "",
    );
    let row = verdict(VerifierConfig::default(), apisix("a", &refusal.url())).await;
    assert_eq!(
        row.status,
        Status::Invalid,
        "APISIX's own JSON refusal: {}",
        reason(&row)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_endpoint_answers_that_are_not_oauth_refusals_leave_the_key_unverified() {
    let fakes = Server::start("fakes");
    let html = "<html>blocked by policy</html>";
    let not_verdicts = [
        (302, "text/html", html),
        (403, "text/html", html),
        (404, "text/html", html),
        (407, "text/html", html),
        (408, "text/plain", "timeout"),
        (421, "text/plain", "misdirected"),
        (425, "text/plain", "too early"),
        (400, "text/html", html),
        (
            400,
            "application/json",
            r#"{"error":"temporarily_unavailable"}"#,
        ),
    ];
    for (status, content_type, body) in not_verdicts {
        let stub = Stub::answering(status, content_type, body, "");
        let row = azure_verdict(&fakes, &stub).await;
        assert_eq!(
            row.status,
            Status::Unverified,
            "Azure {status} {body}: {}",
            reason(&row)
        );
        // GCP, with the stub as the key's token endpoint.
        let key = fakes
            .str("/gcp/key_json")
            .replace(&fakes.str("/gcp/token_uri"), &stub.url());
        let gcp = serde_json::from_value(json!({"name": "gcp", "environment": null,
            "type": null, "provider": "GCP", "fields": {"service_account_json": key}}))
        .unwrap();
        let row = verdict(VerifierConfig::default(), gcp).await;
        assert_eq!(
            row.status,
            Status::Unverified,
            "GCP {status} {body}: {}",
            reason(&row)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_token_endpoints_words_reach_the_row_as_one_short_clean_line() {
    let fakes = Server::start("fakes");
    // 60 KB of error code with a terminal escape, a right-to-left override and line breaks.
    let error = format!(
        "{}\u{1b}]0;owned\u{7}\u{202e}\r\nnext line",
        "x".repeat(60_000)
    );
    let body = json!({"error": error, "error_description": "see error"}).to_string();
    let stub = Stub::answering(400, "application/json", &body, "");
    let row = azure_verdict(&fakes, &stub).await;
    let reason = reason(&row);
    assert_eq!(row.status, Status::Unverified, "{reason}");
    assert!(
        reason.starts_with("Microsoft Entra ID answered xxx"),
        "{reason}"
    );
    assert!(reason.chars().count() < 450, "{} characters", reason.len());
    assert!(
        !reason.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "{reason:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skewed_clock_is_reported_as_a_clock_problem_not_an_invalid_key() {
    let fakes = Server::start("fakes");
    let google = Stub::answering(
        400,
        "application/json",
        r#"{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}"#,
        "",
    );
    let key = fakes
        .str("/gcp/key_json")
        .replace(&fakes.str("/gcp/token_uri"), &google.url());
    let gcp = serde_json::from_value(json!({"name": "gcp", "environment": null, "type": null,
        "provider": "GCP", "fields": {"service_account_json": key}}))
    .unwrap();
    let row = verdict(VerifierConfig::default(), gcp).await;
    assert_eq!(row.status, Status::Unverified, "{}", reason(&row));
    assert!(reason(&row).contains("clock"), "{}", reason(&row));

    let sts = Stub::answering(
        403,
        "text/xml",
        "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>\
         <Message>Signature expired: 20200101T000000Z is now earlier than 20261202T000000Z \
         (20261202T000000Z - 5 min.)</Message></Error></ErrorResponse>",
        "",
    );
    let config = VerifierConfig {
        aws_endpoint: Some(sts.url()),
        propagation_grace: Duration::ZERO,
        ..VerifierConfig::default()
    };
    let aws = serde_json::from_value(json!({"name": "aws", "environment": null, "type": null,
        "provider": "AWS", "fields": {"access_key_id": "AKIAIOSFODNN7EXAMPLE",
        "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "session_token": null, "region": null}}))
    .unwrap();
    let row = verdict(config, aws).await;
    assert_eq!(row.status, Status::Unverified, "{}", reason(&row));
    assert!(reason(&row).contains("clock"), "{}", reason(&row));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_not_followed_and_the_key_never_reaches_the_other_port() {
    let elsewhere = Stub::answering(200, "application/json", "{}", "");
    let redirecting = Stub::answering(
        302,
        "text/plain",
        "moved",
        &format!("Location: {}/apisix/admin/routes\r\n", elsewhere.url()),
    );
    let row = verdict(VerifierConfig::default(), apisix("a", &redirecting.url())).await;
    assert_eq!(row.status, Status::Unverified, "{}", reason(&row));
    assert!(reason(&row).contains("redirect"), "{}", reason(&row));
    assert_eq!(redirecting.requests().len(), 1);
    assert!(
        elsewhere.requests().is_empty(),
        "no request followed the redirect"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_destinations_use_the_corporate_proxy_and_local_ones_never_do() {
    // A proxy that records what it is asked and refuses to tunnel.
    let proxy = Stub::answering(403, "text/plain", "tunnel refused", "");
    let config = || VerifierConfig {
        proxy: Some(HttpsProxy::new(proxy.url(), "")),
        ..VerifierConfig::default()
    };

    // A local plain-http APISIX: straight to it, never through the proxy.
    let local = Stub::answering(200, "application/json", r#"{"list":[]}"#, "");
    let row = verdict(config(), apisix("local", &local.url())).await;
    assert_eq!(row.status, Status::Valid, "{}", reason(&row));
    assert!(local.requests().iter().any(|r| r.contains(CANARY)));

    // An https host elsewhere: through the proxy, as a CONNECT tunnel (the key stays
    // inside TLS, so the proxy never sees it).
    let row = verdict(
        config(),
        apisix("remote", "https://apisix.example.test:9180"),
    )
    .await;
    assert_eq!(row.status, Status::Unverified, "{}", reason(&row));
    let asked = proxy.requests();
    assert!(
        asked
            .iter()
            .any(|r| r.starts_with("CONNECT apisix.example.test:9180")),
        "{asked:?}"
    );
    assert!(asked.iter().all(|r| !r.contains(CANARY)));
    assert_eq!(asked.len(), 1, "the local check never went to the proxy");

    // AWS goes out through the same client, so through the same proxy and tunnel.
    let aws = serde_json::from_value(json!({"name": "aws", "environment": null, "type": null,
        "provider": "AWS", "fields": {"access_key_id": "AKIAIOSFODNN7EXAMPLE",
        "secret_access_key": format!("{CANARY}abcde"), "session_token": null, "region": "eu-west-2"}}))
    .unwrap();
    let row = verdict(config(), aws).await;
    assert_eq!(row.status, Status::Unverified, "{}", reason(&row));
    assert!(reason(&row).contains("AWS STS"), "{}", reason(&row));
    let asked = proxy.requests();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(
        asked[1].starts_with("CONNECT sts.eu-west-2.amazonaws.com:443"),
        "{asked:?}"
    );
    assert!(asked.iter().all(|r| !r.contains(CANARY)));
}

#[test]
fn endpoint_overrides_that_break_the_https_rule_are_refused_and_reported() {
    let config = VerifierConfig::from_vars(|name| match name {
        "AWS_ENDPOINT_URL_STS" => Some("http://sts.example.com".into()),
        "AZURE_AUTHORITY_HOST" => Some("http://login.example.com".into()),
        "HTTPS_PROXY" => Some("http://proxy.corp:3128".into()),
        "NO_PROXY" => Some(".corp".into()),
        _ => None,
    });
    assert_eq!(config.aws_endpoint, None, "never used");
    assert_eq!(
        config.azure_authority,
        entryguard_core::verify::DEFAULT_AZURE_AUTHORITY
    );
    let refused: Vec<Provider> = config.rejected_overrides.iter().map(|(p, _)| *p).collect();
    assert_eq!(refused, [Provider::Aws, Provider::Azure]);
    assert!(config.rejected_overrides[0]
        .1
        .contains("AWS_ENDPOINT_URL_STS"));
    let proxy = config.proxy.unwrap();
    assert_eq!(proxy.url, "http://proxy.corp:3128");
    assert!(proxy.bypass.contains(".corp") && proxy.bypass.contains("127.0.0.0/8"));

    let local = VerifierConfig::from_vars(|name| {
        (name == "AWS_ENDPOINT_URL").then(|| "http://127.0.0.1:5000".to_owned())
    });
    assert_eq!(local.aws_endpoint.as_deref(), Some("http://127.0.0.1:5000"));
    assert!(local.rejected_overrides.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_override_is_the_reason_for_that_providers_checks() {
    let config = VerifierConfig::from_vars(|name| {
        (name == "AZURE_AUTHORITY_HOST").then(|| "http://login.example.com".to_owned())
    });
    let azure = serde_json::from_value(json!({"name": "az", "environment": null, "type": null,
        "provider": "AZURE", "fields": {"tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "client_id": "72f988bf-86f1-41af-91ab-2d7cd011db47", "client_secret": CANARY}}))
    .unwrap();
    let row = verdict(config, azure).await;
    assert_eq!(row.status, Status::Unverified);
    assert!(
        reason(&row).contains("AZURE_AUTHORITY_HOST"),
        "{}",
        reason(&row)
    );
    assert!(reason(&row).contains("was not used"), "{}", reason(&row));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_black_holed_host_cannot_hold_every_check_slot() {
    let fakes = Server::start("fakes");
    let healthy = Stub::answering(200, "application/json", r#"{"list":[]}"#, "");
    let (_dir, service, _events) = keychain_service();
    // Two slots overall, one per host: the hanging host's three checks take one slot and
    // queue for their host, so the healthy host's check gets the other at once.
    let config = VerifierConfig {
        concurrency: 2,
        per_host: 1,
        ..VerifierConfig::default()
    };
    Verifier::spawn(service.clone(), config);
    let hang = format!("{}/hang", fakes.endpoint());
    for i in 0..3 {
        service
            .create(apisix(&format!("hanging {i}"), &hang))
            .unwrap();
    }
    let good = service.create(apisix("healthy", &healthy.url())).unwrap();
    let started = std::time::Instant::now();
    let row = settled(&service, &good.id).await;
    assert_eq!(row.status, Status::Valid, "{}", reason(&row));
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "checked while the hanging host's checks were still waiting ({:?})",
        started.elapsed()
    );
    assert!(
        service
            .list()
            .unwrap()
            .iter()
            .filter(|r| r.checking)
            .count()
            >= 2,
        "the hanging host's checks are still queued or running"
    );
}
