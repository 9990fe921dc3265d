//! What sync carries the log by: each laptop's events numbered 1, 2, 3, … in the order that
//! laptop first offered them (gap-free, so "I hold up to 41 of laptop D" says exactly what is
//! missing), kept beside the log in `device_sequence`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::codec::{RawEvent, EVENT_COLUMNS};
use crate::import::{Intake, Received};
use crate::{Imported, Store, StoreError};

/// Events taken in at once beyond which a take-in is a large write (see [`crate::Writer::mark_large`]).
const LARGE_INTAKE: usize = 10_000;

/// One event as sync carries it: its laptop's sequence number and the event as stored (or, as
/// taken in, as received and checked).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sequenced<E = RawEvent> {
    pub seq: u64,
    pub event: E,
}

impl Sequenced {
    /// Checks the event where it arrived, ready to be taken in.
    pub fn received(self) -> Sequenced<Received> {
        Sequenced { seq: self.seq, event: Received::check(self.event) }
    }
}

impl Store {
    /// Numbers every event this laptop recorded that has no number yet, in fold order after the
    /// highest it has; returns the highest number of this laptop's events now.
    ///
    /// Only the log beyond the last numbering is read (see [`NUMBERED_THROUGH`]), so numbering
    /// costs what was recorded since, however long the log.
    pub fn number_own(&mut self) -> Result<u64, StoreError> {
        let device = self.device().to_string();
        if self.read(|c| Ok::<_, StoreError>(numbered_through(c, &device)? == crate::query::event_count(c)?))? {
            return self.read(|c| highest(c, &device));
        }
        self.write(|w| {
            let tx = w.connection();
            let first = highest(tx, &device)? + 1;
            let through = numbered_through(tx, &device)?;
            let unnumbered: Vec<String> = tx
                .prepare(
                    "SELECT e.id FROM events AS e LEFT JOIN device_sequence AS s ON s.event = e.id
                     WHERE e.seq > ?2 AND e.device = ?1 AND s.event IS NULL
                     ORDER BY e.hlc, e.id",
                )?
                .query_map(params![device, through], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut next = first;
            for id in unnumbered {
                tx.prepare_cached("INSERT INTO device_sequence (event, device, seq) VALUES (?1, ?2, ?3)")?
                    .execute(params![id, device, next as i64])?;
                next += 1;
            }
            let end = crate::query::event_count(tx)?;
            crate::codec::set_local_setting(tx, NUMBERED_THROUGH, Some(&format!("{device} {end}")))?;
            Ok(next - 1)
        })
    }

    /// This laptop's events numbered above `after`, at most `limit`, by number (see
    /// [`Store::number_own`]).
    pub fn numbered(&mut self, after: u64, limit: usize) -> Result<Vec<Sequenced>, StoreError> {
        let device = self.device().to_string();
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {}, s.seq FROM device_sequence AS s JOIN events ON events.id = s.event
                 WHERE s.device = ?1 AND s.seq > ?2 ORDER BY s.seq LIMIT ?3",
                EVENT_COLUMNS.split(", ").map(|c| format!("events.{c}")).collect::<Vec<_>>().join(", ")
            ))?;
            let rows = stmt.query_map(params![device, after as i64, limit as i64], |r| {
                Ok(Sequenced { event: RawEvent::read(r)?, seq: r.get::<_, i64>(12)? as u64 })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Numbers what has no number yet, then returns this laptop's events numbered above
    /// `after`, at most `limit`.
    pub fn offer(&mut self, after: u64, limit: usize) -> Result<Vec<Sequenced>, StoreError> {
        self.number_own()?;
        self.numbered(after, limit)
    }

    /// The highest number held of each laptop: where the next pull starts.
    pub fn cursors(&mut self) -> Result<BTreeMap<String, u64>, StoreError> {
        self.read(|c| {
            // Each laptop found by a step through the (device, seq) index, and its highest number
            // read at the end of its run: as many lookups as laptops, not a read of every number.
            let mut stmt = c.prepare(
                "WITH RECURSIVE laptops (device) AS (
                     SELECT min(device) FROM device_sequence
                     UNION ALL
                     SELECT (SELECT min(device) FROM device_sequence WHERE device > laptops.device)
                     FROM laptops WHERE laptops.device IS NOT NULL
                 )
                 SELECT device, (SELECT max(seq) FROM device_sequence AS s WHERE s.device = laptops.device)
                 FROM laptops WHERE device IS NOT NULL",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Takes in numbered events (see [`Store::import`]) and keeps each one's number as its
    /// laptop's, in one transaction with one refold. A number already held for another event
    /// refuses the whole batch.
    pub fn import_sequenced(&mut self, events: &[Sequenced], now: DateTime<Utc>) -> Result<Imported, StoreError> {
        let page = events.iter().cloned().map(Sequenced::received).collect();
        let mut pages = std::iter::once(Ok::<_, StoreError>(page));
        Ok(self.take_in(&mut pages, usize::MAX, now)?.0)
    }

    /// Takes in pages of numbered events as they arrive (see [`Store::import_sequenced`]), in
    /// one transaction folded once at the end; after `at_most` events it stops taking pages and
    /// commits. Returns what was taken in, and whether `pages` may hold more. A page that fails
    /// to arrive leaves nothing taken in.
    pub fn take_in<E: From<StoreError>>(
        &mut self,
        pages: &mut dyn Iterator<Item = Result<Vec<Sequenced<Received>>, E>>,
        at_most: usize,
        now: DateTime<Utc>,
    ) -> Result<(Imported, bool), E> {
        self.write(|w| {
            let tx = w.connection();
            let mut intake = Intake::begin(tx)?;
            let mut taken = 0;
            let mut more = true;
            while more && taken < at_most {
                let Some(page) = pages.next() else {
                    more = false;
                    break;
                };
                let (numbered, reads): (Vec<Sequenced>, Vec<_>) = page?
                    .into_iter()
                    .map(|Sequenced { seq, event }| {
                        let (raw, read) = event.into_parts();
                        (Sequenced { seq, event: raw }, read)
                    })
                    .unzip();
                intake.take(tx, numbered.iter().map(|e| &e.event).zip(reads), now)?;
                number(tx, &numbered)?;
                taken += numbered.len();
            }
            // Marked before the fold: a large intake's refold uses the large write's page cache.
            if taken >= LARGE_INTAKE {
                w.mark_large();
            }
            let imported = intake.finish(w.connection())?;
            Ok((imported, more))
        })
    }

    /// How many of this laptop's own events no hub has confirmed: those above `confirmed`.
    ///
    /// Counted from what waits alone (the events numbered above `confirmed`, and those recorded
    /// since the last numbering), so it costs the same however long the log.
    pub fn waiting(&mut self, confirmed: u64) -> Result<u64, StoreError> {
        let device = self.device().to_string();
        self.read(|c| {
            let numbered_above: i64 = c.query_row(
                "SELECT count(*) FROM device_sequence WHERE device = ?1 AND seq > ?2",
                params![device, confirmed as i64],
                |r| r.get(0),
            )?;
            let unnumbered: i64 = c.query_row(
                "SELECT count(*) FROM events AS e LEFT JOIN device_sequence AS s ON s.event = e.id
                 WHERE e.seq > ?2 AND e.device = ?1 AND s.event IS NULL",
                params![device, numbered_through(c, &device)?],
                |r| r.get(0),
            )?;
            Ok((numbered_above + unnumbered) as u64)
        })
    }
}

/// Keeps each event's number as its laptop's; a number held by another event refuses.
fn number(tx: &rusqlite::Connection, events: &[Sequenced]) -> Result<(), StoreError> {
    for e in events {
        let device = &e.event.device;
        // An event numbered already keeps its number; a number held by another event is the
        // unique (device, seq) refusing, said in words below.
        let inserted = tx
            .prepare_cached(
                "INSERT INTO device_sequence (event, device, seq) VALUES (?1, ?2, ?3)
                 ON CONFLICT (event) DO NOTHING",
            )?
            .execute(params![e.event.id, device, e.seq as i64]);
        match inserted {
            Ok(1) => {}
            Ok(_) => {
                // Numbered already: by the same number, or the two logs disagree.
                let held: i64 = tx
                    .prepare_cached("SELECT seq FROM device_sequence WHERE event = ?1")?
                    .query_row([&e.event.id], |r| r.get(0))?;
                if held as u64 != e.seq {
                    return Err(StoreError::Received(format!(
                        "event {} is laptop {device}'s number {held} here but {} there: the two logs disagree",
                        e.event.id, e.seq
                    )));
                }
            }
            Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                let held: String = tx
                    .prepare_cached("SELECT event FROM device_sequence WHERE device = ?1 AND seq = ?2")?
                    .query_row(params![device, e.seq as i64], |r| r.get(0))?;
                return Err(StoreError::Received(format!(
                    "laptop {device}'s event number {} is {} here but {} there: the two logs disagree",
                    e.seq, held, e.event.id
                )));
            }
            Err(err) => return Err(err.into()),
        }
    }
    Ok(())
}

/// The local setting that says how far the log was read for a laptop's events to number, as
/// "DEVICE SEQ": every event of that laptop at or below this place in the log (`events.seq`) has
/// its number. The log only grows at its end, so what needs a number is always beyond it. It names
/// the laptop because a file can come to be another laptop's (a restore keeps the restoring
/// laptop's id): then nothing is taken as numbered, and the whole log is read once.
const NUMBERED_THROUGH: &str = "numbered_through";

fn numbered_through(conn: &rusqlite::Connection, device: &str) -> Result<i64, StoreError> {
    let kept = crate::codec::local_setting(conn, NUMBERED_THROUGH)?;
    Ok(kept
        .as_deref()
        .and_then(|v| v.split_once(' '))
        .filter(|(whose, _)| *whose == device)
        .and_then(|(_, seq)| seq.parse().ok())
        .unwrap_or(0))
}

fn highest(conn: &rusqlite::Connection, device: &str) -> Result<u64, StoreError> {
    let n: Option<i64> =
        conn.query_row("SELECT max(seq) FROM device_sequence WHERE device = ?1", [device], |r| r.get(0))?;
    Ok(n.unwrap_or(0) as u64)
}
