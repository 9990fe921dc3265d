//! The Fulfilment→Service handoff and the Tuesday review driven through the real `handoff` binary:
//! scheduling 72 hours ahead with a named owner, the preference checklist, asks, signals, the
//! review window and its picks — and every refusal, which must write nothing.

use serde_json::Value;

use crate::fixtures::{ctx_at, handed_off};
use crate::util::Agency;

#[test]
fn the_service_handoff_is_due_exactly_72_hours_before_the_trip_across_a_clock_change() {
    let a = Agency::with_service_team();
    // London springs forward on Sunday 29 March 2026: 10:00 BST on the 31st is 09:00 UTC, and 72
    // real hours earlier is 09:00 UTC (= 09:00 GMT) on Saturday the 28th.
    let end = handed_off(&a, "Rome spring", "2026-03-02", "2026-03-31 10:00", "2026-04-03");
    assert_eq!(end["service_due_at"], "2026-03-28T09:00:00Z");
    assert_eq!(end["service_owner"]["name"], "Sol Reed");
    assert_eq!(end["service_assigned_because"], "lead");
    let s = a.json(&["service", "show", "Rome spring"]);
    assert_eq!(s["trip_start"], "2026-03-31T09:00:00Z");
    assert_eq!(s["due_at"], "2026-03-28T09:00:00Z");
    // Moving the trip to another day keeps its start time: 1 July 10:00 BST is 09:00 UTC.
    a.ok(&["trip", "set", "Rome spring", "--start", "2026-07-01", "--end", "2026-07-04", "--at", "2026-03-03 10:00"]);
    let s = a.json(&["service", "show", "Rome spring"]);
    assert_eq!(s["due_at"], "2026-06-28T09:00:00Z");
    assert_eq!(s["owner"]["name"], "Sol Reed", "the owner stays when the trip moves");
    assert!(s["reassignments"].as_array().unwrap().is_empty());
}

#[test]
fn the_service_owner_is_named_for_the_due_day_never_a_queue() {
    let a = Agency::with_service_team();
    a.ok(&["person", "away", "Sol Reed", "--from", "2026-06-27", "--to", "2026-06-28"]);
    let end = handed_off(&a, "Lake week", "2026-06-01", "2026-06-30 12:00", "2026-07-05");
    // Due 27 June 12:00 BST: Sol is away that day, so the first backup.
    assert_eq!(end["service_owner"]["name"], "Ivy Park");
    assert_eq!(end["service_assigned_because"], "backup");

    // Everyone in Service away on the due day: the founder, and an escalation is recorded.
    a.ok(&["person", "away", "Ivy Park", "--from", "2026-08-01", "--to", "2026-08-31"]);
    a.ok(&["person", "away", "Sol Reed", "--from", "2026-08-01", "--to", "2026-08-31"]);
    let end = handed_off(&a, "August cruise", "2026-06-02", "2026-08-10", "2026-08-17");
    assert_eq!(end["service_owner"]["name"], "Maya Chen");
    assert_eq!(end["service_assigned_because"], "escalated");
    let escalations = a.json(&["escalation", "list"]);
    let escalations = escalations.as_array().unwrap();
    assert_eq!(escalations.len(), 1);
    assert_eq!(escalations[0]["dept"], "service");
    assert_eq!(escalations[0]["deal"]["title"], "August cruise");
}

#[test]
fn the_owner_is_named_again_when_they_become_away_before_the_handoff() {
    let a = Agency::with_service_team();
    handed_off(&a, "Lisbon", "2026-05-04", "2026-05-20 09:00", "2026-05-24");
    assert_eq!(a.json(&["service", "show", "Lisbon"])["owner"]["name"], "Sol Reed");
    // Away on another day: nothing changes.
    a.ok(&["person", "away", "Sol Reed", "--from", "2026-05-10", "--to", "2026-05-11", "--at", "2026-05-05 09:00"]);
    assert_eq!(a.json(&["service", "show", "Lisbon"])["owner"]["name"], "Sol Reed");
    // Away on the due day (17 May): Ivy takes it, with the reason in the history.
    a.ok(&["person", "away", "Sol Reed", "--from", "2026-05-16", "--to", "2026-05-18", "--at", "2026-05-05 10:00"]);
    let s = a.json(&["service", "show", "Lisbon"]);
    assert_eq!(s["owner"]["name"], "Ivy Park");
    assert_eq!(s["owner_because"], "backup");
    assert_eq!(s["original_owner"]["name"], "Sol Reed");
    assert!(s["reassignments"][0]["reason"].as_str().unwrap().contains("Sol Reed is away on 2026-05-17"));
}

