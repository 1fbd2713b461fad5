"""The top-level name table: every entry resolves, no public name of a sub-package is left out, the
static-typing imports say the same, and a typo fails clearly without importing anything heavy."""
from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import opsplaybook

INIT = Path(opsplaybook.__file__)
HEAVY = ("matplotlib", "pandas", "narwhals", "numpy", "polars", "duckdb", "seaborn", "ipywidgets")


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.parametrize("name", sorted(opsplaybook._EXPORTS))
def test_every_entry_resolves_to_its_module(name):
    module = importlib.import_module(f"opsplaybook.{opsplaybook._EXPORTS[name]}")
    assert hasattr(module, name), f"{name!r} is in the table but not in opsplaybook.{opsplaybook._EXPORTS[name]}"
    assert getattr(opsplaybook, name) is getattr(module, name)


@pytest.mark.parametrize("module", sorted(set(opsplaybook._EXPORTS.values())))
def test_every_public_name_of_a_subpackage_is_in_the_table(module):
    mod = importlib.import_module(f"opsplaybook.{module}")
    exported = list(getattr(mod, "__all__", []))
    assert exported, f"opsplaybook.{module} has no __all__"
    missing = [n for n in exported if opsplaybook._EXPORTS.get(n) != module and n not in opsplaybook._NOT_AT_TOP]
    assert not missing, f"add to opsplaybook._EXPORTS: {', '.join(f'{n!r}: {module!r}' for n in missing)}"
    stale = [n for n, m in opsplaybook._EXPORTS.items() if m == module and n not in exported]
    assert not stale, f"in the table but not in opsplaybook.{module}.__all__: {stale}"


def test_type_checking_imports_match_the_table():
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", None) == "TYPE_CHECKING")
    seen = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1, ast.dump(node)
        for alias in node.names:
            assert alias.name not in seen, f"{alias.name} imported twice"
            seen[alias.name] = node.module
    assert seen == opsplaybook._EXPORTS


def test_names_kept_off_the_top_level_exist_and_say_why():
    for name, why in opsplaybook._NOT_AT_TOP.items():
        assert name not in opsplaybook._EXPORTS and len(why) > 20
        assert any(name in getattr(importlib.import_module(f"opsplaybook.{m}"), "__all__", [])
                   for m in set(opsplaybook._EXPORTS.values()))


def test_dir_offers_every_name_and_subpackage():
    names = dir(opsplaybook)
    assert set(opsplaybook._EXPORTS) <= set(names)
    assert {"analytics", "charts", "world", "models"} <= set(names)
    assert sorted(opsplaybook.__all__) == sorted(opsplaybook._EXPORTS)


def test_subpackages_are_attributes_on_first_use():
    assert opsplaybook.charts.plot_funnel is opsplaybook.plot_funnel
    for name in sorted(opsplaybook._SUBMODULES):
        assert getattr(opsplaybook, name).__name__ == f"opsplaybook.{name}"


def test_a_typo_is_a_clear_attribute_error_and_imports_nothing():
    code = ("import sys, opsplaybook as ops\n"
            "try:\n    ops.plot_funel\nexcept AttributeError as e:\n    print(e)\n"
            "print(hasattr(ops, 'no_such_name'))\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
            "print(sorted(m for m in sys.modules if m.startswith('opsplaybook')))")
    message, has, heavy, kit = _run(code).splitlines()
    assert message == "module 'opsplaybook' has no attribute 'plot_funel'. Did you mean 'plot_funnel'?"
    assert has == "False"
    assert heavy == "[]"
    assert kit == "['opsplaybook', 'opsplaybook.errors']"  # the did-you-mean builder, standard library only


def test_an_analysis_does_not_import_the_charts():
    code = ("import sys, opsplaybook as ops\nops.funnel\nops.rfm\n"
            "print(sorted(m for m in ('matplotlib', 'seaborn', 'opsplaybook.charts', 'opsplaybook.world') if m in sys.modules))")
    assert _run(code) == "[]"
