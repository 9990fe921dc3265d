//! Realistic view models shared by the integration tests and `examples/samples.rs`: Wayfarer
//! Travel's Zermatt leadership retreat for Novatech AG.
#![allow(dead_code)]

use handoff_pdf::*;

pub const SHA: &str = "3f9a1c0b77e2d410b5c86e0f2a9d4c3e1b7a605f8e2d9c4b3a1f0e6d5c4b3a29";
pub const OLD_SHA: &str = "9c04e1d2a7b3f6085e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f";

pub fn sections() -> Vec<(String, String)> {
    let s = |t: &str, b: &str| (t.to_string(), b.to_string());
    vec![
        s(
            "Customer",
            "Novatech AG, Zürich — leadership team of 24 (CEO, managing board and country leads).\n\
             Main contact: Zoë Müller-Brandt, Chief of Staff, zoe.mueller@novatech.example, +41 44 555 01 23. \
             Invoices to finance@novatech.example, PO 4500-2291 must appear on every invoice.",
        ),
        s(
            "Trip",
            "Mon 1 Feb 2027 – Fri 5 Feb 2027, Zermatt (car-free village; last leg by train from Täsch). \
             24 travellers flying in from Zürich, Frankfurt, Warsaw and İstanbul; two arrive a day late (Sun board meeting).",
        ),
        s(
            "What was sold",
            "- 4 nights at Hotel Mont Cervin Palace, 24 superior rooms, half board, incl. city tax\n\
             - Private transfers Zürich Airport → Täsch, shuttle Täsch ⇄ Zermatt, luggage service to the hotel\n\
             - Two strategy days in the Matterhorn meeting room with AV, day-delegate rate\n\
             - Gornergrat dinner on Wed 3 Feb with private train up and down\n\
             Price 84,600.00 CHF, 30% deposit paid 12 Jan; balance due 4 weeks before travel.",
        ),
        s(
            "Promises and expectations",
            "We promised the CEO a room with Matterhorn view and a quiet floor. Thorough ski-hire fitting on arrival \
             afternoon so Tuesday starts on the slopes at 08:30 sharp. Zoë expects one WhatsApp group for the whole \
             team and a printed pocket itinerary in German and English.",
        ),
        s(
            "Preferences",
            "Two vegetarians, one coeliac (strict, no cross-contamination), one halal. Jiří Novák uses a walking stick: \
             ground-floor or lift-adjacent room. The Łódź country lead travels with his partner (separate invoice).",
        ),
        s(
            "Risks and open questions",
            "Gornergrat dinner is weather-dependent: confirm the Riffelalp fallback by 20 Jan. \
             Board members on the late arrival may miss the last shuttle at 23:10 — book a taxi-hire backup. \
             Details: https://www.zermatt.ch/en/Media/Planning-tools/Timetables-for-transport-and-lifts",
        ),
        s(
            "First steps",
            "Confirm rooming list with Zoë by Fri; request ski sizes via the form; hold Riffelalp fallback; \
             send the draft pocket itinerary for translation.",
        ),
    ]
}

pub fn signoffs(valid: bool) -> Vec<Signoff> {
    vec![
        Signoff {
            name: "Zoë Müller".into(),
            role: "Sales author".into(),
            at: "2026-03-03 14:10 Europe/London".into(),
            state: if valid { SignoffState::Valid } else { SignoffState::Stale },
            signed_sha256: if valid { SHA.into() } else { OLD_SHA.into() },
            key_fingerprint: "3f9a 1c0b 77e2 d410".into(),
        },
        Signoff {
            name: "Łukasz Wójcik".into(),
            role: "Fulfilment owner".into(),
            at: if valid { "2026-03-03 14:16 Europe/London".into() } else { String::new() },
            state: if valid { SignoffState::Valid } else { SignoffState::Missing },
            signed_sha256: if valid { SHA.into() } else { String::new() },
            key_fingerprint: if valid { "b71e 09ac 4d3f 2e60".into() } else { String::new() },
        },
    ]
}

