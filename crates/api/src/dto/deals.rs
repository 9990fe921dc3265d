//! Deals: adding, winning, losing, reassigning the fulfilment owner, and everything about one
//! deal (its detail, with the timeline).

use chrono::{DateTime, Utc};
use handoff_domain::assignment::AssignedBecause;
use handoff_domain::deal::DealStatus;
use handoff_domain::ids::DealId;
use handoff_domain::metrics::Waiting;
use serde::{Deserialize, Serialize};

use super::handoff::{BriefDto, MeetingDto};
use super::on_trip::{AskDto, SignalDto};
use super::review::FollowUpDto;
use super::service::ServiceDto;
use super::tasks::TaskDto;
use super::trip::{TravellerDto, TripDto};
use super::{Acting, DealRef, PersonRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealAddRequest {
    pub title: String,
    pub customer: String,
    pub value: String,
    pub currency: String,
    pub owner: String,
    pub trip_start: Option<String>,
    pub trip_end: Option<String>,
    pub destination: Option<String>,
    pub travellers: Option<u32>,
    pub acting: Acting,
}

/// An action on one deal (`deal won`, `deal lost`, `meeting start`, …).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealAction {
    pub deal: String,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealSummary {
    pub id: DealId,
    pub title: String,
    pub customer: String,
    pub status: DealStatus,
    /// The value as text with its currency: `60,000.00 EUR`.
    pub value: String,
    /// The amount alone, as a form takes it back: `60000.00`.
    pub amount: String,
    pub value_minor: i64,
    pub currency: String,
    pub sales_owner: PersonRef,
    pub fulfilment_owner: Option<PersonRef>,
    pub closed_at: Option<DateTime<Utc>>,
    pub handoff_at: Option<DateTime<Utc>>,
}

/// The column the deal list is sorted by.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DealSort {
    /// When the deal was won (deals not won come after the won ones, newest added first).
    #[default]
    Won,
    Title,
    Customer,
    /// Open, handoff due, handed off, lost: the order a deal lives in.
    Status,
    Value,
    /// The Sales owner's name.
    Sales,
    /// The Fulfilment owner's name (none first).
    Fulfilment,
}

