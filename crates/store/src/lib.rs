//! # handoff-store
//!
//! Handoff's storage, in one local SQLite file:
//! - the **event log** (`events`): append-only, enforced by triggers; each event carries a
//!   time-ordered UUIDv7 id, the device, the actor, when it happened and when it was recorded,
//!   and a hybrid-logical-clock stamp;
//! - the **read tables** (`directory`, `deals`, `tasks`, `escalations`): the fold of the log,
//!   written in the same transaction as each append by running the domain's folds
//!   ([`handoff_domain::deal::Deal::apply`], [`handoff_domain::directory::Directory::apply`]),
//!   and rebuildable from the log at any time ([`Store::rebuild`]);
//! - **migrations** (`migrations/*.sql`): forward-only, numbered, each applied atomically with the
//!   schema version (`PRAGMA user_version`). A database from a newer Handoff is refused untouched.
//!
//! Durability: WAL with `synchronous = FULL`, foreign keys on, and every write in one
//! `BEGIN IMMEDIATE` transaction through [`Store::write`] — the single writer. A crash or a power
//! cut loses at most the action in flight, never part of one and never one already acknowledged.

mod codec;
pub mod copy;
mod import;
mod projection;
pub mod query;
mod schema;
mod search;
pub mod transport;

use std::path::{Path, PathBuf};

use chrono::{DateTime, SubsecRound, Utc};
use handoff_domain::deal::Deal;
use handoff_domain::directory::Directory;
use handoff_domain::event::{Event, EventBody};
use handoff_domain::hlc::Hlc;
use handoff_domain::ids::{DealId, DeviceId, EventId, PersonId};
use handoff_domain::RuleError;
use rusqlite::TransactionBehavior;
use uuid::Uuid;

pub use codec::{RawEvent, Unfoldable};
pub use import::{Imported, Received};
#[cfg(any(test, feature = "test-support"))]
pub use projection::hold_at_most;
pub use rusqlite::Connection;
pub use schema::SCHEMA_VERSION;

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no Handoff database at {0}: set up a new agency there, or open an existing database")]
    Missing(PathBuf),
    #[error("{path} was written by a newer version of Handoff (schema {found}; this version knows up to {supported}); it was not changed — update Handoff to open it")]
    NewerDatabase { path: PathBuf, found: i64, supported: i64 },
    #[error("{0} is an SQLite file but not a Handoff database; it was not changed — open a Handoff database instead")]
    NotHandoff(PathBuf),
    #[error("{0} is an empty file, not a Handoff database; it was not changed — open a Handoff database instead")]
    EmptyFile(PathBuf),
    #[error("{0} could not be opened as a database: {1}")]
    Unreadable(PathBuf, String),
    #[error("the disk failed while Handoff used the database ({0}); the action was not recorded and nothing was half-written — check that the disk works and has room, then try again")]
    Disk(String),
    #[error(
        "the disk is full: the action was not recorded and nothing was half-written — free some space, then try again"
    )]
    DiskFull,
    #[error("the database is read-only: Handoff can show what it holds but cannot record anything in it — make the file and its folder writable to record actions")]
    ReadOnly,
    #[error("{0} was written by an older version of Handoff and must be updated before it can be read, which needs it to be writable — make the file and its folder writable, then try again")]
    NeedsUpdate(PathBuf),
    #[error("the database is busy: another Handoff is writing; try again in a moment")]
    Busy,
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("the event log holds an event this version cannot read ({0}); update Handoff")]
    UnreadableEvent(String),
    #[error("an event from another laptop cannot be taken in ({0}); nothing was taken in")]
    Received(String),
    #[error("event {0} arrived with content different from the copy this laptop holds: the two logs disagree about it; nothing was taken in")]
    Mismatch(String),
    #[error(transparent)]
    Clock(#[from] handoff_domain::hlc::ClockAhead),
    #[error(transparent)]
    Rule(#[from] RuleError),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(e)
    }
}

impl StoreError {
    fn from_sqlite(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(rusqlite::ErrorCode::SystemIoFailure) => StoreError::Disk(e.to_string()),
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(e),
        }
    }
}

