//! Business time at every span, from one day to ten years: `Calendar::business_duration` (whole
//! weeks counted at once, holidays found by range search) beside, in the same run, the same count
//! walked day by day (`business_duration_day_by_day`, its reference), and `add_business` for the
//! same spans. The calendar is a London agency's: Monday to Friday, 09:00–17:30, eight holidays a
//! year for ten years, and the clock changes of spring and autumn.
//!
//! Prints `FIGURE name value unit` for each span and a `RATIO` of the day-by-day count's time to
//! ours. Run: `cargo bench -p handoff-domain --bench business_time`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use handoff_domain::calendar::Calendar;

/// A London agency's calendar with eight holidays a year, 2024–2035.
fn calendar() -> Calendar {
    let mut cal = Calendar::new("Europe/London".parse().expect("a zone"));
    for year in 2024..=2035 {
        for (month, day) in [(1, 1), (4, 7), (5, 6), (5, 27), (8, 26), (12, 24), (12, 25), (12, 26)] {
            let date = NaiveDate::from_ymd_opt(year, month, day).expect("a date");
            cal.holidays.insert(date);
        }
    }
    cal
}

const SPANS: [(&str, i64); 5] = [("1_day", 1), ("1_week", 7), ("1_month", 30), ("1_year", 365), ("10_years", 3652)];

/// The mean time of one call of `f`, over enough calls to last about `budget`.
fn mean(budget: Duration, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < budget || calls < 10 {
        f();
        calls += 1;
    }
    start.elapsed() / calls
}

fn business_time(c: &mut Criterion) {
    let cal = calendar();
    // A Tuesday afternoon, so no span starts or ends on a week's edge.
    let from: DateTime<Utc> = Utc.with_ymd_and_hms(2025, 3, 4, 14, 7, 0).unwrap();
    assert_eq!(from.weekday(), chrono::Weekday::Tue);
    let mut group = c.benchmark_group("business_time");
    for (name, days) in SPANS {
        let to = from + chrono::Duration::days(days) + chrono::Duration::minutes(83);
        assert_eq!(cal.business_duration(from, to), cal.business_duration_day_by_day(from, to));
        group.bench_function(format!("duration_{name}"), |b| {
            b.iter(|| black_box(&cal).business_duration(black_box(from), black_box(to)))
        });
        group.bench_function(format!("duration_day_by_day_{name}"), |b| {
            b.iter(|| black_box(&cal).business_duration_day_by_day(black_box(from), black_box(to)))
        });
        let amount = cal.business_duration(from, to);
        group.bench_function(format!("add_business_{name}"), |b| {
            b.iter(|| black_box(&cal).add_business(black_box(from), black_box(amount)))
        });
        // The figures, from our own timing (criterion's own is in its report).
        let budget = Duration::from_millis(300);
        let ours = mean(budget, || {
            black_box(cal.business_duration(black_box(from), black_box(to)));
        });
        let walked = mean(budget, || {
            black_box(cal.business_duration_day_by_day(black_box(from), black_box(to)));
        });
        let added = mean(budget, || {
            black_box(cal.add_business(black_box(from), black_box(amount)));
        });
        println!("FIGURE business_duration_{name} {:.2} µs", ours.as_secs_f64() * 1e6);
        println!("FIGURE business_duration_day_by_day_{name} {:.2} µs", walked.as_secs_f64() * 1e6);
        println!("FIGURE add_business_{name} {:.2} µs", added.as_secs_f64() * 1e6);
        println!(
            "RATIO business_duration_{name}_vs_day_by_day {:.1}x faster",
            walked.as_secs_f64() / ours.as_secs_f64()
        );
    }
    group.finish();
}

criterion_group!(benches, business_time);
criterion_main!(benches);
