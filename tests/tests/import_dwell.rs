//! Importing a CRM export and measuring dwell time: the playbook's before and after weeks,
//! hand-computed, come back exactly; a bad file imports nothing; re-importing adds nothing.

use crate::fixtures::CSV_HEADER;
use crate::util::{assert_near, p, Agency};

/// The week before the contract (2026-03-02, GMT): eight deals averaging 38 hours, one at nine
/// days. Business hours by hand with 09:00–17:30, Mon–Fri:
/// B1 Mon 09:00 → Wed+1w 09:00 (216 h): 7 full days = 59.5 · B2 Tue 12:00 → Wed 08:00 (20 h): 5.5
/// B3 Wed 16:00 → Thu 08:00 (16 h): 1.5 · B4 Thu 10:00 → 22:00 (12 h): 7.5
/// B5 Fri 15:00 → Sat 01:00 (10 h): 2.5 · B6 Mon 11:00 → 17:00 (6 h): 6
/// B7 Tue 17:00 → Wed 07:00 (14 h): 0.5 · B8 Thu 20:00 → Fri 06:00 (10 h): 0
const BEFORE: &str = "\
B1,Corporate retreat,Acme GmbH,60000,EUR,Sam Reyes,2026-03-02 09:00,2026-03-11 09:00
B2,Lisbon long weekend,Jo Bloggs,2400.50,EUR,Sam Reyes,2026-03-03 12:00,2026-03-04 08:00
B3,Safari honeymoon,The Okonkwos,18000,GBP,Sam Reyes,2026-03-04 16:00,2026-03-05 08:00
B4,School trip Rome,St Mary's,32000,EUR,Sam Reyes,2026-03-05 10:00,2026-03-05 22:00
B5,Ski week,Lind family,9000,EUR,Sam Reyes,2026-03-06 15:00,2026-03-07 01:00
B6,Paris conference,Initech,15000,USD,Sam Reyes,2026-03-02 11:00,2026-03-02 17:00
B7,Kyoto in spring,A. Tanaka,700000,JPY,Sam Reyes,2026-03-03 17:00,2026-03-04 07:00
B8,Fjord cruise,Hansen AS,12000,EUR,Sam Reyes,2026-03-05 20:00,2026-03-06 06:00
";

/// Three weeks after: average 4 hours, worst 11, all inside one business day.
/// A1 Mon 09:00 → 20:00 (11 h): 8.5 (exactly one business day: not past it) · A2 2 h: 2
/// A3 Wed 14:00 → 17:00: 3 · A4 Thu 16:00 → 17:00: 1 · A5 Fri 13:00 → 17:00: 4
/// A6 Fri 15:00 → 18:00 (3 h): 2.5
const AFTER: &str = "\
A1,Team offsite,Globex,40000,EUR,Sam Reyes,2026-03-23 09:00,2026-03-23 20:00
A2,Weekend in Bath,R. Patel,800,GBP,Sam Reyes,2026-03-24 10:00,2026-03-24 12:00
A3,Iceland lights,Smith party,7000,EUR,Sam Reyes,2026-03-25 14:00,2026-03-25 17:00
A4,Vienna opera,Herr Braun,3000,EUR,Sam Reyes,2026-03-26 16:00,2026-03-26 17:00
A5,Madeira walking,Walkers club,11000,EUR,Sam Reyes,2026-03-27 13:00,2026-03-27 17:00
A6,Berlin stag,Tom and co,2500,EUR,Sam Reyes,2026-03-27 15:00,2026-03-27 18:00
";

fn imported() -> Agency {
    let a = Agency::wayfarer();
    let file = a.write("crm.csv", &format!("{CSV_HEADER}{BEFORE}{AFTER}"));
    let r = a.json(&["import", "deals", p(&file)]);
    assert_eq!((r["rows"].as_u64(), r["imported"].as_u64(), r["unchanged"].as_u64()), (Some(14), Some(14), Some(0)));
    a
}

#[test]
fn the_week_before_the_contract_matches_the_hand_computed_figures() {
    let a = imported();
    let m = a.json(&["metrics", "dwell", "--from", "2026-03-02", "--to", "2026-03-08"]);
    assert_eq!(m["handed_off"], 8);
    assert_near(&m["mean_hours"], 38.0, "mean_hours");
    assert_near(&m["median_hours"], 13.0, "median_hours");
    assert_near(&m["p90_hours"], 20.0 + 0.3 * 196.0, "p90_hours");
    assert_near(&m["worst_hours"], 216.0, "worst_hours");
    assert_eq!(m["worst_deal_title"], "Corporate retreat");
    let worst = m["worst_deal"].as_str().unwrap();
    assert_eq!(a.json(&["deal", "show", worst])["external_id"], "B1");
    assert_eq!(m["over_one_business_day"], 1);
    assert_near(&m["mean_business_hours"], 83.0 / 8.0, "mean_business_hours");
    assert_near(&m["worst_business_hours"], 59.5, "worst_business_hours");
    // History from the CRM says nothing of when the customers first heard: unknown, not "not yet".
    assert_eq!((m["heard_unknown"].as_u64(), m["not_heard_yet"].as_u64()), (Some(8), Some(0)));
}

