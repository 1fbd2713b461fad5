"""The twelve monitoring charts: content checked on hand-made frames, then each drawn on the small
world in both languages with no missing glyph and exported to PNG, SVG and PDF."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from opsplaybook.charts import basic, theme  # noqa: E402
from opsplaybook.charts._style import KEY_COLORS, PALETTE  # noqa: E402
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError  # noqa: E402
from opsplaybook.labels import get_lang, set_lang  # noqa: E402

RED = KEY_COLORS["rfm.cn8.important_value"]
PURPLE = KEY_COLORS["rfm.cn8.general_retain"]


@pytest.fixture(autouse=True)
def _theme():
    old = get_lang()
    with matplotlib.rc_context():
        theme.set_theme("zh", font="bundled")
        yield
    set_lang(old)


@pytest.fixture
def rfm_like():
    """Six users in two segments, values worked out by hand."""
    return pd.DataFrame({
        "user_id": [1, 2, 3, 4, 5, 6],
        "recency": [5, 10, 15, 200, 250, 300],
        "frequency": [10, 8, 12, 1, 2, 1],
        "monetary": [12000.0, 9000.0, 15000.0, 100.0, 300.0, 50.0],
        "segment_key": ["important_value"] * 3 + ["general_retain"] * 3,
        "segment": ["重要价值客户"] * 3 + ["一般挽留客户"] * 3,
    })


@pytest.fixture
def orders_like():
    return pd.DataFrame({
        "user_id": [1, 1, 2, 3, 3, 3, 4, 5],
        "category": ["数码家电", "数码家电", "服饰鞋包", "服饰鞋包", "图书文娱", "数码家电", "图书文娱", "服饰鞋包"],
        "amount": [3000.0, 5000.0, 200.0, 400.0, 50.0, 12000.0, 30.0, 600.0],
    })


def hexes(colors) -> list[str]:
    return [to_hex(c, keep_alpha=False) for c in colors]


def ticks(ax, axis="x") -> list[str]:
    return [t.get_text() for t in (ax.get_xticklabels() if axis == "x" else ax.get_yticklabels())]


def no_glyph_warnings(fn):
    """Run ``fn`` and draw the result; return it after asserting no missing-glyph warning."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = fn()
        fig = res if isinstance(res, Figure) else res.figure
        fig.canvas.draw()
    bad = [str(w.message) for w in record if "missing from font" in str(w.message)]
    assert bad == []
    return res


# ====================================================================== 1 scatter
def test_scatter_points_colours_and_labels(rfm_like):
    ax = no_glyph_warnings(lambda: basic.plot_scatter(rfm_like, lang="zh"))
    pts = ax.collections[0]
    assert len(pts.get_offsets()) == 6
    np.testing.assert_array_equal(pts.get_offsets()[:, 0], rfm_like["frequency"])
    assert hexes(pts.get_facecolors()) == [RED] * 3 + [PURPLE] * 3
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("消费频次", "消费金额")
    assert ax.get_title() == "消费金额与消费频次"
    assert ax.get_legend().get_title().get_text() == "客户分层"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["重要价值客户", "一般挽留客户"]
    assert any(t.endswith("万") for t in ticks(ax, "y"))
    assert all(t.startswith(("¥", "-¥")) for t in ticks(ax, "y") if t)


def test_scatter_english_translates_segment_labels(rfm_like):
    ax = basic.plot_scatter(rfm_like, lang="en")
    ax.figure.canvas.draw()
    assert ax.get_title() == "Monetary (¥) vs Frequency (orders)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Important value", "General to win back"]
    assert hexes(ax.collections[0].get_facecolors()) == [RED] * 3 + [PURPLE] * 3
    assert any(t.endswith("K") for t in ticks(ax, "y"))


