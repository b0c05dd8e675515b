"""The window itself: title, sidebar, page heading, empty state."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from pages import tid

# Case-insensitive text match in XPath 1.0 (the sidebar heading may be styled uppercase).
_UPPER = "translate(normalize-space(text()), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"


def test_window_shows_admin_credentials_page(app, screenshot):
    d = app.driver
    assert d.title == "EntryGuard"

    admin = [el for el in d.find_elements(By.XPATH, f"//body//*[{_UPPER}='ADMIN']") if el.is_displayed()]
    assert admin, "no visible sidebar heading 'Admin'"

    nav = [
        el
        for el in d.find_elements(
            By.XPATH,
            "//*[self::a or self::button or @role='link' or @role='tab' or @role='menuitem' "
            "or ancestor::nav or ancestor::aside][normalize-space(.)='Credentials']",
        )
        if el.is_displayed()
    ]
    assert nav, "no visible 'Credentials' item in the sidebar"

    h1 = app.visible("h1")
    assert h1.text.strip() == "Credentials"

    empty = app.visible(tid("empty-state"))
    assert empty.text.strip(), "the empty state should say something"
    assert app.rows() == []
    assert not app.is_visible(tid("vault-banner")), (
        "vault banner shown on a fresh data dir with an unlocked keyring: "
        + " ".join(el.text for el in app.find_all(tid("vault-banner")))
    )
    screenshot("empty-state")
