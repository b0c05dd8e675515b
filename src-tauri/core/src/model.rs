//! The credential model as the rest of the app sees it.
//!
//! Two kinds of types live here and they never mix: the *input* types carry secrets
//! (`SecretString`, which has a redacted `Debug`, no `Serialize` and is zeroized on drop),
//! and the *view* types that leave the backend carry none at all, only a hint. Because the
//! view types cannot hold a secret, no response can leak one.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The cloud a credential belongs to. The product specification's spelling (`AWS`, `GCP`, `AZURE`, `APISIX`)
/// is the wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum Provider {
    Aws,
    Gcp,
    Azure,
    Apisix,
}

/// The kind of secret; exactly one per provider today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CredentialType {
    AccessKey,
    ServiceAccountKey,
    ClientSecret,
    AdminKey,
}

/// Verification status, as the product specification's badges name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Valid,
    Invalid,
    Unverified,
}

/// A credential as shown in the table, the CLI and every IPC response. No secret field.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CredentialView {
    pub id: String,
    pub name: String,
    pub provider: Provider,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub credential_type: CredentialType,
    pub environment: Option<String>,
    pub status: Status,
    /// Why the status is what it is, in words an administrator can act on.
    pub status_reason: Option<String>,
    /// True while a check is queued or running.
    pub checking: bool,
    /// RFC 3339 times.
    pub created_at: String,
    pub updated_at: String,
    pub verified_at: Option<String>,
    pub next_check_at: Option<String>,
    /// Who the provider says this is, e.g. an AWS ARN, once Valid.
    pub identity: Option<String>,
    /// A non-secret reminder of which key this is, e.g. `AKIA…WXYZ`.
    pub hint: String,
    /// Cloud resources that deleting this credential would also delete.
    pub resource_count: u32,
    /// When the secret was last replaced in place.
    pub rotated_at: Option<String>,
    /// Whole days since the secret was stored (rotation or creation).
    pub key_age_days: u32,
    /// True once the key is at least the configured threshold old: time to rotate.
    pub key_stale: bool,
    /// When the last decision becomes older than the re-check interval; `None` when
    /// re-checks are off or nothing was decided yet.
    pub stale_at: Option<String>,
    /// The last decision is older than the re-check interval (at response time).
    pub stale: bool,
    /// When the provider says the secret expires; `None` when it did not say (never guessed).
    pub expires_at: Option<String>,
    /// The secret expires within the warning period, or has expired.
    pub expires_soon: bool,
}

/// What the Add Credential form sends.
#[derive(Debug, Deserialize, TS)]
pub struct NewCredential {
    pub name: String,
    pub environment: Option<String>,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub credential_type: Option<CredentialType>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub spec: ProviderSpec,
}

/// Provider-specific fields; secrets are `SecretString`.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "provider", content = "fields", rename_all = "UPPERCASE")]
pub enum ProviderSpec {
    Aws {
        access_key_id: String,
        #[ts(type = "string")]
        secret_access_key: SecretString,
        #[ts(type = "string | null")]
        session_token: Option<SecretString>,
        region: Option<String>,
    },
    Gcp {
        #[ts(type = "string")]
        service_account_json: SecretString,
    },
    Azure {
        tenant_id: String,
        client_id: String,
        #[ts(type = "string")]
        client_secret: SecretString,
    },
    Apisix {
        endpoint: String,
        #[ts(type = "string")]
        admin_key: SecretString,
    },
}

impl Provider {
    pub const ALL: [Provider; 4] = [
        Provider::Aws,
        Provider::Gcp,
        Provider::Azure,
        Provider::Apisix,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "AWS",
            Provider::Gcp => "GCP",
            Provider::Azure => "AZURE",
            Provider::Apisix => "APISIX",
        }
    }

    /// The credential type each provider uses.
    pub fn credential_type(self) -> CredentialType {
        match self {
            Provider::Aws => CredentialType::AccessKey,
            Provider::Gcp => CredentialType::ServiceAccountKey,
            Provider::Azure => CredentialType::ClientSecret,
            Provider::Apisix => CredentialType::AdminKey,
        }
    }
}

impl std::str::FromStr for Provider {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown provider `{s}`: use AWS, GCP, AZURE or APISIX"))
    }
}

impl CredentialType {
    pub const ALL: [CredentialType; 4] = [
        CredentialType::AccessKey,
        CredentialType::ServiceAccountKey,
        CredentialType::ClientSecret,
        CredentialType::AdminKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CredentialType::AccessKey => "ACCESS_KEY",
            CredentialType::ServiceAccountKey => "SERVICE_ACCOUNT_KEY",
            CredentialType::ClientSecret => "CLIENT_SECRET",
            CredentialType::AdminKey => "ADMIN_KEY",
        }
    }
}

impl std::str::FromStr for CredentialType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        CredentialType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown credential type `{s}`: use ACCESS_KEY, SERVICE_ACCOUNT_KEY, CLIENT_SECRET or ADMIN_KEY"
                )
            })
    }
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Valid, Status::Invalid, Status::Unverified];

    /// The word stored in the database and sent over IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "VALID",
            Status::Invalid => "INVALID",
            Status::Unverified => "UNVERIFIED",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Status::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown status `{s}`"))
    }
}

impl ProviderSpec {
    pub fn provider(&self) -> Provider {
        match self {
            ProviderSpec::Aws { .. } => Provider::Aws,
            ProviderSpec::Gcp { .. } => Provider::Gcp,
            ProviderSpec::Azure { .. } => Provider::Azure,
            ProviderSpec::Apisix { .. } => Provider::Apisix,
        }
    }
}

