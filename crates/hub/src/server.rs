//! The hub's HTTP side: `/v1/enrol`, `/v1/pull`, `/v1/wait`, `/v1/push` (see
//! `handoff_sync::protocol`), `/v1/health`, and the CRMs' webhooks under `/v1/crm/` (see
//! [`crate::webhooks`]). It checks every request — the token, the laptop, each batch's chain and
//! signature, each webhook's signature — and keeps and relays laptops' events without reading
//! what they say.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use handoff_sync::protocol::*;
use tokio::sync::Notify;

use crate::batch;
use crate::storage::{token_hash, Access, Storage, StorageError};

/// Failed authentications from one address within [`FAILURE_WINDOW`] before it is answered 429.
const FAILURES_ALLOWED: u32 = 10;
const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// How long a push waits, by default, for the batch before it to be kept (see [`Lane`]).
pub const PATIENCE: Duration = Duration::from_secs(5);
/// How often a waiting push looks at the laptop's head again without being woken.
const LOOK_AGAIN: Duration = Duration::from_millis(200);

/// How often a laptop's wait looks at the heads again without being woken (another hub process
/// on the same PostgreSQL may have kept the news).
pub const WAIT_LOOK_AGAIN: Duration = Duration::from_secs(2);

/// How long a hub waits on what, for the laptops.
#[derive(Clone, Copy, Debug)]
pub struct Timings {
    /// How long a push waits for the batch before it (see [`Lane`]).
    pub patience: Duration,
    /// How long a laptop's wait for news is held open.
    pub wait_at_most: Duration,
    /// How often a wait for news looks again without being woken.
    pub wait_look_again: Duration,
}

impl Default for Timings {
    fn default() -> Timings {
        Timings { patience: PATIENCE, wait_at_most: WAIT_AT_MOST, wait_look_again: WAIT_LOOK_AGAIN }
    }
}

/// What every request can reach.
pub struct Hub<S: Storage> {
    storage: Arc<S>,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
    lanes: Mutex<HashMap<(i64, String), Arc<Lane>>>,
    /// Per agency: woken each time a batch of it is kept, for the laptops waiting on news.
    news: Mutex<HashMap<i64, Arc<Notify>>>,
    /// Laptops' waits for news open now.
    waiting: std::sync::atomic::AtomicUsize,
    waits: Mutex<OpenWaits>,
    timings: Timings,
    /// The address the CRMs call the hub at (`https://hub.example.com`), when it is not the one
    /// the request names (behind a reverse proxy): HubSpot signs the address it called.
    public_url: Option<String>,
    /// Whether the hub itself serves HTTPS.
    tls: bool,
    /// What each agency's CRM deliveries need to know of it, kept between deliveries; one
    /// delivery of an agency is decided at a time.
    indexes: Arc<crate::crm_index::AgencyIndexes>,
    /// The key the webhook secrets are sealed with in the hub's database, or the file it is in
    /// (read when a delivery needs it: `webhooks set` may make it while the hub runs).
    secrets: Option<crate::secrets::SecretsKey>,
    secrets_file: Option<std::path::PathBuf>,
    /// The CRMs' APIs, asked about a won deal their webhook names only by ids.
    crm_apis: Option<crate::crm_api::CrmApis>,
}

impl<S: Storage> Hub<S> {
    pub fn new(storage: S) -> Arc<Hub<S>> {
        Hub::with_timings(storage, Timings::default())
    }

    /// A hub that waits as `timings` say.
    pub fn with_timings(storage: S, timings: Timings) -> Arc<Hub<S>> {
        Arc::new(Hub {
            storage: Arc::new(storage),
            failures: Mutex::new(HashMap::new()),
            lanes: Mutex::default(),
            news: Mutex::default(),
            waiting: Default::default(),
            waits: Mutex::default(),
            timings,
            public_url: None,
            tls: false,
            indexes: Arc::default(),
            secrets: None,
            secrets_file: None,
            crm_apis: None,
        })
    }

    /// This hub, reading the webhook secrets' key from `path` when a delivery needs it.
    pub fn with_secrets_file(mut hub: Arc<Hub<S>>, path: std::path::PathBuf) -> Arc<Hub<S>> {
        Arc::get_mut(&mut hub).expect("a new hub has one handle").secrets_file = Some(path);
        hub
    }

