"""One helper shared by the small-data layers (models, charts): any supported frame as pandas."""
from __future__ import annotations

from .errors import InvalidParameterError


def as_pandas(data, *, param: str = "data"):
    """``data`` as a pandas DataFrame: pandas as is (a Series becomes a one-column frame); a Polars,
    DuckDB or PySpark frame is collected and converted through narwhals, so a team's own frame works
    unchanged. Anything else raises :class:`InvalidParameterError` naming ``param``."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame()
    try:
        import narwhals as nw

        frame = nw.from_native(data)
    except (ImportError, TypeError):
        raise InvalidParameterError(
            f"`{param}` must be a data frame (pandas, Polars, DuckDB or PySpark); "
            f"got {type(data).__name__}. Build one with `pd.DataFrame(...)`."
        ) from None
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    return frame.to_pandas()
