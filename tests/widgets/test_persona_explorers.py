"""Module 1 explorers driven by setting widget values: the persona explorer and the tag-rule editor."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsplaybook.errors import InvalidParameterError
from opsplaybook.models.personas import find_personas, persona_cards
from opsplaybook.models.tag_rules import default_tag_rules
from opsplaybook.models.tags import tag_users
from opsplaybook.widgets import explorers
from opsplaybook.widgets.personas import PersonaState, TagEditorState, persona_explorer, tag_rule_editor


@pytest.fixture(scope="module")
def features(demo_world):
    from opsplaybook import user_features

    return user_features(demo_world)


def test_both_explorers_are_registered_for_module_1():
    reg = explorers()
    assert reg["persona_explorer"].module == 1 and reg["persona_explorer"].state is PersonaState
    assert reg["tag_rule_editor"].module == 1 and reg["tag_rule_editor"].state is TagEditorState


def test_persona_explorer_follows_the_controls(features):
    w = persona_explorer(features, lang="en", k_options=(2, 3, 4), min_orders_options=(1, 3))
    assert w.state.k == 3 and w.renders == 1
    w.controls["k"].value = 4
    assert w.renders == 2 and w.state.k == 4 and w.state.computed >= 2
    # the cards are exactly what the models give for the same choice
    ref = find_personas(features, k=4, min_orders=3)
    pd.testing.assert_frame_equal(w.state.cards, persona_cards(features, ref, lang="en"))
    assert w.state.check() == []
    w.controls["min_orders"].value = 1
    clustered = int((features["frequency"] >= 1).sum())
    assert len(w.state.map) == clustered and set(w.state.map["group"]) == {0, 1, 2, 3}
    assert f"{clustered:,}" in w.texts["summary"].value
    assert "Not enough data yet" in w.texts["cards"].value
    assert w.chart.value[:4] == b"\x89PNG"


def test_persona_state_rejects_values_not_offered(features):
    s = PersonaState(features, k_options=(2, 3), min_orders_options=(3,))
    with pytest.raises(InvalidParameterError, match="`k`=9.*Allowed"):
        s.update(k=9)
    assert s.k == 3                                   # unchanged after a refused value


def test_tag_editor_is_tag_users_with_the_thresholds(features):
    w = tag_rule_editor(features, lang="zh")
    before = w.state.sizes.loc["high_value", "users"]
    w.controls["high_value_top"].value = 0.2
    assert w.state.sizes.loc["high_value", "users"] > before
    w.controls["dormant_days"].value = 30
    ref = tag_users(features, default_tag_rules(high_value_top=0.2, dormant_days=30))
    pd.testing.assert_frame_equal(w.state.tags.wide, ref.wide)
    pd.testing.assert_frame_equal(w.state.overlap, ref.overlap())
    assert w.state.untagged == int((~ref.wide.any(axis=1)).sum())
    assert w.state.check() == []
    assert "疑似羊毛党" in w.texts["sizes"].value and w.renders == 3
    assert np.array_equal(np.diag(w.state.overlap), w.state.sizes["users"])


def test_tag_editor_without_chart_and_bad_value(features):
    w = tag_rule_editor(features, lang="en", chart=False)
    assert w.chart is None
    w.controls["night_share"].value = 0.8
    assert w.state.night_share == 0.8
    with pytest.raises(InvalidParameterError, match="night_share"):
        w.state.update(night_share=0.45)