    /// This hub, asking the CRMs' APIs about a won deal no laptop brought in: HubSpot's at
    /// `hubspot`, Pipedrive's at `pipedrive` (theirs, or stand-ins').
    pub fn with_crm_apis(mut hub: Arc<Hub<S>>, hubspot: &str, pipedrive: &str) -> Result<Arc<Hub<S>>, String> {
        Arc::get_mut(&mut hub).expect("a new hub has one handle").crm_apis =
            Some(crate::crm_api::CrmApis::new(hubspot, pipedrive)?);
        Ok(hub)
    }

    /// Reads, on a thread of its own, what the CRM deliveries of each agency with a webhook need
    /// to know of it, so the first delivery after the hub starts waits for none of it.
    /// A delivery of an agency that arrives meanwhile waits for that agency's reading alone.
    pub fn warm_webhook_indexes(hub: &Arc<Hub<S>>) {
        let (storage, indexes) = (hub.storage.clone(), hub.indexes.clone());
        std::thread::spawn(move || {
            let Ok(agencies) = storage.agencies() else { return };
            for agency in agencies {
                let set_up = ["hubspot", "pipedrive", "generic"]
                    .iter()
                    .any(|crm| matches!(storage.webhook(agency.id, crm), Ok(Some(_))));
                if set_up {
                    let index = indexes.of(agency.id);
                    let mut index = index.lock().unwrap_or_else(|p| p.into_inner());
                    if let Err(e) = index.catch_up(&*storage, agency.id) {
                        eprintln!("the hub could not read {}'s events for its webhooks yet: {e}", agency.name);
                    }
                }
            }
        });
    }

    /// The key to open webhook secrets with, if there is one.
    fn secrets_key(&self) -> Result<Option<crate::secrets::SecretsKey>, String> {
        match (&self.secrets, &self.secrets_file) {
            (Some(key), _) => Ok(Some(key.clone())),
            (None, Some(path)) => crate::secrets::SecretsKey::read(path),
            (None, None) => Ok(None),
        }
    }

    /// This hub, opening the webhook secrets with `key` (right after it is made).
    pub fn with_secrets(mut hub: Arc<Hub<S>>, key: crate::secrets::SecretsKey) -> Arc<Hub<S>> {
        Arc::get_mut(&mut hub).expect("a new hub has one handle").secrets = Some(key);
        hub
    }

    /// A hub whose webhooks the CRMs call at `public_url` (when set), serving HTTPS itself when
    /// `tls` is set.
    pub fn with_address(storage: S, public_url: Option<String>, tls: bool) -> Arc<Hub<S>> {
        let mut hub = Hub::with_timings(storage, Timings::default());
        let hub_mut = Arc::get_mut(&mut hub).expect("a new hub has one handle");
        hub_mut.public_url = public_url.map(|u| u.trim_end_matches('/').to_string());
        hub_mut.tls = tls;
        hub
    }

    fn lane(&self, agency: i64, device: &str) -> Arc<Lane> {
        let mut lanes = self.lanes.lock().unwrap_or_else(|p| p.into_inner());
        lanes.entry((agency, device.to_string())).or_default().clone()
    }

    /// How many laptops' waits for news are open now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Opens `device`'s wait, ending the one it had open: a laptop waits once at a time (more is
    /// a fault or an attack, and would tie up the hub's reads). Returns the wait's number and what
    /// tells it that a newer one replaced it.
    fn open_wait(&self, agency: i64, device: &str) -> (u64, Arc<Notify>) {
        let mut waits = self.waits.lock().unwrap_or_else(|p| p.into_inner());
        waits.last += 1;
        let number = waits.last;
        let ends = Arc::new(Notify::new());
        if let Some((_, older)) = waits.open.insert((agency, device.to_string()), (number, ends.clone())) {
            older.notify_one();
        }
        (number, ends)
    }

    /// Forgets `device`'s wait `number`, unless a newer one replaced it.
    fn close_wait(&self, agency: i64, device: &str, number: u64) {
        let mut waits = self.waits.lock().unwrap_or_else(|p| p.into_inner());
        let key = (agency, device.to_string());
        if waits.open.get(&key).is_some_and(|(open, _)| *open == number) {
            waits.open.remove(&key);
        }
    }

    /// Counts a failed attempt from `from`; whether it has failed too often within the window.
    fn failed_once_more(&self, from: IpAddr) -> bool {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        failures.retain(|_, (_, since)| now.duration_since(*since) < FAILURE_WINDOW);
        let entry = failures.entry(from).or_insert((0, now));
        entry.0 += 1;
        entry.0 > FAILURES_ALLOWED
    }

