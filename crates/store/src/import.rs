//! Taking in events recorded on other laptops: each kept once, as received; the clock moved past
//! them; and only what they touch folded again, merging as every laptop merges, so the read
//! tables end exactly as a rebuild of the whole log would leave them.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use handoff_domain::event::Event;
use handoff_domain::hlc::Hlc;

use crate::codec::{self, RawEvent, Unfoldable};
use crate::projection::{self, Scope};
use crate::{Store, StoreError};

/// What an import took in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Events this laptop did not have.
    pub new: usize,
    /// Events it had already, byte for byte.
    pub repeated: usize,
}

/// Above this share of the log, a refold folds everything rather than picking deals.
const REFOLD_ALL_ABOVE: f64 = 0.25;

/// How many events an import keeps as read for its refold (beyond, they are read again: each is
/// a few hundred bytes in memory).
const KEPT_READ: usize = 250_000;

impl Store {
    /// Takes in `events` from other laptops, in one transaction: an event already here byte for
    /// byte is a repeat; the same id with different content refuses the whole batch, as does a
    /// damaged event or one stamped more than five minutes ahead of `now`. Events of a newer
    /// Handoff are kept as received (and not folded). Then the directory and every deal the new
    /// events touch are folded again in merge mode.
    pub fn import(&mut self, events: &[RawEvent], now: DateTime<Utc>) -> Result<Imported, StoreError> {
        self.write(|w| import_into(w.connection(), events, now))
    }
}

/// [`Store::import`] inside a write transaction already open.
pub(crate) fn import_into(
    tx: &rusqlite::Connection,
    events: &[RawEvent],
    now: DateTime<Utc>,
) -> Result<Imported, StoreError> {
    let mut intake = Intake::begin(tx)?;
    intake.take(tx, events.iter().map(|raw| (raw, check(raw))), now)?;
    intake.finish(tx)
}

/// An event from another laptop, checked where it arrived. Checking reads nothing stored, so a
/// sync checks the next page on its own thread while the last one is written.
#[derive(Debug)]
pub struct Received {
    raw: RawEvent,
    /// As read (none when a newer Handoff wrote it), or why it cannot be kept.
    read: Result<Option<Event>, StoreError>,
}

impl Received {
    /// Reads and checks `raw` (see [`Store::import`] for what refuses it).
    pub fn check(raw: RawEvent) -> Received {
        let read = check(&raw);
        Received { raw, read }
    }

    /// The event as received, and as read.
    pub(crate) fn into_parts(self) -> (RawEvent, Result<Option<Event>, StoreError>) {
        (self.raw, self.read)
    }
}

/// An import under way in one write transaction: events are taken in a page at a time as they
/// arrive, and folded once at the end.
pub(crate) struct Intake {
    out: Imported,
    last: Hlc,
    known_before: Hlc,
    deals: BTreeSet<String>,
    earliest_other: Option<Hlc>,
    /// New events as read when checked, by id, for the refold.
    read: HashMap<String, Event>,
    /// The statements that make the log's lookup indexes again, set aside while the intake
    /// fills an empty log (a laptop joining its agency): made once from every event at the end.
    set_aside: Vec<String>,
}

