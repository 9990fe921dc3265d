//! What Handoff keeps of the CRM an agency sells in: where a deal came from ([`DealSource`]) and
//! the agency's saved column mappings for CRM exports ([`ColumnMapping`]). Reading the exports
//! and webhook deliveries themselves is `handoff-crm`'s; this module only says what a mapping
//! must name for a deal to be made from a row.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::directory::check_name;
use crate::RuleError;

/// Where a deal came from, when a CRM sent it: shown on the deal page.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealSource {
    /// The CRM: "HubSpot", "Pipedrive", "Salesforce", or the name a mapping gives it.
    pub crm: String,
    /// How it arrived.
    pub channel: SourceChannel,
    /// When Handoff received it.
    pub received_at: DateTime<Utc>,
    /// What the lead should know of how it came in: an owner the CRM named who matches nobody
    /// in Sales, a customer the delivery did not name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A deal the CRM reports won, as a webhook delivery describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrmWin {
    pub record_id: String,
    pub title: Option<String>,
    pub customer: Option<String>,
    pub value: Option<crate::money::Money>,
    /// The owner as the CRM names them: an e-mail address, a name, or the CRM's user id.
    pub owner: Option<String>,
    /// When the CRM recorded the win: where the dwell clock starts.
    pub closed_at: DateTime<Utc>,
}

/// How a deal arrived from its CRM.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum SourceChannel {
    /// In an export file, imported by someone.
    Export { file: String },
    /// In a webhook delivery the hub received.
    Webhook,
}

/// A field of a deal that a CRM export's column fills.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappedField {
    /// The CRM's own record id: what makes a re-import idempotent.
    ExternalId,
    Title,
    Customer,
    Value,
    Currency,
    /// The Sales owner, by e-mail or unique name.
    Owner,
    /// The stage or status: which rows are won, open or lost.
    Stage,
    /// When the deal closed in the CRM: where the dwell clock starts.
    ClosedAt,
    /// When the deal was created in the CRM: when an open deal was added.
    CreatedAt,
    /// When a historical deal was handed off (Handoff's own CSV columns only, in practice).
    HandoffAt,
}

impl MappedField {
    /// Every field, in the order a person reads them.
    pub const ALL: [MappedField; 10] = [
        MappedField::ExternalId,
        MappedField::Title,
        MappedField::Customer,
        MappedField::Value,
        MappedField::Currency,
        MappedField::Owner,
        MappedField::Stage,
        MappedField::ClosedAt,
        MappedField::CreatedAt,
        MappedField::HandoffAt,
    ];

    /// The fields a row cannot make a deal without.
    pub const REQUIRED: [MappedField; 6] = [
        MappedField::ExternalId,
        MappedField::Title,
        MappedField::Customer,
        MappedField::Value,
        MappedField::Owner,
        MappedField::ClosedAt,
    ];

    /// Its name as `--map` and the saved mapping spell it (`closed_at`).
    pub fn key(self) -> &'static str {
        match self {
            MappedField::ExternalId => "external_id",
            MappedField::Title => "title",
            MappedField::Customer => "customer",
            MappedField::Value => "value",
            MappedField::Currency => "currency",
            MappedField::Owner => "owner",
            MappedField::Stage => "stage",
            MappedField::ClosedAt => "closed_at",
            MappedField::CreatedAt => "created_at",
            MappedField::HandoffAt => "handoff_at",
        }
    }

    /// What the field is, in words.
    pub fn label(self) -> &'static str {
        match self {
            MappedField::ExternalId => "CRM record id",
            MappedField::Title => "deal title",
            MappedField::Customer => "customer",
            MappedField::Value => "amount",
            MappedField::Currency => "currency",
            MappedField::Owner => "Sales owner",
            MappedField::Stage => "stage or status",
            MappedField::ClosedAt => "close date",
            MappedField::CreatedAt => "create date",
            MappedField::HandoffAt => "handoff time",
        }
    }

    /// The field a `--map` key names.
    pub fn from_key(key: &str) -> Option<MappedField> {
        MappedField::ALL.into_iter().find(|f| f.key() == key)
    }
}

impl fmt::Display for MappedField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Which way round an export writes its dates, where the numbers alone cannot say.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// 24/11/2026: day, month, year (most of the world).
    DayMonthYear,
    /// 11/24/2026: month, day, year (the United States).
    MonthDayYear,
    /// 2026-11-24 or 2026/11/24.
    YearMonthDay,
}

impl DateOrder {
    /// Its name on the command line: `dmy`, `mdy`, `ymd`.
    pub fn key(self) -> &'static str {
        match self {
            DateOrder::DayMonthYear => "dmy",
            DateOrder::MonthDayYear => "mdy",
            DateOrder::YearMonthDay => "ymd",
        }
    }

    pub fn from_key(key: &str) -> Option<DateOrder> {
        [DateOrder::DayMonthYear, DateOrder::MonthDayYear, DateOrder::YearMonthDay]
            .into_iter()
            .find(|o| o.key().eq_ignore_ascii_case(key))
    }
}

/// The mark an export puts before the decimals of an amount.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecimalMark {
    /// 12,400.50
    Dot,
    /// 12.400,50
    Comma,
}

