//! Tauri commands: one-line adapters over `CredentialService`.
//!
//! Each runs the service call on the blocking pool (SQLite and the keychain block) and
//! turns errors into `{code, message, field}`. None of the types returned can hold a secret.

use std::path::PathBuf;
use std::sync::Arc;

use entryguard_core::listing::{ListPage, ListQuery};
use entryguard_core::{
    ApiError, AuditEvent, BackupReport, CredentialDetails, CredentialService, CredentialView,
    ImportPreview, ImportResult, ImportSelection, ImportSource, NewCredential, OnConflict,
    ProviderSpec, RestorePreview, RestoreReport, SecretString, Settings, VaultStatus,
};
use tauri::State;

pub struct AppState {
    pub service: Arc<CredentialService>,
    pub data_dir: std::path::PathBuf,
    /// The AWS credentials file last chosen in the native file dialog: the only file other
    /// than the default one that an import may read.
    pub chosen_import: std::sync::Mutex<Option<PathBuf>>,
    /// The backup file last chosen for a restore, likewise.
    pub chosen_backup: std::sync::Mutex<Option<PathBuf>>,
}

/// A path the native dialog chose earlier, or `message` as a validation error.
fn chosen(slot: &std::sync::Mutex<Option<PathBuf>>, message: &str) -> Result<PathBuf, ApiError> {
    slot.lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(|| ApiError::from(entryguard_core::Error::validation("file", message)))
}

impl AppState {
    /// The file `source` names: `None` for the default one.
    fn import_path(&self, source: ImportSource) -> Result<Option<PathBuf>, ApiError> {
        match source {
            ImportSource::Default => Ok(None),
            ImportSource::Chosen => {
                chosen(&self.chosen_import, "Choose a credentials file first.").map(Some)
            }
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
async fn list_page(state: State<'_, AppState>, query: ListQuery) -> Reply<ListPage> {
    blocking(state, move |s| s.page(&query)).await
}

#[tauri::command]
async fn locate_credential(
    state: State<'_, AppState>,
    query: ListQuery,
    id: String,
) -> Reply<Option<u32>> {
    blocking(state, move |s| s.position(&query, &id)).await
}

#[tauri::command]
async fn credential_names(state: State<'_, AppState>) -> Reply<Vec<String>> {
    blocking(state, |s| s.names()).await
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

/// Which native file dialog to show.
enum Pick {
    Open {
        title: &'static str,
        dir: Option<PathBuf>,
    },
    Save {
        title: &'static str,
        name: String,
    },
}

/// Shows a native file dialog; `None` when cancelled. GTK wants its dialogs made on the main
/// thread; the answer is awaited here. In end-to-end tests `ENTRYGUARD_TEST_PICK_FILE` /
/// `ENTRYGUARD_TEST_SAVE_FILE` answer for it (unless empty): they are set by whoever starts
/// the process, never by the page.
async fn pick(app: tauri::AppHandle, kind: Pick) -> Option<PathBuf> {
    type Shown =
        std::pin::Pin<Box<dyn std::future::Future<Output = Option<rfd::FileHandle>> + Send>>;
    let test_answer = match kind {
        Pick::Open { .. } => "ENTRYGUARD_TEST_PICK_FILE",
        Pick::Save { .. } => "ENTRYGUARD_TEST_SAVE_FILE",
    };
    if let Some(path) = std::env::var_os(test_answer).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let (shown, answer) = tokio::sync::oneshot::channel::<Shown>();
    app.run_on_main_thread(move || {
        let dialog = rfd::AsyncFileDialog::new();
        let _ = shown.send(match kind {
            Pick::Open { title, dir } => {
                let dialog = dialog.set_title(title);
                let dialog = match dir.filter(|d| d.is_dir()) {
                    Some(dir) => dialog.set_directory(dir),
                    None => dialog,
                };
                Box::pin(dialog.pick_file())
            }
            Pick::Save { title, name } => {
                Box::pin(dialog.set_title(title).set_file_name(name).save_file())
            }
        });
    })
    .ok()?;
    Some(answer.await.ok()?.await?.path().to_path_buf())
}

/// Remembers `picked` in `slot` (a cancelled dialog keeps the earlier choice); returns it
/// for display.
fn remember(slot: &std::sync::Mutex<Option<PathBuf>>, picked: Option<PathBuf>) -> Option<String> {
    let shown = picked.as_ref().map(|p| p.display().to_string());
    if picked.is_some() {
        *slot.lock().unwrap_or_else(|p| p.into_inner()) = picked;
    }
    shown
}

/// The import's file chooser; the page only ever sees the chosen path.
#[tauri::command]
async fn choose_import_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Reply<Option<String>> {
    let open = Pick::Open {
        title: "Choose an AWS credentials file",
        dir: dirs::home_dir().map(|h| h.join(".aws")),
    };
    Ok(remember(&state.chosen_import, pick(app, open).await))
}

/// Asks where to save, then backs the vault up there; `None` when the dialog is cancelled.
#[tauri::command]
async fn backup_vault(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    passphrase: SecretString,
    include_audit: bool,
) -> Reply<Option<BackupReport>> {
    entryguard_core::service::check_passphrase(&passphrase)?;
    let save = Pick::Save {
        title: "Back up the vault to",
        name: format!(
            "entryguard-{}.egbackup",
            &entryguard_core::time::now()[..10]
        ),
    };
    let Some(out) = pick(app, save).await else {
        return Ok(None);
    };
    blocking(state, move |s| {
        s.backup(&out, &passphrase, include_audit).map(Some)
    })
    .await
}

/// Asks which backup to restore, then shows what it holds; `None` when cancelled.
#[tauri::command]
async fn restore_preview(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    passphrase: SecretString,
) -> Reply<Option<RestorePreview>> {
    let open = Pick::Open {
        title: "Choose an EntryGuard backup",
        dir: dirs::document_dir(),
    };
    let Some(file) = pick(app, open).await else {
        return Ok(None);
    };
    remember(&state.chosen_backup, Some(file.clone()));
    blocking(state, move |s| {
        s.restore_preview(&file, &passphrase).map(Some)
    })
    .await
}

/// Restores the backup the preview read.
#[tauri::command]
async fn restore_apply(
    state: State<'_, AppState>,
    passphrase: SecretString,
    on_conflict: OnConflict,
) -> Reply<RestoreReport> {
    let file = chosen(&state.chosen_backup, "Choose a backup file first.")?;
    blocking(state, move |s| s.restore(&file, &passphrase, on_conflict)).await
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
