//! Sync throughput, on this machine over loopback, each beside its baseline in the same run:
//!
//! - a laptop pushing an agency of N events (100,000 by default) through the hub on SQLite and on
//!   PostgreSQL, against a bare POST of the very same request bodies (gzip-1 JSON lines) to a
//!   trivial axum handler that only reads them, the laptop reading its log and sealing each batch
//!   as it goes (what any push must do); the loopback alone (bodies made beforehand) is printed
//!   too;
//! - the hub's ingest on PostgreSQL (its storage taking the checked batches) against one binary
//!   `COPY` of the same rows into a table of the same shape;
//! - a new laptop joining: pulling all N events and folding them, ready to show Today; beside it,
//!   the same pull alone, each page fetched, read and checked but nothing written. Twice: into the
//!   agency of N deals of one imported event each (the most deals N events can make), and into an
//!   agency of about N events lived through the playbook, as a real one grows (made once and kept
//!   beside the scale benchmark's, by `handoff-bench-agency`).
//!
//! The machine is shared and noisy: each path and its baseline run [`ROUNDS`] times, in turn, and
//! the fastest run of each is reported; on PostgreSQL each timed round starts with every file's
//! dirty pages written (`sync`) and a checkpoint made. Where the hub's time goes is printed too:
//! reading and checking the batches alone, and each storage keeping them alone.
//!
//! Prints `FIGURE name value unit` and `RATIO name value target` lines. PostgreSQL is used when
//! `HANDOFF_BENCH_POSTGRES` names a server (`postgres://USER@127.0.0.1:PORT/postgres`).
//! Run: `cargo bench -p handoff-hub --bench sync` (`HANDOFF_BENCH_EVENTS=20000` for a quick run;
//! `HANDOFF_BENCH_LIVED_EVENTS` sizes the lived agency apart from N; `HANDOFF_BENCH_PART=postgres`
//! measures the pushes and PostgreSQL only, leaving out the joins and the webhooks).
//! To profile one part alone: `HANDOFF_BENCH_PERF_CONTROL=FIFO` names the control FIFO of a
//! `perf record --control=fifo:FIFO -D -1` run of the bench, enabled only while laptops join, or
//! while a laptop pushes through the hub on SQLite with `HANDOFF_BENCH_PERF_PART=push`.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use handoff_api::dto::*;
use handoff_api::{Ctx, FixedClock, LaptopKeys};
use handoff_bench_agency::Agency;
use handoff_hub::postgres::Postgres;
use handoff_hub::server::{router, Hub};
use handoff_hub::storage::{token_hash, Incoming, Sqlite, Storage};
use handoff_sync::protocol::*;

/// How many times each path and its baseline run.
const ROUNDS: usize = 3;

/// The fastest of `ROUNDS` runs of `f`, each given its round.
fn fastest(mut f: impl FnMut(usize) -> Duration) -> Duration {
    (0..ROUNDS).map(&mut f).min().expect("at least one round")
}

fn figure(name: &str, value: f64, unit: &str) {
    println!("FIGURE {name} {value:.3} {unit}");
}

fn ratio(name: &str, value: f64, target: &str) {
    println!("RATIO {name} {value:.2} (target {target})");
}

/// A laptop's context on `db`, its keys in `home`, its clock at the bench's "now".
fn laptop(db: &Path, home: &Path) -> Ctx {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    Ctx::open_with_clock(db, true, Arc::new(FixedClock(now))).unwrap().with_keys(LaptopKeys::in_data_folder(home))
}

