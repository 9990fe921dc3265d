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
