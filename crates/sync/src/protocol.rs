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

/// The version every path starts with.
pub const V1: &str = "/v1";
/// The header naming the laptop a request comes from.
pub const DEVICE_HEADER: &str = "x-handoff-device";
/// The largest request body a hub takes (compressed): 32 MiB; larger is refused with 413.
pub const MAX_BODY_BYTES: usize = 32 << 20;
/// The largest a push's body may grow to when decompressed; larger is refused with 413.
pub const MAX_INFLATED_BYTES: u64 = 256 << 20;
/// The largest any other request's body (a laptop joining, a pull's cursors, a wait) may grow
/// to when decompressed: each is a few lines, and a hub reads the body of a laptop joining before
/// it knows whose token is in it.
pub const MAX_REQUEST_INFLATED_BYTES: u64 = 1 << 20;
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

/// One line of a push as the hub reads it, borrowed from the body: the event's number and its
/// bytes exactly as sent — what the chain covers, and what the hub keeps and relays. The same
/// line as a laptop's [`Numbered`]; read with [`read_sealed`].
#[derive(Debug)]
pub struct SealedEvent<'a> {
    pub seq: u64,
    pub event: &'a str,
}

/// A push line read by serde, whatever its spacing or the order of its fields.
#[derive(Deserialize)]
#[serde(rename = "numbered event (seq and event)")]
struct SealedLine<'a> {
    seq: u64,
    #[serde(borrow)]
    event: &'a RawValue,
}

/// Reads one line of a push: the numbered event (or why the line is not one), and what the hub
/// needs of the event (or why it is not an event a laptop could read, see [`EventShape`]).
///
/// Each event is read once. A line exactly as [`seal_batch`] writes it —
/// `{"seq":N,"event":{…}}` — has its event's bytes taken from between the two and read whole as
/// an [`EventShape`], which checks them as the JSON object they must be. Any other line, or one
/// that does not read that way, is read by serde as a whole, so what is taken and what is
/// refused (and why) is the same either way.
#[allow(clippy::type_complexity)]
pub fn read_sealed(line: &[u8]) -> Result<(SealedEvent<'_>, Result<EventShape<'_>, String>), serde_json::Error> {
    if let Some((seq, event)) = as_sealed(line) {
        if let Ok(shape) =
            serde_json::from_str::<EventShape>(event).map_err(|e| e.to_string()).and_then(EventShape::checked)
        {
            return Ok((SealedEvent { seq, event }, Ok(shape)));
        }
    }
    let SealedLine { seq, event } = serde_json::from_slice(line)?;
    let event = event.get();
    // serde would read a struct from a JSON array too, field by field in order: an event is the
    // object the log writes, never anything else.
    let shape = match event.starts_with('{') {
        true => serde_json::from_str(event).map_err(|e| e.to_string()).and_then(EventShape::checked),
        false => Err("an event is a JSON object, as Handoff writes it".to_string()),
    };
    Ok((SealedEvent { seq, event }, shape))
}

/// The number and the event's text of a line written as `{"seq":N,"event":{…}}`, N in plain
/// digits; nothing when the line is written any other way.
fn as_sealed(line: &[u8]) -> Option<(u64, &str)> {
    let rest = line.strip_prefix(b"{\"seq\":")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || (rest[0] == b'0' && digits > 1) {
        return None;
    }
    let seq = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
    let event = rest[digits..].strip_prefix(b",\"event\":")?.strip_suffix(b"}")?;
    if !(event.starts_with(b"{") && event.ends_with(b"}")) {
        return None;
    }
    Some((seq, std::str::from_utf8(event).ok()?))
}

/// One event of a pull's answer as the hub relays it: the bytes it kept. The same line as a
/// laptop's [`PulledEvent`].
#[derive(Debug, Serialize)]
pub struct RelayedEvent {
    pub device: String,
    pub seq: u64,
    pub event: Box<RawValue>,
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
    /// Checked to be a JSON string by [`EventShape::checked`]: read as raw JSON, its escapes are
    /// checked where they stand rather than copied out unescaped (a payload is the longest field,
    /// its JSON written inside a string, every quote escaped).
    #[serde(rename = "payload", borrow)]
    payload: &'a RawValue,
}

