"""Reading a team's export: encodings, delimiters, formats, and a clear error for every bad file."""
from __future__ import annotations

import hashlib
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pandas._libs.parsers import STR_NA_VALUES

from opsplaybook.errors import DataValidationError, InvalidParameterError, OpsPlaybookError
from opsplaybook.io import read_table, sniff_file

ROWS = "用户ID,下单时间,订单金额,渠道\nu001,2025-01-03 10:00:00,12.50,抖音\nu002,2025-01-04 11:30:00,8.00,微信\n"
EXPECTED = pd.DataFrame({"用户ID": ["u001", "u002"], "下单时间": ["2025-01-03 10:00:00", "2025-01-04 11:30:00"],
                         "订单金额": [12.5, 8.0], "渠道": ["抖音", "微信"]})


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                               ("gbk", "gb18030"), ("gb18030", "gb18030")])
def test_encodings_detected_without_declaration(tmp_path, encoding, expected):
    p = tmp_path / "订单.csv"
    p.write_bytes(ROWS.encode(encoding))
    before = _digest(p)
    assert sniff_file(p).encoding == expected
    pd.testing.assert_frame_equal(read_table(p), EXPECTED)
    assert _digest(p) == before  # the input is never modified


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiter_sniffed(tmp_path, sep):
    p = tmp_path / "orders.csv"
    p.write_text(ROWS.replace(",", sep), encoding="utf-8")
    assert sniff_file(p).sep == sep
    pd.testing.assert_frame_equal(read_table(p), EXPECTED)


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_lazy_engines_read_the_same_table(tmp_path, engine, encoding):
    p = tmp_path / "订单.csv"
    p.write_bytes(ROWS.encode(encoding))
    before = _digest(p)
    got = read_table(p, engine=engine)
    df = got.collect().to_pandas() if engine == "polars" else got.df()
    assert list(df.columns) == list(EXPECTED.columns)
    assert df["渠道"].tolist() == ["抖音", "微信"]
    assert df["订单金额"].astype(float).tolist() == [12.5, 8.0]
    assert _digest(p) == before


def test_excel_and_parquet(tmp_path):
    xl = tmp_path / "订单.xlsx"
    EXPECTED.to_excel(xl, index=False)
    pd.testing.assert_frame_equal(read_table(xl), EXPECTED)
    pq = tmp_path / "orders.parquet"
    EXPECTED.to_parquet(pq)
    pd.testing.assert_frame_equal(read_table(pq), EXPECTED)
    folder = tmp_path / "parts"
    folder.mkdir()
    EXPECTED.iloc[:1].to_parquet(folder / "part-0.parquet")
    EXPECTED.iloc[1:].to_parquet(folder / "part-1.parquet")
    assert sorted(read_table(folder)["用户ID"]) == ["u001", "u002"]
    assert read_table(folder, engine="duckdb").count("*").fetchall()[0][0] == 2
    assert read_table(folder, engine="polars").collect().height == 2


def _merged_header_xlsx(path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["用户信息", None, "订单金额"])
    ws.merge_cells("A1:B1")
    ws.append(["u001", "2025-01-03", 12.5])
    wb.save(path)


