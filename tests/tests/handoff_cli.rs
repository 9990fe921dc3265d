//! The Sales→Fulfilment handoff driven through the real `handoff` binary against a real SQLite
//! file: every rule of the foundation, including its refusals (each refusal must write nothing).

use serde_json::Value;

use crate::fixtures::{alpine, in_meeting_with_full_brief, won_in_meeting, write_brief};
use crate::util::{handoff_bin, p, Agency};

#[test]
fn won_with_the_lead_away_goes_to_the_first_backup_not_away() {
    let a = Agency::wayfarer();
    a.ok(&["person", "away", "Fay Okafor", "--from", "2026-03-02", "--to", "2026-03-06"]);
    a.ok(&["person", "away", "Bo Lind", "--from", "2026-03-03", "--to", "2026-03-03"]);
    alpine(&a, "Acme GmbH");
    let won = a.json(&["deal", "won", "Alpine retreat", "--at", "2026-03-03 10:00"]);
    assert_eq!(won["fulfilment_owner"]["name"], "Cy Adams");
    assert_eq!(won["assigned_because"], "backup");
    assert_eq!(won["closed_at"], "2026-03-03T10:00:00Z");
    assert!(won["deal"].as_str().unwrap().len() == 36);
    assert!(won["fulfilment_owner"]["id"].is_string());
    // One business day from Tuesday 10:00 is Wednesday 10:00.
    assert_eq!(won["handoff_deadline"], "2026-03-04T10:00:00Z");
}

