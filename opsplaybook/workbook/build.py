"""``opsplaybook build``: the bilingual workbook sources → teaching, learner and solved notebooks.

Deterministic: the same sources give byte-identical files (sorted JSON keys, nbformat 4.5, cell ids
from the cells' content, no outputs, no timestamps). A file is written only when its content
changed, atomically (a temporary file in the same folder, then renamed over it).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .._files import write_text_atomic
from ..errors import LANGS, did_you_mean
from .modules import Module, load_modules
from .source import SourceCell, WorkbookSourceError, read_source, split_solutions

__all__ = ["build", "BuildResult", "KINDS", "output_path"]

#: kinds of built notebook, and the folder (under the root) each one goes to, per language
KINDS = ("teaching", "exercises", "solutions")
_FOLDERS = {"teaching": "notebooks/{lang}", "exercises": "exercises/{lang}", "solutions": "exercises/solutions/{lang}"}

_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

_NAV = {
    "en": {"prev": "previous", "next": "next", "exercises": "exercises", "lesson": "lesson",
           "ex_title": "Exercises", "sol_title": "Solutions", "learner": "learner version"},
    "zh": {"prev": "上一章", "next": "下一章", "exercises": "练习", "lesson": "课程笔记本",
           "ex_title": "练习", "sol_title": "参考答案", "learner": "练习版"},
}


@dataclass
class BuildResult:
    """What :func:`build` did (or, with ``check=True``, would do)."""

    written: list[Path] = field(default_factory=list)    # new or changed files (written unless check)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)    # generated files no source produces any more
    kept: list[Path] = field(default_factory=list)       # such files edited by someone: left alone
    notes: list[str] = field(default_factory=list)       # e.g. modules whose sources do not exist yet
    check: bool = False

    @property
    def differ(self) -> list[Path]:
        """Files whose committed content is not what a fresh build gives."""
        return self.written + self.removed

    @property
    def ok(self) -> bool:
        return not self.differ

    def summary(self, root: Path | None = None) -> str:
        def rel(p: Path) -> str:
            try:
                return str(p.relative_to(root)) if root else str(p)
            except ValueError:
                return str(p)
        lines = list(self.notes)
        if self.check:
            for p in self.written:
                lines.append(f"differs from a fresh build: {rel(p)}")
            for p in self.removed:
                lines.append(f"no source produces it any more: {rel(p)}")
            lines.append("all built notebooks are up to date" if self.ok else
                         f"{len(self.differ)} file(s) differ; run `opsplaybook build` and commit the result")
        else:
            lines += [f"wrote {rel(p)}" for p in self.written]
            lines += [f"removed {rel(p)}" for p in self.removed]
            lines += [f"left alone (edited since it was built): {rel(p)}" for p in self.kept]
            lines.append(f"{len(self.written)} written, {len(self.unchanged)} unchanged, {len(self.removed)} removed")
        return "\n".join(lines)


def output_path(root: Path, module: Module, kind: str, lang: str) -> Path:
    """Where the ``kind`` notebook of ``module`` in ``lang`` is written."""
    return Path(root) / _FOLDERS[kind].format(lang=lang) / module.filename(lang, kind)


def _rel(target: Path, start: Path) -> str:
    return PurePosixPath(Path(os.path.relpath(target, start)).as_posix()).as_posix()


def _nav(root: Path, module: Module, kind: str, lang: str, built: dict) -> str:
    """The navigation line of one notebook (previous / next module, lesson ↔ exercises)."""
    t = _NAV[lang]
    here = output_path(root, module, kind, lang).parent
    chain_kind = "exercises" if kind == "solutions" else kind
    chain = [m for m in built if chain_kind in built[m]]
    i = chain.index(module)
    parts = []
    if i > 0:
        prev = chain[i - 1]
        parts.append(f"◀ [{t['prev']}: {prev.display(lang)}]({_rel(output_path(root, prev, kind, lang), here)})")
    if kind == "teaching":
        parts.append(f"**{module.display(lang)}**")
        if "exercises" in built[module]:
            parts.append(f"[{t['exercises']}]({_rel(output_path(root, module, 'exercises', lang), here)})")
    else:
        title = t["ex_title"] if kind == "exercises" else t["sol_title"]
        parts.append(f"**{title} {module.display(lang)}**")
        if "teaching" in built[module]:
            parts.append(f"[{t['lesson']}]({_rel(output_path(root, module, 'teaching', lang), here)})")
        if kind == "solutions":
            parts.append(f"[{t['learner']}]({_rel(output_path(root, module, 'exercises', lang), here)})")
    if i + 1 < len(chain):
        nxt = chain[i + 1]
        parts.append(f"[{t['next']}: {nxt.display(lang)}]({_rel(output_path(root, nxt, kind, lang), here)}) ▶")
    return " | ".join(parts)


_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_BLOCK_START = re.compile(r"^\s*(#|\||>|[-*+] |\d+[.)] |```|<)")


def join_cjk_lines(markdown: str) -> str:
    r"""Remove the soft line breaks between two Chinese characters inside paragraphs.

    Markdown renders a line break inside a paragraph as a space: right between English words,
    wrong between Chinese characters (sources are wrapped at ~100 columns in both languages).
    Headings, tables and code blocks are left as they are; list items are never merged.

    >>> join_cjk_lines("一共 8 道题，全部用\n演示公司的数据。\n## 标题\n正文\n```\n代码\n不动\n```")
    '一共 8 道题，全部用演示公司的数据。\n## 标题\n正文\n```\n代码\n不动\n```'
    """
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        prev, body = (out[-1] if out else ""), line.lstrip()
        if (not fenced and prev and body and _CJK.match(prev[-1]) and _CJK.match(body[0])
                and not prev.lstrip().startswith(("#", "|")) and not _BLOCK_START.match(line)):
            out[-1] = prev + body  # also a list item's wrapped continuation line
        else:
            out.append(line)
    return "\n".join(out)


def _cells_for(cells: list[SourceCell], kind: str, lang: str) -> list[tuple[str, str, list[str]]]:
    """(cell_type, source, tags) of the cells that go into the ``kind`` notebook in ``lang``."""
    out = []
    for c in cells:
        if c.lang is not None and c.lang != lang:
            continue
        if c.only == "solutions" and kind != "solutions":
            continue
        src = split_solutions(c, learner=kind == "exercises", lang=lang) if c.cell_type == "code" else join_cjk_lines(c.source)
        out.append((c.cell_type, src, c.tags))
    return out


def _digest(nb: dict) -> str:
    """A hash of a notebook's JSON content (without the digest itself): tells an untouched built file
    from one someone edited."""
    body = {k: v for k, v in nb.items() if k != "metadata"}
    meta = {k: v for k, v in nb["metadata"].items() if k != "opsplaybook"}
    ops = {k: v for k, v in nb["metadata"].get("opsplaybook", {}).items() if k != "digest"}
    text = json.dumps([body, meta, ops], sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _notebook(cells, *, module: Module, kind: str, lang: str, nav: str) -> str:
    """The notebook's JSON text (stable: same input, same bytes)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    seen: dict[str, int] = {}
    for cell_type, src, tags in [("markdown", nav, [])] + cells + [("markdown", nav, [])]:
        cell = nbformat.v4.new_markdown_cell(src) if cell_type == "markdown" else nbformat.v4.new_code_cell(src)
        base = hashlib.sha1(f"{cell_type}\0{src}".encode("utf-8")).hexdigest()[:8]
        n = seen.get(base, 0)
        seen[base] = n + 1
        cell.id = base if n == 0 else f"{base}-{n}"
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    nb.metadata = nbformat.from_dict({
        "kernelspec": dict(_KERNELSPEC),
        "language_info": {"name": "python"},
        "opsplaybook": {"module": module.nn, "kind": kind, "lang": lang},
    })
    nb.metadata["opsplaybook"]["digest"] = _digest(json.loads(nbformat.writes(nb, version=4)))
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4).rstrip("\n") + "\n"



