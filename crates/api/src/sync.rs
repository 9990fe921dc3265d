//! Sync with the agency's hub: join it, sync now (pull what this laptop lacks, then push what the
//! hub lacks), say how it went, leave. Sync is optional: a laptop that has not joined a hub never
//! touches a network. The database is held only while events go in or out, never while the
//! network is waited on.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use handoff_store::query;
use handoff_store::transport::Sequenced;
use handoff_store::Received;
use handoff_sync::client::{Hub, SyncError};
use handoff_sync::join_code::JoinCode;
use handoff_sync::protocol::{self, Head, Numbered, PullRequest, PulledPage, PushResponse, CHAIN_START, PAGE};
use rand::RngCore;

use crate::dto::*;
use crate::laptop_keys::HubPlace;
use crate::{ApiError, Ctx, ErrorCode};

/// This laptop's local settings that say how sync went.
const LAST_SUCCESS: &str = "sync.last_success";
const LAST_ERROR: &str = "sync.last_error";
/// Set when the last sync could not reach the hub.
const OFFLINE: &str = "sync.offline";
const CONFIRMED: &str = "sync.confirmed";
const DRIFT: &str = "sync.drift_ms";
/// How many pulled events a laptop takes in (and folds) in one transaction at most.
const TAKE_IN_AT_ONCE: usize = 200_000;

impl From<SyncError> for ApiError {
    fn from(e: SyncError) -> Self {
        let code = match &e {
            SyncError::Unreachable { .. } => ErrorCode::Offline,
            SyncError::Unauthorized(_) => ErrorCode::TokenRefused,
            SyncError::Refused(_)
            | SyncError::TooManyAttempts
            | SyncError::Garbled(_)
            | SyncError::Untrusted { .. } => ErrorCode::HubRefused,
            SyncError::BadAddress(_) => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// Runs `f` on a thread of its own: a sync drives an async runtime of its own, which cannot start
/// on a thread that already drives one (the app runs commands on such threads).
fn apart<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
}

/// A runtime for one sync: the client is async, the use cases are not.
fn runtime() -> Result<tokio::runtime::Runtime, ApiError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ApiError::new(ErrorCode::Storage, format!("sync could not start: {e}")))
}

fn place(ctx: &Ctx) -> Result<Option<HubPlace>, ApiError> {
    let device = ctx.store().device();
    ctx.keys()?.hub_place(device)
}

