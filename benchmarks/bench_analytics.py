"""Benchmark: rfm, funnel and retention against hand-written DuckDB SQL of the same computation.

Builds (seeded, with NumPy — not the world generator) 10 M orders of ~1 M users and 20 M events,
runs each analysis with pandas input and with DuckDB / Polars input, runs a hand-written DuckDB SQL
query of the same computation in the same process, checks that the results are equal, and prints

* the time ratio: function time / SQL time (target: <= 1.3x),
* the peak memory per input row: (peak RSS during the call - RSS before) / input rows
  (target: <= 100 bytes; sampled every 5 ms with psutil).

The best of ``--repeat`` runs is reported for times, the largest peak for memory.
It is a benchmark, not a test: nothing fails on a slow figure; only wrong results exit non-zero.

    python benchmarks/bench_analytics.py            # full size (several minutes, ~6 GB RAM)
    python benchmarks/bench_analytics.py --smoke    # 5 k rows, seconds (make test)
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time

import numpy as np
import pandas as pd

TARGET_RATIO = 1.0  # issue 8: every analysis with pandas input at most the hand-written SQL
TARGET_BYTES = 100
STEPS = ["visit", "view", "cart", "purchase"]
STEPS_5 = ["visit", "view", "cart", "checkout", "purchase"]
EVENT_NAMES = np.array(["visit", "view", "cart", "checkout", "purchase", "share", "sign_in"])
EVENT_P = np.array([0.22, 0.40, 0.12, 0.08, 0.06, 0.04, 0.08])


# ----------------------------------------------------------------------------- data
def make_data(n_orders: int, n_events: int, n_users: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    start = np.datetime64("2025-01-01T00:00:00", "us")
    year_us = 365 * 86_400 * 1_000_000
    orders = pd.DataFrame({
        "user_id": rng.integers(1, n_users + 1, n_orders, dtype=np.int64),
        "ts": start + rng.integers(0, year_us, n_orders).astype("timedelta64[us]"),
        "amount": rng.integers(100, 100_000, n_orders) / 100,  # yuan with cents
    })
    codes = rng.choice(len(EVENT_NAMES), n_events, p=EVENT_P)
    events = pd.DataFrame({
        "user_id": rng.integers(1, n_users + 1, n_events, dtype=np.int64),
        "ts": start + rng.integers(0, year_us, n_events).astype("timedelta64[us]"),
        "event": pd.Categorical.from_codes(codes, EVENT_NAMES).astype("str"),
    })
    return orders, events


# ----------------------------------------------------------------------------- the SQL
SQL_RFM = """
WITH per_user AS (
  SELECT user_id, max(ts) AS last_ts, count(*) AS frequency,
         sum(CAST(round(amount * 100) AS BIGINT)) AS cents
  FROM orders WHERE user_id IS NOT NULL AND ts IS NOT NULL GROUP BY user_id),
rec AS (
  SELECT *, (SELECT CAST(max(ts) AS DATE) FROM orders) + 1 - CAST(last_ts AS DATE) AS recency FROM per_user),
ranked AS (
  SELECT *, rank() OVER (ORDER BY recency DESC) AS rr, rank() OVER (ORDER BY frequency) AS rf,
         rank() OVER (ORDER BY cents) AS rm, count(*) OVER () AS n,
         sum(recency) OVER () AS s_r, sum(frequency) OVER () AS s_f, sum(cents) OVER () AS s_m
  FROM rec)
SELECT user_id, CAST(recency AS BIGINT) AS recency, frequency, cents / 100 AS monetary,
  CAST(1 + floor(5 * (rr - 1) / n) AS BIGINT) AS r_score,
  CAST(1 + floor(5 * (rf - 1) / n) AS BIGINT) AS f_score,
  CAST(1 + floor(5 * (rm - 1) / n) AS BIGINT) AS m_score,
  CASE (recency * n < s_r)::INT * 4 + (frequency * n > s_f)::INT * 2 + (cents * n > s_m)::INT
    WHEN 7 THEN 'important_value' WHEN 5 THEN 'important_develop' WHEN 3 THEN 'important_keep'
    WHEN 1 THEN 'important_retain' WHEN 6 THEN 'general_value' WHEN 4 THEN 'general_develop'
    WHEN 2 THEN 'general_keep' ELSE 'general_retain' END AS segment_key
