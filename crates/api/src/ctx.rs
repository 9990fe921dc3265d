//! The context every use case runs in: the store and the clock. The clock is the only place the
//! time of day comes from, so tests and benchmarks pass a fixed one.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, SubsecRound, Utc};
use handoff_store::Store;

use crate::laptop_keys::LaptopKeys;
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

/// The store, the clock and this laptop's keys folder, shared by all use cases. `Sync`, so the
/// desktop app can hold one.
pub struct Ctx {
    store: Mutex<Store>,
    clock: Arc<dyn Clock>,
    keys: Result<LaptopKeys, ApiError>,
    /// Held by a sync (and by joining and leaving) from start to end: one at a time, so a sync in
    /// the background and one from a button never interleave what they record of how it went.
    sync_turn: Mutex<()>,
}

impl Ctx {
    /// Opens the database at `path` (creating it only when `create`) with the system clock.
    pub fn open(path: &Path, create: bool) -> Result<Ctx, ApiError> {
        Self::open_with_clock(path, create, Arc::new(SystemClock))
    }

    /// Opens the database at `path` with the given clock. When `create`, a missing folder is
    /// made readable by its owner only (0700), as the new database file is (0600).
    pub fn open_with_clock(path: &Path, create: bool, clock: Arc<dyn Clock>) -> Result<Ctx, ApiError> {
        if create {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
                let mut builder = std::fs::DirBuilder::new();
                builder.recursive(true);
                #[cfg(unix)]
                std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
                builder.create(parent).map_err(|e| {
                    ApiError::new(
                        crate::ErrorCode::Storage,
                        format!("cannot create the folder {}: {e}", parent.display()),
                    )
                })?;
            }
        }
        Ok(Ctx {
            store: Mutex::new(Store::open(path, create)?),
            clock,
            keys: LaptopKeys::of_this_user(),
            sync_turn: Mutex::default(),
        })
    }

    /// Opens the existing database at `path` for reading only (nothing is written to it; a
    /// read-only file can be read), with the system clock.
    pub fn open_read_only(path: &Path) -> Result<Ctx, ApiError> {
        Ok(Ctx {
            store: Mutex::new(Store::open_read_only(path)?),
            clock: Arc::new(SystemClock),
            keys: LaptopKeys::of_this_user(),
            sync_turn: Mutex::default(),
        })
    }

    /// A context on another database file (made when missing) with this one's clock and keys: a
    /// scratch copy to build something in before it replaces this database whole.
    pub(crate) fn beside(&self, path: &Path) -> Result<Ctx, ApiError> {
        Ok(Ctx {
            store: Mutex::new(Store::open(path, true)?),
            clock: self.clock.clone(),
            keys: self.keys.clone(),
            sync_turn: Mutex::default(),
        })
    }

    /// The same context, keeping keys in `keys` instead of this user's keys folder.
    pub fn with_keys(self, keys: LaptopKeys) -> Ctx {
        Ctx { keys: Ok(keys), ..self }
    }

    /// The turn to sync: waits while another sync of this context runs.
    pub(crate) fn sync_turn(&self) -> std::sync::MutexGuard<'_, ()> {
        self.sync_turn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// This laptop's keys folder.
    pub fn keys(&self) -> Result<&LaptopKeys, ApiError> {
        self.keys.as_ref().map_err(Clone::clone)
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