fn signing_key(place: &HubPlace) -> Result<SigningKey, ApiError> {
    let bytes = protocol::link(&place.device_key).ok_or_else(|| {
        ApiError::new(ErrorCode::Storage, "this laptop's sync key cannot be read: leave the hub and join again")
    })?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Joins the agency's hub at `url` with the token the founder made, then syncs at once. A
/// database that holds another agency than the hub carries is refused; an empty one takes in the
/// agency from the hub; the first laptop's whole log seeds it.
pub fn sync_join(ctx: &Ctx, req: SyncJoinRequest) -> Result<SyncReportDto, ApiError> {
    apart(|| sync_join_here(ctx, req))
}

/// Refuses when this laptop has joined a hub already.
fn not_joined_yet(ctx: &Ctx) -> Result<(), ApiError> {
    let device = ctx.store().device();
    match ctx.keys()?.hub_address(device)? {
        Some(place) => Err(ApiError::new(
            ErrorCode::Refused,
            format!("this laptop syncs with {} already ({}): leave that hub first", place.url, place.agency),
        )),
        None => Ok(()),
    }
}

/// The hub's address and the token, from a join code or as given; never repeats a token in an
/// error.
fn address_and_token(req: &SyncJoinRequest) -> Result<(String, String), ApiError> {
    match JoinCode::read(&req.url).map_err(ApiError::invalid)? {
        Some(code) => {
            if !req.token.trim().is_empty() && req.token.trim() != code.token {
                return Err(ApiError::invalid(
                    "the join code carries a token, and another was given besides: give the join code alone",
                ));
            }
            Ok((code.hub, code.token))
        }
        None if req.url.contains("token=") => Err(ApiError::invalid(
            "this is neither a join code nor a hub's address: copy the whole line the founder sent, starting with handoff://join?hub=",
        )),
        None => Ok((req.url.trim().to_string(), req.token.trim().to_string())),
    }
}

fn sync_join_here(ctx: &Ctx, req: SyncJoinRequest) -> Result<SyncReportDto, ApiError> {
    let _turn = ctx.sync_turn();
    not_joined_yet(ctx)?;
    let (url, token) = address_and_token(&req)?;
    let token = token.as_str();
    if token.is_empty() {
        return Err(ApiError::invalid(
            "joining a hub needs the token (or the join code) the agency's founder made for you",
        ));
    }
    let (device, origin) = {
        let mut store = ctx.store();
        let device = store.device();
        (device, store.read(query::agency_origin)?)
    };
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let key = SigningKey::from_bytes(&secret);
    let hub = Hub::new(&url, token, &device.to_string())?;
    let joined = runtime()?.block_on(hub.enrol(&hex::encode(key.verifying_key().to_bytes())))?;
    if let (Some(mine), Some(theirs)) = (&origin, &joined.origin) {
        if mine != theirs {
            return Err(ApiError::new(
                ErrorCode::OtherAgency,
                format!(
                    "this database holds another agency than {} on the hub: nothing was sent or taken in; join with a new, empty database",
                    joined.agency
                ),
            ));
        }
    }
    let place = HubPlace {
        url: hub.url().to_string(),
        token: token.to_string(),
        device_key: hex::encode(secret),
        agency: joined.agency,
        person: joined.person,
    };
    let person = place.person.clone();
    ctx.keys()?.keep_hub_place(device, &place)?;
    // Joined: a first sync that fails (the network dropped) is said in the status, and retried.
    let report = match sync_in_turn(ctx) {
        Ok(report) => report,
        Err(_) => SyncReportDto { received: 0, sent: 0, conflicts: 0, status: sync_status(ctx)? },
    };
    // The token was made for one person: when nobody is chosen on this laptop yet, it is theirs.
    ctx.store().write(|w| {
        if w.me()?.is_none() {
            let named: Vec<_> = w
                .directory()?
                .people_named(&person)
                .into_iter()
                .filter(|p| p.retired.is_none())
                .map(|p| p.id)
                .collect();
            if let [only] = named[..] {
                w.set_me(Some(only))?;
            }
        }
        Ok::<_, ApiError>(())
    })?;
    Ok(report)
}

/// What joining a hub would do to what this laptop holds — said before anyone presses Join —
/// and, once `url` (a join code or an address) is given, which hub it is and whether what goes
/// there is encrypted on its way.
pub fn sync_join_preview(ctx: &Ctx, url: Option<&str>) -> Result<SyncJoinPreviewDto, ApiError> {
    not_joined_yet(ctx)?;
    let hub = match url.map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(given) => {
            let (address, _) = address_and_token(&SyncJoinRequest { url: given.into(), token: String::new() })?;
            Some(handoff_sync::client::HubAddress::parse(&address).map_err(ApiError::from)?)
        }
    };
    let (agency, deals, events) = ctx.store().read(|c| {
        let agency = query::directory(c)?.agency.map(|a| a.name);
        Ok::<_, handoff_store::StoreError>((agency, query::deal_count(c)?, query::event_count(c)? as u64))
    })?;
    let says = match &agency {
        None => {
            vec!["This laptop holds no agency yet: joining takes in your agency from the hub — its people, deals and \
             history — and from then on keeps this laptop in step with the others."
                .to_string()]
        }
        Some(name) => vec![
            format!(
                "This laptop holds {name}: {deals} deal{} and {events} recorded event{}. Joining sends all of it to \
                 the hub and keeps it in step with the other laptops from then on; nothing here is deleted.",
                if deals == 1 { "" } else { "s" },
                if events == 1 { "" } else { "s" },
            ),
            format!(
                "If the hub is new, {name} as this laptop holds it becomes the agency there. If the hub already \
                 carries {name} from this laptop's own log, the two meet, and anything two laptops did differently \
                 shows as a conflict on the deal."
            ),
            "If the hub carries an agency begun on another laptop, joining is refused and nothing is sent or \
             changed: join with a new, empty database instead."
                .to_string(),
        ],
    };
    let mut says = says;
    if let Some(hub) = &hub {
        says.insert(0, format!("This joins the hub at {}.", hub.host));
        if hub.exposed {
            says.push(format!(
                "{} is reached without encryption (http://): anyone on the network in between could read the agency's data and this laptop's token. Ask your founder for an https:// address unless the hub runs on this very machine.",
                hub.host
            ));
        }
    }
    Ok(SyncJoinPreviewDto {
        agency,
        deals,
        events,
        hub: hub.as_ref().map(|h| h.host.clone()),
        unencrypted: hub.as_ref().is_some_and(|h| h.exposed),
        says,
    })
}

