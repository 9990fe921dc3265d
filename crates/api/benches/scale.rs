//! Flat as the agency grows: agencies of 1,000, 10,000 and 100,000 deals — ten years of a busy
//! agency lived through the playbook by the real use cases ([`handoff_bench_agency`]) — and, at each
//! size, how long each screen's question takes: opening the database, Today, a deal page, the deal
//! list's first screen and a search in it by words and by a lead's name (a page of 100, as the app
//! asks), the four metrics, the Tuesday review, both PDF exports and `admin rebuild`.
//!
//! Each figure is the median of several runs after one unmeasured run; beside it, the size of the
//! answer the screen receives (JSON), for "growing no faster than the rows it returns".
//! Prints `FIGURE scale <deals> <question> <ms> ms <bytes> B` lines; `bench/scale.py` runs this,
//! writes the table and draws the log-log plot.
//!
//! The agencies are made once and kept (making the largest takes a while); delete the folder
//! printed at the start to make them again. `HANDOFF_SCALE_SIZES=1000,10000` picks the sizes.
//!
//! Run: `cargo bench -p handoff-api --bench scale` (or `python3 bench/scale.py`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use handoff_api::dto::*;
use handoff_bench_agency::{context, Agency};

/// The median of `runs` timed runs of `f`, after one untimed; and the size of its answer as JSON.
fn time<T: serde::Serialize>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, usize) {
    let bytes = serde_json::to_vec(&f()).unwrap().len();
    let mut took: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    took.sort();
    (took[runs / 2], bytes)
}

/// Whether `question` is to be timed: every one, unless `HANDOFF_SCALE_QUESTIONS` names some.
fn asked(question: &str) -> bool {
    std::env::var("HANDOFF_SCALE_QUESTIONS").map_or(true, |only| only.split(',').any(|q| q.trim() == question))
}

fn figure<T: serde::Serialize>(deals: usize, question: &str, runs: usize, f: impl FnMut() -> T) {
    if !asked(question) {
        return;
    }
    let (took, bytes) = time(runs, f);
    println!("FIGURE scale {deals} {question} {:.3} ms {bytes} B", took.as_secs_f64() * 1e3);
}

/// Times every screen's question on the agency of `n` deals in `db`.
fn measure(db: &Path, keys: &Path, n: usize, out: &Path) {
    const RUNS: usize = 9;
    figure(n, "open", RUNS, || drop(context(db, keys)));
    let ctx = context(db, keys);
    let latest = handoff_api::deal_list(&ctx, Some("handed-off"))
        .unwrap()
        .into_iter()
        .max_by_key(|d| d.closed_at)
        .expect("the agency has handed-off deals");
    let id = latest.id.to_string();
    figure(n, "today", RUNS, || handoff_api::today(&ctx, None).unwrap());
    figure(n, "deal-page", RUNS, || handoff_api::deal_show(&ctx, &id).unwrap());
    // The Deals screen asks for the page in view, a hundred deals at a time.
    let first_screen =
        |text: Option<&str>| DealPageRequest { text: text.map(str::to_string), limit: 100, ..Default::default() };
    figure(n, "deal-list", RUNS, || handoff_api::deal_page(&ctx, first_screen(None)).unwrap());
    figure(n, "search", RUNS, || handoff_api::deal_page(&ctx, first_screen(Some("Kowalski"))).unwrap());
    // A search by a lead's name: every deal they own, and any whose words hold it.
    figure(n, "search-owner", RUNS, || handoff_api::deal_page(&ctx, first_screen(Some("Reyes"))).unwrap());
    let range = || RangeRequest { from: None, to: None };
    figure(n, "metrics-dwell", RUNS, || handoff_api::dwell(&ctx, DwellRequest { from: None, to: None }).unwrap());
    figure(n, "metrics-service", RUNS, || handoff_api::metrics_service(&ctx, range()).unwrap());
    figure(n, "metrics-loop", RUNS, || handoff_api::metrics_loop(&ctx, range()).unwrap());
    figure(n, "metrics-escalations", RUNS, || handoff_api::metrics_escalations(&ctx, range()).unwrap());
    figure(n, "tuesday-review", RUNS, || handoff_api::review_show(&ctx, None).unwrap());
    let export = |pack: bool| {
        let req =
            ExportRequest { deal: id.clone(), out: out.join(if pack { "pack.pdf" } else { "brief.pdf" }), force: true };
        if pack {
            handoff_api::export_service_pack(&ctx, req).unwrap()
        } else {
            handoff_api::export_brief(&ctx, req).unwrap()
        }
    };
    figure(n, "export-brief", RUNS, || export(false));
    figure(n, "export-pack", RUNS, || export(true));
    figure(n, "admin-rebuild", 1, || handoff_api::rebuild(&ctx).unwrap());
}

fn main() {
    let sizes: Vec<usize> = std::env::var("HANDOFF_SCALE_SIZES")
        .map(|s| {
            s.split(',').map(|n| n.trim().parse().expect("HANDOFF_SCALE_SIZES: numbers, comma-separated")).collect()
        })
        .unwrap_or_else(|_| vec![1_000, 10_000, 100_000]);
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-agencies");
    std::fs::create_dir_all(&folder).unwrap();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("machine: {} cores, load {}", std::thread::available_parallelism().map_or(0, |n| n.get()), load.trim());
    // Said from the repository's root, so the figures copied into bench/README-figures.md name no machine.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap();
    let kept = folder.canonicalize().unwrap();
    println!("agencies kept in {}", kept.strip_prefix(&root).unwrap_or(&kept).display());
    for n in sizes {
        let agency = Agency::kept(&folder, n);
        println!("FIGURE scale {n} events {} events ({})", agency.events, agency.made);
        let out = tempfile::tempdir().unwrap();
        measure(&agency.db, &agency.keys, n, out.path());
    }
}
