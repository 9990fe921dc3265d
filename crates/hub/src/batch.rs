//! A pushed batch read and checked before anything of it is kept: every event reads as the log
//! keeps it and is the pushing laptop's own, the numbers run on without a gap, and the chain over
//! the very bytes sent — continuing from what the hub holds — is the one the laptop signed.

use axum::http::StatusCode;
use handoff_sync::protocol::{batch_message, decode, next_link, verify_batch, PushHead, SealedEvent};

use crate::server::{refused, unreadable, Refused};
use crate::storage::Incoming;

/// A batch whose events have been read, not yet chained.
pub struct Pushed {
    pub head: PushHead,
    events: Vec<SealedEvent>,
    ids: Vec<String>,
    /// The id of the batch's `agency_created`, when the batch starts the agency.
    pub origin: Option<String>,
}

/// Reads the body of a push from `device`.
pub fn read(body: &[u8], device: &str) -> Result<Pushed, Refused> {
    let (head, events): (PushHead, Vec<SealedEvent>) = decode(body).map_err(unreadable)?;
    if head.device != device {
        return Err(refused(StatusCode::FORBIDDEN, "a laptop pushes its own events only, under its own name"));
    }
    if head.count != events.len() as u64 || head.first_seq == 0 {
        return Err(refused(StatusCode::BAD_REQUEST, "the batch's count does not match its events"));
    }
    let mut ids = Vec::with_capacity(events.len());
    let mut origin = None;
    for (i, e) in events.iter().enumerate() {
        if e.seq != head.first_seq + i as u64 {
            return Err(refused(StatusCode::BAD_REQUEST, "the batch's events are not numbered one after another"));
        }
        let event = e.check().map_err(|why| {
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
        if origin.is_none() && event.kind == "agency_created" {
            origin = Some(event.id.to_string());
        }
        ids.push(event.id.into_owned());
    }
    Ok(Pushed { head, events, ids, origin })
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
        let mut kept = Vec::with_capacity(self.events.len());
        let mut running = before;
        for (e, id) in self.events.into_iter().zip(self.ids) {
            running = next_link(running, e.seq, e.bytes());
            kept.push(Incoming { seq: e.seq, id, body: e.event.into(), link: hex::encode(running) });
        }
        if hex::encode(running) != self.head.chain {
            return Err(refused(StatusCode::BAD_REQUEST, "the batch's chain does not match its events"));
        }
        let message = batch_message(agency, &self.head.device, self.head.first_seq, self.head.count, &running);
        if !verify_batch(public_key, &message, &self.head.signature) {
            return Err(refused(StatusCode::FORBIDDEN, "the batch is not signed by this laptop's key"));
        }
        Ok(kept)
    }
}
