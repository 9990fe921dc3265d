//! Dwell time: handoff time − close time, the one handoff metric. Reported in wall-clock hours and
//! in business hours (the agency calendar), as count, mean, median, p90 and worst, with how many
//! went past one business day; and, for deals still waiting, their dwell so far.
//!
//! Percentiles interpolate linearly between the two nearest ranks (the common "type 7"
//! definition): the median of 2, 4 is 3; p90 of 1..=10 is 9.1.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::ids::DealId;
use crate::review::follow_up_in_time;
use crate::service::on_time;
use crate::trip::{AskTopic, Outcome};

/// The dwell of a set of handed-off deals, column by column — the shape the store reads fastest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DwellSamples {
    /// Handoff − close, in seconds, one per deal.
    pub wall_seconds: Vec<i64>,
    /// The same in business seconds, in the same order.
    pub business_seconds: Vec<i64>,
    /// The longest wall-clock dwell and its deal (on a tie, the smallest deal id).
    pub worst: Option<(i64, DealId)>,
    /// Of these deals, how many customers heard something within one business day of the close,
    /// and how many later (the rest have not heard yet).
    pub heard_within_day: usize,
    pub heard_later: usize,
    /// Handed off before Handoff kept the first contact (a CRM import), with none recorded since.
    pub heard_unknown: usize,
}

impl DwellSamples {
    /// Counts whether one deal's customer heard within one business day, as the read table
    /// keeps it: 1 within, 0 later, -1 unknown (handed off before Handoff), none not yet.
    pub fn heard(&mut self, within_day: Option<i64>) {
        match within_day {
            Some(1) => self.heard_within_day += 1,
            Some(0) => self.heard_later += 1,
            Some(_) => self.heard_unknown += 1,
            None => {}
        }
    }

    /// Adds one deal's dwell.
    pub fn push(&mut self, deal: DealId, wall_seconds: i64, business_seconds: i64) {
        self.wall_seconds.push(wall_seconds);
        self.business_seconds.push(business_seconds);
        if self.worst.is_none_or(|(w, d)| wall_seconds > w || (wall_seconds == w && deal < d)) {
            self.worst = Some((wall_seconds, deal));
        }
    }
}

/// The figures over a set of handed-off deals.
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
    /// "The customer hears something within one business day": of the deals handed off, how
    /// many customers did, how many heard later, and how many have not heard yet.
    pub heard_within_one_business_day: usize,
    pub heard_later: usize,
    pub not_heard_yet: usize,
    /// Handed off before Handoff kept first contacts (imported from a CRM), none recorded since.
    pub heard_unknown: usize,
}

const SECONDS_PER_HOUR: f64 = 3600.0;

fn hours(seconds: i64) -> f64 {
    seconds as f64 / SECONDS_PER_HOUR
}

