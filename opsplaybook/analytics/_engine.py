"""The one engine adapter: every engine-specific line of the analytics lives here.

``lazy, back = to_lazy(data, param="events")`` turns a pandas/Polars/DuckDB/PySpark frame into a
narwhals LazyFrame; ``back(result)`` turns a result into the caller's kind of frame (pandas in =>
pandas out, Polars DataFrame in => Polars DataFrame out, Polars LazyFrame in => LazyFrame out,
DuckDB relation in => DuckDB relation out, Spark DataFrame in => Spark DataFrame out).
:func:`lazy_tables` does the same for several tables that an analysis joins (``kpis``, ``aarrr``).

``result`` may be a narwhals LazyFrame (still on the caller's engine), a collected narwhals
DataFrame, or a small pandas DataFrame that an analysis finished in Python (e.g. the few rows of a
funnel); small results are moved to the caller's engine.

Backends are recognised by narwhals' :class:`narwhals.Implementation` (``PANDAS``, ``POLARS``,
``DUCKDB``, ``PYSPARK`` …), never by type-name strings.

pandas inputs
-------------
A pandas frame with at least :data:`settings.pandas_threshold <Settings>` rows (default 200 000)
is analysed on an embedded engine (``settings.pandas_engine``, Polars; ``rfm`` and the funnel
measured the same choice, see ``docs/engine-choice.md``) and the result comes back as pandas. Only
the columns an analysis needs are converted (``columns=``), and text times are parsed by pandas
first (so an unparseable value is reported with its row). ``engine="pandas"`` forces narwhals'
pandas backend, ``engine="duckdb"``/``"polars"`` forces an embedded engine. Results are identical
either way (the tests check it).

The conversion of a pandas frame is **cached**: a second analysis of the same frame (a widget
redrawing, a notebook running funnel then retention) reuses the engine-side copy instead of
converting again. The cache holds a weak reference to the frame (it never keeps a frame alive) and
a fingerprint of the used columns (length, names, dtypes and a position-weighted checksum of the
values); a frame changed in place gets a new fingerprint and is converted again, never served
stale. ``settings.cache_size`` frames are kept (0 switches the cache off).
"""
from __future__ import annotations

import contextlib
import dataclasses
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator

import narwhals as nw

from ..errors import InvalidParameterError, check_choice

__all__ = [
    "to_lazy",
    "to_lazy_like",
    "lazy_tables",
    "materialize",
    "native_kind",
    "implementation",
    "settings",
    "engine_settings",
    "clear_cache",
    "ENGINES",
    "PANDAS_ENGINE_THRESHOLD",
]

I = nw.Implementation

#: default row count from which pandas inputs run on an embedded engine (see docs/engine-choice.md)
PANDAS_ENGINE_THRESHOLD = 200_000
ENGINES = ("auto", "pandas", "duckdb", "polars")


@dataclasses.dataclass
class Settings:
    """Process-wide engine settings (change them with :func:`engine_settings`).

    Attributes
    ----------
    pandas_threshold : int
        pandas inputs with at least this many rows run on ``pandas_engine`` when ``engine="auto"``.
        Tests and the benchmarks' ``--smoke`` mode lower it so the embedded path runs on small data.
    pandas_engine : {"polars", "duckdb"}
        The embedded engine ``engine="auto"`` uses for large pandas inputs.
    small_engine : {"polars", "pandas"}
        Where ``engine="auto"`` runs pandas inputs *below* the threshold: Polars in-process (fast,
        no SQL planning) or narwhals' pandas backend. Falls back to pandas without Polars.
    cache_size : int
        How many converted pandas frames are kept for reuse (0: no cache).
    """

    pandas_threshold: int = PANDAS_ENGINE_THRESHOLD
    pandas_engine: str = "polars"
    small_engine: str = "polars"
    cache_size: int = 8


settings = Settings()


@contextlib.contextmanager
def engine_settings(**changes) -> Iterator[Settings]:
    """Change :data:`settings` inside a ``with`` block (restored afterwards).

    >>> from opsplaybook.analytics._engine import engine_settings, settings
    >>> with engine_settings(pandas_threshold=10, pandas_engine="duckdb"):
    ...     settings.pandas_threshold
    10
    >>> settings.pandas_threshold
    200000
    """
    unknown = [k for k in changes if not hasattr(settings, k)]
    if unknown:
        check_choice("setting", unknown[0], [f.name for f in dataclasses.fields(Settings)])
    if "pandas_engine" in changes:
        check_choice("pandas_engine", changes["pandas_engine"], ("polars", "duckdb"))
    if "small_engine" in changes:
        check_choice("small_engine", changes["small_engine"], ("polars", "pandas"))
    old = dataclasses.replace(settings)
    for k, v in changes.items():
        setattr(settings, k, v)
    try:
        yield settings
    finally:
        for f in dataclasses.fields(Settings):
            setattr(settings, f.name, getattr(old, f.name))
        if changes.get("cache_size", 1) == 0:
            clear_cache()


