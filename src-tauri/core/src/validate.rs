//! Input rules for new and rotated credentials.
//!
//! The UI checks the same rules as the user types (ui/src/lib/validation.ts); this is the
//! authority. Labels and length bounds come from [`crate::fields`], and both suites run the
//! shared cases in `validation-cases.json`, so the two cannot drift apart. Each message says
//! what is wrong and how to fix it, names the field, and never repeats a secret value.

use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::fields::{self, label};
use crate::model::{CredentialType, NewCredential, Provider, ProviderSpec};

/// A credential that passed every rule, split into clear metadata and secret fields.
#[derive(Debug)]
pub struct Validated {
    pub name: String,
    pub environment: Option<String>,
    pub provider: Provider,
    pub credential_type: CredentialType,
    pub public_fields: Value,
    pub secrets: Vec<(&'static str, SecretString)>,
    pub hint: String,
}

/// Trimmed name, 1–100 characters.
pub fn name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Error::validation(
            "name",
            "Name is required, e.g. “AWS Production”.",
        ));
    }
    label_text("name", name)?;
    Ok(name.to_owned())
}

/// A label people type (name, environment): within the field's length, no control characters.
fn label_text(field: &'static str, text: &str) -> Result<()> {
    let len = text.chars().count();
    let max = fields::spec(field).max_len as usize;
    if len > max {
        return Err(Error::validation(
            field,
            format!(
                "{} is {len} characters long; shorten it to {max} or fewer.",
                label(field)
            ),
        ));
    }
    if text.chars().any(is_hidden) {
        return Err(Error::validation(
            field,
            format!(
                "{} cannot contain control or invisible characters (tabs, line breaks, \
                 zero-width or text-direction marks).",
                label(field)
            ),
        ));
    }
    Ok(())
}

/// Control (Unicode Cc) and format (Cf) characters: line breaks, escapes, zero-width and
/// bidi marks. In a name they hide or reorder text, so "prod" can pose as another.
pub fn is_hidden(c: char) -> bool {
    const FORMAT: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
    ];
    let code = c as u32;
    c.is_control() || FORMAT.iter().any(|&(lo, hi)| (lo..=hi).contains(&code))
}

/// Any field: no longer than its table bound (a pasted log file is not a key).
fn within_max(field: &'static str, text: &str) -> Result<()> {
    let max = fields::spec(field).max_len as usize;
    if text.chars().count() > max {
        return Err(Error::validation(
            field,
            format!(
                "{} is longer than {max} characters; paste only the value itself.",
                label(field)
            ),
        ));
    }
    Ok(())
}

/// The uniqueness key of a name: trimmed and case-folded.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// An optional short label such as “production”.
fn environment(raw: Option<&str>) -> Result<Option<String>> {
    let env = raw.map(str::trim).filter(|e| !e.is_empty());
    if let Some(e) = env {
        label_text("environment", e)?;
    }
    Ok(env.map(str::to_owned))
}

pub fn validate(input: &NewCredential) -> Result<Validated> {
    let name = name(&input.name)?;
    let environment = environment(input.environment.as_deref())?;
    let provider = input.spec.provider();
    let credential_type = provider.credential_type();
    if let Some(t) = input.credential_type {
        if t != credential_type {
            return Err(Error::validation(
                "type",
                format!(
                    "{} credentials use type {}, not {}.",
                    provider.as_str(),
                    credential_type.as_str(),
                    t.as_str()
                ),
            ));
        }
    }
    let (public_fields, secrets, hint) = spec(&input.spec)?;
    Ok(Validated {
        name,
        environment,
        provider,
        credential_type,
        public_fields,
        secrets,
        hint,
    })
}

