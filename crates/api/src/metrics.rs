//! The dwell report: close → handoff, for handed-off deals and, live, for those still waiting.

use chrono::{Datelike, Duration};
use handoff_domain::deal::DealStatus;
use handoff_domain::metrics::{
    asks_on_target, before_and_after, dwell_distribution, dwell_on_target, dwell_stats, lift_on_target, loop_figures,
    monday_of, per_iso_week, per_quarter, service_figures_of, Period, PickSample, ServiceTally, ASKS_PER_TRIP_BELOW,
    ESCALATIONS_BEFORE_PER_WEEK, ESCALATIONS_TARGET_PER_QUARTER, RENEWAL_LIFT_TARGET_PERCENT,
};
use handoff_domain::service::SERVICE_LEAD_HOURS;
use handoff_store::query;

use crate::dto::*;
use crate::input::date_range;
use crate::view::hours;
use crate::{ApiError, Ctx};

/// Dwell-time figures for deals closed between `from` and `to` (local dates, inclusive), and
/// every won deal still waiting for its handoff with its dwell so far.
pub fn dwell(ctx: &Ctx, req: DwellRequest) -> Result<DwellReport, ApiError> {
    let now = ctx.now();
    let (from, to) = date_range(req.from.as_deref(), req.to.as_deref())?;
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let from_t = from.map(|d| cal.day_start(d));
        let to_t = to.map(|d| cal.day_start(d + Duration::days(1)));
        let samples = query::dwell_samples(c, from_t, to_t)?;
        let distribution = dwell_distribution(&samples, cal.one_business_day());
        let s = dwell_stats(samples, cal.one_business_day());
        let worst_deal_title = match s.worst_deal {
            Some(id) => query::deal(c, id)?.map(|d| d.title),
            None => None,
        };
        let mut open = Vec::new();
        for row in query::deals(c, Some(DealStatus::Won))? {
            let Some(closed) = row.closed_at else { continue };
            if from_t.is_some_and(|f| closed < f) || to_t.is_some_and(|t| closed >= t) {
                continue;
            }
            let deal = DealRef { id: row.id, title: row.title.clone() };
            let owner = handoff_domain::assignment::who_acts(
                &dir,
                handoff_domain::directory::Department::Fulfilment,
                row.fulfilment_owner.unwrap_or(row.sales_owner),
                cal.local_date(now),
            );
            open.push(crate::view::open_dwell(&dir, cal, &deal, closed, owner, now));
        }
        open.sort_by(|a, b| a.closed_at.cmp(&b.closed_at).then(a.deal.cmp(&b.deal)));
        Ok(DwellReport {
            on_target: dwell_on_target(&s, open.iter().filter(|o| o.waiting.breached).count()),
            stats: s,
            worst_deal_title,
            one_business_day_hours: hours(cal.one_business_day()),
            open,
            distribution,
        })
    })
}

/// The most weeks a trend or a custom range shows: two years.
const MOST_WEEKS: i64 = 104;
/// The most months the monthly service figures show.
const MOST_MONTHS: u32 = 24;

/// The dwell trend over a range, week by week (ISO weeks, agency dates): for each week from the
/// one of `from` to the one of `to` (else this week), the figures of the deals closed that week
/// (the first and last weeks only on the range's days) and handed off so far; a week with none
/// is a gap. Without `from`: from the week of the first
/// close, at most the last two years. Oldest week first.
pub fn dwell_weekly(ctx: &Ctx, req: RangeRequest) -> Result<Vec<WeeklyDwell>, ApiError> {
    let now = ctx.now();
    let (from, to) = range(&req)?;
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let last = monday_of(to.unwrap_or_else(|| cal.local_date(now)));
        let first = match from {
            Some(f) => monday_of(f),
            None => query::first_close(c)?.map(|t| monday_of(cal.local_date(t))).unwrap_or(last).min(last),
        };
        let first = first.max(last - Duration::weeks(MOST_WEEKS - 1));
        let mut trend = Vec::new();
        let mut monday = first;
        while monday <= last {
            // The first and last weeks count only the days of the range.
            let start = from.map_or(monday, |f| f.max(monday));
            let end =
                to.map_or(monday + Duration::weeks(1), |t| (t + Duration::days(1)).min(monday + Duration::weeks(1)));
            let samples = query::dwell_samples(c, Some(cal.day_start(start)), Some(cal.day_start(end)))?;
            let iso = monday.iso_week();
            let stats = dwell_stats(samples, cal.one_business_day());
            trend.push(WeeklyDwell {
                week: format!("{}-W{:02}", iso.year(), iso.week()),
                monday,
                gap: stats.handed_off == 0,
                stats,
            });
            monday += Duration::weeks(1);
        }
        Ok(trend)
    })
}

