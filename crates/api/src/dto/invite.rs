//! Calendar invitations for the playbook's meetings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::PersonRef;

/// Which meeting to invite to.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InviteKindDto {
    /// The 15-minute live handoff of a won deal.
    Meeting,
    /// The 15-minute service call before the 72-hour mark.
    Service,
    /// The weekly 30-minute Tuesday review.
    Review,
    /// A follow-up call picked at the review.
    Followup,
}

/// Write the calendar invitation of one meeting to `out` (an `.ics` file).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InviteRequest {
    pub kind: InviteKindDto,
    /// The deal (its title, id or a unique id prefix); none for the review.
    pub deal: Option<String>,
    /// When the meeting starts, when the leads chose a time (RFC 3339 or `YYYY-MM-DD HH:MM` in the
    /// agency's zone); else Handoff plans it.
    pub at: Option<String>,
    /// Who sends the invitation (a person's id or unique name); else this laptop's person; else
    /// the meeting's first attendee.
    pub from: Option<String>,
    pub out: std::path::PathBuf,
    /// Replace the file if it exists.
    pub force: bool,
}

/// The invitation written.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InviteResponse {
    pub path: String,
    /// The same for the same meeting: a calendar updates it rather than adding another.
    pub uid: String,
    /// Grows with every change to the meeting.
    pub sequence: u32,
    pub summary: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Every week, on the start's weekday.
    pub weekly: bool,
    /// The deal was lost: the file cancels the meeting.
    pub cancelled: bool,
    pub attendees: Vec<PersonRef>,
    /// Attendees Handoff has no e-mail address for: named in the invitation's text instead.
    pub without_email: Vec<String>,
}
