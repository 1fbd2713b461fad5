"""``report(..., engine="spark")`` end to end on the demo world written as Parquet: Spark's own readers,
the same figures as pandas, and only small per-user / per-period results brought into pandas."""
from __future__ import annotations

import pytest

from opsplaybook.reporting import report
from opsplaybook.reporting.run import LAZY_VALIDATION_ROWS

MAPPING = {"tables": {"orders": {"columns": {"user": "user_id", "time": "ts", "amount": "amount"}},
                      "events": {"columns": {"user": "user_id", "time": "ts", "event": "event"}},
                      "users": {"columns": {"user": "user_id", "signup_time": "signup_ts"}}},
           "funnel": ["visit", "view", "cart", "purchase"]}


@pytest.fixture(scope="module")
def parquet_world(tmp_path_factory, demo_world):
    d = tmp_path_factory.mktemp("parquet")
    files = {}
    for k in ("orders", "events", "users"):
        files[k] = d / f"{k}.parquet"
        getattr(demo_world, k).to_parquet(files[k])  # pandas writes nanosecond timestamps, which Spark refuses
    parts = d / "events_parts"  # a folder of parts, as Spark and Hive write them
    parts.mkdir()
    ev = demo_world.events
    for i, chunk in enumerate((ev.iloc[: len(ev) // 2], ev.iloc[len(ev) // 2:])):
        chunk.to_parquet(parts / f"part-{i:05d}.parquet")
    return d, files, parts


def test_spark_reads_nanosecond_parquet_with_the_wall_clock_kept(spark, parquet_world, demo_world):
    from opsplaybook.reporting.playbook import spark_read_parquet

    _, files, parts = parquet_world
    o = spark_read_parquet(spark, files["orders"])
    assert dict(o.dtypes)["ts"] == "timestamp"
    first = demo_world.orders.sort_values(["ts", "order_id"]).iloc[0]
    row = o.orderBy("ts", "order_id").first()
    assert row["order_id"] == first["order_id"] and row["ts"].replace(tzinfo=None) == first["ts"].to_pydatetime()
    e = spark_read_parquet(spark, parts)
    assert e.count() == len(demo_world.events)


def test_spark_report_gives_the_pandas_figures(spark, parquet_world, tmp_path, demo_world, monkeypatch):
    DataFrame = type(spark.range(1))  # the classic (not Connect) frame class, whose methods run the queries

    _, files, parts = parquet_world
    a = report(**files, mapping=MAPPING, out=tmp_path / "pd", engine="pandas", progress=False, lang="en",
               notebook=False).summary
    # record every Spark result brought to the driver: none may be the raw event log
    brought = []
    for name in ("toPandas", "toArrow", "collect"):
        original = getattr(DataFrame, name)

        def wrapped(self, *args, _original=original, **kw):
            out = _original(self, *args, **kw)
            brought.append(len(out) if not hasattr(out, "num_rows") else out.num_rows)
            return out
        monkeypatch.setattr(DataFrame, name, wrapped)
    b = report(orders=files["orders"], events=parts, users=files["users"], mapping=MAPPING, out=tmp_path / "spark",
               engine="spark", progress=False, lang="en", notebook=False).summary
    monkeypatch.undo()
    fa = {k: v["figures"] for k, v in a["sections"].items()}
    fb = {k: v["figures"] for k, v in b["sections"].items()}
    assert {k for k, v in b["sections"].items() if v["skipped"]} == {k for k, v in a["sections"].items() if v["skipped"]}
    assert fa.keys() == fb.keys()
    for k in fa:
        assert fa[k].keys() == fb[k].keys(), k
        for name, v in fa[k].items():
            assert fb[k][name] == (pytest.approx(v) if isinstance(v, float) else v), (k, name)
    assert fb["overview"]["orders"] == len(demo_world.orders)
    assert fb["funnel"]["funnel_cvr"] > 0 and "w1" in fb["retention"]
    assert brought and max(brought) <= max(LAZY_VALIDATION_ROWS, len(demo_world.users)) < len(demo_world.events)
    assert any("validated on its first" in n for n in b["notes"])


@pytest.mark.spark
def test_the_reports_spark_session_starts_quietly(tmp_path):
    """The report's own local session (a fresh process) prints none of Spark's start-up lines — no
    default-profile banner, no "Setting default log level", no WARN — only what the JVM itself says."""
    import os
    import shutil
    import subprocess
    import sys

    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("PySpark tests need Java 17+ (make test installs it)")
    code = "from opsplaybook.reporting.run import _spark_session\nprint(_spark_session().range(3).count())\n"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "3"
    lines = [x for x in r.stderr.splitlines() if x.strip() and not x.startswith("WARNING: Using incubator modules")]
    assert lines == [], lines