impl EventShape<'_> {
    /// The shape, when its payload is the JSON string an event's payload is.
    fn checked(self) -> Result<Self, String> {
        let raw = self.payload.get();
        if !raw.starts_with('"') {
            return Err("the event's payload is not a string, as Handoff writes it".to_string());
        }
        // Reading raw JSON checks each `\u` escape's digits but not that it is a character (a
        // lone surrogate is not, and a laptop refuses it): such a payload is read as text.
        if raw.contains("\\u") {
            serde_json::from_str::<Text>(raw).map_err(|e| e.to_string())?;
        }
        Ok(self)
    }
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
    let mut h = ring::digest::Context::new(&ring::digest::SHA256);
    h.update(&prev);
    h.update(&seq.to_be_bytes());
    h.update(bytes);
    h.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
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
    #[error("the body grows beyond {} KB when decompressed: send less at a time", limit >> 10)]
    TooLarge { limit: u64 },
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

/// Inflates a gzip body, refusing one that grows beyond [`MAX_INFLATED_BYTES`].
pub fn inflate(body: &[u8]) -> Result<Vec<u8>, BodyError> {
    inflate_at_most(body, MAX_INFLATED_BYTES)
}

/// Inflates a gzip body, refusing one that grows beyond `limit` bytes (reading no further).
pub fn inflate_at_most(body: &[u8], limit: u64) -> Result<Vec<u8>, BodyError> {
    let mut text = Vec::with_capacity(body.len().saturating_mul(4).min(limit as usize));
    flate2::read::GzDecoder::new(body)
        .take(limit + 1)
        .read_to_end(&mut text)
        .map_err(|e| BodyError::Unreadable(e.to_string()))?;
    if text.len() as u64 > limit {
        return Err(BodyError::TooLarge { limit });
    }
    Ok(text)
}

/// The lines of an inflated body that are not blank, each with its number from 1.
pub fn lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let blank = |l: &[u8]| l.iter().all(u8::is_ascii_whitespace);
    // Lines found with memchr: splitting a byte at a time was a sixteenth of a hub's whole push.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len()));
    let lines = ends.map(move |end| std::mem::replace(&mut start, end + 1)..end).map(|r| &text[r]);
    lines.enumerate().map(|(n, l)| (n + 1, l)).filter(move |(_, l)| !blank(l))
}

/// Reads the head of a body from its lines: the first that is not blank.
pub fn head<'a, H: Deserialize<'a>>(lines: &mut impl Iterator<Item = (usize, &'a [u8])>) -> Result<H, BodyError> {
    let (n, first) = lines.next().ok_or_else(|| BodyError::Unreadable("it is empty".into()))?;
    read_line(n, first)
}

/// Reads line `n` of a body as an `L`, or says which line could not be read and why.
fn read_line<'a, L: Deserialize<'a>>(n: usize, line: &'a [u8]) -> Result<L, BodyError> {
    serde_json::from_slice(line).map_err(|e| BodyError::Line { line: n, why: e.to_string() })
}

/// One page of a pull, inflated; its events not read yet.
#[derive(Debug)]
pub struct PulledPage {
    pub head: PullHead,
    /// The cursors of the request that asked for this page, moved past each of its events.
    pub cursors: BTreeMap<String, u64>,
    text: Vec<u8>,
}

/// A line of a pull's answer read only for where its event stands: its laptop and number, the
/// event parsed past without being built (a [`PulledEvent`] of the same shape).
#[derive(Deserialize)]
struct PulledPlace<'a> {
    #[serde(borrow)]
    device: std::borrow::Cow<'a, str>,
    seq: u64,
    #[serde(rename = "event")]
    _event: serde::de::IgnoredAny,
}

