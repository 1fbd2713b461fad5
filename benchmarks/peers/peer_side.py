"""The peers' side of bench_peers, run by the peers' own interpreter (never imports the kit).

    <peers-venv>/bin/python peer_side.py funnel 1000000
    <peers-venv>/bin/python peer_side.py rfm 0          # CDNOW as is (0 = no replication)

Prints one JSON line: the times (s) and the results to compare.
"""
from __future__ import annotations

import json
import os
import pathlib
import sys
import time

os.environ.setdefault("RETENTIONEERING_NO_TRACK", "1")  # no telemetry from the benchmark
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import shop_data  # noqa: E402


def site_packages() -> pathlib.Path:
    import pandas

    return pathlib.Path(pandas.__file__).resolve().parent.parent


def funnel(n: int) -> dict:
    import retentioneering as rete

    df = shop_data.load_ecom(site_packages(), n)
    df = df.rename(columns={"ts": "timestamp"})
    t, c = time.perf_counter(), time.process_time()
    stream = rete.Eventstream(df)  # builds its prepared event stream
    first = stream.funnel_data(steps=shop_data.FUNNEL_STEPS)
    end_to_end, end_to_end_cpu = time.perf_counter() - t, time.process_time() - c
    again, again_cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        out = stream.funnel_data(steps=shop_data.FUNNEL_STEPS)
        again.append(time.perf_counter() - t)
        again_cpu.append(time.process_time() - c)
    return {"peer": f"retentioneering {rete.__version__}", "rows": len(df), "end_to_end": end_to_end,
            "repeated": min(again), "end_to_end_cpu": end_to_end_cpu, "repeated_cpu": min(again_cpu),
            "users": [s["unique_paths"] for s in out["steps"]],
            "first_users": [s["unique_paths"] for s in first["steps"]]}


def rfm(n: int) -> dict:
    import lifetimes
    from lifetimes.utils import summary_data_from_transaction_data

    df = shop_data.load_cdnow(site_packages(), n or None)
    times, cpus = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        out = summary_data_from_transaction_data(df, "user_id", "ts", monetary_value_col="amount", freq="D")
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return {"peer": f"lifetimes {lifetimes.__version__}", "rows": len(df), "first": times[0], "repeated": min(times), "first_cpu": cpus[0], "repeated_cpu": min(cpus),
            "buyers": int(len(out)), "repeat_buyers": int((out["frequency"] > 0).sum())}


if __name__ == "__main__":
    task, n = sys.argv[1], int(sys.argv[2])
    print(json.dumps({"funnel": funnel, "rfm": rfm}[task](n)))
