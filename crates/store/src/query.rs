//! Read queries over the read tables and the log. Each takes a connection (from
//! [`crate::Store::read`] or a [`crate::Writer`]) and returns plain rows.

use chrono::{DateTime, NaiveDate, Utc};
use handoff_domain::deal::{Deal, DealStatus, FollowUp};
use handoff_domain::event::Event;
use handoff_domain::ids::{DealId, PersonId, TaskId};
use handoff_domain::metrics::{DwellSamples, ServiceTally};
use handoff_domain::review::ReviewMeeting;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::codec::{self, parse_time, time_text, EVENT_COLUMNS};
use crate::projection::{load_deal, READ_TABLES};
use crate::search::{fill_waiting_index, matching};
use crate::StoreError;

/// A deal, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealRow {
    pub id: DealId,
    pub title: String,
    pub customer: String,
    pub status: DealStatus,
    pub sales_owner: PersonId,
    pub fulfilment_owner: Option<PersonId>,
    pub value_minor: i64,
    pub currency: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub handoff_at: Option<DateTime<Utc>>,
}

/// A task, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskRow {
    pub id: TaskId,
    pub deal: DealId,
    pub deal_title: String,
    pub title: String,
    pub owner: PersonId,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

fn conv<T: std::str::FromStr>(text: String) -> rusqlite::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    text.parse().map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn opt_time(text: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    text.as_deref().map(parse_time).transpose()
}

const DEAL_COLUMNS: &str =
    "id, title, customer, status, sales_owner, fulfilment_owner, value_minor, currency, closed_at, handoff_at";

fn deal_row(r: &Row<'_>) -> rusqlite::Result<DealRow> {
    let status: String = r.get(3)?;
    Ok(DealRow {
        id: conv(r.get(0)?)?,
        title: r.get(1)?,
        customer: r.get(2)?,
        status: status
            .parse()
            .map_err(|e: String| rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, e.into()))?,
        sales_owner: conv(r.get(4)?)?,
        fulfilment_owner: r.get::<_, Option<String>>(5)?.map(conv).transpose()?,
        value_minor: r.get(6)?,
        currency: r.get(7)?,
        closed_at: opt_time(r.get(8)?)?,
        handoff_at: opt_time(r.get(9)?)?,
    })
}

/// The directory (agency, calendar, people, staffing, away periods).
pub fn directory(conn: &Connection) -> Result<handoff_domain::directory::Directory, StoreError> {
    crate::projection::load_directory(conn)
}

/// One deal's folded state.
pub fn deal(conn: &Connection, id: DealId) -> Result<Option<handoff_domain::deal::Deal>, StoreError> {
    load_deal(conn, id)
}