#[test]
fn three_weeks_after_matches_the_hand_computed_figures() {
    let a = imported();
    let m = a.json(&["metrics", "dwell", "--from", "2026-03-23", "--to", "2026-03-29"]);
    assert_eq!(m["handed_off"], 6);
    assert_near(&m["mean_hours"], 4.0, "mean_hours");
    assert_near(&m["median_hours"], 3.0, "median_hours");
    assert_near(&m["p90_hours"], 7.5, "p90_hours");
    assert_near(&m["worst_hours"], 11.0, "worst_hours");
    assert_eq!(m["worst_deal_title"], "Team offsite");
    assert_eq!(m["over_one_business_day"], 0);
    assert_near(&m["mean_business_hours"], 3.5, "mean_business_hours");
    // Both weeks together.
    let all = a.json(&["metrics", "dwell"]);
    assert_eq!(all["handed_off"], 14);
    assert_near(&all["mean_hours"], (304.0 + 24.0) / 14.0, "mean_hours");
}

#[test]
fn the_playbooks_before_and_after_is_one_command_with_its_target() {
    let a = imported();
    // The contract on Monday 9 March: the week before it, and the three weeks from it (the
    // playbook's "after" deals close in the third).
    let c = a.json(&["metrics", "compare", "--on", "2026-03-09"]);
    assert_eq!((c["before"]["from"].as_str(), c["before"]["to"].as_str()), (Some("2026-03-02"), Some("2026-03-08")));
    assert_eq!((c["after"]["from"].as_str(), c["after"]["to"].as_str()), (Some("2026-03-09"), Some("2026-03-29")));
    assert_eq!(c["before"]["handed_off"], 8);
    assert_near(&c["before"]["mean_hours"], 38.0, "mean before");
    assert_near(&c["before"]["worst_hours"], 216.0, "worst before: nine days");
    assert_eq!(c["before"]["on_target"], false);
    assert_eq!(c["after"]["handed_off"], 6);
    assert_near(&c["after"]["mean_hours"], 4.0, "mean after");
    assert_near(&c["after"]["worst_hours"], 11.0, "worst after");
    assert_eq!(c["after"]["on_target"], true, "both inside one business day");
    let text = a.ok(&["metrics", "compare", "--on", "2026-03-09", "--weeks-before", "1", "--weeks-after", "3"]);
    assert!(text.contains("Dwell before and after Mon 09 Mar 2026"), "{text}");
    assert!(text.contains("before Mon 02 Mar 2026 – Sun 08 Mar 2026: 8 handed off; mean 38.0 h (10.4 h business), worst 216.0 h (\"Corporate retreat\")"), "{text}");
    assert!(text.contains("1 past one business day"), "{text}");
    assert!(text.contains("every one inside one business day"), "{text}");
    // The dwell report says the target in words too.
    let week = a.ok(&["metrics", "dwell", "--from", "2026-03-23", "--to", "2026-03-29"]);
    assert!(week.contains("target: every handoff inside one business day — met"), "{week}");
    assert_eq!(a.json(&["metrics", "dwell", "--from", "2026-03-02", "--to", "2026-03-08"])["on_target"], false);

    let err = a.refused(&["metrics", "compare", "--on", "2026-03-09", "--weeks-before", "0"]);
    assert!(err.contains("compare 1 to 26 weeks"), "{err}");
    let err = a.refused(&["metrics", "compare", "--on", "9 March"]);
    assert!(err.contains("write it as YYYY-MM-DD"), "{err}");
}

#[test]
fn a_holiday_added_later_changes_business_dwell_but_not_wall_clock() {
    let a = imported();
    a.ok(&["holiday", "add", "2026-03-03", "--name", "Agency away day"]);
    let m = a.json(&["metrics", "dwell", "--from", "2026-03-02", "--to", "2026-03-08"]);
    assert_near(&m["mean_hours"], 38.0, "mean_hours");
    // B1 loses Tuesday (8.5), B2 its 5.5 Tuesday hours, B7 its half hour.
    assert_near(&m["mean_business_hours"], (83.0 - 8.5 - 5.5 - 0.5) / 8.0, "mean_business_hours");
    let before = a.snapshot();
    a.ok(&["admin", "rebuild"]);
    assert_eq!(a.snapshot(), before, "a rebuild gives the same business dwell");
}

