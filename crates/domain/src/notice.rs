//! Who is told what, and when: the notifications a laptop shows its own person. Nobody is told
//! about someone else's work, except the founder about escalations.
//!
//! [`notices`] reads what is due ([`Due`], gathered from the read tables by the caller) and
//! says what came due between the last look (`since`) and `now`, for the person who uses the
//! laptop. Each notice has a key naming what it tells of and the moment it came due, so a caller
//! that looks again and again shows each once.
//!
//! | rule | to | test |
//! |---|---|---|
//! | a won deal passes half a business day, then one, without its handoff | who should act now (the founder too at one day: an escalation) | `a_waiting_deal_is_told_to_who_should_act_at_half_a_day_and_to_the_founder_at_one` |
//! | a service handoff inside 72 hours of the trip and not done | its Service owner | `a_service_handoff_coming_due_is_told_to_its_owner_once` |
//! | the Tuesday review, as its working day starts | the Sales lead and the Service lead (each team's people where it has no lead) | `the_review_is_told_to_the_sales_and_service_leads_as_its_day_starts` |
//! | a follow-up call two days before its day-10 deadline, and when it is missed | its owner | `a_follow_up_is_told_to_its_owner_two_days_before_and_when_missed` |
//! | a conflict the laptops' logs met, until it is settled, however late it arrives | whose action was left out, or whose text another's edit replaced | `a_conflict_is_told_to_whose_action_it_was_on_every_look_while_open` |
//! | anyone else's work | nobody (all of it on a laptop with nobody chosen) | `nobody_is_told_of_someone_elses_work` |

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::directory::{Department, Directory};
use crate::ids::{DealId, PersonId};
use crate::metrics::{urgency_reached, Urgency};
use crate::service::is_late;

/// A follow-up call is brought up this many days before its deadline.
pub const FOLLOW_UP_WARNING_DAYS: i64 = 2;

/// What a notice tells of.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// A won deal passed half a business day without a handoff.
    HandoffHalfDay,
    /// A won deal passed one business day without a handoff.
    HandoffOverdue,
    /// A service handoff is inside 72 hours of the trip and not done.
    ServiceDue,
    /// The Tuesday review is today.
    ReviewToday,
    /// A follow-up call nears its day-10 deadline, or missed it.
    FollowUpDue,
    /// The laptops' logs met a conflict.
    Conflict,
}

/// A won deal waiting for its handoff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingDeal {
    pub deal: DealId,
    pub title: String,
    pub closed_at: DateTime<Utc>,
    /// Who should hold the meeting now (the owner, or who stands in for them today).
    pub should_act: PersonId,
}

/// A service handoff not done yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceComing {
    pub deal: DealId,
    pub title: String,
    pub due_at: DateTime<Utc>,
    pub owner: PersonId,
    /// Preference items still to go over.
    pub open_items: usize,
}

/// The next Tuesday review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewComing {
    pub date: NaiveDate,
    pub trips: usize,
    pub with_signal: usize,
    pub picks_allowed: u8,
}

/// A follow-up call not made yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpComing {
    pub deal: DealId,
    pub title: String,
    pub owner: PersonId,
    pub due_at: DateTime<Utc>,
}

/// A conflict nobody has settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenConflict {
    /// Its name: the first event of the action it met.
    pub id: String,
    /// Its deal and that deal's title, where the deal is on this laptop.
    pub deal: Option<(DealId, String)>,
    /// Who should hear of it: whose action was left out, or whose text another's replaced.
    pub by: Option<PersonId>,
    pub note: String,
}

/// What is due in the agency, as the home screen gathers it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Due {
    pub waiting: Vec<WaitingDeal>,
    pub service: Vec<ServiceComing>,
    pub review: Option<ReviewComing>,
    pub follow_ups: Vec<FollowUpComing>,
    pub conflicts: Vec<OpenConflict>,
}

/// One notification, for one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Names what it tells of and the moment it came due: the same key is the same notice.
    pub key: String,
    pub kind: NoticeKind,
    pub deal: Option<DealId>,
    pub title: String,
    pub body: String,
    /// Who it is for: who should act.
    pub person: PersonId,
}

