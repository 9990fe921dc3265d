//! The agency owns its data: a backup of the whole database at any moment (consistent while the
//! app is open), a restore that keeps the database it replaces beside it, an automatic daily
//! backup in the data folder keeping the last seven, every read table as CSV and the whole log as
//! JSON lines, and that log taken into a new database.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use handoff_domain::event::{Event, EventBody};
use handoff_store::copy::{each_event, each_row, READ_TABLES};
use handoff_store::query;

use crate::dto::*;
use crate::safe_file::{check_target, write_atomically, write_failed, ScratchDatabase};
use crate::{ApiError, Ctx, ErrorCode};

/// How many daily backups are kept.
pub const DAILY_BACKUPS_KEPT: usize = 7;

/// The longest line of a log export taken in (an event is a few kilobytes at most).
const MAX_EVENT_LINE_BYTES: u64 = 4 * 1024 * 1024;

/// The file the whole log is exported to.
pub const EVENTS_FILE: &str = "events.jsonl";

fn made(path: &Path, events: i64, made_at: DateTime<Utc>) -> BackupDto {
    BackupDto {
        path: path.display().to_string(),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        events: events.max(0) as u64,
        made_at,
    }
}

/// Writes a consistent copy of the whole database to `req.out`: a Handoff database that
/// [`restore`] takes back. Never over an existing file unless `req.force`. The copy is read
/// through a connection of its own: the app's screens and actions go on meanwhile (the daily
/// backup of a large agency takes a while), and it holds the log as of one instant.
pub fn backup(ctx: &Ctx, req: BackupRequest) -> Result<BackupDto, ApiError> {
    let (db, read_only) = {
        let store = ctx.store();
        (store.path().to_path_buf(), store.is_read_only())
    };
    write_atomically(&req.out, req.force, |tmp| {
        if read_only {
            // Nothing writes through a read-only store (a copy on a read-only shelf, which a
            // second connection may not even open): its own connection reads the copy.
            ctx.store().backup_to(tmp.path())?;
        } else {
            handoff_store::copy::backup_file(&db, tmp.path())?;
        }
        Ok(())
    })?;
    // The events the copy holds, counted in the copy.
    let events = handoff_store::copy::event_count_of(&req.out)?;
    Ok(made(&req.out, events, ctx.now()))
}

/// Where the daily backups of the database at `db` are kept: `backups/` beside it.
pub fn backups_folder(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("backups")
}

/// The daily backups kept, newest first.
fn daily_backup_files(folder: &Path) -> Vec<PathBuf> {
    let is_daily = |name: &str| {
        name.strip_prefix("handoff-")
            .and_then(|rest| rest.strip_suffix(".db"))
            .is_some_and(|date| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok())
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter(|e| e.file_name().to_str().is_some_and(is_daily))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.reverse();
    files
}

/// Makes today's backup in the data folder when there is none yet (`handoff-YYYY-MM-DD.db`, the
/// agency's local date), and removes the daily backups older than the last
/// [`DAILY_BACKUPS_KEPT`]. Returns the backup made, if one was.
pub fn daily_backup(ctx: &Ctx) -> Result<Option<BackupDto>, ApiError> {
    let now = ctx.now();
    let (db, today) = {
        let mut store = ctx.store();
        let dir = store.read(query::directory)?;
        let today = match dir.agency() {
            Ok(agency) => agency.calendar.local_date(now),
            Err(_) => return Ok(None), // no agency yet: nothing worth keeping
        };
        (store.path().to_path_buf(), today)
    };
    let folder = backups_folder(&db);
    let out = folder.join(format!("handoff-{}.db", today.format("%Y-%m-%d")));
    let made_now = if out.exists() {
        None
    } else {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&folder).map_err(|e| write_failed(&folder, e))?;
        Some(backup(ctx, BackupRequest { out, force: false })?)
    };
    for old in daily_backup_files(&folder).into_iter().skip(DAILY_BACKUPS_KEPT) {
        std::fs::remove_file(&old).map_err(|e| {
            ApiError::new(ErrorCode::Storage, format!("cannot remove the old backup {}: {e}", old.display()))
        })?;
    }
    Ok(made_now)
}

