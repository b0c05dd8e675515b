//! GCP: an RS256 JWT-bearer grant signed with the service account's key.
//!
//! The JWT is signed with ring, which the TLS stack links anyway. A general JWT library
//! links every algorithm it can dispatch to at run time (ECDSA, Ed25519, a second RSA
//! implementation): ~0.7 MiB of binary for one signature we need.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::PrivatePkcs8KeyDer;
use secrecy::ExposeSecret;

use super::CheckJob;
use super::{token_request, Outcome, FOLLOW_UP};

#[derive(serde::Serialize)]
struct Header<'a> {
    alg: &'a str,
    typ: &'a str,
    kid: &'a str,
}

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
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = Claims {
        iss: &key.client_email,
        scope: "https://www.googleapis.com/auth/cloud-platform",
        aud: &key.token_uri,
        iat: now,
        exp: now + 3600,
    };
    let header = Header {
        alg: "RS256",
        typ: "JWT",
        kid: &key.private_key_id,
    };
    let assertion = match sign_rs256(key.private_key.expose_secret(), &header, &claims) {
        Ok(jwt) => jwt,
        Err(hint) => {
            return Outcome::Invalid {
                code: "invalid_key_file".into(),
                hint: hint.into(),
                propagation_sensitive: false,
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
                warning: foreign_token_endpoint(&key.token_uri),
                // Best effort and short: a slow certificate URL must not cost the verdict.
                expires_at: tokio::time::timeout(FOLLOW_UP, key_expiry(http, &key))
                    .await
                    .ok()
                    .flatten(),
            };
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
    let lower = description.to_lowercase();
    let about_time = ["timeframe", "iat and exp", "too early", "too late", "clock"]
        .iter()
        .any(|w| lower.contains(w));
    if error == "invalid_grant" && about_time {
        return Outcome::Unreachable {
            reason: format!(
                "Google refused the token request's times ({description}) — check this computer's clock (date, time and time zone)"
            ),
        };
    }
    let hint = match error.as_str() {
        "invalid_grant" => format!(
            "{} — the key may have been deleted or rotated, or the service account disabled; create a new key",
            if description.is_empty() { "Google rejected the key" } else { &description }
        ),
        "invalid_client" | "unauthorized_client" => {
            if description.is_empty() { "Google rejected the service account".into() } else { description }
        }
        _ => {
            return Outcome::Unreachable {
                reason: format!("Google's token endpoint answered {error}: {description}"),
            }
        }
    };
    Outcome::Invalid {
        code: error,
        hint,
        propagation_sensitive: false,
    }
}

/// Google's own token endpoints; any other (but this machine's, for tests) can vouch for a
/// bogus key, so a Valid from it carries a warning.
fn foreign_token_endpoint(token_uri: &str) -> Option<String> {
    const GOOGLE: [&str; 3] = [
        "oauth2.googleapis.com",
        "accounts.google.com",
        "www.googleapis.com",
    ];
    let url = url::Url::parse(token_uri).ok()?;
    let host = url.host()?;
    let trusted = match &host {
        url::Host::Domain(d) => GOOGLE.iter().any(|g| d.eq_ignore_ascii_case(g)),
        _ => false,
    } || crate::validate::is_loopback_host(&host);
    (!trusted).then(|| {
        format!(
            "Warning: this key's token_uri ({token_uri}) is not Google's; that endpoint, not Google, vouched for it."
        )
    })
}

/// `base64url(header).base64url(claims).base64url(RSASSA-PKCS1-v1_5 SHA-256 signature)`.
fn sign_rs256(pem: &str, header: &Header<'_>, claims: &Claims<'_>) -> Result<String, &'static str> {
    const NOT_RSA: &str = "the key's private_key is not a valid RSA key; download a new key file";
    let der = PrivatePkcs8KeyDer::from_pem_slice(pem.as_bytes()).map_err(|_| NOT_RSA)?;
    let key =
        ring::signature::RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).map_err(|_| NOT_RSA)?;
    let header = serde_json::to_vec(header).expect("the JWT header serializes");
    let claims = serde_json::to_vec(claims).expect("the JWT claims serialize");
    let input = format!("{}.{}", B64.encode(header), B64.encode(claims));
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .map_err(|_| "the key could not sign the token request")?;
    Ok(format!("{input}.{}", B64.encode(signature)))
}

/// When this key stops working, from the public certificate Google publishes for it at the
/// key file's `client_x509_cert_url` (readable without any permission). `None` when the
/// key does not expire (Google writes year 9999), or when the answer says nothing usable:
/// an expiry is never guessed, and failing to learn one never changes the status.
async fn key_expiry(http: &reqwest::Client, key: &crate::validate::GcpKey) -> Option<String> {
    let url = key.client_x509_cert_url.as_deref()?;
    let url =
        crate::validate::endpoint_url("service_account_json", "client_x509_cert_url", url).ok()?;
    let response = http.get(url).send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body = super::capped_body(response).await.ok()?;
    certificate_expiry(&body, &key.private_key_id)
}

/// The `notAfter` of the certificate for `key_id` in Google's `{key_id: PEM}` document.
fn certificate_expiry(document: &[u8], key_id: &str) -> Option<String> {
    use x509_cert::der::DecodePem;
    let certs: std::collections::HashMap<String, String> = serde_json::from_slice(document).ok()?;
    let cert = x509_cert::Certificate::from_pem(certs.get(key_id)?.as_bytes()).ok()?;
    let not_after = cert.tbs_certificate.validity.not_after.to_unix_duration();
    let at = time::OffsetDateTime::from_unix_timestamp(not_after.as_secs() as i64).ok()?;
    // Google's "never expires".
    (at.year() < 9999).then(|| crate::time::format(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_expiry_is_never_guessed_from_a_document_that_does_not_hold_the_keys_certificate() {
        let broken = r#"{"k": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"}"#;
        for document in [
            &b"{}"[..],
            b"not json",
            b"[]",
            br#"{"k": 5}"#,
            broken.as_bytes(),
        ] {
            assert_eq!(certificate_expiry(document, "k"), None);
        }
    }

    proptest! {
        #[test]
        fn any_certificate_document_is_read_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = certificate_expiry(&bytes, "k");
        }
    }

    #[test]
    fn only_googles_own_or_this_machines_token_endpoint_goes_without_a_warning() {
        for trusted in [
            "https://oauth2.googleapis.com/token",
            "https://accounts.google.com/o/oauth2/token",
            "http://127.0.0.1:8080/gcp/token",
        ] {
            assert_eq!(foreign_token_endpoint(trusted), None, "{trusted}");
        }
        for foreign in [
            "https://oauth2.googleapis.com.evil.example/token",
            "https://tokens.example.com/token",
        ] {
            let warning = foreign_token_endpoint(foreign).unwrap();
            assert!(warning.contains("not Google's"), "{warning}");
        }
    }
}
