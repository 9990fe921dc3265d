//! Event rows: how an [`Event`] is written to and read from the `events` table.

use chrono::{DateTime, SecondsFormat, Utc};
use handoff_domain::event::{Event, EventBody, EVENT_VERSION};
use handoff_domain::hlc::Hlc;
use handoff_domain::ids::PersonId;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::StoreError;

/// Instants are stored as fixed-width RFC 3339 UTC text with microseconds, so text order is
/// time order: `2026-03-03T10:00:00.000000Z`.
pub(crate) fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_time(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// The instants the log keeps: its text form sorts and reads back only from 1970 to the year 9999.
fn keepable(t: DateTime<Utc>) -> bool {
    use chrono::Datelike;
    t >= DateTime::UNIX_EPOCH && t.year() <= 9999
}

pub(crate) fn insert_event(conn: &Connection, e: &Event) -> Result<(), StoreError> {
    // The last guard: whatever a front end let through, the log never takes what it cannot read back.
    if !keepable(e.occurred_at) || !keepable(e.recorded_at) {
        return Err(StoreError::UnreadableEvent(format!(
            "event {} happened at {} (recorded at {}): the log keeps times from 1970 to the year 9999 only; nothing was written",
            e.id, e.occurred_at, e.recorded_at
        )));
    }
    let payload = serde_json::to_string(&e.body).expect("events always serialise");
    conn.prepare_cached(
        "INSERT INTO events (id, device, actor, occurred_at, recorded_at, hlc, kind, version, deal, payload, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        e.id.to_string(),
        e.device.to_string(),
        e.actor.map(|a| a.to_string()),
        time_text(e.occurred_at),
        time_text(e.recorded_at),
        e.hlc.to_string(),
        e.body.name(),
        e.version,
        e.body.deal().map(|d| d.to_string()),
        payload,
        e.recorded_by.map(|p| p.to_string()),
    ])?;
    Ok(())
}

/// The columns [`read_event`] expects, in order.
pub(crate) const EVENT_COLUMNS: &str =
    "id, device, actor, occurred_at, recorded_at, hlc, version, payload, recorded_by";

fn text_err(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

pub(crate) fn read_event(row: &Row<'_>) -> rusqlite::Result<Result<Event, String>> {
    let id: String = row.get(0)?;
    let version: u16 = row.get(6)?;
    if version > EVENT_VERSION {
        return Ok(Err(format!("event {id} has version {version}")));
    }
    let payload: String = row.get(7)?;
    let body: EventBody = match serde_json::from_str(&payload) {
        Ok(b) => b,
        Err(e) => return Ok(Err(format!("event {id}: {e}"))),
    };
    let actor: Option<String> = row.get(2)?;
    let recorded_by: Option<String> = row.get(8)?;
    Ok(Ok(Event {
        id: id.parse().map_err(text_err)?,
        device: row.get::<_, String>(1)?.parse().map_err(text_err)?,
        actor: actor.map(|a| a.parse()).transpose().map_err(text_err)?,
        recorded_by: recorded_by.map(|a| a.parse()).transpose().map_err(text_err)?,
        occurred_at: parse_time(&row.get::<_, String>(3)?)?,
        recorded_at: parse_time(&row.get::<_, String>(4)?)?,
        hlc: row.get::<_, String>(5)?.parse().map_err(text_err)?,
        version,
        body,
    }))
}

/// Every event, in fold order: by clock stamp, then id (the same order on every device).
pub(crate) fn all_events(conn: &Connection) -> Result<Vec<Event>, StoreError> {
    query_events(conn, &format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY hlc, id"), [])
}

pub(crate) fn query_events<P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, read_event)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row?.map_err(StoreError::UnreadableEvent)?);
    }
    Ok(out)
}

pub(crate) fn last_hlc(conn: &Connection) -> Result<Hlc, StoreError> {
    let text: Option<String> =
        conn.prepare_cached("SELECT value FROM meta WHERE key = 'hlc'")?.query_row([], |r| r.get(0)).optional()?;
    Ok(text.and_then(|t| t.parse().ok()).unwrap_or_default())
}

pub(crate) fn set_last_hlc(conn: &Connection, hlc: Hlc) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('hlc', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([hlc.to_string()])?;
    Ok(())
}

/// The person who uses this installation ("who am I on this laptop"): a local setting in `meta`,
/// never in the event log, so each laptop keeps its own.
pub(crate) fn me(conn: &Connection) -> Result<Option<PersonId>, StoreError> {
    let text: Option<String> =
        conn.prepare_cached("SELECT value FROM meta WHERE key = 'me'")?.query_row([], |r| r.get(0)).optional()?;
    Ok(text.and_then(|t| t.parse().ok()))
}

pub(crate) fn set_me(conn: &Connection, person: Option<PersonId>) -> Result<(), StoreError> {
    match person {
        Some(p) => conn
            .prepare_cached(
                "INSERT INTO meta (key, value) VALUES ('me', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([p.to_string()])?,
        None => conn.prepare_cached("DELETE FROM meta WHERE key = 'me'")?.execute([])?,
    };
    Ok(())
}
