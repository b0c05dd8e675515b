"""Scheduled re-verification, staleness and desktop notifications, in the real window.

The app re-checks every credential whose last decision (Valid/Invalid) is older than the
re-check interval; `ENTRYGUARD_RECHECK_SECS` shortens that interval to seconds for these tests
(given to the app through `app_with_env`). Notifications go to a real daemon, dunst, on a
session bus of the test's own (`dunst` fixture, tests/e2e/notifications.py), where the test
counts them, invokes their action and reads their text.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

import servers  # tests/fixtures/servers.py (conftest puts it on sys.path)
from harness import free_port, run_cli, wait_for, windows_named
from pages import App, tid

RECHECK_SECS = "4"
# A credential's decision is older than the interval after RECHECK_SECS; its scheduled check
# follows within about a second (spread, jitter), the UI shows it on its next tick.
STALE_WITHIN = 20


# ============================================================================================
# helpers
# ============================================================================================
class IamKeys:
    """Access keys of a throwaway IAM user in moto, made and deleted with the admin user's key
    (moto enforces authentication, so IAM calls are signed and authorised like AWS's)."""

    def __init__(self, moto: dict) -> None:
        import boto3

        admin = moto["admin"]
        self.iam = boto3.client(
            "iam", region_name=moto["region"], endpoint_url=moto["endpoint"],
            aws_access_key_id=admin["access_key_id"], aws_secret_access_key=admin["secret_access_key"],
        )
        self.user = f"eg-freshness-{uuid.uuid4().hex[:8]}"
        self.iam.create_user(UserName=self.user)
        self.iam.put_user_policy(
            UserName=self.user, PolicyName="entryguard-verify",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]}),
        )

    def create(self) -> tuple[str, str]:
        key = self.iam.create_access_key(UserName=self.user)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def delete(self, key_id: str) -> None:
        self.iam.delete_access_key(UserName=self.user, AccessKeyId=key_id)
        listed = self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"]
        assert key_id not in [k["AccessKeyId"] for k in listed], "moto still lists the deleted key"

    def cleanup(self) -> None:
        try:
            for k in self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"]:
                self.iam.delete_access_key(UserName=self.user, AccessKeyId=k["AccessKeyId"])
            self.iam.delete_user_policy(UserName=self.user, PolicyName="entryguard-verify")
            self.iam.delete_user(UserName=self.user)
        except Exception:
            pass  # moto goes away with the session anyway


@pytest.fixture
def iam_keys(moto):
    keys = IamKeys(moto)
    try:
        yield keys
    finally:
        keys.cleanup()


class _TrackingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args, **kwargs) -> None:
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        with self.lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self.lock:
            self.connections.discard(request)
        super().shutdown_request(request)


