//! A bare Tauri 2 hello-world window, built in the same run as EntryGuard so the benchmark
//! (bench/run.py) can compare start-up, memory and binary size against it.

use std::time::Instant;

static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// The page is interactive: print the time since start and, when benchmarking, exit.
#[tauri::command]
fn ready() {
    let ms = START.get().map_or(0.0, |s| s.elapsed().as_secs_f64() * 1e3);
    println!("{{\"ready_ms\": {ms:.1}}}");
    if std::env::var_os("BENCH_EXIT_WHEN_READY").is_some() {
        std::process::exit(0);
    }
}

fn main() {
    START.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the baseline window runs");
}
