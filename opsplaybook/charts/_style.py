"""Shared helpers of the chart modules: the opening and closing of every chart, number formatting,
colours and labels.

Every chart module (``basic``, the charts of the analytics' results ``funnel_retention_charts``,
``lifecycle_charts`` and ``value_charts``, and ``model_charts``) uses these so that charts look and
behave the same:

- :func:`_open` and :func:`_close`: the first and last lines of every ``plot_…`` — the language
  checked, the data as pandas (:func:`opsplaybook._frames.as_pandas`), the named columns checked
  before any figure is made, the Axes to draw on (a new figure when ``ax`` is None, with a CJK font
  ensured); then title, axis labels and legend title, each the caller's text or catalog key, else
  the chart's default.

- :func:`format_number` and the tick formatters (:func:`number_formatter`, :func:`percent_formatter`,
  :func:`yuan_formatter`): 万/亿 in Chinese, K/M/B in English, percentages with ``%``, yuan with ``¥``.
- :func:`color_for`, :func:`palette_for`: one stable colour per RFM segment, lifecycle stage,
  PostHog status and persona, whatever the language or the order the data comes in.
- :func:`text`, :func:`set_labels`, :func:`column_label`: titles and axis labels from catalog keys in
  the current language.

>>> format_number(123456, "zh")
'12.3万'
>>> format_number(123456, "en")
'123.5K'
>>> format_number(0.1234, "zh", kind="percent")
'12.3%'
>>> format_number(2.5e8, "zh", kind="yuan")
'¥2.5亿'
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
from matplotlib.ticker import Formatter

from .._frames import as_pandas
from ..errors import InvalidParameterError, check_choice, check_columns, check_lang
from ..labels import catalog, get_lang, label
from .fonts import ensure_cjk_font

__all__ = [
    "format_number",
    "format_percent",
    "format_yuan",
    "HumanFormatter",
    "number_formatter",
    "percent_formatter",
    "yuan_formatter",
    "PALETTE",
    "SEQUENTIAL_CMAP",
    "DIVERGING_CMAP",
    "POSITIVE_COLOR",
    "NEGATIVE_COLOR",
    "NEUTRAL_COLOR",
    "HIGHLIGHT_COLOR",
    "KEY_COLORS",
    "color_for",
    "palette_for",
    "resolve_lang",
    "text",
    "column_label",
    "set_labels",
    "value_kind",
    "value_formatter",
    "category_keys",
    "category_display",
    "date_formatter",
]

KINDS = ("number", "percent", "yuan")


# ============================================================== languages and labels
def resolve_lang(lang: str | None) -> str:
    """``lang`` if given (checked), else the current label language."""
    return get_lang() if lang is None else check_lang(lang)


def text(key_or_text: str | None, lang: str | None = None) -> str | None:
    """The catalog text of ``key_or_text`` if it is a catalog key, else the string itself.

    So every ``title=``/``xlabel=`` parameter accepts either a key (``"kpi.gmv"``) or literal text.
    ``None`` stays ``None``.
    """
    if key_or_text is None:
        return None
    s = str(key_or_text)
    if s in catalog():
        return label(s, resolve_lang(lang))
    return s


def column_label(column: object, lang: str | None = None) -> str:
    """A human label for a data column: the catalog's ``col.<name>`` text, else the name itself.

    >>> column_label("amount", "zh"), column_label("amount", "en")
    ('实付金额', 'Amount paid (¥)')
    >>> column_label("my_metric", "zh")
    'my_metric'
    """
    name = str(column)
    lang = resolve_lang(lang)
    for key in (name, f"col.{name}", f"kpi.{name}"):
        if "." in key and key in catalog():
            return label(key, lang)
    return name


def set_labels(ax, *, title=None, xlabel=None, ylabel=None, lang: str | None = None, legend_title=None):
    """Set title and axis labels from catalog keys or literal text (``None`` leaves them as they are;
    ``""`` clears them). Returns ``ax``."""
    lang = resolve_lang(lang)
    if title is not None:
        ax.set_title(text(title, lang))
    if xlabel is not None:
        ax.set_xlabel(text(xlabel, lang))
    if ylabel is not None:
        ax.set_ylabel(text(ylabel, lang))
    if legend_title is not None and ax.get_legend() is not None:
        ax.get_legend().set_title(text(legend_title, lang))
    return ax


def _get_ax(ax=None, *, figsize=None):
    """The Axes to draw on: ``ax`` itself, or a new figure's Axes. Makes sure Chinese can render."""
    ensure_cjk_font()
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _open(data, *, ax=None, lang: str | None = None, figsize=None, param: str = "data", axes: bool = True,
          **columns: str | None):
    """The opening of every ``plot_…``: ``(df, ax, lang)``.

    ``lang`` is checked (the current label language when None); ``data`` becomes a pandas frame
    (any engine, :func:`opsplaybook._frames.as_pandas`; ``None`` stays None for charts drawn from a
    result object); each ``param=column`` of ``columns`` is checked against it (None skips one);
    only then is the Axes made — ``ax`` itself or a new figure's, of ``figsize`` — so a wrong
    column name leaves no empty figure behind. Chinese is made to render
    (:func:`~opsplaybook.charts.fonts.ensure_cjk_font`).

    ``axes=False`` returns ``ax`` as given, for charts that must read the data before they know
    their figure (sized by their rows, or checked further first: they call :func:`_get_ax` then)
    or that lay out a figure of their own.
    """
    lang = resolve_lang(lang)
    df = None if data is None else as_pandas(data, param=param)
    if columns:
        check_columns(df.columns, **columns)
    if not axes:
        ensure_cjk_font()
        return df, ax, lang
    return df, _get_ax(ax, figsize=figsize), lang


