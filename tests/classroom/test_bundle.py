"""`opsplaybook bundle`: the lock read for each platform, and a real offline install from a bundle."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from opsplaybook.classroom import bundle, lock_requirements, marker_environment, workshop_files
from opsplaybook.errors import InvalidParameterError, OutputExistsError

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements-workshop.lock"


def _names(reqs):
    return {r.split("==")[0].lower().replace("_", "-") for r in reqs}


def test_lock_lines_follow_the_target_platform():
    linux = _names(lock_requirements(LOCK, platform="manylinux_2_28_x86_64"))
    win = _names(lock_requirements(LOCK, platform="win_amd64"))
    mac = _names(lock_requirements(LOCK, platform="macosx_14_0_arm64"))
    # Windows-only terminal and colour packages go to Windows laptops only; the pty packages never do
    assert {"pywinpty", "colorama"} <= win and not {"pywinpty", "colorama"} & linux
    assert {"pexpect", "ptyprocess"} <= linux and not {"pexpect", "ptyprocess"} & win
    assert "appnope" in mac and "appnope" not in linux | win
    # everything else is the same set everywhere, with the same version
    assert linux - {"pexpect", "ptyprocess"} == win - {"pywinpty", "colorama"}
    pins = dict(r.split("==") for r in lock_requirements(LOCK, platform="win_amd64"))
    assert all("==" in line for line in lock_requirements(LOCK))
    assert pins["pandas"] and "pytest" not in _names(pins)


def test_marker_environment_and_bad_platform():
    assert marker_environment("win_amd64")["sys_platform"] == "win32"
    assert marker_environment("macosx_14_0_arm64")["platform_machine"] == "arm64"
    assert marker_environment(None)["sys_platform"] == sys.platform
    with pytest.raises(InvalidParameterError, match=r"'win64'.*Known: \['win_amd64'.*Did you mean 'win_"):
        marker_environment("win64")


def test_unpinned_or_broken_lock_lines_are_refused(tmp_path):
    lock = tmp_path / "x.lock"
    lock.write_text("pandas>=2\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match=r"line 1: 'pandas>=2' is not pinned"):
        lock_requirements(lock)
    lock.write_text("# comment\n\nnumpy==2.0 ; sys_platform == 'win32'\n!!\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="line 4"):
        lock_requirements(lock)


def test_workshop_files_leave_out_solutions_unless_asked():
    files = {rel.as_posix() for _, rel in workshop_files(ROOT)}
    assert "datasets/demo/truth.json" in files
    assert any(f.startswith("notebooks/") and f.endswith(".ipynb") for f in files)
    assert not any(f.startswith("exercises/solutions/") for f in files)
    assert not any("/." in f or f.startswith(".") for f in files)
    if (ROOT / "exercises" / "solutions").is_dir():
        with_sol = {rel.as_posix() for _, rel in workshop_files(ROOT, solutions=True)}
        assert any(f.startswith("exercises/solutions/") for f in with_sol)
    with pytest.raises(InvalidParameterError, match="'zh-CN'"):
        workshop_files(ROOT, lang="zh-CN")


def test_bundle_refuses_a_folder_with_files_and_bad_versions(tmp_path):
    (tmp_path / "usb").mkdir()
    (tmp_path / "usb" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--force"):
        bundle(tmp_path / "usb")
    assert (tmp_path / "usb" / "mine.txt").read_text(encoding="utf-8") == "keep"
    with pytest.raises(InvalidParameterError, match="'3.eleven'"):
        bundle(tmp_path / "new", python_version="3.eleven")
    assert not (tmp_path / "new").exists()


def _no_network_prefix() -> list[str]:
    """Run in a fresh network namespace (no interface but a down loopback) when we may."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