/// The `p`-th percentile (0..=1), interpolating between the two nearest ranks. Selects rather
/// than sorts; reorders `values`.
fn percentile(values: &mut [i64], p: f64) -> f64 {
    match values.len() {
        0 => 0.0,
        1 => values[0] as f64,
        n => {
            let rank = p * (n - 1) as f64;
            let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
            let (_, lo_value, above) = values.select_nth_unstable(lo);
            let lo_value = *lo_value;
            let hi_value = if hi == lo { lo_value } else { above.iter().copied().min().unwrap_or(lo_value) };
            lo_value as f64 + (hi_value - lo_value) as f64 * (rank - lo as f64)
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
pub fn dwell_stats(samples: DwellSamples, one_business_day: Duration) -> DwellStats {
    let DwellSamples { mut wall_seconds, mut business_seconds, worst, heard_within_day, heard_later, heard_unknown } =
        samples;
    let limit = one_business_day.num_seconds();
    DwellStats {
        handed_off: wall_seconds.len(),
        mean_hours: mean(&wall_seconds) / SECONDS_PER_HOUR,
        median_hours: percentile(&mut wall_seconds, 0.5) / SECONDS_PER_HOUR,
        p90_hours: percentile(&mut wall_seconds, 0.9) / SECONDS_PER_HOUR,
        worst_hours: worst.map(|(w, _)| hours(w)).unwrap_or(0.0),
        worst_deal: worst.map(|(_, d)| d),
        over_one_business_day: business_seconds.iter().filter(|&&b| b > limit).count(),
        mean_business_hours: mean(&business_seconds) / SECONDS_PER_HOUR,
        median_business_hours: percentile(&mut business_seconds, 0.5) / SECONDS_PER_HOUR,
        p90_business_hours: percentile(&mut business_seconds, 0.9) / SECONDS_PER_HOUR,
        worst_business_hours: business_seconds.iter().max().map(|&b| hours(b)).unwrap_or(0.0),
        heard_within_one_business_day: heard_within_day,
        heard_later,
        not_heard_yet: wall_seconds.len().saturating_sub(heard_within_day + heard_later + heard_unknown),
        heard_unknown,
    }
}

/// One bar of the dwell distribution: how many handed-off deals took this long, in business time.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DwellBucket {
    /// `under half a day`, `half to one day`, `1 to 2 days`, `2 to 5 days`, `over 5 days`.
    pub label: String,
    pub deals: usize,
}

/// The handed-off deals by business-time dwell, in business days: under half, half to one (the
/// playbook's target is everything in these two), then one to two, two to five, over five.
pub fn dwell_distribution(samples: &DwellSamples, one_business_day: Duration) -> Vec<DwellBucket> {
    let day = one_business_day.num_seconds().max(1);
    let limits =
        [(day / 2, "under half a day"), (day, "half to one day"), (2 * day, "1 to 2 days"), (5 * day, "2 to 5 days")];
    let mut counts = [0usize; 5];
    for &b in &samples.business_seconds {
        let i = limits.iter().position(|(limit, _)| b <= *limit).unwrap_or(4);
        counts[i] += 1;
    }
    let labels = limits.iter().map(|(_, l)| *l).chain(["over 5 days"]);
    labels.zip(counts).map(|(label, deals)| DwellBucket { label: label.to_string(), deals }).collect()
}

/// How urgent a deal still waiting for its handoff is.
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

/// The urgency a waiting deal reached between `since` (exclusive) and `now` (inclusive), when it
/// became more urgent in that interval: `Amber` when it passed half a business day, `Red` when it
/// passed one (with the first business minute after it, as [`waiting`] counts). What the app notifies about, once per crossing.
pub fn urgency_reached(
    cal: &Calendar,
    closed_at: DateTime<Utc>,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Urgency> {
    let before = waiting(cal, closed_at, since.max(closed_at)).urgency;
    let after = waiting(cal, closed_at, now).urgency;
    (after != before && after != Urgency::Fresh).then_some(after)
}

/// One trip, for the service metrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSample {
    pub trip_start: DateTime<Utc>,
    /// When the service handoff completed, if it did.
    pub completed_at: Option<DateTime<Utc>>,
    /// The trip has ended.
    pub delivered: bool,
    /// Each ask's topic and whether the brief should have covered it.
    pub asks: Vec<(AskTopic, bool)>,
}

/// The Fulfilment→Service figures.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceFigures {
    pub done: usize,
    /// Done at least 72 hours before the trip started.
    pub on_time: usize,
    pub on_time_share: f64,
    pub mean_lead_hours: f64,
    pub delivered_trips: usize,
    /// Asks the brief should have covered, per delivered trip.
    pub asks_per_trip: f64,
    /// Per topic over delivered trips: (topic, asks, of which the brief should have covered).
    pub by_topic: Vec<(AskTopic, usize, usize)>,
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The counts the service figures are made of, as a store totals them over its trips without
/// reading each one: what [`service_figures_of`] turns into shares and means.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceTally {
    /// Service handoffs completed.
    pub done: usize,
    /// Of those, completed at least [`crate::service::SERVICE_LEAD_HOURS`] before the trip.
    pub on_time: usize,
    /// The leads of those completed (trip start − completion), summed, in seconds.
    pub lead_seconds: i128,
    /// Trips that have ended.
    pub delivered_trips: usize,
    /// Per topic, asks logged on delivered trips and of those the brief should have covered, in
    /// any order; topics without asks may be left out.
    pub asks: Vec<(AskTopic, usize, usize)>,
}

/// Totals trips one by one into a [`ServiceTally`].
pub fn service_tally(samples: &[ServiceSample]) -> ServiceTally {
    let leads: Vec<i64> =
        samples.iter().filter_map(|s| s.completed_at.map(|c| (s.trip_start - c).num_seconds())).collect();
    let delivered: Vec<&ServiceSample> = samples.iter().filter(|s| s.delivered).collect();
    let asks = AskTopic::ALL
        .into_iter()
        .map(|topic| {
            let all = delivered.iter().flat_map(|s| &s.asks).filter(|a| a.0 == topic);
            let (n, c) = all.fold((0, 0), |(n, c), a| (n + 1, c + usize::from(a.1)));
            (topic, n, c)
        })
        .collect();
    ServiceTally {
        done: leads.len(),
        on_time: leads.iter().filter(|&&l| on_time(Duration::seconds(l))).count(),
        lead_seconds: leads.iter().map(|&l| i128::from(l)).sum(),
        delivered_trips: delivered.len(),
        asks,
    }
}

/// Service handoffs done, on time (lead ≥ 72 h) and their share, mean lead; asks per delivered trip.
pub fn service_figures(samples: &[ServiceSample]) -> ServiceFigures {
    service_figures_of(&service_tally(samples))
}

/// [`service_figures`] from the counts a store totalled.
pub fn service_figures_of(t: &ServiceTally) -> ServiceFigures {
    let by_topic: Vec<(AskTopic, usize, usize)> = AskTopic::ALL
        .into_iter()
        .filter_map(|topic| {
            let (n, c) = t.asks.iter().filter(|a| a.0 == topic).fold((0, 0), |(n, c), a| (n + a.1, c + a.2));
            (n > 0).then_some((topic, n, c))
        })
        .collect();
    let covered: usize = by_topic.iter().map(|t| t.2).sum();
    let mean_lead_seconds = if t.done == 0 { 0.0 } else { t.lead_seconds as f64 / t.done as f64 };
    ServiceFigures {
        done: t.done,
        on_time: t.on_time,
        on_time_share: share(t.on_time, t.done),
        mean_lead_hours: mean_lead_seconds / SECONDS_PER_HOUR,
        delivered_trips: t.delivered_trips,
        asks_per_trip: share(covered, t.delivered_trips),
        by_topic,
    }
}

/// One picked trip, for the loop metrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickSample {
    pub trip_end: NaiveDate,
    /// The local day the follow-up was recorded, if it was.
    pub done_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
}