impl Intake {
    pub(crate) fn begin(tx: &rusqlite::Connection) -> Result<Intake, StoreError> {
        let last = codec::last_hlc(tx)?;
        let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM events)", [], |r| r.get(0))?;
        let set_aside = if empty { projection::set_aside_lookup_indexes(tx, &["events"])? } else { Vec::new() };
        Ok(Intake {
            out: Imported::default(),
            last,
            known_before: last,
            deals: BTreeSet::new(),
            earliest_other: None,
            read: HashMap::new(),
            set_aside,
        })
    }

    /// Keeps each new event as received (see [`Store::import`] for what refuses it).
    /// `events` come with what [`check`] made of each.
    pub(crate) fn take<'a>(
        &mut self,
        tx: &rusqlite::Connection,
        events: impl IntoIterator<Item = (&'a RawEvent, Result<Option<Event>, StoreError>)>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for (raw, read) in events {
            if !codec::insert_raw_if_new(tx, raw)? {
                // Held already (from an earlier import, or earlier in this one): a repeat only
                // when byte for byte the same.
                if codec::raw_event(tx, &raw.id)?.as_ref() != Some(raw) {
                    return Err(StoreError::Mismatch(raw.id.clone()));
                }
                self.out.repeated += 1;
                continue;
            }
            // Refused once kept: a refusal fails the whole transaction, so nothing stays.
            let event = read?;
            let hlc: Hlc =
                raw.hlc.parse().map_err(|_| StoreError::Received(format!("event {}: its clock stamp", raw.id)))?;
            self.last = Hlc::observe(self.last, hlc, now.timestamp_millis())?;
            self.out.new += 1;
            // Only the directory (or what a newer Handoff wrote) can change how deals fold.
            let directory = event.as_ref().is_none_or(|e| e.body.is_directory());
            if let Some(event) = event.filter(|_| self.read.len() < KEPT_READ) {
                self.read.insert(raw.id.clone(), event);
            }
            match &raw.deal {
                Some(deal) => {
                    self.deals.insert(deal.clone());
                }
                None if directory => self.earliest_other = Some(self.earliest_other.map_or(hlc, |e: Hlc| e.min(hlc))),
                None => {}
            }
        }
        Ok(())
    }

    /// Folds again what the new events touch: the deals they name, and every deal since a
    /// directory change that sorts before what was folded here; everything when they are a
    /// large share of the log.
    pub(crate) fn finish(self, tx: &rusqlite::Connection) -> Result<Imported, StoreError> {
        let Intake { out, last, known_before, mut deals, earliest_other, read, set_aside } = self;
        // Made again before the refold, which may look events up by them.
        for sql in set_aside {
            tx.execute(&sql, [])?;
        }
        if out.new == 0 {
            return Ok(out);
        }
        codec::set_last_hlc(tx, last)?;
        let total = crate::query::event_count(tx)? as f64;
        let scope = if out.new as f64 > total * REFOLD_ALL_ABOVE {
            Scope::All
        } else {
            // The agency changed before what was folded here: every deal with an event since
            // was folded against a directory that no longer was, and folds again.
            if let Some(since) = earliest_other.filter(|e| *e < known_before) {
                let later: Vec<String> = tx
                    .prepare("SELECT DISTINCT deal FROM events WHERE deal IS NOT NULL AND hlc >= ?1")?
                    .query_map([since.to_string()], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                deals.extend(later);
            }
            Scope::Deals(deals)
        };
        projection::refold(tx, scope, read)?;
        Ok(out)
    }
}

/// Refuses an event that could never be read back: damaged, or with times the log cannot keep.
/// Returns it as read (none when it comes from a newer Handoff).
fn check(raw: &RawEvent) -> Result<Option<Event>, StoreError> {
    match raw.event() {
        Ok(event) => {
            if !codec::keepable(event.occurred_at) || !codec::keepable(event.recorded_at) {
                return Err(StoreError::Received(format!("event {} has a time outside 1970 to the year 9999", raw.id)));
            }
            if codec::time_text(event.occurred_at) != raw.occurred_at
                || codec::time_text(event.recorded_at) != raw.recorded_at
                || event.hlc.to_string() != raw.hlc
            {
                return Err(StoreError::Received(format!("event {} is not written the way the log keeps it", raw.id)));
            }
            Ok(Some(event))
        }
        Err(Unfoldable::Newer(_)) => {
            // Kept as received; its envelope must still be readable to be ordered and grouped.
            let envelope = raw.hlc.parse::<Hlc>().is_ok()
                && raw.id.parse::<uuid::Uuid>().is_ok()
                && raw.device.parse::<uuid::Uuid>().is_ok()
                && codec::parse_time(&raw.occurred_at).is_ok();
            if envelope {
                Ok(None)
            } else {
                Err(StoreError::Received(format!("event {}: its id, laptop, time or clock stamp", raw.id)))
            }
        }
        Err(Unfoldable::Bad(why)) => Err(StoreError::Received(why)),
    }
}