/// Syncs with the hub now: takes in what other laptops recorded, then sends what this laptop
/// recorded. Whatever happens is kept for `sync_status`.
pub fn sync_now(ctx: &Ctx) -> Result<SyncReportDto, ApiError> {
    apart(|| sync_now_here(ctx))
}

fn sync_now_here(ctx: &Ctx) -> Result<SyncReportDto, ApiError> {
    let _turn = ctx.sync_turn();
    sync_in_turn(ctx)
}

/// A sync, its turn taken.
fn sync_in_turn(ctx: &Ctx) -> Result<SyncReportDto, ApiError> {
    let place = place(ctx)?.ok_or_else(|| ApiError::new(ErrorCode::NotJoined, "this laptop has not joined a hub"))?;
    let result = sync_with(ctx, &place);
    let now = ctx.now();
    ctx.store().write(|w| match &result {
        Ok(_) => {
            w.set_local(LAST_SUCCESS, Some(&now.to_rfc3339()))?;
            w.set_local(LAST_ERROR, None)?;
            w.set_local(OFFLINE, None)
        }
        Err(e) => {
            w.set_local(LAST_ERROR, Some(&e.message))?;
            w.set_local(OFFLINE, (e.code == ErrorCode::Offline).then_some("1"))
        }
    })?;
    let (received, sent) = result?;
    let conflicts = ctx.store().read(|c| {
        Ok::<_, ApiError>(
            c.query_row("SELECT count(*) FROM conflicts", [], |r| r.get::<_, i64>(0))
                .map_err(handoff_store::StoreError::from)?,
        )
    })? as u64;
    Ok(SyncReportDto { received, sent, conflicts, status: sync_status(ctx)? })
}

/// Pulls until nothing more waits, then pushes this laptop's events above the hub's head.
fn sync_with(ctx: &Ctx, place: &HubPlace) -> Result<(u64, u64), ApiError> {
    let device = ctx.store().device().to_string();
    let key = signing_key(place)?;
    let hub = Hub::new(&place.url, &place.token, &device)?;
    let rt = runtime()?;
    let (received, heads) = pull_into(ctx, &hub, &rt)?;
    let (confirmed, link) = match heads.get(&device) {
        Some(h) => (h.seq, protocol::link(&h.chain).unwrap_or(CHAIN_START)),
        None => (0, CHAIN_START),
    };
    let (confirmed, sent) = push_from(ctx, place, &key, &hub, &rt, confirmed, link)?;
    ctx.store().write(|w| w.set_local(CONFIRMED, Some(&confirmed.to_string())))?;
    Ok((received, sent))
}

