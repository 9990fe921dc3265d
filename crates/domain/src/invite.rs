//! The meetings the playbook asks for, as invitations a lead drops into any calendar: the
//! 15-minute live handoff on the day a deal closes, the 15-minute service call before the 72-hour
//! mark, the weekly 30-minute Tuesday review, and each follow-up call before day 10. What each is,
//! when, for how long and with whom; an id that stays the same for the same meeting, so a moved
//! trip updates the invitation in a calendar instead of adding a second one; and a cancellation
//! when the deal is lost. Writing the calendar file is the invite crate's.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Timelike, Utc, Weekday};

use crate::calendar::Calendar;
use crate::deal::{Deal, DealStatus, MEETING_MINUTES};
use crate::directory::{Department, Directory};
use crate::ids::PersonId;
use crate::review::{next_review, NotATuesday, ReviewWindow, FOLLOW_UP_DAYS};
use crate::service::SERVICE_CALL_MINUTES;
use crate::RuleError;

/// How long the Tuesday review is.
pub const REVIEW_MINUTES: i64 = 30;
/// How long a follow-up call is planned for.
pub const FOLLOW_UP_MINUTES: i64 = 15;
/// When the Tuesday review starts unless the lead says otherwise (inside working hours).
pub const REVIEW_TIME: NaiveTime = NaiveTime::from_hms_opt(10, 0, 0).expect("a time");

/// Which meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteKind {
    /// The 15-minute live Sales→Fulfilment handoff.
    Meeting,
    /// The 15-minute Fulfilment→Service call before the 72-hour mark.
    Service,
    /// The weekly 30-minute Tuesday review.
    Review,
    /// A follow-up call picked at the review.
    FollowUp,
}

impl InviteKind {
    /// The word used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            InviteKind::Meeting => "meeting",
            InviteKind::Service => "service",
            InviteKind::Review => "review",
            InviteKind::FollowUp => "followup",
        }
    }
}

/// One meeting, ready to write as a calendar invitation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    pub kind: InviteKind,
    /// The same for the same meeting however often it is made again or moved.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub start: DateTime<Utc>,
    pub minutes: i64,
    /// Held every week on the start's weekday, at the same local time.
    pub weekly: bool,
    /// Who takes part, in the order the playbook names them.
    pub attendees: Vec<PersonId>,
    /// The deal was lost: the invitation withdraws the meeting.
    pub cancelled: bool,
}

impl Invite {
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::minutes(self.minutes)
    }
}

/// The first start at or after `from`, on a quarter hour, where a meeting of `minutes` fits
/// inside one day's working hours; `from` itself (on its quarter hour) when the calendar has no
/// working time in the year ahead.
pub fn next_slot(cal: &Calendar, from: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    let local = cal.local_datetime(from);
    let past = (!local.minute().is_multiple_of(15) || local.second() != 0 || local.nanosecond() != 0) as i64;
    let quarter = local.with_second(0).and_then(|t| t.with_nanosecond(0)).expect("a valid time");
    let quarter = quarter - Duration::minutes((quarter.minute() % 15) as i64) + Duration::minutes(15 * past);
    let rounded = cal.to_utc(quarter);
    let mut day = cal.local_date(rounded);
    for _ in 0..366 {
        if let Some((open, close)) = cal.working_span(day) {
            let start = rounded.max(open);
            if start + Duration::minutes(minutes) <= close {
                return start;
            }
        }
        day += Duration::days(1);
    }
    rounded
}

/// The latest working-day opening at which a meeting of `minutes` ends by `due`, and not before
/// `now`; when there is none left, the next slot from `now` (late, but still held).
pub fn slot_before(cal: &Calendar, due: DateTime<Utc>, now: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    let mut day = cal.local_date(due);
    let first = cal.local_date(now);
    while day >= first {
        if let Some((open, _)) = cal.working_span(day) {
            let start = if open >= now { open } else { next_slot(cal, now, minutes) };
            if start + Duration::minutes(minutes) <= due && cal.local_date(start) == day {
                return start;
            }
        }
        day -= Duration::days(1);
    }
    next_slot(cal, now, minutes)
}

fn no_invite(deal: &Deal, why: &str) -> RuleError {
    RuleError::NoInvite { deal: deal.title.clone(), why: why.to_string() }
}

fn names(dir: &Directory, people: &[PersonId]) -> String {
    people.iter().map(|p| dir.name_of(*p)).collect::<Vec<_>>().join(" and ")
}

