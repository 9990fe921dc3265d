//! Given / when / then tests of the corrections, one per row of the table in `corrections.rs`.

use chrono::Duration;
use uuid::Uuid;

use super::super::fixtures::*;
use super::*;
use crate::ids::EscalationId;

fn reason() -> String {
    "typed the wrong day".into()
}

#[test]
fn a_close_time_is_corrected_and_the_dwell_counts_from_it() {
    let dir = directory();
    let d = handed_off(&dir);
    assert_eq!(d.dwell(), Some(Duration::minutes(4 * 60 + 12)));
    // It really closed at 08:30, not 10:00: the dwell grows by 90 minutes.
    let d =
        act(d, "2026-03-05 09:00", |d| d.correct_close(&dir, t("2026-03-03 09:30"), t("2026-03-05 09:00"), reason()));
    assert_eq!(d.closed_at, Some(t("2026-03-03 09:30")));
    assert_eq!(d.dwell(), Some(Duration::minutes(4 * 60 + 42)));
    assert_eq!(d.status, DealStatus::HandedOff);
}

#[test]
fn a_corrected_close_still_comes_after_the_deal_and_before_the_meeting() {
    let dir = directory();
    let d = won_in_meeting(&dir); // added 09:00, won 10:00, meeting since 14:00
    let now = t("2026-03-03 15:00");
    let err = d.correct_close(&dir, t("2026-03-03 08:00"), now, reason()).unwrap_err();
    assert!(err.to_string().contains("cannot be before the deal was added"), "{err}");
    let err = d.correct_close(&dir, t("2026-03-03 14:30"), now, reason()).unwrap_err();
    assert!(
        err.to_string().contains("the handoff meeting (2026-03-03 14:00) cannot be before the corrected close"),
        "{err}"
    );
    let err = d.correct_close(&dir, t("2026-03-03 10:00"), now, reason()).unwrap_err();
    assert!(matches!(err, RuleError::NothingCorrected(_)), "{err}");
    // A won deal whose meeting has not started: not later than the correction itself.
    let open = open_deal(&dir);
    let won = act(open, "2026-03-03 10:00", |d| d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())));
    let err = won.correct_close(&dir, t("2026-03-04 10:00"), t("2026-03-03 16:00"), reason()).unwrap_err();
    assert!(err.to_string().contains("the correction (2026-03-03 16:00) cannot be before the close it names"), "{err}");
    // The fold refuses what the decision refuses.
    let body = |at: &str| EventBody::DealCloseCorrected { deal: DEAL, closed_at: t(at), reason: reason() };
    assert_fold_refuses(&d, body("2026-03-03 08:00"), now);
    assert_fold_refuses(&d, body("2026-03-03 14:30"), now);
    assert_fold_refuses(&won, body("2026-03-03 16:30"), t("2026-03-03 16:00"));
}

#[test]
fn only_a_closed_deal_has_its_close_corrected() {
    let dir = directory();
    let d = open_deal(&dir);
    let err = d.correct_close(&dir, t("2026-03-03 09:30"), t("2026-03-03 12:00"), reason()).unwrap_err();
    assert_eq!(err.to_string(), "deal \"Alpine retreat\" is open; only a won deal has a close time to correct");
    let body = EventBody::DealCloseCorrected { deal: DEAL, closed_at: t("2026-03-03 09:30"), reason: reason() };
    assert_fold_refuses(&d, body.clone(), t("2026-03-03 12:00"));
    let lost = act(d, "2026-03-03 10:00", |d| d.lose(&dir));
    assert_fold_refuses(&lost, body, t("2026-03-03 12:00"));
}