type SpecParts = (Value, Vec<(&'static str, SecretString)>, String);

/// Validates provider fields; returns the clear fields, the secret fields and the hint.
pub fn spec(spec: &ProviderSpec) -> Result<SpecParts> {
    match spec {
        ProviderSpec::Aws {
            access_key_id,
            secret_access_key,
            session_token,
            region,
        } => {
            let key_id = aws_access_key_id(access_key_id)?;
            let secret = secret_access_key.expose_secret().trim();
            let secret_len = fields::spec("secret_access_key").max_len as usize;
            if secret.chars().count() != secret_len {
                return Err(Error::validation(
                    "secret_access_key",
                    format!(
                        "Secret Access Key must be {secret_len} characters; this one has {}. Copy \
                         it again from the IAM console or the downloaded .csv.",
                        secret.chars().count()
                    ),
                ));
            }
            let token = session_token
                .as_ref()
                .map(|t| t.expose_secret().trim())
                .filter(|t| !t.is_empty());
            if let Some(t) = token {
                within_max("session_token", t)?;
            }
            if key_id.starts_with("ASIA") && token.is_none() {
                return Err(Error::validation(
                    "session_token",
                    "Keys starting with ASIA are temporary and need their Session Token; paste it \
                     too, or use a long-term AKIA key.",
                ));
            }
            let region = aws_region(region.as_deref())?;
            let mut secrets = vec![("secret_access_key", SecretString::from(secret.to_owned()))];
            if let Some(t) = token {
                secrets.push(("session_token", SecretString::from(t.to_owned())));
            }
            let public = json!({ "access_key_id": key_id, "region": region });
            let hint = hint(Provider::Aws, &public);
            Ok((public, secrets, hint))
        }
        ProviderSpec::Apisix {
            endpoint,
            admin_key,
        } => {
            let endpoint = endpoint_url("endpoint", label("endpoint"), endpoint)?;
            let key = required_secret("admin_key", admin_key)?;
            let public = json!({ "endpoint": endpoint });
            let hint = hint(Provider::Apisix, &public);
            Ok((public, vec![("admin_key", key)], hint))
        }
        ProviderSpec::Azure {
            tenant_id,
            client_id,
            client_secret,
        } => {
            let tenant = guid("tenant_id", tenant_id)?;
            let client = guid("client_id", client_id)?;
            let secret = required_secret("client_secret", client_secret)?;
            let public = json!({ "tenant_id": tenant, "client_id": client });
            let hint = hint(Provider::Azure, &public);
            Ok((public, vec![("client_secret", secret)], hint))
        }
        ProviderSpec::Gcp {
            service_account_json,
        } => {
            let key = gcp_key(service_account_json.expose_secret())?;
            let public = json!({
                "client_email": key.client_email,
                "project_id": key.project_id,
                "private_key_id": key.private_key_id,
                "token_uri": key.token_uri,
            });
            let hint = hint(Provider::Gcp, &public);
            Ok((
                public,
                vec![(
                    "service_account_json",
                    SecretString::from(service_account_json.expose_secret().trim().to_owned()),
                )],
                hint,
            ))
        }
    }
}

/// `AKIA…WXYZ`: the first and last four characters of a (non-secret) key id.
pub fn key_id_hint(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return id.to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// A reminder of which credential this is, made only from non-secret fields (never a
/// character of a secret): an AWS key id, an APISIX host, an Azure app id, a GCP account.
pub fn hint(provider: Provider, public: &Value) -> String {
    let text = |key: &str| public.get(key).and_then(Value::as_str).unwrap_or("");
    match provider {
        Provider::Aws => key_id_hint(text("access_key_id")),
        Provider::Apisix => url::Url::parse(text("endpoint"))
            .ok()
            .and_then(|u| {
                let host = u.host_str()?.to_owned();
                Some(match u.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host,
                })
            })
            .unwrap_or_else(|| "APISIX".into()),
        Provider::Azure => format!("app {}", key_id_hint(text("client_id"))),
        Provider::Gcp => format!(
            "{} · key {}",
            text("client_email"),
            text("private_key_id").chars().take(8).collect::<String>()
        ),
    }
}

fn required_secret(field: &'static str, value: &SecretString) -> Result<SecretString> {
    let v = value.expose_secret().trim();
    let label = label(field);
    let min = fields::spec(field).min_len;
    if v.is_empty() {
        return Err(Error::validation(field, format!("{label} is required.")));
    }
    if v.chars().count() < min as usize {
        return Err(Error::validation(
            field,
            format!("{label} looks too short (under {min} characters); paste the whole value."),
        ));
    }
    within_max(field, v)?;
    Ok(SecretString::from(v.to_owned()))
}

pub fn aws_access_key_id(raw: &str) -> Result<String> {
    let id = raw.trim();
    let prefix_ok = id.starts_with("AKIA") || id.starts_with("ASIA");
    let body_ok = id.len() == 20
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if id.is_empty() {
        return Err(Error::validation(
            "access_key_id",
            "Access Key ID is required.",
        ));
    }
    if !prefix_ok || !body_ok {
        return Err(Error::validation(
            "access_key_id",
            format!(
                "Access Key ID must start with AKIA or ASIA followed by 16 upper-case letters or \
                 digits (20 characters); you entered {} characters.",
                id.chars().count()
            ),
        ));
    }
    Ok(id.to_owned())
}

pub const DEFAULT_AWS_REGION: &str = "us-east-1";

/// A region code shaped like `us-east-1`, `us-gov-west-1` or `cn-north-1`: two letters,
/// one or more words, a number. Empty means [`DEFAULT_AWS_REGION`].
fn aws_region(raw: Option<&str>) -> Result<String> {
    let region = raw
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or(DEFAULT_AWS_REGION);
    let lower_word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase());
    let parts: Vec<&str> = region.split('-').collect();
    let shape_ok = region.len() <= fields::spec("region").max_len as usize
        && parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1].iter().all(|w| lower_word(w))
        && parts[parts.len() - 1].len() <= 2
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty();
    if !shape_ok {
        return Err(Error::validation(
            "region",
            format!("“{region}” is not an AWS region code; use one like us-east-1, eu-west-2 or cn-north-1."),
        ));
    }
    Ok(region.to_owned())
}

