//! PDF benchmarks, in process: the signed one-page brief and an 8-traveller, 10-day service pack,
//! drawn from the same realistic view models the tests use (`tests/common`). In the same run, two
//! baselines get the same brief: headless Chromium prints an equivalent HTML brief (same text,
//! header, facts table, sections, sign-off block; built here from the same `BriefDoc`) to PDF, the
//! way web CRMs make PDFs (the pack likewise), and Typst compiles an equivalent Typst brief
//! (`baselines/typst.rs`).
//!
//! Prints one `FIGURE` line per measurement and one `RATIO` line per baseline, each worked out
//! from its own per-call timings (the first, cold call left out), ready to paste into
//! `bench/README-figures.md`. KB = 1,000 bytes.
//!
//! - `pdf/render_brief`: `render_brief` of a full brief (target < 10 ms).
//! - `pdf/render_brief_sealed`: the same brief written sealed, as the export writes it (the
//!   certificate, the CMS and its ECDSA signature included).
//! - `pdf/render_pack_8_travellers_10_days`: `render_pack` (target < 50 ms).
//! - `chromium/print_to_pdf_equivalent_brief` and `…_pack`: one whole `chromium --headless
//!   --print-to-pdf` process per call, with a fresh profile directory, printing the brief or the
//!   service pack as equivalent HTML (`baselines/html.rs`). Skipped, with a `SKIP` line, when
//!   Chromium is not installed (`apt-get install chromium`); no browser is ever downloaded.
//! - `typst/compile_equivalent_brief`: Typst through its Python package, timed in Python's own
//!   process (see `baselines/typst.rs`); its virtual environment is made under
//!   `target/bench-venv` on first run, with `typst` from PyPI. Skipped, with a `SKIP` line, when
//!   that cannot be done.
//!
//! The whole `handoff export brief` process against Chromium is `bench/export-vs-chromium.sh`.
//!
//! Run: `cargo bench -p handoff-pdf --bench pdf` (about a minute, most of it Chromium and Typst).
//! With `PDF_BENCH_OUT=DIR` set, the HTML pages, the Typst source and every PDF made are kept in
//! DIR to compare.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "baselines/html.rs"]
mod html;
#[path = "baselines/typst.rs"]
mod typst;

use std::cell::RefCell;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use handoff_pdf::{BriefDoc, PackDoc, Seal, SealKey};
use tempfile::TempDir;

const BRIEF_TARGET_MS: f64 = 10.0;
const PACK_TARGET_MS: f64 = 50.0;
const BRIEF_TARGET_KB: f64 = 100.0;
const PACK_TRAVELLERS: usize = 8;
const PACK_DAYS: usize = 10;

/// Every call's wall time, in call order.
#[derive(Default)]
struct Calls(Vec<Duration>);

impl Calls {
    /// All calls but the first (cold: fonts parsed, caches empty), sorted.
    fn warm(&self) -> Vec<Duration> {
        let mut v: Vec<Duration> = self.0.iter().skip(1).copied().collect();
        v.sort();
        v
    }

    fn median_ms(&self) -> f64 {
        let v = self.warm();
        if v.is_empty() {
            return f64::NAN;
        }
        let mid = v.len() / 2;
        let d = if v.len() % 2 == 1 { v[mid] } else { (v[mid - 1] + v[mid]) / 2 };
        ms(d)
    }

    fn mean_ms(&self) -> f64 {
        let v = self.warm();
        if v.is_empty() {
            return f64::NAN;
        }
        ms(v.iter().sum::<Duration>()) / v.len() as f64
    }

    fn min_ms(&self) -> f64 {
        self.warm().first().map_or(f64::NAN, |d| ms(*d))
    }

