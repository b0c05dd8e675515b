//! APISIX: list routes on the Admin API with the stored `X-API-KEY`.
//!
//! A Valid key is followed by the same request without a key, to warn about an Admin API
//! that anyone can use. That answer is about the gateway, not the key, so it is kept per
//! endpoint for [`OPEN_PROBE_TTL`]: a vault of many keys on one gateway (or a re-check
//! round) asks once, and each check is one request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use secrecy::ExposeSecret;

use super::CheckJob;
use super::{capped_body, network_reason, Outcome, FOLLOW_UP, MAX_BODY};

/// How long a gateway's "answers without a key" is trusted before it is asked again.
pub const OPEN_PROBE_TTL: Duration = Duration::from_secs(600);

/// Per endpoint: when it was asked without a key, and whether it answered.
#[derive(Default)]
pub(super) struct OpenProbes(Mutex<HashMap<String, (Instant, bool)>>);

impl OpenProbes {
    /// Whether `url` answers without a key: remembered, or asked now.
    async fn answers_without_key(&self, http: &reqwest::Client, url: &str) -> bool {
        let remembered = self.0.lock().unwrap().get(url).copied();
        if let Some((_, open)) = remembered.filter(|(at, _)| at.elapsed() < OPEN_PROBE_TTL) {
            return open;
        }
        let ask = async {
            let r = http.get(url).send().await.ok()?;
            let ok = r.status().is_success();
            let _ = capped_body(r).await;
            Some(ok)
        };
        // No answer in time is remembered as closed, so a hanging probe is not asked per key.
        let open = tokio::time::timeout(FOLLOW_UP, ask)
            .await
            .ok()
            .flatten()
            .unwrap_or(false);
        self.0
            .lock()
            .unwrap()
            .insert(url.to_owned(), (Instant::now(), open));
        open
    }
}

/// The Admin API answers with a JSON object. A body cut at [`MAX_BODY`] (a gateway with many
/// routes) cannot be parsed whole, so there its first character decides.
fn admin_api_answer(body: &[u8]) -> bool {
    if body.len() >= MAX_BODY {
        return body.trim_ascii_start().first() == Some(&b'{');
    }
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.is_object())
}

pub(super) async fn check(http: &reqwest::Client, probes: &OpenProbes, job: &CheckJob) -> Outcome {
    let (Some(endpoint), Some(key)) = (job.public_str("endpoint"), job.secret("admin_key")) else {
        return Outcome::Unreachable {
            reason: "The stored credential is incomplete; rotate it".into(),
        };
    };
    let url = format!("{endpoint}/apisix/admin/routes");
    let (with_key, json_body) = match http
        .get(&url)
        .header("X-API-KEY", key.expose_secret())
        .send()
        .await
    {
        Ok(r) => {
            let status = r.status().as_u16();
            let body = capped_body(r).await.unwrap_or_default();
            (status, admin_api_answer(&body))
        }
        Err(e) => {
            return Outcome::Unreachable {
                reason: network_reason(&e),
            }
        }
    };
    match with_key {
        // A portal's, proxy's or catch-all route's page with a 200 says nothing about the key.
        200 if json_body => {
            let open = probes.answers_without_key(http, &url).await;
            Outcome::Valid {
                identity: format!("APISIX Admin API at {endpoint}"),
                expires_at: None,
                warning: open.then(|| {
                    "Warning: this Admin API answers without any key — anyone who can reach it can change \
                     your routes. Set deployment.admin.admin_key and restrict allow_admin."
                        .to_owned()
                }),
            }
        }
        // APISIX refuses a key with a JSON message; a proxy's or firewall's HTML page
        // with the same status says nothing about the key.
        401 | 403 if json_body => Outcome::Invalid {
            code: format!("HTTP {with_key}"),
            hint: "wrong admin key; use the key from deployment.admin.admin_key in APISIX's config.yaml".into(),
            propagation_sensitive: false,
        },
        404 => Outcome::Unreachable {
            reason: "No APISIX Admin API at this URL (HTTP 404); check the host and port (the Admin API listens on 9180 by default)".into(),
        },
        status if (300..400).contains(&status) => Outcome::Unreachable {
            reason: format!("APISIX answered with a redirect (HTTP {status}); EntryGuard does not follow redirects with the key — use the Admin API's own URL"),
        },
        status => Outcome::Unreachable { reason: format!("APISIX answered HTTP {status}{}", if json_body { "" } else { " (not an Admin API answer)" }) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_json_object_is_an_admin_api_answer() {
        assert!(admin_api_answer(br#"{"total":0,"list":[]}"#));
        assert!(admin_api_answer(b" {\"node\":{}}"));
        for page in [&b"<html>Welcome</html>"[..], b"[]", b"ok", b"", b"{\"cut"] {
            assert!(!admin_api_answer(page), "{}", String::from_utf8_lossy(page));
        }
        // A long routes list is cut at MAX_BODY mid-JSON; a long page is still a page.
        let mut routes = br#"{"total":900,"list":["#.to_vec();
        routes.resize(MAX_BODY, b' ');
        assert!(admin_api_answer(&routes));
        let mut page = b"<!doctype html>".to_vec();
        page.resize(MAX_BODY, b' ');
        assert!(!admin_api_answer(&page));
    }

    proptest::proptest! {
        #[test]
        fn a_body_that_does_not_open_an_object_is_never_an_answer(body in ".*") {
            proptest::prop_assume!(!body.trim_start().starts_with('{'));
            proptest::prop_assert!(!admin_api_answer(body.as_bytes()));
        }
    }
}
