//! One test per bug that was fixed, named after the bug it pins; its comment says what went wrong
//! and which commit fixed it. A test here is never loosened: if it fails, the bug is back.

use crate::fixtures::{handed_off, in_meeting_with_full_brief, sign_both, CSV_HEADER};
use std::path::Path;
use std::process::Command;

use crate::util::{handoff_bin, p, snapshot_of, Agency};

/// Reassigning the fulfilment side after the handoff turned the signed brief back into an
/// unsigned draft that failed verification (fixed in cdca02e).
#[test]
fn a_reassignment_after_the_handoff_no_longer_unsigns_the_brief() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    sign_both(&a, "2026-03-03 14:10");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:15"]);
    let before = a.path("before.pdf");
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&before)]);
    a.ok(&["reassign", "Alpine retreat", "--to", "Bo Lind", "--reason", "Fay on leave", "--at", "2026-03-04 09:00"]);
    let brief = a.json(&["brief", "show", "Alpine retreat"]);
    assert_eq!(brief["signed"], true, "{brief}");
    assert_eq!(brief["fulfilment"]["signer"]["name"], "Fay Okafor");
    a.ok(&["verify", "brief", p(&before)]);
    let after = a.path("after.pdf");
    let r = a.json(&["export", "brief", "Alpine retreat", "--out", p(&after)]);
    assert_eq!(r["draft"], false);
}

/// Moving the trip threw away a hand-made service reassignment and counted a new founder
/// escalation each time (fixed in cdca02e).
#[test]
fn moving_a_trip_no_longer_drops_a_hand_made_service_owner_or_escalates_again() {
    let a = Agency::with_service_team();
    handed_off(&a, "Porto", "2026-05-04", "2026-05-20 09:00", "2026-05-24");
    a.ok(&[
        "service",
        "reassign",
        "Porto",
        "--to",
        "Ivy Park",
        "--reason",
        "Sol on a fam trip",
        "--at",
        "2026-05-05 09:00",
    ]);
    a.ok(&["trip", "set", "Porto", "--start", "2026-05-21 09:00", "--at", "2026-05-06 09:00"]);
    let s = a.json(&["service", "show", "Porto"]);
    assert_eq!(s["owner"]["name"], "Ivy Park");
    assert_eq!(s["due_at"], "2026-05-18T08:00:00Z");
    assert_eq!(s["reassignments"][0]["reason"], "Sol on a fam trip");

    // Everyone in Service away: one escalation, however often the trip then moves.
    for who in ["Sol Reed", "Ivy Park"] {
        a.ok(&["person", "away", who, "--from", "2026-08-01", "--to", "2026-08-31"]);
    }
    handed_off(&a, "August", "2026-06-01", "2026-08-10 09:00", "2026-08-15");
    a.ok(&["trip", "set", "August", "--start", "2026-08-11 09:00", "--at", "2026-06-02 09:00"]);
    a.ok(&["trip", "set", "August", "--start", "2026-08-12 09:00", "--at", "2026-06-03 09:00"]);
    assert_eq!(a.json(&["service", "show", "August"])["owner"]["name"], "Maya Chen");
    assert_eq!(a.json(&["escalation", "list"]).as_array().unwrap().len(), 1);
}

/// "Should act now" named the owner even when they were away that day (fixed in cdca02e).
#[test]
fn should_act_no_longer_names_an_owner_who_is_away_today() {
    let a = Agency::wayfarer();
    let file = a.write("open.csv", &format!("{CSV_HEADER}W1,Waiting deal,Acme,100,EUR,Sam Reyes,2026-03-02 09:00,\n"));
    a.ok(&["import", "deals", p(&file)]);
    let today = chrono::Utc::now().date_naive();
    let (from, to) = ((today - chrono::Duration::days(1)).to_string(), (today + chrono::Duration::days(1)).to_string());
    a.ok(&["person", "away", "Fay Okafor", "--from", &from, "--to", &to]);
    let m = a.json(&["metrics", "dwell"]);
    assert_eq!(m["open"][0]["should_act"]["name"], "Bo Lind");
}

