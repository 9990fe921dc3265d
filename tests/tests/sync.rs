//! Two laptops and a hub on this machine (127.0.0.1 only), through the real `handoff` and
//! `handoff-hub` binaries: the Sales lead writes and signs on one laptop, the Fulfilment lead
//! signs on the other, the meeting ends, and both laptops agree on everything — the dwell
//! included. And the refusals: a database of another agency, a revoked token, no hub at all.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::fixtures::{add_alpine, in_meeting_with_full_brief, CSV_HEADER};
use crate::link::Link;
use crate::util::{p, Agency};

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
    /// The PostgreSQL database it keeps everything in (`--database`), when not its file.
    database: Option<String>,
}

impl HubProcess {
    fn start() -> HubProcess {
        let dir = tempfile::tempdir().unwrap();
        admin(&dir.path().join("hub.db"), &["agency", "create", "Wayfarer Travel"]);
        HubProcess::serve(dir, "127.0.0.1:0")
    }

    /// Serves the hub whose data is in `dir`, listening on `listen`.
    fn serve(dir: tempfile::TempDir, listen: &str) -> HubProcess {
        HubProcess::serve_with(dir, &["--listen", listen])
    }

    /// Serves the hub whose data is in `dir` with `serve ARGS`.
    fn serve_with(dir: tempfile::TempDir, args: &[&str]) -> HubProcess {
        HubProcess::serve_from(dir, None, args)
    }

    /// Serves the hub that keeps everything in the PostgreSQL database `database`, listening
    /// on `listen`.
    fn serve_on_postgres(dir: tempfile::TempDir, database: &str, listen: &str) -> HubProcess {
        HubProcess::serve_from(dir, Some(database), &["--listen", listen])
    }

    fn serve_from(dir: tempfile::TempDir, database: Option<&str>, args: &[&str]) -> HubProcess {
        let data = dir.path().join("hub.db");
        let mut child = Command::new(hub_bin())
            .arg("--data")
            .arg(&data)
            .args(database.map(|d| ["--database", d]).iter().flatten())
            .arg("serve")
            .args(args)
            .env("HANDOFF_TEST_RUN", std::env::var("HANDOFF_TEST_RUN").unwrap_or_default())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The hub says where it listens on its first line.
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.trim().rsplit(' ').next().unwrap().to_string();
        assert!(url.starts_with("http://127.0.0.1:") || url.starts_with("https://127.0.0.1:"), "the hub said: {line}");
        HubProcess { dir, child, url, database: database.map(str::to_string) }
    }

    /// Runs `handoff-hub --data … [--database …] ARGS` on this hub's data and returns its stdout.
    fn admin(&self, args: &[&str]) -> String {
        match &self.database {
            Some(database) => admin(&self.dir.path().join("hub.db"), &[&["--database", database], args].concat()),
            None => admin(&self.dir.path().join("hub.db"), args),
        }
    }

    /// `token create` for `person` of the agency, with `more` arguments; what it made.
    fn made_for(&self, person: &str, more: &[&str]) -> Value {
        let mut args = vec!["--json", "token", "create", "--agency", "Wayfarer Travel", "--person", person];
        args.extend_from_slice(more);
        serde_json::from_str(&self.admin(&args)).unwrap()
    }

    /// A new token for `person`.
    fn token(&self, person: &str) -> String {
        self.made_for(person, &[])["token"].as_str().unwrap().to_string()
    }

    /// A new join code for `person`: this hub's address and their token in one line.
    fn join_code(&self, person: &str) -> String {
        self.made_for(person, &["--url", &self.url])["join_code"].as_str().unwrap().to_string()
    }
}

