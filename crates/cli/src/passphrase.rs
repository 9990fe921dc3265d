//! Where a passphrase comes from on the command line: the terminal (typed, never echoed) or
//! `--passphrase-file FILE` (`-` for standard input). Never an argument or an environment
//! variable, which other users and shell histories can read.

use std::io::Read;
use std::path::Path;

use handoff_api::{ApiError, ErrorCode};

/// The most a passphrase file may hold.
const MAX_FILE_BYTES: u64 = 4096;

/// The passphrase in `file` (`-` for standard input): its first line, without the line end.
pub fn from_file(file: &Path) -> Result<String, ApiError> {
    let mut text = String::new();
    let read = if file.as_os_str() == "-" {
        std::io::stdin().lock().take(MAX_FILE_BYTES + 1).read_to_string(&mut text)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_string(&mut text))
    };
    let name = if file.as_os_str() == "-" { "standard input".to_string() } else { file.display().to_string() };
    read.map_err(|e| ApiError::invalid(format!("cannot read the passphrase from {name}: {e}")))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(ApiError::invalid(format!(
            "{name} holds more than {MAX_FILE_BYTES} bytes: a passphrase file holds the passphrase on one line"
        )));
    }
    let line = text.lines().next().unwrap_or_default().to_string();
    if line.is_empty() {
        return Err(ApiError::invalid(format!("{name} holds no passphrase: write it on the first line")));
    }
    Ok(line)
}

/// Asks on the terminal, without echo, saying `why` first; twice when `confirm` (a new
/// passphrase). Without a terminal, the refusal says `why` and that there is none.
pub fn ask(why: &str, confirm: bool) -> Result<String, ApiError> {
    let no_terminal = |_: std::io::Error| {
        ApiError::new(ErrorCode::PassphraseNeeded, format!("{why}, and there is no terminal to ask for it on"))
    };
    let prompt = if confirm { format!("{why}.\nNew passphrase: ") } else { format!("{why}.\nPassphrase: ") };
    let first = rpassword::prompt_password(prompt).map_err(no_terminal)?;
    if confirm {
        let again = rpassword::prompt_password("The same passphrase again: ").map_err(no_terminal)?;
        if again != first {
            return Err(ApiError::invalid("the two passphrases differ: nothing was made; try again"));
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_file_gives_its_first_line_and_refuses_an_empty_or_huge_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p");
        std::fs::write(&file, "correct horse battery\r\nignored\n").unwrap();
        assert_eq!(from_file(&file).unwrap(), "correct horse battery");
        std::fs::write(&file, "\n").unwrap();
        assert!(from_file(&file).unwrap_err().message.contains("holds no passphrase"));
        std::fs::write(&file, "x".repeat(5000)).unwrap();
        assert!(from_file(&file).unwrap_err().message.contains("more than 4096 bytes"));
        assert!(from_file(&dir.path().join("missing")).unwrap_err().message.contains("cannot read the passphrase"));
    }
}
