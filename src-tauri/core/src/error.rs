//! The one error type of the core crate.
//!
//! Every variant's message is written for an administrator: what happened and what to do.
//! Messages never contain secret values — they are built only from names, ids, codes and
//! provider messages, never from sealed fields.
//!
//! How to add an error:
//! 1. Add a variant whose `#[error]` text says what happened and what to do, in full
//!    sentences, with no secret in its fields.
//! 2. Give it a stable `code()` (snake_case; the UI and scripts match on it, so never
//!    rename one) and, if it belongs to a form field, a `field()`.
//! 3. It reaches the window as `ApiError {code, message, field}` and the CLI as
//!    `error: <message>` with exit code 1; nothing else needs wiring. If the UI should react
//!    (e.g. refresh the vault banner), add the code to `VAULT_ERROR_CODES` in ui/src/lib/api.ts.

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input; `field` names the form field it belongs to.
    #[error("{message}")]
    Validation {
        field: Option<&'static str>,
        message: String,
    },

    #[error("A credential named “{0}” already exists. Choose another name.")]
    NameTaken(String),

    #[error("No credential matches “{0}”.")]
    NotFound(String),

    #[error(
        "No keychain service is available ({0}). EntryGuard keeps its master key in the OS \
         keychain: on Linux install and start GNOME Keyring (gnome-keyring) or KWallet with a \
         Secret Service; on macOS and Windows the system keychain is used."
    )]
    NoKeychain(String),

    #[error(
        "The keychain is locked or did not answer ({0}). Unlock your login keyring (GNOME \
         Keyring / KWallet / macOS Keychain) and try again; nothing was changed."
    )]
    KeychainLocked(String),

    #[error(
        "The vault's master key is missing from the keychain, so stored secrets cannot be \
         opened. Listing and deleting still work. To recover, restore the keychain entry \
         “{service}” / “{account}” (e.g. from a keychain backup); or reset the vault, which \
         sets the stored secrets aside (they open again if the key comes back) so you can \
         re-enter them."
    )]
    KeyMissing { service: String, account: String },

    #[error(
        "The master key in the keychain does not match this vault (its key check failed). \
         Restore the right keychain entry “{service}” / “{account}”, or reset the vault, which \
         sets the stored secrets aside so you can re-enter them."
    )]
    WrongKey { service: String, account: String },

    #[error(
        "A stored secret failed its integrity check (it was altered or copied from another \
         record). Rotate this credential to store its secret again."
    )]
    Integrity,

    #[error(
        "This database was written by a newer EntryGuard (schema version {found}; this build \
         knows up to {known}). Update EntryGuard; the file was not changed."
    )]
    NewerSchema { found: i64, known: i64 },

    #[error("Type “{confirm}” to confirm a vault reset.")]
    ResetNotConfirmed { confirm: &'static str },

    /// A reset asked for when the vault does not need one.
    #[error("{0}")]
    ResetRefused(String),

    #[error(
        "The passphrase does not open this backup. Check it (it is case-sensitive) and try \
         again; nothing was changed."
    )]
    WrongPassphrase,

    #[error(
        "This backup file is damaged or was altered ({0}), so it cannot be restored; nothing \
         was changed. Use another copy of the backup."
    )]
    BackupDamaged(String),

    #[error(
        "This backup was made by a newer EntryGuard (backup format {found}; this build reads up \
         to {known}). Update EntryGuard, then restore it; nothing was changed."
    )]
    BackupNewer { found: u32, known: u32 },

    /// Another process holds the vault's set-up lock.
    #[error("The vault is busy: {0}. Try again in a moment.")]
    Busy(String),

    #[error("Database error: {0}")]
    Storage(#[from] rusqlite::Error),

    /// The vault's database file cannot be read as a database at all.
    #[error(
        "The vault's database file {} is damaged or is not an EntryGuard database; nothing \
         was changed. Move it aside to start an empty vault here, or restore a backup into a \
         new data directory.",
        .0.display()
    )]
    DamagedVault(std::path::PathBuf),

    #[error("Could not migrate the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),

    #[error("File system error: {0}")]
    Io(#[from] std::io::Error),

    #[error("Keychain error: {0}")]
    Keychain(String),

    #[error("Internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: Some(field),
            message: message.into(),
        }
    }

    /// A stable machine-readable code for the UI and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::NameTaken(_) => "name_taken",
            Error::NotFound(_) => "not_found",
            Error::NoKeychain(_) => "no_keychain",
            Error::KeychainLocked(_) => "keychain_locked",
            Error::KeyMissing { .. } => "key_missing",
            Error::WrongKey { .. } => "wrong_key",
            Error::Integrity => "integrity",
            Error::NewerSchema { .. } => "newer_schema",
            Error::ResetNotConfirmed { .. } => "validation",
            Error::ResetRefused(_) => "reset_refused",
            Error::Busy(_) => "busy",
            Error::WrongPassphrase => "wrong_passphrase",
            Error::BackupDamaged(_) => "backup_damaged",
            Error::BackupNewer { .. } => "backup_newer",
            Error::Storage(_) | Error::Migration(_) | Error::Io(_) | Error::DamagedVault(_) => {
                "storage"
            }
            Error::Keychain(_) => "keychain",
            Error::Internal(_) => "internal",
        }
    }

    /// True when trying again later may succeed without the admin doing anything (a locked,
    /// absent or busy keychain, a busy vault).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::NoKeychain(_) | Error::KeychainLocked(_) | Error::Keychain(_) | Error::Busy(_)
        )
    }

    /// The form field the error belongs to, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Validation { field, .. } => *field,
            Error::NameTaken(_) => Some("name"),
            _ => None,
        }
    }
}
