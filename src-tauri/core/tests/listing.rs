//! Pages of the list: the service's order and filters against the whole list, sorted and
//! filtered here the way the table's documentation says.

mod support;

use std::sync::Arc;

use entryguard_core::listing::{ListQuery, SortDir, SortKey, MAX_SEARCH_CHARS};
use entryguard_core::{
    CredentialService, CredentialView, NewCredential, Provider, Settings, Status,
};
use proptest::prelude::*;
use serde_json::json;
use support::memory_service;

fn apisix(name: &str) -> NewCredential {
    serde_json::from_value(json!({"name": name, "environment": null, "type": null,
        "provider": "APISIX", "fields": {"endpoint": "http://127.0.0.1:9",
        "admin_key": "LISTINGcanaryADMINkey0123456789"}}))
    .unwrap()
}

/// What a row is made of, beyond its name: set in the database after creating it.
#[derive(Debug, Clone)]
struct Shape {
    name: String,
    provider: Provider,
    status: Status,
    environment: Option<String>,
    identity: Option<String>,
    hint: String,
    created_days_ago: u32,
    verified_days_ago: Option<u32>,
}

/// A vault holding `shapes`, each credential as described.
fn vault_of(shapes: &[Shape]) -> (tempfile::TempDir, Arc<CredentialService>) {
    let (dir, service, _events) = memory_service();
    let db = rusqlite::Connection::open(dir.path().join("entryguard.db")).unwrap();
    for s in shapes {
        let id = service.create(apisix(&s.name)).unwrap().id;
        db.execute(
            "UPDATE credentials SET provider = ?2, type = ?3, status = ?4, environment = ?5, \
             identity = ?6, hint = ?7, \
             created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ?8 || ' days'), \
             verified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ?9 || ' days') \
             WHERE id = ?1",
            rusqlite::params![
                id,
                s.provider.as_str(),
                s.provider.credential_type().as_str(),
                s.status.as_str(),
                s.environment,
                s.identity,
                s.hint,
                s.created_days_ago,
                s.verified_days_ago,
            ],
        )
        .unwrap();
    }
    (dir, service)
}

fn shape(name: &str, provider: Provider, status: Status, environment: Option<&str>) -> Shape {
    Shape {
        name: name.into(),
        provider,
        status,
        environment: environment.map(Into::into),
        identity: None,
        hint: "abcd…wxyz".into(),
        created_days_ago: 0,
        verified_days_ago: None,
    }
}

fn names(rows: &[CredentialView]) -> Vec<&str> {
    rows.iter().map(|r| r.name.as_str()).collect()
}

/// The documented order and filters, applied to the whole list.
fn expected<'a>(all: &'a [CredentialView], q: &ListQuery) -> Vec<&'a CredentialView> {
    let text = q.text.trim().to_lowercase();
    let found = |field: Option<&str>| field.is_some_and(|f| f.to_lowercase().contains(&text));
    let mut rows: Vec<&CredentialView> = all
        .iter()
        .filter(|r| q.provider.is_none_or(|p| r.provider == p))
        .filter(|r| q.status.is_none_or(|s| r.status == s))
        .filter(|r| q.environment.is_none() || r.environment == q.environment)
        .filter(|r| !q.stale || r.stale)
        .filter(|r| {
            text.is_empty()
                || found(Some(&r.name))
                || found(r.identity.as_deref())
                || found(Some(&r.hint))
        })
        .collect();
    // Times have one format, so text order is time order.
    rows.sort_by(|a, b| {
        let first = match q.sort {
            SortKey::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            SortKey::Provider => a.provider.as_str().cmp(b.provider.as_str()),
            SortKey::Type => a.credential_type.as_str().cmp(b.credential_type.as_str()),
            SortKey::Status => a.status.as_str().cmp(b.status.as_str()),
            SortKey::CreatedAt => a.created_at.cmp(&b.created_at),
            SortKey::KeyAge => a.key_age_days.cmp(&b.key_age_days),
        };
        let first = match q.dir {
            SortDir::Asc => first,
            SortDir::Desc => first.reverse(),
        };
        first
            .then_with(|| b.created_at.cmp(&a.created_at))
            .then_with(|| b.id.cmp(&a.id))
    });
    let rest = rows.into_iter().skip(q.offset as usize);
    match q.limit {
        Some(n) => rest.take(n as usize).collect(),
        None => rest.collect(),
    }
}