def _close(target, lang: str, *, title=None, default_title=None, xlabel=None, default_xlabel=None,
           ylabel=None, default_ylabel=None, legend_title=None, **title_kw):
    """The closing of every ``plot_…``: title, axis labels and legend title; returns ``target``.

    Each text is the caller's (``title``/``xlabel``/``ylabel``: a catalog key or literal text,
    ``""`` clears it) or, when that is None, the chart's default (``default_…``; None leaves the
    Axes as it is). ``target`` is an Axes, or a Figure (its ``suptitle``; labels do not apply).
    ``title_kw`` go to ``set_title``/``suptitle`` (e.g. ``pad=12``).
    """
    shown = default_title if title is None else title
    if not hasattr(target, "set_title"):  # a Figure of several Axes
        if shown is not None:
            target.suptitle(text(shown, lang), **title_kw)
        return target
    set_labels(target, lang=lang,
               xlabel=default_xlabel if xlabel is None else xlabel,
               ylabel=default_ylabel if ylabel is None else ylabel, legend_title=legend_title)
    if shown is not None:
        target.set_title(text(shown, lang), **title_kw)
    return target


# ============================================================== names and order of catalog keys
def _stage_name(key, lang: str, prefix: str = "stage") -> str:
    """The catalog name of a lifecycle stage (or of ``prefix.key``); the key itself if unknown."""
    return label(f"{prefix}.{key}", lang, default=str(key))


def _event_name(code, lang: str) -> str:
    """The catalog name of an event code (``event.<code>``); the code itself if unknown."""
    return label(f"event.{code}", lang, default=str(code))


def _segment_name(key, lang: str) -> str:
    """A segment key (``important_value``, ``cn8.important_value`` or ``rfm.cn8.important_value``,
    a persona or a stage) by its catalog name; the key itself if unknown."""
    key = str(key)
    for cand in (key, f"rfm.{key}", f"rfm.cn8.{key}", f"rfm.en11.{key}", f"persona.{key}", f"stage.{key}"):
        found = label(cand, lang, default="")
        if found:
            return found
    return key


def _ordered(keys, order) -> list:
    """The distinct ``keys``: those in ``order`` first, in that order, then the others as they come."""
    keys = list(dict.fromkeys(keys))
    known = [k for k in order if k in keys]
    return known + [k for k in keys if k not in known]


def _colors(keys, prefix: str | None) -> list[str]:
    """Fixed catalog colours of stage/segment/status keys (unknown keys: the next palette colour)."""
    pal = palette_for(list(keys), prefix)
    return [pal[k] for k in keys]


