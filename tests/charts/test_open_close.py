"""The opening and closing every chart shares (``_style._open`` / ``_style._close``): language and
columns checked before any figure is made, any engine's frame accepted, titles and labels from the
caller or the chart's default."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import polars as pl  # noqa: E402
import pytest  # noqa: E402

import opsplaybook as ops  # noqa: E402
from opsplaybook.charts._style import _close, _open  # noqa: E402
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError  # noqa: E402
from opsplaybook.labels import label  # noqa: E402

ORDERS = pd.DataFrame({"user_id": [1, 1, 2, 3], "category": ["a", "b", "a", "c"], "amount": [10.0, 20.0, 5.0, 1.0]})

# (chart, frame, the keyword naming a column) for charts whose columns are parameters
BAD_COLUMN = [
    (ops.plot_scatter, ORDERS, "x"),
    (ops.plot_box, ORDERS, "y"),
    (ops.plot_counts, ORDERS, "x"),
    (ops.plot_histogram, ORDERS, "x"),
    (ops.plot_ordered_bars, ORDERS, "x"),
    (ops.plot_diverging_bars, ORDERS, "y"),
    (ops.plot_density_histogram, ORDERS, "x"),
    (ops.plot_pareto, ORDERS, "amount_col"),
    (ops.plot_funnel, pd.DataFrame({"step": [1], "step_name": ["visit"], "users": [3]}), "users_col"),
    (ops.plot_lifecycle_area, pd.DataFrame({"period": ["2025-01"], "stage": ["new"], "users": [3]}), "stage_col"),
    (ops.plot_sankey, pd.DataFrame({"from_stage": ["new"], "to_stage": ["active"], "users": [3]}), "to_col"),
    (ops.plot_rfm_heatmap, pd.DataFrame({"r_score": [5], "f_score": [1], "monetary": [9.0]}), "m_col"),
    (ops.plot_kpi_dashboard, pd.DataFrame({"period": ["2025-01"], "dau": [3]}), "period_col"),
    (ops.plot_channel_matrix, pd.DataFrame({"channel": ["a"], "volume": [1], "quality": [0.1], "spend": [1.0]}),
     "quality_col"),
]


@pytest.mark.parametrize(("chart", "frame", "param"), BAD_COLUMN, ids=[c.__name__ for c, _, _ in BAD_COLUMN])
def test_a_wrong_column_raises_before_any_figure_is_made(chart, frame, param):
    plt.close("all")
    with pytest.raises(ColumnNotFoundError, match=f"'nope' given as `{param}`"):
        chart(frame, **{param: "nope"})
    assert plt.get_fignums() == []  # nothing left behind for a notebook to show under the error


@pytest.mark.parametrize("chart", [ops.plot_scatter, ops.plot_funnel, ops.plot_kano, ops.plot_pareto])
def test_a_wrong_language_raises_before_any_figure_is_made(chart):
    plt.close("all")
    with pytest.raises(InvalidParameterError, match=r"`lang`='fr' is not allowed. Allowed: \['zh', 'en'\]"):
        chart(ORDERS, lang="fr")
    assert plt.get_fignums() == []


def test_open_takes_any_engine_and_checks_columns_first():
    df, ax, lang = _open(pl.from_pandas(ORDERS), lang="en", figsize=(3, 2), amount_col="amount")
    assert isinstance(df, pd.DataFrame) and df["amount"].sum() == 36.0
    assert lang == "en" and tuple(ax.figure.get_size_inches()) == (3, 2)
    given = plt.subplots()[1]
    assert _open(ORDERS, ax=given, lang="zh")[1] is given
    assert _open(None, lang="zh", axes=False) == (None, None, "zh")
    with pytest.raises(ColumnNotFoundError, match="Did you mean 'amount'"):
        _open(ORDERS, amount_col="amout")
    with pytest.raises(InvalidParameterError, match="`data` must be a data frame"):
        _open([1, 2, 3])


def test_close_uses_the_callers_text_else_the_default():
    ax = plt.subplots()[1]
    _close(ax, "zh", default_title="ops.funnel.title", default_xlabel="ops.funnel.xlabel", ylabel="我的指标")
    assert ax.get_title() == label("ops.funnel.title", "zh")
    assert ax.get_xlabel() == label("ops.funnel.xlabel", "zh") and ax.get_ylabel() == "我的指标"
    _close(ax, "en", title="kpi.gmv", default_title="ops.funnel.title", xlabel="")
    assert ax.get_title() == label("kpi.gmv", "en") and ax.get_xlabel() == ""
    assert ax.get_ylabel() == "我的指标"  # no default given: left as it was
    fig = plt.figure()
    assert _close(fig, "en", default_title="ops.kpi.title") is fig
    assert fig.get_suptitle() == label("ops.kpi.title", "en")


def test_every_chart_title_follows_the_caller():
    ax = ops.plot_box(ORDERS, x="category", y="amount", title="My box", xlabel="kpi.gmv", lang="en")
    assert ax.get_title() == "My box" and ax.get_xlabel() == label("kpi.gmv", "en")
    ax = ops.plot_pareto(ORDERS, title="ops.funnel.title", lang="zh")
    assert ax.get_title() == label("ops.funnel.title", "zh")
