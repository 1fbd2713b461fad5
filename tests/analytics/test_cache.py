"""The conversion cache: a repeated analysis reuses the engine-side copy; a changed frame is converted again.

Strict funnels and retention go through the conversion; sequential funnels use the prepared event
log, which lives in the same cache (``test_prepared_log.py``).
"""
from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest

import opsplaybook as ops
from opsplaybook.analytics import _engine as E


@pytest.fixture
def events():
    E.clear_cache()
    n = 3000
    yield pd.DataFrame({
        "user_id": [i % 97 for i in range(n)],
        "ts": pd.date_range("2025-01-01", periods=n, freq="37min").astype("datetime64[us]"),
        "event": pd.Series(["visit", "view", "cart", "purchase"] * (n // 4), dtype="str"),
    })
    E.clear_cache()


def _conversions(monkeypatch):
    calls = []
    real = E._to_engine.__wrapped__ if hasattr(E._to_engine, "__wrapped__") else None
    import polars as pl

    orig = pl.from_pandas

    def counting(df, *a, **k):
        calls.append(len(df))
        return orig(df, *a, **k)

    monkeypatch.setattr(pl, "from_pandas", counting)
    _ = real
    return calls


def test_repeated_analyses_convert_once(events, monkeypatch):
    calls = _conversions(monkeypatch)
    a = ops.funnel(events, ["visit", "view", "purchase"], order="strict", engine="polars")
    b = ops.funnel(events, ["visit", "view", "purchase"], order="strict", engine="polars")
    assert len(calls) == 1
    pd.testing.assert_frame_equal(a, b)
    ops.retention(events, period="W", engine="polars")  # another column set: its own conversion
    ops.retention(events, period="D", engine="polars")
    assert len(calls) == 2


@pytest.mark.parametrize("edit", ["value", "swap", "append"])
def test_a_changed_frame_is_never_served_stale(events, monkeypatch, edit):
    calls = _conversions(monkeypatch)
    steps = ["visit", "view", "cart", "purchase"]  # each user's events come in this order
    before = ops.funnel(events, steps, window=None, order="strict", engine="polars")
    if edit == "value":
        events.loc[events["event"] == "purchase", "event"] = "view"  # nobody purchases any more
    elif edit == "swap":
        events["ts"] = events["ts"].to_numpy()[::-1].copy()  # same values, other rows
    else:
        events.loc[len(events)] = [1000, pd.Timestamp("2025-03-01"), "visit"]
    after = ops.funnel(events, steps, window=None, order="strict", engine="polars")
    assert len(calls) == 2
    fresh = ops.funnel(events.copy(), steps, window=None, order="strict", engine="pandas")
    pd.testing.assert_frame_equal(after, fresh, check_dtype=False)
    if edit == "value":
        assert before["users"].iloc[3] > 0 and after["users"].iloc[3] == 0


def test_the_cache_does_not_keep_frames_alive(events):
    events = events.copy()  # one only this test holds
    ops.funnel(events, ["visit", "view"], engine="polars")
    assert len(E._CACHE) == 1
    ref = weakref.ref(events)
    del events
    gc.collect()
    assert ref() is None and len(E._CACHE) == 0


def test_cache_size_zero_switches_it_off(events, monkeypatch):
    calls = _conversions(monkeypatch)
    with E.engine_settings(cache_size=0):
        ops.funnel(events, ["visit", "view"], order="strict", engine="polars")
        ops.funnel(events, ["visit", "view"], order="strict", engine="polars")
    assert len(calls) == 2 and len(E._CACHE) == 0


def test_fingerprint_sees_every_kind_of_column():
    df = pd.DataFrame({"a": [1, 2, 3], "s": pd.Series(["x", "y", "z"], dtype="str"), "o": ["p", None, "q"]})
    base = E.fingerprint(df, ["a", "s", "o"])
    for col, value in (("a", 9), ("s", "w"), ("o", "r")):
        changed = df.copy()
        changed.loc[1, col] = value
        assert E.fingerprint(changed, ["a", "s", "o"]) != base, col
    assert E.fingerprint(df.copy(), ["a", "s", "o"]) == base
