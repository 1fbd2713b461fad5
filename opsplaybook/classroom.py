"""Installing the workshop where the network is poor or laptops are locked down.

``opsplaybook bundle DIR``
    A folder a trainer copies onto USB sticks: every wheel the workshop lock needs (for this machine
    or, with ``--platform``, for the learners' Windows or macOS laptops), the kit's own wheel built
    from this checkout, the workshop folder (built notebooks, learner exercises, the demo data) and
    install/start scripts that run ``pip install --no-index --find-links wheels`` — no network.

``opsplaybook classroom init DIR``
    A JupyterHub folder for a room on one server: ``jupyterhub_config.py`` (first-use passwords,
    the trainer as admin, each learner's own copy of the workshop, the idle culler), a README and
    the workshop content learners' homes are filled from.

``opsplaybook classroom collect HOMES OUT``
    Each learner's exercise notebooks copied out of their homes (one sub-folder per learner), ready
    for ``opsplaybook grade OUT/NN``.

Both need a checkout of the repository (they copy its built notebooks and read its lock file).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import InvalidParameterError, OpsPlaybookError, OutputExistsError, did_you_mean

__all__ = ["BundleResult", "bundle", "classroom_init", "collect", "lock_requirements", "marker_environment",
           "workshop_files", "add_parser"]

#: pip platform tags a trainer is likely to prepare for (any other tag pip knows is accepted too)
KNOWN_PLATFORMS = ("win_amd64", "win_arm64", "macosx_14_0_arm64", "macosx_11_0_arm64", "macosx_10_13_x86_64",
                   "manylinux_2_28_x86_64", "manylinux2014_x86_64", "manylinux_2_28_aarch64")
LANGS = ("zh", "en", "both")
_PLATFORM_TAG = re.compile(r"win32|win_amd64|win_arm64|macosx_\d+_\d+_(arm64|x86_64|universal2)"
                           r"|(manylinux|musllinux)(1|2010|2014|_\d+_\d+)_(x86_64|aarch64|i686)")


class BundleError(OpsPlaybookError, RuntimeError):
    """pip could not download or build what the bundle needs (the message shows pip's words)."""


# ----------------------------------------------------------------------------- the checkout
def _build_kit_wheel(root: Path, wheels: Path, *, quiet: bool) -> None:
    """The kit's wheel, built from a copy of its sources in a temporary folder: building in the
    checkout would leave ``build/`` and ``*.egg-info`` there (and two builds at once would share them)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="opsplaybook-wheel-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(root / "opsplaybook", src / "opsplaybook",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy2(root / name, src / name)
        _pip(["wheel", "--no-deps", "--wheel-dir", str(wheels), str(src)],
             what="build the kit's wheel", quiet=quiet)


def _checkout() -> Path:
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "requirements-workshop.lock").is_file():
        return root
    raise InvalidParameterError(
        f"this command needs a checkout of the opsplaybook repository (its built notebooks and "
        f"requirements-workshop.lock), but the kit is installed from a wheel at {root}. Run it from a "
        f"clone installed with `pip install -e .`.")


def workshop_files(root: Path | None = None, *, lang: str = "both", solutions: bool = False) -> list[tuple[Path, Path]]:
    """``(source file, path inside the workshop folder)`` of what learners get.

    The built teaching notebooks (``notebooks/<lang>/``), the learner exercises
    (``exercises/<lang>/``, plus ``exercises/solutions/<lang>/`` when ``solutions``), the demo world
    (``datasets/demo/``) and the data dictionary. Before the workbook is built (no
    ``notebooks/<lang>/``) the flat ``notebooks/*.ipynb`` are taken.
    """
    if lang not in LANGS:
        raise InvalidParameterError(f"`lang`={lang!r} is not allowed. Allowed: {list(LANGS)}."
                                    + did_you_mean(lang, LANGS))
    root = _checkout() if root is None else Path(root)
    langs = ("zh", "en") if lang == "both" else (lang,)
    dirs = [Path("notebooks") / x for x in langs] + [Path("exercises") / x for x in langs]
    if solutions:
        dirs += [Path("exercises") / "solutions" / x for x in langs]
    dirs.append(Path("datasets") / "demo")
    out: list[tuple[Path, Path]] = []
    for d in dirs:
        if (root / d).is_dir():
            out += [(p, p.relative_to(root)) for p in sorted((root / d).rglob("*")) if _wanted(p, root)]
    if not any(rel.parts[0] == "notebooks" for _, rel in out):
        out += [(p, p.relative_to(root)) for p in sorted((root / "notebooks").glob("*.ipynb"))]
    for single in ("datasets/README.md", "exercises/README.md"):
        if (root / single).is_file():
            out.append((root / single, Path(single)))
    return out


def _wanted(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    return path.is_file() and not any(p in (".ipynb_checkpoints", "__pycache__") or p.startswith(".")
                                      for p in rel.parts)


def _copy_files(files: list[tuple[Path, Path]], dest: Path) -> None:
    for src, rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)


# ----------------------------------------------------------------------------- locks and platforms
def marker_environment(platform: str | None = None) -> dict[str, str]:
    """Environment-marker values of the machine a bundle is for (``None``: this machine).

    pip evaluates markers (``; sys_platform == "win32"``) for the machine it runs on even with
    ``--platform``; this gives the target's values so the lock's Windows- or macOS-only lines are
    chosen right.
    """
    from packaging.markers import default_environment

    env = dict(default_environment())
    if platform is None:
        return env
    if not isinstance(platform, str) or not _PLATFORM_TAG.fullmatch(platform):
        raise InvalidParameterError(
            f"`platform`={platform!r} is not a pip platform tag this command knows. Known: "
            f"{list(KNOWN_PLATFORMS)} (any macosx_N_M_<arch> or manylinux tag also works)."
            + did_you_mean(platform, KNOWN_PLATFORMS))
    if platform.startswith("win"):
        env.update(sys_platform="win32", os_name="nt", platform_system="Windows",
                   platform_machine="ARM64" if platform.endswith("arm64") else "AMD64")
    elif platform.startswith("macosx"):
        env.update(sys_platform="darwin", os_name="posix", platform_system="Darwin",
                   platform_machine="arm64" if platform.endswith("arm64") else "x86_64")
    elif "linux" in platform:
        env.update(sys_platform="linux", os_name="posix", platform_system="Linux",
                   platform_machine="aarch64" if platform.endswith("aarch64") else "x86_64")
    else:
        raise InvalidParameterError(
            f"`platform`={platform!r} is not a pip platform tag this command knows. Known: "
            f"{list(KNOWN_PLATFORMS)}." + did_you_mean(platform, KNOWN_PLATFORMS))
    return env


def lock_requirements(lock: Path, *, platform: str | None = None) -> list[str]:
    """The ``name==version`` lines of a lock file that apply on ``platform`` (markers evaluated)."""
    from packaging.requirements import InvalidRequirement, Requirement

    env = marker_environment(platform)
    out = []
    for i, line in enumerate(Path(lock).read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            req = Requirement(text)
        except InvalidRequirement as exc:
            raise InvalidParameterError(f"{lock}, line {i}: {line!r} is not a requirement ({exc}).") from None
        pins = [s for s in req.specifier if s.operator == "=="]
        if not pins:
            raise InvalidParameterError(f"{lock}, line {i}: {line!r} is not pinned (name==version); "
                                        f"re-pin with `make lock`.")
        if req.marker is None or req.marker.evaluate(env):
            out.append(f"{req.name}=={pins[0].version}")
    return out


# ----------------------------------------------------------------------------- bundle
@dataclass
class BundleResult:
    """What :func:`bundle` wrote."""

    path: Path
    wheels: list[Path] = field(default_factory=list)
    kit_wheel: Path | None = None
    platform: str | None = None
    python_version: str | None = None

    @property
    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def _pip(args: list[str], *, what: str, quiet: bool) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                          errors="replace")
    if proc.returncode != 0:
        tail = "\n".join(line for line in proc.stdout.strip().splitlines()[-12:])
        hint = ""
        if "No matching distribution" in proc.stdout or "Could not find a version" in proc.stdout:
            hint = ("\nA package has no wheel for that platform/Python: check --platform and --python-version "
                    "(the learners' Python, e.g. 3.11.9), or re-pin with `make lock`.")
        raise BundleError(f"pip could not {what} (exit {proc.returncode}):\n{tail}{hint}")
    if not quiet:
        saved = sum(line.startswith("Saved") for line in proc.stdout.splitlines())
        if saved:
            print(f"  {saved} file(s) saved", flush=True)


def _prepare_out(out: Path, force: bool) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not force:
            raise OutputExistsError(f"`out`={str(out)!r} already holds files; choose a new folder or pass "
                                    f"--force to replace it.")


def _replace(tmp: Path, out: Path) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


def _template(*parts: str) -> str:
    return resources.files("opsplaybook").joinpath("classroom_files", *parts).read_text(encoding="utf-8")


def bundle(out, *, platform: str | None = None, python_version: str | None = None, lock=None,
           lang: str = "both", solutions: bool = False, force: bool = False, quiet: bool = True) -> BundleResult:
    """Write an offline installation folder (see the module docstring) and return what it holds.

    Parameters
    ----------
    out : path
        New (or empty) folder; written atomically (a temporary sibling folder, then renamed).
    platform : str, optional
        pip platform tag of the learners' laptops, e.g. ``"win_amd64"`` (Windows, 64-bit),
        ``"macosx_14_0_arm64"`` (Apple silicon). ``None``: this machine.
    python_version : str, optional
        The learners' Python, e.g. ``"3.11.9"`` (default: this interpreter's version).
    lock : path, optional
        Pinned requirements (default: the checkout's ``requirements-workshop.lock``).
    lang : {"both", "zh", "en"}
        Which built notebooks go into the workshop folder.
    solutions : bool
        Also copy ``exercises/solutions/`` (a trainer's copy; learners' bundles leave it out).
    force : bool
        Replace ``out`` when it already holds files.
    """
    root = _checkout()
    out = Path(out).expanduser().resolve()
    _prepare_out(out, force)
    lock = Path(lock) if lock is not None else root / "requirements-workshop.lock"
    if not lock.is_file():
        raise InvalidParameterError(f"`lock`={str(lock)!r} does not exist; pass the path of a lock file "
                                    f"(e.g. requirements-workshop.lock).")
    if python_version is not None and not re.fullmatch(r"3\.\d+(\.\d+)?", python_version):
        raise InvalidParameterError(f"`python_version`={python_version!r} is not a Python 3 version such as "
                                    f"'3.11' or '3.11.9'.")
    python_version = python_version or ".".join(map(str, sys.version_info[:3]))
    reqs = lock_requirements(lock, platform=platform)
    files = workshop_files(root, lang=lang, solutions=solutions)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        wheels = tmp / "wheels"
        wheels.mkdir()
        (tmp / "requirements.txt").write_text(
            f"# The workshop's pinned packages for {platform or 'this platform'}, Python {python_version}\n"
            + "\n".join(reqs) + "\n", encoding="utf-8")
        if not quiet:
            print(f"Downloading {len(reqs)} wheels for {platform or 'this platform'}, Python {python_version} ...",
                  flush=True)
        args = ["download", "--no-deps", "--only-binary=:all:", "--dest", str(wheels),
                "-r", str(tmp / "requirements.txt"), "--python-version", python_version]
        if platform:
            args += ["--platform", platform, "--implementation", "cp"]
        _pip(args, what="download the workshop's wheels", quiet=quiet)
        if not quiet:
            print("Building the kit's own wheel ...", flush=True)
        _build_kit_wheel(root, wheels, quiet=quiet)
        _copy_files(files, tmp / "workshop")
        for name in ("install.sh", "start.sh", "install.bat", "start.bat", "install.ps1", "start.ps1", "INSTALL.md"):
            text = _template("bundle", name).replace("@PYTHON_MINOR@", ".".join(python_version.split(".")[:2]))
            newline = "\r\n" if name.endswith((".bat", ".ps1")) else "\n"
            with open(tmp / name, "w", encoding="utf-8", newline=newline) as fh:
                fh.write(text)
            if name.endswith(".sh"):
                os.chmod(tmp / name, 0o755)
        kit = sorted(wheels.glob("opsplaybook-*.whl"))
        info = {"platform": platform or "this machine", "python_version": python_version,
                "wheels": len(list(wheels.glob("*.whl"))), "kit_wheel": kit[0].name if kit else None,
                "lock": lock.name, "lang": lang, "solutions": solutions}
        (tmp / "bundle.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    wheel_files = sorted((out / "wheels").glob("*.whl"))
    kit = [w for w in wheel_files if w.name.startswith("opsplaybook-")]
    return BundleResult(path=out, wheels=wheel_files, kit_wheel=kit[0] if kit else None, platform=platform,
                        python_version=python_version)


# ----------------------------------------------------------------------------- classroom init
def classroom_init(out, *, trainer: str = "trainer", learners=None, lang: str = "both",
                   force: bool = False) -> Path:
    """Write a JupyterHub folder for one server and a room of learners; return its path.

    ``out/jupyterhub_config.py`` (read its header), ``out/README.md``, ``out/workshop/`` (what each
    learner's home is filled from) and, when ``learners`` (a file with one name a line, or a list
    of names) is given, ``out/learners.txt`` — then only those names and the trainer may sign in.
    The trainer's name is written into ``out/hub.env`` (``OPSPLAYBOOK_TRAINER=...``).
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,31}", trainer):
        raise InvalidParameterError(f"`trainer`={trainer!r} is not a usable account name: lower-case letters, "
                                    f"digits, '_', '.', '-', at most 32 characters (e.g. 'trainer').")
    root = _checkout()
    out = Path(out).expanduser().resolve()
    _prepare_out(out, force)
    names: list[str] | None = None
    if learners is not None:
        if isinstance(learners, (str, os.PathLike)):
            path = Path(learners)
            if not path.is_file():
                raise InvalidParameterError(f"`learners`={str(path)!r} does not exist (a text file, one name a line).")
            names = [x.strip() for x in path.read_text(encoding="utf-8").splitlines()
                     if x.strip() and not x.startswith("#")]
        else:
            names = [str(x).strip() for x in learners]
        bad = [n for n in names if not re.fullmatch(r"[A-Za-z0-9_.@-]+", n)]
        if bad:
            raise InvalidParameterError(f"learner names {bad!r} are not usable account names (letters, digits, "
                                        f"'_', '.', '@', '-'; no spaces or commas).")
    files = workshop_files(root, lang=lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        (tmp / "jupyterhub_config.py").write_text(_template("jupyterhub_config.py"), encoding="utf-8")
        (tmp / "README.md").write_text(_template("README.md"), encoding="utf-8")
        (tmp / "hub.env").write_text(f"OPSPLAYBOOK_TRAINER={trainer}\nOPSPLAYBOOK_SPAWNER=system\n",
                                     encoding="utf-8")
        if names is not None:
            (tmp / "learners.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
        _copy_files(files, tmp / "workshop")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


# ----------------------------------------------------------------------------- collect
def collect(homes, out, *, lang: str = "zh", module: str | None = None, force: bool = False) -> dict[str, list[Path]]:
    """Copy each learner's exercise notebooks out of their homes, ready for ``opsplaybook grade``.

    ``homes`` holds one folder per learner (``/home`` for system users, ``homes/`` beside the
    config in simple mode); each learner's ``workshop/exercises/<lang>/NN-*.ipynb`` is copied to
    ``out/NN/<learner>/``, so ``opsplaybook grade out/NN`` names every row by its learner. Homes
    without a workshop folder are skipped; nothing in a home is changed. Returns
    ``{module: [copied files]}``.
    """
    if lang not in ("zh", "en"):
        raise InvalidParameterError(f"`lang`={lang!r} is not allowed. Allowed: ['zh', 'en']." + did_you_mean(lang, ("zh", "en")))
    homes = Path(homes).expanduser()
    if not homes.is_dir():
        raise InvalidParameterError(f"`homes`={str(homes)!r} is not a folder. Pass the folder holding one home per "
                                    f"learner (/home for system users, homes/ beside jupyterhub_config.py otherwise).")
    out = Path(out).expanduser().resolve()
    _prepare_out(out, force)
    found: dict[str, list[tuple[Path, Path]]] = {}
    for home in sorted(p for p in homes.iterdir() if p.is_dir() and not p.name.startswith(".")):
        folder = home / "workshop" / "exercises" / lang
        try:
            notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
        except PermissionError:
            continue
        for nb in notebooks:
            mod = nb.name.split("-", 1)[0]
            if module is None or mod == module:
                found.setdefault(mod, []).append((nb, Path(mod) / home.name / nb.name))
    if not found:
        raise InvalidParameterError(f"no learner exercise notebooks under {str(homes)!r} "
                                    f"(looked for */workshop/exercises/{lang}/*.ipynb"
                                    + (f" of module {module!r}" if module else "") + ").")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        _copy_files([pair for pairs in found.values() for pair in pairs], tmp)
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {mod: [out / rel for _, rel in pairs] for mod, pairs in found.items()}


# ----------------------------------------------------------------------------- command line
def _human(n: int) -> str:
    return f"{n / 1e6:.0f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _bundle_cmd(args) -> int:
    res = bundle(args.dir, platform=args.platform, python_version=args.python_version, lock=args.lock,
                 lang=args.lang, solutions=args.solutions, force=args.force, quiet=args.quiet)
    print(f"Bundle for {res.platform or 'this platform'} (Python {res.python_version}): {len(res.wheels)} wheels, "
          f"{_human(res.size_bytes)} in {res.path}\nCopy the folder to each laptop, then run install.bat (Windows) "
          f"or install.sh (Linux/macOS) there, and start.bat / start.sh — no network needed. See INSTALL.md.")
    return 0


def _init_cmd(args) -> int:
    out = classroom_init(args.dir, trainer=args.trainer, learners=args.learners, lang=args.lang, force=args.force)
    print(f"JupyterHub folder written to {out}. Next: read {out / 'README.md'}; start it with\n"
          f"    set -a; . {out / 'hub.env'}; set +a; jupyterhub -f {out / 'jupyterhub_config.py'}")
    return 0


def _collect_cmd(args) -> int:
    res = collect(args.homes, args.out, lang=args.lang, module=args.module, force=args.force)
    for mod, files in sorted(res.items()):
        learners = sorted({f.parent.name for f in files})
        print(f"module {mod}: {len(learners)} learner(s) -> {Path(args.out) / mod}\n"
              f"    grade with: opsplaybook grade {Path(args.out) / mod} --out grades-{mod}.csv")
    return 0


def add_parser(subparsers) -> None:
    """Register ``opsplaybook bundle`` and ``opsplaybook classroom init`` (called by :mod:`opsplaybook.cli`)."""
    b = subparsers.add_parser(
        "bundle", help="a folder for USB sticks: every wheel the workshop needs, installable with no network",
        description="Download every wheel of requirements-workshop.lock (for this machine or, with --platform, "
                    "for the learners' laptops), build the kit's own wheel, copy the workshop folder (built "
                    "notebooks, learner exercises, demo data) and write install/start scripts that use "
                    "`pip install --no-index --find-links wheels`. Preparing needs the network; installing "
                    "from the folder does not. Example for Windows laptops, prepared on Linux: "
                    "opsplaybook bundle usb --platform win_amd64 --python-version 3.11.9")
    b.add_argument("dir", help="output folder (must be new or empty unless --force)")
    b.add_argument("--platform", default=None,
                   help="pip platform tag of the learners' laptops, e.g. win_amd64, macosx_14_0_arm64 "
                        "(default: this machine)")
    b.add_argument("--python-version", default=None,
                   help="the learners' Python version, e.g. 3.11.9 (default: this interpreter's)")
    b.add_argument("--lock", default=None, help="lock file (default: requirements-workshop.lock of the checkout)")
    b.add_argument("--lang", choices=LANGS, default="both", help="which notebooks to include (default both)")
    b.add_argument("--solutions", action="store_true", help="also include exercises/solutions (trainer's copy)")
    b.add_argument("--force", action="store_true", help="replace an output folder that already holds files")
    b.add_argument("--quiet", action="store_true", help="print only the summary")
    b.set_defaults(func=_bundle_cmd)

    c = subparsers.add_parser("classroom", help="JupyterHub for a room on one server (classroom init DIR)",
                              description="Set up JupyterHub so a whole room works on one server.")
    csub = c.add_subparsers(dest="classroom_command", metavar="COMMAND", required=True)
    i = csub.add_parser(
        "init", help="write jupyterhub_config.py, a README and the workshop content into a new folder",
        description="Write a JupyterHub folder: jupyterhub_config.py (learners pick their password at first "
                    "login, the trainer is admin, each learner gets their own copy of the workshop, idle "
                    "servers are stopped), README.md with the steps, and the workshop content. Needs "
                    "`pip install -e .[classroom]` and the proxy (`npm install -g configurable-http-proxy`).")
    i.add_argument("dir", help="output folder (must be new or empty unless --force)")
    i.add_argument("--trainer", default="trainer", help="the trainer's (admin's) account name (default trainer)")
    i.add_argument("--learners", default=None,
                   help="text file with one learner name a line: only they (and the trainer) may sign in "
                        "(default: anyone who reaches the hub picks a name)")
    i.add_argument("--lang", choices=LANGS, default="both", help="which notebooks learners get (default both)")
    i.add_argument("--force", action="store_true", help="replace an output folder that already holds files")
    i.set_defaults(func=_init_cmd)
    col = csub.add_parser(
        "collect", help="copy every learner's exercise notebooks out of their homes, ready for `opsplaybook grade`",
        description="Copy each learner's workshop/exercises/<lang>/NN-*.ipynb from their home into OUT/NN/<learner>/ "
                    "(homes are only read), then grade a module with `opsplaybook grade OUT/NN`.")
    col.add_argument("homes", help="folder with one home per learner (/home, or homes/ beside jupyterhub_config.py)")
    col.add_argument("out", help="new folder for the copies")
    col.add_argument("--lang", choices=["zh", "en"], default="zh", help="which exercise notebooks (default zh)")
    col.add_argument("--module", default=None, help="only this module, e.g. 00 (default: every module found)")
    col.add_argument("--force", action="store_true", help="replace an output folder that already holds files")
    col.set_defaults(func=_collect_cmd)
