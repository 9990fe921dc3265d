//! Property: laptops that act on their own and exchange their logs however the network lets
//! them — partly, twice, out of order, or not at all until later — hold exactly the same read
//! tables and conflicts once each has everything, and those equal a rebuild of the whole log.
//! A laptop with a slow clock and a laptop restored from an old backup are among them. Every
//! handed-off deal has both sign-offs valid.
//!
//! Two ways of exchanging: the store's own `import` between the laptops' databases, with every
//! way a network can mangle a sync; and the real hub on 127.0.0.1, each laptop syncing through it
//! with `handoff_api::sync_now` as the app and the CLI do, over a link of its own that drops a
//! sync's connection part-way when told to (its request cut short, or its answers lost after the
//! hub took what they answer).

use std::sync::Arc;

use chrono::Duration;
use handoff_api::{Ctx, FixedClock, LaptopKeys};
use handoff_store::query;
use handoff_store::RawEvent;
use proptest::prelude::*;

use crate::actions::*;
use crate::link::{Cut, Link};

/// What happens next, somewhere.
#[derive(Clone, Debug)]
enum Step {
    /// A person on laptop `laptop` takes an action.
    Act {
        laptop: usize,
        action: Action,
    },
    /// Laptop `to` takes in some of what laptop `from` holds: the events picked by `pick` (a
    /// seed), in a shuffled order, some of them twice.
    Sync {
        from: usize,
        to: usize,
        pick: u64,
    },
    /// Laptop `laptop` is restored from the backup it took at its last `Backup` step.
    Restore {
        laptop: usize,
    },
    Backup {
        laptop: usize,
    },
}

/// Actions that move the first three deals through the handoff, where laptops race: winning,
/// the meeting, the brief and its sign-offs (by the people who sign them), its end, owners,
/// travellers and tasks; now and then any action at all.
fn racing_action() -> impl Strategy<Value = Action> {
    let deal = 0..3usize;
    prop_oneof![
        3 => deal.clone().prop_map(|deal| Action::Won { deal }),
        1 => deal.clone().prop_map(|deal| Action::Lost { deal }),
        3 => deal.clone().prop_map(|deal| Action::Start { deal }),
        4 => (deal.clone(), 0..3usize, "[a-z]{1,8}").prop_map(|(deal, section, text)| Action::Write { deal, section, text }),
        3 => deal.clone().prop_map(|deal| Action::WriteBrief { deal }),
        5 => (deal.clone(), 0..4usize).prop_map(|(deal, person)| Action::Sign { deal, person }),
        3 => deal.clone().prop_map(|deal| Action::End { deal }),
        1 => (deal.clone(), 2..6usize).prop_map(|(deal, to)| Action::Reassign { deal, to }),
        1 => deal.clone().prop_map(|deal| Action::TaskDone { deal }),
        1 => (deal.clone(), 3..12i64, 0..3i64).prop_map(|(deal, start_day, days)| Action::TripSet { deal, start_day, days }),
        2 => (deal.clone(), 0..2usize, 0..5usize).prop_map(|(deal, name, topic)| Action::TravellerAdd { deal, name, topic }),
        2 => (deal, 0..2usize, 0..5usize, "[a-z]{1,8}").prop_map(|(deal, name, topic, text)| Action::TravellerEdit { deal, name, topic, text }),
        1 => (0..2usize).prop_map(|review| Action::ReviewStart { review }),
        1 => (0..2usize).prop_map(|review| Action::ReviewEnd { review }),
        2 => crm_import(),
        2 => action(),
    ]
}

fn step(laptops: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => (0..laptops, racing_action()).prop_map(|(laptop, action)| Step::Act { laptop, action }),
        3 => (0..laptops, 0..laptops, any::<u64>()).prop_map(|(from, to, pick)| Step::Sync { from, to, pick }),
        1 => (0..laptops).prop_map(|laptop| Step::Backup { laptop }),
        1 => (0..laptops).prop_map(|laptop| Step::Restore { laptop }),
    ]
}

struct Laptop {
    ctx: Ctx,
    backup: Option<std::path::PathBuf>,
}

fn events_of(laptop: &Laptop) -> Vec<RawEvent> {
    laptop.ctx.store().read(query::raw_events).unwrap()
}

