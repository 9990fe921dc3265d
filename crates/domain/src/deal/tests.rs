//! Given / when / then tests of the deal state machine, one per row of the table in `deal.rs`.

use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::calendar::Calendar;
use crate::directory::{Agency, AwayPeriod, Person, Staffing};
use crate::event::EVENT_VERSION;
use crate::hlc::Hlc;
use crate::ids::{DeviceId, EventId};

const SAM: PersonId = PersonId(Uuid::from_u128(1)); // sales
const FAY: PersonId = PersonId(Uuid::from_u128(2)); // fulfilment lead
const BO: PersonId = PersonId(Uuid::from_u128(3)); // fulfilment backup
const MAX: PersonId = PersonId(Uuid::from_u128(4)); // founder
const DEAL: DealId = DealId(Uuid::from_u128(10));
/// This test device's secret signing key.
const KEY: [u8; 32] = [42; 32];

fn t(s: &str) -> DateTime<Utc> {
    // Europe/London in March before the change is UTC.
    Utc.from_utc_datetime(&chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
}

fn directory() -> Directory {
    let person = |id, name: &str, dept| Person { id, name: name.into(), dept, email: None, away: vec![] };
    let mut d = Directory {
        agency: Some(Agency {
            name: "Wayfarer".into(),
            calendar: Calendar::new(chrono_tz::Europe::London),
            review_picks: 3,
            paper: crate::directory::Paper::A4,
        }),
        people: vec![
            person(SAM, "Sam", Department::Sales),
            person(FAY, "Fay", Department::Fulfilment),
            person(BO, "Bo", Department::Fulfilment),
            person(MAX, "Max", Department::Founder),
        ],
        ..Directory::default()
    };
    d.staffing.insert(Department::Fulfilment, Staffing { lead: Some(FAY), backups: vec![BO] });
    d
}

/// Folds `bodies` at `at` into `state`, as the store does.
fn fold(state: Option<Deal>, bodies: Vec<EventBody>, at: DateTime<Utc>) -> Result<Deal, RuleError> {
    let mut state = state;
    for body in bodies {
        let e = Event {
            id: EventId(Uuid::now_v7()),
            device: DeviceId(Uuid::nil()),
            actor: None,
            occurred_at: at,
            recorded_at: at,
            hlc: Hlc::default(),
            version: EVENT_VERSION,
            body,
        };
        state = Some(Deal::apply(state, &e)?);
    }
    Ok(state.expect("at least one event"))
}

fn open_deal(dir: &Directory) -> Deal {
    let new = NewDeal {
        title: "Alpine retreat".into(),
        customer: "Acme GmbH".into(),
        value: Money::parse("60000", "EUR").unwrap(),
        sales_owner: SAM,
        trip: TripPlan::default(),
    };
    fold(None, Deal::add(dir, DEAL, new).unwrap(), t("2026-03-03 09:00")).unwrap()
}

fn won_in_meeting(dir: &Directory) -> Deal {
    let d = open_deal(dir);
    let d = fold(
        Some(d.clone()),
        d.win(dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 10:00"),
    )
    .unwrap();
    fold(Some(d.clone()), d.start_meeting(dir, t("2026-03-03 14:00")).unwrap(), t("2026-03-03 14:00")).unwrap()
}

fn write(dir: &Directory, d: Deal, section: Section, text: &str) -> Deal {
    fold(Some(d.clone()), d.write_section(dir, section, text.into()).unwrap(), t("2026-03-03 14:02")).unwrap()
}

fn sign(dir: &Directory, d: Deal, who: PersonId, at: &str) -> Deal {
    fold(Some(d.clone()), d.sign(dir, who, t(at), &KEY).unwrap(), t(at)).unwrap()
}

#[test]
fn a_deal_goes_from_open_to_handed_off() {
    let dir = directory();
    let d = open_deal(&dir);
    assert_eq!(d.status, DealStatus::Open);
    let d = won_in_meeting(&dir);
    assert_eq!(d.status, DealStatus::Won);
    assert_eq!(d.closed_at, Some(t("2026-03-03 10:00")));
    let f = d.fulfilment.clone().unwrap();
    assert_eq!((f.original, f.acting, f.because), (FAY, FAY, AssignedBecause::Lead));
    let d = write(&dir, d, Section::Customer, "Acme GmbH, Jo Bloggs");
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let events =
        d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::from_u128(99)), EscalationId(Uuid::nil())).unwrap();
    let d = fold(Some(d), events, t("2026-03-03 14:12")).unwrap();
    assert_eq!(d.status, DealStatus::HandedOff);
    assert_eq!(d.handoff_at, Some(t("2026-03-03 14:12")));
    assert_eq!(d.dwell(), Some(Duration::minutes(4 * 60 + 12)));
    assert!(d.meeting_flags(dir.calendar().unwrap()).is_empty());
}

