"""Read a workbook source (jupytext percent format with ``lang=`` cells) and check its rules.

The rules are those of ``workbook/README.md``: ``lang`` is ``"en"`` or ``"zh"``; language cells
come in runs holding both languages (unless ``unpaired=true``); solution regions are balanced,
at column 0, inside code cells, and only in exercise sources. Every error names the file and line.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LANGS, DataValidationError, did_you_mean

__all__ = ["SourceCell", "WorkbookSourceError", "read_source", "split_solutions", "answer_names",
           "BEGIN", "END"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"

#: cell options an author may write; jupytext adds the internal ones, which are ignored
_OPTIONS = ("lang", "only", "unpaired", "tags")
_JUPYTEXT_INTERNAL = {"lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker", "title",
                      "region_name"}
_ONLY = ("solutions",)
_MARKER = re.compile(r"^# %%(?:\s|$)")


class WorkbookSourceError(DataValidationError):
    """A workbook source breaks a rule of the format; the message names the file and line."""


@dataclass
class SourceCell:
    """One cell of a source, with its options and the line where its ``# %%`` marker is."""

    cell_type: str                      # "markdown" | "code"
    source: str
    line: int                           # 1-based line of the cell's marker in the source file
    lang: str | None = None             # None: both languages
    only: str | None = None             # "solutions": solved exercise notebook only
    unpaired: bool = False
    tags: list[str] = field(default_factory=list)
    regions: list[tuple[int, int]] = field(default_factory=list)  # (begin, end) line offsets in the cell


def _fail(path: Path, line: int, msg: str) -> WorkbookSourceError:
    return WorkbookSourceError(f"{path}:{line}: {msg}")


def _marker_lines(text: str) -> tuple[list[int], bool]:
    """1-based lines of the ``# %%`` markers, and whether text before the first one is a cell."""
    lines = text.splitlines()
    i = 0
    if lines and lines[0].strip() == "# ---":  # the jupytext header block
        for j in range(1, len(lines)):
            if lines[j].strip() == "# ---":
                i = j + 1
                break
    markers = [n + 1 for n, s in enumerate(lines) if n >= i and _MARKER.match(s)]
    first = markers[0] - 1 if markers else len(lines)
    implicit = any(s.strip() for s in lines[i:first])
    return markers, implicit


def read_source(path: str | Path, *, exercises: bool) -> list[SourceCell]:
    """The cells of the source at ``path`` (checked), in order.

    ``exercises`` says whether solution regions and ``only="solutions"`` are allowed.
    """
    import jupytext

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="py:percent")
    markers, implicit = _marker_lines(text)
    starts = ([1] if implicit else []) + markers
    if len(starts) != len(nb.cells):  # cannot happen with jupytext's percent reader; be safe
        starts = (starts + [len(text.splitlines())] * len(nb.cells))[: len(nb.cells)]
    cells: list[SourceCell] = []
    for cell, line in zip(nb.cells, starts):
        meta = dict(cell.metadata)
        if "incorrectly_encoded_metadata" in meta:
            raise _fail(path, line, f"cannot read the cell options {meta['incorrectly_encoded_metadata']!r}; "
                                    'write them as key="value" pairs, e.g. # %% [markdown] lang="zh".')
        for key in meta:
            if key not in _OPTIONS and key not in _JUPYTEXT_INTERNAL:
                raise _fail(path, line, f"unknown cell option {key!r}. Allowed: {list(_OPTIONS)}."
                            + did_you_mean(key, _OPTIONS))
        lang = meta.get("lang")
        if lang is not None and lang not in LANGS:
            raise _fail(path, line, f'lang={lang!r} is not a language of the workbook. Allowed: {list(LANGS)}.'
                        + did_you_mean(lang, LANGS, otherwise=" Remove `lang` for a cell shared by both."))
        only = meta.get("only")
        if only is not None:
            if only not in _ONLY:
                raise _fail(path, line, f"only={only!r} is not allowed. Allowed: {list(_ONLY)}." + did_you_mean(only, _ONLY))
            if not exercises:
                raise _fail(path, line, 'only="solutions" belongs in an exercises source (NN-slug-exercises.py).')
        unpaired = meta.get("unpaired", False)
        if unpaired not in (True, False):
            raise _fail(path, line, f"unpaired={unpaired!r} must be true or false.")
        if unpaired and lang is None:
            raise _fail(path, line, "unpaired=true needs a lang (it marks a cell one language has on purpose).")
        tags = meta.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise _fail(path, line, f'tags={tags!r} must be a list of strings, e.g. tags=["raises-exception"].')
        sc = SourceCell(cell.cell_type, cell.source, line, lang, only, bool(unpaired), list(tags))
        sc.regions = _regions(sc, path, exercises=exercises)
        cells.append(sc)
    _check_pairs(cells, path)
    return cells


