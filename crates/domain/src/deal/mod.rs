//! The deal, from the day it is added to the follow-up call after its trip: one aggregate whose
//! events each belong to one of the playbook's three handoffs, and one module per handoff.
//!
//! - [`sales_to_fulfilment`]: handoff 1 — the deal won, its owner named, the 15-minute live
//!   meeting, the one-page brief and both sign-offs, the handoff that ends it.
//! - [`fulfilment_to_service`]: handoff 2 — the trip content Fulfilment builds (dates,
//!   travellers and their preferences, the itinerary) and the service handoff 72 hours before
//!   the trip, with its call that acknowledges every preference.
//! - [`service_to_sales`]: handoff 3 — the asks Service logs on the trip, the signal when the
//!   travellers are back, the Tuesday-review pick and its follow-up call.
//! - [`corrections`]: mistakes corrected by new events — a close time, a lost deal reopened, a
//!   title, customer or value — each with its reason.
//!
//! Each module holds two halves, in the style of event-sourced aggregates:
//! - **Decisions** (`Deal::win`, `Deal::sign`, `Deal::pick`, …) take the current state, the
//!   directory and the time, check every rule with a message a lead can act on, and return the
//!   events to append.
//! - **Fold arms**: [`Deal::apply`] routes each event to the module of its handoff (an exhaustive
//!   match: a new event kind does not compile until it is routed), and the arm refuses every
//!   transition the decisions refuse, so a log that breaks a rule can never fold silently.
//!
//! Each module's documentation opens with its transition table; every row names the test that
//! covers it. The events every handoff uses are here:
//!
//! | from      | event              | to   | test                                                  |
//! |-----------|--------------------|------|-------------------------------------------------------|
//! | any       | task_created       | same | `a_task_is_created_once_and_completed_once`           |
//! | any       | task_completed     | same | `a_task_is_created_once_and_completed_once`           |
//! | any       | founder_escalated  | same | `a_founder_escalation_leaves_the_deal_as_it_is`       |
//! | —         | any but the first  | refused | `an_event_before_the_deal_exists_is_refused`       |
//! | any       | not a deal's event | refused | `an_event_of_the_directory_is_not_a_deal_event`    |

use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::assignment::AssignedBecause;
use crate::brief::{Brief, Signature};
use crate::calendar::Calendar;
use crate::crm::DealSource;
use crate::directory::{Department, Directory};
use crate::event::{Event, EventBody, TripPlan};
use crate::ids::{DealId, EscalationId, PersonId, TaskId, TravellerId};
use crate::money::Money;
use crate::service::{trip_start_at, ServiceHandoff};
use crate::trip::{Ask, ItineraryItem, Signal, Traveller};
use crate::RuleError;

pub mod corrections;
pub mod fulfilment_to_service;
pub mod sales_to_fulfilment;
pub mod service_to_sales;

#[cfg(test)]
pub(crate) mod fixtures;

pub use corrections::DealEdit;
pub use fulfilment_to_service::{NewItem, NewTraveller};
pub use sales_to_fulfilment::{
    FulfilmentOwner, ImportedDeal, MeetingFlag, NewDeal, Reassignment, SignOff, FIRST_TASK_DUE_HOURS, FIRST_TASK_TITLE,
    MEETING_MINUTES,
};
pub use service_to_sales::{FollowUp, TripDay};

/// Where a deal is.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DealStatus {
    Open,
    Won,
    HandedOff,
    Lost,
}

impl DealStatus {
    /// The word for the status: `open`, `won`, `handed-off`, `lost`.
    pub fn as_str(self) -> &'static str {
        match self {
            DealStatus::Open => "open",
            DealStatus::Won => "won",
            DealStatus::HandedOff => "handed-off",
            DealStatus::Lost => "lost",
        }
    }
}

impl fmt::Display for DealStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DealStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(DealStatus::Open),
            "won" => Ok(DealStatus::Won),
            "handed-off" | "handedoff" | "handed_off" => Ok(DealStatus::HandedOff),
            "lost" => Ok(DealStatus::Lost),
            _ => Err(format!("unknown status \"{s}\": use open, won, handed-off or lost")),
        }
    }
}

/// A task on the deal.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub owner: PersonId,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

