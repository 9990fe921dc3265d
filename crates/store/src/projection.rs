//! The read tables as a fold of the log. Each event goes through the domain's own fold
//! (`Directory::apply`, `Deal::apply`) and the result is written back, so the tables can only
//! ever hold states the domain allows, and a rebuild reproduces them exactly.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use handoff_domain::calendar::Calendar;
use handoff_domain::deal::{Deal, FoldContext};
use handoff_domain::directory::Directory;
use handoff_domain::event::{Aggregate, Event, EventBody};
use handoff_domain::hlc::Hlc;
use handoff_domain::ids::DealId;
use handoff_domain::merge::{self, Conflict, Merged, OtherVersion};
use handoff_domain::RuleError;
use rusqlite::{params, Connection, OptionalExtension};

use crate::codec::{parse_time, query_raw, time_text, RawEvent, Unfoldable, EVENT_COLUMNS};
use crate::{search, StoreError};

/// The read tables: what the log folds into, children first (for foreign keys when clearing).
pub const READ_TABLES: [&str; 9] =
    ["tasks", "asks", "escalations", "deals", "cold_outreach", "reviews", "directory", "conflicts", "skipped_events"];

pub(crate) fn clear(conn: &Connection) -> Result<(), StoreError> {
    for table in READ_TABLES {
        conn.execute(&format!("DELETE FROM {table}"), [])?;
    }
    // The search index follows the deals (it is not a table of its own to read or export).
    search::clear(conn)
}

/// Whether `body` can change what a deal is found by: its title, customer, travellers or brief.
/// Only these index the deal again; every other event leaves the search row as it was.
fn changes_what_is_searched(body: &EventBody) -> bool {
    matches!(
        body,
        EventBody::DealAdded { .. }
            | EventBody::DealImported { .. }
            | EventBody::DealEdited { .. }
            | EventBody::BriefSectionWritten { .. }
            | EventBody::TravellerAdded { .. }
            | EventBody::TravellerEdited { .. }
    )
}

/// The deal's row number in `deals`: `inserted` when [`save_deal`] has just added it.
fn deal_rowid(conn: &Connection, deal: &Deal, inserted: Option<i64>) -> Result<i64, StoreError> {
    match inserted {
        Some(rowid) => Ok(rowid),
        None => Ok(conn
            .prepare_cached("SELECT rowid FROM deals WHERE id = ?1")?
            .query_row([deal.id.to_string()], |r| r.get(0))?),
    }
}

/// Notes the deal as waiting for the search index when what it is found by changed (see
/// [`search`]). `held` is the search row of the deal as it was before this event (none for a deal
/// new to the read tables); `inserted` is the row [`save_deal`] has just added for a new deal.
fn index_deal(
    conn: &Connection,
    held: Option<search::SearchRow>,
    deal: &Deal,
    inserted: Option<i64>,
) -> Result<(), StoreError> {
    let words = search::search_row(deal);
    if held.as_ref() == Some(&words) {
        return Ok(());
    }
    search::note_changed(conn, deal_rowid(conn, deal, inserted)?, held.is_some(), &words)
}

fn corrupt(what: &str, e: serde_json::Error) -> StoreError {
    StoreError::UnreadableEvent(format!("{what}: {e}"))
}

pub(crate) fn load_directory(conn: &Connection) -> Result<Directory, StoreError> {
    parse_directory(directory_text(conn)?.as_deref())
}

/// The directory's stored JSON; none before the agency's first event.
fn directory_text(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn.prepare_cached("SELECT state FROM directory WHERE id = 1")?.query_row([], |r| r.get(0)).optional()?)
}

fn parse_directory(text: Option<&str>) -> Result<Directory, StoreError> {
    match text {
        None => Ok(Directory::default()),
        Some(t) => serde_json::from_str(t).map_err(|e| corrupt("the directory", e)),
    }
}

/// The directory as last parsed, beside the stored text it was parsed from. Every write starts
/// from the directory, and parsing its JSON (people, keys, the calendar and its zone) was a fifth
/// of what one `deal add` costs the processor; a write that finds the same text takes a copy
/// instead. Keyed by the text itself, not by who wrote last, so a write by another process, a
/// rebuild or a merge can never leave a stale copy in use.
#[derive(Default)]
pub(crate) struct ParsedDirectory {
    text: Option<String>,
    directory: Directory,
}

impl ParsedDirectory {
    /// The directory as `conn` holds it now.
    pub(crate) fn load(&mut self, conn: &Connection) -> Result<Directory, StoreError> {
        let text = directory_text(conn)?;
        if text != self.text {
            self.directory = parse_directory(text.as_deref())?;
            self.text = text;
        }
        Ok(self.directory.clone())
    }
}

fn save_directory(conn: &Connection, dir: &Directory) -> Result<(), StoreError> {
    let state = serde_json::to_string(dir).expect("the directory always serialises");
    conn.prepare_cached(
        "INSERT INTO directory (id, state) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
    )?
    .execute([state])?;
    Ok(())
}

pub(crate) fn load_deal(conn: &Connection, id: DealId) -> Result<Option<Deal>, StoreError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT state FROM deals WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| corrupt("a deal", e))).transpose()
}

fn business_seconds(cal: Option<&Calendar>, deal: &Deal) -> Option<i64> {
    Some(cal?.business_duration(deal.closed_at?, deal.handoff_at?).num_seconds())
}

