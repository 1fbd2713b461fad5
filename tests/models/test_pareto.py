"""pareto(): the 80/20 rule, long tail and Gini, against hand computation and invariants."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError
from opsplaybook.models.pareto import pareto


def test_hand_computed():
    r = pareto([50, 30, 10, 5, 5])
    # sorted desc 50 30 10 5 5, total 100: top 20 % = the first user = 50 %
    assert r.top_share == pytest.approx(0.5)
    assert r.tail_value_share == pytest.approx(0.5)
    # cumulative 0.5, 0.8 → 80 % of value from 2 of 5 users
    assert r.head_share == pytest.approx(0.4)
    # Gini: asc 5 5 10 30 50; 2*(1*5+2*5+3*10+4*30+5*50)/(5*100) - 6/5 = 1.66 - 1.2
    assert r.gini == pytest.approx(0.46)
    assert r.curve.iloc[-1].tolist() == [1.0, 1.0] and r.curve.iloc[0].tolist() == [0.0, 0.0]


def test_fractional_head_is_linear_between_users():
    r = pareto([6, 3, 1], top=0.5)  # top 1.5 users = 6 + 0.5*3 = 7.5 of 10
    assert r.top_share == pytest.approx(0.75)
    r = pareto([6, 3, 1], value_share=0.75)
    assert r.head_share == pytest.approx(1.5 / 3)


def test_frame_input_sums_per_user_and_zero_users_count():
    orders = pd.DataFrame({"user_id": ["a", "a", "b", "c"], "amount": [10.0, 30.0, 10.0, 0.0]})
    r = pareto(orders)
    assert r.n == 3  # c bought for 0 and is still a unit
    assert r.top_share == pytest.approx(0.6 * 40 / 50)  # the top 20 % of 3 users is 0.6 of user a
    # head: 80 % of 50 = 40 is reached exactly by a alone → 1/3 of users, despite c's flat segment
    assert r.head_share == pytest.approx(1 / 3)


def test_equal_and_one_has_all():
    assert pareto([5] * 10).gini == pytest.approx(0.0)
    assert pareto([5] * 10).top_share == pytest.approx(0.2)
    r = pareto([0] * 9 + [7])
    assert r.gini == pytest.approx(0.9)  # (n-1)/n
    assert r.top_share == pytest.approx(1.0)


def test_errors():
    with pytest.raises(DataValidationError, match="negative total"):
        pareto([3, -1])
    with pytest.raises(InvalidParameterError, match="All values are 0"):
        pareto([0, 0])
    with pytest.raises(InvalidParameterError, match="`top`=1.5"):
        pareto([1, 2], top=1.5)
    with pytest.raises(ColumnNotFoundError, match="Did you mean 'amount'"):
        pareto(pd.DataFrame({"user_id": [1], "amount": [1.0]}), value_col="amout")
    with pytest.raises(DataValidationError, match="not numbers"):
        pareto(["a", 1])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60).filter(lambda v: sum(v) > 0),
       st.floats(0.01, 0.99))
def test_invariants(values, top):
    r = pareto(values, top=top)
    x = np.sort(np.asarray(values))
    n = len(x)
    # Gini equals the mean absolute difference formula
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * x.mean())
    assert r.gini == pytest.approx(mad, abs=1e-9)
    assert top - 1e-9 <= r.top_share <= 1 + 1e-9  # the head brings at least its own share
    assert 0 < r.head_share <= r.value_share + 1e-9
    assert np.all(np.diff(r.curve.share_value) >= -1e-12)
