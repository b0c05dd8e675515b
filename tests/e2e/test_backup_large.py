"""A 10,000-credential vault in the real window: the table reads it a page at a time as it
scrolls, sorts and searches (the service orders and filters), and backup and restore show
progress (issue 16: "show progress in the window"). How long they take is the benchmark's
business (bench/run.py); here the window must show the right rows, never all of them in the
page, a determinate progress bar part-way through each task, and the full count.

The vault is filled before the app opens it, by the workspace example bulk_create (built by
`cargo test --workspace`, which scripts/test runs before pytest), with its key in the test
session's keychain (--os-keychain), the one the app uses. bulk_create leaves each credential
Unverified, which would have the app check all 10,000 at start-up; they are marked Valid in
SQLite as bench/run.py does, so the window is not busy verifying while it backs up.

The restore goes into a fresh vault in a second window. The window offers no restore without
verification, so the 10,000 restored credentials are queued for checks (bulk_create's AWS keys
against the session's moto, which turns them Invalid); the window is closed soon after.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from harness import example_binary
from pages import App, tid

COUNT = 10_000
PASSPHRASE = "tangerine harbour 42 quietly"
# Debug builds: the passphrase's key derivation and 10,000 seals take a while.
TASK_TIMEOUT = 180
POLL_SECONDS = 0.05
# A count as the window writes it, grouped by the locale: "10,000", "10 000", "10000".
GROUPED = r"[\d,.\s\u00a0\u202f]+"

# One call a poll: the task dialog's progress (if shown), result and error, with their data-
# attributes and text. See TaskDialog.svelte for the test ids.
TASK_STATE_JS = """
const task = arguments[0];
const q = (id) => document.querySelector(`[data-testid="${id}"]`);
const data = (el) => Object.fromEntries(
  [...el.attributes].filter((a) => a.name.startsWith('data-')).map((a) => [a.name, a.value]));
