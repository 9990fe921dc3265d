//! # handoff-pdf
//!
//! The two documents Handoff puts in the trip file, laid out here from the view models in
//! [`model`] and written with `pdf-writer`: the signed one-page brief ([`render_brief`], [`measure_brief`]) and the 72-hour
//! service handoff pack ([`render_pack`]). Pure: view model in, PDF bytes out; no files, no clock.
//!
//! Text is set in the embedded DejaVu Sans (regular and bold, subset on write) and wrapped from
//! the font's advance widths. A character DejaVu cannot draw (CJK, emoji, …) is drawn as a
//! visible U+FFFD "�" and listed in [`Rendered::replaced`]; nothing is dropped silently.
//!
//! Either document can be written sealed ([`render_brief_sealed`], [`render_pack_sealed`]): with a
//! standard PDF digital signature over the whole file, written in the same pass as the pages (an
//! invisible signature field on page 1, `adbe.pkcs7.detached`: a CMS signed with the device's
//! ECDSA P-256 key, embedding a certificate the key issues to itself naming the agency, the device
//! and the person who exported), the kind Acrobat and poppler's `pdfsig` verify. [`check_seal`]
//! verifies it again and says who signed and when ([`SealReport`]), or in plain words what is
//! wrong ([`SealError`]). The signing time is passed in ([`Seal::at`]); only the certificate's
//! serial number is random.

mod brief;
mod date;
mod draw;
mod fonts;
pub mod model;
mod pack;
mod script;
mod seal;

pub use brief::{BODY_MAX_PT, BODY_MIN_PT, BODY_STEP_PT};
pub use model::*;
pub use pack::PACK_BODY_PT;
pub use seal::{check_seal, seal_public_key, Seal, SealError, SealKey, SealReport, CONTENTS_BYTES};

/// The signed one-page brief, always exactly one page. The body text steps down from
/// [`BODY_MAX_PT`] by [`BODY_STEP_PT`] until the sections fit; below [`BODY_MIN_PT`] the brief
/// is refused with [`PdfError::TooLong`] naming the longest sections.
pub fn render_brief(doc: &BriefDoc) -> Result<Rendered, PdfError> {
    brief::render(doc, None)
}

/// The brief as [`render_brief`] lays it out, sealed by `seal` for the trip file.
pub fn render_brief_sealed(doc: &BriefDoc, seal: &Seal) -> Result<Rendered, PdfError> {
    brief::render(doc, Some(seal))
}

/// The editor's one-page meter: the same layout and decision as [`render_brief`], without
/// writing a PDF.
pub fn measure_brief(doc: &BriefDoc) -> Fit {
    brief::measure(doc)
}

/// The 72-hour service handoff pack, as many pages as it needs. Table rows never split across
/// pages (a row taller than a whole page is the one exception, continued line by line).
pub fn render_pack(doc: &PackDoc) -> Result<Rendered, PdfError> {
    pack::render(doc, None)
}

/// The pack as [`render_pack`] lays it out, sealed by `seal` for the trip file.
pub fn render_pack_sealed(doc: &PackDoc, seal: &Seal) -> Result<Rendered, PdfError> {
    pack::render(doc, Some(seal))
}
