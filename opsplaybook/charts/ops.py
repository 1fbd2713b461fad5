"""The ops charts: funnel, cohort retention, lifecycle, Sankey, RFM, Pareto and the KPI dashboard.

Each ``plot_…(data, *, ax=None, lang=None, title=None, …)`` draws the output of an analytics function
(shapes in ``docs/CONTRACTS.md``) on ``ax`` (a new figure when None) and returns the Axes — or the
Figure for the multi-panel KPI dashboard. Titles, axis labels, stage and segment names come from the
label catalog in ``lang`` (the current language by default); numbers are written for people (万/亿 in
Chinese, K/M in English, shares as %). Nothing here calls ``plt.show()``.

>>> ax = plot_funnel(funnel(world.events, ["visit", "view", "cart", "checkout", "purchase"]))  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from .._frames import as_pandas
from ..errors import InvalidParameterError, check_choice, check_columns
from ..labels import label
from ._style import (
    PALETTE,
    _get_ax,
    date_formatter,
    format_number,
    number_formatter,
    palette_for,
    percent_formatter,
    resolve_lang,
    set_labels,
    yuan_formatter,
)
from .theme import ensure_cjk_font

__all__ = [
    "plot_funnel",
    "plot_retention_heatmap",
    "plot_retention_curves",
    "plot_lifecycle_area",
    "plot_posthog_lifecycle",
    "plot_sankey",
    "sankey_figure",
    "plot_rfm_heatmap",
    "plot_rfm_segments",
    "plot_pareto",
    "plot_kpi_dashboard",
    "squarify_rects",
]

STAGES = ("potential", "new", "active", "silent", "churned", "returning")
POSTHOG_STATUSES = ("new", "returning", "resurrecting", "dormant")
PERCENT_KPIS = {"stickiness", "cvr", "repeat_rate", "retention", "roi"}
MONEY_KPIS = {"gmv", "arpu", "arppu", "cac"}


# ------------------------------------------------------------------ shared helpers
def _fmt(x, lang: str, *, kind: str = "number", decimals: int | None = None) -> str:
    return format_number(x, lang, kind=kind, decimals=decimals)


def _num_axis(axis, lang: str, kind: str = "number") -> None:
    axis.set_major_formatter({"number": number_formatter, "percent": percent_formatter,
                              "yuan": yuan_formatter}[kind](lang))


def _colors(keys, prefix: str | None) -> list[str]:
    """Fixed catalog colours of stage/segment/status keys (unknown keys: the next palette colour)."""
    pal = palette_for(list(keys), prefix)
    return [pal[k] for k in keys]


# ------------------------------------------------------------------ names
def _stage_name(key, lang: str, prefix: str = "stage") -> str:
    return label(f"{prefix}.{key}", lang, default=str(key))


def _event_name(code, lang: str) -> str:
    return label(f"event.{code}", lang, default=str(code))


def _segment_name(key, lang: str) -> str:
    """A segment key (``important_value``, ``cn8.important_value`` or ``rfm.cn8.important_value``)."""
    key = str(key)
    for cand in (key, f"rfm.{key}", f"rfm.cn8.{key}", f"rfm.en11.{key}", f"persona.{key}", f"stage.{key}"):
        text = label(cand, lang, default="")
        if text:
            return text
    return key


def _ordered(keys, order) -> list:
    keys = list(dict.fromkeys(keys))
    known = [k for k in order if k in keys]
    return known + [k for k in keys if k not in known]


def _as_pandas(data, param: str) -> pd.DataFrame:
    return as_pandas(data, param=param)


# ------------------------------------------------------------------ funnel
_FUNNEL_COLS = {"step", "step_name", "users", "conversion", "step_conversion", "drop_off", "median_time"}


def plot_funnel(
    data,
    *,
    by: str | None = None,
    # columns (defaults match ``funnel()``)
    step_col: str = "step",
    name_col: str = "step_name",
    users_col: str = "users",
    # look
    annotate: bool = True,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Bars of users per funnel step, each annotated with its overall conversion (vs step 1) and
    the step conversion (vs the previous step) on the arrow between bars.

    ``data`` is the output of :func:`opsplaybook.funnel`. With a breakdown (``by`` — found
    automatically when the frame has one extra column) the bars are grouped per step, one colour per
    group, each annotated with users and overall conversion. Step names are event codes shown with
    their catalog label (``event.<code>``).
    """
    lang = resolve_lang(lang)
    df = _as_pandas(data, "data")
    check_columns(df.columns, step_col=step_col, name_col=name_col, users_col=users_col)
    if by is None:
        extra = [c for c in df.columns if c not in _FUNNEL_COLS | {step_col, name_col, users_col}]
        by = extra[0] if len(extra) == 1 else None
    else:
        check_columns(df.columns, by=by)
    ax = _get_ax(ax, figsize=(9, 5))
    steps = df[[step_col, name_col]].drop_duplicates().sort_values(step_col)
    names = [_event_name(n, lang) for n in steps[name_col]]
    x = np.arange(len(steps))

    if by is None:
        users = df.sort_values(step_col)[users_col].to_numpy(dtype=float)
        first = users[0] if len(users) and users[0] else np.nan
        overall = users / first
        bars = ax.bar(x, users, width=0.6, color=PALETTE[0], edgecolor="white")
        top = users.max() if len(users) else 1
        if annotate:
            for xi, u, c in zip(x, users, overall):
                ax.annotate(f"{_fmt(u, lang)}\n" + label("ops.funnel.overall", lang).format(pct=_fmt(c, lang, kind="percent")),
                            (xi, u), xytext=(0, 3), textcoords="offset points",
                            ha="center", va="bottom", fontsize=9, gid="funnel-overall")
            for i in range(1, len(users)):
                prev = users[i - 1]
                step_conv = users[i] / prev if prev else np.nan
                y = max(users[i], prev * 0.5)
                ax.annotate(f"→ {_fmt(step_conv, lang, kind='percent')}", ((x[i - 1] + x[i]) / 2, y),
                            ha="center", va="center", fontsize=9, color="#444444",
                            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="#BBBBBB", lw=0.6),
                            gid="funnel-step")
        ax.set_ylim(0, top * 1.2)
        for b in bars:
            b.set_gid("funnel-bar")
    else:
        groups = list(dict.fromkeys(df[by]))
        width = 0.8 / max(len(groups), 1)
        colors = _colors(groups, None)
        top = 0.0
        for gi, (g, color) in enumerate(zip(groups, colors)):
            sub = df[df[by] == g].set_index(step_col)[users_col].reindex(steps[step_col]).fillna(0).to_numpy(float)
            first = sub[0] if len(sub) and sub[0] else np.nan
            xs = x - 0.4 + width * (gi + 0.5)
            bars = ax.bar(xs, sub, width=width * 0.95, color=color, label=str(g), edgecolor="white")
            for b in bars:
                b.set_gid("funnel-bar")
            top = max(top, sub.max() if len(sub) else 0)
            if annotate:
                for xi, u in zip(xs, sub):
                    ax.annotate(f"{_fmt(u, lang)}\n{_fmt(u / first, lang, kind='percent')}", (xi, u),
                                xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                                fontsize=7 if len(groups) > 2 else 8, gid="funnel-overall")
        ax.set_ylim(0, top * 1.22)
        ax.legend(title=label(f"col.{by}", lang, default=str(by)), fontsize=8)
    ax.set_xticks(x, names)
    _num_axis(ax.yaxis, lang)
    ax.set_xlabel(label("ops.funnel.xlabel", lang))
    ax.set_ylabel(label("ops.funnel.ylabel", lang))
    set_labels(ax, title="ops.funnel.title" if title is None else title, lang=lang)
    return ax