/// The spans the metrics can be read over, on the agency's today.
pub fn metrics_periods(ctx: &Ctx) -> Result<MetricsPeriods, ApiError> {
    let now = ctx.now();
    ctx.store().read(|c| {
        let today = query::directory(c)?.calendar()?.local_date(now);
        let periods = Period::ALL
            .into_iter()
            .map(|period| {
                let (from, to) = period.span(today);
                PeriodDto { period, label: period.label().to_string(), from, to }
            })
            .collect();
        let this_monday = monday_of(today);
        let weeks = (0..MOST_WEEKS)
            .map(|back| this_monday - Duration::weeks(back))
            .map(|monday| WeekSpan { monday, sunday: monday + Duration::days(6) })
            .collect();
        Ok(MetricsPeriods { periods, default: Period::Last12Weeks, weeks })
    })
}

/// Dwell before and after a change made on `req.on`: the deals closed in the whole weeks before
/// it against those closed in the whole weeks from it.
pub fn dwell_before_after(ctx: &Ctx, req: BeforeAfterRequest) -> Result<BeforeAfter, ApiError> {
    let on = crate::input::parse_date(&req.on, "the day of the change")?;
    for (weeks, which) in [(req.weeks_before, "before"), (req.weeks_after, "after")] {
        if !(1..=26).contains(&weeks) {
            return Err(ApiError::invalid(format!("{weeks} weeks {which} the change: compare 1 to 26 weeks")));
        }
    }
    let (before, after) = before_and_after(on, req.weeks_before, req.weeks_after);
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let today = cal.local_date(now);
        if on > today {
            return Err(ApiError::invalid(format!(
                "the change on {on} has not been made yet (today is {today}): compare around a day that has passed"
            )));
        }
        // When each deal still waiting for its handoff closed: one late puts its span off target.
        let waiting_since: Vec<_> =
            query::deals(c, Some(DealStatus::Won))?.iter().filter_map(|d| d.closed_at).collect();
        let span = |(from, to): (chrono::NaiveDate, chrono::NaiveDate)| -> Result<DwellSpan, ApiError> {
            // Weeks still to come are not judged: the span runs to today, and says so.
            let (to, so_far) = if to > today { (today, true) } else { (to, false) };
            let (from_t, to_t) = (cal.day_start(from), cal.day_start(to + Duration::days(1)));
            let samples = query::dwell_samples(c, Some(from_t), Some(to_t))?;
            let stats = dwell_stats(samples, cal.one_business_day());
            let worst_deal_title = match stats.worst_deal {
                Some(id) => query::deal(c, id)?.map(|d| d.title),
                None => None,
            };
            let late = waiting_since
                .iter()
                .filter(|closed| **closed >= from_t && **closed < to_t)
                .filter(|closed| handoff_domain::metrics::waiting(cal, **closed, now).breached)
                .count();
            Ok(DwellSpan { from, to, so_far, on_target: dwell_on_target(&stats, late), worst_deal_title, stats })
        };
        Ok(BeforeAfter {
            on,
            before: span(before)?,
            after: span(after)?,
            one_business_day_hours: hours(cal.one_business_day()),
        })
    })
}

fn range(req: &RangeRequest) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), ApiError> {
    let (from, to) = date_range(req.from.as_deref(), req.to.as_deref())?;
    Ok((from, to))
}

/// Fulfilment→Service: service handoffs done and on time (≥ 72 h before the trip), mean lead,
/// asks per delivered trip (only those the brief should have covered) and asks by topic. The
/// range selects trips by their start date.
pub fn metrics_service(ctx: &Ctx, req: RangeRequest) -> Result<ServiceMetrics, ApiError> {
    let now = ctx.now();
    let (from, to) = range(&req)?;
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let f = service_figures_of(&service_tally(c, cal, from, to, now)?);
        Ok(ServiceMetrics {
            asks_target_below: ASKS_PER_TRIP_BELOW,
            asks_on_target: asks_on_target(&f),
            service_handoffs_done: f.done,
            on_time: f.on_time,
            on_time_share: f.on_time_share,
            mean_lead_hours: f.mean_lead_hours,
            delivered_trips: f.delivered_trips,
            asks_per_trip: f.asks_per_trip,
            asks_by_topic: f
                .by_topic
                .into_iter()
                .map(|(topic, asks, covered)| TopicCount { topic, asks, brief_should_have_covered: covered })
                .collect(),
        })
    })
}