const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
const shown = (el) => !!el && el.getClientRects().length > 0;
const p = q(`${task}-progress`), r = q(`${task}-result`), e = q(`${task}-error`);
let progress = null;
if (p) {
  const bar = p.querySelector('[role="progressbar"]');
  const fill = p.querySelector('.fill');
  progress = {...data(p), shown: shown(p), text: text(p),
              valuenow: bar && bar.getAttribute('aria-valuenow'),
              valuemax: bar && bar.getAttribute('aria-valuemax'),
              valuetext: bar && bar.getAttribute('aria-valuetext'),
              width: fill && fill.style.width};
}
return {
  progress,
  result: r && {...data(r), text: text(r)},
  error: e && {...data(e), text: text(e)},
};
"""


def count_of(text: str) -> int | None:
    """10000 from "10,000 credentials" (whatever the locale's digit grouping)."""
    m = re.fullmatch(rf"({GROUPED}) credentials?", " ".join(text.split()))
    return int(re.sub(r"\D", "", m.group(1))) if m else None


def bulk_vault(data_dir: Path) -> str:
    """Fills data_dir with COUNT AWS credentials through bulk_create (key in the OS keychain),
    marked Valid as a steady-state vault; returns bulk_create's rates line."""
    binary = example_binary("bulk_create")
    assert os.access(binary, os.X_OK), (
        f"bulk_create not found at {binary}: it is built by `cargo test --workspace` (scripts/test "
        "runs it before pytest), or `cargo build -p entryguard-core --example bulk_create`; "
        "CARGO_TARGET_DIR must be the target dir it was built in"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ENTRYGUARD_DATA_DIR"))}
    done = subprocess.run(
        [str(binary), str(data_dir), str(COUNT), "--os-keychain"],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, f"bulk_create failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}"
    with sqlite3.connect(data_dir / "entryguard.db") as db:
        db.execute(
            "UPDATE credentials SET status = 'VALID', status_reason = NULL, checking = 0, "
            "identity = 'arn:aws:iam::123456789012:user/bulk', verified_at = updated_at"
        )
        (n,) = db.execute("SELECT count(*) FROM credentials WHERE status = 'VALID'").fetchone()
    db.close()
    assert n == COUNT, f"bulk_create made {n} credentials, not {COUNT}"
    return done.stdout.strip()


def wait_row_count(app: App, expected: int, timeout: float = 30) -> None:
    """Waits until the table's count says `expected` credentials."""
    said: list[str] = []

    def check() -> bool:
        said.append(app.find(tid("row-count")).text)
        return count_of(said[-1]) == expected

    try:
        app.until(check, timeout)
    except Exception as e:
        raise AssertionError(f"the count never said {expected:,} credentials; last: {said[-1:]!r}") from e


def follow_task(app: App, task: str, shot: str) -> tuple[dict, list[tuple[float, dict]]]:
    """Polls the running task dialog `task` ("backup", "restore") until its result shows;
    returns the result's attributes and each distinct progress state seen, with the seconds
    since the call. Screenshots the first state at least a fifth of the way (and short of the
    end) as `<shot>-progress`: the first frames after pressing the button can lag the page
    (seen: a frame from before the press while the page said 100 of 10,000)."""
    start = time.monotonic()
    seen: list[tuple[float, dict]] = []
    shot_taken = False
    while True:
        now = time.monotonic() - start
        state = app.driver.execute_script(TASK_STATE_JS, task)
        if state["error"]:
            raise AssertionError(f"the {task} failed in the window: {state['error']}; progress seen {seen}")
        p = state["progress"]
        if p and (not seen or seen[-1][1] != p):
            seen.append((round(now, 3), p))
        if state["result"]:
            print(f"{task}: result after {now:.2f} s")
            return state["result"], seen
        if p and p["shown"] and 5 * int(p["data-done"]) >= int(p["data-total"]) > int(p["data-done"]) \
                and not shot_taken:
            app.screenshot(f"{shot}-progress")
            shot_taken = True
        assert now < TASK_TIMEOUT, f"no {task} result within {TASK_TIMEOUT} s; progress seen {seen}"
        time.sleep(POLL_SECONDS)


def assert_progress_shown(task: str, seen: list[tuple[float, dict]]) -> None:
    part_way = [p for _, p in seen if p["shown"] and 0 < int(p["data-done"]) < int(p["data-total"])]
    assert part_way, f"the {task} never showed progress part-way (0 < done < total); states seen: {seen}"
    for p in part_way:
        assert p["data-total"] == str(COUNT), p
        assert p["valuenow"] == p["data-done"] and p["valuemax"] == p["data-total"], p
        assert count_of(p["valuetext"].split(" of ", 1)[1]) == COUNT, p
    print(f"{task}: {len(seen)} progress states, {len(part_way)} part-way: "
          + ", ".join(f"{t:.2f}s {p['data-done']}/{p['data-total']}" for t, p in seen))


# The names in the table's rows, top to bottom, once no row waits for its page.
SHOWN_NAMES_JS = """
if (document.querySelector('[data-testid="pending-row"]')) return null;
return [...document.querySelectorAll('tr[data-testid="credential-row"]')].map((r) => r.dataset.name);
"""


def shown_names(app: App) -> list[str]:
    return app.until(lambda: app.driver.execute_script(SHOWN_NAMES_JS), 15, "rows still waiting for their page")


def scroll_table(app: App, to: str) -> None:
    app.driver.execute_script(
        f"const s = document.querySelector('.scroller'); s.scrollTop = {to}; s.dispatchEvent(new Event('scroll'));"
    )


def test_ten_thousand_credentials_scroll_sort_and_search_a_page_at_a_time(vault_window, tmp_path):
    big = tmp_path / "big"
    big.mkdir(mode=0o700)
    bulk_vault(big)
    app = vault_window(big)
    wait_row_count(app, COUNT)

    # Sorted by name, all 10,000 are in order ("bulk 10" comes after "bulk 1").
    app.click(app.find(tid("sort-name")))
    app.until(lambda: shown_names(app)[:4] == ["bulk 0", "bulk 1", "bulk 10", "bulk 100"], 15,
              "the first rows by name")
    first = shown_names(app)
    assert 0 < len(first) < 100, f"the page holds {len(first)} rows of 10,000"

    # The end of the list is read when the table is scrolled to it.
    scroll_table(app, "s.scrollHeight")
    app.until(lambda: shown_names(app)[-1:] == ["bulk 9999"], 15, "the last row by name")
    last = shown_names(app)
    assert len(last) < 100 and not set(last) & set(first), last
    app.capture_display("10k-scrolled-to-the-end")

    # And reversed, the same end is the top.
    app.click(app.find(tid("sort-name")))
    scroll_table(app, "0")
    app.until(lambda: shown_names(app)[:2] == ["bulk 9999", "bulk 9998"], 15, "the first rows, reversed")

    # A search narrows all 10,000, not only the rows read.
    box = app.find(tid("filter-text"))
    box.send_keys("bulk 4242")
    app.until(lambda: shown_names(app) == ["bulk 4242"], 15, "the one row found")
    count = app.until(lambda: (t := app.find(tid("row-count")).text).startswith("1 of ") and t, 5,
                      "the count of the one row found")
    assert count_of(f"{count.split(' of ')[1]} credentials") == COUNT, count
    app.capture_display("10k-searched")


def test_backing_up_and_restoring_ten_thousand_credentials_shows_progress_and_the_full_count(
    vault_window, tmp_path
):
    big = tmp_path / "big"
    big.mkdir(mode=0o700)
    started = time.monotonic()
    rates = bulk_vault(big)
    print(f"bulk_create ({time.monotonic() - started:.1f} s): {rates}")

    # The vault opens with the full count.
    app = vault_window(big)
    wait_row_count(app, COUNT)
    assert app.find_all('[data-testid="status-badge"][data-status="UNVERIFIED"]') == [], \
        "the steady-state vault has nothing to verify"

    # Back up, watching the bar.
    app.open_backup_dialog()
    app.fill_backup(PASSPHRASE)
    app.press_backup()
    result, seen = follow_task(app, "backup", "backup-10k")
    assert_progress_shown("backup", seen)
    assert result["data-credentials"] == str(COUNT), result
    assert app.save_file.name in result["data-file"], result
    said = re.search(rf"Backed up ({GROUPED} credentials)", result["text"])
    assert said and count_of(said.group(1)) == COUNT, result
    app.screenshot("backup-10k-done")
    app.close_done_dialog("backup")
    backup = tmp_path / "big.backup"
    shutil.copyfile(app.save_file, backup)

    # Restore into a fresh vault in a second window, watching the bar.
    fresh = vault_window(tmp_path / "fresh")
    fresh.visible(tid("empty-state"))
    fresh.open_restore_dialog()
    fresh.choose_backup(backup, PASSPHRASE, timeout=TASK_TIMEOUT)
    assert not fresh.is_visible(tid("restore-error")), fresh.find(tid("restore-error")).text
    plan = fresh.find(tid("restore-counts")).text
    said = re.fullmatch(rf"({GROUPED}) to restore\.", plan)
    assert said and count_of(f"{said.group(1)} credentials") == COUNT, plan
    button = fresh.restore_submit_button()
    assert count_of(button.text.replace("Restore ", "", 1)) == COUNT, button.text
    fresh.click(button)
    result, seen = follow_task(fresh, "restore", "restore-10k")
    assert_progress_shown("restore", seen)
    counts = {k: result[f"data-{k}"] for k in ("restored", "renamed", "skipped")}
    assert counts == {"restored": str(COUNT), "renamed": "0", "skipped": "0"}, result
    print(f"restore: queued for verification {result['data-queued']}; says {result['text']!r}")
    fresh.screenshot("restore-10k-done")
    fresh.close_done_dialog("restore")
    wait_row_count(fresh, COUNT)
    fresh.screenshot("restore-10k-table")
