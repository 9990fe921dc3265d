//! Regenerates the sample PDFs and the PNGs in `docs/` from realistic view models:
//! `cargo run -p handoff-pdf --example samples [OUT_DIR]` (needs `pdftoppm` for the PNGs).
//! Writes `sample-brief.pdf`, `sample-brief-draft.pdf`, `sample-pack.pdf` to OUT_DIR (default
//! `target/samples`) and `docs/sample-brief.png`, `docs/sample-pack-1.png`, `docs/sample-pack-2.png`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out: PathBuf = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| root.join("target/samples"));
    std::fs::create_dir_all(&out)?;
    let docs = root.join("docs");
    std::fs::create_dir_all(&docs)?;

    let brief = common::brief();
    let _ = handoff_pdf::render_brief(&brief)?; // warm the font cache
    let mut times = Vec::new();
    let mut r = handoff_pdf::render_brief(&brief)?;
    for _ in 0..20 {
        let t = Instant::now();
        r = handoff_pdf::render_brief(&brief)?;
        times.push(t.elapsed());
    }
    times.sort();
    let t = Instant::now();
    let fit = handoff_pdf::measure_brief(&brief);
    let measured = t.elapsed();
    println!(
        "brief: {} page, {} bytes, body {} pt, render median {:?} (min {:?}), measure {:?} (fits: {})",
        r.pages,
        r.bytes.len(),
        r.body_size_pt,
        times[times.len() / 2],
        times[0],
        measured,
        fit.fits
    );
    std::fs::write(out.join("sample-brief.pdf"), &r.bytes)?;

    let mut draft = common::brief();
    draft.draft = true;
    draft.signoffs = common::signoffs(false);
    let r = handoff_pdf::render_brief(&draft)?;
    std::fs::write(out.join("sample-brief-draft.pdf"), &r.bytes)?;

    let t = Instant::now();
    let p = handoff_pdf::render_pack(&common::pack(8))?;
    println!("pack (8 travellers): {} pages, {} bytes, {:?}", p.pages, p.bytes.len(), t.elapsed());
    std::fs::write(out.join("sample-pack.pdf"), &p.bytes)?;

    png(&out.join("sample-brief.pdf"), 1, &docs.join("sample-brief.png"))?;
    png(&out.join("sample-pack.pdf"), 1, &docs.join("sample-pack-1.png"))?;
    png(&out.join("sample-pack.pdf"), 2, &docs.join("sample-pack-2.png"))?;
    println!("wrote {} and docs/sample-*.png", out.display());
    Ok(())
}

/// Page `page` of `pdf` as a PNG at 60 dpi, via poppler's pdftoppm.
fn png(pdf: &Path, page: usize, to: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let stem = to.with_extension("");
    let n = page.to_string();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-singlefile", "-f", &n, "-l", &n])
        .arg(pdf)
        .arg(&stem)
        .status()?;
    if !status.success() {
        return Err(format!("pdftoppm failed on {}", pdf.display()).into());
    }
    Ok(())
}
