//! Given / when / then tests of handoff 3, one per row of the table in `service_to_sales.rs`.

use uuid::Uuid;

use super::super::fixtures::*;
use super::*;
use crate::ids::EscalationId;
use crate::trip::{AskTopic, Outcome, Sentiment};

const ASK: AskId = AskId(Uuid::from_u128(41));
const PICK_TASK: TaskId = TaskId(Uuid::from_u128(42));
/// The review that holds a trip ending Friday 20 March: Tuesday 24 March (trips ending 17–23).
const REVIEW: &str = "2026-03-24";

fn window(review: &str) -> ReviewWindow {
    ReviewWindow::for_review(day(review)).unwrap()
}

fn log_ask(dir: &Directory, d: &Deal, at: &str) -> Result<Vec<EventBody>, RuleError> {
    d.log_ask(dir, t(at), ASK, None, AskTopic::Dietary, "Is the fondue vegetarian?".into(), true)
}

fn asked() -> EventBody {
    EventBody::AskLogged {
        deal: DEAL,
        ask: ASK,
        traveller: None,
        topic: AskTopic::Dietary,
        text: "Is the fondue vegetarian?".into(),
        brief_should_have_covered: true,
    }
}

fn signalled(strength: u8) -> EventBody {
    EventBody::SignalRecorded { deal: DEAL, sentiment: Sentiment::Thrilled, strength, note: "Loved it".into() }
}

fn picked(review: &str) -> EventBody {
    EventBody::ReviewPicked { deal: DEAL, review: day(review), task: PICK_TASK }
}

/// Handed off, and the travellers back: thrilled, strength 5.
fn back(dir: &Directory) -> Deal {
    act(handed_off(dir), "2026-03-21 09:00", |d| {
        d.record_signal(dir, t("2026-03-21 09:00"), Sentiment::Thrilled, 5, "Loved it".into())
    })
}

fn pick(dir: &Directory, d: Deal) -> Deal {
    act(d, "2026-03-24 10:00", |d| d.pick(dir, &window(REVIEW), 0, PICK_TASK, t("2026-03-24 10:00")))
}

#[test]
fn asks_are_logged_during_the_trip() {
    let dir = directory();
    let d = handed_off(&dir);
    // Before the trip starts (Monday 16 March, midnight): refused, by the decision and the fold.
    let err = log_ask(&dir, &d, "2026-03-15 12:00").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the trip of \"Alpine retreat\" has not started yet (it starts 2026-03-16 00:00): asks are logged during the trip"
    );
    assert_fold_refuses(&d, asked(), t("2026-03-15 12:00"));
    // On the trip: logged once.
    let d = act(d, "2026-03-17 10:00", |d| log_ask(&dir, d, "2026-03-17 10:00"));
    assert_eq!((d.asks.len(), d.asks[0].brief_should_have_covered), (1, true));
    assert_fold_refuses(&d, asked(), t("2026-03-17 10:05"));
    // About a traveller the trip does not have: refused.
    let stranger = TravellerId(Uuid::from_u128(99));
    let err = d.log_ask(&dir, t("2026-03-17 11:00"), AskId(NIL), Some(stranger), AskTopic::Other, "?".into(), false);
    assert!(matches!(err, Err(RuleError::NoSuch { what: "traveller", .. })), "{err:?}");
    let about_stranger = EventBody::AskLogged {
        deal: DEAL,
        ask: AskId(NIL),
        traveller: Some(stranger),
        topic: AskTopic::Other,
        text: "?".into(),
        brief_should_have_covered: false,
    };
    assert_fold_refuses(&d, about_stranger, t("2026-03-17 11:00"));
}

#[test]
fn an_undelivered_deal_has_no_trip_to_ask_or_signal() {
    let dir = directory();
    for d in
        [open_deal_with(&dir, zermatt()), act(open_deal_with(&dir, zermatt()), "2026-03-03 10:00", |d| d.lose(&dir))]
    {
        assert!(matches!(log_ask(&dir, &d, "2026-03-17 10:00"), Err(RuleError::WrongStatus { .. })));
        let err = d.record_signal(&dir, t("2026-03-21 09:00"), Sentiment::Happy, 3, String::new());
        assert!(matches!(err, Err(RuleError::WrongStatus { .. })), "{err:?}");
        assert_fold_refuses(&d, asked(), t("2026-03-17 10:00"));
        assert_fold_refuses(&d, signalled(3), t("2026-03-21 09:00"));
    }
}

