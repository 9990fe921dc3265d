//! Each merge rule as given/when/then: two laptops decide from the same state, and their actions
//! meet in clock-stamp order.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::*;
use crate::brief::SignerRole;
use crate::deal::fixtures::*;
use crate::deal::{NewItem, NewTraveller};
use crate::directory::{Department, Paper};
use crate::event::EVENT_VERSION;
use crate::hlc::Hlc;
use crate::ids::{DeviceId, EscalationId, EventId, ItemId, TaskId, TravellerId};
use crate::trip::{ItemKind, Preferences};

/// One action: `bodies` by `actor` at `at` on a laptop of its own.
fn action(actor: PersonId, at: &str, bodies: Vec<EventBody>) -> Vec<Event> {
    bodies
        .into_iter()
        .enumerate()
        .map(|(part, body)| Event {
            id: EventId(Uuid::now_v7()),
            device: DeviceId(Uuid::from_u128(actor.0.as_u128() + 1000)),
            actor: Some(actor),
            recorded_by: Some(actor),
            occurred_at: t(at),
            recorded_at: t(at),
            hlc: Hlc { wall_ms: t(at).timestamp_millis(), counter: part as u32 },
            part: part as u32,
            version: EVENT_VERSION,
            body,
        })
        .collect()
}

fn applied(merged: Merged<Deal>) -> (Deal, Option<Conflict>) {
    match merged {
        Merged::Applied(deal, conflict) => (deal, conflict),
        other => panic!("not applied: {other:?}"),
    }
}

fn skipped<T: std::fmt::Debug>(merged: Merged<T>) -> Conflict {
    match merged {
        Merged::Skipped(conflict) => conflict,
        other => panic!("not skipped: {other:?}"),
    }
}

fn merge(dir: &Directory, deal: &Deal, action: &[Event]) -> Merged<Deal> {
    merge_deal_action(Some(deal), action, &FoldContext::new(dir))
}

fn at(s: &str) -> DateTime<Utc> {
    t(s)
}

/// An open deal, won by Sam at 10:00 naming Fay, and by Max at 10:04 on a laptop where Fay was
/// marked away, naming Bo.
fn won_on_two_laptops(dir: &Directory) -> (Deal, Vec<Event>, Vec<Event>) {
    let open = open_deal(dir);
    let sams = action(SAM, "2026-03-03 10:00", open.win(dir, at("2026-03-03 10:00"), EscalationId(NIL)).unwrap());
    let mut away = dir.clone();
    away.apply(
        &EventBody::PersonAwaySet { person: FAY, from: day("2026-03-03"), to: day("2026-03-03") },
        at("2026-03-01 09:00"),
    )
    .unwrap();
    let maxs = action(MAX, "2026-03-03 10:04", open.win(&away, at("2026-03-03 10:04"), EscalationId(NIL)).unwrap());
    (open, sams, maxs)
}

#[test]
fn the_first_win_counts_and_a_later_win_or_loss_names_both() {
    let dir = directory();
    let (open, sams, maxs) = won_on_two_laptops(&dir);
    let (won, none) = applied(merge(&dir, &open, &sams));
    assert_eq!(none, None);
    let conflict = skipped(merge(&dir, &won, &maxs));
    assert_eq!(conflict.kind, ConflictKind::WonTwice);
    assert!(conflict.note.contains("naming Bo") && conflict.note.contains("with Fay"), "{}", conflict.note);
    assert!(conflict.note.contains("Max marked the deal won at 2026-03-03 10:04"), "{}", conflict.note);

    let lost = action(MAX, "2026-03-03 10:05", open.lose(&dir).unwrap());
    let conflict = skipped(merge(&dir, &won, &lost));
    assert_eq!(conflict.kind, ConflictKind::WonAndLost);
    assert!(conflict.note.contains("with Fay as fulfilment owner, which stands"), "{}", conflict.note);
    // Lost first: the win is the conflict, and says how to win it after all.
    let (lost_deal, _) = applied(merge(&dir, &open, &lost));
    let conflict = skipped(merge(&dir, &lost_deal, &sams));
    assert_eq!(conflict.kind, ConflictKind::WonAndLost);
    assert!(conflict.note.contains("naming Fay") && conflict.note.contains("reopen it"), "{}", conflict.note);
}

