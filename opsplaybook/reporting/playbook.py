"""The report's playbook notebook: the same analyses, step by step, on the team's own files.

:func:`write_playbook` writes ``playbook.ipynb`` into the report's (temporary) folder: a short
notebook whose first code cell is tagged ``parameters`` (as papermill expects: the file paths, the
mapping, the engine and the language), which loads the team's files with the kit, validates and
prepares them as the report does, and runs the KPIs, RFM with its strategies, repeat purchase and
Pareto, and — when there is an event log — the funnel, retention and lifecycle, with the charts, in
the report's language. The notebook is executed in that folder (nbclient, with a timeout), so the
report holds it with its outputs; a team opens it to keep adapting the analyses.

The helpers :func:`read_source`, :func:`prepare_table`, :func:`check_tables` and
:func:`user_table` are what the notebook calls: the report's own steps, so the notebook's numbers
are the report's numbers.

>>> nb = playbook_notebook(sources={"orders": "orders.csv"}, mapping_path="mapping.yaml", lang="en")
>>> [c.cell_type for c in nb.cells][:3]
['markdown', 'code', 'markdown']
>>> nb.cells[1].metadata["tags"]
['parameters']
>>> print(nb.cells[1].source.splitlines()[0])
ORDERS = 'orders.csv'
"""
from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["write_playbook", "playbook_notebook", "read_source", "prepare_table", "check_tables", "user_table",
           "spark_read_parquet", "NOTEBOOK_NAME", "NOTEBOOK_TIMEOUT"]

NOTEBOOK_NAME = "playbook.ipynb"
#: Seconds the whole notebook may take when the report executes it (``OPSPLAYBOOK_NOTEBOOK_TIMEOUT``).
NOTEBOOK_TIMEOUT = 600


# ----------------------------------------------------------------------------- what the notebook calls
def read_source(path, *, engine: str = "auto"):
    """Read one of the team's files exactly as :func:`opsplaybook.report` does for ``engine``.

    "pandas" and "auto" (files up to 300 MB) give a pandas DataFrame; "duckdb" a relation on the
    kit's connection; "polars" a LazyFrame; "spark" a Spark DataFrame read by Spark's own readers.
    """
    from ..errors import check_choice
    from .run import ENGINES, _read

    check_choice("engine", engine, ENGINES)
    return _read("", path, engine)


def prepare_table(kind: str, frame, mapping):
    """The table under the kit's column names (``user_id``, ``ts``, ``amount`` …), times parsed,
    amounts as numbers and event names mapped — what the report analyses. ``mapping`` is a
    :class:`~opsplaybook.io.Mapping` (from :func:`~opsplaybook.io.load_mapping`)."""
    from ..errors import check_choice
    from .run import _prepare

    check_choice("kind", kind, tuple(mapping.tables))
    return _prepare(kind, frame, mapping.tables[kind])


def check_tables(tables: dict, mapping, *, now=None, lang: str = "en") -> list[str]:
    """Check the mapped columns exist and validate every table (all rows of pandas frames, the
    first rows of lazy ones); raises :class:`~opsplaybook.errors.DataValidationError` listing every
    problem at once, in ``lang``. Returns the notes the report also records (what was validated how)."""
    from ..io.mapping import check_mapping_columns
    from .run import _validate

    check_mapping_columns(mapping, tables)
    return _validate(tables, mapping, now=now, lang=lang)


def user_table(tables: dict):
    """One pandas row per user (orders, sales, recency, first order …), computed on the tables'
    engine: only this small per-user result is brought into pandas, never the raw events."""
    from .run import _features

    return _features(tables)


