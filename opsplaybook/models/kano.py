"""KANO model (KANO模型): classify features from paired functional/dysfunctional questions.

Each respondent answers two questions per feature: "if the product HAS this feature" (正向问题,
``functional``) and "if it does NOT have it" (反向问题, ``dysfunctional``), on the 5-point scale
1 = 喜欢 like, 2 = 理应如此 must-be, 3 = 无所谓 neutral, 4 = 能忍受 live with, 5 = 不喜欢 dislike.
The pair is looked up in the KANO evaluation table (:data:`KANO_TABLE`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import DataValidationError
from ._common import require_pandas_columns

__all__ = ["kano", "KANO_TABLE", "KANO_CATEGORIES", "kano_category"]

#: Category codes in the order of the output columns, and the order that breaks ties in the
#: majority vote (Berger et al. 1993: when two categories are equally frequent, pick the one with
#: the larger effect on the product: Must-be > One-dimensional > Attractive > Indifferent).
KANO_CATEGORIES = ("M", "O", "A", "I", "R", "Q")

#: The standard KANO evaluation table: ``KANO_TABLE[functional - 1][dysfunctional - 1]``.
#: Rows: functional answer 1..5; columns: dysfunctional answer 1..5
#: (1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike).
KANO_TABLE = (
    # dys: 1    2    3    4    5
    ("Q", "A", "A", "A", "O"),  # functional 1 like
    ("R", "I", "I", "I", "M"),  # functional 2 must-be
    ("R", "I", "I", "I", "M"),  # functional 3 neutral
    ("R", "I", "I", "I", "M"),  # functional 4 live with
    ("R", "R", "R", "R", "Q"),  # functional 5 dislike
)


def kano_category(functional: int, dysfunctional: int) -> str:
    """The KANO category letter of one answer pair (codes 1..5), from :data:`KANO_TABLE`.

    >>> kano_category(1, 5), kano_category(1, 3), kano_category(3, 5), kano_category(3, 3)
    ('O', 'A', 'M', 'I')
    """
    for name, v in (("functional", functional), ("dysfunctional", dysfunctional)):
        if v not in (1, 2, 3, 4, 5):
            raise DataValidationError(
                f"`{name}` answer {v!r} is not a KANO answer code. Allowed: 1 like, 2 must-be, "
                "3 neutral, 4 live with, 5 dislike."
            )
    return KANO_TABLE[functional - 1][dysfunctional - 1]


def _codes(series: pd.Series, param: str, col: str) -> np.ndarray:
    values = pd.to_numeric(series, errors="coerce")
    bad = series[values.isna() | ~values.isin([1, 2, 3, 4, 5])]
    if len(bad):
        shown = list(pd.unique(bad.astype(object)))[:5]
        raise DataValidationError(
            f"Column {col!r} (`{param}`) holds values that are not KANO answer codes: {shown} "
            f"({len(bad)} rows). Allowed: 1 like (喜欢), 2 must-be (理应如此), 3 neutral (无所谓), "
            "4 live with (能忍受), 5 dislike (不喜欢). Recode text answers to these numbers first."
        )
    return values.to_numpy(dtype=int)


def kano(
    survey,
    *,
    # columns
    feature_col: str = "feature",
    functional_col: str = "functional",
    dysfunctional_col: str = "dysfunctional",
) -> pd.DataFrame:
    """Classify each feature with the KANO model and compute its Better/Worse coefficients.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent and feature, with the answers to the functional (正向) and
        dysfunctional (反向) question as codes 1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike.
    feature_col, functional_col, dysfunctional_col : str
        Column names (defaults match the synthetic world's ``survey_kano``).

    Returns
    -------
    DataFrame
        One row per feature (in order of first appearance) with columns ``feature``, the counts
        ``A``, ``O``, ``M``, ``I``, ``R``, ``Q``, ``n`` (answers), ``category`` (the majority
        letter), ``category_share`` (its share of ``n``), ``better`` and ``worse``.

    Notes
    -----
    Each answer pair is mapped through the standard KANO evaluation table (:data:`KANO_TABLE`):
    functional *like* with dysfunctional *dislike* is One-dimensional (O, 期望属性); *like* with
    must-be/neutral/live-with is Attractive (A, 魅力属性); must-be/neutral/live-with with *dislike*
    is Must-be (M, 必备属性); the middle 3×3 block is Indifferent (I, 无差异属性); functional
    *dislike* or dysfunctional *like* is Reverse (R, 反向属性), and *like/like* or
    *dislike/dislike* is Questionable (Q, 可疑结果).

    The category is the most frequent of the six. Ties are broken in the order
    M > O > A > I > R > Q (Berger et al., 1993: prefer the category that matters most to the
    product).

    Better (satisfaction coefficient, 满意系数) and Worse (dissatisfaction coefficient, 不满意系数)
    follow Timko (1993)::

        Better = (A + O) / (A + O + M + I)
        Worse  = -(O + M) / (A + O + M + I)

    R and Q answers are left out of both; a feature with no A/O/M/I answer gets NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"feature": ["x"] * 4, "functional": [1, 1, 1, 3],
    ...                   "dysfunctional": [5, 5, 3, 3]})
    >>> kano(s)[["feature", "A", "O", "I", "category", "better", "worse"]]
      feature  A  O  I category  better  worse
    0       x  1  2  1        O    0.75   -0.5
    """
    df = as_pandas(survey, param="survey")
    require_pandas_columns(df, param="survey", feature_col=feature_col, functional_col=functional_col,
                           dysfunctional_col=dysfunctional_col)
    if df[feature_col].isna().any():
        raise DataValidationError(
            f"Column {feature_col!r} (`feature_col`) has {int(df[feature_col].isna().sum())} empty "
            "values; every answer must name its feature."
        )
    f = _codes(df[functional_col], "functional_col", functional_col)
    d = _codes(df[dysfunctional_col], "dysfunctional_col", dysfunctional_col)
    table = np.array(KANO_TABLE)
    cats = pd.Categorical(table[f - 1, d - 1], categories=list("AOMIRQ"))
    counts = (
        pd.crosstab(pd.Categorical(df[feature_col], categories=pd.unique(df[feature_col])), cats,
                    dropna=False)
        .reindex(columns=list("AOMIRQ"), fill_value=0)
        .astype("int64")
    )
    counts.index.name = None
    counts.columns.name = None
    out = counts.reset_index(names="feature")
    out["feature"] = out["feature"].astype(object)
    out["n"] = counts.sum(axis=1).to_numpy()
    # majority with the documented tie order M > O > A > I > R > Q
    ordered = counts[list(KANO_CATEGORIES)].to_numpy()
    out["category"] = [KANO_CATEGORIES[int(np.argmax(row))] for row in ordered]  # argmax: first max
    out["category_share"] = ordered.max(axis=1) / out["n"].to_numpy()
    base = (counts["A"] + counts["O"] + counts["M"] + counts["I"]).to_numpy().astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["better"] = np.where(base > 0, (counts["A"] + counts["O"]).to_numpy() / base, np.nan)
        out["worse"] = np.where(base > 0, -(counts["O"] + counts["M"]).to_numpy() / base, np.nan)
    return out
