"""The claims of capstone notebook 07 (workbook/07-bring-your-own-data.py) hold on the sample export.

The notebook's prose states these facts; its numbers are printed by code, so the prose only claims
what holds of the data: the planted problems (from the export's own list), directions and thresholds
(Double 11 then a fall, buyers up while the repeat rate goes down, value concentrated, the funnel's
worst step). The figures of one report run are checked against counts by hand in pandas. When the
demo company is regenerated and a claim here fails, the prose of notebook 07 must change too.
The notebook's own cleaning function is taken from its source, so the test checks the notebook's
code, not a copy of it.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import opsplaybook as ops
from opsplaybook.io.sample import SAMPLE_BAD_ROWS, write_sample_export

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "workbook" / "07-bring-your-own-data.py"


def _notebook_function(name: str):
    """A function defined in a code cell of the notebook source, compiled on its own."""
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    namespace = {"pd": pd}
    exec(compile(ast.Module([node], type_ignores=[]), str(SOURCE), "exec"), namespace)
    return namespace[name]


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_sample_export(tmp_path_factory.mktemp("capstone") / "sample_export")


@pytest.fixture(scope="module")
def files(export):
    return {"orders": export / "订单导出.csv", "users": export / "会员信息.csv", "events": export / "行为日志.csv"}


@pytest.fixture(scope="module")
def raw(files):
    return {k: ops.read_table(p, dtype=str) for k, p in files.items()}


@pytest.fixture(scope="module")
def mapping(files, raw, tmp_path_factory):
    """The notebook's mapping: the guess, with the funnel edited by hand to four steps."""
    text = ops.mapping_yaml(ops.guess_mapping(list(files.values())))
    text = "\n".join("funnel: [visit, view, cart, purchase]" if ln.startswith("funnel:") else ln
                     for ln in text.splitlines())
    path = tmp_path_factory.mktemp("mapping") / "mapping.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clean(raw):
    return {**raw, "orders": _notebook_function("clean_orders")(raw["orders"])}


def test_the_files_are_what_section_2_says(files, raw):
    kinds = {k: (i.kind, i.encoding, i.sep) for k, p in files.items() for i in [ops.sniff_file(p)]}
    assert kinds == {"orders": ("csv", "gb18030", ","), "users": ("csv", "gb18030", ","),
                     "events": ("csv", "utf-8", ",")}
    with pytest.raises(UnicodeDecodeError):
        pd.read_csv(files["orders"])
    n = {k: len(df) for k, df in raw.items()}
    # the prose: "about two hundred order rows, 400 members, some twenty thousand events" (两百来行、两万多条)
    assert n["users"] == 400 and 170 <= n["orders"] <= 250 and 20_000 <= n["events"] < 30_000


def test_the_guess_needs_only_the_funnel_edit(files, raw):
    m = ops.guess_mapping(list(files.values()))
    ev = m.tables["events"]
    assert set(ev.events) == set(raw["events"]["action"].unique())  # all seven event names ...
    assert not [k for k in ev.comments if k.startswith("event:")]  # ... recognised, none kept as is
    assert m.tables["users"].pii_columns == ["姓名", "手机号"]
    assert "funnel: [visit, view, cart, checkout, purchase]" in ops.mapping_yaml(m)
    counts = raw["events"]["action"].value_counts()
    assert counts["支付成功"] / counts["提交订单"] >= 0.95  # almost every checkout is paid: the reason for the edit


def test_validation_finds_exactly_the_planted_problems(raw, mapping):
    m = ops.load_mapping(mapping, data=raw)
    problems = ops.validate_tables(raw, m).problems
    assert len(problems) == 5 and {p.table for p in problems} == {"orders"}
    found = {(p.column, p.examples[0][0] + 1) for p in problems if p.column}
    assert found == {(col, row) for _file, row, col, _value in SAMPLE_BAD_ROWS}
    dup = [p for p in problems if p.column is None]
    assert len(dup) == 1 and dup[0].examples[0][0] + 1 == len(raw["orders"])  # the repeated row comes last