#[test]
fn the_signal_is_recorded_once_the_trip_is_over() {
    let dir = directory();
    let d = handed_off(&dir);
    // On the last day the trip is not over yet.
    let err = d.record_signal(&dir, t("2026-03-20 12:00"), Sentiment::Thrilled, 5, String::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the trip of \"Alpine retreat\" has not ended yet (its last day is 2026-03-20): record the signal once the travellers are back"
    );
    assert_fold_refuses(&d, signalled(5), t("2026-03-20 12:00"));
    // Strength is 1 to 5.
    let err = d.record_signal(&dir, t("2026-03-21 09:00"), Sentiment::Thrilled, 0, String::new()).unwrap_err();
    assert_eq!(err, RuleError::StrengthOutOfRange(0));
    assert_fold_refuses(&d, signalled(6), t("2026-03-21 09:00"));
    // Once back: recorded.
    let d = back(&dir);
    let s = d.signal.unwrap();
    assert_eq!((s.sentiment, s.strength, s.at), (Sentiment::Thrilled, 5, t("2026-03-21 09:00")));
}

#[test]
fn a_pick_creates_a_follow_up_call_for_the_sales_lead() {
    let dir = directory();
    let d = pick(&dir, back(&dir));
    let f = d.follow_up.clone().unwrap();
    assert_eq!((f.review, f.task, f.outcome), (day(REVIEW), PICK_TASK, None));
    let task = d.follow_up_task().unwrap();
    assert_eq!((task.title.as_str(), task.owner), ("Follow-up call", SAM));
    // Ten days after the trip's end, at close of business (17:30 in London, summer time by then).
    assert_eq!(task.due_at, t("2026-03-30 16:30"));
    // The outcome closes the task.
    let renewal = DealId(Uuid::from_u128(77));
    let d = act(d, "2026-03-26 15:00", |d| d.record_follow_up(&dir, Outcome::Renewed, Some(renewal)));
    let f = d.follow_up.clone().unwrap();
    assert_eq!(
        (f.outcome, f.renewed_deal, f.done_at),
        (Some(Outcome::Renewed), Some(renewal), Some(t("2026-03-26 15:00")))
    );
    assert_eq!(d.follow_up_task().unwrap().done_at, Some(t("2026-03-26 15:00")));
}

#[test]
fn a_pick_belongs_to_the_review_of_its_trip_end() {
    let dir = directory();
    let d = back(&dir);
    let err = d.pick(&dir, &window("2026-03-31"), 0, PICK_TASK, t("2026-03-31 10:00")).unwrap_err();
    assert!(err.to_string().contains("it belongs to the review of 2026-03-24"), "{err}");
    assert_fold_refuses(&d, picked("2026-03-31"), t("2026-03-31 10:00"));
    assert_fold_refuses(&d, picked("2026-03-25"), t("2026-03-25 10:00")); // not a Tuesday
                                                                          // Nor before the travellers are back, even at the right review.
    let on_trip = handed_off(&dir);
    let err = on_trip.pick(&dir, &window(REVIEW), 0, PICK_TASK, t("2026-03-20 10:00")).unwrap_err();
    assert!(matches!(err, RuleError::TripNotEnded { .. }), "{err}");
    assert_fold_refuses(&on_trip, picked(REVIEW), t("2026-03-20 10:00"));
}

#[test]
fn a_review_picks_no_more_than_the_limit() {
    let dir = directory();
    let d = back(&dir);
    let err = d.pick(&dir, &window(REVIEW), 3, PICK_TASK, t("2026-03-24 10:00")).unwrap_err();
    assert_eq!(err, RuleError::TooManyPicks { review: day(REVIEW), limit: 3 });
    let full = FoldContext { directory: &dir, picks_at_review: 3 };
    let err = fold_in(&full, Some(d.clone()), vec![picked(REVIEW)], t("2026-03-24 10:00")).unwrap_err();
    assert!(matches!(err, RuleError::IllegalTransition { event: "review_picked", .. }), "{err}");
    let third = FoldContext { directory: &dir, picks_at_review: 2 };
    assert!(fold_in(&third, Some(d), vec![picked(REVIEW)], t("2026-03-24 10:00")).is_ok());
}

