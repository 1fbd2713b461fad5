"""The chart gallery notebook (workbook/90-chart-gallery.py) shows the real call of every chart."""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import opsplaybook.charts as charts_pkg
from opsplaybook.workbook.source import read_source

SOURCE = Path(__file__).resolve().parents[2] / "workbook" / "90-chart-gallery.py"


@pytest.fixture(scope="module")
def cells():
    return read_source(SOURCE, exercises=False)


def _public_plot_names() -> set[str]:
    """Every ``plot_…`` name that a chart module of the package offers in its ``__all__``."""
    names = set(n for n in charts_pkg.__all__ if n.startswith("plot_"))
    for info in pkgutil.iter_modules(charts_pkg.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{charts_pkg.__name__}.{info.name}")
        names.update(n for n in getattr(mod, "__all__", []) if n.startswith("plot_"))
    return names


def _calls(code: str) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)]


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def test_every_public_chart_is_called_in_the_gallery(cells):
    code = "\n".join(c.source for c in cells if c.cell_type == "code" and c.lang is None)
    called = {_name(c) for c in _calls(code)}
    missing = sorted(_public_plot_names() - called)
    assert not missing, f"charts not drawn in {SOURCE.name}: {missing}"


def test_each_chart_is_a_real_call_in_the_notebooks_language(cells):
    for cell in cells:
        if cell.cell_type != "code":
            continue
        assert "draw_entry" not in cell.source and "GALLERY" not in cell.source, cell.line
        for call in _calls(cell.source):
            if (_name(call) or "").startswith("plot_"):
                kw = {k.arg: k.value for k in call.keywords}
                assert isinstance(kw.get("lang"), ast.Name) and kw["lang"].id == "LANG", (
                    f"{SOURCE.name}:{cell.line}: {_name(call)} without lang=LANG")


def test_each_chart_is_introduced_in_both_languages(cells):
    """Before a chart's code cell come its English and Chinese sentences (when to use it)."""
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or not any((_name(c) or "").startswith("plot_") for c in _calls(cell.source)):
            continue
        before = cells[max(0, i - 2):i]
        langs = {c.lang for c in before if c.cell_type == "markdown"}
        assert langs == {"en", "zh"}, f"{SOURCE.name}:{cell.line}: no en+zh markdown right before the chart"


def test_the_source_starts_with_the_language_pair(cells):
    assert [(c.lang, c.source.strip()) for c in cells[:2]] == [("en", 'LANG = "en"'), ("zh", 'LANG = "zh"')]