def test_scatter_without_segment_and_errors(rfm_like):
    ax = basic.plot_scatter(rfm_like.drop(columns=["segment"]), x="recency", y="frequency", lang="en")
    assert ax.get_legend() is None and len(ax.collections[0].get_offsets()) == 6
    with pytest.raises(ColumnNotFoundError, match=r"Column 'monetry' given as `y` .* Did you mean 'monetary'"):
        basic.plot_scatter(rfm_like, y="monetry")
    with pytest.raises(ColumnNotFoundError, match="given as `hue`"):
        basic.plot_scatter(rfm_like, hue="persona")


# ====================================================================== 2 bubble
def test_bubble_by_segment_aggregates(rfm_like):
    ax = no_glyph_warnings(lambda: basic.plot_bubble(rfm_like, by="segment", lang="zh"))
    pts = ax.collections[0]
    offsets = pts.get_offsets()
    assert len(offsets) == 2
    # mean recency and frequency of each segment
    np.testing.assert_allclose(sorted(map(tuple, offsets)), [(10, 10), (250, 4 / 3)])
    sizes = pts.get_sizes()
    assert sizes[0] > sizes[1]  # total monetary 36 000 vs 450
    assert hexes(pts.get_facecolors()) == [RED, PURPLE]
    assert sorted(t.get_text() for t in ax.texts) == ["一般挽留客户", "重要价值客户"]
    assert ax.get_title() == "消费频次与距最近一次消费天数（气泡大小：消费金额）"


def test_bubble_row_level_with_size_legend(rfm_like):
    ax = basic.plot_bubble(rfm_like, lang="en")
    assert len(ax.collections[0].get_offsets()) == 6
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Segment" in legend and "Monetary (¥)" in legend


# ====================================================================== 3 jitter
def test_jitter_one_dot_per_row_coloured_by_segment(rfm_like):
    ax = no_glyph_warnings(lambda: basic.plot_jitter(rfm_like, lang="zh"))
    assert [len(c.get_offsets()) for c in ax.collections] == [3, 3]
    assert [hexes(c.get_facecolors())[0] for c in ax.collections] == [RED, PURPLE]
    assert ticks(ax) == ["重要价值客户", "一般挽留客户"]
    ys = sorted(np.concatenate([c.get_offsets()[:, 1] for c in ax.collections]))
    assert ys == sorted(rfm_like["monetary"])
    assert ax.get_title() == "各客户分层的消费金额分布"


def test_jitter_samples_large_data(rfm_like):
    big = pd.concat([rfm_like] * 10, ignore_index=True)
    ax = basic.plot_jitter(big, max_points=20, lang="en")
    assert sum(len(c.get_offsets()) for c in ax.collections) == 20


# ====================================================================== 4 counts
def test_counts_bars_sorted_with_values():
    users = pd.DataFrame({"user_id": range(6), "channel": ["老带新", "抖音信息流", "抖音信息流", "百度搜索",
                                                            "抖音信息流", "老带新"]})
    ax = no_glyph_warnings(lambda: basic.plot_counts(users, lang="zh"))
    assert [p.get_height() for p in ax.patches] == [3, 2, 1]
    assert ticks(ax) == ["抖音信息流", "老带新", "百度搜索"]
    assert [t.get_text() for t in ax.texts] == ["3", "2", "1"]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("各获客渠道人数", "获客渠道", "用户数")
    assert set(hexes(p.get_facecolor() for p in ax.patches)) == {PALETTE[0]}


def test_counts_of_stage_keys_use_stage_names_and_colours():
    df = pd.DataFrame({"stage": ["active", "churned", "active", "new", "new", "new"]})
    ax = basic.plot_counts(df, x="stage", order=None, orient="h", lang="en")
    assert ticks(ax, "y") == ["New", "Active", "Churned"]  # life order
    assert [p.get_width() for p in ax.patches] == [3, 2, 1]
    assert hexes(p.get_facecolor() for p in ax.patches) == [
        KEY_COLORS["stage.new"], KEY_COLORS["stage.active"], KEY_COLORS["stage.churned"]]
    assert ax.get_title() == "Count by Lifecycle stage"


