"""The committed notebooks are exactly what `opsplaybook build` makes from workbook/ (they never drift)."""
from __future__ import annotations

from pathlib import Path

from opsplaybook.workbook import build

ROOT = Path(__file__).resolve().parents[2]


def test_committed_notebooks_match_a_fresh_build():
    result = build(ROOT, check=True)
    assert result.ok, "\n" + result.summary(ROOT) + "\nRun `make build` (opsplaybook build) and commit the notebooks."