/// How long a writer waits for another process's write to finish before giving up.
pub(crate) const BUSY_TIMEOUT_MS: u64 = 10_000;

/// SQLite's own default: a commit leaving more pages than this in the write-ahead log moves it
/// into the database before it returns.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 1000;
/// The page cache of a large write (a rebuild, a new laptop taking in its agency), in KiB: a
/// whole refold touches every deal again and again, and reading each page back from the file
/// system each time costs more than the fold itself. Given back when the write ends.
const LARGE_WRITE_CACHE_SIZE: i64 = -262_144;

/// The database. One per process; writes go through [`Store::write`], one at a time.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    device: DeviceId,
    /// The thread moving a large write's log into the database (see [`Writer::mark_large`]).
    checkpointing: Option<std::thread::JoinHandle<()>>,
    /// Commits leave the log to that thread (`wal_autocheckpoint` is 0) until it is done.
    log_left_to_thread: bool,
    /// The directory the last write started from (see [`projection::ParsedDirectory`]).
    parsed_directory: projection::ParsedDirectory,
}

impl Store {
    /// Opens the database at `path`, creating it when `create` is set, and applies migrations.
    pub fn open(path: &Path, create: bool) -> Result<Store, StoreError> {
        if !create && !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        // An empty file is not a database yet: only `create` makes one of it; it is left untouched.
        if !create && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            return Err(StoreError::EmptyFile(path.to_path_buf()));
        }
        let (conn, refill) = schema::open(path, BUSY_TIMEOUT_MS)?;
        Self::finish_open(conn, path, refill)
    }

    /// Opens the existing database at `path` for reading only: nothing is written to it, and a
    /// read-only file (or one on a read-only disk) can be read. A database from an older Handoff
    /// is first brought up to date, which needs it writable.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            return Err(StoreError::EmptyFile(path.to_path_buf()));
        }
        match schema::open_read_only(path, BUSY_TIMEOUT_MS)? {
            Some(conn) => Self::finish_open(conn, path, false),
            None => Self::open(path, false).map_err(|e| match e {
                StoreError::ReadOnly => StoreError::NeedsUpdate(path.to_path_buf()),
                e => e,
            }),
        }
    }

    fn finish_open(conn: Connection, path: &Path, refill: bool) -> Result<Store, StoreError> {
        let device = schema::device(&conn)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            device,
            checkpointing: None,
            log_left_to_thread: false,
            parsed_directory: Default::default(),
        };
        if refill {
            store.rebuild()?;
        }
        Ok(store)
    }

    /// Opens a database migrated only up to schema `version` (for migration tests).
    #[cfg(any(test, feature = "test-support"))]
    pub fn open_at_version(path: &Path, version: i64) -> Result<Store, StoreError> {
        let (conn, refill) = schema::open_upto(path, BUSY_TIMEOUT_MS, version)?;
        Self::finish_open(conn, path, refill)
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This installation's device id.
    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// Whether this store was opened for reading only (a file it may not write, or a command that
    /// only reads).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits if it succeeds. Nothing is
    /// written when `f` fails.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from_sqlite)?;
        let mut writer = Writer {
            tx,
            device: self.device,
            parsed_directory: &mut self.parsed_directory,
            directory: None,
            hlc: None,
            me: None,
            wall_ms: None,
            parts: 0,
            large: false,
            cache_size_before: None,
        };
        let out = f(&mut writer);
        if let Some(before) = writer.cache_size_before {
            // The page cache as it was, however the write ended (see [`Writer::mark_large`]).
            let _ = writer.tx.pragma_update(None, "cache_size", before);
        }
        let out = out?;
        let large = writer.large;
        // A large write's commit leaves its log to a thread (see [`Writer::commit`]).
        self.log_left_to_thread |= large;
        let committed = writer.commit();
        if large && committed.is_ok() {
            self.checkpoint_apart();
        }
        self.settle_checkpoint(false);
        committed?;
        Ok(out)
    }

    /// Waits until the log of the last large write is in the database file (see
    /// [`Writer::mark_large`]); commits move the log themselves again after.
    pub fn await_checkpoint(&mut self) {
        self.settle_checkpoint(true);
    }

    /// Once the thread moving a large write's log is done (or, with `wait`, after waiting for
    /// it), commits move the log themselves again. A failure to say so is tried again next time:
    /// a write already committed is never reported as failed for it.
    fn settle_checkpoint(&mut self, wait: bool) {
        if !self.log_left_to_thread {
            return;
        }
        if let Some(thread) = self.checkpointing.take() {
            if !wait && !thread.is_finished() {
                self.checkpointing = Some(thread);
                return;
            }
            let _ = thread.join();
        }
        if self.conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES).is_ok() {
            self.log_left_to_thread = false;
        }
    }

    /// Moves the write-ahead log into the database on a thread with a connection of its own,
    /// and cuts the log file back when all of it moved. Nothing waits for it; until it is done,
    /// commits leave the log to it. A failure leaves the log as it is, for a later commit.
    fn checkpoint_apart(&mut self) {
        // One at a time, each waited for by whoever closes the store.
        if let Some(before) = self.checkpointing.take() {
            let _ = before.join();
        }
        let path = self.path.clone();
        let started = std::thread::Builder::new().name("handoff-checkpoint".into()).spawn(move || {
            // Never makes a file: the database may have been moved or removed since.
            let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let Ok(conn) = Connection::open_with_flags(&path, flags) else { return };
            let _ = conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS));
            let moved = conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)));
            if moved.is_ok_and(|(log, done)| log == done && log > WAL_AUTOCHECKPOINT_PAGES) {
                // Cutting the file back waits for no one: with a reader or writer about, it is
                // left for another time rather than holding up the laptop's next write.
                let _ = conn.busy_timeout(std::time::Duration::ZERO);
                let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            }
        });
        // Not started: the next commit moves the log itself (settled right after).
        if let Ok(thread) = started {
            self.checkpointing = Some(thread);
        }
    }

    /// Runs `f` on a consistent snapshot (one read transaction).
    pub fn read<T, E>(&mut self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self.conn.transaction().map_err(StoreError::from_sqlite)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from_sqlite)?;
        Ok(out)
    }

    /// Empties the read tables and folds the whole log into them again, in one transaction.
    /// Returns the number of events folded.
    pub fn rebuild(&mut self) -> Result<usize, StoreError> {
        self.write(|w| {
            w.mark_large();
            w.tx.execute("DELETE FROM meta WHERE key = ?1", [schema::REFILL_KEY])?;
            projection::refold(&w.tx, projection::Scope::All, Default::default())
        })
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// The raw connection, for read queries and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// A store closes once the log of its last large write is in the database file, so a file
/// moved, copied or removed after closing is whole, and no thread opens it after.
impl Drop for Store {
    fn drop(&mut self) {
        self.await_checkpoint();
    }
}

/// The open write transaction: reads current state and appends events.
pub struct Writer<'a> {
    tx: rusqlite::Transaction<'a>,
    device: DeviceId,
    /// Where the directory is read from (see [`projection::ParsedDirectory`]).
    parsed_directory: &'a mut projection::ParsedDirectory,
    /// The directory as this transaction has it, once read.
    directory: Option<Directory>,
    /// The last clock stamp issued in this transaction: its last event's (see
    /// [`codec::last_hlc`]).
    hlc: Option<Hlc>,
    /// Who uses this laptop, read once per transaction: every event records it.
    me: Option<Option<PersonId>>,
    /// The clock reading every stamp of this transaction's action is made from, so the action's
    /// stamps count on from its first (see [`Event::part`]).
    wall_ms: Option<i64>,
    /// How many events this transaction has appended.
    parts: u32,
    /// Writes a great deal (see [`Writer::mark_large`]).
    large: bool,
    /// The page cache's size before a large write made it larger, to give back when it ends.
    cache_size_before: Option<i64>,
}

