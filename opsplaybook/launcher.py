"""``opsplaybook lab``: start the workshop's JupyterLab on any laptop (Windows, macOS, Linux).

What it does, in order:

1. Finds where the kit lives: a clone of the repository (the package sits next to ``notebooks/``
   and ``datasets/``) or, for an installed kit, a folder in the user's data directory
   (``%LOCALAPPDATA%\\opsplaybook`` on Windows, ``~/Library/Application Support/opsplaybook`` on
   macOS, ``$XDG_DATA_HOME/opsplaybook`` or ``~/.local/share/opsplaybook`` elsewhere;
   ``$OPSPLAYBOOK_HOME`` overrides both).
2. Builds the demo data (5 000 users, seed 0) if it is missing.
3. Writes JupyterLab's settings into a folder the kit owns (``.opsplaybook/jupyter/`` in a clone):
   offline settings (no news feed, no "get notified about Jupyter news?" prompt, no update check,
   a read-only extension manager), a stylesheet whose ``@font-face`` serves the bundled
   **OpsPlaybook Sans SC** font so Chinese markdown renders on a machine without any CJK font,
   and, with ``--ui-lang zh``, the 中文 interface (language pack ``jupyterlab-language-pack-zh-CN``).
   The user's own ``~/.jupyter`` is never read or written: the server runs with
   ``JUPYTER_CONFIG_DIR``, ``JUPYTER_DATA_DIR``, ``JUPYTER_RUNTIME_DIR`` and ``IPYTHONDIR`` pointing
   into the kit's folder.
4. Starts JupyterLab on the notebooks folder with token authentication on (``--allow-root`` only
   when run as root), waits until it answers and prints the URL with its token.

The same from Python (e.g. in a test)::

    with start_lab(port=0) as lab:
        print(lab.url)
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InvalidParameterError, OpsPlaybookError

__all__ = ["LabPlan", "LabServer", "plan_lab", "start_lab", "kit_home", "project_root", "add_parser"]

BUNDLED_FONT_FAMILY = "OpsPlaybook Sans SC"
_FONT_FILES = {400: "OpsPlaybookSansSC-Regular.ttf", 700: "OpsPlaybookSansSC-Bold.ttf"}
#: ranges the bundled font is used for: CJK punctuation, kana, ideographs, full-width forms
_CJK_RANGES = "U+2E80-2FFF, U+3000-303F, U+3040-30FF, U+3100-31FF, U+3200-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF"
UI_LANGS = {"en": "en", "zh": "zh_CN"}

#: JupyterLab settings for an offline classroom (written to the kit's overrides.json)
OFFLINE_SETTINGS = {
    # no news feed and no "get notified about Jupyter news?" prompt; no update check either
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}
#: server options that keep JupyterLab from reaching the internet
OFFLINE_ARGS = (
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
    "--LabApp.custom_css=True",
    "--ServerApp.open_browser=False",
)


# ----------------------------------------------------------------------------- where things live
def project_root() -> Path | None:
    """The repository folder when the kit runs from a clone (``pip install -e .``), else None."""
    here = Path(__file__).resolve().parent.parent
    if (here / "pyproject.toml").is_file() and (here / "notebooks").is_dir():
        return here
    return None


def _user_data_dir() -> Path:
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        return (Path(base) if base else Path.home() / "AppData" / "Local") / "opsplaybook"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "opsplaybook"
    base = os.environ.get("XDG_DATA_HOME")
    return (Path(base) if base else Path.home() / ".local" / "share") / "opsplaybook"


def kit_home() -> Path:
    """The folder the kit owns for its data and Jupyter settings.

    ``$OPSPLAYBOOK_HOME`` if set; ``<clone>/.opsplaybook`` in a clone; the platform's user data
    folder otherwise.
    """
    if os.environ.get("OPSPLAYBOOK_HOME"):
        return Path(os.environ["OPSPLAYBOOK_HOME"]).expanduser()
    root = project_root()
    return root / ".opsplaybook" if root is not None else _user_data_dir()


# ----------------------------------------------------------------------------- the plan
@dataclass
class LabPlan:
    """Everything ``opsplaybook lab`` will use, worked out without starting anything."""

    notebook_dir: Path
    demo_dir: Path
    jupyter_dir: Path
    argv: list[str]
    env: dict[str, str] = field(repr=False)
    token: str = field(repr=False)
    port: int = 8888
    ip: str = "localhost"

    @property
    def config_dir(self) -> Path:
        return self.jupyter_dir / "config"

    @property
    def runtime_dir(self) -> Path:
        return self.jupyter_dir / "runtime"


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _free_port(ip: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1" if ip in ("localhost", "") else ip, 0))
        return s.getsockname()[1]


def _write_if_changed(path: Path, content: bytes) -> None:
    """Write ``content`` atomically (temp file, then replace), only when it differs."""
    if path.is_file() and path.read_bytes() == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def custom_css() -> str:
    """The stylesheet JupyterLab loads (``LabApp.custom_css``): the bundled font for Chinese text.

    The font is listed after the usual Latin fonts and limited to CJK code points, so Latin text
    keeps the system font and every Chinese character is drawn with the bundled font (the browser
    only downloads it when the page shows Chinese). ``html:root`` outranks the theme's ``:root``.
    """
    faces = "\n".join(
        f'@font-face {{\n  font-family: "{BUNDLED_FONT_FAMILY}";\n  src: url("{name}") format("truetype");\n'
        f"  font-weight: {weight};\n  font-style: normal;\n  font-display: swap;\n  unicode-range: {_CJK_RANGES};\n}}"
        for weight, name in _FONT_FILES.items()
    )
    sans = (f'system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial, "{BUNDLED_FONT_FAMILY}", '
            'sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol"')
    mono = f'menlo, consolas, "DejaVu Sans Mono", "{BUNDLED_FONT_FAMILY}", monospace'
    return (
        "/* Written by `opsplaybook lab`: the kit's bundled CJK font (SIL Open Font License) for Chinese text. */\n"
        f"{faces}\n"
        "html:root, html:root body {\n"
        f"  --jp-ui-font-family: {sans};\n"
        f"  --jp-content-font-family: {sans};\n"
        f"  --jp-widgets-font-family: {sans};\n"
        f"  --jp-code-font-family: {mono};\n"
        "}\n"
        "/* load the font before JupyterLab builds its panels: Chromium does not lay out again the panels\n"
        "   (file browser, tabs) drawn before a web font arrived, so their Chinese would stay boxes */\n"
        "body::before, body::after {\n"
        f'  content: "\\4E2D\\6587"; font-family: "{BUNDLED_FONT_FAMILY}"; position: absolute; width: 0; height: 0;\n'
        "  overflow: hidden; opacity: 0; pointer-events: none;\n"
        "}\n"
        "body::after { font-weight: 700; }\n"
        "/* form controls do not inherit fonts (Chromium draws a <select> in Arial): give them the UI font */\n"
        "html:root select, html:root input, html:root textarea, html:root button {\n"
        "  font-family: var(--jp-ui-font-family);\n"
        "}\n"
    )


def _write_jupyter_settings(jupyter_dir: Path, *, ui_lang: str | None) -> None:
    """The kit's Jupyter config: stylesheet + font files, settings overrides."""
    fonts = Path(__file__).resolve().parent / "fonts"
    custom = jupyter_dir / "config" / "custom"
    for name in _FONT_FILES.values():
        src = fonts / name
        dst = custom / name
        if not dst.is_file() or dst.stat().st_size != src.stat().st_size:
            custom.mkdir(parents=True, exist_ok=True)
            tmp = dst.with_name(f".{name}.{os.getpid()}.tmp")
            shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
    _write_if_changed(custom / "custom.css", custom_css().encode("utf-8"))
    settings = dict(OFFLINE_SETTINGS)
    if ui_lang is not None:
        settings["@jupyterlab/translation-extension:plugin"] = {"locale": UI_LANGS[ui_lang]}
    overrides = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    _write_if_changed(jupyter_dir / "lab-settings" / "overrides.json", overrides.encode("utf-8"))


