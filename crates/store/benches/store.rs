//! Store benchmarks. Each group measures our path and a raw-SQLite baseline in the same run, on
//! real files in a temporary directory opened the way the store opens them (WAL,
//! `synchronous = FULL`, foreign keys on), and prints one `RATIO` line computed from its own
//! timings (criterion's first warm-up call left out), ready to paste into
//! `bench/README-figures.md`.
//!
//! - `durable_action`: one `Store::write` appending one `DealAdded` (fsync'd commit) — vs a bare
//!   one-row INSERT commit. Runs first, before the bulk groups have filled the disk's queues.
//! - `dwell`: the dwell report over 100,000 handed-off deals from the read tables — vs a one-table
//!   SQL aggregate and vs folding the event log.
//! - `append_breakdown`: where the append time goes, 200,000 events per variant.
//! - `append`: 1,000,000 `DealAdded` events, 1,000 per `Store::write` transaction, one
//!   `Writer::append` per event (one action each, as the use cases do) — vs plain inserts of the
//!   same column values into a table with only an INTEGER PRIMARY KEY.
//!
//! Run: `cargo bench -p handoff-store --bench store` (about two minutes on two cores).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use handoff_domain::assignment::AssignedBecause;
use handoff_domain::brief::{Brief, SignerRole};
use handoff_domain::calendar::Calendar;
use handoff_domain::deal::{Deal, FoldContext};
use handoff_domain::directory::{Department, Directory};
use handoff_domain::event::{Aggregate, Event, EventBody, TripPlan, EVENT_VERSION};
use handoff_domain::hlc::Hlc;
use handoff_domain::ids::{DealId, EventId, PersonId, TaskId};
use handoff_domain::metrics::{dwell_stats, DwellSamples, DwellStats};
use handoff_domain::money::Money;
use handoff_domain::signing;
use handoff_domain::zone::Zone;
use handoff_store::{query, Connection, Store, StoreError};
use tempfile::TempDir;
use uuid::Uuid;

/// Events per `Store::write` transaction (and per raw transaction) in the append group.
const BATCH: usize = 1_000;
/// Events per criterion iteration in the append group: 10 measured samples make 1,000,000.
const EVENTS_PER_ITER: usize = 100_000;
/// Handed-off deals in the dwell group.
const DWELL_DEALS: usize = 100_000;

// ---- fixtures --------------------------------------------------------------------------------

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("a valid instant")
}

/// "Now" for every write: later than every event the benches date.
fn now() -> DateTime<Utc> {
    at(2026, 6, 1, 12, 0)
}

/// A store with an agency in Europe/London, a sales owner, a fulfilment lead and a founder, and
/// the fulfilment and founder departments staffed — all through `Store::write` and `append`.
struct Agency {
    _dir: TempDir,
    store: Store,
    sales: PersonId,
    fulfilment: PersonId,
    calendar: Calendar,
}

fn person() -> PersonId {
    PersonId::from_uuid(Uuid::now_v7())
}

/// The bench's signers' own secret keys, registered when the agency is set up.
const SALES_KEY: [u8; 32] = [11; 32];
const FULFILMENT_KEY: [u8; 32] = [22; 32];

fn agency() -> Agency {
    let dir = TempDir::new().expect("a temporary directory");
    let mut store = Store::open(&dir.path().join("handoff.db"), true).expect("a new store");
    let (sales, fulfilment, founder) = (person(), person(), person());
    let calendar = Calendar::new(Zone::known("Europe/London"));
    let people = [
        (sales, "Sam Seller", Department::Sales),
        (fulfilment, "Fay Fulfil", Department::Fulfilment),
        (founder, "Max Founder", Department::Founder),
    ];
    let mut bodies = vec![EventBody::AgencyCreated { name: "Bench Travel".into(), calendar: calendar.clone() }];
    for (id, name, dept) in people {
        bodies.push(EventBody::PersonAdded {
            person: id,
            name: name.into(),
            dept,
            email: Some(format!("{}@bench.example", name.split(' ').next().unwrap_or("x").to_lowercase())),
        });
    }
    bodies.push(EventBody::DepartmentStaffed { dept: Department::Sales, lead: sales, backups: vec![] });
    bodies.push(EventBody::DepartmentStaffed {
        dept: Department::Fulfilment,
        lead: fulfilment,
        backups: vec![founder],
    });
    bodies.push(EventBody::DepartmentStaffed { dept: Department::Founder, lead: founder, backups: vec![] });
    for (person, secret) in [(sales, SALES_KEY), (fulfilment, FULFILMENT_KEY)] {
        let keys = handoff_domain::keys::Keys::default();
        bodies.push(keys.register_signing_key(person, store.device(), &secret).expect("a new key"));
    }
    let start = at(2022, 12, 1, 9, 0);
    store.write(|w| w.append(None, start, now(), bodies)).expect("the agency is set up");
    Agency { _dir: dir, store, sales, fulfilment, calendar }
}