class StoppableApisix:
    """The APISIX Admin API of tests/fixtures/servers.py on a port of its own, which the test can
    take away (connection refused, kept-alive connections cut too) and bring back on the same
    port: a provider that goes offline and returns."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.key = servers.APISIX_ADMIN_KEY
        self.httpd: _TrackingServer | None = None
        self.start()

    def start(self) -> None:
        handler = type("ApisixOnly", (servers._FakesHandler,), {"fakes": None})
        self.httpd = _TrackingServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.httpd is None:
            return
        self.httpd.shutdown()
        self.httpd.server_close()
        with self.httpd.lock:
            for conn in list(self.httpd.connections):
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self.httpd = None
        with socket.socket() as s:  # nobody answers any more
            assert s.connect_ex(("127.0.0.1", self.port)) != 0, "the APISIX server still answers"


@pytest.fixture
def apisix():
    server = StoppableApisix()
    try:
        yield server
    finally:
        server.stop()


def badge(app: App, name: str):
    return app.find(tid("status-badge"), app.row(name))


def stale(app: App, name: str) -> str:
    return badge(app, name).get_attribute("data-stale")


def wait_stale(app: App, name: str, want: str, timeout: float) -> None:
    app.until(lambda: stale(app, name) == want, timeout,
              f"the badge of {name!r} did not get data-stale={want!r} within {timeout} s "
              f"(status {app.status(name)}, reason {app.reason(name)!r})")


def short(text: str) -> str:
    return " ".join(text.split())


# ============================================================================================
# a) a key deleted in IAM
# ============================================================================================
def test_a_key_deleted_in_iam_turns_invalid_without_a_click_and_notifies_once(dunst, app_with_env, iam_keys):
    app = app_with_env({
        **dunst.app_env,
        "ENTRYGUARD_RECHECK_SECS": RECHECK_SECS,
        # The key is minutes old in real life; here seconds. Without this, an unknown key in
        # the first 20 s counts as IAM propagation (Unverified, then Invalid after the grace).
        "ENTRYGUARD_AWS_PROPAGATION_GRACE_SECS": "0",
    })
    name = "AWS Deploy Key"
    key_id, secret = iam_keys.create()
    app.add(app.aws_fields(name, key_id, secret))
    app.wait_status(name, "VALID", 30)
    assert stale(app, name) == "0"
    app.start_status_recorder()
    assert dunst.total() == 0, "a notification before anything changed"

    iam_keys.delete(key_id)
    deleted = time.monotonic()
    # No click: only the scheduled re-check can notice.
    app.wait_status(name, "INVALID", 30)
    took = time.monotonic() - deleted
    assert "InvalidClientTokenId" in app.reason(name), app.reason(name)
    assert stale(app, name) == "0", "a decision just made is not stale"

    shown = dunst.wait_displayed(1, 15)
    assert shown >= 1, "no notification was displayed after the key stopped working"
    time.sleep(3)  # a second one (a duplicate) would be here by now
    assert (dunst.count("displayed"), dunst.count("waiting"), dunst.count("history")) == (1, 0, 0), (
        f"expected exactly one notification; displayed/waiting/history = "
        f"{dunst.count('displayed')}/{dunst.count('waiting')}/{dunst.count('history')}"
    )

    # Clicking it brings the window forward on that row.
    dunst.invoke_newest()
    app.until(lambda: app.row(name).get_attribute("data-focused") == "true", 10,
              "invoking the notification's action did not mark the row data-focused=\"true\"")
    app.screenshot("freshness-invalid-focused-from-notification")

    notes = dunst.close_all_and_history()
    assert len(notes) == 1, [str(n) for n in notes]
    note = notes[0]
    assert note.appname == "EntryGuard", str(note)
    assert note.summary == f"{name} stopped working", str(note)
    assert note.body.startswith("Invalid: "), str(note)
    print(f"INVALID {took:.1f} s after the deletion; statuses seen {app.recorded_statuses(name)}; "
          f"notification {note}")


# ============================================================================================
# b) a provider that goes away and comes back
# ============================================================================================
def test_a_decision_older_than_the_interval_shows_stale_and_fresh_again_when_the_provider_returns(
    dunst, app_with_env, apisix
):
    app = app_with_env({
        **dunst.app_env,
        "ENTRYGUARD_RECHECK_SECS": RECHECK_SECS,
        "ENTRYGUARD_UNVERIFIED_ALERT_SECS": "3",
    })
    name = "APISIX Edge"
    app.add({"name": name, "provider": "APISIX", "endpoint": apisix.endpoint, "admin_key": apisix.key})
    app.wait_status(name, "VALID", 30)
    assert stale(app, name) == "0"
    app.start_status_recorder()

    apisix.stop()
    wait_stale(app, name, "1", STALE_WITHIN)
    status = app.status(name)
    assert status in ("VALID", "UNVERIFIED"), status
    if status == "UNVERIFIED":
        assert short(app.reason(name)), "an Unverified row without a reason"

    # Unverified for longer than ENTRYGUARD_UNVERIFIED_ALERT_SECS because nothing answers: one
    # notification about the providers, not one about this credential.
    app.wait_status(name, "UNVERIFIED", 20)
    reason = short(app.reason(name))
    assert reason, "an Unverified row without a reason"
    assert dunst.wait_displayed(1, 30) >= 1, "no notification while the provider was unreachable"
    assert stale(app, name) == "1", "the last decision is still the old Valid: stale"
    app.screenshot("freshness-stale-provider-offline")
    with_details = app.open_details(name)
    for testid in ("last-decision", "next-check"):
        assert short(app.find(tid(testid), with_details).text), f"{testid} is empty while offline"
    details_text = {t: short(app.find(tid(t), with_details).text) for t in ("last-decision", "next-check")}
    app.screenshot("freshness-details-offline")
    app.close_details()

    apisix.start()
    app.wait_status(name, "VALID", 60)
    wait_stale(app, name, "0", 10)
    app.screenshot("freshness-fresh-again")

    statuses = app.recorded_statuses(name)
    assert "INVALID" not in statuses, f"an unreachable provider is not an Invalid key: {statuses}"
    time.sleep(2)
    notes = dunst.close_all_and_history()
    assert len(notes) == 1, f"expected one notification, got {[str(n) for n in notes]}"
    assert notes[0].summary == "EntryGuard cannot reach the providers", str(notes[0])
    print(f"offline reason {reason!r}; details {details_text}; statuses {statuses}; notification {notes[0]}")


# ============================================================================================
# c) the details panel's status history
# ============================================================================================
def history_statuses(app: App) -> list[str]:
    """The status of each status-history-item in the open details panel, as listed."""
    out = []
    for item in app.find_all(f'{tid("details-panel")} {tid("status-history-item")}'):
        status = (item.get_attribute("data-status") or "").upper()
        if not status:
            text = short(item.text).upper()
            status = next((s for s in ("UNVERIFIED", "INVALID", "VALID") if s in text), text)
        out.append(status)
    return out


def test_the_details_panel_lists_valid_then_invalid_in_the_status_history(app_with_env, iam_keys):
    app = app_with_env({"ENTRYGUARD_RECHECK_SECS": RECHECK_SECS, "ENTRYGUARD_AWS_PROPAGATION_GRACE_SECS": "0"})
    name = "AWS Build Key"
    key_id, secret = iam_keys.create()
    app.add(app.aws_fields(name, key_id, secret))
    app.wait_status(name, "VALID", 30)
    iam_keys.delete(key_id)
    app.wait_status(name, "INVALID", 30)

    panel = app.open_details(name)
    app.until(lambda: len(app.find_all(tid("status-history-item"), panel)) >= 2, 10,
              "the status history lists fewer than two entries")
    items = app.find_all(tid("status-history-item"), panel)
    listed = history_statuses(app)
    decisions = [s for s in listed if s in ("VALID", "INVALID")]
    texts = [short(i.text) for i in items]
    # Newest first (as the audit trail) or oldest first: either way Valid came, then Invalid.
    order = newest_first(items)
    chronological = list(reversed(decisions)) if order else decisions
    assert chronological[-2:] == ["VALID", "INVALID"], f"status history {texts} (newest first: {order})"
    assert short(app.find(tid("last-decision"), panel).text), "last-decision is empty"
    app.screenshot("freshness-details-status-history")


def newest_first(items) -> bool:
    """True when the list's times run newest to oldest (by <time datetime>), else False."""
    stamps = []
    for item in items:
        found = item.find_elements("css selector", "time[datetime]")
        if found:
            stamps.append(found[0].get_attribute("datetime"))
    if len(stamps) >= 2 and stamps[0] != stamps[-1]:
        return stamps[0] > stamps[-1]
    return True  # like the audit trail