/// Writes the deal's row (and its asks and tasks); for a deal `new` to the read tables, returns the
/// `rowid` it was inserted as.
fn save_deal(conn: &Connection, cal: Option<&Calendar>, deal: &Deal, new: bool) -> Result<Option<i64>, StoreError> {
    let state = serde_json::to_string(deal).expect("a deal always serialises");
    let service = deal.service.as_ref();
    conn.prepare_cached(
        "INSERT INTO deals (id, title, customer, status, sales_owner, fulfilment_owner, value_minor, currency,
                            external_id, added_at, closed_at, handoff_at, dwell_seconds, business_dwell_seconds, state,
                            trip_start_at, trip_end_date, service_due_at, service_owner, service_started_at,
                            service_completed_at, review_date, contacted_at, heard_within_day, service_lead_seconds)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,
                 ?25)
         ON CONFLICT (id) DO UPDATE SET
            title = excluded.title, customer = excluded.customer, status = excluded.status,
            sales_owner = excluded.sales_owner, fulfilment_owner = excluded.fulfilment_owner,
            value_minor = excluded.value_minor, currency = excluded.currency,
            external_id = excluded.external_id, added_at = excluded.added_at,
            closed_at = excluded.closed_at, handoff_at = excluded.handoff_at,
            dwell_seconds = excluded.dwell_seconds, business_dwell_seconds = excluded.business_dwell_seconds,
            state = excluded.state, trip_start_at = excluded.trip_start_at, trip_end_date = excluded.trip_end_date,
            service_due_at = excluded.service_due_at, service_owner = excluded.service_owner,
            service_started_at = excluded.service_started_at, service_completed_at = excluded.service_completed_at,
            review_date = excluded.review_date, contacted_at = excluded.contacted_at,
            heard_within_day = excluded.heard_within_day, service_lead_seconds = excluded.service_lead_seconds",
    )?
    .execute(params![
        deal.id.to_string(),
        deal.title,
        deal.customer,
        deal.status.as_str(),
        deal.sales_owner.to_string(),
        deal.acting_fulfilment_owner().map(|p| p.to_string()),
        deal.value.minor,
        deal.value.currency,
        deal.external_id,
        time_text(deal.added_at),
        deal.closed_at.map(time_text),
        deal.handoff_at.map(time_text),
        deal.dwell().map(|d| d.num_seconds()),
        business_seconds(cal, deal),
        state,
        cal.and_then(|c| deal.trip_start_at(c)).map(time_text),
        deal.trip.end.map(|d| d.to_string()),
        service.map(|s| time_text(s.due_at)),
        service.map(|s| s.owner.to_string()),
        service.and_then(|s| s.started_at).map(time_text),
        service.and_then(|s| s.completed_at).map(time_text),
        deal.follow_up.as_ref().map(|f| f.review.to_string()),
        deal.customer_contacted_at.map(time_text),
        cal.and_then(|c| deal.heard_code(c)),
        cal.and_then(|c| service_lead_seconds(c, deal)),
    ])?;
    let inserted = new.then(|| conn.last_insert_rowid());
    for ask in &deal.asks {
        conn.prepare_cached(
            "INSERT INTO asks (id, deal, traveller, topic, text, covered, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO NOTHING",
        )?
        .execute(params![
            ask.id.to_string(),
            deal.id.to_string(),
            ask.traveller.map(|t| t.to_string()),
            ask.topic.as_str(),
            ask.text,
            ask.brief_should_have_covered,
            time_text(ask.at),
        ])?;
    }
    for task in &deal.tasks {
        conn.prepare_cached(
            "INSERT INTO tasks (id, deal, title, owner, created_at, due_at, done_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, due_at = excluded.due_at, done_at = excluded.done_at",
        )?
        .execute(params![
            task.id.to_string(),
            deal.id.to_string(),
            task.title,
            task.owner.to_string(),
            time_text(task.created_at),
            time_text(task.due_at),
            task.done_at.map(time_text),
        ])?;
    }
    Ok(inserted)
}

/// How long before its trip a deal's service handoff was completed, in seconds; none until it is.
fn service_lead_seconds(cal: &Calendar, deal: &Deal) -> Option<i64> {
    let completed = deal.service.as_ref()?.completed_at?;
    Some((deal.trip_start_at(cal)? - completed).num_seconds())
}

/// Counts the business dwell of handed-off deals again after the calendar changed: only those
/// whose close..handoff span can include `day` when a holiday was added or removed, every one otherwise.
fn recompute_business_dwell(
    conn: &Connection,
    cal: &Calendar,
    day: Option<chrono::NaiveDate>,
) -> Result<(), StoreError> {
    let (from, to) = match day {
        Some(day) => {
            let midnight = cal.to_utc(day.and_hms_opt(0, 0, 0).expect("midnight"));
            (time_text(midnight - chrono::Duration::days(1)), time_text(midnight + chrono::Duration::days(2)))
        }
        None => (String::new(), "9999".to_string()), // RFC 3339 text sorts between these
    };
    let mut stmt = conn.prepare_cached(
        "SELECT id, closed_at, handoff_at, business_dwell_seconds, contacted_at, heard_within_day FROM deals
         WHERE handoff_at IS NOT NULL AND closed_at <= ?2 AND (handoff_at >= ?1 OR contacted_at >= ?1)",
    )?;
    type Row = (String, String, String, Option<i64>, Option<String>, Option<i64>);
    let rows: Vec<Row> = stmt
        .query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<Result<_, _>>()?;
    for (id, closed, handoff, held, contacted, heard_held) in rows {
        let closed = parse_time(&closed)?;
        let seconds = cal.business_duration(closed, parse_time(&handoff)?).num_seconds();
        // Only a figure that changed is written: a row and its index entries rewritten for
        // nothing cost as much as a changed one.
        if held != Some(seconds) {
            conn.prepare_cached("UPDATE deals SET business_dwell_seconds = ?1 WHERE id = ?2")?
                .execute(params![seconds, id])?;
        }
        // Only a contact's figure moves with the calendar; unknown and not-yet stay as they are.
        let heard = contacted
            .map(|c| parse_time(&c))
            .transpose()?
            .map(|c| i64::from(c <= cal.one_business_day_deadline(closed)))
            .or(heard_held);
        if heard != heard_held {
            conn.prepare_cached("UPDATE deals SET heard_within_day = ?1 WHERE id = ?2")?.execute(params![heard, id])?;
        }
    }
    Ok(())
}