/// A realistic new deal: a trip with dates, a destination and travellers.
fn deal_added(n: usize, sales: PersonId) -> EventBody {
    const PLACES: [&str; 6] = ["Lisbon", "Kyoto", "Cape Town", "Reykjavik", "Queenstown", "Oaxaca"];
    let place = PLACES[n % PLACES.len()];
    let start = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("a date") + chrono::Duration::days((n % 180) as i64);
    EventBody::DealAdded {
        deal: DealId::from_uuid(Uuid::now_v7()),
        title: format!("{place} trip #{n}"),
        customer: format!("Customer {} Ltd", n % 5_000),
        value: Money { minor: 150_000 + (n as i64 % 700) * 1_000, currency: "GBP".into() },
        sales_owner: sales,
        trip: TripPlan {
            start: Some(start),
            end: Some(start + chrono::Duration::days(7 + (n % 10) as i64)),
            destination: Some(place.into()),
            travellers: Some(1 + (n % 4) as u32),
            ..TripPlan::default()
        },
        external_id: None,
        source: None,
    }
}

/// A raw SQLite file with the store's pragmas and one plain table with only an INTEGER PRIMARY
/// KEY (no UNIQUE, no secondary index, no trigger, not STRICT).
fn raw_db(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("a raw database");
    conn.busy_timeout(Duration::from_secs(10)).expect("busy timeout");
    conn.pragma_update(None, "journal_mode", "WAL").expect("WAL");
    conn.pragma_update(None, "synchronous", "FULL").expect("synchronous");
    conn.pragma_update(None, "foreign_keys", "ON").expect("foreign keys");
    conn.execute_batch(
        "CREATE TABLE raw_events (seq INTEGER PRIMARY KEY, id TEXT, device TEXT, actor TEXT, occurred_at TEXT,
                                  recorded_at TEXT, hlc TEXT, kind TEXT, version INTEGER, deal TEXT, payload TEXT)",
    )
    .expect("the raw table");
    conn
}

/// One event's column values, as the store writes them; with its folded `deals` row for the
/// breakdown.
struct RawRow {
    id: String,
    device: String,
    actor: Option<String>,
    occurred_at: String,
    recorded_at: String,
    hlc: String,
    kind: &'static str,
    version: u16,
    deal: Option<String>,
    payload: String,
    deal_row: Option<RawDeal>,
}

/// A `deals` row of a just-added deal, as the projection writes it.
struct RawDeal {
    id: String,
    title: String,
    customer: String,
    status: &'static str,
    sales_owner: String,
    value_minor: i64,
    currency: String,
    added_at: String,
    state: String,
}

fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn raw_row(device: &str, actor: PersonId, hlc: Hlc, body: &EventBody) -> RawRow {
    RawRow {
        id: EventId::from_uuid(Uuid::now_v7()).to_string(),
        device: device.to_string(),
        actor: Some(actor.to_string()),
        occurred_at: time_text(now()),
        recorded_at: time_text(now()),
        hlc: hlc.to_string(),
        kind: body.name(),
        version: EVENT_VERSION,
        deal: body.deal().map(|d| d.to_string()),
        payload: serde_json::to_string(body).expect("serialises"),
        deal_row: None,
    }
}

