//! GCP: an RS256 JWT-bearer grant signed with the service account's key.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::ExposeSecret;

use super::{token_request, Outcome};
use crate::service::CheckJob;

#[derive(serde::Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

pub(super) async fn check(http: &reqwest::Client, job: &CheckJob) -> Outcome {
    let Some(json) = job.secret("service_account_json") else {
        return Outcome::Unreachable {
            reason: "The stored credential is incomplete; rotate it".into(),
        };
    };
    let key = match crate::validate::gcp_key(json.expose_secret()) {
        Ok(k) => k,
        Err(e) => {
            return Outcome::Invalid {
                code: "invalid_key_file".into(),
                hint: e.to_string(),
                propagation_sensitive: false,
            }
        }
    };
    let signing_key = match EncodingKey::from_rsa_pem(key.private_key.expose_secret().as_bytes()) {
        Ok(k) => k,
        Err(_) => {
            return Outcome::Invalid {
                code: "invalid_key_file".into(),
                hint: "the key's private_key is not a valid RSA key; download a new key file"
                    .into(),
                propagation_sensitive: false,
            }
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = Claims {
        iss: &key.client_email,
        scope: "https://www.googleapis.com/auth/cloud-platform",
        aud: &key.token_uri,
        iat: now,
        exp: now + 3600,
    };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.private_key_id.clone());
    let assertion = match jsonwebtoken::encode(&header, &claims, &signing_key) {
        Ok(jwt) => jwt,
        Err(e) => {
            return Outcome::Unreachable {
                reason: format!("Could not sign the token request: {e}"),
            }
        }
    };
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", assertion.as_str()),
    ];
    let body = match token_request(http, &key.token_uri, &form, "Google's token endpoint").await {
        Ok(None) => {
            return Outcome::Valid {
                identity: format!("{} (project {})", key.client_email, key.project_id),
                warning: None,
            }
        }
        Ok(Some(refusal)) => refusal,
        Err(unreachable) => return unreachable,
    };
    let error = body["error"].as_str().unwrap_or("unknown_error").to_owned();
    let description = body["error_description"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(300)
        .collect::<String>();
    let hint = match error.as_str() {
        "invalid_grant" => format!(
            "{} — the key may have been deleted or rotated, or the service account disabled; create a new key",
            if description.is_empty() { "Google rejected the key" } else { &description }
        ),
        _ if !description.is_empty() => description,
        _ => "Google rejected the service account key".into(),
    };
    Outcome::Invalid {
        code: error,
        hint,
        propagation_sensitive: false,
    }
}