/// The state of the vault's master key, for the page's banner and the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VaultState {
    /// The key is loaded (or the vault is empty and a key will be made on first add).
    Ready,
    NoKeychain,
    KeychainLocked,
    KeyMissing,
    WrongKey,
}

/// The vault's state plus the words to show for it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VaultStatus {
    pub state: VaultState,
    /// Empty when Ready; otherwise what happened and what to do.
    pub message: String,
    /// Credentials whose secret a reset set aside, kept until its key returns or it is purged.
    pub quarantined: u32,
}

/// What `recover` brought back.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RecoverReport {
    /// Credentials whose secret opens again (each is checked again).
    pub recovered: u32,
    /// Credentials whose old secret is still set aside (its key is not in the keychain, or
    /// it was replaced by a rotation since).
    pub still_quarantined: u32,
}

/// A domain event the service hands to its sink; the app maps each to a Tauri event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CredentialEvent {
    /// A row was created or changed (status, name...): replace it in place.
    Changed { credential: Box<CredentialView> },
    /// A row is gone.
    Deleted { id: String },
    /// Something outside this process (the CLI) changed the store: reload the list.
    Reload,
    /// A long task (`backup`, `restore`) has done `done` of `total` credentials.
    Progress { task: String, done: u32, total: u32 },
    /// A check changed a credential's status (for desktop notifications; the row itself
    /// arrives as `Changed`).
    StatusChanged(StatusChange),
    /// The admin clicked a notification about this credential: show its row.
    Focus { id: String },
}

/// One credential's status moving from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StatusChange {
    pub id: String,
    pub name: String,
    pub from: Status,
    pub to: Status,
    pub reason: Option<String>,
    /// No decision because the provider could not be reached (the network, not the key).
    pub offline: bool,
}

/// One entry of the append-only audit trail. `details` never holds a secret.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditEvent {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub credential_id: Option<String>,
    pub credential_name: Option<String>,
    pub kind: String,
    pub details: String,
}

/// An error as it crosses to the UI: a stable code, the message for the admin, and the
/// form field it belongs to, if any.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl From<crate::Error> for ApiError {
    fn from(e: crate::Error) -> Self {
        ApiError {
            code: e.code().into(),
            message: e.to_string(),
            field: e.field().map(Into::into),
        }
    }
}

/// One non-secret field of a credential, labelled for people.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FieldInfo {
    /// The field's name in forms and the API, e.g. `region`.
    pub key: String,
    pub label: String,
    pub value: String,
}

/// Everything non-secret about one credential, for the details panel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CredentialDetails {
    pub credential: CredentialView,
    pub fields: Vec<FieldInfo>,
    pub audit: Vec<AuditEvent>,
}

/// Vault-wide preferences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Settings {
    pub key_age_threshold_days: u32,
    /// Re-check each credential once its last decision is this old; 0 turns it off.
    pub recheck_hours: u32,
    /// Desktop notifications when a credential stops working.
    pub notify: bool,
    /// Notify when a Valid credential has stayed Unverified this long.
    pub unverified_alert_minutes: u32,
    /// Warn this many days before a secret expires.
    pub expiry_warning_days: u32,
}

/// A profile found in an AWS shared credentials file, before import.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportCandidate {
    pub profile: String,
    pub access_key_hint: Option<String>,
    pub region: Option<String>,
    /// A credential already has this name (import needs another name).
    pub name_exists: bool,
    pub importable: bool,
    /// Why it cannot be imported.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportPreview {
    /// The file read, resolved.
    pub file: String,
    pub candidates: Vec<ImportCandidate>,
}

/// Which AWS credentials file an import reads: the default one (`AWS_SHARED_CREDENTIALS_FILE`
/// or `~/.aws/credentials`), or the one the admin last chose in the native file dialog. The
/// page never names a path itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ImportSource {
    Default,
    Chosen,
}

/// Import this profile under this name.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct ImportSelection {
    pub profile: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportSkip {
    pub profile: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportResult {
    pub imported: Vec<CredentialView>,
    pub skipped: Vec<ImportSkip>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_types_parse_in_any_case_and_unknown_ones_name_the_valid_types() {
        for t in CredentialType::ALL {
            assert_eq!(t.as_str().parse(), Ok(t));
            assert_eq!(t.as_str().to_lowercase().parse(), Ok(t));
        }
        let err = "nonsense".parse::<CredentialType>().unwrap_err();
        assert!(err.contains("`nonsense`") && err.contains("ACCESS_KEY, SERVICE_ACCOUNT_KEY"));
    }
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BackupReport {
    pub file: String,
    pub credentials: u32,
    pub audit_events: u32,
    /// Credentials whose secret could not be read, so the file does not hold them.
    pub left_out: Vec<LeftOut>,
}

/// A credential a backup could not include, and why (its name and the reason: no secret).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LeftOut {
    pub name: String,
    pub reason: String,
}

/// One credential in a backup, as a restore would see it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RestoreEntry {
    pub name: String,
    /// A credential with this name is already in this vault.
    pub exists: bool,
    pub environment: Option<String>,
    pub provider: Provider,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub credential_type: CredentialType,
}

/// What a backup file holds, before anything is restored.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RestorePreview {
    pub file: String,
    pub created_at: String,
    pub credentials: Vec<RestoreEntry>,
    pub audit_events: u32,
}

/// What to do with a backed-up credential whose name this vault already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    Skip,
    Rename,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RestoreReport {
    pub restored: u32,
    /// Of those restored, how many under a new name.
    pub renamed: u32,
    pub skipped: u32,
    /// Restored credentials queued for verification.
    pub queued: u32,
    /// The restored credentials' ids (for the CLI, which checks them itself).
    #[serde(skip)]
    #[ts(skip)]
    pub ids: Vec<String>,
}
