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
            RuleError::TooLong { .. } => ErrorCode::TooLarge,
            RuleError::Calendar(_) | RuleError::Money(_) | RuleError::Empty { .. } => ErrorCode::InvalidInput,
            RuleError::AwayEndsBeforeStart { .. } | RuleError::TripEndsBeforeStart { .. } => ErrorCode::InvalidInput,
            RuleError::NoAgency => ErrorCode::NoDatabase,
            _ => ErrorCode::Refused,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::Missing(_) => ErrorCode::NoDatabase,
            StoreError::NewerDatabase { .. } | StoreError::NotHandoff(_) | StoreError::Unreadable(..) => {
                ErrorCode::IncompatibleDatabase
            }
            StoreError::Busy => ErrorCode::Busy,
            StoreError::Rule(rule) => return ApiError::from(rule.clone()),
            StoreError::Sqlite(_) | StoreError::UnreadableEvent(_) => ErrorCode::Storage,
        };
        ApiError::new(code, e.to_string())
    }
}
