"""The theme, the bundled CJK font and the shared style helpers (number formatting, colours, labels)."""
from __future__ import annotations

import math
import os
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from opsplaybook.charts import _style, fonts, theme  # noqa: E402
from opsplaybook.charts._style import (  # noqa: E402
    KEY_COLORS,
    category_display,
    color_for,
    column_label,
    format_number,
    number_formatter,
    palette_for,
    percent_formatter,
    set_labels,
    value_kind,
    yuan_formatter,
)
from opsplaybook.errors import InvalidParameterError  # noqa: E402
from opsplaybook.labels import catalog, get_lang, set_lang  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = ROOT / "opsplaybook" / "fonts"
ZH_SAMPLE = "用户运营：留存率、转化率与复购率 ¥1.2万 12.3% −5 “引号” （括号）"


@pytest.fixture(autouse=True)
def _restore_rc_and_lang():
    old = get_lang()
    with matplotlib.rc_context():
        yield
    set_lang(old)


def _glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "missing from font" in str(w.message)
            or "Glyph" in str(w.message)]


def _draw_zh(text: str = ZH_SAMPLE):
    fig, ax = plt.subplots()
    ax.bar(["重要价值客户", "一般挽留客户", "新用户"], [12345, -2345, 98765])
    ax.yaxis.set_major_formatter(number_formatter("zh"))
    ax.set_title(text)
    ax.set_xlabel("RFM 分群（R×F）")
    ax.set_ylabel("人数")
    return fig, ax


