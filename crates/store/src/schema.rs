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
    include_str!("../migrations/0006_merge.sql"),
    include_str!("../migrations/0007_device_sequence.sql"),
    include_str!("../migrations/0008_conflict_settled.sql"),
    include_str!("../migrations/0009_customer_contacted.sql"),
    include_str!("../migrations/0010_deal_search.sql"),
    include_str!("../migrations/0011_reviews.sql"),
    include_str!("../migrations/0012_cold_calls.sql"),
    include_str!("../migrations/0013_crm_deals.sql"),
    include_str!("../migrations/0014_deal_rows_for_questions.sql"),
    include_str!("../migrations/0015_open_tasks.sql"),
    include_str!("../migrations/0016_agency_origin.sql"),
    include_str!("../migrations/0017_customer_index_narrow.sql"),
    include_str!("../migrations/0018_deal_external_id_where_held.sql"),
    include_str!("../migrations/0019_deal_search_contentless.sql"),
    include_str!("../migrations/0020_crm_deal_lookup_guarded.sql"),
    include_str!("../migrations/0021_search_pending.sql"),
    include_str!("../migrations/0022_won_index_with_owners.sql"),
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
    let unreadable = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::DiskFull) => {
            StoreError::from(e)
        }
        _ => StoreError::Unreadable(path.to_path_buf(), e.to_string()),
    };
    let mut conn = Connection::open_with_flags(path, flags).map_err(unreadable)?;
    conn.busy_timeout(Duration::from_millis(busy_timeout_ms))?;
    // Look before touching anything: a newer or foreign file must stay exactly as it is.
    let read = |conn: &Connection, pragma: &str| -> Result<i64, StoreError> {
        conn.query_row(pragma, [], |r| r.get(0)).map_err(unreadable)
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
    migrate(&mut conn, version, upto)?;
    let refill = refill_pending(&conn)?;
    Ok((conn, refill))
}

/// The `meta` key that says the read tables must be refilled from the log: set by a migration
/// that changes them, in its own transaction, and cleared by the refill in its own — so a
/// process killed between the two leaves it set, and the next open refills.
pub(crate) const REFILL_KEY: &str = "refill";

/// Whether a migration left the read tables to be refilled.
pub(crate) fn refill_pending(conn: &Connection) -> Result<bool, StoreError> {
    let flag: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [REFILL_KEY], |r| r.get(0)).optional()?;
    Ok(flag.is_some())
}

/// Checks that `conn` is a Handoff database this build can read (after migrating it, if older);
/// returns its schema version. Reads only.
pub(crate) fn check_handoff(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let read = |pragma: &str| -> Result<i64, StoreError> {
        conn.query_row(pragma, [], |r| r.get(0)).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::DiskFull) => StoreError::from(e),
            _ => StoreError::Unreadable(path.to_path_buf(), e.to_string()),
        })
    };
    let (version, app) = (read("PRAGMA user_version")?, read("PRAGMA application_id")?);
    if app != APPLICATION_ID {
        return Err(StoreError::NotHandoff(path.to_path_buf()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerDatabase { path: path.to_path_buf(), found: version, supported: SCHEMA_VERSION });
    }
    Ok(version)
}

/// Opens an existing database for reading only. `None` when it is older than this build and must
/// be migrated first (which needs it writable). A file whose folder cannot take SQLite's shared
/// memory file (a read-only disk or folder) is read as immutable when no write-ahead log lies
/// beside it: without one, nobody is writing to it.
pub(crate) fn open_read_only(path: &Path, busy_timeout_ms: u64) -> Result<Option<Connection>, StoreError> {
    let unreadable = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::DiskFull) => StoreError::from(e),
        _ => StoreError::Unreadable(path.to_path_buf(), e.to_string()),
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open = |immutable: bool| -> Result<(Connection, i64, i64), rusqlite::Error> {
        let uri = format!("{}?mode=ro{}", file_uri(path), if immutable { "&immutable=1" } else { "" });
        let conn = Connection::open_with_flags(uri, flags)?;
        conn.busy_timeout(Duration::from_millis(busy_timeout_ms))?;
        let read = |pragma: &str| conn.query_row(pragma, [], |r| r.get::<_, i64>(0));
        let (version, app) = (read("PRAGMA user_version")?, read("PRAGMA application_id")?);
        Ok((conn, version, app))
    };
    let (conn, version, app) = match open(false) {
        Ok(opened) => opened,
        Err(e) if cannot_share_memory(&e) && !wal_of(path).exists() => open(true).map_err(unreadable)?,
        Err(e) => return Err(unreadable(e)),
    };
    if app != APPLICATION_ID {
        return Err(StoreError::NotHandoff(path.to_path_buf()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerDatabase { path: path.to_path_buf(), found: version, supported: SCHEMA_VERSION });
    }
    if version < SCHEMA_VERSION
        || refill_pending(&conn)
            .map_err(|_| StoreError::Unreadable(path.to_path_buf(), "its settings cannot be read".into()))?
    {
        return Ok(None);
    }
    // Opened read-only (`mode=ro`): nothing it does can reach the file. Its own temporary tables
    // (a search's index of the deals waiting for the search index) it may still write.
    Ok(Some(conn))
}

/// SQLite could not open or create the write-ahead log's shared memory beside a read-only file.
fn cannot_share_memory(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied)
    )
}

/// The write-ahead log beside the database file.
fn wal_of(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

/// `path` as an SQLite `file:` URI (absolute, with `%`, `?` and `#` escaped).
fn file_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    let text = absolute.to_string_lossy().replace('\\', "/");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for c in text.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri
}

/// Applies each migration after `from` up to `upto`, each in its own transaction with its version
/// bump; one that changes the read tables of an existing database also marks them to be refilled
/// (see [`REFILL_KEY`]).
fn migrate(conn: &mut Connection, from: i64, upto: i64) -> Result<(), StoreError> {
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
        if from > 0 && sql.starts_with(REBUILD_MARKER) {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, 'pending') ON CONFLICT (key) DO NOTHING",
                [REFILL_KEY],
            )?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

pub(crate) fn device(conn: &Connection) -> Result<DeviceId, StoreError> {
    let text: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'device'", [], |r| r.get(0)).optional()?;
    text.and_then(|t| t.parse().ok()).ok_or_else(|| StoreError::UnreadableEvent("the device id is missing".into()))
}
