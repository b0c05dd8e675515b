"""Processes of the e2e harness: tauri-driver (with WebKitWebDriver and the app under it).

Kept apart from conftest.py so test modules can start their own driver (test_dark.py does,
with another GTK theme) without importing conftest.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("ENTRYGUARD_E2E_ARTIFACTS") or REPO / "target" / "e2e-artifacts")
SCREENS = ARTIFACTS / "screens"


# ============================================================================================
# locating binaries
# ============================================================================================
def target_dir() -> Path:
    """$CARGO_TARGET_DIR (relative to the repository if relative), else <repo>/target."""
    target = os.environ.get("CARGO_TARGET_DIR")
    return (REPO / target) if target and not os.path.isabs(target) else Path(target or REPO / "target")


def app_binary() -> Path:
    if os.environ.get("ENTRYGUARD_APP_BIN"):
        return Path(os.environ["ENTRYGUARD_APP_BIN"]).resolve()
    return (target_dir() / "debug" / "entryguard").resolve()


def example_binary(name: str) -> Path:
    """A debug example of the workspace, e.g. "bulk_create" (src-tauri/core/examples/): built by
    `cargo test --workspace`, which scripts/test runs before pytest."""
    return (target_dir() / "debug" / "examples" / name).resolve()


def tauri_driver_binary() -> str:
    if os.environ.get("TAURI_DRIVER"):
        return os.environ["TAURI_DRIVER"]
    found = shutil.which("tauri-driver")
    if found:
        return found
    cargo_bin = Path.home() / ".cargo" / "bin" / "tauri-driver"
    if cargo_bin.exists():
        return str(cargo_bin)
    pytest.fail("tauri-driver not found: `cargo install tauri-driver --locked` (2.x) or set TAURI_DRIVER")


# ============================================================================================
# processes
# ============================================================================================
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    """All descendants of pid (from /proc), deepest last."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _own_group_and_die_with_parent() -> None:  # runs in the child before exec
    os.setsid()  # its own process group: stop() signals its children too
    try:  # Linux: SIGTERM when the test process dies, even by SIGKILL
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except Exception:
        pass


class TauriDriver:
    """tauri-driver (and through it WebKitWebDriver and the app) with a chosen environment."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = log_path
        self._start()

    def _start(self) -> None:
        self.port = free_port()
        self.native_port = free_port()
        while self.native_port == self.port:
            self.native_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [tauri_driver_binary(), "--port", str(self.port), "--native-port", str(self.native_port)],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_own_group_and_die_with_parent,
        )
        self._wait_ready(timeout=30)

    def restart(self) -> None:
        """After a session that never came up, tauri-driver may be stuck: start afresh."""
        self.stop()
        self._start()

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tauri-driver exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/status", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"tauri-driver did not answer on {self.url} within {timeout} s; see {self.log_path}")

    def log_size(self) -> int:
        self._log.flush()
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        self._log.flush()
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    def processes(self) -> list[str]:
        """The processes under tauri-driver: pid, state (R, S, D, Z...) and command line."""
        out = []
        for pid in _descendants(self.proc.pid):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")[:4]
            except OSError:
                continue
            out.append(f"{pid} {state} {' '.join(a.decode(errors='replace') for a in argv)}")
        return out

    def stop(self) -> None:
        pids = _descendants(self.proc.pid)
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        # Children that left the process group (setsid) still get stopped, by pid.
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._log.close()


def pick_file(home: Path) -> Path:
    """The file the app's open dialogs answer with under test: "Choose file…" (import) and
    "Choose backup…" (restore). The app opens no file dialog when ENTRYGUARD_TEST_PICK_FILE is
    set (driver_env sets it). It lies in HOME, which the `app` fixture empties, so a test writes
    (or copies a backup to) it before choosing it."""
    return home / "Downloads" / "chosen-file"


def save_file(home: Path) -> Path:
    """Where the app's save dialog ("Back up…") answers that the backup goes under test
    (ENTRYGUARD_TEST_SAVE_FILE, set by driver_env). In HOME too: each test starts without it."""
    return home / "Backups" / "entryguard-backup"


def driver_env(moto_info: dict, fakes_info: dict, home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment tauri-driver, WebKitWebDriver and the app run with."""
    env = dict(os.environ)
    for var in list(env):  # no real cloud credentials or config may reach the app
        if var.startswith(("AWS_", "AZURE_", "GOOGLE_", "ENTRYGUARD_DATA_DIR")):
            del env[var]
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_STATE_HOME": str(home / ".local" / "state"),
            "AWS_ENDPOINT_URL_STS": moto_info["endpoint"],
            "AWS_EC2_METADATA_DISABLED": "true",
            "AZURE_AUTHORITY_HOST": fakes_info["endpoint"],
            "RUST_BACKTRACE": "1",
            "NO_AT_BRIDGE": "1",  # no accessibility bus warnings under Xvfb
            "ENTRYGUARD_TEST_PICK_FILE": str(pick_file(home)),
            "ENTRYGUARD_TEST_SAVE_FILE": str(save_file(home)),
        }
    )
    env.update(extra or {})
    return env


