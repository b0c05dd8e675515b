//! The CLI (`entryguard credentials …`) against the real keychain and moto.
//!
//! Each test uses its own data dir; moto comes from tests/fixtures/servers.py.

#[path = "../src-tauri/core/tests/support/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{Server, Stub};

const CANARY_SECRET: &str = "CLIcanarySECRETvalue0123456789abcdefghij";

struct Cli {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Cli {
    fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
            env: vec![("NO_COLOR".into(), "1".into())],
        }
    }

    /// A CLI whose AWS and Azure checks go to `moto` and the `fakes` (no propagation wait).
    fn against(moto: &Server, fakes: &Server) -> Cli {
        Cli::new()
            .with_env("AWS_ENDPOINT_URL_STS", &moto.endpoint())
            .with_env("AZURE_AUTHORITY_HOST", &fakes.str("/azure/authority"))
            .with_env("ENTRYGUARD_AWS_PROPAGATION_GRACE_SECS", "0")
    }

    fn with_env(mut self, key: &str, value: &str) -> Cli {
        self.env.push((key.into(), value.into()));
        self
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let child = self.start(args, stdin);
        child.wait_with_output().unwrap()
    }

    /// [`Cli::run`] for a command that could hang: killed, and the test failed, after 30 s.
    fn run_briefly(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self.start(args, stdin);
        assert!(
            ends_within_30_s(&mut child),
            "{args:?} still running after 30 s"
        );
        child.wait_with_output().unwrap()
    }

    fn start(&self, args: &[&str], stdin: &str) -> std::process::Child {
        let mut child = Command::new(env!("CARGO_BIN_EXE_entryguard"))
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child
    }

    fn json(&self, args: &[&str], stdin: &str) -> serde_json::Value {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// `credentials add` of a well-formed AWS key, plus `extra` flags; the secret goes on stdin.
fn add_aws<'a>(name: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let base = [
        "credentials",
        "add",
        "--name",
        name,
        "--provider",
        "aws",
        "--access-key-id",
        "AKIAIOSFODNN7EXAMPLE",
    ];
    [&base[..], extra].concat()
}

/// `vault restore FILE --yes` with the passphrase in `passphrase_env`.
fn restore(cli: &Cli, file: &std::path::Path, passphrase_env: &str, extra: &[&str]) -> Output {
    let file = file.to_str().unwrap();
    let args = [
        "vault",
        "restore",
        file,
        "--passphrase-env",
        passphrase_env,
        "--yes",
    ];
    cli.run(&[&args[..], extra].concat(), "")
}

/// `vault backup --out FILE` with the passphrase in `EG_PASSPHRASE`; it must succeed.
fn backup_to(cli: &Cli, file: &std::path::Path) -> Output {
    let out = cli.run(
        &[
            "vault",
            "backup",
            "--out",
            file.to_str().unwrap(),
            "--passphrase-env",
            "EG_PASSPHRASE",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    out
}

/// `credentials add` of a GCP key file named "gcp", plus `extra` flags.
fn add_gcp<'a>(key_file: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let base = [
        "credentials",
        "add",
        "--name",
        "gcp",
        "--provider",
        "gcp",
        "--key-file",
        key_file,
    ];
    [&base[..], extra].concat()
}

