"""Benchmark of the synthetic-world generator (issue: foundation).

Prints, for this machine and this run:
- the user table (the world's plan included): pooled/vectorised users per second vs a naive per-row Faker loop measured in the
  same run (target ratio >= 100x);
- a 100 k-user world in memory: users/s, events/s, seconds (target <= 20 s) and peak RSS;
- a 1 M-user world streamed to Parquet in chunks through the CLI: events/s (target >= 2 M/s) and
  peak RSS (target <= 3 GB);
- checks that the timed runs made the right rows: the timed user table equals ``generate_world``'s
  users, and the streamed world's first 100 k users' rows equal the in-memory world (exit code 1 if not).

Each scenario runs in its own process, so its peak RSS is its own. ``--smoke`` runs the same code on
small sizes in seconds (used by ``make test``); it checks that everything runs, not the targets.

    python benchmarks/bench_generate.py            # full (minutes)
    python benchmarks/bench_generate.py --smoke
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def naive_users(n: int) -> float:
    """Users/s of the obvious way: one Faker call per field per row, then a DataFrame."""
    import random

    import pandas as pd
    from faker import Faker

    fake = Faker("zh_CN")
    Faker.seed(0)
    random.seed(0)
    t0 = time.perf_counter()
    rows = []
    for i in range(n):
        rows.append({
            "user_id": i + 1,
            "name": fake.name(),
            "gender": random.choice(["男", "女"]),
            "age": random.randint(16, 70),
            "city": fake.city_name(),
            "occupation": fake.job(),
            "channel": random.choice(["抖音信息流", "微信朋友圈广告", "自然流量"]),
            "device_id": fake.hexify("^^^^^^^^^^^^^^^^"),
            "platform": random.choice(["iOS", "Android", "小程序", "H5"]),
            "signup_ts": fake.date_time_between(start_date="-1y"),
        })
    pd.DataFrame(rows)
    return n / (time.perf_counter() - t0)


def _hash(df) -> str:
    """Order- and dtype-sensitive hash of a table (to check that two runs made the same rows)."""
    import hashlib

    import pandas as pd

    h = hashlib.sha256(pd.util.hash_pandas_object(df.reset_index(drop=True), index=False).to_numpy().tobytes())
    h.update(repr([(c, str(t)) for c, t in df.dtypes.items()]).encode())
    return h.hexdigest()[:16]


def pooled_users(n: int, days: int = 365) -> dict:
    """Users/s of the kit's vectorised user table, the world's plan included (name pools drawn once
    from Faker, alias tables, price truth), sampled with NumPy; plus a hash of the first chunk's users."""
    import numpy as np

    from opsplaybook.world import generator as G

    t0 = time.perf_counter()
    plan = G.make_plan(n, start="2025-01-01", days=days, preset="ecommerce", locale="zh_CN", seed=0)
    t_plan = time.perf_counter() - t0
    done, first = 0, None
    for i in range(plan.n_chunks):
        rng = plan.chunk_rng(i)
        m = min(G.CHUNK_USERS, n - done)
        who = G.draw_users(plan, rng, np.arange(done + 1, done + m + 1))
        frame = G.users_frame(plan, who, np.zeros(m, dtype=np.int64))
        if first is None:
            first = frame
        done += m
    dt = time.perf_counter() - t0
    return {"users_per_s": n / dt, "plan_seconds": t_plan, "first_chunk_users": _hash(first.drop(columns="member_level"))}


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def in_memory_world(n: int, days: int = 365) -> dict:
    import opsplaybook as ops
    from opsplaybook.world.generator import CHUNK_USERS

    t0 = time.perf_counter()
    world = ops.generate_world(n_users=n, seed=0, days=days)
    dt = time.perf_counter() - t0
    return {"users": n, "events": len(world.events), "seconds": dt, "peak_rss_mb": _peak_rss_mb(),
            "first_chunk_users": _hash(world.users.iloc[:CHUNK_USERS].drop(columns="member_level")),
            "hashes": {name: _hash(getattr(world, name)) for name in PREFIX_TABLES}}


