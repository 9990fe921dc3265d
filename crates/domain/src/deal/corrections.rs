//! Mistakes corrected by new events, never by edits: a won deal's close time (the dwell counts
//! from it), a lost deal opened again, a deal's title, customer or value. Each says why, and the
//! timeline shows it beside what it corrects.
//!
//! | from            | event                 | to   | test                                                    |
//! |-----------------|-----------------------|------|---------------------------------------------------------|
//! | won, handed-off | deal_close_corrected  | same | `a_close_time_is_corrected_and_the_dwell_counts_from_it` |
//! | won, handed-off | deal_close_corrected before the deal was added, after the meeting started or in the future | refused | `a_corrected_close_still_comes_after_the_deal_and_before_the_meeting` |
//! | open, lost      | deal_close_corrected  | refused | `only_a_closed_deal_has_its_close_corrected`         |
//! | lost            | deal_reopened         | open | `a_lost_deal_is_reopened_and_can_then_be_won`           |
//! | open, won, h-off | deal_reopened        | refused | `a_lost_deal_is_reopened_and_can_then_be_won`        |
//! | any             | deal_edited           | same | `title_customer_and_value_are_corrected_with_a_reason`  |
//! | any             | deal_edited changing nothing, blank, or beyond 2^53 − 1 minor units | refused | `an_edit_must_change_something_valid` |
//! | any             | any correction without a reason | refused | `every_correction_says_why`              |

use chrono::{DateTime, Utc};

use super::{illegal, Deal, DealStatus};
use crate::directory::{check_name, composed, Directory};
use crate::event::EventBody;
use crate::money::Money;
use crate::RuleError;

/// What a deal edit changes: only what is given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DealEdit {
    pub title: Option<String>,
    pub customer: Option<String>,
    pub value: Option<Money>,
}

/// Checks the reason every correction gives.
pub fn check_reason(reason: &str) -> Result<(), RuleError> {
    check_name("the reason", reason)
}

impl Deal {
    /// Corrects when a won (or handed-off) deal closed: no earlier than it was added, no later
    /// than its meeting started (or than `now`, when the correction is made).
    pub fn correct_close(
        &self,
        dir: &Directory,
        closed_at: DateTime<Utc>,
        now: DateTime<Utc>,
        reason: String,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        check_reason(&reason)?;
        self.require_delivery(cal, "only a won deal has a close time to correct")?;
        if closed_at < self.added_at {
            return Err(self.out_of_order(cal, "the close", closed_at, "the deal was added", self.added_at));
        }
        if let Some(started) = self.meeting_started_at.or(self.handoff_at) {
            if closed_at > started {
                return Err(self.out_of_order(cal, "the handoff meeting", started, "the corrected close", closed_at));
            }
        }
        if closed_at > now {
            return Err(self.out_of_order(cal, "the correction", now, "the close it names", closed_at));
        }
        if self.closed_at == Some(closed_at) {
            return Err(RuleError::NothingCorrected(format!("\"{}\" closed at that time already", self.title)));
        }
        Ok(vec![EventBody::DealCloseCorrected { deal: self.id, closed_at, reason }])
    }

    /// Opens a deal marked lost again.
    pub fn reopen(&self, dir: &Directory, reason: String) -> Result<Vec<EventBody>, RuleError> {
        check_reason(&reason)?;
        self.require(DealStatus::Lost, dir.calendar()?, "only a lost deal is reopened")?;
        Ok(vec![EventBody::DealReopened { deal: self.id, reason }])
    }

    /// Corrects the deal's title, customer or value: only what is given and differs.
    pub fn edit(&self, dir: &Directory, edit: DealEdit, reason: String) -> Result<Vec<EventBody>, RuleError> {
        dir.agency()?;
        check_reason(&reason)?;
        let DealEdit { title, customer, value } = edit;
        let title = title.map(|t| composed(&t)).filter(|t| *t != self.title);
        let customer = customer.map(|c| composed(&c)).filter(|c| *c != self.customer);
        let value = value.filter(|v| *v != self.value);
        if let Some(t) = &title {
            check_name("the deal title", t)?;
        }
        if let Some(c) = &customer {
            check_name("the customer", c)?;
        }
        if title.is_none() && customer.is_none() && value.is_none() {
            return Err(RuleError::NothingCorrected(format!(
                "give a new title, customer or value for \"{}\" (what is given is what it has already)",
                self.title
            )));
        }
        Ok(vec![EventBody::DealEdited { deal: self.id, title, customer, value, reason }])
    }

    /// The fold arms of the corrections.
    pub(super) fn apply_correction(&mut self, body: &EventBody, at: DateTime<Utc>) -> Result<(), RuleError> {
        let illegal = |reason: &str| illegal(body, reason);
        match body {
            EventBody::DealCloseCorrected { closed_at, reason, .. } => {
                check_reason(reason).map_err(|e| illegal(&e.to_string()))?;
                if !self.is_delivering() {
                    return Err(illegal("only a won deal has its close corrected"));
                }
                let latest = self.meeting_started_at.or(self.handoff_at).unwrap_or(at).min(at);
                if *closed_at < self.added_at || *closed_at > latest {
                    return Err(illegal("a close comes after the deal was added and before its meeting"));
                }
                self.closed_at = Some(*closed_at);
            }
            EventBody::DealReopened { reason, .. } => {
                check_reason(reason).map_err(|e| illegal(&e.to_string()))?;
                if self.status != DealStatus::Lost {
                    return Err(illegal("only a lost deal is reopened"));
                }
                self.status = DealStatus::Open;
                self.lost_at = None;
            }
            EventBody::DealEdited { title, customer, value, reason, .. } => {
                check_reason(reason).map_err(|e| illegal(&e.to_string()))?;
                for text in [title, customer].into_iter().flatten() {
                    check_name("a name", text).map_err(|e| illegal(&e.to_string()))?;
                }
                if value.as_ref().is_some_and(|v| v.minor.unsigned_abs() > crate::money::MAX_MINOR.unsigned_abs()) {
                    return Err(illegal("the amount is beyond 2^53 − 1 minor units"));
                }
                if title.is_none() && customer.is_none() && value.is_none() {
                    return Err(illegal("an edit changes something"));
                }
                if let Some(t) = title {
                    self.title = t.clone();
                }
                if let Some(c) = customer {
                    self.customer = c.clone();
                }
                if let Some(v) = value {
                    self.value = v.clone();
                }
            }
            _ => return Err(super::illegal_arm(body)),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
