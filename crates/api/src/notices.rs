//! What the desktop app tells its user about while it runs, as desktop notifications: a won deal
//! passing half a business day and one business day without a handoff (naming who should act),
//! and a service handoff that is inside 72 hours of the trip and not done.

use chrono::{DateTime, Utc};
use handoff_domain::metrics::{urgency_reached, Urgency};
use handoff_store::query;

use crate::dto::{NoticeDto, NoticeKind, NoticesDto};
use crate::{today, ApiError, Ctx};

/// What became due between `since` (exclusive) and now. Without `since` (the app just started),
/// everything that is already amber, red or late, once each.
pub fn notices(ctx: &Ctx, since: Option<DateTime<Utc>>) -> Result<NoticesDto, ApiError> {
    let board = today(ctx, None)?;
    let dir = ctx.store().read(query::directory)?;
    let cal = dir.calendar()?;
    let now = board.now;
    let mut notices = Vec::new();
    for w in &board.waiting {
        let from = since.unwrap_or(w.closed_at);
        let Some(level) = urgency_reached(cal, w.closed_at, from, now) else { continue };
        let (kind, passed) = match level {
            Urgency::Red => (NoticeKind::HandoffOverdue, "one business day"),
            _ => (NoticeKind::HandoffHalfDay, "half a business day"),
        };
        notices.push(NoticeDto {
            kind,
            deal: w.deal,
            title: format!("{} has waited {passed} for its handoff", w.title),
            body: format!("{} should hold the 15-minute handoff meeting now.", w.should_act.name),
            person: w.should_act.clone(),
        });
    }
    for s in &board.service_handoffs {
        let became_due = s.due_at <= now && since.is_none_or(|t| s.due_at > t);
        if !became_due {
            continue;
        }
        notices.push(NoticeDto {
            kind: NoticeKind::ServiceDue,
            deal: s.deal.id,
            title: format!("{}: the trip is less than 72 hours away", s.deal.title),
            body: format!(
                "{} should hold the service handoff call now ({} preference items still to go over).",
                s.owner.name, s.open_items
            ),
            person: s.owner.clone(),
        });
    }
    Ok(NoticesDto { now, notices })
}
