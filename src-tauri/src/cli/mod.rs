//! The command line: `entryguard credentials …` over the same vault as the window.
//!
//! Secrets never travel on argv (it shows in `ps` and shell history): they come from stdin
//! (piped, or a hidden prompt on a terminal), `--secret-file` or `--secret-env`; see
//! [`prompt`]. Scripts get JSON with `--json` and can rely on the exit code: 0 ok, 1 error,
//! 2 usage.
//!
//! This module holds the top-level parser and dispatch; each command group lives in its own
//! module (`credentials`, `import`, `settings`, `vault`), and what they print and ask is shared
//! (`output`, `prompt`) so every command reads and writes the same way.

mod credentials;
mod import;
mod output;
mod prompt;
mod settings;
mod vault;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use crate::AppError;

#[derive(Parser)]
#[command(
    name = "entryguard",
    version,
    about = "EntryGuard desktop: cloud credentials in your OS keychain.\n\nWith no command, opens the window."
)]
struct Cli {
    /// Where the vault lives (default: the OS app-data dir).
    #[arg(long, env = "ENTRYGUARD_DATA_DIR", global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Add, list, show, verify, rotate and delete credentials.
    #[command(subcommand)]
    Credentials(credentials::CredentialsCommand),
    /// The audit trail of every credential, or of one.
    Audit(vault::AuditArgs),
    /// The vault's master key: status and reset.
    #[command(subcommand)]
    Vault(vault::VaultCommand),
    /// Preferences: re-check interval, notifications, expiry and key-age warnings.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Prints a shell completion script.
    Completions { shell: clap_complete::Shell },
}

/// Exit codes: 0 ok, 1 error, 2 usage.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let data_dir = match crate::resolve_data_dir(cli.data_dir) {
        Ok(d) => d,
        Err(e) => return fail(&e.to_string()),
    };
    let Some(command) = cli.command else {
        return match crate::run_window(data_dir) {
            Ok(()) => 0,
            Err(e) => fail(&e.to_string()),
        };
    };
    if let Command::Completions { shell } = command {
        clap_complete::generate(
            shell,
            &mut Cli::command(),
            "entryguard",
            &mut std::io::stdout(),
        );
        return 0;
    }
    match run(command, data_dir) {
        Ok(()) => 0,
        Err(CliError::Usage(msg)) => {
            eprintln!("error: {}", output::shown(&msg));
            2
        }
        Err(CliError::Failed(msg)) => fail(&msg),
    }
}

fn fail(msg: &str) -> i32 {
    eprintln!("error: {}", output::shown(msg));
    1
}

/// How a command fails: `Usage` (exit 2) when the invocation was wrong, `Failed` (exit 1)
/// otherwise.
enum CliError {
    Usage(String),
    Failed(String),
}

impl From<entryguard_core::Error> for CliError {
    fn from(e: entryguard_core::Error) -> Self {
        CliError::Failed(e.to_string())
    }
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        CliError::Failed(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Failed(e.to_string())
    }
}

fn run(command: Command, data_dir: PathBuf) -> Result<(), CliError> {
    crate::logging::init_cli();
    let service = crate::open_service(&data_dir)?;
    match command {
        Command::Credentials(command) => command.run(&service),
        Command::Audit(args) => args.run(&service),
        Command::Vault(command) => command.run(&service),
        Command::Settings(command) => command.run(&service),
        Command::Completions { .. } => unreachable!("handled before opening the vault"),
    }
}
