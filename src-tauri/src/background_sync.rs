//! Sync without thinking, while the app runs on a laptop that joined a hub: right after something
//! changes here (the log's end is looked at each second — the database, never the network), as
//! soon as the hub says another laptop sent something (a wait the hub holds open until it has
//! news), every minute, and, while the hub cannot be reached, again every few seconds so the
//! laptop catches up as soon as it is back. Each sync is announced to the window
//! (`sync-started`) and its outcome sent to it (`sync-status`, a `SyncReportDto`); what sync does
//! lives in handoff-api.

use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use handoff_api::dto::SyncReportDto;
use handoff_api::ErrorCode;
use tauri::{AppHandle, Emitter, Manager};

/// How often the log's end is looked at.
const LOOK: Duration = Duration::from_secs(1);
/// How often a laptop syncs when nothing changed here.
const EVERY: Duration = Duration::from_secs(60);
/// How soon a sync, or a wait for news, is tried again after the hub could not be reached (or
/// before the laptop joined one).
const RETRY: Duration = Duration::from_secs(5);

/// Starts the sync thread and the thread that waits for the hub's news. A sync that took
/// something in nudges `notifier`, so what it brought is told at once.
pub fn start(app: AppHandle, notifier: SyncSender<()>) {
    let (news, heard) = sync_channel::<()>(1);
    let (synced, done) = sync_channel::<bool>(1);
    let waiting = app.clone();
    std::thread::spawn(move || wait_for_news(waiting, news, done));
    std::thread::spawn(move || sync_when_due(app, heard, synced, notifier));
}

/// Syncs when something changed here, when the hub has news, and every minute; tells the news
/// thread how each sync went.
fn sync_when_due(app: AppHandle, news: Receiver<()>, synced: SyncSender<bool>, notifier: SyncSender<()>) {
    let mut synced_to: Option<i64> = None;
    let mut due = Instant::now();
    let mut left_waiting = 0;
    loop {
        let heard = match news.recv_timeout(LOOK) {
            Ok(()) => true,
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let ctx = app.state::<handoff_api::Ctx>();
        let end = handoff_api::sync_log_end(&ctx).ok();
        if !(heard || end != synced_to || Instant::now() >= due) {
            continue;
        }
        let _ = app.emit("sync-started", ());
        let outcome = handoff_api::sync_now(&ctx);
        due = Instant::now()
            + match &outcome {
                Err(e) if e.code == ErrorCode::Offline => RETRY,
                _ => EVERY,
            };
        // What came in moved the log's end too; a change made here while the sync ran is still
        // waiting afterwards, and goes at once (once: what the hub keeps refusing waits its turn).
        synced_to = handoff_api::sync_log_end(&ctx).ok();
        let _ = synced.try_send(outcome.is_ok());
        let status = match outcome {
            Ok(report) => {
                let waiting = report.status.waiting;
                if waiting > 0 && waiting != left_waiting {
                    due = Instant::now();
                }
                left_waiting = waiting;
                if report.received > 0 {
                    let _ = notifier.try_send(());
                }
                let _ = app.emit("sync-status", &report);
                continue;
            }
            Err(e) if e.code == ErrorCode::NotJoined => continue,
            Err(e) => {
                log::info!("sync: {}", e.message);
                handoff_api::sync_status(&ctx)
            }
        };
        // The window hears how it went even when the status cannot be read in full.
        let status = status
            .unwrap_or_else(|e| handoff_api::dto::SyncStatusDto::unreadable(e.message, ctx.clock_offset_seconds()));
        let _ = app.emit("sync-status", &SyncReportDto { received: 0, sent: 0, conflicts: 0, status });
    }
}

/// Holds a wait open at the hub; on news, has the sync thread sync, and waits for it to finish
/// before waiting again (else the same news would be heard again and again). After a sync that
/// failed, or a wait that did, it lets a while pass first, longer each time — unless a sync
/// goes through meanwhile.
fn wait_for_news(app: AppHandle, news: SyncSender<()>, synced: Receiver<bool>) {
    let mut pause = RETRY;
    loop {
        let ctx = app.state::<handoff_api::Ctx>();
        let went_well = match handoff_api::sync_wait(&ctx) {
            Ok(true) => {
                while synced.try_recv().is_ok() {} // an earlier sync's end is not this one's
                if news.send(()).is_err() {
                    return;
                }
                synced.recv_timeout(EVERY).unwrap_or(false)
            }
            Ok(false) => true,
            // Not joined (yet): look again soon, so a laptop that joins hears news at once.
            Err(e) if e.code == ErrorCode::NotJoined => {
                std::thread::sleep(RETRY);
                continue;
            }
            // Offline, refused: the sync thread says why.
            Err(_) => false,
        };
        if went_well {
            pause = RETRY;
            continue;
        }
        // A sync that goes through meanwhile (the hub is back) has it wait for news again at
        // once, so what another laptop sends next is heard as it comes.
        match synced.recv_timeout(pause) {
            Ok(true) => pause = RETRY,
            Ok(false) | Err(RecvTimeoutError::Timeout) => pause = (pause * 2).min(EVERY),
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
