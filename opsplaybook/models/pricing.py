"""Van Westendorp price sensitivity meter (价格敏感度测试, PSM).

Each respondent names four prices: too cheap (太便宜而怀疑质量), cheap / a bargain (便宜划算),
expensive / getting expensive (开始觉得贵) and too expensive (太贵不会买). Their cumulative shares
over a price grid form the PSM chart; the crossings of the curves give the price points.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import DataValidationError, InvalidParameterError
from ._common import require_pandas_columns

__all__ = ["van_westendorp", "PriceSensitivityResult"]

#: The curve columns of ``PriceSensitivityResult.curves``.
CURVES = ("too_cheap", "cheap", "not_cheap", "not_expensive", "expensive", "too_expensive")


@dataclass
class PriceSensitivityResult:
    """Result of :func:`van_westendorp`.

    Attributes
    ----------
    curves : DataFrame
        One row per grid price: ``price`` and the cumulative shares ``too_cheap``, ``cheap``,
        ``not_cheap``, ``not_expensive``, ``expensive``, ``too_expensive`` (0..1).
    pmc, pme, opp, ipp : float
        Point of marginal cheapness (最低可接受价格), point of marginal expensiveness (最高可接受价格),
        optimal price point (最优价格) and indifference price point (无差异价格).
    n : int
        Respondents used (after dropping inconsistent ones when ``validate=True``).
    n_invalid : int
        Respondents dropped because their four prices were not in increasing order.
    """

    curves: pd.DataFrame
    pmc: float
    pme: float
    opp: float
    ipp: float
    n: int
    n_invalid: int = 0
    points: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.points = pd.DataFrame(
            {"point": ["pmc", "opp", "ipp", "pme"],
             "price": [self.pmc, self.opp, self.ipp, self.pme]}
        )

    @property
    def acceptable_range(self) -> tuple[float, float]:
        """The range of acceptable prices (可接受价格区间), ``(pmc, pme)``."""
        return (self.pmc, self.pme)


def _crossing(price: np.ndarray, falling: np.ndarray, rising: np.ndarray) -> float:
    """Price where a non-increasing curve meets a non-decreasing one.

    Both curves are taken as piecewise linear between grid prices. Their difference is
    non-increasing, so its zero set is one interval [a, b] (often a single point); the crossing is
    its midpoint. NaN when the curves do not meet on the grid.
    """
    d = falling - rising
    if d[0] < 0 or d[-1] > 0:
        return float("nan")

    def first_at_or_below_zero() -> float:
        i = int(np.argmax(d <= 0))
        if i == 0 or d[i] == 0:
            return float(price[i])
        # linear interpolation between i-1 (d > 0) and i (d < 0)
        return float(price[i - 1] + (price[i] - price[i - 1]) * d[i - 1] / (d[i - 1] - d[i]))

    def last_at_or_above_zero() -> float:
        j = len(d) - 1 - int(np.argmax(d[::-1] >= 0))
        if j == len(d) - 1 or d[j] == 0:
            return float(price[j])
        return float(price[j] + (price[j + 1] - price[j]) * d[j] / (d[j] - d[j + 1]))

    return (first_at_or_below_zero() + last_at_or_above_zero()) / 2


def van_westendorp(
    survey,
    *,
    # columns
    too_cheap_col: str = "too_cheap",
    cheap_col: str = "cheap",
    expensive_col: str = "expensive",
    too_expensive_col: str = "too_expensive",
    # computation
    grid=None,
    n_grid: int = 501,
    validate: bool = True,
) -> PriceSensitivityResult:
    """Van Westendorp price sensitivity meter: the four curves and the four price points.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent with four prices (columns below).
    too_cheap_col, cheap_col, expensive_col, too_expensive_col : str
        Column names (defaults match the synthetic world's ``survey_price``).
    grid : array-like, optional
        Prices at which to evaluate the curves. Default: ``n_grid`` evenly spaced prices from the
        lowest to the highest answer.
    n_grid : int
        Number of grid prices when ``grid`` is not given.
    validate : bool
        Drop respondents whose prices are not ordered too cheap ≤ cheap ≤ expensive ≤ too
        expensive (counted in ``n_invalid``). With ``False`` they are kept as answered.

    Returns
    -------
    PriceSensitivityResult
        ``.curves`` (price grid and cumulative shares), ``.pmc``, ``.pme``, ``.opp``, ``.ipp``,
        ``.acceptable_range`` and ``.points``.

    Notes
    -----
    At a price *p* the curves are the shares of respondents for whom

    - ``too_cheap(p)``: p ≤ their too-cheap price (falls with p);
    - ``cheap(p)``: p ≤ their cheap price (falls); ``not_cheap(p) = 1 - cheap(p)`` (rises);
    - ``expensive(p)``: p ≥ their expensive price (rises); ``not_expensive(p) = 1 - expensive(p)``
      (falls);
    - ``too_expensive(p)``: p ≥ their too-expensive price (rises).

    The points are the crossings (the convention of Van Westendorp 1976 as implemented by the
    R package ``pricesensitivitymeter``, ``psm_analysis``):

    - PMC, point of marginal cheapness = ``too_cheap`` ∩ ``not_cheap`` (lower end of the range);
    - PME, point of marginal expensiveness = ``too_expensive`` ∩ ``not_expensive`` (upper end);
    - OPP, optimal price point = ``too_cheap`` ∩ ``too_expensive``;
    - IPP, indifference price point = ``cheap`` ∩ ``expensive`` (equivalently
      ``not_cheap`` ∩ ``not_expensive``).

    Some texts use the ``expensive`` curve instead of ``not_cheap`` for PMC and ``cheap`` instead of
    ``not_expensive`` for PME; that gives a narrower range and is not what is computed here.

    Every pair is one falling and one rising curve, so they meet once (or along a flat stretch).
    Curves are read as piecewise linear between grid prices and a crossing is the midpoint of
    where they are equal; a point is NaN if its curves do not meet within the grid.
    """
    df = as_pandas(survey, param="survey")
    cols = {"too_cheap_col": too_cheap_col, "cheap_col": cheap_col,
            "expensive_col": expensive_col, "too_expensive_col": too_expensive_col}
    require_pandas_columns(df, param="survey", **cols)
    values = {}
    for param, col in cols.items():
        v = pd.to_numeric(df[col], errors="coerce")
        if v.isna().any():
            bad = list(pd.unique(df[col][v.isna()].astype(object)))[:5]
            raise DataValidationError(
                f"Column {col!r} (`{param}`) has empty or non-numeric prices: {bad} "
                f"({int(v.isna().sum())} rows). Drop those respondents or fill the prices first."
            )
        values[param] = v.to_numpy(dtype=float)
    tc, ch, ex, te = (values[k] for k in cols)
    n_total = len(df)
    ordered = (tc <= ch) & (ch <= ex) & (ex <= te)
    n_invalid = int((~ordered).sum())
    if validate and n_invalid:
        tc, ch, ex, te = tc[ordered], ch[ordered], ex[ordered], te[ordered]
    if len(tc) == 0:
        raise DataValidationError(
            f"None of the {n_total} respondents has ordered prices (too cheap ≤ cheap ≤ expensive ≤ "
            "too expensive). Check that the four columns are not swapped, or pass `validate=False`."
        )

    if grid is None:
        if int(n_grid) < 2:
            raise InvalidParameterError(f"`n_grid`={n_grid!r} must be at least 2.")
        lo = float(min(tc.min(), ch.min(), ex.min(), te.min()))
        hi = float(max(tc.max(), ch.max(), ex.max(), te.max()))
        price = np.linspace(lo, hi, int(n_grid))
    else:
        price = np.unique(np.asarray(grid, dtype=float))
        if len(price) < 2:
            raise InvalidParameterError(f"`grid` must hold at least two prices; got {list(price)}.")

    def share_at_or_above(x):  # share with answer >= p
        s = np.sort(x)
        return 1 - np.searchsorted(s, price, side="left") / len(s)

    def share_at_or_below(x):  # share with answer <= p
        s = np.sort(x)
        return np.searchsorted(s, price, side="right") / len(s)

    curves = pd.DataFrame({"price": price})
    curves["too_cheap"] = share_at_or_above(tc)
    curves["cheap"] = share_at_or_above(ch)
    curves["not_cheap"] = 1 - curves["cheap"]
    curves["expensive"] = share_at_or_below(ex)
    curves["not_expensive"] = 1 - curves["expensive"]
    curves["too_expensive"] = share_at_or_below(te)

    c = {k: curves[k].to_numpy() for k in curves.columns}
    return PriceSensitivityResult(
        curves=curves,
        pmc=_crossing(price, c["too_cheap"], c["not_cheap"]),
        pme=_crossing(price, c["not_expensive"], c["too_expensive"]),
        opp=_crossing(price, c["too_cheap"], c["too_expensive"]),
        ipp=_crossing(price, c["cheap"], c["expensive"]),
        n=len(tc),
        n_invalid=n_invalid,
    )
