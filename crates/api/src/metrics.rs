//! The dwell report: close → handoff, for handed-off deals and, live, for those still waiting.

use chrono::{Datelike, Duration};
use handoff_domain::deal::DealStatus;
use handoff_domain::metrics::{
    dwell_distribution, dwell_stats, loop_figures, per_iso_week, per_quarter, service_figures, PickSample,
    ServiceSample, ESCALATIONS_BEFORE_PER_WEEK, ESCALATIONS_TARGET_PER_QUARTER,
};
use handoff_domain::service::trip_ended_at;
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
        let midnight = |d: chrono::NaiveDate| cal.to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"));
        let from_t = from.map(midnight);
        let to_t = to.map(|d| midnight(d + Duration::days(1)));
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
            stats: s,
            worst_deal_title,
            one_business_day_hours: hours(cal.one_business_day()),
            open,
            distribution,
        })
    })
}

/// The dwell trend: for each of the last `weeks` ISO weeks (this one included, agency zone), the
/// figures of the deals closed that week and handed off so far. Oldest week first.
pub fn dwell_trend(ctx: &Ctx, weeks: u32) -> Result<Vec<WeeklyDwell>, ApiError> {
    if !(1..=104).contains(&weeks) {
        return Err(ApiError::invalid(format!("{weeks} weeks: ask for 1 to 104 weeks of trend")));
    }
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let today = cal.local_date(now);
        let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let midnight = |d: chrono::NaiveDate| cal.to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"));
        let mut trend = Vec::with_capacity(weeks as usize);
        for back in (0..i64::from(weeks)).rev() {
            let monday = this_monday - Duration::weeks(back);
            let samples = query::dwell_samples(c, Some(midnight(monday)), Some(midnight(monday + Duration::weeks(1))))?;
            let iso = monday.iso_week();
            trend.push(WeeklyDwell {
                week: format!("{}-W{:02}", iso.year(), iso.week()),
                monday,
                stats: dwell_stats(samples, cal.one_business_day()),
            });
        }
        Ok(trend)
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
        let midnight = |d: chrono::NaiveDate| cal.to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"));
        let deals = query::trips_starting(c, from.map(midnight), to.map(|d| midnight(d + Duration::days(1))))?;
        let samples: Vec<ServiceSample> = deals
            .iter()
            .filter_map(|d| {
                Some(ServiceSample {
                    trip_start: d.trip_start_at(cal)?,
                    completed_at: d.service.as_ref().and_then(|s| s.completed_at),
                    delivered: trip_ended_at(&d.trip, cal).is_some_and(|e| e <= now),
                    asks: d.asks.iter().map(|a| (a.topic, a.brief_should_have_covered)).collect(),
                })
            })
            .collect();
        let f = service_figures(&samples);
        Ok(ServiceMetrics {
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
        let trips_back = if last_back < first { 0 } else { query::trips_ending(c, first, last_back)?.len() };
        let picked = query::picked(c, from, to)?;
        // Held: started, or (before reviews were started and ended) with a trip picked.
        let reviews = query::reviews_held(c, from, to)?;
        let picks: Vec<PickSample> = picked
            .iter()
            .filter_map(|d| {
                let f = d.follow_up.as_ref()?;
                Some(PickSample {
                    trip_end: d.trip.end?,
                    done_on: f.done_at.map(|t| cal.local_date(t)),
                    outcome: f.outcome,
                })
            })
            .collect();
        let cold: Vec<(u32, u32)> =
            query::cold_outreach(c, from, to)?.iter().map(|o| (o.attempts, o.renewals)).collect();
        let f = loop_figures(&picks, &cold);
        Ok(LoopMetrics { trips_back, reviews_held: reviews.len(), figures: f })
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
