"""Every built notebook runs top to bottom without errors, warnings or anything on stderr — what a
trainer projects must be clean. (nbval, run by `make test`, checks the cells; this checks the streams.)

Teaching notebooks and solved exercises must run clean; solved exercises run with
``OPSPLAYBOOK_STRICT=1``, so any answer that is no longer right fails; learner notebooks run clean
too, every check saying "not attempted".
"""
from __future__ import annotations

import os
import re
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


def _run(path: Path, **env_extra: str):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if k not in ("OPSPLAYBOOK_STRICT", "OPSPLAYBOOK_CHECK_LOG")}
    env.update(env_extra)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)
    return nb


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
def test_notebook_runs_clean(path):
    kind = _kind(path)
    nb = _run(path, **({"OPSPLAYBOOK_STRICT": "1"} if kind == "solutions" else {}))
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
