"""``generate_world`` works, with the same tables, from every way a learner or a team runs Python.

Each form runs in its own process, on a world of several chunks, with two worker processes; a
worker that does not start would fall back with a ``RuntimeWarning`` starting "generate_world",
which ``PYTHONWARNINGS`` turns into an error here, so every form below really runs in parallel.
The tables' hashes are compared across the forms and with ``workers=1`` in this process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

import opsplaybook as ops

ARGS = dict(n_users=21_000, seed=3, days=14)  # three chunks (10 000 + 10 000 + 1 000 users)

HASH_SRC = textwrap.dedent('''
    import hashlib
    import pandas as pd

    def world_hashes(world):
        tables = dict(world.tables(), truth_users=world.truth.users)
        out = {}
        for name, df in tables.items():
            h = hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
            h.update(repr([(c, str(t)) for c, t in df.dtypes.items()]).encode())
            out[name] = h.hexdigest()
        return out
''')

# What a learner's make.py holds: no ``if __name__ == "__main__":`` guard.
SCRIPT = HASH_SRC + textwrap.dedent(f'''
    import json, sys
    import opsplaybook as ops
    world = ops.generate_world(**{ARGS!r}, workers=2)
    print("HASHES " + json.dumps(world_hashes(world)))
''')


@pytest.fixture(scope="module")
def reference():
    ns: dict = {}
    exec(HASH_SRC, ns)
    world = ops.generate_world(**ARGS, workers=1)
    assert world.users["user_id"].max() == ARGS["n_users"]
    return ns["world_hashes"](world)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONWARNINGS"] = "error:generate_world:RuntimeWarning"
    return env


def _hashes_from(stdout: str) -> dict:
    lines = [ln for ln in stdout.splitlines() if ln.startswith("HASHES ")]
    assert lines, stdout[-2000:]
    return json.loads(lines[-1][len("HASHES "):])


def _run(cmd, cwd, **kw) -> subprocess.CompletedProcess:
    res = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=600, **kw)
    assert res.returncode == 0, res.stderr[-3000:]
    return res


@pytest.mark.parametrize("form", ["script", "module", "dash_c", "stdin"])
def test_plain_python_forms(form, tmp_path, reference):
    (tmp_path / "make.py").write_text(SCRIPT, encoding="utf-8")
    py = sys.executable
    if form == "script":
        res = _run([py, "make.py"], tmp_path)
    elif form == "module":
        res = _run([py, "-m", "make"], tmp_path)
    elif form == "dash_c":
        res = _run([py, "-c", SCRIPT], tmp_path)
    else:
        res = _run([py, "-"], tmp_path, input=SCRIPT)
    assert _hashes_from(res.stdout) == reference


def test_pytest_form(tmp_path, reference):
    test = HASH_SRC + textwrap.dedent(f'''
        import json
        import opsplaybook as ops

        def test_make():
            world = ops.generate_world(**{ARGS!r}, workers=2)
            print("HASHES " + json.dumps(world_hashes(world)))
    ''')
    (tmp_path / "test_make.py").write_text(test, encoding="utf-8")
    res = _run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "test_make.py"], tmp_path)
    assert _hashes_from(res.stdout) == reference


def test_notebook_form(tmp_path, reference, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("PYTHONWARNINGS", "error:generate_world:RuntimeWarning")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SCRIPT)]
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("output_type") == "stream")
    assert _hashes_from(out) == reference


def test_cli_form(tmp_path, reference):
    out = tmp_path / "w"
    _run([sys.executable, "-m", "opsplaybook", "generate", "--users", str(ARGS["n_users"]), "--seed", str(ARGS["seed"]),
          "--days", str(ARGS["days"]), "--workers", "2", "--out", str(out), "--quiet"], tmp_path)
    ns: dict = {}
    exec(HASH_SRC, ns)
    assert ns["world_hashes"](ops.load_world(out)) == reference


def test_a_worker_that_cannot_start_falls_back_with_a_reason(monkeypatch):
    """A broken worker interpreter: the chunks are made here, same rows, and the warning says why."""
    from opsplaybook.world import parallel

    monkeypatch.setattr(parallel, "_SERVE", "import sys; sys.exit('no opsplaybook here')")
    with pytest.warns(RuntimeWarning, match=r"generate_world: 2 of 2 worker processes did not start.*no opsplaybook here"):
        w = ops.generate_world(n_users=12_000, seed=1, days=14, workers=2)
    ref = ops.generate_world(n_users=12_000, seed=1, days=14, workers=1)
    for name in ops.TABLES:
        assert getattr(w, name).equals(getattr(ref, name)), name


def test_an_error_in_a_worker_reaches_the_caller(monkeypatch):
    """An exception raised while a worker makes a chunk is re-raised here, as itself."""
    from opsplaybook.world import parallel

    with pytest.raises(ZeroDivisionError):
        list(parallel.imap_chunks(divmod, 1, 3, workers=2))  # divmod(1, 0) fails in the worker
    assert list(parallel.imap_chunks(pow, 2, 4, workers=2)) == [1, 2, 4, 8]
