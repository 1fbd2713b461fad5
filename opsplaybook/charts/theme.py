"""The kit's chart theme: :func:`set_theme`, plus the style names a user reaches for (number
formatters, the palette and the fixed segment/stage colours, defined in ``_style``).

Call :func:`set_theme` once (the notebooks' first cell does)::

    import opsplaybook as ops
    ops.set_theme(lang="zh")      # or "en"

It sets seaborn's style for projectors and reports, the label language of every chart
(:func:`opsplaybook.labels.set_lang`), and a font that has Chinese glyphs (chosen by
:func:`opsplaybook.charts.fonts.cjk_font_name`: an installed CJK font if there is one, otherwise the
bundled OpsPlaybook Sans SC).

Importing this module changes nothing. Charts render Chinese even without ``set_theme``: every
chart calls :func:`~opsplaybook.charts.fonts.ensure_cjk_font` before it draws.

PDF/PS: the theme embeds fonts as TrueType (``pdf.fonttype = ps.fonttype = 42``; text stays
selectable). If you change one, change both: matplotlib 3.11's PDF backend sizes its font subsets
from ``ps.fonttype``, so ``pdf.fonttype=3`` with ``ps.fonttype=42`` fails on Chinese text with
"bytes must be in range(0, 256)".
"""
from __future__ import annotations

import matplotlib as mpl

from ..errors import check_choice, check_lang
from ..labels import set_lang
from ._style import (
    DIVERGING_CMAP,
    KEY_COLORS,
    PALETTE,
    SEQUENTIAL_CMAP,
    color_for,
    format_number,
    format_percent,
    format_yuan,
    number_formatter,
    palette_for,
    percent_formatter,
    yuan_formatter,
)
from .fonts import _has_bold, cjk_font_name

__all__ = [
    "set_theme",
    "format_number",
    "format_percent",
    "format_yuan",
    "number_formatter",
    "percent_formatter",
    "yuan_formatter",
    "color_for",
    "palette_for",
    "PALETTE",
    "KEY_COLORS",
    "SEQUENTIAL_CMAP",
    "DIVERGING_CMAP",
]


def set_theme(lang: str | None = "zh", *, context: str = "notebook", style: str = "whitegrid",
              font_scale: float = 1.15, font: str = "auto", palette=None, figsize=(8, 5),
              dpi: int = 100, rc: dict | None = None) -> str:
    """Set the kit's chart style and label language once; return the CJK font family in use.

    Parameters
    ----------
    lang : "zh" or "en"
        Language of every chart's title, axis labels, segment and stage names (``None`` keeps the
        current one).
    context, style, font_scale, palette
        Passed to :func:`seaborn.set_theme` (defaults readable on a projector; ``context="talk"``
        for a large room). ``palette`` defaults to the kit's :data:`PALETTE`.
    font : "auto", "bundled" or a family name
        Font for Chinese. ``"auto"`` prefers an installed CJK font, then the bundled one.
    figsize, dpi : default figure size (inches) and screen resolution; saved figures use 150 dpi and
        a tight bounding box.
    rc : extra rcParams applied last.
    """
    import seaborn as sns

    if lang is not None:
        set_lang(check_lang(lang))
    check_choice("context", context, ("paper", "notebook", "talk", "poster"))
    name = cjk_font_name(font)
    sans = [name, "DejaVu Sans", "Arial", "Helvetica", "sans-serif"]
    base_rc = {
        "font.family": ["sans-serif"],
        "font.sans-serif": sans,
        "axes.unicode_minus": False,
        "figure.figsize": tuple(figsize),
        "figure.dpi": dpi,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        # bold titles only when the CJK font has a bold face (else matplotlib logs a warning per title)
        "axes.titleweight": "bold" if _has_bold(name) else "normal",
        "figure.titleweight": "bold" if _has_bold(name) else "normal",
        "axes.titlesize": "large",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "path",
    }
    sns.set_theme(context=context, style=style, palette=palette or PALETTE, font="sans-serif",
                  font_scale=font_scale, rc=base_rc)
    # seaborn's style dicts reset font.sans-serif; put ours back in front
    mpl.rcParams["font.sans-serif"] = sans
    mpl.rcParams["axes.unicode_minus"] = False
    if rc:
        mpl.rcParams.update(rc)
    return name

