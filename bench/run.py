#!/usr/bin/env python3
"""EntryGuard's performance budgets (docs/performance.md), measured in one run against baselines
measured in the same run: a bare Tauri 2 window (bench/baseline), a raw HTTP round trip,
a bare reqwest loop. Noisy shared machines: runs alternate A/B and we quote medians and
ratios. Writes target/bench/report.json as a list of {name, value, unit, baseline, ratio,
budget, ok}.

Run it through scripts/bench, which builds everything in release mode and provides the
display (Xvfb), D-Bus and an unlocked keyring this needs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def release(name: str) -> Path:
    return target_dir() / "release" / name


def run_until_ready(cmd: list[str], env: dict[str, str], timeout: float = 120) -> tuple[float, dict]:
    """Runs a window that exits once it has reported; returns (wall ms from exec until it was
    interactive, its JSON line with `teardown_ms` added: from the line to the last of its
    processes letting go of stdout). The clock stops when the line arrives, not when the process
    is gone: WebKit's child processes take their own time to notice the exit (EntryGuard's
    ~200 ms, the baseline's ~60 ms, both after start-up). EntryGuard reports twice (first
    screen drawn, whole list drawn) and prints its line after the second: the time between
    them (`exit_ms - ready_ms`, its own clock) is taken off. The baseline reports once. The
    next run starts only once every process of this one has let go of stdout."""
    start = time.perf_counter()
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=errors)
        out, arrived = b"", None
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(proc.stdout.fileno(), 65536) if ready else b""
            if arrived is None and b"\n{" in b"\n" + out + chunk:
                arrived = (time.perf_counter() - start) * 1e3
            if not chunk:
                break  # EOF: the process and its children are gone (or the time is up)
            out += chunk
        gone = (time.perf_counter() - start) * 1e3
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
        lines = [text for text in out.decode().splitlines() if text.startswith("{")]
        if arrived is None or not lines:
            errors.seek(0)
            raise RuntimeError(f"{cmd[0]} did not report ready (exit {proc.returncode}): "
                               f"{errors.read().decode(errors='replace')[-2000:]}")
    line = {**json.loads(lines[-1]), "teardown_ms": gone - arrived}
    return arrived - (line.get("exit_ms", line["ready_ms"]) - line["ready_ms"]), line


def children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kid = int(stat.parent.name)
            kids += [kid, *children(kid)]
    return kids


def pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    m = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else 0


def tree_pss_mib(cmd: list[str], env: dict[str, str], settle: float = 3.0) -> tuple[float, float]:
    """PSS of the whole process tree and of the main process alone, in MiB."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(settle)
        main = pss_kib(proc.pid)
        return (main + sum(pss_kib(p) for p in children(proc.pid))) / 1024, main / 1024
    finally:
        proc.kill()
        proc.wait()


