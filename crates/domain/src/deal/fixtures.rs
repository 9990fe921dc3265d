//! The agency and deals the given/when/then tests of every handoff start from: Wayfarer in
//! Europe/London (UTC in early March), with Sam in sales, Fay leading fulfilment with Bo as her
//! backup, Sol leading service with Vi as his backup, and Max the founder.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::brief::Section;
use crate::calendar::Calendar;
use crate::directory::{Agency, Person, Staffing};
use crate::event::EVENT_VERSION;
use crate::hlc::Hlc;
use crate::ids::{DeviceId, EventId};
use crate::zone::Zone;

pub const SAM: PersonId = PersonId(Uuid::from_u128(1)); // sales lead
pub const FAY: PersonId = PersonId(Uuid::from_u128(2)); // fulfilment lead
pub const BO: PersonId = PersonId(Uuid::from_u128(3)); // fulfilment backup
pub const MAX: PersonId = PersonId(Uuid::from_u128(4)); // founder
pub const SOL: PersonId = PersonId(Uuid::from_u128(5)); // service lead
pub const VI: PersonId = PersonId(Uuid::from_u128(6)); // service backup
pub const DEAL: DealId = DealId(Uuid::from_u128(10));
/// This test laptop.
pub const LAPTOP: DeviceId = DeviceId(Uuid::from_u128(99));

/// `person`'s own secret signing key, registered in [`directory`].
pub fn key_of(person: PersonId) -> [u8; 32] {
    [person.0.as_u128() as u8 + 100; 32]
}
/// Any id, where the test does not care which.
pub const NIL: Uuid = Uuid::nil();

