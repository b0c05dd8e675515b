"""Page object for the Admin › Credentials window.

Every selector the suite relies on lives here, so a UI change is fixed in one place.
Contract with the UI (data-testid unless said otherwise):
    body[data-ready="1"] once the table rendered; add-credential; add-dialog with controls by
    name= (name, provider, type, environment, access_key_id, secret_access_key, session_token,
    region, endpoint, admin_key, tenant_id, client_id, client_secret, service_account_json);
    error-<field>; create-submit; tr[data-testid=credential-row][data-id][data-name] with
    status-badge[data-status=VALID|INVALID|UNVERIFIED], status-reason, identity, verify-button,
    delete-button; delete-dialog with delete-confirm / delete-cancel; empty-state; toast;
    vault-banner[data-state] with vault-retry ("Check again"); vault-set-aside[data-count] (the
    note on secrets a vault reset set aside); filter-text; refresh.
Lifecycle (rotate, details, import, settings, vault reset): per row rotate-button and
    details-button (the name) and key-age[data-stale]; rotate-dialog with the add dialog's control
    names and rotate-submit; details-panel (role=dialog) with audit-event[data-kind] >
    audit-kind, details-verify / details-rotate / details-delete; settings-button,
    settings-dialog [name=key_age_threshold_days], settings-save; import-button, import-dialog with
    import-path (read-only: the file read), import-choose ("Choose file…", answered by
    ENTRYGUARD_TEST_PICK_FILE, see harness.pick_file), import-preview (the default file),
    import-error, import-row[data-profile][data-importable][data-checked] > import-check /
    import-name / import-problem, import-submit; reset-vault-button, reset-dialog
    [name=reset_confirmation], reset-confirm.
Backup and restore (test_backup.py): more-actions (the header's menu button, role=menu) with
    backup-button and restore-button (role=menuitem); empty-restore (the empty state's
    "Restore from a backup"). backup-dialog with [name=backup_passphrase],
    [name=backup_passphrase_again], [name=show_passphrase], [name=include_audit] (checked by
    default), error-backup_passphrase / error-backup_passphrase_again, backup-error[data-code],
    backup-progress[data-done][data-total], backup-submit ("Back up…", answered by
    ENTRYGUARD_TEST_SAVE_FILE, see harness.save_file), then
    backup-result[data-file][data-credentials][data-audit-events] and backup-done.
    restore-dialog with [name=restore_passphrase], restore-choose ("Choose backup…", answered by
    ENTRYGUARD_TEST_PICK_FILE), restore-error[data-code], restore-file,
    restore-conflict with [name=on_conflict][value=skip|rename] (only when names exist),
    restore-row[data-name][data-action=restore|skip|rename][data-as], restore-counts,
    restore-progress, restore-submit ("Restore N credentials"), then
    restore-result[data-restored][data-renamed][data-skipped][data-queued] and restore-done.
Freshness (test_freshness.py): status-badge[data-stale="1"|"0"] (decision older than the
    re-check interval); credential-row[data-focused="true"] after a notification's action;
    details-panel holds last-decision, next-check and status-history > status-history-item
    [data-status] with <time datetime>.
Accessibility (test_accessibility.py): every dialog closes on Escape; details-panel holds
    audit-trail once loaded; about-button opens about-dialog with about-version.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

STATUSES = ("VALID", "INVALID", "UNVERIFIED")

PROVIDER_TYPES = {
    "AWS": "ACCESS_KEY",
    "APISIX": "ADMIN_KEY",
    "AZURE": "CLIENT_SECRET",
    "GCP": "SERVICE_ACCOUNT_KEY",
}

# Fill order: the choices that decide which provider fields exist come first.
FIELD_ORDER = (
    "name", "provider", "type", "environment",
    "access_key_id", "secret_access_key", "session_token", "region",
    "endpoint", "admin_key",
    "tenant_id", "client_id", "client_secret",
    "service_account_json",
)

# Records every status a row shows, so "Unverified first" can be asserted even when the
# verification against a local server finishes in milliseconds.
STATUS_RECORDER_JS = """
if (!window.__egStatusLog) {
  window.__egStatusLog = [];
  const record = () => {
    document.querySelectorAll('tr[data-testid="credential-row"]').forEach((row) => {
      const badge = row.querySelector('[data-testid="status-badge"]');
      if (!badge) return;
      const entry = row.dataset.name + '\\u0000' + badge.dataset.status;
      const log = window.__egStatusLog;
      if (!log.length || log[log.length - 1] !== entry) {
        if (!log.includes(entry)) log.push(entry);
      }
    });
  };
  new MutationObserver(record).observe(document.body,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['data-status']});
  record();
}
window.__egNoReload = 'still-the-same-page';
"""


def tid(testid: str) -> str:
    return f'[data-testid="{testid}"]'


def full_text(el: WebElement) -> str:
    """Rendered text plus textContent and title (truncated cells keep the full text there)."""
    parts = [el.text or "", el.get_attribute("textContent") or "", el.get_attribute("title") or ""]
    return "\n".join(parts)


class App:
    def __init__(
        self,
        driver: WebDriver,
        data_dir: Path,
        screens_dir: Path,
        screenshot_suffix: str = "",
        moto: dict | None = None,
        fakes: dict | None = None,
        pick_file: Path | None = None,
        save_file: Path | None = None,
    ) -> None:
        self.driver = driver
        self.data_dir = data_dir
        self.screens_dir = screens_dir
        self.suffix = screenshot_suffix
        self.moto = moto or {}
        self.fakes = fakes or {}
        # What the app's file dialogs answer with (harness.pick_file, harness.save_file); see
        # choose_import_file, choose_backup and backup.
        self.pick_file = pick_file
        self.save_file = save_file

    # ------------------------------------------------------------------ basics
    def wait(self, timeout: float = 10.0) -> WebDriverWait:
        return WebDriverWait(
            self.driver, timeout, poll_frequency=0.1,
            ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
        )

    def until(self, fn: Callable[[], Any], timeout: float = 10.0, message: str = "") -> Any:
        return self.wait(timeout).until(lambda _d: fn(), message)

    def find(self, css: str, within: WebElement | None = None) -> WebElement:
        return (within or self.driver).find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str, within: WebElement | None = None) -> list[WebElement]:
        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    def visible(self, css: str, timeout: float = 10.0) -> WebElement:
        def check():
            for el in self.find_all(css):
                if el.is_displayed():
                    return el
            return False

        return self.until(check, timeout, f"no visible element {css}")

    def is_visible(self, css: str) -> bool:
        try:
            return any(el.is_displayed() for el in self.find_all(css))
        except StaleElementReferenceException:
            return False

    def gone(self, css: str, timeout: float = 10.0) -> None:
        self.until(lambda: not self.is_visible(css), timeout, f"{css} is still visible")

    def wait_ready(self, timeout: float = 30.0) -> None:
        self.until(
            lambda: self.driver.execute_script(
                "return !!document.body && document.body.dataset.ready === '1'"
            ),
            timeout,
            'the window never set document.body.dataset.ready = "1"',
        )

    def screenshot(self, name: str) -> Path:
        self.screens_dir.mkdir(parents=True, exist_ok=True)
        path = self.screens_dir / f"{name}{self.suffix}.png"
        self.driver.save_screenshot(str(path))
        return path

    def capture_display(self, name: str) -> Path:
        """The X display as a person sees it: a WebDriver screenshot shows only the page, and
        can show a frame older than the page's DOM."""
        self.screens_dir.mkdir(parents=True, exist_ok=True)
        path = self.screens_dir / f"{name}{self.suffix}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=False, timeout=20)
        return path

    def click(self, el: WebElement) -> None:
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        el.click()

    # ------------------------------------------------------------------ keyboard
    def active(self) -> WebElement:
        return self.driver.switch_to.active_element

    def keys(self, *keys: str) -> None:
        ActionChains(self.driver).send_keys(*keys).perform()

    def tab_to(self, predicate: Callable[[WebElement], bool], what: str, max_tabs: int = 60) -> WebElement:
        """Press Tab until the focused element satisfies predicate (keyboard only)."""
        for _ in range(max_tabs):
            el = self.active()
            try:
                if predicate(el):
                    return el
            except StaleElementReferenceException:
                pass
            self.keys(Keys.TAB)
        raise AssertionError(f"could not reach {what} with Tab in {max_tabs} presses")

    # ------------------------------------------------------------------ add dialog
    @property
    def dialog_css(self) -> str:
        return tid("add-dialog")

    def open_add_dialog(self) -> WebElement:
        self.click(self.visible(tid("add-credential")))
        return self.visible(self.dialog_css)

    def field(self, name: str, timeout: float = 5.0) -> WebElement:
        return self.visible(f'{self.dialog_css} [name="{name}"]', timeout)

    def has_field(self, name: str) -> bool:
        return self.is_visible(f'{self.dialog_css} [name="{name}"]')

    def select_option(self, el: WebElement, wanted: str) -> None:
        sel = Select(el)
        want = wanted.strip().upper()
        for opt in sel.options:
            value = (opt.get_attribute("value") or "").strip().upper()
            text = (opt.text or "").strip().upper()
            if want in (value, text):
                sel.select_by_value(opt.get_attribute("value"))
                return
        options = [(o.get_attribute("value"), o.text) for o in sel.options]
        raise AssertionError(f"select {el.get_attribute('name')!r} has no option {wanted!r}: {options}")

    def set_field(self, name: str, value: str) -> None:
        el = self.field(name)
        if el.tag_name.lower() == "select":
            self.select_option(el, value)
            return
        el.clear()
        el.send_keys(value)

    def field_value(self, name: str) -> str:
        return self.field(name).get_attribute("value") or ""

    def fill(self, fields: dict[str, str]) -> None:
        provider = fields.get("provider")
        ordered = sorted(fields, key=lambda k: FIELD_ORDER.index(k) if k in FIELD_ORDER else 99)
        for name in ordered:
            value = fields[name]
            if name == "type" and value is None:
                continue
            self.set_field(name, value)
            if name == "provider" and "type" not in fields:
                # pick the provider's type when the UI does not pick it by itself
                type_el = self.field("type")
                try:
                    chosen = Select(type_el).first_selected_option.get_attribute("value") or ""
                except NoSuchElementException:
                    chosen = ""
                if not chosen.strip():
                    self.select_option(type_el, PROVIDER_TYPES[provider.upper()])

    def submit(self) -> None:
        self.click(self.visible(f"{self.dialog_css} {tid('create-submit')}"))

    def add(self, fields: dict[str, str], expect_closed: bool = True) -> None:
        self.open_add_dialog()
        self.fill(fields)
        self.submit()
        if expect_closed:
            self.gone(self.dialog_css, 15)

    def error_text(self, field: str, timeout: float = 5.0) -> str:
        el = self.visible(tid(f"error-{field}"), timeout)
        self.until(lambda: el.text.strip(), timeout, f"error-{field} is empty")
        return el.text.strip()

    # ------------------------------------------------------------------ table
    def rows(self) -> list[WebElement]:
        return self.find_all('tr[data-testid="credential-row"]')

    def row(self, name: str, timeout: float = 10.0) -> WebElement:
        def check():
            for r in self.rows():
                if r.get_attribute("data-name") == name:
                    return r
            return False

        return self.until(check, timeout, f"no credential row named {name!r}")

    def row_gone(self, name: str, timeout: float = 10.0) -> None:
        self.until(
            lambda: all(r.get_attribute("data-name") != name for r in self.rows()),
            timeout, f"row {name!r} is still there",
        )

    def status(self, name: str) -> str:
        return self.find(tid("status-badge"), self.row(name)).get_attribute("data-status")

    def wait_status(self, name: str, status: str, timeout: float) -> WebElement:
        seen: list[str] = []

        def check():
            s = self.status(name)
            if not seen or seen[-1] != s:
                seen.append(s)
            return self.row(name) if s == status else False

        try:
            return self.until(check, timeout)
        except Exception as e:
            try:
                reason = self.reason(name)
            except Exception:
                names = [r.get_attribute("data-name") for r in self.rows()]
                reason = f"<no row named {name!r}; rows: {names}>"
            raise AssertionError(
                f"row {name!r} did not become {status} within {timeout} s; statuses seen {seen}; "
                f"reason: {reason!r}"
            ) from e

    def reason(self, name: str) -> str:
        return full_text(self.find(tid("status-reason"), self.row(name)))

    def identity(self, name: str) -> str:
        return full_text(self.find(tid("identity"), self.row(name)))

    def start_status_recorder(self) -> None:
        self.driver.execute_script(STATUS_RECORDER_JS)

    def recorded_statuses(self, name: str) -> list[str]:
        log = self.driver.execute_script("return window.__egStatusLog || []")
        return [e.split("\u0000", 1)[1] for e in log if e.split("\u0000", 1)[0] == name]

    def page_was_not_reloaded(self) -> bool:
        return self.driver.execute_script("return window.__egNoReload") == "still-the-same-page"

    # ------------------------------------------------------------------ delete
    def open_delete_dialog(self, name: str) -> WebElement:
        self.click(self.find(tid("delete-button"), self.row(name)))
        return self.visible(tid("delete-dialog"))

    # ------------------------------------------------------------------ any dialog's controls
    def dialog_field(self, dialog_testid: str, name: str, timeout: float = 5.0) -> WebElement:
        return self.visible(f'{tid(dialog_testid)} [name="{name}"]', timeout)

    def set_dialog_field(self, dialog_testid: str, name: str, value: str) -> None:
        el = self.dialog_field(dialog_testid, name)
        el.clear()
        el.send_keys(value)

    # ------------------------------------------------------------------ rotate
    def open_rotate_dialog(self, name: str) -> WebElement:
        self.click(self.find(tid("rotate-button"), self.row(name)))
        return self.visible(tid("rotate-dialog"))

    def rotate(self, name: str, fields: dict[str, str], expect_closed: bool = True) -> None:
        """Rotate `name` with the given controls (by name=, e.g. access_key_id) filled in."""
        self.open_rotate_dialog(name)
        for field in sorted(fields, key=lambda k: FIELD_ORDER.index(k) if k in FIELD_ORDER else 99):
            self.set_dialog_field("rotate-dialog", field, fields[field])
        self.click(self.visible(f'{tid("rotate-dialog")} {tid("rotate-submit")}'))
        if expect_closed:
            self.gone(tid("rotate-dialog"), 15)

    def key_age(self, name: str) -> WebElement:
        return self.find(tid("key-age"), self.row(name))

    # ------------------------------------------------------------------ details panel
    def open_details(self, name: str) -> WebElement:
        self.click(self.find(tid("details-button"), self.row(name)))
        return self.visible(tid("details-panel"))

    def audit_events(self) -> list[tuple[str, str]]:
        """(kind, label as shown) for each audit entry in the open details panel, newest first."""
        out = []
        for el in self.find_all(f'{tid("details-panel")} {tid("audit-event")}'):
            label = self.find(tid("audit-kind"), el).text.strip()
            out.append((el.get_attribute("data-kind") or "", label))
        return out

    def close_details(self) -> None:
        self.keys(Keys.ESCAPE)
        self.gone(tid("details-panel"))

    # ------------------------------------------------------------------ import
    def open_import_dialog(self) -> WebElement:
        self.click(self.visible(tid("import-button")))
        return self.visible(tid("import-dialog"))

    def import_preview(self, timeout: float = 10.0) -> list[WebElement]:
        """Presses Preview (the default file, ~/.aws/credentials), returns the profile rows."""
        self.click(self.visible(f'{tid("import-dialog")} {tid("import-preview")}'))
        return self._import_rows(timeout)

    def choose_import_file(self, content: str, timeout: float = 10.0) -> list[WebElement]:
        """Writes `content` to the file the app's "Choose file…" answers with under test (the
        app's ENTRYGUARD_TEST_PICK_FILE, harness.pick_file), presses Choose file…, and returns the
        profile rows of its preview."""
        assert self.pick_file is not None, "this App was made without pick_file"
        self.pick_file.parent.mkdir(parents=True, exist_ok=True)
        self.pick_file.write_text(content)
        self.pick_file.chmod(0o600)
        self.click(self.visible(f'{tid("import-dialog")} {tid("import-choose")}'))
        return self._import_rows(timeout)

    def _import_rows(self, timeout: float) -> list[WebElement]:
        self.until(
            lambda: self.find_all(tid("import-row")) or self.is_visible(tid("import-error")),
            timeout, "the import preview showed neither profiles nor an error",
        )
        return self.find_all(tid("import-row"))

    def import_row(self, profile: str) -> WebElement:
        return self.row_where("import-row", "data-profile", profile)

    def row_where(self, testid: str, attribute: str, value: str, timeout: float = 5.0) -> WebElement:
        """The element `testid` whose `attribute` is `value`, e.g. a preview's row by its name."""
        def check():
            for r in self.find_all(tid(testid)):
                if r.get_attribute(attribute) == value:
                    return r
            return False

        return self.until(check, timeout, f"no {testid} with {attribute}={value!r}")

    def import_submit_button(self) -> WebElement:
        return self.visible(f'{tid("import-dialog")} {tid("import-submit")}')

    # ------------------------------------------------------------------ backup and restore
    def more_actions(self, testid: str) -> None:
        """Opens the header's "More actions" menu and chooses the item `testid`."""
        self.click(self.visible(tid("more-actions")))
        self.click(self.visible(f'[role="menu"] {tid(testid)}'))

    def open_backup_dialog(self) -> WebElement:
        self.more_actions("backup-button")
        return self.visible(tid("backup-dialog"))

    def fill_backup(self, passphrase: str, again: str | None = None, include_audit: bool = True) -> None:
        """Types the passphrase (and `again`, by default the same) and sets "Include the audit
        trail" in the open backup dialog."""
        self.set_dialog_field("backup-dialog", "backup_passphrase", passphrase)
        self.set_dialog_field("backup-dialog", "backup_passphrase_again", passphrase if again is None else again)
        audit = self.dialog_field("backup-dialog", "include_audit")
        if audit.is_selected() != include_audit:
            self.click(audit)

    def press_backup(self) -> None:
        """Presses "Back up…": the app's save dialog answers with save_file (its folder is made
        first: the app writes the file, not the folder)."""
        assert self.save_file is not None, "this App was made without save_file"
        self.save_file.parent.mkdir(parents=True, exist_ok=True)
        self.click(self.visible(f'{tid("backup-dialog")} {tid("backup-submit")}'))

    def backup_result(self, timeout: float = 60.0) -> WebElement:
        """The done backup dialog's result (backup-result[data-file][data-credentials]…)."""
        return self.visible(f'{tid("backup-dialog")} {tid("backup-result")}', timeout)

    def backup(self, passphrase: str, include_audit: bool = True, timeout: float = 60.0) -> WebElement:
        """Backs the vault up to save_file through the window; returns backup-result, the
        dialog still open on it."""
        self.open_backup_dialog()
        self.fill_backup(passphrase, include_audit=include_audit)
        self.press_backup()
        return self.backup_result(timeout)

    def open_restore_dialog(self) -> WebElement:
        self.more_actions("restore-button")
        return self.visible(tid("restore-dialog"))

    def choose_backup(self, backup: Path, passphrase: str, timeout: float = 60.0) -> list[WebElement]:
        """Copies `backup` to the file the app's open dialog answers with under test
        (ENTRYGUARD_TEST_PICK_FILE, harness.pick_file), types `passphrase` into the open restore
        dialog, presses "Choose backup…", and returns the preview's rows: empty when the file
        holds none or restore-error shows (see restore_error)."""
        assert self.pick_file is not None, "this App was made without pick_file"
        self.pick_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(backup, self.pick_file)
        self.pick_file.chmod(0o600)
        self.set_dialog_field("restore-dialog", "restore_passphrase", passphrase)
        self.click(self.visible(f'{tid("restore-dialog")} {tid("restore-choose")}'))
        self.until(
            lambda: self.is_visible(tid("restore-file")) or self.is_visible(tid("restore-error")),
            timeout, "the restore dialog showed neither the backup's contents nor an error",
        )
        return self.find_all(tid("restore-row"))

    def restore_error(self) -> tuple[str, str]:
        """(code, message) of the error the restore dialog shows, e.g. ("wrong_passphrase", …)."""
        el = self.visible(f'{tid("restore-dialog")} {tid("restore-error")}')
        return el.get_attribute("data-code") or "", " ".join(el.text.split())

    def restore_row(self, name: str) -> WebElement:
        return self.row_where("restore-row", "data-name", name)

    def on_conflict(self, choice: str) -> None:
        """Picks what happens to names that exist: "skip" or "rename"."""
        self.click(self.visible(f'{tid("restore-conflict")} [name="on_conflict"][value="{choice}"]'))

    def restore_submit_button(self) -> WebElement:
        return self.visible(f'{tid("restore-dialog")} {tid("restore-submit")}')

    def restore(self, timeout: float = 60.0) -> WebElement:
        """Presses "Restore N credentials"; returns restore-result, the dialog still open on it."""
        self.click(self.restore_submit_button())
        return self.visible(f'{tid("restore-dialog")} {tid("restore-result")}', timeout)

    def close_done_dialog(self, testid: str) -> None:
        """Presses Done in a finished backup or restore dialog ("backup" or "restore"), then
        dismisses its toast (the same words as the dialog's result): a toast left for 6 s could
        cover the buttons of the next dialog."""
        self.click(self.visible(f'{tid(f"{testid}-dialog")} {tid(f"{testid}-done")}'))
        self.gone(tid(f"{testid}-dialog"))
        self.dismiss_toasts()

    def dismiss_toasts(self) -> None:
        for close in self.find_all(f'{tid("toast")} button[aria-label="Dismiss notification"]'):
            try:
                close.click()
            except StaleElementReferenceException:
                pass  # it closed on its own
        self.gone(tid("toast"))

    def typed_values(self) -> str:
        """Every input's and textarea's value, one a line (to check no secret stays typed)."""
        return self.driver.execute_script(
            "return [...document.querySelectorAll('input, textarea')].map(e => e.value).join('\\n')"
        )

    # ------------------------------------------------------------------ ready-made credentials
    def aws_fields(self, name: str, key_id: str | None = None, secret: str | None = None) -> dict[str, str]:
        return {
            "name": name,
            "provider": "AWS",
            "access_key_id": key_id or self.moto["access_key_id"],
            "secret_access_key": secret or self.moto["secret_access_key"],
        }

    def apisix_fields(self, name: str, key: str | None = None) -> dict[str, str]:
        return {
            "name": name,
            "provider": "APISIX",
            "endpoint": self.fakes["endpoint"],
            "admin_key": key or self.fakes["apisix_key"],
        }

    def azure_fields(self, name: str, secret: str | None = None) -> dict[str, str]:
        az = self.fakes["azure"]
        return {
            "name": name,
            "provider": "AZURE",
            "tenant_id": az["tenant_id"],
            "client_id": az["client_id"],
            "client_secret": secret or az["good_secret"],
        }

    def gcp_fields(self, name: str, key_json: str | None = None) -> dict[str, str]:
        return {
            "name": name,
            "provider": "GCP",
            "service_account_json": key_json or self.fakes["gcp"]["key_json"],
        }


def unknown_aws_key() -> tuple[str, str]:
    """A well-formed key that moto does not know: AKIA + 16, secret of 40."""
    key_id, secret = "AKIAEGTESTUNKNOWN123", "eGtEsTuNkNoWnSeCrEt0123456789abcdefGHIJK"
    assert len(key_id) == 20 and len(secret) == 40
    return key_id, secret
