"""The three questionnaires a sample of real users answers: KANO, Van Westendorp price, preference.

The generator plants the truth here: each KANO feature's category (answers follow the category's
answer pairs 68 % of the time, random pairs otherwise), the population's acceptable price range
(Van Westendorp points of a 400 000-answer sample of the same distribution the respondents follow),
and each persona's preference weights (``intent`` is a noisy weighted sum of the five scores).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import locales as L
from .personas import PREF_DIMENSIONS
from .sampling import str_col

if TYPE_CHECKING:
    from .generator import Plan

SURVEY_RESPONDENTS = 600  # target number of survey respondents in a world
KANO_CONSISTENCY = 0.68  # share of answers that follow the feature's true category

# KANO evaluation table (Berger et al. 1993): rows = functional answer 1..5 (like … dislike),
# columns = dysfunctional answer 1..5. The generator draws a feature's answers from the pairs of
# its true category; analyses decode them with :mod:`opsplaybook.models.kano`.
KANO_TABLE = np.array([
    list("QAAAO"),
    list("RIIIM"),
    list("RIIIM"),
    list("RIIIM"),
    list("RRRRQ"),
])
_KANO_PAIRS = {c: np.argwhere(KANO_TABLE == c) + 1 for c in "AOMIRQ"}


def price_answers(plan: Plan, rng: np.random.Generator, n: int, persona: np.ndarray | None = None):
    """Four Van Westendorp answers (yuan, whole numbers) for ``n`` respondents of the given personas
    (default: drawn from the real personas' shares)."""
    if persona is None:
        shares = plan.pp["share"].copy()
        shares[plan.persona_keys.index("fake")] = 0
        persona = rng.choice(len(shares), size=n, p=shares / shares.sum())
    price = plan.cfg["price"]
    ref = price["reference"] * plan.pp["price_ref"][persona] * np.exp(rng.normal(0, price["sigma"], n))
    too_cheap = ref * rng.uniform(0.30, 0.55, n)
    cheap = ref * rng.uniform(0.65, 0.90, n)
    expensive = ref * rng.uniform(1.10, 1.45, n)
    too_expensive = expensive * rng.uniform(1.15, 1.60, n)
    return [np.round(a) for a in (too_cheap, cheap, expensive, too_expensive)]


def price_truth(plan: Plan, rng: np.random.Generator) -> dict:
    """The population's Van Westendorp points, from a large sample of the respondents' distribution.

    Convention (Van Westendorp 1976, as used by most tools): "too cheap" and "cheap" are cumulated
    downwards (share who find price p too cheap = P(too_cheap >= p)), "expensive" and "too expensive"
    upwards. PMC = "too cheap" x "not cheap" (1 - cheap); PME = "too expensive" x "not expensive"
    (1 - expensive); OPP = "too cheap" x "too expensive"; IPP = "cheap" x "expensive".
    """
    return van_westendorp_points(*price_answers(plan, rng, 400_000))


def van_westendorp_points(too_cheap, cheap, expensive, too_expensive) -> dict:
    """PMC, PME, OPP and IPP (yuan) of four answer arrays, under the convention of :func:`price_truth`."""
    arrays = [np.sort(np.asarray(a, float)) for a in (too_cheap, cheap, expensive, too_expensive)]
    lo, hi = min(a[0] for a in arrays), max(a[-1] for a in arrays)
    grid = np.linspace(lo, hi, 4001)
    n = len(arrays[0])
    tc = 1 - np.searchsorted(arrays[0], grid, side="left") / n  # share with too_cheap >= p
    ch = 1 - np.searchsorted(arrays[1], grid, side="left") / n
    ex = np.searchsorted(arrays[2], grid, side="right") / n  # share with expensive <= p
    te = np.searchsorted(arrays[3], grid, side="right") / n

    def cross(a, b):
        d = a - b
        i = int(np.argmax(np.sign(d) != np.sign(d[0])))
        if i == 0:
            return float("nan")
        x0, x1, d0, d1 = grid[i - 1], grid[i], d[i - 1], d[i]
        return float(x0 + (x1 - x0) * d0 / (d0 - d1)) if d0 != d1 else float(x1)

    return {"pmc": cross(tc, 1 - ch), "pme": cross(te, 1 - ex), "opp": cross(tc, te), "ipp": cross(ch, ex)}


def make_surveys(plan: Plan, rng: np.random.Generator, *, persona: np.ndarray, is_fake: np.ndarray,
                 uid: np.ndarray, respondent_offset: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The chunk's ``survey_kano``, ``survey_price`` and ``survey_preference`` tables (the same
    respondents answer all three; fake accounts never answer)."""
    loc, cfg, n = plan.locale, plan.cfg, len(uid)
    q = min(1.0, SURVEY_RESPONDENTS / plan.n_users)
    resp = np.flatnonzero((rng.random(n) < q) & ~is_fake)
    nr = len(resp)
    rid = respondent_offset + np.arange(1, nr + 1, dtype=np.int64)
    feats = cfg["kano"]
    nfeat = len(feats)
    ans = np.empty((nr, nfeat, 2), np.int64)
    consistent = rng.random((nr, nfeat)) < KANO_CONSISTENCY
    rand_pairs = rng.integers(1, 6, (nr, nfeat, 2))
    for j, (_, c) in enumerate(feats):
        pairs = _KANO_PAIRS[c]
        canon = pairs[rng.integers(0, len(pairs), nr)]
        ans[:, j, :] = np.where(consistent[:, j, None], canon, rand_pairs[:, j, :])
    kano = pd.DataFrame({
        "respondent_id": np.repeat(rid, nfeat),
        "user_id": np.repeat(uid[resp], nfeat),
        "feature": str_col(np.tile(np.arange(nfeat), nr), [L.pick(f, loc) for f, _ in feats]),
        "functional": ans[:, :, 0].ravel(),
        "dysfunctional": ans[:, :, 1].ravel(),
    })
    tc, ch, ex, te = price_answers(plan, rng, nr, persona=persona[resp])
    price = pd.DataFrame({"respondent_id": rid, "user_id": uid[resp], "too_cheap": tc, "cheap": ch,
                          "expensive": ex, "too_expensive": te})
    scores = rng.integers(1, 8, (nr, len(PREF_DIMENSIONS)))
    w = plan.pp["pref"][persona[resp]]
    intent = np.clip(np.round(5 + 1.6 * ((scores - 4) * w).sum(axis=1) * 2 + rng.normal(0, 0.6, nr)), 0, 10)
    preference = pd.DataFrame({"respondent_id": rid, "user_id": uid[resp],
                               **{d: scores[:, k].astype(np.int64) for k, d in enumerate(PREF_DIMENSIONS)},
                               "intent": intent.astype(np.int64)})
    return kano, price, preference