/// Runs the CLI on a terminal of its own (util-linux `script`), typing each `(after, text)`
/// once the terminal shows `after`; then a shell reads what the CLI left in the terminal's
/// input, as the admin's shell would. Returns all the terminal showed, ending with the CLI's
/// `exit=…` and the shell's `left:[…]`.
fn on_a_terminal(cli: &Cli, args: &[&str], typing: &[(&str, &str)]) -> String {
    let data_dir = cli.dir.path().to_str().unwrap();
    let command: Vec<String> = [env!("CARGO_BIN_EXE_entryguard"), "--data-dir", data_dir]
        .iter()
        .chain(args)
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let shell = format!(
        "{}; echo \"exit=$?\"; read -r -t 2 rest; echo \"left:[$rest]\"",
        command.join(" ")
    );
    let mut child = Command::new("script")
        .args(["-qec", &shell, "/dev/null"])
        .envs(cli.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("util-linux script");
    let shown = Arc::new(Mutex::new(String::new()));
    let mut out = child.stdout.take().unwrap();
    let reader = {
        let shown = shown.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = out.read(&mut buf) {
                shown
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let mut keyboard = child.stdin.take().unwrap();
    for (after, typed) in typing {
        let start = Instant::now();
        while !shown.lock().unwrap().contains(after) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no {after:?} on the terminal: {:?}",
                shown.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        keyboard.write_all(typed.as_bytes()).unwrap();
    }
    drop(keyboard);
    assert!(
        ends_within_30_s(&mut child),
        "still waiting on the terminal: {:?}",
        shown.lock().unwrap()
    );
    reader.join().unwrap();
    let shown = shown.lock().unwrap().clone();
    shown
}

/// Whether `child` exits within 30 s; killed if not.
fn ends_within_30_s(child: &mut std::process::Child) -> bool {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts that `value` is one credential row: an object with exactly the documented keys.
fn assert_row(value: &serde_json::Value) {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    let mut expected = [
        "id",
        "name",
        "provider",
        "type",
        "environment",
        "status",
        "status_reason",
        "created_at",
        "updated_at",
        "verified_at",
        "checked_at",
        "next_check_at",
        "stale",
        "expires_at",
        "identity",
        "hint",
    ];
    expected.sort();
    assert_eq!(keys, expected);
}

#[test]
fn help_offers_no_flag_that_takes_a_secret_value() {
    let out = Cli::new().run(&["credentials", "add", "--help"], "");
    let help = text(&out.stdout);
    assert!(help.contains("--secret-file") && help.contains("--secret-env"));
    for forbidden in [
        "--secret-access-key",
        "--secret ",
        "--admin-key",
        "--client-secret",
        "--session-token",
        "--password",
    ] {
        assert!(!help.contains(forbidden), "--help offers {forbidden}");
    }
}

#[test]
fn add_list_show_verify_and_delete_an_aws_key_against_moto() {
    let moto = Server::start("moto");
    let cli = Cli::new().with_env("AWS_ENDPOINT_URL_STS", &moto.endpoint());
    let key_id = moto.str("/access_key_id");
    let secret = moto.str("/secret_access_key");

    let added = cli.json(
        &[
            "credentials",
            "add",
            "--name",
            "AWS Production",
            "--provider",
            "aws",
            "--access-key-id",
            &key_id,
            "--environment",
            "production",
            "--json",
        ],
        &format!("{secret}\n"),
    );
    assert_row(&added);
    assert_eq!(added["status"], "VALID", "{added}");
    assert!(added["identity"]
        .as_str()
        .unwrap()
        .contains(&moto.str("/user_arn")));
    assert!(
        !added.to_string().contains(&secret),
        "the secret never comes back"
    );

    let id = added["id"].as_str().unwrap();
    let listed = cli.json(&["credentials", "list", "--json"], "");
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let by_name = cli.json(&["credentials", "show", "aws production", "--json"], "");
    assert_eq!(by_name["id"], id);
    let by_prefix = cli.json(&["credentials", "show", &id[..13], "--json"], "");
    assert_eq!(by_prefix["id"], id);
    let verified = cli.json(&["credentials", "verify", id, "--json"], "");
    assert_eq!(verified["status"], "VALID");

    let human = cli.run(&["credentials", "list"], "");
    assert!(
        text(&human.stdout).contains("AWS Production") && text(&human.stdout).contains("VALID")
    );

    let out = cli.run(&["credentials", "delete", id], "");
    assert_eq!(
        out.status.code(),
        Some(2),
        "no terminal to confirm on and no --yes"
    );
    let out = cli.run(&["credentials", "delete", id, "--yes"], "");
    assert!(out.status.success());
    assert!(cli
        .json(&["credentials", "list", "--json"], "")
        .as_array()
        .unwrap()
        .is_empty());

    let audit = cli.json(&["audit", "--json"], "");
    let kinds: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"created") && kinds.contains(&"deleted"),
        "{kinds:?}"
    );
}

#[test]
fn secrets_can_come_from_a_file_or_an_environment_variable() {
    let cli = Cli::new()
        .with_env("EG_TEST_SECRET", CANARY_SECRET)
        .with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    let file = cli.dir.path().join("secret.txt");
    std::fs::write(&file, format!("{CANARY_SECRET}\n")).unwrap();
    for (name, source) in [
        ("from env", ["--secret-env", "EG_TEST_SECRET"]),
        ("from file", ["--secret-file", file.to_str().unwrap()]),
    ] {
        let out = cli.run(&add_aws(name, &[source[0], source[1], "--json"]), "");
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(row["status"], "UNVERIFIED", "nothing listens on port 9");
        assert!(row["status_reason"].as_str().unwrap().contains("retrying"));
        assert!(
            !text(&out.stdout).contains(CANARY_SECRET)
                && !text(&out.stderr).contains(CANARY_SECRET)
        );
    }
}

#[test]
fn single_credential_commands_print_one_json_object_and_list_prints_an_array() {
    let cli = Cli::new().with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    let secret = format!("{CANARY_SECRET}\n");
    let added = cli.json(&add_aws("one", &["--json"]), &secret);
    assert_row(&added);
    let id = added["id"].as_str().unwrap();
    for args in [
        &["credentials", "show", id, "--json"][..],
        &["credentials", "verify", id, "--json"],
    ] {
        let row = cli.json(args, "");
        assert_row(&row);
        assert_eq!(row["id"], id, "{args:?}");
    }
    let rotated = cli.json(&["credentials", "rotate", id, "--json"], &secret);
    assert_row(&rotated);
    cli.json(&add_aws("two", &["--json"]), &secret);
    let listed = cli.json(&["credentials", "list", "--json"], "");
    let rows = listed
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {listed}"));
    assert_eq!(rows.len(), 2);
    rows.iter().for_each(assert_row);
}

#[test]
fn list_flags_narrow_order_and_page_the_credentials_and_say_which_part_is_shown() {
    let cli = Cli::new().with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    let secret = format!("{CANARY_SECRET}\n");
    for (name, env) in [
        ("Charlie", "prod"),
        ("alpha", "staging"),
        ("Bravo ÄÖ", "prod"),
    ] {
        cli.json(&add_aws(name, &["--environment", env, "--json"]), &secret);
    }
    let names = |args: &[&str]| -> Vec<String> {
        let rows = cli.json(&[&["credentials", "list", "--json"], args].concat(), "");
        let rows = rows
            .as_array()
            .unwrap_or_else(|| panic!("not an array: {rows}"));
        rows.iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&[]), ["Bravo ÄÖ", "alpha", "Charlie"], "newest first");
    assert_eq!(names(&["--sort", "name"]), ["alpha", "Bravo ÄÖ", "Charlie"]);
    assert_eq!(
        names(&["--sort", "name", "--reverse"]),
        ["Charlie", "Bravo ÄÖ", "alpha"]
    );
    assert_eq!(
        names(&["--environment", "prod", "--sort", "name"]),
        ["Bravo ÄÖ", "Charlie"]
    );
    assert_eq!(names(&["--search", "äö"]), ["Bravo ÄÖ"]);
    assert_eq!(names(&["--status", "valid"]), Vec::<String>::new());
    assert_eq!(
        names(&["--provider", "aws", "--status", "unverified"]).len(),
        3
    );

    let out = cli.run(
        &[
            "credentials",
            "list",
            "--sort",
            "name",
            "--offset",
            "1",
            "--limit",
            "1",
        ],
        "",
    );
    let shown = text(&out.stdout);
    assert!(
        shown.contains("Bravo ÄÖ") && !shown.contains("alpha") && !shown.contains("Charlie"),
        "{shown}"
    );
    assert!(
        shown.contains("Credential 2 of 3 matching (3 in the vault)."),
        "{shown}"
    );
    let out = cli.run(&["credentials", "list", "--search", "nobody"], "");
    assert!(text(&out.stdout).contains("None of the 3 credentials matches."));

    let out = cli.run(&["credentials", "list", "--status", "green"], "");
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown status is a usage error"
    );
    assert!(text(&out.stderr).contains("valid, invalid, unverified"));
    let long = "x".repeat(300);
    let out = cli.run(&["credentials", "list", "--search", &long], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("longer than 256 characters"));
}

