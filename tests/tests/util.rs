//! A temporary agency driven through the real `handoff` binary, and the checks the tests share.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use handoff_api::LaptopKeys;
use serde_json::Value;
use tempfile::TempDir;

/// A database in a temporary folder, and helpers to run `handoff` against it. Each agency's
/// commands run with a home folder of their own (its `keys/` is this laptop's), and no keychain.
pub struct Agency {
    pub dir: TempDir,
    pub db: PathBuf,
    /// The people who have made their signing key here (see [`Agency::sign`]).
    keyed: RefCell<HashSet<String>>,
    /// When set, every command runs under `strace`, its network system calls added to this file.
    traced: RefCell<Option<PathBuf>>,
    /// When set, every command runs with Handoff's clock this far from the system's
    /// (`HANDOFF_CLOCK_OFFSET`, whole seconds).
    clock_offset: RefCell<Option<i64>>,
}

impl Agency {
    /// An empty folder; no database yet.
    pub fn empty() -> Agency {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("agency.db");
        Agency { dir, db, keyed: RefCell::default(), traced: RefCell::default(), clock_offset: RefCell::default() }
    }

    /// The home folder the commands run with.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// This laptop's keys folder, as the commands see it.
    pub fn keys(&self) -> LaptopKeys {
        LaptopKeys::in_data_folder(&self.home().join(".local/share").join(handoff_api::APP_IDENTIFIER))
    }

    pub fn cmd(&self) -> Command {
        Command::from_std(self.process())
    }

    /// `handoff --db …` as a plain process, for a test that spawns it and kills it.
    pub fn process(&self) -> std::process::Command {
        let mut c = match &*self.traced.borrow() {
            Some(log) => {
                let mut c = std::process::Command::new("strace");
                c.args(["-f", "-qq", "-A", "-e", "trace=%network", "-o"]).arg(log).arg(handoff_bin());
                c
            }
            None => std::process::Command::new(handoff_bin()),
        };
        c.env_remove("HANDOFF_DB")
            .env_remove("HANDOFF_CLOCK_OFFSET")
            .env_remove("XDG_DATA_HOME")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("HOME", self.home())
            .arg("--db")
            .arg(&self.db);
        if let Some(offset) = *self.clock_offset.borrow() {
            c.env("HANDOFF_CLOCK_OFFSET", offset.to_string());
        }
        c
    }

    /// From now on every command runs as if it were `now` (RFC 3339), for a test whose rule
    /// reads today's date: Handoff's clock set that far from the system's.
    pub fn pin_clock(&self, now: &str) {
        let now = chrono::DateTime::parse_from_rfc3339(now).expect("an RFC 3339 time");
        *self.clock_offset.borrow_mut() = Some((now.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds());
    }

    /// From now on every command runs under `strace`, each network system call it makes (its
    /// threads' and children's too) added to `log`.
    pub fn trace_network(&self, log: &Path) {
        *self.traced.borrow_mut() = Some(log.to_path_buf());
    }

    /// The passphrase file of `person` (written on first use).
    pub fn passphrase_file(&self, person: &str) -> PathBuf {
        let path = self.dir.path().join(format!("passphrase of {person}"));
        if !path.exists() {
            std::fs::write(&path, format!("the passphrase of {person}\n")).unwrap();
        }
        path
    }

    /// Makes `person`'s signing key on this laptop, protected by their passphrase file, with a
    /// low work factor (tests open keys often; the default takes a second).
    pub fn make_key(&self, person: &str) -> Value {
        let file = self.passphrase_file(person);
        let made = self.json(&["key", "create", "--as", person, "--passphrase-file", p(&file), "--work-factor", "10"]);
        self.keyed.borrow_mut().insert(person.to_string());
        made
    }

    /// `person` signs `deal`'s brief at `at` with their own key (made here first if need be).
    pub fn sign(&self, deal: &str, person: &str, at: &str) -> String {
        if !self.keyed.borrow().contains(person) {
            self.make_key(person);
        }
        let file = self.passphrase_file(person);
        self.ok(&["brief", "sign", deal, "--as", person, "--at", at, "--passphrase-file", p(&file)])
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "handoff {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Adds an open deal `title` for Acme, 100 EUR, Sam Reyes selling, at `at`.
    pub fn add_deal(&self, title: &str, at: &str) {
        self.ok(&[
            "deal",
            "add",
            "--title",
            title,
            "--customer",
            "Acme",
            "--value",
            "100",
            "--currency",
            "EUR",
            "--owner",
            "Sam Reyes",
            "--at",
            at,
        ]);
    }

    /// Runs with `--json` and expects success; returns the one JSON document.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).expect("one JSON document")
    }

    /// Runs and expects failure with nothing written; returns the one-line stderr.
    pub fn refused(&self, args: &[&str]) -> String {
        let before = self.snapshot();
        let out = self.run(args);
        assert!(!out.status.success(), "handoff {args:?} should have failed: {}", String::from_utf8_lossy(&out.stdout));
        assert!(out.stdout.is_empty(), "a refusal prints nothing on stdout");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert_eq!(self.snapshot(), before, "handoff {args:?} wrote something although it failed");
        err.trim_end().to_string()
    }

    /// The whole log and read tables, as text (empty when there is no database yet).
    pub fn snapshot(&self) -> String {
        snapshot_of(&self.db)
    }

    /// How many events and deals the database holds (cheaper than [`Agency::snapshot`]).
    pub fn snapshot_counts(&self) -> (i64, i64) {
        let store = handoff_store::Store::open(&self.db, false).unwrap();
        let count = |sql: &str| store.connection().query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        (count("SELECT count(*) FROM events"), count("SELECT count(*) FROM deals"))
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    /// `PRAGMA integrity_check`.
    pub fn integrity(&self) -> String {
        handoff_store::Store::open(&self.db, false).unwrap().integrity_check().unwrap()
    }
}

/// The whole log and read tables of the database at `db`, as text (empty when there is none).
pub fn snapshot_of(db: &Path) -> String {
    if !db.exists() {
        return String::new();
    }
    let store = handoff_store::Store::open(db, false).unwrap();
    let conn = store.connection();
    let events: Vec<String> = conn
        .prepare("SELECT id || kind || payload FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    format!("{}\n{}", events.join("\n"), handoff_store::query::read_tables_dump(conn).unwrap())
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The `handoff` binary that `cargo build -p handoff-cli` puts in the target folder.
pub fn handoff_bin() -> PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("handoff");
    assert!(
        bin.exists(),
        "the handoff binary is not at {}: build it first with `cargo build -p handoff-cli`",
        bin.display()
    );
    bin
}

/// Asserts that the JSON number `actual` is `expected` (to 1e-9); `what` names it.
pub fn assert_near(actual: &Value, expected: f64, what: &str) {
    let got = actual.as_f64().unwrap_or_else(|| panic!("{what} is not a number: {actual}"));
    assert!((got - expected).abs() < 1e-9, "{what}: got {got}, expected {expected}");
}
