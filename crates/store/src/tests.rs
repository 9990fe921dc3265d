//! The store on real files: migrations, the version check, append-and-fold in one transaction,
//! immutability of the log, and rebuilds.

use chrono::{TimeZone, Utc};
use handoff_domain::calendar::Calendar;
use handoff_domain::directory::Department;
use handoff_domain::event::EventBody;
use handoff_domain::ids::PersonId;
use uuid::Uuid;

use super::*;
use handoff_domain::zone::Zone;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap()
}

fn agency() -> EventBody {
    EventBody::AgencyCreated { name: "Wayfarer".into(), calendar: Calendar::new(Zone::known("Europe/London")) }
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

/// The people a write finds in the directory.
fn people_a_write_sees(store: &mut Store) -> Vec<String> {
    store.write(|w| Ok::<_, StoreError>(w.directory()?.people.iter().map(|p| p.name.clone()).collect())).unwrap()
}

#[test]
fn a_write_starts_from_the_directory_as_the_file_holds_it_whoever_changed_it() {
    let (dir, mut here) = fresh();
    here.write(|w| w.append(None, t0(), t0(), vec![agency(), person("Sam")])).unwrap();
    assert_eq!(people_a_write_sees(&mut here), ["Sam"]);
    // Another process adds Bo: this one's next write knows Bo, and can staff Sales with him.
    let mut there = Store::open(&dir.path().join("h.db"), false).unwrap();
    let bo = PersonId(Uuid::now_v7());
    there
        .write(|w| {
            w.append(
                None,
                t0(),
                t0(),
                vec![EventBody::PersonAdded { person: bo, name: "Bo".into(), dept: Department::Sales, email: None }],
            )
        })
        .unwrap();
    assert_eq!(people_a_write_sees(&mut here), ["Sam", "Bo"]);
    here.write(|w| {
        w.append(
            None,
            t0(),
            t0(),
            vec![EventBody::DepartmentStaffed { dept: Department::Sales, lead: bo, backups: vec![] }],
        )
    })
    .unwrap();
    // A write that added Sue and then failed leaves no Sue behind for the next.
    here.write(|w| w.append(None, t0(), t0(), vec![person("Sue"), agency()])).unwrap_err();
    assert_eq!(people_a_write_sees(&mut here), ["Sam", "Bo"]);
    // A rebuild writes the directory itself; the next write starts from what it wrote.
    here.write(|w| w.append(None, t0(), t0(), vec![person("Ann")])).unwrap();
    here.rebuild().unwrap();
    assert_eq!(people_a_write_sees(&mut here), ["Sam", "Bo", "Ann"]);
    assert_eq!(people_a_write_sees(&mut there), ["Sam", "Bo", "Ann"]);
}

#[test]
fn an_actions_last_event_carries_the_clock_and_the_next_action_stamps_after_it_whatever_the_wall_clock_says() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let first = Store::open(&path, true).unwrap().write(|w| w.append(None, t0(), t0(), vec![agency(), person("Sam")]));
    let first = first.unwrap();
    let mut store = Store::open(&path, false).unwrap();
    let kept: i64 =
        store.connection().query_row("SELECT count(*) FROM meta WHERE key = 'hlc'", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 0, "a local action keeps its clock in its events alone");
    // The laptop's clock went back an hour: what it records now still sorts after what it had.
    let back = t0() - chrono::Duration::hours(1);
    let next = store.write(|w| w.append(None, back, back, vec![person("Sue")])).unwrap();
    assert!(next[0].hlc > first[1].hlc, "{} after {}", next[0].hlc, first[1].hlc);
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

/// How SQLite answers `sql`: its query plan's first step.
fn query_plan(s: &Store, sql: &str) -> String {
    s.connection().query_row(&format!("EXPLAIN QUERY PLAN {sql}"), [], |r| r.get(3)).unwrap()
}

#[test]
fn a_crm_record_id_is_found_through_an_index_of_the_deals_that_have_one() {
    let (_dir, store) = fresh();
    let plan = query_plan(&store, "SELECT id FROM deals WHERE external_id = 'CRM-7'");
    assert!(plan.contains("deals_by_external_id"), "{plan}");
    let unique: i64 = store
        .connection()
        .query_row("SELECT \"unique\" FROM pragma_index_list('deals') WHERE name = 'deals_by_external_id'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(unique, 1, "two deals never hold one CRM record");
}

#[test]
fn the_deals_holding_one_crm_record_are_found_through_the_logs_indexes_not_by_reading_every_event() {
    let (_dir, store) = fresh();
    let plan: Vec<String> = store
        .connection()
        .prepare(&format!("EXPLAIN QUERY PLAN {}", crate::projection::SAME_CRM_RECORD))
        .unwrap()
        .query_map(["a deal"], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join("\n");
    assert!(plan.contains("USING INDEX events_by_external_id"), "{plan}");
    assert!(plan.contains("USING INDEX events_added_by_external_id"), "{plan}");
    assert!(!plan.contains("SCAN other"), "{plan}");
}

/// Every index of the database, by name, with the statement that makes it.
fn index_schema(c: &rusqlite::Connection) -> Vec<(String, String)> {
    c.prepare("SELECT name, ifnull(sql, '') FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn an_intake_into_an_empty_log_sets_the_logs_lookup_indexes_aside_until_it_finishes() {
    let (_dir, mut store) = fresh();
    let index_names =
        |c: &rusqlite::Connection| -> Vec<String> { index_schema(c).into_iter().map(|(name, _)| name).collect() };
    let before = index_names(store.connection());
    {
        let tx = store.connection().unchecked_transaction().unwrap();
        let intake = crate::import::Intake::begin(&tx).unwrap();
        let during = index_names(&tx);
        for aside in ["events_by_deal", "events_by_external_id", "events_by_review", "events_added_by_external_id"] {
            assert!(before.iter().any(|n| n == aside), "{before:?}");
            assert!(!during.iter().any(|n| n == aside), "{during:?}");
        }
        assert!(during.iter().any(|n| n.starts_with("sqlite_autoindex_events")), "an event's id stays unique");
        intake.finish(&tx).unwrap();
        assert_eq!(index_names(&tx), before);
    }
    // Into a log that holds events, an intake leaves them as they are.
    store.write(|w| w.append(None, t0(), t0(), vec![agency()])).unwrap();
    let tx = store.connection().unchecked_transaction().unwrap();
    let _intake = crate::import::Intake::begin(&tx).unwrap();
    assert_eq!(index_names(&tx), before);
}

#[test]
fn a_rebuild_sets_the_lookup_indexes_aside_and_makes_them_again() {
    let (_dir, mut store) = fresh();
    store.write(|w| w.append(None, t0(), t0(), vec![agency(), person("Sam")])).unwrap();
    let schema = |s: &Store| index_schema(s.connection());
    let before = schema(&store);
    {
        let tx = store.connection().unchecked_transaction().unwrap();
        let made_again = projection::set_aside_lookup_indexes(&tx, &projection::READ_TABLES).unwrap();
        assert!(made_again.iter().any(|sql| sql.contains("deals_by_title")), "{made_again:?}");
        let left: Vec<String> = schema(&store).into_iter().map(|(name, _)| name).collect();
        assert!(!left.contains(&"deals_by_title".to_string()), "{left:?}");
        // What keeps rows unique stays: the deal's id and its CRM record.
        assert!(left.iter().any(|n| n.starts_with("sqlite_autoindex_deals")), "{left:?}");
        assert!(made_again.iter().all(|sql| !sql.contains("UNIQUE")), "{made_again:?}");
    }
    store.rebuild().unwrap();
    assert_eq!(schema(&store), before);
    // Lookups use them again.
    let plan = query_plan(&store, "SELECT id FROM deals WHERE title = 'x' COLLATE NOCASE");
    assert!(plan.contains("deals_by_title"), "{plan}");
}

#[test]
fn a_large_write_commits_without_moving_its_log_and_a_thread_moves_it() {
    let (dir, mut store) = fresh();
    let autocheckpoint =
        |s: &Store| -> i64 { s.connection().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap() };
    assert_eq!(autocheckpoint(&store), 1000, "SQLite's own default");
    let cache = |c: &rusqlite::Connection| -> i64 { c.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap() };
    assert_eq!(cache(store.connection()), -2000, "SQLite's own page cache");
    store
        .write(|w| {
            w.mark_large();
            assert_eq!(cache(&w.tx), -262_144, "a large write reads its pages back from memory");
            w.append(None, t0(), t0(), vec![agency(), person("Sam")])
        })
        .unwrap();
    assert_eq!(cache(store.connection()), -2000, "the page cache is given back");
    // Until that thread is done, commits leave the log to it.
    assert_eq!(autocheckpoint(&store), 0);
    store.await_checkpoint();
    assert_eq!(autocheckpoint(&store), 1000, "commits move the log again");
    // The database file alone, without its log, holds the large write.
    let alone = dir.path().join("alone.db");
    std::fs::copy(dir.path().join("h.db"), &alone).unwrap();
    let events: i64 =
        rusqlite::Connection::open(&alone).unwrap().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    assert_eq!(events, 2);
    // A write that is not large keeps SQLite's way.
    store.write(|w| w.append(None, t0(), t0(), vec![person("Bo")])).unwrap();
    assert_eq!(autocheckpoint(&store), 1000);
}

#[test]
fn a_large_write_whose_commit_fails_leaves_nothing_and_commits_move_the_log_as_before() {
    let (_dir, mut store) = fresh();
    let failed: Result<(), StoreError> = store.write(|w| {
        w.mark_large();
        w.append(None, t0(), t0(), vec![agency()])?;
        // Refused only at COMMIT: a number for an event the log does not hold.
        w.tx.execute_batch(
            "PRAGMA defer_foreign_keys = ON;
             INSERT INTO device_sequence (event, device, seq) VALUES ('no-such-event', 'x', 1);",
        )?;
        Ok(())
    });
    assert!(failed.is_err(), "the commit refused");
    assert_eq!(store.read(query::event_count).unwrap(), 0, "nothing written");
    let pages: i64 = store.connection().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
    assert_eq!(pages, 1000, "no thread was left the log");
    let cache: i64 = store.connection().query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap();
    assert_eq!(cache, -2000, "the large write's page cache is given back");
    // A large write refused before its commit gives it back too.
    let refused: Result<(), StoreError> = store.write(|w| {
        w.mark_large();
        Err(StoreError::UnreadableEvent("refused".into()))
    });
    assert!(refused.is_err());
    let cache: i64 = store.connection().query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap();
    assert_eq!(cache, -2000, "the refused large write's page cache is given back");
    store.write(|w| w.append(None, t0(), t0(), vec![agency()])).unwrap();
    assert_eq!(store.read(query::event_count).unwrap(), 1);
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

// ---- merging the logs of two laptops ------------------------------------------------------------

mod merging {
    use handoff_domain::assignment::AssignedBecause;
    use handoff_domain::event::{Settlement, TripPlan};
    use handoff_domain::ids::DealId;
    use handoff_domain::merge::ConflictKind;
    use handoff_domain::money::Money;

    use super::*;

    const SAM: PersonId = PersonId(Uuid::from_u128(1));
    const FAY: PersonId = PersonId(Uuid::from_u128(2));
    const BO: PersonId = PersonId(Uuid::from_u128(3));

    fn people() -> Vec<EventBody> {
        let add = |person, name: &str, dept| EventBody::PersonAdded { person, name: name.into(), dept, email: None };
        vec![
            agency(),
            add(SAM, "Sam", Department::Sales),
            add(FAY, "Fay", Department::Fulfilment),
            add(BO, "Bo", Department::Fulfilment),
        ]
    }

    fn deal(n: u128) -> DealId {
        DealId(Uuid::from_u128(100 + n))
    }

    fn added(n: u128) -> EventBody {
        EventBody::DealAdded {
            deal: deal(n),
            title: format!("Deal {n}"),
            customer: "Acme".into(),
            value: Money::parse("100", "EUR").unwrap(),
            sales_owner: SAM,
            trip: TripPlan::default(),
            external_id: None,
            source: None,
        }
    }

    fn won(n: u128, owner: PersonId) -> EventBody {
        EventBody::DealWon { deal: deal(n), fulfilment_owner: owner, assigned_because: AssignedBecause::Lead }
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        t0() + chrono::Duration::minutes(minutes)
    }

    /// A second laptop: an empty database that took in everything `first` has.
    fn second(first: &mut Store) -> (tempfile::TempDir, Store) {
        let (dir, mut store) = fresh();
        let all = first.read(query::raw_events).unwrap();
        let imported = store.import(&all, at(1)).unwrap();
        assert_eq!(imported, Imported { new: all.len(), repeated: 0 });
        (dir, store)
    }

    /// The first column of every row `sql` reads on `store`'s own connection.
    fn column<T: rusqlite::types::FromSql>(store: &Store, sql: &str) -> Vec<T> {
        let mut statement = store.connection().prepare(sql).unwrap();
        statement.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    fn dump(store: &mut Store) -> String {
        store.read(query::read_tables_dump).unwrap()
    }

    /// Both laptops take in each other's log; afterwards both hold the same tables, equal to a rebuild.
    fn exchange(a: &mut Store, b: &mut Store, now: DateTime<Utc>) {
        let from_a = a.read(query::raw_events).unwrap();
        let from_b = b.read(query::raw_events).unwrap();
        a.import(&from_b, now).unwrap();
        b.import(&from_a, now).unwrap();
        let (da, db) = (dump(a), dump(b));
        assert_eq!(da, db, "the two laptops differ");
        a.rebuild().unwrap();
        assert_eq!(dump(a), da, "the merged tables differ from a rebuild");
    }

    #[test]
    fn two_laptops_that_won_the_same_deal_agree_the_first_win_counts() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        a.write(|w| w.append(Some(SAM), at(0), at(0), vec![added(1)])).unwrap();
        let (_d2, mut b) = second(&mut a);
        assert_eq!(dump(&mut a), dump(&mut b), "a new laptop holds what the first does");
        a.write(|w| w.append(Some(SAM), at(10), at(10), vec![won(1, FAY)])).unwrap();
        b.write(|w| w.append(Some(FAY), at(12), at(12), vec![won(1, BO)])).unwrap();
        exchange(&mut a, &mut b, at(13));
        let deal = a.read(|c| query::deal(c, deal(1))).unwrap().unwrap();
        assert_eq!(deal.acting_fulfilment_owner(), Some(FAY), "the first win counts");
        let conflicts = a.read(|c| query::deal_conflicts(c, deal.id)).unwrap();
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        assert_eq!(conflicts[0].kind, ConflictKind::WonTwice);
        assert!(conflicts[0].skipped);
        assert!(
            conflicts[0].note.contains("naming Bo") && conflicts[0].note.contains("with Fay"),
            "{}",
            conflicts[0].note
        );
        let timeline = a.read(|c| query::deal_events(c, deal.id)).unwrap();
        assert_eq!(timeline.iter().filter(|(_, skipped)| *skipped).count(), 1, "Bo's win is marked left out");
    }

    /// An import folds again only the deals its new events touch: the other deals' rows are
    /// not written at all (watched by triggers on the import's own connection).
    #[test]
    fn an_import_refolds_only_the_deals_its_events_touch() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        for n in 1..=8 {
            a.write(|w| w.append(Some(SAM), at(1), at(1), vec![added(n)])).unwrap();
        }
        let (_d2, mut b) = second(&mut a);
        a.write(|w| w.append(Some(SAM), at(20), at(20), vec![won(3, FAY)])).unwrap();
        b.connection()
            .execute_batch(
                "CREATE TEMP TABLE written (deal TEXT);
                 CREATE TEMP TRIGGER deal_added AFTER INSERT ON deals BEGIN INSERT INTO written VALUES (new.id); END;
                 CREATE TEMP TRIGGER deal_changed AFTER UPDATE ON deals BEGIN INSERT INTO written VALUES (new.id); END;
                 CREATE TEMP TRIGGER deal_removed AFTER DELETE ON deals BEGIN INSERT INTO written VALUES (old.id); END;",
            )
            .unwrap();
        let from_a = a.read(query::raw_events).unwrap();
        assert_eq!(b.import(&from_a, at(21)).unwrap().new, 1);
        let written: Vec<String> = column(&b, "SELECT DISTINCT deal FROM written ORDER BY deal");
        assert_eq!(written, [deal(3).0.to_string()], "only the deal the new event names");
        assert_eq!(dump(&mut a), dump(&mut b));
    }

    #[test]
    fn an_event_here_already_is_a_repeat_and_the_same_id_with_other_content_refuses_the_batch() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        let (_d2, mut b) = second(&mut a);
        let all = a.read(query::raw_events).unwrap();
        assert_eq!(b.import(&all, at(2)).unwrap(), Imported { new: 0, repeated: all.len() });
        let mut changed = all.clone();
        changed[1].payload = changed[1].payload.replace("Sam", "Sal");
        let before = dump(&mut b);
        let err = b.import(&changed, at(2)).unwrap_err();
        assert!(matches!(err, StoreError::Mismatch(ref id) if *id == all[1].id), "{err}");
        assert!(err.to_string().contains("nothing was taken in"), "{err}");
        assert_eq!(dump(&mut b), before);
        // A damaged event (its kind disagreeing with its content) refuses the batch too.
        let mut damaged = all[0].clone();
        damaged.id = Uuid::now_v7().to_string();
        damaged.kind = "deal_lost".into();
        let err = b.import(&[damaged], at(2)).unwrap_err();
        assert!(matches!(err, StoreError::Received(_)), "{err}");
    }

    #[test]
    fn the_log_numbers_its_events_without_a_gap_so_its_highest_number_is_its_count() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        let (_d2, mut b) = second(&mut a);
        a.write(|w| w.append(Some(SAM), at(1), at(1), vec![added(1), added(2)])).unwrap();
        let all = a.read(query::raw_events).unwrap();
        // A batch refused after its new events were inserted (b's clock six minutes behind).
        b.import(&all, at(-6)).unwrap_err();
        // Repeats skipped, the new ones kept.
        assert_eq!(b.import(&all, at(2)).unwrap().new, 2);
        // A write refused after its event was appended.
        let refused: Result<(), StoreError> = b.write(|w| {
            w.append(Some(SAM), at(3), at(3), vec![added(3)])?;
            Err(StoreError::UnreadableEvent("refused".into()))
        });
        assert!(refused.is_err());
        b.write(|w| w.append(Some(SAM), at(4), at(4), vec![added(4)])).unwrap();
        let numbers: Vec<i64> = column(&b, "SELECT seq FROM events ORDER BY seq");
        assert_eq!(numbers, (1..=all.len() as i64 + 1).collect::<Vec<_>>(), "1, 2, 3 … with no gap");
        assert_eq!(b.read(query::event_count).unwrap(), numbers.len() as i64);
    }

    #[test]
    fn numbered_events_keep_their_laptops_numbers_and_a_different_number_refuses_the_batch() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        let numbered = a.offer(0, 100).unwrap();
        assert_eq!(numbered.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
        let (_d2, mut b) = fresh();
        assert_eq!(b.import_sequenced(&numbered, at(1)).unwrap().new, 4);
        assert_eq!(b.import_sequenced(&numbered, at(1)).unwrap().repeated, 4, "a repeat changes nothing");
        let device = numbered[0].event.device.clone();
        assert_eq!(b.cursors().unwrap().get(&device), Some(&4));
        let before = dump(&mut b);
        // The same event under another number: the two logs disagree.
        let mut renumbered = numbered[3].clone();
        renumbered.seq = 9;
        let err = b.import_sequenced(&[renumbered], at(1)).unwrap_err();
        assert!(err.to_string().contains("number 4 here but 9 there"), "{err}");
        // Another event under a number held: the same.
        a.write(|w| w.append(Some(SAM), at(2), at(2), vec![added(1)])).unwrap();
        let mut other = a.offer(4, 100).unwrap();
        assert_eq!(other[0].seq, 5);
        other[0].seq = 2;
        let err = b.import_sequenced(&other, at(3)).unwrap_err();
        assert!(err.to_string().contains("the two logs disagree"), "{err}");
        assert_eq!(dump(&mut b), before, "nothing was taken in");
        assert_eq!(b.cursors().unwrap().get(&device), Some(&4));
    }

    #[test]
    fn a_laptop_numbers_only_its_own_events_recorded_since_and_counts_what_waits_to_go() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        // Before any numbering, everything a laptop recorded waits (a database from before the
        // numbering was read only from where it stopped has no such place: all is read).
        assert_eq!(a.waiting(0).unwrap(), 4);
        assert_eq!(a.number_own().unwrap(), 4);
        assert_eq!((a.waiting(0).unwrap(), a.waiting(4).unwrap()), (4, 0));
        // Another laptop's events, taken in with their numbers, are never numbered as this one's.
        let (_d2, mut b) = second(&mut a);
        b.write(|w| w.append(Some(SAM), at(2), at(2), vec![added(1), added(2), added(3)])).unwrap();
        let from_b = b.offer(0, 100).unwrap();
        assert_eq!(from_b.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(a.import_sequenced(&from_b, at(3)).unwrap().new, 3);
        assert_eq!(a.number_own().unwrap(), 4, "nothing of a's own came since");
        assert_eq!(a.waiting(4).unwrap(), 0);
        // What a records after that waits at once, numbered or not, and is numbered after 4 in
        // fold order (its clock stamps after what it took in).
        a.write(|w| w.append(Some(SAM), at(4), at(4), vec![added(4)])).unwrap();
        a.write(|w| w.append(Some(SAM), at(5), at(5), vec![added(5)])).unwrap();
        assert_eq!(a.waiting(4).unwrap(), 2);
        let offered = a.offer(4, 100).unwrap();
        assert_eq!(offered.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 6]);
        let own = a.read(query::raw_events).unwrap();
        let recorded: Vec<&str> = own.iter().rev().take(2).rev().map(|e| e.id.as_str()).collect();
        assert_eq!(offered.iter().map(|e| e.event.id.as_str()).collect::<Vec<_>>(), recorded);
        assert_eq!((a.waiting(4).unwrap(), a.waiting(5).unwrap(), a.waiting(6).unwrap()), (2, 1, 0));
        // Each laptop's highest number, as many laptops as there are.
        let cursors = a.cursors().unwrap();
        assert_eq!(cursors.len(), 2);
        assert_eq!(cursors.get(&a.device().to_string()), Some(&6));
        assert_eq!(cursors.get(&b.device().to_string()), Some(&3));
        let (_d3, mut empty) = fresh();
        assert!(empty.cursors().unwrap().is_empty());
        assert_eq!(empty.number_own().unwrap(), 0);
    }

    #[test]
    fn a_backup_restored_on_another_laptop_numbers_that_laptops_own_events_it_holds() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        // Laptop l took in a's events unnumbered, then numbered its own: its place in the log is
        // past a's events.
        let (d2, mut l) = second(&mut a);
        l.write(|w| w.append(Some(SAM), at(2), at(2), vec![added(1)])).unwrap();
        assert_eq!(l.number_own().unwrap(), 1);
        let backup = d2.path().join("l-backup.db");
        l.backup_to(&backup).unwrap();
        // a restores l's backup and keeps its own id: its four events in the file wait, and are
        // numbered, for l's place in the log is not a's.
        a.restore_from::<StoreError>(&backup, &d2.path().join("scratch.db"), |_| Ok(())).unwrap();
        assert_eq!(a.waiting(0).unwrap(), 4);
        assert_eq!(a.number_own().unwrap(), 4);
        assert_eq!(a.waiting(4).unwrap(), 0);
    }

    #[test]
    fn a_stamp_more_than_five_minutes_ahead_is_refused_and_a_slow_clock_stamps_after_what_it_took_in() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        let all = a.read(query::raw_events).unwrap();
        let (_d2, mut b) = fresh();
        // b's clock is six minutes behind: refused, nothing taken in.
        let err = b.import(&all, at(-6)).unwrap_err();
        assert!(matches!(err, StoreError::Clock(_)), "{err}");
        assert!(err.to_string().contains("6 minutes ahead"), "{err}");
        assert_eq!(b.read(query::event_count).unwrap(), 0);
        // Four minutes behind: taken in, and what b records next sorts after it.
        b.import(&all, at(-4)).unwrap();
        let mine = b.write(|w| w.append(Some(SAM), at(-4), at(-4), vec![added(1)])).unwrap();
        let newest = all.iter().map(|e| e.hlc.parse::<Hlc>().unwrap()).max().unwrap();
        assert!(mine[0].hlc > newest, "a slow clock still stamps after what it saw");
    }

    #[test]
    fn taking_in_a_whole_log_sets_its_lookup_indexes_aside_and_makes_them_again() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        a.write(|w| w.append(Some(SAM), at(1), at(1), vec![added(1), imported(2, "Lisbon")])).unwrap();
        let all = a.read(query::raw_events).unwrap();
        let (_d2, mut b) = fresh();
        let before = index_schema(b.connection());
        assert!(before.iter().any(|(name, _)| name == "events_by_deal"), "{before:?}");
        // Refused halfway (a clock six minutes behind): the indexes are as they were.
        b.import(&all, at(-6)).unwrap_err();
        assert_eq!(index_schema(b.connection()), before);
        // Taken into the empty log: made again, and used.
        b.import(&all, at(2)).unwrap();
        assert_eq!(index_schema(b.connection()), before);
        let plan = query_plan(&b, "SELECT seq FROM events WHERE deal = 'x' ORDER BY hlc");
        assert!(plan.contains("events_by_deal"), "{plan}");
        assert_eq!(dump(&mut b), dump(&mut a), "folded as the laptop it came from");
        // Into a log that holds events, they stay as they are throughout.
        let more = a.write(|w| w.append(Some(SAM), at(3), at(3), vec![added(3)])).unwrap();
        b.import(&more.iter().map(RawEvent::of).collect::<Vec<_>>(), at(4)).unwrap();
        assert_eq!(index_schema(b.connection()), before);
        assert_eq!(dump(&mut b), dump(&mut a));
    }

    /// CRM record 7 imported as deal `n`.
    fn imported(n: u128, title: &str) -> EventBody {
        EventBody::DealImported {
            deal: deal(n),
            external_id: "CRM-7".into(),
            title: title.into(),
            customer: "Acme".into(),
            value: Money::parse("100", "EUR").unwrap(),
            sales_owner: SAM,
            closed_at: at(-600),
            handoff_at: None,
            fulfilment_owner: FAY,
            assigned_because: AssignedBecause::Lead,
            source: None,
        }
    }

    #[test]
    fn the_same_external_id_imported_on_two_laptops_counts_once() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        let (_d2, mut b) = second(&mut a);
        // b imports it later by the clock, but a refold must still let a's count wherever it lands.
        b.write(|w| w.append(Some(SAM), at(20), at(20), vec![imported(2, "From b")])).unwrap();
        a.write(|w| w.append(Some(SAM), at(10), at(10), vec![imported(1, "From a")])).unwrap();
        exchange(&mut a, &mut b, at(21));
        assert!(a.read(|c| query::deal(c, deal(1))).unwrap().is_some());
        assert!(a.read(|c| query::deal(c, deal(2))).unwrap().is_none(), "the second import is left out");
        let conflicts = a.read(|c| query::deal_conflicts(c, deal(2))).unwrap();
        assert_eq!(conflicts[0].kind, ConflictKind::ImportedTwice);
        assert!(
            conflicts[0].note.contains("CRM-7") && conflicts[0].note.contains("\"From a\""),
            "{}",
            conflicts[0].note
        );
    }

    #[test]
    fn an_event_of_a_newer_version_is_kept_and_asks_for_an_update() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        a.write(|w| w.append(Some(SAM), at(1), at(1), vec![added(1)])).unwrap();
        let (_d2, mut b) = second(&mut a);
        let mut newer = RawEvent::of(&a.write(|w| w.append(Some(SAM), at(2), at(2), vec![won(1, FAY)])).unwrap()[0]);
        newer.id = Uuid::now_v7().to_string();
        newer.version = handoff_domain::event::EVENT_VERSION + 1;
        newer.kind = "deal_won_by_phone".into();
        newer.payload = r#"{"kind":"deal_won_by_phone","deal":"x","caller":"?"}"#.into();
        b.import(std::slice::from_ref(&newer), at(3)).unwrap();
        let held = b.read(|c| codec::raw_event(c, &newer.id)).unwrap();
        assert_eq!(held.as_ref(), Some(&newer), "kept exactly as received");
        let conflicts = b.read(|c| query::deal_conflicts(c, deal(1))).unwrap();
        assert_eq!(conflicts[0].kind, ConflictKind::NewerVersion);
        assert!(conflicts[0].note.contains("updated"), "{}", conflicts[0].note);
        let before = dump(&mut b);
        b.rebuild().unwrap();
        assert_eq!(dump(&mut b), before, "a rebuild keeps it and folds the rest");
    }

    #[test]
    fn a_directory_change_from_before_refolds_the_deals_after_it() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        let (_d2, mut b) = second(&mut a);
        // b records Fay leaving at minute 5; a, not knowing, wins a deal for her at minute 7.
        b.write(|w| {
            w.append(None, at(5), at(5), vec![EventBody::PersonRetired { person: FAY, reason: "left".into() }])
        })
        .unwrap();
        a.write(|w| w.append(Some(SAM), at(6), at(6), vec![added(1), added(2)])).unwrap();
        a.write(|w| w.append(Some(SAM), at(7), at(7), vec![won(1, FAY)])).unwrap();
        a.write(|w| w.append(Some(SAM), at(8), at(8), vec![won(2, BO)])).unwrap();
        assert_eq!(a.read(|c| query::deal(c, deal(1))).unwrap().unwrap().status.as_str(), "won");
        exchange(&mut a, &mut b, at(9));
        let one = a.read(|c| query::deal(c, deal(1))).unwrap().unwrap();
        assert_eq!(one.status.as_str(), "open", "a win for someone who had left does not stand");
        let conflicts = a.read(|c| query::deal_conflicts(c, deal(1))).unwrap();
        assert_eq!(conflicts[0].kind, ConflictKind::Refused);
        assert!(conflicts[0].note.contains("deal won") && conflicts[0].note.contains("Fay"), "{}", conflicts[0].note);
        let two = a.read(|c| query::deal(c, deal(2))).unwrap().unwrap();
        assert_eq!(two.acting_fulfilment_owner(), Some(BO), "the other deal is untouched");
    }

    /// Two laptops that won one deal, exchanged: the won-twice conflict on both. Returns its id.
    fn won_twice(a: &mut Store, b: &mut Store) -> handoff_domain::ids::EventId {
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        a.write(|w| w.append(Some(SAM), at(0), at(0), vec![added(1)])).unwrap();
        b.import(&a.read(query::raw_events).unwrap(), at(1)).unwrap();
        a.write(|w| w.append(Some(SAM), at(10), at(10), vec![won(1, FAY)])).unwrap();
        b.write(|w| w.append(Some(FAY), at(12), at(12), vec![won(1, BO)])).unwrap();
        exchange(a, b, at(13));
        let conflicts = a.read(|c| query::deal_conflicts(c, deal(1))).unwrap();
        assert_eq!(conflicts[0].other, vec![handoff_domain::merge::OtherVersion::FulfilmentOwner { person: BO }]);
        assert_eq!(conflicts[0].settled, None);
        conflicts[0].id.parse().unwrap()
    }

    fn settled(conflict: handoff_domain::ids::EventId, how: Settlement) -> EventBody {
        EventBody::ConflictSettled { deal: Some(deal(1)), conflict, how }
    }

    fn to_bo() -> EventBody {
        EventBody::FulfilmentOwnerReassigned { deal: deal(1), from: FAY, to: BO, reason: "took the other".into() }
    }

    #[test]
    fn a_settled_conflict_leaves_the_open_list_and_the_first_settlement_counts_on_every_laptop() {
        let (_d1, mut a) = fresh();
        let (_d2, mut b) = fresh();
        let conflict = won_twice(&mut a, &mut b);
        assert_eq!(a.read(|c| query::conflicts(c, false)).unwrap().len(), 1);
        // Sam takes Bo's version on one laptop; a minute later Fay keeps Fay on the other.
        a.write(|w| w.append(Some(SAM), at(20), at(20), vec![to_bo(), settled(conflict, Settlement::TookOther)]))
            .unwrap();
        let kept = b.write(|w| w.append(Some(FAY), at(21), at(21), vec![settled(conflict, Settlement::Kept)])).unwrap();
        // A Handoff from before settling keeps it, and its action, unfolded until updated.
        assert_eq!(kept[0].version, 2);
        exchange(&mut a, &mut b, at(22));
        for store in [&mut a, &mut b] {
            let deal = store.read(|c| query::deal(c, deal(1))).unwrap().unwrap();
            assert_eq!(deal.acting_fulfilment_owner(), Some(BO), "the other version was taken first");
            let row = store.read(|c| query::deal_conflicts(c, deal.id)).unwrap().remove(0);
            let (by, at_, how) = row.settled.expect("settled");
            assert_eq!((by, at_, how), (Some(SAM), at(20), Settlement::TookOther));
            assert!(store.read(|c| query::conflicts(c, false)).unwrap().is_empty(), "no conflict left open");
            assert_eq!(store.read(|c| query::conflicts(c, true)).unwrap().len(), 1, "still listed with --all");
        }
    }

    #[test]
    fn a_settlement_of_a_deal_not_kept_here_converges_when_both_laptops_settle_at_once() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        // Enough deals that what each exchange brings in is refolded alone, not the whole log.
        a.write(|w| w.append(Some(SAM), at(1), at(1), (10..30).map(added).collect())).unwrap();
        let (_d2, mut b) = second(&mut a);
        b.write(|w| w.append(Some(SAM), at(20), at(20), vec![imported(2, "From b")])).unwrap();
        a.write(|w| w.append(Some(SAM), at(10), at(10), vec![imported(1, "From a")])).unwrap();
        exchange(&mut a, &mut b, at(21));
        let conflict: handoff_domain::ids::EventId =
            a.read(|c| query::deal_conflicts(c, deal(2))).unwrap()[0].id.parse().unwrap();
        // Deal 2 is not kept anywhere: each laptop settles its conflict, Fay a minute first.
        let settle = |how| vec![EventBody::ConflictSettled { deal: Some(deal(2)), conflict, how }];
        b.write(|w| w.append(Some(FAY), at(30), at(30), settle(Settlement::Kept))).unwrap();
        a.write(|w| w.append(Some(SAM), at(31), at(31), settle(Settlement::Kept))).unwrap();
        exchange(&mut a, &mut b, at(32));
        for store in [&mut a, &mut b] {
            let row = store.read(|c| query::deal_conflicts(c, deal(2))).unwrap().remove(0);
            assert_eq!(row.settled.map(|s| (s.0, s.1)), Some((Some(FAY), at(30))), "the first settlement, on both");
        }
    }

    #[test]
    fn taking_a_version_another_laptop_had_already_put_back_still_settles_the_conflict() {
        let (_d1, mut a) = fresh();
        let (_d2, mut b) = fresh();
        let conflict = won_twice(&mut a, &mut b);
        // Fay hands the deal to Bo by hand; Sam, not knowing, takes Bo's version a minute later.
        b.write(|w| w.append(Some(FAY), at(19), at(19), vec![to_bo()])).unwrap();
        a.write(|w| w.append(Some(SAM), at(20), at(20), vec![to_bo(), settled(conflict, Settlement::TookOther)]))
            .unwrap();
        exchange(&mut a, &mut b, at(22));
        let deal = a.read(|c| query::deal(c, deal(1))).unwrap().unwrap();
        assert_eq!(deal.acting_fulfilment_owner(), Some(BO));
        let row = a.read(|c| query::deal_conflicts(c, deal.id)).unwrap().remove(0);
        assert_eq!(row.settled.map(|s| (s.0, s.2)), Some((Some(SAM), Settlement::TookOther)));
        let timeline = a.read(|c| query::deal_events(c, deal.id)).unwrap();
        let left_out: Vec<_> = timeline.iter().filter(|(_, skipped)| *skipped).map(|(e, _)| e.body.name()).collect();
        assert_eq!(left_out, ["deal_won", "fulfilment_owner_reassigned"], "the reassignment was already so");
    }

    #[test]
    fn a_text_replaced_unseen_is_told_to_whoever_wrote_it() {
        let (_d1, mut a) = fresh();
        a.write(|w| w.append(None, at(0), at(0), people())).unwrap();
        a.write(|w| w.append(Some(SAM), at(1), at(1), vec![added(1), won(1, FAY)])).unwrap();
        a.write(|w| w.append(Some(FAY), at(2), at(2), vec![EventBody::MeetingStarted { deal: deal(1) }])).unwrap();
        let (_d2, mut b) = second(&mut a);
        let risks = |text: &str| EventBody::BriefSectionWritten {
            deal: deal(1),
            section: handoff_domain::brief::Section::Risks,
            text: text.into(),
            seen_sha256: Some(handoff_domain::trip::text_sha256("")),
        };
        a.write(|w| w.append(Some(SAM), at(3), at(3), vec![risks("Visa for Ana")])).unwrap();
        b.write(|w| w.append(Some(FAY), at(4), at(4), vec![risks("Passports checked")])).unwrap();
        exchange(&mut a, &mut b, at(5));
        let row = a.read(|c| query::deal_conflicts(c, deal(1))).unwrap().remove(0);
        assert_eq!(row.kind, ConflictKind::SectionOverwritten);
        assert_eq!((row.actor, row.tell), (Some(FAY), Some(SAM)), "Fay's text stands; Sam's was lost, so Sam hears");
    }

    #[test]
    fn a_version_taken_after_another_laptop_kept_what_stood_is_left_out_whole() {
        let (_d1, mut a) = fresh();
        let (_d2, mut b) = fresh();
        let conflict = won_twice(&mut a, &mut b);
        b.write(|w| w.append(Some(FAY), at(19), at(19), vec![settled(conflict, Settlement::Kept)])).unwrap();
        a.write(|w| w.append(Some(SAM), at(20), at(20), vec![to_bo(), settled(conflict, Settlement::TookOther)]))
            .unwrap();
        exchange(&mut a, &mut b, at(22));
        let deal = a.read(|c| query::deal(c, deal(1))).unwrap().unwrap();
        assert_eq!(deal.acting_fulfilment_owner(), Some(FAY), "the reassignment went with its settlement");
        let row = a.read(|c| query::deal_conflicts(c, deal.id)).unwrap().remove(0);
        assert_eq!(row.settled.map(|s| (s.0, s.2)), Some((Some(FAY), Settlement::Kept)));
        let timeline = a.read(|c| query::deal_events(c, deal.id)).unwrap();
        let left_out: Vec<_> = timeline.iter().filter(|(_, skipped)| *skipped).map(|(e, _)| e.body.name()).collect();
        assert_eq!(left_out, ["deal_won", "fulfilment_owner_reassigned", "conflict_settled"]);
    }
}

