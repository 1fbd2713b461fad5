"""scripts/lock.py: which platforms need a package (the markers written into the locks)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lock_module():
    spec = importlib.util.spec_from_file_location("lock_script", ROOT / "scripts" / "lock.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


REQUIRES = {  # package -> (requires_dist, extras requested of it)
    "opsplaybook": (["a>=1", 'b ; sys_platform == "win32"', "c[x]", 'g ; sys_platform != "win32"'], []),
    "a": ([], []),
    "b": (["f"], []),
    "c": (['d ; extra == "x"', 'e ; extra == "y"'], ["x"]),
    "d": ([], []), "e": ([], []), "f": ([], []), "g": (['h ; os_name == "nt"'], []), "h": ([], []),
}


def test_reachable_follows_markers_and_extras():
    lock = _lock_module()
    win = {**lock.default_environment(), **lock.OTHER_PLATFORMS["win32"][0]}
    mac = {**lock.default_environment(), **lock.OTHER_PLATFORMS["darwin"][0]}
    linux = {**lock.default_environment(), "sys_platform": "linux", "os_name": "posix"}
    assert lock._reachable(REQUIRES, linux) == {"opsplaybook", "a", "c", "d", "g"}
    assert lock._reachable(REQUIRES, win) == {"opsplaybook", "a", "b", "c", "d", "f"}
    assert lock._reachable(REQUIRES, mac) == lock._reachable(REQUIRES, linux)


def test_markers_name_the_platforms_that_need_a_package():
    lock = _lock_module()
    markers = lock._markers(REQUIRES, ["a", "b", "f", "g", "e"])
    assert markers["a"] is None  # every platform
    assert markers["b"] == markers["f"] == 'sys_platform == "win32"'
    assert markers["g"] == 'sys_platform == "linux" or sys_platform == "darwin"'
    assert markers["e"] is None  # the walk finds no platform for it, yet pip pinned it: keep it everywhere


def test_the_locks_markers_parse_and_cover_the_three_platforms():
    from packaging.requirements import Requirement

    for name in ("requirements-workshop.lock", "requirements-dev.lock"):
        lines = [x for x in (ROOT / name).read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
        reqs = [Requirement(x) for x in lines]
        assert all(len(r.specifier) == 1 and next(iter(r.specifier)).operator == "==" for r in reqs), name
        for r in reqs:
            if r.marker is not None:
                assert any(r.marker.evaluate({"sys_platform": p}) for p in ("linux", "win32", "darwin")), str(r)
