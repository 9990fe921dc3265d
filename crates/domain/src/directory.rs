//! The agency's directory: its name and calendar, its people, each department's lead and ordered
//! named backups, and who is away when. Folded from directory events; small enough to load whole.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, WorkDays, WorkingHours};
use crate::crm::ColumnMapping;
use crate::event::EventBody;
use crate::ids::PersonId;
use crate::keys::Keys;
use crate::RuleError;

/// The longest name, title or customer accepted.
pub const MAX_NAME_CHARS: usize = 200;

/// How many trips a Tuesday review may pick: an agency setting within these bounds.
pub const REVIEW_PICKS: std::ops::RangeInclusive<u8> = 1..=20;

/// A change of the agency's settings and calendar: what is `None` stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsChange {
    pub review_picks: Option<u8>,
    pub review_time: Option<chrono::NaiveTime>,
    pub paper: Option<Paper>,
    pub locale: Option<Locale>,
    pub workdays: Option<WorkDays>,
    pub hours: Option<WorkingHours>,
}

/// A department of the agency.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Department {
    Sales,
    Fulfilment,
    Service,
    /// The escalation of last resort.
    Founder,
}

impl Department {
    /// Every department, in the order handoffs flow.
    pub const ALL: [Department; 4] =
        [Department::Sales, Department::Fulfilment, Department::Service, Department::Founder];

    /// The lower-case name used on the command line and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Department::Sales => "sales",
            Department::Fulfilment => "fulfilment",
            Department::Service => "service",
            Department::Founder => "founder",
        }
    }
}

impl fmt::Display for Department {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text of an unknown department name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown department \"{0}\": use sales, fulfilment, service or founder")]
pub struct UnknownDepartment(pub String);

impl FromStr for Department {
    type Err = UnknownDepartment;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sales" => Ok(Department::Sales),
            "fulfilment" | "fulfillment" => Ok(Department::Fulfilment),
            "service" => Ok(Department::Service),
            "founder" => Ok(Department::Founder),
            _ => Err(UnknownDepartment(s.to_string())),
        }
    }
}

/// Whole days a person is away, inclusive, in the agency's zone.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwayPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl AwayPeriod {
    /// Whether `day` falls inside the period.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// A person of the agency.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub dept: Department,
    pub email: Option<String>,
    pub away: Vec<AwayPeriod>,
    /// Set once the person has left: kept in the history, never assigned again.
    #[serde(default)]
    pub retired: Option<Retirement>,
}

/// When and why a person left the agency.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retirement {
    /// The first day (in the agency's zone) they are gone.
    pub since: NaiveDate,
    pub reason: String,
}

impl Person {
    /// Whether the person is away on `day`: on leave, or gone from the agency by then.
    pub fn is_away(&self, day: NaiveDate) -> bool {
        self.away.iter().any(|p| p.covers(day)) || self.retired.as_ref().is_some_and(|r| day >= r.since)
    }

    /// Refuses a person who has left, for what they can no longer do (`hint`).
    pub fn check_present(&self, hint: &'static str) -> Result<(), RuleError> {
        match &self.retired {
            Some(r) => Err(RuleError::Retired { person: self.name.clone(), since: r.since, hint }),
            None => Ok(()),
        }
    }
}

/// A department's lead and its ordered named backups.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staffing {
    pub lead: Option<PersonId>,
    pub backups: Vec<PersonId>,
}

/// The paper the agency prints on.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    /// US Letter.
    Letter,
}

impl Paper {
    /// Every paper size.
    pub const ALL: [Paper; 2] = [Paper::A4, Paper::Letter];

    /// The word for the paper size.
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }
}

/// How the agency writes dates and numbers on the app's screens: a language and region (a BCP 47
/// tag, as the app's number and date formats take it). The words stay English; the order of day
/// and month, the names of months and the separators follow the locale. A locale added here needs
/// a new event version for the settings that choose it (an older Handoff could not read it).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    #[serde(rename = "en-GB")]
    EnGb,
    #[serde(rename = "en-US")]
    EnUs,
    #[serde(rename = "en-IE")]
    EnIe,
    #[serde(rename = "en-CA")]
    EnCa,
    #[serde(rename = "en-AU")]
    EnAu,
    #[serde(rename = "en-NZ")]
    EnNz,
    #[serde(rename = "de-DE")]
    DeDe,
    #[serde(rename = "fr-FR")]
    FrFr,
    #[serde(rename = "es-ES")]
    EsEs,
    #[serde(rename = "it-IT")]
    ItIt,
    #[serde(rename = "nl-NL")]
    NlNl,
    #[serde(rename = "sv-SE")]
    SvSe,
}

impl Locale {
    /// Every locale an agency can choose.
    pub const ALL: [Locale; 12] = [
        Locale::EnGb,
        Locale::EnUs,
        Locale::EnIe,
        Locale::EnCa,
        Locale::EnAu,
        Locale::EnNz,
        Locale::DeDe,
        Locale::FrFr,
        Locale::EsEs,
        Locale::ItIt,
        Locale::NlNl,
        Locale::SvSe,
    ];

    /// The tag: `en-GB`.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::EnGb => "en-GB",
            Locale::EnUs => "en-US",
            Locale::EnIe => "en-IE",
            Locale::EnCa => "en-CA",
            Locale::EnAu => "en-AU",
            Locale::EnNz => "en-NZ",
            Locale::DeDe => "de-DE",
            Locale::FrFr => "fr-FR",
            Locale::EsEs => "es-ES",
            Locale::ItIt => "it-IT",
            Locale::NlNl => "nl-NL",
            Locale::SvSe => "sv-SE",
        }
    }

    /// How the locale writes a number's thousands and decimals: `(',', '.')` in English,
    /// `('.', ',')` in German, Spanish, Italian and Dutch, a no-break space and a comma in French
    /// and Swedish.
    pub fn number_marks(self) -> (char, char) {
        match self {
            Locale::EnGb | Locale::EnUs | Locale::EnIe | Locale::EnCa | Locale::EnAu | Locale::EnNz => (',', '.'),
            Locale::DeDe | Locale::EsEs | Locale::ItIt | Locale::NlNl => ('.', ','),
            Locale::FrFr | Locale::SvSe => ('\u{a0}', ','),
        }
    }

    /// The locale an agency in `zone` most likely writes in, until it chooses: the United States'
    /// for its zones, Ireland's, Canada's, Australia's, New Zealand's and the big continental
    /// countries' for theirs, else British English.
    pub fn of_zone(zone: &str) -> Locale {
        // The tz database's zones of the United States and Canada; the rest of the Americas
        // (Mexico City, São Paulo, Buenos Aires …) writes the day first.
        const US: [&str; 18] = [
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "America/Phoenix",
            "America/Anchorage",
            "America/Detroit",
            "America/Boise",
            "America/Juneau",
            "America/Sitka",
            "America/Nome",
            "America/Yakutat",
            "America/Metlakatla",
            "America/Adak",
            "America/Menominee",
            "America/Indiana/",
            "America/Kentucky/",
            "America/North_Dakota/",
        ];
        const CANADA: [&str; 16] = [
            "America/Toronto",
            "America/Vancouver",
            "America/Edmonton",
            "America/Winnipeg",
            "America/Halifax",
            "America/Regina",
            "America/St_Johns",
            "America/Moncton",
            "America/Whitehorse",
            "America/Dawson",
            "America/Iqaluit",
            "America/Glace_Bay",
            "America/Goose_Bay",
            "America/Swift_Current",
            "America/Yellowknife",
            "Canada/",
        ];
        let among =
            |list: &[&str]| list.iter().any(|z| if z.ends_with('/') { zone.starts_with(z) } else { zone == *z });
        match zone {
            _ if among(&CANADA) => Locale::EnCa,
            z if among(&US) || z.starts_with("US/") || z == "Pacific/Honolulu" => Locale::EnUs,
            "Europe/Dublin" => Locale::EnIe,
            z if z.starts_with("Australia/") => Locale::EnAu,
            "Pacific/Auckland" => Locale::EnNz,
            "Europe/Berlin" => Locale::DeDe,
            "Europe/Paris" => Locale::FrFr,
            "Europe/Madrid" => Locale::EsEs,
            "Europe/Rome" => Locale::ItIt,
            "Europe/Amsterdam" => Locale::NlNl,
            "Europe/Stockholm" => Locale::SvSe,
            _ => Locale::EnGb,
        }
    }
}

