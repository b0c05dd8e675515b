//! Tracing to stderr and to a daily-rotated file under `<data dir>/logs/`.
//!
//! Spans and events carry ids, providers and outcomes only; secret types print as
//! `<redacted>` even if someone logs them by mistake.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Installs the subscriber; keep the guard alive so the file is flushed on exit.
pub fn init(data_dir: &Path) -> Option<WorkerGuard> {
    let filter =
        EnvFilter::try_from_env("ENTRYGUARD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = fmt::layer().with_writer(std::io::stderr).with_target(false);
    // The appender does not create its directory; the data dir must be private first.
    let logs = data_dir.join("logs");
    let dir_ready = entryguard_core::store::create_private_dir(data_dir).is_ok()
        && entryguard_core::store::create_private_dir(&logs).is_ok();
    let file = Builder::new()
        .rotation(Rotation::DAILY)
        .max_log_files(7)
        .filename_prefix("entryguard")
        .filename_suffix("log")
        .build(&logs)
        .ok()
        .filter(|_| dir_ready);
    match file {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let file_layer = fmt::layer()
                .with_writer(writer)
                .with_ansi(false)
                .with_target(false);
            let _ = tracing_subscriber::registry()
                .with(filter)
                .with(stderr)
                .with(file_layer)
                .try_init();
            Some(guard)
        }
        None => {
            let _ = tracing_subscriber::registry()
                .with(filter)
                .with(stderr)
                .try_init();
            None
        }
    }
}
