"""Re-pin the two lock files from pyproject.toml (run by ``make lock``).

    python scripts/lock.py            # writes requirements-dev.lock, then requirements-workshop.lock
    python scripts/lock.py --upgrade  # the same, moving every pin to the newest release allowed

Like pip-tools, a re-run keeps the versions already pinned (so adding one dependency changes only
what it brings in) unless ``--upgrade``; when the kept pins cannot satisfy a new requirement, the set
is resolved afresh and the run says so.

* ``requirements-dev.lock``: the kit with ``[dev]`` (runtime + tests, Spark, plotly, JupyterHub ...).
* ``requirements-workshop.lock``: the runtime only, resolved with the dev lock as constraints, so every
  version a workshop installs is the very version the test suite ran with.

Each set is resolved by a clean pip in a fresh virtual environment (``pip install --dry-run
--ignore-installed --report``): nothing already installed on the machine leaks into the pins, and
nothing is installed, so a re-run takes about a minute. The pins are for this interpreter
(CPython 3.11 on Linux, as CI); packages that only Windows or macOS pull in (``pywinpty``,
``colorama``, ``appnope`` ...) are found from the resolved packages' own requirement markers,
pinned for those platforms and written with an environment marker, so ``pip install -r
requirements-workshop.lock`` pins them there too and ``opsplaybook bundle --platform win_amd64``
downloads them.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Full version: some pins need a patch release (e.g. soupsieve 4.1 needs Python >= 3.11.5).
_PY_VERSION = ".".join(map(str, sys.version_info[:3]))
DEV_LOCK = ROOT / "requirements-dev.lock"
WORKSHOP_LOCK = ROOT / "requirements-workshop.lock"
# Environment markers of the other platforms a classroom uses (pip evaluates markers for the machine
# it runs on, even with --platform, so packages only Windows or macOS need are found here instead).
OTHER_PLATFORMS = {
    "win32": ({"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows",
               "platform_machine": "AMD64"}, ["win_amd64"]),
    "darwin": ({"sys_platform": "darwin", "os_name": "posix", "platform_system": "Darwin",
                "platform_machine": "arm64"}, ["macosx_11_0_arm64", "macosx_10_9_universal2"]),
}

try:  # pip vendors packaging; a plain interpreter may not have it
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
except ImportError:  # pragma: no cover
    from pip._vendor.packaging.markers import default_environment
    from pip._vendor.packaging.requirements import Requirement


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _resolve(pip: list[str], reqs: list[str], *, constraints: Path | None = None,
             platforms: list[str] | None = None, requires: dict | None = None) -> dict[str, tuple[str, str]]:
    """``{normalized name: (name as published, version)}`` of what pip would install (and, into
    ``requires``, each package's declared requirements)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [*pip, "install", "--quiet", "--dry-run", "--ignore-installed", "--report", str(report)]
        if constraints is not None:
            cmd += ["-c", str(constraints)]
        if platforms:
            cmd += ["--only-binary=:all:", "--python-version", _PY_VERSION,
                    "--implementation", "cp", "--target", str(Path(tmp) / "target")]
            for plat in platforms:
                cmd += ["--platform", plat]
        subprocess.run([*cmd, *reqs], check=True, cwd=ROOT)
        data = json.loads(report.read_text(encoding="utf-8"))
    out = {}
    for item in data["install"]:
        meta = item["metadata"]
        if requires is not None:
            requires[_norm(meta["name"])] = (meta.get("requires_dist") or [], item.get("requested_extras") or [])
        if _norm(meta["name"]) == "opsplaybook":
            continue
        out[_norm(meta["name"])] = (meta["name"], meta["version"])
    return out


def _reachable(requires: dict, env: dict) -> set[str]:
    """Packages the kit pulls in on a platform with marker values ``env`` (walking the requirements)."""
    seen: set = set()
    todo = [("opsplaybook", frozenset(requires["opsplaybook"][1]))]
    while todo:
        key, extras = todo.pop()
        if (key, extras) in seen:
            continue
        seen.add((key, extras))
        for text in requires.get(key, ([], []))[0]:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({**env, "extra": e}) for e in (extras or {""})):
                todo.append((_norm(req.name), frozenset(req.extras)))
    return {key for key, _ in seen}


def _markers(requires: dict, keys) -> dict[str, str | None]:
    """``{package: marker}``: None where every platform needs it, else the platforms that do."""
    envs = {"linux": default_environment(),
            **{plat: {**default_environment(), **upd} for plat, (upd, _) in OTHER_PLATFORMS.items()}}
    reach = {plat: _reachable(requires, env) for plat, env in envs.items()}
    out = {}
    for key in keys:
        plats = [plat for plat in envs if key in reach[plat]]
        # every platform, or none found by the walk (pip resolved it anyway): no marker, pinned everywhere
        out[key] = None if len(plats) in (0, len(envs)) else " or ".join(f'sys_platform == "{p}"' for p in plats)
    return out