impl FromStr for Locale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().replace('_', "-");
        Locale::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(&wanted)).ok_or_else(|| {
            let known: Vec<&str> = Locale::ALL.iter().map(|l| l.as_str()).collect();
            format!("unknown locale \"{s}\": use one of {}", known.join(", "))
        })
    }
}

impl FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" | "us-letter" => Ok(Paper::Letter),
            _ => Err(format!("unknown paper size \"{s}\": use a4 or letter")),
        }
    }
}

/// The agency itself.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub name: String,
    pub calendar: Calendar,
    /// How many trips the Sales lead may pick at one Tuesday review.
    #[serde(default = "default_review_picks")]
    pub review_picks: u8,
    /// The paper PDFs are laid out for.
    #[serde(default)]
    pub paper: Paper,
    /// When the Tuesday review starts, if the agency chose (else [`crate::invite::REVIEW_TIME`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub review_time: Option<chrono::NaiveTime>,
    /// How dates and numbers are written, if the agency chose (else [`Locale::of_zone`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
}

impl Agency {
    /// How the agency writes dates and numbers: its choice, else the likely one for its zone.
    pub fn locale(&self) -> Locale {
        self.locale.unwrap_or_else(|| Locale::of_zone(self.calendar.zone.name()))
    }

    /// When the Tuesday review starts: the agency's choice, else 10:00; the opening of the
    /// working day when that leaves no room for its 30 minutes (the hours changed since).
    pub fn review_time(&self) -> chrono::NaiveTime {
        let wanted = self.review_time.unwrap_or(crate::invite::REVIEW_TIME);
        if review_fits(&self.calendar, wanted) {
            wanted
        } else {
            self.calendar.hours.start
        }
    }
}

/// The Tuesday review's 30 minutes fit in the working hours from `time`.
fn review_fits(cal: &crate::calendar::Calendar, time: chrono::NaiveTime) -> bool {
    let (end, past_midnight) = time.overflowing_add_signed(chrono::Duration::minutes(crate::review::REVIEW_MINUTES));
    cal.hours.start <= time && past_midnight == 0 && end <= cal.hours.end
}

fn default_review_picks() -> u8 {
    crate::review::DEFAULT_PICKS
}

/// The whole directory, as folded from the log.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub agency: Option<Agency>,
    /// People in the order they were added.
    pub people: Vec<Person>,
    pub staffing: BTreeMap<Department, Staffing>,
    /// Every person's signing keys and every laptop's sealing key, as registered and revoked.
    #[serde(default)]
    pub keys: Keys,
    /// The agency's saved column mappings for CRM exports, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mappings: BTreeMap<String, ColumnMapping>,
}

/// Checks an e-mail address as people write them: one `@` with something on each side and a dot
/// after it, no spaces, at most 254 characters.
pub fn check_email(email: &str) -> Result<(), RuleError> {
    let bad = || RuleError::NotAnEmail(email.to_string());
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let fine = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\",;:".contains(c));
    if fine {
        Ok(())
    } else {
        Err(bad())
    }
}

/// Checks a one-line name-like text: not blank, not absurdly long. Stored verbatim otherwise.
pub fn check_name(what: &'static str, text: &str) -> Result<(), RuleError> {
    if text.trim().is_empty() {
        return Err(RuleError::Empty { what });
    }
    let len = text.chars().count();
    if len > MAX_NAME_CHARS {
        return Err(RuleError::TooLong { what, len, max: MAX_NAME_CHARS });
    }
    Ok(())
}

/// A name as it is kept: verbatim, but in Unicode's composed form (NFC), so "Zoë" typed with a
/// combining diaeresis and "Zoë" typed with the single letter are the same name.
pub fn composed(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfc().collect()
}

/// What a name looks like to the eye: Unicode's confusable skeleton (UTS #39) of its lower-case,
/// trimmed form. "Sam Reyes" and "Sаm Reyes" (a Cyrillic "а") have the same.
pub fn look_of(name: &str) -> String {
    unicode_security::confusable_detection::skeleton(&composed(name.trim()).to_lowercase()).collect()
}

/// A holiday's name as it is kept: a blank name is no name.
pub fn holiday_name(name: Option<String>) -> Option<String> {
    name.filter(|n| !n.trim().is_empty())
}

impl Directory {
    /// The agency, or the error that says to run `init`.
    pub fn agency(&self) -> Result<&Agency, RuleError> {
        self.agency.as_ref().ok_or(RuleError::NoAgency)
    }

    /// The agency calendar.
    pub fn calendar(&self) -> Result<&Calendar, RuleError> {
        Ok(&self.agency()?.calendar)
    }

    /// A person by id.
    pub fn person(&self, id: PersonId) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// A person's name, or their id when unknown (never panics: used in messages).
    pub fn name_of(&self, id: PersonId) -> String {
        self.person(id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string())
    }

    /// People whose name matches `name`, ignoring case, surrounding spaces and how its accents
    /// were typed (composed or combining).
    pub fn people_named(&self, name: &str) -> Vec<&Person> {
        let wanted = composed(name.trim()).to_lowercase();
        self.people.iter().filter(|p| composed(p.name.trim()).to_lowercase() == wanted).collect()
    }

