//! Sync without thinking, while the app runs on a laptop that joined a hub: right after something
//! changes here (the log's end is looked at each second — the database, never the network), every
//! minute, and, while the hub cannot be reached, again every few seconds so the laptop catches up
//! as soon as it is back. Each sync is announced to the window (`sync-started`) and its outcome
//! sent to it (`sync-status`, a `SyncReportDto`); what sync does lives in handoff-api.

use std::time::{Duration, Instant};

use handoff_api::dto::SyncReportDto;
use handoff_api::ErrorCode;
use tauri::{AppHandle, Emitter, Manager};

/// How often the log's end is looked at.
const LOOK: Duration = Duration::from_secs(1);
/// How often a laptop syncs when nothing changed here.
const EVERY: Duration = Duration::from_secs(60);
/// How soon a sync is tried again after the hub could not be reached.
const RETRY_OFFLINE: Duration = Duration::from_secs(5);

/// Starts the sync thread.
pub fn start(app: AppHandle) {
    std::thread::spawn(move || {
        let mut synced_to: Option<i64> = None;
        let mut due = Instant::now();
        loop {
            let ctx = app.state::<handoff_api::Ctx>();
            let end = handoff_api::sync_log_end(&ctx).ok();
            if end != synced_to || Instant::now() >= due {
                let _ = app.emit("sync-started", ());
                let outcome = handoff_api::sync_now(&ctx);
                due = Instant::now()
                    + match &outcome {
                        Err(e) if e.code == ErrorCode::Offline => RETRY_OFFLINE,
                        _ => EVERY,
                    };
                // What came in moved the log's end too; the next change here is what counts.
                synced_to = handoff_api::sync_log_end(&ctx).ok();
                match outcome {
                    Ok(report) => {
                        let _ = app.emit("sync-status", &report);
                    }
                    Err(e) if e.code == ErrorCode::NotJoined => {}
                    Err(e) => {
                        log::info!("sync: {}", e.message);
                        if let Ok(status) = handoff_api::sync_status(&ctx) {
                            let report = SyncReportDto { received: 0, sent: 0, conflicts: 0, status };
                            let _ = app.emit("sync-status", &report);
                        }
                    }
                }
            }
            std::thread::sleep(LOOK);
        }
    });
}
