//! The error every use case returns: a stable code a caller can branch on and a message a person
//! can act on. It crosses IPC and `--json` output as `{ "code": "...", "message": "..." }`.

use handoff_domain::RuleError;
use handoff_store::StoreError;
use serde::{Deserialize, Serialize};

/// What kind of failure, for callers that branch on it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A person, deal or task that does not exist.
    NotFound,
    /// A name that matches more than one person or deal.
    Ambiguous,
    /// Input that could not be read (a date, an amount, a file).
    InvalidInput,
    /// A time more than five minutes in the future.
    FutureTime,
    /// Too large (a section, a file).
    TooLarge,
    /// The rules refuse the action in the deal's current state.
    Refused,
    /// There is no database yet.
    NoDatabase,
    /// The database is from a newer Handoff, or not a Handoff database.
    IncompatibleDatabase,
    /// Another process holds the write lock for too long.
    Busy,
    /// Anything else from storage.
    Storage,
    /// An SQLite file that is not a Handoff database (left untouched).
    NotAHandoffDatabase,
    /// Nobody can take a handoff: everyone is away and there is no founder.
    NoFounder,
    /// The handoff meeting cannot end: a signature is missing or stale.
    SignaturesMissing,
    /// Signing or ending needs the handoff meeting to have started.
    NotInMeeting,
    /// The handoff meeting has started already.
    AlreadyInMeeting,
    /// Acknowledging needs the service handoff call to have started.
    NotInServiceCall,
    /// The trip's dates are not known yet.
    NoTripDates,
    /// A preference that is empty cannot be acknowledged.
    NothingToAcknowledge,
    /// A follow-up needs a pick at a Tuesday review.
    NotPicked,
    /// Follow-up calls need a Sales lead.
    NoSalesLead,
    /// The output file exists and replacing it was not asked for.
    FileExists,
    /// The system reports no data folder for the default database: one must be named.
    NoDataFolder,
    /// The person has no signing key on this laptop (or none the log still counts).
    NoSigningKey,
    /// The person's key on this laptop is protected by a passphrase, and none was given.
    PassphraseNeeded,
    /// The passphrase does not open the key.
    WrongPassphrase,
    /// The key was revoked: it signs nothing new.
    KeyRevoked,
    /// The database can be read but not written (a read-only file, folder or disk).
    ReadOnlyDatabase,
    /// A new name looks like someone's already in the agency: confirm it is someone else.
    LooksLikeSomeone,
    /// Events from another laptop are stamped too far ahead of this laptop's clock.
    ClockAhead,
    /// Another laptop holds a different version of an event this laptop has: the logs disagree.
    LogsDisagree,
    /// An export's columns cannot be read without a column mapping (or with the one given).
    MappingNeeded,
    /// This laptop has not joined a sync hub.
    NotJoined,
    /// The hub cannot be reached: this laptop works offline and sends its changes later.
    Offline,
    /// The hub does not know (or revoked) this laptop's token.
    TokenRefused,
    /// The hub refused what this laptop sent or asked.
    HubRefused,
    /// The database holds another agency than the hub carries.
    OtherAgency,
}

/// A failed use case.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into() }
    }

    /// Input that could not be read.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
}

