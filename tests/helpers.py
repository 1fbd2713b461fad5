"""Helpers shared by test modules (imported as ``from helpers import ...``; no test module imports
another, and conftest.py holds fixtures only).

- :func:`to_pandas`: any engine's frame as pandas;
- :func:`ev`: a small event log from tuples;
- :func:`norm`, :func:`assert_same`: compare results across engines (naive times, timedelta64,
  float numbers, None for missing text).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd


def to_pandas(obj) -> pd.DataFrame:
    """Any engine's frame as a pandas DataFrame (for comparisons)."""
    if isinstance(obj, pd.DataFrame):
        return obj
    import narwhals as nw

    frame = nw.from_native(obj)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    return frame.to_pandas()


def ev(rows, cols=("user_id", "ts", "event")) -> pd.DataFrame:
    """Events from tuples ``(user, "2025-01-01 10:00", event, ...)``."""
    df = pd.DataFrame(list(rows), columns=list(cols))
    df["ts"] = pd.to_datetime(df["ts"], format="ISO8601").astype("datetime64[us]")
    df["user_id"] = df["user_id"].astype("int64")
    return df


def _is_td(x) -> bool:
    return isinstance(x, (dt.timedelta, pd.DateOffset))


def _to_td(x):
    if isinstance(x, pd.DateOffset):  # DuckDB INTERVAL arrives in pandas as a DateOffset
        return (pd.Timestamp(0) + x) - pd.Timestamp(0)
    return x


def norm(obj) -> pd.DataFrame:
    """Any engine's result as a comparable pandas frame (naive times, timedelta64, float numbers)."""
    df = to_pandas(obj).reset_index(drop=True).copy()
    for c in df.columns:
        s = df[c]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            df[c] = s.dt.tz_localize(None).astype("datetime64[us]")
        elif pd.api.types.is_datetime64_any_dtype(s):
            df[c] = s.astype("datetime64[us]")
        elif pd.api.types.is_timedelta64_dtype(s):
            df[c] = s.astype("timedelta64[us]")
        elif s.dtype == object and s.map(_is_td).any():
            df[c] = pd.to_timedelta(s.map(_to_td)).astype("timedelta64[us]")
        elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            df[c] = s.astype("float64")
        elif s.dtype == object or pd.api.types.is_string_dtype(s):
            df[c] = s.astype(object).where(s.notna(), None)
    df.columns = [str(c) for c in df.columns]
    return df


def assert_same(a, b) -> None:
    """Two results (any engines) hold the same table."""
    pd.testing.assert_frame_equal(norm(a), norm(b), check_dtype=False, rtol=1e-12)
