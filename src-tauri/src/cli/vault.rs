//! The vault as a whole rather than one credential: its master key (`vault status`,
//! `vault reset`, `vault recover`, `vault purge`) and its audit trail (`audit`).

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand};
use entryguard_core::service::RESET_CONFIRMATION;
use entryguard_core::{CredentialService, OnConflict, RestorePreview, RestoreReport, Status};

use super::credentials::check_now;
use super::output::{credentials, print_json, print_table, shown, CredentialRow};
use super::prompt::{confirm, read_passphrase, PassphraseSource, Unattended};
use super::CliError;

#[derive(Subcommand)]
pub(super) enum VaultCommand {
    /// Says whether the master key is available, and what to do if not.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Starts a new master key when the current one is missing or wrong. Stored secrets
    /// are set aside, not deleted (names, statuses and the audit trail stay; rotate each
    /// credential, or bring the old key back and run `vault recover`).
    Reset {
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Reset even though the key is available (or the keychain only locked).
        #[arg(long)]
        force: bool,
    },
    /// Opens again the secrets a reset set aside, for each old key that is back in the
    /// keychain (a credential rotated since keeps its new secret).
    Recover {
        #[arg(long)]
        json: bool,
    },
    /// Deletes the secrets a reset set aside, for good.
    Purge {
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Writes every credential, secrets included, to one file encrypted with a passphrase
    /// (age, scrypt). The passphrase is asked twice, or read from --passphrase-file or
    /// --passphrase-env; never argv.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        passphrase: PassphraseSource,
        /// Leave the audit trail out.
        #[arg(long)]
        no_audit: bool,
    },
    /// Restores a backup into this vault (sealed with this vault's key): shows what it
    /// would do, asks, then restores everything in one step and checks each credential.
    Restore {
        file: PathBuf,
        #[command(flatten)]
        passphrase: PassphraseSource,
        /// Restore credentials whose name exists under a new name ("NAME (restored)").
        #[arg(long, conflicts_with = "skip_existing")]
        rename: bool,
        /// Skip credentials whose name exists (the default).
        #[arg(long)]
        skip_existing: bool,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Restore only; leave the checks to the window or `credentials verify`.
        #[arg(long)]
        no_verify: bool,
        #[arg(long)]
        json: bool,
    },
}

// `entryguard audit`; its help text is on `Command::Audit`.
#[derive(Args)]
pub(super) struct AuditArgs {
    #[arg(long, value_name = "ID")]
    credential: Option<String>,
    #[arg(long)]
    json: bool,
}

impl VaultCommand {
    pub(super) fn run(self, service: &Arc<CredentialService>) -> Result<(), CliError> {
        match self {
            VaultCommand::Status { json } => {
                let status = service.vault_status();
                if json {
                    print_json(&status);
                    return Ok(());
                }
                if status.message.is_empty() {
                    println!("ready: the master key is available");
                } else {
                    println!("{}", shown(&status.message));
                }
                if status.quarantined > 0 {
                    println!(
                        "The secrets of {} were set aside by a reset: \
                         `entryguard vault recover` opens them once their key is back; \
                         `entryguard vault purge` deletes them.",
                        credentials(status.quarantined)
                    );
                }
            }
            VaultCommand::Reset { yes, force } => {
                // Say no before asking for confirmation.
                service.check_reset(force)?;
                confirm_typed(
                    yes,
                    ("reset", "not reset"),
                    "This sets every stored secret aside and starts a new key (names, statuses and history stay).",
                )?;
                service.reset_vault(RESET_CONFIRMATION, force)?;
                println!("Vault reset: stored secrets set aside under the old key; rotate each credential to enter its secret again, or restore the old key and run `entryguard vault recover`.");
            }
            VaultCommand::Recover { json } => {
                let report = service.recover()?;
                if json {
                    print_json(&report);
                } else {
                    println!(
                        "Recovered {}; the secrets of {} are still set aside.",
                        credentials(report.recovered),
                        report.still_quarantined
                    );
                }
            }
            VaultCommand::Backup {
                out,
                passphrase,
                no_audit,
            } => {
                let passphrase = read_passphrase(&passphrase, true)?;
                let report = service.backup(&out, &passphrase, !no_audit)?;
                println!(
                    "Backed up {}{} to {}.",
                    credentials(report.credentials),
                    if no_audit { "" } else { " and the audit trail" },
                    shown(&report.file)
                );
                if !report.left_out.is_empty() {
                    eprintln!(
                        "warning: left out {} whose secret could not be read:",
                        credentials(report.left_out.len() as u32)
                    );
                    for left in &report.left_out {
                        eprintln!("  {}: {}", shown(&left.name), left.reason);
                    }
                }
            }
            VaultCommand::Restore {
                file,
                passphrase,
                rename,
                skip_existing: _,
                yes,
                no_verify,
                json,
            } => {
                let choices = RestoreChoices {
                    rename,
                    yes,
                    verify: !no_verify,
                    json,
                };
                restore(service, &file, &passphrase, choices)?
            }
            VaultCommand::Purge { yes } => {
                confirm_typed(
                    yes,
                    ("purge", "not purged"),
                    "This deletes the set-aside secrets for good.",
                )?;
                let purged = service.purge_quarantine(RESET_CONFIRMATION)?;
                println!("Deleted the set-aside secrets of {}.", credentials(purged));
            }
        }
        Ok(())
    }
}

