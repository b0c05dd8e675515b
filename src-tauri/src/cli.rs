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
    CredentialService, CredentialView, ImportSelection, NewCredential, Provider, ProviderSpec,
    SecretString, Status, Verifier, VerifierConfig,
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
    /// The vault's master key: status and reset.
    #[command(subcommand)]
    Vault(VaultCommand),
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
    /// Replaces a credential's secret in place (same id, name and history); the new secret
    /// is read like `add`'s. Flags left out keep their current values.
    Rotate {
        id: String,
        #[command(flatten)]
        fields: Box<FieldArgs>,
        #[arg(long)]
        json: bool,
    },
    /// Imports credentials from elsewhere.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Deletes a credential and every cloud resource associated with it.
    Delete {
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Imports AWS profiles with static keys from a shared credentials file (read, never
    /// modified). Profiles become credentials named after them; existing names are skipped.
    AwsProfiles {
        /// The credentials file (default: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials).
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// Import only this profile (repeatable; default: every importable profile).
        #[arg(long = "profile", value_name = "NAME")]
        profiles: Vec<String>,
        /// Import PROFILE under another name (repeatable).
        #[arg(long, value_name = "PROFILE=NAME")]
        rename: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum VaultCommand {
    /// Says whether the master key is available, and what to do if not.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Discards every stored secret and starts a new master key (names, statuses and the
    /// audit trail stay; rotate each credential afterwards).
    Reset {
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
    #[command(flatten)]
    fields: FieldArgs,
    #[arg(long)]
    json: bool,
}

/// Provider fields that are not secret, plus where the secret comes from.
#[derive(Args)]
struct FieldArgs {
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
            print_rows(&check_now(&service, &[created.id], false)?, json);
        }
        Command::Credentials(CredentialsCommand::List { json }) => {
            print_rows(&service.list()?, json)
        }
        Command::Credentials(CredentialsCommand::Show { id, json }) => {
            print_rows(&[service.resolve(&id)?], json)
        }
        Command::Credentials(CredentialsCommand::Verify { id, wait, json }) => {
            let id = service.resolve(&id)?.id;
            print_rows(&check_now(&service, &[id], wait)?, json);
        }
        Command::Credentials(CredentialsCommand::Rotate { id, fields, json }) => {
            let current = service.resolve(&id)?;
            let spec = spec_from(
                current.provider,
                *fields,
                &service.public_fields(&current.id)?,
            )?;
            service.rotate(&current.id, spec)?;
            print_rows(&check_now(&service, &[current.id], false)?, json);
        }
        Command::Credentials(CredentialsCommand::Import(ImportCommand::AwsProfiles {
            file,
            profiles,
            rename,
            yes,
            json,
        })) => import_aws_profiles(&service, file, profiles, rename, yes, json)?,
        Command::Vault(VaultCommand::Status { json }) => {
            let status = service.vault_status();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&status).expect("status serializes")
                );
            } else if status.message.is_empty() {
                println!("ready: the master key is available");
            } else {
                println!("{}", status.message);
            }
        }
        Command::Vault(VaultCommand::Reset { yes }) => {
            if !yes {
                if !std::io::stdin().is_terminal() {
                    return Err(CliError::Usage(
                        "refusing to reset without a terminal to confirm on; pass --yes".into(),
                    ));
                }
                eprint!("This discards every stored secret (names, statuses and history stay). Type RESET to confirm: ");
                let _ = std::io::stderr().flush();
                let mut answer = String::new();
                std::io::stdin()
                    .read_line(&mut answer)
                    .map_err(|e| CliError::Failed(e.to_string()))?;
                if answer.trim() != entryguard_core::service::RESET_CONFIRMATION {
                    return Err(CliError::Failed("not reset".into()));
                }
            }
            service.reset_vault(entryguard_core::service::RESET_CONFIRMATION)?;
            println!("Vault reset: stored secrets discarded; rotate each credential to enter its secret again.");
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

fn import_aws_profiles(
    service: &Arc<CredentialService>,
    file: Option<PathBuf>,
    profiles: Vec<String>,
    rename: Vec<String>,
    yes: bool,
    json: bool,
) -> Result<(), CliError> {
    let preview = service.import_preview(file.as_deref())?;
    let renames: Vec<(&str, &str)> = rename
        .iter()
        .map(|r| {
            r.split_once('=')
                .ok_or_else(|| CliError::Usage(format!("--rename takes PROFILE=NAME, not {r}")))
        })
        .collect::<Result<_, _>>()?;
    for p in &profiles {
        if !preview.candidates.iter().any(|c| &c.profile == p) {
            return Err(CliError::Failed(format!(
                "no profile named “{p}” in {}",
                preview.file
            )));
        }
    }
    let selections: Vec<ImportSelection> = preview
        .candidates
        .iter()
        .filter(|c| {
            if profiles.is_empty() {
                c.importable
            } else {
                profiles.contains(&c.profile)
            }
        })
        .map(|c| ImportSelection {
            profile: c.profile.clone(),
            name: renames
                .iter()
                .find(|(p, _)| *p == c.profile)
                .map_or(c.profile.clone(), |(_, n)| (*n).to_owned()),
        })
        .collect();
    if !json {
        println!("{}:", preview.file);
        for c in &preview.candidates {
            let note = match (&c.reason, c.name_exists) {
                (Some(reason), _) => format!("not importable: {reason}"),
                (None, true) => "a credential with this name exists; use --rename".into(),
                (None, false) => String::new(),
            };
            println!(
                "  {:<24} {:<12} {:<14} {note}",
                c.profile,
                c.access_key_hint.as_deref().unwrap_or("-"),
                c.region.as_deref().unwrap_or("-")
            );
        }
    }
    if !yes && std::io::stdin().is_terminal() {
        eprint!("Import {} profile(s)? [y/N] ", selections.len());
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .map_err(|e| CliError::Failed(e.to_string()))?;
        if !answer.trim().eq_ignore_ascii_case("y") {
            return Err(CliError::Failed("nothing imported".into()));
        }
    }
    let result = service.import_profiles(file.as_deref(), &selections)?;
    let ids: Vec<String> = result.imported.iter().map(|v| v.id.clone()).collect();
    let verified = check_now(service, &ids, false)?;
    if json {
        let out = serde_json::json!({
            "imported": verified.iter().map(json_row).collect::<Vec<_>>(),
            "skipped": result.skipped.iter().map(|s| serde_json::json!({"profile": s.profile, "reason": s.reason})).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).expect("import result serializes")
        );
    } else {
        print_rows(&verified, false);
        for s in &result.skipped {
            println!("skipped {}: {}", s.profile, s.reason);
        }
    }
    Ok(())
}

/// Runs verification in this process and waits for each credential's current attempt (or,
/// with `until_decided`, for Valid/Invalid).
fn check_now(
    service: &Arc<CredentialService>,
    ids: &[String],
    until_decided: bool,
) -> Result<Vec<CredentialView>, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(e.to_string()))?;
    runtime.block_on(async {
        Verifier::spawn(service.clone(), VerifierConfig::from_env());
        for id in ids {
            service.request_verification(id)?;
        }
        let deadline =
            tokio::time::Instant::now() + Duration::from_secs(if until_decided { 120 } else { 30 });
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let views = ids
                .iter()
                .map(|id| service.get(id))
                .collect::<Result<Vec<_>, _>>()?;
            let settled = views
                .iter()
                .all(|v| !v.checking && (v.status != Status::Unverified || !until_decided));
            if settled || tokio::time::Instant::now() > deadline {
                return Ok(views);
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

fn new_credential(args: AddArgs) -> Result<NewCredential, CliError> {
    let credential_type = match &args.credential_type {
        None => None,
        Some(t) => Some(
            serde_json::from_value(serde_json::Value::String(t.to_uppercase()))
                .map_err(|_| CliError::Usage(format!("unknown --type {t}")))?,
        ),
    };
    Ok(NewCredential {
        name: args.name,
        environment: args.environment,
        credential_type,
        spec: spec_from(args.provider.into(), args.fields, &serde_json::Value::Null)?,
    })
}

impl From<ProviderArg> for Provider {
    fn from(p: ProviderArg) -> Provider {
        match p {
            ProviderArg::Aws => Provider::Aws,
            ProviderArg::Gcp => Provider::Gcp,
            ProviderArg::Azure => Provider::Azure,
            ProviderArg::Apisix => Provider::Apisix,
        }
    }
}

/// Builds provider fields from flags and the secret source; a flag left out keeps the
/// value in `current` (rotation keeps the endpoint, tenant, region...).
fn spec_from(
    provider: Provider,
    args: FieldArgs,
    current: &serde_json::Value,
) -> Result<ProviderSpec, CliError> {
    let keep =
        |flag: Option<String>, key: &str| flag.or_else(|| current[key].as_str().map(str::to_owned));
    let need = |value: Option<String>, flag: &str| {
        value.ok_or_else(|| {
            CliError::Usage(format!(
                "{flag} is required for --provider {}",
                provider.as_str().to_lowercase()
            ))
        })
    };
    let secret = |label: &str| -> Result<SecretString, CliError> {
        Ok(SecretString::from(
            read_secret(&args.secret, label)?.trim().to_owned(),
        ))
    };
    Ok(match provider {
        Provider::Aws => {
            let key_id = need(
                keep(args.access_key_id.clone(), "access_key_id"),
                "--access-key-id",
            )?;
            let text = read_secret(&args.secret, "Secret Access Key")?;
            let mut lines = text.lines().map(str::trim);
            ProviderSpec::Aws {
                access_key_id: key_id,
                secret_access_key: SecretString::from(lines.next().unwrap_or_default().to_owned()),
                session_token: lines
                    .next()
                    .filter(|t| !t.is_empty())
                    .map(|t| SecretString::from(t.to_owned())),
                region: keep(args.region, "region"),
            }
        }
        Provider::Apisix => ProviderSpec::Apisix {
            endpoint: need(keep(args.endpoint.clone(), "endpoint"), "--endpoint")?,
            admin_key: secret("Admin API Key")?,
        },
        Provider::Azure => ProviderSpec::Azure {
            tenant_id: need(keep(args.tenant_id.clone(), "tenant_id"), "--tenant-id")?,
            client_id: need(keep(args.client_id.clone(), "client_id"), "--client-id")?,
            client_secret: secret("Client Secret")?,
        },
        Provider::Gcp => ProviderSpec::Gcp {
            service_account_json: match &args.key_file {
                Some(path) => SecretString::from(std::fs::read_to_string(path).map_err(|e| {
                    CliError::Failed(format!("cannot read {}: {e}", path.display()))
                })?),
                None => secret("Service Account Key (JSON)")?,
            },
        },
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
