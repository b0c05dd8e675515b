#!/usr/bin/env bash
# Runs "$@" with a fresh, unlocked GNOME Keyring (a real Secret Service) on the current
# D-Bus session. Call it inside `dbus-run-session`. The login keyring lives in a throwaway
# XDG_DATA_HOME, so no run sees another's keys.
set -euo pipefail
XDG_DATA_HOME="$(mktemp -d)"
XDG_RUNTIME_DIR="$(mktemp -d)"
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_DATA_HOME XDG_RUNTIME_DIR
export ENTRYGUARD_TEST_KEYRING_PASSWORD="entryguard-test-keyring"
eval "$(printf '%s' "$ENTRYGUARD_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