#[test]
fn completion_needs_every_preference_acknowledged_as_it_reads_now() {
    let a = Agency::with_service_team();
    handed_off(&a, "Family safari", "2026-04-01", "2026-04-20 08:00", "2026-04-27");
    a.ok(&[
        "traveller",
        "add",
        "Family safari",
        "--name",
        "Ana Ruiz",
        "--dietary",
        "vegan",
        "--mobility",
        "uses a cane",
        "--at",
        "2026-04-02 10:00",
    ]);
    a.ok(&[
        "traveller",
        "add",
        "Family safari",
        "--name",
        "Ben Ruiz",
        "--rooming",
        "own room, not next to parents",
        "--at",
        "2026-04-02 10:01",
    ]);
    a.ok(&["traveller", "add", "Family safari", "--name", "Cal Ruiz", "--at", "2026-04-02 10:02"]);

    let err = a.refused(&[
        "service",
        "ack",
        "Family safari",
        "--traveller",
        "Ana",
        "--topic",
        "dietary",
        "--at",
        "2026-04-16 09:00",
    ]);
    assert!(err.contains("not in its service handoff call"), "{err}");
    a.ok(&["service", "start", "Family safari", "--at", "2026-04-16 09:00"]);
    let s = a.json(&["service", "show", "Family safari"]);
    assert_eq!(s["checklist"].as_array().unwrap().len(), 3, "only non-empty items: Cal has none");
    assert_eq!(s["open_items"], 3);

    a.ok(&["service", "ack", "Family safari", "--traveller", "Ana", "--topic", "dietary", "--at", "2026-04-16 09:02"]);
    a.ok(&[
        "service",
        "ack",
        "Family safari",
        "--traveller",
        "Ana Ruiz",
        "--topic",
        "mobility",
        "--at",
        "2026-04-16 09:03",
    ]);
    let err = a.refused(&["service", "complete", "Family safari", "--at", "2026-04-16 09:04"]);
    assert!(err.contains("still to acknowledge — Ben Ruiz rooming"), "{err}");

    a.ok(&["service", "ack", "Family safari", "--traveller", "Ben", "--topic", "rooming", "--at", "2026-04-16 09:05"]);
    // Fulfilment edits Ana's dietary note after Service acknowledged it: it must be acknowledged again.
    a.ok(&[
        "traveller",
        "edit",
        "Family safari",
        "Ana",
        "--dietary",
        "vegan; severe nut allergy",
        "--at",
        "2026-04-16 09:06",
    ]);
    let s = a.json(&["service", "show", "Family safari"]);
    assert_eq!(s["checklist"][0]["state"], "changed");
    let err = a.refused(&["service", "complete", "Family safari", "--at", "2026-04-16 09:07"]);
    assert!(err.contains("Ana Ruiz dietary (changed since acknowledged)"), "{err}");
    let err = a.refused(&[
        "service",
        "ack",
        "Family safari",
        "--traveller",
        "Ben",
        "--topic",
        "rooming",
        "--at",
        "2026-04-16 09:07",
    ]);
    assert!(err.contains("already acknowledged"), "{err}");

    a.ok(&[
        "service",
        "ack",
        "Family safari",
        "--traveller",
        "Ana",
        "--topic",
        "dietary",
        "--at",
        "2026-04-16 09:08",
        "--as",
        "Sol Reed",
    ]);
    let s = a.json(&["service", "complete", "Family safari", "--at", "2026-04-16 09:10"]);
    assert_eq!(s["completed_at"], "2026-04-16T08:10:00Z");
    assert_eq!(s["on_time"], true);
    assert_eq!(s["open_items"], 0);
    // Who acknowledged each item and when, as the meeting keeps who signed; the call's length.
    assert_eq!(s["checklist"][0]["acknowledged_by"]["name"], "Sol Reed");
    assert_eq!(s["checklist"][0]["acknowledged_at"], "2026-04-16T08:08:00Z");
    assert_eq!(s["checklist"][1]["acknowledged_by"], serde_json::Value::Null, "acknowledged without a name");
    assert_eq!((s["call_minutes"].as_i64(), s["call_overran"].as_bool()), (Some(10), Some(false)));
    let text = a.ok(&["service", "show", "Family safari"]);
    assert!(text.contains("vegan; severe nut allergy — Sol Reed at 2026-04-16 09:08"), "{text}");
    assert!(text.contains("the call took 10 minutes"), "{text}");
    assert_eq!(a.integrity(), "ok");
}

