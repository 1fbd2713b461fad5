"""A/B test: rates, Newcombe/Wald intervals, relative lift, p-value and sample size by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError
from opsplaybook.models import ab_test, newcombe_interval, sample_size, wilson_interval


def _experiment(x_t=56, n_t=70, x_c=48, n_c=80):
    """Newcombe (1998) example (a): 56/70 vs 48/80."""
    g = ["treatment"] * n_t + ["control"] * n_c
    y = [True] * x_t + [False] * (n_t - x_t) + [True] * x_c + [False] * (n_c - x_c)
    return pd.DataFrame({"user_id": range(len(g)), "group": g, "converted": y})


def test_newcombe_published_examples():
    # Newcombe, Statistics in Medicine 17 (1998) 873-890, Table II, method 10
    assert newcombe_interval(56, 70, 48, 80) == (pytest.approx(0.0524, abs=5e-5), pytest.approx(0.3339, abs=5e-5))
    assert newcombe_interval(9, 10, 3, 10) == (pytest.approx(0.1705, abs=5e-5), pytest.approx(0.8090, abs=5e-5))


def test_wilson_by_hand():
    z = stats.norm.ppf(0.975)
    n, p = 70, 0.8
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert wilson_interval(56, 70) == (pytest.approx(centre - half), pytest.approx(centre + half))


def test_ab_test_by_hand():
    res = ab_test(_experiment())
    g = res.groups.set_index("group")
    assert list(res.groups["group"]) == ["control", "treatment"]
    assert g.loc["control", ["n", "conversions"]].tolist() == [80, 48]
    assert g.loc["treatment", "rate"] == pytest.approx(0.8)
    assert res.lift == pytest.approx(0.2)
    assert res.lift_ci == (pytest.approx(0.0524, abs=5e-5), pytest.approx(0.3339, abs=5e-5))
    # relative lift 0.8/0.6 - 1 with the log risk-ratio interval
    assert res.relative_lift == pytest.approx(1 / 3)
    se = math.sqrt(0.2 / 56 + 0.4 / 48)
    z = stats.norm.ppf(0.975)
    assert res.relative_lift_ci == (pytest.approx(math.exp(math.log(4 / 3) - z * se) - 1),
                                    pytest.approx(math.exp(math.log(4 / 3) + z * se) - 1))
    assert res.relative_lift_ci[0] == pytest.approx(0.0766, abs=1e-4)
    # pooled z test: p̄ = 104/150
    pbar = 104 / 150
    z_stat = 0.2 / math.sqrt(pbar * (1 - pbar) * (1 / 70 + 1 / 80))
    assert res.z == pytest.approx(z_stat)
    assert res.p_value == pytest.approx(0.00804, abs=5e-5)
    # second engine: chi-square test without continuity correction is the same test
    chi2 = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert res.p_value == pytest.approx(chi2.pvalue)
    assert res.significant
    row = res.summary.iloc[0]
    assert row["control_rate"] == pytest.approx(0.6) and row["lift_ci_high"] == pytest.approx(0.3339, abs=5e-5)


def test_wald_interval_and_alpha():
    res = ab_test(_experiment(), ci_method="wald")
    half = stats.norm.ppf(0.975) * math.sqrt(0.8 * 0.2 / 70 + 0.6 * 0.4 / 80)
    assert res.lift_ci == (pytest.approx(0.2 - half), pytest.approx(0.2 + half))
    default = ab_test(_experiment())
    wide = ab_test(_experiment(), alpha=0.005)  # 99.5 % intervals
    assert wide.lift_ci[0] < default.lift_ci[0] and wide.lift_ci[1] > default.lift_ci[1]
    assert wide.p_value == pytest.approx(res.p_value)  # p ≈ 0.008 whatever the level
    assert default.significant and not wide.significant
    assert wide.lift_ci[0] < 0  # a 99.5 % interval that covers 0 agrees with p > 0.005


def test_no_difference():
    res = ab_test(_experiment(30, 100, 30, 100))
    assert res.lift == 0 and res.p_value == pytest.approx(1.0)
    assert res.lift_ci[0] < 0 < res.lift_ci[1]
    assert not res.significant


def test_zero_conversions_in_control():
    res = ab_test(_experiment(5, 50, 0, 50))
    assert res.lift == pytest.approx(0.1)
    assert math.isnan(res.relative_lift) and math.isnan(res.relative_lift_ci[0])


def test_integer_outcome_and_custom_names():
    df = _experiment().rename(columns={"group": "分组", "converted": "是否转化"})
    df["是否转化"] = df["是否转化"].astype(int)
    df["分组"] = df["分组"].map({"control": "A", "treatment": "B"})
    res = ab_test(df, group_col="分组", metric_col="是否转化", control="A", treatment="B")
    assert res.lift == pytest.approx(0.2)


def test_errors():
    with pytest.raises(InvalidParameterError, match=r"`treatment`='treatmnt'.*Did you mean 'treatment'"):
        ab_test(_experiment(), treatment="treatmnt")
    with pytest.raises(ColumnNotFoundError, match="metric_col"):
        ab_test(_experiment(), metric_col="revenue")
    df = _experiment().assign(converted=lambda d: d["converted"] * 2.5)
    with pytest.raises(DataValidationError, match="0/1"):
        ab_test(df)
    with pytest.raises(InvalidParameterError, match="alpha"):
        ab_test(_experiment(), alpha=5)


def test_sample_size_by_hand():
    # 10 % -> 12 %, alpha 5 % two-sided, power 80 %
    z_a, z_b = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
    p1, p2, pbar = 0.10, 0.12, 0.11
    n = (z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / 0.02**2
    assert sample_size(0.10, 0.02) == math.ceil(n) == 3841
    assert sample_size(0.10, 0.2, relative=True) == 3841
    assert sample_size(0.10, 0.04) < sample_size(0.10, 0.02) < sample_size(0.10, 0.02, power=0.9)
    assert sample_size(0.10, 0.02, two_sided=False) < 3841


def test_sample_size_gives_the_power_it_promises():
    """Simulated check: with n from sample_size, a true lift of mde is detected about 80 % of the time."""
    rng = np.random.default_rng(1)
    n = sample_size(0.2, 0.05)
    xc = rng.binomial(n, 0.2, 4000)
    xt = rng.binomial(n, 0.25, 4000)
    pbar = (xc + xt) / (2 * n)
    z = (xt - xc) / n / np.sqrt(pbar * (1 - pbar) * 2 / n)
    power = np.mean(np.abs(z) > stats.norm.ppf(0.975))
    assert power == pytest.approx(0.8, abs=0.03)


def test_sample_size_errors():
    with pytest.raises(InvalidParameterError, match="base_rate"):
        sample_size(10, 0.02)
    with pytest.raises(InvalidParameterError, match="relative=True"):
        sample_size(0.1, 2)
    with pytest.raises(InvalidParameterError, match="must differ"):
        sample_size(0.1, 0)


def test_newcombe_coverage_by_simulation():
    """The 95 % interval covers the true difference about 95 % of the time (binomial simulation)."""
    rng = np.random.default_rng(5)
    n_c, n_t, p_c, p_t = 400, 380, 0.25, 0.30
    xc, xt = rng.binomial(n_c, p_c, 2000), rng.binomial(n_t, p_t, 2000)
    cover = [lo <= p_t - p_c <= hi for lo, hi in (newcombe_interval(a, n_t, b, n_c) for a, b in zip(xt, xc))]
    assert np.mean(cover) == pytest.approx(0.95, abs=0.015)


# ------------------------------------------------------------------ planted truth
def test_planted_lift_recovered_across_worlds(small_world, demo_world):
    """Comparing groups as assigned estimates the planted intention-to-treat lift (lift × exposure).

    One small world's experiment is too small to pin the lift down (its 95 % interval is about
    ±6.5 points wide around a 5.5-point truth), so the estimates of five worlds (the session's
    small and demo worlds and three more seeds) are pooled with inverse-variance weights. The
    99.9 % bound around the truth is then tighter than the distance to the answers a wrong estimator
    gives — no effect (0), the groups swapped (−truth) or the relative lift (≈ truth / base rate) —
    which the test asserts first, so it fails for any of them.
    """
    import opsplaybook as ops

    worlds = [small_world, demo_world, *(ops.generate_world(n_users=6000, seed=s) for s in (21, 22, 23))]
    truths = {w.truth.ab["itt_lift"] for w in worlds}
    assert len(truths) == 1  # the same planted effect in every world
    itt = truths.pop()
    lifts, weights = [], []
    for w in worlds:  # rates by hand from the raw table
        by = w.experiment.groupby("group")["converted"]
        p, n = by.mean(), by.size()
        var = p["treatment"] * (1 - p["treatment"]) / n["treatment"] + p["control"] * (1 - p["control"]) / n["control"]
        lifts.append(p["treatment"] - p["control"])
        weights.append(1 / var)
        assert ab_test(w.experiment).lift == pytest.approx(lifts[-1])  # the result reports this difference
    pooled = float(np.average(lifts, weights=weights))
    bound = stats.norm.ppf(0.9995) / np.sqrt(np.sum(weights))
    base = float(np.mean([w.truth.ab["base_rate"] for w in worlds]))
    wrong = {"no effect": 0.0, "groups swapped": -itt, "relative lift": itt / base}
    assert all(abs(v - itt) > bound for v in wrong.values()), (bound, wrong)  # the check has power
    assert abs(pooled - itt) <= bound, (pooled, itt, bound)
    for w in worlds:  # and the control groups convert at the planted base rate
        control = w.experiment.loc[w.experiment["group"] == "control", "converted"]
        base = w.truth.ab["base_rate"]
        assert abs(control.mean() - base) <= 3.3 * np.sqrt(base * (1 - base) / len(control))


def test_planted_lift_in_demo_world(demo_world):
    truth = demo_world.truth.ab
    res = ab_test(demo_world.experiment)
    assert res.lift_ci[0] <= truth["itt_lift"] <= res.lift_ci[1]
    assert res.significant
