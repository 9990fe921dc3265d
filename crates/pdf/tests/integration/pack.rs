//! The service handoff pack, read back with poppler: page counts, running header and page
//! numbers, content in order, the never-split rule for table rows (and its last resort),
//! Unicode, replaced characters, metadata. Set HANDOFF_PDF_KEEP=DIR to keep the pagination
//! tests' PDFs there for a look.

use handoff_pdf::*;

use crate::common;
use crate::poppler::{self, assert_in_order, info, page_text, pages, save, text};

fn render(doc: &PackDoc) -> (Rendered, poppler::Pdf) {
    let r = render_pack(doc).unwrap_or_else(|e| panic!("{e}"));
    let pdf = save(&r.bytes);
    assert_eq!(pages(&pdf), r.pages, "Rendered::pages matches the file");
    (r, pdf)
}

/// Every page carries the running header (trip name and agency) and "Page X of Y".
fn assert_running_header_and_numbers(doc: &PackDoc, pdf: &poppler::Pdf, n: usize) {
    for p in 1..=n {
        let t = page_text(pdf, p);
        assert_in_order(
            &t,
            &[&doc.trip_name, "Wayfarer Travel · 72-hour service handoff pack", &format!("Page {p} of {n}")],
        );
    }
}

#[test]
fn page_counts_grow_with_the_roster() {
    // 1 traveller, 3-day trip: cover, roster and itinerary on page 1, the rest on page 2.
    let (r, pdf) = render(&common::pack_with(1, 3));
    assert_eq!(r.pages, 2);
    assert_running_header_and_numbers(&common::pack_with(1, 3), &pdf, 2);

    // 8 travellers, 10 days: the sample pack (roster over pages 1–2, itinerary 2–3, the rest 4).
    let doc = common::pack(8);
    let (r, pdf) = render(&doc);
    assert_eq!(r.pages, 4);
    assert_running_header_and_numbers(&doc, &pdf, 4);

    // 60 travellers, 10 days.
    let doc = common::pack(60);
    let (r, pdf) = render(&doc);
    assert_eq!(r.pages, 11);
    assert_running_header_and_numbers(&doc, &pdf, 11);
    assert_eq!(r.body_size_pt, PACK_BODY_PT);
}

#[test]
fn the_pack_reads_back_whole_and_in_order() {
    let doc = common::pack(8);
    let (r, pdf) = render(&doc);
    assert!(r.replaced.is_empty());
    let t = text(&pdf);
    let mut expected: Vec<String> = vec![
        "72-HOUR SERVICE HANDOFF PACK".into(),
        doc.trip_name.clone(),
        doc.customer.clone(),
        doc.service_owner.clone(),
        doc.trip_dates.clone(),
        doc.fulfilment_owner.clone(),
        doc.destination.clone(),
        doc.due_at.clone(),
        doc.travellers.clone(),
        doc.done_at.clone(),
        doc.lead_time.clone(),
        "Brief SHA-256".into(),
        "3F9A 1C0B 77E2 D410".into(),
        doc.brief_sha256.clone(),
        "Travellers and their preferences".into(),
    ];
    for e in &doc.roster {
        expected.push(e.name.clone());
        for p in &e.preferences {
            let mark = if p.acknowledged { "✓" } else { "⚠" };
            expected.extend([p.topic.clone(), p.text.clone(), format!("{mark} {}", p.status)]);
        }
    }
    expected.push("Itinerary, day by day".into());
    for d in &doc.itinerary {
        expected.push(d.heading.clone());
        for i in &d.items {
            for cell in [&i.time, &i.kind, &i.title, &i.supplier, &i.contact, &i.confirmation] {
                expected.push(if cell.is_empty() { "—".into() } else { cell.clone() });
            }
        }
    }
    expected.push("What we sold and promised".into());
    for (title, body) in &doc.sold_and_promised {
        expected.extend([title.clone(), poppler::as_printed(body)]);
    }
    expected.extend(["Risks and open questions".to_string(), doc.risks.clone(), "Asks logged so far".into()]);
    for a in &doc.asks {
        let covered = if a.covered { "Yes" } else { "No" };
        expected.extend([a.at.clone(), a.traveller.clone(), a.topic.clone(), a.text.clone(), covered.into()]);
    }
    expected.push(format!("Generated {} by {}", doc.generated_at, doc.generator));
    let parts: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_in_order(&t, &parts);
    assert!(t.contains("4 not acknowledged as they read now"), "the roster summary counts open items");
}

