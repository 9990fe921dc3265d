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

    /// How far this clock is set from the system's on purpose (`HANDOFF_CLOCK_OFFSET`), in whole
    /// seconds; none for a clock that follows the system's or stands still.
    fn offset_seconds(&self) -> Option<i64> {
        None
    }
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system clock moved by a fixed amount: the app and the command line run at another moment
/// when `HANDOFF_CLOCK_OFFSET` says so (the app's end-to-end tests run them on a fixed Tuesday
/// morning; the window takes its "now" from the app, so all agree).
pub struct ShiftedClock(pub chrono::Duration);

impl ShiftedClock {
    /// The clock `HANDOFF_CLOCK_OFFSET` asks for: whole seconds to add to the system clock
    /// (negative for the past). None when it is not set; an error saying what is wrong when it is
    /// not a whole number of seconds within a thousand years.
    pub fn from_env() -> Result<Option<ShiftedClock>, String> {
        match std::env::var_os("HANDOFF_CLOCK_OFFSET") {
            None => Ok(None),
            Some(raw) => Self::from_offset(&raw.to_string_lossy()).map(Some),
        }
    }

    /// The clock `text` (whole seconds, as `HANDOFF_CLOCK_OFFSET` holds them) asks for.
    pub fn from_offset(text: &str) -> Result<ShiftedClock, String> {
        const THOUSAND_YEARS: i64 = 1000 * 366 * 86_400;
        let secs: i64 = text.trim().parse().map_err(|_| {
            format!("HANDOFF_CLOCK_OFFSET is {text:?}: give whole seconds to add to the clock, such as -86400 for a day ago, or unset it")
        })?;
        if secs.unsigned_abs() > THOUSAND_YEARS.unsigned_abs() {
            return Err(format!("HANDOFF_CLOCK_OFFSET is {secs} seconds, more than a thousand years: give a smaller offset, or unset it"));
        }
        Ok(ShiftedClock(chrono::Duration::seconds(secs)))
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.0
    }

    fn offset_seconds(&self) -> Option<i64> {
        Some(self.0.num_seconds())
    }
}

/// The system clock, or the one `HANDOFF_CLOCK_OFFSET` asks for.
fn system_clock() -> Result<Arc<dyn Clock>, ApiError> {
    Ok(match ShiftedClock::from_env().map_err(ApiError::invalid)? {
        Some(shifted) => Arc::new(shifted),
        None => Arc::new(SystemClock),
    })
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
    /// Opens the database at `path` (creating it only when `create`) with the system clock, moved
    /// by `HANDOFF_CLOCK_OFFSET` when that is set (see [`ShiftedClock::from_env`]).
    pub fn open(path: &Path, create: bool) -> Result<Ctx, ApiError> {
        Self::open_with_clock(path, create, system_clock()?)
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
            clock: system_clock()?,
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

    /// How far `HANDOFF_CLOCK_OFFSET` sets this context's clock from the system's, in seconds,
    /// when it does: everything recorded here is stamped at that moment, so it is shown.
    pub fn clock_offset_seconds(&self) -> Option<i64> {
        self.clock.offset_seconds()
    }

    /// The store, locked for this use case (one writer per process).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves SQLite consistent (the transaction rolled back).
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What time the app's clock says it is (RFC 3339, UTC), so the window's running clocks (the
/// meeting's, the call's, the review's, how long a won deal has waited) count from the same
/// "now" as every rule.
pub fn clock_now(ctx: &Ctx) -> Result<String, ApiError> {
    Ok(ctx.now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_runs_with_the_system_clock_its_offset_ahead_or_behind() {
        let week_back = ShiftedClock::from_offset(" -604800 ").unwrap();
        let before = Utc::now();
        let shifted = week_back.now();
        let after = Utc::now();
        assert!(shifted >= before - chrono::Duration::days(7) && shifted <= after - chrono::Duration::days(7));
        let ahead = ShiftedClock::from_offset("+3600").unwrap().now();
        assert!(ahead > Utc::now() + chrono::Duration::minutes(59));
    }

    #[test]
    fn clock_now_says_the_time_of_the_contexts_clock() {
        let dir = tempfile::tempdir().unwrap();
        let at: DateTime<Utc> = "2026-11-24T10:12:00Z".parse().unwrap();
        let ctx = Ctx::open_with_clock(&dir.path().join("handoff.db"), true, Arc::new(FixedClock(at))).unwrap();
        assert_eq!(clock_now(&ctx).unwrap(), "2026-11-24T10:12:00.000Z");
    }

    #[test]
    fn an_offset_that_is_not_whole_seconds_or_is_absurd_is_refused_saying_what_to_give() {
        for bad in ["", "1.5", "a day", "3600s"] {
            let e = ShiftedClock::from_offset(bad).err().unwrap();
            assert!(e.contains("give whole seconds"), "{bad:?}: {e}");
        }
        for absurd in ["99999999999", "-99999999999", &i64::MIN.to_string(), &i64::MAX.to_string()] {
            let e = ShiftedClock::from_offset(absurd).err().unwrap();
            assert!(e.contains("more than a thousand years"), "{absurd}: {e}");
        }
    }
}
