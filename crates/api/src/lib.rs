//! # handoff-api
//!
//! Handoff's use cases: one function per action and per query, each taking the [`Ctx`] and a
//! request DTO and returning a response DTO or an [`ApiError`] (`{code, message}`). The `handoff`
//! command line calls these, and the desktop app's commands will call exactly the same ones, so
//! a rule can never hold in one and not the other.
//!
//! An action runs in one write transaction: read the current state, let the domain decide
//! (which checks every rule and returns events), append the events (which folds them into the
//! read tables), commit. If anything refuses, nothing is written.

mod ctx;
pub mod dto;
mod error;
pub mod input;
mod view;

mod agency;
mod deals;
mod escalation;
mod export;
mod handoff;
mod import;
mod metrics;
mod notices;
mod on_trip;
mod review;
mod sample;
mod service;
mod tasks;
mod today;
mod trip;

pub use agency::{
    agency, dept_list, dept_set, holiday_add, init, person_add, person_away, person_list, whoami, whoami_set,
};
pub use ctx::{Clock, Ctx, FixedClock, SystemClock};
pub use deals::{deal_add, deal_list, deal_lost, deal_show, deal_won, reassign};
pub use error::{ApiError, ErrorCode};
pub use escalation::{escalation_list, escalation_log};
pub use export::{brief_fit, export_brief, export_service_pack, verify_brief};
pub use handoff::{brief_set, brief_show, brief_sign, meeting_end, meeting_start};
pub use import::{import_deals, import_preview};
pub use metrics::{dwell, dwell_trend, metrics_escalations, metrics_loop, metrics_service};
pub use notices::notices;
pub use on_trip::{ask_list, ask_log, trip_signal};
pub use review::{agency_set, followup_done, outreach_cold, review_pick, review_show};
pub use sample::open_sample;
pub use service::{service_ack, service_complete, service_reassign, service_show, service_start};
pub use tasks::{task_done, task_list};
pub use today::today;
pub use trip::{
    itinerary_add, itinerary_edit, itinerary_remove, itinerary_show, traveller_add, traveller_edit, traveller_list,
    trip_set,
};

use chrono::{DateTime, Utc};
use handoff_domain::directory::Directory;
use handoff_domain::event::EventBody;
use handoff_domain::ids::PersonId;
use handoff_store::Writer;

use crate::dto::{Acting, RebuildResponse};

/// What an action decided: the events to append and what to answer.
pub(crate) struct Decision<T> {
    pub events: Vec<EventBody>,
    pub answer: T,
}

/// The shared frame of every action on an existing agency: one write transaction, the directory,
/// the `--as` person, the `--at` time (checked against now), then the decision and the append.
pub(crate) fn act<T>(
    ctx: &Ctx,
    acting: &Acting,
    decide: impl FnOnce(&mut Writer<'_>, &Directory, Option<PersonId>, DateTime<Utc>) -> Result<Decision<T>, ApiError>,
) -> Result<T, ApiError> {
    let now = ctx.now();
    ctx.store().write(|w| {
        let dir = w.directory()?.clone();
        let cal = dir.calendar()?;
        let at = input::action_time(acting.at.as_deref(), cal, now)?;
        let actor = acting.actor.as_deref().map(|a| input::person(&dir, a).map(|p| p.id)).transpose()?;
        let Decision { events, answer } = decide(w, &dir, actor, at)?;
        w.append(actor, at, now, events)?;
        Ok(answer)
    })
}

/// This installation's secret signing key, made and registered (its public half as an event) the
/// first time it is needed.
pub(crate) fn device_secret(w: &mut Writer<'_>, now: DateTime<Utc>) -> Result<[u8; 32], ApiError> {
    if let Some(secret) = w.device_secret()? {
        return Ok(secret);
    }
    let secret: [u8; 32] = rand::random();
    w.set_device_secret(&secret)?;
    let public_key = handoff_domain::signing::public_key(&secret).iter().map(|b| format!("{b:02x}")).collect();
    let body = EventBody::DeviceKeyRegistered { device: w.device(), public_key };
    w.append(None, now, now, vec![body])?;
    Ok(secret)
}

/// The identifier of the desktop app; its data folder is named after it.
pub const APP_IDENTIFIER: &str = "app.handoff.desktop";

/// The database the desktop app uses, and the CLI by default: `handoff.db` in the OS app-data
/// folder (`~/.local/share/app.handoff.desktop/` on Linux, `~/Library/Application Support/…` on
/// macOS, `%APPDATA%\…` on Windows). `None` when the OS reports no data folder.
pub fn default_database_path() -> Option<std::path::PathBuf> {
    Some(dirs::data_dir()?.join(APP_IDENTIFIER).join("handoff.db"))
}

/// Empties the read tables and folds the whole log into them again; then checks the file.
pub fn rebuild(ctx: &Ctx) -> Result<RebuildResponse, ApiError> {
    let mut store = ctx.store();
    let events = store.rebuild()?;
    Ok(RebuildResponse { events, integrity: store.integrity_check()? })
}

/// `PRAGMA integrity_check` of the database: "ok" when sound.
pub fn integrity_check(ctx: &Ctx) -> Result<String, ApiError> {
    Ok(ctx.store().integrity_check()?)
}
