//! `entryguard settings`: the vault's preferences, the same ones the window's Settings
//! dialog edits.

use std::sync::Arc;

use clap::{Subcommand, ValueEnum};
use entryguard_core::{CredentialService, Settings};

use super::output::print_json;
use super::CliError;

#[derive(Subcommand)]
pub(super) enum SettingsCommand {
    /// Shows the preferences.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Changes one preference, e.g. `settings set recheck-hours 6`, and shows them all.
    Set {
        key: Preference,
        value: String,
        #[arg(long)]
        json: bool,
    },
}

/// The preferences by their command-line names.
#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Preference {
    /// Re-check each credential when its last decision is this many hours old (0 = off).
    RecheckHours,
    /// Desktop notifications when a credential stops working: on or off.
    Notifications,
    /// Notify when a Valid credential stays Unverified this many minutes.
    UnverifiedAlertMinutes,
    /// Warn this many days before a key expires.
    ExpiryWarningDays,
    /// Flag keys older than this many days for rotation.
    KeyAgeDays,
}

impl Preference {
    fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }

    /// `settings` with this preference set to `value`.
    fn apply(self, mut settings: Settings, value: &str) -> Result<Settings, CliError> {
        let value = value.trim();
        let number = || {
            value.parse::<u32>().map_err(|_| {
                CliError::Usage(format!(
                    "{} takes a whole number; “{value}” is not one.",
                    self.name()
                ))
            })
        };
        match self {
            Preference::RecheckHours => settings.recheck_hours = number()?,
            Preference::UnverifiedAlertMinutes => settings.unverified_alert_minutes = number()?,
            Preference::ExpiryWarningDays => settings.expiry_warning_days = number()?,
            Preference::KeyAgeDays => settings.key_age_threshold_days = number()?,
            Preference::Notifications => {
                settings.notify = match value.to_ascii_lowercase().as_str() {
                    "on" | "true" | "yes" | "1" => true,
                    "off" | "false" | "no" | "0" => false,
                    _ => {
                        return Err(CliError::Usage(format!(
                            "notifications is on or off; “{value}” is neither."
                        )))
                    }
                }
            }
        }
        Ok(settings)
    }
}

impl SettingsCommand {
    pub(super) fn run(self, service: &Arc<CredentialService>) -> Result<(), CliError> {
        let (settings, json) = match self {
            SettingsCommand::Show { json } => (service.settings()?, json),
            SettingsCommand::Set { key, value, json } => {
                let wanted = key.apply(service.settings()?, &value)?;
                // An out-of-range value is a wrong invocation: exit 2, like clap's errors.
                let saved = service.set_settings(wanted).map_err(|e| match e {
                    entryguard_core::Error::Validation { .. } => CliError::Usage(e.to_string()),
                    e => e.into(),
                })?;
                (saved, json)
            }
        };
        if json {
            print_json(&settings);
            return Ok(());
        }
        print_settings(service, &settings)
    }
}

fn print_settings(service: &CredentialService, s: &Settings) -> Result<(), CliError> {
    let recheck = match service.freshness()?.recheck {
        Some(every) if every.as_secs() != u64::from(s.recheck_hours) * 3600 => format!(
            "{} (overridden by ENTRYGUARD_RECHECK_SECS: every {} s)",
            s.recheck_hours,
            every.as_secs()
        ),
        Some(_) => s.recheck_hours.to_string(),
        None => format!("{} (automatic re-checks are off)", s.recheck_hours),
    };
    let rows = [
        (Preference::RecheckHours, recheck),
        (
            Preference::Notifications,
            if s.notify { "on" } else { "off" }.to_owned(),
        ),
        (
            Preference::UnverifiedAlertMinutes,
            s.unverified_alert_minutes.to_string(),
        ),
        (
            Preference::ExpiryWarningDays,
            s.expiry_warning_days.to_string(),
        ),
        (Preference::KeyAgeDays, s.key_age_threshold_days.to_string()),
    ];
    for (key, value) in rows {
        println!("{:<26}{value}", key.name());
    }
    Ok(())
}
