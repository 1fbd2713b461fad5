"""Benchmark of the playbook report on a large Parquet world made by the kit (issue: bring your own data).

Prints, for this machine and this run:
- the report (``opsplaybook report``) on a world of about 50 M events written as Parquet by
  ``opsplaybook generate``: wall time (target <= 180 s) and peak RSS of the report process
  (target <= 4 GB), with the embedded engine (DuckDB for files this size);
- with ``--engine spark``: the same report on a world of 5 M+ events with Spark's own readers
  (local session, laptop settings), time and peak RSS summed over the Python process and its JVM
  (stated, no target: a local Spark session is for trying the playbook before a cluster);
- as the reference measured in the same run: one DuckDB pass over the events (per-user count, first
  and last time), so the report's time reads as a number of passes on any machine;
- a check that the report is right, not only fast: the report's order count and sales equal a
  DuckDB SQL count and sum over the same Parquet files (exit code 1 if not).

The world is generated once into ``benchmarks/results/`` (ignored by git) and reused. ``--smoke``
runs the same code on a 2 000-user world in seconds (used by ``make test``); it checks that
everything runs, not the targets.

    python benchmarks/bench_report.py                  # full: ~50 M events (minutes, ~3 GB disk)
    python benchmarks/bench_report.py --engine spark   # Spark on ~5 M events
    python benchmarks/bench_report.py --smoke
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_SECONDS = 180
TARGET_RSS_GB = 4.0


def _opsplaybook() -> list[str]:
    return [sys.executable, "-m", "opsplaybook"]


def world(users: int, days: int, out: Path) -> Path:
    """A Parquet world of ``users`` users, made once and reused."""
    if (out / "events.parquet").exists() or (out / "events").exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    t = time.perf_counter()
    subprocess.run([*_opsplaybook(), "generate", "--users", str(users), "--seed", "3", "--days", str(days),
                    "--out", str(out), "--quiet"], check=True, cwd=ROOT)
    print(f"  world        {users:,} users, {days} days generated in {time.perf_counter() - t:.0f} s -> {out}")
    return out


def _table(folder: Path, name: str) -> Path:
    for cand in (folder / f"{name}.parquet", folder / name):
        if cand.exists():
            return cand
    raise FileNotFoundError(f"{folder} has no {name} table")


def _rows(path: Path) -> int:
    import duckdb

    pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    return duckdb.sql(f"SELECT count(*) FROM read_parquet('{pattern}')").fetchall()[0][0]


def _sql_truth(path: Path) -> tuple[int, float]:
    import duckdb

    pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    n, s = duckdb.sql(f"SELECT count(*), sum(round(amount * 100)) / 100 FROM read_parquet('{pattern}')").fetchall()[0]
    return int(n), float(s)


def _one_pass(path: Path) -> float:
    """Seconds for one DuckDB pass over the events in a fresh process: the floor any report pays."""
    pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    code = ("import duckdb, time; duckdb.sql('SET enable_progress_bar = false'); t = time.perf_counter(); "
            f"duckdb.sql(\"SELECT user_id, count(*), min(ts), max(ts) FROM read_parquet('{pattern}') GROUP BY 1\").fetchall(); "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def run_report(folder: Path, out: Path, engine: str) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (GB, the report process and its children) and exit code of one report."""
    import psutil

    cmd = [*_opsplaybook(), "report", "--orders", str(_table(folder, "orders")),
           "--events", str(_table(folder, "events")), "--users", str(_table(folder, "users")),
           "--out", str(out), "--engine", engine, "--lang", "zh", "--force", "--quiet", "--no-notebook",
           "--mapping", str(_mapping(out.parent))]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    peak = 0
    ps = psutil.Process(proc.pid)
    done = threading.Event()

    def watch():
        nonlocal peak
        while not done.is_set():
            try:
                rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.2)

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    rc = proc.wait()
    done.set()
    th.join()
    return time.perf_counter() - t, peak / 1e9, rc


def _mapping(folder: Path) -> Path:
    p = folder / "bench-mapping.yaml"
    p.write_text("version: 1\ntables:\n"
                 "  orders: {columns: {user: user_id, time: ts, amount: amount, order_id: order_id}}\n"
                 "  events: {columns: {user: user_id, time: ts, event: event}}\n"
                 "  users: {columns: {user: user_id, signup_time: signup_ts, channel: channel, name: name}}\n"
                 "funnel: [visit, view, cart, checkout, purchase]\n", encoding="utf-8")
    return p


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="tiny world, seconds; no targets")
    ap.add_argument("--engine", choices=["duckdb", "polars", "spark", "auto"], default="duckdb")
    ap.add_argument("--users", type=int, default=None, help="users of the world (default 500 000: ~50 M events; Spark 50 000: ~5 M)")
    args = ap.parse_args(argv)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    if args.smoke:
        users, days = 2000, 120
        base = Path(tempfile.mkdtemp(prefix="bench-report-"))
    else:
        users = args.users or (50_000 if args.engine == "spark" else 500_000)
        days = 365
        base = results
    folder = world(users, days, base / f"world-{users}-{days}")
    n_events = _rows(_table(folder, "events"))
    out = base / f"report-{args.engine}"
    secs, rss, rc = run_report(folder, out, args.engine)
    print(f"bench_report ({'smoke: tiny world, no targets' if args.smoke else 'full'}), engine {args.engine}")
    print(f"  input        {n_events:,} events, {_rows(_table(folder, 'orders')):,} orders, {users:,} users (Parquet)")
    if rc != 0:
        print(f"  report       FAILED (exit {rc})")
        return 1
    targets = not args.smoke and args.engine != "spark"  # Spark's figures are stated, not targeted
    verdict = "" if not targets else (f"  (target <= {TARGET_SECONDS} s: {'ok' if secs <= TARGET_SECONDS else 'MISSED'}; "
                                      f"ratio {secs / TARGET_SECONDS:.2f})")
    print(f"  time         {secs:.1f} s{verdict}")
    one_pass = _one_pass(_table(folder, "events"))
    print(f"  reference    {one_pass:.1f} s for one DuckDB pass over the events (per-user count, first and last "
          f"time), same run: the report takes {secs / one_pass:.1f} passes")
    verdict = "" if not targets else (f"  (target <= {TARGET_RSS_GB:.0f} GB: {'ok' if rss <= TARGET_RSS_GB else 'MISSED'}; "
                                      f"ratio {rss / TARGET_RSS_GB:.2f})")
    print(f"  peak RSS     {rss:.2f} GB{verdict}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    n, total = _sql_truth(_table(folder, "orders"))
    got = summary["sections"]["overview"]["figures"]
    ok = got["orders"] == n and abs(got["gmv"] - total) < 0.01 * max(1, n)
    print(f"  check        orders {got['orders']:,} vs SQL {n:,}; sales {got['gmv']:,.2f} vs SQL {total:,.2f}: "
          f"{'equal' if ok else 'DIFFERENT'}")
    if args.smoke:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
