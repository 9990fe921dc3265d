//! The Fulfilment→Service handoff: its owner and due time, the preference checklist, reassignments.

use chrono::{DateTime, Utc};
use handoff_domain::assignment::AssignedBecause;
use serde::{Deserialize, Serialize};

use super::{Acting, DealRef, PersonRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChecklistItemDto {
    pub traveller: handoff_domain::ids::TravellerId,
    pub traveller_name: String,
    pub topic: handoff_domain::trip::PreferenceTopic,
    pub text: String,
    pub state: handoff_domain::service::AckState,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who acknowledged it (as the action named them).
    pub acknowledged_by: Option<PersonRef>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServiceReassignmentDto {
    pub from: PersonRef,
    pub to: PersonRef,
    pub assigned_because: Option<AssignedBecause>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServiceDto {
    pub deal: DealRef,
    pub trip_start: Option<DateTime<Utc>>,
    pub due_at: DateTime<Utc>,
    pub owner: PersonRef,
    /// Why the current owner holds it: the rule's reason, or none when reassigned by hand.
    pub owner_because: Option<AssignedBecause>,
    pub original_owner: PersonRef,
    /// Why the original owner was named when it was scheduled.
    pub assigned_because: AssignedBecause,
    pub reassignments: Vec<ServiceReassignmentDto>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// How long the call took, once complete; over 15 minutes is flagged, never refused.
    pub call_minutes: Option<i64>,
    pub call_overran: bool,
    /// Trip start − completion, once complete.
    pub lead_hours: Option<f64>,
    /// Completed at least 72 hours before the trip.
    pub on_time: Option<bool>,
    /// Not complete and past its due time.
    pub late: bool,
    pub checklist: Vec<ChecklistItemDto>,
    pub open_items: usize,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServiceAckRequest {
    pub deal: String,
    pub traveller: String,
    pub topic: handoff_domain::trip::PreferenceTopic,
    pub acting: Acting,
}
