"""The gallery draws every chart of the package from a world and links each image from Markdown."""
from __future__ import annotations

import re
import warnings

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

from opsplaybook.charts import (  # noqa: E402
    basic,
    funnel_retention_charts,
    gallery,
    lifecycle_charts,
    model_charts,
    value_charts,
)
from opsplaybook.labels import get_lang, set_lang  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _plot_names(mod) -> list[str]:
    return [n for n in mod.__all__ if n.startswith("plot_") and callable(getattr(mod, n))]


def test_every_plot_function_has_a_gallery_entry():
    assert gallery._missing() == []
    entries = {name for _, name, _, _ in gallery.gallery_entries()}
    for mod in (basic, funnel_retention_charts, lifecycle_charts, value_charts, model_charts):
        for name in _plot_names(mod):
            assert any(e == name or e.startswith(name + "_") for e in entries), name


def test_entries_know_their_plot_function():
    for modname, name, draw, func in gallery.gallery_entries():
        assert callable(draw), name
        assert func is not None and name.startswith(func.__name__), (modname, name)


@pytest.fixture(scope="module")
def built_zh(small_world, tmp_path_factory):
    out = tmp_path_factory.mktemp("gallery_zh")
    old = get_lang()
    set_lang("en")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = gallery.build_gallery(out / "img", lang="zh", world=small_world, markdown=out / "gallery.md",
                                       dpi=40)
    glyph = [str(w.message) for w in record if "missing from font" in str(w.message)]
    lang_after = get_lang()
    set_lang(old)
    return out, result, glyph, lang_after


def test_gallery_draws_every_chart(built_zh):
    out, result, glyph, lang_after = built_zh
    assert glyph == []
    assert result.failed == {}, "\n".join(result.failed.values())
    assert result.missing == []
    assert result.ok
    entries = [name for _, name, _, _ in gallery.gallery_entries()]
    assert sorted(result.images) == sorted(entries)
    analytics_charts = (funnel_retention_charts, lifecycle_charts, value_charts)
    assert len(entries) >= 12 + sum(len(_plot_names(m)) for m in analytics_charts) + len(_plot_names(model_charts))
    for name, path in result.images.items():
        assert path.exists(), name
        if path.suffix == ".png":
            assert path.read_bytes()[:8] == PNG_MAGIC
            assert path.stat().st_size > 3000, name
    assert lang_after == "en"  # the caller's language is restored


def test_gallery_markdown_links_every_image(built_zh):
    out, result, _, _ = built_zh
    md = (out / "gallery.md").read_text(encoding="utf-8")
    assert md.startswith("# 图表总览")
    assert "## 监控模块的十二种基础图表" in md and "## 运营图表" in md and "## 模型图表" in md
    links = re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", md)
    assert sorted(n for n, _ in links) == sorted(result.images)
    for name, rel in links:
        assert (out / rel).resolve() == result.images[name].resolve()
        assert rel.startswith("img/")
    # each entry carries the first paragraph of its function's docstring
    assert "Scatter plot (散点图)" in md
    assert "build_gallery(" in md and "markdown=" in md  # the page says how it was made


def test_gallery_english_basic_only(small_world, tmp_path, monkeypatch):
    monkeypatch.setattr(gallery, "CHART_MODULES", ("basic",))
    result = gallery.build_gallery(tmp_path, lang="en", world=small_world, dpi=30)
    assert sorted(result.images) == sorted(basic.__all__)
    md = (tmp_path / "gallery.md").read_text(encoding="utf-8")
    assert md.startswith("# Chart gallery") and "## The twelve monitoring charts" in md
    assert f"opsplaybook gallery --out {tmp_path.as_posix()} --lang en" in md


def test_gallery_lists_failures_and_missing(small_world, tmp_path, monkeypatch):
    def broken(world, ax):
        raise ValueError("no data for this chart")

    monkeypatch.setattr(gallery, "CHART_MODULES", ("basic",))
    monkeypatch.setattr(basic, "GALLERY", {"plot_scatter": broken})
    result = gallery.build_gallery(tmp_path, lang="zh", world=small_world, dpi=30)
    assert list(result.failed) == ["plot_scatter"]
    assert "ValueError: no data for this chart" in result.failed["plot_scatter"]
    assert "basic.plot_box" in result.missing and not result.ok
    md = (tmp_path / "gallery.md").read_text(encoding="utf-8")
    assert "未能生成" in md and "`basic.plot_box`" in md
    with pytest.raises(ValueError, match="no data"):
        gallery.build_gallery(tmp_path, lang="zh", world=small_world, strict=True)
