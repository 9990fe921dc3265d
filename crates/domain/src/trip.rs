//! What Fulfilment builds for a trip and what Service learns on it: travellers with their
//! preferences, the itinerary of days and items, the asks logged on the trip, and the signal
//! recorded when the travellers are back.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::{AskId, ItemId, TravellerId};

/// The longest preference, note or ask text accepted.
pub const MAX_NOTE_CHARS: usize = 4_000;

/// A kind of traveller preference: what the 72-hour call walks through.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PreferenceTopic {
    Dietary,
    Mobility,
    /// Rooming and family dynamics.
    Rooming,
    Medical,
    Other,
}

impl PreferenceTopic {
    /// Every topic, in checklist order.
    pub const ALL: [PreferenceTopic; 5] = [
        PreferenceTopic::Dietary,
        PreferenceTopic::Mobility,
        PreferenceTopic::Rooming,
        PreferenceTopic::Medical,
        PreferenceTopic::Other,
    ];

    /// The word used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            PreferenceTopic::Dietary => "dietary",
            PreferenceTopic::Mobility => "mobility",
            PreferenceTopic::Rooming => "rooming",
            PreferenceTopic::Medical => "medical",
            PreferenceTopic::Other => "other",
        }
    }

    /// The heading shown to people.
    pub fn title(self) -> &'static str {
        match self {
            PreferenceTopic::Dietary => "Dietary",
            PreferenceTopic::Mobility => "Mobility",
            PreferenceTopic::Rooming => "Rooming and family dynamics",
            PreferenceTopic::Medical => "Medical",
            PreferenceTopic::Other => "Other",
        }
    }
}

impl fmt::Display for PreferenceTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown topic name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown topic \"{0}\": use {1}")]
pub struct UnknownTopic(pub String, pub &'static str);

impl FromStr for PreferenceTopic {
    type Err = UnknownTopic;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        PreferenceTopic::ALL
            .into_iter()
            .find(|t| t.as_str() == wanted || (wanted == "family" && *t == PreferenceTopic::Rooming))
            .ok_or_else(|| UnknownTopic(s.to_string(), "dietary, mobility, rooming, medical or other"))
    }
}

/// A traveller's preferences; each is optional free text.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub items: BTreeMap<PreferenceTopic, String>,
}

impl Preferences {
    /// The non-empty items, in checklist order.
    pub fn non_empty(&self) -> impl Iterator<Item = (PreferenceTopic, &str)> {
        self.items.iter().filter(|(_, t)| !t.trim().is_empty()).map(|(k, v)| (*k, v.as_str()))
    }

    /// The text of one topic ("" when none).
    pub fn text(&self, topic: PreferenceTopic) -> &str {
        self.items.get(&topic).map(String::as_str).unwrap_or("")
    }
}

/// SHA-256 of a preference text, hex: what an acknowledgement binds.
pub fn text_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// One part of a traveller that an edit changed — the name, or one preference topic — with the
/// SHA-256 of what the editor saw there before.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravellerChange {
    /// The preference topic, or none for the traveller's name.
    pub topic: Option<PreferenceTopic>,
    pub seen_sha256: String,
}

impl Traveller {
    /// The text of one part: the name, or a preference topic ("" when none).
    pub fn part(&self, topic: Option<PreferenceTopic>) -> &str {
        match topic {
            None => &self.name,
            Some(topic) => self.preferences.text(topic),
        }
    }
}

/// A traveller on the trip.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traveller {
    pub id: TravellerId,
    pub name: String,
    pub preferences: Preferences,
}

/// What an itinerary item is.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Flight,
    Hotel,
    Transfer,
    Activity,
    Meal,
    Note,
}

impl ItemKind {
    /// Every kind.
    pub const ALL: [ItemKind; 6] =
        [ItemKind::Flight, ItemKind::Hotel, ItemKind::Transfer, ItemKind::Activity, ItemKind::Meal, ItemKind::Note];

    /// The word used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Flight => "flight",
            ItemKind::Hotel => "hotel",
            ItemKind::Transfer => "transfer",
            ItemKind::Activity => "activity",
            ItemKind::Meal => "meal",
            ItemKind::Note => "note",
        }
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ItemKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        ItemKind::ALL.into_iter().find(|k| k.as_str() == wanted).ok_or_else(|| {
            format!("unknown itinerary item kind \"{s}\": use flight, hotel, transfer, activity, meal or note")
        })
    }
}

/// One item of the itinerary, on a local day at an optional local time.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItineraryItem {
    pub id: ItemId,
    pub day: NaiveDate,
    pub time: Option<NaiveTime>,
    pub kind: ItemKind,
    pub title: String,
    pub supplier: Option<String>,
    pub contact: Option<String>,
    pub confirmation: Option<String>,
}

