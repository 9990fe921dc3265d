//! Setting up the agency and changing it: `init`, its settings (review picks, paper, working days
//! and hours), holidays, people, departments and away periods, and who uses this laptop.

use handoff_domain::calendar::{parse_zone, Calendar};
use handoff_domain::directory::{check_name, holiday_name, Department, Directory, SettingsChange};
use handoff_domain::ids::PersonId;
use handoff_domain::RuleError;
use uuid::Uuid;

use crate::dto::*;
use crate::input::{self, parse_date};
use crate::view::person_ref;
use crate::{act, act_and_show, ApiError, Ctx, Decision};

fn agency_dto(ctx: &Ctx, dir: &Directory) -> Result<AgencyDto, ApiError> {
    let a = dir.agency()?;
    let store = ctx.store();
    Ok(AgencyDto {
        name: a.name.clone(),
        timezone: a.calendar.zone.name().into(),
        workdays: a.calendar.workdays.to_string(),
        hours: a.calendar.hours.to_string(),
        one_business_day_hours: crate::view::hours(a.calendar.one_business_day()),
        holidays: a.calendar.holidays.iter().copied().collect(),
        review_picks: a.review_picks,
        review_time: a.review_time().format("%H:%M").to_string(),
        paper: a.paper,
        locale: a.locale(),
        device_key: dir.keys.device_key_of(store.device()).map(|k| k.fingerprint.clone()),
        keys_folder: ctx.keys().map(|k| k.folder().display().to_string()).unwrap_or_default(),
        keychain: ctx.keys().is_ok_and(|k| k.keychain_answers()),
        device: store.device().to_string(),
        database: store.path().display().to_string(),
    })
}

/// Creates the agency in a new (or empty) database.
pub fn init(ctx: &Ctx, req: InitRequest) -> Result<AgencyDto, ApiError> {
    check_name("the agency name", &req.agency)?;
    let mut calendar = Calendar::new(parse_zone(&req.timezone).map_err(RuleError::from)?);
    if let Some(w) = &req.workdays {
        calendar.workdays = w.parse().map_err(RuleError::from)?;
    }
    if let Some(h) = &req.hours {
        calendar.hours = h.parse().map_err(RuleError::from)?;
    }
    let now = ctx.now();
    let at = input::action_time(req.acting.at.as_deref(), &calendar, now)?;
    let dir = ctx.store().write(|w| {
        let body = w.directory()?.create(req.agency.clone(), calendar)?;
        w.append(None, at, now, vec![body])?;
        Ok::<_, ApiError>(w.directory()?.clone())
    })?;
    agency_dto(ctx, &dir)
}

/// The agency, its calendar and where its data lives.
pub fn agency(ctx: &Ctx) -> Result<AgencyDto, ApiError> {
    let dir = ctx.store().read(handoff_store::query::directory)?;
    agency_dto(ctx, &dir)
}

/// Changes agency settings: how many trips a Tuesday review may pick, when it starts, the PDFs'
/// paper, how dates and numbers are written, and the calendar's working days and hours
/// (business time of past deals is counted again with them).
pub fn agency_set(ctx: &Ctx, req: AgencySetRequest) -> Result<AgencyDto, ApiError> {
    let change = SettingsChange {
        review_picks: req.review_picks,
        review_time: req.review_time.as_deref().map(review_time).transpose()?,
        paper: req.paper,
        locale: req.locale,
        workdays: req.workdays.as_deref().map(|w| w.parse()).transpose().map_err(RuleError::from)?,
        hours: req.hours.as_deref().map(|h| h.parse()).transpose().map_err(RuleError::from)?,
    };
    let dir = act_and_show(
        ctx,
        &req.acting,
        |_, dir, _, _| Ok(Decision { events: dir.change_settings(change)?, answer: () }),
        |w, ()| Ok(handoff_store::query::directory(w.connection())?),
    )?;
    agency_dto(ctx, &dir)
}

/// Reads the time the Tuesday review starts: `HH:MM`.
fn review_time(text: &str) -> Result<chrono::NaiveTime, ApiError> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        ApiError::invalid(format!("the review time \"{text}\" is not a time: write it as HH:MM, like 10:00"))
    })
}

