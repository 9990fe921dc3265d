//! The hub's storage in PostgreSQL, for an agency that outgrows one box: the same tables as the
//! SQLite file; each pushed batch goes in by binary `COPY` — straight into the events when it
//! starts past what the hub holds of its laptop (the usual case), else into a staging table and
//! one `INSERT … ON CONFLICT` — and pulls page through each laptop's events by sequence number.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{SecondsFormat, Utc};
use handoff_sync::protocol::{Head, RelayedEvent};
use postgres::{Client, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::storage::{
    crm_device_id, page, Access, Agency, Delivery, Device, Incoming, Storage, StorageError, Token, WebhookSetup,
    CRM_PERSON,
};

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS agencies (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    origin     TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    agency     BIGINT NOT NULL REFERENCES agencies (id),
    person     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
-- Laptop and event ids compare byte for byte (COLLATE "C"): they are ASCII, and the database's
-- own collation would cost a locale-aware comparison at every step of every key's search.
CREATE TABLE IF NOT EXISTS devices (
    agency      BIGINT NOT NULL REFERENCES agencies (id),
    device      TEXT COLLATE "C" NOT NULL,
    public_key  TEXT NOT NULL,
    person      TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    PRIMARY KEY (agency, device)
);
-- A batch's agency and laptop are checked once per batch (its devices row, locked while it is
-- kept), not once per event: a key to agencies here would cost a lookup for every row COPY brings.
CREATE TABLE IF NOT EXISTS events (
    agency BIGINT NOT NULL,
    device TEXT COLLATE "C" NOT NULL,
    seq    BIGINT NOT NULL,
    id     TEXT COLLATE "C" NOT NULL,
    link   TEXT   NOT NULL,
    body   TEXT   NOT NULL,
    PRIMARY KEY (agency, device, seq),
    UNIQUE (agency, id)
);
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_agency_fkey;
CREATE TABLE IF NOT EXISTS webhooks (
    agency     BIGINT NOT NULL REFERENCES agencies (id),
    crm        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    won_stages TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (agency, crm)
);
ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS api_token TEXT;
CREATE TABLE IF NOT EXISTS crm_devices (
    agency BIGINT PRIMARY KEY REFERENCES agencies (id),
    device TEXT COLLATE "C" NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    id          BIGSERIAL PRIMARY KEY,
    agency      BIGINT NOT NULL REFERENCES agencies (id),
    crm         TEXT NOT NULL,
    received_at TEXT NOT NULL,
    key         TEXT,
    outcome     TEXT NOT NULL,
    status      INTEGER NOT NULL,
    detail      TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS deliveries_claimed ON deliveries (agency, key) WHERE outcome = 'accepted';
-- Hubs made before the ids compared byte for byte: their keys are rebuilt once.
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
               AND table_name = 'events' AND column_name = 'device' AND collation_name IS DISTINCT FROM 'C') THEN
        ALTER TABLE devices ALTER COLUMN device TYPE TEXT COLLATE "C";
        ALTER TABLE events ALTER COLUMN device TYPE TEXT COLLATE "C", ALTER COLUMN id TYPE TEXT COLLATE "C";
        ALTER TABLE crm_devices ALTER COLUMN device TYPE TEXT COLLATE "C";
    END IF;
END $$;
"#;

/// The hub's storage in a PostgreSQL database. A connection PostgreSQL dropped (a restart, a
/// failover) is made again, and the call tried once more.
#[derive(Clone)]
pub struct Postgres {
    address: Arc<Address>,
    /// Every write goes through this connection.
    client: Arc<Mutex<Connection>>,
    /// Reads go through this one, so a request is checked and a pull served while a batch is
    /// being kept.
    reader: Arc<Mutex<Connection>>,
}

/// The client, dropped on a thread of its own: `postgres` closes its connection by blocking on
/// a runtime of its own, which must never happen on a thread of the hub's (a shutdown would
/// panic).
struct Connection(Option<Client>);

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            let _ = std::thread::spawn(move || drop(client)).join();
        }
    }
}

impl std::ops::Deref for Connection {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.0.as_ref().expect("a connection until dropped")
    }
}

