//! Handoff 3, Service → Sales. On the trip, Service logs every question it had to ask a
//! traveller, and whether the brief should have covered it; once the trip is over, Service
//! records the signal (sentiment and strength); at the Tuesday review the Sales lead picks up to
//! the agency's limit of the trips that ended the week before, each pick a personal follow-up
//! call due ten days after the trip's end, whose outcome is recorded.
//!
//! | from                | event                            | to        | test                                                  |
//! |---------------------|----------------------------------|-----------|-------------------------------------------------------|
//! | won, h-off, on trip | ask_logged                       | same      | `asks_are_logged_during_the_trip`                     |
//! | before the trip     | ask_logged                       | refused   | `asks_are_logged_during_the_trip`                     |
//! | open, lost          | ask_logged, signal_recorded      | refused   | `an_undelivered_deal_has_no_trip_to_ask_or_signal`    |
//! | after the trip      | signal_recorded                  | same      | `the_signal_is_recorded_once_the_trip_is_over`        |
//! | during the trip     | signal_recorded                  | refused   | `the_signal_is_recorded_once_the_trip_is_over`        |
//! | any                 | signal_recorded, strength not 1–5 | refused  | `the_signal_is_recorded_once_the_trip_is_over`        |
//! | after the trip      | review_picked (its review, under the limit) | picked | `a_pick_creates_a_follow_up_call_for_the_sales_lead` |
//! | after the trip      | review_picked at another review  | refused   | `a_pick_belongs_to_the_review_of_its_trip_end`        |
//! | after the trip      | review_picked over the limit     | refused   | `a_review_picks_no_more_than_the_limit`               |
//! | picked              | review_picked                    | refused   | `a_trip_is_picked_once`                               |
//! | picked              | follow_up_recorded               | followed up | `a_pick_creates_a_follow_up_call_for_the_sales_lead` |
//! | not picked          | follow_up_recorded               | refused   | `a_follow_up_needs_a_pick_is_recorded_once_and_changed_later_when_the_renewal_comes` |
//! | followed up         | follow_up_recorded               | refused   | `a_follow_up_needs_a_pick_is_recorded_once_and_changed_later_when_the_renewal_comes` |
//! | followed up         | follow_up_updated (another outcome or renewed deal) | followed up | `a_follow_up_needs_a_pick_is_recorded_once_and_changed_later_when_the_renewal_comes` |
//! | picked, not followed up | follow_up_updated            | refused   | `a_follow_up_needs_a_pick_is_recorded_once_and_changed_later_when_the_renewal_comes` |
//! | followed up         | follow_up_updated, renewed into itself | refused | `a_follow_up_needs_a_pick_is_recorded_once_and_changed_later_when_the_renewal_comes` |

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::fulfilment_to_service::check_note;
use super::{illegal, illegal_arm, local, Deal, FoldContext, Task};
use crate::calendar::Calendar;
use crate::directory::{check_name, Department, Directory};
use crate::event::EventBody;
use crate::ids::{AskId, DealId, TaskId, TravellerId};
use crate::review::{follow_up_due, review_for_trip_end, ReviewWindow, FOLLOW_UP_TITLE};
use crate::service::trip_ended_at;
use crate::trip::{Ask, AskTopic, Outcome, Sentiment, Signal};
use crate::RuleError;

/// A day of a trip under way: "day 3 of 6".
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripDay {
    pub day: NaiveDate,
    /// 1 for the trip's first day.
    pub number: i64,
    /// How many days the trip has.
    pub of: i64,
}

