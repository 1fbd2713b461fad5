"""The charts of the analytics' results (``funnel_retention_charts``, ``lifecycle_charts``,
``value_charts``): content asserted on small frames worked out by hand, on a toy world and on the
synthetic world, in Chinese and English, with no missing-glyph warning; exports of the Sankey and
the heatmap to PNG, SVG and PDF."""
from __future__ import annotations

import io
import warnings
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import PathPatch, Rectangle  # noqa: E402

from opsplaybook.charts import funnel_retention_charts, lifecycle_charts, value_charts  # noqa: E402
from opsplaybook.charts._style import color_for  # noqa: E402
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError  # noqa: E402
from opsplaybook.labels import label  # noqa: E402

LANGS = ["zh", "en"]
#: The three topic modules seen together: their public charts and their gallery entries.
_TOPICS = (funnel_retention_charts, lifecycle_charts, value_charts)
ops = SimpleNamespace(**{n: getattr(m, n) for m in _TOPICS for n in m.__all__},
                      __all__=[n for m in _TOPICS for n in m.__all__],
                      GALLERY={k: v for m in _TOPICS for k, v in m.GALLERY.items()})


# ------------------------------------------------------------------ helpers
def render(obj):
    """Draw the figure (text layout happens here) and fail on any warning, e.g. a missing glyph."""
    fig = obj if hasattr(obj, "savefig") else obj.figure
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    return obj


def texts(ax, gid=None):
    return [t.get_text() for t in ax.texts if gid is None or t.get_gid() == gid]


def hexes(colors):
    return [to_hex(c) for c in colors]


# ------------------------------------------------------------------ small frames
@pytest.fixture
def funnel_df():
    return pd.DataFrame({"step": [1, 2, 3, 4, 5],
                         "step_name": ["visit", "view", "cart", "checkout", "purchase"],
                         "users": [12000, 8000, 3000, 1500, 1200]})


@pytest.fixture
def retention_matrix():
    return pd.DataFrame({"cohort": pd.to_datetime(["2025-01-06", "2025-01-13", "2025-01-20"]),
                         "cohort_size": [500, 620, 480],
                         "0": [1.0, 1.0, 1.0], "1": [0.5, 0.4, np.nan], "2": [0.3, np.nan, np.nan]})


@pytest.fixture
def transitions():
    return pd.DataFrame({"from_stage": ["new", "new", "active", "active", "silent", "churned", "churned"],
                         "to_stage": ["active", "churned", "active", "silent", "churned", "churned", "returning"],
                         "users": [300, 100, 800, 200, 60, 900, 40]})


@pytest.fixture
def rfm_df():
    # 4 customers in (R5,F5) with monetary 100..400 (mean 250); 2 in (R1,F1) with 10, 30 (mean 20)
    return pd.DataFrame({"user_id": range(6), "r_score": [5, 5, 5, 5, 1, 1], "f_score": [5, 5, 5, 5, 1, 1],
                         "monetary": [100.0, 200.0, 300.0, 400.0, 10.0, 30.0],
                         "segment_key": ["important_value"] * 4 + ["general_retain"] * 2})


# ------------------------------------------------------------------ funnel
@pytest.mark.parametrize("lang", LANGS)
def test_funnel_bars_and_annotations(funnel_df, lang):
    ax = render(ops.plot_funnel(funnel_df, lang=lang))
    bars = [p for p in ax.patches if p.get_gid() == "funnel-bar"]
    assert [b.get_height() for b in bars] == [12000, 8000, 3000, 1500, 1200]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        label(f"event.{e}", lang) for e in ["visit", "view", "cart", "checkout", "purchase"]]
    overall = texts(ax, "funnel-overall")
    step = texts(ax, "funnel-step")
    if lang == "zh":
        assert overall[0] == "1.2万\n总转化 100%" and overall[2] == "3,000\n总转化 25%"
        assert ax.get_xlabel() == "漏斗步骤" and ax.get_ylabel() == "用户数" and ax.get_title() == "转化漏斗"
    else:
        assert overall[0] == "12K\noverall 100%" and overall[2] == "3K\noverall 25%"
        assert ax.get_ylabel() == "Users" and ax.get_title() == "Conversion funnel"
    # step conversion between bars: 8000/12000, 3000/8000, 1500/3000, 1200/1500
    assert step == ["→ 66.7%", "→ 37.5%", "→ 50%", "→ 80%"]