/// Sam Reyes's open deal "Lisbon", added on 2 March 2026 at 09:00.
fn add_lisbon(a: &Agency) {
    let deal = ["deal", "add", "--title", "Lisbon", "--customer", "Acme", "--value", "1000", "--currency", "EUR"];
    a.ok(&[&deal[..], &["--owner", "Sam Reyes", "--at", "2026-03-02 09:00"]].concat());
}

/// `deal won --at 0000-01-01T00:00:00+01:00` (or the same `closed_at` in a CSV) was stored as
/// `-0001-12-31T23:00:00Z`, which no query could read back: every list, show and rebuild failed
/// for good. Times before 1970 are refused, and nothing is written.
#[test]
fn a_time_before_1970_is_refused_and_never_reaches_the_log() {
    let a = Agency::wayfarer();
    add_lisbon(&a);
    for at in ["0000-01-01T00:00:00+01:00", "1900-01-01 10:00"] {
        let err = a.refused(&["deal", "won", "Lisbon", "--at", at]);
        assert!(err.contains("from 1970 to the year 9999"), "{err}");
    }
    let csv =
        a.write("old.csv", &format!("{CSV_HEADER}CRM-1,Old trip,Acme,100,EUR,Sam Reyes,0000-01-01T00:00:00+01:00,\n"));
    let err = a.refused(&["import", "deals", p(&csv)]);
    assert!(err.contains("from 1970 to the year 9999"), "{err}");
    a.ok(&["deal", "list"]);
    a.ok(&["admin", "rebuild"]);
}

/// A deal could be won before it was added. The win is refused, naming both times.
#[test]
fn a_deal_is_no_longer_won_before_it_was_added() {
    let a = Agency::wayfarer();
    add_lisbon(&a);
    let err = a.refused(&["deal", "won", "Lisbon", "--at", "2026-03-01 09:00"]);
    assert!(err.contains("cannot be before the deal was added (2026-03-02 09:00)"), "{err}");
}

/// Amounts up to 2^63 minor units were accepted, though the app holds them in JavaScript numbers,
/// exact only below 2^53. The most is now 2^53 − 1 cents, said in the refusal.
#[test]
fn an_amount_beyond_what_the_app_can_hold_is_refused() {
    let a = Agency::wayfarer();
    let add = |value: &str| {
        [
            "deal",
            "add",
            "--title",
            "Big",
            "--customer",
            "Acme",
            "--value",
            value,
            "--currency",
            "EUR",
            "--owner",
            "Sam Reyes",
        ]
        .map(str::to_string)
    };
    let err = a.refused(&add("92233720368547758.07").each_ref().map(String::as_str));
    assert!(err.contains("at most 9,007,199,254,740,991 minor units"), "{err}");
    let shown = a.json(&add("90071992547409.91").each_ref().map(String::as_str));
    assert_eq!(shown["value_minor"], 9_007_199_254_740_991_i64);
}

