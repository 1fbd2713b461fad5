"""tier_users / tier_summary / segment_assessment against hand computation and invariants."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError
from opsplaybook.models.segments import segment_assessment, tier_summary, tier_users

F = pd.DataFrame({"user_id": list("abcdefghij"), "monetary": [5000, 2000, 900, 800, 300, 200, 100, 50, 0, np.nan]})


def test_default_pyramid_and_labels():
    t = tier_users(F, lang="zh")
    # 10 users, 5/15/30/50 %: 0.5 user at the top → the best user; 0.5..2 → next 1.5 …
    assert t.set_index("user_id").tier.astype(str).to_dict() == {
        "a": "vip", "b": "high", "c": "middle", "d": "middle", "e": "middle",
        "f": "base", "g": "base", "h": "base", "i": "base", "j": "base"}
    assert t.tier_label.iloc[0] == "VIP用户（塔尖）" and tier_users(F, lang="en").tier_label.iloc[0].startswith("VIP")
    assert list(t.tier.cat.categories) == ["vip", "high", "middle", "base"]


def test_ties_share_the_better_level():
    f = pd.DataFrame({"user_id": range(6), "m": [9, 5, 5, 5, 1, 1]})
    t = tier_users(f, by="m", shares={"top": 0.5, "rest": 0.5})
    assert t.tier.astype(str).tolist() == ["top", "top", "top", "top", "rest", "rest"]


def test_users_without_value_are_the_base_however_many():
    # 8 of 10 never bought: by rank alone the tie at 0 would lift them all into the middle level
    f = pd.DataFrame({"user_id": range(10), "monetary": [900, 300] + [0] * 7 + [np.nan]})
    t = tier_users(f)
    assert t.tier.astype(str).tolist() == ["vip", "high"] + ["base"] * 8
    assert tier_summary(t).loc["base", "users"] == 8 and tier_summary(t).loc["middle", "users"] == 0
    g = pd.DataFrame({"user_id": range(4), "m": [-5.0, 0.0, 3.0, 3.0]})  # all refunded counts as no value
    assert tier_users(g, by="m", shares={"top": 0.75, "rest": 0.25}).tier.astype(str).tolist() == ["rest", "rest", "top", "top"]


def test_cuts_bottom_to_top():
    f = pd.DataFrame({"user_id": range(6), "points": [0, 99, 100, 999, 1000, 50000]})
    t = tier_users(f, by="points", cuts=[100, 1000, 5000], levels=["入门", "初级", "中级", "高级"])
    assert t.tier.astype(str).tolist() == ["入门", "入门", "初级", "初级", "中级", "高级"]
    assert t.tier_rank.tolist() == [3, 3, 2, 2, 1, 0]
    s = tier_summary(t)
    assert s.users.tolist() == [1, 1, 2, 2] and s.value.sum() == 52198
    assert s.loc["高级", "value_share"] == pytest.approx(50000 / 52198)


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(shares={"a": 0.5, "b": 0.4}), InvalidParameterError, "add up to 0.9, not 1"),
    (dict(shares={"a": 1.0, "b": 0}), InvalidParameterError, "share > 0"),
    (dict(cuts=[10, 5]), InvalidParameterError, "ascending distinct"),
    (dict(cuts=[10], levels=["x"]), InvalidParameterError, "1 cuts make 2 levels"),
    (dict(cuts=[10], shares={"a": 1.0}), InvalidParameterError, "not both"),
    (dict(by="monetery"), ColumnNotFoundError, "Did you mean 'monetary'"),
])
def test_tier_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        tier_users(F, **kwargs)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=80),
       st.lists(st.integers(1, 10), min_size=1, max_size=5))
def test_every_user_in_exactly_one_level_and_levels_ordered(values, weights):
    shares = {f"l{i}": w / sum(weights) for i, w in enumerate(weights)}
    shares[list(shares)[-1]] += 1 - sum(shares.values())
    f = pd.DataFrame({"user_id": range(len(values)), "v": values})
    t = tier_users(f, by="v", shares=shares)
    assert len(t) == len(values) and t.tier.notna().all()
    # a better level never holds a smaller value than a worse one
    by_rank = t.groupby("tier_rank").v.agg(["min", "max"]).sort_index()
    assert (by_rank["min"].to_numpy()[:-1] >= by_rank["max"].to_numpy()[1:]).all()
    # equal values share a level
    assert (t.groupby("v").tier_rank.nunique() == 1).all()


def test_segment_assessment_by_hand():
    before = pd.DataFrame({"user_id": [1, 2, 3, 4, 5], "segment": ["A", "A", "B", "B", "B"]})
    after = pd.DataFrame({"user_id": [1, 2, 3, 4, 6, 7], "segment": ["A", "B", "B", "A", "A", "B"],
                          "monetary": [100.0, 50.0, 30.0, 20.0, 0.0, 10.0], "frequency": [5, 2, 1, 1, 0, 1]})
    r = segment_assessment(before, after)
    m = r.mobility
    assert m.loc["A"].to_dict() == {"A": 1, "B": 1, "(gone)": 0}
    assert m.loc["B"].to_dict() == {"A": 1, "B": 1, "(gone)": 1}
    assert m.loc["(new)"].to_dict() == {"A": 1, "B": 1, "(gone)": 0}
    t = r.table
    assert t.loc["A"].users == 3 and t.loc["A"].users_before == 2 and t.loc["A"].growth == pytest.approx(0.5)
    assert t.loc["B"].stay_rate == pytest.approx(1 / 3) and t.loc["B"].inflow == 2
    assert t.loc["A"].value_share == pytest.approx(120 / 210) and t.index[0] == "A"
    assert t.loc["A"].need_volume == 6 and t.loc["A"].need_frequency == pytest.approx(2)
    assert t.loc["B"].purchasing_power == pytest.approx(90 / 3)
    assert m.to_numpy().sum() == len(set(before.user_id) | set(after.user_id))


def test_segment_assessment_on_rfm_at_two_dates():
    import opsplaybook as ops
    orders = ops.load_demo().orders
    before = ops.rfm(orders, as_of="2025-07-01")
    after = ops.rfm(orders)
    r = segment_assessment(before, after)
    assert r.table.users.sum() == len(after)
    assert r.table.value.sum() == pytest.approx(after.monetary.sum())
    # everyone who had bought by July is still a buyer later: nobody leaves the RFM table
    assert "(gone)" not in r.mobility.columns or r.mobility["(gone)"].sum() == 0
    assert r.mobility.loc["(new)"].sum() == len(set(after.user_id) - set(before.user_id))


def test_segment_assessment_errors():
    a = pd.DataFrame({"user_id": [1, 1], "segment": ["A", "B"], "monetary": [1.0, 2.0], "frequency": [1, 1]})
    with pytest.raises(DataValidationError, match="repeated user"):
        segment_assessment(a.iloc[:1], a)
    with pytest.raises(ColumnNotFoundError, match="value_col"):
        segment_assessment(a.iloc[:1], a.iloc[:1], value_col="gmv")
