//! Given / when / then tests of handoff 2, one per row of the table in `fulfilment_to_service.rs`.

use uuid::Uuid;

use super::super::fixtures::*;
use super::*;
use crate::directory::AwayPeriod;
use crate::ids::{ItemId, TaskId, TravellerId};
use crate::service::AckState;
use crate::trip::{ItemKind, PreferenceTopic, Preferences};

const ANA: TravellerId = TravellerId(Uuid::from_u128(21));
const BEN: TravellerId = TravellerId(Uuid::from_u128(22));

fn prefs(items: &[(PreferenceTopic, &str)]) -> Preferences {
    Preferences { items: items.iter().map(|(k, v)| (*k, v.to_string())).collect() }
}

fn traveller(name: &str, items: &[(PreferenceTopic, &str)]) -> NewTraveller {
    NewTraveller { name: name.into(), preferences: prefs(items) }
}

fn item(day_: &str, title: &str) -> NewItem {
    NewItem {
        day: day(day_),
        time: None,
        kind: ItemKind::Hotel,
        title: title.into(),
        supplier: None,
        contact: None,
        confirmation: None,
    }
}

/// Handed off, with Ana (vegetarian) and Ben (ground floor, twin room) on the trip.
fn with_travellers(dir: &Directory) -> Deal {
    let d = handed_off(dir);
    let d = act(d, "2026-03-04 09:00", |d| {
        d.add_traveller(dir, ANA, traveller("Ana", &[(PreferenceTopic::Dietary, "Vegetarian")]))
    });
    act(d, "2026-03-04 09:01", |d| {
        d.add_traveller(
            dir,
            BEN,
            traveller("Ben", &[(PreferenceTopic::Mobility, "Ground floor"), (PreferenceTopic::Rooming, "Twin")]),
        )
    })
}

fn in_call(dir: &Directory) -> Deal {
    act(with_travellers(dir), "2026-03-12 10:00", |d| d.start_service_call(dir))
}

fn ack(dir: &Directory, d: Deal, who: TravellerId, topic: PreferenceTopic) -> Deal {
    act(d, "2026-03-12 10:05", |d| d.acknowledge(dir, who, topic))
}

fn acknowledged(text: &str) -> String {
    crate::trip::text_sha256(text)
}

#[test]
fn a_trip_planned_on_a_handed_off_deal_schedules_the_service_handoff() {
    let dir = directory();
    // Given a deal handed off before its trip's dates were known: no service handoff yet.
    let d = won_in_meeting(&dir);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let d = act(d, "2026-03-03 14:12", |d| d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(NIL), EscalationId(NIL)));
    assert_eq!(d.service, None);
    // When the trip is planned, then the service handoff is due 72 hours before it, for Sol.
    let events = d.plan_trip(&dir, zermatt(), EscalationId(NIL)).unwrap();
    assert!(matches!(events[1], EventBody::ServiceHandoffScheduled { owner: SOL, .. }), "{events:?}");
    let d = fold(Some(d), events, t("2026-03-04 09:00")).unwrap();
    let s = d.service.as_ref().unwrap();
    assert_eq!((s.due_at, s.owner, s.because), (t("2026-03-13 00:00"), SOL, AssignedBecause::Lead));
    // An open deal's trip can be planned too; nothing is scheduled for it.
    let open = open_deal(&dir);
    let events = open.plan_trip(&dir, zermatt(), EscalationId(NIL)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(fold(Some(open), events, t("2026-03-03 09:30")).unwrap().trip, zermatt());
}

#[test]
fn a_lost_deal_has_no_trip() {
    let dir = directory();
    let d = act(open_deal(&dir), "2026-03-03 10:00", |d| d.lose(&dir));
    let err = d.plan_trip(&dir, zermatt(), EscalationId(NIL)).unwrap_err();
    assert_eq!(err.to_string(), "deal \"Alpine retreat\" is lost; a lost deal has no trip to plan");
    assert_fold_refuses(&d, EventBody::TripPlanned { deal: DEAL, trip: zermatt() }, t("2026-03-03 11:00"));
}

#[test]
fn a_trip_cannot_end_before_it_starts() {
    let dir = directory();
    let d = open_deal(&dir);
    let backwards = TripPlan { end: Some(day("2026-03-10")), ..zermatt() };
    let err = d.plan_trip(&dir, backwards.clone(), EscalationId(NIL)).unwrap_err();
    assert!(matches!(err, RuleError::TripEndsBeforeStart { .. }), "{err}");
    assert_fold_refuses(&d, EventBody::TripPlanned { deal: DEAL, trip: backwards }, t("2026-03-03 11:00"));
}

