//! Tasks on deals: listing them and marking them done.

use chrono::{DateTime, Utc};
use handoff_domain::ids::TaskId;
use serde::{Deserialize, Serialize};

use super::{Acting, DealRef, PersonRef};

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
