//! The app's own command line, read before any window or display is touched: `--db FILE`, and
//! `--help` and `--version`, which print and leave (so they work over SSH or in a script).
//! Anything else is left to what starts the app (a WebDriver, the desktop) and ignored.

use std::ffi::OsString;
use std::path::PathBuf;

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Start {
    /// Run the app, on this database when one is named.
    App { db: Option<PathBuf> },
    /// Print this and leave.
    Print(String),
    /// Say this on standard error and leave with a failure.
    Refuse(String),
}

const USAGE: &str = "\
Handoff — nothing a travel agency has promised falls between its departments.

Usage: handoff-app [--db FILE]

Options:
      --db FILE    The database to open [default: $HANDOFF_DB, else handoff.db in this
                   user's data folder for app.handoff.desktop]
  -h, --help       Print this help and leave
  -V, --version    Print the version and leave

The same database can be used from the command line with `handoff`; `handoff --help` lists what it does.
";

/// Reads the arguments after the program's name.
pub fn read(args: impl IntoIterator<Item = OsString>) -> Start {
    let mut args = args.into_iter();
    let mut db = None;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("-h" | "--help") => return Start::Print(USAGE.to_string()),
            Some("-V" | "--version") => return Start::Print(format!("handoff-app {}\n", env!("CARGO_PKG_VERSION"))),
            Some("--db") => match args.next() {
                Some(path) if !path.is_empty() => db = Some(PathBuf::from(path)),
                _ => return Start::Refuse("error: --db needs a file: handoff-app --db FILE\n".to_string()),
            },
            Some(other) if other.starts_with("--db=") => {
                db = Some(PathBuf::from(&other["--db=".len()..]));
            }
            _ => {}
        }
    }
    Start::App { db }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_words(words: &[&str]) -> Start {
        read(words.iter().map(OsString::from))
    }

    #[test]
    fn help_and_version_print_and_leave() {
        assert!(matches!(read_words(&["--help"]), Start::Print(t) if t.contains("Usage: handoff-app [--db FILE]")));
        assert!(matches!(read_words(&["--db", "a.db", "-h"]), Start::Print(_)));
        assert!(matches!(read_words(&["--version"]), Start::Print(t) if t.starts_with("handoff-app ")));
    }

    #[test]
    fn db_names_the_database_and_anything_else_is_left_to_the_launcher() {
        assert_eq!(read_words(&["--db", "x.db"]), Start::App { db: Some("x.db".into()) });
        assert_eq!(read_words(&["--db=y.db"]), Start::App { db: Some("y.db".into()) });
        assert_eq!(read_words(&["--automation"]), Start::App { db: None });
        assert!(matches!(read_words(&["--db"]), Start::Refuse(t) if t.contains("--db needs a file")));
    }
}
