//! Background verification: one worker per process, the only writer of verification status.
//!
//! Two failures of a plain status page are designed out (docs/verification.md): an
//! "Invalid" with no reason and an "Unverified" that never resolves. Every outcome carries
//! a reason, network trouble is never called Invalid, and undecided credentials are retried
//! with backoff and re-queued at start-up. A fresh AWS key
//! rejected as unknown is retried for a grace period, because IAM takes seconds to propagate.

mod apisix;
mod aws;
mod azure;
mod gcp;
mod job;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, Semaphore};

use crate::freshness::{spread, Due, RECHECKS_PER_SECOND};
use crate::model::{Provider, Status};
use crate::service::CredentialService;
pub use job::{CheckJob, StatusUpdate};

/// What a provider said about a credential.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Accepted; `identity` is who the provider says this is.
    Valid {
        identity: String,
        warning: Option<String>,
        /// When the provider says the secret expires (RFC 3339), if it says.
        expires_at: Option<String>,
    },
    /// Rejected: `code` is the provider's, `hint` says how to fix it.
    Invalid {
        code: String,
        hint: String,
        propagation_sensitive: bool,
    },
    /// No decision: the provider could not be reached or answered strangely.
    Unreachable { reason: String },
}

/// The most characters a provider's words keep (an identity, a code, a reason).
const MAX_PROVIDER_TEXT: usize = 400;

impl Outcome {
    /// The outcome with every text as the table, the CLI, a notification and the database may
    /// keep it: a hostile or broken endpoint chooses much of it (an error code, an identity).
    fn tidied(self) -> Outcome {
        match self {
            Outcome::Valid {
                identity,
                warning,
                expires_at,
            } => Outcome::Valid {
                identity: tidy(&identity),
                warning: warning.as_deref().map(tidy),
                expires_at,
            },
            Outcome::Invalid {
                code,
                hint,
                propagation_sensitive,
            } => Outcome::Invalid {
                code: tidy(&code),
                hint: tidy(&hint),
                propagation_sensitive,
            },
            Outcome::Unreachable { reason } => Outcome::Unreachable {
                reason: tidy(&reason),
            },
        }
    }
}

/// One line of at most [`MAX_PROVIDER_TEXT`] characters: line breaks and tabs become spaces,
/// other control, bidi and zero-width characters are dropped.
fn tidy(text: &str) -> String {
    let kept: Vec<char> = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|&c| !crate::validate::is_hidden(c))
        .collect();
    if kept.len() <= MAX_PROVIDER_TEXT {
        return kept.into_iter().collect();
    }
    let mut cut: String = kept[..MAX_PROVIDER_TEXT - 1].iter().collect();
    cut.push('…');
    cut
}

/// Tunables; the defaults are documented in docs/verification.md (Defaults).
#[derive(Debug, Clone)]
pub struct VerifierConfig {
    pub concurrency: usize,
    pub connect_timeout: Duration,
    pub attempt_timeout: Duration,
    /// How long a new AWS key's "unknown key" answer is treated as IAM propagation.
    pub propagation_grace: Duration,
    pub first_retry: Duration,
    pub max_retry: Duration,
    /// Checks running at once against one host, so one black-holed host cannot hold
    /// every slot while the others wait.
    pub per_host: usize,
    /// `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL`, as every AWS SDK honours them.
    pub aws_endpoint: Option<String>,
    /// `AZURE_AUTHORITY_HOST`, default login.microsoftonline.com.
    pub azure_authority: String,
    /// Endpoint overrides from the environment that broke the https rule, by provider:
    /// that provider's checks report it instead of sending anything.
    pub rejected_overrides: Vec<(Provider, String)>,
    /// The corporate proxy for https destinations (`HTTPS_PROXY`, `NO_PROXY`).
    pub proxy: Option<HttpsProxy>,
}

/// An HTTPS proxy and the hosts that bypass it. Plain-http and loopback destinations never
/// go through a proxy, so a key meant for a local server never crosses the network.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpsProxy {
    pub url: String,
    /// `NO_PROXY`-style list; this machine is always on it.
    pub bypass: String,
}