/// An agency of about `n` events: its people, then `n` deals from a CRM export, each handed off.
fn agency(ctx: &Ctx, dir: &Path, n: usize) {
    let acting = Acting::default();
    handoff_api::init(
        ctx,
        InitRequest {
            agency: "Wayfarer".into(),
            timezone: "Europe/London".into(),
            workdays: None,
            hours: None,
            acting: acting.clone(),
        },
    )
    .unwrap();
    for (name, dept) in [("Sam Reyes", "sales"), ("Fay Okafor", "fulfilment"), ("Maya Chen", "founder")] {
        let req = PersonAddRequest {
            name: name.into(),
            dept: dept.parse().unwrap(),
            email: None,
            confirmed_different: false,
            acting: acting.clone(),
        };
        handoff_api::person_add(ctx, req).unwrap();
    }
    let req =
        DeptSetRequest { dept: "fulfilment".parse().unwrap(), lead: "Fay Okafor".into(), backups: vec![], acting };
    handoff_api::dept_set(ctx, req).unwrap();
    let mut csv = String::from("external_id,title,customer,value,currency,owner,closed_at,handoff_at\n");
    for i in 0..n {
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "CRM-{i},Deal {i},Customer {i},{},EUR,Sam Reyes,2026-02-{day:02} 10:00,2026-02-{day:02} 15:30\n",
            1000 + i
        ));
    }
    let file = dir.join("deals.csv");
    std::fs::write(&file, csv).unwrap();
    handoff_api::import_deals(ctx, &file, &Default::default(), Acting::default()).unwrap();
}

/// Tells a `perf record --control=fifo:…` run of this bench to `enable` or `disable` sampling
/// around `part` ("join", "push" or "postgres-push"), when `HANDOFF_BENCH_PERF_CONTROL` names its control FIFO and
/// `HANDOFF_BENCH_PERF_PART` names that part (the join when it is not set).
fn perf_control(part: &str, command: &str) {
    let profiled = std::env::var("HANDOFF_BENCH_PERF_PART").unwrap_or_else(|_| "join".into());
    if let (Some(fifo), true) = (std::env::var_os("HANDOFF_BENCH_PERF_CONTROL"), profiled == part) {
        std::fs::write(fifo, format!("{command}\n")).expect("the perf control FIFO takes the command");
    }
}

/// Serves `app` on a free port of 127.0.0.1 from its own runtime; returns the address.
fn serve(runtime: &tokio::runtime::Runtime, app: axum::Router) -> String {
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    url
}

/// One binary `COPY` of every checked event into `table`, each row written as the hub writes it
/// ([`handoff_hub::postgres::copy_events`]); returns how long it took.
fn bare_copy(c: &mut postgres::Client, table: &str, device: &str, incoming: &[Vec<Incoming>]) -> Duration {
    let start = Instant::now();
    handoff_hub::postgres::copy_events(c, table, 1, device, incoming.iter().flatten()).unwrap();
    start.elapsed()
}

fn token(storage: &dyn Storage, person: &str) -> String {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let token = format!("hndf_bench_{}_{}_{n}", person.replace(' ', "_"), std::process::id());
    storage.create_token("Wayfarer", person, &token_hash(&token)).unwrap();
    token
}

/// A laptop joins the hub at `url` and sends all it holds; returns how long it took.
fn push_all(ctx: &Ctx, url: &str, token: &str) -> Duration {
    let start = Instant::now();
    let r = handoff_api::sync_join(ctx, SyncJoinRequest { url: url.into(), token: token.into() }).unwrap();
    assert!(r.status.last_error.is_none(), "{:?}", r.status.last_error);
    start.elapsed()
}

