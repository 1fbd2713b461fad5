"""``opsplaybook mapping init FILE... [--out mapping.yaml]``: a first mapping guessed from the files."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _mapping_init(args: argparse.Namespace) -> int:
    from .mapping import guess_mapping, mapping_yaml

    text = mapping_yaml(guess_mapping(args.files))
    if args.out in (None, "-"):
        sys.stdout.write(text)
        return 0
    from .._files import write_text_atomic  # the kit's one atomic writer (refuses to overwrite, usual file mode)

    out = write_text_atomic(Path(args.out), text, force=args.force)
    print(f"Wrote {out}: check each guess (the comments say why) before running the report.", file=sys.stderr)
    return 0


def add_parser(sub) -> None:
    m = sub.add_parser("mapping", help="map your columns to the kit's roles",
                       description="Work with the mapping file that says which of your columns is the "
                                   "user, the time, the amount …")
    msub = m.add_subparsers(dest="mapping_command", metavar="ACTION", required=True)
    init = msub.add_parser("init", help="guess a first mapping from your files' headers and values",
                           description="Read the first rows of each file (CSV in UTF-8 or GBK, Excel, "
                                       "Parquet), guess each column's role from its header (Chinese or "
                                       "English) and values, and write a mapping with a comment per guess.")
    init.add_argument("files", nargs="+", help="your exports: orders, events and/or users tables")
    init.add_argument("--out", default=None, help="mapping file to write (default: print to the screen)")
    init.add_argument("--force", action="store_true", help="replace an existing mapping file")
    init.set_defaults(func=_mapping_init)
