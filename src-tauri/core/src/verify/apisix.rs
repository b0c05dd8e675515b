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
    let with_key = match http
        .get(&url)
        .header("X-API-KEY", key.expose_secret())
        .send()
        .await
    {
        Ok(r) => r.status().as_u16(),
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
                warning: open.then(|| {
                    "Warning: this Admin API answers without any key — anyone who can reach it can change \
                     your routes. Set deployment.admin.admin_key and restrict allow_admin."
                        .to_owned()
                }),
            }
        }
        401 | 403 => Outcome::Invalid {
            code: format!("HTTP {with_key}"),
            hint: "wrong admin key; use the key from deployment.admin.admin_key in APISIX's config.yaml".into(),
            propagation_sensitive: false,
        },
        404 => Outcome::Invalid {
            code: "HTTP 404".into(),
            hint: "no APISIX Admin API at this URL; check the host and port (the Admin API listens on 9180 by default)".into(),
            propagation_sensitive: false,
        },
        status => Outcome::Unreachable { reason: format!("APISIX answered HTTP {status}") },
    }
}
