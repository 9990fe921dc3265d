//! Asks per trip, lead-time shares and renewal lift match hand-computed values from a fixture of
//! 22 trips (September–October 2026, Wayfarer Travel in Europe/London), every step driven through
//! the real `handoff` binary with `--at` backfills.
//!
//! Every trip starts before the clocks go back (25 October), so local wall-clock differences are
//! real hours and a lead of N hours is simply "N hours of local time before the trip starts".

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::{json, Value};

use crate::fixtures::won_and_handed_off;
use crate::util::{assert_near, Agency};

/// One trip: the deal is closed and handed off ten days before the trip's first day; its service
/// handoff completes `lead` hours before the trip starts (negative: after it started), or never.
struct Trip {
    title: &'static str,
    /// Local start, "YYYY-MM-DD HH:MM", or a bare date (midnight).
    start: &'static str,
    end: &'static str,
    lead: Option<i64>,
}

const fn trip(title: &'static str, start: &'static str, end: &'static str, lead: Option<i64>) -> Trip {
    Trip { title, start, end, lead }
}

/// Service handoff leads, hand-checked:
///   on time (≥ 72 h): 96 72 120 80 100 75 90 144 73 84 78 96 110 72 → 14, summing to 1290
///   late:             71 48 36 60 −6 71                                →  6, summing to  280
///   not done:         Athens, Budapest
///   → 20 done, 14 on time, share 14/20 = 0.7, mean lead (1290 + 280) / 20 = 78.5 h.
const TRIPS: [Trip; 22] = [
    trip("Lisbon", "2026-09-08 10:00", "2026-09-12", Some(96)),
    trip("Rome", "2026-09-09 14:00", "2026-09-13", Some(72)), // exactly 72 h: on time
    trip("Oslo", "2026-09-10 09:00", "2026-09-14", Some(71)), // one hour short: late
    trip("Paris", "2026-09-11 08:00", "2026-09-14", Some(120)),
    trip("Vienna", "2026-09-14 12:00", "2026-09-18", Some(80)),
    trip("Prague", "2026-09-15 07:30", "2026-09-19", Some(48)),
    trip("Seville", "2026-09-16 10:00", "2026-09-20", Some(100)),
    trip("Athens", "2026-09-17 11:00", "2026-09-21", None),
    trip("Madeira", "2026-09-18 09:00", "2026-09-24", Some(75)),
    trip("Crete", "2026-09-21 06:00", "2026-09-27", Some(36)),
    trip("Dubrovnik", "2026-09-22 10:00", "2026-09-26", Some(90)),
    trip("Bergen", "2026-09-24 15:00", "2026-09-28", Some(144)),
    trip("Porto", "2026-09-28 10:00", "2026-10-02", Some(73)),
    trip("Venice", "2026-09-30 23:30", "2026-10-04", Some(60)), // starts in September, just
    trip("Malta", "2026-10-01", "2026-10-05", Some(84)),        // October from local midnight
    trip("Sicily", "2026-10-05 09:00", "2026-10-10", Some(78)),
    trip("Reykjavik", "2026-10-07 08:00", "2026-10-11", Some(-6)), // done 6 h into the trip
    trip("Marrakech", "2026-10-09 10:00", "2026-10-14", Some(96)),
    trip("Tuscany", "2026-10-12 09:00", "2026-10-16", Some(110)),
    trip("Istanbul", "2026-10-14 13:00", "2026-10-18", Some(71)),
    trip("Cyprus", "2026-10-16 10:00", "2026-10-21", Some(72)),
    trip("Budapest", "2026-10-20 09:00", "2026-10-24", None),
];

/// Trips whose whole Service team is away on the due day (trip start − 72 h): the service
/// handoff falls to the founder, recorded as an escalation dated at the handoff (meeting end).
/// Marrakech: due 6 Oct, handed off Tue 29 Sep (2026-W40, Q3).
/// Cyprus: due 13 Oct, handed off Tue 6 Oct (2026-W41, Q4).
const SERVICE_AWAY: [&str; 2] = ["Marrakech", "Cyprus"];