#[test]
fn type_flag_takes_any_case_and_an_unknown_type_is_a_usage_error_naming_the_valid_ones() {
    let cli = Cli::new().with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    let secret = format!("{CANARY_SECRET}\n");
    let added = cli.json(
        &add_aws("typed", &["--type", "access_key", "--json"]),
        &secret,
    );
    assert_eq!(added["type"], "ACCESS_KEY");
    let out = cli.run(&add_aws("x", &["--type", "nonsense"]), &secret);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("unknown credential type `nonsense`")
            && err.contains("ACCESS_KEY, SERVICE_ACCOUNT_KEY, CLIENT_SECRET or ADMIN_KEY"),
        "{err}"
    );
}

#[test]
fn exit_codes_say_usage_error_or_failure() {
    let cli = Cli::new();
    let unknown = cli.run(&["credentials", "show", "nope"], "");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr)
        .to_lowercase()
        .contains("no credential matches"));
    assert_eq!(
        cli.run(&["credentials", "frobnicate"], "").status.code(),
        Some(2)
    );
    let missing = cli.run(
        &["credentials", "add", "--name", "x", "--provider", "aws"],
        "secret\n",
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("--access-key-id is required"));
    let bad = cli.run(
        &[
            "credentials",
            "add",
            "--name",
            "x",
            "--provider",
            "aws",
            "--access-key-id",
            "AKIA123",
        ],
        &format!("{CANARY_SECRET}\n"),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("must start with AKIA or ASIA"));
    assert_eq!(cli.run(&["--version"], "").status.code(), Some(0));
    let completions = cli.run(&["completions", "bash"], "");
    assert!(text(&completions.stdout).contains("entryguard"));
}

