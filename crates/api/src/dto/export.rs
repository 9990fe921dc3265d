//! The documents: exporting the brief and the service pack as PDFs, the brief's one-page meter, and
//! checking a brief PDF against the log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DealRef, PersonRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportRequest {
    pub deal: String,
    /// Where to write the PDF.
    pub out: std::path::PathBuf,
    /// Replace the file if it exists.
    pub force: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportResponse {
    pub path: String,
    pub pages: usize,
    pub bytes: usize,
    /// The brief's SHA-256 printed in (and embedded into) the document.
    pub brief_sha256: String,
    /// Exported before both signatures were valid: marked "DRAFT — not signed".
    pub draft: bool,
    /// Characters the font cannot draw, shown as a visible replacement mark.
    pub replaced: Vec<String>,
    pub body_size_pt: f32,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FitDto {
    pub fits: bool,
    pub body_size_pt: f32,
    pub over_percent: f32,
    pub longest_sections: Vec<(String, usize)>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifyRequest {
    pub file: std::path::PathBuf,
    /// The deal the file should be the brief of; found from the file's hash when not given.
    pub deal: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignatureCheck {
    pub signer: PersonRef,
    pub role: handoff_domain::brief::SignerRole,
    pub at: DateTime<Utc>,
    pub key_fingerprint: String,
    /// The signature checks out against the registered device key.
    pub verifies: bool,
    /// Why not, when it does not.
    pub problem: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifyReport {
    pub file: String,
    pub deal: Option<DealRef>,
    /// The SHA-256 the file carries.
    pub file_sha256: Option<String>,
    /// The brief's SHA-256 as it is now.
    pub current_sha256: Option<String>,
    /// The file shows the brief as it is now.
    pub matches_current: bool,
    /// Sign-offs given on the file's content, each checked.
    pub signatures: Vec<SignatureCheck>,
    /// The file is the brief as signed by both current signers, and both signatures verify.
    pub ok: bool,
    /// What failed, in words; empty when ok.
    pub problems: Vec<String>,
}