# ============================================================================================
# d) the table at the minimum, default and a wide window size
# ============================================================================================
LONG_NAME = "Payments platform production deploy keys"  # 40 characters
assert len(LONG_NAME) == 40

FITS_JS = """
// The element and every element inside it (the text may sit in an inner, clamped span): the
// first one whose text is cut (an ellipsis, lines clamped away, or clipped by an ancestor),
// else the element's own measures.
const measure = (el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const text = range.getBoundingClientRect();
  const box = el.getBoundingClientRect();
  let left = text.left, right = text.right, top = text.top, bottom = text.bottom;
  for (let a = el; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    const r = a.getBoundingClientRect();
    if (s.overflowX !== 'visible') { left = Math.max(left, r.left); right = Math.min(right, r.right); }
    if (s.overflowY !== 'visible') { top = Math.max(top, r.top); bottom = Math.min(bottom, r.bottom); }
  }
  return {tag: el.tagName + (el.className ? '.' + el.className : ''),
          scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
          scrollHeight: el.scrollHeight, clientHeight: el.clientHeight,
          textWidth: text.width, visibleWidth: Math.max(0, right - left),
          textHeight: text.height, visibleHeight: Math.max(0, bottom - top), text: el.textContent};
};
const cut = (m) => m.clientWidth === 0 || m.scrollWidth > m.clientWidth ||
  m.scrollHeight > m.clientHeight || m.visibleWidth + 1 < m.textWidth ||
  m.visibleHeight + 1 < m.textHeight;
const all = [arguments[0], ...arguments[0].querySelectorAll('*:not(wbr)')].map(measure);
return all.find(cut) || all[0];
"""


