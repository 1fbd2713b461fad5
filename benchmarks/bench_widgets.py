"""Benchmark: how long every live explorer takes from a value change to the finished update.

Every explorer registered in ``opsplaybook.widgets`` (:func:`opsplaybook.widgets.explorers`, so
the explorers of later modules are timed without editing this file) is built on the demo world
and driven through its ``demo_moves()`` — each control moved to a far option, a near one and back,
as a learner would. Two figures per explorer:

* **compute**: ``state.update(name=value)`` alone (the analytics behind the update);
  target ≤ 100 ms per update;
* **with chart**: ``widget.controls[name].value = value`` — what happens when a learner moves the
  control: the state update plus the redrawn chart (rendered to PNG) and tables; target ≤ 300 ms.

Each move is timed ``--repeat`` times; the report gives the median and the slowest update, and
the **ratio** slowest / target (≤ 1 meets the target). After every update the explorer's own
invariants (``state.check()``, e.g. "the parts add up to the change") are verified: a wrong
result exits non-zero; a slow figure never does. The machine's load average is printed too, since
the helpers of a 2-core machine share it.

    python benchmarks/bench_widgets.py            # demo world (5 000 users), 3 repeats
    python benchmarks/bench_widgets.py --smoke    # a 600-user world, 1 repeat (make test)
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

TARGET_COMPUTE_S = 0.100
TARGET_CHART_S = 0.300


def _load() -> str:
    try:
        return "load average %.1f / %.1f / %.1f" % os.getloadavg()
    except (AttributeError, OSError):  # Windows
        return "load average n/a"


def bench_explorer(info, world, *, repeat: int, lang: str) -> dict:
    t0 = time.perf_counter()
    widget = info.build(world, lang=lang)
    created = time.perf_counter() - t0
    moves = widget.demo_moves()
    compute, chart, wrong = [], [], []
    for _ in range(repeat):
        for name, value in moves:
            # compute only: the state, without the view (then put the state back where the controls are)
            t = time.perf_counter()
            widget.state.update(**{name: value})
            compute.append(time.perf_counter() - t)
            wrong += [f"{name}={value!r}: {w}" for w in widget.state.check()]
            widget.state.update(**{n: c.value for n, c in widget.controls.items()})
        for name, value in moves:
            before = widget.renders
            t = time.perf_counter()
            widget.controls[name].value = value  # what moving the control does
            chart.append(time.perf_counter() - t)
            if widget.renders != before + 1 or getattr(widget.state, name) != value:
                wrong.append(f"{name}={value!r}: the view did not update")
            wrong += [f"{name}={value!r}: {w}" for w in widget.state.check()]
    return {"name": info.name, "module": info.module, "created": created, "moves": len(moves),
            "compute": compute, "chart": chart, "wrong": wrong}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="a small world and 1 repeat (seconds)")
    ap.add_argument("--repeat", type=int, default=None, help="times each move is timed (default 3; smoke 1)")
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--only", default=None, help="time only this explorer (function name)")
    args = ap.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import opsplaybook as ops
    from opsplaybook.widgets import explorers

    repeat = args.repeat or (1 if args.smoke else 3)
    if args.smoke:
        world = ops.generate_world(n_users=600, seed=0, days=120)
        what = "a 600-user, 120-day world (smoke: the targets apply to the demo world)"
    else:
        world = ops.load_demo()
        what = "the demo world (5 000 users, 365 days)"
    registry = explorers()
    if args.only:
        if args.only not in registry:
            print(f"no explorer {args.only!r}; registered: {list(registry)}", file=sys.stderr)
            return 2
        registry = {args.only: registry[args.only]}
    print(f"Explorers on {what}; {repeat} repeat(s) of each move; {_load()}")
    print(f"targets: compute <= {TARGET_COMPUTE_S * 1000:.0f} ms, with chart <= {TARGET_CHART_S * 1000:.0f} ms "
          "per update (ratio = slowest / target)\n")
    header = (f"{'explorer':<28} {'mod':>3} {'build s':>7} {'moves':>5} | {'compute ms med/max':>18} {'ratio':>5} "
              f"| {'with chart ms med/max':>21} {'ratio':>5}")
    print(header)
    print("-" * len(header))
    failed = False
    for info in registry.values():
        r = bench_explorer(info, world, repeat=repeat, lang=args.lang)
        c, g = r["compute"], r["chart"]
        cr, gr = max(c) / TARGET_COMPUTE_S, max(g) / TARGET_CHART_S
        print(f"{r['name']:<28} {r['module'] if r['module'] is not None else '-':>3} {r['created']:>7.2f} "
              f"{r['moves']:>5} | {statistics.median(c) * 1000:>8.1f} / {max(c) * 1000:>7.1f} {cr:>5.2f} "
              f"| {statistics.median(g) * 1000:>10.1f} / {max(g) * 1000:>8.1f} {gr:>5.2f}")
        for w in r["wrong"]:
            failed = True
            print(f"  WRONG: {w}")
    print(f"\n{_load()}")
    if failed:
        print("some explorer gave a wrong result (see WRONG above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
