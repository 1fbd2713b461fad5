"""user_features(): by hand, against a plain-pandas reference on a world, and equal on every engine."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import assert_same, norm

import opsplaybook as ops
from opsplaybook.analytics.features import user_features
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError


def _reference(w, as_of=None):
    """The same features written out in plain pandas, from the definitions in the docstring."""
    o, e, u = w.orders, w.events, w.users
    last = max(o.ts.max(), e.ts.max()).normalize()
    ref = pd.Timestamp(as_of) if as_of else last + pd.Timedelta(days=1)
    cutoff = ref + pd.Timedelta(days=1) if as_of else ref
    o, e = o[o.ts < cutoff], e[e.ts < cutoff]
    md = o.ts.dt.month * 100 + o.ts.dt.day
    o = o.assign(promo=((md >= 601) & (md <= 618)) | ((md >= 1101) & (md <= 1111)))
    g = o.groupby("user_id")
    r = pd.DataFrame({"frequency": g.size(), "monetary": g.amount.sum().round(2),
                      "recency": (ref - g.ts.max().dt.normalize()).dt.days,
                      "first_order_days": (ref - g.ts.min().dt.normalize()).dt.days,
                      "coupon_share": g.coupon_used.mean(), "promo_share": g.promo.mean()})
    h = e.ts.dt.hour
    ge = e.assign(night=(h >= 22) | (h < 5), day=e.ts.dt.normalize()).groupby("user_id")
    a = pd.DataFrame({"events": ge.size(), "sessions": ge.session_id.nunique(), "active_days": ge.day.nunique(),
                      "days_since_active": (ref - ge.ts.max().dt.normalize()).dt.days, "night_share": ge.night.mean()})
    out = u.set_index("user_id")[[]].join(r).join(a)
    for c in ("frequency", "events", "sessions", "active_days"):
        out[c] = out[c].fillna(0)
    out["monetary"] = out["monetary"].fillna(0.0)
    out["tenure_days"] = (ref - u.set_index("user_id").signup_ts.dt.normalize()).dt.days
    return out.sort_index()


def test_matches_plain_pandas_on_the_small_world(small_world):
    f = user_features(small_world).set_index("user_id")
    ref = _reference(small_world)
    cols = list(ref.columns)
    pd.testing.assert_frame_equal(f[cols].astype(float), ref[cols].astype(float), check_names=False, rtol=1e-9)
    assert (f.aov.dropna() == (f.monetary / f.frequency)[f.frequency > 0]).all()
    assert len(f) == len(small_world.users)


def test_as_of_cuts_the_history(small_world):
    f = user_features(small_world, as_of="2025-06-30").set_index("user_id")
    ref = _reference(small_world, as_of="2025-06-30")
    # only the users who had signed up by the end of that day exist then (no negative tenure)
    signed = small_world.users.loc[small_world.users.signup_ts < pd.Timestamp("2025-07-01"), "user_id"]
    assert set(f.index) == set(signed) and len(f) < len(small_world.users)
    assert (f["tenure_days"] >= 0).all()
    ref = ref.loc[f.index]
    pd.testing.assert_frame_equal(f[["frequency", "recency", "events", "days_since_active"]].astype(float),
                                  ref[["frequency", "recency", "events", "days_since_active"]].astype(float),
                                  check_names=False)
    # recency agrees with rfm's definition
    r = ops.rfm(small_world.orders, as_of="2025-06-30").set_index("user_id")
    assert (f.loc[r.index, "recency"] == r.recency).all()


def test_preferred_category_ties_and_fallback():
    orders = pd.DataFrame({"user_id": [1, 1, 1, 1], "ts": pd.to_datetime(["2025-01-01"] * 4),
                           "amount": [1.0] * 4, "category": ["茶", "书", "书", "茶"]})
    events = pd.DataFrame({"user_id": [1, 2, 2, 2], "ts": pd.to_datetime(["2025-01-01 23:00"] * 4),
                           "category": [None, "花", "花", "茶"], "session_id": [1, 2, 2, 3]})
    f = user_features(orders=orders, events=events, coupon_col=None, signup_col=None)
    assert f.preferred_category.tolist() == ["书", "花"]  # tie → first by name; no orders → most browsed
    assert f.sessions.tolist() == [1, 2] and f.night_share.tolist() == [1.0, 1.0]
    assert f.frequency.tolist() == [4, 0] and np.isnan(f.recency.iloc[1])


def test_age_bands():
    users = pd.DataFrame({"user_id": [1, 2, 3, 4, 5], "age": [17, 18, 30, 51, None]})
    orders = pd.DataFrame({"user_id": [1], "ts": pd.to_datetime(["2025-01-01"]), "amount": [1.0]})
    f = user_features(users=users, orders=orders, signup_col=None, category_col=None, coupon_col=None)
    assert f.age_band.tolist()[:4] == ["<18", "18-24", "25-30", "51+"] and pd.isna(f.age_band.iloc[4])


def test_same_on_every_engine(small_world, constructor):
    some = {k: (lambda d: d[d.user_id <= 300].reset_index(drop=True))(getattr(small_world, k))
            for k in ("users", "events", "orders")}  # 300 users keep the Spark case short
    pdf = user_features(**some)
    tables = {k: constructor(v) for k, v in some.items()}
    assert_same(norm(user_features(**tables)), pdf)


def test_large_pandas_path_equals_small_path(small_world):
    from opsplaybook.analytics._engine import engine_settings
    small = user_features(small_world, engine="pandas")
    with engine_settings(pandas_threshold=10):
        big = user_features(small_world)
    assert_same(big, small)


def test_errors(small_world):
    with pytest.raises(InvalidParameterError, match="needs `orders=` or `events=`"):
        user_features(users=small_world.users)
    with pytest.raises(ColumnNotFoundError, match="`amount_col`.*Did you mean 'amount'"):
        user_features(orders=small_world.orders, amount_col="amout")
    with pytest.raises(InvalidParameterError, match="night_hours"):
        user_features(small_world, night_hours=(25, 3))
