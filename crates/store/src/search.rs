//! The deal search index: what a deal is found by (its title, customer, travellers' names and
//! the brief's text) as an FTS5 index of words, kept in step with the deals in batches.
//!
//! Adding one deal's words to the index at every action cost that action about a third of the
//! pages it wrote and a sixth of its time (the index writes a new piece of itself at each commit);
//! for many deals at once it costs a fraction of that. So an action only notes the deal as
//! *waiting* (`search_pending`, a row on one page), and the index takes every waiting deal at once
//! when [`SEARCH_BATCH`] of them wait, when a large write ends, and in every refold. A search never
//! waits: it reads the index for every other deal and the waiting deals' words as they are now,
//! from a small index of this connection's own made at each search ([`fill_waiting_index`]), which
//! writes nothing to the database and so works on a read-only file too.
//!
//! Invariant: every row of `deals` is either in the index with its current words, or waiting —
//! with `indexed` saying whether the index still holds older words of it, taken out when the new
//! ones go in.

use handoff_domain::deal::Deal;
use rusqlite::{params, Connection, OptionalExtension};

use crate::StoreError;

/// How many deals wait at most before an action's transaction gives the index all of them.
pub(crate) const SEARCH_BATCH: i64 = 64;

/// What a deal is found by: its title, customer, travellers' names and the brief's text.
pub(crate) type SearchRow = (String, String, String, String);

/// The deal's [`SearchRow`].
pub(crate) fn search_row(deal: &Deal) -> SearchRow {
    let travellers = deal.travellers.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join("\n");
    let brief = handoff_domain::brief::Section::ALL
        .iter()
        .map(|s| deal.brief.text(*s))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    (deal.title.clone(), deal.customer.clone(), travellers, brief)
}

/// Notes that the deal at `rowid` is found by `words` now. `had_row` says whether the deal had a
/// row before this change: if it had and was not waiting, the index holds its older words.
pub(crate) fn note_changed(conn: &Connection, rowid: i64, had_row: bool, words: &SearchRow) -> Result<(), StoreError> {
    let (title, customer, travellers, brief) = words;
    conn.prepare_cached(
        "INSERT INTO search_pending (deal_row, indexed, title, customer, travellers, brief)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (deal_row) DO UPDATE SET title = excluded.title, customer = excluded.customer,
            travellers = excluded.travellers, brief = excluded.brief",
    )?
    .execute(params![rowid, had_row, title, customer, travellers, brief])?;
    Ok(())
}

/// Forgets the deal at `rowid` (its row is about to be deleted): its words leave the index.
pub(crate) fn forget(conn: &Connection, rowid: i64) -> Result<(), StoreError> {
    // Waiting, it is in the index only if it was before; not waiting, it is.
    let indexed: Option<bool> = conn
        .prepare_cached("DELETE FROM search_pending WHERE deal_row = ?1 RETURNING indexed")?
        .query_row([rowid], |r| r.get(0))
        .optional()?;
    if indexed.unwrap_or(true) {
        conn.prepare_cached("DELETE FROM deal_search WHERE rowid = ?1")?.execute([rowid])?;
    }
    Ok(())
}

/// Empties the index and forgets every waiting deal (a rebuild refills both).
pub(crate) fn clear(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("INSERT INTO deal_search (deal_search) VALUES ('delete-all')", [])?;
    conn.execute("DELETE FROM search_pending", [])?;
    Ok(())
}

/// Gives the index every waiting deal's words at once, when at least `at_least` deals wait.
/// Returns how many deals it took.
pub(crate) fn catch_up(conn: &Connection, at_least: i64) -> Result<usize, StoreError> {
    let waiting: i64 = conn.prepare_cached("SELECT count(*) FROM search_pending")?.query_row([], |r| r.get(0))?;
    if waiting == 0 || waiting < at_least {
        return Ok(0);
    }
    // Older words out first, then the new ones in row order: the index takes rows in increasing
    // order most cheaply.
    let indexed: Vec<i64> = conn
        .prepare_cached("SELECT deal_row FROM search_pending WHERE indexed ORDER BY deal_row")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut delete = conn.prepare_cached("DELETE FROM deal_search WHERE rowid = ?1")?;
    for rowid in indexed {
        delete.execute([rowid])?;
    }
    conn.execute_batch(
        "INSERT INTO deal_search (rowid, title, customer, travellers, brief)
            SELECT deal_row, title, customer, travellers, brief FROM search_pending ORDER BY deal_row;
         DELETE FROM search_pending;",
    )?;
    Ok(waiting as usize)
}

/// A refold keeps each deal's search row aside, last one standing, and gives the index all of
/// them once at the end in row order (see [`fill_staged`]). The index takes rows in increasing
/// order cheaply; a row written again out of order makes it write out everything it holds in
/// memory, and a refold goes back and forth between deals at every action.
pub(crate) fn stage(conn: &Connection, deal: &Deal, rowid: i64) -> Result<(), StoreError> {
    let (title, customer, travellers, brief) = search_row(deal);
    conn.prepare_cached(
        "INSERT INTO temp.search_staged (rowid, title, customer, travellers, brief) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (rowid) DO UPDATE SET title = excluded.title, customer = excluded.customer,
            travellers = excluded.travellers, brief = excluded.brief",
    )?
    .execute(params![rowid, title, customer, travellers, brief])?;
    Ok(())
}

/// An empty table for a refold's search rows (see [`stage`]).
pub(crate) fn start_staging(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS search_staged (
            rowid INTEGER PRIMARY KEY, title TEXT NOT NULL, customer TEXT NOT NULL,
            travellers TEXT NOT NULL, brief TEXT NOT NULL);
         DELETE FROM temp.search_staged;",
    )?;
    Ok(())
}

