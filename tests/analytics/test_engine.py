"""The engine adapter (native -> narwhals -> native) and the shared validation helpers."""
from __future__ import annotations

import datetime as dt

import narwhals as nw
import pandas as pd
import pytest
from helpers import ev, norm

from opsplaybook.analytics import _common as C
from opsplaybook.analytics._engine import native_kind, to_lazy
from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError


# ----------------------------------------------------------------------------- to_lazy / back
def test_round_trip_keeps_the_callers_engine(constructor):
    df = ev([(1, "2025-01-01 10:00", "visit"), (2, "2025-01-02", "view")])
    native = constructor(df)
    lazy, back = to_lazy(native, param="events")
    assert isinstance(lazy, nw.LazyFrame)
    out = back(lazy.filter(nw.col("user_id") == 1))
    assert native_kind(out) == native_kind(native)
    assert norm(out)["user_id"].tolist() == [1.0]
    small = pd.DataFrame({"step": [1, 2], "median_time": pd.to_timedelta([None, "1h"])})
    out2 = back(small)
    assert native_kind(out2) == native_kind(native)
    assert norm(out2)["median_time"].iloc[1] == pd.Timedelta("1h")


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "polars"])
def test_pandas_input_on_an_embedded_engine_returns_pandas(engine):
    df = ev([(1, "2025-01-01 10:00", "visit")])
    lazy, back = to_lazy(df, engine=engine)
    out = back(lazy)
    assert isinstance(out, pd.DataFrame)
    assert out["ts"].iloc[0] == pd.Timestamp("2025-01-01 10:00")


def test_to_lazy_rejects_non_frames():
    with pytest.raises(InvalidParameterError, match="`events` must be a pandas, Polars, DuckDB or PySpark"):
        to_lazy([1, 2, 3], param="events")
    with pytest.raises(InvalidParameterError, match="`engine`='spark' is not allowed"):
        to_lazy(pd.DataFrame({"a": [1]}), engine="spark")


def test_public_names_are_functions_even_after_importing_their_modules():
    import importlib

    import opsplaybook

    importlib.import_module("opsplaybook.analytics.funnel")
    importlib.import_module("opsplaybook.analytics.retention")
    importlib.import_module("opsplaybook.analytics.lifecycle")
    # analytics/__init__.py imports the functions eagerly, so a submodule named like its function
    # cannot shadow it: this must hold (a regression here is a failure, not an expected failure)
    for name in ("funnel", "retention", "lifecycle"):
        assert callable(getattr(opsplaybook.analytics, name)), name
        assert getattr(opsplaybook.analytics, name).__module__ == f"opsplaybook.analytics.{name}"
    assert callable(opsplaybook.funnel) and callable(opsplaybook.retention) and callable(opsplaybook.lifecycle)


# ----------------------------------------------------------------------------- _common: parameters
@pytest.mark.parametrize(
    "value, expected",
    [
        ("7D", dt.timedelta(days=7)),
        ("24h", dt.timedelta(hours=24)),
        ("30min", dt.timedelta(minutes=30)),
        ("2 weeks", dt.timedelta(days=14)),
        (dt.timedelta(hours=3), dt.timedelta(hours=3)),
        (pd.Timedelta("90s"), dt.timedelta(seconds=90)),
        (pd.offsets.Day(7), dt.timedelta(days=7)),
        (pd.offsets.Hour(24), dt.timedelta(days=1)),
        ("1 days 02:00:00", dt.timedelta(days=1, hours=2)),
        (None, None),
    ],
)
def test_parse_window(value, expected):
    assert C.parse_window(value) == expected


@pytest.mark.parametrize("bad", ["seven days", "7X", -3, True, "0D", pd.offsets.MonthBegin(1), [7]])
def test_parse_window_rejects(bad):
    with pytest.raises(InvalidParameterError, match="`window`="):
        C.parse_window(bad)


def test_check_period_aliases_and_errors():
    assert [C.check_period(p) for p in ("D", "day", "W", "week", "M", "MS", "month")] == list("DDWWMMM")
    with pytest.raises(InvalidParameterError, match=r"`period`='Q' is not allowed. Allowed: \['D', 'W', 'M'\]"):
        C.check_period("Q")


def test_normalize_steps():
    assert C.normalize_steps(["a", ["b", "c", "b"]]) == [("a",), ("b", "c")]
    with pytest.raises(InvalidParameterError, match="`steps` is empty"):
        C.normalize_steps([])
    with pytest.raises(InvalidParameterError, match="step 2 is \\[\\]"):
        C.normalize_steps(["a", []])
    with pytest.raises(InvalidParameterError, match="must be a list of event names"):
        C.normalize_steps("visit")


def test_parse_timestamp():
    assert C.parse_timestamp("2025-03-01", param="as_of") == dt.datetime(2025, 3, 1)
    assert C.parse_timestamp(dt.date(2025, 3, 1), param="as_of") == dt.datetime(2025, 3, 1)
    with pytest.raises(InvalidParameterError, match="`as_of`='yesterday' is not a date"):
        C.parse_timestamp("yesterday", param="as_of")


# ----------------------------------------------------------------------------- _common: data
def test_require_columns_lists_available_and_closest():
    lazy, _ = to_lazy(ev([(1, "2025-01-01", "visit")]))
    with pytest.raises(ColumnNotFoundError, match=r"'userid' given as `user_col`.*Available: \['user_id', 'ts', 'event'\].*Did you mean 'user_id'"):
        C.require_columns(lazy, user_col="userid")


