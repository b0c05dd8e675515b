//! Tauri commands: one-line adapters over `CredentialService`.
//!
//! Each runs the service call on the blocking pool (SQLite and the keychain block) and
//! turns errors into `{code, message, field}`. None of the types returned can hold a secret.

use std::sync::Arc;

use entryguard_core::{
    ApiError, AuditEvent, CredentialService, CredentialView, NewCredential, VaultStatus,
};
use tauri::State;

pub struct AppState {
    pub service: Arc<CredentialService>,
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

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        list_credentials,
        create_credential,
        delete_credential,
        verify_credential,
        vault_status,
        audit_events
    ]
}
