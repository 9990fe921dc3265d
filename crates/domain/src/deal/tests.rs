//! Given / when / then tests of the events every handoff shares, and of the routing itself.

use uuid::Uuid;

use super::fixtures::*;
use super::*;
use crate::calendar::Calendar;
use crate::ids::{EscalationId, TaskId};
use crate::zone::Zone;

#[test]
fn a_task_is_created_once_and_completed_once() {
    let dir = directory();
    let d = handed_off(&dir);
    let first = d.tasks[0].id;
    // Given the first task, when it is done, then it is done once.
    let d = act(d, "2026-03-04 09:00", |d| d.complete_task(&dir, first));
    assert_eq!(d.tasks[0].done_at, Some(t("2026-03-04 09:00")));
    let err = d.complete_task(&dir, first).unwrap_err();
    assert!(matches!(err, RuleError::TaskAlreadyDone { .. }), "{err}");
    assert_fold_refuses(&d, EventBody::TaskCompleted { task: first, deal: DEAL }, t("2026-03-04 09:05"));
    // A task that does not exist cannot be completed; one that exists cannot be created again.
    let missing = TaskId(Uuid::from_u128(404));
    assert!(matches!(d.complete_task(&dir, missing), Err(RuleError::IllegalTransition { .. })));
    assert_fold_refuses(&d, EventBody::TaskCompleted { task: missing, deal: DEAL }, t("2026-03-04 09:05"));
    let again = EventBody::TaskCreated {
        task: first,
        deal: DEAL,
        title: "Again".into(),
        owner: FAY,
        due_at: t("2026-03-05 09:00"),
    };
    assert_fold_refuses(&d, again, t("2026-03-04 09:05"));
}

#[test]
fn the_customer_hears_something_within_one_business_day_or_the_deal_says_not() {
    let dir = directory();
    let cal = dir.calendar().unwrap();
    // Not before the win: an open deal has no customer to contact yet.
    let open = open_deal(&dir);
    assert!(matches!(open.record_contact(&dir, t("2026-03-03 09:30")), Err(RuleError::WrongStatus { .. })));
    assert_fold_refuses(&open, EventBody::CustomerContacted { deal: DEAL }, t("2026-03-03 09:30"));
    // Won Tuesday 3 March 10:00 (London, GMT): one business day runs to Wednesday 10:00.
    let won = won_in_meeting(&dir);
    assert_eq!(won.heard_within_one_business_day(cal), None, "not heard yet");
    let err = won.record_contact(&dir, t("2026-03-03 09:59")).unwrap_err();
    assert!(err.to_string().contains("cannot be before the close"), "{err}");
    let heard = act(won.clone(), "2026-03-04 09:55", |d| d.record_contact(&dir, t("2026-03-04 09:55")));
    assert_eq!(heard.customer_contacted_at, Some(t("2026-03-04 09:55")));
    assert_eq!(heard.heard_within_one_business_day(cal), Some(true));
    let err = heard.record_contact(&dir, t("2026-03-04 11:00")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the customer of \"Alpine retreat\" was first contacted 2026-03-04 09:55 already: the first contact is what counts"
    );
    // An earlier contact found later still counts: it is the first.
    let earlier = act(heard.clone(), "2026-03-03 15:00", |d| d.record_contact(&dir, t("2026-03-03 15:00")));
    assert_eq!(earlier.customer_contacted_at, Some(t("2026-03-03 15:00")));
    let late = act(won, "2026-03-04 10:05", |d| d.record_contact(&dir, t("2026-03-04 10:05")));
    assert_eq!(late.heard_within_one_business_day(cal), Some(false));
    // Two laptops each recorded one: the first counts, whichever folds first.
    let both = fold(Some(late), vec![EventBody::CustomerContacted { deal: DEAL }], t("2026-03-04 09:55")).unwrap();
    assert_eq!(both.customer_contacted_at, Some(t("2026-03-04 09:55")));
}

