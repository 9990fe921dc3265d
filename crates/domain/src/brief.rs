//! The one-page brief written by Sales during the live handoff meeting: seven sections in a fixed
//! order, a canonical SHA-256 of its content, and the signatures that bind that hash. A signature
//! is valid only while the brief still hashes to what was signed and the signer still holds the
//! role; any edit makes earlier signatures stale.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::{DealId, PersonId};
use crate::RuleError;

/// The most characters a section may hold. A page holds about 5,000; a section beyond this is a
/// paste gone wrong, not a brief.
pub const MAX_SECTION_CHARS: usize = 20_000;

/// A section of the brief, in the order the brief prints them.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    Customer,
    Trip,
    Sold,
    Promises,
    Preferences,
    Risks,
    FirstSteps,
}

impl Section {
    /// All sections, in brief order.
    pub const ALL: [Section; 7] = [
        Section::Customer,
        Section::Trip,
        Section::Sold,
        Section::Promises,
        Section::Preferences,
        Section::Risks,
        Section::FirstSteps,
    ];

    /// The name used on the command line: `customer` … `first-steps`.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Customer => "customer",
            Section::Trip => "trip",
            Section::Sold => "sold",
            Section::Promises => "promises",
            Section::Preferences => "preferences",
            Section::Risks => "risks",
            Section::FirstSteps => "first-steps",
        }
    }

    /// The heading printed on the brief.
    pub fn title(self) -> &'static str {
        match self {
            Section::Customer => "Customer",
            Section::Trip => "Trip",
            Section::Sold => "What was sold",
            Section::Promises => "Promises and expectations",
            Section::Preferences => "Preferences",
            Section::Risks => "Risks and open questions",
            Section::FirstSteps => "First steps",
        }
    }

    /// What the section is for, as a prompt to the writer.
    pub fn prompt(self) -> &'static str {
        match self {
            Section::Customer => "who, contacts",
            Section::Trip => "dates, destination, travellers",
            Section::Sold => "what was sold, inclusions, price",
            Section::Promises => "what was promised or expected",
            Section::Preferences => "dietary, mobility, rooming, family dynamics, other sensitivities",
            Section::Risks => "risks and open questions",
            Section::FirstSteps => "the first steps of the itinerary build",
        }
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text of an unknown section name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown brief section \"{0}\": use customer, trip, sold, promises, preferences, risks or first-steps")]
pub struct UnknownSection(pub String);

impl FromStr for Section {
    type Err = UnknownSection;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Section::ALL.into_iter().find(|sec| sec.as_str() == wanted).ok_or_else(|| UnknownSection(s.to_string()))
    }
}

/// The brief's text, by section. Missing sections are empty.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brief {
    pub sections: BTreeMap<Section, String>,
}

impl Brief {
    /// No section written yet.
    pub fn is_unwritten(&self) -> bool {
        self.sections.is_empty()
    }

    /// The text of a section ("" when never written).
    pub fn text(&self, section: Section) -> &str {
        self.sections.get(&section).map(String::as_str).unwrap_or("")
    }

    /// Whether `text` says something: at least one letter or digit. "None known" is written; an
    /// empty box, spaces or a lone dash are not — the playbook's failed form was "three fields
    /// filled in and the rest left blank".
    pub fn says_something(text: &str) -> bool {
        text.chars().any(char::is_alphanumeric)
    }

    /// The sections not yet written (see [`Brief::says_something`]), in brief order.
    pub fn unwritten(&self) -> Vec<Section> {
        Section::ALL.into_iter().filter(|s| !Brief::says_something(self.text(*s))).collect()
    }

    /// Every section written: the brief can be signed.
    pub fn is_complete(&self) -> bool {
        self.unwritten().is_empty()
    }

    /// Checks a section's new text against the size limit. Text is otherwise kept verbatim.
    pub fn check_text(text: &str) -> Result<(), RuleError> {
        let len = text.chars().count();
        if len > MAX_SECTION_CHARS {
            return Err(RuleError::TooLong { what: "the section", len, max: MAX_SECTION_CHARS });
        }
        Ok(())
    }

