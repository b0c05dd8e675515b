"""The same key screens in the dark theme (screenshots named <name>-dark.png).

WebKitGTK follows the GTK theme: with GTK_THEME=Adwaita:dark in the environment of
tauri-driver (and so of the app), `prefers-color-scheme: dark` matches in the webview
(checked with WebKitGTK 2.50 on Debian 12).
"""

from __future__ import annotations

import shutil

import pytest

from harness import ARTIFACTS, TauriDriver, driver_env, run_cli
from pages import tid, unknown_aws_key


@pytest.fixture(scope="module")
def tauri_driver(moto, fakes, driver_home):
    """Overrides the session driver for this module: the app runs with the dark GTK theme."""
    env = driver_env(moto, fakes, driver_home, {"GTK_THEME": "Adwaita:dark"})
    driver = TauriDriver(env, ARTIFACTS / "tauri-driver-dark.log")
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture
def screenshot_suffix() -> str:
    return "-dark"


def test_dark_theme_reaches_the_page_and_empty_state(app, screenshot):
    assert app.driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches"), (
        "GTK_THEME=Adwaita:dark did not reach the webview as prefers-color-scheme: dark"
    )
    app.visible(tid("empty-state"))
    screenshot("empty-state")


def test_dark_add_dialog(app, screenshot):
    app.open_add_dialog()
    app.fill(app.aws_fields("AWS Production"))
    screenshot("add-dialog")


def test_dark_valid_and_invalid_rows(app, screenshot):
    app.add(app.aws_fields("AWS Production"))
    app.wait_status("AWS Production", "VALID", 30)
    screenshot("row-valid")
    key_id, secret = unknown_aws_key()
    app.add(app.aws_fields("AWS Unknown Key", key_id, secret))
    app.wait_status("AWS Unknown Key", "INVALID", 60)
    screenshot("row-invalid")


def test_dark_delete_dialog(app, screenshot):
    app.add(app.apisix_fields("To Delete"))
    app.open_delete_dialog("To Delete")
    screenshot("delete-dialog")


def test_dark_note_on_secrets_set_aside_by_a_reset(app, app_bin, tauri_driver, screenshot):
    app.add(app.apisix_fields("APISIX Gateway"))
    out = run_cli(app_bin, app.data_dir, "vault", "reset", "--yes", "--force", env=tauri_driver.env)
    assert out.returncode == 0, out.stderr
    app.visible(tid("vault-set-aside"), 10)
    screenshot("vault-reset-by-cli")


def test_dark_backup_and_restore_dialogs(app, another_vault, tmp_path, screenshot):
    """The four states test_backup.py shoots in the light theme, on a smaller vault."""
    passphrase = "tangerine harbour 42 quietly"
    app.add(app.apisix_fields("APISIX Gateway"))
    app.open_backup_dialog()
    app.fill_backup(passphrase)
    screenshot("backup-form")
    app.press_backup()
    app.backup_result()
    screenshot("backup-done")
    app.close_done_dialog("backup")
    backup = tmp_path / "vault.backup"
    shutil.copyfile(app.save_file, backup)

    app.driver.quit()
    fresh = another_vault("fresh")
    fresh.open_restore_dialog()
    assert fresh.choose_backup(backup, passphrase), "the restore preview listed nothing"
    fresh.screenshot("restore-preview")
    fresh.restore()
    fresh.screenshot("restore-done")
