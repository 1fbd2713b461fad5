"""Run every ``benchmarks/bench_*.py`` in turn (``--smoke`` is passed on to each).

    python benchmarks/run_all.py            # full benchmarks (make bench)
    python benchmarks/run_all.py --smoke    # small data, a few seconds each (make test)

Each benchmark runs in its own process (so peak-memory figures do not mix). Exits non-zero when a
benchmark fails (wrong results or a crash); slow figures are printed, never fatal.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("no benchmarks/bench_*.py found")
        return 0
    failed = []
    for script in scripts:
        print(f"=== {script.name} {' '.join(argv)}", flush=True)
        t = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *argv], cwd=HERE.parent)
        print(f"=== {script.name}: {'ok' if rc == 0 else f'FAILED (exit {rc})'} in {time.perf_counter() - t:.1f}s\n",
              flush=True)
        if rc != 0:
            failed.append(script.name)
    if failed:
        print("failed:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
