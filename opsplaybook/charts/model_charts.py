"""Charts of the course models: KANO quadrant, positioning map, Van Westendorp price curves, channel
value matrix and A/B test result.

Each ``plot_…(data, *, ax=None, lang=None, title=None, …)`` draws on ``ax`` (a new figure when None)
and returns the Axes. ``data`` is the output of the matching model in :mod:`opsplaybook.models`
(``kano()``, ``van_westendorp()``, ``channel_value()``, ``ab_test()``), or the raw survey /
experiment table, which is then run through the model with its default columns. Titles, axis labels
and category names come from the label catalog in ``lang`` (the current language by default);
numbers are written for people. Nothing here calls ``plt.show()``.

>>> ax = plot_kano(kano(world.survey_kano))  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from ..errors import InvalidParameterError, check_choice, check_columns
from ..labels import label
from ._style import (
    HIGHLIGHT_COLOR,
    KEY_COLORS,
    NEGATIVE_COLOR,
    NEUTRAL_COLOR,
    POSITIVE_COLOR,
    _close,
    _get_ax,
    _number_axis,
    _open,
    column_label,
    format_number,
    percent_formatter,
)

__all__ = [
    "plot_kano",
    "plot_positioning_map",
    "plot_price_sensitivity",
    "plot_channel_matrix",
    "plot_ab_result",
    "KANO_COLORS",
    "PSM_COLORS",
    "QUADRANT_COLORS",
]

#: One colour per KANO category (A attractive, O one-dimensional, M must-be, I indifferent,
#: R reverse, Q questionable).
KANO_COLORS = {
    "A": "#2ca02c",
    "O": "#1f77b4",
    "M": "#d62728",
    "I": "#7f7f7f",
    "R": "#9467bd",
    "Q": "#8c564b",
}
#: Curve colours of the price sensitivity chart (cheap side green, expensive side red/orange).
PSM_COLORS = {
    "too_cheap": "#2ca02c",
    "cheap": "#98df8a",
    "not_cheap": "#98df8a",
    "expensive": "#ffbb78",
    "not_expensive": "#ff7f0e",
    "too_expensive": "#d62728",
}
#: Bubble colour per quadrant of the channel value matrix.
QUADRANT_COLORS = {
    "star": "#2ca02c",
    "potential": "#1f77b4",
    "traffic": "#ff7f0e",
    "weak": "#7f7f7f",
}
_RANGE_COLOR = "#fff2cc"


# ------------------------------------------------------------------ helpers
def _text_size_px(text: str, fontsize: float, dpi: float) -> tuple[float, float]:
    """Approximate width and height in pixels of a (multi-line) label: CJK characters are one em
    wide, others about 0.6 em."""
    em = fontsize * dpi / 72
    lines = str(text).split("\n")
    width = max(sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in line) for line in lines) * em
    return width + 4, len(lines) * 1.25 * em + 2


def _spread_labels(ax, xs, ys, texts, *, colors=None, fontsize=9, radii_px=4.0, gap_px=4.0,
                   prefer="right", bbox=None, avoid=()):
    """Label points without covering other points or other labels.

    For each point (top to bottom) the first free spot is taken among: right of it, left, below,
    above, then the same spots shifted up/down by half a label height at a time (``prefer="below"``
    tries below first). A spot is free when the label's box stays inside the Axes and overlaps no
    placed label and no other point (a point is a disc of ``radii_px``, one number or one per point,
    e.g. each bubble's radius) and none of the Artists in ``avoid`` (e.g. quadrant names). A thin
    line joins a label that had to move away to its point.
    Returns the Annotation objects in the order of ``texts``.
    """
    fig = ax.figure
    to_pt = 72.0 / fig.dpi  # pixels (at the figure's dpi) -> points, so any save dpi keeps the layout
    pts = ax.transData.transform(np.column_stack([xs, ys]))
    r = np.broadcast_to(np.asarray(radii_px, dtype=float), (len(texts),))
    box = ax.get_window_extent()
    placed: list[tuple[float, float, float, float]] = []
    if avoid:
        try:
            renderer = fig.canvas.get_renderer()
            for artist in avoid:
                e = artist.get_window_extent(renderer)
                placed.append((e.x0, e.y0, e.x1, e.y1))
        except AttributeError:  # a canvas without a renderer: only points and labels are avoided
            pass
    out = [None] * len(texts)

    def overlaps(rect, i) -> int:
        x0, y0, x1, y1 = rect
        n = sum(1 for q in placed if x0 < q[2] and q[0] < x1 and y0 < q[3] and q[1] < y1)
        for j in range(len(pts)):
            if j == i:
                continue
            cx, cy = np.clip(pts[j, 0], x0, x1), np.clip(pts[j, 1], y0, y1)
            if np.hypot(cx - pts[j, 0], cy - pts[j, 1]) < r[j] + 1:
                n += 1
        if x0 < box.x0 or x1 > box.x1 or y0 < box.y0 or y1 > box.y1:
            n += 1
        return n

    for i in np.lexsort((pts[:, 0], -pts[:, 1])):
        px, py = pts[i]
        w, h = _text_size_px(texts[i], fontsize, fig.dpi)
        d = r[i] + gap_px
        sides = {  # name -> (dx, dy, ha, va) with (dx, dy) the text anchor relative to the point
            "right": (d, 0.0, "left", "center"), "left": (-d, 0.0, "right", "center"),
            "below": (0.0, -d, "center", "top"), "above": (0.0, d, "center", "bottom"),
        }
        first = ["below", "right", "left", "above"] if prefer == "below" else ["right", "left", "below", "above"]
        cands = [(*sides[k], 0.0) for k in first]
        for step in range(1, 8):
            for sign in (-1, 1):
                for k in first[:3]:
                    dx, dy, ha, va = sides[k]
                    cands.append((dx, dy + sign * step * h / 2, ha, va, step))
        best, best_n = None, None
        for c in cands:
            dx, dy, ha, va = c[:4]
            ax0 = px + dx - (w if ha == "right" else w / 2 if ha == "center" else 0)
            ay0 = py + dy - (h if va == "top" else h / 2 if va == "center" else 0)
            n = overlaps((ax0, ay0, ax0 + w, ay0 + h), i)
            if best is None or n < best_n:
                best, best_n, rect = c, n, (ax0, ay0, ax0 + w, ay0 + h)
            if n == 0:
                break
        dx, dy, ha, va = best[:4]
        moved = len(best) > 4 and best[4] > 0
        placed.append(rect)
        out[i] = ax.annotate(
            texts[i], (xs[i], ys[i]), xytext=(dx * to_pt, dy * to_pt), textcoords="offset points",
            fontsize=fontsize, va=va, ha=ha, color=(colors[i] if colors is not None else "0.15"),
            arrowprops=dict(arrowstyle="-", color="0.6", lw=0.6, shrinkA=0, shrinkB=r[i] * to_pt)
            if moved else None,
            bbox=bbox, zorder=6,
        )
    return out


# ------------------------------------------------------------------ KANO
def plot_kano(
    data,
    *,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
    # look
    split="mean",
    annotate: bool = True,
    regions: bool = True,
    # columns (defaults match ``kano()``)
    feature_col: str = "feature",
    better_col: str = "better",
    worse_col: str = "worse",
    category_col: str = "category",
):
    """KANO Better–Worse quadrant (KANO模型四象限图).

    Each feature is a point at (|Worse|, Better), coloured by its majority KANO category. The plane
    is cut at ``split`` into the four regions of the Better–Worse diagram: Attractive 魅力属性 (high
    Better, low |Worse|, top left), One-dimensional 期望属性 (both high, top right), Must-be 必备属性
    (low Better, high |Worse|, bottom right) and Indifferent 无差异属性 (both low, bottom left).

    Parameters
    ----------
    data : DataFrame
        Output of :func:`opsplaybook.models.kano`, or the raw KANO survey (run through ``kano()``).
    split : "mean", float or (float, float)
        Where to cut the axes: the mean |Worse| and mean Better of the features (default, the usual
        choice in practice), one number for both axes (e.g. 0.5), or ``(worse_cut, better_cut)``.
    annotate : bool
        Write the feature names beside the points.
    regions : bool
        Shade and name the four regions.
    """
    if isinstance(split, str) and split != "mean":
        raise InvalidParameterError(f"`split`={split!r} is not allowed. Use 'mean', a number or a pair.")
    df, _, lang = _open(data, lang=lang, axes=False)
    if better_col not in df.columns and "functional" in df.columns:
        from ..models import kano

        df = kano(df)
    check_columns(df.columns, feature_col=feature_col, better_col=better_col, worse_col=worse_col,
                  category_col=category_col)
    df = df.dropna(subset=[better_col, worse_col])
    x = df[worse_col].abs().to_numpy(dtype=float)
    y = df[better_col].to_numpy(dtype=float)
    if isinstance(split, str):
        xc, yc = float(np.mean(x)), float(np.mean(y))
    elif np.ndim(split) == 0:
        xc = yc = float(split)
    else:
        xc, yc = (float(v) for v in split)

    ax = _get_ax(ax, figsize=(8, 6.5))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    if regions:
        for (x0, x1, y0, y1, cat) in ((0, xc, yc, 1, "A"), (xc, 1, yc, 1, "O"), (xc, 1, 0, yc, "M"),
                                      (0, xc, 0, yc, "I")):
            ax.add_patch(Rectangle(
                (x0, y0), x1 - x0, y1 - y0, facecolor=KANO_COLORS[cat], alpha=0.07, lw=0, zorder=0,
                gid=f"kano-region-{cat}"))
            # region names sit in the inner corner, by the cut lines: features gather in the outer corners
            tx = xc - 0.015 if x1 == xc else xc + 0.015
            ty = yc + 0.015 if y0 == yc else yc - 0.015
            ha, va = ("right" if x1 == xc else "left"), ("bottom" if y0 == yc else "top")
            ax.text(tx, ty, label(f"models.kano.{cat}", lang), ha=ha, va=va, fontsize=11,
                    color=KANO_COLORS[cat], alpha=0.75, fontweight="bold", gid=f"kano-region-label-{cat}")
    ax.axvline(xc, color="0.5", lw=1, ls="--")
    ax.axhline(yc, color="0.5", lw=1, ls="--")

    cats = df[category_col].astype(str).tolist()
    colors = [KANO_COLORS.get(c, NEUTRAL_COLOR) for c in cats]
    for cat in [c for c in "AOMIRQ" if c in cats]:
        m = np.array([c == cat for c in cats])
        ax.scatter(x[m], y[m], s=70, color=KANO_COLORS[cat], edgecolor="white", linewidth=0.8, zorder=3,
                   label=label(f"models.kano.{cat}", lang))
    if annotate:
        _spread_labels(ax, x, y, df[feature_col].astype(str).tolist(), colors=colors, radii_px=5 * ax.figure.dpi / 72)
    _number_axis(ax.xaxis, lang, "percent")
    _number_axis(ax.yaxis, lang, "percent")
    ax.legend(title=label("models.kano.legend", lang), loc="center left", bbox_to_anchor=(1.01, 0.5))
    return _close(ax, lang, title=title, default_title="models.kano.title",
                  default_xlabel="models.kano.xlabel", default_ylabel="models.kano.ylabel")


# ------------------------------------------------------------------ positioning map
def plot_positioning_map(
    data,
    *,
    x: str,
    y: str,
    label_col: str = "label",
    ax=None,
    lang: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    # look
    highlight: str | Iterable[str] | None = None,
    size: str | None = None,
    quadrant_lines: bool = True,
    x_kind: str = "number",
    y_kind: str = "number",
):
    """2-D positioning map (二维空间市场定位图) of products or competitors.

    Each row of ``data`` is a product placed at (``x``, ``y``) — two dimensions buyers care about,
    e.g. price level and quality, or the scores of a competitor scorecard. Dashed lines at the means
    of both dimensions split the map into four quadrants, so empty positions (market gaps) and
    crowded ones stand out.

    Parameters
    ----------
    data : DataFrame
        One row per product with the two dimension columns and a name column.
    x, y : str
        The dimension columns (axis labels: the catalog's ``col.<name>`` text, else the name).
    label_col : str
        The product name column.
    highlight : str or list of str
        Product(s) to draw in the highlight colour (本品, our product); the rest are competitors.
    size : str, optional
        A column scaling the markers (e.g. sales or users).
    quadrant_lines : bool
        Draw the mean lines.
    x_kind, y_kind : {"number", "percent", "yuan"}
        How the axes' numbers are written (``"percent"`` for shares 0–1, ``"yuan"`` for money).
    """
    kinds = ("number", "percent", "yuan")
    check_choice("x_kind", x_kind, kinds)
    check_choice("y_kind", y_kind, kinds)
    df, _, lang = _open(data, lang=lang, axes=False, x=x, y=y, label_col=label_col, size=size)
    df = df.dropna(subset=[x, y])
    if len(df) == 0:
        raise InvalidParameterError("`data` has no row with both dimensions filled; nothing to place.")
    own = {highlight} if isinstance(highlight, str) else set(highlight or [])
    missing = own - set(df[label_col].astype(str))
    if missing:
        raise InvalidParameterError(
            f"`highlight`={sorted(missing)!r} is not in column {label_col!r}. "
            f"Products: {df[label_col].astype(str).tolist()}."
        )
    xs, ys = df[x].to_numpy(dtype=float), df[y].to_numpy(dtype=float)
    names = df[label_col].astype(str).tolist()
    is_own = np.array([n in own for n in names])
    if size is not None:
        s = df[size].to_numpy(dtype=float)
        sizes = 60 + 900 * (s / np.nanmax(s) if np.nanmax(s) > 0 else 0)
    else:
        sizes = np.full(len(df), 90.0)

    ax = _get_ax(ax, figsize=(8, 6.5))
    pad_x = (xs.max() - xs.min()) * 0.12 or 1
    pad_y = (ys.max() - ys.min()) * 0.12 or 1
    ax.set_xlim(xs.min() - pad_x, xs.max() + pad_x * 2.2)
    ax.set_ylim(ys.min() - pad_y, ys.max() + pad_y)
    comp_color = POSITIVE_COLOR
    if (~is_own).any():
        ax.scatter(xs[~is_own], ys[~is_own], s=sizes[~is_own], color=comp_color, alpha=0.75,
                   edgecolor="white", zorder=3,
                   label=label("models.positioning.competitor", lang) if own else None)
    if is_own.any():
        ax.scatter(xs[is_own], ys[is_own], s=sizes[is_own], color=HIGHLIGHT_COLOR, marker="*",
                   edgecolor="white", zorder=4, label=label("models.positioning.own", lang))
    if quadrant_lines:
        mx, my = float(xs.mean()), float(ys.mean())
        mean = label("models.positioning.mean", lang)
        ax.axvline(mx, color="0.5", lw=1, ls="--", zorder=1)
        ax.axhline(my, color="0.5", lw=1, ls="--", zorder=1)
        ax.annotate(f"{mean} {format_number(mx, lang, kind=x_kind)}", (mx, 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -3), textcoords="offset points", va="top", fontsize=8, color="0.4")
        ax.annotate(f"{mean} {format_number(my, lang, kind=y_kind)}", (1, my), xycoords=("axes fraction", "data"),
                    xytext=(-3, 3), textcoords="offset points", ha="right", fontsize=8, color="0.4")
    radius_px = np.sqrt(sizes) / 2 * ax.figure.dpi / 72  # marker area is in points²
    _spread_labels(ax, xs, ys, names, colors=[HIGHLIGHT_COLOR if o else "0.15" for o in is_own],
                   radii_px=radius_px)
    _number_axis(ax.xaxis, lang, x_kind)
    _number_axis(ax.yaxis, lang, y_kind)
    if own:
        leg = ax.legend(loc="lower right")
        for h in leg.legend_handles:
            if hasattr(h, "set_sizes"):
                h.set_sizes([90])
    return _close(ax, lang, title=title, default_title="models.positioning.title",
                  xlabel=xlabel, default_xlabel=column_label(x, lang),
                  ylabel=ylabel, default_ylabel=column_label(y, lang))


# ------------------------------------------------------------------ Van Westendorp
def plot_price_sensitivity(
    data,
    *,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
    # look
    show_cheap_expensive: bool = False,
    annotate: bool = True,
):
    """Van Westendorp price curves (价格敏感度曲线) with the acceptable range shaded and the four
    points marked.

    Drawn are the four curves whose crossings define the points (see
    :func:`opsplaybook.models.van_westendorp`): too cheap and not cheap meet at PMC, not expensive
    and too expensive at PME, too cheap and too expensive at OPP, not cheap and not expensive at
    IPP. The acceptable range PMC..PME is shaded.

    Parameters
    ----------
    data : PriceSensitivityResult or DataFrame
        Output of :func:`opsplaybook.models.van_westendorp`, or the raw price survey.
    show_cheap_expensive : bool
        Also draw the "cheap" and "expensive" curves (thin dashed).
    annotate : bool
        Write each point's price next to its marker.
    """
    from ..models.pricing import PriceSensitivityResult, van_westendorp

    raw, _, lang = _open(None if isinstance(data, PriceSensitivityResult) else data, lang=lang, axes=False)
    res = data if raw is None else van_westendorp(raw)
    c = res.curves
    ax = _get_ax(ax, figsize=(9, 5.5))
    if np.isfinite(res.pmc) and np.isfinite(res.pme):
        ax.axvspan(res.pmc, res.pme, color=_RANGE_COLOR, alpha=0.8, lw=0, zorder=0,
                   label=label("models.psm.range", lang), gid="psm-range")
    curves = ["too_cheap", "not_cheap", "not_expensive", "too_expensive"]
    if show_cheap_expensive:
        curves += ["cheap", "expensive"]
    for key in curves:
        thin = key in ("cheap", "expensive")
        ax.plot(c["price"], c[key], color=PSM_COLORS[key], lw=1.2 if thin else 2.2,
                ls="--" if thin else "-", label=label(f"models.psm.{key}", lang), gid=f"psm-{key}")
    price = c["price"].to_numpy()
    point_curve = {"pmc": "too_cheap", "pme": "too_expensive", "opp": "too_cheap", "ipp": "not_cheap"}
    offsets = {"pmc": (10, -22), "opp": (8, 22), "ipp": (8, -18), "pme": (8, 10)}
    for key in ("pmc", "opp", "ipp", "pme"):
        p = getattr(res, key)
        if not np.isfinite(p):
            continue
        yv = float(np.interp(p, price, c[point_curve[key]].to_numpy()))
        ax.plot([p], [yv], marker="o", ms=7, color="black", mfc="white", mew=1.6, zorder=5, ls="none",
                gid=f"psm-point-{key}")
        if annotate:
            short = label(f"models.psm.{key}", lang)
            ax.annotate(f"{short}\n{format_number(p, lang, kind='yuan', decimals=0)}", (p, yv),
                        xytext=offsets[key], textcoords="offset points", fontsize=8.5,
                        ha="left", va="center",
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="0.7", lw=0.5, alpha=0.9),
                        arrowprops=dict(arrowstyle="-", color="0.5", lw=0.6))
    ax.set_ylim(0, 1.02)
    # the long tail of "too expensive" answers adds nothing: stop where 99 % find the price too expensive
    te = c["too_expensive"].to_numpy()
    right = float(price[np.argmax(te >= 0.99)]) if (te >= 0.99).any() else float(price.max())
    right = min(float(price.max()), right + 0.05 * (right - float(price.min())))
    ax.set_xlim(float(price.min()), max(right, res.pme if np.isfinite(res.pme) else right))
    _number_axis(ax.xaxis, lang, "yuan")
    _number_axis(ax.yaxis, lang, "percent")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9)
    return _close(ax, lang, title=title, default_title="models.psm.title",
                  default_xlabel="models.psm.xlabel", default_ylabel="models.psm.ylabel")


# ------------------------------------------------------------------ channel value matrix
def _fraud_set(fraud, data: pd.DataFrame, channel_col: str) -> set:
    if fraud is None:
        return set(data.loc[data["flagged"].astype(bool), channel_col]) if "flagged" in data else set()
    if isinstance(fraud, str):
        return {fraud}
    if isinstance(fraud, pd.DataFrame):
        check_columns(fraud.columns, fraud_channel_col=channel_col)
        if "flagged" not in fraud.columns:
            raise InvalidParameterError("`fraud` as a frame must be the output of fraud_signals() (column 'flagged').")
        return set(fraud.loc[fraud["flagged"].astype(bool), channel_col])
    return set(fraud)


def plot_channel_matrix(
    data,
    *,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
    fraud=None,
    # columns (defaults match ``channel_value()``)
    channel_col: str = "channel",
    volume_col: str = "volume",
    quality_col: str = "quality",
    size_col: str = "spend",
    # look
    annotate: bool = True,
    max_bubble: float = 2200.0,
):
    """Channel value matrix (渠道价值评估矩阵): volume × quality bubbles, bubble area = spend.

    Bubbles are coloured by quadrant (star 明星, potential 潜力, traffic 流量, weak 低效 — see
    :func:`opsplaybook.models.channel_value`); dashed lines mark the cuts. Channels suspected of
    fraud are drawn with a thick red, hatched outline and tagged 疑似作弊 / suspected fraud.

    Parameters
    ----------
    data : DataFrame
        Output of :func:`opsplaybook.models.channel_value`.
    fraud : str, list of str or DataFrame, optional
        Channels to highlight as fraud: names, or the output of
        :func:`opsplaybook.models.fraud_signals` (its ``flagged`` rows). Default: the ``flagged``
        column of ``data`` when present, else none.
    max_bubble : float
        Marker area (points²) of the channel with the largest spend.
    """
    df, _, lang = _open(data, lang=lang, axes=False, channel_col=channel_col, volume_col=volume_col,
                        quality_col=quality_col, size_col=size_col)
    suspects = _fraud_set(fraud, df, channel_col)
    unknown = suspects - set(df[channel_col])
    if unknown:
        raise InvalidParameterError(
            f"`fraud` names channels not in the data: {sorted(unknown)}. Channels: {df[channel_col].tolist()}."
        )
    quality_kind = df.attrs.get("quality", "retention" if quality_col == "quality" else None)
    v = df[volume_col].to_numpy(dtype=float)
    q = df[quality_col].to_numpy(dtype=float)
    spend = df[size_col].fillna(0).to_numpy(dtype=float)
    top = spend.max() if spend.max() > 0 else 1.0
    sizes = 200 + max_bubble * spend / top
    v_cut = float(df.attrs.get("volume_cut", np.median(v)))
    q_cut = float(df.attrs.get("quality_cut", np.nanmedian(q)))
    if "quadrant" in df.columns:
        quads = df["quadrant"].astype(str).tolist()
    else:
        from ..models.channels import QUADRANTS

        quads = [QUADRANTS[(bool(a >= v_cut), bool(b >= q_cut))] for a, b in zip(v, q)]

    ax = _get_ax(ax, figsize=(9, 6.5))
    names = df[channel_col].astype(str).tolist()
    is_fraud = np.array([n in suspects for n in names])
    for key in ("star", "potential", "traffic", "weak"):
        m = np.array([qq == key for qq in quads]) & ~is_fraud
        if m.any():
            ax.scatter(v[m], q[m], s=sizes[m], color=QUADRANT_COLORS[key], alpha=0.6, edgecolor="white",
                       linewidth=1, zorder=3, label=label(f"models.channel.quadrant.{key}", lang))
    if is_fraud.any():
        ax.scatter(v[is_fraud], q[is_fraud], s=sizes[is_fraud],
                   color=[QUADRANT_COLORS.get(quads[i], NEUTRAL_COLOR) for i in np.flatnonzero(is_fraud)],
                   alpha=0.6, edgecolor=HIGHLIGHT_COLOR, linewidth=2.5, hatch="///", zorder=4,
                   label=label("models.channel.fraud", lang), gid="channel-fraud")

    # limits with room for the bubbles and labels
    span_v = (v.max() - v.min()) or max(v.max(), 1)
    span_q = (np.nanmax(q) - np.nanmin(q)) or max(abs(np.nanmax(q)), 0.1)
    ax.set_xlim(v.min() - 0.15 * span_v, v.max() + 0.15 * span_v)
    ax.set_ylim(np.nanmin(q) - 0.15 * span_q, np.nanmax(q) + 0.15 * span_q)
    # room around the bubbles, but no negative ticks for quantities that cannot be negative
    for axis, vals, getter in ((ax.xaxis, v, ax.get_xlim), (ax.yaxis, q, ax.get_ylim)):
        if np.nanmin(vals) >= 0:
            lo, hi = getter()
            ticks = [t for t in axis.get_major_locator().tick_values(max(lo, 0), hi) if max(lo, 0) <= t <= hi]
            axis.set_ticks(ticks)
    ax.axvline(v_cut, color="0.5", lw=1, ls="--", zorder=1)
    ax.axhline(q_cut, color="0.5", lw=1, ls="--", zorder=1)
    # quadrant names at the outer edges: top ones in the top corners, bottom ones just under the cut
    # (the bottom corners are where a fraud channel's bubble and label usually sit)
    q_frac = float(ax.transLimits.transform((v_cut, q_cut))[1])
    quadrant_names = []
    for key, (hx, hy, ha) in {"star": (0.99, 0.99, "right"), "potential": (0.01, 0.99, "left"),
                              "traffic": (0.99, q_frac - 0.01, "right"),
                              "weak": (0.01, q_frac - 0.01, "left")}.items():
        quadrant_names.append(ax.text(hx, hy, label(f"models.channel.quadrant.{key}", lang), transform=ax.transAxes,
                                      ha=ha, va="top", fontsize=10, color=QUADRANT_COLORS[key], fontweight="bold",
                                      alpha=0.85, gid=f"quadrant-{key}"))
    if annotate:
        tags = []
        for i, n in enumerate(names):
            t = label("models.channel.annotation", lang).format(
                channel=n, spend=format_number(round(spend[i]), lang, kind="yuan"))
            if is_fraud[i]:
                t += f"\n[{label('models.channel.fraud', lang)}]"
            tags.append(t)
        radius_px = np.sqrt(sizes) / 2 * ax.figure.dpi / 72  # marker area is in points²
        _spread_labels(ax, v, q, tags, fontsize=8, radii_px=radius_px, prefer="below", gap_px=2,
                       avoid=quadrant_names,
                       colors=[HIGHLIGHT_COLOR if f else "0.1" for f in is_fraud],
                       bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.7))

    _number_axis(ax.xaxis, lang)
    _number_axis(ax.yaxis, lang, {"retention": "percent", "arpu": "yuan"}.get(quality_kind, "number"))
    if quality_kind == "retention":
        a, b = df.attrs.get("retention_window", (1, 7))
        ylabel = label("models.channel.quality.retention", lang).format(days=f"{a}–{b}" if a != b else f"{a}")
    elif quality_kind:
        ylabel = label(f"models.channel.quality.{quality_kind}", lang)
    else:
        ylabel = column_label(quality_col, lang)
    leg = ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), title=label("models.channel.size", lang),
                    fontsize=9)
    leg.get_title().set_fontsize(9)
    for h in leg.legend_handles:  # equal legend markers, whatever the bubble sizes
        if hasattr(h, "set_sizes"):
            h.set_sizes([90])
    return _close(ax, lang, title=title, default_title="models.channel.title",
                  default_xlabel="models.channel.volume", default_ylabel=ylabel)


# ------------------------------------------------------------------ A/B result
def _pp(x: float) -> str:
    """A difference of rates in percentage points, signed: 0.0552 -> '+5.5'."""
    return f"{x * 100:+.1f}".replace("+0.0", "0.0").replace("-0.0", "0.0")


def _lift_text(res, lang: str) -> str:
    """'+5.5个百分点\n[-0.5, +12.0]' / '+5.5 pp\n[-0.5, +12.0]'."""
    lo, hi = res.lift_ci
    return label("models.ab.pp", lang).format(v=_pp(res.lift)) + f"\n[{_pp(lo)}, {_pp(hi)}]"


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def plot_ab_result(
    data,
    *,
    ax=None,
    lang: str | None = None,
    title: str | None = None,
    # look
    show_lift: bool = True,
):
    """A/B test result (AB测试结果): conversion rate per group with confidence-interval error bars,
    and an inset with the absolute lift and its confidence interval.

    Parameters
    ----------
    data : ABTestResult or DataFrame
        Output of :func:`opsplaybook.models.ab_test`, or the raw experiment table (run through
        ``ab_test()`` with its defaults).
    show_lift : bool
        Draw the lift inset (a forest-plot row: the lift, its interval and the zero line) and the
        one-line summary under the title.
    """
    from ..models.abtest import ABTestResult, ab_test

    raw, _, lang = _open(None if isinstance(data, ABTestResult) else data, lang=lang, axes=False)
    res = data if raw is None else ab_test(raw)
    g = res.groups
    ax = _get_ax(ax, figsize=(7.5, 5.5))
    names = [label(f"models.ab.{'control' if k == res.control else 'treatment'}", lang) for k in g["group"]]
    colors = [KEY_COLORS["group.control"], KEY_COLORS["group.treatment"]]
    rates = g["rate"].to_numpy(dtype=float)
    err = np.vstack([rates - g["ci_low"].to_numpy(dtype=float), g["ci_high"].to_numpy(dtype=float) - rates])
    xpos = np.arange(len(g))
    bars = ax.bar(xpos, rates, width=0.55, color=colors, zorder=2)
    ax.errorbar(xpos, rates, yerr=err, fmt="none", ecolor="0.2", elinewidth=1.5, capsize=8, zorder=3)
    for xi, r, hi, n in zip(xpos, rates, g["ci_high"], g["n"]):
        ax.annotate(f"{format_number(r, lang, kind='percent', decimals=1)}", (xi, hi), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=11, fontweight="bold")
        ax.annotate(f"n={format_number(n, lang)}", (xi, 0), xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9, color="white")
    ax.set_xticks(xpos, [f"{nm}\n({k})" if nm.lower() != str(k).lower() else nm for nm, k in zip(names, g["group"])])
    ax.set_xlim(-0.6, len(g) - 0.4 + (1.5 if show_lift else 0))
    top = float(g["ci_high"].max())
    ax.set_ylim(0, min(1.0, top * 1.25) if top > 0 else 1)
    _number_axis(ax.yaxis, lang, "percent")
    ax.grid(axis="x", visible=False)
    ci_txt = format_number(1 - res.alpha, lang, kind="percent", decimals=0)
    _close(ax, lang, title=title, default_title="models.ab.title", default_ylabel="models.ab.rate")
    if show_lift:
        ins = ax.inset_axes([0.66, 0.1, 0.32, 0.55])
        lo, hi = res.lift_ci
        color = (POSITIVE_COLOR if res.lift > 0 else NEGATIVE_COLOR) if res.significant else NEUTRAL_COLOR
        ins.errorbar([res.lift], [0], xerr=[[res.lift - lo], [hi - res.lift]], fmt="o", color=color,
                     ecolor=color, elinewidth=3, capsize=6, ms=8, gid="ab-lift")
        ins.axvline(0, color="0.3", lw=1, ls="--")
        span = max(abs(lo), abs(hi), 1e-3)
        ins.set_xlim(min(lo, 0) - 0.25 * span, max(hi, 0) + 0.25 * span)
        ins.set_ylim(-1, 1)
        ins.set_yticks([])
        ins.xaxis.set_major_formatter(percent_formatter(lang))
        ins.tick_params(axis="x", labelsize=8)
        ins.set_title(label("models.ab.lift_title", lang).format(ci=ci_txt), fontsize=9, fontweight="normal")
        verdict = label("models.ab.significant" if res.significant else "models.ab.not_significant", lang)
        ins.text(0.5, 0.95, _lift_text(res, lang), transform=ins.transAxes, ha="center", va="top", fontsize=9,
                 color=color, fontweight="bold", gid="ab-lift-text")
        ins.text(0.5, 0.05, f"{_p_text(res.p_value)} · {verdict}", transform=ins.transAxes, ha="center",
                 va="bottom", fontsize=8.5, color=color)
        for side in ("left", "right", "top"):
            ins.spines[side].set_visible(False)
        ins.set_facecolor("white")
        ins.grid(False)
        ins.set_gid("ab-lift-inset")
    ax._ops_bars = bars  # noqa: SLF001 (kept for tests/introspection)
    return ax


# ------------------------------------------------------------------ gallery
def _positioning_frame(world) -> pd.DataFrame:
    """Product categories placed by average order value (价格带) and repeat-purchase rate (复购率)."""
    o = world.orders
    per = o.groupby(["category", "user_id"]).size().rename("orders").reset_index()
    out = pd.DataFrame({
        "label": per.groupby("category").size().index,
        "avg_order_value": o.groupby("category")["amount"].mean().to_numpy(),
        "repeat_rate": (per.groupby("category")["orders"].apply(lambda s: (s > 1).mean())).to_numpy(),
        "buyers": per.groupby("category").size().to_numpy(),
    })
    return out


def _g_kano(world, ax):
    from ..models import kano

    return plot_kano(kano(world.survey_kano), ax=ax)


def _g_positioning(world, ax):
    # product lines (categories) placed by price level and repeat purchase; bubble size = buyers
    return plot_positioning_map(_positioning_frame(world), x="avg_order_value", y="repeat_rate", size="buyers",
                                x_kind="yuan", y_kind="percent", ax=ax,
                                xlabel="models.positioning.avg_order_value",
                                ylabel="models.positioning.repeat_rate")


def _g_price(world, ax):
    from ..models import van_westendorp

    return plot_price_sensitivity(van_westendorp(world.survey_price), ax=ax)


def _g_channels(world, ax):
    from ..models import channel_value, fraud_signals

    # months 2-3 activity separates the channels' user quality better than the first week
    cv = channel_value(world.users, world.channels, world.orders, world.events, retention_window=(31, 90))
    return plot_channel_matrix(cv, fraud=fraud_signals(world.users, world.events), ax=ax)


def _g_ab(world, ax):
    from ..models import ab_test

    return plot_ab_result(ab_test(world.experiment), ax=ax)


#: How the gallery builder draws each chart from a World: ``GALLERY[name](world, ax) -> ax``.
GALLERY = {
    "plot_kano": _g_kano,
    "plot_positioning_map": _g_positioning,
    "plot_price_sensitivity": _g_price,
    "plot_channel_matrix": _g_channels,
    "plot_ab_result": _g_ab,
}
