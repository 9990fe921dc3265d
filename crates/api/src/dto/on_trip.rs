//! On the trip and after it: asks Service had to make, and the signal when the travellers are back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Acting, DealRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AskLogRequest {
    pub deal: String,
    pub traveller: Option<String>,
    pub topic: handoff_domain::trip::AskTopic,
    pub text: String,
    pub brief_should_have_covered: bool,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AskDto {
    pub id: handoff_domain::ids::AskId,
    pub deal: DealRef,
    pub traveller: Option<String>,
    pub topic: handoff_domain::trip::AskTopic,
    pub text: String,
    pub brief_should_have_covered: bool,
    pub at: DateTime<Utc>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignalRequest {
    pub deal: String,
    pub sentiment: handoff_domain::trip::Sentiment,
    pub strength: u8,
    pub note: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignalDto {
    pub deal: DealRef,
    pub sentiment: handoff_domain::trip::Sentiment,
    pub strength: u8,
    pub note: String,
    pub at: DateTime<Utc>,
}
