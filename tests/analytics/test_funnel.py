"""funnel(): hand-computed cases for every option, all four engines, invariants, errors."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from helpers import assert_same, ev, norm

from opsplaybook.analytics.funnel import funnel
from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError

STEPS = ["visit", "view", "purchase"]


def users_at(out) -> list[int]:
    return [int(x) for x in norm(out)["users"]]


# ----------------------------------------------------------------------------- hand-computed
def test_basic_counts_conversions_and_median_times():
    events = ev([
        (1, "2025-01-01 10:00", "visit"), (1, "2025-01-01 10:05", "view"), (1, "2025-01-01 11:00", "purchase"),
        (2, "2025-01-02 09:00", "visit"), (2, "2025-01-02 09:30", "view"),
        (3, "2025-01-03 08:00", "visit"),
        (4, "2025-01-03 08:00", "view"),  # never did step 1: not in the funnel
    ])
    out = funnel(events, STEPS, window="1D")
    assert list(out.columns) == ["step", "step_name", "users", "conversion", "step_conversion", "drop_off", "median_time"]
    assert out["step"].tolist() == [1, 2, 3]
    assert out["step_name"].tolist() == STEPS
    assert out["users"].tolist() == [3, 2, 1]
    assert out["conversion"].tolist() == pytest.approx([1, 2 / 3, 1 / 3])
    assert out["step_conversion"].tolist() == pytest.approx([1, 2 / 3, 1 / 2])
    assert out["drop_off"].tolist() == [0, 1, 1]
    assert pd.isna(out["median_time"].iloc[0])
    assert out["median_time"].iloc[1] == pd.Timedelta("17min 30s")  # median of 5 and 30 minutes
    assert out["median_time"].iloc[2] == pd.Timedelta("55min")


def test_window_end_is_inclusive():
    events = ev([
        (1, "2025-01-01 10:00:00", "visit"), (1, "2025-01-02 10:00:00", "purchase"),  # exactly 1 day: in
        (2, "2025-01-01 10:00:00", "visit"), (2, "2025-01-02 10:00:01", "purchase"),  # 1 s too late: out
    ])
    assert users_at(funnel(events, ["visit", "purchase"], window="1D")) == [2, 1]
    assert users_at(funnel(events, ["visit", "purchase"], window="24h")) == [2, 1]
    assert users_at(funnel(events, ["visit", "purchase"], window=dt.timedelta(days=1, seconds=1))) == [2, 2]
    assert users_at(funnel(events, ["visit", "purchase"], window=None)) == [2, 2]


def test_window_counts_from_the_first_step_not_the_previous_one():
    events = ev([(1, "2025-01-01", "visit"), (1, "2025-01-01 20:00", "view"), (1, "2025-01-02 02:00", "purchase")])
    assert users_at(funnel(events, STEPS, window="1D")) == [1, 1, 0]  # purchase 26 h after the visit


def test_first_attempt_is_not_restarted_by_a_later_step_one():
    events = ev([(1, "2025-01-01", "visit"), (1, "2025-01-05", "visit"), (1, "2025-01-06", "purchase")])
    assert users_at(funnel(events, ["visit", "purchase"], window="2D")) == [1, 0]
    out = funnel(events, ["visit", "purchase"], window="7D")
    assert users_at(out) == [1, 1]
    assert out["median_time"].iloc[1] == pd.Timedelta("5D")  # from the first visit


def test_same_timestamp_counts_in_either_row_order():
    events = ev([
        (1, "2025-01-01 10:00", "view"), (1, "2025-01-01 10:00", "visit"),  # step 2 row listed first
        (2, "2025-01-01 10:00", "visit"), (2, "2025-01-01 09:59", "view"),  # step 2 one minute before: no
    ])
    out = funnel(events, ["visit", "view"])
    assert users_at(out) == [2, 1]
    assert out["median_time"].iloc[1] == pd.Timedelta(0)


def test_each_step_takes_the_first_matching_event_after_the_previous():
    events = ev([
        (1, "2025-01-01 10:00", "visit"), (1, "2025-01-01 10:10", "view"), (1, "2025-01-01 10:20", "view"),
        (1, "2025-01-01 10:30", "purchase"),
    ])
    out = funnel(events, STEPS)
    assert out["median_time"].tolist()[1:] == [pd.Timedelta("10min"), pd.Timedelta("20min")]


def test_repeated_step_needs_a_second_event():
    events = ev([
        (1, "2025-01-01 10:00", "view"),
        (2, "2025-01-01 10:00", "view"), (2, "2025-01-01 10:00", "view"),  # two rows, same time
        (3, "2025-01-01 10:00", "view"), (3, "2025-01-01 12:00", "view"), (3, "2025-01-01 13:00", "view"),
    ])
    assert users_at(funnel(events, ["view", "view"])) == [3, 2]
    assert users_at(funnel(events, ["view", "view", "view"])) == [3, 2, 1]
    out = funnel(events, ["view", "view", "view"])
    assert out["median_time"].iloc[2] == pd.Timedelta("1h")


def test_alternative_events_in_a_step():
    events = ev([
        (1, "2025-01-01", "visit"), (1, "2025-01-01 01:00", "product1"),
        (2, "2025-01-01", "visit"), (2, "2025-01-01 02:00", "product2"),
        (3, "2025-01-01", "visit"),
    ])
    out = funnel(events, ["visit", ["product1", "product2"]])
    assert users_at(out) == [3, 2]
    assert out["step_name"].tolist() == ["visit", "product1|product2"]
    assert out["median_time"].iloc[1] == pd.Timedelta("90min")


STRICT_EVENTS = [
    (1, "2025-01-01 10:00", "visit"), (1, "2025-01-01 10:01", "view"),                                   # direct
    (2, "2025-01-01 10:00", "visit"), (2, "2025-01-01 10:01", "share"), (2, "2025-01-01 10:02", "view"),  # between
    (3, "2025-01-01 10:00", "visit"), (3, "2025-01-01 10:00", "share"), (3, "2025-01-01 10:02", "view"),  # same time
    (4, "2025-01-01 10:00", "visit"), (4, "2025-01-01 10:01", "visit"), (4, "2025-01-01 10:02", "view"),  # repeat
]


def test_strict_order_allows_no_event_in_between():
    events = ev(STRICT_EVENTS)
    assert users_at(funnel(events, ["visit", "view"], order="sequential")) == [4, 4]
    # user 2 has a share between, user 4 a second visit between (first attempt); user 3's share is
    # simultaneous with the visit and does not break the chain
    assert users_at(funnel(events, ["visit", "view"], order="strict")) == [4, 2]


def test_any_order():
    events = ev([
        (1, "2025-01-01 10:00", "view"), (1, "2025-01-01 11:00", "visit"),   # reversed: any counts it
        (2, "2025-01-01 10:00", "visit"), (2, "2025-01-01 10:30", "view"),
        (3, "2025-01-01 10:00", "view"),                                       # view only: not at step 1
        (4, "2025-01-01 10:00", "purchase"), (4, "2025-01-03 10:00", "visit"), (4, "2025-01-03 11:00", "view"),
    ])
    seq = funnel(events, ["visit", "view"], window="1D")
    anyo = funnel(events, ["visit", "view"], window="1D", order="any")
    assert users_at(seq) == [3, 2]          # user 1's view came before the visit
    assert users_at(anyo) == [3, 3]         # users 1, 2, 4 (purchase is no step of this funnel)
    out = funnel(events, ["visit", "view", "purchase"], window="1D", order="any")
    # user 4's attempt now opens with the purchase; the visit and view 2 days later are outside it
    assert users_at(out) == [2, 2, 0]
    # completion of steps 1..2 minus completion of step 1: user 1 0 (view before visit), user 2 30 min
    assert out["median_time"].iloc[1] == pd.Timedelta("15min")


def test_by_user_attribute_and_event_column():
    events = ev([
        (1, "2025-01-01 10:00", "visit", "app"), (1, "2025-01-01 10:05", "view", "h5"),
        (2, "2025-01-01 10:00", "visit", "h5"),
        (3, "2025-01-01 10:00", "visit", "app"), (3, "2025-01-01 10:00", "visit", "h5"),  # tie: smallest
    ], cols=("user_id", "ts", "event", "touchpoint"))
    users = pd.DataFrame({"user_id": [1, 2, 3], "channel": ["抖音", "抖音", "微信"]})
    out = funnel(events, ["visit", "view"], by="channel", users=users)
    assert list(out.columns[:2]) == ["channel", "step"]
    assert out[["channel", "step", "users"]].values.tolist() == [["微信", 1, 1], ["微信", 2, 0], ["抖音", 1, 2], ["抖音", 2, 1]]
    out = funnel(events, ["visit", "view"], by="touchpoint")
    assert out[["touchpoint", "step", "users"]].values.tolist() == [["app", 1, 2], ["app", 2, 1], ["h5", 1, 1], ["h5", 2, 0]]


def test_empty_input_single_user_single_event():
    events = ev([(1, "2025-01-01", "visit")])
    out = funnel(events, ["visit", "view"])
    assert users_at(out) == [1, 0]
    assert out["step_conversion"].tolist()[1] == 0
    empty = funnel(events.iloc[:0], ["visit", "view"])
    assert users_at(empty) == [0, 0]
    assert empty["conversion"].isna().all()
    assert funnel(events.iloc[:0], ["visit"], by="event").empty
    one = funnel(ev([(1, "2025-01-01", "visit"), (1, "2025-01-01", "visit")]), ["visit", "view", "visit"])
    assert users_at(one) == [1, 0, 0]


def test_columns_by_parameter():
    events = ev([(1, "2025-01-01", "a"), (1, "2025-01-02", "b")]).rename(
        columns={"user_id": "uid", "ts": "time", "event": "name"}
    )
    out = funnel(events, ["a", "b"], user_col="uid", time_col="time", event_col="name")
    assert users_at(out) == [1, 1]


def test_pandas_on_duckdb_and_polars_gives_the_same():
    events = ev(STRICT_EVENTS)
    for order in ("sequential", "strict", "any"):
        steps = ["visit", "view"] if order != "any" else ["visit", "share"]
        base = funnel(events, steps, order=order, engine="pandas")
        assert_same(funnel(events, steps, order=order, engine="duckdb"), base)
        assert_same(funnel(events, steps, order=order, engine="polars"), base)


# ----------------------------------------------------------------------------- every engine
ENGINE_EVENTS = ev([
    (1, "2025-01-01 10:00", "visit", "app"), (1, "2025-01-01 10:05", "view", "app"),
    (1, "2025-01-01 10:05", "share", "app"), (1, "2025-01-01 11:00", "purchase", "app"),
    (2, "2025-01-02 09:00", "visit", "h5"), (2, "2025-01-02 09:30", "view", "h5"), (2, "2025-01-09 09:30", "purchase", "h5"),
    (3, "2025-01-03 08:00", "view", "app"), (3, "2025-01-03 08:00", "visit", "app"), (3, "2025-01-03 08:01", "view", "app"),
    (4, "2025-01-03 08:00", "purchase", "h5"), (4, "2025-01-03 09:00", "visit", "h5"),
], cols=("user_id", "ts", "event", "touchpoint"))

EXPECTED_SEQ_BY = {  # touchpoint -> users per step for visit > view > purchase, window 2D
    "app": [2, 2, 1], "h5": [2, 1, 0],
}


@pytest.mark.parametrize("order", ["sequential", "strict", "any"])
def test_same_result_on_every_engine(constructor, order):
    kw = dict(window="2D", order=order, by="touchpoint")
    expected = funnel(ENGINE_EVENTS, STEPS, **kw)
    got = funnel(constructor(ENGINE_EVENTS), STEPS, **kw)
    assert_same(got, expected)
    if order == "sequential":
        for tp, counts in EXPECTED_SEQ_BY.items():
            assert expected.loc[expected["touchpoint"] == tp, "users"].tolist() == counts


def test_repeated_steps_on_every_engine(constructor):
    steps = ["view", "view"]
    assert_same(funnel(constructor(ENGINE_EVENTS), steps), funnel(ENGINE_EVENTS, steps))
    assert users_at(funnel(ENGINE_EVENTS, steps)) == [3, 1]  # only user 3 viewed twice


# ----------------------------------------------------------------------------- a plain-Python reference
def reference_funnel(df, steps, window, order):
    """Users per step by walking each user's events in Python (the documented semantics, written naively)."""
    sets = [{s} if isinstance(s, str) else set(s) for s in steps]
    win = None if window is None else pd.Timedelta(window)
    counts = [0] * len(sets)
    for _, g in df.groupby("user_id"):
        rows = sorted(zip(g["ts"], g["event"], range(len(g))), key=lambda r: (r[0], r[1], r[2]))
        if order == "any":
            funnel_rows = [r for r in rows if any(r[1] in s for s in sets)]
            if not funnel_rows:
                continue
            t0 = funnel_rows[0][0]
            done = [any(r[1] in s and (win is None or r[0] <= t0 + win) for r in funnel_rows) for s in sets]
            for k in range(len(sets)):
                if not all(done[: k + 1]):
                    break
                counts[k] += 1
            continue
        firsts = [r for r in rows if r[1] in sets[0]]
        if not firsts:
            continue
        cur = firsts[0]
        t1, used = cur[0], {cur[2]}
        counts[0] += 1
        for k in range(1, len(sets)):
            cands = [r for r in rows if r[1] in sets[k] and r[0] >= cur[0] and r[2] not in used
                     and (win is None or r[0] <= t1 + win)]
            if not cands:
                break
            nxt = cands[0]
            if order == "strict" and any(cur[0] < r[0] < nxt[0] for r in rows):
                break
            used.add(nxt[2])
            cur = nxt
            counts[k] += 1
    return counts


