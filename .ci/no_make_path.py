"""CI: the install a Windows trainer does, without make — fresh venv, pip, the launcher.

    python .ci/no_make_path.py

1. a fresh virtual environment (outside the checkout's .venv);
2. ``pip install -r requirements-workshop.lock -e .`` — the two commands the README gives for Windows;
3. ``opsplaybook lab --port 0`` starts, prints its URL with the token, the URL answers 200 and the
   server refuses a request without the token; Ctrl+C stops it and the command exits 0;
4. ``python -m opsplaybook lab --dry-run`` works too.

Prints ``nomake: N passed, M failed`` last; exits non-zero when a step failed.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
results: list[tuple[str, bool, str]] = []


def step(name: str, ok: bool, detail: str = "") -> bool:
    results.append((name, ok, detail))
    print(f"[{'ok' if ok else 'FAILED'}] {name}" + (f": {detail}" if detail else ""), flush=True)
    return ok


def _status(url: str, headers: dict | None = None) -> int:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def main() -> int:
    # .ci/run starts this script in the background, and a shell runs background jobs with SIGINT
    # ignored, which every child inherits: the launcher would never see the Ctrl+C sent below. A
    # handler (not "ignore") is reset to the default in each child, as in a terminal.
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.default_int_handler)
    tmp = Path(tempfile.mkdtemp(prefix="opsplaybook-nomake-"))
    try:
        env_dir = tmp / "venv"
        t0 = time.perf_counter()
        venv.EnvBuilder(with_pip=True).create(env_dir)
        bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
        py = bindir / ("python.exe" if os.name == "nt" else "python")
        proc = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               "-r", "requirements-workshop.lock", "-e", "."], cwd=ROOT,
                              capture_output=True, text=True)
        if not step("pip install -r requirements-workshop.lock -e . in a fresh venv", proc.returncode == 0,
                    f"{time.perf_counter() - t0:.0f} s" if proc.returncode == 0 else proc.stderr[-2000:]):
            return 1
        freeze = subprocess.run([str(py), "-m", "pip", "freeze"], capture_output=True, text=True).stdout.lower()
        step("the workshop install has no development packages",
             not any(re.search(rf"^{name}==", freeze, re.M) for name in ("pytest", "pyspark", "hypothesis", "plotly")))

        dry = subprocess.run([str(py), "-m", "opsplaybook", "lab", "--dry-run"], cwd=ROOT, capture_output=True,
                             text=True)
        step("python -m opsplaybook lab --dry-run", dry.returncode == 0 and "Would run" in dry.stdout,
             (dry.stdout + dry.stderr)[-500:] if dry.returncode else "")

        env = {**os.environ, "OPSPLAYBOOK_HOME": str(tmp / "kit-home"), "PYTHONUNBUFFERED": "1"}
        lab = subprocess.Popen([str(bindir / "opsplaybook"), "lab", "--port", "0"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               stdin=subprocess.DEVNULL, start_new_session=True)
        lines: list[str] = []
        found = threading.Event()
        url_box: list[str] = []

        def reader():
            for line in lab.stdout:
                lines.append(line)
                m = re.search(r"(https?://\S+?/lab\?token=[0-9a-f]+)", line)
                if m and not url_box:
                    url_box.append(m.group(1))
                    found.set()

        threading.Thread(target=reader, daemon=True).start()
        found.wait(240)
        if not step("opsplaybook lab prints its URL with the token", bool(url_box), "".join(lines)[-1500:]):
            lab.kill()
            return 1
        url = url_box[0]
        base, token = url.split("/lab?token=")
        step("the URL with the token answers 200", _status(url) == 200, url.split("?")[0])
        step("without the token the server refuses", _status(f"{base}/api/status") in (401, 403))
        step("with the token the API answers", _status(f"{base}/api/status", {"Authorization": f"token {token}"}) == 200)
        os.killpg(lab.pid, signal.SIGINT)  # Ctrl+C in the terminal
        t_stop = time.perf_counter()
        try:
            rc = lab.wait(180)  # generous: a loaded CI machine needs time to shut the server down
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            rc = None
        step("Ctrl+C stops it cleanly", rc == 0,
             f"exit {rc} after {time.perf_counter() - t_stop:.0f} s" + ("" if rc == 0 else "\n" + "".join(lines[-15:])))
        time.sleep(1)
        step("and the server is gone", _status_or_none(f"{base}/api/status") is None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        passed = sum(ok for _, ok, _ in results)
        print(f"nomake: {passed} passed, {len(results) - passed} failed", flush=True)
    return 0 if all(ok for _, ok, _ in results) else 1


def _status_or_none(url: str) -> int | None:
    try:
        return _status(url)
    except (urllib.error.URLError, OSError):
        return None


if __name__ == "__main__":
    sys.exit(main())