/// Deals whose title matches (case-insensitive for ASCII).
pub fn deals_titled(conn: &Connection, title: &str) -> Result<Vec<DealRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DEAL_COLUMNS} FROM deals WHERE title = ?1 COLLATE NOCASE ORDER BY added_at, id"
    ))?;
    let rows = stmt.query_map([title.trim()], deal_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Deals whose id starts with `prefix`.
pub fn deals_with_id_prefix(conn: &Connection, prefix: &str) -> Result<Vec<DealRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DEAL_COLUMNS} FROM deals WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2"
    ))?;
    let rows = stmt.query_map([prefix.to_ascii_lowercase()], deal_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The deal imported with this external id, if any.
pub fn deal_by_external_id(conn: &Connection, external_id: &str) -> Result<Option<DealId>, StoreError> {
    let id: Option<String> = conn
        .prepare_cached("SELECT id FROM deals WHERE external_id = ?1")?
        .query_row([external_id], |r| r.get(0))
        .optional()?;
    Ok(id.map(conv).transpose()?)
}

/// Deals, newest first, optionally of one status: those of one status found through their index
/// (a condition that may or may not name a status would read every deal).
pub fn deals(conn: &Connection, status: Option<DealStatus>) -> Result<Vec<DealRow>, StoreError> {
    const ORDER: &str = "ORDER BY coalesce(closed_at, added_at) DESC, id DESC";
    let rows = match status {
        Some(status) => conn
            .prepare_cached(&format!("SELECT {DEAL_COLUMNS} FROM deals WHERE status = ?1 {ORDER}"))?
            .query_map([status.as_str()], deal_row)?
            .collect::<Result<_, _>>()?,
        None => conn
            .prepare_cached(&format!("SELECT {DEAL_COLUMNS} FROM deals {ORDER}"))?
            .query_map([], deal_row)?
            .collect::<Result<_, _>>()?,
    };
    Ok(rows)
}

/// `text` as a full-text query: each word quoted (so nothing in it is read as search syntax) and
/// open at its end; none when it holds no word.
fn search_words(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// How the deal list is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DealOrder<'a> {
    /// By when the deal was won: the newest first, deals not won (then by when added) after
    /// them, when descending.
    Won,
    Title,
    Customer,
    /// Open, handoff due, handed off, lost: the order a deal lives in.
    Status,
    Value,
    /// By the Sales owner, the people given in the order to sort them in (by name).
    SalesOwner(&'a [PersonId]),
    /// By the Fulfilment owner (none first), the people in the order to sort them in.
    FulfilmentOwner(&'a [PersonId]),
}

/// Which deals the list shows: of one status, and (with `text`) those whose title, customer,
/// travellers' names or brief hold every word of it, or owned by one of `owners`.
#[derive(Clone, Copy, Debug)]
pub struct DealListing<'a> {
    pub status: Option<DealStatus>,
    pub text: Option<&'a str>,
    pub owners: &'a [PersonId],
    pub order: DealOrder<'a>,
    pub ascending: bool,
}

/// The people of `ids` as SQL text literals (ids are UUIDs: nothing to escape but checked).
fn person_literals(ids: &[PersonId]) -> Vec<String> {
    ids.iter()
        .map(|id| id.to_string())
        .inspect(|id| debug_assert!(id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')))
        .map(|id| format!("'{id}'"))
        .collect()
}

/// One page of the deal list — `limit` deals from `offset` in `listing`'s order — and how many
/// deals the listing holds in all. Read in index order for the first screens where an index has
/// the order (won, title, customer), whatever the size of the agency.
pub fn deal_page(
    conn: &Connection,
    listing: &DealListing<'_>,
    offset: usize,
    limit: usize,
) -> Result<(Vec<DealRow>, usize), StoreError> {
    let words = listing.text.and_then(search_words);
    if words.is_none() && listing.text.is_some_and(|t| !t.trim().is_empty()) {
        return Ok((Vec::new(), 0)); // nothing searchable in the text: nothing matches
    }
    // Only the conditions asked for are named: a condition that may or may not hold (`:status IS
    // NULL OR …`, an owner of nobody) keeps SQLite off the indexes and has it read every deal.
    let mut conditions = Vec::new();
    if listing.status.is_some() {
        conditions.push("status = :status".to_string());
    }
    if words.is_some() {
        fill_waiting_index(conn)?;
        let by_words = format!("rowid IN ({})", matching(":words", "rowid"));
        if listing.owners.is_empty() {
            conditions.push(by_words);
        } else {
            let owners = person_literals(listing.owners).join(", ");
            conditions.push(format!("({by_words} OR sales_owner IN ({owners}) OR fulfilment_owner IN ({owners}))"));
        }
    }
    let filter = if conditions.is_empty() { "1".to_string() } else { conditions.join(" AND ") };
    // Counted from the search index alone when only its words decide (each match is one deal),
    // from the smallest index when nothing does.
    let count = if listing.status.is_none() && listing.owners.is_empty() && words.is_some() {
        format!("SELECT count(*) FROM ({})", matching(":words", "rowid"))
    } else {
        format!("SELECT count(*) FROM deals WHERE {filter}")
    };
    let dir = if listing.ascending { "ASC" } else { "DESC" };
    let by_rank = |column: &str, people: &[PersonId]| {
        let arms: String =
            person_literals(people).iter().enumerate().map(|(k, id)| format!(" WHEN {id} THEN {k}")).collect();
        // A CASE needs at least one WHEN: with nobody to rank, every deal ranks the same.
        let rank =
            if arms.is_empty() { "0".to_string() } else { format!("CASE {column}{arms} ELSE {} END", people.len()) };
        format!("{rank} {dir}, closed_at DESC, added_at DESC, id DESC")
    };
    let order = match listing.order {
        DealOrder::Won => format!("closed_at {dir}, added_at {dir}, id {dir}"),
        // Ties by row, as the title's and customer's indexes hold them: read straight in order.
        DealOrder::Title => format!("title COLLATE NOCASE {dir}, rowid {dir}"),
        DealOrder::Customer => format!("customer COLLATE NOCASE {dir}, rowid {dir}"),
        DealOrder::Status => format!(
            "CASE status WHEN 'open' THEN 0 WHEN 'won' THEN 1 WHEN 'handed-off' THEN 2 ELSE 3 END {dir},
             closed_at DESC, added_at DESC, id DESC"
        ),
        DealOrder::Value => format!("value_minor {dir}, id {dir}"),
        DealOrder::SalesOwner(people) => by_rank("sales_owner", people),
        DealOrder::FulfilmentOwner(people) => {
            format!("fulfilment_owner IS NOT NULL {dir}, {}", by_rank("fulfilment_owner", people))
        }
    };
    let status = listing.status.map(|s| s.as_str());
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
    if let Some(status) = &status {
        named.push((":status", status));
    }
    if let Some(words) = &words {
        named.push((":words", words));
    }
    let total: i64 = conn.prepare_cached(&count)?.query_row(named.as_slice(), |r| r.get(0))?;
    // A search SQLite would answer by reading every match's row to sort them all; when the
    // matches are many, walking the index that holds the list's order and stopping at the page's
    // end reads far less (a search for a common name's first screen at 100,000 deals: 7.5 → 1.2 ms).
    // The walk tells a match from the index alone, never reading the rows it passes: the won index
    // holds each deal's owners too, so a search by a lead's name walks it; the title index does
    // not; and neither holds the status, so a search within one status sorts its matches.
    let in_order = match listing.order {
        DealOrder::Won => Some("deals_by_won"),
        DealOrder::Title if listing.owners.is_empty() => Some("deals_by_title"),
        _ => None,
    };
    let mut hint = String::new();
    if let Some(index) = in_order.filter(|_| words.is_some() && listing.status.is_none()) {
        // The highest row number: as many rows as the table holds, near enough, read at once.
        let rows: i64 = conn.query_row("SELECT ifnull(max(rowid), 0) FROM deals", [], |r| r.get(0))?;
        if walk_in_order(offset + limit, rows as u64, total as u64) {
            hint = format!("INDEXED BY {index}");
        }
    }
    let (limit, offset) = (limit as i64, offset as i64);
    named.push((":limit", &limit));
    named.push((":offset", &offset));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DEAL_COLUMNS} FROM deals {hint} WHERE {filter} ORDER BY {order} LIMIT :limit OFFSET :offset"
    ))?;
    let rows = stmt.query_map(named.as_slice(), deal_row)?.collect::<Result<_, _>>()?;
    Ok((rows, total as usize))
}

/// About how many index entries SQLite steps over in the time it reads one deal's row to sort it
/// (measured on the 100,000-deal agency: 0.12 µs an entry, about 3 µs a row).
const ENTRIES_PER_ROW_READ: u64 = 20;

/// Whether to find a page of `matches` deals among `rows` by walking an index in the list's order
/// up to the page's end (`reach` = offset + limit) rather than reading and sorting every match:
/// the walk steps over about `reach × rows / matches` entries.
pub(crate) fn walk_in_order(reach: usize, rows: u64, matches: u64) -> bool {
    matches > 0 && (reach as u128) * u128::from(rows) < u128::from(ENTRIES_PER_ROW_READ * matches) * u128::from(matches)
}

/// The deals whose title, customer, travellers' names or brief hold every word of `text` (a word
/// also as the start of a longer one; accents and case aside): the `limit` best matches, newest
/// first as the list shows them.
pub fn deal_search(conn: &Connection, text: &str, limit: usize) -> Result<Vec<DealRow>, StoreError> {
    let Some(words) = search_words(text) else {
        return Ok(Vec::new());
    };
    fill_waiting_index(conn)?;
    // The best matches of the deals waiting for the index and of the others, by the same measure.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DEAL_COLUMNS} FROM deals
         WHERE rowid IN (SELECT rowid FROM ({}) ORDER BY rank LIMIT ?2)
         ORDER BY coalesce(closed_at, added_at) DESC, id DESC",
        matching("?1", "rowid, rank")
    ))?;
    let rows = stmt.query_map(params![words, limit as i64], deal_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The deals of the customer named `customer` (case aside): the `limit` latest won, then those
/// not won, the latest added first — read from the customer's index (name, then close) in that
/// order and stopped there; only deals closed at the same moment (a customer's open deals) are
/// sorted among themselves.
pub fn customer_deals(conn: &Connection, customer: &str, limit: usize) -> Result<Vec<DealRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DEAL_COLUMNS} FROM deals WHERE customer = ?1 COLLATE NOCASE
         ORDER BY closed_at DESC, added_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![customer.trim(), limit as i64], deal_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// When the first trip starts, of those with a start.