def _ensure_demo(demo_dir: Path, *, quiet: bool) -> None:
    if (demo_dir / "truth.json").is_file():
        return
    from .world import write_world
    from .world.world import DEMO_ARGS

    if not quiet:
        print(f"Building the demo data in {demo_dir} (once, about a minute) ...", flush=True)
    write_world(demo_dir, **DEMO_ARGS, progress=not quiet)


def plan_lab(*, notebook_dir=None, port: int = 8888, ip: str = "localhost", ui_lang: str | None = None,
             home=None, build_demo: bool = True, quiet: bool = False, extra_args=()) -> LabPlan:
    """Prepare everything for :func:`start_lab` (demo data, settings files) and return the plan.

    Parameters
    ----------
    notebook_dir : path, optional
        The folder JupyterLab opens (default: the clone's ``notebooks/``; for an installed kit,
        ``notebooks/`` in the kit's folder).
    port : int
        Port to listen on; ``0`` picks a free one.
    ip : str
        Address to listen on (``localhost``: only this computer can connect).
    ui_lang : {"zh", "en"}, optional
        Language of JupyterLab's menus (``"zh"``: 中文 from the language pack). ``None`` keeps
        the default English; the trainer can switch in Settings → Language.
    home : path, optional
        The kit's own folder (default :func:`kit_home`).
    build_demo : bool
        Build the demo data when it is missing.
    extra_args : sequence of str
        More JupyterLab options, e.g. ``["--LabApp.expose_app_in_browser=True"]`` (the browser test).
    """
    if ui_lang is not None and ui_lang not in UI_LANGS:
        raise InvalidParameterError(f"`ui_lang`={ui_lang!r} is not allowed. Allowed: {list(UI_LANGS)}.")
    if not isinstance(port, int) or not 0 <= port < 65536:
        raise InvalidParameterError(f"`port`={port!r} must be an integer between 0 and 65535 (0: any free port).")
    root = project_root()
    home = Path(home).expanduser() if home is not None else kit_home()
    demo_dir = (root / "datasets" / "demo") if root is not None else home / "datasets" / "demo"
    if os.environ.get("OPSPLAYBOOK_DEMO"):
        demo_dir = Path(os.environ["OPSPLAYBOOK_DEMO"])
    if notebook_dir is None:
        notebook_dir = (root / "notebooks") if root is not None else home / "notebooks"
    notebook_dir = Path(notebook_dir).expanduser().resolve()
    if not notebook_dir.is_dir():
        if notebook_dir.exists():
            raise InvalidParameterError(f"`notebook_dir`={str(notebook_dir)!r} is a file, not a folder.")
        notebook_dir.mkdir(parents=True)
    if build_demo:
        _ensure_demo(demo_dir, quiet=quiet)
    jupyter_dir = home / "jupyter"
    _write_jupyter_settings(jupyter_dir, ui_lang=ui_lang)
    if root is not None and home == root / ".opsplaybook":  # the kit's folder in a clone ignores itself
        _write_if_changed(home / ".gitignore", b"# written by `opsplaybook lab`: the kit's own settings and runtime files\n*\n")

    token = secrets.token_hex(24)
    port = port or _free_port(ip)
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(jupyter_dir / "config"),
        "JUPYTER_DATA_DIR": str(jupyter_dir / "data"),
        "JUPYTER_RUNTIME_DIR": str(jupyter_dir / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(jupyter_dir / "config" / "lab" / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(jupyter_dir / "config" / "lab" / "workspaces"),
        "IPYTHONDIR": str(jupyter_dir / "ipython"),
        "JUPYTER_TOKEN": token,  # in the environment, not on the command line other users can see
        "OPSPLAYBOOK_DEMO": str(demo_dir),
        "PYTHONIOENCODING": "utf-8",
    })
    env.pop("JUPYTER_TOKEN_FILE", None)
    argv = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={notebook_dir}",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--LabApp.app_settings_dir={jupyter_dir / 'lab-settings'}",
        *OFFLINE_ARGS,
        *extra_args,
    ]
    if _is_root():
        argv.append("--allow-root")
    return LabPlan(notebook_dir=notebook_dir, demo_dir=demo_dir, jupyter_dir=jupyter_dir, argv=argv, env=env,
                   token=token, port=port, ip=ip)


