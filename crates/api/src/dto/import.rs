//! Importing deals from a CRM export (CSV): the row-by-row preview, and what an import did.

use serde::{Deserialize, Serialize};

/// What importing one CSV row would do.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportAction {
    /// A deal not seen before: it would be imported.
    New,
    /// Imported before with the same values: nothing to do.
    Unchanged,
    /// Something is wrong with the row (see its problem): the file cannot be imported until fixed.
    Refused,
}

/// One row of a deals CSV, as the file has it, and what importing it would do.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportRowDto {
    pub line: u64,
    pub external_id: String,
    pub title: String,
    pub customer: String,
    pub value: String,
    pub currency: String,
    pub owner: String,
    pub closed_at: String,
    pub handoff_at: String,
    pub action: ImportAction,
    pub problem: Option<String>,
}

/// The preview of an import, before anything is written.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportPreview {
    pub file: String,
    pub new: usize,
    pub unchanged: usize,
    pub refused: usize,
    pub rows: Vec<ImportRowDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportResponse {
    pub rows: usize,
    pub imported: usize,
    /// Rows already imported earlier with the same values.
    pub unchanged: usize,
    pub escalated: usize,
}
