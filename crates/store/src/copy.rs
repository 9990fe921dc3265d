//! Whole copies of the database: a consistent backup of the live file (SQLite's online backup,
//! safe while another process writes), a restore that replaces the whole content in one step
//! after checking the copy, the read tables and the log as plain rows for an export, and the log
//! taken in as it was written elsewhere.

use std::path::Path;

use handoff_domain::directory::Directory;
use handoff_domain::event::Event;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use crate::{codec, projection, schema, Store, StoreError};

/// The read tables, in the order an export writes them.
pub use crate::projection::READ_TABLES;

/// What a restore took in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    /// The events in the restored log.
    pub events: i64,
    /// The schema version the copy had before it was brought up to date.
    pub from_version: i64,
}

/// Copies every page of `from` into `to` in one step, under one read lock of `from`: the copy is
/// the database as of one instant, whatever other processes write meanwhile.
fn copy_all(from: &Connection, to: &mut Connection) -> Result<(), StoreError> {
    let backup = Backup::new(from, to)?;
    match backup.step(-1)? {
        StepResult::Done => Ok(()),
        // A step of -1 pages copies them all; anything else means another process held a lock.
        _ => Err(StoreError::Busy),
    }
}

/// Copies `from` into a new database at `to` (see [`copy_all`]) and flushes it to disk.
fn copy_into(from: &Connection, to: &Path) -> Result<(), StoreError> {
    let mut target = Connection::open(to)?;
    copy_all(from, &mut target)?;
    // The copy is a database of its own: its log folded into its own file, not a WAL beside it.
    target.pragma_update(None, "journal_mode", "DELETE")?;
    drop(target);
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Unreadable(to.to_path_buf(), format!("the copy could not be flushed to disk: {e}")))?;
    Ok(())
}

/// Writes a consistent copy of the whole Handoff database at `db` to `to` (a new or empty file),
/// flushed to disk, through a connection of its own: whoever holds the database's [`Store`] goes
/// on reading and writing meanwhile (the copy reads one instant of the log, and a reader and the
/// writer never wait for each other), however long a large agency takes to copy.
pub fn backup_file(db: &Path, to: &Path) -> Result<(), StoreError> {
    // Never makes a file: only an existing database is copied.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let from =
        Connection::open_with_flags(db, flags).map_err(|e| StoreError::Unreadable(db.to_path_buf(), e.to_string()))?;
    from.busy_timeout(std::time::Duration::from_millis(crate::BUSY_TIMEOUT_MS))?;
    schema::check_handoff(&from, db)?;
    copy_into(&from, to)
}

impl Store {
    /// Writes a consistent copy of the whole database to `to` (a new or empty file), flushed to
    /// disk, through this store's own connection (nothing else is written while it copies; see
    /// [`backup_file`] for a copy beside a store in use).
    pub fn backup_to(&self, to: &Path) -> Result<(), StoreError> {
        copy_into(&self.conn, to)
    }

    /// Replaces the whole content of this database with the Handoff database at `source`, in one
    /// step that other processes see whole. `source` is never changed: it is first copied to
    /// `scratch` (a new or empty file), where it must be a Handoff database no newer than this
    /// build, sound, and its log must fold; an older one is brought up to date there. This
    /// laptop's own settings (its device id, who uses it, its clock) are kept. Once the copy has
    /// passed every check, and before anything here changes, `keep` is called with this database
    /// (to keep it as it was); the restore goes on only if it succeeds.
    pub fn restore_from<E: From<StoreError>>(
        &mut self,
        source: &Path,
        scratch: &Path,
        keep: impl FnOnce(&Store) -> Result<(), E>,
    ) -> Result<Restored, E> {
        let from_version = self.prepare_restore(source, scratch)?;
        keep(self)?;
        Ok(self.replace_with(scratch, from_version)?)
    }

    /// Copies `source` to `scratch` and makes it ready to replace this database (see
    /// [`Store::restore_from`]); returns its schema version before it was brought up to date.
    fn prepare_restore(&self, source: &Path, scratch: &Path) -> Result<i64, StoreError> {
        let from_version = {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let unreadable = |e: rusqlite::Error| StoreError::Unreadable(source.to_path_buf(), e.to_string());
            let src = Connection::open_with_flags(source, flags).map_err(unreadable)?;
            let version = schema::check_handoff(&src, source)?;
            let mut copy = Connection::open(scratch)?;
            copy_all(&src, &mut copy).map_err(|e| match e {
                StoreError::Sqlite(e) => unreadable(e),
                e => e,
            })?;
            copy.pragma_update(None, "journal_mode", "DELETE")?;
            version
        };
        let (device, me, hlc) = (self.device, codec::me(&self.conn)?, codec::last_hlc(&self.conn)?);
        let mut copy = Store::open(scratch, false)?;
        let integrity = copy.integrity_check()?;
        if integrity != "ok" {
            return Err(StoreError::Unreadable(
                source.to_path_buf(),
                format!("the copy is damaged ({integrity}); nothing was restored"),
            ));
        }
        copy.rebuild()?;
        copy.write(|w| {
            let tx = &w.tx;
            tx.execute("UPDATE meta SET value = ?1 WHERE key = 'device'", [device.to_string()])?;
            let known = me.filter(|p| projection::load_directory(tx).is_ok_and(|d: Directory| d.person(*p).is_some()));
            codec::set_me(tx, known)?;
            codec::set_last_hlc(tx, hlc.max(codec::last_hlc(tx)?))?;
            Ok::<_, StoreError>(())
        })?;
        Ok(from_version)
    }

