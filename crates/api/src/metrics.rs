//! The dwell report: close → handoff, for handed-off deals and, live, for those still waiting.

use chrono::Duration;
use handoff_domain::deal::DealStatus;
use handoff_domain::metrics::{dwell_stats, waiting};
use handoff_store::query;

use crate::dto::*;
use crate::input::parse_date;
use crate::view::{hours, person_ref};
use crate::{ApiError, Ctx};

/// Dwell-time figures for deals closed between `from` and `to` (local dates, inclusive), and
/// every won deal still waiting for its handoff with its dwell so far.
pub fn dwell(ctx: &Ctx, req: DwellRequest) -> Result<DwellReport, ApiError> {
    let now = ctx.now();
    let from = req.from.as_deref().map(|d| parse_date(d, "--from")).transpose()?;
    let to = req.to.as_deref().map(|d| parse_date(d, "--to")).transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(ApiError::invalid(format!("--to {t} is before --from {f}: give the range in order")));
        }
    }
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?;
        let midnight = |d: chrono::NaiveDate| cal.to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"));
        let from_t = from.map(midnight);
        let to_t = to.map(|d| midnight(d + Duration::days(1)));
        let samples = query::dwell_samples(c, from_t, to_t)?;
        let s = dwell_stats(&samples, cal.one_business_day());
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
            let w = waiting(cal, closed, now);
            open.push(OpenDwell {
                deal: row.id,
                title: row.title.clone(),
                closed_at: closed,
                hours_waiting: w.hours_waiting,
                business_hours_waiting: w.business_hours_waiting,
                breached: w.breached,
                urgency: w.urgency,
                deadline: w.deadline,
                should_act: person_ref(&dir, row.fulfilment_owner.unwrap_or(row.sales_owner)),
            });
        }
        open.sort_by(|a, b| a.closed_at.cmp(&b.closed_at).then(a.deal.cmp(&b.deal)));
        Ok(DwellReport {
            handed_off: s.handed_off,
            mean_hours: s.mean_hours,
            median_hours: s.median_hours,
            p90_hours: s.p90_hours,
            worst_hours: s.worst_hours,
            worst_deal: s.worst_deal,
            worst_deal_title,
            over_one_business_day: s.over_one_business_day,
            mean_business_hours: s.mean_business_hours,
            median_business_hours: s.median_business_hours,
            p90_business_hours: s.p90_business_hours,
            worst_business_hours: s.worst_business_hours,
            one_business_day_hours: hours(cal.one_business_day()),
            open,
        })
    })
}
