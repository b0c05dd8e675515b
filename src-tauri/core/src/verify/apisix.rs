//! APISIX: list routes on the Admin API with the stored `X-API-KEY`.

use secrecy::ExposeSecret;

use super::CheckJob;
use super::{capped_body, network_reason, Outcome};

pub(super) async fn check(http: &reqwest::Client, job: &CheckJob) -> Outcome {
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
            let open = match http.get(&url).send().await {
                Ok(r) => {
                    let ok = r.status().is_success();
                    let _ = capped_body(r).await;
                    ok
                }
                Err(_) => false,
            };
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
