//! Where a hub keeps its agencies, enrolment tokens, laptops and their events. One trait,
//! [`Storage`]; SQLite ([`Sqlite`], one file) by default. Events are kept per laptop by
//! sequence number, each with the chain link that covers it, exactly as the laptop sent them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{SecondsFormat, Utc};
use handoff_sync::protocol::{Head, RelayedEvent};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

/// What can go wrong in the hub's storage.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("no agency named \"{0}\" on this hub: create it with `handoff-hub agency create`")]
    NoAgency(String),
    #[error("an agency named \"{0}\" exists on this hub already")]
    AgencyExists(String),
    #[error("no token {0} on this hub")]
    NoToken(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the hub's database failed: {0}")]
    Database(String),
}

impl StorageError {
    /// A batch that begins another agency than the one the hub carries.
    pub(crate) fn other_agency() -> StorageError {
        StorageError::Conflict(
            "this laptop's log begins another agency than the one this hub carries: join with a new, empty database"
                .into(),
        )
    }

    /// A batch from a laptop that has not joined the agency.
    pub(crate) fn not_enrolled(device: &str) -> StorageError {
        StorageError::Conflict(format!("laptop {device} has not joined this agency on the hub: join first"))
    }

    /// A laptop id enrolled already for someone else.
    pub(crate) fn enrolled_for(device: &str, person: &str) -> StorageError {
        StorageError::Conflict(format!(
            "laptop {device} is enrolled already for {person}: a database copied from another laptop cannot join as that laptop"
        ))
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        StorageError::Database(e.to_string())
    }
}

/// An agency on the hub.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Agency {
    pub id: i64,
    pub name: String,
    /// The id of the agency's first event, once a laptop sent it.
    pub origin: Option<String>,
}

/// An enrolment token, as the hub keeps it: never the token itself, only its hash.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Token {
    /// A short public name for the token, for listing and revoking.
    pub id: String,
    pub agency: String,
    pub person: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// What a good token opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    pub token: String,
    pub agency: Agency,
    pub person: String,
}

/// A laptop enrolled in an agency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub public_key: String,
    pub person: String,
}

/// The hash a token is kept as (SHA-256, hex): tokens carry 256 random bits, so no slow hash is
/// needed to keep them from being guessed back.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One page of a pull, the same on every storage: each laptop's events after its cursor, laptop
/// by laptop, by number, at most `limit` in all; and whether more wait. `fetch(device, after,
/// n)` gives up to `n` of that laptop's events after `after`, as (number, body).
pub(crate) fn page(
    devices: Vec<String>,
    cursors: &BTreeMap<String, u64>,
    limit: usize,
    mut fetch: impl FnMut(&str, u64, usize) -> Result<Vec<(u64, String)>, StorageError>,
) -> Result<(Vec<RelayedEvent>, bool), StorageError> {
    let mut out = Vec::new();
    for device in devices {
        let after = cursors.get(&device).copied().unwrap_or(0);
        // One more than there is room for says whether more wait.
        for (seq, body) in fetch(&device, after, limit - out.len() + 1)? {
            if out.len() == limit {
                return Ok((out, true));
            }
            let event = RawValue::from_string(body).map_err(|e| StorageError::Database(e.to_string()))?;
            out.push(RelayedEvent { device: device.clone(), seq, event });
        }
    }
    Ok((out, false))
}

