//! Property: whatever sequence of actions people take (valid or refused, in any order), the read
//! tables kept in step with the log are exactly what a rebuild from the log gives, and the file
//! stays sound. This is what lets the read tables be thrown away and rebuilt at any time.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use handoff_api::dto::*;
use handoff_api::{Ctx, FixedClock};
use proptest::prelude::*;

const PEOPLE: [(&str, &str); 8] = [
    ("Sam", "sales"),
    ("Sue", "sales"),
    ("Fay", "fulfilment"),
    ("Bo", "fulfilment"),
    ("Cy", "fulfilment"),
    ("Max", "founder"),
    ("Sol", "service"),
    ("Ivy", "service"),
];
/// Each action happens this long after the one before.
const STEP_MINUTES: i64 = 180;
const TOPICS: [&str; 5] = ["dietary", "mobility", "rooming", "medical", "other"];
const REVIEWS: [&str; 3] = ["2026-03-03", "2026-03-10", "2026-03-17"];
const SECTIONS: [&str; 7] = ["customer", "trip", "sold", "promises", "preferences", "risks", "first-steps"];

#[derive(Clone, Debug)]
enum Action {
    AddDeal { owner: usize },
    Won { deal: usize },
    Lost { deal: usize },
    Start { deal: usize },
    Write { deal: usize, section: usize, text: String },
    Sign { deal: usize, person: usize },
    End { deal: usize },
    Reassign { deal: usize, to: usize },
    TaskDone { deal: usize },
    Away { person: usize, from_day: i64, days: i64 },
    Holiday { day: i64 },
    TripSet { deal: usize, start_day: i64, days: i64 },
    TravellerAdd { deal: usize, name: usize, topic: usize },
    TravellerEdit { deal: usize, name: usize, topic: usize, text: String },
    ServiceStart { deal: usize },
    Ack { deal: usize, name: usize, topic: usize },
    ServiceComplete { deal: usize },
    Ask { deal: usize, topic: usize, covered: bool },
    Signal { deal: usize, strength: u8 },
    Pick { deal: usize, review: usize },
    FollowUp { deal: usize, renewed: bool },
    Outreach { attempts: u32, renewals: u32 },
    Escalate { deal: usize },
}

const TRAVELLERS: [&str; 3] = ["Ana", "Ben", "Cal"];

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        2 => (0..2usize).prop_map(|owner| Action::AddDeal { owner }),
        3 => (0..4usize).prop_map(|deal| Action::Won { deal }),
        1 => (0..4usize).prop_map(|deal| Action::Lost { deal }),
        2 => (0..4usize).prop_map(|deal| Action::Start { deal }),
        3 => (0..4usize, 0..7usize, "[a-zA-Z0-9 ';\\-]{0,40}").prop_map(|(deal, section, text)| Action::Write { deal, section, text }),
        4 => (0..4usize, 0..6usize).prop_map(|(deal, person)| Action::Sign { deal, person }),
        3 => (0..4usize).prop_map(|deal| Action::End { deal }),
        1 => (0..4usize, 0..6usize).prop_map(|(deal, to)| Action::Reassign { deal, to }),
        1 => (0..4usize).prop_map(|deal| Action::TaskDone { deal }),
        1 => (0..6usize, 0..10i64, 0..3i64).prop_map(|(person, from_day, days)| Action::Away { person, from_day, days }),
        1 => (0..10i64).prop_map(|day| Action::Holiday { day }),
        2 => (0..4usize, 3..12i64, 0..3i64).prop_map(|(deal, start_day, days)| Action::TripSet { deal, start_day, days }),
        2 => (0..4usize, 0..3usize, 0..5usize).prop_map(|(deal, name, topic)| Action::TravellerAdd { deal, name, topic }),
        1 => (0..4usize, 0..3usize, 0..5usize, "[a-z ]{0,12}").prop_map(|(deal, name, topic, text)| Action::TravellerEdit { deal, name, topic, text }),
        1 => (0..4usize).prop_map(|deal| Action::ServiceStart { deal }),
        2 => (0..4usize, 0..3usize, 0..5usize).prop_map(|(deal, name, topic)| Action::Ack { deal, name, topic }),
        1 => (0..4usize).prop_map(|deal| Action::ServiceComplete { deal }),
        1 => (0..4usize, 0..5usize, any::<bool>()).prop_map(|(deal, topic, covered)| Action::Ask { deal, topic, covered }),
        1 => (0..4usize, 0..7u8).prop_map(|(deal, strength)| Action::Signal { deal, strength }),
        1 => (0..4usize, 0..3usize).prop_map(|(deal, review)| Action::Pick { deal, review }),
        1 => (0..4usize, any::<bool>()).prop_map(|(deal, renewed)| Action::FollowUp { deal, renewed }),
        1 => (1..20u32, 0..20u32).prop_map(|(attempts, renewals)| Action::Outreach { attempts, renewals }),
        1 => (0..5usize).prop_map(|deal| Action::Escalate { deal }),
    ]
}