pub fn brief() -> BriefDoc {
    BriefDoc {
        page: PageSize::A4,
        agency: "Wayfarer Travel".into(),
        deal_title: "Novatech AG — Zermatt leadership retreat 2027".into(),
        customer: "Novatech AG".into(),
        value: "84,600.00 CHF".into(),
        trip_dates: "1 Feb 2027 – 5 Feb 2027".into(),
        destination: "Zermatt, Switzerland".into(),
        travellers: "24 travellers".into(),
        sales_author: "Zoë Müller".into(),
        fulfilment_owner: "Łukasz Wójcik".into(),
        sections: sections(),
        signoffs: signoffs(true),
        sha256: SHA.into(),
        draft: false,
        generated_at: "2026-03-03 14:20 Europe/London".into(),
        created: "2026-03-03T14:20:00+00:00".into(),
        generator: "Handoff 0.1.0".into(),
    }
}

/// The brief with `words` more words of risks (for the step-down).
pub fn brief_longer(words: usize) -> BriefDoc {
    let mut b = brief();
    let extra: Vec<&str> = ["supplier", "weather", "transfer", "deposit", "rooming", "allergy", "visa", "backup"]
        .iter()
        .cycle()
        .take(words)
        .copied()
        .collect();
    b.sections[5].1.push_str("\n\n");
    b.sections[5].1.push_str(&extra.join(" "));
    b
}

/// The brief with every section's text repeated `times` times (paragraph breaks kept).
pub fn brief_scaled(times: usize) -> BriefDoc {
    let mut b = brief();
    for (_, text) in &mut b.sections {
        *text = vec![text.clone(); times].join("\n\n");
    }
    b
}

const FIRST: [&str; 12] =
    ["Zoë", "Jiří", "Ayşe", "Łukasz", "Søren", "Anaïs", "Björn", "Małgorzata", "José", "Inès", "Dmitri", "Eleni"];
const LAST: [&str; 10] =
    ["Müller", "Novák", "Yılmaz", "Wójcik", "Kjærgaard", "Lefèvre", "Åström", "Dąbrowska", "Núñez", "Papadopoulou"];

fn traveller_name(i: usize) -> String {
    format!("{} {}", FIRST[i % FIRST.len()], LAST[(i * 7 + i / FIRST.len()) % LAST.len()])
}

fn preferences(i: usize) -> Vec<PreferenceLine> {
    let p = |topic: &str, text: &str, status: &str, ack: bool| PreferenceLine {
        topic: topic.into(),
        text: text.into(),
        status: status.into(),
        acknowledged: ack,
    };
    let ack = "Acknowledged 2027-01-28 09:12";
    let mut v = vec![match i % 4 {
        0 => p("Dietary", "Vegetarian; no mushrooms.", ack, true),
        1 => p("Dietary", "Coeliac — strict, no cross-contamination; kitchen briefed in writing.", ack, true),
        2 => p(
            "Dietary",
            "Halal meals at every group dinner, including the Gornergrat evening.",
            "Not acknowledged",
            false,
        ),
        _ => p("Dietary", "No restrictions.", ack, true),
    }];
    if i.is_multiple_of(3) {
        v.push(p(
            "Mobility",
            "Walking stick: ground-floor or lift-adjacent room; no steep paths on the Gornergrat evening.",
            if i.is_multiple_of(2) { "Changed since acknowledged" } else { ack },
            !i.is_multiple_of(2),
        ));
    }
    v.push(p(
        "Rooming and family dynamics",
        match i % 3 {
            0 => "Single room, quiet floor, Matterhorn view promised by Sales.",
            1 => "Shares with partner (separate invoice); not next to the board members.",
            _ => "Single room; early riser — breakfast from 06:30 please.",
        },
        ack,
        true,
    ));
    v
}