/// How `vault restore` was asked to behave.
struct RestoreChoices {
    rename: bool,
    yes: bool,
    verify: bool,
    json: bool,
}

/// `vault restore`: the preview, a confirmation, the restore, then a check of each one.
fn restore(
    service: &Arc<CredentialService>,
    file: &std::path::Path,
    passphrase: &PassphraseSource,
    RestoreChoices {
        rename,
        yes,
        verify,
        json,
    }: RestoreChoices,
) -> Result<(), CliError> {
    let passphrase = read_passphrase(passphrase, false)?;
    let on_conflict = if rename {
        OnConflict::Rename
    } else {
        OnConflict::Skip
    };
    // The backup is decrypted once: the preview and the restore read the same document.
    let mut asked = Ok(());
    let restored = service.restore_confirmed(file, &passphrase, on_conflict, |preview| {
        if !json {
            show_restore_plan(preview, on_conflict);
        }
        asked = confirm(
            yes,
            Unattended::Refuse("restore"),
            "Restore these credentials? [y/N] ",
            |answer| answer.eq_ignore_ascii_case("y"),
            "nothing restored",
        );
        asked.is_ok()
    })?;
    asked?;
    let report = restored.expect("restored once confirmed");
    let checked = if verify {
        check_now(service, &report.ids, false)?
    } else {
        report
            .ids
            .iter()
            .map(|id| service.get(id))
            .collect::<Result<_, _>>()?
    };
    let valid = checked.iter().filter(|v| v.status == Status::Valid).count();
    if json {
        print_json(&RestoreOutput {
            report: &report,
            valid: valid as u32,
            credentials: checked.iter().map(CredentialRow::from).collect(),
        });
    } else {
        print_table(&checked);
        println!(
            "Restored {} ({} under a new name), skipped {}; {valid} verified Valid.",
            report.restored, report.renamed, report.skipped
        );
    }
    Ok(())
}

/// What a restore will do with each credential in the backup.
fn show_restore_plan(preview: &RestorePreview, on_conflict: OnConflict) {
    println!(
        "{} (made {}):",
        shown(&preview.file),
        shown(&preview.created_at)
    );
    for entry in &preview.credentials {
        let action = match (entry.exists, on_conflict) {
            (false, _) => "restore",
            (true, OnConflict::Skip) => "skip: the name exists (--rename to keep both)",
            (true, OnConflict::Rename) => "restore under a new name",
        };
        println!(
            "  {:<32} {:<7} {}",
            shown(&entry.name),
            entry.provider.as_str(),
            action
        );
    }
}

/// `vault restore --json`.
#[derive(serde::Serialize)]
struct RestoreOutput<'a> {
    #[serde(flatten)]
    report: &'a RestoreReport,
    valid: u32,
    credentials: Vec<CredentialRow<'a>>,
}

/// Before a step that sets secrets aside or deletes them: the admin types the word.
fn confirm_typed(
    yes: bool,
    (verb, declined): (&'static str, &str),
    consequence: &str,
) -> Result<(), CliError> {
    confirm(
        yes,
        Unattended::Refuse(verb),
        &format!("{consequence} Type {RESET_CONFIRMATION} to confirm: "),
        |answer| answer == RESET_CONFIRMATION,
        declined,
    )
}

impl AuditArgs {
    pub(super) fn run(self, service: &Arc<CredentialService>) -> Result<(), CliError> {
        let id = self
            .credential
            .map(|c| service.resolve(&c).map(|v| v.id))
            .transpose()?;
        let events = service.audit_events(id.as_deref())?;
        if self.json {
            print_json(&events);
        } else {
            for e in events {
                println!(
                    "{}  {:<18} {:<24} {}",
                    shown(&e.at),
                    shown(&e.kind),
                    shown(&e.credential_name.unwrap_or_default()),
                    shown(&e.details)
                );
            }
        }
        Ok(())
    }
}