# --------------------------------------------------------------------------- recognising backends
def implementation(data) -> nw.Implementation:
    """The narwhals :class:`~narwhals.Implementation` of a native frame or a narwhals frame."""
    if isinstance(data, (nw.LazyFrame, nw.DataFrame)):
        return data.implementation
    try:
        return nw.from_native(data).implementation
    except TypeError:
        return I.UNKNOWN


def is_pandas_frame(data) -> bool:
    impl = implementation(data)
    return impl is I.PANDAS and not isinstance(data, (nw.LazyFrame, nw.DataFrame)) and _is_pd_frame(data)


def _is_pd_frame(data) -> bool:
    import pandas as pd

    return isinstance(data, pd.DataFrame)


def native_kind(data) -> str:
    """``"pandas"``, ``"polars"``, ``"polars-lazy"``, ``"duckdb"``, ``"pyspark"`` or another backend's name."""
    try:
        frame = nw.from_native(data)
    except TypeError:
        return type(data).__module__.split(".")[0]
    impl = frame.implementation
    if impl is I.POLARS:
        return "polars-lazy" if isinstance(frame, nw.LazyFrame) else "polars"
    if impl.is_spark_like():
        return "pyspark"
    return str(impl.value)


def is_spark(frame) -> bool:
    return implementation(frame).is_spark_like()


def is_pandas_like(frame) -> bool:
    return implementation(frame).is_pandas_like()


def is_polars(frame) -> bool:
    return implementation(frame) is I.POLARS


def is_duckdb(frame) -> bool:
    return implementation(frame) is I.DUCKDB


# --------------------------------------------------------------------------- DuckDB
_STATE: dict = {}


def duckdb_connection():
    """The kit's own in-memory DuckDB connection (one per process, so frames can be joined)."""
    con = _STATE.get("duckdb")
    if con is None:
        import duckdb

        con = duckdb.connect()
        con.execute("SET TimeZone='UTC'")  # naive times stay wall-clock times
        con.execute("SET enable_progress_bar=false")  # no progress widget in notebook outputs
        _STATE["duckdb"] = con
    return con


def _duckdb_for(like: nw.LazyFrame):
    """The DuckDB connection behind a relation (the kit's own one when it cannot be found)."""
    rel = like.to_native()
    for attr in ("_con", "connection", "_connection", "con"):
        con = getattr(rel, attr, None)
        if con is not None and hasattr(con, "from_arrow"):
            return con
    return duckdb_connection()


# --------------------------------------------------------------------------- the conversion cache
_CACHE: OrderedDict = OrderedDict()


def clear_cache() -> None:
    """Forget every cached conversion of a pandas frame."""
    _CACHE.clear()


def fingerprint(df, columns) -> tuple:
    """A cheap fingerprint of ``df[columns]``: length, names, dtypes and a checksum of each column.

    The checksum weights every value by its position (so swapped or edited rows change it);
    numbers and times are read as 64-bit words and Arrow-backed text through its buffers, both
    without a copy (NumPy views); other columns go through :func:`pandas.util.hash_pandas_object`.
    """
    import numpy as np

    parts = [len(df), tuple(columns)]
    for c in columns:
        s = df[c]
        parts.append(str(s.dtype))
        chunks = _words(s)
        if chunks is None:
            import pandas as pd

            chunks = [pd.util.hash_pandas_object(s, index=False).to_numpy()]
        total = 0
        with np.errstate(over="ignore"):
            for i, words in enumerate(chunks):
                if len(words):
                    total = (total + int(np.dot(words, _weights(len(words)))) * (2 * i + 1)) % (1 << 64)
        parts.append(total)
        parts.append(int(s.isna().sum()))
    return tuple(parts)


def _weights(n: int):
    """1, 3, 5, … (odd, so every position counts) as uint64; one array kept and grown as needed."""
    import numpy as np

    w = _STATE.get("weights")
    if w is None or len(w) < n:
        w = np.arange(1, 2 * max(n, 1024) + 1, 2, dtype=np.uint64)
        _STATE["weights"] = w
    return w[:n]


def _words(s):
    """The values of a pandas column as a list of uint64 arrays viewing its memory, or None."""
    import numpy as np

    dtype = s.dtype
    try:
        if isinstance(dtype, np.dtype) and dtype.kind in "iufMmb":
            arr = s.to_numpy(copy=False)
            if arr.dtype.itemsize == 8:
                return [arr.view(np.uint64)]
            return [arr.astype(np.uint64) if arr.dtype.kind != "f" else arr.astype(np.float64).view(np.uint64)]
        pa_arr = getattr(s.array, "_pa_array", None)
        if pa_arr is not None:  # Arrow-backed text / numbers: checksum the buffers in place
            out = []
            for chunk in pa_arr.chunks:
                for buf in chunk.buffers():
                    if buf is None:
                        continue
                    b = np.frombuffer(buf, dtype=np.uint8)
                    whole = len(b) // 8
                    out.append(b[: whole * 8].view(np.uint64))
                    if len(b) > whole * 8:
                        out.append(b[whole * 8:].astype(np.uint64))
            return out
    except (TypeError, ValueError, AttributeError):
        return None
    return None


