"""Credential lifecycle in the real window: rotating a key in place, the details panel's audit
trail, and importing AWS profiles from a shared credentials file.

AWS goes to moto with auth enforced (tests/fixtures/servers.py); the app reaches it through
AWS_ENDPOINT_URL_STS. Every test gets a fresh app (new data dir, emptied HOME).
"""

from __future__ import annotations

import re

from pages import tid, unknown_aws_key

VALID_TIMEOUT = 30
# Invalid may legitimately take longer: a new AWS key is retried while IAM propagates (~20 s).
INVALID_TIMEOUT = 60


def _wrong_secret(real: str) -> str:
    """The real secret with its last four characters changed: 40 characters, wrong signature."""
    wrong = real[:-4] + ("AAAA" if real[-4:] != "AAAA" else "BBBB")
    assert len(wrong) == 40 and wrong != real
    return wrong


# ------------------------------------------------------------------------------ rotate
def test_rotating_an_invalid_aws_key_to_a_valid_one_keeps_the_row_and_turns_valid(app, moto, screenshot):
    name = "AWS Rotate Me"
    app.add(app.aws_fields(name, secret=_wrong_secret(moto["secret_access_key"])))
    app.wait_status(name, "INVALID", INVALID_TIMEOUT)
    assert "SignatureDoesNotMatch" in app.reason(name)
    row_id = app.row(name).get_attribute("data-id")
    assert row_id

    dialog = app.open_rotate_dialog(name)
    title = " ".join(app.find("h2", dialog).text.split())
    assert "Rotate" in title and name in title, title
    text = " ".join(dialog.text.split())
    for step in (
        "Create the new key at the provider",
        "Rotate it here and wait for Valid",
        "Then disable or delete the old key at the provider",
    ):
        assert step in text, f"the rotate dialog does not explain {step!r}: {text!r}"
    # Only the provider's fields: no name/provider/type to change, and the new key's ID is not
    # prefilled (a new AWS key has a new ID).
    assert not app.is_visible(f'{tid("rotate-dialog")} [name="name"]')
    assert not app.is_visible(f'{tid("rotate-dialog")} [name="provider"]')
    assert app.dialog_field("rotate-dialog", "access_key_id").get_attribute("value") == ""
    assert app.dialog_field("rotate-dialog", "secret_access_key").get_attribute("type") == "password"

    app.set_dialog_field("rotate-dialog", "access_key_id", moto["access_key_id"])
    app.set_dialog_field("rotate-dialog", "secret_access_key", moto["secret_access_key"])
    screenshot("rotate-dialog")
    app.click(app.find(tid("rotate-submit"), dialog))
    app.gone(tid("rotate-dialog"), 15)

    # Same row (same id), turning Valid through the background verification.
    app.wait_status(name, "VALID", VALID_TIMEOUT)
    assert app.row(name).get_attribute("data-id") == row_id, "rotation must keep the credential's id"
    same_name = [r for r in app.rows() if r.get_attribute("data-name") == name]
    assert len(same_name) == 1, "rotation must not add a second row"
    assert moto["user_arn"] in app.identity(name)
    assert app.key_age(name).get_attribute("data-stale") == "false"

    # Nothing secret stays in the page after the dialog closed.
    assert moto["secret_access_key"] not in app.driver.page_source
    assert moto["secret_access_key"] not in app.driver.execute_script(
        "return [...document.querySelectorAll('input, textarea')].map(e => e.value).join('\\n')"
    )

    panel = app.open_details(name)
    assert panel.get_attribute("role") == "dialog"
    app.until(
        lambda: any(kind == "rotated" for kind, _ in app.audit_events()),
        15, "the details panel's audit trail never showed the rotation",
    )
    events = app.audit_events()
    labels = [label for _, label in events]
    assert "Rotated" in labels, labels
    assert "Created" in labels, labels
    # newest first: the rotation is listed before the creation
    assert labels.index("Rotated") < labels.index("Created"), labels
    screenshot("details-panel")

    app.close_details()
    assert app.active().get_attribute("data-testid") == "details-button", "focus must return to the name"


# ------------------------------------------------------------------------------ import
def test_import_preview_lists_profiles_and_imports_the_selected_ones(app, moto, screenshot):
    # A credential whose name clashes (case-insensitively) with the "Existing" profile.
    app.add(app.apisix_fields("existing"))
    app.row("existing")

    bad_key_id, bad_secret = unknown_aws_key()
    creds = (
        "[moto-good]\n"
        f"aws_access_key_id = {moto['access_key_id']}\n"
        f"aws_secret_access_key = {moto['secret_access_key']}\n"
        "region = us-east-1\n"
        "\n"
        "[bad-key]\n"
        f"aws_access_key_id = {bad_key_id}\n"
        f"aws_secret_access_key = {bad_secret}\n"
        "\n"
        "[Existing]\n"
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        "\n"
        "[sso-profile]\n"
        "sso_start_url = https://example.awsapps.com/start\n"
        "sso_role_name = x\n"
    )

    # The page names no path: "Choose file…" asks the backend, whose file dialog answers with
    # the test's file (ENTRYGUARD_TEST_PICK_FILE), and the dialog shows which file it read.
    app.open_import_dialog()
    rows = app.choose_import_file(creds)
    assert not app.is_visible(tid("import-error")), app.find(tid("import-error")).text
    shown = app.find(f'{tid("import-dialog")} {tid("import-path")}').get_attribute("value") or ""
    assert app.pick_file.name in shown, f"the dialog shows {shown!r}, not the chosen file"
    profiles = [r.get_attribute("data-profile") for r in rows]
    assert sorted(profiles) == sorted(["moto-good", "bad-key", "Existing", "sso-profile"]), profiles

    # SSO profiles have no static key: listed, not importable, with the reason.
    sso = app.import_row("sso-profile")
    assert sso.get_attribute("data-importable") == "false"
    sso_check = app.find(tid("import-check"), sso)
    assert not sso_check.is_selected() and not sso_check.is_enabled()
    assert re.search(r"SSO", app.find(tid("import-problem"), sso).text, re.IGNORECASE)

    # A name that exists is flagged and left unchecked.
    existing = app.import_row("Existing")
    assert existing.get_attribute("data-importable") == "true"
    assert not app.find(tid("import-check"), existing).is_selected()
    assert "exists" in app.find(tid("import-problem"), existing).text

    # Importable profiles with free names start checked, named after the profile.
    good = app.import_row("moto-good")
    assert app.find(tid("import-check"), good).is_selected()
    assert app.find(tid("import-name"), good).get_attribute("value") == "moto-good"
    assert app.find(tid("import-check"), app.import_row("bad-key")).is_selected()
    assert "Import 2 profiles" in app.import_submit_button().text

    # Only hints, never secrets, reach the window.
    page = app.driver.page_source
    assert moto["secret_access_key"] not in page and bad_secret not in page
    screenshot("import-preview")

    # Import only moto-good.
    app.click(app.find(tid("import-check"), app.import_row("bad-key")))
    app.until(lambda: "Import 1 profile" in app.import_submit_button().text, 5,
              "the import button does not count the selection")
    app.click(app.import_submit_button())
    app.gone(tid("import-dialog"), 15)

    app.row("moto-good")
    app.wait_status("moto-good", "VALID", VALID_TIMEOUT)
    assert moto["user_arn"] in app.identity("moto-good")
    names = [r.get_attribute("data-name") for r in app.rows()]
    assert "bad-key" not in names and "Existing" not in names and "sso-profile" not in names, names
    assert sorted(names) == ["existing", "moto-good"], names
    assert moto["secret_access_key"] not in app.driver.page_source
