"""Charts of the lifecycle analyses: stages over time (stacked area), PostHog-style lifecycle bars,
and the Sankey diagram of users moving between stages (matplotlib, and plotly for an interactive one).

Each ``plot_…(data, *, ax=None, lang=None, title=None, …)`` draws the output of
:func:`opsplaybook.lifecycle_counts`, :func:`opsplaybook.posthog_lifecycle` or
:func:`opsplaybook.lifecycle_transitions` on ``ax`` (a new figure when None) and returns the Axes.
Stage and status names and colours come from the label catalog (``stage.<key>``, ``posthog.<key>``)
in ``lang``. Nothing here calls ``plt.show()``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from ..errors import InvalidParameterError
from ..labels import label
from . import _gallery_data as W
from ._style import (
    _close,
    _colors,
    _get_ax,
    _number_axis,
    _open,
    _ordered,
    _period_index,
    _stage_name,
    date_formatter,
    format_number,
    text,
)

__all__ = ["plot_lifecycle_area", "plot_posthog_lifecycle", "plot_sankey", "sankey_figure"]

#: Lifecycle stages in the order they are stacked and listed.
STAGES = ("potential", "new", "active", "silent", "churned", "returning")
#: PostHog lifecycle statuses in the order they are stacked.
POSTHOG_STATUSES = ("new", "returning", "resurrecting", "dormant")


# ------------------------------------------------------------------ lifecycle
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
    df, ax, lang = _open(data, ax=ax, lang=lang, figsize=(10, 5), period_col=period_col, stage_col=stage_col,
                         users_col=users_col)
    wide = df.pivot_table(index=period_col, columns=stage_col, values=users_col, aggfunc="sum", fill_value=0)
    wide = wide.sort_index()
    keys = list(stages) if stages is not None else _ordered(wide.columns, STAGES)
    wide = wide.reindex(columns=keys, fill_value=0).astype(float)
    if normalize:
        wide = wide.div(wide.sum(axis=1).replace(0, np.nan), axis=0).fillna(0)
    x = _period_index(wide.index)
    ax.stackplot(x, *[wide[k].to_numpy() for k in keys], labels=[_stage_name(k, lang) for k in keys],
                 colors=_colors(keys, "stage"), alpha=0.9, edgecolor="white", linewidth=0.3)
    ax.set_xlim(x.min(), x.max())
    if np.issubdtype(np.asarray(x).dtype, np.datetime64):
        date_formatter(ax, lang)  # concise dates (2025年, 02月 …) instead of overlapping full dates
    ax.set_ylim(0, 1 if normalize else None)
    _number_axis(ax.yaxis, lang, "percent" if normalize else "number")
    handles, labels_ = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels_[::-1], title=label("ops.lifecycle.stage", lang),
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title_fontsize=9)
    return _close(ax, lang, title=title,
                  default_title="ops.lifecycle.share_title" if normalize else "ops.lifecycle.area_title",
                  default_xlabel="ops.lifecycle.period",
                  default_ylabel="ops.lifecycle.share" if normalize else "ops.lifecycle.users")


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
    df, ax, lang = _open(data, ax=ax, lang=lang, figsize=(10, 5), period_col=period_col, status_col=status_col,
                         users_col=users_col)
    wide = df.pivot_table(index=period_col, columns=status_col, values=users_col, aggfunc="sum", fill_value=0)
    wide = wide.sort_index()
    keys = _ordered(wide.columns, POSTHOG_STATUSES)
    x = _period_index(wide.index)
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
    _number_axis(ax.yaxis, lang)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _close(ax, lang, title=title, default_title="ops.posthog.title",
                  default_xlabel="ops.lifecycle.period", default_ylabel="ops.lifecycle.users")



# ------------------------------------------------------------------ Sankey
def _sankey_flows(df, from_col, to_col, users_col, stages):
    """(non-empty flows, left stages, right stages, stage -> colour) of a transitions table, stages in
    lifecycle order (or ``stages``)."""
    flows = df.groupby([from_col, to_col], sort=False)[users_col].sum().reset_index()
    flows = flows[flows[users_col] > 0]
    if (df[users_col] < 0).any():
        raise InvalidParameterError(f"`{users_col}` has negative user counts; a Sankey needs counts ≥ 0.")
    order = list(stages) if stages is not None else list(STAGES)
    left = _ordered(flows[from_col], order)
    right = _ordered(flows[to_col], order)
    allkeys = _ordered(left + right, order)
    return flows, left, right, dict(zip(allkeys, _colors(allkeys, "stage")))


def _sankey_title(left, right) -> str:
    """The default title's catalog key: lifecycle transitions when every side is a lifecycle stage,
    else neutral (e.g. value levels moving between two dates)."""
    return "ops.sankey.title" if set(left) | set(right) <= set(STAGES) else "ops.sankey.title_flows"


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

    Any other flows (value levels, segments) draw the same way with ``stages`` giving their order;
    the default title then says "How users moved" (用户流动) instead of naming lifecycle stages.

    ``data`` has one row per (``from_stage``, ``to_stage``) with the number of ``users`` (the output
    of :func:`opsplaybook.lifecycle_transitions`). Stages are stacked in lifecycle order (or
    ``stages``) on both sides, each bar as tall as its users; every non-empty transition is a ribbon
    (a Bézier ``PathPatch`` with ``gid="sankey-flow"``) whose thickness is proportional to its users
    and whose colour is the source stage's. Drawn with matplotlib only, so PNG, SVG and PDF exports
    work; :func:`sankey_figure` makes an interactive plotly version.
    """
    df, _, lang = _open(data, lang=lang, axes=False, from_col=from_col, to_col=to_col, users_col=users_col)
    flows, left, right, colors = _sankey_flows(df, from_col, to_col, users_col, stages)
    total = float(flows[users_col].sum())
    if total <= 0:
        raise InvalidParameterError("`data` has no users to draw: every transition count is 0.")
    ax = _get_ax(ax, figsize=(9, 6))
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
    fmt_users = lambda v: format_number(v, lang)  # noqa: E731
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
    return _close(ax, lang, title=title, default_title=_sankey_title(left, right))


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

    df, _, lang = _open(data, lang=lang, axes=False, from_col=from_col, to_col=to_col, users_col=users_col)
    flows, left, right, colors = _sankey_flows(df, from_col, to_col, users_col, stages)
    nodes = [("L", k) for k in left] + [("R", k) for k in right]
    index = {n: i for i, n in enumerate(nodes)}

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
    fig.update_layout(title_text=text(_sankey_title(left, right) if title is None else title, lang), font_size=12)
    return fig


# ------------------------------------------------------------------ gallery
def _g_lifecycle_area(world, ax):
    ts = world.events["ts"]
    counts = W.analytics("lifecycle_counts")(world.events, start=ts.min(), end=ts.max(), freq="M", users=world.users)
    return plot_lifecycle_area(counts, ax=ax)


def _g_sankey(world, ax):
    start, end = W.world_mid(world)
    flows = W.analytics("lifecycle_transitions")(world.events, start, end, users=world.users)
    return plot_sankey(flows, start_label=f"{start:%Y-%m-%d}", end_label=f"{end:%Y-%m-%d}", ax=ax)


#: How the gallery builder draws each chart from a World: ``GALLERY[name](world, ax) -> Axes``.
GALLERY = {
    "plot_lifecycle_area": _g_lifecycle_area,
    "plot_posthog_lifecycle": lambda world, ax: plot_posthog_lifecycle(
        W.analytics("posthog_lifecycle")(world.events, freq="W", users=world.users), ax=ax),
    "plot_sankey": _g_sankey,
}