fn guid(field: &'static str, raw: &str) -> Result<String> {
    let v = raw.trim();
    let groups: Vec<&str> = v.split('-').collect();
    let ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
    if !ok {
        return Err(Error::validation(
            field,
            format!(
                "{} must be a GUID like 11111111-2222-3333-4444-555555555555; copy it from \
                 the app registration's Overview page.",
                label(field)
            ),
        ));
    }
    Ok(v.to_lowercase())
}

/// Re-checks the fields that decide where a stored credential's secret goes, with the
/// rules they were stored under, before anything is sent there.
pub fn destination(provider: Provider, public: &Value) -> Result<()> {
    let text = |key: &str| public.get(key).and_then(Value::as_str).unwrap_or("");
    match provider {
        Provider::Aws => {
            aws_access_key_id(text("access_key_id"))?;
            aws_region(Some(text("region")).filter(|r| !r.is_empty()))?;
        }
        Provider::Apisix => {
            endpoint_url("endpoint", label("endpoint"), text("endpoint"))?;
        }
        Provider::Azure => {
            guid("tenant_id", text("tenant_id"))?;
            guid("client_id", text("client_id"))?;
        }
        // The token endpoint is inside the sealed key and checked when it is opened.
        Provider::Gcp => {}
    }
    Ok(())
}

