"""The playbook report on a team's files: mapped, validated, analysed, written atomically and safely."""
from __future__ import annotations

import hashlib
import json
import re

import pandas as pd
import pytest

import opsplaybook as ops
from opsplaybook.cli import main
from opsplaybook.errors import DataValidationError, InvalidParameterError, OutputExistsError
from opsplaybook.models.pareto import pareto
from opsplaybook.reporting import SUMMARY_SCHEMA, report


def _digest(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def team_files(tmp_path_factory, demo_world):
    """The demo company exported as a Chinese team would: GBK CSV with Chinese headers, Parquet, BOM CSV."""
    d = tmp_path_factory.mktemp("export")
    w = demo_world
    o = w.orders.rename(columns={"order_id": "订单号", "user_id": "用户ID", "ts": "下单时间", "amount": "实付金额"})
    o = o[["订单号", "用户ID", "下单时间", "实付金额"]].assign(下单时间=lambda x: x["下单时间"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    o.to_csv(d / "订单导出.csv", index=False, encoding="gbk")
    w.events[["user_id", "ts", "event"]].to_parquet(d / "events.parquet")
    u = w.users[["user_id", "name", "signup_ts", "channel"]].rename(
        columns={"user_id": "用户ID", "name": "姓名", "signup_ts": "注册时间", "channel": "渠道"})
    u["手机号"] = [f"138{i:08d}" for i in range(len(u))]
    u.assign(注册时间=u["注册时间"].dt.strftime("%Y-%m-%d %H:%M:%S")).to_csv(d / "会员.csv", index=False,
                                                                        encoding="utf-8-sig")
    return d


def test_report_on_a_chinese_export_with_a_guessed_mapping(team_files, tmp_path, demo_world):
    files = {k: team_files / n for k, n in (("orders", "订单导出.csv"), ("events", "events.parquet"),
                                            ("users", "会员.csv"))}
    before = {k: _digest(p) for k, p in files.items()}
    res = report(**files, out=tmp_path / "报告", progress=False, lang="zh")
    assert {k: _digest(p) for k, p in files.items()} == before  # inputs untouched
    out = res.out
    assert sorted(p.name for p in out.iterdir()) == ["mapping.yaml", "playbook.ipynb", "report.html", "summary.json",
                                                     "users.csv", "users.parquet"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema"] == SUMMARY_SCHEMA and summary["mapping_guessed"] is True
    figs = {k: v["figures"] for k, v in summary["sections"].items()}
    # the figures equal the analyses run directly on the world
    per = demo_world.orders.groupby("user_id").amount.agg(["size", "sum"])
    assert figs["repeat"]["repeat_rate"] == pytest.approx((per["size"] >= 2).mean())
    assert figs["repeat"]["top20_share"] == pytest.approx(pareto(per["sum"]).top_share)
    assert figs["overview"]["orders"] == len(demo_world.orders)
    assert figs["overview"]["gmv"] == pytest.approx(demo_world.orders.amount.sum(), abs=0.01)
    assert all(v["skipped"] is None for v in summary["sections"].values())
    # a guessed mapping starts with the funnel of the kit's steps its events map to (and writes it down)
    steps = [e for e in ("visit", "view", "cart", "checkout", "purchase") if e in set(demo_world.events.event)]
    assert f"funnel: [{', '.join(steps)}]" in (out / "mapping.yaml").read_text(encoding="utf-8")
    direct = ops.funnel(demo_world.events, steps, window="7D")
    assert figs["funnel"]["funnel_cvr"] == pytest.approx(direct["users"].iloc[-1] / direct["users"].iloc[0])
    # personal data never leaves: names and phones masked in both exports
    csv = (out / "users.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")
    assert b"13800000001" not in csv and demo_world.users.name.iloc[0].encode() not in csv
    exported = pd.read_parquet(out / "users.parquet")
    assert exported["phone"].iloc[1] == "138****0001" and len(exported) == len(demo_world.users)
    assert "rfm_segment" in exported and "churn_risk" in exported
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "@font-face" in html and "data:image/png;base64," in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing fetched: opens offline
    assert "重要价值客户" in html and "<script" not in html


def test_orders_alone_run_what_orders_support(tmp_path, demo_world):
    res = report(orders=demo_world.orders, out=tmp_path / "r", lang="en", progress=False)
    described = f"pandas DataFrame ({len(demo_world.orders):,} rows)"
    assert json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))["sources"] == {"orders": described}
    assert f"orders: {described}" in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    skipped = {k: s.skipped for k, s in res.sections.items() if s.skipped}
    assert set(skipped) == {"drivers", "funnel", "retention", "lifecycle"}
    assert all("event log" in v for v in skipped.values())
    assert {"rfm", "repeat", "cohorts", "churn", "overview"} <= {k for k, s in res.sections.items() if not s.skipped}


def test_action_rules_state_the_number_that_fired_them(tmp_path):
    orders = pd.DataFrame({"user_id": [1, 2, 3, 4, 5, 5], "amount": [10.0, 20, 30, 40, 1000, 900],
                           "ts": pd.to_datetime(["2025-01-05", "2025-01-06", "2025-02-07", "2025-02-08",
                                                 "2025-01-01", "2025-01-09"])})
    res = report(orders=orders, out=tmp_path / "r", lang="en", progress=False)
    acts = res.sections["repeat"].actions
    assert any("Only 20.0% of buyers bought again" in a for a in acts)  # 1 of 5 buyers
    top = pareto(orders.groupby("user_id").amount.sum()).top_share
    assert any(f"bring {top:.1%} of sales" in a for a in acts)


def test_bad_data_stops_before_any_output(tmp_path):
    bad = tmp_path / "orders.csv"
    bad.write_text("用户ID,下单时间,实付金额\nu1,2025-01-02,9.9\nu2,昨天,-5\n,2025-01-03,免费\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(DataValidationError) as e:
        report(orders=bad, out=out, progress=False, now="2026-01-01", lang="en")
    msg = str(e.value)
    assert msg.startswith("4 problems in the data; nothing was analysed")
    assert "orders.csv, column '下单时间' (time): 1 value is not a date/time: data row 2 '昨天'" in msg
    assert "column '实付金额' (amount): 1 amount is not a number: data row 3 '免费'" in msg
    with pytest.raises(DataValidationError) as e:  # the report's language (zh by default) is the messages' too
        report(orders=bad, out=out, progress=False, now="2026-01-01")
    msg = str(e.value)
    assert msg.startswith("数据中有 4 个问题，未做任何分析：")
    assert "orders.csv，列 '下单时间'（时间）：1 个值不是日期/时间：第 2 行数据 '昨天'" in msg
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def test_existing_output_needs_force(tmp_path, demo_world):
    out = tmp_path / "r"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(OutputExistsError, match="nothing was read or written"):
        report(orders=demo_world.orders, out=out, progress=False)
    assert (out / "mine.txt").read_text() == "keep me"
    report(orders=demo_world.orders, out=out, progress=False, force=True)
    assert not (out / "mine.txt").exists() and (out / "report.html").exists()


def test_errors_and_cli(tmp_path, capsys, demo_world):
    with pytest.raises(InvalidParameterError, match="needs the orders table"):
        report(events=demo_world.events, out=tmp_path / "x", progress=False)
    assert main(["report", "--out", str(tmp_path / "y"), "--orders", str(tmp_path / "none.csv"), "--quiet"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["report", "--demo", "--out", str(tmp_path / "demo"), "--quiet", "--lang", "en"]) == 0
    s = json.loads((tmp_path / "demo" / "summary.json").read_text(encoding="utf-8"))
    assert s["sections"]["funnel"]["skipped"] is None and s["sections"]["funnel"]["figures"]["funnel_cvr"] > 0


@pytest.mark.parametrize("engine", ["duckdb", "duckdb-too-big-to-hold", "polars"])
def test_lazy_engines_give_the_same_figures(tmp_path, demo_world, engine, monkeypatch):
    if engine == "duckdb-too-big-to-hold":  # files larger than the memory budget stay lazy on Parquet
        import opsplaybook.reporting.run as run

        monkeypatch.setattr(run, "MATERIALIZE_SHARE", 0.0)
        engine = "duckdb"
    files = {}
    for k in ("orders", "events", "users"):
        files[k] = tmp_path / f"{k}.parquet"
        getattr(demo_world, k).to_parquet(files[k])
    mapping = {"tables": {"orders": {"columns": {"user": "user_id", "time": "ts", "amount": "amount"}},
                          "events": {"columns": {"user": "user_id", "time": "ts", "event": "event"}},
                          "users": {"columns": {"user": "user_id", "signup_time": "signup_ts"}}},
               "funnel": ["visit", "view", "cart", "purchase"]}
    a = report(**files, mapping=mapping, out=tmp_path / "pd", engine="pandas", progress=False, lang="en").summary
    b = report(**files, mapping=mapping, out=tmp_path / engine, engine=engine, progress=False, lang="en").summary
    fa = {k: v["figures"] for k, v in a["sections"].items()}
    fb = {k: v["figures"] for k, v in b["sections"].items()}
    assert fa.keys() == fb.keys()
    for k in fa:
        assert fa[k].keys() == fb[k].keys(), k
        for name, v in fa[k].items():
            assert fb[k][name] == (pytest.approx(v) if isinstance(v, float) else v), (k, name)
    assert any("validated on its first" in n for n in b["notes"])
    assert "validated on its first" in (tmp_path / engine / "report.html").read_text(encoding="utf-8")
    if engine == "duckdb":  # the tables the report held in memory are gone when it is done
        from opsplaybook.analytics._engine import duckdb_connection

        left = duckdb_connection().sql("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__opsplaybook_report%'")
        assert left.fetchall() == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lazily_read_tables_are_noted_in_the_reports_language(lang, monkeypatch):
    """A table read lazily is validated on its first rows; the note saying so is in the report's
    language, and only for a table longer than that (a shorter one was validated whole)."""
    import polars as pl

    from opsplaybook.io.mapping import load_mapping
    from opsplaybook.reporting import run

    monkeypatch.setattr(run, "LAZY_VALIDATION_ROWS", 2)
    orders = pl.DataFrame({"user_id": [1, 2, 3], "amount": [10.0, 20.0, 5.0],
                           "ts": [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-02"), pd.Timestamp("2025-01-03")]})
    m = load_mapping({"tables": {"orders": {"columns": {"user": "user_id", "time": "ts", "amount": "amount"}},
                                 "users": {"columns": {"user": "user_id"}}}})
    users = pl.DataFrame({"user_id": [1]}).lazy()  # 1 row: validated whole
    notes = run._validate({"orders": orders.lazy(), "users": users}, m, now=pd.Timestamp("2025-02-01"), lang=lang)
    assert notes == [{"zh": "orders：按需读取，只校验了前 2 行；各项分析运行时会检查全部行的时间和金额。",
                      "en": "orders: validated on its first 2 rows (read lazily); the analyses check times and "
                            "amounts of all rows as they run."}[lang]]