def _period_index(values):
    """Period labels as an Index, text dates parsed to datetimes (so date axes apply)."""
    import pandas as pd

    idx = pd.Index(values)
    if idx.dtype == object:
        try:
            idx = pd.Index(pd.to_datetime(idx))
        except (ValueError, TypeError):
            pass
    return idx


# ============================================================== numbers for people
_ZH_UNITS = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_EN_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def _units(lang: str):
    return _ZH_UNITS if lang == "zh" else _EN_UNITS


def _scale_for(value: float, lang: str) -> tuple[float, str]:
    a = abs(value)
    for factor, suffix in _units(lang):
        if a >= factor * 0.99995:  # 9999.6 shows as 1万 rather than 10,000
            return factor, suffix
    return 1.0, ""


def _fmt_plain(v: float, decimals: int | None) -> str:
    """Thousands separators; ``decimals`` None = integers as integers, else up to 2 decimals."""
    if decimals is None:
        if float(v).is_integer():
            return f"{v:,.0f}"
        decimals = 2 if abs(v) < 100 else 1
        s = f"{v:,.{decimals}f}".rstrip("0").rstrip(".")
        return s
    return f"{v:,.{decimals}f}"


def format_number(x, lang: str | None = None, *, kind: str = "number", decimals: int | None = None) -> str:
    """A number written for people.

    ``kind="number"``: 万/亿/万亿 in Chinese (``12.3万``), K/M/B/T in English (``123.5K``); numbers
    below 10 000 (zh) / 1 000 (en) keep thousands separators (``1,234``). ``kind="percent"``: a share
    (0.123) as ``12.3%``. ``kind="yuan"``: money as ``¥12.3万`` / ``¥123.5K``. ``decimals`` fixes the
    digits after the point (default: 1 for scaled numbers and percentages, as needed otherwise).
    NaN/None give ``"—"``.
    """
    lang = resolve_lang(lang)
    check_choice("kind", kind, KINDS)
    if x is None:
        return "—"
    try:
        v = float(x)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(f"`x`={x!r} is not a number; format_number() formats numbers.") from exc
    if math.isnan(v):
        return "—"
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if kind == "percent":
        d = 1 if decimals is None else decimals
        s = f"{v * 100:.{d}f}"
        if decimals is None:
            s = s.rstrip("0").rstrip(".") if "." in s else s
        return _strip_negative_zero(s) + "%"
    sign = "-" if v < 0 else ""
    a = abs(v)
    factor, suffix = _scale_for(a, lang)
    if suffix:
        d = 1 if decimals is None else decimals
        body = f"{a / factor:.{d}f}"
        if decimals is None:
            body = body.rstrip("0").rstrip(".")
        body += suffix
    else:
        body = _fmt_plain(a, decimals)
    body = _strip_negative_zero(body)
    if body in ("0", "0%") or body.strip("0.,") == "":
        sign = ""
    return f"{sign}¥{body}" if kind == "yuan" else f"{sign}{body}"


def _strip_negative_zero(s: str) -> str:
    if s.startswith("-") and s[1:].strip("0.") == "":
        return s[1:]
    return s


def format_percent(x, decimals: int | None = None) -> str:
    """A share as a percentage: ``format_percent(0.1234) == '12.3%'``."""
    return format_number(x, "en", kind="percent", decimals=decimals)


def format_yuan(x, lang: str | None = None, decimals: int | None = None) -> str:
    """Money in yuan: ``format_yuan(123456, 'zh') == '¥12.3万'``."""
    return format_number(x, lang, kind="yuan", decimals=decimals)


