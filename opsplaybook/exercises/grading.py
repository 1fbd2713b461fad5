"""Grading a room's exercise notebooks: ``opsplaybook grade FOLDER`` and ``opsplaybook check FILE``.

Each submission runs on a **copy** in a temporary folder, in a fresh kernel, with a time limit for
the whole notebook. Every ``check()`` it calls appends its outcome to a JSON-lines log (the
``OPSPLAYBOOK_CHECK_LOG`` variable points the kernel at it), so the grade is exactly what the
learner saw. The learner's file is only read. A file that is not a notebook, not valid JSON, from
another module, raising or looping forever gets a row that says so, and the run goes on.

This is not a sandbox: learners' code runs with the grader's rights (see docs/dev/exercise-engine.md).
"""
from __future__ import annotations

import collections
import csv
import importlib
import io
import json
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .._files import write_text_atomic
from ..errors import InvalidParameterError
from .core import OUTCOMES
from .exercise import LOG_ENV, STRICT_ENV

__all__ = ["Submission", "GradeReport", "grade", "grade_notebook", "find_submissions", "exercise_for"]

_SYMBOL = {"right": "✔", "wrong": "✘", "not_attempted": "·", "error": "!", None: "-"}
_SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git"}


@dataclass
class Submission:
    """One graded file: who, which file, what happened, and each question's outcome."""

    learner: str
    file: str
    status: str = "graded"           # graded | timeout | invalid | not a notebook | other module | ...
    note: str = ""
    module: str | None = None
    outcomes: dict[str, str] = field(default_factory=dict)   # question -> outcome (OUTCOMES)
    messages: dict[str, str] = field(default_factory=dict)   # question -> the last check's message
    hints: int = 0
    solutions: int = 0
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes.values() if o == outcome)


@dataclass
class GradeReport:
    """The learner × question table of a grading run."""

    module: str | None
    questions: list[str]
    rows: list[Submission]

    def table(self) -> list[dict[str, object]]:
        """One dict per submission (the CSV rows), then a row of totals (right answers per question)."""
        out = []
        for r in self.rows:
            row: dict[str, object] = {"learner": r.learner, "file": r.file, "status": r.status}
            for q in self.questions:
                row[q] = r.outcomes.get(q, "") if r.status in ("graded", "timeout") else ""
            row.update({o: r.count(o) for o in OUTCOMES})
            row.update({"score": f"{r.count('right')}/{len(self.questions)}", "hints": r.hints,
                        "solutions": r.solutions, "seconds": round(r.seconds, 1), "note": r.note})
            out.append(row)
        totals: dict[str, object] = {"learner": "TOTAL (right)", "file": "", "status": ""}
        for q in self.questions:
            totals[q] = sum(1 for r in self.rows if r.outcomes.get(q) == "right")
        totals.update({o: sum(r.count(o) for r in self.rows) for o in OUTCOMES})
        totals.update({"score": "", "hints": sum(r.hints for r in self.rows),
                       "solutions": sum(r.solutions for r in self.rows), "seconds": "", "note": ""})
        return out + [totals]

    def to_csv(self, path: str | Path) -> Path:
        """Write the table as CSV (UTF-8 with BOM, so Excel shows the Chinese), atomically."""
        path = Path(path)
        table = self.table()
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        return write_text_atomic(path, buf.getvalue(), encoding="utf-8-sig", newline="")

    def render(self) -> str:
        """The table as text: ✔ right, ✘ wrong, · not attempted, ! error, one line per learner."""
        qs = self.questions
        width = max([len("learner")] + [len(r.learner) for r in self.rows]) + 2
        head = "learner".ljust(width) + " ".join(q.rjust(3) for q in qs) + "  right wrong  n/a  err  note"
        lines = [head, "-" * len(head)]
        for r in self.rows:
            cells = " ".join(_SYMBOL[r.outcomes.get(q)].rjust(3) if r.status in ("graded", "timeout") else "  -"
                             for q in qs)
            counts = f"{r.count('right'):6d}{r.count('wrong'):6d}{r.count('not_attempted'):5d}{r.count('error'):5d}"
            note = r.note if r.status == "graded" or r.note.startswith(r.status) else f"{r.status}: {r.note}"
            lines.append(f"{r.learner.ljust(width)}{cells}  {counts}  {note}".rstrip())
        tot = [sum(1 for r in self.rows if r.outcomes.get(q) == "right") for q in qs]
        lines.append("-" * len(head))
        lines.append("right".ljust(width) + " ".join(str(t).rjust(3) for t in tot))
        lines.append("✔ right  ✘ wrong  · not attempted  ! error (the check did not run)  - no grade")
        return "\n".join(lines)


def exercise_for(module: str):
    """The Exercise of module ``module`` (``"00"`` → ``opsplaybook.exercises.module00``)."""
    name = f"{__package__}.module{module}"
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise InvalidParameterError(f"There are no exercises for module {module!r} in this version of the kit "
                                        f"(no {name}).") from None
        raise
    return mod.EXERCISE


