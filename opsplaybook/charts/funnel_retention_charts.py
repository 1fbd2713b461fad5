"""Charts of the funnel and retention analyses: conversion funnel bars, cohort retention heatmap and
retention curves.

Each ``plot_…(data, *, ax=None, lang=None, title=None, …)`` draws the output of
:func:`opsplaybook.funnel` or :func:`opsplaybook.retention` on ``ax`` (a new figure when None) and
returns the Axes. Titles, axis labels, event and segment names come from the label catalog in
``lang`` (the current language by default); numbers are written for people (万/亿 in Chinese, K/M in
English, shares as %). Nothing here calls ``plt.show()``.

>>> ax = plot_funnel(funnel(world.events, ["visit", "view", "cart", "checkout", "purchase"]))  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import check_choice, check_columns
from ..labels import label
from . import _gallery_data as W
from ._style import (
    PALETTE,
    _close,
    _colors,
    _event_name,
    _get_ax,
    _number_axis,
    _open,
    _segment_name,
    format_number,
    percent_formatter,
)

__all__ = ["plot_funnel", "plot_retention_heatmap", "plot_retention_curves"]


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
    df, ax, lang = _open(data, ax=ax, lang=lang, figsize=(9, 5), step_col=step_col, name_col=name_col,
                         users_col=users_col, by=by)
    if by is None:
        extra = [c for c in df.columns if c not in _FUNNEL_COLS | {step_col, name_col, users_col}]
        by = extra[0] if len(extra) == 1 else None
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
                ax.annotate(f"{format_number(u, lang)}\n" + label("ops.funnel.overall", lang).format(pct=format_number(c, lang, kind="percent")),
                            (xi, u), xytext=(0, 3), textcoords="offset points",
                            ha="center", va="bottom", fontsize=9, gid="funnel-overall")
            for i in range(1, len(users)):
                prev = users[i - 1]
                step_conv = users[i] / prev if prev else np.nan
                y = max(users[i], prev * 0.5)
                ax.annotate(f"→ {format_number(step_conv, lang, kind='percent')}", ((x[i - 1] + x[i]) / 2, y),
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
                    ax.annotate(f"{format_number(u, lang)}\n{format_number(u / first, lang, kind='percent')}", (xi, u),
                                xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                                fontsize=7 if len(groups) > 2 else 8, gid="funnel-overall")
        ax.set_ylim(0, top * 1.22)
        ax.legend(title=label(f"col.{by}", lang, default=str(by)), fontsize=8)
    ax.set_xticks(x, names)
    _number_axis(ax.yaxis, lang)
    return _close(ax, lang, title=title, default_title="ops.funnel.title",
                  default_xlabel="ops.funnel.xlabel", default_ylabel="ops.funnel.ylabel")



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
    matrix = as_pandas(getattr(data, "matrix", data))
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
    matrix, _, lang = _open(getattr(data, "matrix", data), lang=lang, axes=False, cohort_col="cohort")
    unit = _unit_of(data) or _unit_of(matrix)
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
                ax.text(j, i, format_number(v, lang, kind="percent", decimals=0 if len(cols) > 12 else 1),
                        ha="center", va="center", fontsize=fs, gid="retention-cell",
                        color="white" if v > 0.55 else "#222222")
    ax.set_xticks(np.arange(len(cols)), [str(c) for c in cols])
    if "cohort_size" in matrix.columns:
        ticks = [label("ops.retention.cohort_tick", lang).format(cohort=_cohort_text(c, unit), size=format_number(n, lang))
                 for c, n in zip(matrix["cohort"], matrix["cohort_size"])]
    else:
        ticks = [_cohort_text(c, unit) for c in matrix["cohort"]]
    ax.set_yticks(np.arange(len(matrix)), ticks)
    ax.tick_params(axis="both", length=0, labelsize=8)
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return _close(ax, lang, title=title, default_title="ops.retention.heatmap_title",
                  default_xlabel=_period_axis_label(unit, lang), default_ylabel="ops.retention.cohort", pad=12)


def _mean_curve(obj, value: str) -> pd.Series | None:
    """A period -> share Series from a RetentionResult, its ``.mean`` or ``.matrix``, or a Series."""
    if isinstance(obj, pd.Series):
        return obj
    mean = getattr(obj, "mean", None)
    if isinstance(mean, pd.DataFrame):
        obj = mean
    elif hasattr(obj, "matrix"):
        obj = obj.matrix
    df = as_pandas(obj)
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
    check_choice("value", value, ("weighted", "simple"))
    _, ax, lang = _open(None, ax=ax, lang=lang, figsize=(8, 5))
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
                ax.annotate(format_number(yv, lang, kind="percent"), (xv, yv), xytext=(0, 5),
                            textcoords="offset points", ha="center", fontsize=8)
    ax.set_ylim(0, 1.05)
    _number_axis(ax.yaxis, lang, "percent")
    return _close(ax, lang, title=title, default_title="ops.retention.curves_title",
                  default_xlabel=_period_axis_label(unit, lang), default_ylabel="ops.retention.rate")


# ------------------------------------------------------------------ gallery
def _g_funnel(world, ax):
    return plot_funnel(W.analytics("funnel")(world.events, W.funnel_steps(world)), ax=ax)


def _g_funnel_by(world, ax):
    by = "touchpoint"
    return plot_funnel(W.analytics("funnel")(world.events, W.funnel_steps(world), by=by), by=by, ax=ax)


def _g_retention_by_segment(world, ax):
    """One curve per planted persona (the cohort retention of each persona's users)."""
    truth = world.truth
    persona = truth.user_persona if hasattr(truth, "user_persona") else pd.Series(truth["user_persona"])
    out = {}
    for key in persona.value_counts().index[:4]:
        events = world.events[world.events["user_id"].isin(persona.index[persona == key])]
        out[key] = W.weekly_retention(world, events)
    return plot_retention_curves(out, ax=ax)


#: How the gallery builder draws each chart from a World: ``GALLERY[name](world, ax) -> Axes``.
GALLERY = {
    "plot_funnel": _g_funnel,
    "plot_funnel_by": _g_funnel_by,
    "plot_retention_heatmap": lambda world, ax: plot_retention_heatmap(W.weekly_retention(world), max_cohorts=12, ax=ax),
    "plot_retention_curves": lambda world, ax: plot_retention_curves(W.weekly_retention(world), ax=ax),
    "plot_retention_curves_by_segment": _g_retention_by_segment,
}
