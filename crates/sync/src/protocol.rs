//! The wire: what a laptop and a hub say to each other under `/v1/`.
//!
//! - `POST /v1/enrol` — a laptop joins with an enrolment token and its own device key.
//! - `POST /v1/pull` — the laptop says how far it holds each laptop's events (`cursors`); the
//!   hub answers with what it lacks, a page at a time.
//! - `POST /v1/wait` — the hub answers once it holds something beyond the laptop's cursors (or
//!   after a while with nothing): how a laptop hears of another's change at once.
//! - `POST /v1/push` — the laptop sends its own events above what the hub holds of it, as one
//!   batch: a hash chain over the batch's events and one Ed25519 signature of the chain by the
//!   device (signing each event would cost more than the hub's whole ingest).
//! - `POST /v1/webhook-log` — the agency's webhook log: the CRMs' deliveries the hub received,
//!   newest first, each accepted or refused and why.
//! - `POST /v1/crm/{agency}/{crm}` — a CRM's webhook delivery (not a laptop's call: the CRM signs
//!   it as it signs, see the hub's `webhooks` module).
//!
//! Bodies are JSON lines compressed with gzip at level 1 (`Content-Encoding: gzip`); the first
//! line of a pull answer or a push is its head. Every call is idempotent: a repeated push or pull
//! changes nothing. Requests carry `Authorization: Bearer TOKEN` and `X-Handoff-Device`.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

/// The version every path starts with.
pub const V1: &str = "/v1";
/// The header naming the laptop a request comes from.
pub const DEVICE_HEADER: &str = "x-handoff-device";
/// The largest request body a hub takes (compressed): 32 MiB; larger is refused with 413.
pub const MAX_BODY_BYTES: usize = 32 << 20;
/// The largest a body may grow to when decompressed.
pub const MAX_INFLATED_BYTES: u64 = 256 << 20;
/// Events per pull page and per push batch.
pub const PAGE: usize = 5_000;

/// One event as the log stores it, column for column: what travels, byte for byte. The hub
/// keeps and relays it as it is; only laptops read what it says.
pub use handoff_store::RawEvent as WireEvent;

/// An event with its laptop's sequence number.
pub use handoff_store::transport::Sequenced as Numbered;

/// `POST /v1/enrol`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub token: String,
    pub device: String,
    /// The device's Ed25519 public key, hex: every batch it pushes is signed by its secret half.
    pub public_key: String,
}

/// What the hub says to an enrolled laptop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResponse {
    /// The agency the token belongs to, as the hub names it.
    pub agency: String,
    /// The person the token was made for.
    pub person: String,
    /// The id of the agency's first event (its `agency_created`), once a laptop has sent it.
    pub origin: Option<String>,
}

/// `POST /v1/pull`: how far this laptop holds each laptop's events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub cursors: BTreeMap<String, u64>,
}

/// `POST /v1/wait`: the hub answers as soon as it holds an event beyond `cursors` (another
/// laptop's or this one's), or after [`WAIT_AT_MOST`] with nothing new — a laptop learns of a
/// change within moments without asking again and again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitRequest {
    pub cursors: BTreeMap<String, u64>,
}

/// What a hub answers to a wait.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitResponse {
    /// The hub holds events beyond the laptop's cursors: pull.
    pub news: bool,
}

/// How long a hub holds a wait open when nothing new comes.
pub const WAIT_AT_MOST: std::time::Duration = std::time::Duration::from_secs(25);

/// `POST /v1/webhook-log`: at most `limit` lines, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookLogRequest {
    pub limit: usize,
}

/// The first line of the webhook log's answer; a [`WebhookLogLine`] per line follows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookLogHead {
    pub lines: usize,
}

/// One delivery a CRM sent the hub for the agency, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookLogLine {
    /// `hubspot`, `pipedrive` or `generic`.
    pub crm: String,
    /// RFC 3339.
    pub received_at: String,
    /// `accepted` or `refused`.
    pub outcome: String,
    /// The HTTP status the CRM was answered with.
    pub status: u16,
    /// What it did, or why it was refused.
    pub detail: String,
}

/// How far the hub holds one laptop's events, and the chain up to there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: u64,
    /// Hex SHA-256 chain over that laptop's events 1..=seq (see [`chain`]).
    pub chain: String,
}

