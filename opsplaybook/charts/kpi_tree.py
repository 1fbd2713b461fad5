"""The KPI tree (指标树) under the North Star metric (北极星指标), drawn as boxes and links.

:func:`plot_kpi_tree` draws the output of :func:`opsplaybook.kpi_tree` (or any frame with ``node``,
``parent``, ``value`` and, optionally, ``base``/``change``/``kind``/``label``/``formula`` columns):
the root on the left, each level of children to its right, every box showing the metric, its value,
its change against the base period (blue up, orange down, as in the rest of the kit) and, for a
parent, the formula that links it to its children.
"""
from __future__ import annotations

import math

from ..errors import DataValidationError
from ..labels import label
from ._style import NEGATIVE_COLOR, NEUTRAL_COLOR, POSITIVE_COLOR, _close, _get_ax, _open, format_number

__all__ = ["plot_kpi_tree"]


def _depths_and_rows(df) -> tuple[dict, dict, list]:
    """Depth of each node (root 0) and a vertical position: leaves in order, parents centred."""
    parent = {n: (p if isinstance(p, str) and p else None) for n, p in zip(df["node"], df["parent"])}
    children: dict = {n: [] for n in parent}
    roots = []
    for n, p in parent.items():
        if p is None:
            roots.append(n)
        elif p not in children:
            raise DataValidationError(
                f"KPI tree node {n!r} has parent {p!r}, which is not a node. Nodes: {list(parent)}."
            )
        else:
            children[p].append(n)
    if not roots:
        raise DataValidationError("The KPI tree has no root (a node whose `parent` is missing).")
    depth: dict = {}
    ypos: dict = {}
    leaf = [0]

    def walk(n, d, seen):
        if n in seen:
            raise DataValidationError(f"The KPI tree has a cycle through node {n!r}.")
        depth[n] = d
        kids = children[n]
        for k in kids:
            walk(k, d + 1, seen | {n})
        if kids:
            ypos[n] = sum(ypos[k] for k in kids) / len(kids)
        else:
            ypos[n] = leaf[0]
            leaf[0] += 1

    for r in roots:
        walk(r, 0, frozenset())
    return depth, ypos, roots


def _node_text(row, lang: str) -> tuple[str, str, str | None]:
    node = str(row["node"])
    name = row.get("label") if isinstance(row.get("label"), str) else None
    name = label(f"kpi_tree.node.{node}", lang, default=name or node)
    kind = row.get("kind") if isinstance(row.get("kind"), str) else "number"
    value = row["value"]
    shown = "–" if value is None or (isinstance(value, float) and math.isnan(value)) else format_number(
        value, lang, kind=kind, decimals=2 if kind == "number" and abs(value) < 10 else None)
    change = row.get("change")
    delta = None
    if change is not None and not (isinstance(change, float) and math.isnan(change)):
        arrow = "↑" if change > 0 else "↓" if change < 0 else "＝"
        delta = f"{label('kpi_tree.change', lang)} {arrow}{abs(change) * 100:.1f}%"
    return name, shown, delta


def plot_kpi_tree(tree, *, ax=None, lang: str | None = None, title=None, north_star: str | None = None,
                  figsize=(10, 5.4)):
    """Draw a KPI tree: the result at the root, the levers that multiply into it as children, the
    North Star metric (北极星指标) marked with a star.

    Parameters
    ----------
    tree : frame
        Output of :func:`opsplaybook.kpi_tree` (columns ``node``, ``parent``, ``value``; optional
        ``change``, ``kind``, ``label``, ``formula``, ``period``).
    ax : matplotlib Axes, optional
        Where to draw (a new figure when None).
    lang : {"zh", "en"}, optional
        Language of the texts (node names from the catalog keys ``kpi_tree.node.<node>``, else the
        frame's ``label`` column, else the node key).
    title : str, optional
        A catalog key or text; default "North Star metric and KPI tree" with the period.
    north_star : str, optional
        The node marked as North Star metric (北极星指标), e.g. ``"buyers"``; default the root.
    figsize : tuple
        Size of a new figure (the default fits the seven nodes of :func:`opsplaybook.kpi_tree`).

    Returns
    -------
    matplotlib Axes. Each box is a text artist whose text holds the name, the value and the change;
    the links are lines (``ax.lines``).

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import kpi_tree
    >>> from opsplaybook.charts.kpi_tree import plot_kpi_tree
    >>> k = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]),
    ...     "uv": [1000, 1200], "buyers": [50, 54], "orders": [60, 81], "gmv": [5000.0, 5940.0]})
    >>> ax = plot_kpi_tree(kpi_tree(k), north_star="buyers", lang="en")
    >>> len(ax.texts), len(ax.lines)
    (7, 6)
    """
    df, _, lang = _open(tree, lang=lang, param="tree", axes=False, node_col="node", parent_col="parent",
                        value_col="value")
    depth, ypos, roots = _depths_and_rows(df)
    star = north_star if north_star is not None else roots[0]
    if star not in depth:
        raise DataValidationError(f"`north_star`={star!r} is not a node of the tree. Nodes: {list(depth)}.")
    ax = _get_ax(ax, figsize=figsize)
    n_leaves = max(ypos.values()) + 1
    xgap = 1.0
    pos = {n: (depth[n] * xgap, (n_leaves - 1) / 2 - ypos[n]) for n in depth}
    rows = {str(r["node"]): r for r in df.to_dict("records")}
    # links first (under the boxes): elbow lines from parent's right edge to child's left edge
    for n, r in rows.items():
        p = r["parent"] if isinstance(r["parent"], str) and r["parent"] else None
        if p is None:
            continue
        (x0, y0), (x1, y1) = pos[p], pos[n]
        xm = (x0 + x1) / 2
        ax.plot([x0 + 0.18, xm, xm, x1 - 0.18], [y0, y0, y1, y1], color=NEUTRAL_COLOR, lw=1.2, zorder=1)
    for n, r in rows.items():
        name, shown, delta = _node_text(r, lang)
        change = r.get("change")
        color = NEUTRAL_COLOR
        if isinstance(change, (int, float)) and not math.isnan(change) and change != 0:
            color = POSITIVE_COLOR if change > 0 else NEGATIVE_COLOR
        lines = [name, shown] + ([delta] if delta else [])
        formula = r.get("formula")
        if isinstance(formula, str) and formula:
            formula = label(f"kpi_tree.formula.{n}", lang, default=formula)
            lines.append(f"= {formula}")
        if n == star:
            lines.insert(0, f"★ {label('kpi_tree.north_star', lang)}")
        x, y = pos[n]
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=9.5, zorder=3,
                bbox={"boxstyle": "round,pad=0.45", "facecolor": "white", "edgecolor": color,
                      "linewidth": 2.2 if n == star else 1.4})
    max_depth = max(depth.values())
    ax.set_xlim(-0.6, max_depth * xgap + 0.6)
    ax.set_ylim(-(n_leaves / 2) - 0.1, n_leaves / 2 + 0.1)
    ax.set_axis_off()
    default_title = None
    if title is None:
        default_title = label("kpi_tree.title", lang)
        period = df["period"].iloc[0] if "period" in df.columns else None
        if period is not None and not (isinstance(period, float) and math.isnan(period)):
            try:
                default_title += f" · {period:%Y-%m-%d}"
            except (TypeError, ValueError):
                default_title += f" · {period}"
    return _close(ax, lang, title=title, default_title=default_title)
