"""Accessibility in the real window: axe-core finds no violations on the page or in any dialog,
in the light and in the dark theme (colour contrast included).

axe-core is the UI's devDependency (ui/node_modules/axe-core). It is injected with WebDriver's
execute script, which the window's CSP does not govern, and needs no eval once loaded. The dark
theme reaches the webview as in test_dark.py: GTK_THEME=Adwaita:dark for tauri-driver and the app.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from selenium.webdriver.common.keys import Keys

from harness import ARTIFACTS, REPO, TauriDriver, driver_env
from pages import App, tid

AXE_JS = REPO / "ui" / "node_modules" / "axe-core" / "axe.min.js"

# Waits for finite animations (a dialog fading in would measure as low contrast), then runs
# axe on the whole document and hands back each violation's id, impact, help and targets.
RUN_AXE = """
const done = arguments[arguments.length - 1];
const settling = document.getAnimations()
  .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map((a) => a.finished.catch(() => null));
Promise.all(settling)
  .then(() => axe.run(document, {resultTypes: ['violations']}))
  .then(
    (r) => done(r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
    }))),
    (e) => done({error: String(e)}),
  );
"""

GOOD = "APISIX Gateway"
BAD = "APISIX bad key"
PASSPHRASE = "tangerine harbour 42 quietly"


@pytest.fixture(scope="module", params=["light", "dark"])
def theme(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def tauri_driver(theme, moto, fakes, driver_home):
    """Overrides the session driver for this module: the app runs in the theme under test."""
    gtk_theme = "Adwaita:dark" if theme == "dark" else "Adwaita"
    env = driver_env(moto, fakes, driver_home, {"GTK_THEME": gtk_theme})
    driver = TauriDriver(env, ARTIFACTS / f"tauri-driver-axe-{theme}.log")
    try:
        yield driver
    finally:
        driver.stop()


def axe_violations(app: App) -> list[dict]:
    """axe-core's violations for the window as it is now (axe is injected on first use)."""
    driver = app.driver
    if not driver.execute_script("return typeof window.axe === 'object'"):
        assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `npm --prefix ui ci`"
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    result = driver.execute_async_script(RUN_AXE)
    assert isinstance(result, list), f"axe-core could not run in the window: {result}"
    return result


def describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        lines.append(f"{where}:")
        for v in violations:
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"    {node}" for node in v["nodes"]]
    return "\n".join(lines)


def close_with_escape(app: App, testid: str) -> None:
    app.keys(Keys.ESCAPE)
    app.gone(tid(testid))


def lose_vault_key(app: App) -> None:
    """Points the vault at a keychain entry that does not exist, as after a lost login keyring:
    the next status check reports the key missing and offers a reset (the one way to that
    dialog). Relies on the vault table's key_account column (src-tauri/core)."""
    with closing(sqlite3.connect(app.data_dir / "entryguard.db", timeout=10)) as db:
        with db:
            db.execute("UPDATE vault SET key_account = 'vault-e2e-lost-key'")
    app.click(app.visible(tid("refresh")))


def test_page_and_every_dialog_pass_axe_with_no_violations(app, theme):
    dark = app.driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    assert dark == (theme == "dark"), f"the window did not open in the {theme} theme"

    found: dict[str, list[dict]] = {}

    def check(where: str) -> None:
        violations = axe_violations(app)
        if violations:
            found[where] = violations

    app.visible(tid("empty-state"))
    check("empty state")

    app.add(app.apisix_fields(GOOD))
    app.add(app.apisix_fields(BAD, key="eg-wrong-admin-key-000000"))
    app.wait_status(GOOD, "VALID", 30)
    app.wait_status(BAD, "INVALID", 60)
    check("table with a Valid and an Invalid row")

    app.open_add_dialog()
    check("add dialog")
    app.submit()
    app.error_text("name")
    check("add dialog with field errors")
    close_with_escape(app, "add-dialog")

    app.open_details(GOOD)
    app.visible(f'{tid("details-panel")} {tid("audit-trail")}')
    check("details panel")
    app.click(app.visible(tid("details-rotate")))
    app.visible(tid("rotate-dialog"))
    check("rotate dialog over the details panel")
    close_with_escape(app, "rotate-dialog")
    app.click(app.visible(tid("details-delete")))
    app.visible(tid("delete-dialog"))
    check("delete dialog over the details panel")
    close_with_escape(app, "delete-dialog")
    app.close_details()

    app.open_rotate_dialog(BAD)
    check("rotate dialog")
    close_with_escape(app, "rotate-dialog")

    app.open_delete_dialog(BAD)
    check("delete dialog")
    close_with_escape(app, "delete-dialog")

    app.click(app.visible(tid("settings-button")))
    app.visible(tid("settings-dialog"))
    check("settings dialog")
    app.click(app.visible(tid("settings-save")))
    app.gone(tid("settings-dialog"))
    app.visible(tid("toast"))
    check("notification")

    creds = (
        "[importable]\n"
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        "\n"
        "[sso-profile]\n"
        "sso_start_url = https://example.awsapps.com/start\n"
    )
    app.open_import_dialog()
    check("import dialog")
    assert app.choose_import_file(creds), "the import preview listed no profiles"
    check("import dialog with profiles")
    close_with_escape(app, "import-dialog")

    app.click(app.visible(tid("more-actions")))
    app.visible('[role="menu"]')
    check("more actions menu")
    app.keys(Keys.ESCAPE)
    app.gone('[role="menu"]')

    app.open_backup_dialog()
    check("backup dialog")
    app.press_backup()
    app.error_text("backup_passphrase")
    check("backup dialog with field errors")
    app.fill_backup(PASSPHRASE)
    app.press_backup()
    app.backup_result()
    check("backup dialog, done")
    app.close_done_dialog("backup")

    app.open_restore_dialog()
    check("restore dialog")
    app.choose_backup(app.save_file, "not the passphrase at all")
    app.restore_error()
    check("restore dialog with a wrong passphrase")
    assert app.choose_backup(app.save_file, PASSPHRASE), "the restore preview listed nothing"
    app.visible(tid("restore-conflict"))  # both names exist in this vault
    check("restore dialog with the backup's credentials")
    close_with_escape(app, "restore-dialog")

    app.click(app.visible(tid("about-button")))
    version = app.visible(f'{tid("about-dialog")} {tid("about-version")}')
    app.until(lambda: version.text.strip(), 5, "about-version stayed empty")
    check("about dialog")
    close_with_escape(app, "about-dialog")

    lose_vault_key(app)
    app.click(app.visible(tid("reset-vault-button")))
    app.visible(tid("reset-dialog"))
    check("vault banner and reset dialog")
    close_with_escape(app, "reset-dialog")

    # The reset sets the two stored secrets aside: the page then notes them, quietly.
    app.click(app.visible(tid("reset-vault-button")))
    app.set_dialog_field("reset-dialog", "reset_confirmation", "RESET")
    app.click(app.visible(tid("reset-confirm")))
    app.gone(tid("reset-dialog"), 15)
    app.visible(tid("vault-set-aside"), 10)
    check("note on secrets set aside by a vault reset")

    assert not found, f"axe-core found violations ({theme} theme):\n{describe(found)}"
