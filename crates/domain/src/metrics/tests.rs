//! Tests of the dwell, service, loop and escalation figures.

use super::*;
use crate::zone::Zone;
use uuid::Uuid;

fn samples(rows: &[(u128, i64, i64)]) -> DwellSamples {
    let mut s = DwellSamples::default();
    for &(n, wall_h, business_h) in rows {
        s.push(DealId(Uuid::from_u128(n)), wall_h * 3600, business_h * 3600);
    }
    s
}

/// The playbook's week before the contract: eight deals averaging 38 hours, one at nine days.
#[test]
fn the_week_before_the_contract() {
    let walls = [216, 20, 16, 12, 10, 6, 14, 10];
    let business = [51, 8, 8, 7, 6, 4, 8, 6];
    let rows: Vec<_> = walls.iter().zip(business).enumerate().map(|(i, (&w, b))| (i as u128 + 1, w, b)).collect();
    let s = dwell_stats(samples(&rows), Duration::minutes(510));
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
    let rows: Vec<_> = walls.iter().enumerate().map(|(i, &w)| (i as u128 + 1, w, w.min(8))).collect();
    let s = dwell_stats(samples(&rows), Duration::minutes(510));
    assert_eq!(s.mean_hours, 4.0);
    assert_eq!(s.median_hours, 3.0);
    assert_eq!(s.worst_hours, 11.0);
    assert_eq!(s.over_one_business_day, 0);
}

#[test]
fn percentiles_interpolate_between_ranks() {
    let mut v: Vec<i64> = (1..=10).rev().collect();
    assert!((percentile(&mut v, 0.9) - 9.1).abs() < 1e-12);
    assert_eq!(percentile(&mut v, 0.5), 5.5);
    assert_eq!(percentile(&mut [7], 0.9), 7.0);
    assert_eq!(percentile(&mut [], 0.9), 0.0);
    // Selection gives what sorting gives, whatever the order.
    let mut shuffled = vec![30, 5, 12, 12, 99, 1, 40, 7];
    let mut sorted = shuffled.clone();
    sorted.sort_unstable();
    for p in [0.0, 0.1, 0.5, 0.9, 1.0] {
        assert_eq!(percentile(&mut shuffled, p), percentile(&mut sorted.clone(), p));
    }
    assert_eq!(percentile(&mut shuffled, 1.0), 99.0);
}

#[test]
fn no_deals_gives_zeros_not_nan() {
    let s = dwell_stats(DwellSamples::default(), Duration::minutes(510));
    assert_eq!((s.handed_off, s.mean_hours, s.worst_deal), (0, 0.0, None));
}

#[test]
fn exactly_one_business_day_is_not_past_it() {
    let mut one = DwellSamples::default();
    one.push(DealId(Uuid::nil()), 0, 510 * 60);
    let s = dwell_stats(one, Duration::minutes(510));
    assert_eq!(s.over_one_business_day, 0);
}