impl Writer<'_> {
    /// Commits. A large write's log is whole and durable at commit; moving it into the database
    /// is housekeeping, left to [`Store::checkpoint_apart`] so the commit returns without it.
    fn commit(self) -> Result<(), StoreError> {
        // The search index takes the deals waiting for it once enough wait, and at the end of a
        // large write (which adds many at once anyway): see [`search`].
        search::catch_up(&self.tx, if self.large { 1 } else { search::SEARCH_BATCH })?;
        if self.large {
            // Back on once that thread is done (see [`Store::write`]).
            self.tx.pragma_update(None, "wal_autocheckpoint", 0).map_err(StoreError::from_sqlite)?;
        }
        self.tx.commit().map_err(StoreError::from_sqlite)
    }

    /// Says this transaction writes a great deal (a new laptop taking in its agency, a rebuild):
    /// its commit returns once the log is durable, and a thread of its own moves the log into the
    /// database afterwards.
    pub fn mark_large(&mut self) {
        self.large = true;
        if self.cache_size_before.is_none() {
            let before: Option<i64> = self.tx.query_row("PRAGMA cache_size", [], |r| r.get(0)).ok();
            if let Some(before) = before {
                if self.tx.pragma_update(None, "cache_size", LARGE_WRITE_CACHE_SIZE).is_ok() {
                    self.cache_size_before = Some(before);
                }
            }
        }
    }

    /// The directory as of this transaction.
    pub fn directory(&mut self) -> Result<&Directory, StoreError> {
        if self.directory.is_none() {
            self.directory = Some(self.parsed_directory.load(&self.tx)?);
        }
        Ok(self.directory.as_ref().expect("just loaded"))
    }

    /// A deal as of this transaction.
    pub fn deal(&self, id: DealId) -> Result<Option<Deal>, StoreError> {
        projection::load_deal(&self.tx, id)
    }
    /// This installation's device id.
    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// The person who uses this installation, once chosen ("who am I on this laptop").
    pub fn me(&self) -> Result<Option<PersonId>, StoreError> {
        codec::me(&self.tx)
    }

    /// Chooses (or forgets) the person who uses this installation. A local setting, not an event.
    pub fn set_me(&mut self, person: Option<PersonId>) -> Result<(), StoreError> {
        self.me = Some(person);
        codec::set_me(&self.tx, person)
    }

    /// Sets (or, with `None`, forgets) a setting of this installation only: never an event,
    /// never synced — how its last sync went, for example.
    pub fn set_local(&mut self, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        codec::set_local_setting(&self.tx, key, value)
    }

    /// The connection inside the transaction, for queries.
    pub fn connection(&self) -> &Connection {
        &self.tx
    }

    /// Appends `bodies` as events of one action by `actor` that happened at `occurred_at`,
    /// recorded at `now`, and folds each into the read tables. If the fold refuses any of them,
    /// the error is returned and the caller's transaction writes nothing.
    pub fn append(
        &mut self,
        actor: Option<PersonId>,
        occurred_at: DateTime<Utc>,
        now: DateTime<Utc>,
        bodies: Vec<EventBody>,
    ) -> Result<Vec<Event>, StoreError> {
        let mut directory = match self.directory.take() {
            Some(d) => d,
            None => self.parsed_directory.load(&self.tx)?,
        };
        let mut last = match self.hlc {
            Some(h) => h,
            None => codec::last_hlc(&self.tx)?,
        };
        let now_ms = *self.wall_ms.get_or_insert(now.timestamp_millis());
        let recorded_by = match self.me {
            Some(me) => me,
            None => *self.me.insert(codec::me(&self.tx)?),
        };
        let mut out = Vec::with_capacity(bodies.len());
        let result = (|| {
            for body in bodies {
                last = Hlc::next(last, now_ms);
                let event = Event {
                    id: EventId::from_uuid(Uuid::now_v7()),
                    device: self.device,
                    actor,
                    recorded_by,
                    occurred_at: occurred_at.trunc_subsecs(6),
                    recorded_at: now.trunc_subsecs(6),
                    hlc: last,
                    part: self.parts,
                    version: body.version(),
                    body,
                };
                self.parts += 1;
                codec::insert_event(&self.tx, &event)?;
                projection::apply(&self.tx, &mut directory, &event)?;
                out.push(event);
            }
            Ok(())
        })();
        self.directory = Some(directory);
        self.hlc = Some(last);
        result.map(|()| out)
    }
}

#[cfg(test)]
mod tests;