BAD = {
    # name: (file name, bytes or writer, expected message part)
    "empty": ("a.csv", b"", "is empty"),
    "header only": ("a.csv", "用户ID,订单金额\n".encode(), "no data rows"),
    "xlsx renamed csv": ("a.csv", b"PK\x03\x04" + b"\x00" * 40, "rename it to .xlsx"),
    "png renamed csv": ("a.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"),
    "binary noise": ("a.csv", b"user,amount\n\x00\x01\x02\x03", "binary data (a NUL byte on line 2)"),
    "utf-16": ("a.csv", "用户ID,订单金额\nu1,3\n".encode("utf-16"), "UTF-16"),
    "unknown encoding": ("a.csv", b"user,amount\nu1,3\n\x80\x81\xfe\xff\xfe\n", "neither UTF-8 nor GBK"),
    "ragged row": ("a.csv", "用户ID,订单金额\nu1,3\nu2,4,5\nu3,6\n".encode(), "line 3 has 3 fields where the header has 2"),
    "unclosed quote": ("a.csv", 'user,amount\nu1,"3\nu2,4\n'.encode(), "quote that never closes"),
    "duplicate header": ("a.csv", "用户ID,用户ID\nu1,u2\n".encode(), "more than once: ['用户ID']"),
    "blank header": ("a.csv", "用户ID,,金额\nu1,x,3\n".encode(), "empty names at column(s) [2]"),
    "xlsx that is not": ("a.xlsx", b"user,amount\n", "not one"),
    "parquet that is not": ("a.parquet", b"user,amount\n", "no PAR1 header"),
    "old xls": ("a.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 40, "old Excel .xls"),
    "merged excel header": ("a.xlsx", _merged_header_xlsx, "merged or blank header cells"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_get_a_clear_error_naming_the_file(tmp_path, case):
    name, content, message = BAD[case]
    p = tmp_path / name
    if callable(content):
        content(p)
    else:
        p.write_bytes(content)
    before = _digest(p)
    with pytest.raises(DataValidationError) as info:
        read_table(p)
    assert str(p) in str(info.value)
    assert message in str(info.value), str(info.value)
    assert _digest(p) == before


def test_huge_field(tmp_path, monkeypatch):
    import opsplaybook.io.readers as readers
    monkeypatch.setattr(readers, "MAX_FIELD_CHARS", 1000)
    p = tmp_path / "a.csv"
    p.write_text("user,note\nu1,ok\nu2," + "x" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"column 'note', data row 2 holds a field of 5,000"):
        read_table(p)


def test_missing_file_suggests_the_closest_name(tmp_path):
    (tmp_path / "orders.csv").write_text("a\n1\n")
    with pytest.raises(InvalidParameterError, match=r"no such file.*Did you mean 'orders.csv'"):
        read_table(tmp_path / "order.csv")
    with pytest.raises(InvalidParameterError, match=r"\*\.json are not read"):
        (tmp_path / "x.json").write_text("{}")
        read_table(tmp_path / "x.json")
    with pytest.raises(InvalidParameterError, match="`engine`='spark' is not allowed"):
        read_table(tmp_path / "orders.csv", engine="spark")
    empty = tmp_path / "empty_folder"
    empty.mkdir()
    with pytest.raises(OpsPlaybookError, match="folder without Parquet files"):
        read_table(empty)


_cell = st.text(alphabet=string.ascii_letters + string.digits + "用户渠道抖音微信金额 ._-", min_size=1, max_size=8) \
    .map(str.strip).filter(lambda s: s and not s[0].isdigit() and s not in STR_NA_VALUES)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cols=st.lists(_cell, min_size=1, max_size=4, unique=True),
       data=st.data(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
       sep=st.sampled_from([",", ";", "\t", "|"]))
def test_any_text_table_round_trips(tmp_path, cols, data, encoding, sep):
    rows = data.draw(st.lists(st.lists(_cell, min_size=len(cols), max_size=len(cols)), min_size=1, max_size=6))
    df = pd.DataFrame(rows, columns=cols)
    p = tmp_path / f"t-{abs(hash((tuple(cols), encoding, sep)))}.csv"
    df.to_csv(p, index=False, sep=sep, encoding=encoding)
    got = read_table(p, dtype=str)
    pd.testing.assert_frame_equal(got.astype(object), df.astype(object), check_dtype=False)


@pytest.mark.parametrize("text,encoding,expected", [
    ("名\n微\n", "gbk", "gb18030"),            # GBK bytes that are also valid UTF-8 ("΢")
    ("A\n微\n", "gbk", "gb18030"),
    ("AA微A\nA\n", "utf-8", "utf-8"),           # UTF-8 bytes that are also valid GB18030 ("寰瓵")
    ("name\nCafé crème\nrésumé\n", "utf-8", "utf-8"),
    ("plain,ascii\n1,2\n", "utf-8", "utf-8"),
])
def test_ambiguous_short_files(tmp_path, text, encoding, expected):
    p = tmp_path / "a.csv"
    p.write_bytes(text.encode(encoding))
    assert sniff_file(p).encoding == expected
    assert read_table(p, dtype=str).columns[0] == text.split("\n")[0].split(",")[0]


def test_gbk_whose_utf8_reading_is_not_latin(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes("A\nAAA微\n".encode("gbk"))  # also valid UTF-8 ("AAA΢"), found by the round-trip property
    assert sniff_file(p).encoding == "gb18030"
