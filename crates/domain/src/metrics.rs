//! Dwell time: handoff time − close time, the one handoff metric. Reported in wall-clock hours and
//! in business hours (the agency calendar), as count, mean, median, p90 and worst, with how many
//! went past one business day; and, for deals still waiting, their dwell so far.
//!
//! Percentiles interpolate linearly between the two nearest ranks (the common "type 7"
//! definition): the median of 2, 4 is 3; p90 of 1..=10 is 9.1.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::ids::DealId;

/// One handed-off deal's dwell, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DwellSample {
    pub deal: DealId,
    pub wall_seconds: i64,
    pub business_seconds: i64,
}

/// The figures over a set of handed-off deals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DwellStats {
    pub handed_off: usize,
    pub mean_hours: f64,
    pub median_hours: f64,
    pub p90_hours: f64,
    pub worst_hours: f64,
    pub worst_deal: Option<DealId>,
    pub over_one_business_day: usize,
    pub mean_business_hours: f64,
    pub median_business_hours: f64,
    pub p90_business_hours: f64,
    pub worst_business_hours: f64,
}

const SECONDS_PER_HOUR: f64 = 3600.0;

fn hours(seconds: i64) -> f64 {
    seconds as f64 / SECONDS_PER_HOUR
}

/// The `p`-th percentile (0..=1) of sorted values, interpolating between neighbours.
fn percentile(sorted: &[i64], p: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0] as f64,
        n => {
            let rank = p * (n - 1) as f64;
            let lo = rank.floor() as usize;
            let hi = rank.ceil() as usize;
            let frac = rank - lo as f64;
            sorted[lo] as f64 + (sorted[hi] - sorted[lo]) as f64 * frac
        }
    }
}

fn mean(values: &[i64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().map(|&v| v as i128).sum::<i128>() as f64 / values.len() as f64
    }
}

/// Computes the dwell figures. `one_business_day` decides what counts as past it (strictly more).
pub fn dwell_stats(samples: &[DwellSample], one_business_day: Duration) -> DwellStats {
    let limit = one_business_day.num_seconds();
    let worst = samples.iter().max_by_key(|s| (s.wall_seconds, std::cmp::Reverse(s.deal)));
    let mut wall: Vec<i64> = samples.iter().map(|s| s.wall_seconds).collect();
    let mut business: Vec<i64> = samples.iter().map(|s| s.business_seconds).collect();
    wall.sort_unstable();
    business.sort_unstable();
    DwellStats {
        handed_off: samples.len(),
        mean_hours: mean(&wall) / SECONDS_PER_HOUR,
        median_hours: percentile(&wall, 0.5) / SECONDS_PER_HOUR,
        p90_hours: percentile(&wall, 0.9) / SECONDS_PER_HOUR,
        worst_hours: worst.map(|s| hours(s.wall_seconds)).unwrap_or(0.0),
        worst_deal: worst.map(|s| s.deal),
        over_one_business_day: business.iter().filter(|&&b| b > limit).count(),
        mean_business_hours: mean(&business) / SECONDS_PER_HOUR,
        median_business_hours: percentile(&business, 0.5) / SECONDS_PER_HOUR,
        p90_business_hours: percentile(&business, 0.9) / SECONDS_PER_HOUR,
        worst_business_hours: business.last().map(|&b| hours(b)).unwrap_or(0.0),
    }
}

/// How urgent a deal still waiting for its handoff is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    /// Inside half a business day.
    Fresh,
    /// Past half a business day: someone should be on it.
    Amber,
    /// Past one business day: the handoff has slipped.
    Red,
}

/// A won deal's dwell so far.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub hours_waiting: f64,
    pub business_hours_waiting: f64,
    /// Past one business day.
    pub breached: bool,
    pub urgency: Urgency,
    /// The instant it passes (or passed) one business day.
    pub deadline: DateTime<Utc>,
}

/// The dwell so far of a deal closed at `closed_at` and not yet handed off, at `now`.
pub fn waiting(cal: &Calendar, closed_at: DateTime<Utc>, now: DateTime<Utc>) -> Waiting {
    let business = cal.business_duration(closed_at, now);
    let day = cal.one_business_day();
    let urgency = if business > day {
        Urgency::Red
    } else if business > day / 2 {
        Urgency::Amber
    } else {
        Urgency::Fresh
    };
    Waiting {
        hours_waiting: hours((now - closed_at).num_seconds().max(0)),
        business_hours_waiting: hours(business.num_seconds()),
        breached: business > day,
        urgency,
        deadline: cal.one_business_day_deadline(closed_at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn sample(n: u128, wall_h: i64, business_h: i64) -> DwellSample {
        DwellSample {
            deal: DealId(Uuid::from_u128(n)),
            wall_seconds: wall_h * 3600,
            business_seconds: business_h * 3600,
        }
    }

    /// The playbook's week before the contract: eight deals averaging 38 hours, one at nine days.
    #[test]
    fn the_week_before_the_contract() {
        let walls = [216, 20, 16, 12, 10, 6, 14, 10];
        let business = [51, 8, 8, 7, 6, 4, 8, 6];
        let samples: Vec<_> =
            walls.iter().zip(business).enumerate().map(|(i, (&w, b))| sample(i as u128 + 1, w, b)).collect();
        let s = dwell_stats(&samples, Duration::minutes(510));
        assert_eq!(s.handed_off, 8);
        assert_eq!(s.mean_hours, 38.0);
        // sorted: 6 10 10 12 14 16 20 216 → median (12 + 14) / 2
        assert_eq!(s.median_hours, 13.0);
        // rank 0.9 * 7 = 6.3 → 20 + 0.3 * 196
        assert!((s.p90_hours - 78.8).abs() < 1e-9, "{}", s.p90_hours);
        assert_eq!(s.worst_hours, 216.0);
        assert_eq!(s.worst_deal, Some(DealId(Uuid::from_u128(1))));
        // 51 business hours is past 8.5; 8 is not.
        assert_eq!(s.over_one_business_day, 1);
        assert_eq!(s.mean_business_hours, 12.25);
    }

    /// Three weeks after: average 4 hours, worst 11, all inside one business day.
    #[test]
    fn three_weeks_after() {
        let walls = [11, 2, 3, 1, 4, 3];
        let samples: Vec<_> = walls.iter().enumerate().map(|(i, &w)| sample(i as u128 + 1, w, w.min(8))).collect();
        let s = dwell_stats(&samples, Duration::minutes(510));
        assert_eq!(s.mean_hours, 4.0);
        assert_eq!(s.median_hours, 3.0);
        assert_eq!(s.worst_hours, 11.0);
        assert_eq!(s.over_one_business_day, 0);
    }

    #[test]
    fn percentiles_interpolate_between_ranks() {
        let v: Vec<i64> = (1..=10).collect();
        assert!((percentile(&v, 0.9) - 9.1).abs() < 1e-12);
        assert_eq!(percentile(&v, 0.5), 5.5);
        assert_eq!(percentile(&[7], 0.9), 7.0);
        assert_eq!(percentile(&[], 0.9), 0.0);
    }

    #[test]
    fn no_deals_gives_zeros_not_nan() {
        let s = dwell_stats(&[], Duration::minutes(510));
        assert_eq!((s.handed_off, s.mean_hours, s.worst_deal), (0, 0.0, None));
    }

    #[test]
    fn exactly_one_business_day_is_not_past_it() {
        let s = dwell_stats(
            &[DwellSample { deal: DealId(Uuid::nil()), wall_seconds: 0, business_seconds: 510 * 60 }],
            Duration::minutes(510),
        );
        assert_eq!(s.over_one_business_day, 0);
    }
}
