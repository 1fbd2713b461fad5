"""retention(): hand-computed matrices for each period and mode, all four engines, invariants, errors."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from helpers import assert_same, ev, norm

from opsplaybook.analytics.retention import RetentionResult, retention
from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError

NAN = float("nan")

# cohort 2025-01-01: users 1, 2;  cohort 2025-01-02: user 3
DAILY = ev([
    (1, "2025-01-01 23:59", "visit"), (1, "2025-01-02 00:01", "visit"),   # next calendar day = day 1
    (2, "2025-01-01 08:00", "visit"), (2, "2025-01-03 08:00", "visit"),
    (3, "2025-01-02 10:00", "visit"),
])


def rows(frame) -> list[list[float]]:
    df = norm(frame)
    return df.drop(columns=["cohort"]).to_numpy(dtype=float).tolist()


def test_daily_on():
    r = retention(DAILY, period="D", periods=2)
    assert isinstance(r, RetentionResult)
    m = r.matrix
    assert list(m.columns) == ["cohort", "cohort_size", "0", "1", "2"]
    assert m["cohort"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-02")]
    np.testing.assert_equal(rows(m), [[2, 1, 0.5, 0.5], [1, 1, 0, NAN]])  # cohort 2 has not reached day 2
    np.testing.assert_equal(rows(r.counts), [[2, 2, 1, 1], [1, 1, 0, NAN]])
    mean = r.mean
    assert list(mean.columns) == ["period", "weighted", "simple", "cohorts"]
    assert mean["cohorts"].tolist() == [2, 2, 1]
    assert mean["weighted"].tolist() == pytest.approx([1, 1 / 3, 0.5])
    assert mean["simple"].tolist() == pytest.approx([1, 0.25, 0.5])


def test_daily_on_or_after():
    r = retention(DAILY, period="D", mode="on_or_after", periods=2)
    np.testing.assert_equal(rows(r.matrix), [[2, 1, 1.0, 0.5], [1, 1, 0, NAN]])
    assert r.mean["weighted"].tolist() == pytest.approx([1, 2 / 3, 0.5])


def test_weekly_cohorts_start_on_monday_and_use_calendar_weeks():
    events = ev([
        (1, "2025-01-05 23:00", "visit"),   # Sunday: week of Mon 2024-12-30
        (1, "2025-01-06 01:00", "visit"),   # Monday: next calendar week = week 1
        (2, "2024-12-30 00:00", "visit"), (2, "2025-01-13 00:00", "visit"),  # week 2
    ])
    r = retention(events, period="W", periods=2)
    assert norm(r.matrix)["cohort"].tolist() == [pd.Timestamp("2024-12-30")]
    np.testing.assert_equal(rows(r.matrix), [[2, 1, 0.5, 0.5]])


def test_monthly_calendar_months():
    events = ev([
        (1, "2025-01-31", "visit"), (1, "2025-02-01", "visit"),             # month 1 the next day
        (2, "2025-01-01", "visit"), (2, "2025-03-31", "visit"),             # month 2
        (3, "2025-02-15", "visit"),
    ])
    r = retention(events, period="M", periods=2)
    assert r.matrix["cohort"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]
    np.testing.assert_equal(rows(r.matrix), [[2, 1, 0.5, 0.5], [1, 1, 0, NAN]])


def test_start_and_return_events():
    events = ev([
        (1, "2025-01-01", "visit"), (1, "2025-01-02", "signup"), (1, "2025-01-03", "purchase"),
        (2, "2025-01-02", "signup"), (2, "2025-01-03", "visit"), (2, "2025-01-04", "purchase"),
    ])
    r = retention(events, start_event="signup", return_event="purchase", periods=2)
    # both users in the 01-02 cohort; user 1 buys on day 1, user 2 on day 2
    np.testing.assert_equal(rows(r.matrix), [[2, 1, 0.5, 0.5]])
    r = retention(events, start_event=["signup"], return_event=["visit", "purchase"], periods=1)
    np.testing.assert_equal(rows(r.matrix), [[2, 1, 1.0]])


def test_period_zero_is_one_even_if_the_return_event_did_not_happen_then():
    events = ev([(1, "2025-01-01", "signup"), (1, "2025-01-03", "purchase")])
    r = retention(events, start_event="signup", return_event="purchase", periods=2)
    np.testing.assert_equal(rows(r.matrix), [[1, 1, 0, 1]])


def test_default_periods_and_repr_html():
    r = retention(DAILY)
    assert list(r.matrix.columns)[-1] == "30"
    assert r.mean["cohorts"].tolist()[3:] == [0] * 28
    assert np.isnan(r.mean["weighted"].iloc[5])
    html = r._repr_html_()
    assert "<table" in html and "50.0%" in html


def test_empty_input_and_single_user():
    r = retention(DAILY.iloc[:0], periods=2)
    assert r.matrix.empty and list(r.matrix.columns) == ["cohort", "cohort_size", "0", "1", "2"]
    assert r.mean["cohorts"].tolist() == [0, 0, 0]
    one = retention(DAILY.iloc[:1], periods=1)
    np.testing.assert_equal(rows(one.matrix), [[1, 1, NAN]])


def test_columns_by_parameter():
    events = DAILY.rename(columns={"user_id": "uid", "ts": "time", "event": "name"})
    r = retention(events, periods=2, user_col="uid", time_col="time", event_col="name")
    np.testing.assert_equal(rows(r.matrix), [[2, 1, 0.5, 0.5], [1, 1, 0, NAN]])


# ----------------------------------------------------------------------------- every engine
@pytest.mark.parametrize("mode", ["on", "on_or_after"])
def test_same_result_on_every_engine(constructor, mode):
    events = pd.concat([DAILY, ev([(4, "2025-01-09", "visit"), (4, "2025-01-20", "buy"), (5, "2025-01-08", "buy")])])
    kw = dict(period="W", mode=mode, periods=3)
    expected = retention(events, **kw)
    got = retention(constructor(events), **kw)
    for part in ("matrix", "mean", "counts"):
        assert_same(getattr(got, part), getattr(expected, part))


def test_pandas_on_duckdb_and_polars_gives_the_same():
    for mode in ("on", "on_or_after"):
        base = retention(DAILY, mode=mode, periods=3, engine="pandas")
        for eng in ("duckdb", "polars"):
            other = retention(DAILY, mode=mode, periods=3, engine=eng)
            assert_same(other.matrix, base.matrix)
            assert_same(other.mean, base.mean)


# ----------------------------------------------------------------------------- invariants
@st.composite
def event_logs(draw):
    n = draw(st.integers(1, 40))
    rows_ = [
        (draw(st.integers(1, 8)), pd.Timestamp("2025-01-01") + pd.Timedelta(hours=draw(st.integers(0, 24 * 60))),
         draw(st.sampled_from(["a", "b"])))
        for _ in range(n)
    ]
    return pd.DataFrame(rows_, columns=["user_id", "ts", "event"]).astype({"user_id": "int64", "ts": "datetime64[us]"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=event_logs(), period=st.sampled_from(["D", "W", "M"]), mode=st.sampled_from(["on", "on_or_after"]))
def test_shares_in_unit_interval_and_period_zero_is_one(events, period, mode):
    r = retention(events, period=period, mode=mode, periods=4)
    m = r.matrix
    shares = m[[str(i) for i in range(5)]].to_numpy(dtype=float)
    ok = shares[~np.isnan(shares)]
    assert ((ok >= 0) & (ok <= 1)).all()
    assert (shares[:, 0] == 1).all()
    assert m["cohort_size"].sum() == events["user_id"].nunique()
    w = r.mean["weighted"].dropna().to_numpy()
    assert ((w >= 0) & (w <= 1)).all()
    if mode == "on_or_after":  # cumulative retention never increases within a cohort
        filled = np.where(np.isnan(shares), -1, shares)
        for row in filled:
            seen = row[row >= 0]
            assert all(a >= b for a, b in zip(seen, seen[1:]))
    other = retention(events, period=period, mode=mode, periods=4, engine="polars")
    assert_same(other.matrix, m)


# ----------------------------------------------------------------------------- bad input
def test_errors():
    with pytest.raises(InvalidParameterError, match=r"`period`='Y' is not allowed. Allowed: \['D', 'W', 'M'\]"):
        retention(DAILY, period="Y")
    with pytest.raises(InvalidParameterError, match=r"`mode`='or_after' is not allowed.*Did you mean 'on_or_after'"):
        retention(DAILY, mode="or_after")
    with pytest.raises(InvalidParameterError, match=r"`periods`=-1 must be a whole number"):
        retention(DAILY, periods=-1)
    with pytest.raises(ColumnNotFoundError, match=r"'time' given as `time_col`.*Available: \['user_id', 'ts', 'event'\]"):
        retention(DAILY, time_col="time")
    with pytest.raises(DataValidationError, match="not times, e.g. 'soon'"):
        retention(DAILY.assign(ts=["2025-01-01"] * 4 + ["soon"]))


# ----------------------------------------------------------------------------- the planted truth
def test_fraudulent_channel_has_far_lower_day7_retention(small_world):
    users, events = small_world.users, small_world.events
    fraud = small_world.truth.fraud_channel
    day7 = {}
    for channel, group in users.groupby("channel"):
        r = retention(events[events["user_id"].isin(group["user_id"])], period="D", mode="on_or_after", periods=7)
        day7[channel] = r.mean["weighted"].iloc[7]
    others = [v for k, v in day7.items() if k != fraud]
    assert day7[fraud] < 0.25 * min(others), day7


def test_world_retention_is_the_same_on_duckdb(small_world):
    events = small_world.events
    base = retention(events, period="W", periods=8, engine="pandas")
    other = retention(events, period="W", periods=8, engine="duckdb")
    assert_same(other.matrix, base.matrix)
    assert_same(other.mean, base.mean)


def test_duckdb_shares_its_pairs_in_a_temporary_table_and_drops_it(tmp_path):
    """On a DuckDB relation the shared (user, period) pairs are computed once into a temporary table
    of the relation's own connection — here a user's database file — and dropped afterwards: the
    file's tables are the same before and after, and the result equals pandas'."""
    import duckdb

    log = pd.DataFrame({"user_id": [1, 1, 2, 2, 3, 3, 3],
                       "ts": pd.to_datetime(["2025-01-01", "2025-01-09", "2025-01-02", "2025-01-20",
                                             "2025-01-08", "2025-01-15", "2025-01-22"]),
                       "event": "visit"})
    con = duckdb.connect(str(tmp_path / "team.duckdb"))
    con.execute("CREATE TABLE events AS SELECT * FROM log")
    tables = lambda: sorted(con.sql("SELECT table_name, temporary FROM duckdb_tables()").fetchall())  # noqa: E731
    before = tables()
    got = retention(con.table("events"), period="W", periods=3)
    counts = got.counts.df()
    assert tables() == before == [("events", False)]
    want = retention(log, period="W", periods=3, engine="pandas").counts
    pd.testing.assert_frame_equal(counts.astype(want.dtypes.to_dict()).reset_index(drop=True), want.reset_index(drop=True),
                                  check_dtype=False)
    con.close()