def run_cli(app_bin: Path, data_dir: Path, *args: str, env: dict[str, str] | None = None,
            timeout: float = 150) -> subprocess.CompletedProcess:
    """`app_bin --data-dir data_dir args…`: the same binary as the CLI, next to (or after) the
    window. `env` is its whole environment (e.g. `tauri_driver.env`, the app's); default: this
    process's. Never waits for input."""
    return subprocess.run(
        [str(app_bin), "--data-dir", str(data_dir), *args],
        env=dict(os.environ) if env is None else env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# ============================================================================================
# a session bus of its own (the keychain's absence and return)
# ============================================================================================
SECRET_SERVICE = "org.freedesktop.secrets"

# A session bus that activates no service: nothing answers as the Secret Service until a test
# starts one on it (the session bus of `dbus-run-session` would start GNOME Keyring on demand).
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class PrivateSessionBus:
    """`dbus-daemon` with a session bus of its own and no service activation. Give its
    `address` to tauri-driver as DBUS_SESSION_BUS_ADDRESS: the app then finds no keychain until
    `start_keyring()`. `stop()` ends the keyring and the bus and removes their files."""

    def __init__(self) -> None:
        # Short and in /tmp: a unix socket path must fit in 108 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="eg-bus-"))
        config = self.folder / "session.conf"
        config.write_text(_BUS_CONFIG.format(folder=self.folder))
        self._log = open(self.folder / "dbus-daemon.log", "ab")
        self._procs: list[subprocess.Popen] = []
        bus = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
            preexec_fn=_own_group_and_die_with_parent,
        )
        self._procs.append(bus)
        self.address = bus.stdout.readline().decode().strip()  # "" if it exited
        if not self.address:
            self.stop()
            raise RuntimeError(f"dbus-daemon printed no address; see {self.folder}/dbus-daemon.log")

    def has_owner(self, name: str) -> bool:
        out = subprocess.run(
            ["dbus-send", f"--bus={self.address}", "--print-reply", "--dest=org.freedesktop.DBus",
             "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
            capture_output=True, text=True, timeout=10, check=False,
        )
        return "boolean true" in out.stdout

    def start_keyring(self, password: str = "entryguard-test-keyring", timeout: float = 15) -> None:
        """Starts GNOME Keyring's Secret Service on this bus with a fresh, unlocked login keyring
        (as scripts/lib/keyring-session.sh does) and waits until it owns the service's name."""
        data, runtime = self.folder / "keyring-data", self.folder / "keyring-runtime"
        data.mkdir()
        runtime.mkdir(mode=0o700)
        env = {k: v for k, v in os.environ.items() if k != "GNOME_KEYRING_CONTROL"}
        env.update(
            {
                "DBUS_SESSION_BUS_ADDRESS": self.address,
                "XDG_DATA_HOME": str(data),
                "XDG_RUNTIME_DIR": str(runtime),
                "HOME": str(self.folder),
            }
        )
        keyring = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            env=env,
            stdin=subprocess.PIPE,  # the login keyring's password, then EOF
            stdout=self._log,
            stderr=self._log,
            preexec_fn=_own_group_and_die_with_parent,
        )
        self._procs.append(keyring)
        keyring.stdin.write(password.encode())
        keyring.stdin.close()
        deadline = time.monotonic() + timeout
        while not self.has_owner(SECRET_SERVICE):
            if keyring.poll() is not None:
                raise RuntimeError(f"gnome-keyring-daemon exited with {keyring.returncode}; see {self.folder}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gnome-keyring-daemon did not take {SECRET_SERVICE} within {timeout} s")
            time.sleep(0.1)

    def stop(self) -> None:
        for proc in reversed(self._procs):  # the keyring first, then the bus
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


# ============================================================================================
# native windows (X11, through xdotool)
# ============================================================================================


def windows_named(title: str, pid: int | None = None) -> list[str]:
    # --all: xdotool matches ANY criterion by default, so with --pid and --name together
    # another process's window of the same title would count.
    by_pid = ["--pid", str(pid)] if pid else []
    out = subprocess.run(["xdotool", "search", "--all", "--onlyvisible", *by_pid, "--name", f"^{title}$"],
                         capture_output=True, text=True, check=False)
    return out.stdout.split()


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")
