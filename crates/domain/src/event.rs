//! Events: the source of truth. Every action appends one or more immutable events; the current
//! state is a fold of the log. Variants are past tense and never change meaning: a new shape gets
//! a new variant or a higher [`EVENT_VERSION`], and old events keep folding the way they did.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::assignment::AssignedBecause;
use crate::brief::{Section, SignerRole};
use crate::calendar::Calendar;
use crate::directory::Department;
use crate::hlc::Hlc;
use crate::ids::{DealId, DeviceId, EscalationId, EventId, PersonId, TaskId};
use crate::money::Money;

/// The newest event version this build writes and understands.
pub const EVENT_VERSION: u16 = 1;

/// What a trip is, as known when the deal is added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripPlan {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub destination: Option<String>,
    pub travellers: Option<u32>,
}

/// One event with its envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    /// The installation that recorded it.
    pub device: DeviceId,
    /// Who acted, when known.
    pub actor: Option<PersonId>,
    /// When it really happened (`--at`, for backfills).
    pub occurred_at: DateTime<Utc>,
    /// When it was written to the log.
    pub recorded_at: DateTime<Utc>,
    pub hlc: Hlc,
    pub version: u16,
    pub body: EventBody,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    AgencyCreated {
        name: String,
        calendar: Calendar,
    },
    HolidayAdded {
        date: NaiveDate,
        name: Option<String>,
    },
    PersonAdded {
        person: PersonId,
        name: String,
        dept: Department,
        email: Option<String>,
    },
    DepartmentStaffed {
        dept: Department,
        lead: PersonId,
        backups: Vec<PersonId>,
    },
    PersonAwaySet {
        person: PersonId,
        from: NaiveDate,
        to: NaiveDate,
    },
    DealAdded {
        deal: DealId,
        title: String,
        customer: String,
        value: Money,
        sales_owner: PersonId,
        trip: TripPlan,
    },
    /// The deal closed at the event's `occurred_at`; the fulfilment owner was chosen then.
    DealWon {
        deal: DealId,
        fulfilment_owner: PersonId,
        assigned_because: AssignedBecause,
    },
    DealLost {
        deal: DealId,
    },
    /// A historical deal from a CRM export, closed and possibly handed off in the past.
    DealImported {
        deal: DealId,
        external_id: String,
        title: String,
        customer: String,
        value: Money,
        sales_owner: PersonId,
        closed_at: DateTime<Utc>,
        handoff_at: Option<DateTime<Utc>>,
        fulfilment_owner: PersonId,
        assigned_because: AssignedBecause,
    },
    FounderEscalated {
        escalation: EscalationId,
        deal: Option<DealId>,
        dept: Department,
        founder: PersonId,
        reason: String,
    },
    MeetingStarted {
        deal: DealId,
    },
    BriefSectionWritten {
        deal: DealId,
        section: Section,
        text: String,
    },
    BriefSigned {
        deal: DealId,
        signer: PersonId,
        role: SignerRole,
        brief_sha256: String,
    },
    /// The live meeting ended with both signatures valid: the handoff is complete.
    MeetingEnded {
        deal: DealId,
    },
    FulfilmentOwnerReassigned {
        deal: DealId,
        from: PersonId,
        to: PersonId,
        reason: String,
    },
    TaskCreated {
        task: TaskId,
        deal: DealId,
        title: String,
        owner: PersonId,
        due_at: DateTime<Utc>,
    },
    TaskCompleted {
        task: TaskId,
        deal: DealId,
    },
}

impl EventBody {
    /// The event's kind, as stored in the log's `kind` column.
    pub fn name(&self) -> &'static str {
        match self {
            EventBody::AgencyCreated { .. } => "agency_created",
            EventBody::HolidayAdded { .. } => "holiday_added",
            EventBody::PersonAdded { .. } => "person_added",
            EventBody::DepartmentStaffed { .. } => "department_staffed",
            EventBody::PersonAwaySet { .. } => "person_away_set",
            EventBody::DealAdded { .. } => "deal_added",
            EventBody::DealWon { .. } => "deal_won",
            EventBody::DealLost { .. } => "deal_lost",
            EventBody::DealImported { .. } => "deal_imported",
            EventBody::FounderEscalated { .. } => "founder_escalated",
            EventBody::MeetingStarted { .. } => "meeting_started",
            EventBody::BriefSectionWritten { .. } => "brief_section_written",
            EventBody::BriefSigned { .. } => "brief_signed",
            EventBody::MeetingEnded { .. } => "meeting_ended",
            EventBody::FulfilmentOwnerReassigned { .. } => "fulfilment_owner_reassigned",
            EventBody::TaskCreated { .. } => "task_created",
            EventBody::TaskCompleted { .. } => "task_completed",
        }
    }

    /// The deal this event belongs to, if it belongs to one.
    pub fn deal(&self) -> Option<DealId> {
        match self {
            EventBody::DealAdded { deal, .. }
            | EventBody::DealWon { deal, .. }
            | EventBody::DealLost { deal }
            | EventBody::DealImported { deal, .. }
            | EventBody::MeetingStarted { deal }
            | EventBody::BriefSectionWritten { deal, .. }
            | EventBody::BriefSigned { deal, .. }
            | EventBody::MeetingEnded { deal }
            | EventBody::FulfilmentOwnerReassigned { deal, .. }
            | EventBody::TaskCreated { deal, .. }
            | EventBody::TaskCompleted { deal, .. } => Some(*deal),
            EventBody::FounderEscalated { deal, .. } => *deal,
            _ => None,
        }
    }

    /// Whether the event changes the directory (agency, calendar, people, staffing, away).
    pub fn is_directory(&self) -> bool {
        matches!(
            self,
            EventBody::AgencyCreated { .. }
                | EventBody::HolidayAdded { .. }
                | EventBody::PersonAdded { .. }
                | EventBody::DepartmentStaffed { .. }
                | EventBody::PersonAwaySet { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_serialise_with_their_kind_tag() {
        let body = EventBody::DealLost { deal: DealId::from_uuid(uuid::Uuid::nil()) };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["kind"], "deal_lost");
        assert_eq!(json["kind"], body.name());
        assert_eq!(serde_json::from_value::<EventBody>(json).unwrap(), body);
    }
}
