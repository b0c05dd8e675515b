"""The CLI and an open window share one vault: what the CLI changes shows up without a reload."""

from __future__ import annotations

import os
import subprocess

from pages import tid


def run_cli(app_bin, data_dir, *args, env=None):
    return subprocess.run(
        [str(app_bin), "--data-dir", str(data_dir), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_credential_added_by_the_cli_appears_in_the_open_window_without_reload(app, app_bin, fakes):
    app.start_status_recorder()
    out = run_cli(
        app_bin, app.data_dir,
        "credentials", "add", "--name", "From the CLI", "--provider", "apisix",
        "--endpoint", fakes["endpoint"], "--secret-env", "EG_ADMIN_KEY",
        env={"EG_ADMIN_KEY": fakes["apisix_key"]},
    )
    assert out.returncode == 0, out.stderr
    app.row("From the CLI", timeout=5)
    app.wait_status("From the CLI", "VALID", 10)
    assert app.page_was_not_reloaded()

    out = run_cli(app_bin, app.data_dir, "credentials", "delete", "From the CLI", "--yes")
    assert out.returncode == 0, out.stderr
    app.row_gone("From the CLI", timeout=5)
    app.visible(tid("empty-state"))