fn take_in(laptop: &Laptop, events: &[RawEvent]) {
    let now = laptop.ctx.now();
    laptop.ctx.store().import(events, now).unwrap_or_else(|e| panic!("an import was refused: {e}"));
}

/// A small, seeded pseudo-random stream: which events a partial sync carries, and in what order.
struct Picks(u64);

impl Picks {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// The events a sync carries: everything, in order, for seed 0.
fn partial(events: Vec<RawEvent>, seed: u64) -> Vec<RawEvent> {
    if seed == 0 {
        return events;
    }
    let mut picks = Picks(seed);
    let keep = picks.next() % 4; // 0: none, 1–2: some, 3: all
    let mut out: Vec<RawEvent> = match keep {
        0 => Vec::new(),
        3 => events,
        _ => events.into_iter().filter(|_| !picks.next().is_multiple_of(3)).collect(),
    };
    // Reordered, and a few sent twice.
    for i in (1..out.len()).rev() {
        let j = (picks.next() % (i as u64 + 1)) as usize;
        out.swap(i, j);
    }
    let repeats: Vec<RawEvent> = out.iter().filter(|_| picks.next().is_multiple_of(5)).cloned().collect();
    out.extend(repeats);
    out
}

/// Plays `steps` on `n` laptops, then lets every laptop take in everything, and checks that they
/// agree with each other and with a rebuild. Returns the kinds of conflict the merge met.
fn run(n: usize, steps: &[Step]) -> Vec<String> {
    // Each refold holds two deals at most: it writes deals back and reads them again as it goes.
    handoff_store::hold_at_most(2);
    let home = tempfile::tempdir().unwrap();
    // The people sign on whichever laptop they are at: their keys sit in one shared folder here.
    let keys = || LaptopKeys::in_data_folder(home.path());
    let base = start() + Duration::days(30);
    let laptops: Vec<Laptop> = (0..n)
        .map(|k| {
            // Laptop 1 runs four minutes slow: it still stamps after everything it has seen.
            let clock = base + Duration::seconds(if k == 1 { -240 } else { 7 * k as i64 });
            let ctx =
                Ctx::open_with_clock(&home.path().join(format!("laptop{k}.db")), true, Arc::new(FixedClock(clock)))
                    .unwrap()
                    .with_keys(keys());
            Laptop { ctx, backup: None }
        })
        .collect();
    let mut laptops = laptops;
    // The first laptop sets the agency up; the others join it empty and take in its log.
    set_up(&laptops[0].ctx);
    let seed = events_of(&laptops[0]);
    for laptop in &laptops[1..] {
        take_in(laptop, &seed);
    }
    let mut deals: Vec<String> = Vec::new();
    // Three deals on the first laptop, known to all, so most actions have something to act on.
    for i in 0..3 {
        perform(&laptops[0].ctx, &mut deals, i, &Action::AddDeal { owner: i % 2 }).unwrap();
    }
    let seed = events_of(&laptops[0]);
    for laptop in &laptops[1..] {
        take_in(laptop, &seed);
    }
    for (i, s) in steps.iter().enumerate() {
        match s {
            Step::Act { laptop, action } => {
                let _ = perform(&laptops[*laptop].ctx, &mut deals, i + 3, action);
            }
            Step::Sync { from, to, pick } => {
                let events = partial(events_of(&laptops[*from]), *pick);
                take_in(&laptops[*to], &events);
            }
            Step::Backup { laptop } => {
                let path = home.path().join(format!("backup{laptop}-{i}.db"));
                let req = handoff_api::dto::BackupRequest { out: path.clone(), force: false };
                handoff_api::backup(&laptops[*laptop].ctx, req).unwrap();
                laptops[*laptop].backup = Some(path);
            }
            Step::Restore { laptop } => {
                if let Some(path) = laptops[*laptop].backup.clone() {
                    handoff_api::restore(&laptops[*laptop].ctx, &path).unwrap();
                }
            }
        }
    }
    // At rest: everyone takes in everyone's log (twice round, as a hub would relay it).
    for _ in 0..2 {
        for from in 0..n {
            let events = events_of(&laptops[from]);
            for to in (0..n).filter(|to| *to != from) {
                take_in(&laptops[to], &events);
            }
        }
    }
    let tables: Vec<String> = laptops.iter().map(|l| l.ctx.store().read(query::read_tables_dump).unwrap()).collect();
    for (k, t) in tables.iter().enumerate().skip(1) {
        assert_eq!(t, &tables[0], "laptop {k} differs from laptop 0 at rest");
    }
    let rebuilt = handoff_api::rebuild(&laptops[0].ctx).unwrap();
    assert_eq!(rebuilt.integrity, "ok");
    let after = laptops[0].ctx.store().read(query::read_tables_dump).unwrap();
    assert_eq!(after, tables[0], "the merged tables differ from a rebuild of the merged log");
    // However the laptops raced, a handed-off deal carries both sign-offs, valid.
    let rows = laptops[0].ctx.store().read(|c| query::deals(c, None)).unwrap();
    for row in rows {
        let deal = laptops[0].ctx.store().read(|c| query::deal(c, row.id)).unwrap().unwrap();
        if deal.status == handoff_domain::deal::DealStatus::HandedOff {
            assert!(deal.both_signed(), "{} was handed off without both sign-offs valid", deal.title);
        }
    }
    let conflicts = laptops[0].ctx.store().read(|c| query::conflicts(c, true)).unwrap();
    conflicts.into_iter().map(|c| c.kind.to_string()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn laptops_that_exchange_their_logs_converge(n in 2..=4usize, steps in prop::collection::vec(step(4), 1..60)) {
        let steps: Vec<Step> = steps
            .into_iter()
            .map(|s| match s {
                Step::Act { laptop, action } => Step::Act { laptop: laptop % n, action },
                Step::Sync { from, to, pick } => Step::Sync { from: from % n, to: to % n, pick },
                Step::Backup { laptop } => Step::Backup { laptop: laptop % n },
                Step::Restore { laptop } => Step::Restore { laptop: laptop % n },
            })
            .collect();
        run(n, &steps);
    }
}

/// The one counterexample the property has found (its seed is kept in
/// `proptest-regressions/tests/convergence.txt`), pinned by name as it shrank: a trip set on a
/// deal not yet won, then two other deals won, on one laptop of two.
#[test]
fn pinned_a_trip_set_on_an_open_deal_then_two_wins() {
    let act = |action| Step::Act { laptop: 0, action };
    run(
        2,
        &[
            act(Action::TripSet { deal: 1, start_day: 3, days: 0 }),
            act(Action::Won { deal: 0 }),
            act(Action::Won { deal: 2 }),
        ],
    );
}

/// The property's runs do meet conflicts: a run of racing laptops that never conflicted would
/// prove little about merging.
#[test]
fn racing_laptops_meet_conflicts_and_still_converge() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = prop::collection::vec(step(2), 60..90);
    let mut kinds = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let steps = strategy.new_tree(&mut runner).unwrap().current();
        kinds.extend(run(2, &steps));
    }
    for kind in ["won-twice", "section-overwritten", "imported-twice"] {
        assert!(kinds.contains(kind), "no run met {kind}: {kinds:?}");
    }
}