#[test]
fn bad_trip_input_is_refused_and_writes_nothing() {
    let a = Agency::with_service_team();
    handed_off(&a, "Oslo", "2026-09-01", "2026-09-20 10:00", "2026-09-24");
    a.ok(&["traveller", "add", "Oslo", "--name", "Ana Ruiz", "--dietary", "vegan", "--at", "2026-09-02 10:00"]);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["service", "ack", "Oslo", "--traveller", "Zed", "--topic", "dietary"], "has no traveller \"Zed\""),
        (vec!["service", "ack", "Oslo", "--traveller", "Ana", "--topic", "diet"], "unknown topic \"diet\""),
        (
            vec!["ask", "log", "Oslo", "--topic", "weather", "--text", "x", "--at", "2026-09-21 10:00"],
            "unknown topic \"weather\"",
        ),
        (
            vec![
                "ask",
                "log",
                "Oslo",
                "--topic",
                "dietary",
                "--text",
                "x",
                "--traveller",
                "Zed",
                "--at",
                "2026-09-21 10:00",
            ],
            "has no traveller \"Zed\"",
        ),
        (
            vec!["ask", "log", "Oslo", "--topic", "dietary", "--text", "Vegan breakfast?", "--at", "2026-09-19 10:00"],
            "has not started yet (it starts 2026-09-20 10:00)",
        ),
        (
            vec!["trip", "signal", "Oslo", "--sentiment", "thrilled", "--strength", "6", "--at", "2026-09-25 10:00"],
            "strength 6 is outside 1–5",
        ),
        (
            vec!["trip", "signal", "Oslo", "--sentiment", "thrilled", "--strength", "0", "--at", "2026-09-25 10:00"],
            "strength 0 is outside 1–5",
        ),
        (
            vec!["trip", "signal", "Oslo", "--sentiment", "thrilled", "--strength", "5", "--at", "2026-09-24 22:00"],
            "has not ended yet (its last day is 2026-09-24)",
        ),
        (
            vec!["trip", "signal", "Oslo", "--sentiment", "ecstatic", "--strength", "5", "--at", "2026-09-25 10:00"],
            "unknown sentiment \"ecstatic\"",
        ),
        (
            vec!["itinerary", "add", "Oslo", "--day", "2026-10-01", "--kind", "hotel", "--title", "Grand"],
            "outside the trip (2026-09-20 to 2026-09-24)",
        ),
        (
            vec!["itinerary", "add", "Oslo", "--day", "2026-09-21", "--kind", "cruise", "--title", "Fjord"],
            "unknown itinerary item kind \"cruise\"",
        ),
        (
            vec!["trip", "set", "Oslo", "--start", "2026-09-20", "--end", "2026-09-10"],
            "ends (2026-09-10) before it starts",
        ),
        (vec!["traveller", "add", "Oslo", "--name", "ana ruiz"], "already a person named \"ana ruiz\""),
        (
            vec!["review", "show", "--date", "2026-09-30"],
            "is a Wednesday: the review is held on Tuesdays — use 2026-09-29 or 2026-10-06",
        ),
        (
            vec!["review", "pick", "Oslo", "--date", "2026-09-22"],
            "ended on 2026-09-24, outside the review of 2026-09-22",
        ),
        (vec!["followup", "done", "Oslo", "--outcome", "renewed"], "was not picked at a Tuesday review"),
        (vec!["outreach", "cold", "--attempts", "5", "--renewals", "6"], "renewals cannot exceed attempts"),
        (vec!["escalation", "log", "--reason", " "], "the reason is empty"),
    ];
    for (args, expected) in cases {
        let err = a.refused(&args);
        assert!(err.contains(expected), "handoff {args:?}: expected {expected:?} in {err:?}");
    }
    // The good versions of the same actions work.
    a.ok(&[
        "ask",
        "log",
        "Oslo",
        "--topic",
        "dietary",
        "--text",
        "Vegan breakfast?",
        "--traveller",
        "Ana",
        "--covered",
        "--at",
        "2026-09-21 08:00",
    ]);
    a.ok(&["trip", "signal", "Oslo", "--sentiment", "happy", "--strength", "4", "--at", "2026-09-25 00:00"]);
    assert_eq!(a.json(&["ask", "list", "Oslo"]).as_array().unwrap().len(), 1);
}