/// A pack whose rows have unique start/end markers and varied heights, so that rows straddle
/// page boundaries wherever the layout puts them.
fn marked_pack() -> PackDoc {
    let mut doc = common::pack(0);
    let filler = "Late check-in, ground floor, feather-free bedding and a quiet room away from the lift.";
    doc.roster = (0..45)
        .map(|i| RosterEntry {
            name: format!("Traveller {i:02}"),
            preferences: (0..2)
                .map(|j| {
                    let k = i * 2 + j;
                    PreferenceLine {
                        topic: format!("Topic R{k:03}T"),
                        text: format!("R{k:03}A {} R{k:03}Z", vec![filler; 1 + k % 5].join(" ")),
                        status: format!("Not acknowledged R{k:03}S"),
                        acknowledged: false,
                    }
                })
                .collect(),
        })
        .collect();
    doc.asks = (0..40)
        .map(|k| AskLine {
            at: format!("2027-01-{:02} 10:{:02}", 1 + k % 28, k % 60),
            traveller: format!("Traveller {:02}", k % 45),
            topic: "Rooming".into(),
            text: format!("Q{k:03}A {} Q{k:03}Z", vec![filler; 1 + k % 4].join(" ")),
            covered: k.is_multiple_of(2),
        })
        .collect();
    doc
}

/// The pages (1-based) whose text contains `marker`.
fn pages_with(page_texts: &[String], marker: &str) -> Vec<usize> {
    page_texts.iter().enumerate().filter(|(_, t)| t.contains(marker)).map(|(i, _)| i + 1).collect()
}

#[test]
fn a_table_row_is_never_split_across_pages() {
    let doc = marked_pack();
    let (r, pdf) = render(&doc);
    assert!(r.pages >= 6, "{} pages", r.pages);
    if let Ok(dir) = std::env::var("HANDOFF_PDF_KEEP") {
        std::fs::write(std::path::Path::new(&dir).join("marked-pack.pdf"), &r.bytes).unwrap();
    }
    let texts: Vec<String> = (1..=r.pages).map(|p| page_text(&pdf, p)).collect();
    let mut roster_pages = std::collections::BTreeSet::new();
    for k in 0..90 {
        let parts = [format!("R{k:03}T"), format!("R{k:03}A"), format!("R{k:03}Z"), format!("R{k:03}S")];
        let on: Vec<Vec<usize>> = parts.iter().map(|m| pages_with(&texts, m)).collect();
        assert_eq!(on[0].len(), 1, "row {k} is on exactly one page: {on:?}");
        assert!(on.iter().all(|p| p == &on[0]), "row {k} is split across pages: {on:?}");
        roster_pages.insert(on[0][0]);
    }
    for k in 0..40 {
        let on: Vec<Vec<usize>> =
            [format!("Q{k:03}A"), format!("Q{k:03}Z")].iter().map(|m| pages_with(&texts, m)).collect();
        assert!(on[0].len() == 1 && on[0] == on[1], "ask {k} is split across pages: {on:?}");
    }
    // The roster really does run over several pages, with the column header repeated on each,
    // and a traveller cut by a page break is named again at the top of the next page.
    assert!(roster_pages.len() >= 3, "{roster_pages:?}");
    for p in &roster_pages {
        assert_in_order(&texts[p - 1], &["Topic", "Preference", "Acknowledgement"]);
    }
    // A page that opens in the middle of a traveller names them again, "(continued)".
    let mut continued = 0;
    for p in roster_pages.iter().skip(1) {
        let t = &texts[p - 1];
        let first_row = t.find(" R0").or_else(|| t.find(" R1")).unwrap();
        let heading = t.find("Traveller ").unwrap_or(usize::MAX);
        assert!(heading < first_row, "page {p} starts with a row before any traveller heading:\n{t}");
        continued += t.matches("(continued)").count();
    }
    assert!(continued >= 1, "some page break falls inside a traveller's rows");
}