def test_funnel_breakdown_groups_bars(funnel_df):
    df = pd.concat([funnel_df.assign(platform="iOS"),
                    funnel_df.assign(platform="Android", users=[6000, 3000, 1500, 600, 300])])
    ax = render(ops.plot_funnel(df, lang="zh"))  # `by` found automatically
    bars = [p for p in ax.patches if p.get_gid() == "funnel-bar"]
    assert len(bars) == 10
    assert len({to_hex(b.get_facecolor()) for b in bars}) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["iOS", "Android"]
    assert "300\n5%" in texts(ax, "funnel-overall")  # Android purchase: 300 of 6000


def test_funnel_errors_teach(funnel_df):
    with pytest.raises(ColumnNotFoundError, match="`users_col`.*Did you mean 'users'"):
        ops.plot_funnel(funnel_df, users_col="user")
    with pytest.raises(InvalidParameterError, match="`lang`='fr'"):
        ops.plot_funnel(funnel_df, lang="fr")


# ------------------------------------------------------------------ retention
@pytest.mark.parametrize("lang", LANGS)
def test_retention_heatmap_cells_and_sizes(retention_matrix, lang):
    result = SimpleNamespace(matrix=retention_matrix, period="W")
    ax = render(ops.plot_retention_heatmap(result, lang=lang))
    assert texts(ax, "retention-cell") == ["100.0%", "50.0%", "30.0%", "100.0%", "40.0%", "100.0%"]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    if lang == "zh":
        assert ticks == ["2025-01-06（500人）", "2025-01-13（620人）", "2025-01-20（480人）"]
        assert ax.get_xlabel() == "第N周" and ax.get_title() == "同期群留存率"
    else:
        assert ticks[0] == "2025-01-06 (n=500)" and ax.get_xlabel() == "Week N"
    assert ax.images[0].get_array().mask.sum() == 3  # not-yet-reached cells stay blank


def test_retention_curves_from_matrix_mean_and_segments(retention_matrix):
    ax = render(ops.plot_retention_curves(retention_matrix, lang="zh"))
    curves = [ln for ln in ax.lines if ln.get_gid() == "retention-curve"]
    mean = [ln for ln in ax.lines if ln.get_gid() == "retention-mean"][0]
    assert len(curves) == 3
    # weighted mean of period 1 over the cohorts that reached it: (0.5*500 + 0.4*620) / 1120
    np.testing.assert_allclose(mean.get_ydata(), [1.0, (250 + 248) / 1120, 0.3])
    assert mean.get_label() == "加权平均" and ax.get_ylabel() == "留存率"

    mean_df = pd.DataFrame({"period": [0, 1, 2], "weighted": [1.0, 0.45, 0.3], "simple": [1.0, 0.4, 0.3],
                            "cohorts": [3, 2, 1]})
    ax = render(ops.plot_retention_curves(mean_df, value="simple", lang="en"))
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1.0, 0.4, 0.3])
    assert "40%" in texts(ax)

    seg = {"important_value": mean_df, "general_retain": mean_df.assign(weighted=[1.0, 0.2, 0.1])}
    ax = render(ops.plot_retention_curves(seg, lang="zh"))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["重要价值客户", "一般挽留客户"]
    assert hexes(ln.get_color() for ln in ax.lines) == [color_for("rfm.cn8.important_value"),
                                                        color_for("rfm.cn8.general_retain")]


# ------------------------------------------------------------------ lifecycle
@pytest.fixture
def lifecycle_counts():
    periods = pd.date_range("2025-01-01", periods=4, freq="MS")
    rows = [(p, s, 10 * (i + 1) * (j + 1)) for i, p in enumerate(periods)
            for j, s in enumerate(["churned", "new", "active", "silent"])]  # stage order scrambled
    return pd.DataFrame(rows, columns=["period", "stage", "users"])


@pytest.mark.parametrize("lang", LANGS)
def test_lifecycle_area_stage_order_colours_names(lifecycle_counts, lang):
    ax = render(ops.plot_lifecycle_area(lifecycle_counts, lang=lang))
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    order = ["new", "active", "silent", "churned"]  # lifecycle order, not data order
    assert len(polys) == 4
    assert hexes(p.get_facecolor()[0] for p in polys) == [color_for(f"stage.{k}") for k in order]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [label(f"stage.{k}", lang) for k in reversed(order)]  # top of the stack first
    assert ax.get_ylabel() == label("ops.lifecycle.users", lang)