    /// A department's staffing (empty when never set).
    pub fn staffing(&self, dept: Department) -> Staffing {
        self.staffing.get(&dept).cloned().unwrap_or_default()
    }

    /// The founder: the founder department's lead if set, else the first founder added.
    pub fn founder(&self) -> Option<&Person> {
        self.staffing(Department::Founder)
            .lead
            .and_then(|id| self.person(id))
            .or_else(|| self.people.iter().find(|p| p.dept == Department::Founder))
    }

    /// Who leads `dept`: its lead, else — no lead named — every person of it still in the agency.
    pub fn leads_of(&self, dept: Department) -> Vec<PersonId> {
        match self.staffing(dept).lead {
            Some(lead) => vec![lead],
            None => self.people.iter().filter(|p| p.dept == dept && p.retired.is_none()).map(|p| p.id).collect(),
        }
    }

    /// Whether `person` leads a department (see [`Directory::leads_of`]) or is the founder.
    pub fn is_lead(&self, person: PersonId) -> bool {
        Department::ALL.iter().any(|d| self.leads_of(*d).contains(&person))
            || self.founder().is_some_and(|f| f.id == person)
    }

    // ---- decisions ---------------------------------------------------------------------------

    /// Sets up the agency with its name and calendar: refused when there is one already.
    pub fn create(&self, name: String, calendar: Calendar) -> Result<EventBody, RuleError> {
        if let Some(a) = &self.agency {
            return Err(RuleError::AgencyExists(a.name.clone()));
        }
        check_name("the agency name", &name)?;
        Ok(EventBody::AgencyCreated { name, calendar })
    }

    /// Adds a holiday to the calendar (business time skips it); a blank name is no name.
    pub fn add_holiday(&self, date: NaiveDate, name: Option<String>) -> Result<EventBody, RuleError> {
        if self.calendar()?.holidays.contains(&date) {
            return Err(RuleError::DuplicateHoliday(date));
        }
        if let Some(n) = &name {
            if n.chars().count() > MAX_NAME_CHARS {
                return Err(RuleError::TooLong {
                    what: "the holiday's name",
                    len: n.chars().count(),
                    max: MAX_NAME_CHARS,
                });
            }
        }
        Ok(EventBody::HolidayAdded { date, name: holiday_name(name) })
    }

    /// Marks a person away for whole days, `from` to `to` inclusive.
    pub fn set_away(&self, person: PersonId, from: NaiveDate, to: NaiveDate) -> Result<EventBody, RuleError> {
        self.agency()?;
        if to < from {
            return Err(RuleError::AwayEndsBeforeStart { from, to });
        }
        self.person(person).ok_or_else(|| RuleError::UnknownPerson(person.to_string()))?;
        Ok(EventBody::PersonAwaySet { person, from, to })
    }

    /// Corrects the away period of `person` that starts on `from`: it ends on `to` instead, or
    /// is cancelled (no `to`). Says why.
    pub fn correct_away(
        &self,
        person: PersonId,
        from: NaiveDate,
        to: Option<NaiveDate>,
        reason: String,
    ) -> Result<EventBody, RuleError> {
        self.agency()?;
        crate::deal::corrections::check_reason(&reason)?;
        let p = self.person(person).ok_or_else(|| RuleError::UnknownPerson(person.to_string()))?;
        let period = p
            .away
            .iter()
            .rev()
            .find(|a| a.from == from)
            .ok_or_else(|| RuleError::NoAwayPeriod { person: p.name.clone(), from })?;
        if let Some(to) = to {
            if to < from {
                return Err(RuleError::AwayEndsBeforeStart { from, to });
            }
            if to == period.to {
                return Err(RuleError::NothingCorrected(format!("{}'s away period ends on {to} already", p.name)));
            }
        }
        Ok(EventBody::AwayCorrected { person, from, to, reason })
    }

    /// Takes a holiday off the calendar. Says why.
    pub fn remove_holiday(&self, date: NaiveDate, reason: String) -> Result<EventBody, RuleError> {
        crate::deal::corrections::check_reason(&reason)?;
        if !self.calendar()?.holidays.contains(&date) {
            return Err(RuleError::NoHoliday(date));
        }
        Ok(EventBody::HolidayRemoved { date, reason })
    }

    /// Retires a person who has left: kept in the history, never assigned again, and taken off
    /// every department's list of backups. Not the lead of a department or the founder (name
    /// another first). Says why.
    pub fn retire(&self, person: PersonId, reason: String) -> Result<Vec<EventBody>, RuleError> {
        self.agency()?;
        crate::deal::corrections::check_reason(&reason)?;
        let p = self.person(person).ok_or_else(|| RuleError::UnknownPerson(person.to_string()))?;
        p.check_present("they are retired already")?;
        self.check_not_leading(p)?;
        let mut events = vec![EventBody::PersonRetired { person, reason }];
        for (dept, staffing) in &self.staffing {
            if let (Some(lead), true) = (staffing.lead, staffing.backups.contains(&person)) {
                let backups = staffing.backups.iter().copied().filter(|b| *b != person).collect();
                events.push(EventBody::DepartmentStaffed { dept: *dept, lead, backups });
            }
        }
        Ok(events)
    }

    fn check_not_leading(&self, p: &Person) -> Result<(), RuleError> {
        let leads = self.staffing.iter().find(|(_, s)| s.lead == Some(p.id)).map(|(d, _)| d.to_string());
        let founder = (self.founder().map(|f| f.id) == Some(p.id)).then(|| "the agency as its founder".to_string());
        match leads.or(founder) {
            Some(dept) => Err(RuleError::LeadsDepartment { person: p.name.clone(), dept }),
            None => Ok(()),
        }
    }

    /// Saves a column mapping for CRM exports under a name, replacing one of that name; a
    /// mapping saved again as it is changes nothing.
    pub fn save_mapping(&self, name: &str, mapping: ColumnMapping) -> Result<Option<EventBody>, RuleError> {
        self.agency()?;
        let name = composed(name);
        crate::crm::check_mapping_name(&name)?;
        mapping.check()?;
        if self.mappings.get(&name) == Some(&mapping) {
            return Ok(None);
        }
        Ok(Some(EventBody::ImportMappingSaved { name, mapping }))
    }

