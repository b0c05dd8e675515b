"""Desktop integration: a second launch focuses the running window instead of opening another."""

from __future__ import annotations

import os
import subprocess
import time

from harness import wait_for, windows_named


def test_a_second_launch_does_not_open_a_second_window_and_needs_no_display(app_bin, tmp_path):
    """The second launch reaches the open window over D-Bus and exits before GTK starts, so it
    needs no display (a launch that left with GTK half-started died with SIGSEGV once in CI)."""
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    args = [str(app_bin), "--data-dir", str(tmp_path / "data")]
    # A window left by an earlier test (its app still shutting down) would own the
    # single-instance name; start from a screen without one.
    wait_for(lambda: not windows_named("EntryGuard"), 30, "earlier EntryGuard windows to close")
    first = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: windows_named("EntryGuard", first.pid), 60, "the first instance's window")
        second = subprocess.run(args, env=env, capture_output=True, timeout=30, check=False)
        assert second.returncode == 0, second.stderr
        headless = {k: v for k, v in env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        third = subprocess.run(args, env=headless, capture_output=True, text=True, timeout=30,
                               check=False)
        assert third.returncode == 0, third.stderr
        assert "handed over to the window already open" in third.stderr, third.stderr
        time.sleep(1)
        assert len(windows_named("EntryGuard")) == 1, "still exactly one window"
        assert first.poll() is None, "the first instance keeps running"
        # The CLI is not blocked by the running window.
        cli = subprocess.run([*args, "credentials", "list", "--json"], env=env, capture_output=True,
                             text=True, timeout=30, check=False)
        assert cli.returncode == 0 and cli.stdout.strip() == "[]", cli.stderr
    finally:
        first.terminate()
        try:
            first.wait(timeout=10)
        except subprocess.TimeoutExpired:
            first.kill()


def test_windows_on_two_vaults_open_side_by_side_and_each_vault_keeps_one(app_bin, tmp_path):
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    vault_a = [str(app_bin), "--data-dir", str(tmp_path / "a")]
    vault_b = [str(app_bin), "--data-dir", str(tmp_path / "b")]
    wait_for(lambda: not windows_named("EntryGuard"), 30, "earlier EntryGuard windows to close")
    first = subprocess.Popen(vault_a, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    other = None
    try:
        wait_for(lambda: windows_named("EntryGuard", first.pid), 60, "vault A's window")
        other = subprocess.Popen(vault_b, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: windows_named("EntryGuard", other.pid), 60, "vault B's own window")
        assert first.poll() is None and other.poll() is None, "both keep running"
        # A second launch on vault B still hands over to B's window.
        again = subprocess.run(vault_b, env=env, capture_output=True, timeout=30, check=False)
        assert again.returncode == 0, again.stderr
        time.sleep(1)
        assert len(windows_named("EntryGuard")) == 2, "one window per vault"
    finally:
        for proc in (first, other):
            if proc is None:
                continue
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_two_launches_at_once_open_one_window_and_the_later_hands_over(app_bin, tmp_path):
    """A double-click made twice: both launches start before either has a window. The later one
    waits until the first owns the vault's name, then hands over to it before GTK starts,
    rather than racing it and leaving through the plugin's exit with GTK half-started."""
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    args = [str(app_bin), "--data-dir", str(tmp_path / "data")]
    wait_for(lambda: not windows_named("EntryGuard"), 30, "earlier EntryGuard windows to close")
    logs = [tmp_path / f"launch{i}.log" for i in range(2)]
    launches = []
    for log in logs:
        with log.open("w") as err:
            launches.append(subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=err))
    try:
        wait_for(lambda: any(p.poll() is not None for p in launches), 60, "one launch to hand over")
        time.sleep(1)
        ended = [i for i, p in enumerate(launches) if p.poll() is not None]
        assert len(ended) == 1, "exactly one of the two launches ends"
        (i,) = ended
        stderr = logs[i].read_text()
        assert launches[i].returncode == 0, stderr
        assert "handed over to the window already open" in stderr, stderr
        window = launches[1 - i]
        wait_for(lambda: windows_named("EntryGuard", window.pid), 60, "the other launch's window")
        assert len(windows_named("EntryGuard")) == 1, "exactly one window"
    finally:
        for proc in launches:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