/// The Service→Sales figures.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoopFigures {
    pub picks: usize,
    pub follow_ups_done: usize,
    pub follow_ups_within_ten_days: usize,
    /// Follow-ups done within ten days of the trip end, per pick.
    pub within_ten_days_share: f64,
    pub picked_renewals: usize,
    /// Renewed, per follow-up done.
    pub picked_renewal_rate: f64,
    pub cold_attempts: u64,
    pub cold_renewals: u64,
    pub cold_renewal_rate: f64,
    /// How much higher the picked rate is than the cold rate, in percent.
    pub lift_percent: Option<f64>,
}

/// Follow-ups within ten days, renewal rate of picked calls against cold outreach, and the lift.
pub fn loop_figures(picks: &[PickSample], cold: &[(u32, u32)]) -> LoopFigures {
    let done: Vec<&PickSample> = picks.iter().filter(|p| p.outcome.is_some()).collect();
    let within = done.iter().filter(|p| p.done_on.is_some_and(|d| follow_up_in_time(p.trip_end, d))).count();
    let renewed = done.iter().filter(|p| p.outcome == Some(Outcome::Renewed)).count();
    let attempts: u64 = cold.iter().map(|c| u64::from(c.0)).sum();
    let cold_renewals: u64 = cold.iter().map(|c| u64::from(c.1)).sum();
    let picked_rate = share(renewed, done.len());
    let cold_rate = if attempts == 0 { 0.0 } else { cold_renewals as f64 / attempts as f64 };
    LoopFigures {
        picks: picks.len(),
        follow_ups_done: done.len(),
        follow_ups_within_ten_days: within,
        within_ten_days_share: share(within, picks.len()),
        picked_renewals: renewed,
        picked_renewal_rate: picked_rate,
        cold_attempts: attempts,
        cold_renewals,
        cold_renewal_rate: cold_rate,
        lift_percent: (cold_rate > 0.0 && !done.is_empty()).then(|| (picked_rate / cold_rate - 1.0) * 100.0),
    }
}

/// The playbook's aim for founder escalations: "from a handoff escalation a week to roughly one a
/// quarter".
pub const ESCALATIONS_TARGET_PER_QUARTER: usize = 1;
/// Where the playbook started: one a week.
pub const ESCALATIONS_BEFORE_PER_WEEK: usize = 1;

/// The playbook's aim for asks the brief should have covered: "under one" per trip.
pub const ASKS_PER_TRIP_BELOW: f64 = 1.0;
/// The playbook's renewal lift of picked follow-up calls over cold-list outreach: 40% higher.
pub const RENEWAL_LIFT_TARGET_PERCENT: f64 = 40.0;

/// Dwell on target: every handoff of the span inside one business day ("if the time between
/// Sales-close and Fulfilment-start stays inside one business day, the rest of the system tends
/// to be in shape"), and no deal of the span still waiting past it (`waiting_past_one_day`). None
/// with nothing handed off and nothing late.
pub fn dwell_on_target(s: &DwellStats, waiting_past_one_day: usize) -> Option<bool> {
    if waiting_past_one_day > 0 {
        return Some(false);
    }
    (s.handed_off > 0).then_some(s.over_one_business_day == 0)
}

/// Asks per delivered trip under one. None before any trip was delivered.
pub fn asks_on_target(f: &ServiceFigures) -> Option<bool> {
    (f.delivered_trips > 0).then_some(f.asks_per_trip < ASKS_PER_TRIP_BELOW)
}