/// Sam and Fay race on two laptops that cannot see each other: both win the deal, both write the
/// same section, Fay ends the meeting while Sam edits. Both laptops agree afterwards.
#[test]
fn the_races_of_a_handoff_meeting_settle_the_same_on_both_laptops() {
    use Action::*;
    let a = |action| Step::Act { laptop: 0, action };
    let b = |action| Step::Act { laptop: 1, action };
    let all = |from, to| Step::Sync { from, to, pick: 0 };
    let kinds = run(
        2,
        &[
            a(Won { deal: 0 }),
            b(Won { deal: 0 }),
            all(0, 1),
            all(1, 0),
            a(Start { deal: 0 }),
            a(WriteBrief { deal: 0 }),
            all(0, 1),
            a(Write { deal: 0, section: 0, text: "Acme".into() }),
            b(Write { deal: 0, section: 0, text: "Acme GmbH".into() }),
            all(0, 1),
            all(1, 0),
            a(Sign { deal: 0, person: 0 }),
            b(Sign { deal: 0, person: 2 }),
            all(0, 1),
            all(1, 0),
            b(End { deal: 0 }),
            a(Write { deal: 0, section: 5, text: "Visa".into() }),
        ],
    );
    for kind in ["won-twice", "section-overwritten"] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} in {kinds:?}");
    }
    assert!(
        kinds.iter().any(|k| k == "edited-after-handoff" || k == "ended-after-edit"),
        "the end and the edit raced: one of them stands, the other is a conflict: {kinds:?}"
    );
}