/// An export followed a link planted at its temporary name and overwrote an unrelated file, and
/// `--force` replaced a device node with a regular file. The temporary file is now created
/// exclusively under a fresh name, and `--force` replaces only a regular file.
#[cfg(unix)]
#[test]
fn an_export_never_writes_through_a_link_or_over_anything_but_a_file() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    let precious = a.write("precious.txt", "the founder's notes\n");
    let link = a.path("brief.pdf");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let err = a.refused(&["export", "brief", "Alpine retreat", "--out", p(&link)]);
    assert!(err.contains("already exists"), "{err}");
    let err = a.refused(&["export", "brief", "Alpine retreat", "--out", p(&link), "--force"]);
    assert!(err.contains("is not a regular file"), "{err}");
    let socket = a.path("socket.pdf");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let err = a.refused(&["export", "brief", "Alpine retreat", "--out", p(&socket), "--force"]);
    assert!(err.contains("is not a regular file"), "{err}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "the founder's notes\n");
    // A regular file is replaced when asked, and nothing is left behind.
    let out = a.path("real.pdf");
    std::fs::write(&out, "old").unwrap();
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&out), "--force"]);
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    let leftovers: Vec<_> = std::fs::read_dir(a.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A zero-byte file given to `deal list` was turned into a Handoff database; titles with terminal
/// escape codes were printed raw in errors. The empty file is refused and left as it was; escape
/// codes show as visible `\u{1b}`.
#[test]
fn an_empty_file_is_not_made_a_database_and_escape_codes_never_reach_the_terminal() {
    let a = Agency::empty();
    std::fs::write(&a.db, b"").unwrap();
    let out = a.run(&["deal", "list"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is an empty file, not a Handoff database"), "{err}");
    assert_eq!(std::fs::metadata(&a.db).unwrap().len(), 0, "left untouched");

    let b = Agency::wayfarer();
    let err = b.refused(&["deal", "show", "\u{1b}[31mRed\u{1b}[0m"]);
    assert!(!err.contains('\u{1b}') && err.contains("\\u{1b}[31mRed"), "{err}");
}

/// Runs `handoff` with `args` as a user who cannot write `folder` (as `nobody` when the tests run
/// as root, who may write anything; else as this user, `folder` made read-only for them).
fn as_reader_of(folder: &Path, args: &[&str]) -> std::process::Output {
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"]).arg(handoff_bin());
        c
    } else {
        Command::new(handoff_bin())
    };
    cmd.env_remove("HANDOFF_DB").env("HOME", folder).args(args).output().unwrap()
}

#[test]
fn a_read_only_database_is_read_and_read_commands_never_write() {
    let a = Agency::wayfarer();
    add_lisbon(&a);
    a.ok(&["deal", "won", "Lisbon", "--at", "2026-03-02 10:00"]);
    // Every read command leaves the file exactly as it was.
    let before = std::fs::read(&a.db).unwrap();
    for args in [
        &["deal", "list"][..],
        &["deal", "show", "Lisbon"],
        &["today"],
        &["brief", "show", "Lisbon"],
        &["metrics", "dwell"],
        &["person", "list"],
        &["key", "list"],
    ] {
        a.ok(args);
    }
    assert!(std::fs::read(&a.db).unwrap() == before, "a read command changed the database file");

    // A copy on a read-only folder (a shared drive, a backup stick): read, never written.
    let shelf = tempfile::tempdir().unwrap();
    let shelf_path = shelf.path();
    let db = shelf_path.join("agency.db");
    std::fs::copy(&a.db, &db).unwrap();
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    if root {
        Command::new("chown").args(["-R", "nobody:nogroup"]).arg(shelf_path).status().unwrap();
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(shelf_path, std::fs::Permissions::from_mode(0o555)).unwrap();
    let files = || std::fs::read_dir(shelf_path).unwrap().count();

    let out = as_reader_of(shelf_path, &["--db", p(&db), "deal", "list"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Lisbon"));
    let out = as_reader_of(shelf_path, &["--db", p(&db), "today"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = as_reader_of(shelf_path, &["--db", p(&db), "person", "add", "--name", "Ann Lee", "--dept", "sales"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read-only") && err.contains("make the file and its folder writable"), "{err}");
    let out =
        as_reader_of(shelf_path, &["--json", "--db", p(&db), "person", "add", "--name", "Ann Lee", "--dept", "sales"]);
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "read_only_database");
    assert_eq!(files(), 1, "nothing was created beside the read-only file");
    assert!(std::fs::read(&db).unwrap() == before);
    // Backed up from the shelf into a folder the reader may write: a whole copy, the shelf as it was.
    let out_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(out_dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let copy = out_dir.path().join("copy.db");
    let out = as_reader_of(shelf_path, &["--db", p(&db), "backup", p(&copy)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(snapshot_of(&copy), snapshot_of(&a.db), "the copy holds the agency");
    assert_eq!(files(), 1, "nothing was created beside the read-only file");
    assert!(std::fs::read(&db).unwrap() == before);
    std::fs::set_permissions(shelf_path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// "Zoë Ba" typed twice, once with a combining diaeresis, and "Sаm Reyes" with a Cyrillic "а",
/// were accepted beside the real names: two people nobody could tell apart. Names are now kept
/// composed (NFC), the same name however typed is a duplicate, and a lookalike needs confirming.
#[test]
fn the_same_name_typed_differently_and_a_lookalike_are_not_two_people() {
    let a = Agency::wayfarer();
    a.ok(&["person", "add", "--name", "Zo\u{eb} Ba", "--dept", "sales"]);
    let err = a.refused(&["person", "add", "--name", "Zoe\u{308} Ba", "--dept", "sales"]);
    assert!(err.contains("Zo\u{eb} Ba") && err.contains("already"), "{err}");
    let err = a.refused(&["person", "add", "--name", "S\u{430}m Reyes", "--dept", "sales"]);
    assert!(err.contains("looks like Sam Reyes") && err.contains("--different-person"), "{err}");
    let out = a.run(&["--json", "person", "add", "--name", "S\u{430}m Reyes", "--dept", "sales"]);
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "looks_like_someone");
    a.ok(&["person", "add", "--name", "S\u{430}m Reyes", "--dept", "sales", "--different-person"]);
    // A deal titled with a combining accent is found by the composed title, and the other way round.
    let add = ["deal", "add", "--customer", "Acme", "--value", "1", "--currency", "EUR", "--owner", "Sam Reyes"];
    a.ok(&[&add[..], &["--title", "Cafe\u{301} tour"]].concat());
    assert!(a.ok(&["deal", "show", "Caf\u{e9} tour"]).contains("Caf\u{e9} tour"));
}

/// A brief twenty times over its one page could be signed and handed off, and then never
/// exported. The meeting now ends only when the brief fits; the refusal writes nothing.
#[test]
fn a_brief_over_its_one_page_cannot_end_the_meeting() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    let long = "Every detail of the customer's wishes, written out at length. ".repeat(300);
    for section in ["sold", "promises", "preferences"] {
        a.ok(&["brief", "set", "Alpine retreat", "--section", section, "--text", &long, "--at", "2026-03-03 14:05"]);
    }
    sign_both(&a, "2026-03-03 14:10");
    let err = a.refused(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:12"]);
    assert!(err.contains("the brief runs") && err.contains("% over its one page"), "{err}");
    let out = a.run(&["--json", "meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:12"]);
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "too_large");
    // Shortened and signed again, it ends.
    for section in ["sold", "promises", "preferences"] {
        a.ok(&[
            "brief",
            "set",
            "Alpine retreat",
            "--section",
            section,
            "--text",
            "In short.",
            "--at",
            "2026-03-03 14:13",
        ]);
    }
    sign_both(&a, "2026-03-03 14:14");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:15"]);
}

/// Imported deals (and every action without `--as`) were recorded with no actor, though the
/// laptop knew who used it. Without `--as`, the actor is now this laptop's person, as in the app.
#[test]
fn an_action_without_as_is_recorded_as_this_laptops_person() {
    let a = Agency::wayfarer();
    a.ok(&["whoami", "set", "Sam Reyes"]);
    let csv = a.write("crm.csv", &format!("{CSV_HEADER}L1,Lisbon,Acme,1000,EUR,Sam Reyes,2026-03-02 10:00,\n"));
    a.ok(&["import", "deals", p(&csv)]);
    a.ok(&[
        "deal",
        "add",
        "--title",
        "Porto",
        "--customer",
        "Acme",
        "--value",
        "1",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
    ]);
    for deal in ["Lisbon", "Porto"] {
        let shown = a.json(&["deal", "show", deal]);
        let first = &shown["timeline"][0];
        assert_eq!(first["actor"]["name"], "Sam Reyes", "{deal}: {first}");
    }
    // Someone else, named, still acts as themselves.
    a.ok(&[
        "deal",
        "add",
        "--title",
        "Oslo",
        "--customer",
        "Acme",
        "--value",
        "1",
        "--currency",
        "EUR",
        "--owner",
        "Sam Reyes",
        "--as",
        "Maya Chen",
    ]);
    assert_eq!(a.json(&["deal", "show", "Oslo"])["timeline"][0]["actor"]["name"], "Maya Chen");
}
