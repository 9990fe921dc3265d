//! The deal and its Sales→Fulfilment handoff.
//!
//! Two halves, in the style of event-sourced aggregates:
//! - **Decisions** (`Deal::win`, `Deal::sign`, …) take the current state, the directory and the
//!   time, check every rule with a message a lead can act on, and return the events to append.
//! - **The fold** ([`Deal::apply`]) turns events into state and refuses illegal transitions, so
//!   a log that breaks the state machine can never be folded silently.
//!
//! | from       | event                        | to         | test                                   |
//! |------------|------------------------------|------------|----------------------------------------|
//! | —          | deal_added                   | open       | `a_deal_goes_from_open_to_handed_off`  |
//! | open       | deal_won                     | won        | `a_deal_goes_from_open_to_handed_off`  |
//! | open       | deal_lost                    | lost       | `a_lost_deal_cannot_be_won`            |
//! | won        | meeting_started              | won        | `a_deal_goes_from_open_to_handed_off`  |
//! | won        | brief_section_written        | won        | `an_edit_makes_signatures_stale`       |
//! | won        | brief_signed                 | won        | `only_the_two_leads_sign`              |
//! | won        | meeting_ended (both valid)   | handed-off | `a_deal_goes_from_open_to_handed_off`  |
//! | won, h-off | fulfilment_owner_reassigned  | same       | `reassigning_needs_the_new_owner_to_sign` |
//! | —          | deal_imported                | won, h-off | `imported_deals_fold_to_their_status`  |
//! | any else   | any                          | refused    | `the_fold_refuses_illegal_transitions` |

use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::assignment::{assign, AssignedBecause};
use crate::brief::{Brief, Section, Signature, SignerRole};
use crate::calendar::Calendar;
use crate::directory::{check_name, Department, Directory};
use crate::event::{Event, EventBody, TripPlan};
use crate::ids::{DealId, EscalationId, PersonId, TaskId};
use crate::money::Money;
use crate::service::ServiceHandoff;
use crate::trip::{Ask, ItineraryItem, Outcome, Signal, Traveller};
use crate::RuleError;

/// The live handoff meeting is meant to take this long.
pub const MEETING_MINUTES: i64 = 15;
/// The first itinerary task, created when the handoff completes.
pub const FIRST_TASK_TITLE: &str = "Confirm dates with customer";
/// The first task is due this long after the handoff.
pub const FIRST_TASK_DUE_HOURS: i64 = 24;

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
    /// The word used on the command line: `open`, `won`, `handed-off`, `lost`.
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

/// A hand reassignment of the fulfilment owner.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reassignment {
    pub from: PersonId,
    pub to: PersonId,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Who owns the deal in fulfilment: the person named at close, and whoever acts now.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentOwner {
    pub original: PersonId,
    pub because: AssignedBecause,
    pub acting: PersonId,
    pub reassignments: Vec<Reassignment>,
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

/// The state of one signer's sign-off on the current brief.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum SignOff {
    /// Never signed by the person now in the role.
    Missing,
    /// Signed, and the brief still hashes to what was signed.
    Valid { at: DateTime<Utc> },
    /// Signed, but the brief was edited afterwards: must be signed again.
    Stale { at: DateTime<Utc> },
}

impl SignOff {
    /// Whether the sign-off counts.
    pub fn is_valid(&self) -> bool {
        matches!(self, SignOff::Valid { .. })
    }
}

/// Something about the live meeting that breaks the playbook: flagged, never refused.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "kebab-case")]
pub enum MeetingFlag {
    /// Longer than the 15 minutes the playbook allows.
    Overran { minutes: i64 },
    /// Not held on the day the deal closed (agency-local dates).
    NotOnCloseDay { close_day: NaiveDate, meeting_day: NaiveDate },
}

impl fmt::Display for MeetingFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MeetingFlag::Overran { minutes } => {
                write!(f, "the meeting took {minutes} minutes (the playbook says {MEETING_MINUTES})")
            }
            MeetingFlag::NotOnCloseDay { close_day, meeting_day } => write!(
                f,
                "the meeting was on {meeting_day}, not on the close day {close_day} (the playbook says same day)"
            ),
        }
    }
}

