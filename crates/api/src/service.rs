//! The Fulfilment→Service handoff: show it, start the call, acknowledge each preference item,
//! complete it; reassign it by hand.

use handoff_domain::deal::Deal;
use handoff_domain::directory::Directory;

use crate::dto::*;
use crate::load::{load, load_from};
use crate::view::service_dto;
use crate::{act_and_show, input, ApiError, Ctx, Decision, ErrorCode};

fn not_scheduled(deal: &Deal) -> ApiError {
    ApiError::new(
        ErrorCode::Refused,
        format!(
            "deal \"{}\" has no service handoff yet: it is scheduled when the Sales→Fulfilment handoff completes and the trip's start date is known",
            deal.title
        ),
    )
}

/// The service handoff: due time, owner, the preference checklist and its state.
pub fn service_show(ctx: &Ctx, deal: &str) -> Result<ServiceDto, ApiError> {
    let now = ctx.now();
    ctx.store().read(|c| service_of(c, deal, now))
}

fn service_of(
    c: &handoff_store::Connection,
    deal: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ServiceDto, ApiError> {
    let dir = handoff_store::query::directory(c)?;
    let d = load_from(c, deal)?;
    service_dto(&dir, dir.calendar()?, &d, now).ok_or_else(|| not_scheduled(&d))
}

fn after(
    ctx: &Ctx,
    deal: String,
    acting: &Acting,
    decide: impl FnOnce(&Deal, &Directory) -> Result<Vec<handoff_domain::event::EventBody>, ApiError>,
) -> Result<ServiceDto, ApiError> {
    let now = ctx.now();
    act_and_show(
        ctx,
        acting,
        |w, dir, _, _| {
            let d = load(w, &deal)?;
            let events = decide(&d, dir)?;
            Ok(Decision { events, answer: d.id })
        },
        |w, id| service_of(w.connection(), &id.to_string(), now),
    )
}

/// Starts the 15-minute service handoff call.
pub fn service_start(ctx: &Ctx, req: DealAction) -> Result<ServiceDto, ApiError> {
    after(ctx, req.deal, &req.acting, |d, dir| Ok(d.start_service_call(dir)?))
}

/// Acknowledges one traveller's preference item (by traveller and topic).
pub fn service_ack(ctx: &Ctx, req: ServiceAckRequest) -> Result<ServiceDto, ApiError> {
    let topic = req.topic;
    let traveller = req.traveller.clone();
    after(ctx, req.deal, &req.acting, |d, dir| {
        let t = input::traveller(d, &traveller)?;
        Ok(d.acknowledge(dir, t, topic)?)
    })
}

/// Completes the service handoff; refused while any preference item is not acknowledged.
pub fn service_complete(ctx: &Ctx, req: DealAction) -> Result<ServiceDto, ApiError> {
    after(ctx, req.deal, &req.acting, |d, dir| Ok(d.complete_service(dir)?))
}

/// Hands the service side to someone else by hand, with a reason.
pub fn service_reassign(ctx: &Ctx, req: ReassignRequest) -> Result<ServiceDto, ApiError> {
    let (to, reason) = (req.to.clone(), req.reason.clone());
    after(ctx, req.deal, &req.acting, |d, dir| {
        let person = input::person(dir, &to)?.id;
        Ok(d.reassign_service(dir, person, reason)?)
    })
}
