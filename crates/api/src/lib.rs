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
//!
//! ## Layout
//!
//! Each use-case module (`agency`, `deals`, `handoff`, `tasks`, `trip`, `service`, `on_trip`,
//! `review`, `escalation`, `metrics`, `import`, `export`, `verify`, `keys`, `today`, `database`, `data`)
//! builds on the shared layers below it and never on another use-case module: `action` (the frame every action runs in), `load` (the
//! deal a use case names), `input` (reading what people type), `view` (the DTOs more than one use
//! case shows), `laptop_keys` (the secrets this laptop keeps outside the database), `safe_file` (writing a
//! file a person named without ever losing one), `documents` (what the brief and the pack put on
//! paper), `dto` (what
//! the use cases take and return, one file per area), `ctx` and `error`. The `sample` module is a script above them all: it plays the sample
//! agency's stories through the public use cases, as a person would.

mod action;
mod ctx;
mod database;
mod documents;
pub mod dto;
mod error;
pub mod input;
mod laptop_keys;
mod load;
mod safe_file;
mod view;

mod agency;
mod conflicts;
mod data;
mod deals;
mod escalation;
mod export;
mod handoff;
mod import;
mod invite;
mod keys;
mod metrics;
mod on_trip;
mod review;
mod sample;
mod service;
mod sync;
mod tasks;
mod today;
mod trip;
mod verify;

pub use agency::{
    agency, agency_set, away_correct, dept_list, dept_set, holiday_add, holiday_remove, init, person_add, person_away,
    person_email, person_list, person_retire, whoami, whoami_set,
};
pub use conflicts::{conflict_list, conflict_settle};
pub use ctx::{clock_now, Clock, Ctx, FixedClock, ShiftedClock, SystemClock};
pub use data::{
    backup, backups, backups_folder, daily_backup, export_all, import_events, import_events_from, restore,
    DAILY_BACKUPS_KEPT, EVENTS_FILE,
};
pub use database::{database_path, integrity_check, rebuild, APP_IDENTIFIER};
pub use deals::{
    deal_add, deal_contacted, deal_correct, deal_list, deal_lost, deal_page, deal_reopen, deal_search, deal_show,
    deal_won, reassign, DEAL_PAGE_MOST,
};
pub use error::{ApiError, ErrorCode};
pub use escalation::{escalation_list, escalation_log};
pub use export::{brief_fit, export_brief, export_service_pack, pdf_for_print};
pub use handoff::{brief_set, brief_show, brief_sign, meeting_end, meeting_start};
pub use import::{
    import_deals, import_deals_from, import_mappings, import_preview, import_preview_from, mapping_change,
};
pub use invite::invite;
pub use keys::{key_create, key_list, key_revoke, laptop_key_revoke, signer_key};
pub use laptop_keys::{LaptopKeys, DEFAULT_WORK_FACTOR, MIN_PASSPHRASE_CHARS, WORK_FACTORS};
pub use metrics::{
    dwell, dwell_before_after, dwell_weekly, metrics_escalations, metrics_loop, metrics_periods, metrics_service,
    metrics_service_monthly,
};
pub use on_trip::{ask_list, ask_log, trip_signal};
pub use review::{
    followup_done, outreach_call, outreach_cold, outreach_list, review_end, review_pick, review_show, review_start,
};
pub use sample::open_sample;
pub use service::{service_ack, service_complete, service_reassign, service_show, service_start};
pub use sync::{sync_join, sync_join_preview, sync_leave, sync_log_end, sync_now, sync_status, sync_wait, webhook_log};
pub use tasks::{task_done, task_list};
pub use today::{notices, today};
pub use trip::{
    itinerary_add, itinerary_edit, itinerary_remove, itinerary_show, traveller_add, traveller_edit, traveller_list,
    trip_set,
};
pub use verify::{verify_brief, verify_pack};

// The frame of every action, for the use-case modules (`use crate::{act, Decision}`).
pub(crate) use action::{act, act_and_show, Decision};