/// The search index taking deals in batches while every search sees every deal as it is now.
mod searching {
    use handoff_domain::deal::DealStatus;
    use handoff_domain::event::TripPlan;
    use handoff_domain::ids::DealId;
    use handoff_domain::money::Money;

    use super::*;
    use crate::search::SEARCH_BATCH;

    const SAM: PersonId = PersonId(Uuid::from_u128(1));

    fn deal(n: u128) -> DealId {
        DealId(Uuid::from_u128(100 + n))
    }

    fn added(n: u128, title: &str) -> EventBody {
        EventBody::DealAdded {
            deal: deal(n),
            title: title.into(),
            customer: format!("Customer {n}"),
            value: Money::parse("100", "EUR").unwrap(),
            sales_owner: SAM,
            trip: TripPlan::default(),
            external_id: None,
            source: None,
        }
    }

    fn retitled(n: u128, title: &str) -> EventBody {
        EventBody::DealEdited {
            deal: deal(n),
            title: Some(title.into()),
            customer: None,
            value: None,
            reason: "typo".into(),
        }
    }

    fn agency_with_sam() -> (tempfile::TempDir, Store) {
        let (dir, mut store) = fresh();
        let sam = EventBody::PersonAdded { person: SAM, name: "Sam".into(), dept: Department::Sales, email: None };
        store.write(|w| w.append(None, t0(), t0(), vec![agency(), sam])).unwrap();
        (dir, store)
    }

