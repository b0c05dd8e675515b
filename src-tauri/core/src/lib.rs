//! EntryGuard's credential vault, without any UI.
//!
//! The desktop app and the CLI are thin shells over [`CredentialService`]; everything that
//! touches SQL, crypto, the keychain or a cloud provider lives here so it can be tested on a
//! machine without WebKit. Nothing in this crate depends on Tauri.

pub mod alerts;
#[cfg(test)]
mod bindings;
pub mod crypto;
pub mod error;
pub mod fields;
pub mod freshness;
pub mod keychain;
pub mod listing;
pub mod model;
pub mod secret;
pub mod service;
pub mod startup;
pub mod store;
pub mod time;
pub mod validate;
pub mod verify;

pub use error::{Error, Result};
pub use keychain::{KeySource, MemoryKeychain, OsKeychain};
pub use model::*;
pub use secret::{ExposeSecret, SecretString};
pub use service::{ChangeStamp, CredentialService, EventSink, NullSink};
pub use verify::{Verifier, VerifierConfig};

/// The app identifier; also the keychain service name.
pub const APP_ID: &str = "com.entryguard.desktop";