#[test]
fn the_review_of_8_december_holds_the_trips_that_ended_1_to_7_december() {
    let a = Agency::with_service_team();
    // Today, for this test, is 20 November 2026: before any of these trips ends.
    a.pin_clock("2026-11-20T09:00:00Z");
    for (title, end) in [
        ("Ended 30 Nov", "2026-11-30"),
        ("Ended 1 Dec", "2026-12-01"),
        ("Ended 4 Dec", "2026-12-04"),
        ("Ended 7 Dec", "2026-12-07"),
        ("Ended 8 Dec", "2026-12-08"),
    ] {
        a.ok(&[
            "deal",
            "add",
            "--title",
            title,
            "--customer",
            "C",
            "--value",
            "1",
            "--currency",
            "EUR",
            "--owner",
            "Sam Reyes",
            "--trip-start",
            "2026-11-25",
            "--trip-end",
            end,
            "--at",
            "2026-11-01 09:00",
        ]);
        a.ok(&["deal", "won", title, "--at", "2026-11-01 10:00"]);
    }
    let r = a.json(&["review", "show", "--date", "2026-12-08"]);
    assert_eq!((r["first"].as_str(), r["last"].as_str()), (Some("2026-12-01"), Some("2026-12-07")));
    let mut titles: Vec<&str> =
        r["trips"].as_array().unwrap().iter().map(|t| t["deal"]["title"].as_str().unwrap()).collect();
    titles.sort();
    assert_eq!(titles, ["Ended 1 Dec", "Ended 4 Dec", "Ended 7 Dec"]);
    // Those trips have not ended yet (today is 20 November): nobody can pick them yet.
    let err = a.refused(&["review", "pick", "Ended 4 Dec", "--date", "2026-12-08"]);
    assert!(err.contains("has not ended yet (its last day is 2026-12-04)"), "{err}");
    let err = a.refused(&["review", "pick", "Ended 8 Dec", "--date", "2026-12-08"]);
    assert!(err.contains("it belongs to the review of 2026-12-15"), "{err}");
}