#[test]
fn a_page_is_the_slice_of_the_sorted_list_asked_for_with_the_counts_of_the_whole() {
    let shapes: Vec<Shape> = (0..25)
        .map(|i| {
            let provider = Provider::ALL[i % 4];
            let mut s = shape(&format!("key {i:02}"), provider, Status::ALL[i % 3], None);
            s.created_days_ago = 30 - i as u32;
            s
        })
        .collect();
    let (_dir, service) = vault_of(&shapes);
    let newest = service.page(&ListQuery::default()).unwrap();
    assert_eq!((newest.matching, newest.total), (25, 25));
    assert_eq!(names(&newest.rows)[..3], ["key 24", "key 23", "key 22"]);

    let q = ListQuery {
        sort: SortKey::Name,
        dir: SortDir::Asc,
        offset: 10,
        limit: Some(10),
        ..ListQuery::default()
    };
    let page = service.page(&q).unwrap();
    assert_eq!(
        names(&page.rows),
        (10..20).map(|i| format!("key {i}")).collect::<Vec<_>>()
    );
    assert_eq!((page.matching, page.total), (25, 25));

    let past_the_end = service
        .page(&ListQuery {
            offset: 40,
            ..q.clone()
        })
        .unwrap();
    assert!(past_the_end.rows.is_empty());
    assert_eq!(
        past_the_end.matching, 25,
        "the counts do not depend on the page"
    );
}

