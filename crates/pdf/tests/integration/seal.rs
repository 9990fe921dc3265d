//! Sealed PDFs, read back with poppler: `pdfsig` finds one valid signature over the whole file,
//! and a flipped byte (in a content stream, in the Info dictionary) or bytes appended after
//! signing are noticed by pdfsig and by `check_seal` alike; the text, page count and metadata
//! read the same as unsealed.

use chrono::{TimeZone, Utc};
use handoff_pdf::*;

use crate::common;
use crate::poppler::{self, info, pages, pdfsig, save, text};

/// A fixed device key (any scalar below the P-256 order will do).
const SECRET: [u8; 32] = [
    0x3c, 0x91, 0x5e, 0x07, 0xd2, 0x4a, 0x88, 0x1f, 0x6b, 0x20, 0xe4, 0x73, 0x0d, 0xc9, 0x55, 0xa1, 0x9e, 0x02, 0x47,
    0xbb, 0x18, 0x6f, 0xd0, 0x33, 0x8c, 0x5a, 0xe1, 0x04, 0x79, 0x2d, 0xb6, 0x60,
];

fn a_seal() -> Seal {
    Seal {
        key: SealKey::derive(&SECRET).unwrap(),
        agency: "Wayfarer Travel".into(),
        device: "0192f3a4-5b6c-7d8e-9f00-112233445566".into(),
        person: "Maya Chen".into(),
        reason: "Signed brief for the trip file".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 3, 14, 20, 0).unwrap(),
    }
}

/// The unsealed and the sealed file, both saved for the tools.
fn saved(unsealed: &Rendered, sealed: Result<Rendered, PdfError>) -> (poppler::Pdf, Vec<u8>, poppler::Pdf) {
    let bytes = sealed.unwrap_or_else(|e| panic!("{e}")).bytes;
    (save(&unsealed.bytes), bytes.clone(), save(&bytes))
}

fn sealed_brief() -> (poppler::Pdf, Vec<u8>, poppler::Pdf) {
    let doc = common::brief();
    saved(&render_brief(&doc).unwrap(), render_brief_sealed(&doc, &a_seal()))
}

fn sealed_pack(travellers: usize) -> (poppler::Pdf, Vec<u8>, poppler::Pdf) {
    let doc = common::pack(travellers);
    saved(&render_pack(&doc).unwrap(), render_pack_sealed(&doc, &a_seal()))
}

/// pdfsig's verdict on a file it finds one signature in: valid, over the whole file.
fn assert_pdfsig_valid(pdf: &poppler::Pdf) {
    let report = pdfsig(pdf);
    assert!(report.contains("Signature #1:") && !report.contains("Signature #2:"), "{report}");
    assert!(report.contains("Signature Validation: Signature is Valid."), "{report}");
    assert!(report.contains("  - Total document signed"), "{report}");
    assert!(report.contains("Signature Type: adbe.pkcs7.detached"), "{report}");
    assert!(report.contains("Signing Hash Algorithm: SHA-256"), "{report}");
    assert!(report.contains("Signer Certificate Common Name: Maya Chen (Handoff device 0192f3a4)"), "{report}");
    assert!(report.contains("O=Wayfarer Travel"), "{report}");
    assert!(report.contains("Signing Time: Mar 03 2026 14:20:00"), "{report}");
}

/// `bytes` with one bit of the byte at `at` flipped.
fn flipped(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 0x01;
    out
}

/// The offset of a byte in the middle of the first page's content stream.
fn inside_page_content(bytes: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let content = doc.get_page_contents(page)[0];
    let header = format!("\n{} {} obj", content.0, content.1);
    let obj = bytes.windows(header.len()).position(|w| w == header.as_bytes()).unwrap();
    let stream = obj + bytes[obj..].windows(7).position(|w| w == b"stream\n").unwrap() + 7;
    let end = stream + bytes[stream..].windows(9).position(|w| w == b"endstream").unwrap();
    assert!(end - stream > 200, "a real content stream");
    (stream + end) / 2
}

#[test]
fn a_sealed_brief_is_valid_to_pdfsig_and_reads_as_before() {
    let (plain, bytes, pdf) = sealed_brief();
    assert_pdfsig_valid(&pdf);
    assert_eq!(pdfsig(&plain).trim(), format!("File '{}' does not contain any signatures", plain.path.display()));

    assert_eq!(text(&pdf), text(&plain));
    assert_eq!(pages(&pdf), 1, "the brief is still one page");
    for key in ["Title", "Author", "Subject", "Creator", "Page size"] {
        assert_eq!(info(&pdf, key), info(&plain, key), "{key}");
    }

    let report = check_seal(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.public_key, seal_public_key(&SECRET).unwrap());
    assert_eq!(report.common_name, "Maya Chen (Handoff device 0192f3a4)");
    assert_eq!(report.organization, "Wayfarer Travel");
    assert_eq!(report.signed_at, Some(a_seal().at));
    assert_eq!(report.reason, "Signed brief for the trip file");
}

#[test]
fn a_sealed_pack_is_valid_to_pdfsig_and_reads_as_before() {
    let r = render_pack(&common::pack(8)).unwrap();
    let (plain, bytes, pdf) = sealed_pack(8);
    assert_pdfsig_valid(&pdf);
    assert_eq!(text(&pdf), text(&plain));
    assert_eq!((pages(&pdf), pages(&plain)), (r.pages, r.pages));
    assert!(check_seal(&bytes).is_ok());
}

#[test]
fn a_flipped_byte_in_a_content_stream_is_caught_by_pdfsig_and_check_seal() {
    for (_, bytes, _) in [sealed_brief(), sealed_pack(2)] {
        let bad = flipped(&bytes, inside_page_content(&bytes));
        let report = pdfsig(&save(&bad));
        assert!(!report.contains("Signature is Valid"), "{report}");
        assert!(report.contains("Signature Validation: Digest Mismatch."), "{report}");
        assert_eq!(check_seal(&bad).unwrap_err(), SealError::Changed);
    }
}

#[test]
fn a_flipped_byte_in_the_info_dictionary_is_caught_by_pdfsig_and_check_seal() {
    let (_, bytes, _) = sealed_brief();
    // The Author is a literal string: flipping the lowest bit of "W" (0x57) makes it "V" (0x56).
    const AUTHOR: &[u8] = b"/Author (W";
    let author = bytes.windows(AUTHOR.len()).position(|w| w == AUTHOR).unwrap();
    let bad = flipped(&bytes, author + AUTHOR.len() - 1);
    let pdf = save(&bad);
    assert_eq!(info(&pdf, "Author"), "Vayfarer Travel");
    let report = pdfsig(&pdf);
    assert!(!report.contains("Signature is Valid"), "{report}");
    assert_eq!(check_seal(&bad).unwrap_err(), SealError::Changed);
}

#[test]
fn bytes_appended_after_sealing_are_not_total_document_signed() {
    let (_, mut bytes, _) = sealed_brief();
    bytes.extend_from_slice(b"\n% appended\n");
    let report = pdfsig(&save(&bytes));
    assert!(report.contains("Not total document signed"), "{report}");
    let err = check_seal(&bytes).unwrap_err();
    assert!(matches!(err, SealError::NotWholeFile(_)), "{err}");
    assert_eq!(err.to_string(), "the signature does not cover the whole file: 12 bytes were added after signing");
}
