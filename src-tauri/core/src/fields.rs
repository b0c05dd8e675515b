//! Every credential field in one table: its label, which provider owns it, whether it is
//! secret, and its length bounds.
//!
//! The form, the CLI's prompts and the details panel all name fields, and the UI repeats
//! the length rules so it can explain them while the admin types. Written once here, the
//! table is emitted to `ui/src/lib/bindings/fields.ts` by the bindings test (which fails
//! when that file is stale), so a label or a bound cannot drift between Rust and the UI.
//! The shape rules (regions, GUIDs, URLs) are checked against one shared case file,
//! `validation-cases.json`, by both test suites.

use serde::Serialize;
use ts_rs::TS;

use crate::model::Provider;

/// One field of a credential. Lengths count characters after trimming.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct FieldSpec {
    /// The field's name in forms, the API and `details()`.
    #[ts(type = "string")]
    pub key: &'static str,
    #[ts(type = "string")]
    pub label: &'static str,
    /// `None` for the fields every credential has (name, environment).
    pub provider: Option<Provider>,
    pub secret: bool,
    /// Shown in the Add/Rotate forms (false: read from the secret, e.g. a GCP key's email).
    pub input: bool,
    /// Decides where the credential's secret is sent when it is verified (an endpoint, a
    /// tenant, a key id): bound into the seal, so editing it outside the app breaks it.
    pub destination: bool,
    /// 0 when the field is optional.
    pub min_len: u32,
    pub max_len: u32,
}

const fn field(
    key: &'static str,
    label: &'static str,
    provider: Option<Provider>,
    secret: bool,
    (min_len, max_len): (u32, u32),
) -> FieldSpec {
    FieldSpec {
        key,
        label,
        provider,
        secret,
        input: true,
        destination: false,
        min_len,
        max_len,
    }
}

/// A field that decides where the secret goes (see [`FieldSpec::destination`]).
const fn routing(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        destination: true,
        ..spec
    }
}

/// A non-secret field read from the secret itself; shown in details, never typed.
const fn derived(key: &'static str, label: &'static str, provider: Provider) -> FieldSpec {
    FieldSpec {
        input: false,
        ..field(key, label, Some(provider), false, (0, MAX_TEXT))
    }
}

/// The longest single-line value any field takes (URLs included).
pub const MAX_TEXT: u32 = 2048;
/// The longest secret: a GCP key file is ~2.3 KB; 64 KiB leaves room and bounds memory.
pub const MAX_SECRET: u32 = 64 * 1024;
const MIN_SECRET: u32 = 8;

use Provider::{Apisix, Aws, Azure, Gcp};

/// Every field, in form order.
#[rustfmt::skip]
pub const FIELDS: &[FieldSpec] = &[
    field("name", "Name", None, false, (1, 100)),
    field("environment", "Environment", None, false, (0, 40)),
    routing(field("access_key_id", "Access Key ID", Some(Aws), false, (20, 20))),
    field("secret_access_key", "Secret Access Key", Some(Aws), true, (40, 40)),
    field("session_token", "Session Token", Some(Aws), true, (0, MAX_SECRET)),
    routing(field("region", "Region", Some(Aws), false, (0, 30))),
    routing(field("endpoint", "Endpoint URL", Some(Apisix), false, (1, MAX_TEXT))),
    field("admin_key", "Admin API Key", Some(Apisix), true, (MIN_SECRET, 1024)),
    routing(field("tenant_id", "Tenant ID", Some(Azure), false, (36, 36))),
    routing(field("client_id", "Client ID", Some(Azure), false, (36, 36))),
    field("client_secret", "Client Secret", Some(Azure), true, (MIN_SECRET, 1024)),
    field("service_account_json", "Service Account Key (JSON)", Some(Gcp), true, (2, MAX_SECRET)),
    derived("client_email", "Client email", Gcp),
    derived("project_id", "Project ID", Gcp),
    derived("private_key_id", "Private key ID", Gcp),
    derived("token_uri", "Token URI", Gcp),
];

/// The spec of `key`. Panics on an unknown key: callers name fields of this table.
pub fn spec(key: &str) -> &'static FieldSpec {
    FIELDS
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("no field named {key:?} in fields::FIELDS"))
}

/// Where a credential's secret goes, as bound into its seal: the provider and its
/// destination fields' values (a GCP key's token endpoint is inside the sealed key itself).
pub fn destination(provider: Provider, public: &serde_json::Value) -> String {
    let mut text = provider.as_str().to_owned();
    for f in FIELDS
        .iter()
        .filter(|f| f.destination && f.provider == Some(provider))
    {
        text.push('\0');
        text.push_str(f.key);
        text.push('=');
        text.push_str(public.get(f.key).and_then(|v| v.as_str()).unwrap_or(""));
    }
    text
}

/// The label people see for `key`, e.g. "Secret Access Key".
pub fn label(key: &str) -> &'static str {
    spec(key).label
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_bounds_are_ordered() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS[i + 1..].iter().all(|g| g.key != f.key),
                "{} twice",
                f.key
            );
            assert!(f.min_len <= f.max_len, "{}", f.key);
            assert!(f.input || !f.secret, "{}: secrets are typed", f.key);
            assert!(
                !(f.secret && f.destination),
                "{}: destinations are clear",
                f.key
            );
        }
    }

    #[test]
    fn every_place_a_secret_is_sent_to_is_bound_into_its_seal() {
        let routing: Vec<&str> = FIELDS
            .iter()
            .filter(|f| f.destination)
            .map(|f| f.key)
            .collect();
        assert_eq!(
            routing,
            [
                "access_key_id",
                "region",
                "endpoint",
                "tenant_id",
                "client_id"
            ]
        );
    }

    #[test]
    fn every_provider_has_a_secret_field() {
        for p in Provider::ALL {
            assert!(
                FIELDS.iter().any(|f| f.provider == Some(p) && f.secret),
                "{p:?}"
            );
        }
    }
}