#[test]
fn without_a_keychain_service_the_cli_says_what_to_install_and_stores_nothing() {
    let cli = Cli::new().with_env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/entryguard-bus",
    );
    let out = cli.run(&add_aws("x", &[]), &format!("{CANARY_SECRET}\n"));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("No keychain service is available") && err.contains("GNOME Keyring"),
        "{err}"
    );
    assert!(Cli {
        dir: cli.dir,
        env: vec![]
    }
    .json(&["credentials", "list", "--json"], "")
    .as_array()
    .unwrap()
    .is_empty());
}

#[test]
fn opening_the_window_without_a_display_says_so_instead_of_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_entryguard"))
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("needs a graphical session") && err.contains("entryguard --help"),
        "{err}"
    );
    assert_eq!(
        err.matches("needs a graphical session").count(),
        1,
        "said once on the terminal: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let logged = std::fs::read_dir(dir.path().join("logs"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect::<String>();
    assert!(
        logged.contains("the window could not open")
            && logged.contains("needs a graphical session"),
        "and kept in the log file: {logged}"
    );
}

#[test]
fn a_locked_keychain_is_reported_as_locked_not_missing() {
    // A private D-Bus session whose login keyring is locked: reading it asks for a password
    // prompt that nobody answers, and the CLI must say "locked" within its deadline.
    let root = support::repo_root();
    let script = "gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
         --method org.freedesktop.Secret.Service.Lock \"['/org/freedesktop/secrets/collection/login']\" >/dev/null \
         && ENTRYGUARD_KEYCHAIN_TIMEOUT_SECS=3 \"$0\" --data-dir \"$1\" credentials add --name x --provider aws \
         --access-key-id AKIAIOSFODNN7EXAMPLE --secret-env EG_SECRET";
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("dbus-run-session")
        .arg("--")
        .arg(root.join("scripts/lib/keyring-session.sh"))
        .args([
            "sh",
            "-c",
            script,
            env!("CARGO_BIN_EXE_entryguard"),
            dir.path().to_str().unwrap(),
        ])
        .env("EG_SECRET", CANARY_SECRET)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("The keychain is locked"), "{err}");
    assert!(!err.contains(CANARY_SECRET));
}

#[test]
fn rotate_replaces_the_secret_in_place_and_keeps_the_other_fields() {
    let moto = Server::start("moto");
    let cli = Cli::new()
        .with_env("AWS_ENDPOINT_URL_STS", &moto.endpoint())
        .with_env("ENTRYGUARD_AWS_PROPAGATION_GRACE_SECS", "0");
    let key_id = moto.str("/access_key_id");
    let added = cli.json(
        &[
            "credentials",
            "add",
            "--name",
            "Prod",
            "--provider",
            "aws",
            "--access-key-id",
            &key_id,
            "--region",
            "eu-west-1",
            "--json",
        ],
        &format!("{CANARY_SECRET}\n"),
    );
    assert_eq!(added["status"], "INVALID", "{added}");
    let rotated = cli.json(
        &["credentials", "rotate", "Prod", "--json"],
        &format!("{}\n", moto.str("/secret_access_key")),
    );
    assert_eq!(rotated["id"], added["id"]);
    assert_eq!(rotated["created_at"], added["created_at"]);
    assert_eq!(rotated["status"], "VALID", "{rotated}");
    let audit = cli.json(&["audit", "--credential", "Prod", "--json"], "");
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "rotated"));
    assert!(!audit.to_string().contains(CANARY_SECRET));
}

