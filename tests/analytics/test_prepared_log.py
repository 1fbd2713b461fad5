"""The prepared event log behind repeated funnels on a pandas frame (``_engine.event_log``).

A pandas frame run on Polars is prepared once (integer user codes, rows split by event, each part
sorted by time) and the sequential funnel runs on it with one as-of join per step. These tests hold
it to the plain path (narwhals' pandas backend and DuckDB, which never use the log) and to the
plain-Python reference, on random logs, and check that a frame changed in any way is prepared again.
"""
from __future__ import annotations

import pandas as pd
import pytest
from helpers import assert_same
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplaybook.analytics import _engine as E
from opsplaybook.analytics.funnel import funnel

NAMES = ["a", "b", "c", "d"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    E.clear_cache()
    yield
    E.clear_cache()


def _builds(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = E._build_event_log

    def counting(df, *a, **k):
        calls.append(len(df))
        return real(df, *a, **k)

    monkeypatch.setattr(E, "_build_event_log", counting)
    return calls


@st.composite
def logs(draw):
    """Small logs with ties (times on a 10-minute grid), text or integer users, missing times."""
    n = draw(st.integers(0, 40))
    text_users = draw(st.booleans())
    rows = []
    for _ in range(n):
        u = draw(st.integers(1, 6))
        minutes = draw(st.integers(0, 6 * 24 * 6)) * 10
        t = pd.NaT if draw(st.integers(0, 19)) == 0 else pd.Timestamp("2025-01-01") + pd.Timedelta(minutes=minutes)
        rows.append((f"u{u}" if text_users else u, t, draw(st.sampled_from(NAMES))))
    df = pd.DataFrame(rows, columns=["user_id", "ts", "event"])
    if not len(df):
        df = pd.DataFrame({"user_id": pd.Series([], dtype="str" if text_users else "int64"),
                           "ts": pd.Series([], dtype="datetime64[us]"), "event": pd.Series([], dtype="str")})
    if not text_users and draw(st.booleans()):
        # a far user id and a far time: (user, time) no longer packs into one Int64 key, so the
        # log's as-of joins go by user instead (EventLog.packed is False)
        df = pd.concat([df, pd.DataFrame({"user_id": [2**40], "ts": [pd.Timestamp("2035-01-01")], "event": ["d"]})],
                       ignore_index=True)
    df["ts"] = df["ts"].astype("datetime64[us]")
    df["event"] = df["event"].astype("str")
    if text_users:
        df["user_id"] = df["user_id"].astype("str")
    return df


def _steps():
    step = st.one_of(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), min_size=2, max_size=2, unique=True))
    return st.lists(step, min_size=1, max_size=4)


def _plain(events, steps, window):
    return funnel(events, steps, window=window, engine="pandas")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=logs(), calls=st.lists(st.tuples(_steps(), st.sampled_from([None, "30min", "1h", "1D"])), min_size=1, max_size=2))
def test_repeated_funnels_on_the_log_equal_the_plain_path(events, calls):
    """Several funnels (other steps, other windows) on one frame: each equals the plain path on a copy."""
    E.clear_cache()
    for steps, window in calls:
        try:
            want = _plain(events.copy(), steps, window)
        except Exception as exc:  # noqa: BLE001 - e.g. no step event in the data: the same error
            with pytest.raises(type(exc)):
                funnel(events, steps, window=window, engine="polars")
            continue
        got = funnel(events, steps, window=window, engine="polars")
        assert_same(got, want)
        assert_same(funnel(events, steps, window=window, engine="polars"), want)  # the as-of path
    eligible = any(len({e for s in steps for e in ([s] if isinstance(s, str) else s)})
                   == sum(1 if isinstance(s, str) else len(s) for s in steps) for steps, _ in calls)
    if eligible and len(events):  # a funnel without repeated step events ran on the log
        assert any(isinstance(v[2], E.EventLog) for v in E._CACHE.values())