@pytest.mark.slow
def test_the_kits_wheel_is_built_outside_the_checkout(tmp_path, monkeypatch):
    """pip builds the kit's wheel from a copy of its sources in a temporary folder, so the bundle leaves
    no ``build/`` or ``*.egg-info`` in the trainer's checkout; the copy has what the build reads."""
    import opsplaybook.classroom as C

    seen = {}

    def fake_pip(args, *, what, quiet):
        src = Path(args[-1])
        seen["src"] = src
        seen["files"] = sorted(p.name for p in src.iterdir())
        seen["pycache"] = any(src.rglob("__pycache__"))
        seen["font"] = any((src / "opsplaybook" / "fonts").glob("*.otf")) or any((src / "opsplaybook" / "fonts").glob("*.ttf"))

    monkeypatch.setattr(C, "_pip", fake_pip)
    C._build_kit_wheel(ROOT, tmp_path, quiet=True)
    assert ROOT not in seen["src"].parents and seen["src"] != ROOT
    assert seen["files"] == ["LICENSE", "README.md", "opsplaybook", "pyproject.toml"]
    assert not seen["pycache"] and seen["font"]
    assert not seen["src"].exists()  # the copy is gone afterwards


def test_bundle_installs_with_no_network(tmp_path):
    out = tmp_path / "U盘 bundle"  # Chinese characters and a space in the path
    res = bundle(out, quiet=True)
    info = json.loads((out / "bundle.json").read_text(encoding="utf-8"))
    reqs = lock_requirements(LOCK)
    assert info["wheels"] == len(res.wheels) == len(reqs) + 1  # + the kit's own wheel
    assert res.kit_wheel is not None and res.kit_wheel.name.startswith("opsplaybook-")
    for name in ("install.sh", "install.bat", "install.ps1", "start.sh", "start.bat", "INSTALL.md"):
        assert (out / name).is_file()
    assert b"\r\n" in (out / "install.bat").read_bytes()
    assert (out / "workshop" / "datasets" / "demo" / "truth.json").is_file()

    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL="http://127.0.0.1:9/simple",  # a closed port
               PYTHON=sys.executable, HOME=str(tmp_path / "home"))
    prefix = _no_network_prefix()
    proc = subprocess.run([*prefix, "sh", str(out / "install.sh")], env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "opsplaybook 0.1" in proc.stdout
    venv_bin = out / "workshop" / ".venv" / "bin"
    cli = subprocess.run([*prefix, str(venv_bin / "opsplaybook"), "--help"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert cli.returncode == 0 and "bundle" in cli.stdout and "usage: opsplaybook" in cli.stdout
    code = ("import opsplaybook as ops, sys; w = ops.load_demo(); "
            "print(len(w.users), ops.__file__, sep='|')")
    run = subprocess.run([*prefix, str(venv_bin / "python"), "-c", code], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path,
                         env={**env, "OPSPLAYBOOK_DEMO": str(out / "workshop" / "datasets" / "demo")})
    assert run.returncode == 0, run.stderr[-3000:]
    n_users, where = run.stdout.strip().split("|")
    assert int(n_users) == 5000
    assert str(out / "workshop" / ".venv") in where  # the bundle's own copy, not the checkout
    freeze = subprocess.run([str(venv_bin / "python"), "-m", "pip", "freeze"], capture_output=True, text=True,
                            env=env)
    installed = {line.split("==")[0].lower().replace("_", "-") for line in freeze.stdout.splitlines() if "==" in line}
    assert _names(reqs) <= installed and not {"pytest", "pyspark", "hypothesis"} & installed

    # start.sh: the launcher of the installed wheel (no checkout) opens the bundle's workshop folder
    lab = subprocess.Popen(["sh", str(out / "start.sh"), "--port", "0"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        url, seen = None, []
        deadline = time.monotonic() + 240
        while url is None and time.monotonic() < deadline and lab.poll() is None:
            line = lab.stdout.readline()
            seen.append(line)
            m = re.search(r"(http://\S+/lab\?token=\w+)", line)
            url = m.group(1) if m else None
        assert url, "".join(seen)[-2000:]
        base, token = url.split("/lab?token=")
        req = urllib.request.Request(f"{base}/api/contents/notebooks", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            listing = json.loads(r.read())
        assert any(item["name"].endswith(".ipynb") or item["type"] == "directory" for item in listing["content"])
        assert (out / "workshop" / ".opsplaybook").is_dir()  # the kit's settings stay inside the bundle
    finally:
        os.killpg(lab.pid, signal.SIGINT)
        try:
            lab.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