#[test]
fn a_row_taller_than_a_page_is_continued_line_by_line_as_a_last_resort() {
    let mut doc = common::pack(2);
    let lines: Vec<String> = (1..=220).map(|i| format!("L{i:03} keep the Matterhorn-view room")).collect();
    doc.roster[1].preferences[0].text = lines.join("\n");
    doc.roster[1].preferences[0].topic = "Everything".into();
    let (r, pdf) = render(&doc);
    if let Ok(dir) = std::env::var("HANDOFF_PDF_KEEP") {
        std::fs::write(std::path::Path::new(&dir).join("tall-row-pack.pdf"), &r.bytes).unwrap();
    }
    let texts: Vec<String> = (1..=r.pages).map(|p| page_text(&pdf, p)).collect();
    let first = pages_with(&texts, "L001")[0];
    let last = pages_with(&texts, "L220")[0];
    assert!(last >= first + 2, "the row runs over {first}..{last}");
    // Every line is there exactly once, in order, and every page the row crosses repeats the
    // table header and the traveller, marked as continued.
    let all: String = texts.concat();
    let parts: Vec<String> = (1..=220).map(|i| format!("L{i:03}")).collect();
    assert_in_order(&all, &parts.iter().map(String::as_str).collect::<Vec<_>>());
    for i in 1..=220 {
        assert_eq!(all.matches(&format!("L{i:03} ")).count(), 1);
    }
    for p in first + 1..=last {
        assert_in_order(&texts[p - 1], &["Acknowledgement", &format!("{} (continued)", doc.roster[1].name)]);
    }
    // The rows after it are whole again.
    let after = &doc.roster[1].preferences[1].text;
    assert_eq!(pages_with(&texts, &after[..20]).len(), 1);
}

#[test]
fn unacknowledged_items_are_marked_and_counted() {
    let doc = common::pack(8);
    let (_, pdf) = render(&doc);
    let t = text(&pdf);
    let open = doc.roster.iter().flat_map(|r| &r.preferences).filter(|p| !p.acknowledged).count();
    assert_eq!(t.matches("⚠ ").count(), open);
    assert!(t.contains("⚠ Not acknowledged") && t.contains("⚠ Changed since acknowledged"));
    assert_eq!(
        t.matches("✓ Acknowledged").count(),
        doc.roster.iter().map(|r| r.preferences.len()).sum::<usize>() - open
    );
}

#[test]
fn unicode_survives_and_undrawable_characters_are_replaced_and_reported() {
    let mut doc = common::pack(3);
    doc.roster[0].name = "Zoë Müller".into();
    doc.roster[1].name = "İlkay Łódź-Straße".into();
    doc.roster[2].preferences[0].text = "Ελληνικά menu; Кириллица signage; 50 € deposit; 寿司 🍣 please".into();
    doc.trip_name = "Zermatt 🎉 retreat".into();
    let (r, pdf) = render(&doc);
    assert_eq!(r.replaced, ['🎉', '寿', '司', '🍣']);
    let t = text(&pdf);
    // (The preference wraps inside its cell, so it is compared with whitespace ignored.)
    assert_in_order(
        &t,
        &[
            "Zoë Müller",
            "İlkay Łódź-Straße",
            "Ελληνικά menu; Кириллица signage; 50 € deposit; \u{FFFD}\u{FFFD} \u{FFFD} please",
        ],
    );
    assert!(t.contains("Zoë Müller") && t.contains("İlkay Łódź-Straße"));
    assert!(page_text(&pdf, 2).contains("Zermatt \u{FFFD} retreat"), "the running header too");
}

#[test]
fn empty_parts_say_so() {
    let mut doc = common::pack(0);
    doc.itinerary.clear();
    doc.sold_and_promised.clear();
    doc.risks.clear();
    let (r, pdf) = render(&doc);
    assert_eq!(r.pages, 1);
    assert_in_order(
        &text(&pdf),
        &[
            "No travellers on the roster yet.",
            "No itinerary items yet.",
            "What we sold and promised",
            "—",
            "Risks and open questions",
            "—",
            "No asks logged yet.",
        ],
    );
}

#[test]
fn metadata_names_the_pack_the_agency_and_the_brief_hash() {
    let mut doc = common::pack(1);
    doc.page = PageSize::Letter;
    let (_, pdf) = render(&doc);
    assert_eq!(info(&pdf, "Title"), format!("Service handoff pack — {}", doc.trip_name));
    assert_eq!(info(&pdf, "Author"), "Wayfarer Travel");
    assert_eq!(info(&pdf, "Subject"), format!("72-hour service handoff pack, brief SHA-256 {}", common::SHA));
    assert!(info(&pdf, "Keywords").contains(common::SHA));
    assert!(info(&pdf, "Page size").starts_with("612 x 792"));
}
