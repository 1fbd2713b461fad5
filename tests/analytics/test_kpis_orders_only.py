"""kpis(None, orders): the sales KPIs from orders alone, equal to the full call's; traffic KPIs missing."""
from __future__ import annotations

import pandas as pd
import pytest
from helpers import norm

import opsplaybook as ops
from opsplaybook.errors import InvalidParameterError

SALES = ["period", "buyers", "orders", "gmv", "arppu", "repeat_rate"]


def test_orders_only_equals_the_sales_part_of_the_full_call(small_world, constructor):
    full = norm(ops.kpis(small_world.events, small_world.orders, freq="W"))
    alone = norm(ops.kpis(None, constructor(small_world.orders), freq="W"))
    merged = full[SALES].merge(alone[SALES], on="period", suffixes=("", "_o"))
    assert len(merged) == len(alone) == len(full.loc[full.orders > 0])
    for c in SALES[1:]:
        pd.testing.assert_series_equal(merged[c], merged[f"{c}_o"], check_names=False)
    assert alone[["uv", "dau", "wau", "mau", "stickiness", "cvr", "arpu"]].isna().all().all()


def test_new_users_are_first_time_buyers_without_a_users_table():
    orders = pd.DataFrame({"user_id": [1, 1, 2, 3], "amount": [5.0, 6.0, 7.0, 8.0],
                           "ts": pd.to_datetime(["2025-01-03", "2025-02-01", "2025-02-09", "2025-03-01"])})
    k = ops.kpis(None, orders, freq="M")
    assert k.new_users.tolist() == [1, 1, 1] and k.buyers.tolist() == [1, 2, 1]
    assert k.gmv.tolist() == [5.0, 13.0, 8.0] and k.repeat_rate.tolist() == [0.0, 0.0, 0.0]


def test_orders_are_needed():
    with pytest.raises(InvalidParameterError, match="kpis needs `orders`"):
        ops.kpis(pd.DataFrame({"user_id": [1], "ts": pd.to_datetime(["2025-01-01"])}), None)
