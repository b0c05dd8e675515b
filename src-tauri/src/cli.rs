//! The command line: `entryguard credentials …` over the same vault as the window.
//!
//! Secrets never travel on argv (it shows in `ps` and shell history): they come from stdin
//! (piped, or a hidden prompt on a terminal), `--secret-file` or `--secret-env`.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use entryguard_core::{
    CredentialService, CredentialView, NewCredential, ProviderSpec, SecretString, Status, Verifier,
    VerifierConfig,
};

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
    Credentials(CredentialsCommand),
    /// The audit trail of every credential, or of one.
    Audit {
        #[arg(long, value_name = "ID")]
        credential: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Prints a shell completion script.
    Completions { shell: clap_complete::Shell },
}

#[derive(Subcommand)]
enum CredentialsCommand {
    /// Adds a credential; its secret is read from stdin, --secret-file or --secret-env.
    Add(Box<AddArgs>),
    /// Lists credentials.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Shows one credential (by id, unique id prefix, or name).
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Checks a credential with its provider now and prints the outcome.
    Verify {
        id: String,
        /// Keep waiting through retries until it is Valid or Invalid.
        #[arg(long)]
        wait: bool,
        #[arg(long)]
        json: bool,
    },
    /// Deletes a credential and every cloud resource associated with it.
    Delete {
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ProviderArg {
    Aws,
    Gcp,
    Azure,
    Apisix,
}

#[derive(Args)]
struct AddArgs {
    #[arg(long)]
    name: String,
    #[arg(long, value_enum)]
    provider: ProviderArg,
    /// Credential type; defaults to the provider's only type.
    #[arg(long = "type", value_name = "TYPE")]
    credential_type: Option<String>,
    /// A label such as production or staging.
    #[arg(long)]
    environment: Option<String>,
    /// AWS access key ID (AKIA… or ASIA…).
    #[arg(long)]
    access_key_id: Option<String>,
    /// AWS region (default us-east-1).
    #[arg(long)]
    region: Option<String>,
    /// APISIX Admin API URL.
    #[arg(long)]
    endpoint: Option<String>,
    /// Azure tenant (directory) ID.
    #[arg(long)]
    tenant_id: Option<String>,
    /// Azure application (client) ID.
    #[arg(long)]
    client_id: Option<String>,
    /// GCP service-account key file (JSON).
    #[arg(long, value_name = "PATH")]
    key_file: Option<PathBuf>,
    #[command(flatten)]
    secret: SecretSource,
    #[arg(long)]
    json: bool,
}

/// Where a secret comes from; never argv.
#[derive(Args)]
struct SecretSource {
    /// Read the secret from this file (first line; AWS: a second line is the session token).
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
    /// Read the secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
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
            eprintln!("error: {msg}");
            2
        }
        Err(CliError::Failed(msg)) => fail(&msg),
    }
}

fn fail(msg: &str) -> i32 {
    eprintln!("error: {msg}");
    1
}

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

fn run(command: Command, data_dir: PathBuf) -> Result<(), CliError> {
    let service = crate::open_service(&data_dir)?;
    match command {
        Command::Credentials(CredentialsCommand::Add(args)) => {
            let json = args.json;
            let input = new_credential(*args)?;
            let created = service.create(input)?;
            let view = check_now(&service, &created.id, false)?;
            print_rows(&[view], json);
        }
        Command::Credentials(CredentialsCommand::List { json }) => {
            print_rows(&service.list()?, json)
        }
        Command::Credentials(CredentialsCommand::Show { id, json }) => {
            print_rows(&[service.resolve(&id)?], json)
        }
        Command::Credentials(CredentialsCommand::Verify { id, wait, json }) => {
            let id = service.resolve(&id)?.id;
            print_rows(&[check_now(&service, &id, wait)?], json);
        }
        Command::Credentials(CredentialsCommand::Delete { id, yes }) => {
            let view = service.resolve(&id)?;
            if !yes && !confirm_delete(&view)? {
                return Err(CliError::Failed("not deleted".into()));
            }
            service.delete(&view.id)?;
            println!("Deleted {} ({}).", view.name, view.id);
        }
        Command::Audit { credential, json } => {
            let id = credential
                .map(|c| service.resolve(&c).map(|v| v.id))
                .transpose()?;
            let events = service.audit_events(id.as_deref())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&events).expect("audit events serialize")
                );
            } else {
                for e in events {
                    println!(
                        "{}  {:<18} {:<24} {}",
                        e.at,
                        e.kind,
                        e.credential_name.unwrap_or_default(),
                        e.details
                    );
                }
            }
        }
        Command::Completions { .. } => unreachable!("handled before opening the vault"),
    }
    Ok(())
}

/// Runs verification in this process and waits for the current attempt (or, with `until_decided`, for Valid/Invalid).
fn check_now(
    service: &Arc<CredentialService>,
    id: &str,
    until_decided: bool,
) -> Result<CredentialView, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(e.to_string()))?;
    runtime.block_on(async {
        Verifier::spawn(service.clone(), VerifierConfig::from_env());
        service.request_verification(id)?;
        let deadline =
            tokio::time::Instant::now() + Duration::from_secs(if until_decided { 120 } else { 30 });
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let view = service.get(id)?;
            let decided = view.status != Status::Unverified;
            if (!view.checking && (decided || !until_decided))
                || tokio::time::Instant::now() > deadline
            {
                return Ok(view);
            }
        }
    })
}

