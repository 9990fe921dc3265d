//! What needs attention now, for one person or the whole agency: the desktop app's home screen,
//! and what the app tells the person at the laptop while it runs, as desktop notifications (see
//! [`notices`]).

use chrono::{DateTime, Duration, Utc};
use handoff_domain::deal::is_overdue;
use handoff_domain::deal::Deal;
use handoff_domain::directory::{Department, Directory};
use handoff_domain::ids::PersonId;
use handoff_domain::metrics::{urgency_reached, Urgency};
use handoff_domain::review::{next_review, ReviewWindow};
use handoff_domain::service::is_late;
use handoff_domain::service::AckState;
use handoff_store::query;

use crate::dto::*;
use crate::view::{self, hours, person_ref};
use crate::{input, ApiError, Ctx};

/// Service handoffs due within this many hours are shown.
pub const SERVICE_HORIZON_HOURS: i64 = 96;
/// Follow-ups due within this many days are shown.
pub const FOLLOW_UP_HORIZON_DAYS: i64 = 3;
/// Tasks due within this many hours are shown.
pub const TASK_HORIZON_HOURS: i64 = 24;
/// At most this many conflicts are shown (each until a lead settles it).
const CONFLICTS_SHOWN: usize = 20;

/// Everything that needs attention now. With `person`, only what that person should act on.
pub fn today(ctx: &Ctx, person: Option<&str>) -> Result<TodayDto, ApiError> {
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let agency = dir.agency()?;
        let cal = &agency.calendar;
        let who = person.map(|p| input::person(&dir, p).map(|p| p.id)).transpose()?;
        let mine = |id: handoff_domain::ids::PersonId| who.is_none_or(|w| w == id);

        let mut waiting_deals = Vec::new();
        for d in query::waiting_for_handoff(c)? {
            let (Some(closed), Some(owner)) = (d.closed_at, d.acting_fulfilment_owner()) else { continue };
            let acts = handoff_domain::assignment::who_acts(
                &dir,
                handoff_domain::directory::Department::Fulfilment,
                owner,
                cal.local_date(now),
            );
            if !(mine(owner) || mine(acts) || mine(d.sales_owner)) {
                continue;
            }
            let deal = DealRef::of(&d);
            waiting_deals.push(view::open_dwell(&dir, cal, &deal, closed, acts, now));
        }

        let horizon = now + Duration::hours(TASK_HORIZON_HOURS);
        let tasks =
            query::tasks(c, who, true, Some(horizon))?.iter().map(|t| view::task_from_row(&dir, t, now)).collect();

        let service_handoffs = query::service_due_before(c, now + Duration::hours(SERVICE_HORIZON_HOURS))?
            .iter()
            .filter_map(|d: &Deal| {
                let s = d.service.as_ref()?;
                // A handoff never done for a trip that is already over is history, not a to-do.
                let over = handoff_domain::service::trip_ended_at(&d.trip, cal).is_some_and(|e| e <= now);
                (mine(s.owner) && !over).then(|| TodayServiceDto {
                    deal: DealRef::of(d),
                    due_at: s.due_at,
                    trip_start: d.trip_start_at(cal),
                    owner: person_ref(&dir, s.owner),
                    late: is_late(s.due_at, now),
                    hours_until_due: hours(s.due_at - now),
                    open_items: s.checklist(&d.travellers).iter().filter(|i| i.state != AckState::Acknowledged).count(),
                    started: s.started_at.is_some(),
                })
            })
            .collect();

        let review = next_review(cal.local_date(now));
        let window = ReviewWindow::for_review(review).expect("next_review is a Tuesday");
        let in_window = query::trips_ending(c, window.first, window.last)?;
        let next_review = TodayReviewDto {
            date: review,
            first: window.first,
            last: window.last,
            trips: in_window.len(),
            with_signal: in_window.iter().filter(|d| d.signal.is_some()).count(),
            picks: query::picks_at_review(c, review)?,
            picks_allowed: agency.review_picks,
        };

        let follow_horizon = now + Duration::days(FOLLOW_UP_HORIZON_DAYS);
        let mut follow_ups = Vec::new();
        for d in query::picked(c, None, None)? {
            let Some(task) = d.follow_up_task().filter(|t| t.done_at.is_none()) else { continue };
            if !mine(task.owner) || task.due_at > follow_horizon {
                continue;
            }
            follow_ups.push(TodayFollowUpDto {
                deal: DealRef::of(&d),
                owner: person_ref(&dir, task.owner),
                trip_end: d.trip.end,
                due_at: task.due_at,
                days_left: (cal.local_date(task.due_at) - cal.local_date(now)).num_days(),
                overdue: is_overdue(task.due_at, task.done_at, now),
            });
        }
        follow_ups.sort_by_key(|f| f.due_at);

        let mut conflicts = Vec::new();
        for conflict in query::conflicts(c, false)? {
            let deal = conflict.deal.map(|d| query::deal(c, d)).transpose()?.flatten();
            let involved = conflict.actor.is_some_and(mine)
                || deal.as_ref().is_some_and(|d| {
                    mine(d.sales_owner)
                        || d.acting_fulfilment_owner().is_some_and(mine)
                        || d.service.as_ref().is_some_and(|s| mine(s.owner))
                });
            if (who.is_none() || involved) && conflicts.len() < CONFLICTS_SHOWN {
                conflicts.push(view::conflict_dto(&dir, deal.as_ref(), conflict));
            }
        }
        Ok(TodayDto {
            now,
            timezone: cal.zone.name().into(),
            person: who.map(|p| person_ref(&dir, p)),
            waiting: waiting_deals,
            tasks,
            service_handoffs,
            next_review,
            follow_ups,
            conflicts,
        })
    })
}

