//! The view models the PDFs are drawn from. Built by `handoff-api` from the deal; every field is
//! already text as it should read on paper (times in the agency's zone, money with its
//! currency), so this crate makes no business decisions — it lays out and draws.

/// The paper size (an agency setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PageSize {
    #[default]
    A4,
    /// US Letter.
    Letter,
}

/// Where one signer's sign-off stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignoffState {
    /// Signed, and the brief still hashes to what was signed.
    Valid,
    /// Signed, then the brief changed: not a valid signature.
    Stale,
    /// Not signed.
    Missing,
}

/// One signer's line in the sign-off block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signoff {
    pub name: String,
    /// "Sales author" or "Fulfilment owner".
    pub role: String,
    /// When, in the agency's zone, e.g. "2026-03-03 14:10 Europe/London"; empty when missing.
    pub at: String,
    pub state: SignoffState,
    /// The SHA-256 the signature binds (full hex); empty when missing.
    pub signed_sha256: String,
    /// The fingerprint of the signer's own signing key, e.g. "3f9a 1c0b 77e2 d410"; empty when missing.
    pub key_fingerprint: String,
}

/// The one-page brief.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BriefDoc {
    pub page: PageSize,
    pub agency: String,
    pub deal_title: String,
    pub customer: String,
    /// e.g. "60,000.00 EUR".
    pub value: String,
    /// e.g. "1 Feb 2027 – 5 Feb 2027"; empty when unknown.
    pub trip_dates: String,
    pub destination: String,
    /// e.g. "24 travellers"; empty when unknown.
    pub travellers: String,
    pub sales_author: String,
    pub fulfilment_owner: String,
    /// The seven sections in brief order: (title, text). Text may be empty or many paragraphs.
    pub sections: Vec<(String, String)>,
    pub signoffs: Vec<Signoff>,
    /// SHA-256 of the brief's canonical content, 64 hex characters.
    pub sha256: String,
    /// Not both signatures valid: every page carries "DRAFT — not signed".
    pub draft: bool,
    /// e.g. "2026-03-03 14:20 Europe/London".
    pub generated_at: String,
    /// The same instant with its UTC offset, for the document's creation date:
    /// "2026-03-03T14:20:00+00:00". Empty: no creation date is written.
    pub created: String,
    /// e.g. "Handoff 0.1.0".
    pub generator: String,
}

/// One traveller's preference item and whether Service acknowledged it as it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreferenceLine {
    /// e.g. "Dietary", "Rooming and family dynamics".
    pub topic: String,
    pub text: String,
    /// "Acknowledged 2026-03-28 09:12", "Not acknowledged", "Changed since acknowledged".
    pub status: String,
    pub acknowledged: bool,
}

/// A traveller in the pack's roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub name: String,
    pub preferences: Vec<PreferenceLine>,
}

/// One itinerary item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItineraryLine {
    /// "07:45" or empty.
    pub time: String,
    /// "Flight", "Hotel", …
    pub kind: String,
    pub title: String,
    pub supplier: String,
    pub contact: String,
    pub confirmation: String,
}

/// One day of the itinerary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItineraryDay {
    /// e.g. "Day 1 — Mon 1 Feb 2027".
    pub heading: String,
    pub items: Vec<ItineraryLine>,
}

/// An ask logged on the trip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskLine {
    pub at: String,
    pub traveller: String,
    pub topic: String,
    pub text: String,
    /// The brief should have covered it.
    pub covered: bool,
}

/// The 72-hour service handoff pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackDoc {
    pub page: PageSize,
    pub agency: String,
    /// The running header: the trip's name.
    pub trip_name: String,
    pub customer: String,
    pub trip_dates: String,
    pub destination: String,
    pub travellers: String,
    pub service_owner: String,
    pub fulfilment_owner: String,
    /// When the service handoff was due and done (agency zone), and the lead time, as text.
    pub due_at: String,
    pub done_at: String,
    pub lead_time: String,
    pub brief_sha256: String,
    pub roster: Vec<RosterEntry>,
    pub itinerary: Vec<ItineraryDay>,
    /// "What we sold and promised": the brief's sold and promises sections, (title, text).
    pub sold_and_promised: Vec<(String, String)>,
    /// The brief's risks and open questions.
    pub risks: String,
    pub asks: Vec<AskLine>,
    pub generated_at: String,
    /// As on [`BriefDoc::created`].
    pub created: String,
    pub generator: String,
}

/// A finished PDF.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Characters the font cannot draw, each shown as a visible replacement mark.
    pub replaced: Vec<char>,
    /// The body text size used, in points (the brief steps down to fit one page).
    pub body_size_pt: f32,
}

/// Whether a brief fits one page, for the editor's one-page meter.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub fits: bool,
    /// The body size that fits, in points (the minimum when it does not).
    pub body_size_pt: f32,
    /// How far over the page the content runs at the minimum size, in percent of the page body.
    pub over_percent: f32,
    /// Section titles with their lengths in characters, longest first.
    pub longest_sections: Vec<(String, usize)>,
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PdfError {
    #[error("the brief does not fit on one page even at {min_size_pt} pt: it runs {over_percent:.0}% over; shorten the longest sections ({})", longest.iter().map(|(t, n)| format!("{t}: {n} characters")).collect::<Vec<_>>().join(", "))]
    TooLong { min_size_pt: f32, over_percent: f32, longest: Vec<(String, usize)> },
    #[error("the PDF could not be written: {0}")]
    Write(String),
}
