"""tag_users(): every operator by hand, rules as YAML, and an error naming the tag for each bad rule."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError
from opsplaybook.models.tags import tag_users

F = pd.DataFrame({"user_id": [1, 2, 3, 4, 5, 6],
                  "monetary": [900.0, 20.0, 300.0, 0.0, 300.0, np.nan],
                  "frequency": [9, 1, 3, 0, 2, 0],
                  "night_share": [0.1, 0.7, 0.5, 0.0, 0.45, 0.9],
                  "city_tier": ["一线", "三线", "一线", "二线", None, "新一线"]})


def users(rule):
    return tag_users(F, {"t": {"rule": rule}}).wide["t"][lambda s: s].index.tolist()


@pytest.mark.parametrize("rule,expected", [
    ({"monetary": {">": 300}}, [1]),
    ({"monetary": {">=": 300}}, [1, 3, 5]),
    ({"monetary": {"<": 20}}, [4]),               # NaN is never < 20
    ({"monetary": {"<=": 20}}, [2, 4]),
    ({"frequency": {"==": 0}}, [4, 6]),
    ({"frequency": {"!=": 0}}, [1, 2, 3, 5]),
    ({"night_share": {"between": [0.45, 0.7]}}, [2, 3, 5]),
    ({"city_tier": {"in": ["一线", "新一线"]}}, [1, 3, 6]),
    ({"city_tier": {"not_in": ["一线"]}}, [2, 4, 6]),  # a missing tier is not "not 一线"
    ({"city_tier": {"==": "三线"}}, [2]),
    ({"city_tier": {"is_null": True}}, [5]),
    # top 40 % of the 5 users with a value = ceil(2) = 2 users: 900 and the tie at 300 keeps both 300s
    ({"monetary": {"top": 0.4}}, [1, 3, 5]),
    ({"monetary": {"bottom": 0.2}}, [4]),
    ({"monetary": {">=": 300}, "night_share": {">": 0.4}}, [3, 5]),   # several keys: all of them
    ({"any": [{"frequency": {">=": 9}}, {"night_share": {">=": 0.9}}]}, [1, 6]),
    ({"not": {"monetary": {">=": 300}}}, [2, 4, 6]),
    ({"all": [{"monetary": {">=": 20}}, {"not": {"city_tier": {"==": "一线"}}}]}, [2, 5]),
])
def test_operators_by_hand(rule, expected):
    assert users(rule) == expected


def test_derived_tags_long_wide_sizes_overlap_labels():
    rules = {"owl": {"rule": {"night_share": {">=": 0.5}}, "label": {"zh": "夜猫子", "en": "Night owl"}},
             "vip_owl": {"rule": {"all": [{"tag": "owl"}, {"tag": "vip"}]}},
             "vip": {"rule": {"monetary": {"top": 0.2}}, "label": "高价值"}}
    r = tag_users(F, rules, lang="en")
    assert r.labels == {"owl": "Night owl", "vip_owl": "vip_owl", "vip": "高价值"}
    assert r.long.groupby("tag").user_id.apply(list).to_dict() == {"owl": [2, 3, 6], "vip": [1]}  # no vip owl
    assert r.sizes().loc["owl"].tolist() == ["Night owl", 3, 0.5]
    ov = r.overlap()
    assert ov.loc["owl", "owl"] == 3 and ov.loc["owl", "vip"] == 0
    assert list(r.wide.columns) == ["owl", "vip_owl", "vip"] and r.wide.index.name == "user_id"


def test_rules_from_yaml(tmp_path):
    p = tmp_path / "tags.yaml"
    p.write_text("tags:\n  夜猫子:\n    rule: {night_share: {'>=': 0.5}}\n    why: 晚上活跃\n", encoding="utf-8")
    assert tag_users(F, p).long.user_id.tolist() == [2, 3, 6]
    p.write_text("夜猫子: !!python/object/apply:os.system ['echo x']\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="not valid YAML"):
        tag_users(F, p)


@pytest.mark.parametrize("rules,error,message", [
    ({"a": {"rule": {"monetery": {">": 1}}}}, ColumnNotFoundError, "Tag 'a': 'monetery' is neither a column.*Did you mean 'monetary'"),
    ({"a": {"rule": {"monetary": {"=>": 1}}}}, InvalidParameterError, "Tag 'a': unknown operator '=>'.*Did you mean '>='"),
    ({"a": {"rule": {"monetary": {">": "high"}}}}, InvalidParameterError, "Tag 'a'.*needs a number, got str 'high'"),
    ({"a": {"rule": {"monetary": {"top": 20}}}}, InvalidParameterError, "Tag 'a': `top: 20` is a share of users between 0 and 1"),
    ({"a": {"rule": {"city_tier": {">": 1}}}}, InvalidParameterError, "Tag 'a': column 'city_tier' holds text"),
    ({"a": {"rule": {"tag": "b"}}, "b": {"rule": {"tag": "a"}}}, InvalidParameterError, "cycle: a → b → a"),
    ({"a": {"rule": {"tag": "bb"}}, "b": {"rule": {"frequency": {">": 1}}}}, InvalidParameterError, "refers to tag 'bb'.*Did you mean 'b'"),
    ({"a": {"rule": {"monetary": {"between": [5, 1]}}}}, InvalidParameterError, "low > high"),
    ({"a": {"rule": {"any": []}}}, InvalidParameterError, "`any` takes a non-empty list"),
    ({"a": {"rul": {}}}, InvalidParameterError, "Tag 'a': each tag needs a `rule:`"),
    ({"a": {"rule": {"top": 0.2}}}, InvalidParameterError, "operator 'top' needs a column first"),
    ({"a": {"rule": {"frequency": {"in": 3}}}}, InvalidParameterError, "`in` takes a list"),
])
def test_bad_rules_name_the_tag_and_the_fault(rules, error, message):
    with pytest.raises(error, match=message):
        tag_users(F, rules)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=50), st.floats(0.01, 1.0),
       st.floats(0, 1000))
def test_invariants(values, share, threshold):
    df = pd.DataFrame({"user_id": range(len(values)), "m": values})
    r = tag_users(df, {"top": {"rule": {"m": {"top": share}}}, "hi": {"rule": {"m": {">=": threshold}}},
                       "lo": {"rule": {"not": {"tag": "hi"}}}, "either": {"rule": {"any": [{"tag": "hi"}, {"tag": "lo"}]}}})
    w = r.wide
    assert (w.hi ^ w.lo).all() and w.either.all()
    k = int(np.ceil(share * len(values)))
    assert w.top.sum() >= k                       # ties at the cut-off are kept
    rest = df.m[~w.top.to_numpy()]
    assert rest.empty or df.m[w.top.to_numpy()].min() >= rest.max()  # the top really is the top
    assert len(r.long) == int(w.to_numpy().sum())