impl From<RuleError> for ApiError {
    fn from(e: RuleError) -> Self {
        let code = match &e {
            RuleError::TooLong { .. } | RuleError::BriefOverOnePage { .. } => ErrorCode::TooLarge,
            RuleError::Calendar(_) | RuleError::Money(_) | RuleError::Empty { .. } => ErrorCode::InvalidInput,
            RuleError::AwayEndsBeforeStart { .. } | RuleError::TripEndsBeforeStart { .. } => ErrorCode::InvalidInput,
            RuleError::NoAgency => ErrorCode::NoDatabase,
            RuleError::NothingToChange | RuleError::NothingCorrected(_) => ErrorCode::InvalidInput,
            RuleError::NotTuesday(_) | RuleError::NotAnEmail(_) => ErrorCode::InvalidInput,
            RuleError::MappingIncomplete { .. } | RuleError::MappingNoWonValues | RuleError::CrmWinUnknown { .. } => {
                ErrorCode::InvalidInput
            }
            RuleError::NoAwayPeriod { .. } | RuleError::NoHoliday(_) => ErrorCode::NotFound,
            RuleError::LooksLike { .. } => ErrorCode::LooksLikeSomeone,
            RuleError::NoFounder { .. } => ErrorCode::NoFounder,
            RuleError::SignaturesMissing { .. } => ErrorCode::SignaturesMissing,
            RuleError::NotInMeeting { .. } => ErrorCode::NotInMeeting,
            RuleError::AlreadyInMeeting { .. } => ErrorCode::AlreadyInMeeting,
            RuleError::NotInServiceCall { .. } => ErrorCode::NotInServiceCall,
            RuleError::NoTripDates { .. } => ErrorCode::NoTripDates,
            RuleError::NothingToAcknowledge { .. } => ErrorCode::NothingToAcknowledge,
            RuleError::NotPicked { .. } => ErrorCode::NotPicked,
            RuleError::NoSalesLead => ErrorCode::NoSalesLead,
            RuleError::NoSigningKey { .. } | RuleError::NoDeviceKey { .. } => ErrorCode::NoSigningKey,
            RuleError::KeyRevoked { .. } => ErrorCode::KeyRevoked,
            RuleError::UnknownPerson(_) => ErrorCode::NotFound,
            RuleError::AgencyExists(_)
            | RuleError::DuplicateName(_)
            | RuleError::WrongDepartment { .. }
            | RuleError::ListedTwice { .. }
            | RuleError::DuplicateHoliday(_)
            | RuleError::WrongStatus { .. }
            | RuleError::OutOfOrder { .. }
            | RuleError::NotASigner { .. }
            | RuleError::BriefIncomplete { .. }
            | RuleError::NoInvite { .. }
            | RuleError::AlreadyContacted { .. }
            | RuleError::NotTheBriefWriter { .. }
            | RuleError::AlreadySigned { .. }
            | RuleError::SameOwner { .. }
            | RuleError::TaskAlreadyDone { .. }
            | RuleError::NoSuch { .. }
            | RuleError::TripNotStarted { .. }
            | RuleError::TripNotEnded { .. }
            | RuleError::ItemOutsideTrip { .. }
            | RuleError::StrengthOutOfRange(_)
            | RuleError::AlreadyAcknowledged { .. }
            | RuleError::ChecklistOpen { .. }
            | RuleError::OutsideWindow { .. }
            | RuleError::TooManyPicks { .. }
            | RuleError::AlreadyPicked { .. }
            | RuleError::FollowUpAlreadyDone { .. }
            | RuleError::RenewedIntoItself { .. }
            | RuleError::ReviewNotYet { .. }
            | RuleError::ReviewPassed { .. }
            | RuleError::ReviewAlreadyStarted { .. }
            | RuleError::ReviewNotStarted { .. }
            | RuleError::ReviewAlreadyEnded { .. }
            | RuleError::ReviewEndsBeforeStart { .. }
            | RuleError::RenewalsExceedAttempts { .. }
            | RuleError::OutreachInFuture { .. }
            | RuleError::PickLimit(_)
            | RuleError::ReviewTimeOutsideHours { .. }
            | RuleError::KeyExists
            | RuleError::NotYourKey { .. }
            | RuleError::NotTheFounder { .. }
            | RuleError::NotALead { .. }
            | RuleError::ConflictSettledAlready { .. }
            | RuleError::CannotTakeOther { .. }
            | RuleError::Retired { .. }
            | RuleError::LeadsDepartment { .. }
            | RuleError::IllegalTransition { .. } => ErrorCode::Refused,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::Missing(_) => ErrorCode::NoDatabase,
            StoreError::NotHandoff(_) | StoreError::EmptyFile(_) => ErrorCode::NotAHandoffDatabase,
            StoreError::NewerDatabase { .. } | StoreError::Unreadable(..) => ErrorCode::IncompatibleDatabase,
            StoreError::Busy => ErrorCode::Busy,
            StoreError::ReadOnly | StoreError::NeedsUpdate(_) => ErrorCode::ReadOnlyDatabase,
            StoreError::Rule(rule) => return ApiError::from(rule.clone()),
            StoreError::Sqlite(_) | StoreError::UnreadableEvent(_) | StoreError::Disk(_) | StoreError::DiskFull => {
                ErrorCode::Storage
            }
            StoreError::Received(_) => ErrorCode::InvalidInput,
            StoreError::Mismatch(_) => ErrorCode::LogsDisagree,
            StoreError::Clock(_) => ErrorCode::ClockAhead,
        };
        ApiError::new(code, e.to_string())
    }
}
