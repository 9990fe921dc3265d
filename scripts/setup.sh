#!/usr/bin/env bash
# Installs what building and testing Handoff needs, idempotently: Debian/Ubuntu packages with apt,
# Rust components with rustup, cargo tools from crates.io, the UI's npm packages. Sourced by
# app.sh, demo.sh and test.sh.
# Says exactly what is missing when it cannot install something itself.
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (install sudo, or run as root)"; fi
}

# ensure_apt PKG... — installs the Debian packages that are not installed yet.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get to install them"
  say "Installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v cargo >/dev/null 2>&1 || die "Rust is not installed: install it with rustup (https://rustup.rs), then run this again. Handoff needs Rust 1.90 or newer."
  local v
  v=$(rustc --version | awk '{print $2}')
  if [ "$(printf '%s\n1.90.0\n' "$v" | sort -V | head -n1)" != "1.90.0" ]; then
    die "Rust $v is too old: Handoff needs 1.90 or newer (run: rustup update stable)"
  fi
}

# ensure_components NAME... — rustfmt, clippy.
ensure_components() {
  for c in "$@"; do
    if ! cargo "${c/rustfmt/fmt}" --version >/dev/null 2>&1; then
      command -v rustup >/dev/null 2>&1 || die "cargo $c is missing and there is no rustup to add it: install the $c component"
      say "Adding the Rust component $c"
      rustup component add "$c"
    fi
  done
}

# ensure_cargo_tool BINARY CRATE — installs a cargo tool from crates.io when missing.
ensure_cargo_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  say "Installing $2 (cargo install)"
  cargo install --locked "$2"
}

setup_build() {
  ensure_apt build-essential pkg-config
  ensure_rust
}

# Node 20.19+ with npm builds the UI (Vite 8). Debian 12's own nodejs is too old, so say how to get one.
ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    die "Node.js is not installed: install Node 20.19 or newer with npm (https://nodejs.org or your package manager), then run this again"
  local v
  v=$(node --version | tr -d v)
  if [ "$(printf '%s\n20.19.0\n' "$v" | sort -V | head -n1)" != "20.19.0" ]; then
    die "Node $v is too old: the UI build needs Node 20.19 or newer"
  fi
}

# The UI's npm packages, exactly as locked; only when the lock file changed since the last install.
ensure_ui_packages() {
  ensure_node
  if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "Installing the UI's npm packages (npm ci)"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Builds the UI into ui/dist, which the app embeds.
build_ui() {
  say "Building the UI"
  (cd ui && npm run --silent build >/dev/null)
}

# What the desktop app needs to build: WebKitGTK, and the UI.
setup_app() {
  setup_build
  ensure_apt libwebkit2gtk-4.1-dev
  ensure_ui_packages
}
