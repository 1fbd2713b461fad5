"""`opsplaybook build`: one bilingual source → teaching, learner and solved notebooks, deterministic,
atomic, written only when changed; every rule of workbook/README.md gives an error naming file and line."""
from __future__ import annotations

import json
import os
import stat
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplaybook.cli import main
from opsplaybook.workbook import WorkbookSourceError, build, load_modules
from opsplaybook.workbook.source import answer_names

MODULES = """
[[module]]
number = 0
slug = "intro"
en = "Intro-Module"
zh = "入门"

[[module]]
number = 1
slug = "next"
en = "Next-Module"
zh = "下一章"
"""

TEACHING = '''\
# %% lang="en"
LANG = "en"

# %% lang="zh"
LANG = "zh"

# %% [markdown] lang="en"
# # Intro
# English prose.

# %% [markdown] lang="zh"
# # 入门
# 中文讲解。

# %% [markdown]
# $S = UV \\times CVR \\times P$

# %%
x = 1 + 1
x
'''

EXERCISES = '''\
# %% lang="en"
LANG = "en"

# %% lang="zh"
LANG = "zh"

# %%
from opsplaybook.exercises import ____

# %% [markdown] lang="en"
# **1.** Compute it.

# %% [markdown] lang="zh"
# **第 1 题** 算一算。

# %%
setup = 1
### BEGIN SOLUTION
_helper = 40
answer = _helper + 2
other, (more, *rest) = 1, (2, 3)
### END SOLUTION
print(answer)

# %% [markdown] only="solutions" lang="en"
# Why: because.

# %% [markdown] only="solutions" lang="zh"
# 原因：因为。
'''