/// The 15-minute live handoff of a won deal: when it was held or started; else at `at`; else at
/// the next slot from the close (or from now, when the close has passed). A lost deal's meeting
/// is withdrawn.
pub fn handoff_meeting(
    dir: &Directory,
    deal: &Deal,
    now: DateTime<Utc>,
    at: Option<DateTime<Utc>>,
) -> Result<Invite, RuleError> {
    let cal = dir.calendar()?;
    let sales = deal.sales_owner;
    let fulfilment = deal.acting_fulfilment_owner();
    let attendees: Vec<PersonId> = std::iter::once(sales).chain(fulfilment).collect();
    let uid = format!("handoff-meeting-{}@handoff", deal.id);
    let summary = format!("Handoff meeting: {} ({})", deal.title, deal.customer);
    if deal.status == DealStatus::Lost {
        let start = at.or(deal.lost_at).unwrap_or(now);
        return Ok(Invite {
            kind: InviteKind::Meeting,
            uid,
            summary,
            description: format!("\"{}\" was lost: there is no handoff meeting.", deal.title),
            start,
            minutes: MEETING_MINUTES,
            weekly: false,
            attendees,
            cancelled: true,
        });
    }
    let Some(closed) = deal.closed_at else {
        return Err(no_invite(deal, "the handoff meeting is planned when the deal is won: mark it won first"));
    };
    let (start, minutes) = match (deal.meeting_started_at, deal.meeting_ended_at.or(deal.handoff_at)) {
        (Some(start), Some(end)) => (start, (end - start).num_minutes().max(1)),
        (Some(start), None) => (start, MEETING_MINUTES),
        (None, Some(end)) => (end - Duration::minutes(MEETING_MINUTES), MEETING_MINUTES),
        (None, None) => (at.unwrap_or_else(|| next_slot(cal, closed.max(now), MEETING_MINUTES)), MEETING_MINUTES),
    };
    let fulfilment_name = fulfilment.map(|f| dir.name_of(f)).unwrap_or_else(|| "Fulfilment".into());
    let description = format!(
        "The 15-minute live handoff of \"{}\" for {}, won {}. Sales ({}) writes the one-page brief in \
         the meeting; Fulfilment ({fulfilment_name}) signs it before the meeting ends. The first task, \
         \"Confirm dates with customer\", is due within 24 hours.",
        deal.title,
        deal.customer,
        cal.local_datetime(closed).format("%a %-d %b %Y %H:%M"),
        dir.name_of(sales),
    );
    Ok(Invite {
        kind: InviteKind::Meeting,
        uid,
        summary,
        description,
        start,
        minutes,
        weekly: false,
        attendees,
        cancelled: false,
    })
}

/// The 15-minute service call of a handed-off deal: when it started; else at `at`; else at the
/// last working-day opening before the 72-hour mark (or the next slot, when that has passed).
pub fn service_call(
    dir: &Directory,
    deal: &Deal,
    now: DateTime<Utc>,
    at: Option<DateTime<Utc>>,
) -> Result<Invite, RuleError> {
    let cal = dir.calendar()?;
    let Some(service) = &deal.service else {
        if deal.trip.start.is_none() {
            return Err(RuleError::NoTripDates { deal: deal.title.clone(), what: "start" });
        }
        return Err(no_invite(deal, "the service call is scheduled once the deal is handed off"));
    };
    let attendees: Vec<PersonId> =
        deal.acting_fulfilment_owner().into_iter().chain(std::iter::once(service.owner)).collect();
    let start =
        service.started_at.or(at).unwrap_or_else(|| slot_before(cal, service.due_at, now, SERVICE_CALL_MINUTES));
    let trip = match (deal.trip.start, deal.trip.end) {
        (Some(s), Some(e)) => format!("{} to {}", s.format("%a %-d %b"), e.format("%a %-d %b %Y")),
        (Some(s), None) => format!("from {}", s.format("%a %-d %b %Y")),
        _ => String::new(),
    };
    let place = deal.trip.destination.as_deref().map(|d| format!(" in {d}")).unwrap_or_default();
    let description = format!(
        "The 15-minute Fulfilment→Service handoff of \"{}\" ({}{place}), due by {} — 72 hours before \
         the trip. {} walks through every traveller's preferences (dietary, mobility, rooming, \
         medical) and the service pack.",
        deal.title,
        trip,
        cal.local_datetime(service.due_at).format("%a %-d %b %Y %H:%M"),
        names(dir, &attendees),
    );
    Ok(Invite {
        kind: InviteKind::Service,
        uid: format!("handoff-service-{}@handoff", deal.id),
        summary: format!("Service handoff call: {}", deal.title),
        description,
        start,
        minutes: SERVICE_CALL_MINUTES,
        weekly: false,
        attendees,
        cancelled: false,
    })
}

