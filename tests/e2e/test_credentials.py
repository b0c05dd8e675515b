"""Adding, verifying and deleting credentials in the real window.

Every test gets a fresh app (new data dir). AWS goes to moto with auth enforced, APISIX to the
local fake (tests/fixtures/servers.py); the app finds them through AWS_ENDPOINT_URL_STS and the
endpoint field.
"""

from __future__ import annotations

import json
import re
import secrets
import time

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from pages import tid, unknown_aws_key

VALID_TIMEOUT = 30
# Invalid may legitimately take longer: a new AWS key is retried while IAM propagates (~20 s).
INVALID_TIMEOUT = 60


# ------------------------------------------------------------------------------ AWS
def test_aws_key_shows_unverified_at_once_then_turns_valid_with_identity(app, moto, screenshot):
    app.start_status_recorder()
    app.add(app.aws_fields("AWS Production"))

    app.row("AWS Production", timeout=5)
    app.wait_status("AWS Production", "VALID", VALID_TIMEOUT)

    statuses = app.recorded_statuses("AWS Production")
    assert statuses[0] == "UNVERIFIED", f"a new row must appear Unverified first; saw {statuses}"
    assert app.page_was_not_reloaded(), "the row must turn Valid without a reload"
    identity = app.identity("AWS Production")
    assert moto["user_arn"] in identity, identity
    screenshot("row-valid")


def test_unknown_aws_key_turns_invalid_with_reason(app, screenshot):
    key_id, secret = unknown_aws_key()
    app.add(app.aws_fields("AWS Unknown Key", key_id, secret))
    assert app.status("AWS Unknown Key") in ("UNVERIFIED", "INVALID")

    app.wait_status("AWS Unknown Key", "INVALID", INVALID_TIMEOUT)
    assert "InvalidClientTokenId" in app.reason("AWS Unknown Key")
    screenshot("row-invalid")


def test_wrong_aws_secret_turns_invalid_with_signature_mismatch(app, moto):
    real = moto["secret_access_key"]
    wrong = real[:-4] + ("AAAA" if real[-4:] != "AAAA" else "BBBB")
    app.add(app.aws_fields("AWS Wrong Secret", secret=wrong))

    app.wait_status("AWS Wrong Secret", "INVALID", INVALID_TIMEOUT)
    assert "SignatureDoesNotMatch" in app.reason("AWS Wrong Secret")


# ------------------------------------------------------------------------------ APISIX
def test_apisix_with_right_admin_key_turns_valid(app):
    app.add(app.apisix_fields("APISIX Local"))
    app.wait_status("APISIX Local", "VALID", VALID_TIMEOUT)


def test_apisix_with_wrong_admin_key_turns_invalid(app):
    app.add(app.apisix_fields("APISIX Wrong Key", key="eg-wrong-admin-key-000000"))
    app.wait_status("APISIX Wrong Key", "INVALID", INVALID_TIMEOUT)
    assert app.reason("APISIX Wrong Key").strip()


# ------------------------------------------------------------------------------ delete
def test_delete_asks_with_the_product_warning_and_cancel_keeps_the_row(app, screenshot):
    app.add(app.apisix_fields("To Delete"))
    app.row("To Delete")

    dialog = app.open_delete_dialog("To Delete")
    assert "also deletes all cloud resources associated with it" in " ".join(dialog.text.split())
    screenshot("delete-dialog")

    app.click(app.find(tid("delete-cancel"), dialog))
    app.gone(tid("delete-dialog"))
    assert app.row("To Delete", timeout=2)


def test_delete_confirm_removes_the_row(app):
    app.add(app.apisix_fields("To Delete"))
    app.add(app.apisix_fields("To Keep"))
    app.row("To Keep")

    dialog = app.open_delete_dialog("To Delete")
    app.click(app.find(tid("delete-confirm"), dialog))
    app.gone(tid("delete-dialog"))
    app.row_gone("To Delete")
    assert [r.get_attribute("data-name") for r in app.rows()] == ["To Keep"]


