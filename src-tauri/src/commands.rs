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
        .map_err(|e| {
            // A panic's text can quote anything it touched: it goes to the log, not the page.
            tracing::error!(error = %e, "a command's task failed");
            ApiError {
                code: "internal".into(),
                message: "EntryGuard hit an internal error and did not finish this action. \
                          Nothing else was affected; the log has the details."
                    .into(),
                field: None,
            }
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
        s.reset_vault(&confirmation, false)
            .map(|()| s.vault_status())
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

/// Every command the window may call, plus `extra` (the benchmark's `ui_ready`).
macro_rules! app_commands {
    ($($extra:path),*) => {
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
            quit
            $(, $extra)*
        ]
    };
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    #[cfg(feature = "bench")]
    return app_commands!(crate::bench::ui_ready);
    #[cfg(not(feature = "bench"))]
    return app_commands!();
}
