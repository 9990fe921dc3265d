//! A pushed batch read and checked before anything of it is kept: every event reads as the log
//! keeps it and is the pushing laptop's own, the numbers run on without a gap, and the chain over
//! the very bytes sent — continuing from what the hub holds — is the one the laptop signed.

use axum::http::StatusCode;
use handoff_sync::protocol::{
    batch_message, head, inflate, lines, next_link, read_sealed, verify_batch, BodyError, PushHead, PAGE,
};

use crate::server::{refused, unreadable, Refused};
use crate::storage::Incoming;

/// A batch whose events have been read, not yet chained.
pub struct Pushed {
    pub head: PushHead,
    /// Each event: its number, its bytes exactly as sent, and its id.
    events: Vec<(u64, Box<str>, String)>,
    /// The id of the batch's `agency_created`, when the batch starts the agency.
    pub origin: Option<String>,
}

/// Reads the body of a push from `device`: each event's line is read once.
pub fn read(body: &[u8], device: &str) -> Result<Pushed, Refused> {
    let text = inflate(body).map_err(unreadable)?;
    let mut lines = lines(&text);
    let head: PushHead = head(&mut lines).map_err(unreadable)?;
    if head.device != device {
        return Err(refused(StatusCode::FORBIDDEN, "a laptop pushes its own events only, under its own name"));
    }
    let mut read = Vec::with_capacity(head.count.min(PAGE as u64) as usize);
    for (n, line) in lines {
        read.push(read_sealed(line).map_err(|e| unreadable(BodyError::Line { line: n, why: e.to_string() }))?);
    }
    if head.count != read.len() as u64 || head.first_seq == 0 {
        return Err(refused(StatusCode::BAD_REQUEST, "the batch's count does not match its events"));
    }
    let mut events = Vec::with_capacity(read.len());
    let mut origin = None;
    for (i, (e, shape)) in read.into_iter().enumerate() {
        if e.seq != head.first_seq + i as u64 {
            return Err(refused(StatusCode::BAD_REQUEST, "the batch's events are not numbered one after another"));
        }
        let event = shape.map_err(|why| {
            refused(
                StatusCode::BAD_REQUEST,
                format!("number {} of the batch is not an event as Handoff keeps it: {why}", e.seq),
            )
        })?;
        if event.device != device {
            return Err(refused(
                StatusCode::FORBIDDEN,
                format!("event {} claims to come from another laptop: a laptop pushes its own events only", event.id),
            ));
        }
        if !is_event_id(&event.id) {
            return Err(refused(
                StatusCode::BAD_REQUEST,
                format!(
                    "number {} of the batch has an id that is not a UUID as Handoff writes one: {}",
                    e.seq, event.id
                ),
            ));
        }
        if origin.is_none() && event.kind == "agency_created" {
            origin = Some(event.id.to_string());
        }
        events.push((e.seq, e.event.into(), event.id.into_owned()));
    }
    Ok(Pushed { head, events, origin })
}

impl Pushed {
    /// The number of the batch's first event.
    pub fn first(&self) -> u64 {
        self.head.first_seq
    }

    /// The events to keep, each with the link that covers it, when their chain from `before`
    /// (the link of the laptop's event before the batch) is the batch's and `public_key` signed
    /// it for `agency`.
    pub fn chained(self, before: [u8; 32], agency: &str, public_key: &str) -> Result<Vec<Incoming>, Refused> {
        let links = self.links(before, agency, public_key)?;
        Ok(self.with_links(links))
    }

    /// The link after each event, as [`Pushed::chained`] checks them, the batch left as it is:
    /// the hub checks a batch from where the one before it ends while that one is still being
    /// kept, and keeps the links only if the hub then holds that very link.
    pub fn links(&self, before: [u8; 32], agency: &str, public_key: &str) -> Result<Links, Refused> {
        let mut links = Vec::with_capacity(self.events.len());
        let mut running = before;
        for (seq, body, _) in &self.events {
            running = next_link(running, *seq, body.as_bytes());
            links.push(hex_link(&running));
        }
        if hex::encode(running) != self.head.chain {
            return Err(refused(StatusCode::BAD_REQUEST, "the batch's chain does not match its events"));
        }
        let message = batch_message(agency, &self.head.device, self.head.first_seq, self.head.count, &running);
        if !verify_batch(public_key, &message, &self.head.signature) {
            return Err(refused(StatusCode::FORBIDDEN, "the batch is not signed by this laptop's key"));
        }
        Ok(Links { before, links, end: running })
    }

    /// The events to keep, with the links checked for them.
    pub fn with_links(self, links: Links) -> Vec<Incoming> {
        self.events
            .into_iter()
            .zip(links.links)
            .map(|((seq, body, id), link)| Incoming { seq, id, body, link })
            .collect()
    }
}

/// The checked links of a batch: the link it continued from, each event's, and the last.
pub struct Links {
    before: [u8; 32],
    links: Vec<String>,
    end: [u8; 32],
}

impl Links {
    /// Whether these links were checked from `before`: links checked ahead from where the batch
    /// before was expected to end stand only if the hub then holds that very link.
    pub fn continue_from(&self, before: &[u8; 32]) -> bool {
        self.before == *before
    }

    /// The link after the batch's last event.
    pub fn end(&self) -> [u8; 32] {
        self.end
    }
}

/// Whether `id` is a UUID written as a laptop writes every event's id (lower-case hex in groups of
/// 8-4-4-4-12): the one text of its UUID, so two events of one id never differ in how it is
/// written, whichever storage keeps it.
fn is_event_id(id: &str) -> bool {
    let mut written = [0; uuid::fmt::Hyphenated::LENGTH];
    uuid::Uuid::try_parse(id).is_ok_and(|u| *u.hyphenated().encode_lower(&mut written) == *id)
}

/// A link in hex, as the hub keeps it: made a byte at a time, not a character at a time (the
/// hex crate's `encode`), for it is made for every event pushed.
fn hex_link(link: &[u8; 32]) -> String {
    let mut text = [0u8; 64];
    hex::encode_to_slice(link, &mut text).expect("64 hex digits hold 32 bytes");
    String::from_utf8(text.to_vec()).expect("hex digits are text")
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_event_id_is_a_uuid_written_as_a_laptop_writes_it() {
        assert!(super::is_event_id("0193a000-0000-7000-8000-000000001234"));
        for odd in [
            "e1",
            "",
            "0193A000-0000-7000-8000-000000001234",
            "0193a000000070008000000000001234",
            "{0193a000-0000-7000-8000-000000001234}",
            "urn:uuid:0193a000-0000-7000-8000-000000001234",
            "0193a000-0000-7000-8000-0000000012345",
        ] {
            assert!(!super::is_event_id(odd), "{odd}");
        }
    }

    #[test]
    fn a_link_is_kept_as_the_hex_a_laptop_reads() {
        let link: [u8; 32] = std::array::from_fn(|i| (i * 37) as u8);
        assert_eq!(super::hex_link(&link), hex::encode(link));
        assert_eq!(handoff_sync::protocol::link(&super::hex_link(&link)), Some(link));
    }

    #[test]
    fn links_checked_from_one_link_do_not_stand_for_another() {
        let (checked_from, held) = ([1u8; 32], [2u8; 32]);
        let links = super::Links { before: checked_from, links: vec![], end: [3u8; 32] };
        assert!(links.continue_from(&checked_from));
        assert!(!links.continue_from(&held), "checked again from what the hub holds");
        assert_eq!(links.end(), [3u8; 32]);
    }
}
