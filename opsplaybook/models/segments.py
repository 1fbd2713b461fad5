"""Tiers and segment value: the value pyramid (用户分层, 金字塔模型) and segment assessment
(用户群价值评估: size, growth and mobility 规模的成长性和流动性, need frequency, purchasing power,
value share).

Tiering vs grouping: a *tier* model puts every user in exactly one level (:func:`tier_users`);
*groups* (tags, :func:`~opsplaybook.models.tags.tag_users`) may overlap.

>>> import pandas as pd
>>> f = pd.DataFrame({"user_id": range(1, 11), "monetary": [5000, 2000, 900, 800, 300, 200, 100, 50, 0, 0]})
>>> t = tier_users(f, shares={"vip": 0.1, "high": 0.2, "middle": 0.3, "base": 0.4}, lang="en")
>>> t.groupby("tier", sort=False).user_id.apply(list).to_dict()
{'vip': [1], 'high': [2, 3], 'middle': [4, 5, 6], 'base': [7, 8, 9, 10]}
>>> tier_summary(t, value_col="monetary")[["users", "value_share"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
        users  value_share
tier
vip         1        0.535
high        2        0.310
middle      3        0.139
base        4        0.016
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import DataValidationError, InvalidParameterError, check_lang
from ..labels import get_lang, label
from ._common import require_pandas_columns

__all__ = ["PYRAMID", "tier_users", "tier_summary", "SegmentAssessment", "segment_assessment"]

#: The default value pyramid, top to bottom: share of users per level (金字塔模型).
PYRAMID = {"vip": 0.05, "high": 0.15, "middle": 0.30, "base": 0.50}


def _tier_label(key: str, lang: str) -> str:
    return label(f"tier.{key}", lang, default=str(key))


def tier_users(features, *, by: str = "monetary", shares: dict | None = None, cuts=None,
               levels=None, user_col: str = "user_id", lang: str | None = None) -> pd.DataFrame:
    """Put every user in exactly one level of a tier model (用户分层), e.g. the value pyramid.

    Parameters
    ----------
    features : DataFrame
        One row per user (e.g. :func:`opsplaybook.user_features`).
    by : str, default "monetary"
        The value the levels rank (missing values count as 0).
    shares : dict, optional
        ``{level: share of users}``, top level first, shares adding up to 1 (default
        :data:`PYRAMID`: 5 % / 15 % / 30 % / 50 %). Users are ranked by ``by`` (largest first); users
        with equal values always share a level (the better one), so a level may hold a few users
        more than its share. Users whose value is 0 or less (never bought, all refunded) are always
        in the bottom level, however many they are: in a world where most sign-ups never buy, the
        base holds them all and the upper levels share the buyers by rank.
    cuts : list of numbers, optional
        Instead of shares: ascending boundaries of ``by`` between levels. With ``levels`` named
        bottom to top, a user is in level ``i`` when ``cuts[i-1] <= value < cuts[i]``
        (``len(levels) == len(cuts) + 1``), e.g. member levels 入门/初级/中级/高级 by points.
    levels : list of str, optional
        Level names bottom to top for ``cuts`` (default ``level_1`` …).
    user_col : str, default "user_id"
    lang : {"zh", "en"}, optional
        Language of ``tier_label`` (default: the current label language).

    Returns
    -------
    DataFrame
        ``user_col``, ``by``, ``tier`` (level key), ``tier_label``, ``tier_rank`` (0 = top level),
        in the order of ``features``; ``tier`` is ordered top level first.
    """
    lang = check_lang(lang or get_lang())
    df = as_pandas(features, param="features")
    require_pandas_columns(df, param="features", user_col=user_col, by=by)
    if not pd.api.types.is_numeric_dtype(df[by]):
        raise DataValidationError(f"Column {by!r} given as `by` holds {df[by].dtype}, not numbers; tiers rank numbers.")
    x = df[by].fillna(0).to_numpy(dtype=float)
    n = len(x)
    if shares is not None and cuts is not None:
        raise InvalidParameterError("Give `shares=` (a pyramid by share of users) or `cuts=` (boundaries of "
                                    f"`{by}`), not both.")
    if cuts is None:
        shares = dict(PYRAMID if shares is None else shares)
        if not shares or any(not isinstance(v, (int, float)) or v <= 0 for v in shares.values()):
            raise InvalidParameterError(f"`shares`={shares!r}: each level needs a share > 0, top level first, "
                                        "e.g. {'vip': 0.05, 'high': 0.15, 'middle': 0.3, 'base': 0.5}.")
        if abs(sum(shares.values()) - 1) > 1e-9:
            raise InvalidParameterError(f"`shares` add up to {sum(shares.values()):g}, not 1. Every user must be "
                                        "in exactly one level.")
        keys = list(shares)
        # rank 1 = largest value; ties share the best rank ("min"), so equal values share a level
        rank = pd.Series(-x).rank(method="min").to_numpy()
        bounds = np.round(np.cumsum([shares[k] for k in keys]) * n, 9)  # 0.1 + 0.2 is not 0.3 in floats
        idx = np.searchsorted(bounds, rank - 1, side="right")
        idx = np.minimum(idx, len(keys) - 1)
        idx[x <= 0] = len(keys) - 1  # no value: the base, never a tie that lifts them all up a level
        order = keys
    else:
        cuts = list(cuts)
        if not cuts or any(not isinstance(c, (int, float)) for c in cuts) or sorted(cuts) != cuts \
                or len(set(cuts)) != len(cuts):
            raise InvalidParameterError(f"`cuts`={cuts!r} must be ascending distinct numbers, e.g. [100, 1000, 5000].")
        levels = list(levels) if levels is not None else [f"level_{i + 1}" for i in range(len(cuts) + 1)]
        if len(levels) != len(cuts) + 1:
            raise InvalidParameterError(f"{len(cuts)} cuts make {len(cuts) + 1} levels, but `levels` names "
                                        f"{len(levels)}: {levels}.")
        bottom_up = np.searchsorted(np.asarray(cuts, dtype=float), x, side="right")
        order = levels[::-1]  # top level first
        idx = len(levels) - 1 - bottom_up
    tier = pd.Categorical.from_codes(idx, categories=order)
    return pd.DataFrame({user_col: df[user_col].to_numpy(), by: df[by].to_numpy(), "tier": tier,
                         "tier_label": [_tier_label(order[i], lang) for i in idx], "tier_rank": idx})


def tier_summary(tiers: pd.DataFrame, *, value_col: str | None = None) -> pd.DataFrame:
    """Per level of :func:`tier_users`: users, share of users, value, value share, value per user.

    ``value_col`` defaults to the ``by`` column ``tiers`` was made from (its second column).
    """
    value_col = value_col or tiers.columns[1]
    require_pandas_columns(tiers, param="tiers", value_col=value_col)
    g = tiers.assign(_v=tiers[value_col].fillna(0)).groupby("tier", observed=False, sort=True)
    out = pd.DataFrame({"label": g["tier_label"].first(), "users": g.size(), "value": g["_v"].sum()})
    out["share"] = out["users"] / out["users"].sum()
    total = out["value"].sum()
    out["value_share"] = out["value"] / total if total else 0.0
    out["value_per_user"] = out["value"] / out["users"].where(out["users"] > 0)
    return out[["label", "users", "share", "value", "value_share", "value_per_user"]]


@dataclass(frozen=True)
class SegmentAssessment:
    """What :func:`segment_assessment` found.

    Attributes
    ----------
    table : DataFrame
        Per segment (now): ``users``, ``share``, ``users_before``, ``growth`` (relative change of
        size), ``stay_rate`` (share of the segment's users before who are still in it), ``inflow``
        (users now who were elsewhere or new), ``need_volume`` (total of ``frequency_col``: orders),
        ``need_frequency`` (per user), ``purchasing_power`` (value per user), ``value``,
        ``value_share`` — sorted by value share.
    mobility : DataFrame
        The from → to matrix of users (rows: segment before, plus "(new)" for users who were not
        segmented; columns: segment now, plus "(gone)").
    """

    table: pd.DataFrame
    mobility: pd.DataFrame


NEW, GONE = "(new)", "(gone)"


def segment_assessment(before, after, *, segment_col: str = "segment", user_col: str = "user_id",
                       value_col: str = "monetary", frequency_col: str | None = "frequency") -> SegmentAssessment:
    """Assess segments for choosing where to invest (用户群价值评估和选择).

    Parameters
    ----------
    before, after : DataFrame
        Segment membership at two dates, one row per user (e.g. ``rfm(orders, as_of=d1)`` and
        ``rfm(orders, as_of=d2)``, or personas at two dates). ``after`` also gives the value and
        frequency of each user.
    segment_col, user_col : str
        Column names.
    value_col : str, default "monetary"
        The value each user brings (purchasing power = its mean per segment; value share = its sum).
    frequency_col : str or None, default "frequency"
        Purchases per user (need volume = its sum, need frequency = its mean); None to skip.

    Returns
    -------
    SegmentAssessment
        ``.table`` and ``.mobility`` (规模的成长性和流动性).
    """
    b = as_pandas(before, param="before")
    a = as_pandas(after, param="after")
    require_pandas_columns(b, param="before", user_col=user_col, segment_col=segment_col)
    require_pandas_columns(a, param="after", user_col=user_col, segment_col=segment_col, value_col=value_col,
                           frequency_col=frequency_col)
    for name, d in (("before", b), ("after", a)):
        dup = d[user_col].duplicated()
        if dup.any():
            raise DataValidationError(f"`{name}` has {int(dup.sum())} repeated user(s) (e.g. "
                                      f"{d.loc[dup, user_col].iloc[0]!r}); give one row per user.")
    seg_b = b.set_index(user_col)[segment_col].astype(str)
    seg_a = a.set_index(user_col)[segment_col].astype(str)
    both = pd.DataFrame({"from": seg_b, "to": seg_a})
    both["from"] = both["from"].fillna(NEW)
    both["to"] = both["to"].fillna(GONE)
    mobility = pd.crosstab(both["from"], both["to"])
    rows = [s for s in mobility.index if s != NEW] + ([NEW] if NEW in mobility.index else [])
    cols = [s for s in mobility.columns if s != GONE] + ([GONE] if GONE in mobility.columns else [])
    mobility = mobility.loc[rows, cols]
    mobility.index.name, mobility.columns.name = "before", "after"

    g = a.assign(_v=a[value_col].fillna(0)).groupby(segment_col, sort=False)
    t = pd.DataFrame({"users": g.size(), "value": g["_v"].sum()})
    t.index = t.index.astype(str)
    t["share"] = t["users"] / t["users"].sum()
    size_b = seg_b.value_counts()
    t["users_before"] = size_b.reindex(t.index).fillna(0).astype(int)
    t["growth"] = (t["users"] / t["users_before"].where(t["users_before"] > 0)) - 1
    stayed = pd.Series({s: int(mobility.at[s, s]) if s in mobility.index and s in mobility.columns else 0
                        for s in t.index})
    t["stay_rate"] = stayed / t["users_before"].where(t["users_before"] > 0)
    t["inflow"] = t["users"] - stayed
    if frequency_col is not None:
        f = a.groupby(segment_col, sort=False)[frequency_col].sum()
        f.index = f.index.astype(str)
        t["need_volume"] = f
        t["need_frequency"] = t["need_volume"] / t["users"]
    t["purchasing_power"] = t["value"] / t["users"]
    total = t["value"].sum()
    t["value_share"] = t["value"] / total if total else 0.0
    t.index.name = segment_col
    cols = ["users", "share", "users_before", "growth", "stay_rate", "inflow"] + \
        (["need_volume", "need_frequency"] if frequency_col is not None else []) + \
        ["purchasing_power", "value", "value_share"]
    return SegmentAssessment(t[cols].sort_values("value_share", ascending=False), mobility)
