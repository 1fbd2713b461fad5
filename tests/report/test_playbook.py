"""The report's executed playbook notebook: parameterised, run on the team's files, same numbers as the report."""
from __future__ import annotations

import json
import re

import nbformat
import pytest

from opsplaybook.cli import main
from opsplaybook.errors import InvalidParameterError
from opsplaybook.reporting import report
from opsplaybook.reporting.playbook import NOTEBOOK_NAME, playbook_notebook, write_playbook

MAPPING = {"tables": {"orders": {"columns": {"user": "用户ID", "time": "下单时间", "amount": "实付金额"}},
                      "events": {"columns": {"user": "user_id", "time": "ts", "event": "event"}}},
           "funnel": ["visit", "view", "cart", "purchase"]}


@pytest.fixture(scope="module")
def export(tmp_path_factory, demo_world):
    """Orders as a GBK CSV with Chinese headers, events as Parquet: files, as a team has them."""
    d = tmp_path_factory.mktemp("export")
    o = demo_world.orders.rename(columns={"user_id": "用户ID", "ts": "下单时间", "amount": "实付金额"})
    o = o[["用户ID", "下单时间", "实付金额"]].assign(下单时间=lambda x: x["下单时间"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    o.to_csv(d / "订单.csv", index=False, encoding="gbk")
    demo_world.events[["user_id", "ts", "event"]].to_parquet(d / "events.parquet")
    return d


@pytest.fixture(scope="module")
def zh_report(export, tmp_path_factory):
    out = tmp_path_factory.mktemp("rep") / "报告"
    return report(orders=export / "订单.csv", events=export / "events.parquet", mapping=MAPPING, out=out,
                  lang="zh", progress=False)


def _texts(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def test_the_report_folder_holds_the_executed_notebook(zh_report, demo_world):
    out = zh_report.out
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["notebook"]["status"] == "executed" and summary["notebook"]["file"] == NOTEBOOK_NAME
    nb = nbformat.read(out / NOTEBOOK_NAME, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    # papermill's convention: the first code cell is tagged `parameters` and holds paths, mapping, engine, lang
    assert code[0].metadata["tags"] == ["parameters"]
    params = {}
    exec(code[0].source, {}, params)  # noqa: S102 - the notebook's own parameter cell
    assert params["ORDERS"].endswith("订单.csv") and params["EVENTS"].endswith("events.parquet")
    assert params["USERS"] is None and params["MAPPING"] == "mapping.yaml"
    assert (params["ENGINE"], params["LANG"]) == ("auto", "zh")
    # every cell ran, none raised
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    printed = "\n".join(_texts(c) for c in code)
    # the numbers it prints are the report's (and the world's)
    figs = {k: v["figures"] for k, v in summary["sections"].items()}
    n_orders = int(re.search(r"^订单数: (\d+)$", printed, re.M).group(1))
    assert n_orders == figs["overview"]["orders"] == len(demo_world.orders)
    gmv = float(re.search(r"^GMV: ([\d,.]+)$", printed, re.M).group(1).replace(",", ""))
    assert gmv == pytest.approx(figs["overview"]["gmv"], abs=0.01)
    rate = float(re.search(r"^复购率: ([\d.]+)%$", printed, re.M).group(1)) / 100
    assert rate == pytest.approx(figs["repeat"]["repeat_rate"], abs=0.0005)
    cvr = float(re.search(r"^漏斗总转化率: ([\d.]+)%$", printed, re.M).group(1)) / 100
    assert cvr == pytest.approx(figs["funnel"]["funnel_cvr"], abs=0.0005)  # the funnel steps survived mapping.yaml
    w1 = float(re.search(r"^次周留存（加权）: ([\d.]+)%$", printed, re.M).group(1)) / 100
    assert w1 == pytest.approx(figs["retention"]["w1"], abs=0.0005)
    assert f"summary.json 中的订单数: {n_orders}" in printed
    # charts are embedded once each (KPI, RFM, Pareto, funnel, retention, lifecycle), prose in Chinese
    pngs = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 6
    prose = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "RFM 分层与运营策略" in prose and "转化漏斗" in prose


def test_orders_only_notebook_in_english_says_what_needs_events():
    nb = playbook_notebook(sources={"orders": "/data/orders.csv"}, mapping_path="mapping.yaml", lang="en",
                           engine="duckdb")
    src = "".join(c.source for c in nb.cells)
    assert "ENGINE = 'duckdb'" in nb.cells[1].source
    assert "These need an event log" in src and "ops.funnel(" not in src and "ops.retention(" not in src
    with pytest.raises(InvalidParameterError, match="needs an 'orders' path"):
        playbook_notebook(sources={"events": "e.parquet"}, mapping_path="m.yaml")
    with pytest.raises(InvalidParameterError, match="lang"):
        playbook_notebook(sources={"orders": "o.csv"}, mapping_path="m.yaml", lang="fr")


def _kernels_running_in(folder) -> list[int]:
    """Kernel processes of this test process started in ``folder`` (or below) and still running."""
    psutil = pytest.importorskip("psutil")
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "ipykernel" in " ".join(proc.cmdline()) and proc.cwd().startswith(str(folder)):
                found.append(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def test_the_kernels_are_shut_down(zh_report):
    assert not _kernels_running_in(zh_report.out.parent), "the playbook's kernel is still running"


def test_a_failing_notebook_is_kept_unexecuted_with_a_note(export, tmp_path):
    # the mapping the notebook loads is missing: its loading cell fails, the function does not raise
    info = write_playbook(tmp_path, sources={"orders": export / "订单.csv"}, mapping_path="nowhere.yaml",
                          lang="en", timeout=120)
    assert info["status"] == "failed" and info["file"] == NOTEBOOK_NAME
    assert "cell 3 raised" in info["note"] and "nowhere.yaml" in info["note"]
    nb = nbformat.read(tmp_path / NOTEBOOK_NAME, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # the unexecuted notebook
    assert not list(tmp_path.glob(".*.tmp"))
    assert not _kernels_running_in(tmp_path), "the failed playbook's kernel is still running"


def test_a_notebook_timeout_does_not_fail_the_report(export, tmp_path, monkeypatch):
    monkeypatch.setenv("OPSPLAYBOOK_NOTEBOOK_TIMEOUT", "1")  # no kernel starts and runs the playbook in 1 s
    res = report(orders=export / "订单.csv", mapping={"tables": {"orders": MAPPING["tables"]["orders"]}},
                 out=tmp_path / "r", lang="en", progress=False)
    nbinfo = json.loads((res.out / "summary.json").read_text(encoding="utf-8"))["notebook"]
    assert nbinfo["status"] == "failed" and nbinfo["note"]
    assert (res.out / NOTEBOOK_NAME).exists() and (res.out / "report.html").exists()


def test_frames_and_opting_out(tmp_path, demo_world, export):
    res = report(orders=demo_world.orders, out=tmp_path / "frames", lang="en", progress=False)
    assert not (res.out / NOTEBOOK_NAME).exists()
    assert "notebook" not in res.summary
    info = write_playbook(tmp_path, sources={"orders": demo_world.orders})
    assert info["status"] == "skipped" and "needs files" in info["note"]
    assert main(["report", "--orders", str(export / "订单.csv"), "--out", str(tmp_path / "cli"), "--quiet",
                 "--no-notebook", "--lang", "en"]) == 0
    assert (tmp_path / "cli" / "report.html").exists() and not (tmp_path / "cli" / NOTEBOOK_NAME).exists()
    assert "notebook" not in json.loads((tmp_path / "cli" / "summary.json").read_text(encoding="utf-8"))
