//! The credential lifecycle: create, list, find, rotate, delete, and everything non-secret
//! about one credential. Secrets are validated and sealed before the transaction opens, so
//! a transaction never waits on the keychain.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::vault_key::{SealedFields, VaultKey};
use super::CredentialService;
use crate::error::{Error, Result};
use crate::fields::{self, FIELDS};
use crate::listing::{self, ListPage, ListQuery};
use crate::model::*;
use crate::startup::Boot;
use crate::store;
use crate::validate::{self, Validated};

impl CredentialService {
    /// Validates, seals and stores a new credential as Unverified, then queues its check.
    pub fn create(&self, input: NewCredential) -> Result<CredentialView> {
        self.create_recorded(input, "created", None)
    }

    /// [`Self::create`], recording `kind` (e.g. "imported") with `details` in the audit trail.
    pub(super) fn create_recorded(
        &self,
        input: NewCredential,
        kind: &str,
        details: Option<&str>,
    ) -> Result<CredentialView> {
        let valid = validate::validate(&input)?;
        drop(input);
        let key = self.key(true)?.expect("key(true) always yields a key");
        let id = uuid::Uuid::now_v7().to_string();
        let sealed = self.seal_valid(&key, &id, &valid);
        {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            insert_new(&tx, &id, &valid, &sealed, &Dates::now(), (kind, details))?;
            tx.commit()?;
        }
        self.request_verification(&id)
    }

    /// Seals a validated credential's secrets for the new row `id`.
    pub(super) fn seal_valid(&self, key: &VaultKey, id: &str, valid: &Validated) -> SealedFields {
        let destination = fields::destination(valid.provider, &valid.public_fields);
        self.seal_all(key, id, &destination, &valid.secrets)
    }

    pub fn list(&self) -> Result<Vec<CredentialView>> {
        let fresh = self.freshness()?;
        store::list_views(&self.db(), &fresh)
    }

    /// The slice of the list `query` asks for, in its order, with its counts.
    pub fn page(&self, query: &ListQuery) -> Result<ListPage> {
        let fresh = self.freshness()?;
        listing::page(&self.db(), &fresh, query)
    }

    /// Where credential `id` stands in the list `query` orders and filters, if it is in it.
    pub fn position(&self, query: &ListQuery, id: &str) -> Result<Option<u32>> {
        let fresh = self.freshness()?;
        listing::position(&self.db(), &fresh, query, id)
    }

    /// Every credential's name, for a form that warns about a name already taken.
    pub fn names(&self) -> Result<Vec<String>> {
        let db = self.db();
        let mut stmt = db.prepare_cached("SELECT name FROM credentials")?;
        let names = stmt.query_map([], |r| r.get(0))?;
        Ok(names.collect::<rusqlite::Result<_>>()?)
    }

    /// The names taken in the vault, as uniqueness compares them (for a restore or an import
    /// that must not bring a name twice).
    pub(super) fn taken_names(&self) -> Result<std::collections::HashSet<String>> {
        Ok(self
            .names()?
            .iter()
            .map(|n| validate::name_key(n))
            .collect())
    }

    /// The page's first screen: the newest `rows` of the list with its counts, and the
    /// settings. Reads only the database (never the keychain), so it cannot hold up a window.
    pub fn boot(&self, rows: u32) -> Result<Boot> {
        let settings = self.settings()?;
        let fresh = self.freshness_of(&settings);
        let first = ListQuery {
            limit: Some(rows),
            ..ListQuery::default()
        };
        Ok(Boot {
            page: listing::page(&self.db(), &fresh, &first)?,
            settings,
        })
    }

    pub fn get(&self, id: &str) -> Result<CredentialView> {
        let fresh = self.freshness()?;
        store::get_view(&self.db(), id, &fresh)?.ok_or_else(|| Error::NotFound(id.into()))
    }