impl PulledPage {
    /// Inflates a pull's answer and reads its head, and how far each laptop's events in it go
    /// beyond `cursors`.
    pub fn read(body: &[u8], mut cursors: BTreeMap<String, u64>) -> Result<PulledPage, BodyError> {
        let text = inflate(body)?;
        let mut lines = lines(&text);
        let head = head(&mut lines)?;
        for (n, line) in lines {
            let place: PulledPlace = read_line(n, line)?;
            match cursors.get_mut(place.device.as_ref()) {
                Some(at) => *at = (*at).max(place.seq),
                None => {
                    cursors.insert(place.device.into_owned(), place.seq);
                }
            }
        }
        Ok(PulledPage { head, cursors, text })
    }

    /// The page's events, read whole.
    pub fn events(&self) -> Result<Vec<PulledEvent>, BodyError> {
        let mut lines = lines(&self.text);
        lines.next();
        read_lines(lines)
    }
}

/// Reads each of `lines` as an `L`; a line that cannot be read is refused, naming it.
fn read_lines<'a, L: Deserialize<'a>>(lines: impl Iterator<Item = (usize, &'a [u8])>) -> Result<Vec<L>, BodyError> {
    lines.map(|(n, line)| read_line(n, line)).collect()
}

/// Reads gzip JSON lines: the head, then every line after it.
pub fn decode<H: for<'de> Deserialize<'de>, L: for<'de> Deserialize<'de>>(
    body: &[u8],
) -> Result<(H, Vec<L>), BodyError> {
    decode_at_most(body, MAX_INFLATED_BYTES)
}

/// Reads gzip JSON lines as [`decode`] does, refusing a body that grows beyond `limit` bytes.
pub fn decode_at_most<H: for<'de> Deserialize<'de>, L: for<'de> Deserialize<'de>>(
    body: &[u8],
    limit: u64,
) -> Result<(H, Vec<L>), BodyError> {
    let text = inflate_at_most(body, limit)?;
    let mut lines = lines(&text);
    let head = head(&mut lines)?;
    Ok((head, read_lines(lines)?))
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
    fn a_link_is_sha256_of_the_link_before_the_number_and_the_bytes() {
        // Links kept by hubs and laptops before stay valid: the link is SHA-256 as any library
        // computes it, whichever one the chain uses.
        use sha2::Digest;
        let mut prev = CHAIN_START;
        for (seq, len) in [(1u64, 0usize), (2, 55), (3, 64), (u64::MAX, 450), (7, 5000)] {
            let bytes: Vec<u8> = (0..len).map(|i| (i as u64).wrapping_mul(31).wrapping_add(seq) as u8).collect();
            let expected: [u8; 32] = sha2::Sha256::new()
                .chain_update(prev)
                .chain_update(seq.to_be_bytes())
                .chain_update(&bytes)
                .finalize()
                .into();
            assert_eq!(next_link(prev, seq, &bytes), expected, "seq {seq}, {len} bytes");
            prev = expected;
        }
        assert_eq!(
            hex::encode(next_link(CHAIN_START, 1, b"{}")),
            hex::encode(sha2::Sha256::digest([&[0u8; 32][..], &1u64.to_be_bytes(), b"{}"].concat())),
        );
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

    /// A push's body as the hub reads it: its events, each with its shape or why it has none.
    fn read_push(body: &[u8]) -> Vec<(u64, String, Result<String, String>)> {
        let text = inflate(body).unwrap();
        let mut lines = lines(&text);
        let _: PushHead = head(&mut lines).unwrap();
        lines
            .map(|(_, line)| {
                let (sealed, shape) = read_sealed(line).unwrap();
                (sealed.seq, sealed.event.to_string(), shape.map(|s| s.id.into_owned()))
            })
            .collect()
    }

    #[test]
    fn the_hub_relays_the_very_bytes_a_laptop_chained() {
        let events = vec![event(1), event(2)];
        let head = PushHead { device: "d".into(), first_seq: 1, count: 2, chain: "00".into(), signature: "11".into() };
        let key = SigningKey::from_bytes(&[3; 32]);
        let sealed = read_push(&seal_batch("a", "d", &key, CHAIN_START, &events).body);
        let link = sealed.iter().fold(CHAIN_START, |l, (seq, bytes, _)| next_link(l, *seq, bytes.as_bytes()));
        assert_eq!(link, chain(CHAIN_START, &events), "the hub's chain over the bytes is the laptop's");
        assert_eq!(serde_json::from_str::<WireEvent>(&sealed[1].1).unwrap(), events[1].event);
        assert_eq!(sealed[1].2.as_deref(), Ok("id-2"));
        let relayed: Vec<RelayedEvent> = sealed
            .into_iter()
            .map(|(seq, bytes, _)| RelayedEvent {
                device: "d".into(),
                seq,
                event: RawValue::from_string(bytes).unwrap(),
            })
            .collect();
        let (_, pulled): (PullHead, Vec<PulledEvent>) = decode(&encode(&PullHead::default(), &relayed)).unwrap();
        let expected: Vec<PulledEvent> =
            events.into_iter().map(|e| PulledEvent { device: "d".into(), seq: e.seq, event: e.event }).collect();
        assert_eq!(pulled, expected);
        let odd = read_push(&encode(&head, &[serde_json::json!({"seq": 1, "event": [1, 2]})]));
        assert!(odd[0].2.is_err(), "what is not an event cannot be read");
        let partial = read_push(&encode(
            &head,
            &[serde_json::json!({"seq": 1, "event": {"id": "x", "device": "d", "kind": "k"}})],
        ));
        assert!(partial[0].2.is_err(), "an event missing its stamp, times and payload cannot be read");
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
        let mut texts: Vec<String> = cases.iter().map(|case| case.to_string()).collect();
        // A payload's escapes are checked where they stand: a bad escape, and a lone surrogate
        // (which a laptop's serde refuses as text).
        let payload = serde_json::to_string(&whole["payload"]).unwrap();
        for odd in [r#""\q""#, r#""\ud800""#, r#""\udc00 x""#, r#""\ud83d\ude00""#, r#""\u00e9""#] {
            texts.push(whole.to_string().replacen(&payload, odd, 1));
        }
        for text in texts {
            let laptop = serde_json::from_str::<WireEvent>(&text);
            // As a laptop writes the line (read on the direct way), and spaced otherwise (read by
            // serde whole): the same event, taken or refused alike.
            for line in [format!("{{\"seq\":1,\"event\":{text}}}"), format!("{{ \"seq\": 1, \"event\": {text} }}")] {
                let Ok((sealed, shape)) = read_sealed(line.as_bytes()) else {
                    // Not JSON at all: the whole line is refused, as a laptop refuses the event.
                    assert!(laptop.is_err(), "{line}");
                    continue;
                };
                assert_eq!((sealed.seq, sealed.event), (1, text.as_str()), "{line}");
                assert_eq!(shape.is_ok(), laptop.is_ok(), "{line}");
                if let (Ok(shape), Ok(event)) = (shape, &laptop) {
                    assert_eq!((&*shape.id, &*shape.device, &*shape.kind), (&*event.id, &*event.device, &*event.kind));
                }
            }
        }
    }

    #[test]
    fn a_laptops_lines_are_read_the_direct_way() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let events = vec![event(1), event(2)];
        let body = seal_batch("a", "d", &key, CHAIN_START, &events).body;
        let text = inflate(&body).unwrap();
        for (n, (_, line)) in lines(&text).skip(1).enumerate() {
            let (seq, bytes) = as_sealed(line).expect("a laptop's line is read the direct way");
            assert_eq!((seq, bytes), (n as u64 + 1, serde_json::to_string(&events[n].event).unwrap().as_str()));
        }
    }

    #[test]
    fn an_event_written_as_an_array_is_refused() {
        // serde reads a struct from an array by position; a laptop reading one in its own field
        // order is not an event as the log writes it either.
        for fields in [
            serde_json::json!(["i", "d", "k", null, null, "t", "t", "h", 0, 1, null, "p"]),
            serde_json::json!(["i", "d", null, null, "t", "t", "h", 0, 1, "k", null, "p"]),
        ] {
            let line = format!("{{\"seq\":1,\"event\":{fields}}}");
            let (_, shape) = read_sealed(line.as_bytes()).unwrap();
            assert!(shape.is_err(), "{line}");
        }
    }

    #[test]
    fn a_line_written_otherwise_is_read_as_serde_reads_it() {
        let text = serde_json::to_string(&event(1).event).unwrap();
        let taken =
            |line: &str| read_sealed(line.as_bytes()).map(|(s, shape)| (s.seq, s.event.len(), shape.is_ok())).ok();
        let whole = Some((7, text.len(), true));
        assert_eq!(taken(&format!("{{\"seq\":7,\"event\":{text}}}")), whole);
        assert_eq!(taken(&format!("{{\"event\":{text},\"seq\":7}}")), whole, "fields in another order");
        assert_eq!(taken(&format!("{{\"seq\":7,\"event\":{text},\"note\":{{}}}}")), whole, "a field more");
        assert_eq!(taken(&format!("{{\"seq\":7,\"event\":{text} }}")), whole, "a space before the end");
        for damaged in [
            format!("{{\"seq\":07,\"event\":{text}}}"),
            format!("{{\"seq\":18446744073709551616,\"event\":{text}}}"),
            format!("{{\"seq\":7,\"event\":{text},\"event\":{text}}}"),
            format!("{{\"seq\":7,\"event\":{text}"),
            format!("{{\"seq\":7,\"event\":{text}}}}}"),
            format!("{{\"seq\":7,\"event\":{}}}", &text[..text.len() - 1]),
            "{\"seq\":7}".to_string(),
        ] {
            assert!(taken(&damaged).is_none(), "{damaged}");
        }
        let mut invalid = format!("{{\"seq\":7,\"event\":{text}}}").into_bytes();
        let at = invalid.len() - 5;
        invalid[at] = 0xff;
        assert!(read_sealed(&invalid).is_err(), "bytes that are not UTF-8");
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

    #[test]
    fn a_pulled_page_says_where_it_leaves_each_laptops_cursor_before_its_events_are_read() {
        let pulled = |device: &str, n: u64| PulledEvent { device: device.into(), seq: n, event: event(n).event };
        let head = PullHead { heads: BTreeMap::new(), more: true, now_ms: 7 };
        let lines =
            vec![pulled("a", 4), pulled("a", 6), pulled("c", 2), pulled("a", 5), pulled("c", 1), pulled("d", 3)];
        let body = encode(&head, &lines);
        let asked = BTreeMap::from([("a".to_string(), 3), ("b".to_string(), 9), ("d".to_string(), 8)]);
        let page = PulledPage::read(&body, asked).unwrap();
        assert_eq!(page.head, head);
        // Moved past this page's events, never back (whatever their order, or a number below
        // the cursor asked with); a laptop the page does not name keeps its cursor.
        let after =
            BTreeMap::from([("a".to_string(), 6), ("b".to_string(), 9), ("c".to_string(), 2), ("d".to_string(), 8)]);
        assert_eq!(page.cursors, after);
        assert_eq!(page.events().unwrap(), lines);
        let (_, decoded): (PullHead, Vec<PulledEvent>) = decode(&body).unwrap();
        assert_eq!(decoded, lines);

        // A line that does not say whose event it is and its number is refused, naming the line.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(1));
        gz.write_all(b"{\"heads\":{},\"more\":false,\"now_ms\":1}\n{\"device\":\"a\",\"seq\":1,\"event\":{}}\n{\"seq\":2,\"event\":{}}\n")
            .unwrap();
        let err = PulledPage::read(&gz.finish().unwrap(), BTreeMap::new()).unwrap_err();
        assert!(matches!(err, BodyError::Line { line: 3, .. }), "{err}");
        // … and one whose event cannot be read is refused when its events are read.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(1));
        gz.write_all(b"{\"heads\":{},\"more\":false,\"now_ms\":1}\n{\"device\":\"a\",\"seq\":1,\"event\":7}\n")
            .unwrap();
        let page = PulledPage::read(&gz.finish().unwrap(), BTreeMap::new()).unwrap();
        assert_eq!(page.cursors, BTreeMap::from([("a".to_string(), 1)]));
        assert!(matches!(page.events(), Err(BodyError::Line { line: 2, .. })));
    }
}
