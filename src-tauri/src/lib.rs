//! The EntryGuard desktop app: wiring only.
//!
//! One binary, two faces: with no subcommand it opens the window; with one it runs the CLI
//! headless over the same data dir and keychain. Everything of substance is in
//! `entryguard-core`; this crate adapts it to Tauri (commands, events) and to a terminal.

#[cfg(feature = "bench")]
mod bench;
mod cli;
mod commands;
mod events;
mod logging;
mod notices;
mod single_instance;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use entryguard_core::{CredentialService, OsKeychain, Verifier, VerifierConfig, APP_ID};
use tauri::Manager;

/// Start-up failures of the app crate.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Core(#[from] entryguard_core::Error),
    #[error("No data directory: set --data-dir or ENTRYGUARD_DATA_DIR (the OS app-data dir could not be found).")]
    NoDataDir,
    #[error("The window could not start: {0}")]
    Tauri(#[from] tauri::Error),
    #[error("An EntryGuard window is open on this vault but did not answer within {0} s. Close it (or end its process) and start EntryGuard again.")]
    WindowNotAnswering(u64),
    #[error("The window needs a graphical session, and no display answered (DISPLAY or WAYLAND_DISPLAY). The command line works without one: entryguard --help")]
    NoDisplay,
}

/// Process entry point; returns the exit code.
pub fn main() -> i32 {
    #[cfg(feature = "bench")]
    bench::mark_start();
    cli::main()
}

/// The data dir: `--data-dir`, else `ENTRYGUARD_DATA_DIR` (clap reads both), else the OS
/// app-data dir.
pub fn resolve_data_dir(flag: Option<PathBuf>) -> Result<PathBuf, AppError> {
    flag.or_else(|| dirs::data_dir().map(|d| d.join(APP_ID)))
        .ok_or(AppError::NoDataDir)
}

/// Opens the service on the OS keychain.
pub fn open_service(data_dir: &std::path::Path) -> Result<Arc<CredentialService>, AppError> {
    Ok(Arc::new(CredentialService::open(
        data_dir,
        Arc::new(OsKeychain::new(APP_ID)),
    )?))
}

/// Opens the window. When it cannot open, the reason also goes to a dialog: a window started
/// from the desktop has no terminal to show stderr in.
pub fn run_window(data_dir: PathBuf) -> Result<(), AppError> {
    let _log = logging::init(&data_dir);
    tracing::info!(data_dir = %data_dir.display(), version = env!("CARGO_PKG_VERSION"), "starting window");
    let opened = open_window(data_dir.clone());
    if let Err(e) = &opened {
        // Printed on stderr as the process exits; logged to the file only.
        tracing::error!(target: logging::FILE_ONLY, error = %e, "the window could not open");
        if !matches!(e, AppError::NoDisplay) && start_toolkit().is_ok() {
            show_error(
                "EntryGuard could not start",
                &format!(
                    "{e}\n\nData directory: {}\nDetails are in its logs folder.",
                    data_dir.display()
                ),
            );
        }
    }
    opened
}

fn open_window(data_dir: PathBuf) -> Result<(), AppError> {
    let starting = match single_instance::hand_over(&data_dir)? {
        single_instance::Launch::HandedOver => {
            tracing::info!("handed over to the window already open on this vault");
            return Ok(());
        }
        single_instance::Launch::Open(starting) => starting,
    };
    start_toolkit()?;
    let service = open_service(&data_dir)?;
    tauri::Builder::default()
        // First, so a second launch on the same vault that got past the handover above (two
        // at once) hands over and exits before opening anything; a launch on another vault
        // opens its own window.
        .plugin(single_instance::plugin(&data_dir))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .invoke_handler(commands::handler())
        .setup(move |app| {
            // The plugin owns the vault's name by now: later launches hand over to this one.
            drop(starting);
            let notifier = Arc::new(notices::Notifier::new());
            service.set_sink(Arc::new(events::WindowSink::new(
                app.handle().clone(),
                notifier.clone(),
            )));
            tauri::async_runtime::spawn(notices::run(
                app.handle().clone(),
                service.clone(),
                notifier,
            ));
            app.manage(commands::AppState {
                service: service.clone(),
                data_dir: data_dir.clone(),
                chosen_import: Default::default(),
                chosen_backup: Default::default(),
            });
            open_main_window(app, &service)?;
            let verifier = Verifier::start(service.clone(), VerifierConfig::from_env())?;
            tauri::async_runtime::spawn(async move {
                verifier.requeue_unverified();
                watch_external_changes(service).await;
            });
            Ok(())
        })
        .run(tauri::generate_context!())?;
    Ok(())
}

/// Starts GTK before Tauri does (which would panic without a display).
#[cfg(target_os = "linux")]
fn start_toolkit() -> Result<(), AppError> {
    gtk::init().map_err(|_| AppError::NoDisplay)
}

#[cfg(not(target_os = "linux"))]
fn start_toolkit() -> Result<(), AppError> {
    Ok(())
}

/// A modal error dialog on the main thread, where GTK was started; returns once dismissed.
#[cfg(target_os = "linux")]
fn show_error(title: &str, text: &str) {
    use gtk::prelude::*;
    let dialog = gtk::MessageDialog::new(
        None::<&gtk::Window>,
        gtk::DialogFlags::MODAL,
        gtk::MessageType::Error,
        gtk::ButtonsType::Ok,
        title,
    );
    dialog.set_title(title);
    dialog.set_secondary_text(Some(text));
    dialog.run();
    // SAFETY: the dialog is ours alone and not used after this.
    unsafe { dialog.destroy() };
}

#[cfg(not(target_os = "linux"))]
fn show_error(title: &str, text: &str) {
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title(title)
        .set_description(text)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

/// Rows handed to the page before its first IPC call: a tall window's screenful.
const BOOT_ROWS: u32 = 40;

/// Opens the window of tauri.conf.json (`create: false` there) with the first screen in an
/// initialization script, so the table is drawn before any IPC round trip. If the vault
/// cannot be read the page starts empty and its own calls report why.
fn open_main_window(app: &tauri::App, service: &CredentialService) -> Result<(), AppError> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .unwrap_or_default();
    let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?;
    // The benchmark build can leave it out, to measure what it is worth in the same run.
    let measure_without =
        cfg!(feature = "bench") && std::env::var_os("ENTRYGUARD_BENCH_NO_BOOT").is_some();
    match service.boot(BOOT_ROWS) {
        Ok(_) if measure_without => {}
        Ok(boot) => window = window.initialization_script(boot.script()),
        Err(e) => tracing::warn!(error = %e, "no first screen for the page"),
    }
    window.build()?;
    Ok(())
}

/// Brings the existing window to the front (a second launch lands here).
pub(crate) fn focus_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Lets an open window see what the CLI changed, within a second, without a reload.
async fn watch_external_changes(service: Arc<CredentialService>) {
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tick.tick().await;
        if service.poll_external_change().unwrap_or(false) {
            events::reload(&service);
        }
    }
}