#[test]
fn a_second_meeting_end_is_already_so() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let end = |who, task| {
        action(
            who,
            "2026-03-03 14:12",
            d.end_meeting(&dir, at("2026-03-03 14:12"), TaskId(task), EscalationId(NIL)).unwrap(),
        )
    };
    let (ended, _) = applied(merge(&dir, &d, &end(SAM, Uuid::from_u128(1))));
    assert_eq!(ended.tasks.len(), 1);
    assert_eq!(merge(&dir, &ended, &end(FAY, Uuid::from_u128(2))), Merged::AlreadySo);
    // Starting the meeting on both laptops is the same.
    let won = act(open_deal(&dir), "2026-03-03 10:00", |d| d.win(&dir, at("2026-03-03 10:00"), EscalationId(NIL)));
    let start = action(FAY, "2026-03-03 14:00", won.start_meeting(&dir, at("2026-03-03 14:00")).unwrap());
    let (started, _) = applied(merge(&dir, &won, &start));
    assert_eq!(merge(&dir, &started, &start), Merged::AlreadySo);
}

#[test]
fn the_last_writer_of_a_section_wins_and_the_overwritten_text_is_kept() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let sams =
        action(SAM, "2026-03-03 14:02", d.write_section(&dir, None, Section::Risks, "Visa for Ana".into()).unwrap());
    let bos = action(BO, "2026-03-03 14:03", d.write_section(&dir, None, Section::Risks, "Passports".into()).unwrap());
    let (d1, none) = applied(merge(&dir, &d, &sams));
    assert_eq!(none, None, "nobody else had written it");
    let (d2, conflict) = applied(merge(&dir, &d1, &bos));
    assert_eq!(d2.brief.sections[&Section::Risks], "Passports");
    let conflict = conflict.expect("an overwrite is noted");
    assert_eq!(conflict.kind, ConflictKind::SectionOverwritten);
    assert!(conflict.note.contains("\"Visa for Ana\""), "the overwritten text is kept: {}", conflict.note);
    // An edit made after seeing the other is no conflict.
    let later = action(SAM, "2026-03-03 14:04", d2.write_section(&dir, None, Section::Risks, "Both".into()).unwrap());
    assert_eq!(applied(merge(&dir, &d2, &later)).1, None);
}

#[test]
fn a_sign_off_over_a_replaced_brief_does_not_count() {
    let dir = directory();
    let d = write(&dir, won_in_meeting(&dir), Section::Customer, "Acme");
    let signing = action(SAM, "2026-03-03 14:10", d.sign(&dir, SAM, at("2026-03-03 14:10"), &key_of(SAM)).unwrap());
    let edit =
        action(BO, "2026-03-03 14:09", d.write_section(&dir, None, Section::Customer, "Acme GmbH".into()).unwrap());
    // The edit first: the sign-off is over a brief that no longer reads so.
    let (edited, _) = applied(merge(&dir, &d, &edit));
    let conflict = skipped(merge(&dir, &edited, &signing));
    assert_eq!(conflict.kind, ConflictKind::SignOffStale);
    assert!(conflict.note.contains("Sam's sign-off"), "{}", conflict.note);
    // The sign-off first: it stands, stale, until Sam signs again.
    let (signed, _) = applied(merge(&dir, &d, &signing));
    let (edited, _) = applied(merge(&dir, &signed, &edit));
    assert!(!edited.sign_off(SignerRole::Sales).is_valid());
}