#[test]
fn import_aws_profiles_imports_static_keys_and_reports_the_rest() {
    let moto = Server::start("moto");
    let cli = Cli::new().with_env("AWS_ENDPOINT_URL_STS", &moto.endpoint());
    let file = cli.dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "[moto]\naws_access_key_id = {}\naws_secret_access_key = {}\nregion = us-east-1\n\n\
             [sso]\nsso_start_url = https://example.awsapps.com/start\nsso_role_name = x\n",
            moto.str("/access_key_id"),
            moto.str("/secret_access_key")
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let import = |extra: &[&str]| {
        let base = [
            "credentials",
            "import",
            "aws-profiles",
            "--file",
            path,
            "--json",
        ];
        cli.json(&[&base[..], extra].concat(), "")
    };
    let out = import(&[]);
    let imported = out["imported"].as_array().unwrap();
    assert_eq!(imported.len(), 1, "{out}");
    assert_eq!(
        (imported[0]["name"].as_str(), imported[0]["status"].as_str()),
        (Some("moto"), Some("VALID"))
    );
    let again = import(&["--profile", "moto"]);
    let reason = again["skipped"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("already exists"), "{again}");
    let renamed = import(&["--profile", "moto", "--rename", "moto=moto copy"]);
    assert_eq!(renamed["imported"][0]["name"], "moto copy");
    let status = cli.json(&["vault", "status", "--json"], "");
    assert_eq!(status["state"], "ready");
}

#[test]
fn vault_reset_is_refused_on_a_healthy_vault_and_forced_resets_set_secrets_aside() {
    let cli = Cli::new()
        .with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
        .with_env("EG_PASSPHRASE", "correct horse battery staple");
    let added = cli.json(&add_aws("Prod", &["--json"]), &format!("{CANARY_SECRET}\n"));
    let refused = cli.run(&["vault", "reset", "--yes"], "");
    assert_eq!(refused.status.code(), Some(1));
    let err = text(&refused.stderr);
    assert!(
        err.contains("--force") && err.contains("Nothing was changed"),
        "{err}"
    );
    assert_eq!(
        cli.json(&["vault", "status", "--json"], "")["quarantined"],
        0
    );

    let forced = cli.run(&["vault", "reset", "--yes", "--force"], "");
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let status = cli.json(&["vault", "status", "--json"], "");
    assert_eq!(status["state"], "ready");
    assert_eq!(status["quarantined"], 1, "set aside, not deleted: {status}");
    let human = text(&cli.run(&["vault", "status"], "").stdout);
    assert!(human.contains("vault recover"), "{human}");
    let shown = cli.json(&["credentials", "show", "Prod", "--json"], "");
    assert_eq!(shown["id"], added["id"]);
    assert!(shown["status_reason"]
        .as_str()
        .unwrap()
        .contains("vault reset"));

    // A backup leaves the credential out and names it, rather than failing whole.
    let out_dir = tempfile::tempdir().unwrap();
    let backed_up = backup_to(&cli, &out_dir.path().join("vault.egbackup"));
    assert!(text(&backed_up.stdout).contains("Backed up 0 credentials"));
    let warning = text(&backed_up.stderr);
    assert!(
        warning.contains("left out 1 credential whose") && warning.contains("  Prod: "),
        "{warning}"
    );

    let purged = cli.run(&["vault", "purge", "--yes"], "");
    assert!(
        text(&purged.stdout).contains("of 1 credential."),
        "{}",
        text(&purged.stderr)
    );
    assert_eq!(
        cli.json(&["vault", "status", "--json"], "")["quarantined"],
        0
    );
}

#[test]
fn trace_logging_never_carries_a_secret_or_session_token() {
    let moto = Server::start("moto");
    let fakes = Server::start("fakes");
    let token = "CANARYsessionTOKEN0123456789abcdefghijklmnop";
    let cli = Cli::against(&moto, &fakes).with_env("ENTRYGUARD_LOG", "trace");
    let aws = cli.run(
        &[
            "credentials",
            "add",
            "--name",
            "temporary",
            "--provider",
            "aws",
            "--access-key-id",
            "ASIAIOSFODNN7EXAMPLE",
        ],
        &format!("{CANARY_SECRET}\n{token}\n"),
    );
    let apisix = cli.run(
        &[
            "credentials",
            "add",
            "--name",
            "gateway",
            "--provider",
            "apisix",
            "--endpoint",
            &fakes.endpoint(),
        ],
        &format!("{CANARY_SECRET}\n"),
    );
    for out in [aws, apisix] {
        let log = text(&out.stderr);
        assert!(
            log.contains("TRACE") || log.contains("DEBUG"),
            "tracing is on: {log}"
        );
        for canary in [CANARY_SECRET, token] {
            assert!(!log.contains(canary), "a secret reached the log");
        }
    }
}

