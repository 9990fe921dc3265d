//! Founder escalations, automatic and logged by hand.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Acting, DealRef, PersonRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EscalationLogRequest {
    pub reason: String,
    pub deal: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EscalationDto {
    pub at: DateTime<Utc>,
    pub deal: Option<DealRef>,
    pub dept: Option<handoff_domain::directory::Department>,
    pub founder: PersonRef,
    pub reason: String,
    /// Recorded by the assignment rule (not logged by hand).
    pub automatic: bool,
}
