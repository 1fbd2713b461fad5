"""Small helpers shared by the course models: input checks that teach.

The models take any frame through :func:`opsplaybook._frames.as_pandas` (the kit's one converter)
and check it with :func:`require_pandas_columns` (pandas columns plus "not empty"; the analytics
check lazy narwhals frames with their own ``analytics._common.require_columns``).
"""
from __future__ import annotations

import pandas as pd

from ..errors import DataValidationError, InvalidParameterError, check_columns

__all__ = ["require_pandas_columns", "check_probability"]


def require_pandas_columns(df: pd.DataFrame, *, param: str, **cols: str | None) -> None:
    """Raise ColumnNotFoundError (naming the ``*_col`` parameter) for a missing column of the pandas
    frame ``df``, and DataValidationError when it has no rows (``param`` names the frame)."""
    check_columns(df.columns, **cols)
    if len(df) == 0:
        raise DataValidationError(f"`{param}` has no rows; the model needs at least one.")


def check_probability(name: str, value: float, *, open_interval: bool = True) -> float:
    """``value`` as a float strictly between 0 and 1 (or within [0, 1] when not ``open_interval``)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"`{name}`={value!r} must be a number between 0 and 1.") from None
    ok = 0 < v < 1 if open_interval else 0 <= v <= 1
    if not ok:
        bounds = "strictly between 0 and 1" if open_interval else "between 0 and 1"
        raise InvalidParameterError(
            f"`{name}`={value!r} must be {bounds} (a share, e.g. 0.05 for 5 %)."
        )
    return v
