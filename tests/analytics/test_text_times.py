"""Text times parse the same way on every engine (one grammar), checked by value; bad ones are data errors.

The engines: the four native kinds (``constructor``), and pandas input on each execution path —
narwhals' pandas backend, Polars, DuckDB, and ``engine="auto"`` with the size threshold lowered so the
large-pandas path runs on small data.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opsplaybook as ops
from opsplaybook.analytics import _common as C
from opsplaybook.analytics._engine import engine_settings, to_lazy
from opsplaybook.errors import DataValidationError

# text -> the wall-clock time it means
GOOD = {
    "2025-01-01": dt.datetime(2025, 1, 1),
    " 2025-01-02 ": dt.datetime(2025, 1, 2),
    "2025-01-03 10:00": dt.datetime(2025, 1, 3, 10, 0),
    "2025-01-03T10:05": dt.datetime(2025, 1, 3, 10, 5),
    "2025-01-04 23:59:59": dt.datetime(2025, 1, 4, 23, 59, 59),
    "2025-01-04T08:00:01": dt.datetime(2025, 1, 4, 8, 0, 1),
    "2025-01-05 10:00:05.5": dt.datetime(2025, 1, 5, 10, 0, 5, 500_000),
    "2025-01-05T10:00:05.123456789": dt.datetime(2025, 1, 5, 10, 0, 5, 123_456),
    "2024-02-29 12:00": dt.datetime(2024, 2, 29, 12, 0),
    "2000-02-29": dt.datetime(2000, 2, 29),
}
BAD = ["yesterday", "2025/01/01", "01-02-2025", "2025-02-29", "1900-02-29", "2025-13-01", "2025-04-31",
       "2025-01-01 24:00", "2025-01-01 10:60", "1735689600", "2025-01-01 10", "2025-01-01Z"]

PANDAS_PATHS = ["pandas", "polars", "duckdb", "auto-large"]


def _run_pandas_path(path, fn, df):
    if path == "auto-large":
        with engine_settings(pandas_threshold=1, pandas_engine="duckdb", cache_size=0):
            return fn(df, "auto")
    return fn(df, path)


def _parsed(native):
    lazy, _ = to_lazy(native)
    out = C.prepare_time(lazy, "ts").collect().to_pandas()
    return [None if pd.isna(v) else pd.Timestamp(v).to_pydatetime() for v in out["ts"]]


def test_every_engine_reads_the_same_times(constructor):
    texts = list(GOOD) + [None]
    got = _parsed(constructor(pd.DataFrame({"ts": texts})))
    assert got == list(GOOD.values()) + [None]


def test_one_offset_keeps_the_wall_clock_on_every_engine(constructor):
    texts = ["2025-01-01 10:00+08:00", "2025-01-02T11:30:00+08:00"]
    got = _parsed(constructor(pd.DataFrame({"ts": texts})))
    assert got == [dt.datetime(2025, 1, 1, 10), dt.datetime(2025, 1, 2, 11, 30)]


@pytest.mark.parametrize("texts", [["2025-01-01 10:00+08:00", "2025-01-01 10:00Z"],
                                   ["2025-01-01 10:00+08:00", "2025-01-01 11:00"]])
def test_mixed_offsets_are_refused_on_every_engine(constructor, texts):
    lazy, _ = to_lazy(constructor(pd.DataFrame({"ts": texts})))
    with pytest.raises(DataValidationError, match=r"'ts' given as `time_col` mixes time zones"):
        C.prepare_time(lazy, "ts").collect()


@pytest.mark.parametrize("bad", BAD)
def test_bad_text_is_a_data_error_naming_column_and_value(constructor, bad):
    lazy, _ = to_lazy(constructor(pd.DataFrame({"ts": ["2025-01-01", "2025-01-02 10:00", bad]})))
    with pytest.raises(DataValidationError, match=rf"Column 'ts' given as `time_col` has values that are not times, e.g. {bad!r}"):
        C.prepare_time(lazy, "ts").collect()


def test_bad_text_names_its_row_where_the_engine_keeps_an_order():
    import polars as pl

    df = pd.DataFrame({"ts": ["2025-01-01", "2025-01-02", "oops", "nope"]})
    for native in (df, pl.from_pandas(df), pl.from_pandas(df).lazy()):
        lazy, _ = to_lazy(native)
        with pytest.raises(DataValidationError, match=r"e.g. 'oops' \(row 2\)"):
            C.prepare_time(lazy, "ts")


# ----------------------------------------------------------------------------- through the analyses
def _events(ts_texts):
    n = len(ts_texts)
    return pd.DataFrame({"user_id": [1 + i % 3 for i in range(n)], "ts": ts_texts,
                         "event": ["visit", "view", "purchase"] * (n // 3) + ["visit"] * (n % 3)})


TEXTS = ["2025-01-01", "2025-01-01 10:00", "2025-01-01T10:30:00", "2025-01-02 09:00:00.25",
         "2025-01-02T09:10", "2025-01-03 08:00:00", "2025-01-08", "2025-01-09 10:00", "2025-01-15T12:00:00.5"]


@pytest.mark.parametrize("path", PANDAS_PATHS)
def test_analyses_of_text_times_equal_those_of_parsed_times_on_every_path(path):
    text = _events(TEXTS)
    parsed = text.assign(ts=pd.to_datetime(text["ts"].str.strip(), format="ISO8601"))
    orders = text.assign(amount=[10.0 + i for i in range(len(text))])
    orders_parsed = orders.assign(ts=parsed["ts"])

    def run(ev, od, eng):
        return (
            ops.funnel(ev, ["visit", "view", "purchase"], window=None, engine=eng),
            ops.retention(ev, period="W", periods=2, engine=eng).counts,
            ops.rfm(od, lang="en", engine=eng),
            ops.lifecycle(ev, as_of="2025-01-20", lang="en", engine=eng),
            ops.kpis(ev, od, engine=eng),
        )

    got = _run_pandas_path(path, lambda df, eng: run(df, orders, eng), text)
    want = run(parsed, orders_parsed, "pandas")
    for g, w in zip(got, want):
        pd.testing.assert_frame_equal(g.reset_index(drop=True), w.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("path", PANDAS_PATHS)
def test_rfm_reads_plain_dates_on_every_path(path):
    orders = pd.DataFrame({"user_id": [1, 1, 2], "ts": ["2025-01-01", "2025-01-05", "2025-01-03"], "amount": [5.0, 7.0, 3.0]})
    out = _run_pandas_path(path, lambda df, eng: ops.rfm(df, lang="en", engine=eng), orders)
    assert out["recency"].tolist() == [1, 3]
    assert out["frequency"].tolist() == [2, 1]


@pytest.mark.parametrize("path", PANDAS_PATHS)
def test_unparseable_text_is_a_data_error_on_every_path(path):
    ev = _events(TEXTS).assign(ts="yesterday")
    with pytest.raises(DataValidationError, match=r"Column 'ts' given as `time_col` has values that are not times, e.g. 'yesterday' \(row 0\)"):
        _run_pandas_path(path, lambda df, eng: ops.funnel(df, ["visit", "view"], engine=eng), ev)
    od = pd.DataFrame({"user_id": [1, 2], "ts": ["2025-01-01", "2025-31-01"], "amount": [1.0, 2.0]})
    with pytest.raises(DataValidationError, match=r"e.g. '2025-31-01' \(row 1\)"):
        _run_pandas_path(path, lambda df, eng: ops.rfm(df, engine=eng), od)


def test_funnel_on_native_duckdb_text_times_raises_the_kits_error():
    import duckdb

    con = duckdb.connect()
    rel = con.from_df(_events(TEXTS).assign(ts="yesterday"))
    with pytest.raises(DataValidationError, match=r"'yesterday'"):
        ops.funnel(rel, ["visit", "view"])


# ----------------------------------------------------------------------------- property: the grammar
_dates = st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2099, 12, 31))


@settings(max_examples=60, deadline=None)
@given(ts=_dates, style=st.sampled_from(["date", "min", "sec", "frac"]), sep=st.sampled_from([" ", "T"]))
def test_any_valid_time_written_in_an_accepted_format_parses_to_itself(ts, style, sep):
    import polars as pl

    if style == "date":
        text, want = ts.strftime("%Y-%m-%d"), dt.datetime(ts.year, ts.month, ts.day)
    elif style == "min":
        text, want = ts.strftime(f"%Y-%m-%d{sep}%H:%M"), ts.replace(second=0, microsecond=0)
    elif style == "sec":
        text, want = ts.strftime(f"%Y-%m-%d{sep}%H:%M:%S"), ts.replace(microsecond=0)
    else:
        text, want = ts.strftime(f"%Y-%m-%d{sep}%H:%M:%S.%f"), ts
    df = pd.DataFrame({"ts": [text]})
    assert _parsed(df) == [want]
    assert _parsed(pl.from_pandas(df)) == [want]


def test_zoned_text_times_raise_no_warning():
    """Text times with an offset are read without pandas' "match groups" UserWarning (the kit's
    patterns use non-capturing groups), and as the same instants as typed times."""
    import warnings

    import opsplaybook as ops

    ev = pd.DataFrame({"user_id": [1, 1, 2], "event": ["visit", "view", "visit"],
                       "ts": ["2025-01-01 10:00:00+08:00", "2025-01-01 10:05:00+08:00", "2025-01-02 11:00:00+08:00"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = ops.funnel(ev, ["visit", "view"], engine="pandas")
    typed = ev.assign(ts=pd.to_datetime(ev["ts"]).dt.tz_convert(None))
    assert got["users"].tolist() == ops.funnel(typed, ["visit", "view"], engine="pandas")["users"].tolist() == [2, 1]
