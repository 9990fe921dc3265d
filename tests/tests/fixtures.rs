//! What the tests start from, set up once: Wayfarer Travel and its Service teams, the "Alpine
//! retreat" deal at each stage the tests need it, the handoff meeting, the deals CSV header, and
//! the fixed clock the use-case tests run at.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use handoff_api::{Ctx, FixedClock};
use serde_json::Value;

use crate::util::Agency;

/// The header of the deals CSV `handoff import deals` reads.
pub const CSV_HEADER: &str = "external_id,title,customer,value,currency,owner,closed_at,handoff_at\n";

impl Agency {
    /// Wayfarer Travel in Europe/London with Sam (sales), Fay (fulfilment lead), Bo and Cy
    /// (backups, in that order) and Maya (founder).
    pub fn wayfarer() -> Agency {
        let a = Agency::empty();
        a.ok(&["init", "--agency", "Wayfarer Travel", "--timezone", "Europe/London"]);
        for (name, dept) in [
            ("Sam Reyes", "sales"),
            ("Fay Okafor", "fulfilment"),
            ("Bo Lind", "fulfilment"),
            ("Cy Adams", "fulfilment"),
            ("Maya Chen", "founder"),
        ] {
            a.ok(&["person", "add", "--name", name, "--dept", dept]);
        }
        a.ok(&["dept", "set", "sales", "--lead", "Sam Reyes"]);
        a.ok(&["dept", "set", "fulfilment", "--lead", "Fay Okafor", "--backups", "Bo Lind,Cy Adams"]);
        a
    }

    /// Wayfarer with a Service department led by Sol Reed.
    pub fn with_service() -> Agency {
        let a = Agency::wayfarer();
        a.ok(&["person", "add", "--name", "Sol Reed", "--dept", "service"]);
        a.ok(&["dept", "set", "service", "--lead", "Sol Reed"]);
        a
    }

    /// Wayfarer plus a Service team: Sol leads, Ivy backs up.
    pub fn with_service_team() -> Agency {
        let a = Agency::wayfarer();
        a.ok(&["person", "add", "--name", "Sol Reed", "--dept", "service"]);
        a.ok(&["person", "add", "--name", "Ivy Park", "--dept", "service"]);
        a.ok(&["dept", "set", "service", "--lead", "Sol Reed", "--backups", "Ivy Park"]);
        a
    }
}

/// The Alpine retreat's trip: Zermatt, 1–5 June 2026, 24 travellers.
pub const IN_ZERMATT: &[&str] =
    &["--trip-start", "2026-06-01", "--trip-end", "2026-06-05", "--destination", "Zermatt", "--travellers", "24"];

/// Adds "Alpine retreat", 60,000 EUR that Sam Reyes sold to `customer`, at `at`, with the trip
/// flags in `trip` (`IN_ZERMATT`, or none).
pub fn add_alpine(a: &Agency, customer: &str, trip: &[&str], at: &str) {
    let mut args = vec![
        "deal",
        "add",
        "--title",
        "Alpine retreat",
        "--customer",
        customer,
        "--value",
        "60000",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
    ];
    args.extend_from_slice(trip);
    args.extend(["--at", at]);
    a.ok(&args);
}

/// Adds "Alpine retreat" in Zermatt for `customer` on Tuesday 3 March 2026 at 09:00 (GMT).
pub fn alpine(a: &Agency, customer: &str) {
    add_alpine(a, customer, IN_ZERMATT, "2026-03-03 09:00");
}

/// The Alpine retreat, won at 10:00 and in its handoff meeting from 14:00.
pub fn won_in_meeting(a: &Agency, customer: &str) {
    alpine(a, customer);
    a.ok(&["deal", "won", "Alpine retreat", "--at", "2026-03-03 10:00"]);
    a.ok(&["meeting", "start", "Alpine retreat", "--at", "2026-03-03 14:00"]);
}