/// Both laptops start the same Tuesday review unseen by each other, and both end it: the first
/// start and the first end count on both, with no conflict to settle.
#[test]
fn a_review_started_and_ended_on_two_laptops_is_one_meeting_on_both() {
    use Action::*;
    let all = |from, to| Step::Sync { from, to, pick: 0 };
    // Steps from the fourth on fall on Tuesday 3 March, the first review's day.
    let kinds = run(
        2,
        &[
            all(0, 1),
            all(1, 0),
            all(0, 1),
            Step::Act { laptop: 0, action: ReviewStart { review: 0 } },
            Step::Act { laptop: 1, action: ReviewStart { review: 0 } },
            Step::Act { laptop: 1, action: ReviewEnd { review: 0 } },
            Step::Act { laptop: 0, action: ReviewEnd { review: 0 } },
        ],
    );
    assert!(kinds.is_empty(), "a review held twice is not a conflict: {kinds:?}");
}

/// The review allows one pick, and two laptops each pick another trip for it unseen by each
/// other: the first pick by clock stands on both, the second is a conflict, and a rebuild agrees
/// (a refold counts a review's picks with every pick before it, held in memory or not).
#[test]
fn picks_beyond_the_reviews_limit_on_two_laptops_leave_the_first_standing() {
    use Action::*;
    let all = |from, to| Step::Sync { from, to, pick: 0 };
    let mut steps = vec![
        Step::Act { laptop: 0, action: PicksPerReview { picks: 1 } },
        Step::Act { laptop: 0, action: Won { deal: 0 } },
        Step::Act { laptop: 0, action: Won { deal: 1 } },
        // Thursday 5 March to Friday 6 March: a trip for the review of 10 March.
        Step::Act { laptop: 0, action: TripSet { deal: 0, start_day: 3, days: 1 } },
        Step::Act { laptop: 0, action: TripSet { deal: 1, start_day: 3, days: 1 } },
        all(0, 1),
    ];
    // Steps land three hours apart: both trips are over from the 37th on.
    while steps.len() < 37 {
        steps.push(all(0, 1));
    }
    steps.push(Step::Act { laptop: 0, action: Pick { deal: 0, review: 1 } });
    steps.push(Step::Act { laptop: 1, action: Pick { deal: 1, review: 1 } });
    let kinds = run(2, &steps);
    assert_eq!(kinds.len(), 1, "one of the two picks is a conflict: {kinds:?}");
}

// ---- through a hub ---------------------------------------------------------------------------

/// What happens next, somewhere, when the laptops sync through a hub.
#[derive(Clone, Debug)]
enum HubStep {
    Act {
        laptop: usize,
        action: Action,
    },
    Sync {
        laptop: usize,
    },
    /// A sync whose connection drops part-way: its request cut short, or its answer lost after
    /// the hub took the request (so the next sync sends it again).
    DroppedSync {
        laptop: usize,
        cut: Cut,
    },
    Backup {
        laptop: usize,
    },
    Restore {
        laptop: usize,
    },
}

fn hub_step(laptops: usize) -> impl Strategy<Value = HubStep> {
    let cut = prop_oneof![(0..20_000u64).prop_map(Cut::Request), (0..20_000u64).prop_map(Cut::Answer)];
    prop_oneof![
        8 => (0..laptops, racing_action()).prop_map(|(laptop, action)| HubStep::Act { laptop, action }),
        3 => (0..laptops).prop_map(|laptop| HubStep::Sync { laptop }),
        2 => (0..laptops, cut).prop_map(|(laptop, cut)| HubStep::DroppedSync { laptop, cut }),
        1 => (0..laptops).prop_map(|laptop| HubStep::Backup { laptop }),
        1 => (0..laptops).prop_map(|laptop| HubStep::Restore { laptop }),
    ]
}