impl std::ops::DerefMut for Connection {
    fn deref_mut(&mut self) -> &mut Client {
        self.0.as_mut().expect("a connection until dropped")
    }
}

fn failed(e: postgres::Error) -> StorageError {
    if e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) {
        return StorageError::Conflict(
            "an event of this batch is held already as another laptop's: a laptop sends only its own events".into(),
        );
    }
    StorageError::Database(match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    })
}

/// Writes `events` of `device` into `table` (`events`, or a table of its shape) by one binary
/// `COPY`. Returns how many rows went in.
///
/// The rows are laid out here in PostgreSQL's binary `COPY` format and sent a large piece at a
/// time: the `postgres` crate's own row writer waits on its connection once for every row, which
/// cost the hub more than the rest of its work on a batch.
pub fn copy_events<'a>(
    c: &mut impl postgres::GenericClient,
    table: &str,
    agency: i64,
    device: &str,
    events: impl IntoIterator<Item = &'a Incoming>,
) -> Result<u64, postgres::Error> {
    let mut sink = c.copy_in(&format!("COPY {table} (agency, device, seq, id, link, body) FROM STDIN BINARY"))?;
    let mut rows = CopyRows::start();
    for e in events {
        rows.row(agency, device, e);
        if rows.bytes.len() >= COPY_PIECE {
            rows.send(&mut sink)?;
        }
    }
    rows.end();
    rows.send(&mut sink)?;
    sink.finish()
}

/// How many bytes of rows are sent to PostgreSQL at a time.
const COPY_PIECE: usize = 256 << 10;

/// Rows in PostgreSQL's binary `COPY` format (its documentation, "COPY", "Binary Format"): a
/// signature, flags and an empty header extension; then each row as its number of fields and
/// each field as its length and its bytes (an integer in network order, text as its UTF-8); then
/// -1 for the end.
struct CopyRows {
    bytes: Vec<u8>,
}

impl CopyRows {
    fn start() -> CopyRows {
        let mut bytes = Vec::with_capacity(COPY_PIECE + (16 << 10));
        bytes.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        bytes.extend_from_slice(&0i32.to_be_bytes()); // flags: no OIDs
        bytes.extend_from_slice(&0i32.to_be_bytes()); // no header extension
        CopyRows { bytes }
    }

    /// One row of the events table: agency, device, seq, id, link, body.
    fn row(&mut self, agency: i64, device: &str, e: &Incoming) {
        self.bytes.extend_from_slice(&6i16.to_be_bytes());
        self.integer(agency);
        self.text(device);
        self.integer(e.seq as i64);
        self.text(&e.id);
        self.text(&e.link);
        self.text(&e.body);
    }

    fn integer(&mut self, value: i64) {
        self.bytes.extend_from_slice(&8i32.to_be_bytes());
        self.bytes.extend_from_slice(&value.to_be_bytes());
    }

    fn text(&mut self, value: &str) {
        let length = i32::try_from(value.len()).expect("a text PostgreSQL takes is under 1 GB");
        self.bytes.extend_from_slice(&length.to_be_bytes());
        self.bytes.extend_from_slice(value.as_bytes());
    }

    fn end(&mut self) {
        self.bytes.extend_from_slice(&(-1i16).to_be_bytes());
    }

    /// Sends what is laid out so far, and starts again empty.
    fn send(&mut self, sink: &mut postgres::CopyInWriter<'_>) -> Result<(), postgres::Error> {
        use std::io::Write;
        let sent = sink.write_all(&self.bytes).and_then(|()| sink.flush());
        self.bytes.clear();
        sent.map_err(|e| {
            // The writer wraps the connection's error in an io::Error: unwrapped, it says what happened.
            match e.into_inner().map(|inner| inner.downcast::<postgres::Error>()) {
                Some(Ok(db)) => *db,
                _ => unreachable!("a COPY writer fails only with its connection's error"),
            }
        })
    }
}

/// Where the hub's database is, and whether it is reached over TLS.
struct Address {
    config: postgres::Config,
    /// TLS, with PostgreSQL's certificate checked — when the address asks for it.
    tls: Option<MakeRustlsConnect>,
}