/// A deal, as folded from its events. Kept as JSON in the read tables: fields with nothing in them
/// are left out of the document (most deals have no tasks, travellers or service yet).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deal {
    pub id: DealId,
    pub title: String,
    pub customer: String,
    pub value: Money,
    /// The Sales owner, who writes the brief.
    pub sales_owner: PersonId,
    #[serde(default, skip_serializing_if = "TripPlan::is_unknown")]
    pub trip: TripPlan,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Where the deal came from, when a CRM sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DealSource>,
    pub status: DealStatus,
    pub added_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfilment: Option<FulfilmentOwner>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_started_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_ended_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Brief::is_unwritten")]
    pub brief: Brief,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<Signature>,
    /// When the handoff completed: the end of the meeting with both signatures valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff_at: Option<DateTime<Utc>>,
    /// The Fulfilment owner who signed when the handoff completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff_fulfilment_signer: Option<PersonId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Task>,
    /// Built by Fulfilment: who travels and what they need.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub travellers: Vec<Traveller>,
    /// Built by Fulfilment: the days and items of the trip.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub itinerary: Vec<ItineraryItem>,
    /// The Fulfilment→Service handoff, once scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceHandoff>,
    /// What Service had to ask travellers during the trip.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asks: Vec<Ask>,
    /// How the travellers came back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<Signal>,
    /// Picked at a Tuesday review for a follow-up call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// When the customer first heard from the agency after the close.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_contacted_at: Option<DateTime<Utc>>,
}

/// What folding one event of a deal may consult besides the deal itself.
#[derive(Clone, Copy, Debug)]
pub struct FoldContext<'a> {
    /// The agency as it was just before the event: its calendar, people and settings.
    pub directory: &'a Directory,
    /// For a Tuesday-review pick: how many trips that review had picked before this one.
    pub picks_at_review: usize,
}

impl<'a> FoldContext<'a> {
    /// The context of an event that is not a review pick.
    pub fn new(directory: &'a Directory) -> Self {
        FoldContext { directory, picks_at_review: 0 }
    }
}

/// A time as the agency reads it: `YYYY-MM-DD HH:MM` in its zone.
fn local(cal: &Calendar, t: DateTime<Utc>) -> String {
    cal.local_datetime(t).format("%Y-%m-%d %H:%M").to_string()
}

/// Events for a founder escalation when an assignment fell to the founder.
fn escalation(
    because: AssignedBecause,
    id: EscalationId,
    deal: DealId,
    founder: PersonId,
    dept: Department,
    day: NaiveDate,
) -> Option<EventBody> {
    (because == AssignedBecause::Escalated).then(|| EventBody::FounderEscalated {
        escalation: id,
        deal: Some(deal),
        dept: Some(dept),
        founder,
        reason: format!("the {dept} lead and every named backup were away on {day}"),
    })
}

/// A handoff's receiving owner is someone of the receiving department, or the founder. Returns
/// their name.
fn check_owner(dir: &Directory, id: PersonId, dept: Department) -> Result<&str, RuleError> {
    let p = dir.person(id).ok_or_else(|| RuleError::UnknownPerson(id.to_string()))?;
    p.check_present("hand it to someone still in the agency")?;
    if p.dept != dept && p.dept != Department::Founder {
        let hint = match dept {
            Department::Fulfilment => "the fulfilment owner is someone in fulfilment (or the founder)",
            Department::Service => "the service owner is someone in service (or the founder)",
            Department::Sales | Department::Founder => {
                "a handoff's owner is someone of its department (or the founder)"
            }
        };
        return Err(RuleError::WrongDepartment {
            person: p.name.clone(),
            actual: p.dept.to_string(),
            expected: dept.to_string(),
            hint,
        });
    }
    Ok(&p.name)
}

/// Whether a task due at `due_at` is overdue at `now`: not done, and its due time has passed.
pub fn is_overdue(due_at: DateTime<Utc>, done_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    done_at.is_none() && due_at < now
}

/// The refusal of a fold arm: `event` cannot apply to the deal as it is.
fn illegal(body: &EventBody, reason: &str) -> RuleError {
    RuleError::IllegalTransition { event: body.name(), reason: reason.into() }
}

/// A fold arm given an event of another handoff: a routing mistake, never a user's.
fn illegal_arm(body: &EventBody) -> RuleError {
    illegal(body, "routed to the wrong handoff")
}

impl Deal {
    // ---- tasks, which every handoff creates ----------------------------------------------

