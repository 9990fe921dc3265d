//! Notifications while the app runs: once a minute, and at once when a sync brought news, asks
//! handoff-api what is due for the person who uses this laptop (`notices`), shows each as a
//! desktop notification — once — and sends the new ones to the window (`notices`), which keeps
//! them in the sidebar for whoever missed the desktop's. Who is told what is the API's rule.

use std::collections::HashSet;
use std::sync::mpsc::{sync_channel, RecvTimeoutError, SyncSender};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use handoff_api::dto::NoticeDto;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

/// How often the notifier looks when nothing nudges it.
const EVERY: Duration = Duration::from_secs(60);

/// How many of the latest notices the window can still show.
const KEPT: usize = 50;

/// The notices told since the app started, newest first: what the window shows when it opens
/// (it may open after the first were told).
#[derive(Default)]
pub struct Told(Mutex<Vec<NoticeDto>>);

impl Told {
    /// The notices told, newest first.
    pub fn list(&self) -> Vec<NoticeDto> {
        self.0.lock().map(|l| l.clone()).unwrap_or_default()
    }

    fn add(&self, new: &[NoticeDto]) {
        if let Ok(mut list) = self.0.lock() {
            for n in new {
                list.insert(0, n.clone());
            }
            list.truncate(KEPT);
        }
    }
}

/// Starts the notifier thread; a send on what it returns has it look at once.
pub fn start(app: AppHandle) -> SyncSender<()> {
    let (nudge, nudged) = sync_channel::<()>(1);
    std::thread::spawn(move || {
        let mut since: Option<DateTime<Utc>> = None;
        let mut told: HashSet<String> = HashSet::new();
        loop {
            let ctx = app.state::<handoff_api::Ctx>();
            match handoff_api::notices(&ctx, since) {
                Ok(found) => {
                    let new: Vec<_> = found.notices.into_iter().filter(|n| told.insert(n.key.clone())).collect();
                    for n in &new {
                        if let Err(e) = app.notification().builder().title(&n.title).body(&n.body).show() {
                            log::warn!("notification not shown: {e}");
                        }
                    }
                    if !new.is_empty() {
                        app.state::<Told>().add(&new);
                        let _ = app.emit("notices", &new);
                    }
                    since = Some(found.now);
                }
                // No agency yet (first run) or a busy database: look again later.
                Err(e) => log::debug!("no notices: {}", e.message),
            }
            match nudged.recv_timeout(EVERY) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => std::thread::sleep(EVERY),
            }
        }
    });
    nudge
}
