//! Opening an exported PDF, or showing it in its folder, from the Rust side: the window gets no
//! opener or file-system permission of its own, and only PDF files that exist are ever opened.

use std::path::{Path, PathBuf};

use handoff_api::{ApiError, ErrorCode};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

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