def spark_read_parquet(spark, path):
    """A Parquet file or folder as a Spark DataFrame, with nanosecond timestamps (what pandas and
    PyArrow write by default, which Spark refuses: ``Illegal Parquet type: INT64 (TIMESTAMP(NANOS,
    false))``) read as integers and turned into Spark timestamps (microseconds, wall clock kept in
    a UTC session)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    first = path if path.is_file() else next(iter(sorted(p for p in path.rglob("*.parquet") if p.is_file())), None)
    nanos = []
    if first is not None:
        schema = pq.read_schema(first)
        nanos = [f.name for f in schema if pa.types.is_timestamp(f.type) and f.type.unit == "ns"]
    if not nanos:
        return spark.read.parquet(str(path))
    from pyspark.sql import functions as F

    spark.conf.set("spark.sql.legacy.parquet.nanosAsLong", "true")  # needed when the plan runs, so it stays set
    df = spark.read.parquet(str(path))
    return df.withColumns({c: F.timestamp_micros(F.floor(F.col(c) / 1000)) for c in nanos if c in df.columns})


# ----------------------------------------------------------------------------- the notebook
_TEXT = {
    "zh": {
        "title": "# 运营手册：在你们自己的数据上\n\n这个笔记本由 `opsplaybook report` 生成并已在你们的数据上运行，"
                 "与同一文件夹里的 `report.html` 用的是同样的文件、映射和计算。改下面的参数（文件路径、"
                 "`mapping.yaml`、引擎、语言）就能在新的导出上重跑；每一步都可以改写、加自己的分析。\n\n"
                 "参数单元格带有 `parameters` 标签，可以用 papermill 批量运行：\n"
                 "`papermill playbook.ipynb 本月.ipynb -p ORDERS 订单_本月.csv`",
        "load": "## 1. 读取、校验、整理\n\n用 `read_table` / `load_mapping` 读入文件和列映射；校验一次列出所有问题"
                "（文件、列、示例行、改法），有问题就停在这里；然后把列改成工具包的名字"
                "（`user_id`、`ts`、`amount` …），时间和金额转成正确的类型。",
        "kpi": "## 2. 核心指标（按月）\n\n订单数、GMV、购买用户数、客单价（ARPPU）、复购率；有行为日志时还有 UV 和转化率。",
        "rfm": "## 3. RFM 分层与运营策略\n\n按最近一次购买（R）、购买频次（F）、消费金额（M）把用户分成八类，"
               "每类配上课程建议的运营策略。",
        "repeat": "## 4. 复购与二八定律（帕累托）\n\n复购率 = 购买两次及以上的用户 / 购买用户；"
                  "前 20% 的用户贡献了多少销售额。",
        "funnel": "## 5. 转化漏斗\n\n按 `mapping.yaml` 里 `funnel:` 的步骤，7 天窗口内逐步到达的用户数。",
        "retention": "## 6. 留存（按周的同期群）",
        "lifecycle": "## 7. 用户生命周期（按月：新增、活跃、回流、流失）",
        "no_events": "## 5–7. 漏斗、留存、生命周期\n\n这些分析需要行为日志（events）。在参数里给出 `EVENTS` 文件后重跑即可。",
        "check": "## 8. 与报告核对\n\n这里的数字应与同一文件夹里 `summary.json` 的数字一致。",
        "orders": "订单数", "gmv": "GMV", "repeat_rate": "复购率", "top20": "前 20% 用户的销售额占比",
        "funnel_cvr": "漏斗总转化率", "w1": "次周留存（加权）", "summary": "summary.json 中的订单数",
    },
    "en": {
        "title": "# The playbook on your own data\n\nWritten and run on your data by `opsplaybook report`, with the "
                 "same files, mapping and calculations as `report.html` in this folder. Change the parameters "
                 "below (file paths, `mapping.yaml`, engine, language) to rerun it on a new export; adapt any "
                 "step or add your own analyses.\n\nThe parameters cell is tagged `parameters`, so papermill "
                 "runs it in batches: `papermill playbook.ipynb june.ipynb -p ORDERS orders_june.csv`",
        "load": "## 1. Read, validate, prepare\n\n`read_table` / `load_mapping` read the files and the column "
                "mapping; the validation lists every problem at once (file, column, example rows, fix) and stops "
                "here if there is any; then the columns get the kit's names (`user_id`, `ts`, `amount` …) and "
                "times and amounts their proper types.",
        "kpi": "## 2. Key figures by month\n\nOrders, GMV, buyers, ARPPU, repeat rate; with an event log also UV "
               "and conversion.",
        "rfm": "## 3. RFM segments and their strategies\n\nRecency, frequency and monetary value split the "
               "buyers into eight segments, each with the strategy the course suggests.",
        "repeat": "## 4. Repeat purchase and Pareto\n\nRepeat rate = buyers with two or more orders / buyers; "
                  "the share of sales the top 20% of buyers bring.",
        "funnel": "## 5. Funnel\n\nUsers reaching each step listed under `funnel:` in `mapping.yaml`, within 7 days.",
        "retention": "## 6. Retention (weekly cohorts)",
        "lifecycle": "## 7. Lifecycle (monthly: new, active, returning, dormant)",
        "no_events": "## 5–7. Funnel, retention, lifecycle\n\nThese need an event log. Give an `EVENTS` file in the "
                     "parameters and rerun.",
        "check": "## 8. Check against the report\n\nThe numbers here equal those in `summary.json` in this folder.",
        "orders": "Orders", "gmv": "GMV", "repeat_rate": "Repeat rate", "top20": "Sales share of the top 20% buyers",
        "funnel_cvr": "Funnel conversion", "w1": "Week-1 retention (weighted)", "summary": "Orders in summary.json",
    },
}


def playbook_notebook(*, sources: dict, mapping_path, lang: str = "zh", engine: str = "auto"):
    """The playbook as an (unexecuted) :mod:`nbformat` notebook; see :func:`write_playbook`."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from ..errors import InvalidParameterError, check_lang

    lang = check_lang(lang)
    unknown = sorted(set(sources) - {"events", "users", "orders"})
    if unknown or "orders" not in sources:
        raise InvalidParameterError(f"`sources` needs an 'orders' path and may add 'events' and 'users'; got "
                                    f"{sorted(sources)!r}.")
    T = _TEXT[lang]
    has_events = sources.get("events") is not None
    p = {k: (str(sources[k]) if sources.get(k) is not None else None) for k in ("orders", "events", "users")}
    params = "\n".join([f"ORDERS = {p['orders']!r}", f"EVENTS = {p['events']!r}", f"USERS = {p['users']!r}",
                        f"MAPPING = {str(mapping_path)!r}", f"ENGINE = {engine!r}  # auto | pandas | duckdb | polars | spark",
                        f"LANG = {lang!r}  # zh | en"])
    q = lambda key: repr(T[key])  # noqa: E731 - labels printed by the notebook
    cells = [
        new_markdown_cell(T["title"]),
        new_code_cell(params, metadata={"tags": ["parameters"]}),
        new_markdown_cell(T["load"]),
        new_code_cell(
            "import pandas as pd\n"
            "import opsplaybook as ops\n"
            "from opsplaybook.io import load_mapping, read_table\n"
            "from opsplaybook.reporting.playbook import check_tables, prepare_table, read_source, user_table\n"
            "from opsplaybook._frames import as_pandas  # small results only: per user, per period\n"
            "import matplotlib.pyplot as plt\n\n"
            "def show(chart):  # one chart shown once\n"
            "    fig = getattr(chart, 'figure', chart)\n"
            "    display(fig)\n"
            "    plt.close(fig)\n\n"
            "mapping = load_mapping(MAPPING)\n"
            "files = {k: v for k, v in {'orders': ORDERS, 'events': EVENTS, 'users': USERS}.items() if v}\n"
            "# pandas reads with read_table(path); the lazy engines read as the report does\n"
            "raw = {k: read_table(v) if ENGINE == 'pandas' else read_source(v, engine=ENGINE) for k, v in files.items()}\n"
            "for note in check_tables(raw, mapping, lang=LANG):  # stops here with every problem listed, if any\n"
            "    print(note)\n"
            "tables = {k: prepare_table(k, frame, mapping) for k, frame in raw.items()}\n"
            "orders, events, users = tables['orders'], tables.get('events'), tables.get('users')\n"
            "per_user = user_table(tables)  # one row per user\n"
            "per_user.head()"),
        new_markdown_cell(T["kpi"]),
        new_code_cell(
            "k = as_pandas(ops.kpis(events, orders, freq='M', users=users)).sort_values('period').reset_index(drop=True)\n"
            f"print(f\"{{{q('orders')}}}: {{int(k['orders'].sum())}}\")\n"
            f"print(f\"{{{q('gmv')}}}: {{k['gmv'].sum():,.2f}}\")\n"
            "metrics = [m for m in ('gmv', 'buyers', 'orders', 'uv', 'cvr', 'arppu') if m in k and k[m].notna().any()]\n"
            "display(k)\n"
            "show(ops.plot_kpi_dashboard(k, metrics=metrics[:6], lang=LANG))"),
        new_markdown_cell(T["rfm"]),
        new_code_cell(
            "r = as_pandas(ops.rfm(orders, lang=LANG))\n"
            "segments = (r.groupby(['segment_key', 'segment'], sort=False)\n"
            "            .agg(users=('user_id', 'size'), monetary=('monetary', 'sum')).reset_index())\n"
            "segments['share'] = segments['users'] / segments['users'].sum()\n"
            "strategy = as_pandas(ops.rfm_strategy(lang=LANG))\n"
            "display(segments.merge(strategy.drop(columns=[c for c in ('segment',) if c in strategy]), on='segment_key',\n"
            "                       how='left').sort_values('monetary', ascending=False))\n"
            "show(ops.plot_rfm_segments(r, lang=LANG))"),
        new_markdown_cell(T["repeat"]),
        new_code_cell(
            "from opsplaybook.models.pareto import pareto\n\n"
            "buyers = per_user.loc[per_user['frequency'] > 0, ['user_id', 'frequency', 'monetary']]\n"
            "p = pareto(buyers['monetary'].clip(lower=0))\n"
            f"print(f\"{{{q('repeat_rate')}}}: {{(buyers['frequency'] >= 2).mean():.1%}}\")\n"
            f"print(f\"{{{q('top20')}}}: {{p.top_share:.1%}}\")\n"
            "show(ops.plot_pareto(buyers.rename(columns={'monetary': 'amount'}), lang=LANG))"),
    ]
    if has_events:
        cells += [
            new_markdown_cell(T["funnel"]),
            new_code_cell(
                "if len(mapping.funnel) >= 2:\n"
                "    f = as_pandas(ops.funnel(events, mapping.funnel, window='7D'))\n"
                f"    print(f\"{{{q('funnel_cvr')}}}: {{f['users'].iloc[-1] / f['users'].iloc[0]:.1%}}\")\n"
                "    display(f)\n"
                "    show(ops.plot_funnel(f, lang=LANG))\n"
                "else:\n"
                "    print('mapping.yaml: funnel: ' + ('需要至少两个事件名' if LANG == 'zh' else 'needs two or more event names'))"),
            new_markdown_cell(T["retention"]),
            new_code_cell(
                "ret = ops.retention(events, period='W', periods=8)\n"
                "mean = as_pandas(ret.mean)\n"
                "w1 = mean.loc[mean['period'] == 1, 'weighted']\n"
                f"if len(w1):\n    print(f\"{{{q('w1')}}}: {{w1.iloc[0]:.1%}}\")\n"
                "show(ops.plot_retention_heatmap(ret, max_cohorts=12, lang=LANG))"),
            new_markdown_cell(T["lifecycle"]),
            new_code_cell(
                "import narwhals as nw\n\n"
                "span = nw.from_native(events).lazy().select(nw.col('ts').min().alias('a'), nw.col('ts').max().alias('b')).collect()\n"
                "start, end = (pd.Timestamp(span.item(0, c)).normalize() for c in ('a', 'b'))\n"
                "life = as_pandas(ops.lifecycle_counts(events, start=start, end=end, freq='M', users=users))\n"
                "display(life.tail(12))\n"
                "show(ops.plot_lifecycle_area(life, lang=LANG))"),
        ]
    else:
        cells.append(new_markdown_cell(T["no_events"]))
    cells += [
        new_markdown_cell(T["check"]),
        new_code_cell(
            "import json, pathlib\n\n"
            "if pathlib.Path('summary.json').exists():\n"
            "    summary = json.loads(pathlib.Path('summary.json').read_text(encoding='utf-8'))\n"
            f"    print(f\"{{{q('summary')}}}: {{summary['sections']['overview']['figures'].get('orders')}}\")"),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["opsplaybook"] = {"kind": "report-playbook", "lang": lang, "engine": engine}
    nbformat.validate(nb)
    return nb


def write_playbook(folder, *, sources: dict, mapping_path="mapping.yaml", lang: str = "zh", engine: str = "auto",
                   execute: bool = True, timeout: float | None = None) -> dict:
    """Write ``playbook.ipynb`` into ``folder`` and execute it there; never raises for a failed run.

    Parameters
    ----------
    folder : path
        The report's (temporary) folder; the notebook runs with it as working directory, so a
        relative ``mapping_path`` (the report's own ``mapping.yaml``) and ``summary.json`` resolve.
    sources : dict
        ``{"orders": path, "events": path, "users": path}`` (orders needed). Frames cannot be
        written into a notebook: then nothing is written and the status says so.
    mapping_path : path
        The mapping file the notebook loads.
    lang : {"zh", "en"}
        Language of the prose and the charts.
    engine : str
        The engine the notebook reads with (as :func:`opsplaybook.report`).
    execute : bool
        Run the notebook (nbclient); False only writes it.
    timeout : float, optional
        Seconds for the whole run (default :data:`NOTEBOOK_TIMEOUT`, or ``OPSPLAYBOOK_NOTEBOOK_TIMEOUT``).

    Returns
    -------
    dict
        For ``summary.json``: ``{"file", "status", "seconds", "note"}`` with status "executed",
        "written" (not run), "failed" (the unexecuted notebook is kept; ``note`` says which cell and
        why) or "skipped" (no notebook: sources are frames).
    """
    import nbformat

    folder = Path(folder)
    frames = [k for k, v in sources.items() if v is not None and not isinstance(v, (str, os.PathLike))]
    if frames:
        return {"file": None, "status": "skipped", "seconds": 0.0,
                "note": f"the playbook notebook needs files; {', '.join(frames)} given as a frame"}
    sources = {k: str(Path(v).expanduser().resolve()) for k, v in sources.items() if v is not None}
    nb = playbook_notebook(sources=sources, mapping_path=mapping_path, lang=lang, engine=engine)
    target = folder / NOTEBOOK_NAME
    nbformat.write(nb, target)
    if not execute:
        return {"file": NOTEBOOK_NAME, "status": "written", "seconds": 0.0, "note": None}
    if timeout is None:
        timeout = float(os.environ.get("OPSPLAYBOOK_NOTEBOOK_TIMEOUT", NOTEBOOK_TIMEOUT))
    t0 = time.perf_counter()
    status, note = _execute(nb, folder=folder, timeout=timeout)
    seconds = round(time.perf_counter() - t0, 1)
    if status == "executed":
        tmp = folder / f".{NOTEBOOK_NAME}.tmp"
        nbformat.write(nb, tmp)
        os.replace(tmp, target)
    return {"file": NOTEBOOK_NAME, "status": status, "seconds": seconds, "note": note}


def _execute(nb, *, folder: Path, timeout: float) -> tuple[str, str | None]:
    """Run ``nb`` in place (fresh kernel, cwd ``folder``); ("executed", None) or ("failed", why)."""
    from .._notebooks import NotebookRunFailure, run_notebook

    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the kernel's inline backend shows the charts
    try:
        run_notebook(nb, cwd=folder, timeout=timeout, env=env, allow_errors=False,
                     display_name="Python 3 (opsplaybook report)")
    except NotebookRunFailure as f:
        if f.kind == "raised":
            return "failed", f"cell {f.cell} raised {f.error.ename}: {str(f.error.evalue)[:200]}"
        if f.kind == "timeout":
            return "failed", f"stopped after {timeout:g} s in cell {f.cell} (raise OPSPLAYBOOK_NOTEBOOK_TIMEOUT)"
        if f.kind == "dead":
            return "failed", f"the kernel died in cell {f.cell} (out of memory?)"
        return "failed", f"could not run the notebook: {type(f.error).__name__}: {str(f.error)[:200]}"
    return "executed", None