/// A deal, as folded from its events.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deal {
    pub id: DealId,
    pub title: String,
    pub customer: String,
    pub value: Money,
    /// The Sales owner, who writes the brief.
    pub sales_owner: PersonId,
    pub trip: TripPlan,
    pub external_id: Option<String>,
    pub status: DealStatus,
    pub added_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub lost_at: Option<DateTime<Utc>>,
    pub fulfilment: Option<FulfilmentOwner>,
    pub meeting_started_at: Option<DateTime<Utc>>,
    pub meeting_ended_at: Option<DateTime<Utc>>,
    pub brief: Brief,
    pub signatures: Vec<Signature>,
    /// When the handoff completed: the end of the meeting with both signatures valid.
    pub handoff_at: Option<DateTime<Utc>>,
    /// The Fulfilment owner who signed when the handoff completed.
    #[serde(default)]
    pub handoff_fulfilment_signer: Option<PersonId>,
    pub tasks: Vec<Task>,
    /// Built by Fulfilment: who travels and what they need.
    #[serde(default)]
    pub travellers: Vec<Traveller>,
    /// Built by Fulfilment: the days and items of the trip.
    #[serde(default)]
    pub itinerary: Vec<ItineraryItem>,
    /// The Fulfilment→Service handoff, once scheduled.
    #[serde(default)]
    pub service: Option<ServiceHandoff>,
    /// What Service had to ask travellers during the trip.
    #[serde(default)]
    pub asks: Vec<Ask>,
    /// How the travellers came back.
    #[serde(default)]
    pub signal: Option<Signal>,
    /// Picked at a Tuesday review for a follow-up call.
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
}

/// A follow-up call picked at a Tuesday review.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub review: NaiveDate,
    pub task: TaskId,
    pub outcome: Option<Outcome>,
    pub renewed_deal: Option<DealId>,
    pub done_at: Option<DateTime<Utc>>,
}

/// The fields of a new deal.
#[derive(Clone, Debug)]
pub struct NewDeal {
    pub title: String,
    pub customer: String,
    pub value: Money,
    pub sales_owner: PersonId,
    pub trip: TripPlan,
}

/// One historical deal from a CRM export.
#[derive(Clone, Debug)]
pub struct ImportedDeal {
    pub external_id: String,
    pub title: String,
    pub customer: String,
    pub value: Money,
    pub sales_owner: PersonId,
    pub closed_at: DateTime<Utc>,
    pub handoff_at: Option<DateTime<Utc>>,
}

fn local(cal: &Calendar, t: DateTime<Utc>) -> String {
    cal.local_datetime(t).format("%Y-%m-%d %H:%M").to_string()
}

fn check_sales_person(dir: &Directory, id: PersonId) -> Result<(), RuleError> {
    let p = dir
        .person(id)
        .ok_or(RuleError::IllegalTransition { event: "deal_added", reason: format!("unknown person {id}") })?;
    if p.dept != Department::Sales {
        return Err(RuleError::WrongDepartment {
            person: p.name.clone(),
            actual: p.dept.to_string(),
            expected: "sales".into(),
            hint: "a deal's owner is the Sales person who sold it",
        });
    }
    Ok(())
}

