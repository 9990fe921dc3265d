//! Events: the source of truth. Every action appends one or more immutable events; the current
//! state is a fold of the log. Variants are past tense and never change meaning: a new shape gets
//! a new variant or a higher [`EVENT_VERSION`], and old events keep folding the way they did.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::assignment::AssignedBecause;
use crate::brief::{Section, SignerRole};
use crate::calendar::Calendar;
use crate::crm::{ColumnMapping, DealSource};
use crate::directory::Department;
use crate::hlc::Hlc;
use crate::ids::{AskId, DealId, DeviceId, EscalationId, EventId, ItemId, OutreachId, PersonId, TaskId, TravellerId};
use crate::money::Money;
use crate::trip::{AskTopic, ItineraryItem, Outcome, PreferenceTopic, Preferences, Sentiment};

/// The newest event version this build writes and understands. Each event carries the version
/// that brought its kind ([`EventBody::version`]): a laptop on an older Handoff keeps an event of
/// a kind it cannot read, and its whole action, unfolded until it is updated — never refused.
///
/// | version | brought |
/// |---|---|
/// | 1 | every kind up to sync between laptops |
/// | 2 | `conflict_settled` |
/// | 3 | `person_email_set`, `customer_contacted` |
/// | 4 | `review_started`, `review_ended`, `follow_up_updated` |
/// | 5 | `cold_call_made`; `agency_settings_changed` when it sets the review time |
/// | 6 | `agency_settings_changed` when it sets the locale |
/// | 7 | `import_mapping_saved`; `deal_added` and `deal_imported` when they say where a CRM deal came from |
pub const EVENT_VERSION: u16 = 7;

/// How a lead settled a conflict.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Settlement {
    /// What stands stays: the conflict is seen and closed.
    Kept,
    /// The other version was taken, as new events of the same action.
    TookOther,
}

impl Settlement {
    /// The word stored for it: `kept` or `took-other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Settlement::Kept => "kept",
            Settlement::TookOther => "took-other",
        }
    }
}

impl std::str::FromStr for Settlement {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "kept" => Ok(Settlement::Kept),
            "took-other" => Ok(Settlement::TookOther),
            _ => Err(format!("unknown settlement \"{s}\": kept or took-other")),
        }
    }
}

/// What a trip is, as known when the deal is added.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripPlan {
    pub start: Option<NaiveDate>,
    /// The local time the trip starts on its first day, where known (else midnight).
    #[serde(default)]
    pub start_time: Option<NaiveTime>,
    pub end: Option<NaiveDate>,
    pub destination: Option<String>,
    pub travellers: Option<u32>,
}

impl TripPlan {
    /// Nothing known of the trip yet.
    pub fn is_unknown(&self) -> bool {
        *self == TripPlan::default()
    }
}

/// One event with its envelope.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    /// The installation that recorded it.
    pub device: DeviceId,
    /// Who acted, when known.
    pub actor: Option<PersonId>,
    /// The person who uses the laptop it was recorded on, when chosen there ("Sam Reyes, recorded
    /// on Maya Chen's laptop").
    #[serde(default)]
    pub recorded_by: Option<PersonId>,
    /// When it really happened (`--at`, for backfills).
    pub occurred_at: DateTime<Utc>,
    /// When it was written to the log.
    pub recorded_at: DateTime<Utc>,
    pub hlc: Hlc,
    /// Where this event sits in the action that recorded it: 0 for the first, then 1, 2, … The
    /// stamps of one action share its first stamp's millisecond and count on from it, so
    /// `(device, hlc.back(part))` names the action; a merge folds, or skips, one action's events
    /// on one deal together.
    #[serde(default)]
    pub part: u32,
    pub version: u16,
    pub body: EventBody,
}

impl Event {
    /// The stamp of the first event of the action this event belongs to.
    pub fn action(&self) -> Hlc {
        self.hlc.back(self.part).unwrap_or(self.hlc)
    }
}

