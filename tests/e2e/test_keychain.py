"""The window without a keychain, and the keychain coming back (issue 13).

The app runs on a D-Bus session bus of its own that activates no service
(harness.PrivateSessionBus): nothing answers as the Secret Service until the test starts GNOME
Keyring on that bus. The app must say so, refuse to store a secret it cannot protect, and find
the keychain on "Check again" without a restart.
"""

from __future__ import annotations

import pytest

from harness import ARTIFACTS, PrivateSessionBus, TauriDriver, driver_env
from pages import tid


@pytest.fixture
def session_bus():
    bus = PrivateSessionBus()
    try:
        yield bus
    finally:
        bus.stop()


@pytest.fixture
def tauri_driver(session_bus, moto, fakes, driver_home):
    """Overrides the session driver for this module: the app's session bus is the private one."""
    env = driver_env(moto, fakes, driver_home, {"DBUS_SESSION_BUS_ADDRESS": session_bus.address})
    driver = TauriDriver(env, ARTIFACTS / "tauri-driver-keychain.log")
    try:
        yield driver
    finally:
        driver.stop()


def test_without_a_secret_service_the_banner_says_so_and_check_again_recovers_once_one_starts(
    app, session_bus, screenshot
):
    # The page asks for the vault's status as it opens: no keychain answers.
    banner = app.visible(tid("vault-banner"), 15)
    assert banner.get_attribute("data-state") == "no_keychain", banner.get_attribute("data-state")
    assert "keychain" in banner.text.lower(), banner.text
    assert not app.is_visible(tid("reset-vault-button")), "a reset cannot help without a keychain"

    # A secret cannot be stored without a key: refused with the same explanation, form kept.
    app.add(app.apisix_fields("APISIX Gateway"), expect_closed=False)
    # The reason shows inside the dialog, where nothing covers its buttons.
    error = app.visible(tid("form-error"), 15)
    app.until(lambda: "keychain" in error.text.lower(), 5, f"the form does not name the keychain: {error.text!r}")
    assert app.is_visible(tid("add-dialog")), "the form closed although nothing was saved"
    app.click(app.visible(tid("create-cancel")))
    app.gone(tid("add-dialog"))
    assert not app.rows(), "a credential was listed although nothing was saved"
    assert app.visible(tid("vault-banner")).get_attribute("data-state") == "no_keychain"
    screenshot("no-keychain")

    # The Secret Service starts after the app; "Check again" finds it, no restart.
    session_bus.start_keyring()
    app.click(app.visible(tid("vault-retry")))
    app.gone(tid("vault-banner"), 15)

    app.add(app.apisix_fields("APISIX Gateway"))
    app.wait_status("APISIX Gateway", "VALID", 30)
    assert not app.is_visible(tid("vault-banner"))
    screenshot("keychain-found-again")