#[test]
fn a_lost_deal_is_reopened_and_can_then_be_won() {
    let dir = directory();
    let d = open_deal(&dir);
    let err = d.reopen(&dir, reason()).unwrap_err();
    assert_eq!(err.to_string(), "deal \"Alpine retreat\" is open; only a lost deal is reopened");
    let lost = act(d, "2026-03-03 10:00", |d| d.lose(&dir));
    let reopened = act(lost, "2026-03-03 11:00", |d| d.reopen(&dir, "lost by mistake: they signed today".into()));
    assert_eq!((reopened.status, reopened.lost_at), (DealStatus::Open, None));
    let won =
        act(reopened.clone(), "2026-03-03 12:00", |d| d.win(&dir, t("2026-03-03 12:00"), EscalationId(Uuid::nil())));
    assert_eq!(won.status, DealStatus::Won);
    assert!(won.reopen(&dir, reason()).is_err());
    assert_fold_refuses(&reopened, EventBody::DealReopened { deal: DEAL, reason: reason() }, t("2026-03-03 12:00"));
    assert_fold_refuses(&won, EventBody::DealReopened { deal: DEAL, reason: reason() }, t("2026-03-03 12:00"));
}

#[test]
fn title_customer_and_value_are_corrected_with_a_reason() {
    let dir = directory();
    let d = handed_off(&dir);
    let edit = DealEdit {
        title: Some("Alpine retreat, Zermatt".into()),
        customer: Some("Acme GmbH".into()), // unchanged: not part of the event
        value: Some(Money::parse("62500", "EUR").unwrap()),
    };
    let events = d.edit(&dir, edit, "the price went up with the second chalet".into()).unwrap();
    assert_eq!(
        events,
        vec![EventBody::DealEdited {
            deal: DEAL,
            title: Some("Alpine retreat, Zermatt".into()),
            customer: None,
            value: Some(Money::parse("62500", "EUR").unwrap()),
            reason: "the price went up with the second chalet".into(),
        }]
    );
    let brief = d.brief.sha256(d.id);
    let d = fold(Some(d), events, t("2026-03-04 09:00")).unwrap();
    assert_eq!(
        (d.title.as_str(), d.customer.as_str(), d.value.minor),
        ("Alpine retreat, Zermatt", "Acme GmbH", 6_250_000)
    );
    assert_eq!(d.brief.sha256(d.id), brief, "the signed brief is untouched");
    assert_eq!(d.status, DealStatus::HandedOff);
}

#[test]
fn an_edit_must_change_something_valid() {
    let dir = directory();
    let d = open_deal(&dir);
    let same = DealEdit { title: Some("Alpine retreat".into()), ..DealEdit::default() };
    assert!(matches!(d.edit(&dir, same, reason()).unwrap_err(), RuleError::NothingCorrected(_)));
    let blank = DealEdit { customer: Some("  ".into()), ..DealEdit::default() };
    assert!(matches!(d.edit(&dir, blank, reason()).unwrap_err(), RuleError::Empty { .. }));
    let body = |value: i64| EventBody::DealEdited {
        deal: DEAL,
        title: None,
        customer: None,
        value: Some(Money { minor: value, ..d.value.clone() }),
        reason: reason(),
    };
    assert_fold_refuses(&d, body(crate::money::MAX_MINOR + 1), t("2026-03-03 12:00"));
    assert_fold_refuses(
        &d,
        EventBody::DealEdited { deal: DEAL, title: None, customer: None, value: None, reason: reason() },
        t("2026-03-03 12:00"),
    );
    assert_fold_refuses(
        &d,
        EventBody::DealEdited { deal: DEAL, title: Some(" ".into()), customer: None, value: None, reason: reason() },
        t("2026-03-03 12:00"),
    );
}

#[test]
fn every_correction_says_why() {
    let dir = directory();
    let d = handed_off(&dir);
    let now = t("2026-03-05 09:00");
    for err in [
        d.correct_close(&dir, t("2026-03-03 09:30"), now, " ".into()).unwrap_err(),
        d.edit(&dir, DealEdit { title: Some("New".into()), ..DealEdit::default() }, String::new()).unwrap_err(),
        open_deal(&dir).reopen(&dir, "".into()).unwrap_err(),
    ] {
        assert_eq!(err.to_string(), "the reason is empty: give it some text", "{err}");
    }
    let body = EventBody::DealCloseCorrected { deal: DEAL, closed_at: t("2026-03-03 09:30"), reason: " ".into() };
    assert_fold_refuses(&d, body, now);
}
