//! CRM webhooks: `POST /v1/crm/{agency}/{hubspot|pipedrive|generic}`. A delivery is checked
//! against the agency's secret for that CRM (a bad or missing signature is 401 and writes no
//! event), read, refused when it replays one accepted before, and turned into the events a laptop
//! would have recorded — `deal added` (when the deal is new) and `deal won` at the CRM's close —
//! under the hub's own laptop id for the agency. Sync carries them to every laptop, where the
//! Fulfilment owner they name is told. Every delivery, accepted or not, is a line of the webhook
//! log (`handoff-hub webhooks log`).
//!
//! To decide, the hub folds only what the rules need, through the domain's own folds: the
//! agency's directory (who is in Sales, who takes a handoff that day) and the one deal the
//! CRM's record already is, if any. The decision is the domain's ([`Deal::won_in_crm`]).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use handoff_crm::webhooks::{self, Refusal, Source, WonRecord};
use handoff_domain::crm::{CrmWin, DealSource, SourceChannel};
use handoff_domain::deal::{Deal, FoldContext};
use handoff_domain::directory::Directory;
use handoff_domain::event::{Event, EventBody};
use handoff_domain::hlc::Hlc;
use handoff_domain::ids::{DealId, DeviceId, EscalationId, EventId};
use handoff_domain::money::Money;
use handoff_sync::protocol::{event_bytes, link, next_link, WireEvent, CHAIN_START};
use uuid::Uuid;

use crate::storage::{Agency, Delivery, Incoming, Storage, StorageError};

/// A request as it reached the hub.
pub struct Request<'a> {
    pub method: &'a str,
    /// The whole address the CRM called (HubSpot signs it).
    pub uri: String,
    pub header: &'a dyn Fn(&str) -> Option<String>,
    pub body: &'a [u8],
}

/// What the hub answers: a status and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub message: String,
}

/// The kinds of event the agency's directory folds from.
const DIRECTORY_KINDS: [&str; 15] = [
    "agency_created",
    "holiday_added",
    "person_added",
    "department_staffed",
    "person_away_set",
    "agency_settings_changed",
    "calendar_changed",
    "signing_key_registered",
    "signing_key_revoked",
    "device_key_registered",
    "device_key_revoked",
    "away_corrected",
    "holiday_removed",
    "person_retired",
    "person_email_set",
];