# ====================================================================== the bundled font
def test_bundled_font_files_licence_and_size():
    regular, bold = fonts.bundled_font_path("regular"), fonts.bundled_font_path("bold")
    assert regular.exists() and bold.exists()
    total = sum(p.stat().st_size for p in FONT_DIR.iterdir())
    assert total < 5.0e6, f"bundled fonts are {total / 1e6:.1f} MB"
    lic = (FONT_DIR / "LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in lic
    assert "Copyright 2014-2021 Adobe" in lic
    assert "Reserved Font Name 'Source'" in lic
    assert "Source" not in fonts.BUNDLED_FONT_FAMILY  # the OFL reserved name is not used


def test_bundled_font_is_truetype_and_named():
    from fontTools.ttLib import TTFont

    for weight, style in (("regular", "Regular"), ("bold", "Bold")):
        f = TTFont(fonts.bundled_font_path(weight))
        assert "glyf" in f and "CFF " not in f  # TrueType outlines: embeds in PDF/PS as Type 3 and 42
        assert f["name"].getDebugName(1) == fonts.BUNDLED_FONT_FAMILY
        assert f["name"].getDebugName(2) == style
        assert "Adobe" in f["name"].getDebugName(0)
        assert "Open Font License" in f["name"].getDebugName(13)
        assert f["OS/2"].fsType == 0  # installable embedding


def test_bundled_font_covers_gb2312_catalog_and_number_units():
    from fontTools.ttLib import TTFont

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_font
    finally:
        sys.path.pop(0)
    cmap = TTFont(fonts.bundled_font_path()).getBestCmap()
    gb = build_font.gb2312_chars()
    assert len(gb) == 7445
    assert all(ord(c) in cmap for c in gb)
    needed = set("万亿¥￥%‰−×≤≥·—…，。：；（）“”、") | set(fonts._PROBE)
    for entry in catalog().values():
        for text in entry.values():
            needed.update(text)
    missing = sorted(c for c in needed if not c.isspace() and ord(c) not in cmap)
    assert missing == [], f"catalog characters not in the bundled font: {missing}"


def test_bundled_font_covers_world_values(small_world):
    from fontTools.ttLib import TTFont

    cmap = TTFont(fonts.bundled_font_path()).getBestCmap()
    needed: set[str] = set()
    for name in ("users", "orders", "events", "channels", "survey_kano"):
        df = getattr(small_world, name)
        for col in df.columns:
            if df[col].dtype == object or str(df[col].dtype) in ("str", "string"):
                for v in df[col].dropna().unique()[:5000]:
                    needed.update(str(v))
    missing = sorted(c for c in needed if not c.isspace() and ord(c) not in cmap)
    assert missing == [], f"characters of the world's values not in the bundled font: {missing}"


@pytest.mark.slow
def test_build_font_is_reproducible(tmp_path):
    sources = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
               Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")]
    if not all(p.exists() for p in sources):
        pytest.skip("needs Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_font.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in ("OpsPlaybookSansSC-Regular.ttf", "OpsPlaybookSansSC-Bold.ttf", "LICENSE-OFL.txt"):
        assert (tmp_path / name).read_bytes() == (FONT_DIR / name).read_bytes(), name


# ====================================================================== set_theme and font choice
def test_set_theme_bundled_sets_font_lang_and_minus():
    name = theme.set_theme("en", font="bundled")
    assert name == fonts.BUNDLED_FONT_FAMILY
    assert get_lang() == "en"
    assert matplotlib.rcParams["font.sans-serif"][0] == name
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["pdf.fonttype"] == matplotlib.rcParams["ps.fonttype"] == 42
    theme.set_theme("zh", font="bundled")
    assert get_lang() == "zh"
    # the font that matplotlib resolves for plain and bold text is ours
    for weight in ("normal", "bold"):
        path = font_manager.findfont(font_manager.FontProperties(family="sans-serif", weight=weight))
        assert Path(path).name.startswith("OpsPlaybookSansSC"), path
    assert Path(font_manager.findfont(
        font_manager.FontProperties(family="sans-serif", weight="bold"))).name.endswith("Bold.ttf")


def test_set_theme_auto_returns_a_font_with_chinese():
    name = theme.set_theme("zh")
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert fonts._covers(path)


def test_auto_prefers_an_installed_cjk_font(monkeypatch, tmp_path):
    # pretend a CJK font is installed (a copy of ours at another path, listed as a candidate)
    copy = tmp_path / "FakeInstalled.ttf"
    copy.write_bytes(fonts.bundled_font_path().read_bytes())
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(font_manager.fontManager.ttflist))
    font_manager.fontManager.addfont(str(copy))
    monkeypatch.setattr(fonts, "CJK_FONT_CANDIDATES", ("Nonexistent Font", fonts.BUNDLED_FONT_FAMILY))
    monkeypatch.setattr(fonts, "bundled_font_path", lambda weight="regular": tmp_path / "elsewhere.ttf")
    assert fonts._installed_cjk_font() == fonts.BUNDLED_FONT_FAMILY
    # with no candidate installed, auto falls back to the bundled font
    monkeypatch.setattr(fonts, "CJK_FONT_CANDIDATES", ("Nonexistent Font",))
    assert fonts._installed_cjk_font() is None


def test_set_theme_errors_teach():
    with pytest.raises(InvalidParameterError, match=r"`lang`='fr' is not allowed. Allowed: \['zh', 'en'\]"):
        theme.set_theme("fr")
    with pytest.raises(InvalidParameterError, match="`font`='No Such Font' is not an installed font"):
        theme.set_theme("zh", font="No Such Font")
    with pytest.raises(InvalidParameterError, match="`context`='huge'"):
        theme.set_theme("zh", context="huge")


def test_ensure_cjk_font_only_acts_when_needed():
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", "Arial"]
    name = fonts.ensure_cjk_font()
    assert matplotlib.rcParams["font.sans-serif"][0] == name
    assert "DejaVu Sans" in matplotlib.rcParams["font.sans-serif"]
    before = list(matplotlib.rcParams["font.sans-serif"])
    assert fonts.ensure_cjk_font() == before[0]
    assert list(matplotlib.rcParams["font.sans-serif"]) == before


def test_importing_changes_nothing():
    code = ("import matplotlib, copy; before = copy.deepcopy(dict(matplotlib.rcParams)); "
            "import opsplaybook.charts, opsplaybook.charts.gallery; "
            "after = dict(matplotlib.rcParams); "
            "print(sorted(k for k in after if after[k] != before.get(k)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# ====================================================================== rendering and export
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "ps"])
@pytest.mark.parametrize("fonttype", [3, 42])
def test_chinese_exports_without_missing_glyphs(tmp_path, fmt, fonttype):
    theme.set_theme("zh", font="bundled")
    # matplotlib 3.11's PDF backend reads ps.fonttype in one place: keep both equal
    matplotlib.rcParams["pdf.fonttype"] = matplotlib.rcParams["ps.fonttype"] = fonttype
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fig, _ = _draw_zh()
        path = tmp_path / f"chart.{fmt}"
        fig.savefig(path)
    assert _glyph_warnings(record) == []
    data = path.read_bytes()
    assert len(data) > 2000
    if fmt == "pdf":
        assert b"OpsPlaybookSansSC-Regular" in data  # the font is embedded, subset
        assert (b"/FontFile2" in data) == (fonttype == 42)
    if fmt == "svg":
        assert b"<path" in data


def test_without_cjk_font_matplotlib_would_warn():
    """The problem this module solves, measured: DejaVu Sans alone raises missing-glyph warnings."""
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fig, _ = _draw_zh()
        fig.canvas.draw()
    assert len(_glyph_warnings(record)) > 10


