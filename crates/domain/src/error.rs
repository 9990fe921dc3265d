//! The one error type of the domain: a refused action. Every message says what is wrong and,
//! where there is one, how to put it right; callers show it as it is.

use chrono::NaiveDate;

use crate::calendar::CalendarError;
use crate::money::MoneyError;

/// Why the rules refused an action (or a fold refused an event).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("there is no agency in this database yet: run `handoff init --agency NAME --timezone ZONE` first")]
    NoAgency,
    #[error("this database already holds the agency \"{0}\"; use another --db for another agency")]
    AgencyExists(String),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error("{what} is empty: give it some text")]
    Empty { what: &'static str },
    #[error("{what} is {len} characters long; at most {max} are allowed")]
    TooLong { what: &'static str, len: usize, max: usize },
    #[error("there is already a person named \"{0}\": give the new person a different name (e.g. add a surname)")]
    DuplicateName(String),
    #[error("{person} is in {actual}, not {expected}: {hint}")]
    WrongDepartment { person: String, actual: String, expected: String, hint: &'static str },
    #[error("{person} is listed twice for {dept}: name each person once (lead first, then backups in order)")]
    ListedTwice { person: String, dept: String },
    #[error("the away period ends ({to}) before it starts ({from}): give --from on or before --to")]
    AwayEndsBeforeStart { from: NaiveDate, to: NaiveDate },
    #[error("holiday {0} is already in the calendar")]
    DuplicateHoliday(NaiveDate),
    #[error("the trip ends ({end}) before it starts ({start}): check --trip-start and --trip-end")]
    TripEndsBeforeStart { start: NaiveDate, end: NaiveDate },
    #[error("nobody can take this {dept} handoff on {day}: the lead and every backup are away and the agency has no founder; add one with `handoff person add --dept founder`")]
    NoFounder { dept: String, day: NaiveDate },
    #[error("deal \"{deal}\" is {status}; {hint}")]
    WrongStatus { deal: String, status: String, hint: String },
    #[error("deal \"{deal}\": {what} ({at}) cannot be before {before} ({before_at})")]
    OutOfOrder { deal: String, what: &'static str, at: String, before: &'static str, before_at: String },
    #[error("{person} cannot sign the brief of \"{deal}\": only the Sales author ({sales}) and the Fulfilment owner ({fulfilment}) sign it")]
    NotASigner { deal: String, person: String, sales: String, fulfilment: String },
    #[error("{person} already signed this version of the brief of \"{deal}\" at {at}")]
    AlreadySigned { deal: String, person: String, at: String },
    #[error("the handoff of \"{deal}\" cannot end yet: {missing}; sign with `handoff brief sign DEAL --as PERSON`")]
    SignaturesMissing { deal: String, missing: String },
    #[error("deal \"{deal}\" is already owned by {person} in fulfilment; name someone else with --to")]
    SameOwner { deal: String, person: String },
    #[error("task \"{task}\" was already done at {at}")]
    TaskAlreadyDone { task: String, at: String },
    #[error("event {event} cannot apply: {reason}")]
    IllegalTransition { event: &'static str, reason: String },
}