fn now_text(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads kept events, in the order every laptop folds them: by clock stamp, then id.
fn events(bodies: Vec<String>) -> Vec<Event> {
    let mut out: Vec<Event> = bodies
        .iter()
        .filter_map(|b| serde_json::from_str::<WireEvent>(b).ok())
        .filter_map(|raw| raw.event().ok())
        .collect();
    out.sort_by_key(|a| (a.hlc, a.id));
    out
}

/// The agency's directory, folded from its kept events (an action a laptop's merge would skip is
/// skipped here too: it changes nothing).
fn directory(storage: &dyn Storage, agency: i64) -> Result<Directory, StorageError> {
    let mut dir = Directory::default();
    for event in events(storage.events_of_kinds(agency, &DIRECTORY_KINDS)?) {
        let mut next = dir.clone();
        if next.apply(&event.body, event.occurred_at).is_ok() {
            dir = next;
        }
    }
    Ok(dir)
}

/// The deal that holds a CRM record, folded from its events, if any.
fn held_deal(storage: &dyn Storage, agency: i64, dir: &Directory, record: &str) -> Result<Option<Deal>, StorageError> {
    let creating = events(storage.events_of_kinds(agency, &["deal_added", "deal_imported"])?);
    let holder = creating.iter().find_map(|e| match &e.body {
        EventBody::DealImported { deal, external_id, .. } if external_id == record => Some(*deal),
        EventBody::DealAdded { deal, external_id: Some(x), .. } if x == record => Some(*deal),
        _ => None,
    });
    let Some(deal) = holder else { return Ok(None) };
    let mut state: Option<Deal> = None;
    for event in events(storage.events_of_deal(agency, &deal.to_string())?) {
        if let Ok(next) = Deal::apply(state.clone(), &event, &FoldContext::new(dir)) {
            state = Some(next);
        }
    }
    Ok(state)
}

/// The stamp after every event the hub holds of the agency: each laptop's last event carries
/// that laptop's highest stamp.
fn last_stamp(storage: &dyn Storage, agency: i64) -> Result<Hlc, StorageError> {
    let mut last = Hlc::default();
    for (device, head) in storage.heads(agency)? {
        if let Some((_, body)) = storage.event_at(agency, &device, head.seq)? {
            if let Some(hlc) = serde_json::from_str::<WireEvent>(&body).ok().and_then(|e| e.hlc.parse::<Hlc>().ok()) {
                last = last.max(hlc);
            }
        }
    }
    Ok(last)
}

/// What a won record is, for the domain: its amount read as money when the delivery gives one.
fn crm_win(record: &WonRecord) -> Result<CrmWin, String> {
    let value = match (&record.amount, &record.currency) {
        (Some(amount), Some(currency)) => Some(Money::parse(amount, currency).map_err(|e| e.to_string())?),
        _ => None,
    };
    Ok(CrmWin {
        record_id: record.record_id.clone(),
        title: record.title.clone(),
        customer: record.customer.clone(),
        value,
        owner: record.owner.clone(),
        closed_at: record.closed_at,
    })
}

/// Records a delivery's events as the hub's CRM laptop of the agency: numbered after what the
/// hub holds of it, each chained to the one before.
fn record_events(
    storage: &dyn Storage,
    agency: &Agency,
    actions: Vec<(DateTime<Utc>, Vec<EventBody>)>,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    if actions.iter().all(|(_, bodies)| bodies.is_empty()) {
        return Ok(());
    }
    let device_text = storage.crm_device(agency.id)?;
    let device: DeviceId = device_text
        .parse()
        .map_err(|_| StorageError::Database(format!("the CRM laptop id {device_text} is not a UUID")))?;
    let head = storage.head(agency.id, &device_text)?;
    let mut prev = match head {
        0 => CHAIN_START,
        seq => storage.link(agency.id, &device_text, seq)?.as_deref().and_then(link).unwrap_or(CHAIN_START),
    };
    let mut last = last_stamp(storage, agency.id)?;
    let now_ms = now.timestamp_millis();
    let mut incoming = Vec::new();
    let mut seq = head;
    for (at, bodies) in actions {
        // Each action starts a millisecond of its own, after everything seen, and its parts count
        // on from its first stamp.
        let first = Hlc { wall_ms: now_ms.max(last.wall_ms + 1), counter: 0 };
        for (part, body) in bodies.into_iter().enumerate() {
            last = Hlc { wall_ms: first.wall_ms, counter: part as u32 };
            let event = Event {
                id: EventId::from_uuid(Uuid::now_v7()),
                device,
                actor: None,
                recorded_by: None,
                occurred_at: at,
                recorded_at: now,
                hlc: last,
                part: part as u32,
                version: body.version(),
                body,
            };
            let raw = WireEvent::of(&event);
            let bytes = event_bytes(&raw);
            seq += 1;
            prev = next_link(prev, seq, &bytes);
            incoming.push(Incoming {
                seq,
                id: raw.id.clone(),
                body: String::from_utf8(bytes).expect("JSON is UTF-8").into_boxed_str(),
                link: hex::encode(prev),
            });
        }
    }
    storage.append(agency.id, &device_text, &incoming, None)?;
    Ok(())
}

/// Takes in one delivery for the agency named `agency` from `crm` (`hubspot`, `pipedrive` or
/// `generic`). `now` is the hub's clock.
pub fn receive(storage: &dyn Storage, agency: &str, crm: &str, request: Request<'_>, now: DateTime<Utc>) -> Answer {
    let Some(source) = Source::from_key(crm) else {
        return Answer {
            status: 404,
            message: format!("there is no CRM \"{crm}\" here: the hub takes hubspot, pipedrive and generic"),
        };
    };
    let agency = match storage.agency(agency) {
        Ok(a) => a,
        Err(StorageError::NoAgency(name)) => {
            return Answer { status: 404, message: format!("no agency named \"{name}\" on this hub") }
        }
        Err(e) => return Answer { status: 500, message: e.to_string() },
    };
    let mut log = Delivery {
        agency: agency.name.clone(),
        crm: crm.to_string(),
        received_at: now_text(now),
        key: None,
        outcome: "refused".into(),
        status: 0,
        detail: String::new(),
    };
    let answer = take_in(storage, &agency, source, &request, now, &mut log);
    let answer = match answer {
        Ok(a) => a,
        Err(e) => Answer { status: 500, message: format!("the hub could not keep the delivery: {e}") },
    };
    log.status = answer.status;
    if log.detail.is_empty() {
        log.detail = answer.message.clone();
    }
    if let Err(e) = storage.log_delivery(agency.id, &log) {
        eprintln!("the webhook log could not take a line: {e}");
    }
    answer
}

fn take_in(
    storage: &dyn Storage,
    agency: &Agency,
    source: Source,
    request: &Request<'_>,
    now: DateTime<Utc>,
    log: &mut Delivery,
) -> Result<Answer, StorageError> {
    let refuse = |status: u16, message: String| Ok(Answer { status, message });
    let Some(setup) = storage.webhook(agency.id, source.key())? else {
        return refuse(
            404,
            format!(
                "webhooks from {} are not set up for {} on this hub: set them up with the hub's `webhooks set`",
                source.name(),
                agency.name
            ),
        );
    };
    let header = |name: &str| (request.header)(name);
    let now_ms = now.timestamp_millis();
    let checked = match source {
        Source::HubSpot => webhooks::hubspot_verify(
            &setup.secret,
            request.method,
            &request.uri,
            request.body,
            header("x-hubspot-request-timestamp").as_deref(),
            header("x-hubspot-signature-v3").as_deref(),
            now_ms,
        )
        .and_then(|()| {
            let stages =
                if setup.won_stages.is_empty() { vec!["closedwon".to_string()] } else { setup.won_stages.clone() };
            webhooks::hubspot_read(request.body, &header("x-hubspot-signature-v3").unwrap_or_default(), &stages)
        }),
        Source::Pipedrive => webhooks::pipedrive_verify(header("authorization").as_deref(), &setup.secret)
            .and_then(|()| webhooks::pipedrive_read(request.body)),
        Source::Generic => webhooks::generic_verify(
            &setup.secret,
            header("webhook-id").as_deref(),
            header("webhook-timestamp").as_deref(),
            header("webhook-signature").as_deref(),
            request.body,
            now_ms,
        )
        .and_then(|()| webhooks::generic_read(request.body, &header("webhook-id").unwrap_or_default())),
    };
    let delivery = match checked {
        Ok(d) => d,
        Err(Refusal::Unauthorized(why) | Refusal::Stale(why)) => return refuse(401, why),
        Err(Refusal::Unreadable(why)) => return refuse(400, why),
    };
    log.key = Some(delivery.key.clone());
    if storage.delivered(agency.id, &delivery.key)? {
        return refuse(409, "a replay: this delivery was accepted before, and nothing more was written".into());
    }
    let dir = directory(storage, agency.id)?;
    let mut actions = Vec::new();
    let mut said = Vec::new();
    let mut made: BTreeMap<String, ()> = BTreeMap::new();
    for record in &delivery.won {
        if made.insert(record.record_id.clone(), ()).is_some() {
            continue;
        }
        let held = held_deal(storage, agency.id, &dir, &record.record_id)?;
        let source_of = DealSource {
            crm: source.name().to_string(),
            channel: SourceChannel::Webhook,
            received_at: now,
            note: None,
        };
        let win = match crm_win(record) {
            Ok(w) => w,
            Err(why) => {
                said.push(format!("record {}: {why}", record.record_id));
                continue;
            }
        };
        let was = held.as_ref().map(|d| d.status);
        match Deal::won_in_crm(
            &dir,
            held.as_ref(),
            win,
            source_of,
            DealId::from_uuid(Uuid::now_v7()),
            EscalationId::from_uuid(Uuid::now_v7()),
        ) {
            Ok(bodies) if bodies.is_empty() => {
                said.push(format!(
                    "record {}: already {} in Handoff, nothing to do",
                    record.record_id,
                    was.map(|s| s.to_string()).unwrap_or_default()
                ));
            }
            Ok(bodies) => {
                let owner = bodies.iter().find_map(|b| match b {
                    EventBody::DealWon { fulfilment_owner, .. } => {
                        dir.person(*fulfilment_owner).map(|p| p.name.clone())
                    }
                    _ => None,
                });
                let what = if held.is_some() { "won" } else { "added and won" };
                said.push(format!(
                    "record {}: {what}; {} owns the handoff",
                    record.record_id,
                    owner.unwrap_or_default()
                ));
                // A deal held open since before the CRM's close, or added at that close.
                let at = held.as_ref().map_or(record.closed_at, |d| record.closed_at.max(d.added_at));
                actions.push((at, bodies));
            }
            Err(e) => said.push(format!("record {}: {e}", record.record_id)),
        }
    }
    record_events(storage, agency, actions, now)?;
    log.outcome = "accepted".into();
    let mut message = if said.is_empty() {
        format!(
            "received: no deal won in it ({} other change{})",
            delivery.other,
            if delivery.other == 1 { "" } else { "s" }
        )
    } else {
        said.join("; ")
    };
    if !said.is_empty() && delivery.other > 0 {
        message.push_str(&format!(
            "; {} other change{} left",
            delivery.other,
            if delivery.other == 1 { "" } else { "s" }
        ));
    }
    Ok(Answer { status: 200, message })
}
