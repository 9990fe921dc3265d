//! Deals: add, won, lost, show, list, and reassigning the fulfilment owner.

use handoff_domain::deal::{Deal, DealEdit, DealStatus, FoldContext, FulfilmentOwner, NewDeal};
use handoff_domain::directory::{check_name, Directory};
use handoff_domain::event::TripPlan;
use handoff_domain::ids::{DealId, EscalationId, PersonId};
use handoff_domain::money::Money;
use handoff_domain::RuleError;
use handoff_store::query::{self, DealListing, DealOrder};
use uuid::Uuid;

use crate::dto::*;
use crate::input::{self, parse_date};
use crate::load::{load, load_from};
use crate::view::{self, person_ref};
use crate::{act, ApiError, Ctx, Decision};

/// Adds an open deal owned by a Sales person.
pub fn deal_add(ctx: &Ctx, req: DealAddRequest) -> Result<DealSummary, ApiError> {
    let value = Money::parse(&req.value, &req.currency).map_err(RuleError::from)?;
    let start = req.trip_start.as_deref().map(input::parse_trip_start).transpose()?;
    let trip = TripPlan {
        start: start.map(|s| s.0),
        start_time: start.and_then(|s| s.1),
        end: req.trip_end.as_deref().map(|d| parse_date(d, "the trip's end")).transpose()?,
        destination: req.destination.clone(),
        travellers: req.travellers,
    };
    if req.travellers == Some(0) {
        return Err(ApiError::invalid("a trip of 0 travellers: a trip has at least one traveller"));
    }
    let id = DealId::from_uuid(Uuid::now_v7());
    act(ctx, &req.acting, |_, dir, _, at| {
        let owner = input::person(dir, &req.owner)?.id;
        let new = NewDeal { title: req.title.clone(), customer: req.customer.clone(), value, sales_owner: owner, trip };
        let events = Deal::add(dir, id, new)?;
        let answer = view::summary(dir, &Deal::created_by(&events, at, &FoldContext::new(dir))?);
        Ok(Decision { events, answer })
    })
}

/// The deal is won: the fulfilment owner is named now (lead, backup, or founder escalation).
pub fn deal_won(ctx: &Ctx, req: DealAction) -> Result<DealWonResponse, ApiError> {
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let events = deal.win(dir, at, EscalationId::from_uuid(Uuid::now_v7()))?;
        let won = deal.after(&events, at, &FoldContext::new(dir))?;
        let owner = fulfilment_of(&won)?;
        let answer = DealWonResponse {
            deal: won.id,
            title: won.title.clone(),
            closed_at: at,
            fulfilment_owner: person_ref(dir, owner.acting),
            assigned_because: owner.because,
            handoff_deadline: dir.calendar()?.one_business_day_deadline(at),
        };
        Ok(Decision { events, answer })
    })
}

/// The deal is lost.
pub fn deal_lost(ctx: &Ctx, req: DealAction) -> Result<DealSummary, ApiError> {
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let events = deal.lose(dir)?;
        let answer = view::summary(dir, &deal.after(&events, at, &FoldContext::new(dir))?);
        Ok(Decision { events, answer })
    })
}

/// Records that the customer heard from the agency after the close (a call, an e-mail): the first
/// contact counts, against the playbook's "within one business day".
pub fn deal_contacted(ctx: &Ctx, req: DealAction) -> Result<ContactedDto, ApiError> {
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let events = deal.record_contact(dir, at)?;
        let after = deal.after(&events, at, &FoldContext::new(dir))?;
        let cal = dir.calendar()?;
        let answer = ContactedDto {
            deal: DealRef { id: after.id, title: after.title.clone() },
            contacted_at: at,
            within_one_business_day: after.heard_within_one_business_day(cal).unwrap_or(false),
            deadline: cal.one_business_day_deadline(after.closed_at.expect("a won deal has a close")),
        };
        Ok(Decision { events, answer })
    })
}

