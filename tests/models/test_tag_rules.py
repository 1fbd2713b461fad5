"""The default tag rule set: each tag finds what it should on the demo world, YAML round trip, thresholds."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsplaybook.errors import InvalidParameterError, OutputExistsError
from opsplaybook.models.tag_rules import DEFAULT_TAG_RULES, TAG_RULE_THRESHOLDS, default_tag_rules, tag_rules_yaml
from opsplaybook.models.tags import tag_users


@pytest.fixture(scope="module")
def demo(demo_world):
    from opsplaybook import user_features

    f = user_features(demo_world)
    persona = f["user_id"].map(demo_world.truth.user_persona).to_numpy()
    return f, persona, tag_users(f, DEFAULT_TAG_RULES)


def test_every_tag_has_labels_rationale_and_strategy():
    assert list(DEFAULT_TAG_RULES) == ["high_value", "price_sensitive", "night_owl", "new", "dormant",
                                       "high_potential", "suspected_bargain_hunter"]
    for tag, spec in DEFAULT_TAG_RULES.items():
        for key in ("label", "why", "strategy"):
            assert set(spec[key]) == {"zh", "en"} and all(v.strip() for v in spec[key].values()), (tag, key)
        assert all(len(v) > 20 for v in spec["why"].values()), tag
    zh = tag_users(pd.DataFrame({"user_id": [1], **{c: [0.0] for c in (
        "monetary", "frequency", "aov", "coupon_share", "night_share", "events", "sessions", "active_days",
        "days_since_active", "tenure_days")}}), DEFAULT_TAG_RULES).labels
    assert zh["suspected_bargain_hunter"] == "疑似羊毛党" and zh["night_owl"] == "夜猫子"


def test_high_value_is_mostly_the_planted_vips(demo):
    f, persona, tags = demo
    m = tags.wide["high_value"].to_numpy()
    assert m.sum() == int(np.ceil(0.05 * len(f)))               # top 5 % (no ties at the cut on the demo)
    assert (persona[m] == "loyal_vip").mean() >= 0.9             # measured 0.93; base rate 0.12


def test_suspected_bargain_hunters_are_mostly_planted_bargain_hunters_or_fakes(demo):
    f, persona, tags = demo
    m = tags.wide["suspected_bargain_hunter"].to_numpy()
    caught = np.isin(persona[m], ["bargain_hunter", "fake"]).mean()
    base = np.isin(persona, ["bargain_hunter", "fake"]).mean()
    assert caught >= 0.5 and caught >= 2.5 * base                 # measured 0.53 vs 0.20
    assert m[persona == "fake"].all()                             # every planted fake sign-up
    assert (persona[m] == "loyal_vip").mean() < 0.01


def test_price_sensitive_are_the_planted_coupon_users(demo):
    f, persona, tags = demo
    m = tags.wide["price_sensitive"].to_numpy()
    assert np.isin(persona[m], ["price_sensitive", "bargain_hunter"]).mean() >= 0.8   # measured 0.84; base 0.45


def test_habit_and_lifecycle_tags_against_a_hand_mask(demo):
    f, persona, tags = demo
    w = tags.wide
    new = (f["tenure_days"] <= 30).to_numpy()
    np.testing.assert_array_equal(w["new"], new)
    np.testing.assert_array_equal(w["dormant"], (f["days_since_active"] >= 90).to_numpy() & ~new)
    np.testing.assert_array_equal(w["night_owl"], ((f["night_share"] >= 0.4) & (f["events"] >= 20)).to_numpy())
    assert not (w["night_owl"].to_numpy() & (persona == "fake")).any()   # one-off night sign-ups are not owls
    pot = ((f["active_days"] >= 10) & (f["frequency"] <= 1) & (f["days_since_active"] <= 30)).to_numpy()
    np.testing.assert_array_equal(w["high_potential"], pot)
    assert not (w["high_potential"] & w["dormant"]).any()


def test_yaml_round_trip_and_atomic_write(tmp_path, demo):
    f, _, tags = demo
    path = tmp_path / "rules.yaml"
    text = tag_rules_yaml(path=path)
    assert path.read_text(encoding="utf-8") == text and "疑似羊毛党" in text
    again = tag_users(f, path)
    assert again.wide.equals(tags.wide)
    with pytest.raises(OutputExistsError, match="force"):
        tag_rules_yaml(path=path)
    tag_rules_yaml(default_tag_rules(new_days=7), path=path, force=True)
    assert "tenure_days:\n        <=: 7" in path.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["rules.yaml"]        # no temporary file left


@pytest.mark.parametrize("name,low,high,tag", [
    ("high_value_top", 0.02, 0.2, "high_value"),
    ("price_coupon_share", 0.9, 0.3, "price_sensitive"),
    ("dormant_days", 180, 30, "dormant"),
    ("new_days", 7, 90, "new"),
])
def test_thresholds_move_tag_sizes_the_right_way(demo, name, low, high, tag):
    f, _, _ = demo
    small = tag_users(f, default_tag_rules(**{name: low})).wide[tag]
    large = tag_users(f, default_tag_rules(**{name: high})).wide[tag]
    assert small.sum() < large.sum() and not (small & ~large).any()   # nested: loosening only adds users


def test_bad_thresholds_are_named():
    with pytest.raises(InvalidParameterError, match="high_value_to.*high_value_top"):
        default_tag_rules(high_value_to=0.1)
    with pytest.raises(InvalidParameterError, match="new_days"):
        default_tag_rules(new_days="30")
    assert default_tag_rules() == DEFAULT_TAG_RULES and default_tag_rules() is not DEFAULT_TAG_RULES
    assert set(TAG_RULE_THRESHOLDS) >= {"high_value_top", "night_share", "bargain_aov"}
