"""``opsplaybook build``: regenerate the notebooks from the workbook sources."""
from __future__ import annotations

import argparse
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    from .build import build

    root = Path(args.root).resolve()
    result = build(root, check=args.check)
    text = result.summary(root)
    if args.check or not args.quiet:
        print(text)
    return 1 if args.check and not result.ok else 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "build", help="build the notebooks (en/zh, teaching, exercises, solutions) from workbook/",
        description="Build every notebook from the bilingual sources in workbook/ (see workbook/README.md): "
                    "notebooks/en|zh, exercises/en|zh (learner versions) and exercises/solutions/en|zh. "
                    "Deterministic; a file is written only when its content changed.")
    p.add_argument("--root", default=".", help="the repository folder holding workbook/ (default: current folder)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and list the files that differ from a fresh build")
    p.add_argument("--quiet", action="store_true", help="print nothing unless --check")
    p.set_defaults(func=_build)