    fn count(&self) -> usize {
        self.0.len().saturating_sub(1)
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1e3
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

/// Times each of `iters` calls of `f` separately and records them in `calls`.
fn timed<T>(iters: u64, calls: &RefCell<Calls>, mut f: impl FnMut() -> T) -> Duration {
    let mut total = Duration::ZERO;
    let mut calls = calls.borrow_mut();
    for _ in 0..iters {
        let start = Instant::now();
        let out = f();
        let took = start.elapsed();
        black_box(out);
        calls.0.push(took);
        total += took;
    }
    total
}

fn brief_doc() -> BriefDoc {
    let doc = common::brief();
    assert!(!doc.draft && doc.sections.len() == 7, "a full, signed brief");
    doc
}

fn pack_doc() -> PackDoc {
    let doc = common::pack_with(PACK_TRAVELLERS, PACK_DAYS);
    assert_eq!((doc.roster.len(), doc.itinerary.len()), (PACK_TRAVELLERS, PACK_DAYS));
    doc
}

/// A laptop's seal, as the export makes one.
fn a_seal() -> Seal {
    Seal {
        key: SealKey::derive(&[7; 32]).expect("a valid P-256 secret"),
        agency: "Wayfarer Travel".into(),
        device: "0192f3a4-5b6c-7d8e-9f00-112233445566".into(),
        person: "Maya Chen".into(),
        reason: "The brief as signed by both leads".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 3, 14, 20, 0).unwrap(),
    }
}

fn pdf(c: &mut Criterion) {
    let brief = brief_doc();
    let seal = a_seal();
    let pack = pack_doc();
    // One render of each before timing, to report its size and check it.
    let brief_pdf = handoff_pdf::render_brief(&brief).expect("the brief renders");
    assert_eq!(brief_pdf.pages, 1);
    let pack_pdf = handoff_pdf::render_pack(&pack).expect("the pack renders");

    let sealed_pdf = handoff_pdf::render_brief_sealed(&brief, &seal).expect("the brief renders sealed");
    handoff_pdf::check_seal(&sealed_pdf.bytes).expect("the seal checks out");

    let calls: [RefCell<Calls>; 3] = Default::default();
    let mut g = c.benchmark_group("pdf");
    g.sample_size(30).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(4));
    g.bench_function("render_brief", |b| {
        b.iter_custom(|iters| timed(iters, &calls[0], || handoff_pdf::render_brief(black_box(&brief))))
    });
    g.bench_function("render_brief_sealed", |b| {
        b.iter_custom(|iters| {
            timed(iters, &calls[2], || handoff_pdf::render_brief_sealed(black_box(&brief), black_box(&seal)))
        })
    });
    g.bench_function("render_pack_8_travellers_10_days", |b| {
        b.iter_custom(|iters| timed(iters, &calls[1], || handoff_pdf::render_pack(black_box(&pack))))
    });
    g.finish();

    let (b, p) = (calls[0].borrow(), calls[1].borrow());
    let brief_kb = kb(brief_pdf.bytes.len());
    if b.count() > 0 {
        *BRIEF_MEDIAN_MS.lock().expect("not poisoned") = Some(b.median_ms());
        println!(
            "FIGURE pdf render_brief: median {:.2} ms, mean {:.2} ms, min {:.2} ms over {} calls; 1 page, body {} pt, \
         {:.1} KB (target < {BRIEF_TARGET_MS} ms: {}; < {BRIEF_TARGET_KB} KB: {})",
            b.median_ms(),
            b.mean_ms(),
            b.min_ms(),
            b.count(),
            brief_pdf.body_size_pt,
            brief_kb,
            met(b.median_ms() < BRIEF_TARGET_MS),
            met(brief_kb < BRIEF_TARGET_KB),
        );
    }
    let sealed = calls[2].borrow();
    if sealed.count() > 0 {
        println!(
            "FIGURE pdf render_brief_sealed: median {:.2} ms, mean {:.2} ms, min {:.2} ms over {} calls; {:.1} KB \
         (the brief as the export writes it: the page, its certificate and signature)",
            sealed.median_ms(),
            sealed.mean_ms(),
            sealed.min_ms(),
            sealed.count(),
            kb(sealed_pdf.bytes.len()),
        );
    }
    if p.count() > 0 {
        *PACK_MEDIAN_MS.lock().expect("not poisoned") = Some(p.median_ms());
        println!(
            "FIGURE pdf render_pack: median {:.2} ms, mean {:.2} ms, min {:.2} ms over {} calls; {PACK_TRAVELLERS} \
         travellers, {PACK_DAYS} days, {} pages, {:.1} KB (target < {PACK_TARGET_MS} ms: {})",
            p.median_ms(),
            p.mean_ms(),
            p.min_ms(),
            p.count(),
            pack_pdf.pages,
            kb(pack_pdf.bytes.len()),
            met(p.median_ms() < PACK_TARGET_MS),
        );
    }
}