impl Address {
    /// Reads a `postgres://USER:PASSWORD@HOST:PORT/DATABASE` address. Its `sslmode=require` (or
    /// libpq's `verify-ca` and `verify-full`) has the hub speak TLS and check PostgreSQL's
    /// certificate and name against the system's certificate authorities, or against those in
    /// the file its `sslrootcert=FILE` names; without `sslmode` (or with `disable`) it speaks
    /// plainly, as to a PostgreSQL on the same machine. libpq's `allow` and `prefer`, which
    /// would take a certificate nobody checked, are refused.
    fn parse(url: &str) -> Result<Address, StorageError> {
        let refused = |why: String| StorageError::Database(format!("the PostgreSQL address {why}"));
        let (base, query) = url.trim().split_once('?').unwrap_or((url.trim(), ""));
        let (mut mode, mut root, mut rest) = (None, None, Vec::new());
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=').unwrap_or((pair, "")) {
                ("sslmode", value) => mode = Some(value),
                ("sslrootcert", value) => {
                    root = Some(percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned())
                }
                _ => rest.push(pair),
            }
        }
        let tls = match (mode, &root) {
            (None | Some("disable"), None) => false,
            (None | Some("require" | "verify-ca" | "verify-full"), _) => true,
            (Some("disable"), Some(_)) => {
                return Err(refused("names a certificate (sslrootcert) but says sslmode=disable: say sslmode=require to check it, or leave the certificate out".into()))
            }
            (Some(other), _) => {
                return Err(refused(format!(
                    "says sslmode={other}: the hub either checks PostgreSQL's certificate (sslmode=require) or speaks plainly to a PostgreSQL on its own machine (no sslmode)"
                )))
            }
        };
        let plain = if rest.is_empty() { base.to_string() } else { format!("{base}?{}", rest.join("&")) };
        let mut config: postgres::Config = plain.parse().map_err(|e| refused(format!("cannot be read: {e}")))?;
        if !tls {
            return Ok(Address { config, tls: None });
        }
        config.ssl_mode(postgres::config::SslMode::Require);
        let mut roots = rustls::RootCertStore::empty();
        match &root {
            Some(file) => {
                use rustls::pki_types::pem::PemObject;
                let certificates = rustls::pki_types::CertificateDer::pem_file_iter(file)
                    .and_then(|found| found.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| {
                        refused(format!("names {file} as its certificate authority, which cannot be read: {e}"))
                    })?;
                if certificates.is_empty() {
                    return Err(refused(format!(
                        "names {file} as its certificate authority, which holds no certificate"
                    )));
                }
                roots.add_parsable_certificates(certificates);
            }
            None => {
                roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls_config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| refused(format!("cannot be reached over TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Address { config, tls: Some(MakeRustlsConnect::new(tls_config)) })
    }

    fn open(&self) -> Result<Client, StorageError> {
        let connected = match &self.tls {
            Some(tls) => self.config.connect(tls.clone()),
            None => self.config.connect(NoTls),
        };
        connected.map_err(|e| {
            let why = match std::error::Error::source(&e) {
                Some(source) => format!("{e}: {source}"),
                None => e.to_string(),
            };
            let advice = if self.tls.is_some() && why.contains("certificate") {
                ": PostgreSQL's certificate is not trusted here — add &sslrootcert=FILE naming the authority that signed it, or install that authority in the system's store"
            } else {
                ""
            };
            StorageError::Database(format!("cannot reach PostgreSQL at the given address: {why}{advice}"))
        })
    }
}

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Postgres {
    /// Connects to `url` (`postgres://USER@HOST:PORT/DATABASE`, `?sslmode=require` for TLS: see
    /// `Address::parse`) and makes the tables if need be.
    pub fn connect(url: &str) -> Result<Postgres, StorageError> {
        let address = Address::parse(url)?;
        let mut client = address.open()?;
        client.batch_execute(SCHEMA).map_err(failed)?;
        let reader = address.open()?;
        Ok(Postgres {
            address: Arc::new(address),
            client: Arc::new(Mutex::new(Connection(Some(client)))),
            reader: Arc::new(Mutex::new(Connection(Some(reader)))),
        })
    }

    /// Runs `f` on the writing connection (see [`Postgres::on`]).
    fn with<T>(&self, f: impl FnMut(&mut Client) -> Result<T, postgres::Error>) -> Result<T, StorageError> {
        self.on(&self.client, f)
    }

    /// Runs `f`, which only reads, on the reading connection (see [`Postgres::on`]).
    fn read<T>(&self, f: impl FnMut(&mut Client) -> Result<T, postgres::Error>) -> Result<T, StorageError> {
        self.on(&self.reader, f)
    }

    /// Runs `f` on `connection`; when it fails because PostgreSQL dropped the connection, once
    /// more on a new one.
    fn on<T>(
        &self,
        connection: &Mutex<Connection>,
        mut f: impl FnMut(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, StorageError> {
        let mut client = connection.lock().unwrap_or_else(|p| p.into_inner());
        match f(&mut client) {
            Err(e) if client.is_closed() => {
                drop(e);
                *client = Connection(Some(self.address.open()?));
                f(&mut client).map_err(failed)
            }
            other => other.map_err(failed),
        }
    }
}

/// Adds a line to the webhook log.
fn insert_delivery(c: &mut impl postgres::GenericClient, agency: i64, entry: &Delivery) -> Result<(), postgres::Error> {
    c.execute(
        "INSERT INTO deliveries (agency, crm, received_at, key, outcome, status, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&agency, &entry.crm, &entry.received_at, &entry.key, &entry.outcome, &(entry.status as i32), &entry.detail],
    )
    .map(drop)
}

fn agency_named(c: &mut Client, name: &str) -> Result<Option<Agency>, postgres::Error> {
    Ok(c.query_opt("SELECT id, name, origin FROM agencies WHERE name = $1", &[&name])?.map(|r| Agency {
        id: r.get(0),
        name: r.get(1),
        origin: r.get(2),
    }))
}

const TOKEN_SELECT: &str =
    "SELECT t.id, a.name, t.person, t.created_at, t.revoked_at FROM tokens t JOIN agencies a ON a.id = t.agency";

fn token_row(r: &postgres::Row) -> Token {
    Token { id: r.get(0), agency: r.get(1), person: r.get(2), created_at: r.get(3), revoked_at: r.get(4) }
}

impl Storage for Postgres {
    fn create_agency(&self, name: &str) -> Result<Agency, StorageError> {
        let made = self.with(|c| {
            if agency_named(c, name)?.is_some() {
                return Ok(None);
            }
            c.execute("INSERT INTO agencies (name, created_at) VALUES ($1, $2)", &[&name, &now_text()])?;
            agency_named(c, name)
        })?;
        made.ok_or_else(|| StorageError::AgencyExists(name.to_string()))
    }

    fn agencies(&self) -> Result<Vec<Agency>, StorageError> {
        self.with(|c| {
            Ok(c.query("SELECT id, name, origin FROM agencies ORDER BY name", &[])?
                .iter()
                .map(|r| Agency { id: r.get(0), name: r.get(1), origin: r.get(2) })
                .collect())
        })
    }

    fn create_token(&self, agency: &str, person: &str, hash: &str) -> Result<Token, StorageError> {
        let a = self.with(|c| agency_named(c, agency))?.ok_or_else(|| StorageError::NoAgency(agency.to_string()))?;
        let id = hash[..12].to_string();
        self.with(|c| {
            c.execute(
                "INSERT INTO tokens (id, hash, agency, person, created_at) VALUES ($1, $2, $3, $4, $5)",
                &[&id, &hash, &a.id, &person, &now_text()],
            )?;
            Ok(token_row(&c.query_one(&format!("{TOKEN_SELECT} WHERE t.id = $1"), &[&id])?))
        })
    }

    fn tokens(&self, agency: Option<&str>) -> Result<Vec<Token>, StorageError> {
        if let Some(name) = agency {
            self.with(|c| agency_named(c, name))?.ok_or_else(|| StorageError::NoAgency(name.to_string()))?;
        }
        self.with(|c| {
            Ok(c.query(
                &format!("{TOKEN_SELECT} WHERE $1::TEXT IS NULL OR a.name = $1 ORDER BY a.name, t.created_at, t.id"),
                &[&agency],
            )?
            .iter()
            .map(token_row)
            .collect())
        })
    }

    fn revoke_token(&self, id: &str) -> Result<Token, StorageError> {
        let id = id.trim();
        let found = self.with(|c| {
            let changed = c.execute(
                "UPDATE tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1",
                &[&id, &now_text()],
            )?;
            if changed == 0 {
                return Ok(None);
            }
            Ok(Some(token_row(&c.query_one(&format!("{TOKEN_SELECT} WHERE t.id = $1"), &[&id])?)))
        })?;
        found.ok_or_else(|| StorageError::NoToken(id.to_string()))
    }

    fn access(&self, hash: &str) -> Result<Option<Access>, StorageError> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT t.id, t.person, a.id, a.name, a.origin FROM tokens t JOIN agencies a ON a.id = t.agency
                 WHERE t.hash = $1 AND t.revoked_at IS NULL",
                &[&hash],
            )?
            .map(|r| Access {
                token: r.get(0),
                person: r.get(1),
                agency: Agency { id: r.get(2), name: r.get(3), origin: r.get(4) },
            }))
        })
    }

    fn enrol(&self, access: &Access, device: &str, public_key: &str) -> Result<(), StorageError> {
        let held: Option<String> = self.with(|c| {
            Ok(c.query_opt(
                "SELECT person FROM devices WHERE agency = $1 AND device = $2",
                &[&access.agency.id, &device],
            )?
            .map(|r| r.get(0)))
        })?;
        match held {
            // The hub's own CRM laptop has no key, and no laptop may take its place.
            Some(person) if person == CRM_PERSON => Err(StorageError::Conflict(format!(
                "laptop {device} is the hub's own, for CRM webhooks: a laptop cannot join as it"
            ))),
            Some(person) if person != access.person => Err(StorageError::enrolled_for(device, &person)),
            Some(_) => self.with(|c| {
                c.execute(
                    "UPDATE devices SET public_key = $3, enrolled_at = $4 WHERE agency = $1 AND device = $2",
                    &[&access.agency.id, &device, &public_key, &now_text()],
                )
                .map(drop)
            }),
            None => self.with(|c| {
                c.execute(
                    "INSERT INTO devices (agency, device, public_key, person, enrolled_at) VALUES ($1, $2, $3, $4, $5)",
                    &[&access.agency.id, &device, &public_key, &access.person, &now_text()],
                )
                .map(drop)
            }),
        }
    }

    fn device(&self, agency: i64, device: &str) -> Result<Option<Device>, StorageError> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT public_key, person FROM devices WHERE agency = $1 AND device = $2",
                &[&agency, &device],
            )?
            .map(|r| Device { public_key: r.get(0), person: r.get(1) }))
        })
    }

    fn heads(&self, agency: i64) -> Result<BTreeMap<String, Head>, StorageError> {
        self.read(|c| {
            Ok(c.query(
                // Each laptop's last event, found through the key: never a scan of the events.
                "SELECT d.device, e.seq, e.link FROM devices d
                 CROSS JOIN LATERAL (SELECT seq, link FROM events
                                     WHERE agency = d.agency AND device = d.device ORDER BY seq DESC LIMIT 1) e
                 WHERE d.agency = $1",
                &[&agency],
            )?
            .iter()
            .map(|r| (r.get::<_, String>(0), Head { seq: r.get::<_, i64>(1) as u64, chain: r.get(2) }))
            .collect())
        })
    }

    fn head(&self, agency: i64, device: &str) -> Result<u64, StorageError> {
        self.read(|c| {
            let n: Option<i64> = c
                .query_one("SELECT max(seq) FROM events WHERE agency = $1 AND device = $2", &[&agency, &device])?
                .get(0);
            Ok(n.unwrap_or(0) as u64)
        })
    }

    fn link(&self, agency: i64, device: &str, seq: u64) -> Result<Option<String>, StorageError> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT link FROM events WHERE agency = $1 AND device = $2 AND seq = $3",
                &[&agency, &device, &(seq as i64)],
            )?
            .map(|r| r.get(0)))
        })
    }

    fn event_at(&self, agency: i64, device: &str, seq: u64) -> Result<Option<(String, String)>, StorageError> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT id, body FROM events WHERE agency = $1 AND device = $2 AND seq = $3",
                &[&agency, &device, &(seq as i64)],
            )?
            .map(|r| (r.get(0), r.get(1))))
        })
    }

    fn append(
        &self,
        agency: i64,
        device: &str,
        events: &[Incoming],
        origin: Option<&str>,
    ) -> Result<u64, StorageError> {
        // The origin, then the batch, in one transaction (tried again whole on a new connection).
        let outcome = self.with(|c| {
            let mut tx = c.transaction()?;
            if let Some(origin) = origin {
                let held: Option<String> =
                    tx.query_one("SELECT origin FROM agencies WHERE id = $1 FOR UPDATE", &[&agency])?.get(0);
                match held {
                    Some(h) if h != origin => return Ok(Err(StorageError::other_agency())),
                    Some(_) => {}
                    None => {
                        tx.execute("UPDATE agencies SET origin = $2 WHERE id = $1", &[&agency, &origin])?;
                    }
                }
            }
            // The laptop's row is locked, so no other hub process appends to it meanwhile.
            let enrolled =
                tx.execute("SELECT 1 FROM devices WHERE agency = $1 AND device = $2 FOR UPDATE", &[&agency, &device])?;
            if enrolled == 0 {
                return Ok(Err(StorageError::not_enrolled(device)));
            }
            let held: Option<i64> =
                tx.query_one("SELECT max(seq) FROM events WHERE agency = $1 AND device = $2", &[&agency, &device])?.get(0);
            let held = held.unwrap_or(0) as u64;
            let past_held = events.first().is_none_or(|e| e.seq > held);
            if !past_held {
                tx.batch_execute(
                    "CREATE TEMP TABLE IF NOT EXISTS staging (agency BIGINT, device TEXT COLLATE \"C\", seq BIGINT, id TEXT COLLATE \"C\", link TEXT, body TEXT)
                       ON COMMIT DELETE ROWS",
                )?;
            }
            copy_events(&mut tx, if past_held { "events" } else { "staging" }, agency, device, events)?;
            if !past_held {
                tx.execute(
                    "INSERT INTO events (agency, device, seq, id, link, body)
                     SELECT agency, device, seq, id, link, body FROM staging ORDER BY seq
                     ON CONFLICT (agency, device, seq) DO NOTHING",
                    &[],
                )?;
            }
            let head = events.last().map_or(held, |e| e.seq.max(held));
            tx.commit()?;
            Ok(Ok(head))
        })?;
        outcome
    }

    fn pull(
        &self,
        agency: i64,
        cursors: &BTreeMap<String, u64>,
        limit: usize,
    ) -> Result<(Vec<RelayedEvent>, bool), StorageError> {
        let devices: Vec<String> = self.read(|c| {
            Ok(c.query("SELECT device FROM devices WHERE agency = $1 ORDER BY device", &[&agency])?
                .iter()
                .map(|r| r.get(0))
                .collect())
        })?;
        page(devices, cursors, limit, |device, after, room| {
            self.read(|c| {
                Ok(c.query(
                    "SELECT seq, body FROM events WHERE agency = $1 AND device = $2 AND seq > $3 ORDER BY seq LIMIT $4",
                    &[&agency, &device, &(after as i64), &(room as i64)],
                )?
                .iter()
                .map(|r| (r.get::<_, i64>(0) as u64, r.get(1)))
                .collect())
            })
        })
    }

    fn agency(&self, name: &str) -> Result<Agency, StorageError> {
        self.read(|c| agency_named(c, name))?.ok_or_else(|| StorageError::NoAgency(name.to_string()))
    }

    fn set_webhook(&self, agency: &str, crm: &str, setup: &WebhookSetup) -> Result<(), StorageError> {
        let a = self.with(|c| agency_named(c, agency))?.ok_or_else(|| StorageError::NoAgency(agency.to_string()))?;
        let stages = serde_json::to_string(&setup.won_stages).expect("strings serialise");
        self.with(|c| {
            c.execute(
                "INSERT INTO webhooks (agency, crm, secret, won_stages, created_at, api_token)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (agency, crm) DO UPDATE SET secret = excluded.secret, won_stages = excluded.won_stages,
                    created_at = excluded.created_at, api_token = excluded.api_token",
                &[&a.id, &crm, &setup.secret, &stages, &now_text(), &setup.api_token],
            )
            .map(drop)
        })
    }

    fn webhook(&self, agency: i64, crm: &str) -> Result<Option<WebhookSetup>, StorageError> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT secret, won_stages, api_token FROM webhooks WHERE agency = $1 AND crm = $2",
                &[&agency, &crm],
            )?
            .map(|r| WebhookSetup {
                secret: r.get(0),
                won_stages: serde_json::from_str(r.get::<_, &str>(1)).unwrap_or_default(),
                api_token: r.get(2),
            }))
        })
    }

    fn crm_device(&self, agency: i64) -> Result<String, StorageError> {
        self.with(|c| {
            let mut tx = c.transaction()?;
            tx.execute("LOCK TABLE crm_devices IN EXCLUSIVE MODE", &[])?;
            let held: Option<String> =
                tx.query_opt("SELECT device FROM crm_devices WHERE agency = $1", &[&agency])?.map(|r| r.get(0));
            let device = match held {
                Some(d) => d,
                None => {
                    let device = crm_device_id();
                    tx.execute("INSERT INTO crm_devices (agency, device) VALUES ($1, $2)", &[&agency, &device])?;
                    tx.execute(
                        "INSERT INTO devices (agency, device, public_key, person, enrolled_at) VALUES ($1, $2, '', $3, $4)",
                        &[&agency, &device, &CRM_PERSON, &now_text()],
                    )?;
                    device
                }
            };
            tx.commit()?;
            Ok(device)
        })
    }

    fn delivered(&self, agency: i64, key: &str) -> Result<bool, StorageError> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT 1 FROM deliveries WHERE agency = $1 AND key = $2 AND outcome = 'accepted'",
                &[&agency, &key],
            )?
            .is_some())
        })
    }

    fn log_delivery(&self, agency: i64, entry: &Delivery) -> Result<(), StorageError> {
        self.with(|c| insert_delivery(c, agency, entry))
    }

    fn record_crm(
        &self,
        agency: i64,
        device: &str,
        events: &[Incoming],
        entry: &Delivery,
    ) -> Result<bool, StorageError> {
        self.with(|c| {
            let mut tx = c.transaction()?;
            // One CRM delivery of an agency at a time, across every hub process on this database.
            tx.query_opt("SELECT device FROM crm_devices WHERE agency = $1 FOR UPDATE", &[&agency])?;
            let head: i64 = tx
                .query_one(
                    "SELECT coalesce(max(seq), 0) FROM events WHERE agency = $1 AND device = $2",
                    &[&agency, &device],
                )?
                .get(0);
            if events.first().is_some_and(|e| e.seq as i64 != head + 1) {
                return Ok(false);
            }
            let claimed = tx
                .query_opt(
                    "SELECT 1 FROM deliveries WHERE agency = $1 AND key = $2 AND outcome = 'accepted'",
                    &[&agency, &entry.key],
                )?
                .is_some();
            if claimed {
                return Ok(false);
            }
            for e in events {
                tx.execute(
                    "INSERT INTO events (agency, device, seq, id, link, body) VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&agency, &device, &(e.seq as i64), &e.id, &e.link, &&*e.body],
                )?;
            }
            insert_delivery(&mut tx, agency, entry)?;
            tx.commit()?;
            Ok(true)
        })
    }

    fn deliveries(&self, agency: Option<&str>, limit: usize) -> Result<Vec<Delivery>, StorageError> {
        self.read(|c| {
            Ok(c.query(
                "SELECT a.name, d.crm, d.received_at, d.key, d.outcome, d.status, d.detail
                   FROM deliveries AS d JOIN agencies AS a ON a.id = d.agency
                  WHERE $1::TEXT IS NULL OR a.name = $1 ORDER BY d.id DESC LIMIT $2",
                &[&agency, &(limit as i64)],
            )?
            .iter()
            .map(|r| Delivery {
                agency: r.get(0),
                crm: r.get(1),
                received_at: r.get(2),
                key: r.get(3),
                outcome: r.get(4),
                status: r.get::<_, i32>(5) as u16,
                detail: r.get(6),
            })
            .collect())
        })
    }
}