def _regions(cell: SourceCell, path: Path, *, exercises: bool) -> list[tuple[int, int]]:
    """(begin, end) line indices of the solution regions in ``cell``; checks the markers."""
    lines = cell.source.split("\n")
    offset = 1  # the cell's source starts on the line after its marker
    regions, begin = [], None
    for i, s in enumerate(lines):
        tag = s.strip()
        if tag not in (BEGIN, END):
            continue
        if cell.cell_type == "markdown":
            raise _fail(path, cell.line + offset + i, "a solution marker in a markdown cell; solution regions "
                        'go in code cells (put the explanation of an answer in a cell with only="solutions").')
        is_begin = tag == BEGIN
        line_no = cell.line + offset + i
        if s != s.lstrip():
            raise _fail(path, line_no, f"{tag!r} must start at column 0 (solution regions are top-level code).")
        if not exercises:
            raise _fail(path, line_no, "solution markers belong in an exercises source (NN-slug-exercises.py), "
                        "not in a teaching notebook.")
        if is_begin:
            if begin is not None:
                raise _fail(path, line_no, f"nested {BEGIN!r}: the region opened at line "
                            f"{cell.line + offset + begin} is not closed; add {END!r} before this line.")
            begin = i
        else:
            if begin is None:
                raise _fail(path, line_no, f"{END!r} without a {BEGIN!r} before it in this cell.")
            names = answer_names("\n".join(lines[begin + 1:i]), path=path, line=cell.line + offset + begin + 1)
            if not names:
                raise _fail(path, cell.line + offset + begin, "this solution region binds no answer name; the learner "
                            "version would have nothing to fill in. Assign the answer to a variable, e.g. `q1 = ...`.")
            regions.append((begin, i))
            begin = None
    if begin is not None:
        raise _fail(path, cell.line + offset + begin, f"{BEGIN!r} is not closed in its cell; add {END!r}.")
    return regions


def answer_names(code: str, *, path: Path | str = "<source>", line: int = 1) -> list[str]:
    """The names a solution region binds at its top level (placeholder rule of workbook/README.md).

    >>> answer_names("_d = 1\\nx = 2\\na, (b, *c) = 1, (2, 3)\\nx += 1\\ndef f(): pass\\nimport os")
    ['x', 'a', 'b', 'c', 'f']
    """
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise _fail(Path(path), line + (exc.lineno or 1) - 1, f"the solution does not parse: {exc.msg}.") from None
    names: list[str] = []

    def add(target: ast.AST) -> None:
        if isinstance(target, ast.Name):
            if not target.id.startswith("_") and target.id not in names:
                names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                add(t)
        elif isinstance(target, ast.Starred):
            add(target.value)

    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                add(t)
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            add(stmt.target)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(ast.Name(stmt.name))
    return names


#: the comment that replaces a solution region in the learner notebooks
YOUR_CODE = {"en": "# your code here", "zh": "# 在这里写你的代码"}


def split_solutions(cell: SourceCell, *, learner: bool, lang: str) -> str:
    """The cell's code for the solved (``learner=False``) or the learner notebook."""
    if not cell.regions:
        return cell.source
    lines = cell.source.split("\n")
    out: list[str] = []
    pos = 0
    for begin, end in cell.regions:
        out.extend(lines[pos:begin])
        body = lines[begin + 1:end]
        if learner:
            out.append(YOUR_CODE[lang])
            out.extend(f"{name} = ____" for name in answer_names("\n".join(body)))
        else:
            out.extend(body)
        pos = end + 1
    out.extend(lines[pos:])
    return "\n".join(out).strip("\n")


def _check_pairs(cells: list[SourceCell], path: Path) -> None:
    """Each run of consecutive language cells holds both languages, for markdown and for code cells
    alike (``unpaired`` cells aside)."""
    run: list[SourceCell] = []
    for cell in cells + [None]:  # type: ignore[list-item]
        if cell is not None and cell.lang is not None:
            run.append(cell)
            continue
        paired = [c for c in run if not c.unpaired]
        for cell_type in ("markdown", "code"):
            of_type = [c for c in paired if c.cell_type == cell_type]
            langs = {c.lang for c in of_type}
            if not of_type or langs == set(LANGS):
                continue
            missing = sorted(set(LANGS) - langs)[0]
            first = of_type[0]
            raise _fail(path, first.line, f'this lang="{first.lang}" {first.cell_type} cell has no lang="{missing}" '
                        f"cell beside it, so the {missing} notebook would miss it. Add the {missing} version right "
                        f'after it, remove `lang` to share the cell, or mark it `unpaired=true`.')
        run = []
