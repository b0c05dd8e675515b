"""Desktop integration: a window started from the desktop has no terminal, so when it cannot
start (here: its vault's database file is not a database) it says why in a dialog, and exits 1
once the dialog is closed, instead of vanishing with the reason on stderr only."""

from __future__ import annotations

import os
import subprocess

from harness import SCREENS, wait_for, windows_named

TITLE = "EntryGuard could not start"


def test_a_vault_that_cannot_be_opened_says_why_in_a_dialog_and_exits_1(app_bin, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "entryguard.db").write_bytes(b"this is not an EntryGuard vault\n" * 256)
    (tmp_path / "home").mkdir()
    env = {**os.environ, "HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    app = subprocess.Popen([str(app_bin), "--data-dir", str(data)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        dialog = wait_for(lambda: windows_named(TITLE, app.pid), 60, "the start-up error dialog")
        assert app.poll() is None, "the app waits until the dialog is read"
        SCREENS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["import", "-window", "root", str(SCREENS / "start-error-dialog.png")],
                       check=False, timeout=20)
        # Return on its OK button, as typed (XTEST after focusing it; GTK ignores sent events).
        subprocess.run(["xdotool", "windowfocus", "--sync", dialog[0], "key", "Return"],
                       check=True, timeout=20)
        _, stderr = app.communicate(timeout=20)
        assert app.returncode == 1, stderr
        assert "is damaged or is not an EntryGuard database" in stderr, stderr
        assert not windows_named(TITLE), "the dialog is gone"
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
