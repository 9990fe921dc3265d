//! Files the window points at, opened from the Rust side: an exported PDF or a saved calendar
//! invitation (opened, or shown in its folder) and the database the app could not open (shown in
//! its folder). The window gets no
//! opener or file-system permission of its own, and only these files are ever shown.

use std::path::{Path, PathBuf};

use handoff_api::{ApiError, ErrorCode};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_opener::OpenerExt;

use crate::DatabaseProblem;

/// What the window shows instead of the app when the database could not be opened.
#[derive(Serialize, specta::Type)]
pub struct DatabaseProblemDto {
    /// The file, when one was named.
    pub path: Option<String>,
    pub error: ApiError,
}

/// Why the database could not be opened, if it could not.
pub fn database_problem(app: &AppHandle) -> Option<DatabaseProblemDto> {
    let problem = app.try_state::<DatabaseProblem>()?;
    Some(DatabaseProblemDto {
        path: problem.path.as_ref().map(|p| p.display().to_string()),
        error: problem.error.clone(),
    })
}

/// Shows the database the app could not open in its folder.
pub fn reveal_database(app: &AppHandle) -> Result<(), ApiError> {
    let path = app
        .try_state::<DatabaseProblem>()
        .and_then(|p| p.path.clone())
        .filter(|p| p.exists())
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "there is no database file to show"))?;
    app.opener()
        .reveal_item_in_dir(path)
        .map_err(|e| ApiError::new(ErrorCode::Storage, format!("the folder could not be shown: {e}")))
}

/// A file the app wrote: one of its kind (`extension`), and still there.
fn exported(path: &Path, extension: &str, what: &str) -> Result<PathBuf, ApiError> {
    let of_kind = path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension));
    if !of_kind || !path.is_file() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("{} is not {what} on this computer; save it again", path.display()),
        ));
    }
    Ok(path.to_path_buf())
}

fn opener_error(what: &str) -> impl Fn(tauri_plugin_opener::Error) -> ApiError + '_ {
    move |e| ApiError::new(ErrorCode::Storage, format!("{what} could not be opened: {e}"))
}

/// Opens the system's print dialog over the window: the page's print styles leave only what the
/// window laid out to print (the brief's or the pack's pages).
pub fn print_window(webview: &tauri::Webview) -> Result<(), ApiError> {
    webview.print().map_err(|e| ApiError::new(ErrorCode::Storage, format!("the print dialog could not open: {e}")))
}

/// Opens an exported PDF in the default viewer.
pub fn open_pdf(app: &AppHandle, path: &Path) -> Result<(), ApiError> {
    let pdf = exported(path, "pdf", "an exported PDF")?;
    app.opener().open_path(pdf.to_string_lossy(), None::<&str>).map_err(opener_error("the PDF"))
}

/// Shows an exported PDF in its folder.
pub fn reveal_pdf(app: &AppHandle, path: &Path) -> Result<(), ApiError> {
    app.opener().reveal_item_in_dir(exported(path, "pdf", "an exported PDF")?).map_err(opener_error("the PDF"))
}

/// Opens a saved calendar invitation in the default calendar.
pub fn open_invite(app: &AppHandle, path: &Path) -> Result<(), ApiError> {
    let ics = exported(path, "ics", "a saved calendar invitation")?;
    app.opener().open_path(ics.to_string_lossy(), None::<&str>).map_err(opener_error("the invitation"))
}

/// Shows a saved calendar invitation in its folder.
pub fn reveal_invite(app: &AppHandle, path: &Path) -> Result<(), ApiError> {
    let ics = exported(path, "ics", "a saved calendar invitation")?;
    app.opener().reveal_item_in_dir(ics).map_err(opener_error("the invitation"))
}
