"""Every built notebook runs top to bottom without errors, warnings or anything on stderr — what a
trainer projects must be clean.

Each notebook is executed once, by nbval (``pytest --nbval-lax``, the way `make test` always ran
them, sanitized with ``tests/nbval_sanitize.cfg``) in a subprocess: the test fails when nbval fails
(its report is the message), and the outputs nbval collected (recorded by ``tests/nbval_record.py``)
are checked here for errors, stderr and the exercises' feedback.

Teaching notebooks and solved exercises must run clean; solved exercises run with
``OPSPLAYBOOK_STRICT=1``, so any answer that is no longer right fails; learner notebooks run clean
too, every check saying "not attempted".
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"notebooks/en": ("teaching", "en"), "notebooks/zh": ("teaching", "zh"),
           "exercises/en": ("exercises", "en"), "exercises/zh": ("exercises", "zh"),
           "exercises/solutions/en": ("solutions", "en"), "exercises/solutions/zh": ("solutions", "zh")}
BUILT = [p for folder in FOLDERS for p in sorted((ROOT / folder).glob("*.ipynb"))]
# notebooks still authored by hand at the top of notebooks/ (until they move to workbook/)
LEGACY = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
NOTEBOOKS = BUILT + LEGACY


def _kind(path: Path) -> str | None:
    return nbformat.read(path, as_version=4).metadata.get("opsplaybook", {}).get("kind")


def _run(path: Path, record: Path, **env_extra: str):
    """Run ``path`` under nbval (lax) once; assert nbval passed; return its cells with their outputs."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPSPLAYBOOK_STRICT", "OPSPLAYBOOK_CHECK_LOG")
           and not k.startswith("PYTEST_XDIST_")}  # nbval runs its own pytest, not a worker of this one
    env.update(env_extra, OPSPLAYBOOK_NBVAL_RECORD=str(record),
               PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), *filter(None, [env.get("PYTHONPATH")])]))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "nbval_record",
                           "--nbval-lax", "--nbval-cell-timeout=300",
                           "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(path)],
                          cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, f"nbval failed on {path.name} (exit {proc.returncode}):\n{proc.stdout[-6000:]}{proc.stderr[-2000:]}"
    cells = json.loads(record.read_text(encoding="utf-8"))[str(path)]
    n_code = sum(c.cell_type == "code" for c in nbformat.read(path, as_version=4).cells)
    assert [c["cell"] for c in cells] == list(range(n_code)), f"nbval did not run every code cell of {path.name}"
    return nbformat.from_dict({"cells": [{"outputs": c["outputs"]} for c in cells]})  # attribute access, as nbformat's


def _assert_clean(nb, name: str) -> None:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{name} cell {i}: {out.get('ename')}: {out.get('evalue')}"
            if out.output_type == "stream":
                assert out.name != "stderr", f"{name} cell {i} wrote to stderr:\n{out.text[:500]}"


def _feedback(nb) -> list[str]:
    return [out["data"]["text/markdown"] for cell in nb.cells for out in cell.get("outputs", [])
            if out.output_type == "display_data" and "text/markdown" in out.get("data", {})
            and out["data"]["text/markdown"].startswith("<span style=")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_notebook_runs_clean(path, tmp_path):
    kind = _kind(path)
    nb = _run(path, tmp_path / "nbval.json", **({"OPSPLAYBOOK_STRICT": "1"} if kind == "solutions" else {}))
    _assert_clean(nb, path.name)
    feedback = _feedback(nb)
    if kind == "solutions":
        assert feedback and all(re.search(r"✔ (Q\d+|第 \d+ 题) · (Correct|正确)", f) for f in feedback), feedback
    elif kind == "exercises":
        assert feedback and all("Not attempted yet" in f or "还没有作答" in f for f in feedback), feedback


def test_built_notebooks_sit_where_their_metadata_says():
    assert BUILT, "no built notebooks: run `opsplaybook build`"
    for p in BUILT:
        kind, lang = FOLDERS[p.parent.relative_to(ROOT).as_posix()]
        meta = nbformat.read(p, as_version=4).metadata["opsplaybook"]
        assert (meta["kind"], meta["lang"]) == (kind, lang), p
        assert re.fullmatch(r"\d\d-[^ ]+", p.stem) and p.stem[:2] == meta["module"], p.name
        assert p.stem.endswith("-exercises") == (kind != "teaching"), p.name


def test_every_module_has_both_languages():
    for kind in ("teaching", "exercises", "solutions"):
        per_lang = {lang: sorted(p.stem[:2] for p in BUILT if FOLDERS[p.parent.relative_to(ROOT).as_posix()] == (kind, lang))
                    for lang in ("en", "zh")}
        assert per_lang["en"] == per_lang["zh"], (kind, per_lang)
