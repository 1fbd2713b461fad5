"""Shared fixtures: a small seeded world, engine constructors, and closing figures after each test.

Helper functions shared by test modules live in ``tests/helpers.py`` (``from helpers import ...``);
this file holds fixtures and hooks only. Every test that needs PySpark carries the ``spark`` marker
(``pytest -m "not spark"`` skips them all): the ``pyspark`` case of ``constructor`` by its param mark,
any test using the ``spark`` fixture by :func:`pytest_collection_modifyitems`.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `helpers` under any import mode


# ---------------------------------------------------------------- engines
def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


@pytest.fixture(scope="session")
def spark():
    """A local PySpark session (skipped when pyspark or Java is missing)."""
    if not _spark_available():
        pytest.skip("PySpark tests need pyspark and Java 17+ (make test installs both)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("opsplaybook-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


ENGINES = ["pandas", "polars", "duckdb", "pyspark"]


# The test files that take longest (pytest --durations on a 2-core machine), in that order. Under
# pytest-xdist (`make test`: --dist loadfile --no-loadscope-reorder) they are handed out first, so
# the workers finish together instead of one running the notebooks alone at the end.
LONGEST_FIRST = (
    "tests/notebooks/test_notebooks_clean.py",
    "tests/report/test_report.py",
    "tests/report/test_spark_report.py",
    "tests/classroom/test_jupyterhub.py",
    "tests/world/test_any_script.py",
    "tests/classroom/test_bundle.py",
    "tests/exercises/test_grading.py",
    "tests/report/test_playbook.py",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "spark" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.spark)
    unnamed = [i.nodeid for i in items if i.get_closest_marker("spark") and "spark" not in i.nodeid.lower()]
    if unnamed:  # the scheduler below sees only test ids: a Spark test must say so in its id
        raise pytest.UsageError("PySpark tests need 'spark' in their file or test name (so that one xdist "
                                f"worker runs them all): {unnamed[:5]}")
    if os.environ.get("PYTEST_XDIST_WORKER"):  # every worker sorts alike (xdist checks the collections match)
        rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
        items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest as collected


@pytest.fixture(params=[pytest.param(e, marks=pytest.mark.spark) if e == "pyspark" else e for e in ENGINES])
def constructor(request):
    """Build the same data on each engine: ``constructor(pandas_df) -> native frame``."""
    kind = request.param
    if kind == "pandas":
        return lambda df: df.copy()
    if kind == "polars":
        import polars as pl

        return lambda df: pl.from_pandas(df)
    if kind == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute("SET TimeZone='UTC'")

        def make(df):
            name = f"t{id(df)}"
            con.register(name, df)
            return con.sql(f"SELECT * FROM {name}")

        return make
    if kind == "pyspark":
        session = request.getfixturevalue("spark")
        return lambda df: session.createDataFrame(df)
    raise AssertionError(kind)


# ---------------------------------------------------------------- world
@pytest.fixture(scope="session")
def small_world():
    """A small seeded world shared by the whole test session (do not modify its tables)."""
    from opsplaybook import generate_world

    return generate_world(n_users=1500, seed=7)


@pytest.fixture(scope="session")
def demo_world():
    from opsplaybook import load_demo

    return load_demo()


# ---------------------------------------------------------------- figures
@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def pytest_xdist_make_scheduler(config, log):
    """Under ``--dist loadfile``: every test whose id names Spark in one work unit, so a single
    worker starts a JVM (1–1.5 GB each) instead of every worker that gets a file with a PySpark case.
    Other tests keep their file as the unit. (xdist's own ``loadgroup`` does not work with pytest 9.)"""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SparkOnOneWorker(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "spark (one worker)" if "spark" in nodeid.lower() else super()._split_scope(nodeid)

    return SparkOnOneWorker(config, log)