def _cached_convert(df, key_extra: tuple, columns: list[str], convert: Callable[[], object]):
    """``convert()`` once per (frame, columns, engine) while the frame is unchanged."""
    if settings.cache_size <= 0:
        return convert()
    key = (id(df), key_extra, tuple(columns))
    fp = fingerprint(df, columns)
    hit = _CACHE.get(key)
    if hit is not None:
        ref, old_fp, value = hit
        if ref() is df and old_fp == fp:
            _CACHE.move_to_end(key)
            return value
        _CACHE.pop(key, None)
    value = convert()
    try:
        ref = weakref.ref(df, lambda _r, k=key: _CACHE.pop(k, None))
    except TypeError:  # pragma: no cover - pandas frames support weak references
        return value
    _CACHE[key] = (ref, fp, value)
    while len(_CACHE) > settings.cache_size:
        _CACHE.popitem(last=False)
    return value


def _to_engine(df, engine: str, columns, times) -> nw.LazyFrame:
    """A pandas frame as a LazyFrame on Polars or DuckDB (cached; text times parsed by pandas first)."""
    cols = list(dict.fromkeys(c for c in (columns or []) if c is not None))
    if not cols or not all(c in df.columns for c in cols):
        cols = list(df.columns)
    times = {t: p for t, p in _time_params(times).items() if t in cols}

    def convert():
        sub = df[cols]
        sub = _parse_pandas_times(sub, times)
        if engine == "duckdb":
            # DuckDB scans the pandas frame in place (no copy of numeric/datetime columns); a frame
            # changed later gets a new fingerprint, so a stale scan is never reused
            return duckdb_connection().from_df(sub)
        import polars as pl

        return pl.from_pandas(sub)

    native = _cached_convert(df, (engine,), cols, convert)
    frame = nw.from_native(native)
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def _parse_pandas_times(sub, times):
    """Text time columns parsed by pandas (the kit's one grammar, see ``_common.prepare_time``)."""
    if not times:
        return sub
    from ._common import parse_pandas_times

    changed = {}
    for t, p in times.items():
        s = sub[t]
        if not _is_datetime_dtype(s.dtype):
            changed[t] = parse_pandas_times(s, t, p)
        else:
            changed[t] = _naive_us(s)
    return sub.assign(**changed) if changed else sub


def _time_params(times) -> dict:
    """``times`` as {column: parameter name}: a dict as is, a list of columns as ``time_col``."""
    if isinstance(times, dict):
        return dict(times)
    return {t: "time_col" for t in times if t is not None}


def _is_datetime_dtype(dtype) -> bool:
    import pandas as pd

    return pd.api.types.is_datetime64_any_dtype(dtype)


def _naive_us(s):
    """A pandas datetime column as naive wall-clock microseconds (Polars/DuckDB need one unit)."""
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    return s.astype("datetime64[us]") if str(s.dtype) != "datetime64[us]" else s


# --------------------------------------------------------------------------- to_lazy / back
def to_lazy(
    data, *, param: str = "data", engine: str = "auto", columns=None, auto_engine: str | None = None,
    times=(),
) -> tuple[nw.LazyFrame, Callable[[object], object]]:
    """Wrap ``data`` as a narwhals LazyFrame and return it with the function that converts back.

    Parameters
    ----------
    data : pandas/Polars/DuckDB/PySpark frame (anything narwhals accepts)
    param : str
        Name of the parameter ``data`` came from (used in error messages).
    engine : {"auto", "pandas", "duckdb", "polars"}
        Only for pandas inputs: where the work runs. ``"auto"``: ``settings.pandas_engine`` from
        ``settings.pandas_threshold`` rows on, ``settings.small_engine`` below.
    columns : list of str, optional
        The columns the analysis uses: a pandas input is converted to the embedded engine with
        these columns only (all columns when one is missing, so error messages list them all).
    auto_engine : {"duckdb", "polars"}, optional
        The embedded engine ``"auto"`` picks for a large pandas input when an analysis measured a
        better one than ``settings.pandas_engine``.
    times : dict of {column: parameter} or list of str
        Time columns (and the parameter that named them, for messages): text values of a pandas
        frame are parsed by pandas before it is converted (so a bad value is reported with its row).
    """
    check_choice("engine", engine, ENGINES)
    pandas_in = _is_pd_frame(data)
    if not pandas_in and type(data).__module__.startswith("pandas"):
        raise _not_a_frame(param, data)  # e.g. a Series
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise _not_a_frame(param, data) from None
    if isinstance(frame, nw.Series):  # pragma: no cover - from_native(series) needs series_only
        raise InvalidParameterError(f"`{param}` must be a data frame, not a Series.")
    kind = native_kind(data)
    use = engine
    if pandas_in and engine == "auto":
        if len(data) >= settings.pandas_threshold:
            use = auto_engine or settings.pandas_engine
        else:
            use = settings.small_engine
        if not _has(use):
            use = "pandas"
    lazy = None
    if pandas_in and use in ("duckdb", "polars"):
        try:
            lazy = _to_engine(data, use, columns, times)
        except Exception as exc:  # noqa: BLE001 - e.g. object columns Polars cannot convert
            from ..errors import OpsPlaybookError

            if engine != "auto" or isinstance(exc, OpsPlaybookError):
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

    return module == "pandas" or importlib.util.find_spec(module) is not None


