//! Custody of the master key in the OS keychain.
//!
//! Keychain calls can block for a long time (a locked Secret Service waits for a password
//! prompt), so every call runs on its own thread with a deadline; a call that misses it is
//! reported as "locked or not answering", never as "missing". Missing (`Ok(None)`) is only
//! ever the keychain's own definite answer that no entry exists — the service decides
//! whether that is safe (an empty vault) or a recoverable error (sealed data exists).

use std::collections::HashMap;
use std::sync::{mpsc, Mutex};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::secret::MasterKey;

/// Where the master key lives. The app uses [`OsKeychain`]; unit tests inject a
/// [`MemoryKeychain`].
pub trait KeySource: Send + Sync {
    /// The key stored under `account`, or `None` if the keychain says there is none.
    fn load(&self, account: &str) -> Result<Option<MasterKey>>;
    fn store(&self, account: &str, key: &MasterKey) -> Result<()>;
    /// Removes the entry; absent entries are not an error.
    fn delete(&self, account: &str) -> Result<()>;
    /// The keychain service name, for messages.
    fn service(&self) -> &str;
}

/// The platform keychain through the `keyring` crate: macOS Keychain, Windows Credential
/// Manager, Secret Service on Linux.
pub struct OsKeychain {
    service: String,
    timeout: Duration,
}

impl OsKeychain {
    pub fn new(service: impl Into<String>) -> Self {
        OsKeychain {
            service: service.into(),
            timeout: Duration::from_secs(10),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs `op` on an entry on a helper thread, giving up after the timeout. The outer
    /// error is the deadline; the inner result is the keychain's own answer.
    fn call<T: Send + 'static>(
        &self,
        account: &str,
        op: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<keyring::Result<T>> {
        let (service, account) = (self.service.clone(), account.to_owned());
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("keychain".into())
            .spawn(move || {
                let _ = tx.send(keyring::Entry::new(&service, &account).and_then(|e| op(&e)));
            })?;
        rx.recv_timeout(self.timeout).map_err(|_| {
            Error::KeychainLocked(format!(
                "no answer within {} s; it may be waiting for a password",
                self.timeout.as_secs()
            ))
        })
    }
}

/// Maps keyring errors onto the vault's states. Keyring errors carry no secret values.
fn classify(err: keyring::Error) -> Error {
    use keyring::Error as K;
    match err {
        K::NoDefaultStore => Error::NoKeychain("no credential store could be opened".into()),
        K::NoStorageAccess(e) => Error::KeychainLocked(e.to_string()),
        K::PlatformFailure(e) => {
            let text = e.to_string();
            let lower = text.to_lowercase();
            let unavailable = [
                "serviceunknown",
                "service unknown",
                "nameHasNoOwner",
                "org.freedesktop.secrets",
                "dbus_session_bus_address",
                "session bus",
                "no such file or directory",
                "connection refused",
            ]
            .iter()
            .any(|needle| lower.contains(&needle.to_lowercase()));
            if unavailable {
                Error::NoKeychain(text)
            } else if lower.contains("locked")
                || lower.contains("prompt")
                || lower.contains("dismissed")
            {
                Error::KeychainLocked(text)
            } else {
                Error::Keychain(text)
            }
        }
        other => Error::Keychain(other.to_string()),
    }
}

impl KeySource for OsKeychain {
    fn load(&self, account: &str) -> Result<Option<MasterKey>> {
        match self.call(account, |e| e.get_secret())? {
            Ok(bytes) => MasterKey::from_bytes(bytes).map(Some).ok_or_else(|| {
                Error::Keychain("the stored master key has the wrong length".into())
            }),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    fn store(&self, account: &str, key: &MasterKey) -> Result<()> {
        let bytes = zeroize::Zeroizing::new(key.dangerously_expose_key_bytes().to_vec());
        self.call(account, move |e| e.set_secret(&bytes))?
            .map_err(classify)
    }

    fn delete(&self, account: &str) -> Result<()> {
        match self.call(account, |e| e.delete_credential())? {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    fn service(&self) -> &str {
        &self.service
    }
}

/// An in-memory key source for tests and benchmarks, able to act out every keychain state.
#[derive(Default)]
pub struct MemoryKeychain {
    keys: Mutex<HashMap<String, [u8; 32]>>,
    failure: Mutex<Option<Failure>>,
}

/// A keychain state a [`MemoryKeychain`] can pretend to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    NoService,
    Locked,
}

impl MemoryKeychain {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every call fail as `failure` until cleared with `None`.
    pub fn set_failure(&self, failure: Option<Failure>) {
        *self.failure.lock().unwrap() = failure;
    }

    fn check(&self) -> Result<()> {
        match *self.failure.lock().unwrap() {
            Some(Failure::NoService) => Err(Error::NoKeychain("test: no service".into())),
            Some(Failure::Locked) => Err(Error::KeychainLocked("test: locked".into())),
            None => Ok(()),
        }
    }

    /// Replaces the stored key with another random one (a "wrong key").
    pub fn replace_with_random(&self, account: &str) {
        let key = MasterKey::generate();
        self.keys
            .lock()
            .unwrap()
            .insert(account.into(), *key.dangerously_expose_key_bytes());
    }

    pub fn accounts(&self) -> Vec<String> {
        self.keys.lock().unwrap().keys().cloned().collect()
    }
}

impl KeySource for MemoryKeychain {
    fn load(&self, account: &str) -> Result<Option<MasterKey>> {
        self.check()?;
        Ok(self
            .keys
            .lock()
            .unwrap()
            .get(account)
            .and_then(|k| MasterKey::from_bytes(k.to_vec())))
    }

    fn store(&self, account: &str, key: &MasterKey) -> Result<()> {
        self.check()?;
        self.keys
            .lock()
            .unwrap()
            .insert(account.into(), *key.dangerously_expose_key_bytes());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.check()?;
        self.keys.lock().unwrap().remove(account);
        Ok(())
    }

    fn service(&self) -> &str {
        "memory"
    }
}