    fn act(store: &mut Store, body: EventBody) {
        store.write(|w| w.append(Some(SAM), t0(), t0(), vec![body])).unwrap();
    }

    fn count(store: &mut Store, sql: &str) -> i64 {
        store.read(|c| c.query_row(sql, [], |r| r.get(0)).map_err(StoreError::from)).unwrap()
    }

    fn waiting(store: &mut Store) -> i64 {
        count(store, "SELECT count(*) FROM search_pending")
    }

    /// The titles a search for `text` finds, in order, and those the deal list's filter finds.
    fn found(store: &mut Store, text: &str) -> Vec<String> {
        let quick: Vec<String> =
            store.read(|c| query::deal_search(c, text, 100)).unwrap().into_iter().map(|d| d.title).collect();
        let listing = query::DealListing {
            status: None,
            text: Some(text),
            owners: &[],
            order: query::DealOrder::Won,
            ascending: false,
        };
        let (page, total) = store.read(|c| query::deal_page(c, &listing, 0, 100)).unwrap();
        let mut listed: Vec<String> = page.into_iter().map(|d| d.title).collect();
        assert_eq!(total, listed.len(), "the list counts what it shows");
        let mut sorted = quick.clone();
        sorted.sort();
        listed.sort();
        assert_eq!(sorted, listed, "the quick search and the list's filter find the same deals");
        quick
    }