fn confirm_delete(view: &CredentialView) -> Result<bool, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "refusing to delete without a terminal to confirm on; pass --yes".into(),
        ));
    }
    eprintln!(
        "Deleting “{}” also deletes all cloud resources associated with it ({}). Make sure no active sessions depend on those resources.",
        view.name, view.resource_count
    );
    eprint!("Type the credential's name to confirm: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError::Failed(e.to_string()))?;
    Ok(answer.trim() == view.name)
}

fn required(value: Option<String>, flag: &str, provider: &str) -> Result<String, CliError> {
    value.ok_or_else(|| CliError::Usage(format!("{flag} is required for --provider {provider}")))
}

fn new_credential(args: AddArgs) -> Result<NewCredential, CliError> {
    let credential_type = match &args.credential_type {
        None => None,
        Some(t) => Some(
            serde_json::from_value(serde_json::Value::String(t.to_uppercase()))
                .map_err(|_| CliError::Usage(format!("unknown --type {t}")))?,
        ),
    };
    let spec = match args.provider {
        ProviderArg::Aws => {
            let key_id = required(args.access_key_id, "--access-key-id", "aws")?;
            let secret = read_secret(&args.secret, "Secret Access Key")?;
            let mut lines = secret.lines().map(str::trim);
            let secret_access_key = SecretString::from(lines.next().unwrap_or_default().to_owned());
            let session_token = lines
                .next()
                .filter(|t| !t.is_empty())
                .map(|t| SecretString::from(t.to_owned()));
            ProviderSpec::Aws {
                access_key_id: key_id,
                secret_access_key,
                session_token,
                region: args.region,
            }
        }
        ProviderArg::Apisix => ProviderSpec::Apisix {
            endpoint: required(args.endpoint, "--endpoint", "apisix")?,
            admin_key: SecretString::from(
                read_secret(&args.secret, "Admin API Key")?
                    .trim()
                    .to_owned(),
            ),
        },
        ProviderArg::Azure => ProviderSpec::Azure {
            tenant_id: required(args.tenant_id, "--tenant-id", "azure")?,
            client_id: required(args.client_id, "--client-id", "azure")?,
            client_secret: SecretString::from(
                read_secret(&args.secret, "Client Secret")?
                    .trim()
                    .to_owned(),
            ),
        },
        ProviderArg::Gcp => {
            let json = match &args.key_file {
                Some(path) => std::fs::read_to_string(path).map_err(|e| {
                    CliError::Failed(format!("cannot read {}: {e}", path.display()))
                })?,
                None => read_secret(&args.secret, "Service Account Key (JSON)")?.to_string(),
            };
            ProviderSpec::Gcp {
                service_account_json: SecretString::from(json),
            }
        }
    };
    Ok(NewCredential {
        name: args.name,
        environment: args.environment,
        credential_type,
        spec,
    })
}

/// Reads a secret from a file, an environment variable, a hidden prompt, or piped stdin.
fn read_secret(source: &SecretSource, label: &str) -> Result<zeroize::Zeroizing<String>, CliError> {
    let text = if let Some(path) = &source.secret_file {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::Failed(format!("cannot read {}: {e}", path.display())))?
    } else if let Some(var) = &source.secret_env {
        std::env::var(var)
            .map_err(|_| CliError::Usage(format!("environment variable {var} is not set")))?
    } else if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{label}: "))
            .map_err(|e| CliError::Failed(e.to_string()))?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| CliError::Failed(e.to_string()))?;
        s
    };
    let text = zeroize::Zeroizing::new(text);
    if text.trim().is_empty() {
        return Err(CliError::Usage(format!(
            "no {label} given: pipe it on stdin, or use --secret-file or --secret-env"
        )));
    }
    Ok(text)
}

fn print_rows(rows: &[CredentialView], json: bool) {
    if json {
        let rows: Vec<_> = rows.iter().map(json_row).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).expect("rows serialize")
        );
        return;
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    println!(
        "{:<36}  {:<24}  {:<7} {:<19} {:<10}  {:<12}  REASON",
        "ID", "NAME", "PROVIDER", "TYPE", "STATUS", "HINT"
    );
    for r in rows {
        let status = r.status.as_str();
        let painted = match (color, r.status) {
            (false, _) => format!("{status:<10}"),
            (true, Status::Valid) => format!("\x1b[32m{status:<10}\x1b[0m"),
            (true, Status::Invalid) => format!("\x1b[31m{status:<10}\x1b[0m"),
            (true, Status::Unverified) => format!("\x1b[90m{status:<10}\x1b[0m"),
        };
        println!(
            "{:<36}  {:<24}  {:<8} {:<19} {}  {:<12}  {}",
            r.id,
            truncate(&r.name, 24),
            r.provider.as_str(),
            r.credential_type.as_str(),
            painted,
            r.hint,
            r.status_reason.as_deref().unwrap_or("")
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

/// The documented JSON row (DESIGN.md §6).
fn json_row(r: &CredentialView) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "name": r.name,
        "provider": r.provider,
        "type": r.credential_type,
        "environment": r.environment,
        "status": r.status,
        "status_reason": r.status_reason,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "verified_at": r.verified_at,
        "identity": r.identity,
        "hint": r.hint,
    })
}