def test_deleting_the_last_row_shows_the_empty_state_again(app):
    app.add(app.apisix_fields("Only One"))
    app.click(app.find(tid("delete-confirm"), app.open_delete_dialog("Only One")))
    app.row_gone("Only One")
    app.visible(tid("empty-state"))


# ------------------------------------------------------------------------------ focus
# The table reuses a row's elements for whichever credential comes to its place; the focus
# must not stay on a button that now names another credential.
FOCUSED_JS = """
const a = document.activeElement;
return [a.closest('tr[data-id]')?.dataset.name ?? null, a.dataset.testid ?? a.tagName];
"""


def shown(app) -> list[str]:
    return [r.get_attribute("data-name") for r in app.rows()]


def test_keyboard_focus_stays_with_its_credential_when_the_rows_reorder_or_it_is_filtered_out(app):
    app.add(app.apisix_fields("Alpha"))
    app.add(app.apisix_fields("Beta"))
    app.until(lambda: shown(app) == ["Beta", "Alpha"], 10, "newest first")
    focus = "arguments[0].focus()"

    # A new order, asked for without moving the focus (as a background reload would):
    # Beta's Verify button keeps it, in Beta's new place.
    app.driver.execute_script(focus, app.find(tid("verify-button"), app.row("Beta")))
    app.driver.execute_script("document.querySelector('[data-testid=\"sort-name\"]').click()")
    app.until(lambda: shown(app) == ["Alpha", "Beta"], 10, "sorted by name")
    assert app.driver.execute_script(FOCUSED_JS) == ["Beta", "verify-button"]

    # Beta filtered out: its Delete button's focus goes, and Enter deletes nothing.
    app.driver.execute_script(focus, app.find(tid("delete-button"), app.row("Beta")))
    app.driver.execute_script(
        "const box = document.querySelector('[data-testid=\"filter-text\"]');"
        "box.value = 'Alpha'; box.dispatchEvent(new Event('input', {bubbles: true}));"
    )
    app.until(lambda: shown(app) == ["Alpha"], 10, "only Alpha found")
    assert app.driver.execute_script(FOCUSED_JS)[0] is None, "the focus stayed in a row"
    app.keys(Keys.ENTER)
    time.sleep(0.5)  # a dialog Enter opened would be up by now
    assert not app.is_visible(tid("delete-dialog")), "Enter on a lost focus opened a Delete dialog"


# ------------------------------------------------------------------------------ safety
def test_html_in_a_name_is_shown_as_literal_text(app):
    name = "<img src=x onerror=alert(1)><b>bold</b>"
    app.add(app.apisix_fields(name))

    row = app.row(name)
    assert row.get_attribute("data-name") == name
    shown = app.driver.execute_script("return arguments[0].querySelector('.name').textContent", row)
    assert shown == name, f"the name cell shows {shown!r}"
    assert row.find_elements(By.CSS_SELECTOR, "img[src='x'], b") == [], "the name was parsed as HTML"
    with pytest.raises(NoAlertPresentException):
        app.driver.switch_to.alert.text  # noqa: B018


def test_secret_is_not_in_the_page_or_data_dir_after_create(app):
    canary = "EgCanary" + secrets.token_hex(16)  # 8 + 32 = 40 characters, a well-formed secret
    assert len(canary) == 40
    app.add(app.aws_fields("Canary", key_id=unknown_aws_key()[0], secret=canary))
    app.row("Canary")

    assert canary not in app.driver.page_source
    assert canary not in app.driver.execute_script(
        "return [...document.querySelectorAll('input, textarea')].map(e => e.value).join('\\n')"
    )
    # Not in the log, the database or anything else the app wrote.
    logs = [p for p in (app.data_dir / "logs").glob("entryguard*.log") if p.stat().st_size > 0]
    assert logs, "the app writes its log file (so checking it means something)"
    for path in app.data_dir.rglob("*"):
        if path.is_file():
            assert canary.encode() not in path.read_bytes(), f"secret found in {path}"


