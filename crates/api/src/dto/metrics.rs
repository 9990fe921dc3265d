//! The figures: dwell from close to handoff (live and week by week), the service handoff, the loop
//! from review to renewal, and founder escalations.

use chrono::{DateTime, NaiveDate, Utc};
use handoff_domain::ids::DealId;
use handoff_domain::metrics::{DwellStats, Waiting};
use serde::{Deserialize, Serialize};

use super::PersonRef;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DwellRequest {
    /// Deals closed on or after this local date.
    pub from: Option<String>,
    /// Deals closed on or before this local date.
    pub to: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OpenDwell {
    pub deal: DealId,
    pub title: String,
    pub closed_at: DateTime<Utc>,
    /// Dwell so far: `hours_waiting`, `business_hours_waiting`, `breached`, `urgency`, `deadline`.
    #[serde(flatten)]
    pub waiting: Waiting,
    /// The named person who should act now: the acting fulfilment owner.
    pub should_act: PersonRef,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DwellReport {
    /// `handed_off`, `mean_hours`, `median_hours`, `p90_hours`, `worst_hours`, `worst_deal`,
    /// `over_one_business_day` and the same in business hours.
    #[serde(flatten)]
    pub stats: DwellStats,
    pub worst_deal_title: Option<String>,
    pub one_business_day_hours: f64,
    /// Every handoff of the range inside one business day, the playbook's aim (none with nothing
    /// handed off).
    pub on_target: Option<bool>,
    pub open: Vec<OpenDwell>,
    /// The handed-off deals of the range by business-time dwell.
    pub distribution: Vec<handoff_domain::metrics::DwellBucket>,
}

/// One ISO week of the dwell trend: deals closed that week (agency zone) and handed off.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeeklyDwell {
    /// `2026-W48`.
    pub week: String,
    /// The Monday of that week.
    pub monday: NaiveDate,
    #[serde(flatten)]
    pub stats: DwellStats,
    /// Nothing closed that week was handed off: a gap in the trend, not 0 hours.
    pub gap: bool,
}

/// The spans the metrics can be read over, resolved on the agency's today.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MetricsPeriods {
    pub periods: Vec<PeriodDto>,
    /// The one shown first.
    pub default: handoff_domain::metrics::Period,
    /// The last two years of weeks, newest first: a custom range, or the week of a change, is
    /// picked among them.
    pub weeks: Vec<WeekSpan>,
}

/// One ISO week, Monday to Sunday.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeekSpan {
    pub monday: NaiveDate,
    pub sunday: NaiveDate,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PeriodDto {
    pub period: handoff_domain::metrics::Period,
    pub label: String,
    /// First and last day, inclusive; none for all time.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One calendar month (agency dates) of the Fulfilment→Service figures.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MonthlyService {
    /// `2026-11`.
    pub month: String,
    pub first_day: NaiveDate,
    pub service_handoffs_done: usize,
    /// None when no service handoff was done that month (a gap).
    pub on_time_share: Option<f64>,
    pub delivered_trips: usize,
    /// None when no trip ended that month (a gap).
    pub asks_per_trip: Option<f64>,
}

/// Dwell before and after a change ("the week before the contract, three weeks after").
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BeforeAfterRequest {
    /// The day the change was made (YYYY-MM-DD).
    pub on: String,
    /// Whole weeks before it (1 to 26).
    pub weeks_before: u32,
    /// Whole weeks from it (1 to 26).
    pub weeks_after: u32,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BeforeAfter {
    pub on: NaiveDate,
    pub before: DwellSpan,
    pub after: DwellSpan,
    pub one_business_day_hours: f64,
}

/// The dwell of deals closed between two days (inclusive).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DwellSpan {
    pub from: NaiveDate,
    /// The last day counted: today when the weeks asked for run on past it.
    pub to: NaiveDate,
    /// The span runs on past today: its figures are so far.
    pub so_far: bool,
    #[serde(flatten)]
    pub stats: DwellStats,
    pub worst_deal_title: Option<String>,
    pub on_target: Option<bool>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RangeRequest {
    pub from: Option<String>,
    pub to: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TopicCount {
    pub topic: handoff_domain::trip::AskTopic,
    pub asks: usize,
    pub brief_should_have_covered: usize,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServiceMetrics {
    pub service_handoffs_done: usize,
    pub on_time: usize,
    pub on_time_share: f64,
    pub mean_lead_hours: f64,
    pub delivered_trips: usize,
    /// Asks the brief should have covered, per delivered trip (target: under 1).
    pub asks_per_trip: f64,
    /// The playbook's aim: under this many per trip.
    pub asks_target_below: f64,
    /// Under it (none before any trip was delivered).
    pub asks_on_target: Option<bool>,
    pub asks_by_topic: Vec<TopicCount>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoopMetrics {
    pub trips_back: usize,
    pub reviews_held: usize,
    /// Picks, follow-ups, renewal rates and the lift, as the domain computes them.
    #[serde(flatten)]
    pub figures: handoff_domain::metrics::LoopFigures,
    /// The playbook's lift of picked calls over the cold list, in percent.
    pub lift_target_percent: f64,
    /// At or above it (none until there is a lift).
    pub lift_on_target: Option<bool>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PeriodCount {
    /// `2026-W49` or `2026-Q4`.
    pub period: String,
    pub escalations: usize,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EscalationMetrics {
    pub total: usize,
    /// Every ISO week of the span, a quiet one with 0.
    pub per_week: Vec<PeriodCount>,
    /// Every quarter of the span, a quiet one with 0.
    pub per_quarter: Vec<PeriodCount>,
    /// The span counted: from the range's start (else the first escalation) to its end (else today).
    pub first: chrono::NaiveDate,
    pub last: chrono::NaiveDate,
    /// The playbook's aim: about one a quarter.
    pub target_per_quarter: usize,
    /// The quarters above that aim, each with how many escalations it had beyond it.
    pub quarters_over_target: Vec<PeriodCount>,
    /// Where the playbook started: one a week.
    pub before_per_week: usize,
    /// Escalations in the last 13 weeks of the span (a quarter's worth), against the target.
    pub last_13_weeks: usize,
    pub on_target: bool,
}
