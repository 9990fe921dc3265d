//! # handoff-hub
//!
//! The sync hub an agency runs for its laptops: `handoff-hub serve` keeps and relays the events
//! each laptop pushes and hands every laptop what it lacks; `agency` and `token` set up who may
//! join. It checks who sends what (tokens, laptops, each batch's chain and signature) and never
//! folds the events — only laptops do.
//!
//! [`storage`] keeps agencies, tokens (as hashes), laptops and events — in one SQLite file, or in
//! PostgreSQL ([`postgres`]) when the agency outgrows one box; [`server`] answers the laptops
//! over HTTP, after [`batch`] has read and checked what a laptop pushed; [`webhooks`] takes the CRMs'
//! deliveries (asking the CRM's API through [`crm_api`] about a deal its webhook names only by ids, and
//! knowing the agency through [`crm_index`]),
//! with their secrets sealed by [`secrets`]. The `handoff-hub` binary is their command line.

pub mod batch;
pub mod crm_api;
pub mod crm_index;
pub mod postgres;
pub mod secrets;
pub mod server;
pub mod storage;
pub mod webhooks;
