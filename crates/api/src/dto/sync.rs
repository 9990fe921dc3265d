//! Sync with the agency's hub: joining it, how the last sync went, and what one sync did.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Join the agency's hub with the token the founder made for this person.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SyncJoinRequest {
    /// The hub's address (`http://HOST:PORT` or `https://HOST`), or a join code that carries
    /// the address and the token (`handoff://join?hub=…&token=…`).
    pub url: String,
    /// The enrolment token; empty when `url` is a join code.
    pub token: String,
}

/// What joining a hub would do to what this laptop holds, said before it joins.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SyncJoinPreviewDto {
    /// The agency this laptop holds, when it holds one.
    pub agency: Option<String>,
    pub deals: u64,
    /// Events recorded on this laptop.
    pub events: u64,
    /// The hub the code or address names (its host), once one is given.
    pub hub: Option<String>,
    /// That hub is reached without encryption (http:// to another machine).
    pub unencrypted: bool,
    /// What will happen, in sentences for a person.
    pub says: Vec<String>,
}

/// One delivery the agency's CRM sent the hub, and what became of it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WebhookLogLineDto {
    /// `hubspot`, `pipedrive` or `generic`.
    pub crm: String,
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
    pub accepted: bool,
    /// The HTTP status the CRM was answered with.
    pub status: u16,
    /// What it did, or why it was refused.
    pub detail: String,
}

/// Where this laptop syncs and how it went.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SyncStatusDto {
    /// Whether this laptop has joined a hub (with sync off it never touches a network).
    pub joined: bool,
    pub hub: Option<String>,
    /// The agency and the person, as the hub names them.
    pub agency: Option<String>,
    pub person: Option<String>,
    /// This laptop's id.
    pub device: String,
    pub last_success: Option<DateTime<Utc>>,
    /// What went wrong the last time, when the last sync failed.
    pub last_error: Option<String>,
    /// The last sync could not reach the hub (no network, or the hub is down): calm, not an
    /// error — this laptop works on and sends what waits when the hub answers again.
    pub offline: bool,
    /// This laptop's events the hub has not confirmed yet.
    pub waiting: u64,
    /// How far this laptop's clock was from the hub's at the last sync (positive: the hub's is ahead).
    pub clock_drift_ms: Option<i64>,
    /// How far `HANDOFF_CLOCK_OFFSET` sets this laptop's Handoff clock from its system clock, in
    /// seconds (positive: ahead), when it does: everything recorded here is stamped at that time,
    /// and other laptops refuse stamps more than 5 minutes ahead of theirs.
    pub clock_offset_s: Option<i64>,
    /// The same in words, for the command line and the window alike ("HANDOFF_CLOCK_OFFSET sets
    /// Handoff's clock 2.0 days ahead of this laptop's: …"), when an offset is in force.
    pub clock_offset_says: Option<String>,
}

/// `clock_offset_s` in words (see [`SyncStatusDto::clock_offset_says`]); none for no offset.
pub(crate) fn clock_offset_says(offset_s: Option<i64>) -> Option<String> {
    let secs = offset_s.filter(|s| *s != 0)?;
    let abs = secs.unsigned_abs();
    let span = match abs {
        86_400.. => format!("{:.1} days", abs as f64 / 86_400.0),
        3_600.. => format!("{:.1} hours", abs as f64 / 3_600.0),
        120.. => format!("{:.0} minutes", abs as f64 / 60.0),
        60.. => "a minute".to_string(),
        1 => "a second".to_string(),
        _ => format!("{abs} seconds"),
    };
    Some(format!(
        "HANDOFF_CLOCK_OFFSET sets Handoff's clock {span} {} this laptop's: everything recorded here is stamped at that time. Unset it unless that is meant.",
        if secs > 0 { "ahead of" } else { "behind" }
    ))
}

impl SyncStatusDto {
    /// The status of a joined laptop whose status could not be read in full: what went wrong,
    /// and the clock offset in force (see [`SyncStatusDto::clock_offset_s`]).
    pub fn unreadable(message: String, clock_offset_s: Option<i64>) -> SyncStatusDto {
        SyncStatusDto {
            joined: true,
            hub: None,
            agency: None,
            person: None,
            device: String::new(),
            last_success: None,
            last_error: Some(message),
            offline: false,
            waiting: 0,
            clock_drift_ms: None,
            clock_offset_s,
            clock_offset_says: clock_offset_says(clock_offset_s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clock_offset_says;

    #[test]
    fn a_clock_offset_is_said_in_days_hours_minutes_or_seconds_ahead_or_behind() {
        let says = |s| clock_offset_says(Some(s)).unwrap();
        assert!(says(172_800).contains("sets Handoff's clock 2.0 days ahead of this laptop's"));
        assert!(says(-5_400).contains("1.5 hours behind this laptop's"));
        assert!(says(600).contains("10 minutes ahead of"));
        assert!(says(-90).contains("a minute behind"));
        assert!(says(1).contains("a second ahead of"));
        assert!(says(-30).contains("30 seconds behind"));
        assert_eq!(clock_offset_says(Some(0)), None);
        assert_eq!(clock_offset_says(None), None);
    }
}

/// What one sync did.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SyncReportDto {
    /// Events taken in from other laptops.
    pub received: u64,
    /// This laptop's events the hub took.
    pub sent: u64,
    /// Conflicts the merge has met, all told.
    pub conflicts: u64,
    pub status: SyncStatusDto,
}
