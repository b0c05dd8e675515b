//! AWS: `sts:GetCallerIdentity` with the stored static key.
//!
//! Only the key given is used: no default credential chain, no profile files, no IMDS. The
//! region is explicit (so `cn-*` and `us-gov-*` reach their partitions), and an endpoint
//! from `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` is honoured as every AWS SDK does.
//!
//! The SDK sends through the reqwest client every provider shares ([`ReqwestConnector`]):
//! one connection pool, one proxy rule, no redirects, responses capped like the others',
//! and no second HTTP stack (the SDK's own brought HTTP/2 and its own proxy settings).

use aws_sdk_sts::config::http::{HttpRequest, HttpResponse};
use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region, SharedHttpClient};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::http::{Headers, StatusCode};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use secrecy::ExposeSecret;

use super::CheckJob;
use super::{Outcome, VerifierConfig};

pub(super) struct Aws {
    base: aws_sdk_sts::config::Builder,
}

impl Aws {
    pub fn new(config: &VerifierConfig, http: reqwest::Client) -> Self {
        let mut base = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(config.connect_timeout)
                    .operation_timeout(config.attempt_timeout)
                    .build(),
            )
            .http_client(through(http));
        if let Some(endpoint) = &config.aws_endpoint {
            base = base.endpoint_url(endpoint);
        }
        Aws { base }
    }

    pub async fn check(&self, job: &CheckJob) -> Outcome {
        let (Some(key_id), Some(secret)) = (
            job.public_str("access_key_id"),
            job.secret("secret_access_key"),
        ) else {
            return Outcome::Unreachable {
                reason: "The stored credential is incomplete; rotate it".into(),
            };
        };
        let region = job
            .public_str("region")
            .unwrap_or(crate::validate::DEFAULT_AWS_REGION);
        let credentials = Credentials::new(
            key_id,
            secret.expose_secret(),
            job.secret("session_token")
                .map(|t| t.expose_secret().to_owned()),
            None,
            "entryguard",
        );
        let config = self
            .base
            .clone()
            .region(Region::new(region.to_owned()))
            .credentials_provider(credentials)
            .build();
        let client = aws_sdk_sts::Client::from_conf(config);
        match client.get_caller_identity().send().await {
            Ok(identity) => Outcome::Valid {
                identity: format!(
                    "{} (account {})",
                    identity.arn().unwrap_or("unknown ARN"),
                    identity.account().unwrap_or("unknown")
                ),
                warning: None,
                expires_at: None,
            },
            Err(SdkError::ServiceError(err)) => {
                let raw = String::from_utf8_lossy(err.raw().body().bytes().unwrap_or_default())
                    .into_owned();
                let code = err
                    .err()
                    .code()
                    .map(str::to_owned)
                    .or_else(|| xml_tag(&raw, "Code"));
                let message = err
                    .err()
                    .message()
                    .map(str::to_owned)
                    .or_else(|| xml_tag(&raw, "Message"))
                    .unwrap_or_default();
                let status = err.raw().status().as_u16();
                classify(code.as_deref(), &message, status)
            }
            Err(SdkError::TimeoutError(_)) => Outcome::Unreachable {
                reason: "Timed out waiting for AWS STS".into(),
            },
            Err(SdkError::DispatchFailure(e)) => Outcome::Unreachable {
                reason: match e.as_connector_error() {
                    Some(c) if c.is_timeout() => "Timed out waiting for AWS STS".into(),
                    Some(c) => format!(
                        "Unreachable: could not connect to AWS STS ({})",
                        root_cause(c)
                    ),
                    None => "Unreachable: could not connect to AWS STS".into(),
                },
            },
            Err(other) => Outcome::Unreachable {
                reason: format!("Unexpected answer from AWS STS: {}", root_cause(&other)),
            },
        }
    }
}

/// The SDK's HTTP client: every request it makes goes out through `http`.
fn through(http: reqwest::Client) -> SharedHttpClient {
    let connector = SharedHttpConnector::new(ReqwestConnector(http));
    http_client_fn(move |_, _| connector.clone())
}

#[derive(Debug)]
struct ReqwestConnector(reqwest::Client);

impl HttpConnector for ReqwestConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let http = self.0.clone();
        HttpConnectorFuture::new(async move { send(&http, request).await })
    }
}

async fn send(
    http: &reqwest::Client,
    request: HttpRequest,
) -> Result<HttpResponse, ConnectorError> {
    let method = reqwest::Method::from_bytes(request.method().as_bytes())
        .map_err(|e| ConnectorError::user(e.into()))?;
    // STS requests are small forms, always in memory.
    let body = request
        .body()
        .bytes()
        .ok_or_else(|| ConnectorError::user("a streaming request body".into()))?
        .to_vec();
    let mut outgoing = http.request(method, request.uri()).body(body);
    for (name, value) in request.headers() {
        outgoing = outgoing.header(name, value);
    }
    let response = outgoing.send().await.map_err(connector_error)?;
    let status = StatusCode::try_from(response.status().as_u16())
        .map_err(|e| ConnectorError::other(e.into(), None))?;
    let mut headers = Headers::new();
    for (name, value) in response.headers() {
        if let Ok(value) = value.to_str() {
            headers.append(name.as_str().to_owned(), value.to_owned());
        }
    }
    let body = super::capped_body(response)
        .await
        .map_err(connector_error)?;
    let mut response = HttpResponse::new(status, SdkBody::from(body));
    *response.headers_mut() = headers;
    Ok(response)
}