def _back(result, data, kind: str):
    if not isinstance(result, (nw.LazyFrame, nw.DataFrame)):
        result = nw.from_native(result, eager_only=True)  # a pandas frame finished in Python
    if kind in ("pandas", "polars"):
        want = I.PANDAS if kind == "pandas" else I.POLARS
        if isinstance(result, nw.LazyFrame):
            result = result.collect(backend=want)
        elif result.implementation is not want:
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
        return _duckdb_for(nw.from_native(data)).from_arrow(result.to_arrow())
    if kind == "pyspark":
        session = data.sparkSession
        return result.lazy(backend="pyspark", session=session).to_native()
    return result.to_native()


def _same_backend(result: nw.LazyFrame, kind: str) -> bool:
    impl = result.implementation
    return (
        (kind == "duckdb" and impl is I.DUCKDB)
        or (kind == "pyspark" and impl.is_spark_like())
        or (kind == "polars-lazy" and impl is I.POLARS)
    )


def to_lazy_like(data, like: nw.LazyFrame, *, param: str = "users") -> nw.LazyFrame:
    """A second input (e.g. ``users``) as a LazyFrame on the same backend as ``like``, so they can be joined.

    pandas/Polars/DuckDB/Spark inputs are moved to ``like``'s engine when they differ (a small user
    table in pandas next to Spark events is copied into Spark, for instance).
    """
    impl = like.implementation
    if _is_pd_frame(data) and impl in (I.POLARS, I.DUCKDB):
        # the same cached conversion as the first table (DuckDB: the kit's connection)
        eng = "polars" if impl is I.POLARS else "duckdb"
        if eng == "polars" or _duckdb_for(like) is duckdb_connection():
            return _to_engine(data, eng, None, ())
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise _not_a_frame(param, data) from None
    if isinstance(frame, nw.LazyFrame) and frame.implementation is impl:
        if impl is I.DUCKDB and _duckdb_for(frame) is not _duckdb_for(like):
            # relations of different DuckDB connections cannot be joined: copy through Arrow
            frame = frame.collect()
        else:
            return frame
    eager = frame.collect() if isinstance(frame, nw.LazyFrame) else frame
    if impl is I.DUCKDB:
        return nw.from_native(_duckdb_for(like).from_arrow(eager.to_arrow()))
    if impl.is_spark_like():
        session = like.to_native().sparkSession
        return eager.lazy(backend="pyspark", session=session)
    if impl is I.POLARS:
        return nw.from_native(eager.to_polars()).lazy()
    if impl is I.PANDAS:
        return nw.from_native(eager.to_pandas()).lazy()
    return eager.lazy()


def lazy_tables(tables: dict[str, object], *, engine: str = "auto", columns=None, times=None):
    """:func:`to_lazy` for several tables that will be joined: all end up on the same engine.

    ``tables`` maps parameter names to frames (``None`` entries are passed through). The first
    table decides the engine (for pandas: ``engine`` and the size threshold); the other tables are
    moved onto it (:func:`to_lazy_like`: pandas tables through the same cached conversion, DuckDB
    relations of another connection through Arrow). ``columns`` / ``times`` optionally map a
    parameter to the columns it needs / its time columns. Returns ``({param: LazyFrame or None},
    back)`` with ``back`` converting to the first table's kind.
    """
    try:
        return _lazy_tables(tables, engine=engine, columns=columns or {}, times=times or {})
    except Exception as exc:  # noqa: BLE001 - a later table the embedded engine cannot take
        from ..errors import OpsPlaybookError

        if engine != "auto" or isinstance(exc, OpsPlaybookError):
            raise
        # e.g. an object column mixing text and numbers: run every table on pandas, whose
        # validation then names the bad value
        return _lazy_tables(tables, engine="pandas", columns=columns or {}, times=times or {})


def _lazy_tables(tables, *, engine, columns, times):
    names = [p for p, d in tables.items() if d is not None]
    if not names:
        raise InvalidParameterError(f"Give at least one of {list(tables)}; all are None.")
    first = tables[names[0]]
    lf0, back = to_lazy(first, param=names[0], engine=engine, columns=columns.get(names[0]),
                        times=times.get(names[0], ()))
    out: dict[str, nw.LazyFrame | None] = {p: None for p in tables}
    out[names[0]] = lf0
    for p in names[1:]:
        data = tables[p]
        if _is_pd_frame(data) and _is_pd_frame(first):
            # the same decision as the first table (engine and threshold follow the first one)
            lf, _ = to_lazy(data, param=p, engine=_engine_name(lf0), columns=columns.get(p), times=times.get(p, ()))
            if lf.implementation is lf0.implementation:
                out[p] = lf
                continue
        elif type(data).__module__.startswith("pandas") and not _is_pd_frame(data):
            to_lazy(data, param=p)  # its error message
        out[p] = to_lazy_like(data, lf0, param=p)
    return out, back


