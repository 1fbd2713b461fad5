"""The CJK font that makes Chinese labels render everywhere: discovery and registration.

:func:`cjk_font_name` picks the family used for Chinese: an installed CJK font if there is one
(Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi …, see
:data:`CJK_FONT_CANDIDATES`), otherwise the font bundled with the package (``opsplaybook/fonts/``:
a subset of Noto Sans CJK SC to the GB2312 characters, SIL Open Font License, licence text beside
it), registered with matplotlib on first use. :func:`ensure_cjk_font` (called before every chart
draws) puts that family first in ``font.sans-serif`` only when the current settings cannot show
Chinese, so charts render even without ``set_theme``.

This module imports nothing else from :mod:`opsplaybook.charts`: the style helpers (``_style``)
and the theme (``theme``) both build on it. Importing it changes nothing.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

from ..errors import InvalidParameterError, check_choice, did_you_mean

__all__ = [
    "ensure_cjk_font",
    "cjk_font_name",
    "bundled_font_path",
    "CJK_FONT_CANDIDATES",
    "BUNDLED_FONT_FAMILY",
]

#: Installed fonts tried first, in order (Simplified Chinese first; family names as matplotlib sees them).
CJK_FONT_CANDIDATES = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Hiragino Sans GB",
    "Heiti SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Sarasa Gothic SC",
    "SimHei",
)

#: Family name of the bundled subset (renamed so it never shadows a full installed Noto font).
BUNDLED_FONT_FAMILY = "OpsPlaybook Sans SC"
_BUNDLED_FILES = ("OpsPlaybookSansSC-Regular.ttf", "OpsPlaybookSansSC-Bold.ttf")

# Characters a CJK font must have to be accepted (common labels of the kit).
_PROBE = "用户运营留存率转化万亿元"

_state: dict[str, bool] = {"registered": False}


def bundled_font_path(weight: str = "regular") -> Path:
    """Path of the bundled CJK font (a TrueType subset of Noto Sans CJK SC, SIL OFL 1.1);
    ``weight`` is ``"regular"`` or ``"bold"``. The licence is ``LICENSE-OFL.txt`` beside it."""
    check_choice("weight", weight, ("regular", "bold"))
    return Path(__file__).resolve().parent.parent / "fonts" / _BUNDLED_FILES[weight == "bold"]


def _register_bundled() -> str:
    if not _state["registered"]:
        known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
        for weight in ("regular", "bold"):
            path = bundled_font_path(weight)
            if not path.exists():
                raise FileNotFoundError(
                    f"The bundled CJK font is missing: {path}. Reinstall opsplaybook, or rebuild it "
                    "with `python scripts/build_font.py`."
                )
            if path not in known:
                font_manager.fontManager.addfont(str(path))
        _state["registered"] = True
    return BUNDLED_FONT_FAMILY


@lru_cache(maxsize=256)
def _covers(fname: str, chars: str = _PROBE) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        font = FT2Font(fname)
        cmap = font.get_charmap()
    except Exception:  # unreadable font file: not usable
        return False
    return all(ord(c) in cmap for c in chars)


def _installed_cjk_font() -> str | None:
    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)
    bundled = {str(bundled_font_path(w)) for w in ("regular", "bold")}
    for name in CJK_FONT_CANDIDATES:
        files = [f for f in by_name.get(name, []) if f not in bundled]
        if any(_covers(f) for f in files):
            return name
    return None


def cjk_font_name(prefer: str = "auto") -> str:
    """The family name of the font used for Chinese.

    ``prefer="auto"``: the first installed font of :data:`CJK_FONT_CANDIDATES` that has the kit's
    common characters, else the bundled font. ``"bundled"``: always the bundled font (registered
    with matplotlib on first use). Any other string: that installed family (checked).
    """
    if prefer == "bundled":
        return _register_bundled()
    if prefer == "auto":
        return _installed_cjk_font() or _register_bundled()
    names = {f.name for f in font_manager.fontManager.ttflist}
    if prefer not in names:
        raise InvalidParameterError(
            f"`font`={prefer!r} is not an installed font. Use 'auto', 'bundled' or an installed family."
            + did_you_mean(prefer, sorted(names))
        )
    return prefer


def _has_bold(name: str) -> bool:
    """Whether a bold face (weight ≥ 600) of family ``name`` is registered with matplotlib."""
    from matplotlib.font_manager import weight_dict

    for f in font_manager.fontManager.ttflist:
        if f.name == name:
            w = f.weight if isinstance(f.weight, int) else weight_dict.get(str(f.weight), 400)
            if w >= 600:
                return True
    return False


def _current_font_shows_chinese() -> bool:
    """Whether the first sans-serif family that matplotlib would use has the probe characters."""
    families = [f.lower() for f in mpl.rcParams["font.family"]]
    if not any(f in ("sans-serif", "sans") for f in families):
        return False  # a serif/monospace/named family: leave the user's choice alone unless asked
    available = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for name in mpl.rcParams["font.sans-serif"]:
        if name in available:
            return _covers(available[name])
    return False


def _use_font(name: str) -> None:
    sans = [n for n in mpl.rcParams["font.sans-serif"] if n != name]
    mpl.rcParams["font.sans-serif"] = [name, *sans]
    if "sans-serif" not in [f.lower() for f in mpl.rcParams["font.family"]]:
        mpl.rcParams["font.family"] = ["sans-serif"]
    # many CJK fonts lack U+2212 MINUS SIGN; the ASCII hyphen renders everywhere
    mpl.rcParams["axes.unicode_minus"] = False
    # embed TrueType outlines (editable, searchable text) rather than Type 3 bitmaps-as-paths
    mpl.rcParams["pdf.fonttype"] = 42
    mpl.rcParams["ps.fonttype"] = 42
    mpl.rcParams["svg.fonttype"] = "path"


def ensure_cjk_font(prefer: str = "auto") -> str:
    """Make sure Chinese text renders with the current rcParams; return the CJK family in use.

    Does nothing when the first ``font.sans-serif`` family already has Chinese glyphs (e.g. after
    :func:`set_theme`); otherwise puts :func:`cjk_font_name` first in ``font.sans-serif`` and sets
    ``axes.unicode_minus = False``.
    """
    if prefer == "auto" and _current_font_shows_chinese():
        return mpl.rcParams["font.sans-serif"][0]
    name = cjk_font_name(prefer)
    _use_font(name)
    return name
