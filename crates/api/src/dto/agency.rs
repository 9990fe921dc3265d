//! The agency, its calendar and its people: setting up, holidays, people, departments, away
//! periods, who uses this laptop, and the agency's settings.

use chrono::NaiveDate;
use handoff_domain::directory::Department;
use handoff_domain::ids::PersonId;
use serde::{Deserialize, Serialize};

use super::{Acting, PersonRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InitRequest {
    pub agency: String,
    pub timezone: String,
    pub workdays: Option<String>,
    pub hours: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AgencyDto {
    pub name: String,
    pub timezone: String,
    pub workdays: String,
    pub hours: String,
    pub one_business_day_hours: f64,
    pub holidays: Vec<NaiveDate>,
    /// How many trips the Sales lead may pick at one Tuesday review.
    pub review_picks: u8,
    /// When the Tuesday review starts (`HH:MM`, agency time).
    pub review_time: String,
    /// The paper PDFs are laid out for.
    pub paper: handoff_domain::directory::Paper,
    /// How dates and numbers are written (chosen, or the likely one for the time zone).
    pub locale: handoff_domain::directory::Locale,
    /// The fingerprint of this laptop's document-sealing key (made at the first export).
    pub device_key: Option<String>,
    /// The folder this laptop keeps signing keys in (secrets encrypted, or in the keychain).
    pub keys_folder: String,
    /// A system keychain answers on this laptop.
    pub keychain: bool,
    /// This installation's device id.
    pub device: String,
    /// The database file.
    pub database: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HolidayAddRequest {
    pub date: String,
    pub name: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonAddRequest {
    pub name: String,
    pub dept: Department,
    pub email: Option<String>,
    /// The name looks like someone's already in the agency, and this really is someone else.
    #[serde(default)]
    pub confirmed_different: bool,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayDto {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonDto {
    pub id: PersonId,
    pub name: String,
    pub dept: Department,
    pub email: Option<String>,
    /// `lead`, `backup 1`, `backup 2` … or none.
    pub role: Option<String>,
    pub away: Vec<AwayDto>,
    /// Away on today's date in the agency zone.
    pub away_today: bool,
    /// Set once they have left the agency: kept in the history, never assigned again.
    pub retired: Option<handoff_domain::directory::Retirement>,
    /// Today opens on the whole agency for them — the founder answers for everyone — and on
    /// their own work for anyone else.
    pub sees_whole_agency: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeptSetRequest {
    pub dept: Department,
    pub lead: String,
    pub backups: Vec<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeptDto {
    pub dept: Department,
    pub lead: Option<PersonRef>,
    pub backups: Vec<PersonRef>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayRequest {
    pub person: String,
    pub from: String,
    pub to: String,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AgencySetRequest {
    pub review_picks: Option<u8>,
    /// When the Tuesday review starts: `10:00`.
    #[serde(default)]
    pub review_time: Option<String>,
    /// `a4` or `letter`.
    pub paper: Option<handoff_domain::directory::Paper>,
    /// How dates and numbers are written: `en-GB`, `en-US`, `de-DE` …
    #[serde(default)]
    pub locale: Option<handoff_domain::directory::Locale>,
    /// Working days: `mon,tue,wed,thu,fri`.
    #[serde(default)]
    pub workdays: Option<String>,
    /// Working hours: `09:00-17:30`.
    #[serde(default)]
    pub hours: Option<String>,
    pub acting: Acting,
}

/// An away period (named by its first day) that ends on another day, or is cancelled.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AwayCorrectRequest {
    pub person: String,
    /// The first day of the away period to correct.
    pub from: String,
    /// Its new last day; none cancels the period.
    pub to: Option<String>,
    pub reason: String,
    pub acting: Acting,
}

/// A holiday taken off the calendar, and why.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HolidayRemoveRequest {
    pub date: String,
    pub reason: String,
    pub acting: Acting,
}

/// A person's e-mail address, where their calendar invitations go; none removes it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonEmailRequest {
    pub person: String,
    pub email: Option<String>,
    pub acting: Acting,
}

/// A person who has left the agency, and why.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RetireRequest {
    pub person: String,
    pub reason: String,
    pub acting: Acting,
}