    #[test]
    fn an_action_leaves_the_index_alone_and_a_search_still_finds_the_deal_as_it_is_now() {
        let (dir, mut store) = agency_with_sam();
        act(&mut store, added(1, "Kyoto in spring"));
        assert_eq!(waiting(&mut store), 1, "the deal waits for the index");
        let pages: i64 = count(&mut store, "SELECT count(*) FROM deal_search_data");
        act(&mut store, added(2, "Lisbon weekend"));
        let after: i64 = count(&mut store, "SELECT count(*) FROM deal_search_data");
        assert_eq!(after, pages, "an action writes nothing into the index");
        assert_eq!(found(&mut store, "kyo"), ["Kyoto in spring"]);
        assert_eq!(found(&mut store, "lisbon"), ["Lisbon weekend"]);
        // A waiting deal corrected: found by its new words only.
        act(&mut store, retitled(1, "Osaka in spring"));
        assert!(found(&mut store, "kyoto").is_empty());
        assert_eq!(found(&mut store, "osaka"), ["Osaka in spring"]);
        assert_eq!(found(&mut store, "spring"), ["Osaka in spring"]);
        // A read-only connection sees the same, and writes nothing.
        let mut reader = Store::open_read_only(&dir.path().join("h.db")).unwrap();
        assert_eq!(found(&mut reader, "osaka"), ["Osaka in spring"]);
        assert_eq!(
            reader.read(query::read_tables_dump).unwrap(),
            store.read(query::read_tables_dump).unwrap(),
            "a read-only connection reads the same words"
        );
        assert_eq!(waiting(&mut store), 2);
    }

