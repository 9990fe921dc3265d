//! The automatic daily backup while the app runs: when it starts and then every ten minutes, asks
//! handoff-api to make today's backup if there is none yet (it keeps the last seven).

use std::time::Duration;

use tauri::{AppHandle, Manager};

/// How often the app looks whether today's backup is made.
const EVERY: Duration = Duration::from_secs(10 * 60);

/// Starts the backup thread.
pub fn start(app: AppHandle) {
    std::thread::spawn(move || loop {
        let ctx = app.state::<handoff_api::Ctx>();
        match handoff_api::daily_backup(&ctx) {
            Ok(Some(made)) => log::info!("daily backup: {} ({} events)", made.path, made.events),
            Ok(None) => {}
            Err(e) => log::warn!("the daily backup was not made: {}", e.message),
        }
        std::thread::sleep(EVERY);
    });
}
