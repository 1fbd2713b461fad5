"""aarrr(): hand-computed metrics, window edges, engines, errors, synthetic world."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers import assert_same, ev, norm

from opsplaybook.analytics.aarrr import aarrr
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError

USERS = pd.DataFrame({
    "user_id": [1, 2, 3, 4],
    "channel": ["自然流量", "老带新", "老带新", "老带新"],
    "signup_ts": pd.to_datetime(["2025-01-01 08:00", "2025-01-01 11:00", "2025-01-02 07:00", "2024-12-20 00:00"],
                                format="ISO8601").astype("datetime64[us]"),
})
EVENTS = ev([
    (1, "2025-01-01 09:00", "visit"), (1, "2025-01-01 09:10", "invite"), (2, "2025-01-01 12:00", "visit"),
    (3, "2025-01-02 08:00", "visit"), (1, "2025-01-02 10:00", "purchase"), (4, "2025-01-02 11:00", "invite"),
    (2, "2025-01-08 09:00", "visit"), (3, "2025-01-03 09:00", "purchase"),
])
ORDERS = pd.DataFrame({
    "user_id": [1, 3, 4], "amount": [99.0, 1.0, 50.0],
    "ts": pd.to_datetime(["2025-01-02 10:00", "2025-01-03 09:00", "2024-12-25 10:00"], format="ISO8601").astype("datetime64[us]"),
})


def values(out) -> dict[str, float]:
    df = norm(out)
    return dict(zip(df["metric"], df["value"]))


def test_metrics_by_hand():
    out = aarrr(EVENTS, ORDERS, start="2025-01-01", end="2025-01-02", users=USERS, lang="en")
    assert list(out.columns) == ["stage", "stage_label", "metric", "metric_label", "value"]
    assert out["stage"].unique().tolist() == ["acquisition", "activation", "retention", "revenue", "referral"]
    v = values(out)
    assert v["new_users"] == 3  # users 1, 2, 3 signed up on Jan 1-2 (user 4 in December)
    assert v["activated_users"] == 2  # users 1 and 3 purchased within 7 days of signing up
    assert v["activation_rate"] == pytest.approx(2 / 3)
    # last event day Jan 8: day 1 matured for all 3; active on day 1: user 1 (Jan 2), user 3 (Jan 3)
    assert v["retention_d1"] == pytest.approx(2 / 3)
    # day 7: user 1 -> Jan 8 (matured, not active), user 2 -> Jan 8 (active), user 3 -> Jan 9 (not matured)
    assert v["retention_d7"] == pytest.approx(1 / 2)
    assert math.isnan(v["retention_d30"])  # nobody matured
    # period Jan 1-2: active users 1, 2, 3, 4; buyers: user 1 (user 3 bought on Jan 3)
    assert (v["active_users"], v["buyers"], v["gmv"]) == (4, 1, 99.0)
    assert v["paying_rate"] == 0.25 and v["arpu"] == 99 / 4 and v["arppu"] == 99.0
    assert (v["invites"], v["inviters"]) == (2, 2)
    assert v["invites_per_user"] == 0.5
    assert v["referred_users"] == 2  # new users from 老带新 (user 4 signed up before)
    assert v["invite_conversion"] == 1.0
    assert v["k_factor"] == 0.5
    assert out["stage_label"].iloc[0] == "Acquisition"
    assert aarrr(EVENTS, ORDERS, start="2025-01-01", end="2025-01-02", users=USERS, lang="zh")["metric_label"].iloc[0] == "新增用户数"


def test_without_users_table_new_means_first_event():
    v = values(aarrr(EVENTS, ORDERS, start="2025-01-02", end="2025-01-02"))
    assert v["new_users"] == 2  # users 3 and 4 had their first event on Jan 2
    assert v["activated_users"] == 1  # user 3 purchased the next day
    assert math.isnan(v["referred_users"]) and math.isnan(v["k_factor"])


def test_activation_window_and_events():
    events = ev([(1, "2025-01-01 08:00", "visit"), (1, "2025-01-08 08:00", "purchase"),   # exactly 7 days: out
                 (2, "2025-01-01 08:00", "visit"), (2, "2025-01-08 07:59", "purchase")])  # just in
    users = pd.DataFrame({"user_id": [1, 2], "signup_ts": pd.to_datetime(["2025-01-01 08:00"] * 2).astype("datetime64[us]")})
    v = values(aarrr(events, ORDERS.iloc[:0], start="2025-01-01", end="2025-01-01", users=users))
    assert v["activated_users"] == 1
    v = values(aarrr(events, ORDERS.iloc[:0], start="2025-01-01", end="2025-01-01", users=users, activation_days=8))
    assert v["activated_users"] == 2
    v = values(aarrr(events, ORDERS.iloc[:0], start="2025-01-01", end="2025-01-01", users=users,
                     activation_event=["visit", "purchase"], activation_days=0))
    assert v["activated_users"] == 0  # a zero-day window is empty
    v = values(aarrr(events, ORDERS.iloc[:0], start="2025-01-01", end="2025-01-01", users=users,
                     activation_event=["visit"], retention_days=7))
    assert v["activated_users"] == 2
    assert v["retention_d7"] == 1.0 and "retention_d1" not in v


def test_custom_columns_and_referral_channel():
    events = EVENTS.rename(columns={"user_id": "uid", "ts": "t", "event": "name"})
    orders = ORDERS.rename(columns={"user_id": "uid", "ts": "t", "amount": "paid"})
    users = USERS.rename(columns={"user_id": "uid", "signup_ts": "reg", "channel": "src"})
    out = aarrr(events, orders, start="2025-01-01", end="2025-01-02", users=users, user_col="uid", time_col="t",
                event_col="name", amount_col="paid", signup_col="reg", channel_col="src", referral_channel="自然流量")
    v = values(out)
    assert v["referred_users"] == 1 and v["gmv"] == 99.0
    none = values(aarrr(EVENTS, ORDERS, start="2025-01-01", end="2025-01-02", users=USERS, referral_channel=None))
    assert math.isnan(none["referred_users"]) and math.isnan(none["k_factor"])


def test_same_result_on_every_engine(constructor):
    expected = aarrr(EVENTS, ORDERS, start="2025-01-01", end="2025-01-02", users=USERS, engine="pandas")
    got = aarrr(constructor(EVENTS), constructor(ORDERS), start="2025-01-01", end="2025-01-02", users=constructor(USERS))
    assert_same(got, expected)


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_pandas_on_embedded_engines(engine):
    expected = aarrr(EVENTS, ORDERS, start="2025-01-01", end="2025-01-02", users=USERS, engine="pandas")
    got = aarrr(EVENTS, ORDERS, start="2025-01-01", end="2025-01-02", users=USERS, engine=engine)
    assert isinstance(got, pd.DataFrame)
    assert_same(got, expected)


def test_empty_period():
    v = values(aarrr(EVENTS, ORDERS, start="2026-01-01", end="2026-01-31", users=USERS))
    assert v["new_users"] == 0 and v["active_users"] == 0 and v["gmv"] == 0
    assert math.isnan(v["activation_rate"]) and math.isnan(v["arpu"])


@pytest.mark.parametrize(("kwargs", "error", "pattern"), [
    ({"start": "2025-01-05", "end": "2025-01-01"}, InvalidParameterError, r"`end`='2025-01-01' is before `start`"),
    ({"start": "someday", "end": "2025-01-01"}, InvalidParameterError, r"`start`='someday'"),
    ({"activation_days": -1}, InvalidParameterError, r"`activation_days`=-1"),
    ({"retention_days": [1, 2.5]}, InvalidParameterError, r"`retention_days`=2.5"),
    ({"event_col": "evt"}, ColumnNotFoundError, r"'evt' given as `event_col`.*Did you mean 'event'"),
    ({"signup_col": "signup"}, ColumnNotFoundError, r"'signup' given as `signup_col`.*Did you mean 'signup_ts'"),
    ({"lang": "de"}, InvalidParameterError, r"`lang`='de'"),
])
def test_bad_input(kwargs, error, pattern):
    base = {"start": "2025-01-01", "end": "2025-01-02", "users": USERS}
    with pytest.raises(error, match=pattern):
        aarrr(EVENTS, ORDERS, **{**base, **kwargs})


def test_world_referrals_and_revenue(small_world):
    w = small_world
    out = aarrr(w.events, w.orders, start="2025-03-01", end="2025-03-31", users=w.users)
    v = values(out)
    march = w.users[(w.users["signup_ts"] >= "2025-03-01") & (w.users["signup_ts"] < "2025-04-01")]
    assert v["new_users"] == len(march)
    assert v["referred_users"] == (march["channel"] == "老带新").sum()
    paid = w.orders[(w.orders["ts"] >= "2025-03-01") & (w.orders["ts"] < "2025-04-01")]
    assert v["gmv"] == pytest.approx(paid["amount"].sum(), abs=0.01)
    assert 0 < v["activation_rate"] < 1 and 0 < v["retention_d1"] < 1
    assert v["invites"] > 0