def test_counts_big_numbers_are_formatted():
    df = pd.DataFrame({"channel": ["抖音信息流"] * 23456 + ["老带新"] * 100})
    ax = basic.plot_counts(df, lang="zh")
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.texts] == ["2.3万", "100"]
    assert "2.0万" in ticks(ax, "y")


# ====================================================================== 5 histogram
def test_histogram_counts_every_row():
    df = pd.DataFrame({"age": [20, 21, 21, 30, 30, 30, 45], "gender": list("男女男女男女男")})
    ax = no_glyph_warnings(lambda: basic.plot_histogram(df, discrete=True, lang="zh"))
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 7 and max(heights) == 3
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("年龄分布", "年龄", "数量")
    ax = basic.plot_histogram(df, discrete=True, stat="percent", hue="gender", lang="en")
    ax.figure.canvas.draw()
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(100)
    assert all(t.endswith("%") for t in ticks(ax, "y") if t)
    assert ax.get_legend().get_title().get_text() == "Gender"
    with pytest.raises(InvalidParameterError, match="`stat`='share'"):
        basic.plot_histogram(df, stat="share")


# ====================================================================== 6 box
def test_box_one_box_per_category_sorted_by_median(orders_like):
    ax = no_glyph_warnings(lambda: basic.plot_box(orders_like, lang="zh"))
    assert ticks(ax) == ["数码家电", "服饰鞋包", "图书文娱"]  # medians 5000, 400, 40
    assert len(ax.patches) == 3
    medians = orders_like.groupby("category")["amount"].median()
    # the median line of each box (horizontal 2-point lines at the median value)
    ys = sorted({round(float(line.get_ydata()[0]), 6) for line in ax.lines
                 if len(line.get_ydata()) == 2 and line.get_ydata()[0] == line.get_ydata()[1]})
    for m in medians:
        assert round(m, 6) in ys
    assert (ax.get_title(), ax.get_ylabel()) == ("各品类的实付金额箱线图", "实付金额")
    ax = basic.plot_box(orders_like, lang="en", order=None)
    assert ax.get_title() == "Amount paid (¥) by Category (box plot)"


# ====================================================================== 7 correlogram
def test_correlogram_values_and_triangle():
    df = pd.DataFrame({"function": [1, 2, 3, 4, 5.0], "cost": [2, 4, 6, 8, 11.0], "risk": [5, 4, 3, 2, 1.0],
                       "respondent_id": [1, 2, 3, 4, 5]})
    ax = no_glyph_warnings(lambda: basic.plot_correlogram(df, lang="zh"))
    corr = df[["function", "cost", "risk"]].corr()
    pd.testing.assert_frame_equal(ax.correlation, corr)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 3  # lower triangle of a 3×3 matrix
    assert texts == [f"{corr.loc['cost', 'function']:.2f}", "-1.00", f"{corr.loc['risk', 'cost']:.2f}"]
    assert ticks(ax) == ["功能", "成本"] and ticks(ax, "y") == ["成本", "风险"]
    assert ax.get_title() == "相关系数矩阵"
    full = basic.plot_correlogram(df, triangle="full", method="spearman", lang="en")
    assert len(full.texts) == 9 and ticks(full) == ["Function", "Cost", "Risk"]
    with pytest.raises(InvalidParameterError, match="at least two numeric columns"):
        basic.plot_correlogram(df[["function"]])


def test_correlogram_never_shows_negative_zero():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, -1, -1, 1.0001]})
    ax = basic.plot_correlogram(df, lang="en")
    assert all(t.get_text() != "-0.00" for t in ax.texts)