def entry(name, value, unit, baseline=None, budget=None, ok=None, note=None):
    ratio = round(value / baseline, 3) if baseline else None
    return {"name": name, "value": round(value, 3), "unit": unit, "baseline": baseline and round(baseline, 3),
            "ratio": ratio, "budget": budget, "ok": ok, **({"note": note} if note else {})}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    runs = 5 if args.quick else 9
    report: list[dict] = []
    app, base = release("entryguard"), release("entryguard-bench-baseline")
    work = Path(tempfile.mkdtemp(prefix="eg-bench-"))
    env = {**os.environ, "HOME": str(work / "home"), "ENTRYGUARD_EXIT_WHEN_READY": "1",
           "BENCH_EXIT_WHEN_READY": "1", "ENTRYGUARD_LOG": "warn"}
    (work / "home").mkdir()

    # ---- start-up: exec → table interactive, vs the bare window, alternating
    big = work / "big"
    out = subprocess.run([str(release("examples/bulk_create")), str(big), "10000", "--os-keychain"],
                         capture_output=True, text=True, check=True)
    creates = re.search(r"= (\d+)/s; list of (\d+) rows: ([\d.]+) ms", out.stdout)
    pages = re.search(r"pages of (\d+) \((.*)\): ([\d., ]+) ms", out.stdout)
    # A steady-state vault: verified long ago, nothing to re-check at start-up.
    with sqlite3.connect(big / "entryguard.db") as db:
        db.execute("UPDATE credentials SET status = 'VALID', status_reason = NULL, "
                   "identity = 'arn:aws:iam::123456789012:user/bench', verified_at = updated_at")
    for label, data_dir, budget in (("startup_empty", work / "empty", 1.3), ("startup_10k", big, 1.5)):
        ratios, ours, bare, marks, lines = [], [], [], [], []
        # The same build without the first screen in the page (ENTRYGUARD_BENCH_NO_BOOT), in
        # the same alternation: what handing the page its first rows is worth.
        without, without_ratios = [], []
        for _ in range(runs):
            a, line = run_until_ready([str(app), "--data-dir", str(data_dir)], env)
            b, base_line = run_until_ready([str(base)], env)
            c, _ = run_until_ready([str(app), "--data-dir", str(data_dir)], {**env, "ENTRYGUARD_BENCH_NO_BOOT": "1"})
            ours.append(a), bare.append(b), ratios.append(a / b), marks.append(line["marks"])
            without.append(c), without_ratios.append(c / b)
            lines.append((line, base_line))
        ratio = statistics.median(ratios)
        report.append(entry(label, statistics.median(ours), "ms", statistics.median(bare), f"≤ {budget}×", ratio <= budget,
                            note=f"ratios {sorted(round(r, 2) for r in ratios)}"))
        report[-1]["ratio"] = round(ratio, 3)
        report.append(entry(f"{label}_without_first_screen", statistics.median(without), "ms",
                            statistics.median(bare), "for comparison", None))
        report[-1]["ratio"] = round(statistics.median(without_ratios), 3)
        # Where the time goes: process start → page starts loading (Rust, WebKit), then
        # page start → interactive (HTML, JS, the app's first IPC calls and render).
        native = statistics.median(o["page_start_ms"] for o, _ in lines)
        native_bare = statistics.median(b["page_start_ms"] for _, b in lines)
        page = statistics.median(o["ready_ms"] - o["page_start_ms"] for o, _ in lines)
        page_bare = statistics.median(b["ready_ms"] - b["page_start_ms"] for _, b in lines)
        report.append(entry(f"{label}_until_page_starts", native, "ms", native_bare, "part of the above", None))
        # Not part of start-up, and no longer counted: from the line to the last process gone.
        teardown = statistics.median(o["teardown_ms"] for o, _ in lines)
        teardown_bare = statistics.median(b["teardown_ms"] for _, b in lines)
        report.append(entry(f"{label}_exit_teardown", teardown, "ms", teardown_bare, "not counted", None))
        report.append(entry(f"{label}_page_to_interactive", page, "ms", page_bare, "part of the above", None))
        if label == "startup_10k":
            # The first page read (at start-up, behind WebKit's first rendering) and its
            # render; then, idle, a read in another order and one narrowed by a search.
            for key in ("list_ms", "render_ms", "sort_ms", "filter_ms"):
                runs_ms = sorted(round(m[key], 1) for m in marks)
                value = statistics.median(runs_ms)
                report.append(entry(f"window_{key[:-3]}_10k_rows", value, "ms", None, "≤ 50 ms (absolute)",
                                    value <= 50, note=f"runs {runs_ms}"))

    # ---- memory: PSS of the whole process tree 3 s after start; three pairs in either mode,
    # since one sample of WebKit's memory varies by ±5 %
    stay = {k: v for k, v in env.items() if not k.endswith("EXIT_WHEN_READY")}
    pairs = [(tree_pss_mib([str(app), "--data-dir", str(work / "empty")], stay), tree_pss_mib([str(base)], stay))
             for _ in range(3)]
    ours, bare = statistics.median(p[0][0] for p in pairs), statistics.median(p[1][0] for p in pairs)
    report.append(entry("memory_pss", ours, "MiB", bare, "≤ 1.2×", ours / bare <= 1.2))
    main, main_bare = statistics.median(p[0][1] for p in pairs), statistics.median(p[1][1] for p in pairs)
    report.append(entry("memory_pss_main_process", main, "MiB", main_bare, "part of the above", None))

    # ---- backup and restore of the 10,000-credential vault, through the CLI (one process
    # each, passphrase from the environment); "within a few seconds" is the budget.
    secret_env = {**stay, "EG_BENCH_PASSPHRASE": "bench passphrase 0123456789"}
    backup_file = work / "big.egbackup"
    restored = work / "restored"
    for label, cmd in (
        ("backup_10k", [str(app), "--data-dir", str(big), "vault", "backup", "--out", str(backup_file),
                        "--passphrase-env", "EG_BENCH_PASSPHRASE"]),
        ("restore_10k", [str(app), "--data-dir", str(restored), "vault", "restore", str(backup_file),
                         "--passphrase-env", "EG_BENCH_PASSPHRASE", "--yes", "--no-verify", "--json"]),
    ):
        start = time.perf_counter()
        done = subprocess.run(cmd, env={**secret_env, "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"},
                              capture_output=True, text=True, timeout=600, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{label} failed: {done.stderr[-2000:]}")
        report.append(entry(label, seconds, "s", None, "a few seconds (≤ 10 s)", seconds <= 10))

    # ---- binary and package size
    size = app.stat().st_size / 2**20
    bare_size = base.stat().st_size / 2**20
    report.append(entry("binary_size", size, "MiB", bare_size, "≤ 2.5×", size / bare_size <= 2.5))
    debs = sorted((target_dir() / "release/bundle/deb").glob("*.deb"))
    if debs:
        deb = debs[-1].stat().st_size / 2**20
        report.append(entry("deb_size", deb, "MiB", None, "≤ 15 MB (absolute)", deb <= 15))

    # ---- create and list through the service
    if creates:
        rate = float(creates.group(1))
        report.append(entry("creates_per_second", rate, "1/s", None, "≥ 2000/s", rate >= 2000))
        list_ms = float(creates.group(3))
        # No budget since the window reads pages: only a backup reads the whole list.
        report.append(entry("service_list_10k", list_ms, "ms", None, "for comparison", None))
    if pages:
        times = dict(zip(pages.group(2).split(", "), map(float, pages.group(3).split(", "))))
        slowest = max(times.values())
        report.append(entry(f"service_page_of_{pages.group(1)}_in_10k", slowest, "ms", None, "≤ 20 ms",
                            slowest <= 20, note="slowest of " + ", ".join(f"{k} {v} ms" for k, v in times.items())))

    # ---- verification against a local server vs raw requests
    from servers import spawn  # noqa: E402 - tests/fixtures on sys.path above

    with spawn("fakes") as fakes:
        out = subprocess.run([str(release("examples/verify_bench")), fakes.info["endpoint"], fakes.info["apisix_key"],
                              "300" if args.quick else "1000"], capture_output=True, text=True, check=True)
    lat = re.search(r"create → Valid: ([\d.]+) ms vs raw round trip ([\d.]+) ms", out.stdout)
    thr = re.search(r"verifications: (\d+)/s vs bare reqwest (\d+)/s", out.stdout)
    ours, raw = float(lat.group(1)), float(lat.group(2))
    report.append(entry("create_to_valid", ours, "ms", raw, "≤ 1.2× + 5 ms", ours <= raw * 1.2 + 5))
    ours, bare = float(thr.group(1)), float(thr.group(2))
    report.append(entry("verify_throughput", ours, "1/s", bare, "≥ 0.8×", ours / bare >= 0.8,
                        note="the keyless probe is asked once per gateway per 10 min"))
    cpu = re.search(r"CPU per verification: (\d+) µs vs (\d+) µs", out.stdout)
    report.append(entry("verify_cpu_per_check", float(cpu.group(1)), "µs", float(cpu.group(2)),
                        "for comparison", None, note="process CPU time per check vs per bare request"))

    out_dir = target_dir() / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'name':<34}{'value':>12} {'unit':<5}{'baseline':>11}{'ratio':>8}  budget")
    for r in report:
        mark = {True: "ok", False: "MISS", None: ""}[r["ok"]]
        baseline = "" if r["baseline"] is None else r["baseline"]
        ratio = "" if r["ratio"] is None else r["ratio"]
        print(f"{r['name']:<34}{r['value']:>12} {r['unit']:<5}{baseline:>11}{ratio:>8}  {r['budget']} {mark}")
        if "note" in r:
            print(f"{'':<34}  {r['note']}")
    print(f"report: {out_dir / 'report.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
