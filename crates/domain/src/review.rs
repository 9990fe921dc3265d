//! Handoff 3, Service → Sales: the Tuesday review. Every Tuesday, every trip that ended in the
//! seven days before it (Tuesday to Monday, agency dates) is listed, strongest signal first; the
//! Sales lead picks up to three for personal follow-up calls due ten days after the trip end.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::ids::DealId;
use crate::trip::Signal;

/// The default number of picks a review allows (an agency setting).
pub const DEFAULT_PICKS: u8 = 3;
/// A follow-up call is due this many days after the trip ends.
pub const FOLLOW_UP_DAYS: i64 = 10;
/// The follow-up task's title.
pub const FOLLOW_UP_TITLE: &str = "Follow-up call";

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
