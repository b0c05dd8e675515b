"""The CLI and an open window share one vault: what the CLI changes shows up without a reload."""

from __future__ import annotations

import json
import os

from harness import run_cli
from pages import tid


def test_a_credential_added_by_the_cli_appears_in_the_open_window_without_reload(app, app_bin, fakes):
    app.start_status_recorder()
    out = run_cli(
        app_bin, app.data_dir,
        "credentials", "add", "--name", "From the CLI", "--provider", "apisix",
        "--endpoint", fakes["endpoint"], "--secret-env", "EG_ADMIN_KEY",
        env={**os.environ, "EG_ADMIN_KEY": fakes["apisix_key"]},
    )
    assert out.returncode == 0, out.stderr
    app.row("From the CLI", timeout=5)
    app.wait_status("From the CLI", "VALID", 10)
    assert app.page_was_not_reloaded()

    out = run_cli(app_bin, app.data_dir, "credentials", "delete", "From the CLI", "--yes")
    assert out.returncode == 0, out.stderr
    app.row_gone("From the CLI", timeout=5)
    app.visible(tid("empty-state"))


def test_a_cli_reset_while_the_window_is_open_is_shown_and_nothing_saved_after_it_is_lost(
    app, app_bin, tauri_driver, screenshot
):
    """Key custody (issue 13): the CLI resets the vault under the open window. The window shows
    the secret set aside and notes it; what it saves afterwards is sealed with the new key, so a
    new process (its own key cache) can open it once the window is closed."""
    env = tauri_driver.env  # the app's own environment: same HOME, keychain and endpoints
    app.add(app.apisix_fields("APISIX Gateway"))
    app.wait_status("APISIX Gateway", "VALID", 30)
    app.start_status_recorder()

    out = run_cli(app_bin, app.data_dir, "vault", "reset", "--yes", "--force", env=env)
    assert out.returncode == 0, out.stderr

    # The window notices the change (it polls the database) and reloads the list and the vault.
    app.until(
        lambda: "set aside by a vault reset" in app.reason("APISIX Gateway"), 10,
        "the row does not say its secret was set aside by the reset",
    )
    assert app.status("APISIX Gateway") == "UNVERIFIED"
    note = app.visible(tid("vault-set-aside"), 10)
    assert note.get_attribute("data-count") == "1", note.get_attribute("data-count")
    assert "1 secret set aside" in note.text and "entryguard vault recover" in note.text, note.text
    assert not app.is_visible(tid("vault-banner")), "the new key is usable: no warning"
    assert app.page_was_not_reloaded()
    screenshot("vault-reset-by-cli")

    status = json.loads(run_cli(app_bin, app.data_dir, "vault", "status", "--json", env=env).stdout)
    assert status["state"] == "ready" and status["quarantined"] == 1, status

    app.add(app.apisix_fields("APISIX after reset"))
    app.wait_status("APISIX after reset", "VALID", 30)
    app.driver.quit()  # the window closes; the fixture's own quit then does nothing

    out = run_cli(app_bin, app.data_dir, "credentials", "verify", "APISIX after reset", "--wait", "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["status"] == "VALID", out.stdout
