"""pytest plugin for an nbval run: writes the outputs each notebook cell produced under nbval to JSON.

    OPSPLAYBOOK_NBVAL_RECORD=run.json python -m pytest --nbval-lax -p nbval_record notebook.ipynb

(with ``tests/`` on ``PYTHONPATH``). ``tests/notebooks/test_notebooks_clean.py`` runs every built
notebook once this way and checks nbval's verdict *and* the recorded outputs (no error, nothing on
stderr, the exercise feedback), so a notebook is executed once, not once by nbval and again by
nbclient. The file holds ``{"notebook path": [{"cell": n, "source": ..., "outputs": [...]}, ...]}``
in execution order; outputs are nbformat output dicts as nbval collected them (streams coalesced).
"""
from __future__ import annotations

import json
import os

import pytest

_RECORD: dict[str, list[dict]] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    try:
        yield
    finally:
        outputs = getattr(item, "test_outputs", None)
        cell = getattr(item, "cell", None)
        if cell is not None:  # an nbval cell item (nbval sets test_outputs before reading any output)
            _RECORD.setdefault(str(item.fspath), []).append(
                {"cell": item.cell_num, "source": cell.source, "outputs": [dict(o) for o in (outputs or [])]})


def pytest_sessionfinish(session):
    path = os.environ.get("OPSPLAYBOOK_NBVAL_RECORD")
    if path:
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(_RECORD, fh, ensure_ascii=False, default=str)
        os.replace(tmp, path)