class HumanFormatter(Formatter):
    """Tick formatter writing numbers for people, with one unit for all ticks of an axis.

    With ticks 0, 5 000, 10 000, 15 000 the Chinese labels are ``0, 0.5万, 1万, 1.5万`` (not a mix of
    ``5,000`` and ``1万``); digits after the point are the fewest that show every tick exactly
    (at most 3).
    """

    def __init__(self, lang: str | None = None, kind: str = "number"):
        self.lang = resolve_lang(lang)
        self.kind = check_choice("kind", kind, KINDS)

    def _render(self, v: float, factor: float, suffix: str, d: int) -> str:
        if self.kind == "percent":
            return _strip_negative_zero(f"{v * 100:.{d}f}") + "%"
        a = abs(v)
        num = f"{a / factor:.{d}f}" if suffix else f"{a:,.{d}f}"
        if num.strip("0.,") == "":
            return "¥0" if self.kind == "yuan" else "0"
        sign = "-" if v < 0 else ""
        return f"{sign}¥{num}{suffix}" if self.kind == "yuan" else f"{sign}{num}{suffix}"

    def _plan(self, values) -> tuple[float, str, int]:
        vals = [float(v) for v in values if v is not None and np.isfinite(v)]
        if self.kind == "percent":
            factor, suffix, scaled = 1.0, "", [v * 100 for v in vals]
        else:
            factor, suffix = _scale_for(max((abs(v) for v in vals), default=0.0), self.lang)
            scaled = [v / factor for v in vals]
        for d in range(0, 4):
            if all(abs(round(x, d) - x) <= 1e-9 * max(1.0, abs(x)) for x in scaled):
                return factor, suffix, d
        return factor, suffix, 3

    def format_ticks(self, values):
        self._current = self._plan(values)
        try:
            return [self(v, i) for i, v in enumerate(values)]
        finally:
            self._current = None

    def __call__(self, x, pos=None):
        if x is None or not np.isfinite(x):
            return ""
        plan = getattr(self, "_current", None)
        if plan is None:
            locs = list(getattr(self, "locs", None) or [])
            plan = self._plan(locs or [x])
        return self._render(float(x), *plan)

    def format_data_short(self, value):
        return format_number(value, self.lang, kind=self.kind)


def number_formatter(lang: str | None = None) -> HumanFormatter:
    """Tick formatter: ``ax.yaxis.set_major_formatter(number_formatter())``."""
    return HumanFormatter(lang, "number")


def percent_formatter(lang: str | None = None) -> HumanFormatter:
    """Tick formatter for shares (0–1) shown as percentages."""
    return HumanFormatter(lang, "percent")


def yuan_formatter(lang: str | None = None) -> HumanFormatter:
    """Tick formatter for money in yuan."""
    return HumanFormatter(lang, "yuan")


def _number_axis(axis, lang: str | None, kind: str = "number") -> None:
    """Write the ticks of ``axis`` (an x or y Axis) for people (``kind``: number, percent or yuan)."""
    axis.set_major_formatter(HumanFormatter(lang, kind))


# ============================================================== colours
#: The kit's categorical palette (colour-blind-friendly, based on Okabe–Ito / Tableau 10 hues).
PALETTE = [
    "#1f77b4",  # blue
    "#ff7f0e",  # orange
    "#2ca02c",  # green
    "#d62728",  # red
    "#9467bd",  # purple
    "#8c564b",  # brown
    "#e377c2",  # pink
    "#7f7f7f",  # grey
    "#bcbd22",  # olive
    "#17becf",  # cyan
]
SEQUENTIAL_CMAP = "Blues"
DIVERGING_CMAP = "RdBu_r"
POSITIVE_COLOR = "#1f77b4"  # above target / increase (blue: red means "up" in China, "bad" elsewhere)
NEGATIVE_COLOR = "#ff7f0e"  # below target / decrease
NEUTRAL_COLOR = "#7f7f7f"
HIGHLIGHT_COLOR = "#d62728"