def _engine_name(lf: nw.LazyFrame) -> str:
    impl = lf.implementation
    return {I.POLARS: "polars", I.DUCKDB: "duckdb"}.get(impl, "pandas")


# --------------------------------------------------------------------------- engine-specific expressions
def text_to_datetime(expr: nw.Expr, frame) -> nw.Expr:
    """Canonical ``YYYY-MM-DD HH:MM:SS[.ffffff]`` text as a naive microsecond Datetime, on ``frame``'s engine."""
    if is_polars(frame):
        return expr.str.to_datetime("%Y-%m-%d %H:%M:%S%.f")
    return expr.cast(nw.Datetime("us"))


def epoch_us_expr(expr: nw.Expr, frame) -> nw.Expr | None:
    """Microseconds since 1970-01-01 as Float64 where the engine has a cheap epoch, else None.

    pandas, Polars and DuckDB: ``(t - 1970-01-01).total_microseconds()`` (DuckDB: ``epoch_us``), one
    subtraction per row instead of the calendar arithmetic of ``_common.day_number``; narwhals has no
    duration in microseconds for Spark, which keeps the portable formula.
    """
    import datetime as _dt

    impl = implementation(frame)
    if impl not in (I.PANDAS, I.POLARS, I.DUCKDB):
        return None
    return (expr - nw.lit(_dt.datetime(1970, 1, 1))).dt.total_microseconds().cast(nw.Float64)


def with_row_numbers(frame, name: str):
    """``frame`` with a 0-based row number column ``name`` where the engine keeps a row order
    (eager frames, Polars LazyFrames), else None (DuckDB relations and Spark have no row order)."""
    if isinstance(frame, nw.DataFrame):
        return frame.with_row_index(name)
    if frame.implementation is I.POLARS:
        return nw.from_native(frame.to_native().with_row_index(name))
    return None


_PACK = 1 << 17  # period numbers (days, weeks, months since 1970) below 2**17: until the year 2328


