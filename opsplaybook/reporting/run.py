"""Run the playbook on a team's data: read, map, validate, analyse, write a report folder atomically.

>>> import tempfile, pathlib, opsplaybook as ops
>>> w = ops.load_demo()
>>> out = pathlib.Path(tempfile.mkdtemp()) / "rep"
>>> res = report(orders=w.orders, out=out, lang="en", progress=False)
>>> sorted(p.name for p in out.iterdir())
['mapping.yaml', 'report.html', 'summary.json', 'users.csv', 'users.parquet']
>>> [k for k, s in res.sections.items() if s.skipped]      # what orders alone cannot show
['drivers', 'funnel', 'retention', 'lifecycle']
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InvalidParameterError, OpsPlaybookError, check_choice, check_lang
from ..io.mapping import (ROLES, Mapping, TableMapping, check_required_roles, guess_mapping, load_mapping,
                          mapping_yaml)
from ..labels import label

__all__ = ["report", "ReportResult", "SUMMARY_SCHEMA"]

SUMMARY_SCHEMA = "opsplaybook.report/1"
ENGINES = ("auto", "pandas", "duckdb", "polars", "spark")
#: Files up to this size are read into pandas by engine="auto" (fully validated); larger ones stay lazy on DuckDB.
AUTO_PANDAS_BYTES = 300 * 1024 * 1024
#: Rows of a lazily read table that the validation looks at (the analyses check the rest as they run).
LAZY_VALIDATION_ROWS = 200_000


@dataclass
class ReportResult:
    """What :func:`report` wrote: the folder, the sections (figures, actions, skips) and the summary."""

    out: Path
    sections: dict
    summary: dict

    def _repr_html_(self) -> str:  # pragma: no cover - display only
        return f"<p>Report written to <code>{self.out}</code>: open <code>report.html</code>.</p>"


def _is_path(x) -> bool:
    return isinstance(x, (str, os.PathLike))


def _describe_source(v) -> str:
    """How a source is named in the report's header: a file's name, or a frame's library and rows."""
    if _is_path(v):
        return Path(v).name
    lib = type(v).__module__.split(".")[0]
    kind = {"pandas": "pandas DataFrame", "polars": "Polars DataFrame", "duckdb": "DuckDB relation",
            "pyspark": "Spark DataFrame"}.get(lib, type(v).__name__)
    try:
        rows = len(v) if lib in ("pandas", "polars") else None
    except TypeError:
        rows = None
    return f"{kind} ({rows:,} rows)" if rows is not None else kind


def _identity_mapping(tables: dict) -> Mapping:
    """For frames that already use the kit's column names (the demo world, a prepared export)."""
    out = {}
    for kind, df in tables.items():
        from ..io.mapping import _column_names
        cols = _column_names(df)
        kit = {v: k for k, v in ROLES[kind].items()}
        out[kind] = TableMapping(kind, {kit[c]: c for c in cols if c in kit})
    return Mapping(out)


def _read(kind: str, src, engine: str):
    from ..io.readers import read_table

    if not _is_path(src):
        return src
    path = Path(src)
    if engine == "spark":
        return _spark_read(path)
    if engine == "auto":
        size = path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        engine = "pandas" if size <= AUTO_PANDAS_BYTES else "duckdb"
    if engine == "duckdb":  # every table on the kit's one connection, so they join without copies
        from ..analytics._engine import duckdb_connection
        return read_table(path, engine=engine, con=duckdb_connection())
    return read_table(path, engine=engine)


