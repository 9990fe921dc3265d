//! Trip content built by Fulfilment: dates, travellers with preferences, the itinerary.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use handoff_domain::calendar::Calendar;
use handoff_domain::deal::{Deal, FoldContext, NewItem, NewTraveller};
use handoff_domain::directory::Directory;
use handoff_domain::event::EventBody;
use handoff_domain::ids::{EscalationId, ItemId, TravellerId};
use handoff_domain::trip::{ItineraryItem, PreferenceTopic, Preferences};
use handoff_domain::RuleError;
use handoff_store::query;
use uuid::Uuid;

use crate::dto::*;
use crate::input::{self, parse_date};
use crate::load::{load, load_from};
use crate::view::{traveller_dto, trip_dto};
use crate::{act, ApiError, Ctx, Decision};

/// Sets the trip's dates (start may carry a time), destination and size. A handed-off deal's
/// service handoff is (re)scheduled for the new start.
pub fn trip_set(ctx: &Ctx, req: TripSetRequest) -> Result<TripDto, ApiError> {
    let start = req.start.as_deref().map(input::parse_trip_start).transpose()?;
    let end = req.end.as_deref().map(|d| parse_date(d, "the trip's end")).transpose()?;
    if req.travellers == Some(0) {
        return Err(ApiError::invalid("a trip of 0 travellers: a trip has at least one traveller"));
    }
    act(ctx, &req.acting, |w, dir, _, _| {
        let deal = load(w, &req.deal)?;
        let mut trip = deal.trip.clone();
        if let Some((day, time)) = start {
            trip.start = Some(day);
            // A date alone keeps the start time already known.
            trip.start_time = time.or(trip.start_time);
        }
        if end.is_some() {
            trip.end = end;
        }
        if req.destination.is_some() {
            trip.destination = req.destination.clone();
        }
        if req.travellers.is_some() {
            trip.travellers = req.travellers;
        }
        let events = deal.plan_trip(dir, trip.clone(), EscalationId::from_uuid(Uuid::now_v7()))?;
        Ok(Decision { events, answer: trip_dto(&trip) })
    })
}

fn preferences(inputs: &[PreferenceInput]) -> Result<Vec<(PreferenceTopic, String)>, ApiError> {
    inputs.iter().map(|p| Ok((p.topic, p.text.clone()))).collect()
}

/// Adds a traveller with their preferences.
pub fn traveller_add(ctx: &Ctx, req: TravellerAddRequest) -> Result<TravellerDto, ApiError> {
    let mut prefs = Preferences::default();
    for (k, v) in preferences(&req.preferences)? {
        if !v.trim().is_empty() {
            prefs.items.insert(k, v);
        }
    }
    let id = TravellerId::from_uuid(Uuid::now_v7());
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let new = NewTraveller { name: req.name.clone(), preferences: prefs.clone() };
        let events = deal.add_traveller(dir, id, new)?;
        let after = deal.after(&events, at, &FoldContext::new(dir))?;
        let answer = traveller_dto(after.traveller(id).ok_or_else(|| gone("traveller_added"))?);
        Ok(Decision { events, answer })
    })
}

/// Changes a traveller's name or preferences (an empty text clears a preference). A preference
/// acknowledged by Service and then changed must be acknowledged again.
pub fn traveller_edit(ctx: &Ctx, req: TravellerEditRequest) -> Result<TravellerDto, ApiError> {
    let changes = preferences(&req.preferences)?;
    if changes.is_empty() && req.name.is_none() {
        return Err(ApiError::invalid("nothing to change: give a new name or a preference"));
    }
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let id = input::traveller(&deal, &req.traveller)?;
        let events = deal.edit_traveller(dir, id, req.name.clone(), changes.clone())?;
        let after = deal.after(&events, at, &FoldContext::new(dir))?;
        let answer = traveller_dto(after.traveller(id).ok_or_else(|| gone("traveller_edited"))?);
        Ok(Decision { events, answer })
    })
}

/// A deal's travellers with their preferences.
pub fn traveller_list(ctx: &Ctx, deal: &str) -> Result<Vec<TravellerDto>, ApiError> {
    ctx.store().read(|c| Ok(load_from(c, deal)?.travellers.iter().map(traveller_dto).collect()))
}

