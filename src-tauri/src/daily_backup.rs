//! The automatic daily backup while the app runs: once the first screen is up and then every ten
//! minutes, asks handoff-api to make today's backup if there is none yet (it keeps the last
//! seven), and tells the window when it made one.
//!
//! It waits for the first screen because the day's first backup copies the whole agency (on
//! 100,000 deals, 1.6 GB and several seconds): made beside the start, it slowed the first launch
//! of each day to Today by a fifth.

use std::sync::mpsc::Receiver;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

/// The event the window sends once its first screen has rendered (`ui/src/lib/ready.ts`).
pub const FIRST_SCREEN_SHOWN: &str = "first-screen-shown";
/// The event the window hears when a daily backup was made (the Data screen lists it).
pub const MADE: &str = "daily-backup-made";

/// How long the backup waits for the first screen at most: a window that never says so (its
/// page failed to load, say) does not keep the agency from its backup.
const FIRST_SCREEN_AT_MOST: Duration = Duration::from_secs(20);
/// How often the app looks whether today's backup is made.
const EVERY: Duration = Duration::from_secs(10 * 60);

/// Starts the backup thread; `shown` hears when the first screen is up.
pub fn start(app: AppHandle, shown: Receiver<()>) {
    std::thread::spawn(move || {
        let _ = shown.recv_timeout(FIRST_SCREEN_AT_MOST);
        loop {
            let ctx = app.state::<handoff_api::Ctx>();
            match handoff_api::daily_backup(&ctx) {
                Ok(Some(made)) => {
                    log::info!("daily backup: {} ({} events)", made.path, made.events);
                    let _ = app.emit(MADE, ());
                }
                Ok(None) => {}
                Err(e) => log::warn!("the daily backup was not made: {}", e.message),
            }
            std::thread::sleep(EVERY);
        }
    });
}