def _spark_session():
    """Reuse the active Spark session, or start a local one with settings that work on a laptop."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InvalidParameterError("engine='spark' needs PySpark: pip install 'opsplaybook[spark]' (and Java 17+).") from None
    import warnings

    # PySpark 4.0 warns on every toPandas() under pandas 3; the kit's Spark results are tested equal
    # to pandas', so only this one message is silenced (once, for the process).
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = os.environ.get("OPSPLAYBOOK_SPARK_MASTER", "local[2]")
    if master.startswith("local"):  # a laptop: no "hostname resolves to a loopback address" warning
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Spark's own log lines: errors only from the JVM's start (setLogLevel below comes too late for
    # the default profile's banner and the native-library WARN)
    log4j = Path(__file__).with_name("spark-log4j2.properties").as_uri()
    spark = (SparkSession.builder.master(master)
            .appName("opsplaybook-report")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log4j}")
            .config("spark.driver.memory", os.environ.get("OPSPLAYBOOK_SPARK_DRIVER_MEMORY", "4g"))
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.session.timeZone", "UTC")  # the files' naive times keep their wall clock
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")  # the report draws its own progress bar
            .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")  # a team reads the report's messages, not Spark's WARN lines
    return spark


def _spark_read(path: Path):
    from ..io.readers import sniff_file

    spark = _spark_session()
    info = sniff_file(path)
    if info.kind in ("parquet", "parquet-folder"):
        from .playbook import spark_read_parquet
        return spark_read_parquet(spark, path)
    if info.kind == "csv":
        enc = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8"}.get(info.encoding, "GB18030")
        return spark.read.csv(str(path), header=True, sep=info.sep, encoding=enc, inferSchema=True)
    raise InvalidParameterError(f"{path}: Excel files are read on pandas; give engine='auto' or export CSV/Parquet.")


def _prepare(kind: str, frame, tm: TableMapping):
    """Keep the mapped columns under the kit's names; map event names to the kit's."""
    import narwhals as nw

    renames = tm.rename()
    if isinstance(frame, pd.DataFrame):  # text read from CSV: times and amounts as the validation read them
        frame = frame[list(renames)].rename(columns=renames)
        for col in ("ts", "signup_ts"):
            if col in frame and not pd.api.types.is_datetime64_any_dtype(frame[col]):
                frame[col] = pd.to_datetime(frame[col].astype("string").str.strip(), format="mixed")
        if "amount" in frame and not pd.api.types.is_numeric_dtype(frame["amount"]):
            frame["amount"] = pd.to_numeric(frame["amount"].astype("string").str.replace(r"[,¥￥\s]", "", regex=True))
        renames = {c: c for c in frame.columns}
    nf = nw.from_native(frame)
    nf = nf.select(list(renames)).rename(renames)
    if kind == "events" and tm.events:
        names = {k: v for k, v in tm.events.items() if k != v}
        if names:
            nf = nf.with_columns(nw.col("event").replace_strict(names, default=nw.col("event"), return_dtype=nw.String))
    return nf.to_native()


#: Share of DuckDB's memory limit the report may use to hold the mapped columns of files read lazily.
MATERIALIZE_SHARE = 0.25


def _duckdb_memory_limit(con) -> float:
    """DuckDB's memory limit in bytes (``'19.2 GiB'`` → 2.06e10); 0 when it cannot be read."""
    text = str(con.sql("SELECT current_setting('memory_limit')").fetchall()[0][0]).strip()
    units = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
    num, _, unit = text.partition(" ")
    try:
        return float(num) * units[unit.upper()]
    except (ValueError, KeyError):
        return 0.0


def _materialize(tables: dict, from_files: set) -> list[str]:
    """Hold the mapped columns of lazily read files in DuckDB temporary tables when they fit.

    Every section reads the event log again; from Parquet each analysis re-decodes the file (the
    monthly KPIs took 7× the CPU of the same query on a table held in memory). A table whose
    estimated size (rows × columns × 16 bytes) fits in :data:`MATERIALIZE_SHARE` of DuckDB's memory
    limit is copied once; a larger one stays lazy, so files larger than memory still run. Returns the
    temporary tables' names (dropped by the caller when the report is done).
    """
    from ..analytics._engine import duckdb_connection, is_duckdb

    names = []
    con = duckdb_connection()
    budget = MATERIALIZE_SHARE * _duckdb_memory_limit(con)
    for kind in sorted(from_files):
        rel = tables.get(kind)
        if rel is None or not is_duckdb(rel):
            continue
        rows = rel.aggregate("count(*)").fetchall()[0][0]
        if rows * len(rel.columns) * 16 > budget:
            continue
        name = f"__opsplaybook_report_{kind}_{uuid.uuid4().hex[:8]}"
        rel.create(name)  # a temporary name on the kit's connection (the files were read on it)
        tables[kind] = con.table(name)
        names.append(name)
    return names


def _drop(names: list[str]) -> None:
    if not names:
        return
    from ..analytics._engine import duckdb_connection

    con = duckdb_connection()
    for name in names:
        con.execute(f'DROP TABLE IF EXISTS "{name}"')


def _features(tables: dict) -> pd.DataFrame:
    """One row per user, computed once on the tables' engine and shared by the sections."""
    from .._frames import as_pandas
    from ..analytics.features import user_features

    import narwhals as nw

    users = tables.get("users")
    cols = set(nw.from_native(users).columns) if users is not None else set()
    return as_pandas(user_features(orders=tables["orders"], events=tables.get("events"), users=tables.get("users"),
                                   session_col=None, category_col=None, coupon_col=None,
                                   signup_col="signup_ts" if "signup_ts" in cols else None,
                                   age_col="age" if "age" in cols else None, profile_cols=()))