/// The in-process brief and pack medians, for the baselines' ratios.
static BRIEF_MEDIAN_MS: std::sync::Mutex<Option<f64>> = std::sync::Mutex::new(None);
static PACK_MEDIAN_MS: std::sync::Mutex<Option<f64>> = std::sync::Mutex::new(None);

// ---- the Chromium baseline -------------------------------------------------------------------

/// The Chromium binary: `$CHROMIUM`, else `chromium` on the PATH, if it answers `--version`.
fn chromium() -> Option<PathBuf> {
    let bin = std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("chromium"));
    let ok = Command::new(&bin)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(bin)
}

/// One whole headless Chromium process printing `html` to `out`, with a fresh profile.
fn print_to_pdf(bin: &Path, html: &Path, out: &Path, scratch: &Path) {
    let profile = tempfile::tempdir_in(scratch).expect("a profile directory");
    let _ = std::fs::remove_file(out);
    let status = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("chromium runs");
    assert!(status.success(), "chromium failed: {status}");
    assert!(out.metadata().is_ok_and(|m| m.len() > 0), "chromium wrote no PDF");
}

fn chromium_baseline(c: &mut Criterion) {
    let Some(bin) = chromium() else {
        println!("SKIP chromium: not installed (apt-get install chromium), so no ratio in this run");
        return;
    };
    let dir = TempDir::new().expect("a temporary directory");
    // (name, the page, the PDF Chromium writes, our in-process median, what it is)
    let pages = [
        ("brief", html::brief_html(&brief_doc()), &BRIEF_MEDIAN_MS, "render_brief"),
        ("pack", html::pack_html(&pack_doc()), &PACK_MEDIAN_MS, "render_pack"),
    ];
    let calls: [RefCell<Calls>; 2] = Default::default();
    let mut g = c.benchmark_group("chromium");
    // Ten samples of one process each, after one warm-up process.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_millis(10));
    for ((name, page, _, _), calls) in pages.iter().zip(&calls) {
        let (html, out) = (dir.path().join(format!("{name}.html")), dir.path().join(format!("{name}-chromium.pdf")));
        std::fs::write(&html, page).expect("the HTML is written");
        g.bench_function(format!("print_to_pdf_equivalent_{name}"), |b| {
            b.iter_custom(|iters| timed(iters, calls, || print_to_pdf(&bin, &html, &out, dir.path())))
        });
    }
    g.finish();

    let keep = std::env::var_os("PDF_BENCH_OUT").map(PathBuf::from);
    for ((name, _, ours, what), calls) in pages.iter().zip(&calls) {
        let cr = calls.borrow();
        if cr.0.is_empty() {
            continue; // left out by the filter given
        }
        let (html, out) = (dir.path().join(format!("{name}.html")), dir.path().join(format!("{name}-chromium.pdf")));
        let size = std::fs::metadata(&out).map(|m| m.len() as usize).unwrap_or(0);
        if let Some(keep) = &keep {
            std::fs::create_dir_all(keep).expect("the output directory");
            std::fs::copy(&html, keep.join(format!("{name}.html"))).expect("copied");
            std::fs::copy(&out, keep.join(format!("{name}-chromium.pdf"))).expect("copied");
            let bytes = match *name {
                "brief" => handoff_pdf::render_brief(&brief_doc()).expect("the brief renders").bytes,
                _ => handoff_pdf::render_pack(&pack_doc()).expect("the pack renders").bytes,
            };
            std::fs::write(keep.join(format!("{name}-handoff.pdf")), bytes).expect("written");
            println!("wrote {name}.html, {name}-chromium.pdf and {name}-handoff.pdf to {}", keep.display());
        }
        let pages = pdf_pages(&out);
        match *ours.lock().expect("not poisoned") {
            Some(ours) => println!(
                "RATIO chromium vs in-process {name}: chromium median {:.0} ms (mean {:.0} ms, {} runs), {pages} pages, \
                 {:.1} KB; {what} median {ours:.2} ms = in process {:.0}x faster (target >= 100x)",
                cr.median_ms(),
                cr.mean_ms(),
                cr.count(),
                kb(size),
                cr.median_ms() / ours,
            ),
            None => println!(
                "FIGURE chromium print_to_pdf {name}: median {:.0} ms (mean {:.0} ms, {} runs), {pages} pages, {:.1} KB \
                 ({what} not run: no ratio)",
                cr.median_ms(),
                cr.mean_ms(),
                cr.count(),
                kb(size)
            ),
        }
    }
}