pub fn first_trip_start(conn: &Connection) -> Result<Option<DateTime<Utc>>, StoreError> {
    let first: Option<String> =
        conn.query_row("SELECT min(trip_start_at) FROM deals WHERE trip_start_at IS NOT NULL", [], |r| r.get(0))?;
    Ok(first.map(|t| parse_time(&t)).transpose()?)
}

/// When the first deal was closed (from the handed-off index: every close that can have a dwell).
pub fn first_close(conn: &Connection) -> Result<Option<DateTime<Utc>>, StoreError> {
    let first: Option<String> =
        conn.query_row("SELECT min(closed_at) FROM deals WHERE handoff_at IS NOT NULL", [], |r| r.get(0))?;
    Ok(first.map(|t| parse_time(&t)).transpose()?)
}

/// Dwell samples of deals handed off, closed within `[from, to)` when given. Reads the two dwell
/// columns of each row from a covering index, and a deal's id only when it is a new worst.
pub fn dwell_samples(
    conn: &Connection,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<DwellSamples, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT dwell_seconds, business_dwell_seconds, id, heard_within_day FROM deals
         WHERE handoff_at IS NOT NULL AND (?1 IS NULL OR closed_at >= ?1) AND (?2 IS NULL OR closed_at < ?2)",
    )?;
    let mut rows = stmt.query(params![from.map(time_text), to.map(time_text)])?;
    let mut samples = DwellSamples::default();
    let mut worst: Option<(i64, String)> = None;
    while let Some(r) = rows.next()? {
        let wall: i64 = r.get(0)?;
        samples.wall_seconds.push(wall);
        samples.business_seconds.push(r.get::<_, Option<i64>>(1)?.unwrap_or(0));
        samples.heard(r.get::<_, Option<i64>>(3)?);
        if worst.as_ref().is_none_or(|(w, _)| wall >= *w) {
            let id = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            if worst.as_ref().is_none_or(|(w, i)| wall > *w || id < i.as_str()) {
                worst = Some((wall, id.to_string()));
            }
        }
    }
    samples.worst = worst.map(|(w, id)| conv(id).map(|d| (w, d))).transpose()?;
    Ok(samples)
}