/// Adds a holiday to the calendar (business time skips it).
pub fn holiday_add(ctx: &Ctx, req: HolidayAddRequest) -> Result<Holiday, ApiError> {
    let date = parse_date(&req.date, "the holiday")?;
    act(ctx, &req.acting, |_, dir, _, _| {
        let name = holiday_name(req.name.clone());
        Ok(Decision { events: vec![dir.add_holiday(date, name.clone())?], answer: Holiday { date, name } })
    })
}

fn person_dto(dir: &Directory, id: PersonId, today: chrono::NaiveDate) -> PersonDto {
    let p = dir.person(id).expect("listed people exist");
    let staffing = dir.staffing(p.dept);
    let role = if staffing.lead == Some(id) {
        Some("lead".to_string())
    } else {
        staffing.backups.iter().position(|b| *b == id).map(|i| format!("backup {}", i + 1))
    };
    PersonDto {
        id,
        name: p.name.clone(),
        dept: p.dept,
        email: p.email.clone(),
        role,
        away: p.away.iter().map(|a| AwayDto { from: a.from, to: a.to }).collect(),
        away_today: p.is_away(today),
        retired: p.retired.clone(),
        sees_whole_agency: p.dept == Department::Founder,
    }
}

/// Adds a person to a department.
pub fn person_add(ctx: &Ctx, req: PersonAddRequest) -> Result<PersonDto, ApiError> {
    let dept = req.dept;
    check_name("the name", &req.name)?;
    let id = PersonId::from_uuid(Uuid::now_v7());
    let today = ctx.now();
    act(ctx, &req.acting, |_, dir, _, at| {
        let events = vec![dir.add_person(id, req.name.clone(), dept, req.email.clone(), req.confirmed_different)?];
        let mut after = dir.clone();
        after.apply(&events[0], at)?;
        let day = after.calendar()?.local_date(today);
        Ok(Decision { events, answer: person_dto(&after, id, day) })
    })
}

/// Everyone, in the order they were added.
pub fn person_list(ctx: &Ctx) -> Result<Vec<PersonDto>, ApiError> {
    let dir = ctx.store().read(handoff_store::query::directory)?;
    let today = dir.calendar()?.local_date(ctx.now());
    Ok(dir.people.iter().map(|p| person_dto(&dir, p.id, today)).collect())
}

/// Names a department's lead and its ordered backups.
pub fn dept_set(ctx: &Ctx, req: DeptSetRequest) -> Result<DeptDto, ApiError> {
    let dept = req.dept;
    act(ctx, &req.acting, |_, dir, _, _| {
        let lead = input::person(dir, &req.lead)?.id;
        let backups: Vec<PersonId> =
            req.backups.iter().map(|b| input::person(dir, b).map(|p| p.id)).collect::<Result<_, _>>()?;
        let event = dir.staff(dept, lead, backups.clone())?;
        let answer = DeptDto {
            dept,
            lead: Some(person_ref(dir, lead)),
            backups: backups.iter().map(|b| person_ref(dir, *b)).collect(),
        };
        Ok(Decision { events: vec![event], answer })
    })
}

/// Each department with its lead and backups.
pub fn dept_list(ctx: &Ctx) -> Result<Vec<DeptDto>, ApiError> {
    let dir = ctx.store().read(handoff_store::query::directory)?;
    dir.agency()?;
    Ok(Department::ALL
        .into_iter()
        .map(|dept| {
            let s = dir.staffing(dept);
            DeptDto {
                dept,
                lead: s.lead.map(|l| person_ref(&dir, l)),
                backups: s.backups.iter().map(|b| person_ref(&dir, *b)).collect(),
            }
        })
        .collect())
}

/// Records that a person is away for whole days (inclusive).
pub fn person_away(ctx: &Ctx, req: AwayRequest) -> Result<PersonDto, ApiError> {
    let from = parse_date(&req.from, "the first day away")?;
    let to = parse_date(&req.to, "the last day away")?;
    let now = ctx.now();
    act(ctx, &req.acting, |w, dir, _, at| {
        let person = input::person(dir, &req.person)?.id;
        let event = dir.set_away(person, from, to)?;
        gone_for_more(w, dir, person, vec![event], at, now)
    })
}

