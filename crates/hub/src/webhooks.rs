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
//! CRM's record already is, if any — found through the agency's [`AgencyIndex`], never by a
//! search of all its events. The decision is the domain's ([`Deal::won_in_crm`]).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use handoff_crm::webhooks::{self, Refusal, Source, WonRecord};
use handoff_domain::crm::{CrmWin, DealSource, SourceChannel};
use handoff_domain::deal::Deal;
use handoff_domain::directory::Directory;
use handoff_domain::event::{Event, EventBody};
use handoff_domain::hlc::Hlc;
use handoff_domain::ids::{DealId, DeviceId, EscalationId, EventId};
use handoff_domain::money::Money;
use handoff_sync::protocol::{event_bytes, link, next_link, WireEvent, CHAIN_START};
use uuid::Uuid;

use crate::crm_index::{AgencyIndex, AgencyIndexes};
use crate::secrets::SecretsKey;
use crate::storage::{Agency, Delivery, Incoming, Storage, StorageError};

/// A CRM's API, asked about a won record its delivery names only by id (HubSpot's webhooks carry
/// nothing but the deal's id).
pub trait CrmApi: Send + Sync {
    /// The record filled in with what the CRM's API says of it, asked with the agency's `token`,
    /// answered by `deadline`.
    fn won_record(
        &self,
        source: Source,
        token: &str,
        record: &WonRecord,
        deadline: std::time::Instant,
    ) -> Result<WonRecord, ApiFailure>;
}

/// Why a CRM's API did not say what a record is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiFailure {
    pub why: String,
    /// It may pass (unreachable, slow, busy): the whole delivery is left for the CRM to send
    /// again. Otherwise (a token refused, a deal unknown) it is said, and the record left out.
    pub passing: bool,
}

/// How long a delivery may spend asking the CRM's API: the CRMs give up on a webhook after a few
/// seconds, and send it again.
pub const API_BUDGET: std::time::Duration = std::time::Duration::from_secs(4);

/// No CRM API: a record is taken as its delivery describes it.
pub struct NoCrmApi;

impl CrmApi for NoCrmApi {
    fn won_record(
        &self,
        _: Source,
        _: &str,
        record: &WonRecord,
        _: std::time::Instant,
    ) -> Result<WonRecord, ApiFailure> {
        Ok(record.clone())
    }
}

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

