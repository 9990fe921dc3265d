//! Calendar invitations: the meeting as the domain plans it, its people with their e-mail
//! addresses, written as an `.ics` file a lead drops into any calendar.

use std::io::Write;

use handoff_domain::invite::{self as plan, Invite};
use handoff_invite as ics;
use handoff_store::query;

use crate::dto::*;
use crate::load::load_from;
use crate::safe_file::{check_target, write_atomically, write_failed};
use crate::view::person_ref;
use crate::{input, ApiError, Ctx};

/// Writes the invitation of one meeting to `req.out`.
pub fn invite(ctx: &Ctx, req: InviteRequest) -> Result<InviteResponse, ApiError> {
    check_target(&req.out, req.force)?;
    let now = ctx.now();
    let (dir, invite, sequence, me) = ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?.clone();
        let at = req.at.as_deref().map(|t| input::parse_time(t, &cal)).transpose()?;
        let deal = |what: &str| -> Result<_, ApiError> {
            let text = req.deal.as_deref().filter(|d| !d.trim().is_empty()).ok_or_else(|| {
                ApiError::invalid(format!("say which deal's {what} to invite to: its title, id or id prefix"))
            })?;
            let deal = load_from(c, text)?;
            // Every change to the deal can move its meetings: the count of its events only grows.
            let sequence = query::deal_events(c, deal.id)?.len() as u32;
            Ok((deal, sequence))
        };
        let (invite, sequence): (Invite, u32) = match req.kind {
            InviteKindDto::Meeting => {
                let (d, s) = deal("handoff meeting")?;
                (plan::handoff_meeting(&dir, &d, now, at)?, s)
            }
            InviteKindDto::Service => {
                let (d, s) = deal("service call")?;
                (plan::service_call(&dir, &d, now, at)?, s)
            }
            InviteKindDto::Followup => {
                let (d, s) = deal("follow-up call")?;
                (plan::follow_up_call(&dir, &d, now, at)?, s)
            }
            InviteKindDto::Review => {
                if req.deal.is_some() {
                    return Err(ApiError::invalid("the Tuesday review is the agency's, not a deal's: name no deal"));
                }
                let agency = query::agency_origin(c)?
                    .unwrap_or_else(|| dir.agency().map(|a| a.name.clone()).unwrap_or_default());
                // The review changes with the agency's leads and settings: the log's length only grows.
                (plan::tuesday_review(&dir, &agency, now, at)?, query::event_count(c)? as u32)
            }
        };
        let from = match req.from.as_deref() {
            Some(name) => Some(input::person(&dir, name)?.id),
            None => query::me(c)?,
        };
        Ok::<_, ApiError>((dir, invite, sequence, from))
    })?;
    let person = |id| {
        let p = dir.person(id);
        ics::Person { name: dir.name_of(id), email: p.and_then(|p| p.email.clone()).filter(|e| !e.trim().is_empty()) }
    };
    let attendees: Vec<ics::Person> = invite.attendees.iter().map(|a| person(*a)).collect();
    // Whoever sends it invites; else the first attendee.
    let organizer = me.or(invite.attendees.first().copied()).map(person);
    let meeting = ics::Meeting {
        uid: invite.uid.clone(),
        sequence,
        summary: invite.summary.clone(),
        description: invite.description.clone(),
        start: invite.start,
        end: invite.end(),
        weekly: invite.weekly,
        cancelled: invite.cancelled,
        zone: dir.calendar()?.zone,
        organizer,
        attendees: attendees.clone(),
        stamp: now,
    };
    let file = ics::calendar_file(&meeting);
    write_atomically(&req.out, req.force, |tmp| tmp.write_all(file.as_bytes()).map_err(|e| write_failed(&req.out, e)))?;
    Ok(InviteResponse {
        path: req.out.display().to_string(),
        uid: invite.uid,
        sequence,
        summary: invite.summary,
        start: invite.start,
        end: meeting.end,
        weekly: invite.weekly,
        cancelled: invite.cancelled,
        attendees: invite.attendees.iter().map(|a| person_ref(&dir, *a)).collect(),
        without_email: attendees.into_iter().filter(|a| a.email.is_none()).map(|a| a.name).collect(),
    })
}
