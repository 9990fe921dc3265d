//! Loading the deal a use case acts on: named as people name it (an id, a unique id prefix or a
//! unique title; see [`crate::input::deal`]) and read with its whole state, inside an action's
//! write transaction or a query's read. Every use case on a deal starts here.

use handoff_domain::deal::Deal;
use handoff_store::{query, Connection, Writer};

use crate::{input, ApiError, ErrorCode};

/// Loads a deal named by `text` inside a write transaction.
pub(crate) fn load(w: &Writer<'_>, text: &str) -> Result<Deal, ApiError> {
    load_from(w.connection(), text)
}

/// Loads a deal named by `text` from a connection (a read, or a write's connection).
pub(crate) fn load_from(conn: &Connection, text: &str) -> Result<Deal, ApiError> {
    let id = input::deal(conn, text)?;
    query::deal(conn, id)?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no deal \"{text}\"")))
}
