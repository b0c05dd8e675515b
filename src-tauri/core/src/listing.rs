//! One page of the credential list, sorted and filtered by the service.
//!
//! Moving a whole list of 10,000 rows to a window costs ~100 ms of WebKit's own work
//! (docs/performance.md), and a script printing a few of them should not read them all.
//! So the order and the filters are defined once, here, and a caller asks for the slice it
//! shows: the rows, how many match, and how many there are.

use std::collections::HashMap;
use std::sync::LazyLock;

use rusqlite::{params_from_iter, Connection, ToSql, Transaction};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::freshness::{Freshness, Now};
use crate::model::{CredentialView, Provider, Status};
use crate::store;

/// A column the list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Name,
    Provider,
    Type,
    Status,
    #[default]
    CreatedAt,
    KeyAge,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        SortKey::Name,
        SortKey::Provider,
        SortKey::Type,
        SortKey::Status,
        SortKey::CreatedAt,
        SortKey::KeyAge,
    ];

    /// The order a column starts in: dates newest first, key age oldest first (the keys
    /// to rotate), words A to Z.
    pub fn first_direction(self) -> SortDir {
        match self {
            SortKey::CreatedAt | SortKey::KeyAge => SortDir::Desc,
            _ => SortDir::Asc,
        }
    }

    fn sql(self) -> &'static str {
        match self {
            SortKey::Name => "c.name_key",
            SortKey::Provider => "c.provider",
            SortKey::Type => "c.type",
            // Alphabetical by word: INVALID, UNVERIFIED, VALID (problems first).
            SortKey::Status => "c.status",
            // One format (crate::time::format), so text order is time order, and the
            // newest-first index serves the default order.
            SortKey::CreatedAt => "c.created_at",
            SortKey::KeyAge => store::KEY_AGE_DAYS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SortDir {
    Asc,
    #[default]
    Desc,
}

/// What to list. The default is every credential, newest first.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
pub struct ListQuery {
    pub sort: SortKey,
    pub dir: SortDir,
    /// Text found, ignoring case, in the name, the identity or the key's hint; blank: any.
    pub text: String,
    pub provider: Option<Provider>,
    pub status: Option<Status>,
    /// An exact environment label.
    pub environment: Option<String>,
    /// Only credentials whose last decision is older than the re-check interval.
    pub stale: bool,
    /// Matching credentials to pass over first.
    pub offset: u32,
    /// `None`: every matching credential after `offset`.
    pub limit: Option<u32>,
}

/// Longest search text, in characters: longer than any name, identity or hint it could find.
pub const MAX_SEARCH_CHARS: usize = 256;

/// A slice of the list and what it is a slice of.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ListPage {
    /// Where `rows` start in the whole ordered list.
    pub offset: u32,
    pub rows: Vec<CredentialView>,
    /// Credentials matching the filters, on every page.
    pub matching: u32,
    /// Credentials in the vault.
    pub total: u32,
    /// The vault's distinct environment labels, sorted, for a filter's choices.
    pub environments: Vec<String>,
}

/// The filters of [`ListQuery`], parameters `?1`–`?6`. `fold` is [`fold`], registered on
/// every connection. With `?5` (stale only), a NULL cutoff `?6` matches nothing: while
/// re-checks are off no decision goes stale.
const FILTERS: &str = "(?1 IS NULL OR c.provider = ?1) \
     AND (?2 IS NULL OR c.status = ?2) \
     AND (?3 IS NULL OR c.environment = ?3) \
     AND (?4 = '' OR instr(c.name_key, ?4) > 0 OR instr(fold(c.identity), ?4) > 0 \
          OR instr(fold(c.hint), ?4) > 0) \
     AND (?5 = 0 OR julianday(c.verified_at) <= julianday(?6))";

/// The values of [`FILTERS`]' parameters for one query.
struct Filters {
    provider: Option<&'static str>,
    status: Option<&'static str>,
    environment: Option<String>,
    text: String,
    stale: bool,
    cutoff: Option<String>,
}