def test_prepare_time_parses_text_and_rejects_bad_values():
    lazy, _ = to_lazy(pd.DataFrame({"ts": ["2025-01-01 10:00:00", "2025-01-02"]}))
    out = C.prepare_time(lazy, "ts").collect().to_pandas()
    assert out["ts"].tolist() == [pd.Timestamp("2025-01-01 10:00:00"), pd.Timestamp("2025-01-02")]
    bad, _ = to_lazy(pd.DataFrame({"ts": ["2025-01-01", "not a time"]}))
    with pytest.raises(DataValidationError, match="`time_col` has values that are not times, e.g. 'not a time'"):
        C.prepare_time(bad, "ts")
    mixed, _ = to_lazy(pd.DataFrame({"ts": ["2025-01-01 10:00+08:00", "2025-01-01 10:00+00:00"]}))
    with pytest.raises(DataValidationError, match="mixes time zones"):
        C.prepare_time(mixed, "ts")
    nums, _ = to_lazy(pd.DataFrame({"ts": [1.5, 2.5]}))
    with pytest.raises(DataValidationError, match="holds Float64 values, not times"):
        C.prepare_time(nums, "ts")


def test_prepare_time_keeps_wall_clock_of_aware_times():
    s = pd.to_datetime(["2025-01-01 10:00"]).tz_localize("Asia/Shanghai")
    lazy, _ = to_lazy(pd.DataFrame({"ts": s}))
    out = C.prepare_time(lazy, "ts").collect().to_pandas()
    assert out["ts"].iloc[0] == pd.Timestamp("2025-01-01 10:00")


def test_prepare_amount():
    lazy, _ = to_lazy(pd.DataFrame({"amount": ["12.50", "3"]}))
    assert C.prepare_amount(lazy, "amount").collect().to_pandas()["amount"].tolist() == [12.5, 3.0]
    bad, _ = to_lazy(pd.DataFrame({"amount": ["12.50", "8元"]}))
    with pytest.raises(DataValidationError, match="`amount_col` holds text, e.g. '8元'"):
        C.prepare_amount(bad, "amount")


def test_calendar_numbers_on_every_engine(constructor):
    ts = pd.to_datetime(
        ["1970-01-01", "2024-02-29 23:59:59.5", "2024-12-30", "2025-01-05 23:00", "2025-03-31"], format="ISO8601"
    ).astype("datetime64[us]")
    native = constructor(pd.DataFrame({"ts": ts}))
    lazy, _ = to_lazy(native)
    col = nw.col("ts")
    out = norm(
        lazy.with_columns(
            dn=C.day_number(col), us=C.epoch_us(col), w=C.period_start(col, "W"), m=C.period_start(col, "M"),
            wn=C.period_number(col, "W"), mn=C.period_number(col, "M"),
        ).sort("ts").collect()
    )
    assert out["dn"].tolist() == [(t - pd.Timestamp(0)).days for t in ts]
    assert out["us"].tolist() == [(t - pd.Timestamp(0)) // pd.Timedelta("1us") for t in ts]
    assert out["w"].tolist() == [(t.normalize() - pd.Timedelta(days=t.weekday())) for t in ts]
    assert out["m"].tolist() == [t.normalize().replace(day=1) for t in ts]
    assert out["wn"].tolist() == [0, 2826, 2870, 2870, 2883]  # 2024-12-30 and 2025-01-05 share a week
    assert out["mn"].tolist() == [1970 * 12, 2024 * 12 + 1, 2024 * 12 + 11, 2025 * 12, 2025 * 12 + 2]


# ----------------------------------------------------------------------------- packed (user, period) pairs
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.integers(0, 2**40), st.integers(0, 400)), min_size=1, max_size=40),
       far=st.booleans())
def test_pairs_with_each_users_first_period(rows, far):
    """``distinct_pairs_with_first`` gives the distinct (user, day) pairs and, on each, the user's
    first day — counted by hand; ``distinct_pairs`` the same pairs. A time past 2327 does not pack:
    then it says None (the caller joins) and ``distinct_pairs`` still gives the pairs."""
    import polars as pl

    from opsplaybook.analytics._engine import distinct_pairs, distinct_pairs_with_first

    users = [u for u, _ in rows]
    times = [dt.datetime(2025, 1, 1) + dt.timedelta(hours=6 * h) for _, h in rows]
    if far:
        users.append(users[0])
        times.append(dt.datetime(2400, 1, 1))
    lf = nw.from_native(pl.DataFrame({"u": users, "t": times})).lazy()
    day = C.day_number(nw.col("t"), lf)
    want_pairs = {(u, _days_since_1970(t)) for u, t in zip(users, times)}
    first = {}
    for u, d in want_pairs:
        first[u] = min(first.get(u, d), d)
    got = distinct_pairs_with_first(lf, "u", "t", day, u="uu", p="pp", first="ff")
    plain = distinct_pairs(lf, "u", "t", day, u="uu", p="pp").collect().to_native()
    assert {(int(a), int(b)) for a, b in plain.iter_rows()} == want_pairs
    if far:
        assert got is None
        return
    out = got.collect().to_native()
    assert {(int(a), int(b)) for a, b, _ in out.iter_rows()} == want_pairs
    assert all(int(f) == first[int(a)] for a, _, f in out.iter_rows())
    assert len(out) == len(want_pairs)


def _days_since_1970(t: dt.datetime) -> int:
    return (t.date() - dt.date(1970, 1, 1)).days
