//! Domain events → Tauri events. The UI listens to `credential-event`.

use std::sync::Arc;

use entryguard_core::{CredentialEvent, CredentialService, EventSink};
use tauri::{AppHandle, Emitter};

use crate::notices::Notifier;

pub const CREDENTIAL_EVENT: &str = "credential-event";

pub struct WindowSink {
    app: AppHandle,
    notifier: Arc<Notifier>,
}

impl WindowSink {
    pub fn new(app: AppHandle, notifier: Arc<Notifier>) -> Self {
        WindowSink { app, notifier }
    }
}

impl EventSink for WindowSink {
    fn emit(&self, event: CredentialEvent) {
        match &event {
            // For notifications; the row itself arrives as `Changed`.
            CredentialEvent::StatusChanged(change) => {
                return self.notifier.record(change.clone());
            }
            CredentialEvent::Deleted { id } => self.notifier.forget(id),
            _ => {}
        }
        if let Err(e) = self.app.emit(CREDENTIAL_EVENT, &event) {
            tracing::warn!(error = %e, "could not forward an event to the window");
        }
    }
}

/// Asks the window to reload the list (the store changed outside this process).
pub fn reload(service: &CredentialService) {
    service.emit_event(CredentialEvent::Reload);
}
