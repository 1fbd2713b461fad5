"""Fast vectorised draws for the generator: Walker alias tables and code → text columns."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


class Alias:
    """Walker's alias table: O(1) draws from a fixed discrete distribution (much faster than
    ``Generator.choice(p=...)``, which rebuilds the CDF and binary-searches on every call).

    Examples
    --------
    >>> import numpy as np
    >>> a = Alias([0.2, 0.8])
    >>> x = a.draw(np.random.default_rng(0), 100_000)
    >>> round(float((x == 1).mean()), 2)
    0.8
    """

    def __init__(self, p):
        p = np.asarray(p, dtype=float)
        k = len(p)
        scaled = p / p.sum() * k
        prob, alias = np.ones(k), np.arange(k)
        small = [i for i in range(k) if scaled[i] < 1.0]
        large = [i for i in range(k) if scaled[i] >= 1.0]
        while small and large:
            s_i, l_i = small.pop(), large.pop()
            prob[s_i], alias[s_i] = scaled[s_i], l_i
            scaled[l_i] -= 1.0 - scaled[s_i]
            (small if scaled[l_i] < 1.0 else large).append(l_i)
        self.k, self.prob, self.alias = k, prob, alias

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        i = rng.integers(0, self.k, n)
        return np.where(rng.random(n) < self.prob[i], i, self.alias[i])


class GroupAlias:
    """One alias table per row of a (G, k) probability table: ``draw(rng, group)`` draws row
    ``group[i]``'s distribution for each i, in O(1) per draw."""

    def __init__(self, table):
        rows = [Alias(r) if np.asarray(r).sum() > 0 else Alias(np.ones(len(r))) for r in np.asarray(table, float)]
        self.k = np.asarray(table).shape[1]
        self.prob = np.stack([a.prob for a in rows])
        self.alias = np.stack([a.alias for a in rows])

    def draw(self, rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
        n = len(group)
        i = rng.integers(0, self.k, n)
        return np.where(rng.random(n) < self.prob[group, i], i, self.alias[group, i])


def str_col(codes: np.ndarray, labels, mask: np.ndarray | None = None) -> pd.Series:
    """Codes into a pandas string column, via Arrow dictionary decoding (fast for millions of rows)."""
    idx = pa.array(np.asarray(codes, dtype=np.int32), mask=mask)
    return pa.array(list(labels), type=pa.large_string()).take(idx).to_pandas()


def grouped_cumsum(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``values`` restarting at each new value of the (sorted) ``groups``.

    >>> grouped_cumsum(np.array([1, 2, 3, 4]), np.array([0, 0, 1, 1])).tolist()
    [1, 3, 3, 7]
    """
    cs = np.cumsum(values)
    starts = np.r_[True, groups[1:] != groups[:-1]]
    first_idx = np.flatnonzero(starts)
    offsets = np.repeat(cs[first_idx] - values[first_idx], np.diff(np.r_[first_idx, len(values)]))
    return cs - offsets
