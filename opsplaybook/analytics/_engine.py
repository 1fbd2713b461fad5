"""The one engine adapter: every analysis goes native frame -> narwhals -> native frame here.

``lazy, back = to_lazy(data, param="events")`` turns a pandas/Polars/DuckDB/PySpark frame into a
narwhals LazyFrame; ``back(result)`` turns a narwhals result into the caller's kind of frame
(pandas in => pandas out, Polars DataFrame in => Polars DataFrame out, DuckDB relation in => DuckDB
relation out, Spark DataFrame in => Spark DataFrame out).
"""
from __future__ import annotations

from collections.abc import Callable

import narwhals as nw

from ..errors import InvalidParameterError

__all__ = ["to_lazy", "native_kind"]


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


def to_lazy(data, *, param: str = "data") -> tuple[nw.LazyFrame, Callable[[nw.LazyFrame | nw.DataFrame], object]]:
    """Wrap ``data`` as a narwhals LazyFrame and return it with the function that converts back."""
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise InvalidParameterError(
            f"`{param}` must be a pandas, Polars, DuckDB or PySpark data frame; got {type(data).__name__}."
        ) from None
    kind = native_kind(data)
    lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame

    def back(result: nw.LazyFrame | nw.DataFrame):
        if kind in ("pandas", "polars"):
            if isinstance(result, nw.LazyFrame):
                result = result.collect(backend=kind)
            return result.to_native()
        if isinstance(result, nw.DataFrame):  # already collected: hand back the caller's kind
            return result.lazy(backend=None).to_native() if kind != "polars-lazy" else result.to_native().lazy()
        return result.to_native()

    return lazy, back