# ----------------------------------------------------------------------------- the running server
class LabError(OpsPlaybookError, RuntimeError):
    """JupyterLab did not start (the message shows the end of its log)."""


@dataclass
class LabServer:
    """A running JupyterLab started by :func:`start_lab`; ``stop()`` (or leaving ``with``) ends it."""

    plan: LabPlan
    process: subprocess.Popen
    log_path: Path

    @property
    def base(self) -> str:
        host = "localhost" if self.plan.ip in ("", "0.0.0.0", "localhost", "127.0.0.1") else self.plan.ip
        return f"http://{host}:{self.plan.port}/"

    @property
    def url(self) -> str:
        """The address to open in a browser (it carries the access token)."""
        return f"{self.base}lab?token={self.plan.token}"

    @property
    def token(self) -> str:
        return self.plan.token

    def running(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 20.0) -> int | None:
        """Shut the server down cleanly (REST ``/api/shutdown``, then SIGTERM, then kill)."""
        if self.running():
            try:
                req = urllib.request.Request(f"{self.base}api/shutdown", method="POST",
                                             headers={"Authorization": f"token {self.token}"})
                urllib.request.urlopen(req, timeout=5).close()
            except (urllib.error.URLError, OSError):
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
        return self.process.returncode

    def __enter__(self) -> LabServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _answers(base: str, token: str) -> bool:
    req = urllib.request.Request(f"{base}api/status", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_lab(*, port: int = 8888, ip: str = "localhost", notebook_dir=None, ui_lang: str | None = None,
              home=None, timeout: float = 90.0, quiet: bool = True, log=None, extra_args=()) -> LabServer:
    """Start JupyterLab (see :func:`plan_lab` for the parameters) and return once it answers.

    The server's output goes to ``log`` (a path; default ``<kit folder>/jupyter/lab.log``).
    Raises :class:`LabError` with the end of that log when it exits or does not answer within
    ``timeout`` seconds.
    """
    plan = plan_lab(notebook_dir=notebook_dir, port=port, ip=ip, ui_lang=ui_lang, home=home, quiet=quiet,
                    extra_args=extra_args)
    log_path = Path(log) if log is not None else plan.jupyter_dir / f"lab-{plan.port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as out:
        kwargs = {}
        if sys.platform.startswith("win"):  # its own console group: our Ctrl+C handling stops it cleanly
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            kwargs["start_new_session"] = True
        proc = subprocess.Popen(plan.argv, env=plan.env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, cwd=str(plan.notebook_dir), **kwargs)
    server = LabServer(plan, proc, log_path)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not server.running():
                raise LabError(f"JupyterLab exited with code {proc.returncode} while starting. End of its log "
                               f"({log_path}):\n{_tail(server.log())}")
            if _answers(server.base, plan.token):
                return server
            time.sleep(0.25)
    except BaseException:  # Ctrl+C while waiting: the server runs in its own session, stop it too
        server.stop()
        raise
    server.stop()
    raise LabError(f"JupyterLab did not answer on {server.base} within {timeout:.0f} s. End of its log "
                   f"({log_path}):\n{_tail(server.log())}")


def _tail(text: str, n: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-n:])


