"""Encrypted backup and restore in the real window (issue 16).

"Back up…" asks the backend, whose save dialog answers with harness.save_file under test
(ENTRYGUARD_TEST_SAVE_FILE); "Choose backup…" asks it too, and its open dialog answers with
harness.pick_file (ENTRYGUARD_TEST_PICK_FILE), which each test fills with a copy of its backup.
The restore into a fresh vault runs in a second window on a data dir of its own: a vault with a
key of its own. (A truly different keyring is covered by the Rust and CLI tests.)
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
from pathlib import Path

from selenium.webdriver.common.keys import Keys

from pages import tid

VALID_TIMEOUT = 30
PASSPHRASE = "tangerine harbour 42 quietly"
APISIX, AWS = "APISIX Gateway", "AWS Production"


def test_a_backup_restores_into_a_fresh_vault_where_both_credentials_turn_valid(
    app, another_vault, moto, fakes, tmp_path, screenshot
):
    app.add(app.apisix_fields(APISIX))
    app.add(app.aws_fields(AWS))
    app.wait_status(APISIX, "VALID", VALID_TIMEOUT)
    app.wait_status(AWS, "VALID", VALID_TIMEOUT)

    # The rules are said before anything is typed.
    dialog = app.open_backup_dialog()
    rules = " ".join(app.find(tid("backup-rules"), dialog).text.split())
    for rule in ("12 characters", "need the passphrase to restore", "cannot be recovered"):
        assert rule in rules, f"the backup dialog does not say {rule!r}: {rules!r}"
    assert app.dialog_field("backup-dialog", "backup_passphrase").get_attribute("type") == "password"
    assert app.dialog_field("backup-dialog", "include_audit").is_selected(), "the trail is in by default"
    app.fill_backup(PASSPHRASE)
    screenshot("backup-form")

    app.press_backup()
    result = app.backup_result()
    assert result.get_attribute("data-credentials") == "2", result.get_attribute("outerHTML")
    assert int(result.get_attribute("data-audit-events") or "0") > 0, "the audit trail was included"
    assert app.save_file.name in (result.get_attribute("data-file") or ""), "it says where it wrote"
    assert "Backed up 2 credentials" in app.visible(tid("toast")).text
    screenshot("backup-done")
    app.close_done_dialog("backup")
    assert PASSPHRASE not in app.typed_values(), "the passphrase must not stay in the page"

    # The file: written only for its owner, and no secret in it in clear.
    assert app.save_file.is_file(), f"no backup at {app.save_file}"
    assert stat.S_IMODE(app.save_file.stat().st_mode) == 0o600, oct(app.save_file.stat().st_mode)
    data = app.save_file.read_bytes()
    for secret in (moto["secret_access_key"], fakes["apisix_key"]):
        assert secret.encode() not in data, "a secret is in the backup file in clear"
    backup = tmp_path / "vault.backup"
    shutil.copyfile(app.save_file, backup)

    # A fresh vault (its own data dir and key) in a second window.
    app.driver.quit()
    fresh = another_vault("fresh")
    fresh.visible(tid("empty-state"))
    fresh.open_restore_dialog()
    assert fresh.dialog_field("restore-dialog", "restore_passphrase").get_attribute("type") == "password"
    rows = fresh.choose_backup(backup, PASSPHRASE)
    assert not fresh.is_visible(tid("restore-error")), fresh.find(tid("restore-error")).text
    assert fresh.pick_file.name in fresh.find(tid("restore-file")).text, "it says which file it read"
    assert sorted(r.get_attribute("data-name") for r in rows) == sorted([APISIX, AWS])
    assert {r.get_attribute("data-action") for r in rows} == {"restore"}
    assert not fresh.is_visible(tid("restore-conflict")), "no name exists in a fresh vault"
    assert "Restore 2 credentials" in fresh.restore_submit_button().text
    page = fresh.driver.page_source
    assert moto["secret_access_key"] not in page and fakes["apisix_key"] not in page
    fresh.screenshot("restore-preview")  # `screenshot` shoots `app`, closed by now

    result = fresh.restore()
    counts = {k: result.get_attribute(f"data-{k}") for k in ("restored", "renamed", "skipped", "queued")}
    assert counts == {"restored": "2", "renamed": "0", "skipped": "0", "queued": "2"}, counts
    fresh.screenshot("restore-done")
    fresh.close_done_dialog("restore")
    assert PASSPHRASE not in fresh.typed_values()

    # The secrets came back whole: each credential checks out with its provider again.
    fresh.wait_status(APISIX, "VALID", VALID_TIMEOUT)
    fresh.wait_status(AWS, "VALID", VALID_TIMEOUT)
    assert moto["user_arn"] in fresh.identity(AWS)
    assert sorted(r.get_attribute("data-name") for r in fresh.rows()) == sorted([APISIX, AWS])


def test_a_credential_whose_secret_was_altered_is_left_out_and_named_in_the_done_dialog(app, screenshot):
    app.add(app.apisix_fields(APISIX))
    app.add(app.apisix_fields("Altered on disk"))
    altered = app.row("Altered on disk").get_attribute("data-id")
    with sqlite3.connect(app.data_dir / "entryguard.db") as db:
        db.execute("UPDATE secret_fields SET blob = zeroblob(length(blob)) WHERE credential_id = ?", (altered,))

    app.backup(PASSPHRASE)
    result = app.backup_result()
    assert (result.get_attribute("data-credentials"), result.get_attribute("data-left-out")) == ("1", "1")
    left = app.visible(tid("backup-left-out"))
    text = " ".join(left.text.split())
    assert "Left out 1 credential whose secret could not be read" in text, text
    assert "Altered on disk" in text and "integrity check" in text, text
    assert APISIX not in text, "a credential backed up is not named as left out"
    assert "Left out 1 credential" in app.visible(tid("toast")).text
    screenshot("backup-left-out")


def backup_of_one_credential(app, tmp_path) -> Path:
    """Adds APISIX, backs the vault up through the window and returns a copy of the file."""
    app.add(app.apisix_fields(APISIX))
    app.row(APISIX)
    app.backup(PASSPHRASE)
    app.close_done_dialog("backup")
    backup = tmp_path / "vault.backup"
    shutil.copyfile(app.save_file, backup)
    return backup


def test_a_wrong_passphrase_is_said_in_the_dialog_and_restores_nothing(app, tmp_path, screenshot):
    backup = backup_of_one_credential(app, tmp_path)
    app.open_restore_dialog()
    rows = app.choose_backup(backup, "not the passphrase at all")
    code, message = app.restore_error()
    assert code == "wrong_passphrase", (code, message)
    assert "passphrase" in message.lower(), message
    assert rows == [], "nothing of the backup is listed"
    assert not app.restore_submit_button().is_enabled(), "there is nothing to restore"
    passphrase = app.dialog_field("restore-dialog", "restore_passphrase")
    assert passphrase.get_attribute("aria-invalid") == "true"
    screenshot("restore-wrong-passphrase")

    app.keys(Keys.ESCAPE)
    app.gone(tid("restore-dialog"))
    assert [r.get_attribute("data-name") for r in app.rows()] == [APISIX], "nothing was restored"


def test_names_that_exist_are_skipped_or_restored_under_a_new_name(app, tmp_path, screenshot):
    backup = backup_of_one_credential(app, tmp_path)
    app.open_restore_dialog()
    app.choose_backup(backup, PASSPHRASE)
    # Skip is the default: the name exists, so there is nothing to restore.
    assert app.restore_row(APISIX).get_attribute("data-action") == "skip"
    assert not app.restore_submit_button().is_enabled()

    app.on_conflict("rename")
    app.until(lambda: app.restore_row(APISIX).get_attribute("data-action") == "rename", 5,
              "choosing a new name does not show in the preview")
    new_name = f"{APISIX} (restored)"
    assert app.restore_row(APISIX).get_attribute("data-as") == new_name
    assert "Restore 1 credential" in app.restore_submit_button().text
    screenshot("restore-preview-rename")

    result = app.restore()
    assert result.get_attribute("data-renamed") == "1", result.get_attribute("outerHTML")
    app.close_done_dialog("restore")
    app.wait_status(new_name, "VALID", VALID_TIMEOUT)
    assert sorted(r.get_attribute("data-name") for r in app.rows()) == sorted([APISIX, new_name])
