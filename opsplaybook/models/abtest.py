"""A/B tests on a conversion rate (AB测试): significance, lift with a confidence interval, and the
sample size a test needs."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._frames import as_pandas
from ..errors import DataValidationError, InvalidParameterError, check_choice, did_you_mean
from ._common import check_probability, require_pandas_columns

__all__ = ["ab_test", "ABTestResult", "sample_size", "wilson_interval", "newcombe_interval"]


def wilson_interval(successes: float, n: float, *, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a proportion ``successes / n`` (two-sided, level ``1 - alpha``).

    >>> [round(x, 4) for x in wilson_interval(56, 70)]
    [0.6918, 0.877]
    """
    if n <= 0:
        return (float("nan"), float("nan"))
    z = float(stats.norm.ppf(1 - alpha / 2))
    p = successes / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return (float(max(0.0, centre - half)), float(min(1.0, centre + half)))


def newcombe_interval(x1: float, n1: float, x2: float, n2: float, *, alpha: float = 0.05) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``x1/n1 - x2/n2`` (Newcombe 1998, method 10).

    Built from the two Wilson intervals (l1, u1) and (l2, u2)::

        low  = d - sqrt((p1 - l1)**2 + (u2 - p2)**2)
        high = d + sqrt((u1 - p1)**2 + (p2 - l2)**2)

    It keeps its coverage for small samples and rates near 0 or 1, where the Wald interval fails.

    >>> [round(x, 4) for x in newcombe_interval(56, 70, 48, 80)]  # Newcombe (1998), example (a)
    [0.0524, 0.3339]
    """
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, alpha=alpha)
    l2, u2 = wilson_interval(x2, n2, alpha=alpha)
    d = p1 - p2
    return (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


@dataclass
class ABTestResult:
    """Result of :func:`ab_test`.

    Attributes
    ----------
    groups : DataFrame
        One row per group (control first): ``group``, ``n``, ``conversions``, ``rate`` and the
        Wilson interval ``ci_low``, ``ci_high`` of the rate.
    lift, lift_ci : float, (float, float)
        Absolute lift (treatment rate − control rate, in rate points) and its interval.
    relative_lift, relative_lift_ci : float, (float, float)
        Relative lift (treatment / control − 1) and its interval.
    z, p_value : float
        Two-proportion z statistic (pooled) and its two-sided p-value.
    alpha : float
        1 − confidence level of the intervals and the significance level of the test.
    """

    groups: pd.DataFrame
    control: str
    treatment: str
    lift: float
    lift_ci: tuple[float, float]
    relative_lift: float
    relative_lift_ci: tuple[float, float]
    z: float
    p_value: float
    alpha: float
    ci_method: str = "newcombe"

    @property
    def significant(self) -> bool:
        """Whether ``p_value < alpha``."""
        return bool(self.p_value < self.alpha)

    @property
    def summary(self) -> pd.DataFrame:
        """The test as one row (for tables and reports)."""
        return pd.DataFrame([{
            "control": self.control, "treatment": self.treatment,
            "control_rate": float(self.groups["rate"].iloc[0]),
            "treatment_rate": float(self.groups["rate"].iloc[1]),
            "lift": self.lift, "lift_ci_low": self.lift_ci[0], "lift_ci_high": self.lift_ci[1],
            "relative_lift": self.relative_lift, "relative_lift_ci_low": self.relative_lift_ci[0],
            "relative_lift_ci_high": self.relative_lift_ci[1],
            "z": self.z, "p_value": self.p_value, "significant": self.significant,
        }])


def ab_test(
    experiment,
    *,
    # columns
    group_col: str = "group",
    metric_col: str = "converted",
    # design
    control: str = "control",
    treatment: str = "treatment",
    alpha: float = 0.05,
    ci_method: str = "newcombe",
) -> ABTestResult:
    """Compare the conversion rate of a treatment group with a control group.

    Parameters
    ----------
    experiment : DataFrame
        One row per assigned user with the group and a 0/1 (or bool) outcome.
    group_col, metric_col : str
        Column names (defaults match the synthetic world's ``experiment``).
    control, treatment : str
        The values of ``group_col`` that name the two groups. Other groups are ignored.
    alpha : float
        Significance level; intervals are at level ``1 - alpha`` (0.05 → 95 %).
    ci_method : {"newcombe", "wald"}
        Interval for the absolute lift: Newcombe's hybrid score interval (default, see
        :func:`newcombe_interval`) or the Wald interval ``d ± z·sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)``.

    Returns
    -------
    ABTestResult

    Notes
    -----
    - Rates ``p = conversions / n`` with Wilson score intervals per group.
    - Absolute lift ``d = p_t − p_c``; relative lift ``p_t / p_c − 1``, whose interval is the
      log risk-ratio (Katz) interval ``exp(log(p_t/p_c) ± z·sqrt((1−p_t)/x_t + (1−p_c)/x_c)) − 1``
      (NaN when a group has no conversion).
    - p-value of the two-sided pooled two-proportion z test:
      ``z = d / sqrt(p̄(1−p̄)(1/n_t + 1/n_c))`` with ``p̄`` the pooled rate.
    """
    df = as_pandas(experiment, param="experiment")
    require_pandas_columns(df, param="experiment", group_col=group_col, metric_col=metric_col)
    alpha = check_probability("alpha", alpha)
    check_choice("ci_method", ci_method, ("newcombe", "wald"))
    present = list(pd.unique(df[group_col].dropna()))
    for name, value in (("control", control), ("treatment", treatment)):
        if value not in present:
            raise InvalidParameterError(
                f"`{name}`={value!r} is not a value of column {group_col!r}. Groups in the data: {present}."
                + did_you_mean(value, present, otherwise=f" Pass `{name}=` with one of them."))
    if control == treatment:
        raise InvalidParameterError(f"`control` and `treatment` are both {control!r}; name two different groups.")

    metric = df[metric_col]
    if metric.dtype == bool or str(metric.dtype) == "boolean":
        y = metric.astype(float)
    else:
        y = pd.to_numeric(metric, errors="coerce")
    bad = ~y.isin([0, 1]) & df[group_col].isin([control, treatment])
    if bad.any():
        shown = list(pd.unique(metric[bad].astype(object)))[:5]
        raise DataValidationError(
            f"Column {metric_col!r} (`metric_col`) must hold 0/1 or True/False outcomes; found "
            f"{shown} ({int(bad.sum())} rows). For a revenue metric, compare means with a t-test instead."
        )

    rows = []
    for g in (control, treatment):
        yg = y[df[group_col] == g]
        n, x = int(len(yg)), int(yg.sum())
        lo, hi = wilson_interval(x, n, alpha=alpha)
        rows.append({"group": g, "n": n, "conversions": x, "rate": x / n, "ci_low": lo, "ci_high": hi})
    groups = pd.DataFrame(rows)
    (n_c, x_c, p_c), (n_t, x_t, p_t) = ((r["n"], r["conversions"], r["rate"]) for r in rows)

    z_crit = stats.norm.ppf(1 - alpha / 2)
    d = p_t - p_c
    if ci_method == "newcombe":
        lift_ci = newcombe_interval(x_t, n_t, x_c, n_c, alpha=alpha)
    else:
        se = math.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
        lift_ci = (d - z_crit * se, d + z_crit * se)

    if x_c > 0 and x_t > 0:
        log_rr = math.log(p_t / p_c)
        se_log = math.sqrt((1 - p_t) / x_t + (1 - p_c) / x_c)
        rel_ci = (math.exp(log_rr - z_crit * se_log) - 1, math.exp(log_rr + z_crit * se_log) - 1)
    else:
        rel_ci = (float("nan"), float("nan"))
    rel = d / p_c if p_c > 0 else float("nan")

    pooled = (x_t + x_c) / (n_t + n_c)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c))
    if se0 > 0:
        z = d / se0
        p_value = float(2 * stats.norm.sf(abs(z)))
    else:  # every user converted, or none did: no evidence of a difference
        z, p_value = 0.0, 1.0
    return ABTestResult(
        groups=groups, control=control, treatment=treatment, lift=float(d),
        lift_ci=(float(lift_ci[0]), float(lift_ci[1])), relative_lift=float(rel),
        relative_lift_ci=(float(rel_ci[0]), float(rel_ci[1])), z=float(z), p_value=p_value,
        alpha=alpha, ci_method=ci_method,
    )


def sample_size(
    base_rate: float,
    mde: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    relative: bool = False,
    two_sided: bool = True,
) -> int:
    """Users needed in EACH group to detect a change of ``mde`` in a conversion rate.

    Parameters
    ----------
    base_rate : float
        Control conversion rate, e.g. 0.10.
    mde : float
        Minimum detectable effect: an absolute change in rate points (0.02 → 10 % vs 12 %), or a
        relative change when ``relative=True`` (0.2 → 10 % vs 12 %).
    alpha : float
        Significance level (false-positive rate).
    power : float
        Probability of detecting a true effect of size ``mde`` (1 − false-negative rate).
    relative : bool
        Read ``mde`` as relative to ``base_rate``.
    two_sided : bool
        Two-sided test (default) or one-sided.

    Returns
    -------
    int
        Per-group sample size, rounded up.

    Notes
    -----
    The normal-approximation formula for two proportions (Fleiss, without continuity
    correction), with ``p1 = base_rate``, ``p2 = p1 + mde`` and ``p̄ = (p1 + p2) / 2``::

        n = (z_{1-α/2}·sqrt(2·p̄(1−p̄)) + z_{power}·sqrt(p1(1−p1) + p2(1−p2)))² / (p2 − p1)²

    >>> sample_size(0.10, 0.02)
    3841
    """
    p1 = check_probability("base_rate", base_rate)
    alpha = check_probability("alpha", alpha)
    power = check_probability("power", power)
    try:
        mde = float(mde)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"`mde`={mde!r} must be a number, e.g. 0.02 for +2 rate points.") from None
    diff = mde * p1 if relative else mde
    p2 = p1 + diff
    if diff == 0 or not 0 < p2 < 1:
        kind = "relative" if relative else "absolute"
        raise InvalidParameterError(
            f"`mde`={mde!r} ({kind}) makes the treatment rate {p2:.4g}, which must differ from "
            f"`base_rate`={p1!r} and lie strictly between 0 and 1."
            + ("" if relative else " Did you mean `relative=True`?" if abs(mde) >= 1 - p1 else "")
        )
    z_a = stats.norm.ppf(1 - alpha / 2) if two_sided else stats.norm.ppf(1 - alpha)
    z_b = stats.norm.ppf(power)
    pbar = (p1 + p2) / 2
    n = (z_a * np.sqrt(2 * pbar * (1 - pbar)) + z_b * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / diff**2
    return int(math.ceil(n - 1e-9))
