"""Van Westendorp PSM: curves and crossings worked out by hand, invariances, errors."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplaybook.errors import ColumnNotFoundError, DataValidationError
from opsplaybook.models import van_westendorp


def _survey():
    # four respondents, each with too_cheap < cheap < expensive < too_expensive
    return pd.DataFrame({
        "too_cheap": [1, 2, 3, 4],
        "cheap": [3, 4, 5, 6],
        "expensive": [5, 6, 7, 8],
        "too_expensive": [7, 8, 9, 10],
    })


def test_curves_by_hand():
    res = van_westendorp(_survey(), grid=range(0, 12))
    c = res.curves.set_index("price")
    # too cheap at p = share with too_cheap >= p
    assert c.loc[[1, 2, 3, 4, 5], "too_cheap"].tolist() == [1, 0.75, 0.5, 0.25, 0]
    assert c.loc[[3, 4, 5, 6, 7], "cheap"].tolist() == [1, 0.75, 0.5, 0.25, 0]
    assert c.loc[[3, 4, 5, 6, 7], "not_cheap"].tolist() == [0, 0.25, 0.5, 0.75, 1]
    # expensive at p = share with expensive <= p
    assert c.loc[[4, 5, 6, 7, 8], "expensive"].tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert c.loc[[4, 5, 6, 7, 8], "not_expensive"].tolist() == [1, 0.75, 0.5, 0.25, 0]
    assert c.loc[[6, 7, 8, 9, 10], "too_expensive"].tolist() == [0, 0.25, 0.5, 0.75, 1]


def test_points_by_hand():
    res = van_westendorp(_survey(), grid=range(0, 12))
    # PMC: too_cheap(4) = not_cheap(4) = 0.25
    assert res.pmc == pytest.approx(4)
    # PME: not_expensive(7) = too_expensive(7) = 0.25
    assert res.pme == pytest.approx(7)
    # OPP: too_cheap and too_expensive are both 0 on [5, 6] -> midpoint
    assert res.opp == pytest.approx(5.5)
    # IPP: cheap - expensive goes from +0.25 at 5 to -0.25 at 6 -> 5.5 by interpolation
    assert res.ipp == pytest.approx(5.5)
    assert res.acceptable_range == (pytest.approx(4), pytest.approx(7))
    assert res.points["point"].tolist() == ["pmc", "opp", "ipp", "pme"]
    assert res.n == 4 and res.n_invalid == 0


def test_inconsistent_respondents_dropped_or_kept():
    df = pd.concat([_survey(), pd.DataFrame({"too_cheap": [9], "cheap": [2], "expensive": [5],
                                             "too_expensive": [7]})], ignore_index=True)
    res = van_westendorp(df, grid=range(0, 12))
    assert (res.n, res.n_invalid) == (4, 1)
    assert res.pmc == pytest.approx(4)
    kept = van_westendorp(df, grid=range(0, 12), validate=False)
    assert (kept.n, kept.n_invalid) == (5, 1)


def test_fine_grid_close_to_integer_grid():
    rng = np.random.default_rng(0)
    base = rng.normal(50, 8, 2000)
    df = pd.DataFrame({"too_cheap": base * 0.5, "cheap": base * 0.8, "expensive": base * 1.2,
                       "too_expensive": base * 1.6})
    res = van_westendorp(df)
    assert res.pmc < res.opp < res.pme
    assert res.pmc < res.ipp < res.pme
    # with a common base price b: too_cheap = 0.5b, not_cheap = P(0.8b < p); they meet where
    # P(b >= 2p) = P(b < 1.25p) -> for b ~ N(50, 8) that is p ≈ 2*50/(2+1.25) ≈ 30.8
    assert res.pmc == pytest.approx(100 / 3.25, rel=0.03)


@settings(max_examples=40, deadline=None)
@given(
    shift=st.floats(0, 500),
    scale=st.floats(0.5, 20),
    seed=st.integers(0, 10_000),
)
def test_points_move_with_prices(shift, scale, seed):
    """Scaling and shifting every answer moves every point the same way (default grid)."""
    rng = np.random.default_rng(seed)
    steps = rng.uniform(1, 10, size=(60, 4)).cumsum(axis=1)
    df = pd.DataFrame(steps, columns=["too_cheap", "cheap", "expensive", "too_expensive"])
    a = van_westendorp(df)
    b = van_westendorp(df * scale + shift)
    for p in ("pmc", "pme", "opp", "ipp"):
        assert getattr(b, p) == pytest.approx(getattr(a, p) * scale + shift, rel=1e-6, abs=1e-6)


def test_errors():
    with pytest.raises(ColumnNotFoundError, match="too_expensive_col"):
        van_westendorp(_survey().drop(columns="too_expensive"))
    bad = _survey().astype(object)
    bad.loc[1, "cheap"] = "贵"
    with pytest.raises(DataValidationError, match=r"'cheap'.*'贵'"):
        van_westendorp(bad)
    swapped = _survey().rename(columns={"cheap": "too_cheap", "too_cheap": "cheap"})
    swapped = swapped.assign(cheap=swapped["cheap"] - 10)  # every respondent inconsistent
    with pytest.raises(DataValidationError, match="swapped"):
        van_westendorp(swapped)


# ------------------------------------------------------------------ planted truth
def test_recovers_planted_price_points(small_world):
    res = van_westendorp(small_world.survey_price)
    truth = small_world.truth.price
    assert res.n_invalid == 0 and res.n == len(small_world.survey_price)
    for p in ("pmc", "opp", "ipp", "pme"):
        assert getattr(res, p) == pytest.approx(truth[p], rel=0.05), p
    assert res.pmc < res.opp < res.ipp < res.pme
