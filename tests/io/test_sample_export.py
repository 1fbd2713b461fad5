"""The messy sample export of the capstone: committed copy == fresh build; every planted problem found."""
from __future__ import annotations

from pathlib import Path

import pytest

from opsplaybook.io import guess_mapping, read_table, validate_tables
from opsplaybook.io.sample import SAMPLE_BAD_ROWS, write_sample_export

COMMITTED = Path(__file__).resolve().parents[2] / "datasets" / "sample_export"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return write_sample_export(tmp_path_factory.mktemp("s") / "export")


def test_committed_copy_equals_a_fresh_build(fresh):
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in COMMITTED.iterdir() if p.suffix == ".csv")
    for n in names:
        assert (COMMITTED / n).read_bytes() == (fresh / n).read_bytes(), f"{n}: rebuild with write_sample_export"


def test_every_planted_problem_is_reported(fresh):
    m = guess_mapping(sorted(fresh.iterdir()))
    assert set(m.tables) == {"orders", "events", "users"}
    assert m.tables["users"].pii_columns == ["姓名", "手机号"]
    tables = {k: read_table(m.tables[k].file) for k in m.tables}
    text = validate_tables(tables, m, now="2030-01-01").summary()
    for file, row, col, value in SAMPLE_BAD_ROWS:
        assert f"{file}, column '{col}'" in text and f"data row {row}" in text, (col, row, text)
    assert "repeats an earlier row exactly" in text
    assert (fresh / "订单导出.csv").read_bytes().decode("gbk")  # GBK, as Chinese Excel writes it
