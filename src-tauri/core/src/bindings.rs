//! The TypeScript types in `ui/src/lib/bindings/` are generated from the Rust types that
//! cross IPC, and checked in, with one generated module: the field table
//! ([`crate::fields::FIELDS`]) as `fields.ts`. This test fails when any of them is stale; run
//! it with `UPDATE_BINDINGS=1` to regenerate them.

use std::path::PathBuf;

use ts_rs::{Config, TS};

use crate::fields::{FieldSpec, FIELDS};
use crate::listing::{ListPage, ListQuery, SortDir, SortKey};
use crate::model::*;
use crate::startup::{Boot, UiMarks};

/// Compares `fresh` with the checked-in `file`, rewriting it under `UPDATE_BINDINGS`.
fn compare(file: &str, fresh: String, stale: &mut Vec<String>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
    let path = dir.join(file);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != fresh {
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, fresh).unwrap();
        } else {
            stale.push(file.into());
        }
    }
}

fn check<T: TS + 'static>(stale: &mut Vec<String>) {
    let cfg = Config::new();
    let fresh = T::export_to_string(&cfg).expect("type exports");
    compare(&format!("{}.ts", T::ident(&cfg)), fresh, stale);
}

/// `fields.ts`: the field table as a typed constant.
fn fields_module() -> String {
    let rows: Vec<String> = FIELDS
        .iter()
        .map(|f| format!("  {},", serde_json::to_string(f).expect("fields serialize")))
        .collect();
    format!(
        "// Generated from src-tauri/core/src/fields.rs by its bindings test. Do not edit.\n\
         import type {{ FieldSpec }} from \"./FieldSpec\";\n\n\
         export const FIELDS = [\n{}\n] as const satisfies readonly FieldSpec[];\n",
        rows.join("\n")
    )
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
    check::<StatusChange>(&mut stale);
    check::<AuditEvent>(&mut stale);
    check::<ApiError>(&mut stale);
    check::<FieldInfo>(&mut stale);
    check::<CredentialDetails>(&mut stale);
    check::<Settings>(&mut stale);
    check::<ImportCandidate>(&mut stale);
    check::<ImportPreview>(&mut stale);
    check::<ImportSource>(&mut stale);
    check::<ImportSelection>(&mut stale);
    check::<ImportSkip>(&mut stale);
    check::<ImportResult>(&mut stale);
    check::<RecoverReport>(&mut stale);
    check::<BackupReport>(&mut stale);
    check::<LeftOut>(&mut stale);
    check::<RestoreEntry>(&mut stale);
    check::<RestorePreview>(&mut stale);
    check::<OnConflict>(&mut stale);
    check::<RestoreReport>(&mut stale);
    check::<FieldSpec>(&mut stale);
    check::<UiMarks>(&mut stale);
    check::<Boot>(&mut stale);
    check::<SortKey>(&mut stale);
    check::<SortDir>(&mut stale);
    check::<ListQuery>(&mut stale);
    check::<ListPage>(&mut stale);
    compare("fields.ts", fields_module(), &mut stale);
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings: {stale:?}; run `UPDATE_BINDINGS=1 cargo test -p entryguard-core bindings`"
    );
}