def find_submissions(folder: str | Path, *, skip: set[Path] = frozenset()) -> list[tuple[str, Path]]:
    """``(learner, path)`` for every file under ``folder`` (flat or in sub-folders), sorted.

    The learner is the sub-folder's name when it holds one notebook, else the file's path without
    ``.ipynb``. Hidden files and ``.ipynb_checkpoints`` are not submissions.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidParameterError(f"`FOLDER`={str(folder)!r} is not a folder. Pass the folder holding the "
                                    f"learners' notebooks (flat or one sub-folder per learner).")
    files = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if name.startswith(".") or p.resolve() in skip:
                continue
            files.append(p)
    per_top = collections.Counter(p.relative_to(folder).parts[0] for p in files
                                  if len(p.relative_to(folder).parts) > 1 and p.suffix == ".ipynb")
    out = []
    for p in files:
        rel = p.relative_to(folder)
        if len(rel.parts) > 1 and per_top[rel.parts[0]] == 1 and p.suffix == ".ipynb":
            learner = rel.parts[0]
        else:
            learner = rel.with_suffix("").as_posix() if p.suffix == ".ipynb" else rel.as_posix()
        out.append((learner, p))
    return sorted(out, key=lambda t: (t[0], str(t[1])))


def _read(path: Path) -> tuple[dict | None, str]:
    """The notebook as a dict, or None and what is wrong with the file."""
    if path.suffix.lower() != ".ipynb":
        return None, f"not a notebook: a {path.suffix or 'no-extension'} file; hand in the .ipynb file"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror}"
    try:
        nb = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, "not a text file (is it really a notebook?)"
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); the file is damaged or cut short"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "valid JSON but not a notebook (no list of cells)"
    return nb, ""


def _meta(nb: dict) -> dict:
    meta = nb.get("metadata", {}).get("opsplaybook", {}) if isinstance(nb.get("metadata"), dict) else {}
    return meta if isinstance(meta, dict) else {}


def _run(nb_dict: dict, path: Path, *, timeout: float, log: Path, workdir: Path) -> tuple[str, str, object]:
    """Execute the notebook (a copy, in ``workdir``); returns (status, note, executed notebook)."""
    import nbformat

    from .._notebooks import NotebookRunFailure, run_notebook

    try:
        with warnings.catch_warnings():  # a notebook saved by an older Jupyter has no cell ids: fine here
            warnings.simplefilter("ignore")
            nb = nbformat.reads(json.dumps(nb_dict), as_version=4)
    except Exception as exc:  # nbformat refuses it (a broken cell, an unknown format version)
        return "invalid", f"not a valid notebook: {type(exc).__name__}: {str(exc)[:160]}", None
    env = {k: v for k, v in os.environ.items() if k != STRICT_ENV}
    env[LOG_ENV] = str(log)
    env.setdefault("MPLBACKEND", "Agg")
    status, note = "graded", ""
    try:
        run_notebook(nb, cwd=workdir, timeout=timeout, env=env, allow_errors=True,
                     display_name="Python 3 (opsplaybook grader)")
    except NotebookRunFailure as f:
        exc = f.error
        status, note = {
            "timeout": ("timeout", f"stopped after {timeout:g} s (cell {f.cell}: an endless loop or a very slow step?)"),
            "dead": ("error", f"the kernel died in cell {f.cell} (out of memory, or the code exited Python)"),
        }.get(f.kind, ("error", f"could not run the notebook: {type(exc).__name__}: {str(exc)[:200]}"))
    if status == "graded":
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") != "ExerciseCheckFailed":
                    note = f"cell {i} raised {out.get('ename')}: {str(out.get('evalue'))[:120]}"
                    break
            if note:
                break
    return status, note, nb


def grade_notebook(path: str | Path, *, module: str | None = None, timeout: float = 120,
                   learner: str | None = None, nb: dict | None = None) -> Submission:
    """Run one learner's notebook (on a copy, in a fresh kernel) and record each check's outcome.

    ``module`` is the module the notebook must belong to (default: whatever its metadata says).
    """
    path = Path(path)
    sub = Submission(learner=learner or path.stem, file=str(path))
    if nb is None:
        nb, problem = _read(path)
        if nb is None:
            sub.status, sub.note = ("not a notebook" if problem.startswith("not a notebook") else "invalid"), problem
            return sub
    meta = _meta(nb)
    sub.module = meta.get("module")
    if not isinstance(sub.module, str) or not re.fullmatch(r"\d\d", sub.module):
        sub.module = None
        sub.status, sub.note = "not an exercise", "no opsplaybook metadata: not one of the kit's exercise notebooks"
        return sub
    if meta.get("kind") == "teaching":
        sub.status, sub.note = "not an exercise", f"the teaching notebook of module {sub.module}, not its exercises"
        return sub
    if module is not None and sub.module != module:
        sub.status, sub.note = "other module", f"exercises of module {sub.module}, not of module {module}"
        return sub
    questions = list(exercise_for(sub.module).questions)
    if meta.get("kind") == "solutions":
        sub.note = "this is the published solved notebook, not a learner's"
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="opsplaybook-grade-") as tmp:
        work = Path(tmp)
        copy = work / path.name
        shutil.copyfile(path, copy)  # the learner's file is only ever read
        log = work / ".checks.jsonl"
        log.touch()
        status, note, _ = _run(nb, copy, timeout=timeout, log=log, workdir=work)
        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    sub.seconds = time.perf_counter() - t0
    sub.status = status
    sub.note = "; ".join(n for n in (sub.note, note) if n)
    for rec in records:
        if rec.get("module") != sub.module:
            continue
        q = rec.get("question")
        if rec.get("event") == "check" and q in questions:
            sub.outcomes[q] = rec.get("outcome", "error")
            sub.messages[q] = rec.get("message", "")
        elif rec.get("event") == "hint":
            sub.hints += 1
        elif rec.get("event") == "solution":
            sub.solutions += 1
    for q in questions:
        sub.outcomes.setdefault(q, "error")  # the check never ran: the cell raised first, or a timeout
    sub.outcomes = {q: sub.outcomes[q] for q in questions}
    return sub


def default_jobs() -> int:
    """Notebooks graded at once by default: half the CPUs, between 1 and 4 (each runs its own kernel)."""
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def grade(folder: str | Path, *, module: str | None = None, timeout: float = 120, out: str | Path | None = None,
          jobs: int = 1, progress: Callable[[str], None] | None = None) -> GradeReport:
    """Grade every submission under ``folder``; write the table to ``out`` (CSV) when given.

    Parameters
    ----------
    folder : path
        The learners' notebooks, flat or one sub-folder per learner, any file names.
    module : str, optional
        The module the notebooks must be (``"00"``); default: the module most submissions belong to.
    timeout : float
        Seconds each notebook may run in total; a notebook still running then is stopped.
    out : path, optional
        Where to write the CSV table (never inside the submissions it reads).
    jobs : int
        Notebooks run at the same time (each in its own kernel); the table does not depend on it.
    progress : callable, optional
        Called with one line per notebook as it is graded (the CLI prints them).
    """
    if timeout <= 0:
        raise InvalidParameterError(f"`timeout`={timeout!r} must be a positive number of seconds, e.g. 120.")
    if not isinstance(jobs, int) or jobs < 1:
        raise InvalidParameterError(f"`jobs`={jobs!r} must be a whole number >= 1, e.g. 2.")
    skip = {Path(out).resolve()} if out is not None else set()
    found = find_submissions(folder, skip=skip)
    read = {p: _read(p) for _, p in found}
    if module is None:
        modules = collections.Counter(_meta(nb).get("module") for nb, _ in read.values()
                                      if nb is not None and _meta(nb).get("kind") in ("exercises", "solutions"))
        modules.pop(None, None)
        ranked = modules.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            raise InvalidParameterError(
                f"The submissions are exercises of several modules, as many of each: {dict(modules)}. "
                f"Pass `--module` with the one to grade, e.g. --module {ranked[0][0]}.")
        module = ranked[0][0] if ranked else None
    questions = list(exercise_for(module).questions) if module is not None else []
    def one(learner: str, p: Path) -> Submission:
        nb, problem = read[p]
        rel = p.relative_to(folder).as_posix()
        if nb is None:
            status = "not a notebook" if problem.startswith("not a notebook") else "invalid"
            return Submission(learner, rel, status=status, note=problem)
        sub = grade_notebook(p, module=module, timeout=timeout, learner=learner, nb=nb)
        sub.file = rel
        return sub

    def report_progress(i: int, sub: Submission) -> None:
        if progress:
            progress(f"[{i}/{len(found)}] {sub.learner}: {sub.status}, {sub.count('right')}/{len(questions)} right"
                     f" ({sub.seconds:.1f} s){' — ' + sub.note if sub.note else ''}")

    folder = Path(folder)
    if jobs == 1:
        rows = []
        for i, (learner, p) in enumerate(found, 1):
            rows.append(one(learner, p))
            report_progress(i, rows[-1])
    else:  # threads only wait: each notebook runs in its own kernel process
        from concurrent.futures import ThreadPoolExecutor, as_completed

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(one, learner, p): k for k, (learner, p) in enumerate(found)}
            done: dict[int, Submission] = {}
            for i, fut in enumerate(as_completed(futures), 1):
                done[futures[fut]] = fut.result()
                report_progress(i, done[futures[fut]])
        rows = [done[k] for k in range(len(found))]
    report = GradeReport(module, questions, rows)
    if out is not None:
        report.to_csv(out)
    return report