/// Pulls until nothing more waits and takes it all in; returns how many events were new and
/// how far the hub holds each laptop. Three threads work at once: one asks the hub for the next
/// page as soon as it knows where the last one ends, one reads and checks the last page's events,
/// and this one writes the pages before; pages go into one transaction, up to a bound, so a new
/// laptop folds its agency once rather than once a page.
fn pull_into(ctx: &Ctx, hub: &Hub, rt: &tokio::runtime::Runtime) -> Result<(u64, BTreeMap<String, Head>), ApiError> {
    let cursors = ctx.store().cursors()?;
    let (received, heads, drift) = std::thread::scope(|scope| {
        let (fetched, to_read) = std::sync::mpsc::sync_channel::<Result<PulledPage, ApiError>>(1);
        let (ready, pages) = std::sync::mpsc::sync_channel::<Result<Vec<Sequenced<Received>>, ApiError>>(2);
        let fetcher = scope.spawn(move || {
            let mut cursors = cursors;
            loop {
                let page = match rt.block_on(hub.pull_page(&PullRequest { cursors })) {
                    Ok(page) => page,
                    Err(e) => {
                        let _ = fetched.send(Err(e.into()));
                        return None;
                    }
                };
                // The clocks are compared as the answer arrives, not after taking it in.
                let drift = page.head.now_ms - ctx.now().timestamp_millis();
                let (more, heads) = (page.head.more, page.head.heads.clone());
                cursors = page.cursors.clone();
                if fetched.send(Ok(page)).is_err() || !more {
                    return Some((heads, drift));
                }
            }
        });
        let reader = scope.spawn(move || {
            for page in to_read {
                let page = page.and_then(|page| {
                    let events = page.events().map_err(|e| ApiError::from(SyncError::from(e)))?;
                    Ok(events.into_iter().map(|e| Numbered { seq: e.seq, event: e.event }.received()).collect())
                });
                let failed = page.is_err();
                if ready.send(page).is_err() || failed {
                    return;
                }
            }
        });
        let mut pages = pages.into_iter();
        let mut received = 0u64;
        loop {
            let (imported, more) = ctx.store().take_in(&mut pages, TAKE_IN_AT_ONCE, ctx.now())?;
            received += imported.new as u64;
            if !more {
                break;
            }
        }
        drop(pages);
        reader.join().expect("the reading thread does not panic");
        let (heads, drift) = fetcher
            .join()
            .expect("the pulling thread does not panic")
            .ok_or_else(|| ApiError::new(ErrorCode::Storage, "the pull stopped before the hub said it was done"))?;
        Ok::<_, ApiError>((received, heads, drift))
    })?;
    ctx.store().write(|w| w.set_local(DRIFT, Some(&drift.to_string())))?;
    Ok((received, heads))
}

/// How many batches a push has on its way to the hub at once.
const IN_FLIGHT: usize = 3;