#: One fixed colour per catalog key, so a segment has the same colour in every chart and language.
KEY_COLORS: dict[str, str] = {
    # RFM, Chinese 8 segments: "important" strong hues, "general" the light version of the same hue
    "rfm.cn8.important_value": "#c0392b",
    "rfm.cn8.important_develop": "#e67e22",
    "rfm.cn8.important_keep": "#2471a3",
    "rfm.cn8.important_retain": "#7d3c98",
    "rfm.cn8.general_value": "#f1948a",
    "rfm.cn8.general_develop": "#f8c471",
    "rfm.cn8.general_keep": "#85c1e9",
    "rfm.cn8.general_retain": "#c39bd3",
    # RFM, English 11 segments (+ others): warm = good, cool/grey = at risk or lost
    "rfm.en11.champions": "#1a9850",
    "rfm.en11.loyal": "#66bd63",
    "rfm.en11.potential_loyalist": "#a6d96a",
    "rfm.en11.new": "#17becf",
    "rfm.en11.promising": "#9edae5",
    "rfm.en11.need_attention": "#fee08b",
    "rfm.en11.about_to_sleep": "#fdae61",
    "rfm.en11.at_risk": "#f46d43",
    "rfm.en11.cant_lose": "#d73027",
    "rfm.en11.hibernating": "#9e9ac8",
    "rfm.en11.lost": "#636363",
    "rfm.en11.others": "#bdbdbd",
    # lifecycle stages (potential → new → active → silent → churned, returning)
    "stage.potential": "#bdbdbd",
    "stage.new": "#17becf",
    "stage.active": "#2ca02c",
    "stage.silent": "#ffbb33",
    "stage.churned": "#d62728",
    "stage.returning": "#9467bd",
    # PostHog lifecycle statuses
    "posthog.new": "#1f77b4",
    "posthog.returning": "#2ca02c",
    "posthog.resurrecting": "#ff7f0e",
    "posthog.dormant": "#d62728",
    # personas
    "persona.loyal_vip": "#c0392b",
    "persona.price_sensitive": "#2471a3",
    "persona.early_adopter": "#27ae60",
    "persona.dormant_potential": "#95a5a6",
    "persona.bargain_hunter": "#f39c12",
    "persona.fake": "#2c3e50",
    # A/B groups
    "group.control": "#7f7f7f",
    "group.treatment": "#1f77b4",
}

_PREFIXES = ("rfm.cn8", "rfm.en11", "stage", "posthog", "persona", "group")


def _full_key(key: str, prefix: str | None) -> str | None:
    key = str(key)
    if key in KEY_COLORS:
        return key
    prefixes = [prefix] if prefix else list(_PREFIXES)
    for p in prefixes:
        cand = f"{p.rstrip('.')}.{key}"
        if cand in KEY_COLORS:
            return cand
    # a label text in either language
    for full in KEY_COLORS:
        if prefix and not full.startswith(prefix.rstrip(".") + "."):
            continue
        entry = catalog().get(full)
        if entry and key in entry.values():
            return full
    return None


def color_for(key: str, prefix: str | None = None, default: str | None = None) -> str:
    """The fixed colour of a segment/stage/persona/status.

    ``key`` may be a full catalog key (``"stage.active"``), a suffix (``"active"``, with ``prefix=
    "stage"`` to be unambiguous) or the label in either language (``"活跃用户"``). Unknown keys get
    ``default`` or a colour from :data:`PALETTE` chosen by a stable hash of the key.

    >>> color_for("stage.active") == color_for("active", "stage") == color_for("活跃用户")
    True
    """
    full = _full_key(key, prefix)
    if full is not None:
        return KEY_COLORS[full]
    if default is not None:
        return default
    import zlib

    return PALETTE[zlib.crc32(str(key).encode("utf-8")) % len(PALETTE)]


def palette_for(values: Iterable[object] | None = None, prefix: str | None = None,
                lang: str | None = None) -> dict[str, str]:
    """A ``{value: colour}`` dict for seaborn's ``palette=``.

    With ``values`` (the hue values in the data: keys, suffixes or labels) each value keeps its
    fixed colour; values without one get the next unused :data:`PALETTE` colour, in order. With only
    ``prefix`` (``"rfm.cn8"``, ``"stage"`` …): every label of that group in ``lang`` → colour.
    """
    if values is None:
        if prefix is None:
            raise InvalidParameterError("palette_for() needs `values` or `prefix` (e.g. prefix='stage').")
        lang = resolve_lang(lang)
        p = prefix.rstrip(".") + "."
        return {label(k, lang): c for k, c in KEY_COLORS.items() if k.startswith(p)}
    out: dict[str, str] = {}
    spare = iter(PALETTE * 10)
    for v in values:
        if v in out:
            continue
        full = _full_key(str(v), prefix)
        out[v] = KEY_COLORS[full] if full else next(spare)
    return out


def _is_mapping(x) -> bool:
    return isinstance(x, Mapping)


# ============================================================== data helpers
_YUAN_COLUMNS = {"amount", "monetary", "gmv", "revenue", "spend", "arpu", "arppu", "price", "cac",
                 "too_cheap", "cheap", "expensive", "too_expensive", "ltv", "aov"}
