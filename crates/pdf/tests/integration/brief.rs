//! The one-page brief, read back with poppler: content and order, one page whatever the length,
//! the step-down and the refusal, the DRAFT mark, Unicode, replaced characters, metadata.

use handoff_pdf::*;

use crate::common;
use crate::poppler::{self, as_printed, assert_in_order, info, layout_text, pages, save, text, words};

fn render(doc: &BriefDoc) -> (Rendered, poppler::Pdf) {
    let r = render_brief(doc).unwrap_or_else(|e| panic!("{e}"));
    let pdf = save(&r.bytes);
    (r, pdf)
}

#[test]
fn a_signed_brief_reads_back_whole_and_in_order() {
    let doc = common::brief();
    let (r, pdf) = render(&doc);
    assert_eq!((r.pages, pages(&pdf)), (1, 1));
    assert_eq!(r.body_size_pt, 9.5, "the realistic brief steps down once");
    assert!(r.replaced.is_empty());
    let t = text(&pdf);

    let mut expected: Vec<String> = vec![
        doc.agency.clone(),
        "Sales → Fulfilment handoff brief".into(),
        doc.deal_title.clone(),
        "Customer".into(),
        doc.customer.clone(),
        "Value".into(),
        doc.value.clone(),
        "Destination".into(),
        doc.destination.clone(),
        "Sales author".into(),
        doc.sales_author.clone(),
        "Trip dates".into(),
        doc.trip_dates.clone(),
        "Fulfilment owner".into(),
        doc.fulfilment_owner.clone(),
        "Travellers".into(),
        doc.travellers.clone(),
    ];
    for (title, body) in &doc.sections {
        expected.push(title.clone());
        expected.push(as_printed(body));
    }
    expected.extend(["Sign-off".to_string(), "Brief SHA-256".into(), "3F9A 1C0B 77E2 D410".into()]);
    for s in &doc.signoffs {
        expected.extend([s.name.clone(), s.role.clone(), "VALID".into(), format!("Signed {}", s.at)]);
        expected.extend([s.signed_sha256.clone(), s.key_fingerprint.clone()]);
    }
    expected.extend([
        "Full SHA-256 of this brief".to_string(),
        doc.sha256.clone(),
        format!("Generated {} by {}", doc.generated_at, doc.generator),
    ]);
    let parts: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_in_order(&t, &parts);
    // The URL in the risks breaks across lines but is all there, and nothing says DRAFT.
    assert!(!t.contains("DRAFT"));
    assert!(!t.contains("STALE") && !t.contains("NOT SIGNED"));
}

#[test]
fn the_full_hash_is_on_one_line_and_the_short_form_reads_aloud() {
    let (_, pdf) = render(&common::brief());
    let t = text(&pdf);
    let line = t.lines().find(|l| l.starts_with("Full SHA-256 of this brief")).unwrap();
    assert!(line.ends_with(common::SHA), "{line}");
    assert!(t.lines().any(|l| l.contains("Brief SHA-256") || l.contains("3F9A 1C0B 77E2 D410")));
}

#[test]
fn the_brief_is_one_page_short_normal_long_and_on_letter() {
    let mut short = common::brief();
    for (i, (_, body)) in short.sections.iter_mut().enumerate() {
        if i > 0 {
            body.clear();
        }
    }
    let (r, pdf) = render(&short);
    assert_eq!((r.pages, pages(&pdf), r.body_size_pt), (1, 1, 10.0));
    // Six empty sections show a muted dash under their titles.
    let t = text(&pdf);
    for (title, _) in &short.sections[1..] {
        assert_in_order(&t, &[title, "—"]);
    }

    // Long, but it fits once the body steps down.
    let long = common::brief_longer(150);
    let fit = measure_brief(&long);
    let (r, pdf) = render(&long);
    assert_eq!((r.pages, pages(&pdf)), (1, 1));
    assert!(r.body_size_pt < 9.5 && r.body_size_pt >= BODY_MIN_PT, "{}", r.body_size_pt);
    assert_eq!(r.body_size_pt, 7.5);
    assert!(fit.fits && fit.over_percent == 0.0 && fit.body_size_pt == r.body_size_pt, "{fit:?}");
    assert_in_order(&text(&pdf), &["Risks and open questions", "supplier weather transfer", "First steps"]);

    let mut letter = common::brief();
    letter.page = PageSize::Letter;
    let (r, pdf) = render(&letter);
    assert_eq!(pages(&pdf), 1);
    assert!(info(&pdf, "Page size").starts_with("612 x 792"), "{}", info(&pdf, "Page size"));
    assert_eq!(r.body_size_pt, measure_brief(&letter).body_size_pt);
}