/// A brief both signed, and at 14:12 Fay ends the meeting while Sam edits the promises.
fn end_and_edit_at_once(dir: &Directory) -> (Deal, Vec<Event>, Vec<Event>) {
    let d = won_in_meeting(dir);
    let d = sign(dir, d, SAM, "2026-03-03 14:10");
    let d = sign(dir, d, FAY, "2026-03-03 14:11");
    let end = action(
        FAY,
        "2026-03-03 14:12",
        d.end_meeting(dir, at("2026-03-03 14:12"), TaskId(Uuid::from_u128(7)), EscalationId(NIL)).unwrap(),
    );
    let edit =
        action(SAM, "2026-03-03 14:12", d.write_section(dir, None, Section::Promises, "Late checkout".into()).unwrap());
    (d, end, edit)
}

#[test]
fn meeting_end_and_a_concurrent_edit_whichever_is_first_stands() {
    let dir = directory();
    let (d, end, edit) = end_and_edit_at_once(&dir);
    let (ended, _) = applied(merge(&dir, &d, &end));
    let conflict = skipped(merge(&dir, &ended, &edit));
    assert_eq!(conflict.kind, ConflictKind::EditedAfterHandoff);
    assert!(conflict.note.contains("\"Late checkout\""), "{}", conflict.note);
    assert!(ended.both_signed(), "a handed-off deal has both signatures valid");

    let (edited, _) = applied(merge(&dir, &d, &edit));
    let conflict = skipped(merge(&dir, &edited, &end));
    assert_eq!(conflict.kind, ConflictKind::EndedAfterEdit);
    assert!(conflict.note.contains("sign the brief as it reads now"), "{}", conflict.note);
    assert_eq!(edited.status, DealStatus::Won);
}

#[test]
fn two_reassignments_the_first_counts_unless_both_name_the_same_person() {
    let dir = directory();
    let won = act(open_deal(&dir), "2026-03-03 10:00", |d| d.win(&dir, at("2026-03-03 10:00"), EscalationId(NIL)));
    let to_bo = action(SAM, "2026-03-03 11:00", won.reassign(&dir, BO, "Fay is ill".into()).unwrap());
    let to_bo_too = action(MAX, "2026-03-03 11:01", won.reassign(&dir, BO, "cover".into()).unwrap());
    let to_max = action(MAX, "2026-03-03 11:02", won.reassign(&dir, MAX, "I'll take it".into()).unwrap());
    let (reassigned, _) = applied(merge(&dir, &won, &to_bo));
    assert_eq!(merge(&dir, &reassigned, &to_bo_too), Merged::AlreadySo);
    let conflict = skipped(merge(&dir, &reassigned, &to_max));
    assert_eq!(conflict.kind, ConflictKind::ReassignedTwice);
    assert!(conflict.note.contains("from Fay to Max") && conflict.note.contains("gone to Bo"), "{}", conflict.note);
}

fn with_traveller(dir: &Directory) -> Deal {
    let won = act(open_deal(dir), "2026-03-03 10:00", |d| d.win(dir, at("2026-03-03 10:00"), EscalationId(NIL)));
    let mut preferences = Preferences::default();
    preferences.items.insert(PreferenceTopic::Dietary, "vegetarian".into());
    let new = NewTraveller { name: "Ana".into(), preferences };
    act(won, "2026-03-03 11:00", |d| d.add_traveller(dir, TravellerId(Uuid::from_u128(50)), new))
}

