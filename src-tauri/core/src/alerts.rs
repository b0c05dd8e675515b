//! Which status changes deserve a desktop notification, and how they are grouped.
//!
//! An administrator wants to hear once that a credential stopped working, not a storm.
//! Changes that arrive together make one notification. A Valid credential that merely could
//! not be checked again is reported only after it stayed undecided for a while, and when
//! the cause is the network, one "cannot reach the providers" notice stands for all of them
//! until a check gets through again. The app displays what [`Alerts::take`] returns.

use std::time::{Duration, Instant};

use crate::model::{Status, StatusChange};

/// A notification to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub summary: String,
    /// Plain text (the app escapes it for daemons that read markup).
    pub body: String,
    /// The credential to show when the notification is clicked.
    pub focus: Option<String>,
}

/// Names listed in one grouped notification before "and N more".
const LISTED: usize = 5;

#[derive(Debug)]
pub struct Alerts {
    unverified_after: Duration,
    /// Changes to report at the next `take`.
    ready: Vec<StatusChange>,
    /// Valid credentials gone Unverified, since when.
    waiting: Vec<(StatusChange, Instant)>,
    /// The one offline notice was shown and no check has got through since.
    offline_noticed: bool,
}

impl Alerts {
    pub fn new(unverified_after: Duration) -> Self {
        Alerts {
            unverified_after,
            ready: Vec::new(),
            waiting: Vec::new(),
            offline_noticed: false,
        }
    }

    pub fn set_unverified_after(&mut self, after: Duration) {
        self.unverified_after = after;
    }

    /// Nothing to report now or later.
    pub fn is_idle(&self) -> bool {
        self.ready.is_empty() && self.waiting.is_empty()
    }

    /// Notes one credential's status change.
    pub fn record(&mut self, change: StatusChange, now: Instant) {
        let was_valid = self.forget(&change.id) || change.from == Status::Valid;
        match change.to {
            // Any accepted key proves the providers are reachable again.
            Status::Valid => self.offline_noticed = false,
            Status::Invalid if was_valid => self.ready.push(change),
            Status::Unverified if was_valid => self.waiting.push((change, now)),
            _ => {}
        }
    }

    /// Drops what is pending for a credential (deleted, or decided again); true if it was
    /// waiting after being Valid.
    pub fn forget(&mut self, id: &str) -> bool {
        self.ready.retain(|c| c.id != id);
        let before = self.waiting.len();
        self.waiting.retain(|(c, _)| c.id != id);
        before != self.waiting.len()
    }

    /// The notifications due now: at most one for the changes gathered since the last
    /// call, and at most one offline notice per offline spell.
    pub fn take(&mut self, now: Instant) -> Vec<Notice> {
        let after = self.unverified_after;
        let (overdue, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|(_, since)| now.duration_since(*since) >= after);
        self.waiting = waiting;
        let (offline, mut changes): (Vec<_>, Vec<_>) =
            overdue.into_iter().map(|(c, _)| c).partition(|c| c.offline);
        changes.splice(0..0, self.ready.drain(..));
        let mut notices = Vec::new();
        if !changes.is_empty() {
            notices.push(self.grouped(&changes));
        }
        if !offline.is_empty() && !self.offline_noticed {
            self.offline_noticed = true;
            let n = offline.len();
            notices.push(Notice {
                summary: "EntryGuard cannot reach the providers".into(),
                body: format!(
                    "{} could not be checked for over {}. {} Unverified and will be \
                     checked again until the network is back.",
                    plural(n, "credential", "credentials"),
                    human(after),
                    if n == 1 { "It stays" } else { "They stay" },
                ),
                focus: None,
            });
        }
        notices
    }

    fn grouped(&self, changes: &[StatusChange]) -> Notice {
        let why = |c: &StatusChange| c.reason.clone().unwrap_or_else(|| "no reason given".into());
        if let [c] = changes {
            let (summary, body) = match c.to {
                Status::Invalid => (
                    format!("{} stopped working", c.name),
                    format!("Invalid: {}", why(c)),
                ),
                _ => (
                    format!("{} could not be verified", c.name),
                    format!(
                        "Unverified for over {}: {}",
                        human(self.unverified_after),
                        why(c)
                    ),
                ),
            };
            return Notice {
                summary,
                body,
                focus: Some(c.id.clone()),
            };
        }
        let mut lines: Vec<String> = changes
            .iter()
            .take(LISTED)
            .map(|c| {
                let word = if c.to == Status::Invalid {
                    "Invalid"
                } else {
                    "Unverified"
                };
                format!("{}: {word} — {}", c.name, why(c))
            })
            .collect();
        if changes.len() > LISTED {
            lines.push(format!("and {} more", changes.len() - LISTED));
        }
        Notice {
            summary: format!("{} credentials need attention", changes.len()),
            body: lines.join("\n"),
            focus: changes.first().map(|c| c.id.clone()),
        }
    }
}