/// Moves the refold's search rows into the index, in row order. The refolded deals' rows were
/// deleted before the refold (and their words with them, see [`forget`]); the deals the refold
/// wrote are not waiting.
pub(crate) fn fill_staged(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "DELETE FROM search_pending WHERE deal_row IN (SELECT rowid FROM temp.search_staged);
         INSERT INTO deal_search (rowid, title, customer, travellers, brief)
            SELECT rowid, title, customer, travellers, brief FROM temp.search_staged ORDER BY rowid;
         DELETE FROM temp.search_staged;",
    )?;
    Ok(())
}

/// Fills an index of this connection's own, `temp.deal_search_waiting` (the same columns and
/// words as `deal_search`), with the waiting deals' words as they are now; made afresh for each
/// search, which then reads it through [`matching`]. A connection to a file opened read-only
/// writes its own temporary tables all the same (nothing reaches the file).
pub(crate) fn fill_waiting_index(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.deal_search_waiting USING fts5(
            title, customer, travellers, brief, content = '', contentless_delete = 1,
            tokenize = 'unicode61 remove_diacritics 2');
         INSERT INTO temp.deal_search_waiting (deal_search_waiting) VALUES ('delete-all');
         INSERT INTO temp.deal_search_waiting (rowid, title, customer, travellers, brief)
            SELECT deal_row, title, customer, travellers, brief FROM main.search_pending ORDER BY deal_row;",
    )?;
    Ok(())
}

/// SQL: `columns` (of `rowid`, `rank`) of each deal whose words match the full-text query in the
/// parameter `param`: from `deal_search` for the deals not waiting, from the waiting index (see
/// [`fill_waiting_index`], which must be filled first) for the waiting ones.
pub(crate) fn matching(param: &str, columns: &str) -> String {
    format!(
        "SELECT {columns} FROM deal_search
            WHERE deal_search MATCH {param} AND rowid NOT IN (SELECT deal_row FROM main.search_pending)
         UNION ALL
         SELECT {columns} FROM temp.deal_search_waiting WHERE deal_search_waiting MATCH {param}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index and the waiting table, as the migrations make them.
    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE deal_search USING fts5(title, customer, travellers, brief,
                content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
             CREATE TABLE search_pending (deal_row INTEGER PRIMARY KEY, indexed INTEGER NOT NULL, title TEXT NOT NULL,
                customer TEXT NOT NULL, travellers TEXT NOT NULL, brief TEXT NOT NULL) STRICT;",
        )
        .unwrap();
        conn
    }

    fn words(title: &str) -> SearchRow {
        (title.into(), "Acme".into(), "Ana Lima".into(), String::new())
    }

    /// The rows a search for `text` finds: the index's for deals not waiting, the waiting deals' own.
    fn matches(conn: &Connection, text: &str) -> Vec<i64> {
        fill_waiting_index(conn).unwrap();
        let mut stmt = conn.prepare(&format!("{} ORDER BY 1", matching("?1", "rowid"))).unwrap();
        stmt.query_map([text], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    fn waiting(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn waiting_deals_go_into_the_index_at_once_when_enough_wait_and_are_found_meanwhile() {
        let conn = db();
        assert_eq!(catch_up(&conn, SEARCH_BATCH).unwrap(), 0, "nothing waits");
        note_changed(&conn, 1, false, &words("Kyoto in spring")).unwrap();
        note_changed(&conn, 2, false, &words("Lisbon weekend")).unwrap();
        assert_eq!(matches(&conn, "kyoto"), [1], "a waiting deal is found");
        assert_eq!(matches(&conn, "lima"), [1, 2]);
        assert_eq!(catch_up(&conn, 3).unwrap(), 0, "fewer than asked wait");
        assert_eq!(waiting(&conn), 2);
        assert_eq!(catch_up(&conn, 2).unwrap(), 2);
        assert_eq!(waiting(&conn), 0);
        assert_eq!(matches(&conn, "kyoto"), [1], "found in the index");
        // An indexed deal with new words: its older words are not found while it waits, and
        // leave the index when the new ones go in.
        note_changed(&conn, 1, true, &words("Osaka in autumn")).unwrap();
        assert!(matches(&conn, "kyoto").is_empty());
        assert_eq!(matches(&conn, "osaka"), [1]);
        // Changed again while waiting: the latest words wait, and it still counts as indexed.
        note_changed(&conn, 1, false, &words("Nara in winter")).unwrap();
        assert!(conn.query_row("SELECT indexed FROM search_pending", [], |r| r.get::<_, bool>(0)).unwrap());
        assert!(matches(&conn, "osaka").is_empty());
        assert_eq!(catch_up(&conn, 1).unwrap(), 1);
        assert!(matches(&conn, "kyoto").is_empty() && matches(&conn, "osaka").is_empty());
        assert_eq!(matches(&conn, "nara"), [1]);
        let docs: i64 = conn.query_row("SELECT count(*) FROM deal_search_docsize", [], |r| r.get(0)).unwrap();
        assert_eq!(docs, 2, "one entry a deal");
    }

    #[test]
    fn a_forgotten_deal_leaves_the_index_and_the_waiting_deals() {
        let conn = db();
        note_changed(&conn, 1, false, &words("Kyoto in spring")).unwrap();
        catch_up(&conn, 1).unwrap();
        note_changed(&conn, 2, false, &words("Kyoto in autumn")).unwrap();
        assert_eq!(matches(&conn, "kyoto"), [1, 2]);
        forget(&conn, 1).unwrap();
        forget(&conn, 2).unwrap();
        assert!(matches(&conn, "kyoto").is_empty());
        assert_eq!(waiting(&conn), 0);
    }
}
