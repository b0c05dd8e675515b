//! What the verifier takes from the service for one check, and what it hands back.

use secrecy::SecretString;

use crate::model::{Provider, Status};

/// A credential opened for one verification attempt.
pub struct CheckJob {
    pub id: String,
    pub name: String,
    /// The secret's generation when the check began; a result for an older one is dropped.
    pub generation: i64,
    pub provider: Provider,
    pub public: serde_json::Value,
    pub secrets: Vec<(String, SecretString)>,
    /// When the current secret was stored (created or rotated).
    pub secret_since: String,
}

impl std::fmt::Debug for CheckJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckJob")
            .field("id", &self.id)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

impl CheckJob {
    /// The named secret; `None` when the credential has no such field.
    pub fn secret(&self, field: &str) -> Option<&SecretString> {
        self.secrets
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, s)| s)
    }

    pub fn public_str(&self, field: &str) -> Option<&str> {
        self.public.get(field).and_then(|v| v.as_str())
    }
}

/// What a verification attempt decided, as the worker writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    pub status: Status,
    pub reason: Option<String>,
    pub identity: Option<String>,
    /// Set when another attempt is scheduled.
    pub next_check_at: Option<String>,
    /// No decision because the provider could not be reached.
    pub offline: bool,
    /// When the provider says the secret expires, learned by a Valid check.
    pub expires_at: Option<String>,
}

impl StatusUpdate {
    /// No decision: `reason`, and another attempt after `retry` if any.
    pub fn undecided(reason: String, retry: Option<std::time::Duration>, offline: bool) -> Self {
        StatusUpdate {
            status: Status::Unverified,
            reason: Some(reason),
            identity: None,
            next_check_at: retry.map(|d| crate::time::in_seconds(d.as_secs().max(1))),
            offline,
            expires_at: None,
        }
    }
}
