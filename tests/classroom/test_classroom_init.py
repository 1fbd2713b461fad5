"""`opsplaybook classroom init`: the folder it writes and the JupyterHub settings the config makes."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from opsplaybook.classroom import classroom_init
from opsplaybook.errors import InvalidParameterError, OutputExistsError

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "opsplaybook" / "classroom_files"
needs_hub = pytest.mark.skipif(importlib.util.find_spec("jupyterhub") is None
                               or importlib.util.find_spec("firstuseauthenticator") is None,
                               reason="JupyterHub is in the [classroom] / [dev] extras")


def _load(folder: Path, monkeypatch, **env):
    from traitlets.config.loader import PyFileConfigLoader

    for key in ("OPSPLAYBOOK_SPAWNER", "OPSPLAYBOOK_TRAINER", "OPSPLAYBOOK_IDLE_TIMEOUT", "OPSPLAYBOOK_HUB_STATE",
                "OPSPLAYBOOK_CLASSROOM_CONTENT", "OPSPLAYBOOK_HOMES", "OPSPLAYBOOK_HUB_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(folder)).load_config()


def test_deploy_folder_matches_what_init_writes():
    for name in ("jupyterhub_config.py", "README.md"):
        assert (ROOT / "deploy" / "jupyterhub" / name).read_text(encoding="utf-8") == \
            (TEMPLATE / name).read_text(encoding="utf-8"), f"deploy/jupyterhub/{name} differs from the template"


def test_init_writes_config_content_and_class_list(tmp_path):
    class_list = tmp_path / "class.txt"
    class_list.write_text("# 一班\nalice\nbob\n\n", encoding="utf-8")
    out = classroom_init(tmp_path / "教室", trainer="lin", learners=class_list)
    assert (out / "jupyterhub_config.py").is_file() and (out / "README.md").is_file()
    assert (out / "learners.txt").read_text(encoding="utf-8").split() == ["alice", "bob"]
    assert "OPSPLAYBOOK_TRAINER=lin" in (out / "hub.env").read_text(encoding="utf-8")
    assert (out / "workshop" / "datasets" / "demo" / "truth.json").is_file()
    assert any((out / "workshop" / "notebooks").rglob("*.ipynb"))
    assert not (out / "workshop" / "exercises" / "solutions").exists()
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically, nothing left behind


def test_init_refusals(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--force"):
        classroom_init(tmp_path / "busy")
    assert (tmp_path / "busy" / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(InvalidParameterError, match="`trainer`='Trainer Lin'"):
        classroom_init(tmp_path / "a", trainer="Trainer Lin")
    with pytest.raises(InvalidParameterError, match=r"\['bob smith'\]"):
        classroom_init(tmp_path / "b", learners=["alice", "bob smith"])
    with pytest.raises(InvalidParameterError, match="does not exist"):
        classroom_init(tmp_path / "c", learners=tmp_path / "missing.txt")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    again = classroom_init(tmp_path / "busy", force=True)
    assert not (again / "notes.txt").exists() and (again / "jupyterhub_config.py").is_file()


def test_cli_classroom_init(tmp_path):
    out = tmp_path / "hub"
    proc = subprocess.run([sys.executable, "-m", "opsplaybook", "classroom", "init", str(out), "--lang", "zh"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "jupyterhub -f" in proc.stdout
    nbs = [p.relative_to(out / "workshop").parts[:2] for p in (out / "workshop").rglob("*.ipynb")]
    assert nbs and all(part[1] != "en" for part in nbs)
    bad = subprocess.run([sys.executable, "-m", "opsplaybook", "classroom", "init", str(out)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "already holds files" in bad.stderr
    h = subprocess.run([sys.executable, "-m", "opsplaybook", "bundle", "--help"], capture_output=True, text=True)
    assert h.returncode == 0 and "usage: opsplaybook bundle" in h.stdout and "win_amd64" in h.stdout


@needs_hub
def test_config_simple_mode(tmp_path, monkeypatch):
    out = classroom_init(tmp_path / "hub", trainer="trainer")
    cfg = _load(out, monkeypatch, OPSPLAYBOOK_IDLE_TIMEOUT="900")
    from firstuseauthenticator import FirstUseAuthenticator

    assert cfg.JupyterHub.authenticator_class is FirstUseAuthenticator
    assert cfg.Authenticator.admin_users == {"trainer"} and cfg.Authenticator.allow_all is True
    assert cfg.JupyterHub.spawner_class.endswith("SimpleLocalProcessSpawner")
    assert cfg.SimpleLocalProcessSpawner.home_dir_template == str(out / "homes" / "{username}")
    assert cfg.Spawner.environment["OPSPLAYBOOK_DEMO"] == str(out / "workshop" / "datasets" / "demo")
    assert Path(cfg.Spawner.cmd[0]).name == "jupyterhub-singleuser"
    [culler] = cfg.JupyterHub.services
    assert "jupyterhub_idle_culler" in culler["command"] and "--timeout=900" in culler["command"]
    assert set(cfg.JupyterHub.load_roles[0]["scopes"]) >= {"delete:servers", "read:users:activity"}
    assert cfg.FirstUseAuthenticator.dbm_path == str(out / "state" / "passwords.dbm")


@needs_hub
def test_config_system_mode_and_class_list(tmp_path, monkeypatch):
    out = classroom_init(tmp_path / "hub", trainer="lin", learners=["alice", "bob"])
    cfg = _load(out, monkeypatch, OPSPLAYBOOK_SPAWNER="system", OPSPLAYBOOK_TRAINER="lin")
    from firstuseauthenticator import FirstUseAuthenticator
    from jupyterhub.auth import LocalAuthenticator

    auth = cfg.JupyterHub.authenticator_class
    assert issubclass(auth, FirstUseAuthenticator) and issubclass(auth, LocalAuthenticator)
    assert cfg.LocalAuthenticator.create_system_users is True
    assert cfg.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    assert cfg.Authenticator.allowed_users == {"alice", "bob"} and cfg.Authenticator.admin_users == {"lin"}
    with pytest.raises(ValueError, match="'docker'"):
        _load(out, monkeypatch, OPSPLAYBOOK_SPAWNER="docker")


@needs_hub
def test_fill_home_copies_only_missing_files(tmp_path, monkeypatch):
    out = classroom_init(tmp_path / "hub")
    cfg = _load(out, monkeypatch)
    hook = cfg.Spawner.pre_spawn_hook

    class User:
        name = "alice"

    class Spawner:
        user = User()

        class log:  # noqa: N801
            messages = []

            @classmethod
            def info(cls, *a):
                cls.messages.append(a)

            warning = info

    hook(Spawner())
    home = out / "homes" / "alice" / "workshop"
    nb = next(home.rglob("*.ipynb"))
    nb.write_text("my own work", encoding="utf-8")
    (home / "datasets" / "README.md").unlink()
    hook(Spawner())
    assert nb.read_text(encoding="utf-8") == "my own work"
    assert (home / "datasets" / "README.md").is_file()
    assert Spawner.log.messages[-1][1] == 1  # one file copied back, nothing else touched


def _home(homes: Path, name: str, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = homes / name / "workshop" / "exercises" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_collect_one_folder_per_learner_per_module(tmp_path):
    from opsplaybook.classroom import collect

    homes = tmp_path / "homes"
    _home(homes, "alice", {"zh/00-合成公司-exercises.ipynb": "a0", "zh/01-x-exercises.ipynb": "a1",
                           "en/00-x-exercises.ipynb": "a-en"})
    _home(homes, "bob", {"zh/00-合成公司-exercises.ipynb": "b0"})
    (homes / "trainer").mkdir()  # a home without a workshop folder is skipped
    res = collect(homes, tmp_path / "subs")
    assert sorted(res) == ["00", "01"]
    assert sorted(f.relative_to(tmp_path / "subs").as_posix() for f in res["00"]) == [
        "00/alice/00-合成公司-exercises.ipynb", "00/bob/00-合成公司-exercises.ipynb"]
    assert (tmp_path / "subs" / "00" / "bob" / "00-合成公司-exercises.ipynb").read_text(encoding="utf-8") == "b0"
    only = collect(homes, tmp_path / "en", lang="en", module="00")
    assert [f.parent.name for f in only["00"]] == ["alice"]
    assert (homes / "alice" / "workshop" / "exercises" / "zh" / "00-合成公司-exercises.ipynb").read_text(
        encoding="utf-8") == "a0"  # homes only read
    with pytest.raises(InvalidParameterError, match="module '07'"):
        collect(homes, tmp_path / "none", module="07")
    with pytest.raises(OutputExistsError):
        collect(homes, tmp_path / "subs")
