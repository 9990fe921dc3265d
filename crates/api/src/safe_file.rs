//! Writing a file a person named, safely: never over an existing file unless asked, and then only
//! over a regular file (never through a link, over a folder or a device); through a temporary
//! file created exclusively in the same folder, flushed, renamed into place, and the folder
//! flushed — so a failed or killed write leaves nothing behind and a finished one survives a
//! power cut.

use std::path::Path;

use tempfile::NamedTempFile;

use crate::{ApiError, ErrorCode};

/// Refuses an output file that exists (unless `force`, and then only a regular file: never a
/// link, a folder or a device) or whose folder does not, before anything is made or registered.
pub(crate) fn check_target(out: &Path, force: bool) -> Result<(), ApiError> {
    match std::fs::symlink_metadata(out) {
        Ok(_) if !force => {
            return Err(ApiError::new(
                ErrorCode::FileExists,
                format!("{} already exists: choose another name, or replace it", out.display()),
            ))
        }
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(ApiError::invalid(format!(
                "{} is not a regular file (a link, a folder or a device): only a file is replaced; choose another name",
                out.display()
            )))
        }
        _ => {}
    }
    let folder = folder_of(out);
    if !folder.is_dir() {
        return Err(ApiError::invalid(format!("the folder {} does not exist: create it first", folder.display())));
    }
    Ok(())
}

fn folder_of(out: &Path) -> &Path {
    out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The error for a file that could not be written.
pub(crate) fn write_failed(out: &Path, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Storage, format!("cannot write {}: {e}", out.display()))
}

/// Makes `out` with `fill`, which writes the content into a temporary file (created exclusively,
/// with a fresh random name, in `out`'s folder; `fill` may also reopen it by its path). Then the
/// file is flushed, checked again, renamed over `out`, and the folder flushed. Refuses to
/// replace an existing file unless `force`, and anything but a regular file always.
pub(crate) fn write_atomically(
    out: &Path,
    force: bool,
    fill: impl FnOnce(&mut NamedTempFile) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    check_target(out, force)?;
    let folder = folder_of(out);
    let fail = |e: std::io::Error| write_failed(out, e);
    let mut tmp = tempfile::Builder::new().prefix(".handoff-").suffix(".part").tempfile_in(folder).map_err(fail)?;
    fill(&mut tmp)?;
    tmp.as_file().sync_all().map_err(fail)?;
    // Checked again just before the rename: what appeared meanwhile is not replaced unasked.
    check_target(out, force)?;
    tmp.persist(out).map_err(|e| fail(e.error))?;
    #[cfg(unix)]
    std::fs::File::open(folder).and_then(|f| f.sync_all()).map_err(fail)?;
    Ok(())
}

/// A database file to build or check something in, beside the real one, removed when dropped —
/// with the journal files SQLite keeps beside it (`-wal`, `-shm`, `-journal`), which a failed
/// disk may have left.
pub(crate) struct ScratchDatabase {
    file: NamedTempFile,
}

impl ScratchDatabase {
    /// A new, empty scratch file in `folder` (where the real database is, so it can be renamed or
    /// copied within one disk); `what` names it for anyone who finds one.
    pub(crate) fn in_folder(folder: &Path, what: &str) -> Result<ScratchDatabase, ApiError> {
        let file = tempfile::Builder::new()
            .prefix(&format!(".handoff-{what}-"))
            .suffix(".db")
            .tempfile_in(folder)
            .map_err(|e| write_failed(folder, e))?;
        Ok(ScratchDatabase { file })
    }

    pub(crate) fn path(&self) -> &Path {
        self.file.path()
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut companion = self.file.path().as_os_str().to_owned();
            companion.push(suffix);
            let _ = std::fs::remove_file(companion);
        }
    }
}

/// The folder `file` is in ("." for a bare name).
pub(crate) fn folder_of_file(file: &Path) -> &Path {
    folder_of(file)
}