/// What happened.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    AgencyCreated {
        name: String,
        calendar: Calendar,
    },
    HolidayAdded {
        date: NaiveDate,
        name: Option<String>,
    },
    PersonAdded {
        person: PersonId,
        name: String,
        dept: Department,
        email: Option<String>,
    },
    DepartmentStaffed {
        dept: Department,
        lead: PersonId,
        backups: Vec<PersonId>,
    },
    PersonAwaySet {
        person: PersonId,
        from: NaiveDate,
        to: NaiveDate,
    },
    DealAdded {
        deal: DealId,
        title: String,
        customer: String,
        value: Money,
        sales_owner: PersonId,
        trip: TripPlan,
        /// The CRM's record id, for an open deal that came from a CRM (version 7).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        external_id: Option<String>,
        /// Where it came from, when a CRM sent it (version 7).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<DealSource>,
    },
    /// The deal closed at the event's `occurred_at`; the fulfilment owner was chosen then.
    DealWon {
        deal: DealId,
        fulfilment_owner: PersonId,
        assigned_because: AssignedBecause,
    },
    DealLost {
        deal: DealId,
    },
    /// A historical deal from a CRM export, closed and possibly handed off in the past.
    DealImported {
        deal: DealId,
        external_id: String,
        title: String,
        customer: String,
        value: Money,
        sales_owner: PersonId,
        closed_at: DateTime<Utc>,
        handoff_at: Option<DateTime<Utc>>,
        fulfilment_owner: PersonId,
        assigned_because: AssignedBecause,
        /// Where it came from, when a CRM's export or webhook sent it (version 7).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<DealSource>,
    },
    /// Assignment fell to the founder (with the department), or someone logged one by hand.
    FounderEscalated {
        escalation: EscalationId,
        deal: Option<DealId>,
        dept: Option<Department>,
        founder: PersonId,
        reason: String,
    },
    MeetingStarted {
        deal: DealId,
    },
    BriefSectionWritten {
        deal: DealId,
        section: Section,
        text: String,
        /// SHA-256 of the section as the writer saw it before this edit: when another laptop
        /// wrote the section meanwhile, the merge knows that text was overwritten unseen.
        #[serde(default)]
        seen_sha256: Option<String>,
    },
    BriefSigned {
        deal: DealId,
        signer: PersonId,
        role: SignerRole,
        brief_sha256: String,
        /// The fingerprint of the signer's own key that signed (see [`crate::signing`]).
        key_fingerprint: String,
        /// Ed25519 signature (hex) of [`crate::signing::signoff_message`] by that key.
        signature: String,
    },
    /// The live meeting ended with both signatures valid: the handoff is complete.
    MeetingEnded {
        deal: DealId,
    },
    FulfilmentOwnerReassigned {
        deal: DealId,
        from: PersonId,
        to: PersonId,
        reason: String,
    },
    TaskCreated {
        task: TaskId,
        deal: DealId,
        title: String,
        owner: PersonId,
        due_at: DateTime<Utc>,
    },
    TaskCompleted {
        task: TaskId,
        deal: DealId,
    },
    /// The customer heard from the agency after the close (a call, an e-mail): the playbook's
    /// "the customer hears something within one business day". The first one counts.
    CustomerContacted {
        deal: DealId,
    },
    /// The agency's settings changed (only the fields given).
    /// A column mapping for CRM exports, saved under its name (replacing one of that name).
    ImportMappingSaved {
        name: String,
        mapping: ColumnMapping,
    },
    AgencySettingsChanged {
        review_picks: Option<u8>,
        #[serde(default)]
        paper: Option<crate::directory::Paper>,
        /// When the Tuesday review starts (agency time).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "specta", specta(type = Option<String>))]
        review_time: Option<NaiveTime>,
        /// How dates and numbers are written.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locale: Option<crate::directory::Locale>,
    },
    /// The agency's working days or hours changed (only the fields given). Business time is
    /// counted with the calendar as it is now, for past deals as well.
    CalendarChanged {
        #[serde(default)]
        #[cfg_attr(feature = "specta", specta(type = Option<String>))]
        workdays: Option<crate::calendar::WorkDays>,
        #[serde(default)]
        #[cfg_attr(feature = "specta", specta(type = Option<String>))]
        hours: Option<crate::calendar::WorkingHours>,
    },
    /// A person's signing key, made on `device`: its Ed25519 public half (hex) and the proof that
    /// whoever registered it holds the secret (its signature of [`crate::signing::key_message`]).
    SigningKeyRegistered {
        person: PersonId,
        device: DeviceId,
        public_key: String,
        proof: String,
    },
    /// A person's signing key no longer signs (they left, lost a laptop, or made a new key).
    /// Sign-offs it gave before stay valid.
    SigningKeyRevoked {
        person: PersonId,
        fingerprint: String,
        reason: String,
    },
    /// A laptop's document-sealing key: the P-256 public key (SEC1 uncompressed, hex) whose
    /// signature exported PDFs carry, so any laptop with the log can check a file.
    DeviceKeyRegistered {
        device: DeviceId,
        public_key: String,
    },
    /// A laptop's sealing key no longer counts (the laptop was lost or retired): files it sealed
    /// no longer verify, since a thief could date a seal as they please.
    DeviceKeyRevoked {
        device: DeviceId,
        fingerprint: String,
        reason: String,
    },
    /// The trip's dates, destination or size were set or changed.
    TripPlanned {
        deal: DealId,
        trip: TripPlan,
    },
    TravellerAdded {
        deal: DealId,
        traveller: TravellerId,
        name: String,
        preferences: Preferences,
    },
    /// The traveller as they read now (name and every preference).
    TravellerEdited {
        deal: DealId,
        traveller: TravellerId,
        name: String,
        preferences: Preferences,
        /// What this edit changed, with what the editor saw there: only these are applied, so
        /// two laptops editing different topics of one traveller both count. Absent in events
        /// recorded before sync, which replace the whole traveller.
        #[serde(default)]
        changed: Option<Vec<crate::trip::TravellerChange>>,
    },
    ItineraryItemAdded {
        deal: DealId,
        item: ItineraryItem,
    },
    /// The item as it reads now.
    ItineraryItemEdited {
        deal: DealId,
        item: ItineraryItem,
    },
    ItineraryItemRemoved {
        deal: DealId,
        item: ItemId,
    },
    /// The service handoff is due at `due_at`; its owner was named for that day.
    ServiceHandoffScheduled {
        deal: DealId,
        due_at: DateTime<Utc>,
        owner: PersonId,
        assigned_because: AssignedBecause,
    },
    /// A new service owner: by the rule (`assigned_because`) when the owner became away, or by hand.
    ServiceOwnerReassigned {
        deal: DealId,
        from: PersonId,
        to: PersonId,
        assigned_because: Option<AssignedBecause>,
        reason: String,
    },
    ServiceCallStarted {
        deal: DealId,
    },
    PreferenceAcknowledged {
        deal: DealId,
        traveller: TravellerId,
        topic: PreferenceTopic,
        text_sha256: String,
    },
    ServiceHandoffCompleted {
        deal: DealId,
    },
    AskLogged {
        deal: DealId,
        ask: AskId,
        traveller: Option<TravellerId>,
        topic: AskTopic,
        text: String,
        brief_should_have_covered: bool,
    },
    SignalRecorded {
        deal: DealId,
        sentiment: Sentiment,
        strength: u8,
        note: String,
    },
    /// The Sales lead picked the trip at the review of `review` for a follow-up call.
    ReviewPicked {
        deal: DealId,
        review: NaiveDate,
        task: TaskId,
    },
    FollowUpRecorded {
        deal: DealId,
        outcome: Outcome,
        renewed_deal: Option<DealId>,
    },
    /// A follow-up call's outcome changed after it was recorded — the renewal came weeks later
    /// (version 4).
    FollowUpUpdated {
        deal: DealId,
        outcome: Outcome,
        renewed_deal: Option<DealId>,
    },
    /// The Tuesday review of `review` began (version 4).
    ReviewStarted {
        review: NaiveDate,
    },
    /// The Tuesday review of `review` ended (version 4).
    ReviewEnded {
        review: NaiveDate,
    },
    ColdOutreachRecorded {
        batch: OutreachId,
        date: NaiveDate,
        attempts: u32,
        renewals: u32,
    },
    /// One call to a customer on the cold list, with how it went: one attempt, and a renewal when
    /// they renewed. Counted with the batches against the picked follow-ups.
    ColdCallMade {
        call: OutreachId,
        date: NaiveDate,
        customer: String,
        outcome: Outcome,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// A mistake corrected: the deal closed at `closed_at`, not when it was recorded as won
    /// (the dwell counts from here).
    DealCloseCorrected {
        deal: DealId,
        closed_at: DateTime<Utc>,
        reason: String,
    },
    /// A mistake corrected: a deal marked lost is open again.
    DealReopened {
        deal: DealId,
        reason: String,
    },
    /// A mistake corrected: the deal's title, customer or value (only what is given).
    DealEdited {
        deal: DealId,
        title: Option<String>,
        customer: Option<String>,
        value: Option<Money>,
        reason: String,
    },
    /// The away period of `person` that starts on `from` ends on `to` instead, or is cancelled
    /// (no `to`).
    AwayCorrected {
        person: PersonId,
        from: NaiveDate,
        to: Option<NaiveDate>,
        reason: String,
    },
    /// A lead settled a conflict a merge met (named by its first event): kept what stands, or
    /// took the other version — recorded by the events of the same action just before this one.
    /// `deal` is the conflict's deal where that deal exists.
    ConflictSettled {
        deal: Option<DealId>,
        conflict: EventId,
        how: Settlement,
    },
    /// A holiday taken off the calendar.
    HolidayRemoved {
        date: NaiveDate,
        reason: String,
    },
    /// The person has left: kept in the history, never assigned again.
    PersonRetired {
        person: PersonId,
        reason: String,
    },
    /// The person's e-mail address, where their calendar invitations go (none: no address).
    PersonEmailSet {
        person: PersonId,
        email: Option<String>,
    },
}