def make_root(tmp_path: Path, teaching: str = TEACHING, exercises: str | None = EXERCISES) -> Path:
    wb = tmp_path / "workbook"
    wb.mkdir(parents=True, exist_ok=True)
    (wb / "modules.toml").write_text(MODULES, encoding="utf-8")
    (wb / "00-intro.py").write_text(teaching, encoding="utf-8")
    if exercises is not None:
        (wb / "00-intro-exercises.py").write_text(exercises, encoding="utf-8")
    return tmp_path


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def sources(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"]]


def test_four_outputs_per_source_pair(tmp_path):
    root = make_root(tmp_path)
    res = build(root)
    names = sorted(p.relative_to(root).as_posix() for p in res.written)
    assert names == sorted([
        "notebooks/en/00-Intro-Module.ipynb", "notebooks/zh/00-入门.ipynb",
        "exercises/en/00-Intro-Module-exercises.ipynb", "exercises/zh/00-入门-exercises.ipynb",
        "exercises/solutions/en/00-Intro-Module-exercises.ipynb", "exercises/solutions/zh/00-入门-exercises.ipynb",
    ])
    assert any("module 01" in n for n in res.notes)  # listed, no source yet: skipped with a note


def test_languages_are_split_and_shared_cells_kept(tmp_path):
    root = make_root(tmp_path)
    build(root)
    en = sources(read(root / "notebooks/en/00-Intro-Module.ipynb"))
    zh = sources(read(root / "notebooks/zh/00-入门.ipynb"))
    assert 'LANG = "en"' in en and 'LANG = "zh"' not in en
    assert 'LANG = "zh"' in zh and "# 入门\n中文讲解。" in zh and not any("English prose" in s for s in zh)
    for cells in (en, zh):  # the shared markdown and code cells are in both
        assert "$S = UV \\times CVR \\times P$" in cells and "x = 1 + 1\nx" in cells


def test_chinese_soft_line_breaks_are_joined(tmp_path):
    src = TEACHING.replace("# # 入门\n# 中文讲解。", "# # 入门\n# 中文讲解分成\n# 两行写。\n#\n# - 列表\n# - 两项")
    root = make_root(tmp_path, teaching=src, exercises=None)
    build(root)
    zh = sources(read(root / "notebooks/zh/00-入门.ipynb"))
    assert "# 入门\n中文讲解分成两行写。\n\n- 列表\n- 两项" in zh   # no stray space between 成 and 两
    en = sources(read(root / "notebooks/en/00-Intro-Module.ipynb"))
    assert "# Intro\nEnglish prose." in en


def test_learner_version_replaces_the_region_by_placeholders(tmp_path):
    root = make_root(tmp_path)
    build(root)
    learner_en = sources(read(root / "exercises/en/00-Intro-Module-exercises.ipynb"))
    learner_zh = sources(read(root / "exercises/zh/00-入门-exercises.ipynb"))
    solved = sources(read(root / "exercises/solutions/en/00-Intro-Module-exercises.ipynb"))
    assert ("setup = 1\n# your code here\nanswer = ____\nother = ____\nmore = ____\nrest = ____\nprint(answer)"
            in learner_en)
    assert any(s.startswith("setup = 1\n# 在这里写你的代码\nanswer = ____") for s in learner_zh)
    assert "setup = 1\n_helper = 40\nanswer = _helper + 2\nother, (more, *rest) = 1, (2, 3)\nprint(answer)" in solved
    assert not any("BEGIN SOLUTION" in s or "_helper" in s for s in learner_en)
    assert not any("BEGIN SOLUTION" in s for s in solved)
    # only="solutions" cells are in the solved notebook only
    assert "Why: because." in solved and "Why: because." not in learner_en


def test_metadata_outputs_ids_and_navigation(tmp_path):
    root = make_root(tmp_path)
    build(root)
    nb = read(root / "exercises/solutions/zh/00-入门-exercises.ipynb")
    meta = nb["metadata"]["opsplaybook"]
    assert (meta["module"], meta["kind"], meta["lang"]) == ("00", "solutions", "zh")
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] == 5
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    ids = [c["id"] for c in nb["cells"]]
    assert len(set(ids)) == len(ids)
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in nb["cells"] if c["cell_type"] == "code")
    nav = sources(nb)[0]
    assert nav == sources(nb)[-1]
    assert "[课程笔记本](../../../notebooks/zh/00-入门.ipynb)" in nav and "[练习版](../../zh/00-入门-exercises.ipynb)" in nav
    teach = sources(read(root / "notebooks/en/00-Intro-Module.ipynb"))[0]
    assert "**00 · Intro Module**" in teach and "[exercises](../../exercises/en/00-Intro-Module-exercises.ipynb)" in teach


def test_navigation_links_previous_and_next_module(tmp_path):
    root = make_root(tmp_path)
    (root / "workbook/01-next.py").write_text(TEACHING, encoding="utf-8")
    build(root)
    first = sources(read(root / "notebooks/en/00-Intro-Module.ipynb"))[0]
    second = sources(read(root / "notebooks/zh/01-下一章.ipynb"))[0]
    assert "[next: 01 · Next Module](01-Next-Module.ipynb) ▶" in first and "previous" not in first
    assert "◀ [上一章: 00 · 入门](00-入门.ipynb)" in second
    for nb in (root / "notebooks").rglob("*.ipynb"):  # every link points at a built file
        for target in _links(sources(read(nb))[0]):
            assert (nb.parent / target).resolve().is_file(), (nb, target)


def _links(markdown: str) -> list[str]:
    import re

    return re.findall(r"\]\(([^)]+)\)", markdown)


def test_deterministic_and_writes_only_changes(tmp_path):
    root = make_root(tmp_path)
    build(root)
    before = {p: p.read_bytes() for p in root.rglob("*.ipynb")}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    again = build(root)
    assert again.written == [] and len(again.unchanged) == 6
    assert {p: p.read_bytes() for p in root.rglob("*.ipynb")} == before
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes  # untouched, not rewritten
    assert not list(root.rglob("*.tmp"))
    mask = os.umask(0)
    os.umask(mask)
    assert {stat.S_IMODE(p.stat().st_mode) for p in before} == {0o666 & ~mask}  # not mkstemp's 0600
    # a fresh tree gives the same bytes
    other = make_root(tmp_path / "other")
    build(other)
    for p, data in before.items():
        assert (other / p.relative_to(root)).read_bytes() == data