/// What came due between `since` (exclusive) and `now` for `me` — the person who uses the
/// laptop, or everyone's when nobody is chosen there. Without `since` (the app just started),
/// what is already due, once each. An open conflict is told on every look (its key the same):
/// it may come in long after the action that met it.
pub fn notices(
    dir: &Directory,
    cal: &Calendar,
    due: &Due,
    me: Option<PersonId>,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<Notice> {
    // Whether `moment` came between the last look and now (on a first look: whether it has come).
    let came = |moment: DateTime<Utc>| moment <= now && since.is_none_or(|t| moment > t);
    let mut out = Vec::new();
    for w in &due.waiting {
        let Some(level) = urgency_reached(cal, w.closed_at, since.unwrap_or(w.closed_at), now) else { continue };
        let (kind, word, passed) = match level {
            Urgency::Red => (NoticeKind::HandoffOverdue, "handoff-overdue", "one business day"),
            _ => (NoticeKind::HandoffHalfDay, "handoff-half-day", "half a business day"),
        };
        out.push(Notice {
            key: format!("{word}/{}/{}", w.deal, w.closed_at.timestamp()),
            kind,
            deal: Some(w.deal),
            title: format!("{} has waited {passed} for its handoff", w.title),
            body: format!("{} should hold the 15-minute handoff meeting now.", dir.name_of(w.should_act)),
            person: w.should_act,
        });
    }
    for s in &due.service {
        if !(is_late(s.due_at, now) && since.is_none_or(|t| !is_late(s.due_at, t))) {
            continue;
        }
        out.push(Notice {
            key: format!("service-due/{}/{}", s.deal, s.due_at.timestamp()),
            kind: NoticeKind::ServiceDue,
            deal: Some(s.deal),
            title: format!("{}: the trip is less than 72 hours away", s.title),
            body: format!(
                "{} should hold the service handoff call now ({} preference items still to go over).",
                dir.name_of(s.owner),
                s.open_items
            ),
            person: s.owner,
        });
    }
    if let Some(review) = &due.review {
        if cal.working_span(review.date).is_some_and(|(starts, ends)| came(starts) && now < ends) {
            for dept in [Department::Sales, Department::Service] {
                for person in dir.leads_of(dept) {
                    out.push(Notice {
                        key: format!("review-today/{}/{person}", review.date),
                        kind: NoticeKind::ReviewToday,
                        deal: None,
                        title: "The Tuesday review is today".into(),
                        body: format!(
                            "{} trip{} came back in its window, {} with a signal: pick who to call (up to {}).",
                            review.trips,
                            if review.trips == 1 { "" } else { "s" },
                            review.with_signal,
                            review.picks_allowed
                        ),
                        person,
                    });
                }
            }
        }
    }
    for f in &due.follow_ups {
        let (nearing, missed) = (f.due_at - Duration::days(FOLLOW_UP_WARNING_DAYS), f.due_at);
        let (title, moment) = if came(missed) {
            (format!("The follow-up call about {} is past its day 10", f.title), "missed")
        } else if came(nearing) {
            (format!("Call back about {} within two days", f.title), "nearing")
        } else {
            continue;
        };
        out.push(Notice {
            key: format!("follow-up-{moment}/{}/{}", f.deal, f.due_at.timestamp()),
            kind: NoticeKind::FollowUpDue,
            deal: Some(f.deal),
            title,
            body: format!("{} owns the follow-up call, due {}.", dir.name_of(f.owner), cal.local_date(f.due_at)),
            person: f.owner,
        });
    }
    for c in &due.conflicts {
        let Some(by) = c.by else { continue };
        out.push(Notice {
            key: format!("conflict/{}", c.id),
            kind: NoticeKind::Conflict,
            deal: c.deal.as_ref().map(|(id, _)| *id),
            title: match &c.deal {
                Some((_, title)) => format!("Two laptops disagreed on {title}"),
                None => "Two laptops disagreed".into(),
            },
            body: c.note.clone(),
            person: by,
        });
    }
    if let Some(me) = me.filter(|id| dir.person(*id).is_some()) {
        let founder = dir.founder().is_some_and(|f| f.id == me);
        out.retain(|n| n.person == me || (founder && n.kind == NoticeKind::HandoffOverdue));
    }
    out
}

#[cfg(test)]
mod tests;