def test_lifecycle_area_normalized_tops_at_one(lifecycle_counts):
    ax = render(ops.plot_lifecycle_area(lifecycle_counts, normalize=True, lang="zh"))
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(1.0)
    assert ax.get_yticklabels()[-1].get_text().endswith("%")


def test_posthog_lifecycle_dormant_below_zero():
    periods = pd.date_range("2025-01-06", periods=3, freq="W-MON")
    df = pd.DataFrame([(p, s, n) for p in periods for s, n in
                       [("new", 10), ("returning", 20), ("resurrecting", 5), ("dormant", -8)]],
                      columns=["period", "status", "users"])
    ax = render(ops.plot_posthog_lifecycle(df, lang="zh"))
    dormant = [p for p in ax.patches if p.get_gid() == "posthog-dormant"]
    resurrecting = [p for p in ax.patches if p.get_gid() == "posthog-resurrecting"]
    assert [b.get_height() for b in dormant] == [-8, -8, -8]
    assert [(b.get_y(), b.get_height()) for b in resurrecting] == [(30, 5)] * 3  # stacked on new+returning
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["新增", "持续活跃", "回流", "本期流失"]
    assert to_hex(dormant[0].get_facecolor()) == color_for("posthog.dormant")


# ------------------------------------------------------------------ Sankey
def _flows(ax):
    return [p for p in ax.patches if isinstance(p, PathPatch) and p.get_gid() == "sankey-flow"]


def _left_width(patch):
    v = patch.get_path().vertices
    return v[0, 1] - v[7, 1]


def _right_width(patch):
    v = patch.get_path().vertices
    return v[3, 1] - v[4, 1]


@pytest.mark.parametrize("lang", LANGS)
def test_sankey_ribbons_proportional_to_users(transitions, lang):
    ax = render(ops.plot_sankey(transitions, lang=lang))
    flows = _flows(ax)
    assert len(flows) == len(transitions)
    users = np.array([p.flow[2] for p in flows])
    widths = np.array([_left_width(p) for p in flows])
    np.testing.assert_allclose(widths / users, widths[0] / users[0])
    np.testing.assert_allclose([_right_width(p) for p in flows], widths)
    assert sorted(users) == sorted(transitions["users"])
    for p in flows:  # a ribbon has the colour of its source stage
        assert to_hex(p.get_facecolor()) == color_for(f"stage.{p.flow[0]}")
    # node bars as tall as their users; left in lifecycle order new, active, silent, churned
    left = [p for p in ax.patches if p.get_gid() == "sankey-node-left"]
    heights = np.array([p.get_height() for p in left])
    np.testing.assert_allclose(heights / heights[0], np.array([400, 1000, 60, 940]) / 400)
    labels_ = texts(ax, "sankey-label-left")
    if lang == "zh":
        assert labels_ == ["新用户  400", "活跃用户  1,000", "沉默用户  60", "流失用户  940"]
        assert ax.get_title() == "生命周期阶段流转（桑基图）"
    else:
        assert labels_ == ["New  400", "Active  1K", "Silent  60", "Churned  940"]
    assert texts(ax, "sankey-label-right")[-1] == label("stage.returning", lang) + "  40"


@pytest.mark.parametrize("lang", LANGS)
def test_sankey_of_other_flows_has_a_neutral_title(lang):
    """Value levels moving between two dates are not lifecycle stages: the default title says so."""
    flows = pd.DataFrame({"before": ["中坚", "中坚", "(new)"], "after": ["高价值", "中坚", "高价值"], "users": [36, 50, 32]})
    ax = render(ops.plot_sankey(flows, stages=["(new)", "中坚", "高价值"], from_col="before", to_col="after", lang=lang))
    assert ax.get_title() == {"zh": "用户流动（桑基图）", "en": "How users moved (Sankey)"}[lang]
    assert sorted(p.flow[2] for p in _flows(ax)) == [32, 36, 50]


def test_sankey_ribbons_stack_without_overlap(transitions):
    ax = render(ops.plot_sankey(transitions, lang="zh"))
    left = {}
    for p in _flows(ax):
        v = p.get_path().vertices
        left.setdefault(p.flow[0], []).append((v[7, 1], v[0, 1]))
    for spans in left.values():
        spans.sort()
        for (b0, t0), (b1, t1) in zip(spans, spans[1:]):
            assert t0 == pytest.approx(b1)


