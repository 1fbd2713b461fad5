"""``opsplaybook check FILE`` (a learner's own notebook) and ``opsplaybook grade FOLDER`` (a room's)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _check(args: argparse.Namespace) -> int:
    from ..errors import InvalidParameterError
    from .grading import grade_notebook
    from .view import render_plain

    path = Path(args.file)
    if not path.is_file():
        raise InvalidParameterError(f"`FILE`={args.file!r} is not a file. Pass your exercise notebook, e.g. "
                                    f"exercises/zh/00-合成公司与运营数据体系-exercises.ipynb")
    from .grading import _meta, _read

    nb, _ = _read(path)
    lang = args.lang or (_meta(nb).get("lang") if nb else None) or "zh"
    lang = lang if lang in ("zh", "en") else "zh"
    print(f"Running {path} in a fresh kernel (on a copy; your file is not changed) ...", file=sys.stderr)
    sub = grade_notebook(path, timeout=args.timeout)
    if sub.status not in ("graded", "timeout"):
        print(f"{path}: {sub.status}: {sub.note}")
        return 1
    for q, outcome in sub.outcomes.items():
        title = f"{q.upper()}" if lang == "en" else f"第 {q[1:]} 题"
        msg = sub.messages.get(q) or ("the check did not run (a cell before it raised, or the time ran out)"
                                      if lang == "en" else "检查没有运行（前面的单元格出错了，或者超时了）")
        print(render_plain(outcome, msg.splitlines()[0] if outcome != "wrong" else msg, lang=lang, title=title))
    right = sub.count("right")
    if sub.status == "timeout":
        print("\n" + sub.note)
    print(f"\n{right}/{len(sub.outcomes)} right" + (f" — {sub.note}" if sub.note and sub.status != "timeout" else "")
          + f" ({sub.seconds:.1f} s)")
    return 0 if right == len(sub.outcomes) else 1


def _grade(args: argparse.Namespace) -> int:
    from .grading import grade

    def progress(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr)

    from .grading import default_jobs

    report = grade(args.folder, module=args.module, timeout=args.timeout, out=args.out,
                   jobs=args.jobs if args.jobs is not None else default_jobs(), progress=progress)
    print(report.render())
    if args.out:
        print(f"\nwrote {args.out} ({len(report.rows)} submissions, {len(report.questions)} questions)")
    return 0


def add_parser(subparsers) -> None:
    c = subparsers.add_parser(
        "check", help="check your own exercise notebook (runs a copy in a fresh kernel)",
        description="Run an exercise notebook from top to bottom in a fresh kernel, on a copy (the file is "
                    "not changed), and print each question's result: right, wrong (with what to look at), "
                    "not attempted. Exit status 0 when every answer is right.")
    c.add_argument("file", metavar="FILE", help="the exercise notebook (.ipynb)")
    c.add_argument("--timeout", type=float, default=120, help="seconds the notebook may run (default 120)")
    c.add_argument("--lang", choices=["zh", "en"], default=None,
                   help="language of the summary (default: the notebook's own)")
    c.set_defaults(func=_check)

    g = subparsers.add_parser(
        "grade", help="grade a folder of learners' exercise notebooks into a learner × question table",
        description="Run every notebook under FOLDER (flat, or one sub-folder per learner; any file names) "
                    "on a copy in a fresh kernel with a time limit, and print and write a learner × question "
                    "table: right / wrong / not attempted / error, with totals. Learners' files are never "
                    "changed; a broken, endless, foreign or non-notebook file gets a row saying what happened.")
    g.add_argument("folder", metavar="FOLDER", help="the folder of submissions")
    g.add_argument("--out", default="grades.csv", help="CSV file to write (default grades.csv; UTF-8 for Excel)")
    g.add_argument("--module", default=None, help="module to grade, e.g. 00 (default: the one most notebooks are)")
    g.add_argument("--timeout", type=float, default=120, help="seconds each notebook may run (default 120)")
    g.add_argument("--jobs", type=int, default=None,
                   help="notebooks run at once, each in its own kernel (default: half the CPUs, 1 to 4)")
    g.add_argument("--quiet", action="store_true", help="no progress lines")
    g.set_defaults(func=_grade)
