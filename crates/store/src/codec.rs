//! Event rows: how an [`Event`] is written to and read from the `events` table.

use chrono::{DateTime, SecondsFormat, Utc};
use handoff_domain::event::{Event, EventBody, EVENT_VERSION};
use handoff_domain::hlc::Hlc;
use handoff_domain::ids::PersonId;
use rusqlite::{Connection, OptionalExtension, Row};

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
pub(crate) fn keepable(t: DateTime<Utc>) -> bool {
    use chrono::Datelike;
    t >= DateTime::UNIX_EPOCH && t.year() <= 9999
}

/// An event as the log stores it, column for column: what travels between laptops and what
/// "the same event" means (every column equal). The body stays the text it was recorded as, so
/// an event of a newer version of Handoff is kept as received even where this build cannot read
/// it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawEvent {
    pub id: String,
    pub device: String,
    pub actor: Option<String>,
    pub recorded_by: Option<String>,
    pub occurred_at: String,
    pub recorded_at: String,
    pub hlc: String,
    pub part: u32,
    pub version: u16,
    pub kind: String,
    pub deal: Option<String>,
    pub payload: String,
}

/// Why a stored event does not fold here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unfoldable {
    /// Recorded by a newer Handoff (this version).
    Newer(u16),
    /// Damaged, or not an event at all.
    Bad(String),
}

impl RawEvent {
    /// The stored form of `e`.
    pub fn of(e: &Event) -> RawEvent {
        RawEvent {
            id: e.id.to_string(),
            device: e.device.to_string(),
            actor: e.actor.map(|a| a.to_string()),
            recorded_by: e.recorded_by.map(|p| p.to_string()),
            occurred_at: time_text(e.occurred_at),
            recorded_at: time_text(e.recorded_at),
            hlc: e.hlc.to_string(),
            part: e.part,
            version: e.version,
            kind: e.body.name().to_string(),
            deal: e.body.deal().map(|d| d.to_string()),
            payload: serde_json::to_string(&e.body).expect("events always serialise"),
        }
    }

    /// The event, where this build can read it; its columns agree with its body.
    pub fn event(&self) -> Result<Event, Unfoldable> {
        let bad = |what: String| Unfoldable::Bad(format!("event {}: {what}", self.id));
        fn parse<T: std::str::FromStr>(id: &str, what: &str, text: &str) -> Result<T, Unfoldable> {
            text.parse().map_err(|_| Unfoldable::Bad(format!("event {id}: its {what} \"{text}\" cannot be read")))
        }
        let id = self.id.as_str();
        let hlc: Hlc = parse(id, "clock stamp", &self.hlc)?;
        if self.part > hlc.counter {
            return Err(bad(format!("its part {} comes before its action began", self.part)));
        }
        if self.version > EVENT_VERSION {
            return Err(Unfoldable::Newer(self.version));
        }
        let body: EventBody = serde_json::from_str(&self.payload).map_err(|e| bad(e.to_string()))?;
        if body.name() != self.kind || body.deal().map(|d| d.to_string()) != self.deal {
            return Err(bad("its kind or deal does not match its content".into()));
        }
        let time =
            |what: &str, text: &str| parse_time(text).map_err(|_| bad(format!("its {what} \"{text}\" is not a time")));
        Ok(Event {
            id: parse(id, "id", id)?,
            device: parse(id, "device", &self.device)?,
            actor: self.actor.as_deref().map(|a| parse(id, "actor", a)).transpose()?,
            recorded_by: self.recorded_by.as_deref().map(|a| parse(id, "recorder", a)).transpose()?,
            occurred_at: time("time", &self.occurred_at)?,
            recorded_at: time("recording time", &self.recorded_at)?,
            hlc,
            part: self.part,
            version: self.version,
            body,
        })
    }

    pub(crate) fn read(row: &Row<'_>) -> rusqlite::Result<RawEvent> {
        Ok(RawEvent {
            id: row.get(0)?,
            device: row.get(1)?,
            actor: row.get(2)?,
            occurred_at: row.get(3)?,
            recorded_at: row.get(4)?,
            hlc: row.get(5)?,
            version: row.get(6)?,
            payload: row.get(7)?,
            recorded_by: row.get(8)?,
            part: row.get(9)?,
            kind: row.get(10)?,
            deal: row.get(11)?,
        })
    }
}

