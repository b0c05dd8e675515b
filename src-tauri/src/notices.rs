//! Desktop notifications: the verifier's status changes, grouped and timed by
//! `entryguard_core::alerts`, shown by the desktop's notification service. Clicking one
//! brings the window forward on that credential's row.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use entryguard_core::alerts::{Alerts, Notice};
use entryguard_core::{CredentialEvent, CredentialService, StatusChange};
use tauri::{AppHandle, Emitter};

/// Changes gathered within one tick make one notification.
const TICK: Duration = Duration::from_secs(2);

pub struct Notifier {
    alerts: Mutex<Alerts>,
}

impl Notifier {
    pub fn new() -> Self {
        Notifier {
            alerts: Mutex::new(Alerts::new(Duration::from_secs(3600))),
        }
    }

    fn alerts(&self) -> std::sync::MutexGuard<'_, Alerts> {
        self.alerts.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn record(&self, change: StatusChange) {
        self.alerts().record(change, Instant::now());
    }

    pub fn forget(&self, id: &str) {
        self.alerts().forget(id);
    }
}

/// Shows what is due every [`TICK`], for as long as the app runs.
pub async fn run(app: AppHandle, service: Arc<CredentialService>, notifier: Arc<Notifier>) {
    let mut tick = tokio::time::interval(TICK);
    loop {
        tick.tick().await;
        if notifier.alerts().is_idle() {
            continue;
        }
        let prefs = tauri::async_runtime::spawn_blocking({
            let service = service.clone();
            move || {
                Ok::<_, entryguard_core::Error>((
                    service.unverified_alert_after()?,
                    service.settings()?.notify,
                ))
            }
        })
        .await;
        let Ok(Ok((after, enabled))) = prefs else {
            continue;
        };
        let notices = {
            let mut alerts = notifier.alerts();
            alerts.set_unverified_after(after);
            alerts.take(Instant::now())
        };
        // Turned off: what was due is dropped, not saved up for later.
        if enabled {
            for notice in notices {
                show(app.clone(), notice);
            }
        }
    }
}

/// Shows one notification and waits, on its own thread, for a click.
fn show(app: AppHandle, notice: Notice) {
    std::thread::spawn(move || {
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("EntryGuard")
            .summary(&notice.summary)
            .body(&markup_escaped(&notice.body))
            .action("default", "Show");
        match notification.show() {
            #[cfg(all(unix, not(target_os = "macos")))]
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "default" {
                    focus(&app, notice.focus);
                }
            }),
            #[cfg(not(all(unix, not(target_os = "macos"))))]
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not show a desktop notification"),
        }
    });
}

/// Brings the window forward and asks the page to show the credential's row.
fn focus(app: &AppHandle, id: Option<String>) {
    crate::focus_main_window(app);
    if let Some(id) = id {
        let _ = app.emit(
            crate::events::CREDENTIAL_EVENT,
            CredentialEvent::Focus { id },
        );
    }
}

/// Notification bodies may be read as markup (the freedesktop spec allows a subset): a
/// credential named `<b>` is shown as typed.
fn markup_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_name_with_markup_is_shown_as_typed() {
        assert_eq!(
            markup_escaped("<b>prod</b> & co: Invalid"),
            "&lt;b&gt;prod&lt;/b&gt; &amp; co: Invalid"
        );
    }
}