/// Runs the actions and returns the read tables (checked equal to a rebuild).
fn run(actions: &[Action]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
    let clock = Arc::new(FixedClock(start + Duration::days(30)));
    let ctx = Ctx::open_with_clock(&dir.path().join("p.db"), true, clock)
        .unwrap()
        .with_keys(handoff_api::LaptopKeys::in_data_folder(dir.path()));
    let acting = |minute: usize, who: Option<&str>| Acting {
        actor: who.map(str::to_string),
        at: Some((start + Duration::minutes(minute as i64 * STEP_MINUTES)).to_rfc3339()),
    };
    handoff_api::init(
        &ctx,
        InitRequest {
            agency: "Prop".into(),
            timezone: "Europe/London".into(),
            workdays: None,
            hours: None,
            acting: Acting::default(),
        },
    )
    .unwrap();
    for (name, dept) in PEOPLE {
        handoff_api::person_add(
            &ctx,
            PersonAddRequest {
                name: name.into(),
                dept: dept.parse().unwrap(),
                email: None,
                confirmed_different: false,
                acting: Acting::default(),
            },
        )
        .unwrap();
        let acting = Acting { actor: Some(name.into()), at: None };
        let key = KeyCreateRequest { acting, passphrase: Some(format!("passphrase of {name}")), work_factor: Some(10) };
        handoff_api::key_create(&ctx, key).unwrap();
    }
    handoff_api::dept_set(
        &ctx,
        DeptSetRequest {
            dept: "fulfilment".parse().unwrap(),
            lead: "Fay".into(),
            backups: vec!["Bo".into(), "Cy".into()],
            acting: Acting::default(),
        },
    )
    .unwrap();
    handoff_api::dept_set(
        &ctx,
        DeptSetRequest {
            dept: "service".parse().unwrap(),
            lead: "Sol".into(),
            backups: vec!["Ivy".into()],
            acting: Acting::default(),
        },
    )
    .unwrap();
    handoff_api::dept_set(
        &ctx,
        DeptSetRequest {
            dept: "sales".parse().unwrap(),
            lead: "Sam".into(),
            backups: vec![],
            acting: Acting::default(),
        },
    )
    .unwrap();
    let mut deals: Vec<String> = Vec::new();
    let mut accepted = 0;
    let deal = |deals: &Vec<String>, i: usize| deals.get(i).cloned().unwrap_or_else(|| "no such deal".into());
    for (i, a) in actions.iter().enumerate() {
        // Refusals are part of the property: they must leave no trace.
        let result = match a.clone() {
            Action::AddDeal { owner } => handoff_api::deal_add(
                &ctx,
                DealAddRequest {
                    title: format!("Deal {i}"),
                    customer: "C".into(),
                    value: "100".into(),
                    currency: "EUR".into(),
                    owner: PEOPLE[owner].0.into(),
                    trip_start: None,
                    trip_end: None,
                    destination: None,
                    travellers: None,
                    acting: acting(i, None),
                },
            )
            .map(|d| deals.push(d.id.to_string())),
            Action::Won { deal: d } => {
                handoff_api::deal_won(&ctx, DealAction { deal: deal(&deals, d), acting: acting(i, None) }).map(drop)
            }
            Action::Lost { deal: d } => {
                handoff_api::deal_lost(&ctx, DealAction { deal: deal(&deals, d), acting: acting(i, None) }).map(drop)
            }
            Action::Start { deal: d } => {
                handoff_api::meeting_start(&ctx, DealAction { deal: deal(&deals, d), acting: acting(i, None) })
                    .map(drop)
            }
            Action::Write { deal: d, section, text } => handoff_api::brief_set(
                &ctx,
                BriefSetRequest {
                    deal: deal(&deals, d),
                    section: SECTIONS[section].parse().unwrap(),
                    text,
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::Sign { deal: d, person } => handoff_api::brief_sign(
                &ctx,
                BriefSignRequest {
                    deal: deal(&deals, d),
                    acting: acting(i, Some(PEOPLE[person].0)),
                    passphrase: Some(format!("passphrase of {}", PEOPLE[person].0)),
                },
            )
            .map(drop),
            Action::End { deal: d } => {
                handoff_api::meeting_end(&ctx, DealAction { deal: deal(&deals, d), acting: acting(i, None) }).map(drop)
            }
            Action::Reassign { deal: d, to } => handoff_api::reassign(
                &ctx,
                ReassignRequest {
                    deal: deal(&deals, d),
                    to: PEOPLE[to].0.into(),
                    reason: "cover".into(),
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::TaskDone { deal: d } => {
                handoff_api::task_done(&ctx, TaskDoneRequest { task: deal(&deals, d), acting: acting(i, None) })
                    .map(drop)
            }
            Action::Away { person, from_day, days } => {
                let from = (start + Duration::days(from_day)).date_naive();
                handoff_api::person_away(
                    &ctx,
                    AwayRequest {
                        person: PEOPLE[person].0.into(),
                        from: from.to_string(),
                        to: (from + Duration::days(days)).to_string(),
                        acting: acting(i, None),
                    },
                )
                .map(drop)
            }
            Action::Holiday { day } => handoff_api::holiday_add(
                &ctx,
                HolidayAddRequest {
                    date: (start + Duration::days(day)).date_naive().to_string(),
                    name: None,
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::TripSet { deal: d, start_day, days } => {
                let first = (start + Duration::days(start_day)).date_naive();
                handoff_api::trip_set(
                    &ctx,
                    TripSetRequest {
                        deal: deal(&deals, d),
                        start: Some(format!("{first} 10:00")),
                        end: Some((first + Duration::days(days)).to_string()),
                        destination: Some("Rome".into()),
                        travellers: None,
                        acting: acting(i, None),
                    },
                )
                .map(drop)
            }
            Action::TravellerAdd { deal: d, name, topic } => handoff_api::traveller_add(
                &ctx,
                TravellerAddRequest {
                    deal: deal(&deals, d),
                    name: TRAVELLERS[name].into(),
                    preferences: vec![PreferenceInput {
                        topic: TOPICS[topic].parse().unwrap(),
                        text: "needs care".into(),
                    }],
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::TravellerEdit { deal: d, name, topic, text } => handoff_api::traveller_edit(
                &ctx,
                TravellerEditRequest {
                    deal: deal(&deals, d),
                    traveller: TRAVELLERS[name].into(),
                    name: None,
                    preferences: vec![PreferenceInput { topic: TOPICS[topic].parse().unwrap(), text }],
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::ServiceStart { deal: d } => {
                handoff_api::service_start(&ctx, DealAction { deal: deal(&deals, d), acting: acting(i, None) })
                    .map(drop)
            }
            Action::Ack { deal: d, name, topic } => handoff_api::service_ack(
                &ctx,
                ServiceAckRequest {
                    deal: deal(&deals, d),
                    traveller: TRAVELLERS[name].into(),
                    topic: TOPICS[topic].parse().unwrap(),
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::ServiceComplete { deal: d } => {
                handoff_api::service_complete(&ctx, DealAction { deal: deal(&deals, d), acting: acting(i, None) })
                    .map(drop)
            }
            Action::Ask { deal: d, topic, covered } => handoff_api::ask_log(
                &ctx,
                AskLogRequest {
                    deal: deal(&deals, d),
                    traveller: None,
                    topic: TOPICS[topic].parse().unwrap(),
                    text: "a question".into(),
                    brief_should_have_covered: covered,
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::Signal { deal: d, strength } => handoff_api::trip_signal(
                &ctx,
                SignalRequest {
                    deal: deal(&deals, d),
                    sentiment: "thrilled".parse().unwrap(),
                    strength,
                    note: None,
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::Pick { deal: d, review } => handoff_api::review_pick(
                &ctx,
                ReviewPickRequest {
                    deals: vec![deal(&deals, d)],
                    date: Some(REVIEWS[review].into()),
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::FollowUp { deal: d, renewed } => handoff_api::followup_done(
                &ctx,
                FollowUpDoneRequest {
                    deal: deal(&deals, d),
                    outcome: if renewed { "renewed" } else { "no-answer" }.parse().unwrap(),
                    renewed_deal: None,
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::Outreach { attempts, renewals } => handoff_api::outreach_cold(
                &ctx,
                OutreachRequest { attempts, renewals, date: None, acting: acting(i, None) },
            )
            .map(drop),
            Action::Escalate { deal: d } => handoff_api::escalation_log(
                &ctx,
                EscalationLogRequest {
                    reason: "called the founder".into(),
                    deal: deals.get(d).cloned(),
                    acting: acting(i, None),
                },
            )
            .map(drop),
        };
        accepted += usize::from(result.is_ok());
    }
    // Refused actions are expected; a run where nothing was accepted would prove nothing.
    assert!(accepted > 0 || actions.len() < 3, "no action was accepted");
    let live = ctx.store().read(handoff_store::query::read_tables_dump).unwrap();
    let rebuilt = handoff_api::rebuild(&ctx).unwrap();
    assert_eq!(rebuilt.integrity, "ok");
    let after = ctx.store().read(handoff_store::query::read_tables_dump).unwrap();
    assert_eq!(live, after, "the read tables differ from a rebuild of the log");
    after
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn read_tables_always_equal_a_rebuild_from_the_log(actions in prop::collection::vec(action(), 1..70)) {
        // Three deals first, so most actions have something to act on.
        let mut all = vec![Action::AddDeal { owner: 0 }, Action::AddDeal { owner: 1 }, Action::AddDeal { owner: 0 }];
        all.extend(actions);
        run(&all);
    }
}

/// The property on a hand-picked run through both later handoffs: trip, travellers, the service
/// call with a changed preference, an ask, the signal, a review pick and its follow-up.
#[test]
fn a_trip_through_service_and_the_review_rebuilds_identically() {
    use Action::*;
    // Actions land every three hours from Monday 2 March 08:00; pad to reach a given step.
    let mut steps: Vec<Action> = Vec::new();
    let mut at = |step: usize, a: Action| {
        while steps.len() < step {
            steps.push(Outreach { attempts: 3, renewals: 1 });
        }
        steps.push(a);
    };
    at(0, AddDeal { owner: 0 });
    at(1, Won { deal: 0 });
    at(2, Start { deal: 0 });
    at(3, Sign { deal: 0, person: 0 });
    at(4, Sign { deal: 0, person: 2 });
    at(5, TripSet { deal: 0, start_day: 3, days: 1 }); // Thursday 5 March 10:00 to Friday 6 March
    at(6, End { deal: 0 });
    at(7, TravellerAdd { deal: 0, name: 0, topic: 0 });
    at(8, ServiceStart { deal: 0 });
    at(9, Ack { deal: 0, name: 0, topic: 0 });
    at(10, TravellerEdit { deal: 0, name: 0, topic: 0, text: "no nuts".into() });
    at(11, ServiceComplete { deal: 0 }); // refused: changed since acknowledged
    at(12, Ack { deal: 0, name: 0, topic: 0 });
    at(13, ServiceComplete { deal: 0 });
    at(14, Escalate { deal: 0 });
    at(25, Ask { deal: 0, topic: 0, covered: true }); // Thursday 5 March 11:00, during the trip
    at(38, Signal { deal: 0, strength: 5 }); // Saturday 7 March 02:00, after it
    at(39, Pick { deal: 0, review: 1 }); // the review of 10 March
    at(40, FollowUp { deal: 0, renewed: true });
    let tables = run(&steps);
    for expected in ["service_completed", "\"2026-03-10\"", "Follow-up call", "\"dietary\"", "outcome\\\":\\\"renewed"]
    {
        let needle = expected.replace("service_completed", "completed_at");
        assert!(tables.contains(&needle), "{needle} missing from\n{tables}");
    }
}

/// The same property on one long, hand-picked run that reaches every state.
#[test]
fn a_full_handoff_with_stale_signatures_and_a_reassignment_rebuilds_identically() {
    use Action::*;
    let tables = run(&[
        AddDeal { owner: 0 },
        AddDeal { owner: 1 },
        Away { person: 2, from_day: 0, days: 1 },
        Won { deal: 0 },
        Won { deal: 1 },
        Start { deal: 0 },
        Write { deal: 0, section: 0, text: "Acme".into() },
        Sign { deal: 0, person: 0 },
        Sign { deal: 0, person: 3 },
        Write { deal: 0, section: 5, text: "Visa".into() },
        Sign { deal: 0, person: 0 },
        Reassign { deal: 0, to: 4 },
        Sign { deal: 0, person: 4 },
        End { deal: 0 },
        TaskDone { deal: 0 },
        Holiday { day: 0 },
        Lost { deal: 1 },
        AddDeal { owner: 1 },
        Lost { deal: 2 },
    ]);
    assert!(tables.contains("\"handed-off\""), "{tables}");
    assert!(tables.contains("\"lost\""), "{tables}");
    assert!(tables.contains("Confirm dates with customer"), "{tables}");
}