def test_the_log_is_built_once_and_serves_other_steps_and_windows(monkeypatch):
    builds = _builds(monkeypatch)
    events = pd.DataFrame({
        "user_id": [f"u{i % 50}" for i in range(2000)],
        "ts": pd.date_range("2025-01-01", periods=2000, freq="17min").astype("datetime64[us]"),
        "event": pd.Series(["visit", "view", "cart", "purchase", "share"] * 400, dtype="str"),
    })
    for steps, window in [(["visit", "view", "purchase"], "7D"), (["visit", ["cart", "share"]], "1h"),
                          (["view", "purchase"], None)]:
        got = funnel(events, steps, window=window, engine="polars")
        assert_same(got, _plain(events.copy(), steps, window))
        assert_same(got, funnel(events, steps, window=window, engine="duckdb"))
    assert builds == [2000]


@pytest.mark.parametrize("edit", ["event", "time", "user", "swap", "append", "dtype"])
def test_a_changed_frame_never_gets_a_stale_answer(monkeypatch, edit):
    builds = _builds(monkeypatch)
    n = 3000
    events = pd.DataFrame({
        "user_id": [i // 8 for i in range(n)],  # 8 events each, 37 minutes apart
        "ts": pd.date_range("2025-01-01", periods=n, freq="37min").astype("datetime64[us]"),
        "event": pd.Series(["visit", "view", "cart", "purchase"] * (n // 4), dtype="str"),
    })
    steps = ["visit", "view", "purchase"]
    before = funnel(events, steps, window="1D", engine="polars")
    if edit == "event":
        events.loc[events["event"] == "purchase", "event"] = "view"  # nobody purchases any more
    elif edit == "time":
        events.loc[events["event"] == "purchase", "ts"] += pd.Timedelta(days=3)  # out of the window
    elif edit == "user":
        events.loc[events["event"] == "view", "user_id"] += 1  # views by someone else
    elif edit == "swap":
        events["ts"] = events["ts"].to_numpy()[::-1].copy()  # same values, other rows
    elif edit == "append":
        events.loc[len(events)] = [1000, pd.Timestamp("2025-03-01"), "visit"]
    else:  # the same values as categories, one of them renamed
        events["event"] = events["event"].astype("category").cat.rename_categories({"cart": "basket"})
    after = funnel(events, steps, window="1D", engine="polars")
    assert len(builds) == 2
    assert_same(after, _plain(events.copy(), steps, "1D"))
    if edit in ("event", "time"):
        assert before["users"].iloc[2] > 0 and after["users"].iloc[2] == 0
    assert not after.equals(before) or edit == "dtype"


def test_by_a_user_attribute_on_the_log():
    events = pd.DataFrame({
        "user_id": pd.Series(["a", "a", "b", "b", "c", "d", "d"], dtype="str"),
        "ts": pd.to_datetime(["2025-01-01 10:00", "2025-01-01 10:05", "2025-01-02 09:00", "2025-01-02 09:00",
                              "2025-01-03 08:00", "2025-01-03 08:00", "2025-01-05 08:00"]).astype("datetime64[us]"),
        "event": pd.Series(["visit", "view", "view", "visit", "visit", "visit", "view"], dtype="str"),
    })
    users = pd.DataFrame({"user_id": ["a", "b", "c", "e"], "channel": ["app", "h5", "app", "h5"]})
    got = funnel(events, ["visit", "view"], window="1D", by="channel", users=users, engine="polars")
    assert_same(got, funnel(events, ["visit", "view"], window="1D", by="channel", users=users, engine="pandas"))
    counts = {(r.channel, r.step): r.users for r in got.itertuples()}
    # a, c on app: both visit, a views; b on h5 views at the visit's own time; d has no channel
    assert counts[("app", 1)] == 2 and counts[("app", 2)] == 1 and counts[("h5", 2)] == 1
    assert got["channel"].isna().sum() == 2  # user d: the missing group is kept, like the plain path


def test_text_and_zoned_times_are_read_as_on_the_plain_path():
    events = pd.DataFrame({"user_id": [1, 1, 2, 2], "ts": ["2025-01-01 10:00", "2025-01-01 12:00", "2025-01-02",
                                                         "2025-01-03 00:00:01"],
                           "event": ["visit", "buy", "visit", "buy"]})
    got = funnel(events, ["visit", "buy"], window="1D", engine="polars")
    assert got["users"].tolist() == [2, 1]
    assert_same(got, _plain(events, ["visit", "buy"], "1D"))
    zoned = events.assign(ts=pd.to_datetime(events["ts"], format="ISO8601").dt.tz_localize("Asia/Shanghai"))
    assert_same(funnel(zoned, ["visit", "buy"], window="1D", engine="polars"), got)


def test_what_the_log_does_not_take_goes_the_plain_way(monkeypatch):
    builds = _builds(monkeypatch)
    events = pd.DataFrame({"user_id": [1.0, None, 2.0], "ts": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02"]),
                           "event": ["a", "a", "b"]})
    # missing users: prepared as None (nothing cached as a log), answered by the plain path
    assert_same(funnel(events, ["a", "b"], engine="polars"), _plain(events, ["a", "b"], "7D"))
    assert builds == [3] and not any(isinstance(v[2], E.EventLog) for v in E._CACHE.values())
    builds.clear()
    ok = events.dropna().astype({"user_id": "int64"})
    for kw in ({"order": "strict"}, {"order": "any"}, {"engine": "duckdb"}, {"engine": "pandas"}):
        funnel(ok, ["a", "b"], **kw)
    funnel(ok, ["a", "a"])  # a repeated step needs the row numbers of the plain path
    assert builds == []
    with pytest.raises(Exception, match="does not occur"):
        funnel(ok, ["a", "bb"], engine="polars")  # a typo is refused on the log as well


def test_both_kinds_of_as_of_join():
    """The packed (user, time) key and the join by user give the plain path's answer."""
    base = pd.DataFrame({
        "user_id": [1, 1, 1, 2, 2, 3, 3, 3],
        "ts": pd.to_datetime(["2025-01-01 10:00", "2025-01-01 10:00", "2025-01-01 11:00", "2025-01-02 09:00",
                              "2025-01-01 09:00", "2025-01-03 08:00", "2025-01-03 08:00", "2025-01-05 08:00"]),
        "event": ["visit", "view", "buy", "visit", "view", "view", "visit", "buy"],
    }).astype({"ts": "datetime64[us]"})
    wide = pd.concat([base, pd.DataFrame({"user_id": [2**40], "ts": [pd.Timestamp("2035-01-01")], "event": ["x"]})],
                     ignore_index=True).astype({"ts": "datetime64[us]"})
    for events, packed in ((base, True), (wide, False)):
        for window in ("1D", None):
            want = _plain(events, ["visit", "view", "buy"], window)
            funnel(events, ["visit", "view", "buy"], window=window, engine="polars")  # builds the log
            log = E.event_log(events, engine="polars", user_col="user_id", time_col="ts", event_col="event")
            assert log.packed is packed and log.uses >= 1
            assert_same(funnel(events, ["visit", "view", "buy"], window=window, engine="polars"), want)
    # users 1 and 3 view at their visit's time; user 2 viewed before visiting; 1 buys within a day
    assert _plain(base, ["visit", "view", "buy"], "1D")["users"].tolist() == [3, 2, 1]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=logs(), sets=st.lists(st.one_of(st.sampled_from(NAMES).map(lambda n: [n]),
                                              st.lists(st.sampled_from(NAMES), min_size=2, max_size=3, unique=True)),
                                    min_size=1, max_size=5))
def test_rows_of_several_events_at_once_equal_one_by_one(events, sets):
    """``rows_many`` (the steps picked out side by side in threads) gives each set's rows in order,
    as ``rows`` does one event set at a time on a fresh log, and the same ``occurs`` answers."""
    E.clear_cache()
    log = E.event_log(events, engine="polars", user_col="user_id", time_col="ts", event_col="event")
    if log is None:
        return
    many = [r.collect().to_native() for r in log.rows_many(sets)]
    E.clear_cache()
    fresh = E.event_log(events, engine="polars", user_col="user_id", time_col="ts", event_col="event")
    one = [fresh.rows(s).collect().to_native() for s in sets]
    assert [m.to_dicts() for m in many] == [o.to_dicts() for o in one]
    assert [log.occurs(n) for n in NAMES] == [fresh.occurs(n) for n in NAMES]
    want = events.dropna(subset=["ts"])
    assert [len(m) for m in many] == [int(want["event"].isin(s).sum()) for s in sets]
