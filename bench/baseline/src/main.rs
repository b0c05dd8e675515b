//! A bare Tauri 2 hello-world window, built in the same run as EntryGuard so the benchmark
//! (bench/run.py) can compare start-up, memory and binary size against it.

use std::time::Instant;

static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
static START_AT: std::sync::OnceLock<std::time::SystemTime> = std::sync::OnceLock::new();

/// The page is interactive: print the time since start (and when the page began loading,
/// from its `performance.timeOrigin`) and, when benchmarking, exit.
#[tauri::command]
fn ready(time_origin: f64) {
    let ms = START.get().map_or(0.0, |s| s.elapsed().as_secs_f64() * 1e3);
    let epoch = START_AT
        .get()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .unwrap_or_default();
    let page_start_ms = time_origin - epoch.as_secs_f64() * 1e3;
    println!("{{\"ready_ms\": {ms:.1}, \"page_start_ms\": {page_start_ms:.1}}}");
    if std::env::var_os("BENCH_EXIT_WHEN_READY").is_some() {
        std::process::exit(0);
    }
}

fn main() {
    START.get_or_init(Instant::now);
    START_AT.get_or_init(std::time::SystemTime::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the baseline window runs");
}