/// What became due between `since` (exclusive) and now, for the person who uses this laptop —
/// nobody is told about someone else's work, except the founder about escalations (a handoff past
/// one business day). Without `since` (the app just started), what is already due, once each.
/// Without a person chosen on this laptop, everyone's.
///
/// - a won deal passing half a business day, then one, without a handoff: to who should act now;
/// - a service handoff inside 72 hours of the trip and not done: to its Service owner;
/// - the Tuesday review, as the working day it falls on starts: to the Sales lead and the Service
///   lead (each team's people where it has no lead);
/// - a follow-up call two days before its day-10 deadline, and when it is missed: to its owner;
/// - a conflict the laptops' logs met, on every look until it is settled (a caller shows each
///   `key` once): to the person whose action was left out or replaced.
pub fn notices(ctx: &Ctx, since: Option<DateTime<Utc>>) -> Result<NoticesDto, ApiError> {
    let board = today(ctx, None)?;
    let (dir, me) = ctx.store().read(|c| Ok::<_, ApiError>((query::directory(c)?, query::me(c)?)))?;
    let cal = dir.calendar()?;
    let now = board.now;
    let me = me.filter(|id| dir.person(*id).is_some());
    let founder = me.is_some_and(|id| dir.founder().is_some_and(|f| f.id == id));
    // Whether `moment` came between the last look and now (on a first look: whether it has come).
    let came = |moment: DateTime<Utc>| moment <= now && since.is_none_or(|t| moment > t);
    let mut notices = Vec::new();
    for w in &board.waiting {
        let from = since.unwrap_or(w.closed_at);
        let Some(level) = urgency_reached(cal, w.closed_at, from, now) else { continue };
        let (kind, passed) = match level {
            Urgency::Red => (NoticeKind::HandoffOverdue, "one business day"),
            _ => (NoticeKind::HandoffHalfDay, "half a business day"),
        };
        notices.push(NoticeDto {
            key: format!("{}/{}/{}", kind_word(kind), w.deal, w.closed_at.timestamp()),
            kind,
            deal: Some(w.deal),
            title: format!("{} has waited {passed} for its handoff", w.title),
            body: format!("{} should hold the 15-minute handoff meeting now.", w.should_act.name),
            person: w.should_act.clone(),
        });
    }
    for s in &board.service_handoffs {
        let became_due = is_late(s.due_at, now) && since.is_none_or(|t| !is_late(s.due_at, t));
        if !became_due {
            continue;
        }
        notices.push(NoticeDto {
            key: format!("service-due/{}/{}", s.deal.id, s.due_at.timestamp()),
            kind: NoticeKind::ServiceDue,
            deal: Some(s.deal.id),
            title: format!("{}: the trip is less than 72 hours away", s.deal.title),
            body: format!(
                "{} should hold the service handoff call now ({} preference items still to go over).",
                s.owner.name, s.open_items
            ),
            person: s.owner.clone(),
        });
    }
    let review = &board.next_review;
    if cal.working_span(review.date).is_some_and(|(starts, ends)| came(starts) && now < ends) {
        for dept in [Department::Sales, Department::Service] {
            for person in leads_of(&dir, dept) {
                notices.push(NoticeDto {
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
                    person: person_ref(&dir, person),
                });
            }
        }
    }
    for f in &board.follow_ups {
        let (nearing, missed) = (f.due_at - Duration::days(FOLLOW_UP_WARNING_DAYS), f.due_at);
        let (title, moment) = if came(missed) {
            (format!("The follow-up call about {} is past its day 10", f.deal.title), "missed")
        } else if came(nearing) {
            (format!("Call back about {} within two days", f.deal.title), "nearing")
        } else {
            continue;
        };
        notices.push(NoticeDto {
            key: format!("follow-up-{moment}/{}/{}", f.deal.id, f.due_at.timestamp()),
            kind: NoticeKind::FollowUpDue,
            deal: Some(f.deal.id),
            title,
            body: format!("{} owns the follow-up call, due {}.", f.owner.name, cal.local_date(f.due_at)),
            person: f.owner.clone(),
        });
    }
    // A conflict may come in long after the action that met it (a laptop back from a week
    // offline): every open one is told on every look, and the caller shows each key once.
    for c in &board.conflicts {
        let Some(by) = c.by.clone() else { continue };
        notices.push(NoticeDto {
            key: format!("conflict/{}", c.id),
            kind: NoticeKind::Conflict,
            deal: c.deal.as_ref().map(|d| d.id),
            title: match &c.deal {
                Some(d) => format!("Two laptops disagreed on {}", d.title),
                None => "Two laptops disagreed".into(),
            },
            body: c.note.clone(),
            person: by,
        });
    }
    if let Some(me) = me {
        notices.retain(|n| n.person.id == me || (founder && n.kind == NoticeKind::HandoffOverdue));
    }
    Ok(NoticesDto { now, notices })
}

/// The word of a waiting-deal notice's kind, in its key.
fn kind_word(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::HandoffOverdue => "handoff-overdue",
        _ => "handoff-half-day",
    }
}

/// A follow-up call is brought up this many days before its deadline.
const FOLLOW_UP_WARNING_DAYS: i64 = 2;

/// Who leads `dept`: its lead, else every person of it still in the agency.
fn leads_of(dir: &Directory, dept: Department) -> Vec<PersonId> {
    match dir.staffing.get(&dept).and_then(|s| s.lead) {
        Some(lead) => vec![lead],
        None => dir.people.iter().filter(|p| p.dept == dept && p.retired.is_none()).map(|p| p.id).collect(),
    }
}