def test_world_funnel_matches_the_reference(small_world):
    events = small_world.events
    events = events[events["user_id"] <= 300]
    steps = ["visit", "view", ["cart", "coupon_claim"], "checkout", "purchase"]
    for order, window in [("sequential", "1D"), ("strict", None), ("any", "2h")]:
        out = funnel(events, steps, window=window, order=order)
        assert out["users"].tolist() == reference_funnel(events, steps, window, order)
    assert out["users"].iloc[0] > 200


# ----------------------------------------------------------------------------- invariants
EVENT_NAMES = ["a", "b", "c"]


@st.composite
def event_logs(draw):
    n = draw(st.integers(0, 30))
    rows = [
        (draw(st.integers(1, 6)), pd.Timestamp("2025-01-01") + pd.Timedelta(minutes=draw(st.integers(0, 60 * 24 * 3))),
         draw(st.sampled_from(EVENT_NAMES)))
        for _ in range(n)
    ]
    df = pd.DataFrame(rows, columns=["user_id", "ts", "event"])
    df = pd.concat([df, pd.DataFrame({"user_id": [99, 99, 99], "ts": pd.Timestamp("2024-12-01"), "event": EVENT_NAMES})])
    return df.astype({"user_id": "int64", "ts": "datetime64[us]"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=event_logs(),
    steps=st.lists(st.sampled_from(EVENT_NAMES + [["a", "b"]]), min_size=1, max_size=4),
    order=st.sampled_from(["sequential", "strict", "any"]),
    window=st.sampled_from([None, "1h", "1D"]),
)
def test_counts_never_increase_along_the_steps(events, steps, order, window):
    if order == "any":
        flat = [e for s in steps for e in ([s] if isinstance(s, str) else s)]
        if len(flat) != len(set(flat)):
            with pytest.raises(InvalidParameterError, match="may not share events"):
                funnel(events, steps, order=order, window=window)
            return
    out = funnel(events, steps, order=order, window=window)
    users = out["users"].tolist()
    assert users == reference_funnel(events, steps, window, order)
    assert all(a >= b for a, b in zip(users, users[1:]))
    assert users[0] <= events["user_id"].nunique()
    assert (out["drop_off"] >= 0).all()
    assert ((out["conversion"] >= 0) & (out["conversion"] <= 1)).all()
    if order != "any":
        # a strict funnel never converts more than the sequential one; Polars agrees with pandas
        seq = funnel(events, steps, window=window)
        assert all(s >= o for s, o in zip(seq["users"], users))
    assert_same(funnel(events, steps, order=order, window=window, engine="polars"), out)


# ----------------------------------------------------------------------------- bad input
def test_errors_name_the_parameter_and_value():
    events = ev([(1, "2025-01-01", "visit"), (1, "2025-01-02", "purchase")])
    with pytest.raises(ColumnNotFoundError, match=r"'userid' given as `user_col`.*Did you mean 'user_id'"):
        funnel(events, STEPS, user_col="userid")
    with pytest.raises(ColumnNotFoundError, match=r"'chanel' given in `by`.*Available"):
        funnel(events, STEPS, by="chanel")
    with pytest.raises(InvalidParameterError, match="`steps` is empty"):
        funnel(events, [])
    with pytest.raises(InvalidParameterError, match=r"event 'purchse' does not occur.*Did you mean 'purchase'"):
        funnel(events, ["visit", "purchse"])
    with pytest.raises(InvalidParameterError, match=r"`order`='strickt' is not allowed.*Did you mean 'strict'"):
        funnel(events, ["visit", "purchase"], order="strickt")
    with pytest.raises(InvalidParameterError, match=r"`window`='a week' is not a duration"):
        funnel(events, ["visit", "purchase"], window="a week")
    with pytest.raises(InvalidParameterError, match="with order='any' steps may not share events"):
        funnel(events, ["visit", "visit"], order="any")


def test_bad_times_are_data_errors():
    events = pd.DataFrame({"user_id": [1, 1], "ts": ["2025-01-01 10:00", "31/02/2025"], "event": ["visit", "view"]})
    with pytest.raises(DataValidationError, match="`time_col` has values that are not times, e.g. '31/02/2025'"):
        funnel(events, ["visit", "view"])
    mixed = events.assign(ts=["2025-01-01 10:00+08:00", "2025-01-01 10:00+00:00"])
    with pytest.raises(DataValidationError, match="mixes time zones"):
        funnel(mixed, ["visit", "view"])
    text = events.assign(ts=["2025-01-01 10:00", "2025-01-01 10:30"])
    assert users_at(funnel(text, ["visit", "view"])) == [1, 1]  # ISO text is parsed
