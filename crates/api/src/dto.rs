//! What the use cases take and return. Plain serde types: the CLI prints them (or their JSON) and
//! the desktop app receives them over IPC. Instants are UTC (RFC 3339 in JSON); `timezone` on the
//! agency tells a caller how to show them locally.

use chrono::{DateTime, NaiveDate, Utc};
use handoff_domain::assignment::AssignedBecause;
use handoff_domain::brief::Section;
use handoff_domain::deal::{DealStatus, MeetingFlag, SignOff};
use handoff_domain::directory::Department;
use handoff_domain::ids::{DealId, PersonId, TaskId};
use handoff_domain::metrics::Urgency;
use serde::{Deserialize, Serialize};

/// Who acts and when: the `--as` and `--at` of every action.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Acting {
    /// A person's id or unique name.
    pub actor: Option<String>,
    /// When it really happened; default now. RFC 3339 or `YYYY-MM-DD HH:MM` in the agency zone.
    pub at: Option<String>,
}

/// A person, by id and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: PersonId,
    pub name: String,
}

/// A deal, by id and title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealRef {
    pub id: DealId,
    pub title: String,
}

// ---- agency and people ---------------------------------------------------------------------

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InitRequest {
    pub agency: String,
    pub timezone: String,
    pub workdays: Option<String>,
    pub hours: Option<String>,
    pub acting: Acting,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AgencyDto {
    pub name: String,
    pub timezone: String,
    pub workdays: String,
    pub hours: String,
    pub one_business_day_hours: f64,
    pub holidays: Vec<NaiveDate>,
    /// This installation's device id.
    pub device: String,
    /// The database file.
    pub database: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HolidayAddRequest {
    pub date: String,
    pub name: Option<String>,
    pub acting: Acting,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonAddRequest {
    pub name: String,
    pub dept: String,
    pub email: Option<String>,
    pub acting: Acting,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayDto {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeptSetRequest {
    pub dept: String,
    pub lead: String,
    pub backups: Vec<String>,
    pub acting: Acting,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeptDto {
    pub dept: Department,
    pub lead: Option<PersonRef>,
    pub backups: Vec<PersonRef>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayRequest {
    pub person: String,
    pub from: String,
    pub to: String,
    pub acting: Acting,
}

// ---- deals -----------------------------------------------------------------------------------

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
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealAction {
    pub deal: String,
    pub acting: Acting,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealSummary {
    pub id: DealId,
    pub title: String,
    pub customer: String,
    pub status: DealStatus,
    /// The value as text with its currency: `60000.00 EUR`.
    pub value: String,
    pub value_minor: i64,
    pub currency: String,
    pub sales_owner: PersonRef,
    pub fulfilment_owner: Option<PersonRef>,
    pub closed_at: Option<DateTime<Utc>>,
    pub handoff_at: Option<DateTime<Utc>>,
}

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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TripDto {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub destination: Option<String>,
    pub travellers: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReassignmentDto {
    pub from: PersonRef,
    pub to: PersonRef,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FulfilmentDto {
    /// Who was named at close.
    pub original: PersonRef,
    pub assigned_because: AssignedBecause,
    /// Who owns it now.
    pub acting: PersonRef,
    pub reassignments: Vec<ReassignmentDto>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeetingDto {
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Breaks of the playbook: flagged, not refused.
    pub flags: Vec<MeetingFlagDto>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeetingFlagDto {
    #[serde(flatten)]
    pub flag: MeetingFlag,
    pub message: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SectionDto {
    pub section: Section,
    pub title: String,
    pub prompt: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignOffDto {
    pub signer: Option<PersonRef>,
    #[serde(flatten)]
    pub state: SignOff,
}

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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BriefSetRequest {
    pub deal: String,
    pub section: String,
    pub text: String,
    pub acting: Acting,
}

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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub actor: Option<PersonRef>,
    pub kind: String,
    /// One line a person can read: "Fay signed the brief (fulfilment)".
    pub summary: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WaitingDto {
    pub hours_waiting: f64,
    pub business_hours_waiting: f64,
    pub breached: bool,
    pub urgency: Urgency,
    pub deadline: DateTime<Utc>,
}

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
    pub waiting: Option<WaitingDto>,
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeetingEndResponse {
    pub deal: DealRef,
    pub handoff_at: DateTime<Utc>,
    pub dwell_hours: f64,
    pub dwell_business_hours: f64,
    pub first_task: TaskDto,
    pub flags: Vec<MeetingFlagDto>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReassignRequest {
    pub deal: String,
    pub to: String,
    pub reason: String,
    pub acting: Acting,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TaskListRequest {
    pub owner: Option<String>,
    pub open: bool,
    pub overdue: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskDoneRequest {
    pub task: String,
    pub acting: Acting,
}

// ---- metrics ---------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DwellRequest {
    /// Deals closed on or after this local date.
    pub from: Option<String>,
    /// Deals closed on or before this local date.
    pub to: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OpenDwell {
    pub deal: DealId,
    pub title: String,
    pub closed_at: DateTime<Utc>,
    pub hours_waiting: f64,
    pub business_hours_waiting: f64,
    pub breached: bool,
    pub urgency: Urgency,
    pub deadline: DateTime<Utc>,
    /// The named person who should act now: the acting fulfilment owner.
    pub should_act: PersonRef,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DwellReport {
    pub handed_off: usize,
    pub mean_hours: f64,
    pub median_hours: f64,
    pub p90_hours: f64,
    pub worst_hours: f64,
    pub worst_deal: Option<DealId>,
    pub worst_deal_title: Option<String>,
    pub over_one_business_day: usize,
    pub mean_business_hours: f64,
    pub median_business_hours: f64,
    pub p90_business_hours: f64,
    pub worst_business_hours: f64,
    pub one_business_day_hours: f64,
    pub open: Vec<OpenDwell>,
}

// ---- import ----------------------------------------------------------------------------------

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportResponse {
    pub rows: usize,
    pub imported: usize,
    /// Rows already imported earlier with the same values.
    pub unchanged: usize,
    pub escalated: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RebuildResponse {
    pub events: usize,
    pub integrity: String,
}
