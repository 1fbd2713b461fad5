"""The ``opsplaybook`` command: thin argument parsing over the package's functions.

    opsplaybook generate --users 5000 --seed 0 --out datasets/demo
    opsplaybook gallery --out docs/gallery --lang zh
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time

from .errors import OpsPlaybookError


def _generate(args: argparse.Namespace) -> int:
    from .world import write_world

    t0 = time.perf_counter()
    out = write_world(args.out, n_users=args.users, start=args.start, days=args.days, preset=args.preset,
                      locale=args.locale, seed=args.seed, format=args.format, force=args.force,
                      progress=not args.quiet, workers=args.workers, end=args.end)
    if not args.quiet:
        print(f"Wrote a {args.preset} world of {args.users:,} users (seed {args.seed}) to {out} "
              f"in {time.perf_counter() - t0:.1f} s.")
    return 0


def _gallery(args: argparse.Namespace) -> int:
    from .charts.gallery import build_gallery

    res = build_gallery(args.out, lang=args.lang)
    print(f"Gallery: {len(res.images)} charts in {args.out}, index {res.markdown}")
    for name, err in res.failed.items():
        print(f"  failed: {name}: {err.strip().splitlines()[-1]}", file=sys.stderr)
    for name in res.missing:
        print(f"  no gallery entry: {name}", file=sys.stderr)
    return 0 if res.ok else 1


def build_parser() -> argparse.ArgumentParser:
    from .world.locales import LOCALES
    from .world.presets import PRESETS

    parser = argparse.ArgumentParser(
        prog="opsplaybook",
        description="opsplaybook — user-operations (用户运营) workbook kit: synthetic data, analyses, charts.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__import__('opsplaybook').__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    g = sub.add_parser("generate", help="write a seeded synthetic company to a new folder",
                       description="Generate a seeded synthetic company (users, events, orders, surveys, "
                                   "experiment, points, planted truth) chunk by chunk into a new folder.")
    g.add_argument("--users", type=int, default=5000, help="number of registered users (default 5000)")
    g.add_argument("--seed", type=int, default=0, help="random seed: same seed, same data (default 0)")
    g.add_argument("--out", required=True, help="output folder (must be new or empty unless --force)")
    g.add_argument("--format", choices=["parquet", "csv"], default="parquet", help="file format (default parquet)")
    g.add_argument("--preset", choices=list(PRESETS), default="ecommerce", help="kind of company (default ecommerce)")
    g.add_argument("--locale", choices=list(LOCALES), default="zh_CN", help="language of names and labels (default zh_CN)")
    g.add_argument("--start", default="2025-01-01", help="first day (default 2025-01-01)")
    g.add_argument("--days", type=int, default=365, help="length in days (default 365)")
    g.add_argument("--end", default=None, help="last day, inclusive (overrides --days), e.g. 2025-06-30")
    g.add_argument("--force", action="store_true", help="replace an output folder that already holds data")
    g.add_argument("--workers", type=int, default=None,
                   help="processes generating in parallel (default: CPUs, at most 4; the data does not depend on it)")
    g.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    g.set_defaults(func=_generate)

    gal = sub.add_parser("gallery", help="draw every chart from the demo world into a folder",
                         description="Render every chart of the kit from the demo world as PNG files plus a "
                                     "Markdown index, so trainers can browse them.")
    gal.add_argument("--out", default="docs/gallery", help="output folder (default docs/gallery)")
    gal.add_argument("--lang", choices=["zh", "en"], default="zh", help="label language (default zh)")
    gal.set_defaults(func=_gallery)

    # Sub-commands that live beside the code they run: each module has
    # ``add_parser(subparsers)`` which registers its command(s) with ``set_defaults(func=...)``.
    # The modules import their heavy dependencies inside the command function, not at import.
    for modname in _PLUGIN_COMMANDS:
        full = importlib.util.resolve_name(modname, __package__)
        try:
            mod = importlib.import_module(full)
        except ModuleNotFoundError as exc:  # a part of the kit that is not there (yet)
            if exc.name and full.startswith(exc.name):
                continue
            raise
        mod.add_parser(sub)
    return parser


# Modules (relative to this package) that add sub-commands; see ``build_parser``.
_PLUGIN_COMMANDS = (
    ".workbook.cli",      # build
    ".exercises.cli",     # check, grade
    ".launcher",          # lab, bundle
    ".classroom",         # classroom init
    ".io.cli",            # mapping init
    ".reporting.cli",     # report
)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except OpsPlaybookError as exc:
        print(f"opsplaybook {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
