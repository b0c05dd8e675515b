"""The About dialog: version and data folder as the running app reports them."""

from __future__ import annotations

import re
import tomllib

from selenium.webdriver.common.keys import Keys

from harness import REPO
from pages import tid


def workspace_version() -> str:
    """`version = "…"` of the [workspace.package] section of the root Cargo.toml."""
    with open(REPO / "Cargo.toml", "rb") as f:
        manifest = tomllib.load(f)
    version = manifest["workspace"]["package"]["version"]
    assert isinstance(version, str) and version, f"no [workspace.package] version in {REPO / 'Cargo.toml'}"
    return version


def test_about_shows_the_version_from_cargo_toml_and_the_data_folder(app, screenshot):
    app.click(app.visible(tid("about-button")))
    dialog = app.visible(tid("about-dialog"))
    assert dialog.get_attribute("role") == "dialog"
    title_id = dialog.get_attribute("aria-labelledby")
    assert title_id, "the About dialog must be labelled by its title"
    assert app.find(f'[id="{title_id}"]').text.strip() == "About EntryGuard"
    assert "EntryGuard desktop" in dialog.text

    # The version is fetched from the backend (app_info): wait for it to be filled in.
    version_el = app.visible(f'{tid("about-dialog")} {tid("about-version")}')
    app.until(lambda: version_el.text.strip(), 5, "about-version stayed empty")
    shown = version_el.text.strip()
    match = re.fullmatch(r"Version (\S+)", shown)
    assert match, f"about-version should read 'Version <x.y.z>', got {shown!r}"
    assert match.group(1) == workspace_version(), (
        f"the About dialog shows {match.group(1)!r}, Cargo.toml [workspace.package] says "
        f"{workspace_version()!r}"
    )

    data_dir_el = app.visible(f'{tid("about-dialog")} {tid("about-data-dir")}')
    assert (data_dir_el.get_attribute("textContent") or "").strip() == str(app.data_dir)
    assert "mono" in (data_dir_el.value_of_css_property("font-family") or "").lower(), (
        "the data folder should be shown in the monospace font"
    )

    buttons = [b for b in app.find_all("button", dialog) if b.is_displayed()]
    assert [b.text.strip() for b in buttons] == ["Close"], "About has a single Close button"

    screenshot("about")

    app.keys(Keys.ESCAPE)
    app.gone(tid("about-dialog"))
    assert not app.find_all(tid("about-dialog")), "Escape must close (unmount) the About dialog"
    assert app.active().get_attribute("data-testid") == "about-button", (
        "focus must return to the About button"
    )
