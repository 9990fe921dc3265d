//! The one error type of the domain: a refused action. Every message says what is wrong and,
//! where there is one, how to put it right; callers show it as it is.

use chrono::NaiveDate;

use crate::calendar::CalendarError;
use crate::money::MoneyError;

/// Why the rules refused an action (or a fold refused an event).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("there is no agency in this database yet: set one up first, with its name and time zone")]
    NoAgency,
    #[error("this database already holds the agency \"{0}\": another agency needs a database of its own")]
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
    #[error("the away period ends ({to}) before it starts ({from}): its first day must be on or before its last")]
    AwayEndsBeforeStart { from: NaiveDate, to: NaiveDate },
    #[error("holiday {0} is already in the calendar")]
    DuplicateHoliday(NaiveDate),
    #[error("the trip ends ({end}) before it starts ({start}): check the trip's start and end dates")]
    TripEndsBeforeStart { start: NaiveDate, end: NaiveDate },
    #[error("nobody can take this {dept} handoff on {day}: the lead and every backup are away and the agency has no founder")]
    NoFounder { dept: String, day: NaiveDate },
    #[error("deal \"{deal}\" is {status}; {hint}")]
    WrongStatus { deal: String, status: String, hint: String },
    #[error("deal \"{deal}\": {what} ({at}) cannot be before {before} ({before_at})")]
    OutOfOrder { deal: String, what: &'static str, at: String, before: &'static str, before_at: String },
    #[error("{person} cannot sign the brief of \"{deal}\": only the Sales author ({sales}) and the Fulfilment owner ({fulfilment}) sign it")]
    NotASigner { deal: String, person: String, sales: String, fulfilment: String },
    #[error("the brief of \"{deal}\" cannot be signed yet: {missing} not written — write each one during the meeting (a section with nothing to say says so in words, such as \"none known\")")]
    BriefIncomplete { deal: String, missing: String },
    #[error("{person} cannot write the brief of \"{deal}\": Sales writes it, live in the meeting ({sales} for this deal), and {person} is in {dept}")]
    NotTheBriefWriter { deal: String, person: String, sales: String, dept: &'static str },
    #[error("{person} already signed this version of the brief of \"{deal}\" at {at}")]
    AlreadySigned { deal: String, person: String, at: String },
    #[error("the handoff of \"{deal}\" cannot end yet: {missing}")]
    SignaturesMissing { deal: String, missing: String },
    #[error("deal \"{deal}\" is already owned by {person} in {dept}: name someone else")]
    SameOwner { deal: String, person: String, dept: &'static str },
    #[error("task \"{task}\" was already done at {at}")]
    TaskAlreadyDone { task: String, at: String },
    #[error("deal \"{deal}\" has no {what} \"{name}\"")]
    NoSuch { deal: String, what: &'static str, name: String },
    #[error("there is no person {0} in the agency")]
    UnknownPerson(String),
    #[error("there is nothing to invite to for \"{deal}\" yet: {why}")]
    NoInvite { deal: String, why: String },
    #[error("{0}")]
    NotTuesday(String),
    #[error("the customer of \"{deal}\" was first contacted {at} already: the first contact is what counts")]
    AlreadyContacted { deal: String, at: String },
    #[error("\"{0}\" is not an e-mail address: write it as name@example.com")]
    NotAnEmail(String),
    #[error("deal \"{deal}\" has no trip {what} yet: set the trip's dates first")]
    NoTripDates { deal: String, what: &'static str },
    #[error("the trip of \"{deal}\" has not started yet (it starts {starts}): asks are logged during the trip")]
    TripNotStarted { deal: String, starts: String },
    #[error("the trip of \"{deal}\" has not ended yet (its last day is {last_day}): record the signal once the travellers are back")]
    TripNotEnded { deal: String, last_day: NaiveDate },
    #[error("itinerary day {day} is outside the trip ({start} to {end}): check the date or change the trip's dates")]
    ItemOutsideTrip { day: NaiveDate, start: NaiveDate, end: NaiveDate },
    #[error("strength {0} is outside 1–5: 1 is a faint signal, 5 a strong one")]
    StrengthOutOfRange(u8),
    #[error("{traveller} has no {topic} preference to acknowledge")]
    NothingToAcknowledge { traveller: String, topic: String },
    #[error("{traveller}'s {topic} preference is already acknowledged as it reads now")]
    AlreadyAcknowledged { traveller: String, topic: String },
    #[error("the service handoff of \"{deal}\" cannot complete yet: still to acknowledge — {missing}")]
    ChecklistOpen { deal: String, missing: String },
    #[error("the trip of \"{deal}\" ended on {end}, outside the review of {review} (trips that ended {first} to {last}); it belongs to the review of {belongs}")]
    OutsideWindow {
        deal: String,
        end: NaiveDate,
        review: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
        belongs: NaiveDate,
    },
    #[error("the review of {review} already has {limit} picks, the agency's limit: the Sales lead picks the strongest {limit}")]
    TooManyPicks { review: NaiveDate, limit: u8 },
    #[error("deal \"{deal}\" was already picked at the review of {review}")]
    AlreadyPicked { deal: String, review: NaiveDate },
    #[error("deal \"{deal}\" was not picked at a Tuesday review: the follow-up call comes from a pick")]
    NotPicked { deal: String },
    #[error("the follow-up of \"{deal}\" is already recorded as {outcome}: give another outcome or renewed deal to change it")]
    FollowUpAlreadyDone { deal: String, outcome: String },
    #[error("deal \"{deal}\" cannot be its own renewal: name the new deal the customer booked")]
    RenewedIntoItself { deal: String },
    #[error("the agency has no Sales lead to make follow-up calls: name the Sales lead first")]
    NoSalesLead,
    #[error("the review of {review} is held from that Tuesday on: start it then")]
    ReviewNotYet { review: NaiveDate },
    #[error("the review of {review} is over (a week has passed): start the review of {next}")]
    ReviewPassed { review: NaiveDate, next: NaiveDate },
    #[error("the review of {review} started at {at} already")]
    ReviewAlreadyStarted { review: NaiveDate, at: String },
    #[error("the review of {review} has not started: start it first")]
    ReviewNotStarted { review: NaiveDate },
    #[error("the review of {review} ended at {at} already")]
    ReviewAlreadyEnded { review: NaiveDate, at: String },
    #[error("the review of {review} cannot end at {at}, before it started at {started}")]
    ReviewEndsBeforeStart { review: NaiveDate, at: String, started: String },
    #[error(
        "the cold outreach batch has {renewals} renewals from {attempts} attempts: renewals cannot exceed attempts"
    )]
    RenewalsExceedAttempts { attempts: u32, renewals: u32 },
    #[error("cold outreach on {date} is after today ({today}): record calls once they are made")]
    OutreachInFuture { date: chrono::NaiveDate, today: chrono::NaiveDate },
    #[error("the review limit must be between 1 and 20 picks (got {0})")]
    PickLimit(u8),
    #[error("a Tuesday review at {time} would not fit its 30 minutes in the working hours {hours}: choose a time from {first} to {last}")]
    ReviewTimeOutsideHours { time: String, hours: String, first: String, last: String },
    #[error("nothing to change: give the picks per review, the review time, the paper size, the working days or the working hours")]
    NothingToChange,
    #[error("the column mapping does not say which column holds {missing}: name a column for each")]
    MappingIncomplete { missing: String },
    #[error("the column mapping names a stage column but no won values: say which stage or status values mean won (such as \"Closed Won\")")]
    MappingNoWonValues,
    #[error("{crm} reports record {record} won, but no deal in Handoff has that record and the delivery does not give {missing}: bring the CRM's open deals in from an export first (so a win finds its deal), or send won deals with their details through Handoff's own webhook")]
    CrmWinUnknown { crm: String, record: String, missing: String },
    #[error("nothing to correct: {0}")]
    NothingCorrected(String),
    #[error("{person} has left the agency (since {since}): {hint}")]
    Retired { person: String, since: NaiveDate, hint: &'static str },
    #[error("{person} leads {dept}: name another lead first, then retire them")]
    LeadsDepartment { person: String, dept: String },
    #[error("{person} has no away period starting {from}: give the first day of one of their away periods")]
    NoAwayPeriod { person: String, from: NaiveDate },
    #[error("{0} is not a holiday of the agency's calendar")]
    NoHoliday(NaiveDate),
    #[error("deal \"{deal}\": the brief runs {over_percent}% over its one page even in the smallest type: shorten the longest sections, sign it again, then end the meeting")]
    BriefOverOnePage { deal: String, over_percent: u32 },
    #[error("\"{name}\" looks like {existing}, who is in the agency already (the same letters to the eye, in other characters); add them only if they really are someone else, and say so")]
    LooksLike { name: String, existing: String },
    #[error("deal \"{deal}\" is already in its handoff meeting (started {started}): carry on — write the brief, both sign it, then end the meeting")]
    AlreadyInMeeting { deal: String, started: String },
    #[error("deal \"{deal}\" is not in its handoff meeting: {doing} — start the meeting first")]
    NotInMeeting { deal: String, doing: &'static str },
    #[error("deal \"{deal}\" is not in its service handoff call: start the call first")]
    NotInServiceCall { deal: String },
    #[error("{person} has no signing key registered for this: a key is made on the laptop they sign on, and signs only for them")]
    NoSigningKey { person: String },
    #[error("{person}'s signing key {fingerprint} is revoked: it signs nothing new; make a new key")]
    KeyRevoked { person: String, fingerprint: String },
    #[error("{person}'s keys are revoked by {person} or by the founder, not by {by}")]
    NotYourKey { person: String, by: String },
    #[error("{what} by the founder, not by {by}")]
    NotTheFounder { what: &'static str, by: String },
    #[error("this key is registered already")]
    KeyExists,
    #[error("the laptop {device} has no sealing key that still counts")]
    NoDeviceKey { device: String },
    #[error("{person} cannot settle a conflict: a department lead or the founder settles it")]
    NotALead { person: String },
    #[error("this conflict was settled already by {by} at {at} ({how}); nothing more to settle")]
    ConflictSettledAlready { by: String, at: String, how: &'static str },
    #[error("{why}")]
    CannotTakeOther { why: String },
    #[error("event {event} cannot apply: {reason}")]
    IllegalTransition { event: &'static str, reason: String },
}
