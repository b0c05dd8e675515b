//! `entryguard credentials …`: add, list, show, verify, rotate and delete.
//!
//! Commands that store a secret verify it before printing, in this process (no window may
//! be running), so the row printed already says whether the provider accepted it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use entryguard_core::listing::{ListPage, ListQuery, SortDir, SortKey};
use entryguard_core::{
    fields, CredentialService, CredentialType, CredentialView, NewCredential, Provider,
    ProviderSpec, SecretString, Status, Verifier, VerifierConfig,
};

use super::import::ImportCommand;
use super::output::{credentials, print_list, print_one, shown};
use super::prompt::{confirm, read_secret, read_secret_file, SecretSource, Unattended};
use super::CliError;

#[derive(Subcommand)]
pub(super) enum CredentialsCommand {
    /// Adds a credential; its secret is read from stdin, --secret-file or --secret-env.
    Add(Box<AddArgs>),
    /// Lists credentials, newest first, or as the flags narrow and order them.
    List(ListArgs),
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

/// Which credentials `list` prints, and in what order.
#[derive(Args)]
pub(super) struct ListArgs {
    #[arg(long)]
    json: bool,
    /// Only credentials whose last decision is older than the re-check interval.
    #[arg(long)]
    stale: bool,
    /// Only credentials whose name, identity or key hint contains TEXT, in any case.
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    #[arg(long, value_enum)]
    provider: Option<ProviderArg>,
    #[arg(long, value_enum)]
    status: Option<StatusArg>,
    /// Only credentials with this environment label, exactly.
    #[arg(long)]
    environment: Option<String>,
    /// The column to order by; dates and key age start newest and oldest first, the
    /// others A to Z. Ties are listed newest first.
    #[arg(long, value_enum, default_value = "created")]
    sort: SortArg,
    /// The column's other order.
    #[arg(long)]
    reverse: bool,
    /// Matching credentials to skip first.
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: u32,
    /// Print at most N credentials.
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
}

impl ListArgs {
    fn query(self) -> ListQuery {
        let sort = match self.sort {
            SortArg::Name => SortKey::Name,
            SortArg::Provider => SortKey::Provider,
            SortArg::Type => SortKey::Type,
            SortArg::Status => SortKey::Status,
            SortArg::Created => SortKey::CreatedAt,
            SortArg::KeyAge => SortKey::KeyAge,
        };
        let dir = match (sort.first_direction(), self.reverse) {
            (dir, false) => dir,
            (SortDir::Asc, true) => SortDir::Desc,
            (SortDir::Desc, true) => SortDir::Asc,
        };
        ListQuery {
            sort,
            dir,
            text: self.search.unwrap_or_default(),
            provider: self.provider.map(Provider::from),
            status: self.status.map(|s| match s {
                StatusArg::Valid => Status::Valid,
                StatusArg::Invalid => Status::Invalid,
                StatusArg::Unverified => Status::Unverified,
            }),
            environment: self.environment,
            stale: self.stale,
            offset: self.offset,
            limit: self.limit,
        }
    }
}

/// The line under a list that shows part of the vault: which rows of how many.
fn narrowed(page: &ListPage, offset: u32) -> String {
    let (matching, total) = (page.matching, page.total);
    let verb = if matching == 1 { "matches" } else { "match" };
    match page.rows.len() as u32 {
        0 if matching == 0 && total == 1 => "The vault's one credential does not match.".into(),
        0 if matching == 0 => format!("None of the {total} credentials matches."),
        0 => format!(
            "{matching} of {} {verb}; none after the first {offset}.",
            credentials(total)
        ),
        1 => format!(
            "Credential {} of {matching} matching ({total} in the vault).",
            offset + 1
        ),
        n => format!(
            "Credentials {}–{} of {matching} matching ({total} in the vault).",
            offset + 1,
            offset + n
        ),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Name,
    Provider,
    Type,
    Status,
    Created,
    KeyAge,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Valid,
    Invalid,
    Unverified,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProviderArg {
    Aws,
    Gcp,
    Azure,
    Apisix,
}

#[derive(Args)]
pub(super) struct AddArgs {
    #[arg(long)]
    name: String,
    #[arg(long, value_enum)]
    provider: ProviderArg,
    /// Credential type; defaults to the provider's only type.
    #[arg(long = "type", value_name = "TYPE")]
    credential_type: Option<CredentialType>,
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
pub(super) struct FieldArgs {
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

impl CredentialsCommand {
    pub(super) fn run(self, service: &Arc<CredentialService>) -> Result<(), CliError> {
        match self {
            CredentialsCommand::Add(args) => {
                let json = args.json;
                let created = service.create(new_credential(*args)?)?;
                print_one(&check_now(service, &[created.id], false)?[0], json);
            }
            CredentialsCommand::List(args) => {
                let (json, offset) = (args.json, args.offset);
                let page = service.page(&args.query())?;
                print_list(&page.rows, json);
                if !json && page.rows.len() < page.total as usize {
                    println!("{}", narrowed(&page, offset));
                }
            }
            CredentialsCommand::Show { id, json } => print_one(&service.resolve(&id)?, json),
            CredentialsCommand::Verify { id, wait, json } => {
                let id = service.resolve(&id)?.id;
                print_one(&check_now(service, &[id], wait)?[0], json);
            }
            CredentialsCommand::Rotate { id, fields, json } => {
                let current = service.resolve(&id)?;
                let spec = spec_from(
                    current.provider,
                    *fields,
                    &service.public_fields(&current.id)?,
                )?;
                service.rotate(&current.id, spec)?;
                print_one(&check_now(service, &[current.id], false)?[0], json);
            }
            CredentialsCommand::Import(command) => command.run(service)?,
            CredentialsCommand::Delete { id, yes } => {
                let view = service.resolve(&id)?;
                confirm(
                    yes,
                    Unattended::Refuse("delete"),
                    &format!(
                        "Deleting “{}” also deletes all cloud resources associated with it ({}). Make sure no active sessions depend on those resources.\n\
                         Type the credential's name to confirm: ",
                        shown(&view.name), view.resource_count
                    ),
                    |answer| answer == view.name,
                    "not deleted",
                )?;
                service.delete(&view.id)?;
                println!("Deleted {} ({}).", shown(&view.name), view.id);
            }
        }
        Ok(())
    }
}

/// Runs verification in this process and waits for each credential's current attempt (or,
/// with `until_decided`, for Valid/Invalid).
pub(super) fn check_now(
    service: &Arc<CredentialService>,
    ids: &[String],
    until_decided: bool,
) -> Result<Vec<CredentialView>, CliError> {
    // One thread, like the app's verifier (Verifier::start): checks never wait on each
    // other for the vault's connection.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
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

fn new_credential(args: AddArgs) -> Result<NewCredential, CliError> {
    Ok(NewCredential {
        name: args.name,
        environment: args.environment,
        credential_type: args.credential_type,
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
    let secret = |key: &str| -> Result<SecretString, CliError> {
        Ok(SecretString::from(
            read_secret(&args.secret, fields::label(key))?
                .trim()
                .to_owned(),
        ))
    };
    Ok(match provider {
        Provider::Aws => {
            let key_id = need(
                keep(args.access_key_id.clone(), "access_key_id"),
                "--access-key-id",
            )?;
            let text = read_secret(&args.secret, fields::label("secret_access_key"))?;
            let mut lines = text.lines().map(str::trim);
            let secret_access_key = SecretString::from(lines.next().unwrap_or_default().to_owned());
            let mut session_token = lines
                .next()
                .filter(|t| !t.is_empty())
                .map(|t| SecretString::from(t.to_owned()));
            // Temporary (ASIA…) keys come with a token; a prompt takes one line at a time.
            if session_token.is_none() && key_id.starts_with("ASIA") && args.secret.prompts() {
                session_token = Some(secret("session_token")?);
            }
            ProviderSpec::Aws {
                access_key_id: key_id,
                secret_access_key,
                session_token,
                region: keep(args.region, "region"),
            }
        }
        Provider::Apisix => ProviderSpec::Apisix {
            endpoint: need(keep(args.endpoint.clone(), "endpoint"), "--endpoint")?,
            admin_key: secret("admin_key")?,
        },
        Provider::Azure => ProviderSpec::Azure {
            tenant_id: need(keep(args.tenant_id.clone(), "tenant_id"), "--tenant-id")?,
            client_id: need(keep(args.client_id.clone(), "client_id"), "--client-id")?,
            client_secret: secret("client_secret")?,
        },
        Provider::Gcp => ProviderSpec::Gcp {
            service_account_json: match &args.key_file {
                Some(path) => SecretString::from(
                    read_secret_file(path, fields::label("service_account_json"))?.to_string(),
                ),
                // A key file is many lines, which a one-line prompt cannot take.
                None if args.secret.prompts() => {
                    return Err(CliError::Usage(
                        "give the service account's key file with --key-file PATH (or \
                         --secret-file PATH, or on stdin)"
                            .into(),
                    ))
                }
                None => secret("service_account_json")?,
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::narrowed;
    use entryguard_core::listing::ListPage;

    fn empty_page(matching: u32, total: u32) -> ListPage {
        ListPage {
            offset: 0,
            rows: Vec::new(),
            matching,
            total,
            environments: Vec::new(),
        }
    }

    #[test]
    fn an_empty_part_of_the_list_is_told_in_plain_grammar() {
        let cases = [
            (0, 1, 0, "The vault's one credential does not match."),
            (0, 3, 0, "None of the 3 credentials matches."),
            (
                1,
                3,
                5,
                "1 of 3 credentials matches; none after the first 5.",
            ),
            (
                1,
                1,
                1,
                "1 of 1 credential matches; none after the first 1.",
            ),
            (2, 3, 5, "2 of 3 credentials match; none after the first 5."),
        ];
        for (matching, total, offset, told) in cases {
            assert_eq!(narrowed(&empty_page(matching, total), offset), told);
        }
    }
}
