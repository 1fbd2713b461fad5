"""Exports: personal data masked/hashed, formula injection neutralised, BOM CSV, atomic writes."""
from __future__ import annotations

import pandas as pd
import pytest

from opsplaybook.errors import InvalidParameterError, OutputExistsError
from opsplaybook.io.exports import hash_value, mask_value, protect, write_csv, write_parquet

DF = pd.DataFrame({"user_id": [1, 2, 3], "姓名": ["张三丰", "李四", None],
                   "手机号": ["13812345678", "+86 139-1234-5678", "400"],
                   "segment": ["重要价值客户", "=1+1", "@SUM(A1)"], "amount": [-3.5, 2.0, 0.0]})


def test_mask_and_hash():
    assert mask_value("+86 139-1234-5678") == "139****5678"
    assert mask_value("李") == "李*" and pd.isna(mask_value(None))
    a, b = hash_value("张三", salt="s"), hash_value("张三", salt="s")
    assert a == b and a != hash_value("张三", salt="t") and len(a) == 16 and "张" not in a


def test_protect_handles_pii_and_formulas_without_touching_the_input():
    before = DF.copy()
    out = protect(DF, pii={"姓名": "hash", "手机号": "mask"}, salt="x")
    pd.testing.assert_frame_equal(DF, before)
    assert out["手机号"].tolist() == ["138****5678", "139****5678", "4**"]
    assert out["姓名"].iloc[0] == hash_value("张三丰", salt="x") and pd.isna(out["姓名"].iloc[2])
    assert out["segment"].tolist() == ["重要价值客户", "'=1+1", "'@SUM(A1)"]
    assert out["amount"].tolist() == [-3.5, 2.0, 0.0]  # numbers are numbers, not formulas
    assert "姓名" not in protect(DF, pii={"姓名": "drop"}).columns
    with pytest.raises(InvalidParameterError, match=r"`pii\['姓名'\]`='blur' is not allowed"):
        protect(DF, pii={"姓名": "blur"})


def test_csv_has_a_bom_and_reads_back(tmp_path):
    p = write_csv(DF, tmp_path / "用户.csv", pii={"姓名": "mask", "手机号": "mask"})
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "重要价值客户".encode() in raw
    assert b"13812345678" not in raw and "张三丰".encode() not in raw
    back = pd.read_csv(p, encoding="utf-8-sig")
    assert back["segment"].tolist() == ["重要价值客户", "'=1+1", "'@SUM(A1)"]
    q = write_parquet(DF, tmp_path / "users.parquet", pii={"手机号": "hash"}, salt="k")
    assert pd.read_parquet(q)["手机号"].iloc[0] == hash_value("13812345678", salt="k")


def test_atomic_and_never_overwrites(tmp_path, monkeypatch):
    p = write_csv(DF, tmp_path / "a.csv")
    first = p.read_bytes()
    with pytest.raises(OutputExistsError, match="already exists; nothing was written"):
        write_csv(DF.head(1), p)
    assert p.read_bytes() == first

    def half_written(self, path, **kw):
        open(path, "w").write("user_id,姓")  # the disk fills up half-way
        raise OSError("No space left on device")

    with monkeypatch.context() as m:
        m.setattr(pd.DataFrame, "to_csv", half_written)
        with pytest.raises(OSError):
            write_csv(DF, tmp_path / "b.csv")
    assert not (tmp_path / "b.csv").exists() and not list(tmp_path.glob(".b.csv.*"))  # nothing half-written
    write_csv(DF.head(1), p, force=True)
    assert len(pd.read_csv(p, encoding="utf-8-sig")) == 1
