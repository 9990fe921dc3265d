//! The PDFs for the trip file, exported through the real `handoff` binary and read back with
//! poppler's `pdftotext` and `pdfinfo`: the one-page brief (draft until both sign), the service
//! pack, safe writing, and `handoff verify brief` catching a brief changed after sign-off.

use std::path::Path;
use std::process::Command;

use crate::fixtures::{in_meeting_with_full_brief, sign_both};
use crate::util::{p, Agency};

fn text(pdf: &Path) -> String {
    let out =
        Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn the_brief_is_one_page_with_every_field_and_is_a_draft_until_both_sign() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    let draft = a.path("draft.pdf");
    let r = a.json(&["export", "brief", "Alpine retreat", "--out", p(&draft)]);
    assert_eq!((r["pages"].as_u64(), r["draft"].as_bool()), (Some(1), Some(true)));
    assert_eq!(pages(&draft), 1);
    assert!(text(&draft).contains("DRAFT"), "a draft says so");

    sign_both(&a, "2026-03-03 14:10");
    let signed = a.path("signed.pdf");
    let r = a.json(&["export", "brief", "Alpine retreat", "--out", p(&signed)]);
    assert_eq!(r["draft"], false);
    assert!(r["bytes"].as_u64().unwrap() < 100 * 1024, "a brief stays small: {r}");
    let t = text(&signed);
    assert!(!t.contains("DRAFT"), "{t}");
    let sha = r["brief_sha256"].as_str().unwrap();
    for expected in [
        "Wayfarer Travel",
        "Alpine retreat",
        "Zoë Müller (Łódź)",
        "60,000.00 EUR",
        "Zermatt",
        "24 travellers",
        "Sam Reyes",
        "Fay Okafor",
        "Customer",
        "Trip",
        "What was sold",
        "Promises and expectations",
        "Preferences",
        "Risks and open questions",
        "First steps",
        "İstanbul",
        "Ελληνικά",
        "Кириллица",
        "Straße",
        "€60,000",
        sha,
    ] {
        assert!(t.contains(expected), "{expected:?} missing from the brief:\n{t}");
    }
    let info = String::from_utf8(Command::new("pdfinfo").arg(&signed).output().unwrap().stdout).unwrap();
    for field in ["Title:", "Author:", "Subject:", "CreationDate:"] {
        assert!(info.contains(field), "{field} missing from the metadata:\n{info}");
    }
    assert!(info.contains(sha), "the hash is in the metadata:\n{info}");
    let verified = a.json(&["verify", "brief", p(&signed)]);
    assert_eq!(verified["ok"], true, "{verified}");
    assert_eq!(verified["signatures"].as_array().unwrap().len(), 2);
    assert!(verified["signatures"].as_array().unwrap().iter().all(|s| s["verifies"] == true));
}

#[test]
fn the_brief_writes_the_value_as_the_agency_writes_numbers() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    a.ok(&["agency", "set", "--locale", "de-DE"]);
    let file = a.path("german.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&file)]);
    let t = text(&file);
    assert!(t.contains("60.000,00 EUR") && !t.contains("60,000.00"), "{t}");
}

#[test]
fn printing_from_the_app_gets_the_export_s_pages_without_writing_or_sealing_anything() {
    use base64::Engine as _;
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    let ctx = crate::fixtures::ctx_at(&a, chrono::Utc::now());
    let before = a.snapshot_counts();
    let req = |paper| handoff_api::dto::PrintRequest { deal: "Alpine retreat".into(), paper };
    let printable = handoff_api::pdf_for_print(&ctx, req(handoff_api::dto::TripPaper::Brief)).unwrap();
    assert_eq!((printable.title.as_str(), printable.pages, printable.draft), ("Alpine retreat — brief", 1, true));
    let file = a.path("printed.pdf");
    std::fs::write(&file, base64::engine::general_purpose::STANDARD.decode(&printable.pdf).unwrap()).unwrap();
    assert_eq!(pages(&file), 1);
    let t = text(&file);
    assert!(t.contains("Zoë Müller (Łódź)") && t.contains("DRAFT"), "{t}");
    // Paper carries no digital signature: nothing is sealed, and nothing is recorded.
    let sig = Command::new("pdfsig").arg(&file).output().unwrap();
    assert!(String::from_utf8_lossy(&sig.stdout).contains("does not contain any signatures"), "{sig:?}");
    assert_eq!(a.snapshot_counts(), before);

    let err = handoff_api::pdf_for_print(
        &ctx,
        handoff_api::dto::PrintRequest { deal: "Atlantis".into(), paper: handoff_api::dto::TripPaper::ServicePack },
    )
    .unwrap_err();
    assert!(err.message.contains("Atlantis"), "{}", err.message);
}

#[test]
fn an_edit_after_sign_off_makes_the_export_a_draft_and_the_old_file_fails_verification() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    sign_both(&a, "2026-03-03 14:10");
    let signed = a.path("signed.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&signed)]);
    a.ok(&["verify", "brief", p(&signed), "--deal", "Alpine retreat"]);

    a.ok(&[
        "brief",
        "set",
        "Alpine retreat",
        "--section",
        "risks",
        "--text",
        "Two passports expire",
        "--at",
        "2026-03-03 14:12",
    ]);
    let out = a.run(&["verify", "brief", p(&signed)]);
    assert_eq!(out.status.code(), Some(1), "the earlier signed file no longer matches the brief");
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("NOT VERIFIED") && report.contains("DIFFERENT"), "{report}");

    let edited = a.path("edited.pdf");
    let r = a.json(&["export", "brief", "Alpine retreat", "--out", p(&edited)]);
    assert_eq!(r["draft"], true);
    assert!(text(&edited).contains("DRAFT"));
    let out = a.run(&["--json", "verify", "brief", p(&edited)]);
    assert_eq!(out.status.code(), Some(1), "stale signatures do not verify");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["matches_current"], true);
    assert_eq!(report["ok"], false);

    sign_both(&a, "2026-03-03 14:13");
    let resigned = a.path("resigned.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&resigned)]);
    a.ok(&["verify", "brief", p(&resigned)]);
}