def set_window_size(width: int, height: int) -> None:
    import subprocess

    (window,) = wait_for(lambda: windows_named("EntryGuard") or None, 20, "the EntryGuard window")
    subprocess.run(["xdotool", "windowsize", "--sync", window, str(width), str(height)], check=True, timeout=20)


def fits(app: App, el) -> dict:
    return app.driver.execute_script(FITS_JS, el)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_table_shows_a_long_name_and_its_environment_at_min_default_and_wide_sizes(
    app_with_env, iam_keys, fakes, theme
):
    extra = {"GTK_THEME": "Adwaita:dark"} if theme == "dark" else {}
    app = app_with_env(extra)
    if theme == "dark":
        assert app.driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    key_id, secret = iam_keys.create()
    app.add({**app.aws_fields(LONG_NAME, key_id, secret), "environment": "production"})
    app.add({**app.apisix_fields("Customer data warehouse nightly exports"), "environment": "staging"})
    app.add({**app.azure_fields("Azure AD"), "environment": "dev"})
    app.add({**app.gcp_fields("Analytics exports"), "environment": "production"})
    names = (LONG_NAME, "Customer data warehouse nightly exports", "Azure AD", "Analytics exports")
    types = dict(zip(names, ("ACCESS_KEY", "ADMIN_KEY", "CLIENT_SECRET", "SERVICE_ACCOUNT_KEY")))
    for name in names:
        app.wait_status(name, "VALID", 30)

    conf = json.loads((Path(__file__).resolve().parents[2] / "tauri.conf.json").read_text())
    window = conf["app"]["windows"][0]
    sizes = [
        ("min", window["minWidth"], window["minHeight"]),
        ("default", window["width"], window["height"]),
        ("wide", 1800, window["height"]),
    ]
    suffix = "" if theme == "light" else "-dark"
    measured = {}
    for label, width, height in sizes:
        set_window_size(width, height)
        app.until(lambda: app.driver.execute_script("return window.innerWidth") == width, 10,
                  f"the page did not become {width} px wide "
                  f"(innerWidth {app.driver.execute_script('return window.innerWidth')})")
        time.sleep(0.3)  # layout and fonts settle
        app.screenshot(f"table-{label}-{width}x{height}{suffix}")
        measured[label] = {}
        for name in names:
            row = app.row(name)
            measured[label][name] = {
                "name": fits(app, app.find(tid("details-button"), row)),
                "environment": fits(app, app.find(tid("environment"), row)),
            }
            # The product page's Type column.
            shown = app.find(tid("type"), row)
            assert shown.get_attribute("textContent") == types[name], (name, label)
            measured[label][name]["type"] = fits(app, shown)

    def cut(m: dict) -> bool:  # an ellipsis at the end of the line, or lines clamped away
        return (m["clientWidth"] == 0 or m["scrollWidth"] > m["clientWidth"]
                or m["scrollHeight"] > m["clientHeight"] or m["visibleWidth"] + 1 < m["textWidth"]
                or m["visibleHeight"] + 1 < m["textHeight"])

    report = {label: {n: {part: ("CUT" if cut(m) else "whole") for part, m in parts.items()}
                      for n, parts in rows.items()} for label, rows in measured.items()}
    print(f"{theme}: {json.dumps(report)}")
    for name in names:
        for part, m in measured["default"][name].items():
            assert not cut(m), f"the {part} of {name!r} is cut at the default size: {m}"
        assert not cut(measured["min"][name]["type"]), f"the type of {name!r} is cut at the min size"
    # The Type column sorts like the others.
    app.click(app.find(tid("sort-type")))
    app.until(lambda: [r.get_attribute("data-name") for r in app.rows()] == sorted(names, key=types.get),
              10, "rows sorted by type")


