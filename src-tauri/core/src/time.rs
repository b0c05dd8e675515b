//! RFC 3339 timestamps, the only time format stored and sent.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Now, in UTC, as RFC 3339 with millisecond precision.
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

pub fn format(t: OffsetDateTime) -> String {
    let t = t
        .replace_nanosecond(t.millisecond() as u32 * 1_000_000)
        .unwrap_or(t);
    t.format(&Rfc3339)
        .expect("UTC timestamps always format as RFC 3339")
}

pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// `now + seconds`, formatted.
pub fn in_seconds(seconds: u64) -> String {
    format(OffsetDateTime::now_utc() + std::time::Duration::from_secs(seconds))
}
