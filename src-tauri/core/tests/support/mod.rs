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
    service_with(Arc::new(MemoryKeychain::new()))
}

/// The same on the session's real keychain (the Secret Service scripts/test starts; each
/// run's keyring is thrown away afterwards).
pub fn keychain_service() -> (tempfile::TempDir, Arc<CredentialService>, Arc<Events>) {
    service_with(Arc::new(
        entryguard_core::OsKeychain::new(entryguard_core::APP_ID)
            .with_timeout(Duration::from_secs(5)),
    ))
}

fn service_with(
    keys: Arc<dyn entryguard_core::KeySource>,
) -> (tempfile::TempDir, Arc<CredentialService>, Arc<Events>) {
    let dir = tempfile::tempdir().unwrap();
    let service = Arc::new(CredentialService::open(dir.path(), keys).unwrap());
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

/// A loopback HTTP server that records every request it receives (head and body, as text)
/// and answers each with what `answer` returns for it (a whole HTTP response). Its thread
/// lives as long as the test process.
pub struct Stub {
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Stub {
    pub fn start(answer: impl Fn(&str) -> String + Send + 'static) -> Stub {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
                let mut bytes = Vec::new();
                let mut buf = [0u8; 4096];
                // Until the head is complete and the body (by Content-Length) has arrived.
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    bytes.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&bytes);
                    if let Some(head_end) = text.find("\r\n\r\n") {
                        let length = text[..head_end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if bytes.len() >= head_end + 4 + length {
                            break;
                        }
                    }
                }
                let request = String::from_utf8_lossy(&bytes).into_owned();
                let response = answer(&request);
                seen.lock().unwrap().push(request);
                let _ = stream.write_all(response.as_bytes());
            }
        });
        Stub { port, requests }
    }

    /// Answers every request with `status`, a `content_type` body and extra header lines.
    pub fn answering(status: u16, content_type: &str, body: &str, headers: &str) -> Stub {
        let response = format!(
            "HTTP/1.1 {status} Stub\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             Connection: close\r\n{headers}\r\n{body}",
            body.len()
        );
        Stub::start(move |_| response.clone())
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}