# ====================================================================== 8 pairs
def test_pairs_grid_labels_and_colours(rfm_like):
    fig = no_glyph_warnings(lambda: basic.plot_pairs(rfm_like, lang="zh"))
    grid = fig.pair_grid
    axes = [a for a in grid.axes.flat if a is not None]
    assert len(axes) == 6  # corner grid of 3 variables
    assert grid.axes[2, 0].get_xlabel() == "距最近一次消费天数"
    assert grid.axes[2, 0].get_ylabel() == "消费金额"
    scatter = grid.axes[1, 0].collections[0]
    assert len(scatter.get_offsets()) == 6
    assert set(hexes(scatter.get_facecolors())) == {RED, PURPLE}
    assert fig._suptitle.get_text() == "变量两两关系"
    fig_en = basic.plot_pairs(rfm_like, lang="en", vars=["recency", "frequency"], hue=None)
    assert fig_en.pair_grid.axes[1, 0].get_xlabel() == "Recency (days)"
    _, ax = plt.subplots()
    with pytest.raises(InvalidParameterError, match="takes no `ax=`"):
        basic.plot_pairs(rfm_like, ax=ax)


# ====================================================================== 9 diverging bars
def test_diverging_bars_difference_from_mean(orders_like):
    ax = no_glyph_warnings(lambda: basic.plot_diverging_bars(orders_like, lang="zh"))
    sums = orders_like.groupby("category")["amount"].sum()
    expected = (sums - sums.mean()).sort_values()
    assert ax.center == pytest.approx(sums.mean())
    pd.testing.assert_series_equal(ax.diverging, pd.Series(expected.to_numpy(), index=list(expected.index)))
    widths = [p.get_width() for p in ax.patches]
    np.testing.assert_allclose(widths, expected.to_numpy())
    colors = hexes(p.get_facecolor() for p in ax.patches)
    assert colors == ["#ff7f0e" if w < 0 else "#1f77b4" for w in widths]
    labels = [t.get_text() for t in ax.texts]
    assert labels[-1].startswith("+¥") and labels[0].startswith("-¥")
    assert ax.get_title() == "各品类的实付金额：与均值之差"
    assert ax.get_xlabel() == "实付金额（与均值之差）"


def test_diverging_bars_target_and_count(orders_like):
    ax = basic.plot_diverging_bars(orders_like, center=2000, lang="en")
    assert ax.center == 2000 and ax.get_xlabel() == "Amount paid (¥) (Difference from ¥2K)"
    ax = basic.plot_diverging_bars(orders_like, agg="count", center="median", lang="en")
    assert sorted(ax.diverging.to_numpy()) == [-1, 0, 0]
    with pytest.raises(InvalidParameterError, match="`center`='avg'"):
        basic.plot_diverging_bars(orders_like, center="avg")


# ====================================================================== 10 ordered bars
def test_ordered_bars_ranked_with_values(orders_like):
    ax = no_glyph_warnings(lambda: basic.plot_ordered_bars(orders_like, lang="zh"))
    assert ticks(ax) == ["数码家电", "服饰鞋包", "图书文娱"]
    assert [p.get_height() for p in ax.patches] == [20000.0, 1200.0, 80.0]
    assert [t.get_text() for t in ax.texts] == ["¥2万", "¥1,200", "¥80"]
    assert ax.get_title() == "各品类合计实付金额排名"
    assert list(ax.ordered.index) == ["数码家电", "服饰鞋包", "图书文娱"]


def test_ordered_bars_options(orders_like):
    ax = basic.plot_ordered_bars(orders_like, y=None, top=2, orient="h", highlight="服饰鞋包", lang="en")
    assert ticks(ax, "y") == ["数码家电", "服饰鞋包"][::-1]  # largest at the top
    assert [p.get_width() for p in ax.patches] == [3, 3]
    assert hexes(p.get_facecolor() for p in ax.patches) == ["#d62728", "#b0b0b0"]
    assert ax.get_title() == "Category ranked by Count"
    ax = basic.plot_ordered_bars(orders_like, agg="mean", ascending=True, lang="en")
    assert list(ax.ordered.index) == ["图书文娱", "服饰鞋包", "数码家电"]
    assert ax.get_title() == "Category ranked by mean Amount paid (¥)"