#[test]
fn service_figures_from_a_known_set() {
    use chrono::TimeZone;
    let start = Utc.with_ymd_and_hms(2026, 7, 10, 9, 0, 0).unwrap();
    let s = |lead_h: Option<i64>, delivered: bool, asks: Vec<(AskTopic, bool)>| ServiceSample {
        trip_start: start,
        completed_at: lead_h.map(|h| start - Duration::hours(h)),
        delivered,
        asks,
    };
    let samples = vec![
        s(Some(96), true, vec![(AskTopic::Dietary, true), (AskTopic::Itinerary, false)]),
        s(Some(72), true, vec![]),
        s(Some(48), true, vec![(AskTopic::Dietary, true), (AskTopic::Rooming, true)]),
        s(None, false, vec![(AskTopic::Dietary, true)]),
    ];
    let f = service_figures(&samples);
    assert_eq!((f.done, f.on_time), (3, 2));
    assert!((f.on_time_share - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(f.mean_lead_hours, 72.0);
    assert_eq!(f.delivered_trips, 3);
    assert_eq!(f.asks_per_trip, 1.0, "3 covered asks over 3 delivered trips; the undelivered trip does not count");
    assert_eq!(f.by_topic, vec![(AskTopic::Dietary, 2, 2), (AskTopic::Rooming, 1, 1), (AskTopic::Itinerary, 1, 0)]);
}

#[test]
fn loop_figures_give_the_lift_over_cold_outreach() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let p = |end: &str, done: Option<&str>, o: Option<Outcome>| PickSample {
        trip_end: d(end),
        done_on: done.map(d),
        outcome: o,
    };
    let picks = vec![
        p("2026-12-01", Some("2026-12-05"), Some(Outcome::Renewed)),
        p("2026-12-01", Some("2026-12-12"), Some(Outcome::NoAnswer)),
        p("2026-12-02", Some("2026-12-12"), Some(Outcome::Renewed)),
        p("2026-12-03", Some("2026-12-13"), Some(Outcome::Referral)),
        p("2026-12-03", None, None),
    ];
    let f = loop_figures(&picks, &[(40, 6), (60, 9)]);
    assert_eq!((f.picks, f.follow_ups_done, f.follow_ups_within_ten_days, f.picked_renewals), (5, 4, 3, 2));
    assert_eq!(f.within_ten_days_share, 0.6);
    assert_eq!(f.picked_renewal_rate, 0.5);
    assert_eq!(f.cold_renewal_rate, 0.15);
    assert!((f.lift_percent.unwrap() - (0.5 / 0.15 - 1.0) * 100.0).abs() < 1e-9);
    assert_eq!(loop_figures(&picks, &[]).lift_percent, None);
}

#[test]
fn escalations_count_per_iso_week_and_quarter() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let days = [d("2026-12-28"), d("2027-01-03"), d("2027-01-04"), d("2026-10-01"), d("2026-09-30")];
    let weeks = per_iso_week(&days, d("2026-09-30"), d("2027-01-10"));
    assert_eq!(weeks.len(), 15, "every week from W40 of 2026 to W01 of 2027, quiet ones too");
    assert_eq!(weeks[0], ("2026-W40".into(), 2));
    assert_eq!(weeks[1], ("2026-W41".into(), 0), "a week of zero is shown as zero");
    assert_eq!(weeks[13], ("2026-W53".into(), 2));
    assert_eq!(weeks[14], ("2027-W01".into(), 1));
    assert_eq!(weeks.iter().map(|w| w.1).sum::<usize>(), 5);
    assert_eq!(
        per_quarter(&days, d("2026-05-01"), d("2027-01-10")),
        vec![("2026-Q2".into(), 0), ("2026-Q3".into(), 1), ("2026-Q4".into(), 2), ("2027-Q1".into(), 2)]
    );
    // Outside the span: not counted.
    assert_eq!(per_quarter(&days, d("2027-01-01"), d("2027-03-31")), vec![("2027-Q1".into(), 2)]);
    assert_eq!(per_iso_week(&[], d("2027-01-04"), d("2027-01-10")), vec![("2027-W01".into(), 0)]);
}

#[test]
fn urgency_is_reached_once_at_half_and_once_at_one_business_day() {
    use chrono::TimeZone;
    let cal = Calendar::new(Zone::known("Europe/London"));
    // Monday 23 November 2026, 09:00 in London (UTC in winter): half a day at 13:15, one at 17:30.
    let t = |d: u32, h: u32, m: u32| Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap();
    let closed = t(23, 9, 0);
    assert_eq!(urgency_reached(&cal, closed, t(23, 12, 0), t(23, 13, 0)), None);
    assert_eq!(urgency_reached(&cal, closed, t(23, 13, 0), t(23, 13, 30)), Some(Urgency::Amber));
    assert_eq!(urgency_reached(&cal, closed, t(23, 13, 30), t(23, 17, 0)), None);
    // Exactly one business day at 17:30 is not past it; the first business minute after is.
    assert_eq!(urgency_reached(&cal, closed, t(23, 17, 0), t(23, 23, 0)), None);
    assert_eq!(urgency_reached(&cal, closed, t(23, 23, 0), t(24, 9, 1)), Some(Urgency::Red));
    assert_eq!(urgency_reached(&cal, closed, t(24, 9, 1), t(24, 10, 0)), None);
    // A laptop opened the next morning: straight to red, one notice.
    assert_eq!(urgency_reached(&cal, closed, t(23, 8, 0), t(24, 10, 0)), Some(Urgency::Red));
    // Evening and night are not business time: nothing is reached overnight.
    assert_eq!(urgency_reached(&cal, t(23, 16, 0), t(23, 18, 0), t(24, 8, 59)), None);
}

