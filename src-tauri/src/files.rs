//! Files the window points at, opened from the Rust side: an exported PDF (opened, or shown in its
//! folder) and the database the app could not open (shown in its folder). The window gets no
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

fn exported_pdf(path: &Path) -> Result<PathBuf, ApiError> {
    let is_pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if !is_pdf || !path.is_file() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("{} is not an exported PDF on this computer; export it again", path.display()),
        ));
    }
    Ok(path.to_path_buf())
}

fn opener_error(e: tauri_plugin_opener::Error) -> ApiError {
    ApiError::new(ErrorCode::Storage, format!("the PDF could not be opened: {e}"))
}

/// Opens an exported PDF in the default viewer.
pub fn open_pdf(app: &AppHandle, path: &Path) -> Result<(), ApiError> {
    app.opener().open_path(exported_pdf(path)?.to_string_lossy(), None::<&str>).map_err(opener_error)
}

/// Shows an exported PDF in its folder.
pub fn reveal_pdf(app: &AppHandle, path: &Path) -> Result<(), ApiError> {
    app.opener().reveal_item_in_dir(exported_pdf(path)?).map_err(opener_error)
}
