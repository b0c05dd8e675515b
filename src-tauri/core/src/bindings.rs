//! The TypeScript types in `ui/src/lib/bindings/` are generated from the Rust types that
//! cross IPC, and checked in. This test fails when they are stale; run it with
//! `UPDATE_BINDINGS=1` to regenerate them.

use std::path::PathBuf;

use ts_rs::{Config, TS};

use crate::model::*;

fn check<T: TS + 'static>(stale: &mut Vec<String>) {
    let cfg = Config::new();
    let name = T::ident(&cfg);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
    let path = dir.join(format!("{name}.ts"));
    let fresh = T::export_to_string(&cfg).expect("type exports");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != fresh {
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, fresh).unwrap();
        } else {
            stale.push(name);
        }
    }
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    let mut stale = Vec::new();
    check::<Provider>(&mut stale);
    check::<CredentialType>(&mut stale);
    check::<Status>(&mut stale);
    check::<CredentialView>(&mut stale);
    check::<NewCredential>(&mut stale);
    check::<ProviderSpec>(&mut stale);
    check::<VaultState>(&mut stale);
    check::<VaultStatus>(&mut stale);
    check::<CredentialEvent>(&mut stale);
    check::<AuditEvent>(&mut stale);
    check::<ApiError>(&mut stale);
    check::<FieldInfo>(&mut stale);
    check::<CredentialDetails>(&mut stale);
    check::<Settings>(&mut stale);
    check::<ImportCandidate>(&mut stale);
    check::<ImportPreview>(&mut stale);
    check::<ImportSelection>(&mut stale);
    check::<ImportSkip>(&mut stale);
    check::<ImportResult>(&mut stale);
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings: {stale:?}; run `UPDATE_BINDINGS=1 cargo test -p entryguard-core bindings`"
    );
}
