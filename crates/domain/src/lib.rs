//! # handoff-domain
//!
//! The rules of Handoff, and nothing else: no files, no database, no clock. Every function that
//! needs "now" takes it as an argument, so every rule can be tested with fixed times.
//!
//! What lives here:
//! - [`ids`]: typed, time-ordered identifiers for people, deals, tasks, events and devices.
//! - [`calendar`]: the agency calendar (IANA zone, working days and hours, holidays) and
//!   business-time arithmetic — "one business day" counted the way service-desk SLAs count.
//! - [`directory`]: the agency, its people, departments with a lead and ordered named backups,
//!   and away periods; folded from directory events.
//! - [`assignment`]: the never-to-a-queue rule that names the receiving owner of a handoff.
//! - [`crm`]: where a deal came from when a CRM sent it, and the agency's saved column mappings.
//! - [`money`]: amounts in integer minor units with an ISO 4217 currency.
//! - [`brief`]: the one-page brief's seven sections, its canonical SHA-256 and signatures.
//! - [`event`]: the versioned, past-tense event enum — every action is one or more events.
//! - [`deal`]: the deal and Sales→Fulfilment handoff state machine as a fold that rejects
//!   illegal transitions, and the decisions that turn an action into events.
//! - [`metrics`]: dwell time (close → handoff) in wall-clock and business hours.
//! - [`trip`]: travellers and preferences, the itinerary, asks on the trip, the signal after it.
//! - [`service`]: the Fulfilment→Service handoff 72 hours before the trip, and its checklist.
//! - [`review`]: the Tuesday review window, ranking and follow-up dates.
//! - [`signing`]: the sign-off and key-proof messages, and Ed25519 signing and checking.
//! - [`keys`]: whose keys count — each person's signing keys and each laptop's PDF sealing key,
//!   registered and revoked in the log.
//! - [`merge`]: what becomes of each action when the logs of several laptops meet — applied,
//!   already so, or skipped as a conflict — and the notes a lead reads about it.
//! - [`notice`]: who is told what, and when — the notifications each laptop shows its own person.
//! - [`hlc`]: the hybrid logical clock stamped on every event so devices order events alike.
//! - [`word`]: the closed word lists (topics, kinds, sentiments, outcomes, departments, …).

pub mod assignment;
pub mod brief;
pub mod calendar;
pub mod crm;
pub mod deal;
pub mod directory;
pub mod event;
pub mod hlc;
pub mod ids;
pub mod invite;
pub mod keys;
pub mod merge;
pub mod metrics;
pub mod money;
pub mod notice;
pub mod review;
pub mod service;
pub mod signing;
pub mod trip;
pub mod word;
pub mod zone;

mod error;

pub use error::RuleError;