/// Handoff's own webhook set up for the agency on `storage`, then won deals delivered to the hub
/// at `url`, one each: how long the first took, and the fastest of the next ones.
fn deliveries(
    runtime: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    storage: &Sqlite,
    url: &str,
    tag: &str,
) -> (Duration, Duration) {
    use base64::Engine;
    use hmac::Mac;
    let secret = handoff_crm::webhooks::new_generic_secret([9; 32]);
    let setup = handoff_hub::storage::WebhookSetup { secret: secret.clone(), won_stages: vec![], api_token: None };
    storage.set_webhook("Wayfarer", "generic", &setup).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = b64.decode(secret.trim_start_matches("whsec_")).unwrap();
    let deliver = |k: usize| {
        let closed = (Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
        let body = format!(
            r#"{{"record_id":"WH-{tag}-{k}","title":"Webhook deal {k}","customer":"Customer {k}","amount":"900.00","currency":"EUR","owner":"Sam Reyes","status":"won","closed_at":"{closed}"}}"#
        );
        let (id, ts) = (format!("msg_{tag}_{k}"), Utc::now().timestamp().to_string());
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(format!("{id}.{ts}.{body}").as_bytes());
        let signature = format!("v1,{}", b64.encode(mac.finalize().into_bytes()));
        let start = Instant::now();
        let status = runtime.block_on(async {
            let answer = client
                .post(format!("{url}/v1/crm/Wayfarer/generic"))
                .header("webhook-id", id)
                .header("webhook-timestamp", ts)
                .header("webhook-signature", signature)
                .body(body)
                .send()
                .await
                .unwrap();
            answer.status().as_u16()
        });
        assert_eq!(status, 200, "the delivery was taken in");
        start.elapsed()
    };
    let first = deliver(0);
    let next = (1..=20).map(deliver).min().expect("deliveries");
    (first, next)
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let n: usize = std::env::var("HANDOFF_BENCH_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("machine: {} cores, load {}", std::thread::available_parallelism().map_or(0, |n| n.get()), load.trim());
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    // The agency on the first laptop.
    let sams = laptop(&dir.path().join("sams.db"), &home);
    let made = Instant::now();
    agency(&sams, dir.path(), n);
    let events = sams.store().read(handoff_store::query::event_count).unwrap() as usize;
    println!("agency: {events} events made in {:.1} s", made.elapsed().as_secs_f64());

    // The bodies a push sends, to post bare: the same batches, sealed the same way.
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let device = sams.store().device().to_string();
    sams.store().number_own().unwrap();
    let seal_all = |ctx: &Ctx| {
        let (mut after, mut link, mut bodies) = (0, CHAIN_START, Vec::new());
        loop {
            let batch = ctx.store().numbered(after, PAGE).unwrap();
            let Some(last) = batch.last() else { break bodies };
            after = last.seq;
            let sealed = seal_batch("Wayfarer", &device, &key, link, &batch);
            link = sealed.chain;
            bodies.push(sealed.body);
        }
    };
    let start = Instant::now();
    let bodies = seal_all(&sams);
    let sealing = start.elapsed();
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    figure("push_body_bytes_per_event", bytes as f64 / events as f64, "B");
    figure("laptop_read_and_seal_events_per_s", events as f64 / sealing.as_secs_f64(), "events/s");

    // Baselines: the same bodies POSTed to a handler that only reads them — once as bytes made
    // beforehand (the loopback alone), and once as a laptop would send them, reading its log and
    // sealing each batch just before posting it.
    let bare = serve(
        &runtime,
        axum::Router::new()
            .route("/", axum::routing::post(|body: axum::body::Bytes| async move { body.len().to_string() })),
    );
    let client = reqwest::Client::new();
    let post_bare = |body: Vec<u8>| {
        runtime.block_on(async {
            let r = client.post(&bare).body(body).send().await.unwrap();
            assert!(r.status().is_success());
        })
    };
    let loopback = fastest(|_| {
        let start = Instant::now();
        for body in &bodies {
            post_bare(body.clone());
        }
        start.elapsed()
    });
    figure("bare_post_of_bytes_made_beforehand_events_per_s", events as f64 / loopback.as_secs_f64(), "events/s");
    let bare_post_once = || {
        let start = Instant::now();
        let (mut after, mut link) = (0, CHAIN_START);
        loop {
            let batch = sams.store().numbered(after, PAGE).unwrap();
            let Some(last) = batch.last() else { break };
            after = last.seq;
            let sealed = seal_batch("Wayfarer", &device, &key, link, &batch);
            link = sealed.chain;
            post_bare(sealed.body);
        }
        start.elapsed()
    };
    let bare_post = fastest(|_| bare_post_once());
    figure("bare_post_read_sealed_and_sent_events_per_s", events as f64 / bare_post.as_secs_f64(), "events/s");

    // Where a hub's time goes: reading and checking each batch as the push handler does, alone.
    let public_key = hex::encode(key.verifying_key().to_bytes());
    let mut incoming: Vec<Vec<Incoming>> = Vec::new();
    let checking = fastest(|_| {
        incoming.clear();
        let start = Instant::now();
        let mut before = CHAIN_START;
        for body in &bodies {
            let batch =
                handoff_hub::batch::read(body, &device).unwrap().chained(before, "Wayfarer", &public_key).unwrap();
            before = handoff_sync::protocol::link(&batch.last().unwrap().link).unwrap();
            incoming.push(batch);
        }
        start.elapsed()
    });
    figure("hub_read_and_check_events_per_s", events as f64 / checking.as_secs_f64(), "events/s");
    // … and each storage keeping the checked batches, a transaction each, into a hub of its own.
    let ingest = |storage: &dyn Storage| {
        storage.create_agency("Wayfarer").unwrap();
        let access = storage.access(&token_hash(&token(storage, "Sam Reyes"))).unwrap().unwrap();
        storage.enrol(&access, &device, &public_key).unwrap();
        let start = Instant::now();
        for batch in &incoming {
            storage.append(access.agency.id, &device, batch, None).unwrap();
        }
        start.elapsed()
    };
    let kept = fastest(|round| ingest(&Sqlite::open(&dir.path().join(format!("ingest-{round}.db"))).unwrap()));
    figure("hub_sqlite_ingest_events_per_s", events as f64 / kept.as_secs_f64(), "events/s");

    // Through the hub, on SQLite: a new hub each round, the laptop leaving the one before.
    let mut hub_url = String::new();
    let mut sqlite = None;
    let pushed = fastest(|round| {
        if round > 0 {
            handoff_api::sync_leave(&sams).unwrap();
        }
        let storage = Sqlite::open(&dir.path().join(format!("hub-{round}.db"))).unwrap();
        storage.create_agency("Wayfarer").unwrap();
        hub_url = serve(&runtime, router(Hub::new(storage.clone())));
        perf_control("push", "enable");
        let took = push_all(&sams, &hub_url, &token(&storage, "Sam Reyes"));
        perf_control("push", "disable");
        sqlite = Some(storage);
        took
    });
    let sqlite = sqlite.expect("a hub was made");
    figure("hub_sqlite_push_events_per_s", events as f64 / pushed.as_secs_f64(), "events/s");
    ratio("hub_sqlite_push_vs_bare_post", bare_post.as_secs_f64() / pushed.as_secs_f64(), ">= 0.5");

    // `HANDOFF_BENCH_PART=postgres` leaves out the joins and the webhooks, to measure the hub on
    // PostgreSQL alone sooner.
    if std::env::var("HANDOFF_BENCH_PART").as_deref() != Ok("postgres") {
        joins_and_webhooks(&runtime, &client, dir.path(), &home, &sqlite, &hub_url, events);
    }

    // PostgreSQL: the push through the hub, and the hub's ingest beside a bare binary COPY.
    let Ok(server) = std::env::var("HANDOFF_BENCH_POSTGRES") else {
        println!("HANDOFF_BENCH_POSTGRES is not set: the PostgreSQL figures were not measured");
        return;
    };
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap();
    let names: Vec<String> = ["push_0", "push_1", "push_2", "ingest_0", "ingest_1", "ingest_2", "copy"]
        .map(|what| format!("hub_bench_{what}_{}", std::process::id()))
        .into();
    for name in &names {
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    }
    let url = |name: &str| format!("{}/{name}", server.rsplit_once('/').unwrap().0);
    // Each timed round starts with the disk settled: every file's dirty pages written (the
    // laptops and hubs made above leave hundreds of megabytes, which a file system writes out
    // with PostgreSQL's next flush of its log) and a checkpoint made, so no round pays for what
    // the one before left (three pushes and six ingests write about a gigabyte of WAL, enough for
    // PostgreSQL to start checkpoints of its own in the middle of whichever round comes next).
    let mut settle = || {
        assert!(std::process::Command::new("sync").status().unwrap().success());
        admin.batch_execute("CHECKPOINT").unwrap();
    };
    // The push through the hub on PostgreSQL, the bare POST beside it again, in turn: the host's
    // speed drifts over a run as long as this one.
    let (mut pushed_pg, mut bare_post_beside) = (Duration::MAX, Duration::MAX);
    for name in &names[..ROUNDS] {
        let pg = Postgres::connect(&url(name)).unwrap();
        pg.create_agency("Wayfarer").unwrap();
        let pg_url = serve(&runtime, router(Hub::new(pg.clone())));
        handoff_api::sync_leave(&sams).unwrap();
        settle();
        let token = token(&pg, "Sam Reyes");
        perf_control("postgres-push", "enable");
        pushed_pg = pushed_pg.min(push_all(&sams, &pg_url, &token));
        perf_control("postgres-push", "disable");
        settle();
        bare_post_beside = bare_post_beside.min(bare_post_once());
    }
    figure("bare_post_beside_postgres_push_events_per_s", events as f64 / bare_post_beside.as_secs_f64(), "events/s");
    figure("hub_postgres_push_events_per_s", events as f64 / pushed_pg.as_secs_f64(), "events/s");
    ratio("hub_postgres_push_vs_bare_post", bare_post_beside.as_secs_f64() / pushed_pg.as_secs_f64(), ">= 0.5");

    // The hub's ingest on PostgreSQL, against one binary COPY of the same rows into a table of
    // the same shape (the same columns and keys), each ingest on a database of its own; the two
    // take turns, round by round.
    let copy_db = url(&names[2 * ROUNDS]);
    drop(Postgres::connect(&copy_db).unwrap()); // the hub's tables, made as the hub makes them, for the same shape
    let mut copy = postgres::Client::connect(&copy_db, postgres::NoTls).unwrap();
    let (mut ingested, mut copied) = (Duration::MAX, Duration::MAX);
    for round in 0..ROUNDS {
        let pg = Postgres::connect(&url(&names[ROUNDS + round])).unwrap();
        settle();
        ingested = ingested.min(ingest(&pg));
        copy.batch_execute(&format!("CREATE TABLE bare_{round} (LIKE events INCLUDING ALL)")).unwrap();
        settle();
        copied = copied.min(bare_copy(&mut copy, &format!("bare_{round}"), &device, &incoming));
    }
    figure("hub_postgres_ingest_events_per_s", events as f64 / ingested.as_secs_f64(), "events/s");
    figure("postgres_bare_copy_events_per_s", events as f64 / copied.as_secs_f64(), "events/s");
    ratio("hub_postgres_ingest_vs_copy", copied.as_secs_f64() / ingested.as_secs_f64(), ">= 0.7");
    // The bench's databases go, connections and all.
    for name in &names {
        admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).unwrap();
    }
}

/// A new laptop joining the hub at `hub_url` (an agency of `events` one-event deals, held by
/// `sqlite`) and an agency lived through the playbook; a CRM's webhook into each.
fn joins_and_webhooks(
    runtime: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    dir: &Path,
    home: &Path,
    sqlite: &Sqlite,
    hub_url: &str,
    events: usize,
) {
    // A new laptop joining: pull everything and fold it, ready to show Today.
    perf_control("join", "enable");
    let joined = fastest(|round| {
        let fays = laptop(&dir.join(format!("fays-{round}.db")), home);
        let start = Instant::now();
        let token = token(sqlite, "Fay Okafor");
        handoff_api::sync_join(&fays, SyncJoinRequest { url: hub_url.to_string(), token }).unwrap();
        handoff_api::today(&fays, None).unwrap();
        start.elapsed()
    });
    perf_control("join", "disable");
    figure("new_laptop_join_ready_s", joined.as_secs_f64(), "s (target < 5)");
    // The same pull alone: every page fetched, read and checked as a join does, nothing written —
    // what of the join is the hub and the wire rather than the laptop's database.
    let pulled_alone = fastest(|_| {
        let device = uuid::Uuid::now_v7().to_string();
        let laptop = handoff_sync::client::Hub::new(hub_url, &token(sqlite, "Fay Okafor"), &device).unwrap();
        let client_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
        client_runtime.block_on(laptop.enrol(&hex::encode(key.verifying_key().to_bytes()))).unwrap();
        let start = Instant::now();
        let (mut cursors, mut count) = (std::collections::BTreeMap::new(), 0);
        loop {
            let page = client_runtime.block_on(laptop.pull_page(&PullRequest { cursors })).unwrap();
            let checked: Vec<_> = page
                .events()
                .unwrap()
                .into_iter()
                .map(|e| Numbered { seq: e.seq, event: e.event }.received())
                .collect();
            count += checked.len();
            cursors = page.cursors;
            if !page.head.more {
                break;
            }
        }
        assert_eq!(count, events);
        start.elapsed()
    });
    figure("new_laptop_pull_alone_s", pulled_alone.as_secs_f64(), "s (fetched, read and checked; nothing written)");

    // The same join into an agency as a real one grows: about N events, ten years of it (five
    // imported from a CRM, one event a deal; five lived through the playbook, about 28 events a
    // deal: won, met, briefed and signed, handed on, served, reviewed; some 14 a deal in all)
    // rather than N deals of one imported event each, the shape above that makes the
    // most deals of N events. Its laptop pushes a copy of it, with keys of its own (the kept
    // agency stays as made).
    let lived = Agency::kept(
        &std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-agencies"),
        Agency::deals_for(std::env::var("HANDOFF_BENCH_LIVED_EVENTS").map_or(events, |n| n.parse().unwrap())),
    );
    println!("lived agency: {} deals, {} events ({})", lived.deals, lived.events, lived.made);
    let copy = dir.join("lived.db");
    handoff_store::copy::backup_file(&lived.db, &copy).unwrap();
    // Its own laptop keys too: joining keeps where the laptop syncs beside them.
    let pusher = handoff_bench_agency::context(&copy, &dir.join("lived-keys"));
    let lived_hub = Sqlite::open(&dir.join("hub-lived.db")).unwrap();
    lived_hub.create_agency("Wayfarer Travel").unwrap();
    let lived_url = serve(runtime, router(Hub::new(lived_hub.clone())));
    let token_for = |person: &str| {
        let token = format!("hndf_bench_lived_{}_{}", person.replace(' ', "_"), uuid::Uuid::now_v7().simple());
        lived_hub.create_token("Wayfarer Travel", person, &token_hash(&token)).unwrap();
        token
    };
    push_all(&pusher, &lived_url, &token_for("Maya Chen"));
    perf_control("join", "enable");
    let joined_lived = fastest(|round| {
        let fays = handoff_bench_agency::context(&dir.join(format!("fays-lived-{round}.db")), home);
        let start = Instant::now();
        handoff_api::sync_join(&fays, SyncJoinRequest { url: lived_url.clone(), token: token_for("Fay Okafor") })
            .unwrap();
        handoff_api::today(&fays, None).unwrap();
        start.elapsed()
    });
    perf_control("join", "disable");
    figure(
        "new_laptop_join_lived_agency_ready_s",
        joined_lived.as_secs_f64(),
        &format!("s (target < 5; {} events, {} deals)", lived.events, lived.deals),
    );

    // A CRM's webhook into the agency of N events, beside the same into an agency of its people
    // alone: a delivery must not grow with the agency. The first delivery after the hub starts
    // reads the agency's events once; the ones after read only what was pushed since.
    let small = Sqlite::open(&dir.join("hub-small.db")).unwrap();
    small.create_agency("Wayfarer").unwrap();
    let small_url = serve(runtime, router(Hub::new(small.clone())));
    let lenas = laptop(&dir.join("lenas.db"), &home.join("lena"));
    agency(&lenas, dir, 0);
    push_all(&lenas, &small_url, &token(&small, "Sam Reyes"));
    let (first_big, next_big) = deliveries(runtime, client, sqlite, hub_url, "big");
    let (first_small, next_small) = deliveries(runtime, client, &small, &small_url, "small");
    figure("webhook_first_delivery_ms", first_big.as_secs_f64() * 1e3, &format!("ms ({events} events)"));
    figure("webhook_delivery_ms", next_big.as_secs_f64() * 1e3, &format!("ms ({events} events)"));
    figure("webhook_first_delivery_small_agency_ms", first_small.as_secs_f64() * 1e3, "ms");
    figure("webhook_delivery_small_agency_ms", next_small.as_secs_f64() * 1e3, "ms");
    ratio("webhook_delivery_vs_small_agency", next_big.as_secs_f64() / next_small.as_secs_f64(), "<= 2 (flat)");
}