#[test]
fn distribution_puts_each_deal_in_one_business_day_bucket() {
    let day = Duration::seconds(30_600); // 8.5 h
    let mut s = DwellSamples::default();
    for (n, business) in [(1, 0), (2, 15_300), (3, 15_301), (4, 30_600), (5, 30_601), (6, 200_000)] {
        s.push(DealId(Uuid::from_u128(n)), business, business);
    }
    let d = dwell_distribution(&s, day);
    let counts: Vec<usize> = d.iter().map(|b| b.deals).collect();
    assert_eq!(counts, vec![2, 2, 1, 0, 1]);
    assert_eq!(d[0].label, "under half a day");
    assert_eq!(d[4].label, "over 5 days");
}

#[test]
fn targets_are_the_playbooks_and_unjudged_without_data() {
    let one_day = Duration::hours(8);
    let inside = dwell_stats(samples(&[(1, 4, 4), (2, 11, 8)]), one_day);
    assert_eq!(dwell_on_target(&inside, 0), Some(true), "the playbook's after: worst 11 h, inside one business day");
    assert_eq!(dwell_on_target(&inside, 1), Some(false), "a deal still waiting past one business day is off target");
    let past = dwell_stats(samples(&[(1, 4, 4), (2, 216, 72)]), one_day);
    assert_eq!(dwell_on_target(&past, 0), Some(false), "one outlier at nine days is off target");
    assert_eq!(dwell_on_target(&dwell_stats(samples(&[]), one_day), 0), None);
    assert_eq!(dwell_on_target(&dwell_stats(samples(&[]), one_day), 2), Some(false), "nothing handed off, two late");

    let trip = |asks: usize| ServiceSample {
        trip_start: Utc::now(),
        completed_at: None,
        delivered: true,
        asks: vec![(AskTopic::Dietary, true); asks],
    };
    assert_eq!(asks_on_target(&service_figures(&[trip(0), trip(1)])), Some(true), "0.5 a trip");
    assert_eq!(asks_on_target(&service_figures(&[trip(1), trip(1)])), Some(false), "exactly one is not under one");
    assert_eq!(asks_on_target(&service_figures(&[])), None);

    let d = "2026-12-01".parse::<NaiveDate>().unwrap();
    let renewed = |n: usize| {
        (0..10)
            .map(|i| PickSample {
                trip_end: d,
                done_on: Some(d),
                outcome: Some(if i < n { Outcome::Renewed } else { Outcome::NoAnswer }),
            })
            .collect::<Vec<_>>()
    };
    // Cold: 1 in 5 renews (20%). Picked 3 in 10 = +50%; 2 in 10 = +0%.
    assert_eq!(lift_on_target(&loop_figures(&renewed(3), &[(5, 1)])), Some(true));
    assert_eq!(lift_on_target(&loop_figures(&renewed(2), &[(5, 1)])), Some(false));
    assert_eq!(lift_on_target(&loop_figures(&renewed(3), &[])), None, "no cold list, no lift");
}

#[test]
fn periods_are_whole_weeks_quarters_and_years_on_today() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let today = d("2026-11-30"); // a Monday in Q4
    let span = |p: Period| p.span(today);
    assert_eq!(span(Period::Last4Weeks), (Some(d("2026-11-09")), Some(today)));
    assert_eq!(span(Period::Last12Weeks), (Some(d("2026-09-14")), Some(today)));
    assert_eq!(span(Period::ThisQuarter), (Some(d("2026-10-01")), Some(today)));
    assert_eq!(span(Period::LastQuarter), (Some(d("2026-07-01")), Some(d("2026-09-30"))));
    assert_eq!(span(Period::ThisYear), (Some(d("2026-01-01")), Some(today)));
    assert_eq!(span(Period::Last12Months), (Some(d("2025-12-01")), Some(today)));
    assert_eq!(span(Period::AllTime), (None, None));
    // In January, last quarter is last year's fourth.
    assert_eq!(Period::LastQuarter.span(d("2027-01-15")), (Some(d("2026-10-01")), Some(d("2026-12-31"))));
    // A Sunday still counts its own week.
    assert_eq!(Period::Last4Weeks.span(d("2026-12-06")).0, Some(d("2026-11-09")));
}

#[test]
fn before_and_after_a_change_are_whole_weeks_either_side() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let (before, after) = before_and_after(d("2026-03-09"), 1, 3);
    assert_eq!(before, (d("2026-03-02"), d("2026-03-08")), "the week before the contract");
    assert_eq!(after, (d("2026-03-09"), d("2026-03-29")), "three weeks after");
}