/// Corrects a mistake on a deal with new events: its title, customer or value, and when a won
/// deal really closed (the dwell counts from it). Only what is given changes; the reason is kept.
pub fn deal_correct(ctx: &Ctx, req: DealCorrectRequest) -> Result<DealSummary, ApiError> {
    let now = ctx.now();
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let cal = dir.calendar()?;
        let closed_at = req.closed_at.as_deref().map(|t| input::parse_time(t, cal)).transpose()?;
        let value = match (&req.value, &req.currency) {
            (Some(v), c) => {
                Some(Money::parse(v, c.as_deref().unwrap_or(&deal.value.currency)).map_err(RuleError::from)?)
            }
            (None, Some(_)) => return Err(ApiError::invalid("a currency goes with an amount: give the value too")),
            (None, None) => None,
        };
        let edit = DealEdit { title: req.title.clone(), customer: req.customer.clone(), value };
        let mut events = Vec::new();
        if edit != DealEdit::default() {
            events.extend(deal.edit(dir, edit, req.reason.clone())?);
        }
        if let Some(closed_at) = closed_at {
            events.extend(deal.correct_close(dir, closed_at, now, req.reason.clone())?);
        }
        if events.is_empty() {
            return Err(ApiError::invalid(
                "nothing to correct: give a new title, customer, value or close time, and the reason",
            ));
        }
        let answer = view::summary(dir, &deal.after(&events, at, &FoldContext::new(dir))?);
        Ok(Decision { events, answer })
    })
}

/// Opens a deal marked lost again, with the reason.
pub fn deal_reopen(ctx: &Ctx, req: DealReopenRequest) -> Result<DealSummary, ApiError> {
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let events = deal.reopen(dir, req.reason.clone())?;
        let answer = view::summary(dir, &deal.after(&events, at, &FoldContext::new(dir))?);
        Ok(Decision { events, answer })
    })
}

/// Everything about one deal: owners, brief, sign-offs, tasks, flags and the event timeline.
pub fn deal_show(ctx: &Ctx, deal: &str) -> Result<DealDetail, ApiError> {
    let now = ctx.now();
    let mut store = ctx.store();
    let here = store.device();
    store.read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?.clone();
        let d = load_from(c, deal)?;
        let events = query::deal_events(c, d.id)?;
        let me = query::me(c)?;
        let tasks = d.tasks.iter().map(|t| view::task(&dir, &d, t, now)).collect();
        Ok(DealDetail {
            summary: view::summary(&dir, &d),
            trip: view::trip_dto(&d.trip),
            external_id: d.external_id.clone(),
            source: d.source.clone(),
            fulfilment: d.fulfilment.as_ref().map(|f| fulfilment_dto(&dir, f)),
            meeting: MeetingDto {
                started_at: d.meeting_started_at,
                ended_at: d.meeting_ended_at,
                flags: view::flags(&cal, &d),
            },
            brief: view::brief(&dir, &d),
            brief_refusal: d.can_write_brief(&dir, me).err().map(|e| e.to_string()),
            meeting_end_refusal: d.can_end_meeting(&dir, now).err().map(|e| e.to_string()),
            ask_refusal: d.can_log_ask(&dir, now).err().map(|e| e.to_string()),
            signal_refusal: d.can_record_signal(&dir, now).err().map(|e| e.to_string()),
            tasks,
            dwell_hours: d.dwell().map(view::hours),
            customer_contacted_at: d.customer_contacted_at,
            heard_within_one_business_day: d.heard_within_one_business_day(&cal),
            dwell_business_hours: match (d.closed_at, d.handoff_at) {
                (Some(c), Some(h)) => Some(view::hours(cal.business_duration(c, h))),
                _ => None,
            },
            waiting: match (d.status, d.closed_at) {
                (DealStatus::Won, Some(c)) => Some(handoff_domain::metrics::waiting(&cal, c, now)),
                _ => None,
            },
            travellers: d.travellers.iter().map(view::traveller_dto).collect(),
            itinerary_items: d.itinerary.len(),
            service: view::service_dto(&dir, &cal, &d, now),
            asks: d.asks.iter().map(|a| view::ask_dto(&d, a)).collect(),
            signal: view::signal_dto(&d),
            follow_up: view::follow_up_dto(&dir, &cal, &d),
            was_won: events.iter().any(|(e, _)| matches!(e.body, handoff_domain::event::EventBody::DealWon { .. })),
            timeline: view::timeline(&dir, &cal, &events, here),
            conflicts: query::deal_conflicts(c, d.id)?
                .into_iter()
                .map(|row| view::conflict_dto(&dir, Some(&d), me, row))
                .collect(),
        })
    })
}

/// Deals, most recently closed (or added) first, optionally of one status.
pub fn deal_list(ctx: &Ctx, status: Option<&str>) -> Result<Vec<DealSummary>, ApiError> {
    let status = status.map(|s| s.parse::<DealStatus>().map_err(ApiError::invalid)).transpose()?;
    ctx.store().read(|c| {
        let dir: Directory = query::directory(c)?;
        dir.agency()?;
        Ok(query::deals(c, status)?.iter().map(|r| view::summary_from_row(&dir, r)).collect())
    })
}

/// The most deals one page of the deal list holds.
pub const DEAL_PAGE_MOST: u32 = 500;

