//! The context every use case runs in: the store and the clock. The clock is the only place the
//! time of day comes from, so tests and benchmarks pass a fixed one.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, SubsecRound, Utc};
use handoff_store::Store;

use crate::ApiError;

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same instant (for tests, demos and benchmarks).
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The store and the clock, shared by all use cases. `Sync`, so the desktop app can hold one.
pub struct Ctx {
    store: Mutex<Store>,
    clock: Arc<dyn Clock>,
}

impl Ctx {
    /// Opens the database at `path` (creating it only when `create`) with the system clock.
    pub fn open(path: &Path, create: bool) -> Result<Ctx, ApiError> {
        Self::open_with_clock(path, create, Arc::new(SystemClock))
    }

    /// Opens the database at `path` with the given clock.
    pub fn open_with_clock(path: &Path, create: bool, clock: Arc<dyn Clock>) -> Result<Ctx, ApiError> {
        Ok(Ctx { store: Mutex::new(Store::open(path, create)?), clock })
    }

    /// The current instant, from the context's clock, to the microsecond (what the log keeps).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now().trunc_subsecs(6)
    }

    /// The store, locked for this use case (one writer per process).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves SQLite consistent (the transaction rolled back).
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