/// The deal row the fold gives for `row`'s event (folded with the domain's own `Deal::apply`).
fn raw_deal_row(directory: &Directory, row: &RawRow, body: EventBody) -> RawDeal {
    let event = Event {
        id: row.id.parse().expect("an event id"),
        device: row.device.parse().expect("a device id"),
        actor: row.actor.as_deref().map(|a| a.parse().expect("a person id")),
        recorded_by: None,
        occurred_at: now(),
        recorded_at: now(),
        hlc: row.hlc.parse().expect("a clock stamp"),
        part: 0,
        version: EVENT_VERSION,
        body,
    };
    let deal = Deal::apply(None, &event, &FoldContext::new(directory)).expect("a new deal");
    RawDeal {
        id: deal.id.to_string(),
        title: deal.title.clone(),
        customer: deal.customer.clone(),
        status: deal.status.as_str(),
        sales_owner: deal.sales_owner.to_string(),
        value_minor: deal.value.minor,
        currency: deal.value.currency.clone(),
        added_at: time_text(deal.added_at),
        state: serde_json::to_string(&deal).expect("serialises"),
    }
}

fn raw_insert(conn: &Connection, table: &str, r: &RawRow) {
    conn.prepare_cached(&format!(
        "INSERT INTO {table} (id, device, actor, occurred_at, recorded_at, hlc, kind, version, deal, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))
    .expect("prepared")
    .execute((
        &r.id,
        &r.device,
        &r.actor,
        &r.occurred_at,
        &r.recorded_at,
        &r.hlc,
        r.kind,
        r.version,
        &r.deal,
        &r.payload,
    ))
    .expect("inserted");
}

fn raw_insert_deal(conn: &Connection, r: &RawRow) {
    let d = r.deal_row.as_ref().expect("built with its deal row");
    conn.prepare_cached(
        "INSERT INTO deals (id, title, customer, status, sales_owner, fulfilment_owner, value_minor, currency,
                            external_id, added_at, closed_at, handoff_at, dwell_seconds, business_dwell_seconds, state)
         VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, NULL, ?8, NULL, NULL, NULL, NULL, ?9)",
    )
    .expect("prepared")
    .execute((
        &d.id,
        &d.title,
        &d.customer,
        d.status,
        &d.sales_owner,
        d.value_minor,
        &d.currency,
        &d.added_at,
        &d.state,
    ))
    .expect("inserted");
}

/// Durations of each call criterion made, per side, to compute the ratio from.
#[derive(Default)]
struct Tally {
    calls: Vec<(u64, Duration)>,
}

