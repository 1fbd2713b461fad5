"""The package's layers, read from the source: imports point down only, the font module stands
alone, and no test module imports another (shared helpers live in ``tests/helpers.py``)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "opsplaybook"


def _imports(path: Path) -> set[str]:
    """The kit modules ``path`` imports (anywhere in it, also inside functions), as dotted names."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]  # the package a relative import starts from
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                mod = node.module or ""
            if mod.startswith("opsplaybook"):
                out.add(mod)
                out.update(f"{mod}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("opsplaybook"))
    return out


def _files(sub: str) -> list[Path]:
    base = PKG / sub
    return sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]


def _touches(imported: set[str], layer: str) -> list[str]:
    return sorted(m for m in imported if m == f"opsplaybook.{layer}" or m.startswith(f"opsplaybook.{layer}."))


def test_import_helper_reads_relative_imports():
    assert "opsplaybook.errors" in _imports(PKG / "charts" / "fonts.py")
    assert "opsplaybook.charts._style" in _imports(PKG / "charts" / "basic.py")


@pytest.mark.parametrize(("layer", "above"), [
    ("analytics", ("charts", "widgets", "reporting", "exercises", "world")),
    ("models", ("charts", "widgets", "reporting", "exercises", "analytics")),
    ("world", ("analytics", "charts", "models", "widgets", "reporting", "exercises")),
    ("charts", ("widgets", "reporting", "exercises")),
])
def test_layers_point_down_only(layer, above):
    bad = {}
    for path in _files(layer):
        hits = [m for a in above for m in _touches(_imports(path), a)]
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    assert not bad, bad


@pytest.mark.parametrize("base", ["errors", "labels", "_frames"])
def test_the_base_imports_no_layer_above_it(base):
    imported = _imports(PKG / f"{base}.py")
    for layer in ("world", "analytics", "models", "charts", "widgets", "io", "reporting", "exercises"):
        assert not _touches(imported, layer), (base, layer)


def test_font_discovery_imports_nothing_else_from_charts():
    imported = _imports(PKG / "charts" / "fonts.py")
    assert not _touches(imported, "charts"), imported


def test_chart_modules_form_no_cycle():
    mods = {p.stem: {m.split(".")[2] for m in _touches(_imports(p), "charts") if m.count(".") >= 2}
            for p in (PKG / "charts").glob("*.py") if p.stem != "__init__"}
    seen: dict[str, int] = {}

    def visit(m: str, path: tuple[str, ...]) -> None:
        assert m not in path, " -> ".join([*path, m])
        if seen.get(m) == 2:
            return
        for dep in mods.get(m, ()):
            if dep in mods and dep != m:
                visit(dep, (*path, m))
        seen[m] = 2

    for m in mods:
        visit(m, ())


def test_no_test_module_imports_another():
    bad = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            bad += [f"{path.relative_to(ROOT)} imports {n}" for n in names
                    if n.split(".")[0].startswith("test_") or n.split(".")[0] == "conftest"]
    assert not bad, "\n".join(bad)


_COLLECT = """
import sys, pytest
class Report:
    def pytest_collection_finish(self, session):
        for item in session.items:
            print("ITEM", item.get_closest_marker("spark") is not None, item.nodeid)
sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "tests/analytics", "tests/core"],
                     plugins=[Report()]))
"""


def test_every_pyspark_test_carries_the_spark_marker():
    out = subprocess.run([sys.executable, "-c", _COLLECT], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    items = [line.split(" ", 2)[1:] for line in out.stdout.splitlines() if line.startswith("ITEM ")]
    spark = [nodeid for marked, nodeid in items if marked == "True"]
    assert spark, "no test carries the spark marker"
    assert all("pyspark" in nodeid for nodeid in spark), [n for n in spark if "pyspark" not in n][:5]
    assert not [nodeid for marked, nodeid in items if marked == "False" and "pyspark" in nodeid]


def test_every_chart_opens_and_closes_with_the_shared_helpers():
    """Each ``plot_…`` of the chart modules starts with ``_open`` (language, frame, columns, axes) and
    ends with ``_close`` (title, labels), so no chart repeats those lines its own way."""
    missing = []
    for path in sorted((PKG / "charts").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("plot_"):
                calls = {c.func.id for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
                missing += [f"{path.name}:{node.name} lacks {h}" for h in ("_open", "_close") if h not in calls]
    assert not missing, "\n".join(missing)