#[test]
fn open_deals_show_their_dwell_so_far_and_who_should_act() {
    let a = Agency::wayfarer();
    let file = a.write(
        "open.csv",
        &format!("{CSV_HEADER}W1,Waiting deal,Acme,100,EUR,Sam Reyes,2026-03-02 09:00,\nW2,Other,Acme,100,EUR,Sam Reyes,2026-03-02 10:00,2026-03-02 11:00\n"),
    );
    a.ok(&["import", "deals", p(&file)]);
    let m = a.json(&["metrics", "dwell"]);
    assert_eq!(m["handed_off"], 1);
    let open = m["open"].as_array().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["title"], "Waiting deal");
    assert_eq!(open[0]["breached"], true);
    assert_eq!(open[0]["urgency"], "red");
    assert_eq!(open[0]["should_act"]["name"], "Fay Okafor");
    assert_eq!(open[0]["deadline"], "2026-03-02T17:30:00Z");
    assert!(open[0]["hours_waiting"].as_f64().unwrap() > 24.0 * 200.0);
    assert_eq!(a.json(&["deal", "list", "--status", "won"]).as_array().unwrap().len(), 1);
}

#[test]
fn reimporting_the_same_rows_adds_nothing() {
    let a = imported();
    let before = a.snapshot();
    let file = a.write("again.csv", &format!("{CSV_HEADER}{BEFORE}"));
    let r = a.json(&["import", "deals", p(&file)]);
    assert_eq!((r["imported"].as_u64(), r["unchanged"].as_u64()), (Some(0), Some(8)));
    assert_eq!(a.snapshot(), before);
    // A changed row under a known external id is refused, with nothing imported.
    let file = a.write(
        "changed.csv",
        &format!("{CSV_HEADER}B1,Corporate retreat,Acme GmbH,65000,EUR,Sam Reyes,2026-03-02 09:00,2026-03-11 09:00\n"),
    );
    let err = a.refused(&["import", "deals", p(&file)]);
    assert!(err.contains("line 2: CRM record \"B1\" was imported before with other values"), "{err}");
}

#[test]
fn a_half_bad_file_imports_no_row_and_names_every_bad_line() {
    let a = Agency::wayfarer();
    let file = a.write(
        "half.csv",
        &format!(
            "{CSV_HEADER}G1,Good one,Acme,100,EUR,Sam Reyes,2026-03-02 09:00,\n\
             X2,Bad value,Acme,lots,EUR,Sam Reyes,2026-03-02 09:00,\n\
             G3,Good two,Acme,100,EUR,Sam Reyes,2026-03-02 09:00,2026-03-02 10:00\n\
             X4,Bad owner,Acme,100,EUR,Nobody,2026-03-02 09:00,\n\
             X5,Bad time,Acme,100,EUR,Sam Reyes,yesterday,\n\
             X6,Backwards,Acme,100,EUR,Sam Reyes,2026-03-02 09:00,2026-03-01 09:00\n\
             G1,Duplicate,Acme,100,EUR,Sam Reyes,2026-03-02 09:00,\n\
             X8,Future,Acme,100,EUR,Sam Reyes,2099-01-01 09:00,\n\
             X9,Not sales,Acme,100,EUR,Fay Okafor,2026-03-02 09:00,\n"
        ),
    );
    let err = a.refused(&["import", "deals", p(&file)]);
    assert!(err.contains("has 7 bad rows; nothing was imported"), "{err}");
    for expected in [
        "line 3: the amount \"lots\" is not a number",
        "line 5: the owner \"Nobody\" matches nobody in the agency by e-mail or name",
        "line 6: close date: \"yesterday\" is not a date",
        "line 7: deal \"Backwards\": handoff_at (2026-03-01 09:00) cannot be before closed_at",
        "line 8: CRM record \"G1\" appears again (first on line 2)",
        "line 9: the close (2099-01-01 09:00) is in the future",
        "line 10: the owner Fay Okafor is in fulfilment, not Sales",
    ] {
        assert!(err.contains(expected), "expected {expected:?} in {err}");
    }
    assert_eq!(a.json(&["deal", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn a_malformed_file_is_refused_whole() {
    let a = Agency::wayfarer();
    let wrong_header = a.write("wrong.csv", "id,name\n1,x\n");
    let err = a.refused(&["import", "deals", p(&wrong_header)]);
    assert!(
        err.contains("is not an export Handoff knows by its columns")
            && err
                .contains("Handoff's own columns external_id,title,customer,value,currency,owner,closed_at,handoff_at")
            && err.contains("give what is missing with --map"),
        "{err}"
    );
    let ragged = a.write(
        "ragged.csv",
        &format!("{CSV_HEADER}G1,Good,Acme,100,EUR,Sam Reyes,2026-03-02 09:00,\nR2,Short row,Acme\n"),
    );
    let err = a.refused(&["import", "deals", p(&ragged)]);
    assert!(err.contains("line 3 has 3 cells where the header has 8"), "{err}");
    let missing = a.path("missing.csv");
    let err = a.refused(&["import", "deals", p(&missing)]);
    assert!(err.contains("cannot read"), "{err}");
    let binary = a.dir.path().join("binary.csv");
    std::fs::write(&binary, [0xff_u8, 0xfe, 0x00, 0x41]).unwrap();
    a.refused(&["import", "deals", p(&binary)]);
    assert_eq!(a.json(&["deal", "list"]).as_array().unwrap().len(), 0);
}
