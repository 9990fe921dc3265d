//! The read tables as a fold of the log. Each event goes through the domain's own fold
//! (`Directory::apply`, `Deal::apply`) and the result is written back, so the tables can only
//! ever hold states the domain allows, and a rebuild reproduces them exactly.

use handoff_domain::calendar::Calendar;
use handoff_domain::deal::{Deal, FoldContext};
use handoff_domain::directory::Directory;
use handoff_domain::event::{Aggregate, Event, EventBody};
use handoff_domain::ids::DealId;
use handoff_domain::RuleError;
use rusqlite::{params, Connection, OptionalExtension};

use crate::codec::{parse_time, time_text};
use crate::StoreError;

/// The read tables, children first (for foreign keys when clearing).
/// The read tables: what the log folds into.
pub const READ_TABLES: [&str; 6] = ["tasks", "asks", "escalations", "deals", "cold_outreach", "directory"];

pub(crate) fn clear(conn: &Connection) -> Result<(), StoreError> {
    for table in READ_TABLES {
        conn.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(())
}

fn corrupt(what: &str, e: serde_json::Error) -> StoreError {
    StoreError::UnreadableEvent(format!("{what}: {e}"))
}

pub(crate) fn load_directory(conn: &Connection) -> Result<Directory, StoreError> {
    let text: Option<String> =
        conn.prepare_cached("SELECT state FROM directory WHERE id = 1")?.query_row([], |r| r.get(0)).optional()?;
    match text {
        None => Ok(Directory::default()),
        Some(t) => serde_json::from_str(&t).map_err(|e| corrupt("the directory", e)),
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

fn save_deal(conn: &Connection, cal: Option<&Calendar>, deal: &Deal) -> Result<(), StoreError> {
    let state = serde_json::to_string(deal).expect("a deal always serialises");
    let service = deal.service.as_ref();
    conn.prepare_cached(
        "INSERT INTO deals (id, title, customer, status, sales_owner, fulfilment_owner, value_minor, currency,
                            external_id, added_at, closed_at, handoff_at, dwell_seconds, business_dwell_seconds, state,
                            trip_start_at, trip_end_date, service_due_at, service_owner, service_started_at,
                            service_completed_at, review_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)
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
            review_date = excluded.review_date",
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
    ])?;
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
    Ok(())
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
    let mut stmt = conn.prepare(
        "SELECT id, closed_at, handoff_at FROM deals WHERE handoff_at IS NOT NULL AND closed_at <= ?2 AND handoff_at >= ?1",
    )?;
    let rows: Vec<(String, String, String)> =
        stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    for (id, closed, handoff) in rows {
        let seconds = cal.business_duration(parse_time(&closed)?, parse_time(&handoff)?).num_seconds();
        conn.execute("UPDATE deals SET business_dwell_seconds = ?1 WHERE id = ?2", params![seconds, id])?;
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
        (Aggregate::Escalation, EventBody::FounderEscalated { escalation, deal, dept, founder, reason }) => {
            conn.prepare_cached(
                "INSERT INTO escalations (id, deal, dept, founder, reason, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
        (Aggregate::ColdOutreach, EventBody::ColdOutreachRecorded { batch, date, attempts, renewals }) => {
            conn.prepare_cached("INSERT INTO cold_outreach (id, date, attempts, renewals) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![batch.to_string(), date.to_string(), attempts, renewals])?;
        }
        (Aggregate::Escalation | Aggregate::ColdOutreach, other) => {
            return Err(RuleError::IllegalTransition {
                event: other.name(),
                reason: "routed to the wrong record".into(),
            }
            .into())
        }
        (Aggregate::Deal(id), _) => {
            let picks_at_review = match body {
                EventBody::ReviewPicked { review, .. } => crate::query::picks_at_review(conn, *review)?,
                _ => 0,
            };
            let ctx = FoldContext { directory: dir, picks_at_review };
            let deal = Deal::apply(load_deal(conn, id)?, event, &ctx)?;
            save_deal(conn, dir.agency.as_ref().map(|a| &a.calendar), &deal)?;
        }
    }
    Ok(())
}
