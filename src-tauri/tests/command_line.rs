//! The app's command line, run as a user would: `--help` and `--version` answer without a display.

use std::process::Command;

fn app() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_handoff-app"));
    c.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    c
}

#[test]
fn help_and_version_work_without_a_display() {
    let out = app().arg("--help").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Usage: handoff-app [--db FILE]") && text.contains("--version"), "{text}");

    let out = app().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("handoff-app {}\n", env!("CARGO_PKG_VERSION")));

    let out = app().arg("--db").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--db needs a file"));
}