#[test]
fn traveller_edits_merge_per_topic() {
    let dir = directory();
    let d = with_traveller(&dir);
    let ana = TravellerId(Uuid::from_u128(50));
    let edit = |who, at: &str, topic, text: &str| {
        action(who, at, d.edit_traveller(&dir, ana, None, vec![(topic, text.to_string())]).unwrap())
    };
    let diet = edit(FAY, "2026-03-03 12:00", PreferenceTopic::Dietary, "vegan");
    let mobility = edit(BO, "2026-03-03 12:01", PreferenceTopic::Mobility, "no stairs");
    let (d1, none) = applied(merge(&dir, &d, &diet));
    let (d2, none2) = applied(merge(&dir, &d1, &mobility));
    assert_eq!((none, none2), (None, None), "different topics do not conflict");
    let t = d2.traveller(ana).unwrap();
    assert_eq!(t.preferences.text(PreferenceTopic::Dietary), "vegan", "Fay's edit survived Bo's");
    assert_eq!(t.preferences.text(PreferenceTopic::Mobility), "no stairs");

    let other_diet = edit(BO, "2026-03-03 12:02", PreferenceTopic::Dietary, "gluten-free");
    let (d3, conflict) = applied(merge(&dir, &d2, &other_diet));
    assert_eq!(d3.traveller(ana).unwrap().preferences.text(PreferenceTopic::Dietary), "gluten-free");
    let conflict = conflict.expect("the same topic, edited twice, is noted");
    assert_eq!(conflict.kind, ConflictKind::TravellerOverwritten);
    assert!(conflict.note.contains("the dietary preference \"vegan\""), "{}", conflict.note);
}

#[test]
fn an_item_edited_and_removed_stays_removed() {
    let dir = directory();
    let d = with_traveller(&dir);
    let item = ItemId(Uuid::from_u128(60));
    let new = |title: &str| NewItem {
        day: day("2026-03-16"),
        time: None,
        kind: ItemKind::Hotel,
        title: title.into(),
        supplier: None,
        contact: None,
        confirmation: None,
    };
    let d = act(d, "2026-03-03 12:00", |d| d.add_item(&dir, item, new("Hotel Alpina")));
    let edit = action(FAY, "2026-03-03 13:00", d.edit_item(&dir, item, new("Hotel Alpina, lake view")).unwrap());
    let remove = action(BO, "2026-03-03 13:01", d.remove_item(&dir, item).unwrap());
    let (removed, _) = applied(merge(&dir, &d, &remove));
    let conflict = skipped(merge(&dir, &removed, &edit));
    assert_eq!(conflict.kind, ConflictKind::RemovedItemEdited);
    assert!(conflict.note.contains("lake view") && conflict.note.contains("removal stands"), "{}", conflict.note);
    // Edited first, then removed: gone all the same.
    let (edited, _) = applied(merge(&dir, &d, &edit));
    let (gone, _) = applied(merge(&dir, &edited, &remove));
    assert!(gone.itinerary.is_empty());
    assert_eq!(merge(&dir, &gone, &remove), Merged::AlreadySo, "removed on both laptops");
}

fn applied_dir(merged: Merged<Directory>) -> Directory {
    match merged {
        Merged::Applied(dir, None) => dir,
        other => panic!("not applied: {other:?}"),
    }
}

#[test]
fn settings_and_staffing_take_the_last_writer_per_field() {
    let dir = directory();
    let picks = action(
        MAX,
        "2026-03-03 09:00",
        vec![EventBody::AgencySettingsChanged { review_picks: Some(5), paper: None, review_time: None, locale: None }],
    );
    let paper = action(
        SAM,
        "2026-03-03 09:01",
        vec![EventBody::AgencySettingsChanged {
            review_picks: None,
            paper: Some(Paper::Letter),
            review_time: None,
            locale: None,
        }],
    );
    let d = applied_dir(merge_directory_action(&dir, &picks));
    let d = applied_dir(merge_directory_action(&d, &paper));
    let agency = d.agency.as_ref().unwrap();
    assert_eq!((agency.review_picks, agency.paper), (5, Paper::Letter), "each laptop's field stands");

    let bo_leads = action(MAX, "2026-03-03 09:02", vec![dir.staff(Department::Fulfilment, BO, vec![FAY]).unwrap()]);
    let fay_leads = action(SAM, "2026-03-03 09:03", vec![dir.staff(Department::Fulfilment, FAY, vec![]).unwrap()]);
    let d = applied_dir(merge_directory_action(&d, &bo_leads));
    let d = applied_dir(merge_directory_action(&d, &fay_leads));
    assert_eq!(d.staffing(Department::Fulfilment).lead, Some(FAY), "the last writer's staffing stands");
}

