//! Calendar invitations: the meeting as the domain plans it, its people with their e-mail
//! addresses, written as an `.ics` file a lead drops into any calendar.

use std::io::Write;

use handoff_domain::directory::check_email;
use handoff_domain::ids::PersonId;
use handoff_domain::invite::{self as plan, Invite};
use handoff_invite as ics;
use handoff_store::query;
use sha2::{Digest, Sha256};

use crate::dto::*;
use crate::load::load_from;
use crate::safe_file::{check_target, write_atomically, write_failed};
use crate::view::person_ref;
use crate::{input, ApiError, Ctx};

/// Where this laptop keeps the SEQUENCE it last issued for a meeting, with what it showed then.
fn issued_key(uid: &str) -> String {
    format!("invite-issued:{uid}")
}

/// Writes the invitation of one meeting to `req.out`.
pub fn invite(ctx: &Ctx, req: InviteRequest) -> Result<InviteResponse, ApiError> {
    check_target(&req.out, req.force)?;
    let now = ctx.now();
    let (dir, invite, issued, from) = ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?.clone();
        let at = req.at.as_deref().map(|t| input::parse_time(t, &cal)).transpose()?;
        let deal = |what: &str| -> Result<_, ApiError> {
            let text = req.deal.as_deref().filter(|d| !d.trim().is_empty()).ok_or_else(|| {
                ApiError::invalid(format!("say which deal's {what} to invite to: its title, id or id prefix"))
            })?;
            load_from(c, text)
        };
        let invite: Invite = match req.kind {
            InviteKindDto::Meeting => plan::handoff_meeting(&dir, &deal("handoff meeting")?, now, at)?,
            InviteKindDto::Service => plan::service_call(&dir, &deal("service call")?, now, at)?,
            InviteKindDto::Followup => plan::follow_up_call(&dir, &deal("follow-up call")?, now, at)?,
            InviteKindDto::Review => {
                if req.deal.is_some() {
                    return Err(ApiError::invalid("the Tuesday review is the agency's, not a deal's: name no deal"));
                }
                let agency = match query::agency_origin(c)? {
                    Some(origin) => origin,
                    None => dir.agency()?.name.clone(),
                };
                plan::tuesday_review(&dir, &agency, now, at)?
            }
        };
        let issued = query::local_setting(c, &issued_key(&invite.uid))?;
        let from = match req.from.as_deref() {
            Some(name) => Some(input::person(&dir, name)?.id),
            None => query::me(c)?,
        };
        Ok::<_, ApiError>((dir, invite, issued, from))
    })?;
    let person = |id: PersonId| ics::Person {
        id: id.to_string(),
        name: dir.name_of(id),
        // Only an address that reads as one goes into the file (older ones were checked less).
        email: dir.person(id).and_then(|p| p.email.clone()).filter(|e| check_email(e.trim()).is_ok()),
    };
    let attendees: Vec<ics::Person> = invite.attendees.iter().map(|a| person(*a)).collect();
    // Whoever sends it invites; else the first attendee.
    let organizer = from.or(invite.attendees.first().copied()).map(person);
    // The same meeting's SEQUENCE as this laptop last issued it: the same while nothing a calendar
    // shows changed, one more once something did (RFC 5545 3.8.7.4), so a calendar updates it.
    let shown = format!(
        "{}|{}|{}|{}|{}|{}|{:?}|{:?}",
        invite.start,
        invite.end(),
        invite.weekly,
        invite.cancelled,
        invite.summary,
        invite.description,
        attendees,
        organizer
    );
    let fingerprint = hex::encode(Sha256::digest(shown.as_bytes()));
    let sequence = match issued.as_deref().and_then(|s| s.split_once(' ')) {
        Some((n, f)) if f == fingerprint => n.parse().unwrap_or(0),
        Some((n, _)) => n.parse::<u32>().unwrap_or(0).saturating_add(1),
        None => 0,
    };
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
    let key = issued_key(&invite.uid);
    ctx.store().write(|w| w.set_local(&key, Some(&format!("{sequence} {fingerprint}"))))?;
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
