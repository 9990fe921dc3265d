//! The core (domain, store, api) speaks plainly to every front end: no message it writes names a
//! command of the `handoff` command line or one of its flags. The CLI adds its own hints (the
//! command to run) and the desktop app its own (where to click), both keyed by the error code.

use std::path::{Path, PathBuf};

/// The string literals of `source`, outside comments, up to its first `#[cfg(test)]`.
fn string_literals(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or_default();
    let mut literals = Vec::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '\'' => {
                // A char literal ('"', '\'') or a lifetime: skip what cannot open a string.
                let mut ahead = chars.clone();
                match (ahead.next(), ahead.next(), ahead.next()) {
                    (Some('\\'), Some(_), Some('\'')) => {
                        chars.nth(2);
                    }
                    (Some(_), Some('\''), _) => {
                        chars.nth(1);
                    }
                    _ => {}
                }
            }
            '"' => {
                let mut text = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        c => text.push(c),
                    }
                }
                literals.push(text);
            }
            _ => {}
        }
    }
    literals
}

/// What in `text` belongs to the command line: a `handoff …` command, or a `--flag`.
fn front_end_syntax(text: &str) -> Option<String> {
    if let Some(i) = text.find("`handoff") {
        return Some(text[i..].chars().take(40).collect());
    }
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2)).find_map(|i| {
        let starts_word = i == 0 || matches!(bytes[i - 1], b' ' | b'(' | b'`' | b'"' | b'\'');
        (starts_word && &bytes[i..i + 2] == b"--" && bytes[i + 2].is_ascii_lowercase())
            .then(|| text[i..].chars().take(30).collect())
    })
}

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "tests" {
                sources(&path, found);
            }
        } else if name.ends_with(".rs") && !matches!(name.as_str(), "tests.rs" | "fixtures.rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_core_message_names_a_command_or_a_flag() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["crates/domain/src", "crates/store/src", "crates/api/src"] {
        sources(&root.join(krate), &mut files);
    }
    assert!(files.len() > 20, "found the core's sources");
    let mut offenders = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for literal in string_literals(&source) {
            if let Some(syntax) = front_end_syntax(&literal) {
                offenders.push(format!("{}: \"{syntax}…\"", file.strip_prefix(&root).unwrap().display()));
            }
        }
    }
    assert!(offenders.is_empty(), "front-end syntax in core messages:\n{}", offenders.join("\n"));
}

#[test]
fn the_scan_sees_commands_and_flags_and_nothing_else() {
    let source = r#"
        // a comment naming `handoff init` is fine
        let a = "run `handoff init` first";
        let b = "give --from on or before --to";
        let c = "a - b -- c, 09:00-17:30, wait—then";
        let d = '"';
        #[cfg(test)]
        let e = "tests may say `handoff x`";
    "#;
    let found: Vec<Option<String>> = string_literals(source).iter().map(|s| front_end_syntax(s)).collect();
    assert_eq!(found, vec![Some("`handoff init` first".into()), Some("--from on or before --to".into()), None]);
}
