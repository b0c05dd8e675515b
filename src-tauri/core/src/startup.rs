//! What the page needs to draw its first screen before any IPC ([`Boot`]), and the marks it
//! reports for the start-up benchmark ([`UiMarks`]).
//!
//! A window's first IPC round trip costs ~90 ms of start-up, so the app hands the page the
//! first page of the list and the settings in an initialization script; the page draws
//! them at once and asks for pages after.
//!
//! Only the benchmark build of the app has the command that receives them (its `bench`
//! feature) and only the benchmark build of the page sends them; the type lives here so
//! its TypeScript twin is generated and checked with the others.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::listing::ListPage;
use crate::model::Settings;

/// The first screen, as the page finds it in `window.__EG_BOOT__`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Boot {
    /// The first page of the list in its default order: enough rows to fill a tall window.
    pub page: ListPage,
    pub settings: Settings,
}

impl Boot {
    /// A script that sets `window.__EG_BOOT__`. The data goes in as a JSON string that the
    /// page parses, so no text of a name can end the literal or run as code.
    pub fn script(&self) -> String {
        let json = serde_json::to_string(self).expect("views serialize");
        let literal = serde_json::to_string(&json).expect("strings serialize");
        format!("window.__EG_BOOT__ = JSON.parse({literal});")
    }
}

/// Page timings in milliseconds; all but `rows` and the `…_ms` durations are measured from
/// `time_origin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UiMarks {
    /// False for the report at the first drawn screen (the app notes the time and waits);
    /// true once the whole list is drawn.
    pub complete: bool,
    pub rows: u32,
    /// The first page read, and the render after it.
    pub list_ms: f64,
    pub render_ms: f64,
    /// Then, with the window idle, a read of the list in another order (by name), and one
    /// narrowed by a search, each until its rows are drawn.
    pub sort_ms: f64,
    pub filter_ms: f64,
    /// `performance.timeOrigin` (ms since the epoch): when the page started loading.
    pub time_origin: f64,
    /// HTML parsed, and the table interactive.
    pub dom_interactive: f64,
    pub interactive: f64,
    /// Script started, app mounted, event listener registered.
    pub script: f64,
    pub mounted: f64,
    pub listening: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CredentialType, CredentialView, Provider, Status};

    fn row(name: &str) -> CredentialView {
        CredentialView {
            id: "0190".into(),
            name: name.into(),
            provider: Provider::Apisix,
            credential_type: CredentialType::AdminKey,
            environment: None,
            status: Status::Valid,
            status_reason: None,
            checking: false,
            created_at: "2026-12-01T00:00:00Z".into(),
            updated_at: "2026-12-01T00:00:00Z".into(),
            verified_at: None,
            next_check_at: None,
            identity: None,
            hint: "127.0.0.1:9180".into(),
            resource_count: 0,
            rotated_at: None,
            key_age_days: 0,
            key_stale: false,
            stale_at: None,
            stale: false,
            expires_at: None,
            expires_soon: false,
        }
    }

    #[test]
    fn the_boot_script_carries_any_name_as_data_never_as_code() {
        let hostile = "\"); alert(1); (\"</script>\u{2028}\\";
        let boot = Boot {
            page: ListPage {
                offset: 0,
                rows: vec![row(hostile)],
                matching: 1,
                total: 1,
                environments: vec![],
            },
            settings: Settings {
                key_age_threshold_days: 90,
                recheck_hours: 12,
                notify: true,
                unverified_alert_minutes: 60,
                expiry_warning_days: 14,
            },
        };
        let script = boot.script();
        // One JSON string literal between `JSON.parse(` and `);` that reads back to the data.
        let literal = script
            .strip_prefix("window.__EG_BOOT__ = JSON.parse(")
            .and_then(|s| s.strip_suffix(");"))
            .unwrap();
        let inner = &literal[1..literal.len() - 1];
        assert!(
            inner
                .split("\\\\")
                .all(|part| !part.replace("\\\"", "").contains('"')),
            "every quote inside is escaped: {literal}"
        );
        let text: String = serde_json::from_str(literal).unwrap();
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["page"]["rows"][0]["name"], hostile);
        assert_eq!(back["page"]["total"], 1);
    }
}
