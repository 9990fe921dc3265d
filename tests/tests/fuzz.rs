//! Fuzzing what reads untrusted input: the CSV import, time and money parsing, the PDF reader
//! behind `verify`, and the hub's reading of a pushed event. Each target is a property — never a panic, always an answer or a clear error,
//! and what is accepted reads back as it was — run two ways on every test run:
//!
//! - over the committed corpus in `tests/fuzz/<target>/` (seeds, and every input that ever broke
//!   a target, kept as a regression test: add the file, it is replayed for ever);
//! - over a bounded number of generated inputs (`bolero`'s random engine on stable Rust; set
//!   `HANDOFF_FUZZ_ITERATIONS` for a longer run, `BOLERO_RANDOM_SEED` to replay one).
//!
//! README "Reliability" gives the figures and the command for a longer run.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bolero::check;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use handoff_api::dto::{Acting, VerifyRequest};
use handoff_api::{Ctx, FixedClock};
use handoff_domain::calendar::Calendar;
use handoff_domain::money::{Money, MAX_MINOR};

use crate::fixtures::{handed_off, CSV_HEADER};
use crate::util::{p, Agency};
use handoff_domain::zone::Zone;

/// Generated inputs per target on every test run.
fn iterations() -> usize {
    std::env::var("HANDOFF_FUZZ_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000)
}

/// The committed corpus of `target`: every file in `tests/fuzz/<target>/`.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} is missing: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus {} is empty", dir.display());
    files.into_iter().map(|f| (f.clone(), std::fs::read(&f).unwrap())).collect()
}

fn london() -> Calendar {
    Calendar::new(Zone::known("Europe/London"))
}

/// Times: refused with a message, or a time from 1970 to 9999 that the log's own text form keeps.
fn time_property(text: &str) {
    let cal = london();
    match handoff_api::input::parse_time(text, &cal) {
        Ok(t) => {
            assert!((1970..=9999).contains(&t.year()), "{text:?} gave {t}, outside what the log keeps");
            let stored = t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            let back: DateTime<Utc> = DateTime::parse_from_rfc3339(&stored).unwrap().with_timezone(&Utc);
            assert_eq!(back, t, "{text:?} does not read back from {stored}");
        }
        Err(e) => assert!(!e.message.is_empty(), "an empty refusal for {text:?}"),
    }
    let now = Utc.with_ymd_and_hms(2026, 3, 3, 12, 0, 0).unwrap();
    if let Ok(t) = handoff_api::input::action_time(Some(text), &cal, now) {
        assert!(t <= now + chrono::Duration::minutes(5), "{text:?} is in the future: {t}");
    }
}

