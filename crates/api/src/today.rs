//! What needs attention now, for one person or the whole agency: the desktop app's home screen,
//! and what the app tells the person at the laptop while it runs, as desktop notifications (see
//! [`notices`]).

use chrono::{DateTime, Duration, Utc};
use handoff_domain::deal::is_overdue;
use handoff_domain::deal::Deal;
use handoff_domain::notice::{Due, FollowUpComing, OpenConflict, ReviewComing, ServiceComing, WaitingDeal};
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

        // A trip over before yesterday (agency date) is history, whatever its zone: not even read.
        let yesterday = cal.local_date(now) - Duration::days(1);
        let service_handoffs = query::service_due_before(c, now + Duration::hours(SERVICE_HORIZON_HOURS), yesterday)?
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
        let (trips, with_signal) = query::trips_ending_signalled(c, window.first, window.last)?;
        let next_review = TodayReviewDto {
            date: review,
            first: window.first,
            last: window.last,
            trips,
            with_signal,
            picks: query::picks_at_review(c, review)?,
            picks_allowed: agency.review_picks,
        };

        let follow_horizon = now + Duration::days(FOLLOW_UP_HORIZON_DAYS);
        let mut follow_ups = Vec::new();
        for d in query::picked_with_task_open_by(c, follow_horizon)? {
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
        let me = query::me(c)?;
        for conflict in query::conflicts(c, false)? {
            if conflicts.len() == CONFLICTS_SHOWN {
                break;
            }
            let deal = conflict.deal.map(|d| query::deal(c, d)).transpose()?.flatten();
            let involved = conflict.actor.is_some_and(mine)
                || conflict.tell.is_some_and(mine)
                || deal.as_ref().is_some_and(|d| {
                    mine(d.sales_owner)
                        || d.acting_fulfilment_owner().is_some_and(mine)
                        || d.service.as_ref().is_some_and(|s| mine(s.owner))
                });
            if who.is_none() || involved {
                conflicts.push(view::conflict_dto(&dir, deal.as_ref(), me, conflict));
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

/// What became due between `since` (exclusive) and now for the person who uses this laptop (all
/// of it when nobody is chosen here), under the rules of `handoff_domain::notice`: nobody is told
/// about someone else's work, except the founder about escalations. Without `since` (the app just
/// started), what is already due, once each; an open conflict on every look, under one key.
pub fn notices(ctx: &Ctx, since: Option<DateTime<Utc>>) -> Result<NoticesDto, ApiError> {
    let board = today(ctx, None)?;
    // Every open conflict (Today shows the newest few): one of this person's may be old.
    let (dir, me, open) =
        ctx.store().read(|c| Ok::<_, ApiError>((query::directory(c)?, query::me(c)?, query::conflicts(c, false)?)))?;
    let due = Due {
        waiting: board
            .waiting
            .iter()
            .map(|w| WaitingDeal {
                deal: w.deal,
                title: w.title.clone(),
                closed_at: w.closed_at,
                should_act: w.should_act.id,
            })
            .collect(),
        service: board
            .service_handoffs
            .iter()
            .map(|s| ServiceComing {
                deal: s.deal.id,
                title: s.deal.title.clone(),
                due_at: s.due_at,
                owner: s.owner.id,
                open_items: s.open_items,
            })
            .collect(),
        review: Some(ReviewComing {
            date: board.next_review.date,
            trips: board.next_review.trips,
            with_signal: board.next_review.with_signal,
            picks_allowed: board.next_review.picks_allowed,
        }),
        follow_ups: board
            .follow_ups
            .iter()
            .map(|f| FollowUpComing {
                deal: f.deal.id,
                title: f.deal.title.clone(),
                owner: f.owner.id,
                due_at: f.due_at,
            })
            .collect(),
        conflicts: open
            .into_iter()
            .map(|c| OpenConflict {
                deal: c.deal.map(|d| (d, c.title.unwrap_or_else(|| "a deal not on this laptop".into()))),
                id: c.id,
                by: c.tell,
                note: c.note,
            })
            .collect(),
    };
    let notices = handoff_domain::notice::notices(&dir, dir.calendar()?, &due, me, since, board.now)
        .into_iter()
        .map(|n| NoticeDto {
            key: n.key,
            kind: n.kind,
            deal: n.deal,
            title: n.title,
            body: n.body,
            person: person_ref(&dir, n.person),
        })
        .collect();
    Ok(NoticesDto { now: board.now, notices })
}