# ====================================================================== 11 area
@pytest.fixture
def lifecycle_like():
    periods = pd.date_range("2025-01-01", periods=4, freq="MS")
    rows = []
    for i, p in enumerate(periods):
        for stage, n in (("new", 10 + i), ("active", 20 + 2 * i), ("churned", 5 * i)):
            rows.append({"period": p, "stage": stage, "users": n})
    return pd.DataFrame(rows)


def test_area_stacked_by_stage(lifecycle_like):
    ax = no_glyph_warnings(lambda: basic.plot_area(lifecycle_like, lang="zh"))
    assert list(ax.area_table.columns) == ["新用户", "活跃用户", "流失用户"]
    assert ax.area_table.iloc[-1].tolist() == [13, 26, 15]
    polys = ax.collections
    assert len(polys) == 3
    assert hexes(c.get_facecolor()[0] for c in polys) == [
        KEY_COLORS["stage.new"], KEY_COLORS["stage.active"], KEY_COLORS["stage.churned"]]
    # top of the stack is the total
    top = polys[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(54)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["流失用户", "活跃用户", "新用户"]
    assert (ax.get_title(), ax.get_ylabel()) == ("用户数随周期变化", "用户数")
    ax.figure.canvas.draw()
    assert "02月" in ticks(ax) and ax.xaxis.get_offset_text().get_text().startswith("2025年")


def test_area_normalized_and_wide(lifecycle_like):
    ax = basic.plot_area(lifecycle_like, normalize=True, lang="en")
    np.testing.assert_allclose(ax.area_table.sum(axis=1), 1.0)
    ax.figure.canvas.draw()
    assert all(t.endswith("%") for t in ticks(ax, "y") if t)
    assert ax.get_title() == "Mix of Users by Period"
    plain = pd.DataFrame({"month": [1, 1, 2, 2], "category": ["图书文娱", "数码家电"] * 2,
                          "amount": [10.0, 500.0, 20.0, 700.0]})
    ax = basic.plot_area(plain, x="month", y="amount", hue="category", lang="zh")
    assert list(ax.area_table.columns) == ["数码家电", "图书文娱"]  # largest total at the bottom
    assert ax.area_table["数码家电"].tolist() == [500.0, 700.0]
    wide = pd.DataFrame({"period": [1, 2, 3], "new_users": [5, 6, 7], "buyers": [1, 2, 3]})
    ax = basic.plot_area(wide, y=["new_users", "buyers"], hue=None, stacked=False, lang="zh")
    assert list(ax.area_table.columns) == ["新增用户数", "购买人数"]


# ====================================================================== 12 density histogram
def test_density_histogram_median_and_kde(orders_like):
    ax = no_glyph_warnings(lambda: basic.plot_density_histogram(orders_like, lang="zh", clip_quantile=None))
    assert ax.median == pytest.approx(orders_like["amount"].median())
    assert [t.get_text() for t in ax.texts] == ["中位数 ¥500"]
    area = sum(p.get_height() * p.get_width() for p in ax.patches)
    assert area == pytest.approx(1.0)  # density bars
    assert len(ax.lines) == 2  # the KDE curve and the median line
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("实付金额", "密度")
    ax = basic.plot_density_histogram(orders_like, lang="en", log_scale=True)
    assert ax.get_xscale() == "log" and ax.texts[0].get_text() == "Median ¥500"


# ====================================================================== every chart on the world
def _world_calls(world):
    from opsplaybook.analytics import rfm

    r = rfm(world.orders)
    o = world.orders
    monthly = o.assign(month=o["ts"].dt.to_period("M").dt.start_time)
    return {
        "plot_scatter": lambda lang: basic.plot_scatter(r, lang=lang),
        "plot_bubble": lambda lang: basic.plot_bubble(r, by="segment", lang=lang),
        "plot_jitter": lambda lang: basic.plot_jitter(r, logy=True, lang=lang),
        "plot_counts": lambda lang: basic.plot_counts(world.users, lang=lang),
        "plot_histogram": lambda lang: basic.plot_histogram(world.users, discrete=True, hue="gender", lang=lang),
        "plot_box": lambda lang: basic.plot_box(world.orders, logy=True, lang=lang),
        "plot_correlogram": lambda lang: basic.plot_correlogram(world.survey_preference, lang=lang),
        "plot_pairs": lambda lang: basic.plot_pairs(r, lang=lang, max_points=300),
        "plot_diverging_bars": lambda lang: basic.plot_diverging_bars(world.orders, lang=lang),
        "plot_ordered_bars": lambda lang: basic.plot_ordered_bars(world.orders, lang=lang),
        "plot_area": lambda lang: basic.plot_area(monthly, x="month", y="amount", hue="category", lang=lang),
        "plot_density_histogram": lambda lang: basic.plot_density_histogram(world.orders, lang=lang),
    }


def test_every_basic_chart_is_covered():
    assert len(basic.__all__) == 12
    assert set(basic.GALLERY) == set(basic.__all__)
    for name in basic.__all__:
        assert callable(getattr(basic, name))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", basic.__all__)
def test_world_chart_draws_and_exports(small_world, tmp_path, name, lang):
    call = _world_calls(small_world)[name]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = call(lang)
        fig = res if isinstance(res, Figure) else res.figure
        for ext in ("png", "svg", "pdf"):
            fig.savefig(tmp_path / f"{name}.{ext}", dpi=50)
    assert [str(w.message) for w in record if "missing from font" in str(w.message)] == []
    for ext in ("png", "svg", "pdf"):
        assert (tmp_path / f"{name}.{ext}").stat().st_size > 1000
    title = res.get_title() if not isinstance(res, Figure) else res._suptitle.get_text()
    has_cjk = any("\u4e00" <= c <= "\u9fff" for c in title)
    assert has_cjk == (lang == "zh"), title


def test_world_contents(small_world):
    calls = _world_calls(small_world)
    users, orders = small_world.users, small_world.orders
    ax = calls["plot_counts"]("zh")
    counts = users["channel"].value_counts()
    assert [p.get_height() for p in ax.patches] == counts.tolist()
    assert ticks(ax) == counts.index.tolist()
    ax = calls["plot_ordered_bars"]("zh")
    sums = orders.groupby("category")["amount"].sum().sort_values(ascending=False)
    np.testing.assert_allclose([p.get_height() for p in ax.patches], sums.to_numpy())
    ax = calls["plot_scatter"]("zh")
    assert len(ax.collections[0].get_offsets()) == orders["user_id"].nunique()
    ax = calls["plot_histogram"]("zh")
    assert sum(p.get_height() for p in ax.patches) == len(users)


def test_accepts_polars_frames(orders_like):
    pl = pytest.importorskip("polars")
    ax = basic.plot_ordered_bars(pl.from_pandas(orders_like), lang="zh")
    assert [p.get_height() for p in ax.patches] == [20000.0, 1200.0, 80.0]


def test_uses_given_axes_and_never_shows(orders_like, monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() called"))
    fig, (a1, a2) = plt.subplots(1, 2)
    assert basic.plot_box(orders_like, ax=a2) is a2
    assert basic.plot_counts(orders_like, x="category", ax=a1, title="我的标题") is a1
    assert a1.get_title() == "我的标题"
    assert basic.plot_counts(orders_like, x="category", title="kpi.orders", lang="en").get_title() == "Orders"


def test_log_axes_are_written_for_people(orders_like, rfm_like):
    ax = basic.plot_box(orders_like, logy=True, lang="zh")
    ax.figure.canvas.draw()
    shown = [t for t in ticks(ax, "y") if t]
    assert "¥1,000" in shown and "¥1万" in shown
    ax = basic.plot_jitter(rfm_like, logy=True, lang="en")
    ax.figure.canvas.draw()
    assert "¥10K" in ticks(ax, "y")
