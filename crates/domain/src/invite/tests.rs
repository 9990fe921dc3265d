//! When each meeting lands, with whom, under which id; and the refusals.

use super::*;
use crate::deal::fixtures::*;
use crate::ids::TaskId;
use crate::trip::Sentiment;
use uuid::Uuid;

/// Agency calendar: London, Monday to Friday, 09:00–17:30 (GMT until 29 March 2026).
fn cal(dir: &Directory) -> &Calendar {
    dir.calendar().unwrap()
}

#[test]
fn a_slot_is_the_next_quarter_hour_inside_working_hours() {
    let dir = directory();
    let c = cal(&dir);
    assert_eq!(next_slot(c, t("2026-03-03 10:07"), 15), t("2026-03-03 10:15"));
    assert_eq!(next_slot(c, t("2026-03-03 10:15"), 15), t("2026-03-03 10:15"), "on the quarter already");
    assert_eq!(next_slot(c, t("2026-03-03 07:40"), 15), t("2026-03-03 09:00"), "before opening");
    assert_eq!(next_slot(c, t("2026-03-03 17:10"), 15), t("2026-03-03 17:15"), "the last slot that ends by 17:30");
    assert_eq!(next_slot(c, t("2026-03-03 17:20"), 15), t("2026-03-04 09:00"), "too late today: tomorrow");
    assert_eq!(next_slot(c, t("2026-03-06 17:20"), 30), t("2026-03-09 09:00"), "Friday evening: Monday");
    let mut holiday = dir.clone();
    holiday.agency.as_mut().unwrap().calendar.holidays.insert(day("2026-03-09"));
    assert_eq!(next_slot(cal(&holiday), t("2026-03-06 17:20"), 30), t("2026-03-10 09:00"), "over a holiday");
}

#[test]
fn the_handoff_meeting_is_planned_at_the_win_and_follows_the_meeting_as_held() {
    let dir = directory();
    let open = open_deal(&dir);
    let err = handoff_meeting(&dir, &open, t("2026-03-03 09:30"), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is nothing to invite to for \"Alpine retreat\" yet: the handoff meeting is planned when the deal is won: mark it won first"
    );
    // Won at 10:00, asked for at 10:05: the next quarter hour, the same day, with both leads.
    let won = act(open, "2026-03-03 10:00", |d| d.win(&dir, t("2026-03-03 10:00"), crate::ids::EscalationId(NIL)));
    let planned = handoff_meeting(&dir, &won, t("2026-03-03 10:05"), None).unwrap();
    assert_eq!(
        (planned.start, planned.minutes, planned.weekly, planned.cancelled),
        (t("2026-03-03 10:15"), 15, false, false)
    );
    assert_eq!(planned.attendees, [SAM, FAY]);
    assert_eq!(planned.summary, "Handoff meeting: Alpine retreat (Acme GmbH)");
    assert!(planned.description.contains("Sales (Sam) writes the one-page brief"), "{}", planned.description);
    // A time the leads chose; then the meeting as it started; then as it was held.
    let chosen = handoff_meeting(&dir, &won, t("2026-03-03 10:05"), Some(t("2026-03-03 14:00"))).unwrap();
    assert_eq!(chosen.start, t("2026-03-03 14:00"));
    let started = act(won, "2026-03-03 14:10", |d| d.start_meeting(&dir, t("2026-03-03 14:10")));
    assert_eq!(handoff_meeting(&dir, &started, t("2026-03-03 14:11"), None).unwrap().start, t("2026-03-03 14:10"));
    let held = handed_off(&dir);
    let invite = handoff_meeting(&dir, &held, t("2026-03-05 09:00"), None).unwrap();
    assert_eq!((invite.start, invite.minutes), (t("2026-03-03 14:00"), 12));
    // The same meeting keeps its id through every change, so a calendar updates it.
    assert_eq!(invite.uid, planned.uid);
    assert_eq!(invite.uid, format!("handoff-meeting-{}@handoff", DEAL));
}

#[test]
fn a_lost_deal_withdraws_its_meeting() {
    let dir = directory();
    let lost = act(open_deal(&dir), "2026-03-03 11:00", |d| d.lose(&dir));
    let invite = handoff_meeting(&dir, &lost, t("2026-03-03 12:00"), None).unwrap();
    assert!(invite.cancelled);
    assert_eq!(invite.uid, format!("handoff-meeting-{}@handoff", DEAL), "the id of the meeting it withdraws");
    assert!(invite.description.contains("was lost"), "{}", invite.description);
}