/// "1 credential", "3 credentials": a count and its noun.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "45 s", "1 h", "90 min".
fn human(d: Duration) -> String {
    let s = d.as_secs().max(1);
    match s {
        s if s % 3600 == 0 => plural((s / 3600) as usize, "hour", "hours"),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(id: &str, from: Status, to: Status, offline: bool) -> StatusChange {
        StatusChange {
            id: id.into(),
            name: format!("cred {id}"),
            from,
            to,
            reason: Some(format!("reason {id}")),
            offline,
        }
    }

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn valid_to_invalid_is_one_notice_naming_the_credential_and_reason() {
        let mut alerts = Alerts::new(HOUR);
        let t = Instant::now();
        alerts.record(change("a", Status::Valid, Status::Invalid, false), t);
        let notices = alerts.take(t);
        assert_eq!(
            notices,
            [Notice {
                summary: "cred a stopped working".into(),
                body: "Invalid: reason a".into(),
                focus: Some("a".into()),
            }]
        );
        assert!(alerts.take(t).is_empty(), "reported once");
    }

    #[test]
    fn several_changes_at_once_are_grouped_into_one_notice() {
        let mut alerts = Alerts::new(HOUR);
        let t = Instant::now();
        for id in ["a", "b", "c", "d", "e", "f", "g"] {
            alerts.record(change(id, Status::Valid, Status::Invalid, false), t);
        }
        let notices = alerts.take(t);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].summary, "7 credentials need attention");
        assert!(notices[0].body.contains("cred a: Invalid — reason a"));
        assert!(notices[0].body.ends_with("and 2 more"));
        assert_eq!(notices[0].focus.as_deref(), Some("a"));
    }

    #[test]
    fn unverified_is_reported_only_after_the_delay_and_not_if_it_recovers() {
        let mut alerts = Alerts::new(HOUR);
        let t = Instant::now();
        alerts.record(change("a", Status::Valid, Status::Unverified, false), t);
        alerts.record(change("b", Status::Valid, Status::Unverified, false), t);
        assert!(alerts.take(t + HOUR / 2).is_empty());
        alerts.record(
            change("b", Status::Unverified, Status::Valid, false),
            t + HOUR / 2,
        );
        let notices = alerts.take(t + HOUR);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].summary, "cred a could not be verified");
        assert!(notices[0].body.starts_with("Unverified for over 1 hour"));
    }

    #[test]
    fn a_check_that_decides_invalid_after_an_undecided_spell_counts_as_valid_to_invalid() {
        let mut alerts = Alerts::new(HOUR);
        let t = Instant::now();
        alerts.record(change("a", Status::Valid, Status::Unverified, true), t);
        alerts.record(change("a", Status::Unverified, Status::Invalid, false), t);
        assert_eq!(alerts.take(t)[0].summary, "cred a stopped working");
        assert!(alerts.take(t + HOUR).is_empty(), "no longer waiting");
    }

    #[test]
    fn offline_gives_one_notice_per_spell_however_many_credentials_wait() {
        let mut alerts = Alerts::new(HOUR);
        let t = Instant::now();
        for id in ["a", "b", "c"] {
            alerts.record(change(id, Status::Valid, Status::Unverified, true), t);
        }
        let notices = alerts.take(t + HOUR);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].summary, "EntryGuard cannot reach the providers");
        assert!(notices[0]
            .body
            .starts_with("3 credentials could not be checked"));
        alerts.record(
            change("d", Status::Valid, Status::Unverified, true),
            t + HOUR,
        );
        assert!(
            alerts.take(t + 3 * HOUR).is_empty(),
            "same spell: no second notice"
        );
        alerts.record(
            change("a", Status::Unverified, Status::Valid, false),
            t + 3 * HOUR,
        );
        alerts.record(
            change("e", Status::Valid, Status::Unverified, true),
            t + 3 * HOUR,
        );
        assert_eq!(
            alerts.take(t + 4 * HOUR).len(),
            1,
            "a new spell after a check got through"
        );
    }

    #[test]
    fn never_valid_credentials_and_deleted_ones_raise_nothing() {
        let mut alerts = Alerts::new(HOUR);
        let t = Instant::now();
        alerts.record(change("a", Status::Unverified, Status::Invalid, false), t);
        alerts.record(change("b", Status::Valid, Status::Unverified, false), t);
        alerts.forget("b");
        assert!(alerts.take(t + HOUR).is_empty());
        assert!(alerts.is_idle());
    }
}