def test_sankey_skips_empty_and_rejects_negative(transitions):
    df = pd.concat([transitions, pd.DataFrame({"from_stage": ["new"], "to_stage": ["silent"], "users": [0]})])
    assert len(_flows(ops.plot_sankey(df))) == len(transitions)
    with pytest.raises(InvalidParameterError, match="negative"):
        ops.plot_sankey(transitions.assign(users=-transitions["users"]))
    with pytest.raises(ColumnNotFoundError, match="`from_col`"):
        ops.plot_sankey(transitions.rename(columns={"from_stage": "src"}))


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_sankey_and_heatmap_export(transitions, retention_matrix, fmt):
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt]
    for ax in (ops.plot_sankey(transitions, lang="zh"), ops.plot_retention_heatmap(retention_matrix, lang="zh")):
        buf = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ax.figure.savefig(buf, format=fmt)
        data = buf.getvalue()
        assert data.startswith(magic) and len(data) > 5000
        if fmt == "svg":
            assert data.count(b"<path") > 10


def test_sankey_figure_plotly(transitions):
    fig = ops.sankey_figure(transitions, lang="zh")
    link = fig.data[0].link
    assert list(link.value) == transitions["users"].astype(float).tolist()
    assert "活跃用户" in fig.data[0].node.label
    assert fig.layout.title.text == "生命周期阶段流转（桑基图）"


# ------------------------------------------------------------------ RFM
@pytest.mark.parametrize("lang", LANGS)
def test_rfm_heatmap_mean_monetary_and_counts(rfm_df, lang):
    ax = render(ops.plot_rfm_heatmap(rfm_df, lang=lang))
    arr = ax.images[0].get_array()
    np.testing.assert_allclose(arr.data, [[np.nan, 250.0], [20.0, np.nan]])  # rows R5, R1; cols F1, F5
    cells = texts(ax, "rfm-cell")
    assert cells == (["¥250\n4人", "¥20\n2人"] if lang == "zh" else ["¥250\nn=4", "¥20\nn=2"])
    assert ax.get_ylabel() == label("ops.rfm.r_score", lang)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["5", "1"]


@pytest.mark.parametrize("lang", LANGS)
def test_rfm_segment_bars(rfm_df, lang):
    ax = render(ops.plot_rfm_segments(rfm_df, lang=lang))
    bars = [p for p in ax.patches if p.get_gid() == "rfm-segment"]
    assert [b.get_width() for b in bars] == [4, 2]
    assert hexes(b.get_facecolor() for b in bars) == [color_for("rfm.cn8.important_value"),
                                                      color_for("rfm.cn8.general_retain")]
    assert [t.get_text() for t in ax.get_yticklabels()] == [label("rfm.cn8.important_value", lang),
                                                            label("rfm.cn8.general_retain", lang)]
    assert texts(ax) == ["4 · 66.7%", "2 · 33.3%"]


def test_rfm_segment_treemap_areas_and_money(rfm_df):
    ax = render(ops.plot_rfm_segments(rfm_df, kind="treemap", value="monetary", lang="zh"))
    rects = [p for p in ax.patches if p.get_gid() == "rfm-segment"]
    areas = [r.get_width() * r.get_height() for r in rects]
    np.testing.assert_allclose(areas, [1000 / 1040, 40 / 1040])
    assert texts(ax)[0] == "重要价值客户\n¥1,000 · 96.2%"
    assert ax.get_title() == "RFM客户分层消费金额"
    with pytest.raises(InvalidParameterError, match="`kind`='pie'"):
        ops.plot_rfm_segments(rfm_df, kind="pie")


def test_rfm_segments_accepts_full_keys_and_label_column(rfm_df):
    ax = ops.plot_rfm_segments(rfm_df.assign(segment_key="cn8." + rfm_df["segment_key"]), lang="en")
    assert ax.get_yticklabels()[0].get_text() == "Important value"
    ax = ops.plot_rfm_segments(rfm_df.drop(columns="segment_key").assign(segment="A"), lang="en")
    assert ax.get_yticklabels()[0].get_text() == "A"


