//! Handoff 2, Fulfilment → Service. Fulfilment builds the trip (dates, travellers and their
//! preferences, the itinerary day by day); when the Sales→Fulfilment handoff completes and the
//! trip's start is known, the service handoff is scheduled 72 hours before the trip starts, with
//! a Service owner named for its due day by the never-to-a-queue rule (and named again when that
//! owner becomes away). Its 15-minute call walks through every traveller's preferences; Service
//! acknowledges each item as it reads, and the handoff completes only when every item is
//! acknowledged as it reads now.
//!
//! | from               | event                       | to                 | test                                                   |
//! |--------------------|-----------------------------|--------------------|--------------------------------------------------------|
//! | open, won, h-off   | trip_planned                | same               | `a_trip_planned_on_a_handed_off_deal_schedules_the_service_handoff` |
//! | lost               | trip_planned                | refused            | `a_lost_deal_has_no_trip`                              |
//! | any                | trip_planned ending before it starts | refused   | `a_trip_cannot_end_before_it_starts`                   |
//! | won, h-off         | traveller_added             | same               | `travellers_are_added_once_with_unique_names`          |
//! | won, h-off         | traveller_added, a name twice | refused          | `travellers_are_added_once_with_unique_names`          |
//! | open, lost         | traveller_added, itinerary_item_added | refused  | `trip_content_waits_for_the_win`                       |
//! | won, h-off         | traveller_edited            | same               | `an_edited_preference_needs_acknowledging_again`       |
//! | won, h-off         | itinerary_item_added, _edited, _removed | same   | `itinerary_items_stay_inside_the_trip_in_day_order`    |
//! | won, h-off         | itinerary_item_added outside the trip | refused  | `itinerary_items_stay_inside_the_trip_in_day_order`    |
//! | won                | service_handoff_scheduled   | refused            | `the_service_handoff_is_scheduled_after_the_handoff`   |
//! | h-off              | service_handoff_scheduled   | scheduled          | `the_service_handoff_is_scheduled_after_the_handoff`   |
//! | scheduled          | service_handoff_scheduled (moved trip) | scheduled | `a_moved_trip_reschedules_and_keeps_the_owner`      |
//! | scheduled          | service_owner_reassigned    | scheduled          | `the_service_owner_is_named_again_when_away`           |
//! | scheduled          | service_call_started        | in call            | `the_call_completes_only_when_every_item_is_acknowledged` |
//! | in call            | service_handoff_scheduled   | refused            | `a_started_call_is_not_rescheduled`                    |
//! | in call            | preference_acknowledged     | in call            | `the_call_completes_only_when_every_item_is_acknowledged` |
//! | scheduled, done    | preference_acknowledged     | refused            | `acknowledgements_happen_during_the_call`              |
//! | in call            | preference_acknowledged twice, or of nothing | refused | `acknowledgements_happen_during_the_call`      |
//! | in call (all acknowledged) | service_handoff_completed | done          | `the_call_completes_only_when_every_item_is_acknowledged` |
//! | in call (one open) | service_handoff_completed   | refused            | `the_call_completes_only_when_every_item_is_acknowledged` |
//! | done               | service_owner_reassigned, service_call_started | refused | `a_completed_service_handoff_is_final`         |

use chrono::{DateTime, NaiveDate, Utc};

use super::{check_owner, escalation, illegal, illegal_arm, local, Deal, DealStatus, FoldContext};
use crate::assignment::assign;
use crate::assignment::AssignedBecause;
use crate::calendar::Calendar;
use crate::directory::{check_name, Department, Directory};
use crate::event::{EventBody, TripPlan};
use crate::ids::{EscalationId, ItemId, PersonId, TravellerId};
use crate::service::{service_due_at, AckState, PreferenceAck, ServiceHandoff, ServiceReassignment};
use crate::trip::{
    text_sha256, ItemKind, ItineraryItem, PreferenceTopic, Preferences, Traveller, TravellerChange, MAX_NOTE_CHARS,
};
use crate::RuleError;

/// A traveller to add.
#[derive(Clone, Debug)]
pub struct NewTraveller {
    pub name: String,
    pub preferences: Preferences,
}