#[test]
fn ten_times_normal_length_is_refused_naming_the_longest_sections() {
    let huge = common::brief_scaled(10);
    let err = render_brief(&huge).unwrap_err();
    let PdfError::TooLong { min_size_pt, over_percent, longest } = &err else { panic!("{err:?}") };
    assert_eq!(*min_size_pt, 7.0);
    assert!(*over_percent > 100.0, "{over_percent}");
    let names: Vec<&str> = longest.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(names, ["What was sold", "Risks and open questions", "Promises and expectations"]);
    assert!(longest.windows(2).all(|w| w[0].1 >= w[1].1));
    assert_eq!(longest[0].1, huge.sections[2].1.chars().count());
    assert!(err.to_string().contains("What was sold: "), "{err}");

    // The meter says the same.
    let fit = measure_brief(&huge);
    assert!(!fit.fits);
    assert_eq!(fit.body_size_pt, *min_size_pt);
    assert_eq!(fit.over_percent, *over_percent);
    assert_eq!(&fit.longest_sections, longest);

    // Just over the edge is refused too, and the meter agrees everywhere on the way.
    for words in [0, 100, 150, 250, 400] {
        let doc = common::brief_longer(words);
        let fit = measure_brief(&doc);
        match render_brief(&doc) {
            Ok(r) => assert!(fit.fits && fit.body_size_pt == r.body_size_pt, "{words}: {fit:?}"),
            Err(PdfError::TooLong { over_percent, .. }) => {
                assert!(!fit.fits && fit.over_percent == over_percent, "{words}: {fit:?}")
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert!(!measure_brief(&common::brief_longer(400)).fits);
}

#[test]
fn drafts_carry_the_draft_mark_and_signed_briefs_do_not() {
    let mut draft = common::brief();
    draft.draft = true;
    draft.signoffs = common::signoffs(false);
    let (r, pdf) = render(&draft);
    assert_eq!(r.pages, 1);
    let t = text(&pdf);
    assert!(t.contains("DRAFT — not signed"), "{t}");
    assert!(t.contains("STALE — must re-sign") && t.contains("NOT SIGNED"));
    assert!(t.contains(common::OLD_SHA), "the stale signature shows the hash it signed");
    // The watermark is drawn as shapes, so the rest still extracts cleanly, in order.
    let sections: Vec<String> = draft.sections.iter().flat_map(|(t, b)| [t.clone(), as_printed(b)]).collect();
    let parts: Vec<&str> = sections.iter().map(String::as_str).collect();
    assert_in_order(&t, &parts);
    assert_eq!(t.matches("DRAFT").count(), 1);
    let layout = layout_text(&pdf);
    assert!(layout.contains("Zermatt, Switzerland") && layout.contains("Łukasz Wójcik"));

    let (_, pdf) = render(&common::brief());
    assert!(!text(&pdf).contains("DRAFT"));
}

#[test]
fn unicode_names_come_back_intact() {
    let mut doc = common::brief();
    doc.customer = "Zoë Müller".into();
    doc.destination = "Łódź and İstanbul".into();
    doc.fulfilment_owner = "Ελληνικά Кириллица".into();
    doc.sections[0].1 = "Straße, 1.200 € pro Person; Ελληνικά; Кириллица; İstanbul; Łódź; Zoë Müller.".into();
    let (r, pdf) = render(&doc);
    assert!(r.replaced.is_empty(), "{:?}", r.replaced);
    let t = text(&pdf);
    for s in
        ["Zoë Müller", "Łódź and İstanbul", "Ελληνικά Кириллица", "Straße, 1.200 € pro Person; Ελληνικά; Кириллица"]
    {
        assert!(t.contains(s), "{s} in\n{t}");
    }
}

#[test]
fn characters_the_font_cannot_draw_are_replaced_visibly_and_reported() {
    let mut doc = common::brief();
    doc.deal_title = "Tokyo 東京 kick-off 🎉".into();
    doc.sections[1].1 = "Dinner at 東京 Tower 🎉🎉, then karaoke.".into();
    let (r, pdf) = render(&doc);
    assert_eq!(r.replaced, ['東', '京', '🎉']);
    let t = text(&pdf);
    assert!(t.contains("Tokyo \u{FFFD}\u{FFFD} kick-off \u{FFFD}"), "{t}");
    assert!(t.contains("Dinner at \u{FFFD}\u{FFFD} Tower \u{FFFD}\u{FFFD}, then karaoke."), "{t}");
    assert!(measure_brief(&doc).fits);
}

#[test]
fn metadata_names_the_brief_the_agency_and_the_hash() {
    let doc = common::brief();
    let (_, pdf) = render(&doc);
    assert_eq!(info(&pdf, "Title"), format!("Brief — {}", doc.deal_title));
    assert_eq!(info(&pdf, "Author"), "Wayfarer Travel");
    assert_eq!(info(&pdf, "Subject"), format!("One-page handoff brief, SHA-256 {}", common::SHA));
    assert!(info(&pdf, "Keywords").contains(common::SHA));
    assert_eq!(info(&pdf, "Creator"), "Handoff 0.1.0");
    // The creation date comes from `created` (an instant with its offset), never from the clock.
    let all = std::process::Command::new("pdfinfo").args(["-isodates"]).arg(&pdf.path).output().unwrap();
    let all = String::from_utf8_lossy(&all.stdout);
    assert!(all.contains("2026-03-03T14:20:00"), "{all}");
    assert!(!all.contains("PDF subtype"), "{all}");
    // Without it, and with only a named zone to go on, no creation date is claimed.
    let mut unknown = common::brief();
    unknown.created = String::new();
    let (_, none) = render(&unknown);
    let none = std::process::Command::new("pdfinfo").arg(&none.path).output().unwrap();
    assert!(!String::from_utf8_lossy(&none.stdout).contains("CreationDate"));
    let mut utc = common::brief();
    utc.created = String::new();
    utc.generated_at = "2026-03-03 14:20 UTC".into();
    let (_, pdf) = render(&utc);
    assert!(info(&pdf, "CreationDate").contains("2026"));
}

#[test]
fn right_to_left_names_are_drawn_joined_and_in_reading_order() {
    let mut doc = common::brief();
    doc.deal_title = "رحلة دبي".into(); // "Dubai trip": rihla, dubai
    doc.customer = "שרה כהן".into(); // Sarah Cohen
    let (r, pdf) = render(&doc);
    assert!(r.replaced.is_empty(), "{:?}", r.replaced);
    let drawn = words(&pdf);
    let at = |glyphs: &str| {
        drawn.iter().find(|(_, _, w)| w == glyphs).unwrap_or_else(|| panic!("{glyphs:?} is not drawn: {drawn:?}"))
    };
    // Arabic: each letter in its joined form (final yeh, initial beh, isolated dal; final teh
    // marbuta, medial lam, initial hah, isolated reh), each word's glyphs right to left, and
    // the first word read on the right.
    let (dubai, rihla) = (at("\u{FEF2}\u{FE91}\u{FEA9}"), at("\u{FE94}\u{FEE0}\u{FEA3}\u{FEAD}"));
    assert_eq!(dubai.1, rihla.1, "one line");
    assert!(rihla.0 > dubai.0, "the first word is read on the right: {rihla:?} {dubai:?}");
    assert!(
        !drawn.iter().any(|(_, _, w)| w.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))),
        "an unjoined Arabic letter"
    );
    // Hebrew: right to left, the first name on the right.
    let (sarah, cohen) = (at("הרש"), at("ןהכ"));
    assert_eq!(sarah.1, cohen.1, "one line");
    assert!(sarah.0 > cohen.0, "the first name is read on the right: {sarah:?} {cohen:?}");
}