/// A hub's storage.
pub trait Storage: Send + Sync + 'static {
    fn create_agency(&self, name: &str) -> Result<Agency, StorageError>;
    fn agencies(&self) -> Result<Vec<Agency>, StorageError>;
    /// Keeps a new token's hash for `person` of `agency`; returns its public id.
    fn create_token(&self, agency: &str, person: &str, hash: &str) -> Result<Token, StorageError>;
    fn tokens(&self, agency: Option<&str>) -> Result<Vec<Token>, StorageError>;
    fn revoke_token(&self, id: &str) -> Result<Token, StorageError>;
    /// What the token with this hash opens, if it is known and not revoked.
    fn access(&self, hash: &str) -> Result<Option<Access>, StorageError>;
    /// Enrols `device` in the access's agency with `public_key`. A laptop enrolled already keeps
    /// its place for the same person (a new key after it left and joined again); anyone else's
    /// laptop id is refused.
    fn enrol(&self, access: &Access, device: &str, public_key: &str) -> Result<(), StorageError>;
    fn device(&self, agency: i64, device: &str) -> Result<Option<Device>, StorageError>;
    /// How far the hub holds each laptop of the agency.
    fn heads(&self, agency: i64) -> Result<BTreeMap<String, Head>, StorageError>;
    /// The highest number the hub holds of `device` (0 for none).
    fn head(&self, agency: i64, device: &str) -> Result<u64, StorageError>;
    /// The chain link after `device`'s event `seq` (`seq` ≥ 1; the chain starts at
    /// [`handoff_sync::protocol::CHAIN_START`]).
    fn link(&self, agency: i64, device: &str, seq: u64) -> Result<Option<String>, StorageError>;
    /// The event `device` numbered `seq`, as kept.
    fn event_at(&self, agency: i64, device: &str, seq: u64) -> Result<Option<(String, String)>, StorageError>;
    /// Appends a checked batch: each event with its chain link, in one transaction. When the
    /// batch carries the agency's first event, it becomes the agency's origin (once).
    fn append(&self, agency: i64, device: &str, events: &[Incoming], origin: Option<&str>)
        -> Result<u64, StorageError>;
    /// At most `limit` events beyond `cursors`, by laptop then number; and whether more wait.
    fn pull(
        &self,
        agency: i64,
        cursors: &BTreeMap<String, u64>,
        limit: usize,
    ) -> Result<(Vec<RelayedEvent>, bool), StorageError>;

    // ---- CRM webhooks ----

    /// The agency of this name.
    fn agency(&self, name: &str) -> Result<Agency, StorageError>;
    /// Sets up (or replaces) the agency's webhook from `crm`: what checks its deliveries (a
    /// HubSpot client secret, a hash of Pipedrive's basic-auth credentials, Handoff's own
    /// webhook secret), for HubSpot the deal stages that mean won and the access token its API is
    /// asked with (sealed).
    fn set_webhook(&self, agency: &str, crm: &str, setup: &WebhookSetup) -> Result<(), StorageError>;
    /// The agency's webhook from `crm`, if set up.
    fn webhook(&self, agency: i64, crm: &str) -> Result<Option<WebhookSetup>, StorageError>;
    /// The laptop id the hub records a CRM's deliveries under for the agency, made on first need
    /// (a laptop with no key: nothing can be pushed as it).
    fn crm_device(&self, agency: i64) -> Result<String, StorageError>;
    /// Whether a delivery with this key was accepted for the agency before.
    fn delivered(&self, agency: i64, key: &str) -> Result<bool, StorageError>;
    /// Adds a line to the webhook log.
    fn log_delivery(&self, agency: i64, entry: &Delivery) -> Result<(), StorageError>;
    /// Keeps an accepted CRM delivery in one transaction: its events as the agency's CRM laptop
    /// `device`, numbered on from what the hub holds of it, and its line in the log, which claims
    /// its key. `Ok(false)` and nothing kept when another hub process got there first — the CRM
    /// laptop moved on, or the key is claimed already: decide again.
    fn record_crm(
        &self,
        agency: i64,
        device: &str,
        events: &[Incoming],
        entry: &Delivery,
    ) -> Result<bool, StorageError>;
    /// The webhook log, newest first: of one agency or all, at most `limit` lines.
    fn deliveries(&self, agency: Option<&str>, limit: usize) -> Result<Vec<Delivery>, StorageError>;
}

/// An agency's webhook from one CRM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookSetup {
    pub secret: String,
    pub won_stages: Vec<String>,
    /// HubSpot: the private app's access token, sealed, to ask its API about a deal the webhook
    /// names only by id.
    pub api_token: Option<String>,
}