impl HubProcess {
    /// Kills the hub at once (SIGKILL) and gives back its data, to serve again.
    fn kill(mut self) -> (tempfile::TempDir, String) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let url = std::mem::take(&mut self.url);
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        (dir, url)
    }

    /// How many events the hub holds.
    fn events(&self) -> i64 {
        let conn = handoff_store::Connection::open(self.dir.path().join("hub.db")).unwrap();
        conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap()
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns `handoff ARGS` on `a`, waits `delay`, and kills it (SIGKILL) if it still runs.
fn run_and_kill(a: &Agency, args: &[&str], delay: Duration) {
    let mut child = a.process().args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

/// Six rounds of: `laptop` runs `sync now`, and the hub is killed (SIGKILL) `delay(round)` into
/// it and served again by `serve` on the same address (the laptops keep the address they joined);
/// then `meanwhile(delay)`. Returns the hub as served last.
fn killed_during_syncs(
    hub: HubProcess,
    laptop: &Agency,
    delay: impl Fn(u64) -> Duration,
    serve: impl Fn(tempfile::TempDir, &str) -> HubProcess,
    meanwhile: impl Fn(Duration),
) -> HubProcess {
    let listen = hub.url.trim_start_matches("http://").to_string();
    let mut hub = hub;
    for round in 0..6u64 {
        let delay = delay(round);
        let mut syncing =
            laptop.process().args(["sync", "now"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let (dir, _) = hub.kill();
        let _ = syncing.wait();
        hub = serve(dir, &listen);
        meanwhile(delay);
    }
    hub
}

/// How many events `db` holds.
fn events_in(db: &Path) -> i64 {
    let conn = handoff_store::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap()
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
    // Both laptops tell the same story, in the same order; each marks what came from the other.
    let story = |a: &Agency| -> (Vec<Value>, Vec<(String, bool)>) {
        let mut timeline = a.json(&["deal", "show", "Alpine retreat"])["timeline"].as_array().unwrap().clone();
        let marks = timeline
            .iter_mut()
            .map(|e| {
                let elsewhere = e.as_object_mut().unwrap().remove("from_another_laptop").unwrap().as_bool().unwrap();
                (e["summary"].as_str().unwrap().to_string(), elsewhere)
            })
            .collect();
        (timeline, marks)
    };
    let ((on_sams, sams_marks), (on_fays, fays_marks)) = (story(&sams), story(&fays));
    assert_eq!(on_sams, on_fays, "both laptops tell the same story, in the same order");
    let signed_by = |marks: &[(String, bool)], who: &str| {
        marks.iter().find(|(s, _)| s.contains(who) && s.contains("signed")).unwrap().1
    };
    assert!(signed_by(&sams_marks, "Fay") && !signed_by(&sams_marks, "Sam"), "{sams_marks:?}");
    assert!(signed_by(&fays_marks, "Sam") && !signed_by(&fays_marks, "Fay"), "{fays_marks:?}");
    let status = sams.json(&["sync", "status"]);
    assert_eq!(status["joined"], true);
    assert_eq!(status["waiting"], 0);
    assert!(status["last_success"].is_string(), "{status}");
    // The hub and the laptop share this machine's clock: the drift is the trip there and back.
    let drift = status["clock_drift_ms"].as_i64().unwrap_or_else(|| panic!("a drift after a sync: {status}"));
    assert!(drift.abs() < 60_000, "{status}");
}

#[test]
fn a_database_of_another_agency_a_revoked_token_and_sync_off_are_refused_clearly() {
    let hub = HubProcess::start();
    // A second agency on the same hub; its name taken twice is refused, saying so.
    let made: Value = serde_json::from_str(&hub.admin(&["--json", "agency", "create", "Elsewhere Tours"])).unwrap();
    assert_eq!(made["agency"], "Elsewhere Tours");
    let again = Command::new(hub_bin())
        .arg("--data")
        .arg(hub.dir.path().join("hub.db"))
        .args(["agency", "create", "Elsewhere Tours"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success() && err.contains("Elsewhere Tours"), "{err}");
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
    let revoked: Value = serde_json::from_str(&hub.admin(&["--json", "token", "revoke", &id])).unwrap();
    assert_eq!((revoked["id"].as_str(), revoked["person"].as_str()), (Some(id.as_str()), Some("Bo Lind")));
    assert!(revoked["revoked_at"].is_string(), "{revoked}");
    let err = bos.refused(&["sync", "now"]);
    assert!(err.contains("token") && err.contains("revoked"), "{err}");
    let status = bos.json(&["sync", "status"]);
    assert!(status["last_error"].as_str().unwrap().contains("revoked"), "{status}");

    // A hub that is not there: the laptop says it works offline.
    let left = bos.json(&["sync", "leave"]);
    assert_eq!((left["joined"].as_bool(), left["hub"].as_str()), (Some(false), None), "{left}");
    let err = bos.refused(&["sync", "now"]);
    assert!(err.contains("not joined a hub") && err.contains("handoff sync join"), "{err}");
    let nowhere = Agency::wayfarer();
    let joined = nowhere.run(&["--json", "sync", "join", "http://127.0.0.1:9", "--token", "hndf_nothing"]);
    let err = String::from_utf8_lossy(&joined.stderr);
    assert!(!joined.status.success() && err.contains("cannot be reached") && err.contains("offline"), "{err}");
}

/// With sync off Handoff opens no network socket at all: the whole Sales→Fulfilment handoff on
/// one laptop — the deal won in the meeting, the brief written and signed by both leads, the
/// meeting ended, the brief exported, today, the dwell, sync status — each command under
/// `strace`, which logs every socket a process or its threads open. The same tracing catches the
/// one command that does reach out (joining a hub), so the test can fail.
#[test]
fn with_sync_off_the_whole_handoff_opens_no_network_socket() {
    let a = Agency::wayfarer();
    let log = a.dir.path().join("network.log");
    a.trace_network(&log);
    in_meeting_with_full_brief(&a);
    a.sign("Alpine retreat", "Sam Reyes", "2026-03-03 14:10");
    a.sign("Alpine retreat", "Fay Okafor", "2026-03-03 14:11");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:12"]);
    let pdf = a.dir.path().join("brief.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&pdf)]);
    assert!(pdf.exists());
    for verb in [&["today"][..], &["metrics", "dwell"], &["deal", "show", "Alpine retreat"]] {
        a.ok(verb);
    }
    assert_eq!(a.json(&["sync", "status"])["joined"], false);
    let traced = std::fs::read_to_string(&log).expect("strace wrote its log");
    assert!(!traced.contains("AF_INET"), "a network socket with sync off:\n{traced}");

    let joining = a.run(&["sync", "join", "http://127.0.0.1:9", "--token", "hndf_nothing"]);
    assert!(!joining.status.success());
    let traced = std::fs::read_to_string(&log).unwrap();
    assert!(traced.contains("AF_INET"), "joining a hub is traced as reaching out:\n{traced}");
}

#[test]
fn a_join_code_joins_and_the_preview_says_what_joining_does_to_what_a_laptop_holds() {
    let hub = HubProcess::start();
    let sams = Agency::wayfarer();
    add_alpine(&sams, "Lena Park", &[], "2026-11-20 10:00");
    let preview = sams.json(&["sync", "preview"]);
    let said = preview["says"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect::<Vec<_>>().join(" ");
    assert_eq!(preview["deals"], 1);
    assert!(
        said.contains("1 deal ") && said.contains("sends all of it") && said.contains("nothing here is deleted"),
        "{said}"
    );
    assert!(said.contains("refused and nothing is sent"), "{said}");
    // Given the code or address, it names the hub, and warns when it is reached unencrypted.
    let far = sams.json(&["sync", "preview", "http://hub.wayfarer.example:8750"]);
    assert_eq!((far["hub"].as_str(), far["unencrypted"].as_bool()), (Some("hub.wayfarer.example:8750"), Some(true)));
    assert!(far["says"][0].as_str().unwrap().contains("the hub at hub.wayfarer.example:8750"), "{far}");
    assert!(far.to_string().contains("without encryption"), "{far}");
    let here = sams.json(&["sync", "preview", &hub.url]);
    assert_eq!(here["unencrypted"], false, "a hub on this very machine: {here}");
    // Something that is neither: refused without repeating the token in it.
    let err = sams.refused(&["sync", "join", "hub=somewhere&token=hndf_secret"]);
    assert!(!err.contains("hndf_secret") && err.contains("neither a join code nor a hub's address"), "{err}");

    // A mistyped address makes no token.
    let tokens = |hub: &HubProcess| serde_json::from_str::<Value>(&hub.admin(&["--json", "token", "list"])).unwrap();
    let before = tokens(&hub);
    let out = Command::new(hub_bin())
        .arg("--data")
        .arg(hub.dir.path().join("hub.db"))
        .args(["token", "create", "--agency", "Wayfarer Travel", "--person", "Sam Reyes", "--url", "hub.example"])
        .output()
        .unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("https://"));
    assert_eq!(tokens(&hub), before);

    let sams_code = hub.join_code("Sam Reyes");
    assert!(sams_code.starts_with("handoff://join?hub=http"), "{sams_code}");
    sams.json(&["sync", "join", &sams_code]);

    // A new laptop: the preview says it takes in the agency; a code cut short is refused whole.
    let fays = Agency::empty();
    let fays_code = hub.join_code("Fay Okafor");
    let cut = &fays_code[..fays_code.find("&token").unwrap()];
    let err = fays.refused(&["sync", "join", cut]);
    assert!(err.contains("cut short") && err.contains("copy the whole line"), "{err}");
    let err = fays.refused(&["sync", "join", &fays_code, "--token", "hndf_another"]);
    assert!(err.contains("give the join code alone"), "{err}");
    let joined = fays.json(&["sync", "join", &format!("<{fays_code}>")]);
    assert_eq!(joined["status"]["person"], "Fay Okafor");
    assert_eq!(fays.json(&["deal", "list"]).as_array().unwrap().len(), 1, "the agency came in");
    assert_eq!(fays.json(&["whoami"])["name"], "Fay Okafor", "the laptop is the token's person's");

    // The hub gone: the status is offline, said calmly, with what waits.
    let _ = hub.kill();
    fays.ok(&[
        "deal",
        "add",
        "--title",
        "Lisbon weekend",
        "--customer",
        "Ana Ruiz",
        "--value",
        "900",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
    ]);
    assert!(!fays.run(&["sync", "now"]).status.success());
    let status = fays.json(&["sync", "status"]);
    assert_eq!((status["offline"].as_bool(), status["waiting"].as_u64()), (Some(true), Some(1)), "{status}");
    let text = fays.ok(&["sync", "status"]);
    assert!(text.contains("Offline") && text.contains("what waits goes when the hub answers"), "{text}");
}

#[test]
fn a_conflict_is_told_to_the_person_whose_action_was_left_out_and_to_nobody_else() {
    let hub = HubProcess::start();
    let sams = Agency::wayfarer();
    add_alpine(&sams, "Lena Park", &[], "2026-11-20 10:00");
    sams.json(&["sync", "join", &hub.url, "--token", &hub.token("Sam Reyes")]);
    let fays = Agency::empty();
    fays.json(&["sync", "join", &hub.url, "--token", &hub.token("Fay Okafor")]);
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    // Both laptops mark the deal won, each not knowing of the other.
    sams.ok(&["deal", "won", "Alpine retreat", "--as", "Sam Reyes"]);
    fays.ok(&["deal", "won", "Alpine retreat", "--as", "Maya Chen"]);
    for laptop in [&sams, &fays, &sams] {
        laptop.ok(&["sync", "now"]);
    }
    let now = chrono::Utc::now() + chrono::Duration::minutes(1);
    // What Fay's laptop tells `who` when they use it.
    let conflicts = |who: &str| -> Vec<(String, String)> {
        let ctx = crate::fixtures::ctx_at(&fays, now);
        handoff_api::whoami_set(&ctx, who).unwrap();
        handoff_api::notices(&ctx, Some(before))
            .unwrap()
            .notices
            .into_iter()
            .filter(|n| n.kind == handoff_api::dto::NoticeKind::Conflict)
            .map(|n| (n.person.name, n.title))
            .collect()
    };
    // The merge kept the first win and left the other out: whose was left out, the conflict says.
    let met = handoff_api::today(&crate::fixtures::ctx_at(&fays, now), None).unwrap().conflicts;
    assert_eq!(met.len(), 1, "{met:?}");
    let left_out = met[0].by.as_ref().unwrap().name.clone();
    let told = conflicts(&left_out);
    assert_eq!(told, [(left_out.clone(), "Two laptops disagreed on Alpine retreat".to_string())]);
    let other = if left_out == "Sam Reyes" { "Maya Chen" } else { "Sam Reyes" };
    assert!(conflicts(other).is_empty(), "the one whose win stands is not told");
    assert!(conflicts("Fay Okafor").is_empty());
    // Come in late (after the last look), it is told all the same, under the same key each
    // look, until a lead settles it.
    let look = |since| {
        let ctx = crate::fixtures::ctx_at(&fays, now);
        handoff_api::whoami_set(&ctx, &left_out).unwrap();
        let found = handoff_api::notices(&ctx, Some(since)).unwrap().notices;
        found
            .into_iter()
            .filter(|n| n.kind == handoff_api::dto::NoticeKind::Conflict)
            .map(|n| n.key)
            .collect::<Vec<_>>()
    };
    let keys = look(now - chrono::Duration::seconds(1));
    assert_eq!(keys, [format!("conflict/{}", met[0].id)]);
    assert_eq!(look(now), keys, "the same notice, for the caller to show once");
    fays.ok(&["conflict", "settle", &met[0].id, "--keep", "--as", "Fay Okafor"]);
    assert!(look(now).is_empty(), "a settled conflict is told no more");
}

#[test]
fn a_lead_settles_a_conflict_once_by_taking_the_other_version_and_every_laptop_sees_it_settled() {
    let hub = HubProcess::start();
    let sams = Agency::wayfarer();
    in_meeting_with_full_brief(&sams);
    sams.json(&["sync", "join", &hub.url, "--token", &hub.token("Sam Reyes")]);
    let mayas = Agency::empty();
    mayas.json(&["sync", "join", &hub.url, "--token", &hub.token("Maya Chen")]);
    // In the meeting, Sam and Maya (the founder, sitting in on her own laptop) both write the
    // risks at once, neither having seen the other's.
    let risks = |a: &Agency, text: &str, at: &str| {
        a.ok(&["brief", "set", "Alpine retreat", "--section", "risks", "--text", text, "--at", at]);
    };
    risks(&sams, "Visa for Ana", "2026-03-03 14:05");
    risks(&mayas, "Passports checked", "2026-03-03 14:06");
    for laptop in [&sams, &mayas, &sams] {
        laptop.ok(&["sync", "now"]);
    }
    let open = sams.json(&["conflict", "list"]);
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    let conflict = open[0]["id"].as_str().unwrap().to_string();
    assert_eq!(open[0]["kind"], "section-overwritten");
    assert_eq!(open[0]["take_other"], "\"Risks and open questions\" reads \"Visa for Ana\" again", "{open}");
    assert_eq!(mayas.json(&["conflict", "list"])[0]["id"], conflict.as_str(), "both laptops name it alike");
    let text = sams.ok(&["conflict", "list"]);
    assert!(text.contains("keep what stands, or take the other version"), "{text}");

    // Bo backs Fulfilment up but leads nothing: refused, and nothing written.
    let refused = sams.refused(&["conflict", "settle", &conflict, "--keep", "--as", "Bo Lind"]);
    assert!(refused.contains("a department lead or the founder settles it"), "{refused}");
    assert!(sams.refused(&["conflict", "settle", "abc", "--keep"]).contains("at least 6 characters"));
    assert!(sams
        .refused(&["conflict", "settle", "ffffffff", "--keep"])
        .contains("the list of conflicts shows each one's id"));

    let settled = sams.json(&["conflict", "settle", &conflict, "--take-other", "--as", "Sam Reyes"]);
    assert_eq!(settled["settled"]["how"], "took-other", "{settled}");
    assert_eq!(settled["settled"]["by"]["name"], "Sam Reyes");
    let again = sams.refused(&["conflict", "settle", &conflict, "--keep", "--as", "Fay Okafor"]);
    assert!(again.contains("settled already by Sam Reyes"), "{again}");
    sams.ok(&["sync", "now"]);
    mayas.ok(&["sync", "now"]);
    for laptop in [&sams, &mayas] {
        let deal = laptop.json(&["deal", "show", "Alpine retreat"]);
        let risks = deal["brief"]["sections"].as_array().unwrap().iter().find(|s| s["section"] == "risks").unwrap();
        assert_eq!(risks["text"], "Visa for Ana", "the other version was taken: {deal}");
        assert_eq!(deal["conflicts"][0]["settled"]["how"], "took-other");
        assert!(laptop.json(&["conflict", "list"]).as_array().unwrap().is_empty(), "nothing left to settle");
        assert_eq!(laptop.json(&["conflict", "list", "--all"]).as_array().unwrap().len(), 1);
        assert!(laptop.json(&["today"])["conflicts"].as_array().unwrap().is_empty(), "Today lists it no longer");
    }
}

/// A deal export of `n` rows, each a deal handed off in January.
fn many_deals(a: &Agency, n: usize) -> PathBuf {
    let mut csv = String::from(CSV_HEADER);
    for i in 0..n {
        csv.push_str(&format!(
            "CRM-{i},Deal {i},Customer {i},{},EUR,Sam Reyes,2026-01-05 10:00,2026-01-05 12:00\n",
            1000 + i
        ));
    }
    a.write("deals.csv", &csv)
}

/// The hub is killed (SIGKILL) at random moments while a laptop pushes thousands of events, and
/// the other laptop is killed while it pulls them: afterwards both hold every event once, the hub
/// holds each once, and the two laptops' tables are the same.
#[test]
fn the_hub_killed_mid_push_and_a_laptop_killed_mid_pull_lose_and_duplicate_nothing() {
    let hub = HubProcess::start();
    let sams = Agency::wayfarer();
    sams.json(&["sync", "join", &hub.url, "--token", &hub.token("Sam Reyes")]);
    let fays = Agency::empty();
    fays.json(&["sync", "join", &hub.url, "--token", &hub.token("Fay Okafor")]);
    sams.ok(&["import", "deals", p(&many_deals(&sams, 6000))]);

    let hub = killed_during_syncs(
        hub,
        &sams,
        |round| Duration::from_millis(40 + round * 90),
        HubProcess::serve,
        |delay| run_and_kill(&fays, &["sync", "now"], delay),
    );
    sams.ok(&["sync", "now"]);
    fays.ok(&["sync", "now"]);
    sams.ok(&["sync", "now"]);
    let all = events_in(&sams.db);
    assert!(all > 6000, "{all}");
    assert_eq!(hub.events(), all, "the hub holds every event once");
    assert_eq!(events_in(&fays.db), all, "Fay's laptop holds every event once");
    let tables = |a: &Agency| {
        let store = handoff_store::Store::open(&a.db, false).unwrap();
        handoff_store::query::read_tables_dump(store.connection()).unwrap()
    };
    assert_eq!(tables(&sams), tables(&fays));
    assert_eq!(fays.integrity(), "ok");
    assert_eq!(sams.json(&["sync", "status"])["waiting"], 0);
}

/// A new, empty database on the test command's throwaway PostgreSQL cluster, made with its own
/// `psql`; none when the test command did not start one (outside CI).
fn postgres_database(what: &str) -> Option<String> {
    let Ok(server) = std::env::var("HANDOFF_TEST_POSTGRES") else {
        assert!(std::env::var("CI").is_err(), "the test command sets HANDOFF_TEST_POSTGRES");
        eprintln!("HANDOFF_TEST_POSTGRES is not set: {what} did not run (./scripts/test.sh runs it)");
        return None;
    };
    let name = format!("laptops_{}_{}", std::process::id(), what.len());
    psql(&server, &format!("CREATE DATABASE {name}"));
    Some(format!("{}/{name}", server.rsplit_once('/').unwrap().0))
}

/// Runs `sql` with the test command's `psql` on `database`; what it printed, unaligned.
fn psql(database: &str, sql: &str) -> String {
    let bin = PathBuf::from(
        std::env::var("HANDOFF_TEST_POSTGRES_BIN").expect("the test command names PostgreSQL's programs"),
    );
    let out =
        Command::new(bin.join("psql")).args(["-X", "-q", "-t", "-A", "-d", database, "-c", sql]).output().unwrap();
    assert!(out.status.success(), "psql {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The hub binary keeping everything in PostgreSQL (`--database`) is killed (SIGKILL) at moments
/// of a laptop's pull of thousands of events, and served again each time: afterwards the laptop
/// holds every event once, its tables are the sender's, and the hub holds each event once.
#[test]
fn a_hub_kept_in_postgresql_killed_mid_pull_loses_and_duplicates_nothing() {
    let Some(database) = postgres_database("the hub on PostgreSQL killed mid-pull") else { return };
    let dir = tempfile::tempdir().unwrap();
    admin(&dir.path().join("hub.db"), &["--database", &database, "agency", "create", "Wayfarer Travel"]);
    let hub = HubProcess::serve_on_postgres(dir, &database, "127.0.0.1:0");
    let sams = Agency::wayfarer();
    sams.json(&["sync", "join", &hub.url, "--token", &hub.token("Sam Reyes")]);
    let fays = Agency::empty();
    fays.json(&["sync", "join", &hub.url, "--token", &hub.token("Fay Okafor")]);
    sams.ok(&["import", "deals", p(&many_deals(&sams, 6000))]);
    sams.ok(&["sync", "now"]);
    let all = events_in(&sams.db);
    assert!(all > 6000, "{all}");
    let held = || psql(&database, "SELECT count(*) FROM events").parse::<i64>().unwrap();
    assert_eq!(held(), all, "the hub on PostgreSQL holds every event once");

    let _hub = killed_during_syncs(
        hub,
        &fays,
        |round| Duration::from_millis(30 + round * 60),
        |dir, listen| HubProcess::serve_on_postgres(dir, &database, listen),
        |_| {},
    );
    fays.ok(&["sync", "now"]);
    assert_eq!(events_in(&fays.db), all, "Fay's laptop holds every event once");
    assert_eq!(held(), all, "nothing more on the hub");
    let tables = |a: &Agency| {
        let store = handoff_store::Store::open(&a.db, false).unwrap();
        handoff_store::query::read_tables_dump(store.connection()).unwrap()
    };
    assert_eq!(tables(&sams), tables(&fays));
    assert_eq!(fays.integrity(), "ok");
}

/// A laptop cut off from the hub for a week keeps working and says what waits, while the other
/// laptop works and syncs all week; once the link is back both hold everything once, with the
/// same tables, and the hub holds each event once.
#[test]
fn a_laptop_cut_off_for_a_week_keeps_working_while_another_syncs_and_both_converge() {
    let hub = HubProcess::start();
    let mut link = Link::to(&hub.url);
    let sams = Agency::wayfarer();
    sams.json(&["sync", "join", &link.url(), "--token", &hub.token("Sam Reyes")]);
    let fays = Agency::empty();
    fays.json(&["sync", "join", &hub.url, "--token", &hub.token("Fay Okafor")]);
    link.cut();

    for day in 1..=7 {
        sams.add_deal(&format!("Offline deal {day}"), &format!("2026-03-0{day} 09:00"));
        let err = sams.refused(&["sync", "now"]);
        assert!(err.contains("cannot be reached") && err.contains("offline"), "{err}");
        fays.add_deal(&format!("Online deal {day}"), &format!("2026-03-0{day} 10:00"));
        fays.ok(&["sync", "now"]);
    }
    let status = sams.json(&["sync", "status"]);
    assert_eq!(status["waiting"], 7, "{status}");
    assert!(status["last_error"].as_str().unwrap().contains("cannot be reached"), "{status}");
    assert_eq!(fays.json(&["sync", "status"])["waiting"], 0);

    link.mend();
    let synced = sams.json(&["sync", "now"]);
    assert_eq!(synced["sent"], 7, "{synced}");
    assert!(synced["received"].as_u64().unwrap() >= 7, "Fay's week: {synced}");
    assert_eq!(synced["status"]["waiting"], 0);
    assert!(synced["status"]["last_error"].is_null(), "{synced}");
    fays.ok(&["sync", "now"]);
    for a in [&sams, &fays] {
        assert_eq!(a.json(&["deal", "list"]).as_array().unwrap().len(), 14);
    }
    let tables = |a: &Agency| {
        let store = handoff_store::Store::open(&a.db, false).unwrap();
        handoff_store::query::read_tables_dump(store.connection()).unwrap()
    };
    assert_eq!(tables(&sams), tables(&fays), "the same tables on both laptops");
    assert_eq!(events_in(&sams.db), events_in(&fays.db));
    assert_eq!(hub.events(), events_in(&sams.db), "the hub holds every event once");
}

/// The hub serves HTTPS itself when given a certificate: a laptop that trusts the certificate
/// joins over TLS; one that does not is refused before anything is sent.
#[test]
fn a_hub_serving_https_is_joined_over_tls_and_an_untrusted_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    admin(&dir.path().join("hub.db"), &["agency", "create", "Wayfarer Travel"]);
    // An agency's own certificate authority, and the hub's certificate signed by it.
    let file = |name: &str| dir.path().join(name);
    let (ca, ca_key, cert, key, csr, ext) =
        (file("ca.pem"), file("ca.key"), file("cert.pem"), file("key.pem"), file("hub.csr"), file("hub.ext"));
    std::fs::write(&ext, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        .unwrap();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).output().unwrap();
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl(
        &[
            &["req", "-x509"],
            &curve[..],
            &["-days", "2", "-subj", "/CN=Wayfarer CA", "-keyout", p(&ca_key), "-out", p(&ca)],
        ]
        .concat(),
    );
    openssl(&[&["req"], &curve[..], &["-subj", "/CN=127.0.0.1", "-keyout", p(&key), "-out", p(&csr)]].concat());
    openssl(&[
        "x509",
        "-req",
        "-in",
        p(&csr),
        "-CA",
        p(&ca),
        "-CAkey",
        p(&ca_key),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        p(&ext),
        "-out",
        p(&cert),
    ]);
    let hub = HubProcess::serve_with(dir, &["--listen", "127.0.0.1:0", "--tls-cert", p(&cert), "--tls-key", p(&key)]);
    assert!(hub.url.starts_with("https://"), "{}", hub.url);

    // Without the certificate trusted: refused, nothing joined.
    let stranger = Agency::wayfarer();
    let out = stranger.run(&["sync", "join", &hub.url, "--token", &hub.token("Sam Reyes")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("certificate is not trusted"), "{err}");

    // Trusting it (as a laptop whose system store holds the agency's certificate).
    let sams = Agency::wayfarer();
    let token = hub.token("Sam Reyes");
    let mut join = sams.process();
    join.env("SSL_CERT_FILE", &ca).args(["--json", "sync", "join", &hub.url, "--token", &token]);
    let out = join.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let joined: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(joined["sent"].as_u64().unwrap() > 5, "{joined}");
    assert!(joined["status"]["last_error"].is_null(), "{joined}");
}

/// Posts `body` to the hub at `url` (http://127.0.0.1:PORT) as a CRM would, unsigned; the status.
fn post_as_a_crm(url: &str, path: &str, body: &str) -> u16 {
    use std::io::{Read, Write};
    let host = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap()
}

#[test]
fn the_hubs_webhooks_are_set_up_on_its_command_line_and_logged_for_the_founder_and_the_laptops() {
    let hub = HubProcess::start();
    let made: Value = serde_json::from_str(&hub.admin(&[
        "--json",
        "webhooks",
        "set",
        "--agency",
        "Wayfarer Travel",
        "--crm",
        "generic",
        "--url",
        &hub.url,
    ]))
    .unwrap();
    let secret = made["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"), "{made}");
    // Kept sealed, with a key in a file of its own beside the database (readable by its owner).
    let data = std::fs::read(hub.dir.path().join("hub.db")).unwrap();
    let base64 = secret.trim_start_matches("whsec_").as_bytes();
    assert!(!data.windows(base64.len()).any(|w| w == base64), "the secret is not kept in clear");
    assert!(hub.dir.path().join("hub.key").exists());
    let path = "/v1/crm/Wayfarer%20Travel/generic";
    assert_eq!(made["url"], format!("{}{path}", hub.url));
    let text = hub.admin(&["webhooks", "set", "--agency", "Wayfarer Travel", "--crm", "pipedrive"]);
    assert!(text.contains("user handoff, password ") && text.contains("shown only this once"), "{text}");
    // HubSpot's secret is HubSpot's: it must be given.
    let out = Command::new(hub_bin())
        .arg("--data")
        .arg(hub.dir.path().join("hub.db"))
        .args(["webhooks", "set", "--agency", "Wayfarer Travel", "--crm", "hubspot"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--client-secret-file"));
    // With the private app's access token, the hub can ask HubSpot about a deal no laptop brought
    // in; the token is kept sealed like the secret.
    let files = tempfile::tempdir().unwrap();
    let (secret_file, token_file) = (files.path().join("client-secret"), files.path().join("access-token"));
    std::fs::write(&secret_file, "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy\n").unwrap();
    let token = "pat-na1-11111111-2222-3333-4444-555555555555";
    std::fs::write(&token_file, format!("{token}\n")).unwrap();
    let set = |extra: &[&str]| {
        let mut args = vec!["webhooks", "set", "--agency", "Wayfarer Travel", "--crm"];
        args.extend_from_slice(extra);
        Command::new(hub_bin()).arg("--data").arg(hub.dir.path().join("hub.db")).args(args).output().unwrap()
    };
    let secret_path = secret_file.to_str().unwrap();
    let token_path = token_file.to_str().unwrap();
    let out = set(&["hubspot", "--client-secret-file", secret_path]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Without the private app's access token (--api-token-file)"));
    let out = set(&["hubspot", "--client-secret-file", secret_path, "--api-token-file", token_path]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && said.contains("asks HubSpot's API for the name, amount, owner"), "{said}");
    let mut data = std::fs::read(hub.dir.path().join("hub.db")).unwrap();
    data.extend(std::fs::read(hub.dir.path().join("hub.db-wal")).unwrap_or_default());
    assert!(!data.windows(token.len()).any(|w| w == token.as_bytes()), "the token is not kept in clear");
    let out = set(&["generic", "--api-token-file", token_path]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--api-token-file is for HubSpot and Pipedrive"));
    let out = set(&["pipedrive", "--api-token-file", token_path]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("asks Pipedrive's API for the names"));
    // Set up again (a won stage added) without a token: the token given before is kept.
    let out = set(&["hubspot", "--client-secret-file", secret_path, "--won-stage", "1f4f1ec1"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("The API token given before is kept"), "{said}");
    // The token alone is replaced or taken back, the secret and password left as they are.
    let hub_db = hub.dir.path().join("hub.db");
    let token_cmd = |extra: &[&str]| {
        let mut args = vec!["webhooks", "token", "--agency", "Wayfarer Travel"];
        args.extend_from_slice(extra);
        Command::new(hub_bin()).arg("--data").arg(&hub_db).args(args).output().unwrap()
    };
    let out = token_cmd(&["--crm", "hubspot", "--remove"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("HubSpot's API token for Wayfarer Travel is removed"));
    let out = set(&["hubspot", "--client-secret-file", secret_path]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Without the private app's access token"));
    let out = token_cmd(&["--crm", "hubspot", "--api-token-file", token_path]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("HubSpot's API token for Wayfarer Travel is set"));
    let out = token_cmd(&["--crm", "generic", "--remove"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("has no API the hub asks"));
    let out = token_cmd(&["--crm", "hubspot"]);
    assert!(!out.status.success(), "a token or --remove");
    let out = set(&["hubspot", "--client-secret-file", "-", "--api-token-file", "-"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot both come from standard input"));

    assert_eq!(hub.admin(&["webhooks", "log"]).trim(), "No webhook deliveries yet.");
    assert_eq!(post_as_a_crm(&hub.url, path, "{}"), 401);
    let log = hub.admin(&["webhooks", "log", "--agency", "Wayfarer Travel"]);
    assert!(log.contains("generic") && log.contains("401 refused") && log.contains("webhook-signature"), "{log}");

    // A laptop of the agency reads the same log.
    let sams = Agency::wayfarer();
    sams.json(&["sync", "join", &hub.url, "--token", &hub.token("Sam Reyes")]);
    let seen = sams.json(&["sync", "webhooks"]);
    assert_eq!(seen[0]["accepted"], false);
    assert_eq!(seen[0]["status"], 401);
}
