//! Domain events → Tauri events. The UI listens to `credential-event`.

use entryguard_core::{CredentialEvent, CredentialService, EventSink};
use tauri::{AppHandle, Emitter};

pub const CREDENTIAL_EVENT: &str = "credential-event";

pub struct WindowSink {
    app: AppHandle,
}

impl WindowSink {
    pub fn new(app: AppHandle) -> Self {
        WindowSink { app }
    }
}

impl EventSink for WindowSink {
    fn emit(&self, event: CredentialEvent) {
        if let Err(e) = self.app.emit(CREDENTIAL_EVENT, &event) {
            tracing::warn!(error = %e, "could not forward an event to the window");
        }
    }
}

/// Asks the window to reload the list (the store changed outside this process).
pub fn reload(service: &CredentialService) {
    service.emit_event(CredentialEvent::Reload);
}