def test_check_lists_what_differs_and_writes_nothing(tmp_path):
    root = make_root(tmp_path)
    build(root)
    src = root / "workbook/00-intro.py"
    src.write_text(TEACHING.replace("English prose.", "Changed prose."), encoding="utf-8")
    res = build(root, check=True)
    assert sorted(p.name for p in res.differ) == ["00-Intro-Module.ipynb"]
    assert "English prose." in (root / "notebooks/en/00-Intro-Module.ipynb").read_text(encoding="utf-8")
    assert main(["build", "--root", str(root), "--check"]) == 1
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    assert main(["build", "--root", str(root), "--check"]) == 0


def test_stale_generated_files_removed_but_edited_or_foreign_ones_kept(tmp_path):
    root = make_root(tmp_path)
    build(root)
    learner = root / "exercises/en/00-Intro-Module-exercises.ipynb"
    copy = learner.with_name("00-Intro-Module-exercises-Copy1.ipynb")  # a learner's copy, with work in it
    nb = read(learner)
    nb["cells"][2]["source"] = ["answer = 42\n"]
    copy.write_text(json.dumps(nb), encoding="utf-8")
    own = root / "notebooks/en/my-notes.ipynb"
    own.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    (root / "workbook/00-intro-exercises.py").unlink()
    res = build(root, check=True)
    assert sorted(p.name for p in res.removed) == sorted(["00-Intro-Module-exercises.ipynb", "00-入门-exercises.ipynb"] * 2)
    res = build(root)
    assert not learner.exists() and copy.exists() and own.exists()
    assert copy in res.kept


# ---------------------------------------------------------------- errors naming file and line
@pytest.mark.parametrize("edit, line, match", [
    (lambda s: s.replace('lang="zh"\n# # 入门', 'lang="cn"\n# # 入门'), 11, r"lang='cn'.*Allowed: \['zh', 'en'\].*Did you mean"),
    (lambda s: s.replace('# %% [markdown] lang="zh"\n# # 入门\n# 中文讲解。\n\n', ""), 7, r'no lang="zh" cell beside it'),
    (lambda s: s.replace('# %% [markdown]\n# $S', '# %% [markdown] lnag="en"\n# $S'), 15, r"unknown cell option 'lnag'.*Did you mean 'lang'"),
    (lambda s: s.replace("x = 1 + 1", "### BEGIN SOLUTION\nx = 1 + 1\n### END SOLUTION"), 19, "belong in an exercises source"),
])
def test_teaching_source_errors(tmp_path, edit, line, match):
    root = make_root(tmp_path, teaching=edit(TEACHING), exercises=None)
    with pytest.raises(WorkbookSourceError, match=match) as err:
        build(root)
    assert f"00-intro.py:{line}:" in str(err.value)


def test_unpaired_cell_allowed_when_marked(tmp_path):
    src = TEACHING.replace('# %% [markdown] lang="zh"\n# # 入门\n# 中文讲解。\n\n', "").replace(
        '# %% [markdown] lang="en"\n# # Intro', '# %% [markdown] lang="en" unpaired=true\n# # Intro')
    root = make_root(tmp_path, teaching=src, exercises=None)
    build(root)
    assert "# Intro\nEnglish prose." in sources(read(root / "notebooks/en/00-Intro-Module.ipynb"))


