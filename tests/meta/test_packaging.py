"""The kit's packaging promises: environment.yml mirrors pyproject.toml, the lock pins every
dependency, nothing happens at import time, and every CLI command has --help."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# conda-forge names that differ from PyPI names; conda-only entries that have no PyPI twin
CONDA_ALIASES = {"python-duckdb": "duckdb"}
CONDA_ONLY = {"python", "pip", "openjdk"}


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _applies(req: str) -> bool:
    """A requirement whose marker holds on the Python the locks and environment.yml are for (3.11);
    e.g. ``tomli; python_version < '3.11'`` is for older Pythons only."""
    from packaging.requirements import Requirement

    marker = Requirement(req).marker
    return marker is None or marker.evaluate({"python_version": "3.11", "python_full_version": "3.11.7"})


def _pyproject_names() -> set[str]:
    proj = _pyproject()["project"]
    names = {_name(r) for r in proj["dependencies"] if _applies(r)}
    for extra in proj.get("optional-dependencies", {}).values():
        names |= {_name(r) for r in extra if _applies(r)}
    return names


def _conda_names() -> set[str]:
    names, section = set(), None
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^[a-z]+:", line):
            section = line.split(":")[0]
        m = re.match(r"^\s{2}- ([A-Za-z0-9_.\-]+)", line)
        if section == "dependencies" and m:
            names.add(m.group(1).lower())
    return {CONDA_ALIASES.get(n, n) for n in names} - CONDA_ONLY


def test_environment_yml_names_the_same_packages_as_pyproject():
    assert _conda_names() == _pyproject_names()


def _lock(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            req, _, version = line.split(";")[0].strip().partition("==")
            assert version, f"unpinned line in {name}: {line!r}"
            pins[_name(req)] = version
    return pins


def test_lock_pins_every_dependency():
    """requirements-dev.lock pins everything; the workshop lock pins the runtime set, same versions."""
    dev, workshop = _lock("requirements-dev.lock"), _lock("requirements-workshop.lock")
    missing = _pyproject_names() - set(dev)
    assert not missing, f"requirements-dev.lock lacks {sorted(missing)}"
    runtime = {_name(r) for r in _pyproject()["project"]["dependencies"] if _applies(r)}
    assert not runtime - set(workshop), f"requirements-workshop.lock lacks {sorted(runtime - set(workshop))}"
    assert {n: v for n, v in workshop.items() if dev.get(n) != v} == {}, "the two locks pin different versions"
    dev_only = {"pytest", "hypothesis", "pyspark", "plotly", "playwright", "jupyterhub"}
    assert not dev_only & set(workshop), f"the workshop lock carries dev packages {sorted(dev_only & set(workshop))}"


def test_import_does_nothing():
    code = ("import sys, opsplaybook; heavy = {'matplotlib', 'pandas', 'faker', 'narwhals', 'pyspark', 'ipywidgets'}; "
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [[], ["generate"], ["gallery"]])
def test_cli_help(args):
    out = subprocess.run([sys.executable, "-m", "opsplaybook", *args, "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "usage: opsplaybook" in out.stdout


def test_cli_generate_and_refusal(tmp_path):
    out = tmp_path / "w"
    cmd = [sys.executable, "-m", "opsplaybook", "generate", "--users", "200", "--seed", "3", "--out", str(out), "--quiet"]
    assert subprocess.run(cmd).returncode == 0
    import opsplaybook as ops
    import pandas as pd

    back = ops.load_world(out)
    pd.testing.assert_frame_equal(back.events, ops.generate_world(n_users=200, seed=3).events)
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 2
    assert "already holds data" in again.stderr and "--force" in again.stderr
    bad_cmd = [sys.executable, "-m", "opsplaybook", "generate", "--users", "0", "--out", str(tmp_path / "x")]
    bad = subprocess.run(bad_cmd, capture_output=True, text=True)
    assert bad.returncode == 2 and "`n_users`=0" in bad.stderr
    assert not (tmp_path / "x").exists()
    forced = subprocess.run([*cmd, "--force"])
    assert forced.returncode == 0
