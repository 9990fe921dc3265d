//! What the use cases take and return. Plain serde types: the CLI prints them (or their JSON) and
//! the desktop app receives them over IPC. Instants are UTC (RFC 3339 in JSON); `timezone` on the
//! agency tells a caller how to show them locally.
//!
//! One file per use-case area, each re-exported here, so every type is `dto::Name`. Who acts
//! and the references to a person or a deal, which every area uses, are defined here.

mod agency;
mod data;
mod database;
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
mod service;
mod sync;
mod tasks;
mod today;
mod trip;

pub use agency::*;
pub use data::*;
pub use database::*;
pub use deals::*;
pub use escalation::*;
pub use export::*;
pub use handoff::*;
pub use import::*;
pub use invite::*;
pub use keys::*;
pub use metrics::*;
pub use on_trip::*;
pub use review::*;
pub use service::*;
pub(crate) use sync::clock_offset_says;
pub use sync::*;
pub use tasks::*;
pub use today::*;
pub use trip::*;

use handoff_domain::ids::{DealId, PersonId};
use serde::{Deserialize, Serialize};

/// Who acts and when: the `--as` and `--at` of every action.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Acting {
    /// A person's id or unique name.
    pub actor: Option<String>,
    /// When it really happened; default now. RFC 3339 or `YYYY-MM-DD HH:MM` in the agency zone.
    pub at: Option<String>,
}

/// A person, by id and name.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: PersonId,
    pub name: String,
}

/// A deal, by id and title.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealRef {
    pub id: DealId,
    pub title: String,
}

impl DealRef {
    /// The reference to `deal`.
    pub fn of(deal: &handoff_domain::deal::Deal) -> Self {
        DealRef { id: deal.id, title: deal.title.clone() }
    }
}
