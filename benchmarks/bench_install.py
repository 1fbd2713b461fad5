"""Benchmark of the two installs: the workshop lock (runtime) against the development lock.

For each of ``requirements-workshop.lock`` and ``requirements-dev.lock`` it measures, on this machine
in this run:

- **download**: ``pip download --no-deps -r <lock>`` into an empty folder — number of files and MB
  (what a slow classroom Wi-Fi or a USB bundle has to carry);
- **install**: a fresh virtual environment, then ``pip install --find-links <that folder> -r <lock>``
  (from the downloaded files, so the network does not enter the figure) — seconds, and the size of
  the environment on disk.

It prints the workshop figures as ratios of the development ones (target: the workshop download is
at most half the development one). Exits non-zero only when an install fails or the installed
environment lacks a pinned package (a wrong result), never for slow figures.

    python benchmarks/bench_install.py            # full: downloads ~1 GB, several minutes (make bench)
    python benchmarks/bench_install.py --smoke    # reads the locks, prints what it would measure (make test)
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {"workshop": ROOT / "requirements-workshop.lock", "dev": ROOT / "requirements-dev.lock"}
TARGET_DOWNLOAD_RATIO = 0.5


def _pins(lock: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from opsplaybook.classroom import lock_requirements

    return lock_requirements(lock)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def measure(name: str, lock: Path, tmp: Path) -> dict:
    pins = _pins(lock)
    dl = tmp / f"{name}-files"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "-d", str(dl), "-r", str(lock)], check=True)
    t_download = time.perf_counter() - t0
    env_dir = tmp / f"{name}-venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    t0 = time.perf_counter()
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--find-links", str(dl), "-r", str(lock)], check=True)
    t_install = time.perf_counter() - t0
    freeze = subprocess.run([str(py), "-m", "pip", "freeze"], capture_output=True, text=True, check=True).stdout
    have = {_norm(line.split("==")[0]) for line in freeze.splitlines() if "==" in line}
    missing = sorted({_norm(p.split("==")[0]) for p in pins} - have)
    out = {"lock": lock.name, "pins": len(pins), "files": len(list(dl.iterdir())), "download_mb": _size(dl) / 1e6,
           "download_s": t_download, "install_s": t_install, "venv_mb": _size(env_dir) / 1e6, "missing": missing}
    shutil.rmtree(dl, ignore_errors=True)
    shutil.rmtree(env_dir, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="read the locks and print the plan only")
    args = ap.parse_args(argv)
    for name, lock in LOCKS.items():
        if not lock.is_file():
            print(f"missing {lock.name}")
            return 1
    if args.smoke:
        for name, lock in LOCKS.items():
            print(f"{name}: {lock.name}, {len(_pins(lock))} pinned packages — full mode downloads them "
                  f"(pip download --no-deps) and installs them into a fresh venv from the downloaded files")
        print(f"(smoke mode: nothing downloaded; target workshop/dev download ratio <= {TARGET_DOWNLOAD_RATIO})")
        return 0
    rows = {}
    with tempfile.TemporaryDirectory(prefix="opsplaybook-bench-install-") as tmp:
        for name, lock in LOCKS.items():
            print(f"measuring {name} ({lock.name}) ...", flush=True)
            rows[name] = measure(name, lock, Path(tmp))
    print(f"\n{'lock':<28}{'pins':>6}{'files':>7}{'download MB':>13}{'install s':>11}{'venv MB':>9}")
    for r in rows.values():
        print(f"{r['lock']:<28}{r['pins']:>6}{r['files']:>7}{r['download_mb']:>13.0f}{r['install_s']:>11.0f}"
              f"{r['venv_mb']:>9.0f}")
    w, d = rows["workshop"], rows["dev"]
    ratio = w["download_mb"] / d["download_mb"]
    print(f"\nworkshop / dev: download {ratio:.2f} (target <= {TARGET_DOWNLOAD_RATIO}: "
          f"{'met' if ratio <= TARGET_DOWNLOAD_RATIO else 'NOT met'}), install time "
          f"{w['install_s'] / d['install_s']:.2f}, environment size {w['venv_mb'] / d['venv_mb']:.2f}")
    print(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    bad = {r["lock"]: r["missing"] for r in rows.values() if r["missing"]}
    if bad:
        print(f"WRONG: installed environments lack pinned packages: {bad}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