fn check_trip(trip: &TripPlan) -> Result<(), RuleError> {
    if let (Some(start), Some(end)) = (trip.start, trip.end) {
        if end < start {
            return Err(RuleError::TripEndsBeforeStart { start, end });
        }
    }
    if let Some(d) = &trip.destination {
        check_name("the destination", d)?;
    }
    Ok(())
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

impl Deal {
    // ---- decisions -------------------------------------------------------------------------

    /// Adds a deal owned by a Sales person.
    pub fn add(dir: &Directory, id: DealId, new: NewDeal) -> Result<Vec<EventBody>, RuleError> {
        dir.agency()?;
        check_name("the deal title", &new.title)?;
        check_name("the customer", &new.customer)?;
        check_sales_person(dir, new.sales_owner)?;
        check_trip(&new.trip)?;
        Ok(vec![EventBody::DealAdded {
            deal: id,
            title: new.title,
            customer: new.customer,
            value: new.value,
            sales_owner: new.sales_owner,
            trip: new.trip,
        }])
    }

    /// The deal is won at `at`: name the fulfilment owner now, never a queue.
    pub fn win(
        &self,
        dir: &Directory,
        at: DateTime<Utc>,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Open, cal, "only an open deal can be won")?;
        let day = cal.local_date(at);
        let a = assign(dir, Department::Fulfilment, day)?;
        let mut events =
            vec![EventBody::DealWon { deal: self.id, fulfilment_owner: a.person, assigned_because: a.because }];
        events.extend(escalation(a.because, escalation_id, self.id, a.person, Department::Fulfilment, day));
        Ok(events)
    }

    /// The deal is lost.
    pub fn lose(&self, dir: &Directory) -> Result<Vec<EventBody>, RuleError> {
        self.require(DealStatus::Open, dir.calendar()?, "only an open deal can be lost")?;
        Ok(vec![EventBody::DealLost { deal: self.id }])
    }

    /// A historical deal from a CRM export: closed at `closed_at`, owner named by the same rule.
    pub fn import(
        dir: &Directory,
        id: DealId,
        row: ImportedDeal,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        check_name("the external id", &row.external_id)?;
        check_name("the deal title", &row.title)?;
        check_name("the customer", &row.customer)?;
        check_sales_person(dir, row.sales_owner)?;
        if let Some(h) = row.handoff_at {
            if h < row.closed_at {
                return Err(RuleError::OutOfOrder {
                    deal: row.title,
                    what: "handoff_at",
                    at: local(cal, h),
                    before: "closed_at",
                    before_at: local(cal, row.closed_at),
                });
            }
        }
        let day = cal.local_date(row.closed_at);
        let a = assign(dir, Department::Fulfilment, day)?;
        let mut events = vec![EventBody::DealImported {
            deal: id,
            external_id: row.external_id,
            title: row.title,
            customer: row.customer,
            value: row.value,
            sales_owner: row.sales_owner,
            closed_at: row.closed_at,
            handoff_at: row.handoff_at,
            fulfilment_owner: a.person,
            assigned_because: a.because,
        }];
        events.extend(escalation(a.because, escalation_id, id, a.person, Department::Fulfilment, day));
        Ok(events)
    }

    /// The 15-minute live meeting starts.
    pub fn start_meeting(&self, dir: &Directory, at: DateTime<Utc>) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Won, cal, "the handoff meeting is for a won deal")?;
        if let Some(started) = self.meeting_started_at {
            return Err(RuleError::WrongStatus {
                deal: self.title.clone(),
                status: format!("already in its handoff meeting (started {})", local(cal, started)),
                hint: "carry on: set the brief, sign it, then `handoff meeting end`".into(),
            });
        }
        let closed = self.closed_at.unwrap_or(at);
        if at < closed {
            return Err(self.out_of_order(cal, "the meeting start", at, "the close", closed));
        }
        Ok(vec![EventBody::MeetingStarted { deal: self.id }])
    }

    /// Sales writes (or rewrites) one section of the brief.
    pub fn write_section(&self, dir: &Directory, section: Section, text: String) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Won, cal, "the brief is written for a won deal, before the handoff completes")?;
        Brief::check_text(&text)?;
        Ok(vec![EventBody::BriefSectionWritten { deal: self.id, section, text }])
    }

    /// A signer signs the brief as it is now, with this device's secret key.
    pub fn sign(
        &self,
        dir: &Directory,
        signer: PersonId,
        at: DateTime<Utc>,
        device_secret: &[u8; 32],
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Won, cal, "the brief is signed during the handoff meeting")?;
        let fulfilment = self.acting_fulfilment_owner();
        let role = if signer == self.sales_owner {
            SignerRole::Sales
        } else if Some(signer) == fulfilment {
            SignerRole::Fulfilment
        } else {
            return Err(RuleError::NotASigner {
                deal: self.title.clone(),
                person: dir.name_of(signer),
                sales: dir.name_of(self.sales_owner),
                fulfilment: fulfilment.map(|f| dir.name_of(f)).unwrap_or_default(),
            });
        };
        let Some(started) = self.meeting_started_at else {
            return Err(RuleError::WrongStatus {
                deal: self.title.clone(),
                status: "not in its handoff meeting".into(),
                hint: "sign-off happens live: start it with `handoff meeting start DEAL`".into(),
            });
        };
        if at < started {
            return Err(self.out_of_order(cal, "the signature", at, "the meeting start", started));
        }
        if let SignOff::Valid { at: signed } = self.sign_off(role) {
            return Err(RuleError::AlreadySigned {
                deal: self.title.clone(),
                person: dir.name_of(signer),
                at: local(cal, signed),
            });
        }
        let brief_sha256 = self.brief.sha256(self.id);
        let message = crate::signing::signoff_message(self.id, signer, role, at, &brief_sha256);
        Ok(vec![EventBody::BriefSigned {
            deal: self.id,
            signer,
            role,
            key_fingerprint: crate::signing::fingerprint(&crate::signing::public_key(device_secret)),
            signature: crate::signing::sign(device_secret, &message),
            brief_sha256,
        }])
    }

    /// The meeting ends and the handoff completes: both signatures must be valid. Creates the
    /// first task and, when the trip's start is known, schedules the service handoff.
    pub fn end_meeting(
        &self,
        dir: &Directory,
        at: DateTime<Utc>,
        task: TaskId,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Won, cal, "only a won deal's meeting can end")?;
        let Some(started) = self.meeting_started_at else {
            return Err(RuleError::WrongStatus {
                deal: self.title.clone(),
                status: "not in its handoff meeting".into(),
                hint: "start it with `handoff meeting start DEAL`".into(),
            });
        };
        if at < started {
            return Err(self.out_of_order(cal, "the meeting end", at, "the meeting start", started));
        }
        if let Some(last) = self.signatures.iter().map(|s| s.at).max().filter(|last| at < *last) {
            return Err(self.out_of_order(cal, "the meeting end", at, "the last signature", last));
        }
        let missing: Vec<String> = [SignerRole::Sales, SignerRole::Fulfilment]
            .into_iter()
            .filter_map(|role| {
                let name = self.signer(role).map(|p| dir.name_of(p)).unwrap_or_default();
                match self.sign_off(role) {
                    SignOff::Valid { .. } => None,
                    SignOff::Missing => Some(format!("{name} ({}) has not signed", role.as_str())),
                    SignOff::Stale { .. } => {
                        Some(format!("{name}'s ({}) signature is stale: the brief changed after it", role.as_str()))
                    }
                }
            })
            .collect();
        if !missing.is_empty() {
            return Err(RuleError::SignaturesMissing { deal: self.title.clone(), missing: missing.join("; ") });
        }
        let owner = self.acting_fulfilment_owner().expect("a won deal has a fulfilment owner");
        let mut events = vec![
            EventBody::MeetingEnded { deal: self.id },
            EventBody::TaskCreated {
                task,
                deal: self.id,
                title: FIRST_TASK_TITLE.into(),
                owner,
                due_at: at + Duration::hours(FIRST_TASK_DUE_HOURS),
            },
        ];
        events.extend(self.schedule_service(dir, escalation_id)?);
        Ok(events)
    }

    /// Hands the fulfilment side to someone else, with a reason.
    pub fn reassign(&self, dir: &Directory, to: PersonId, reason: String) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        if !matches!(self.status, DealStatus::Won | DealStatus::HandedOff) {
            return Err(self.status_error(cal, "only a won deal has a fulfilment owner to reassign"));
        }
        check_name("the reason", &reason)?;
        let from = self.acting_fulfilment_owner().expect("a won deal has a fulfilment owner");
        let target = dir.person(to).ok_or(RuleError::IllegalTransition {
            event: "fulfilment_owner_reassigned",
            reason: format!("unknown person {to}"),
        })?;
        if !matches!(target.dept, Department::Fulfilment | Department::Founder) {
            return Err(RuleError::WrongDepartment {
                person: target.name.clone(),
                actual: target.dept.to_string(),
                expected: "fulfilment".into(),
                hint: "the fulfilment owner is someone in fulfilment (or the founder)",
            });
        }
        if to == from {
            return Err(RuleError::SameOwner { deal: self.title.clone(), person: target.name.clone() });
        }
        Ok(vec![EventBody::FulfilmentOwnerReassigned { deal: self.id, from, to, reason }])
    }

    /// Marks one of the deal's tasks done.
    pub fn complete_task(&self, dir: &Directory, task: TaskId) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        let t = self.tasks.iter().find(|t| t.id == task).ok_or(RuleError::IllegalTransition {
            event: "task_completed",
            reason: format!("deal \"{}\" has no task {task}", self.title),
        })?;
        if let Some(done) = t.done_at {
            return Err(RuleError::TaskAlreadyDone { task: t.title.clone(), at: local(cal, done) });
        }
        Ok(vec![EventBody::TaskCompleted { task, deal: self.id }])
    }

    // ---- queries ----------------------------------------------------------------------------

    /// Whoever owns the fulfilment side now.
    pub fn acting_fulfilment_owner(&self) -> Option<PersonId> {
        self.fulfilment.as_ref().map(|f| f.acting)
    }

    /// Who signs the brief in `role`: the Sales author; the Fulfilment owner — the one who was
    /// acting when the handoff completed, so a later reassignment never unsigns a signed brief.
    pub fn signer(&self, role: SignerRole) -> Option<PersonId> {
        match role {
            SignerRole::Sales => Some(self.sales_owner),
            SignerRole::Fulfilment => self.handoff_fulfilment_signer.or_else(|| self.acting_fulfilment_owner()),
        }
    }

    /// The sign-off of whoever signs in `role`, against the brief as it is now.
    pub fn sign_off(&self, role: SignerRole) -> SignOff {
        let holder = self.signer(role);
        let current = self.brief.sha256(self.id);
        match self.signatures.iter().rev().find(|s| s.role == role && Some(s.signer) == holder) {
            None => SignOff::Missing,
            Some(s) if s.brief_sha256 == current => SignOff::Valid { at: s.at },
            Some(s) => SignOff::Stale { at: s.at },
        }
    }

    /// Close → handoff, once handed off.
    pub fn dwell(&self) -> Option<Duration> {
        Some(self.handoff_at? - self.closed_at?)
    }

    /// What about the meeting breaks the playbook (overran, not on the close day).
    pub fn meeting_flags(&self, cal: &Calendar) -> Vec<MeetingFlag> {
        let mut flags = Vec::new();
        let (Some(start), Some(closed)) = (self.meeting_started_at, self.closed_at) else {
            return flags;
        };
        if let Some(end) = self.meeting_ended_at {
            let minutes = (end - start).num_minutes();
            if end - start > Duration::minutes(MEETING_MINUTES) {
                flags.push(MeetingFlag::Overran { minutes });
            }
        }
        let (close_day, meeting_day) = (cal.local_date(closed), cal.local_date(start));
        if close_day != meeting_day {
            flags.push(MeetingFlag::NotOnCloseDay { close_day, meeting_day });
        }
        flags
    }

    fn require(&self, status: DealStatus, cal: &Calendar, hint: &str) -> Result<(), RuleError> {
        if self.status == status {
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

    // ---- the fold ---------------------------------------------------------------------------

    /// Folds one event of this deal into its state. Refuses events that break the state machine.
    pub fn apply(state: Option<Deal>, event: &Event) -> Result<Deal, RuleError> {
        Self::apply_body(state, &event.body, event.occurred_at)
    }

    /// The deal as it will be once `bodies` — the events of one action that happens at `at` —
    /// are folded in: what an action answers with, computed by the same fold the store runs.
    pub fn after(&self, bodies: &[EventBody], at: DateTime<Utc>) -> Result<Deal, RuleError> {
        bodies
            .iter()
            .filter(|b| b.deal() == Some(self.id))
            .try_fold(self.clone(), |state, body| Self::apply_body(Some(state), body, at))
    }

    fn apply_body(state: Option<Deal>, body: &EventBody, at: DateTime<Utc>) -> Result<Deal, RuleError> {
        let illegal = |reason: &str| RuleError::IllegalTransition { event: body.name(), reason: reason.into() };
        let mut deal = match (state, body) {
            (None, EventBody::DealAdded { deal, title, customer, value, sales_owner, trip }) => {
                return Ok(Deal::new(*deal, title, customer, value, *sales_owner, trip.clone(), at));
            }
            (
                None,
                EventBody::DealImported {
                    deal,
                    external_id,
                    title,
                    customer,
                    value,
                    sales_owner,
                    closed_at,
                    handoff_at,
                    fulfilment_owner,
                    assigned_because,
                },
            ) => {
                let mut d = Deal::new(*deal, title, customer, value, *sales_owner, TripPlan::default(), at);
                d.external_id = Some(external_id.clone());
                d.closed_at = Some(*closed_at);
                d.handoff_at = *handoff_at;
                d.status = if handoff_at.is_some() { DealStatus::HandedOff } else { DealStatus::Won };
                d.fulfilment = Some(FulfilmentOwner {
                    original: *fulfilment_owner,
                    because: *assigned_because,
                    acting: *fulfilment_owner,
                    reassignments: Vec::new(),
                });
                return Ok(d);
            }
            (None, _) => return Err(illegal("the deal does not exist")),
            (Some(_), EventBody::DealAdded { .. } | EventBody::DealImported { .. }) => {
                return Err(illegal("the deal exists already"))
            }
            (Some(d), _) => d,
        };
        match body {
            EventBody::DealWon { fulfilment_owner, assigned_because, .. } => {
                if deal.status != DealStatus::Open {
                    return Err(illegal("only an open deal can be won"));
                }
                deal.status = DealStatus::Won;
                deal.closed_at = Some(at);
                deal.fulfilment = Some(FulfilmentOwner {
                    original: *fulfilment_owner,
                    because: *assigned_because,
                    acting: *fulfilment_owner,
                    reassignments: Vec::new(),
                });
            }
            EventBody::DealLost { .. } => {
                if deal.status != DealStatus::Open {
                    return Err(illegal("only an open deal can be lost"));
                }
                deal.status = DealStatus::Lost;
                deal.lost_at = Some(at);
            }
            EventBody::MeetingStarted { .. } => {
                if deal.status != DealStatus::Won || deal.meeting_started_at.is_some() {
                    return Err(illegal("a meeting starts once, on a won deal"));
                }
                deal.meeting_started_at = Some(at);
            }
            EventBody::BriefSectionWritten { section, text, .. } => {
                if deal.status != DealStatus::Won {
                    return Err(illegal("the brief is written on a won deal before the handoff"));
                }
                deal.brief.sections.insert(*section, text.clone());
            }
            EventBody::BriefSigned { signer, role, brief_sha256, key_fingerprint, signature, .. } => {
                if deal.status != DealStatus::Won
                    || deal.meeting_started_at.is_none()
                    || deal.signer(*role) != Some(*signer)
                {
                    return Err(illegal("only the two leads sign, during the meeting"));
                }
                deal.signatures.push(Signature {
                    signer: *signer,
                    role: *role,
                    at,
                    brief_sha256: brief_sha256.clone(),
                    key_fingerprint: key_fingerprint.clone(),
                    signature: signature.clone(),
                });
            }
            EventBody::MeetingEnded { .. } => {
                let signed =
                    deal.sign_off(SignerRole::Sales).is_valid() && deal.sign_off(SignerRole::Fulfilment).is_valid();
                if deal.status != DealStatus::Won || deal.meeting_started_at.is_none() || !signed {
                    return Err(illegal("the meeting ends with both signatures valid"));
                }
                deal.status = DealStatus::HandedOff;
                deal.meeting_ended_at = Some(at);
                deal.handoff_at = Some(at);
                deal.handoff_fulfilment_signer = deal.acting_fulfilment_owner();
            }
            EventBody::FulfilmentOwnerReassigned { from, to, reason, .. } => {
                let f = deal.fulfilment.as_mut().ok_or_else(|| illegal("the deal has no fulfilment owner"))?;
                if f.acting != *from {
                    return Err(illegal("reassigned from someone who is not the owner"));
                }
                f.acting = *to;
                f.reassignments.push(Reassignment { from: *from, to: *to, reason: reason.clone(), at });
                for t in deal.tasks.iter_mut().filter(|t| t.owner == *from && t.done_at.is_none()) {
                    t.owner = *to;
                }
            }
            EventBody::TaskCreated { task, title, owner, due_at, .. } => {
                if deal.tasks.iter().any(|t| t.id == *task) {
                    return Err(illegal("the task exists already"));
                }
                deal.tasks.push(Task {
                    id: *task,
                    title: title.clone(),
                    owner: *owner,
                    created_at: at,
                    due_at: *due_at,
                    done_at: None,
                });
            }
            EventBody::TaskCompleted { task, .. } => {
                let t = deal.tasks.iter_mut().find(|t| t.id == *task).ok_or_else(|| illegal("no such task"))?;
                if t.done_at.is_some() {
                    return Err(illegal("the task is done already"));
                }
                t.done_at = Some(at);
            }
            EventBody::FounderEscalated { .. } => {}
            other => deal.apply_delivery(other, at)?,
        }
        Ok(deal)
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
        }
    }
}

mod delivery;

pub use delivery::{NewItem, NewTraveller};

#[cfg(test)]
mod tests;