/// How many pages the PDF at `path` has (0 when it cannot be read).
fn pdf_pages(path: &Path) -> usize {
    lopdf::Document::load(path).map_or(0, |d| d.get_pages().len())
}

// ---- the Typst baseline ----------------------------------------------------------------------

/// How many timed compiles each way, after one cold compile.
const TYPST_COMPILES: usize = 30;
/// How many whole Python processes, each way.
const TYPST_PROCESSES: usize = 10;

/// Milliseconds, from a line of the driver's output.
fn millis(line: &str) -> Calls {
    Calls(
        line.split_whitespace()
            .skip(1)
            .filter_map(|v| v.parse::<f64>().ok())
            .map(|v| Duration::from_secs_f64(v / 1e3))
            .collect(),
    )
}

/// The median of `runs` whole processes of `cmd`, in ms (the first, cold, left out).
fn process_median_ms(runs: usize, mut cmd: impl FnMut() -> Command) -> f64 {
    let mut calls = Calls::default();
    for _ in 0..=runs {
        let start = Instant::now();
        let status = cmd().stdout(Stdio::null()).status().expect("the process runs");
        calls.0.push(start.elapsed());
        assert!(status.success(), "the timed process failed: {status}");
    }
    calls.median_ms()
}

/// The Typst baseline's name, as criterion's filter is matched against it.
const TYPST_NAME: &str = "typst/compile_equivalent_brief";

/// Whether this run asks for the Typst baseline, which is timed in Python's process, outside
/// criterion: not when criterion only lists or tests the benchmarks, and only when the filter
/// given, if any (a regex, or the exact name with `--exact`), matches [`TYPST_NAME`].
fn typst_asked() -> bool {
    // Criterion's options that take a value: that value is not the filter.
    const TAKES_VALUE: &[&str] = &[
        "--save-baseline",
        "-s",
        "--baseline",
        "-b",
        "--baseline-lenient",
        "--load-baseline",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--profile-time",
        "--color",
        "-c",
        "--output-format",
        "--plotting-backend",
        "--format",
        "--logfile",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list" || a == "--test") {
        return false;
    }
    let exact = args.iter().any(|a| a == "--exact");
    let mut filter = None;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        if TAKES_VALUE.contains(&a.as_str()) {
            args.next();
        } else if !a.starts_with('-') && filter.is_none() {
            filter = Some(a.clone());
        }
    }
    match filter {
        None => true,
        Some(f) if exact => f == TYPST_NAME,
        Some(f) => regex::Regex::new(&f).is_ok_and(|r| r.is_match(TYPST_NAME)),
    }
}