#[test]
fn completing_the_handoff_creates_the_first_task_due_in_24_hours() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let d = fold(
        Some(d.clone()),
        d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::from_u128(99)), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 14:12"),
    )
    .unwrap();
    assert_eq!(d.tasks.len(), 1);
    let task = &d.tasks[0];
    assert_eq!(task.title, "Confirm dates with customer");
    assert_eq!(task.owner, FAY);
    assert_eq!(task.due_at, t("2026-03-04 14:12"));
    assert_eq!(task.done_at, None);
}

#[test]
fn meeting_end_is_refused_without_both_signatures() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let err = d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the handoff of \"Alpine retreat\" cannot end yet: Sam (sales) has not signed; Fay (fulfilment) has not signed; sign with `handoff brief sign DEAL --as PERSON`"
    );
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let err = d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap_err();
    assert!(err.to_string().contains("Fay (fulfilment) has not signed"), "{err}");
    assert!(!err.to_string().contains("Sam"), "{err}");
}

#[test]
fn an_edit_makes_signatures_stale() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = write(&dir, d, Section::Risks, "Visa for one traveller");
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    assert!(d.sign_off(SignerRole::Sales).is_valid() && d.sign_off(SignerRole::Fulfilment).is_valid());
    let d = write(&dir, d, Section::Risks, "Visa for two travellers");
    assert_eq!(d.sign_off(SignerRole::Sales), SignOff::Stale { at: t("2026-03-03 14:10") });
    let err = d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap_err();
    assert!(err.to_string().contains("Sam's (sales) signature is stale"), "{err}");
    assert!(err.to_string().contains("Fay's (fulfilment) signature is stale"), "{err}");
    let d = sign(&dir, d, SAM, "2026-03-03 14:13");
    let d = sign(&dir, d, FAY, "2026-03-03 14:13");
    assert!(d.end_meeting(&dir, t("2026-03-03 14:14"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).is_ok());
}

#[test]
fn only_the_two_leads_sign() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let err = d.sign(&dir, BO, t("2026-03-03 14:10"), &KEY).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Bo cannot sign the brief of \"Alpine retreat\": only the Sales author (Sam) and the Fulfilment owner (Fay) sign it"
    );
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let err = d.sign(&dir, SAM, t("2026-03-03 14:11"), &KEY).unwrap_err();
    assert!(matches!(err, RuleError::AlreadySigned { .. }), "{err}");
}

#[test]
fn signing_happens_live_in_the_meeting() {
    let dir = directory();
    let d = open_deal(&dir);
    let d = fold(
        Some(d.clone()),
        d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 10:00"),
    )
    .unwrap();
    let err = d.sign(&dir, SAM, t("2026-03-03 10:05"), &KEY).unwrap_err();
    assert!(err.to_string().contains("handoff meeting start"), "{err}");
}

#[test]
fn reassigning_needs_the_new_owner_to_sign() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let events = d.reassign(&dir, BO, "Fay called away to a supplier".into()).unwrap();
    let d = fold(Some(d), events, t("2026-03-03 14:12")).unwrap();
    let f = d.fulfilment.clone().unwrap();
    assert_eq!((f.original, f.acting), (FAY, BO));
    assert_eq!(f.reassignments[0].reason, "Fay called away to a supplier");
    assert_eq!(d.sign_off(SignerRole::Fulfilment), SignOff::Missing);
    assert!(d.sign(&dir, FAY, t("2026-03-03 14:13"), &KEY).is_err(), "the former owner no longer signs");
    let d = sign(&dir, d, BO, "2026-03-03 14:13");
    assert!(d.end_meeting(&dir, t("2026-03-03 14:14"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).is_ok());
    // Only fulfilment people or the founder take the deal; never the same owner again.
    assert!(matches!(d.reassign(&dir, SAM, "x".into()), Err(RuleError::WrongDepartment { .. })));
    assert!(matches!(d.reassign(&dir, BO, "x".into()), Err(RuleError::SameOwner { .. })));
    assert!(matches!(d.reassign(&dir, MAX, " ".into()), Err(RuleError::Empty { .. })));
}