/// One line of the webhook log: a delivery received, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    pub agency: String,
    pub crm: String,
    pub received_at: String,
    /// What names the delivery (a signature, a delivery id), when it could be read.
    pub key: Option<String>,
    /// "accepted" or "refused".
    pub outcome: String,
    /// The HTTP status it was answered with.
    pub status: u16,
    /// What it did, or why it was refused, in words.
    pub detail: String,
}

/// One event of a checked push, as the hub keeps it: its number, id, bytes and chain link.
#[derive(Debug)]
pub struct Incoming {
    pub seq: u64,
    pub id: String,
    /// The event's JSON exactly as the laptop sent it.
    pub body: Box<str>,
    /// Hex chain link after this event.
    pub link: String,
}

/// The hub's storage in one SQLite file.
#[derive(Clone)]
pub struct Sqlite {
    /// Every write goes through this connection.
    conn: Arc<Mutex<Connection>>,
    /// Reads go through this one, so a request is checked and a pull served while a batch is
    /// being kept (WAL lets a reader see what is committed without waiting for the writer).
    reader: Arc<Mutex<Connection>>,
    /// Told after each batch is kept: a thread of its own moves the write-ahead log into the
    /// database file, so a laptop's next batch never waits on it.
    checkpoints: std::sync::mpsc::SyncSender<()>,
}

/// Bytes of write-ahead log after which the writer moves it into the database itself.
const WAL_BACKSTOP_BYTES: i64 = 64 << 20;
/// The page size of a hub made now. An event is about a kilobyte of JSON: SQLite's 4 KB default
/// page holds three and leaves a quarter empty, which every batch wrote to the log and again into
/// the database (a hub of 100,000 such events was 144 MB in 4 KB pages and 122 MB in 16 KB ones,
/// and took its pushes about a quarter faster). A hub made with smaller pages keeps them.
const PAGE_BYTES: i64 = 16 << 10;
/// The writer's page cache, in KiB: room for a whole batch of a push (see [`Sqlite::open`]).
const WRITER_CACHE_KIB: i64 = 32 << 10;
/// The size the write-ahead log file is cut back to when it starts again.
const WAL_KEPT_BYTES: i64 = 64 << 20;

const SCHEMA: &str = "
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
    id          INTEGER PRIMARY KEY,
    agency      INTEGER NOT NULL REFERENCES agencies (id),
    device      TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    person      TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    UNIQUE (agency, device)
) STRICT;
CREATE TABLE IF NOT EXISTS events (
    agency INTEGER NOT NULL REFERENCES agencies (id),
    laptop INTEGER NOT NULL REFERENCES devices (id),
    seq    INTEGER NOT NULL,
    id     TEXT    NOT NULL,
    link   TEXT    NOT NULL,
    body   TEXT    NOT NULL,
    PRIMARY KEY (laptop, seq),
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

/// The person a CRM's deliveries are recorded for, in the devices list.
pub const CRM_PERSON: &str = "CRM webhooks";

/// Adds a line to the webhook log.
fn insert_delivery(c: &Connection, agency: i64, entry: &Delivery) -> Result<(), StorageError> {
    c.execute(
        "INSERT INTO deliveries (agency, crm, received_at, key, outcome, status, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![agency, entry.crm, entry.received_at, entry.key, entry.outcome, entry.status as i64, entry.detail],
    )?;
    Ok(())
}

fn delivery_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        agency: r.get(0)?,
        crm: r.get(1)?,
        received_at: r.get(2)?,
        key: r.get(3)?,
        outcome: r.get(4)?,
        status: r.get::<_, i64>(5)? as u16,
        detail: r.get(6)?,
    })
}