/// The first line of a pull's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullHead {
    /// How far the hub holds each laptop of the agency.
    pub heads: BTreeMap<String, Head>,
    /// More events wait than this page carries: pull again.
    pub more: bool,
    /// The hub's clock, milliseconds since the epoch, when it answered.
    pub now_ms: i64,
}

/// One event of a pull's answer, as a laptop reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PulledEvent {
    pub device: String,
    pub seq: u64,
    pub event: WireEvent,
}

/// One event of a push as the hub takes it: numbered, its bytes kept and relayed exactly as sent
/// (see [`SealedEvent::read`]). The same line as a laptop's [`Numbered`].
#[derive(Debug, Deserialize)]
pub struct SealedEvent {
    pub seq: u64,
    pub event: Box<RawValue>,
}

/// One event of a pull's answer as the hub relays it: the bytes it kept. The same line as a
/// laptop's [`PulledEvent`].
#[derive(Debug, Serialize)]
pub struct RelayedEvent {
    pub device: String,
    pub seq: u64,
    pub event: Box<RawValue>,
}

impl SealedEvent {
    /// The event's bytes, as the chain covers them.
    pub fn bytes(&self) -> &[u8] {
        self.event.get().as_bytes()
    }

    /// What the hub needs of the event, once it is sure the event reads as the log stores it
    /// (so a hub relays nothing a laptop cannot read); or why it does not.
    pub fn check(&self) -> Result<EventShape<'_>, String> {
        serde_json::from_str(self.event.get()).map_err(|e| e.to_string())
    }
}

/// An event read exactly as a [`WireEvent`] is — the same fields, each of its type, required
/// where it is required — keeping only what the hub uses, borrowed from the event's bytes: a
/// hub checks every event it relays without copying what it does not need.
#[derive(Debug, Deserialize)]
pub struct EventShape<'a> {
    #[serde(borrow)]
    pub id: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub device: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub kind: std::borrow::Cow<'a, str>,
    #[serde(rename = "actor")]
    _actor: Option<Text>,
    #[serde(rename = "recorded_by")]
    _recorded_by: Option<Text>,
    #[serde(rename = "occurred_at")]
    _occurred_at: Text,
    #[serde(rename = "recorded_at")]
    _recorded_at: Text,
    #[serde(rename = "hlc")]
    _hlc: Text,
    #[serde(rename = "part")]
    _part: u32,
    #[serde(rename = "version")]
    _version: u16,
    #[serde(rename = "deal")]
    _deal: Option<Text>,
    #[serde(rename = "payload")]
    _payload: Text,
}

/// A string, read and let go.
#[derive(Debug)]
struct Text;

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct AnyString;
        impl serde::de::Visitor<'_> for AnyString {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Text, E> {
                Ok(Text)
            }
        }
        d.deserialize_str(AnyString)
    }
}

/// The first line of a push: the batch's place, its chain and the device's signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushHead {
    pub device: String,
    /// The sequence number of the batch's first event; the batch runs on without gaps.
    pub first_seq: u64,
    pub count: u64,
    /// Hex chain over the batch, continuing from the hub's head for this device.
    pub chain: String,
    /// Hex Ed25519 signature of [`batch_message`] by the device's key.
    pub signature: String,
}

/// What a hub answers to a push.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// How far the hub now holds this device's events.
    pub head: u64,
}

/// What a hub answers when it refuses: a sentence for a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub error: String,
}

/// The chain before a laptop's first event.
pub const CHAIN_START: [u8; 32] = [0; 32];

/// The bytes of an event the chain covers: its JSON, as serde writes this struct.
pub fn event_bytes(e: &WireEvent) -> Vec<u8> {
    serde_json::to_vec(e).expect("an event always serialises")
}

/// The link after `prev` for the event numbered `seq` whose bytes are `bytes`: SHA-256 of the
/// previous link, the sequence number (8 bytes, big-endian) and the event's bytes.
pub fn next_link(prev: [u8; 32], seq: u64, bytes: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(bytes);
    h.finalize().into()
}

/// Continues the chain `prev` over `events` (see [`next_link`]).
pub fn chain(prev: [u8; 32], events: &[Numbered]) -> [u8; 32] {
    events.iter().fold(prev, |link, e| next_link(link, e.seq, &event_bytes(&e.event)))
}

