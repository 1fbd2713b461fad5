"""Issue 9's teaching traps in the analytics: refunds, and en11's unreachable segments."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

import opsplaybook as ops
from opsplaybook.analytics.rfm import EN11_GRID_RULES, EN11_RULES, unreachable_en11
from opsplaybook.errors import InvalidParameterError

EVENTS = pd.DataFrame({"user_id": [1, 2, 3], "ts": pd.to_datetime(["2025-01-01 09:00"] * 3), "event": "visit"})
ORDERS = pd.DataFrame({
    "user_id": [1, 1, 2, 3],
    "ts": pd.to_datetime(["2025-01-01 10:00", "2025-01-01 11:00", "2025-01-01 12:00", "2025-01-01 13:00"]),
    "amount": [100.0, -100.0, 30.0, -5.0],  # user 1 bought and got refunded; user 3 only a refund
})


def test_refunds_are_not_orders_by_default():
    k = ops.kpis(EVENTS, ORDERS)
    assert k[["buyers", "orders", "gmv"]].iloc[0].tolist() == [2, 2, 130.0]
    assert k["repeat_rate"].iloc[0] == 0.0
    raw = ops.kpis(EVENTS, ORDERS, exclude_refunds=False)
    assert raw[["buyers", "orders", "gmv"]].iloc[0].tolist() == [3, 4, 25.0]
    only = ops.kpis(None, ORDERS)
    assert only[["buyers", "orders", "gmv"]].iloc[0].tolist() == [2, 2, 130.0]


def test_rfm_leaves_refunds_out_by_default():
    r = ops.rfm(ORDERS, lang="en")
    assert r["user_id"].tolist() == [1, 2]
    assert r["frequency"].tolist() == [1, 1] and r["monetary"].tolist() == [100.0, 30.0]
    raw = ops.rfm(ORDERS, lang="en", exclude_refunds=False)
    assert raw["user_id"].tolist() == [1, 2, 3] and raw["monetary"].tolist() == [0.0, 30.0, -5.0]
    with pytest.raises(InvalidParameterError, match="`exclude_refunds`='yes'"):
        ops.rfm(ORDERS, exclude_refunds="yes")


def _all_cells():
    return [(r, f, m) for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)]


def test_unreachable_segments_are_found_by_brute_force():
    # the documented facts of the rfm R package's ranges
    assert unreachable_en11("first") == ["new", "promising", "cant_lose", "lost"]
    assert unreachable_en11("last") == ["champions", "hibernating"]
    # the grid variant: every score combination in exactly one rule, every segment reachable
    for cell in _all_cells():
        hits = [k for k, (r0, r1), (f0, f1), (m0, m1) in EN11_GRID_RULES
                if r0 <= cell[0] <= r1 and f0 <= cell[1] <= f1 and m0 <= cell[2] <= m1]
        assert len(hits) == 1, (cell, hits)
    assert {k for k, *_ in EN11_GRID_RULES} == {k for k, *_ in EN11_RULES}


def _orders_for_every_score(n_users=250):
    """Buyers whose R, F, M values spread over all quintiles independently."""
    rows = []
    for u in range(n_users):
        recency_days = (u * 7) % 250
        freq = 1 + (u * 3) % 11
        for j in range(freq):
            rows.append((u, pd.Timestamp("2025-12-31") - pd.Timedelta(days=recency_days + 3 * j),
                         float(10 + (u * 13) % 97)))
    return pd.DataFrame(rows, columns=["user_id", "ts", "amount"])


def test_en11_warns_naming_the_unreachable_segments_and_grid_does_not():
    od = _orders_for_every_score()
    with pytest.warns(UserWarning, match=r"\['new', 'promising', 'cant_lose', 'lost'\] can never be assigned"):
        first = ops.rfm(od, scheme="en11", lang="en")
    assert not set(first["segment_key"]) & {"new", "promising", "cant_lose", "lost"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = ops.rfm(od, scheme="en11", rule_order="grid", lang="en")
    assert "others" not in set(grid["segment_key"])
    # every buyer's grid segment is the one cell of the R x F map its scores fall in
    for r, f, key in grid[["r_score", "f_score", "segment_key"]].itertuples(index=False):
        (want,) = [k for k, (r0, r1), (f0, f1), _ in EN11_GRID_RULES if r0 <= r <= r1 and f0 <= f <= f1]
        assert key == want
    assert len(set(grid["segment_key"])) >= 9
