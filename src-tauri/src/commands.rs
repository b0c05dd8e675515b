//! Tauri commands: one-line adapters over `CredentialService`.
//!
//! Each runs the service call on the blocking pool (SQLite and the keychain block) and
//! turns errors into `{code, message, field}`. None of the types returned can hold a secret.

use std::path::Path;
use std::sync::Arc;

use entryguard_core::{
    ApiError, AuditEvent, CredentialDetails, CredentialService, CredentialView, ImportPreview,
    ImportResult, ImportSelection, NewCredential, ProviderSpec, Settings, VaultStatus,
};
use tauri::State;

pub struct AppState {
    pub service: Arc<CredentialService>,
    pub data_dir: std::path::PathBuf,
}

type Reply<T> = Result<T, ApiError>;

/// Runs `f` on the blocking pool with the service.
async fn blocking<T: Send + 'static>(
    state: State<'_, AppState>,
    f: impl FnOnce(&CredentialService) -> entryguard_core::Result<T> + Send + 'static,
) -> Reply<T> {
    let service = state.service.clone();
    tauri::async_runtime::spawn_blocking(move || f(&service))
        .await
        .map_err(|e| ApiError {
            code: "internal".into(),
            message: e.to_string(),
            field: None,
        })?
        .map_err(ApiError::from)
}

#[tauri::command]
async fn list_credentials(state: State<'_, AppState>) -> Reply<Vec<CredentialView>> {
    blocking(state, |s| s.list()).await
}

#[tauri::command]
async fn create_credential(
    state: State<'_, AppState>,
    input: NewCredential,
) -> Reply<CredentialView> {
    blocking(state, move |s| s.create(input)).await
}

#[tauri::command]
async fn delete_credential(state: State<'_, AppState>, id: String) -> Reply<()> {
    blocking(state, move |s| s.delete(&id)).await
}

#[tauri::command]
async fn verify_credential(state: State<'_, AppState>, id: String) -> Reply<CredentialView> {
    blocking(state, move |s| s.verify_now(&id)).await
}

#[tauri::command]
async fn vault_status(state: State<'_, AppState>) -> Reply<VaultStatus> {
    blocking(state, |s| Ok(s.vault_status())).await
}

#[tauri::command]
async fn audit_events(state: State<'_, AppState>, id: Option<String>) -> Reply<Vec<AuditEvent>> {
    blocking(state, move |s| s.audit_events(id.as_deref())).await
}

#[tauri::command]
async fn rotate_credential(
    state: State<'_, AppState>,
    id: String,
    spec: ProviderSpec,
) -> Reply<CredentialView> {
    blocking(state, move |s| s.rotate(&id, spec)).await
}

#[tauri::command]
async fn credential_details(state: State<'_, AppState>, id: String) -> Reply<CredentialDetails> {
    blocking(state, move |s| s.details(&id)).await
}

#[tauri::command]
async fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    blocking(state, |s| s.settings()).await
}

#[tauri::command]
async fn set_settings(state: State<'_, AppState>, settings: Settings) -> Reply<Settings> {
    blocking(state, move |s| s.set_settings(settings)).await
}

#[tauri::command]
async fn import_preview(state: State<'_, AppState>, path: Option<String>) -> Reply<ImportPreview> {
    blocking(state, move |s| {
        s.import_preview(path.as_deref().map(Path::new))
    })
    .await
}

#[tauri::command]
async fn import_profiles(
    state: State<'_, AppState>,
    path: Option<String>,
    selections: Vec<ImportSelection>,
) -> Reply<ImportResult> {
    blocking(state, move |s| {
        s.import_profiles(path.as_deref().map(Path::new), &selections)
    })
    .await
}

#[tauri::command]
async fn reset_vault(state: State<'_, AppState>, confirmation: String) -> Reply<VaultStatus> {
    blocking(state, move |s| {
        s.reset_vault(&confirmation).map(|()| s.vault_status())
    })
    .await
}

/// Name and version for the About dialog; the version comes from Cargo.toml alone.
#[derive(serde::Serialize)]
struct AppInfo {
    name: &'static str,
    version: &'static str,
    data_dir: String,
}

#[tauri::command]
fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        name: "EntryGuard",
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
    }
}

/// Quits the app as closing its window does, so the window's size and place are saved.
#[tauri::command]
fn quit(app: tauri::AppHandle) {
    app.exit(0);
}

/// Timings the page reports once its first list has rendered.
#[derive(serde::Deserialize, serde::Serialize)]
struct UiMarks {
    rows: u32,
    list_ms: f64,
    render_ms: f64,
    /// `performance.timeOrigin` (ms since the epoch): when the page started loading.
    time_origin: f64,
    /// Navigation timing, ms after `time_origin`: HTML parsed, and the table interactive.
    dom_interactive: f64,
    interactive: f64,
    /// Script started, app mounted, event listener registered (ms after `time_origin`).
    script: f64,
    mounted: f64,
    listening: f64,
}

/// The page is interactive. Prints a JSON line for the benchmark and, when
/// `ENTRYGUARD_EXIT_WHEN_READY` is set (benchmarks only), exits.
#[tauri::command]
fn ui_ready(marks: UiMarks) {
    let ready_ms = crate::STARTED
        .get()
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1e3);
    tracing::info!(
        ready_ms,
        rows = marks.rows,
        list_ms = marks.list_ms,
        render_ms = marks.render_ms,
        "table interactive"
    );
    if std::env::var_os("ENTRYGUARD_EXIT_WHEN_READY").is_some() {
        let started_at = crate::STARTED_AT
            .get()
            .copied()
            .unwrap_or(std::time::UNIX_EPOCH);
        let epoch_ms = started_at
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3;
        let page_start_ms = marks.time_origin - epoch_ms;
        println!(
            "{}",
            serde_json::json!({ "ready_ms": ready_ms, "page_start_ms": page_start_ms, "marks": marks })
        );
        std::process::exit(0);
    }
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        list_credentials,
        create_credential,
        delete_credential,
        verify_credential,
        vault_status,
        audit_events,
        rotate_credential,
        credential_details,
        get_settings,
        set_settings,
        import_preview,
        import_profiles,
        reset_vault,
        app_info,
        ui_ready,
        quit
    ]
}
