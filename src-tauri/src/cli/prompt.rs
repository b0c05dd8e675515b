//! What the CLI reads from the person at the terminal: confirmations and secrets.
//!
//! A confirmation is only ever read from a terminal. Without one (a script, a pipe) there
//! is nobody to ask, so a destructive command refuses unless `--yes` instead of taking
//! whatever stdin holds as the answer. A secret is read from a file, an environment
//! variable, a hidden prompt or piped stdin, never argv.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::Args;
use zeroize::Zeroizing;

use super::CliError;

/// Where a secret comes from; never argv.
#[derive(Args)]
pub(super) struct SecretSource {
    /// Read the secret from this file (first line; AWS: a second line is the session token).
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
    /// Read the secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
}

impl SecretSource {
    /// True when the secret will be asked for at a hidden prompt: one line, typed or pasted.
    pub(super) fn prompts(&self) -> bool {
        self.secret_file.is_none() && self.secret_env.is_none() && std::io::stdin().is_terminal()
    }
}

/// What `confirm` does when stdin is not a terminal.
pub(super) enum Unattended {
    /// Refuse (a usage error) to `verb` unconfirmed: the caller needs `--yes`.
    Refuse(&'static str),
    /// Go ahead, as if confirmed.
    Proceed,
}

/// Unless `yes`, shows `prompt` on stderr and reads one line from the terminal; `Ok` when
/// the trimmed answer passes `accept`, else fails with `declined` (e.g. "not deleted").
pub(super) fn confirm(
    yes: bool,
    unattended: Unattended,
    prompt: &str,
    accept: impl FnOnce(&str) -> bool,
    declined: &str,
) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return match unattended {
            Unattended::Refuse(verb) => Err(CliError::Usage(format!(
                "refusing to {verb} without a terminal to confirm on; pass --yes"
            ))),
            Unattended::Proceed => Ok(()),
        };
    }
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if accept(answer.trim()) {
        Ok(())
    } else {
        Err(CliError::Failed(declined.into()))
    }
}

/// Where a backup's passphrase comes from; never argv.
#[derive(Args)]
pub(super) struct PassphraseSource {
    /// Read the passphrase from this file (its first line).
    #[arg(long, value_name = "PATH")]
    passphrase_file: Option<PathBuf>,
    /// Read the passphrase from this environment variable.
    #[arg(long, value_name = "VAR")]
    passphrase_env: Option<String>,
}

/// The most a secret or passphrase read from a file or stdin may be (a GCP key is ~2.3 KB).
const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Reads a secret from a file, an environment variable, a hidden prompt, or piped stdin.
/// `label` names it in the prompt and in the error when it is empty.
pub(super) fn read_secret(
    source: &SecretSource,
    label: &str,
) -> Result<Zeroizing<String>, CliError> {
    let flags = ("--secret-file", "--secret-env");
    read_hidden(
        source.secret_file.as_deref(),
        source.secret_env.as_deref(),
        label,
        flags,
    )
}

/// A backup passphrase; on a terminal, asked twice when `confirm_twice` (a new backup).
pub(super) fn read_passphrase(
    source: &PassphraseSource,
    confirm_twice: bool,
) -> Result<entryguard_core::SecretString, CliError> {
    let (file, env) = (
        source.passphrase_file.as_deref(),
        source.passphrase_env.as_deref(),
    );
    let flags = ("--passphrase-file", "--passphrase-env");
    let first = read_hidden(file, env, "Backup passphrase", flags)?;
    if confirm_twice && file.is_none() && env.is_none() && std::io::stdin().is_terminal() {
        let again = Zeroizing::new(rpassword::prompt_password("Type it again: ")?);
        refuse_pasted_lines("passphrase")?;
        if again.as_str() != first.as_str() {
            return Err(CliError::Failed(
                "the two passphrases differ; nothing was written".into(),
            ));
        }
    }
    Ok(first.lines().next().unwrap_or_default().to_owned().into())
}

/// A paste of several lines at a hidden prompt is read up to its first line; the rest stays
/// in the terminal, where the shell would run it (a session token, a key file's lines) as
/// commands, and keep it in its history, once this exits. That rest is dropped, and the
/// input refused.
#[cfg(unix)]
fn refuse_pasted_lines(label: &str) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    if rustix::io::ioctl_fionread(&stdin).unwrap_or(0) == 0 {
        return Ok(());
    }
    let _ = rustix::termios::tcflush(&stdin, rustix::termios::QueueSelector::IFlush);
    Err(CliError::Usage(format!(
        "the {label} pasted had more than one line; the rest was dropped so that your shell \
         does not run it. Give it with --secret-file PATH or on stdin"
    )))
}

/// Not handled on Windows yet, whose console keeps the rest of a paste too.
#[cfg(not(unix))]
fn refuse_pasted_lines(_: &str) -> Result<(), CliError> {
    Ok(())
}

/// A file holding a secret (`--secret-file`, `--key-file`), read to at most
/// [`MAX_SECRET_BYTES`]: a wrong path (a log, `/dev/zero`, a pipe that never ends) is an
/// error, not the process filling its memory.
pub(super) fn read_secret_file(
    path: &std::path::Path,
    label: &str,
) -> Result<Zeroizing<String>, CliError> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::Failed(format!("cannot read {}: {e}", path.display())))?;
    read_bounded(file, &path.display().to_string(), label)
}

fn read_bounded(input: impl Read, name: &str, label: &str) -> Result<Zeroizing<String>, CliError> {
    let mut bytes = Zeroizing::new(Vec::new());
    input
        .take(MAX_SECRET_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Failed(format!("cannot read {name}: {e}")))?;
    if bytes.len() as u64 > MAX_SECRET_BYTES {
        return Err(CliError::Failed(format!(
            "{name} holds more than 64 KiB; give only the {label}"
        )));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| CliError::Failed(format!("{name} is not text; give only the {label}")))?;
    Ok(Zeroizing::new(text.to_owned()))
}

fn read_hidden(
    file: Option<&std::path::Path>,
    env: Option<&str>,
    label: &str,
    (file_flag, env_flag): (&str, &str),
) -> Result<Zeroizing<String>, CliError> {
    let text = Zeroizing::new(if let Some(path) = file {
        read_secret_file(path, label)?.to_string()
    } else if let Some(var) = env {
        std::env::var(var)
            .map_err(|_| CliError::Usage(format!("environment variable {var} is not set")))?
    } else if std::io::stdin().is_terminal() {
        let line = Zeroizing::new(rpassword::prompt_password(format!("{label}: "))?);
        refuse_pasted_lines(label)?;
        line.to_string()
    } else {
        read_bounded(std::io::stdin(), "stdin", label)?.to_string()
    });
    if text.trim().is_empty() {
        return Err(CliError::Usage(format!(
            "no {label} given: pipe it on stdin, or use {file_flag} or {env_flag}"
        )));
    }
    Ok(text)
}