fn typst_baseline(_: &mut Criterion) {
    if !typst_asked() {
        return;
    }
    let python = match typst::python() {
        Ok(p) => p,
        Err(why) => {
            println!("SKIP typst: {why}, so no ratio in this run");
            return;
        }
    };
    let fonts = Path::new("/usr/share/fonts/truetype/dejavu");
    if !fonts.join("DejaVuSans.ttf").exists() {
        println!("SKIP typst: DejaVu Sans is not installed (apt-get install fonts-dejavu-core)");
        return;
    }
    let dir = TempDir::new().expect("a temporary directory");
    let (src, out, driver) =
        (dir.path().join("brief.typ"), dir.path().join("brief-typst.pdf"), dir.path().join("driver.py"));
    std::fs::write(&src, typst::brief_typst(&brief_doc())).expect("the Typst brief is written");
    std::fs::write(&driver, typst::DRIVER).expect("the driver is written");
    let ran = Command::new(&python)
        .arg(&driver)
        .arg(&src)
        .arg(fonts)
        .arg(TYPST_COMPILES.to_string())
        .arg(&out)
        .output()
        .expect("python runs");
    assert!(ran.status.success(), "Typst failed to compile the brief: {}", String::from_utf8_lossy(&ran.stderr));
    let said = String::from_utf8_lossy(&ran.stdout);
    let way = |name: &str| millis(said.lines().find(|l| l.starts_with(name)).expect("the driver printed every way"));
    let (warm, fresh) = (way("warm "), way("fresh "));
    let size = std::fs::metadata(&out).map(|m| m.len() as usize).unwrap_or(0);
    if let Some(keep) = std::env::var_os("PDF_BENCH_OUT").map(PathBuf::from) {
        std::fs::create_dir_all(&keep).expect("the output directory");
        std::fs::copy(&src, keep.join("brief.typ")).expect("copied");
        std::fs::copy(&out, keep.join("brief-typst.pdf")).expect("copied");
        println!("wrote brief.typ and brief-typst.pdf to {}", keep.display());
    }
    let compile = format!(
        "import typst; typst.compile({:?}, output={:?}, font_paths=[{:?}], ignore_system_fonts=True)",
        src.display().to_string(),
        out.display().to_string(),
        fonts.display().to_string()
    );
    let whole = process_median_ms(TYPST_PROCESSES, || {
        let mut c = Command::new(&python);
        c.args(["-c", &compile]);
        c
    });
    let import = process_median_ms(TYPST_PROCESSES, || {
        let mut c = Command::new(&python);
        c.args(["-c", "import typst"]);
        c
    });
    println!(
        "FIGURE typst {} in process: warm compiler median {:.2} ms (min {:.2}), a new compiler each time, same process, median {:.2} ms (min {:.2}), {} compiles each, cold first {:.0} ms; {:.1} KB",
        typst::TYPST_PACKAGE,
        warm.median_ms(),
        warm.min_ms(),
        fresh.median_ms(),
        fresh.min_ms(),
        warm.count(),
        ms(warm.0[0]),
        kb(size)
    );
    println!(
        "FIGURE typst whole python process (start, import, compile one brief): median {whole:.1} ms, of which starting Python and importing typst alone {import:.1} ms ({TYPST_PROCESSES} runs each)"
    );
    let Some(ours) = *BRIEF_MEDIAN_MS.lock().expect("not poisoned") else {
        println!("render_brief not run: no Typst ratio");
        return;
    };
    println!(
        "RATIO typst vs in-process brief: render_brief median {ours:.2} ms = {:.1}x faster than Typst's warm compiler (target >= 5x), {:.1}x faster than a new Typst compiler in the same process",
        warm.median_ms() / ours,
        fresh.median_ms() / ours,
    );
}

criterion_group!(benches, pdf, chromium_baseline, typst_baseline);
criterion_main!(benches);
