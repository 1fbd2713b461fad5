"""Charts of the customer-value analyses: the RFM score grid and segment sizes (bars or treemap), the
Pareto (80/20) curve of revenue, and the KPI dashboard.

Each ``plot_…(data, *, ax=None, lang=None, title=None, …)`` draws the output of
:func:`opsplaybook.rfm`, an orders table or :func:`opsplaybook.kpis` on ``ax`` (a new figure when
None) and returns the Axes — or the Figure for the multi-panel KPI dashboard. Segment and KPI names
come from the label catalog in ``lang``; money is written in 元 (万/亿) or K/M, shares as %.
Nothing here calls ``plt.show()``.

>>> ax = plot_rfm_segments(rfm(world.orders), kind="treemap")  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from ..errors import InvalidParameterError, check_choice, check_columns
from ..labels import label
from . import _gallery_data as W
from ._style import (
    _close,
    _colors,
    _get_ax,
    _number_axis,
    _open,
    _period_index,
    _segment_name,
    date_formatter,
    format_number,
    yuan_formatter,
)

__all__ = ["plot_rfm_heatmap", "plot_rfm_segments", "plot_pareto", "plot_kpi_dashboard", "squarify_rects"]

#: KPI columns shown as shares (%) and as money (元) on the dashboard.
PERCENT_KPIS = {"stickiness", "cvr", "repeat_rate", "retention", "roi"}
MONEY_KPIS = {"gmv", "arpu", "arppu", "cac"}



# ------------------------------------------------------------------ RFM
def plot_rfm_heatmap(
    data,
    *,
    r_col: str = "r_score",
    f_col: str = "f_score",
    m_col: str = "monetary",
    annotate: bool = True,
    cmap: str = "OrRd",
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """R score × F score grid coloured by the mean monetary value of the customers in each cell,
    each cell annotated with that mean and its number of customers (``data`` from
    :func:`opsplaybook.rfm`). R runs from 5 (most recent) at the top down to 1."""
    df, _, lang = _open(data, lang=lang, axes=False, r_col=r_col, f_col=f_col, m_col=m_col)
    r_vals = sorted(df[r_col].dropna().unique(), reverse=True)
    f_vals = sorted(df[f_col].dropna().unique())
    grp = df.groupby([r_col, f_col])[m_col]
    mean = grp.mean().unstack(f_col).reindex(index=r_vals, columns=f_vals)
    count = grp.size().unstack(f_col).reindex(index=r_vals, columns=f_vals).fillna(0).astype(int)
    ax = _get_ax(ax, figsize=(1.8 + 1.1 * len(f_vals), 1.2 + 0.8 * len(r_vals)))
    values = mean.to_numpy(float)
    im = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, aspect="auto")
    cbar = ax.figure.colorbar(im, ax=ax, fraction=0.05, pad=0.02,
                              format=yuan_formatter(lang))
    cbar.set_label(label("ops.rfm.m_mean", lang))
    if annotate:
        vmin, vmax = np.nanmin(values), np.nanmax(values)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v, n = values[i, j], count.iat[i, j]
                if np.isnan(v):
                    continue
                dark = vmax > vmin and (v - vmin) / (vmax - vmin) > 0.6
                ax.text(j, i, label("ops.rfm.cell", lang).format(
                    m=format_number(v, lang, kind="yuan", decimals=0 if abs(v) < 1e4 else None), n=format_number(n, lang)),
                        ha="center", va="center", fontsize=9, color="white" if dark else "#222222",
                        gid="rfm-cell")
    ax.set_xticks(np.arange(len(f_vals)), [str(int(v)) if float(v).is_integer() else str(v) for v in f_vals])
    ax.set_yticks(np.arange(len(r_vals)), [str(int(v)) if float(v).is_integer() else str(v) for v in r_vals])
    ax.tick_params(length=0)
    ax.grid(False)
    return _close(ax, lang, title=title, default_title="ops.rfm.heatmap_title",
                  default_xlabel="ops.rfm.f_score", default_ylabel="ops.rfm.r_score")


def squarify_rects(values, x: float = 0.0, y: float = 0.0, dx: float = 1.0, dy: float = 1.0) -> list[tuple]:
    """Squarified treemap layout (Bruls, Huizing & van Wijk 2000): rectangles ``(x, y, w, h)``
    tiling the box, one per value in the given order (sort descending first for the best shapes),
    each with an area proportional to its value."""
    vals = np.asarray(list(values), dtype=float)
    if (vals < 0).any():
        raise InvalidParameterError("`values` must be ≥ 0 for a treemap.")
    total = vals.sum()
    if total <= 0:
        return [(x, y, 0.0, 0.0) for _ in vals]
    sizes = list(vals * dx * dy / total)

    def worst(row, side):
        s = sum(row)
        nonzero = [r for r in row if r > 0] or [s or 1.0]
        return max(max(side * side * r / (s * s), s * s / (side * side * r)) for r in nonzero) if s else np.inf

    rects, i = [], 0
    while i < len(sizes):
        side = min(dx, dy)
        row = [sizes[i]]
        i += 1
        while i < len(sizes) and worst(row + [sizes[i]], side) <= worst(row, side):
            row.append(sizes[i])
            i += 1
        s = sum(row)
        if i == len(sizes):  # last row fills what is left exactly
            s = dx * dy if s else 0.0
            row = [r * (dx * dy / sum(row)) for r in row] if sum(row) else row
        column = dx >= dy  # the row is laid as a column on the left, else as a row at the bottom
        side = dy if column else dx
        thick = s / side if side else 0.0  # its width (column) or height (row)
        at = y if column else x
        for r in row:
            length = r / thick if thick else 0.0
            rects.append((x, at, thick, length) if column else (at, y, length, thick))
            at += length
        if column:
            x, dx = x + thick, dx - thick
        else:
            y, dy = y + thick, dy - thick
    return rects


def plot_rfm_segments(
    data,
    *,
    kind: str = "bars",
    value: str = "users",
    segment_col: str = "segment_key",
    m_col: str = "monetary",
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Size of each RFM segment as sorted bars (``kind="bars"``) or a squarified treemap
    (``kind="treemap"``), annotated with the count (or money) and share. ``value="monetary"``
    sizes segments by their total monetary value instead of customers. Segment names come from
    the catalog in ``lang`` (``segment_key``); a frame with only a ``segment`` text column works too.
    """
    check_choice("kind", kind, ("bars", "treemap"))
    check_choice("value", value, ("users", "monetary"))
    money = value == "monetary"

    df, _, lang = _open(data, lang=lang, axes=False)
    if segment_col not in df.columns and segment_col == "segment_key" and "segment" in df.columns:
        segment_col = "segment"
    check_columns(df.columns, segment_col=segment_col, m_col=m_col if money else None)
    if value == "users":
        sizes = df.groupby(segment_col).size()
    else:
        sizes = df.groupby(segment_col)[m_col].sum()
    sizes = sizes.sort_values(ascending=False)
    keys = list(sizes.index)
    names = [_segment_name(k, lang) for k in keys]
    colors = _colors(keys, None)
    share = sizes / sizes.sum()
    texts = [f"{format_number(v, lang, kind='yuan' if money else 'number')} · {format_number(s, lang, kind='percent')}"
             for v, s in zip(sizes, share)]
    ax = _get_ax(ax, figsize=(9, 0.8 + 0.42 * len(keys)) if kind == "bars" else (10, 6))
    if kind == "bars":
        y = np.arange(len(keys))
        bars = ax.barh(y, sizes.to_numpy(float), color=colors, gid="rfm-segment")
        for b in bars:
            b.set_gid("rfm-segment")
        for yi, v, t in zip(y, sizes, texts):
            ax.annotate(t, (v, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlim(0, sizes.max() * 1.25)
        _number_axis(ax.xaxis, lang)
        ax.set_xlabel(label("ops.rfm.monetary" if money else "ops.rfm.users", lang))
        ax.set_ylabel(label("ops.rfm.segment", lang))
    else:
        for (rx, ry, rw, rh), name, t, color in zip(squarify_rects(sizes.to_numpy(float), 0, 0, 1, 1),
                                                     names, texts, colors):
            ax.add_patch(Rectangle((rx, ry), rw, rh, facecolor=color, edgecolor="white", lw=2, gid="rfm-segment"))
            if rw * rh > 0.004:
                fs = 10 if rw * rh > 0.05 else 7
                ax.text(rx + rw / 2, ry + rh / 2, f"{name}\n{t}", ha="center", va="center", fontsize=fs,
                        wrap=True, clip_on=True)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()
    return _close(ax, lang, title=title,
                  default_title="ops.rfm.segments_value_title" if money else "ops.rfm.segments_title")


# ------------------------------------------------------------------ Pareto
def plot_pareto(
    data,
    *,
    threshold: float = 0.8,
    user_col: str = "user_id",
    amount_col: str = "amount",
    n_users: int | None = None,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Pareto (80/20) curve: cumulative share of revenue against the share of users, top spenders
    first, with the point where ``threshold`` (80 %) of revenue is reached marked on both axes.

    ``data`` is an orders table (summed per ``user_col``), or per-user values (a Series, array or
    list). ``n_users`` counts users who spent nothing too (e.g. ``len(world.users)``), so the x axis
    is a share of all users rather than of buyers.
    """
    if not 0 < threshold < 1:
        raise InvalidParameterError(f"`threshold`={threshold!r} must be between 0 and 1, e.g. 0.8.")
    frame = isinstance(data, pd.DataFrame) or hasattr(data, "columns")
    df, _, lang = _open(data if frame else None, lang=lang, axes=False)
    if frame:
        check_columns(df.columns, user_col=user_col, amount_col=amount_col)
        values = df.groupby(user_col)[amount_col].sum().to_numpy(float)
    else:
        values = np.asarray(data, dtype=float)
    values = values[~np.isnan(values)]
    n = len(values) if n_users is None else int(n_users)
    if n < len(values):
        raise InvalidParameterError(f"`n_users`={n_users} is smaller than the {len(values)} users with values.")
    if values.sum() <= 0:
        raise InvalidParameterError("`data` has no positive amounts: nothing to draw a Pareto curve of.")
    from ..models.pareto import pareto  # the Lorenz curve and the head share, computed once in the models

    res = pareto(np.concatenate([values, np.zeros(n - len(values))]), value_share=threshold)
    xs, cum = res.curve["share_units"].to_numpy(), res.curve["share_value"].to_numpy()
    ux = res.head_share  # the share of users, top spenders first, that brings `threshold` of revenue
    ax = _get_ax(ax, figsize=(7, 6))
    ax.plot(xs, cum, color="#D9534F", lw=2.5, label=label("ops.pareto.curve", lang), gid="pareto-curve")
    ax.fill_between(xs, cum, xs, color="#D9534F", alpha=0.08)
    ax.plot([0, 1], [0, 1], ls="--", color="#999999", lw=1, label=label("ops.pareto.equality", lang))
    ax.plot([ux, ux, 0], [0, threshold, threshold], ls=":", color="#333333", lw=1)
    ax.plot([ux], [threshold], "o", color="#333333", gid="pareto-mark")
    ax.annotate(label("ops.pareto.mark", lang).format(users=format_number(ux, lang, kind="percent"),
                                                      value=format_number(threshold, lang, kind="percent", decimals=0)),
                (ux, threshold), xytext=(12, -28), textcoords="offset points", fontsize=10,
                arrowprops=dict(arrowstyle="-", color="#666666"), gid="pareto-label")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    _number_axis(ax.xaxis, lang, "percent")
    _number_axis(ax.yaxis, lang, "percent")
    ax.legend(loc="lower right", fontsize=9)
    ax.pareto_share = ux  # share of users that bring ``threshold`` of revenue
    return _close(ax, lang, title=title, default_title="ops.pareto.title",
                  default_xlabel="ops.pareto.xlabel", default_ylabel="ops.pareto.ylabel")


# ------------------------------------------------------------------ KPI dashboard
DEFAULT_KPIS = ("dau", "mau", "stickiness", "gmv", "cvr", "arppu")


def plot_kpi_dashboard(
    data,
    metrics: Sequence[str] | None = None,
    *,
    period_col: str = "period",
    ncols: int = 3,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Small multiples: one line chart per KPI column of ``data`` (from :func:`opsplaybook.kpis`),
    titled with its catalog name (``kpi.<column>``), the last value annotated, shares as % and
    money in 元 (万/亿) or K/M. Returns the Figure.

    ``ax`` may be a sequence of Axes (one per metric) or a single Axes whose area is split into the
    grid (so the dashboard fits a gallery cell); by default a new figure is made.
    """
    df, _, lang = _open(data, lang=lang, axes=False, period_col=period_col)
    if metrics is None:
        metrics = [m for m in DEFAULT_KPIS if m in df.columns]
    else:
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        for m in metrics:
            check_columns(df.columns, metrics=m)
    if not metrics:
        raise InvalidParameterError(f"No KPI to draw: pass `metrics=` with columns of the data; available: {list(df.columns)}.")
    nrows = -(-len(metrics) // max(1, ncols))
    ncols = -(-len(metrics) // nrows)  # balanced: 4 metrics make 2 × 2, not 3 + 1
    if ax is None:
        fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.8 * nrows), squeeze=False, layout="constrained")
        axes = list(axes.ravel())
    elif isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(np.ravel(ax))
        if len(axes) < len(metrics):
            raise InvalidParameterError(f"`ax` has {len(axes)} Axes for {len(metrics)} metrics.")
        fig = axes[0].figure
    else:
        fig = ax.figure
        grid = ax.get_subplotspec().subgridspec(nrows, ncols, hspace=0.6, wspace=0.35)
        ax.remove()
        axes = [fig.add_subplot(grid[i // ncols, i % ncols]) for i in range(nrows * ncols)]
    d = df.sort_values(period_col)
    x = _period_index(d[period_col])
    for a, m in zip(axes, metrics):
        y = d[m].to_numpy(float)
        a.plot(x, y, lw=1.6, color="#4C9BE8", gid=f"kpi-{m}")
        a.fill_between(x, y, alpha=0.1, color="#4C9BE8")
        kind = "percent" if m in PERCENT_KPIS else "yuan" if m in MONEY_KPIS else "number"
        _number_axis(a.yaxis, lang, kind)
        if isinstance(x, pd.DatetimeIndex):
            date_formatter(a, lang)  # month names in the chart language
            a.xaxis.get_major_locator().maxticks = dict.fromkeys(range(7), 5)  # few ticks per small panel
        last = y[~np.isnan(y)][-1] if (~np.isnan(y)).any() else np.nan
        a.set_title(f"{label(f'kpi.{m}', lang, default=m)}  {format_number(last, lang, kind=kind)}", fontsize=10, loc="left")
        a.tick_params(axis="x", labelsize=7)
        a.tick_params(axis="y", labelsize=7)
        a.set_ylim(bottom=0)
    for a in axes[len(metrics):]:
        a.set_visible(False)
    return _close(fig, lang, title=title, default_title="ops.kpi.title")


# ------------------------------------------------------------------ gallery
#: How the gallery builder draws each chart from a World: ``GALLERY[name](world, ax) -> Axes/Figure``.
GALLERY = {
    "plot_rfm_heatmap": lambda world, ax: plot_rfm_heatmap(W.rfm_of(world), ax=ax),
    "plot_rfm_segments": lambda world, ax: plot_rfm_segments(W.rfm_of(world), ax=ax),
    "plot_rfm_segments_treemap": lambda world, ax: plot_rfm_segments(W.rfm_of(world), kind="treemap", ax=ax),
    "plot_pareto": lambda world, ax: plot_pareto(world.orders, n_users=len(world.users), ax=ax),
    "plot_kpi_dashboard": lambda world, ax: plot_kpi_dashboard(
        W.analytics("kpis")(world.events, world.orders, freq="W", users=world.users), ax=ax),
}
