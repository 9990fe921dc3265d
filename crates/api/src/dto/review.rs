//! The Tuesday review: the ranked trips, the Sales lead's picks, follow-up calls and cold outreach.

use chrono::{DateTime, NaiveDate, Utc};
use handoff_domain::ids::DealId;
use serde::{Deserialize, Serialize};

use super::on_trip::{AskDto, SignalDto};
use super::{Acting, DealRef, PersonRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FollowUpDto {
    pub review: NaiveDate,
    pub owner: Option<PersonRef>,
    pub due_at: Option<DateTime<Utc>>,
    pub outcome: Option<handoff_domain::trip::Outcome>,
    pub renewed_deal: Option<DealId>,
    pub done_at: Option<DateTime<Utc>>,
    /// When the outcome was last changed after the call (a renewal that came later).
    pub updated_at: Option<DateTime<Utc>>,
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
    /// Every traveller who came back on this trip, by name.
    pub travellers: Vec<String>,
    /// The deals this trip may have renewed into: the customer's other deals (the same name, case
    /// aside), latest first (the deal a follow-up links to is chosen from these).
    pub renewal_choices: Vec<DealRef>,
}

/// The review as a meeting: when it started and ended, by whom, and its clock.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReviewMeetingDto {
    pub started_at: DateTime<Utc>,
    pub started_by: Option<PersonRef>,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_by: Option<PersonRef>,
    /// Whole minutes it has run, or ran (rounded up).
    pub minutes: i64,
    /// Past its 30 minutes.
    pub overran: bool,
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
    /// Travellers back across all the trips.
    pub travellers_back: usize,
    /// The meeting, once started.
    pub meeting: Option<ReviewMeetingDto>,
    /// How long the meeting is meant to take.
    pub minutes_allowed: i64,
    /// Why the review cannot be started now, if it cannot.
    pub start_refusal: Option<String>,
    /// Why the review cannot be ended now, if it cannot.
    pub end_refusal: Option<String>,
    /// The reviews a lead may open: the next one and the eleven before it (with this one), latest
    /// first.
    pub choices: Vec<NaiveDate>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReviewMeetingRequest {
    /// The review's Tuesday; default the latest one on or before the day it happens.
    pub date: Option<String>,
    pub acting: Acting,
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
    pub outcome: handoff_domain::trip::Outcome,
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

/// One call to a customer on the cold list.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ColdCallRequest {
    pub customer: String,
    pub outcome: handoff_domain::trip::Outcome,
    pub note: Option<String>,
    /// The day of the call; default today.
    pub date: Option<String>,
    pub acting: Acting,
}

/// Cold outreach as recorded: a batch (how many calls, how many renewed), or one call with its
/// customer and outcome.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutreachDto {
    pub date: NaiveDate,
    pub attempts: u32,
    pub renewals: u32,
    /// A single call's: none for a batch.
    pub customer: Option<String>,
    pub outcome: Option<handoff_domain::trip::Outcome>,
    pub note: Option<String>,
}

/// The cold outreach of a span, newest first, with its totals.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutreachList {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub entries: Vec<OutreachDto>,
    pub attempts: u32,
    pub renewals: u32,
    /// Of the attempts, how many were single calls (the rest came in batches).
    pub calls: usize,
}
