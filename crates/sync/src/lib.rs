//! # handoff-sync
//!
//! Sync between an agency's laptops through a hub: the protocol both sides speak
//! ([`protocol`], versioned under `/v1/`), and — with the `client` feature — the laptop's side
//! ([`client`]): join a hub, pull what this laptop lacks, push what the hub lacks; and the
//! [`join_code`] a founder hands each person to join with. The hub relays
//! and checks; only laptops fold. Sync is optional: a laptop that never joins a hub never
//! touches a network.

pub mod join_code;
pub mod protocol;

#[cfg(feature = "client")]
pub mod client;