impl Filters {
    /// The query's filters; a search text that is too long is a validation error.
    fn of(query: &ListQuery, fresh: &Freshness) -> Result<Self> {
        let text = fold(query.text.trim());
        if text.chars().count() > MAX_SEARCH_CHARS {
            return Err(Error::validation(
                "search",
                format!("Search text is longer than {MAX_SEARCH_CHARS} characters; shorten it."),
            ));
        }
        let now = OffsetDateTime::now_utc();
        Ok(Filters {
            provider: query.provider.map(Provider::as_str),
            status: query.status.map(Status::as_str),
            environment: query.environment.clone(),
            text,
            stale: query.stale,
            cutoff: fresh.recheck.map(|every| crate::time::format(now - every)),
        })
    }

    /// True when some filter narrows the list.
    fn narrow(&self) -> bool {
        !self.text.is_empty()
            || self.provider.is_some()
            || self.status.is_some()
            || self.environment.is_some()
            || self.stale
    }

    fn params(&self) -> [&dyn ToSql; 6] {
        [
            &self.provider,
            &self.status,
            &self.environment,
            &self.text,
            &self.stale,
            &self.cutoff,
        ]
    }
}

/// The query for the ids of the matching credentials in `query`'s order, with its filters'
/// parameters and then `LIMIT ?7 OFFSET ?8`. Ties fall back to the default order, newest
/// first, whose index then serves it.
pub fn ids_sql(query: &ListQuery) -> String {
    let dir = match query.dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let order = match query.sort {
        SortKey::CreatedAt => format!("c.created_at {dir}, c.id DESC"),
        key => format!("{} {dir}, c.created_at DESC, c.id DESC", key.sql()),
    };
    format!("SELECT c.id FROM credentials c WHERE {FILTERS} ORDER BY {order} LIMIT ?7 OFFSET ?8")
}

/// The ids of the matching credentials in the query's order, `offset` and `limit` applied.
fn ids_in_order(
    tx: &Transaction,
    query: &ListQuery,
    filters: &Filters,
    offset: u32,
    limit: Option<u32>,
) -> Result<Vec<String>> {
    let limit = limit.map_or(-1, i64::from);
    let window: [&dyn ToSql; 2] = [&limit, &offset];
    Ok(tx
        .prepare_cached(&ids_sql(query))?
        .query_map(
            params_from_iter(filters.params().into_iter().chain(window)),
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?)
}

/// The views of `ids`, in their order, read in one query.
fn views_of(tx: &Transaction, fresh: &Freshness, ids: &[String]) -> Result<Vec<CredentialView>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} WHERE c.id IN (SELECT value FROM json_each(?1))",
            store::view_select(true)
        )
    });
    let list = serde_json::to_string(ids).expect("strings serialize");
    let now = Now::new();
    let mut found: HashMap<String, CredentialView> = tx
        .prepare_cached(&SQL)?
        .query_map([list], |r| {
            let mut view = store::view_from_row(r)?;
            fresh.apply(&mut view, &now);
            Ok((view.id.clone(), view))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// Where credential `id` stands in the whole list `query` orders and filters, if it is in it.
pub fn position(
    conn: &Connection,
    fresh: &Freshness,
    query: &ListQuery,
    id: &str,
) -> Result<Option<u32>> {
    let tx = conn.unchecked_transaction()?;
    let filters = Filters::of(query, fresh)?;
    let ids = ids_in_order(&tx, query, &filters, 0, None)?;
    Ok(ids.iter().position(|i| i == id).map(|p| p as u32))
}

/// Lower-cases text as the name's uniqueness key does (Unicode, not SQLite's ASCII `lower`).
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// The page `query` asks for, read in one transaction so its counts and rows agree.
pub fn page(conn: &Connection, fresh: &Freshness, query: &ListQuery) -> Result<ListPage> {
    let filters = Filters::of(query, fresh)?;
    let tx = conn.unchecked_transaction()?;
    let ids = ids_in_order(&tx, query, &filters, query.offset, query.limit)?;
    let rows = views_of(&tx, fresh, &ids)?;
    let total = tx.query_row("SELECT COUNT(*) FROM credentials", [], |r| r.get(0))?;
    let matching = match filters.narrow() {
        true => tx
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM credentials c WHERE {FILTERS}"
            ))?
            .query_row(filters.params().as_slice(), |r| r.get(0))?,
        false => total,
    };
    let environments = tx
        .prepare_cached(
            "SELECT DISTINCT environment FROM credentials WHERE environment IS NOT NULL \
             ORDER BY environment",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ListPage {
        offset: query.offset,
        rows,
        matching,
        total,
        environments,
    })
}