    /// Whether `from` failed too often within the window already.
    fn failed_too_often(&self, from: IpAddr) -> bool {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.get(&from).is_some_and(|(n, since)| *n > FAILURES_ALLOWED && since.elapsed() < FAILURE_WINDOW)
    }

    fn news(&self, agency: i64) -> Arc<Notify> {
        let mut news = self.news.lock().unwrap_or_else(|p| p.into_inner());
        news.entry(agency).or_default().clone()
    }
}

/// One laptop's pushes. A laptop keeps three batches on their way, so the hub reads and checks
/// the next ones while it keeps the one before; they are kept in turn, in number order. A batch that
/// overtook the one before it waits for it — woken each time a push of that laptop ends — and
/// is refused when it has not come within the hub's patience.
#[derive(Default)]
struct Lane {
    turn: Arc<tokio::sync::Mutex<()>>,
    ended: Notify,
    /// Where the last batch checked in its turn ends: its last number and chain link. The next
    /// batch is checked from there while that one is still being kept, off the turn; in its turn
    /// the check stands only if the hub then holds that very link before it.
    checked: Mutex<Option<(u64, [u8; 32])>>,
}

impl Lane {
    /// The link the batch starting at `first` is likely to continue from, if known here.
    fn likely_before(&self, first: u64) -> Option<[u8; 32]> {
        match first - 1 {
            0 => Some(CHAIN_START),
            last => match *self.checked.lock().unwrap_or_else(|p| p.into_inner()) {
                Some((seq, link)) if seq == last => Some(link),
                _ => None,
            },
        }
    }

    /// The batch ending at `last` with `link` was checked in its turn: the next is checked from
    /// there. Only forwards: a batch repeated after a dropped answer does not take it back.
    fn checked_up_to(&self, last: u64, link: [u8; 32]) {
        let mut checked = self.checked.lock().unwrap_or_else(|p| p.into_inner());
        if checked.is_none_or(|(seq, _)| seq < last) {
            *checked = Some((last, link));
        }
    }

    /// The batch ending at `last` was not kept after all: the next one is not checked from it.
    fn not_kept(&self, last: u64) {
        let mut checked = self.checked.lock().unwrap_or_else(|p| p.into_inner());
        if checked.is_some_and(|(seq, _)| seq == last) {
            *checked = None;
        }
    }
}

/// The open wait of each laptop, by (agency, laptop): its number and what ends it; and the
/// number the next wait takes.
#[derive(Default)]
struct OpenWaits {
    last: u64,
    open: HashMap<(i64, String), (u64, Arc<Notify>)>,
}

/// The hub's routes. Bodies above [`MAX_BODY_BYTES`] are refused with 413 (tower-http's limit:
/// at once when their length says so, else as soon as that much has arrived).
pub fn router<S: Storage>(hub: Arc<Hub<S>>) -> Router {
    Router::new()
        .route("/v1/health", get(|| async { "ok\n" }))
        .route("/v1/enrol", post(enrol::<S>))
        .route("/v1/pull", post(pull::<S>))
        .route("/v1/push", post(push::<S>))
        .route("/v1/wait", post(wait::<S>))
        .route("/v1/crm/{agency}/{crm}", post(webhook::<S>))
        .route("/v1/webhook-log", post(webhook_log::<S>))
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .with_state(hub)
}

/// A refusal: its status and a sentence for the person at the laptop.
#[derive(Debug)]
pub struct Refused(StatusCode, String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&Refusal { error: self.1 }).expect("a refusal serialises");
        (self.0, [("content-type", "application/json")], body).into_response()
    }
}

impl From<StorageError> for Refused {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Conflict(why) => Refused(StatusCode::CONFLICT, why),
            other => Refused(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        }
    }
}

pub(crate) fn refused(status: StatusCode, why: impl Into<String>) -> Refused {
    Refused(status, why.into())
}