impl Sqlite {
    /// Opens (creating) the hub's database at `path`, readable by its owner only.
    pub fn open(path: &Path) -> Result<Sqlite, StorageError> {
        if !path.exists() {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let _ = options.open(path);
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Taken only by a file with nothing in it yet, so before the log mode is set.
        conn.pragma_update(None, "page_size", PAGE_BYTES)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.execute_batch(SCHEMA)?;
        key_events_by_laptop(&mut conn)?;
        // Hubs made before HubSpot's API was asked have no column for its access token.
        let has_token: bool =
            conn.query_row("SELECT count(*) FROM pragma_table_info('webhooks') WHERE name = 'api_token'", [], |r| {
                r.get::<_, i64>(0).map(|n| n > 0)
            })?;
        if !has_token {
            conn.execute_batch("ALTER TABLE webhooks ADD COLUMN api_token TEXT")?;
        }
        // The log is moved into the database by a thread of its own after each batch; the
        // writer does it itself only when that thread has fallen far behind.
        let page_bytes: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let backstop_pages = WAL_BACKSTOP_BYTES / page_bytes;
        conn.pragma_update(None, "wal_autocheckpoint", backstop_pages)?;
        conn.pragma_update(None, "journal_size_limit", WAL_KEPT_BYTES)?;
        // A batch's pages stay in memory until it commits: with SQLite's 2 MB default, a batch
        // of 5,000 events spilled its pages to the log halfway and wrote them again at commit
        // (a quarter of the hub's time keeping a push).
        conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        let reader = Connection::open(path)?;
        reader.busy_timeout(std::time::Duration::from_secs(10))?;
        reader.pragma_update(None, "query_only", "ON")?;
        let checkpointer = Connection::open(path)?;
        checkpointer.busy_timeout(std::time::Duration::from_secs(10))?;
        let (checkpoints, kept) = std::sync::mpsc::sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("hub-checkpoint".into())
            .spawn(move || {
                // Ends when the last handle on the storage is gone.
                while kept.recv().is_ok() {
                    // A failed checkpoint leaves the log as it is, whole, to be moved next time.
                    let moved = checkpointer.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                        Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                    });
                    match moved {
                        // All of a large log moved: start it again from nothing, so the file
                        // does not keep the size of the largest burst.
                        Ok((log, done)) if log == done && log > backstop_pages => {
                            let _ = checkpointer.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
                        }
                        Ok(_) => {}
                        Err(e) => eprintln!("the hub's write-ahead log waits to be moved into its database: {e}"),
                    }
                }
            })
            .map_err(|e| StorageError::Database(format!("could not start the checkpoint thread: {e}")))?;
        Ok(Sqlite { conn: Arc::new(Mutex::new(conn)), reader: Arc::new(Mutex::new(reader)), checkpoints })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, StorageError>) -> Result<T, StorageError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StorageError>) -> Result<T, StorageError> {
        let conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn)
    }
}

