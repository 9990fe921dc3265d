//! The live handoff meeting: start, write the brief, sign it, end it.

use handoff_domain::deal::is_overdue;
use handoff_domain::deal::FoldContext;
use handoff_domain::event::EventBody;
use handoff_domain::ids::{EscalationId, TaskId};
use handoff_store::query;
use uuid::Uuid;

use crate::documents::brief_doc;
use crate::dto::*;
use crate::load::{load, load_from};
use crate::view::{self, person_ref};
use crate::{act, input, ApiError, Ctx, Decision, ErrorCode};

/// Starts the 15-minute live meeting.
pub fn meeting_start(ctx: &Ctx, req: DealAction) -> Result<MeetingDto, ApiError> {
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let events = deal.start_meeting(dir, at)?;
        let answer = MeetingDto { started_at: Some(at), ended_at: None, flags: Vec::new() };
        Ok(Decision { events, answer })
    })
}

/// Writes one section of the brief, live in the meeting, as Sales (or the founder). Any signature
/// given before becomes stale.
pub fn brief_set(ctx: &Ctx, req: BriefSetRequest) -> Result<BriefDto, ApiError> {
    let section = req.section;
    handoff_domain::brief::Brief::check_text(&req.text)?;
    act(ctx, &req.acting, |w, dir, actor, at| {
        let deal = load(w, &req.deal)?;
        let events = deal.write_section(dir, actor, section, req.text.clone())?;
        let after = deal.after(&events, at, &FoldContext::new(dir))?;
        Ok(Decision { events, answer: view::brief(dir, &after) })
    })
}

/// The brief with its sections, hash and sign-offs.
pub fn brief_show(ctx: &Ctx, deal: &str) -> Result<BriefDto, ApiError> {
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let d = load_from(c, deal)?;
        Ok(view::brief(&dir, &d))
    })
}

/// Signs the brief as it is now, with the signer's own key on this laptop (opened with their
/// passphrase when it is kept in a file). Only the Sales author and the Fulfilment owner can.
pub fn brief_sign(ctx: &Ctx, req: BriefSignRequest) -> Result<BriefDto, ApiError> {
    let Some(who) = req.acting.actor.as_deref() else {
        return Err(ApiError::invalid("say who signs: the Sales author or the Fulfilment owner"));
    };
    let keys = ctx.keys()?;
    let now = ctx.now();
    let (dir, deal) = ctx.store().read(|c| Ok::<_, ApiError>((query::directory(c)?, load_from(c, &req.deal)?)))?;
    let signer = input::person(&dir, who)?;
    // Everything but the key first: a person who may not sign is told so before any passphrase.
    deal.can_sign(&dir, signer.id, input::action_time(req.acting.at.as_deref(), dir.calendar()?, now)?)?;
    let Some(key) = keys.held_keys(&dir, signer.id).last() else {
        let elsewhere = dir.keys.keys_of(signer.id).any(|k| k.revoked.is_none());
        let why = if elsewhere {
            "their key is not kept on this laptop: sign where it is, or make a key for them here"
        } else {
            "make their own key on this laptop first"
        };
        return Err(ApiError::new(
            ErrorCode::NoSigningKey,
            format!("{} has no signing key on this laptop: {why}", signer.name),
        ));
    };
    let secret = keys.unlock(signer.id, &signer.name, &key.fingerprint, req.passphrase.as_deref())?;
    sign_with(ctx, &req.deal, &req.acting, &secret)
}

/// Signs with a secret already opened (the sample agency's script signs this way).
pub(crate) fn sign_with(ctx: &Ctx, deal: &str, acting: &Acting, secret: &[u8; 32]) -> Result<BriefDto, ApiError> {
    act(ctx, acting, |w, dir, actor, at| {
        let deal = load(w, deal)?;
        let signer = actor.ok_or_else(|| ApiError::invalid("say who signs"))?;
        let events = deal.sign(dir, signer, at, secret)?;
        let after = deal.after(&events, at, &FoldContext::new(dir))?;
        Ok(Decision { events, answer: view::brief(dir, &after) })
    })
}

/// Ends the meeting. Refused unless both signatures are valid on the brief as it is now; then
/// the handoff is complete and "Confirm dates with customer" is created, due in 24 hours.
pub fn meeting_end(ctx: &Ctx, req: DealAction) -> Result<MeetingEndResponse, ApiError> {
    let now = ctx.now();
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let cal = dir.calendar()?;
        let task = TaskId::from_uuid(Uuid::now_v7());
        let events = deal.end_meeting(dir, at, task, EscalationId::from_uuid(Uuid::now_v7()))?;
        let fit = handoff_pdf::measure_brief(&brief_doc(dir, &deal, at)?);
        deal.check_one_page((!fit.fits).then_some(fit.over_percent))?;
        let EventBody::TaskCreated { title, owner, due_at, .. } = &events[1] else {
            unreachable!("end_meeting creates the first task")
        };
        let after = deal.after(&events, at, &FoldContext::new(dir))?;
        let service = events.iter().find_map(|e| match e {
            EventBody::ServiceHandoffScheduled { due_at, owner, assigned_because, .. } => {
                Some((*due_at, person_ref(dir, *owner), *assigned_because))
            }
            _ => None,
        });
        let closed = deal.closed_at.unwrap_or(at);
        let answer = MeetingEndResponse {
            deal: DealRef::of(&deal),
            handoff_at: at,
            dwell_hours: view::hours(at - closed),
            dwell_business_hours: view::hours(cal.business_duration(closed, at)),
            first_task: TaskDto {
                id: task,
                deal: DealRef::of(&deal),
                title: title.clone(),
                owner: person_ref(dir, *owner),
                due_at: *due_at,
                done_at: None,
                overdue: is_overdue(*due_at, None, now),
            },
            flags: view::flags(cal, &after),
            service_due_at: service.as_ref().map(|s| s.0),
            service_owner: service.as_ref().map(|s| s.1.clone()),
            service_assigned_because: service.map(|s| s.2),
        };
        Ok(Decision { events, answer })
    })
}
