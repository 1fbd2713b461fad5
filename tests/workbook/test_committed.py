"""The committed notebooks are exactly what `opsplaybook build` makes from workbook/ (they never drift)."""
from __future__ import annotations

from pathlib import Path

from opsplaybook.workbook import build

ROOT = Path(__file__).resolve().parents[2]


def test_committed_notebooks_match_a_fresh_build():
    result = build(ROOT, check=True)
    assert result.ok, "\n" + result.summary(ROOT) + "\nRun `make build` (opsplaybook build) and commit the notebooks."


def test_navigation_links_of_the_committed_notebooks_resolve():
    import json
    import re

    built = [p for folder in ("notebooks/en", "notebooks/zh", "exercises/en", "exercises/zh", "exercises/solutions/en",
                              "exercises/solutions/zh") for p in sorted((ROOT / folder).glob("*.ipynb"))]
    assert built
    for nb in built:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        nav = "".join(cells[0]["source"])
        assert nav == "".join(cells[-1]["source"])
        for target in re.findall(r"\]\(([^)]+)\)", nav):
            assert (nb.parent / target).resolve().is_file(), (nb.name, target)
