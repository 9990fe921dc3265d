//! Founder escalations: recorded automatically when assignment falls to the founder, and logged
//! by hand for anything else that reached the founder.

use handoff_domain::event::EventBody;
use handoff_domain::ids::EscalationId;
use handoff_store::query;
use uuid::Uuid;

use crate::dto::*;
use crate::load::load;
use crate::view::person_ref;
use crate::{act, ApiError, Ctx, Decision};

/// Logs a founder escalation by hand, with a reason and optionally the deal it was about.
pub fn escalation_log(ctx: &Ctx, req: EscalationLogRequest) -> Result<EscalationDto, ApiError> {
    handoff_domain::directory::check_name("the reason", &req.reason)?;
    act(ctx, &req.acting, |w, dir, _, at| {
        let founder = dir
            .founder()
            .ok_or_else(|| ApiError::new(crate::ErrorCode::NoFounder, "the agency has no founder to escalate to"))?;
        let deal = match &req.deal {
            Some(d) => Some(load(w, d)?),
            None => None,
        };
        let body = EventBody::FounderEscalated {
            escalation: EscalationId::from_uuid(Uuid::now_v7()),
            deal: deal.as_ref().map(|d| d.id),
            dept: None,
            founder: founder.id,
            reason: req.reason.clone(),
        };
        let answer = EscalationDto {
            at,
            deal: deal.map(|d| DealRef { id: d.id, title: d.title }),
            dept: None,
            founder: person_ref(dir, founder.id),
            reason: req.reason.clone(),
            automatic: false,
        };
        Ok(Decision { events: vec![body], answer })
    })
}

/// Every founder escalation, oldest first.
pub fn escalation_list(ctx: &Ctx) -> Result<Vec<EscalationDto>, ApiError> {
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        dir.agency()?;
        query::escalations(c)?
            .into_iter()
            .map(|e| {
                let deal = match e.deal {
                    Some(id) => query::deal(c, id)?.map(|d| DealRef { id, title: d.title }),
                    None => None,
                };
                Ok(EscalationDto {
                    at: e.at,
                    deal,
                    automatic: e.dept.is_some(),
                    dept: e.dept.as_deref().map(str::parse).transpose().map_err(
                        |e: handoff_domain::directory::UnknownDepartment| {
                            ApiError::new(crate::ErrorCode::Storage, format!("an escalation's department: {e}"))
                        },
                    )?,
                    founder: person_ref(&dir, e.founder),
                    reason: e.reason,
                })
            })
            .collect()
    })
}
