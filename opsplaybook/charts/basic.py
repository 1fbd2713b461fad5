"""The twelve chart types of the course's monitoring module (监控模块的十二种基础图表).

Each is ``plot_…(data, *, x=…, y=…, hue=…, ax=None, lang=None, title=None, …)``: data first, columns
named by keyword parameters whose defaults fit the synthetic world's tables and analysis results,
and the matplotlib Axes returned (a Figure for :func:`plot_pairs`, which draws a grid). Titles and
axis labels come from the catalog in ``lang`` (the current language by default); segment, stage and
persona keys are shown by their names in that language and keep their fixed colours. Numbers on the
axes are written for people (万/亿 or K/M, ¥, %). Nothing calls ``plt.show()``.

=========================  ===========================================  =========================
chart                      function                                     default data
=========================  ===========================================  =========================
scatter 散点图              :func:`plot_scatter`                          ``rfm(orders)``
bubble 气泡图               :func:`plot_bubble`                           ``rfm(orders)``, by segment
jitter 抖动图               :func:`plot_jitter`                           ``rfm(orders)``
count plot 计数图           :func:`plot_counts`                           ``world.users``
histogram 直方图            :func:`plot_histogram`                        ``world.users`` (age)
box plot 箱线图             :func:`plot_box`                              ``world.orders``
correlogram 相关图          :func:`plot_correlogram`                      ``world.survey_preference``
matrix (pair) plot 矩阵图   :func:`plot_pairs`                            ``rfm(orders)``
diverging bars 发散条形图    :func:`plot_diverging_bars`                   ``world.orders``
ordered bars 有序条形图      :func:`plot_ordered_bars`                     ``world.orders``
area chart 面积图           :func:`plot_area`                             ``lifecycle_counts(...)``
continuous histogram 密度图 :func:`plot_density_histogram`                ``world.orders`` (amount)
=========================  ===========================================  =========================
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, check_choice, check_columns
from ..labels import label
from . import _gallery_data as W
from ._style import (
    DIVERGING_CMAP,
    NEGATIVE_COLOR,
    NEUTRAL_COLOR,
    PALETTE,
    POSITIVE_COLOR,
    HumanFormatter,
    _close,
    _get_ax,
    _number_axis,
    _open,
    category_display,
    column_label,
    date_formatter,
    format_number,
    number_formatter,
    percent_formatter,
    value_formatter,
    value_kind,
)

__all__ = [
    "plot_scatter",
    "plot_bubble",
    "plot_jitter",
    "plot_counts",
    "plot_histogram",
    "plot_box",
    "plot_correlogram",
    "plot_pairs",
    "plot_diverging_bars",
    "plot_ordered_bars",
    "plot_area",
    "plot_density_histogram",
]

_AGGS = ("sum", "mean", "median", "count")


# ------------------------------------------------------------------ helpers
def _title(key: str, lang: str, **cols) -> str:
    return label(key, lang).format(**{k: column_label(v, lang) for k, v in cols.items()})


def _optional(df: pd.DataFrame, col, default) -> str | None:
    """A column parameter whose default is used only when the data has it."""
    if col is None:
        return None
    if col == default and col not in df.columns:
        return None
    return col


def _categorical(df: pd.DataFrame, col: str, lang: str, order=None, by_count: bool = False):
    """Copy of ``df[col]`` as display text, plus order and palette (see category_display)."""
    s = df[col]
    if isinstance(s.dtype, pd.CategoricalDtype):
        values = [c for c in s.cat.categories if (s == c).any()]
    elif by_count:
        values = list(s.value_counts(sort=True).index)
    else:
        values = list(pd.unique(s.dropna()))
        try:
            values = sorted(values)
        except TypeError:
            pass
    display, natural, palette = category_display(values, lang)
    shown = s.map(display)
    if order is not None:
        order = [display.get(v, str(v)) for v in order]
    elif by_count:
        order = [display[v] for v in values]
    else:
        order = natural
    return shown, order, palette


def _palette_or_default(palette, order):
    if palette is not None:
        return palette
    return {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(order)}


def _rotate_if_long(ax, axis: str = "x") -> None:
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    texts = [t.get_text() for t in labels]
    width = sum(sum(2 if ord(c) > 0x2E80 else 1 for c in t) for t in texts)
    if axis == "x" and (width > 48 or (len(texts) > 6 and max((len(t) for t in texts), default=0) > 4)):
        for t in labels:
            t.set_rotation(30)
            t.set_horizontalalignment("right")
            t.set_rotation_mode("anchor")


def _format_axis(ax, which: str, column, lang: str, kind: str | None = None) -> None:
    _number_axis(ax.xaxis if which == "x" else ax.yaxis, lang, kind or value_kind(column))


def _format_log_axis(ax, which: str, column, lang: str) -> None:
    """Log axes: each decade tick written for people (``¥100``, ``¥1,000``, ``¥1万``)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis = ax.xaxis if which == "x" else ax.yaxis
    kind = value_kind(column)
    axis.set_major_formatter(FuncFormatter(lambda v, pos: format_number(v, lang, kind=kind)))
    axis.set_minor_formatter(NullFormatter())


