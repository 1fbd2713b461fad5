"""Value concentration: the Pareto (Lorenz) curve, the 80/20 rule (二八法则), the long tail (长尾)
and the Gini coefficient.

>>> r = pareto([50, 30, 10, 5, 5])
>>> round(r.top_share, 3), round(r.gini, 3)
(0.5, 0.46)
>>> round(r.head_share, 3)       # the share of users that brings 80 % of the value
0.4
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import DataValidationError, InvalidParameterError
from ._common import check_probability, require_pandas_columns

__all__ = ["ParetoResult", "pareto"]


@dataclass(frozen=True)
class ParetoResult:
    """What :func:`pareto` found.

    Attributes
    ----------
    curve : DataFrame
        The Lorenz curve read from the top: ``share_units`` (cumulative share of units, largest
        first, from 0 to 1) and ``share_value`` (their cumulative share of the value), one row per
        unit plus the origin.
    top : float
        The head share asked for (default 0.2, the "20 %" of 二八法则).
    top_share : float
        Share of the value brought by the top ``top`` of units (linear between units on the curve).
    head_share : float
        Share of units, largest first, that together bring ``value_share`` of the value (0.8 by
        default: 80/20 holds when this is about 0.2).
    value_share : float
        The value share used for ``head_share``.
    tail_value_share : float
        Share of the value from the long tail (长尾): all units outside the top ``top``
        (``1 - top_share``).
    gini : float
        Gini coefficient of the units' values, 0 (all equal) to (n − 1)/n (one unit has it all):
        ``G = 2·Σ i·x_(i) / (n·Σx) − (n + 1)/n`` with x sorted ascending.
    n : int
        Number of units.
    """

    curve: pd.DataFrame
    top: float
    top_share: float
    head_share: float
    value_share: float
    tail_value_share: float
    gini: float
    n: int


def pareto(data, *, value_col: str = "amount", by: str | None = "user_id", top: float = 0.2,
           value_share: float = 0.8) -> ParetoResult:
    """How concentrated value is among units: the 80/20 rule (二八法则), long tail (长尾) and Gini.

    Parameters
    ----------
    data : sequence of numbers, Series, or frame
        Values per unit (e.g. each user's revenue), or a frame of rows (e.g. orders) whose
        ``value_col`` is summed per ``by`` unit first. Units with value 0 count as units (pass all
        registered users to ask "which share of *users*", only buyers for "which share of *buyers*").
    value_col : str, default "amount"
        The value column of a frame.
    by : str or None, default "user_id"
        The unit column of a frame; None treats each row as a unit.
    top : float, default 0.2
        The head of the units (as a share) whose value share is ``top_share``.
    value_share : float, default 0.8
        The value share whose unit share is ``head_share``.

    Returns
    -------
    ParetoResult

    Notes
    -----
    The curve is the Lorenz curve taken from the largest unit down, joined linearly between units,
    so ``top_share`` is exact for any number of units (e.g. the top 20 % of 7 users is 1.4 users:
    the first user plus 0.4 of the second). Negative totals per unit (net refunds) are refused.
    """
    top = check_probability("top", top)
    value_share = check_probability("value_share", value_share)
    if isinstance(data, (list, tuple, np.ndarray, pd.Series)):
        values = pd.to_numeric(pd.Series(np.asarray(data, dtype=object)), errors="coerce")
        if values.isna().any():
            raise DataValidationError(f"`data` holds {int(values.isna().sum())} value(s) that are not numbers.")
    else:
        df = as_pandas(data)
        require_pandas_columns(df, param="data", value_col=value_col, by=by)
        values = df.groupby(by, sort=False)[value_col].sum() if by is not None else df[value_col]
    x = np.sort(values.to_numpy(dtype=float))[::-1]
    if x.size == 0:
        raise DataValidationError("`data` has no units; pareto needs at least one value.")
    if (x < 0).any():
        raise DataValidationError(f"{int((x < 0).sum())} unit(s) have a negative total (e.g. {x[x < 0][0]:g}); "
                                  "the Pareto curve needs values ≥ 0. Remove refunds or net them per unit first.")
    total = x.sum()
    if total <= 0:
        raise InvalidParameterError("All values are 0: there is no value to share out.")
    n = x.size
    units = np.arange(n + 1) / n
    cum = np.concatenate([[0.0], np.cumsum(x) / total])
    cum[-1] = 1.0
    top_share = float(np.interp(top, units, cum))
    k = int(np.searchsorted(cum, value_share, side="left"))  # first point with cum >= value_share
    head = float(units[k - 1] + (value_share - cum[k - 1]) / (cum[k] - cum[k - 1]) / n)
    asc = x[::-1]
    gini = float(2 * np.sum(np.arange(1, n + 1) * asc) / (n * total) - (n + 1) / n)
    curve = pd.DataFrame({"share_units": units, "share_value": cum})
    return ParetoResult(curve, top, top_share, head, value_share, 1 - top_share, gini, n)
