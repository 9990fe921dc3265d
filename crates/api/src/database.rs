//! The database file itself: which file the app and the CLI open (`--db`, else `$HANDOFF_DB`,
//! else the desktop app's data folder, named after its identifier), folding the whole log into
//! the read tables again, and checking the file.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::dto::RebuildResponse;
use crate::{ApiError, Ctx, ErrorCode};

/// The identifier of the desktop app; its data folder is named after it.
pub const APP_IDENTIFIER: &str = "app.handoff.desktop";

/// The database the desktop app uses, and the CLI by default: `handoff.db` in the OS app-data
/// folder (`~/.local/share/app.handoff.desktop/` on Linux, `~/Library/Application Support/…` on
/// macOS, `%APPDATA%\…` on Windows). `None` when the OS reports no data folder.
fn default_database_path() -> Option<PathBuf> {
    Some(dirs::data_dir()?.join(APP_IDENTIFIER).join("handoff.db"))
}

/// The environment variable that names the database when `--db` does not.
const DATABASE_ENV: &str = "HANDOFF_DB";

/// The database the app and the CLI open: `explicit` (their `--db PATH`) when given, else
/// `$HANDOFF_DB` when it is set and not empty, else `handoff.db` in the OS app-data folder
/// (`~/.local/share/app.handoff.desktop/` on Linux). Refused when none of them names a file (the
/// OS reports no data folder).
pub fn database_path(explicit: Option<PathBuf>) -> Result<PathBuf, ApiError> {
    choose_database(explicit, std::env::var_os(DATABASE_ENV), default_database_path)
}

fn choose_database(
    explicit: Option<PathBuf>,
    env: Option<OsString>,
    default: impl FnOnce() -> Option<PathBuf>,
) -> Result<PathBuf, ApiError> {
    explicit.or_else(|| env.filter(|p| !p.is_empty()).map(PathBuf::from)).or_else(default).ok_or_else(|| {
        ApiError::new(ErrorCode::NoDataFolder, "this system reports no data folder: name the database file to use")
    })
}

/// Empties the read tables and folds the whole log into them again; then checks the file.
pub fn rebuild(ctx: &Ctx) -> Result<RebuildResponse, ApiError> {
    let mut store = ctx.store();
    let events = store.rebuild()?;
    Ok(RebuildResponse { events, integrity: store.integrity_check()? })
}

/// `PRAGMA integrity_check` of the database: "ok" when sound.
pub fn integrity_check(ctx: &Ctx) -> Result<String, ApiError> {
    Ok(ctx.store().integrity_check()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default() -> Option<PathBuf> {
        Some(PathBuf::from("data/app.handoff.desktop/handoff.db"))
    }

    #[test]
    fn db_comes_first_then_handoff_db_then_the_app_data_folder() {
        let env = Some(OsString::from("env.db"));
        assert_eq!(choose_database(Some("given.db".into()), env.clone(), default).unwrap(), PathBuf::from("given.db"));
        assert_eq!(choose_database(None, env, default).unwrap(), PathBuf::from("env.db"));
        assert_eq!(choose_database(None, None, default).unwrap(), default().unwrap());
    }

    #[test]
    fn an_empty_handoff_db_counts_as_unset() {
        assert_eq!(choose_database(None, Some(OsString::new()), default).unwrap(), default().unwrap());
    }

    #[test]
    fn without_a_data_folder_the_database_must_be_named() {
        let err = choose_database(None, Some(OsString::new()), || None).unwrap_err();
        assert_eq!(err.code, ErrorCode::NoDataFolder);
        assert!(err.message.contains("name the database file to use"), "{}", err.message);
    }
}