#[test]
fn travellers_are_added_once_with_unique_names() {
    let dir = directory();
    let d = with_travellers(&dir);
    assert_eq!(d.travellers.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Ana", "Ben"]);
    let err = d.add_traveller(&dir, TravellerId(Uuid::from_u128(23)), traveller(" ana ", &[])).unwrap_err();
    assert_eq!(err, RuleError::DuplicateName("ana".into()));
    let twin = |id, name: &str| EventBody::TravellerAdded {
        deal: DEAL,
        traveller: id,
        name: name.into(),
        preferences: Preferences::default(),
    };
    assert_fold_refuses(&d, twin(TravellerId(Uuid::from_u128(23)), "ANA"), t("2026-03-04 10:00"));
    assert_fold_refuses(&d, twin(ANA, "Cy"), t("2026-03-04 10:00"));
    // Renaming onto another traveller's name is refused the same way.
    let err = d.edit_traveller(&dir, BEN, Some("Ana".into()), vec![]).unwrap_err();
    assert_eq!(err, RuleError::DuplicateName("Ana".into()));
    let renamed = EventBody::TravellerEdited {
        deal: DEAL,
        traveller: BEN,
        name: "Ana".into(),
        preferences: prefs(&[]),
        changed: None,
    };
    assert_fold_refuses(&d, renamed, t("2026-03-04 10:00"));
}

#[test]
fn trip_content_waits_for_the_win() {
    let dir = directory();
    let d = open_deal_with(&dir, zermatt());
    let err = d.add_traveller(&dir, ANA, traveller("Ana", &[])).unwrap_err();
    assert!(matches!(err, RuleError::WrongStatus { .. }), "{err}");
    let err = d.add_item(&dir, ItemId(NIL), item("2026-03-16", "Hotel")).unwrap_err();
    assert!(matches!(err, RuleError::WrongStatus { .. }), "{err}");
    let added = EventBody::TravellerAdded {
        deal: DEAL,
        traveller: ANA,
        name: "Ana".into(),
        preferences: Preferences::default(),
    };
    assert_fold_refuses(&d, added, t("2026-03-03 10:00"));
    let hotel = item("2026-03-16", "Hotel").into_item(ItemId(NIL));
    assert_fold_refuses(&d, EventBody::ItineraryItemAdded { deal: DEAL, item: hotel }, t("2026-03-03 10:00"));
}

#[test]
fn an_edited_preference_needs_acknowledging_again() {
    let dir = directory();
    let d = ack(&dir, in_call(&dir), ANA, PreferenceTopic::Dietary);
    let d = act(d, "2026-03-12 10:06", |d| {
        d.edit_traveller(&dir, ANA, None, vec![(PreferenceTopic::Dietary, "Vegan".into())])
    });
    let checklist = d.service.as_ref().unwrap().checklist(&d.travellers);
    assert_eq!(checklist[0].state, AckState::Changed);
    assert_eq!(d.traveller(ANA).unwrap().preferences.text(PreferenceTopic::Dietary), "Vegan");
    let d = ack(&dir, d, ANA, PreferenceTopic::Dietary);
    assert_eq!(d.service.as_ref().unwrap().checklist(&d.travellers)[0].state, AckState::Acknowledged);
    // An emptied box clears the item.
    let d =
        act(d, "2026-03-12 10:07", |d| d.edit_traveller(&dir, ANA, None, vec![(PreferenceTopic::Dietary, " ".into())]));
    assert_eq!(d.traveller(ANA).unwrap().preferences.items.len(), 0);
    // Travellers of a deal not (yet) won cannot be edited.
    let open = open_deal(&dir);
    let edited = EventBody::TravellerEdited {
        deal: DEAL,
        traveller: ANA,
        name: "Ana".into(),
        preferences: prefs(&[]),
        changed: None,
    };
    assert_fold_refuses(&open, edited, t("2026-03-03 10:00"));
}

#[test]
fn itinerary_items_stay_inside_the_trip_in_day_order() {
    let dir = directory();
    let d = handed_off(&dir);
    let (first, second) = (ItemId(Uuid::from_u128(31)), ItemId(Uuid::from_u128(32)));
    let d = act(d, "2026-03-04 09:00", |d| d.add_item(&dir, first, item("2026-03-18", "Glacier walk")));
    let d = act(d, "2026-03-04 09:01", |d| d.add_item(&dir, second, item("2026-03-16", "Hotel Alpina")));
    assert_eq!(d.itinerary.iter().map(|i| i.id).collect::<Vec<_>>(), [second, first], "in day order");
    // Outside the trip: refused by the decision and by the fold.
    let err = d.add_item(&dir, ItemId(NIL), item("2026-03-21", "Late checkout")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "itinerary day 2026-03-21 is outside the trip (2026-03-16 to 2026-03-20): check the date or change the trip's dates"
    );
    let late = item("2026-03-21", "Late checkout").into_item(ItemId(NIL));
    assert_fold_refuses(&d, EventBody::ItineraryItemAdded { deal: DEAL, item: late.clone() }, t("2026-03-04 09:02"));
    let moved_out = NewItem { ..item("2026-03-21", "Glacier walk") }.into_item(first);
    assert_fold_refuses(&d, EventBody::ItineraryItemEdited { deal: DEAL, item: moved_out }, t("2026-03-04 09:02"));
    // Edited to an earlier day, it moves up; removed, it is gone; an unknown item is refused.
    let d = act(d, "2026-03-04 09:03", |d| d.edit_item(&dir, first, item("2026-03-16", "Glacier walk")));
    assert_eq!(d.itinerary.iter().map(|i| i.id).collect::<Vec<_>>(), [first, second]);
    let d = act(d, "2026-03-04 09:04", |d| d.remove_item(&dir, first));
    assert_eq!(d.itinerary.len(), 1);
    let err = d.remove_item(&dir, first).unwrap_err();
    assert!(matches!(err, RuleError::NoSuch { what: "itinerary item", .. }), "{err}");
    assert_fold_refuses(&d, EventBody::ItineraryItemRemoved { deal: DEAL, item: first }, t("2026-03-04 09:05"));
}

#[test]
fn the_service_handoff_is_scheduled_after_the_handoff() {
    let dir = directory();
    let d = handed_off(&dir);
    let s = d.service.as_ref().unwrap();
    assert_eq!((s.due_at, s.owner, s.because), (t("2026-03-13 00:00"), SOL, AssignedBecause::Lead));
    // A deal still in its meeting has no service handoff to schedule.
    let scheduled = EventBody::ServiceHandoffScheduled {
        deal: DEAL,
        due_at: t("2026-03-13 00:00"),
        owner: SOL,
        assigned_because: AssignedBecause::Lead,
    };
    assert_fold_refuses(&won_in_meeting(&dir), scheduled, t("2026-03-03 14:05"));
    let err = won_in_meeting(&dir).start_service_call(&dir).unwrap_err();
    assert!(err.to_string().contains("it is scheduled when the Sales→Fulfilment handoff completes"), "{err}");
}

#[test]
fn a_moved_trip_reschedules_and_keeps_the_owner() {
    let mut dir = directory();
    let d = handed_off(&dir);
    let a_week_later = TripPlan { start: Some(day("2026-03-23")), end: Some(day("2026-03-27")), ..zermatt() };
    let d = act(d, "2026-03-05 09:00", |d| d.plan_trip(&dir, a_week_later.clone(), EscalationId(NIL)));
    let s = d.service.clone().unwrap();
    assert_eq!((s.due_at, s.owner, s.reassignments.len()), (t("2026-03-20 00:00"), SOL, 0));
    // Moved again, onto a day Sol is away: Vi, his backup, takes it, and the history keeps both.
    dir.people[4].away.push(AwayPeriod { from: day("2026-03-26"), to: day("2026-03-27") });
    let later = TripPlan { start: Some(day("2026-03-30")), end: Some(day("2026-04-03")), ..zermatt() };
    let d = act(d, "2026-03-05 09:05", |d| d.plan_trip(&dir, later, EscalationId(NIL)));
    let s = d.service.unwrap();
    assert_eq!((s.owner, s.original), (VI, SOL));
    assert_eq!((s.reassignments[0].from, s.reassignments[0].to), (SOL, VI));
}

#[test]
fn the_service_owner_is_named_again_when_away() {
    let mut dir = directory();
    let d = handed_off(&dir);
    dir.people[4].away.push(AwayPeriod { from: day("2026-03-13"), to: day("2026-03-13") });
    let events = d.service_after_away(&dir, SOL, EscalationId(NIL)).unwrap();
    assert!(
        matches!(
            &events[0],
            EventBody::ServiceOwnerReassigned {
                from: SOL,
                to: VI,
                assigned_because: Some(AssignedBecause::Backup),
                ..
            }
        ),
        "{events:?}"
    );
    let d = fold(Some(d), events, t("2026-03-05 09:00")).unwrap();
    assert_eq!(d.service.as_ref().unwrap().owner, VI);
    // Someone away who does not own it changes nothing.
    assert_eq!(d.service_after_away(&dir, SOL, EscalationId(NIL)).unwrap(), vec![]);
    // By hand: to someone in service or the founder, never to the owner; the fold agrees.
    let err = d.reassign_service(&dir, SAM, "x".into()).unwrap_err();
    assert!(matches!(err, RuleError::WrongDepartment { .. }), "{err}");
    let err = d.reassign_service(&dir, VI, "x".into()).unwrap_err();
    assert_eq!(err.to_string(), "deal \"Alpine retreat\" is already owned by Vi in service: name someone else");
    let to = |from, to| EventBody::ServiceOwnerReassigned {
        deal: DEAL,
        from,
        to,
        assigned_because: None,
        reason: "x".into(),
    };
    assert_fold_refuses(&d, to(VI, SAM), t("2026-03-05 09:10"));
    assert_fold_refuses(&d, to(SOL, MAX), t("2026-03-05 09:10"));
    let d = act(d, "2026-03-05 09:10", |d| d.reassign_service(&dir, MAX, "Vi is new".into()));
    assert_eq!(d.service.unwrap().owner, MAX);
}

#[test]
fn a_started_call_is_not_rescheduled() {
    let dir = directory();
    let d = in_call(&dir);
    let later = TripPlan { start: Some(day("2026-03-17")), ..zermatt() };
    let events = d.plan_trip(&dir, later, EscalationId(NIL)).unwrap();
    assert_eq!(events.len(), 1, "only the trip changes: {events:?}");
    let rescheduled = EventBody::ServiceHandoffScheduled {
        deal: DEAL,
        due_at: t("2026-03-14 00:00"),
        owner: SOL,
        assigned_because: AssignedBecause::Lead,
    };
    assert_fold_refuses(&d, rescheduled, t("2026-03-12 10:01"));
    let err = d.start_service_call(&dir).unwrap_err();
    assert!(err.to_string().contains("already in its service handoff call"), "{err}");
}

#[test]
fn the_call_completes_only_when_every_item_is_acknowledged() {
    let dir = directory();
    let d = in_call(&dir);
    let d = ack(&dir, d, ANA, PreferenceTopic::Dietary);
    let d = ack(&dir, d, BEN, PreferenceTopic::Mobility);
    let err = d.complete_service(&dir).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the service handoff of \"Alpine retreat\" cannot complete yet: still to acknowledge — Ben rooming"
    );
    assert_fold_refuses(&d, EventBody::ServiceHandoffCompleted { deal: DEAL }, t("2026-03-12 10:10"));
    let d = ack(&dir, d, BEN, PreferenceTopic::Rooming);
    let d = act(d, "2026-03-12 10:12", |d| d.complete_service(&dir));
    assert_eq!(d.service.unwrap().completed_at, Some(t("2026-03-12 10:12")));
}

