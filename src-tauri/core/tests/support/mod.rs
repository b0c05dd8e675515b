//! Shared test support: local provider servers (tests/fixtures/servers.py), event capture,
//! and waiting for a verification outcome.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use entryguard_core::{
    CredentialEvent, CredentialService, CredentialView, EventSink, MemoryKeychain,
};

/// The repository root: the nearest ancestor of the crate holding tests/fixtures.
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|d| d.join("tests/fixtures/servers.py").exists())
        .expect("tests/fixtures/servers.py above the crate")
        .to_path_buf()
}

/// An example program of this crate (cargo test builds them beside the test binaries).
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(name);
    assert!(
        path.exists(),
        "cargo test builds examples/{name} at {}",
        path.display()
    );
    path
}

/// A server started from tests/fixtures/servers.py; stopped (stdin closed, then killed) on drop.
pub struct Server {
    child: Child,
    pub info: serde_json::Value,
}

impl Server {
    pub fn start(mode: &str) -> Server {
        let python = std::env::var("ENTRYGUARD_TEST_PYTHON")
            .unwrap_or_else(|_| repo_root().join(".venv/bin/python").display().to_string());
        let mut child = Command::new(&python)
            .arg(repo_root().join("tests/fixtures/servers.py"))
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {python} (run scripts/test, which makes the venv): {e}")
            });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let info = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("{mode} server printed {line:?}: {e}"));
        Server { child, info }
    }

    pub fn endpoint(&self) -> String {
        self.info["endpoint"].as_str().unwrap().to_owned()
    }

    pub fn str(&self, pointer: &str) -> String {
        self.info
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no {pointer}"))
            .to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collects every event the service emits.
#[derive(Default)]
pub struct Events(pub Mutex<Vec<CredentialEvent>>);

impl EventSink for Events {
    fn emit(&self, event: CredentialEvent) {
        self.0.lock().unwrap().push(event);
    }
}

impl Events {
    pub fn all(&self) -> Vec<CredentialEvent> {
        self.0.lock().unwrap().clone()
    }
}

/// A service on a temp dir with an in-memory keychain and an event recorder.
pub fn memory_service() -> (tempfile::TempDir, Arc<CredentialService>, Arc<Events>) {
    let dir = tempfile::tempdir().unwrap();
    let service =
        Arc::new(CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap());
    let events = Arc::new(Events::default());
    service.set_sink(events.clone());
    (dir, service, events)
}

/// Waits until the credential is no longer being checked and `done` holds.
pub async fn wait_for(
    service: &CredentialService,
    id: &str,
    done: impl Fn(&CredentialView) -> bool,
) -> CredentialView {
    let start = Instant::now();
    loop {
        let view = service.get(id).unwrap();
        if !view.checking && done(&view) {
            return view;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "timed out waiting; last state: {view:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
