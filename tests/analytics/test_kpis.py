"""kpis() and revenue_drivers(): hand-computed cases, rolling-window edges, engines, invariants, errors."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from helpers import assert_same, ev, norm

from opsplaybook.analytics.kpis import KPI_COLUMNS, kpis, revenue_drivers
from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError


def od(rows) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=["user_id", "ts", "amount"])
    df["ts"] = pd.to_datetime(df["ts"], format="ISO8601").astype("datetime64[us]")
    df["user_id"] = df["user_id"].astype("int64")
    return df


EVENTS = ev([
    (1, "2025-01-01 09:00", "visit"), (2, "2025-01-01 10:00", "visit"),
    (1, "2025-01-02 08:00", "visit"), (3, "2025-01-02 20:00", "visit"),
])
ORDERS = od([(1, "2025-01-01 09:05", 10.0), (1, "2025-01-01 12:00", 5.0), (3, "2025-01-02 20:30", 20.0)])


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


# ----------------------------------------------------------------------------- hand-computed
def test_daily_kpis_by_hand():
    out = kpis(EVENTS, ORDERS)
    assert list(out.columns) == ["period", *KPI_COLUMNS]
    assert out["period"].tolist() == [ts("2025-01-01"), ts("2025-01-02")]
    rows = out.set_index("period")
    d1, d2 = rows.loc[ts("2025-01-01")], rows.loc[ts("2025-01-02")]
    assert (d1.uv, d1.dau, d1.wau, d1.mau, d1.stickiness) == (2, 2.0, 2, 2, 1.0)
    assert (d2.uv, d2.dau, d2.wau, d2.mau) == (2, 2.0, 3, 3)
    assert d2.stickiness == pytest.approx(2 / 3)
    assert (d1.new_users, d2.new_users) == (2, 1)  # first events: users 1, 2 on day 1; user 3 on day 2
    assert (d1.buyers, d1.orders, d1.gmv, d1.cvr, d1.arpu, d1.arppu, d1.repeat_rate) == (1, 2, 15.0, 0.5, 7.5, 15.0, 1.0)
    assert (d2.buyers, d2.orders, d2.gmv, d2.cvr, d2.arpu, d2.arppu, d2.repeat_rate) == (1, 1, 20.0, 0.5, 10.0, 20.0, 0.0)
    for c in ("uv", "wau", "mau", "new_users", "buyers", "orders"):
        assert str(out[c].dtype) == "int64"


def test_rolling_window_edges():
    # user 2 is active every day (so every day is in the data); user 1 on Jan 1 and Jan 5 only
    rows = [(2, f"{d.date()} 12:00", "visit") for d in pd.date_range("2025-01-01", "2025-02-05")]
    events = ev(rows + [(1, "2025-01-01 08:00", "visit"), (1, "2025-01-05 08:00", "visit")])
    out = kpis(events, ORDERS.iloc[:0]).set_index("period")
    # WAU: Jan 5 covers Jan 5 .. Jan 11 (7 days); Jan 12 is out
    assert out.loc[ts("2025-01-11"), "wau"] == 2
    assert out.loc[ts("2025-01-12"), "wau"] == 1
    # MAU: Jan 5 covers Jan 5 .. Feb 3 (30 days)
    assert out.loc[ts("2025-02-03"), "mau"] == 2
    assert out.loc[ts("2025-02-04"), "mau"] == 1
    assert (out["dau"] <= out["wau"]).all() and (out["wau"] <= out["mau"]).all()


def test_weekly_periods_start_on_monday_including_sundays():
    events = ev([(1, "2025-01-04 10:00", "visit"), (2, "2025-01-05 23:00", "visit"), (3, "2025-01-06 01:00", "visit")])
    out = kpis(events, ORDERS.iloc[:0], freq="W")
    assert out["period"].tolist() == [ts("2024-12-30"), ts("2025-01-06")]  # Sat and Sun -> Monday Dec 30
    assert out["uv"].tolist() == [2, 1]
    assert out["dau"].tolist() == [1.0, 1.0]  # mean over the days with events
    assert out["wau"].tolist() == [2, 3]  # 7 days ending Jan 5 / Jan 6


def test_monthly_with_users_table_and_stickiness():
    users = pd.DataFrame({"user_id": [1, 2, 3, 4], "signup_ts": pd.to_datetime(
        ["2024-12-31 23:00", "2025-01-01", "2025-01-20", "2025-02-03"], format="ISO8601").astype("datetime64[us]")})
    events = ev([(1, "2025-01-01", "visit"), (2, "2025-01-01", "visit"), (2, "2025-01-31", "visit"),
                 (4, "2025-02-03", "visit")])
    out = kpis(events, ORDERS.iloc[:0], freq="M", users=users).set_index("period")
    assert out.index.tolist() == [ts("2025-01-01"), ts("2025-02-01")]  # Dec sign-up alone is no period
    assert out["new_users"].tolist() == [2, 1]  # sign-ups, not first events
    jan = out.loc[ts("2025-01-01")]
    assert jan.uv == 2 and jan.dau == 1.5  # (2 + 1) / 2 days with events
    assert jan.mau == 1  # 30 days ending Jan 31: Jan 2 .. Jan 31 -> only user 2
    assert jan.stickiness == 1.5
    assert math.isnan(jan.cvr) is False and jan.cvr == 0.0


def test_repeat_rate_is_within_the_period():
    orders = od([(1, "2025-01-01", 1.0), (1, "2025-01-02", 1.0), (2, "2025-01-02", 1.0), (2, "2025-01-02 10:00", 1.0)])
    events = ev([(1, "2025-01-01", "visit"), (1, "2025-01-02", "visit"), (2, "2025-01-02", "visit")])
    daily = kpis(events, orders).set_index("period")["repeat_rate"]
    assert daily.tolist() == [0.0, 0.5]  # user 1's second order is in another day
    monthly = kpis(events, orders, freq="M")["repeat_rate"]
    assert monthly.tolist() == [1.0]


def test_orders_without_events_and_missing_ratios():
    orders = od([(5, "2025-01-03", 8.0)])
    out = kpis(EVENTS, orders).set_index("period")
    day3 = out.loc[ts("2025-01-03")]
    assert (day3.uv, day3.buyers, day3.gmv) == (0, 1, 8.0)
    assert math.isnan(day3.cvr) and math.isnan(day3.arpu) and math.isnan(day3.stickiness)
    assert day3.arppu == 8.0


def test_start_end_keep_periods_but_windows_see_earlier_days():
    out = kpis(EVENTS, ORDERS, start="2025-01-02", end="2025-01-02")
    assert out["period"].tolist() == [ts("2025-01-02")]
    assert out["wau"].tolist() == [3]


def test_order_col_and_custom_columns():
    orders = ORDERS.assign(order_id=[1, 1, 2]).rename(columns={"user_id": "uid", "ts": "t", "amount": "paid"})
    events = EVENTS.rename(columns={"user_id": "uid", "ts": "t"})
    out = kpis(events, orders, user_col="uid", time_col="t", amount_col="paid", order_col="order_id")
    assert out["orders"].tolist() == [1, 1]
    assert out["repeat_rate"].tolist() == [0.0, 0.0]


def test_empty_orders_and_events():
    out = kpis(EVENTS.iloc[:0], ORDERS.iloc[:0])
    assert list(out.columns) == ["period", *KPI_COLUMNS]
    assert len(out) == 0


# ----------------------------------------------------------------------------- engines
def random_data(seed=5, n_events=600, n_orders=120):
    rng = np.random.default_rng(seed)
    events = pd.DataFrame({
        "user_id": rng.integers(1, 50, n_events).astype("int64"),
        "ts": (pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 45 * 86400, n_events), unit="s")).astype("datetime64[us]"),
        "event": rng.choice(["visit", "view"], n_events),
    })
    orders = pd.DataFrame({
        "user_id": rng.integers(1, 50, n_orders).astype("int64"),
        "ts": (pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 45 * 86400, n_orders), unit="s")).astype("datetime64[us]"),
        "amount": rng.choice([0.1, 0.2, 9.99, 100.0], n_orders),
    })
    return events, orders


def test_same_result_on_every_engine(constructor):
    events, orders = random_data()
    expected = kpis(events, orders, freq="W", engine="pandas")
    got = kpis(constructor(events), constructor(orders), freq="W")
    assert_same(got, expected)
    drivers = revenue_drivers(got, "2025-01-06", "2025-01-13")
    assert_same(drivers, revenue_drivers(expected, "2025-01-06", "2025-01-13"))


@pytest.mark.parametrize("freq", ["D", "M"])
def test_same_result_on_embedded_engines(freq):
    import polars as pl

    events, orders = random_data(seed=8)
    users = pd.DataFrame({"user_id": np.arange(1, 50, dtype="int64"),
                          "signup_ts": pd.date_range("2024-12-20", periods=49, freq="19h").astype("datetime64[us]")})
    expected = kpis(events, orders, freq=freq, users=users, engine="pandas")
    assert_same(kpis(events, orders, freq=freq, users=users, engine="duckdb"), expected)
    assert_same(kpis(events, orders, freq=freq, users=users, engine="polars"), expected)
    assert_same(kpis(pl.from_pandas(events), pl.from_pandas(orders), freq=freq, users=pl.from_pandas(users)), expected)


# ----------------------------------------------------------------------------- invariants
@st.composite
def activity(draw):
    n = draw(st.integers(1, 40))
    users = draw(st.lists(st.integers(1, 8), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 70), min_size=n, max_size=n))
    return ev([(u, str(pd.Timestamp("2025-01-01") + pd.Timedelta(days=d, hours=u)), "visit") for u, d in zip(users, days)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=activity())
def test_rolling_windows_match_brute_force(events):
    out = kpis(events, ORDERS.iloc[:0]).set_index("period")
    days = events.assign(day=events["ts"].dt.normalize())
    for day, row in out.iterrows():
        for width, col in ((7, "wau"), (30, "mau")):
            window = days[(days["day"] > day - pd.Timedelta(days=width)) & (days["day"] <= day)]
            assert row[col] == window["user_id"].nunique(), (day, col)
        assert row["uv"] == row["dau"] == days.loc[days["day"] == day, "user_id"].nunique()
    assert out["new_users"].sum() == events["user_id"].nunique()


# ----------------------------------------------------------------------------- revenue drivers
K = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                  "uv": [1000, 1200], "buyers": [50, 54], "gmv": [5000.0, 5940.0]})


def test_revenue_drivers_by_hand():
    out = revenue_drivers(K, "2025-01-01", "2025-02-01", lang="en")
    assert list(out.columns) == ["factor", "factor_label", "base", "compare", "contribution", "share"]
    assert out["factor"].tolist() == ["uv", "cvr", "p"]
    assert out["factor_label"].tolist() == ["Visitors (UV)", "Conversion rate (CVR)", "Revenue per buyer (P)"]
    assert out["base"].tolist() == pytest.approx([1000, 0.05, 100])
    assert out["compare"].tolist() == pytest.approx([1200, 0.045, 110])
    # Shapley: dUV * [(c0 p0 + c1 p1)/3 + (c0 p1 + c1 p0)/6] = 200 * (9.95/3 + 10/6), etc.
    assert out["contribution"].tolist() == pytest.approx([2990 / 3, -1735 / 3, 1565 / 3])
    assert out["contribution"].sum() == pytest.approx(940.0, abs=1e-9)
    assert out["share"].sum() == pytest.approx(1.0)
    assert revenue_drivers(K, "2025-01-01", "2025-02-01", lang="zh")["factor_label"].tolist() == ["访客数UV", "支付转化率CVR", "客单价P"]


def test_revenue_drivers_single_factor_and_zero_base():
    k = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
                      "uv": [100, 100, 0], "buyers": [10, 10, 0], "gmv": [100.0, 150.0, 0.0]})
    out = revenue_drivers(k, "2025-01-01", "2025-02-01")
    assert out["contribution"].tolist() == pytest.approx([0, 0, 50])
    out = revenue_drivers(k, "2025-03-01", "2025-02-01")  # from nothing: UV 0, CVR 0, P 0
    assert out["base"].tolist() == [0, 0, 0]
    assert out["contribution"].sum() == pytest.approx(150.0)
    assert out["contribution"].tolist() == pytest.approx([50, 50, 50])  # symmetric: equal thirds
    same = revenue_drivers(k, "2025-01-01", "2025-01-01")
    assert same["contribution"].tolist() == [0, 0, 0] and same["share"].isna().all()


@settings(max_examples=100, deadline=None)
@given(uv=st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)),
       rate=st.tuples(st.floats(0, 1), st.floats(0, 1)),
       price=st.tuples(st.integers(1, 10**6), st.integers(1, 10**6)))
def test_revenue_drivers_sum_to_the_change(uv, rate, price):
    buyers = [int(u * r) for u, r in zip(uv, rate)]
    gmv = [b * p / 100 for b, p in zip(buyers, price)]
    k = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]), "uv": list(uv), "buyers": buyers, "gmv": gmv})
    out = revenue_drivers(k, "2025-01-01", "2025-02-01")
    change = gmv[1] - gmv[0]
    assert math.isclose(out["contribution"].sum(), change, rel_tol=1e-12, abs_tol=1e-6)


def test_revenue_drivers_on_kpis_output():
    events, orders = random_data()
    k = kpis(events, orders, freq="W")
    out = revenue_drivers(k, "2025-01-06", "2025-01-20")
    rows = k.set_index("period")
    change = rows.loc[ts("2025-01-20"), "gmv"] - rows.loc[ts("2025-01-06"), "gmv"]
    assert out["contribution"].sum() == pytest.approx(change, abs=1e-9)


# ----------------------------------------------------------------------------- errors
def test_kpis_bad_input():
    with pytest.raises(InvalidParameterError, match=r"`freq`='Q'.*Allowed: \['D', 'W', 'M'\]"):
        kpis(EVENTS, ORDERS, freq="Q")
    with pytest.raises(ColumnNotFoundError, match=r"'amt' given as `amount_col`.*Did you mean 'amount'"):
        kpis(EVENTS, ORDERS, amount_col="amt")
    with pytest.raises(ColumnNotFoundError, match=r"'signup_ts' given as `signup_col`"):
        kpis(EVENTS, ORDERS, users=pd.DataFrame({"user_id": [1], "signup": [pd.Timestamp("2025-01-01")]}))
    bad = ORDERS.astype({"amount": object})
    bad.loc[1, "amount"] = "5块"
    with pytest.raises(DataValidationError, match=r"'amount'.*'5块'"):
        kpis(EVENTS, bad)
    with pytest.raises(InvalidParameterError, match="`start`='soon'"):
        kpis(EVENTS, ORDERS, start="soon")


def test_revenue_drivers_bad_input():
    with pytest.raises(InvalidParameterError, match=r"`compare`='2025-03-01' is not a period.*Available: \['2025-01-01', '2025-02-01'\]"):
        revenue_drivers(K, "2025-01-01", "2025-03-01")
    with pytest.raises(ColumnNotFoundError, match=r"'buyers' given as `buyers_col`"):
        revenue_drivers(K.drop(columns="buyers"), "2025-01-01", "2025-02-01")
    with pytest.raises(DataValidationError, match="GMV without buyers"):
        revenue_drivers(K.assign(buyers=[0, 54]), "2025-01-01", "2025-02-01")


# ----------------------------------------------------------------------------- synthetic world
def test_world_totals(small_world):
    w = small_world
    daily = kpis(w.events, w.orders, users=w.users, freq="M")
    assert daily["gmv"].sum() == pytest.approx(w.orders["amount"].sum(), abs=0.01)
    assert daily["orders"].sum() == len(w.orders)
    signed_in_range = w.users["signup_ts"].dt.to_period("M").astype(str).isin(daily["period"].dt.strftime("%Y-%m"))
    assert daily["new_users"].sum() == signed_in_range.sum()
    assert ((daily["cvr"] >= 0) & (daily["cvr"] <= 1)).all()
    assert ((daily["stickiness"] > 0) & (daily["stickiness"] <= 1)).all()
    n = norm(daily)  # plain columns: every KPI is a number, periods are month starts
    assert n["period"].tolist() == sorted(n["period"]) and all(p.day == 1 for p in n["period"])
    assert n[list(KPI_COLUMNS)].dtypes.map(lambda d: d.kind == "f").all()
    assert (n["uv"] >= n["buyers"]).all() and (n["mau"] >= n["dau"]).all()
    assert n["arppu"].to_numpy() == pytest.approx((n["gmv"] / n["buyers"]).to_numpy(), nan_ok=True)
