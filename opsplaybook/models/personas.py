"""Clustering users into groups and reading them as personas (用户群的聚合 → 用户画像).

:func:`find_personas` groups users by behaviour with k-means on log-scaled, standardised features;
:func:`persona_cards` describes each group (size, demographics, behaviour, value, top channel) and
suggests a name and a strategy from the catalog.

The lesson of the method: users who did too little cannot be told apart by behaviour. Users with
fewer than ``min_orders`` orders get their own group, "not enough data yet" (数据不足), instead of a
guessed persona; suspected fake sign-ups (``fake=``) may get a group of their own too.

Cost: k-means is fitted on a random sample of at most ``sample_size`` users (default 20 000) for
every k tried, the silhouette is computed on at most ``silhouette_sample`` of them, and then every
user is assigned to the nearest centre — so past the sample size the cost grows linearly with the
number of users (one distance computation per user and centre).

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> n = 300
>>> f = pd.DataFrame({"user_id": range(n),
...                   "frequency": np.r_[rng.poisson(12, 100) + 3, rng.poisson(3, 100) + 3, rng.poisson(1, 100)],
...                   "monetary": np.r_[rng.gamma(9, 300, 100), rng.gamma(4, 40, 100), rng.gamma(1, 30, 100)],
...                   "coupon_share": np.r_[rng.uniform(0, .2, 100), rng.uniform(.6, 1, 100), rng.uniform(0, 1, 100)]})
>>> p = find_personas(f, k=2, columns=["frequency", "monetary", "coupon_share"])
>>> p.k, int((p.groups["group"] == -1).sum()) == int((f["frequency"] < 3).sum())
(2, True)
>>> cards = persona_cards(f, p, lang="en")
>>> sorted(cards["name"])  # doctest: +NORMALIZE_WHITESPACE
['Loyal high-value', 'Not enough data yet', 'Price-sensitive']
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import ColumnNotFoundError, DataValidationError, InvalidParameterError, check_lang, did_you_mean
from ..labels import label

__all__ = ["PERSONA_COLUMNS", "PersonaResult", "find_personas", "persona_cards", "event_mix", "NOT_ENOUGH_DATA",
           "SUSPECTED_FAKE"]

#: The behaviour columns clustered by default (those present in the features are used).
PERSONA_COLUMNS = ("frequency", "monetary", "aov", "sessions", "active_days", "night_share", "coupon_share",
                   "promo_share")
#: Prefix of the behaviour-mix columns of :func:`event_mix`; find_personas clusters them by default.
MIX_PREFIX = "per_visit_"
#: Group number of users with too little history (数据不足).
NOT_ENOUGH_DATA = -1
#: Group number of suspected fake sign-ups (疑似虚假注册).
SUSPECTED_FAKE = -2


def event_mix(data=None, *, events=None, user_col: str = "user_id", event_col: str = "event",
              visit_event: str = "visit", per: float = 10.0) -> pd.DataFrame:
    """Each user's behaviour mix (行为结构): events of each type per ``per`` visits.

    What users *do* on a visit (view, add to cart, claim coupons, share, invite …) tells personas
    apart far better than how much they bought: on the demo world, k-means on this mix recovers the
    planted personas among users with ≥ 3 orders (adjusted Rand index 0.7-0.8), where order counts
    and amounts alone reach about 0.2. Join it to :func:`opsplaybook.user_features` and
    :func:`find_personas` clusters its columns by default.

    Parameters
    ----------
    data : World or dict, optional
        A world or ``{"events": ...}``.
    events : frame, optional
        The event log (pandas, Polars, DuckDB, PySpark: the counting runs on its engine through
        narwhals; only the user × event-type table comes back).
    user_col, event_col : str
        Column names.
    visit_event : str, default "visit"
        The event that starts a visit (the denominator); users without one get missing values.
    per : float, default 10
        Events per this many visits.

    Returns
    -------
    DataFrame
        ``user_col`` and one column ``per_visit_<event>`` per event type (other than ``visit_event``).

    Examples
    --------
    >>> ev = pd.DataFrame({"user_id": [1, 1, 1, 1, 2, 2], "event": ["visit", "view", "view", "visit", "visit", "cart"]})
    >>> event_mix(events=ev)
       user_id  per_visit_cart  per_visit_view
    0        1             0.0            10.0
    1        2            10.0             0.0
    """
    import narwhals as nw

    if events is None:
        events = data.get("events") if isinstance(data, dict) else getattr(data, "events", None)
    if events is None:
        raise InvalidParameterError("event_mix needs `events=` (or a world / dict with 'events' as `data`).")
    frame = nw.from_native(events)
    for name, col in (("user_col", user_col), ("event_col", event_col)):
        if col not in frame.columns:
            raise ColumnNotFoundError(f"Column {col!r} given as `{name}` is not in the events. "
                                      f"Columns: {list(frame.columns)}." + did_you_mean(col, frame.columns))
    counts = frame.group_by([user_col, event_col]).agg(nw.len().alias("n"))
    if isinstance(counts, nw.LazyFrame):
        counts = counts.collect()
    counts = counts.to_pandas()
    wide = counts.pivot_table(index=user_col, columns=event_col, values="n", aggfunc="sum", fill_value=0)
    if visit_event not in wide.columns:
        raise InvalidParameterError(f"`visit_event`={visit_event!r} is not an event type of the log. "
                                    f"Types: {sorted(map(str, wide.columns))}." + did_you_mean(visit_event, wide.columns))
    visits = wide[visit_event].where(wide[visit_event] > 0)
    mix = (per * wide.drop(columns=visit_event).div(visits, axis=0)).astype(float)
    mix = mix[sorted(mix.columns, key=str)]
    mix.columns = [f"{MIX_PREFIX}{c}" for c in mix.columns]
    mix.columns.name = None
    return mix.reset_index()


def _require_sklearn():
    try:
        import sklearn  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("find_personas needs scikit-learn: pip install scikit-learn") from None


@dataclass
class PersonaResult:
    """The groups found by :func:`find_personas`.

    Attributes
    ----------
    groups : DataFrame
        One row per user: ``user_col`` and ``group`` (0 … k-1 for clusters, numbered by the sum of
        the standardised centre, largest first — group 0 is the most active on the clustered columns;
        :data:`NOT_ENOUGH_DATA` = -1, :data:`SUSPECTED_FAKE` = -2).
    k : int
        Number of clusters.
    silhouette : dict
        k → mean silhouette on the sample, for every k tried (only the chosen k when ``k`` was given).
    columns : list of str
        The clustered columns.
    centers : DataFrame
        Cluster centres back in the original units (one row per cluster).
    model, scaler
        The fitted scikit-learn KMeans and StandardScaler (on ``log1p`` of the columns).
    """

    groups: pd.DataFrame
    k: int
    silhouette: dict
    columns: list
    centers: pd.DataFrame
    model: object = field(repr=False)
    scaler: object = field(repr=False)
    user_col: str = "user_id"
    _scaled: np.ndarray | None = field(default=None, repr=False)

    def transform(self, features) -> np.ndarray:
        """The scaled matrix the model sees for these features (log1p, then standardised)."""
        df = as_pandas(features, param="features")
        return self.scaler.transform(_log_matrix(df, self.columns))

    def assign(self, features) -> np.ndarray:
        """Cluster numbers of new users (nearest centre), without the history rules."""
        return self.model.predict(self.transform(features))

    def map(self, *, components: int = 2, random_state: int = 0) -> pd.DataFrame:
        """A 2-D map of the clustered users: the first principal components of the scaled features.

        Returns ``user_col``, ``x``, ``y``, ``group`` for users in clusters (not the -1/-2 groups),
        with the explained variance in ``.attrs["explained"]``.
        """
        from sklearn.decomposition import PCA

        clustered = self.groups[self.groups["group"] >= 0]
        X = self._scaled
        pca = PCA(n_components=components, random_state=random_state).fit(X)
        xy = pca.transform(X)
        out = pd.DataFrame({self.user_col: clustered[self.user_col].to_numpy(), "x": xy[:, 0], "y": xy[:, 1],
                            "group": clustered["group"].to_numpy()})
        out.attrs["explained"] = pca.explained_variance_ratio_.tolist()
        return out


def _log_matrix(df: pd.DataFrame, columns) -> np.ndarray:
    X = df[list(columns)].to_numpy(dtype=float, na_value=np.nan)
    X = np.where(np.isnan(X), 0.0, X)
    return np.log1p(np.clip(X, 0.0, None))


def _mask(df: pd.DataFrame, value, name: str) -> np.ndarray:
    if isinstance(value, str):
        if value not in df.columns:
            raise ColumnNotFoundError(f"`{name}`={value!r} is not a column of the features. "
                                      f"Columns: {list(df.columns)}." + did_you_mean(value, df.columns))
        value = df[value]
    arr = np.asarray(value)
    if arr.shape != (len(df),):
        raise InvalidParameterError(f"`{name}` must be a column name or one boolean per user ({len(df)}), "
                                    f"got shape {arr.shape}.")
    return np.asarray(pd.Series(arr).fillna(False), dtype=bool)


def find_personas(features, *, k: int | None = None, columns=None, min_orders: int = 3, fake=None,
                  random_state: int = 0, k_range=range(3, 9), user_col: str = "user_id",
                  frequency_col: str = "frequency", sample_size: int = 20_000,
                  silhouette_sample: int = 4_000, n_init: int = 4, threads: int | None = 1) -> PersonaResult:
    """Group users by behaviour (用户群的聚合) with k-means on log-scaled, standardised features.

    Parameters
    ----------
    features : DataFrame
        One row per user (:func:`opsplaybook.user_features`), any frame kind.
    k : int, optional
        Number of clusters. Default: the k of ``k_range`` with the highest mean silhouette
        coefficient (轮廓系数: how much closer a user is to its own cluster than to the next one,
        from -1 to 1), computed on a sample of ``silhouette_sample`` users.
    columns : sequence of str, optional
        Behaviour columns to cluster; default those of :data:`PERSONA_COLUMNS` present plus the
        behaviour-mix columns of :func:`event_mix` (``per_visit_…``) when joined. Each is
        ``log1p``-transformed (missing → 0) and standardised.
    min_orders : int, default 3
        Users with fewer orders (``frequency_col``) are not clustered: they get group -1,
        "not enough data yet" (数据不足). 0 clusters everyone.
    fake : str or array of bool, optional
        A column (e.g. a tag of :func:`tag_users`) or one boolean per user marking suspected fake
        sign-ups; they get group -2 and are left out of the fit.
    random_state : int, default 0
        Seed of the sample and of k-means: the same groups every run.
    k_range : iterable of int, default range(3, 9)
        The k tried when ``k`` is not given.
    user_col, frequency_col : str
        Column names (the world's by default).
    sample_size : int, default 20000
        k-means is fitted on at most this many users, then every user is assigned to the nearest
        centre (sample-then-assign: linear in users beyond the sample).
    silhouette_sample : int, default 4000
        Users the silhouette is computed on (its cost is quadratic in this number).
    n_init : int, default 4
        k-means restarts per k (the best inertia is kept).
    threads : int or None, default 1
        Threads scikit-learn's k-means may use (``threadpoolctl``); None: its default (all cores).
        One thread is the default because on ≤ 20 000 sampled users the threads cost more than they
        gain, and on a shared machine (a classroom server) they slow k-means down many times over
        (measured here: 4.4 s with all threads vs 0.06 s with one, on 1 000 users).

    Returns
    -------
    PersonaResult
        ``.groups`` (user → group), ``.k``, ``.silhouette``, ``.centers``, ``.map()``, the model.

    Raises
    ------
    ColumnNotFoundError
        A named column is missing (closest suggested).
    InvalidParameterError
        ``k`` below 2 or more than the users to cluster, an empty ``k_range``, a negative ``min_orders``.
    DataValidationError
        Fewer users with enough history than clusters.
    """
    _require_sklearn()
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    df = as_pandas(features, param="features")
    if columns is None:
        columns = [c for c in PERSONA_COLUMNS if c in df.columns] + [c for c in df.columns if str(c).startswith(MIX_PREFIX)]
        if not columns:
            raise ColumnNotFoundError(f"The features have none of the default behaviour columns {list(PERSONA_COLUMNS)}; "
                                      f"pass `columns=`. Columns: {list(df.columns)}.")
    columns = list(columns)
    for name, col in [("user_col", user_col)] + ([("frequency_col", frequency_col)] if min_orders else []) + \
            [("columns", c) for c in columns]:
        if col not in df.columns:
            raise ColumnNotFoundError(f"Column {col!r} given in `{name}` is not in the features. "
                                      f"Columns: {list(df.columns)}." + did_you_mean(col, df.columns))
    for c in columns:
        if not pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c]):
            raise InvalidParameterError(f"Column {c!r} in `columns` holds {df[c].dtype}; clustering needs numbers. "
                                        "Leave text columns such as city_tier to persona_cards.")
    if not isinstance(min_orders, (int, np.integer)) or isinstance(min_orders, bool) or min_orders < 0:
        raise InvalidParameterError(f"`min_orders`={min_orders!r} must be a whole number ≥ 0 (e.g. 3).")
    ks = [int(k)] if k is not None else sorted({int(x) for x in k_range})
    if not ks:
        raise InvalidParameterError("`k_range` is empty; give e.g. range(3, 9) or a fixed `k=`.")
    if min(ks) < 2:
        raise InvalidParameterError(f"`k`={min(ks)} must be at least 2 clusters (k_range={list(ks)}).")

    n = len(df)
    group = np.full(n, NOT_ENOUGH_DATA, dtype=np.int64)
    enough = np.ones(n, dtype=bool)
    if min_orders:
        freq = df[frequency_col].to_numpy(dtype=float, na_value=0.0)
        enough = freq >= min_orders
    is_fake = _mask(df, fake, "fake") if fake is not None else np.zeros(n, dtype=bool)
    group[is_fake] = SUSPECTED_FAKE
    use = enough & ~is_fake
    m = int(use.sum())
    if m < max(ks):
        if k is not None or m < min(ks):
            raise DataValidationError(f"Only {m} users have at least {min_orders} orders (`min_orders`) and are not "
                                      f"marked fake, too few for {max(ks) if k is not None else min(ks)} clusters. "
                                      "Lower `min_orders` or `k`.")
        ks = [x for x in ks if x <= m]

    raw = _log_matrix(df.loc[use], columns)
    scaler = StandardScaler().fit(raw)
    Z = scaler.transform(raw)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads):
        return _fit(df, Z, use, m, ks, k, group, scaler, columns, user_col, random_state, sample_size,
                    silhouette_sample, n_init, KMeans, silhouette_score)


def _fit(df, Z, use, m, ks, k, group, scaler, columns, user_col, random_state, sample_size, silhouette_sample,
         n_init, KMeans, silhouette_score) -> PersonaResult:
    rng = np.random.default_rng(random_state)
    fit_idx = rng.choice(m, size=sample_size, replace=False) if m > sample_size else np.arange(m)
    Zfit = Z[fit_idx]
    sil_idx = rng.choice(len(Zfit), size=silhouette_sample, replace=False) if len(Zfit) > silhouette_sample \
        else np.arange(len(Zfit))
    scores: dict[int, float] = {}
    best = None
    for kk in ks:
        km = KMeans(n_clusters=kk, n_init=n_init, random_state=random_state).fit(Zfit)
        if len(ks) > 1:
            lab = km.labels_[sil_idx]
            s = float(silhouette_score(Zfit[sil_idx], lab)) if len(np.unique(lab)) > 1 else -1.0
        else:
            lab = km.labels_[sil_idx]
            s = float(silhouette_score(Zfit[sil_idx], lab)) if 1 < len(np.unique(lab)) < len(sil_idx) else float("nan")
        scores[kk] = s
        if best is None or s > scores[best[0]]:
            best = (kk, km)
    k_best, km = best
    # Number the clusters by the sum of their standardised centre, largest first: group 0 is the most
    # active / valuable one on the clustered columns, and the numbers do not depend on k-means' order.
    labels = km.predict(Z)
    order = np.argsort(-km.cluster_centers_.sum(axis=1), kind="stable")
    remap = np.empty(k_best, dtype=np.int64)
    remap[order] = np.arange(k_best)
    group[use] = remap[labels]
    centers_log = scaler.inverse_transform(km.cluster_centers_[order])
    centers = pd.DataFrame(np.expm1(centers_log), columns=columns, index=pd.RangeIndex(k_best, name="group"))
    groups = pd.DataFrame({user_col: df[user_col].to_numpy(), "group": group})
    return PersonaResult(groups=groups, k=k_best, silhouette=scores, columns=columns, centers=centers,
                         model=km, scaler=scaler, user_col=user_col, _scaled=Z)


def _mode(s: pd.Series):
    s = s.dropna()
    if s.empty:
        return None, np.nan
    vc = s.astype(str).value_counts()
    top = vc.sort_index().sort_values(ascending=False, kind="stable")
    return top.index[0], float(top.iloc[0] / len(s))


def _name(row: dict, overall: dict) -> tuple[str, str]:
    """(name key, strategy key) for a cluster from its profile relative to all clustered users."""
    def ratio(col):
        o = overall.get(col)
        v = row.get(col)
        if o is None or v is None or not np.isfinite(v) or not o:
            return 1.0
        return float(v) / float(o)

    if ratio("arpu") >= 1.5 and ratio("frequency") >= 1.1:
        return "loyal", "upgrade"
    # the most valuable cluster, when it is most of the clustered users (so cannot stand out from them),
    # is still the loyal core if it spends twice what an average user of the whole base does
    if row["_top_value"] and row["arpu"] >= 2 * overall["_all_arpu"] and ratio("frequency") >= 1.0:
        return "loyal", "upgrade"
    # The price and the novelty profiles compete: the stronger deviation (relative to its threshold) wins.
    price = max(ratio("coupon_share") / 1.3, ratio("promo_share") / 1.5)
    early = max(ratio("night_share") / 1.3, 1.0 if ratio("sessions") >= 1.1 and ratio("frequency") < 0.9 else 0.0)
    if max(price, early) >= 1.0:
        return ("price", "lower_barrier") if price >= early else ("early", "new_segment")
    if ratio("sessions") <= 0.7 and ratio("frequency") <= 0.9:
        return "dormant", "promote"
    if row["_clustered_share"] < 0.05:
        return "niche", "niche"
    return "mass", "promote"


def persona_cards(features, groups, *, lang: str = "zh", user_col: str = "user_id",
                  value_col: str = "monetary", frequency_col: str = "frequency", sessions_col: str = "sessions",
                  night_col: str = "night_share", coupon_col: str = "coupon_share", promo_col: str = "promo_share",
                  age_band_col: str = "age_band", gender_col: str = "gender", city_col: str = "city_tier",
                  channel_col: str = "channel") -> pd.DataFrame:
    """A persona card per group (用户画像卡片): size, demographics, behaviour, value, name and strategy.

    Parameters
    ----------
    features : DataFrame
        One row per user (:func:`opsplaybook.user_features`).
    groups : PersonaResult, DataFrame or Series
        The groups: a :func:`find_personas` result, a frame with ``user_col`` and ``group``, or a
        Series indexed by user.
    lang : {"zh", "en"}
        Language of the names and strategies.
    user_col, value_col, frequency_col, sessions_col, night_col, coupon_col, promo_col, age_band_col,
    gender_col, city_col, channel_col : str
        Column names (the world's by default); profile columns that are missing are left out.

    Returns
    -------
    DataFrame
        One row per group (index ``group``; clusters first, then -1 "not enough data yet" and -2
        "suspected fake"): ``name``, ``strategy``, ``users``, ``share``; ``top_age_band`` /
        ``top_gender`` / ``top_city_tier`` / ``top_channel`` with their ``*_share`` within the group;
        means of ``frequency``, ``sessions``, ``night_share``, ``coupon_share``, ``promo_share``;
        ``value`` (sum of ``value_col``), ``arpu`` (value per user), ``value_share`` (share of all
        value). The name and strategy (seed 000 §1.5: 促进消费, 降低门槛, 挖掘新细分, 存量升级,
        利基市场) follow from the group's averages relative to all users in clusters (groups ≥ 0): value per user
        ≥ 1.5× and frequency ≥ 1.1× (or: the cluster of highest value per user, spending ≥ 2× the
        average of all users, with at least average frequency) → 高价值忠诚型 / 存量升级; coupon share ≥ 1.3× or promotion
        share ≥ 1.5× → 价格敏感型 / 降低门槛; night share ≥ 1.3×, or more sessions with fewer orders →
        尝鲜型 / 挖掘新细分 (when both the price and the night rules hold, the larger excess over
        its threshold wins); sessions ≤ 0.7× and frequency ≤ 0.9× → 沉默潜力型 / 促进消费; a group
        under 5 % of the clustered users → 利基小众型 / 利基市场; otherwise 大众普通型 / 促进消费. The names are a
        suggestion to discuss, not a verdict.
    """
    lang = check_lang(lang)
    df = as_pandas(features, param="features")
    if isinstance(groups, PersonaResult):
        g = groups.groups.set_index(groups.user_col)["group"]
    elif isinstance(groups, pd.Series):
        g = groups
    else:
        gdf = as_pandas(groups, param="groups")
        if "group" not in gdf.columns or user_col not in gdf.columns:
            raise ColumnNotFoundError(f"`groups` needs columns {user_col!r} and 'group'; got {list(gdf.columns)}.")
        g = gdf.set_index(user_col)["group"]
    for name, col in (("user_col", user_col), ("value_col", value_col)):
        if col not in df.columns:
            raise ColumnNotFoundError(f"Column {col!r} given as `{name}` is not in the features. "
                                      f"Columns: {list(df.columns)}." + did_you_mean(col, df.columns))
    grp = df[user_col].map(g)
    if grp.isna().all():
        raise DataValidationError(f"No user of the features is in `groups` (matched on {user_col!r}).")
    df = df.assign(_group=grp.to_numpy()).dropna(subset=["_group"])
    df["_group"] = df["_group"].astype(np.int64)
    n = len(df)
    total_value = float(df[value_col].sum())
    behaviour = [c for c in (frequency_col, sessions_col, night_col, coupon_col, promo_col) if c in df.columns]
    profile = [(c, out) for c, out in ((age_band_col, "age_band"), (gender_col, "gender"), (city_col, "city_tier"),
                                       (channel_col, "channel")) if c in df.columns]
    rows = []
    for gid, part in df.groupby("_group", sort=True):
        row = {"group": int(gid), "users": len(part), "share": len(part) / n}
        for c, out in profile:
            row[f"top_{out}"], row[f"top_{out}_share"] = _mode(part[c])
        for c in behaviour:
            row[c] = float(part[c].mean()) if part[c].notna().any() else np.nan
        row["value"] = float(part[value_col].sum())
        row["arpu"] = row["value"] / len(part)
        row["value_share"] = row["value"] / total_value if total_value else np.nan
        rows.append(row)
    cards = pd.DataFrame(rows).set_index("group")
    clustered = df[df["_group"] >= 0]
    overall = {c: float(clustered[c].mean()) for c in behaviour} if len(clustered) else {}
    overall["arpu"] = float(clustered[value_col].mean()) if len(clustered) else np.nan
    overall = {kk: ({frequency_col: "frequency", sessions_col: "sessions", night_col: "night_share",
                     coupon_col: "coupon_share", promo_col: "promo_share"}.get(kk, kk), v) for kk, v in overall.items()}
    overall = dict(overall.values())
    overall["_all_arpu"] = float(df[value_col].mean())
    top_value = cards.loc[cards.index >= 0, "arpu"].idxmax() if (cards.index >= 0).any() else None
    names, strategies = [], []
    for gid, row in cards.iterrows():
        if gid == NOT_ENOUGH_DATA:
            nk, sk = "insufficient", "observe"
        elif gid == SUSPECTED_FAKE:
            nk, sk = "fake", "exclude"
        else:
            r = row.rename({frequency_col: "frequency", sessions_col: "sessions", night_col: "night_share",
                            coupon_col: "coupon_share", promo_col: "promo_share"}).to_dict()
            r["_clustered_share"] = row["users"] / max(len(clustered), 1)
            r["_top_value"] = bool(gid == top_value)
            nk, sk = _name(r, overall)
        names.append(label(f"cluster.{nk}", lang))
        strategies.append(label(f"strategy.{sk}", lang))
    cards.insert(0, "strategy", strategies)
    cards.insert(0, "name", names)
    order = sorted(cards.index, key=lambda x: (x < 0, -x if x < 0 else x))
    return cards.loc[order]