    #[test]
    fn a_page_of_the_list_counts_every_deal_its_filter_holds_not_only_those_shown() {
        let (_dir, mut store) = agency_with_sam();
        for n in 0..5 {
            act(&mut store, added(n, &format!("Lisbon weekend {n}")));
        }
        act(&mut store, added(5, "Kyoto in spring"));
        let mut page = |status: Option<DealStatus>, text: Option<&str>| {
            let listing =
                query::DealListing { status, text, owners: &[], order: query::DealOrder::Won, ascending: false };
            let (rows, total) = store.read(|c| query::deal_page(c, &listing, 0, 2)).unwrap();
            (rows.len(), total)
        };
        assert_eq!(page(None, None), (2, 6), "the whole agency");
        assert_eq!(page(None, Some("lisbon")), (2, 5), "every match, counted from the index");
        assert_eq!(page(Some(DealStatus::Open), Some("lisbon")), (2, 5), "matches of one status");
        assert_eq!(page(Some(DealStatus::Won), Some("lisbon")), (0, 0), "none of them won");
        assert_eq!(page(Some(DealStatus::Open), None), (2, 6));
        assert_eq!(page(None, Some("osaka")), (0, 0));
        assert_eq!(page(None, Some("--")), (0, 0), "nothing searchable: nothing matches");
    }

