//! Reading the PDFs back with poppler's command-line tools (`pdftotext`, `pdfinfo`), the way a
//! person or another program would.

use std::path::PathBuf;
use std::process::Command;

/// A PDF written to a temporary file for the tools to read.
pub struct Pdf {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn save(bytes: &[u8]) -> Pdf {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    Pdf { _dir: dir, path }
}

fn run(tool: &str, args: &[&str], pdf: &Pdf) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(&pdf.path)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed for these tests (apt install poppler-utils): {e}"));
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The text in content-stream order (`pdftotext -raw`), which is the order the layout draws it.
pub fn text(pdf: &Pdf) -> String {
    run("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
}

/// The text of one page (1-based).
pub fn page_text(pdf: &Pdf, page: usize) -> String {
    let n = page.to_string();
    run("pdftotext", &["-raw", "-enc", "UTF-8", "-f", &n, "-l", &n], pdf)
}

/// The text laid out as on the page (`pdftotext -layout`).
pub fn layout_text(pdf: &Pdf) -> String {
    run("pdftotext", &["-layout", "-enc", "UTF-8"], pdf)
}

/// `pdfinfo`'s value for `key` ("Pages", "Title", …).
pub fn info(pdf: &Pdf, key: &str) -> String {
    let out = run("pdfinfo", &["-enc", "UTF-8"], pdf);
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("pdfinfo has no {key}: {out}"))
}

pub fn pages(pdf: &Pdf) -> usize {
    info(pdf, "Pages").parse().unwrap()
}

/// `s` without any whitespace: wrapping moves line breaks (and breaks long words), so content
/// is compared with whitespace removed.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A section's text as it reads on paper: bullet markers become "•".
pub fn as_printed(s: &str) -> String {
    s.lines()
        .map(|l| {
            let t = l.trim();
            match ["- ", "* "].iter().find_map(|p| t.strip_prefix(p)) {
                Some(rest) => format!("• {rest}"),
                None => t.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that each of `parts` occurs in `text` (whitespace ignored), in this order.
pub fn assert_in_order(text: &str, parts: &[&str]) {
    let hay = squash(text);
    let mut from = 0;
    for part in parts {
        let needle = squash(part);
        match hay[from..].find(&needle) {
            Some(at) => from += at + needle.len(),
            None => {
                let anywhere = hay.contains(&needle);
                panic!(
                    "{part:?} {} in the extracted text:\n{text}",
                    if anywhere { "is out of order" } else { "is missing" }
                )
            }
        }
    }
}

/// `pdfsig`'s report on the file's signatures (stdout and stderr). Not asserted to succeed:
/// pdfsig exits non-zero for a file without signatures, and its verdict is in the text.
pub fn pdfsig(pdf: &Pdf) -> String {
    let out = Command::new("pdfsig")
        .arg(&pdf.path)
        .output()
        .unwrap_or_else(|e| panic!("pdfsig is needed for these tests (apt install poppler-utils): {e}"));
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Every word as drawn, with where it starts: (x, y, text in the order its glyphs were drawn,
/// left to right), from `pdftotext -bbox`.
pub fn words(pdf: &Pdf) -> Vec<(f32, f32, String)> {
    let out = run("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    out.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let text = l.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
            (attr(l, "xMin"), attr(l, "yMin"), text)
        })
        .collect()
}