/// A follow-up call picked at a Tuesday review.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub review: NaiveDate,
    pub task: TaskId,
    pub outcome: Option<Outcome>,
    pub renewed_deal: Option<DealId>,
    pub done_at: Option<DateTime<Utc>>,
    /// When the outcome was last changed after the call was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl Deal {
    // ---- on and after the trip --------------------------------------------------------------

    /// Logs a question Service had to ask a traveller during the trip.
    #[allow(clippy::too_many_arguments)]
    pub fn log_ask(
        &self,
        dir: &Directory,
        at: DateTime<Utc>,
        id: AskId,
        traveller: Option<TravellerId>,
        topic: AskTopic,
        text: String,
        brief_should_have_covered: bool,
    ) -> Result<Vec<EventBody>, RuleError> {
        self.can_log_ask(dir, at)?;
        self.check_ask_traveller(traveller)?;
        check_name("the ask", &text)?;
        check_note("the ask", &text)?;
        Ok(vec![EventBody::AskLogged { deal: self.id, ask: id, traveller, topic, text, brief_should_have_covered }])
    }

    /// Whether an ask can be logged at `at`, and why not: a won deal's trip that has started
    /// (asks after its end still count: a traveller may write once home).
    pub fn can_log_ask(&self, dir: &Directory, at: DateTime<Utc>) -> Result<(), RuleError> {
        let cal = dir.calendar()?;
        self.require_delivery(cal, "asks are logged on a won deal's trip")?;
        self.check_on_trip(cal, at)
    }

    /// Whether the signal can be recorded at `at`, and why not: a won deal's trip that is over.
    pub fn can_record_signal(&self, dir: &Directory, at: DateTime<Utc>) -> Result<(), RuleError> {
        let cal = dir.calendar()?;
        self.require_delivery(cal, "the signal is recorded for a won deal's trip")?;
        self.check_trip_over(cal, at).map(|_| ())
    }

    /// Records how the travellers came back: only once the trip has ended.
    pub fn record_signal(
        &self,
        dir: &Directory,
        at: DateTime<Utc>,
        sentiment: Sentiment,
        strength: u8,
        note: String,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require_delivery(cal, "the signal is recorded for a won deal's trip")?;
        if !(1..=5).contains(&strength) {
            return Err(RuleError::StrengthOutOfRange(strength));
        }
        check_note("the note", &note)?;
        self.check_trip_over(cal, at)?;
        Ok(vec![EventBody::SignalRecorded { deal: self.id, sentiment, strength, note }])
    }

    /// The Sales lead picks this trip at the review of `window.review`, which has `picks_so_far`
    /// picks already: a follow-up call task for the Sales lead, due ten days after the trip end.
    pub fn pick(
        &self,
        dir: &Directory,
        window: &ReviewWindow,
        picks_so_far: usize,
        task: TaskId,
        at: DateTime<Utc>,
    ) -> Result<Vec<EventBody>, RuleError> {
        let agency = dir.agency()?;
        let cal = &agency.calendar;
        let end = self.check_pick(dir, window, picks_so_far, at)?;
        let lead = dir.staffing(Department::Sales).lead.ok_or(RuleError::NoSalesLead)?;
        let due = follow_up_due(end);
        Ok(vec![
            EventBody::ReviewPicked { deal: self.id, review: window.review, task },
            EventBody::TaskCreated {
                task,
                deal: self.id,
                title: FOLLOW_UP_TITLE.into(),
                owner: lead,
                due_at: cal.to_utc(due.and_time(cal.hours.end)),
            },
        ])
    }

    /// Records the follow-up call's outcome and closes its task; once recorded, changes it (the
    /// renewal may come months after the call; the call keeps its day).
    pub fn record_follow_up(
        &self,
        dir: &Directory,
        outcome: Outcome,
        renewed_deal: Option<DealId>,
    ) -> Result<Vec<EventBody>, RuleError> {
        dir.agency()?;
        let f = self.follow_up.as_ref().ok_or_else(|| RuleError::NotPicked { deal: self.title.clone() })?;
        if renewed_deal == Some(self.id) {
            return Err(RuleError::RenewedIntoItself { deal: self.title.clone() });
        }
        let renewed_deal = renewed_deal.filter(|_| outcome == Outcome::Renewed);
        if let Some(o) = f.outcome {
            if o == outcome && f.renewed_deal == renewed_deal {
                return Err(RuleError::FollowUpAlreadyDone { deal: self.title.clone(), outcome: o.to_string() });
            }
            return Ok(vec![EventBody::FollowUpUpdated { deal: self.id, outcome, renewed_deal }]);
        }
        let mut events = vec![EventBody::FollowUpRecorded { deal: self.id, outcome, renewed_deal }];
        if self.tasks.iter().any(|t| t.id == f.task && t.done_at.is_none()) {
            events.push(EventBody::TaskCompleted { task: f.task, deal: self.id });
        }
        Ok(events)
    }

    /// The day of the trip `at` falls on while it is under way (from its start to the end of its
    /// last day, agency time): the day and its number, 1 for the first, of how many.
    pub fn trip_day(&self, cal: &Calendar, at: DateTime<Utc>) -> Option<TripDay> {
        if !self.is_delivering() {
            return None;
        }
        let (first, last) = (self.trip.start?, self.trip.end?);
        if at < self.trip_start_at(cal)? || at >= trip_ended_at(&self.trip, cal)? {
            return None;
        }
        let day = cal.local_date(at);
        Some(TripDay { day, number: (day - first).num_days() + 1, of: (last - first).num_days() + 1 })
    }

    // ---- the rules the decisions and the fold share -------------------------------------------

    /// The trip has started by `at`.
    fn check_on_trip(&self, cal: &Calendar, at: DateTime<Utc>) -> Result<(), RuleError> {
        let start = self
            .trip_start_at(cal)
            .ok_or_else(|| RuleError::NoTripDates { deal: self.title.clone(), what: "start date" })?;
        if at < start {
            return Err(RuleError::TripNotStarted { deal: self.title.clone(), starts: local(cal, start) });
        }
        Ok(())
    }

    /// An ask names one of the trip's travellers, or nobody in particular.
    fn check_ask_traveller(&self, traveller: Option<TravellerId>) -> Result<(), RuleError> {
        match traveller {
            Some(t) if self.traveller(t).is_none() => Err(self.no_such("traveller", t.to_string())),
            _ => Ok(()),
        }
    }

    /// The trip is over by `at`: its last day has ended. Returns that last day.
    fn check_trip_over(&self, cal: &Calendar, at: DateTime<Utc>) -> Result<NaiveDate, RuleError> {
        let (Some(last_day), Some(ended)) = (self.trip.end, trip_ended_at(&self.trip, cal)) else {
            return Err(RuleError::NoTripDates { deal: self.title.clone(), what: "end date" });
        };
        if at < ended {
            return Err(RuleError::TripNotEnded { deal: self.title.clone(), last_day });
        }
        Ok(last_day)
    }

    /// The trip can be picked at `window`'s review, which has `picks_so_far` picks already: a
    /// delivered trip that ended in the window and is over, not picked before, under the limit.
    /// Returns the trip's last day.
    fn check_pick(
        &self,
        dir: &Directory,
        window: &ReviewWindow,
        picks_so_far: usize,
        at: DateTime<Utc>,
    ) -> Result<NaiveDate, RuleError> {
        let agency = dir.agency()?;
        self.require_delivery(&agency.calendar, "only won deals' trips come to the review")?;
        let end = self.trip.end.ok_or_else(|| RuleError::NoTripDates { deal: self.title.clone(), what: "end date" })?;
        if !window.contains(end) {
            return Err(RuleError::OutsideWindow {
                deal: self.title.clone(),
                end,
                review: window.review,
                first: window.first,
                last: window.last,
                belongs: review_for_trip_end(end),
            });
        }
        self.check_trip_over(&agency.calendar, at)?;
        if let Some(f) = &self.follow_up {
            return Err(RuleError::AlreadyPicked { deal: self.title.clone(), review: f.review });
        }
        if picks_so_far >= usize::from(agency.review_picks) {
            return Err(RuleError::TooManyPicks { review: window.review, limit: agency.review_picks });
        }
        Ok(end)
    }

    // ---- queries ----------------------------------------------------------------------------

    /// The open follow-up task, if any.
    pub fn follow_up_task(&self) -> Option<&Task> {
        let f = self.follow_up.as_ref()?;
        self.tasks.iter().find(|t| t.id == f.task)
    }

    // ---- the fold ---------------------------------------------------------------------------

    /// The fold arms of handoff 3.
    pub(super) fn apply_service_to_sales(
        &mut self,
        body: &EventBody,
        at: DateTime<Utc>,
        ctx: &FoldContext<'_>,
    ) -> Result<(), RuleError> {
        let illegal = |reason: &str| illegal(body, reason);
        let refused = |e: RuleError| illegal(&e.to_string());
        let cal = ctx.directory.calendar()?;
        match body {
            EventBody::AskLogged { ask, traveller, topic, text, brief_should_have_covered, .. } => {
                if !self.is_delivering() {
                    return Err(illegal("asks are logged on a won deal's trip"));
                }
                self.check_on_trip(cal, at).map_err(refused)?;
                self.check_ask_traveller(*traveller).map_err(refused)?;
                if self.asks.iter().any(|a| a.id == *ask) {
                    return Err(illegal("the ask is logged already"));
                }
                self.asks.push(Ask {
                    id: *ask,
                    traveller: *traveller,
                    topic: *topic,
                    text: text.clone(),
                    brief_should_have_covered: *brief_should_have_covered,
                    at,
                });
            }
            EventBody::SignalRecorded { sentiment, strength, note, .. } => {
                if !self.is_delivering() {
                    return Err(illegal("the signal is recorded for a won deal's trip"));
                }
                if !(1..=5).contains(strength) {
                    return Err(illegal("strength is 1 to 5"));
                }
                self.check_trip_over(cal, at).map_err(refused)?;
                self.signal = Some(Signal { sentiment: *sentiment, strength: *strength, note: note.clone(), at });
            }
            EventBody::ReviewPicked { review, task, .. } => {
                let window = ReviewWindow::for_review(*review).map_err(|e| illegal(&e.to_string()))?;
                self.check_pick(ctx.directory, &window, ctx.picks_at_review, at).map_err(refused)?;
                self.follow_up = Some(FollowUp {
                    review: *review,
                    task: *task,
                    outcome: None,
                    renewed_deal: None,
                    done_at: None,
                    updated_at: None,
                });
            }
            EventBody::FollowUpRecorded { deal, outcome, renewed_deal }
            | EventBody::FollowUpUpdated { deal, outcome, renewed_deal } => {
                let first = matches!(body, EventBody::FollowUpRecorded { .. });
                if renewed_deal.is_some() && *outcome != Outcome::Renewed {
                    return Err(illegal("only a renewal names a renewed deal"));
                }
                // (A recorded call folds as it always did: the rule came with changing one.)
                if !first && *renewed_deal == Some(*deal) {
                    return Err(illegal("a deal cannot be its own renewal"));
                }
                let f = self.follow_up.as_mut().ok_or_else(|| illegal("not picked"))?;
                match (first, f.outcome.is_some()) {
                    (true, true) => return Err(illegal("recorded already")),
                    (false, false) => return Err(illegal("the call is not recorded yet")),
                    (true, false) => f.done_at = Some(at),
                    (false, true) => f.updated_at = Some(at),
                }
                f.outcome = Some(*outcome);
                f.renewed_deal = *renewed_deal;
            }
            other => return Err(illegal_arm(other)),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