#[test]
fn a_trip_is_picked_once() {
    let dir = directory();
    let d = pick(&dir, back(&dir));
    let err = d.pick(&dir, &window(REVIEW), 1, TaskId(NIL), t("2026-03-24 10:05")).unwrap_err();
    assert_eq!(err, RuleError::AlreadyPicked { deal: "Alpine retreat".into(), review: day(REVIEW) });
    assert_fold_refuses(&d, picked(REVIEW), t("2026-03-24 10:05"));
}

#[test]
fn a_follow_up_needs_a_pick_is_recorded_once_and_changed_later_when_the_renewal_comes() {
    let dir = directory();
    let d = back(&dir);
    let err = d.record_follow_up(&dir, Outcome::NoAnswer, None).unwrap_err();
    assert_eq!(err, RuleError::NotPicked { deal: "Alpine retreat".into() });
    let recorded = |outcome, renewed_deal| EventBody::FollowUpRecorded { deal: DEAL, outcome, renewed_deal };
    assert_fold_refuses(&d, recorded(Outcome::NoAnswer, None), t("2026-03-26 15:00"));
    let d = pick(&dir, d);
    // Only a renewal names the deal it renewed into.
    let events = d.record_follow_up(&dir, Outcome::Referral, Some(DealId(NIL))).unwrap();
    assert!(matches!(events[0], EventBody::FollowUpRecorded { renewed_deal: None, .. }), "{events:?}");
    assert_fold_refuses(&d, recorded(Outcome::Referral, Some(DealId(NIL))), t("2026-03-26 15:00"));
    let d = act(d, "2026-03-26 15:00", |d| d.record_follow_up(&dir, Outcome::Referral, None));
    let err = d.record_follow_up(&dir, Outcome::Referral, None).unwrap_err();
    assert!(matches!(err, RuleError::FollowUpAlreadyDone { .. }), "{err}");
    assert_fold_refuses(&d, recorded(Outcome::Renewed, None), t("2026-03-27 15:00"));
    // Weeks later the customer books again: the outcome becomes a renewal into the new deal; the
    // call keeps its day (it was within ten days), and the change its own.
    let porto = DealId(Uuid::from_u128(7));
    let err = d.record_follow_up(&dir, Outcome::Renewed, Some(DEAL)).unwrap_err();
    assert_eq!(err, RuleError::RenewedIntoItself { deal: "Alpine retreat".into() });
    let events = d.record_follow_up(&dir, Outcome::Renewed, Some(porto)).unwrap();
    assert_eq!(
        events,
        vec![EventBody::FollowUpUpdated { deal: DEAL, outcome: Outcome::Renewed, renewed_deal: Some(porto) }]
    );
    let d = act(d, "2026-05-04 11:00", |d| d.record_follow_up(&dir, Outcome::Renewed, Some(porto)));
    let f = d.follow_up.as_ref().unwrap();
    assert_eq!((f.outcome, f.renewed_deal), (Some(Outcome::Renewed), Some(porto)));
    assert_eq!((f.done_at, f.updated_at), (Some(t("2026-03-26 15:00")), Some(t("2026-05-04 11:00"))));
    let err = d.record_follow_up(&dir, Outcome::Renewed, Some(porto)).unwrap_err();
    assert!(err.to_string().contains("already recorded as renewed"), "{err}");
    let updated = |renewed_deal| EventBody::FollowUpUpdated { deal: DEAL, outcome: Outcome::NoAnswer, renewed_deal };
    assert_fold_refuses(&d, updated(Some(porto)), t("2026-05-05 11:00"));
    assert_fold_refuses(&back(&dir), updated(None), t("2026-05-05 11:00"));
    let _ = EscalationId(NIL);
}