impl HttpsProxy {
    pub fn new(url: impl Into<String>, no_proxy: &str) -> Self {
        HttpsProxy {
            url: url.into(),
            bypass: format!("{no_proxy},localhost,127.0.0.0/8,::1"),
        }
    }
}

/// Microsoft Entra ID's public authority.
pub const DEFAULT_AZURE_AUTHORITY: &str = "https://login.microsoftonline.com";

impl Default for VerifierConfig {
    fn default() -> Self {
        VerifierConfig {
            concurrency: 8,
            connect_timeout: Duration::from_secs(3),
            attempt_timeout: Duration::from_secs(10),
            propagation_grace: Duration::from_secs(20),
            first_retry: Duration::from_secs(5),
            max_retry: Duration::from_secs(300),
            per_host: 4,
            aws_endpoint: None,
            azure_authority: DEFAULT_AZURE_AUTHORITY.into(),
            rejected_overrides: Vec::new(),
            proxy: None,
        }
    }
}

impl VerifierConfig {
    /// Defaults plus the standard environment variables.
    pub fn from_env() -> Self {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    /// Defaults plus the variables `lookup` finds. Endpoint overrides follow the same rule
    /// as stored endpoints: https, or http only to this machine.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let env = |k: &'static str| lookup(k).filter(|v| !v.trim().is_empty()).map(|v| (k, v));
        let mut config = VerifierConfig::default();
        let first = |names: &[&'static str]| names.iter().find_map(|n| env(n)).map(|(_, v)| v);
        config.proxy = first(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])
            .map(|url| HttpsProxy::new(url, &first(&["NO_PROXY", "no_proxy"]).unwrap_or_default()));
        let mut accept =
            |provider, (name, value): (&str, String)| match crate::validate::endpoint_url(
                "endpoint", name, &value,
            ) {
                Ok(url) => Some(url),
                Err(e) => {
                    config.rejected_overrides.push((
                        provider,
                        format!(
                            "{e} It was not used: fix or unset {name} to verify these credentials."
                        ),
                    ));
                    None
                }
            };
        let aws = env("AWS_ENDPOINT_URL_STS").or_else(|| env("AWS_ENDPOINT_URL"));
        let aws = aws.and_then(|v| accept(Provider::Aws, v));
        let azure = env("AZURE_AUTHORITY_HOST").and_then(|v| accept(Provider::Azure, v));
        config.aws_endpoint = aws;
        if let Some(authority) = azure {
            config.azure_authority = authority;
        }
        if let Some(secs) =
            env("ENTRYGUARD_AWS_PROPAGATION_GRACE_SECS").and_then(|(_, s)| s.trim().parse().ok())
        {
            config.propagation_grace = Duration::from_secs(secs);
        }
        config
    }
}

/// Both HTTP stacks use rustls with ring: installs it as the process default once (before
/// any reqwest client is built; calling again is harmless).
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Largest response body read from a provider.
const MAX_BODY: usize = 64 * 1024;

/// How long a best-effort request after the verdict may take (APISIX's keyless probe, a
/// Google key's expiry). A slow one costs its note, never the verdict: the check's own
/// deadline leaves room for it after the deciding request's full timeout.
const FOLLOW_UP: Duration = Duration::from_secs(3);

/// The provider clients, built once and shared by every check.
pub struct Providers {
    http: reqwest::Client,
    aws: aws::Aws,
    open_probes: apisix::OpenProbes,
    config: VerifierConfig,
}