/// Runs a storage call off the async threads.
async fn blocking<S: Storage, T: Send + 'static>(
    hub: &Arc<Hub<S>>,
    f: impl FnOnce(&S) -> Result<T, StorageError> + Send + 'static,
) -> Result<T, Refused> {
    let storage = hub.storage.clone();
    tokio::task::spawn_blocking(move || f(&storage))
        .await
        .map_err(|e| refused(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(Refused::from)
}

/// What the request's token opens. A bad token is 401; after too many from one address, 429 —
/// a good token is always let in, whoever failed before it.
async fn authenticate<S: Storage>(hub: &Arc<Hub<S>>, from: IpAddr, token: Option<&str>) -> Result<Access, Refused> {
    let hash = token.map(token_hash);
    let access = match hash {
        Some(hash) => blocking(hub, move |s| s.access(&hash)).await?,
        None => None,
    };
    if let Some(access) = access {
        return Ok(access);
    }
    let mut failures = hub.failures.lock().unwrap_or_else(|p| p.into_inner());
    let now = Instant::now();
    failures.retain(|_, (_, since)| now.duration_since(*since) < FAILURE_WINDOW);
    let entry = failures.entry(from).or_insert((0, now));
    entry.0 += 1;
    if entry.0 > FAILURES_ALLOWED {
        return Err(refused(StatusCode::TOO_MANY_REQUESTS, "too many failed attempts; wait a minute"));
    }
    Err(refused(
        StatusCode::UNAUTHORIZED,
        "this token is not known here, or was revoked: ask the agency's founder for a new one",
    ))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

fn device_of(headers: &HeaderMap) -> Result<String, Refused> {
    headers
        .get(DEVICE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "the request does not say which laptop it comes from"))
}

fn answer<H: serde::Serialize, L: serde::Serialize>(head: &H, lines: &[L]) -> Response {
    (StatusCode::OK, [("content-type", "application/jsonl"), ("content-encoding", "gzip")], encode(head, lines))
        .into_response()
}

pub(crate) fn unreadable(e: BodyError) -> Refused {
    let status = match e {
        BodyError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    };
    refused(status, e.to_string())
}

/// A request other than a push, read from its gzip JSON lines: a few lines at most.
fn read_request<H: for<'de> serde::Deserialize<'de>>(body: &[u8]) -> Result<H, Refused> {
    let (head, _): (H, Vec<serde_json::Value>) =
        decode_at_most(body, MAX_REQUEST_INFLATED_BYTES).map_err(unreadable)?;
    Ok(head)
}

async fn enrol<S: Storage>(
    State(hub): State<Arc<Hub<S>>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Result<Response, Refused> {
    let request: EnrolRequest = read_request(&body)?;
    let access = authenticate(&hub, from.ip(), Some(&request.token)).await?;
    if link(&request.public_key).is_none() {
        return Err(refused(StatusCode::BAD_REQUEST, "the laptop's key is not an Ed25519 public key"));
    }
    let answer_to = EnrolResponse {
        agency: access.agency.name.clone(),
        person: access.person.clone(),
        origin: access.agency.origin.clone(),
    };
    blocking(&hub, move |s| s.enrol(&access, &request.device, &request.public_key)).await?;
    Ok(answer::<_, ()>(&answer_to, &[]))
}

/// The token's access, and the enrolled laptop the request comes from.
async fn laptop<S: Storage>(
    hub: &Arc<Hub<S>>,
    from: IpAddr,
    headers: &HeaderMap,
) -> Result<(Access, String, crate::storage::Device), Refused> {
    let access = authenticate(hub, from, bearer(headers)).await?;
    let device = device_of(headers)?;
    let (agency, d) = (access.agency.id, device.clone());
    let enrolled = blocking(hub, move |s| s.device(agency, &d)).await?;
    let enrolled = enrolled.ok_or_else(|| {
        refused(StatusCode::FORBIDDEN, format!("laptop {device} has not joined {}: join first", access.agency.name))
    })?;
    Ok((access, device, enrolled))
}

async fn pull<S: Storage>(
    State(hub): State<Arc<Hub<S>>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refused> {
    let (access, _, _) = laptop(&hub, from.ip(), &headers).await?;
    let request: PullRequest = read_request(&body)?;
    let agency = access.agency.id;
    let (heads, (events, more)) =
        blocking(&hub, move |s| Ok((s.heads(agency)?, s.pull(agency, &request.cursors, PAGE)?))).await?;
    let head = PullHead { heads, more, now_ms: chrono::Utc::now().timestamp_millis() };
    Ok(answer(&head, &events))
}

async fn wait<S: Storage>(
    State(hub): State<Arc<Hub<S>>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refused> {
    let (access, device, _) = laptop(&hub, from.ip(), &headers).await?;
    let request: WaitRequest = read_request(&body)?;
    let agency = access.agency.id;
    let news = hub.news(agency);
    let (number, ends) = hub.open_wait(agency, &device);
    // However the wait ends: forgotten (unless a newer one replaced it), and no longer counted.
    let _close = scopeguard::guard((), |_| hub.close_wait(agency, &device, number));
    hub.waiting.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let _counted = scopeguard::guard((), |_| {
        hub.waiting.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    });
    let replaced = ends.notified();
    tokio::pin!(replaced);
    let deadline = tokio::time::Instant::now() + hub.timings.wait_at_most;
    loop {
        // Listening before looking, so a batch kept in between still wakes this wait.
        let kept = news.notified();
        tokio::pin!(kept);
        kept.as_mut().enable();
        let heads = blocking(&hub, move |s| s.heads(agency)).await?;
        let ahead = heads.iter().any(|(device, head)| head.seq > request.cursors.get(device).copied().unwrap_or(0));
        let now = tokio::time::Instant::now();
        if ahead || now >= deadline {
            return Ok(answer::<_, ()>(&WaitResponse { news: ahead }, &[]));
        }
        tokio::select! {
            _ = tokio::time::timeout_at(deadline.min(now + hub.timings.wait_look_again), kept) => {}
            _ = &mut replaced => {
                return Err(refused(StatusCode::CONFLICT, "this laptop opened another wait for news; this one has ended"));
            }
        }
    }
}

/// The agency's webhook log, for any of its laptops.
async fn webhook_log<S: Storage>(
    State(hub): State<Arc<Hub<S>>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refused> {
    let (access, _, _) = laptop(&hub, from.ip(), &headers).await?;
    let request: WebhookLogRequest = read_request(&body)?;
    let name = access.agency.name.clone();
    let limit = request.limit.clamp(1, 500);
    let lines = blocking(&hub, move |s| s.deliveries(Some(&name), limit)).await?;
    let lines: Vec<WebhookLogLine> = lines
        .into_iter()
        .map(|d| WebhookLogLine {
            crm: d.crm,
            received_at: d.received_at,
            outcome: d.outcome,
            status: d.status,
            detail: d.detail,
        })
        .collect();
    Ok(answer(&WebhookLogHead { lines: lines.len() }, &lines))
}

/// A CRM's webhook delivery (see [`crate::webhooks`]).
async fn webhook<S: Storage>(
    State(hub): State<Arc<Hub<S>>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    axum::extract::Path((agency, crm)): axum::extract::Path<(String, String)>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
    let base = hub.public_url.clone().unwrap_or_else(|| {
        let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
        format!("{}://{host}", if hub.tls { "https" } else { "http" })
    });
    let whole = format!("{base}{path}");
    // Guessing at signatures (or at agencies) is slowed down as guessing at tokens is, and
    // fills the webhook log no further.
    if hub.failed_too_often(from.ip()) {
        let body = serde_json::json!({ "status": "refused", "message": "too many failed attempts; wait a minute" });
        return (StatusCode::TOO_MANY_REQUESTS, [("content-type", "application/json")], body.to_string())
            .into_response();
    }
    let worker = hub.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let request = crate::webhooks::Request { method: method.as_str(), uri: whole, header: &header, body: &body };
        let storage: &S = &worker.storage;
        let answer = match worker.secrets_key() {
            Ok(key) => {
                let api: &dyn crate::webhooks::CrmApi = match &worker.crm_apis {
                    Some(api) => api,
                    None => &crate::webhooks::NoCrmApi,
                };
                crate::webhooks::receive(
                    storage,
                    &worker.indexes,
                    key.as_ref(),
                    api,
                    &agency,
                    &crm,
                    request,
                    chrono::Utc::now(),
                )
            }
            Err(why) => crate::webhooks::Answer { status: 500, message: why },
        };
        if answer.status == 200 {
            if let Ok(a) = storage.agency(&agency) {
                worker.news(a.id).notify_waiters();
            }
        }
        answer
    })
    .await
    .unwrap_or_else(|e| crate::webhooks::Answer { status: 500, message: e.to_string() });
    if matches!(answer.status, 401 | 404) {
        hub.failed_once_more(from.ip());
    }
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body =
        serde_json::json!({ "status": if status.is_success() { "ok" } else { "refused" }, "message": answer.message });
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

async fn push<S: Storage>(
    State(hub): State<Arc<Hub<S>>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refused> {
    let (access, device, enrolled) = laptop(&hub, from.ip(), &headers).await?;
    let pushed = batch::read(&body, &device)?;
    let agency = access.agency.id;
    let first = pushed.first();
    // Kept in turn: the batch before this one first, when it is still on its way.
    // A push under way in the lane: when it ends, however it ends, the pushes waiting look again.
    let under_way = scopeguard::guard(hub.lane(agency, &device), |lane| lane.ended.notify_waiters());
    let lane = Arc::clone(&under_way);
    // Checked ahead, while the batch before is still being kept (the SHA-256 over every event
    // and the signature are a tenth of the hub's time on a push); a batch this fails is checked
    // again in its turn, from what the hub holds, and refused only then.
    let ahead = {
        let (pushed, lane, name, key) = (&pushed, &lane, &access.agency.name, &enrolled.public_key);
        lane.likely_before(first).and_then(|before| pushed.links(before, name, key).ok())
    };
    let deadline = tokio::time::Instant::now() + hub.timings.patience;
    let turn = loop {
        let ended = lane.ended.notified();
        tokio::pin!(ended);
        ended.as_mut().enable();
        let turn = lane.turn.clone().lock_owned().await;
        let d = device.clone();
        let held = blocking(&hub, move |s| s.head(agency, &d)).await?;
        if first - 1 <= held {
            break turn;
        }
        drop(turn);
        // Woken when a push of this laptop ends here; looked at again now and then, for the
        // batch before may be kept by another hub process on the same PostgreSQL.
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Err(refused(
                StatusCode::CONFLICT,
                format!("the hub does not hold this laptop's events before number {first}: send them first"),
            ));
        }
        let _ = tokio::time::timeout_at(deadline.min(now + LOOK_AGAIN), ended).await;
    };
    let d = device.clone();
    let before = match first - 1 {
        0 => CHAIN_START,
        last => {
            let held = blocking(&hub, move |s| s.link(agency, &d, last)).await?.ok_or_else(|| {
                refused(
                    StatusCode::CONFLICT,
                    format!("the hub does not hold this laptop's events before number {first}: send them first"),
                )
            })?;
            handoff_sync::protocol::link(&held).expect("the hub keeps links as hex")
        }
    };
    let origin = pushed.origin.clone();
    let links = match ahead {
        Some(links) if links.continue_from(&before) => links,
        _ => pushed.links(before, &access.agency.name, &enrolled.public_key)?,
    };
    // The next batch may be checked from here while this one is being kept; should this one not
    // be kept, that check does not stand (the next is checked again from what the hub holds).
    let last = first - 1 + pushed.head.count;
    lane.checked_up_to(last, links.end());
    let kept = pushed.with_links(links);
    let (d, agency_name) = (device.clone(), access.agency.name.clone());
    let news = hub.news(agency);
    let head_now = blocking(&hub, move |s| {
        // The turn is let go only once the batch is kept or refused, even when the request that
        // brought it is gone meanwhile; then the pushes waiting behind it look again.
        let _kept_in_turn = (turn, under_way);
        // A batch that overlaps what the hub holds (a push repeated after a dropped answer)
        // must repeat it exactly.
        let held = s.head(agency, &d)?;
        for e in kept.iter().take_while(|e| e.seq <= held) {
            if let Some((id, body)) = s.event_at(agency, &d, e.seq)? {
                if id != e.id || body.as_bytes() != e.body.as_bytes() {
                    return Err(StorageError::Conflict(format!(
                        "{agency_name} holds another event as this laptop's number {}: this database may be a copy of another laptop's",
                        e.seq
                    )));
                }
            }
        }
        let head = s.append(agency, &d, &kept, origin.as_deref())?;
        // The laptops waiting for news hear of it, even when the request that brought it is gone.
        news.notify_waiters();
        Ok(head)
    })
    .await
    .inspect_err(|_| lane.not_kept(last))?;
    Ok(answer::<_, ()>(&PushResponse { head: head_now }, &[]))
}

#[cfg(test)]
mod tests {
    use super::{Lane, CHAIN_START};

    #[test]
    fn a_lane_checks_the_next_batch_from_where_the_last_one_checked_ends_and_only_forwards() {
        let lane = Lane::default();
        let (two, four) = ([2u8; 32], [4u8; 32]);
        assert_eq!(lane.likely_before(1), Some(CHAIN_START), "a laptop's first batch starts the chain");
        assert_eq!(lane.likely_before(3), None, "nothing checked yet");
        lane.checked_up_to(4, four);
        assert_eq!(lane.likely_before(5), Some(four));
        assert_eq!(lane.likely_before(3), None, "only the batch right after");
        // A batch repeated after a dropped answer does not take the lane back.
        lane.checked_up_to(2, two);
        assert_eq!(lane.likely_before(5), Some(four));
        // An older batch not kept leaves it; the one checked last not kept forgets it.
        lane.not_kept(2);
        assert_eq!(lane.likely_before(5), Some(four));
        lane.not_kept(4);
        assert_eq!(lane.likely_before(5), None);
    }
}
