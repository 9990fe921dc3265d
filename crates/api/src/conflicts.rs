//! Conflicts the laptops' logs met when they merged, as a lead sees and settles them: keep what
//! stands, or take the other version as new events (the rules are `handoff_domain::merge::settle`).

use handoff_domain::merge::{self, ConflictToSettle};
use handoff_store::{query, Connection};

use crate::dto::*;
use crate::{act_and_show, input, view, ApiError, Ctx, Decision, ErrorCode};

/// The agency's conflicts nobody has settled yet, newest first (`settled` too: every one).
pub fn conflict_list(ctx: &Ctx, settled: bool) -> Result<Vec<ConflictDto>, ApiError> {
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        dir.agency()?;
        let me = query::me(c)?;
        query::conflicts(c, settled)?
            .into_iter()
            .map(|row| {
                let deal = row.deal.map(|d| query::deal(c, d)).transpose()?.flatten();
                Ok(view::conflict_dto(&dir, deal.as_ref(), me, row))
            })
            .collect()
    })
}

/// Settles a conflict in one action: keeps what stands, or takes the other version.
pub fn conflict_settle(ctx: &Ctx, req: ConflictSettleRequest) -> Result<ConflictDto, ApiError> {
    act_and_show(
        ctx,
        &req.acting,
        |w, dir, actor, _| {
            let row = conflict(w.connection(), &req.conflict)?;
            let by = actor
                .ok_or_else(|| ApiError::invalid("say who settles the conflict: a department lead or the founder"))?;
            let deal = row.deal.map(|d| query::deal(w.connection(), d)).transpose()?.flatten();
            let id =
                row.id.parse().map_err(|_| ApiError::invalid(format!("conflict {} has no readable id", row.id)))?;
            let to_settle = ConflictToSettle {
                id,
                kind: row.kind,
                deal_id: row.deal,
                deal: deal.as_ref(),
                other: &row.other,
                settled: row.settled,
            };
            let events = merge::settle(dir, by, &to_settle, req.how)?;
            Ok(Decision { events, answer: row.id })
        },
        |w, id: String| {
            let c = w.connection();
            let row = conflict(c, &id)?;
            let deal = row.deal.map(|d| query::deal(c, d)).transpose()?.flatten();
            Ok(view::conflict_dto(&query::directory(c)?, deal.as_ref(), query::me(c)?, row))
        },
    )
}

/// The conflict named by its id or a unique prefix of it (at least [`input::MIN_ID_PREFIX`]).
fn conflict(conn: &Connection, text: &str) -> Result<query::ConflictRow, ApiError> {
    let t = text.trim();
    if t.len() < input::MIN_ID_PREFIX {
        return Err(ApiError::invalid(format!(
            "name the conflict by its id (at least {} characters), as the list of conflicts shows it",
            input::MIN_ID_PREFIX
        )));
    }
    let mut found = query::conflicts_with_id_prefix(conn, t)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no conflict \"{t}\" on this laptop: the list of conflicts shows each one's id"),
        )),
        _ => Err(ApiError::new(
            ErrorCode::Ambiguous,
            format!("more than one conflict starts with \"{t}\": give more of its id"),
        )),
    }
}
