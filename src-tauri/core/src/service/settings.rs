//! Vault-wide preferences, stored as key/value rows so a new preference needs no migration.
//!
//! Two test and operations knobs override the stored re-check timings in seconds, like the
//! AWS propagation grace: `ENTRYGUARD_RECHECK_SECS` and `ENTRYGUARD_UNVERIFIED_ALERT_SECS`.

use std::collections::HashMap;
use std::time::Duration;

use rusqlite::Connection;

use super::CredentialService;
use crate::error::{Error, Result};
use crate::freshness::Freshness;
use crate::model::{CredentialEvent, Settings};
use crate::store::{DEFAULT_KEY_AGE_THRESHOLD_DAYS, KEY_AGE_THRESHOLD_SETTING};

/// One numeric preference: its row key, default and allowed range.
struct Number {
    key: &'static str,
    default: u32,
    min: u32,
    max: u32,
    /// "Choose a key age between 1 and 3650 days".
    what: &'static str,
    unit: &'static str,
}

const KEY_AGE: Number = Number {
    key: KEY_AGE_THRESHOLD_SETTING,
    default: DEFAULT_KEY_AGE_THRESHOLD_DAYS,
    min: 1,
    max: 3650,
    what: "a key age",
    unit: "days",
};
const RECHECK: Number = Number {
    key: "recheck_hours",
    default: 12,
    min: 0,
    max: 720,
    what: "a re-check interval",
    unit: "hours (0 turns re-checks off)",
};
const UNVERIFIED_ALERT: Number = Number {
    key: "unverified_alert_minutes",
    default: 60,
    min: 1,
    max: 10080,
    what: "an Unverified notification delay",
    unit: "minutes",
};
const EXPIRY_WARNING: Number = Number {
    key: "expiry_warning_days",
    default: 14,
    min: 1,
    max: 365,
    what: "an expiry warning",
    unit: "days",
};
const NOTIFY: &str = "notify";

impl Number {
    fn read(&self, rows: &HashMap<String, String>) -> u32 {
        rows.get(self.key)
            .and_then(|v| v.parse().ok())
            .filter(|v| (self.min..=self.max).contains(v))
            .unwrap_or(self.default)
    }

    fn check(&self, value: u32) -> Result<String> {
        if (self.min..=self.max).contains(&value) {
            return Ok(value.to_string());
        }
        Err(Error::validation(
            self.key,
            format!(
                "Choose {} between {} and {} {}; {value} is out of range.",
                self.what, self.min, self.max, self.unit
            ),
        ))
    }
}

/// A duration in whole seconds from the environment, if set and a number.
fn seconds_from_env(name: &str) -> Option<Duration> {
    let value = std::env::var(name).ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}

/// The stored preferences, defaults where a row is missing or out of range.
fn settings_in(conn: &Connection) -> Result<Settings> {
    let rows: HashMap<String, String> = conn
        .prepare_cached("SELECT key, value FROM settings")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Settings {
        key_age_threshold_days: KEY_AGE.read(&rows),
        recheck_hours: RECHECK.read(&rows),
        notify: rows.get(NOTIFY).is_none_or(|v| v != "0"),
        unverified_alert_minutes: UNVERIFIED_ALERT.read(&rows),
        expiry_warning_days: EXPIRY_WARNING.read(&rows),
    })
}

impl CredentialService {
    pub fn settings(&self) -> Result<Settings> {
        settings_in(&self.db())
    }

    /// [`Self::freshness`] as `conn` sees it, e.g. inside a transaction that already holds
    /// the connection.
    pub(super) fn freshness_in(&self, conn: &Connection) -> Result<Freshness> {
        Ok(self.freshness_of(&settings_in(conn)?))
    }

    /// Saves preferences (all of them, or none when one is out of range); the list
    /// reloads so key-age flags and staleness follow.
    pub fn set_settings(&self, settings: Settings) -> Result<Settings> {
        let rows = [
            (KEY_AGE.key, KEY_AGE.check(settings.key_age_threshold_days)?),
            (RECHECK.key, RECHECK.check(settings.recheck_hours)?),
            (NOTIFY, if settings.notify { "1" } else { "0" }.to_owned()),
            (
                UNVERIFIED_ALERT.key,
                UNVERIFIED_ALERT.check(settings.unverified_alert_minutes)?,
            ),
            (
                EXPIRY_WARNING.key,
                EXPIRY_WARNING.check(settings.expiry_warning_days)?,
            ),
        ];
        {
            let mut db = self.db();
            let tx = db.transaction()?;
            for (key, value) in rows {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, &value],
                )?;
            }
            tx.commit()?;
        }
        self.emit(CredentialEvent::Reload);
        self.settings()
    }

    /// The re-check interval and expiry warning in force: the settings, with
    /// `ENTRYGUARD_RECHECK_SECS` taking precedence over the stored hours.
    pub fn freshness(&self) -> Result<Freshness> {
        self.freshness_in(&self.db())
    }

    /// [`Self::freshness`] for settings already read.
    pub(super) fn freshness_of(&self, settings: &Settings) -> Freshness {
        let recheck = self
            .recheck_override
            .lock()
            .unwrap()
            .unwrap_or(Duration::from_secs(
                u64::from(settings.recheck_hours) * 3600,
            ));
        Freshness {
            recheck: (!recheck.is_zero()).then_some(recheck),
            expiry_warning: Duration::from_secs(u64::from(settings.expiry_warning_days) * 86_400),
        }
    }

    /// Overrides the stored re-check interval (tests; `ENTRYGUARD_RECHECK_SECS` does this
    /// for the app). Zero turns re-checks off.
    pub fn set_recheck_override(&self, every: Option<Duration>) {
        *self.recheck_override.lock().unwrap() = every;
    }

    /// How long a Valid credential may stay Unverified before a notification says so.
    pub fn unverified_alert_after(&self) -> Result<Duration> {
        Ok(
            seconds_from_env("ENTRYGUARD_UNVERIFIED_ALERT_SECS").unwrap_or(Duration::from_secs(
                u64::from(self.settings()?.unverified_alert_minutes) * 60,
            )),
        )
    }
}

/// `ENTRYGUARD_RECHECK_SECS`, read once when the vault opens.
pub(super) fn recheck_override_from_env() -> Option<Duration> {
    seconds_from_env("ENTRYGUARD_RECHECK_SECS")
}
