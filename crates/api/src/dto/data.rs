//! The agency's own copies of its data: backups, a restore, the export of everything, and the log
//! taken in from such an export.

use serde::{Deserialize, Serialize};

/// Where to write a backup or an export.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupRequest {
    /// The backup file to write.
    pub out: std::path::PathBuf,
    /// Replace the file if it exists.
    pub force: bool,
}

/// A backup made: a whole Handoff database that `restore` takes back.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupDto {
    pub path: String,
    pub bytes: u64,
    /// The events in its log.
    pub events: u64,
    /// When it was made (UTC).
    pub made_at: chrono::DateTime<chrono::Utc>,
}

/// What a restore did.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RestoreResponse {
    /// The backup restored.
    pub restored_from: String,
    /// Where the database as it was before the restore was kept.
    pub kept_as: String,
    /// The events in the restored log.
    pub events: u64,
}

/// Where to write every read table and the log.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportAllRequest {
    /// The folder to write into (made when missing).
    pub dir: std::path::PathBuf,
    /// Replace files of the same names if they exist.
    pub force: bool,
}

/// One file of an export of everything.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportedFile {
    pub name: String,
    /// Data rows (CSV, after its header) or events (JSON lines).
    pub rows: u64,
}

/// What an export of everything wrote.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportAllResponse {
    pub dir: String,
    pub files: Vec<ExportedFile>,
}

/// What taking in a log did.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportEventsResponse {
    pub events: u64,
    pub deals: u64,
}
