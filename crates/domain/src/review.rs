//! Handoff 3, Service → Sales: the Tuesday review. Every Tuesday, every trip that ended in the
//! seven days before it (Tuesday to Monday, agency dates) is listed, strongest signal first; the
//! Sales lead picks up to three for personal follow-up calls due ten days after the trip end.
//! The review is a 30-minute meeting: started and ended (held even when nothing is picked).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::event::{Event, EventBody};
use crate::ids::{DealId, PersonId};
use crate::trip::Signal;
use crate::RuleError;

/// The default number of picks a review allows (an agency setting).
pub const DEFAULT_PICKS: u8 = 3;
/// A follow-up call is due this many days after the trip ends.
pub const FOLLOW_UP_DAYS: i64 = 10;
/// The follow-up task's title.
pub const FOLLOW_UP_TITLE: &str = "Follow-up call";
/// The review is a meeting of this many minutes.
pub const REVIEW_MINUTES: i64 = 30;

/// A Tuesday review as held: when it started and ended, and who started and ended it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewMeeting {
    pub review: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub started_by: Option<PersonId>,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_by: Option<PersonId>,
}

impl ReviewMeeting {
    /// How long the review has run by `now` (or ran, once ended).
    pub fn length(&self, now: DateTime<Utc>) -> Duration {
        (self.ended_at.unwrap_or(now) - self.started_at).max(Duration::zero())
    }

    /// Whether it ran (or has run) past its 30 minutes.
    pub fn overran(&self, now: DateTime<Utc>) -> bool {
        self.length(now) > Duration::minutes(REVIEW_MINUTES)
    }

    /// Folds one review event. On two laptops the first start and the first end count (the fold
    /// runs in clock order, so every laptop keeps the same). An end whose start has not arrived
    /// yet (a laptop takes in another's events a page at a time) waits: it counts once the start
    /// is folded before it.
    pub fn apply(held: Option<ReviewMeeting>, event: &Event) -> Result<Option<ReviewMeeting>, RuleError> {
        let illegal = |reason: &str| RuleError::IllegalTransition { event: event.body.name(), reason: reason.into() };
        match (&event.body, held) {
            (EventBody::ReviewStarted { review }, None) => Ok(Some(ReviewMeeting {
                review: *review,
                started_at: event.occurred_at,
                started_by: event.actor,
                ended_at: None,
                ended_by: None,
            })),
            (EventBody::ReviewStarted { .. }, Some(held)) => Ok(Some(held)),
            (EventBody::ReviewEnded { .. }, None) => Ok(None),
            (EventBody::ReviewEnded { .. }, Some(held)) if held.ended_at.is_some() => Ok(Some(held)),
            (EventBody::ReviewEnded { .. }, Some(held)) => Ok(Some(ReviewMeeting {
                ended_at: Some(event.occurred_at.max(held.started_at)),
                ended_by: event.actor,
                ..held
            })),
            _ => Err(illegal("not an event of a review")),
        }
    }
}

/// Why the review of `window` cannot start at `at` (`held`: the review as held so far), if it
/// cannot: it is held from its Tuesday until the next review, once.
pub fn start_refusal(
    held: Option<&ReviewMeeting>,
    window: &ReviewWindow,
    cal: &Calendar,
    at: DateTime<Utc>,
) -> Option<RuleError> {
    let review = window.review;
    let day = cal.local_date(at);
    if let Some(held) = held {
        return Some(RuleError::ReviewAlreadyStarted { review, at: local_time(cal, held.started_at) });
    }
    if day < review {
        return Some(RuleError::ReviewNotYet { review });
    }
    if day >= review + Duration::days(7) {
        return Some(RuleError::ReviewPassed { review, next: previous_review(day) });
    }
    None
}

/// Starts the review of `window` at `at` (see [`start_refusal`]).
pub fn start_review(
    held: Option<&ReviewMeeting>,
    window: &ReviewWindow,
    cal: &Calendar,
    at: DateTime<Utc>,
) -> Result<Vec<EventBody>, RuleError> {
    match start_refusal(held, window, cal, at) {
        Some(refused) => Err(refused),
        None => Ok(vec![EventBody::ReviewStarted { review: window.review }]),
    }
}

