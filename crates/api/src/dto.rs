//! What the use cases take and return. Plain serde types: the CLI prints them (or their JSON) and
//! the desktop app receives them over IPC. Instants are UTC (RFC 3339 in JSON); `timezone` on the
//! agency tells a caller how to show them locally.

use chrono::{DateTime, NaiveDate, Utc};
use handoff_domain::assignment::AssignedBecause;
use handoff_domain::brief::Section;
use handoff_domain::deal::{DealStatus, MeetingFlag, SignOff};
use handoff_domain::directory::Department;
use handoff_domain::ids::{DealId, PersonId, TaskId};
use handoff_domain::metrics::{DwellStats, Waiting};
use serde::{Deserialize, Serialize};

/// Who acts and when: the `--as` and `--at` of every action.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Acting {
    /// A person's id or unique name.
    pub actor: Option<String>,
    /// When it really happened; default now. RFC 3339 or `YYYY-MM-DD HH:MM` in the agency zone.
    pub at: Option<String>,
}

/// A person, by id and name.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: PersonId,
    pub name: String,
}

/// A deal, by id and title.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealRef {
    pub id: DealId,
    pub title: String,
}

// ---- agency and people ---------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InitRequest {
    pub agency: String,
    pub timezone: String,
    pub workdays: Option<String>,
    pub hours: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AgencyDto {
    pub name: String,
    pub timezone: String,
    pub workdays: String,
    pub hours: String,
    pub one_business_day_hours: f64,
    pub holidays: Vec<NaiveDate>,
    /// How many trips the Sales lead may pick at one Tuesday review.
    pub review_picks: u8,
    /// The paper PDFs are laid out for.
    pub paper: handoff_domain::directory::Paper,
    /// This installation's signing key fingerprint.
    pub device_key: Option<String>,
    /// This installation's device id.
    pub device: String,
    /// The database file.
    pub database: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HolidayAddRequest {
    pub date: String,
    pub name: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonAddRequest {
    pub name: String,
    pub dept: String,
    pub email: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayDto {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonDto {
    pub id: PersonId,
    pub name: String,
    pub dept: Department,
    pub email: Option<String>,
    /// `lead`, `backup 1`, `backup 2` … or none.
    pub role: Option<String>,
    pub away: Vec<AwayDto>,
    /// Away on today's date in the agency zone.
    pub away_today: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeptSetRequest {
    pub dept: String,
    pub lead: String,
    pub backups: Vec<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeptDto {
    pub dept: Department,
    pub lead: Option<PersonRef>,
    pub backups: Vec<PersonRef>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayRequest {
    pub person: String,
    pub from: String,
    pub to: String,
    pub acting: Acting,
}

// ---- deals -----------------------------------------------------------------------------------

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
    pub value_minor: i64,
    pub currency: String,
    pub sales_owner: PersonRef,
    pub fulfilment_owner: Option<PersonRef>,
    pub closed_at: Option<DateTime<Utc>>,
    pub handoff_at: Option<DateTime<Utc>>,
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
pub struct TripDto {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub destination: Option<String>,
    pub travellers: Option<u32>,
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
pub struct MeetingDto {
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Breaks of the playbook: flagged, not refused.
    pub flags: Vec<MeetingFlagDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeetingFlagDto {
    #[serde(flatten)]
    pub flag: MeetingFlag,
    pub message: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SectionDto {
    pub section: Section,
    pub title: String,
    pub prompt: String,
    pub text: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignOffDto {
    pub signer: Option<PersonRef>,
    #[serde(flatten)]
    pub state: SignOff,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BriefDto {
    pub deal: DealRef,
    pub customer: String,
    pub sections: Vec<SectionDto>,
    /// SHA-256 of the canonical content; what signatures bind.
    pub sha256: String,
    pub sales: SignOffDto,
    pub fulfilment: SignOffDto,
    /// Both sign-offs valid.
    pub signed: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BriefSetRequest {
    pub deal: String,
    pub section: String,
    pub text: String,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskDto {
    pub id: TaskId,
    pub deal: DealRef,
    pub title: String,
    pub owner: PersonRef,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    /// Open and past its due time.
    pub overdue: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub actor: Option<PersonRef>,
    pub kind: String,
    /// One line a person can read: "Fay signed the brief (fulfilment)".
    pub summary: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealDetail {
    #[serde(flatten)]
    pub summary: DealSummary,
    pub trip: TripDto,
    pub external_id: Option<String>,
    pub fulfilment: Option<FulfilmentDto>,
    pub meeting: MeetingDto,
    pub brief: BriefDto,
    pub tasks: Vec<TaskDto>,
    pub dwell_hours: Option<f64>,
    pub dwell_business_hours: Option<f64>,
    /// For a won deal not yet handed off: its dwell so far.
    pub waiting: Option<Waiting>,
    pub travellers: Vec<TravellerDto>,
    pub itinerary_items: usize,
    pub service: Option<ServiceDto>,
    pub asks: Vec<AskDto>,
    pub signal: Option<SignalDto>,
    pub follow_up: Option<FollowUpDto>,
    pub timeline: Vec<TimelineEntry>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeetingEndResponse {
    pub deal: DealRef,
    pub handoff_at: DateTime<Utc>,
    pub dwell_hours: f64,
    pub dwell_business_hours: f64,
    pub first_task: TaskDto,
    pub flags: Vec<MeetingFlagDto>,
    /// When the trip's start is known: the service handoff, due 72 h before it, and its owner.
    pub service_due_at: Option<DateTime<Utc>>,
    pub service_owner: Option<PersonRef>,
    pub service_assigned_because: Option<AssignedBecause>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReassignRequest {
    pub deal: String,
    pub to: String,
    pub reason: String,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TaskListRequest {
    pub owner: Option<String>,
    pub open: bool,
    pub overdue: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskDoneRequest {
    pub task: String,
    pub acting: Acting,
}

// ---- metrics ---------------------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DwellRequest {
    /// Deals closed on or after this local date.
    pub from: Option<String>,
    /// Deals closed on or before this local date.
    pub to: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OpenDwell {
    pub deal: DealId,
    pub title: String,
    pub closed_at: DateTime<Utc>,
    /// Dwell so far: `hours_waiting`, `business_hours_waiting`, `breached`, `urgency`, `deadline`.
    #[serde(flatten)]
    pub waiting: Waiting,
    /// The named person who should act now: the acting fulfilment owner.
    pub should_act: PersonRef,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DwellReport {
    /// `handed_off`, `mean_hours`, `median_hours`, `p90_hours`, `worst_hours`, `worst_deal`,
    /// `over_one_business_day` and the same in business hours.
    #[serde(flatten)]
    pub stats: DwellStats,
    pub worst_deal_title: Option<String>,
    pub one_business_day_hours: f64,
    pub open: Vec<OpenDwell>,
    /// The handed-off deals of the range by business-time dwell.
    pub distribution: Vec<handoff_domain::metrics::DwellBucket>,
}

/// One ISO week of the dwell trend: deals closed that week (agency zone) and handed off.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeeklyDwell {
    /// `2026-W48`.
    pub week: String,
    /// The Monday of that week.
    pub monday: NaiveDate,
    #[serde(flatten)]
    pub stats: DwellStats,
}

// ---- import ----------------------------------------------------------------------------------

/// What importing one CSV row would do.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportAction {
    /// A deal not seen before: it would be imported.
    New,
    /// Imported before with the same values: nothing to do.
    Unchanged,
    /// Something is wrong with the row (see its problem): the file cannot be imported until fixed.
    Refused,
}

/// One row of a deals CSV, as the file has it, and what importing it would do.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportRowDto {
    pub line: u64,
    pub external_id: String,
    pub title: String,
    pub customer: String,
    pub value: String,
    pub currency: String,
    pub owner: String,
    pub closed_at: String,
    pub handoff_at: String,
    pub action: ImportAction,
    pub problem: Option<String>,
}

/// The preview of an import, before anything is written.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportPreview {
    pub file: String,
    pub new: usize,
    pub unchanged: usize,
    pub refused: usize,
    pub rows: Vec<ImportRowDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportResponse {
    pub rows: usize,
    pub imported: usize,
    /// Rows already imported earlier with the same values.
    pub unchanged: usize,
    pub escalated: usize,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RebuildResponse {
    pub events: usize,
    pub integrity: String,
}

// ---- trip content (Fulfilment) -----------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TripSetRequest {
    pub deal: String,
    /// `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM` when the start time is known.
    pub start: Option<String>,
    pub end: Option<String>,
    pub destination: Option<String>,
    pub travellers: Option<u32>,
    pub acting: Acting,
}

/// One traveller preference as given: topic and text ("" clears it on edit).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreferenceInput {
    pub topic: String,
    pub text: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TravellerAddRequest {
    pub deal: String,
    pub name: String,
    pub preferences: Vec<PreferenceInput>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TravellerEditRequest {
    pub deal: String,
    /// The traveller's name (or a unique start of it) or id.
    pub traveller: String,
    pub name: Option<String>,
    pub preferences: Vec<PreferenceInput>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreferenceDto {
    pub topic: handoff_domain::trip::PreferenceTopic,
    pub title: String,
    pub text: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TravellerDto {
    pub id: handoff_domain::ids::TravellerId,
    pub name: String,
    pub preferences: Vec<PreferenceDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemInput {
    pub deal: String,
    /// For edits and removals: the item's id or a unique id prefix.
    pub item: Option<String>,
    pub day: Option<String>,
    pub time: Option<String>,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub supplier: Option<String>,
    pub contact: Option<String>,
    pub confirmation: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemDto {
    pub id: handoff_domain::ids::ItemId,
    pub day: NaiveDate,
    pub time: Option<chrono::NaiveTime>,
    pub kind: handoff_domain::trip::ItemKind,
    pub title: String,
    pub supplier: Option<String>,
    pub contact: Option<String>,
    pub confirmation: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItineraryDay {
    pub day: NaiveDate,
    /// 1 for the trip's first day.
    pub number: Option<i64>,
    pub items: Vec<ItemDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItineraryDto {
    pub deal: DealRef,
    pub trip: TripDto,
    pub days: Vec<ItineraryDay>,
}

// ---- the service handoff ---------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChecklistItemDto {
    pub traveller: handoff_domain::ids::TravellerId,
    pub traveller_name: String,
    pub topic: handoff_domain::trip::PreferenceTopic,
    pub text: String,
    pub state: handoff_domain::service::AckState,
    pub acknowledged_at: Option<DateTime<Utc>>,
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
    pub topic: String,
    pub acting: Acting,
}

// ---- on and after the trip -------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AskLogRequest {
    pub deal: String,
    pub traveller: Option<String>,
    pub topic: String,
    pub text: String,
    pub brief_should_have_covered: bool,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AskDto {
    pub id: handoff_domain::ids::AskId,
    pub deal: DealRef,
    pub traveller: Option<String>,
    pub topic: handoff_domain::trip::AskTopic,
    pub text: String,
    pub brief_should_have_covered: bool,
    pub at: DateTime<Utc>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignalRequest {
    pub deal: String,
    pub sentiment: String,
    pub strength: u8,
    pub note: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignalDto {
    pub deal: DealRef,
    pub sentiment: handoff_domain::trip::Sentiment,
    pub strength: u8,
    pub note: String,
    pub at: DateTime<Utc>,
}

// ---- the Tuesday review ----------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FollowUpDto {
    pub review: NaiveDate,
    pub owner: Option<PersonRef>,
    pub due_at: Option<DateTime<Utc>>,
    pub outcome: Option<handoff_domain::trip::Outcome>,
    pub renewed_deal: Option<DealId>,
    pub done_at: Option<DateTime<Utc>>,
    /// Done no later than ten days after the trip end.
    pub within_ten_days: Option<bool>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReviewTripDto {
    pub rank: usize,
    pub deal: DealRef,
    pub customer: String,
    pub trip_end: NaiveDate,
    pub signal: Option<SignalDto>,
    pub asks: Vec<AskDto>,
    pub follow_up: Option<FollowUpDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReviewDto {
    pub review: NaiveDate,
    /// Trips that ended from `first` to `last` (Tuesday to Monday).
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub picks_allowed: u8,
    pub picks: usize,
    pub sales_lead: Option<PersonRef>,
    pub trips: Vec<ReviewTripDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReviewPickRequest {
    pub deals: Vec<String>,
    /// The review's Tuesday; default the latest one on or before today.
    pub date: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FollowUpDoneRequest {
    pub deal: String,
    pub outcome: String,
    /// For `renewed`: the new deal it became.
    pub renewed_deal: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutreachRequest {
    pub attempts: u32,
    pub renewals: u32,
    /// The day of the batch; default today.
    pub date: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutreachDto {
    pub date: NaiveDate,
    pub attempts: u32,
    pub renewals: u32,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AgencySetRequest {
    pub review_picks: Option<u8>,
    /// `a4` or `letter`.
    pub paper: Option<String>,
    /// Working days: `mon,tue,wed,thu,fri`.
    #[serde(default)]
    pub workdays: Option<String>,
    /// Working hours: `09:00-17:30`.
    #[serde(default)]
    pub hours: Option<String>,
    pub acting: Acting,
}

// ---- escalations -----------------------------------------------------------------------------

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
    pub dept: Option<String>,
    pub founder: PersonRef,
    pub reason: String,
    /// Recorded by the assignment rule (not logged by hand).
    pub automatic: bool,
}

// ---- metrics ---------------------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RangeRequest {
    pub from: Option<String>,
    pub to: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TopicCount {
    pub topic: handoff_domain::trip::AskTopic,
    pub asks: usize,
    pub brief_should_have_covered: usize,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServiceMetrics {
    pub service_handoffs_done: usize,
    pub on_time: usize,
    pub on_time_share: f64,
    pub mean_lead_hours: f64,
    pub delivered_trips: usize,
    /// Asks the brief should have covered, per delivered trip (target: under 1).
    pub asks_per_trip: f64,
    pub asks_by_topic: Vec<TopicCount>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoopMetrics {
    pub trips_back: usize,
    pub reviews_held: usize,
    /// Picks, follow-ups, renewal rates and the lift, as the domain computes them.
    #[serde(flatten)]
    pub figures: handoff_domain::metrics::LoopFigures,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PeriodCount {
    /// `2026-W49` or `2026-Q4`.
    pub period: String,
    pub escalations: usize,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EscalationMetrics {
    pub total: usize,
    pub per_week: Vec<PeriodCount>,
    pub per_quarter: Vec<PeriodCount>,
}

// ---- today -----------------------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TodayServiceDto {
    pub deal: DealRef,
    pub due_at: DateTime<Utc>,
    pub trip_start: Option<DateTime<Utc>>,
    pub owner: PersonRef,
    pub late: bool,
    pub hours_until_due: f64,
    pub open_items: usize,
    pub started: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TodayReviewDto {
    pub date: NaiveDate,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Trips in the window so far.
    pub trips: usize,
    pub with_signal: usize,
    pub picks: usize,
    pub picks_allowed: u8,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TodayFollowUpDto {
    pub deal: DealRef,
    pub owner: PersonRef,
    pub trip_end: Option<NaiveDate>,
    pub due_at: DateTime<Utc>,
    pub days_left: i64,
    pub overdue: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TodayDto {
    pub now: DateTime<Utc>,
    pub timezone: String,
    /// Whose view this is; none for the whole agency.
    pub person: Option<PersonRef>,
    /// Won deals not yet handed off, oldest first, with who should act now.
    pub waiting: Vec<OpenDwell>,
    /// Open tasks due in the next 24 hours or overdue.
    pub tasks: Vec<TaskDto>,
    /// Service handoffs due in the next 96 hours, or late.
    pub service_handoffs: Vec<TodayServiceDto>,
    pub next_review: TodayReviewDto,
    /// Follow-up calls not done, due within three days or overdue.
    pub follow_ups: Vec<TodayFollowUpDto>,
}

// ---- notifications ---------------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// A won deal passed half a business day without a handoff.
    HandoffHalfDay,
    /// A won deal passed one business day without a handoff.
    HandoffOverdue,
    /// A service handoff is inside 72 hours of the trip and not done.
    ServiceDue,
}

/// One desktop notification.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NoticeDto {
    pub kind: NoticeKind,
    pub deal: DealId,
    pub title: String,
    pub body: String,
    /// Who should act.
    pub person: PersonRef,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NoticesDto {
    /// The instant these were computed at: pass it as `since` next time.
    pub now: DateTime<Utc>,
    pub notices: Vec<NoticeDto>,
}

// ---- PDF exports -----------------------------------------------------------------------------

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportRequest {
    pub deal: String,
    /// Where to write the PDF.
    pub out: std::path::PathBuf,
    /// Replace the file if it exists.
    pub force: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportResponse {
    pub path: String,
    pub pages: usize,
    pub bytes: usize,
    /// The brief's SHA-256 printed in (and embedded into) the document.
    pub brief_sha256: String,
    /// Exported before both signatures were valid: marked "DRAFT — not signed".
    pub draft: bool,
    /// Characters the font cannot draw, shown as a visible replacement mark.
    pub replaced: Vec<String>,
    pub body_size_pt: f32,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FitDto {
    pub fits: bool,
    pub body_size_pt: f32,
    pub over_percent: f32,
    pub longest_sections: Vec<(String, usize)>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifyRequest {
    pub file: std::path::PathBuf,
    /// The deal the file should be the brief of; found from the file's hash when not given.
    pub deal: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignatureCheck {
    pub signer: PersonRef,
    pub role: handoff_domain::brief::SignerRole,
    pub at: DateTime<Utc>,
    pub key_fingerprint: String,
    /// The signature checks out against the registered device key.
    pub verifies: bool,
    /// Why not, when it does not.
    pub problem: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifyReport {
    pub file: String,
    pub deal: Option<DealRef>,
    /// The SHA-256 the file carries.
    pub file_sha256: Option<String>,
    /// The brief's SHA-256 as it is now.
    pub current_sha256: Option<String>,
    /// The file shows the brief as it is now.
    pub matches_current: bool,
    /// Sign-offs given on the file's content, each checked.
    pub signatures: Vec<SignatureCheck>,
    /// The file is the brief as signed by both current signers, and both signatures verify.
    pub ok: bool,
    /// What failed, in words; empty when ok.
    pub problems: Vec<String>,
}
