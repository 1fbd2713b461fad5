"""growth_decomposition() and fractal_growth(): the growth formulas of seed 003, by hand, on every
engine, as invariants (the parts add up to the total sales), on the demo world, and their errors."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import to_pandas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from helpers import norm

from opsplaybook.analytics.growth import GROWTH_MODELS, fractal_growth, growth_decomposition
from opsplaybook.analytics.kpis import kpis
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError


def orders_df(rows, cols=("user_id", "ts", "amount", "category", "seller_id")) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=list(cols))
    df["ts"] = pd.to_datetime(df["ts"], format="ISO8601").astype("datetime64[us]")
    df["user_id"] = df["user_id"].astype("int64")
    df["amount"] = df["amount"].astype("float64")
    if "seller_id" in df:
        df["seller_id"] = df["seller_id"].astype("Int64")
    return df


# user 1: first order in January, buys again in February (a returning 中级 member then)
# user 2: first order in February (new in Feb), twice
# user 3: first order in January, again in January (both new) and in March (returning 入门)
# user 4: not in the users table
ORDERS = orders_df([
    (1, "2025-01-05 10:00", 100.00, "书", 7),
    (3, "2025-01-06 11:00", 10.10, "食品", None),
    (3, "2025-01-20 12:00", 20.20, "书", 7),
    (1, "2025-02-03 09:00", 50.00, "食品", 8),
    (2, "2025-02-10 10:00", 30.00, "书", None),
    (2, "2025-02-11 10:00", 0.05, "书", 8),
    (4, "2025-02-12 08:00", 9.99, "数码", 9),
    (3, "2025-03-01 08:00", 5.00, "食品", None),
])
USERS = pd.DataFrame({
    "user_id": [1, 2, 3, 5],
    "channel": ["抖音", "自然流量", "抖音", "百度"],
    "member_level": ["中级", "入门", "入门", "高级"],
    "city_tier": ["一线", "二线", "二线", "一线"],
})
TOTAL = 225.34


def rows(frame, *cols):
    df = to_pandas(frame)
    return [tuple(None if (isinstance(v, float) and np.isnan(v)) or v is pd.NA else v for v in r)
            for r in df[list(cols)].itertuples(index=False)]


# ----------------------------------------------------------------------------- hand-computed
def test_channel_model_by_hand_user_attribute_joined():
    out = growth_decomposition(ORDERS, model="channel", users=USERS)
    assert list(out.columns) == ["part", "sales", "orders", "buyers", "share"]
    # 抖音: users 1 and 3 = 100 + 50 + 10.10 + 20.20 + 5 = 185.30; 自然流量: user 2 = 30.05;
    # user 4 is not in the users table: a missing part, listed last
    assert rows(out, "part", "sales", "orders", "buyers") == [
        ("抖音", 185.30, 5, 2), ("自然流量", 30.05, 2, 1), (None, 9.99, 1, 1)]
    assert out["share"].tolist() == pytest.approx([185.30 / TOTAL, 30.05 / TOTAL, 9.99 / TOTAL])
    assert round(out["sales"].sum(), 2) == TOTAL


def test_product_model_by_hand_per_month():
    out = growth_decomposition(ORDERS, model="product", period="M")
    assert rows(out, "period", "part", "sales", "orders", "buyers") == [
        (pd.Timestamp("2025-01-01"), "书", 120.20, 2, 2),
        (pd.Timestamp("2025-01-01"), "食品", 10.10, 1, 1),
        (pd.Timestamp("2025-02-01"), "食品", 50.00, 1, 1),
        (pd.Timestamp("2025-02-01"), "书", 30.05, 2, 1),
        (pd.Timestamp("2025-02-01"), "数码", 9.99, 1, 1),
        (pd.Timestamp("2025-03-01"), "食品", 5.00, 1, 1),
    ]
    feb = out[out["period"] == pd.Timestamp("2025-02-01")]
    assert feb["share"].sum() == pytest.approx(1.0)
    assert feb["share"].iloc[0] == pytest.approx(50.00 / 90.04)


def test_tier_model_new_customers_by_period():
    out = growth_decomposition(ORDERS, model="tier", users=USERS, period="M", lang="zh")
    assert rows(out, "period", "part", "sales", "orders", "buyers") == [
        # January: users 1 and 3 buy for the first time -> all their January orders are 新客
        (pd.Timestamp("2025-01-01"), "新客", 130.30, 3, 2),
        # February: user 2 and user 4 are new; user 1 is a returning 中级 member
        (pd.Timestamp("2025-02-01"), "新客", 40.04, 3, 2),
        (pd.Timestamp("2025-02-01"), "中级", 50.00, 1, 1),
        # March: user 3 returns (入门)
        (pd.Timestamp("2025-03-01"), "入门", 5.00, 1, 1),
    ]


def test_tier_model_without_period_counts_first_orders_as_new():
    out = growth_decomposition(ORDERS, model="tier", users=USERS, lang="en",
                               tier_order=["入门", "初级", "中级", "高级"])
    # first orders: 100 (u1), 10.10 (u3), 30.00 (u2), 9.99 (u4) = 150.09
    # later: u3 20.20 + 5 = 25.20 (入门), u1 50 (中级), u2 0.05 (入门) -> 入门 25.25
    assert rows(out, "part", "sales", "orders", "buyers") == [
        ("New customers", 150.09, 4, 4), ("入门", 25.25, 3, 2), ("中级", 50.00, 1, 1)]
    # without tier_order: by sales, largest first (new customers still first)
    default = growth_decomposition(ORDERS, model="tier", users=USERS, lang="en")
    assert rows(default, "part") == [("New customers",), ("中级",), ("入门",)]


def test_fractal_parts_are_sellers_and_the_product_form():
    parts = growth_decomposition(ORDERS, model="fractal")
    assert rows(parts, "part", "sales", "orders") == [(7, 120.20, 2), (8, 50.05, 2), (9, 9.99, 1), (None, 45.10, 3)]
    f = fractal_growth(ORDERS)
    assert list(f.columns) == ["sellers", "sales_per_seller", "seller_sales", "self_serve_sales", "sales", "seller_share"]
    r = f.iloc[0]
    assert (r.sellers, r.seller_sales, r.self_serve_sales, r.sales) == (3, 180.24, 45.10, TOTAL)
    assert r.sales_per_seller == pytest.approx(180.24 / 3)
    assert r.sellers * r.sales_per_seller == pytest.approx(r.seller_sales)
    assert r.seller_share == pytest.approx(180.24 / TOTAL)


def test_fractal_growth_per_month_and_by_user_attribute():
    f = fractal_growth(ORDERS, period="M").set_index("period")
    assert f["sellers"].tolist() == [1, 2, 0]  # Jan: 7; Feb: 8, 9; Mar: self-serve only
    assert f["seller_sales"].tolist() == [120.20, 60.04, 0.0]
    assert f["self_serve_sales"].tolist() == [10.10, 30.00, 5.00]
    assert np.isnan(f.loc[pd.Timestamp("2025-03-01"), "sales_per_seller"])  # no seller: no mean
    by = fractal_growth(ORDERS, users=USERS, by="city_tier")
    assert rows(by, "city_tier", "sellers", "seller_sales") == [("一线", 2, 150.00), ("二线", 2, 20.25), (None, 1, 9.99)]


def test_by_breakdown_and_weekly_periods():
    out = growth_decomposition(ORDERS, model="channel", users=USERS, by="city_tier", period="W")
    assert list(out.columns) == ["period", "city_tier", "part", "sales", "orders", "buyers", "share"]
    # week of Monday 2025-02-10: user 2 (二线, 自然流量) and user 4 (no user row)
    wk = out[out["period"] == pd.Timestamp("2025-02-10")]
    assert rows(wk, "city_tier", "part", "sales") == [("二线", "自然流量", 30.05), (None, None, 9.99)]
    assert wk["share"].tolist() == [1.0, 1.0]  # each (period, by) group sums to 1


def test_part_column_in_orders_is_used_without_users():
    orders = ORDERS.assign(channel=["a", "b", "b", "a", "a", "a", "b", "b"])
    out = growth_decomposition(orders, model="channel", users=USERS)  # orders' own column wins
    assert rows(out, "part", "sales") == [("a", 180.05), ("b", 45.29)]


# ----------------------------------------------------------------------------- engines
@pytest.mark.parametrize("model", GROWTH_MODELS)
def test_same_result_on_every_engine(constructor, model):
    users = USERS if model in ("channel", "tier") else None
    expected = growth_decomposition(ORDERS, model=model, users=users, period="M", lang="zh")
    got = growth_decomposition(constructor(ORDERS), model=model,
                               users=constructor(users) if users is not None else None, period="M", lang="zh")
    a = norm(expected).sort_values(["period", "sales"]).reset_index(drop=True)
    b = norm(got).sort_values(["period", "sales"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_fractal_growth_on_every_engine(constructor):
    expected = norm(fractal_growth(ORDERS, period="M"))
    got = norm(fractal_growth(constructor(ORDERS), period="M")).sort_values("period").reset_index(drop=True)
    pd.testing.assert_frame_equal(expected, got, check_dtype=False)


# ----------------------------------------------------------------------------- invariants
order_rows = st.lists(
    st.tuples(
        st.integers(1, 6),                                  # user
        st.integers(0, 120),                                # day of 2025
        st.floats(0, 500, allow_nan=False).map(lambda x: round(x, 3)),  # amount (sub-cent on purpose)
        st.sampled_from(["a", "b", "c"]),                   # category
        st.one_of(st.none(), st.integers(1, 4)),            # seller
    ),
    min_size=1, max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order_rows, st.sampled_from(GROWTH_MODELS), st.sampled_from([None, "W", "M"]))
def test_parts_add_up_exactly_to_total_sales(data, model, period):
    orders = orders_df([(u, str(pd.Timestamp("2025-01-01") + pd.Timedelta(days=d)), a, c, s)
                        for u, d, a, c, s in data])
    users = pd.DataFrame({"user_id": range(1, 7), "channel": list("xyzxyz"), "member_level": list("LLMMHH")})
    out = growth_decomposition(orders, model=model, users=users, period=period)
    cents = (orders["amount"] * 100).round().astype("int64")
    # the parts' cents add up to the total cents, per period and overall
    assert int((out["sales"] * 100).round().astype("int64").sum()) == int(cents.sum())
    assert out["orders"].sum() == len(orders)
    if period is not None:
        k = kpis(orders.assign(event="x")[["user_id", "ts", "event"]], orders, freq=period)
        if period == "M":
            by_period = out.groupby("period")["sales"].sum().round(2)
            assert by_period.tolist() == pytest.approx(k.set_index("period")["gmv"].reindex(by_period.index).tolist())
        assert np.allclose(out.groupby("period")["share"].sum(), 1.0) or (cents == 0).any()
    if model == "tier":
        new = out[out["part"] == "新客"]
        # each buyer is new exactly once: in the period of their first order (or at their first order)
        assert new["buyers"].sum() == orders["user_id"].nunique()
    f = fractal_growth(orders, period=period)
    assert np.allclose(f["seller_sales"] + f["self_serve_sales"], f["sales"])
    has = f["sellers"] > 0
    assert np.allclose(f.loc[has, "sellers"] * f.loc[has, "sales_per_seller"], f.loc[has, "seller_sales"])


# ----------------------------------------------------------------------------- the demo world
def test_demo_world_channel_product_tier_sum_to_gmv(demo_world):
    w = demo_world
    gmv = round(float((w.orders["amount"] * 100).round().sum()) / 100, 2)
    for model in ("channel", "product", "tier"):
        out = growth_decomposition(w.orders, model=model, users=w.users)
        assert round(out["sales"].sum(), 2) == pytest.approx(gmv, abs=0.005)
        assert out["share"].sum() == pytest.approx(1.0)
    ch = growth_decomposition(w.orders, model="channel", users=w.users).set_index("part")
    # cross-check against a from-scratch pandas version of the channel model
    hand = w.orders.merge(w.users[["user_id", "channel"]], on="user_id").groupby("channel")["amount"].sum()
    assert ch["sales"].reindex(hand.index).to_numpy() == pytest.approx(hand.to_numpy(), abs=0.01)
    # the fraudulent channel brings sign-ups and no later activity: no sales part of its own
    assert w.truth.fraud_channel not in set(ch.index)
    tier = growth_decomposition(w.orders, model="tier", users=w.users, period="M")
    new = tier[tier["part"] == "新客"]
    first_month = w.orders.groupby("user_id")["ts"].min().dt.to_period("M").value_counts().sort_index()
    assert new.set_index(new["period"].dt.to_period("M"))["buyers"].sort_index().tolist() == first_month.tolist()


# ----------------------------------------------------------------------------- errors
def test_errors_name_the_parameter_and_suggest():
    with pytest.raises(InvalidParameterError, match="S = UV × CVR × P.*ops.kpis"):
        growth_decomposition(ORDERS, model="funnel")
    with pytest.raises(InvalidParameterError, match=r"`model`='chanel'.*Did you mean 'channel'"):
        growth_decomposition(ORDERS, model="chanel")
    with pytest.raises(ColumnNotFoundError, match=r"'channel' given as `channel_col` is not in `orders`.*users=world.users"):
        growth_decomposition(ORDERS, model="channel")
    with pytest.raises(ColumnNotFoundError, match=r"'level' given as `tier_col` is in neither.*Did you mean 'member_level'"):
        growth_decomposition(ORDERS, model="tier", users=USERS, tier_col="level")
    with pytest.raises(ColumnNotFoundError, match=r"`amount_col`"):
        growth_decomposition(ORDERS.rename(columns={"amount": "paid"}), model="product")
    with pytest.raises(InvalidParameterError, match=r"`period`='Q'"):
        growth_decomposition(ORDERS, model="product", period="Q")
    with pytest.raises(InvalidParameterError, match=r"`by` contains 'category'"):
        growth_decomposition(ORDERS, model="product", by="category")
    with pytest.raises(InvalidParameterError, match=r"`lang`='fr'"):
        growth_decomposition(ORDERS, model="tier", users=USERS, lang="fr")
    with pytest.raises(ColumnNotFoundError, match=r"'seller' given as `seller_col`.*Did you mean 'seller_id'"):
        fractal_growth(ORDERS, seller_col="seller")
    with pytest.raises(InvalidParameterError, match=r"must be a pandas, Polars"):
        growth_decomposition([1, 2, 3], model="product")


def test_input_is_not_modified():
    before = ORDERS.copy()
    users_before = USERS.copy()
    growth_decomposition(ORDERS, model="tier", users=USERS, period="M")
    fractal_growth(ORDERS, period="W", users=USERS, by="city_tier")
    pd.testing.assert_frame_equal(ORDERS, before)
    pd.testing.assert_frame_equal(USERS, users_before)


# ----------------------------------------------------------------------------- KPI tree
from opsplaybook.analytics.growth import kpi_tree  # noqa: E402

K = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
                  "uv": [1000, 1200, 0], "buyers": [50, 54, 0], "orders": [60, 81, 0], "gmv": [5000.0, 5940.0, 0.0]})


def test_kpi_tree_by_hand_every_parent_is_the_product_of_its_children():
    t = kpi_tree(K, period="2025-02-01", lang="zh").set_index("node")
    assert list(t.index) == ["gmv", "buyers", "uv", "cvr", "p", "orders_per_buyer", "aov"]
    assert t.loc["uv", "parent"] == "buyers" and t.loc["buyers", "parent"] == "gmv"
    assert t.loc["aov", "parent"] == "p" and pd.isna(t.loc["gmv", "parent"])
    v = t["value"]
    assert (v["buyers"], v["uv"], v["cvr"], v["p"], v["orders_per_buyer"]) == (54, 1200, 0.045, 110.0, 1.5)
    assert v["aov"] == pytest.approx(5940 / 81)
    assert v["buyers"] * v["p"] == pytest.approx(v["gmv"])
    assert v["uv"] * v["cvr"] == pytest.approx(v["buyers"])
    assert v["uv"] * v["cvr"] * v["p"] == pytest.approx(v["gmv"])
    assert v["orders_per_buyer"] * v["aov"] == pytest.approx(v["p"])
    # default base: the period before; change = value / base - 1
    assert t.loc["gmv", "base"] == 5000.0 and t.loc["gmv", "change"] == pytest.approx(0.188)
    assert t.loc["cvr", "change"] == pytest.approx(0.045 / 0.05 - 1)
    assert t.loc["gmv", "label"] == "销售额GMV" and t.loc["aov", "label"] == "笔单价"
    assert (t["base_period"] == pd.Timestamp("2025-01-01")).all()


def test_kpi_tree_defaults_explicit_base_and_empty_periods():
    last = kpi_tree(K, lang="en").set_index("node")  # default: the last period (no buyers)
    assert last.loc["gmv", "value"] == 0.0 and np.isnan(last.loc["cvr", "value"])  # 0 UV: no rate
    assert last.loc["gmv", "change"] == -1.0
    first = kpi_tree(K, period="2025-01-01").set_index("node")  # no period before: no base
    assert first["base"].isna().all() and first["change"].isna().all()
    explicit = kpi_tree(K, period="2025-02-01", base="2025-01-01")
    assert explicit["change"].tolist() == kpi_tree(K, period="2025-02-01")["change"].tolist()


def test_kpi_tree_on_the_demo_world_matches_kpis(demo_world):
    w = demo_world
    k = kpis(w.events, w.orders, freq="M", users=w.users)
    t = kpi_tree(k, period="2025-11-01").set_index("node")
    nov = k.set_index("period").loc[pd.Timestamp("2025-11-01")]
    assert t.loc["gmv", "value"] == nov["gmv"] and t.loc["uv", "value"] == nov["uv"]
    assert t.loc["cvr", "value"] == pytest.approx(nov["cvr"]) and t.loc["p", "value"] == pytest.approx(nov["arppu"])


def test_kpi_tree_errors():
    with pytest.raises(InvalidParameterError, match=r"`period`='2024-01-01' is not a period.*2025-01-01"):
        kpi_tree(K, period="2024-01-01")
    with pytest.raises(InvalidParameterError, match=r"`base`='2025-05'"):
        kpi_tree(K, base="2025-05")
    with pytest.raises(ColumnNotFoundError, match=r"`orders_col`"):
        kpi_tree(K.drop(columns="orders"))
    with pytest.raises(InvalidParameterError, match="no rows"):
        kpi_tree(K.iloc[:0])


# ----------------------------------------------------------------------------- changes between periods
from opsplaybook.analytics.growth import fractal_drivers, growth_change  # noqa: E402


def test_growth_change_by_hand_parts_missing_in_one_period_count_zero():
    d = growth_decomposition(ORDERS, model="product", period="M")
    ch = growth_change(d, "2025-01-01", "2025-02-01")
    # Jan: 书 120.20, 食品 10.10; Feb: 食品 50.00, 书 30.05, 数码 9.99 (new in Feb)
    assert rows(ch, "part", "base", "compare", "change") == [
        ("食品", 10.10, 50.00, 39.90), ("数码", 0.0, 9.99, 9.99), ("书", 120.20, 30.05, -90.15)]
    total = 90.04 - 130.30
    assert ch["change"].sum() == pytest.approx(total)
    assert ch["share"].tolist() == pytest.approx([39.90 / total, 9.99 / total, -90.15 / total])
    assert ch["share"].sum() == pytest.approx(1.0)


def test_growth_change_missing_part_and_errors():
    d = growth_decomposition(ORDERS, model="channel", users=USERS, period="M")
    ch = growth_change(d, "2025-01-01", "2025-02-01")
    assert ch["part"].isna().sum() == 1  # user 4's order (no user row) is a part of its own
    assert round(ch["change"].sum(), 2) == round(90.04 - 130.30, 2)
    with pytest.raises(InvalidParameterError, match=r"`compare`='2025-05-01' is not a period.*period='M'"):
        growth_change(d, "2025-01-01", "2025-05-01")
    with pytest.raises(ColumnNotFoundError, match="period_col"):
        growth_change(growth_decomposition(ORDERS, model="product"), "2025-01-01", "2025-02-01")


def test_fractal_drivers_shapley_by_hand_and_exact_sum():
    f = fractal_growth(ORDERS, period="M")
    d = fractal_drivers(f, "2025-01-01", "2025-02-01", lang="zh").set_index("factor")
    # Jan: N=1, s=120.20; Feb: N=2, s=30.02 (60.04 / 2)
    assert d.loc["sellers", "contribution"] == pytest.approx(1 * (120.20 + 30.02) / 2)
    assert d.loc["sales_per_seller", "contribution"] == pytest.approx((30.02 - 120.20) * (1 + 2) / 2)
    assert d["contribution"].sum() == pytest.approx(60.04 - 120.20)
    assert d["share"].sum() == pytest.approx(1.0)
    assert d.loc["sellers", "factor_label"] == "销售人员数N"
    with pytest.raises(InvalidParameterError, match=r"`base`='2024-12-01'"):
        fractal_drivers(f, "2024-12-01", "2025-02-01")


# ------------------------------------------------- what the Module 0 notebook says about the demo world
def test_demo_world_supports_what_module0_says(demo_world):
    """The teaching notebook's prose describes these facts of the demo world; if a recalibration of
    the world breaks one, the prose must be rewritten (workbook/00-synthetic-company.py)."""
    from opsplaybook.analytics.kpis import revenue_drivers

    w = demo_world
    monthly = kpis(w.events, w.orders, freq="M", users=w.users).set_index("period")
    # "GMV grows over the year and jumps in November"
    gmv = monthly["gmv"]
    assert gmv.idxmax() == pd.Timestamp("2025-11-01") and gmv.iloc[-1] > gmv.iloc[0]
    # October -> November: conversion contributes most, visitors least
    d = revenue_drivers(monthly.reset_index(), "2025-10-01", "2025-11-01").set_index("factor")
    assert d["contribution"].idxmax() == "cvr"
    assert d["contribution"].abs().idxmin() == "uv"
    # the category with the largest sales is not the one with the most orders
    product = growth_decomposition(w.orders, model="product")
    assert product.loc[product["sales"].idxmax(), "part"] != product.loc[product["orders"].idxmax(), "part"]
    # the one acquisition channel without buyers is the planted fraud channel
    channel = growth_decomposition(w.orders, model="channel", users=w.users)
    assert set(w.users["channel"]) - set(channel["part"]) == {w.truth.fraud_channel}
    # new customers: all of January's sales, a much smaller share at the end of the year
    tier = growth_decomposition(w.orders, model="tier", users=w.users, period="M", lang="en")
    new = tier[tier["part"] == "New customers"].set_index("period")["share"]
    assert new.iloc[0] == 1.0 and new.iloc[-3:].max() < 0.7
    # the company's own sellers: N x S_per_seller per month equals a by-hand count, and the top fifth
    # of the year's sellers bring "a large part" of the seller sales (the pyramid)
    f = fractal_growth(w.orders, period="M").set_index("period")
    sold = w.orders.dropna(subset=["seller_id"])
    hand = sold.groupby([sold["ts"].dt.to_period("M").dt.start_time, "seller_id"])["amount"].sum()
    assert f["sellers"].tolist() == hand.groupby(level=0).size().tolist()
    assert np.allclose(f["seller_sales"], hand.groupby(level=0).sum().round(2))
    sellers = growth_decomposition(w.orders, model="fractal").dropna(subset=["part"])
    top = sellers.head(max(1, len(sellers) // 5))
    assert top["sales"].sum() / sellers["sales"].sum() > 0.3
    # the campaign days (1-11 November) sell clearly more per day than the week after
    gmv_day = kpis(w.events, w.orders, freq="D").set_index("period")["gmv"]
    assert gmv_day["2025-11-01":"2025-11-11"].mean() > 1.3 * gmv_day["2025-11-12":"2025-11-18"].mean()
