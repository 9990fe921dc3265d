//! Opening the file: pragmas, the version check and forward-only migrations.

use std::path::Path;
use std::time::Duration;

use handoff_domain::ids::DeviceId;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use uuid::Uuid;

use crate::StoreError;

/// `PRAGMA application_id` of a Handoff database ("HNDF").
const APPLICATION_ID: i64 = 0x484E_4446;

/// The migrations, in order; migration N brings the schema to version N.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_event_log.sql"),
    include_str!("../migrations/0002_read_tables.sql"),
    include_str!("../migrations/0003_service_and_review.sql"),
    include_str!("../migrations/0004_trip_indexes_for_won_deals.sql"),
    include_str!("../migrations/0005_recorded_by.sql"),
];

/// A migration that starts with this line changes the read tables: they are refilled from the
/// log after it.
const REBUILD_MARKER: &str = "-- rebuild:";

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating when absent) and migrates to the newest schema. Returns the connection and
/// whether the read tables must be refilled from the log.
pub(crate) fn open(path: &Path, busy_timeout_ms: u64) -> Result<(Connection, bool), StoreError> {
    open_upto(path, busy_timeout_ms, SCHEMA_VERSION)
}

/// Creates a missing database file empty and readable by its owner only (0600) before SQLite
/// opens it; SQLite gives its journal files the same permissions. An existing file is left as is.
fn create_owner_only(path: &Path) {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    // If this fails (the file exists, or the folder is missing), SQLite's own open says why.
    let _ = options.open(path);
}

/// [`open`], migrating no further than `upto` (tests build older databases with it).
pub(crate) fn open_upto(path: &Path, busy_timeout_ms: u64, upto: i64) -> Result<(Connection, bool), StoreError> {
    create_owner_only(path);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Unreadable(path.to_path_buf(), e.to_string()))?;
    conn.busy_timeout(Duration::from_millis(busy_timeout_ms))?;
    // Look before touching anything: a newer or foreign file must stay exactly as it is.
    let read = |conn: &Connection, pragma: &str| -> Result<i64, StoreError> {
        conn.query_row(pragma, [], |r| r.get(0)).map_err(|e| StoreError::Unreadable(path.to_path_buf(), e.to_string()))
    };
    let version = read(&conn, "PRAGMA user_version")?;
    let app = read(&conn, "PRAGMA application_id")?;
    let tables = read(&conn, "SELECT count(*) FROM sqlite_schema")?;
    if app != APPLICATION_ID && (app != 0 || tables > 0) {
        return Err(StoreError::NotHandoff(path.to_path_buf()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerDatabase { path: path.to_path_buf(), found: version, supported: SCHEMA_VERSION });
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let refill = migrate(&mut conn, version, upto)?;
    Ok((conn, refill && version > 0))
}

/// Applies each migration after `from` up to `upto`, each in its own transaction with its version
/// bump. Returns whether one of them asks for the read tables to be refilled.
fn migrate(conn: &mut Connection, from: i64, upto: i64) -> Result<bool, StoreError> {
    let mut refill = false;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from as usize).take((upto - from).max(0) as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current >= version {
            continue;
        }
        tx.execute_batch(sql)?;
        if version == 1 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('device', ?1)",
                [Uuid::now_v7().hyphenated().to_string()],
            )?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        refill |= sql.starts_with(REBUILD_MARKER);
    }
    Ok(refill)
}

pub(crate) fn device(conn: &Connection) -> Result<DeviceId, StoreError> {
    let text: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'device'", [], |r| r.get(0)).optional()?;
    text.and_then(|t| t.parse().ok()).ok_or_else(|| StoreError::UnreadableEvent("the device id is missing".into()))
}