impl Providers {
    /// Builds the HTTP and AWS clients. A failure (e.g. no usable TLS roots) is an error,
    /// never a panic that would take the worker down with it.
    pub fn new(config: VerifierConfig) -> Result<Self, String> {
        let build = std::panic::AssertUnwindSafe(|| {
            install_tls_provider();
            // No redirects: a hop to another host would carry X-API-KEY along with it.
            let mut builder = reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .timeout(config.attempt_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("EntryGuard/", env!("CARGO_PKG_VERSION")))
                .no_proxy();
            if let Some(proxy) = &config.proxy {
                // Named by its scheme only: a proxy URL can carry a password.
                if let Some((scheme, _)) = proxy.url.split_once("://") {
                    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
                        return Err(format!(
                            "the proxy is a {scheme} proxy, which EntryGuard does not support; \
                             set HTTPS_PROXY to an HTTP proxy (http://host:port)"
                        ));
                    }
                }
                let proxy = reqwest::Proxy::https(&proxy.url)
                    .map_err(|e| format!("HTTPS_PROXY is not a usable proxy URL ({e})"))?
                    .no_proxy(reqwest::NoProxy::from_string(&proxy.bypass));
                builder = builder.proxy(proxy);
            }
            let http = builder.build().map_err(|e| e.to_string())?;
            Ok(Providers {
                aws: aws::Aws::new(&config, http.clone()),
                open_probes: apisix::OpenProbes::default(),
                http,
                config: config.clone(),
            })
        });
        std::panic::catch_unwind(build)
            .unwrap_or_else(|_| Err("building the HTTP clients panicked".into()))
    }

    /// Asks the credential's provider whether it works. Nothing is sent when the
    /// destination fails the rules it was stored under, or an endpoint override broke them.
    pub async fn check(&self, job: &CheckJob) -> Outcome {
        if let Some((_, why)) = self
            .config
            .rejected_overrides
            .iter()
            .find(|(p, _)| *p == job.provider)
        {
            return Outcome::Unreachable {
                reason: why.clone(),
            };
        }
        if let Err(e) = crate::validate::destination(job.provider, &job.public) {
            return Outcome::Unreachable {
                reason: format!("{e} Nothing was sent; rotate this credential to fix it."),
            };
        }
        let outcome = self.ask(job).await;
        self.note_override(job.provider, outcome)
    }

    /// Says so when a credential was accepted by an endpoint other than the provider's own.
    fn note_override(&self, provider: Provider, outcome: Outcome) -> Outcome {
        let endpoint = match provider {
            Provider::Aws => self.config.aws_endpoint.as_deref(),
            Provider::Azure if self.config.azure_authority != DEFAULT_AZURE_AUTHORITY => {
                Some(self.config.azure_authority.as_str())
            }
            _ => None,
        };
        match (outcome, endpoint) {
            (
                Outcome::Valid {
                    identity,
                    warning,
                    expires_at,
                },
                Some(endpoint),
            ) => {
                let note = format!(
                    "Verified against {endpoint} (set in the environment), not the provider's own endpoint."
                );
                Outcome::Valid {
                    identity,
                    warning: Some(match warning {
                        Some(w) => format!("{note} {w}"),
                        None => note,
                    }),
                    expires_at,
                }
            }
            (outcome, _) => outcome,
        }
    }

    async fn ask(&self, job: &CheckJob) -> Outcome {
        let attempt = async {
            match job.provider {
                Provider::Aws => self.aws.check(job).await,
                Provider::Apisix => apisix::check(&self.http, &self.open_probes, job).await,
                Provider::Azure => {
                    azure::check(&self.http, &self.config.azure_authority, job).await
                }
                Provider::Gcp => gcp::check(&self.http, job).await,
            }
        };
        match tokio::time::timeout(
            self.config.attempt_timeout + FOLLOW_UP + Duration::from_secs(1),
            attempt,
        )
        .await
        {
            Ok(outcome) => outcome,
            Err(_) => Outcome::Unreachable {
                reason: format!(
                    "Timed out after {} s",
                    self.config.attempt_timeout.as_secs()
                ),
            },
        }
    }
}

/// Describes a transport failure without echoing URLs' query strings or bodies.
fn network_reason(err: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if err.is_timeout() {
        "Timed out waiting for the provider".into()
    } else if err.is_connect() {
        format!("Unreachable: {cause}")
    } else {
        format!("Network error: {cause}")
    }
}