#[test]
fn a_won_deal_with_the_lead_away_goes_to_the_backup() {
    let mut dir = directory();
    dir.people[1].away.push(AwayPeriod { from: "2026-03-03".parse().unwrap(), to: "2026-03-03".parse().unwrap() });
    let d = open_deal(&dir);
    let events = d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())).unwrap();
    assert_eq!(events.len(), 1);
    assert!(matches!(
        events[0],
        EventBody::DealWon { fulfilment_owner: BO, assigned_because: AssignedBecause::Backup, .. }
    ));
}

#[test]
fn everyone_away_escalates_to_the_founder_and_records_it() {
    let mut dir = directory();
    for i in [1, 2] {
        dir.people[i].away.push(AwayPeriod { from: "2026-03-01".parse().unwrap(), to: "2026-03-09".parse().unwrap() });
    }
    let d = open_deal(&dir);
    let events = d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::from_u128(5))).unwrap();
    assert!(matches!(
        events[0],
        EventBody::DealWon { fulfilment_owner: MAX, assigned_because: AssignedBecause::Escalated, .. }
    ));
    match &events[1] {
        EventBody::FounderEscalated { deal, founder, dept, reason, .. } => {
            assert_eq!((*deal, *founder, *dept), (Some(DEAL), MAX, Some(Department::Fulfilment)));
            assert!(reason.contains("2026-03-03"), "{reason}");
        }
        other => panic!("expected an escalation, got {other:?}"),
    }
}

#[test]
fn a_lost_deal_cannot_be_won() {
    let dir = directory();
    let d = open_deal(&dir);
    let d = fold(Some(d.clone()), d.lose(&dir).unwrap(), t("2026-03-03 10:00")).unwrap();
    assert_eq!(d.status, DealStatus::Lost);
    let err = d.win(&dir, t("2026-03-03 11:00"), EscalationId(Uuid::nil())).unwrap_err();
    assert_eq!(err.to_string(), "deal \"Alpine retreat\" is lost; only an open deal can be won");
}

#[test]
fn a_deal_won_twice_is_refused() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let err = d.win(&dir, t("2026-03-03 11:00"), EscalationId(Uuid::nil())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "deal \"Alpine retreat\" is already won (closed 2026-03-03 10:00); only an open deal can be won"
    );
}