    #[test]
    fn a_page_is_found_by_walking_the_index_in_order_only_when_the_matches_are_many() {
        assert!(query::walk_in_order(100, 100_000, 2_498), "a common name's first screen");
        assert!(!query::walk_in_order(2_100, 100_000, 2_498), "deep in the same list: sort the matches");
        assert!(!query::walk_in_order(100, 100_000, 3), "a rare word: read its few deals");
        assert!(!query::walk_in_order(100, 100_000, 0));
        assert!(query::walk_in_order(500, 100_000, 100_000), "every deal matches");
    }

    #[test]
    fn every_page_of_a_search_holds_the_deals_in_the_lists_order_however_it_is_read() {
        let (_dir, mut store) = agency_with_sam();
        // 100 deals: 4 for Kyoto (few: sorted), 96 for Lisbon (many: the first pages walk the index).
        for n in 0..100u128 {
            let place = if n % 25 == 7 { "Kyoto" } else { "Lisbon" };
            act(&mut store, added(n, &format!("{place} trip {:03}", (n * 37) % 100)));
        }
        // Within one status (every deal here is open), the matches are always sorted.
        let statuses = [None, Some(DealStatus::Open)];
        for ((word, limit), status) in [("kyoto", 1), ("kyoto", 3), ("lisbon", 7), ("lisbon", 40)]
            .into_iter()
            .flat_map(|w| statuses.map(|s| (w, s)))
        {
            for (order, ascending) in
                [(query::DealOrder::Won, false), (query::DealOrder::Won, true), (query::DealOrder::Title, false)]
            {
                let listing = query::DealListing { status, text: Some(word), owners: &[], order, ascending };
                let mut paged = Vec::new();
                let mut offset = 0;
                loop {
                    let (rows, total) = store.read(|c| query::deal_page(c, &listing, offset, limit)).unwrap();
                    assert_eq!(total, if word == "kyoto" { 4 } else { 96 });
                    if rows.is_empty() {
                        break;
                    }
                    offset += rows.len();
                    paged.extend(rows.into_iter().map(|d| (d.id, d.title)));
                }
                // The list's order, worked out here: none is won, so by when added (all at once),
                // then by id; or by title.
                let mut expected = paged.clone();
                match order {
                    query::DealOrder::Title => expected.sort_by_key(|d| std::cmp::Reverse(d.1.to_lowercase())),
                    _ if ascending => expected.sort_by_key(|d| d.0.to_string()),
                    _ => expected.sort_by_key(|d| std::cmp::Reverse(d.0.to_string())),
                }
                assert_eq!(paged, expected, "{word}, pages of {limit}, {status:?}, {order:?} ascending {ascending}");
                assert_eq!(paged.len(), if word == "kyoto" { 4 } else { 96 }, "every match once");
            }
        }
    }