#[test]
fn the_dwell_figures_count_each_first_contact_within_later_not_yet_or_unknown() {
    let dir = directory();
    let cal = dir.calendar().unwrap();
    let won = won_in_meeting(&dir);
    assert_eq!(won.heard_code(cal), None, "not heard yet");
    let within = act(won.clone(), "2026-03-04 09:55", |d| d.record_contact(&dir, t("2026-03-04 09:55")));
    assert_eq!(within.heard_code(cal), Some(1));
    let later = act(won, "2026-03-04 10:05", |d| d.record_contact(&dir, t("2026-03-04 10:05")));
    assert_eq!(later.heard_code(cal), Some(0));
    // A handoff held here without a recorded contact is not known yet: the call may still be logged.
    assert_eq!(handed_off(&dir).heard_code(cal), None);
    // Handed off before Handoff (a CRM import): nobody knows when the customer first heard.
    let imported = EventBody::DealImported {
        deal: DEAL,
        external_id: "CRM-1".into(),
        title: "Alpine retreat".into(),
        customer: "Ada Lovelace".into(),
        value: Money::parse("1", "EUR").unwrap(),
        sales_owner: SAM,
        closed_at: t("2026-02-02 10:00"),
        handoff_at: Some(t("2026-02-03 10:00")),
        fulfilment_owner: FAY,
        assigned_because: AssignedBecause::Lead,
        source: None,
    };
    let imported = fold(None, vec![imported], t("2026-03-01 09:00")).unwrap();
    assert_eq!(imported.heard_code(cal), Some(-1));
    // Until a contact is recorded on it.
    let heard = fold(Some(imported), vec![EventBody::CustomerContacted { deal: DEAL }], t("2026-03-01 09:05")).unwrap();
    assert_eq!(heard.heard_code(cal), Some(0));
}

#[test]
fn confirming_dates_with_the_customer_is_contacting_them() {
    let dir = directory();
    let d = handed_off(&dir);
    let first = d.tasks[0].id;
    let events = d.complete_task(&dir, first).unwrap();
    assert_eq!(
        events,
        [EventBody::TaskCompleted { task: first, deal: DEAL }, EventBody::CustomerContacted { deal: DEAL }]
    );
    let d = act(d, "2026-03-04 09:00", |d| d.complete_task(&dir, first));
    assert_eq!(d.customer_contacted_at, Some(t("2026-03-04 09:00")));
    // Contacted already (a call before the dates were confirmed): the task adds no second contact.
    let called = act(handed_off(&dir), "2026-03-03 15:00", |d| d.record_contact(&dir, t("2026-03-03 15:00")));
    assert_eq!(called.complete_task(&dir, first).unwrap(), [EventBody::TaskCompleted { task: first, deal: DEAL }]);
}

#[test]
fn a_founder_escalation_leaves_the_deal_as_it_is() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let escalated = EventBody::FounderEscalated {
        escalation: EscalationId(NIL),
        deal: Some(DEAL),
        dept: Some(Department::Fulfilment),
        founder: MAX,
        reason: "everyone away".into(),
    };
    assert_eq!(fold(Some(d.clone()), vec![escalated], t("2026-03-03 14:05")).unwrap(), d);
}

#[test]
fn an_event_before_the_deal_exists_is_refused() {
    for body in [
        EventBody::DealWon {
            deal: DEAL,
            fulfilment_owner: FAY,
            assigned_because: crate::assignment::AssignedBecause::Lead,
        },
        EventBody::TripPlanned { deal: DEAL, trip: zermatt() },
        EventBody::SignalRecorded {
            deal: DEAL,
            sentiment: crate::trip::Sentiment::Happy,
            strength: 3,
            note: String::new(),
        },
        EventBody::TaskCompleted { task: TaskId(NIL), deal: DEAL },
    ] {
        let err = fold(None, vec![body], t("2026-03-03 10:00")).unwrap_err();
        assert_eq!(err.to_string().split(": ").last(), Some("the deal does not exist"), "{err}");
    }
    // And the first event of a deal cannot come twice.
    let d = open_deal(&directory());
    let added = EventBody::DealAdded {
        deal: DEAL,
        title: "Again".into(),
        customer: "C".into(),
        value: Money::parse("1", "EUR").unwrap(),
        sales_owner: SAM,
        trip: TripPlan::default(),
        external_id: None,
        source: None,
    };
    assert_fold_refuses(&d, added, t("2026-03-03 10:00"));
}

