//! What needs attention now: the Today board, and the desktop notifications drawn from it.

use chrono::{DateTime, NaiveDate, Utc};
use handoff_domain::ids::DealId;
use serde::{Deserialize, Serialize};

use super::metrics::OpenDwell;
use super::tasks::TaskDto;
use super::{DealRef, PersonRef};

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
    /// What merging the laptops' logs met in the last week, newest first.
    pub conflicts: Vec<super::ConflictDto>,
}

pub use handoff_domain::notice::NoticeKind;

/// One desktop notification.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NoticeDto {
    /// Names what it tells of, and the moment it came due: the same key is the same notice,
    /// so a caller that looks again and again shows each once.
    pub key: String,
    pub kind: NoticeKind,
    /// The deal it is about, if one.
    pub deal: Option<DealId>,
    pub title: String,
    pub body: String,
    /// Who it is for: who should act.
    pub person: PersonRef,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NoticesDto {
    /// The instant these were computed at: pass it as `since` next time.
    pub now: DateTime<Utc>,
    pub notices: Vec<NoticeDto>,
}