fn new_item(req: &ItemInput, base: Option<&handoff_domain::trip::ItineraryItem>) -> Result<NewItem, ApiError> {
    let day = match (&req.day, base) {
        (Some(d), _) => parse_date(d, "the item's day")?,
        (None, Some(b)) => b.day,
        (None, None) => return Err(ApiError::invalid("give the item's day (YYYY-MM-DD)")),
    };
    let time = match (&req.time, base) {
        (Some(t), _) if t.trim().is_empty() => None,
        (Some(t), _) => Some(NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| {
            ApiError::invalid(format!(
                "the time \"{t}\" is not understood: write it as HH:MM in local time, like 07:45"
            ))
        })?),
        (None, Some(b)) => b.time,
        (None, None) => None,
    };
    let kind = match (&req.kind, base) {
        (Some(k), _) => *k,
        (None, Some(b)) => b.kind,
        (None, None) => {
            return Err(ApiError::invalid("give the item's kind (flight, hotel, transfer, activity, meal or note)"))
        }
    };
    let title = match (&req.title, base) {
        (Some(t), _) => t.clone(),
        (None, Some(b)) => b.title.clone(),
        (None, None) => return Err(ApiError::invalid("give the item's title")),
    };
    // A detail given blank is cleared; one not given keeps its value.
    let keep = |given: &Option<String>, old: Option<&Option<String>>| match given {
        Some(text) if text.trim().is_empty() => None,
        Some(text) => Some(text.clone()),
        None => old.cloned().flatten(),
    };
    Ok(NewItem {
        day,
        time,
        kind,
        title,
        supplier: keep(&req.supplier, base.map(|b| &b.supplier)),
        contact: keep(&req.contact, base.map(|b| &b.contact)),
        confirmation: keep(&req.confirmation, base.map(|b| &b.confirmation)),
    })
}

fn item_dto(i: &handoff_domain::trip::ItineraryItem) -> ItemDto {
    ItemDto {
        id: i.id,
        day: i.day,
        time: i.time,
        kind: i.kind,
        title: i.title.clone(),
        supplier: i.supplier.clone(),
        contact: i.contact.clone(),
        confirmation: i.confirmation.clone(),
    }
}

/// Adds an itinerary item.
pub fn itinerary_add(ctx: &Ctx, req: ItemInput) -> Result<ItemDto, ApiError> {
    let item = new_item(&req, None)?;
    let id = ItemId::from_uuid(Uuid::now_v7());
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let events = deal.add_item(dir, id, item.clone())?;
        let answer = item_dto(&item_after(&deal, &events, id, at, dir)?);
        Ok(Decision { events, answer })
    })
}

/// Changes an itinerary item; fields not given keep their value.
pub fn itinerary_edit(ctx: &Ctx, req: ItemInput) -> Result<ItemDto, ApiError> {
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let id = input::item(&deal, req.item.as_deref().unwrap_or(""))?;
        let base = deal.itinerary.iter().find(|i| i.id == id).cloned();
        let item = new_item(&req, base.as_ref())?;
        let events = deal.edit_item(dir, id, item)?;
        let answer = item_dto(&item_after(&deal, &events, id, at, dir)?);
        Ok(Decision { events, answer })
    })
}

/// Removes an itinerary item.
pub fn itinerary_remove(ctx: &Ctx, req: ItemInput) -> Result<ItemDto, ApiError> {
    act(ctx, &req.acting, |w, dir, _, _| {
        let deal = load(w, &req.deal)?;
        let id = input::item(&deal, req.item.as_deref().unwrap_or(""))?;
        let removed = deal.itinerary.iter().find(|i| i.id == id).map(item_dto).expect("found above");
        Ok(Decision { events: deal.remove_item(dir, id)?, answer: removed })
    })
}

/// The itinerary by day as of `now`: while the trip is under way, today is marked (and listed,
/// planned or not).
pub(crate) fn itinerary_dto(deal: &Deal, cal: &Calendar, now: DateTime<Utc>) -> ItineraryDto {
    let under_way = deal.trip_day(cal, now);
    let today = under_way.map(|t| t.day);
    let day = |day: NaiveDate| ItineraryDay {
        day,
        number: deal.trip.start.map(|s| (day - s).num_days() + 1),
        today: Some(day) == today,
        items: Vec::new(),
    };
    let mut days: Vec<ItineraryDay> = Vec::new();
    for item in &deal.itinerary {
        if days.last().map(|d| d.day) != Some(item.day) {
            days.push(day(item.day));
        }
        days.last_mut().expect("pushed").items.push(item_dto(item));
    }
    if let Some(t) = today.filter(|t| !days.iter().any(|d| d.day == *t)) {
        let at = days.iter().position(|d| d.day > t).unwrap_or(days.len());
        days.insert(at, day(t));
    }
    ItineraryDto { deal: DealRef::of(deal), trip: trip_dto(&deal.trip), under_way, days }
}

/// The itinerary, day by day.
pub fn itinerary_show(ctx: &Ctx, deal: &str) -> Result<ItineraryDto, ApiError> {
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        Ok(itinerary_dto(&load_from(c, deal)?, dir.calendar()?, now))
    })
}

/// The item `id` as the deal holds it once `events` are folded in.
fn item_after(
    deal: &Deal,
    events: &[EventBody],
    id: ItemId,
    at: DateTime<Utc>,
    dir: &Directory,
) -> Result<ItineraryItem, ApiError> {
    let after = deal.after(events, at, &FoldContext::new(dir))?;
    after.itinerary.into_iter().find(|i| i.id == id).ok_or_else(|| gone("itinerary_item_added"))
}

/// A refusal for an action whose own events did not leave what it made (never expected).
fn gone(event: &'static str) -> ApiError {
    RuleError::IllegalTransition { event, reason: "the action's result is not in the deal".into() }.into()
}
