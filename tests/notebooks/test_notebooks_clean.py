"""Every course notebook runs top to bottom without errors, warnings or anything on stderr — what a
trainer projects must be clean. (nbval, run by `make test`, checks the cells; this checks the streams.)"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_clean(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{path.name} cell {i}: {out.get('ename')}: {out.get('evalue')}"
            if out.output_type == "stream":
                assert out.name != "stderr", f"{path.name} cell {i} wrote to stderr:\n{out.text[:500]}"


def test_notebook_names_follow_the_course_pattern():
    for p in NOTEBOOKS:
        if p.parent.name == "notebooks":
            assert p.stem[:2].isdigit() and p.stem[2] == "-", p.name