/// An itinerary item to add, or an item's new content.
#[derive(Clone, Debug)]
pub struct NewItem {
    pub day: chrono::NaiveDate,
    pub time: Option<chrono::NaiveTime>,
    pub kind: ItemKind,
    pub title: String,
    pub supplier: Option<String>,
    pub contact: Option<String>,
    pub confirmation: Option<String>,
}

pub(crate) fn check_note(what: &'static str, text: &str) -> Result<(), RuleError> {
    let len = text.chars().count();
    if len > MAX_NOTE_CHARS {
        return Err(RuleError::TooLong { what, len, max: MAX_NOTE_CHARS });
    }
    Ok(())
}

fn check_preferences(p: &Preferences) -> Result<(), RuleError> {
    p.items.values().try_for_each(|t| check_note("a preference", t))
}

/// A trip's dates are in order and its destination is a name.
pub(super) fn check_trip(trip: &TripPlan) -> Result<(), RuleError> {
    if let (Some(start), Some(end)) = (trip.start, trip.end) {
        if end < start {
            return Err(RuleError::TripEndsBeforeStart { start, end });
        }
    }
    if let Some(d) = &trip.destination {
        check_name("the destination", d)?;
    }
    Ok(())
}

impl Deal {
    // ---- trip content -----------------------------------------------------------------------

    /// Sets the trip's dates, destination and size. Once the deal is handed off and the start is
    /// known, the service handoff is (re)scheduled with an owner named for its due day.
    pub fn plan_trip(
        &self,
        dir: &Directory,
        trip: TripPlan,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        if self.status == DealStatus::Lost {
            return Err(self.status_error(cal, "a lost deal has no trip to plan"));
        }
        check_trip(&trip)?;
        let mut after = self.clone();
        after.trip = trip.clone();
        let mut events = vec![EventBody::TripPlanned { deal: self.id, trip }];
        if self.status == DealStatus::HandedOff && after.trip_start_at(cal) != self.trip_start_at(cal) {
            events.extend(after.schedule_service(dir, escalation_id)?);
        }
        Ok(events)
    }