    /// Changes the agency's settings and calendar: only what is given, at least one thing.
    pub fn change_settings(&self, change: SettingsChange) -> Result<Vec<EventBody>, RuleError> {
        self.agency()?;
        let SettingsChange { review_picks, review_time, paper, locale, workdays, hours } = change;
        if let Some(n) = review_picks.filter(|n| !REVIEW_PICKS.contains(n)) {
            return Err(RuleError::PickLimit(n));
        }
        if let Some(time) = review_time {
            // Against the working hours as they will be after this change.
            let mut cal = self.calendar()?.clone();
            if let Some(h) = hours {
                cal.hours = h;
            }
            if !review_fits(&cal, time) {
                let last = cal.hours.end - chrono::Duration::minutes(crate::review::REVIEW_MINUTES);
                return Err(RuleError::ReviewTimeOutsideHours {
                    time: time.format("%H:%M").to_string(),
                    hours: cal.hours.to_string(),
                    first: cal.hours.start.format("%H:%M").to_string(),
                    last: last.format("%H:%M").to_string(),
                });
            }
        }
        let mut events = Vec::new();
        if review_picks.is_some() || paper.is_some() || review_time.is_some() || locale.is_some() {
            events.push(EventBody::AgencySettingsChanged { review_picks, paper, review_time, locale });
        }
        if workdays.is_some() || hours.is_some() {
            events.push(EventBody::CalendarChanged { workdays, hours });
        }
        if events.is_empty() {
            return Err(RuleError::NothingToChange);
        }
        Ok(events)
    }

    /// Sets (or, with none, removes) a person's e-mail address: where their calendar invitations
    /// go. Still in the agency; an address as people write them (`name@example.com`).
    pub fn set_email(&self, person: PersonId, email: Option<String>) -> Result<EventBody, RuleError> {
        self.agency()?;
        let p = self.person(person).ok_or_else(|| RuleError::UnknownPerson(person.to_string()))?;
        p.check_present("a person who left gets no invitations")?;
        let email = email.map(|e| e.trim().to_string()).filter(|e| !e.is_empty());
        if let Some(e) = &email {
            check_email(e)?;
        }
        if p.email == email {
            let why = match &email {
                Some(e) => format!("{}'s e-mail address is {e} already", p.name),
                None => format!("{} has no e-mail address to remove", p.name),
            };
            return Err(RuleError::NothingCorrected(why));
        }
        Ok(EventBody::PersonEmailSet { person, email })
    }

    /// Adds a person: names are unique in the agency (ignoring case and how accents were typed),
    /// kept composed (NFC); a name that looks like someone's already here ("Sаm Reyes" with a
    /// Cyrillic "а") is refused unless `confirmed_different`.
    pub fn add_person(
        &self,
        id: PersonId,
        name: String,
        dept: Department,
        email: Option<String>,
        confirmed_different: bool,
    ) -> Result<EventBody, RuleError> {
        self.agency()?;
        let name = composed(&name);
        check_name("the name", &name)?;
        if !self.people_named(&name).is_empty() {
            return Err(RuleError::DuplicateName(name.trim().to_string()));
        }
        // An address as `set_email` takes it: trimmed, an empty one is none.
        let email = email.map(|e| e.trim().to_string()).filter(|e| !e.is_empty());
        if let Some(e) = &email {
            check_email(e)?;
        }
        if !confirmed_different {
            let look = look_of(&name);
            if let Some(existing) = self.people.iter().find(|p| look_of(&p.name) == look) {
                return Err(RuleError::LooksLike { name: name.trim().to_string(), existing: existing.name.clone() });
            }
        }
        Ok(EventBody::PersonAdded { person: id, name, dept, email })
    }

    /// Revokes `person`'s signing keys that still count (or the one with `fingerprint`): done by
    /// the holder themselves or by the founder (someone left, or lost a laptop).
    pub fn revoke_signing_keys(
        &self,
        by: Option<PersonId>,
        person: PersonId,
        fingerprint: Option<&str>,
        reason: &str,
    ) -> Result<Vec<EventBody>, RuleError> {
        let name = self.name_of(person);
        let founder = self.founder().map(|f| f.id);
        if by.is_none() || (by != Some(person) && by != founder) {
            return Err(RuleError::NotYourKey {
                person: name,
                by: by.map(|b| self.name_of(b)).unwrap_or_else(|| "nobody named".into()),
            });
        }
        self.keys.revoke_signing_keys(person, &name, fingerprint, reason)
    }

    /// Revokes a laptop's sealing key: done by the founder (the laptop was lost or retired).
    pub fn revoke_device_keys(
        &self,
        by: Option<PersonId>,
        device: crate::ids::DeviceId,
        reason: &str,
    ) -> Result<Vec<EventBody>, RuleError> {
        let founder = self.founder().map(|f| f.id);
        if by.is_none() || by != founder {
            return Err(RuleError::NotTheFounder {
                what: "a laptop's sealing key is revoked",
                by: by.map(|b| self.name_of(b)).unwrap_or_else(|| "nobody named".into()),
            });
        }
        self.keys.revoke_device_keys(device, reason)
    }

    /// Names a department's lead and ordered backups: each is one of the department's own
    /// people (the founder may also be a backup), and nobody is listed twice.
    pub fn staff(&self, dept: Department, lead: PersonId, backups: Vec<PersonId>) -> Result<EventBody, RuleError> {
        self.agency()?;
        let chosen: Vec<&Person> = std::iter::once(&lead)
            .chain(&backups)
            .map(|id| {
                self.person(*id).ok_or_else(|| RuleError::IllegalTransition {
                    event: "department_staffed",
                    reason: format!("unknown person {id}"),
                })
            })
            .collect::<Result<_, _>>()?;
        for (i, p) in chosen.iter().enumerate() {
            p.check_present("name someone still in the agency")?;
            if chosen[..i].iter().any(|q| q.id == p.id) {
                return Err(RuleError::ListedTwice { person: p.name.clone(), dept: dept.to_string() });
            }
            let allowed = p.dept == dept || (dept != Department::Founder && p.dept == Department::Founder && i > 0);
            if !allowed {
                return Err(RuleError::WrongDepartment {
                    person: p.name.clone(),
                    actual: p.dept.to_string(),
                    expected: dept.to_string(),
                    hint: "a department's lead and backups are its own people (the founder may be a backup)",
                });
            }
        }
        Ok(EventBody::DepartmentStaffed { dept, lead, backups })
    }

