"""``opsplaybook report``: the playbook on a team's files (or ``--demo``)."""
from __future__ import annotations

import argparse
import sys


def _report(args: argparse.Namespace) -> int:
    from .run import report

    if args.demo:
        if args.events or args.users or args.orders:
            print("opsplaybook report: error: --demo runs on the demo company; leave out --events/--users/--orders.",
                  file=sys.stderr)
            return 2
        from ..world import load_demo

        w = load_demo()
        tables = {"events": w.events, "users": w.users, "orders": w.orders}
        mapping = {"tables": {"events": {"columns": {"user": "user_id", "time": "ts", "event": "event"}},
                              "users": {"columns": {"user": "user_id", "signup_time": "signup_ts",
                                                    "channel": "channel", "city_tier": "city_tier",
                                                    "name": "name"}},
                              "orders": {"columns": {"user": "user_id", "time": "ts", "amount": "amount",
                                                     "order_id": "order_id", "category": "category"}}},
                   "funnel": ["visit", "view", "cart", "checkout", "purchase"]}
    else:
        tables = {"events": args.events, "users": args.users, "orders": args.orders}
        mapping = args.mapping
    res = report(**tables, mapping=mapping, out=args.out, engine=args.engine, lang=args.lang, force=args.force,
                 progress=not args.quiet, notebook=not args.no_notebook)
    if not args.quiet:
        skipped = [k for k, s in res.sections.items() if s.skipped]
        print(f"Report written to {res.out} (open report.html)." +
              (f" Sections not shown: {', '.join(skipped)}." if skipped else ""))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="run the playbook on your data and write a report folder",
                       description="Read your exports (CSV in UTF-8 or GBK, Excel, Parquet), map and validate "
                                   "them, run the analyses they allow, and write report.html, per-user "
                                   "exports and summary.json into a new folder.")
    p.add_argument("--orders", help="orders table (needed)")
    p.add_argument("--events", help="event log (adds funnel, retention, lifecycle, revenue split)")
    p.add_argument("--users", help="users table (adds profile columns, new users)")
    p.add_argument("--mapping", help="mapping.yaml (default: guessed from the headers; see `opsplaybook mapping init`)")
    p.add_argument("--out", required=True, help="report folder (new, or --force to replace)")
    p.add_argument("--engine", choices=["auto", "pandas", "duckdb", "polars", "spark"], default="auto",
                   help="how files are read (default auto: pandas up to 300 MB, DuckDB above)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default zh)")
    p.add_argument("--demo", action="store_true", help="run on the demo company")
    p.add_argument("--force", action="store_true", help="replace an existing report folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-notebook", action="store_true",
                   help="skip the executed playbook notebook (playbook.ipynb; saves some seconds)")
    p.set_defaults(func=_report)
