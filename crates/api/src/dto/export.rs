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
    /// The fingerprint of this laptop's sealing key, whose PDF signature the file carries.
    pub sealed_by: String,
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

/// One sign-off on the file's content, checked against the signer's registered key.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignatureCheck {
    pub signer: PersonRef,
    pub role: handoff_domain::brief::SignerRole,
    pub at: DateTime<Utc>,
    pub key_fingerprint: String,
    /// The signature checks out against the key registered to the signer.
    pub verifies: bool,
    /// Why not, when it does not.
    pub problem: Option<String>,
    /// The key was revoked after it signed (the signature stands): when and why.
    pub key_revoked_since: Option<String>,
}

/// Who sealed the file: its own PDF signature, checked over every byte.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SealCheck {
    /// The signature verifies over the whole file.
    pub valid: bool,
    /// The certificate's name: who exported it, on which laptop.
    pub exported_by: String,
    pub exported_at: Option<DateTime<Utc>>,
    /// The sealing key's fingerprint.
    pub key_fingerprint: String,
    /// The laptop whose registered key sealed it, when the log knows the key.
    pub device: Option<String>,
    /// The sealing key was revoked: when and why.
    pub key_revoked: Option<String>,
}

/// What a file proves: a brief or a service pack exported by Handoff, checked against the log.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifyReport {
    pub file: String,
    /// "brief" or "service pack" as the file says (trusted only when `ok`).
    pub kind: String,
    pub deal: Option<DealRef>,
    /// The file's own PDF signature, when it has one.
    pub seal: Option<SealCheck>,
    /// The brief SHA-256 the file carries.
    pub file_sha256: Option<String>,
    /// The brief's SHA-256 as it is now.
    pub current_sha256: Option<String>,
    /// The file shows the brief as it is now (no edit since).
    pub matches_current: bool,
    /// Sign-offs given on the file's content, each checked.
    pub signatures: Vec<SignatureCheck>,
    /// Everything holds: sealed by a registered, unrevoked laptop key over the whole file, the
    /// brief as signed, and both sign-offs verify.
    pub ok: bool,
    /// What failed, in words; empty when ok.
    pub problems: Vec<String>,
}

/// Which of the trip file's PDFs.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TripPaper {
    Brief,
    ServicePack,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PrintRequest {
    pub deal: String,
    pub paper: TripPaper,
}

/// A PDF laid out exactly as the export, to put on paper: nothing is written or sealed.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PrintablePdf {
    /// What it is, for the print job: "Alpine retreat — brief".
    pub title: String,
    pub pages: usize,
    /// A brief not yet signed by both leads, marked DRAFT on the page.
    pub draft: bool,
    /// The PDF itself, base64-encoded.
    pub pdf: String,
}
