//! The agency owns its data: backup, restore, export of everything and the log taken in again,
//! each through the real `handoff` binary, each round trip compared table by table.

use crate::fixtures::{at, ctx_at, handed_off};
use crate::util::{handoff_bin, p, snapshot_of, Agency};
use handoff_api::dto::{Acting, BackupRequest, DealAddRequest};

/// The Wayfarer agency with one deal handed off and one still open.
fn busy_agency() -> Agency {
    let a = Agency::wayfarer();
    handed_off(&a, "Alpine retreat", "2026-03-02", "2026-05-01", "2026-05-08");
    a.ok(&[
        "deal",
        "add",
        "--title",
        "Lisbon",
        "--customer",
        "Acme",
        "--value",
        "1000",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
    ]);
    a
}

fn read_tables(db: &std::path::Path) -> String {
    let store = handoff_store::Store::open_read_only(db).unwrap();
    handoff_store::query::read_tables_dump(store.connection()).unwrap()
}

#[test]
fn a_restored_backup_gives_back_the_agency_as_it_was_and_keeps_what_it_replaced() {
    let a = busy_agency();
    let backup = a.path("friday.db");
    let made = a.json(&["backup", p(&backup)]);
    assert!(made["events"].as_u64().unwrap() > 10, "{made}");
    let as_backed_up = a.snapshot();
    let backup_bytes = std::fs::read(&backup).unwrap();

    // Monday: a mistake nobody can undo by hand.
    a.ok(&[
        "deal",
        "add",
        "--title",
        "Mistake",
        "--customer",
        "Nobody",
        "--value",
        "1",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
    ]);
    let before_restore = a.snapshot();
    let restored = a.json(&["restore", p(&backup)]);
    assert_eq!(restored["events"], made["events"]);
    assert_eq!(a.snapshot(), as_backed_up, "the log and every read table are the backup's");
    assert!(std::fs::read(&backup).unwrap() == backup_bytes, "the backup file was changed");
    assert_eq!(a.integrity(), "ok");
    assert!(!a.ok(&["deal", "list"]).contains("Mistake"));

    // What the restore replaced is kept, whole, beside the database.
    let kept = std::path::PathBuf::from(restored["kept_as"].as_str().unwrap());
    assert_eq!(kept.parent(), a.db.parent());
    assert!(kept.file_name().unwrap().to_str().unwrap().starts_with("agency.before-restore-"));
    let out = std::process::Command::new(handoff_bin()).args(["--db", p(&kept), "deal", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Mistake"));
    assert_eq!(snapshot_of(&kept), before_restore);

    // Signatures in the restored log still verify: the brief exports signed.
    a.make_key("Sam Reyes");
    let pdf = a.path("brief.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&pdf)]);
    let verified = a.json(&["verify", "brief", p(&pdf)]);
    assert_eq!(verified["ok"], true, "{verified}");
}

#[test]
fn a_backup_never_replaces_a_file_unasked_and_restore_refuses_what_is_not_a_handoff_backup() {
    let a = busy_agency();
    let backup = a.path("b.db");
    std::fs::write(&backup, "my notes").unwrap();
    let err = a.refused(&["backup", p(&backup)]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), "my notes");
    a.ok(&["backup", p(&backup), "--force"]);

    let notes = a.write("notes.txt", "not a database at all");
    let err = a.refused(&["restore", p(&notes)]);
    assert!(err.contains("could not be opened as a database") || err.contains("not a Handoff database"), "{err}");
    let other = a.path("other.db");
    handoff_store::Connection::open(&other).unwrap().execute_batch("CREATE TABLE x (y TEXT);").unwrap();
    let err = a.refused(&["restore", p(&other)]);
    assert!(err.contains("not a Handoff database"), "{err}");
    let err = a.refused(&["restore", p(&a.path("missing.db"))]);
    assert!(err.contains("is not a file"), "{err}");
    let err = a.refused(&["restore", p(&a.db)]);
    assert!(err.contains("is the database itself"), "{err}");

    // A newer Handoff's backup: refused, and both files stay as they were.
    let newer = a.path("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    let conn = handoff_store::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let newer_bytes = std::fs::read(&newer).unwrap();
    let err = a.refused(&["restore", p(&newer)]);
    assert!(err.contains("newer version of Handoff"), "{err}");
    assert!(std::fs::read(&newer).unwrap() == newer_bytes);
    let leftovers: Vec<_> = std::fs::read_dir(a.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-restore") || n.starts_with(".handoff-"))
        .collect();
    assert!(leftovers.is_empty(), "a refused restore left {leftovers:?}");
}

#[test]
fn export_all_then_import_events_rebuilds_identical_tables_and_every_column_is_documented() {
    let a = busy_agency();
    let dir = a.path("everything");
    let out = a.json(&["export", "all", "--dir", p(&dir)]);
    let files: Vec<String> =
        out["files"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().into()).collect();
    assert_eq!(
        files,
        [
            "tasks.csv",
            "asks.csv",
            "escalations.csv",
            "deals.csv",
            "cold_outreach.csv",
            "reviews.csv",
            "directory.csv",
            "conflicts.csv",
            "skipped_events.csv",
            "events.jsonl"
        ]
    );

    // Every file's columns are in docs/export-all.md, under the file's own heading.
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/export-all.md")).unwrap();
    for name in files.iter().filter(|n| n.ends_with(".csv")) {
        let section = docs.split(&format!("## {name}\n")).nth(1).unwrap_or_else(|| panic!("no section for {name}"));
        let section = section.split("\n## ").next().unwrap();
        let header = std::fs::read_to_string(dir.join(name)).unwrap().lines().next().unwrap().to_string();
        for column in header.split(',') {
            assert!(section.contains(&format!("| `{column}` |")), "{name}: column {column} is not documented");
        }
    }
    let deals = std::fs::read_to_string(dir.join("deals.csv")).unwrap();
    assert_eq!(deals.lines().count(), 1 + 2);
    assert!(deals.contains("Alpine retreat") && deals.contains("handed-off"));

    // The log alone rebuilds every table in a new database.
    let copy = Agency::empty();
    let took = copy.json(&["import", "events", p(&dir.join("events.jsonl"))]);
    assert_eq!(took["deals"], 2);
    assert_eq!(read_tables(&copy.db), read_tables(&a.db));
    assert_eq!(copy.integrity(), "ok");

    // Again into a database that holds events: refused, nothing written.
    let err = a.refused(&["import", "events", p(&dir.join("events.jsonl"))]);
    assert!(err.contains("already holds") && err.contains("new, empty database"), "{err}");
    // Over files already there: refused unless asked.
    let err = a.refused(&["export", "all", "--dir", p(&dir)]);
    assert!(err.contains("already exists"), "{err}");
    a.ok(&["export", "all", "--dir", p(&dir), "--force"]);
}

#[test]
fn a_damaged_log_is_refused_whole_and_leaves_no_database_behind() {
    let a = busy_agency();
    let dir = a.path("everything");
    a.ok(&["export", "all", "--dir", p(&dir)]);
    let log = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let lines: Vec<&str> = log.lines().collect();

    let broken = a.write("broken.jsonl", &format!("{}\n{{\"id\": 3\n{}\n", lines[0], lines[1]));
    let fresh = Agency::empty();
    let err = fresh.refused(&["import", "events", p(&broken)]);
    assert!(err.contains("line 2: not a Handoff event") && err.contains("nothing was imported"), "{err}");
    assert!(!fresh.db.exists(), "a failed import left a database behind");

    // A log that does not begin with its agency, or whose events do not fold in the order given
    // (a meeting ended before it started), is refused with the event's place.
    let headless = a.write("headless.jsonl", &lines[1..].join("\n"));
    let err = fresh.refused(&["import", "events", p(&headless)]);
    assert!(err.contains("line 1") && err.contains("begins with the agency"), "{err}");
    assert!(!fresh.db.exists());
    let reversed: Vec<&str> = std::iter::once(lines[0]).chain(lines[1..].iter().rev().copied()).collect();
    let reversed = a.write("reversed.jsonl", &reversed.join("\n"));
    let err = fresh.refused(&["import", "events", p(&reversed)]);
    assert!(err.contains("event ") && err.contains("nothing was imported"), "{err}");
    assert!(!fresh.db.exists());

    let err = fresh.refused(&["import", "events", "/dev/zero"]);
    assert!(err.contains("longer than 4 MB"), "{err}");
}

#[test]
fn the_daily_backup_is_made_once_a_day_and_the_last_seven_are_kept() {
    let a = busy_agency();
    for day in 1..=10 {
        for hour in [9, 17] {
            let ctx = ctx_at(&a, at(day, hour, 0));
            let made = handoff_api::daily_backup(&ctx).unwrap();
            assert_eq!(made.is_some(), hour == 9, "day {day} {hour}:00");
        }
    }
    let ctx = ctx_at(&a, at(10, 18, 0));
    let kept: Vec<String> = handoff_api::backups(&ctx)
        .unwrap()
        .iter()
        .map(|b| std::path::Path::new(&b.path).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kept, (4..=10).rev().map(|d| format!("handoff-2026-11-{d:02}.db")).collect::<Vec<_>>());
    let newest = handoff_api::backups(&ctx).unwrap()[0].clone();
    assert!(newest.events > 10);
    // When it was made is told by the agency's clock (here 10 November), as its name is: the file
    // was written moments ago, so moments before that clock's now, never the system's own date.
    let age = at(10, 18, 0) - newest.made_at;
    assert!(age >= chrono::Duration::zero() && age < chrono::Duration::minutes(10), "{:?}", newest.made_at);
    // Each is a whole database restore takes back.
    a.ok(&["restore", &newest.path]);
    assert_eq!(a.integrity(), "ok");
}

#[test]
fn a_backup_holds_one_instant_of_the_agency_while_the_app_goes_on_recording() {
    let a = busy_agency();
    // Enough deals that a copy takes a while.
    let mut csv = String::from("external_id,title,customer,value,currency,owner,closed_at,handoff_at\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "CRM-{i},Trip {i},Customer {i},{},EUR,Sam Reyes,2026-02-03 10:00,2026-02-03 15:30\n",
            1000 + i
        ));
    }
    let file = a.write("deals.csv", &csv);
    a.ok(&["import", "deals", p(&file)]);
    let ctx = std::sync::Arc::new(ctx_at(&a, at(10, 9, 0)));
    let sam = handoff_api::person_list(&ctx).unwrap().into_iter().find(|p| p.name == "Sam Reyes").unwrap().id;
    // The same app records deals, one action at a time, while it backs the agency up again and again.
    let recording = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            for i in 0..60 {
                let req = DealAddRequest {
                    title: format!("Walk-in {i}"),
                    customer: "Acme".into(),
                    value: "900".into(),
                    currency: "EUR".into(),
                    owner: sam.to_string(),
                    trip_start: None,
                    trip_end: None,
                    destination: None,
                    travellers: None,
                    acting: Acting::default(),
                };
                handoff_api::deal_add(&ctx, req).unwrap();
            }
        })
    };
    let copies: Vec<_> = (0..6)
        .map(|n| {
            let out = a.dir.path().join(format!("copy-{n}.db"));
            handoff_api::backup(&ctx, BackupRequest { out, force: false }).unwrap()
        })
        .collect();
    recording.join().unwrap();
    for copy in copies {
        let path = std::path::Path::new(&copy.path);
        // Sound, holding what it says, and one instant: its read tables are its own log folded.
        let mut store = handoff_store::Store::open(path, false).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok");
        assert_eq!(copy.events as i64, handoff_store::query::event_count(store.connection()).unwrap());
        let as_copied = handoff_store::query::read_tables_dump(store.connection()).unwrap();
        store.rebuild().unwrap();
        assert_eq!(handoff_store::query::read_tables_dump(store.connection()).unwrap(), as_copied, "{}", copy.path);
    }
    let all = handoff_api::backup(&ctx, BackupRequest { out: a.dir.path().join("after.db"), force: false }).unwrap();
    assert!(all.events >= 3000 + 60, "{} events", all.events);
}