FROM ranked ORDER BY user_id
"""

def sql_funnel(steps, window_days=None) -> str:
    """Mixpanel first attempt, sequential; ``window_days`` from step 1 (inclusive) or unbounded."""
    win = "" if window_days is None else f" AND e.ts <= s.t1 + INTERVAL {window_days} DAY"
    ctes = [f"s1 AS (SELECT user_id, min(ts) AS t1 FROM events WHERE event = '{steps[0]}' GROUP BY user_id)"]
    for i in range(2, len(steps) + 1):
        carry = ", ".join(f"any_value(s.t{j}) AS t{j}" for j in range(1, i))
        ctes.append(
            f"s{i} AS (SELECT e.user_id, {carry}, min(e.ts) AS t{i} FROM events e JOIN s{i - 1} s USING (user_id) "
            f"WHERE e.event = '{steps[i - 1]}' AND e.ts >= s.t{i - 1}{win} GROUP BY e.user_id)"
        )
    sel = ["SELECT 1 AS step, (SELECT count(*) FROM s1) AS users, NULL::DOUBLE AS median_us"]
    sel += [f"SELECT {i}, count(*), median(epoch_us(t{i}) - epoch_us(t{i - 1})) FROM s{i}" for i in range(2, len(steps) + 1)]
    return "WITH " + ",\n".join(ctes) + "\n" + "\nUNION ALL ".join(sel) + "\nORDER BY step"


SQL_FUNNEL = sql_funnel(STEPS, 7)
SQL_FUNNEL_5 = sql_funnel(STEPS_5, None)

# cohort = period of the first event; period n = calendar periods later; "on" mode, any event
_TRUNC = {"D": "CAST(ts AS DATE)", "W": "CAST(date_trunc('week', ts) AS DATE)", "M": "CAST(date_trunc('month', ts) AS DATE)"}
_DIFF = {"D": "d.d - c.c", "W": "(d.d - c.c) // 7", "M": "date_diff('month', c.c, d.d)"}


def sql_retention(period: str, periods: int) -> str:
    return f"""
