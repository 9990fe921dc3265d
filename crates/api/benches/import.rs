//! Import benchmark: 100,000 CSV rows through `handoff_api::import_deals` into a fresh database
//! (set up with `init`, `person_add` and `dept_set`, on a fixed clock later than every close)
//! vs plain rusqlite inserting the same 100,000 parsed rows into one table in one transaction,
//! with the store's pragmas. Prints one `RATIO` line computed from its own timings.
//!
//! Run: `cargo bench -p handoff-api --bench import` (about a minute on two cores).

use handoff_domain::directory::Department;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use handoff_api::dto::{Acting, DeptSetRequest, InitRequest, PersonAddRequest};
use handoff_api::{dept_set, import_deals, init, person_add, Ctx, FixedClock};
use handoff_domain::calendar::Calendar;
use handoff_domain::money::Money;
use handoff_domain::zone::Zone;
use handoff_store::Connection;
use tempfile::TempDir;

const ROWS: usize = 100_000;
const SALES: &str = "Sam Seller";

/// The fixed "now": later than every `closed_at` and `handoff_at` in the file.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).single().expect("a valid instant")
}

/// A CRM export: closes on office hours over ~3 years (local `YYYY-MM-DD HH:MM`), 90% handed
/// off within three days, some customers quoted because they hold a comma.
fn write_csv(path: &Path) {
    let mut out = String::with_capacity(ROWS * 120);
    out.push_str("external_id,title,customer,value,currency,owner,closed_at,handoff_at\n");
    let first = NaiveDate::from_ymd_opt(2023, 1, 2).expect("a date").and_hms_opt(9, 0, 0).expect("a time");
    const PLACES: [&str; 6] = ["Lisbon", "Kyoto", "Cape Town", "Reykjavik", "Queenstown", "Oaxaca"];
    for i in 0..ROWS {
        let closed: NaiveDateTime =
            first + chrono::Duration::days((i / 100) as i64) + chrono::Duration::minutes((i % 100) as i64 * 5);
        let customer =
            if i % 7 == 0 { format!("\"Smith, J. ({})\"", i % 5_000) } else { format!("Customer {} Ltd", i % 5_000) };
        let handoff = if i % 10 == 9 {
            String::new()
        } else {
            let h = closed + chrono::Duration::minutes(((i * 7_919) % (72 * 60)) as i64 + 10);
            h.format("%Y-%m-%d %H:%M").to_string()
        };
        writeln!(
            out,
            "CRM-{i:06},{} trip #{i},{customer},{}.{:02},GBP,{SALES},{},{handoff}",
            PLACES[i % PLACES.len()],
            1_500 + i % 700,
            i % 100,
            closed.format("%Y-%m-%d %H:%M"),
        )
        .expect("written");
    }
    std::fs::write(path, out).expect("the CSV is written");
}

/// A fresh database with an agency, a sales owner, a fulfilment lead (the founder as backup)
/// and a founder, all through the use cases.
fn fresh_agency(dir: &Path) -> Ctx {
    let ctx = Ctx::open_with_clock(&dir.join("handoff.db"), true, Arc::new(FixedClock(now()))).expect("a new database");
    init(
        &ctx,
        InitRequest {
            agency: "Bench Travel".into(),
            timezone: "Europe/London".into(),
            workdays: None,
            hours: None,
            acting: Acting::default(),
        },
    )
    .expect("init");
    for (name, dept) in
        [(SALES, Department::Sales), ("Fay Fulfil", Department::Fulfilment), ("Max Founder", Department::Founder)]
    {
        let req = PersonAddRequest {
            name: name.into(),
            dept,
            email: None,
            confirmed_different: false,
            acting: Acting::default(),
        };
        person_add(&ctx, req).expect("a person");
    }
    for (dept, lead, backups) in [
        (Department::Sales, SALES, vec![]),
        (Department::Fulfilment, "Fay Fulfil", vec!["Max Founder".to_string()]),
        (Department::Founder, "Max Founder", vec![]),
    ] {
        let req = DeptSetRequest { dept, lead: lead.into(), backups, acting: Acting::default() };
        dept_set(&ctx, req).expect("a department");
    }
    ctx
}

/// One CSV row, parsed (outside the baseline's timer).
struct Parsed {
    external_id: String,
    title: String,
    customer: String,
    value_minor: i64,
    currency: String,
    owner: String,
    closed_at: String,
    handoff_at: Option<String>,
}