    /// Folds one directory event that happened at `at`; refuses what the decisions refuse, and
    /// events of other aggregates (no wildcard: a new event kind does not compile until it is
    /// named here).
    pub fn apply(&mut self, event: &EventBody, at: DateTime<Utc>) -> Result<(), RuleError> {
        let illegal = |reason: String| RuleError::IllegalTransition { event: event.name(), reason };
        match event {
            EventBody::AgencyCreated { name, calendar } => {
                if let Some(a) = &self.agency {
                    return Err(RuleError::AgencyExists(a.name.clone()));
                }
                self.agency = Some(Agency {
                    name: name.clone(),
                    calendar: calendar.clone(),
                    review_picks: default_review_picks(),
                    paper: Paper::default(),
                    review_time: None,
                    locale: None,
                });
            }
            EventBody::HolidayAdded { date, .. } => {
                let agency = self.agency.as_mut().ok_or(RuleError::NoAgency)?;
                if !agency.calendar.holidays.insert(*date) {
                    return Err(RuleError::DuplicateHoliday(*date));
                }
            }
            EventBody::PersonAdded { person, name, dept, email } => {
                if self.person(*person).is_some() {
                    return Err(illegal(format!("person {person} exists already")));
                }
                self.people.push(Person {
                    id: *person,
                    name: name.clone(),
                    dept: *dept,
                    email: email.clone(),
                    away: Vec::new(),
                    retired: None,
                });
            }
            EventBody::DepartmentStaffed { dept, lead, backups } => {
                for id in std::iter::once(lead).chain(backups) {
                    match self.person(*id) {
                        None => return Err(illegal(format!("unknown person {id}"))),
                        Some(p) => p.check_present("name someone still in the agency")?,
                    }
                }
                self.staffing.insert(*dept, Staffing { lead: Some(*lead), backups: backups.clone() });
            }
            EventBody::PersonAwaySet { person, from, to } => {
                self.agency.as_ref().ok_or(RuleError::NoAgency)?;
                if from > to {
                    return Err(RuleError::AwayEndsBeforeStart { from: *from, to: *to });
                }
                let p = self
                    .people
                    .iter_mut()
                    .find(|p| p.id == *person)
                    .ok_or_else(|| illegal(format!("unknown person {person}")))?;
                // A set: the same period set on two laptops counts once.
                let period = AwayPeriod { from: *from, to: *to };
                if !p.away.contains(&period) {
                    p.away.push(period);
                }
            }
            EventBody::AwayCorrected { person, from, to, reason } => {
                self.agency.as_ref().ok_or(RuleError::NoAgency)?;
                crate::deal::corrections::check_reason(reason)?;
                let p = self
                    .people
                    .iter_mut()
                    .find(|p| p.id == *person)
                    .ok_or_else(|| illegal(format!("unknown person {person}")))?;
                let index = p
                    .away
                    .iter()
                    .rposition(|a| a.from == *from)
                    .ok_or_else(|| illegal(format!("no away period starts {from}")))?;
                match to {
                    Some(to) if to < from => return Err(RuleError::AwayEndsBeforeStart { from: *from, to: *to }),
                    Some(to) => p.away[index].to = *to,
                    None => {
                        p.away.remove(index);
                    }
                }
            }
            EventBody::HolidayRemoved { date, reason } => {
                crate::deal::corrections::check_reason(reason)?;
                let agency = self.agency.as_mut().ok_or(RuleError::NoAgency)?;
                if !agency.calendar.holidays.remove(date) {
                    return Err(RuleError::NoHoliday(*date));
                }
            }
            EventBody::PersonEmailSet { person, email } => {
                let p = self.people.iter_mut().find(|p| p.id == *person);
                let p = p.ok_or_else(|| illegal(format!("unknown person {person}")))?;
                p.email = email.clone();
            }
            EventBody::PersonRetired { person, reason } => {
                crate::deal::corrections::check_reason(reason)?;
                let since = self.calendar()?.local_date(at);
                let p = self.person(*person).ok_or_else(|| illegal(format!("unknown person {person}")))?;
                p.check_present("they are retired already")?;
                self.check_not_leading(p)?;
                let p = self.people.iter_mut().find(|p| p.id == *person).expect("found above");
                p.retired = Some(Retirement { since, reason: reason.clone() });
            }
            EventBody::ImportMappingSaved { name, mapping } => {
                self.agency()?;
                crate::crm::check_mapping_name(name)?;
                mapping.check()?;
                self.mappings.insert(name.clone(), mapping.clone());
            }
            EventBody::AgencySettingsChanged { review_picks, paper, review_time, locale } => {
                let agency = self.agency.as_mut().ok_or(RuleError::NoAgency)?;
                if let Some(n) = review_picks.filter(|n| !REVIEW_PICKS.contains(n)) {
                    return Err(illegal(format!("{n} picks per review is outside 1 to 20")));
                }
                if let Some(n) = review_picks {
                    agency.review_picks = *n;
                }
                if let Some(p) = paper {
                    agency.paper = *p;
                }
                if let Some(t) = review_time {
                    agency.review_time = Some(*t);
                }
                if let Some(l) = locale {
                    agency.locale = Some(*l);
                }
            }
            EventBody::CalendarChanged { workdays, hours } => {
                let agency = self.agency.as_mut().ok_or(RuleError::NoAgency)?;
                if let Some(w) = workdays {
                    agency.calendar.workdays = *w;
                }
                if let Some(h) = hours {
                    agency.calendar.hours = *h;
                }
            }
            EventBody::SigningKeyRegistered { .. }
            | EventBody::SigningKeyRevoked { .. }
            | EventBody::DeviceKeyRegistered { .. }
            | EventBody::DeviceKeyRevoked { .. } => {
                let people = &self.people;
                self.keys.apply(event, at, |id| people.iter().any(|p| p.id == id))?;
            }
            EventBody::DealAdded { .. }
            | EventBody::DealWon { .. }
            | EventBody::DealLost { .. }
            | EventBody::DealImported { .. }
            | EventBody::FounderEscalated { .. }
            | EventBody::ConflictSettled { .. }
            | EventBody::MeetingStarted { .. }
            | EventBody::BriefSectionWritten { .. }
            | EventBody::BriefSigned { .. }
            | EventBody::MeetingEnded { .. }
            | EventBody::FulfilmentOwnerReassigned { .. }
            | EventBody::TaskCreated { .. }
            | EventBody::TaskCompleted { .. }
            | EventBody::CustomerContacted { .. }
            | EventBody::TripPlanned { .. }
            | EventBody::TravellerAdded { .. }
            | EventBody::TravellerEdited { .. }
            | EventBody::ItineraryItemAdded { .. }
            | EventBody::ItineraryItemEdited { .. }
            | EventBody::ItineraryItemRemoved { .. }
            | EventBody::ServiceHandoffScheduled { .. }
            | EventBody::ServiceOwnerReassigned { .. }
            | EventBody::ServiceCallStarted { .. }
            | EventBody::PreferenceAcknowledged { .. }
            | EventBody::ServiceHandoffCompleted { .. }
            | EventBody::AskLogged { .. }
            | EventBody::SignalRecorded { .. }
            | EventBody::ReviewPicked { .. }
            | EventBody::FollowUpRecorded { .. }
            | EventBody::FollowUpUpdated { .. }
            | EventBody::DealCloseCorrected { .. }
            | EventBody::DealReopened { .. }
            | EventBody::DealEdited { .. }
            | EventBody::ColdOutreachRecorded { .. }
            | EventBody::ColdCallMade { .. }
            | EventBody::ReviewStarted { .. }
            | EventBody::ReviewEnded { .. } => return Err(illegal("not an event of the directory".into())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_parse_both_spellings_and_refuse_others() {
        assert_eq!("Fulfillment".parse::<Department>().unwrap(), Department::Fulfilment);
        assert_eq!(" sales ".parse::<Department>().unwrap(), Department::Sales);
        let err = "ops".parse::<Department>().unwrap_err();
        assert_eq!(err.to_string(), "unknown department \"ops\": use sales, fulfilment, service or founder");
    }

    #[test]
    fn away_periods_are_inclusive() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let p = AwayPeriod { from: d("2026-03-02"), to: d("2026-03-04") };
        assert!(p.covers(d("2026-03-02")) && p.covers(d("2026-03-04")));
        assert!(!p.covers(d("2026-03-01")) && !p.covers(d("2026-03-05")));
    }

    #[test]
    fn an_agency_writes_in_its_zone_s_locale_until_it_chooses_one() {
        for (zone, locale) in [
            ("Europe/London", Locale::EnGb),
            ("America/New_York", Locale::EnUs),
            ("America/Toronto", Locale::EnCa),
            ("Europe/Dublin", Locale::EnIe),
            ("Australia/Sydney", Locale::EnAu),
            ("Europe/Berlin", Locale::DeDe),
            ("Asia/Tokyo", Locale::EnGb),
            ("America/Mexico_City", Locale::EnGb),
            ("America/Sao_Paulo", Locale::EnGb),
            ("America/Indiana/Indianapolis", Locale::EnUs),
            ("America/Regina", Locale::EnCa),
            ("US/Pacific", Locale::EnUs),
        ] {
            assert_eq!(Locale::of_zone(zone), locale, "{zone}");
        }
        let mut d = small_agency();
        assert_eq!(d.agency().unwrap().locale(), Locale::EnGb);
        let events =
            d.change_settings(SettingsChange { locale: Some(Locale::EnUs), ..SettingsChange::default() }).unwrap();
        assert_eq!(events[0].version(), 6, "an older Handoff keeps it as received rather than dropping the locale");
        d.apply(&events[0], Utc::now()).unwrap();
        assert_eq!(d.agency().unwrap().locale(), Locale::EnUs);
        assert_eq!("en_us".parse::<Locale>(), Ok(Locale::EnUs));
        assert!("xx-YY".parse::<Locale>().unwrap_err().contains("use one of en-GB, en-US"));
    }

    fn small_agency() -> Directory {
        let mut d = Directory {
            agency: Some(Agency {
                name: "W".into(),
                calendar: Calendar::new(crate::zone::Zone::known("Europe/London")),
                review_picks: 3,
                paper: Paper::A4,
                review_time: None,
                locale: None,
            }),
            ..Directory::default()
        };
        for (n, name, dept) in [
            (1, "Fay", Department::Fulfilment),
            (2, "Bo", Department::Fulfilment),
            (3, "Sam", Department::Sales),
            (4, "Max", Department::Founder),
        ] {
            d.apply(
                &d.add_person(PersonId(uuid::Uuid::from_u128(n)), name.into(), dept, None, false).unwrap(),
                DateTime::UNIX_EPOCH,
            )
            .unwrap();
        }
        d
    }

    #[test]
    fn a_department_is_staffed_by_its_own_people_once_each() {
        let d = small_agency();
        let id = |n: u128| PersonId(uuid::Uuid::from_u128(n));
        assert!(d.staff(Department::Fulfilment, id(1), vec![id(2), id(4)]).is_ok(), "the founder may be a backup");
        let err = d.staff(Department::Fulfilment, id(1), vec![id(3)]).unwrap_err();
        assert!(err.to_string().starts_with("Sam is in sales, not fulfilment"), "{err}");
        let err = d.staff(Department::Fulfilment, id(1), vec![id(2), id(1)]).unwrap_err();
        assert_eq!(err, RuleError::ListedTwice { person: "Fay".into(), dept: "fulfilment".into() });
        assert!(
            d.staff(Department::Fulfilment, id(4), vec![]).is_err(),
            "the founder does not lead another department"
        );
        let err = d.add_person(id(9), " fay ".into(), Department::Sales, None, false).unwrap_err();
        assert_eq!(err, RuleError::DuplicateName("fay".into()));
    }

    #[test]
    fn names_must_not_be_blank_or_huge_but_are_otherwise_verbatim() {
        assert_eq!(check_name("a name", "  "), Err(RuleError::Empty { what: "a name" }));
        assert!(matches!(check_name("a name", &"x".repeat(201)), Err(RuleError::TooLong { .. })));
        assert_eq!(check_name("a name", "Robert'); DROP TABLE people;--"), Ok(()));
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_agency_is_set_up_once() {
        let empty = Directory::default();
        let created =
            empty.create("Wayfarer".into(), Calendar::new(crate::zone::Zone::known("Europe/London"))).unwrap();
        let mut d = empty.clone();
        d.apply(&created, DateTime::UNIX_EPOCH).unwrap();
        assert_eq!(d.agency().unwrap().name, "Wayfarer");
        let err = d.create("Other".into(), Calendar::new(crate::zone::Zone::known("Europe/Paris"))).unwrap_err();
        assert_eq!(err, RuleError::AgencyExists("Wayfarer".into()));
        assert_eq!(d.clone().apply(&created, DateTime::UNIX_EPOCH), Err(RuleError::AgencyExists("Wayfarer".into())));
        assert!(matches!(
            empty.create(" ".into(), Calendar::new(crate::zone::Zone::known("Europe/London"))),
            Err(RuleError::Empty { .. })
        ));
    }

    #[test]
    fn holidays_are_added_once_and_a_blank_name_is_no_name() {
        let mut d = small_agency();
        let added = d.add_holiday(date("2026-12-25"), Some("  ".into())).unwrap();
        assert_eq!(added, EventBody::HolidayAdded { date: date("2026-12-25"), name: None });
        d.apply(&added, DateTime::UNIX_EPOCH).unwrap();
        assert_eq!(d.add_holiday(date("2026-12-25"), None), Err(RuleError::DuplicateHoliday(date("2026-12-25"))));
        assert_eq!(d.clone().apply(&added, DateTime::UNIX_EPOCH), Err(RuleError::DuplicateHoliday(date("2026-12-25"))));
        assert_eq!(Directory::default().add_holiday(date("2026-12-26"), None), Err(RuleError::NoAgency));
    }

    #[test]
    fn an_away_period_runs_forwards_for_someone_of_the_agency() {
        let d = small_agency();
        let someone = d.people[0].id;
        let err = d.set_away(someone, date("2026-03-05"), date("2026-03-04")).unwrap_err();
        assert_eq!(err, RuleError::AwayEndsBeforeStart { from: date("2026-03-05"), to: date("2026-03-04") });
        let backwards = EventBody::PersonAwaySet { person: someone, from: date("2026-03-05"), to: date("2026-03-04") };
        assert!(d.clone().apply(&backwards, DateTime::UNIX_EPOCH).is_err());
        let nobody = PersonId(uuid::Uuid::from_u128(999));
        assert!(matches!(d.set_away(nobody, date("2026-03-04"), date("2026-03-04")), Err(RuleError::UnknownPerson(_))));
        let mut after = d.clone();
        after
            .apply(&d.set_away(someone, date("2026-03-04"), date("2026-03-06")).unwrap(), DateTime::UNIX_EPOCH)
            .unwrap();
        assert!(after.people[0].is_away(date("2026-03-06")));
    }

    #[test]
    fn settings_change_only_what_is_given_within_their_bounds() {
        let d = small_agency();
        assert_eq!(d.change_settings(SettingsChange::default()), Err(RuleError::NothingToChange));
        let too_many = SettingsChange { review_picks: Some(21), ..SettingsChange::default() };
        assert_eq!(d.change_settings(too_many), Err(RuleError::PickLimit(21)));
        let out_of_bounds =
            EventBody::AgencySettingsChanged { review_picks: Some(0), paper: None, review_time: None, locale: None };
        assert!(d.clone().apply(&out_of_bounds, DateTime::UNIX_EPOCH).is_err());
        let hours: WorkingHours = "08:00-16:00".parse().unwrap();
        let change = SettingsChange { review_picks: Some(5), hours: Some(hours), ..SettingsChange::default() };
        let events = d.change_settings(change).unwrap();
        assert_eq!(
            events,
            vec![
                EventBody::AgencySettingsChanged {
                    review_picks: Some(5),
                    paper: None,
                    review_time: None,
                    locale: None
                },
                EventBody::CalendarChanged { workdays: None, hours: Some(hours) },
            ]
        );
        let mut after = d.clone();
        events.iter().for_each(|e| after.apply(e, DateTime::UNIX_EPOCH).unwrap());
        assert_eq!((after.agency().unwrap().review_picks, after.calendar().unwrap().hours), (5, hours));
    }

    #[test]
    fn the_directory_folds_only_its_own_events() {
        let mut d = small_agency();
        let lost = EventBody::DealLost { deal: crate::ids::DealId(uuid::Uuid::nil()) };
        assert!(matches!(
            d.apply(&lost, DateTime::UNIX_EPOCH),
            Err(RuleError::IllegalTransition { event: "deal_lost", .. })
        ));
    }

    #[test]
    fn keys_are_revoked_by_their_holder_or_the_founder() {
        let mut d = small_agency();
        let id = |n| PersonId(uuid::Uuid::from_u128(n));
        let (fay, bo, sam, max) = (id(1), id(2), id(3), id(4));
        let registered = d.keys.register_signing_key(sam, crate::ids::DeviceId(uuid::Uuid::nil()), &[5; 32]).unwrap();
        d.apply(&registered, DateTime::UNIX_EPOCH).unwrap();
        let err = d.revoke_signing_keys(Some(fay), sam, None, "left").unwrap_err();
        assert_eq!(err.to_string(), "Sam's keys are revoked by Sam or by the founder, not by Fay");
        assert!(d.revoke_signing_keys(None, sam, None, "left").is_err(), "somebody must be named");
        assert!(d.revoke_signing_keys(Some(bo), sam, None, "left").is_err());
        assert_eq!(d.revoke_signing_keys(Some(sam), sam, None, "lost laptop").unwrap().len(), 1);
        assert_eq!(d.revoke_signing_keys(Some(max), sam, None, "left the agency").unwrap().len(), 1);
    }

    #[test]
    fn a_laptops_sealing_key_is_revoked_by_the_founder_only() {
        let mut d = small_agency();
        let id = |n| PersonId(uuid::Uuid::from_u128(n));
        let laptop = crate::ids::DeviceId(uuid::Uuid::from_u128(9));
        let registered = d.keys.register_device_key(laptop, format!("04{}", "ab".repeat(64))).unwrap();
        d.apply(&registered, DateTime::UNIX_EPOCH).unwrap();
        let err = d.revoke_device_keys(Some(id(3)), laptop, "stolen").unwrap_err();
        assert_eq!(err.to_string(), "a laptop's sealing key is revoked by the founder, not by Sam");
        assert_eq!(d.revoke_device_keys(Some(id(4)), laptop, "stolen").unwrap().len(), 1);
    }

    fn at(s: &str) -> DateTime<Utc> {
        format!("{s}T10:00:00Z").parse().unwrap()
    }

    #[test]
    fn an_away_period_is_cancelled_or_ends_on_another_day_with_a_reason() {
        let mut d = small_agency();
        let fay = PersonId(uuid::Uuid::from_u128(1));
        d.apply(&d.set_away(fay, date("2026-03-02"), date("2026-03-06")).unwrap(), at("2026-02-20")).unwrap();
        let why = || "back early: the conference was cancelled".to_string();
        let shorter = d.correct_away(fay, date("2026-03-02"), Some(date("2026-03-03")), why()).unwrap();
        let mut shortened = d.clone();
        shortened.apply(&shorter, at("2026-03-02")).unwrap();
        let p = shortened.person(fay).unwrap();
        assert!(p.is_away(date("2026-03-03")) && !p.is_away(date("2026-03-04")));

        let cancel = d.correct_away(fay, date("2026-03-02"), None, why()).unwrap();
        let mut cancelled = d.clone();
        cancelled.apply(&cancel, at("2026-03-01")).unwrap();
        assert!(cancelled.person(fay).unwrap().away.is_empty());

        let err = d.correct_away(fay, date("2026-03-03"), None, why()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Fay has no away period starting 2026-03-03: give the first day of one of their away periods"
        );
        assert!(matches!(
            d.correct_away(fay, date("2026-03-02"), Some(date("2026-03-01")), why()),
            Err(RuleError::AwayEndsBeforeStart { .. })
        ));
        assert!(matches!(
            d.correct_away(fay, date("2026-03-02"), Some(date("2026-03-06")), why()),
            Err(RuleError::NothingCorrected(_))
        ));
        assert!(matches!(d.correct_away(fay, date("2026-03-02"), None, " ".into()), Err(RuleError::Empty { .. })));
        // The fold refuses what the decision refuses.
        let wrong = EventBody::AwayCorrected { person: fay, from: date("2026-03-09"), to: None, reason: why() };
        assert!(d.clone().apply(&wrong, at("2026-03-01")).is_err());
    }

    #[test]
    fn a_persons_email_address_is_set_checked_and_removed() {
        let mut d = small_agency();
        let fay = PersonId(uuid::Uuid::from_u128(1));
        let set = d.set_email(fay, Some(" fay@wayfarer.example ".into())).unwrap();
        assert_eq!(set, EventBody::PersonEmailSet { person: fay, email: Some("fay@wayfarer.example".into()) });
        d.apply(&set, at("2026-03-01")).unwrap();
        assert_eq!(d.person(fay).unwrap().email.as_deref(), Some("fay@wayfarer.example"));
        assert_eq!(
            d.set_email(fay, Some("fay@wayfarer.example".into())).unwrap_err().to_string(),
            "nothing to correct: Fay's e-mail address is fay@wayfarer.example already"
        );
        for bad in [
            "fay",
            "fay@",
            "@wayfarer.example",
            "fay@wayfarer",
            "fay okafor@wayfarer.example",
            "a@b@c.example",
            "fay@.example",
        ] {
            let err = d.set_email(fay, Some(bad.into())).unwrap_err();
            assert_eq!(err, RuleError::NotAnEmail(bad.into()), "{bad}");
            assert!(err.to_string().ends_with("write it as name@example.com"));
        }
        assert!(matches!(
            d.add_person(
                PersonId(uuid::Uuid::from_u128(9)),
                "Ivy".into(),
                Department::Service,
                Some("ivy".into()),
                false
            ),
            Err(RuleError::NotAnEmail(_))
        ));
        // Removed (an empty address is none); the fold takes it whatever it says.
        let removed = d.set_email(fay, Some("  ".into())).unwrap();
        d.apply(&removed, at("2026-03-02")).unwrap();
        assert_eq!(d.person(fay).unwrap().email, None);
        assert!(matches!(d.set_email(fay, None), Err(RuleError::NothingCorrected(_))));
        let nobody = PersonId(uuid::Uuid::from_u128(99));
        assert!(matches!(d.set_email(nobody, None), Err(RuleError::UnknownPerson(_))));
        assert!(d.clone().apply(&EventBody::PersonEmailSet { person: nobody, email: None }, at("2026-03-02")).is_err());
    }

    #[test]
    fn a_holiday_is_removed_with_a_reason_and_only_if_it_is_one() {
        let mut d = small_agency();
        d.apply(&d.add_holiday(date("2026-12-25"), None).unwrap(), at("2026-01-01")).unwrap();
        let removed = d.remove_holiday(date("2026-12-25"), "we open on Christmas this year".into()).unwrap();
        let mut after = d.clone();
        after.apply(&removed, at("2026-02-01")).unwrap();
        assert!(after.calendar().unwrap().holidays.is_empty());
        assert_eq!(
            after.remove_holiday(date("2026-12-25"), "again".into()),
            Err(RuleError::NoHoliday(date("2026-12-25")))
        );
        assert!(after.clone().apply(&removed, at("2026-02-02")).is_err(), "the fold refuses it twice");
        assert!(matches!(d.remove_holiday(date("2026-12-25"), "".into()), Err(RuleError::Empty { .. })));
    }

    #[test]
    fn a_retired_person_is_never_assigned_again_and_leads_nothing() {
        let mut d = small_agency();
        let id = |n: u128| PersonId(uuid::Uuid::from_u128(n));
        d.apply(&d.staff(Department::Fulfilment, id(1), vec![id(2)]).unwrap(), at("2026-01-01")).unwrap();
        // The lead and the founder stay until someone else is named.
        let err = d.retire(id(1), "left for a competitor".into()).unwrap_err();
        assert_eq!(err.to_string(), "Fay leads fulfilment: name another lead first, then retire them");
        assert!(matches!(d.retire(id(4), "sold the agency".into()), Err(RuleError::LeadsDepartment { .. })));

        let retire = d.retire(id(2), "left for a competitor".into()).unwrap();
        assert_eq!(
            retire[1],
            EventBody::DepartmentStaffed { dept: Department::Fulfilment, lead: id(1), backups: vec![] },
            "taken off the backups"
        );
        for e in &retire {
            d.apply(e, at("2026-03-02")).unwrap();
        }
        assert!(d.staffing(Department::Fulfilment).backups.is_empty());
        // Were he still listed (an older log), he would be skipped all the same.
        d.staffing.get_mut(&Department::Fulfilment).unwrap().backups = vec![id(2)];
        let retire = retire[0].clone();
        let bo = d.person(id(2)).unwrap();
        assert_eq!(bo.retired, Some(Retirement { since: date("2026-03-02"), reason: "left for a competitor".into() }));
        assert!(!bo.is_away(date("2026-03-01")) && bo.is_away(date("2026-03-02")));
        // With Fay away, the retired backup is skipped: the founder is named, never Bo.
        d.apply(&d.set_away(id(1), date("2026-03-09"), date("2026-03-13")).unwrap(), at("2026-03-02")).unwrap();
        let a = crate::assignment::assign(&d, Department::Fulfilment, date("2026-03-10")).unwrap();
        assert_eq!((a.person, a.because), (id(4), crate::assignment::AssignedBecause::Escalated));
        // Never named again, never retired twice; the fold refuses both too.
        let err = d.staff(Department::Fulfilment, id(1), vec![id(2)]).unwrap_err();
        assert_eq!(err.to_string(), "Bo has left the agency (since 2026-03-02): name someone still in the agency");
        assert!(matches!(d.retire(id(2), "again".into()), Err(RuleError::Retired { .. })));
        assert!(d.clone().apply(&retire, at("2026-03-03")).is_err());
        let staffed = EventBody::DepartmentStaffed { dept: Department::Fulfilment, lead: id(1), backups: vec![id(2)] };
        assert!(d.clone().apply(&staffed, at("2026-03-03")).is_err());
        // Still in the history under their name.
        assert_eq!(d.name_of(id(2)), "Bo");
    }

    #[test]
    fn names_are_kept_composed_and_a_lookalike_needs_confirming() {
        let d = small_agency();
        let id = PersonId(uuid::Uuid::from_u128(9));
        // "Zoë" typed with a combining diaeresis is kept as the single letter.
        let EventBody::PersonAdded { name, .. } =
            d.add_person(id, "Zoe\u{308} Ba".into(), Department::Sales, None, false).unwrap()
        else {
            panic!("a person added")
        };
        assert_eq!(name, "Zo\u{eb} Ba");
        let mut with_zoe = d.clone();
        with_zoe
            .apply(
                &EventBody::PersonAdded { person: id, name, dept: Department::Sales, email: None },
                DateTime::UNIX_EPOCH,
            )
            .unwrap();
        let err = with_zoe
            .add_person(PersonId(uuid::Uuid::from_u128(10)), "zoe\u{308} ba".into(), Department::Sales, None, true)
            .unwrap_err();
        assert_eq!(err, RuleError::DuplicateName("zo\u{eb} ba".into()), "the same name however its accent was typed");
        // "Sаm" with a Cyrillic "а" looks like Sam: refused unless confirmed.
        let err = d.add_person(id, "S\u{430}m".into(), Department::Sales, None, false).unwrap_err();
        assert!(matches!(&err, RuleError::LooksLike { existing, .. } if existing == "Sam"), "{err}");
        assert!(err.to_string().contains("looks like Sam"), "{err}");
        assert!(d.add_person(id, "S\u{430}m".into(), Department::Sales, None, true).is_ok());
        assert!(
            d.add_person(id, "Sami".into(), Department::Sales, None, false).is_ok(),
            "a different name is not a lookalike"
        );
    }
}
