"""End-to-end harness: the REAL EntryGuard window, driven through WebDriver.

    pytest (selenium) --> tauri-driver --> WebKitWebDriver --> target/debug/entryguard

Why this shape: the window is a WebKitGTK webview, so the only honest way to test what an admin
sees is to drive that webview. tauri-driver translates the `tauri:options` capability into
WebKitWebDriver's and launches the app binary; the app's environment is tauri-driver's
environment (WebDriver has no way to pass env), so everything the app must see -- moto's
endpoint for STS, the fake Azure authority, a throwaway HOME -- is set on tauri-driver, and the
per-test data directory is passed as `--data-dir`.

Run it (the caller starts D-Bus and an unlocked gnome-keyring, see scripts/):

    xvfb-run -a dbus-run-session -- sh -c '<unlock keyring>; .venv/bin/python -m pytest tests/e2e'

Environment:
    ENTRYGUARD_APP_BIN          app binary (default $CARGO_TARGET_DIR/debug/entryguard,
                                else target/debug/entryguard)
    TAURI_DRIVER                tauri-driver binary (default: PATH, then ~/.cargo/bin)
    ENTRYGUARD_E2E_ARTIFACTS    where screenshots and failure artifacts go
                                (default target/e2e-artifacts)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402,F401
    ARTIFACTS, REPO, SCREENS, TauriDriver, app_binary, driver_env, pick_file, save_file,
)
from notifications import (  # noqa: E402
    Dunst, keep_session_bus_from_starting_a_notification_daemon, restore_activation_display,
)
from pages import App  # noqa: E402

sys.path.insert(0, str(REPO / "tests" / "fixtures"))
import servers  # noqa: E402  (tests/fixtures/servers.py)


# ============================================================================================
# session checks
# ============================================================================================
def pytest_configure(config: pytest.Config) -> None:
    # A SIGTERM (e.g. from `timeout`) tears fixtures down like Ctrl-C instead of leaking the
    # driver, the app and the servers.
    def on_term(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_term)


def pytest_sessionstart(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    problems = []
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        problems.append(
            "DBUS_SESSION_BUS_ADDRESS is not set: the app keeps its master key in the Secret "
            "Service, so run the suite inside `dbus-run-session` with gnome-keyring started and "
            "unlocked, e.g. `xvfb-run -a dbus-run-session -- <script that unlocks the keyring "
            "and runs pytest>`"
        )
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        problems.append("no DISPLAY: run the suite under `xvfb-run -a`")
    if not shutil.which("WebKitWebDriver"):
        problems.append("WebKitWebDriver is not on PATH (Debian: apt-get install webkit2gtk-driver)")
    if problems:
        pytest.exit("e2e environment is not ready:\n  - " + "\n  - ".join(problems), returncode=3)


# Longest a single WebDriver command may take (session creation = app start-up included).
SESSION_TIMEOUT = 60

# ============================================================================================
# fixtures
# ============================================================================================
@pytest.fixture(scope="session")
def moto() -> Iterator[dict[str, Any]]:
    """A real AWS API (moto) with auth enforced; see tests/fixtures/servers.py for the keys."""
    with servers.spawn("moto") as srv:
        yield srv.info


@pytest.fixture(scope="session")
def fakes() -> Iterator[dict[str, Any]]:
    """Local APISIX / Azure AD / Google token servers; see tests/fixtures/servers.py."""
    with servers.spawn("fakes") as srv:
        yield srv.info


@pytest.fixture(scope="session")
def app_bin() -> Path:
    path = app_binary()
    if not os.access(path, os.X_OK):
        pytest.fail(f"app binary not found at {path}: build it (`cargo build`) or set ENTRYGUARD_APP_BIN")
    return path


@pytest.fixture(scope="session")
def driver_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway HOME for the app; `app` empties it before each test."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="session")
def tauri_driver(moto, fakes, driver_home) -> Iterator[TauriDriver]:
    driver = TauriDriver(driver_env(moto, fakes, driver_home), ARTIFACTS / "tauri-driver.log")
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture
def screenshot_suffix() -> str:
    """Appended to every screenshot name (test_dark.py makes it "-dark")."""
    return ""


def _reset_home(home: Path) -> None:
    for child in home.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _artifact_dir(item: pytest.Item) -> Path:
    return ARTIFACTS / re.sub(r"[^\w.-]+", "_", item.name).strip("_")


def _open_window(request, tauri_driver, app_bin, data_dir: Path, home: Path, moto, fakes,
                 screenshot_suffix: str) -> App:
    """An app window on `data_dir`, its table ready. Failure artifacts follow this window."""
    from selenium import webdriver
    from selenium.webdriver.remote.file_detector import UselessFileDetector
    from selenium.webdriver.common.options import ArgOptions
    from selenium.webdriver.remote.client_config import ClientConfig

    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability(
        "tauri:options",
        {"application": str(app_bin), "args": ["--data-dir", str(data_dir)]},
    )

    def new_session():
        return webdriver.Remote(
            command_executor=tauri_driver.url,
            options=options,
            client_config=ClientConfig(remote_server_addr=tauri_driver.url, timeout=SESSION_TIMEOUT),
        )

    log_start = tauri_driver.log_size()
    try:
        driver = new_session()
    except Exception as first:
        # Seen once in CI, never here: a new session that did not come up within a minute.
        # What the driver and the app were doing goes into the report either way; the window
        # gets one more try on a fresh tauri-driver, and a second failure fails the test.
        details = _open_failure_details(tauri_driver, log_start, data_dir, first)
        tauri_driver.restart()  # don't leave a stuck driver to the next try or test
        try:
            driver = new_session()
        except Exception as second:
            tauri_driver.restart()
            pytest.fail(
                f"could not open the app window through tauri-driver, twice: {second}\n"
                f"app: {app_bin} --data-dir {data_dir}\nsee {tauri_driver.log_path} "
                f"(the app's stderr is there)\nfirst try:\n{details}",
                pytrace=False,
            )
        # Past pytest's capture, so a passing run shows it too.
        print(f"\nWARNING: the app window opened only on a second try; first try:\n{details}",
              file=sys.__stderr__, flush=True)
    # Typed text that happens to be a local path must be typed, not uploaded: WebKitWebDriver
    # has no upload endpoint.
    driver.file_detector = UselessFileDetector()
    driver.implicitly_wait(0)
    the_app = App(driver, data_dir, SCREENS, screenshot_suffix, moto=moto, fakes=fakes,
                  pick_file=pick_file(home), save_file=save_file(home))
    request.node._eg_app = the_app
    try:
        the_app.wait_ready()
    except Exception:
        save_failure_artifacts(request.node, the_app, "setup")
        try:
            driver.quit()
        except Exception:
            pass
        raise
    return the_app


def _open_failure_details(tauri_driver: TauriDriver, log_start: int, data_dir: Path,
                          error: Exception) -> str:
    """Why a new session failed, as far as can be seen: the error, the processes under
    tauri-driver, and what tauri-driver (with the app's stderr) and the app's log said."""
    lines = [f"error: {error}", "processes under tauri-driver:"]
    lines += [f"  {p}" for p in tauri_driver.processes()] or ["  none"]
    said = tauri_driver.log_since(log_start).splitlines()[-40:]
    lines += ["tauri-driver log (this try, last lines):"] + [f"  {l}" for l in said]
    for log in sorted((data_dir / "logs").glob("*.log")):
        lines += [f"app log {log.name} (last lines):"]
        lines += [f"  {l}" for l in log.read_text(errors="replace").splitlines()[-20:]]
    return "\n".join(lines)


def _quit(the_app: App) -> None:
    try:
        the_app.driver.quit()
    except Exception:  # already closed by the test (e.g. before a second window)
        pass


@pytest.fixture
def app(request, tauri_driver, app_bin, driver_home, tmp_path, moto, fakes, screenshot_suffix) -> Iterator[App]:
    """A fresh app window: new data dir, emptied HOME, ready table. Closed afterwards."""
    _reset_home(driver_home)  # WebKit storage, config, caches of the previous test go away
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    the_app = _open_window(request, tauri_driver, app_bin, data_dir, driver_home, moto, fakes,
                           screenshot_suffix)
    try:
        yield the_app
    finally:
        _quit(the_app)


@pytest.fixture
def app_with_env(request, tauri_driver, app_bin, driver_home, tmp_path, moto, fakes,
                 screenshot_suffix) -> Iterator[Callable[..., App]]:
    """Opens a window whose app runs with extra environment, for this test only:
    `app_with_env({"ENTRYGUARD_RECHECK_SECS": "4"})` -> App on a fresh data dir (emptied HOME,
    as `app`). The app's environment is tauri-driver's, so tauri-driver is restarted with
    `extra` on top of its own environment, and restarted with its own again afterwards.
    A second call closes the first window (one window at a time) and may pass other `extra`;
    `name` names the data dir. Do not combine with `app` (that window runs without `extra`)."""
    original = dict(tauri_driver.env)
    opened: list[App] = []
    changed = False

    def open_app(extra: dict[str, str], name: str = "data") -> App:
        nonlocal changed
        for earlier in opened:
            _quit(earlier)
        tauri_driver.env = {**original, **extra}
        tauri_driver.restart()
        changed = True
        _reset_home(driver_home)
        data_dir = tmp_path / name
        data_dir.mkdir(mode=0o700)
        opened.append(_open_window(request, tauri_driver, app_bin, data_dir, driver_home, moto,
                                   fakes, screenshot_suffix))
        return opened[-1]

    try:
        yield open_app
    finally:
        for the_app in opened:
            _quit(the_app)
        if changed:
            tauri_driver.env = original
            tauri_driver.restart()


@pytest.fixture
def dunst(request) -> Iterator[Dunst]:
    """A real notification daemon for this test only (see notifications.py): dunst on a session
    bus of its own, with GNOME Keyring on it too. Give `dunst.app_env` to `app_with_env` so the
    app sends its notifications there; nothing expires until the test closes it."""
    daemon = Dunst(_artifact_dir(request.node))
    try:
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture(scope="session", autouse=True)
def no_notification_daemon_unless_asked() -> Iterator[None]:
    """Tests that do not ask for `dunst` run without a notification daemon, even with dunst
    installed (see notifications.keep_session_bus_from_starting_a_notification_daemon)."""
    display = None
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS") and shutil.which("gdbus"):
        display = keep_session_bus_from_starting_a_notification_daemon()
    try:
        yield
    finally:
        if display is not None:
            restore_activation_display(display)


@pytest.fixture
def another_vault(request, app, tauri_driver, app_bin, driver_home, tmp_path, moto, fakes,
                  screenshot_suffix) -> Iterator[Callable[[str], App]]:
    """Opens a window on a second, fresh vault: `another_vault("restored")` -> App, with a data
    dir of its own (so a vault key of its own in the keychain) and the same HOME as `app` (so the
    same test files). Close `app` first (`app.driver.quit()`): one window at a time. Closed
    afterwards."""
    opened: list[App] = []

    def open_vault(name: str) -> App:
        data_dir = tmp_path / name
        data_dir.mkdir(mode=0o700)
        opened.append(_open_window(request, tauri_driver, app_bin, data_dir, driver_home, moto,
                                   fakes, screenshot_suffix))
        return opened[-1]

    try:
        yield open_vault
    finally:
        for the_app in opened:
            _quit(the_app)


@pytest.fixture
def vault_window(request, tauri_driver, app_bin, driver_home, moto, fakes,
                 screenshot_suffix) -> Iterator[Callable[[Path], App]]:
    """Opens a window on a data dir the test chose, e.g. one it filled before the app opens it
    (test_backup_large.py fills one with bulk_create): `vault_window(path)` -> App, its table
    ready; the dir is made (0700) if missing. HOME is emptied before the first window, as `app`
    does, and stays for the next ones (so they see the same test files). One window at a time:
    each call closes the previous window. Closed afterwards. Not with `app` (its own window)."""
    opened: list[App] = []

    def open_at(data_dir: Path) -> App:
        for earlier in opened:
            _quit(earlier)
        if not opened:
            _reset_home(driver_home)
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        opened.append(_open_window(request, tauri_driver, app_bin, data_dir, driver_home, moto,
                                   fakes, screenshot_suffix))
        return opened[-1]

    try:
        yield open_at
    finally:
        for the_app in opened:
            _quit(the_app)


# ============================================================================================
# artifacts on failure
# ============================================================================================
def save_failure_artifacts(item: pytest.Item, the_app: App, when: str) -> None:
    out = _artifact_dir(item)
    out.mkdir(parents=True, exist_ok=True)
    try:
        the_app.driver.save_screenshot(str(out / f"{when}.png"))
    except Exception as e:
        (out / "screenshot-error.txt").write_text(repr(e))
    try:
        (out / f"{when}-page.html").write_text(the_app.driver.page_source)
    except Exception:
        pass
    logs = the_app.data_dir / "logs"
    if logs.is_dir():
        shutil.copytree(logs, out / "logs", dirs_exist_ok=True)
    driver_log = ARTIFACTS / "tauri-driver.log"
    if driver_log.exists():  # the app's stderr lands here too; keep its tail
        tail = driver_log.read_bytes()[-200_000:]
        (out / "tauri-driver.log.tail").write_bytes(tail)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    # "call" failures: the window is still open here (fixtures tear down later).
    if report.when == "call" and report.failed:
        the_app = getattr(item, "_eg_app", None)
        if the_app is not None:
            try:
                save_failure_artifacts(item, the_app, "call")
                report.sections.append(("e2e artifacts", str(_artifact_dir(item))))
            except Exception as e:  # never hide the real failure
                report.sections.append(("e2e artifacts", f"could not save: {e!r}"))


@pytest.fixture
def screenshot(app) -> Any:
    """screenshot("name") -> target/e2e-artifacts/screens/name[-dark].png"""
    return app.screenshot