impl Tally {
    fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }
    fn add(&mut self, units: u64, d: Duration) {
        self.calls.push((units, d));
    }
    /// Units and time over all calls but the first (criterion's warm-up call).
    fn measured(&self) -> (u64, Duration) {
        let skip = usize::from(self.calls.len() > 1);
        self.calls[skip..].iter().fold((0, Duration::ZERO), |(u, t), (n, d)| (u + n, t + *d))
    }
    fn rate(&self) -> f64 {
        let (u, t) = self.measured();
        u as f64 / t.as_secs_f64()
    }
    fn mean(&self) -> Duration {
        let (u, t) = self.measured();
        t / u.max(1) as u32
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

// ---- 1. append ---------------------------------------------------------------------------------

/// A `Store::write` per batch, one `Writer::append` (one action) per event.
fn append_ours(store: &mut Store, sales: PersonId, batches: Vec<Vec<EventBody>>) {
    for batch in batches {
        store
            .write(|w| {
                for body in batch {
                    w.append(Some(sales), now(), now(), vec![body])?;
                }
                Ok::<_, StoreError>(())
            })
            .expect("appended");
    }
}

/// The same number of plain inserts per `BEGIN IMMEDIATE` … `COMMIT`.
fn append_raw(conn: &Connection, rows: &[RawRow], insert: impl Fn(&Connection, &RawRow)) {
    for batch in rows.chunks(BATCH) {
        conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        for r in batch {
            insert(conn, r);
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
}

/// Generates inputs and times writing them, `per_iter` events per criterion iteration.
struct Source {
    n: usize,
    hlc: Hlc,
    sales: PersonId,
    device: String,
    /// The agency the deals are folded in (for the domain's own fold of each row).
    directory: Directory,
}

impl Source {
    fn bodies(&mut self, count: usize) -> Vec<Vec<EventBody>> {
        (0..count / BATCH)
            .map(|_| {
                (0..BATCH)
                    .map(|_| {
                        self.n += 1;
                        deal_added(self.n, self.sales)
                    })
                    .collect()
            })
            .collect()
    }
    fn rows(&mut self, count: usize, with_deal: bool) -> Vec<RawRow> {
        (0..count)
            .map(|_| {
                self.n += 1;
                self.hlc = Hlc::next(self.hlc, now().timestamp_millis());
                let body = deal_added(self.n, self.sales);
                let mut row = raw_row(&self.device, self.sales, self.hlc, &body);
                if with_deal {
                    row.deal_row = Some(raw_deal_row(&self.directory, &row, body));
                }
                row
            })
            .collect()
    }
}

/// Times `iters` iterations of `run` over inputs from `prepare` (built outside the timer).
fn timed<T>(
    iters: u64,
    units: u64,
    tally: &RefCell<Tally>,
    mut prepare: impl FnMut() -> T,
    mut run: impl FnMut(T),
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let input = prepare();
        let start = Instant::now();
        run(input);
        total += start.elapsed();
    }
    tally.borrow_mut().add(iters * units, total);
    total
}

/// Ten samples of exactly one iteration each after a single warm-up call, whatever an iteration
/// costs (criterion warns that it cannot fit ten samples in the tiny target time; that is meant).
fn flat(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_millis(10));
}

fn append(c: &mut Criterion) {
    let mut ours = agency();
    let sales = ours.sales;
    let device = ours.store.device().to_string();
    let raw_dir = TempDir::new().expect("a temporary directory");
    let raw = raw_db(&raw_dir.path().join("raw.db"));
    let directory = query::directory(ours.store.connection()).expect("the directory");
    let src = RefCell::new(Source { n: 0, hlc: Hlc::default(), sales, device: device.clone(), directory });
    let tallies: [RefCell<Tally>; 2] = Default::default();
    let per = EVENTS_PER_ITER as u64;

    let mut g = c.benchmark_group("append");
    flat(&mut g);
    g.bench_function("ours_100k_events_1k_per_tx", |b| {
        b.iter_custom(|iters| {
            timed(
                iters,
                per,
                &tallies[0],
                || src.borrow_mut().bodies(EVENTS_PER_ITER),
                |batches| append_ours(&mut ours.store, sales, batches),
            )
        })
    });
    g.bench_function("raw_100k_rows_1k_per_tx", |b| {
        b.iter_custom(|iters| {
            timed(
                iters,
                per,
                &tallies[1],
                || src.borrow_mut().rows(EVENTS_PER_ITER, false),
                |rows| append_raw(&raw, &rows, |c, r| raw_insert(c, "raw_events", r)),
            )
        })
    });
    g.finish();
    drop((ours, raw, raw_dir));
    let (o, r) = (tallies[0].borrow(), tallies[1].borrow());
    if !o.is_empty() && !r.is_empty() {
        println!(
            "RATIO append: ours {:.0}k ev/s vs raw {:.0}k ev/s = {:.2}x (target >= 0.7x) [{} events each, 1,000 per tx]",
            o.rate() / 1e3,
            r.rate() / 1e3,
            o.rate() / r.rate(),
            o.measured().0,
        );
    }
}

/// Where the append time goes: the same events, each side on a fresh file, 200,000 measured
/// events each — raw plain table; raw into the store's own `events` table (UNIQUE text id and
/// the by-deal index); raw into `events` plus the folded `deals` row (state JSON and the five
/// deals indexes), values built outside the timer; and ours.
fn append_breakdown(c: &mut Criterion) {
    const PER: usize = 20_000;
    let plain_dir = TempDir::new().expect("a temporary directory");
    let plain = raw_db(&plain_dir.path().join("raw.db"));
    let log_only = agency();
    let log_and_deals = agency();
    let mut ours = agency();
    let sales = ours.sales;
    let directory = query::directory(ours.store.connection()).expect("the directory");
    let src =
        RefCell::new(Source { n: 0, hlc: Hlc::default(), sales, device: ours.store.device().to_string(), directory });
    let tallies: [RefCell<Tally>; 4] = Default::default();

    let mut g = c.benchmark_group("append_breakdown");
    flat(&mut g);
    g.bench_function("raw_plain_table", |b| {
        b.iter_custom(|iters| {
            timed(
                iters,
                PER as u64,
                &tallies[0],
                || src.borrow_mut().rows(PER, false),
                |rows| append_raw(&plain, &rows, |c, r| raw_insert(c, "raw_events", r)),
            )
        })
    });
    g.bench_function("raw_into_store_events_table", |b| {
        b.iter_custom(|iters| {
            timed(
                iters,
                PER as u64,
                &tallies[1],
                || src.borrow_mut().rows(PER, false),
                |rows| append_raw(log_only.store.connection(), &rows, |c, r| raw_insert(c, "events", r)),
            )
        })
    });
    g.bench_function("raw_into_store_events_and_deals", |b| {
        b.iter_custom(|iters| {
            timed(
                iters,
                PER as u64,
                &tallies[2],
                || src.borrow_mut().rows(PER, true),
                |rows| {
                    append_raw(log_and_deals.store.connection(), &rows, |c, r| {
                        raw_insert(c, "events", r);
                        raw_insert_deal(c, r);
                    })
                },
            )
        })
    });
    g.bench_function("ours", |b| {
        b.iter_custom(|iters| {
            timed(
                iters,
                PER as u64,
                &tallies[3],
                || src.borrow_mut().bodies(PER),
                |batches| append_ours(&mut ours.store, sales, batches),
            )
        })
    });
    g.finish();
    if tallies.iter().all(|t| !t.borrow().is_empty()) {
        let rates = tallies.each_ref().map(|t| t.borrow().rate());
        println!(
            "BREAKDOWN append ({} events each, 1,000 per tx): raw plain {:.0}k ev/s; raw into events table {:.0}k ({:.2}x); raw into events + deals rows {:.0}k ({:.2}x); ours {:.0}k ({:.2}x)",
            tallies[0].borrow().measured().0,
            rates[0] / 1e3,
            rates[1] / 1e3,
            rates[1] / rates[0],
            rates[2] / 1e3,
            rates[2] / rates[0],
            rates[3] / 1e3,
            rates[3] / rates[0],
        );
    }
}

// ---- 2. one durable action --------------------------------------------------------------------

fn durable_action(c: &mut Criterion) {
    let mut ours = agency();
    let sales = ours.sales;
    let device = ours.store.device().to_string();
    // Some history, so indexes are not trivially small.
    let mut n = 0usize;
    for _ in 0..10 {
        let batch: Vec<EventBody> = (0..BATCH)
            .map(|_| {
                n += 1;
                deal_added(n, sales)
            })
            .collect();
        ours.store.write(|w| w.append(Some(sales), now(), now(), batch)).expect("history");
    }
    let raw_dir = TempDir::new().expect("a temporary directory");
    let raw = raw_db(&raw_dir.path().join("raw.db"));
    let n = Cell::new(n);
    let hlc = Cell::new(Hlc::default());
    let ours_action = RefCell::new(|| {
        n.set(n.get() + 1);
        let body = deal_added(n.get(), sales);
        ours.store.write(|w| w.append(Some(sales), now(), now(), vec![body])).expect("appended");
    });
    let raw_action = || {
        n.set(n.get() + 1);
        hlc.set(Hlc::next(hlc.get(), now().timestamp_millis()));
        let row = raw_row(&device, sales, hlc.get(), &deal_added(n.get(), sales));
        raw.execute_batch("BEGIN IMMEDIATE").expect("begin");
        raw_insert(&raw, "raw_events", &row);
        raw.execute_batch("COMMIT").expect("commit");
    };
    let timed = |iters: u64, action: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..iters {
            action();
        }
        start.elapsed()
    };
    let ours_once = || (ours_action.borrow_mut())();

    let mut g = c.benchmark_group("durable_action");
    g.sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(4));
    g.bench_function("ours_write_one_deal_added", |b| b.iter_custom(|iters| timed(iters, &ours_once)));
    g.bench_function("raw_one_row_commit", |b| b.iter_custom(|iters| timed(iters, &raw_action)));
    g.finish();
    // The RATIO: the two take turns, a round of actions each, the first of each round changing
    // sides, so a slow stretch of a shared disk falls on both rather than on whichever criterion
    // ran then. The median of the rounds' ratios, and the ratio of the totals.
    let (mut ours_total, mut raw_total, mut ratios) = (Duration::ZERO, Duration::ZERO, Vec::new());
    for round in 0..PAIRED_ROUNDS {
        let (o, r) = if round % 2 == 0 {
            let o = timed(PAIRED_ACTIONS, &ours_once);
            (o, timed(PAIRED_ACTIONS, &raw_action))
        } else {
            let r = timed(PAIRED_ACTIONS, &raw_action);
            (timed(PAIRED_ACTIONS, &ours_once), r)
        };
        ours_total += o;
        raw_total += r;
        ratios.push(o.as_secs_f64() / r.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let per = |d: Duration| d / (PAIRED_ROUNDS * PAIRED_ACTIONS) as u32;
    println!(
        "RATIO durable_action: ours {} vs raw {} per committed action = {:.2}x (target <= 2x) [median of {PAIRED_ROUNDS} \
         paired rounds of {PAIRED_ACTIONS} actions each; ratio of the totals {:.2}x]",
        ms(per(ours_total)),
        ms(per(raw_total)),
        ratios[ratios.len() / 2],
        ours_total.as_secs_f64() / raw_total.as_secs_f64()
    );
}

/// Rounds of the durable action's paired measurement, and actions of each side per round.
const PAIRED_ROUNDS: u64 = 60;
const PAIRED_ACTIONS: u64 = 40;

// ---- 3. dwell metrics ---------------------------------------------------------------------------

/// 100,000 handed-off deals: half imported from a CRM (one `DealImported` each), half through
/// the live flow (added, won, meeting, both signatures, meeting ended with its first task).
fn dwell_agency() -> Agency {
    let mut a = agency();
    let (sales, fulfilment) = (a.sales, a.fulfilment);
    let empty_brief = Brief::default();
    let first = at(2023, 1, 2, 9, 0);
    for chunk in 0..DWELL_DEALS / BATCH {
        a.store
            .write(|w| {
                for i in chunk * BATCH..(chunk + 1) * BATCH {
                    // Spread closes over ~2 years of office hours; dwell from minutes to ~3 days.
                    let day = (i / 100) as i64;
                    let closed = first + chrono::Duration::days(day) + chrono::Duration::minutes((i % 100) as i64 * 5);
                    let dwell = chrono::Duration::minutes(((i * 7_919) % (72 * 60)) as i64 + 10);
                    let handoff = closed + dwell;
                    let deal = DealId::from_uuid(Uuid::now_v7());
                    if i % 2 == 0 {
                        let body = EventBody::DealImported {
                            deal,
                            external_id: format!("CRM-{i:06}"),
                            title: format!("Imported trip #{i}"),
                            customer: format!("Customer {} Ltd", i % 5_000),
                            value: Money { minor: 200_000 + (i as i64 % 500) * 1_000, currency: "GBP".into() },
                            sales_owner: sales,
                            closed_at: closed,
                            handoff_at: Some(handoff),
                            fulfilment_owner: fulfilment,
                            assigned_because: AssignedBecause::Lead,
                            source: None,
                        };
                        w.append(None, closed, now(), vec![body])?;
                    } else {
                        let mut added = deal_added(i, sales);
                        if let EventBody::DealAdded { deal: id, .. } = &mut added {
                            *id = deal;
                        }
                        let sha = empty_brief.sha256(deal);
                        let meeting = closed + dwell / 2;
                        w.append(Some(sales), closed - chrono::Duration::days(3), now(), vec![added])?;
                        let won = EventBody::DealWon {
                            deal,
                            fulfilment_owner: fulfilment,
                            assigned_because: AssignedBecause::Lead,
                        };
                        w.append(Some(sales), closed, now(), vec![won])?;
                        w.append(Some(sales), meeting, now(), vec![EventBody::MeetingStarted { deal }])?;
                        let signed = |signer, role, secret: &[u8; 32]| EventBody::BriefSigned {
                            deal,
                            signer,
                            role,
                            brief_sha256: sha.clone(),
                            key_fingerprint: signing::fingerprint(&signing::public_key(secret)),
                            signature: signing::sign(
                                secret,
                                &signing::signoff_message(deal, signer, role, meeting, &sha),
                            ),
                        };
                        let by_sales = signed(sales, SignerRole::Sales, &SALES_KEY);
                        w.append(Some(sales), meeting, now(), vec![by_sales])?;
                        let by_fulfilment = signed(fulfilment, SignerRole::Fulfilment, &FULFILMENT_KEY);
                        w.append(Some(fulfilment), meeting, now(), vec![by_fulfilment])?;
                        let ended = vec![
                            EventBody::MeetingEnded { deal },
                            EventBody::TaskCreated {
                                task: TaskId::from_uuid(Uuid::now_v7()),
                                deal,
                                title: "Confirm dates with customer".into(),
                                owner: fulfilment,
                                due_at: handoff + chrono::Duration::hours(24),
                            },
                        ];
                        w.append(Some(sales), handoff, now(), ended)?;
                    }
                }
                Ok::<_, StoreError>(())
            })
            .expect("deals are set up");
    }
    a
}

fn ours_dwell(conn: &Connection, one_day: chrono::Duration) -> DwellStats {
    dwell_stats(query::dwell_samples(conn, None, None).expect("samples"), one_day)
}

/// The statement `query::dwell_samples` runs (for its query plan only).
const DWELL_SAMPLES_SQL: &str = "SELECT dwell_seconds, business_dwell_seconds, id FROM deals
     WHERE handoff_at IS NOT NULL AND (?1 IS NULL OR closed_at >= ?1) AND (?2 IS NULL OR closed_at < ?2)";

/// The baseline: a one-table aggregate.
const PLAIN_SQL: &str =
    "SELECT count(*), avg(dwell_seconds), max(dwell_seconds) FROM deals WHERE handoff_at IS NOT NULL";

fn plain_aggregate(conn: &Connection) -> (i64, f64, i64) {
    conn.prepare_cached(PLAIN_SQL)
        .expect("prepared")
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("aggregated")
}

fn parse_time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("an RFC 3339 time").with_timezone(&Utc)
}