    /// The canonical content that signatures bind: a version line, the deal, then each of the
    /// seven sections in order as `name<TAB>byte length<LF>text<LF>`. Unambiguous for any text.
    pub fn canonical(&self, deal: DealId) -> Vec<u8> {
        let mut out = format!("handoff-brief-v1\ndeal\t{deal}\n").into_bytes();
        for section in Section::ALL {
            let text = self.text(section);
            out.extend_from_slice(format!("{}\t{}\n", section.as_str(), text.len()).as_bytes());
            out.extend_from_slice(text.as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// SHA-256 of [`Brief::canonical`], lower-case hex.
    pub fn sha256(&self, deal: DealId) -> String {
        hex::encode(Sha256::digest(self.canonical(deal)))
    }
}

/// The role a signer signs in.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignerRole {
    /// The Sales author of the brief (the deal's owner).
    Sales,
    /// The assigned (acting) Fulfilment owner.
    Fulfilment,
}

impl SignerRole {
    /// The lower-case word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SignerRole::Sales => "sales",
            SignerRole::Fulfilment => "fulfilment",
        }
    }
}

/// One sign-off.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub signer: PersonId,
    pub role: SignerRole,
    pub at: DateTime<Utc>,
    pub brief_sha256: String,
    /// The signing device key's fingerprint.
    #[serde(default)]
    pub key_fingerprint: String,
    /// Ed25519 signature (hex) of the sign-off message.
    #[serde(default)]
    pub signature: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn deal() -> DealId {
        DealId(Uuid::from_u128(7))
    }

    #[test]
    fn sections_parse_by_name_and_keep_brief_order() {
        assert_eq!("first-steps".parse::<Section>().unwrap(), Section::FirstSteps);
        assert_eq!("First_Steps".parse::<Section>().unwrap(), Section::FirstSteps);
        assert!("summary".parse::<Section>().unwrap_err().to_string().contains("customer, trip, sold"));
        let mut sorted = Section::ALL;
        sorted.sort();
        assert_eq!(sorted, Section::ALL);
    }

    #[test]
    fn the_hash_changes_with_any_edit_and_only_with_an_edit() {
        let mut b = Brief::default();
        let empty = b.sha256(deal());
        b.sections.insert(Section::Risks, "Visa for one traveller".into());
        let one = b.sha256(deal());
        assert_ne!(empty, one);
        assert_eq!(b.sha256(deal()), one, "deterministic");
        b.sections.insert(Section::Risks, "Visa for one traveller ".into());
        assert_ne!(b.sha256(deal()), one);
        assert_ne!(b.sha256(DealId(Uuid::from_u128(8))), b.sha256(deal()), "bound to the deal");
        assert_eq!(one.len(), 64);
    }

    #[test]
    fn moving_text_between_sections_changes_the_hash() {
        let mut a = Brief::default();
        a.sections.insert(Section::Sold, "x".into());
        let mut b = Brief::default();
        b.sections.insert(Section::Promises, "x".into());
        assert_ne!(a.sha256(deal()), b.sha256(deal()));
    }

    #[test]
    fn a_section_is_written_when_it_says_something_in_words() {
        let mut b = Brief::default();
        assert_eq!(b.unwritten(), Section::ALL);
        for s in Section::ALL {
            b.sections.insert(s, "None known".into());
        }
        assert!(b.is_complete());
        for blank in ["", "   ", "\n\t", "-", "—", "...", "n/a"] {
            b.sections.insert(Section::Risks, blank.into());
            let written = blank == "n/a";
            assert_eq!(b.is_complete(), written, "{blank:?}");
        }
        b.sections.insert(Section::Risks, "Ünïcode: 無".into());
        assert!(b.is_complete(), "letters of any script count");
        b.sections.insert(Section::Trip, " ".into());
        b.sections.insert(Section::Customer, "".into());
        assert_eq!(b.unwritten(), [Section::Customer, Section::Trip], "in brief order");
    }

    #[test]
    fn a_huge_section_is_refused_with_its_size() {
        let err = Brief::check_text(&"a".repeat(1 << 20)).unwrap_err();
        assert_eq!(err.to_string(), "the section is 1048576 characters long; at most 20000 are allowed");
        assert!(Brief::check_text("Robert'); DROP TABLE events;--\u{7}").is_ok());
    }
}