#[test]
fn the_calendar_takes_the_last_writer_per_field() {
    use crate::calendar::{WorkDays, WorkingHours};
    let dir = directory();
    let six_days: WorkDays = "mon,tue,wed,thu,fri,sat".parse().unwrap();
    let four_days: WorkDays = "mon,tue,wed,thu".parse().unwrap();
    let time = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let early = WorkingHours::new(time(8), time(16)).unwrap();
    let changed = |actor, at, workdays, hours| action(actor, at, vec![EventBody::CalendarChanged { workdays, hours }]);
    // Saturdays on Max's laptop, earlier hours on Sam's, at the same time: both stand.
    let saturdays = changed(MAX, "2026-03-03 09:00", Some(six_days), None);
    let hours = changed(SAM, "2026-03-03 09:01", None, Some(early));
    for (first, second) in [(&saturdays, &hours), (&hours, &saturdays)] {
        let d = applied_dir(merge_directory_action(&dir, first));
        let d = applied_dir(merge_directory_action(&d, second));
        let calendar = d.calendar().unwrap();
        assert_eq!((calendar.workdays, calendar.hours), (six_days, early), "each laptop's field stands");
    }
    // The same field on both: the later by clock stamp stands, the hours it left alone stay.
    let d = applied_dir(merge_directory_action(&dir, &saturdays));
    let d = applied_dir(merge_directory_action(&d, &hours));
    let d = applied_dir(merge_directory_action(&d, &changed(SAM, "2026-03-03 09:02", Some(four_days), None)));
    assert_eq!((d.calendar().unwrap().workdays, d.calendar().unwrap().hours), (four_days, early));
}

#[test]
fn asks_are_a_set_each_taken_once() {
    use crate::ids::AskId;
    use crate::trip::AskTopic;
    let dir = directory();
    let d = handed_off(&dir);
    let ask = |id: u128, text: &str| {
        let at = t("2026-03-17 10:00");
        d.log_ask(&dir, at, AskId(Uuid::from_u128(id)), None, AskTopic::Dietary, text.into(), false).unwrap()
    };
    // Sol and Vi each log an ask on their own laptop: both are kept, whatever the order.
    let sols = action(SOL, "2026-03-17 10:00", ask(70, "Is the fondue vegetarian?"));
    let vis = action(VI, "2026-03-17 10:01", ask(71, "Can the transfer wait an hour?"));
    let (one, _) = applied(merge(&dir, &d, &sols));
    let (both, _) = applied(merge(&dir, &one, &vis));
    let (other_way, _) = applied(merge(&dir, &applied(merge(&dir, &d, &vis)).0, &sols));
    let texts = |deal: &Deal| {
        let mut texts: Vec<String> = deal.asks.iter().map(|a| a.text.clone()).collect();
        texts.sort();
        texts
    };
    assert_eq!(texts(&both), ["Can the transfer wait an hour?", "Is the fondue vegetarian?"]);
    assert_eq!(texts(&other_way), texts(&both));
    // The same ask arriving again (from a second laptop's sync) is there already, not a second one.
    assert_eq!(merge(&dir, &both, &sols), Merged::AlreadySo);
    assert_eq!(both.asks.len(), 2);
}