#[test]
fn filters_combine_and_ties_fall_back_to_newest_first() {
    let mut shapes = [
        shape("zeta", Provider::Aws, Status::Invalid, Some("production")),
        shape("Alpha", Provider::Aws, Status::Invalid, Some("production")),
        shape("beta", Provider::Aws, Status::Valid, Some("production")),
        shape("gamma", Provider::Gcp, Status::Invalid, Some("production")),
        shape("delta", Provider::Aws, Status::Invalid, Some("staging")),
        shape("omega", Provider::Aws, Status::Invalid, None),
    ];
    shapes[1].created_days_ago = 3;
    let (_dir, service) = vault_of(&shapes);
    let page = service
        .page(&ListQuery {
            sort: SortKey::Status,
            dir: SortDir::Desc,
            provider: Some(Provider::Aws),
            status: Some(Status::Invalid),
            environment: Some("production".into()),
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(names(&page.rows), ["zeta", "Alpha"]);
    assert_eq!((page.matching, page.total), (2, 6));
    assert_eq!(page.environments, ["production", "staging"]);
}

#[test]
fn the_search_ignores_case_in_any_script_and_never_matches_across_two_fields() {
    let mut shapes = [
        shape("ÖLRAFFINERIE Nord", Provider::Azure, Status::Valid, None),
        shape("ΣΟΦΙΑ billing", Provider::Gcp, Status::Valid, None),
        shape("ci deploy", Provider::Aws, Status::Valid, None),
    ];
    shapes[2].identity = Some("arn:aws:iam::123456789012:user/CI-Robot".into());
    shapes[2].hint = "AKIA…WXYZ".into();
    let (_dir, service) = vault_of(&shapes);
    let search = |text: &str| {
        let page = service
            .page(&ListQuery {
                text: text.into(),
                ..ListQuery::default()
            })
            .unwrap();
        names(&page.rows)
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(search("ölraff"), ["ÖLRAFFINERIE Nord"]);
    assert_eq!(search("  σοφια "), ["ΣΟΦΙΑ billing"]);
    assert_eq!(
        search("ci-robot"),
        ["ci deploy"],
        "the identity is searched"
    );
    assert_eq!(search("akia…w"), ["ci deploy"], "the hint is searched");
    assert!(
        search("deployarn").is_empty(),
        "name and identity are not one text"
    );
    assert_eq!(search("").len(), 3);
}

#[test]
fn a_search_longer_than_any_name_is_refused_with_a_clear_message() {
    let (_dir, service) = vault_of(&[shape("one", Provider::Aws, Status::Valid, None)]);
    let err = service
        .page(&ListQuery {
            text: "x".repeat(MAX_SEARCH_CHARS + 1),
            ..ListQuery::default()
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("search"));
    assert!(
        err.to_string().contains("longer than 256 characters"),
        "{err}"
    );
}

#[test]
fn stale_lists_only_decisions_older_than_the_interval_and_none_while_rechecks_are_off() {
    let mut shapes = [
        shape("checked today", Provider::Aws, Status::Valid, None),
        shape("checked last week", Provider::Aws, Status::Valid, None),
        shape("never checked", Provider::Aws, Status::Unverified, None),
    ];
    shapes[0].verified_days_ago = Some(0);
    shapes[1].verified_days_ago = Some(7);
    let (_dir, service) = vault_of(&shapes);
    let stale = ListQuery {
        stale: true,
        ..ListQuery::default()
    };
    assert_eq!(
        names(&service.page(&stale).unwrap().rows),
        ["checked last week"]
    );
    let settings = service.settings().unwrap();
    service
        .set_settings(Settings {
            recheck_hours: 0,
            ..settings
        })
        .unwrap();
    assert!(service.page(&stale).unwrap().rows.is_empty());
}

fn any_shape() -> impl Strategy<Value = Shape> {
    (
        prop::sample::select(vec!["a", "B", "é", "É", "ß", "Ω", "ω", "x y"]),
        0..4usize,
        0..3usize,
        prop::option::of(prop::sample::select(vec!["prod", "Prod", "staging"])),
        prop::option::of(prop::sample::select(vec![
            "arn:aws:iam::1:user/Éve",
            "sa@b.iam",
        ])),
        0..400u32,
        prop::option::of(0..60u32),
    )
        .prop_map(
            |(name, p, s, environment, identity, created, verified)| Shape {
                name: name.into(),
                provider: Provider::ALL[p],
                status: Status::ALL[s],
                environment: environment.map(Into::into),
                identity: identity.map(Into::into),
                hint: "ab…Éz".into(),
                created_days_ago: created,
                verified_days_ago: verified,
            },
        )
}

fn any_query() -> impl Strategy<Value = ListQuery> {
    (
        prop::sample::select(SortKey::ALL.to_vec()),
        any::<bool>(),
        prop::sample::select(vec!["", "a", "É", "ω", "é1", "x y", "éve", "…é", " b "]),
        prop::option::of(0..4usize),
        prop::option::of(0..3usize),
        prop::option::of(prop::sample::select(vec!["prod", "staging"])),
        any::<bool>(),
        0..12u32,
        prop::option::of(0..12u32),
    )
        .prop_map(
            |(sort, asc, text, p, s, env, stale, offset, limit)| ListQuery {
                sort,
                dir: if asc { SortDir::Asc } else { SortDir::Desc },
                text: text.into(),
                provider: p.map(|i| Provider::ALL[i]),
                status: s.map(|i| Status::ALL[i]),
                environment: env.map(Into::into),
                stale,
                offset,
                limit,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any page of any vault is the documented order and filters applied to the whole list.
    #[test]
    fn every_page_agrees_with_the_whole_list_sorted_and_filtered(
        mut shapes in prop::collection::vec(any_shape(), 0..20),
        queries in prop::collection::vec(any_query(), 1..6),
    ) {
        for (i, s) in shapes.iter_mut().enumerate() {
            s.name = format!("{}{i}", s.name); // names are unique
        }
        let (_dir, service) = vault_of(&shapes);
        let all = service.list().unwrap();
        for q in &queries {
            let page = service.page(q).unwrap();
            let want: Vec<&str> = expected(&all, q).iter().map(|r| r.id.as_str()).collect();
            let got: Vec<&str> = page.rows.iter().map(|r| r.id.as_str()).collect();
            prop_assert_eq!(got, want, "{:?}", q);
            let unpaged = ListQuery { offset: 0, limit: None, ..q.clone() };
            prop_assert_eq!(page.matching as usize, expected(&all, &unpaged).len());
            prop_assert_eq!(page.total as usize, shapes.len());
        }
    }
}