/// Without read tables: read every event of the log, fold each deal, and compute the samples
/// (wall and business dwell) from the folded deals.
fn log_scan_dwell(conn: &Connection, cal: &Calendar) -> DwellStats {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, device, actor, occurred_at, recorded_at, hlc, version, payload FROM events ORDER BY seq",
        )
        .expect("prepared");
    let mut rows = stmt.query([]).expect("queried");
    let mut deals: HashMap<DealId, Deal> = HashMap::new();
    let mut directory = Directory::default();
    while let Some(r) = rows.next().expect("a row") {
        let body: EventBody =
            serde_json::from_str(r.get_ref(7).expect("payload").as_str().expect("text")).expect("a known event");
        if body.is_directory() {
            directory.apply(&body, chrono::Utc::now()).expect("a valid directory event");
            continue;
        }
        let Aggregate::Deal(id) = body.aggregate() else { continue };
        let text = |i: usize| r.get_ref(i).expect("column").as_str().expect("text").to_string();
        let actor: Option<String> = r.get(2).expect("actor");
        let event = Event {
            id: text(0).parse().expect("an event id"),
            device: text(1).parse().expect("a device id"),
            actor: actor.map(|a| a.parse().expect("a person id")),
            recorded_by: None,
            occurred_at: parse_time(&text(3)),
            recorded_at: parse_time(&text(4)),
            hlc: text(5).parse().expect("a clock stamp"),
            part: 0,
            version: r.get(6).expect("version"),
            body,
        };
        let folded = Deal::apply(deals.remove(&id), &event, &FoldContext::new(&directory)).expect("a valid fold");
        deals.insert(id, folded);
    }
    let mut samples = DwellSamples::default();
    for d in deals.values() {
        if let (Some(closed), Some(handoff)) = (d.closed_at, d.handoff_at) {
            samples.push(d.id, (handoff - closed).num_seconds(), cal.business_duration(closed, handoff).num_seconds());
            samples.heard(d.heard_code(cal));
        }
    }
    dwell_stats(samples, cal.one_business_day())
}

