"""Safe exports of per-user tables: personal data masked or hashed, text cells neutralised against
CSV formula injection, CSV with a UTF-8 BOM (Excel opens Chinese correctly), files written atomically.

>>> import pandas as pd
>>> df = pd.DataFrame({"user_id": [1, 2], "姓名": ["张三丰", "Li"], "手机号": ["13812345678", None],
...                    "note": ["=HYPERLINK(\\"http://x\\")", "-3 OK"]})
>>> safe = protect(df, pii={"姓名": "mask", "手机号": "mask"}, salt="demo")
>>> safe["姓名"].tolist(), safe["手机号"].tolist()
(['张**', 'L*'], ['138****5678', <NA>])
>>> print(*safe["note"], sep="  |  ")
'=HYPERLINK("http://x")  |  '-3 OK
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from .._files import atomic_file
from ..errors import check_choice

__all__ = ["mask_value", "hash_value", "protect", "neutralise_formulas", "write_csv", "write_parquet"]

#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), plus tab and CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PII_MODES = ("mask", "hash", "drop", "keep")


def mask_value(v) -> object:
    """Keep the first character (and a phone's first 3 / last 4 digits); star the rest.

    >>> mask_value("13812345678"), mask_value("王小明"), mask_value("a@b.com")
    ('138****5678', '王**', 'a******')
    """
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return pd.NA
    s = str(v)
    digits = "".join(ch for ch in s if ch.isdigit())
    if len(digits) >= 11 and len(digits) >= len(s) - 4:  # a phone number (+86 / spaces / dashes allowed)
        return digits[-11:-8] + "****" + digits[-4:]
    return s[:1] + "*" * max(len(s) - 1, 1)


def hash_value(v, *, salt: str) -> object:
    """A salted SHA-256 (first 16 hex digits): the same person gets the same code within one export
    set, and the code cannot be turned back into the value without the salt."""
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return pd.NA
    return hashlib.sha256(f"{salt}|{v}".encode()).hexdigest()[:16]


def neutralise_formulas(s: pd.Series) -> pd.Series:
    """Prefix text cells that start like a formula with ``'`` (OWASP's advice), leave others as they are."""
    if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
        return s
    txt = s.astype("string")
    bad = txt.str.startswith(FORMULA_START).fillna(False)
    if not bad.any():
        return s
    return s.mask(bad, "'" + txt)


def protect(df: pd.DataFrame, *, pii: dict | None = None, salt: str | None = None) -> pd.DataFrame:
    """A copy of ``df`` fit to leave the team's hands: personal data handled per column, formulas neutralised.

    Parameters
    ----------
    pii : dict, optional
        ``{column: "mask" | "hash" | "drop" | "keep"}`` for personal data columns (names, phones,
        e-mails …). Columns not listed are not personal data.
    salt : str, optional
        Salt of ``"hash"`` (default: a random one per call, so codes do not link across runs).
    """
    out = df.copy()
    salt = salt if salt is not None else os.urandom(16).hex()
    for col, mode in (pii or {}).items():
        check_choice(f"pii[{col!r}]", mode, PII_MODES)
        if col not in out.columns:
            continue
        if mode == "drop":
            out = out.drop(columns=col)
        elif mode == "mask":
            out[col] = out[col].map(mask_value).astype("string")
        elif mode == "hash":
            out[col] = out[col].map(lambda v: hash_value(v, salt=salt)).astype("string")
    for col in out.columns:
        out[col] = neutralise_formulas(out[col])
    return out


def write_csv(df: pd.DataFrame, path, *, pii: dict | None = None, salt: str | None = None,
              force: bool = False) -> Path:
    """Write ``protect(df)`` as CSV in UTF-8 with a BOM (Excel reads the Chinese right), atomically."""
    safe = protect(df, pii=pii, salt=salt)
    return atomic_file(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"), force=force)


def write_parquet(df: pd.DataFrame, path, *, pii: dict | None = None, salt: str | None = None,
                  force: bool = False) -> Path:
    """Write ``protect(df)`` as Parquet, atomically (formula prefixes are kept for consistency with the CSV)."""
    safe = protect(df, pii=pii, salt=salt)
    return atomic_file(path, lambda tmp: safe.to_parquet(tmp, index=False), force=force)