    /// Replaces this database's content with the prepared copy at `scratch`, in one step.
    fn replace_with(&mut self, scratch: &Path, from_version: i64) -> Result<Restored, StoreError> {
        let copy = Connection::open_with_flags(scratch, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        copy_all(&copy, &mut self.conn)?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        let events = crate::query::event_count(&self.conn)?;
        Ok(Restored { events, from_version })
    }
}

/// The number of events in the Handoff database at `path`, read without changing it.
pub fn event_count_of(path: &Path) -> Result<i64, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Unreadable(path.to_path_buf(), e.to_string()))?;
    schema::check_handoff(&conn, path)?;
    crate::query::event_count(&conn)
}

/// Calls `row` with the column names of read table `table`, then with each of its rows in key
/// order, every value as text (a missing value as an empty string).
pub fn each_row<E: From<StoreError>>(
    conn: &Connection,
    table: &str,
    mut row: impl FnMut(&[String]) -> Result<(), E>,
) -> Result<(), E> {
    if !READ_TABLES.contains(&table) {
        return Err(StoreError::UnreadableEvent(format!("{table} is not a read table")).into());
    }
    let sql = |e: rusqlite::Error| E::from(StoreError::from(e));
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1")).map_err(sql)?;
    let header: Vec<String> = stmt.column_names().map(String::from).collect();
    row(&header)?;
    let n = header.len();
    let mut rows = stmt.query([]).map_err(sql)?;
    let mut cells = vec![String::new(); n];
    while let Some(r) = rows.next().map_err(sql)? {
        for (i, cell) in cells.iter_mut().enumerate() {
            cell.clear();
            match r.get_ref(i).map_err(sql)? {
                rusqlite::types::ValueRef::Null => {}
                rusqlite::types::ValueRef::Integer(v) => cell.push_str(&v.to_string()),
                rusqlite::types::ValueRef::Real(v) => cell.push_str(&v.to_string()),
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                    cell.push_str(&String::from_utf8_lossy(t))
                }
            }
        }
        row(&cells)?;
    }
    Ok(())
}

/// Calls `each` with every event of the log in fold order.
pub fn each_event<E: From<StoreError>>(
    conn: &Connection,
    mut each: impl FnMut(&Event) -> Result<(), E>,
) -> Result<(), E> {
    let sql = |e: rusqlite::Error| E::from(StoreError::from(e));
    let mut stmt =
        conn.prepare(&format!("SELECT {} FROM events ORDER BY hlc, id", codec::EVENT_COLUMNS)).map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(r) = rows.next().map_err(sql)? {
        let event = codec::read_event(r).map_err(sql)?.map_err(|e| E::from(StoreError::UnreadableEvent(e)))?;
        each(&event)?;
    }
    Ok(())
}

impl crate::Writer<'_> {
    /// Takes in events exactly as they were written elsewhere (their ids, devices, times and clock
    /// stamps kept), folding each into the read tables. The caller's transaction writes nothing
    /// if the fold refuses one; the error says which (its position, from 1).
    pub fn take_in(&mut self, events: &[Event]) -> Result<(), (usize, StoreError)> {
        let mut directory = self.parsed_directory.load(&self.tx).map_err(|e| (0, e))?;
        let mut last = codec::last_hlc(&self.tx).map_err(|e| (0, e))?;
        for (n, event) in events.iter().enumerate() {
            codec::insert_event(&self.tx, event).map_err(|e| (n + 1, e))?;
            projection::apply(&self.tx, &mut directory, event).map_err(|e| (n + 1, e))?;
            last = last.max(event.hlc);
        }
        // The last event taken in need not carry the latest stamp: the clock is kept apart.
        codec::set_last_hlc(&self.tx, last).map_err(|e| (0, e))?;
        self.directory = Some(directory);
        self.hlc = Some(last);
        Ok(())
    }
}