/// An instant written as `YYYY-MM-DD HH:MM` UTC (London's time before the end of March).
pub fn t(s: &str) -> DateTime<Utc> {
    Utc.from_utc_datetime(&chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
}

/// A date written as `YYYY-MM-DD`.
pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn directory() -> Directory {
    let person =
        |id, name: &str, dept| Person { id, name: name.into(), dept, email: None, away: vec![], retired: None };
    let mut d = Directory {
        agency: Some(Agency {
            name: "Wayfarer".into(),
            calendar: Calendar::new(Zone::known("Europe/London")),
            review_picks: 3,
            paper: crate::directory::Paper::A4,
            review_time: None,
            locale: None,
        }),
        people: vec![
            person(SAM, "Sam", Department::Sales),
            person(FAY, "Fay", Department::Fulfilment),
            person(BO, "Bo", Department::Fulfilment),
            person(MAX, "Max", Department::Founder),
            person(SOL, "Sol", Department::Service),
            person(VI, "Vi", Department::Service),
        ],
        ..Directory::default()
    };
    d.staffing.insert(Department::Sales, Staffing { lead: Some(SAM), backups: vec![] });
    d.staffing.insert(Department::Fulfilment, Staffing { lead: Some(FAY), backups: vec![BO] });
    d.staffing.insert(Department::Service, Staffing { lead: Some(SOL), backups: vec![VI] });
    for person in [SAM, FAY, BO, MAX, SOL, VI] {
        let registered = d.keys.register_signing_key(person, LAPTOP, &key_of(person)).unwrap();
        d.apply(&registered, t("2026-03-01 09:00")).unwrap();
    }
    d
}

/// Folds `bodies` at `at` into `state` as the store does, in `ctx`.
pub fn fold_in(
    ctx: &FoldContext<'_>,
    state: Option<Deal>,
    bodies: Vec<EventBody>,
    at: DateTime<Utc>,
) -> Result<Deal, RuleError> {
    let mut state = state;
    for body in bodies {
        let e = Event {
            id: EventId(Uuid::now_v7()),
            device: DeviceId(Uuid::nil()),
            actor: None,
            recorded_by: None,
            occurred_at: at,
            recorded_at: at,
            hlc: Hlc::default(),
            part: 0,
            version: EVENT_VERSION,
            body,
        };
        state = Some(Deal::apply(state, &e, ctx)?);
    }
    Ok(state.expect("at least one event"))
}

/// Folds `bodies` at `at` into `state` as the store does, with the agency of [`directory`].
pub fn fold(state: Option<Deal>, bodies: Vec<EventBody>, at: DateTime<Utc>) -> Result<Deal, RuleError> {
    fold_in(&FoldContext::new(&directory()), state, bodies, at)
}

/// Asserts that the fold refuses `body` on `deal` at `at`, and leaves nothing changed.
pub fn assert_fold_refuses(deal: &Deal, body: EventBody, at: DateTime<Utc>) {
    let err = fold(Some(deal.clone()), vec![body.clone()], at).expect_err(&format!("the fold took {body:?}"));
    assert!(matches!(err, RuleError::IllegalTransition { .. }), "{err}");
}

/// Decides with `decide` on `deal`, then folds what it decided at `at`.
pub fn act(deal: Deal, at: &str, decide: impl FnOnce(&Deal) -> Result<Vec<EventBody>, RuleError>) -> Deal {
    let events = decide(&deal).unwrap();
    fold(Some(deal), events, t(at)).unwrap()
}

/// "Alpine retreat", added on 3 March 09:00 with `trip`.
pub fn open_deal_with(dir: &Directory, trip: TripPlan) -> Deal {
    let new = NewDeal {
        title: "Alpine retreat".into(),
        customer: "Acme GmbH".into(),
        value: Money::parse("60000", "EUR").unwrap(),
        sales_owner: SAM,
        trip,
    };
    fold(None, Deal::add(dir, DEAL, new).unwrap(), t("2026-03-03 09:00")).unwrap()
}

pub fn open_deal(dir: &Directory) -> Deal {
    open_deal_with(dir, TripPlan::default())
}

/// Won at 10:00, in its meeting since 14:00, every section of its brief written at 14:02.
pub fn won_in_meeting(dir: &Directory) -> Deal {
    brief_written(dir, won_in_meeting_brief_empty(dir))
}

/// Won at 10:00, in its meeting since 14:00, nothing of its brief written yet.
pub fn won_in_meeting_brief_empty(dir: &Directory) -> Deal {
    let d = open_deal(dir);
    in_meeting(dir, d)
}

fn in_meeting(dir: &Directory, d: Deal) -> Deal {
    let d = act(d, "2026-03-03 10:00", |d| d.win(dir, t("2026-03-03 10:00"), EscalationId(NIL)));
    act(d, "2026-03-03 14:00", |d| d.start_meeting(dir, t("2026-03-03 14:00")))
}

pub fn write(dir: &Directory, d: Deal, section: Section, text: &str) -> Deal {
    act(d, "2026-03-03 14:02", |d| d.write_section(dir, None, section, text.into()))
}

/// Every section of the brief written, at 14:02 in the meeting: a brief that can be signed.
pub fn brief_written(dir: &Directory, d: Deal) -> Deal {
    Section::ALL.into_iter().fold(d, |d, section| write(dir, d, section, &format!("{} for Acme", section.title())))
}

pub fn sign(dir: &Directory, d: Deal, who: PersonId, at: &str) -> Deal {
    act(d, at, |d| d.sign(dir, who, t(at), &key_of(who)))
}

/// The trip every delivery test uses: Monday 16 to Friday 20 March, in Zermatt, for two.
pub fn zermatt() -> TripPlan {
    TripPlan {
        start: Some(day("2026-03-16")),
        start_time: None,
        end: Some(day("2026-03-20")),
        destination: Some("Zermatt".into()),
        travellers: Some(2),
    }
}

/// "Alpine retreat" with the Zermatt trip, handed off on 3 March at 14:12: its first task
/// created and its service handoff scheduled for Sol, due Friday 13 March at midnight.
pub fn handed_off(dir: &Directory) -> Deal {
    let d = brief_written(dir, in_meeting(dir, open_deal_with(dir, zermatt())));
    let d = sign(dir, d, SAM, "2026-03-03 14:10");
    let d = sign(dir, d, FAY, "2026-03-03 14:11");
    act(d, "2026-03-03 14:12", |d| {
        d.end_meeting(dir, t("2026-03-03 14:12"), TaskId(Uuid::from_u128(99)), EscalationId(NIL))
    })
}
