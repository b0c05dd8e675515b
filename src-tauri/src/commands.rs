//! Tauri commands: one-line adapters over `CredentialService`.
//!
//! Each runs the service call on the blocking pool (SQLite and the keychain block) and
//! turns errors into `{code, message, field}`. None of the types returned can hold a secret.

use std::path::PathBuf;
use std::sync::Arc;

use entryguard_core::{
    ApiError, AuditEvent, CredentialDetails, CredentialService, CredentialView, ImportPreview,
    ImportResult, ImportSelection, ImportSource, NewCredential, ProviderSpec, Settings,
    VaultStatus,
};
use tauri::State;

pub struct AppState {
    pub service: Arc<CredentialService>,
    pub data_dir: std::path::PathBuf,
    /// The AWS credentials file last chosen in the native file dialog: the only file other
    /// than the default one that an import may read.
    pub chosen_import: std::sync::Mutex<Option<PathBuf>>,
}

impl AppState {
    /// The file `source` names: `None` for the default one.
    fn import_path(&self, source: ImportSource) -> Result<Option<PathBuf>, ApiError> {
        match source {
            ImportSource::Default => Ok(None),
            ImportSource::Chosen => self
                .chosen_import
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
                .map(Some)
                .ok_or_else(|| {
                    ApiError::from(entryguard_core::Error::validation(
                        "import_path",
                        "Choose a credentials file first.",
                    ))
                }),
        }
    }
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

/// Opens the native file dialog (off the main thread) and remembers the choice; returns
/// its path for display, or `None` when cancelled. `ENTRYGUARD_TEST_PICK_FILE` answers for
/// the dialog in end-to-end tests: it is set by whoever starts the process, never the page.
#[tauri::command]
async fn choose_import_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Reply<Option<String>> {
    let picked = tauri::async_runtime::spawn_blocking(move || {
        if let Some(path) = std::env::var_os("ENTRYGUARD_TEST_PICK_FILE") {
            return Some(PathBuf::from(path));
        }
        use tauri_plugin_dialog::DialogExt;
        let mut dialog = app
            .dialog()
            .file()
            .set_title("Choose an AWS credentials file");
        if let Some(aws) = dirs::home_dir()
            .map(|h| h.join(".aws"))
            .filter(|d| d.is_dir())
        {
            dialog = dialog.set_directory(aws);
        }
        dialog.blocking_pick_file().and_then(|f| f.into_path().ok())
    })
    .await
    .unwrap_or(None);
    let shown = picked.as_ref().map(|p| p.display().to_string());
    if picked.is_some() {
        *state
            .chosen_import
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = picked;
    }
    Ok(shown)
}

#[tauri::command]
async fn import_preview(state: State<'_, AppState>, source: ImportSource) -> Reply<ImportPreview> {
    let path = state.import_path(source)?;
    blocking(state, move |s| s.import_preview(path.as_deref())).await
}

#[tauri::command]
async fn import_profiles(
    state: State<'_, AppState>,
    source: ImportSource,
    selections: Vec<ImportSelection>,
) -> Reply<ImportResult> {
    let path = state.import_path(source)?;
    blocking(state, move |s| {
        s.import_profiles(path.as_deref(), &selections)
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

include!("command_list.rs");

/// The handler for every command in command_list.rs (plus `ui_ready` in the benchmark build).
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    #[cfg(feature = "bench")]
    macro_rules! register {
        ($($command:ident),*) => {
            tauri::generate_handler![$($command,)* crate::bench::ui_ready]
        };
    }
    #[cfg(not(feature = "bench"))]
    macro_rules! register {
        ($($command:ident),*) => {
            tauri::generate_handler![$($command),*]
        };
    }
    app_commands!(register)
}

#[cfg(test)]
mod tests {
    macro_rules! names {
        ($($command:ident),*) => {
            [$(stringify!($command),)* "ui_ready"]
        };
    }

    #[test]
    fn the_window_is_granted_exactly_the_apps_commands() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let mut granted: Vec<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect();
        let mut commands: Vec<String> =
            app_commands!(names).iter().map(|c| c.to_string()).collect();
        granted.sort();
        commands.sort();
        assert_eq!(granted, commands);
    }
}