/// True for hosts that never leave this machine.
pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// An `https://` URL, or `http://` to a loopback host; returned without a trailing slash.
pub fn endpoint_url(field: &'static str, label: &str, raw: &str) -> Result<String> {
    let text = raw.trim();
    within_max(field, text)?;
    let url = url::Url::parse(text).map_err(|_| {
        Error::validation(
            field,
            format!("{label} must be a full URL such as https://apisix.example.com:9180."),
        )
    })?;
    let host = url
        .host()
        .ok_or_else(|| Error::validation(field, format!("{label} needs a host name.")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&host) => {}
        "http" => {
            return Err(Error::validation(
                field,
                format!(
                    "{label} must use https:// — plain http:// would send the key unencrypted. \
                     http:// is accepted only for this machine (localhost, 127.0.0.1, [::1])."
                ),
            ))
        }
        other => {
            return Err(Error::validation(
                field,
                format!("{label} must start with https://, not {other}://."),
            ))
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::validation(
            field,
            format!("{label} must not contain a user name or password."),
        ));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

/// The parts of a GCP service-account key the app needs.
#[derive(Debug)]
pub struct GcpKey {
    pub key_type: String,
    pub project_id: String,
    pub client_email: String,
    pub private_key_id: String,
    pub private_key: SecretString,
    pub token_uri: String,
    /// Where Google publishes the account's public certificates (no key needed to read).
    pub client_x509_cert_url: Option<String>,
}

pub const GCP_FIELDS: [&str; 6] = [
    "type",
    "project_id",
    "client_email",
    "private_key_id",
    "private_key",
    "token_uri",
];

/// A key file as written, every field optional so that a missing one gets its own message.
/// Parsed straight into this shape (no intermediate JSON tree), so the private key only
/// ever lives in a zeroizing `SecretString`.
#[derive(serde::Deserialize)]
struct KeyFile {
    #[serde(rename = "type")]
    key_type: Option<String>,
    project_id: Option<String>,
    client_email: Option<String>,
    private_key_id: Option<String>,
    private_key: Option<SecretString>,
    token_uri: Option<String>,
    client_x509_cert_url: Option<String>,
}

/// Parses and checks a service-account key file.
pub fn gcp_key(json: &str) -> Result<GcpKey> {
    const FIELD: &str = "service_account_json";
    within_max(FIELD, json)?;
    let file: KeyFile = serde_json::from_str(json.trim()).map_err(|e| {
        let message = match e.classify() {
            serde_json::error::Category::Data => {
                // serde's own text can quote the offending value: never shown.
                "Service Account Key must be the key file's JSON object, with text fields."
                    .to_owned()
            }
            _ => format!(
                "Service Account Key is not valid JSON (line {}, column {}); paste the whole \
                 key file downloaded from IAM › Service accounts › Keys.",
                e.line(),
                e.column()
            ),
        };
        Error::validation(FIELD, message)
    })?;
    if file
        .key_type
        .as_deref()
        .is_some_and(|t| t != "service_account")
    {
        return Err(Error::validation(
            FIELD,
            "This JSON is not a service account key (its “type” is not “service_account”); create \
             a key under IAM › Service accounts › Keys.",
        ));
    }
    let text = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let client_x509_cert_url = text(file.client_x509_cert_url);
    let fields = (
        text(file.key_type),
        text(file.project_id),
        text(file.client_email),
        text(file.private_key_id),
        file.private_key
            .filter(|k| !k.expose_secret().trim().is_empty()),
        text(file.token_uri),
    );
    let (
        Some(key_type),
        Some(project_id),
        Some(client_email),
        Some(private_key_id),
        Some(private_key),
        Some(token_uri),
    ) = fields
    else {
        let present = [
            fields.0.is_some(),
            fields.1.is_some(),
            fields.2.is_some(),
            fields.3.is_some(),
            fields.4.is_some(),
            fields.5.is_some(),
        ];
        let missing: Vec<&str> = GCP_FIELDS
            .iter()
            .zip(present)
            .filter_map(|(name, there)| (!there).then_some(*name))
            .collect();
        return Err(Error::validation(
            FIELD,
            format!(
                "Service Account Key is missing {}; download a fresh key file.",
                missing.join(", ")
            ),
        ));
    };
    endpoint_url(FIELD, "The key's token_uri", &token_uri)?;
    if !private_key.expose_secret().contains("PRIVATE KEY-----") {
        return Err(Error::validation(
            FIELD,
            "The key's private_key is not a PEM private key.",
        ));
    }
    Ok(GcpKey {
        key_type,
        project_id,
        client_email,
        private_key_id,
        private_key,
        token_uri,
        client_x509_cert_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<impl std::fmt::Debug>) -> &'static str {
        r.unwrap_err().field().unwrap()
    }

    #[test]
    fn names_are_trimmed_and_limited() {
        assert_eq!(name("  AWS Production ").unwrap(), "AWS Production");
        assert_eq!(field_of(name("   ")), "name");
        assert!(name(&"x".repeat(100)).is_ok());
        assert!(name(&"x".repeat(101))
            .unwrap_err()
            .to_string()
            .contains("101"));
    }

    #[test]
    fn aws_key_ids_need_prefix_and_sixteen_upper_alphanumerics() {
        assert!(aws_access_key_id("AKIAIOSFODNN7EXAMPLE").is_ok());
        assert!(aws_access_key_id("ASIAIOSFODNN7EXAMPLE").is_ok());
        for bad in [
            "AKIAIOSFODNN7EXAMPL",
            "akiaIOSFODNN7EXAMPLE",
            "ABCDIOSFODNN7EXAMPLE",
            "AKIAIOSFODNN7EXAMPL!",
        ] {
            let err = aws_access_key_id(bad).unwrap_err();
            assert!(err.to_string().contains("AKIA or ASIA"), "{bad}");
        }
    }

    #[test]
    fn http_is_accepted_only_for_loopback() {
        assert!(endpoint_url(
            "endpoint",
            "Endpoint URL",
            "https://apisix.example.com:9180/"
        )
        .is_ok());
        assert!(endpoint_url("endpoint", "Endpoint URL", "http://127.0.0.1:9180").is_ok());
        assert!(endpoint_url("endpoint", "Endpoint URL", "http://localhost:9180").is_ok());
        assert!(endpoint_url("endpoint", "Endpoint URL", "http://[::1]:9180").is_ok());
        let err =
            endpoint_url("endpoint", "Endpoint URL", "http://apisix.example.com").unwrap_err();
        assert!(err.to_string().contains("https://"));
        assert!(endpoint_url("endpoint", "Endpoint URL", "ftp://x").is_err());
        assert!(endpoint_url("endpoint", "Endpoint URL", "not a url").is_err());
    }

    #[test]
    fn guids_are_checked() {
        assert!(guid("tenant_id", "11111111-2222-3333-4444-555555555555").is_ok());
        assert!(guid("tenant_id", "11111111-2222-3333-4444-55555555555").is_err());
        assert!(guid("tenant_id", "g1111111-2222-3333-4444-555555555555").is_err());
    }

    #[test]
    fn gcp_keys_must_be_service_accounts_with_every_field() {
        let err = gcp_key("{not json").unwrap_err();
        assert!(err.to_string().contains("not valid JSON"));
        let err = gcp_key(r#"{"type":"authorized_user"}"#).unwrap_err();
        assert!(err.to_string().contains("not a service account"));
        let err = gcp_key(r#"{"type":"service_account","project_id":"p"}"#).unwrap_err();
        assert!(err.to_string().contains("client_email"), "{err}");
    }

    #[test]
    fn regions_default_and_are_checked() {
        assert_eq!(aws_region(None).unwrap(), "us-east-1");
        assert_eq!(aws_region(Some("cn-north-1")).unwrap(), "cn-north-1");
        assert!(aws_region(Some("US East")).is_err());
    }

    /// A valid credential for `provider` from form-like values, with `over` applied.
    fn credential(provider: Provider, over: &serde_json::Map<String, Value>) -> NewCredential {
        let base = json!({
            "name": "Case", "environment": "",
            "access_key_id": "AKIAIOSFODNN7EXAMPLE",
            "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "session_token": "", "region": "",
            "endpoint": "https://apisix.example.com:9180",
            "admin_key": "edd1c9f034335f136f87ad84b625c8f1",
            "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "client_id": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "client_secret": "Q~8abcdEFGH1234",
            "service_account_json": json!({
                "type": "service_account", "project_id": "p",
                "client_email": "sa@p.iam.gserviceaccount.com", "private_key_id": "abc",
                "private_key": "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n",
                "token_uri": "https://oauth2.googleapis.com/token"
            }).to_string(),
        });
        let mut form = base.as_object().unwrap().clone();
        form.extend(over.clone());
        let text = |k: &str| form[k].as_str().unwrap().to_owned();
        let secret = |k: &str| SecretString::from(text(k));
        let spec = match provider {
            Provider::Aws => ProviderSpec::Aws {
                access_key_id: text("access_key_id"),
                secret_access_key: secret("secret_access_key"),
                session_token: Some(secret("session_token")),
                region: Some(text("region")),
            },
            Provider::Apisix => ProviderSpec::Apisix {
                endpoint: text("endpoint"),
                admin_key: secret("admin_key"),
            },
            Provider::Azure => ProviderSpec::Azure {
                tenant_id: text("tenant_id"),
                client_id: text("client_id"),
                client_secret: secret("client_secret"),
            },
            Provider::Gcp => ProviderSpec::Gcp {
                service_account_json: secret("service_account_json"),
            },
        };
        NewCredential {
            name: text("name"),
            environment: Some(text("environment")),
            credential_type: None,
            spec,
        }
    }

    #[test]
    fn shared_validation_cases_agree_with_the_rust_rules() {
        let file: Value =
            serde_json::from_str(include_str!("../tests/data/validation-cases.json")).unwrap();
        let mut wrong = Vec::new();
        for case in file["cases"].as_array().unwrap() {
            let field = case["field"].as_str().unwrap();
            let mut over = case["with"].as_object().cloned().unwrap_or_default();
            over.insert(field.into(), case["value"].clone());
            let provider = fields::spec(field).provider.unwrap_or(Provider::Aws);
            let verdict = validate(&credential(provider, &over));
            let ok = match (&verdict, case["valid"].as_bool().unwrap()) {
                (Ok(_), true) => true,
                (Err(e), false) => e.field() == Some(field),
                _ => false,
            };
            if !ok {
                wrong.push(format!("{case} → {:?}", verdict.map(|v| v.name)));
            }
        }
        assert!(
            wrong.is_empty(),
            "cases the Rust rules disagree with:\n{}",
            wrong.join("\n")
        );
    }
}
