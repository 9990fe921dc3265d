//! Importing deals from a CRM export (CSV): how to read it, the row-by-row preview, and what an
//! import did.

use std::collections::BTreeMap;

use handoff_domain::crm::{ColumnMapping, DateOrder, DecimalMark, MappedField};
use serde::{Deserialize, Serialize};

/// What importing one row would do.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportAction {
    /// A won deal not seen before: it comes in won, its Fulfilment owner named.
    New,
    /// A deal still open in the CRM, not seen before: it comes in open.
    Open,
    /// A deal that came in open and is now won in the CRM: it is won at the CRM's close.
    Won,
    /// A deal that came in open and is now lost in the CRM: it is marked lost.
    Lost,
    /// A deal still open whose title, customer or amount changed in the CRM: corrected to match,
    /// with the reason "changed in the CRM".
    Updated,
    /// Imported before with the same values: nothing to do.
    Unchanged,
    /// Left out, and why is in its note (lost in the CRM, or open when open deals stay out).
    Skipped,
    /// Something is wrong with the row (see its problem): the file cannot be imported until fixed.
    Refused,
}

/// Where a row's deal stands in the CRM.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CrmOutcome {
    Won,
    Open,
    Lost,
}

/// One row of an export, as the file has it and as it would land, and what importing it would do.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportRowDto {
    pub line: u64,
    pub external_id: String,
    pub title: String,
    pub customer: String,
    /// The amount as the file writes it.
    pub value: String,
    pub currency: String,
    /// The owner as the file names them.
    pub owner: String,
    pub stage: String,
    pub closed_at: String,
    pub handoff_at: String,
    pub outcome: CrmOutcome,
    /// The Sales owner it matched, by name.
    pub owner_matched: Option<String>,
    /// The amount as read (`4200.00 EUR`).
    pub value_read: Option<String>,
    /// The close as read, in the agency's zone (`2026-11-24 09:00`).
    pub closed_read: Option<String>,
    pub action: ImportAction,
    /// Why a row is left out.
    pub note: Option<String>,
    pub problem: Option<String>,
}

/// How to read an export, beside the file: changes to the mapping it is read with, a saved
/// mapping to start from (and to save the result under), and whether open deals come in.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ImportOptions {
    #[serde(default)]
    pub map: MappingChange,
    /// A saved mapping's name: used when it exists, and the mapping is saved under it when the
    /// import changes it or it does not exist yet.
    #[serde(default)]
    pub mapping: Option<String>,
    /// Deals still open in the CRM come in as open deals (won later, when the CRM says so).
    #[serde(default)]
    pub with_open: bool,
}

/// Changes to a column mapping: a column for each field named (an empty one takes the field's
/// column away), and what else is given.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingChange {
    #[serde(default)]
    pub columns: BTreeMap<MappedField, String>,
    #[serde(default)]
    pub won: Option<Vec<String>>,
    #[serde(default)]
    pub lost: Option<Vec<String>>,
    #[serde(default)]
    pub dates: Option<DateOrder>,
    #[serde(default)]
    pub decimal: Option<DecimalMark>,
    /// The currency of every amount, for an export without a currency column.
    #[serde(default)]
    pub currency: Option<String>,
    /// The CRM's name, as the deals' source shows it.
    #[serde(default)]
    pub crm: Option<String>,
    /// The change is the whole mapping (the app's mapping step sends all it shows): what it does
    /// not give is cleared.
    #[serde(default)]
    pub whole: bool,
}

impl MappingChange {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == MappingChange::default()
    }
}

/// A field of a deal in the mapping step: what it is, whether a row needs it, and its column.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MappingFieldDto {
    pub field: MappedField,
    /// What it is, in words ("close date").
    pub label: String,
    pub required: bool,
    pub column: Option<String>,
}

/// The preview of an import, before anything is written.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportPreview {
    pub file: String,
    /// What the file is: "a HubSpot deals export", or "a CSV export" when Handoff does not know it.
    pub format: String,
    /// The header's columns, as written.
    pub columns: Vec<String>,
    /// The mapping the rows are read with.
    pub mapping: ColumnMapping,
    /// Every field a column can fill, in reading order, with the column the mapping gives it:
    /// the mapping step's rows.
    pub fields: Vec<MappingFieldDto>,
    /// The saved mapping it came from, if any.
    pub mapping_name: Option<String>,
    /// The agency's saved mappings, by name.
    pub saved_mappings: Vec<String>,
    /// Why the rows cannot be read yet (a field without a column, a date order to state): the
    /// mapping step's question. No rows are shown while there is one.
    pub mapping_problem: Option<String>,
    /// The order day-month dates were read in, when the file has any.
    pub dates: Option<DateOrder>,
    pub decimal: Option<DecimalMark>,
    pub new: usize,
    pub open: usize,
    pub won: usize,
    pub lost: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub refused: usize,
    pub rows: Vec<ImportRowDto>,
}

/// What an import did.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportResponse {
    pub format: String,
    pub rows: usize,
    /// Won deals that came in.
    pub imported: usize,
    /// Open deals that came in.
    pub opened: usize,
    /// Deals that came in open earlier and are now won.
    pub won: usize,
    /// Deals that came in open earlier and are now lost.
    pub lost: usize,
    /// Open deals corrected to what the CRM says now.
    pub updated: usize,
    /// Rows already imported earlier with the same values.
    pub unchanged: usize,
    /// Rows left out (lost in the CRM, or open when open deals stay out).
    pub skipped: usize,
    pub escalated: usize,
    /// The name the mapping was saved under, when the import saved it.
    pub mapping_saved: Option<String>,
}

/// A column mapping the agency saved, with its name.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedMappingDto {
    pub name: String,
    pub mapping: ColumnMapping,
}