#[test]
fn sets_take_each_member_once() {
    let dir = directory();
    let away = action(MAX, "2026-03-03 09:00", vec![dir.set_away(BO, day("2026-03-09"), day("2026-03-10")).unwrap()]);
    let d = applied_dir(merge_directory_action(&dir, &away));
    let d = applied_dir(merge_directory_action(&d, &away));
    assert_eq!(d.person(BO).unwrap().away.len(), 1, "the same away period set twice counts once");

    let holiday = action(MAX, "2026-03-03 09:00", vec![dir.add_holiday(day("2026-04-03"), None).unwrap()]);
    let d = applied_dir(merge_directory_action(&d, &holiday));
    assert_eq!(merge_directory_action(&d, &holiday), Merged::AlreadySo);

    let revoke = action(MAX, "2026-03-03 09:05", dir.revoke_signing_keys(Some(MAX), BO, None, "lost laptop").unwrap());
    let d = applied_dir(merge_directory_action(&d, &revoke));
    assert_eq!(merge_directory_action(&d, &revoke), Merged::AlreadySo, "revoked on both laptops");

    let handed = handed_off(&dir);
    let task = handed.tasks[0].id;
    let done = action(FAY, "2026-03-04 09:00", handed.complete_task(&dir, task).unwrap());
    let (finished, _) = applied(merge(&dir, &handed, &done));
    assert_eq!(merge(&dir, &finished, &done), Merged::AlreadySo, "a task done on both laptops");

    // Something the rules refuse for another reason is a conflict, not "already so".
    let created = action(
        MAX,
        "2026-03-03 09:00",
        vec![dir
            .create("Other".into(), dir.calendar().unwrap().clone())
            .unwrap_or(EventBody::AgencyCreated { name: "Other".into(), calendar: dir.calendar().unwrap().clone() })],
    );
    let conflict = skipped(merge_directory_action(&dir, &created));
    assert_eq!(conflict.kind, ConflictKind::Refused);
    assert!(conflict.note.contains("agency created"), "{}", conflict.note);
}

#[test]
fn kinds_read_back_from_their_words() {
    for kind in ConflictKind::ALL {
        assert_eq!(kind.as_str().parse::<ConflictKind>(), Ok(kind));
    }
    assert!("nonsense".parse::<ConflictKind>().is_err());
}

fn to_settle<'a>(conflict: &'a Conflict, deal: Option<&'a Deal>) -> ConflictToSettle<'a> {
    ConflictToSettle {
        id: EventId(Uuid::from_u128(77)),
        kind: conflict.kind,
        deal_id: deal.map(|d| d.id),
        deal,
        other: &conflict.other,
        settled: None,
    }
}

fn settled_by(events: &[EventBody]) -> Settlement {
    match events.last() {
        Some(EventBody::ConflictSettled { how, conflict, .. }) => {
            assert_eq!(*conflict, EventId(Uuid::from_u128(77)));
            *how
        }
        other => panic!("the action ends with its settlement: {other:?}"),
    }
}

#[test]
fn taking_the_other_win_reassigns_to_the_owner_it_named() {
    let dir = directory();
    let (open, sams, maxs) = won_on_two_laptops(&dir);
    let (won, _) = applied(merge(&dir, &open, &sams));
    let conflict = skipped(merge(&dir, &won, &maxs));
    assert_eq!(conflict.other, vec![OtherVersion::FulfilmentOwner { person: BO }]);

    let taken = settle(&dir, FAY, &to_settle(&conflict, Some(&won)), Settlement::TookOther).unwrap();
    assert_eq!(settled_by(&taken), Settlement::TookOther);
    assert!(
        matches!(taken[0], EventBody::FulfilmentOwnerReassigned { from: FAY, to: BO, .. }),
        "the other version is a new reassignment: {taken:?}"
    );
    let after = won.after(&taken, at("2026-03-03 10:30"), &FoldContext::new(&dir)).unwrap();
    assert_eq!(after.acting_fulfilment_owner(), Some(BO));

    // Keeping records the settlement alone; the deal stays as it is.
    let kept = settle(&dir, SAM, &to_settle(&conflict, Some(&won)), Settlement::Kept).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(settled_by(&kept), Settlement::Kept);
    assert_eq!(won.after(&kept, at("2026-03-03 10:30"), &FoldContext::new(&dir)).unwrap(), won);
}