#[test]
fn exports_never_overwrite_unasked_and_never_leave_half_files() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    let out = a.write("brief.pdf", "my own notes");
    let err = a.refused(&["export", "brief", "Alpine retreat", "--out", p(&out)]);
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my own notes");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&out), "--force"]);
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));

    let missing_folder = a.dir.path().join("no/such/folder/x.pdf");
    let err = a.refused(&["export", "brief", "Alpine retreat", "--out", p(&missing_folder)]);
    assert!(err.contains("does not exist"), "{err}");

    // Ten times the normal length does not fit one page: refused, and no file at all.
    let long =
        "Every traveller needs a separate confirmation of their ski pass, boot size and lesson level. ".repeat(60);
    a.ok(&["brief", "set", "Alpine retreat", "--section", "risks", "--text", &long]);
    a.ok(&["brief", "set", "Alpine retreat", "--section", "sold", "--text", &long[..3000]]);
    let too_long = a.path("too-long.pdf");
    let err = a.refused(&["export", "brief", "Alpine retreat", "--out", p(&too_long)]);
    assert!(err.contains("does not fit on one page"), "{err}");
    assert!(err.contains("Risks and open questions"), "{err}");
    assert!(!too_long.exists());
    let leftovers: Vec<_> = std::fs::read_dir(a.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "half-written files left behind");
    let fit = a.json(&["brief", "fit", "Alpine retreat"]);
    assert_eq!(fit["fits"], false);
}

#[test]
fn the_service_pack_carries_the_roster_itinerary_and_asks() {
    let a = Agency::with_service();
    in_meeting_with_full_brief(&a);
    sign_both(&a, "2026-03-03 14:10");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:15"]);
    let err = a.refused(&["export", "service-pack", "Nowhere", "--out", p(&a.path("x.pdf"))]);
    assert!(err.contains("no deal"), "{err}");
    a.ok(&[
        "traveller",
        "add",
        "Alpine retreat",
        "--name",
        "Zoë Müller",
        "--dietary",
        "coeliac",
        "--at",
        "2026-03-04 09:00",
    ]);
    a.ok(&[
        "traveller",
        "add",
        "Alpine retreat",
        "--name",
        "Kenji 東京",
        "--mobility",
        "wheelchair",
        "--at",
        "2026-03-04 09:01",
    ]);
    a.ok(&[
        "itinerary",
        "add",
        "Alpine retreat",
        "--day",
        "2026-06-01",
        "--time",
        "07:30",
        "--kind",
        "flight",
        "--title",
        "LX 317 LHR→ZRH",
        "--supplier",
        "SWISS",
        "--confirmation",
        "K7QX2P",
        "--at",
        "2026-03-04 09:02",
    ]);
    a.ok(&["service", "start", "Alpine retreat", "--at", "2026-05-28 09:00"]);
    a.ok(&["service", "ack", "Alpine retreat", "--traveller", "Zoë", "--topic", "dietary", "--at", "2026-05-28 09:01"]);
    a.ok(&[
        "ask",
        "log",
        "Alpine retreat",
        "--topic",
        "dietary",
        "--traveller",
        "Zoë",
        "--text",
        "Is the fondue gluten-free?",
        "--covered",
        "--at",
        "2026-06-02 12:00",
    ]);
    let pack = a.path("pack.pdf");
    let r = a.json(&["export", "service-pack", "Alpine retreat", "--out", p(&pack)]);
    assert_eq!(r["pages"].as_u64().unwrap() as usize, pages(&pack));
    assert_eq!(r["replaced"], serde_json::json!(["東", "京"]), "the font cannot draw CJK: reported, not dropped");
    let t = text(&pack);
    for expected in [
        "Alpine retreat",
        "Zoë Müller",
        "coeliac",
        "wheelchair",
        "Not acknowledged",
        "LX 317",
        "SWISS",
        "K7QX2P",
        "Is the fondue gluten-free?",
        "Sol Reed",
        "Fay Okafor",
    ] {
        assert!(t.contains(expected), "{expected:?} missing from the pack:\n{t}");
    }
}

#[test]
fn the_agency_can_print_on_us_letter() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    let size = |pdf: &Path| {
        let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
        String::from_utf8(out.stdout).unwrap().lines().find(|l| l.starts_with("Page size:")).unwrap().to_string()
    };
    let a4 = a.path("a4.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&a4)]);
    assert!(size(&a4).contains("(A4)"), "{}", size(&a4));
    let agency = a.json(&["agency", "set", "--paper", "letter"]);
    assert_eq!(agency["paper"], "letter");
    let letter = a.path("letter.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&letter)]);
    assert!(size(&letter).contains("612 x 792"), "{}", size(&letter));
    let err = a.refused(&["agency", "set", "--paper", "tabloid"]);
    assert!(err.contains("use a4 or letter"), "{err}");
}
