//! A hub's database made by an earlier Handoff is brought up to date when the hub opens it, and
//! keeps everything it held: the webhooks gain a place for the CRM's API token; on SQLite each
//! laptop gets a number its events are kept by; on PostgreSQL the laptop and event ids come to
//! compare byte for byte.

use std::collections::BTreeMap;

use handoff_hub::postgres::Postgres;
use handoff_hub::storage::{Incoming, Sqlite, Storage};

mod support;
use support::*;

/// The tables as the hub made them before this version (the parts that changed).
const EARLIER: &str = "
CREATE TABLE agencies (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, origin TEXT, created_at TEXT NOT NULL);
CREATE TABLE devices (
    agency BIGINT NOT NULL REFERENCES agencies (id), device TEXT NOT NULL, public_key TEXT NOT NULL,
    person TEXT NOT NULL, enrolled_at TEXT NOT NULL, PRIMARY KEY (agency, device));
CREATE TABLE events (
    agency BIGINT NOT NULL, device TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL, link TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (agency, device, seq), UNIQUE (agency, id));
CREATE TABLE webhooks (
    agency BIGINT NOT NULL REFERENCES agencies (id), crm TEXT NOT NULL, secret TEXT NOT NULL,
    won_stages TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (agency, crm));
CREATE TABLE crm_devices (agency BIGINT PRIMARY KEY REFERENCES agencies (id), device TEXT NOT NULL);
INSERT INTO agencies (name, created_at) VALUES ('Wayfarer Travel', '2026-11-01T00:00:00Z');
INSERT INTO devices VALUES (1, 'laptop-b', 'key-b', 'Fay Okafor', '2026-11-02T00:00:00Z');
INSERT INTO devices VALUES (1, 'laptop-a', 'key', 'Sam Reyes', '2026-11-01T00:00:00Z');
INSERT INTO events VALUES (1, 'laptop-a', 1, 'event-1', 'link-1', '{\"kind\":\"agency_created\"}');
INSERT INTO events VALUES (1, 'laptop-b', 1, 'event-b1', 'link-b1', '{\"kind\":\"b1\"}');
INSERT INTO events VALUES (1, 'laptop-a', 2, 'event-2', 'link-2', '{\"kind\":\"a2\"}');
INSERT INTO events VALUES (1, 'laptop-b', 2, 'event-b2', 'link-b2', '{\"kind\":\"b2\"}');
INSERT INTO webhooks VALUES (1, 'generic', 'sealed-v1:abc', '[]', '2026-11-01T00:00:00Z');
";

