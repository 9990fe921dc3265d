#!/usr/bin/env bash
# Handoff's main job: installs what the desktop app needs, builds it, and launches it on the
# local database in the OS app-data folder (created on first run). Run from anywhere in the
# repository. Pass `--db FILE` to open another database file.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_app
build_ui
say "Building the Handoff app"
cargo build --locked -p handoff-app -p handoff-cli
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  die "no display to open the window on: run this in a desktop session (or set DISPLAY)"
fi
say "Launching Handoff"
exec target/debug/handoff-app "$@"
