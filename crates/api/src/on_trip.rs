//! On the trip and after it: asks Service had to make, and the signal when the travellers are back.

use handoff_domain::directory::Directory;
use handoff_domain::ids::AskId;
use handoff_domain::trip::Ask;
use handoff_store::query;
use uuid::Uuid;

use crate::dto::*;
use crate::load::{load, load_from};
use crate::view::ask_dto;
use crate::{act, input, ApiError, Ctx, Decision};

/// Logs something Service had to ask a traveller during the trip.
pub fn ask_log(ctx: &Ctx, req: AskLogRequest) -> Result<AskDto, ApiError> {
    let topic = req.topic;
    let id = AskId::from_uuid(Uuid::now_v7());
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let traveller = req.traveller.as_deref().map(|t| input::traveller(&deal, t)).transpose()?;
        let events = deal.log_ask(dir, at, id, traveller, topic, req.text.clone(), req.brief_should_have_covered)?;
        let ask = Ask {
            id,
            traveller,
            topic,
            text: req.text.clone(),
            brief_should_have_covered: req.brief_should_have_covered,
            at,
        };
        Ok(Decision { events, answer: ask_dto(&deal, &ask) })
    })
}

/// Asks logged on one deal's trip, or on every trip.
pub fn ask_list(ctx: &Ctx, deal: Option<&str>) -> Result<Vec<AskDto>, ApiError> {
    ctx.store().read(|c| {
        let dir: Directory = query::directory(c)?;
        dir.agency()?;
        let deals = match deal {
            Some(d) => vec![load_from(c, d)?],
            None => query::trips_starting(c, None, None)?,
        };
        let mut asks: Vec<AskDto> = deals.iter().flat_map(|d| d.asks.iter().map(|a| ask_dto(d, a))).collect();
        asks.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
        Ok(asks)
    })
}

/// Records how the travellers came back: sentiment, strength 1–5 and a note.
pub fn trip_signal(ctx: &Ctx, req: SignalRequest) -> Result<SignalDto, ApiError> {
    let sentiment = req.sentiment;
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let note = req.note.clone().unwrap_or_default();
        let events = deal.record_signal(dir, at, sentiment, req.strength, note.clone())?;
        let answer = SignalDto { deal: DealRef::of(&deal), sentiment, strength: req.strength, note, at };
        Ok(Decision { events, answer })
    })
}