/// Reads at most [`MAX_BODY`] bytes of a response.
async fn capped_body(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if room <= chunk.len() {
            break;
        }
    }
    Ok(body)
}

/// Posts an OAuth2 token request (Entra ID, Google). `Ok(None)`: a token was granted;
/// `Ok(Some(body))`: the provider refused, with its JSON error; `Err`: no decision.
async fn token_request(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
    service: &str,
) -> Result<Option<serde_json::Value>, Outcome> {
    let unreachable = |e: reqwest::Error| Outcome::Unreachable {
        reason: network_reason(&e),
    };
    let response = http
        .post(url)
        .form(form)
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status().as_u16();
    let bytes = capped_body(response).await.map_err(unreachable)?;
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    if status == 200 && body.get("access_token").is_some() {
        return Ok(None);
    }
    // Only an OAuth error answer (RFC 6749 §5.2: 400 or 401 with a JSON `error`) is the
    // provider judging the credential; a proxy's page, a redirect or a 404 is not.
    if matches!(status, 400 | 401) && body["error"].is_string() {
        return Ok(Some(body));
    }
    let shape = if body.is_object() {
        ""
    } else {
        ", not a token answer"
    };
    Err(Outcome::Unreachable {
        reason: format!("{service} answered HTTP {status}{shape}"),
    })
}

/// How many checks may run at once: overall, and against any one host.
struct Limits {
    global: Semaphore,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Limits {
    fn host(&self, key: String) -> Arc<Semaphore> {
        self.hosts
            .lock()
            .unwrap()
            .entry(key)
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_host.max(1))))
            .clone()
    }
}

/// Which host a check talks to (`host:port`), for the per-host limit.
fn host_key(job: &CheckJob, config: &VerifierConfig) -> String {
    let host_of = |url: &str| {
        url::Url::parse(url)
            .ok()
            .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
            .unwrap_or_else(|| url.to_owned())
    };
    match job.provider {
        Provider::Aws => config.aws_endpoint.as_deref().map_or_else(
            || format!("sts.{}", job.public_str("region").unwrap_or_default()),
            host_of,
        ),
        Provider::Apisix => host_of(job.public_str("endpoint").unwrap_or_default()),
        Provider::Azure => host_of(&config.azure_authority),
        // The key file's own token endpoint (a public field): Google's for nearly every key.
        Provider::Gcp => host_of(job.public_str("token_uri").unwrap_or_default()),
    }
}

/// The running worker's handle.
#[derive(Clone)]
pub struct Verifier {
    service: Arc<CredentialService>,
}

#[derive(Default)]
struct Tracking {
    /// Ids being checked; `true` means another check was requested meanwhile.
    in_flight: HashMap<String, bool>,
    /// Consecutive undecided attempts per id, for backoff.
    attempts: HashMap<String, u32>,
}

impl Verifier {
    /// Starts the worker on a thread of its own, which drives a single-threaded runtime
    /// for as long as the process lives: the app's verifier. A check's CPU goes mostly to
    /// the vault's one connection, and checks spread over several runtime workers took
    /// turns on it (thread wake-ups and a busy lock: more CPU per check and lower
    /// throughput, measured in docs/performance.md).
    pub fn start(
        service: Arc<CredentialService>,
        config: VerifierConfig,
    ) -> std::io::Result<Verifier> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let verifier = {
            let _inside = runtime.enter();
            Verifier::spawn(service, config)
        };
        std::thread::Builder::new()
            .name("verifier".into())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))?;
        Ok(verifier)
    }

    /// Starts the worker on the current tokio runtime: the CLI's single-threaded one, and
    /// tests', which pause its clock.
    pub fn spawn(service: Arc<CredentialService>, config: VerifierConfig) -> Verifier {
        let (tx, rx) = mpsc::unbounded_channel();
        service.set_queue(tx);
        tokio::spawn(run(service.clone(), config, rx, Arc::default()));
        tokio::spawn(recheck_stale(service.clone()));
        Verifier { service }
    }

    /// Queues every credential still undecided or left mid-check by a process that died
    /// (at start-up: nothing stays Unverified or "checking" for ever).
    pub fn requeue_unverified(&self) {
        if let Err(e) = self.service.requeue_unverified() {
            tracing::warn!(error = %e, "could not re-queue undecided credentials");
        }
    }

    pub fn service(&self) -> &Arc<CredentialService> {
        &self.service
    }
}

