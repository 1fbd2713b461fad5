"""Read a team's own export: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 — detected, never declared),
Excel (.xlsx), Parquet files and folders of Parquet files.

Every problem with a file gets the kit's :class:`~opsplaybook.errors.DataValidationError` naming the
file, and the line, row or column where it can be told. Input files are only ever read.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "订单.csv"
>>> _ = p.write_bytes("用户ID;订单金额\\nu1;12.5\\nu2;8\\n".encode("gbk"))
>>> info = sniff_file(p)
>>> (info.kind, info.encoding, info.sep)
('csv', 'gb18030', ';')
>>> read_table(p)
  用户ID  订单金额
0   u1  12.5
1   u2   8.0
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataValidationError, InvalidParameterError, check_choice

__all__ = ["FileInfo", "sniff_file", "read_table"]

#: How many bytes of a file are looked at to tell its kind, encoding and delimiter.
SAMPLE_BYTES = 1 << 20
#: A single CSV field longer than this is refused (a sign of a broken quote or a wrong delimiter).
MAX_FIELD_CHARS = 1_000_000

_CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
# Magic numbers of formats that are sometimes renamed to .csv by mistake.
_MAGIC = {
    b"PK\x03\x04": "a ZIP container (an Excel .xlsx workbook is one: rename it to .xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls / Office file (save it as .xlsx or CSV)",
    b"PAR1": "a Parquet file (rename it to .parquet)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive (unpack it first)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}
ENGINES = ("pandas", "polars", "duckdb")


@dataclass(frozen=True)
class FileInfo:
    """What :func:`sniff_file` found out about a file without reading all of it."""

    path: Path
    kind: str            #: "csv", "excel", "parquet" or "parquet-folder"
    encoding: str | None  #: "utf-8", "utf-8-sig" or "gb18030" for CSV; None otherwise
    sep: str | None       #: the CSV delimiter; None otherwise


def _bad(path: Path, what: str, fix: str = "") -> DataValidationError:
    return DataValidationError(f"{path}: {what}" + (f" {fix}" if fix else ""))


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _detect_encoding(path: Path, sample: bytes, complete: bool) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as UTF-8, else GB18030 (a superset of GBK
    and GB2312, what Chinese Excel and most Chinese systems export), else an error naming the line."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    def decodes(enc: str) -> UnicodeDecodeError | None:
        try:  # incremental: a character cut at the sample's end is not an error
            codecs.getincrementaldecoder(enc)().decode(sample, final=complete)
        except UnicodeDecodeError as exc:
            return exc
        return None

    utf8_error, gb_error = decodes("utf-8"), decodes("gb18030")
    if utf8_error is None and (gb_error is not None or sample.isascii()):
        return "utf-8"
    if utf8_error is not None and gb_error is None:
        return "gb18030"
    if utf8_error is None:
        # Both decode. Chinese read as UTF-8 is the common case; but short GBK text can be valid
        # UTF-8 too (GBK 微 = b"\xce\xa2" = UTF-8 "΢"), and then its UTF-8 reading has no Chinese.
        # Only then let charset-normalizer judge which reading is coherent text.
        text = sample.decode("utf-8", errors="ignore")
        if any("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
               for ch in text):
            return "utf-8"
        # No Chinese in the UTF-8 reading: unless its other letters are Latin ones (é, ü …, where
        # charset-normalizer judges), the bytes are GBK read wrongly (e.g. Greek "΢" from 微).
        if not any("\u00c0" <= ch <= "\u024f" for ch in text if not ch.isascii()):
            return "gb18030"
        from charset_normalizer import from_bytes

        best = from_bytes(sample, cp_isolation=["utf_8", "gb18030"]).best()
        return "gb18030" if best is not None and best.encoding == "gb18030" else "utf-8"
    line = _line_of(sample, utf8_error.start)
    raise _bad(path, f"is neither UTF-8 nor GBK/GB18030 text (undecodable bytes "
                     f"{sample[utf8_error.start:utf8_error.start + 4]!r} on line {line}).",
               "Save it as CSV UTF-8, or pass `encoding=` with the file's encoding.")


def _detect_sep(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:  # one column, or too irregular to tell: count on the header line
        header = lines[0]
        counts = {d: header.count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def sniff_file(path, *, encoding: str | None = None, sep: str | None = None) -> FileInfo:
    """Tell a file's kind (by its name and its first bytes), and for CSV its encoding and delimiter.

    Parameters
    ----------
    path : str or Path
        A CSV/TSV/TXT file, an Excel workbook (.xlsx), a Parquet file, or a folder of Parquet files.
    encoding, sep : str, optional
        Given values are used as they are; missing ones are detected.

    Raises
    ------
    DataValidationError
        The file is missing, empty, binary under a text name, or text in an unknown encoding.
    """
    path = Path(path).expanduser()
    if not path.exists():
        near = sorted(p.name for p in path.parent.glob("*")) if path.parent.is_dir() else []
        from ..errors import did_you_mean
        raise InvalidParameterError(f"{path}: no such file or folder." + did_you_mean(path.name, near))
    if path.is_dir():
        parts = sorted(p for p in path.rglob("*") if p.suffix.lower() in _PARQUET_SUFFIXES)
        if not parts:
            raise _bad(path, "is a folder without Parquet files (*.parquet).",
                       "Give a file, or a folder that holds the Parquet parts of one table.")
        return FileInfo(path, "parquet-folder", None, None)
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
        complete = not fh.read(1)
    if not sample:
        raise _bad(path, "is empty (0 bytes).", "Export the table again; the file holds nothing.")
    if suffix in _EXCEL_SUFFIXES:
        if not sample.startswith(b"PK\x03\x04"):
            raise _bad(path, "is named like an Excel workbook but is not one (no .xlsx container).",
                       "Open it in Excel and save it as .xlsx, or rename it to .csv if it is text.")
        return FileInfo(path, "excel", None, None)
    if suffix in _PARQUET_SUFFIXES:
        if not sample.startswith(b"PAR1"):
            raise _bad(path, "is named like a Parquet file but is not one (no PAR1 header).")
        return FileInfo(path, "parquet", None, None)
    if suffix and suffix not in _CSV_SUFFIXES | {".xls"}:
        raise InvalidParameterError(
            f"{path}: files named *{suffix} are not read. Give a CSV/TSV/TXT file, an Excel .xlsx "
            "workbook, a Parquet file or a folder of Parquet files.")
    if suffix == ".xls":
        raise _bad(path, "is an old Excel .xls workbook.", "Save it as .xlsx (or CSV UTF-8) and try again.")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _bad(path, "is UTF-16 text (Excel's \"Unicode text\").",
                   "Save it as CSV UTF-8 (Excel: 另存为 → CSV UTF-8) and try again.")
    for magic, what in _MAGIC.items():
        if sample.startswith(magic):
            raise _bad(path, f"is not a text table: it is {what}.")
    if b"\x00" in sample:
        nul_line = _line_of(sample, sample.index(b"\x00"))
        raise _bad(path, f"is not a text table: it holds binary data (a NUL byte on line {nul_line}).",
                   "Export the table as CSV UTF-8, Excel .xlsx or Parquet.")
    enc = encoding or _detect_encoding(path, sample, complete)
    if sep is None:
        text = codecs.getincrementaldecoder(enc)(errors="replace").decode(sample, final=False)
        sep = "\t" if suffix in {".tsv", ".tab"} else _detect_sep(text)
    return FileInfo(path, "csv", enc, sep)


def _check_header(path: Path, columns: list[str], *, where: str = "header row") -> None:
    blank = [i + 1 for i, c in enumerate(columns) if not str(c).strip() or str(c).startswith("Unnamed: ")]
    if blank:
        raise _bad(path, f"the {where} has empty names at column(s) {blank} "
                         "(merged or blank header cells).",
                   "Give every column a name in one header row (unmerge merged header cells).")
    seen: dict[str, int] = {}
    dups = []
    for c in columns:
        c = str(c).strip()
        seen[c] = seen.get(c, 0) + 1
        if seen[c] == 2:
            dups.append(c)
    if dups:
        raise _bad(path, f"the {where} names these columns more than once: {dups}.",
                   "Rename them so every column name is unique.")


def _csv_pandas(info: FileInfo, *, dtype, nrows):
    import pandas as pd

    path = info.path
    try:
        df = pd.read_csv(path, sep=info.sep, encoding=info.encoding, dtype=dtype, nrows=nrows,
                         skipinitialspace=False, on_bad_lines="error", low_memory=False)
    except pd.errors.EmptyDataError:
        raise _bad(path, "holds no header and no rows.", "Export the table again.") from None
    except pd.errors.ParserError as exc:
        msg = str(exc)
        # "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"
        import re
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if m:
            raise _bad(path, f"line {m.group(2)} has {m.group(3)} fields where the header has "
                             f"{m.group(1)} (a ragged row: an unquoted {info.sep!r} inside a value, "
                             "or a missing/extra column).",
                       "Quote values that contain the delimiter, or fix that line.") from None
        if "EOF inside string" in msg or "EOF" in msg:
            m = re.search(r"starting at row (\d+)", msg)
            row = f" (the quote opens in data row {int(m.group(1)) + 1})" if m else ""
            raise _bad(path, f"has a quote that never closes{row}.",
                       "Close the quote or remove the stray \" character.") from None
        raise _bad(path, f"cannot be read as a {info.sep!r}-separated table: {msg}") from None
    except UnicodeDecodeError as exc:
        raise _bad(path, f"is not consistently {info.encoding} text: {exc.reason} at byte {exc.start}.",
                   "Pass `encoding=` with the file's encoding, or save it as CSV UTF-8.") from None
    _check_header(path, _first_record(info))
    if df.empty and nrows != 0:
        raise _bad(path, f"has a header ({list(df.columns)}) but no data rows.",
                   "Export the table again with its rows.")
    _check_fields(path, df)
    return df


def _first_record(info: FileInfo) -> list[str]:
    """The header row as written (pandas renames duplicate names to ``x.1``, hiding them)."""
    with info.path.open(encoding=info.encoding, newline="", errors="replace") as fh:
        return next(csv.reader(fh, delimiter=info.sep), [])


def _check_fields(path: Path, df) -> None:
    import pandas as pd

    for col in df.columns:
        s = df[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        lens = s.astype("string").str.len()
        if len(lens) and lens.max(skipna=True) > MAX_FIELD_CHARS:
            row = int(lens.fillna(0).to_numpy().argmax())
            raise _bad(path, f"column {col!r}, data row {row + 1} holds a field of {int(lens.iloc[row]):,} "
                             f"characters (more than {MAX_FIELD_CHARS:,}).",
                       "A quote that never closes, or the wrong delimiter, makes one huge field; "
                       "check that row.")


def _excel_pandas(info: FileInfo, *, sheet, dtype, nrows):
    import pandas as pd

    try:
        import openpyxl  # noqa: F401
    except ImportError:  # pragma: no cover
        raise ImportError("Reading Excel files needs openpyxl: pip install openpyxl") from None
    try:
        df = pd.read_excel(info.path, sheet_name=0 if sheet is None else sheet, dtype=dtype, nrows=nrows,
                           engine="openpyxl")
    except ValueError as exc:
        if "Worksheet" in str(exc) or "not found" in str(exc):
            import openpyxl
            names = openpyxl.load_workbook(info.path, read_only=True).sheetnames
            raise _bad(info.path, f"has no sheet {sheet!r}. Sheets: {names}.") from None
        raise
    except Exception as exc:  # zipfile.BadZipFile, KeyError from a damaged workbook …
        raise _bad(info.path, f"cannot be opened as an Excel workbook: {exc}.") from None
    _check_header(info.path, [str(c) for c in df.columns], where="first row of the sheet")
    if df.empty:
        raise _bad(info.path, "the sheet has a header but no data rows.")
    return df


def _utf8_copy(info: FileInfo) -> Path:
    """A UTF-8 copy of a GBK file for the engines that read only UTF-8 (Polars, DuckDB), streamed in
    blocks so files larger than memory work; kept in the user's temp folder, keyed on the file's path,
    size and time, and made atomically. The original is never touched."""
    st = info.path.stat()
    key = hashlib.sha1(f"{info.path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    out = Path(tempfile.gettempdir()) / "opsplaybook-utf8" / f"{info.path.stem}-{key}.csv"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_suffix(f".partial-{os.getpid()}")
    dec = codecs.getincrementaldecoder(info.encoding)()
    line = 1
    try:
        with info.path.open("rb") as src, part.open("w", encoding="utf-8", newline="") as dst:
            while block := src.read(SAMPLE_BYTES):
                try:
                    dst.write(dec.decode(block))
                except UnicodeDecodeError as exc:
                    bad_line = line + block.count(b"\n", 0, exc.start)
                    raise _bad(info.path, f"is not consistently {info.encoding} text (line {bad_line}).",
                               "Pass `encoding=`, or save the file as CSV UTF-8.") from None
                line += block.count(b"\n")
            dst.write(dec.decode(b"", final=True))
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return out


def read_table(path, *, engine: str = "pandas", encoding: str | None = None, sep: str | None = None,
               sheet: str | int | None = None, dtype=None, nrows: int | None = None, con=None):
    """Read one table of a team's export, whatever its format, with clear errors.

    Parameters
    ----------
    path : str or Path
        CSV/TSV/TXT (UTF-8, UTF-8 with BOM or GBK/GB18030, detected; delimiter sniffed among
        ``, ; tab |``), Excel ``.xlsx`` (first sheet unless ``sheet=``), a Parquet file, or a folder of
        Parquet files (the parts of one table).
    engine : {"pandas", "polars", "duckdb"}
        What to return: a pandas DataFrame (default), a Polars LazyFrame or a DuckDB relation. The
        last two read lazily, so files larger than memory work (a GBK file is first copied to UTF-8
        in the temp folder, block by block). Excel is always read through pandas.
    encoding, sep : str, optional
        Override the detected encoding / delimiter.
    sheet : str or int, optional
        Excel sheet name or position.
    dtype : optional
        Passed to pandas (e.g. ``str`` to keep ids such as ``"007"`` as text).
    nrows : int, optional
        Read only the first rows (pandas engine).
    con : duckdb.DuckDBPyConnection, optional
        The DuckDB connection relations are made on (engine "duckdb"; default: DuckDB's default
        connection). Tables that will be joined must share one.

    Returns
    -------
    pandas.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation

    Raises
    ------
    DataValidationError
        Empty or header-only file, binary data under a text name, unknown encoding, ragged rows
        (naming the line), a field longer than :data:`MAX_FIELD_CHARS`, empty or duplicate header
        names (e.g. merged header cells in Excel).
    """
    check_choice("engine", engine, ENGINES)
    info = sniff_file(path, encoding=encoding, sep=sep)
    if info.kind == "excel":
        df = _excel_pandas(info, sheet=sheet, dtype=dtype, nrows=nrows)
        return _from_pandas(df, engine, con)
    if info.kind in ("parquet", "parquet-folder"):
        return _parquet(info, engine, nrows=nrows, con=con)
    if engine == "pandas":
        return _csv_pandas(info, dtype=dtype, nrows=nrows)
    # Lazy engines: check the head with pandas (same errors as above), then scan the whole file.
    _csv_pandas(info, dtype=str, nrows=1000)
    src = info.path if info.encoding in ("utf-8", "utf-8-sig") else _utf8_copy(info)
    if engine == "polars":
        import polars as pl
        return pl.scan_csv(src, separator=info.sep, infer_schema_length=10_000)
    import duckdb
    return (con or duckdb).read_csv(str(src), sep=info.sep, header=True)


def _parquet(info: FileInfo, engine: str, *, nrows, con=None):
    target = info.path
    if engine == "pandas":
        import pandas as pd
        try:
            df = pd.read_parquet(target)
        except Exception as exc:
            raise _bad(target, f"cannot be read as Parquet: {exc}.") from None
        return df.head(nrows) if nrows is not None else df
    pattern = str(target / "**" / "*.parquet") if info.kind == "parquet-folder" else str(target)
    if engine == "polars":
        import polars as pl
        return pl.scan_parquet(pattern)
    import duckdb
    return (con or duckdb).read_parquet(pattern)


def _from_pandas(df, engine: str, con=None):
    if engine == "pandas":
        return df
    if engine == "polars":
        import polars as pl
        return pl.from_pandas(df).lazy()
    import duckdb
    return (con or duckdb).from_df(df)