#[test]
fn acknowledgements_happen_during_the_call() {
    let dir = directory();
    let d = with_travellers(&dir);
    let err = d.acknowledge(&dir, ANA, PreferenceTopic::Dietary).unwrap_err();
    assert_eq!(err, RuleError::NotInServiceCall { deal: "Alpine retreat".into() });
    let acked = |topic, text: &str| EventBody::PreferenceAcknowledged {
        deal: DEAL,
        traveller: ANA,
        topic,
        text_sha256: acknowledged(text),
    };
    assert_fold_refuses(&d, acked(PreferenceTopic::Dietary, "Vegetarian"), t("2026-03-12 09:00"));
    // In the call: nothing to acknowledge in an empty box, and nothing twice.
    let d = in_call(&dir);
    let err = d.acknowledge(&dir, ANA, PreferenceTopic::Medical).unwrap_err();
    assert!(matches!(err, RuleError::NothingToAcknowledge { .. }), "{err}");
    assert_fold_refuses(&d, acked(PreferenceTopic::Medical, ""), t("2026-03-12 10:01"));
    let d = ack(&dir, d, ANA, PreferenceTopic::Dietary);
    let err = d.acknowledge(&dir, ANA, PreferenceTopic::Dietary).unwrap_err();
    assert!(matches!(err, RuleError::AlreadyAcknowledged { .. }), "{err}");
    assert_fold_refuses(&d, acked(PreferenceTopic::Dietary, "Vegetarian"), t("2026-03-12 10:06"));
}

#[test]
fn a_completed_service_handoff_is_final() {
    let dir = directory();
    let d = in_call(&dir);
    let d = ack(&dir, d, ANA, PreferenceTopic::Dietary);
    let d = ack(&dir, d, BEN, PreferenceTopic::Mobility);
    let d = ack(&dir, d, BEN, PreferenceTopic::Rooming);
    let d = act(d, "2026-03-12 10:12", |d| d.complete_service(&dir));
    assert!(d.reassign_service(&dir, VI, "x".into()).unwrap_err().to_string().contains("already handed to Service"));
    assert!(d.start_service_call(&dir).is_err());
    let reassigned =
        EventBody::ServiceOwnerReassigned { deal: DEAL, from: SOL, to: VI, assigned_because: None, reason: "x".into() };
    assert_fold_refuses(&d, reassigned, t("2026-03-12 10:20"));
    assert_fold_refuses(&d, EventBody::ServiceCallStarted { deal: DEAL }, t("2026-03-12 10:20"));
    assert_fold_refuses(&d, EventBody::ServiceHandoffCompleted { deal: DEAL }, t("2026-03-12 10:20"));
}
