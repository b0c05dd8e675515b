//! Custody of the master key in the OS keychain.
//!
//! Keychain calls can block for a long time (a locked Secret Service waits for a password
//! prompt), so every call runs on its own thread with a deadline; a call that misses it is
//! reported as "locked or not answering", never as "missing". While a call for an account
//! is still unanswered, no second one is started for it: at most one unlock prompt is ever
//! pending. Missing (`Ok(None)`) is only ever the keychain's own definite answer that no
//! entry exists — the service decides whether that is safe (an empty vault) or a
//! recoverable error (sealed data exists).
//!
//! The connection to the platform store is made on first use and dropped when the store is
//! unavailable, so a Secret Service that starts after the app is found on the next call
//! ("Check again") without a restart.

use std::collections::{HashMap, HashSet};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};

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

/// The platform keychain through `keyring-core`: macOS Keychain, Windows Credential
/// Manager, Secret Service on Linux.
pub struct OsKeychain {
    service: String,
    timeout: Duration,
    /// The connected store; `None` until first use and after it proved unavailable.
    store: Arc<Mutex<Option<Arc<CredentialStore>>>>,
    /// Accounts with a call still waiting for the keychain's answer.
    in_flight: Arc<Mutex<HashSet<String>>>,
}

impl OsKeychain {
    /// Waits 10 s for each answer, or `ENTRYGUARD_KEYCHAIN_TIMEOUT_SECS`.
    pub fn new(service: impl Into<String>) -> Self {
        let timeout = std::env::var("ENTRYGUARD_KEYCHAIN_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(10);
        OsKeychain {
            service: service.into(),
            timeout: Duration::from_secs(timeout),
            store: Arc::default(),
            in_flight: Arc::default(),
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
        op: impl FnOnce(&Entry) -> keyring_core::Result<T> + Send + 'static,
    ) -> Result<keyring_core::Result<T>> {
        if !self.in_flight.lock().unwrap().insert(account.to_owned()) {
            return Err(Error::KeychainLocked(
                "still waiting for its answer to an earlier request; an unlock prompt may be open"
                    .into(),
            ));
        }
        let (service, owned) = (self.service.clone(), account.to_owned());
        let (store, in_flight) = (self.store.clone(), self.in_flight.clone());
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("keychain".into())
            .spawn(move || {
                let result = connected(&store)
                    .and_then(|s| Entry::new_in_store(&s, &service, &owned))
                    .and_then(|e| op(&e));
                if matches!(&result, Err(e) if matches!(classify_ref(e), Error::NoKeychain(_))) {
                    *store.lock().unwrap() = None;
                }
                in_flight.lock().unwrap().remove(&owned);
                let _ = tx.send(result);
            });
        if let Err(e) = spawned {
            self.in_flight.lock().unwrap().remove(account);
            return Err(e.into());
        }
        rx.recv_timeout(self.timeout).map_err(|_| {
            Error::KeychainLocked(format!(
                "no answer within {} s; it may be waiting for a password",
                self.timeout.as_secs()
            ))
        })
    }
}

/// The store, connecting to the platform's keychain service if not connected yet.
fn connected(
    store: &Mutex<Option<Arc<CredentialStore>>>,
) -> keyring_core::Result<Arc<CredentialStore>> {
    let mut store = store.lock().unwrap();
    if let Some(s) = store.as_ref() {
        return Ok(s.clone());
    }
    let fresh = platform_store()?;
    *store = Some(fresh.clone());
    Ok(fresh)
}

fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    let store = zbus_secret_service_keyring_store::Store::new()?;
    #[cfg(target_os = "macos")]
    let store = apple_native_keyring_store::keychain::Store::new()?;
    #[cfg(target_os = "windows")]
    let store = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

/// Maps keyring errors onto the vault's states. Keyring errors carry no secret values.
fn classify(err: keyring_core::Error) -> Error {
    classify_ref(&err)
}

fn classify_ref(err: &keyring_core::Error) -> Error {
    use keyring_core::Error as K;
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
            Err(keyring_core::Error::NoEntry) => Ok(None),
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
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
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
    /// Reads work, writes fail (a keychain that refuses a new entry).
    StoreFails,
}

impl MemoryKeychain {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every call fail as `failure` until cleared with `None`.
    pub fn set_failure(&self, failure: Option<Failure>) {
        *self.failure.lock().unwrap() = failure;
    }

    fn check(&self, writing: bool) -> Result<()> {
        match *self.failure.lock().unwrap() {
            Some(Failure::NoService) => Err(Error::NoKeychain("test: no service".into())),
            Some(Failure::Locked) => Err(Error::KeychainLocked("test: locked".into())),
            Some(Failure::StoreFails) if writing => {
                Err(Error::Keychain("test: refused to store".into()))
            }
            _ => Ok(()),
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
        self.check(false)?;
        Ok(self
            .keys
            .lock()
            .unwrap()
            .get(account)
            .and_then(|k| MasterKey::from_bytes(k.to_vec())))
    }

    fn store(&self, account: &str, key: &MasterKey) -> Result<()> {
        self.check(true)?;
        self.keys
            .lock()
            .unwrap()
            .insert(account.into(), *key.dangerously_expose_key_bytes());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.check(true)?;
        self.keys.lock().unwrap().remove(account);
        Ok(())
    }

    fn service(&self) -> &str {
        "memory"
    }
}
