#!/usr/bin/env bash
# Every test of Handoff: formatting, lints (warnings are errors), unit tests beside the code,
# property tests, and the acceptance tests that drive the real `handoff` binary against real
# SQLite files (including the SIGKILL durability test). Run from anywhere in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_build
ensure_components rustfmt clippy
ensure_apt poppler-utils
ensure_cargo_tool cargo-nextest cargo-nextest

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "Building every binary the tests drive"
cargo build --workspace --locked

say "Tests"
cargo nextest run --workspace --locked --no-fail-fast --failure-output final
cargo test --workspace --locked --doc --quiet

say "All tests passed"