impl EventBody {
    /// The event's kind, as stored in the log's `kind` column.
    pub fn name(&self) -> &'static str {
        match self {
            EventBody::AgencyCreated { .. } => "agency_created",
            EventBody::HolidayAdded { .. } => "holiday_added",
            EventBody::PersonAdded { .. } => "person_added",
            EventBody::DepartmentStaffed { .. } => "department_staffed",
            EventBody::PersonAwaySet { .. } => "person_away_set",
            EventBody::DealAdded { .. } => "deal_added",
            EventBody::DealWon { .. } => "deal_won",
            EventBody::DealLost { .. } => "deal_lost",
            EventBody::DealImported { .. } => "deal_imported",
            EventBody::FounderEscalated { .. } => "founder_escalated",
            EventBody::MeetingStarted { .. } => "meeting_started",
            EventBody::BriefSectionWritten { .. } => "brief_section_written",
            EventBody::BriefSigned { .. } => "brief_signed",
            EventBody::MeetingEnded { .. } => "meeting_ended",
            EventBody::FulfilmentOwnerReassigned { .. } => "fulfilment_owner_reassigned",
            EventBody::TaskCreated { .. } => "task_created",
            EventBody::TaskCompleted { .. } => "task_completed",
            EventBody::CustomerContacted { .. } => "customer_contacted",
            EventBody::AgencySettingsChanged { .. } => "agency_settings_changed",
            EventBody::ImportMappingSaved { .. } => "import_mapping_saved",
            EventBody::CalendarChanged { .. } => "calendar_changed",
            EventBody::SigningKeyRegistered { .. } => "signing_key_registered",
            EventBody::SigningKeyRevoked { .. } => "signing_key_revoked",
            EventBody::DeviceKeyRegistered { .. } => "device_key_registered",
            EventBody::DeviceKeyRevoked { .. } => "device_key_revoked",
            EventBody::TripPlanned { .. } => "trip_planned",
            EventBody::TravellerAdded { .. } => "traveller_added",
            EventBody::TravellerEdited { .. } => "traveller_edited",
            EventBody::ItineraryItemAdded { .. } => "itinerary_item_added",
            EventBody::ItineraryItemEdited { .. } => "itinerary_item_edited",
            EventBody::ItineraryItemRemoved { .. } => "itinerary_item_removed",
            EventBody::ServiceHandoffScheduled { .. } => "service_handoff_scheduled",
            EventBody::ServiceOwnerReassigned { .. } => "service_owner_reassigned",
            EventBody::ServiceCallStarted { .. } => "service_call_started",
            EventBody::PreferenceAcknowledged { .. } => "preference_acknowledged",
            EventBody::ServiceHandoffCompleted { .. } => "service_handoff_completed",
            EventBody::AskLogged { .. } => "ask_logged",
            EventBody::SignalRecorded { .. } => "signal_recorded",
            EventBody::ReviewPicked { .. } => "review_picked",
            EventBody::FollowUpRecorded { .. } => "follow_up_recorded",
            EventBody::FollowUpUpdated { .. } => "follow_up_updated",
            EventBody::ReviewStarted { .. } => "review_started",
            EventBody::ReviewEnded { .. } => "review_ended",
            EventBody::ColdOutreachRecorded { .. } => "cold_outreach_recorded",
            EventBody::ColdCallMade { .. } => "cold_call_made",
            EventBody::DealCloseCorrected { .. } => "deal_close_corrected",
            EventBody::DealReopened { .. } => "deal_reopened",
            EventBody::DealEdited { .. } => "deal_edited",
            EventBody::AwayCorrected { .. } => "away_corrected",
            EventBody::HolidayRemoved { .. } => "holiday_removed",
            EventBody::PersonRetired { .. } => "person_retired",
            EventBody::PersonEmailSet { .. } => "person_email_set",
            EventBody::ConflictSettled { .. } => "conflict_settled",
        }
    }

    /// The event version that brought this kind: what an event of it is recorded with.
    pub fn version(&self) -> u16 {
        match self {
            EventBody::ConflictSettled { .. } => 2,
            EventBody::PersonEmailSet { .. } | EventBody::CustomerContacted { .. } => 3,
            EventBody::ReviewStarted { .. } | EventBody::ReviewEnded { .. } | EventBody::FollowUpUpdated { .. } => 4,
            EventBody::ImportMappingSaved { .. }
            | EventBody::DealAdded { source: Some(_), .. }
            | EventBody::DealAdded { external_id: Some(_), .. }
            | EventBody::DealImported { source: Some(_), .. } => 7,
            EventBody::AgencySettingsChanged { locale: Some(_), .. } => 6,
            EventBody::ColdCallMade { .. } | EventBody::AgencySettingsChanged { review_time: Some(_), .. } => 5,
            _ => 1,
        }
    }

    /// The read model this event folds into. No wildcard: a new event kind does not compile
    /// until it is routed here.
    pub fn aggregate(&self) -> Aggregate {
        use EventBody as E;
        match self {
            E::AgencyCreated { .. }
            | E::HolidayAdded { .. }
            | E::PersonAdded { .. }
            | E::DepartmentStaffed { .. }
            | E::PersonAwaySet { .. }
            | E::AgencySettingsChanged { .. }
            | E::ImportMappingSaved { .. }
            | E::CalendarChanged { .. }
            | E::SigningKeyRegistered { .. }
            | E::SigningKeyRevoked { .. }
            | E::DeviceKeyRegistered { .. }
            | E::DeviceKeyRevoked { .. }
            | E::AwayCorrected { .. }
            | E::HolidayRemoved { .. }
            | E::PersonRetired { .. }
            | E::PersonEmailSet { .. } => Aggregate::Directory,
            E::DealAdded { deal, .. }
            | E::DealWon { deal, .. }
            | E::DealLost { deal }
            | E::DealImported { deal, .. }
            | E::MeetingStarted { deal }
            | E::BriefSectionWritten { deal, .. }
            | E::BriefSigned { deal, .. }
            | E::MeetingEnded { deal }
            | E::FulfilmentOwnerReassigned { deal, .. }
            | E::TaskCreated { deal, .. }
            | E::TaskCompleted { deal, .. }
            | E::CustomerContacted { deal }
            | E::TripPlanned { deal, .. }
            | E::TravellerAdded { deal, .. }
            | E::TravellerEdited { deal, .. }
            | E::ItineraryItemAdded { deal, .. }
            | E::ItineraryItemEdited { deal, .. }
            | E::ItineraryItemRemoved { deal, .. }
            | E::ServiceHandoffScheduled { deal, .. }
            | E::ServiceOwnerReassigned { deal, .. }
            | E::ServiceCallStarted { deal }
            | E::PreferenceAcknowledged { deal, .. }
            | E::ServiceHandoffCompleted { deal }
            | E::AskLogged { deal, .. }
            | E::SignalRecorded { deal, .. }
            | E::ReviewPicked { deal, .. }
            | E::FollowUpRecorded { deal, .. }
            | E::FollowUpUpdated { deal, .. }
            | E::DealCloseCorrected { deal, .. }
            | E::DealReopened { deal, .. }
            | E::DealEdited { deal, .. } => Aggregate::Deal(*deal),
            E::FounderEscalated { .. } => Aggregate::Escalation,
            E::ColdOutreachRecorded { .. } | E::ColdCallMade { .. } => Aggregate::ColdOutreach,
            E::ReviewStarted { review } | E::ReviewEnded { review } => Aggregate::Review(*review),
            E::ConflictSettled { .. } => Aggregate::Settlement,
        }
    }

    /// The deal this event concerns, if any: the deal it folds into, or the deal a founder
    /// escalation was about (shown on that deal's timeline).
    pub fn deal(&self) -> Option<DealId> {
        match (self.aggregate(), self) {
            (Aggregate::Deal(deal), _) => Some(deal),
            (_, EventBody::FounderEscalated { deal, .. } | EventBody::ConflictSettled { deal, .. }) => *deal,
            (
                Aggregate::Directory
                | Aggregate::Escalation
                | Aggregate::ColdOutreach
                | Aggregate::Settlement
                | Aggregate::Review(_),
                _,
            ) => None,
        }
    }

    /// Whether this event changes the agency's directory: its calendar, people and settings.
    pub fn is_directory(&self) -> bool {
        self.aggregate() == Aggregate::Directory
    }
}

/// The read model an event folds into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    /// The agency: calendar, people, departments, settings and device keys.
    Directory,
    /// One deal, from its first event to its follow-up call.
    Deal(DealId),
    /// The record of founder escalations.
    Escalation,
    /// The record of cold-list outreach batches.
    ColdOutreach,
    /// The record of conflicts settled.
    Settlement,
    /// The Tuesday review held on that date.
    Review(NaiveDate),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_serialise_with_their_kind_tag() {
        let body = EventBody::DealLost { deal: DealId::from_uuid(uuid::Uuid::nil()) };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["kind"], "deal_lost");
        assert_eq!(json["kind"], body.name());
        assert_eq!(serde_json::from_value::<EventBody>(json).unwrap(), body);
    }
}
