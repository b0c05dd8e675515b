//! The list's reply: deflated, and the first one prepared while the window loads.
//!
//! The page asks for the whole list as soon as it starts, and building and deflating 10,000
//! rows takes tens of milliseconds it would wait for. The app starts that work as it opens
//! the window, on another core, and the page's first list call takes the result, but only if
//! nothing was written since it was read (the vault's [`ChangeStamp`]) and it is seconds old
//! (rows carry ages and staleness as of their reply). Otherwise, and for every later call,
//! the list is read anew.

use std::io::BufWriter;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use entryguard_core::{ChangeStamp, CredentialRows, CredentialService, Result};
use flate2::{write::ZlibEncoder, Compression};
use tauri::async_runtime::JoinHandle;

/// How old a prepared reply may be and still be served.
const MAX_AGE: Duration = Duration::from_secs(5);

/// A large reply as zlib-deflated JSON, which the page inflates with the browser's own
/// `DecompressionStream` (ui/src/lib/deflate.ts). WebKitGTK passes a reply to the page 8 KiB
/// at a time, so moving the 10,000-row list's 3.2 MB took longer than building it; at the
/// fastest level it deflates to 0.2 MB, in about the time plain serialization took.
fn deflate_json(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    // serde_json writes a few bytes at a time; the encoder wants them in blocks.
    let mut json =
        BufWriter::with_capacity(64 << 10, ZlibEncoder::new(Vec::new(), Compression::fast()));
    serde_json::to_writer(&mut json, value)
        .map_err(|e| entryguard_core::Error::Internal(e.to_string()))?;
    let deflated = json.into_inner().map_err(|e| e.into_error())?;
    Ok(deflated.finish()?)
}

/// The list call's reply: the prepared one while it is still what a new list would say,
/// else every row read now.
pub fn reply(service: &CredentialService, prepared: Option<Prepared>) -> Result<Vec<u8>> {
    match prepared {
        Some(prepared) if prepared.is_current(service)? => Ok(prepared.reply),
        _ => list_now(service),
    }
}

/// Every row, deflated.
fn list_now(service: &CredentialService) -> Result<Vec<u8>> {
    deflate_json(&CredentialRows(service.list()?))
}

/// A reply and the vault's state when it was read.
pub struct Prepared {
    stamp: ChangeStamp,
    read_at: Instant,
    reply: Vec<u8>,
}

impl Prepared {
    /// Reads the list now.
    pub fn read(service: &CredentialService) -> Result<Self> {
        // The stamp first: a write during the read then shows as a changed stamp.
        let stamp = service.change_stamp()?;
        let read_at = Instant::now();
        Ok(Prepared {
            stamp,
            read_at,
            reply: list_now(service)?,
        })
    }

    fn is_current(&self, service: &CredentialService) -> Result<bool> {
        Ok(self.read_at.elapsed() <= MAX_AGE && service.change_stamp()? == self.stamp)
    }
}

/// The reply being prepared, until the first list call takes it.
#[derive(Default)]
pub struct FirstList(Mutex<Option<JoinHandle<Result<Prepared>>>>);

impl FirstList {
    /// Starts reading the list on the blocking pool.
    pub fn prepare(&self, service: Arc<CredentialService>) {
        let task = tauri::async_runtime::spawn_blocking(move || Prepared::read(&service));
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(task);
    }