def test_the_notebooks_fixes_make_the_data_validate_clean(raw, clean, mapping):
    orders = clean["orders"]
    assert len(orders) == len(raw["orders"]) - 4  # four rows dropped, raw untouched
    free = raw["orders"].loc[raw["orders"]["实付金额"] == "免费", "订单号"]
    assert len(free) == 1 and orders.loc[orders["订单号"] == free.iloc[0], "实付金额"].tolist() == ["0"]  # repaired, kept
    assert ops.validate_tables(clean, ops.load_mapping(mapping, data=clean)).ok
    assert _notebook_function("clean_orders")(orders).equals(orders)  # a second pass changes nothing


def test_the_report_refuses_raw_data_and_writes_nothing(raw, mapping, tmp_path):
    with pytest.raises(ops.DataValidationError, match="数据中有 5 个问题"):  # the report speaks zh by default
        ops.report(**raw, mapping=mapping, out=tmp_path / "refused", progress=False)
    assert not (tmp_path / "refused").exists()


def _by_hand(orders: pd.DataFrame, end: str) -> dict:
    o = orders.assign(ts=pd.to_datetime(orders["下单时间"]), amount=pd.to_numeric(orders["实付金额"]))
    o = o[o.ts < pd.Timestamp(end)]
    per_buyer = o.groupby("会员ID").size()
    monthly = o.groupby(o.ts.dt.to_period("M"))["amount"].sum()
    return {"buyers": len(per_buyer), "repeat_rate": float((per_buyer >= 2).mean()),
            "gmv_change": float(monthly.iloc[-1] / monthly.iloc[-2] - 1), "orders": len(o)}


def test_the_monthly_comparison_of_section_7(clean):
    dec, nov = _by_hand(clean["orders"], "2026-01-01"), _by_hand(clean["orders"], "2025-12-01")
    assert nov["gmv_change"] > 0.5  # November's run: sales jump on October (Double 11)
    assert dec["gmv_change"] <= -0.10  # December's run: the fall that fires the "sales fell" action
    assert dec["buyers"] > nov["buyers"] and dec["orders"] > nov["orders"]
    assert dec["repeat_rate"] < nov["repeat_rate"]  # more buyers, yet the repeat rate goes down
    assert dec["buyers"] <= 150  # "a hundred buyers or fewer": noise is a real worry


def test_the_report_figures_and_privacy_of_sections_6_and_8(clean, mapping, tmp_path):
    out = tmp_path / "report-2025-12"
    ops.report(**clean, mapping=mapping, out=out, lang="en", progress=False)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    sections = summary["sections"]
    assert not [k for k, s in sections.items() if s["skipped"]]
    fig = {f"{k}.{f}": v for k, s in sections.items() for f, v in s["figures"].items()}
    hand = _by_hand(clean["orders"], "2026-01-01")
    assert fig["repeat.buyers"] == hand["buyers"]
    assert fig["repeat.repeat_rate"] == pytest.approx(hand["repeat_rate"])
    assert fig["overview.gmv_change"] == pytest.approx(hand["gmv_change"])
    assert fig["overview.orders"] == hand["orders"] == len(clean["orders"])
    # the prose: value concentrated (80/20), the worst funnel step is after the cart, churn-risk buyers exist,
    # and the "sales fell" action fires (the one to question: December after Double 11)
    assert fig["repeat.top20_share"] >= 0.60 and fig["funnel.worst_step"] == "cart"
    assert (fig["repeat.top20_share"] / 0.2) / (fig["repeat.tail_share"] / 0.8) >= 3  # "worth several of the tail"
    assert fig["churn.churn_risk"] > 0
    assert any("fell" in a for a in sections["overview"]["actions"])
    # section 8: no real phone number in any file of the report; names and phones masked
    phones = set(clean["users"]["手机号"])
    for p in out.iterdir():
        text = p.read_bytes().decode("utf-8", errors="ignore")
        assert not phones & set(re.findall(r"(?=(1\d{10}))", text)), p.name
    users = pd.read_csv(out / "users.csv", dtype=str)
    assert users["phone"].str.fullmatch(r"1\d{2}\*{4}\d{4}").all()
    assert users["name"].str.fullmatch(r".\*+").all()
