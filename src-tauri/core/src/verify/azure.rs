//! Azure: the OAuth2 client-credentials grant against Microsoft Entra ID.

use secrecy::ExposeSecret;

use super::CheckJob;
use super::{token_request, Outcome};

pub(super) async fn check(http: &reqwest::Client, authority: &str, job: &CheckJob) -> Outcome {
    let (Some(tenant), Some(client), Some(secret)) = (
        job.public_str("tenant_id"),
        job.public_str("client_id"),
        job.secret("client_secret"),
    ) else {
        return Outcome::Unreachable {
            reason: "The stored credential is incomplete; rotate it".into(),
        };
    };
    let url = format!("{authority}/{tenant}/oauth2/v2.0/token");
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client),
        ("client_secret", secret.expose_secret()),
        ("scope", "https://graph.microsoft.com/.default"),
    ];
    let body = match token_request(http, &url, &form, "Microsoft Entra ID").await {
        Ok(None) => {
            return Outcome::Valid {
                identity: format!("tenant {tenant}, app {client}"),
                warning: None,
                expires_at: None,
            }
        }
        Ok(Some(refusal)) => refusal,
        Err(unreachable) => return unreachable,
    };
    let code = body["error_codes"].get(0).and_then(|c| c.as_u64());
    let error = body["error"].as_str().unwrap_or("unknown_error");
    let hint = match code {
        Some(7000215) => "the client secret is wrong; copy the secret's Value (not its Secret ID) from Certificates & secrets",
        Some(7000222) => "the client secret has expired; create a new one under Certificates & secrets and rotate it here",
        Some(700016) => "no application with this Client ID in the tenant; check the Application (client) ID",
        Some(90002) => "the tenant was not found; check the Directory (tenant) ID",
        _ if error == "invalid_client" => "Microsoft Entra ID rejected the client ID or secret",
        // Anything else (throttling, a policy, a service problem) is not a verdict on the key.
        _ => {
            return Outcome::Unreachable {
                reason: format!(
                    "Microsoft Entra ID answered {}: {}",
                    code.map(|c| format!("AADSTS{c}")).unwrap_or_else(|| error.to_owned()),
                    first_line(body["error_description"].as_str().unwrap_or("no description"))
                ),
            }
        }
    };
    Outcome::Invalid {
        code: code
            .map(|c| format!("AADSTS{c}"))
            .unwrap_or_else(|| error.to_owned()),
        hint: hint.into(),
        propagation_sensitive: false,
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or(text)
        .chars()
        .take(300)
        .collect()
}
