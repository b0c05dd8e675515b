//! Verification bookkeeping: queue a check, open a credential for it, record its outcome.
//!
//! The verifier ([`crate::verify`]) is the only caller of `begin_check`/`finish_check`, and
//! `finish_check` is the only writer of a verification status. A result is dropped when the
//! credential was deleted or its secret replaced while the check ran (the generation).

use std::sync::Arc;
use std::time::Duration;

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::vault_key::VaultKey;
use super::CredentialService;
use crate::error::{Error, Result};
use crate::freshness::Due;
use crate::model::{CredentialEvent, CredentialView, Provider, Status, StatusChange};
use crate::store;
use crate::verify::{CheckJob, StatusUpdate};

impl CredentialService {
    /// Marks a credential as being checked and queues the check ("Verify now").
    pub fn request_verification(&self, id: &str) -> Result<CredentialView> {
        let queued = self.queue.read().unwrap().clone();
        {
            let db = self.db();
            let checking = queued.is_some();
            let changed = db
                .prepare_cached(
                    "UPDATE credentials SET checking = ?2, next_check_at = NULL, \
                     updated_at = ?3, \
                     status_reason = CASE WHEN ?2 THEN 'Verifying…' ELSE status_reason END \
                     WHERE id = ?1",
                )?
                .execute(params![id, checking, crate::time::now()])?;
            if changed == 0 {
                return Err(Error::NotFound(id.into()));
            }
        }
        // The "checking" row goes out before the check is queued, so its outcome can never
        // arrive first and be overwritten by this older state.
        let view = self.get(id)?;
        self.emit(CredentialEvent::Changed {
            credential: Box::new(view.clone()),
        });
        if let Some(queue) = queued {
            let _ = queue.send(id.to_owned());
        }
        Ok(view)
    }

    /// Records a user's "verify now" in the audit trail, then queues the check.
    pub fn verify_now(&self, id: &str) -> Result<CredentialView> {
        let view = self.get(id)?;
        store::audit(&self.db(), Some((id, &view.name)), "verify_requested", "")?;
        self.request_verification(id)
    }

