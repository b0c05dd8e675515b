"""A real notification daemon (dunst) for the tests that check the app's desktop notifications.

    app --Notify--> org.freedesktop.Notifications (dunst) on a session bus of the test's own
    test --dunstctl--> dunst: count, invoke an action, close all, read the history

Why a bus of its own (harness.PrivateSessionBus, with GNOME Keyring started on it): the session
bus of `dbus-run-session` would also *activate* dunst (Debian's dunst ships a D-Bus service file
for org.freedesktop.Notifications), so a daemon started there could already be running, or be
started again after the test. On a bus without service activation only the dunst this module
starts answers, and only the test that asked for it sees notifications. The app joins that bus
through tauri-driver's environment (`Dunst.app_env`, for the `app_with_env` fixture).

dunst keeps every notification on screen until it is closed (timeout 0 in every urgency), so a
test can count and act on them; `dunstctl action 0` invokes the "default" action of the newest
one (dunst invokes it directly when it is the only action).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harness import PrivateSessionBus, _own_group_and_die_with_parent

NOTIFICATIONS = "org.freedesktop.Notifications"

# Nothing expires, nothing is hidden behind a limit, no menu program is ever started.
DUNSTRC = """\
[global]
    monitor = 0
    follow = none
    notification_limit = 0
    idle_threshold = 0
    show_age_threshold = -1
    sticky_history = yes
    history_length = 100
    font = Monospace 9
    format = "<b>%s</b>\\n%b"
    dmenu = /bin/false
    browser = /bin/false
    mouse_left_click = do_action, close_current
    always_run_script = false

[urgency_low]
    timeout = 0

[urgency_normal]
    timeout = 0

[urgency_critical]
    timeout = 0
"""


@dataclass
class Notification:
    summary: str
    body: str
    appname: str

    def __str__(self) -> str:
        return f"[{self.appname}] {self.summary!r}: {self.body!r}"


class Dunst:
    """dunst on a private session bus (with an unlocked GNOME Keyring, which the app needs
    too) and the current X display. `stop()` ends dunst, the keyring and the bus."""

    def __init__(self, log_dir: Path) -> None:
        if not shutil.which("dunst") or not shutil.which("dunstctl"):
            raise RuntimeError("dunst is not installed (Debian: apt-get install dunst; scripts/test does)")
        self.bus = PrivateSessionBus()
        self.proc: subprocess.Popen | None = None
        try:
            self.bus.start_keyring()
            self.folder = Path(tempfile.mkdtemp(prefix="eg-dunst-"))
            config = self.folder / "dunstrc"
            config.write_text(DUNSTRC)
            log_dir.mkdir(parents=True, exist_ok=True)
            self.log_path = log_dir / "dunst.log"
            self._log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                ["dunst", "-config", str(config), "-verbosity", "info"],
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                preexec_fn=_own_group_and_die_with_parent,
            )
            deadline = time.monotonic() + 15
            while not self.bus.has_owner(NOTIFICATIONS):
                if self.proc.poll() is not None:
                    raise RuntimeError(f"dunst exited with {self.proc.returncode}; see {self.log_path}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"dunst did not take {NOTIFICATIONS} within 15 s; see {self.log_path}")
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise

    # ------------------------------------------------------------------ environment
    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DBUS_SESSION_BUS_ADDRESS"] = self.bus.address
        env.pop("WAYLAND_DISPLAY", None)  # the X display of the test (Xvfb)
        return env

    @property
    def app_env(self) -> dict[str, str]:
        """What the app's environment needs to reach this dunst (and this bus's keyring)."""
        return {"DBUS_SESSION_BUS_ADDRESS": self.bus.address}

    # ------------------------------------------------------------------ dunstctl
    def ctl(self, *args: str) -> str:
        out = subprocess.run(["dunstctl", *args], env=self._env(), capture_output=True, text=True,
                             timeout=10, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"dunstctl {' '.join(args)} failed ({out.returncode}): {out.stderr.strip()}")
        return out.stdout

    def count(self, which: str = "displayed") -> int:
        """`dunstctl count displayed|waiting|history`."""
        return int(self.ctl("count", which).strip())

    def total(self) -> int:
        """Every notification dunst received so far: on screen, queued, and closed."""
        return self.count("displayed") + self.count("waiting") + self.count("history")

    def invoke_newest(self) -> None:
        """Invokes the default action of the newest notification on screen (`dunstctl action 0`)."""
        self.ctl("action", "0")

    def close_all_and_history(self) -> list[Notification]:
        """Closes every notification on screen, then returns all of them (history), newest first."""
        self.ctl("close-all")
        time.sleep(0.2)
        data = json.loads(self.ctl("history"))
        items = data["data"][0] if data.get("data") else []

        def text(item: dict, key: str) -> str:
            return str((item.get(key) or {}).get("data", ""))

        return [Notification(text(i, "summary"), text(i, "body"), text(i, "appname")) for i in items]

    def wait_displayed(self, at_least: int, timeout: float) -> int:
        """Waits until `at_least` notifications are on screen; returns how many are."""
        deadline = time.monotonic() + timeout
        while True:
            n = self.count("displayed") + self.count("waiting")
            if n >= at_least or time.monotonic() > deadline:
                return n
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if hasattr(self, "_log"):
            self._log.close()
        self.bus.stop()
        if hasattr(self, "folder"):
            shutil.rmtree(self.folder, ignore_errors=True)


# ============================================================================================
# no notification daemon for the other tests
# ============================================================================================
def _bus_call(method: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus", "--object-path",
         "/org/freedesktop/DBus", "--method", f"org.freedesktop.DBus.{method}", *args],
        capture_output=True, text=True, timeout=10, check=False,
    )


def keep_session_bus_from_starting_a_notification_daemon() -> str | None:
    """The tests that do not ask for dunst run with no notification daemon (the app then logs a
    warning and goes on), as on a machine without one. Installing dunst makes the session bus of
    `dbus-run-session` activatable for org.freedesktop.Notifications: the first notification
    of any test would start a dunst that stays for the rest of the run. So, when that name is
    activatable and nobody owns it, services this bus starts get no display (UpdateActivation
    Environment, DISPLAY and WAYLAND_DISPLAY empty): an activated dunst exits at once and the
    call fails as if no daemon were installed. Only activation is affected; the app and the
    tests keep their DISPLAY. Returns the DISPLAY to restore afterwards (None: nothing done)."""
    listed = _bus_call("ListActivatableNames")
    owned = _bus_call("NameHasOwner", NOTIFICATIONS)
    if listed.returncode != 0 or f"'{NOTIFICATIONS}'" not in listed.stdout:
        return None
    if "true" in owned.stdout:
        return None  # a daemon the caller started on purpose
    done = _bus_call("UpdateActivationEnvironment", "{'DISPLAY': '', 'WAYLAND_DISPLAY': ''}")
    return os.environ.get("DISPLAY", "") if done.returncode == 0 else None


def restore_activation_display(display: str) -> None:
    _bus_call("UpdateActivationEnvironment", f"{{'DISPLAY': '{display}'}}")
