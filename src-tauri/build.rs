include!("src/command_list.rs");

/// The command names as strings, plus the benchmark build's `ui_ready`.
macro_rules! names {
    ($($command:ident),*) => {
        &[$(stringify!($command),)* "ui_ready"]
    };
}

const COMMANDS: &[&str] = app_commands!(names);

fn main() {
    println!("cargo:rerun-if-changed=src/command_list.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("src-tauri/capabilities/**/*.json")
            // Declaring the commands makes each one need a permission: the window gets
            // exactly the ones capabilities/default.json lists, not "every app command".
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
