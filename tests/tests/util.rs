//! A temporary agency driven through the real `handoff` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A database in a temporary folder, and helpers to run `handoff` against it.
pub struct Agency {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Agency {
    /// An empty folder; no database yet.
    pub fn empty() -> Agency {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("agency.db");
        Agency { dir, db }
    }

    /// Wayfarer Travel in Europe/London with Sam (sales), Fay (fulfilment lead), Bo and Cy
    /// (backups, in that order) and Maya (founder).
    pub fn wayfarer() -> Agency {
        let a = Agency::empty();
        a.ok(&["init", "--agency", "Wayfarer Travel", "--timezone", "Europe/London"]);
        for (name, dept) in [
            ("Sam Reyes", "sales"),
            ("Fay Okafor", "fulfilment"),
            ("Bo Lind", "fulfilment"),
            ("Cy Adams", "fulfilment"),
            ("Maya Chen", "founder"),
        ] {
            a.ok(&["person", "add", "--name", name, "--dept", dept]);
        }
        a.ok(&["dept", "set", "sales", "--lead", "Sam Reyes"]);
        a.ok(&["dept", "set", "fulfilment", "--lead", "Fay Okafor", "--backups", "Bo Lind,Cy Adams"]);
        a
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("handoff").unwrap();
        c.env_remove("HANDOFF_DB").arg("--db").arg(&self.db);
        c
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
        if !self.db.exists() {
            return String::new();
        }
        let store = handoff_store::Store::open(&self.db, false).unwrap();
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

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}