/// What an ask on the trip was about.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AskTopic {
    Dietary,
    Mobility,
    Rooming,
    Medical,
    Itinerary,
    Documents,
    Other,
}

impl AskTopic {
    /// Every topic.
    pub const ALL: [AskTopic; 7] = [
        AskTopic::Dietary,
        AskTopic::Mobility,
        AskTopic::Rooming,
        AskTopic::Medical,
        AskTopic::Itinerary,
        AskTopic::Documents,
        AskTopic::Other,
    ];

    /// The word used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            AskTopic::Dietary => "dietary",
            AskTopic::Mobility => "mobility",
            AskTopic::Rooming => "rooming",
            AskTopic::Medical => "medical",
            AskTopic::Itinerary => "itinerary",
            AskTopic::Documents => "documents",
            AskTopic::Other => "other",
        }
    }
}

impl fmt::Display for AskTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AskTopic {
    type Err = UnknownTopic;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        AskTopic::ALL.into_iter().find(|t| t.as_str() == wanted).ok_or_else(|| {
            UnknownTopic(s.to_string(), "dietary, mobility, rooming, medical, itinerary, documents or other")
        })
    }
}

/// Something Service had to ask a traveller during the trip.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    pub id: AskId,
    pub traveller: Option<TravellerId>,
    pub topic: AskTopic,
    pub text: String,
    /// Whether the brief should have covered it (what "asks per trip" counts).
    pub brief_should_have_covered: bool,
    pub at: DateTime<Utc>,
}

/// How a traveller came back.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sentiment {
    Thrilled,
    Happy,
    Neutral,
    Unhappy,
    Angry,
}

impl Sentiment {
    /// Every sentiment, strongest positive first.
    pub const ALL: [Sentiment; 5] =
        [Sentiment::Thrilled, Sentiment::Happy, Sentiment::Neutral, Sentiment::Unhappy, Sentiment::Angry];

    /// The word used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Thrilled => "thrilled",
            Sentiment::Happy => "happy",
            Sentiment::Neutral => "neutral",
            Sentiment::Unhappy => "unhappy",
            Sentiment::Angry => "angry",
        }
    }

    /// Rank for the Tuesday review: 0 is the strongest renewal signal.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for Sentiment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sentiment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Sentiment::ALL
            .into_iter()
            .find(|x| x.as_str() == wanted)
            .ok_or_else(|| format!("unknown sentiment \"{s}\": use thrilled, happy, neutral, unhappy or angry"))
    }
}

/// The signal Service records when the travellers are back.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    pub sentiment: Sentiment,
    /// 1 (faint) to 5 (strong).
    pub strength: u8,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// How a follow-up call went.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Renewed,
    Referral,
    NoInterest,
    NoAnswer,
}

impl Outcome {
    /// Every outcome, best first.
    pub const ALL: [Outcome; 4] = [Outcome::Renewed, Outcome::Referral, Outcome::NoInterest, Outcome::NoAnswer];

    /// The word for the outcome.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Renewed => "renewed",
            Outcome::Referral => "referral",
            Outcome::NoInterest => "no-interest",
            Outcome::NoAnswer => "no-answer",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "renewed" => Ok(Outcome::Renewed),
            "referral" => Ok(Outcome::Referral),
            "no-interest" => Ok(Outcome::NoInterest),
            "no-answer" => Ok(Outcome::NoAnswer),
            _ => Err(format!("unknown outcome \"{s}\": use renewed, referral, no-interest or no-answer")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_refuse_clearly() {
        assert_eq!("Family".parse::<PreferenceTopic>().unwrap(), PreferenceTopic::Rooming);
        assert!("diet".parse::<PreferenceTopic>().unwrap_err().to_string().contains("dietary, mobility"));
        assert_eq!("documents".parse::<AskTopic>().unwrap(), AskTopic::Documents);
        assert_eq!("no_answer".parse::<Outcome>().unwrap(), Outcome::NoAnswer);
        assert!("meh".parse::<Sentiment>().is_err());
        assert!("cruise".parse::<ItemKind>().unwrap_err().contains("flight, hotel"));
    }

    #[test]
    fn thrilled_ranks_before_happy() {
        assert!(Sentiment::Thrilled.rank() < Sentiment::Happy.rank());
        assert!(Sentiment::Happy.rank() < Sentiment::Angry.rank());
    }

    #[test]
    fn only_non_empty_preferences_are_checklist_items() {
        let mut p = Preferences::default();
        p.items.insert(PreferenceTopic::Dietary, "vegan".into());
        p.items.insert(PreferenceTopic::Medical, "  ".into());
        let items: Vec<_> = p.non_empty().collect();
        assert_eq!(items, vec![(PreferenceTopic::Dietary, "vegan")]);
    }
}
