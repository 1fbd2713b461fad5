"""Validation before analysis: every problem at once, with file, column, example rows and a fix."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplaybook.errors import ColumnNotFoundError, DataValidationError
from opsplaybook.io import load_mapping
from opsplaybook.io.validate import validate_tables

MAP = load_mapping({"tables": {
    "orders": {"file": "订单.csv", "columns": {"user": "用户ID", "time": "下单时间", "amount": "金额",
                                              "order_id": "订单号"}},
    "events": {"file": "行为.csv", "columns": {"user": "uid", "time": "ts", "event": "行为"}}}})
NOW = "2026-01-01"


def orders(**over):
    base = {"订单号": ["o1", "o2", "o3", "o4"], "用户ID": ["u1", "u2", "u3", "u4"],
            "下单时间": ["2025-01-02 10:00:00", "2025-01-03 11:00:00", "2025-02-01 09:30:00", "2025-03-04 20:00:00"],
            "金额": ["9.9", "19.9", "100", "5"]}
    base.update(over)
    return pd.DataFrame(base)


def problems(df, table="orders"):
    return validate_tables({table: df}, MAP, now=NOW).problems


def test_clean_data_passes():
    assert validate_tables({"orders": orders()}, MAP, now=NOW).ok


def test_the_demo_world_passes():
    import opsplaybook as ops
    w = ops.load_demo()
    m = load_mapping({"tables": {"orders": {"columns": {"user": "user_id", "time": "ts", "amount": "amount",
                                                        "order_id": "order_id"}},
                                 "events": {"columns": {"user": "user_id", "time": "ts", "event": "event"}}}})
    report = validate_tables({"orders": w.orders, "events": w.events.head(50_000)}, m, now="2030-01-01")
    assert report.ok, report.summary()


CASES = {
    "missing user": (dict(用户ID=["u1", None, "u3", ""]), "column '用户ID' (user): 2 rows have no user id: data row 2, data row 4"),
    "unparseable date": (dict(下单时间=["2025-01-02", "昨天", "2025-01-03", "2025-13-45"]),
                         "2 values are not dates/times: data row 2 '昨天', data row 4 '2025-13-45'"),
    "mixed formats": (dict(下单时间=["2025-01-02", "2025-01-03", "2025-01-04", "01/05/2025"]),
                      "1 value is written in another format than most: data row 4 '01/05/2025'"),
    "mixed time zones": (dict(下单时间=["2025-01-02T10:00:00+08:00", "2025-01-02T11:00:00+08:00",
                                    "2025-01-02T03:00:00Z", "2025-01-02T12:00:00+08:00"]),
                         "1 value has another time zone than most: data row 3 '2025-01-02T03:00:00Z'"),
    "future dates": (dict(下单时间=["2025-01-02", "2027-05-01", "2025-01-03", "2025-01-04"]),
                     "1 time is in the future: data row 2 '2027-05-01'"),
    "negative amount": (dict(金额=["9.9", "-19.9", "3", "4"]), "1 negative amount: data row 2 '-19.9'"),
    "text amount": (dict(金额=["9.9", "免费", "3", "¥4"]), "1 amount is not a number: data row 2 '免费'"),
    "missing amount": (dict(金额=["9.9", None, "3", "4"]), "1 row has no amount: data row 2"),
    "duplicate order id": (dict(订单号=["o1", "o1", "o3", "o4"]),
                           "1 order id appears more than once with different values: data row 2 'o1'"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_is_named_with_rows_and_a_fix(case):
    over, message = CASES[case]
    found = problems(orders(**over))
    text = "\n".join(map(str, found))
    assert message in text, text
    assert all(str(p).startswith("订单.csv") and "Fix: " in str(p) for p in found)


def test_typed_times_and_the_same_times_as_text_agree():
    # a frame or Parquet file brings typed times (nothing to parse); a CSV brings text: same verdicts
    text = ["2025-01-02 10:00:00", "2027-05-01 00:00:00", "2025/01/03 08:00", "2025-01-04 09:00:00"]
    typed = pd.to_datetime(text, format="mixed")
    got_text = {p.what for p in problems(orders(下单时间=text))}
    got_typed = {p.what for p in problems(orders(下单时间=typed))}
    assert got_typed == {"1 time is in the future"}  # typed times have no written format
    assert got_text == {"1 time is in the future", "1 value is written in another format than most"}
    aware = pd.to_datetime(["2025-01-02T10:00:00+08:00"] * 3 + ["2026-01-01T07:59:00+08:00"])  # 23:59 UTC: not future
    assert problems(orders(下单时间=aware)) == []


def test_messages_in_chinese():
    df = orders(用户ID=["u1", None, "u3", "u4"], 下单时间=["2025-01-02", "昨天", "2025-01-03", "2025-01-04"],
                金额=["9.9", "19.9", "免费", "-4"])
    report = validate_tables({"orders": df}, MAP, now=NOW, lang="zh")
    text = report.summary()
    assert text.startswith("数据中有 4 个问题，未做任何分析：")
    assert "订单.csv，列 '用户ID'（用户ID）：1 行没有用户ID：第 2 行数据。修改建议：每一行都要有所属用户" in text
    assert "列 '下单时间'（时间）：1 个值不是日期/时间：第 2 行数据 '昨天'。修改建议：统一用一种写法" in text
    assert "1 个金额不是数字：第 3 行数据 '免费'" in text and "1 个金额为负数：第 4 行数据 '-4'" in text
    # the same problems, found the same way, in either language
    en = validate_tables({"orders": df}, MAP, now=NOW)
    assert [(p.column, p.count, p.examples) for p in en.problems] == \
        [(p.column, p.count, p.examples) for p in report.problems]
    assert validate_tables({"orders": orders()}, MAP, now=NOW, lang="zh").summary() == "没有发现问题。"
    dup = validate_tables({"orders": pd.concat([orders(), orders().iloc[[1]]], ignore_index=True)}, MAP, now=NOW,
                          lang="zh").summary()
    assert "1 行与前面某一行完全相同（重复行）：第 5 行数据。修改建议：删除重复行" in dup


def test_duplicate_rows():
    df = pd.concat([orders(), orders().iloc[[1, 1]]], ignore_index=True)
    text = "\n".join(map(str, problems(df)))
    assert "订单.csv: 2 rows repeat an earlier row exactly (duplicates): data row 5, data row 6" in text


def test_all_problems_reported_at_once_and_run_stops():
    df = orders(用户ID=["u1", None, "u3", "u4"], 下单时间=["2025-01-02", "x", "2025-01-03", "2025-01-04"],
                金额=["1", "2", "-3", "abc"])
    ev = pd.DataFrame({"uid": ["u1", "u2"], "ts": ["2025-01-01", "2025-01-02"], "行为": ["浏览", None]})
    report = validate_tables({"orders": df, "events": ev}, MAP, now=NOW)
    assert len(report.problems) == 5
    assert "1 negative amount: data row 3 '-3'" in report.summary()
    with pytest.raises(DataValidationError, match=r"^5 problems in the data; nothing was analysed:\n- 订单.csv") as e:
        report.raise_if_any()
    assert "行为.csv, column '行为' (event): 1 row has no event" in str(e.value)


def test_a_mapped_column_missing_is_named_before_validation():
    with pytest.raises(ColumnNotFoundError, match="role 'amount' of table 'orders' is mapped to column '金额'"):
        validate_tables({"orders": orders().rename(columns={"金额": "实付"})}, MAP, now=NOW)


@settings(max_examples=30, deadline=None)
@given(bad=st.sets(st.integers(0, 39), max_size=10), seed=st.integers(0, 1000))
def test_planted_bad_amounts_are_all_found(bad, seed):
    import numpy as np
    rng = np.random.default_rng(seed)
    n = 40
    df = pd.DataFrame({"订单号": [f"o{i}" for i in range(n)], "用户ID": [f"u{i % 7}" for i in range(n)],
                       "下单时间": [f"2025-0{1 + i % 9}-1{i % 10} 10:00:00" for i in range(n)],
                       "金额": [f"{v:.2f}" for v in rng.uniform(1, 500, n)]})
    for i in bad:
        df.loc[i, "金额"] = "-" + df.loc[i, "金额"]
    found = [p for p in problems(df) if p.role == "amount"]
    assert sum(p.count for p in found) == len(bad)
    assert all(r in bad for p in found for r, _ in p.examples)


def test_repeated_users_and_repeated_events():
    m = load_mapping({"tables": {"users": {"file": "会员.csv", "columns": {"user": "会员ID"}},
                                 "events": {"file": "e.csv", "columns": {"user": "uid", "time": "ts", "event": "行为"}}}})
    users = pd.DataFrame({"会员ID": ["a", "b", "a"], "城市": ["北京", "上海", "广州"]})
    events = pd.DataFrame({"uid": ["a", "a"], "ts": ["2025-01-01 10:00:00"] * 2, "行为": ["浏览"] * 2})
    found = validate_tables({"users": users, "events": events}, m, now=NOW).problems
    assert [str(p) for p in found] == ["会员.csv, column '会员ID' (user): 1 user id appears more than once: "
                                       "data row 3 'a'. Fix: keep one row per user (e.g. the latest profile)."]
