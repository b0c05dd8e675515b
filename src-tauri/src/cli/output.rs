//! What commands print: JSON for scripts, an aligned table for people.
//!
//! Text from outside (a GCP key's client_email, a provider's error_description, an AWS
//! profile name) can hold escape sequences that would drive the terminal, so everything
//! human output shows goes through [`shown`], which escapes control and invisible
//! characters. JSON goes through [`json_safe`]: serde escapes only C0 controls, and a
//! terminal also obeys C1 ones (U+009B starts an escape sequence) and shows bidi marks.
//!
//! With `--json`, a command about one credential prints one object and `list` prints an
//! array (as gh, kubectl and the AWS CLI do), so `jq .status` works on `show` without `.[0]`.
//! The row is a typed struct holding exactly the documented keys (docs/cli.md, "JSON
//! output"), so they do not change when `CredentialView` gains a field for the window.

use std::io::IsTerminal;

use entryguard_core::{CredentialType, CredentialView, Provider, Status};
use serde::Serialize;

/// One credential as `--json` prints it.
#[derive(Serialize)]
pub(super) struct CredentialRow<'a> {
    id: &'a str,
    name: &'a str,
    provider: Provider,
    #[serde(rename = "type")]
    credential_type: CredentialType,
    environment: Option<&'a str>,
    status: Status,
    status_reason: Option<&'a str>,
    created_at: &'a str,
    updated_at: &'a str,
    verified_at: Option<&'a str>,
    /// When the last decision was made (the same as `verified_at`).
    checked_at: Option<&'a str>,
    /// The next retry or scheduled re-check.
    next_check_at: Option<&'a str>,
    /// The last decision is older than the re-check interval.
    stale: bool,
    expires_at: Option<&'a str>,
    identity: Option<&'a str>,
    hint: &'a str,
}

impl<'a> From<&'a CredentialView> for CredentialRow<'a> {
    fn from(v: &'a CredentialView) -> Self {
        CredentialRow {
            id: &v.id,
            name: &v.name,
            provider: v.provider,
            credential_type: v.credential_type,
            environment: v.environment.as_deref(),
            status: v.status,
            status_reason: v.status_reason.as_deref(),
            created_at: &v.created_at,
            updated_at: &v.updated_at,
            verified_at: v.verified_at.as_deref(),
            checked_at: v.verified_at.as_deref(),
            next_check_at: v.next_check_at.as_deref(),
            stale: v.stale,
            expires_at: v.expires_at.as_deref(),
            identity: v.identity.as_deref(),
            hint: &v.hint,
        }
    }
}

/// Prints `value` as pretty JSON; everything `--json` prints goes through here.
pub(super) fn print_json<T: Serialize + ?Sized>(value: &T) {
    println!(
        "{}",
        json_safe(serde_json::to_string_pretty(value).expect("CLI output serializes"))
    );
}

/// JSON text with every control and invisible character but its own line breaks written as
/// a `\u` escape: the same JSON value, and nothing a terminal would act on. Outside a string
/// JSON holds only ASCII punctuation, spaces and line breaks, so only strings change.
fn json_safe(json: String) -> String {
    let hidden = |c: char| c != '\n' && entryguard_core::validate::is_hidden(c);
    if !json.chars().any(hidden) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if hidden(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One credential: a JSON object, or a one-row table.
pub(super) fn print_one(view: &CredentialView, json: bool) {
    if json {
        print_json(&CredentialRow::from(view));
    } else {
        print_table(std::slice::from_ref(view));
    }
}

/// Many credentials: a JSON array, or a table.
pub(super) fn print_list(views: &[CredentialView], json: bool) {
    if json {
        print_json(&views.iter().map(CredentialRow::from).collect::<Vec<_>>());
    } else {
        print_table(views);
    }
}

/// The human table; the status is coloured on a terminal unless NO_COLOR is set.
pub(super) fn print_table(views: &[CredentialView]) {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    println!(
        "{:<36}  {:<24}  {:<7} {:<19} {:<10}  {:<12}  REASON",
        "ID", "NAME", "PROVIDER", "TYPE", "STATUS", "HINT"
    );
    for r in views {
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
            truncate(&shown(&r.name), 24),
            r.provider.as_str(),
            r.credential_type.as_str(),
            painted,
            shown(&r.hint),
            shown(r.status_reason.as_deref().unwrap_or(""))
        );
    }
}

/// `text` safe for a terminal: control and format characters (escapes, bidi and
/// zero-width marks) shown as `\u{..}` instead of acted on.
pub(super) fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(entryguard_core::validate::is_hidden) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if entryguard_core::validate::is_hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// "1 credential", "3 credentials".
pub(super) fn credentials(n: u32) -> String {
    entryguard_core::alerts::plural(n as usize, "credential", "credentials")
}

/// At most `n` characters, the last an ellipsis when cut.
fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{json_safe, shown, truncate};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn json_output_is_the_same_value_with_nothing_a_terminal_obeys(text in any::<String>()) {
            let pretty = serde_json::to_string_pretty(&serde_json::json!({"name": text})).unwrap();
            let out = json_safe(pretty);
            prop_assert!(!out.chars().any(|c| c != '\n' && entryguard_core::validate::is_hidden(c)));
            let back: serde_json::Value = serde_json::from_str(&out).unwrap();
            prop_assert_eq!(back["name"].as_str(), Some(text.as_str()));
        }

        #[test]
        fn shown_text_never_holds_a_control_or_invisible_character(text in any::<String>()) {
            let out = shown(&text);
            prop_assert!(!out.chars().any(entryguard_core::validate::is_hidden));
            if !text.chars().any(entryguard_core::validate::is_hidden) {
                prop_assert_eq!(out.as_ref(), text.as_str());
            }
        }
    }

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(
            shown("evil\u{1b}]0;pwned\u{7}\u{202e}txt"),
            "evil\\u{1b}]0;pwned\\u{7}\\u{202e}txt"
        );
    }

    #[test]
    fn json_output_escapes_c1_controls_and_bidi_marks() {
        let json = serde_json::to_string(&"a\u{9b}31mb\u{202e}c\u{e0041}").unwrap();
        assert_eq!(json_safe(json), r#""a\u009b31mb\u202ec\udb40\udc41""#);
    }

    #[test]
    fn truncate_keeps_short_names_and_ends_long_ones_with_an_ellipsis() {
        assert_eq!(truncate("AWS Production", 24), "AWS Production");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("ééééé", 5), "ééééé");
    }
}