fn dwell(c: &mut Criterion) {
    let setup = Instant::now();
    let mut a = dwell_agency();
    let cal = a.calendar.clone();
    let one_day = cal.one_business_day();
    let events = query::event_count(a.store.connection()).expect("counted");
    println!(
        "DIAG dwell: set up {DWELL_DEALS} handed-off deals ({events} events) in {:.1} s",
        setup.elapsed().as_secs_f64()
    );

    // The three paths must agree before they are timed.
    let expected = a.store.read(|c| Ok::<_, StoreError>(ours_dwell(c, one_day))).expect("read");
    assert_eq!(expected.handed_off, DWELL_DEALS);
    let (count, avg, max) = plain_aggregate(a.store.connection());
    assert_eq!(count as usize, DWELL_DEALS);
    assert!((avg / 3600.0 - expected.mean_hours).abs() < 1e-6);
    assert!((max as f64 / 3600.0 - expected.worst_hours).abs() < 1e-9);
    assert_eq!(log_scan_dwell(a.store.connection(), &cal), expected);
    let plan = |sql: &str, nulls: usize| -> String {
        let conn = a.store.connection();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
        let params: Vec<Option<String>> = vec![None; nulls];
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3))
            .expect("plan rows")
            .collect::<Result<Vec<_>, _>>()
            .expect("plan text");
        rows.join("; ")
    };
    println!("DIAG dwell: plan of ours: {}", plan(DWELL_SAMPLES_SQL, 2));
    println!("DIAG dwell: plan of plain: {}", plan(PLAIN_SQL, 0));

    let tallies: [RefCell<Tally>; 3] = Default::default();
    let mut g = c.benchmark_group("dwell");
    g.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(2));
    g.bench_function("ours_dwell_samples_and_stats", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(a.store.read(|c| Ok::<_, StoreError>(ours_dwell(c, one_day))).expect("read"));
            }
            let d = start.elapsed();
            tallies[0].borrow_mut().add(iters, d);
            d
        })
    });
    g.bench_function("plain_one_table_aggregate", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(a.store.read(|c| Ok::<_, StoreError>(plain_aggregate(c))).expect("read"));
            }
            let d = start.elapsed();
            tallies[1].borrow_mut().add(iters, d);
            d
        })
    });
    flat(&mut g);
    g.bench_function("log_scan_and_fold", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(a.store.read(|c| Ok::<_, StoreError>(log_scan_dwell(c, &cal))).expect("read"));
            }
            let d = start.elapsed();
            tallies[2].borrow_mut().add(iters, d);
            d
        })
    });
    g.finish();
    if tallies.iter().all(|t| !t.borrow().is_empty()) {
        let [o, p, l] = tallies.each_ref().map(|t| t.borrow().mean());
        println!(
            "RATIO dwell: ours {} vs plain aggregate {} = {:.2}x (target <= 2x); log scan {} = ours {:.1}x faster (target >= 10x)",
            ms(o),
            ms(p),
            o.as_secs_f64() / p.as_secs_f64(),
            ms(l),
            l.as_secs_f64() / o.as_secs_f64()
        );
    }
}

criterion_group!(benches, durable_action, dwell, append_breakdown, append);
criterion_main!(benches);