fn connector_error(e: reqwest::Error) -> ConnectorError {
    if e.is_timeout() {
        ConnectorError::timeout(e.into())
    } else if e.is_connect() {
        ConnectorError::io(e.into())
    } else {
        ConnectorError::other(e.into(), None)
    }
}

fn root_cause(err: &dyn std::error::Error) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// `<Tag>…</Tag>` from a raw STS error body, for servers whose shape the SDK does not parse.
fn xml_tag(body: &str, tag: &str) -> Option<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&close)? + start;
    Some(body[start..end].trim().to_owned()).filter(|c| !c.is_empty())
}

/// Plain-language reasons for STS rejections. Only codes that mean "this credential is
/// rejected" make it Invalid; anything else (including a request refused because this
/// machine's clock is off) leaves it Unverified with the reason.
fn classify(code: Option<&str>, message: &str, status: u16) -> Outcome {
    let invalid = |code: &str, hint: &str, propagation_sensitive| Outcome::Invalid {
        code: code.into(),
        hint: hint.into(),
        propagation_sensitive,
    };
    match code {
        Some("InvalidClientTokenId") => invalid(
            "InvalidClientTokenId",
            "the access key ID does not exist or was deleted; check it for typos or create a new key",
            true,
        ),
        Some("SignatureDoesNotMatch" | "RequestExpired" | "InvalidSignatureException")
            if message.to_lowercase().contains("expired")
                || message.to_lowercase().contains("signature not yet current") =>
        {
            Outcome::Unreachable {
                reason: "AWS refused the request's time stamp — check this computer's clock (date, time and time zone)".into(),
            }
        }
        Some("SignatureDoesNotMatch") => invalid(
            "SignatureDoesNotMatch",
            "the secret access key is wrong; copy it again (it is shown only once when the key is created)",
            false,
        ),
        Some("ExpiredToken") => invalid("ExpiredToken", "the session token has expired; get new temporary credentials", false),
        Some("AccessDenied") => invalid(
            "AccessDenied",
            "the key works but may not call sts:GetCallerIdentity; check the IAM policy and that the user is active",
            false,
        ),
        Some(code @ ("Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "ServiceUnavailable" | "InternalFailure")) => {
            Outcome::Unreachable { reason: format!("AWS STS is busy ({code})") }
        }
        Some(code) => Outcome::Unreachable { reason: format!("AWS STS answered {code} (HTTP {status})") },
        None => Outcome::Unreachable { reason: format!("AWS STS answered HTTP {status} without an error code") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_read_from_a_raw_error_body() {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>\
                    <Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>";
        assert_eq!(
            xml_tag(body, "Code").as_deref(),
            Some("InvalidClientTokenId")
        );
        assert_eq!(xml_tag("<html>nope</html>", "Code"), None);
    }

    #[test]
    fn unknown_key_is_invalid_but_propagation_sensitive() {
        assert!(matches!(
            classify(Some("InvalidClientTokenId"), "", 403),
            Outcome::Invalid {
                propagation_sensitive: true,
                ..
            }
        ));
        assert!(matches!(
            classify(
                Some("SignatureDoesNotMatch"),
                "The request signature we calculated does not match",
                403
            ),
            Outcome::Invalid {
                propagation_sensitive: false,
                ..
            }
        ));
    }

    #[test]
    fn server_trouble_is_never_invalid() {
        assert!(matches!(
            classify(Some("Throttling"), "", 400),
            Outcome::Unreachable { .. }
        ));
        assert!(matches!(
            classify(None, "", 503),
            Outcome::Unreachable { .. }
        ));
    }

    #[test]
    fn unknown_codes_and_a_skewed_clock_are_never_invalid() {
        for (code, message, status) in [
            (
                Some("SignatureDoesNotMatch"),
                "Signature expired: 20260101T000000Z is now earlier than 20261202T000000Z",
                403,
            ),
            (
                Some("SignatureDoesNotMatch"),
                "Signature not yet current: 20271202T000000Z is still later than 20261202T000000Z",
                403,
            ),
            (Some("SomethingNew"), "", 400),
            (None, "", 403),
            (None, "", 404),
        ] {
            let outcome = classify(code, message, status);
            assert!(
                matches!(outcome, Outcome::Unreachable { .. }),
                "{code:?} {message}: {outcome:?}"
            );
        }
        match classify(Some("SignatureDoesNotMatch"), "Signature expired: x", 403) {
            Outcome::Unreachable { reason } => assert!(reason.contains("clock"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
}