@pytest.mark.parametrize("values", [[5, 3, 2, 1, 1], [6, 6, 4, 3, 2, 2, 1], [1], [10, 0, 0], list(range(30, 0, -1))])
def test_squarify_tiles_the_box(values):
    rects = ops.squarify_rects(values, 0, 0, 3, 2)
    areas = np.array([w * h for _, _, w, h in rects])
    np.testing.assert_allclose(areas, np.array(values) / sum(values) * 6, atol=1e-9)
    for x, y, w, h in rects:
        assert -1e-9 <= x and x + w <= 3 + 1e-9 and -1e-9 <= y and y + h <= 2 + 1e-9
    for i, (x0, y0, w0, h0) in enumerate(rects):  # no two rectangles overlap
        for x1, y1, w1, h1 in rects[i + 1:]:
            overlap = max(0, min(x0 + w0, x1 + w1) - max(x0, x1)) * max(0, min(y0 + h0, y1 + h1) - max(y0, y1))
            assert overlap < 1e-9


# ------------------------------------------------------------------ Pareto
@pytest.mark.parametrize("lang", LANGS)
def test_pareto_marks_where_80_percent_is_reached(lang):
    # 10 users: one spends 70, one 10, the rest 2.5 each (total 100) -> 2 of 10 reach 80 %
    orders = pd.DataFrame({"user_id": [1, 1, 2] + list(range(3, 11)),
                           "amount": [50.0, 20.0, 10.0] + [2.5] * 8})
    ax = render(ops.plot_pareto(orders, lang=lang))
    assert ax.pareto_share == pytest.approx(0.2)
    curve = [ln for ln in ax.lines if ln.get_gid() == "pareto-curve"][0]
    np.testing.assert_allclose(curve.get_ydata()[:3], [0, 0.7, 0.8])
    mark = texts(ax, "pareto-label")[0]
    assert mark == ("前20%的用户贡献80%的收入" if lang == "zh" else "top 20% of users bring 80% of revenue")
    assert ax.get_xlabel() == label("ops.pareto.xlabel", lang)
    # 10 more users who bought nothing halve the share of users
    ax = ops.plot_pareto(orders, n_users=20, lang=lang)
    assert ax.pareto_share == pytest.approx(0.1)


def test_pareto_values_and_errors():
    ax = ops.plot_pareto(pd.Series([1.0, 1.0, 1.0, 1.0]))
    assert ax.pareto_share == pytest.approx(0.8)
    with pytest.raises(InvalidParameterError, match="`threshold`"):
        ops.plot_pareto([1, 2], threshold=80)
    with pytest.raises(InvalidParameterError, match="`n_users`"):
        ops.plot_pareto([1, 2, 3], n_users=2)


# ------------------------------------------------------------------ KPI dashboard
@pytest.fixture
def kpis_df():
    days = pd.date_range("2025-01-01", periods=30)
    return pd.DataFrame({"period": days, "dau": np.linspace(1000, 3000, 30), "gmv": np.linspace(5e4, 1.5e5, 30),
                         "cvr": np.linspace(0.02, 0.05, 30)})


@pytest.mark.parametrize("lang", LANGS)
def test_kpi_dashboard_small_multiples(kpis_df, lang):
    fig = render(ops.plot_kpi_dashboard(kpis_df, ["dau", "gmv", "cvr"], lang=lang))
    axes = [a for a in fig.axes if a.get_visible()]
    assert len(axes) == 3
    titles = [a.get_title(loc="left") for a in axes]
    if lang == "zh":
        assert titles == ["日活DAU  3,000", "销售额GMV  ¥15万", "支付转化率  5%"]
        assert fig.get_suptitle() == "核心指标看板"
    else:
        assert titles == ["DAU  3K", "GMV  ¥150K", "Conversion rate  5%"]
    np.testing.assert_allclose(axes[1].lines[0].get_ydata(), kpis_df["gmv"])
    gmv_ticks = [t.get_text() for t in axes[1].get_yticklabels() if t.get_text()]
    assert all(t.startswith("¥") for t in gmv_ticks)
    assert all(t.get_text().endswith("%") for t in axes[2].get_yticklabels() if t.get_text())


def test_kpi_dashboard_splits_a_given_axes(kpis_df):
    fig, ax = plt.subplots()
    out = ops.plot_kpi_dashboard(kpis_df, ["dau", "cvr"], ax=ax)
    assert out is fig and ax not in fig.axes and len(fig.axes) == 2
    with pytest.raises(ColumnNotFoundError, match="'mua'.*Did you mean 'mau'|'mua'"):
        ops.plot_kpi_dashboard(kpis_df.assign(mau=1), ["mua"])