/// A hub on 127.0.0.1 with its storage, served from its own runtime for as long as it lives.
struct TestHub {
    url: String,
    storage: handoff_hub::storage::Sqlite,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn test_hub() -> TestHub {
    use handoff_hub::storage::Storage;
    let dir = tempfile::tempdir().unwrap();
    let storage = handoff_hub::storage::Sqlite::open(&dir.path().join("hub.db")).unwrap();
    storage.create_agency("Prop").unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = handoff_hub::server::router(handoff_hub::server::Hub::new(storage.clone()));
    runtime.spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
    });
    TestHub { url, storage, _runtime: runtime, _dir: dir }
}

/// Laptop `k` joins `hub`, reaching it at `url`.
fn join_hub(hub: &TestHub, url: &str, laptop: &Laptop, k: usize) {
    use handoff_hub::storage::Storage;
    let token = format!("hndf_laptop_{k}_{}", std::process::id());
    hub.storage.create_token("Prop", &format!("Laptop {k}"), &handoff_hub::storage::token_hash(&token)).unwrap();
    let req = handoff_api::dto::SyncJoinRequest { url: url.to_string(), token };
    let joined = handoff_api::sync_join(&laptop.ctx, req).unwrap();
    assert!(joined.status.last_error.is_none(), "{:?}", joined.status.last_error);
}

fn sync(laptop: &Laptop) {
    handoff_api::sync_now(&laptop.ctx).unwrap_or_else(|e| panic!("a sync failed: {e}"));
}

/// What a run through a hub met: the kinds of conflict, and how many dropped syncs failed.
struct HubRun {
    kinds: Vec<String>,
    dropped: usize,
}

/// Plays `steps` on `n` laptops syncing through one hub; at rest they agree with each other and
/// with a rebuild, and the hub holds every event the laptops hold, once.
fn run_through_hub(n: usize, steps: &[HubStep]) -> HubRun {
    let mut dropped = 0;
    let hub = test_hub();
    let home = tempfile::tempdir().unwrap();
    let base = start() + Duration::days(30);
    let mut laptops: Vec<Laptop> = (0..n)
        .map(|k| {
            let clock = base + Duration::seconds(if k == 1 { -240 } else { 7 * k as i64 });
            let ctx =
                Ctx::open_with_clock(&home.path().join(format!("laptop{k}.db")), true, Arc::new(FixedClock(clock)))
                    .unwrap()
                    .with_keys(LaptopKeys::in_data_folder(home.path()));
            Laptop { ctx, backup: None }
        })
        .collect();
    set_up(&laptops[0].ctx);
    let mut deals: Vec<String> = Vec::new();
    for i in 0..3 {
        perform(&laptops[0].ctx, &mut deals, i, &Action::AddDeal { owner: i % 2 }).unwrap();
    }
    // Each laptop reaches the hub by a link of its own, which drops a connection when told to.
    let links: Vec<Link> = (0..n).map(|_| Link::to(&hub.url)).collect();
    for (k, laptop) in laptops.iter().enumerate() {
        join_hub(&hub, &links[k].url(), laptop, k);
    }
    for (i, s) in steps.iter().enumerate() {
        match s {
            HubStep::Act { laptop, action } => {
                let _ = perform(&laptops[*laptop].ctx, &mut deals, i + 3, action);
            }
            HubStep::Sync { laptop } => sync(&laptops[*laptop]),
            HubStep::DroppedSync { laptop, cut } => {
                links[*laptop].cut_next(*cut);
                // Fails when the cut falls inside what this sync sends or hears; either way
                // nothing is half-taken, and the next sync carries on.
                dropped += usize::from(handoff_api::sync_now(&laptops[*laptop].ctx).is_err());
                links[*laptop].cut_next_none();
            }
            HubStep::Backup { laptop } => {
                let path = home.path().join(format!("backup{laptop}-{i}.db"));
                handoff_api::backup(
                    &laptops[*laptop].ctx,
                    handoff_api::dto::BackupRequest { out: path.clone(), force: false },
                )
                .unwrap();
                laptops[*laptop].backup = Some(path);
            }
            HubStep::Restore { laptop } => {
                if let Some(path) = laptops[*laptop].backup.clone() {
                    handoff_api::restore(&laptops[*laptop].ctx, &path).unwrap();
                }
            }
        }
    }
    for _ in 0..2 {
        for laptop in &laptops {
            sync(laptop);
        }
    }
    let tables: Vec<String> = laptops.iter().map(|l| l.ctx.store().read(query::read_tables_dump).unwrap()).collect();
    for (k, t) in tables.iter().enumerate().skip(1) {
        assert_eq!(t, &tables[0], "laptop {k} differs from laptop 0 at rest");
    }
    handoff_api::rebuild(&laptops[0].ctx).unwrap();
    assert_eq!(laptops[0].ctx.store().read(query::read_tables_dump).unwrap(), tables[0], "differs from a rebuild");
    for laptop in &laptops {
        let status = handoff_api::sync_status(&laptop.ctx).unwrap();
        assert_eq!(status.waiting, 0, "everything was sent: {status:?}");
    }
    {
        use handoff_hub::storage::Storage;
        let agency = hub.storage.agency("Prop").unwrap().id;
        let held: u64 = hub.storage.heads(agency).unwrap().values().map(|h| h.seq).sum();
        let events = laptops[0].ctx.store().read(query::event_count).unwrap() as u64;
        assert_eq!(held, events, "the hub holds every event once (each laptop's numbered without a gap)");
    }
    let conflicts = laptops[0].ctx.store().read(|c| query::conflicts(c, true)).unwrap();
    HubRun { kinds: conflicts.into_iter().map(|c| c.kind.to_string()).collect(), dropped }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn laptops_syncing_through_a_hub_converge(n in 2..=5usize, steps in prop::collection::vec(hub_step(5), 1..50)) {
        let steps: Vec<HubStep> = steps
            .into_iter()
            .map(|s| match s {
                HubStep::Act { laptop, action } => HubStep::Act { laptop: laptop % n, action },
                HubStep::Sync { laptop } => HubStep::Sync { laptop: laptop % n },
                HubStep::DroppedSync { laptop, cut } => HubStep::DroppedSync { laptop: laptop % n, cut },
                HubStep::Backup { laptop } => HubStep::Backup { laptop: laptop % n },
                HubStep::Restore { laptop } => HubStep::Restore { laptop: laptop % n },
            })
            .collect();
        run_through_hub(n, &steps);
    }
}