#[test]
fn times_must_follow_each_other() {
    let dir = directory();
    let d = open_deal(&dir);
    let d = fold(
        Some(d.clone()),
        d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 10:00"),
    )
    .unwrap();
    let err = d.start_meeting(&dir, t("2026-03-03 09:59")).unwrap_err();
    assert!(
        err.to_string().contains("the meeting start (2026-03-03 09:59) cannot be before the close (2026-03-03 10:00)"),
        "{err}"
    );
    let d =
        fold(Some(d.clone()), d.start_meeting(&dir, t("2026-03-03 14:00")).unwrap(), t("2026-03-03 14:00")).unwrap();
    let err = d.end_meeting(&dir, t("2026-03-03 13:00"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap_err();
    assert!(
        err.to_string()
            .contains("the meeting end (2026-03-03 13:00) cannot be before the meeting start (2026-03-03 14:00)"),
        "{err}"
    );
}

#[test]
fn a_long_meeting_on_another_day_is_flagged_not_refused() {
    let dir = directory();
    let d = open_deal(&dir);
    let d = fold(
        Some(d.clone()),
        d.win(&dir, t("2026-03-03 16:00"), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 16:00"),
    )
    .unwrap();
    let d =
        fold(Some(d.clone()), d.start_meeting(&dir, t("2026-03-04 09:00")).unwrap(), t("2026-03-04 09:00")).unwrap();
    let d = sign(&dir, d, SAM, "2026-03-04 09:10");
    let d = sign(&dir, d, FAY, "2026-03-04 09:20");
    let d = fold(
        Some(d.clone()),
        d.end_meeting(&dir, t("2026-03-04 09:40"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-04 09:40"),
    )
    .unwrap();
    assert_eq!(d.status, DealStatus::HandedOff);
    assert_eq!(
        d.meeting_flags(dir.calendar().unwrap()),
        vec![
            MeetingFlag::Overran { minutes: 40 },
            MeetingFlag::NotOnCloseDay {
                close_day: "2026-03-03".parse().unwrap(),
                meeting_day: "2026-03-04".parse().unwrap()
            },
        ]
    );
}

#[test]
fn the_brief_is_final_after_the_handoff() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let d = fold(
        Some(d.clone()),
        d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 14:12"),
    )
    .unwrap();
    let err = d.write_section(&dir, Section::Risks, "late edit".into()).unwrap_err();
    assert!(err.to_string().starts_with("deal \"Alpine retreat\" is already handed off (2026-03-03 14:12)"), "{err}");
}

#[test]
fn imported_deals_fold_to_their_status() {
    let dir = directory();
    let row = |ext: &str, handoff: Option<&str>| ImportedDeal {
        external_id: ext.into(),
        title: format!("Deal {ext}"),
        customer: "C".into(),
        value: Money::parse("100", "GBP").unwrap(),
        sales_owner: SAM,
        closed_at: t("2026-03-03 10:00"),
        handoff_at: handoff.map(t),
    };
    let done = fold(
        None,
        Deal::import(&dir, DEAL, row("A1", Some("2026-03-03 12:00")), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-05 10:00"),
    )
    .unwrap();
    assert_eq!((done.status, done.dwell()), (DealStatus::HandedOff, Some(Duration::hours(2))));
    let waiting = fold(
        None,
        Deal::import(&dir, DEAL, row("A2", None), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-05 10:00"),
    )
    .unwrap();
    assert_eq!(waiting.status, DealStatus::Won);
    assert_eq!(waiting.acting_fulfilment_owner(), Some(FAY));
    let err = Deal::import(&dir, DEAL, row("A3", Some("2026-03-03 09:00")), EscalationId(Uuid::nil())).unwrap_err();
    assert!(err.to_string().contains("handoff_at (2026-03-03 09:00) cannot be before closed_at"), "{err}");
}

#[test]
fn the_fold_refuses_illegal_transitions() {
    let dir = directory();
    let d = open_deal(&dir);
    let at = t("2026-03-03 10:00");
    // A meeting on an open deal, an end without signatures, a second add, an event for no deal.
    for body in [
        EventBody::MeetingStarted { deal: DEAL },
        EventBody::MeetingEnded { deal: DEAL },
        EventBody::BriefSigned {
            deal: DEAL,
            signer: SAM,
            role: SignerRole::Sales,
            brief_sha256: "x".into(),
            key_fingerprint: String::new(),
            signature: String::new(),
        },
        EventBody::TaskCompleted { task: TaskId(Uuid::nil()), deal: DEAL },
    ] {
        let err = fold(Some(d.clone()), vec![body], at).unwrap_err();
        assert!(matches!(err, RuleError::IllegalTransition { .. }), "{err}");
    }
    assert!(fold(None, vec![EventBody::DealLost { deal: DEAL }], at).is_err());
    let won = fold(
        Some(d.clone()),
        vec![EventBody::DealWon { deal: DEAL, fulfilment_owner: FAY, assigned_because: AssignedBecause::Lead }],
        at,
    )
    .unwrap();
    assert!(fold(
        Some(won.clone()),
        vec![EventBody::DealWon { deal: DEAL, fulfilment_owner: FAY, assigned_because: AssignedBecause::Lead }],
        at
    )
    .is_err());
    assert!(fold(Some(won), vec![EventBody::DealLost { deal: DEAL }], at).is_err());
}

#[test]
fn the_owner_must_be_in_sales() {
    let dir = directory();
    let new = NewDeal {
        title: "X".into(),
        customer: "Y".into(),
        value: Money::parse("1", "EUR").unwrap(),
        sales_owner: FAY,
        trip: TripPlan::default(),
    };
    let err = Deal::add(&dir, DEAL, new).unwrap_err();
    assert_eq!(err.to_string(), "Fay is in fulfilment, not sales: a deal's owner is the Sales person who sold it");
}

#[test]
fn a_sign_off_carries_a_signature_that_verifies_against_the_device_key() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = write(&dir, d, Section::Sold, "5 nights");
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let s = &d.signatures[0];
    assert_eq!(s.key_fingerprint, crate::signing::fingerprint(&crate::signing::public_key(&KEY)));
    let public = hex::encode(crate::signing::public_key(&KEY));
    let message = crate::signing::signoff_message(d.id, SAM, SignerRole::Sales, s.at, &s.brief_sha256);
    assert!(crate::signing::verify(&public, &message, &s.signature));
    assert_eq!(s.brief_sha256, d.brief.sha256(d.id));
}