async fn run(
    service: Arc<CredentialService>,
    config: VerifierConfig,
    mut rx: mpsc::UnboundedReceiver<String>,
    tracking: Arc<Mutex<Tracking>>,
) {
    // Built on the first check, not at start-up: TLS setup is not free, and an app that
    // opens with nothing to verify should not pay for it before its window is up.
    let mut providers: Option<Arc<Providers>> = None;
    let limits = Arc::new(Limits {
        global: Semaphore::new(config.concurrency.max(1)),
        per_host: config.per_host,
        hosts: Mutex::default(),
    });
    let config = Arc::new(config);
    while let Some(id) = rx.recv().await {
        {
            let mut t = tracking.lock().unwrap();
            if let Some(again) = t.in_flight.get_mut(&id) {
                *again = true;
                continue;
            }
            t.in_flight.insert(id.clone(), false);
        }
        if providers.is_none() {
            match Providers::new((*config).clone()) {
                Ok(built) => providers = Some(Arc::new(built)),
                Err(why) => {
                    tracing::error!(error = %why, "could not build the verification clients");
                    tracking.lock().unwrap().in_flight.remove(&id);
                    let delay = next_attempt(&config, &tracking, &id);
                    let update = StatusUpdate::undecided(
                        format!(
                            "Could not start verification ({why}) — retrying in {}",
                            human_duration(delay)
                        ),
                        Some(delay),
                        false,
                    );
                    let generation = service_generation(&service, &id);
                    let written =
                        matches!(service.finish_check(&id, generation, update), Ok(Some(_)));
                    schedule_retry(
                        service.clone(),
                        tracking.clone(),
                        id,
                        written.then_some(delay),
                    );
                    continue;
                }
            }
        }
        let providers = providers.as_ref().expect("built above");
        let (service, providers, limits, tracking, config) = (
            service.clone(),
            providers.clone(),
            limits.clone(),
            tracking.clone(),
            config.clone(),
        );
        tokio::spawn(async move {
            loop {
                let retry =
                    check_once(&service, &providers, &config, &limits, &tracking, &id).await;
                let again = {
                    let mut t = tracking.lock().unwrap();
                    let again = t.in_flight.get(&id).copied().unwrap_or(false);
                    if again {
                        t.in_flight.insert(id.clone(), false);
                    } else {
                        t.in_flight.remove(&id);
                    }
                    again
                };
                if again {
                    continue;
                }
                schedule_retry(service, tracking, id, retry);
                break;
            }
        });
    }
}

/// The scheduler: while the process runs, re-checks each decision as it goes stale,
/// spread per provider ([`crate::freshness::spread`]). The first pass waits a moment so a
/// window is drawn before any check starts.
async fn recheck_stale(service: Arc<CredentialService>) {
    const LONGEST_NAP: Duration = Duration::from_secs(60);
    let planned: Arc<Mutex<HashSet<String>>> = Arc::default();
    tokio::time::sleep(Duration::from_secs(2)).await;
    loop {
        let nap = match service.freshness().map(|f| f.recheck) {
            Ok(Some(every)) => match service.due_for_recheck(every) {
                Ok((due, next)) => {
                    let due: Vec<Due> = {
                        let mut p = planned.lock().unwrap();
                        due.into_iter().filter(|d| p.insert(d.id.clone())).collect()
                    };
                    for (id, delay) in spread(due, RECHECKS_PER_SECOND, rand::random) {
                        let (service, planned) = (service.clone(), planned.clone());
                        tokio::spawn(async move {
                            tokio::time::sleep(delay).await;
                            let queued = tokio::task::spawn_blocking({
                                let (service, id) = (service.clone(), id.clone());
                                move || service.begin_scheduled_check(&id, every)
                            })
                            .await;
                            if !matches!(queued, Ok(Ok(_))) {
                                tracing::warn!("could not start a scheduled re-check");
                            }
                            planned.lock().unwrap().remove(&id);
                        });
                    }
                    next.unwrap_or(LONGEST_NAP).min(every).min(LONGEST_NAP)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not list credentials due for a re-check");
                    LONGEST_NAP
                }
            },
            // Off: look again later, the setting may change.
            Ok(None) => LONGEST_NAP,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the re-check interval");
                LONGEST_NAP
            }
        };
        tokio::time::sleep(nap.max(Duration::from_millis(500))).await;
    }
}

