//! A hub's database made by an earlier Handoff is brought up to date when the hub opens it, and
//! keeps everything it held: the webhooks gain a place for the CRM's API token, and on PostgreSQL
//! the laptop and event ids come to compare byte for byte.

use std::collections::BTreeMap;

use handoff_hub::postgres::Postgres;
use handoff_hub::storage::{Sqlite, Storage};

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
INSERT INTO devices VALUES (1, 'laptop-a', 'key', 'Sam Reyes', '2026-11-01T00:00:00Z');
INSERT INTO events VALUES (1, 'laptop-a', 1, 'event-1', 'link-1', '{\"kind\":\"agency_created\"}');
INSERT INTO webhooks VALUES (1, 'generic', 'sealed-v1:abc', '[]', '2026-11-01T00:00:00Z');
";

fn still_holds(storage: &dyn Storage) {
    let agency = storage.agency("Wayfarer Travel").unwrap();
    let (events, _) = storage.pull(agency.id, &BTreeMap::new(), 10).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].device.as_str(), events[0].seq), ("laptop-a", 1));
    let webhook = storage.webhook(agency.id, "generic").unwrap().unwrap();
    assert_eq!((webhook.secret.as_str(), webhook.api_token), ("sealed-v1:abc", None));
    assert_eq!(storage.head(agency.id, "laptop-a").unwrap(), 1);
}

#[test]
fn an_earlier_hubs_sqlite_file_is_brought_up_to_date_and_keeps_what_it_held() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.db");
    let earlier = rusqlite::Connection::open(&file).unwrap();
    earlier.execute_batch(&EARLIER.replace("BIGSERIAL", "INTEGER")).unwrap();
    drop(earlier);
    let storage = Sqlite::open(&file).unwrap();
    still_holds(&storage);
    // Opened again, it is left as it is.
    drop(storage);
    still_holds(&Sqlite::open(&file).unwrap());
}

#[test]
fn an_earlier_hubs_postgresql_database_is_brought_up_to_date_and_keeps_what_it_held() {
    let Some(url) = postgres_database() else { return };
    let mut earlier = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    earlier.batch_execute(EARLIER).unwrap();
    let storage = Postgres::connect(&url).unwrap();
    still_holds(&storage);
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
    still_holds(&Postgres::connect(&url).unwrap());
}
