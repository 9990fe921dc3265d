//! The file as RFC 5545 wants it; the zone's rules as the IANA database has them. The files are
//! also read back by a real parser in the integration tests (`tests/tests/invites.rs`).

use chrono::TimeZone;

use super::*;
use handoff_domain::zone::Zone;

fn meeting(zone: Zone) -> Meeting {
    Meeting {
        uid: "handoff-meeting-1@handoff".into(),
        sequence: 7,
        summary: "Handoff meeting: Alpine retreat (Acme GmbH, Munich; board)".into(),
        description: "Sales writes the brief.\nFulfilment signs it.".into(),
        start: Utc.with_ymd_and_hms(2026, 7, 14, 9, 15, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 7, 14, 9, 30, 0).unwrap(),
        weekly: false,
        cancelled: false,
        zone,
        organizer: Some(Person {
            id: "sam".into(),
            name: "Reyes, Sam".into(),
            email: Some("sam@wayfarer.example".into()),
        }),
        attendees: vec![
            Person { id: "sam".into(), name: "Reyes, Sam".into(), email: Some("sam@wayfarer.example".into()) },
            Person { id: "fay".into(), name: "Fay Okafor".into(), email: Some("fay@wayfarer.example".into()) },
            Person { id: "bo".into(), name: "Bo Lind".into(), email: None },
        ],
        stamp: Utc.with_ymd_and_hms(2026, 7, 14, 8, 0, 0).unwrap(),
    }
}

/// The content lines, unfolded.
fn lines(file: &str) -> Vec<String> {
    file.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()).map(str::to_string).collect()
}

