//! `entryguard credentials import aws-profiles`: static keys from an AWS shared credentials
//! file, which is read and never modified.
//!
//! It previews every profile first (what will be imported, what cannot be and why), so the
//! admin confirms a list rather than a guess; each imported key is then verified like `add`.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand};
use entryguard_core::{CredentialService, ImportSelection, ImportSkip};
use serde::Serialize;

use super::credentials::check_now;
use super::output::{print_json, print_table, shown, CredentialRow};
use super::prompt::{confirm, Unattended};
use super::CliError;

#[derive(Subcommand)]
pub(super) enum ImportCommand {
    /// Imports AWS profiles with static keys from a shared credentials file (read, never
    /// modified). Profiles become credentials named after them; existing names are skipped.
    AwsProfiles(AwsProfiles),
}

#[derive(Args)]
pub(super) struct AwsProfiles {
    /// The credentials file (default: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials).
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// Import only this profile (repeatable; default: every importable profile).
    #[arg(long = "profile", value_name = "NAME")]
    profiles: Vec<String>,
    /// Import PROFILE under another name (repeatable).
    #[arg(long, value_name = "PROFILE=NAME")]
    rename: Vec<String>,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
    #[arg(long)]
    json: bool,
}

/// `--json` output: the imported rows, and each profile left out with why.
#[derive(Serialize)]
struct ImportOutput<'a> {
    imported: Vec<CredentialRow<'a>>,
    skipped: &'a [ImportSkip],
}

impl ImportCommand {
    pub(super) fn run(self, service: &Arc<CredentialService>) -> Result<(), CliError> {
        match self {
            ImportCommand::AwsProfiles(args) => args.run(service),
        }
    }
}

impl AwsProfiles {
    fn run(self, service: &Arc<CredentialService>) -> Result<(), CliError> {
        let preview = service.import_preview(self.file.as_deref())?;
        let renames: Vec<(&str, &str)> = self
            .rename
            .iter()
            .map(|r| {
                r.split_once('=')
                    .ok_or_else(|| CliError::Usage(format!("--rename takes PROFILE=NAME, not {r}")))
            })
            .collect::<Result<_, _>>()?;
        for p in &self.profiles {
            if !preview.candidates.iter().any(|c| &c.profile == p) {
                return Err(CliError::Failed(format!(
                    "no profile named “{p}” in {}",
                    preview.file
                )));
            }
        }
        let selections: Vec<ImportSelection> = preview
            .candidates
            .iter()
            .filter(|c| {
                if self.profiles.is_empty() {
                    c.importable
                } else {
                    self.profiles.contains(&c.profile)
                }
            })
            .map(|c| ImportSelection {
                profile: c.profile.clone(),
                name: renames
                    .iter()
                    .find(|(p, _)| *p == c.profile)
                    .map_or(c.profile.clone(), |(_, n)| (*n).to_owned()),
            })
            .collect();
        if !self.json {
            println!("{}:", shown(&preview.file));
            for c in &preview.candidates {
                let note = match (&c.reason, c.name_exists) {
                    (Some(reason), _) => format!("not importable: {reason}"),
                    (None, true) => "a credential with this name exists; use --rename".into(),
                    (None, false) => String::new(),
                };
                println!(
                    "  {:<24} {:<12} {:<14} {}",
                    shown(&c.profile),
                    shown(c.access_key_hint.as_deref().unwrap_or("-")),
                    shown(c.region.as_deref().unwrap_or("-")),
                    shown(&note)
                );
            }
        }
        confirm(
            self.yes,
            Unattended::Proceed,
            &format!("Import {} profile(s)? [y/N] ", selections.len()),
            |answer| answer.eq_ignore_ascii_case("y"),
            "nothing imported",
        )?;
        let result = service.import_profiles(self.file.as_deref(), &selections)?;
        let ids: Vec<String> = result.imported.iter().map(|v| v.id.clone()).collect();
        let verified = check_now(service, &ids, false)?;
        if self.json {
            print_json(&ImportOutput {
                imported: verified.iter().map(CredentialRow::from).collect(),
                skipped: &result.skipped,
            });
        } else {
            print_table(&verified);
            for s in &result.skipped {
                println!("skipped {}: {}", shown(&s.profile), shown(&s.reason));
            }
        }
        Ok(())
    }
}