def test_fresh_process_renders_chinese_without_set_theme(tmp_path):
    """A new interpreter with an empty matplotlib cache and no installed CJK font candidates: the
    first chart registers the bundled font, and every export is free of missing-glyph warnings."""
    code = f"""
import warnings, matplotlib
matplotlib.use("Agg")
warnings.simplefilter("error", UserWarning)
import pandas as pd
from opsplaybook.charts import fonts
fonts.CJK_FONT_CANDIDATES = ()
from opsplaybook.charts.basic import plot_counts
df = pd.DataFrame({{"channel": ["抖音信息流", "老带新", "抖音信息流", "百度搜索"]}})
ax = plot_counts(df, lang="zh")
for ext in ("png", "svg", "pdf"):
    ax.figure.savefig(r"{tmp_path}/fresh." + ext)
print(matplotlib.rcParams["font.sans-serif"][0], ax.get_title())
"""
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mplconfig")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180,
                         cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:4] == ["OpsPlaybook", "Sans", "SC", "各获客渠道数量"]
    assert "missing from font" not in out.stderr


# ====================================================================== numbers for people
@pytest.mark.parametrize(
    ("x", "lang", "kind", "expected"),
    [
        (0, "zh", "number", "0"),
        (1234, "zh", "number", "1,234"),
        (9999, "zh", "number", "9,999"),
        (12345, "zh", "number", "1.2万"),
        (10000, "zh", "number", "1万"),
        (123456, "zh", "number", "12.3万"),
        (1e8, "zh", "number", "1亿"),
        (2.5e8, "zh", "number", "2.5亿"),
        (1.23e12, "zh", "number", "1.2万亿"),
        (-45678, "zh", "number", "-4.6万"),
        (3.14159, "zh", "number", "3.14"),
        (1234, "en", "number", "1.2K"),
        (999, "en", "number", "999"),
        (123456, "en", "number", "123.5K"),
        (2.5e8, "en", "number", "250M"),
        (3e9, "en", "number", "3B"),
        (0.1234, "zh", "percent", "12.3%"),
        (0.5, "en", "percent", "50%"),
        (-0.00001, "en", "percent", "0%"),
        (1.0, "zh", "percent", "100%"),
        (123456, "zh", "yuan", "¥12.3万"),
        (-123456, "en", "yuan", "-¥123.5K"),
        (99.5, "zh", "yuan", "¥99.5"),
        (float("nan"), "zh", "number", "—"),
        (None, "en", "yuan", "—"),
    ],
)
def test_format_number(x, lang, kind, expected):
    assert format_number(x, lang, kind=kind) == expected


def test_format_number_decimals_and_errors():
    assert format_number(123456, "zh", decimals=2) == "12.35万"
    assert format_number(0.12345, "zh", kind="percent", decimals=2) == "12.35%"
    assert format_number(1234.5, "zh", decimals=0) == "1,234"
    with pytest.raises(InvalidParameterError, match="`kind`='money' is not allowed"):
        format_number(1, "zh", kind="money")
    with pytest.raises(InvalidParameterError, match="`lang`='de'"):
        format_number(1, "de")
    with pytest.raises(InvalidParameterError, match="is not a number"):
        format_number("abc", "zh")


def test_format_number_uses_current_language():
    set_lang("en")
    assert format_number(123456) == "123.5K"
    set_lang("zh")
    assert format_number(123456) == "12.3万"


_UNIT = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def _parse(s: str) -> float:
    s = s.replace(",", "").replace("¥", "")
    for suffix in ("万亿", "亿", "万", "K", "M", "B", "T"):
        if s.endswith(suffix):
            return float(s[: -len(suffix)]) * _UNIT[suffix]
    return float(s)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False), st.sampled_from(["zh", "en"]))
def test_format_number_round_trips_within_rounding(x, lang):
    s = format_number(x, lang)
    back = _parse(s)
    # one decimal of the unit shown, or two decimals below it
    unit = next((f for f in (1e12, 1e8, 1e4) if abs(x) >= f * 0.99995), 1) if lang == "zh" else \
        next((f for f in (1e12, 1e9, 1e6, 1e3) if abs(x) >= f * 0.99995), 1)
    tol = 0.05 * unit if unit > 1 else 0.0051 if abs(x) < 100 else 0.051
    assert math.isclose(back, x, abs_tol=tol), (x, s)
    if unit > 1 and lang == "zh":
        assert s.endswith(("万", "亿"))