/// Writes an escalation or a cold-outreach batch: each a row of its own (once, however often
/// a refold meets it); marks a conflict settled (the first settlement counts); or folds a
/// Tuesday review's start or end into its row.
fn insert_alone(conn: &Connection, event: &Event) -> Result<(), StoreError> {
    match &event.body {
        EventBody::ConflictSettled { conflict, how, .. } => {
            conn.prepare_cached(
                "UPDATE conflicts SET settled_at = ?1, settled_by = ?2, settled_how = ?3
                 WHERE id = ?4 AND settled_at IS NULL",
            )?
            .execute(params![
                time_text(event.occurred_at),
                event.actor.map(|a| a.to_string()),
                how.as_str(),
                conflict.to_string()
            ])?;
        }
        EventBody::FounderEscalated { escalation, deal, dept, founder, reason } => {
            conn.prepare_cached(
                "INSERT INTO escalations (id, deal, dept, founder, reason, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO NOTHING",
            )?
            .execute(params![
                escalation.to_string(),
                deal.map(|d| d.to_string()),
                dept.map(|d| d.as_str()),
                founder.to_string(),
                reason,
                time_text(event.occurred_at),
            ])?;
        }
        EventBody::ReviewStarted { review } | EventBody::ReviewEnded { review } => {
            let held = crate::query::review_meeting(conn, *review)?;
            if let Some(m) = handoff_domain::review::ReviewMeeting::apply(held, event)? {
                conn.prepare_cached(
                    "INSERT INTO reviews (review, started_at, started_by, ended_at, ended_by) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (review) DO UPDATE SET ended_at = excluded.ended_at, ended_by = excluded.ended_by",
                )?
                .execute(params![
                    m.review.to_string(),
                    time_text(m.started_at),
                    m.started_by.map(|p| p.to_string()),
                    m.ended_at.map(time_text),
                    m.ended_by.map(|p| p.to_string()),
                ])?;
            }
        }
        EventBody::ColdOutreachRecorded { batch, date, attempts, renewals } => {
            conn.prepare_cached(
                "INSERT INTO cold_outreach (id, date, attempts, renewals) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO NOTHING",
            )?
            .execute(params![batch.to_string(), date.to_string(), attempts, renewals])?;
        }
        EventBody::ColdCallMade { call, date, customer, outcome, note } => {
            conn.prepare_cached(
                "INSERT INTO cold_outreach (id, date, attempts, renewals, customer, outcome, note)
                 VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING",
            )?
            .execute(params![
                call.to_string(),
                date.to_string(),
                u32::from(*outcome == handoff_domain::trip::Outcome::Renewed),
                customer,
                outcome.as_str(),
                (!note.is_empty()).then_some(note),
            ])?;
        }
        other => {
            return Err(RuleError::IllegalTransition {
                event: other.name(),
                reason: "routed to the wrong record".into(),
            }
            .into())
        }
    }
    Ok(())
}

/// Folds one event into the read tables. `dir` is the directory as of just before the event and
/// is updated in place.
pub(crate) fn apply(conn: &Connection, dir: &mut Directory, event: &Event) -> Result<(), StoreError> {
    let body = &event.body;
    match (body.aggregate(), body) {
        (Aggregate::Directory, _) => {
            dir.apply(body, event.occurred_at)?;
            save_directory(conn, dir)?;
            match body {
                EventBody::HolidayAdded { date, .. } | EventBody::HolidayRemoved { date, .. } => {
                    recompute_business_dwell(conn, dir.calendar()?, Some(*date))?
                }
                EventBody::CalendarChanged { .. } => recompute_business_dwell(conn, dir.calendar()?, None)?,
                _ => {}
            }
        }
        (Aggregate::Escalation | Aggregate::ColdOutreach | Aggregate::Settlement | Aggregate::Review(_), _) => {
            insert_alone(conn, event)?
        }
        (Aggregate::Deal(id), _) => {
            let picks_at_review = match body {
                EventBody::ReviewPicked { review, .. } => crate::query::picks_at_review(conn, *review)?,
                _ => 0,
            };
            let ctx = FoldContext { directory: dir, picks_at_review };
            let held = load_deal(conn, id)?;
            let new = held.is_none();
            let searched = changes_what_is_searched(body);
            let before = if searched { held.as_ref().map(search::search_row) } else { None };
            let deal = Deal::apply(held, event, &ctx)?;
            let inserted = save_deal(conn, dir.agency.as_ref().map(|a| &a.calendar), &deal, new)?;
            if searched {
                index_deal(conn, before, &deal, inserted)?;
            }
        }
    }
    Ok(())
}

/// What a refold folds again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The whole log (a rebuild).
    All,
    /// The directory, and these deals (ids as the log's `deal` column has them) with every deal
    /// linked to them (see [`linked_deals`]).
    Deals(BTreeSet<String>),
}

