"""KANO model: the evaluation table, counts, majority with the documented tie rule, Better/Worse."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from opsplaybook.errors import ColumnNotFoundError, DataValidationError
from opsplaybook.models import KANO_TABLE, kano, kano_category

LIKE, MUST, NEUTRAL, LIVE, DISLIKE = 1, 2, 3, 4, 5


def _expected_category(f: int, d: int) -> str:
    """The KANO table written out from its textbook description (independent of KANO_TABLE)."""
    if (f, d) in ((LIKE, LIKE), (DISLIKE, DISLIKE)):
        return "Q"
    if f == DISLIKE or d == LIKE:
        return "R"
    if f == LIKE and d == DISLIKE:
        return "O"
    if f == LIKE:
        return "A"
    if d == DISLIKE:
        return "M"
    return "I"


@pytest.mark.parametrize("f", range(1, 6))
@pytest.mark.parametrize("d", range(1, 6))
def test_evaluation_table(f, d):
    assert kano_category(f, d) == _expected_category(f, d) == KANO_TABLE[f - 1][d - 1]


def _survey():
    rows = [
        # f1: O, O, A, M, I -> O wins (2 of 5)
        ("f1", 1, 5), ("f1", 1, 5), ("f1", 1, 3), ("f1", 3, 5), ("f1", 3, 3),
        # f2: A and M tie -> M (tie order M > O > A > I)
        ("f2", 1, 4), ("f2", 2, 5),
        # f3: R, Q, Q, I -> Q is the majority
        ("f3", 5, 1), ("f3", 1, 1), ("f3", 5, 5), ("f3", 2, 2),
        # f4: only reverse answers -> Better/Worse undefined
        ("f4", 5, 3),
    ]
    return pd.DataFrame(rows, columns=["feature", "functional", "dysfunctional"])


def test_counts_category_better_worse_by_hand():
    out = kano(_survey()).set_index("feature")
    assert list(out.index) == ["f1", "f2", "f3", "f4"]
    assert out.loc["f1", ["A", "O", "M", "I", "R", "Q", "n"]].tolist() == [1, 2, 1, 1, 0, 0, 5]
    assert out.loc["f1", "category"] == "O"
    assert out.loc["f1", "category_share"] == pytest.approx(0.4)
    assert out.loc["f1", "better"] == pytest.approx(3 / 5)   # (A+O)/(A+O+M+I)
    assert out.loc["f1", "worse"] == pytest.approx(-3 / 5)   # -(O+M)/(A+O+M+I)
    assert out.loc["f2", "category"] == "M"
    assert (out.loc["f2", "better"], out.loc["f2", "worse"]) == (pytest.approx(0.5), pytest.approx(-0.5))
    assert out.loc["f3", ["R", "Q", "I"]].tolist() == [1, 2, 1]
    assert out.loc["f3", "category"] == "Q"
    assert out.loc["f3", "better"] == 0 and out.loc["f3", "worse"] == 0
    assert out.loc["f4", "category"] == "R"
    assert math.isnan(out.loc["f4", "better"]) and math.isnan(out.loc["f4", "worse"])


@pytest.mark.parametrize(
    "pair, winner",
    [((("A", 2), ("O", 2)), "O"), ((("A", 2), ("I", 2)), "A"), ((("M", 1), ("I", 1)), "M"),
     ((("I", 3), ("R", 3)), "I")],
)
def test_tie_order(pair, winner):
    code = {"A": (1, 3), "O": (1, 5), "M": (3, 5), "I": (3, 3), "R": (5, 3)}
    rows = [("x", *code[c]) for c, k in pair for _ in range(k)]
    df = pd.DataFrame(rows, columns=["feature", "functional", "dysfunctional"])
    assert kano(df)["category"].item() == winner


def test_custom_column_names_and_string_codes():
    df = _survey().rename(columns={"feature": "功能", "functional": "正向", "dysfunctional": "反向"})
    df["正向"] = df["正向"].astype(str)  # "1".."5" read from a CSV as text
    out = kano(df, feature_col="功能", functional_col="正向", dysfunctional_col="反向")
    assert out["category"].tolist() == ["O", "M", "Q", "R"]


def test_bad_codes_are_reported():
    df = _survey()
    df.loc[0, "functional"] = 6
    with pytest.raises(DataValidationError, match=r"'functional'.*\[6\].*1 like"):
        kano(df)


def test_missing_column_suggests_name():
    df = _survey().rename(columns={"functional": "functionl"})
    with pytest.raises(ColumnNotFoundError, match="functional_col.*Did you mean 'functionl'"):
        kano(df)


def test_empty_survey():
    with pytest.raises(DataValidationError, match="no rows"):
        kano(_survey().iloc[:0])


# ------------------------------------------------------------------ planted truth
def test_recovers_every_planted_category(small_world):
    out = kano(small_world.survey_kano).set_index("feature")
    truth = small_world.truth.kano
    assert set(out.index) == set(truth)
    assert out["category"].to_dict() == truth
    # the coefficients point the same way as the categories
    for f, cat in truth.items():
        b, w = out.loc[f, "better"], -out.loc[f, "worse"]
        if cat == "A":
            assert b > 0.5 > w
        elif cat == "O":
            assert b > 0.5 and w > 0.5
        elif cat == "M":
            assert w > 0.5 > b
        elif cat == "I":
            assert b < 0.5 and w < 0.5