/// The race of two leads winning one deal, settled through the hub the same on both laptops.
#[test]
fn a_deal_won_on_two_laptops_through_the_hub_is_one_conflict_on_both() {
    use Action::*;
    let kinds = run_through_hub(
        2,
        &[
            HubStep::Act { laptop: 0, action: Won { deal: 0 } },
            HubStep::Act { laptop: 1, action: Won { deal: 0 } },
            HubStep::Sync { laptop: 1 },
            HubStep::Sync { laptop: 0 },
        ],
    );
    assert_eq!(kinds.kinds, ["won-twice"]);
}

/// Syncs whose connection drops part-way — the request cut short, or the answers lost after the
/// hub took what they answered — fail, and the next sync carries on: nothing lost, nothing
/// taken twice, the laptops the same.
#[test]
fn syncs_dropped_part_way_fail_and_the_next_carries_on_with_nothing_taken_twice() {
    use Action::*;
    let mut steps = Vec::new();
    for (i, at) in [40u64, 200, 700, 1_500, 3_000, 6_000].into_iter().enumerate() {
        let (one, other) = (i % 2, 1 - i % 2);
        steps.push(HubStep::Act { laptop: one, action: Won { deal: i % 3 } });
        steps.push(HubStep::Act { laptop: one, action: WriteBrief { deal: i % 3 } });
        steps.push(HubStep::DroppedSync { laptop: one, cut: Cut::Answer(at) });
        steps.push(HubStep::Act { laptop: other, action: Start { deal: i % 3 } });
        steps.push(HubStep::DroppedSync { laptop: other, cut: Cut::Request(at) });
    }
    let run = run_through_hub(2, &steps);
    assert!(run.dropped >= 4, "the cuts fell inside the syncs: {} failed", run.dropped);
}