# Tables whose rows of users 1 … n do not depend on the world's size (given whole chunks): the
# streamed world's first n users must equal the in-memory world of n users.
PREFIX_TABLES = ("users", "events", "orders", "points", "experiment")


def _child(kind: str, n: int, *args) -> dict:
    """Run one scenario in a fresh interpreter and return its JSON result."""
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_generate as b; "
            f"print(json.dumps(b.{kind}({', '.join(map(repr, (n, *args)))})))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run_sampling_rss(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (seconds, peak summed RSS in MB of it and all its child processes)."""
    import psutil

    t0 = time.perf_counter()
    proc = psutil.Popen(cmd)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return time.perf_counter() - t0, peak / 2**20


def streamed_world(n: int, days: int = 365, prefix_users: int = 0) -> dict:
    """The CLI writing an n-user world to Parquet in chunks; peak RSS summed over its processes; and
    the hashes of the first ``prefix_users`` users' rows, read back from the files."""
    import pandas as pd
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "world"
        cli = [sys.executable, "-m", "opsplaybook", "generate", "--users", str(n), "--seed", "0", "--days", str(days),
               "--out", str(out), "--quiet"]
        dt, peak = _run_sampling_rss(cli)
        events = pq.ParquetFile(out / "events.parquet").metadata.num_rows
        size = sum(p.stat().st_size for p in out.iterdir())
        hashes = {name: _hash(pd.read_parquet(out / f"{name}.parquet", filters=[("user_id", "<=", prefix_users)]))
                  for name in PREFIX_TABLES} if prefix_users else {}
    return {"users": n, "events": events, "seconds": dt, "peak_rss_mb": peak, "size_mb": size / 2**20,
            "hashes": hashes}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="small sizes, seconds; checks it runs")
    args = ap.parse_args(argv)
    # the smoke sizes keep whole chunks, so the result checks below run in both modes
    n_naive, n_pool, n_mem, n_stream, days = ((300, 10_000, 10_000, 20_000, 60) if args.smoke
                                              else (3_000, 1_000_000, 100_000, 1_000_000, 365))

    print(f"bench_generate{' (smoke: tiny sizes, fixed costs dominate; the targets apply to the full run)' if args.smoke else ''}")
    naive = _child("naive_users", n_naive)
    pooled = _child("pooled_users", n_pool, days)
    print(f"  user table   naive per-row Faker {naive:>12,.0f} users/s ({n_naive:,} users)")
    print(f"               pooled + NumPy      {pooled['users_per_s']:>12,.0f} users/s ({n_pool:,} users, "
          f"the plan's {pooled['plan_seconds']:.2f} s included)")
    print(f"               ratio               {pooled['users_per_s'] / naive:>12,.0f} x      (target >= 100 x)")

    mem = _child("in_memory_world", n_mem, days)  # peak RSS of the main process (workers are separate)
    print(f"  in memory    {mem['users']:,} users, {mem['events']:,} events in {mem['seconds']:.1f} s "
          f"(target <= 20 s for 100,000 users): {mem['users'] / mem['seconds']:,.0f} users/s, "
          f"{mem['events'] / mem['seconds']:,.0f} events/s, peak RSS {mem['peak_rss_mb']:,.0f} MB")

    st = streamed_world(n_stream, days, n_mem)
    print(f"  streamed     {st['users']:,} users, {st['events']:,} events to Parquet ({st['size_mb']:,.0f} MB) in "
          f"{st['seconds']:.1f} s: {st['events'] / st['seconds']:,.0f} events/s (target >= 2,000,000), "
          f"peak RSS {st['peak_rss_mb']:,.0f} MB summed over its processes (target <= 3,072 MB)")

    # results: the timed runs made the same rows
    checks = {
        "user table (timed) = generate_world's users (first chunk)": pooled["first_chunk_users"] == mem["first_chunk_users"],
        f"streamed world's users 1..{n_mem:,} = in-memory world ({', '.join(PREFIX_TABLES)})": st["hashes"] == mem["hashes"],
    }
    for what, ok in checks.items():
        print(f"  check        {'ok  ' if ok else 'FAIL'} {what}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
