//! Vault-wide preferences, stored as key/value rows so a new preference needs no migration.

use rusqlite::OptionalExtension;

use super::CredentialService;
use crate::error::{Error, Result};
use crate::model::{CredentialEvent, Settings};
use crate::store::{DEFAULT_KEY_AGE_THRESHOLD_DAYS, KEY_AGE_THRESHOLD_SETTING};

impl CredentialService {
    pub fn settings(&self) -> Result<Settings> {
        let days: Option<String> = self
            .db()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [KEY_AGE_THRESHOLD_SETTING],
                |r| r.get(0),
            )
            .optional()?;
        Ok(Settings {
            key_age_threshold_days: days
                .and_then(|d| d.parse().ok())
                .unwrap_or(DEFAULT_KEY_AGE_THRESHOLD_DAYS),
        })
    }

    /// Saves preferences; the list reloads so key-age flags follow.
    pub fn set_settings(&self, settings: Settings) -> Result<Settings> {
        let days = settings.key_age_threshold_days;
        if !(1..=3650).contains(&days) {
            return Err(Error::validation(
                "key_age_threshold_days",
                format!("Choose a key age between 1 and 3650 days; {days} is out of range."),
            ));
        }
        self.db().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [KEY_AGE_THRESHOLD_SETTING, &days.to_string()],
        )?;
        self.emit(CredentialEvent::Reload);
        self.settings()
    }
}
