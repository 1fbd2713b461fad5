"""User documentation stands on its own: no paths of a development machine or files outside the
repository, and the files the docs pages point at exist."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
USER_DOCS = sorted(
    [*ROOT.glob("*.md"), *(ROOT / "docs").rglob("*.md"), *(ROOT / "datasets").glob("*.md"),
     *(ROOT / "workbook").glob("*.py"), *(ROOT / "workbook").glob("*.md")]
)
# a development machine's folders, and the developers' reference folder that is not in the repository
MACHINE = re.compile(r"(?<![\w.])(/tmp/|/work/|/home/\w+|[A-Z]:\\Users\\|shared/[A-Z]+\.md)")


@pytest.mark.parametrize("path", USER_DOCS, ids=[str(p.relative_to(ROOT)) for p in USER_DOCS])
def test_no_machine_paths(path):
    hits = [(i, line.strip()) for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if MACHINE.search(line)]
    assert not hits, f"{path.relative_to(ROOT)} refers to files outside the repository: {hits}"


DOCS_PAGES = sorted((ROOT / "docs").rglob("*.md"))
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("path", DOCS_PAGES, ids=[str(p.relative_to(ROOT)) for p in DOCS_PAGES])
def test_docs_links_point_at_files_that_exist(path):
    text = path.read_text(encoding="utf-8")
    broken = [t for t in LINK.findall(text)
              if not re.match(r"[a-z]+://", t) and not (path.parent / t).resolve().exists()]
    assert not broken, f"{path.relative_to(ROOT)} links to missing files: {broken}"


def test_the_pattern_catches_what_it_should():
    assert MACHINE.search("see /tmp/bench/bench.py") and MACHINE.search("`shared/ARCHITECTURE.md`")
    assert MACHINE.search("C:\\Users\\me\\data.csv") and MACHINE.search("/work/main/x")
    assert not MACHINE.search("docs/dev/engine-choice.md") and not MACHINE.search("a shared/common idea")
