//! After the Sales→Fulfilment handoff: the trip content Fulfilment builds, the Fulfilment→Service
//! handoff 72 hours before the trip, the asks Service logs on the trip, the signal when the
//! travellers are back, and the Tuesday-review pick with its follow-up call. Decisions and the
//! fold arms of their events, as in `deal.rs`.

use chrono::{DateTime, Utc};

use super::{local, Deal, DealStatus, FollowUp, Task};
use crate::assignment::{assign, AssignedBecause};
use crate::calendar::Calendar;
use crate::directory::{check_name, Department, Directory};
use crate::event::{EventBody, TripPlan};
use crate::ids::{AskId, DealId, EscalationId, ItemId, PersonId, TaskId, TravellerId};
use crate::review::{follow_up_due, review_for_trip_end, ReviewWindow, FOLLOW_UP_TITLE};
use crate::service::{
    service_due_at, trip_ended_at, trip_start_at, AckState, PreferenceAck, ServiceHandoff, ServiceReassignment,
};
use crate::trip::{
    text_sha256, Ask, AskTopic, ItemKind, ItineraryItem, Outcome, PreferenceTopic, Preferences, Sentiment, Signal,
    Traveller, MAX_NOTE_CHARS,
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

fn check_note(what: &'static str, text: &str) -> Result<(), RuleError> {
    let len = text.chars().count();
    if len > MAX_NOTE_CHARS {
        return Err(RuleError::TooLong { what, len, max: MAX_NOTE_CHARS });
    }
    Ok(())
}

fn check_preferences(p: &Preferences) -> Result<(), RuleError> {
    p.items.values().try_for_each(|t| check_note("a preference", t))
}

impl Deal {
    fn require_delivery(&self, cal: &Calendar, hint: &str) -> Result<(), RuleError> {
        if matches!(self.status, DealStatus::Won | DealStatus::HandedOff) {
            Ok(())
        } else {
            Err(self.status_error(cal, hint))
        }
    }

    fn no_such(&self, what: &'static str, name: impl Into<String>, hint: &str) -> RuleError {
        RuleError::NoSuch { deal: self.title.clone(), what, name: name.into(), hint: hint.into() }
    }

    /// The traveller with this id.
    pub fn traveller(&self, id: TravellerId) -> Option<&Traveller> {
        self.travellers.iter().find(|t| t.id == id)
    }

    /// When the trip starts, in UTC (None until its start date is known).
    pub fn trip_start_at(&self, cal: &Calendar) -> Option<DateTime<Utc>> {
        trip_start_at(&self.trip, cal)
    }

    // ---- trip content -----------------------------------------------------------------------

    /// Sets the trip's dates, destination and size. Once the deal is handed off and the start is
    /// known, the service handoff is (re)scheduled with an owner named for its due day.
    pub fn plan_trip(
        &self,
        dir: &Directory,
        trip: TripPlan,
        escalation: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        if self.status == DealStatus::Lost {
            return Err(self.status_error(cal, "a lost deal has no trip to plan"));
        }
        if let (Some(start), Some(end)) = (trip.start, trip.end) {
            if end < start {
                return Err(RuleError::TripEndsBeforeStart { start, end });
            }
        }
        if let Some(d) = &trip.destination {
            check_name("the destination", d)?;
        }
        let mut after = self.clone();
        after.trip = trip.clone();
        let mut events = vec![EventBody::TripPlanned { deal: self.id, trip }];
        if self.status == DealStatus::HandedOff && after.trip_start_at(cal) != self.trip_start_at(cal) {
            events.extend(after.schedule_service(dir, escalation)?);
        }
        Ok(events)
    }

    /// Schedules (or reschedules, while its call has not started) the service handoff: due 72 h
    /// before the trip starts, owned by the Service lead, else a backup, else the founder, as
    /// they are on the due day. Nothing when the start is unknown or the call has begun.
    pub fn schedule_service(&self, dir: &Directory, escalation: EscalationId) -> Result<Vec<EventBody>, RuleError> {
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
        events.extend(super::escalation(a.because, escalation, self.id, a.person, Department::Service, day));
        Ok(events)
    }

    /// After someone became away: if they own this deal's service handoff on its due day and the
    /// call has not started, name the owner again by the rule. `dir` is the directory after.
    pub fn service_after_away(
        &self,
        dir: &Directory,
        person: PersonId,
        escalation: EscalationId,
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
        events.extend(super::escalation(a.because, escalation, self.id, a.person, Department::Service, day));
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
        check_name("the traveller's name", &new.name)?;
        check_preferences(&new.preferences)?;
        if self.travellers.iter().any(|t| t.name.trim().eq_ignore_ascii_case(new.name.trim())) {
            return Err(RuleError::DuplicateName(new.name.trim().to_string()));
        }
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
        let t = self.traveller(id).ok_or_else(|| self.no_such("traveller", id.to_string(), ""))?;
        let name = name.unwrap_or_else(|| t.name.clone());
        check_name("the traveller's name", &name)?;
        let mut preferences = t.preferences.clone();
        for (topic, text) in changes {
            if text.trim().is_empty() {
                preferences.items.remove(&topic);
            } else {
                preferences.items.insert(topic, text);
            }
        }
        check_preferences(&preferences)?;
        Ok(vec![EventBody::TravellerEdited { deal: self.id, traveller: id, name, preferences }])
    }

    fn check_item(&self, item: &NewItem) -> Result<(), RuleError> {
        check_name("the item's title", &item.title)?;
        for text in [&item.supplier, &item.contact, &item.confirmation].into_iter().flatten() {
            check_note("an itinerary detail", text)?;
        }
        if let (Some(start), Some(end)) = (self.trip.start, self.trip.end) {
            if item.day < start || item.day > end {
                return Err(RuleError::ItemOutsideTrip { day: item.day, start, end });
            }
        }
        Ok(())
    }

    /// Adds an itinerary item.
    pub fn add_item(&self, dir: &Directory, id: ItemId, item: NewItem) -> Result<Vec<EventBody>, RuleError> {
        self.require_delivery(dir.calendar()?, "the itinerary is built once the deal is won")?;
        self.check_item(&item)?;
        Ok(vec![EventBody::ItineraryItemAdded { deal: self.id, item: item.into_item(id) }])
    }

    /// Replaces an itinerary item's content.
    pub fn edit_item(&self, dir: &Directory, id: ItemId, item: NewItem) -> Result<Vec<EventBody>, RuleError> {
        self.require_delivery(dir.calendar()?, "the itinerary is built once the deal is won")?;
        if !self.itinerary.iter().any(|i| i.id == id) {
            return Err(self.no_such("itinerary item", id.to_string(), ": see `handoff itinerary show DEAL`"));
        }
        self.check_item(&item)?;
        Ok(vec![EventBody::ItineraryItemEdited { deal: self.id, item: item.into_item(id) }])
    }

    /// Removes an itinerary item.
    pub fn remove_item(&self, dir: &Directory, id: ItemId) -> Result<Vec<EventBody>, RuleError> {
        self.require_delivery(dir.calendar()?, "the itinerary is built once the deal is won")?;
        if !self.itinerary.iter().any(|i| i.id == id) {
            return Err(self.no_such("itinerary item", id.to_string(), ": see `handoff itinerary show DEAL`"));
        }
        Ok(vec![EventBody::ItineraryItemRemoved { deal: self.id, item: id }])
    }

    // ---- the service handoff ----------------------------------------------------------------

    fn scheduled_service(&self) -> Result<&ServiceHandoff, RuleError> {
        self.service.as_ref().ok_or_else(|| {
            let hint = if self.status != DealStatus::HandedOff {
                "it is scheduled when the Sales→Fulfilment handoff completes"
            } else {
                "it is scheduled once the trip's start date is known (`handoff trip set`)"
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
                "acknowledge each preference, then `handoff service complete`",
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
            return Err(
                self.service_status("not in its service handoff call", "start it with `handoff service start DEAL`")
            );
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
        let t = self.traveller(traveller).ok_or_else(|| self.no_such("traveller", traveller.to_string(), ""))?;
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
        let target = dir.person(to).ok_or_else(|| self.no_such("person", to.to_string(), ""))?;
        if !matches!(target.dept, Department::Service | Department::Founder) {
            return Err(RuleError::WrongDepartment {
                person: target.name.clone(),
                actual: target.dept.to_string(),
                expected: "service".into(),
                hint: "the service owner is someone in service (or the founder)",
            });
        }
        if s.owner == to {
            return Err(RuleError::SameOwner { deal: self.title.clone(), person: target.name.clone() });
        }
        Ok(vec![EventBody::ServiceOwnerReassigned { deal: self.id, from: s.owner, to, assigned_because: None, reason }])
    }

    // ---- on and after the trip --------------------------------------------------------------

    /// Logs a question Service had to ask a traveller during the trip.
    #[allow(clippy::too_many_arguments)]
    pub fn log_ask(
        &self,
        dir: &Directory,
        at: DateTime<Utc>,
        id: AskId,
        traveller: Option<TravellerId>,
        topic: AskTopic,
        text: String,
        brief_should_have_covered: bool,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require_delivery(cal, "asks are logged on a won deal's trip")?;
        let start = self
            .trip_start_at(cal)
            .ok_or_else(|| RuleError::NoTripDates { deal: self.title.clone(), what: "start date" })?;
        if at < start {
            return Err(RuleError::TripNotStarted { deal: self.title.clone(), starts: local(cal, start) });
        }
        if let Some(t) = traveller {
            self.traveller(t).ok_or_else(|| self.no_such("traveller", t.to_string(), ""))?;
        }
        check_name("the ask", &text)?;
        check_note("the ask", &text)?;
        Ok(vec![EventBody::AskLogged { deal: self.id, ask: id, traveller, topic, text, brief_should_have_covered }])
    }

    /// Records how the travellers came back: only once the trip has ended.
    pub fn record_signal(
        &self,
        dir: &Directory,
        at: DateTime<Utc>,
        sentiment: Sentiment,
        strength: u8,
        note: String,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require_delivery(cal, "the signal is recorded for a won deal's trip")?;
        if !(1..=5).contains(&strength) {
            return Err(RuleError::StrengthOutOfRange(strength));
        }
        check_note("the note", &note)?;
        let ended = trip_ended_at(&self.trip, cal)
            .ok_or_else(|| RuleError::NoTripDates { deal: self.title.clone(), what: "end date" })?;
        if at < ended {
            return Err(RuleError::TripNotEnded {
                deal: self.title.clone(),
                last_day: self.trip.end.expect("ended_at needs an end"),
            });
        }
        Ok(vec![EventBody::SignalRecorded { deal: self.id, sentiment, strength, note }])
    }

    /// The Sales lead picks this trip at the review of `window.review`, which has `picks_so_far`
    /// picks already: a follow-up call task for the Sales lead, due ten days after the trip end.
    pub fn pick(
        &self,
        dir: &Directory,
        window: &ReviewWindow,
        picks_so_far: usize,
        task: TaskId,
        at: DateTime<Utc>,
    ) -> Result<Vec<EventBody>, RuleError> {
        let agency = dir.agency()?;
        let cal = &agency.calendar;
        self.require_delivery(cal, "only won deals' trips come to the review")?;
        let end = self.trip.end.ok_or_else(|| RuleError::NoTripDates { deal: self.title.clone(), what: "end date" })?;

        if !window.contains(end) {
            return Err(RuleError::OutsideWindow {
                deal: self.title.clone(),
                end,
                review: window.review,
                first: window.first,
                last: window.last,
                belongs: review_for_trip_end(end),
            });
        }
        if trip_ended_at(&self.trip, cal).is_some_and(|ended| at < ended) {
            return Err(RuleError::TripNotEnded { deal: self.title.clone(), last_day: end });
        }
        if let Some(f) = &self.follow_up {
            return Err(RuleError::AlreadyPicked { deal: self.title.clone(), review: f.review });
        }
        if picks_so_far >= usize::from(agency.review_picks) {
            return Err(RuleError::TooManyPicks { review: window.review, limit: agency.review_picks });
        }
        let lead = dir.staffing(Department::Sales).lead.ok_or(RuleError::NoSalesLead)?;
        let due = follow_up_due(end);
        Ok(vec![
            EventBody::ReviewPicked { deal: self.id, review: window.review, task },
            EventBody::TaskCreated {
                task,
                deal: self.id,
                title: FOLLOW_UP_TITLE.into(),
                owner: lead,
                due_at: cal.to_utc(due.and_time(cal.hours.end)),
            },
        ])
    }

    /// Records the follow-up call's outcome and closes its task.
    pub fn record_follow_up(
        &self,
        dir: &Directory,
        outcome: Outcome,
        renewed_deal: Option<DealId>,
    ) -> Result<Vec<EventBody>, RuleError> {
        dir.agency()?;
        let f = self.follow_up.as_ref().ok_or_else(|| RuleError::NotPicked { deal: self.title.clone() })?;
        if let Some(o) = f.outcome {
            return Err(RuleError::FollowUpAlreadyDone { deal: self.title.clone(), outcome: o.to_string() });
        }
        let mut events = vec![EventBody::FollowUpRecorded {
            deal: self.id,
            outcome,
            renewed_deal: renewed_deal.filter(|_| outcome == Outcome::Renewed),
        }];
        if self.tasks.iter().any(|t| t.id == f.task && t.done_at.is_none()) {
            events.push(EventBody::TaskCompleted { task: f.task, deal: self.id });
        }
        Ok(events)
    }

    // ---- the fold ---------------------------------------------------------------------------

    pub(super) fn apply_delivery(&mut self, body: &EventBody, at: DateTime<Utc>) -> Result<(), RuleError> {
        let illegal = |reason: &str| RuleError::IllegalTransition { event: body.name(), reason: reason.into() };
        let delivering = matches!(self.status, DealStatus::Won | DealStatus::HandedOff);
        match body {
            EventBody::TripPlanned { trip, .. } => {
                if self.status == DealStatus::Lost {
                    return Err(illegal("a lost deal has no trip"));
                }
                self.trip = trip.clone();
            }
            EventBody::TravellerAdded { traveller, name, preferences, .. } => {
                if !delivering || self.traveller(*traveller).is_some() {
                    return Err(illegal("travellers are added once, to a won deal"));
                }
                self.travellers.push(Traveller {
                    id: *traveller,
                    name: name.clone(),
                    preferences: preferences.clone(),
                });
            }
            EventBody::TravellerEdited { traveller, name, preferences, .. } => {
                let t = self
                    .travellers
                    .iter_mut()
                    .find(|t| t.id == *traveller)
                    .ok_or_else(|| illegal("no such traveller"))?;
                t.name = name.clone();
                t.preferences = preferences.clone();
            }
            EventBody::ItineraryItemAdded { item, .. } => {
                if !delivering || self.itinerary.iter().any(|i| i.id == item.id) {
                    return Err(illegal("items are added once, to a won deal"));
                }
                self.itinerary.push(item.clone());
                self.sort_itinerary();
            }
            EventBody::ItineraryItemEdited { item, .. } => {
                let i = self.itinerary.iter_mut().find(|i| i.id == item.id).ok_or_else(|| illegal("no such item"))?;
                *i = item.clone();
                self.sort_itinerary();
            }
            EventBody::ItineraryItemRemoved { item, .. } => {
                let before = self.itinerary.len();
                self.itinerary.retain(|i| i.id != *item);
                if self.itinerary.len() == before {
                    return Err(illegal("no such item"));
                }
            }
            EventBody::ServiceHandoffScheduled { due_at, owner, assigned_because, .. } => match self.service.as_mut() {
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
            },
            EventBody::ServiceOwnerReassigned { from, to, assigned_because, reason, .. } => {
                let s = self.service.as_mut().ok_or_else(|| illegal("no service handoff"))?;
                if s.owner != *from {
                    return Err(illegal("reassigned from someone who is not the owner"));
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
                if s.started_at.is_some() {
                    return Err(illegal("the call started already"));
                }
                s.started_at = Some(at);
            }
            EventBody::PreferenceAcknowledged { traveller, topic, text_sha256, .. } => {
                let s = self.service.as_mut().ok_or_else(|| illegal("no service handoff"))?;
                if s.started_at.is_none() || s.completed_at.is_some() {
                    return Err(illegal("acknowledgements happen during the call"));
                }
                s.acks.push(PreferenceAck {
                    traveller: *traveller,
                    topic: *topic,
                    text_sha256: text_sha256.clone(),
                    at,
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
            EventBody::AskLogged { ask, traveller, topic, text, brief_should_have_covered, .. } => {
                self.asks.push(Ask {
                    id: *ask,
                    traveller: *traveller,
                    topic: *topic,
                    text: text.clone(),
                    brief_should_have_covered: *brief_should_have_covered,
                    at,
                });
            }
            EventBody::SignalRecorded { sentiment, strength, note, .. } => {
                if !(1..=5).contains(strength) {
                    return Err(illegal("strength is 1 to 5"));
                }
                self.signal = Some(Signal { sentiment: *sentiment, strength: *strength, note: note.clone(), at });
            }
            EventBody::ReviewPicked { review, task, .. } => {
                if self.follow_up.is_some() {
                    return Err(illegal("picked already"));
                }
                self.follow_up =
                    Some(FollowUp { review: *review, task: *task, outcome: None, renewed_deal: None, done_at: None });
            }
            EventBody::FollowUpRecorded { outcome, renewed_deal, .. } => {
                let f = self.follow_up.as_mut().ok_or_else(|| illegal("not picked"))?;
                if f.outcome.is_some() {
                    return Err(illegal("recorded already"));
                }
                f.outcome = Some(*outcome);
                f.renewed_deal = *renewed_deal;
                f.done_at = Some(at);
            }
            _ => return Err(illegal("not an event of a deal")),
        }
        Ok(())
    }

    fn sort_itinerary(&mut self) {
        self.itinerary.sort_by_key(|i| (i.day, i.time, i.id));
    }

    /// The open follow-up task, if any.
    pub fn follow_up_task(&self) -> Option<&Task> {
        let f = self.follow_up.as_ref()?;
        self.tasks.iter().find(|t| t.id == f.task)
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
