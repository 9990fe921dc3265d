//! The committed TypeScript bindings (ui/src/bindings.ts) match the Rust commands and DTOs.
//! `UPDATE_BINDINGS=1 cargo test -p handoff-app --test bindings` rewrites them.

use std::path::Path;

#[test]
fn typescript_bindings_are_up_to_date() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let fresh = std::env::temp_dir().join(format!("handoff-bindings-{}.ts", std::process::id()));
    handoff_app_lib::export_bindings(&fresh).expect("export the bindings");
    let fresh_text = std::fs::read_to_string(&fresh).unwrap();
    let _ = std::fs::remove_file(&fresh);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh_text).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        old == fresh_text,
        "ui/src/bindings.ts is out of date: run `UPDATE_BINDINGS=1 cargo test -p handoff-app --test bindings` and commit it"
    );
}