# ------------------------------------------------------------------ worlds
def toy_world(n=300, seed=3):
    """A tiny world with the columns the gallery uses (the real one is tested below when present)."""
    rng = np.random.default_rng(seed)
    signup = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 150 * 86400, n), unit="s")
    users = pd.DataFrame({"user_id": np.arange(1, n + 1), "signup_ts": signup})
    steps = ["visit", "view", "cart", "checkout", "purchase"]
    rows, orders = [], []
    for uid, s in zip(users["user_id"], signup):
        life = rng.integers(1, 200)
        for _ in range(rng.poisson(5) + 1):
            t = s + pd.Timedelta(days=float(rng.uniform(0, life)))
            tp = rng.choice(["app", "h5"])
            for k, ev in enumerate(steps[: rng.choice(5, p=[0.35, 0.3, 0.15, 0.05, 0.15]) + 1]):
                rows.append((uid, t + pd.Timedelta(minutes=k), ev, tp))
                if ev == "purchase":
                    orders.append((uid, t + pd.Timedelta(minutes=k), round(float(rng.lognormal(4, 0.8)), 2)))
    events = pd.DataFrame(rows, columns=["user_id", "ts", "event", "touchpoint"]).sort_values("ts", ignore_index=True)
    persona = pd.Series(rng.choice(["loyal_vip", "price_sensitive", "early_adopter"], n), index=users["user_id"])
    return SimpleNamespace(users=users, events=events,
                           orders=pd.DataFrame(orders, columns=["user_id", "ts", "amount"]),
                           truth={"user_persona": persona})


@pytest.fixture(scope="module")
def toy():
    return toy_world()


@pytest.mark.parametrize("name", sorted(ops.GALLERY))
def test_gallery_draws_every_chart_on_toy_world(toy, name):
    fig, ax = plt.subplots()
    out = render(ops.GALLERY[name](toy, ax))
    assert out is ax or out is fig
    assert (out.get_title() if out is ax else out.get_suptitle())


@pytest.mark.parametrize("module", _TOPICS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_public_chart_has_a_gallery_entry(module):
    plots = {n for n in module.__all__ if n.startswith("plot_")}
    assert plots <= set(module.GALLERY)


@pytest.mark.parametrize("name", sorted(ops.GALLERY))
def test_gallery_on_synthetic_world(small_world, name):
    fig, ax = plt.subplots()
    render(ops.GALLERY[name](small_world, ax))


def test_world_funnel_and_sankey_content(small_world):
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(16, 6))
    ax = render(ops.GALLERY["plot_funnel"](small_world, a1))
    heights = [p.get_height() for p in ax.patches if p.get_gid() == "funnel-bar"]
    assert len(heights) == 5 and heights == sorted(heights, reverse=True) and heights[-1] > 0
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "访问"
    ax = render(ops.GALLERY["plot_sankey"](small_world, a2))
    flows = _flows(ax)
    users = np.array([p.flow[2] for p in flows])
    widths = np.array([_left_width(p) for p in flows])
    assert len(flows) >= 4
    np.testing.assert_allclose(widths / users, widths[0] / users[0])


def test_world_rfm_segments_named_from_catalog(small_world):
    ax = render(ops.GALLERY["plot_rfm_segments"](small_world, None))
    names = {t.get_text() for t in ax.get_yticklabels()}
    from opsplaybook.labels import labels_for

    assert names <= set(labels_for("rfm.cn8", "zh").values()) | set(labels_for("rfm.en11", "zh").values())
    assert sum(p.get_width() for p in ax.patches if p.get_gid() == "rfm-segment") == small_world.orders["user_id"].nunique()


def test_world_retention_heatmap_from_result(small_world):
    from opsplaybook import retention

    res = retention(small_world.events, period="W", periods=6)
    ax = render(ops.plot_retention_heatmap(res, max_cohorts=5, lang="zh"))
    shown = res.matrix.head(5)[[c for c in res.matrix.columns if str(c).isdigit()]]
    assert len(texts(ax, "retention-cell")) == int(shown.notna().sum().sum())
    assert texts(ax, "retention-cell")[1] == f"{shown.iloc[0]['1'] * 100:.1f}%"
    assert ax.get_xlabel() == "第N周"
    assert ax.get_yticklabels()[0].get_text().endswith(f"（{res.matrix['cohort_size'].iloc[0]}人）")
    ax = render(ops.plot_retention_curves(res.mean, lang="en", unit="W"))
    np.testing.assert_allclose(ax.lines[0].get_ydata(), res.mean["weighted"])
    assert ax.get_xlabel() == "Week N"
