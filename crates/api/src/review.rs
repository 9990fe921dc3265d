//! The Tuesday review: the ranked list, the Sales lead's picks, follow-up outcomes, and cold
//! outreach for comparison. (How many trips a review may pick is an agency setting: `agency_set`.)

use chrono::{DateTime, Utc};
use handoff_domain::calendar::Calendar;
use handoff_domain::deal::FoldContext;
use handoff_domain::directory::{Department, Directory};
use handoff_domain::event::EventBody;
use handoff_domain::ids::{OutreachId, TaskId};
use handoff_domain::review::{self, previous_review, rank, Candidate, ReviewMeeting, ReviewWindow, REVIEW_MINUTES};
use handoff_domain::trip::Outcome;
use handoff_domain::RuleError;
use handoff_store::{query, Connection};
use uuid::Uuid;

use crate::dto::*;
use crate::input::parse_date;
use crate::load::load;
use crate::view::{ask_dto, follow_up_dto, person_ref, signal_dto};
use crate::{act, act_and_show, input, ApiError, Ctx, Decision};

fn window(date: Option<&str>, cal: &Calendar, now: DateTime<Utc>) -> Result<ReviewWindow, ApiError> {
    let day = match date {
        Some(d) => parse_date(d, "the review date")?,
        None => previous_review(cal.local_date(now)),
    };
    ReviewWindow::for_review(day).map_err(|e| ApiError::invalid(e.to_string()))
}

/// How many of a customer's other deals a trip back offers as its renewal, newest first.
const RENEWAL_CHOICES: usize = 20;

