//! Two laptops and a hub on this machine (127.0.0.1 only), through the real `handoff` and
//! `handoff-hub` binaries: the Sales lead writes and signs on one laptop, the Fulfilment lead
//! signs on the other, the meeting ends, and both laptops agree on everything — the dwell
//! included. And the refusals: a database of another agency, a revoked token, no hub at all.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::fixtures::in_meeting_with_full_brief;
use crate::util::Agency;

/// The `handoff-hub` binary the workspace's build puts beside `handoff`.
fn hub_bin() -> PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("handoff-hub");
    assert!(bin.exists(), "the hub is not at {}: build it first with `cargo build -p handoff-hub`", bin.display());
    bin
}

/// A hub serving from a temporary folder on a free port of 127.0.0.1; stopped when dropped.
struct HubProcess {
    dir: tempfile::TempDir,
    child: Child,
    url: String,
}

impl HubProcess {
    fn start() -> HubProcess {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("hub.db");
        admin(&data, &["agency", "create", "Wayfarer Travel"]);
        let mut child = Command::new(hub_bin())
            .arg("--data")
            .arg(&data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("HANDOFF_TEST_RUN", std::env::var("HANDOFF_TEST_RUN").unwrap_or_default())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The hub says where it listens on its first line.
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.trim().rsplit(' ').next().unwrap().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "the hub said: {line}");
        HubProcess { dir, child, url }
    }

    /// Runs `handoff-hub --data … ARGS` on this hub's data and returns its stdout.
    fn admin(&self, args: &[&str]) -> String {
        admin(&self.dir.path().join("hub.db"), args)
    }

    /// A new token for `person`.
    fn token(&self, person: &str) -> String {
        let made: Value = serde_json::from_str(&self.admin(&[
            "--json",
            "token",
            "create",
            "--agency",
            "Wayfarer Travel",
            "--person",
            person,
        ]))
        .unwrap();
        made["token"].as_str().unwrap().to_string()
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `handoff-hub --data DATA ARGS` and returns its stdout.
fn admin(data: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(hub_bin()).arg("--data").arg(data).args(args).output().unwrap();
    assert!(out.status.success(), "handoff-hub {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn dwell(a: &Agency) -> Value {
    a.json(&["metrics", "dwell"])
}

#[test]
fn two_laptops_and_a_hub_run_the_whole_sales_to_fulfilment_handoff() {
    let hub = HubProcess::start();
    // Sam's laptop has the agency, the deal and the brief; it seeds the hub.
    let sams = Agency::wayfarer();
    in_meeting_with_full_brief(&sams);
    let joined = sams.json(&["sync", "join", &hub.url, "--token", &hub.token("Sam Reyes")]);
    assert!(joined["sent"].as_u64().unwrap() > 10, "{joined}");
    assert_eq!(joined["status"]["waiting"], 0, "{joined}");

    // Fay joins with a new, empty database and takes in the whole agency.
    let fays = Agency::empty();
    let joined = fays.json(&["sync", "join", &hub.url, "--token", &hub.token("Fay Okafor")]);
    assert!(joined["received"].as_u64().unwrap() > 10, "{joined}");
    assert!(fays.ok(&["deal", "show", "Alpine retreat"]).contains("Zoë Müller"), "the brief reached Fay's laptop");

    // Each signs on their own laptop, with their own key.
    sams.sign("Alpine retreat", "Sam Reyes", "2026-03-03 14:10");
    sams.ok(&["sync", "now"]);
    fays.ok(&["sync", "now"]);
    fays.sign("Alpine retreat", "Fay Okafor", "2026-03-03 14:11");
    fays.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:12"]);
    fays.ok(&["sync", "now"]);
    sams.ok(&["sync", "now"]);

    let on_sams = sams.json(&["deal", "show", "Alpine retreat"]);
    assert_eq!(on_sams["status"], "handed-off", "{on_sams}");
    assert_eq!(dwell(&sams), dwell(&fays), "both laptops report the same dwell");
    assert_eq!(
        sams.json(&["deal", "show", "Alpine retreat"])["timeline"],
        fays.json(&["deal", "show", "Alpine retreat"])["timeline"],
        "both laptops tell the same story, in the same order"
    );
    let status = sams.json(&["sync", "status"]);
    assert_eq!(status["joined"], true);
    assert_eq!(status["waiting"], 0);
    assert!(status["last_success"].is_string(), "{status}");
}

#[test]
fn a_database_of_another_agency_a_revoked_token_and_sync_off_are_refused_clearly() {
    let hub = HubProcess::start();
    let first = Agency::wayfarer();
    first.json(&["sync", "join", &hub.url, "--token", &hub.token("Sam Reyes")]);

    // A laptop with an agency of its own cannot join this one.
    let other = Agency::wayfarer();
    let err = other.refused(&["sync", "join", &hub.url, "--token", &hub.token("Fay Okafor")]);
    assert!(err.contains("another agency") && err.contains("new, empty database"), "{err}");

    // A revoked token fails at its next request.
    let token = hub.token("Bo Lind");
    let bos = Agency::empty();
    bos.json(&["sync", "join", &hub.url, "--token", &token]);
    let listed: Value = serde_json::from_str(&hub.admin(&["--json", "token", "list"])).unwrap();
    let id = listed.as_array().unwrap().iter().find(|t| t["person"] == "Bo Lind").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    hub.admin(&["token", "revoke", &id]);
    let err = bos.refused(&["sync", "now"]);
    assert!(err.contains("token") && err.contains("revoked"), "{err}");
    let status = bos.json(&["sync", "status"]);
    assert!(status["last_error"].as_str().unwrap().contains("revoked"), "{status}");

    // A hub that is not there: the laptop says it works offline.
    bos.ok(&["sync", "leave"]);
    let err = bos.refused(&["sync", "now"]);
    assert!(err.contains("not joined a hub") && err.contains("handoff sync join"), "{err}");
    let nowhere = Agency::wayfarer();
    let joined = nowhere.run(&["--json", "sync", "join", "http://127.0.0.1:9", "--token", "hndf_nothing"]);
    let err = String::from_utf8_lossy(&joined.stderr);
    assert!(!joined.status.success() && err.contains("cannot be reached") && err.contains("offline"), "{err}");
}