def _generated_meta(path: Path) -> tuple[dict | None, bool]:
    """The ``opsplaybook`` metadata of a notebook the build made (None otherwise), and whether it is
    unchanged since (its digest still matches)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        meta = nb["metadata"]["opsplaybook"]
        if not isinstance(meta, dict) or meta.get("kind") not in KINDS:
            return None, False
    except (OSError, ValueError, KeyError, TypeError):
        return None, False
    return meta, meta.get("digest") == _digest(nb)


def _check_unlisted(root: Path, modules: list[Module]) -> None:
    known = {m.teaching_source(root).name for m in modules} | {m.exercises_source(root).name for m in modules}
    for p in sorted((root / "workbook").glob("*.py")):
        if p.name not in known:
            raise WorkbookSourceError(
                f"{p}: no [[module]] table in workbook/modules.toml names this source. Sources are "
                f"NN-<slug>.py and NN-<slug>-exercises.py of a listed module." + did_you_mean(
                    p.name, sorted(known), otherwise=" Add a table for it to modules.toml."))


def build(root: str | Path = ".", *, check: bool = False) -> BuildResult:
    """Build every notebook of the workbook under ``root`` from ``root/workbook/``.

    Parameters
    ----------
    root : path
        The repository folder (holding ``workbook/``, ``notebooks/`` and ``exercises/``).
    check : bool
        Write nothing; report in :attr:`BuildResult.differ` the files whose committed content is
        not what a fresh build gives (``opsplaybook build --check`` exits 1 when there are any).

    Returns
    -------
    BuildResult
        Files written (or that would be), unchanged and removed, and notes such as modules whose
        sources do not exist yet.

    Raises
    ------
    WorkbookSourceError
        A source breaks a rule of ``workbook/README.md``; the message names the file and line.
    """
    root = Path(root).resolve()
    modules = load_modules(root)
    _check_unlisted(root, modules)
    result = BuildResult(check=check)
    sources: dict[Module, dict[str, list[SourceCell]]] = {}
    for m in modules:
        found = {}
        if m.teaching_source(root).is_file():
            found["teaching"] = read_source(m.teaching_source(root), exercises=False)
        if m.exercises_source(root).is_file():
            found["exercises"] = found["solutions"] = read_source(m.exercises_source(root), exercises=True)
        if not found:
            result.notes.append(f"module {m.nn}: no source {m.teaching_source(root).relative_to(root)} yet; skipped")
            continue
        sources[m] = found
    produced: set[Path] = set()
    for m, kinds in sources.items():
        for kind, cells in kinds.items():
            for lang in LANGS:
                path = output_path(root, m, kind, lang)
                produced.add(path)
                text = _notebook(_cells_for(cells, kind, lang), module=m, kind=kind, lang=lang,
                                 nav=_nav(root, m, kind, lang, sources))
                try:
                    old = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    old = None
                if old == text:
                    result.unchanged.append(path)
                    continue
                result.written.append(path)
                if not check:
                    write_text_atomic(path, text)
    for kind in KINDS:
        for lang in LANGS:
            folder = root / _FOLDERS[kind].format(lang=lang)
            for p in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
                if p in produced:
                    continue
                meta, pristine = _generated_meta(p)
                if meta is None:
                    continue  # not made by the build (e.g. a learner's own notebook): never touched
                if pristine:
                    result.removed.append(p)
                    if not check:
                        p.unlink()
                else:
                    result.kept.append(p)
    return result