/// Brings a hub file made before its events were keyed by laptop up to date, in one transaction:
/// each laptop gets a number of its own in `devices`, and each event names its laptop by that
/// number rather than by its 36-character id (which every event and every key entry repeated,
/// and which every insert compared, byte by byte, down the key: a third of the time a push
/// spent keeping its events). A file already up to date is left as it is.
fn key_events_by_laptop(conn: &mut Connection) -> Result<(), StorageError> {
    let keyed: bool =
        conn.query_row("SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'id'", [], |r| {
            r.get::<_, i64>(0).map(|n| n > 0)
        })?;
    if keyed {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another hub process may have brought it up to date while this one waited for the lock.
    let keyed: bool = tx.query_row("SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'id'", [], |r| {
        r.get::<_, i64>(0).map(|n| n > 0)
    })?;
    if keyed {
        return Ok(());
    }
    let before: i64 = tx.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    tx.execute_batch(
        "ALTER TABLE events RENAME TO events_by_device_id;
         ALTER TABLE devices RENAME TO devices_unnumbered;",
    )?;
    tx.execute_batch(SCHEMA)?;
    tx.execute_batch(
        "INSERT INTO devices (agency, device, public_key, person, enrolled_at)
             SELECT agency, device, public_key, person, enrolled_at FROM devices_unnumbered ORDER BY agency, device;
         INSERT INTO events (agency, laptop, seq, id, link, body)
             SELECT e.agency, d.id, e.seq, e.id, e.link, e.body
               FROM events_by_device_id AS e JOIN devices AS d ON d.agency = e.agency AND d.device = e.device
              ORDER BY d.id, e.seq;",
    )?;
    let after: i64 = tx.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    if after != before {
        // An event of a laptop the hub never enrolled: nothing is changed, and the hub says so.
        return Err(StorageError::Database(format!(
            "this hub file holds events of laptops it has no record of ({} of them): it was left as it \
             was; restore it from a backup, or ask for help with it",
            before - after
        )));
    }
    tx.execute_batch("DROP TABLE events_by_device_id; DROP TABLE devices_unnumbered;")?;
    tx.commit()?;
    Ok(())
}

fn agency_named(conn: &Connection, name: &str) -> Result<Agency, StorageError> {
    conn.query_row("SELECT id, name, origin FROM agencies WHERE name = ?1", [name], |r| {
        Ok(Agency { id: r.get(0)?, name: r.get(1)?, origin: r.get(2)? })
    })
    .optional()?
    .ok_or_else(|| StorageError::NoAgency(name.to_string()))
}

const TOKEN_COLUMNS: &str = "t.id, a.name, t.person, t.created_at, t.revoked_at";

fn token_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Token> {
    Ok(Token { id: r.get(0)?, agency: r.get(1)?, person: r.get(2)?, created_at: r.get(3)?, revoked_at: r.get(4)? })
}

impl Storage for Sqlite {
    fn create_agency(&self, name: &str) -> Result<Agency, StorageError> {
        self.with(|c| {
            if agency_named(c, name).is_ok() {
                return Err(StorageError::AgencyExists(name.to_string()));
            }
            c.execute("INSERT INTO agencies (name, created_at) VALUES (?1, ?2)", params![name, now_text()])?;
            agency_named(c, name)
        })
    }

    fn agencies(&self) -> Result<Vec<Agency>, StorageError> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT id, name, origin FROM agencies ORDER BY name")?;
            let rows = stmt.query_map([], |r| Ok(Agency { id: r.get(0)?, name: r.get(1)?, origin: r.get(2)? }))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn create_token(&self, agency: &str, person: &str, hash: &str) -> Result<Token, StorageError> {
        self.with(|c| {
            let a = agency_named(c, agency)?;
            let id = hash[..12].to_string();
            c.execute(
                "INSERT INTO tokens (id, hash, agency, person, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, hash, a.id, person, now_text()],
            )?;
            Ok(c.query_row(
                &format!("SELECT {TOKEN_COLUMNS} FROM tokens t JOIN agencies a ON a.id = t.agency WHERE t.id = ?1"),
                [&id],
                token_row,
            )?)
        })
    }

    fn tokens(&self, agency: Option<&str>) -> Result<Vec<Token>, StorageError> {
        self.with(|c| {
            if let Some(name) = agency {
                agency_named(c, name)?;
            }
            let mut stmt = c.prepare(&format!(
                "SELECT {TOKEN_COLUMNS} FROM tokens t JOIN agencies a ON a.id = t.agency
                 WHERE ?1 IS NULL OR a.name = ?1 ORDER BY a.name, t.created_at, t.id"
            ))?;
            let rows = stmt.query_map([agency], token_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn revoke_token(&self, id: &str) -> Result<Token, StorageError> {
        self.with(|c| {
            let changed = c.execute(
                "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
                params![id.trim(), now_text()],
            )?;
            if changed == 0 {
                return Err(StorageError::NoToken(id.to_string()));
            }
            Ok(c.query_row(
                &format!("SELECT {TOKEN_COLUMNS} FROM tokens t JOIN agencies a ON a.id = t.agency WHERE t.id = ?1"),
                [id.trim()],
                token_row,
            )?)
        })
    }

    fn access(&self, hash: &str) -> Result<Option<Access>, StorageError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT t.id, t.person, a.id, a.name, a.origin FROM tokens t JOIN agencies a ON a.id = t.agency
                 WHERE t.hash = ?1 AND t.revoked_at IS NULL",
                [hash],
                |r| {
                    Ok(Access {
                        token: r.get(0)?,
                        person: r.get(1)?,
                        agency: Agency { id: r.get(2)?, name: r.get(3)?, origin: r.get(4)? },
                    })
                },
            )
            .optional()?)
        })
    }

    fn enrol(&self, access: &Access, device: &str, public_key: &str) -> Result<(), StorageError> {
        self.with(|c| {
            let held: Option<String> = c
                .query_row(
                    "SELECT person FROM devices WHERE agency = ?1 AND device = ?2",
                    params![access.agency.id, device],
                    |r| r.get(0),
                )
                .optional()?;
            match held {
                // The hub's own CRM laptop has no key, and no laptop may take its place.
            Some(person) if person == CRM_PERSON => Err(StorageError::Conflict(format!(
                "laptop {device} is the hub's own, for CRM webhooks: a laptop cannot join as it"
            ))),
            Some(person) if person != access.person => Err(StorageError::enrolled_for(device, &person)),
                Some(_) => {
                    c.execute(
                        "UPDATE devices SET public_key = ?3, enrolled_at = ?4 WHERE agency = ?1 AND device = ?2",
                        params![access.agency.id, device, public_key, now_text()],
                    )?;
                    Ok(())
                }
                None => {
                    c.execute(
                        "INSERT INTO devices (agency, device, public_key, person, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![access.agency.id, device, public_key, access.person, now_text()],
                    )?;
                    Ok(())
                }
            }
        })
    }

    fn device(&self, agency: i64, device: &str) -> Result<Option<Device>, StorageError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT public_key, person FROM devices WHERE agency = ?1 AND device = ?2",
                params![agency, device],
                |r| Ok(Device { public_key: r.get(0)?, person: r.get(1)? }),
            )
            .optional()?)
        })
    }

    fn heads(&self, agency: i64) -> Result<BTreeMap<String, Head>, StorageError> {
        self.read(|c| {
            // Each laptop's last event, found through the key: never a scan of the events.
            let devices: Vec<(i64, String)> = c
                .prepare_cached("SELECT id, device FROM devices WHERE agency = ?1")?
                .query_map([agency], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let mut last =
                c.prepare_cached("SELECT seq, link FROM events WHERE laptop = ?1 ORDER BY seq DESC LIMIT 1")?;
            let mut heads = BTreeMap::new();
            for (laptop, device) in devices {
                let head = last
                    .query_row([laptop], |r| Ok(Head { seq: r.get::<_, i64>(0)? as u64, chain: r.get(1)? }))
                    .optional()?;
                if let Some(head) = head {
                    heads.insert(device, head);
                }
            }
            Ok(heads)
        })
    }

    fn head(&self, agency: i64, device: &str) -> Result<u64, StorageError> {
        self.read(|c| {
            let n: Option<i64> = c.query_row(
                "SELECT max(seq) FROM events WHERE laptop = (SELECT id FROM devices WHERE agency = ?1 AND device = ?2)",
                params![agency, device],
                |r| r.get(0),
            )?;
            Ok(n.unwrap_or(0) as u64)
        })
    }

    fn link(&self, agency: i64, device: &str, seq: u64) -> Result<Option<String>, StorageError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT link FROM events WHERE laptop = (SELECT id FROM devices WHERE agency = ?1 AND device = ?2) AND seq = ?3",
                params![agency, device, seq as i64],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    fn event_at(&self, agency: i64, device: &str, seq: u64) -> Result<Option<(String, String)>, StorageError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT id, body FROM events WHERE laptop = (SELECT id FROM devices WHERE agency = ?1 AND device = ?2) AND seq = ?3",
                params![agency, device, seq as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })
    }

    fn append(
        &self,
        agency: i64,
        device: &str,
        events: &[Incoming],
        origin: Option<&str>,
    ) -> Result<u64, StorageError> {
        self.with(|c| {
            // Writing from the start: a transaction that read first and then wrote would be
            // refused outright ("database is locked") when the checkpoint thread restarted the
            // log in between, for its snapshot would be gone; taking the write lock first waits.
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if let Some(origin) = origin {
                let held: Option<String> =
                    tx.query_row("SELECT origin FROM agencies WHERE id = ?1", [agency], |r| r.get(0))?;
                match held {
                    Some(h) if h != origin => return Err(StorageError::other_agency()),
                    Some(_) => {}
                    None => {
                        tx.execute("UPDATE agencies SET origin = ?2 WHERE id = ?1", params![agency, origin])?;
                    }
                }
            }
            let laptop: i64 = tx
                .query_row("SELECT id FROM devices WHERE agency = ?1 AND device = ?2", params![agency, device], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or_else(|| StorageError::not_enrolled(device))?;
            for e in events {
                tx.prepare_cached(
                    "INSERT INTO events (agency, laptop, seq, id, link, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (laptop, seq) DO NOTHING",
                )?
                .execute(params![agency, laptop, e.seq as i64, e.id, e.link, &*e.body])
                .map_err(|err| match err.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::ConstraintViolation) => StorageError::Conflict(format!(
                        "event {} is held already as another laptop's: a laptop sends only its own events",
                        e.id
                    )),
                    _ => StorageError::from(err),
                })?;
            }
            let head: Option<i64> =
                tx.query_row("SELECT max(seq) FROM events WHERE laptop = ?1", [laptop], |r| r.get(0))?;
            tx.commit()?;
            let _ = self.checkpoints.try_send(());
            Ok(head.unwrap_or(0) as u64)
        })
    }

    fn pull(
        &self,
        agency: i64,
        cursors: &BTreeMap<String, u64>,
        limit: usize,
    ) -> Result<(Vec<RelayedEvent>, bool), StorageError> {
        let devices: Vec<String> = self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT device FROM devices WHERE agency = ?1 ORDER BY device")?;
            let rows = stmt.query_map([agency], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })?;
        page(devices, cursors, limit, |device, after, room| {
            self.read(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT seq, body FROM events WHERE laptop = (SELECT id FROM devices WHERE agency = ?1 AND device = ?2) AND seq > ?3 ORDER BY seq LIMIT ?4",
                )?;
                let rows = stmt.query_map(params![agency, device, after as i64, room as i64], |r| {
                    Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
        })
    }

    fn agency(&self, name: &str) -> Result<Agency, StorageError> {
        self.read(|c| agency_named(c, name))
    }

    fn set_webhook(&self, agency: &str, crm: &str, setup: &WebhookSetup) -> Result<(), StorageError> {
        let stages = serde_json::to_string(&setup.won_stages).expect("strings serialise");
        self.with(|c| {
            let a = agency_named(c, agency)?;
            c.execute(
                "INSERT INTO webhooks (agency, crm, secret, won_stages, created_at, api_token)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (agency, crm) DO UPDATE SET secret = excluded.secret, won_stages = excluded.won_stages,
                    created_at = excluded.created_at, api_token = excluded.api_token",
                params![a.id, crm, setup.secret, stages, now_text(), setup.api_token],
            )?;
            Ok(())
        })
    }

    fn webhook(&self, agency: i64, crm: &str) -> Result<Option<WebhookSetup>, StorageError> {
        self.read(|c| {
            let row: Option<(String, String, Option<String>)> = c
                .query_row(
                    "SELECT secret, won_stages, api_token FROM webhooks WHERE agency = ?1 AND crm = ?2",
                    params![agency, crm],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            Ok(row.map(|(secret, stages, api_token)| WebhookSetup {
                secret,
                won_stages: serde_json::from_str(&stages).unwrap_or_default(),
                api_token,
            }))
        })
    }

    fn crm_device(&self, agency: i64) -> Result<String, StorageError> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let held: Option<String> =
                tx.query_row("SELECT device FROM crm_devices WHERE agency = ?1", [agency], |r| r.get(0)).optional()?;
            let device = match held {
                Some(d) => d,
                None => {
                    let device = crm_device_id();
                    tx.execute("INSERT INTO crm_devices (agency, device) VALUES (?1, ?2)", params![agency, device])?;
                    tx.execute(
                        "INSERT INTO devices (agency, device, public_key, person, enrolled_at) VALUES (?1, ?2, '', ?3, ?4)",
                        params![agency, device, CRM_PERSON, now_text()],
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
            Ok(c.query_row(
                "SELECT 1 FROM deliveries WHERE agency = ?1 AND key = ?2 AND outcome = 'accepted'",
                params![agency, key],
                |_| Ok(()),
            )
            .optional()?
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
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // No laptop when the delivery adds nothing (it is only logged).
            let laptop: Option<i64> = tx
                .query_row("SELECT id FROM devices WHERE agency = ?1 AND device = ?2", params![agency, device], |r| {
                    r.get(0)
                })
                .optional()?;
            if laptop.is_none() && !events.is_empty() {
                return Err(StorageError::not_enrolled(device));
            }
            let head: i64 =
                tx.query_row("SELECT coalesce(max(seq), 0) FROM events WHERE laptop = ?1", [laptop], |r| r.get(0))?;
            if events.first().is_some_and(|e| e.seq as i64 != head + 1) {
                return Ok(false);
            }
            let claimed = tx
                .query_row(
                    "SELECT 1 FROM deliveries WHERE agency = ?1 AND key = ?2 AND outcome = 'accepted'",
                    params![agency, entry.key],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if claimed {
                return Ok(false);
            }
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO events (agency, laptop, seq, id, link, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for e in events {
                    insert.execute(params![agency, laptop, e.seq as i64, e.id, e.link, &*e.body])?;
                }
            }
            insert_delivery(&tx, agency, entry)?;
            tx.commit()?;
            let _ = self.checkpoints.try_send(());
            Ok(true)
        })
    }

    fn deliveries(&self, agency: Option<&str>, limit: usize) -> Result<Vec<Delivery>, StorageError> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT a.name, d.crm, d.received_at, d.key, d.outcome, d.status, d.detail
                   FROM deliveries AS d JOIN agencies AS a ON a.id = d.agency
                  WHERE ?1 IS NULL OR a.name = ?1 ORDER BY d.id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![agency, limit as i64], delivery_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }
}

/// A new laptop id for a CRM's deliveries: a UUIDv7, as laptops' are.
pub(crate) fn crm_device_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::{Sqlite, WAL_BACKSTOP_BYTES};

    fn wal_backstop_bytes(storage: &Sqlite) -> i64 {
        let conn = storage.conn.lock().unwrap();
        let pages: i64 = conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
        let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        pages * page
    }

    #[test]
    fn the_writer_moves_the_log_into_the_database_itself_at_the_same_size_whatever_the_page_size() {
        let dir = tempfile::tempdir().unwrap();
        let made_now = Sqlite::open(&dir.path().join("new.db")).unwrap();
        assert_eq!(wal_backstop_bytes(&made_now), WAL_BACKSTOP_BYTES);
        let earlier = dir.path().join("earlier.db");
        let conn = rusqlite::Connection::open(&earlier).unwrap();
        conn.execute_batch("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x);").unwrap();
        drop(conn);
        let kept_small = Sqlite::open(&earlier).unwrap();
        let pages: i64 =
            kept_small.conn.lock().unwrap().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
        assert_eq!(pages, WAL_BACKSTOP_BYTES / 4096, "four times the pages of a hub made now");
        assert_eq!(wal_backstop_bytes(&kept_small), WAL_BACKSTOP_BYTES);
    }
}