/// A hub's SQLite file as the hub made it before its events were keyed by laptop (its tables word
/// for word, the webhooks before they had a place for the API token), holding the same rows.
const EARLIER_SQLITE_TABLES: &str = "
CREATE TABLE IF NOT EXISTS agencies (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    origin     TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS tokens (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    agency     INTEGER NOT NULL REFERENCES agencies (id),
    person     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS devices (
    agency      INTEGER NOT NULL REFERENCES agencies (id),
    device      TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    person      TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    PRIMARY KEY (agency, device)
) STRICT;
CREATE TABLE IF NOT EXISTS events (
    agency INTEGER NOT NULL REFERENCES agencies (id),
    device TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    id     TEXT    NOT NULL,
    link   TEXT    NOT NULL,
    body   TEXT    NOT NULL,
    PRIMARY KEY (agency, device, seq),
    UNIQUE (agency, id)
) STRICT;
CREATE TABLE IF NOT EXISTS webhooks (
    agency     INTEGER NOT NULL REFERENCES agencies (id),
    crm        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    won_stages TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (agency, crm)
) STRICT;
CREATE TABLE IF NOT EXISTS crm_devices (
    agency INTEGER PRIMARY KEY REFERENCES agencies (id),
    device TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS deliveries (
    id          INTEGER PRIMARY KEY,
    agency      INTEGER NOT NULL REFERENCES agencies (id),
    crm         TEXT NOT NULL,
    received_at TEXT NOT NULL,
    key         TEXT,
    outcome     TEXT NOT NULL,
    status      INTEGER NOT NULL,
    detail      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS deliveries_claimed ON deliveries (agency, key) WHERE outcome = 'accepted';
";

/// The rows of [`EARLIER`], for the SQLite file.
fn earlier_rows() -> &'static str {
    &EARLIER[EARLIER.find("INSERT INTO agencies").expect("the rows follow the tables")..]
}

fn still_holds(storage: &dyn Storage) {
    let agency = storage.agency("Wayfarer Travel").unwrap();
    let (events, _) = storage.pull(agency.id, &BTreeMap::new(), 10).unwrap();
    let pulled: Vec<(&str, u64, &str)> = events.iter().map(|e| (e.device.as_str(), e.seq, e.event.get())).collect();
    assert_eq!(
        pulled,
        [
            ("laptop-a", 1, r#"{"kind":"agency_created"}"#),
            ("laptop-a", 2, r#"{"kind":"a2"}"#),
            ("laptop-b", 1, r#"{"kind":"b1"}"#),
            ("laptop-b", 2, r#"{"kind":"b2"}"#)
        ]
    );
    let webhook = storage.webhook(agency.id, "generic").unwrap().unwrap();
    assert_eq!((webhook.secret.as_str(), webhook.api_token), ("sealed-v1:abc", None));
    assert_eq!((storage.head(agency.id, "laptop-a").unwrap(), storage.head(agency.id, "laptop-b").unwrap()), (2, 2));
    let heads = storage.heads(agency.id).unwrap();
    assert_eq!((heads["laptop-a"].chain.as_str(), heads["laptop-b"].chain.as_str()), ("link-2", "link-b2"));
    assert_eq!(storage.link(agency.id, "laptop-b", 1).unwrap().as_deref(), Some("link-b1"));
    assert_eq!(
        storage.event_at(agency.id, "laptop-a", 2).unwrap(),
        Some(("event-2".into(), r#"{"kind":"a2"}"#.into()))
    );
    let device = storage.device(agency.id, "laptop-b").unwrap().unwrap();
    assert_eq!((device.public_key.as_str(), device.person.as_str()), ("key-b", "Fay Okafor"));
}

/// A laptop's next batch is kept after what it held; another laptop's event id is still refused.
fn goes_on(storage: &dyn Storage) {
    let agency = storage.agency("Wayfarer Travel").unwrap();
    let next = |seq: u64, id: &str| Incoming {
        seq,
        id: id.into(),
        body: r#"{"kind":"next"}"#.into(),
        link: format!("link-{id}"),
    };
    assert_eq!(storage.append(agency.id, "laptop-b", &[next(3, "event-b3")], None).unwrap(), 3);
    let err = storage.append(agency.id, "laptop-b", &[next(4, "event-2")], None).unwrap_err();
    assert!(err.to_string().contains("held already as another laptop's"), "{err}");
    assert_eq!(storage.head(agency.id, "laptop-b").unwrap(), 3);
}

#[test]
fn an_earlier_hubs_sqlite_file_is_brought_up_to_date_and_keeps_what_it_held() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.db");
    let earlier = rusqlite::Connection::open(&file).unwrap();
    earlier.execute_batch(EARLIER_SQLITE_TABLES).unwrap();
    earlier.execute_batch(earlier_rows()).unwrap();
    drop(earlier);
    let storage = Sqlite::open(&file).unwrap();
    still_holds(&storage);
    // Opened again, it is left as it is.
    drop(storage);
    let storage = Sqlite::open(&file).unwrap();
    still_holds(&storage);
    goes_on(&storage);
    // It keeps the page size it was made with (SQLite's 4 KB then) and works with it.
    drop(storage);
    assert_eq!(page_size(&file), 4096);
}

fn page_size(file: &std::path::Path) -> i64 {
    rusqlite::Connection::open(file).unwrap().query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_hub_made_now_is_made_with_16_kb_pages() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.db");
    let storage = Sqlite::open(&file).unwrap();
    storage.create_agency("Wayfarer Travel").unwrap();
    drop(storage);
    assert_eq!(page_size(&file), 16 << 10);
    // Opened again, it stays so.
    drop(Sqlite::open(&file).unwrap());
    assert_eq!(page_size(&file), 16 << 10);
}

#[test]
fn an_earlier_hubs_sqlite_file_holding_events_of_a_laptop_it_never_enrolled_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.db");
    let earlier = rusqlite::Connection::open(&file).unwrap();
    earlier.execute_batch(EARLIER_SQLITE_TABLES).unwrap();
    earlier.execute_batch(earlier_rows()).unwrap();
    earlier.execute_batch("INSERT INTO events VALUES (1, 'laptop-x', 1, 'event-x', 'link-x', '{}')").unwrap();
    let count =
        |c: &rusqlite::Connection| -> i64 { c.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap() };
    assert_eq!(count(&earlier), 5);
    drop(earlier);
    let err = Sqlite::open(&file).err().expect("the hub refuses to bring it up to date");
    assert!(
        err.to_string().contains("holds events of laptops it has no record of (1 of them): it was left as it was"),
        "{err}"
    );
    let after = rusqlite::Connection::open(&file).unwrap();
    assert_eq!(count(&after), 5, "every event is where it was");
    let columns: Vec<String> = after
        .prepare("SELECT name FROM pragma_table_info('events')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(columns.contains(&"device".to_string()), "the earlier table stands: {columns:?}");
}

#[test]
fn an_earlier_hubs_postgresql_database_is_brought_up_to_date_and_keeps_what_it_held() {
    let Some(url) = postgres_database() else { return };
    let mut earlier = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    earlier.batch_execute(EARLIER).unwrap();
    let storage = Postgres::connect(&url).unwrap();
    still_holds(&storage);
    goes_on(&storage);
    let collations: Vec<(String, String, Option<String>)> = earlier
        .query(
            "SELECT table_name::text, column_name::text, collation_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND column_name IN ('device', 'id')
               AND table_name IN ('devices', 'events', 'crm_devices') ORDER BY 1, 2",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(collations.len(), 4, "{collations:?}");
    assert!(collations.iter().all(|(_, _, c)| c.as_deref() == Some("C")), "{collations:?}");
    drop(storage);
    let storage = Postgres::connect(&url).unwrap();
    let agency = storage.agency("Wayfarer Travel").unwrap();
    assert_eq!(storage.head(agency.id, "laptop-b").unwrap(), 3, "what went on is kept");
}