# ============================================================================================
# e) the CLI: freshness in the list, the re-check setting
# ============================================================================================
def test_the_cli_lists_freshness_and_refuses_an_out_of_range_recheck_interval(app_bin, fakes, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env = {**os.environ, "EG_ADMIN_KEY": fakes["apisix_key"]}

    def cli(*args, extra=None):
        return run_cli(app_bin, data, *args, env={**env, **(extra or {})})

    out = cli("credentials", "add", "--name", "APISIX Gateway", "--provider", "apisix",
              "--endpoint", fakes["endpoint"], "--secret-env", "EG_ADMIN_KEY")
    assert out.returncode == 0, out.stderr
    out = cli("credentials", "verify", "APISIX Gateway", "--wait", "--json")
    assert out.returncode == 0, out.stderr

    rows = listed(cli("credentials", "list", "--json"))
    assert len(rows) == 1, rows
    row = rows[0]
    for field in ("checked_at", "next_check_at", "stale", "expires_at"):
        assert field in row, f"credentials list --json has no {field!r}: {row}"
    assert row["checked_at"], row
    assert row["stale"] is False, row
    assert listed(cli("credentials", "list", "--stale", "--json")) == [], "a fresh row listed as stale"

    # With a 1 s interval the decision is stale a moment later.
    time.sleep(2.5)
    stale_rows = listed(cli("credentials", "list", "--stale", "--json", extra={"ENTRYGUARD_RECHECK_SECS": "1"}))
    assert [r["name"] for r in stale_rows] == ["APISIX Gateway"], stale_rows
    assert stale_rows[0]["stale"] is True, stale_rows

    out = cli("settings", "set", "recheck-hours", "0")
    assert out.returncode == 0, out.stderr
    shown = cli("settings", "show")
    assert shown.returncode == 0, shown.stderr
    recheck_line = next((line for line in shown.stdout.splitlines() if "check" in line.lower()), "")
    assert "off" in recheck_line.lower(), f"settings show after recheck-hours 0:\n{shown.stdout}"

    out = cli("settings", "set", "recheck-hours", "99999")
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    message = out.stderr.strip()
    assert "99999" in message and "720" in message, f"not a clear message: {message!r}"
    again = cli("settings", "show")
    assert again.stdout == shown.stdout, "a refused value changed the settings"
    print(f"settings show:\n{shown.stdout}\nrefused: {message}")


def listed(out) -> list[dict]:
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    if isinstance(data, dict):
        data = data.get("credentials", data.get("rows", data))
    assert isinstance(data, list), data
    return data
