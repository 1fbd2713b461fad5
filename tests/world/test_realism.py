"""The synthetic company behaves like a real business: each figure of the realism table in
``datasets/README.md`` is computed with the kit's own analytics on a fresh world and must fall in
its documented range.

Run as a script to print the table for the demo world (the "measured" column of the README):

    python tests/world/test_realism.py            # demo world (datasets/demo)
    python tests/world/test_realism.py short_video 0
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import opsplaybook as ops

# figure -> (low, high, anchor, source). Sources in datasets/README.md ("A world that looks like a
# real business"); "judgement" marks a range chosen without a published figure.
RANGES = {
    "ecommerce": {
        "cart_abandonment": (0.60, 0.80, "≈70 %", "Baymard Institute, average of 49 studies"),
        "session_conversion": (0.01, 0.04, "1–4 %", "e-commerce conversion-rate surveys"),
        "visit_to_view": (0.45, 0.70, "56 %", "retentioneering simple_shop: catalog → product"),
        "view_to_cart": (0.45, 0.75, "63 %", "simple_shop: product → cart"),
        "cart_to_payment": (0.24, 0.50, "34 %", "simple_shop: cart → payment"),
        "buyers_once": (0.40, 0.60, "50.5 %", "CDNOW: buyers with one purchase"),
        "top20_revenue": (0.60, 0.76, "67.8 %", "CDNOW: revenue of the top 20 % of buyers"),
        "gini": (0.55, 0.72, "0.63", "CDNOW: Gini of revenue per buyer"),
        "d1": (0.18, 0.32, "≈25 %", "mobile-app day-1 retention (industry reports)"),
        "d7": (0.06, 0.15, "≈10 %", "mobile-app day-7 retention"),
        "d30": (0.025, 0.08, "≈5 %", "mobile-app day-30 retention"),
        "w1": (0.12, 0.30, "15–25 %", "judgement: calendar week 1, consistent with D1/D7"),
        "ever_buy": (0.12, 0.35, "≈20 %", "judgement: registered users who ever buy in a year"),
    },
    "short_video": {
        "session_conversion": (0.0005, 0.006, "0.1–0.5 %", "judgement: sessions ending in a membership purchase"),
        "d1": (0.30, 0.50, "≈40 %", "short-video apps' next-day retention (judgement from industry reports)"),
        "d7": (0.15, 0.30, "≈20 %", "judgement"),
        "d30": (0.07, 0.18, "≈10 %", "judgement"),
        "w1": (0.25, 0.50, "30–40 %", "judgement: calendar week 1, consistent with D1/D7"),
        "ever_buy": (0.01, 0.06, "a few %", "judgement: registered users who ever buy a membership"),
    },
}

STEPS = {
    "ecommerce": ["visit", "view", "cart", "checkout", "purchase"],
    "short_video": ["app_open", "watch", "like", "member_trial", "member_purchase"],
}


def gini(x) -> float:
    """Gini coefficient of non-negative amounts (0 = all equal, 1 = one takes all)."""
    x = np.sort(np.asarray(x, float))
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def figures(world) -> dict[str, float]:
    """The realism figures of a world, computed with the kit's analytics."""
    preset = world.truth.preset
    steps = STEPS[preset]
    ev, orders, users = world.events, world.orders, world.users
    out = {}
    # per session: one session is the "user" of a funnel without window
    sess = ops.funnel(ev, steps, user_col="session_id", window=None).set_index("step_name")
    out["session_conversion"] = float(sess.loc[steps[-1], "conversion"])
    if preset == "ecommerce":
        carts = ops.funnel(ev, ["cart", "purchase"], user_col="session_id", window=None).set_index("step_name")
        out["cart_abandonment"] = 1 - float(carts.loc["purchase", "step_conversion"])
        # per user, the kit's default funnel: 7 days from the first visit (a history about as short
        # as simple_shop's users', who have a few sessions each)
        fu = ops.funnel(ev, steps).set_index("step_name")["step_conversion"]
        out["visit_to_view"], out["view_to_cart"] = float(fu["view"]), float(fu["cart"])
        out["cart_to_payment"] = float(fu["checkout"] * fu["purchase"])  # paid, of those who carted
        r = ops.rfm(orders)
        out["buyers_once"] = float((r["frequency"] == 1).mean())
        m = np.sort(r["monetary"].to_numpy(float))[::-1]
        out["top20_revenue"] = float(m[: int(np.ceil(0.2 * len(m)))].sum() / m.sum())
        out["gini"] = gini(m)
    daily = ops.retention(ev, period="D", periods=30).mean.set_index("period")["weighted"]
    out["d1"], out["d7"], out["d30"] = float(daily[1]), float(daily[7]), float(daily[30])
    weekly = ops.retention(ev, period="W", periods=4).mean.set_index("period")["weighted"]
    out["w1"] = float(weekly[1])
    out["ever_buy"] = float(orders["user_id"].nunique() / len(users))
    return out


@pytest.fixture(scope="module", params=[("ecommerce", 1), ("short_video", 1)], ids=lambda p: p[0])
def measured(request):
    preset, seed = request.param
    world = ops.generate_world(n_users=5000, seed=seed, preset=preset)
    return preset, figures(world)


def test_each_figure_falls_in_its_documented_range(measured):
    preset, got = measured
    out = {k: (lo, got[k], hi) for k, (lo, hi, *_rest) in RANGES[preset].items() if not lo <= got[k] <= hi}
    assert not out, f"{preset}: outside the documented range (low, measured, high): {out}"


def test_week_and_day_retention_agree(measured):
    """A user back in calendar week 1 came back on some day 1–13: W1 lies between D7 and the sum of
    the daily rates over those days (a loose bound that fails for worlds like W1 = 80 %, D7 = 10 %)."""
    _, got = measured
    assert got["d7"] <= got["w1"] <= 13 * got["d1"]
    assert got["d1"] > got["d7"] > got["d30"]


def test_gini_helper_against_hand_computation():
    assert gini([1, 1, 1, 1]) == 0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)  # (n-1)/n for one taker
    assert gini([1, 2, 3]) == pytest.approx(2 / 9)  # mean abs difference 8/9 / (2 × mean 2)


if __name__ == "__main__":
    import sys

    w = ops.load_demo() if len(sys.argv) < 2 else ops.generate_world(
        n_users=5000, seed=int(sys.argv[2]) if len(sys.argv) > 2 else 0, preset=sys.argv[1])
    got = figures(w)
    for k, (lo, hi, anchor, src) in RANGES[w.truth.preset].items():
        flag = "" if lo <= got[k] <= hi else "   <-- outside"
        print(f"{k:20s} {got[k]:8.4f}   [{lo:g}, {hi:g}]  anchor {anchor:10s} {src}{flag}")
