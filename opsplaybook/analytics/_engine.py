"""The one engine adapter: every analysis goes native frame -> narwhals -> native frame here.

``lazy, back = to_lazy(data, param="events")`` turns a pandas/Polars/DuckDB/PySpark frame into a
narwhals LazyFrame; ``back(result)`` turns a result into the caller's kind of frame (pandas in =>
pandas out, Polars DataFrame in => Polars DataFrame out, Polars LazyFrame in => LazyFrame out,
DuckDB relation in => DuckDB relation out, Spark DataFrame in => Spark DataFrame out).

``result`` may be a narwhals LazyFrame (still on the caller's engine), a collected narwhals
DataFrame, or a small pandas DataFrame that an analysis finished in Python (e.g. the few rows of a
funnel); small results are moved to the caller's engine.

Large pandas inputs
-------------------
A pandas frame with at least :data:`PANDAS_ENGINE_THRESHOLD` rows is analysed on an embedded engine
(DuckDB, :data:`PANDAS_EMBEDDED_ENGINE`; see ``docs/engine-choice.md`` for the measurements behind
the choice) and the result comes back as pandas. Only the columns an analysis needs are converted
(``columns=``); a frame the engine cannot take (mixed Python objects) stays on pandas. ``engine="pandas"`` forces narwhals' pandas backend,
``engine="duckdb"``/``"polars"`` forces an embedded engine. Results are identical either way (the
tests check it).
"""
from __future__ import annotations

from collections.abc import Callable

import narwhals as nw

from ..errors import InvalidParameterError, check_choice

__all__ = ["to_lazy", "to_lazy_like", "materialize", "native_kind", "PANDAS_ENGINE_THRESHOLD", "ENGINES"]

#: pandas inputs with at least this many rows run on an embedded engine (see docs/engine-choice.md)
PANDAS_ENGINE_THRESHOLD = 200_000
#: the embedded engine ``engine="auto"`` picks for large pandas inputs (see docs/engine-choice.md)
PANDAS_EMBEDDED_ENGINE = "duckdb"
ENGINES = ("auto", "pandas", "duckdb", "polars")


def native_kind(data) -> str:
    """``"pandas"``, ``"polars"``, ``"polars-lazy"``, ``"duckdb"``, ``"pyspark"`` or another narwhals backend."""
    mod = type(data).__module__
    if mod.startswith("pandas"):
        return "pandas"
    if mod.startswith("polars"):
        return "polars-lazy" if type(data).__name__ == "LazyFrame" else "polars"
    if mod.startswith("duckdb"):
        return "duckdb"
    if mod.startswith("pyspark"):
        return "pyspark"
    return mod.split(".")[0]


_STATE: dict = {}


def _duckdb_connection():
    """The kit's own in-memory DuckDB connection (one per process, so frames can be joined)."""
    con = _STATE.get("duckdb")
    if con is None:
        import duckdb

        con = duckdb.connect()
        con.execute("SET TimeZone='UTC'")  # naive times stay wall-clock times
        _STATE["duckdb"] = con
    return con


def _embedded(df, engine: str, columns=None) -> nw.LazyFrame:
    """A pandas frame as a LazyFrame on DuckDB or Polars."""
    if columns is not None:
        cols = list(dict.fromkeys(c for c in columns if c is not None))
        if cols and all(c in df.columns for c in cols):
            df = df[cols]
    if engine == "duckdb":
        # DuckDB scans the pandas frame in place (no copy of numeric/datetime columns)
        return nw.from_native(_duckdb_connection().from_df(df))
    import polars as pl

    return nw.from_native(pl.from_pandas(df)).lazy()


def to_lazy(
    data, *, param: str = "data", engine: str = "auto", columns=None, auto_engine: str | None = None
) -> tuple[nw.LazyFrame, Callable[[object], object]]:
    """Wrap ``data`` as a narwhals LazyFrame and return it with the function that converts back.

    Parameters
    ----------
    data : pandas/Polars/DuckDB/PySpark frame (anything narwhals accepts)
    param : str
        Name of the parameter ``data`` came from (used in error messages).
    engine : {"auto", "pandas", "duckdb", "polars"}
        Only for pandas inputs: where the work runs. ``"auto"`` uses DuckDB from
        :data:`PANDAS_ENGINE_THRESHOLD` rows on, pandas below.
    columns : list of str, optional
        The columns the analysis uses: a large pandas input is converted to the embedded engine
        with these columns only (all columns when one is missing, so error messages list them all).
    auto_engine : {"duckdb", "polars"}, optional
        The embedded engine ``"auto"`` picks for a large pandas input, when an analysis measured a
        better one than :data:`PANDAS_EMBEDDED_ENGINE` (``rfm``: Polars, see docs/engine-choice.md).
    """
    check_choice("engine", engine, ENGINES)
    kind = native_kind(data)
    if kind == "pandas":
        import pandas as pd

        if not isinstance(data, pd.DataFrame):
            raise _not_a_frame(param, data)
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise _not_a_frame(param, data) from None
    if isinstance(frame, nw.Series):  # pragma: no cover - from_native(series) needs series_only
        raise InvalidParameterError(f"`{param}` must be a data frame, not a Series.")
    use = engine
    if kind == "pandas" and engine == "auto":
        embedded = auto_engine or PANDAS_EMBEDDED_ENGINE
        use = embedded if len(data) >= PANDAS_ENGINE_THRESHOLD and _has(embedded) else "pandas"
    lazy = None
    if kind == "pandas" and use in ("duckdb", "polars"):
        try:
            lazy = _embedded(data, use, columns)
        except Exception:  # noqa: BLE001 - e.g. object columns Polars cannot convert
            if engine != "auto":
                raise
            lazy = None
    if lazy is None:
        lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame

    def back(result):
        return _back(result, data, kind)

    return lazy, back


