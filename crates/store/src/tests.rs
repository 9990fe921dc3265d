//! The store on real files: migrations, the version check, append-and-fold in one transaction,
//! immutability of the log, and rebuilds.

use chrono::{TimeZone, Utc};
use handoff_domain::calendar::Calendar;
use handoff_domain::directory::Department;
use handoff_domain::event::EventBody;
use handoff_domain::ids::PersonId;
use uuid::Uuid;

use super::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap()
}

fn agency() -> EventBody {
    EventBody::AgencyCreated { name: "Wayfarer".into(), calendar: Calendar::new(chrono_tz::Europe::London) }
}

fn person(name: &str) -> EventBody {
    EventBody::PersonAdded { person: PersonId(Uuid::now_v7()), name: name.into(), dept: Department::Sales, email: None }
}

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.db"), true).unwrap();
    (dir, store)
}

#[test]
fn a_new_database_is_migrated_in_wal_with_foreign_keys() {
    let (_dir, store) = fresh();
    let c = store.connection();
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "FULL");
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn reopening_keeps_the_device_and_migrates_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let device = Store::open(&path, true).unwrap().device();
    assert_eq!(Store::open(&path, false).unwrap().device(), device);
}

#[test]
fn a_missing_file_is_not_created_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    assert!(matches!(Store::open(&path, false), Err(StoreError::Missing(_))));
    assert!(!path.exists());
}

#[test]
fn appended_events_fold_into_the_read_tables_in_the_same_transaction() {
    let (_dir, mut store) = fresh();
    let events = store.write(|w| w.append(None, t0(), t0(), vec![agency(), person("Sam"), person("Sue")])).unwrap();
    assert_eq!(events.len(), 3);
    assert!(events.windows(2).all(|p| p[0].hlc < p[1].hlc), "stamps increase");
    let dir = store.read(query::directory).unwrap();
    assert_eq!(dir.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Sam", "Sue"]);
    assert_eq!(store.read(query::event_count).unwrap(), 3);
}

#[test]
fn a_refused_event_rolls_back_the_whole_action() {
    let (_dir, mut store) = fresh();
    store.write(|w| w.append(None, t0(), t0(), vec![agency()])).unwrap();
    // The second AgencyCreated is illegal: the person before it in the same action goes too.
    let err = store.write(|w| w.append(None, t0(), t0(), vec![person("Sam"), agency()])).unwrap_err();
    assert!(matches!(err, StoreError::Rule(RuleError::AgencyExists(_))), "{err}");
    assert_eq!(store.read(query::event_count).unwrap(), 1);
    assert!(store.read(query::directory).unwrap().people.is_empty());
}

#[test]
fn the_log_is_append_only() {
    let (_dir, mut store) = fresh();
    store.write(|w| w.append(None, t0(), t0(), vec![agency()])).unwrap();
    let c = store.connection();
    let err = c.execute("UPDATE events SET kind = 'x'", []).unwrap_err();
    assert!(err.to_string().contains("events are immutable"), "{err}");
    let err = c.execute("DELETE FROM events", []).unwrap_err();
    assert!(err.to_string().contains("events are never deleted"), "{err}");
}

#[test]
fn a_newer_database_is_refused_before_anything_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    {
        let store = Store::open(&path, true).unwrap();
        store.connection().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        store.connection().pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, false).err().unwrap();
    assert!(matches!(err, StoreError::NewerDatabase { found, .. } if found == SCHEMA_VERSION + 1), "{err}");
    assert!(err.to_string().contains("update Handoff to open it"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("h.db-wal").exists(), "WAL was not switched on");
}

#[test]
fn another_sqlite_file_is_not_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    rusqlite::Connection::open(&path).unwrap().execute_batch("CREATE TABLE notes (x TEXT);").unwrap();
    assert!(matches!(Store::open(&path, false), Err(StoreError::NotHandoff(_))));
}

#[test]
fn rebuild_reproduces_the_read_tables() {
    let (_dir, mut store) = fresh();
    store.write(|w| w.append(None, t0(), t0(), vec![agency(), person("Sam")])).unwrap();
    let before = store.read(query::read_tables_dump).unwrap();
    assert_eq!(store.rebuild().unwrap(), 2);
    assert_eq!(store.read(query::read_tables_dump).unwrap(), before);
}

