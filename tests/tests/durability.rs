//! Durability: a `handoff` process killed with SIGKILL at a random moment loses no acknowledged
//! action, leaves no part of an action behind, and leaves a sound file.
//!
//! One database is set up through the real binary so that `deal won` always falls to the founder
//! (the fulfilment lead and its only backup are away): that action appends two events
//! (`deal_won` + `founder_escalated`) and writes a `deals` row and an `escalations` row, so a
//! half-written action would be visible. Each round a shell in its own process group runs a
//! planned sequence of `handoff --json deal add` / `handoff --json deal won` processes, their
//! answers going straight to a pipe; after a uniformly random delay the whole group gets SIGKILL.
//! An action is acknowledged when its complete JSON answer was read (the CLI prints only after the
//! commit). The database is then reopened and checked.
//!
//! The binary belongs to `handoff-cli`: build it first (`cargo build -p handoff-cli`, or run the
//! whole workspace's tests, which builds it).

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use handoff_store::{query, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::util::handoff_bin;

/// Rounds of spawn, random kill, reopen and check (the rule asks for at least 200).
const ROUNDS: usize = 220;
/// Deals each round's writer plans to add and win (two actions each); more than fit in the
/// largest delay, so nearly every kill lands before the plan is done.
const DEALS_PER_ROUND: usize = 10;
/// The kill comes after a delay drawn uniformly from `0..=MAX_DELAY_US` microseconds.
const MAX_DELAY_US: u64 = 40_000;

/// The writer: one `handoff` process per action, with a marker on stderr just before each starts
/// and one just after it exits. A refused or failed action stops the writer with status 3 (the
/// test then fails).
const WRITER: &str = r#"
db=$1; bin=$2; shift 2
for t in "$@"; do
  echo "start add $t" >&2
  "$bin" --db "$db" --json deal add --title "$t" --customer Durable --value 1234.50 --currency EUR --owner Sam \
    || { echo "FAILED add $t" >&2; exit 3; }
  echo "exited add $t" >&2
  echo "start won $t" >&2
  "$bin" --db "$db" --json deal won "$t" || { echo "FAILED won $t" >&2; exit 3; }
  echo "exited won $t" >&2
done
"#;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Add,
    Won,
}

/// One planned action of a round.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Action {
    kind: Kind,
    title: String,
}

/// What the writer printed before it died.
struct Outcome {
    /// Complete JSON answers, in order: the acknowledged actions.
    acks: Vec<Value>,
    /// How many actions were started (a process spawned for them).
    started: usize,
    /// How many of those processes exited.
    exited: usize,
    status: ExitStatus,
    stderr: String,
}

fn setup(bin: &Path, db: &Path) {
    let steps: [&[&str]; 10] = [
        &["init", "--agency", "Durable Travel", "--timezone", "Europe/London"],
        &["person", "add", "--name", "Sam", "--dept", "sales"],
        &["person", "add", "--name", "Flo", "--dept", "fulfilment"],
        &["person", "add", "--name", "Bea", "--dept", "fulfilment"],
        &["person", "add", "--name", "Fay", "--dept", "founder"],
        &["person", "away", "Flo", "--from", "2000-01-01", "--to", "2199-12-31"],
        &["person", "away", "Bea", "--from", "2000-01-01", "--to", "2199-12-31"],
        &["dept", "set", "sales", "--lead", "Sam"],
        &["dept", "set", "fulfilment", "--lead", "Flo", "--backups", "Bea"],
        &["dept", "set", "founder", "--lead", "Fay"],
    ];
    for args in steps {
        assert_cmd::Command::new(bin).arg("--db").arg(db).arg("--json").args(args).assert().success();
    }
}

fn plan(round: usize) -> Vec<Action> {
    (0..DEALS_PER_ROUND)
        .flat_map(|i| {
            let title = format!("r{round}-d{i}");
            [Action { kind: Kind::Add, title: title.clone() }, Action { kind: Kind::Won, title }]
        })
        .collect()
}

fn spawn_writer(bin: &Path, db: &Path, plan: &[Action]) -> Child {
    // The shell runs "add" then "won" for each title, which is the order `plan` gives.
    let titles = plan.iter().filter(|a| a.kind == Kind::Add).map(|a| a.title.as_str());
    Command::new("sh")
        .arg("-c")
        .arg(WRITER)
        .arg("writer")
        .arg(db)
        .arg(bin)
        .args(titles)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("spawn the writer shell")
}

/// SIGKILL to the whole process group: the shell and the `handoff` process it is running.
/// It fails only when the group is gone (the writer finished first), which the caller sees.
fn kill_group(pgid: u32) {
    Command::new("kill").args(["-KILL", "--", &format!("-{pgid}")]).stderr(Stdio::null()).status().expect("run kill");
}

