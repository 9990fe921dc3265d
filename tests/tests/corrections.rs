//! Mistakes corrected by new events, never edits, each with its reason and shown in the timeline,
//! through the real `handoff` binary; every correction survives `admin rebuild` unchanged.

use crate::fixtures::handed_off;
use crate::util::Agency;

fn timeline(a: &Agency, deal: &str) -> String {
    a.json(&["deal", "show", deal])["timeline"].as_array().unwrap().iter().map(|e| e["summary"].to_string()).collect()
}

/// `admin rebuild` folds the log into exactly the tables the corrections left.
fn rebuild_changes_nothing(a: &Agency) {
    let before = a.snapshot();
    a.ok(&["admin", "rebuild"]);
    assert_eq!(a.snapshot(), before);
}

#[test]
fn a_corrected_close_time_recounts_the_dwell_and_shows_why() {
    let a = Agency::wayfarer();
    handed_off(&a, "Alpine retreat", "2026-03-03", "2026-05-01", "2026-05-08");
    let dwell = |a: &Agency| a.json(&["metrics", "dwell"])["worst_hours"].as_f64().unwrap();
    assert!((dwell(&a) - 20.0 / 60.0).abs() < 1e-9, "won 09:00, handed off 09:20");
    // The CRM says it closed at 08:15, while the deal was being entered: the dwell was 65 minutes.
    a.ok(&["deal", "correct", "Alpine retreat", "--closed-at", "2026-03-03 08:15", "--reason", "the CRM shows 08:15"]);
    assert!((dwell(&a) - 65.0 / 60.0).abs() < 1e-9, "{}", dwell(&a));
    let shown = a.json(&["deal", "show", "Alpine retreat"]);
    assert_eq!(shown["closed_at"], "2026-03-03T08:15:00Z");
    assert!(timeline(&a, "Alpine retreat").contains("Corrected: it closed 2026-03-03 08:15 — the CRM shows 08:15"));
    rebuild_changes_nothing(&a);

    // Refused, with nothing written: no reason, a close after the meeting, before the deal existed.
    let err = a.refused(&["deal", "correct", "Alpine retreat", "--closed-at", "2026-03-03 08:20", "--reason", " "]);
    assert!(err.contains("the reason is empty"), "{err}");
    let err = a.refused(&["deal", "correct", "Alpine retreat", "--closed-at", "2026-03-03 09:10", "--reason", "x"]);
    assert!(err.contains("cannot be before the corrected close"), "{err}");
    let err = a.refused(&["deal", "correct", "Alpine retreat", "--closed-at", "2026-03-03 07:59", "--reason", "x"]);
    assert!(err.contains("cannot be before the deal was added"), "{err}");
    let err = a.refused(&["deal", "correct", "Alpine retreat", "--reason", "nothing given"]);
    assert!(err.contains("nothing to correct"), "{err}");
}

#[test]
fn title_customer_and_value_are_corrected_and_a_lost_deal_reopened() {
    let a = Agency::wayfarer();
    let add = ["deal", "add", "--title", "Lisbon", "--customer", "Acme", "--value", "1000", "--currency", "EUR"];
    a.ok(&[&add[..], &["--owner", "Sam Reyes", "--at", "2026-03-02 09:00"]].concat());
    a.ok(&["deal", "lost", "Lisbon", "--at", "2026-03-02 10:00"]);
    let err = a.refused(&["deal", "won", "Lisbon"]);
    assert!(err.contains("is lost"), "{err}");
    a.ok(&["deal", "reopen", "Lisbon", "--reason", "marked lost by mistake: they want it after all"]);
    a.ok(&[
        "deal",
        "correct",
        "Lisbon",
        "--title",
        "Lisbon city break",
        "--value",
        "1250.50",
        "--reason",
        "two more nights",
    ]);
    let shown = a.json(&["deal", "show", "Lisbon city break"]);
    assert_eq!(shown["status"], "open");
    assert_eq!(shown["value"], "1,250.50 EUR");
    let lines = timeline(&a, "Lisbon city break");
    assert!(lines.contains("Reopened — marked lost by mistake: they want it after all"), "{lines}");
    assert!(
        lines.contains("Corrected: title \\\"Lisbon city break\\\", value 1,250.50 EUR — two more nights"),
        "{lines}"
    );
    a.ok(&["deal", "won", "Lisbon city break"]);
    let err = a.refused(&["deal", "reopen", "Lisbon city break", "--reason", "x"]);
    assert!(err.contains("only a lost deal is reopened"), "{err}");
    let err = a.refused(&["deal", "correct", "Lisbon city break", "--value", "99999999999999999", "--reason", "x"]);
    assert!(err.contains("at most 9,007,199,254,740,991 minor units"), "{err}");
    rebuild_changes_nothing(&a);
}