# ------------------------------------------------------------------ retention
def _unit_of(obj) -> str | None:
    """The period unit ("D"/"W"/"M") a retention result (or a frame's ``attrs``) carries, if any."""
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        unit = obj.attrs.get("period")
    else:
        unit = getattr(obj, "period", None)
        if not isinstance(unit, str) and hasattr(obj, "matrix"):
            unit = getattr(obj.matrix, "attrs", {}).get("period")
    return unit if isinstance(unit, str) else None


def _retention_parts(data):
    """(matrix DataFrame, period unit or None) from a RetentionResult or its ``.matrix``."""
    matrix = _as_pandas(getattr(data, "matrix", data), "data")
    check_columns(matrix.columns, cohort_col="cohort")
    return matrix, _unit_of(data) or _unit_of(matrix)


def _period_cols(matrix) -> list[str]:
    return sorted((c for c in matrix.columns if str(c).isdigit()), key=lambda c: int(c))


def _period_axis_label(unit, lang):
    key = str(unit)[:1].upper() if unit else ""
    return label(f"ops.retention.period.{key}", lang, default=label("ops.retention.period.any", lang))


def _cohort_text(cohort, unit) -> str:
    ts = pd.Timestamp(cohort) if not isinstance(cohort, str) else None
    if ts is None or pd.isna(ts):
        return str(cohort)
    return ts.strftime("%Y-%m" if unit and str(unit).upper().startswith("M") else "%Y-%m-%d")