/// What a device signs for a batch: the agency, itself, where the batch sits, and its chain.
pub fn batch_message(agency: &str, device: &str, first_seq: u64, count: u64, chain: &[u8; 32]) -> Vec<u8> {
    format!(
        "handoff-sync-v1 batch\nagency {agency}\ndevice {device}\nfirst {first_seq}\ncount {count}\nchain {}\n",
        hex::encode(chain)
    )
    .into_bytes()
}

/// One event of a push as a laptop writes it: its bytes made once, chained and sent as they are.
#[derive(Serialize)]
struct OutgoingEvent<'a> {
    seq: u64,
    event: &'a RawValue,
}

/// A batch of a laptop's own events, sealed for the hub: its head and its body.
pub struct SealedBatch {
    pub head: PushHead,
    /// The gzip JSON lines to send.
    pub body: Vec<u8>,
    /// The chain after the batch: where the next batch continues.
    pub chain: [u8; 32],
}

/// Seals `events` (numbered one after another) as `device` of `agency` pushes them after the
/// link `prev`: each event serialised once, chained over those bytes, signed with `key`.
pub fn seal_batch(agency: &str, device: &str, key: &SigningKey, prev: [u8; 32], events: &[Numbered]) -> SealedBatch {
    let raws: Vec<Box<RawValue>> =
        events.iter().map(|e| serde_json::value::to_raw_value(&e.event).expect("an event always serialises")).collect();
    let chain = events.iter().zip(&raws).fold(prev, |link, (e, raw)| next_link(link, e.seq, raw.get().as_bytes()));
    let first = events.first().map_or(0, |e| e.seq);
    let count = events.len() as u64;
    let head = PushHead {
        device: device.to_string(),
        first_seq: first,
        count,
        chain: hex::encode(chain),
        signature: sign_batch(key, &batch_message(agency, device, first, count, &chain)),
    };
    let lines: Vec<OutgoingEvent> =
        events.iter().zip(&raws).map(|(e, raw)| OutgoingEvent { seq: e.seq, event: raw }).collect();
    SealedBatch { body: encode(&head, &lines), head, chain }
}

/// Signs a batch with the device's key.
pub fn sign_batch(key: &SigningKey, message: &[u8]) -> String {
    hex::encode(key.sign(message).to_bytes())
}

/// Whether `signature` (hex) is `public_key`'s (hex) signature of `message`.
pub fn verify_batch(public_key: &str, message: &[u8], signature: &str) -> bool {
    let Ok(key) = hex::decode(public_key) else { return false };
    let Ok(key) = <[u8; 32]>::try_from(key.as_slice()) else { return false };
    let Ok(key) = VerifyingKey::from_bytes(&key) else { return false };
    let Ok(sig) = hex::decode(signature) else { return false };
    let Ok(sig) = <[u8; 64]>::try_from(sig.as_slice()) else { return false };
    key.verify(message, &Signature::from_bytes(&sig)).is_ok()
}

/// A chain link from its hex form.
pub fn link(hex_text: &str) -> Option<[u8; 32]> {
    <[u8; 32]>::try_from(hex::decode(hex_text).ok()?.as_slice()).ok()
}

/// What could not be read from a body.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the body is not gzip-compressed JSON lines: {0}")]
    Unreadable(String),
    #[error("the body grows beyond {} MB when decompressed", MAX_INFLATED_BYTES >> 20)]
    TooLarge,
    #[error("line {line} of the body: {why}")]
    Line { line: usize, why: String },
}

/// Writes `head` and then each of `lines` as JSON lines, gzip level 1.
pub fn encode<H: Serialize, L: Serialize>(head: &H, lines: &[L]) -> Vec<u8> {
    fn put<T: Serialize>(gz: &mut flate2::write::GzEncoder<Vec<u8>>, value: &T) {
        serde_json::to_writer(&mut *gz, value).expect("writing to memory");
        gz.write_all(b"\n").expect("writing to memory");
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(1));
    put(&mut gz, head);
    for line in lines {
        put(&mut gz, line);
    }
    gz.finish().expect("writing to memory")
}

