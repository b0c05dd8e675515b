# Sourced by scripts/run and scripts/test: installs what a fresh Debian/Ubuntu machine lacks.
# Idempotent and quiet when everything is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# apt_install PKG... — installs the packages that are missing.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The libraries Tauri 2 builds against on Linux.
BUILD_PACKAGES=(build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev libsecret-1-0)

setup_build() {
  apt_install "${BUILD_PACKAGES[@]}"
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  if ! command -v cargo >/dev/null; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v cargo >/dev/null || {
    echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
    exit 1
  }
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