impl DecimalMark {
    pub fn key(self) -> &'static str {
        match self {
            DecimalMark::Dot => "dot",
            DecimalMark::Comma => "comma",
        }
    }

    pub fn from_key(key: &str) -> Option<DecimalMark> {
        [DecimalMark::Dot, DecimalMark::Comma].into_iter().find(|m| m.key().eq_ignore_ascii_case(key))
    }
}

/// How one CRM's export becomes deals: the column for each field, which stage values are won
/// and lost, and what the numbers alone cannot say (the date order, the decimal mark, a currency
/// for exports without a currency column). Saved per agency under a name and offered again.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Whose export this is ("HubSpot", or a name the agency chose): shown as the deal's source.
    pub crm: String,
    /// The export's column (its header, as written) for each field.
    pub columns: BTreeMap<MappedField, String>,
    /// Stage or status values that mean won (compared without regard to case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub won: Vec<String>,
    /// Stage or status values that mean lost; any other value is open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<DateOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal: Option<DecimalMark>,
    /// The currency of every amount, for an export without a currency column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// The longest a mapping's name may be.
const MAPPING_NAME_MAX: usize = 60;

impl ColumnMapping {
    /// The column mapped to a field, if any.
    pub fn column(&self, field: MappedField) -> Option<&str> {
        self.columns.get(&field).map(String::as_str)
    }

    /// Whether a stage value means won: one of the won values, ignoring case and spacing.
    pub fn is_won(&self, stage: &str) -> bool {
        self.won.iter().any(|w| same_word(w, stage))
    }

    /// Whether a stage value means lost.
    pub fn is_lost(&self, stage: &str) -> bool {
        self.lost.iter().any(|w| same_word(w, stage))
    }

    /// Checks that a row can make a deal through this mapping: every required field has a
    /// column, and a stage column comes with its won values.
    pub fn check(&self) -> Result<(), RuleError> {
        let missing: Vec<String> = MappedField::REQUIRED
            .into_iter()
            .filter(|f| self.column(*f).is_none_or(|c| c.trim().is_empty()))
            .map(|f| format!("{} ({})", f.key(), f.label()))
            .collect();
        if !missing.is_empty() {
            return Err(RuleError::MappingIncomplete { missing: missing.join(", ") });
        }
        if self.column(MappedField::Stage).is_some() && self.won.is_empty() {
            return Err(RuleError::MappingNoWonValues);
        }
        if let Some(c) = &self.currency {
            crate::money::Money::parse("0", c)?;
        }
        Ok(())
    }
}

/// Two stage values are the same word when they differ only in case and spacing.
pub fn same_word(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    squash(a) == squash(b)
}

/// Checks a mapping's name: one line, at most 60 characters.
pub fn check_mapping_name(name: &str) -> Result<(), RuleError> {
    check_name("the mapping's name", name)?;
    if name.chars().count() > MAPPING_NAME_MAX {
        return Err(RuleError::TooLong {
            what: "the mapping's name",
            len: name.chars().count(),
            max: MAPPING_NAME_MAX,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping() -> ColumnMapping {
        let columns = [
            (MappedField::ExternalId, "Record ID"),
            (MappedField::Title, "Deal Name"),
            (MappedField::Customer, "Associated Company"),
            (MappedField::Value, "Amount"),
            (MappedField::Owner, "Deal owner"),
            (MappedField::Stage, "Deal Stage"),
            (MappedField::ClosedAt, "Close Date"),
        ]
        .into_iter()
        .map(|(f, c)| (f, c.to_string()))
        .collect();
        ColumnMapping { crm: "HubSpot".into(), columns, won: vec!["Closed Won".into()], ..Default::default() }
    }

    #[test]
    fn a_complete_mapping_passes_and_each_missing_field_is_named() {
        assert_eq!(mapping().check(), Ok(()));
        let mut m = mapping();
        m.columns.remove(&MappedField::Owner);
        m.columns.remove(&MappedField::Customer);
        let err = m.check().unwrap_err().to_string();
        assert!(err.contains("customer (customer), owner (Sales owner)"), "{err}");
    }

    #[test]
    fn a_stage_column_needs_its_won_values() {
        let mut m = mapping();
        m.won.clear();
        assert_eq!(m.check(), Err(RuleError::MappingNoWonValues));
    }

    #[test]
    fn one_column_may_fill_two_fields() {
        // A CRM without companies: the deal's name names the customer too.
        let mut m = mapping();
        m.columns.insert(MappedField::Customer, "Deal Name".into());
        assert_eq!(m.check(), Ok(()));
    }

    #[test]
    fn won_values_match_without_regard_to_case_or_spacing() {
        let m = mapping();
        assert!(m.is_won("closed  won"));
        assert!(m.is_won(" CLOSED WON "));
        assert!(!m.is_won("Closed Lost"));
    }

    #[test]
    fn a_mapping_without_a_close_date_is_refused() {
        let mut m = mapping();
        m.columns.remove(&MappedField::ClosedAt);
        assert!(m.check().unwrap_err().to_string().contains("closed_at (close date)"));
    }

    #[test]
    fn field_keys_and_orders_round_trip() {
        for f in MappedField::ALL {
            assert_eq!(MappedField::from_key(f.key()), Some(f));
        }
        assert_eq!(DateOrder::from_key("DMY"), Some(DateOrder::DayMonthYear));
        assert_eq!(DecimalMark::from_key("comma"), Some(DecimalMark::Comma));
        assert_eq!(DateOrder::from_key("dym"), None);
    }
}
