//! What a CRM delivery needs to know of an agency — its directory, which deal holds each CRM
//! record, and where each deal's events are — kept in the hub's memory and brought up to date from
//! its storage before each delivery, instead of searched for through every event the agency has.
//! Bringing it up to date reads only what laptops pushed since (each laptop's events by number,
//! as a pull does); the laptops' pushes pay nothing for it. The first delivery after the hub
//! starts reads the agency's events once.

use std::collections::{BTreeMap, HashMap};

use handoff_domain::deal::{Deal, FoldContext};
use handoff_domain::directory::Directory;
use handoff_domain::event::{Event, EventBody};
use handoff_domain::hlc::Hlc;
use handoff_domain::ids::{DealId, EventId};
use handoff_sync::protocol::WireEvent;

use crate::storage::{Storage, StorageError};

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

/// How many events one read brings.
const PAGE: usize = 10_000;

/// The kind and deal of a kept event: all that is read of most events.
#[derive(serde::Deserialize)]
struct Peek<'a> {
    #[serde(borrow)]
    kind: &'a str,
    #[serde(borrow)]
    deal: Option<&'a str>,
}

/// Every agency's index, each behind a lock of its own: one delivery of an agency is decided at a
/// time (two deliveries of one deal never both add it), while other agencies' go on.
#[derive(Default)]
pub struct AgencyIndexes {
    agencies: std::sync::Mutex<HashMap<i64, std::sync::Arc<std::sync::Mutex<AgencyIndex>>>>,
}

impl AgencyIndexes {
    /// The agency's index (empty until first brought up to date).
    pub fn of(&self, agency: i64) -> std::sync::Arc<std::sync::Mutex<AgencyIndex>> {
        let mut all = self.agencies.lock().unwrap_or_else(|p| p.into_inner());
        all.entry(agency).or_default().clone()
    }
}

/// One agency, as far as its CRM deliveries need it.
#[derive(Default)]
pub struct AgencyIndex {
    /// Each laptop's last event read.
    cursors: BTreeMap<String, u64>,
    /// The laptops, numbered in the order first seen (a deal's events name them by number).
    devices: Vec<String>,
    device_numbers: HashMap<String, u32>,
    /// The directory's events, as read, and the directory they fold to (until another comes).
    directory: Vec<Event>,
    folded: Option<Directory>,
    /// Which deal holds each CRM record: the first to hold it by clock stamp, then id.
    holders: BTreeMap<String, (Hlc, EventId, DealId)>,
    /// Where each deal's events are: laptop number and event number.
    deals: HashMap<DealId, Vec<(u32, u64)>>,
}

/// A kept event, read whole (`None` when this build cannot read it: a newer Handoff's, or damaged).
fn event(body: &str) -> Option<Event> {
    serde_json::from_str::<WireEvent>(body).ok()?.event().ok()
}

impl AgencyIndex {
    /// Reads what laptops pushed since the last call.
    pub fn catch_up(&mut self, storage: &dyn Storage, agency: i64) -> Result<(), StorageError> {
        loop {
            let (events, more) = storage.pull(agency, &self.cursors, PAGE)?;
            for relayed in &events {
                self.take(&relayed.device, relayed.seq, relayed.event.get());
            }
            if !more || events.is_empty() {
                return Ok(());
            }
        }
    }

    fn take(&mut self, device: &str, seq: u64, body: &str) {
        let cursor = self.cursors.entry(device.to_string()).or_default();
        *cursor = (*cursor).max(seq);
        let Ok(peek) = serde_json::from_str::<Peek>(body) else { return };
        if DIRECTORY_KINDS.contains(&peek.kind) {
            self.directory.extend(event(body));
            self.folded = None;
        }
        if matches!(peek.kind, "deal_added" | "deal_imported") {
            if let Some(e) = event(body) {
                let held = match &e.body {
                    EventBody::DealImported { deal, external_id, .. } => Some((external_id.clone(), *deal)),
                    EventBody::DealAdded { deal, external_id: Some(x), .. } => Some((x.clone(), *deal)),
                    _ => None,
                };
                // The first to hold a record keeps it, as every laptop's merge says.
                if let Some((record, deal)) = held {
                    let first = self.holders.entry(record).or_insert((e.hlc, e.id, deal));
                    if (e.hlc, e.id) < (first.0, first.1) {
                        *first = (e.hlc, e.id, deal);
                    }
                }
            }
        }
        if let Some(deal) = peek.deal.and_then(|d| d.parse::<DealId>().ok()) {
            let number = match self.device_numbers.get(device) {
                Some(n) => *n,
                None => {
                    let n = self.devices.len() as u32;
                    self.devices.push(device.to_string());
                    self.device_numbers.insert(device.to_string(), n);
                    n
                }
            };
            self.deals.entry(deal).or_default().push((number, seq));
        }
    }