/// Why the review of `review` cannot end at `at`, if it cannot: it has started and not ended, and
/// ends after it started.
pub fn end_refusal(
    held: Option<&ReviewMeeting>,
    review: NaiveDate,
    cal: &Calendar,
    at: DateTime<Utc>,
) -> Option<RuleError> {
    let Some(held) = held else {
        return Some(RuleError::ReviewNotStarted { review });
    };
    if let Some(ended) = held.ended_at {
        return Some(RuleError::ReviewAlreadyEnded { review, at: local_time(cal, ended) });
    }
    if at < held.started_at {
        return Some(RuleError::ReviewEndsBeforeStart {
            review,
            at: local_time(cal, at),
            started: local_time(cal, held.started_at),
        });
    }
    None
}

/// Ends the review of `review` at `at` (see [`end_refusal`]).
pub fn end_review(
    held: Option<&ReviewMeeting>,
    review: NaiveDate,
    cal: &Calendar,
    at: DateTime<Utc>,
) -> Result<Vec<EventBody>, RuleError> {
    match end_refusal(held, review, cal, at) {
        Some(refused) => Err(refused),
        None => Ok(vec![EventBody::ReviewEnded { review }]),
    }
}

fn local_time(cal: &Calendar, t: DateTime<Utc>) -> String {
    cal.local_datetime(t).format("%Y-%m-%d %H:%M").to_string()
}

/// Why a date is not a review date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{date} is a {weekday}: the review is held on Tuesdays — use {previous} or {next}")]
pub struct NotATuesday {
    pub date: NaiveDate,
    pub weekday: String,
    pub previous: NaiveDate,
    pub next: NaiveDate,
}

/// The trips a review covers: those whose last day is in `first..=last`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewWindow {
    pub review: NaiveDate,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl ReviewWindow {
    /// The window of the review on `tuesday`: the Tuesday a week before through the Monday before.
    pub fn for_review(tuesday: NaiveDate) -> Result<ReviewWindow, NotATuesday> {
        if tuesday.weekday() != Weekday::Tue {
            return Err(NotATuesday {
                date: tuesday,
                weekday: tuesday.format("%A").to_string(),
                previous: previous_review(tuesday),
                next: next_review(tuesday),
            });
        }
        Ok(ReviewWindow { review: tuesday, first: tuesday - Duration::days(7), last: tuesday - Duration::days(1) })
    }

    /// Whether a trip that ended on `end` belongs to this review.
    pub fn contains(&self, end: NaiveDate) -> bool {
        self.first <= end && end <= self.last
    }
}

/// The review on or after `day`.
/// Cold outreach is recorded on a day that has come (`today`, agency date), never ahead.
pub fn outreach_day(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, RuleError> {
    if date > today {
        return Err(RuleError::OutreachInFuture { date, today });
    }
    Ok(date)
}

/// One call to a customer on the cold list, on `date` (see [`outreach_day`]): the customer named
/// as any name is, the note no longer than any note.
pub fn cold_call(
    call: crate::ids::OutreachId,
    date: NaiveDate,
    today: NaiveDate,
    customer: &str,
    outcome: crate::trip::Outcome,
    note: &str,
) -> Result<EventBody, RuleError> {
    crate::directory::check_name("the customer", customer)?;
    crate::deal::fulfilment_to_service::check_note("the note", note)?;
    Ok(EventBody::ColdCallMade {
        call,
        date: outreach_day(date, today)?,
        customer: customer.trim().to_string(),
        outcome,
        note: note.trim().to_string(),
    })
}

pub fn next_review(day: NaiveDate) -> NaiveDate {
    let ahead = (7 + Weekday::Tue.num_days_from_monday() as i64 - day.weekday().num_days_from_monday() as i64) % 7;
    day + Duration::days(ahead)
}

/// The review on or before `day`.
pub fn previous_review(day: NaiveDate) -> NaiveDate {
    let back = (7 + day.weekday().num_days_from_monday() as i64 - Weekday::Tue.num_days_from_monday() as i64) % 7;
    day - Duration::days(back)
}

/// The review whose window holds a trip that ended on `end`.
pub fn review_for_trip_end(end: NaiveDate) -> NaiveDate {
    next_review(end + Duration::days(1))
}

/// The follow-up call's due date.
pub fn follow_up_due(trip_end: NaiveDate) -> NaiveDate {
    trip_end + Duration::days(FOLLOW_UP_DAYS)
}

/// Whether a follow-up recorded on local day `done_on` was in time for a trip that ended on
/// `trip_end`: no later than ten days after it.
pub fn follow_up_in_time(trip_end: NaiveDate, done_on: NaiveDate) -> bool {
    done_on <= follow_up_due(trip_end)
}

/// What ranking needs of a trip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub deal: DealId,
    pub trip_end: NaiveDate,
    pub signal: Option<Signal>,
}