/// The service figures' counts over the trips starting between `from` and `to` (local dates,
/// inclusive).
fn service_tally(
    c: &handoff_store::Connection,
    cal: &handoff_domain::calendar::Calendar,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ServiceTally, ApiError> {
    let (start, end) = (from.map(|d| cal.day_start(d)), to.map(|d| cal.day_start(d + Duration::days(1))));
    // A trip is over at the midnight after its last day: before today, by the agency's date.
    let on_time_seconds = SERVICE_LEAD_HOURS * 3600;
    Ok(query::service_tally(c, start, end, cal.local_date(now), on_time_seconds)?)
}

/// The Fulfilment→Service figures month by month (calendar months, agency dates; trips by start
/// date), from the month of `from` to that of `to` (else this month), the first and last months
/// counting only the range's days. Without `from`: from the first trip; at most two years. A month
/// with nothing to judge is a gap.
pub fn metrics_service_monthly(ctx: &Ctx, req: RangeRequest) -> Result<Vec<MonthlyService>, ApiError> {
    let now = ctx.now();
    let (from, to) = range(&req)?;
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let first_of = |d: chrono::NaiveDate| d.with_day(1).expect("every month has a first day");
        let last = first_of(to.unwrap_or_else(|| cal.local_date(now)));
        let earliest = last.checked_sub_months(chrono::Months::new(MOST_MONTHS - 1)).unwrap_or(last);
        // Without a start: from the month of the first trip.
        let first_trip = query::first_trip_start(c)?.map(|t| first_of(cal.local_date(t))).unwrap_or(last);
        let mut month = from.map(first_of).unwrap_or(first_trip).max(earliest).min(last);
        let mut out = Vec::new();
        while month <= last {
            let next = month.checked_add_months(chrono::Months::new(1)).expect("a month after");
            // The first and last months count only the days of the range.
            let start = from.map_or(month, |f| f.max(month));
            let end = to.map_or(next - Duration::days(1), |t| t.min(next - Duration::days(1)));
            let f = service_figures_of(&service_tally(c, cal, Some(start), Some(end), now)?);
            out.push(MonthlyService {
                month: month.format("%Y-%m").to_string(),
                first_day: month,
                service_handoffs_done: f.done,
                on_time_share: (f.done > 0).then_some(f.on_time_share),
                delivered_trips: f.delivered_trips,
                asks_per_trip: (f.delivered_trips > 0).then_some(f.asks_per_trip),
            });
            month = next;
        }
        Ok(out)
    })
}

/// Service→Sales: trips back, reviews held (started, even with nothing picked), picks, follow-ups within ten days, renewal rate of
/// picked calls against cold outreach, and the lift. The range selects trips by end date, picks
/// by review date and cold outreach by its date.
pub fn metrics_loop(ctx: &Ctx, req: RangeRequest) -> Result<LoopMetrics, ApiError> {
    let now = ctx.now();
    let (from, to) = range(&req)?;
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let today = cal.local_date(now);
        let last_back = to.unwrap_or(today).min(today - Duration::days(1));
        let first = from.unwrap_or(chrono::NaiveDate::MIN);
        let trips_back = if last_back < first { 0 } else { query::trips_ending_count(c, first, last_back)? };
        let picked = query::follow_ups(c, from, to)?;
        // Held: started, or (before reviews were started and ended) with a trip picked.
        let reviews = query::reviews_held(c, from, to)?;
        let picks: Vec<PickSample> = picked
            .iter()
            .filter_map(|(trip_end, f)| {
                Some(PickSample {
                    trip_end: (*trip_end)?,
                    done_on: f.done_at.map(|t| cal.local_date(t)),
                    outcome: f.outcome,
                })
            })
            .collect();
        let cold: Vec<(u32, u32)> =
            query::cold_outreach(c, from, to)?.iter().map(|o| (o.attempts, o.renewals)).collect();
        let f = loop_figures(&picks, &cold);
        Ok(LoopMetrics {
            trips_back,
            reviews_held: reviews.len(),
            lift_target_percent: RENEWAL_LIFT_TARGET_PERCENT,
            lift_on_target: lift_on_target(&f),
            figures: f,
        })
    })
}

/// Founder escalations per ISO week and per quarter (agency dates).
pub fn metrics_escalations(ctx: &Ctx, req: RangeRequest) -> Result<EscalationMetrics, ApiError> {
    let (from, to) = range(&req)?;
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let days: Vec<chrono::NaiveDate> = query::escalations(c)?
            .iter()
            .map(|e| cal.local_date(e.at))
            .filter(|d| from.is_none_or(|f| *d >= f) && to.is_none_or(|t| *d <= t))
            .collect();
        let last = to.unwrap_or_else(|| cal.local_date(now));
        let first = from.or_else(|| days.iter().min().copied()).unwrap_or(last).min(last);
        let periods = |v: Vec<(String, usize)>| {
            v.into_iter().map(|(period, escalations)| PeriodCount { period, escalations }).collect()
        };
        let quarter_ago = last - chrono::Duration::days(7 * 13);
        let last_13_weeks = days.iter().filter(|d| **d > quarter_ago && **d <= last).count();
        let quarters = per_quarter(&days, first, last);
        let over = quarters
            .iter()
            .filter(|(_, n)| *n > ESCALATIONS_TARGET_PER_QUARTER)
            .map(|(q, n)| (q.clone(), n - ESCALATIONS_TARGET_PER_QUARTER))
            .collect();
        Ok(EscalationMetrics {
            total: days.len(),
            per_week: periods(per_iso_week(&days, first, last)),
            per_quarter: periods(quarters),
            quarters_over_target: periods(over),
            first,
            last,
            target_per_quarter: ESCALATIONS_TARGET_PER_QUARTER,
            before_per_week: ESCALATIONS_BEFORE_PER_WEEK,
            last_13_weeks,
            on_target: last_13_weeks <= ESCALATIONS_TARGET_PER_QUARTER,
        })
    })
}
