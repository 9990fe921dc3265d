#!/usr/bin/env bash
# Every test of Handoff: formatting, lints (warnings are errors), the UI's type check and unit
# tests, Rust unit and property tests, the acceptance tests that drive the real `handoff` binary
# against real SQLite files (including the SIGKILL durability test), the check that the committed
# TypeScript bindings match the Rust commands, and the real desktop app driven end to end under
# Xvfb through WebDriver. Run from anywhere in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_app
ensure_components rustfmt clippy
ensure_apt poppler-utils xvfb xauth webkit2gtk-driver xdotool dbus gnome-keyring iproute2 util-linux fiu-utils postgresql openssl python3-icalendar python3-pil faketime strace
ensure_cargo_tool cargo-nextest cargo-nextest
ensure_cargo_tool tauri-driver tauri-driver
# CI builds once from scratch: incremental artefacts would only cost time and disk.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

# Every process the tests start inherits this mark. Whatever still runs when this script ends (a
# daemon a test forgot, an app a failed end-to-end test left behind) is named and stopped, so
# nothing outlives the run holding its output open. Only bash builtins read /proc here, so the
# search never finds itself.
export HANDOFF_TEST_RUN="$$.$RANDOM$RANDOM"
stop_strays() {
  local environ pid entries cmdline strays=()
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
    mapfile -d '' entries 2>/dev/null <"$environ" || continue
    [[ " ${entries[*]} " == *" HANDOFF_TEST_RUN=$HANDOFF_TEST_RUN "* ]] || continue
    mapfile -d '' cmdline 2>/dev/null <"/proc/$pid/cmdline" || true
    printf 'warning: a process the tests started was still running; stopping it: %s %s\n' "$pid" "${cmdline[*]:-?}" >&2
    strays+=("$pid")
  done
  [ ${#strays[@]} -eq 0 ] && return 0
  kill -TERM "${strays[@]}" 2>/dev/null || true
  sleep 1
  kill -KILL "${strays[@]}" 2>/dev/null || true
}

# A throwaway PostgreSQL cluster for the hub's tests: in a temporary folder, on a free port of
# 127.0.0.1 only, as the `postgres` user when run as root (initdb refuses root); stopped and
# removed when this script ends. The tests find it in HANDOFF_TEST_POSTGRES, and PostgreSQL's
# programs in HANDOFF_TEST_POSTGRES_BIN (a test that restarts PostgreSQL starts a cluster of its own).
pg_dir=""
pg_run=()
start_postgres() {
  local bin port tries
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -x "$bin/initdb" ] || die "PostgreSQL's initdb is not under /usr/lib/postgresql: install Debian's postgresql package"
  pg_dir=$(mktemp -d)
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pg_dir"
    pg_run=(runuser -u postgres --)
  fi
  "${pg_run[@]}" "$bin/initdb" -D "$pg_dir/data" -A trust -U postgres >"$pg_dir/initdb.log" 2>&1 ||
    die "initdb failed: $(tail -n 3 "$pg_dir/initdb.log")"
  for tries in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    if "${pg_run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -o "-k $pg_dir -h 127.0.0.1 -p $port" -l "$pg_dir/log" -w -t 30 start >/dev/null; then
      export HANDOFF_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
      export HANDOFF_TEST_POSTGRES_BIN="$bin"
      PG_CTL="$bin/pg_ctl"
      return 0
    fi
  done
  die "PostgreSQL did not start: $(tail -n 5 "$pg_dir/log")"
}
stop_postgres() {
  [ -n "$pg_dir" ] || return 0
  "${pg_run[@]}" "$PG_CTL" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
  pg_dir=""
}
trap 'stop_postgres; stop_strays' EXIT

say "cargo fmt --check"
cargo fmt --all -- --check

say "UI: type check (svelte-check) and unit tests (Vitest, IPC mocked)"
(cd ui && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human)
(cd ui && npx vitest run)
build_ui

# `cargo clippy --all-targets -- -D warnings`, in the same pass as the build. `cargo clippy` is
# `cargo check` with clippy's driver as the compiler of this workspace's crates; check and build
# cannot share their dependencies' artefacts, so linting and building apart compiled all ~900
# dependencies twice (13 minutes each on two cores). Here the build itself runs clippy's driver,
# with clippy's arguments as `cargo clippy` passes them: every target (tests, benches, examples)
# is linted and warnings are errors exactly as before, and each dependency compiles once. The
# tests below keep the same compiler, so nothing is rebuilt for them.
say "cargo clippy --all-targets -- -D warnings, while building every target (the CLI, the hub, the app, the tests)"
export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
[ -x "$RUSTC_WORKSPACE_WRAPPER" ] || die "clippy's driver is not at $RUSTC_WORKSPACE_WRAPPER: run rustup component add clippy"
cargo build --workspace --all-targets --locked

say "Tests (with a throwaway PostgreSQL on 127.0.0.1 for the hub's)"
start_postgres
cargo nextest run --workspace --locked --no-fail-fast --failure-output final
cargo test --workspace --locked --doc --quiet
stop_postgres

say "The real app, end to end, offline (Xvfb, tauri-driver, WebKitWebDriver, no network)"
n=90
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
display=":$n"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null || true; stop_postgres; stop_strays' EXIT
sleep 1
# At a fixed, sensible moment: a Tuesday at 10:12 in London (the review's day, mid-morning), so
# the sample agency and every screenshot read the same on every run. The tests (node), the hub
# and the command lines of laptops without a window are started through libfaketime with the same
# offset from the real clock, so they agree and time still runs. What each app launch starts is
# not — tauri-driver, WebKitWebDriver, the app, WebKit's processes, and the command line on that
# app's database: libfaketime's preload once deadlocked in the app's threads (its
# pthread_cond_destroy wrapper), so the E2E starts them without it and with HANDOFF_CLOCK_OFFSET,
# the same offset, which the app's and the command line's clock follow (and the window asks the
# app for the time).
export HANDOFF_E2E_CLOCK_OFFSET=$(( $(date -u -d 2026-11-24T10:12:00Z +%s) - $(date -u +%s) ))
e2e_clock=(faketime -f "$(printf '%+d' "$HANDOFF_E2E_CLOCK_OFFSET")")
export FAKETIME_DONT_FAKE_MONOTONIC=1
# Offline, as on a plane: the app, its driver and the tests in a network namespace of their own,
# with nothing but loopback (the E2E checks it). Making one needs root; elsewhere it runs as is.
# The suite takes about a minute and a half; twenty minutes means something hangs: stop it.
if unshare -n true 2>/dev/null; then
  (cd ui && DISPLAY="$display" HANDOFF_E2E_OFFLINE=1 timeout 1200 unshare -n "${e2e_clock[@]}" sh -c 'ip link set lo up && exec node --test e2e/')
else
  say "No network namespace here (it needs root): the end-to-end tests run with the network"
  (cd ui && DISPLAY="$display" timeout 1200 "${e2e_clock[@]}" node --test e2e/)
fi

say "All tests passed"