def _validate(tables: dict, mapping: Mapping, *, now, lang: str = "en") -> list[str]:
    """Validate every table (pandas: all rows; lazy engines: the first rows) and stop on any problem."""
    from .._frames import as_pandas
    from ..io.validate import validate_tables

    notes = []
    sample = {}
    for kind, frame in tables.items():
        if isinstance(frame, pd.DataFrame):
            sample[kind] = frame
        else:
            import narwhals as nw
            nf = nw.from_native(frame)
            sample[kind] = as_pandas(nf.head(LAZY_VALIDATION_ROWS).to_native() if isinstance(nf, nw.LazyFrame)
                                     else nf.head(LAZY_VALIDATION_ROWS))
            if len(sample[kind]) >= LAZY_VALIDATION_ROWS:  # (a shorter table was validated whole)
                notes.append(label("report.note.lazy_validation", lang).format(kind=kind, rows=f"{LAZY_VALIDATION_ROWS:,}"))
    validate_tables(sample, mapping, now=now, lang=lang).raise_if_any()
    return notes


def _actions(sections: dict, lang: str) -> None:
    from ..catalog.report import ACTION_RULES

    ops = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
    for rule_id, key, figure, op, threshold in ACTION_RULES:
        s = sections.get(key)
        if s is None or s.skipped:
            continue
        value = s.figures.get(figure)
        if value is None or not ops[op](value, threshold):
            continue
        shown = f"{abs(value):.1%}" if isinstance(value, float) else f"{value:,}"
        step = s.figures.get("worst_step", "")
        text = label(f"report.action.{rule_id}", lang).format(value=shown, step=label(f"event.{step}", lang, default=step))
        s.actions.append(text)


def _users_table(sections: dict, tables: dict, mapping: Mapping) -> tuple[pd.DataFrame, dict]:
    from .._frames import as_pandas

    feats = tables["features"].set_index("user_id")
    parts = [feats] + [s.user_columns for s in sections.values() if s.user_columns is not None and not s.skipped]
    per = pd.concat(parts, axis=1)
    per = per.loc[:, ~per.columns.duplicated()]  # rfm's recency/frequency/monetary are the features' own
    pii = {}
    if "users" in tables:
        u = as_pandas(tables["users"]).drop_duplicates("user_id").set_index("user_id")
        per = u.join(per.drop(columns=[c for c in per.columns if c in u.columns]), how="left")
        tm = mapping.tables["users"]
        pii = {ROLES["users"][r]: "mask" for r in ("name", "phone", "email") if r in tm.columns}
    per.index.name = "user_id"
    return per.reset_index(), pii