    /// Marks every undecided credential, and every one a killed process left "checking"
    /// whatever its status, as being checked and queues them all, in one statement and
    /// without an event per row (at start-up, before the window has listed).
    pub fn requeue_unverified(&self) -> Result<usize> {
        let Some(queue) = self.queue.read().unwrap().clone() else {
            return Ok(0);
        };
        let ids: Vec<String> = {
            let db = self.db();
            let mut stmt = db.prepare(
                "UPDATE credentials SET checking = 1, next_check_at = NULL, \
                 status_reason = 'Verifying…' WHERE status = ?1 OR checking = 1 RETURNING id",
            )?;
            let ids = stmt
                .query_map([Status::Unverified.as_str()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        };
        for id in &ids {
            let _ = queue.send(id.clone());
        }
        Ok(ids.len())
    }

    /// Decided credentials whose decision is at least `every` old and that nobody is
    /// checking, oldest decision first; and when the next one will be due.
    pub fn due_for_recheck(&self, every: Duration) -> Result<(Vec<Due>, Option<Duration>)> {
        let cutoff = crate::time::format(time::OffsetDateTime::now_utc() - every);
        let db = self.db();
        let mut stmt = db.prepare_cached(
            "SELECT id, provider, julianday(verified_at) <= julianday(?3) FROM credentials \
             WHERE checking = 0 AND verified_at IS NOT NULL AND status IN (?1, ?2) \
             ORDER BY julianday(verified_at), id",
        )?;
        let mut due = Vec::new();
        let mut next = None;
        let rows = stmt.query_map(
            params![Status::Valid.as_str(), Status::Invalid.as_str(), cutoff],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                ))
            },
        )?;
        for row in rows {
            let (id, provider, is_due) = row?;
            if !is_due {
                next = Some(id);
                break;
            }
            let provider = provider.parse().map_err(Error::Internal)?;
            due.push(Due { id, provider });
        }
        let next = match next {
            Some(id) => {
                let at: String = db.query_row(
                    "SELECT verified_at FROM credentials WHERE id = ?1",
                    [&id],
                    |r| r.get(0),
                )?;
                crate::time::parse(&at)
                    .map(|at| (at + every - time::OffsetDateTime::now_utc()).unsigned_abs())
            }
            None => None,
        };
        Ok((due, next))
    }

    /// Starts a scheduled re-check unless the credential was checked meanwhile (or is
    /// being checked: one check at a time). Returns whether it was queued.
    pub fn begin_scheduled_check(&self, id: &str, every: Duration) -> Result<bool> {
        let Some(queue) = self.queue.read().unwrap().clone() else {
            return Ok(false);
        };
        let cutoff = crate::time::format(time::OffsetDateTime::now_utc() - every);
        let changed = self.db().execute(
            "UPDATE credentials SET checking = 1 WHERE id = ?1 AND checking = 0 \
             AND status IN (?2, ?3) AND julianday(verified_at) <= julianday(?4)",
            params![id, Status::Valid.as_str(), Status::Invalid.as_str(), cutoff],
        )?;
        if changed == 0 {
            return Ok(false);
        }
        if let Ok(view) = self.get(id) {
            self.emit(CredentialEvent::Changed {
                credential: Box::new(view),
            });
        }
        let _ = queue.send(id.to_owned());
        Ok(true)
    }

    /// Opens a credential's secrets for one check; `None` if it was deleted meanwhile. May
    /// ask the keychain for the vault's key, and so wait for it.
    pub fn begin_check(&self, id: &str) -> Result<Option<CheckJob>> {
        self.open_check(id, || self.key_for_secrets())
    }

    /// [`Self::begin_check`] when this process already holds the vault's current key, which
    /// never waits for the keychain; `None` when it does not (the verifier then opens the
    /// check on the blocking pool).
    pub fn begin_check_if_key_in_memory(&self, id: &str) -> Option<Result<Option<CheckJob>>> {
        match self.key_in_memory() {
            Ok(Some(key)) => Some(self.open_check(id, || Ok(key))),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Reads the credential, then takes the key: a deleted credential or a set-aside secret
    /// is answered without it.
    fn open_check(
        &self,
        id: &str,
        key: impl FnOnce() -> Result<Arc<VaultKey>>,
    ) -> Result<Option<CheckJob>> {
        type Meta = (String, i64, String, String, String, Option<String>);
        let (meta, blobs): (Option<Meta>, Vec<(String, Vec<u8>)>) = {
            let db = self.db();
            let meta = db
                .prepare_cached(
                    "SELECT name, generation, provider, public_fields, created_at, rotated_at \
                     FROM credentials WHERE id = ?1",
                )?
                .query_row([id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })
                .optional()?;
            let mut stmt = db
                .prepare_cached("SELECT field, blob FROM secret_fields WHERE credential_id = ?1")?;
            let blobs = stmt
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            (meta, blobs)
        };
        let Some((name, generation, provider, public, created_at, rotated_at)) = meta else {
            return Ok(None);
        };
        let provider: Provider = provider.parse().map_err(Error::Internal)?;
        if blobs.is_empty() {
            return Err(Error::Validation {
                field: None,
                message: "This credential's secret was set aside by a vault reset: rotate it to \
                          enter it again, or restore the old key and run “entryguard vault \
                          recover”."
                    .into(),
            });
        }
        let public = serde_json::from_str(&public).unwrap_or_default();
        let destination = crate::fields::destination(provider, &public);
        Ok(Some(CheckJob {
            id: id.into(),
            name,
            generation,
            provider,
            secrets: self.open_with(&key()?.key, id, &destination, blobs)?,
            public,
            secret_since: rotated_at.unwrap_or(created_at),
        }))
    }

    /// Writes a check's outcome unless the credential was deleted or its secret changed
    /// since the check began. Returns the updated row, or `None` if the result was dropped.
    pub fn finish_check(
        &self,
        id: &str,
        generation: i64,
        update: StatusUpdate,
    ) -> Result<Option<CredentialView>> {
        let (view, change) = {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let before: Option<(String, String)> = tx
                .prepare_cached(
                    "SELECT status, name FROM credentials WHERE id = ?1 AND generation = ?2",
                )?
                .query_row(params![id, generation], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((old_status, name)) = before else {
                return Ok(None);
            };
            let now = crate::time::now();
            // A decision replaces the identity (Invalid clears it); no decision keeps it.
            let decided = update.status != Status::Unverified;
            let identity = match update.status {
                Status::Valid => update.identity.as_deref(),
                _ => None,
            };
            // A Valid answer says what it learned of the expiry; others keep the last one.
            tx.prepare_cached(
                "UPDATE credentials SET status = ?3, status_reason = ?4, \
                 identity = CASE WHEN ?8 THEN ?5 ELSE identity END, \
                 checking = 0, next_check_at = ?6, updated_at = ?7, \
                 verified_at = CASE WHEN ?8 THEN ?7 ELSE verified_at END, \
                 expires_at = CASE WHEN ?3 = ?10 THEN ?9 ELSE expires_at END \
                 WHERE id = ?1 AND generation = ?2",
            )?
            .execute(params![
                id,
                generation,
                update.status.as_str(),
                update.reason,
                identity,
                update.next_check_at,
                now,
                decided,
                update.expires_at,
                Status::Valid.as_str(),
            ])?;
            if old_status != update.status.as_str() || decided {
                let why = [update.identity.as_deref(), update.reason.as_deref()];
                let why: Vec<&str> = why.into_iter().flatten().collect();
                let details = match why.as_slice() {
                    [] => update.status.as_str().to_owned(),
                    parts => format!("{} — {}", update.status.as_str(), parts.join("; ")),
                };
                store::audit(&tx, Some((id, &name)), "verification", &details)?;
            }
            // Read before the commit: the same transaction sees the row as it is stored.
            let view = store::get_view(&tx, id, &self.freshness_in(&tx)?)?;
            tx.commit()?;
            let change = (old_status != update.status.as_str()).then(|| StatusChange {
                id: id.to_owned(),
                name,
                from: old_status.parse().unwrap_or(Status::Unverified),
                to: update.status,
                reason: update.reason.clone(),
                offline: update.offline,
            });
            (view, change)
        };
        if let Some(v) = &view {
            self.emit(CredentialEvent::Changed {
                credential: Box::new(v.clone()),
            });
        }
        if let Some(change) = change {
            self.emit(CredentialEvent::StatusChanged(change));
        }
        Ok(view)
    }
}
