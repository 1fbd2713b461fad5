"""Retention and lifecycle against brute-force references on random logs (as the funnel has).

The references are written from the docstrings' definitions, user by user and cell by cell in plain
Python (dates from ``datetime``, no shared helpers with the implementation), so a wrong period
arithmetic, window or precedence rule in the analytics shows up as a differing cell.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opsplaybook as ops

T0 = dt.datetime(2024, 12, 20)


@st.composite
def event_logs(draw, max_days=120):
    n = draw(st.integers(1, 40))
    rows = []
    for _ in range(n):
        u = draw(st.integers(1, 8))
        minutes = draw(st.integers(0, max_days * 24 * 60))
        e = draw(st.sampled_from(["visit", "buy", "share"]))
        rows.append((u, T0 + dt.timedelta(minutes=minutes), e))
    return pd.DataFrame(rows, columns=["user_id", "ts", "event"]).astype({"ts": "datetime64[us]"})


# ----------------------------------------------------------------------------- retention
def _period_index(d: dt.date, period: str) -> int:
    if period == "D":
        return d.toordinal()
    if period == "W":
        return (d - dt.timedelta(days=d.weekday())).toordinal() // 7
    return d.year * 12 + d.month - 1


def _period_start(d: dt.date, period: str) -> dt.datetime:
    if period == "D":
        day = d
    elif period == "W":
        day = d - dt.timedelta(days=d.weekday())
    else:
        day = d.replace(day=1)
    return dt.datetime(day.year, day.month, day.day)


def reference_retention(df, period, mode, periods, start_event=None, return_event=None):
    """{cohort start: (size, [count for n in 0..periods, None where not reached])}."""
    last = max(_period_index(t.date(), period) for t in df["ts"])
    starts = df if start_event is None else df[df["event"] == start_event]
    rets = df if return_event is None else df[df["event"] == return_event]
    first = {}
    for u, t in zip(starts["user_id"], starts["ts"]):
        if u not in first or t < first[u]:
            first[u] = t
    cohorts: dict = {}
    for u, t in first.items():
        cohorts.setdefault(_period_start(t.date(), period), []).append(u)
    out = {}
    for label, members in sorted(cohorts.items()):
        c = _period_index(label.date(), period)
        counts = []
        for n in range(periods + 1):
            if c + n > last:
                counts.append(None)
                continue
            if n == 0:
                counts.append(len(members))
                continue
            k = 0
            for u in members:
                ps = {_period_index(t.date(), period) - c for uu, t in zip(rets["user_id"], rets["ts"]) if uu == u}
                hit = (n in ps) if mode == "on" else any(p >= n for p in ps)
                k += hit
            counts.append(k)
        out[label] = (len(members), counts)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=event_logs(), period=st.sampled_from(["D", "W", "M"]), mode=st.sampled_from(["on", "on_or_after"]),
       periods=st.integers(0, 6), events_of=st.sampled_from([(None, None), ("visit", None), (None, "buy"), ("buy", "share")]))
def test_retention_matches_the_brute_force_reference(events, period, mode, periods, events_of):
    start_event, return_event = events_of
    want = reference_retention(events, period, mode, periods, start_event, return_event)
    r = ops.retention(events, period=period, mode=mode, periods=periods,
                      start_event=start_event, return_event=return_event)
    got = {}
    for _, row in r.counts.iterrows():
        cells = [None if pd.isna(row[str(n)]) else int(row[str(n)]) for n in range(periods + 1)]
        got[row["cohort"].to_pydatetime()] = (int(row["cohort_size"]), cells)
    assert got == want
    # shares are the counts over the cohort size; the weighted mean is the reached cells' pooled share
    for i, row in r.matrix.iterrows():
        size, cells = want[row["cohort"].to_pydatetime()]
        for n, k in enumerate(cells):
            v = row[str(n)]
            assert (k is None and pd.isna(v)) or v == pytest.approx(k / size)
    for n in range(periods + 1):
        reached = [(s, c[n]) for s, c in want.values() if c[n] is not None]
        w = r.mean.loc[r.mean["period"] == n, "weighted"].iloc[0]
        if reached:
            assert w == pytest.approx(sum(k for _, k in reached) / sum(s for s, _ in reached))
        else:
            assert math.isnan(w)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=event_logs(), period=st.sampled_from(["D", "W", "M"]), mode=st.sampled_from(["on", "on_or_after"]))
def test_retention_is_the_same_on_the_embedded_engines(events, period, mode):
    want = ops.retention(events, period=period, mode=mode, periods=4, engine="pandas")
    for engine in ("polars", "duckdb"):
        got = ops.retention(events, period=period, mode=mode, periods=4, engine=engine)
        pd.testing.assert_frame_equal(got.counts, want.counts, check_dtype=False)
        pd.testing.assert_frame_equal(got.mean, want.mean, check_dtype=False)


# ----------------------------------------------------------------------------- lifecycle
def reference_stage(days: list[dt.date], as_of: dt.date, *, new_days=7, silent_days=14, churn_days=30, return_days=7):
    past = sorted({d for d in days if d <= as_of})
    if not past:
        return "potential"
    first, last = past[0], past[-1]
    since = (as_of - last).days
    if (as_of - first).days < new_days:
        return "new"
    if since >= churn_days:
        return "churned"
    if since >= silent_days:
        return "silent"
    comebacks = [b for a, b in zip(past, past[1:]) if (b - a).days > silent_days]
    if comebacks and (as_of - comebacks[-1]).days < return_days:
        return "returning"
    return "active"


def _days_by_user(df):
    out: dict = {}
    for u, t in zip(df["user_id"], df["ts"]):
        out.setdefault(int(u), []).append(t.date())
    return out


thresholds = st.tuples(st.integers(1, 10), st.integers(2, 20), st.integers(3, 10), st.integers(1, 10)).map(
    lambda t: dict(new_days=t[0], silent_days=t[1], churn_days=t[1] + t[2], return_days=t[3]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=event_logs(), offset=st.integers(-10, 130), kw=thresholds)
def test_lifecycle_matches_the_brute_force_reference(events, offset, kw):
    as_of = (T0 + dt.timedelta(days=offset)).date()
    by_user = _days_by_user(events)
    want = {u: reference_stage(d, as_of, **kw) for u, d in by_user.items() if min(d) <= as_of}
    out = ops.lifecycle(events, as_of=as_of, lang="en", **kw)
    assert dict(zip(out["user_id"].astype(int), out["stage"])) == want


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=event_logs(), offsets=st.tuples(st.integers(0, 60), st.integers(0, 60)), kw=thresholds)
def test_lifecycle_transitions_match_the_reference(events, offsets, kw):
    d0 = (T0 + dt.timedelta(days=min(offsets))).date()
    d1 = (T0 + dt.timedelta(days=max(offsets))).date()
    by_user = _days_by_user(events)
    want: dict = {}
    for u, d in by_user.items():
        if min(d) > d1:
            continue
        pair = (reference_stage(d, d0, **kw), reference_stage(d, d1, **kw))
        want[pair] = want.get(pair, 0) + 1
    out = ops.lifecycle_transitions(events, d0, d1, **kw)
    assert {(a, b): int(n) for a, b, n in out[["from_stage", "to_stage", "users"]].itertuples(index=False)} == want


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=event_logs(), freq=st.sampled_from(["D", "W", "M"]))
def test_posthog_lifecycle_matches_the_reference(events, freq):
    act: dict = {}
    for u, t in zip(events["user_id"], events["ts"]):
        act.setdefault(int(u), set()).add(_period_index(t.date(), freq))
    first_p = min(min(p) for p in act.values())
    last_p = max(max(p) for p in act.values())
    want = {}
    for p in range(first_p, last_p + 1):
        counts = dict(new=0, returning=0, resurrecting=0, dormant=0)
        for ps in act.values():
            if p in ps:
                key = "new" if p == min(ps) else "returning" if p - 1 in ps else "resurrecting"
                counts[key] += 1
            elif p - 1 in ps:
                counts["dormant"] -= 1
        want[p] = counts
    out = ops.posthog_lifecycle(events, freq=freq)
    got: dict = {}
    for period, status, n in out[["period", "status", "users"]].itertuples(index=False):
        got.setdefault(_period_index(period.date(), freq), {})[status] = int(n)
    assert got == want