# ------------------------------------------------------------------------------ keyboard
def test_credential_can_be_added_with_the_keyboard_only(app, moto):
    k = app.keys
    app.tab_to(lambda el: el.get_attribute("data-testid") == "add-credential", "the Add Credential button")
    k(Keys.ENTER)
    app.visible(app.dialog_css)

    def named(name):
        return lambda el: el.get_attribute("name") == name

    app.tab_to(named("name"), "the name field")
    k("Keyboard Key")

    provider = app.tab_to(named("provider"), "the provider select")
    if (provider.get_attribute("value") or "").upper() != "AWS":
        k("AWS")  # type-ahead in a focused <select>
    assert (app.field("provider").get_attribute("value") or "").upper() == "AWS"
    type_select = app.field("type")
    if not (type_select.get_attribute("value") or ""):
        app.tab_to(named("type"), "the type select")
        k("A")

    app.tab_to(named("access_key_id"), "the access key ID field")
    k(moto["access_key_id"])
    app.tab_to(named("secret_access_key"), "the secret access key field")
    k(moto["secret_access_key"])
    k(Keys.ENTER)

    app.gone(app.dialog_css, 15)
    app.wait_status("Keyboard Key", "VALID", VALID_TIMEOUT)


# ------------------------------------------------------------------------------ validation
GUID_OK = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
SECRET_40 = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

VALIDATION_CASES = [
    pytest.param(
        {"provider": "AWS", "access_key_id": "AKIA123", "secret_access_key": SECRET_40},
        "access_key_id", r"AKIA|ASIA|20|access key", id="aws-bad-access-key-id",
    ),
    pytest.param(
        {"provider": "AWS", "access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "tooshort"},
        "secret_access_key", r"40|character|length|short", id="aws-short-secret",
    ),
    pytest.param(
        {"provider": "AWS", "access_key_id": "ASIAIOSFODNN7EXAMPLE", "secret_access_key": SECRET_40},
        "session_token", r"session token|required|ASIA|temporary", id="aws-asia-without-session-token",
    ),
    pytest.param(
        {"provider": "APISIX", "endpoint": "http://apisix.invalid:9180", "admin_key": "eg-some-admin-key-123"},
        "endpoint", r"https|loopback|localhost|127\.0\.0\.1", id="apisix-plain-http-not-loopback",
    ),
    pytest.param(
        {"provider": "AZURE", "tenant_id": "not-a-guid", "client_id": GUID_OK, "client_secret": "eg-secret"},
        "tenant_id", r"GUID|UUID|format|tenant", id="azure-bad-tenant-guid",
    ),
    pytest.param(
        {"provider": "GCP", "service_account_json": '{"type": "service_account", oops'},
        "service_account_json", r"JSON|pars", id="gcp-json-not-parseable",
    ),
    pytest.param(
        {"provider": "GCP", "service_account_json": json.dumps(
            {"type": "authorized_user", "client_id": "1.apps.googleusercontent.com",
             "client_secret": "x", "refresh_token": "y"})},
        "service_account_json", r"service.?account|type", id="gcp-json-wrong-type",
    ),
]


@pytest.mark.parametrize("fields, error_field, message", VALIDATION_CASES)
def test_invalid_input_shows_field_error_and_keeps_the_form(app, fields, error_field, message):
    fields = {"name": "Validation Case", **fields}
    app.open_add_dialog()
    app.fill(fields)
    before = {name: app.field_value(name) for name in fields}
    app.submit()

    text = app.error_text(error_field)
    assert re.search(message, text, re.IGNORECASE), f"error-{error_field} says {text!r}"
    assert app.is_visible(app.dialog_css), "the dialog must stay open on a validation error"
    after = {name: app.field_value(name) for name in fields}
    assert after == before, "nothing typed may be lost after an error"
    assert app.rows() == [], "an invalid credential must not be created"


def test_add_dialog_screenshot(app, screenshot):
    app.open_add_dialog()
    app.fill(app.aws_fields("AWS Production"))
    screenshot("add-dialog")
    # the secret is typed into a masked field
    assert app.field("secret_access_key").get_attribute("type") == "password"

