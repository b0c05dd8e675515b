//! RFC 3339 timestamps, the only time format stored and sent.
//!
//! Written in UTC with exactly three fractional digits, so that text order is time order:
//! the list is sorted by the stored text (`ORDER BY created_at`, through an index), and a
//! trimmed `…:43.1Z` would sort after `…:43.15Z`. Reading accepts any RFC 3339.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// Now, in UTC, as RFC 3339 with millisecond precision.
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

pub fn format(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        ))
        .expect("UTC timestamps always format as RFC 3339")
}

pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// `now + seconds`, formatted.
pub fn in_seconds(seconds: u64) -> String {
    format(OffsetDateTime::now_utc() + std::time::Duration::from_secs(seconds))
}