def _not_a_frame(param: str, data) -> InvalidParameterError:
    return InvalidParameterError(
        f"`{param}` must be a pandas, Polars, DuckDB or PySpark data frame; got {type(data).__name__}."
    )


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _back(result, data, kind: str):
    if not isinstance(result, (nw.LazyFrame, nw.DataFrame)):
        result = nw.from_native(result, eager_only=True)  # a pandas frame finished in Python
    if kind in ("pandas", "polars"):
        if isinstance(result, nw.LazyFrame):
            result = result.collect(backend=kind)
        elif result.implementation.name.lower() != kind:
            result = nw.from_native(result.to_pandas() if kind == "pandas" else result.to_polars())
        return result.to_native()
    if isinstance(result, nw.LazyFrame):
        if _same_backend(result, kind):
            return result.to_native()
        result = result.collect()
    # a collected (small) result: move it to the caller's engine
    if kind == "polars-lazy":
        return result.to_polars().lazy()
    if kind == "duckdb":
        import duckdb

        return duckdb.from_arrow(result.to_arrow())
    if kind == "pyspark":
        session = data.sparkSession
        return result.lazy(backend="pyspark", session=session).to_native()
    return result.to_native()


def _same_backend(result: nw.LazyFrame, kind: str) -> bool:
    impl = result.implementation.name.lower()
    return (kind == "duckdb" and impl == "duckdb") or (kind == "pyspark" and "spark" in impl) or (
        kind == "polars-lazy" and impl == "polars"
    ) or impl == kind


def to_lazy_like(data, like: nw.LazyFrame, *, param: str = "users") -> nw.LazyFrame:
    """A second input (e.g. ``users``) as a LazyFrame on the same backend as ``like``, so they can be joined.

    pandas/Polars/DuckDB/Spark inputs are moved to ``like``'s engine when they differ (a small user
    table in pandas next to Spark events is copied into Spark, for instance).
    """
    impl = like.implementation.name.lower()
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise _not_a_frame(param, data) from None
    if isinstance(frame, nw.LazyFrame) and frame.implementation == like.implementation:
        if impl == "duckdb" and _duckdb_for(frame) is not _duckdb_for(like):
            # relations of different DuckDB connections cannot be joined: copy through Arrow
            frame = frame.collect()
        else:
            return frame
    eager = frame.collect() if isinstance(frame, nw.LazyFrame) else frame
    if impl == "duckdb":
        con = _duckdb_for(like)
        return nw.from_native(con.from_arrow(eager.to_arrow()))
    if "spark" in impl:
        session = like.to_native().sparkSession
        return eager.lazy(backend="pyspark", session=session)
    if impl == "polars":
        return nw.from_native(eager.to_polars()).lazy()
    if impl == "pandas":
        return nw.from_native(eager.to_pandas()).lazy()
    return eager.lazy()


def _duckdb_for(like: nw.LazyFrame):
    """The DuckDB connection behind a relation (the kit's own one when it cannot be found)."""
    rel = like.to_native()
    for attr in ("_con", "connection", "_connection", "con"):
        con = getattr(rel, attr, None)
        if con is not None and hasattr(con, "from_arrow"):
            return con
    return _duckdb_connection()


def materialize(frame: nw.LazyFrame) -> nw.LazyFrame:
    """Compute an intermediate result once so that later steps reuse it instead of re-running it.

    DuckDB re-executes a shared sub-plan every time it is referenced, and a Polars LazyFrame does
    the same across separate ``collect`` calls; analyses that chain steps (the funnel) hand each
    step's (small) result through here. DuckDB: into Arrow and back on the same connection;
    Polars: collected; pandas: already computed; Spark: left to Spark's planner (unchanged).
    """
    impl = frame.implementation.name.lower()
    if impl == "duckdb":
        table = frame.to_native().to_arrow_table()
        return nw.from_native(_duckdb_for(frame).from_arrow(table))
    if impl == "polars":
        return frame.collect().lazy()
    return frame
