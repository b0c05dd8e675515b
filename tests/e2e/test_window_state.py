"""Desktop integration: Ctrl+Q quits, and the window comes back at the size it was closed at."""

from __future__ import annotations

import os
import re
import subprocess

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from harness import wait_for, windows_named


def size_of(window: str) -> tuple[int, int]:
    out = subprocess.run(["xdotool", "getwindowgeometry", window], capture_output=True, text=True, check=True)
    m = re.search(r"Geometry: (\d+)x(\d+)", out.stdout)
    assert m, f"xdotool reports a geometry: {out.stdout!r}"
    return int(m.group(1)), int(m.group(2))


def test_ctrl_q_quits_and_the_window_size_is_remembered(app, app_bin, driver_home):
    (window,) = windows_named("EntryGuard")
    assert size_of(window) == (1200, 760), "the first run opens at the default size"
    subprocess.run(["xdotool", "windowsize", "--sync", window, "900", "640"], check=True)
    wait_for(lambda: size_of(window) == (900, 640), 10, "the resize")

    try:
        ActionChains(app.driver).key_down(Keys.CONTROL).send_keys("q").key_up(Keys.CONTROL).perform()
    except WebDriverException:
        pass  # the app quit while the driver was still releasing Ctrl

    wait_for(lambda: not windows_named("EntryGuard"), 20, "Ctrl+Q to close the app")

    env = {**os.environ, "HOME": str(driver_home)}
    again = subprocess.Popen([str(app_bin), "--data-dir", str(app.data_dir)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        (window,) = wait_for(lambda: windows_named("EntryGuard", again.pid), 60, "the window to reopen")
        wait_for(lambda: size_of(window) == (900, 640), 10, "the second launch to restore the size")
    finally:
        again.terminate()
        again.wait(timeout=10)