#[test]
fn the_review_is_a_30_minute_meeting_started_and_ended_once_and_held_even_with_nothing_picked() {
    let a = Agency::with_service_team();
    let add = ["deal", "add", "--customer", "C", "--value", "1", "--currency", "EUR", "--owner", "Sam Reyes"];
    a.ok(&[
        &add[..],
        &["--title", "Lake week", "--trip-start", "2026-11-01", "--trip-end", "2026-11-05", "--at", "2026-10-01 09:00"],
    ]
    .concat());
    a.ok(&["deal", "won", "Lake week", "--at", "2026-10-01 10:00"]);
    for name in ["Ada Lind", "Bo Lind"] {
        a.ok(&["traveller", "add", "Lake week", "--name", name, "--at", "2026-10-02 09:00"]);
    }
    let before = a.snapshot();
    let at = |time: &str| format!("2026-11-{time}");
    // Every refusal writes nothing: too early, not started, a week late.
    let err = a.refused(&["review", "start", "--date", "2026-11-10", "--at", &at("09 16:00")]);
    assert!(err.contains("the review of 2026-11-10 is held from that Tuesday on"), "{err}");
    let err = a.refused(&["review", "end", "--date", "2026-11-10", "--at", &at("10 10:00")]);
    assert!(err.contains("the review of 2026-11-10 has not started: start it first"), "{err}");
    let err = a.refused(&["review", "start", "--date", "2026-11-10", "--at", &at("17 10:00")]);
    assert!(err.contains("is over (a week has passed): start the review of 2026-11-17"), "{err}");
    let err = a.refused(&["review", "start", "--date", "2026-11-11", "--at", &at("11 10:00")]);
    assert!(err.contains("the review is held on Tuesdays"), "{err}");
    assert_eq!(a.snapshot(), before, "a refused start or end writes nothing");

    let r = a.json(&["review", "start", "--date", "2026-11-10", "--at", &at("10 10:00")]);
    assert_eq!(r["meeting"]["started_at"], "2026-11-10T10:00:00Z");
    assert_eq!(r["meeting"]["ended_at"], Value::Null);
    assert_eq!(r["minutes_allowed"], 30);
    assert_eq!(r["travellers_back"], 2, "every traveller back is listed, not only the trip");
    assert_eq!(r["trips"][0]["travellers"], serde_json::json!(["Ada Lind", "Bo Lind"]));
    let err = a.refused(&["review", "start", "--date", "2026-11-10", "--at", &at("10 10:05")]);
    assert!(err.contains("started at 2026-11-10 10:00 already"), "{err}");
    let err = a.refused(&["review", "end", "--date", "2026-11-10", "--at", &at("10 09:59")]);
    assert!(err.contains("cannot end at 2026-11-10 09:59, before it started at 2026-11-10 10:00"), "{err}");

    // Ended 41 minutes later with nothing picked: over its 30 minutes, and still held.
    let r = a.json(&["review", "end", "--date", "2026-11-10", "--at", &at("10 10:41")]);
    assert_eq!(r["meeting"]["ended_at"], "2026-11-10T10:41:00Z");
    assert_eq!(r["meeting"]["minutes"], 41);
    assert_eq!(r["meeting"]["overran"], true);
    assert_eq!(r["picks"], 0);
    let err = a.refused(&["review", "end", "--date", "2026-11-10", "--at", &at("10 10:45")]);
    assert!(err.contains("ended at 2026-11-10 10:41 already"), "{err}");
    let shown = a.ok(&["review", "show", "--date", "2026-11-10"]);
    assert!(shown.contains("Held 2026-11-10 10:00"), "{shown}");
    assert!(shown.contains("41 min of 30 — over its 30 minutes"), "{shown}");
    assert!(shown.contains("1 trip back: 2 travellers."), "{shown}");
    assert!(shown.contains("travellers: Ada Lind, Bo Lind"), "{shown}");
    let l = a.json(&["metrics", "loop", "--from", "2026-11-01", "--to", "2026-11-30"]);
    assert_eq!(l["reviews_held"], 1, "held with nothing picked: {l}");

    // Picked after all; the call gets no answer; weeks later the family books again, and the
    // outcome becomes a renewal into the new deal, chosen from those found by the customer.
    a.ok(&["review", "pick", "Lake week", "--date", "2026-11-10", "--at", &at("10 10:50")]);
    a.ok(&["followup", "done", "Lake week", "--outcome", "no-answer", "--at", &at("12 16:00")]);
    a.ok(&[&add[..], &["--title", "Lake week 2027", "--at", &at("27 09:00")]].concat());
    // The customer's name as typed another time, case aside, is the same customer; another
    // customer whose name holds it is not.
    let other = |customer: &str, title: &str, time: &str| {
        let deal = ["deal", "add", "--customer", customer, "--value", "1", "--currency", "EUR", "--owner", "Sam Reyes"];
        a.ok(&[&deal[..], &["--title", title, "--at", &at(time)]].concat());
    };
    other("c", "Spring break", "26 09:00");
    other("C and D", "Other family trip", "26 10:00");
    let r = a.json(&["review", "show", "--date", "2026-11-10"]);
    let choices: Vec<&str> =
        r["trips"][0]["renewal_choices"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert_eq!(choices, ["Lake week 2027", "Spring break"], "the trip itself is not its own renewal");
    let before = a.snapshot();
    let err = a.refused(&["followup", "done", "Lake week", "--outcome", "renewed", "--renewed-deal", "Lake week"]);
    assert!(err.contains("cannot be its own renewal"), "{err}");
    let err = a.refused(&["followup", "done", "Lake week", "--outcome", "no-answer"]);
    assert!(err.contains("already recorded as no-answer: give another outcome or renewed deal"), "{err}");
    assert_eq!(a.snapshot(), before);
    let f = a.json(&[
        "followup",
        "done",
        "Lake week",
        "--outcome",
        "renewed",
        "--renewed-deal",
        "Lake week 2027",
        "--at",
        &at("28 11:00"),
    ]);
    assert_eq!(f["outcome"], "renewed");
    assert_eq!(f["done_at"], "2026-11-12T16:00:00Z", "the call keeps its day");
    assert_eq!(f["within_ten_days"], true);
    assert_eq!(f["updated_at"], "2026-11-28T11:00:00Z");
    let l = a.json(&["metrics", "loop", "--from", "2026-11-01", "--to", "2026-11-30"]);
    assert_eq!(l["picked_renewals"], 1, "{l}");

    let held = a.snapshot();
    a.ok(&["admin", "rebuild"]);
    assert_eq!(a.snapshot(), held, "a rebuild folds the review as it was held, and the changed outcome");
}

#[test]
fn the_review_ranks_by_signal_and_refuses_a_fourth_pick() {
    let a = Agency::with_service_team();
    // Trips ending in the week 3–9 November 2026, reviewed on Tuesday 10 November.
    let trips = [
        ("Happy strong", "2026-11-04", Some(("happy", "5"))),
        ("No signal", "2026-11-09", None),
        ("Thrilled 3 early", "2026-11-03", Some(("thrilled", "3"))),
        ("Thrilled 3 late", "2026-11-06", Some(("thrilled", "3"))),
        ("Thrilled 5", "2026-11-05", Some(("thrilled", "5"))),
        ("Angry", "2026-11-08", Some(("angry", "5"))),
    ];
    for (title, end, signal) in trips {
        a.ok(&[
            "deal",
            "add",
            "--title",
            title,
            "--customer",
            "C",
            "--value",
            "1",
            "--currency",
            "EUR",
            "--owner",
            "Sam Reyes",
            "--trip-start",
            "2026-11-01",
            "--trip-end",
            end,
            "--at",
            "2026-10-01 09:00",
        ]);
        a.ok(&["deal", "won", title, "--at", "2026-10-01 10:00"]);
        if let Some((sentiment, strength)) = signal {
            a.ok(&[
                "trip",
                "signal",
                title,
                "--sentiment",
                sentiment,
                "--strength",
                strength,
                "--at",
                "2026-11-10 08:00",
            ]);
        }
    }
    let ranked = |r: &Value| -> Vec<String> {
        r["trips"].as_array().unwrap().iter().map(|t| t["deal"]["title"].as_str().unwrap().to_string()).collect()
    };
    let r = a.json(&["review", "show", "--date", "2026-11-10"]);
    let expected = ["Thrilled 5", "Thrilled 3 late", "Thrilled 3 early", "Happy strong", "Angry", "No signal"];
    assert_eq!(ranked(&r), expected);
    assert_eq!(ranked(&a.json(&["review", "show", "--date", "2026-11-10"])), expected, "deterministic");

    // Picks are all or nothing: a bad name in the list picks none.
    a.refused(&["review", "pick", "Thrilled 5", "Nowhere", "--date", "2026-11-10", "--at", "2026-11-10 10:00"]);
    let r = a.json(&[
        "review",
        "pick",
        "Thrilled 5",
        "Thrilled 3 late",
        "Thrilled 3 early",
        "--date",
        "2026-11-10",
        "--at",
        "2026-11-10 10:00",
    ]);
    assert_eq!(r["picks"], 3);
    let err = a.refused(&["review", "pick", "Happy strong", "--date", "2026-11-10", "--at", "2026-11-10 10:05"]);
    assert!(err.contains("already has 3 picks, the agency's limit"), "{err}");
    let err = a.refused(&["review", "pick", "Thrilled 5", "--date", "2026-11-10"]);
    assert!(err.contains("already picked"), "{err}");
    // Follow-up calls are tasks for the Sales lead, due trip end + 10 days.
    let tasks = a.json(&["task", "list", "--owner", "Sam Reyes", "--open"]);
    let mut due: Vec<&str> = tasks.as_array().unwrap().iter().map(|t| t["due_at"].as_str().unwrap()).collect();
    due.sort();
    assert_eq!(due, ["2026-11-13T17:30:00Z", "2026-11-15T17:30:00Z", "2026-11-16T17:30:00Z"]);
    // The limit is an agency setting.
    a.ok(&["agency", "set", "--review-picks", "4"]);
    a.ok(&["review", "pick", "Happy strong", "--date", "2026-11-10", "--at", "2026-11-10 10:06"]);
    let f = a.json(&["followup", "done", "Thrilled 5", "--outcome", "renewed", "--at", "2026-11-12 11:00"]);
    assert_eq!(f["within_ten_days"], true);
    let err = a.refused(&["followup", "done", "Thrilled 5", "--outcome", "renewed"]);
    assert!(err.contains("already recorded as renewed"), "{err}");
    assert_eq!(a.json(&["task", "list", "--owner", "Sam Reyes", "--open"]).as_array().unwrap().len(), 3);
}

#[test]
fn cold_outreach_is_recorded_call_by_call_as_well_as_in_batches_and_both_count() {
    let a = Agency::with_service_team();
    let call = a.json(&[
        "outreach",
        "call",
        "--customer",
        "Lind family",
        "--outcome",
        "renewed",
        "--note",
        "Lake week again in June",
        "--date",
        "2026-10-05",
        "--at",
        "2026-10-05 11:00",
    ]);
    assert_eq!((call["attempts"].as_u64(), call["renewals"].as_u64()), (Some(1), Some(1)));
    assert_eq!((call["customer"].as_str(), call["outcome"].as_str()), (Some("Lind family"), Some("renewed")));
    a.ok(&[
        "outreach",
        "call",
        "--customer",
        "  Okafor party ",
        "--outcome",
        "no-answer",
        "--date",
        "2026-10-06",
        "--at",
        "2026-10-06 11:00",
    ]);
    a.ok(&[
        "outreach",
        "cold",
        "--attempts",
        "8",
        "--renewals",
        "1",
        "--date",
        "2026-10-07",
        "--at",
        "2026-10-07 17:00",
    ]);

    let list = a.json(&["outreach", "list", "--from", "2026-10-01", "--to", "2026-10-31"]);
    assert_eq!(
        (list["attempts"].as_u64(), list["renewals"].as_u64(), list["calls"].as_u64()),
        (Some(10), Some(2), Some(2))
    );
    let entries = list["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{list}");
    assert_eq!(entries[0]["customer"], Value::Null, "newest first: the batch of the 7th");
    assert_eq!(
        (entries[1]["customer"].as_str(), entries[1]["outcome"].as_str()),
        (Some("Okafor party"), Some("no-answer"))
    );
    assert_eq!(entries[2]["note"], "Lake week again in June");
    let text = a.ok(&["outreach", "list", "--from", "2026-10-01", "--to", "2026-10-31"]);
    assert!(text.contains("10 calls (2 one by one), 2 renewed"), "{text}");
    assert!(text.contains("call to Lind family: renewed — Lake week again in June"), "{text}");
    assert!(text.contains("batch: 8 calls, 1 renewed"), "{text}");

    // The loop metrics count calls and batches alike: 10 attempts, 2 renewals.
    let l = a.json(&["metrics", "loop", "--from", "2026-10-01", "--to", "2026-10-31"]);
    assert_eq!((l["cold_attempts"].as_u64(), l["cold_renewals"].as_u64()), (Some(10), Some(2)));
    let long = "x".repeat(300);

    for (args, says) in [
        (vec!["outreach", "call", "--customer", "  ", "--outcome", "renewed"], "the customer is empty"),
        (vec!["outreach", "call", "--customer", &long, "--outcome", "renewed"], "the customer is 300 characters long"),
        (
            vec!["outreach", "call", "--customer", "Lind family", "--outcome", "renewed", "--date", "2031-01-01"],
            "after today",
        ),
        (
            vec!["outreach", "cold", "--attempts", "3", "--renewals", "1", "--date", "2031-01-01"],
            "record calls once they are made",
        ),
        (vec!["outreach", "call", "--customer", "Lind family", "--outcome", "maybe"], "unknown outcome \"maybe\""),
        (
            vec!["outreach", "call", "--customer", "Lind family", "--outcome", "renewed", "--date", "5 Oct"],
            "write it as YYYY-MM-DD",
        ),
    ] {
        let err = a.refused(&args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn escalations_can_be_logged_by_hand_and_are_counted_per_week_and_quarter() {
    let a = Agency::with_service_team();
    a.ok(&["escalation", "log", "--reason", "Customer called Maya directly", "--at", "2026-09-30 10:00"]);
    a.ok(&["escalation", "log", "--reason", "Supplier dispute", "--at", "2026-10-01 10:00"]);
    a.ok(&["escalation", "log", "--reason", "Refund request", "--at", "2026-10-14 10:00"]);
    let m = a.json(&["metrics", "escalations", "--to", "2026-10-18"]);
    assert_eq!(m["total"], 3);
    assert_eq!(
        m["per_week"],
        serde_json::json!([
            {"period": "2026-W40", "escalations": 2},
            {"period": "2026-W41", "escalations": 0},
            {"period": "2026-W42", "escalations": 1}
        ]),
        "a quiet week is 0, never left out"
    );
    assert_eq!(
        m["per_quarter"],
        serde_json::json!([{"period": "2026-Q3", "escalations": 1}, {"period": "2026-Q4", "escalations": 2}])
    );
    // Against the playbook: about one a quarter (it began at one a week).
    assert_eq!((m["target_per_quarter"].as_u64(), m["before_per_week"].as_u64()), (Some(1), Some(1)));
    assert_eq!(m["quarters_over_target"], serde_json::json!([{"period": "2026-Q4", "escalations": 1}]));
    assert_eq!((m["last_13_weeks"].as_u64(), m["on_target"].as_bool()), (Some(3), Some(false)));
    let text = a.ok(&["metrics", "escalations", "--to", "2026-10-18"]);
    assert!(text.contains("last 13 weeks: 3 (the playbook's aim: about 1 a quarter; it began at 1 a week)"), "{text}");
    let later = a.json(&["metrics", "escalations", "--to", "2027-03-31"]);
    assert_eq!((later["last_13_weeks"].as_u64(), later["on_target"].as_bool()), (Some(0), Some(true)));
    let m = a.json(&["metrics", "escalations", "--from", "2026-10-01"]);
    assert_eq!(m["total"], 2);
    let list = a.json(&["escalation", "list"]);
    assert_eq!(list[0]["automatic"], false);
    assert_eq!(list[0]["founder"]["name"], "Maya Chen");
}

#[test]
fn while_the_trip_is_under_way_the_itinerary_says_which_day_it_is_planned_or_not() {
    let a = Agency::with_service_team();
    handed_off(&a, "Kyoto", "2026-03-02", "2026-04-01 07:00", "2026-04-05");
    for (day, title) in [("2026-04-01", "JL 44 LHR→HND"), ("2026-04-03", "Tea ceremony")] {
        a.ok(&["itinerary", "add", "Kyoto", "--day", day, "--kind", "activity", "--title", title]);
    }
    let at = |t: &str| ctx_at(&a, chrono::DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&chrono::Utc));
    let shown = |t: &str| handoff_api::itinerary_show(&at(t), "Kyoto").unwrap();

    // Day 2 has nothing planned: it is listed, in its place, as today.
    let it = shown("2026-04-02T12:00:00Z");
    let under_way = it.under_way.unwrap();
    assert_eq!((under_way.number, under_way.of), (2, 5));
    let days: Vec<(String, bool, usize)> =
        it.days.iter().map(|d| (d.day.to_string(), d.today, d.items.len())).collect();
    assert_eq!(
        days,
        [("2026-04-01".into(), false, 1), ("2026-04-02".into(), true, 0), ("2026-04-03".into(), false, 1)]
    );
    // From the trip's start (07:00 London, 06:00 UTC in summer time) to the end of its last day, agency time.
    assert!(shown("2026-04-01T05:59:00Z").under_way.is_none(), "not before the trip starts");
    assert_eq!(shown("2026-04-01T06:00:00Z").under_way.map(|t| t.number), Some(1));
    assert_eq!(shown("2026-04-05T22:30:00Z").under_way.map(|t| t.number), Some(5), "23:30 in London on the last day");
    assert!(shown("2026-04-05T23:30:00Z").under_way.is_none(), "the last day is over in London");
    assert!(shown("2026-04-05T23:30:00Z").days.iter().all(|d| !d.today));
    // A deal not won has no trip under way, whatever its dates say.
    a.ok(&[
        "deal",
        "add",
        "--title",
        "Osaka",
        "--customer",
        "Acme",
        "--value",
        "900",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
        "--trip-start",
        "2026-04-01",
        "--trip-end",
        "2026-04-05",
        "--at",
        "2026-03-02 08:00",
    ]);
    assert!(handoff_api::itinerary_show(&at("2026-04-02T12:00:00Z"), "Osaka").unwrap().under_way.is_none());
    let text = a.ok(&["itinerary", "show", "Kyoto"]);
    assert!(!text.contains("today"), "the trip is long over by the real clock: {text}");

    // The deal says what can be done on the trip and when: asks while it is under way, the signal after.
    let refusals = |t: &str| {
        let d = handoff_api::deal_show(&at(t), "Kyoto").unwrap();
        (d.ask_refusal.unwrap_or_default(), d.signal_refusal.unwrap_or_default())
    };
    let (ask, signal) = refusals("2026-03-31T12:00:00Z");
    assert!(ask.contains("has not started yet") && signal.contains("has not ended yet"), "{ask} / {signal}");
    let (ask, signal) = refusals("2026-04-02T12:00:00Z");
    assert!(ask.is_empty() && signal.contains("has not ended yet"), "{ask} / {signal}");
    assert_eq!(refusals("2026-04-06T12:00:00Z").1, "", "the signal once the trip is over");
}

#[test]
fn the_itinerary_is_built_day_by_day_and_edits_keep_what_is_not_given_and_clear_what_is_blank() {
    let a = Agency::with_service_team();
    handed_off(&a, "Kyoto", "2026-03-02", "2026-04-01 07:00", "2026-04-05");
    a.ok(&[
        "itinerary",
        "add",
        "Kyoto",
        "--day",
        "2026-04-01",
        "--time",
        "07:45",
        "--kind",
        "flight",
        "--title",
        "JL 44 LHR→HND",
        "--supplier",
        "JAL",
        "--confirmation",
        "K2J9QX",
    ]);
    let hotel = a.json(&[
        "itinerary",
        "add",
        "Kyoto",
        "--day",
        "2026-04-02",
        "--kind",
        "hotel",
        "--title",
        "Hoshinoya",
        "--contact",
        "+81 75 871 0001",
    ]);
    a.json(&["itinerary", "edit", "Kyoto", &hotel["id"].as_str().unwrap()[..13], "--confirmation", "HSK-5531"]);
    let it = a.json(&["itinerary", "show", "Kyoto"]);
    assert_eq!(it["days"][0]["number"], 1);
    assert_eq!(it["days"][1]["number"], 2);
    let h = &it["days"][1]["items"][0];
    assert_eq!(
        (h["title"].as_str(), h["contact"].as_str(), h["confirmation"].as_str()),
        (Some("Hoshinoya"), Some("+81 75 871 0001"), Some("HSK-5531"))
    );
    // A detail given empty is cleared, not kept and not stored as an empty string.
    let cleared =
        a.json(&["itinerary", "edit", "Kyoto", hotel["id"].as_str().unwrap(), "--contact", " ", "--time", ""]);
    assert_eq!((cleared["contact"].as_str(), cleared["time"].as_str()), (None, None));
    assert_eq!(cleared["confirmation"], "HSK-5531");
    // An edit that changes nothing records nothing.
    let same = a.refused(&["itinerary", "edit", "Kyoto", hotel["id"].as_str().unwrap(), "--title", "Hoshinoya"]);
    assert!(same.contains("nothing to correct: \"Hoshinoya\" is already as given"), "{same}");
    a.ok(&["itinerary", "remove", "Kyoto", hotel["id"].as_str().unwrap()]);
    assert_eq!(a.json(&["itinerary", "show", "Kyoto"])["days"].as_array().unwrap().len(), 1);
}