def report(*, events=None, users=None, orders=None, mapping=None, out, engine: str = "auto", lang: str = "zh",
           force: bool = False, progress: bool = True, now=None, notebook: bool = True) -> ReportResult:
    """Run the playbook on a team's data and write a report folder.

    Parameters
    ----------
    events, users, orders : path or frame, optional
        The team's tables: files (CSV in UTF-8 or GBK, Excel, Parquet, a folder of Parquet parts) or
        frames. Orders are needed; events add the funnel, retention, lifecycle and the revenue split.
    mapping : path, dict or Mapping, optional
        Which column plays which role (see :mod:`opsplaybook.io.mapping`). Default: guessed from the
        files' headers and values (written to ``mapping.yaml`` in the folder, to check and reuse),
        or, for frames, the kit's own column names.
    out : path
        The report folder; must not hold data unless ``force`` (then it is replaced only when the
        new report is complete). Written to a temporary folder first, moved into place at the end.
    engine : {"auto", "pandas", "duckdb", "polars", "spark"}
        How files are read: "auto" reads files up to 300 MB into pandas and larger ones lazily with
        DuckDB; "spark" reads with Spark's own readers (a running session is reused; otherwise a
        local one with laptop settings starts: ``OPSPLAYBOOK_SPARK_MASTER``, ``…_DRIVER_MEMORY``).
    lang : {"zh", "en"}
        Language of the report.
    force : bool
        Replace an existing report folder.
    progress : bool
        Show a progress bar of the stages.
    now : date-like, optional
        "Today" for the check of dates in the future (default: now).
    notebook : bool
        Also write ``playbook.ipynb`` (the analyses step by step on these files, parameterised) and
        execute it in the folder; a failed run keeps the unexecuted notebook and a note under
        ``notebook`` in summary.json. Only for files (not frames); costs some seconds.

    Returns
    -------
    ReportResult

    Raises
    ------
    DataValidationError
        Every problem of the data at once (file, column, example rows, fix); nothing is written.
    """
    from .._files import atomic_dir
    from .html import render_html
    from .sections import SECTIONS

    lang = check_lang(lang)
    check_choice("engine", engine, ENGINES)
    out_dir = Path(out).expanduser()
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:  # say so before a long run, not after
        from ..errors import OutputExistsError
        raise OutputExistsError(f"`out`={str(out_dir)!r} already holds data; nothing was read or written. "
                                "Choose a new folder or pass force=True (CLI: --force) to replace it.")
    given = {k: v for k, v in (("events", events), ("users", users), ("orders", orders)) if v is not None}
    if "orders" not in given:
        raise InvalidParameterError("The report needs the orders table (`orders=` / --orders): KPIs, RFM and "
                                    "repeat purchase all start from orders. Events and users are optional.")
    stages = ["read", "validate", *[k for k, _, _ in SECTIONS], "write"]
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(stages), desc="report", unit="stage")

    def step(name):
        if bar is not None:
            bar.set_postfix_str(name)
            bar.update(1)

    try:
        temp_tables: list[str] = []
        files = [v for v in given.values() if _is_path(v)]
        guessed = False
        if mapping is not None:
            m = load_mapping(mapping)
        elif files:
            m = guess_mapping([given[k] for k in given if _is_path(given[k])])
            check_required_roles(m)
            guessed = True
            if len(files) != len(given) or set(m.tables) != {k for k in given if _is_path(given[k])}:
                m.tables.update(_identity_mapping({k: v for k, v in given.items() if not _is_path(v)}).tables)
        else:
            m = _identity_mapping(given)
        # the mapping's kinds must match what was given (a guessed mapping may have named a file otherwise)
        missing = [k for k in given if k not in m.tables]
        if missing:
            raise InvalidParameterError(f"The mapping has no `tables.{missing[0]}` section for the {missing[0]} "
                                        f"given; add one (roles: {list(ROLES[missing[0]])}).")
        raw = {k: _read(k, v, engine) for k, v in given.items()}
        step("read")
        from ..io.mapping import check_mapping_columns
        check_mapping_columns(m, raw)
        notes = _validate(raw, m, now=now, lang=lang)
        step("validate")
        tables = {k: _prepare(k, v, m.tables[k]) for k, v in raw.items()}
        temp_tables = _materialize(tables, {k for k in raw if _is_path(given[k])})
        tables["features"] = _features(tables)
        sections = {}
        from .sections import Section

        for key, fn, needs in SECTIONS:
            kw = {"steps": m.funnel} if key == "funnel" else {}
            try:
                if any(tables.get(n) is None for n in needs):  # only orders and events are ever needed
                    sections[key] = Section(key, skipped=label("report.needs_events", lang))
                else:
                    sections[key] = fn(tables, lang, **kw)
            except OpsPlaybookError as exc:
                sections[key] = Section(key, skipped=str(exc))
            step(key)
        _actions(sections, lang)
        per_user, pii = _users_table(sections, tables, m)
        when = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        sources = ", ".join(f"{k}: {_describe_source(v)}" for k, v in given.items())
        summary = {
            "schema": SUMMARY_SCHEMA,
            "generated": _dt.datetime.now().isoformat(timespec="seconds"),
            "lang": lang,
            "sources": {k: (str(v) if _is_path(v) else _describe_source(v)) for k, v in given.items()},
            "mapping_guessed": guessed,
            "notes": notes,
            "sections": {k: {"figures": s.figures, "actions": s.actions, "skipped": s.skipped}
                         for k, s in sections.items()},
        }

        def write(tmp: Path) -> None:
            from ..io.exports import write_csv, write_parquet

            (tmp / "report.html").write_text(render_html(list(sections.values()), lang=lang, sources=sources,
                                                         when=when, notes=notes), encoding="utf-8")
            write_csv(per_user, tmp / "users.csv", pii=pii)
            write_parquet(per_user, tmp / "users.parquet", pii=pii)
            (tmp / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str),
                                              encoding="utf-8")
            (tmp / "mapping.yaml").write_text(mapping_yaml(m), encoding="utf-8")
            if notebook and all(_is_path(v) for v in given.values()):  # runs on the files and mapping.yaml above
                from .playbook import write_playbook
                summary["notebook"] = write_playbook(tmp, sources=given, lang=lang, engine=engine)
                (tmp / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str),
                                                  encoding="utf-8")

        out_path = atomic_dir(out, write, force=force)
        step("write")
    finally:
        if bar is not None:
            bar.close()
        _drop(temp_tables)
    return ReportResult(out_path, sections, summary)
