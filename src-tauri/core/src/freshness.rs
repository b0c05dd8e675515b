//! How fresh a status is, and when to check again.
//!
//! "Valid" is a claim about the moment of the check. A decision older than the re-check
//! interval is *stale*: the page stops showing it as fresh and the scheduler
//! ([`crate::verify`]) checks again. Due re-checks are spread out, per provider, so a vault
//! of hundreds does not burst one provider's API when the app starts after a weekend.

use std::time::Duration;

use time::OffsetDateTime;

use crate::model::{CredentialView, Provider, Status};

/// The vault's freshness rules, resolved from its settings and the environment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Freshness {
    /// `None`: automatic re-checks are off.
    pub recheck: Option<Duration>,
    pub expiry_warning: Duration,
}

impl Freshness {
    /// Fills a view's staleness, next check and expiry warning, as of `now` (one parse and
    /// one format a row: a list of 10,000 runs this 10,000 times).
    pub fn apply(&self, view: &mut CredentialView, now: &Now) {
        let decided = match self.recheck {
            Some(_) => view.verified_at.as_deref().and_then(crate::time::parse),
            None => None,
        };
        let stale_at = self.recheck.zip(decided).map(|(every, at)| at + every);
        view.stale = stale_at.is_some_and(|at| now.at >= at);
        view.stale_at = stale_at.map(crate::time::format);
        // A retry already scheduled comes first; otherwise a decision is checked again
        // when it goes stale (or now, when it already has).
        if view.next_check_at.is_none() && view.status != Status::Unverified {
            view.next_check_at = match view.stale {
                true => Some(now.text.clone()),
                false => view.stale_at.clone(),
            };
        }
        if let Some(expires) = view.expires_at.as_deref().and_then(crate::time::parse) {
            view.expires_soon = expires - now.at <= self.expiry_warning;
        }
    }
}

/// One moment for a whole list, and its text.
pub struct Now {
    pub at: OffsetDateTime,
    pub text: String,
}

impl Now {
    pub fn new() -> Self {
        let at = OffsetDateTime::now_utc();
        Now {
            at,
            text: crate::time::format(at),
        }
    }
}

impl Default for Now {
    fn default() -> Self {
        Self::new()
    }
}

/// A credential due for a re-check; callers list them oldest decision first.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub id: String,
    pub provider: Provider,
}

/// Re-checks started per second against one provider.
pub const RECHECKS_PER_SECOND: f64 = 2.0;

/// Gives each due check a start delay: per provider, one slot of `1 / per_second` seconds
/// each in the order given, and a random point within the first half of its slot, so
/// checks neither burst nor line up on the second. `random` yields values in `[0, 1)`.
pub fn spread(
    due: Vec<Due>,
    per_second: f64,
    mut random: impl FnMut() -> f64,
) -> Vec<(String, Duration)> {
    let slot = 1.0 / per_second.max(f64::MIN_POSITIVE);
    let mut taken: Vec<(Provider, u32)> = Vec::new();
    let mut plan: Vec<(String, Duration)> = due
        .into_iter()
        .map(|d| {
            let n = match taken.iter_mut().find(|(p, _)| *p == d.provider) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    taken.push((d.provider, 0));
                    0
                }
            };
            let jitter = random().clamp(0.0, 1.0) * slot / 2.0;
            (d.id, Duration::from_secs_f64(n as f64 * slot + jitter))
        })
        .collect();
    plan.sort_by_key(|(_, delay)| *delay);
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn due(id: &str, provider: Provider) -> Due {
        Due {
            id: id.into(),
            provider,
        }
    }

    #[test]
    fn each_provider_gets_its_own_slots_so_one_busy_provider_does_not_delay_another() {
        let plan = spread(
            vec![
                due("a1", Provider::Aws),
                due("a2", Provider::Aws),
                due("a3", Provider::Aws),
                due("g1", Provider::Gcp),
            ],
            2.0,
            || 0.0,
        );
        let at = |id: &str| plan.iter().find(|(i, _)| i == id).unwrap().1.as_secs_f64();
        assert_eq!(
            [at("a1"), at("a2"), at("a3"), at("g1")],
            [0.0, 0.5, 1.0, 0.0]
        );
    }

    proptest! {
        #[test]
        fn oldest_decisions_start_first_and_jitter_stays_within_half_a_slot(
            providers in proptest::collection::vec(0usize..4, 0..60),
            noise in proptest::collection::vec(0.0f64..1.0, 60),
            rate in 0.5f64..10.0,
        ) {
            let due: Vec<Due> = providers
                .iter()
                .enumerate()
                .map(|(i, p)| due(&i.to_string(), Provider::ALL[*p]))
                .collect();
            let mut n = noise.iter().copied().cycle();
            let plan = spread(due.clone(), rate, || n.next().unwrap());
            prop_assert_eq!(plan.len(), due.len());
            let slot = 1.0 / rate;
            for provider in Provider::ALL {
                let starts: Vec<f64> = due
                    .iter()
                    .filter(|d| d.provider == provider)
                    .map(|d| plan.iter().find(|(id, _)| *id == d.id).unwrap().1.as_secs_f64())
                    .collect();
                for (k, start) in starts.iter().enumerate() {
                    let from = k as f64 * slot;
                    prop_assert!(*start >= from - 1e-9 && *start <= from + slot / 2.0 + 1e-9);
                }
                prop_assert!(starts.windows(2).all(|w| w[0] < w[1]));
            }
        }
    }
}
