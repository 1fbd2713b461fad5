"""Charts of the course models: content (points, lines, colours, labels in zh and en), no missing
glyphs, and the gallery entries on the small world."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from opsplaybook.charts import model_charts as mc  # noqa: E402
from opsplaybook.charts.model_charts import (  # noqa: E402
    KANO_COLORS,
    QUADRANT_COLORS,
    plot_ab_result,
    plot_channel_matrix,
    plot_kano,
    plot_positioning_map,
    plot_price_sensitivity,
)
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError  # noqa: E402
from opsplaybook.models import ab_test, channel_value, kano, van_westendorp  # noqa: E402


def _texts(ax) -> list[str]:
    out = [t.get_text() for t in ax.texts]
    out += [c.get_text() for child in ax.child_axes for c in child.texts]
    return out


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _draw_all_formats(ax):
    """Render to PNG, SVG and PDF (missing glyphs raise: pytest turns matplotlib UserWarnings into errors)."""
    for fmt in ("png", "svg", "pdf"):
        buf = io.BytesIO()
        ax.figure.savefig(buf, format=fmt)
        assert buf.tell() > 1000


def _rgb(c):
    return mcolors.to_rgb(c)


# ------------------------------------------------------------------ data worked out by hand
def _kano_survey():
    rows = []
    # feature name -> answer pairs; (1,3)=A, (1,5)=O, (3,5)=M, (3,3)=I
    plan = {"极速退款": [(3, 5)] * 8 + [(1, 5)] * 2,            # M: better .2, worse -1.0
            "会员包邮": [(1, 5)] * 6 + [(1, 3)] * 2 + [(3, 5)] * 2,  # O: better .8, worse -.8
            "AR试穿": [(1, 3)] * 7 + [(3, 3)] * 3,               # A: better .7, worse 0
            "直播购物": [(3, 3)] * 9 + [(1, 3)] * 1}             # I: better .1, worse 0
    for f, pairs in plan.items():
        rows += [(f, a, b) for a, b in pairs]
    return pd.DataFrame(rows, columns=["feature", "functional", "dysfunctional"])


def _price_survey():
    return pd.DataFrame({"too_cheap": [1, 2, 3, 4], "cheap": [3, 4, 5, 6], "expensive": [5, 6, 7, 8],
                         "too_expensive": [7, 8, 9, 10]})


def _channel_frame():
    df = pd.DataFrame({
        "channel": ["抖音", "微信", "小红书", "联盟广告"],
        "users": [300, 200, 100, 150], "installs": [300, 200, 100, 150],
        "spend": [9000.0, 6000.0, 4500.0, 450.0], "volume": [300.0, 200.0, 100.0, 150.0],
        "quality": [0.5, 0.3, 0.6, 0.02],
        "quadrant": ["star", "traffic", "potential", "weak"],
    })
    df.attrs.update(volume_cut=175.0, quality_cut=0.4, quality="retention", retention_window=(1, 7))
    return df


def _experiment():
    g = ["control"] * 200 + ["treatment"] * 200
    y = [1] * 40 + [0] * 160 + [1] * 60 + [0] * 140
    return pd.DataFrame({"group": g, "converted": y})


# ------------------------------------------------------------------ KANO
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plot_kano_content(lang):
    res = kano(_kano_survey())
    ax = plot_kano(res, lang=lang)
    pts = {tuple(np.round(p, 6)): c for coll in ax.collections for p, c in
           zip(coll.get_offsets(), [coll.get_facecolor()[0]] * len(coll.get_offsets()))}
    expected = {(1.0, 0.2): "M", (0.8, 0.8): "O", (0.0, 0.7): "A", (0.0, 0.1): "I"}
    assert set(pts) == set(expected)  # (|Worse|, Better)
    for xy, cat in expected.items():
        assert tuple(pts[xy][:3]) == pytest.approx(_rgb(KANO_COLORS[cat]))
    names = {"zh": ["必备属性", "期望属性", "魅力属性", "无差异属性"],
             "en": ["Must-be", "One-dimensional", "Attractive", "Indifferent"]}[lang]
    assert sorted(_legend(ax)) == sorted(names)
    texts = _texts(ax)
    assert {"极速退款", "会员包邮", "AR试穿", "直播购物"} <= set(texts)
    assert set(names) <= set(texts)  # region names
    # cut lines at the mean |Worse| (0.45) and mean Better (0.45)
    xs = [ln.get_xdata()[0] for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1]]
    assert xs == [pytest.approx(0.45)]
    if lang == "zh":
        assert ax.get_title() == "KANO模型：Better-Worse系数" and "Better" in ax.get_ylabel()
    else:
        assert ax.get_title().startswith("KANO model") and ax.get_xlabel().startswith("Dissatisfaction")
    assert [t.get_text() for t in ax.get_xticklabels()][-1].endswith("%")
    _draw_all_formats(ax)


def test_plot_kano_from_raw_survey_and_fixed_split():
    ax = plot_kano(_kano_survey(), split=0.5, lang="en", title="My KANO")
    assert ax.get_title() == "My KANO"
    assert [ln.get_xdata()[0] for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1]] == [0.5]
    with pytest.raises(InvalidParameterError, match="split"):
        plot_kano(_kano_survey(), split="median")


# ------------------------------------------------------------------ positioning map
def _products():
    return pd.DataFrame({"label": ["本品A", "竞品B", "竞品C", "竞品D"], "price": [100, 300, 200, 400],
                         "quality": [8.0, 6.0, 4.0, 2.0], "sales": [10, 40, 20, 30]})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plot_positioning_map(lang):
    ax = plot_positioning_map(_products(), x="price", y="quality", highlight="本品A", size="sales", lang=lang,
                              y_kind="number", x_kind="yuan")
    comp, own = ax.collections
    assert comp.get_offsets().tolist() == [[300, 6], [200, 4], [400, 2]]
    assert own.get_offsets().tolist() == [[100, 8]]
    assert tuple(own.get_facecolor()[0][:3]) == pytest.approx(_rgb(mc.HIGHLIGHT_COLOR))
    assert own.get_sizes()[0] < comp.get_sizes()[0]  # size by sales: 10 < 40
    v = [ln.get_xdata()[0] for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1]]
    h = [ln.get_ydata()[0] for ln in ax.lines if ln.get_ydata()[0] == ln.get_ydata()[1]]
    assert v == [250] and h == [5]  # quadrant lines at the means
    assert {"本品A", "竞品B", "竞品C", "竞品D"} <= set(_texts(ax))
    mean = {"zh": "均值", "en": "mean"}[lang]
    assert f"{mean} ¥250" in _texts(ax)
    assert _legend(ax) == {"zh": ["竞品", "本品"], "en": ["Competitor", "Our product"]}[lang]
    # the axis names the column by its catalog label (col.price: 价格 / Price)
    assert ax.get_xlabel() == {"zh": "价格", "en": "Price"}[lang] and ax.get_title() == {"zh": "二维市场定位图", "en": "Positioning map"}[lang]
    _draw_all_formats(ax)


def test_plot_positioning_map_errors():
    with pytest.raises(InvalidParameterError, match="highlight.*本品X.*Products"):
        plot_positioning_map(_products(), x="price", y="quality", highlight="本品X")
    with pytest.raises(ColumnNotFoundError, match="`y`"):
        plot_positioning_map(_products(), x="price", y="qualty")
    with pytest.raises(InvalidParameterError, match="x_kind"):
        plot_positioning_map(_products(), x="price", y="quality", x_kind="money")


# ------------------------------------------------------------------ Van Westendorp
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plot_price_sensitivity(lang):
    res = van_westendorp(_price_survey(), grid=range(0, 12))
    ax = plot_price_sensitivity(res, lang=lang)
    curves = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid() and not ln.get_gid().startswith("psm-point")}
    assert set(curves) == {"psm-too_cheap", "psm-not_cheap", "psm-not_expensive", "psm-too_expensive"}
    for gid, ln in curves.items():
        assert list(ln.get_ydata()) == res.curves[gid[4:]].tolist()
    points = {ln.get_gid()[10:]: (ln.get_xdata()[0], ln.get_ydata()[0]) for ln in ax.lines
              if (ln.get_gid() or "").startswith("psm-point")}
    assert points == {"pmc": (4, 0.25), "opp": (5.5, 0.0), "ipp": (5.5, 0.625), "pme": (7, 0.25)}
    span = next(p for p in ax.patches if p.get_gid() == "psm-range")
    assert span.get_x() == pytest.approx(4) and span.get_x() + span.get_width() == pytest.approx(7)
    legend = _legend(ax)
    if lang == "zh":
        assert legend[0] == "可接受价格区间" and "太贵（不会买）" in legend
        assert "最低可接受价 PMC\n¥4" in _texts(ax) and ax.get_xlabel() == "价格（元）"
    else:
        assert legend[0] == "Acceptable price range" and "Too expensive" in legend
        assert "PME (marginal expensiveness)\n¥7" in _texts(ax)
    _draw_all_formats(ax)


def test_plot_price_sensitivity_from_raw_survey_with_all_curves():
    ax = plot_price_sensitivity(_price_survey(), show_cheap_expensive=True, lang="en")
    gids = {ln.get_gid() for ln in ax.lines}
    assert {"psm-cheap", "psm-expensive"} <= gids


# ------------------------------------------------------------------ channel matrix
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plot_channel_matrix(lang):
    ax = plot_channel_matrix(_channel_frame(), fraud=["联盟广告"], lang=lang)
    by_label = {c.get_label(): c for c in ax.collections}
    quad = {"zh": {"star": "明星渠道", "traffic": "流量渠道（质量待提升）", "potential": "潜力渠道"},
            "en": {"star": "Star channel", "traffic": "Volume channel (low quality)",
                   "potential": "Potential channel"}}[lang]
    fraud_name = {"zh": "疑似作弊", "en": "Suspected fraud"}[lang]
    assert set(by_label) == {*quad.values(), fraud_name}
    assert by_label[quad["star"]].get_offsets().tolist() == [[300, 0.5]]
    assert tuple(by_label[quad["star"]].get_facecolor()[0][:3]) == pytest.approx(_rgb(QUADRANT_COLORS["star"]))
    fraud = by_label[fraud_name]
    assert fraud.get_offsets().tolist() == [[150, 0.02]] and fraud.get_gid() == "channel-fraud"
    assert tuple(fraud.get_edgecolor()[0][:3]) == pytest.approx(_rgb(mc.HIGHLIGHT_COLOR))
    # bubble area grows with spend (linear): 9000 vs 4500 vs 450
    s_star = by_label[quad["star"]].get_sizes()[0]
    s_pot = by_label[quad["potential"]].get_sizes()[0]
    assert s_star - 200 == pytest.approx(2 * (s_pot - 200))
    texts = _texts(ax)
    spend = {"zh": "花费¥9,000", "en": "spend ¥9K"}[lang]
    assert any(t.startswith("抖音\n") and spend in t for t in texts)
    assert any(t.startswith("联盟广告") and fraud_name in t for t in texts)
    assert set(quad.values()) <= set(texts)
    # cut lines from the model's attrs; y axis in %
    assert [ln.get_xdata()[0] for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1]] == [175]
    assert [ln.get_ydata()[0] for ln in ax.lines if ln.get_ydata()[0] == ln.get_ydata()[1]] == [0.4]
    assert all(t.get_text().endswith("%") for t in ax.get_yticklabels() if t.get_text())
    assert ax.get_ylabel() == {"zh": "质量：留存率（注册后第1–7天活跃）",
                               "en": "Quality: retention (active on days 1–7)"}[lang]
    _draw_all_formats(ax)


def test_plot_channel_matrix_fraud_from_flagged_and_errors():
    df = _channel_frame().assign(flagged=[False, False, False, True])
    ax = plot_channel_matrix(df, lang="en")
    assert any(c.get_gid() == "channel-fraud" for c in ax.collections)
    with pytest.raises(InvalidParameterError, match="not in the data.*不存在"):
        plot_channel_matrix(_channel_frame(), fraud="不存在")


# ------------------------------------------------------------------ A/B result
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plot_ab_result(lang):
    res = ab_test(_experiment())
    ax = plot_ab_result(res, lang=lang)
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([0.2, 0.3])
    assert tuple(ax.patches[0].get_facecolor()[:3]) == pytest.approx(_rgb(mc.KEY_COLORS["group.control"]))
    assert tuple(ax.patches[1].get_facecolor()[:3]) == pytest.approx(_rgb(mc.KEY_COLORS["group.treatment"]))
    # error bars = the Wilson intervals
    segs = [seg for coll in ax.collections for seg in coll.get_segments()]
    lows_highs = sorted((round(min(s[:, 1]), 6), round(max(s[:, 1]), 6)) for s in segs)
    expected = sorted((round(lo, 6), round(hi, 6)) for lo, hi in zip(res.groups["ci_low"], res.groups["ci_high"]))
    assert lows_highs == expected
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ({"zh": ["对照组\n(control)", "实验组\n(treatment)"], "en": ["Control", "Treatment"]}[lang])
    assert {"20.0%", "30.0%"} <= set(_texts(ax))
    # the inset shows the lift interval
    (inset,) = ax.child_axes
    lift_bar = [seg for coll in inset.collections for seg in coll.get_segments()]
    assert lift_bar[0][:, 0].tolist() == pytest.approx(list(res.lift_ci))
    lift_text = {"zh": "+10.0个百分点", "en": "+10.0 pp"}[lang]
    assert any(t.startswith(lift_text) for t in _texts(ax))
    assert any("p = 0.02" in t for t in _texts(ax))  # p ≈ 0.0209
    assert ax.get_title() == {"zh": "AB测试结果：转化率与置信区间",
                              "en": "A/B test: conversion rate with confidence intervals"}[lang]
    assert inset.get_title() == {"zh": "绝对提升 95%置信区间", "en": "Absolute lift, 95% CI"}[lang]
    _draw_all_formats(ax)


def test_plot_ab_result_from_raw_frame_on_given_ax():
    fig, ax = plt.subplots()
    out = plot_ab_result(_experiment(), ax=ax, show_lift=False, lang="en")
    assert out is ax and not ax.child_axes


def test_lang_default_follows_label_language():
    from opsplaybook.labels import get_lang, set_lang

    old = get_lang()
    try:
        set_lang("en")
        assert plot_kano(_kano_survey()).get_title().startswith("KANO model")
        set_lang("zh")
        assert plot_kano(_kano_survey()).get_title().startswith("KANO模型")
    finally:
        set_lang(old)


# ------------------------------------------------------------------ gallery on the small world
def test_public_names():
    assert set(mc.__all__) >= {"plot_kano", "plot_positioning_map", "plot_price_sensitivity",
                               "plot_channel_matrix", "plot_ab_result"}
    import opsplaybook

    assert opsplaybook.plot_kano is plot_kano


@pytest.mark.parametrize("name", sorted(mc.GALLERY))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gallery_entries_draw_from_world(small_world, name, lang):
    from opsplaybook.labels import get_lang, set_lang

    old = get_lang()
    set_lang(lang)
    try:
        fig, ax = plt.subplots(figsize=(9, 6.5))
        out = mc.GALLERY[name](small_world, ax)
        assert out is ax
        assert ax.get_title()
        _draw_all_formats(ax)
    finally:
        set_lang(old)


def test_gallery_channel_matrix_flags_the_planted_fraud_channel(small_world):
    fig, ax = plt.subplots()
    mc.GALLERY["plot_channel_matrix"](small_world, ax)
    fraud = next(c for c in ax.collections if c.get_gid() == "channel-fraud")
    cv = channel_value(small_world.users, small_world.channels, small_world.orders, small_world.events,
                       retention_window=(31, 90)).set_index("channel")
    truth = small_world.truth.fraud_channel
    assert fraud.get_offsets().tolist() == [[cv.loc[truth, "volume"], cv.loc[truth, "quality"]]]