/// How often a long push notes how far the hub holds this laptop.
const CONFIRM_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Pushes this laptop's events above `confirmed` (the hub's head, whose chain ends in `link`), a
/// batch at a time; the next batch is read and sealed while [`IN_FLIGHT`] are on their way.
/// Returns how far the hub now holds this laptop, and how many events went.
fn push_from(
    ctx: &Ctx,
    place: &HubPlace,
    key: &SigningKey,
    hub: &Hub,
    rt: &tokio::runtime::Runtime,
    confirmed: u64,
    link: [u8; 32],
) -> Result<(u64, u64), ApiError> {
    let device = ctx.store().device().to_string();
    let highest = ctx.store().number_own()?;
    if highest <= confirmed {
        return Ok((confirmed, 0));
    }
    std::thread::scope(|scope| {
        // One batch waits sealed while others are on their way: reading stays just ahead of sending.
        let (ready, mut batches) = tokio::sync::mpsc::channel::<Result<protocol::SealedBatch, ApiError>>(1);
        scope.spawn(move || {
            let (mut after, mut link) = (confirmed, link);
            loop {
                // The store is let go before anything waits on the channel.
                let read = ctx.store().numbered(after, PAGE);
                let batch = match read {
                    Ok(batch) if batch.is_empty() => return,
                    Ok(batch) => batch,
                    Err(e) => {
                        let _ = ready.blocking_send(Err(e.into()));
                        return;
                    }
                };
                after = batch.last().map_or(after, |e| e.seq);
                let sealed = protocol::seal_batch(&place.agency, &device, key, link, &batch);
                link = sealed.chain;
                if ready.blocking_send(Ok(sealed)).is_err() {
                    return; // sending stopped
                }
            }
        });
        rt.block_on(async {
            let (mut confirmed, mut sent) = (confirmed, 0u64);
            // Batches on their way at once: the hub reads and checks the next ones while it keeps
            // the one before (in number order; see the hub's lanes).
            let mut on_its_way = std::collections::VecDeque::new();
            // What the hub confirmed is noted as a long push goes, for `sync status` to show,
            // at most once every CONFIRM_EVERY (each note is a durable write, and the push
            // waits on it); the caller notes the last.
            let mut noted = std::time::Instant::now();
            let mut kept = |answer: Result<(PushResponse, u64), SyncError>| -> Result<(), ApiError> {
                let (answer, count) = answer?;
                sent += count;
                confirmed = answer.head;
                if noted.elapsed() >= CONFIRM_EVERY {
                    ctx.store().write(|w| w.set_local(CONFIRMED, Some(&confirmed.to_string())))?;
                    noted = std::time::Instant::now();
                }
                Ok(())
            };
            let sending = async {
                while let Some(sealed) = batches.recv().await {
                    let sealed = sealed?;
                    let (hub, count) = (hub.clone(), sealed.head.count);
                    on_its_way.push_back(tokio::spawn(async move { hub.push(sealed.body).await.map(|a| (a, count)) }));
                    if on_its_way.len() >= IN_FLIGHT {
                        let earliest = on_its_way.pop_front().expect("one is on its way");
                        kept(earliest.await.expect("a push does not panic"))?;
                    }
                }
                while let Some(earlier) = on_its_way.pop_front() {
                    kept(earlier.await.expect("a push does not panic"))?;
                }
                Ok::<(), ApiError>(())
            }
            .await;
            // A batch refused or lost: the ones after it are not sent on (the next sync starts
            // again from what the hub confirmed).
            if sending.is_err() {
                for later in on_its_way.drain(..) {
                    later.abort();
                }
                // What did go is noted all the same; the error is what the caller hears.
                let _ = ctx.store().write(|w| w.set_local(CONFIRMED, Some(&confirmed.to_string())));
            }
            sending?;
            Ok((confirmed, sent))
        })
    })
}

/// Waits until the hub holds something this laptop lacks (true), or a while passed with nothing
/// new (false) — how a laptop hears at once of what another did. The database is not held while
/// the hub is waited on.
pub fn sync_wait(ctx: &Ctx) -> Result<bool, ApiError> {
    apart(|| sync_wait_here(ctx))
}

fn sync_wait_here(ctx: &Ctx) -> Result<bool, ApiError> {
    let place = place(ctx)?.ok_or_else(|| ApiError::new(ErrorCode::NotJoined, "this laptop has not joined a hub"))?;
    let (device, cursors) = {
        let mut store = ctx.store();
        (store.device().to_string(), store.cursors()?)
    };
    let hub = Hub::new(&place.url, &place.token, &device)?;
    Ok(runtime()?.block_on(hub.wait(&cursors))?)
}

