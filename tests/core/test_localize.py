"""localize(): result tables of the kit with catalog labels, on real results and every engine."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opsplaybook as ops
from opsplaybook.analytics.rfm import CN8_SEGMENTS
from opsplaybook.errors import InvalidParameterError
from opsplaybook.labels import catalog, label
from opsplaybook.localization import localize
from helpers import to_pandas

RFM_COLUMNS = ["user_id", "recency", "frequency", "monetary", "r_score", "f_score", "m_score", "segment"]


@pytest.fixture(scope="module")
def results(small_world):
    w = small_world
    return {
        "rfm": ops.rfm(w.orders, lang="en"),
        "rfm_en11": ops.rfm(w.orders, scheme="en11", lang="zh"),
        "kpis": ops.kpis(w.events, w.orders, freq="W"),
        "lifecycle": ops.lifecycle(w.events, as_of="2025-09-30", users=w.users, lang="zh"),
    }


# --------------------------------------------------------------------------- real results
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rfm_segments_and_columns_become_labels(results, lang):
    r = results["rfm"]
    before = r.copy()
    out = localize(r, lang=lang)
    pd.testing.assert_frame_equal(r, before)  # the input is not touched
    assert list(out.columns) == [label(f"col.{c}", lang) for c in RFM_COLUMNS]
    seg = out[label("col.segment", lang)]
    assert seg.tolist() == [label(f"rfm.cn8.{k}", lang) for k in r["segment_key"]]
    # numbers are the result's numbers, row for row
    for c in ("recency", "frequency", "monetary", "r_score"):
        assert out[label(f"col.{c}", lang)].tolist() == r[c].tolist()
    assert out.index.equals(r.index)


def test_rfm_en11_counts_survive_translation(results):
    r = results["rfm_en11"]
    out = localize(r, lang="en")
    by_label = out[label("col.segment", "en")].value_counts()
    by_key = r["segment_key"].value_counts()
    assert {label(f"rfm.en11.{k}", "en"): n for k, n in by_key.items()} == by_label.to_dict()


def test_kpi_table_headers_are_the_kpi_labels(results):
    k = results["kpis"]
    out = localize(k, lang="zh")
    expected = [label("col.period", "zh")] + [label(f"kpi.{c}", "zh") for c in k.columns[1:]]
    assert list(out.columns) == expected
    assert "支付转化率" in out.columns and "客单价ARPPU" in out.columns
    assert out.to_numpy().tolist() == k.to_numpy().tolist()


def test_lifecycle_keeps_one_stage_column_unless_asked(results):
    lc = results["lifecycle"]
    out = localize(lc, lang="en")
    assert list(out.columns) == [label("col.user_id", "en"), label("col.stage", "en")]
    assert out[label("col.stage", "en")].tolist() == [label(f"stage.{s}", "en") for s in lc["stage"]]
    kept = localize(lc, lang="en", keep_keys=True)
    assert list(kept.columns) == ["User ID", "stage", "Lifecycle stage"]
    assert kept["stage"].tolist() == lc["stage"].tolist()  # the code column stays a code


def test_zh_labels_translate_to_english_and_back(results):
    lc = results["lifecycle"][["user_id", "stage_label"]]  # labels only, in Chinese
    en = localize(lc, lang="en")
    assert en["Lifecycle stage"].tolist() == [label(f"stage.{s}", "en") for s in results["lifecycle"]["stage"]]
    back = localize(en.rename(columns={"Lifecycle stage": "stage"}), lang="zh")
    assert back["生命周期阶段"].tolist() == lc["stage_label"].tolist()


def test_other_results(small_world):
    w = small_world
    ph = localize(ops.posthog_lifecycle(w.events), lang="zh")
    assert list(ph.columns) == ["周期", "状态", "用户数"]
    assert set(ph["状态"]) == {"新增", "持续活跃", "回流", "本期流失"}
    aa = localize(ops.aarrr(w.events, w.orders, start="2025-03-01", end="2025-04-01", users=w.users), lang="zh")
    assert list(aa.columns) == ["AARRR阶段", "指标", "数值"]  # aarrr's stage is not a lifecycle stage
    assert aa["AARRR阶段"].iloc[0] == "获取" and "UV价值（ARPU）" in set(aa["指标"])
    fu = localize(ops.funnel(w.events, ["visit", "view", "cart", "purchase"]), lang="zh")
    assert fu["步骤"].tolist() == ["访问", "浏览商品", "加购", "支付"]
    cv = localize(ops.channel_value(w.users, w.channels, w.orders), lang="zh")
    assert "人均收入" in cv.columns and "UV价值（ARPU）" not in cv.columns  # per sign-up, not per visitor
    assert set(cv["渠道象限"]) <= {label(f"models.channel.quadrant.{q}", "zh") for q in ("star", "potential", "traffic", "weak")}
    kano = localize(ops.kano(w.survey_kano), lang="en")
    assert {"Attractive", "Must-be", "KANO category"} <= set(kano.columns)
    assert set(kano["KANO category"]) <= {label(f"models.kano.{c}", "en") for c in "AOMIRQ"}
    strategy = localize(ops.rfm_strategy(lang="en"), lang="zh")
    assert list(strategy.columns) == ["客户分层", "分层规则", "客户特征", "运营目标", "运营策略"]


def test_world_codes_match_the_other_locale():
    """A zh_CN world localized to English reads like the en_US world of the same seed."""
    cols = ["channel", "city", "city_tier", "gender", "occupation", "platform"]
    zh = ops.generate_world(n_users=300, seed=11)
    en = ops.generate_world(n_users=300, seed=11, locale="en_US")
    out = localize(zh.users[cols], lang="en", columns={c: c for c in cols})
    pd.testing.assert_frame_equal(out.astype(str), en.users[cols].astype(str))
    out_zh = localize(en.users[cols], lang="zh", columns={c: c for c in cols})
    pd.testing.assert_frame_equal(out_zh.astype(str), zh.users[cols].astype(str))


def test_codes_that_mean_two_things_stay_as_they_are():
    # "referral" is 老带新 in the ecommerce preset and 邀请有礼 in short_video: not guessed
    df = pd.DataFrame({"channel": ["referral", "老带新", "邀请有礼", "organic"]})
    assert localize(df, lang="en")["Acquisition channel"].tolist() == ["referral", "Referral", "Invite rewards", "Organic"]


# --------------------------------------------------------------------------- pandas details
def test_unknown_columns_and_values_stay():
    df = pd.DataFrame({"stage": ["silent", "mystery", None], "my_col": ["new", "x", "y"], "users": [1, 2, 3]})
    out = localize(df, lang="zh")
    assert list(out.columns) == ["生命周期阶段", "my_col", "用户数"]
    assert out["生命周期阶段"].tolist()[:2] == ["沉默用户", "mystery"] and pd.isna(out["生命周期阶段"].iloc[2])
    assert out["my_col"].tolist() == ["new", "x", "y"]  # codes only translate in the columns that hold them


def test_series_index_and_pivot_levels(results):
    counts = localize(results["rfm"]["segment_key"].value_counts(), lang="zh")
    assert counts.index.name == "客户分层" and counts.name == "数量"
    assert set(counts.index) <= {label(f"rfm.cn8.{k}", "zh") for k in CN8_SEGMENTS.values()}
    assert counts.sum() == len(results["rfm"])
    pivot = pd.DataFrame({"period": [1, 1, 2], "stage": ["new", "silent", "new"], "users": [3, 4, 5]}).pivot(
        index="period", columns="stage", values="users")
    out = localize(pivot, lang="en")
    assert list(out.columns) == ["New", "Silent"] and out.columns.name == "Lifecycle stage"
    assert out.index.name == "Period" and out.loc[2, "New"] == 5


def test_categorical_columns_stay_categorical():
    df = pd.DataFrame({"segment_key": pd.Categorical(["important_value", "general_keep", "important_value"])})
    out = localize(df, lang="zh")
    assert isinstance(out["客户分层"].dtype, pd.CategoricalDtype)
    assert out["客户分层"].tolist() == ["重要价值客户", "一般保持客户", "重要价值客户"]


def test_own_columns_and_values_win_and_headers_stay_unique():
    df = pd.DataFrame({"users": [1], "orders": [2], "tier": ["a"]})
    out = localize(df, lang="zh", columns={"users": "订单数"}, values={"tier": {"a": "甲"}})
    assert list(out.columns) == ["订单数（users）", "订单数（orders）", "tier"]
    assert out["tier"].tolist() == ["甲"]


def test_errors_name_the_parameter():
    with pytest.raises(InvalidParameterError, match="lang"):
        localize(pd.DataFrame({"a": [1]}), lang="fr")
    with pytest.raises(InvalidParameterError, match="`data` must be a data frame"):
        localize([1, 2, 3], lang="zh")
    with pytest.raises(InvalidParameterError, match="`columns` must be a mapping"):
        localize(pd.DataFrame({"a": [1]}), lang="zh", columns=["a"])
    with pytest.raises(InvalidParameterError, match="keep_keys"):
        localize(pd.DataFrame({"a": [1]}), lang="zh", keep_keys="yes")


def test_default_language_is_the_current_one(monkeypatch):
    from opsplaybook import labels

    monkeypatch.setitem(labels._state, "lang", "en")
    assert list(localize(pd.DataFrame({"gmv": [1.0]})).columns) == ["GMV"]


# --------------------------------------------------------------------------- every engine
def test_every_engine_gives_the_pandas_answer(constructor, results):
    frame = results["rfm"].head(50)
    expected = localize(frame, lang="zh").reset_index(drop=True)
    got = to_pandas(localize(constructor(frame), lang="zh"))
    got = got.sort_values("用户ID").reset_index(drop=True)
    assert list(got.columns) == list(expected.columns)
    assert got["客户分层"].tolist() == expected["客户分层"].tolist()
    assert got["消费金额"].tolist() == pytest.approx(expected["消费金额"].tolist())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["potential", "new", "active", "silent", "churned", "returning", "other", "新用户"]),
                min_size=1, max_size=20))
def test_translation_is_a_bijection_on_known_stages(stages):
    df = pd.DataFrame({"stage": stages})
    zh = localize(df, lang="zh")["生命周期阶段"]
    en = localize(df, lang="en")["Lifecycle stage"]
    stage_zh = {v["zh"] for k, v in catalog().items() if k.startswith("stage.")}
    for code, z, e in zip(stages, zh, en):
        if code == "other":
            assert z == e == "other"
        else:
            assert z in stage_zh
            # zh -> en and en -> zh agree with the direct translation
            assert localize(pd.DataFrame({"stage": [z]}), lang="en")["Lifecycle stage"].iloc[0] == e
            assert localize(pd.DataFrame({"stage": [e]}), lang="zh")["生命周期阶段"].iloc[0] == z