/// Folds the log again as laptops merge: in clock-stamp order, one action at a time — its
/// events on one deal (or on the directory) applied together, or skipped together and
/// recorded in `conflicts`. The directory is always folded from its first event (it is small);
/// deals outside `scope` keep their rows. `read` holds events already read from their stored text
/// (by id), which are not read again. Returns how many events were read.
pub(crate) fn refold(conn: &Connection, scope: Scope, mut read: HashMap<String, Event>) -> Result<usize, StoreError> {
    let before = load_directory(conn)?.agency.map(|a| a.calendar);
    // The deals folded again: every one, or those asked for with the deals linked to them.
    let refolded = match scope {
        Scope::All => None,
        Scope::Deals(deals) => Some(linked_deals(conn, deals)?),
    };
    // Read in the log's own order and sorted here: SQLite sorting whole rows by clock stamp costs
    // more than the fold of what it sorts. Events outside any deal are read whole (what they act
    // on depends on what they say; they are few); a deal's events only by their place in the log,
    // each read whole when its action is folded (unless `read` holds it already), so a whole
    // refold never holds the log in memory.
    // A whole refold fills the read tables from empty: their lookup indexes are built once at the
    // end, from sorted rows, rather than kept row by row (nothing in the fold reads by them).
    let mut set_aside = Vec::new();
    let mut ids = SharedIds::default();
    let mut placed: Vec<Placed> =
        query_raw(conn, &format!("SELECT {EVENT_COLUMNS} FROM events WHERE deal IS NULL"), [])?
            .into_iter()
            .map(|raw| {
                let event = read.remove(&raw.id).map_or_else(|| raw.event(), Ok);
                Placed::Whole(Box::new((raw, event)))
            })
            .collect();
    match &refolded {
        None => {
            clear(conn)?;
            set_aside = set_aside_lookup_indexes(conn, &READ_TABLES)?;
            place_deal_events(conn, "deal IS NOT NULL", [], &mut ids, &mut placed)?;
        }
        Some(deals) => {
            forget(conn, deals)?;
            for deal in deals {
                place_deal_events(conn, "deal = ?1", [deal], &mut ids, &mut placed)?;
            }
        }
    };
    placed.sort_unstable_by(|a, b| a.order().cmp(&b.order()));
    let count = placed.len();
    let mut dir = Directory::default();
    let acts = actions(placed, &mut ids)?;
    search::start_staging(conn)?;
    // Whether a deal was saved with a calendar that changed after it (a holiday added later).
    let (mut deals_folded, mut calendar_moved) = (false, false);
    let mut held = HeldDeals::default();
    for action in acts {
        let on_deal = matches!(action.target, Target::Deal(_));
        let calendar = if on_deal { None } else { dir.agency.as_ref().map(|a| a.calendar.clone()) };
        if matches!(action.target, Target::Directory) {
            // Each deal's row is counted with the calendar as of its last action, as when folded live.
            held.save(conn, calendar.as_ref())?;
        }
        fold_action(conn, &mut dir, &mut held, &mut read, action)?;
        if on_deal {
            deals_folded = true;
        } else if deals_folded && dir.agency.as_ref().map(|a| &a.calendar) != calendar.as_ref() {
            calendar_moved = true;
        }
    }
    held.save(conn, dir.agency.as_ref().map(|a| &a.calendar))?;
    drop(held);
    search::fill_staged(conn)?;
    if dir != Directory::default() {
        save_directory(conn, &dir)?;
    }
    // Business dwell is counted with the calendar as it is now. Each deal folded again was saved
    // with the calendar of its own last event: counted again when the calendar changed after it;
    // every deal kept as it was is counted again when the calendar is no longer what it was.
    if let Some(cal) = dir.agency.as_ref().map(|a| &a.calendar) {
        match &refolded {
            Some(deals) if before.as_ref() == Some(cal) => {
                if calendar_moved {
                    for deal in deals {
                        recompute_deal_business_dwell(conn, cal, deal)?;
                    }
                }
            }
            None if !calendar_moved => {}
            _ => recompute_business_dwell(conn, cal, None)?,
        }
    }
    for sql in set_aside {
        conn.execute(&sql, [])?;
    }
    Ok(count)
}

