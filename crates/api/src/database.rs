//! The database file itself: where it lives by default (the desktop app's data folder, named
//! after its identifier), folding the whole log into the read tables again, and checking the file.

use crate::dto::RebuildResponse;
use crate::{ApiError, Ctx};

/// The identifier of the desktop app; its data folder is named after it.
pub const APP_IDENTIFIER: &str = "app.handoff.desktop";

/// The database the desktop app uses, and the CLI by default: `handoff.db` in the OS app-data
/// folder (`~/.local/share/app.handoff.desktop/` on Linux, `~/Library/Application Support/…` on
/// macOS, `%APPDATA%\…` on Windows). `None` when the OS reports no data folder.
pub fn default_database_path() -> Option<std::path::PathBuf> {
    Some(dirs::data_dir()?.join(APP_IDENTIFIER).join("handoff.db"))
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