/// Escalations logged by hand: Wed 30 Sep (W40, Q3) and Tue 20 Oct (W43, Q4).
const LOGGED_ESCALATIONS: [(&str, &str); 2] =
    [("2026-09-30 16:00", "Athens: the customer rang Maya"), ("2026-10-20 11:00", "Istanbul: hotel overbooked")];

type Prefs = &'static [(&'static str, &'static str)];

/// Travellers and their preferences; every non-empty item is acknowledged on the service call.
const TRAVELLERS: &[(&str, &str, Prefs)] = &[
    ("Lisbon", "Ana Ruiz", &[("dietary", "vegan")]),
    ("Rome", "Ben Cole", &[("mobility", "uses a cane"), ("rooming", "ground floor")]),
    ("Rome", "Cara Cole", &[]),
    ("Oslo", "Dev Shah", &[("dietary", "no shellfish")]),
    ("Oslo", "Eli Shah", &[("rooming", "own room, not next to parents")]),
    ("Paris", "Fia Moss", &[("medical", "carries an EpiPen")]),
    ("Vienna", "Gus Hart", &[("other", "anniversary on day 2")]),
    ("Prague", "Hal Wren", &[("mobility", "wheelchair; step-free rooms")]),
    ("Seville", "Ida Lowe", &[("dietary", "halal")]),
    ("Athens", "Jon Pike", &[("medical", "diabetic")]),
    ("Madeira", "Kim Boyd", &[("rooming", "twin beds")]),
    ("Crete", "Lea Voss", &[("rooming", "sea view, quiet floor"), ("dietary", "gluten-free")]),
    ("Dubrovnik", "Max Dunn", &[("other", "surprise proposal on day 3")]),
    ("Bergen", "Nia Frost", &[("mobility", "no long walks")]),
    ("Porto", "Oli Grant", &[("dietary", "vegetarian")]),
    ("Venice", "Pia Lund", &[("dietary", "lactose-free")]),
    ("Malta", "Quin Rhys", &[("medical", "asthma inhaler")]),
    ("Sicily", "Rae Stone", &[("rooming", "king bed")]),
    ("Reykjavik", "Sid Tate", &[("mobility", "knee brace"), ("other", "photographer")]),
    ("Marrakech", "Tia Urban", &[("dietary", "no spicy food")]),
    ("Tuscany", "Uma Vale", &[("other", "wine tasting matters")]),
    ("Istanbul", "Vic Webb", &[("dietary", "kosher")]),
    ("Cyprus", "Wyn Yates", &[("medical", "pacemaker")]),
    ("Budapest", "Xan Zorn", &[("rooming", "adjoining rooms")]),
];

/// Asks Service had to make on the trip (topic, whether the brief should have covered it).
/// Covered: Lisbon 1, Oslo 2, Prague 1, Athens 2, Crete 1, Venice 1, Reykjavik 1, Istanbul 1,
/// Budapest 1 → 11 over 22 delivered trips = 0.5 per trip. By topic (asks / covered):
///   dietary 5/5, mobility 2/2, rooming 3/3, medical 1/1, itinerary 3/0, documents 2/0, other 2/0.
const ASKS: &[(&str, &str, bool)] = &[
    ("Lisbon", "dietary", true),
    ("Oslo", "dietary", true),
    ("Oslo", "rooming", true),
    ("Prague", "mobility", true),
    ("Prague", "itinerary", false),
    ("Seville", "other", false),
    ("Athens", "medical", true),
    ("Athens", "dietary", true),
    ("Crete", "rooming", true),
    ("Bergen", "itinerary", false),
    ("Venice", "dietary", true),
    ("Venice", "documents", false),
    ("Reykjavik", "mobility", true),
    ("Tuscany", "documents", false),
    ("Istanbul", "dietary", true),
    ("Istanbul", "other", false),
    ("Budapest", "rooming", true),
    ("Budapest", "itinerary", false),
];

/// How the travellers came back (recorded the morning after the last day).
const SIGNALS: &[(&str, &str, u8)] = &[
    ("Lisbon", "thrilled", 5),
    ("Oslo", "happy", 4),
    ("Paris", "thrilled", 4),
    ("Rome", "neutral", 2),
    ("Madeira", "happy", 5),
    ("Bergen", "thrilled", 3),
    ("Crete", "unhappy", 3),
    ("Sicily", "thrilled", 5),
    ("Reykjavik", "happy", 3),
    ("Marrakech", "thrilled", 4),
    ("Tuscany", "happy", 4),
    ("Istanbul", "angry", 5),
];

