//! Import from AWS shared credentials files (`~/.aws/credentials`), the request peers leave
//! open the longest.
//!
//! Parsing is aws-config's own profile-file loader, so files read exactly as every AWS SDK
//! reads them (comments, `[profile x]` in config files, `AWS_SHARED_CREDENTIALS_FILE`). The
//! file is only read, never written; names never overwrite an existing credential.

use std::borrow::Cow;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::task::{Context, Poll, Waker};

use aws_config::profile::{Profile, ProfileSet};
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};
use secrecy::SecretString;

use super::CredentialService;
use crate::error::{Error, Result};
use crate::model::*;
use crate::validate;

/// The profiles of `path`, or of the default AWS config and credentials files.
fn load(path: Option<&Path>) -> Result<(String, ProfileSet)> {
    let (files, shown) = match path {
        Some(p) => {
            if !p.is_file() {
                return Err(Error::validation(
                    "import_path",
                    format!(
                        "{} is not a readable file; give the path of an AWS credentials file.",
                        p.display()
                    ),
                ));
            }
            let files = EnvConfigFiles::builder()
                .include_default_config_file(false)
                .include_default_credentials_file(false)
                .with_file(EnvConfigFileKind::Credentials, p)
                .build();
            (files, p.display().to_string())
        }
        None => (EnvConfigFiles::default(), default_credentials_path()),
    };
    let (fs, env) = (Fs::real(), Env::real());
    let future = aws_config::profile::load(&fs, &env, &files, Some(Cow::Borrowed("default")));
    let set = run_to_completion(future).map_err(|e| {
        Error::validation(
            "import_path",
            format!("Could not read the AWS profiles: {e}"),
        )
    })?;
    Ok((shown, set))
}

/// The loader is async only in signature: it reads with `std::fs` and never waits, so one
/// poll finishes it (no runtime needed inside the service's blocking calls).
fn run_to_completion<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("aws-config's profile loader does not suspend"),
    }
}

fn default_credentials_path() -> String {
    std::env::var("AWS_SHARED_CREDENTIALS_FILE")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| {
            dirs_home()
                .map(|h| h.join(".aws/credentials").display().to_string())
                .unwrap_or_else(|| "~/.aws/credentials".into())
        })
}

fn dirs_home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

/// Why a profile cannot be imported, if it cannot.
fn not_importable(profile: &Profile) -> Option<String> {
    if profile.get("sso_start_url").is_some() || profile.get("sso_session").is_some() {
        return Some(
            "SSO profile: it has no static keys to import (sign in with `aws sso login` instead)"
                .into(),
        );
    }
    if profile.get("role_arn").is_some() {
        return Some(
            "role profile: it assumes a role through another profile and has no static keys".into(),
        );
    }
    if profile.get("credential_process").is_some() {
        return Some(
            "credential_process profile: a program supplies its keys, so there are none to import"
                .into(),
        );
    }
    let (Some(id), Some(_)) = (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
    ) else {
        return Some("no aws_access_key_id and aws_secret_access_key in this profile".into());
    };
    validate::aws_access_key_id(id).err().map(|e| e.to_string())
}

fn spec_of(profile: &Profile) -> ProviderSpec {
    ProviderSpec::Aws {
        access_key_id: profile
            .get("aws_access_key_id")
            .unwrap_or_default()
            .trim()
            .to_owned(),
        secret_access_key: SecretString::from(
            profile
                .get("aws_secret_access_key")
                .unwrap_or_default()
                .to_owned(),
        ),
        session_token: profile
            .get("aws_session_token")
            .map(|t| SecretString::from(t.to_owned())),
        region: profile.get("region").map(str::to_owned),
    }
}

impl CredentialService {
    /// What an import of `path` (default: the AWS shared credentials file) would bring.
    pub fn import_preview(&self, path: Option<&Path>) -> Result<ImportPreview> {
        let (file, set) = load(path)?;
        let taken = self.taken_names()?;
        let mut names: Vec<&str> = set.profiles().collect();
        names.sort_unstable();
        let candidates = names
            .into_iter()
            .filter_map(|name| set.get_profile(name).map(|p| (name, p)))
            .map(|(name, profile)| {
                let reason = not_importable(profile);
                ImportCandidate {
                    profile: name.into(),
                    access_key_hint: profile.get("aws_access_key_id").map(validate::key_id_hint),
                    region: profile.get("region").map(str::to_owned),
                    name_exists: taken.contains(&validate::name_key(name)),
                    importable: reason.is_none(),
                    reason,
                }
            })
            .collect();
        Ok(ImportPreview { file, candidates })
    }

    /// Imports the selected profiles as new credentials, each verified afterwards. A name
    /// that exists already is skipped with the reason, never overwritten.
    pub fn import_profiles(
        &self,
        path: Option<&Path>,
        selections: &[ImportSelection],
    ) -> Result<ImportResult> {
        let (file, set) = load(path)?;
        let mut result = ImportResult {
            imported: Vec::new(),
            skipped: Vec::new(),
        };
        for selection in selections {
            let skip = |reason: String| ImportSkip {
                profile: selection.profile.clone(),
                reason,
            };
            let Some(profile) = set.get_profile(&selection.profile) else {
                result.skipped.push(skip(format!(
                    "no profile named “{}” in {file}",
                    selection.profile
                )));
                continue;
            };
            if let Some(reason) = not_importable(profile) {
                result.skipped.push(skip(reason));
                continue;
            }
            let input = NewCredential {
                name: selection.name.clone(),
                environment: None,
                credential_type: None,
                spec: spec_of(profile),
            };
            let details = format!("profile “{}” from {file}", selection.profile);
            match self.create_recorded(input, "imported", Some(&details)) {
                Ok(view) => result.imported.push(view),
                Err(e @ (Error::Validation { .. } | Error::NameTaken(_))) => {
                    result.skipped.push(skip(e.to_string()))
                }
                Err(e) => return Err(e),
            }
        }
        Ok(result)
    }
}
