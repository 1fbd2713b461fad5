# JupyterHub for an opsplaybook workshop: one server, a room of learners (written by
# `opsplaybook classroom init`; see README.md beside this file).
#
#   jupyterhub -f jupyterhub_config.py          # run from any folder; state stays beside this file
#
# - Learners sign in with a name and pick their password at first login (FirstUseAuthenticator);
#   the trainer (OPSPLAYBOOK_TRAINER, default "trainer") is admin. With a learners.txt beside this
#   file (one name a line) only those names (and the trainer) may sign in.
# - Each learner's home gets their own copy of the workshop folder (built notebooks, learner
#   exercises) at every start: files that are missing are copied, a file the learner already has is
#   never touched.
# - The idle culler stops servers nobody has used for OPSPLAYBOOK_IDLE_TIMEOUT seconds (default
#   3600); their files stay.
# - OPSPLAYBOOK_SPAWNER=system (production): one system user per learner, created at first login,
#   servers run as that user (the hub runs as root). OPSPLAYBOOK_SPAWNER=simple (default: a trial on
#   one account): every server runs as the hub's own user with its home under homes/ beside this
#   file — learners are NOT isolated from each other's files there; use it for a trial only.
import os
import shutil
import sys
import uuid
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("OPSPLAYBOOK_HUB_STATE", HERE / "state"))
CONTENT = Path(os.environ.get("OPSPLAYBOOK_CLASSROOM_CONTENT", HERE / "workshop"))
HOMES = Path(os.environ.get("OPSPLAYBOOK_HOMES", HERE / "homes"))
TRAINER = os.environ.get("OPSPLAYBOOK_TRAINER", "trainer")
MODE = os.environ.get("OPSPLAYBOOK_SPAWNER", "simple")
IDLE_TIMEOUT = int(os.environ.get("OPSPLAYBOOK_IDLE_TIMEOUT", "3600"))
BIN = Path(sys.executable).parent  # the environment JupyterHub runs in has the kit installed
if MODE not in ("simple", "system"):
    raise ValueError(f"OPSPLAYBOOK_SPAWNER={MODE!r} is not allowed. Allowed: 'simple', 'system'.")
STATE.mkdir(parents=True, exist_ok=True)

# ------------------------------------------------------------------ the hub itself
c.JupyterHub.bind_url = os.environ.get("OPSPLAYBOOK_HUB_URL", "http://:8000")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the learners' servers too

# ------------------------------------------------------------------ who may sign in
from firstuseauthenticator import FirstUseAuthenticator  # noqa: E402

if MODE == "system":
    from jupyterhub.auth import LocalAuthenticator

    class ClassroomAuthenticator(FirstUseAuthenticator, LocalAuthenticator):
        """First-use passwords; a system account is created for each new learner."""

    c.JupyterHub.authenticator_class = ClassroomAuthenticator
    c.LocalAuthenticator.create_system_users = True
else:
    c.JupyterHub.authenticator_class = FirstUseAuthenticator
c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
c.FirstUseAuthenticator.create_users = True
c.FirstUseAuthenticator.min_password_length = 6
c.Authenticator.admin_users = {TRAINER}
_learners = HERE / "learners.txt"
if _learners.is_file():
    c.Authenticator.allowed_users = {
        line.strip() for line in _learners.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
else:
    c.Authenticator.allow_all = True

# ------------------------------------------------------------------ each learner's server
if MODE == "system":
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
else:
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    # the demo world, shared read-only: load_demo() reads it instead of generating one per learner
    "OPSPLAYBOOK_DEMO": str(CONTENT / "datasets" / "demo"),
    "PYTHONIOENCODING": "utf-8",
}
c.Spawner.args = [
    # offline classroom: no news feed, no update check, read-only extension manager
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
]
if MODE == "simple" and hasattr(os, "geteuid") and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # a trial as root: the servers run as root too
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120


def _home(spawner) -> Path:
    if MODE == "system":
        import pwd

        return Path(pwd.getpwnam(spawner.user.name).pw_dir)
    return HOMES / spawner.user.name


def copy_missing(src: Path, dest: Path, *, owner=None) -> list[Path]:
    """Copy every file of ``src`` that ``dest`` lacks; never replace a file that is there."""
    made = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_dir() or any(part in (".ipynb_checkpoints", "__pycache__", ".venv") for part in rel.parts):
            continue
        target = dest / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        shutil.copy2(path, tmp)
        os.replace(tmp, target)
        made.append(target)
    if owner is not None:  # system mode: the learner owns their copy
        for target in made:
            for p in [target, *target.parents]:
                if p == dest.parent:
                    break
                shutil.chown(p, *owner)
    return made


def fill_home(spawner) -> None:
    """pre_spawn_hook: the learner's own copy of the workshop folder (missing files only)."""
    home = _home(spawner)
    home.mkdir(parents=True, exist_ok=True)
    owner = None
    if MODE == "system":
        import pwd

        pw = pwd.getpwnam(spawner.user.name)
        owner = (pw.pw_uid, pw.pw_gid)
        shutil.chown(home, *owner)
    workshop = home / "workshop"
    if CONTENT.is_dir():
        made = copy_missing(CONTENT, workshop, owner=owner)
        spawner.log.info("opsplaybook: %d workshop file(s) copied for %s", len(made), spawner.user.name)
    else:
        spawner.log.warning("opsplaybook: no workshop content at %s (run `opsplaybook classroom init`)", CONTENT)


c.Spawner.pre_spawn_hook = fill_home

# ------------------------------------------------------------------ the idle culler
c.JupyterHub.load_roles = [{
    "name": "jupyterhub-idle-culler-role",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["jupyterhub-idle-culler-service"],
}]
c.JupyterHub.services = [{
    "name": "jupyterhub-idle-culler-service",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_TIMEOUT}"],
}]
