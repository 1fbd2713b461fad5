"""Charts of Module 1 (用户画像和用户群细分): the map of persona groups, tag sizes and tag overlap.

Each ``plot_…(data, *, ax=None, lang=None, title=None, …)`` draws on ``ax`` (a new figure when
None) and returns the Axes; ``data`` is the result of the matching model
(:meth:`PersonaResult.map() <opsplaybook.models.personas.PersonaResult.map>`,
:meth:`TagResult.sizes() <opsplaybook.models.tags.TagResult.sizes>`,
:meth:`TagResult.overlap() <opsplaybook.models.tags.TagResult.overlap>`).

>>> import pandas as pd
>>> m = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [1.0, 0.0, 1.0], "group": [0, 0, 1]})
>>> ax = plot_persona_map(m, names={0: "甲", 1: "乙"}, lang="zh")
>>> [t.get_text() for t in ax.get_legend().get_texts()]
['甲', '乙']
"""
from __future__ import annotations

import numpy as np

from ..errors import InvalidParameterError
from ._style import PALETTE, _close, _open

__all__ = ["plot_persona_map", "plot_tag_sizes", "plot_tag_overlap"]


def plot_persona_map(data, *, ax=None, lang: str | None = None, names=None, max_points: int = 3000,
                     random_state: int = 0, title=None, x_col: str = "x", y_col: str = "y",
                     group_col: str = "group"):
    """Scatter of the clustered users on two principal components, one colour per group.

    Parameters
    ----------
    data : DataFrame
        :meth:`PersonaResult.map` (``x``, ``y``, ``group``; ``.attrs["explained"]`` is shown on the
        axes when present).
    names : dict, optional
        Group → name for the legend (e.g. ``persona_cards(...)["name"]``); default "1", "2" ….
    max_points : int, default 3000
        Users drawn at most (a fixed random sample: the picture stays readable and fast).
    """
    df, ax, lang = _open(data, ax=ax, lang=lang, x_col=x_col, y_col=y_col, group_col=group_col)
    if len(df) > max_points:
        df = df.sample(max_points, random_state=random_state)
    names = dict(names) if names is not None else {}
    for i, g in enumerate(sorted(df[group_col].unique())):
        part = df[df[group_col] == g]
        ax.scatter(part[x_col], part[y_col], s=9, alpha=0.55, color=PALETTE[i % len(PALETTE)], linewidths=0,
                   label=str(names.get(g, names.get(int(g), f"{int(g) + 1}"))))
        ax.scatter([part[x_col].mean()], [part[y_col].mean()], s=90, marker="X", color=PALETTE[i % len(PALETTE)],
                   edgecolors="white", linewidths=1.2, zorder=3)
    ax.legend(loc="best", fontsize=9, markerscale=2, frameon=False)
    explained = getattr(data, "attrs", {}).get("explained")
    xl, yl = "cluster.map.x", "cluster.map.y"
    if explained and len(explained) >= 2:
        from ..labels import label

        xl = f"{label('cluster.map.x', lang)} ({explained[0]:.0%})"
        yl = f"{label('cluster.map.y', lang)} ({explained[1]:.0%})"
    return _close(ax, lang, title=title, default_title="cluster.map.title", default_xlabel=xl, default_ylabel=yl)


def plot_tag_sizes(data, *, ax=None, lang: str | None = None, title=None):
    """Horizontal bars of users per tag (:meth:`TagResult.sizes`), with the share written at each bar."""
    df, ax, lang = _open(data, ax=ax, lang=lang, label_col="label")
    if "users" not in df.columns or "share" not in df.columns:
        raise InvalidParameterError(f"`data` must be TagResult.sizes() (columns label, users, share); got {list(df.columns)}.")
    y = np.arange(len(df))[::-1]
    ax.barh(y, df["users"], color=PALETTE[0])
    ax.set_yticks(y, df["label"].astype(str))
    top = float(df["users"].max()) if len(df) else 0.0
    for yi, n, s in zip(y, df["users"], df["share"]):
        ax.text(n + top * 0.01, yi, f"{int(n):,} ({s:.1%})", va="center", fontsize=9)
    ax.set_xlim(0, top * 1.25 if top else 1)
    return _close(ax, lang, title=title, default_title="tags.sizes.title", default_xlabel="tags.sizes.x", default_ylabel="")


def plot_tag_overlap(data, *, ax=None, lang: str | None = None, labels=None, title=None):
    """Heat map of :meth:`TagResult.overlap`: users carrying both tags (the diagonal: each tag's size).

    Parameters
    ----------
    data : DataFrame
        The square overlap table (tags × tags).
    labels : dict, optional
        Tag → display label (:attr:`TagResult.labels`).
    """
    df, ax, lang = _open(data, ax=ax, lang=lang)
    if list(df.index) != list(df.columns):
        raise InvalidParameterError("`data` must be the square table of TagResult.overlap() (same tags as rows and columns).")
    labels = dict(labels or {})
    m = df.to_numpy(dtype=float)
    ax.imshow(m, cmap="Blues", aspect="auto")
    names = [str(labels.get(t, t)) for t in df.index]
    ax.set_xticks(range(len(names)), names, rotation=35, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.grid(False)
    hi = m.max() if m.size else 0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            ax.text(j, i, f"{int(m[i, j]):,}", ha="center", va="center", fontsize=8,
                    color="white" if hi and m[i, j] > 0.6 * hi else "black")
    return _close(ax, lang, title=title, default_title="tags.overlap.title", default_xlabel="", default_ylabel="")

