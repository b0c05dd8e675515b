//! The CLI (`entryguard credentials …`) against the real keychain and moto.
//!
//! Each test uses its own data dir; moto comes from tests/fixtures/servers.py.

#[path = "../src-tauri/core/tests/support/mod.rs"]
mod support;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use support::Server;

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

    fn with_env(mut self, key: &str, value: &str) -> Cli {
        self.env.push((key.into(), value.into()));
        self
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
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
        child.wait_with_output().unwrap()
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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
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
    let row = &added[0];
    assert_eq!(row["status"], "VALID", "{row}");
    assert!(row["identity"]
        .as_str()
        .unwrap()
        .contains(&moto.str("/user_arn")));
    let keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
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
        "identity",
        "hint",
    ];
    expected.sort();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort();
    assert_eq!(keys_sorted, expected);
    assert!(
        !added.to_string().contains(&secret),
        "the secret never comes back"
    );

    let id = row["id"].as_str().unwrap();
    let listed = cli.json(&["credentials", "list", "--json"], "");
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let by_name = cli.json(&["credentials", "show", "aws production", "--json"], "");
    assert_eq!(by_name[0]["id"], id);
    let by_prefix = cli.json(&["credentials", "show", &id[..13], "--json"], "");
    assert_eq!(by_prefix[0]["id"], id);
    let verified = cli.json(&["credentials", "verify", id, "--json"], "");
    assert_eq!(verified[0]["status"], "VALID");

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
        let out = cli.run(
            &[
                "credentials",
                "add",
                "--name",
                name,
                "--provider",
                "aws",
                "--access-key-id",
                "AKIAIOSFODNN7EXAMPLE",
                source[0],
                source[1],
                "--json",
            ],
            "",
        );
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(row[0]["status"], "UNVERIFIED", "nothing listens on port 9");
        assert!(row[0]["status_reason"]
            .as_str()
            .unwrap()
            .contains("retrying"));
        assert!(
            !text(&out.stdout).contains(CANARY_SECRET)
                && !text(&out.stderr).contains(CANARY_SECRET)
        );
    }
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
    let out = cli.run(
        &[
            "credentials",
            "add",
            "--name",
            "x",
            "--provider",
            "aws",
            "--access-key-id",
            "AKIAIOSFODNN7EXAMPLE",
        ],
        &format!("{CANARY_SECRET}\n"),
    );
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
    assert_eq!(added[0]["status"], "INVALID", "{added}");
    let rotated = cli.json(
        &["credentials", "rotate", "Prod", "--json"],
        &format!("{}\n", moto.str("/secret_access_key")),
    );
    assert_eq!(rotated[0]["id"], added[0]["id"]);
    assert_eq!(rotated[0]["created_at"], added[0]["created_at"]);
    assert_eq!(rotated[0]["status"], "VALID", "{rotated}");
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
