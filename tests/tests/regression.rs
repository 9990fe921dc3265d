//! One test per bug that was fixed, named after the bug it pins; its comment says what went wrong
//! and which commit fixed it. A test here is never loosened: if it fails, the bug is back.

use crate::fixtures::{handed_off, in_meeting_with_full_brief, sign_both, CSV_HEADER};
use crate::util::{p, Agency};

/// Reassigning the fulfilment side after the handoff turned the signed brief back into an
/// unsigned draft that failed verification (fixed in cdca02e).
#[test]
fn a_reassignment_after_the_handoff_no_longer_unsigns_the_brief() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    sign_both(&a, "2026-03-03 14:10");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:15"]);
    let before = a.path("before.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&before)]);
    a.ok(&["reassign", "Alpine retreat", "--to", "Bo Lind", "--reason", "Fay on leave", "--at", "2026-03-04 09:00"]);
    let brief = a.json(&["brief", "show", "Alpine retreat"]);
    assert_eq!(brief["signed"], true, "{brief}");
    assert_eq!(brief["fulfilment"]["signer"]["name"], "Fay Okafor");
    a.ok(&["verify", "brief", p(&before)]);
    let after = a.path("after.pdf");
    let r = a.json(&["export", "brief", "Alpine retreat", "--out", p(&after)]);
    assert_eq!(r["draft"], false);
}

/// Moving the trip threw away a hand-made service reassignment and counted a new founder
/// escalation each time (fixed in cdca02e).
#[test]
fn moving_a_trip_no_longer_drops_a_hand_made_service_owner_or_escalates_again() {
    let a = Agency::with_service_team();
    handed_off(&a, "Porto", "2026-05-04", "2026-05-20 09:00", "2026-05-24");
    a.ok(&[
        "service",
        "reassign",
        "Porto",
        "--to",
        "Ivy Park",
        "--reason",
        "Sol on a fam trip",
        "--at",
        "2026-05-05 09:00",
    ]);
    a.ok(&["trip", "set", "Porto", "--start", "2026-05-21 09:00", "--at", "2026-05-06 09:00"]);
    let s = a.json(&["service", "show", "Porto"]);
    assert_eq!(s["owner"]["name"], "Ivy Park");
    assert_eq!(s["due_at"], "2026-05-18T08:00:00Z");
    assert_eq!(s["reassignments"][0]["reason"], "Sol on a fam trip");

    // Everyone in Service away: one escalation, however often the trip then moves.
    for who in ["Sol Reed", "Ivy Park"] {
        a.ok(&["person", "away", who, "--from", "2026-08-01", "--to", "2026-08-31"]);
    }
    handed_off(&a, "August", "2026-06-01", "2026-08-10 09:00", "2026-08-15");
    a.ok(&["trip", "set", "August", "--start", "2026-08-11 09:00", "--at", "2026-06-02 09:00"]);
    a.ok(&["trip", "set", "August", "--start", "2026-08-12 09:00", "--at", "2026-06-03 09:00"]);
    assert_eq!(a.json(&["service", "show", "August"])["owner"]["name"], "Maya Chen");
    assert_eq!(a.json(&["escalation", "list"]).as_array().unwrap().len(), 1);
}

/// "Should act now" named the owner even when they were away that day (fixed in cdca02e).
#[test]
fn should_act_no_longer_names_an_owner_who_is_away_today() {
    let a = Agency::wayfarer();
    let file = a.write("open.csv", &format!("{CSV_HEADER}W1,Waiting deal,Acme,100,EUR,Sam Reyes,2026-03-02 09:00,\n"));
    a.ok(&["import", "deals", p(&file)]);
    let today = chrono::Utc::now().date_naive();
    let (from, to) = ((today - chrono::Duration::days(1)).to_string(), (today + chrono::Duration::days(1)).to_string());
    a.ok(&["person", "away", "Fay Okafor", "--from", &from, "--to", &to]);
    let m = a.json(&["metrics", "dwell"]);
    assert_eq!(m["open"][0]["should_act"]["name"], "Bo Lind");
}
