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
the **ratio** slowest / target (≤ 1 meets the target), in wall-clock time and in the process's CPU
time (which a busy machine disturbs less: the helpers of a 2-core machine share it, so the load
average is printed too). After every update the explorer's own
invariants (``state.check()``, e.g. "the parts add up to the change") are verified: a wrong
result exits non-zero; a slow figure never does.

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
    t0, c0 = time.perf_counter(), time.process_time()
    widget = info.build(world, lang=lang)
    created, created_cpu = time.perf_counter() - t0, time.process_time() - c0
    moves = widget.demo_moves()
    compute, chart, wrong = [], [], []
    compute_cpu, chart_cpu = [], []
    for _ in range(repeat):
        for name, value in moves:
            # compute only: the state, without the view (then put the state back where the controls are)
            t, c = time.perf_counter(), time.process_time()
            widget.state.update(**{name: value})
            compute.append(time.perf_counter() - t)
            compute_cpu.append(time.process_time() - c)
            wrong += [f"{name}={value!r}: {w}" for w in widget.state.check()]
            widget.state.update(**{n: c.value for n, c in widget.controls.items()})
        for name, value in moves:
            before = widget.renders
            t, c = time.perf_counter(), time.process_time()
            widget.controls[name].value = value  # what moving the control does
            chart.append(time.perf_counter() - t)
            chart_cpu.append(time.process_time() - c)
            if widget.renders != before + 1 or getattr(widget.state, name) != value:
                wrong.append(f"{name}={value!r}: the view did not update")
            wrong += [f"{name}={value!r}: {w}" for w in widget.state.check()]
    return {"name": info.name, "module": info.module, "created": created, "created_cpu": created_cpu,
            "moves": len(moves),
            "compute": compute, "chart": chart, "compute_cpu": compute_cpu, "chart_cpu": chart_cpu,
            "wrong": wrong}


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

    ops.set_theme(lang=args.lang)  # as the notebooks' first cell does (fonts and sizes of the charts)
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
    header = (f"{'explorer':<24} {'mod':>3} {'build s':>7} {'moves':>5} | {'compute ms':>10} {'med':>6} {'max':>6} "
              f"{'ratio':>5} | {'with chart ms':>13} {'med':>6} {'max':>6} {'ratio':>5}")
    print(header)
    print("-" * len(header))
    failed = False
    for info in registry.values():
        r = bench_explorer(info, world, repeat=repeat, lang=args.lang)
        for i, (kind, cpu) in enumerate((("wall", ""), ("cpu", "_cpu"))):
            c, g = r["compute" + cpu], r["chart" + cpu]
            head = (f"{r['name']:<24} {r['module'] if r['module'] is not None else '-':>3} {r['created']:>7.2f} "
                    f"{r['moves']:>5}") if i == 0 else f"{'':<24} {'':>3} {r['created_cpu']:>7.2f} {'':>5}"
            print(f"{head} | {kind:>10} {statistics.median(c) * 1000:>6.1f} {max(c) * 1000:>6.1f} "
                  f"{max(c) / TARGET_COMPUTE_S:>5.2f} | {kind:>13} {statistics.median(g) * 1000:>6.1f} "
                  f"{max(g) * 1000:>6.1f} {max(g) / TARGET_CHART_S:>5.2f}")
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