def distinct_pairs(frame: nw.LazyFrame, user_col: str, time_col: str, period: nw.Expr, *, u: str, p: str):
    """Distinct (user, period number) rows as columns ``u``, ``p`` (Float64) — the heaviest step of
    retention and lifecycle.

    On Polars, with an integer user column whose values and times fit, each pair is packed into
    one Int64 (``user * 2**17 + period``) so the distinct runs on one column (measured 0.35 s
    instead of 0.8 s CPU on 5 M events); the bounds are checked with one cheap scan first.
    Elsewhere (and when they do not fit): a plain two-column distinct.
    """
    packed = _packed_pairs(frame, user_col, time_col, period)
    if packed is None:
        return frame.select(nw.col(user_col).alias(u), period.alias(p)).unique()
    keys, dtype = packed
    return keys.select((nw.col("__k") // _PACK).cast(dtype).alias(u), (nw.col("__k") % _PACK).cast(nw.Float64).alias(p))


def distinct_pairs_with_first(frame: nw.LazyFrame, user_col: str, time_col: str, period: nw.Expr, *,
                              u: str, p: str, first: str):
    """:func:`distinct_pairs` with each user's first period as column ``first`` — or None where
    the caller joins the pairs to their per-user minimum itself (not Polars, or pairs that do not pack).

    The packed keys are sorted (user, then period), so a user's first period is the period of their
    first row: a shift and a forward fill instead of a group-by and a join over all the pairs (on
    20 M events: 1.6 s instead of 2.8 s).
    """
    packed = _packed_pairs(frame, user_col, time_col, period)
    if packed is None:
        return None
    keys, dtype = packed
    import polars as pl

    k = keys.to_native().sort("__k")
    user, per = pl.col("__k") // _PACK, pl.col("__k") % _PACK
    out = k.select(
        user.alias(u), per.cast(pl.Float64).alias(p),
        pl.when(user.shift(1).is_null() | (user != user.shift(1))).then(per).otherwise(None)
        .forward_fill().cast(pl.Float64).alias(first),
    )
    return nw.from_native(out).with_columns(nw.col(u).cast(dtype))


def _packed_pairs(frame: nw.LazyFrame, user_col: str, time_col: str, period: nw.Expr):
    """(distinct packed keys ``__k`` = ``user * 2**17 + period`` as a LazyFrame, the user dtype) on
    Polars when an integer user column and the times fit; else None."""
    if frame.implementation is not I.POLARS:
        return None
    dtype = frame.collect_schema()[user_col]
    if not dtype.is_integer():
        return None
    import datetime as _dt

    # bounds from the raw columns (cheap), not from the period expression: day, week and month
    # numbers of times in 1970 ... 2327 are all in [0, 2**17)
    b = frame.select(nw.col(user_col).min().alias("lo"), nw.col(user_col).max().alias("hi"),
                     nw.col(time_col).min().alias("tmin"), nw.col(time_col).max().alias("tmax"),
                     nw.col(user_col).null_count().alias("nu"), nw.col(time_col).null_count().alias("nt")).collect()
    lo, hi, tmin, tmax, nu, nt = (b[c][0] for c in ("lo", "hi", "tmin", "tmax", "nu", "nt"))
    if (lo is None or tmin is None or nu or nt or lo < 0 or hi >= (1 << 45)
            or tmin < _dt.datetime(1970, 1, 1) or tmax >= _dt.datetime(2328, 1, 1)):
        return None  # (missing users or times keep the plain distinct's handling of nulls)
    packed = nw.col(user_col).cast(nw.Int64) * _PACK + period.cast(nw.Int64)
    return frame.select(packed.alias("__k")).unique(), dtype


def share(frame: nw.LazyFrame) -> nw.LazyFrame:
    """Mark a (large) intermediate that several results read: Polars computes it once across a
    :func:`collect_all`; other engines are left as they are (see :func:`sharing` for DuckDB)."""
    if frame.implementation is I.POLARS:
        return nw.from_native(frame.to_native().cache())
    return frame


@contextlib.contextmanager
def sharing() -> Iterator[Callable[[nw.LazyFrame], nw.LazyFrame]]:
    """A :func:`share` for the ``with`` block that also computes a DuckDB intermediate once.

    DuckDB runs a relation again wherever it is referenced; here it is written once into a
    **temporary** table on the relation's own connection (through ``relation.query``, so any
    connection works, and a user's database file is never written), and the table is dropped when
    the block ends — collect every result inside the block. Retention's distinct (user, period)
    pairs, read three times: 20 M events on a DuckDB relation, weekly, 6.4 s → 3.0 s.
    """
    import uuid

    made = []

    def share_(frame: nw.LazyFrame) -> nw.LazyFrame:
        if frame.implementation is not I.DUCKDB:
            return share(frame)
        rel = frame.to_native()
        name = f"__opsplaybook_shared_{uuid.uuid4().hex[:12]}"
        rel.query("__opsplaybook_src", f'CREATE TEMP TABLE "{name}" AS SELECT * FROM __opsplaybook_src')
        made.append((rel, name))
        return nw.from_native(rel.query("__opsplaybook_src", f'SELECT * FROM "{name}"'))

    try:
        yield share_
    finally:
        for rel, name in made:
            rel.query("__opsplaybook_src", f'DROP TABLE IF EXISTS "{name}"')


def collect_all(frames: list) -> list:
    """Several small results as pandas frames; Polars plans them together (shared caches run once)."""
    lazy = [f for f in frames if isinstance(f, nw.LazyFrame)]
    if lazy and len(lazy) == len(frames) and all(f.implementation is I.POLARS for f in frames):
        import polars as pl

        return [df.to_pandas() for df in pl.collect_all([f.to_native() for f in frames])]
    return [(f.collect() if isinstance(f, nw.LazyFrame) else f).to_pandas() for f in frames]


def materialize(frame: nw.LazyFrame) -> nw.LazyFrame:
    """Compute an intermediate result once so that later steps reuse it instead of re-running it.

    DuckDB re-executes a shared sub-plan every time it is referenced, and a Polars LazyFrame does
    the same across separate ``collect`` calls; analyses that chain steps (the funnel) hand each
    step's (small) result through here. DuckDB: into Arrow and back on the same connection;
    Polars: a ``cache()`` node (computed once in the final collect); pandas: already computed;
    Spark: ``localCheckpoint`` (computed once on the executors, lineage cut).
    """
    impl = frame.implementation
    if impl is I.DUCKDB:
        table = frame.to_native().to_arrow_table()
        return nw.from_native(_duckdb_for(frame).from_arrow(table))
    if impl is I.POLARS:
        # a cache node: computed once within the one final collect (a collect per link costs a
        # planning round-trip each, which dominates small frames)
        return nw.from_native(frame.to_native().cache())
    if impl.is_spark_like():
        # computed once and its lineage cut: a chain of links referenced twice each would otherwise
        # be re-planned and re-run from the raw log for every reference (the demo funnel on a
        # default local[2] session: ~1.8x faster, relative to the same session's set-up time)
        native = frame.to_native()
        if hasattr(native, "localCheckpoint"):
            return nw.from_native(native.localCheckpoint(eager=True))
    return frame


# --------------------------------------------------------------------------- prepared event logs
class EventLog:
    """A pandas event log prepared for repeated analyses on Polars (a widget's next update).

    Built by :func:`event_log` from the user, time and event columns of a pandas frame, without
    converting its text columns: users become integer codes (an integer user column is used as
    is) and times naive microseconds (the same parsing as :func:`to_lazy`). The rows of an event
    are picked out when an analysis first asks for that event (one comparison of the event column
    with its name) and kept: :meth:`rows` as they come, :meth:`part` sorted (by user and time,
    or by time), :meth:`first` each user's first time. Rows without a time are left out (no
    analysis counts them); a user column with missing values is not prepared (the analyses take
    the plain path then). The log lives in the conversion cache, so it goes with its frame and is
    never reused once the frame has changed (the same fingerprint test as a conversion).
    """

    U, T, K = "__u", "__t", "__k"

    def __init__(self, users, times, valid, events, uniques, n_rows: int):
        import numpy as np

        self._u = users  # int64 per row (codes or the user ids themselves)
        self._t = times  # int64 microseconds per row (NaT rows are excluded through `valid`)
        self._valid = valid  # bool per row, or None when every row has a time
        self._events = events  # the event column (pandas Series)
        self._uniques = uniques  # user value of each code (None: the user column's own integers)
        self._memo: dict = {}
        self.uses = 0  # analyses run on the log so far
        self.n_rows = n_rows
        # (user, time) packed into one Int64 key ``(u - umin) * span + (t - tmin)`` when it fits:
        # sorted by it, a part is sorted by user then time, and "the user's first row at or after
        # t" is one as-of join on the key (a merge of two sorted columns, no hashing by user)
        self.packed = False
        uu, tt = (users, times) if valid is None else (users[valid], times[valid])
        if len(tt):
            self._umin, self._tmin = int(uu.min()), int(tt.min())
            self._span = int(tt.max()) - self._tmin + 1
            self.packed = (int(uu.max()) - self._umin + 1) * self._span < (1 << 62)
        _ = np

    def _rows_np(self, names):
        import numpy as np

        key = ("idx", tuple(sorted(set(names))))
        if key not in self._memo:
            e = self._events
            # one name: a plain comparison (Arrow text compares without hashing every value)
            hit = (e == key[1][0]) if len(key[1]) == 1 else e.isin(list(key[1]))
            mask = hit.to_numpy(dtype=bool, na_value=False)
            self._memo[("occurs", key[1])] = bool(mask.any())
            if self._valid is not None:
                mask = mask & self._valid
            self._memo[key] = np.flatnonzero(mask)
        return self._memo[key]

    def occurs(self, name: str) -> bool:
        """Whether the event ``name`` occurs in the log (also in rows without a time)."""
        self._rows_np([name])
        return self._memo[("occurs", (name,))]

    @property
    def events(self) -> list[str]:
        """The event names of the log (sorted), also those whose rows all lack a time."""
        return sorted(str(x) for x in self._events.dropna().unique())

    def rows(self, names) -> nw.LazyFrame:
        """Rows of any of the events ``names`` in the frame's order: LazyFrame (``__u``, ``__t``)."""
        import polars as pl

        key = ("rows", tuple(sorted(set(names))))
        if key not in self._memo:
            idx = self._rows_np(names)
            self._memo[key] = pl.DataFrame({self.U: self._u[idx], self.T: self._t[idx]}).with_columns(
                pl.col(self.T).cast(pl.Datetime("us")))
        return nw.from_native(self._memo[key].lazy())

    def rows_many(self, name_sets) -> list[nw.LazyFrame]:
        """:meth:`rows` of several events at once: the ones not picked out yet are found side by
        side in threads (each is one scan of the event column, which Arrow and NumPy run without
        the GIL), so a funnel's first call scans its steps on every core instead of one by one."""
        import os
        from concurrent.futures import ThreadPoolExecutor

        keys = [tuple(sorted(set(ns))) for ns in name_sets]
        todo = [k for k in dict.fromkeys(keys) if ("rows", k) not in self._memo]
        workers = min(len(todo), os.cpu_count() or 1)
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(self.rows, todo))
        return [self.rows(k) for k in keys]

    def key(self, time_col: str) -> nw.Expr:
        """The packed (user, time) key of each row from ``__u`` and ``time_col`` (only when :attr:`packed`)."""
        import datetime as _dt

        t0 = _dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=self._tmin)
        us = (nw.col(time_col) - nw.lit(t0)).dt.total_microseconds().cast(nw.Int64)
        return (nw.col(self.U) - self._umin) * self._span + us

    def part(self, names) -> nw.LazyFrame:
        """:meth:`rows` sorted, computed once: with the key ``__k`` and sorted by it (user, then
        time) when :attr:`packed`; else sorted by time."""
        key = ("part", tuple(sorted(set(names))))
        if key not in self._memo:
            rows = self.rows(names)
            if self.packed:
                rows = rows.with_columns(self.key(self.T).alias(self.K)).sort(self.K)
            else:
                rows = rows.sort(self.T)
            self._memo[key] = rows.collect().to_native()
            self._memo.pop(("rows", key[1]), None)  # the sorted rows serve from now on
        return nw.from_native(self._memo[key].lazy())

    def first(self, names) -> nw.LazyFrame:
        """Each user's first time among the events ``names``: LazyFrame (``__u``, ``__t1``), computed once."""
        key = ("first", tuple(sorted(set(names))))
        if key not in self._memo:
            src = self._memo.get(("part", key[1]))
            rows = nw.from_native(src.lazy()) if src is not None else self.rows(names)
            self._memo[key] = rows.group_by(self.U).agg(nw.col(self.T).min().alias("__t1")).collect().to_native()
        return nw.from_native(self._memo[key].lazy())

    def users_table(self, users: nw.LazyFrame, user_col: str) -> nw.LazyFrame:
        """A user table keyed on the log's user codes (column ``__u``) instead of ``user_col``."""
        if self._uniques is None:
            return users.with_columns(nw.col(user_col).cast(nw.Int64).alias(self.U))
        key = ("codes",)
        if key not in self._memo:
            import polars as pl

            self._memo[key] = pl.DataFrame({user_col: pl.Series(self._uniques), self.U: pl.int_range(
                0, len(self._uniques), dtype=pl.Int64, eager=True)})
        codes = nw.from_native(self._memo[key].lazy())
        return users.join(codes, on=user_col, how="inner")


