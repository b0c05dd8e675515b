//! Creates many credentials through the service and prints the rates: a benchmark of the
//! create and list paths (docs/performance.md, Budgets: ≥ 2,000 creates/s, list of 10,000
//! ≤ 20 ms), and the child process the crash-safety and key-race tests run.
//!
//! Usage: bulk_create DATA_DIR COUNT [--os-keychain] [--prefix NAME_PREFIX]

use std::sync::Arc;
use std::time::Instant;

use entryguard_core::listing::{ListQuery, SortDir, SortKey};
use entryguard_core::{
    CredentialService, KeySource, MemoryKeychain, NewCredential, OsKeychain, APP_ID,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(
        args.get(1)
            .expect("usage: bulk_create DATA_DIR COUNT [--os-keychain]"),
    );
    let count: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(10_000);
    let keys: Arc<dyn KeySource> = if args.iter().any(|a| a == "--os-keychain") {
        Arc::new(OsKeychain::new(APP_ID))
    } else {
        Arc::new(MemoryKeychain::new())
    };
    let prefix = args
        .iter()
        .position(|a| a == "--prefix")
        .and_then(|i| args.get(i + 1))
        .map_or("bulk ", String::as_str);
    let service = CredentialService::open(&dir, keys).expect("open vault");
    let start = Instant::now();
    for i in 0..count {
        let input: NewCredential = serde_json::from_value(serde_json::json!({
            "name": format!("{prefix}{i}"), "environment": "bench", "type": null, "provider": "AWS",
            "fields": {"access_key_id": "AKIAIOSFODNN7EXAMPLE",
                       "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                       "session_token": null, "region": null}}))
        .unwrap();
        service.create(input).expect("create");
    }
    let created = start.elapsed();
    let start = Instant::now();
    let rows = service.list().expect("list").len();
    let listed = start.elapsed();
    println!(
        "creates: {count} in {:.3} s = {:.0}/s; list of {rows} rows: {:.1} ms",
        created.as_secs_f64(),
        count as f64 / created.as_secs_f64(),
        listed.as_secs_f64() * 1e3
    );
    let pages = pages();
    let times = pages.clone().map(|(_, query)| {
        let start = Instant::now();
        service.page(&query).expect("page");
        format!("{:.1}", start.elapsed().as_secs_f64() * 1e3)
    });
    println!(
        "pages of {PAGE_ROWS} ({}): {} ms",
        pages.map(|(name, _)| name).join(", "),
        times.join(", ")
    );
}

/// Rows a window shows and keeps around it.
const PAGE_ROWS: u32 = 100;

/// The pages a window asks for most: the first screen, the middle of the list by name, an
/// order no index serves, and a search.
fn pages() -> [(&'static str, ListQuery); 4] {
    let page = ListQuery {
        limit: Some(PAGE_ROWS),
        ..ListQuery::default()
    };
    [
        ("newest", page.clone()),
        (
            "by name from the middle",
            ListQuery {
                sort: SortKey::Name,
                dir: SortDir::Asc,
                offset: 5_000,
                ..page.clone()
            },
        ),
        (
            "oldest keys",
            ListQuery {
                sort: SortKey::KeyAge,
                ..page.clone()
            },
        ),
        (
            "search",
            ListQuery {
                text: "9".into(),
                ..page
            },
        ),
    ]
}