fn parse_csv(path: &Path) -> Vec<Parsed> {
    let cal = Calendar::new(Zone::known("Europe/London"));
    let utc = |text: &str| {
        let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a local time");
        cal.to_utc(local).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    };
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_path(path).expect("the CSV opens");
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            let value = Money::parse(&r[3], &r[4]).expect("an amount");
            Parsed {
                external_id: r[0].to_string(),
                title: r[1].to_string(),
                customer: r[2].to_string(),
                value_minor: value.minor,
                currency: value.currency,
                owner: r[5].to_string(),
                closed_at: utc(&r[6]),
                handoff_at: (!r[7].is_empty()).then(|| utc(&r[7])),
            }
        })
        .collect()
}

/// Plain rusqlite: the store's pragmas, one table with an INTEGER PRIMARY KEY, one transaction.
fn raw_insert(dir: &Path, rows: &[Parsed]) -> Duration {
    let conn = Connection::open(dir.join("raw.db")).expect("a raw database");
    conn.pragma_update(None, "journal_mode", "WAL").expect("WAL");
    conn.pragma_update(None, "synchronous", "FULL").expect("synchronous");
    conn.pragma_update(None, "foreign_keys", "ON").expect("foreign keys");
    conn.execute_batch(
        "CREATE TABLE deals (id INTEGER PRIMARY KEY, external_id TEXT, title TEXT, customer TEXT,
                             value_minor INTEGER, currency TEXT, owner TEXT, closed_at TEXT, handoff_at TEXT)",
    )
    .expect("the table");
    let start = Instant::now();
    conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
    {
        let mut stmt = conn
            .prepare(
                "INSERT INTO deals (external_id, title, customer, value_minor, currency, owner, closed_at, handoff_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .expect("prepared");
        for r in rows {
            stmt.execute((
                &r.external_id,
                &r.title,
                &r.customer,
                r.value_minor,
                &r.currency,
                &r.owner,
                &r.closed_at,
                &r.handoff_at,
            ))
            .expect("inserted");
        }
    }
    conn.execute_batch("COMMIT").expect("commit");
    start.elapsed()
}

/// Durations of each call criterion made; the ratio leaves out the first (warm-up) call.
#[derive(Default)]
struct Tally(Vec<(u64, Duration)>);

impl Tally {
    fn mean(&self) -> Option<Duration> {
        let calls = &self.0[usize::from(self.0.len() > 1)..];
        let (n, t) = calls.iter().fold((0, Duration::ZERO), |(n, t), (k, d)| (n + k, t + *d));
        (n > 0).then(|| t / n as u32)
    }
}

fn import(c: &mut Criterion) {
    let data = TempDir::new().expect("a temporary directory");
    let csv_path = data.path().join("deals.csv");
    write_csv(&csv_path);
    let parse_start = Instant::now();
    let parsed = parse_csv(&csv_path);
    let parse_time = parse_start.elapsed();
    assert_eq!(parsed.len(), ROWS);
    let tallies: [RefCell<Tally>; 2] = Default::default();

    let mut g = c.benchmark_group("import");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_millis(10));
    g.bench_function("ours_import_deals_100k_rows", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = TempDir::new().expect("a temporary directory");
                let ctx = fresh_agency(dir.path());
                let start = Instant::now();
                let answer = import_deals(&ctx, &csv_path, &Default::default(), Acting::default()).expect("imported");
                total += start.elapsed();
                assert_eq!((answer.rows, answer.imported, answer.unchanged), (ROWS, ROWS, 0));
            }
            tallies[0].borrow_mut().0.push((iters, total));
            total
        })
    });
    g.bench_function("raw_insert_100k_parsed_rows_one_tx", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = TempDir::new().expect("a temporary directory");
                total += raw_insert(dir.path(), &parsed);
            }
            tallies[1].borrow_mut().0.push((iters, total));
            total
        })
    });
    g.finish();
    let means = (tallies[0].borrow().mean(), tallies[1].borrow().mean());
    if let (Some(o), Some(r)) = means {
        println!(
            "RATIO import: ours {:.2} s vs raw {:.3} s for {ROWS} rows = {:.1}x the raw time (target: ours < 5 s: {})",
            o.as_secs_f64(),
            r.as_secs_f64(),
            o.as_secs_f64() / r.as_secs_f64(),
            if o < Duration::from_secs(5) { "met" } else { "missed" }
        );
        println!(
            "DIAG import: parsing the CSV alone (csv crate, money, local times) {:.3} s",
            parse_time.as_secs_f64()
        );
    }
}

criterion_group!(benches, import);
criterion_main!(benches);