fn review_dto(c: &Connection, dir: &Directory, w: &ReviewWindow, now: DateTime<Utc>) -> Result<ReviewDto, ApiError> {
    let agency = dir.agency()?;
    let cal = &agency.calendar;
    let held = query::review_meeting(c, w.review)?;
    let deals = query::trips_ending(c, w.first, w.last)?;
    let mut candidates: Vec<Candidate> = deals
        .iter()
        .map(|d| Candidate { deal: d.id, trip_end: d.trip.end.expect("queried by end"), signal: d.signal.clone() })
        .collect();
    rank(&mut candidates);
    let trips = candidates
        .iter()
        .enumerate()
        .map(|(i, ranked)| {
            let d = deals.iter().find(|d| d.id == ranked.deal).expect("ranked from these");
            Ok(ReviewTripDto {
                rank: i + 1,
                deal: DealRef::of(d),
                customer: d.customer.clone(),
                trip_end: ranked.trip_end,
                signal: signal_dto(d),
                asks: d.asks.iter().map(|a| ask_dto(d, a)).collect(),
                follow_up: follow_up_dto(dir, cal, d),
                travellers: d.travellers.iter().map(|t| t.name.clone()).collect(),
                renewal_choices: query::customer_deals(c, &d.customer, RENEWAL_CHOICES + 1)?
                    .into_iter()
                    .filter(|r| r.id != d.id)
                    .take(RENEWAL_CHOICES)
                    .map(|r| DealRef { id: r.id, title: r.title })
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(ReviewDto {
        review: w.review,
        first: w.first,
        last: w.last,
        picks_allowed: agency.review_picks,
        picks: query::picks_at_review(c, w.review)?,
        sales_lead: dir.staffing(Department::Sales).lead.map(|l| person_ref(dir, l)),
        travellers_back: trips.iter().map(|t| t.travellers.len()).sum(),
        trips,
        meeting: held.as_ref().map(|m| ReviewMeetingDto {
            started_at: m.started_at,
            started_by: m.started_by.map(|p| person_ref(dir, p)),
            ended_at: m.ended_at,
            ended_by: m.ended_by.map(|p| person_ref(dir, p)),
            minutes: (m.length(now).num_seconds() + 59) / 60,
            overran: m.overran(now),
        }),
        minutes_allowed: REVIEW_MINUTES,
        start_refusal: review::start_refusal(held.as_ref(), w, cal, now).map(|e| e.to_string()),
        end_refusal: review::end_refusal(held.as_ref(), w.review, cal, now).map(|e| e.to_string()),
        choices: {
            let next = review::next_review(cal.local_date(now));
            let mut days: Vec<_> = (0..12).map(|k| next - chrono::Duration::days(7 * k)).collect();
            if !days.contains(&w.review) {
                days.push(w.review);
            }
            days.sort_by(|a, b| b.cmp(a));
            days
        },
    })
}

/// The review of a Tuesday (default: the latest on or before today): every trip that ended in the
/// seven days before it, strongest signal first, with asks, signal and any pick.
pub fn review_show(ctx: &Ctx, date: Option<&str>) -> Result<ReviewDto, ApiError> {
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let w = window(date, dir.calendar()?, now)?;
        review_dto(c, &dir, &w, now)
    })
}

/// Starts the Tuesday review (default: the latest on or before the day it starts): held from its
/// Tuesday until the next review's, once.
pub fn review_start(ctx: &Ctx, req: ReviewMeetingRequest) -> Result<ReviewDto, ApiError> {
    review_meeting(ctx, req, review::start_review)
}

/// Ends the Tuesday review (default: the latest on or before the day it ends), once started.
pub fn review_end(ctx: &Ctx, req: ReviewMeetingRequest) -> Result<ReviewDto, ApiError> {
    review_meeting(ctx, req, |held, w, cal, at| review::end_review(held, w.review, cal, at))
}

type MeetingDecision =
    fn(Option<&ReviewMeeting>, &ReviewWindow, &Calendar, DateTime<Utc>) -> Result<Vec<EventBody>, RuleError>;

fn review_meeting(ctx: &Ctx, req: ReviewMeetingRequest, decide: MeetingDecision) -> Result<ReviewDto, ApiError> {
    let now = ctx.now();
    act_and_show(
        ctx,
        &req.acting,
        |wr, dir, _, at| {
            let cal = dir.calendar()?;
            let w = window(req.date.as_deref(), cal, at)?;
            let held = query::review_meeting(wr.connection(), w.review)?;
            Ok(Decision { events: decide(held.as_ref(), &w, cal, at)?, answer: w })
        },
        |wr, w| {
            let conn = wr.connection();
            review_dto(conn, &query::directory(conn)?, &w, now)
        },
    )
}

/// The Sales lead picks trips for personal follow-up calls (up to the agency's limit per review).
/// All picks or none: if any is refused, nothing is picked.
pub fn review_pick(ctx: &Ctx, req: ReviewPickRequest) -> Result<ReviewDto, ApiError> {
    if req.deals.is_empty() {
        return Err(ApiError::invalid("name the deals to pick: at least one trip of the review"));
    }
    let now = ctx.now();
    act_and_show(
        ctx,
        &req.acting,
        |wr, dir, _, at| {
            let w = window(req.date.as_deref(), dir.calendar()?, now)?;
            let already = query::picks_at_review(wr.connection(), w.review)?;
            let mut events = Vec::new();
            let mut seen = Vec::new();
            for (n, text) in req.deals.iter().enumerate() {
                let deal = load(wr, text)?;
                if seen.contains(&deal.id) {
                    return Err(RuleError::AlreadyPicked { deal: deal.title.clone(), review: w.review }.into());
                }
                seen.push(deal.id);
                events.extend(deal.pick(dir, &w, already + n, TaskId::from_uuid(Uuid::now_v7()), at)?);
            }
            Ok(Decision { events, answer: w })
        },
        |wr, w| {
            let conn = wr.connection();
            review_dto(conn, &query::directory(conn)?, &w, now)
        },
    )
}

/// Records a follow-up call's outcome (`renewed` may name the new deal).
pub fn followup_done(ctx: &Ctx, req: FollowUpDoneRequest) -> Result<FollowUpDto, ApiError> {
    let outcome = req.outcome;
    if req.renewed_deal.is_some() && outcome != Outcome::Renewed {
        return Err(ApiError::invalid("only a renewal names the deal it renewed into"));
    }
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let renewed = req.renewed_deal.as_deref().map(|d| input::deal(w.connection(), d)).transpose()?;
        let events = deal.record_follow_up(dir, outcome, renewed)?;
        let after = deal.after(&events, at, &FoldContext::new(dir))?;
        let answer = follow_up_dto(dir, dir.calendar()?, &after).expect("picked");
        Ok(Decision { events, answer })
    })
}