/// The Tuesday reviews and their picks: 4 reviews, 10 picks.
const PICKS: &[(&str, &[&str])] = &[
    ("2026-09-15", &["Lisbon", "Oslo", "Paris"]), // trips ending 8–14 Sep
    ("2026-09-29", &["Madeira", "Bergen"]),       // 22–28 Sep
    ("2026-10-13", &["Sicily", "Reykjavik"]),     // 6–12 Oct
    ("2026-10-20", &["Marrakech", "Tuscany", "Istanbul"]), // 13–19 Oct
];

/// Follow-up calls (local time recorded, outcome, within ten days); due = trip end + 10 days, by local date.
///   Lisbon    end 12 Sep, due 22 Sep, done 16 Sep        renewed      within
///   Oslo      end 14 Sep, due 24 Sep, done 24 Sep 23:30  no-interest  within (last local minutes)
///   Paris     end 14 Sep, due 24 Sep, done 25 Sep 00:30  renewed      late (24 Sep 23:30 UTC, but
///                                                                     the local date is the 25th)
///   Madeira   end 24 Sep, due  4 Oct, done  1 Oct        referral     within
///   Bergen    not done
///   Sicily    end 10 Oct, due 20 Oct, done 14 Oct        renewed      within
///   Reykjavik end 11 Oct, due 21 Oct, done 28 Oct        no-answer    late
///   Marrakech end 14 Oct, due 24 Oct, done 20 Oct        renewed      within
///   Tuscany   end 16 Oct, due 26 Oct, done 26 Oct        no-interest  within (on the due day)
///   Istanbul  not done
/// → 8 done, 6 within ten days (6/10 picks = 0.6), 4 renewed (4/8 = 0.5).
const FOLLOW_UPS: &[(&str, &str, &str, bool)] = &[
    ("Lisbon", "2026-09-16 10:00", "renewed", true),
    ("Oslo", "2026-09-24 23:30", "no-interest", true),
    ("Paris", "2026-09-25 00:30", "renewed", false),
    ("Madeira", "2026-10-01 11:00", "referral", true),
    ("Sicily", "2026-10-14 15:00", "renewed", true),
    ("Reykjavik", "2026-10-28 10:00", "no-answer", false),
    ("Marrakech", "2026-10-20 16:00", "renewed", true),
    ("Tuscany", "2026-10-26 09:00", "no-interest", true),
];

/// Cold-list batches (date, attempts, renewals): 100 attempts, 10 renewals → 0.1 overall;
/// October alone: 60 attempts, 8 renewals → 2/15.
const COLD: &[(&str, u32, u32)] = &[("2026-09-10", 40, 2), ("2026-10-08", 35, 5), ("2026-10-22", 25, 3)];

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d").map(|d| d.and_hms_opt(0, 0, 0).unwrap()))
        .unwrap_or_else(|_| panic!("not a local time: {text}"))
}