def _write(path: Path, title: str, pins: dict[str, tuple[str, str]],
           extra: dict[str, tuple[str, str, str]], requires: dict) -> None:
    lines = [f"# {title}",
             f"# Generated by `make lock` (scripts/lock.py) for CPython {sys.version_info.major}.{sys.version_info.minor}; "
             "do not edit by hand.",
             "# Install: pip install -r " + path.name + " -e ."]
    every = {**pins, **{k: (n, v) for k, (n, v, _) in extra.items()}}
    markers = _markers(requires, every)
    for key, (name, version) in sorted(every.items()):
        marker = markers[key]
        lines.append(f"{name}=={version}" + (f" ; {marker}" if marker else ""))
    tmp = path.with_suffix(".lock.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path.name}: {len(pins) + len(extra)} pins")


def _platform_only(requires: dict, have: dict, env_update: dict) -> set[str]:
    """Requirements of the resolved set that apply on another platform but not on this one."""
    env = {**default_environment(), **env_update}
    names = set()
    for key, (reqs, extras) in requires.items():
        for text in reqs:
            req = Requirement(text)
            if _norm(req.name) in have or req.marker is None:
                continue
            ok = any(req.marker.evaluate({**env, "extra": e}) for e in (extras or [""]))
            if ok:
                names.add(str(req).split(";")[0].strip())
    return names


def _others(pip: list[str], requires: dict, have: dict, constraints: Path) -> dict[str, tuple[str, str, str]]:
    """Packages only Windows or macOS need, pinned, with their environment marker."""
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for plat, (env_update, tags) in OTHER_PLATFORMS.items():
        todo = _platform_only(requires, have, env_update)
        if not todo:
            continue
        more: dict = {}
        pins = _resolve(pip, sorted(todo), constraints=constraints, platforms=tags, requires=more)
        found[plat] = {k: v for k, v in pins.items() if k not in have}
        for key, value in more.items():
            requires.setdefault(key, value)
    extra: dict[str, tuple[str, str, str]] = {}
    for plat, pins in found.items():
        for key, (name, version) in pins.items():
            if key in extra:  # needed on both
                extra[key] = (name, version, 'sys_platform == "win32" or sys_platform == "darwin"')
            else:
                extra[key] = (name, version, f'sys_platform == "{plat}"')
    return extra


def _previous() -> Path | None:
    for path in (DEV_LOCK, ROOT / "requirements.lock"):  # requirements.lock: before the split
        if path.exists():
            return path
    return None


def _keep(path: Path, tmp: str) -> Path:
    """The pins of an existing lock as constraints (markers dropped: they are this platform's)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and ";" not in line:
            rows.append(line.strip())
    out = Path(tmp) / "previous.txt"
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    upgrade = "--upgrade" in argv
    with tempfile.TemporaryDirectory(prefix="opsplaybook-lock-") as tmp:
        env_dir = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
        py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        pip = [str(py), "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)

        dev_requires: dict = {}
        previous = None if upgrade else _previous()
        try:
            if previous is None:
                raise subprocess.CalledProcessError(0, "no previous pins")
            dev = _resolve(pip, [".[dev]"], constraints=_keep(previous, tmp), requires=dev_requires)
            print(f"kept the versions pinned in {previous.name} (--upgrade moves them)")
        except subprocess.CalledProcessError:
            if previous is not None:
                print(f"note: the pins of {previous.name} no longer fit; resolving afresh", file=sys.stderr)
            dev_requires.clear()
            dev = _resolve(pip, [".[dev]"], requires=dev_requires)
        dev_extra = _others(pip, dev_requires, dev, _constraints(tmp, dev))
        _write(DEV_LOCK, "opsplaybook: runtime + [dev] (tests, Spark, plotly, Playwright, JupyterHub)", dev, dev_extra,
               dev_requires)

        cons = _constraints(tmp, dev, dev_extra)
        ws_requires: dict = {}
        workshop = _resolve(pip, ["."], constraints=cons, requires=ws_requires)
        ws_extra = _others(pip, ws_requires, workshop, cons)
        _write(WORKSHOP_LOCK, "opsplaybook: what a workshop needs (runtime only)", workshop, ws_extra, ws_requires)
        missing = set(workshop) - set(dev)
        if missing:
            print(f"error: the workshop set has packages the dev set lacks: {sorted(missing)}", file=sys.stderr)
            return 1
    shutil.rmtree(ROOT / ".lockvenv", ignore_errors=True)
    return 0


def _constraints(tmp: str, pins: dict, extra: dict | None = None) -> Path:
    path = Path(tmp) / "constraints.txt"
    rows = [f"{n}=={v}" for n, v in pins.values()] + [f"{n}=={v}" for n, v, _ in (extra or {}).values()]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