#[test]
fn away_periods_and_holidays_are_corrected_and_business_dwell_is_counted_again() {
    let a = Agency::wayfarer();
    a.ok(&["holiday", "add", "2026-03-03", "--name", "Founders' day"]);
    // Won Monday 2 March 17:00, handed off Wednesday 09:30: the holiday Tuesday is no business time.
    let add = ["deal", "add", "--title", "Oslo", "--customer", "Acme", "--value", "1000", "--currency", "EUR"];
    a.ok(&[&add[..], &["--owner", "Sam Reyes", "--at", "2026-03-02 09:00"]].concat());
    a.ok(&["deal", "won", "Oslo", "--at", "2026-03-02 17:00"]);
    crate::fixtures::hand_off(&a, "Oslo", "Fay Okafor", "2026-03-04");
    let business = |a: &Agency| a.json(&["metrics", "dwell"])["worst_business_hours"].as_f64().unwrap();
    let with_holiday = business(&a);
    a.ok(&["holiday", "remove", "2026-03-03", "--reason", "we opened after all"]);
    assert!((business(&a) - with_holiday - 8.5).abs() < 1e-9, "the Tuesday counts again: {}", business(&a));
    let err = a.refused(&["holiday", "remove", "2026-03-03", "--reason", "again"]);
    assert!(err.contains("is not a holiday"), "{err}");

    // Fay away all next week, then back on Wednesday; Bo's leave cancelled.
    a.ok(&["person", "away", "Fay Okafor", "--from", "2026-03-09", "--to", "2026-03-13"]);
    a.ok(&["person", "away", "Bo Lind", "--from", "2026-03-09", "--to", "2026-03-10"]);
    a.ok(&[
        "person",
        "away-correct",
        "Fay Okafor",
        "--from",
        "2026-03-09",
        "--to",
        "2026-03-10",
        "--reason",
        "back early",
    ]);
    a.ok(&["person", "away-correct", "Bo Lind", "--from", "2026-03-09", "--cancel", "--reason", "trip moved"]);
    let people = a.json(&["person", "list"]);
    let of = |name: &str| people.as_array().unwrap().iter().find(|p| p["name"] == name).unwrap().clone();
    assert_eq!(of("Fay Okafor")["away"], serde_json::json!([{ "from": "2026-03-09", "to": "2026-03-10" }]));
    assert_eq!(of("Bo Lind")["away"], serde_json::json!([]));
    let err = a.refused(&["person", "away-correct", "Bo Lind", "--from", "2026-03-09", "--cancel", "--reason", "x"]);
    assert!(err.contains("Bo Lind has no away period starting 2026-03-09"), "{err}");
    // A deal won on Wednesday 11 March goes to Fay again: she is back.
    let add = ["deal", "add", "--title", "Rome", "--customer", "Acme", "--value", "1000", "--currency", "EUR"];
    a.ok(&[&add[..], &["--owner", "Sam Reyes", "--at", "2026-03-11 09:00"]].concat());
    let won = a.json(&["deal", "won", "Rome", "--at", "2026-03-11 10:00"]);
    assert_eq!(won["fulfilment_owner"]["name"], "Fay Okafor");
    rebuild_changes_nothing(&a);
}

#[test]
fn a_retired_person_stays_in_the_history_and_is_never_named_again() {
    let a = Agency::wayfarer();
    handed_off(&a, "Alpine retreat", "2026-03-03", "2026-05-01", "2026-05-08");
    let err = a.refused(&["person", "retire", "Fay Okafor", "--reason", "moved to Lisbon"]);
    assert!(err.contains("Fay Okafor leads fulfilment: name another lead first"), "{err}");
    a.ok(&["person", "retire", "Bo Lind", "--reason", "moved to Lisbon", "--at", "2026-03-05 12:00"]);
    let line = a.ok(&["person", "list"]);
    assert!(line.contains("Bo Lind — fulfilment; left the agency 2026-03-05 (moved to Lisbon)"), "{line}");
    let depts = a.ok(&["dept", "list"]);
    assert!(!depts.contains("Bo Lind"), "taken off the backups: {depts}");

    // Fay away: the next backup still in the agency (Cy) is named, never Bo.
    a.ok(&["person", "away", "Fay Okafor", "--from", "2026-03-09", "--to", "2026-03-13"]);
    let add = ["deal", "add", "--title", "Rome", "--customer", "Acme", "--value", "1000", "--currency", "EUR"];
    a.ok(&[&add[..], &["--owner", "Sam Reyes", "--at", "2026-03-10 09:00"]].concat());
    let won = a.json(&["deal", "won", "Rome", "--at", "2026-03-10 10:00"]);
    assert_eq!(won["fulfilment_owner"]["name"], "Cy Adams");
    let err = a.refused(&["reassign", "Rome", "--to", "Bo Lind", "--reason", "he knows Rome"]);
    assert!(err.contains("Bo Lind has left the agency (since 2026-03-05)"), "{err}");
    let err = a.refused(&[
        "deal",
        "add",
        "--title",
        "Oslo",
        "--customer",
        "Acme",
        "--value",
        "1",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
        "--as",
        "Bo Lind",
    ]);
    assert!(err.contains("act as someone still in the agency"), "{err}");
    let err = a.refused(&["person", "retire", "Bo Lind", "--reason", "again"]);
    assert!(err.contains("retired already"), "{err}");
    // His name still reads in the history of the deal he worked on.
    assert!(a.ok(&["deal", "show", "Alpine retreat"]).contains("Sam Reyes"));
    rebuild_changes_nothing(&a);
}