#[test]
fn provider_and_file_text_reaches_the_terminal_escaped() {
    // A key file is outside text: its client_email is shown in the hint and the identity.
    let cli = Cli::new();
    let key = serde_json::json!({
        "type": "service_account", "project_id": "p",
        "client_email": "evil\u{1b}c\u{7}@p.iam.gserviceaccount.com",
        "private_key_id": "abc", "token_uri": "http://127.0.0.1:9/token",
        "private_key": "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n"
    });
    let file = cli.dir.path().join("key.json");
    std::fs::write(&file, key.to_string()).unwrap();
    let added = cli.run(&add_gcp(file.to_str().unwrap(), &[]), "");
    for out in [
        added,
        cli.run(&["credentials", "list"], ""),
        cli.run(&["audit"], ""),
    ] {
        assert_escaped(&text(&out.stdout), "evil");
    }
}

/// `shown` holds `visible`, and the ESC and BEL planted beside it only as escapes.
fn assert_escaped(shown: &str, visible: &str) {
    assert!(shown.contains(visible), "{shown}");
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(shown.contains("\\u{1b}"), "{shown}");
}

#[test]
fn delete_takes_wildcards_literally_and_deletes_nothing_they_would_match() {
    let cli = Cli::new().with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    let only = cli.json(&add_aws("Only", &["--json"]), &format!("{CANARY_SECRET}\n"));
    for wildcard in ["_", "%", "0%"] {
        let out = cli.run(&["credentials", "delete", wildcard, "--yes"], "");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{wildcard}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("No credential matches"),
            "{}",
            text(&out.stderr)
        );
    }
    let rows = cli.json(&["credentials", "list", "--json"], "");
    assert_eq!(rows.as_array().unwrap().len(), 1, "still there");
    assert_eq!(rows[0]["id"], only["id"]);
}

#[test]
fn an_import_file_with_a_non_ascii_key_id_is_reported_not_a_crash() {
    let cli = Cli::new();
    let file = cli.dir.path().join("credentials");
    std::fs::write(
        &file,
        "[accents]\naws_access_key_id = aéééééééé\naws_secret_access_key = x\n",
    )
    .unwrap();
    let out = cli.run(
        &[
            "credentials",
            "import",
            "aws-profiles",
            "--file",
            file.to_str().unwrap(),
            "--yes",
        ],
        "",
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}",
        out.status.code()
    );
    let shown = text(&out.stdout);
    assert!(
        shown.contains("accents") && shown.contains("not importable"),
        "{shown}"
    );
}