    /// Finds a credential by exact (case-insensitive) name, full id, or an id prefix that
    /// matches exactly one credential. Nothing else matches: no wildcards, no fuzzy names.
    pub fn resolve(&self, query: &str) -> Result<CredentialView> {
        let q = query.trim();
        if q.is_empty() {
            return Err(Error::NotFound(query.into()));
        }
        let fresh = self.freshness()?;
        let db = self.db();
        let by_name: Option<String> = db
            .query_row(
                "SELECT id FROM credentials WHERE name_key = ?1",
                [validate::name_key(q)],
                |r| r.get(0),
            )
            .optional()?;
        let id = match by_name {
            Some(id) => id,
            None => {
                // A literal prefix comparison: `%` and `_` are just characters here.
                let mut stmt = db.prepare(
                    "SELECT id, name FROM credentials \
                     WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 6",
                )?;
                let hits: Vec<(String, String)> = stmt
                    .query_map([q.to_lowercase()], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                match hits.as_slice() {
                    [(one, _)] => one.clone(),
                    [] => return Err(Error::NotFound(q.into())),
                    many => {
                        let listed: Vec<String> = many
                            .iter()
                            .take(5)
                            .map(|(id, name)| format!("{name} ({id})"))
                            .collect();
                        return Err(Error::Validation {
                            field: None,
                            message: format!(
                                "“{q}” matches more than one credential: {}{}; give more of \
                                 the id.",
                                listed.join(", "),
                                if many.len() > 5 { ", …" } else { "" }
                            ),
                        });
                    }
                }
            }
        };
        store::get_view(&db, &id, &fresh)?.ok_or_else(|| Error::NotFound(q.into()))
    }

    /// Deletes a credential, its sealed fields and its cloud resources in one transaction.
    pub fn delete(&self, id: &str) -> Result<()> {
        {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let found: Option<(String, i64)> = tx
                .query_row(
                    "SELECT name, (SELECT COUNT(*) FROM cloud_resources WHERE credential_id = ?1) \
                     FROM credentials WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (name, resources) = found.ok_or_else(|| Error::NotFound(id.into()))?;
            tx.execute("DELETE FROM credentials WHERE id = ?1", [id])?;
            store::audit(
                &tx,
                Some((id, &name)),
                "deleted",
                &format!("{resources} cloud resources deleted with it"),
            )?;
            tx.commit()?;
        }
        self.emit(CredentialEvent::Deleted { id: id.into() });
        Ok(())
    }

    /// Replaces a credential's secret (and, for AWS, its key id) in place: same id, name and
    /// created time; it becomes Unverified and is checked again at once.
    pub fn rotate(&self, id: &str, spec: ProviderSpec) -> Result<CredentialView> {
        let current = self.get(id)?;
        if spec.provider() != current.provider {
            return Err(Error::Validation {
                field: None,
                message: format!(
                    "This is an {} credential; rotate it with {} fields.",
                    current.provider.as_str(),
                    current.provider.as_str()
                ),
            });
        }
        let (public_fields, secrets, hint) = validate::spec(&spec)?;
        drop(spec);
        let key = self.key_for_secrets()?;
        let destination = fields::destination(current.provider, &public_fields);
        let sealed = self.seal_all(&key, id, &destination, &secrets);
        let now = crate::time::now();
        {
            let mut db = self.db();
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx.execute(
                "UPDATE credentials SET public_fields = ?2, hint = ?3, status = ?5, \
                 status_reason = 'Rotated; queued for verification', identity = NULL, expires_at = NULL, \
                 generation = generation + 1, rotated_at = ?4, updated_at = ?4, next_check_at = NULL \
                 WHERE id = ?1",
                params![
                    id,
                    public_fields.to_string(),
                    hint,
                    now,
                    Status::Unverified.as_str()
                ],
            )?;
            if changed == 0 {
                return Err(Error::NotFound(id.into()));
            }
            tx.execute("DELETE FROM secret_fields WHERE credential_id = ?1", [id])?;
            insert_sealed(&tx, id, &sealed)?;
            store::audit(
                &tx,
                Some((id, &current.name)),
                "rotated",
                &format!("new key {hint} (was {})", current.hint),
            )?;
            tx.commit()?;
        }
        self.request_verification(id)
    }

    /// The current secret generation of a credential (0 if it is gone).
    pub fn generation(&self, id: &str) -> Result<i64> {
        Ok(self
            .db()
            .query_row(
                "SELECT generation FROM credentials WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// A credential's non-secret provider fields (key id, region, endpoint, tenant...).
    pub fn public_fields(&self, id: &str) -> Result<serde_json::Value> {
        let text: Option<String> = self
            .db()
            .query_row(
                "SELECT public_fields FROM credentials WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let text = text.ok_or_else(|| Error::NotFound(id.into()))?;
        Ok(serde_json::from_str(&text).unwrap_or_default())
    }

    /// Everything non-secret about a credential, with its audit trail.
    pub fn details(&self, id: &str) -> Result<CredentialDetails> {
        let credential = self.get(id)?;
        let public = self.public_fields(id)?;
        let fields = FIELDS
            .iter()
            .filter(|f| f.provider.is_some() && !f.secret)
            .filter_map(|f| {
                let value = public.get(f.key)?.as_str()?;
                Some(FieldInfo {
                    key: f.key.into(),
                    label: f.label.into(),
                    value: value.into(),
                })
            })
            .collect();
        Ok(CredentialDetails {
            credential,
            fields,
            audit: self.audit_events(Some(id))?,
        })
    }

    /// Audit events, newest last; all of them or one credential's.
    pub fn audit_events(&self, credential_id: Option<&str>) -> Result<Vec<AuditEvent>> {
        let db = self.db();
        let mut stmt = db.prepare(
            "SELECT seq, at, credential_id, credential_name, kind, details FROM audit_events \
             WHERE ?1 IS NULL OR credential_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([credential_id], |r| {
            Ok(AuditEvent {
                seq: r.get(0)?,
                at: r.get(1)?,
                credential_id: r.get(2)?,
                credential_name: r.get(3)?,
                kind: r.get(4)?,
                details: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a cloud resource created with a credential (deleted with it).
    pub fn add_cloud_resource(
        &self,
        credential_id: &str,
        kind: &str,
        external_id: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO cloud_resources (id, credential_id, kind, external_id, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                uuid::Uuid::now_v7().to_string(),
                credential_id,
                kind,
                external_id,
                crate::time::now()
            ],
        )?;
        Ok(())
    }
}

/// When a credential was first stored and its secret last replaced: now for a new one; a
/// restore brings the backup's, so a key keeps its age (and its rotation reminder).
pub(super) struct Dates {
    pub created_at: String,
    pub rotated_at: Option<String>,
}

impl Dates {
    pub fn now() -> Self {
        Dates {
            created_at: crate::time::now(),
            rotated_at: None,
        }
    }
}

/// Inserts a new credential row, its sealed fields and its audit entry `(kind, details)`
/// (details default to the provider and hint) inside the caller's transaction.
pub(super) fn insert_new(
    tx: &Transaction<'_>,
    id: &str,
    valid: &Validated,
    sealed: &SealedFields,
    dates: &Dates,
    (kind, details): (&str, Option<&str>),
) -> Result<()> {
    let Validated {
        name,
        environment,
        provider,
        credential_type,
        public_fields,
        hint,
        ..
    } = valid;
    tx.prepare_cached(
        "INSERT INTO credentials (id, name, name_key, provider, type, environment, \
         public_fields, hint, status_reason, created_at, rotated_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'Queued for verification', ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        name,
        validate::name_key(name),
        provider.as_str(),
        credential_type.as_str(),
        environment,
        public_fields.to_string(),
        hint,
        dates.created_at,
        dates.rotated_at,
        crate::time::now()
    ])
    .map_err(|e| unique_name(e, name))?;
    insert_sealed(tx, id, sealed)?;
    let default_details = format!("{} {}", provider.as_str(), hint);
    store::audit(
        tx,
        Some((id, name)),
        kind,
        details.unwrap_or(&default_details),
    )
}

/// Inserts sealed fields, inside the caller's transaction, only while the key that sealed
/// them is still the vault's: a reset in another process in between fails the save with a
/// message instead of storing secrets under a retired key.
pub(super) fn insert_sealed(tx: &Transaction<'_>, id: &str, sealed: &SealedFields) -> Result<()> {
    let current: String = tx
        .prepare_cached("SELECT COALESCE(key_account, 'vault-' || vault_id) FROM vault")?
        .query_row([], |r| r.get(0))?;
    if current != sealed.account {
        return Err(Error::Busy(
            "the vault's key was replaced by another EntryGuard process while saving; \
             nothing was saved"
                .into(),
        ));
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO secret_fields (credential_id, field, blob) VALUES (?1, ?2, ?3)",
    )?;
    for (field, blob) in &sealed.fields {
        stmt.execute(params![id, field, blob])?;
    }
    Ok(())
}

fn unique_name(e: rusqlite::Error, name: &str) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, Some(msg))
            if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains("name_key") =>
        {
            Error::NameTaken(name.into())
        }
        _ => e.into(),
    }
}
