//! The vault as a whole rather than one credential: its master key (`vault status`,
//! `vault reset`, `vault recover`, `vault purge`) and its audit trail (`audit`).

use std::sync::Arc;

use clap::{Args, Subcommand};
use entryguard_core::service::RESET_CONFIRMATION;
use entryguard_core::CredentialService;

use super::output::{print_json, shown};
use super::prompt::{confirm, Unattended};
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
                        "The secrets of {} credentials were set aside by a reset: \
                         `entryguard vault recover` opens them once their key is back; \
                         `entryguard vault purge` deletes them.",
                        status.quarantined
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
                        "Recovered {} credentials; the secrets of {} are still set aside.",
                        report.recovered, report.still_quarantined
                    );
                }
            }
            VaultCommand::Purge { yes } => {
                confirm_typed(
                    yes,
                    ("purge", "not purged"),
                    "This deletes the set-aside secrets for good.",
                )?;
                let purged = service.purge_quarantine(RESET_CONFIRMATION)?;
                println!("Deleted the set-aside secrets of {purged} credentials.");
            }
        }
        Ok(())
    }
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
                    e.at,
                    e.kind,
                    shown(&e.credential_name.unwrap_or_default()),
                    shown(&e.details)
                );
            }
        }
        Ok(())
    }
}
