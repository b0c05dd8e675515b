// No console window on Windows release builds; the CLI still writes to the parent console.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    std::process::exit(entryguard_app::main());
}