/// The renewal lift at +40% or more. None until there is a lift to judge.
pub fn lift_on_target(f: &LoopFigures) -> Option<bool> {
    f.lift_percent.map(|l| l >= RENEWAL_LIFT_TARGET_PERCENT)
}

/// A span the metrics are read over, named as a lead asks for it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    #[serde(rename = "last-4-weeks")]
    Last4Weeks,
    #[serde(rename = "last-12-weeks")]
    Last12Weeks,
    ThisQuarter,
    LastQuarter,
    ThisYear,
    #[serde(rename = "last-12-months")]
    Last12Months,
    AllTime,
}

impl Period {
    pub const ALL: [Period; 7] = [
        Period::Last4Weeks,
        Period::Last12Weeks,
        Period::ThisQuarter,
        Period::LastQuarter,
        Period::ThisYear,
        Period::Last12Months,
        Period::AllTime,
    ];

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Period::Last4Weeks => "Last 4 weeks",
            Period::Last12Weeks => "Last 12 weeks",
            Period::ThisQuarter => "This quarter",
            Period::LastQuarter => "Last quarter",
            Period::ThisYear => "This year",
            Period::Last12Months => "Last 12 months",
            Period::AllTime => "All time",
        }
    }

    /// Its first and last days (inclusive, agency dates) on `today`; all time has neither.
    /// Weeks count whole ISO weeks back from this one.
    pub fn span(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let monday = monday_of(today);
        let quarter_start =
            |d: NaiveDate| NaiveDate::from_ymd_opt(d.year(), d.month0() / 3 * 3 + 1, 1).expect("a quarter's first day");
        let (from, to) = match self {
            Period::Last4Weeks => (monday - Duration::weeks(3), today),
            Period::Last12Weeks => (monday - Duration::weeks(11), today),
            Period::ThisQuarter => (quarter_start(today), today),
            Period::LastQuarter => {
                let this = quarter_start(today);
                (quarter_start(this - Duration::days(1)), this - Duration::days(1))
            }
            Period::ThisYear => (NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January"), today),
            Period::Last12Months => {
                let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("the month's first day");
                (first.checked_sub_months(chrono::Months::new(11)).unwrap_or(first), today)
            }
            Period::AllTime => return (None, None),
        };
        (Some(from), Some(to))
    }
}

/// The Monday of `d`'s ISO week.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The two spans compared around a change made on `on` ("the week before the contract, three
/// weeks after"): the `weeks_before` whole weeks ending the day before, and the `weeks_after`
/// whole weeks from that day. Each is (first, last), inclusive.
pub fn before_and_after(
    on: NaiveDate,
    weeks_before: u32,
    weeks_after: u32,
) -> ((NaiveDate, NaiveDate), (NaiveDate, NaiveDate)) {
    let before = (on - Duration::weeks(i64::from(weeks_before)), on - Duration::days(1));
    let after = (on, on + Duration::weeks(i64::from(weeks_after)) - Duration::days(1));
    (before, after)
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn quarter(d: NaiveDate) -> String {
    format!("{}-Q{}", d.year(), d.month0() / 3 + 1)
}

/// Counts per ISO week (`2026-W49`) of `days`, for every week from the week of `first` to the
/// week of `last`: a week without any is there with 0, never left out.
pub fn per_iso_week(days: &[NaiveDate], first: NaiveDate, last: NaiveDate) -> Vec<(String, usize)> {
    let starts = std::iter::successors(Some(monday_of(first)), |d| Some(*d + Duration::days(7)))
        .take_while(|d| *d <= last)
        .map(iso_week);
    count_over(days, starts, iso_week)
}

/// Counts per quarter (`2026-Q4`) of `days`, for every quarter from that of `first` to that of
/// `last`, a quarter without any with 0.
pub fn per_quarter(days: &[NaiveDate], first: NaiveDate, last: NaiveDate) -> Vec<(String, usize)> {
    let start =
        |d: NaiveDate| NaiveDate::from_ymd_opt(d.year(), d.month0() / 3 * 3 + 1, 1).expect("a quarter's first day");
    let starts = std::iter::successors(Some(start(first)), |d| d.checked_add_months(chrono::Months::new(3)))
        .take_while(|d| *d <= last)
        .map(quarter);
    count_over(days, starts, quarter)
}

/// How many of `days` fall in each of `periods` (as `key` names a day's period), in order.
fn count_over(
    days: &[NaiveDate],
    periods: impl Iterator<Item = String>,
    key: impl Fn(NaiveDate) -> String,
) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = periods.map(|p| (p, 0)).collect();
    for d in days {
        let k = key(*d);
        if let Ok(i) = counts.binary_search_by(|(p, _)| p.as_str().cmp(k.as_str())) {
            counts[i].1 += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests;
