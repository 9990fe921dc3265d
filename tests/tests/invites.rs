//! Calendar invitations through the real `handoff` binary, read back by a real parser (Python's
//! `icalendar` package, `tools/read_invite.py`): the times land right through the file's own
//! time zone, the zone matches the IANA database for every month the file covers, the same
//! meeting keeps its id while its sequence grows, a lost deal's meeting is cancelled, and every
//! refusal writes nothing.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::fixtures::{add_alpine, hand_off};
use crate::util::{p, Agency};
use handoff_domain::zone::Zone;

/// A Python with the `icalendar` package (the test command installs Debian's).
fn python() -> &'static str {
    ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|py| Command::new(py).args(["-c", "import icalendar"]).output().is_ok_and(|o| o.status.success()))
        .expect("a Python 3 with the icalendar package: apt-get install python3-icalendar")
}

/// What a calendar reads in `file`, its zone checked against the IANA database over the years.
fn read(file: &Path, years: (i32, i32)) -> Value {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/read_invite.py");
    let out =
        Command::new(python()).args([p(&tool), p(file), &years.0.to_string(), &years.1.to_string()]).output().unwrap();
    assert!(out.status.success(), "the parser refused {}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read["mismatches"], serde_json::json!([]), "the file's zone disagrees with the IANA database");
    read
}

fn with_addresses(a: &Agency) {
    for (who, email) in [("Sam Reyes", "sam@wayfarer.example"), ("Fay Okafor", "fay@wayfarer.example")] {
        a.ok(&["person", "email", who, email]);
    }
}

#[test]
fn the_handoff_meeting_follows_the_deal_and_keeps_its_id() {
    let a = Agency::wayfarer();
    with_addresses(&a);
    add_alpine(&a, "Acme GmbH", &[], "2026-03-03 09:00");
    let file = a.dir.path().join("meeting.ics");
    // Open: nothing to invite to yet, and nothing written.
    let err = a.refused(&["invite", "meeting", "Alpine retreat", "--out", p(&file)]);
    assert!(err.contains("the handoff meeting is planned when the deal is won: mark it won first"), "{err}");
    assert!(!file.exists());

    a.ok(&["deal", "won", "Alpine retreat", "--at", "2026-03-03 10:00"]);
    let made = a.json(&["invite", "meeting", "Alpine retreat", "--at", "2026-03-03 14:00", "--out", p(&file)]);
    let first = read(&file, (2026, 2027));
    assert_eq!(first["method"], "REQUEST");
    let event = &first["events"][0];
    assert_eq!(event["uid"], made["uid"]);
    assert_eq!(
        (event["start"].as_str(), event["end"].as_str()),
        (Some("2026-03-03T14:00:00+00:00"), Some("2026-03-03T14:15:00+00:00"))
    );
    assert_eq!(event["tzid"], "Europe/London");
    assert_eq!(event["summary"], "Handoff meeting: Alpine retreat (Acme GmbH)");
    assert_eq!(event["attendees"], serde_json::json!(["mailto:sam@wayfarer.example", "mailto:fay@wayfarer.example"]));
    assert!(event["description"].as_str().unwrap().contains("Sales (Sam Reyes) writes the one-page brief"));

    // Made again without --force: refused, the file as it was.
    let before = std::fs::read(&file).unwrap();
    let err = a.refused(&["invite", "meeting", "Alpine retreat", "--out", p(&file)]);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // The meeting starts at 14:10: the same invitation, moved, with a higher sequence.
    a.ok(&["meeting", "start", "Alpine retreat", "--at", "2026-03-03 14:10"]);
    a.json(&["invite", "meeting", "Alpine retreat", "--out", p(&file), "--force"]);
    let moved = read(&file, (2026, 2027));
    assert_eq!(moved["events"][0]["uid"], event["uid"]);
    assert_eq!(moved["events"][0]["start"], "2026-03-03T14:10:00+00:00");
    assert!(moved["events"][0]["sequence"].as_i64() > event["sequence"].as_i64());
    // Made again with nothing changed: the same sequence (a calendar sees no change).
    let again = a.json(&["invite", "meeting", "Alpine retreat", "--out", p(&file), "--force"]);
    assert_eq!(again["sequence"].as_i64(), moved["events"][0]["sequence"].as_i64());
}

#[test]
fn a_lost_deal_cancels_its_meeting() {
    let a = Agency::wayfarer();
    with_addresses(&a);
    add_alpine(&a, "Acme GmbH", &[], "2026-03-03 09:00");
    a.ok(&["deal", "lost", "Alpine retreat", "--at", "2026-03-03 11:00"]);
    let file = a.dir.path().join("cancel.ics");
    let made = a.json(&["invite", "meeting", "Alpine retreat", "--out", p(&file)]);
    assert_eq!(made["cancelled"], true);
    let read = read(&file, (2026, 2027));
    assert_eq!(read["method"], "CANCEL");
    assert_eq!(read["events"][0]["status"], "CANCELLED");
    assert_eq!(read["events"][0]["uid"], made["uid"]);
    let text = a.ok(&["invite", "meeting", "Alpine retreat", "--out", p(&file), "--force"]);
    assert!(text.contains("it cancels \"Handoff meeting: Alpine retreat (Acme GmbH)\""), "{text}");
}

#[test]
fn the_service_call_lands_before_the_72_hour_mark_and_moves_with_the_trip() {
    let a = Agency::with_service();
    with_addresses(&a);
    a.ok(&["person", "email", "Sol Reed", "sol@wayfarer.example"]);
    // A trip from Monday 1 February 2027, handed off on 23 November 2026.
    add_alpine(&a, "Acme GmbH", &["--trip-start", "2027-02-01", "--trip-end", "2027-02-05"], "2026-11-23 08:00");
    let file = a.dir.path().join("service.ics");
    a.ok(&["deal", "won", "Alpine retreat", "--at", "2026-11-23 09:00"]);
    let err = a.refused(&["invite", "service", "Alpine retreat", "--out", p(&file)]);
    assert!(err.contains("the service call is scheduled once the deal is handed off"), "{err}");
    hand_off(&a, "Alpine retreat", "Fay Okafor", "2026-11-23");
    let first = a.json(&["invite", "service", "Alpine retreat", "--out", p(&file)]);
    let event = read(&file, (2027, 2028))["events"][0].clone();
    // Due Friday 29 January 00:00 (72 hours before): Thursday's opening, 09:00 in London.
    assert_eq!(event["start"], "2027-01-28T09:00:00+00:00");
    assert_eq!(event["attendees"], serde_json::json!(["mailto:fay@wayfarer.example", "mailto:sol@wayfarer.example"]));
    // The trip moves a week: the same invitation a week later.
    a.ok(&["trip", "set", "Alpine retreat", "--start", "2027-02-08", "--end", "2027-02-12"]);
    a.json(&["invite", "service", "Alpine retreat", "--out", p(&file), "--force"]);
    let moved = read(&file, (2027, 2028))["events"][0].clone();
    assert_eq!(moved["start"], "2027-02-04T09:00:00+00:00");
    assert_eq!(moved["uid"], first["uid"]);
    assert!(moved["sequence"].as_i64() > event["sequence"].as_i64());
}

#[test]
fn the_review_time_is_the_agencys_to_choose_inside_its_working_hours() {
    let a = Agency::with_service();
    assert_eq!(a.json(&["agency"])["review_time"], "10:00", "the playbook's default");
    let set = a.json(&["agency", "set", "--review-time", "09:30"]);
    assert_eq!(set["review_time"], "09:30");
    assert!(a.ok(&["agency"]).contains("Tuesday review at 09:30, 3 picks"));
    let file = a.dir.path().join("review.ics");
    let made = a.json(&["invite", "review", "--out", p(&file)]);
    let start: chrono::DateTime<chrono::Utc> = made["start"].as_str().unwrap().parse().unwrap();
    assert_eq!(start.with_timezone(&Zone::known("Europe/London")).format("%H:%M").to_string(), "09:30");
    let year = chrono::Datelike::year(&start);
    assert_eq!(read(&file, (year, year + 1))["events"][0]["rrule"], "FREQ=WEEKLY;BYDAY=TU");

    for (time, says) in [
        ("17:15", "a Tuesday review at 17:15 would not fit its 30 minutes in the working hours 09:00-17:30: choose a time from 09:00 to 17:00"),
        ("08:30", "choose a time from 09:00 to 17:00"),
        ("half nine", "the review time \"half nine\" is not a time: write it as HH:MM, like 10:00"),
    ] {
        let err = a.refused(&["agency", "set", "--review-time", time]);
        assert!(err.contains(says), "{time}: {err}");
    }
    // Judged against the hours set with it; hours set later that leave it out move it to the opening.
    a.ok(&["agency", "set", "--hours", "07:00-15:00", "--review-time", "07:30"]);
    a.ok(&["agency", "set", "--hours", "08:00-16:00"]);
    assert_eq!(a.json(&["agency"])["review_time"], "08:00");
}

#[test]
fn the_tuesday_review_recurs_weekly_in_the_agencys_zone_for_years() {
    let a = Agency::with_service();
    with_addresses(&a);
    let file = a.dir.path().join("review.ics");
    let made = a.json(&["invite", "review", "--out", p(&file)]);
    assert_eq!(made["without_email"], serde_json::json!(["Sol Reed"]), "Sol has no address yet");
    let start: chrono::DateTime<chrono::Utc> = made["start"].as_str().unwrap().parse().unwrap();
    let year = chrono::Datelike::year(&start);
    let read = read(&file, (year, year + 10));
    let event = &read["events"][0];
    assert_eq!(event["rrule"], "FREQ=WEEKLY;BYDAY=TU");
    assert_eq!(event["uid"], made["uid"]);
    // Sent by nobody in particular: Sol (the first attendee) organises it, and without his address
    // it is an entry for one's own calendar (iTIP's PUBLISH): nobody is asked, both are named.
    assert_eq!(read["method"], "PUBLISH");
    assert_eq!(event["attendees"], serde_json::json!([]));
    assert!(event["organizer"].as_str().unwrap().starts_with("urn:uuid:"), "{event}");
    assert!(event["description"].as_str().unwrap().contains("With: Sol Reed, Sam Reyes."), "{event}");
    let local = start.with_timezone(&Zone::known("Europe/London"));
    assert_eq!(
        (chrono::Datelike::weekday(&local), local.format("%H:%M").to_string()),
        (chrono::Weekday::Tue, "10:00".into())
    );
    // A chosen time on another weekday is refused, and nothing is written.
    let other = a.dir.path().join("wednesday.ics");
    let err = a.refused(&["invite", "review", "--at", "2026-12-02 10:00", "--out", p(&other)]);
    assert!(err.contains("2026-12-02 is a Wednesday: the review is held on Tuesdays"), "{err}");
    assert!(!other.exists());
    let err = a.refused(&["invite", "review", "--at", "2026-12-01 10:00", "--out", p(&other), "--as", "Nobody"]);
    assert!(err.contains("no person \"Nobody\""), "{err}");
    assert!(!other.exists());
    // Sent by Fay, who has an address: a request to Sam (Sol is named, having none).
    a.ok(&["invite", "review", "--at", "2026-12-01 10:00", "--out", p(&other), "--as", "Fay Okafor"]);
    let sent = self::read(&other, (2026, 2036));
    assert_eq!(sent["method"], "REQUEST");
    assert_eq!(sent["events"][0]["organizer"], "mailto:fay@wayfarer.example");
    assert_eq!(sent["events"][0]["attendees"], serde_json::json!(["mailto:sam@wayfarer.example"]));
    assert!(sent["events"][0]["description"].as_str().unwrap().contains("(no e-mail address in Handoff): Sol Reed"));
}

#[test]
fn an_agency_south_of_the_equator_gets_its_own_summer_time() {
    let a = Agency::empty();
    a.ok(&["init", "--agency", "Southern Cross Travel", "--timezone", "Australia/Sydney"]);
    a.ok(&["person", "add", "--name", "Ana Silva", "--dept", "sales", "--email", "ana@southern.example"]);
    a.ok(&["person", "add", "--name", "Tom Wu", "--dept", "fulfilment", "--email", "tom@southern.example"]);
    a.ok(&["person", "add", "--name", "Kim Lee", "--dept", "founder"]);
    a.ok(&["dept", "set", "fulfilment", "--lead", "Tom Wu"]);
    a.ok(&[
        "deal",
        "add",
        "--title",
        "Uluru",
        "--customer",
        "The Parks",
        "--value",
        "9000",
        "--currency",
        "AUD",
        "--owner",
        "Ana Silva",
        "--at",
        "2026-01-12 09:00",
    ]);
    a.ok(&["deal", "won", "Uluru", "--at", "2026-01-12 10:00"]);
    let file = a.dir.path().join("uluru.ics");
    a.ok(&["invite", "meeting", "Uluru", "--at", "2026-01-12 14:00", "--out", p(&file)]);
    // 14:00 in Sydney's summer (+11:00) is 03:00 UTC.
    let read = read(&file, (2026, 2027));
    assert_eq!(read["events"][0]["start"], "2026-01-12T03:00:00+00:00");
    assert_eq!(read["events"][0]["tzid"], "Australia/Sydney");
}