/// After `retry`, re-checks `id` if it is still undecided and nobody checked it meanwhile:
/// its next check is still the one just written. A check asked for in between ("Verify
/// now", a rotation) schedules its own retry, and this one then stands down, so clicks on a
/// credential whose host is down never start a second chain of retries. No retry (decided,
/// given up on, or deleted) ends the credential's backoff.
fn schedule_retry(
    service: Arc<CredentialService>,
    tracking: Arc<Mutex<Tracking>>,
    id: String,
    retry: Option<Duration>,
) {
    let Some(delay) = retry else {
        tracking.lock().unwrap().attempts.remove(&id);
        return;
    };
    tokio::spawn(async move {
        let due = service.get(&id).ok().and_then(|v| v.next_check_at);
        tokio::time::sleep(delay).await;
        match service.get(&id) {
            Ok(view) => {
                if view.status == Status::Unverified
                    && !view.checking
                    && due.is_some()
                    && view.next_check_at == due
                {
                    let _ = service.request_verification(&id);
                }
            }
            // Deleted while it waited: nothing will ask about its backoff again.
            Err(crate::Error::NotFound(_)) => drop(tracking.lock().unwrap().attempts.remove(&id)),
            Err(_) => {}
        }
    });
}

/// One attempt; returns the delay before the next one, if any.
async fn check_once(
    service: &Arc<CredentialService>,
    providers: &Providers,
    config: &VerifierConfig,
    limits: &Limits,
    tracking: &Mutex<Tracking>,
    id: &str,
) -> Option<Duration> {
    // With the key in memory, opening a secret is two indexed reads and a decryption: done
    // here, like the result's write below (the hop to the blocking pool and back was ~10 %
    // of a check's CPU). Fetching the key may wait for the keychain: off the async workers.
    let opened = match service.begin_check_if_key_in_memory(id) {
        Some(opened) => opened,
        None => {
            let (service, id) = (service.clone(), id.to_owned());
            tokio::task::spawn_blocking(move || service.begin_check(&id))
                .await
                .unwrap_or_else(|_| Err(crate::Error::Internal("opening the secret failed".into())))
        }
    };
    let job = match opened {
        Ok(Some(job)) => job,
        Ok(None) => return None,
        Err(e) => {
            // A keychain that is locked, absent or busy may answer later: retry with
            // backoff. A missing or wrong key, or a damaged secret, needs the admin.
            let retry = e.is_transient().then(|| next_attempt(config, tracking, id));
            let reason = match retry {
                Some(delay) => format!("{e} — retrying in {}", human_duration(delay)),
                None => e.to_string(),
            };
            let update = StatusUpdate::undecided(reason, retry, false);
            let generation = service_generation(service, id);
            return match service.finish_check(id, generation, update) {
                Ok(Some(_)) => retry,
                _ => None,
            };
        }
    };
    // The host's slot first, then a global one: checks queued for a slow host never sit
    // on global slots that other hosts' checks could use.
    let host = limits.host(host_key(&job, config));
    let outcome = {
        let _host = host.acquire().await.expect("the semaphore is never closed");
        let _slot = limits
            .global
            .acquire()
            .await
            .expect("the semaphore is never closed");
        providers.check(&job).await.tidied()
    };
    tracing::info!(credential = %job.id, provider = job.provider.as_str(), outcome = outcome_kind(&outcome), "verification attempt");
    let mut retry = None;
    let update = match outcome {
        Outcome::Valid {
            identity,
            warning,
            expires_at,
        } => StatusUpdate {
            status: Status::Valid,
            reason: warning,
            identity: Some(identity),
            next_check_at: None,
            offline: false,
            expires_at,
        },
        Outcome::Invalid {
            code,
            propagation_sensitive,
            ..
        } if propagation_sensitive && secret_age(&job) < config.propagation_grace => {
            let delay = config.first_retry.min(config.propagation_grace);
            retry = Some(delay);
            StatusUpdate::undecided(
                format!(
                    "{code} — a new key can take a few seconds to reach every AWS region; checking again in {} s",
                    delay.as_secs().max(1)
                ),
                retry,
                false,
            )
        }
        Outcome::Invalid { code, hint, .. } => StatusUpdate {
            status: Status::Invalid,
            reason: Some(format!("{code} — {hint}")),
            identity: None,
            next_check_at: None,
            offline: false,
            expires_at: None,
        },
        Outcome::Unreachable { reason } => {
            let delay = next_attempt(config, tracking, id);
            retry = Some(delay);
            StatusUpdate::undecided(
                format!("{reason} — retrying in {}", human_duration(delay)),
                retry,
                true,
            )
        }
    };
    match service.finish_check(id, job.generation, update) {
        Ok(Some(_)) => retry,
        _ => None,
    }
}

