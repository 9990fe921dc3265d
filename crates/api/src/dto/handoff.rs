//! The live handoff meeting: the brief with its sections and sign-offs, the meeting's flags, and
//! what ending the meeting answers.

use chrono::{DateTime, Utc};
use handoff_domain::assignment::AssignedBecause;
use handoff_domain::brief::Section;
use handoff_domain::deal::{MeetingFlag, SignOff};
use serde::{Deserialize, Serialize};

use super::tasks::TaskDto;
use super::{Acting, DealRef, PersonRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeetingDto {
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Breaks of the playbook: flagged, not refused.
    pub flags: Vec<MeetingFlagDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeetingFlagDto {
    #[serde(flatten)]
    pub flag: MeetingFlag,
    pub message: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SectionDto {
    pub section: Section,
    pub title: String,
    pub prompt: String,
    pub text: String,
    /// It says something in words (an empty box, spaces or a dash do not).
    pub written: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignOffDto {
    pub signer: Option<PersonRef>,
    /// The fingerprint of the signer's own key that gave the latest signature, when there is one.
    pub key_fingerprint: Option<String>,
    #[serde(flatten)]
    pub state: SignOff,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BriefDto {
    pub deal: DealRef,
    pub customer: String,
    pub sections: Vec<SectionDto>,
    /// SHA-256 of the canonical content; what signatures bind.
    pub sha256: String,
    pub sales: SignOffDto,
    pub fulfilment: SignOffDto,
    /// Both sign-offs valid.
    pub signed: bool,
    /// The sections not yet written, in brief order: nobody signs until there are none.
    pub unwritten: Vec<Section>,
    /// Every section written: the brief can be signed.
    pub complete: bool,
}

/// A signer signs the brief with their own key on this laptop.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BriefSignRequest {
    pub deal: String,
    /// The signer is `acting.actor`.
    pub acting: Acting,
    /// The signer's passphrase, when their key here is in a passphrase-protected file.
    pub passphrase: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BriefSetRequest {
    pub deal: String,
    pub section: Section,
    pub text: String,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MeetingEndResponse {
    pub deal: DealRef,
    pub handoff_at: DateTime<Utc>,
    pub dwell_hours: f64,
    pub dwell_business_hours: f64,
    pub first_task: TaskDto,
    pub flags: Vec<MeetingFlagDto>,
    /// When the trip's start is known: the service handoff, due 72 h before it, and its owner.
    pub service_due_at: Option<DateTime<Utc>>,
    pub service_owner: Option<PersonRef>,
    pub service_assigned_because: Option<AssignedBecause>,
}