fn now_text(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
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

/// A delivery's events as the hub's CRM laptop `device` of the agency records them: numbered
/// after `head`, each chained to the one before (`prev`, the link after `head`), each action in a
/// millisecond of its own after every stamp the hub holds.
fn numbered(
    storage: &dyn Storage,
    agency: &Agency,
    device: &str,
    head: u64,
    actions: Vec<(DateTime<Utc>, Vec<EventBody>)>,
    now: DateTime<Utc>,
) -> Result<Vec<Incoming>, StorageError> {
    let id: DeviceId =
        device.parse().map_err(|_| StorageError::Database(format!("the CRM laptop id {device} is not a UUID")))?;
    let mut prev = match head {
        0 => CHAIN_START,
        seq => storage.link(agency.id, device, seq)?.as_deref().and_then(link).unwrap_or(CHAIN_START),
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
                device: id,
                actor: None,
                recorded_by: None,
                occurred_at: at.trunc_subsecs(6),
                recorded_at: now.trunc_subsecs(6),
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
    Ok(incoming)
}

/// How many times a delivery is decided again when another hub process recorded one of the
/// agency's deliveries in between.
const ATTEMPTS: usize = 5;

/// Takes in one delivery for the agency named `agency` from `crm` (`hubspot`, `pipedrive` or
/// `generic`). `now` is the hub's clock. Every delivery leaves a line in the webhook log.
#[allow(clippy::too_many_arguments)]
pub fn receive(
    storage: &dyn Storage,
    indexes: &AgencyIndexes,
    secrets: Option<&SecretsKey>,
    api: &dyn CrmApi,
    agency: &str,
    crm: &str,
    request: Request<'_>,
    now: DateTime<Utc>,
) -> Answer {
    // An unknown agency and a CRM not set up answer alike: a caller learns nothing of which
    // agencies a hub carries.
    let not_here = || Answer {
        status: 404,
        message: format!(
            "no webhook from \"{crm}\" is set up here for that agency: the hub's `webhooks set` sets one up"
        ),
    };
    let Some(source) = Source::from_key(crm) else { return not_here() };
    let agency = match storage.agency(agency) {
        Ok(a) => a,
        Err(StorageError::NoAgency(_)) => return not_here(),
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
    // One delivery of the agency at a time: two deliveries of one deal never both add it.
    let index = indexes.of(agency.id);
    let mut index = index.lock().unwrap_or_else(|p| p.into_inner());
    let (answer, logged) = match take_in(storage, &mut index, secrets, api, &agency, source, &request, now, &mut log) {
        Ok(done) => done,
        Err(e) => (Answer { status: 500, message: format!("the hub could not keep the delivery: {e}") }, false),
    };
    if !logged {
        log.status = answer.status;
        if log.detail.is_empty() {
            log.detail = answer.message.clone();
        }
        if let Err(e) = storage.log_delivery(agency.id, &log) {
            eprintln!("the webhook log could not take a line: {e}");
        }
    }
    answer
}

/// Checks, reads and takes in a delivery: the answer, and whether its log line is kept already
/// (with its events).
#[allow(clippy::too_many_arguments)]
fn take_in(
    storage: &dyn Storage,
    index: &mut AgencyIndex,
    secrets: Option<&SecretsKey>,
    api: &dyn CrmApi,
    agency: &Agency,
    source: Source,
    request: &Request<'_>,
    now: DateTime<Utc>,
    log: &mut Delivery,
) -> Result<(Answer, bool), StorageError> {
    let refuse = |status: u16, message: String| Ok((Answer { status, message }, false));
    let Some(setup) = storage.webhook(agency.id, source.key())? else {
        return refuse(
            404,
            format!(
                "no webhook from \"{}\" is set up here for that agency: the hub's `webhooks set` sets one up",
                source.key()
            ),
        );
    };
    let secret = match (secrets, crate::secrets::is_sealed(&setup.secret)) {
        (Some(key), _) => key.open(&setup.secret),
        (None, false) => Ok(setup.secret.clone()),
        (None, true) => Err("the hub's secrets key is missing, so the webhook's secret cannot be read: put the key file back, or set the webhook up again".to_string()),
    };
    let secret = match secret {
        Ok(s) => s,
        Err(why) => return refuse(500, why),
    };
    let header = |name: &str| (request.header)(name);
    let now_ms = now.timestamp_millis();
    let checked = match source {
        Source::HubSpot => webhooks::hubspot_verify(
            &secret,
            request.method,
            &request.uri,
            request.body,
            header("x-hubspot-request-timestamp").as_deref(),
            header("x-hubspot-signature-v3").as_deref(),
            now_ms,
        )
        .map_err(|refusal| match refusal {
            // HubSpot signs the address it called: say which one the hub checked against.
            Refusal::Unauthorized(why) => Refusal::Unauthorized(format!(
                "{why} (checked against {}; behind a reverse proxy, start the hub with --public-url)",
                request.uri
            )),
            other => other,
        })
        .and_then(|()| {
            // The default pipeline's won stage, and each pipeline's the agency named.
            let mut stages = vec!["closedwon".to_string()];
            stages.extend(setup.won_stages.iter().cloned());
            webhooks::hubspot_read(request.body, &header("x-hubspot-signature-v3").unwrap_or_default(), &stages)
        }),
        Source::Pipedrive => webhooks::pipedrive_verify(header("authorization").as_deref(), &secret)
            .and_then(|()| webhooks::pipedrive_read(request.body)),
        Source::Generic => webhooks::generic_verify(
            &secret,
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
    // What the CRM's API says of the won records no laptop brought in, asked once per delivery:
    // HubSpot's webhook names only the deal, Pipedrive's its owner and customer only by id.
    let mut asked: BTreeMap<String, Result<WonRecord, String>> = BTreeMap::new();
    let asks = source == Source::HubSpot || source == Source::Pipedrive && setup.api_token.is_some();
    if asks && !delivery.won.is_empty() && !storage.delivered(agency.id, &delivery.key)? {
        index.catch_up(storage, agency.id)?;
        let unheld: Vec<&WonRecord> = delivery.won.iter().filter(|r| index.holder(&r.record_id).is_none()).collect();
        // The token is opened only when the API is to be asked.
        let token = match (&setup.api_token, secrets) {
            _ if unheld.is_empty() => None,
            (None, _) => None,
            (Some(sealed), Some(key)) => match key.open(sealed) {
                Ok(t) => Some(t),
                Err(why) => return refuse(500, why),
            },
            (Some(t), None) if !crate::secrets::is_sealed(t) => Some(t.clone()),
            (Some(_), None) => return refuse(500, "the hub's secrets key is missing, so the CRM's API token cannot be read: put the key file back, or give the token again (`webhooks token`)".into()),
        };
        let deadline = std::time::Instant::now() + API_BUDGET;
        for record in unheld {
            if asked.contains_key(&record.record_id) {
                continue;
            }
            let answer = match &token {
                Some(token) => match api.won_record(source, token, record, deadline) {
                    Ok(filled) => Ok(filled),
                    // Nothing is kept: the CRM sends the delivery again, and all of it is taken
                    // in then.
                    Err(ApiFailure { why, passing: true }) => return refuse(503, why),
                    Err(ApiFailure { why, passing: false }) => Err(why),
                },
                None => Err(format!(
                    "HubSpot's webhook names only the deal's id, and no laptop brought deal {} in: give the hub the private app's access token (`handoff-hub webhooks token --agency \"{}\" --crm hubspot --api-token-file FILE`) so it can ask HubSpot for the deal, or import the deal from an export first",
                    record.record_id, agency.name
                )),
            };
            asked.insert(record.record_id.clone(), answer);
        }
    }
    let replay = || {
        Ok((
            Answer {
                status: 200,
                message: "already received: a replay of a delivery accepted before — nothing more was written".into(),
            },
            false,
        ))
    };
    for _ in 0..ATTEMPTS {
        if storage.delivered(agency.id, &delivery.key)? {
            return replay();
        }
        let mut said = Vec::new();
        let (mut taken, mut failed) = (0, 0);
        let mut actions = Vec::new();
        if !delivery.won.is_empty() {
            index.catch_up(storage, agency.id)?;
            let dir = index.directory();
            let mut seen = std::collections::BTreeSet::new();
            for record in &delivery.won {
                if !seen.insert(record.record_id.clone()) {
                    continue;
                }
                let record = match asked.get(&record.record_id) {
                    // Held by a laptop since the API was asked: the delivery's record is enough.
                    Some(_) if index.holder(&record.record_id).is_some() => record,
                    Some(Ok(filled)) => filled,
                    Some(Err(why)) => {
                        failed += 1;
                        said.push(format!("record {}: {why}", record.record_id));
                        continue;
                    }
                    None => record,
                };
                match decide(storage, agency.id, index, &dir, source, record, now)? {
                    Ok((line, events)) => {
                        taken += 1;
                        said.push(line);
                        if let Some(events) = events {
                            actions.push(events);
                        }
                    }
                    Err(why) => {
                        failed += 1;
                        said.push(format!("record {}: {why}", record.record_id));
                    }
                }
            }
        }
        if failed > 0 && taken == 0 {
            // Nothing of it could be taken in: refused, its key left unclaimed, so the CRM's next
            // delivery of it (once the agency fixed what is said) is taken in.
            return refuse(422, said.join("; "));
        }
        let mut message = if said.is_empty() {
            format!("received: no deal won in it ({} other change{})", delivery.other, plural(delivery.other))
        } else {
            said.join("; ")
        };
        if !said.is_empty() && delivery.other > 0 {
            message.push_str(&format!("; {} other change{} left", delivery.other, plural(delivery.other)));
        }
        let device = if actions.is_empty() { String::new() } else { storage.crm_device(agency.id)? };
        let head = if actions.is_empty() { 0 } else { storage.head(agency.id, &device)? };
        let incoming =
            if actions.is_empty() { Vec::new() } else { numbered(storage, agency, &device, head, actions, now)? };
        let entry = Delivery { outcome: "accepted".into(), status: 200, detail: message.clone(), ..log.clone() };
        if storage.record_crm(agency.id, &device, &incoming, &entry)? {
            return Ok((Answer { status: 200, message }, true));
        }
        // Another hub process recorded one of the agency's deliveries in between: decide again.
    }
    if storage.delivered(agency.id, &delivery.key)? {
        return replay();
    }
    refuse(503, "the hub is busy with this agency's other deliveries: send it again".into())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What becomes of one won record: a line for the log and the action's events (none when the
/// deal is won already), or why it cannot be taken in.
#[allow(clippy::type_complexity)]
fn decide(
    storage: &dyn Storage,
    agency: i64,
    index: &AgencyIndex,
    dir: &Directory,
    source: Source,
    record: &WonRecord,
    now: DateTime<Utc>,
) -> Result<Result<(String, Option<(DateTime<Utc>, Vec<EventBody>)>), String>, StorageError> {
    let earliest = DateTime::parse_from_rfc3339("1970-01-01T00:00:00Z").expect("a time").with_timezone(&Utc);
    if record.closed_at < earliest || record.closed_at > now + chrono::Duration::milliseconds(webhooks::TOLERANCE_MS) {
        return Ok(Err(format!(
            "its close {} is before 1970 or in the future: check the date the CRM sends",
            record.closed_at.to_rfc3339()
        )));
    }
    let held = match index.holder(&record.record_id) {
        Some(deal) => index.deal(storage, agency, dir, deal)?,
        None => None,
    };
    let win = match crm_win(record) {
        Ok(w) => w,
        Err(why) => return Ok(Err(why)),
    };
    let origin =
        DealSource { crm: source.name().to_string(), channel: SourceChannel::Webhook, received_at: now, note: None };
    let was = held.as_ref().map(|d| d.status);
    let bodies = match Deal::won_in_crm(
        dir,
        held.as_ref(),
        win,
        origin,
        DealId::from_uuid(Uuid::now_v7()),
        EscalationId::from_uuid(Uuid::now_v7()),
    ) {
        Ok(b) => b,
        Err(e) => return Ok(Err(e.to_string())),
    };
    if bodies.is_empty() {
        let status = was.map(|s| s.to_string()).unwrap_or_default();
        return Ok(Ok((format!("record {}: already {status} in Handoff, nothing to do", record.record_id), None)));
    }
    let owner = bodies.iter().find_map(|b| match b {
        EventBody::DealWon { fulfilment_owner, .. } => dir.person(*fulfilment_owner).map(|p| p.name.clone()),
        _ => None,
    });
    let what = match was {
        None => "added and won",
        Some(handoff_domain::deal::DealStatus::Lost) => "reopened and won",
        Some(_) => "won",
    };
    // A deal held open since before the CRM's close is won then; one added later, when added.
    let at = held.as_ref().map_or(record.closed_at, |d| record.closed_at.max(d.added_at));
    Ok(Ok((
        format!("record {}: {what}; {} owns the handoff", record.record_id, owner.unwrap_or_default()),
        Some((at, bodies)),
    )))
}