    /// Marks one of the deal's tasks done.
    /// Marks a task done. "Confirm dates with customer" done is the customer contacted, when
    /// nobody recorded a contact before.
    pub fn complete_task(&self, dir: &Directory, task: TaskId) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        let t = self.tasks.iter().find(|t| t.id == task).ok_or(RuleError::IllegalTransition {
            event: "task_completed",
            reason: format!("deal \"{}\" has no task {task}", self.title),
        })?;
        if let Some(done) = t.done_at {
            return Err(RuleError::TaskAlreadyDone { task: t.title.clone(), at: local(cal, done) });
        }
        let mut events = vec![EventBody::TaskCompleted { task, deal: self.id }];
        if t.title == FIRST_TASK_TITLE && self.customer_contacted_at.is_none() && self.is_delivering() {
            events.push(EventBody::CustomerContacted { deal: self.id });
        }
        Ok(events)
    }

    /// Records that the customer heard from the agency at `at` (a call, an e-mail), after the close
    /// of a won deal: the first contact counts, so only one earlier than any recorded is taken.
    pub fn record_contact(&self, dir: &Directory, at: DateTime<Utc>) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require_delivery(cal, "the customer is contacted about a won deal")?;
        let closed = self.closed_at.expect("a won deal has a close");
        if at < closed {
            return Err(self.out_of_order(cal, "the contact", at, "the close", closed));
        }
        // An earlier contact found later (the call before the dates were confirmed) still counts.
        if let Some(first) = self.customer_contacted_at.filter(|first| *first <= at) {
            return Err(RuleError::AlreadyContacted { deal: self.title.clone(), at: local(cal, first) });
        }
        Ok(vec![EventBody::CustomerContacted { deal: self.id }])
    }

    /// Whether the customer heard something within one business day of the close: none until
    /// they heard, or while the deal is not won.
    pub fn heard_within_one_business_day(&self, cal: &Calendar) -> Option<bool> {
        let contacted = self.customer_contacted_at?;
        Some(contacted <= cal.one_business_day_deadline(self.closed_at?))
    }

    /// How the dwell figures count the customer's first contact (see
    /// [`crate::metrics::DwellSamples::heard`]): 1 within one business day of the close, 0 later,
    /// -1 unknown — handed off before Handoff kept the first contact (a CRM import, no meeting
    /// held here) with none recorded since — and none while nobody contacted them.
    pub fn heard_code(&self, cal: &Calendar) -> Option<i64> {
        match self.heard_within_one_business_day(cal) {
            Some(within) => Some(i64::from(within)),
            None if self.handoff_at.is_some() && self.meeting_ended_at.is_none() => Some(-1),
            None => None,
        }
    }

    // ---- queries ----------------------------------------------------------------------------

    /// Whoever owns the fulfilment side now.
    pub fn acting_fulfilment_owner(&self) -> Option<PersonId> {
        self.fulfilment.as_ref().map(|f| f.acting)
    }

    /// Close → handoff, once handed off.
    pub fn dwell(&self) -> Option<Duration> {
        Some(self.handoff_at? - self.closed_at?)
    }

    /// The traveller with this id.
    pub fn traveller(&self, id: TravellerId) -> Option<&Traveller> {
        self.travellers.iter().find(|t| t.id == id)
    }

    /// When the trip starts, in UTC (None until its start date is known).
    pub fn trip_start_at(&self, cal: &Calendar) -> Option<DateTime<Utc>> {
        trip_start_at(&self.trip, cal)
    }

    /// Whether the deal is being delivered: won, or handed off to Fulfilment.
    pub fn is_delivering(&self) -> bool {
        matches!(self.status, DealStatus::Won | DealStatus::HandedOff)
    }

    // ---- refusals shared by the handoffs ----------------------------------------------------

    fn require(&self, status: DealStatus, cal: &Calendar, hint: &str) -> Result<(), RuleError> {
        if self.status == status {
            Ok(())
        } else {
            Err(self.status_error(cal, hint))
        }
    }

    fn require_delivery(&self, cal: &Calendar, hint: &str) -> Result<(), RuleError> {
        if self.is_delivering() {
            Ok(())
        } else {
            Err(self.status_error(cal, hint))
        }
    }

    fn status_error(&self, cal: &Calendar, hint: &str) -> RuleError {
        let status = match (self.status, self.closed_at, self.handoff_at) {
            (DealStatus::Won, Some(c), _) => format!("already won (closed {})", local(cal, c)),
            (DealStatus::HandedOff, _, Some(h)) => format!("already handed off ({})", local(cal, h)),
            (s, _, _) => s.to_string(),
        };
        RuleError::WrongStatus { deal: self.title.clone(), status, hint: hint.into() }
    }

    fn out_of_order(
        &self,
        cal: &Calendar,
        what: &'static str,
        at: DateTime<Utc>,
        before: &'static str,
        before_at: DateTime<Utc>,
    ) -> RuleError {
        RuleError::OutOfOrder {
            deal: self.title.clone(),
            what,
            at: local(cal, at),
            before,
            before_at: local(cal, before_at),
        }
    }

    fn no_such(&self, what: &'static str, name: impl Into<String>) -> RuleError {
        RuleError::NoSuch { deal: self.title.clone(), what, name: name.into() }
    }

    // ---- the fold ---------------------------------------------------------------------------

    /// Folds one event of this deal into its state. Refuses events that break the rules.
    pub fn apply(state: Option<Deal>, event: &Event, ctx: &FoldContext<'_>) -> Result<Deal, RuleError> {
        let mut deal = Self::apply_body(state, &event.body, event.occurred_at, ctx)?;
        // The service call keeps who acknowledged each preference, as the meeting keeps who signed.
        if let EventBody::PreferenceAcknowledged { traveller, topic, .. } = &event.body {
            let service = deal.service.as_mut();
            let ack =
                service.and_then(|s| s.acks.iter_mut().rev().find(|a| a.traveller == *traveller && a.topic == *topic));
            if let Some(ack) = ack {
                ack.by = event.actor;
            }
        }
        Ok(deal)
    }

    /// The deal as it will be once `bodies` — the events of one action that happens at `at` —
    /// are folded in: what an action answers with, computed by the same fold the store runs —
    /// but for the actor, which only [`Deal::apply`] knows (who acknowledged a preference).
    pub fn after(&self, bodies: &[EventBody], at: DateTime<Utc>, ctx: &FoldContext<'_>) -> Result<Deal, RuleError> {
        bodies
            .iter()
            .filter(|b| b.deal() == Some(self.id))
            .try_fold(self.clone(), |state, body| Self::apply_body(Some(state), body, at, ctx))
    }

    /// The new deal that `bodies` — the events of the action that creates it, at `at` — fold to.
    pub fn created_by(bodies: &[EventBody], at: DateTime<Utc>, ctx: &FoldContext<'_>) -> Result<Deal, RuleError> {
        let (first, rest) = bodies
            .split_first()
            .ok_or(RuleError::IllegalTransition { event: "deal_added", reason: "no event".into() })?;
        Self::apply_body(None, first, at, ctx)?.after(rest, at, ctx)
    }

    /// Routes each event kind to the fold arm of its handoff. No wildcard: a new event kind does
    /// not compile until it is named here.
    fn apply_body(
        state: Option<Deal>,
        body: &EventBody,
        at: DateTime<Utc>,
        ctx: &FoldContext<'_>,
    ) -> Result<Deal, RuleError> {
        use EventBody as E;
        let existing = |state: Option<Deal>| state.ok_or_else(|| illegal(body, "the deal does not exist"));
        let deal = match body {
            E::DealAdded { .. } | E::DealImported { .. } => {
                return match state {
                    None => Deal::created(body, at, ctx),
                    Some(_) => Err(illegal(body, "the deal exists already")),
                }
            }
            E::DealWon { .. }
            | E::DealLost { .. }
            | E::MeetingStarted { .. }
            | E::BriefSectionWritten { .. }
            | E::BriefSigned { .. }
            | E::MeetingEnded { .. }
            | E::FulfilmentOwnerReassigned { .. } => {
                let mut deal = existing(state)?;
                deal.apply_sales_to_fulfilment(body, at, ctx)?;
                deal
            }
            E::TripPlanned { .. }
            | E::TravellerAdded { .. }
            | E::TravellerEdited { .. }
            | E::ItineraryItemAdded { .. }
            | E::ItineraryItemEdited { .. }
            | E::ItineraryItemRemoved { .. }
            | E::ServiceHandoffScheduled { .. }
            | E::ServiceOwnerReassigned { .. }
            | E::ServiceCallStarted { .. }
            | E::PreferenceAcknowledged { .. }
            | E::ServiceHandoffCompleted { .. } => {
                let mut deal = existing(state)?;
                deal.apply_fulfilment_to_service(body, at, ctx)?;
                deal
            }
            E::AskLogged { .. }
            | E::SignalRecorded { .. }
            | E::ReviewPicked { .. }
            | E::FollowUpRecorded { .. }
            | E::FollowUpUpdated { .. } => {
                let mut deal = existing(state)?;
                deal.apply_service_to_sales(body, at, ctx)?;
                deal
            }
            E::DealCloseCorrected { .. } | E::DealReopened { .. } | E::DealEdited { .. } => {
                let mut deal = existing(state)?;
                deal.apply_correction(body, at)?;
                deal
            }
            E::TaskCreated { .. } | E::TaskCompleted { .. } | E::CustomerContacted { .. } => {
                let mut deal = existing(state)?;
                deal.apply_task(body, at)?;
                deal
            }
            // Both leave the deal as it is: each is a record of its own, shown on the deal.
            E::FounderEscalated { .. } | E::ConflictSettled { .. } => existing(state)?,
            E::AgencyCreated { .. }
            | E::HolidayAdded { .. }
            | E::PersonAdded { .. }
            | E::DepartmentStaffed { .. }
            | E::PersonAwaySet { .. }
            | E::AgencySettingsChanged { .. }
            | E::ImportMappingSaved { .. }
            | E::CalendarChanged { .. }
            | E::SigningKeyRegistered { .. }
            | E::SigningKeyRevoked { .. }
            | E::DeviceKeyRegistered { .. }
            | E::DeviceKeyRevoked { .. }
            | E::AwayCorrected { .. }
            | E::HolidayRemoved { .. }
            | E::PersonRetired { .. }
            | E::PersonEmailSet { .. }
            | E::ColdOutreachRecorded { .. }
            | E::ColdCallMade { .. }
            | E::ReviewStarted { .. }
            | E::ReviewEnded { .. } => return Err(illegal(body, "not an event of a deal")),
        };
        Ok(deal)
    }

    fn apply_task(&mut self, body: &EventBody, at: DateTime<Utc>) -> Result<(), RuleError> {
        match body {
            EventBody::TaskCreated { task, title, owner, due_at, .. } => {
                if self.tasks.iter().any(|t| t.id == *task) {
                    return Err(illegal(body, "the task exists already"));
                }
                self.tasks.push(Task {
                    id: *task,
                    title: title.clone(),
                    owner: *owner,
                    created_at: at,
                    due_at: *due_at,
                    done_at: None,
                });
            }
            EventBody::TaskCompleted { task, .. } => {
                let t = self.tasks.iter_mut().find(|t| t.id == *task).ok_or_else(|| illegal(body, "no such task"))?;
                if t.done_at.is_some() {
                    return Err(illegal(body, "the task is done already"));
                }
                t.done_at = Some(at);
            }
            EventBody::CustomerContacted { .. } => {
                let Some(closed) = self.closed_at.filter(|_| self.is_delivering()) else {
                    return Err(illegal(body, "only a won deal's customer is contacted after the close"));
                };
                if at < closed {
                    return Err(illegal(body, "the contact cannot be before the close"));
                }
                // The first contact counts, whichever laptop recorded it: merges agree.
                self.customer_contacted_at = Some(self.customer_contacted_at.map_or(at, |first| first.min(at)));
            }
            other => return Err(illegal_arm(other)),
        }
        Ok(())
    }

    fn new(
        id: DealId,
        title: &str,
        customer: &str,
        value: &Money,
        sales_owner: PersonId,
        trip: TripPlan,
        at: DateTime<Utc>,
    ) -> Deal {
        Deal {
            id,
            title: title.into(),
            customer: customer.into(),
            value: value.clone(),
            sales_owner,
            trip,
            external_id: None,
            source: None,
            status: DealStatus::Open,
            added_at: at,
            closed_at: None,
            lost_at: None,
            fulfilment: None,
            meeting_started_at: None,
            meeting_ended_at: None,
            brief: Brief::default(),
            signatures: Vec::new(),
            handoff_at: None,
            handoff_fulfilment_signer: None,
            tasks: Vec::new(),
            travellers: Vec::new(),
            itinerary: Vec::new(),
            service: None,
            asks: Vec::new(),
            signal: None,
            follow_up: None,
            customer_contacted_at: None,
        }
    }
}

#[cfg(test)]
mod tests;