/// Counts an undecided attempt and returns the delay before the next one.
fn next_attempt(config: &VerifierConfig, tracking: &Mutex<Tracking>, id: &str) -> Duration {
    let mut t = tracking.lock().unwrap();
    let n = t.attempts.entry(id.to_owned()).or_insert(0);
    *n += 1;
    backoff(config, *n)
}

fn service_generation(service: &CredentialService, id: &str) -> i64 {
    service.generation(id).unwrap_or(0)
}

fn outcome_kind(o: &Outcome) -> &'static str {
    match o {
        Outcome::Valid { .. } => "valid",
        Outcome::Invalid { .. } => "invalid",
        Outcome::Unreachable { .. } => "unreachable",
    }
}

fn secret_age(job: &CheckJob) -> Duration {
    crate::time::parse(&job.secret_since)
        .map(|t| (time::OffsetDateTime::now_utc() - t).unsigned_abs())
        .unwrap_or(Duration::MAX)
}

/// 5 s doubling to 5 min.
pub fn backoff(config: &VerifierConfig, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
    (config.first_retry * factor).min(config.max_retry)
}

fn human_duration(d: Duration) -> String {
    let s = d.as_secs().max(1);
    if s < 60 {
        format!("{s} s")
    } else if s.is_multiple_of(60) {
        format!("{} min", s / 60)
    } else {
        format!("{} min {} s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socks_proxy_is_refused_with_what_to_set_and_without_its_password() {
        let config = VerifierConfig::from_vars(|name| {
            (name == "ALL_PROXY").then(|| "SOCKS5://admin:hunter2@10.0.0.1:1080".to_owned())
        });
        let Err(why) = Providers::new(config) else {
            panic!("a SOCKS proxy was taken");
        };
        assert!(
            why.contains("SOCKS5 proxy") && why.contains("set HTTPS_PROXY"),
            "{why}"
        );
        assert!(!why.contains("hunter2"), "{why}");
    }

    #[test]
    fn an_http_proxy_with_or_without_its_scheme_is_taken() {
        for url in ["http://proxy.example:3128", "proxy.example:3128"] {
            let config =
                VerifierConfig::from_vars(|name| (name == "HTTPS_PROXY").then(|| url.to_owned()));
            assert!(Providers::new(config).is_ok(), "{url}");
        }
    }

    #[tokio::test]
    async fn a_credential_deleted_while_it_waits_for_a_retry_leaves_no_backoff_behind() {
        let no_clients = HttpsProxy::new("socks5://10.0.0.1:1080", "");
        // Retried because its host is down, and because the clients could not be built.
        for proxy in [None, Some(no_clients)] {
            backoff_ends_with_the_credential(proxy).await;
        }
    }

    async fn backoff_ends_with_the_credential(proxy: Option<HttpsProxy>) {
        let dir = tempfile::tempdir().unwrap();
        let keychain = Arc::new(crate::keychain::MemoryKeychain::new());
        let service = Arc::new(CredentialService::open(dir.path(), keychain).unwrap());
        let retry = Duration::from_millis(50);
        let config = VerifierConfig {
            first_retry: retry,
            max_retry: retry,
            proxy,
            ..VerifierConfig::default()
        };
        // The worker of `Verifier::spawn`, with its backoff table in view.
        let tracking = Arc::new(Mutex::new(Tracking::default()));
        let (tx, rx) = mpsc::unbounded_channel();
        service.set_queue(tx);
        tokio::spawn(run(service.clone(), config, rx, tracking.clone()));
        let refused = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let unreachable = serde_json::from_value(serde_json::json!({
            "name": "unreachable", "environment": null, "type": null, "provider": "APISIX",
            "fields": {"endpoint": format!("http://127.0.0.1:{refused}"), "admin_key": "some-admin-key"}
        }))
        .unwrap();
        let created = service.create(unreachable).unwrap();
        let backoffs = || tracking.lock().unwrap().attempts.len();
        assert!(within_5_s(|| backoffs() == 1).await, "retried with backoff");
        service.delete(&created.id).unwrap();
        assert!(
            within_5_s(|| backoffs() == 0).await,
            "its backoff outlived the credential"
        );
    }

    async fn within_5_s(mut done: impl FnMut() -> bool) -> bool {
        for _ in 0..500 {
            if done() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        done()
    }

    #[test]
    fn backoff_doubles_from_five_seconds_to_five_minutes() {
        let c = VerifierConfig::default();
        let secs: Vec<u64> = (1..=9).map(|a| backoff(&c, a).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn provider_text_is_kept_as_one_bounded_line_without_hidden_characters() {
        assert_eq!(
            tidy("AADSTS50\r\nTrace ID:\u{1b}[2J x\u{202e}y\u{200b}z"),
            "AADSTS50  Trace ID:[2J xyz"
        );
        let long = tidy(&"e".repeat(70_000));
        assert_eq!(long.chars().count(), MAX_PROVIDER_TEXT);
        assert!(long.ends_with('…'));
        assert_eq!(
            tidy("arn:aws:iam::123456789012:user/é"),
            "arn:aws:iam::123456789012:user/é"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_provider_text_is_tidy(text in ".*") {
            let kept = tidy(&text);
            proptest::prop_assert!(kept.chars().count() <= MAX_PROVIDER_TEXT);
            proptest::prop_assert!(!kept.chars().any(crate::validate::is_hidden));
            proptest::prop_assert_eq!(tidy(&kept), kept.clone(), "tidying twice changes nothing");
        }
    }

    #[test]
    fn gcp_keys_wait_for_slots_per_token_endpoint_not_all_together() {
        let job = |token_uri: &str| CheckJob {
            id: "id".into(),
            name: "name".into(),
            generation: 1,
            provider: Provider::Gcp,
            public: serde_json::json!({ "token_uri": token_uri }),
            secrets: Vec::new(),
            secret_since: String::new(),
        };
        let config = VerifierConfig::default();
        let google = host_key(&job("https://oauth2.googleapis.com/token"), &config);
        assert_eq!(google, "oauth2.googleapis.com:443");
        let black_hole = host_key(&job("http://127.0.0.1:9/token"), &config);
        assert_ne!(
            black_hole, google,
            "a black-holed endpoint has slots of its own"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_secs(40)), "40 s");
        assert_eq!(human_duration(Duration::from_secs(300)), "5 min");
        assert_eq!(human_duration(Duration::from_secs(90)), "1 min 30 s");
    }
}