/// Alpine retreat, won and in its meeting, with a full brief; Zoë Müller from Łódź as customer.
pub fn in_meeting_with_full_brief(a: &Agency) {
    won_in_meeting(a, "Zoë Müller (Łódź)");
    for (section, body) in [
        ("customer", "Zoë Müller, Acme GmbH, Łódź office; İstanbul branch copied"),
        ("trip", "Zermatt, 1–5 June 2026, 24 travellers"),
        ("sold", "4 nights half board, private transfers, €60,000"),
        ("promises", "Rooms on one floor; Ελληνικά and Кириллица menus; Straße-side views"),
        ("preferences", "Two vegetarians, one coeliac, one wheelchair user"),
        ("risks", "One passport expires in July"),
        ("first-steps", "Confirm dates with Zoë"),
    ] {
        a.ok(&["brief", "set", "Alpine retreat", "--section", section, "--text", body, "--at", "2026-03-03 14:01"]);
    }
}

/// Sales writes every section of `deal`'s brief in its meeting, at `at`: a brief that can be signed.
pub fn write_brief(a: &Agency, deal: &str, at: &str) {
    for (section, body) in [
        ("customer", "Acme, Jo Bloggs"),
        ("trip", "As booked"),
        ("sold", "Flights and hotel"),
        ("promises", "None beyond the booking"),
        ("preferences", "None known"),
        ("risks", "None known"),
        ("first-steps", "Confirm dates with the customer"),
    ] {
        a.ok(&["brief", "set", deal, "--section", section, "--text", body, "--at", at]);
    }
}

/// Sam Reyes and Fay Okafor sign the Alpine retreat's brief at `at`.
pub fn sign_both(a: &Agency, at: &str) {
    a.sign("Alpine retreat", "Sam Reyes", at);
    a.sign("Alpine retreat", "Fay Okafor", at);
}

/// Wayfarer with a Service department and the Alpine retreat won Monday 23 November 2026 at 09:00.
pub fn won_monday_morning() -> Agency {
    let a = Agency::with_service();
    add_alpine(&a, "Acme GmbH", &[], "2026-11-23 08:30");
    a.ok(&["deal", "won", "Alpine retreat", "--at", "2026-11-23 09:00"]);
    a
}

/// Holds the handoff meeting of `deal` on `day` from 10:00: Sales writes the brief, both sign, it
/// ends (10:00–10:12).
pub fn hand_off(a: &Agency, deal: &str, fulfilment: &str, day: &str) {
    a.ok(&["meeting", "start", deal, "--at", &format!("{day} 10:00")]);
    write_brief(a, deal, &format!("{day} 10:05"));
    a.sign(deal, "Sam Reyes", &format!("{day} 10:10"));
    a.sign(deal, fulfilment, &format!("{day} 10:11"));
    a.ok(&["meeting", "end", deal, "--at", &format!("{day} 10:12")]);
}

/// Sam Reyes's 5,000 EUR deal `title` for Acme, added at 08:00 on `day` with its trip from
/// `start` to `end`, and handed off that morning (`won_and_handed_off`).
pub fn handed_off(a: &Agency, title: &str, day: &str, start: &str, end: &str) -> Value {
    a.ok(&[
        "deal",
        "add",
        "--title",
        title,
        "--customer",
        "Acme",
        "--value",
        "5000",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
        "--trip-start",
        start,
        "--trip-end",
        end,
        "--at",
        &format!("{day} 08:00"),
    ]);
    won_and_handed_off(a, title, day)
}

/// Wins `title` at 09:00 on `day` and holds its handoff meeting (09:05–09:20): Sales writes the
/// brief, Sam Reyes signs, then whoever acts for Fulfilment. Returns the meeting end's answer.
pub fn won_and_handed_off(a: &Agency, title: &str, day: &str) -> Value {
    a.ok(&["deal", "won", title, "--at", &format!("{day} 09:00")]);
    a.ok(&["meeting", "start", title, "--at", &format!("{day} 09:05")]);
    write_brief(a, title, &format!("{day} 09:07"));
    a.sign(title, "Sam Reyes", &format!("{day} 09:10"));
    let fulfilment = a.json(&["deal", "show", title])["fulfilment"]["acting"]["name"].as_str().unwrap().to_string();
    a.sign(title, &fulfilment, &format!("{day} 09:12"));
    a.json(&["meeting", "end", title, "--at", &format!("{day} 09:20")])
}

/// `d` November 2026 at `h`:`m` (London is on UTC then).
pub fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
}

/// The use cases over `a`'s database with the clock stopped at `now`, as the app calls them.
pub fn ctx_at(a: &Agency, now: DateTime<Utc>) -> Ctx {
    Ctx::open_with_clock(&a.db, false, Arc::new(FixedClock(now))).unwrap().with_keys(a.keys())
}