#[test]
fn a_meeting_is_a_request_in_the_agencys_local_time_with_both_leads() {
    let file = calendar_file(&meeting(Zone::known("Europe/London")));
    assert!(file.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"), "{file}");
    assert!(file.ends_with("END:VCALENDAR\r\n"));
    for line in file.split("\r\n") {
        assert!(line.len() <= 75, "a content line of {} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare line feed inside a line");
    }
    let lines = lines(&file);
    let has = |want: &str| assert!(lines.iter().any(|l| l == want), "no line {want:?} in\n{}", lines.join("\n"));
    has("METHOD:REQUEST");
    has("UID:handoff-meeting-1@handoff");
    has("SEQUENCE:7");
    has("DTSTAMP:20260714T080000Z");
    // 09:15 UTC is 10:15 in London in July: local time, named by its zone.
    has("DTSTART;TZID=Europe/London:20260714T101500");
    has("DTEND;TZID=Europe/London:20260714T103000");
    has("SUMMARY:Handoff meeting: Alpine retreat (Acme GmbH\\, Munich\\; board)");
    has("STATUS:CONFIRMED");
    has("ORGANIZER;CN=\"Reyes, Sam\":mailto:sam@wayfarer.example");
    let attendees: Vec<&String> = lines.iter().filter(|l| l.starts_with("ATTENDEE")).collect();
    assert_eq!(attendees.len(), 2, "only those with an e-mail address: {attendees:?}");
    assert!(attendees[1].contains("CN=Fay Okafor") && attendees[1].ends_with(":mailto:fay@wayfarer.example"));
    // The one without an address is named in the description, not dropped.
    let description = lines.iter().find(|l| l.starts_with("DESCRIPTION:")).unwrap();
    assert!(description.contains("Sales writes the brief.\\nFulfilment signs it."), "{description}");
    assert!(description.contains("Also invited (no e-mail address in Handoff): Bo Lind."), "{description}");
    assert!(!lines.iter().any(|l| l.starts_with("RRULE:FREQ=WEEKLY")));
}

#[test]
fn london_is_written_as_its_two_yearly_rules() {
    let file = calendar_file(&meeting(Zone::known("Europe/London")));
    let lines = lines(&file);
    let zone: Vec<&str> = lines
        .iter()
        .skip_while(|l| *l != "BEGIN:VTIMEZONE")
        .take_while(|l| *l != "END:VTIMEZONE")
        .map(String::as_str)
        .collect();
    assert_eq!(
        zone,
        [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/London",
            // Clocks go forward at 01:00 GMT on the last Sunday of March (from 2025 on) …
            "BEGIN:DAYLIGHT",
            "DTSTART:20250330T010000",
            "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0100",
            "TZNAME:BST",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            // … and back at 02:00 BST on the last Sunday of October.
            "BEGIN:STANDARD",
            "DTSTART:20251026T020000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0000",
            "TZNAME:GMT",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
        ]
    );
}

#[test]
fn a_zone_without_summer_time_and_one_south_of_the_equator() {
    let tokyo = lines(&calendar_file(&meeting(Zone::known("Asia/Tokyo"))));
    let standard = lines_between(&tokyo, "BEGIN:STANDARD", "END:STANDARD");
    assert_eq!(standard, ["DTSTART:19700101T000000", "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900", "TZNAME:JST"]);
    assert!(!tokyo.iter().any(|l| l == "BEGIN:DAYLIGHT"));
    assert!(tokyo.iter().any(|l| l == "DTSTART;TZID=Asia/Tokyo:20260714T181500"));

    // Sydney: summer time from the first Sunday of October to the first Sunday of April.
    let sydney = lines(&calendar_file(&meeting(Zone::known("Australia/Sydney"))));
    let daylight = lines_between(&sydney, "BEGIN:DAYLIGHT", "END:DAYLIGHT");
    assert!(daylight.contains(&"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU".to_string()), "{daylight:?}");
    assert!(daylight.contains(&"TZOFFSETTO:+1100".to_string()), "{daylight:?}");
    let standard = lines_between(&sydney, "BEGIN:STANDARD", "END:STANDARD");
    assert!(standard.contains(&"RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU".to_string()), "{standard:?}");
    assert!(
        standard.contains(&"DTSTART:20250406T030000".to_string()),
        "03:00 summer time, before the change: {standard:?}"
    );
}

fn lines_between(lines: &[String], begin: &str, end: &str) -> Vec<String> {
    lines.iter().skip_while(|l| *l != begin).skip(1).take_while(|l| *l != end).cloned().collect()
}

#[test]
fn the_review_repeats_weekly_and_a_withdrawn_meeting_is_a_cancellation() {
    let mut review = meeting(Zone::known("Europe/London"));
    review.weekly = true;
    let lines = lines(&calendar_file(&review));
    assert!(lines.iter().any(|l| l == "RRULE:FREQ=WEEKLY;BYDAY=TU"), "14 July 2026 is a Tuesday");

    let mut lost = meeting(Zone::known("Europe/London"));
    lost.organizer = Some(Person { id: "0196-maya".into(), name: "Maya Chen".into(), email: None });
    lost.cancelled = true;
    lost.sequence = 8;
    let lines = self::lines(&calendar_file(&lost));
    for want in ["METHOD:CANCEL", "STATUS:CANCELLED", "UID:handoff-meeting-1@handoff", "SEQUENCE:8"] {
        assert!(lines.iter().any(|l| l == want), "no {want} in {lines:?}");
    }
    // A cancellation always has its organizer (by id without an address) and whom it cancels for.
    assert!(lines.iter().any(|l| l == "ORGANIZER;CN=Maya Chen:urn:uuid:0196-maya"), "{lines:?}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("ATTENDEE")).count(), 2);
}

#[test]
fn without_an_organizer_address_the_file_is_published_not_requested() {
    let mut m = meeting(Zone::known("Europe/London"));
    m.organizer = Some(Person { id: "0196-maya".into(), name: "Maya Chen".into(), email: None });
    let lines = lines(&calendar_file(&m));
    assert!(lines.iter().any(|l| l == "METHOD:PUBLISH"));
    // iTIP: a published entry has its organizer (here by id) and no attendees; they are named.
    assert!(lines.iter().any(|l| l == "ORGANIZER;CN=Maya Chen:urn:uuid:0196-maya"), "{lines:?}");
    assert!(!lines.iter().any(|l| l.starts_with("ATTENDEE")));
    let description = lines.iter().find(|l| l.starts_with("DESCRIPTION:")).unwrap();
    assert!(description.contains("With: Reyes\\, Sam\\, Fay Okafor\\, Bo Lind."), "{description}");
    // Nobody with an address at all: published too, even by an organizer with one.
    let mut nobody = meeting(Zone::known("Europe/London"));
    nobody.attendees.iter_mut().for_each(|a| a.email = None);
    assert!(self::lines(&calendar_file(&nobody)).iter().any(|l| l == "METHOD:PUBLISH"));
}

#[test]
fn long_text_is_folded_at_75_octets_never_inside_a_character_and_names_cannot_break_lines() {
    let mut m = meeting(Zone::known("Europe/London"));
    m.description = "Zoë Müller — Łódź; 東京で会いましょう. ".repeat(30);
    m.attendees[1].name = "Fay\r\nATTENDEE:mailto:x@evil.example".into();
    let file = calendar_file(&m);
    for line in file.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let lines = lines(&file);
    let description = lines.iter().find(|l| l.starts_with("DESCRIPTION:")).unwrap();
    assert!(description.contains("Zoë Müller — Łódź\\; 東京で会いましょう."), "unfolded whole: {description}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("ATTENDEE")).count(), 2, "no line came out of a name");
    assert!(!lines.iter().any(|l| l.starts_with("ATTENDEE:mailto:x@evil")));
}

#[test]
fn the_same_person_in_two_roles_is_invited_once() {
    let mut m = meeting(Zone::known("Europe/London"));
    m.attendees.push(m.attendees[1].clone());
    let lines = lines(&calendar_file(&m));
    assert_eq!(lines.iter().filter(|l| l.contains("mailto:fay@wayfarer.example")).count(), 1);
}

#[test]
fn summer_time_abolished_ends_its_rule() {
    // Mexico City kept summer time until October 2022: a weekly meeting from 2022 must not move
    // by an hour every summer after.
    let mut m = meeting(Zone::known("America/Mexico_City"));
    m.start = Utc.with_ymd_and_hms(2022, 3, 1, 16, 0, 0).unwrap();
    m.end = m.start + chrono::Duration::minutes(30);
    m.weekly = true;
    let lines = lines(&calendar_file(&m));
    let daylight = lines_between(&lines, "BEGIN:DAYLIGHT", "END:DAYLIGHT");
    let rule = daylight.iter().find(|l| l.starts_with("RRULE:")).unwrap();
    assert!(rule.starts_with("RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=2022"), "{rule}");
}

#[test]
fn offsets_are_written_with_seconds_only_when_they_have_them() {
    assert_eq!(offset_text(0), "+0000");
    assert_eq!(offset_text(-5 * 3600), "-0500");
    assert_eq!(offset_text(5 * 3600 + 45 * 60), "+0545");
    assert_eq!(offset_text(-(3600 + 15 * 60 + 30)), "-011530");
}