/// The daily backups kept in the data folder, newest first.
pub fn backups(ctx: &Ctx) -> Result<Vec<BackupDto>, ApiError> {
    let db = ctx.store().path().to_path_buf();
    Ok(daily_backup_files(&backups_folder(&db))
        .into_iter()
        .map(|path| {
            let events = handoff_store::copy::event_count_of(&path).unwrap_or(0);
            // How long ago the file was written, by the system's clock, counted back from the
            // context's clock: under a clock offset (the one in force now), on the day its name
            // says, not the system's.
            let now = ctx.now();
            let made_at = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| {
                    let age = std::time::SystemTime::now().duration_since(modified).unwrap_or_default();
                    now.checked_sub_signed(chrono::Duration::from_std(age).ok()?)
                })
                .unwrap_or(now);
            made(&path, events, made_at)
        })
        .collect())
}

/// Replaces the whole database with the backup at `from`, after checking it (a Handoff database
/// no newer than this build, sound, its log folding; an older one is brought up to date). The
/// database as it was is first kept beside it as `NAME.before-restore-YYYYMMDD-HHMMSS.db`. The
/// backup file itself is never changed. This laptop's own settings (who uses it) are kept.
pub fn restore(ctx: &Ctx, from: &Path) -> Result<RestoreResponse, ApiError> {
    if !from.is_file() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("{} is not a file: name a Handoff backup", from.display()),
        ));
    }
    let mut store = ctx.store();
    let db = store.path().to_path_buf();
    if same_file(from, &db) {
        return Err(ApiError::invalid(format!("{} is the database itself: name a backup of it", from.display())));
    }
    let folder = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let stem = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "handoff".into());
    let stamp = ctx.now().format("%Y%m%d-%H%M%S").to_string();
    let kept = (1..)
        .map(|n| match n {
            1 => folder.join(format!("{stem}.before-restore-{stamp}.db")),
            n => folder.join(format!("{stem}.before-restore-{stamp}-{n}.db")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .expect("some name is free");
    // The copy is checked before anything changes, in a scratch file beside the database.
    let scratch = ScratchDatabase::in_folder(&folder, "restore")?;
    let restored = store.restore_from(from, scratch.path(), |current| {
        write_atomically(&kept, false, |tmp| Ok(current.backup_to(tmp.path())?))
    })?;
    Ok(RestoreResponse {
        restored_from: from.display().to_string(),
        kept_as: kept.display().to_string(),
        events: restored.events.max(0) as u64,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes every read table as `TABLE.csv` (a header, then one row per record, as of one instant)
/// and the whole log as [`EVENTS_FILE`] (one JSON event per line, in fold order) into `req.dir`,
/// made when missing. Refuses to replace files of the same names unless `req.force`.
pub fn export_all(ctx: &Ctx, req: ExportAllRequest) -> Result<ExportAllResponse, ApiError> {
    let dir = &req.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(ApiError::invalid(format!("{} is not a folder: name a folder to export into", dir.display())));
    }
    std::fs::create_dir_all(dir).map_err(|e| write_failed(dir, e))?;
    let names: Vec<String> = READ_TABLES.iter().map(|t| format!("{t}.csv")).chain([EVENTS_FILE.to_string()]).collect();
    for name in &names {
        check_target(&dir.join(name), req.force)?;
    }
    let mut files = Vec::new();
    ctx.store().read(|conn| {
        for table in READ_TABLES {
            let name = format!("{table}.csv");
            let out = dir.join(&name);
            let mut rows = 0u64;
            write_atomically(&out, req.force, |tmp| {
                let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(tmp.as_file_mut()));
                let mut header = true;
                each_row(conn, table, |cells| {
                    csv.write_record(cells).map_err(|e| write_failed(&out, e))?;
                    rows += u64::from(!std::mem::take(&mut header));
                    Ok::<_, ApiError>(())
                })?;
                csv.flush().map_err(|e| write_failed(&out, e))
            })?;
            files.push(ExportedFile { name, rows });
        }
        let out = dir.join(EVENTS_FILE);
        let mut rows = 0u64;
        write_atomically(&out, req.force, |tmp| {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            each_event(conn, |event| {
                serde_json::to_writer(&mut w, event).map_err(|e| write_failed(&out, e))?;
                w.write_all(b"\n").map_err(|e| write_failed(&out, e))?;
                rows += 1;
                Ok::<_, ApiError>(())
            })?;
            w.flush().map_err(|e| write_failed(&out, e))
        })?;
        files.push(ExportedFile { name: EVENTS_FILE.to_string(), rows });
        Ok::<_, ApiError>(())
    })?;
    Ok(ExportAllResponse { dir: dir.display().to_string(), files })
}

/// Takes the log of an export ([`EVENTS_FILE`], one JSON event per line) into this database,
/// which must hold no events yet: every event as it was written (ids, devices, times, clock
/// stamps), folded into the read tables, all or nothing.
pub fn import_events(ctx: &Ctx, path: &Path) -> Result<ImportEventsResponse, ApiError> {
    let source = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| ApiError::invalid(format!("cannot read {source}: {e}")))?;
    import_events_from(ctx, &source, file)
}

/// [`import_events`] from any reader; `source` names it in messages.
pub fn import_events_from(ctx: &Ctx, source: &str, from: impl Read) -> Result<ImportEventsResponse, ApiError> {
    let events = read_events(source, from)?;
    match events.first() {
        None => return Err(ApiError::invalid(format!("{source} holds no events: name the {EVENTS_FILE} of an export"))),
        Some(first) if !matches!(first.body, EventBody::AgencyCreated { .. }) => {
            return Err(ApiError::invalid(format!(
                "{source}, line 1: a log begins with the agency being created, this one with {}; name the whole {EVENTS_FILE} of an export",
                first.body.name()
            )))
        }
        Some(_) => {}
    }
    let mut store = ctx.store();
    let held = query::event_count(store.connection())?;
    if held > 0 {
        return Err(ApiError::new(
            ErrorCode::Refused,
            format!(
                "this database already holds {held} events: a log is taken only into a new, empty database; nothing was imported"
            ),
        ));
    }
    store.write(|w| {
        w.take_in(&events).map_err(|(n, e)| {
            let e = ApiError::from(e);
            ApiError::new(e.code, format!("{source}, event {n}: {}; nothing was imported", e.message))
        })
    })?;
    let deals = query::deal_count(store.connection())?;
    Ok(ImportEventsResponse { events: events.len() as u64, deals })
}

fn read_events(source: &str, from: impl Read) -> Result<Vec<Event>, ApiError> {
    let mut reader = BufReader::new(from);
    let mut events = Vec::new();
    let mut line = String::new();
    for n in 1.. {
        line.clear();
        let read = (&mut reader).take(MAX_EVENT_LINE_BYTES + 1).read_line(&mut line).map_err(|e| {
            ApiError::invalid(format!(
                "{source}, line {n}: cannot be read as text ({e}): name the {EVENTS_FILE} of an export"
            ))
        })?;
        if read == 0 {
            break;
        }
        if read as u64 > MAX_EVENT_LINE_BYTES {
            return Err(ApiError::new(
                ErrorCode::TooLarge,
                format!(
                    "{source}, line {n}: longer than {} MB, which no event is; nothing was imported",
                    MAX_EVENT_LINE_BYTES / 1024 / 1024
                ),
            ));
        }
        let text = line.trim_end_matches(['\n', '\r']);
        let event: Event = serde_json::from_str(text).map_err(|e| {
            ApiError::invalid(format!("{source}, line {n}: not a Handoff event ({e}); nothing was imported"))
        })?;
        events.push(event);
    }
    Ok(events)
}