/// The weekly 30-minute Tuesday review: Service walks the Sales lead through every traveller back
/// in the last week. From the Tuesday at or after now at [`REVIEW_TIME`] (the working day's
/// opening when that is outside working hours), or from `at`, which must be a Tuesday. `agency`
/// names the agency for good (its first event's id), so the invitation keeps its id.
pub fn tuesday_review(
    dir: &Directory,
    agency: &str,
    now: DateTime<Utc>,
    at: Option<DateTime<Utc>>,
) -> Result<Invite, RuleError> {
    let cal = dir.calendar()?;
    let start = match at {
        Some(at) => {
            let day = cal.local_date(at);
            ReviewWindow::for_review(day).map_err(|e: NotATuesday| RuleError::NotTuesday(e.to_string()))?;
            at
        }
        None => {
            let time = dir.agency()?.review_time();
            let mut day = next_review(cal.local_date(now));
            if cal.to_utc(day.and_time(time)) < now {
                day = next_review(day + Duration::days(1));
            }
            cal.to_utc(day.and_time(time))
        }
    };
    debug_assert_eq!(cal.local_date(start).weekday(), Weekday::Tue);
    let attendees: Vec<PersonId> =
        [Department::Service, Department::Sales].into_iter().filter_map(|d| dir.staffing(d).lead).collect();
    if attendees.is_empty() {
        return Err(RuleError::NoSalesLead);
    }
    let description = format!(
        "The 30-minute Tuesday review. Service walks the Sales lead through every traveller who came \
         back in the last week; the Sales lead picks the {} with the strongest signal and calls them \
         within {FOLLOW_UP_DAYS} days of the trip's end. With {}.",
        match dir.agency()?.review_picks {
            1 => "one".to_string(),
            n => format!("{n}"),
        },
        names(dir, &attendees),
    );
    Ok(Invite {
        kind: InviteKind::Review,
        uid: format!("handoff-review-{agency}@handoff"),
        summary: "Tuesday review: travellers back last week".into(),
        description,
        start,
        minutes: REVIEW_MINUTES,
        weekly: true,
        attendees,
        cancelled: false,
    })
}

/// A follow-up call picked at the review, by whoever owns its task (the Sales lead): at `at`, or
/// at the next slot from the day after the review (from now, when that has passed), before its
/// day 10.
pub fn follow_up_call(
    dir: &Directory,
    deal: &Deal,
    now: DateTime<Utc>,
    at: Option<DateTime<Utc>>,
) -> Result<Invite, RuleError> {
    let cal = dir.calendar()?;
    let Some(follow_up) = &deal.follow_up else {
        return Err(no_invite(
            deal,
            "no follow-up call was picked for it: the Sales lead picks them at the Tuesday review",
        ));
    };
    let task = deal.tasks.iter().find(|t| t.id == follow_up.task);
    let owner = task.map(|t| t.owner).or(dir.staffing(Department::Sales).lead).ok_or(RuleError::NoSalesLead)?;
    let day_after = cal.to_utc((follow_up.review + Duration::days(1)).and_time(NaiveTime::MIN));
    let start = at.unwrap_or_else(|| next_slot(cal, day_after.max(now), FOLLOW_UP_MINUTES));
    let due = task.map(|t| format!(", due by {}", cal.local_datetime(t.due_at).format("%a %-d %b %Y %H:%M")));
    let back = deal.trip.end.map(|e| format!(" (back {})", e.format("%-d %b"))).unwrap_or_default();
    let description = format!(
        "A personal follow-up call to {} after \"{}\"{back}, picked at the Tuesday review of {}{}. \
         Record how it went in Handoff.",
        deal.customer,
        deal.title,
        follow_up.review.format("%-d %b %Y"),
        due.unwrap_or_default(),
    );
    Ok(Invite {
        kind: InviteKind::FollowUp,
        uid: format!("handoff-followup-{}@handoff", deal.id),
        summary: format!("Follow-up call: {} ({})", deal.customer, deal.title),
        description,
        start,
        minutes: FOLLOW_UP_MINUTES,
        weekly: false,
        attendees: vec![owner],
        cancelled: false,
    })
}

#[cfg(test)]
mod tests;