    /// The agency's directory, folded in the order every laptop folds (an action a laptop's merge
    /// would skip is skipped here too: it changes nothing).
    pub fn directory(&mut self) -> Directory {
        if let Some(dir) = &self.folded {
            return dir.clone();
        }
        let mut events: Vec<&Event> = self.directory.iter().collect();
        events.sort_by_key(|e| (e.hlc, e.id));
        let mut dir = Directory::default();
        for event in events {
            let mut next = dir.clone();
            if next.apply(&event.body, event.occurred_at).is_ok() {
                dir = next;
            }
        }
        self.folded = Some(dir.clone());
        dir
    }

    /// The deal that holds a CRM record, if any.
    pub fn holder(&self, record: &str) -> Option<DealId> {
        self.holders.get(record).map(|(_, _, deal)| *deal)
    }

    /// A deal, folded from its kept events.
    pub fn deal(
        &self,
        storage: &dyn Storage,
        agency: i64,
        dir: &Directory,
        deal: DealId,
    ) -> Result<Option<Deal>, StorageError> {
        let mut events = Vec::new();
        for (number, seq) in self.deals.get(&deal).map(Vec::as_slice).unwrap_or_default() {
            if let Some((_, body)) = storage.event_at(agency, &self.devices[*number as usize], *seq)? {
                events.extend(event(&body));
            }
        }
        events.sort_by_key(|e| (e.hlc, e.id));
        let mut state: Option<Deal> = None;
        for event in events {
            if let Ok(next) = Deal::apply(state.clone(), &event, &FoldContext::new(dir)) {
                state = Some(next);
            }
        }
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use handoff_domain::assignment::AssignedBecause;
    use handoff_domain::ids::{DeviceId, PersonId};
    use handoff_domain::money::Money;
    use handoff_sync::protocol::event_bytes;
    use uuid::Uuid;

    fn imported(record: &str, deal: DealId, wall_ms: i64) -> String {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        let person = PersonId::from_uuid(Uuid::now_v7());
        let event = Event {
            id: EventId::from_uuid(Uuid::now_v7()),
            device: DeviceId::from_uuid(Uuid::now_v7()),
            actor: None,
            recorded_by: None,
            occurred_at: at,
            recorded_at: at,
            hlc: Hlc { wall_ms, counter: 0 },
            part: 0,
            version: 7,
            body: EventBody::DealImported {
                deal,
                external_id: record.into(),
                title: "Lisbon".into(),
                customer: "Atlas".into(),
                value: Money::parse("100", "EUR").unwrap(),
                sales_owner: person,
                closed_at: at,
                handoff_at: None,
                fulfilment_owner: person,
                assigned_because: AssignedBecause::Lead,
                source: None,
            },
        };
        String::from_utf8(event_bytes(&WireEvent::of(&event))).unwrap()
    }

    #[test]
    fn a_record_is_held_by_its_first_deal_by_clock_stamp_whichever_laptop_is_read_first() {
        let (first, second) = (DealId::from_uuid(Uuid::now_v7()), DealId::from_uuid(Uuid::now_v7()));
        let mut index = AgencyIndex::default();
        // Laptop B's later import is read before laptop A's earlier one.
        index.take("laptop-b", 1, &imported("746", second, 2_000));
        index.take("laptop-a", 1, &imported("746", first, 1_000));
        assert_eq!(index.holder("746"), Some(first));
        assert_eq!(index.holder("747"), None);
        assert_eq!(index.deals[&first], vec![(1, 1)]);
        assert_eq!(index.deals[&second], vec![(0, 1)]);
        assert_eq!(index.cursors.get("laptop-a"), Some(&1));
        // Something that is not an event moves the cursor and nothing else.
        index.take("laptop-a", 2, "not json");
        assert_eq!(index.cursors.get("laptop-a"), Some(&2));
    }
}
