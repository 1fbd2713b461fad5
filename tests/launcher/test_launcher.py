"""opsplaybook lab: the settings it writes (kit-owned folder, offline, bundled font, token) and a
real JupyterLab started on a free port that answers with its token and refuses without, then stops."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from opsplaybook import launcher
from opsplaybook.errors import InvalidParameterError
from opsplaybook.launcher import BUNDLED_FONT_FAMILY, plan_lab, start_lab

FONTS = Path(launcher.__file__).parent / "fonts"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A kit folder and a fake user home: nothing may be written to the user's ~/.jupyter."""
    user_home = tmp_path / "user-home"
    user_home.mkdir()
    monkeypatch.setenv("HOME", str(user_home))
    monkeypatch.setenv("USERPROFILE", str(user_home))
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "OPSPLAYBOOK_HOME"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "kit"


def test_plan_writes_offline_settings_and_the_font_stylesheet(home, tmp_path):
    nb = tmp_path / "课程" / "笔记本"  # Chinese folder names work (pathlib everywhere)
    plan = plan_lab(notebook_dir=nb, home=home, port=8899, build_demo=False)
    assert nb.is_dir() and plan.notebook_dir == nb.resolve()
    cfg = home / "jupyter" / "config"
    css = (cfg / "custom" / "custom.css").read_text(encoding="utf-8")
    assert css.count("@font-face") == 2 and f'font-family: "{BUNDLED_FONT_FAMILY}"' in css
    assert "--jp-content-font-family" in css and "U+4E00-9FFF" in css
    for name in ("OpsPlaybookSansSC-Regular.ttf", "OpsPlaybookSansSC-Bold.ttf"):
        assert (cfg / "custom" / name).read_bytes() == (FONTS / name).read_bytes()
        assert f'url("{name}")' in css
    overrides = json.loads((home / "jupyter" / "lab-settings" / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert "@jupyterlab/translation-extension:plugin" not in overrides
    argv = " ".join(plan.argv)
    for flag in ("--LabApp.news_url=None", "--LabApp.extension_manager=readonly", "--LabApp.custom_css=True",
                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--ServerApp.port=8899",
                 f"--ServerApp.root_dir={nb.resolve()}"):
        assert flag in argv
    assert ("--allow-root" in plan.argv) == (hasattr(os, "geteuid") and os.geteuid() == 0)
    # token auth on, the token in the environment only (not visible in the process list)
    assert len(plan.token) == 48 and plan.env["JUPYTER_TOKEN"] == plan.token and plan.token not in argv
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        assert Path(plan.env[var]).is_relative_to(home), var


def test_chinese_interface_and_rewriting_only_what_changed(home, tmp_path):
    plan_lab(notebook_dir=tmp_path / "nb", home=home, ui_lang="zh", build_demo=False)
    path = home / "jupyter" / "lab-settings" / "overrides.json"
    assert json.loads(path.read_text(encoding="utf-8"))["@jupyterlab/translation-extension:plugin"] == {"locale": "zh_CN"}
    css = home / "jupyter" / "config" / "custom" / "custom.css"
    stamp = css.stat().st_mtime_ns
    plan_lab(notebook_dir=tmp_path / "nb", home=home, ui_lang="zh", build_demo=False)
    assert css.stat().st_mtime_ns == stamp
    import importlib.util

    assert importlib.util.find_spec("jupyterlab_language_pack_zh_CN") is not None, \
        "the Chinese language pack (PyPI jupyterlab-language-pack-zh-CN) is a runtime dependency"


def test_bad_parameters(home, tmp_path):
    with pytest.raises(InvalidParameterError, match=r"`ui_lang`='cn' is not allowed. Allowed: \['en', 'zh'\]"):
        plan_lab(home=home, ui_lang="cn", build_demo=False)
    with pytest.raises(InvalidParameterError, match=r"`port`=70000"):
        plan_lab(home=home, port=70000, build_demo=False)
    f = tmp_path / "a-file.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="is a file, not a folder"):
        plan_lab(home=home, notebook_dir=f, build_demo=False)


def test_missing_demo_data_is_built(home, tmp_path, monkeypatch):
    import opsplaybook.world.world as world_module

    monkeypatch.setattr(world_module, "DEMO_ARGS", dict(n_users=150, start="2025-01-01", days=20, preset="ecommerce",
                                                        locale="zh_CN", seed=0))
    demo = tmp_path / "演示数据"
    monkeypatch.setenv("OPSPLAYBOOK_DEMO", str(demo))
    plan = plan_lab(notebook_dir=tmp_path / "nb", home=home, quiet=True)
    assert plan.demo_dir == demo and (demo / "truth.json").is_file() and plan.env["OPSPLAYBOOK_DEMO"] == str(demo)
    from opsplaybook.world import load_world

    assert len(load_world(demo).users) == 150


def _get(url: str, token: str | None = None):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.geturl(), r.read()
    except urllib.error.HTTPError as e:
        return e.code, url, b""


@pytest.mark.slow
def test_lab_starts_answers_with_its_token_only_and_stops(home, tmp_path):
    nb = tmp_path / "notebooks"
    nb.mkdir()
    (nb / "说明.md").write_text("# 用户运营\n", encoding="utf-8")
    with start_lab(port=0, home=home, notebook_dir=nb, timeout=120, ui_lang="zh") as lab:
        port = lab.plan.port
        status, final, body = _get(lab.url)
        assert status == 200 and b"custom/custom.css" in body  # the stylesheet is on the page
        status, final, _ = _get(lab.base + "lab")  # no token: sent to the login page
        assert status == 200 and "/login" in final
        assert _get(lab.base + "api/contents")[0] == 403
        assert _get(lab.base + "api/contents", "wrong-token")[0] == 403
        status, _, listing = _get(lab.base + "api/contents", lab.token)
        assert status == 200 and "说明.md" in {c["name"] for c in json.loads(listing)["content"]}
        status, _, css = _get(lab.base + "custom/custom.css")
        assert status == 200 and BUNDLED_FONT_FAMILY.encode() in css
        status, _, font = _get(lab.base + "custom/OpsPlaybookSansSC-Regular.ttf")
        assert status == 200 and font == (FONTS / "OpsPlaybookSansSC-Regular.ttf").read_bytes()
        status, _, raw = _get(lab.base + "lab/api/settings/@jupyterlab/apputils-extension:notification", lab.token)
        assert status == 200
        defaults = {k: v.get("default") for k, v in json.loads(raw)["schema"]["properties"].items()}
        assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False  # the kit's overrides
        # the Chinese language pack is there and, with --ui-lang zh, the default interface language
        status, _, raw = _get(lab.base + "lab/api/translations/", lab.token)
        assert status == 200 and "zh_CN" in json.loads(raw)["data"]
        status, _, raw = _get(lab.base + "lab/api/settings/@jupyterlab/translation-extension:plugin", lab.token)
        assert json.loads(raw)["schema"]["properties"]["locale"]["default"] == "zh_CN"
    assert lab.process.returncode is not None and not lab.running()
    with socket.socket() as s:  # the port is free again
        assert s.connect_ex(("127.0.0.1", port)) != 0
    assert not (Path(os.environ["HOME"]) / ".jupyter").exists()  # the user's own Jupyter folder untouched


def test_cli_registers_lab(home, tmp_path, capsys, monkeypatch):
    from opsplaybook.cli import main

    monkeypatch.setenv("OPSPLAYBOOK_HOME", str(home))
    assert main(["lab", "--dry-run", "--port", "9123", "--notebook-dir", str(tmp_path / "nb")]) == 0
    out = capsys.readouterr().out
    assert "Would run:" in out and "--ServerApp.port=9123" in out and "JUPYTER_TOKEN" not in out
    r = subprocess.run([sys.executable, "-m", "opsplaybook", "lab", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "--ui-lang" in r.stdout
