"""The real native file dialogs (GTK, opened from Rust on the main thread), with no test answer
set: they open over the window with the app's title for them, and cancelling one keeps what
the page showed. Every other test answers for the dialogs (ENTRYGUARD_TEST_PICK_FILE)."""

from __future__ import annotations

import subprocess

from harness import wait_for, windows_named
from pages import tid

# No answer: the app opens the real dialog (an empty value counts as unset).
REAL_DIALOGS = {"ENTRYGUARD_TEST_PICK_FILE": "", "ENTRYGUARD_TEST_SAVE_FILE": ""}


def cancel(window: str) -> None:
    """Escape in the dialog, as typed (XTEST after focusing it; GTK ignores sent events)."""
    subprocess.run(["xdotool", "windowfocus", "--sync", window, "key", "Escape"], check=True, timeout=20)


def test_choose_file_opens_the_native_dialog_and_cancelling_it_keeps_the_default_file(app_with_env):
    app = app_with_env(REAL_DIALOGS)
    app.open_import_dialog()
    path = app.visible(f'{tid("import-dialog")} {tid("import-path")}')
    assert path.get_attribute("value") == "~/.aws/credentials"
    app.click(app.visible(f'{tid("import-dialog")} {tid("import-choose")}'))
    dialog = wait_for(lambda: windows_named("Choose an AWS credentials file"), 20, "the native file dialog")
    app.capture_display("native-file-dialog")
    cancel(dialog[0])
    wait_for(lambda: not windows_named("Choose an AWS credentials file"), 20, "the file dialog to close")
    # The page answers again, and shows the default file still.
    app.until(lambda: app.find(f'{tid("import-dialog")} {tid("import-path")}').get_attribute("value")
              == "~/.aws/credentials", 10, "the import dialog to keep the default file")
    app.click(app.visible(f'{tid("import-dialog")} {tid("import-choose")}'))
    dialog = wait_for(lambda: windows_named("Choose an AWS credentials file"), 20, "the dialog a second time")
    cancel(dialog[0])
    wait_for(lambda: not windows_named("Choose an AWS credentials file"), 20, "the second dialog to close")


def test_back_up_opens_the_native_save_dialog_and_cancelling_it_writes_nothing(app_with_env):
    app = app_with_env(REAL_DIALOGS)
    app.add(app.apisix_fields("dialog check"))
    app.row("dialog check")
    app.open_backup_dialog()
    app.fill_backup("correct horse battery staple 42")
    app.click(app.visible(f'{tid("backup-dialog")} {tid("backup-submit")}'))
    dialog = wait_for(lambda: windows_named("Back up the vault to"), 20, "the native save dialog")
    app.capture_display("native-save-dialog")
    cancel(dialog[0])
    wait_for(lambda: not windows_named("Back up the vault to"), 20, "the save dialog to close")
    # Cancelled: the form is back, ready to try again, and no file was written.
    app.visible(f'{tid("backup-dialog")} {tid("backup-submit")}')
    assert not app.is_visible(tid("backup-result"))
    written = [p for p in app.save_file.parent.parent.rglob("*") if p.is_file() and "backup" in p.name]
    assert written == [], written