/// Money: refused with a message, or an amount within 2^53 − 1 minor units that reads back the
/// same from its plain form.
fn money_property(amount: &str, currency: &str) {
    match Money::parse(amount, currency) {
        Ok(m) => {
            assert!(m.minor.unsigned_abs() <= MAX_MINOR.unsigned_abs(), "{amount:?} gave {} minor units", m.minor);
            let back = Money::parse(&m.amount_string(), &m.currency).unwrap();
            assert_eq!(back, m, "{amount:?} {currency:?} does not read back");
            let _ = m.to_string();
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[test]
fn fuzz_time_parsing() {
    for (file, bytes) in corpus("time") {
        for line in String::from_utf8_lossy(&bytes).lines() {
            time_property(line);
            let _ = file;
        }
    }
    check!().with_type::<String>().with_iterations(iterations()).for_each(|text| time_property(text));
    // Near-misses of the real formats, which random text rarely hits.
    check!().with_type::<(i32, u8, u8, u8, u8, i8)>().with_iterations(iterations()).for_each(
        |&(y, mo, d, h, mi, off)| {
            time_property(&format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"));
            time_property(&format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00{off:+03}:00"));
        },
    );
}

#[test]
fn fuzz_money_parsing() {
    for (_, bytes) in corpus("money") {
        for line in String::from_utf8_lossy(&bytes).lines() {
            let (amount, currency) = line.split_once(' ').unwrap_or((line, "EUR"));
            money_property(amount, currency);
        }
    }
    check!().with_type::<(String, String)>().with_iterations(iterations()).for_each(|(a, c)| money_property(a, c));
    check!().with_type::<(i64, u8, bool)>().with_iterations(iterations()).for_each(|&(n, decimals, sep)| {
        let text = format!("{}{}{}", n / 100, if sep { "." } else { "," }, (n % 100).unsigned_abs());
        for currency in ["EUR", "JPY", "BHD", "usd"] {
            money_property(&text, currency);
            money_property(&format!("{n}.{}", "5".repeat(decimals as usize % 5)), currency);
        }
    });
}

/// A change to real bytes: some flipped (where, to what), then cut short, then more bytes added.
type Change = (Vec<(u32, u8)>, Option<u32>, Vec<u8>);

/// `original` with `change` made to it.
fn changed(original: &[u8], (flips, cut, tail): &Change) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for &(at, byte) in flips {
        let at = at as usize % bytes.len();
        bytes[at] = byte;
    }
    if let Some(cut) = cut {
        bytes.truncate(*cut as usize % (bytes.len() + 1));
    }
    bytes.extend_from_slice(tail);
    bytes
}

/// An agency for the import and verify targets, with the clock stopped.
fn fuzz_agency() -> (Agency, Ctx) {
    let a = Agency::wayfarer();
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    let ctx = Ctx::open_with_clock(&a.db, false, Arc::new(FixedClock(now))).unwrap().with_keys(a.keys());
    (a, ctx)
}

/// The import: a preview or an import of any bytes is an answer or a clear refusal — and an import
/// that is refused writes nothing.
fn import_property(a: &Agency, ctx: &Ctx, bytes: &[u8]) {
    if let Err(e) = handoff_api::import_preview_from(ctx, "fuzz.csv", bytes, &Default::default()) {
        assert!(!e.message.is_empty(), "an empty refusal");
    }
    let before = a.snapshot_counts();
    if let Err(e) = handoff_api::import_deals_from(ctx, "fuzz.csv", bytes, &Default::default(), Acting::default()) {
        assert!(!e.message.is_empty(), "an empty refusal");
        assert_eq!(a.snapshot_counts(), before, "a refused import wrote something");
    }
}

#[test]
fn fuzz_csv_import() {
    let (a, ctx) = fuzz_agency();
    for (_, bytes) in corpus("csv") {
        import_property(&a, &ctx, &bytes);
    }
    // The targets keep no state between inputs that a caught panic could leave half-changed.
    let (a, ctx) = (AssertUnwindSafe(&a), AssertUnwindSafe(&ctx));
    check!()
        .with_type::<Vec<u8>>()
        .with_iterations(iterations() / 4)
        .for_each(|bytes| import_property(&a, &ctx, bytes));
    // Rows with the real header and random cells reach the row checks, not just the header's.
    check!()
        .with_type::<Vec<(String, String, String, String, String, String)>>()
        .with_iterations(iterations() / 4)
        .for_each(|rows| {
            let mut csv = CSV_HEADER.to_string();
            for (id, title, value, currency, owner, closed) in rows {
                let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
                csv.push_str(&format!(
                    "{},{},Acme,{},{},{},{},\n",
                    q(id),
                    q(title),
                    q(value),
                    q(currency),
                    q(owner),
                    q(closed)
                ));
            }
            import_property(&a, &ctx, csv.as_bytes());
        });
}

/// The reader behind `verify`: any bytes are a report (verified or not, with its problems) or a
/// clear refusal, never a panic; only the real, unchanged file verifies.
fn verify_property(ctx: &Ctx, dir: &Path, bytes: &[u8], original: &[u8]) {
    let _ = handoff_pdf::check_seal(bytes);
    let file = dir.join("fuzzed.pdf");
    std::fs::write(&file, bytes).unwrap();
    match handoff_api::verify_brief(ctx, VerifyRequest { file, deal: None }) {
        Ok(report) => assert!(!report.ok || bytes == original, "a changed file verified"),
        Err(e) => assert!(!e.message.is_empty(), "an empty refusal"),
    }
}

#[test]
fn fuzz_pdf_verify() {
    let (a, ctx) = fuzz_agency();
    handed_off(&a, "Alpine retreat", "2026-03-03", "2026-05-01", "2026-05-08");
    let pdf = a.path("brief.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&pdf)]);
    let original = std::fs::read(&pdf).unwrap();
    let report = handoff_api::verify_brief(&ctx, VerifyRequest { file: pdf.clone(), deal: None }).unwrap();
    assert!(report.ok, "the real brief verifies: {report:?}");
    for (_, bytes) in corpus("pdf") {
        verify_property(&ctx, a.dir.path(), &bytes, &original);
    }
    let ctx = AssertUnwindSafe(&ctx);
    // The real file, changed: bytes flipped, cut short, or spliced with more bytes.
    check!().with_type::<Change>().with_iterations(iterations() / 4).for_each(|change| {
        verify_property(&ctx, a.dir.path(), &changed(&original, change), &original);
    });
    check!().with_type::<Vec<u8>>().with_iterations(iterations() / 4).for_each(|bytes| {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend_from_slice(bytes);
        verify_property(&ctx, a.dir.path(), &pdf, &original);
    });
}

/// A line of a push as serde reads it whole, whatever its spacing or field order.
#[derive(serde::Deserialize)]
struct WholeLine<'a> {
    seq: u64,
    #[serde(borrow)]
    event: &'a serde_json::value::RawValue,
}

/// A pushed line: the hub's direct reading of the lines laptops write takes and refuses exactly
/// what serde reading the whole line does, with the same event bytes; and its check of the event
/// takes exactly the JSON objects a laptop reads as an event.
fn push_line_property(line: &[u8]) {
    match (handoff_sync::protocol::read_sealed(line), serde_json::from_slice::<WholeLine>(line)) {
        (Ok((sealed, shape)), Ok(whole)) => {
            assert_eq!((sealed.seq, sealed.event), (whole.seq, whole.event.get()), "{}", String::from_utf8_lossy(line));
            // An event is the object the log writes: the hub refuses any other JSON outright.
            let object = whole.event.get().starts_with('{');
            let laptop = serde_json::from_str::<handoff_store::RawEvent>(whole.event.get()).ok().filter(|_| object);
            assert_eq!(shape.is_ok(), laptop.is_some(), "{}", String::from_utf8_lossy(line));
            if let (Ok(shape), Some(event)) = (shape, laptop) {
                assert_eq!((&*shape.id, &*shape.device, &*shape.kind), (&*event.id, &*event.device, &*event.kind));
            }
        }
        (Err(_), Err(_)) => {}
        (hub, serde) => panic!(
            "the hub {} a line serde {}: {}",
            if hub.is_ok() { "took" } else { "refused" },
            if serde.is_ok() { "takes" } else { "refuses" },
            String::from_utf8_lossy(line)
        ),
    }
}

#[test]
fn fuzz_push_line() {
    // Real lines, as a laptop seals its own events for the hub.
    let (a, ctx) = fuzz_agency();
    handed_off(&a, "Alpine retreat", "2026-03-03", "2026-05-01", "2026-05-08");
    ctx.store().number_own().unwrap();
    let events = ctx.store().numbered(0, 50).unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let sealed = handoff_sync::protocol::seal_batch("Wayfarer", "device", &key, [0; 32], &events);
    let text = handoff_sync::protocol::inflate(&sealed.body).unwrap();
    let lines: Vec<Vec<u8>> = handoff_sync::protocol::lines(&text).skip(1).map(|(_, l)| l.to_vec()).collect();
    assert_eq!(lines.len(), events.len());
    for line in &lines {
        assert!(handoff_sync::protocol::read_sealed(line).is_ok_and(|(_, shape)| shape.is_ok()));
        push_line_property(line);
    }
    for (_, bytes) in corpus("push-line") {
        for line in bytes.split(|b| *b == b'\n') {
            push_line_property(line);
        }
    }
    // Real lines changed: bytes flipped, cut short, or spliced with more bytes.
    check!().with_type::<(u8, Change)>().with_iterations(iterations()).for_each(|(which, change)| {
        push_line_property(&changed(&lines[*which as usize % lines.len()], change));
    });
    // Anything after the way a line starts.
    check!().with_type::<(u64, String)>().with_iterations(iterations()).for_each(|(seq, rest)| {
        push_line_property(format!("{{\"seq\":{seq},\"event\":{rest}").as_bytes());
        push_line_property(format!("{{\"seq\":{seq},\"event\":{{{rest}}}}}").as_bytes());
    });
}