#[test]
fn an_event_of_the_directory_is_not_a_deal_event() {
    let d = open_deal(&directory());
    assert_fold_refuses(
        &d,
        EventBody::AgencyCreated { name: "Other".into(), calendar: Calendar::new(Zone::known("Europe/Paris")) },
        t("2026-03-03 10:00"),
    );
    assert_fold_refuses(
        &d,
        EventBody::ColdOutreachRecorded {
            batch: crate::ids::OutreachId(NIL),
            date: day("2026-03-03"),
            attempts: 1,
            renewals: 0,
        },
        t("2026-03-03 10:00"),
    );
}

/// Every row of every transition table names a test that exists.
#[test]
fn every_row_of_the_transition_tables_names_a_test() {
    let modules = [
        (include_str!("mod.rs"), include_str!("tests.rs")),
        (include_str!("sales_to_fulfilment.rs"), include_str!("sales_to_fulfilment/tests.rs")),
        (include_str!("fulfilment_to_service.rs"), include_str!("fulfilment_to_service/tests.rs")),
        (include_str!("service_to_sales.rs"), include_str!("service_to_sales/tests.rs")),
        (include_str!("corrections.rs"), include_str!("corrections/tests.rs")),
    ];
    for (module, tests) in modules {
        let rows: Vec<&str> = module.lines().filter(|l| l.starts_with("//! |") && !l.contains("---")).skip(1).collect();
        assert!(rows.len() > 2, "a transition table opens the module");
        for row in rows {
            let name = row.rsplit('`').nth(1).unwrap_or_else(|| panic!("no test named in {row}"));
            assert!(tests.contains(&format!("fn {name}()")), "the table names `{name}`, which is not a test");
        }
    }
}

#[test]
fn a_task_is_overdue_once_its_due_time_has_passed_unless_done() {
    let due = t("2026-03-04 14:12");
    assert!(!is_overdue(due, None, due), "at the due time itself it is not late yet");
    assert!(is_overdue(due, None, t("2026-03-04 14:13")));
    assert!(!is_overdue(due, Some(t("2026-03-05 09:00")), t("2026-03-06 09:00")), "done late is done");
}

#[test]
fn a_deal_kept_as_a_document_leaves_out_what_is_empty_and_reads_back_the_same() {
    let dir = directory();
    for deal in [open_deal(&dir), won_in_meeting(&dir), handed_off(&dir)] {
        let text = serde_json::to_string(&deal).unwrap();
        assert_eq!(serde_json::from_str::<Deal>(&text).unwrap(), deal);
    }
    let open = serde_json::to_value(open_deal(&dir)).unwrap();
    for empty in ["closed_at", "lost_at", "fulfilment", "signatures", "tasks", "service", "follow_up", "brief"] {
        assert!(open.get(empty).is_none(), "{empty} is left out of {open}");
    }
    // A trip not known yet and an owner never reassigned are left out too.
    let mut bare = won_in_meeting(&dir);
    bare.trip = TripPlan::default();
    let won = serde_json::to_value(&bare).unwrap();
    assert!(won.get("trip").is_none(), "{won}");
    assert!(won["fulfilment"].get("reassignments").is_none(), "{won}");
    assert_eq!(serde_json::from_value::<Deal>(won).unwrap(), bare);
    // A document written before (every field spelled out, nothing as null or []) reads the same.
    let mut spelled_out = open.as_object().unwrap().clone();
    for (field, empty) in [
        ("closed_at", serde_json::Value::Null),
        ("lost_at", serde_json::Value::Null),
        ("fulfilment", serde_json::Value::Null),
        ("signatures", serde_json::json!([])),
        ("tasks", serde_json::json!([])),
        ("handoff_fulfilment_signer", serde_json::Value::Null),
        ("brief", serde_json::json!({"sections": {}})),
    ] {
        spelled_out.insert(field.into(), empty);
    }
    let read: Deal = serde_json::from_value(serde_json::Value::Object(spelled_out)).unwrap();
    assert_eq!(read, open_deal(&dir));
}