fn fmt(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// Deal added on `close` at 08:00, then won and handed off that morning (`won_and_handed_off`).
fn hand_off(a: &Agency, t: &Trip, close: NaiveDate) -> Value {
    a.ok(&[
        "deal",
        "add",
        "--title",
        t.title,
        "--customer",
        &format!("{} party", t.title),
        "--value",
        "8000",
        "--currency",
        "GBP",
        "--owner",
        "Sam Reyes",
        "--trip-start",
        t.start,
        "--trip-end",
        t.end,
        "--destination",
        t.title,
        "--at",
        &format!("{close} 08:00"),
    ]);
    won_and_handed_off(a, t.title, &close.to_string())
}

/// The service call: started 20 minutes before `done`, every item acknowledged 10 minutes before.
fn service_call(a: &Agency, t: &Trip, done: NaiveDateTime) -> Value {
    a.ok(&["service", "start", t.title, "--at", &fmt(done - Duration::minutes(20))]);
    for (_, name, prefs) in TRAVELLERS.iter().filter(|r| r.0 == t.title) {
        for (topic, _) in prefs.iter() {
            let at = fmt(done - Duration::minutes(10));
            a.ok(&["service", "ack", t.title, "--traveller", name, "--topic", topic, "--at", &at]);
        }
    }
    a.json(&["service", "complete", t.title, "--at", &fmt(done)])
}

fn build(a: &Agency) {
    // The whole Service team is away on each SERVICE_AWAY trip's due day (marked in August).
    for title in SERVICE_AWAY {
        let t = TRIPS.iter().find(|t| t.title == title).unwrap();
        let due_day = (local(t.start) - Duration::hours(72)).date().to_string();
        for person in ["Sol Reed", "Ivy Park"] {
            a.ok(&["person", "away", person, "--from", &due_day, "--to", &due_day, "--at", "2026-08-20 09:00"]);
        }
    }

    for t in &TRIPS {
        let start = local(t.start);
        let close = start.date() - Duration::days(10);
        let end = hand_off(a, t, close);
        let escalated = SERVICE_AWAY.contains(&t.title);
        let because = if escalated { "escalated" } else { "lead" };
        assert_eq!(end["service_assigned_because"], because, "{}: {end}", t.title);
        assert_eq!(end["service_owner"]["name"], if escalated { "Maya Chen" } else { "Sol Reed" }, "{}", t.title);

        for (i, (_, name, prefs)) in TRAVELLERS.iter().filter(|r| r.0 == t.title).enumerate() {
            let at = format!("{close} 10:{i:02}");
            let mut args = vec!["traveller", "add", t.title, "--name", name, "--at", &at];
            let flags: Vec<String> = prefs.iter().map(|(topic, _)| format!("--{topic}")).collect();
            for ((_, text), flag) in prefs.iter().zip(&flags) {
                args.extend([flag.as_str(), *text]);
            }
            a.ok(&args);
        }

        if let Some(lead) = t.lead {
            let s = service_call(a, t, start - Duration::hours(lead));
            assert_near(&s["lead_hours"], lead as f64, t.title);
            assert_eq!(s["on_time"], lead >= 72, "{}", t.title);
        }

        // Asks on the trip's second day, a minute apart.
        let second_day = start.date() + Duration::days(1);
        for (i, (_, topic, covered)) in ASKS.iter().filter(|r| r.0 == t.title).enumerate() {
            let at = format!("{second_day} 12:{i:02}");
            let text = format!("Had to ask about {topic}");
            let mut args = vec!["ask", "log", t.title, "--topic", topic, "--text", &text, "--at", &at];
            if *covered {
                args.push("--covered");
            }
            a.ok(&args);
        }

        if let Some((_, sentiment, strength)) = SIGNALS.iter().find(|r| r.0 == t.title) {
            let at = format!("{} 10:00", day(t.end) + Duration::days(1));
            let strength = strength.to_string();
            a.ok(&["trip", "signal", t.title, "--sentiment", sentiment, "--strength", &strength, "--at", &at]);
        }
    }

    for (when, reason) in LOGGED_ESCALATIONS {
        a.ok(&["escalation", "log", "--reason", reason, "--as", "Maya Chen", "--at", when]);
    }

    for (review, titles) in PICKS {
        let at = format!("{review} 10:00");
        let mut args = vec!["review", "pick", "--date", review, "--as", "Sam Reyes", "--at", &at];
        args.extend(titles.iter().copied());
        let r = a.json(&args);
        assert_eq!(r["picks"], titles.len(), "review {review}: {r}");
    }

    for (title, at, outcome, within) in FOLLOW_UPS {
        let f = a.json(&["followup", "done", title, "--outcome", outcome, "--as", "Sam Reyes", "--at", at]);
        assert_eq!(f["within_ten_days"], *within, "{title}: {f}");
    }

    for (date, attempts, renewals) in COLD {
        let (attempts, renewals) = (attempts.to_string(), renewals.to_string());
        let at = format!("{date} 17:00");
        a.ok(&["outreach", "cold", "--attempts", &attempts, "--renewals", &renewals, "--date", date, "--at", &at]);
    }
}

fn topics(rows: &[(&str, u64, u64)]) -> Value {
    rows.iter().map(|(t, n, c)| json!({"topic": t, "asks": n, "brief_should_have_covered": c})).collect()
}

#[test]
fn service_and_loop_metrics_match_the_hand_computed_fixture() {
    assert!(TRIPS.len() >= 20);
    let a = Agency::with_service_team();
    build(&a);

    // ---- Fulfilment→Service, all trips ----------------------------------------------------------
    let s = a.json(&["metrics", "service"]);
    assert_eq!(s["service_handoffs_done"], 20, "{s}");
    assert_eq!(s["on_time"], 14, "{s}");
    assert_near(&s["on_time_share"], 0.7, "on_time_share"); // 14 / 20
    assert_near(&s["mean_lead_hours"], 78.5, "mean_lead_hours"); // (1290 + 280) / 20
    assert_eq!(s["delivered_trips"], 22, "every trip ended in September or October");
    assert_near(&s["asks_per_trip"], 0.5, "asks_per_trip"); // 11 covered / 22 delivered
    assert_eq!((s["asks_target_below"].as_f64(), &s["asks_on_target"]), (Some(1.0), &json!(true)), "under one: {s}");
    assert_eq!(
        s["asks_by_topic"],
        topics(&[
            ("dietary", 5, 5),
            ("mobility", 2, 2),
            ("rooming", 3, 3),
            ("medical", 1, 1),
            ("itinerary", 3, 0),
            ("documents", 2, 0),
            ("other", 2, 0),
        ])
    );

    // ---- October starts only: the range selects trips by local start date -----------------------
    // Malta (from local midnight on 1 Oct) through Budapest: 8 trips; Venice (30 Sep 23:30) is out.
    // Done: Malta 84, Sicily 78, Reykjavik −6, Marrakech 96, Tuscany 110, Istanbul 71, Cyprus 72
    //   → 7 done, 5 on time (84 78 96 110 72), mean 505 / 7; Budapest not done.
    // Covered asks: Reykjavik, Istanbul, Budapest → 3 / 8 = 0.375.
    let s = a.json(&["metrics", "service", "--from", "2026-10-01", "--to", "2026-10-31"]);
    assert_eq!(s["service_handoffs_done"], 7, "{s}");
    assert_eq!(s["on_time"], 5, "{s}");
    assert_near(&s["on_time_share"], 5.0 / 7.0, "October on_time_share");
    assert_near(&s["mean_lead_hours"], 505.0 / 7.0, "October mean_lead_hours");
    assert_eq!(s["delivered_trips"], 8, "{s}");
    assert_near(&s["asks_per_trip"], 0.375, "October asks_per_trip");
    assert_eq!(
        s["asks_by_topic"],
        topics(&[
            ("dietary", 1, 1),
            ("mobility", 1, 1),
            ("rooming", 1, 1),
            ("itinerary", 1, 0),
            ("documents", 1, 0),
            ("other", 1, 0),
        ])
    );

    // ---- Month by month, as the app draws it: October is the October range; a month without
    // trips is a gap, never 0 ---------------------------------------------------------------------
    let ctx = crate::fixtures::ctx_at(&a, crate::fixtures::at(30, 12, 0));
    let range = |from: &str, to: &str| handoff_api::dto::RangeRequest { from: Some(from.into()), to: Some(to.into()) };
    let months = handoff_api::metrics_service_monthly(&ctx, range("2026-08-15", "2026-11-02")).unwrap();
    let names: Vec<&str> = months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(names, ["2026-08", "2026-09", "2026-10", "2026-11"]);
    let october = &months[2];
    assert_eq!((october.delivered_trips, october.service_handoffs_done), (8, 7));
    assert_eq!(october.asks_per_trip, Some(0.375));
    assert!((october.on_time_share.unwrap() - 5.0 / 7.0).abs() < 1e-9);
    for empty in [&months[0], &months[3]] {
        assert_eq!((empty.asks_per_trip, empty.on_time_share), (None, None), "{empty:?}");
    }
    let backwards = handoff_api::metrics_service_monthly(&ctx, range("2026-11-02", "2026-08-15")).unwrap_err();
    assert!(backwards.message.contains("before it starts"), "{}", backwards.message);
    drop(ctx);

    // ---- Service→Sales, everything ----------------------------------------------------------------
    // Picked rate 4 / 8 = 0.5 against cold 10 / 100 = 0.1 → lift (0.5 / 0.1 − 1) × 100 = 400 %.
    let l = a.json(&["metrics", "loop"]);
    assert_eq!(l["trips_back"], 22, "{l}");
    assert_eq!(l["reviews_held"], 4, "{l}");
    assert_eq!(l["picks"], 10, "{l}");
    assert_eq!(l["follow_ups_done"], 8, "{l}");
    assert_eq!(l["follow_ups_within_ten_days"], 6, "{l}");
    assert_near(&l["within_ten_days_share"], 0.6, "within_ten_days_share"); // 6 / 10 picks
    assert_eq!(l["picked_renewals"], 4, "{l}");
    assert_near(&l["picked_renewal_rate"], 0.5, "picked_renewal_rate");
    assert_eq!(l["cold_attempts"], 100, "{l}");
    assert_eq!(l["cold_renewals"], 10, "{l}");
    assert_near(&l["cold_renewal_rate"], 0.1, "cold_renewal_rate");
    assert_near(&l["lift_percent"], 400.0, "lift_percent");
    assert_eq!((l["lift_target_percent"].as_f64(), &l["lift_on_target"]), (Some(40.0), &json!(true)), "{l}");

    // ---- October: trips by end date, picks by review date, cold batches by date ------------------
    // Trips ending in October: Porto … Budapest = 10. Reviews 13 and 20 Oct: 5 picks; done Sicily,
    // Reykjavik, Marrakech, Tuscany (4), within: Sicily, Marrakech, Tuscany (3 / 5 = 0.6);
    // renewed Sicily, Marrakech → 2 / 4 = 0.5. Cold: 60 attempts, 8 renewals → 2/15;
    // lift (0.5 / (2/15) − 1) × 100 = (3.75 − 1) × 100 = 275 %.
    let l = a.json(&["metrics", "loop", "--from", "2026-10-01", "--to", "2026-10-31"]);
    assert_eq!(l["trips_back"], 10, "{l}");
    assert_eq!(l["reviews_held"], 2, "{l}");
    assert_eq!(l["picks"], 5, "{l}");
    assert_eq!(l["follow_ups_done"], 4, "{l}");
    assert_eq!(l["follow_ups_within_ten_days"], 3, "{l}");
    assert_near(&l["within_ten_days_share"], 0.6, "October within_ten_days_share");
    assert_eq!(l["picked_renewals"], 2, "{l}");
    assert_near(&l["picked_renewal_rate"], 0.5, "October picked_renewal_rate");
    assert_eq!(l["cold_attempts"], 60, "{l}");
    assert_eq!(l["cold_renewals"], 8, "{l}");
    assert_near(&l["cold_renewal_rate"], 8.0 / 60.0, "October cold_renewal_rate");
    assert_near(&l["lift_percent"], 275.0, "October lift_percent");

    // ---- Founder escalations ----------------------------------------------------------------------
    // Marrakech handed off 29 Sep and the logged call on 30 Sep (both W40, Q3); Cyprus handed off
    // 6 Oct (W41, Q4); the logged overbooking on 20 Oct (W43, Q4).
    let period =
        |rows: &[(&str, u64)]| -> Value { rows.iter().map(|(p, n)| json!({"period": p, "escalations": n})).collect() };
    // From the first escalation to the range's end; quiet weeks are there with 0.
    let e = a.json(&["metrics", "escalations", "--to", "2026-10-31"]);
    assert_eq!(e["total"], 4, "{e}");
    assert_eq!(
        e["per_week"],
        period(&[("2026-W40", 2), ("2026-W41", 1), ("2026-W42", 0), ("2026-W43", 1), ("2026-W44", 0)])
    );
    assert_eq!(e["per_quarter"], period(&[("2026-Q3", 2), ("2026-Q4", 2)]));
    let e = a.json(&["metrics", "escalations", "--from", "2026-10-01", "--to", "2026-10-31"]);
    assert_eq!(e["total"], 2, "{e}");
    assert_eq!(
        e["per_week"],
        period(&[("2026-W40", 0), ("2026-W41", 1), ("2026-W42", 0), ("2026-W43", 1), ("2026-W44", 0)])
    );
    assert_eq!(e["per_quarter"], period(&[("2026-Q4", 2)]));
}
