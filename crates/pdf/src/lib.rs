//! # handoff-pdf
//!
//! The two documents Handoff puts in the trip file, drawn with `printpdf` from the view models in
//! [`model`]: the signed one-page brief ([`render_brief`], [`measure_brief`]) and the 72-hour
//! service handoff pack ([`render_pack`]). Pure: view model in, PDF bytes out; no files, no clock.

pub mod model;

pub use model::*;