#[test]
fn migrating_an_older_database_keeps_its_log_and_refills_the_read_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // Written as a build of schema 2 wrote them: the columns of that time, no `recorded_by`.
        let old = Store::open_at_version(&path, 2).unwrap();
        for (n, body) in [agency(), person("Sam")].into_iter().enumerate() {
            old.connection()
                .execute(
                    "INSERT INTO events (id, device, actor, occurred_at, recorded_at, hlc, kind, version, deal, payload)
                     VALUES (?1, ?2, NULL, ?3, ?3, ?4, ?5, 1, NULL, ?6)",
                    rusqlite::params![
                        Uuid::now_v7().to_string(),
                        old.device().to_string(),
                        codec::time_text(t0()),
                        handoff_domain::hlc::Hlc { wall_ms: t0().timestamp_millis(), counter: n as u32 }.to_string(),
                        body.name(),
                        serde_json::to_string(&body).unwrap(),
                    ],
                )
                .unwrap();
        }
        let v: i64 = old.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 2);
    }
    let mut store = Store::open(&path, false).unwrap();
    let v: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    assert_eq!(store.read(query::event_count).unwrap(), 2);
    let dir_after = store.read(query::directory).unwrap();
    assert_eq!(dir_after.people.len(), 1, "the read tables were refilled from the log");
    let before = store.read(query::read_tables_dump).unwrap();
    store.rebuild().unwrap();
    assert_eq!(store.read(query::read_tables_dump).unwrap(), before);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn opening_for_reading_writes_nothing_and_refuses_what_open_refuses() {
    let (dir, mut store) = fresh();
    store.write(|w| w.append(None, t0(), t0(), vec![agency(), person("Sam")])).unwrap();
    let path = store.path().to_path_buf();
    drop(store);
    let before = std::fs::read(&path).unwrap();
    let mut reader = Store::open_read_only(&path).unwrap();
    assert_eq!(reader.read(query::event_count).unwrap(), 2);
    let err = reader.write(|w| w.append(None, t0(), t0(), vec![person("Bo")])).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly), "{err}");
    drop(reader);
    assert_eq!(std::fs::read(&path).unwrap(), before);

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE notes (x TEXT);").unwrap();
    assert!(matches!(Store::open_read_only(&other), Err(StoreError::NotHandoff(_))));
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(Store::open_read_only(&empty), Err(StoreError::EmptyFile(_))));
    assert!(matches!(Store::open_read_only(&dir.path().join("none.db")), Err(StoreError::Missing(_))));
}

#[test]
fn opening_an_older_database_for_reading_brings_it_up_to_date_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    drop(Store::open_at_version(&path, 2).unwrap());
    let store = Store::open_read_only(&path).unwrap();
    let v: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn the_log_never_takes_a_time_it_cannot_read_back() {
    let (_dir, mut store) = fresh();
    store.write(|w| w.append(None, t0(), t0(), vec![agency()])).unwrap();
    let before = store.read(query::event_count).unwrap();
    let ancient = DateTime::parse_from_rfc3339("1969-12-31T23:59:59Z").unwrap().with_timezone(&Utc);
    let err = store.write(|w| w.append(None, ancient, t0(), vec![person("Sam")])).unwrap_err();
    assert!(err.to_string().contains("from 1970 to the year 9999"), "{err}");
    assert_eq!(store.read(query::event_count).unwrap(), before, "nothing was written");
}

#[test]
fn a_refill_a_migration_asked_for_survives_a_kill_before_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let old = Store::open_at_version(&path, 2).unwrap();
        drop(old);
    }
    // Migrated, then "killed" before the refill: only the schema moved on.
    let (conn, refill) = schema::open(&path, 1000).unwrap();
    assert!(refill, "the migration to 0003 changes the read tables");
    drop(conn);
    let (conn, refill) = schema::open(&path, 1000).unwrap();
    assert!(refill, "still pending at the next open, though nothing is left to migrate");
    drop(conn);
    // Opening the store refills, and clears the mark with it.
    drop(Store::open(&path, false).unwrap());
    let (_, refill) = schema::open(&path, 1000).unwrap();
    assert!(!refill);
    let fresh = dir.path().join("new.db");
    let (_, refill) = schema::open(&fresh, 1000).unwrap();
    assert!(!refill, "a new database has nothing to refill");
}
