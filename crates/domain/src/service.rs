//! Handoff 2, Fulfilment → Service: due 72 hours before the trip starts, owned by a Service person
//! named by the never-to-a-queue rule for the due day, run as a 15-minute call that walks through
//! every traveller's non-obvious preferences. It completes only when Service has acknowledged
//! every non-empty preference item as it reads now: an item edited after its acknowledgement
//! needs acknowledging again.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::assignment::AssignedBecause;
use crate::calendar::Calendar;
use crate::event::TripPlan;
use crate::ids::{PersonId, TravellerId};
use crate::trip::{text_sha256, PreferenceTopic, Traveller};

/// The service handoff is due this long before the trip starts.
pub const SERVICE_LEAD_HOURS: i64 = 72;
/// The handoff call is meant to take this long.
pub const CALL_MINUTES: i64 = 15;

/// When the trip starts: its start date at its start time (or midnight), in the agency zone.
pub fn trip_start_at(trip: &TripPlan, cal: &Calendar) -> Option<DateTime<Utc>> {
    let day = trip.start?;
    Some(cal.to_utc(day.and_time(trip.start_time.unwrap_or(NaiveTime::MIN))))
}

/// When the trip is over: the midnight after its last day, in the agency zone.
pub fn trip_ended_at(trip: &TripPlan, cal: &Calendar) -> Option<DateTime<Utc>> {
    let last = trip.end?;
    Some(cal.to_utc((last + Duration::days(1)).and_time(NaiveTime::MIN)))
}

/// Whether a handoff with this lead time (trip start − completion) was on time: at least 72 hours.
pub fn on_time(lead: Duration) -> bool {
    lead >= Duration::hours(SERVICE_LEAD_HOURS)
}

/// Whether a service handoff due at `due_at` and not yet completed is late at `now`: its due time
/// has passed. At the due instant itself it is not late yet (completing then is still on time).
pub fn is_late(due_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now > due_at
}

/// When the service handoff is due: exactly 72 hours of real time before the trip starts.
/// The service handoff call is 15 minutes: over it, it is flagged, never refused.
pub const SERVICE_CALL_MINUTES: i64 = 15;

pub fn service_due_at(trip_start: DateTime<Utc>) -> DateTime<Utc> {
    trip_start - Duration::hours(SERVICE_LEAD_HOURS)
}

/// One acknowledgement of one traveller's preference item, bound to the text as it read then.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferenceAck {
    pub traveller: TravellerId,
    pub topic: PreferenceTopic,
    pub text_sha256: String,
    pub at: DateTime<Utc>,
    /// Who acknowledged it, as the event says (none when the action named nobody).
    #[serde(default)]
    pub by: Option<PersonId>,
}

/// A change of service owner: automatic (the owner became away) or by hand.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceReassignment {
    pub from: PersonId,
    pub to: PersonId,
    pub because: Option<AssignedBecause>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// The service handoff of one trip.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceHandoff {
    pub due_at: DateTime<Utc>,
    /// Who was named when it was scheduled, and why.
    pub original: PersonId,
    pub because: AssignedBecause,
    /// Who owns it now.
    pub owner: PersonId,
    pub reassignments: Vec<ServiceReassignment>,
    pub started_at: Option<DateTime<Utc>>,
    pub acks: Vec<PreferenceAck>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// Where one checklist item stands.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AckState {
    /// Not acknowledged yet.
    Open,
    /// Acknowledged as it reads now.
    Acknowledged,
    /// Acknowledged, then edited: acknowledge it again.
    Changed,
}

/// One preference item of the call's checklist.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub traveller: TravellerId,
    pub traveller_name: String,
    pub topic: PreferenceTopic,
    pub text: String,
    pub state: AckState,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<PersonId>,
}

impl ServiceHandoff {
    /// A newly scheduled handoff.
    pub fn scheduled(due_at: DateTime<Utc>, owner: PersonId, because: AssignedBecause) -> Self {
        ServiceHandoff {
            due_at,
            original: owner,
            because,
            owner,
            reassignments: Vec::new(),
            started_at: None,
            acks: Vec::new(),
            completed_at: None,
        }
    }

    /// The day the due time falls on, in the agency zone: the day assignment is evaluated for.
    pub fn due_day(&self, cal: &Calendar) -> NaiveDate {
        cal.local_date(self.due_at)
    }

    /// Every non-empty preference item of every traveller, with its acknowledgement state.
    pub fn checklist(&self, travellers: &[Traveller]) -> Vec<ChecklistItem> {
        let mut items = Vec::new();
        for t in travellers {
            for (topic, text) in t.preferences.non_empty() {
                let latest = self.acks.iter().rev().find(|a| a.traveller == t.id && a.topic == topic);
                let (state, at, by) = match latest {
                    None => (AckState::Open, None, None),
                    Some(a) if a.text_sha256 == text_sha256(text) => (AckState::Acknowledged, Some(a.at), a.by),
                    Some(a) => (AckState::Changed, Some(a.at), a.by),
                };
                items.push(ChecklistItem {
                    traveller: t.id,
                    traveller_name: t.name.clone(),
                    topic,
                    text: text.to_string(),
                    state,
                    acknowledged_at: at,
                    acknowledged_by: by,
                });
            }
        }
        items
    }

    /// How long the call took, once it is over.
    pub fn call_length(&self) -> Option<Duration> {
        Some(self.completed_at? - self.started_at?)
    }