/// The day given (`what` names it in a refusal), else the agency's day at `at`.
fn day_or_today(
    given: Option<&str>,
    what: &str,
    dir: &Directory,
    at: DateTime<Utc>,
) -> Result<chrono::NaiveDate, ApiError> {
    match given {
        Some(d) => parse_date(d, what),
        None => Ok(dir.calendar()?.local_date(at)),
    }
}

/// Records a batch of cold-list outreach, for comparing renewal rates.
pub fn outreach_cold(ctx: &Ctx, req: OutreachRequest) -> Result<OutreachDto, ApiError> {
    if req.renewals > req.attempts {
        return Err(RuleError::RenewalsExceedAttempts { attempts: req.attempts, renewals: req.renewals }.into());
    }
    if req.attempts == 0 {
        return Err(ApiError::invalid("a batch of no attempts: record a batch of at least one call"));
    }
    let now = ctx.now();
    act(ctx, &req.acting, |_, dir, _, at| {
        let date = day_or_today(req.date.as_deref(), "the batch's date", dir, at.min(now))?;
        let date = review::outreach_day(date, dir.calendar()?.local_date(now))?;
        let body = EventBody::ColdOutreachRecorded {
            batch: OutreachId::from_uuid(Uuid::now_v7()),
            date,
            attempts: req.attempts,
            renewals: req.renewals,
        };
        Ok(Decision {
            events: vec![body],
            answer: OutreachDto {
                date,
                attempts: req.attempts,
                renewals: req.renewals,
                customer: None,
                outcome: None,
                note: None,
            },
        })
    })
}

/// Records one call to a customer on the cold list and how it went: one attempt, and a renewal
/// when they renewed.
pub fn outreach_call(ctx: &Ctx, req: ColdCallRequest) -> Result<OutreachDto, ApiError> {
    let now = ctx.now();
    act(ctx, &req.acting, |_, dir, _, at| {
        let date = day_or_today(req.date.as_deref(), "the call's date", dir, at.min(now))?;
        let today = dir.calendar()?.local_date(now);
        let call = OutreachId::from_uuid(Uuid::now_v7());
        let note = req.note.as_deref().unwrap_or_default();
        let body = review::cold_call(call, date, today, &req.customer, req.outcome, note)?;
        let EventBody::ColdCallMade { customer, note, .. } = &body else { unreachable!("a cold call") };
        let answer = OutreachDto {
            date,
            attempts: 1,
            renewals: u32::from(req.outcome == Outcome::Renewed),
            customer: Some(customer.clone()),
            outcome: Some(req.outcome),
            note: (!note.is_empty()).then(|| note.clone()),
        };
        Ok(Decision { events: vec![body], answer })
    })
}

/// The cold outreach of `from..=to` (agency dates; default the four weeks up to today), calls and
/// batches, newest first, with the totals the loop metrics count.
pub fn outreach_list(ctx: &Ctx, req: RangeRequest) -> Result<OutreachList, ApiError> {
    let (from, to) = input::date_range(req.from.as_deref(), req.to.as_deref())?;
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let to = to.unwrap_or_else(|| dir.calendar().map(|cal| cal.local_date(now)).unwrap_or(now.date_naive()));
        let from = from.unwrap_or(to - chrono::Duration::days(27));
        let rows = query::cold_outreach(c, Some(from), Some(to))?;
        let mut entries: Vec<OutreachDto> = rows
            .into_iter()
            .map(|r| OutreachDto {
                date: r.date,
                attempts: r.attempts,
                renewals: r.renewals,
                customer: r.call.as_ref().map(|c| c.customer.clone()),
                outcome: r.call.as_ref().map(|c| c.outcome),
                note: r.call.and_then(|c| c.note),
            })
            .collect();
        entries.reverse();
        Ok(OutreachList {
            from,
            to,
            attempts: entries.iter().map(|e| e.attempts).sum(),
            renewals: entries.iter().map(|e| e.renewals).sum(),
            calls: entries.iter().filter(|e| e.customer.is_some()).count(),
            entries,
        })
    })
}