WITH d AS (SELECT DISTINCT user_id, {_TRUNC[period]} AS d FROM events),
c AS (SELECT user_id, min(d) AS c FROM d GROUP BY user_id)
SELECT c.c AS cohort, {_DIFF[period]} AS n, count(*) AS users
FROM d JOIN c USING (user_id) WHERE {_DIFF[period]} BETWEEN 0 AND {periods}
GROUP BY ALL ORDER BY cohort, n
"""


# ----------------------------------------------------------------------------- measuring
class PeakRSS:
    """Peak resident memory above the starting point while the block runs (psutil, 5 ms samples)."""

    def __init__(self):
        import psutil

        self.proc = psutil.Process(os.getpid())

    def __enter__(self):
        self.base = self.proc.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._watch, daemon=True)
        self._t.start()
        return self

    def _watch(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            self._stop.wait(0.005)

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)
        self.extra = self.peak - self.base


def measure(fn, repeat: int):
    """(best wall time, best CPU time of the process — all threads —, largest peak RSS, result)."""
    best, cpu, peak, result = float("inf"), float("inf"), 0, None
    for _ in range(repeat):
        with PeakRSS() as mem:
            t, c = time.perf_counter(), time.process_time()
            result = fn()
            best = min(best, time.perf_counter() - t)
            cpu = min(cpu, time.process_time() - c)
        peak = max(peak, mem.extra)
    return best, cpu, peak, result


def materialize(obj):
    """Force a lazy result (DuckDB relation, Polars LazyFrame) and return pandas."""
    import narwhals as nw

    if isinstance(obj, pd.DataFrame):
        return obj
    frame = nw.from_native(obj)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    out = frame.to_pandas()
    for c in out.columns:  # DuckDB INTERVAL values arrive as pandas DateOffset objects
        if out[c].dtype == object and out[c].map(lambda v: isinstance(v, pd.DateOffset)).any():
            out[c] = out[c].map(lambda v: (pd.Timestamp(0) + v) - pd.Timestamp(0) if isinstance(v, pd.DateOffset) else v)
            out[c] = pd.to_timedelta(out[c])
    return out


# ----------------------------------------------------------------------------- checks
def check_rfm(out: pd.DataFrame, sql: pd.DataFrame) -> None:
    from opsplaybook.labels import label

    cols = ["user_id", "recency", "frequency", "r_score", "f_score", "m_score"]
    a = out[cols].astype("int64").reset_index(drop=True)
    b = sql[cols].astype("int64").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    np.testing.assert_allclose(out["monetary"].to_numpy(float), sql["monetary"].to_numpy(float), rtol=0, atol=1e-9)
    assert out["segment_key"].astype(str).tolist() == sql["segment_key"].astype(str).tolist()
    names = {k: label(f"rfm.cn8.{k}", "zh") for k in sql["segment_key"].unique()}
    assert out["segment"].astype(str).tolist() == sql["segment_key"].map(names).astype(str).tolist()


def check_funnel(out: pd.DataFrame, sql: pd.DataFrame) -> None:
    assert out["users"].astype("int64").tolist() == sql["users"].astype("int64").tolist(), (out, sql)
    got = pd.to_timedelta(out["median_time"]).iloc[1:] / pd.Timedelta(microseconds=1)
    np.testing.assert_allclose(got.to_numpy(float), sql["median_us"].iloc[1:].to_numpy(float), atol=1.0)


class RetentionFrames:
    def __init__(self, counts, matrix):
        self.counts, self.matrix = counts, matrix


def check_retention(result, sql: pd.DataFrame) -> None:
    """Every cohort x period count, and every share (count / cohort size), against the SQL."""
    counts, matrix = result.counts, result.matrix
    _check_counts(counts, sql)
    zero = sql[sql["n"].astype(int) == 0]
    sizes = pd.Series(zero["users"].to_numpy(), index=pd.to_datetime(zero["cohort"]).astype("datetime64[us]"))
    m = matrix.assign(cohort=pd.to_datetime(matrix["cohort"]).dt.tz_localize(None).astype("datetime64[us]")).set_index("cohort")
    sql_sh = sql.assign(cohort=pd.to_datetime(sql["cohort"]).astype("datetime64[us]"))
    got = np.array([m.at[c, str(int(n))] for c, n in zip(sql_sh["cohort"], sql_sh["n"])], dtype=float)
    want = sql_sh["users"].to_numpy(float) / sizes.loc[sql_sh["cohort"]].to_numpy(float)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert (m[[c for c in m.columns if c != "cohort_size"]].fillna(0) <= 1 + 1e-12).all().all()


def _check_counts(counts: pd.DataFrame, sql: pd.DataFrame) -> None:
    counts = counts.copy()
    counts["cohort"] = pd.to_datetime(counts["cohort"]).dt.tz_localize(None).astype("datetime64[us]")
    long = counts.melt(id_vars=["cohort", "cohort_size"], var_name="n", value_name="users").dropna(subset=["users"])
    long["n"] = long["n"].astype(int)
    long = long[long["users"].astype("int64") > 0]
    sql = sql.assign(cohort=pd.to_datetime(sql["cohort"]).astype("datetime64[us]"), n=sql["n"].astype(int))
    merged = long.merge(sql, on=["cohort", "n"], how="outer", suffixes=("", "_sql"))
    assert merged["users"].notna().all() and merged["users_sql"].notna().all(), merged[merged.isna().any(axis=1)].head()
    assert (merged["users"].astype("int64") == merged["users_sql"].astype("int64")).all()


# ----------------------------------------------------------------------------- main
ANALYSES = ["rfm", "funnel", "funnel5", "retentionD", "retentionW", "retentionM"]
INPUTS = ["pandas", "pd-duckdb", "pd-again", "duckdb", "polars"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="5 k rows, seconds")
    ap.add_argument("--orders", type=int, default=10_000_000)
    ap.add_argument("--events", type=int, default=20_000_000)
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=None, help="runs per measurement (best time kept)")
    ap.add_argument("--only", nargs="*", choices=ANALYSES, default=None)
    ap.add_argument("--inputs", nargs="*", choices=INPUTS, default=None, help="which inputs to time (default: all)")
    args = ap.parse_args(argv)
    if args.smoke:
        args.orders, args.events, args.users = 5_000, 5_000, 500
    repeat = args.repeat or (1 if args.smoke else 2)

    import duckdb
    import polars as pl

    import opsplaybook
    from opsplaybook.analytics._engine import clear_cache, engine_settings

    t = time.perf_counter()
    orders, events = make_data(args.orders, args.events, args.users)
    print(f"data: {len(orders):,} orders, {len(events):,} events, {args.users:,} users "
          f"(built in {time.perf_counter() - t:.1f}s); {os.cpu_count()} cores; repeat={repeat}")
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute("CREATE TABLE orders AS SELECT * FROM orders")
    con.execute("CREATE TABLE events AS SELECT * FROM events")
    pl_orders, pl_events = pl.from_pandas(orders), pl.from_pandas(events)
    periods = {"D": 30, "W": 12, "M": 11}

    def first_call(fn):
        """A pandas input's first analysis: the conversion cache is emptied before every run."""
        def run():
            clear_cache()
            return fn()
        return run

    def inputs(call, table, pl_frame, pd_frame, to_pandas):
        return {
            "pandas": first_call(lambda: to_pandas(call(pd_frame, "auto"))),
            "pd-duckdb": first_call(lambda: to_pandas(call(pd_frame, "duckdb"))),
            "pd-again": lambda: to_pandas(call(pd_frame, "auto")),  # cache warm (a widget's next update)
            "duckdb": lambda: to_pandas(call(con.table(table), "auto")),
            "polars": lambda: to_pandas(call(pl_frame, "auto")),  # result conversion inside the timer
        }

    def ret_frames(r):
        return RetentionFrames(materialize(r.counts), materialize(r.matrix))

    analyses = {
        "rfm": dict(
            rows=len(orders), sql=lambda: con.sql(SQL_RFM).df(),
            inputs=inputs(lambda d, e: opsplaybook.rfm(d, engine=e, lang="zh"), "orders", pl_orders, orders, materialize),
            check=check_rfm,
        ),
        "funnel": dict(
            rows=len(events), sql=lambda: con.sql(SQL_FUNNEL).df(),
            inputs=inputs(lambda d, e: opsplaybook.funnel(d, STEPS, window="7D", engine=e), "events", pl_events, events, materialize),
            check=check_funnel,
        ),
        "funnel5": dict(
            rows=len(events), sql=lambda: con.sql(SQL_FUNNEL_5).df(),
            inputs=inputs(lambda d, e: opsplaybook.funnel(d, STEPS_5, window=None, engine=e), "events", pl_events, events, materialize),
            check=check_funnel,
        ),
    }
    for per in ("D", "W", "M"):
        analyses[f"retention{per}"] = dict(
            rows=len(events), sql=lambda per=per: con.sql(sql_retention(per, periods[per])).df(),
            inputs=inputs(lambda d, e, per=per: opsplaybook.retention(d, period=per, periods=periods[per], engine=e),
                          "events", pl_events, events, ret_frames),
            check=check_retention,
        )
    if args.smoke:  # the large-pandas path on small data: lower the threshold, not only the data
        ctx = engine_settings(pandas_threshold=1_000)
        ctx.__enter__()
        print("smoke: pandas inputs from 1,000 rows run on the embedded engine (threshold lowered)")
    wanted = args.only or list(analyses)
    failures = 0
    print(f"\n{'analysis':<10} {'input':<9} {'time s':>8} {'SQL s':>7} {'ratio':>6} {'target':>7}  "
          f"{'cpu ratio':>9}  {'B/row':>6} {'target':>6}  result")
    for name in wanted:
        spec = analyses[name]
        try:
            t_sql, c_sql, m_sql, sql_out = measure(spec["sql"], repeat)
        except Exception as exc:  # noqa: BLE001 - report and go on
            print(f"{name:<10} SQL failed: {exc}")
            failures += 1
            continue
        print(f"{name:<10} {'SQL':<9} {t_sql:8.2f} {t_sql:7.2f} {1.0:6.2f} {'':>7}  "
              f"{1.0:9.2f}  {m_sql / spec['rows']:6.1f} {'':>6}  reference  (SQL cpu {c_sql:.2f}s)")
        for kind, fn in spec["inputs"].items():
            if args.inputs and kind not in args.inputs:
                continue
            try:
                t_fn, c_fn, m_fn, out = measure(fn, repeat)
                spec["check"](out, sql_out)
                verdict = "equal"
            except Exception as exc:  # noqa: BLE001
                t_fn, c_fn, m_fn, verdict = float("nan"), float("nan"), 0, f"FAILED: {type(exc).__name__}: {str(exc)[:200]}"
                failures += 1
            ratio = t_fn / t_sql if t_sql else float("nan")
            bpr = m_fn / spec["rows"]
            flag_t = "ok" if ratio <= TARGET_RATIO else "SLOW"
            flag_m = "ok" if bpr <= TARGET_BYTES else "OVER"
            if args.smoke:  # fixed overheads dominate tiny inputs: the targets apply to the full size
                flag_t = flag_m = "n/a"
            cpu_ratio = c_fn / c_sql if c_sql else float("nan")
            print(f"{name:<10} {kind:<9} {t_fn:8.2f} {t_sql:7.2f} {ratio:6.2f} {'<=' + str(TARGET_RATIO) + ' ' + flag_t:>7}  "
                  f"{cpu_ratio:9.2f}  {bpr:6.1f} {'<=' + str(TARGET_BYTES) + ' ' + flag_m:>6}  {verdict}")
    print("\nratio = function time / hand-written DuckDB SQL time (same process, same data); cpu ratio = the "
          "same with the CPU time of all the process's threads (steadier on a shared machine); "
          "B/row = peak RSS above the start of the call / input rows.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