    /// The call went past its 15 minutes: flagged, not refused.
    pub fn call_overran(&self) -> bool {
        self.call_length().is_some_and(|l| l > Duration::minutes(SERVICE_CALL_MINUTES))
    }

    /// Trip start − completion: on time when at least 72 hours.
    pub fn lead_time(&self, trip_start: DateTime<Utc>) -> Option<Duration> {
        Some(trip_start - self.completed_at?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TravellerId;
    use crate::trip::Preferences;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn traveller(n: u128, prefs: &[(PreferenceTopic, &str)]) -> Traveller {
        let mut p = Preferences::default();
        for (k, v) in prefs {
            p.items.insert(*k, v.to_string());
        }
        Traveller { id: TravellerId(Uuid::from_u128(n)), name: format!("T{n}"), preferences: p }
    }

    #[test]
    fn a_call_over_its_15_minutes_is_flagged_not_refused() {
        let at = |m: u32| Utc.with_ymd_and_hms(2026, 4, 16, 9, m, 0).unwrap();
        let mut s = ServiceHandoff::scheduled(at(0), PersonId(Uuid::nil()), AssignedBecause::Lead);
        assert_eq!((s.call_length(), s.call_overran()), (None, false), "not held yet");
        s.started_at = Some(at(0));
        s.completed_at = Some(at(15));
        assert_eq!((s.call_length(), s.call_overran()), (Some(Duration::minutes(15)), false), "15 minutes is in time");
        s.completed_at = Some(at(16));
        assert!(s.call_overran());
    }

    #[test]
    fn due_is_exactly_72_hours_before_the_start_across_a_clock_change() {
        // Europe/London springs forward on 2026-03-29: a trip starting Tuesday 31 March at 10:00
        // BST (09:00 UTC) is due 72 real hours earlier, Saturday 28 March 09:00 UTC (09:00 GMT).
        let cal = Calendar::new(crate::zone::Zone::known("Europe/London"));
        let trip = TripPlan {
            start: Some("2026-03-31".parse().unwrap()),
            start_time: Some(NaiveTime::from_hms_opt(10, 0, 0).unwrap()),
            ..TripPlan::default()
        };
        let start = trip_start_at(&trip, &cal).unwrap();
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 3, 31, 9, 0, 0).unwrap());
        let due = service_due_at(start);
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 3, 28, 9, 0, 0).unwrap());
        assert_eq!(start - due, Duration::hours(72));
        // In local wall-clock terms that is 09:00 on the Saturday, not 10:00.
        assert_eq!(cal.local_datetime(due).format("%Y-%m-%d %H:%M").to_string(), "2026-03-28 09:00");
        // New York falls back on 2026-11-01: a trip at midnight on 3 November.
        let ny = Calendar::new(crate::zone::Zone::known("America/New_York"));
        let trip = TripPlan { start: Some("2026-11-03".parse().unwrap()), ..TripPlan::default() };
        let start = trip_start_at(&trip, &ny).unwrap();
        assert_eq!(start - service_due_at(start), Duration::hours(72));
        assert_eq!(ny.local_datetime(service_due_at(start)).format("%Y-%m-%d %H:%M").to_string(), "2026-10-31 01:00");
    }

    #[test]
    fn a_trip_ends_at_the_midnight_after_its_last_day() {
        let cal = Calendar::new(crate::zone::Zone::known("Europe/London"));
        let trip = TripPlan { end: Some("2026-07-10".parse().unwrap()), ..TripPlan::default() };
        assert_eq!(trip_ended_at(&trip, &cal).unwrap(), Utc.with_ymd_and_hms(2026, 7, 10, 23, 0, 0).unwrap());
    }

    #[test]
    fn the_checklist_holds_every_non_empty_item_and_notices_edits() {
        let t1 = traveller(1, &[(PreferenceTopic::Dietary, "vegan"), (PreferenceTopic::Mobility, "")]);
        let t2 = traveller(2, &[(PreferenceTopic::Rooming, "not next to the parents")]);
        let at = Utc.with_ymd_and_hms(2026, 7, 1, 9, 0, 0).unwrap();
        let mut s = ServiceHandoff::scheduled(at, PersonId(Uuid::nil()), AssignedBecause::Lead);
        let list = s.checklist(&[t1.clone(), t2.clone()]);
        assert_eq!(list.len(), 2);
        assert!(list.iter().all(|i| i.state == AckState::Open));
        s.acks.push(PreferenceAck {
            traveller: t1.id,
            topic: PreferenceTopic::Dietary,
            text_sha256: text_sha256("vegan"),
            at,
            by: None,
        });
        assert_eq!(s.checklist(std::slice::from_ref(&t1))[0].state, AckState::Acknowledged);
        let mut edited = t1.clone();
        edited.preferences.items.insert(PreferenceTopic::Dietary, "vegan, no nuts".into());
        assert_eq!(s.checklist(&[edited])[0].state, AckState::Changed);
    }

    #[test]
    fn a_service_handoff_is_late_only_after_its_due_instant() {
        let due = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        assert!(!is_late(due, due - Duration::seconds(1)));
        assert!(!is_late(due, due), "completing at the due instant is still on time");
        assert!(on_time(Duration::hours(SERVICE_LEAD_HOURS)));
        assert!(is_late(due, due + Duration::seconds(1)));
    }
}