/// Tasks, by due time; optionally one owner's, only open ones, or only those due before `overdue_at`.
pub fn tasks(
    conn: &Connection,
    owner: Option<PersonId>,
    open_only: bool,
    overdue_at: Option<DateTime<Utc>>,
) -> Result<Vec<TaskRow>, StoreError> {
    // Only the conditions asked for are named, so SQLite can read open tasks through their own
    // index (an agency's done tasks grow with every deal it ever had).
    let mut filter = vec!["1"];
    if owner.is_some() {
        filter.push("t.owner = :owner");
    }
    if open_only || overdue_at.is_some() {
        filter.push("t.done_at IS NULL");
    }
    if overdue_at.is_some() {
        filter.push("t.due_at < :before");
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.id, t.deal, d.title, t.title, t.owner, t.due_at, t.done_at FROM tasks t JOIN deals d ON d.id = t.deal
         WHERE {} ORDER BY t.due_at, t.id",
        filter.join(" AND ")
    ))?;
    let owner = owner.map(|o| o.to_string());
    let before = overdue_at.map(time_text);
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
    if let Some(owner) = &owner {
        named.push((":owner", owner));
    }
    if let Some(before) = &before {
        named.push((":before", before));
    }
    let rows = stmt
        .query_map(named.as_slice(), |r| {
            Ok(TaskRow {
                id: conv(r.get(0)?)?,
                deal: conv(r.get(1)?)?,
                deal_title: r.get(2)?,
                title: r.get(3)?,
                owner: conv(r.get(4)?)?,
                due_at: parse_time(&r.get::<_, String>(5)?)?,
                done_at: opt_time(r.get(6)?)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Tasks whose id starts with `prefix` (at most two: enough to tell unique from ambiguous).
pub fn tasks_with_id_prefix(conn: &Connection, prefix: &str) -> Result<Vec<(TaskId, DealId)>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, deal FROM tasks WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2")?;
    let rows = stmt
        .query_map([prefix.to_ascii_lowercase()], |r| Ok((conv(r.get(0)?)?, conv(r.get(1)?)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// A deal's events, in fold order (the same on every laptop), each with whether a merge
/// skipped it (as a conflict, or as already so).
pub fn deal_events(conn: &Connection, deal: DealId) -> Result<Vec<(Event, bool)>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS}, EXISTS (SELECT 1 FROM skipped_events WHERE event = events.id)
         FROM events WHERE deal = ?1 ORDER BY hlc, id"
    ))?;
    let rows = stmt.query_map([deal.to_string()], |r| Ok((codec::RawEvent::read(r)?, r.get::<_, bool>(12)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (raw, skipped) = row?;
        match raw.event() {
            Ok(event) => out.push((event, skipped)),
            // A newer Handoff's event: its conflict says so; the timeline shows what it can read.
            Err(codec::Unfoldable::Newer(_)) => {}
            Err(codec::Unfoldable::Bad(why)) => return Err(StoreError::UnreadableEvent(why)),
        }
    }
    Ok(out)
}

/// What a merge met: an action skipped, or applied over text its author had not seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictRow {
    /// The action's first event.
    pub id: String,
    pub deal: Option<DealId>,
    /// The deal's title, where the deal exists here.
    pub title: Option<String>,
    pub kind: handoff_domain::merge::ConflictKind,
    /// Whether the action was left out (else applied, replacing what the note keeps).
    pub skipped: bool,
    pub actor: Option<PersonId>,
    pub device: String,
    pub at: DateTime<Utc>,
    pub note: String,
    /// What "take the other version" restores; empty when nothing can be taken.
    pub other: Vec<handoff_domain::merge::OtherVersion>,
    /// Who settled it, when and how, once someone has.
    pub settled: Option<(Option<PersonId>, DateTime<Utc>, handoff_domain::event::Settlement)>,
    /// Who should hear of it: whose action was left out, or whose text an applied one replaced.
    pub tell: Option<PersonId>,
}

fn conflict_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConflictRow> {
    let bad = |e: String| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into());
    Ok(ConflictRow {
        id: r.get(0)?,
        deal: r.get::<_, Option<String>>(1)?.map(|d| d.parse().map_err(|_| bad(format!("deal {d}")))).transpose()?,
        kind: r.get::<_, String>(2)?.parse().map_err(bad)?,
        skipped: r.get(3)?,
        actor: r.get::<_, Option<String>>(4)?.and_then(|a| a.parse().ok()),
        device: r.get(5)?,
        at: codec::parse_time(&r.get::<_, String>(6)?)?,
        note: r.get(7)?,
        title: r.get(8)?,
        other: serde_json::from_str(&r.get::<_, String>(9)?).map_err(|e| bad(e.to_string()))?,
        settled: match r.get::<_, Option<String>>(10)? {
            None => None,
            Some(at) => Some((
                r.get::<_, Option<String>>(11)?.and_then(|a| a.parse().ok()),
                codec::parse_time(&at)?,
                r.get::<_, String>(12)?.parse().map_err(bad)?,
            )),
        },
        tell: r.get::<_, Option<String>>(13)?.and_then(|a| a.parse().ok()),
    })
}

const CONFLICT_COLUMNS: &str = "c.id, c.deal, c.kind, c.skipped, c.actor, c.device, c.at, c.note, \
     (SELECT title FROM deals WHERE id = c.deal), c.other, c.settled_at, c.settled_by, c.settled_how, c.tell";

/// A deal's conflicts, in fold order.
pub fn deal_conflicts(conn: &Connection, deal: DealId) -> Result<Vec<ConflictRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONFLICT_COLUMNS} FROM conflicts AS c WHERE c.deal = ?1 ORDER BY c.hlc, c.id"
    ))?;
    let rows = stmt.query_map([deal.to_string()], conflict_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The conflicts of the whole agency nobody has settled yet (or every one, `settled` too),
/// newest first.
pub fn conflicts(conn: &Connection, settled: bool) -> Result<Vec<ConflictRow>, StoreError> {
    let which = if settled { "" } else { "WHERE c.settled_at IS NULL" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONFLICT_COLUMNS} FROM conflicts AS c {which} ORDER BY c.hlc DESC, c.id DESC"
    ))?;
    let rows = stmt.query_map([], conflict_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The conflicts whose name (their first event's id) starts with `prefix`: at most two, enough
/// to tell one from several.
pub fn conflicts_with_id_prefix(conn: &Connection, prefix: &str) -> Result<Vec<ConflictRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONFLICT_COLUMNS} FROM conflicts AS c WHERE c.id >= ?1 AND c.id < ?1 || 'g' ORDER BY c.id LIMIT 2"
    ))?;
    let rows = stmt.query_map([prefix.to_ascii_lowercase()], conflict_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every event as stored, in fold order.
pub fn raw_events(conn: &Connection) -> Result<Vec<codec::RawEvent>, StoreError> {
    codec::query_raw(conn, &format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY hlc, id"), [])
}

/// The row number of the last event this log holds: it grows with every event written here or
/// taken in from another laptop, so a watcher can tell that something changed.
pub fn log_end(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT coalesce(max(rowid), 0) FROM events", [], |r| r.get(0))?)
}

/// How many deals the read tables hold.
pub fn deal_count(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM deals", [], |r| r.get::<_, i64>(0))? as u64)
}

/// How many events the log holds.
///
/// Read as the log's highest number, from the end of its table, rather than counted row by row
/// (a tenth of a second at a million events, for each sync and each backup listed): the log is
/// only ever added to (a trigger refuses to change or delete an event) and every event is
/// inserted without a number, so SQLite numbers them 1, 2, 3 … with no gap — a write or import
/// refused midway takes its numbers back with it.
pub fn event_count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))?)
}