@pytest.mark.parametrize("region, line, match", [  # the cell's code starts at line 17 ("setup = 1")
    ("### BEGIN SOLUTION\nanswer = 1\n", 18, r"is not closed in its cell"),
    ("answer = 1\n### END SOLUTION\n", 19, r"without a '### BEGIN SOLUTION'"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION\n", 19, r"nested.*opened at line 18"),
    ("if True:\n    ### BEGIN SOLUTION\n    answer = 1\n    ### END SOLUTION\n", 19, r"must start at column 0"),
    ("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION\n", 18, r"binds no answer name"),
    ("### BEGIN SOLUTION\nanswer = 1\nanswer = (\n### END SOLUTION\n", 20, r"does not parse"),
])
def test_solution_marker_errors(tmp_path, region, line, match):
    src = EXERCISES.replace("setup = 1\n### BEGIN SOLUTION\n_helper = 40\nanswer = _helper + 2\n"
                            "other, (more, *rest) = 1, (2, 3)\n### END SOLUTION\n", "setup = 1\n" + region)
    root = make_root(tmp_path, exercises=src)
    with pytest.raises(WorkbookSourceError, match=match) as err:
        build(root)
    assert f"00-intro-exercises.py:{line}:" in str(err.value)


def test_marker_in_markdown_is_an_error(tmp_path):
    src = EXERCISES.replace("# **1.** Compute it.", "# **1.** Compute it.\n# ### BEGIN SOLUTION")
    with pytest.raises(WorkbookSourceError, match=r"00-intro-exercises.py:12: a solution marker in a markdown cell"):
        build(make_root(tmp_path, exercises=src))


def test_unlisted_source_and_bad_modules_toml(tmp_path):
    root = make_root(tmp_path)
    (root / "workbook/00-intr.py").write_text(TEACHING, encoding="utf-8")
    with pytest.raises(WorkbookSourceError, match=r"00-intr.py: no \[\[module\]\] table.*Did you mean '00-intro.py'"):
        build(root)
    (root / "workbook/00-intr.py").unlink()
    (root / "workbook/modules.toml").write_text(MODULES.replace('zh = "下一章"\n', ""), encoding="utf-8")
    with pytest.raises(WorkbookSourceError, match=r"table 2 lacks \['zh'\]"):
        load_modules(root)
    (root / "workbook/modules.toml").write_text(MODULES.replace("number = 1", "number = 0"), encoding="utf-8")
    with pytest.raises(WorkbookSourceError, match=r"number 0 is used by two modules"):
        load_modules(root)
    with pytest.raises(WorkbookSourceError, match=r"modules.toml does not exist"):
        load_modules(tmp_path / "nowhere")


def test_cli_prints_a_one_line_error(tmp_path, capsys):
    root = make_root(tmp_path, teaching=TEACHING.replace('lang="zh"\n# # 入门', 'lang="fr"\n# # 入门'), exercises=None)
    assert main(["build", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("opsplaybook build: error: ") and "00-intro.py:11:" in err


# ---------------------------------------------------------------- the placeholder rule
_names = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: s not in {"if", "in", "is", "as", "or", "and", "def", "del", "for", "not", "try", "with", "else",
                        "elif", "from", "pass", "class", "while", "yield", "break", "async", "await", "raise",
                        "global", "lambda", "return", "assert", "import", "except", "finally", "continue",
                        "nonlocal"})


@settings(max_examples=60, deadline=None)
@given(st.lists(_names, min_size=1, max_size=8))
def test_answer_names_are_the_assigned_public_names_in_order(names):
    code = "\n".join(f"{n} = {i}" for i, n in enumerate(names))
    expected = list(dict.fromkeys(n for n in names if not n.startswith("_")))
    assert answer_names(code) == expected


def test_answer_names_ignore_imports_blocks_and_attributes():
    code = textwrap.dedent("""
        import pandas as pd
        from math import pi
        for i in range(3):
            inner = i
        obj.attr = 1
        table["col"] = 2
        total: float = 3.0
        count += 1
        def helper(x):
            local = x
        class Box:
            pass
    """)
    assert answer_names(code) == ["total", "count", "helper", "Box"]
