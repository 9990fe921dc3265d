//! Property: whatever sequence of actions people take (valid or refused, in any order), the read
//! tables kept in step with the log are exactly what a rebuild from the log gives, and the file
//! stays sound. This is what lets the read tables be thrown away and rebuilt at any time.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use handoff_api::dto::*;
use handoff_api::{Ctx, FixedClock};
use proptest::prelude::*;

const PEOPLE: [(&str, &str); 6] = [
    ("Sam", "sales"),
    ("Sue", "sales"),
    ("Fay", "fulfilment"),
    ("Bo", "fulfilment"),
    ("Cy", "fulfilment"),
    ("Max", "founder"),
];
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
}

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
    ]
}

/// Runs the actions and returns the read tables (checked equal to a rebuild).
fn run(actions: &[Action]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
    let clock = Arc::new(FixedClock(start + Duration::days(30)));
    let ctx = Ctx::open_with_clock(&dir.path().join("p.db"), true, clock).unwrap();
    let acting = |minute: usize, who: Option<&str>| Acting {
        actor: who.map(str::to_string),
        at: Some((start + Duration::minutes(minute as i64 * 37)).to_rfc3339()),
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
            PersonAddRequest { name: name.into(), dept: dept.into(), email: None, acting: Acting::default() },
        )
        .unwrap();
    }
    handoff_api::dept_set(
        &ctx,
        DeptSetRequest {
            dept: "fulfilment".into(),
            lead: "Fay".into(),
            backups: vec!["Bo".into(), "Cy".into()],
            acting: Acting::default(),
        },
    )
    .unwrap();
    let mut deals: Vec<String> = Vec::new();
    let deal = |deals: &Vec<String>, i: usize| deals.get(i).cloned().unwrap_or_else(|| "no such deal".into());
    for (i, a) in actions.iter().enumerate() {
        // Refusals are part of the property: they must leave no trace.
        let _ = match a.clone() {
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
                    section: SECTIONS[section].into(),
                    text,
                    acting: acting(i, None),
                },
            )
            .map(drop),
            Action::Sign { deal: d, person } => handoff_api::brief_sign(
                &ctx,
                DealAction { deal: deal(&deals, d), acting: acting(i, Some(PEOPLE[person].0)) },
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
        };
    }
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
    fn read_tables_always_equal_a_rebuild_from_the_log(actions in prop::collection::vec(action(), 1..45)) {
        run(&actions);
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