pub(crate) fn insert_event(conn: &Connection, e: &Event) -> Result<(), StoreError> {
    // The last guard: whatever a front end let through, the log never takes what it cannot read back.
    if !keepable(e.occurred_at) || !keepable(e.recorded_at) {
        return Err(StoreError::UnreadableEvent(format!(
            "event {} happened at {} (recorded at {}): the log keeps times from 1970 to the year 9999 only; nothing was written",
            e.id, e.occurred_at, e.recorded_at
        )));
    }
    insert_raw(conn, &RawEvent::of(e))
}

/// The statement that writes one event, with `$tail` after it.
macro_rules! insert_event {
    ($tail:literal) => {
        concat!(
            "INSERT INTO events (id, device, actor, occurred_at, recorded_at, hlc, kind, version, deal, payload, recorded_by, part)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            $tail
        )
    };
}

pub(crate) fn insert_raw(conn: &Connection, e: &RawEvent) -> Result<(), StoreError> {
    conn.prepare_cached(insert_event!(""))?.execute(&raw_params(e)[..])?;
    Ok(())
}

/// Inserts `e` unless an event with its id is held already; says whether it was inserted.
pub(crate) fn insert_raw_if_new(conn: &Connection, e: &RawEvent) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached(insert_event!(" ON CONFLICT (id) DO NOTHING"))?.execute(&raw_params(e)[..])? == 1)
}

fn raw_params(e: &RawEvent) -> [&dyn rusqlite::ToSql; 12] {
    [
        &e.id,
        &e.device,
        &e.actor,
        &e.occurred_at,
        &e.recorded_at,
        &e.hlc,
        &e.kind,
        &e.version,
        &e.deal,
        &e.payload,
        &e.recorded_by,
        &e.part,
    ]
}

/// The event stored under `id`, if any.
pub(crate) fn raw_event(conn: &Connection, id: &str) -> Result<Option<RawEvent>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"))?
        .query_row([id], RawEvent::read)
        .optional()?)
}

/// The columns [`read_event`] and [`RawEvent::read`] expect, in order.
pub(crate) const EVENT_COLUMNS: &str =
    "id, device, actor, occurred_at, recorded_at, hlc, version, payload, recorded_by, part, kind, deal";

pub(crate) fn read_event(row: &Row<'_>) -> rusqlite::Result<Result<Event, String>> {
    Ok(RawEvent::read(row)?.event().map_err(|e| match e {
        Unfoldable::Newer(version) => {
            format!("event {} has version {version}", row.get::<_, String>(0).unwrap_or_default())
        }
        Unfoldable::Bad(why) => why,
    }))
}

/// The stored events `sql` selects (with [`EVENT_COLUMNS`]), as stored.
pub(crate) fn query_raw<P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> Result<Vec<RawEvent>, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, RawEvent::read)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The clock's last stamp: the later of the one kept in `meta` and the log's last event's. An
/// action's own events are stamped in order, so its last event carries the clock and its commit
/// writes nothing more for it (a page of the log less per action); only taking in other laptops'
/// events, whose last need not be the latest, keeps the clock in `meta` ([`set_last_hlc`]).
pub(crate) fn last_hlc(conn: &Connection) -> Result<Hlc, StoreError> {
    let kept: Option<String> =
        conn.prepare_cached("SELECT value FROM meta WHERE key = 'hlc'")?.query_row([], |r| r.get(0)).optional()?;
    let last_event: Option<String> = conn
        .prepare_cached("SELECT hlc FROM events ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let stamp = |text: Option<String>| text.and_then(|t| t.parse::<Hlc>().ok()).unwrap_or_default();
    Ok(stamp(kept).max(stamp(last_event)))
}

/// Keeps `hlc` as the clock's last stamp (see [`last_hlc`]).
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

/// A setting of this installation only (never an event, never synced): in `meta`.
pub(crate) fn local_setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

pub(crate) fn set_local_setting(conn: &Connection, key: &str, value: Option<&str>) -> Result<(), StoreError> {
    match value {
        Some(v) => conn
            .prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, v])?,
        None => conn.prepare_cached("DELETE FROM meta WHERE key = ?1")?.execute([key])?,
    };
    Ok(())
}