# ----------------------------------------------------------------------------- command line
def _lab(args) -> int:
    if args.dry_run:
        plan = plan_lab(notebook_dir=args.notebook_dir, port=args.port, ip=args.ip, ui_lang=args.ui_lang,
                        build_demo=False, quiet=True)
        print("Would run:", " ".join(a if " " not in a else f'"{a}"' for a in plan.argv))
        print(f"  notebooks: {plan.notebook_dir}\n  demo data: {plan.demo_dir}\n  Jupyter settings: {plan.jupyter_dir}")
        return 0
    import signal

    def _terminate(signum, frame):  # `kill` / a closing terminal: stop JupyterLab (its own session) too
        raise SystemExit(128 + signum)

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminate)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _terminate)
    print("Starting JupyterLab ...", flush=True)
    server = start_lab(port=args.port, ip=args.ip, notebook_dir=args.notebook_dir, ui_lang=args.ui_lang,
                       timeout=args.timeout, quiet=False)
    print(f"\nJupyterLab is running on {server.plan.notebook_dir}\n"
          f"Open this address in your browser (it carries the access token):\n\n    {server.url}\n\n"
          f"Server log: {server.log_path}\nPress Ctrl+C here to stop it.", flush=True)
    if args.open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        while server.running():
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping JupyterLab ...", flush=True)
    finally:
        server.stop()
    return 0


def add_parser(subparsers) -> None:
    """Register ``opsplaybook lab`` (called by :mod:`opsplaybook.cli`)."""
    p = subparsers.add_parser(
        "lab", help="start JupyterLab on the workbook (demo data, offline settings, Chinese font, token)",
        description="Start the workshop's JupyterLab: builds the demo data if missing, uses offline settings "
                    "(no news or update prompts), renders Chinese with the bundled font, keeps token "
                    "authentication on and prints the URL with its token. Works the same on Windows, "
                    "macOS and Linux; the kit's Jupyter settings live in its own folder, never in ~/.jupyter.")
    p.add_argument("--port", type=int, default=8888, help="port to listen on (default 8888; 0 = any free port)")
    p.add_argument("--ip", default="localhost", help="address to listen on (default localhost: this computer only)")
    p.add_argument("--notebook-dir", default=None, help="folder to open (default: the workbook's notebooks/)")
    p.add_argument("--ui-lang", choices=sorted(UI_LANGS), default=None,
                   help="language of JupyterLab's menus (zh: 中文; default: JupyterLab's own setting)")
    p.add_argument("--open-browser", action="store_true", help="also open the URL in the default browser")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for JupyterLab to answer (default 120)")
    p.add_argument("--dry-run", action="store_true", help="print what would be started, start nothing")
    p.set_defaults(func=_lab)