#[test]
fn taking_the_other_text_writes_the_replaced_section_and_preference_again() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let sams =
        action(SAM, "2026-03-03 14:02", d.write_section(&dir, None, Section::Risks, "Visa for Ana".into()).unwrap());
    let bos = action(BO, "2026-03-03 14:03", d.write_section(&dir, None, Section::Risks, "Passports".into()).unwrap());
    let (d1, _) = applied(merge(&dir, &d, &sams));
    let (d2, conflict) = applied(merge(&dir, &d1, &bos));
    let conflict = conflict.unwrap();
    assert_eq!(conflict.other, vec![OtherVersion::Section { section: Section::Risks, text: "Visa for Ana".into() }]);
    let taken = settle(&dir, SAM, &to_settle(&conflict, Some(&d2)), Settlement::TookOther).unwrap();
    let after = d2.after(&taken, at("2026-03-03 14:05"), &FoldContext::new(&dir)).unwrap();
    assert_eq!(after.brief.sections[&Section::Risks], "Visa for Ana");

    let t = with_traveller(&dir);
    let ana = TravellerId(Uuid::from_u128(50));
    let edit = |who, at: &str, text: &str| {
        action(who, at, t.edit_traveller(&dir, ana, None, vec![(PreferenceTopic::Dietary, text.into())]).unwrap())
    };
    let (t1, _) = applied(merge(&dir, &t, &edit(FAY, "2026-03-03 12:00", "vegan")));
    let (t2, conflict) = applied(merge(&dir, &t1, &edit(BO, "2026-03-03 12:01", "gluten-free")));
    let conflict = conflict.unwrap();
    let taken = settle(&dir, FAY, &to_settle(&conflict, Some(&t2)), Settlement::TookOther).unwrap();
    let after = t2.after(&taken, at("2026-03-03 12:05"), &FoldContext::new(&dir)).unwrap();
    assert_eq!(after.traveller(ana).unwrap().preferences.text(PreferenceTopic::Dietary), "vegan");
    // Already reading so: taking it again adds only the settlement.
    let again = settle(&dir, FAY, &to_settle(&conflict, Some(&after)), Settlement::TookOther).unwrap();
    assert_eq!(again.len(), 1);
}

#[test]
fn settling_is_for_a_lead_once_and_takes_only_what_can_be_taken() {
    let dir = directory();
    let (d, end, edit) = end_and_edit_at_once(&dir);
    let (ended, _) = applied(merge(&dir, &d, &end));
    let conflict = skipped(merge(&dir, &ended, &edit));
    assert!(conflict.other.is_empty(), "a late edit is not taken: the signed brief stands");

    let refused = settle(&dir, SAM, &to_settle(&conflict, Some(&ended)), Settlement::TookOther).unwrap_err();
    assert!(refused.to_string().contains("no other version to take: keep what stands"), "{refused}");
    // Bo backs up Fulfilment: not a lead.
    let refused = settle(&dir, BO, &to_settle(&conflict, Some(&ended)), Settlement::Kept).unwrap_err();
    assert_eq!(refused, RuleError::NotALead { person: "Bo".into() });
    // The founder and each lead may.
    for lead in [MAX, SAM, FAY, SOL] {
        assert!(settle(&dir, lead, &to_settle(&conflict, Some(&ended)), Settlement::Kept).is_ok());
    }
    // A department with no lead named: each of its people leads it.
    let mut unled = dir.clone();
    unled.staffing.insert(Department::Fulfilment, crate::directory::Staffing { lead: None, backups: vec![] });
    assert!(settle(&unled, BO, &to_settle(&conflict, Some(&ended)), Settlement::Kept).is_ok());
    // Once.
    let mut done = to_settle(&conflict, Some(&ended));
    done.settled = Some((Some(FAY), at("2026-03-03 15:00"), Settlement::Kept));
    let refused = settle(&dir, SAM, &done, Settlement::Kept).unwrap_err();
    assert!(refused.to_string().contains("settled already by Fay at 2026-03-03 15:00 (kept what stands)"), "{refused}");
    // A newer Handoff's event settles itself once this laptop is updated.
    let newer = newer_version(2);
    let refused = settle(&dir, SAM, &to_settle(&newer, None), Settlement::Kept).unwrap_err();
    assert!(refused.to_string().contains("update Handoff"), "{refused}");
}