/// Appends `events`, which make `person` away on more days (or gone), and gives the service
/// handoffs they own on a day they will now be away to a new owner now.
fn gone_for_more(
    w: &mut handoff_store::Writer<'_>,
    dir: &Directory,
    person: PersonId,
    mut events: Vec<handoff_domain::event::EventBody>,
    at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Decision<PersonDto>, ApiError> {
    let mut after = dir.clone();
    for event in &events {
        after.apply(event, at)?;
    }
    for deal in handoff_store::query::service_owned_by(w.connection(), person)? {
        let escalation = handoff_domain::ids::EscalationId::from_uuid(Uuid::now_v7());
        events.extend(deal.service_after_away(&after, person, escalation)?);
    }
    let today = after.calendar()?.local_date(now);
    Ok(Decision { events, answer: person_dto(&after, person, today) })
}

/// Corrects an away period (named by its first day): it ends on another day, or is cancelled.
/// Longer than it was, the service handoffs the person owns on the new days find a new owner.
pub fn away_correct(ctx: &Ctx, req: AwayCorrectRequest) -> Result<PersonDto, ApiError> {
    let from = parse_date(&req.from, "the first day of the away period")?;
    let to = req.to.as_deref().map(|t| parse_date(t, "the new last day away")).transpose()?;
    let now = ctx.now();
    act(ctx, &req.acting, |w, dir, _, at| {
        let person = input::person(dir, &req.person)?.id;
        let event = dir.correct_away(person, from, to, req.reason.clone())?;
        gone_for_more(w, dir, person, vec![event], at, now)
    })
}

/// Takes a holiday off the calendar; the business dwell of handoffs around it is counted again.
pub fn holiday_remove(ctx: &Ctx, req: HolidayRemoveRequest) -> Result<Holiday, ApiError> {
    let date = parse_date(&req.date, "the holiday")?;
    act(ctx, &req.acting, |_, dir, _, _| {
        Ok(Decision {
            events: vec![dir.remove_holiday(date, req.reason.clone())?],
            answer: Holiday { date, name: None },
        })
    })
}

/// Retires a person who has left: kept in the history under their name, never assigned again;
/// the service handoffs they own find a new owner now.
pub fn person_retire(ctx: &Ctx, req: RetireRequest) -> Result<PersonDto, ApiError> {
    let now = ctx.now();
    act(ctx, &req.acting, |w, dir, _, at| {
        let person = input::person(dir, &req.person)?.id;
        let events = dir.retire(person, req.reason.clone())?;
        gone_for_more(w, dir, person, events, at, now)
    })
}

/// Sets or removes a person's e-mail address (for calendar invitations).
pub fn person_email(ctx: &Ctx, req: PersonEmailRequest) -> Result<PersonDto, ApiError> {
    act(ctx, &req.acting, |_, dir, _, at| {
        let person = input::person(dir, &req.person)?.id;
        let event = dir.set_email(person, req.email.clone())?;
        let mut after = dir.clone();
        after.apply(&event, at)?;
        Ok(Decision { events: vec![event], answer: person_dto(&after, person, after.calendar()?.local_date(at)) })
    })
}

/// The person who uses this laptop ("who am I"), once chosen: the app acts as them by default.
pub fn whoami(ctx: &Ctx) -> Result<Option<PersonDto>, ApiError> {
    let (dir, me) = ctx
        .store()
        .read(|conn| Ok::<_, ApiError>((handoff_store::query::directory(conn)?, handoff_store::query::me(conn)?)))?;
    let today = dir.calendar()?.local_date(ctx.now());
    Ok(me.filter(|id| dir.person(*id).is_some()).map(|id| person_dto(&dir, id, today)))
}

/// Says who uses this laptop. A setting of this installation only: it is not an event and is not
/// shared with other laptops.
pub fn whoami_set(ctx: &Ctx, person: &str) -> Result<PersonDto, ApiError> {
    let now = ctx.now();
    ctx.store().write(|w| {
        let dir = w.directory()?.clone();
        let id = input::person(&dir, person)?.id;
        w.set_me(Some(id))?;
        Ok(person_dto(&dir, id, dir.calendar()?.local_date(now)))
    })
}
