//! Verification overhead against a local server (docs/performance.md, Budgets), printed as
//! ratios measured in the same run:
//! - create → Valid latency vs a raw request round trip (budget ≤ 1.2× + 5 ms);
//! - 1,000 verifications vs a bare reqwest loop at the same concurrency (budget ≥ 0.8×), the
//!   median of alternating rounds.
//!
//! Usage: verify_bench APISIX_ENDPOINT ADMIN_KEY [COUNT]
//! (e.g. the `fakes` server of tests/fixtures/servers.py).

use std::sync::Arc;
use std::time::{Duration, Instant};

use entryguard_core::{
    CredentialEvent, CredentialService, EventSink, MemoryKeychain, NewCredential, Status, Verifier,
    VerifierConfig,
};
use futures_util::future::join_all;

fn apisix(name: String, endpoint: &str, key: &str) -> NewCredential {
    serde_json::from_value(
        serde_json::json!({"name": name, "environment": null, "type": null,
        "provider": "APISIX", "fields": {"endpoint": endpoint, "admin_key": key}}),
    )
    .unwrap()
}

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).expect("timings and rates are never NaN"));
    v[v.len() / 2]
}

/// Hands on the status of every decided row the service announces.
struct Decisions(tokio::sync::mpsc::UnboundedSender<Status>);

impl Decisions {
    fn new() -> (Arc<Self>, tokio::sync::mpsc::UnboundedReceiver<Status>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (Arc::new(Decisions(tx)), rx)
    }
}

impl EventSink for Decisions {
    fn emit(&self, event: CredentialEvent) {
        if let CredentialEvent::Changed { credential } = event {
            if credential.status != Status::Unverified && !credential.checking {
                let _ = self.0.send(credential.status);
            }
        }
    }
}

async fn until_decided(service: &CredentialService, id: &str) {
    loop {
        let v = service.get(id).unwrap();
        if v.status != Status::Unverified && !v.checking {
            assert_eq!(v.status, Status::Valid, "{v:?}");
            return;
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

/// CPU time of the whole process (every thread), for the CPU each check costs: on two
/// shared cores it is what throughput comes down to, and it is far steadier than a rate.
fn process_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec to write to; this clock exists on every Linux.
    assert_eq!(
        unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) },
        0
    );
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Alternating rounds of the throughput comparison; the median ratio is reported.
const ROUNDS: usize = 5;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (endpoint, key) = (args[1].clone(), args[2].clone());
    let count: usize = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(1000);
    let concurrency = VerifierConfig::default().concurrency;
    let url = format!("{endpoint}/apisix/admin/routes");
    entryguard_core::verify::install_tls_provider();
    let http = reqwest::Client::new();
    let raw = |http: reqwest::Client, url: String, key: String| async move {
        let r = http
            .get(&url)
            .header("X-API-KEY", key)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        r.bytes().await.unwrap();
    };

    let dir = tempfile::tempdir().unwrap();
    let service =
        Arc::new(CredentialService::open(dir.path(), Arc::new(MemoryKeychain::new())).unwrap());
    Verifier::start(service.clone(), VerifierConfig::default()).unwrap();

    // Latency, alternating the two so drift affects both alike.
    let (mut raw_times, mut create_times) = (Vec::new(), Vec::new());
    for i in 0..50 {
        let t = Instant::now();
        raw(http.clone(), url.clone(), key.clone()).await;
        raw_times.push(t.elapsed());
        let t = Instant::now();
        let id = service
            .create(apisix(format!("latency {i}"), &endpoint, &key))
            .unwrap()
            .id;
        until_decided(&service, &id).await;
        create_times.push(t.elapsed());
    }
    let (raw_lat, create_lat) = (median(raw_times), median(create_times));

    // Throughput at the verifier's concurrency, in alternating rounds (drift and the shared
    // cores affect both alike), of a verifier that has been running: the app's is long-lived.
    // A second handle on the same vault stores each round's rows, so none is checked while
    // they are being created; then they are all queued at once and the clock sees only checks.
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeychain::new());
    let service = Arc::new(CredentialService::open(dir.path(), keys.clone()).unwrap());
    let stager = CredentialService::open(dir.path(), keys).unwrap();
    // Outcomes are counted as the service announces them, so no poll competes with the
    // checks for the database.
    let (sink, mut decided) = Decisions::new();
    service.set_sink(sink);
    let verifier = Verifier::start(service.clone(), VerifierConfig::default()).unwrap();
    let checks = |round: &str, n: usize| {
        for i in 0..n {
            stager
                .create(apisix(format!("{round} {i}"), &endpoint, &key))
                .unwrap();
        }
        let t = Instant::now();
        verifier.requeue_unverified();
        t
    };
    checks("warm-up", concurrency * 4);
    for _ in 0..concurrency * 4 {
        assert_eq!(decided.recv().await, Some(Status::Valid));
    }
    let (mut ratios, mut bare_rates, mut our_rates) = (Vec::new(), Vec::new(), Vec::new());
    let (mut bare_cpu, mut our_cpu) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let cpu = process_cpu();
        let t = Instant::now();
        for chunk in (0..count).collect::<Vec<_>>().chunks(concurrency) {
            join_all(
                chunk
                    .iter()
                    .map(|_| raw(http.clone(), url.clone(), key.clone())),
            )
            .await;
        }
        let bare = count as f64 / t.elapsed().as_secs_f64();
        bare_cpu.push((process_cpu() - cpu) / count as u32);
        let t = checks(&format!("round {round}"), count);
        let cpu = process_cpu();
        for _ in 0..count {
            let status = decided.recv().await.expect("the service outlives the wait");
            assert_eq!(status, Status::Valid);
        }
        let ours = count as f64 / t.elapsed().as_secs_f64();
        our_cpu.push((process_cpu() - cpu) / count as u32);
        ratios.push(ours / bare);
        bare_rates.push(bare);
        our_rates.push(ours);
    }
    let spread = |v: &[f64]| {
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(0.0, f64::max);
        format!("{min:.2}–{max:.2}")
    };
    let spread_of_ratios = spread(&ratios);
    let (ratio, bare, ours) = (median(ratios), median(bare_rates), median(our_rates));

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "create → Valid: {:.2} ms vs raw round trip {:.2} ms; budget {:.2} ms; ratio {:.2}",
        ms(create_lat),
        ms(raw_lat),
        ms(raw_lat) * 1.2 + 5.0,
        ms(create_lat) / ms(raw_lat)
    );
    println!(
        "{count} verifications: {ours:.0}/s vs bare reqwest {bare:.0}/s at concurrency {concurrency}; \
         ratio {ratio:.2} (budget ≥ 0.80), the median of {ROUNDS} alternating rounds ({spread_of_ratios})"
    );
    println!(
        "CPU per verification: {:.0} µs vs {:.0} µs per bare request (process time, medians)",
        median(our_cpu).as_secs_f64() * 1e6,
        median(bare_cpu).as_secs_f64() * 1e6
    );
}