#[test]
fn a_backup_restored_on_a_new_machine_verifies_every_provider_and_leaks_nothing() {
    let moto = Server::start("moto");
    let fakes = Server::start("fakes");
    let passphrase = "a new laptop, the same vault";
    let cli = Cli::against(&moto, &fakes)
        .with_env("EG_PASSPHRASE", passphrase)
        .with_env("ENTRYGUARD_LOG", "trace");
    let secrets = [
        moto.str("/secret_access_key"),
        fakes.str("/apisix_key"),
        fakes.str("/azure/good_secret"),
    ];
    let key_id = moto.str("/access_key_id");
    cli.json(
        &[
            "credentials",
            "add",
            "--name",
            "aws",
            "--provider",
            "aws",
            "--access-key-id",
            &key_id,
            "--json",
        ],
        &format!("{}\n", secrets[0]),
    );
    let apisix_endpoint = fakes.endpoint();
    cli.json(
        &[
            "credentials",
            "add",
            "--name",
            "apisix",
            "--provider",
            "apisix",
            "--endpoint",
            &apisix_endpoint,
            "--json",
        ],
        &format!("{}\n", secrets[1]),
    );
    let (tenant, client) = (fakes.str("/azure/tenant_id"), fakes.str("/azure/client_id"));
    cli.json(
        &[
            "credentials",
            "add",
            "--name",
            "azure",
            "--provider",
            "azure",
            "--tenant-id",
            &tenant,
            "--client-id",
            &client,
            "--json",
        ],
        &format!("{}\n", secrets[2]),
    );
    let key_file = cli.dir.path().join("gcp.json");
    std::fs::write(&key_file, fakes.str("/gcp/key_json")).unwrap();
    cli.json(&add_gcp(key_file.to_str().unwrap(), &["--json"]), "");

    let out_dir = tempfile::tempdir().unwrap();
    let backup = out_dir.path().join("vault.egbackup");
    let made = backup_to(&cli, &backup);
    let bytes = std::fs::read(&backup).unwrap();
    for secret in &secrets {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
        assert!(
            !text(&made.stderr).contains(secret.as_str()),
            "a secret reached the log"
        );
    }
    assert_eq!(
        std::fs::read_dir(out_dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );

    // A new machine: another data dir under another, brand-new GNOME Keyring.
    let target = tempfile::tempdir().unwrap();
    let restored = Command::new("dbus-run-session")
        .arg("--")
        .arg(support::repo_root().join("scripts/lib/keyring-session.sh"))
        .arg(env!("CARGO_BIN_EXE_entryguard"))
        .args([
            "--data-dir",
            target.path().to_str().unwrap(),
            "vault",
            "restore",
        ])
        .arg(&backup)
        .args(["--passphrase-env", "EG_PASSPHRASE", "--yes", "--json"])
        .envs(cli.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    let report: serde_json::Value = serde_json::from_slice(&restored.stdout).unwrap();
    assert_eq!(report["restored"], 4, "{report}");
    assert_eq!(
        report["valid"], 4,
        "every provider verifies with the new key: {report}"
    );
    for secret in &secrets {
        assert!(!text(&restored.stdout).contains(secret.as_str()));
        assert!(!text(&restored.stderr).contains(secret.as_str()));
    }
}

#[test]
fn a_multi_line_paste_at_the_hidden_prompt_is_refused_and_leaves_nothing_for_the_shell() {
    let cli = Cli::new().with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    // A key and its session token pasted together, where the prompt takes one line.
    let paste = format!("{CANARY_SECRET}\nTOKENpastedLINE\n");
    let shown = on_a_terminal(
        &cli,
        &add_aws("Pasted", &[]),
        &[("Secret Access Key", &paste)],
    );
    assert!(shown.contains("more than one line"), "{shown}");
    assert!(shown.contains("exit=2"), "{shown}");
    assert!(
        shown.contains("left:[]"),
        "the shell would run the rest: {shown}"
    );
    assert_eq!(
        cli.json(&["credentials", "list", "--json"], ""),
        serde_json::json!([])
    );
}

#[test]
fn a_temporary_aws_key_typed_at_the_prompt_is_asked_for_its_session_token() {
    let sts = Stub::answering(403, "text/xml", "<ErrorResponse/>", "");
    let cli = Cli::new()
        .with_env("AWS_ENDPOINT_URL_STS", &sts.url())
        .with_env("ENTRYGUARD_AWS_PROPAGATION_GRACE_SECS", "0");
    let args = [
        "credentials",
        "add",
        "--name",
        "Temporary",
        "--provider",
        "aws",
        "--access-key-id",
        "ASIAIOSFODNN7EXAMPLE",
    ];
    let typing = [
        ("Secret Access Key", &format!("{CANARY_SECRET}\n")[..]),
        ("Session Token", "TOKENtypedSECOND\n"),
    ];
    let shown = on_a_terminal(&cli, &args, &typing);
    assert!(shown.contains("exit=0"), "{shown}");
    assert!(shown.contains("left:[]"), "{shown}");
    assert!(
        sts.requests().iter().any(|r| r
            .to_lowercase()
            .contains("x-amz-security-token: tokentypedsecond")),
        "the check carried the token: {:?}",
        sts.requests()
    );
}

#[test]
fn a_secret_source_that_never_ends_is_refused_not_read_into_memory() {
    let cli = Cli::new().with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    for args in [
        add_gcp("/dev/zero", &[]),
        add_aws("Zeros", &["--secret-file", "/dev/zero"]),
    ] {
        let out = cli.run_briefly(&args, "");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("/dev/zero holds more than 64 KiB"),
            "{}",
            text(&out.stderr)
        );
    }
    let piped = cli.run(&add_aws("Piped", &[]), &"x".repeat(70_000));
    assert!(text(&piped.stderr).contains("stdin holds more than 64 KiB"));
    assert_eq!(
        cli.json(&["credentials", "list", "--json"], ""),
        serde_json::json!([])
    );
}

#[test]
fn a_key_file_is_not_asked_for_at_a_one_line_prompt() {
    let cli = Cli::new();
    let args = ["credentials", "add", "--name", "G", "--provider", "gcp"];
    let shown = on_a_terminal(&cli, &args, &[]);
    assert!(shown.contains("--key-file PATH"), "{shown}");
    assert!(shown.contains("exit=2"), "{shown}");
    assert!(!shown.contains("Service Account"), "no prompt: {shown}");
}

#[test]
fn audit_text_carried_in_a_backup_reaches_the_terminal_escaped() {
    let cli = Cli::new()
        .with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
        .with_env("EG_PASSPHRASE", "the right passphrase 42");
    cli.json(&add_aws("Prod", &["--json"]), &format!("{CANARY_SECRET}\n"));
    // A backup's audit trail is restored as it was written: a hostile or buggy one's too
    // (the trail is append-only, so the odd event is added).
    rusqlite::Connection::open(cli.dir.path().join("entryguard.db"))
        .unwrap()
        .execute(
            "INSERT INTO audit_events (at, credential_id, credential_name, kind, details) \
             SELECT '2026-01-01' || char(27) || '[2J', id, name, \
                    'note' || char(27, 93) || '0;pwned' || char(7), 'by hand' \
             FROM credentials",
            [],
        )
        .unwrap();
    let backup = cli.dir.path().join("vault.egbackup");
    backup_to(&cli, &backup);
    let target = Cli::new().with_env("EG_PASSPHRASE", "the right passphrase 42");
    let restored = restore(&target, &backup, "EG_PASSPHRASE", &["--no-verify"]);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    for out in [cli.run(&["audit"], ""), target.run(&["audit"], "")] {
        assert_escaped(&text(&out.stdout), "pwned");
    }
}

#[test]
fn restore_with_a_wrong_passphrase_is_refused_and_changes_nothing() {
    let cli = Cli::new()
        .with_env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
        .with_env("EG_PASSPHRASE", "the right passphrase 42")
        .with_env("EG_WRONG", "the wrong passphrase 42");
    cli.json(&add_aws("Prod", &["--json"]), &format!("{CANARY_SECRET}\n"));
    let backup = cli.dir.path().join("vault.egbackup");
    backup_to(&cli, &backup);
    let weak = cli.run(
        &[
            "vault",
            "backup",
            "--out",
            "/tmp/never.egbackup",
            "--passphrase-env",
            "NO_SUCH_VAR",
        ],
        "",
    );
    assert_eq!(weak.status.code(), Some(2), "{}", text(&weak.stderr));
    let refused = restore(&cli, &backup, "EG_WRONG", &["--rename"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("passphrase does not open"),
        "{}",
        text(&refused.stderr)
    );
    let rows = cli.json(&["credentials", "list", "--json"], "");
    assert_eq!(rows.as_array().unwrap().len(), 1, "nothing was restored");
}

#[test]
fn settings_are_shown_and_set_and_a_value_out_of_range_is_a_usage_error_that_changes_nothing() {
    let cli = Cli::new();
    let shown = cli.json(&["settings", "show", "--json"], "");
    assert_eq!(shown["recheck_hours"], 12);
    assert_eq!(shown["notify"], true);

    let set = cli.run(&["settings", "set", "recheck-hours", "0"], "");
    assert!(set.status.success(), "{}", text(&set.stderr));
    assert!(text(&set.stdout).contains("automatic re-checks are off"));
    for (args, says) in [
        (
            ["settings", "set", "recheck-hours", "99999"],
            "between 0 and 720",
        ),
        (
            ["settings", "set", "recheck-hours", "often"],
            "whole number",
        ),
        (["settings", "set", "notifications", "maybe"], "on or off"),
    ] {
        let refused = cli.run(&args, "");
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        assert!(
            text(&refused.stderr).contains(says),
            "{}",
            text(&refused.stderr)
        );
    }
    let off = cli.json(&["settings", "set", "notifications", "off", "--json"], "");
    assert_eq!(off["notify"], false, "the settings as saved: {off}");
    let now = cli.json(&["settings", "show", "--json"], "");
    assert_eq!(
        (now["recheck_hours"].clone(), now["notify"].clone()),
        (0.into(), false.into())
    );
}

#[test]
fn list_stale_shows_only_decisions_older_than_the_re_check_interval() {
    let moto = Server::start("moto");
    let fakes = Server::start("fakes");
    let cli = Cli::against(&moto, &fakes);
    let added = cli.json(
        &[
            "credentials",
            "add",
            "--name",
            "real",
            "--provider",
            "aws",
            "--access-key-id",
            &moto.str("/access_key_id"),
            "--json",
        ],
        &format!("{}\n", moto.str("/secret_access_key")),
    );
    assert_eq!(added["status"], "VALID", "{added}");
    assert_eq!(added["checked_at"], added["verified_at"]);
    assert!(added["next_check_at"].is_string(), "{added}");
    let stale = |cli: &Cli| cli.json(&["credentials", "list", "--stale", "--json"], "");
    assert_eq!(stale(&cli), serde_json::json!([]), "a fresh decision");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let short = cli.with_env("ENTRYGUARD_RECHECK_SECS", "2");
    let rows = stale(&short);
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["stale"], true);
}