    /// Schedules (or reschedules, while its call has not started) the service handoff: due 72 h
    /// before the trip starts, owned by the Service lead, else a backup, else the founder, as
    /// they are on the due day. Nothing when the start is unknown or the call has begun.
    pub fn schedule_service(&self, dir: &Directory, escalation_id: EscalationId) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        let Some(start) = self.trip_start_at(cal) else { return Ok(Vec::new()) };
        if self.service.as_ref().is_some_and(|s| s.started_at.is_some()) {
            return Ok(Vec::new());
        }
        let due_at = service_due_at(start);
        let day = cal.local_date(due_at);
        // Rescheduling keeps whoever owns it now unless they are away on the new due day.
        if let Some(s) = &self.service {
            if dir.person(s.owner).is_some_and(|p| !p.is_away(day)) {
                return Ok(vec![EventBody::ServiceHandoffScheduled {
                    deal: self.id,
                    due_at,
                    owner: s.owner,
                    assigned_because: s.because,
                }]);
            }
        }
        let a = assign(dir, Department::Service, day)?;
        let mut events = vec![EventBody::ServiceHandoffScheduled {
            deal: self.id,
            due_at,
            owner: a.person,
            assigned_because: a.because,
        }];
        events.extend(escalation(a.because, escalation_id, self.id, a.person, Department::Service, day));
        Ok(events)
    }

    /// After someone became away: if they own this deal's service handoff on its due day and the
    /// call has not started, name the owner again by the rule. `dir` is the directory after.
    pub fn service_after_away(
        &self,
        dir: &Directory,
        person: PersonId,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        let Some(s) = &self.service else { return Ok(Vec::new()) };
        let day = s.due_day(cal);
        let away = dir.person(person).is_some_and(|p| p.is_away(day));
        if s.owner != person || s.started_at.is_some() || s.completed_at.is_some() || !away {
            return Ok(Vec::new());
        }
        let a = assign(dir, Department::Service, day)?;
        if a.person == s.owner {
            return Ok(Vec::new());
        }
        let mut events = vec![EventBody::ServiceOwnerReassigned {
            deal: self.id,
            from: s.owner,
            to: a.person,
            assigned_because: Some(a.because),
            reason: format!("{} is away on {day}, the day the service handoff is due", dir.name_of(person)),
        }];
        events.extend(escalation(a.because, escalation_id, self.id, a.person, Department::Service, day));
        Ok(events)
    }

    /// Adds a traveller with their preferences.
    pub fn add_traveller(
        &self,
        dir: &Directory,
        id: TravellerId,
        new: NewTraveller,
    ) -> Result<Vec<EventBody>, RuleError> {
        self.require_delivery(dir.calendar()?, "travellers are added once the deal is won")?;
        self.check_traveller_name(None, &new.name)?;
        check_preferences(&new.preferences)?;
        Ok(vec![EventBody::TravellerAdded {
            deal: self.id,
            traveller: id,
            name: new.name,
            preferences: new.preferences,
        }])
    }

    /// Changes a traveller's name or preferences; `changes` replace the given topics ("" clears).
    pub fn edit_traveller(
        &self,
        dir: &Directory,
        id: TravellerId,
        name: Option<String>,
        changes: Vec<(PreferenceTopic, String)>,
    ) -> Result<Vec<EventBody>, RuleError> {
        self.require_delivery(dir.calendar()?, "travellers are edited on a won deal")?;
        let t = self.traveller(id).ok_or_else(|| self.no_such("traveller", id.to_string()))?;
        let name = name.unwrap_or_else(|| t.name.clone());
        self.check_traveller_name(Some(id), &name)?;
        let mut preferences = t.preferences.clone();
        for (topic, text) in changes {
            if text.trim().is_empty() {
                preferences.items.remove(&topic);
            } else {
                preferences.items.insert(topic, text);
            }
        }
        check_preferences(&preferences)?;
        let after = Traveller { id, name: name.clone(), preferences: preferences.clone() };
        let changed = std::iter::once(None)
            .chain(PreferenceTopic::ALL.into_iter().map(Some))
            .filter(|part| t.part(*part) != after.part(*part))
            .map(|topic| TravellerChange { topic, seen_sha256: text_sha256(t.part(topic)) })
            .collect();
        Ok(vec![EventBody::TravellerEdited { deal: self.id, traveller: id, name, preferences, changed: Some(changed) }])
    }

    /// A traveller's name is a name, and no other traveller of the trip has it.
    fn check_traveller_name(&self, except: Option<TravellerId>, name: &str) -> Result<(), RuleError> {
        check_name("the traveller's name", name)?;
        if self.travellers.iter().any(|t| Some(t.id) != except && t.name.trim().eq_ignore_ascii_case(name.trim())) {
            return Err(RuleError::DuplicateName(name.trim().to_string()));
        }
        Ok(())
    }

    /// An itinerary day falls inside the trip, once its dates are known.
    fn check_day(&self, day: NaiveDate) -> Result<(), RuleError> {
        if let (Some(start), Some(end)) = (self.trip.start, self.trip.end) {
            if day < start || day > end {
                return Err(RuleError::ItemOutsideTrip { day, start, end });
            }
        }
        Ok(())
    }

    fn check_item(&self, item: &NewItem) -> Result<(), RuleError> {
        check_name("the item's title", &item.title)?;
        for text in [&item.supplier, &item.contact, &item.confirmation].into_iter().flatten() {
            check_note("an itinerary detail", text)?;
        }
        self.check_day(item.day)
    }

    /// Adds an itinerary item.
    pub fn add_item(&self, dir: &Directory, id: ItemId, item: NewItem) -> Result<Vec<EventBody>, RuleError> {
        self.require_delivery(dir.calendar()?, "the itinerary is built once the deal is won")?;
        self.check_item(&item)?;
        Ok(vec![EventBody::ItineraryItemAdded { deal: self.id, item: item.into_item(id) }])
    }

    /// Replaces an itinerary item's content; an edit that changes nothing is refused.
    pub fn edit_item(&self, dir: &Directory, id: ItemId, item: NewItem) -> Result<Vec<EventBody>, RuleError> {
        self.require_delivery(dir.calendar()?, "the itinerary is built once the deal is won")?;
        let Some(old) = self.itinerary.iter().find(|i| i.id == id) else {
            return Err(self.no_such("itinerary item", id.to_string()));
        };
        self.check_item(&item)?;
        let item = item.into_item(id);
        if *old == item {
            return Err(RuleError::NothingCorrected(format!("\"{}\" is already as given", old.title)));
        }
        Ok(vec![EventBody::ItineraryItemEdited { deal: self.id, item }])
    }

    /// Removes an itinerary item.
    pub fn remove_item(&self, dir: &Directory, id: ItemId) -> Result<Vec<EventBody>, RuleError> {
        self.require_delivery(dir.calendar()?, "the itinerary is built once the deal is won")?;
        if !self.itinerary.iter().any(|i| i.id == id) {
            return Err(self.no_such("itinerary item", id.to_string()));
        }
        Ok(vec![EventBody::ItineraryItemRemoved { deal: self.id, item: id }])
    }

    // ---- the service handoff ----------------------------------------------------------------

    fn scheduled_service(&self) -> Result<&ServiceHandoff, RuleError> {
        self.service.as_ref().ok_or_else(|| {
            let hint = if self.status != DealStatus::HandedOff {
                "it is scheduled when the Sales→Fulfilment handoff completes"
            } else {
                "it is scheduled once the trip's start date is known"
            };
            RuleError::WrongStatus {
                deal: self.title.clone(),
                status: "without a service handoff yet".into(),
                hint: hint.into(),
            }
        })
    }

    fn service_status(&self, status: &str, hint: &str) -> RuleError {
        RuleError::WrongStatus { deal: self.title.clone(), status: status.into(), hint: hint.into() }
    }

    /// Starts the 15-minute service handoff call.
    pub fn start_service_call(&self, dir: &Directory) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        let s = self.scheduled_service()?;
        if let Some(done) = s.completed_at {
            return Err(
                self.service_status(&format!("already handed to Service ({})", local(cal, done)), "nothing to start")
            );
        }
        if let Some(started) = s.started_at {
            return Err(self.service_status(
                &format!("already in its service handoff call (started {})", local(cal, started)),
                "acknowledge each preference, then complete the service handoff",
            ));
        }
        Ok(vec![EventBody::ServiceCallStarted { deal: self.id }])
    }

    fn in_call(&self, cal: &Calendar) -> Result<&ServiceHandoff, RuleError> {
        let s = self.scheduled_service()?;
        if let Some(done) = s.completed_at {
            return Err(
                self.service_status(&format!("already handed to Service ({})", local(cal, done)), "the call is over")
            );
        }
        if s.started_at.is_none() {
            return Err(RuleError::NotInServiceCall { deal: self.title.clone() });
        }
        Ok(s)
    }

    /// Service acknowledges one traveller's preference item as it reads now.
    pub fn acknowledge(
        &self,
        dir: &Directory,
        traveller: TravellerId,
        topic: PreferenceTopic,
    ) -> Result<Vec<EventBody>, RuleError> {
        let s = self.in_call(dir.calendar()?)?;
        let t = self.traveller(traveller).ok_or_else(|| self.no_such("traveller", traveller.to_string()))?;
        let text = t.preferences.text(topic);
        if text.trim().is_empty() {
            return Err(RuleError::NothingToAcknowledge { traveller: t.name.clone(), topic: topic.to_string() });
        }
        let item = s.checklist(std::slice::from_ref(t)).into_iter().find(|i| i.topic == topic);
        if item.is_some_and(|i| i.state == AckState::Acknowledged) {
            return Err(RuleError::AlreadyAcknowledged { traveller: t.name.clone(), topic: topic.to_string() });
        }
        Ok(vec![EventBody::PreferenceAcknowledged { deal: self.id, traveller, topic, text_sha256: text_sha256(text) }])
    }

    /// Completes the service handoff: refused while any preference item is not acknowledged as
    /// it reads now.
    pub fn complete_service(&self, dir: &Directory) -> Result<Vec<EventBody>, RuleError> {
        let s = self.in_call(dir.calendar()?)?;
        let open: Vec<String> = s
            .checklist(&self.travellers)
            .into_iter()
            .filter(|i| i.state != AckState::Acknowledged)
            .map(|i| match i.state {
                AckState::Changed => format!("{} {} (changed since acknowledged)", i.traveller_name, i.topic),
                _ => format!("{} {}", i.traveller_name, i.topic),
            })
            .collect();
        if !open.is_empty() {
            return Err(RuleError::ChecklistOpen { deal: self.title.clone(), missing: open.join(", ") });
        }
        Ok(vec![EventBody::ServiceHandoffCompleted { deal: self.id }])
    }

    /// Hands the service side to someone else by hand, with a reason.
    pub fn reassign_service(&self, dir: &Directory, to: PersonId, reason: String) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        let s = self.scheduled_service()?;
        if let Some(done) = s.completed_at {
            return Err(self
                .service_status(&format!("already handed to Service ({})", local(cal, done)), "nothing to reassign"));
        }
        check_name("the reason", &reason)?;
        let name = check_owner(dir, to, Department::Service)?;
        if s.owner == to {
            return Err(RuleError::SameOwner { deal: self.title.clone(), person: name.to_string(), dept: "service" });
        }
        Ok(vec![EventBody::ServiceOwnerReassigned { deal: self.id, from: s.owner, to, assigned_because: None, reason }])
    }

    // ---- the fold ---------------------------------------------------------------------------

    /// The fold arms of handoff 2.
    pub(super) fn apply_fulfilment_to_service(
        &mut self,
        body: &EventBody,
        at: DateTime<Utc>,
        ctx: &FoldContext<'_>,
    ) -> Result<(), RuleError> {
        let illegal = |reason: &str| illegal(body, reason);
        let refused = |e: RuleError| illegal(&e.to_string());
        let delivering = self.is_delivering();
        match body {
            EventBody::TripPlanned { trip, .. } => {
                if self.status == DealStatus::Lost {
                    return Err(illegal("a lost deal has no trip"));
                }
                check_trip(trip).map_err(refused)?;
                self.trip = trip.clone();
            }
            EventBody::TravellerAdded { traveller, name, preferences, .. } => {
                if !delivering || self.traveller(*traveller).is_some() {
                    return Err(illegal("travellers are added once, to a won deal"));
                }
                self.check_traveller_name(None, name).map_err(refused)?;
                self.travellers.push(Traveller {
                    id: *traveller,
                    name: name.clone(),
                    preferences: preferences.clone(),
                });
            }
            EventBody::TravellerEdited { traveller, name, preferences, changed, .. } => {
                if !delivering {
                    return Err(illegal("travellers are edited on a won deal"));
                }
                let renamed = changed.as_ref().is_none_or(|c| c.iter().any(|c| c.topic.is_none()));
                if renamed {
                    self.check_traveller_name(Some(*traveller), name).map_err(refused)?;
                }
                let t = self
                    .travellers
                    .iter_mut()
                    .find(|t| t.id == *traveller)
                    .ok_or_else(|| illegal("no such traveller"))?;
                match changed {
                    // Recorded before sync: the whole traveller as it read then.
                    None => {
                        t.name = name.clone();
                        t.preferences = preferences.clone();
                    }
                    Some(changes) => {
                        for change in changes {
                            match change.topic {
                                None => t.name = name.clone(),
                                Some(topic) => {
                                    match preferences.items.get(&topic) {
                                        Some(text) => t.preferences.items.insert(topic, text.clone()),
                                        None => t.preferences.items.remove(&topic),
                                    };
                                }
                            }
                        }
                    }
                }
            }
            EventBody::ItineraryItemAdded { item, .. } => {
                if !delivering || self.itinerary.iter().any(|i| i.id == item.id) {
                    return Err(illegal("items are added once, to a won deal"));
                }
                self.check_day(item.day).map_err(refused)?;
                self.itinerary.push(item.clone());
                self.sort_itinerary();
            }
            EventBody::ItineraryItemEdited { item, .. } => {
                if !delivering {
                    return Err(illegal("the itinerary is built on a won deal"));
                }
                self.check_day(item.day).map_err(refused)?;
                let i = self.itinerary.iter_mut().find(|i| i.id == item.id).ok_or_else(|| illegal("no such item"))?;
                *i = item.clone();
                self.sort_itinerary();
            }
            EventBody::ItineraryItemRemoved { item, .. } => {
                if !delivering {
                    return Err(illegal("the itinerary is built on a won deal"));
                }
                let before = self.itinerary.len();
                self.itinerary.retain(|i| i.id != *item);
                if self.itinerary.len() == before {
                    return Err(illegal("no such item"));
                }
            }
            EventBody::ServiceHandoffScheduled { due_at, owner, assigned_because, .. } => {
                if self.status != DealStatus::HandedOff {
                    return Err(illegal("the service handoff is scheduled once the deal is handed off"));
                }
                match self.service.as_mut() {
                    Some(s) if s.started_at.is_some() => return Err(illegal("the service call has started")),
                    // Rescheduled: the history stays; a new owner is a reassignment by the rule.
                    Some(s) => {
                        s.due_at = *due_at;
                        if s.owner != *owner {
                            s.reassignments.push(ServiceReassignment {
                                from: s.owner,
                                to: *owner,
                                because: Some(*assigned_because),
                                reason: "the trip moved and the owner is away on the new due day".into(),
                                at,
                            });
                            s.owner = *owner;
                        }
                    }
                    None => self.service = Some(ServiceHandoff::scheduled(*due_at, *owner, *assigned_because)),
                }
            }
            EventBody::ServiceOwnerReassigned { from, to, assigned_because, reason, .. } => {
                check_owner(ctx.directory, *to, Department::Service).map_err(refused)?;
                let s = self.service.as_mut().ok_or_else(|| illegal("no service handoff"))?;
                if s.completed_at.is_some() {
                    return Err(illegal("the service handoff is complete"));
                }
                if s.owner != *from || from == to {
                    return Err(illegal("reassigned from someone who is not the owner, or to the owner"));
                }
                s.owner = *to;
                s.reassignments.push(ServiceReassignment {
                    from: *from,
                    to: *to,
                    because: *assigned_because,
                    reason: reason.clone(),
                    at,
                });
            }
            EventBody::ServiceCallStarted { .. } => {
                let s = self.service.as_mut().ok_or_else(|| illegal("no service handoff"))?;
                if s.started_at.is_some() || s.completed_at.is_some() {
                    return Err(illegal("the call starts once"));
                }
                s.started_at = Some(at);
            }
            EventBody::PreferenceAcknowledged { traveller, topic, text_sha256, .. } => {
                let t = self.traveller(*traveller).ok_or_else(|| illegal("no such traveller"))?;
                let s = self.service.as_ref().ok_or_else(|| illegal("no service handoff"))?;
                if s.started_at.is_none() || s.completed_at.is_some() {
                    return Err(illegal("acknowledgements happen during the call"));
                }
                let item = s.checklist(std::slice::from_ref(t)).into_iter().find(|i| i.topic == *topic);
                match item {
                    None => return Err(illegal("the traveller has no such preference")),
                    Some(i) if i.state == AckState::Acknowledged => {
                        return Err(illegal("acknowledged already as it reads now"))
                    }
                    Some(_) => {}
                }
                let s = self.service.as_mut().ok_or_else(|| illegal("no service handoff"))?;
                // Who acknowledged it is the event's actor: `Deal::apply` fills it in.
                s.acks.push(PreferenceAck {
                    traveller: *traveller,
                    topic: *topic,
                    text_sha256: text_sha256.clone(),
                    at,
                    by: None,
                });
            }
            EventBody::ServiceHandoffCompleted { .. } => {
                let travellers = self.travellers.clone();
                let s = self.service.as_mut().ok_or_else(|| illegal("no service handoff"))?;
                let open = s.checklist(&travellers).iter().any(|i| i.state != AckState::Acknowledged);
                if s.started_at.is_none() || s.completed_at.is_some() || open {
                    return Err(illegal("the call completes once, with every item acknowledged"));
                }
                s.completed_at = Some(at);
            }
            other => return Err(illegal_arm(other)),
        }
        Ok(())
    }

    fn sort_itinerary(&mut self) {
        self.itinerary.sort_by_key(|i| (i.day, i.time, i.id));
    }

    /// Whether the service handoff was assigned to the founder (for the record).
    pub fn service_escalated(&self) -> bool {
        self.service.as_ref().is_some_and(|s| s.because == AssignedBecause::Escalated)
    }
}

impl NewItem {
    fn into_item(self, id: ItemId) -> ItineraryItem {
        ItineraryItem {
            id,
            day: self.day,
            time: self.time,
            kind: self.kind,
            title: self.title,
            supplier: self.supplier.filter(|s| !s.trim().is_empty()),
            contact: self.contact.filter(|s| !s.trim().is_empty()),
            confirmation: self.confirmation.filter(|s| !s.trim().is_empty()),
        }
    }
}

#[cfg(test)]
mod tests;