def _legend_title(ax, hue, lang, outside: bool = False) -> None:
    leg = ax.get_legend()
    if leg is not None and hue is not None:
        leg.set_title(column_label(hue, lang))
        if outside:
            import seaborn as sns

            sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False,
                            title=column_label(hue, lang))


def _aggregate(df: pd.DataFrame, by: str, value: str | None, agg: str) -> pd.Series:
    """``value`` aggregated per ``by`` with ``agg`` (checked by the caller), or the rows counted."""
    if value is None or agg == "count":
        return df.groupby(by, sort=False, observed=True).size()
    return df.groupby(by, sort=False, observed=True)[value].agg(agg)


def _bar_value_labels(ax, container, values, lang, kind, signed=False, **kw) -> None:
    labs = []
    for v in values:
        s = format_number(v, lang, kind=kind)
        if signed and v > 0:
            s = "+" + s
        labs.append(s)
    ax.bar_label(container, labels=labs, padding=3, fontsize="small", **kw)


# ------------------------------------------------------------------ 1 scatter
def plot_scatter(data, *, x: str = "frequency", y: str = "monetary", hue: str | None = "segment",
                 # appearance
                 size: float = 18, alpha: float = 0.6, logx: bool = False, logy: bool = False,
                 # labels
                 title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Scatter plot (散点图) of two numeric columns, one point per row, coloured by ``hue``.

    Default: the RFM table (:func:`opsplaybook.rfm`): frequency × monetary, coloured by segment
    (each segment keeps its fixed colour). ``hue`` is ignored when left at ``"segment"`` and the
    data has no such column. Extra keyword arguments go to :func:`seaborn.scatterplot`.
    """
    import seaborn as sns

    # hue left at "segment" is dropped when the data has no segment column; any other hue is checked
    df, ax, lang = _open(data, ax=ax, lang=lang, x=x, y=y, hue=None if hue == "segment" else hue)
    hue = _optional(df, hue, "segment")
    plot_df = df[[x, y]].copy()
    palette = order = None
    if hue is not None:
        plot_df["_hue"], order, palette = _categorical(df, hue, lang)
        palette = _palette_or_default(palette, order)
    sns.scatterplot(data=plot_df, x=x, y=y, hue="_hue" if hue else None, hue_order=order,
                    palette=palette if hue else None, s=size, alpha=alpha, linewidth=0,
                    color=None if hue else PALETTE[0], ax=ax, **kwargs)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    for which, col, log in (("x", x, logx), ("y", y, logy)):
        (_format_log_axis if log else _format_axis)(ax, which, col, lang)
    _legend_title(ax, hue, lang, outside=True)
    if ax.get_legend() is not None:
        for h in ax.get_legend().legend_handles:
            if h is not None:
                h.set_alpha(1)
    return _close(ax, lang, title=title, default_title=_title("basic.scatter.title", lang, x=x, y=y),
                  xlabel=xlabel, default_xlabel=column_label(x, lang),
                  ylabel=ylabel, default_ylabel=column_label(y, lang))


# ------------------------------------------------------------------ 2 bubble
def plot_bubble(data, *, x: str = "recency", y: str = "frequency", size: str = "monetary",
                hue: str | None = "segment", by: str | None = None, agg: str = "mean",
                # appearance
                sizes: tuple[float, float] = (60, 1600), alpha: float = 0.6, annotate: bool | None = None,
                # labels
                title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Bubble chart (气泡图): a scatter whose point area shows a third column.

    With ``by`` (e.g. ``by="segment"``) the rows are first grouped: one bubble per group at the
    group's ``agg`` (mean) of ``x`` and ``y``, with area the group's *sum* of ``size`` (or its row
    count when ``size="count"``), coloured and labelled by the group. Default: the RFM table.
    """
    import seaborn as sns

    check_choice("agg", agg, ("mean", "median", "sum"))
    if by is not None:
        df, ax, lang = _open(data, ax=ax, lang=lang, by=by, x=x, y=y, size=None if size == "count" else size)
        g = df.groupby(by, observed=True, sort=False)
        plot_df = pd.DataFrame({x: g[x].agg(agg), y: g[y].agg(agg),
                                size: g.size() if size == "count" else g[size].sum()}).reset_index()
        hue = by
    else:
        df, ax, lang = _open(data, ax=ax, lang=lang, x=x, y=y, size=size, hue=None if hue == "segment" else hue)
        hue = _optional(df, hue, "segment")
        plot_df = df[[c for c in dict.fromkeys([x, y, size, hue]) if c is not None]].copy()
    palette = order = None
    hname = column_label(hue, lang) if hue is not None else None
    if hue is not None:
        plot_df["_hue"], order, palette = _categorical(plot_df, hue, lang)
        plot_df[hname] = plot_df["_hue"]
        palette = _palette_or_default(palette, order)
    sns.scatterplot(data=plot_df, x=x, y=y, size=size, sizes=sizes, hue=hname,
                    hue_order=order, palette=palette, alpha=alpha, edgecolor="white", linewidth=0.8,
                    legend=False if by is not None else "auto",
                    color=None if hue else PALETTE[0], ax=ax, **kwargs)
    if annotate is None:
        annotate = by is not None
    if annotate and hue is not None:
        areas = ax.collections[0].get_sizes() if ax.collections else []
        for i, (_, row) in enumerate(plot_df.iterrows()):
            radius = float(np.sqrt(areas[i % len(areas)]) / 2) if len(areas) else 5.0
            ax.annotate(str(row["_hue"]), (row[x], row[y]), textcoords="offset points",
                        xytext=(0, radius + 2), ha="center", va="bottom", fontsize="small")
    ax.margins(x=0.12, y=0.2)
    _format_axis(ax, "x", x, lang)
    _format_axis(ax, "y", y, lang)
    leg = ax.get_legend()
    if leg is not None:
        for t in leg.get_texts():
            if t.get_text() == size:
                t.set_text(column_label(size, lang))
            else:
                try:
                    t.set_text(format_number(float(t.get_text()), lang, kind=value_kind(size)))
                except ValueError:
                    pass
        import seaborn as sns_

        sns_.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return _close(ax, lang, title=title, default_title=_title("basic.bubble.title", lang, x=x, y=y,
                                                            size="count" if size == "count" else size),
                  xlabel=xlabel, default_xlabel=column_label(x, lang),
                  ylabel=ylabel, default_ylabel=column_label(y, lang))


# ------------------------------------------------------------------ 3 jitter
def plot_jitter(data, *, x: str = "segment", y: str = "monetary", hue: str | None = None,
                order=None, jitter: float = 0.3, size: float = 3, alpha: float = 0.5,
                logy: bool = False, max_points: int | None = 20000, seed: int = 0,
                title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Jitter (strip) plot (抖动图): every row as a dot over its category, spread sideways so
    overlapping dots show. Categories that are segment/stage keys keep their colours.

    ``max_points`` draws a seeded random sample of that many rows when the data is larger.
    """
    import seaborn as sns

    df, ax, lang = _open(data, ax=ax, lang=lang, x=x, y=y, hue=hue)
    if max_points is not None and len(df) > max_points:
        df = df.sample(max_points, random_state=seed)
    plot_df = pd.DataFrame({y: df[y].to_numpy()})
    shown, xorder, xpal = _categorical(df, x, lang, order=order)
    plot_df["_x"] = shown.to_numpy()
    if hue is not None:
        plot_df["_hue"], horder, hpal = _categorical(df, hue, lang)
        hpal = _palette_or_default(hpal, horder)
        sns.stripplot(data=plot_df, x="_x", y=y, hue="_hue", order=xorder, hue_order=horder, palette=hpal,
                      jitter=jitter, size=size, alpha=alpha, dodge=True, ax=ax, **kwargs)
        _legend_title(ax, hue, lang)
    else:
        pal = _palette_or_default(xpal, xorder) if xpal is not None else {v: PALETTE[0] for v in xorder}
        sns.stripplot(data=plot_df, x="_x", y=y, hue="_x", order=xorder, hue_order=xorder, palette=pal,
                      jitter=jitter, size=size, alpha=alpha, legend=False, ax=ax, **kwargs)
    if logy:
        ax.set_yscale("log")
        _format_log_axis(ax, "y", y, lang)
    else:
        _format_axis(ax, "y", y, lang)
    _rotate_if_long(ax)
    return _close(ax, lang, title=title, default_title=_title("basic.jitter.title", lang, x=x, y=y),
                  xlabel=xlabel, default_xlabel=column_label(x, lang),
                  ylabel=ylabel, default_ylabel=column_label(y, lang))


# ------------------------------------------------------------------ 4 counts
def plot_counts(data, *, x: str = "channel", hue: str | None = None, order="count",
                orient: str = "v", show_values: bool = True,
                title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Count plot (计数图): one bar per category with its number of rows, largest first.

    ``order="count"`` sorts by count (descending), ``None`` keeps the catalog order for
    segment/stage keys (else sorted values), or pass a list. ``orient="h"`` draws horizontal bars.
    Default: users per acquisition channel (``world.users``).
    """
    import seaborn as sns

    check_choice("orient", orient, ("v", "h"))
    df, ax, lang = _open(data, ax=ax, lang=lang, x=x, hue=hue)
    by_count = isinstance(order, str) and order == "count"
    shown, xorder, xpal = _categorical(df, x, lang, order=None if isinstance(order, str) or order is None
                                       else order, by_count=by_count)
    plot_df = pd.DataFrame({"_x": shown.to_numpy()})
    cat_axis = "x" if orient == "v" else "y"
    if hue is not None:
        plot_df["_hue"], horder, hpal = _categorical(df, hue, lang)
        hpal = _palette_or_default(hpal, horder)
        sns.countplot(data=plot_df, **{cat_axis: "_x"}, hue="_hue", order=xorder, hue_order=horder,
                      palette=hpal, saturation=1, ax=ax, **kwargs)
        _legend_title(ax, hue, lang)
    else:
        pal = xpal if xpal is not None else {v: PALETTE[0] for v in xorder}
        sns.countplot(data=plot_df, **{cat_axis: "_x"}, hue="_x", order=xorder, hue_order=xorder,
                      palette=pal, legend=False, saturation=1, ax=ax, **kwargs)
    if show_values:
        for cont in ax.containers:
            vals = [p.get_height() if orient == "v" else p.get_width() for p in cont]
            _bar_value_labels(ax, cont, vals, lang, "number")
        ax.margins(**{"y" if orient == "v" else "x": 0.1})
    _format_axis(ax, "y" if orient == "v" else "x", "count", lang)
    if orient == "v":
        _rotate_if_long(ax)
    per_user = "user_id" in df.columns and df["user_id"].is_unique
    tkey = "basic.counts.title" if per_user else "basic.counts.title_rows"
    count_label = label("col.users" if per_user else "basic.axis.count", lang)
    cat_label = column_label(x, lang)
    return _close(ax, lang, title=title, default_title=_title(tkey, lang, x=x),
                  xlabel=xlabel, default_xlabel=(cat_label if orient == "v" else count_label),
                  ylabel=ylabel, default_ylabel=(count_label if orient == "v" else cat_label))


# ------------------------------------------------------------------ 5 histogram
def plot_histogram(data, *, x: str = "age", hue: str | None = None, bins="auto", binwidth=None,
                   discrete: bool | None = None, stat: str = "count", multiple: str = "stack",
                   title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Histogram (直方图) of a numeric column: how many rows fall into each bin.

    ``stat="percent"`` shows shares instead of counts; ``hue`` splits the bars (stacked). Default:
    the age of users (``world.users``). For money or other long-tailed continuous values with a
    density curve use :func:`plot_density_histogram`.
    """
    import seaborn as sns

    check_choice("stat", stat, ("count", "percent", "proportion", "density", "frequency"))
    df, ax, lang = _open(data, ax=ax, lang=lang, x=x, hue=hue)
    plot_df = pd.DataFrame({x: df[x].to_numpy()})
    hkw = {}
    if hue is not None:
        plot_df["_hue"], horder, hpal = _categorical(df, hue, lang)
        hkw = dict(hue="_hue", hue_order=horder, palette=_palette_or_default(hpal, horder), multiple=multiple)
    else:
        hkw = dict(color=PALETTE[0])
    sns.histplot(data=plot_df, x=x, bins=bins, binwidth=binwidth, discrete=discrete, stat=stat,
                 edgecolor="white", linewidth=0.5, ax=ax, **hkw, **kwargs)
    _legend_title(ax, hue, lang)
    _format_axis(ax, "x", x, lang)
    if stat == "percent":
        ax.yaxis.set_major_formatter(_PercentPoints(lang))
    elif stat == "proportion":
        ax.yaxis.set_major_formatter(percent_formatter(lang))
    else:
        ax.yaxis.set_major_formatter(number_formatter(lang))
    ykey = {"count": "basic.axis.count", "frequency": "basic.axis.count", "density": "basic.axis.density"}.get(
        stat, "basic.axis.share")
    return _close(ax, lang, title=title, default_title=_title("basic.histogram.title", lang, x=x),
                  xlabel=xlabel, default_xlabel=column_label(x, lang),
                  ylabel=ylabel, default_ylabel=label(ykey, lang))


class _PercentPoints(HumanFormatter):  # values already in percent points
    def __init__(self, lang):
        super().__init__(lang, "percent")

    def __call__(self, x, pos=None):
        return super().__call__(x / 100, pos)

    def format_ticks(self, values):
        return super().format_ticks([v / 100 for v in values])


# ------------------------------------------------------------------ 6 box
def plot_box(data, *, x: str = "category", y: str = "amount", hue: str | None = None, order="median",
             showfliers: bool = True, logy: bool = False,
             title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Box plot (箱线图) of ``y`` per category of ``x``: median, quartiles, whiskers (1.5 IQR) and
    outliers. ``order="median"`` sorts categories by median (descending); ``None`` keeps the natural
    order. Default: order amount per category (``world.orders``).
    """
    import seaborn as sns

    df, ax, lang = _open(data, ax=ax, lang=lang, x=x, y=y, hue=hue)
    shown, xorder, xpal = _categorical(df, x, lang, order=None if isinstance(order, str) or order is None
                                       else order)
    plot_df = pd.DataFrame({"_x": shown.to_numpy(), y: df[y].to_numpy()})
    if isinstance(order, str):
        check_choice("order", order, ("median",))
        med = plot_df.groupby("_x", observed=True)[y].median().sort_values(ascending=False)
        xorder = list(med.index)
    flier = dict(marker="o", markersize=2.5, alpha=0.4, markerfacecolor=NEUTRAL_COLOR, markeredgecolor="none")
    if hue is not None:
        plot_df["_hue"], horder, hpal = _categorical(df, hue, lang)
        sns.boxplot(data=plot_df, x="_x", y=y, hue="_hue", order=xorder, hue_order=horder,
                    palette=_palette_or_default(hpal, horder), showfliers=showfliers, flierprops=flier,
                    saturation=1,
                    log_scale=logy or None, ax=ax, **kwargs)
        _legend_title(ax, hue, lang)
    else:
        pal = xpal if xpal is not None else {v: "#6baed6" for v in xorder}
        sns.boxplot(data=plot_df, x="_x", y=y, hue="_x", order=xorder, hue_order=xorder, palette=pal,
                    legend=False, showfliers=showfliers, flierprops=flier, log_scale=logy or None,
                    saturation=1, ax=ax, **kwargs)
    (_format_log_axis if logy else _format_axis)(ax, "y", y, lang)
    _rotate_if_long(ax)
    return _close(ax, lang, title=title, default_title=_title("basic.box.title", lang, x=x, y=y),
                  xlabel=xlabel, default_xlabel=column_label(x, lang),
                  ylabel=ylabel, default_ylabel=column_label(y, lang))


# ------------------------------------------------------------------ 7 correlogram
def _default_numeric(df: pd.DataFrame) -> list[str]:
    cols = []
    for c in df.columns:
        name = str(c).lower()
        if name.endswith("_id") or name in ("id", "respondent_id", "user_id", "order_id", "session_id"):
            continue
        if pd.api.types.is_bool_dtype(df[c]) or not pd.api.types.is_numeric_dtype(df[c]):
            continue
        cols.append(c)
    return cols


def plot_correlogram(data, *, columns: Sequence[str] | None = None, method: str = "pearson",
                     triangle: str = "lower", annot: bool = True, cmap: str = DIVERGING_CMAP,
                     title=None, lang: str | None = None, ax=None, **kwargs):
    """Correlogram (相关图): the correlation matrix of numeric columns as a heatmap, −1 blue to +1 red,
    each cell annotated with its coefficient.

    ``columns`` defaults to every numeric column except ids. ``triangle="lower"`` hides the mirrored
    upper half (and the diagonal of 1s); ``"full"`` shows all. Default: the preference survey
    (``world.survey_preference``: function, efficiency, effect, cost, risk, intent).
    The matrix drawn is kept as ``ax.correlation`` (a DataFrame) for checks.
    """
    import seaborn as sns

    check_choice("method", method, ("pearson", "spearman", "kendall"))
    check_choice("triangle", triangle, ("lower", "full"))
    df, _, lang = _open(data, lang=lang, axes=False)
    cols = list(columns) if columns is not None else _default_numeric(df)
    check_columns(df.columns, **{f"columns[{i}]": c for i, c in enumerate(cols)})
    if len(cols) < 2:
        raise InvalidParameterError(
            f"plot_correlogram() needs at least two numeric columns; got {cols}. Pass `columns=`."
        )
    corr = df[cols].astype(float).corr(method=method)
    ax = _get_ax(ax)  # after every check: a bad column list leaves no empty figure
    mask = None
    shown = corr
    if triangle == "lower":
        mask = np.triu(np.ones_like(corr, dtype=bool))
        shown = corr.iloc[1:, :-1]
        mask = mask[1:, :-1]
    names = [column_label(c, lang) for c in cols]
    cells = shown.round(2).map(lambda v: f"{v + 0.0:.2f}" if v == v else "")  # no "-0.00"
    sns.heatmap(shown, mask=mask, vmin=-1, vmax=1, center=0, cmap=cmap,
                annot=cells.to_numpy() if annot else False, fmt="",
                square=True, linewidths=0.5, linecolor="white",
                cbar_kws={"shrink": 0.8, "label": label(f"basic.corr.{method}", lang)}, ax=ax, **kwargs)
    ax.set_xticklabels(names[:-1] if triangle == "lower" else names, rotation=30, ha="right",
                       rotation_mode="anchor")
    ax.set_yticklabels(names[1:] if triangle == "lower" else names, rotation=0)
    ax.grid(False)
    ax.correlation = corr
    return _close(ax, lang, title=title, default_title="basic.correlogram.title", xlabel="", ylabel="")


# ------------------------------------------------------------------ 8 pairs
def plot_pairs(data, *, vars: Sequence[str] | None = ("recency", "frequency", "monetary"),
               hue: str | None = "segment", kind: str = "scatter", diag_kind: str = "hist",
               corner: bool = True, max_points: int | None = 2000, seed: int = 0, height: float = 2.3,
               title=None, lang: str | None = None, ax=None, **kwargs):
    """Matrix (pair) plot (矩阵图): every pair of ``vars`` as a scatter, each variable's distribution
    on the diagonal, coloured by ``hue``. Returns the Figure (a grid has no single Axes).

    Default: the RFM table's recency, frequency, monetary by segment. ``max_points`` draws a seeded
    sample for speed. ``vars=None`` uses every numeric column except ids.
    """
    import seaborn as sns

    if ax is not None:
        raise InvalidParameterError(
            "plot_pairs() draws a grid of Axes in a figure of its own, so it takes no `ax=`. Call it "
            "without `ax` and use the Figure it returns (its seaborn PairGrid is `fig.pair_grid`)."
        )
    df, _, lang = _open(data, lang=lang, axes=False, hue=None if hue == "segment" else hue)
    hue = _optional(df, hue, "segment")
    cols = list(vars) if vars is not None else _default_numeric(df)
    check_columns(df.columns, **{f"vars[{i}]": c for i, c in enumerate(cols)})
    if max_points is not None and len(df) > max_points:
        df = df.sample(max_points, random_state=seed)
    names = {c: column_label(c, lang) for c in cols}
    plot_df = df[cols].rename(columns=names)
    hkw = {}
    if hue is not None:
        hname = column_label(hue, lang)
        plot_df[hname], horder, hpal = _categorical(df, hue, lang)
        hkw = dict(hue=hname, hue_order=horder, palette=_palette_or_default(hpal, horder))
    grid = sns.pairplot(plot_df, vars=list(names.values()), kind=kind, diag_kind=diag_kind, corner=corner,
                        height=height, plot_kws={"alpha": 0.5, "s": 12, "linewidth": 0} if kind == "scatter"
                        else None, **hkw, **kwargs)
    for a in grid.axes.flat:
        if a is None:
            continue
        for which, axis in (("x", a.xaxis), ("y", a.yaxis)):
            lab = axis.get_label().get_text()
            col = next((c for c, n in names.items() if n == lab), None)
            if col is not None and a.get_xscale() == "linear" and a.get_yscale() == "linear":
                _format_axis(a, which, col, lang)
    fig = grid.figure
    fig.pair_grid = grid
    return _close(fig, lang, title=title, default_title="basic.pairs.title", y=1.02, fontweight="bold")


# ------------------------------------------------------------------ 9 diverging bars
def plot_diverging_bars(data, *, x: str = "amount", y: str = "category", agg: str = "sum",
                        center="mean", sort: bool = True, show_values: bool = True,
                        title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Diverging bars (发散条形图): each category's value minus a centre (the mean of the categories
    by default), bars to the right (blue) above it and to the left (orange) below it.

    Rows are first aggregated per ``y`` category with ``agg`` (sum; ``count`` counts rows).
    ``center`` is ``"mean"``, ``"median"`` or a number (e.g. a target). Default: order amount per
    category (``world.orders``). The values drawn are kept as ``ax.diverging`` (category → difference).
    """
    if isinstance(center, str):
        check_choice("center", center, ("mean", "median"))
    check_choice("agg", agg, _AGGS)
    df, ax, lang = _open(data, ax=ax, lang=lang, x=None if agg == "count" else x, y=y)
    values = _aggregate(df, y, x, agg).astype(float)
    if isinstance(center, str):
        c = float(values.mean() if center == "mean" else values.median())
        center_text = label(f"basic.center.{center}", lang)
    else:
        c = float(center)
        center_text = format_number(c, lang, kind=value_kind(x))
    diff = values - c
    if sort:
        diff = diff.sort_values()
    display, _, _ = category_display(list(diff.index), lang)
    names = [display[v] for v in diff.index]
    colors = [POSITIVE_COLOR if v >= 0 else NEGATIVE_COLOR for v in diff.to_numpy()]
    bars = ax.barh(names, diff.to_numpy(), color=colors, **kwargs)
    ax.axvline(0, color="#333333", linewidth=1)
    kind = value_kind(x) if agg != "count" else "number"
    if show_values:
        _bar_value_labels(ax, bars, diff.to_numpy(), lang, kind, signed=True)
        ax.margins(x=0.15)
    ax.xaxis.set_major_formatter(_SignedFormatter(lang, kind))
    ax.grid(axis="y", visible=False)
    ax.diverging = pd.Series(diff.to_numpy(), index=names)
    ax.center = c
    xname = column_label(x, lang) if agg != "count" else label("basic.axis.count", lang)
    xl = f"{xname}（{label('basic.axis.diff_from', lang).format(center=center_text)}）" if lang == "zh" \
        else f"{xname} ({label('basic.axis.diff_from', lang).format(center=center_text)})"
    return _close(ax, lang, title=title, default_title=label("basic.diverging.title", lang).format(
                      x=xname, y=column_label(y, lang), center=center_text),
                  xlabel=xlabel, default_xlabel=xl,
                  ylabel=ylabel, default_ylabel=column_label(y, lang))


class _SignedFormatter(HumanFormatter):
    def __init__(self, lang, kind):
        super().__init__(lang, kind)

    def _render(self, v, factor, suffix, d):
        s = super()._render(v, factor, suffix, d)
        return "+" + s if v > 0 else s


# ------------------------------------------------------------------ 10 ordered bars
def plot_ordered_bars(data, *, x: str = "category", y: str | None = "amount", agg: str = "sum",
                      ascending: bool = False, top: int | None = None, orient: str = "v",
                      show_values: bool = True, highlight=None,
                      title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Ordered bars (有序条形图): categories of ``x`` ranked by the ``agg`` of ``y`` (largest first),
    each bar labelled with its value.

    ``y=None`` or ``agg="count"`` ranks by row count; ``top`` keeps the first N; ``highlight`` (a
    category or list) draws those bars in the highlight colour and the rest grey. Default: GMV
    (sum of order amount) per category (``world.orders``). Values drawn: ``ax.ordered``.
    """
    check_choice("orient", orient, ("v", "h"))
    if y is None:
        agg = "count"
    check_choice("agg", agg, _AGGS)
    df, ax, lang = _open(data, ax=ax, lang=lang, x=x, y=None if agg == "count" else y)
    values = _aggregate(df, x, y, agg).astype(float).sort_values(ascending=ascending)
    if top is not None:
        values = values.head(top)
    display, _, palette = category_display(list(values.index), lang)
    names = [display[v] for v in values.index]
    if highlight is not None:
        hl = {highlight} if isinstance(highlight, str) else set(highlight)
        colors = ["#d62728" if (v in hl or display[v] in hl) else "#b0b0b0" for v in values.index]
    elif palette is not None:
        colors = [palette[n] for n in names]
    else:
        colors = [PALETTE[0]] * len(names)
    kind = value_kind(y) if agg in ("sum", "mean", "median") and y is not None else "number"
    if orient == "v":
        bars = ax.bar(names, values.to_numpy(), color=colors, **kwargs)
        ax.yaxis.set_major_formatter(value_formatter(y, lang) if kind != "number" else number_formatter(lang))
        ax.grid(axis="x", visible=False)
        _rotate_if_long(ax)
    else:
        bars = ax.barh(names[::-1], values.to_numpy()[::-1], color=colors[::-1], **kwargs)
        ax.xaxis.set_major_formatter(value_formatter(y, lang) if kind != "number" else number_formatter(lang))
        ax.grid(axis="y", visible=False)
    if show_values:
        vals = values.to_numpy() if orient == "v" else values.to_numpy()[::-1]
        _bar_value_labels(ax, bars, vals, lang, kind)
        ax.margins(**{"y" if orient == "v" else "x": 0.1})
    ax.ordered = pd.Series(values.to_numpy(), index=names)
    if agg == "count":
        vname = label("basic.axis.count", lang)
        agg_word = ""
    else:
        vname = column_label(y, lang)
        agg_word = label(f"basic.agg.{agg}", lang)
    ttl = label("basic.ordered.title", lang).format(x=column_label(x, lang), y=vname, agg=agg_word)
    ttl = " ".join(ttl.split())
    catl, vall = column_label(x, lang), vname
    return _close(ax, lang, title=title, default_title=ttl,
                  xlabel=xlabel, default_xlabel=(catl if orient == "v" else vall),
                  ylabel=ylabel, default_ylabel=(vall if orient == "v" else catl))


# ------------------------------------------------------------------ 11 area
def plot_area(data, *, x: str = "period", y="users", hue: str | None = "stage", stacked: bool = True,
              normalize: bool = False, alpha: float = 0.85,
              title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Area chart (面积图): how a total and its parts change over ``x``.

    Long data: ``y`` is the value column and ``hue`` the part (default: ``lifecycle_counts``
    output — ``period``, ``stage``, ``users`` — stages in their fixed colours). Wide data: ``y`` a
    list of columns and ``hue=None`` (e.g. ``kpis(...)`` with ``y=["new_users", "buyers"]``).
    ``normalize=True`` shows each part's share of the total (100% stacked). ``stacked=False``
    overlays translucent areas. Stages/segments stack in their catalog order; other parts with the
    largest total at the bottom. The table drawn is kept as ``ax.area_table``.
    """
    if isinstance(y, str):
        df, ax, lang = _open(data, ax=ax, lang=lang, x=x, y=y, hue=None if hue == "stage" else hue)
        hue = _optional(df, hue, "stage")
        if hue is not None:
            wide = df.pivot_table(index=x, columns=hue, values=y, aggfunc="sum", fill_value=0, observed=True)
        else:
            wide = df.groupby(x)[[y]].sum()
        ycols = [y]
    else:
        ycols = list(y)
        df, ax, lang = _open(data, ax=ax, lang=lang, x=x, **{f"y[{i}]": c for i, c in enumerate(ycols)})
        wide = df.groupby(x)[ycols].sum()
        hue = None
    wide = wide.sort_index()
    parts = list(wide.columns)
    display, order, palette = category_display(parts, lang)
    if palette is not None:  # keys: draw in catalog order
        rank = {t: i for i, t in enumerate(order)}
        parts = sorted(parts, key=lambda p: rank[display[p]])
    else:  # plain categories: the largest part at the bottom of the stack
        display = {p: column_label(p, lang) for p in parts}
        if hue is not None:
            parts = list(wide[parts].sum().sort_values(ascending=False, kind="stable").index)
    wide = wide[parts].astype(float)
    if normalize:
        tot = wide.sum(axis=1).replace(0, np.nan)
        wide = wide.div(tot, axis=0).fillna(0)
    names = [display[p] for p in parts]
    colors = [palette[n] for n in names] if palette is not None else \
        [PALETTE[i % len(PALETTE)] for i in range(len(parts))]
    xs = wide.index.to_numpy()
    if stacked:
        ax.stackplot(xs, *[wide[p].to_numpy() for p in parts], labels=names, colors=colors, alpha=alpha,
                     linewidth=0.5, edgecolor="white", **kwargs)
    else:
        for p, n, c in zip(parts, names, colors):
            ax.fill_between(xs, wide[p].to_numpy(), alpha=0.35, color=c, label=n, **kwargs)
            ax.plot(xs, wide[p].to_numpy(), color=c, linewidth=1.5)
    ax.set_xlim(xs.min(), xs.max()) if len(xs) > 1 else None
    ax.set_ylim(bottom=0, top=1 if normalize and stacked else None)
    if normalize:
        ax.yaxis.set_major_formatter(percent_formatter(lang))
    else:
        ax.yaxis.set_major_formatter(value_formatter(ycols[0] if len(ycols) == 1 else "", lang))
    if len(parts) > 1:
        handles, labs = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labs[::-1], title=column_label(hue, lang) if hue else None,
                  loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    if pd.api.types.is_datetime64_any_dtype(wide.index):
        date_formatter(ax, lang)
    else:
        _format_axis(ax, "x", x, lang)
    ax.area_table = wide.rename(columns=display)
    yname = column_label(ycols[0], lang) if len(ycols) == 1 else label("col.value", lang)
    tkey = "basic.area.title_share" if normalize else "basic.area.title"
    return _close(ax, lang, title=title, default_title=label(tkey, lang).format(x=column_label(x, lang), y=yname),
                  xlabel=xlabel, default_xlabel=column_label(x, lang),
                  ylabel=ylabel, default_ylabel=(label("basic.axis.share", lang) if normalize else yname))


# ------------------------------------------------------------------ 12 continuous histogram
def plot_density_histogram(data, *, x: str = "amount", hue: str | None = None, bins="auto",
                           log_scale: bool = False, clip_quantile: float | None = 0.99,
                           show_median: bool = True,
                           title=None, xlabel=None, ylabel=None, lang: str | None = None, ax=None, **kwargs):
    """Histogram of a continuous variable with a kernel density curve (连续变量直方图与核密度).

    Bars are scaled to a density (area 1) so the KDE curve sits on them; a dashed line marks the
    median (labelled). ``clip_quantile`` hides the long right tail beyond that quantile (the median
    is of all rows); ``log_scale=True`` uses a log x axis instead. Default: order amounts
    (``world.orders``). The median drawn is ``ax.median``.
    """
    import seaborn as sns

    df, ax, lang = _open(data, ax=ax, lang=lang, x=x, hue=hue)
    values = df[x].astype(float)
    med = float(values.median())
    plot_df = pd.DataFrame({x: values.to_numpy()})
    if clip_quantile is not None and not log_scale:
        hi = float(values.quantile(clip_quantile))
        keep = (values <= hi).to_numpy()
    else:
        keep = np.ones(len(values), dtype=bool)
    hkw = {}
    if hue is not None:
        plot_df["_hue"], horder, hpal = _categorical(df, hue, lang)
        hkw = dict(hue="_hue", hue_order=horder, palette=_palette_or_default(hpal, horder),
                   common_norm=False)
    else:
        hkw = dict(color=PALETTE[0])
    sns.histplot(data=plot_df[keep], x=x, bins=bins, stat="density", kde=True, log_scale=log_scale or None,
                 edgecolor="white", linewidth=0.5, alpha=0.55, line_kws={"linewidth": 2}, ax=ax, **hkw, **kwargs)
    _legend_title(ax, hue, lang)
    kind = value_kind(x)
    if show_median:
        ax.axvline(med, color="#333333", linestyle="--", linewidth=1.2)
        ax.annotate(f"{label('basic.median', lang)} {format_number(med, lang, kind=kind)}",
                    xy=(med, 1), xycoords=("data", "axes fraction"), xytext=(4, -4),
                    textcoords="offset points", ha="left", va="top", fontsize="small")
    ax.median = med
    (_format_log_axis if log_scale else _format_axis)(ax, "x", x, lang)
    return _close(ax, lang, title=title, default_title=_title("basic.density.title", lang, x=x),
                  xlabel=xlabel, default_xlabel=column_label(x, lang),
                  ylabel=ylabel, default_ylabel=label("basic.axis.density", lang))


# ------------------------------------------------------------------ gallery entries
def _monthly_gmv(world):
    o = world.orders
    return o.assign(month=o["ts"].dt.to_period("M").dt.start_time)[["month", "category", "amount"]]


#: How the gallery builder draws each chart from a World: ``GALLERY[name](world, ax) -> Axes/Figure``.
GALLERY = {
    "plot_scatter": lambda world, ax: plot_scatter(W.rfm_of(world), ax=ax),
    "plot_bubble": lambda world, ax: plot_bubble(W.rfm_of(world), by="segment", ax=ax),
    "plot_jitter": lambda world, ax: plot_jitter(W.rfm_of(world), logy=True, ax=ax),
    "plot_counts": lambda world, ax: plot_counts(world.users, x="channel", ax=ax),
    "plot_histogram": lambda world, ax: plot_histogram(world.users, x="age", discrete=True, hue="gender", ax=ax),
    "plot_box": lambda world, ax: plot_box(world.orders, x="category", y="amount", logy=True, ax=ax),
    "plot_correlogram": lambda world, ax: plot_correlogram(world.survey_preference, ax=ax),
    "plot_pairs": lambda world, ax: plot_pairs(W.rfm_of(world)),
    "plot_diverging_bars": lambda world, ax: plot_diverging_bars(world.orders, x="amount", y="category", ax=ax),
    "plot_ordered_bars": lambda world, ax: plot_ordered_bars(world.orders, x="category", y="amount", ax=ax),
    "plot_area": lambda world, ax: plot_area(_monthly_gmv(world), x="month", y="amount", hue="category", ax=ax),
    "plot_density_histogram": lambda world, ax: plot_density_histogram(world.orders, x="amount", ax=ax),
}