fn run_round(bin: &Path, db: &Path, plan: &[Action], delay: Duration) -> Outcome {
    let mut child = spawn_writer(bin, db, plan);
    let spawned = Instant::now();
    std::thread::sleep(delay.saturating_sub(spawned.elapsed()));
    kill_group(child.id());
    let status = child.wait().expect("wait for the writer");
    // Reading to EOF means every process that held the pipes (the killed `handoff` included)
    // is gone, so nothing can write to the database while it is checked.
    let mut stdout = Vec::new();
    child.stdout.take().expect("stdout").read_to_end(&mut stdout).expect("read stdout");
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("read stderr");
    let mut acks = Vec::new();
    for doc in serde_json::Deserializer::from_slice(&stdout).into_iter::<Value>() {
        match doc {
            Ok(v) => acks.push(v),
            // An answer cut short by the kill is not an acknowledgement; nothing can follow it.
            Err(e) if e.is_eof() => break,
            Err(e) => {
                panic!("the writer printed something that is not JSON ({e}):\n{}", String::from_utf8_lossy(&stdout))
            }
        }
    }
    let started = stderr.lines().filter(|l| l.starts_with("start ")).count();
    let exited = stderr.lines().filter(|l| l.starts_with("exited ")).count();
    Outcome { acks, started, exited, status, stderr }
}

fn ack_action(ack: &Value) -> Action {
    let title = ack["title"].as_str().unwrap_or_else(|| panic!("an answer without a title: {ack}")).to_owned();
    if ack.get("assigned_because").is_some() {
        Action { kind: Kind::Won, title }
    } else {
        assert_eq!(ack["status"], "open", "a deal add answer: {ack}");
        Action { kind: Kind::Add, title }
    }
}

/// Per deal in the log: how many events of each kind name it.
fn events_by_deal(store: &Store) -> BTreeMap<String, BTreeMap<String, i64>> {
    let mut stmt = store
        .connection()
        .prepare("SELECT deal, kind, count(*) FROM events WHERE deal IS NOT NULL GROUP BY deal, kind")
        .unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))).unwrap();
    for row in rows {
        let (deal, kind, n) = row.unwrap();
        out.entry(deal).or_default().insert(kind, n);
    }
    out
}

/// The whole file, after a kill: sound, every deal's action whole, read tables equal to the log.
fn check_whole_database(store: &mut Store, founder: &str, round: usize) {
    assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}: integrity_check after the kill");
    let conn = store.connection();
    let mut deals: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    {
        let mut stmt = conn.prepare("SELECT id, status, fulfilment_owner FROM deals").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?)))).unwrap();
        for row in rows {
            let (id, v) = row.unwrap();
            deals.insert(id, v);
        }
    }
    let mut escalations: BTreeMap<String, i64> = BTreeMap::new();
    {
        let mut stmt = conn.prepare("SELECT deal, count(*) FROM escalations GROUP BY deal").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))).unwrap();
        for row in rows {
            let (deal, n) = row.unwrap();
            let deal = deal.unwrap_or_else(|| panic!("round {round}: an escalation without a deal"));
            escalations.insert(deal, n);
        }
    }
    let log = events_by_deal(store);
    assert_eq!(
        log.keys().collect::<Vec<_>>(),
        deals.keys().collect::<Vec<_>>(),
        "round {round}: the deals read table and the deals in the log differ"
    );
    for (deal, kinds) in &log {
        let n = |k: &str| kinds.get(k).copied().unwrap_or(0);
        let won = n("deal_won");
        assert_eq!(n("deal_added"), 1, "round {round}: deal {deal} events {kinds:?}");
        assert!(won <= 1, "round {round}: deal {deal} won twice: {kinds:?}");
        assert_eq!(n("founder_escalated"), won, "round {round}: deal {deal} is a partial win: {kinds:?}");
        assert_eq!(kinds.len() as i64, 1 + 2 * won, "round {round}: deal {deal} has unexpected events: {kinds:?}");
        assert_eq!(
            escalations.get(deal).copied().unwrap_or(0),
            won,
            "round {round}: deal {deal} escalations rows vs its events {kinds:?}"
        );
        let (status, owner) = &deals[deal];
        if won == 1 {
            assert_eq!(status, "won", "round {round}: deal {deal}");
            assert_eq!(owner.as_deref(), Some(founder), "round {round}: deal {deal} should fall to the founder");
        } else {
            assert_eq!(status, "open", "round {round}: deal {deal}");
            assert_eq!(owner, &None, "round {round}: open deal {deal} has a fulfilment owner");
        }
    }
    assert_eq!(
        escalations.keys().filter(|d| !log.contains_key(*d)).count(),
        0,
        "round {round}: escalations for deals absent from the log"
    );
    let before = query::read_tables_dump(store.connection()).unwrap();
    store.rebuild().unwrap();
    let after = query::read_tables_dump(store.connection()).unwrap();
    assert!(before == after, "round {round}: the read tables differ from a fold of the log:\n{before}\n---\n{after}");
    assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}: integrity_check after the rebuild");
}

/// Whether `action` is in the database: the deal exists (add) or is won (won).
fn is_present(store: &Store, action: &Action) -> bool {
    let rows = query::deals_titled(store.connection(), &action.title).unwrap();
    assert!(rows.len() <= 1, "two deals titled {}", action.title);
    match (action.kind, rows.first()) {
        (_, None) => false,
        (Kind::Add, Some(_)) => true,
        (Kind::Won, Some(row)) => row.status.as_str() == "won",
    }
}

