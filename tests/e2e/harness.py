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
def app_binary() -> Path:
    if os.environ.get("ENTRYGUARD_APP_BIN"):
        return Path(os.environ["ENTRYGUARD_APP_BIN"]).resolve()
    target = os.environ.get("CARGO_TARGET_DIR")
    base = (REPO / target) if target and not os.path.isabs(target) else Path(target or REPO / "target")
    return (base / "debug" / "entryguard").resolve()


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
        }
    )
    env.update(extra or {})
    return env