    #[test]
    fn a_batch_of_waiting_deals_goes_into_the_index_at_once_and_a_rebuild_agrees_at_every_step() {
        let (_dir, mut store) = agency_with_sam();
        act(&mut store, added(0, "Kyoto in spring"));
        // The index takes every waiting deal in the action that makes them a batch.
        for n in 1..SEARCH_BATCH as u128 {
            act(&mut store, added(n, &format!("Trip {n}")));
        }
        assert_eq!(waiting(&mut store), 0, "{SEARCH_BATCH} waiting deals went into the index");
        let indexed = count(&mut store, "SELECT count(*) FROM deal_search_docsize");
        assert_eq!(indexed, SEARCH_BATCH);
        // A deal the index holds, corrected: its older words are not found while it waits, nor
        // once the index takes the new ones.
        act(&mut store, retitled(0, "Osaka in autumn"));
        assert_eq!(waiting(&mut store), 1);
        assert!(found(&mut store, "kyoto").is_empty(), "the index's older words are not read for a waiting deal");
        assert_eq!(found(&mut store, "osaka"), ["Osaka in autumn"]);
        let live = store.read(query::read_tables_dump).unwrap();
        store.rebuild().unwrap();
        assert_eq!(waiting(&mut store), 0, "a rebuild fills the index whole");
        assert_eq!(store.read(query::read_tables_dump).unwrap(), live, "the words a search reads are a rebuild's");
        for n in 1..SEARCH_BATCH as u128 {
            act(&mut store, retitled(n, &format!("Journey {n}")));
        }
        act(&mut store, retitled(0, "Nara in winter"));
        assert_eq!(waiting(&mut store), 0);
        assert!(found(&mut store, "osaka").is_empty() && found(&mut store, "trip").is_empty());
        assert_eq!(found(&mut store, "nara"), ["Nara in winter"]);
        assert_eq!(found(&mut store, "journey").len(), SEARCH_BATCH as usize - 1);
        let live = store.read(query::read_tables_dump).unwrap();
        store.rebuild().unwrap();
        assert_eq!(store.read(query::read_tables_dump).unwrap(), live);
    }
}
