"""Benchmark: the kit against its peers (retentioneering, lifetimes) and against plain pandas, same run.

Three parts, each figure measured in a fresh process (the two sides alternate):

1. **Closed funnel on a real shop clickstream** (retentioneering's bundled ``ecom`` data, replicated
   to 1 M and 10 M events; steps catalog → product_view → add_to_cart → payment_details → purchase,
   no window): end to end (ours: first call on a pandas frame; retentioneering: building its
   ``Eventstream`` + ``funnel_data``) and **repeated** (best of the next three calls on the same
   frame, which reuse the cached prepared event log — the second call also sorts the step events
   once, and is printed on its own; retentioneering: ``funnel_data`` on the prepared Eventstream).
   Target: repeated ≥ 2× faster than retentioneering's prepared path.
2. **RFM on real transactions** (lifetimes' CDNOW master file, 69 659 orders; and replicated to
   10 M): ours ``rfm(orders)`` vs lifetimes' ``summary_data_from_transaction_data``.
3. **Fixed cost on a small frame** (the demo world cut to ≤ 100 k events / its orders): each analysis
   a widget calls (``funnel``, ``retention``, ``rfm``, ``lifecycle``, ``kpis``) against plain pandas
   code computing the same result (checked equal). Target: ≤ 20 ms above plain pandas, and every
   repeated call ≤ 100 ms.

The peers live in an environment of the benchmark's own, ``benchmarks/results/peers-venv`` (an
ignored folder), created on the first full run with ``python -m venv`` + ``pip install
retentioneering==5.2.4 lifetimes==0.11.3`` — never in the kit's lock. When a peer does not install,
the benchmark prints pip's reason and still reports our side. ``--smoke`` installs nothing, skips
the peers with a message and runs part 3 on a small world in seconds.

    python benchmarks/bench_peers.py            # full (creates the peers' venv on first run)
    python benchmarks/bench_peers.py --smoke    # make test
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
PEERS_VENV = HERE / "results" / "peers-venv"
PEERS = {"retentioneering": "retentioneering==5.2.4", "lifetimes": "lifetimes==0.11.3"}
TARGET_REPEAT_SPEEDUP = 2.0
TARGET_FIXED_MS = 20.0
TARGET_WIDGET_MS = 100.0

sys.path.insert(0, str(HERE / "peers"))


# ----------------------------------------------------------------------------- the peers' venv
def peer_python() -> pathlib.Path:
    return PEERS_VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_peers() -> dict[str, str | None]:
    """{peer: None if importable, else why not}; creates/updates the venv when needed."""
    py = peer_python()
    status: dict[str, str | None] = {}
    if not py.exists():
        print(f"creating the peers' environment {PEERS_VENV.relative_to(HERE.parent)} (once) ...", flush=True)
        r = subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], capture_output=True, text=True)
        if r.returncode:
            return {p: f"python -m venv failed: {r.stderr.strip()[-300:]}" for p in PEERS}
    for peer, spec in PEERS.items():
        ok = subprocess.run([str(py), "-c", f"import {peer}"], capture_output=True, text=True).returncode == 0
        if not ok:
            r = subprocess.run([str(py), "-m", "pip", "install", "-q", spec, "psutil"], capture_output=True, text=True)
            ok = subprocess.run([str(py), "-c", f"import {peer}"], capture_output=True, text=True).returncode == 0
            if not ok:
                lines = [ln for ln in (r.stderr or r.stdout).splitlines() if "ERROR" in ln or "error" in ln]
                status[peer] = (" ".join(lines[-3:]) or "pip install failed")[:400]
                continue
        status[peer] = None
    return status


def peer_site_packages() -> pathlib.Path:
    out = subprocess.run([str(peer_python()), "-c", "import pandas, pathlib; print(pathlib.Path(pandas.__file__).resolve().parent.parent)"],
                         capture_output=True, text=True, check=True)
    return pathlib.Path(out.stdout.strip())


def run_json(cmd: list[str]) -> dict:
    env = dict(os.environ, RETENTIONEERING_NO_TRACK="1")
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode:
        raise RuntimeError(r.stderr.strip()[-500:])
    return json.loads(r.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- our side (own process)
def ours_funnel(site: pathlib.Path, n: int) -> dict:
    import shop_data

    import opsplaybook as ops

    df = shop_data.load_ecom(site, n)
    t, c = time.perf_counter(), time.process_time()
    first = ops.funnel(df, shop_data.FUNNEL_STEPS, window=None)
    end_to_end, end_to_end_cpu = time.perf_counter() - t, time.process_time() - c
    again, again_cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        out = ops.funnel(df, shop_data.FUNNEL_STEPS, window=None)
        again.append(time.perf_counter() - t)
        again_cpu.append(time.process_time() - c)
    assert out["users"].tolist() == first["users"].tolist()
    return {"rows": len(df), "end_to_end": end_to_end, "repeated": min(again), "end_to_end_cpu": end_to_end_cpu,
            "repeated_cpu": min(again_cpu), "second": again[0], "second_cpu": again_cpu[0],
            "users": out["users"].tolist()}


def ours_rfm(site: pathlib.Path, n: int) -> dict:
    import shop_data

    import opsplaybook as ops

    df = shop_data.load_cdnow(site, n or None)
    times, cpus = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        out = ops.rfm(df)
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    # the first call above also imports Polars and narwhals' backends (lazily, on first use); a
    # session that has run any analysis pays only this: a frame not seen before, libraries loaded
    from opsplaybook.analytics._engine import clear_cache

    fresh = []
    for _ in range(3):
        clear_cache()
        t = time.perf_counter()
        ops.rfm(df)
        fresh.append(time.perf_counter() - t)
    return {"rows": len(df), "first": times[0], "repeated": min(times), "first_cpu": cpus[0], "repeated_cpu": min(cpus), "buyers": int(len(out)),
            "repeat_buyers": int((out["frequency"] > 1).sum()), "new_frame": min(fresh)}


def ours_side(task: str, n: int, site: str) -> None:
    fn = {"funnel": ours_funnel, "rfm": ours_rfm}[task]
    print(json.dumps(fn(pathlib.Path(site), n)))


# ----------------------------------------------------------------------------- part 3: small frames
def small_frames(n_events: int):
    """The demo world cut to its first ``n_events`` events (by time) and the orders of that span."""
    import opsplaybook as ops

    try:
        w = ops.load_demo()
    except Exception:  # noqa: BLE001 - no demo data written: a small world of our own
        w = ops.generate_world(n_users=3000, seed=1)
    ev = w.events.sort_values("ts", kind="stable").head(n_events).reset_index(drop=True)
    end = ev["ts"].max()
    od = w.orders[w.orders["ts"] <= end].reset_index(drop=True)
    return ev[["user_id", "ts", "event"]].copy(), od[["user_id", "ts", "amount"]].copy()


def pandas_funnel(ev, steps, window):
    """Plain pandas: the sequential first-attempt funnel as a chain of merges (the kit's semantics)."""
    import pandas as pd

    s = ev[ev["event"] == steps[0]].groupby("user_id", sort=False)["ts"].min().rename("t1").reset_index()
    cur, counts = s, [len(s)]
    for i, step in enumerate(steps[1:], start=2):
        e = ev.loc[ev["event"] == step, ["user_id", "ts"]]
        j = cur.merge(e, on="user_id")
        keep = j["ts"] >= j[f"t{i - 1}"]
        if window is not None:
            keep &= j["ts"] <= j["t1"] + pd.Timedelta(window)
        j = j[keep]
        cur = j.groupby("user_id", sort=False).agg(**{c: (c, "first") for c in cur.columns if c != "user_id"},
                                                   **{f"t{i}": ("ts", "min")}).reset_index()
        counts.append(len(cur))
    return counts


def pandas_retention_weekly(ev, periods):
    """Plain pandas: weekly 'on' retention counts {(cohort week, n): users}."""
    wk = (ev["ts"].dt.normalize() - pd_to_timedelta_days(ev["ts"].dt.day_of_week))
    d = ev.assign(w=wk)[["user_id", "w"]].drop_duplicates()
    c = d.groupby("user_id")["w"].min().rename("c")
    d = d.join(c, on="user_id")
    d["n"] = (d["w"] - d["c"]).dt.days // 7
    d = d[d["n"].between(0, periods)]
    return d.groupby(["c", "n"]).size().to_dict()


def pd_to_timedelta_days(x):
    import pandas as pd

    return pd.to_timedelta(x, unit="D")


def pandas_rfm(od):
    """Plain pandas: recency/frequency/monetary and the 1-5 rank scores per buyer."""
    import numpy as np

    g = od.groupby("user_id").agg(last=("ts", "max"), frequency=("ts", "size"), cents=("amount", lambda a: np.round(a * 100).sum()))
    as_of = od["ts"].max().normalize() + pd_to_timedelta_days(1)
    g["recency"] = (as_of - g["last"].dt.normalize()).dt.days
    n = len(g)
    for col, asc, name in (("recency", False, "r_score"), ("frequency", True, "f_score"), ("cents", True, "m_score")):
        r = g[col].rank(method="min", ascending=asc)
        g[name] = (1 + np.floor(5 * (r - 1) / n)).astype(int)
    return g


def pandas_lifecycle(ev, as_of):
    """Plain pandas: each user's stage (new/active/returning/silent/churned, defaults 7/14/30/7)."""
    import numpy as np

    day = (ev["ts"].dt.normalize() - np.datetime64("1970-01-01")).dt.days
    d = ev.assign(d=day)[["user_id", "d"]].drop_duplicates().sort_values(["user_id", "d"])
    a = (as_of - np.datetime64("1970-01-01", "D")).astype(int) if not hasattr(as_of, "toordinal") else (as_of.date() - __import__("datetime").date(1970, 1, 1)).days
    d = d[d["d"] <= a]
    d["gap"] = d.groupby("user_id")["d"].diff()
    d["back"] = d["d"].where(d["gap"] > 14)
    g = d.groupby("user_id").agg(first=("d", "min"), last=("d", "max"), back=("back", "max"))
    since = a - g["last"]
    stage = np.select(
        [(a - g["first"]) < 7, since >= 30, since >= 14, g["back"].notna() & ((a - g["back"]) < 7)],
        ["new", "churned", "silent", "returning"], default="active")
    return dict(zip(g.index, stage))


def pandas_kpis_daily(ev, od):
    """Plain pandas: the daily KPI table the kit returns — uv (= dau), rolling 7/30-day wau/mau
    (a sweep over each user's next active day), new users (first active day), buyers, orders,
    gmv (integer cents) and repeating buyers."""
    import numpy as np
    import pandas as pd

    ud = pd.DataFrame({"u": ev["user_id"].to_numpy(), "d": ev["ts"].dt.normalize().to_numpy()}).drop_duplicates()
    ud = ud.sort_values(["u", "d"], kind="stable")
    uv = ud.groupby("d").size()
    u, d = ud["u"].to_numpy(), ud["d"].to_numpy()
    nat = np.datetime64("NaT")
    nxt = np.concatenate([np.where(u[1:] == u[:-1], d[1:], nat), [nat]]).astype(d.dtype)
    out = pd.DataFrame({"uv": uv})
    for name, width in (("wau", 7), ("mau", 30)):
        end = d + np.timedelta64(width, "D")
        end = np.where(~np.isnat(nxt) & (nxt < end), nxt, end)
        out[name] = uv.sub(pd.Series(end).value_counts(), fill_value=0).sort_index().cumsum().reindex(uv.index).astype(int)
    out["new_users"] = ud.groupby("u")["d"].min().value_counts().reindex(uv.index, fill_value=0)
    g = od.assign(day=od["ts"].dt.normalize(), cents=np.round(od["amount"] * 100)).groupby(["day", "user_id"]).agg(
        n=("cents", "size"), cents=("cents", "sum"))
    g["rep"] = g["n"] >= 2
    s = g.groupby("day").agg(buyers=("n", "size"), orders=("n", "sum"), cents=("cents", "sum"), repeat=("rep", "sum"))
    out = out.join(s, how="outer").fillna(0)
    out["gmv"] = out.pop("cents") / 100
    return out


def part_small(n_events: int, repeat: int) -> int:
    import numpy as np
    import pandas as pd

    import opsplaybook as ops
    from opsplaybook.analytics._engine import clear_cache

    ev, od = small_frames(n_events)
    steps = [s for s in ["visit", "view", "cart", "checkout", "purchase"] if s in set(ev["event"])]
    as_of = ev["ts"].max()
    print(f"\n3. fixed cost on a small frame: {len(ev):,} events, {len(od):,} orders (demo world, first {n_events:,} events)")

    def best(fn):
        out, ts, cs = None, [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            out = fn()
            ts.append(time.perf_counter() - t)
            cs.append(time.process_time() - c)
        cpu_ms[0] = min(cs) * 1000
        return min(ts), out

    cpu_ms = [0.0]

    def first_call(fn):
        def run():
            clear_cache()
            return fn()
        return run

    failures = 0
    cases = {
        "funnel (5 steps, 7D)": (
            lambda: ops.funnel(ev, steps, window="7D"),
            lambda: pandas_funnel(ev, steps, "7D"),
            lambda ours, ref: ours["users"].tolist() == ref),
        "retention (weekly)": (
            lambda: ops.retention(ev, period="W", periods=12),
            lambda: pandas_retention_weekly(ev, 12),
            lambda ours, ref: _retention_equal(ours, ref)),
        "rfm (cn8)": (
            lambda: ops.rfm(od),
            lambda: pandas_rfm(od),
            lambda ours, ref: (ours.set_index("user_id")[["recency", "frequency", "r_score", "f_score", "m_score"]]
                               .astype(int).equals(ref[["recency", "frequency", "r_score", "f_score", "m_score"]].astype(int)))),
        "lifecycle": (
            lambda: ops.lifecycle(ev, as_of=as_of),
            lambda: pandas_lifecycle(ev, as_of),
            lambda ours, ref: dict(zip(ours["user_id"], ours["stage"])) == ref),
        "kpis (daily)": (
            lambda: ops.kpis(ev, od),
            lambda: pandas_kpis_daily(ev, od),
            lambda ours, ref: _kpis_equal(ours, ref)),
    }
    print(f"{'analysis':<22} {'first ms':>9} {'again ms':>9} {'pandas ms':>10} {'above pandas':>13} {'target':>8}  "
          f"{'CPU ms: first':>13} {'again':>6} {'pandas':>7}  result")
    for name, (fn, ref_fn, same) in cases.items():
        t_ref, ref = best(ref_fn)
        c_ref = cpu_ms[0]
        t_first, _ = best(first_call(fn))
        c_first = cpu_ms[0]
        t_again, out = best(fn)
        c_again = cpu_ms[0]
        try:
            ok = bool(same(out, ref))
        except Exception as exc:  # noqa: BLE001
            ok = False
            print(f"  comparison failed: {exc}")
        failures += not ok
        above = (t_first - t_ref) * 1000
        # the verdict reads the CPU figures: on a shared machine wall-clock times of tens of
        # milliseconds mostly measure the other jobs
        verdict = "ok" if c_first - c_ref <= TARGET_FIXED_MS and c_again <= TARGET_WIDGET_MS else "SLOW"
        print(f"{name:<22} {t_first * 1000:9.1f} {t_again * 1000:9.1f} {t_ref * 1000:10.1f} {above:+13.1f} "
              f"{'<=' + str(int(TARGET_FIXED_MS)) + ' ' + verdict:>8}  {c_first:13.1f} {c_again:6.1f} {c_ref:7.1f}  "
              f"{'equal' if ok else 'DIFFERENT'}")
    print("first = one call on a frame not seen before; again = the same call repeated on the same frame "
          f"(a widget's update, target <= {TARGET_WIDGET_MS:.0f} ms); above pandas = first - pandas (wall); "
          "the verdict uses the CPU columns (first - pandas <= 20 ms, again <= 100 ms).")
    _ = (np, pd)
    return failures


def _retention_equal(ours, ref) -> bool:
    import pandas as pd

    long = ours.counts.melt(id_vars=["cohort", "cohort_size"], var_name="n", value_name="k").dropna(subset=["k"])
    long = long[long["k"] > 0]
    got = {(pd.Timestamp(c), int(n)): int(k) for c, n, k in long[["cohort", "n", "k"]].itertuples(index=False)}
    want = {(pd.Timestamp(c), int(n)): int(k) for (c, n), k in ref.items()}
    return got == want


def _kpis_equal(ours, ref) -> bool:
    import numpy as np

    o = ours.set_index("period").loc[ref.index]
    ok = all((o[c].to_numpy() == ref[c].to_numpy()).all() for c in ("uv", "wau", "mau", "new_users", "buyers", "orders"))
    ok &= np.allclose(o["gmv"].to_numpy(), ref["gmv"].to_numpy())
    want = np.divide(ref["repeat"].to_numpy(), ref["buyers"].to_numpy(), out=np.zeros(len(ref)), where=ref["buyers"].to_numpy() > 0)
    return bool(ok and np.allclose(o["repeat_rate"].fillna(0).to_numpy(), want))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="no peers, part 3 on a small world (seconds)")
    ap.add_argument("--sizes", nargs="*", type=int, default=[1_000_000, 10_000_000], help="funnel event counts")
    ap.add_argument("--side", choices=["ours"], help=argparse.SUPPRESS)
    ap.add_argument("--task", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--site", help=argparse.SUPPRESS)
    ap.add_argument("--small", type=int, default=100_000, help="events of the small frame (part 3)")
    args = ap.parse_args(argv)
    if args.side == "ours":
        ours_side(args.task, args.n, args.site)
        return 0

    failures = 0
    if args.smoke:
        print("smoke: peers skipped (the full run installs retentioneering and lifetimes in "
              "benchmarks/results/peers-venv and compares them)")
        return part_small(min(args.small, 20_000), repeat=2)

    status = ensure_peers()
    for peer, why in status.items():
        print(f"peer {peer}: " + ("installed" if why is None else f"NOT AVAILABLE — {why}"))
    site = peer_site_packages() if any(v is None for v in status.values()) else None
    me = [sys.executable, str(pathlib.Path(__file__).resolve())]

    print("\n1. closed funnel, real shop clickstream (retentioneering's ecom data, replicated), no window")
    print(f"{'events':>11} {'side':<22} {'end to end s':>13} {'repeated s':>11}  users per step")
    for n in args.sizes:
        if status.get("retentioneering") is not None or site is None:
            print(f"{n:>11,} retentioneering: skipped ({status.get('retentioneering')}); its data set is needed for both sides")
            continue
        peer = run_json([str(peer_python()), str(HERE / "peers" / "peer_side.py"), "funnel", str(n)])
        ours = run_json([*me, "--side", "ours", "--task", "funnel", "--n", str(n), "--site", str(site)])
        print(f"{n:>11,} {peer['peer']:<22} {peer['end_to_end']:13.2f} {peer['repeated']:11.3f}  {peer['users']}")
        print(f"{n:>11,} {'opsplaybook':<22} {ours['end_to_end']:13.2f} {ours['repeated']:11.3f}  {ours['users']}")
        speed = peer["repeated"] / ours["repeated"]
        e2e = peer["end_to_end"] / ours["end_to_end"]
        speed_cpu = peer["repeated_cpu"] / ours["repeated_cpu"]
        e2e_cpu = peer["end_to_end_cpu"] / ours["end_to_end_cpu"]
        print(f"{'':>11} CPU s: retentioneering {peer['end_to_end_cpu']:.2f} / {peer['repeated_cpu']:.3f}, "
              f"opsplaybook {ours['end_to_end_cpu']:.2f} / {ours['repeated_cpu']:.3f} "
              f"(our second call, which sorts the step events once: {ours['second']:.3f} s, CPU {ours['second_cpu']:.3f} s)")
        print(f"{'':>11} ours faster by: end to end {e2e:.1f}x (CPU {e2e_cpu:.1f}x), repeated {speed:.1f}x (CPU {speed_cpu:.1f}x) "
              f"(target >= {TARGET_REPEAT_SPEEDUP:.0f}x: {'ok' if min(speed, speed_cpu) >= TARGET_REPEAT_SPEEDUP else 'SLOW'}); "
              + ("same users per step" if peer["users"] == ours["users"] else
                 "users differ where events share a timestamp (retentioneering needs a later row; the kit counts equal times)"))

    print("\n2. RFM on real transactions (lifetimes' CDNOW master file)")
    print(f"{'orders':>11} {'side':<22} {'first s':>9} {'repeated s':>11}  buyers")
    for n in (0, 10_000_000):
        if status.get("lifetimes") is not None or site is None:
            print(f"{n or 69659:>11,} lifetimes: skipped ({status.get('lifetimes')})")
            continue
        peer = run_json([str(peer_python()), str(HERE / "peers" / "peer_side.py"), "rfm", str(n)])
        ours = run_json([*me, "--side", "ours", "--task", "rfm", "--n", str(n), "--site", str(site)])
        print(f"{peer['rows']:>11,} {peer['peer']:<22} {peer['first']:9.3f} {peer['repeated']:11.3f}  {peer['buyers']:,}")
        print(f"{ours['rows']:>11,} {'opsplaybook rfm':<22} {ours['first']:9.3f} {ours['repeated']:11.3f}  {ours['buyers']:,}")
        print(f"{'':>11} our first call includes importing Polars and narwhals' backends; on a new frame once they are "
              f"loaded: {ours['new_frame']:.3f} s ({peer['first'] / ours['new_frame']:.1f}x lifetimes' first call)")
        print(f"{'':>11} ours faster by {peer['first'] / ours['first']:.1f}x first, {peer['repeated'] / ours['repeated']:.1f}x repeated "
              f"(CPU: {peer['first_cpu'] / ours['first_cpu']:.1f}x, {peer['repeated_cpu'] / ours['repeated_cpu']:.1f}x); "
              + ("same buyers" if peer["buyers"] == ours["buyers"] else "BUYERS DIFFER"))
        failures += peer["buyers"] != ours["buyers"]

    failures += part_small(args.small, repeat=3)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
