"""Charts of the revenue-driver split S = UV × CVR × P (销售额 = 访客数 × 转化率 × 客单价).

- :func:`plot_revenue_waterfall` draws the output of :func:`opsplaybook.revenue_drivers` as a
  waterfall: the base period's GMV, the parts due to UV, CVR and P, and the compare period's GMV.
- :func:`plot_revenue_drivers_by` draws one split per group (channel, city tier …) as horizontal
  stacked bars, with the net change of each group marked.

Both take ``ax=None`` (a new figure) and return the Axes; labels come from the catalog in ``lang``.
Increases are blue and decreases orange, as in the rest of the kit (red means "up" in China and
"bad" elsewhere, so it is not used for either).
"""
from __future__ import annotations

import math
import re

import numpy as np

from ..errors import DataValidationError
from ..labels import label
from ._style import NEGATIVE_COLOR, NEUTRAL_COLOR, POSITIVE_COLOR, _close, _get_ax, _open, format_number, yuan_formatter

__all__ = ["plot_revenue_waterfall", "plot_revenue_drivers_by"]

_FACTORS = ("uv", "cvr", "p")
_FACTOR_COLORS = {"uv": "#1f77b4", "cvr": "#2ca02c", "p": "#9467bd"}


def _wrap(name: str) -> str:
    """A bar name on two lines when long: "支付转化率CVR" -> "支付转化率\\nCVR", words wrapped in English."""
    if len(name) <= 6:
        return name
    if " " in name:
        import textwrap

        return "\n".join(textwrap.wrap(name, width=max(10, len(name) // 2 + 1)))
    m = re.search(r"[A-Za-z(（][A-Za-z()（）/]*$", name)  # a Latin abbreviation at the end
    return f"{name[:m.start()]}\n{name[m.start():]}" if m and m.start() > 0 else name


def _money(x: float, lang: str, *, signed: bool = False) -> str:
    s = format_number(abs(x) if signed else x, lang, kind="yuan")
    if signed:
        return ("+" if x >= 0 else "-") + s
    return s


def plot_revenue_waterfall(
    drivers,
    *,
    ax=None,
    lang: str | None = None,
    base_label: str | None = None,
    compare_label: str | None = None,
    title: str | None = None,
    ylabel: str | None = None,
    annotate: bool = True,
    # columns of ``drivers``
    factor_col: str = "factor",
    base_col: str = "base",
    compare_col: str = "compare",
    contribution_col: str = "contribution",
):
    """Waterfall of a revenue-driver split: GMV₀ → + UV part + CVR part + P part → GMV₁.

    Parameters
    ----------
    drivers : frame
        Output of :func:`opsplaybook.revenue_drivers` (three rows ``uv``, ``cvr``, ``p`` with the
        factor's value in each period and its contribution). GMV of each period is the product of
        the three factors (S = UV × CVR × P).
    ax : matplotlib Axes, optional
        Where to draw (a new figure when None).
    lang : {"zh", "en"}, optional
        Language of the labels (the current one by default).
    base_label, compare_label : str, optional
        Names of the two periods under the first and the last bar (e.g. "2025年11月").
    title, ylabel : str, optional
        Catalog keys or literal text (default: "what moved GMV" and "GMV (¥)"); ``""`` clears one.
    annotate : bool
        Write each bar's amount on it (¥, 万/亿 in Chinese, K/M in English).
    factor_col, base_col, compare_col, contribution_col : str
        Column names in ``drivers``.

    Returns
    -------
    matplotlib Axes. The five bars carry ``gid`` ``"base"``, ``"uv"``, ``"cvr"``, ``"p"``,
    ``"compare"``; their heights are the amounts (bottom + height is the running total).

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import revenue_drivers
    >>> k = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]),
    ...                   "uv": [1000, 1200], "buyers": [50, 54], "gmv": [5000.0, 5940.0]})
    >>> ax = plot_revenue_waterfall(revenue_drivers(k, "2025-01-01", "2025-02-01"), lang="en")
    >>> [round(float(p.get_height()), 2) for p in ax.patches]
    [5000.0, 996.67, -578.33, 521.67, 5940.0]
    """
    df, _, lang = _open(drivers, lang=lang, param="drivers", axes=False, factor_col=factor_col, base_col=base_col,
                        compare_col=compare_col, contribution_col=contribution_col)
    rows = df.set_index(factor_col)
    missing = [f for f in _FACTORS if f not in rows.index]
    if missing:
        raise DataValidationError(
            f"`drivers` column {factor_col!r} lacks the factor(s) {missing}; it has {list(rows.index)}. "
            "Pass the output of `revenue_drivers(...)`."
        )
    s0 = math.prod(float(rows.at[f, base_col]) for f in _FACTORS)
    s1 = math.prod(float(rows.at[f, compare_col]) for f in _FACTORS)
    parts = [float(rows.at[f, contribution_col]) for f in _FACTORS]

    ax = _get_ax(ax, figsize=(7.5, 4.5))
    gmv = label("driver.gmv", lang)
    names = [
        f"{gmv}\n{base_label}" if base_label else gmv,
        *(_wrap(label(f"driver.{f}", lang)) for f in _FACTORS),
        f"{gmv}\n{compare_label}" if compare_label else gmv,
    ]
    x = np.arange(5)
    running = s0
    ax.bar(x[0], s0, color=NEUTRAL_COLOR, width=0.6, gid="base")
    tops = [s0]
    for i, (f, c) in enumerate(zip(_FACTORS, parts), start=1):
        ax.bar(x[i], c, bottom=running, color=POSITIVE_COLOR if c >= 0 else NEGATIVE_COLOR, width=0.6, gid=f)
        ax.plot([x[i - 1] + 0.3, x[i] - 0.3], [running, running], color="#555555", lw=0.8)
        running += c
        tops.append(running)
    ax.plot([x[3] + 0.3, x[4] - 0.3], [running, running], color="#555555", lw=0.8)
    ax.bar(x[4], s1, color=NEUTRAL_COLOR, width=0.6, gid="compare")

    values = [s0, *parts, s1]
    lo = min(0.0, *tops, s1)
    hi = max(*tops, s1, s0)
    span = (hi - lo) or 1.0
    if annotate:
        for i, v in enumerate(values):
            signed = 0 < i < 4
            top = max(tops[i - 1], tops[i]) if signed else v
            ax.text(x[i], top + 0.02 * span, _money(v, lang, signed=signed), ha="center", va="bottom",
                    fontsize=9, gid=f"value-{i}")
    # the change is what people look at: do not start the axis at 0 when that hides it
    floor = min(tops + [s1])
    if floor < 0:  # a running total below zero (a factor's part larger than the base GMV) stays in view
        bottom = floor - 0.08 * span
        ax.axhline(0, color="#333333", lw=0.8)
    else:
        bottom = 0.0 if floor < 0.5 * hi else floor - 0.35 * span
    ax.set_ylim(bottom, hi + 0.12 * span)
    ax.set_xticks(x, names)
    ax.tick_params(axis="x", labelsize="small")
    ax.yaxis.set_major_formatter(yuan_formatter(lang))
    ax.grid(axis="x", visible=False)
    return _close(ax, lang, title=title, default_title="drivers.waterfall.title", ylabel=ylabel,
                  default_ylabel="drivers.waterfall.ylabel")


def plot_revenue_drivers_by(
    split,
    *,
    group_col: str = "group",
    ax=None,
    lang: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    uv_col: str = "uv",
    cvr_col: str = "cvr",
    p_col: str = "p",
):
    """One revenue-driver split per group as stacked horizontal bars, the net change marked ◆.

    Parameters
    ----------
    split : frame
        One row per group with the UV, CVR and P contributions (yuan) to that group's GMV change,
        e.g. the ``by_group`` table of :class:`opsplaybook.widgets.RevenueDriverState`. Rows are
        drawn top to bottom in the frame's order.
    group_col, uv_col, cvr_col, p_col : str
        Column names in ``split``.
    ax, lang, title, xlabel
        As in :func:`plot_revenue_waterfall`.

    Returns
    -------
    matplotlib Axes. Positive parts are stacked to the right of 0 and negative parts to the left;
    the net change of each group (the sum of its three parts) is the ◆ marker (``gid="net"``).

    Examples
    --------
    >>> import pandas as pd
    >>> split = pd.DataFrame({"group": ["A", "B"], "uv": [100.0, -50.0], "cvr": [-20.0, 10.0],
    ...                       "p": [5.0, 0.0]})
    >>> ax = plot_revenue_drivers_by(split, lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['A', 'B']
    """
    df, _, lang = _open(split, lang=lang, param="split", axes=False, group_col=group_col, uv_col=uv_col,
                        cvr_col=cvr_col, p_col=p_col)
    ax = _get_ax(ax, figsize=(7.5, max(2.5, 0.55 * len(df) + 1.5)))
    y = np.arange(len(df))
    pos = np.zeros(len(df))
    neg = np.zeros(len(df))
    for f, col in zip(_FACTORS, (uv_col, cvr_col, p_col)):
        v = df[col].to_numpy(float)
        left = np.where(v >= 0, pos, neg)
        ax.barh(y, v, left=left, color=_FACTOR_COLORS[f], height=0.6, label=label(f"driver.{f}", lang),
                gid=f)
        pos = pos + np.where(v >= 0, v, 0.0)
        neg = neg + np.where(v < 0, v, 0.0)
    net = pos + neg
    ax.scatter(net, y, marker="D", color="black", zorder=3, s=28, label=label("drivers.net", lang), gid="net")
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, [str(g) for g in df[group_col]])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(yuan_formatter(lang))
    handles, names = ax.get_legend_handles_labels()
    order = sorted(range(len(names)), key=lambda i: names[i] == label("drivers.net", lang))  # the factors, then ◆
    ax.legend([handles[i] for i in order], [names[i] for i in order], loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncol=4, fontsize=8, frameon=False)
    ax.grid(axis="y", visible=False)
    return _close(ax, lang, title=title, default_title="drivers.by.title", xlabel=xlabel,
                  default_xlabel="drivers.by.xlabel", pad=24)


# How the gallery draws each chart from a world (see charts/gallery.py).
def _gallery_waterfall(world, ax):
    from ..analytics import kpis, revenue_drivers

    k = kpis(world.events, world.orders, freq="M")
    periods = list(k["period"])
    return plot_revenue_waterfall(revenue_drivers(k, periods[-2], periods[-1]), ax=ax,
                                  base_label=str(periods[-2].date()), compare_label=str(periods[-1].date()))


def _gallery_by(world, ax):
    import pandas as pd

    from ..analytics import kpis, revenue_drivers

    rows = []
    for tier, ids in world.users.groupby("city_tier")["user_id"]:
        k = kpis(world.events[world.events["user_id"].isin(ids)], world.orders[world.orders["user_id"].isin(ids)],
                 freq="M")
        periods = list(k["period"])
        d = revenue_drivers(k, periods[-2], periods[-1]).set_index("factor")["contribution"]
        rows.append({"group": tier, **d.to_dict()})
    return plot_revenue_drivers_by(pd.DataFrame(rows), ax=ax)


GALLERY = {
    "plot_revenue_waterfall": _gallery_waterfall,
    "plot_revenue_drivers_by": _gallery_by,
}
