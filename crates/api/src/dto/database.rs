//! The database file itself: what a rebuild of the read tables answers.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RebuildResponse {
    pub events: usize,
    pub integrity: String,
}
