//! Property: whatever sequence of actions people take (valid or refused, in any order), the read
//! tables kept in step with the log are exactly what a rebuild from the log gives, and the file
//! stays sound. This is what lets the read tables be thrown away and rebuilt at any time.

use std::sync::Arc;

use chrono::Duration;
use handoff_api::{Ctx, FixedClock};
use proptest::prelude::*;

use crate::actions::*;

/// Runs the actions and returns the read tables (checked equal to a rebuild).
fn run(actions: &[Action]) -> String {
    // The rebuild holds two deals at most: it writes deals back and reads them again as it goes.
    run_holding(actions, 2)
}

/// [`run`], the rebuild holding at most `hold` deals.
fn run_holding(actions: &[Action], hold: usize) -> String {
    handoff_store::hold_at_most(hold);
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock(start() + Duration::days(30)));
    let ctx = Ctx::open_with_clock(&dir.path().join("p.db"), true, clock)
        .unwrap()
        .with_keys(handoff_api::LaptopKeys::in_data_folder(dir.path()));
    set_up(&ctx);
    let mut deals: Vec<String> = Vec::new();
    let mut accepted = 0;
    for (i, a) in actions.iter().enumerate() {
        // Refusals are part of the property: they must leave no trace.
        accepted += usize::from(perform(&ctx, &mut deals, i, a).is_ok());
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
    at(3, WriteBrief { deal: 0 });
    at(4, Sign { deal: 0, person: 0 });
    at(5, Sign { deal: 0, person: 2 });
    at(6, TripSet { deal: 0, start_day: 3, days: 1 }); // Thursday 5 March 10:00 to Friday 6 March
    at(7, End { deal: 0 });
    at(8, TravellerAdd { deal: 0, name: 0, topic: 0 });
    at(9, ServiceStart { deal: 0 });
    at(10, Ack { deal: 0, name: 0, topic: 0 });
    at(11, TravellerEdit { deal: 0, name: 0, topic: 0, text: "no nuts".into() });
    at(12, ServiceComplete { deal: 0 }); // refused: changed since acknowledged
    at(13, Ack { deal: 0, name: 0, topic: 0 });
    at(14, ServiceComplete { deal: 0 });
    at(15, Escalate { deal: 0 });
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
        Sign { deal: 0, person: 0 }, // refused: one section of seven
        WriteBrief { deal: 0 },
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

/// Many deals written back at once: each deal added, then won with an escalation naming it (or
/// lost), then three of them briefed, signed and given a traveller. Rebuilt holding every deal
/// until the end, and holding 66 of the 70, so the first 66 are written back together when the
/// 67th comes, let go, and read back for their later actions. (Every action fits in the 30 days
/// before the run's clock.)
#[test]
fn a_rebuild_writing_many_deals_at_once_gives_what_the_live_fold_wrote() {
    use Action::*;
    const DEALS: usize = 70;
    let mut steps: Vec<Action> = (0..DEALS).map(|i| AddDeal { owner: i % 2 }).collect();
    for deal in 0..DEALS {
        if deal % 7 == 3 {
            steps.push(Lost { deal });
        } else {
            steps.extend([Won { deal }, Escalate { deal }]);
        }
    }
    for deal in 0..3 {
        steps.extend([Start { deal }, WriteBrief { deal }, Sign { deal, person: 0 }]);
        steps.push(TravellerAdd { deal, name: 0, topic: deal });
    }
    for hold in [usize::MAX, 66] {
        let tables = run_holding(&steps, hold);
        let section = |name: &str| tables.split(&format!("## {name}\n")).nth(1).unwrap().split("## ").next().unwrap();
        assert_eq!(section("deals").lines().count(), DEALS, "holding {hold}");
        let lost = section("deals").lines().filter(|l| l.contains(" | \"lost\" | ")).count();
        assert_eq!(lost, (0..DEALS).filter(|d| d % 7 == 3).count(), "holding {hold}");
        let won = section("deals").lines().filter(|l| l.contains(" | \"won\" | ")).count();
        assert!(won >= DEALS / 2, "{won} won, holding {hold}");
        assert_eq!(section("escalations").lines().count(), DEALS - lost, "holding {hold}");
        assert!(
            section("deal_search").lines().any(|l| l.contains("\"travellers\"") && l.ends_with("\"ana\"")),
            "holding {hold}"
        );
    }
}