/// A page of the deal list.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DealPageRequest {
    /// Only deals of this status.
    #[serde(default)]
    pub status: Option<DealStatus>,
    /// Only deals whose title, customer, travellers' names or brief hold every word of this (a
    /// word also as the start of a longer one; accents and case aside), or whose owner's name
    /// holds it.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub sort: DealSort,
    /// Smallest first; by default the largest (the newest) first.
    #[serde(default)]
    pub ascending: bool,
    /// How many deals of the list come before this page.
    #[serde(default)]
    pub offset: u32,
    /// How many deals the page holds, at most [`crate::DEAL_PAGE_MOST`].
    pub limit: u32,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealPage {
    /// The deals of the page, in the list's order.
    pub deals: Vec<DealSummary>,
    /// Where the page starts in the list.
    pub offset: u32,
    /// How many deals the list holds (its filters applied).
    pub total: u32,
    /// How many deals the agency holds.
    pub all: u32,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealWonResponse {
    pub deal: DealId,
    pub title: String,
    pub closed_at: DateTime<Utc>,
    pub fulfilment_owner: PersonRef,
    pub assigned_because: AssignedBecause,
    /// The handoff should be done by then: one business day after the close.
    pub handoff_deadline: DateTime<Utc>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReassignmentDto {
    pub from: PersonRef,
    pub to: PersonRef,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FulfilmentDto {
    /// Who was named at close.
    pub original: PersonRef,
    pub assigned_because: AssignedBecause,
    /// Who owns it now.
    pub acting: PersonRef,
    pub reassignments: Vec<ReassignmentDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub actor: Option<PersonRef>,
    /// The person who uses the laptop it was recorded on, when chosen there.
    pub recorded_by: Option<PersonRef>,
    /// Who, as a person reads it: "Sam Reyes", or "Sam Reyes, recorded on Maya Chen's laptop"
    /// where the two differ; empty when neither is known.
    pub by: String,
    pub kind: String,
    /// One line a person can read: "Fay signed the brief (fulfilment)".
    pub summary: String,
    /// Left out when the laptops' logs met: another laptop's action came first (see the
    /// deal's conflicts), or had done the same already.
    pub skipped: bool,
    /// Recorded on another laptop than this one, and came in by sync.
    pub from_another_laptop: bool,
}

/// What a merge of two laptops' logs met: an action left out, or one that replaced text its
/// author had not seen, with a note that names both sides.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConflictDto {
    pub id: String,
    /// The deal it is about, if any.
    pub deal: Option<super::DealRef>,
    pub kind: handoff_domain::merge::ConflictKind,
    /// Left out (else applied, and the note keeps what it replaced).
    pub skipped: bool,
    pub by: Option<PersonRef>,
    pub at: DateTime<Utc>,
    pub note: String,
    /// What "take the other version" would do, in words; none when there is nothing to take
    /// (keep what stands, then act on the deal as usual).
    pub take_other: Option<String>,
    /// Who settled it, when and how, once someone has.
    pub settled: Option<ConflictSettledDto>,
    /// Whether the person who uses this laptop may settle it now: open, and they lead a
    /// department or are the founder.
    pub can_settle: bool,
}

/// How a conflict was settled.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConflictSettledDto {
    pub by: Option<PersonRef>,
    pub at: DateTime<Utc>,
    pub how: handoff_domain::event::Settlement,
}

/// A lead settles a conflict: keeps what stands, or takes the other version.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConflictSettleRequest {
    /// The conflict's id, or the first 6 or more characters of it.
    pub conflict: String,
    pub how: handoff_domain::event::Settlement,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealDetail {
    #[serde(flatten)]
    pub summary: DealSummary,
    pub trip: TripDto,
    /// The CRM's record id, for a deal that came from a CRM.
    pub external_id: Option<String>,
    /// Where the deal came from: the CRM, how it arrived (an export file or a webhook), and
    /// when Handoff received it. Its dwell counts from the close the CRM recorded.
    pub source: Option<handoff_domain::crm::DealSource>,
    pub fulfilment: Option<FulfilmentDto>,
    pub meeting: MeetingDto,
    pub brief: BriefDto,
    /// Why this laptop's person cannot write the brief now (before the meeting, after the
    /// handoff, or not of Sales); none when they can.
    pub brief_refusal: Option<String>,
    /// Why the meeting cannot end now by the deal's own rules (its status, a signature missing or
    /// stale); the brief's one-page check runs when it ends.
    pub meeting_end_refusal: Option<String>,
    /// Why an ask cannot be logged now (the trip has not started …); none when it can.
    pub ask_refusal: Option<String>,
    /// Why the signal cannot be recorded now (the trip is not over …); none when it can.
    pub signal_refusal: Option<String>,
    pub tasks: Vec<TaskDto>,
    pub dwell_hours: Option<f64>,
    pub dwell_business_hours: Option<f64>,
    /// When the customer first heard from the agency after the close, and whether that was
    /// within one business day of it.
    pub customer_contacted_at: Option<DateTime<Utc>>,
    pub heard_within_one_business_day: Option<bool>,
    /// For a won deal not yet handed off: its dwell so far.
    pub waiting: Option<Waiting>,
    pub travellers: Vec<TravellerDto>,
    pub itinerary_items: usize,
    pub service: Option<ServiceDto>,
    pub asks: Vec<AskDto>,
    pub signal: Option<SignalDto>,
    pub follow_up: Option<FollowUpDto>,
    /// A laptop marked it won at some point (its meeting may be in calendars): a lost deal that
    /// was won somewhere lost a race between laptops.
    pub was_won: bool,
    pub timeline: Vec<TimelineEntry>,
    /// What merging the laptops' logs met on this deal, in order.
    pub conflicts: Vec<ConflictDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReassignRequest {
    pub deal: String,
    pub to: String,
    pub reason: String,
    pub acting: Acting,
}

/// The customer heard from the agency.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContactedDto {
    pub deal: DealRef,
    pub contacted_at: DateTime<Utc>,
    /// By the end of one business day after the close (`deadline`).
    pub within_one_business_day: bool,
    pub deadline: DateTime<Utc>,
}

/// A mistake on a deal corrected: only what is given changes; the reason is kept with it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DealCorrectRequest {
    pub deal: String,
    pub title: Option<String>,
    pub customer: Option<String>,
    /// The amount, in the deal's currency unless `currency` is given too.
    pub value: Option<String>,
    pub currency: Option<String>,
    /// When it really closed (a won deal), as typed: RFC 3339 or `YYYY-MM-DD HH:MM` local.
    pub closed_at: Option<String>,
    pub reason: String,
    pub acting: Acting,
}

/// A lost deal opened again, and why.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealReopenRequest {
    pub deal: String,
    pub reason: String,
    pub acting: Acting,
}