/// One page of the deal list: filtered by status and by words (full text, or an owner's name),
/// sorted by a column; with how many deals the list and the agency hold. The app asks for the
/// page on screen, so the list opens as fast at 100,000 deals as at 100.
pub fn deal_page(ctx: &Ctx, req: DealPageRequest) -> Result<DealPage, ApiError> {
    if req.limit == 0 || req.limit > DEAL_PAGE_MOST {
        return Err(ApiError::invalid(format!(
            "a page of the deal list holds 1 to {DEAL_PAGE_MOST} deals, not {}: ask for fewer at a time",
            req.limit
        )));
    }
    ctx.store().read(|c| {
        let dir: Directory = query::directory(c)?;
        dir.agency()?;
        let text = req.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        // People whose name holds the text: their deals match as owners.
        let owners: Vec<PersonId> = match text {
            Some(t) => {
                let t = t.to_lowercase();
                dir.people.iter().filter(|p| p.name.to_lowercase().contains(&t)).map(|p| p.id).collect()
            }
            None => Vec::new(),
        };
        let mut by_name: Vec<&handoff_domain::directory::Person> = dir.people.iter().collect();
        by_name.sort_by_cached_key(|p| (p.name.to_lowercase(), p.id));
        let by_name: Vec<PersonId> = by_name.into_iter().map(|p| p.id).collect();
        let order = match req.sort {
            DealSort::Won => DealOrder::Won,
            DealSort::Title => DealOrder::Title,
            DealSort::Customer => DealOrder::Customer,
            DealSort::Status => DealOrder::Status,
            DealSort::Value => DealOrder::Value,
            DealSort::Sales => DealOrder::SalesOwner(&by_name),
            DealSort::Fulfilment => DealOrder::FulfilmentOwner(&by_name),
        };
        let listing = DealListing { status: req.status, text, owners: &owners, order, ascending: req.ascending };
        let (rows, total) = query::deal_page(c, &listing, req.offset as usize, req.limit as usize)?;
        // Unfiltered, the list holds the whole agency: counted once.
        let all = if req.status.is_none() && text.is_none() { total as u64 } else { query::deal_count(c)? };
        Ok(DealPage {
            deals: rows.iter().map(|r| view::summary_from_row(&dir, r)).collect(),
            offset: req.offset,
            total: total as u32,
            all: all as u32,
        })
    })
}

/// The most deals a search answers with.
pub const SEARCH_LIMIT: usize = 500;

/// Deals whose title, customer, travellers' names or brief hold every word of `text` (a word also
/// as the start of a longer one; accents and case aside), newest first, at most [`SEARCH_LIMIT`].
pub fn deal_search(ctx: &Ctx, text: &str) -> Result<Vec<DealSummary>, ApiError> {
    ctx.store().read(|c| {
        let dir: Directory = query::directory(c)?;
        dir.agency()?;
        Ok(query::deal_search(c, text, SEARCH_LIMIT)?.iter().map(|r| view::summary_from_row(&dir, r)).collect())
    })
}

/// Hands the deal's fulfilment side to someone else, with a reason; the history keeps both.
pub fn reassign(ctx: &Ctx, req: ReassignRequest) -> Result<FulfilmentDto, ApiError> {
    check_name("the reason", &req.reason)?;
    act(ctx, &req.acting, |w, dir, _, at| {
        let deal = load(w, &req.deal)?;
        let to = input::person(dir, &req.to)?.id;
        let events = deal.reassign(dir, to, req.reason.clone())?;
        let answer = fulfilment_dto(dir, fulfilment_of(&deal.after(&events, at, &FoldContext::new(dir))?)?);
        Ok(Decision { events, answer })
    })
}

/// The fulfilment owner of a won deal (a deal the rules let through always has one).
fn fulfilment_of(deal: &Deal) -> Result<&FulfilmentOwner, ApiError> {
    deal.fulfilment.as_ref().ok_or_else(|| {
        RuleError::IllegalTransition { event: "deal_won", reason: "a won deal has a fulfilment owner".into() }.into()
    })
}

/// Who owns the deal in fulfilment: the original owner, why, who acts now, and every change.
fn fulfilment_dto(dir: &Directory, f: &FulfilmentOwner) -> FulfilmentDto {
    FulfilmentDto {
        original: person_ref(dir, f.original),
        assigned_because: f.because,
        acting: person_ref(dir, f.acting),
        reassignments: f
            .reassignments
            .iter()
            .map(|r| ReassignmentDto {
                from: person_ref(dir, r.from),
                to: person_ref(dir, r.to),
                reason: r.reason.clone(),
                at: r.at,
            })
            .collect(),
    }
}
