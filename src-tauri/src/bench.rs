//! Start-up benchmark plumbing, compiled in only with the `bench` feature (scripts/bench).
//!
//! The page of a benchmark build (`VITE_BENCH=1`) reports [`UiMarks`] once its first list
//! is drawn; this module prints them as a JSON line next to the process's own start time
//! and, with `ENTRYGUARD_EXIT_WHEN_READY`, exits so the next run can start.

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use entryguard_core::startup::UiMarks;

/// When the process started, on the monotonic and on the wall clock (the latter places the
/// page's `performance.timeOrigin`).
static STARTED: OnceLock<(Instant, SystemTime)> = OnceLock::new();

/// Notes the process start; call first thing in `main`.
pub fn mark_start() {
    STARTED.get_or_init(|| (Instant::now(), SystemTime::now()));
}

/// When the first screen's report arrived, in ms since start (the same yardstick as the
/// baseline window's one report: the IPC call's arrival).
static INTERACTIVE_MS: OnceLock<f64> = OnceLock::new();

/// The page is interactive (`complete: false`: note the time and wait), or has drawn the
/// whole list: log the marks, print them for the benchmark and maybe exit.
#[tauri::command]
pub fn ui_ready(marks: UiMarks) {
    let (started, started_at) = *STARTED.get_or_init(|| (Instant::now(), SystemTime::now()));
    let now_ms = started.elapsed().as_secs_f64() * 1e3;
    let ready_ms = *INTERACTIVE_MS.get_or_init(|| now_ms);
    if !marks.complete {
        return;
    }
    tracing::info!(
        ready_ms,
        rows = marks.rows,
        list_ms = marks.list_ms,
        render_ms = marks.render_ms,
        sort_ms = marks.sort_ms,
        filter_ms = marks.filter_ms,
        "table interactive"
    );
    if std::env::var_os("ENTRYGUARD_EXIT_WHEN_READY").is_some() {
        let epoch_ms = started_at
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3;
        let page_start_ms = marks.time_origin - epoch_ms;
        println!(
            "{}",
            serde_json::json!({
                "ready_ms": ready_ms,
                "exit_ms": now_ms,
                "page_start_ms": page_start_ms,
                "marks": marks
            })
        );
        std::process::exit(0);
    }
}