def event_log(data, *, engine: str = "auto", user_col: str, time_col: str, event_col: str,
              time_param: str = "time_col") -> EventLog | None:
    """The prepared :class:`EventLog` of a pandas frame, or None where the plain path applies.

    Prepared (and cached like a conversion) when ``data`` is a pandas frame that ``engine`` runs on
    Polars, the three columns exist and are distinct, the user column is integer or text without
    missing values, the event column holds text and the time column times or text times. Anything
    else returns None, and the caller's plain path gives the usual results and error messages.
    """
    if not _is_pd_frame(data) or not _has("polars"):
        return None
    check_choice("engine", engine, ENGINES)
    use = engine
    if engine == "auto":
        use = settings.pandas_engine if len(data) >= settings.pandas_threshold else settings.small_engine
    cols = [user_col, time_col, event_col]
    if use != "polars" or len(set(cols)) < 3 or not all(isinstance(c, str) and c in data.columns for c in cols):
        return None
    if data.columns.duplicated().any():
        return None

    def build():
        return _build_event_log(data, user_col, time_col, event_col, time_param)

    return _cached_convert(data, ("eventlog", time_param), cols, build)


def _build_event_log(df, user_col: str, time_col: str, event_col: str, time_param: str) -> EventLog | None:
    import numpy as np
    import pandas as pd

    u, e = df[user_col], df[event_col]
    if not _is_text_like(e.dtype) or u.isna().any():
        return None
    if pd.api.types.is_integer_dtype(u.dtype) and not (u.dtype.kind == "u" and u.dtype.itemsize == 8):
        codes, uniques = u.to_numpy(np.int64), None  # the user ids themselves
    elif _is_text_like(u.dtype):
        codes, uniques = pd.factorize(u)
        if u.dtype == object and not all(isinstance(x, str) for x in uniques):
            return None  # an object column mixing kinds of values: the plain path handles it
    else:
        return None
    t = _parse_pandas_times(df[[time_col]], {time_col: time_param})[time_col]
    if not _is_datetime_dtype(t.dtype):  # pragma: no cover - parse_pandas_times returns times or raises
        return None
    t = _naive_us(t)
    nat = t.isna().to_numpy()
    times = t.to_numpy().view(np.int64)
    return EventLog(np.asarray(codes, dtype=np.int64), times, ~nat if nat.any() else None, e,
                    None if uniques is None else np.asarray(uniques, dtype=object), len(df))