#[test]
fn the_service_call_is_before_the_72_hour_mark_with_fulfilment_and_service() {
    let dir = directory();
    // The Zermatt trip starts Monday 16 March: the service handoff is due by Friday 13 March,
    // midnight, so the call is at Thursday's opening.
    let d = handed_off(&dir);
    let invite = service_call(&dir, &d, t("2026-03-04 09:00"), None).unwrap();
    assert_eq!((invite.start, invite.minutes), (t("2026-03-12 09:00"), 15));
    assert_eq!(invite.attendees, [FAY, SOL]);
    assert!(invite.description.contains("Mon 16 Mar to Fri 20 Mar 2026 in Zermatt"), "{}", invite.description);
    // Asked for on the Thursday afternoon: that morning has passed, so the next slot, still in time.
    assert_eq!(service_call(&dir, &d, t("2026-03-12 15:05"), None).unwrap().start, t("2026-03-12 15:15"));
    // Past the mark: still the next slot (late), never a time gone by.
    assert_eq!(service_call(&dir, &d, t("2026-03-13 10:00"), None).unwrap().start, t("2026-03-13 10:00"));
    // The trip moves a week later: the same invitation, a week later.
    let moved = act(d.clone(), "2026-03-05 09:00", |d| {
        d.plan_trip(
            &dir,
            crate::event::TripPlan { start: Some(day("2026-03-23")), end: Some(day("2026-03-27")), ..d.trip.clone() },
            crate::ids::EscalationId(NIL),
        )
    });
    let later = service_call(&dir, &moved, t("2026-03-05 09:00"), None).unwrap();
    assert_eq!(later.start, t("2026-03-19 09:00"));
    assert_eq!(later.uid, invite.uid);
    // Not yet handed off: nothing to invite to; without trip dates, say so.
    let err = service_call(&dir, &won_in_meeting(&dir), t("2026-03-03 14:05"), None).unwrap_err();
    assert!(err.to_string().contains("has no trip start yet"), "{err}");
}

#[test]
fn the_tuesday_review_is_weekly_with_the_service_and_sales_leads() {
    let dir = directory();
    // Thursday 5 March: the next Tuesday, 10 March, at 10:00.
    let invite = tuesday_review(&dir, "agency-1", t("2026-03-05 12:00"), None).unwrap();
    assert_eq!((invite.start, invite.minutes, invite.weekly), (t("2026-03-10 10:00"), 30, true));
    assert_eq!(invite.attendees, [SOL, SAM]);
    assert_eq!(invite.uid, "handoff-review-agency-1@handoff");
    assert!(invite.description.contains("picks the 3 with the strongest signal"), "{}", invite.description);
    // On a Tuesday before 10:00, that day; after it, the next week.
    assert_eq!(tuesday_review(&dir, "a", t("2026-03-10 08:00"), None).unwrap().start, t("2026-03-10 10:00"));
    assert_eq!(tuesday_review(&dir, "a", t("2026-03-10 10:30"), None).unwrap().start, t("2026-03-17 10:00"));
    // A chosen time must be a Tuesday.
    assert_eq!(
        tuesday_review(&dir, "a", t("2026-03-05 12:00"), Some(t("2026-03-17 14:00"))).unwrap().start,
        t("2026-03-17 14:00")
    );
    let err = tuesday_review(&dir, "a", t("2026-03-05 12:00"), Some(t("2026-03-18 14:00"))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2026-03-18 is a Wednesday: the review is held on Tuesdays — use 2026-03-17 or 2026-03-24"
    );
    // Without a lead of either department, nobody to invite.
    let mut nobody = dir.clone();
    nobody.staffing.clear();
    assert!(matches!(tuesday_review(&nobody, "a", t("2026-03-05 12:00"), None), Err(RuleError::NoSalesLead)));
}

#[test]
fn a_follow_up_call_is_planned_after_its_review_before_day_10() {
    let dir = directory();
    let d = handed_off(&dir);
    let err = follow_up_call(&dir, &d, t("2026-03-25 09:00"), None).unwrap_err();
    assert!(err.to_string().contains("no follow-up call was picked for it"), "{err}");
    // Back Friday 20 March, thrilled; picked at the review of Tuesday 24 March.
    let back = act(d, "2026-03-21 09:00", |d| {
        d.record_signal(&dir, t("2026-03-21 09:00"), Sentiment::Thrilled, 5, "Loved it".into())
    });
    let window = ReviewWindow::for_review(day("2026-03-24")).unwrap();
    let task = TaskId(Uuid::from_u128(42));
    let picked = act(back, "2026-03-24 10:00", |d| d.pick(&dir, &window, 0, task, t("2026-03-24 10:00")));
    let invite = follow_up_call(&dir, &picked, t("2026-03-24 10:30"), None).unwrap();
    assert_eq!((invite.start, invite.minutes), (t("2026-03-25 09:00"), 15), "the next morning");
    assert_eq!(invite.attendees, [SAM]);
    assert_eq!(invite.summary, "Follow-up call: Acme GmbH (Alpine retreat)");
    assert!(invite.description.contains("due by Mon 30 Mar 2026 17:30"), "{}", invite.description);
    assert_eq!(follow_up_call(&dir, &picked, t("2026-03-26 11:50"), None).unwrap().start, t("2026-03-26 12:00"));
}