def _tick_texts(formatter, lo, hi, axis="y"):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [lo, hi]) if axis == "y" else ax.plot([lo, hi], [0, 1])
    ax.set_ylim(lo, hi) if axis == "y" else ax.set_xlim(lo, hi)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    fig.canvas.draw()
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def test_tick_formatters_share_one_unit():
    theme.set_theme("zh", font="bundled")
    assert _tick_texts(number_formatter("zh"), 0, 14000) == \
        ["0", "0.2万", "0.4万", "0.6万", "0.8万", "1.0万", "1.2万", "1.4万"]
    assert _tick_texts(yuan_formatter("zh"), 0, 2.5e8) == \
        ["¥0", "¥0.5亿", "¥1.0亿", "¥1.5亿", "¥2.0亿", "¥2.5亿"]
    assert _tick_texts(number_formatter("en"), 0, 14000) == \
        ["0", "2K", "4K", "6K", "8K", "10K", "12K", "14K"]
    assert _tick_texts(percent_formatter("zh"), 0, 0.35) == \
        ["0%", "5%", "10%", "15%", "20%", "25%", "30%", "35%"]
    assert _tick_texts(number_formatter("zh"), -3, 3) == ["-3", "-2", "-1", "0", "1", "2", "3"]
    assert _tick_texts(number_formatter("en"), 0, 0.05) == \
        ["0", "0.01", "0.02", "0.03", "0.04", "0.05"]


# ====================================================================== colours and labels
def test_colours_are_fixed_per_key_in_any_spelling():
    assert color_for("stage.active") == color_for("active", "stage") == color_for("活跃用户") \
        == color_for("Active", "stage") == KEY_COLORS["stage.active"]
    assert color_for("重要价值客户") == color_for("rfm.cn8.important_value") == color_for("Important value")
    for prefix in ("rfm.cn8.", "rfm.en11.", "stage.", "posthog.", "persona."):
        group = [c for k, c in KEY_COLORS.items() if k.startswith(prefix)]
        assert len(set(group)) == len(group), f"{prefix} colours repeat"
    # unknown keys: stable, from the palette
    assert color_for("某个渠道") == color_for("某个渠道") in _style.PALETTE
    assert color_for("x", default="#000000") == "#000000"


def test_every_coloured_key_is_in_the_catalog():
    missing = [k for k in KEY_COLORS if k not in catalog() and not k.startswith("group.")]
    assert missing == []
    segments = [k for k in catalog() if k.startswith(("rfm.cn8.", "rfm.en11.", "stage.", "persona."))]
    assert [k for k in segments if k not in KEY_COLORS] == []


def test_palette_for_and_category_display():
    pal = palette_for(["重要价值客户", "抖音", "老带新", "抖音"])
    assert pal == {"重要价值客户": KEY_COLORS["rfm.cn8.important_value"], "抖音": _style.PALETTE[0],
                   "老带新": _style.PALETTE[1]}
    assert palette_for(prefix="stage", lang="en")["Churned"] == KEY_COLORS["stage.churned"]
    with pytest.raises(InvalidParameterError, match="needs `values` or `prefix`"):
        palette_for()
    display, order, palette = category_display(["churned", "new", "active"], "zh")
    assert display == {"churned": "流失用户", "new": "新用户", "active": "活跃用户"}
    assert order == ["新用户", "活跃用户", "流失用户"]  # catalog (life) order
    assert palette["流失用户"] == KEY_COLORS["stage.churned"]
    # labels in one language are shown in the other
    display, _, _ = category_display(["重要价值客户", "一般挽留客户"], "en")
    assert display == {"重要价值客户": "Important value", "一般挽留客户": "General to win back"}
    # plain categories stay as they are
    assert category_display(["b", "a"], "zh") == ({"b": "b", "a": "a"}, ["b", "a"], None)


def test_labels_from_catalog_keys_or_text():
    fig, ax = plt.subplots()
    set_labels(ax, title="kpi.gmv", xlabel="col.channel", ylabel="我的指标", lang="zh")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("销售额GMV", "获客渠道", "我的指标")
    set_labels(ax, title="kpi.gmv", lang="en")
    assert ax.get_title() == "GMV"
    assert column_label("amount", "zh") == "实付金额"
    assert column_label("gmv", "en") == "GMV"
    assert column_label("no_such_column", "zh") == "no_such_column"


@pytest.mark.parametrize(("col", "kind"), [("amount", "yuan"), ("gmv", "yuan"), ("order_amount", "yuan"),
                                          ("cvr", "percent"), ("repeat_rate", "percent"),
                                          ("users", "number"), ("age", "number")])
def test_value_kind(col, kind):
    assert value_kind(col) == kind


def test_bold_titles_only_when_the_font_has_bold(monkeypatch):
    theme.set_theme("zh", font="bundled")
    assert theme._has_bold(fonts.BUNDLED_FONT_FAMILY)
    assert matplotlib.rcParams["axes.titleweight"] == "bold"
    monkeypatch.setattr(theme, "_has_bold", lambda name: False)  # e.g. an installed regular-only font
    theme.set_theme("zh", font="bundled")
    assert matplotlib.rcParams["axes.titleweight"] == "normal"