/// Strongest signal first: thrilled before happy (and so on), then strength, then the most recent
/// end; trips without a signal last; the deal id settles ties so the order is always the same.
pub fn rank(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| {
        let key = |c: &Candidate| {
            (
                c.signal.as_ref().map(|s| s.sentiment.rank()).unwrap_or(u8::MAX),
                std::cmp::Reverse(c.signal.as_ref().map(|s| s.strength).unwrap_or(0)),
                std::cmp::Reverse(c.trip_end),
                c.deal,
            )
        };
        key(a).cmp(&key(b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trip::Sentiment;
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_review_of_8_december_covers_1_to_7_december() {
        let w = ReviewWindow::for_review(d("2026-12-08")).unwrap();
        assert_eq!((w.first, w.last), (d("2026-12-01"), d("2026-12-07")));
        assert!(w.contains(d("2026-12-01")) && w.contains(d("2026-12-07")));
        assert!(!w.contains(d("2026-11-30")) && !w.contains(d("2026-12-08")));
        assert_eq!(review_for_trip_end(d("2026-12-01")), d("2026-12-08"));
        assert_eq!(review_for_trip_end(d("2026-12-07")), d("2026-12-08"));
        assert_eq!(review_for_trip_end(d("2026-12-08")), d("2026-12-15"));
    }

    #[test]
    fn only_tuesdays_are_review_days() {
        let err = ReviewWindow::for_review(d("2026-12-09")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2026-12-09 is a Wednesday: the review is held on Tuesdays — use 2026-12-08 or 2026-12-15"
        );
        assert_eq!(next_review(d("2026-12-08")), d("2026-12-08"));
        assert_eq!(next_review(d("2026-12-09")), d("2026-12-15"));
        assert_eq!(previous_review(d("2026-12-14")), d("2026-12-08"));
    }

    fn event(body: EventBody, at: &str, actor: u128) -> Event {
        let at: DateTime<Utc> = at.parse().unwrap();
        Event {
            id: crate::ids::EventId::from_uuid(Uuid::now_v7()),
            device: crate::ids::DeviceId::from_uuid(Uuid::nil()),
            actor: Some(PersonId::from_uuid(Uuid::from_u128(actor))),
            occurred_at: at,
            recorded_at: at,
            hlc: crate::hlc::Hlc::default(),
            recorded_by: None,
            part: 0,
            version: body.version(),
            body,
        }
    }

    fn fold(held: Option<ReviewMeeting>, body: EventBody, at: &str, actor: u128) -> Option<ReviewMeeting> {
        ReviewMeeting::apply(held, &event(body, at, actor)).unwrap()
    }

    #[test]
    fn the_review_starts_on_its_tuesday_or_later_that_week_once_and_ends_once_after_it_started() {
        let cal = Calendar::new(crate::zone::Zone::known("Europe/London"));
        let w = ReviewWindow::for_review(d("2026-12-08")).unwrap();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let refused = |r: Option<RuleError>| r.map(|e| e.to_string());
        assert_eq!(
            refused(start_refusal(None, &w, &cal, at("2026-12-07T23:59:00Z"))).unwrap(),
            "the review of 2026-12-08 is held from that Tuesday on: start it then"
        );
        assert_eq!(
            refused(start_refusal(None, &w, &cal, at("2026-12-15T09:00:00Z"))).unwrap(),
            "the review of 2026-12-08 is over (a week has passed): start the review of 2026-12-15"
        );
        assert_eq!(
            refused(start_refusal(None, &w, &cal, at("2026-12-30T09:00:00Z"))).unwrap(),
            "the review of 2026-12-08 is over (a week has passed): start the review of 2026-12-29",
            "the latest review, not another one that is over too"
        );
        assert_eq!(start_refusal(None, &w, &cal, at("2026-12-09T10:00:00Z")), None, "held late that week");
        assert_eq!(
            start_review(None, &w, &cal, at("2026-12-08T10:00:00Z")).unwrap(),
            vec![EventBody::ReviewStarted { review: w.review }]
        );
        assert_eq!(
            refused(end_refusal(None, w.review, &cal, at("2026-12-08T10:00:00Z"))).unwrap(),
            "the review of 2026-12-08 has not started: start it first"
        );

        let started = fold(None, EventBody::ReviewStarted { review: w.review }, "2026-12-08T10:00:00Z", 1);
        let held = started.as_ref().unwrap();
        assert_eq!((held.started_at, held.ended_at), (at("2026-12-08T10:00:00Z"), None));
        assert_eq!(
            refused(start_refusal(started.as_ref(), &w, &cal, at("2026-12-08T10:05:00Z"))).unwrap(),
            "the review of 2026-12-08 started at 2026-12-08 10:00 already"
        );
        assert_eq!(
            refused(end_refusal(started.as_ref(), w.review, &cal, at("2026-12-08T09:55:00Z"))).unwrap(),
            "the review of 2026-12-08 cannot end at 2026-12-08 09:55, before it started at 2026-12-08 10:00"
        );
        // The timer: 30 minutes are the meeting; a minute more is over.
        assert!(!held.overran(at("2026-12-08T10:30:00Z")));
        assert!(held.overran(at("2026-12-08T10:31:00Z")));

        let ended = fold(started, EventBody::ReviewEnded { review: w.review }, "2026-12-08T10:24:00Z", 2);
        let held = ended.as_ref().unwrap();
        assert_eq!(held.length(at("2026-12-08T12:00:00Z")), Duration::minutes(24), "an ended review stops its clock");
        assert_eq!(held.ended_by, Some(PersonId::from_uuid(Uuid::from_u128(2))));
        assert_eq!(
            refused(end_refusal(ended.as_ref(), w.review, &cal, at("2026-12-08T10:40:00Z"))).unwrap(),
            "the review of 2026-12-08 ended at 2026-12-08 10:24 already"
        );
    }

    #[test]
    fn on_two_laptops_the_first_start_and_the_first_end_of_a_review_count() {
        let review = d("2026-12-08");
        let first = fold(None, EventBody::ReviewStarted { review }, "2026-12-08T10:00:00Z", 1);
        let again = fold(first.clone(), EventBody::ReviewStarted { review }, "2026-12-08T10:02:00Z", 2);
        assert_eq!(again, first);
        let ended = fold(again, EventBody::ReviewEnded { review }, "2026-12-08T10:20:00Z", 1);
        let twice = fold(ended.clone(), EventBody::ReviewEnded { review }, "2026-12-08T10:25:00Z", 2);
        assert_eq!(twice, ended);
        // An end taken in before its start waits for it (the refold reads both again later).
        let orphan = fold(None, EventBody::ReviewEnded { review }, "2026-12-08T10:20:00Z", 1);
        assert_eq!(orphan, None);
    }

    #[test]
    fn follow_ups_are_due_ten_days_after_the_trip_end() {
        assert_eq!(follow_up_due(d("2026-12-03")), d("2026-12-13"));
    }

    #[test]
    fn ranking_is_sentiment_then_strength_then_most_recent_end() {
        let at = Utc.with_ymd_and_hms(2026, 12, 8, 9, 0, 0).unwrap();
        let c = |n: u128, end: &str, s: Option<(Sentiment, u8)>| Candidate {
            deal: DealId(Uuid::from_u128(n)),
            trip_end: d(end),
            signal: s.map(|(sentiment, strength)| Signal { sentiment, strength, note: String::new(), at }),
        };
        let mut list = vec![
            c(1, "2026-12-02", Some((Sentiment::Happy, 5))),
            c(2, "2026-12-03", None),
            c(3, "2026-12-01", Some((Sentiment::Thrilled, 3))),
            c(4, "2026-12-05", Some((Sentiment::Thrilled, 3))),
            c(5, "2026-12-04", Some((Sentiment::Thrilled, 5))),
            c(6, "2026-12-05", Some((Sentiment::Angry, 5))),
            c(7, "2026-12-05", Some((Sentiment::Thrilled, 3))),
        ];
        rank(&mut list);
        let order: Vec<u128> = list.iter().map(|c| c.deal.0.as_u128()).collect();
        assert_eq!(order, [5, 4, 7, 3, 1, 6, 2]);
    }
}
