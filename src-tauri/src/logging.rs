//! Tracing to stderr and to a daily-rotated file under `<data dir>/logs/` (the window), or
//! to stderr alone when `ENTRYGUARD_LOG` is set (the CLI).
//!
//! Spans and events carry ids, providers and outcomes only; secret types print as
//! `<redacted>` even if someone logs them by mistake. Other crates' debug and trace output
//! is another matter: the AWS signer logs its canonical request (session token included)
//! and the HTTP and TLS stacks log headers (an APISIX key). So those crates log warnings and
//! errors only, whatever `ENTRYGUARD_LOG` asks for.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::{filter::filter_fn, fmt, prelude::*, EnvFilter};

/// Crates whose debug and trace output can carry credentials or their signatures.
const CAPPED: [&str; 10] = [
    "aws_sigv4",
    "aws_runtime",
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_sdk_sts",
    "hyper",
    "hyper_util",
    "reqwest",
    "rustls",
    "zbus",
];

/// `ENTRYGUARD_LOG` (default `info`), with [`CAPPED`] held at `warn`.
fn filter(default: &str) -> EnvFilter {
    let mut filter =
        EnvFilter::try_from_env("ENTRYGUARD_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    for target in CAPPED {
        filter = filter.add_directive(
            format!("{target}=warn")
                .parse()
                .expect("a static directive parses"),
        );
    }
    filter
}

/// For the CLI: stderr only, and only when `ENTRYGUARD_LOG` asks for it.
pub fn init_cli() {
    if std::env::var_os("ENTRYGUARD_LOG").is_some() {
        let _ = tracing_subscriber::registry()
            .with(filter("warn"))
            .with(fmt::layer().with_writer(std::io::stderr).with_target(false))
            .try_init();
    }
}

/// Events with this target go to the log file only: what the process prints on its way
/// out (the window's start failure) would otherwise show twice on a terminal.
pub const FILE_ONLY: &str = "entryguard::file_only";

/// Installs the subscriber; keep the guard alive so the file is flushed on exit.
pub fn init(data_dir: &Path) -> Option<WorkerGuard> {
    let filter = filter("info");
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(filter_fn(|event| event.target() != FILE_ONLY));
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