#[derive(Default)]
struct Tally {
    acknowledged: usize,
    /// Kills that hit a `handoff` process before its answer was out.
    killed_before_answer: usize,
    /// ... of which the action had been committed (its answer was lost, not the action).
    committed_unanswered: usize,
    /// Kills that hit a `handoff` process after its answer, while it closed the database.
    killed_after_answer: usize,
    /// Kills that landed in the shell, between `handoff` processes.
    killed_between: usize,
    finished_before_kill: usize,
}

#[test]
fn sigkill_during_writes_loses_no_acknowledged_action_and_leaves_no_partial_one() {
    let started = Instant::now();
    let bin = handoff_bin();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("handoff.db");
    setup(&bin, &db);
    let founder = {
        let out =
            assert_cmd::Command::new(&bin).arg("--db").arg(&db).args(["--json", "person", "list"]).assert().success();
        let list: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let fay = list
            .as_array()
            .expect("person list is an array")
            .iter()
            .find(|p| p["name"] == "Fay")
            .expect("Fay is listed");
        fay["id"].as_str().unwrap().to_owned()
    };

    let seed: u64 = match std::env::var("HANDOFF_DURABILITY_SEED") {
        Ok(s) => s.parse().expect("HANDOFF_DURABILITY_SEED is a number"),
        Err(_) => rand::random(),
    };
    println!("durability: seed {seed} (set HANDOFF_DURABILITY_SEED to replay the delays)");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tally = Tally::default();

    for round in 0..ROUNDS {
        let plan = plan(round);
        let delay = Duration::from_micros(rng.random_range(0..=MAX_DELAY_US));
        let out = run_round(&bin, &db, &plan, delay);
        let context = || {
            format!("round {round} (seed {seed}), delay {delay:?}, writer {:?}, stderr:\n{}", out.status, out.stderr)
        };

        assert!(!out.stderr.contains("FAILED"), "an action was refused: {}", context());
        if out.status.success() {
            tally.finished_before_kill += 1;
        } else {
            assert_eq!(out.status.signal(), Some(9), "the writer should die of SIGKILL: {}", context());
        }

        // The acknowledgements are the plan's first actions, in order.
        let acked = out.acks.len();
        let acked_actions: Vec<Action> = out.acks.iter().map(ack_action).collect();
        assert_eq!(acked_actions, plan[..acked], "answers out of plan: {}", context());
        assert!(
            out.exited <= acked && acked <= out.started && out.started <= acked + 1,
            "started {}, answered {acked}, exited {}: {}",
            out.started,
            out.exited,
            context()
        );

        let mut store = Store::open(&db, false).unwrap_or_else(|e| panic!("reopen after the kill: {e}: {}", context()));
        check_whole_database(&mut store, &founder, round);

        // Every acknowledged action is there as answered; of the rest, only the one in flight may be.
        for (action, ack) in acked_actions.iter().zip(&out.acks) {
            let rows = query::deals_titled(store.connection(), &action.title).unwrap();
            assert_eq!(rows.len(), 1, "acknowledged {action:?} is missing: {}", context());
            let id = match action.kind {
                Kind::Add => &ack["id"],
                Kind::Won => &ack["deal"],
            };
            assert_eq!(id.as_str(), Some(rows[0].id.to_string().as_str()), "{action:?}: {}", context());
            assert!(is_present(&store, action), "acknowledged {action:?} is missing: {}", context());
        }
        let present = plan.iter().take_while(|a| is_present(&store, a)).count();
        assert!(
            plan[present..].iter().all(|a| !is_present(&store, a)),
            "the actions present are not a prefix of the plan: {}",
            context()
        );
        assert!(present >= acked, "an acknowledged action is missing: {}", context());
        assert!(present <= out.started, "an action that never started is present: {}", context());

        tally.acknowledged += acked;
        if out.status.success() {
            // Finished before the kill: counted above.
        } else if out.started > acked {
            tally.killed_before_answer += 1;
            if present > acked {
                tally.committed_unanswered += 1;
            }
        } else if acked > out.exited {
            tally.killed_after_answer += 1;
        } else {
            tally.killed_between += 1;
        }
    }

    let elapsed = started.elapsed();
    let in_flight = tally.killed_before_answer + tally.killed_after_answer;
    println!(
        "durability: {ROUNDS} rounds in {elapsed:.1?}, {} actions acknowledged; {in_flight} kills landed while a handoff \
         process was running ({} before its answer, {} of those already committed; {} after its answer, while closing), \
         {} between processes, {} writers finished before the kill",
        tally.acknowledged,
        tally.killed_before_answer,
        tally.committed_unanswered,
        tally.killed_after_answer,
        tally.killed_between,
        tally.finished_before_kill,
    );
    assert!(tally.acknowledged > 0, "no action was ever acknowledged: the test proved nothing");
    assert!(
        tally.killed_before_answer >= ROUNDS / 10,
        "only {} of {ROUNDS} kills interrupted a handoff process before its answer: the test proved too little",
        tally.killed_before_answer
    );
}
