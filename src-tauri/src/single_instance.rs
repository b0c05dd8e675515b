//! One window per vault. The single-instance plugin owns a D-Bus name per vault and, in the
//! running window, answers a later launch by bringing the window to the front.
//!
//! A later launch hands over here, before the window toolkit starts, and exits. The plugin
//! would hand over too, but only once GTK is up, and its process then leaves through
//! `exit` with GTK half-started (in CI one such launch died with SIGSEGV after handing
//! over; not reproduced here). This is the plugin's calling half, run earlier; when nobody
//! owns the name, start-up goes on and the plugin takes it. The call carries only the
//! launch's argv (`--data-dir`; no secret is ever an argument) to the user's own session bus.
//!
//! Two launches at once (a double-click made twice) would both find the name free. So a
//! launch asks under a lock file in the data dir, held until the plugin owns the name: the
//! later launch waits for it and then hands over like any other.

use std::path::Path;

use entryguard_core::store::FileLock;
use entryguard_core::APP_ID;

/// How long a launch waits for the window already open on its vault, and for another
/// launch that is still starting one.
#[cfg(target_os = "linux")]
const ANSWER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The lock a launch asks under (see the module doc).
#[cfg(target_os = "linux")]
const START_LOCK_FILE: &str = "window.lock";

/// What a launch found on its vault.
#[cfg(target_os = "linux")]
#[derive(Debug, PartialEq, Eq)]
enum Handover {
    /// The open window took the launch; this process has nothing more to do.
    Done,
    /// No window is open on the vault (or there is no session bus): open one.
    NoWindow,
}

/// What a launch does next.
pub enum Launch {
    /// The window open on the vault took it.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    HandedOver,
    /// Open the window, holding this until the plugin owns the vault's name.
    Open(Starting),
}

/// A launch on its way to owning the vault's name: later launches wait while it is held.
pub struct Starting {
    _lock: Option<FileLock>,
}

/// The single-instance name of the window on `data_dir`: one window per vault. On Linux
/// it is a D-Bus name; macOS and Windows key single instance by the app alone.
fn instance_id(data_dir: &Path) -> String {
    let canonical = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_owned());
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        canonical.as_os_str().as_encoded_bytes(),
    );
    let hex: String = digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{APP_ID}.v{hex}")
}

/// The plugin, keyed by the vault.
pub fn plugin(data_dir: &Path) -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_single_instance::Builder::new()
        .callback(|app, _argv, _cwd| crate::focus_main_window(app))
        .dbus_id(instance_id(data_dir))
        .build()
}

/// Hands this launch to the window open on `data_dir`, if there is one. An open window that
/// does not answer is an error: a second window on the vault is never opened beside it.
#[cfg(target_os = "linux")]
pub fn hand_over(data_dir: &Path) -> Result<Launch, crate::AppError> {
    let starting = Starting {
        _lock: wait_for_other_launches(data_dir),
    };
    Ok(
        match hand_over_to(&instance_id(data_dir), ANSWER_TIMEOUT)? {
            Handover::Done => Launch::HandedOver,
            Handover::NoWindow => Launch::Open(starting),
        },
    )
}

/// Takes the start lock, waiting for a launch that holds it. A lock that cannot be had is
/// no reason not to start: the plugin still keeps one window per vault.
#[cfg(target_os = "linux")]
fn wait_for_other_launches(data_dir: &Path) -> Option<FileLock> {
    let lock = entryguard_core::store::create_private_dir(data_dir)
        .and_then(|()| FileLock::acquire(data_dir, START_LOCK_FILE, ANSWER_TIMEOUT));
    match lock {
        Ok(Some(lock)) => Some(lock),
        Ok(None) => {
            let secs = ANSWER_TIMEOUT.as_secs();
            tracing::warn!("another launch on this vault has been starting for {secs} s; going on");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "no start lock in the data dir; going on");
            None
        }
    }
}