def _is_text_like(dtype) -> bool:
    import pandas as pd

    if isinstance(dtype, pd.CategoricalDtype):
        return pd.api.types.is_string_dtype(dtype.categories.dtype) or dtype.categories.dtype == object
    return pd.api.types.is_string_dtype(dtype) or dtype == object


def back_to(data) -> Callable[[object], object]:
    """The ``back`` function of :func:`to_lazy` for ``data`` without converting it (results computed elsewhere)."""
    kind = native_kind(data)

    def back(result):
        return _back(result, data, kind)

    return back


def asof_forward(left: nw.LazyFrame, right: nw.LazyFrame, *, left_on: str, right_on: str,
                 by: str | None = None) -> nw.LazyFrame:
    """For each ``left`` row, the first ``right`` row (of the same ``by``) at or after ``left_on`` (as-of join).

    ``right`` must already be sorted by ``right_on`` (an :meth:`EventLog.part` is); ``left`` is
    sorted here. Polars is told the order is known (its check warns when ``by`` is given).
    """
    if left.implementation is I.POLARS and right.implementation is I.POLARS:
        out = left.to_native().sort(left_on).join_asof(
            right.to_native(), left_on=left_on, right_on=right_on, by=by, strategy="forward",
            check_sortedness=False)
        return nw.from_native(out)
    return left.sort(left_on).join_asof(right, left_on=left_on, right_on=right_on, by=by, strategy="forward")
