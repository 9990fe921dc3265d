//! Desktop notifications while the app runs: once a minute, asks handoff-api what became due since
//! the last look for the person who uses this laptop (`notices`) and shows each as a notification.
//! Who is told what is the API's rule.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

/// How often the notifier looks.
const EVERY: Duration = Duration::from_secs(60);

/// Starts the notifier thread.
pub fn start(app: AppHandle) {
    std::thread::spawn(move || {
        let mut since: Option<DateTime<Utc>> = None;
        loop {
            let ctx = app.state::<handoff_api::Ctx>();
            match handoff_api::notices(&ctx, since) {
                Ok(found) => {
                    for n in &found.notices {
                        if let Err(e) = app.notification().builder().title(&n.title).body(&n.body).show() {
                            log::warn!("notification not shown: {e}");
                        }
                    }
                    since = Some(found.now);
                }
                // No agency yet (first run) or a busy database: look again later.
                Err(e) => log::debug!("no notices: {}", e.message),
            }
            std::thread::sleep(EVERY);
        }
    });
}