#[cfg(target_os = "linux")]
fn hand_over_to(instance: &str, timeout: std::time::Duration) -> Result<Handover, crate::AppError> {
    let (name, path) = plugin_address(instance);
    let Ok(bus) = zbus::blocking::connection::Builder::session()
        .and_then(|b| b.method_timeout(timeout).build())
    else {
        return Ok(Handover::NoWindow); // the plugin finds no bus either and starts normally
    };
    let argv: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    let answer = bus.call_method(
        Some(name.as_str()),
        path.as_str(),
        Some("org.SingleInstance.DBus"),
        "ExecuteCallback",
        &(argv, cwd.to_string_lossy().as_ref()),
    );
    match answer {
        Ok(_) => Ok(Handover::Done),
        Err(zbus::Error::MethodError(error, _, _))
            if error.as_str() == "org.freedesktop.DBus.Error.ServiceUnknown"
                || error.as_str() == "org.freedesktop.DBus.Error.NameHasNoOwner" =>
        {
            Ok(Handover::NoWindow)
        }
        Err(zbus::Error::InputOutput(e)) if e.kind() == std::io::ErrorKind::TimedOut => {
            Err(crate::AppError::WindowNotAnswering(timeout.as_secs()))
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not reach a window open on this vault; opening one");
            Ok(Handover::NoWindow)
        }
    }
}

/// macOS and Windows: the plugin hands over before any window exists.
#[cfg(not(target_os = "linux"))]
pub fn hand_over(_data_dir: &Path) -> Result<Launch, crate::AppError> {
    Ok(Launch::Open(Starting { _lock: None }))
}

/// The plugin's bus name and object path for an instance id (its `linux.rs`, without the
/// `semver` feature, which this app does not enable).
#[cfg(target_os = "linux")]
fn plugin_address(instance: &str) -> (String, String) {
    let name = format!("{instance}.SingleInstance");
    let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
    (name, path)
}

/// Against the session bus of `dbus-run-session` (scripts/test); fake windows hold the name.
#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// A window's single-instance object: reports each call it takes, after `busy`.
    struct FakeWindow {
        calls: mpsc::Sender<Vec<String>>,
        busy: Duration,
    }

    #[zbus::interface(name = "org.SingleInstance.DBus")]
    impl FakeWindow {
        fn execute_callback(&mut self, argv: Vec<String>, _cwd: String) {
            std::thread::sleep(self.busy);
            let _ = self.calls.send(argv);
        }
    }

    /// Holds the single-instance name of `instance` as a window would.
    fn fake_window(
        instance: &str,
        busy: Duration,
    ) -> (zbus::blocking::Connection, mpsc::Receiver<Vec<String>>) {
        let (name, path) = plugin_address(instance);
        let (calls, rx) = mpsc::channel();
        let window = zbus::blocking::connection::Builder::session()
            .unwrap()
            .name(name.as_str())
            .unwrap()
            .serve_at(path.as_str(), FakeWindow { calls, busy })
            .unwrap()
            .build()
            .unwrap();
        (window, rx)
    }

    fn unique_instance() -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        format!("{APP_ID}.test{}_{nanos}", std::process::id())
    }

    #[test]
    fn a_launch_with_no_window_on_its_vault_goes_on_to_open_one() {
        let answer = hand_over_to(&unique_instance(), Duration::from_secs(5)).unwrap();
        assert_eq!(answer, Handover::NoWindow);
    }

    #[test]
    fn the_open_window_takes_the_launch_with_its_arguments() {
        let instance = unique_instance();
        let (_window, rx) = fake_window(&instance, Duration::ZERO);
        assert_eq!(
            hand_over_to(&instance, Duration::from_secs(5)).unwrap(),
            Handover::Done
        );
        let argv = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(argv, std::env::args().collect::<Vec<_>>());
    }

    #[test]
    fn a_window_that_holds_the_name_but_never_answers_is_an_error_not_a_second_window() {
        let instance = unique_instance();
        let (_window, _) = fake_window(&instance, Duration::from_secs(3));
        let answer = hand_over_to(&instance, Duration::from_secs(1));
        assert!(
            matches!(answer, Err(crate::AppError::WindowNotAnswering(1))),
            "{answer:?}"
        );
    }

    #[test]
    fn a_launch_that_starts_while_another_is_starting_waits_and_then_hands_over_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let Ok(Launch::Open(starting)) = hand_over(dir.path()) else {
            panic!("the first launch finds no window and opens one");
        };
        let later = {
            let dir = dir.path().to_owned();
            std::thread::spawn(move || matches!(hand_over(&dir), Ok(Launch::HandedOver)))
        };
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            !later.is_finished(),
            "the later launch waits while the first one starts"
        );
        // The first launch's plugin takes the name, then its setup lets go of the lock.
        let (_window, calls) = fake_window(&instance_id(dir.path()), Duration::ZERO);
        drop(starting);
        assert!(
            later.join().unwrap(),
            "the later launch hands over to the first"
        );
        assert!(calls.recv_timeout(Duration::from_secs(5)).is_ok());
    }
}