/// The agency's webhook log from the hub: the won deals its CRM sent, newest first, each accepted
/// or refused and why (at most 200 lines).
pub fn webhook_log(ctx: &Ctx) -> Result<Vec<WebhookLogLineDto>, ApiError> {
    apart(|| {
        let place =
            place(ctx)?.ok_or_else(|| ApiError::new(ErrorCode::NotJoined, "this laptop has not joined a hub"))?;
        let device = ctx.store().device().to_string();
        let hub = Hub::new(&place.url, &place.token, &device)?;
        let lines = runtime()?.block_on(hub.webhook_log(200))?;
        Ok(lines
            .into_iter()
            .map(|l| WebhookLogLineDto {
                crm: l.crm,
                received_at: DateTime::parse_from_rfc3339(&l.received_at).map(|t| t.with_timezone(&Utc)).ok(),
                accepted: l.outcome == "accepted",
                status: l.status,
                detail: l.detail,
            })
            .collect())
    })
}

/// Where this laptop's log ends now: a sync in the background compares it with where it ended
/// at the last sync, to send a change as soon as it is made.
pub fn sync_log_end(ctx: &Ctx) -> Result<i64, ApiError> {
    Ok(ctx.store().read(query::log_end)?)
}

/// Where this laptop syncs, and how the last sync went.
pub fn sync_status(ctx: &Ctx) -> Result<SyncStatusDto, ApiError> {
    let place = {
        let device = ctx.store().device();
        ctx.keys()?.hub_address(device)?
    };
    let mut store = ctx.store();
    let device = store.device().to_string();
    let setting = |store: &mut handoff_store::Store, key: &str| store.read(|c| query::local_setting(c, key));
    let last_success = setting(&mut store, LAST_SUCCESS)?
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc));
    let last_error = setting(&mut store, LAST_ERROR)?;
    let offline = setting(&mut store, OFFLINE)?.is_some();
    let confirmed = setting(&mut store, CONFIRMED)?.and_then(|t| t.parse().ok()).unwrap_or(0);
    let drift = setting(&mut store, DRIFT)?.and_then(|t| t.parse().ok());
    let waiting = store.waiting(confirmed)?;
    Ok(SyncStatusDto {
        joined: place.is_some(),
        hub: place.as_ref().map(|p| p.url.clone()),
        agency: place.as_ref().map(|p| p.agency.clone()),
        person: place.as_ref().map(|p| p.person.clone()),
        device,
        last_success,
        last_error,
        offline,
        waiting,
        clock_drift_ms: drift,
        clock_offset_s: ctx.clock_offset_seconds(),
        clock_offset_says: crate::dto::clock_offset_says(ctx.clock_offset_seconds()),
    })
}

/// Leaves the hub: this laptop keeps everything it holds and stops syncing.
pub fn sync_leave(ctx: &Ctx) -> Result<SyncStatusDto, ApiError> {
    let _turn = ctx.sync_turn();
    let device = ctx.store().device();
    if ctx.keys()?.hub_address(device)?.is_none() {
        return Err(ApiError::new(ErrorCode::NotJoined, "this laptop has not joined a hub"));
    }
    ctx.keys()?.forget_hub_place(device)?;
    ctx.store().write(|w| {
        for key in [LAST_SUCCESS, LAST_ERROR, OFFLINE, CONFIRMED, DRIFT] {
            w.set_local(key, None)?;
        }
        Ok::<_, ApiError>(())
    })?;
    sync_status(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The app runs its commands as tasks of an async runtime: a sync called there must still
    /// run (its own runtime on a thread of its own), not panic.
    #[test]
    fn a_sync_called_from_inside_an_async_runtime_runs() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Ctx::open(&dir.path().join("laptop.db"), true)
            .unwrap()
            .with_keys(crate::LaptopKeys::in_data_folder(&dir.path().join("home")));
        let app = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let joined = app.block_on(async {
            sync_join(&ctx, SyncJoinRequest { url: "http://127.0.0.1:9".into(), token: "hndf_nothing".into() })
        });
        let err = joined.unwrap_err();
        assert_eq!(err.code, ErrorCode::Offline, "{}", err.message);
    }
}