    /// The prepared reply, once; `None` if there is none or reading it failed (the caller
    /// then reads the list itself and reports its own error).
    pub async fn take(&self) -> Option<Prepared> {
        let task = self.0.lock().unwrap_or_else(|p| p.into_inner()).take()?;
        task.await.ok()?.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entryguard_core::{MemoryKeychain, NewCredential};

    fn vault(dir: &std::path::Path) -> CredentialService {
        CredentialService::open(dir, Arc::new(MemoryKeychain::new())).unwrap()
    }

    fn add(service: &CredentialService, name: &str) {
        let input: NewCredential = serde_json::from_value(serde_json::json!({
            "name": name, "environment": null, "type": null, "provider": "AWS",
            "fields": {"access_key_id": "AKIAIOSFODNN7EXAMPLE",
                       "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                       "session_token": null, "region": null}}))
        .unwrap();
        service.create(input).unwrap();
    }

    fn names(reply: &[u8]) -> Vec<String> {
        use std::io::Read;
        let mut json = String::new();
        flate2::read::ZlibDecoder::new(reply)
            .read_to_string(&mut json)
            .unwrap();
        let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(&json).unwrap();
        rows.iter().map(|r| r[1].as_str().unwrap().into()).collect()
    }

    /// A reply that could only be the prepared one: no list reads as this.
    fn marked(service: &CredentialService, read_at: Instant) -> Prepared {
        Prepared {
            stamp: service.change_stamp().unwrap(),
            read_at,
            reply: b"prepared".to_vec(),
        }
    }

    /// The names in the reply that replaces a [`marked`] one; fails if it was served as it was.
    fn read_anew(prepared: Prepared, service: &CredentialService) -> Vec<String> {
        let reply = reply(service, Some(prepared)).unwrap();
        assert_ne!(
            reply, b"prepared",
            "a prepared list was served after it went stale"
        );
        names(&reply)
    }

    #[test]
    fn a_prepared_list_is_served_while_nothing_was_written_and_it_is_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let service = vault(dir.path());
        add(&service, "prod");
        service.list().unwrap(); // reading is not writing
        let prepared = marked(&service, Instant::now());
        assert_eq!(reply(&service, Some(prepared)).unwrap(), b"prepared");

        let old = marked(&service, Instant::now() - MAX_AGE - Duration::from_secs(1));
        assert_eq!(read_anew(old, &service), ["prod"]);
    }

    #[test]
    fn a_list_prepared_before_a_write_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let service = vault(dir.path());
        add(&service, "prod");
        let prepared = Prepared::read(&service).unwrap();
        assert_eq!(names(&prepared.reply), ["prod"]);
        add(&service, "staging");
        assert_eq!(
            names(&reply(&service, Some(prepared)).unwrap()),
            ["staging", "prod"]
        );

        let prepared = marked(&service, Instant::now());
        service.delete(&service.list().unwrap()[0].id).unwrap();
        assert_eq!(read_anew(prepared, &service), ["prod"]);

        // Settings decide which rows are stale: a change to them is a write like any other.
        let prepared = marked(&service, Instant::now());
        let mut settings = service.settings().unwrap();
        settings.recheck_hours += 1;
        service.set_settings(settings).unwrap();
        assert_eq!(read_anew(prepared, &service), ["prod"]);
    }

    #[test]
    fn the_prepared_list_is_taken_by_the_first_call_only() {
        let dir = tempfile::tempdir().unwrap();
        let service = Arc::new(vault(dir.path()));
        add(&service, "prod");
        let first = FirstList::default();
        first.prepare(service.clone());
        tauri::async_runtime::block_on(async {
            let prepared = first.take().await.expect("the first call takes it");
            assert_eq!(names(&reply(&service, Some(prepared)).unwrap()), ["prod"]);
            assert!(first.take().await.is_none(), "a later call reads anew");
            assert!(FirstList::default().take().await.is_none());
        });
    }

    #[test]
    fn a_preparation_that_failed_leaves_the_call_to_read_the_list_itself() {
        let failed = FirstList(Mutex::new(Some(tauri::async_runtime::spawn_blocking(
            || {
                Err(entryguard_core::Error::Internal(
                    "the vault could not be read".into(),
                ))
            },
        ))));
        assert!(tauri::async_runtime::block_on(failed.take()).is_none());
    }

    #[test]
    fn a_list_prepared_before_another_process_wrote_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let window = vault(dir.path());
        let prepared = marked(&window, Instant::now());
        add(&vault(dir.path()), "from the terminal");
        assert_eq!(read_anew(prepared, &window), ["from the terminal"]);
    }

    #[test]
    fn a_deflated_reply_is_zlib_and_inflates_to_the_json_of_its_value() {
        use std::io::Read;
        let value = serde_json::json!([["a", null, 1, true, "é"]]);
        let bytes = deflate_json(&value).unwrap();
        // ui/src/lib/api.test.ts inflates this reply's bytes, as they were, with the
        // browser's "deflate" format: the two sides agree on the format.
        let mut json = String::new();
        flate2::read::ZlibDecoder::new(&bytes[..])
            .read_to_string(&mut json)
            .unwrap();
        assert_eq!(json, value.to_string());
    }

    proptest::proptest! {
        #[test]
        fn any_list_of_rows_survives_deflating(
            rows in proptest::collection::vec(proptest::collection::vec(".*", 0..6), 0..40)
        ) {
            use std::io::Read;
            let bytes = deflate_json(&rows).unwrap();
            let mut json = Vec::new();
            flate2::read::ZlibDecoder::new(&bytes[..]).read_to_end(&mut json).unwrap();
            proptest::prop_assert_eq!(serde_json::from_slice::<Vec<Vec<String>>>(&json).unwrap(), rows);
        }
    }
}