_PERCENT_COLUMNS = {"cvr", "conversion", "step_conversion", "retention", "stickiness", "repeat_rate",
                    "share", "rate", "drop_off", "churn_rate", "ctr"}


def value_kind(column: object) -> str:
    """How values of ``column`` are shown: ``"yuan"`` (money), ``"percent"`` (shares 0–1) or
    ``"number"``, from the column name (``amount``/``gmv``/``*_amount`` → yuan; ``cvr``/``*_rate``/
    ``*_share`` → percent)."""
    name = str(column).lower()
    if name in _YUAN_COLUMNS or name.endswith(("_amount", "_yuan", "_revenue", "_gmv", "_spend")):
        return "yuan"
    if name in _PERCENT_COLUMNS or name.endswith(("_rate", "_share", "_conversion", "_ratio")):
        return "percent"
    return "number"


def value_formatter(column: object, lang: str | None = None) -> HumanFormatter:
    """The tick formatter for values of ``column`` (see :func:`value_kind`)."""
    return HumanFormatter(lang, value_kind(column))


_GROUP_PREFERENCE = ("stage", "posthog", "rfm.cn8", "rfm.en11", "persona", "group")


def category_keys(values: Iterable[object], prefix: str | None = None) -> dict[object, str] | None:
    """``{value: full catalog key}`` when every value names a member of one key group (segment,
    stage, status, persona, A/B group) — as a full key, a suffix or a label in any language — else
    ``None``. Groups are tried in the order stage, posthog, rfm.cn8, rfm.en11, persona, group, so
    ``{"new", "active"}`` are lifecycle stages."""
    vals = [v for v in dict.fromkeys(values) if v is not None and v == v]
    if not vals:
        return None
    prefixes = [prefix] if prefix else list(_GROUP_PREFERENCE)
    for p in prefixes:
        found = {v: _full_key(str(v), p) for v in vals}
        if all(found.values()):
            return found  # type: ignore[return-value]
    return None


def category_display(values, lang: str | None = None, prefix: str | None = None):
    """Labels, order and colours for a categorical column.

    Returns ``(display, order, palette)``: ``display`` maps each value to the text shown (catalog
    label in ``lang`` for segment/stage/persona keys, else the value as a string); ``order`` lists
    the shown texts (catalog order for keys, else the order of ``values``); ``palette`` maps each
    shown text to its fixed colour (``None`` when the values are not catalog keys).
    """
    lang = resolve_lang(lang)
    vals = [v for v in dict.fromkeys(values) if v is not None and v == v]
    keys = category_keys(vals, prefix)
    if keys is None:
        display = {v: str(v) for v in vals}
        return display, [display[v] for v in vals], None
    display = {v: label(k, lang) for v, k in keys.items()}
    used = set(keys.values())
    order = [label(k, lang) for k in KEY_COLORS if k in used]
    palette = {label(k, lang): KEY_COLORS[k] for k in used}
    return display, order, palette


def date_formatter(ax_or_axis=None, lang: str | None = None):
    """A concise date formatter in the chart language (``2025年``, ``03月``, ``03-15`` in Chinese;
    matplotlib's ``Jan``/``Feb`` in English). With an Axes (its x axis) or an Axis, also sets an
    automatic date locator and the formatter on it. Returns the formatter."""
    import matplotlib.dates as mdates

    lang = resolve_lang(lang)
    loc = mdates.AutoDateLocator()
    if lang == "zh":
        fmt = mdates.ConciseDateFormatter(
            loc,
            formats=["%Y年", "%m月", "%m-%d", "%H:%M", "%H:%M", "%S.%f"],
            zero_formats=["", "%Y年", "%m月", "%m-%d", "%H:%M", "%H:%M"],
            offset_formats=["", "%Y年", "%Y年%m月", "%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M"],
        )
    else:
        fmt = mdates.ConciseDateFormatter(loc)
    if ax_or_axis is not None:
        axis = getattr(ax_or_axis, "xaxis", ax_or_axis)
        axis.set_major_locator(loc)
        axis.set_major_formatter(fmt)
    return fmt
