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
use super::{capped_body, network_reason, Outcome};

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
        let open = match http.get(url).send().await {
            Ok(r) => {
                let ok = r.status().is_success();
                let _ = capped_body(r).await;
                ok
            }
            Err(_) => false,
        };
        self.0
            .lock()
            .unwrap()
            .insert(url.to_owned(), (Instant::now(), open));
        open
    }
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
            let json =
                serde_json::from_slice::<serde_json::Value>(&body).is_ok_and(|v| v.is_object());
            (status, json)
        }
        Err(e) => {
            return Outcome::Unreachable {
                reason: network_reason(&e),
            }
        }
    };
    match with_key {
        200 => {
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