def plot_retention_heatmap(
    data,
    *,
    periods: int | None = None,
    max_cohorts: int | None = None,
    annotate: bool = True,
    cmap: str = "YlGnBu",
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Cohort × period heatmap of retained shares, each cell annotated in %, cohort sizes in the
    row labels.

    ``data`` is a :class:`RetentionResult` (from :func:`opsplaybook.retention`) or its ``.matrix``
    (columns ``cohort``, ``cohort_size``, ``"0"``, ``"1"``, …). Cells a cohort has not reached yet
    (NaN) stay blank. ``periods`` keeps only the first periods, ``max_cohorts`` the first cohorts.
    """
    lang = resolve_lang(lang)
    matrix, unit = _retention_parts(data)
    matrix = matrix.head(max_cohorts) if max_cohorts else matrix
    cols = _period_cols(matrix)[: periods or None]
    values = matrix[cols].to_numpy(dtype=float, na_value=np.nan)
    ax = _get_ax(ax, figsize=(1.6 + 0.62 * len(cols), 1.2 + 0.38 * len(matrix)))
    masked = np.ma.masked_invalid(values)
    im = ax.imshow(masked, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    cbar = ax.figure.colorbar(im, ax=ax, fraction=0.04, pad=0.02, format=percent_formatter(lang))
    cbar.set_label(label("ops.retention.colorbar", lang))
    if annotate:
        fs = 8 if len(cols) <= 12 else 6
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = values[i, j]
                if np.isnan(v):
                    continue
                ax.text(j, i, _fmt(v, lang, kind="percent", decimals=0 if len(cols) > 12 else 1),
                        ha="center", va="center", fontsize=fs, gid="retention-cell",
                        color="white" if v > 0.55 else "#222222")
    ax.set_xticks(np.arange(len(cols)), [str(c) for c in cols])
    if "cohort_size" in matrix.columns:
        ticks = [label("ops.retention.cohort_tick", lang).format(cohort=_cohort_text(c, unit), size=_fmt(n, lang))
                 for c, n in zip(matrix["cohort"], matrix["cohort_size"])]
    else:
        ticks = [_cohort_text(c, unit) for c in matrix["cohort"]]
    ax.set_yticks(np.arange(len(matrix)), ticks)
    ax.tick_params(axis="both", length=0, labelsize=8)
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(_period_axis_label(unit, lang))
    ax.set_ylabel(label("ops.retention.cohort", lang))
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(label("ops.retention.heatmap_title", lang) if title is None else title, pad=12)
    return ax


def _mean_curve(obj, value: str) -> pd.Series | None:
    """A period -> share Series from a RetentionResult, its ``.mean`` or ``.matrix``, or a Series."""
    if isinstance(obj, pd.Series):
        return obj
    mean = getattr(obj, "mean", None)
    if isinstance(mean, pd.DataFrame):
        obj = mean
    elif hasattr(obj, "matrix"):
        obj = obj.matrix
    df = _as_pandas(obj, "data")
    if "period" in df.columns:
        col = value if value in df.columns else [c for c in df.columns if c not in ("period", "cohorts")][0]
        return df.set_index("period")[col].astype(float)
    cols = _period_cols(df)
    if not cols:
        return None
    shares = df[cols].to_numpy(dtype=float, na_value=np.nan)
    if "cohort_size" in df.columns and value == "weighted":
        w = df["cohort_size"].to_numpy(float)[:, None] * ~np.isnan(shares)
        vals = np.nansum(shares * w, axis=0) / np.where(w.sum(0) > 0, w.sum(0), np.nan)
    else:
        vals = np.nanmean(np.where(np.isnan(shares), np.nan, shares), axis=0)
    return pd.Series(vals, index=[int(c) for c in cols])


def plot_retention_curves(
    data,
    *,
    value: str = "weighted",
    max_cohorts: int = 8,
    show_mean: bool = True,
    periods: int | None = None,
    unit: str | None = None,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Retention curves: share of a cohort still active N periods after its start.

    ``data`` may be
    - a :class:`RetentionResult` (or its ``.matrix``): one thin line per cohort (at most
      ``max_cohorts``, spread evenly from the first to the last) and the ``value`` mean (``"weighted"`` or ``"simple"``) in bold;
    - a ``.mean`` frame (``period`` + ``weighted``/``simple``): one curve;
    - a mapping ``{segment: result-or-mean}``: one curve per segment (RFM segment, persona or
      lifecycle-stage keys are shown by their catalog names).
    """
    lang = resolve_lang(lang)
    check_choice("value", value, ("weighted", "simple"))
    ax = _get_ax(ax, figsize=(8, 5))
    if isinstance(data, Mapping):
        keys = list(data)
        colors = _colors(keys, None)
        for key, color in zip(keys, colors):
            curve = _mean_curve(data[key], value)
            unit = unit or _unit_of(data[key])
            if periods is not None:
                curve = curve[curve.index < periods]
            ax.plot(curve.index, curve.to_numpy(float), marker="o", ms=3, lw=2, color=color,
                    label=_segment_name(key, lang), gid="retention-curve")
        ax.legend(fontsize=8)
    elif hasattr(data, "matrix") or "cohort" in getattr(data, "columns", []):
        matrix, found = _retention_parts(data)
        unit = unit or found
        cols = _period_cols(matrix)[: periods or None]
        pick = np.unique(np.linspace(0, len(matrix) - 1, min(max_cohorts, len(matrix))).round().astype(int))
        rows = matrix.iloc[pick]  # evenly spread over the cohorts, first and last included
        cmap = plt.get_cmap("Blues")
        for k, (_, row) in enumerate(rows.iterrows()):
            ax.plot([int(c) for c in cols], row[cols].to_numpy(dtype=float, na_value=np.nan), lw=1, alpha=0.8,
                    color=cmap(0.35 + 0.6 * k / max(len(rows) - 1, 1)),
                    label=_cohort_text(row["cohort"], unit), gid="retention-curve")
        if show_mean:
            mean = _mean_curve(data, value)
            mean = mean[mean.index.isin([int(c) for c in cols])]
            ax.plot(mean.index, mean.to_numpy(float), lw=3, color="#D9534F",
                    label=label(f"ops.retention.{value}", lang), gid="retention-mean")
        ax.legend(fontsize=7, ncol=2)
    else:
        unit = unit or _unit_of(data)
        curve = _mean_curve(data, value)
        if periods is not None:
            curve = curve[curve.index < periods]
        ax.plot(curve.index, curve.to_numpy(float), marker="o", lw=2.5, color="#D9534F",
                label=label(f"ops.retention.{value}", lang), gid="retention-mean")
        for xv, yv in list(curve.items())[1:]:
            if not np.isnan(yv):
                ax.annotate(_fmt(yv, lang, kind="percent"), (xv, yv), xytext=(0, 5),
                            textcoords="offset points", ha="center", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(percent_formatter(lang))
    ax.set_xlabel(_period_axis_label(unit, lang))
    ax.set_ylabel(label("ops.retention.rate", lang))
    set_labels(ax, title="ops.retention.curves_title" if title is None else title, lang=lang)
    return ax


# ------------------------------------------------------------------ lifecycle
def _period_index(values) -> pd.Index:
    idx = pd.Index(values)
    if idx.dtype == object:
        try:
            idx = pd.Index(pd.to_datetime(idx))
        except (ValueError, TypeError):
            pass
    return idx


def plot_lifecycle_area(
    data,
    *,
    normalize: bool = False,
    stages: Sequence[str] | None = None,
    # columns (defaults match ``lifecycle_counts()``)
    period_col: str = "period",
    stage_col: str = "stage",
    users_col: str = "users",
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Stacked area of users per lifecycle stage over time, one catalog colour and name per stage
    (``stage.<key>``). ``normalize=True`` stacks shares (each period sums to 100 %)."""
    lang = resolve_lang(lang)
    df = _as_pandas(data, "data")
    check_columns(df.columns, period_col=period_col, stage_col=stage_col, users_col=users_col)
    wide = df.pivot_table(index=period_col, columns=stage_col, values=users_col, aggfunc="sum", fill_value=0)
    wide = wide.sort_index()
    keys = list(stages) if stages is not None else _ordered(wide.columns, STAGES)
    wide = wide.reindex(columns=keys, fill_value=0).astype(float)
    if normalize:
        wide = wide.div(wide.sum(axis=1).replace(0, np.nan), axis=0).fillna(0)
    ax = _get_ax(ax, figsize=(10, 5))
    x = _period_index(wide.index)
    ax.stackplot(x, *[wide[k].to_numpy() for k in keys], labels=[_stage_name(k, lang) for k in keys],
                 colors=_colors(keys, "stage"), alpha=0.9, edgecolor="white", linewidth=0.3)
    ax.set_xlim(x.min(), x.max())
    if np.issubdtype(np.asarray(x).dtype, np.datetime64):
        date_formatter(ax, lang)  # concise dates (2025年, 02月 …) instead of overlapping full dates
    ax.set_ylim(0, 1 if normalize else None)
    if normalize:
        ax.yaxis.set_major_formatter(percent_formatter(lang))
    else:
        _num_axis(ax.yaxis, lang)
    handles, labels_ = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels_[::-1], title=label("ops.lifecycle.stage", lang),
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title_fontsize=9)
    ax.set_xlabel(label("ops.lifecycle.period", lang))
    ax.set_ylabel(label("ops.lifecycle.share" if normalize else "ops.lifecycle.users", lang))
    set_labels(ax, title=("ops.lifecycle.share_title" if normalize else "ops.lifecycle.area_title") if title is None else title, lang=lang)
    return ax


def plot_posthog_lifecycle(
    data,
    *,
    period_col: str = "period",
    status_col: str = "status",
    users_col: str = "users",
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """PostHog-style lifecycle bars per period: new, returning and resurrecting users stacked above
    zero, dormant users below (``data`` from :func:`opsplaybook.posthog_lifecycle`; dormant counts
    are drawn negative whatever their sign in the data)."""
    lang = resolve_lang(lang)
    df = _as_pandas(data, "data")
    check_columns(df.columns, period_col=period_col, status_col=status_col, users_col=users_col)
    wide = df.pivot_table(index=period_col, columns=status_col, values=users_col, aggfunc="sum", fill_value=0)
    wide = wide.sort_index()
    keys = _ordered(wide.columns, POSTHOG_STATUSES)
    x = _period_index(wide.index)
    ax = _get_ax(ax, figsize=(10, 5))
    if isinstance(x, pd.DatetimeIndex) and len(x) > 1:
        width = (x[1:] - x[:-1]).min() * 0.8
    else:
        x, width = np.arange(len(wide)), 0.8
    bottom = np.zeros(len(wide))
    for key, color in zip(keys, _colors(keys, "posthog")):
        vals = wide[key].to_numpy(float)
        name = label(f"posthog.{key}", lang, default=str(key))
        if key == "dormant":
            bars = ax.bar(x, -np.abs(vals), width=width, color=color, label=name)
        else:
            bars = ax.bar(x, vals, width=width, bottom=bottom, color=color, label=name)
            bottom += vals
        for b in bars:
            b.set_gid(f"posthog-{key}")
    ax.axhline(0, color="#333333", lw=0.8)
    _num_axis(ax.yaxis, lang)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_xlabel(label("ops.lifecycle.period", lang))
    ax.set_ylabel(label("ops.lifecycle.users", lang))
    set_labels(ax, title="ops.posthog.title" if title is None else title, lang=lang)
    return ax


# ------------------------------------------------------------------ Sankey
def _sankey_flows(data, from_col, to_col, users_col, stages):
    df = _as_pandas(data, "data")
    check_columns(df.columns, from_col=from_col, to_col=to_col, users_col=users_col)
    flows = df.groupby([from_col, to_col], sort=False)[users_col].sum().reset_index()
    flows = flows[flows[users_col] > 0]
    if (df[users_col] < 0).any():
        raise InvalidParameterError(f"`{users_col}` has negative user counts; a Sankey needs counts ≥ 0.")
    order = list(stages) if stages is not None else list(STAGES)
    left = _ordered(flows[from_col], order)
    right = _ordered(flows[to_col], order)
    return flows, left, right


def _ribbon(x0, x1, top0, bot0, top1, bot1) -> Path:
    """A band from the span (bot0, top0) at x0 to (bot1, top1) at x1 with cubic-Bézier edges."""
    xm = (x0 + x1) / 2
    verts = [(x0, top0), (xm, top0), (xm, top1), (x1, top1),
             (x1, bot1), (xm, bot1), (xm, bot0), (x0, bot0), (x0, top0)]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4,
             Path.LINETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.CLOSEPOLY]
    return Path(verts, codes)


def plot_sankey(
    data,
    *,
    stages: Sequence[str] | None = None,
    start_label: str | None = None,
    end_label: str | None = None,
    # columns (defaults match ``lifecycle_transitions()``)
    from_col: str = "from_stage",
    to_col: str = "to_stage",
    users_col: str = "users",
    # look
    node_width: float = 0.035,
    gap: float = 0.02,
    alpha: float = 0.45,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
):
    """Sankey diagram (桑基图) of users moving between lifecycle stages from one date to another.

    ``data`` has one row per (``from_stage``, ``to_stage``) with the number of ``users`` (the output
    of :func:`opsplaybook.lifecycle_transitions`). Stages are stacked in lifecycle order (or
    ``stages``) on both sides, each bar as tall as its users; every non-empty transition is a ribbon
    (a Bézier ``PathPatch`` with ``gid="sankey-flow"``) whose thickness is proportional to its users
    and whose colour is the source stage's. Drawn with matplotlib only, so PNG, SVG and PDF exports
    work; :func:`sankey_figure` makes an interactive plotly version.
    """
    lang = resolve_lang(lang)
    flows, left, right = _sankey_flows(data, from_col, to_col, users_col, stages)
    ax = _get_ax(ax, figsize=(9, 6))
    total = float(flows[users_col].sum())
    if total <= 0:
        raise InvalidParameterError("`data` has no users to draw: every transition count is 0.")
    n = max(len(left), len(right))
    scale = (1 - gap * (n - 1)) / total  # axis units per user

    def layout(keys, col):
        sizes = flows.groupby(col)[users_col].sum()
        height = total * scale + gap * (len(keys) - 1)
        y = 1 - (1 - height) / 2  # centre the column vertically
        spans = {}
        for k in keys:
            h = sizes.get(k, 0) * scale
            spans[k] = (y - h, y)
            y -= h + gap
        return spans, sizes

    lspans, lsizes = layout(left, from_col)
    rspans, rsizes = layout(right, to_col)
    allkeys = _ordered(left + right, stages or STAGES)
    colors = dict(zip(allkeys, _colors(allkeys, "stage")))
    x0, x1 = node_width, 1 - node_width
    # outgoing ribbons leave a source in target order; incoming ones enter a target in source order
    lcursor = {k: lspans[k][1] for k in left}
    rcursor = {k: rspans[k][1] for k in right}
    rank_r = {k: i for i, k in enumerate(right)}
    rank_l = {k: i for i, k in enumerate(left)}
    out_order = flows.assign(_r=flows[to_col].map(rank_r), _l=flows[from_col].map(rank_l)).sort_values(["_l", "_r"])
    top_out = {}
    for row in out_order.itertuples(index=False):
        src, dst, u = getattr(row, from_col), getattr(row, to_col), float(getattr(row, users_col))
        top_out[(src, dst)] = lcursor[src]
        lcursor[src] -= u * scale
    for row in out_order.sort_values(["_r", "_l"]).itertuples(index=False):
        src, dst, u = getattr(row, from_col), getattr(row, to_col), float(getattr(row, users_col))
        h = u * scale
        t0, t1 = top_out[(src, dst)], rcursor[dst]
        rcursor[dst] -= h
        patch = PathPatch(_ribbon(x0, x1, t0, t0 - h, t1, t1 - h), facecolor=colors[src],
                          edgecolor="none", alpha=alpha, gid="sankey-flow")
        patch.flow = (src, dst, u)  # for tests and tooltips
        ax.add_patch(patch)
    fmt_users = lambda v: _fmt(v, lang)  # noqa: E731
    for side, spans, sizes, xr, ha, tx in (("left", lspans, lsizes, 0, "right", -0.01),
                                            ("right", rspans, rsizes, x1, "left", 1.01)):
        for k, (b, t) in spans.items():
            ax.add_patch(Rectangle((xr, b), node_width, t - b, facecolor=colors[k], edgecolor="white",
                                   lw=0.5, gid=f"sankey-node-{side}"))
            ax.text(tx, (b + t) / 2, f"{_stage_name(k, lang)}  {fmt_users(sizes[k])}", ha=ha, va="center",
                    fontsize=9, gid=f"sankey-label-{side}")
    ax.text(node_width / 2, 1.03, label("ops.sankey.start", lang) if start_label is None else start_label,
            ha="center", va="bottom", fontsize=10)
    ax.text(1 - node_width / 2, 1.03, label("ops.sankey.end", lang) if end_label is None else end_label,
            ha="center", va="bottom", fontsize=10)
    ax.set_xlim(-0.32, 1.32)
    ax.set_ylim(-0.02, 1.08)
    ax.set_axis_off()
    set_labels(ax, title="ops.sankey.title" if title is None else title, lang=lang)
    return ax


def sankey_figure(
    data,
    *,
    stages: Sequence[str] | None = None,
    from_col: str = "from_stage",
    to_col: str = "to_stage",
    users_col: str = "users",
    lang: str | None = None,
    title: str | None = None,
):
    """The same Sankey as :func:`plot_sankey` as an interactive ``plotly.graph_objects.Figure``
    (hover shows the users of each stage and transition). Needs plotly."""
    try:
        import plotly.graph_objects as go
    except ImportError:  # pragma: no cover - plotly is optional
        raise ImportError("sankey_figure needs plotly: pip install plotly "
                          "(or use plot_sankey for a static matplotlib chart)") from None
    from matplotlib.colors import to_hex, to_rgba

    lang = resolve_lang(lang)
    flows, left, right = _sankey_flows(data, from_col, to_col, users_col, stages)
    nodes = [("L", k) for k in left] + [("R", k) for k in right]
    index = {n: i for i, n in enumerate(nodes)}
    allkeys = _ordered(left + right, stages or STAGES)
    colors = dict(zip(allkeys, _colors(allkeys, "stage")))

    def rgba(c, a):
        r, g, b, _ = to_rgba(c)
        return f"rgba({int(r * 255)},{int(g * 255)},{int(b * 255)},{a})"

    fig = go.Figure(go.Sankey(
        arrangement="fixed",
        node=dict(label=[_stage_name(k, lang) for _, k in nodes], color=[to_hex(colors[k]) for _, k in nodes],
                  pad=14, thickness=16),
        link=dict(source=[index[("L", s)] for s in flows[from_col]],
                  target=[index[("R", t)] for t in flows[to_col]],
                  value=flows[users_col].astype(float).tolist(),
                  color=[rgba(colors[s], 0.45) for s in flows[from_col]]),
    ))
    fig.update_layout(title_text=label("ops.sankey.title", lang) if title is None else title, font_size=12)
    return fig


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
    lang = resolve_lang(lang)
    df = _as_pandas(data, "data")
    check_columns(df.columns, r_col=r_col, f_col=f_col, m_col=m_col)
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
                    m=_fmt(v, lang, kind="yuan", decimals=0 if abs(v) < 1e4 else None), n=_fmt(n, lang)),
                        ha="center", va="center", fontsize=9, color="white" if dark else "#222222",
                        gid="rfm-cell")
    ax.set_xticks(np.arange(len(f_vals)), [str(int(v)) if float(v).is_integer() else str(v) for v in f_vals])
    ax.set_yticks(np.arange(len(r_vals)), [str(int(v)) if float(v).is_integer() else str(v) for v in r_vals])
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set_xlabel(label("ops.rfm.f_score", lang))
    ax.set_ylabel(label("ops.rfm.r_score", lang))
    set_labels(ax, title="ops.rfm.heatmap_title" if title is None else title, lang=lang)
    return ax


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
        if dx >= dy:  # a column on the left
            w = s / dy if dy else 0.0
            yy = y
            for r in row:
                h = r / w if w else 0.0
                rects.append((x, yy, w, h))
                yy += h
            x, dx = x + w, dx - w
        else:  # a row at the bottom
            h = s / dx if dx else 0.0
            xx = x
            for r in row:
                w = r / h if h else 0.0
                rects.append((xx, y, w, h))
                xx += w
            y, dy = y + h, dy - h
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
    lang = resolve_lang(lang)
    check_choice("kind", kind, ("bars", "treemap"))
    check_choice("value", value, ("users", "monetary"))
    df = _as_pandas(data, "data")
    if segment_col not in df.columns and segment_col == "segment_key" and "segment" in df.columns:
        segment_col = "segment"
    check_columns(df.columns, segment_col=segment_col)
    if value == "users":
        sizes = df.groupby(segment_col).size()
    else:
        check_columns(df.columns, m_col=m_col)
        sizes = df.groupby(segment_col)[m_col].sum()
    sizes = sizes.sort_values(ascending=False)
    keys = list(sizes.index)
    names = [_segment_name(k, lang) for k in keys]
    colors = _colors(keys, None)
    share = sizes / sizes.sum()
    money = value == "monetary"
    texts = [f"{_fmt(v, lang, kind='yuan' if money else 'number')} · {_fmt(s, lang, kind='percent')}"
             for v, s in zip(sizes, share)]
    if kind == "bars":
        ax = _get_ax(ax, figsize=(9, 0.8 + 0.42 * len(keys)))
        y = np.arange(len(keys))
        bars = ax.barh(y, sizes.to_numpy(float), color=colors, gid="rfm-segment")
        for b in bars:
            b.set_gid("rfm-segment")
        for yi, v, t in zip(y, sizes, texts):
            ax.annotate(t, (v, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlim(0, sizes.max() * 1.25)
        _num_axis(ax.xaxis, lang)
        ax.set_xlabel(label("ops.rfm.monetary" if money else "ops.rfm.users", lang))
        ax.set_ylabel(label("ops.rfm.segment", lang))
    else:
        ax = _get_ax(ax, figsize=(10, 6))
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
    set_labels(ax, title=("ops.rfm.segments_value_title" if money else "ops.rfm.segments_title") if title is None else title, lang=lang)
    return ax


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
    lang = resolve_lang(lang)
    if not 0 < threshold < 1:
        raise InvalidParameterError(f"`threshold`={threshold!r} must be between 0 and 1, e.g. 0.8.")
    if isinstance(data, pd.DataFrame) or hasattr(data, "columns"):
        df = _as_pandas(data, "data")
        check_columns(df.columns, user_col=user_col, amount_col=amount_col)
        values = df.groupby(user_col)[amount_col].sum().to_numpy(float)
    else:
        values = np.asarray(data, dtype=float)
    values = np.sort(values[~np.isnan(values)])[::-1]
    n = len(values) if n_users is None else int(n_users)
    if n < len(values):
        raise InvalidParameterError(f"`n_users`={n_users} is smaller than the {len(values)} users with values.")
    if values.sum() <= 0:
        raise InvalidParameterError("`data` has no positive amounts: nothing to draw a Pareto curve of.")
    cum = np.concatenate([[0.0], np.cumsum(values) / values.sum(), np.ones(n - len(values))])
    xs = np.arange(n + 1) / n
    ax = _get_ax(ax, figsize=(7, 6))
    ax.plot(xs, cum, color="#D9534F", lw=2.5, label=label("ops.pareto.curve", lang), gid="pareto-curve")
    ax.fill_between(xs, cum, xs, color="#D9534F", alpha=0.08)
    ax.plot([0, 1], [0, 1], ls="--", color="#999999", lw=1, label=label("ops.pareto.equality", lang))
    ux = float(np.interp(threshold, cum, xs))  # along the drawn (piecewise linear) curve
    ax.plot([ux, ux, 0], [0, threshold, threshold], ls=":", color="#333333", lw=1)
    ax.plot([ux], [threshold], "o", color="#333333", gid="pareto-mark")
    ax.annotate(label("ops.pareto.mark", lang).format(users=_fmt(ux, lang, kind="percent"),
                                                      value=_fmt(threshold, lang, kind="percent", decimals=0)),
                (ux, threshold), xytext=(12, -28), textcoords="offset points", fontsize=10,
                arrowprops=dict(arrowstyle="-", color="#666666"), gid="pareto-label")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(percent_formatter(lang))
    ax.yaxis.set_major_formatter(percent_formatter(lang))
    ax.set_xlabel(label("ops.pareto.xlabel", lang))
    ax.set_ylabel(label("ops.pareto.ylabel", lang))
    ax.legend(loc="lower right", fontsize=9)
    set_labels(ax, title="ops.pareto.title" if title is None else title, lang=lang)
    ax.pareto_share = ux  # share of users that bring ``threshold`` of revenue
    return ax


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
    ensure_cjk_font()
    lang = resolve_lang(lang)
    df = _as_pandas(data, "data")
    check_columns(df.columns, period_col=period_col)
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
        _num_axis(a.yaxis, lang, kind)
        if isinstance(x, pd.DatetimeIndex):
            date_formatter(a, lang)  # month names in the chart language
            a.xaxis.get_major_locator().maxticks = dict.fromkeys(range(7), 5)  # few ticks per small panel
        last = y[~np.isnan(y)][-1] if (~np.isnan(y)).any() else np.nan
        a.set_title(f"{label(f'kpi.{m}', lang, default=m)}  {_fmt(last, lang, kind=kind)}", fontsize=10, loc="left")
        a.tick_params(axis="x", labelsize=7)
        a.tick_params(axis="y", labelsize=7)
        a.set_ylim(bottom=0)
    for a in axes[len(metrics):]:
        a.set_visible(False)
    fig.suptitle(label("ops.kpi.title", lang) if title is None else title)
    return fig


# ------------------------------------------------------------------ gallery
# How to draw each chart from a synthetic ``World`` (``generate_world`` / ``load_demo``); the gallery
# builder calls ``GALLERY[name](world, ax)``. Each input comes from the analytics functions.
FUNNEL_STEPS = ("visit", "view", "cart", "checkout", "purchase")


def _analytics(name: str):
    """``opsplaybook.analytics.<name>``, imported when a gallery entry is drawn (charts sit above analytics)."""
    from .. import analytics

    return getattr(analytics, name)


def _world_mid(world):
    ts = world.events["ts"]
    return ts.min() + (ts.max() - ts.min()) / 2, ts.max()


def _funnel_steps(world) -> list[str]:
    """The world's in-session funnel (its preset's steps), e.g. visit → view → cart → checkout → purchase."""
    from ..world.presets import PRESETS

    preset = getattr(getattr(world, "truth", None), "preset", None)
    return [s["event"] for s in PRESETS[preset]["steps"]] if preset in PRESETS else list(FUNNEL_STEPS)


def _g_funnel(world, ax):
    f = _analytics("funnel")
    df = f(world.events, _funnel_steps(world))
    return plot_funnel(df, ax=ax)


def _g_funnel_by(world, ax):
    f = _analytics("funnel")
    by = "touchpoint"
    df = f(world.events, _funnel_steps(world), by=by)
    return plot_funnel(df, by=by, ax=ax)


def _retention_result(world):
    f = _analytics("retention")
    return f(world.events, period="W", periods=9)


def _g_retention_heatmap(world, ax):
    return plot_retention_heatmap(_retention_result(world), max_cohorts=12, ax=ax)


def _g_retention_curves(world, ax):
    return plot_retention_curves(_retention_result(world), ax=ax)


def _g_retention_by_segment(world, ax):
    """One curve per planted persona (the cohort retention of each persona's users)."""
    truth = world.truth
    persona = truth.user_persona if hasattr(truth, "user_persona") else pd.Series(truth["user_persona"])
    f = _analytics("retention")
    out = {}
    for key in persona.value_counts().index[:4]:
        ev = world.events[world.events["user_id"].isin(persona.index[persona == key])]
        out[key] = f(ev, period="W", periods=9)
    return plot_retention_curves(out, ax=ax)


def _g_lifecycle_area(world, ax):
    f = _analytics("lifecycle_counts")
    ts = world.events["ts"]
    df = f(world.events, start=ts.min(), end=ts.max(), freq="M", users=world.users)
    return plot_lifecycle_area(df, ax=ax)


def _g_posthog(world, ax):
    f = _analytics("posthog_lifecycle")
    df = f(world.events, freq="W", users=world.users)
    return plot_posthog_lifecycle(df, ax=ax)


def _g_sankey(world, ax):
    start, end = _world_mid(world)
    f = _analytics("lifecycle_transitions")
    df = f(world.events, start, end, users=world.users)
    return plot_sankey(df, start_label=f"{start:%Y-%m-%d}", end_label=f"{end:%Y-%m-%d}", ax=ax)


def _rfm_of(world):
    f = _analytics("rfm")
    return f(world.orders)


GALLERY = {
    "plot_funnel": _g_funnel,
    "plot_funnel_by": _g_funnel_by,
    "plot_retention_heatmap": _g_retention_heatmap,
    "plot_retention_curves": _g_retention_curves,
    "plot_retention_curves_by_segment": _g_retention_by_segment,
    "plot_lifecycle_area": _g_lifecycle_area,
    "plot_posthog_lifecycle": _g_posthog,
    "plot_sankey": _g_sankey,
    "plot_rfm_heatmap": lambda world, ax: plot_rfm_heatmap(_rfm_of(world), ax=ax),
    "plot_rfm_segments": lambda world, ax: plot_rfm_segments(_rfm_of(world), ax=ax),
    "plot_rfm_segments_treemap": lambda world, ax: plot_rfm_segments(_rfm_of(world), kind="treemap", ax=ax),
    "plot_pareto": lambda world, ax: plot_pareto(world.orders, n_users=len(world.users), ax=ax),
    "plot_kpi_dashboard": lambda world, ax: plot_kpi_dashboard(
        _analytics("kpis")(world.events, world.orders, freq="W", users=world.users), ax=ax),
}