/// Drops the lookup indexes of `tables` (those that keep nothing unique) and returns the
/// statements that make them again. Uniqueness stays enforced throughout: the fold and the log
/// rely on it. An index made once from every row costs a fraction of keeping it row by row.
pub(crate) fn set_aside_lookup_indexes(conn: &Connection, tables: &[&str]) -> Result<Vec<String>, StoreError> {
    let tables = tables.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    let indexes: Vec<(String, String)> = conn
        .prepare(&format!(
            "SELECT name, sql FROM sqlite_schema
              WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables})
                AND NOT EXISTS (SELECT 1 FROM pragma_index_list(tbl_name) AS l WHERE l.name = sqlite_schema.name AND l.\"unique\")"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        conn.execute(&format!("DROP INDEX \"{name}\""), [])?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// The deals holding the same CRM record as deal `?1`: on an imported (won) deal, or on an open
/// deal added from a CRM, each kind found through its own index (a deal added from a CRM is known
/// by its record id's name in the payload before its JSON is read, as the index is).
pub(crate) const SAME_CRM_RECORD: &str = r#"SELECT other.deal FROM events AS mine JOIN events AS other
       ON other.kind = 'deal_imported'
      AND json_extract(other.payload, '$.external_id') = json_extract(mine.payload, '$.external_id')
    WHERE mine.deal = ?1 AND mine.kind IN ('deal_imported', 'deal_added')
    UNION
    SELECT other.deal FROM events AS mine JOIN events AS other
       ON other.kind = 'deal_added' AND instr(other.payload, '"external_id"') > 0
      AND json_extract(other.payload, '$.external_id') IS NOT NULL
      AND json_extract(other.payload, '$.external_id') = json_extract(mine.payload, '$.external_id')
    WHERE mine.deal = ?1 AND mine.kind IN ('deal_imported', 'deal_added')"#;

/// The deals a refold of `deals` must fold with them, since one's fold reads the other's: a
/// CRM record imported on two laptops (the first import counts), and the picks of one Tuesday
/// review (no more than the agency's limit, first come first counted).
fn linked_deals(conn: &Connection, deals: BTreeSet<String>) -> Result<BTreeSet<String>, StoreError> {
    let mut all = deals.clone();
    let mut frontier: Vec<String> = deals.into_iter().collect();
    while let Some(deal) = frontier.pop() {
        // The CRM record (see [`SAME_CRM_RECORD`]).
        let mut linked: Vec<String> =
            conn.prepare_cached(SAME_CRM_RECORD)?.query_map([&deal], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let picked: Vec<String> = conn
            .prepare_cached(
                "SELECT DISTINCT other.deal FROM events AS mine JOIN events AS other
                   ON other.kind = 'review_picked' AND json_extract(other.payload, '$.review') = json_extract(mine.payload, '$.review')
                 WHERE mine.deal = ?1 AND mine.kind = 'review_picked'",
            )?
            .query_map([&deal], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        linked.extend(picked);
        {
            for other in linked {
                if all.insert(other.clone()) {
                    frontier.push(other);
                }
            }
        }
    }
    Ok(all)
}

/// Deletes what the read tables hold of `deals`, every conflict of the directory and every review,
/// before they are folded again.
fn forget(conn: &Connection, deals: &BTreeSet<String>) -> Result<(), StoreError> {
    conn.execute("DELETE FROM skipped_events WHERE event IN (SELECT id FROM events WHERE deal IS NULL)", [])?;
    conn.execute("DELETE FROM conflicts WHERE deal IS NULL", [])?;
    // Every review folds again from its events (which are all read again): the first start by
    // clock stamp may have just arrived.
    conn.execute("DELETE FROM reviews", [])?;
    for deal in deals {
        let rowid: Option<i64> =
            conn.prepare_cached("SELECT rowid FROM deals WHERE id = ?1")?.query_row([deal], |r| r.get(0)).optional()?;
        if let Some(rowid) = rowid {
            search::forget(conn, rowid)?;
        }
        for sql in [
            "DELETE FROM skipped_events WHERE event IN (SELECT id FROM events WHERE deal = ?1)",
            "DELETE FROM conflicts WHERE deal = ?1",
            "DELETE FROM tasks WHERE deal = ?1",
            "DELETE FROM asks WHERE deal = ?1",
            "DELETE FROM escalations WHERE deal = ?1",
            "DELETE FROM deals WHERE id = ?1",
        ] {
            conn.prepare_cached(sql)?.execute([deal])?;
        }
    }
    Ok(())
}

/// The deals a refold holds between actions, each as the fold left it: read once and written
/// back once — when the refold needs the table to say what they are (the directory may change the
/// calendar their rows are counted with), when it holds [`MOST_HELD_DEALS`], and at its end. A
/// refold otherwise loads and saves a deal's whole state at every one of its actions.
#[derive(Default)]
struct HeldDeals {
    deals: HashMap<DealId, HeldDeal>,
    /// The deals written back and let go. Every deal a refold folds has its row deleted first
    /// ([`clear`], [`forget`]) and only this writes deal rows during a refold, so a deal neither
    /// held nor let go has no row, and is not looked for.
    let_go: std::collections::HashSet<DealId>,
    /// How many deals were picked at each Tuesday review, as the table says once every deal held
    /// is written back: counted from the table when first asked, then kept as deals are put
    /// (a count from the table at each pick would read every deal's row while a whole refold
    /// has set the table's lookup indexes aside).
    picks: Option<HashMap<chrono::NaiveDate, usize>>,
}

struct HeldDeal {
    deal: Deal,
    /// Its row in `deals`.
    rowid: i64,
    /// Changed since its row was written.
    unsaved: bool,
    /// What it is found by changed since its search row was staged.
    searched: bool,
}

/// How many deals a refold holds at most (a deal lived through the whole playbook is a few dozen
/// KB in memory). Only memory and speed depend on it, never what a refold gives.
const MOST_HELD_DEALS: usize = 2048;

/// [`MOST_HELD_DEALS`], or what tests set (see [`hold_at_most`]).
static HOLD_AT_MOST: AtomicUsize = AtomicUsize::new(MOST_HELD_DEALS);

/// Makes refolds hold at most `deals` deals, so a test's refolds write deals back and read them
/// again as they go.
#[cfg(any(test, feature = "test-support"))]
pub fn hold_at_most(deals: usize) {
    HOLD_AT_MOST.store(deals.max(1), Ordering::Relaxed);
}

impl HeldDeals {
    /// The deal as the refold has it so far: held, or read from its row. `cal` is the calendar
    /// the deals held are saved with when there is no room for another.
    fn get(&mut self, conn: &Connection, cal: Option<&Calendar>, id: DealId) -> Result<Option<&HeldDeal>, StoreError> {
        if !self.deals.contains_key(&id) {
            self.make_room(conn, cal)?;
        }
        if !self.let_go.contains(&id) {
            return Ok(self.deals.get(&id));
        }
        if let std::collections::hash_map::Entry::Vacant(vacant) = self.deals.entry(id) {
            let row: Option<(String, i64)> = conn
                .prepare_cached("SELECT state, rowid FROM deals WHERE id = ?1")?
                .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((state, rowid)) = row else { return Ok(None) };
            let deal = serde_json::from_str(&state).map_err(|e| corrupt("a deal", e))?;
            vacant.insert(HeldDeal { deal, rowid, unsaved: false, searched: false });
        }
        Ok(self.deals.get(&id))
    }

    /// Takes the deal as an action left it. A deal new to the read tables gets its row at once,
    /// so a CRM record it holds is found by the deals after it.
    fn put(&mut self, conn: &Connection, cal: Option<&Calendar>, deal: Deal, searched: bool) -> Result<(), StoreError> {
        if let Some(picks) = &mut self.picks {
            let picked_at = |deal: &Deal| deal.follow_up.as_ref().map(|f| f.review);
            let before = self.deals.get(&deal.id).and_then(|held| picked_at(&held.deal));
            let after = picked_at(&deal);
            if before != after {
                if let Some(review) = before {
                    // The deal was counted at its review when it was read or put, so the count
                    // is above zero; one that is not is a bug in the counting, shown in tests.
                    let counted = picks.get_mut(&review);
                    debug_assert!(
                        counted.as_deref().is_some_and(|n| *n > 0),
                        "deal {} was picked at {review} but not counted there",
                        deal.id
                    );
                    if let Some(n) = counted {
                        *n = n.saturating_sub(1);
                    }
                }
                if let Some(review) = after {
                    *picks.entry(review).or_default() += 1;
                }
            }
        }
        match self.deals.get_mut(&deal.id) {
            Some(held) => {
                held.deal = deal;
                held.unsaved = true;
                held.searched |= searched;
            }
            None => {
                debug_assert!(!self.let_go.contains(&deal.id), "a deal let go is read back before it is put");
                self.make_room(conn, cal)?;
                let rowid = save_deal(conn, cal, &deal, true)?.expect("a new deal's row was inserted");
                self.deals.insert(deal.id, HeldDeal { deal, rowid, unsaved: false, searched: true });
            }
        }
        Ok(())
    }

    /// Writes every deal held back and lets them go, when there is no room for another.
    fn make_room(&mut self, conn: &Connection, cal: Option<&Calendar>) -> Result<(), StoreError> {
        if self.deals.len() >= HOLD_AT_MOST.load(Ordering::Relaxed) {
            self.save(conn, cal)?;
            self.let_go.extend(self.deals.drain().map(|(id, _)| id));
        }
        Ok(())
    }

    /// How many deals were picked at `review` so far (see [`HeldDeals::picks`]).
    fn picks_at_review(
        &mut self,
        conn: &Connection,
        cal: Option<&Calendar>,
        review: chrono::NaiveDate,
    ) -> Result<usize, StoreError> {
        if self.picks.is_none() {
            self.save(conn, cal)?;
            let counted: HashMap<chrono::NaiveDate, usize> = conn
                .prepare("SELECT review_date, count(*) FROM deals WHERE review_date IS NOT NULL GROUP BY review_date")?
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                .map(|row| {
                    let (date, n) = row?;
                    let date =
                        date.parse().map_err(|e| StoreError::UnreadableEvent(format!("a review date {date}: {e}")))?;
                    Ok((date, n as usize))
                })
                .collect::<Result<_, StoreError>>()?;
            self.picks = Some(counted);
        }
        Ok(self.picks.as_ref().and_then(|p| p.get(&review)).copied().unwrap_or(0))
    }

    /// Writes every changed deal's row and stages its search row.
    fn save(&mut self, conn: &Connection, cal: Option<&Calendar>) -> Result<(), StoreError> {
        for held in self.deals.values_mut() {
            if held.unsaved {
                save_deal(conn, cal, &held.deal, false)?;
                held.unsaved = false;
            }
            if held.searched {
                search::stage(conn, &held.deal, held.rowid)?;
                held.searched = false;
            }
        }
        Ok(())
    }

    /// The title of a deal held, when it is.
    fn title(&self, id: &str) -> Option<&str> {
        self.deals.get(&id.parse().ok()?).map(|h| h.deal.title.as_str())
    }
}

/// What one action acts on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Target {
    Directory,
    Deal(Rc<str>),
    /// An event that stands alone: an escalation logged without a deal, a cold-outreach batch.
    Alone(String),
}

/// An event in the fold's order: read whole (as stored and as read), or by its place alone (see
/// [`refold`]).
enum Placed {
    Whole(Box<(RawEvent, Result<Event, Unfoldable>)>),
    OnDeal { seq: i64, hlc: String, id: String, device: Rc<str>, part: u32, deal: Rc<str> },
}

impl Placed {
    /// Where it falls in the fold: by clock stamp, then id.
    fn order(&self) -> (&str, &str) {
        match self {
            Placed::Whole(whole) => (&whole.0.hlc, &whole.0.id),
            Placed::OnDeal { hlc, id, .. } => (hlc, id),
        }
    }

    /// The event as stored, and as read: taken from `read` when it was read already (and then
    /// not read from the log until a skip or a conflict records it, which is rare).
    fn read(
        self,
        conn: &Connection,
        read: &mut HashMap<String, Event>,
    ) -> Result<(Stored, Result<Event, Unfoldable>), StoreError> {
        match self {
            Placed::Whole(whole) => {
                let (raw, event) = *whole;
                Ok((Stored::Read(Box::new(raw)), event))
            }
            Placed::OnDeal { seq, id, .. } => match read.remove(&id) {
                Some(event) => Ok((Stored::At(seq), Ok(event))),
                None => {
                    let raw = stored_at(conn, seq)?;
                    let event = raw.event();
                    Ok((Stored::Read(Box::new(raw)), event))
                }
            },
        }
    }
}

/// An event of the action being folded, as stored: read from the log, or only where it is.
enum Stored {
    Read(Box<RawEvent>),
    /// Its place in the log (`seq`).
    At(i64),
}

fn stored_at(conn: &Connection, seq: i64) -> Result<RawEvent, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq = ?1"))?
        .query_row([seq], RawEvent::read)?)
}

/// An action's events as stored, each read from the log now when it was not yet.
fn as_stored(conn: &Connection, stored: Vec<Stored>) -> Result<Vec<RawEvent>, StoreError> {
    stored
        .into_iter()
        .map(|s| match s {
            Stored::Read(raw) => Ok(*raw),
            Stored::At(seq) => stored_at(conn, seq),
        })
        .collect()
}

/// Laptop and deal ids, each kept once however many events name it.
#[derive(Default)]
struct SharedIds(std::collections::HashSet<Rc<str>>);

impl SharedIds {
    fn get(&mut self, name: &str) -> Rc<str> {
        match self.0.get(name) {
            Some(held) => Rc::clone(held),
            None => {
                let held: Rc<str> = Rc::from(name);
                self.0.insert(Rc::clone(&held));
                held
            }
        }
    }
}

/// Places the deal events `filter` selects (a condition on `events`), by their place alone.
fn place_deal_events<P: rusqlite::Params>(
    conn: &Connection,
    filter: &str,
    params: P,
    ids: &mut SharedIds,
    placed: &mut Vec<Placed>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT seq, hlc, id, device, part, deal FROM events WHERE {filter}"))?;
    let mut rows = stmt.query(params)?;
    while let Some(r) = rows.next()? {
        placed.push(Placed::OnDeal {
            seq: r.get(0)?,
            hlc: r.get(1)?,
            id: r.get(2)?,
            device: ids.get(r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?),
            part: r.get(4)?,
            deal: ids.get(r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?),
        });
    }
    Ok(())
}

/// One action's events on one target, in fold order.
struct Action {
    target: Target,
    placed: Vec<Placed>,
}

/// Groups events (in fold order) into actions, each placed where its first event falls.
fn actions(placed: Vec<Placed>, ids: &mut SharedIds) -> Result<Vec<Action>, StoreError> {
    let mut out: Vec<Action> = Vec::with_capacity(placed.len());
    let mut index: HashMap<(Rc<str>, Hlc, Target), usize> = HashMap::with_capacity(placed.len());
    for p in placed {
        let (target, device, hlc, part) = match &p {
            Placed::OnDeal { hlc, device, part, deal, .. } => {
                (Target::Deal(Rc::clone(deal)), Rc::clone(device), hlc.as_str(), *part)
            }
            Placed::Whole(whole) => {
                let (raw, parsed) = &**whole;
                let target = match parsed {
                    Err(Unfoldable::Bad(why)) => return Err(StoreError::UnreadableEvent(why.clone())),
                    Err(Unfoldable::Newer(_)) => Target::Directory,
                    Ok(e) if e.body.is_directory() => Target::Directory,
                    Ok(_) => Target::Alone(raw.id.clone()),
                };
                (target, ids.get(&raw.device), raw.hlc.as_str(), raw.part)
            }
        };
        let hlc: Hlc =
            hlc.parse().map_err(|e: handoff_domain::hlc::BadHlc| StoreError::UnreadableEvent(e.to_string()))?;
        let key = (device, hlc.back(part).unwrap_or(hlc), target.clone());
        match index.get(&key) {
            Some(&i) => out[i].placed.push(p),
            None => {
                index.insert(key, out.len());
                out.push(Action { target, placed: vec![p] });
            }
        }
    }
    Ok(out)
}

/// Folds one action in merge mode.
fn fold_action(
    conn: &Connection,
    dir: &mut Directory,
    held: &mut HeldDeals,
    read: &mut HashMap<String, Event>,
    action: Action,
) -> Result<(), StoreError> {
    let Action { target, placed } = action;
    let (stored, events): (Vec<Stored>, Vec<Result<Event, Unfoldable>>) =
        placed.into_iter().map(|p| p.read(conn, read)).collect::<Result<Vec<_>, _>>()?.into_iter().unzip();
    // The events as stored: needed only to record a skip or a conflict.
    let raws = move || as_stored(conn, stored);
    if let Some(Err(Unfoldable::Bad(why))) = events.iter().find(|e| matches!(e, Err(Unfoldable::Bad(_)))) {
        return Err(StoreError::UnreadableEvent(why.clone()));
    }
    let deal_column = match &target {
        Target::Deal(deal) => Some(&**deal),
        Target::Directory | Target::Alone(_) => None,
    };
    if let Some(version) = events.iter().find_map(|e| match e {
        Err(Unfoldable::Newer(v)) => Some(*v),
        _ => None,
    }) {
        return skip(conn, &raws()?, deal_column, Some(&merge::newer_version(version)));
    }
    // Every event is read by now: a damaged one stopped the fold, a newer one the line above.
    let events: Vec<Event> = events.into_iter().filter_map(Result::ok).collect();
    match &target {
        Target::Alone(_) => {
            for event in &events {
                insert_alone(conn, event)?;
            }
        }
        Target::Directory => match merge::merge_directory_action(dir, &events) {
            Merged::Applied(next, _) => *dir = next,
            Merged::AlreadySo => skip(conn, &raws()?, None, None)?,
            Merged::Skipped(conflict) => skip(conn, &raws()?, None, Some(&conflict))?,
        },
        Target::Deal(deal) => {
            let id: DealId = deal.parse().map_err(|_| StoreError::UnreadableEvent(format!("deal id {deal}")))?;
            if let Some(conflict) = imported_elsewhere(conn, dir, held, id, &events)? {
                return skip(conn, &raws()?, Some(deal), Some(&conflict));
            }
            let picks_at_review = match events.iter().find_map(|e| match &e.body {
                EventBody::ReviewPicked { review, .. } => Some(*review),
                _ => None,
            }) {
                Some(review) => held.picks_at_review(conn, dir.agency.as_ref().map(|a| &a.calendar), review)?,
                None => 0,
            };
            // A conflict settled on two laptops: the first settlement counts, and the second
            // action — with any version it took — is already so.
            if settles_a_settled_conflict(conn, &events)? {
                return skip(conn, &raws()?, Some(deal), None);
            }
            // A settlement alone (kept what stands) changes no deal: the deal may not even be
            // here (an import left out as a repeat).
            if events.iter().all(|e| matches!(e.body, EventBody::ConflictSettled { .. })) {
                for event in &events {
                    insert_alone(conn, event)?;
                }
                return Ok(());
            }
            let ctx = FoldContext { directory: dir, picks_at_review };
            let state = held.get(conn, dir.agency.as_ref().map(|a| &a.calendar), id)?.map(|h| &h.deal);
            match merge::merge_deal_action(state, &events, &ctx) {
                Merged::Applied(next, conflict) => {
                    let calendar = dir.agency.as_ref().map(|a| &a.calendar);
                    let searched = events.iter().any(|e| changes_what_is_searched(&e.body));
                    held.put(conn, calendar, next, searched)?;
                    for event in events.iter().filter(|e| {
                        matches!(e.body, EventBody::FounderEscalated { .. } | EventBody::ConflictSettled { .. })
                    }) {
                        insert_alone(conn, event)?;
                    }
                    if let Some(conflict) = conflict {
                        record(conn, &raws()?[0], Some(deal), &conflict, false)?;
                    }
                }
                // The other version a lead took was already so (another laptop had done the
                // same): the settlement still counts.
                Merged::AlreadySo if events.iter().any(|e| matches!(e.body, EventBody::ConflictSettled { .. })) => {
                    let raws = raws()?;
                    let (settlements, rest): (Vec<_>, Vec<_>) = raws
                        .iter()
                        .zip(&events)
                        .partition(|(_, e)| matches!(e.body, EventBody::ConflictSettled { .. }));
                    let rest: Vec<RawEvent> = rest.into_iter().map(|(raw, _)| raw.clone()).collect();
                    skip(conn, &rest, Some(deal), None)?;
                    for (_, event) in settlements {
                        insert_alone(conn, event)?;
                    }
                }
                Merged::AlreadySo => skip(conn, &raws()?, Some(deal), None)?,
                Merged::Skipped(conflict) => skip(conn, &raws()?, Some(deal), Some(&conflict))?,
            }
        }
    }
    Ok(())
}

/// Whether the action settles a conflict someone has settled already.
fn settles_a_settled_conflict(conn: &Connection, events: &[Event]) -> Result<bool, StoreError> {
    for event in events {
        if let EventBody::ConflictSettled { conflict, .. } = &event.body {
            let settled: Option<bool> = conn
                .prepare_cached("SELECT settled_at IS NOT NULL FROM conflicts WHERE id = ?1")?
                .query_row([conflict.to_string()], |r| r.get(0))
                .optional()?;
            if settled == Some(true) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// A deal from a CRM (imported won, or added open) whose record another deal already holds: the
/// first counts.
fn imported_elsewhere(
    conn: &Connection,
    dir: &Directory,
    held: &HeldDeals,
    deal: DealId,
    events: &[Event],
) -> Result<Option<Conflict>, StoreError> {
    for event in events {
        let external_id = match &event.body {
            EventBody::DealImported { external_id, .. } => Some(external_id),
            EventBody::DealAdded { external_id, .. } => external_id.as_ref(),
            _ => None,
        };
        if let Some(external_id) = external_id {
            let holder: Option<(String, String)> = conn
                .prepare_cached("SELECT id, title FROM deals WHERE external_id = ?1 AND id <> ?2")?
                .query_row(params![external_id, deal.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((holder, title)) = holder {
                let title = held.title(&holder).unwrap_or(&title);
                return Ok(Some(merge::imported_twice(dir, event, external_id, title)));
            }
        }
    }
    Ok(None)
}

/// Records that `action` was skipped: as a conflict, or as already so (no conflict).
fn skip(
    conn: &Connection,
    raws: &[RawEvent],
    deal: Option<&str>,
    conflict: Option<&Conflict>,
) -> Result<(), StoreError> {
    let first = &raws[0];
    if let Some(conflict) = conflict {
        record(conn, first, deal, conflict, true)?;
    }
    for raw in raws {
        conn.prepare_cached("INSERT INTO skipped_events (event, conflict) VALUES (?1, ?2)")?
            .execute(params![raw.id, conflict.map(|_| &first.id)])?;
    }
    Ok(())
}

/// Records a conflict, with who should hear of it: whose action was left out, or whose text an
/// applied action replaced.
fn record(
    conn: &Connection,
    first: &RawEvent,
    deal: Option<&str>,
    c: &Conflict,
    skipped: bool,
) -> Result<(), StoreError> {
    let tell = match (skipped, deal) {
        (false, Some(deal)) => replaced_author(conn, first, deal, c)?.or_else(|| first.actor.clone()),
        _ => first.actor.clone(),
    };
    conn.prepare_cached(
        "INSERT INTO conflicts (id, deal, kind, skipped, actor, device, at, hlc, note, other, tell)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        first.id,
        deal,
        c.kind.as_str(),
        skipped,
        first.actor,
        first.device,
        first.occurred_at,
        first.hlc,
        c.note,
        serde_json::to_string(&c.other).map_err(|e| StoreError::UnreadableEvent(e.to_string()))?,
        tell
    ])?;
    Ok(())
}

/// Who wrote what an applied action replaced unseen (the last folded edit of that brief section,
/// or of that traveller, before the action): the person whose text was lost.
fn replaced_author(
    conn: &Connection,
    first: &RawEvent,
    deal: &str,
    c: &Conflict,
) -> Result<Option<String>, StoreError> {
    let (kinds, field, value) = match c.other.first() {
        Some(OtherVersion::Section { section, .. }) => {
            (["brief_section_written", "brief_section_written"], "$.section", section.as_str().to_string())
        }
        Some(OtherVersion::Traveller { traveller, .. }) => {
            (["traveller_edited", "traveller_added"], "$.traveller", traveller.to_string())
        }
        _ => return Ok(None),
    };
    Ok(conn
        .prepare_cached(
            "SELECT actor FROM events
              WHERE deal = ?1 AND kind IN (?2, ?3) AND json_extract(payload, ?4) = ?5
                AND (hlc < ?6 OR (hlc = ?6 AND id < ?7))
                AND NOT EXISTS (SELECT 1 FROM skipped_events WHERE event = events.id)
              ORDER BY hlc DESC, id DESC LIMIT 1",
        )?
        .query_row(params![deal, kinds[0], kinds[1], field, value, first.hlc, first.id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Business dwell of one deal again, with the calendar as it is now.
fn recompute_deal_business_dwell(conn: &Connection, cal: &Calendar, deal: &str) -> Result<(), StoreError> {
    let row: Option<(String, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT closed_at, handoff_at, contacted_at FROM deals WHERE id = ?1 AND handoff_at IS NOT NULL AND closed_at IS NOT NULL",
        )?
        .query_row([deal], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((closed, handoff, contacted)) = row {
        let closed = parse_time(&closed)?;
        let seconds = cal.business_duration(closed, parse_time(&handoff)?).num_seconds();
        conn.prepare_cached("UPDATE deals SET business_dwell_seconds = ?1 WHERE id = ?2")?
            .execute(params![seconds, deal])?;
        if let Some(contacted) = contacted {
            let heard = i64::from(parse_time(&contacted)? <= cal.one_business_day_deadline(closed));
            conn.prepare_cached("UPDATE deals SET heard_within_day = ?1 WHERE id = ?2")?
                .execute(params![heard, deal])?;
        }
    }
    Ok(())
}