/// Reads gzip JSON lines: the head, then every line after it.
pub fn decode<H: for<'de> Deserialize<'de>, L: for<'de> Deserialize<'de>>(
    body: &[u8],
) -> Result<(H, Vec<L>), BodyError> {
    let mut text = Vec::with_capacity(body.len() * 4);
    flate2::read::GzDecoder::new(body)
        .take(MAX_INFLATED_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| BodyError::Unreadable(e.to_string()))?;
    if text.len() as u64 > MAX_INFLATED_BYTES {
        return Err(BodyError::TooLarge);
    }
    let blank = |l: &[u8]| l.iter().all(u8::is_ascii_whitespace);
    // Lines found with memchr: splitting a byte at a time was a sixteenth of a hub's whole push.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', &text).chain(std::iter::once(text.len()));
    let lines = ends.map(|end| std::mem::replace(&mut start, end + 1)..end).map(|r| &text[r]);
    let mut lines = lines.enumerate().filter(|(_, l)| !blank(l));
    let (n, first) = lines.next().ok_or_else(|| BodyError::Unreadable("it is empty".into()))?;
    let line = |n: usize, e: serde_json::Error| BodyError::Line { line: n + 1, why: e.to_string() };
    let head = serde_json::from_slice(first).map_err(|e| line(n, e))?;
    let mut out = Vec::new();
    for (n, text) in lines {
        out.push(serde_json::from_slice(text).map_err(|e| line(n, e))?);
    }
    Ok((head, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u64) -> Numbered {
        Numbered {
            seq: n,
            event: WireEvent {
                id: format!("id-{n}"),
                device: "d".into(),
                actor: None,
                recorded_by: None,
                occurred_at: "2026-03-03T10:00:00.000000Z".into(),
                recorded_at: "2026-03-03T10:00:00.000000Z".into(),
                hlc: format!("0000001772532000000-{n:010}"),
                part: 0,
                version: 1,
                kind: "deal_lost".into(),
                deal: None,
                payload: "{}".into(),
            },
        }
    }

    #[test]
    fn a_chain_continues_across_batches_and_any_change_breaks_it() {
        let all: Vec<Numbered> = (1..=5).map(event).collect();
        let whole = chain(CHAIN_START, &all);
        assert_eq!(chain(chain(CHAIN_START, &all[..2]), &all[2..]), whole, "two batches chain like one");
        let mut changed = all.clone();
        changed[3].event.payload = "{\"x\":1}".into();
        assert_ne!(chain(CHAIN_START, &changed), whole);
        let mut renumbered = all.clone();
        renumbered[3].seq = 9;
        assert_ne!(chain(CHAIN_START, &renumbered), whole);
    }

    #[test]
    fn a_sealed_batch_is_the_batch_a_hub_checks() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let events: Vec<Numbered> = (3..=5).map(event).collect();
        let prev = chain(CHAIN_START, &[event(1), event(2)]);
        let sealed = seal_batch("Wayfarer", "d", &key, prev, &events);
        assert_eq!(sealed.chain, chain(prev, &events));
        let (head, lines): (PushHead, Vec<Numbered>) = decode(&sealed.body).unwrap();
        assert_eq!((head.first_seq, head.count, &head.chain), (3, 3, &hex::encode(sealed.chain)));
        assert_eq!(lines, events, "the body carries the events as they are");
        let message = batch_message("Wayfarer", "d", 3, 3, &sealed.chain);
        assert!(verify_batch(&hex::encode(key.verifying_key().to_bytes()), &message, &head.signature));
    }

    #[test]
    fn a_batch_signature_holds_only_for_its_device_agency_and_chain() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = hex::encode(key.verifying_key().to_bytes());
        let c = chain(CHAIN_START, &[event(1)]);
        let message = batch_message("Wayfarer", "d", 1, 1, &c);
        let sig = sign_batch(&key, &message);
        assert!(verify_batch(&public, &message, &sig));
        assert!(!verify_batch(&public, &batch_message("Other", "d", 1, 1, &c), &sig));
        assert!(!verify_batch(&public, &batch_message("Wayfarer", "e", 1, 1, &c), &sig));
        assert!(!verify_batch(&public, &batch_message("Wayfarer", "d", 2, 1, &c), &sig));
        let other = hex::encode(SigningKey::from_bytes(&[8; 32]).verifying_key().to_bytes());
        assert!(!verify_batch(&other, &message, &sig));
        assert!(!verify_batch("nonsense", &message, "nonsense"));
    }

    #[test]
    fn the_hub_relays_the_very_bytes_a_laptop_chained() {
        let events = vec![event(1), event(2)];
        let head = PushHead { device: "d".into(), first_seq: 1, count: 2, chain: "00".into(), signature: "11".into() };
        let (_, sealed): (PushHead, Vec<SealedEvent>) = decode(&encode(&head, &events)).unwrap();
        let link = sealed.iter().fold(CHAIN_START, |l, e| next_link(l, e.seq, e.bytes()));
        assert_eq!(link, chain(CHAIN_START, &events), "the hub's chain over the bytes is the laptop's");
        assert_eq!(serde_json::from_str::<WireEvent>(sealed[1].event.get()).unwrap(), events[1].event);
        assert_eq!(sealed[1].check().unwrap().id, "id-2");
        let relayed: Vec<RelayedEvent> =
            sealed.into_iter().map(|e| RelayedEvent { device: "d".into(), seq: e.seq, event: e.event }).collect();
        let (_, pulled): (PullHead, Vec<PulledEvent>) = decode(&encode(&PullHead::default(), &relayed)).unwrap();
        let expected: Vec<PulledEvent> =
            events.into_iter().map(|e| PulledEvent { device: "d".into(), seq: e.seq, event: e.event }).collect();
        assert_eq!(pulled, expected);
        let (_, odd): (PushHead, Vec<SealedEvent>) =
            decode(&encode(&head, &[serde_json::json!({"seq": 1, "event": [1, 2]})])).unwrap();
        assert!(odd[0].check().is_err(), "what is not an event cannot be read");
        let (_, partial): (PushHead, Vec<SealedEvent>) =
            decode(&encode(&head, &[serde_json::json!({"seq": 1, "event": {"id": "x", "device": "d", "kind": "k"}})]))
                .unwrap();
        assert!(partial[0].check().is_err(), "an event missing its stamp, times and payload cannot be read");
    }

    #[test]
    fn the_hub_takes_an_event_exactly_when_a_laptop_could_read_it() {
        let whole = serde_json::to_value(&event(1).event).unwrap();
        let mut cases =
            vec![whole.clone(), serde_json::json!([1, 2]), serde_json::json!("text"), serde_json::json!(null)];
        for field in whole.as_object().unwrap().keys() {
            let mut missing = whole.clone();
            missing.as_object_mut().unwrap().remove(field);
            cases.push(missing);
            for odd in [
                serde_json::json!(null),
                serde_json::json!(7),
                serde_json::json!(-1),
                serde_json::json!("x"),
                serde_json::json!({}),
                serde_json::json!(70000),
            ] {
                let mut changed = whole.clone();
                changed[field.as_str()] = odd;
                cases.push(changed);
            }
        }
        let mut escaped = whole.clone();
        escaped["payload"] = serde_json::json!("{\"quote\": \"\\\" and \\u00e9\"}");
        escaped["id"] = serde_json::json!("an \"escaped\" id");
        cases.push(escaped);
        let mut extra = whole.clone();
        extra["from_a_newer_build"] = serde_json::json!(true);
        cases.push(extra);
        for case in cases {
            let text = case.to_string();
            let raw = RawValue::from_string(text.clone()).unwrap();
            let sealed = SealedEvent { seq: 1, event: raw };
            let laptop = serde_json::from_str::<WireEvent>(&text);
            assert_eq!(sealed.check().is_ok(), laptop.is_ok(), "{text}");
            if let (Ok(shape), Ok(event)) = (sealed.check(), laptop) {
                assert_eq!((&*shape.id, &*shape.device, &*shape.kind), (&*event.id, &*event.device, &*event.kind));
            }
        }
    }

    #[test]
    fn bodies_round_trip_and_damaged_ones_say_where() {
        let head = PushHead { device: "d".into(), first_seq: 1, count: 2, chain: "00".into(), signature: "11".into() };
        let events = vec![event(1), event(2)];
        let body = encode(&head, &events);
        let (h, e): (PushHead, Vec<Numbered>) = decode(&body).unwrap();
        assert_eq!((h, e), (head, events));
        assert!(matches!(decode::<PushHead, Numbered>(b"plain text"), Err(BodyError::Unreadable(_))));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(1));
        gz.write_all(
            b"{\"device\":\"d\",\"first_seq\":1,\"count\":1,\"chain\":\"\",\"signature\":\"\"}\n{\"seq\":1}\n",
        )
        .unwrap();
        let err = decode::<PushHead, Numbered>(&gz.finish().unwrap()).unwrap_err();
        assert!(matches!(err, BodyError::Line { line: 2, .. }), "{err}");
    }
}