/// A founder escalation, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscalationRow {
    pub deal: Option<DealId>,
    /// The department whose assignment fell to the founder; none when logged by hand.
    pub dept: Option<String>,
    pub founder: PersonId,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Founder escalations, oldest first.
pub fn escalations(conn: &Connection) -> Result<Vec<EscalationRow>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT deal, dept, founder, reason, at FROM escalations ORDER BY at, id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(EscalationRow {
                deal: r.get::<_, Option<String>>(0)?.map(conv).transpose()?,
                dept: r.get(1)?,
                founder: conv(r.get(2)?)?,
                reason: r.get(3)?,
                at: parse_time(&r.get::<_, String>(4)?)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

fn deal_states<P: rusqlite::Params>(conn: &Connection, where_sql: &str, params: P) -> Result<Vec<Deal>, StoreError> {
    deal_states_from(conn, "deals", where_sql, params)
}

/// [`deal_states`] read through `source` (the deals table, told which index to read by when
/// SQLite, knowing nothing of how many rows each holds, would pick a worse one).
fn deal_states_from<P: rusqlite::Params>(
    conn: &Connection,
    source: &str,
    where_sql: &str,
    params: P,
) -> Result<Vec<Deal>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT state FROM {source} WHERE {where_sql}"))?;
    let texts: Vec<String> = stmt.query_map(params, |r| r.get(0))?.collect::<Result<_, _>>()?;
    texts
        .iter()
        .map(|t| serde_json::from_str(t).map_err(|e| StoreError::UnreadableEvent(format!("a deal: {e}"))))
        .collect()
}

/// Deals whose service handoff `person` owns and whose call has not started.
pub fn service_owned_by(conn: &Connection, person: PersonId) -> Result<Vec<Deal>, StoreError> {
    deal_states(
        conn,
        "service_owner = ?1 AND service_started_at IS NULL AND service_completed_at IS NULL ORDER BY service_due_at, id",
        [person.to_string()],
    )
}

/// Won or handed-off deals whose trip's last day is within `first..=last`, by end then id.
pub fn trips_ending(conn: &Connection, first: NaiveDate, last: NaiveDate) -> Result<Vec<Deal>, StoreError> {
    deal_states_from(
        conn,
        "deals INDEXED BY deals_by_trip_end",
        "trip_end_date IS NOT NULL AND status IN ('won', 'handed-off') AND trip_end_date >= ?1 AND trip_end_date <= ?2
         ORDER BY trip_end_date, id",
        [first.to_string(), last.to_string()],
    )
}

/// Won or handed-off deals whose trip starts within `[from, to)` (either end open), by start.
pub fn trips_starting(
    conn: &Connection,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<Deal>, StoreError> {
    deal_states(
        conn,
        "trip_start_at IS NOT NULL AND (?1 IS NULL OR trip_start_at >= ?1) AND (?2 IS NULL OR trip_start_at < ?2)
         AND status IN ('won', 'handed-off') ORDER BY trip_start_at, id",
        params![from.map(time_text), to.map(time_text)],
    )
}

/// The service figures' counts over won and handed-off deals whose trip starts within
/// `[from, to)` (either end open): handoffs done and on time (a lead of at least
/// `on_time_seconds`), their leads summed, trips over before `today` (the agency's date) and the
/// asks logged on those. Totalled by SQLite from the trips-by-start index and the asks, whatever
/// the number of trips.
pub fn service_tally(
    conn: &Connection,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    today: NaiveDate,
    on_time_seconds: i64,
) -> Result<ServiceTally, StoreError> {
    // Bounds that always hold text to compare, so the index is read over the range alone.
    let (from, to) = (from.map_or(String::new(), time_text), to.map_or("~".to_string(), time_text));
    let (done, on_time, lead_seconds, delivered_trips): (i64, i64, Option<i64>, i64) = conn
        .prepare_cached(
            "SELECT count(service_lead_seconds), count(CASE WHEN service_lead_seconds >= ?3 THEN 1 END),
                    sum(service_lead_seconds), count(CASE WHEN trip_end_date < ?4 THEN 1 END)
             FROM deals INDEXED BY deals_by_trip_start
             WHERE trip_start_at IS NOT NULL AND status IN ('won', 'handed-off')
               AND trip_start_at >= ?1 AND trip_start_at < ?2",
        )?
        .query_row(params![from, to, on_time_seconds, today.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    // From the asks to their deals: an agency logs far fewer asks than it has trips.
    let mut stmt = conn.prepare_cached(
        "SELECT a.topic, count(*), sum(a.covered) FROM asks a CROSS JOIN deals d ON d.id = a.deal
         WHERE d.trip_start_at IS NOT NULL AND d.status IN ('won', 'handed-off')
           AND d.trip_start_at >= ?1 AND d.trip_start_at < ?2 AND d.trip_end_date < ?3
         GROUP BY a.topic",
    )?;
    let asks = stmt
        .query_map(params![from, to, today.to_string()], |r| {
            Ok((conv(r.get(0)?)?, r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize))
        })?
        .collect::<Result<_, _>>()?;
    Ok(ServiceTally {
        done: done as usize,
        on_time: on_time as usize,
        lead_seconds: i128::from(lead_seconds.unwrap_or(0)),
        delivered_trips: delivered_trips as usize,
        asks,
    })
}

/// Picked deals with a task still open that falls due by `before` (their follow-up call among
/// them), by review then id: what Today looks through, never the whole history of picks.
pub fn picked_with_task_open_by(conn: &Connection, before: DateTime<Utc>) -> Result<Vec<Deal>, StoreError> {
    deal_states(
        conn,
        "review_date IS NOT NULL
         AND EXISTS (SELECT 1 FROM tasks t WHERE t.deal = deals.id AND t.done_at IS NULL AND t.due_at <= ?1)
         ORDER BY review_date, id",
        [time_text(before)],
    )
}

/// How many won or handed-off deals' trips ended within `first..=last`.
pub fn trips_ending_count(conn: &Connection, first: NaiveDate, last: NaiveDate) -> Result<usize, StoreError> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM deals INDEXED BY deals_by_trip_end
             WHERE trip_end_date IS NOT NULL AND status IN ('won', 'handed-off')
             AND trip_end_date >= ?1 AND trip_end_date <= ?2",
        )?
        .query_row([first.to_string(), last.to_string()], |r| r.get(0))?;
    Ok(n as usize)
}

/// The follow-up calls picked at reviews held within `first..=last` (either end open), by review
/// then id, each with its trip's last day: read from the deal's row, not its whole state.
pub fn follow_ups(
    conn: &Connection,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
) -> Result<Vec<(Option<NaiveDate>, FollowUp)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT trip_end_date, json_extract(state, '$.follow_up') FROM deals
         WHERE review_date IS NOT NULL AND (?1 IS NULL OR review_date >= ?1) AND (?2 IS NULL OR review_date <= ?2)
         ORDER BY review_date, id",
    )?;
    let rows = stmt.query_map(params![first.map(|d| d.to_string()), last.map(|d| d.to_string())], |r| {
        Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (end, follow_up) = row?;
        let end = end.map(conv).transpose()?;
        let follow_up = serde_json::from_str(&follow_up)
            .map_err(|e| StoreError::UnreadableEvent(format!("a deal's follow-up call: {e}")))?;
        out.push((end, follow_up));
    }
    Ok(out)
}

/// How many won or handed-off deals' trips ended within `first..=last`, and how many of those
/// travellers' signals are recorded.
pub fn trips_ending_signalled(
    conn: &Connection,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(usize, usize), StoreError> {
    let (trips, signalled): (i64, i64) = conn
        .prepare_cached(
            "SELECT count(*), count(json_extract(state, '$.signal')) FROM deals INDEXED BY deals_by_trip_end
             WHERE trip_end_date IS NOT NULL AND status IN ('won', 'handed-off')
             AND trip_end_date >= ?1 AND trip_end_date <= ?2",
        )?
        .query_row([first.to_string(), last.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((trips as usize, signalled as usize))
}

/// How many trips were picked at the review of `review`.
pub fn picks_at_review(conn: &Connection, review: NaiveDate) -> Result<usize, StoreError> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM deals WHERE review_date = ?1")?
        .query_row([review.to_string()], |r| r.get(0))?;
    Ok(n as usize)
}

/// Service handoffs not completed and due before `before`, for trips not over before
/// `trip_ends_from` (a local date; trips without an end always), by due time. Read through the
/// index of handoffs still to hold: never the agency's history.
pub fn service_due_before(
    conn: &Connection,
    before: DateTime<Utc>,
    trip_ends_from: NaiveDate,
) -> Result<Vec<Deal>, StoreError> {
    deal_states(
        conn,
        "service_due_at IS NOT NULL AND service_completed_at IS NULL AND service_due_at < ?1
         AND (trip_end_date IS NULL OR trip_end_date >= ?2) AND +status IN ('won', 'handed-off')
         ORDER BY service_due_at, id",
        [time_text(before), trip_ends_from.to_string()],
    )
}

/// Won deals not handed off yet, oldest close first.
pub fn waiting_for_handoff(conn: &Connection) -> Result<Vec<Deal>, StoreError> {
    deal_states(conn, "status = 'won' ORDER BY closed_at, id", [])
}

/// A batch of cold-list outreach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutreachRow {
    pub date: NaiveDate,
    pub attempts: u32,
    pub renewals: u32,
    /// A single call's customer, outcome and note; none for a batch.
    pub call: Option<ColdCall>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColdCall {
    pub customer: String,
    pub outcome: handoff_domain::trip::Outcome,
    pub note: Option<String>,
}

/// Cold outreach, batches and single calls, dated within `first..=last` (either end open), in
/// the order recorded within a day.
pub fn cold_outreach(
    conn: &Connection,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
) -> Result<Vec<OutreachRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT date, attempts, renewals, customer, outcome, note FROM cold_outreach
         WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2) ORDER BY date, id",
    )?;
    let rows = stmt
        .query_map(params![first.map(|d| d.to_string()), last.map(|d| d.to_string())], |r| {
            let call = match (r.get::<_, Option<String>>(3)?, r.get::<_, Option<String>>(4)?) {
                (Some(customer), Some(outcome)) => {
                    let outcome = outcome.parse().map_err(|e: String| {
                        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e.into())
                    })?;
                    Some(ColdCall { customer, outcome, note: r.get(5)? })
                }
                _ => None,
            };
            Ok(OutreachRow { date: conv(r.get(0)?)?, attempts: r.get(1)?, renewals: r.get(2)?, call })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The Tuesday review of `review` as held, if it has started.
pub fn review_meeting(conn: &Connection, review: NaiveDate) -> Result<Option<ReviewMeeting>, StoreError> {
    type Row = (String, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = conn
        .prepare_cached("SELECT started_at, started_by, ended_at, ended_by FROM reviews WHERE review = ?1")?
        .query_row([review.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let person =
        |p: Option<String>| p.map(|p| p.parse().map_err(|_| StoreError::UnreadableEvent(format!("person {p}"))));
    row.map(|(started_at, started_by, ended_at, ended_by)| {
        Ok(ReviewMeeting {
            review,
            started_at: parse_time(&started_at)?,
            started_by: person(started_by).transpose()?,
            ended_at: ended_at.as_deref().map(parse_time).transpose()?,
            ended_by: person(ended_by).transpose()?,
        })
    })
    .transpose()
}

/// The Tuesdays of reviews held within `first..=last` (either end open): started, or with a
/// trip picked (reviews from before reviews were started and ended), earliest first.
pub fn reviews_held(
    conn: &Connection,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
) -> Result<Vec<NaiveDate>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT review FROM reviews WHERE (?1 IS NULL OR review >= ?1) AND (?2 IS NULL OR review <= ?2)
         UNION
         SELECT review_date FROM deals WHERE review_date IS NOT NULL
            AND (?1 IS NULL OR review_date >= ?1) AND (?2 IS NULL OR review_date <= ?2)
         ORDER BY 1",
    )?;
    let rows = stmt
        .query_map(params![first.map(|d| d.to_string()), last.map(|d| d.to_string())], |r| conv(r.get(0)?))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Every row of every read table as text, in a fixed order: two databases whose read tables
/// are equal give equal dumps. Used to prove a rebuild reproduces the tables exactly.
pub fn read_tables_dump(conn: &Connection) -> Result<String, StoreError> {
    let mut out = String::new();
    // The search index too, as a search reads it: each word it holds, where (which field, which
    // place in it) and under which deal — the deal whose row number it sits under (row numbers
    // themselves depend on the order deals arrived, so they are not shown) — with the words of
    // the deals waiting for it as they are now (see `search`). The index keeps no copy of the
    // text; its words are read through vocabulary tables of this connection's own, which write
    // nothing to the database (a connection to a file opened read-only makes them all the same).
    fill_waiting_index(conn)?;
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.deal_search_words USING fts5vocab(main, deal_search, instance);
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.deal_search_waiting_words
            USING fts5vocab(temp, deal_search_waiting, instance);",
    )?;
    let search = String::from(
        "SELECT d.id, w.col, w.offset, w.term FROM temp.deal_search_words AS w
            LEFT JOIN deals AS d ON d.rowid = w.doc WHERE w.doc NOT IN (SELECT deal_row FROM main.search_pending)
         UNION ALL
         SELECT d.id, w.col, w.offset, w.term FROM temp.deal_search_waiting_words AS w
            LEFT JOIN deals AS d ON d.rowid = w.doc
         ORDER BY 1, 2, 3",
    );
    let selects = READ_TABLES.iter().map(|t| (t.to_string(), format!("SELECT * FROM {t} ORDER BY 1")));
    for (table, sql) in selects.chain([("deal_search".to_string(), search)]) {
        out.push_str(&format!("## {table}\n"));
        let mut stmt = conn.prepare(&sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let cells: Vec<String> = (0..n)
                .map(|i| match row.get_ref(i) {
                    Ok(rusqlite::types::ValueRef::Text(t)) => format!("{:?}", String::from_utf8_lossy(t)),
                    Ok(v) => format!("{v:?}"),
                    Err(e) => format!("<{e}>"),
                })
                .collect();
            out.push_str(&cells.join(" | "));
            out.push('\n');
        }
    }
    Ok(out)
}

/// A setting of this installation only, such as how its last sync went (see
/// [`crate::Writer::set_local`]).
pub fn local_setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    codec::local_setting(conn, key)
}

/// The id of the agency's first event (`agency_created`), once the log has one: what tells two
/// agencies apart when laptops meet.
pub fn agency_origin(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT id FROM events WHERE kind = 'agency_created' ORDER BY hlc, id LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// The person who uses this installation, once chosen ("who am I on this laptop").
pub fn me(conn: &Connection) -> Result<Option<PersonId>, StoreError> {
    crate::codec::me(conn)
}