pub fn itinerary(days: usize) -> Vec<ItineraryDay> {
    let l = |time: &str, kind: &str, title: &str, supplier: &str, contact: &str, conf: &str| ItineraryLine {
        time: time.into(),
        kind: kind.into(),
        title: title.into(),
        supplier: supplier.into(),
        contact: contact.into(),
        confirmation: conf.into(),
    };
    let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    (0..days)
        .map(|d| {
            let heading = format!("Day {} — {} {} Feb 2027", d + 1, names[d % 7], d + 1);
            let items = match d {
                0 => vec![
                    l(
                        "07:45",
                        "Flight",
                        "LX 1071 Warsaw → Zürich (6 travellers)",
                        "SWISS",
                        "+41 848 700 700",
                        "LX-7QK2PZ",
                    ),
                    l(
                        "11:30",
                        "Transfer",
                        "Zürich Airport → Täsch, private coach",
                        "Alpine Coaches AG",
                        "dispatch@alpinecoaches.example",
                        "AC-20270201-14",
                    ),
                    l(
                        "15:00",
                        "Hotel",
                        "Check-in, Mont Cervin Palace — 24 superior rooms",
                        "Mont Cervin Palace",
                        "+41 27 966 88 88",
                        "MCP-884213",
                    ),
                    l(
                        "16:30",
                        "Activity",
                        "Ski-hire fitting for the whole group",
                        "Matterhorn Sport",
                        "rent@matterhornsport.example",
                        "MS-5521",
                    ),
                ],
                2 => vec![
                    l(
                        "08:30",
                        "Meeting",
                        "Strategy day 2 — Matterhorn room, AV and day-delegate rate",
                        "Mont Cervin Palace",
                        "events@montcervin.example",
                        "MCP-EV-0302",
                    ),
                    l(
                        "18:15",
                        "Train",
                        "Private Gornergrat train up",
                        "Gornergrat Bahn",
                        "groups@gornergrat.example",
                        "GGB-PRV-118",
                    ),
                    l(
                        "19:00",
                        "Dinner",
                        "Gornergrat dinner (fallback: Riffelalp)",
                        "3100 Kulmhotel Gornergrat",
                        "+41 27 966 64 00",
                        "KG-2027-0203",
                    ),
                ],
                _ => vec![
                    l(
                        "08:30",
                        "Activity",
                        "Guided ski morning, two groups by level",
                        "Swiss Ski School Zermatt",
                        "info@skischool.example",
                        &format!("SSZ-{:04}", 4100 + d),
                    ),
                    l(
                        "13:00",
                        "Meeting",
                        "Afternoon workshop, Matterhorn room",
                        "Mont Cervin Palace",
                        "events@montcervin.example",
                        &format!("MCP-EV-{:04}", 300 + d),
                    ),
                    l("", "Note", "Free evening; restaurant suggestions in the pocket itinerary", "", "", ""),
                ],
            };
            ItineraryDay { heading, items }
        })
        .collect()
}

/// An 8-traveller-style pack with a 10-day itinerary.
pub fn pack(travellers: usize) -> PackDoc {
    pack_with(travellers, 10)
}

pub fn pack_with(travellers: usize, days: usize) -> PackDoc {
    let roster =
        (0..travellers).map(|i| RosterEntry { name: traveller_name(i), preferences: preferences(i) }).collect();
    let asks = (0..travellers.div_ceil(2))
        .map(|i| AskLine {
            at: format!("2027-01-{:02} {:02}:{:02}", 10 + i % 18, 9 + i % 8, (i * 13) % 60),
            traveller: traveller_name(i * 2),
            topic: ["Dietary", "Transfers", "Rooming", "Activities"][i % 4].into(),
            text: [
                "Can the hotel confirm the coeliac menu in writing?",
                "Late arrival on Sunday — is there a shuttle after 23:10?",
                "Would like to swap to a room with a bathtub.",
                "Is the Gornergrat dinner still on if it snows?",
            ][i % 4]
                .into(),
            covered: i.is_multiple_of(3),
        })
        .collect();
    PackDoc {
        page: PageSize::A4,
        agency: "Wayfarer Travel".into(),
        trip_name: "Novatech AG — Zermatt leadership retreat 2027".into(),
        customer: "Novatech AG".into(),
        trip_dates: format!("1 Feb 2027 – {} Feb 2027", days.max(1)),
        destination: "Zermatt, Switzerland".into(),
        travellers: format!("{travellers} travellers"),
        service_owner: "Inès Lefèvre".into(),
        fulfilment_owner: "Łukasz Wójcik".into(),
        due_at: "2027-01-29 08:00 Europe/London".into(),
        done_at: "2027-01-28 16:40 Europe/London".into(),
        lead_time: "87 h 20 min before the trip (due 72 h)".into(),
        brief_sha256: SHA.into(),
        roster,
        itinerary: itinerary(days),
        sold_and_promised: sections()
            .into_iter()
            .filter(|(t, _)| t == "What was sold" || t == "Promises and expectations")
            .collect(),
        risks: sections()
            .into_iter()
            .find(|(t, _)| t == "Risks and open questions")
            .map(|(_, b)| b)
            .unwrap_or_default(),
        asks,
        generated_at: "2027-01-28 16:45 Europe/London".into(),
        created: "2027-01-28T16:45:00+00:00".into(),
        generator: "Handoff 0.1.0".into(),
    }
}
