"""Validate a team's tables before any analysis: every problem at once, each with the file, the
column, example rows and a suggested fix.

The checks are a `pandera <https://pandera.readthedocs.io>`_ schema per table, built from the
mapping's roles (user ids present, times parseable in one format and one time zone and not in the
future, amounts numeric and not negative, event names present, no duplicate rows or order ids);
pandera runs them all (``lazy=True``) and this module turns its failure cases into sentences.

>>> import pandas as pd
>>> from opsplaybook.io.mapping import load_mapping
>>> m = load_mapping({"tables": {"orders": {"file": "订单.csv",
...                  "columns": {"user": "用户ID", "time": "下单时间", "amount": "金额"}}}})
>>> orders = pd.DataFrame({"用户ID": ["u1", "u2", None], "下单时间": ["2025-01-02", "昨天", "2025-01-03"],
...                        "金额": ["9.9", "-3", "12"]})
>>> report = validate_tables({"orders": orders}, m, now="2026-01-01")
>>> print(report.summary())   # doctest: +NORMALIZE_WHITESPACE
3 problems in the data; nothing was analysed:
- 订单.csv, column '用户ID' (user): 1 row has no user id: data row 3. Fix: every row needs the user it belongs to; drop these rows or fill the id.
- 订单.csv, column '下单时间' (time): 1 value is not a date/time: data row 2 '昨天'. Fix: use one format such as 2025-01-31 or 2025-01-31 14:05:00.
- 订单.csv, column '金额' (amount): 1 negative amount: data row 2 '-3'. Fix: if these are refunds, remove them or map an order `status` column; otherwise correct the sign.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import pandas as pd

from ..errors import DataValidationError

__all__ = ["Problem", "ValidationReport", "validate_tables"]

#: How many example rows each problem shows.
EXAMPLES = 3

# A time zone written at the end of a time value; the rest, with digits as 9, is its "format".
_TZ = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def _pandera():
    with warnings.catch_warnings():  # pandera probes optional back-ends (e.g. pyspark) when imported
        warnings.filterwarnings("ignore", category=FutureWarning)
        import pandera.pandas as pa
    return pa


@dataclass
class Problem:
    """One kind of bad value in one column of one file."""

    file: str
    table: str
    column: str | None
    role: str | None
    what: str
    count: int
    examples: list[tuple[int | None, object]] = field(default_factory=list)
    fix: str = ""
    lang: str = "en"

    def __str__(self) -> str:
        if self.lang == "zh":
            role = _ROLE_ZH.get(self.role or "", self.role)
            where = f"{self.file}，列 {self.column!r}（{role}）" if self.column else f"{self.file}"
            ex = "，".join(f"第 {r + 1} 行数据 {v!r}" if v is not None else f"第 {r + 1} 行数据"
                          for r, v in self.examples if r is not None)
            body = f"{self.what}：{ex}" if ex else self.what
            return f"{where}：{body}。修改建议：{self.fix}。"
        where = f"{self.file}, column {self.column!r} ({self.role})" if self.column else f"{self.file}"
        ex = ", ".join(f"data row {r + 1} {v!r}" if r is not None and v is not None else f"data row {r + 1}"
                       for r, v in self.examples if r is not None)
        body = f"{self.what}: {ex}" if ex else self.what
        return f"{where}: {body}. Fix: {self.fix}."


@dataclass
class ValidationReport:
    """Every problem found; :meth:`raise_if_any` stops the run with all of them in one message."""

    problems: list[Problem]
    lang: str = "en"

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        n = len(self.problems)
        if self.lang == "zh":
            if self.ok:
                return "没有发现问题。"
            head = f"数据中有 {n} 个问题，未做任何分析："
        elif self.ok:
            return "No problems found."
        else:
            head = f"{n} problem{'s' if n > 1 else ''} in the data; nothing was analysed:"
        return "\n".join([head] + [f"- {p}" for p in self.problems])

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataValidationError(self.summary())


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _time_checks(pa, col: str, now: pd.Timestamp):
    # the four checks read the same column one after the other: parse it once (the last column is
    # kept, by identity, with a strong reference so its id cannot be reused)
    last: dict = {}

    def parse(s: pd.Series) -> pd.Series:
        if last.get("s") is s:
            return last["t"]
        if pd.api.types.is_datetime64_any_dtype(s):  # already times (a frame, Parquet): nothing to read
            t = s.dt.tz_localize("UTC") if s.dt.tz is None else s.dt.tz_convert("UTC")
        else:
            txt = s.astype("string").str.strip()
            # ISO 8601 first (one fast pass), then any other way of writing a time for the rest
            t = pd.to_datetime(txt, errors="coerce", format="ISO8601", utc=True)
            rest = t.isna() & txt.notna() & (txt != "")
            if rest.any():
                t = t.copy()
                t[rest] = pd.to_datetime(txt[rest], errors="coerce", format="mixed", utc=True)
        last.update(s=s, t=t)
        return t

    def parseable(s: pd.Series) -> pd.Series:
        if pd.api.types.is_datetime64_any_dtype(s):
            return pd.Series(True, index=s.index)
        txt = s.astype("string").str.strip()
        return parse(s).notna() | txt.isna() | (txt == "")

    def text_of_times(s: pd.Series) -> pd.Series:
        txt = s.dropna().astype("string").str.strip()
        return txt[parse(s).loc[txt.index].notna()]

    def one_format(s: pd.Series) -> pd.Series:
        res = pd.Series(True, index=s.index)
        if pd.api.types.is_datetime64_any_dtype(s):  # typed times have no written format
            return res
        txt = text_of_times(s)
        shapes = txt.str.replace(_TZ.pattern, "", regex=True).str.replace(r"\d", "9", regex=True)
        if shapes.empty:
            return res
        res[shapes.index[shapes != shapes.value_counts().index[0]]] = False
        return res

    def one_zone(s: pd.Series) -> pd.Series:
        res = pd.Series(True, index=s.index)
        if pd.api.types.is_datetime64_any_dtype(s):  # one dtype, one zone
            return res
        txt = text_of_times(s)
        zones = txt.str.extract(f"({_TZ.pattern})", expand=False).str.replace(":", "", regex=False).fillna("none")
        if zones.nunique() <= 1:
            return res
        res[zones.index[zones != zones.value_counts().index[0]]] = False
        return res

    def not_future(s: pd.Series) -> pd.Series:
        t = parse(s)
        return ~(t > now).fillna(False).astype(bool)

    return [
        pa.Check(parseable, name="time.parseable", ignore_na=False),
        pa.Check(one_format, name="time.one_format", ignore_na=False),
        pa.Check(one_zone, name="time.one_zone", ignore_na=False),
        pa.Check(not_future, name="time.future", ignore_na=False),
    ]


def _amount_checks(pa):
    def num(s: pd.Series) -> pd.Series:
        if pd.api.types.is_numeric_dtype(s):
            return s.astype(float)
        return pd.to_numeric(s.astype("string").str.replace(r"[,¥￥\s]", "", regex=True), errors="coerce")

    return [
        pa.Check(lambda s: num(s).notna() | s.isna(), name="amount.numeric", ignore_na=False),
        pa.Check(lambda s: ~(num(s) < 0).fillna(False).astype(bool), name="amount.negative", ignore_na=False),
    ]


_WHAT = {
    "not_nullable": ("row has no value", "rows have no value"),
    "time.parseable": ("value is not a date/time", "values are not dates/times"),
    "time.one_format": ("value is written in another format than most", "values are written in another format than most"),
    "time.one_zone": ("value has another time zone than most", "values have another time zone than most"),
    "time.future": ("time is in the future", "times are in the future"),
    "amount.numeric": ("amount is not a number", "amounts are not numbers"),
    "amount.negative": ("negative amount", "negative amounts"),
}
_FIX = {
    "user.not_nullable": "every row needs the user it belongs to; drop these rows or fill the id",
    "event.not_nullable": "every event row needs an event name; drop these rows",
    "time.not_nullable": "every row needs a time; drop these rows or fill the time",
    "amount.not_nullable": "fill the amount (0 for free orders) or drop these rows",
    "time.parseable": "use one format such as 2025-01-31 or 2025-01-31 14:05:00",
    "time.one_format": "export all times in one format (e.g. 2025-01-31 14:05:00); mixed formats such as "
                       "01/02/2025 can be read as January or February",
    "time.one_zone": "export all times in one time zone (e.g. all Beijing time, UTC+8) or all in UTC",
    "time.future": "check the export's clock and time zone; pass `as_of=` if the data is really later",
    "amount.numeric": "remove currency signs and text such as '免费' from the amount column",
    "amount.negative": "if these are refunds, remove them or map an order `status` column; otherwise correct the sign",
}


_WHAT_ZH = {
    "time.parseable": "{n} 个值不是日期/时间",
    "time.one_format": "{n} 个值的写法与多数不同",
    "time.one_zone": "{n} 个值的时区与多数不同",
    "time.future": "{n} 个时间晚于现在",
    "amount.numeric": "{n} 个金额不是数字",
    "amount.negative": "{n} 个金额为负数",
}
_FIX_ZH = {
    "user.not_nullable": "每一行都要有所属用户：删除这些行，或补上用户ID",
    "event.not_nullable": "每一条行为都要有事件名：删除这些行",
    "time.not_nullable": "每一行都要有时间：删除这些行，或补上时间",
    "amount.not_nullable": "补上金额（免费订单填 0），或删除这些行",
    "time.parseable": "统一用一种写法，例如 2025-01-31 或 2025-01-31 14:05:00",
    "time.one_format": "所有时间按同一种格式导出（例如 2025-01-31 14:05:00）；01/02/2025 这类写法既可能是 1 月也可能是 2 月",
    "time.one_zone": "所有时间按同一个时区导出（例如全部北京时间 UTC+8，或全部 UTC）",
    "time.future": "检查导出系统的时钟和时区；如果数据确实更晚，传入 `as_of=`",
    "amount.numeric": "去掉金额列里的货币符号和“免费”之类的文字",
    "amount.negative": "如果是退款，删除这些行或映射订单的 `status` 列；否则改正符号",
}
#: The roles' names in Chinese messages.
_ROLE_ZH = {"user": "用户ID", "time": "时间", "event": "事件", "amount": "金额", "signup_time": "注册时间",
            "order_id": "订单号", "channel": "渠道"}


def _say(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def validate_tables(tables: dict, mapping, *, now=None, lang: str = "en") -> ValidationReport:
    """Check each mapped table with a pandera schema built from its roles; collect every problem.

    Parameters
    ----------
    tables : dict
        ``{"orders"|"events"|"users": pandas.DataFrame}`` with the team's own column names.
    mapping : opsplaybook.io.Mapping
        Which column plays which role (and the file each table came from, for the messages).
    now : str or Timestamp, optional
        Times after this are "in the future" (default: the current time).
    lang : {"en", "zh"}, default "en"
        Language of the problems' messages and fixes (the report passes its own).

    Returns
    -------
    ValidationReport
        ``.problems`` (empty when all is well), ``.summary()``, ``.raise_if_any()``.
    """
    from ..errors import check_lang

    lang = check_lang(lang)
    pa = _pandera()
    now = pd.Timestamp(now or pd.Timestamp.now(tz="UTC"))
    now = now.tz_localize("UTC") if now.tzinfo is None else now.tz_convert("UTC")
    from .mapping import check_mapping_columns

    check_mapping_columns(mapping, tables)
    problems: list[Problem] = []
    for kind, df in tables.items():
        tm = mapping.tables.get(kind)
        if tm is None:
            continue
        file = tm.file or kind
        blank = {c: df[c].astype("string").str.strip().eq("").fillna(False) for c in tm.columns.values()
                 if not pd.api.types.is_numeric_dtype(df[c])}
        if any(b.any() for b in blank.values()):  # an empty cell is a missing value
            df = df.assign(**{c: df[c].mask(b) for c, b in blank.items() if b.any()})
        role_of = {col: role for role, col in tm.columns.items()}
        columns = {}
        for role, col in tm.columns.items():
            checks = []
            if role in ("time", "signup_time"):
                checks = _time_checks(pa, col, now)
            elif role == "amount":
                checks = _amount_checks(pa)
            nullable = role not in ("user", "time", "event", "amount")
            columns[col] = pa.Column(checks=checks, nullable=nullable, required=True)
        schema = pa.DataFrameSchema(columns, strict=False)
        try:
            with warnings.catch_warnings():  # pandera's optional back-ends warn about pandas versions
                warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark.*")
                schema.validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            fc = exc.failure_cases
            crashed = fc[fc["index"].isna() & fc["failure_case"].astype(str).str.contains(r"^\w+Error\(", regex=True)]
            if len(crashed):
                raise RuntimeError(f"a validation check crashed: {crashed.iloc[0].to_dict()}")
            for (col, check), grp in fc.groupby(["column", "check"], sort=False, dropna=False):
                role = role_of.get(col)
                key = "not_nullable" if str(check).startswith("not_nullable") else str(check)
                one, many = _WHAT.get(key, (f"value fails {check}", f"values fail {check}"))
                idx = pd.to_numeric(grp["index"], errors="coerce")
                rows = [(int(i) if pd.notna(i) else None, None if key == "not_nullable" else v)
                        for i, v in zip(idx, grp["failure_case"])][:EXAMPLES]
                n = len(grp)
                if lang == "zh":
                    what = (f"{n} 行没有{_ROLE_ZH.get(role, role)}" if key == "not_nullable"
                            else _WHAT_ZH.get(key, f"{n} 个值未通过 {check} 检查").format(n=n))
                    fix = _FIX_ZH.get(f"{role}.{key}") or _FIX_ZH.get(key, "改正这些值")
                elif key == "not_nullable":
                    what = f"{n} row{'s' if n > 1 else ''} {'have' if n > 1 else 'has'} no {role.replace('_', ' ')}" \
                           + (" id" if role == "user" else "")
                else:
                    what = f"{n} {one if n == 1 else many}"
                if lang != "zh":
                    fix = _FIX.get(f"{role}.{key}") or _FIX.get(key, "correct these values")
                problems.append(Problem(file, kind, col, role, what, n, rows, fix, lang))
        # Repeated rows: an error in orders (an order counted twice) and users (one row per user);
        # an event log legitimately repeats rows (two views in the same second), so it is not checked.
        if kind == "users" and "user" in tm.columns:
            col = tm.columns["user"]
            d = df[col].duplicated(keep="first") & df[col].notna()
            if d.any():
                rows = [(int(i), df.at[i, col]) for i in df.index[d][:EXAMPLES]]
                nu = int(d.sum())
                problems.append(Problem(file, kind, col, "user", _say(
                    lang, f"{_count(nu, 'user id')} {'appears' if nu == 1 else 'appear'} more than once",
                    f"{nu} 个用户ID出现了不止一次"), nu, rows, _say(
                    lang, "keep one row per user (e.g. the latest profile)", "每个用户只保留一行（例如最新的资料）"),
                    lang))
        dup = df.duplicated(keep="first") if kind == "orders" else pd.Series(False, index=df.index)
        if dup.any():
            rows = [(int(i), None) for i in df.index[dup][:EXAMPLES]]
            nd = int(dup.sum())
            problems.append(Problem(file, kind, None, None, _say(
                lang, f"{_count(nd, 'row')} {'repeats' if nd == 1 else 'repeat'} an earlier row exactly (duplicates)",
                f"{nd} 行与前面某一行完全相同（重复行）"), nd, rows, _say(
                lang, "remove the duplicate rows (an export run twice, or a join that repeated rows)",
                "删除重复行（导出跑了两次，或关联表时把行重复了）"), lang))
        if kind == "orders" and "order_id" in tm.columns:
            col = tm.columns["order_id"]
            d = df[col].duplicated(keep="first") & df[col].notna() & ~dup
            if d.any():
                rows = [(int(i), df.at[i, col]) for i in df.index[d][:EXAMPLES]]
                no = int(d.sum())
                problems.append(Problem(file, kind, col, "order_id", _say(
                    lang, f"{_count(no, 'order id')} {'appears' if no == 1 else 'appear'} more than once with "
                          "different values", f"{no} 个订单号出现了不止一次，且内容不同"), no, rows, _say(
                    lang, "keep one row per order (e.g. the latest status), or map the item lines' order id to "
                          "another role", "每个订单只保留一行（例如最新状态）；如果是商品明细行，把订单号映射到别的角色"),
                    lang))
    return ValidationReport(problems, lang)