#[test]
fn everyone_away_escalates_to_the_founder_and_records_it() {
    let a = Agency::wayfarer();
    for who in ["Fay Okafor", "Bo Lind", "Cy Adams"] {
        a.ok(&["person", "away", who, "--from", "2026-03-01", "--to", "2026-03-10"]);
    }
    alpine(&a, "Acme GmbH");
    let won = a.json(&["deal", "won", "Alpine retreat", "--at", "2026-03-03 10:00"]);
    assert_eq!(won["fulfilment_owner"]["name"], "Maya Chen");
    assert_eq!(won["assigned_because"], "escalated");
    let store = handoff_store::Store::open(&a.db, false).unwrap();
    let escalations = handoff_store::query::escalations(store.connection()).unwrap();
    assert_eq!(escalations.len(), 1);
    assert_eq!(escalations[0].dept.as_deref(), Some("fulfilment"));
    assert!(escalations[0].reason.contains("2026-03-03"));
    let show = a.json(&["deal", "show", "Alpine retreat"]);
    let kinds: Vec<&str> = show["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["deal_added", "deal_won", "founder_escalated"]);
    // Nobody at all — no founder either — is refused, never an ownerless handoff.
    let b = Agency::empty();
    b.ok(&["init", "--agency", "Solo", "--timezone", "Europe/London"]);
    b.ok(&["person", "add", "--name", "Sam", "--dept", "sales"]);
    b.ok(&["deal", "add", "--title", "T", "--customer", "C", "--value", "1", "--currency", "EUR", "--owner", "Sam"]);
    let err = b.refused(&["deal", "won", "T"]);
    assert!(err.contains("no founder; add one with `handoff person add --dept founder`"), "{err}");
}

#[test]
fn meeting_end_is_refused_until_both_sign_the_current_brief() {
    let a = Agency::wayfarer();
    won_in_meeting(&a, "Acme GmbH");
    a.ok(&[
        "brief",
        "set",
        "Alpine retreat",
        "--section",
        "customer",
        "--text",
        "Acme GmbH — Jo Bloggs",
        "--at",
        "2026-03-03 14:01",
    ]);
    let err = a.refused(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:10"]);
    assert!(err.contains("Sam Reyes (sales) has not signed; Fay Okafor (fulfilment) has not signed"), "{err}");

    // Nobody else can sign: not a backup, not the founder.
    for other in ["Bo Lind", "Maya Chen"] {
        let err = a.refused(&["brief", "sign", "Alpine retreat", "--as", other, "--at", "2026-03-03 14:05"]);
        assert!(err.contains(&format!("{other} cannot sign the brief")), "{err}");
    }
    let err = a.refused(&["brief", "sign", "Alpine retreat", "--at", "2026-03-03 14:05"]);
    assert!(err.contains("--as PERSON"), "{err}");

    // One section of seven is not a brief: nobody signs it yet, and the brief says what is left.
    let shown = a.ok(&["brief", "show", "Alpine retreat"]);
    assert!(shown.contains("1 of 7 sections written: 6 to write before anyone signs"), "{shown}");
    assert!(shown.contains("(not written — risks and open questions)"), "{shown}");
    let json = a.json(&["brief", "show", "Alpine retreat"]);
    assert_eq!(json["complete"], false);
    assert_eq!(json["unwritten"].as_array().unwrap().len(), 6);
    assert_eq!(json["unwritten"][0], "trip");
    a.make_key("Sam Reyes");
    let sam = a.passphrase_file("Sam Reyes");
    let args = ["brief", "sign", "Alpine retreat", "--as", "Sam Reyes", "--at", "2026-03-03 14:05"];
    let err = a.refused(&[&args[..], &["--passphrase-file", p(&sam)]].concat());
    assert!(err.contains("\"Trip\", \"What was sold\""), "{err}");
    assert!(err.contains("are not written — write each one during the meeting"), "{err}");
    write_brief(&a, "Alpine retreat", "2026-03-03 14:05");

    a.sign("Alpine retreat", "Sam Reyes", "2026-03-03 14:06");
    let err = a.refused(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:10"]);
    assert!(err.contains("Fay Okafor (fulfilment) has not signed") && !err.contains("Sam"), "{err}");
    a.make_key("Fay Okafor");
    let fay = a.passphrase_file("Fay Okafor");
    let brief = a.json(&[
        "brief",
        "sign",
        "Alpine retreat",
        "--as",
        "Fay",
        "--at",
        "2026-03-03 14:07",
        "--passphrase-file",
        p(&fay),
    ]);
    assert_eq!(brief["signed"], true);

    // An edit after the signatures makes both stale; the end is refused again.
    let brief = a.json(&[
        "brief",
        "set",
        "Alpine retreat",
        "--section",
        "risks",
        "--text",
        "Visa for one traveller",
        "--at",
        "2026-03-03 14:08",
    ]);
    assert_eq!(brief["sales"]["state"], "stale");
    assert_eq!(brief["fulfilment"]["state"], "stale");
    assert_eq!(brief["signed"], false);
    let err = a.refused(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:10"]);
    assert!(err.contains("Sam Reyes's (sales) signature is stale"), "{err}");
    // The deal says why the meeting cannot end yet, as the refusal does (the app disables "End" with it).
    let why = a.json(&["deal", "show", "Alpine retreat"])["meeting_end_refusal"].as_str().unwrap().to_string();
    assert!(why.contains("Sam Reyes's (sales) signature is stale"), "{why}");

    a.sign("Alpine retreat", "Sam Reyes", "2026-03-03 14:09");
    a.sign("Alpine retreat", "Fay Okafor", "2026-03-03 14:10");
    assert_eq!(a.json(&["deal", "show", "Alpine retreat"])["meeting_end_refusal"], serde_json::Value::Null);
    let end = a.json(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:12"]);
    assert_eq!(end["handoff_at"], "2026-03-03T14:12:00Z");
    assert_eq!(end["dwell_hours"], 4.2);
    assert_eq!(end["flags"], serde_json::json!([]));
    assert_eq!(a.integrity(), "ok");
}

#[test]
fn completing_the_handoff_creates_confirm_dates_due_in_24_hours() {
    let a = Agency::wayfarer();
    won_in_meeting(&a, "Acme GmbH");
    write_brief(&a, "Alpine retreat", "2026-03-03 14:02");
    a.sign("Alpine retreat", "Sam Reyes", "2026-03-03 14:06");
    a.sign("Alpine retreat", "Fay Okafor", "2026-03-03 14:07");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:12"]);
    let tasks = a.json(&["task", "list", "--owner", "Fay Okafor"]);
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["title"], "Confirm dates with customer");
    assert_eq!(tasks[0]["owner"]["name"], "Fay Okafor");
    assert_eq!(tasks[0]["due_at"], "2026-03-04T14:12:00Z");
    // Long past by now: overdue until done.
    assert_eq!(tasks[0]["overdue"], true);
    assert_eq!(a.json(&["task", "list", "--overdue"]).as_array().unwrap().len(), 1);
    let done = a.json(&["task", "done", "Alpine retreat", "--at", "2026-03-04 09:30"]);
    assert_eq!(done["done_at"], "2026-03-04T09:30:00Z");
    // Confirming the dates is the customer hearing from us: within one business day of the close
    // (Tuesday 10:00 → Wednesday 10:00).
    let show = a.json(&["deal", "show", "Alpine retreat"]);
    assert_eq!(show["customer_contacted_at"], "2026-03-04T09:30:00Z");
    assert_eq!(show["heard_within_one_business_day"], true);
    let dwell = a.json(&["metrics", "dwell"]);
    assert_eq!((dwell["heard_within_one_business_day"].as_u64(), dwell["not_heard_yet"].as_u64()), (Some(1), Some(0)));
    assert!(a
        .ok(&["metrics", "dwell"])
        .contains("customers who heard from us within one business day: 1 of 1 (0 later, 0 not yet)"));
    let err = a.refused(&["deal", "contacted", "Alpine retreat", "--at", "2026-03-04 11:00"]);
    assert!(err.contains("was first contacted 2026-03-04 09:30 already"), "{err}");
    assert_eq!(a.json(&["task", "list", "--open"]).as_array().unwrap().len(), 0);
    let err = a.refused(&["task", "done", tasks[0]["id"].as_str().unwrap()]);
    assert!(err.contains("already done"), "{err}");
    let list = a.json(&["deal", "list", "--status", "handed-off"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn a_customer_who_first_hears_after_a_business_day_is_counted_as_late() {
    let a = Agency::wayfarer();
    alpine(&a, "Acme GmbH");
    let err = a.refused(&["deal", "contacted", "Alpine retreat", "--at", "2026-03-03 09:30"]);
    assert!(err.contains("is open; the customer is contacted about a won deal"), "{err}");
    a.ok(&["deal", "won", "Alpine retreat", "--at", "2026-03-03 10:00"]);
    let err = a.refused(&["deal", "contacted", "Alpine retreat", "--at", "2026-03-03 09:59"]);
    assert!(err.contains("cannot be before the close"), "{err}");
    let said = a.ok(&["deal", "contacted", "Alpine retreat", "--at", "2026-03-04 16:00"]);
    assert!(said.contains("later than one business day (by 2026-03-04 10:00)"), "{said}");
    a.ok(&["meeting", "start", "Alpine retreat", "--at", "2026-03-04 16:05"]);
    write_brief(&a, "Alpine retreat", "2026-03-04 16:06");
    a.sign("Alpine retreat", "Sam Reyes", "2026-03-04 16:10");
    a.sign("Alpine retreat", "Fay Okafor", "2026-03-04 16:11");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-04 16:12"]);
    let dwell = a.json(&["metrics", "dwell"]);
    assert_eq!(
        (
            dwell["heard_within_one_business_day"].as_u64(),
            dwell["heard_later"].as_u64(),
            dwell["not_heard_yet"].as_u64()
        ),
        (Some(0), Some(1), Some(0))
    );
    // A holiday on the Wednesday moves the deadline to Thursday 10:00: now it was in time.
    a.ok(&["holiday", "add", "2026-03-04", "--name", "Agency day"]);
    let dwell = a.json(&["metrics", "dwell"]);
    assert_eq!(dwell["heard_within_one_business_day"], 1, "{dwell}");
    assert_eq!(a.json(&["admin", "rebuild"])["integrity"], "ok");
    assert_eq!(a.json(&["metrics", "dwell"])["heard_within_one_business_day"], 1, "the same after a rebuild");
}

#[test]
fn deals_are_found_by_what_a_lead_remembers_of_them_travellers_and_brief_included() {
    let a = Agency::with_service();
    in_meeting_with_full_brief(&a);
    add_alpine_like(&a, "Lisbon weekend", "The Patels");
    a.ok(&["deal", "won", "Lisbon weekend"]);
    a.ok(&["traveller", "add", "Lisbon weekend", "--name", "Asha Patel", "--medical", "nut allergy"]);
    let titles = |text: &str| -> Vec<String> {
        let found = a.json(&["deal", "list", "--search", text]);
        found.as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(titles("zoe"), ["Alpine retreat"], "accents and case aside: the customer Zoë");
    assert_eq!(titles("coeliac"), ["Alpine retreat"], "a word of the brief");
    assert_eq!(titles("ash"), ["Lisbon weekend"], "the start of a traveller's name");
    assert_eq!(titles("patel asha"), ["Lisbon weekend"], "every word, in any order");
    assert!(titles("patel zoe").is_empty(), "every word must be there");
    assert!(titles("\"*( OR").is_empty(), "search syntax is only text");
    // The brief changes: what it said before no longer finds it; a rebuild finds the same.
    a.ok(&[
        "brief",
        "set",
        "Alpine retreat",
        "--section",
        "preferences",
        "--text",
        "Two vegans",
        "--at",
        "2026-03-03 14:05",
    ]);
    assert!(titles("coeliac").is_empty());
    assert_eq!(titles("vegans"), ["Alpine retreat"]);
    a.ok(&["admin", "rebuild"]);
    assert_eq!(titles("vegans"), ["Alpine retreat"]);
    assert_eq!(titles("ash"), ["Lisbon weekend"]);
    assert!(a.ok(&["deal", "list", "--search", "nobody-at-all"]).contains("No deals"));
}

/// Adds `title` for `customer`, 1,000 EUR that Sam Reyes sold, with a trip in June.
fn add_alpine_like(a: &Agency, title: &str, customer: &str) {
    a.ok(&[
        "deal",
        "add",
        "--title",
        title,
        "--customer",
        customer,
        "--value",
        "1000",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
        "--trip-start",
        "2026-06-01",
        "--trip-end",
        "2026-06-05",
    ]);
}

#[test]
fn reassigning_keeps_the_original_and_the_acting_owner_in_the_history() {
    let a = Agency::wayfarer();
    won_in_meeting(&a, "Acme GmbH");
    write_brief(&a, "Alpine retreat", "2026-03-03 14:01");
    a.sign("Alpine retreat", "Fay Okafor", "2026-03-03 14:02");
    let f = a.json(&[
        "reassign",
        "Alpine retreat",
        "--to",
        "Bo Lind",
        "--reason",
        "Fay called to a supplier",
        "--at",
        "2026-03-03 14:03",
    ]);
    assert_eq!(f["original"]["name"], "Fay Okafor");
    assert_eq!(f["acting"]["name"], "Bo Lind");
    let show = a.json(&["deal", "show", "Alpine retreat"]);
    assert_eq!(show["fulfilment"]["reassignments"][0]["reason"], "Fay called to a supplier");
    assert_eq!(show["brief"]["fulfilment"]["signer"]["name"], "Bo Lind");
    assert_eq!(show["brief"]["fulfilment"]["state"], "missing");
    let err = a.refused(&["reassign", "Alpine retreat", "--to", "Sam Reyes", "--reason", "x"]);
    assert!(err.contains("Sam Reyes is in sales, not fulfilment"), "{err}");
}

#[test]
fn a_long_meeting_on_the_next_day_is_flagged_not_refused() {
    let a = Agency::wayfarer();
    alpine(&a, "Acme GmbH");
    a.ok(&["deal", "won", "Alpine retreat", "--at", "2026-03-03 16:50"]);
    a.ok(&["meeting", "start", "Alpine retreat", "--at", "2026-03-04 09:00"]);
    write_brief(&a, "Alpine retreat", "2026-03-04 09:05");
    a.sign("Alpine retreat", "Sam Reyes", "2026-03-04 09:10");
    a.sign("Alpine retreat", "Fay Okafor", "2026-03-04 09:20");
    let end = a.json(&["meeting", "end", "Alpine retreat", "--at", "2026-03-04 09:31"]);
    let flags: Vec<&str> = end["flags"].as_array().unwrap().iter().map(|f| f["flag"].as_str().unwrap()).collect();
    assert_eq!(flags, ["overran", "not-on-close-day"]);
    assert_eq!(end["flags"][0]["minutes"], 31);
    // Closed 16:50 Tuesday, handed off 09:31 Wednesday: 0.6667 + 0.5167 business hours.
    assert!((end["dwell_business_hours"].as_f64().unwrap() - (40.0 + 31.0) / 60.0).abs() < 1e-9);
}

#[test]
fn bad_input_is_refused_with_one_line_and_nothing_written() {
    let a = Agency::wayfarer();
    alpine(&a, "Acme GmbH");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["deal", "won", "Nowhere trip"], "no deal \"Nowhere trip\""),
        (
            vec![
                "deal",
                "add",
                "--title",
                "X",
                "--customer",
                "Y",
                "--value",
                "1",
                "--currency",
                "EUR",
                "--owner",
                "Zed",
            ],
            "no person \"Zed\"",
        ),
        (
            vec![
                "deal",
                "add",
                "--title",
                "X",
                "--customer",
                "Y",
                "--value",
                "12,5.3.1",
                "--currency",
                "EUR",
                "--owner",
                "Sam",
            ],
            "amount \"12,5.3.1\" is not understood",
        ),
        (
            vec![
                "deal",
                "add",
                "--title",
                "X",
                "--customer",
                "Y",
                "--value",
                "10",
                "--currency",
                "EURO",
                "--owner",
                "Sam",
            ],
            "unknown currency \"EURO\"",
        ),
        (
            vec![
                "deal",
                "add",
                "--title",
                "X",
                "--customer",
                "Y",
                "--value",
                "10",
                "--currency",
                "EUR",
                "--owner",
                "Fay",
            ],
            "Fay Okafor is in fulfilment, not sales",
        ),
        (vec!["deal", "won", "Alpine retreat", "--at", "2099-01-01 10:00"], "is in the future"),
        (vec!["deal", "won", "Alpine retreat", "--at", "next tuesday"], "is not a time"),
        (vec!["person", "add", "--name", "sam reyes", "--dept", "sales"], "already a person named"),
        (vec!["person", "add", "--name", "Al", "--dept", "ops"], "unknown department \"ops\""),
        (
            vec!["person", "away", "Bo", "--from", "2026-03-05", "--to", "2026-03-01"],
            "ends (2026-03-01) before it starts",
        ),
        (vec!["holiday", "add", "2026-02-30"], "is not a date"),
        (
            vec!["brief", "set", "Alpine retreat", "--section", "summary", "--text", "x"],
            "unknown brief section \"summary\"",
        ),
        (
            vec!["brief", "set", "Alpine retreat", "--section", "risks", "--text", "x"],
            "is open; the brief is written for a won deal",
        ),
        (vec!["meeting", "start", "Alpine retreat"], "is open; the handoff meeting is for a won deal"),
        (vec!["deal", "list", "--status", "pending"], "unknown status \"pending\""),
        (vec!["metrics", "dwell", "--from", "2026-03-10", "--to", "2026-03-01"], "is before --from"),
        (vec!["deal", "show", "Alpine retreat", "--at", "2026-03-03 10:00"], "--at is for actions"),
    ];
    for (args, expected) in cases {
        let err = a.refused(&args);
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(expected), "handoff {args:?}: expected {expected:?} in {err:?}");
    }

    a.ok(&["deal", "won", "Alpine retreat", "--at", "2026-03-03 10:00"]);
    let err = a.refused(&["deal", "won", "Alpine retreat", "--at", "2026-03-03 11:00"]);
    assert!(err.contains("is already won (closed 2026-03-03 10:00); only an open deal can be won"), "{err}");
    let err = a.refused(&["deal", "lost", "Alpine retreat"]);
    assert!(err.contains("only an open deal can be lost"), "{err}");
    let err = a.refused(&["meeting", "start", "Alpine retreat", "--at", "2026-03-03 09:30"]);
    assert!(
        err.contains("the meeting start (2026-03-03 09:30) cannot be before the close (2026-03-03 10:00)"),
        "{err}"
    );
    // Sales writes the brief live, in the meeting: not before it, and never Fulfilment.
    let brief_before = a.json(&["brief", "show", "Alpine retreat"]);
    let err =
        a.refused(&["brief", "set", "Alpine retreat", "--section", "risks", "--text", "Visa", "--as", "Sam Reyes"]);
    assert!(
        err.contains("is not in its handoff meeting: Sales writes the brief live — start the meeting first"),
        "{err}"
    );
    a.ok(&["meeting", "start", "Alpine retreat", "--at", "2026-03-03 14:00"]);
    let err =
        a.refused(&["brief", "set", "Alpine retreat", "--section", "risks", "--text", "Visa", "--as", "Fay Okafor"]);
    assert!(err.contains("Fay Okafor cannot write the brief of \"Alpine retreat\": Sales writes it"), "{err}");
    assert_eq!(a.json(&["brief", "show", "Alpine retreat"]), brief_before, "nothing written");
    write_brief(&a, "Alpine retreat", "2026-03-03 14:00");
    a.sign("Alpine retreat", "Sam Reyes", "2026-03-03 14:01");
    a.sign("Alpine retreat", "Fay Okafor", "2026-03-03 14:02");
    let err = a.refused(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 13:59"]);
    assert!(
        err.contains("the meeting end (2026-03-03 13:59) cannot be before the meeting start (2026-03-03 14:00)"),
        "{err}"
    );
    assert_eq!(a.integrity(), "ok");
}

#[test]
fn json_errors_are_a_code_and_a_message_on_stderr() {
    let a = Agency::wayfarer();
    let out = a.run(&["--json", "deal", "won", "Nowhere"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "not_found");
    assert!(err["message"].as_str().unwrap().contains("no deal \"Nowhere\""));
}

#[test]
fn sql_and_control_characters_are_stored_verbatim() {
    let a = Agency::wayfarer();
    won_in_meeting(&a, "Acme GmbH");
    let nasty = "Robert'); DROP TABLE events;--\t\u{7}\u{1b}[31m\r\nline two \"quoted\" \\ 100%";
    a.ok(&["brief", "set", "Alpine retreat", "--section", "promises", "--text", nasty]);
    // A bullet list starts with a dash and is text, not an option.
    a.ok(&["brief", "set", "Alpine retreat", "--section", "sold", "--text", "- 4 nights\n- transfers"]);
    assert_eq!(a.json(&["brief", "show", "Alpine retreat"])["sections"][2]["text"], "- 4 nights\n- transfers");
    let brief = a.json(&["brief", "show", "Alpine retreat"]);
    assert_eq!(brief["sections"][3]["section"], "promises");
    assert_eq!(brief["sections"][3]["text"], nasty);
    let file = a.write("risks.txt", "Ünïcödé — Łódź, İstanbul, Ελληνικά, Кириллица, ß, €\n");
    a.ok(&["brief", "set", "Alpine retreat", "--section", "risks", "--file", p(&file)]);
    assert_eq!(
        a.json(&["brief", "show", "Alpine retreat"])["sections"][5]["text"],
        "Ünïcödé — Łódź, İstanbul, Ελληνικά, Кириллица, ß, €\n"
    );
    assert_eq!(a.integrity(), "ok");
}

#[test]
fn a_one_megabyte_section_is_refused_with_its_size() {
    let a = Agency::wayfarer();
    won_in_meeting(&a, "Acme GmbH");
    let big = a.write("big.txt", &"x".repeat(1 << 20));
    let err = a.refused(&["brief", "set", "Alpine retreat", "--section", "risks", "--file", p(&big)]);
    assert!(err.contains("1048576 characters long; at most 20000"), "{err}");
    let huge = a.write("huge.txt", &"x".repeat((1 << 20) + 10));
    let err = a.refused(&["brief", "set", "Alpine retreat", "--section", "risks", "--file", p(&huge)]);
    assert!(err.contains("over 1 MiB"), "{err}");
    let out = a.run(&["--json", "brief", "set", "Alpine retreat", "--section", "risks", "--file", p(&big)]);
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "too_large");
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let a = Agency::wayfarer();
    {
        let store = handoff_store::Store::open(&a.db, false).unwrap();
        store.connection().pragma_update(None, "user_version", 99).unwrap();
        store.connection().pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
    }
    let before = std::fs::read(&a.db).unwrap();
    let out = a.run(&["person", "list"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("was written by a newer version of Handoff (schema 99"), "{err}");
    assert!(err.contains("it was not changed"), "{err}");
    assert_eq!(std::fs::read(&a.db).unwrap(), before, "the newer database was modified");
    let out = a.run(&["person", "add", "--name", "New", "--dept", "sales"]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&a.db).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_handoff_database_is_refused() {
    let a = Agency::empty();
    std::fs::write(&a.db, "just some notes\n").unwrap();
    let out = a.run(&["person", "list"]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(&a.db).unwrap(), "just some notes\n");
    // No database at all: say how to create one, and create nothing.
    let b = Agency::empty();
    let err = b.refused(&["deal", "list"]);
    assert!(err.contains("no Handoff database at") && err.contains("handoff init"), "{err}");
    assert!(!b.db.exists());
}

#[test]
fn init_twice_is_refused() {
    let a = Agency::wayfarer();
    let err = a.refused(&["init", "--agency", "Other", "--timezone", "Europe/Paris"]);
    assert!(err.contains("already holds the agency \"Wayfarer Travel\""), "{err}");
    let b = Agency::empty();
    let err = b.refused(&["init", "--agency", "X", "--timezone", "Europe/Lodnon"]);
    assert!(err.contains("unknown time zone \"Europe/Lodnon\""), "{err}");
    let err = b.refused(&["init", "--agency", "X", "--timezone", "Europe/London", "--hours", "17:00-09:00"]);
    assert!(err.contains("HH:MM-HH:MM"), "{err}");
}

#[test]
fn admin_rebuild_reproduces_the_read_tables_exactly() {
    let a = Agency::wayfarer();
    won_in_meeting(&a, "Acme GmbH");
    write_brief(&a, "Alpine retreat", "2026-03-03 14:01");
    a.ok(&["brief", "set", "Alpine retreat", "--section", "sold", "--text", "5 nights, half board"]);
    for person in ["Sam Reyes", "Fay Okafor"] {
        a.make_key(person);
        a.ok(&["brief", "sign", "Alpine retreat", "--as", person, "--passphrase-file", p(&a.passphrase_file(person))]);
    }
    a.ok(&["meeting", "end", "Alpine retreat"]);
    a.ok(&["holiday", "add", "2026-03-03", "--name", "Agency day"]);
    let before = a.snapshot();
    let r = a.json(&["admin", "rebuild"]);
    assert_eq!(r["integrity"], "ok");
    assert_eq!(a.snapshot(), before);
    assert_eq!(a.ok(&["admin", "check"]), "integrity check: ok\n");
}

#[test]
fn help_reads_well_for_every_verb() {
    let a = Agency::empty();
    let help = a.ok(&["--help"]);
    for verb in [
        "init", "holiday", "person", "dept", "deal", "meeting", "brief", "reassign", "task", "metrics", "import",
        "admin",
    ] {
        assert!(help.contains(&format!("  {verb} ")), "{verb} missing from --help:\n{help}");
    }
    for args in [
        vec!["deal", "won", "--help"],
        vec!["brief", "set", "--help"],
        vec!["import", "deals", "--help"],
        vec!["metrics", "dwell", "--help"],
    ] {
        let text = a.ok(&args);
        assert!(text.contains("Usage: handoff"), "{text}");
    }
    assert!(a
        .ok(&["import", "deals", "--help"])
        .contains("external_id,title,customer,value,currency,owner,closed_at,handoff_at"));
}

#[test]
fn concurrent_writers_queue_for_the_one_write_lock_instead_of_failing() {
    let a = Agency::wayfarer();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let mut c = std::process::Command::new(handoff_bin());
            let script = (0..15)
                .map(|i| format!("\"$0\" --db \"$1\" deal add --title w{w}-d{i} --customer C --value 1 --currency EUR --owner Sam >/dev/null || exit 1"))
                .collect::<Vec<_>>()
                .join("\n");
            c.env_remove("HANDOFF_DB");
            std::process::Command::new("sh")
                .args(["-c", &script])
                .arg(c.get_program())
                .arg(&a.db)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut w in writers {
        assert!(w.wait().unwrap().success(), "a concurrent writer failed (SQLITE_BUSY?)");
    }
    assert_eq!(a.json(&["deal", "list"]).as_array().unwrap().len(), 60);
    assert_eq!(a.integrity(), "ok");
}

#[test]
fn handoff_clock_offset_moves_the_clock_and_a_bad_one_is_refused_with_nothing_written() {
    let a = Agency::wayfarer();
    alpine(&a, "Acme GmbH");
    // Two days ahead: a win "now" is recorded two days from the system clock's now.
    let before = chrono::Utc::now() + chrono::Duration::days(2);
    let out = a
        .cmd()
        .env("HANDOFF_CLOCK_OFFSET", "172800")
        .args(["--json", "deal", "won", "Alpine retreat"])
        .output()
        .unwrap();
    let after = chrono::Utc::now() + chrono::Duration::days(2);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let won: Value = serde_json::from_slice(&out.stdout).unwrap();
    let closed: chrono::DateTime<chrono::Utc> = won["deal"]["closed_at"]
        .as_str()
        .or(won["closed_at"].as_str())
        .unwrap_or_else(|| panic!("no closed_at in {won}"))
        .parse()
        .unwrap();
    assert!(
        closed >= before - chrono::Duration::seconds(1) && closed <= after,
        "closed at {closed}, not two days ahead"
    );
    // Said where the laptop's sync is shown, so a stray offset does not go unseen.
    let out = a.cmd().env("HANDOFF_CLOCK_OFFSET", "172800").args(["sync", "status"]).output().unwrap();
    let says = String::from_utf8(out.stdout).unwrap();
    assert!(says.contains("HANDOFF_CLOCK_OFFSET sets Handoff's clock 2.0 days ahead of this laptop's"), "{says}");
    let out = a.cmd().env("HANDOFF_CLOCK_OFFSET", "-5400").args(["--json", "sync", "status"]).output().unwrap();
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["clock_offset_s"], -5400, "{status}");
    let says = a.ok(&["sync", "status"]);
    assert!(!says.contains("HANDOFF_CLOCK_OFFSET"), "no offset, nothing said: {says}");

    // Not whole seconds: refused in one line that names the variable, nothing written.
    let snapshot = a.snapshot();
    for bad in ["two days", "1.5"] {
        let out = a
            .cmd()
            .env("HANDOFF_CLOCK_OFFSET", bad)
            .args(["person", "add", "--name", "Zoe Park", "--dept", "sales"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("HANDOFF_CLOCK_OFFSET") && err.contains("whole seconds"), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert_eq!(a.snapshot(), snapshot, "a refused clock wrote something");
    }
}
