"""One row per user for personas, tags and tiers (用户画像的特征): value, activity, habits, profile.

Built from the orders, events and users tables through narwhals like every analysis here, so it
runs on pandas, Polars, DuckDB and PySpark and on tens of millions of events; the result comes back
as the kind of frame the first given table was.
"""
from __future__ import annotations

import datetime as _dt

import narwhals as nw

from ..errors import InvalidParameterError
from ._common import column_names, day_number, parse_timestamp, prepare_amount, prepare_time, require_columns
from ._engine import lazy_tables

__all__ = ["user_features", "FEATURE_COLUMNS", "AGE_BANDS", "PROMO_WINDOWS"]

_EPOCH = _dt.datetime(1970, 1, 1)
#: Age bands (年龄段): (lowest age, label); a band runs to the next one's lowest age.
AGE_BANDS = ((0, "<18"), (18, "18-24"), (25, "25-30"), (31, "31-35"), (36, "36-40"), (41, "41-50"), (51, "51+"))
#: Promotion windows as (month, first day, last day): 618 (June 1-18) and 双11 (November 1-11).
PROMO_WINDOWS = ((6, 1, 18), (11, 1, 11))
#: The behaviour columns, in order (profile columns from ``users`` follow them).
FEATURE_COLUMNS = (
    "frequency", "monetary", "aov", "recency", "first_order_days", "tenure_days", "coupon_share", "promo_share",
    "preferred_category", "events", "sessions", "active_days", "days_since_active", "night_share",
)


def _table(data, name: str):
    if data is None:
        return None
    if isinstance(data, dict):
        return data.get(name)
    return getattr(data, name, None)


def _day(expr: nw.Expr) -> nw.Expr:
    return expr.dt.truncate("1d")


def user_features(data=None, *, users=None, events=None, orders=None, as_of=None,
                  user_col: str = "user_id", time_col: str = "ts", amount_col: str = "amount",
                  session_col: str | None = "session_id", category_col: str | None = "category",
                  coupon_col: str | None = "coupon_used", signup_col: str | None = "signup_ts",
                  age_col: str | None = "age", profile_cols=("gender", "city_tier", "channel", "platform",
                                                            "member_level", "occupation"),
                  night_hours: tuple[int, int] = (22, 5), promo_windows=PROMO_WINDOWS,
                  engine: str = "auto"):
    """Behaviour and profile features per user, the input of tags, tiers and personas.

    Parameters
    ----------
    data : World or dict, optional
        A world (``ops.load_demo()``) or ``{"users": ..., "events": ..., "orders": ...}``; the
        keyword tables override its entries. At least orders or events are needed.
    users, events, orders : frame, optional
        The tables (pandas, Polars, DuckDB or PySpark). Without ``users``, the users are everyone
        seen in events or orders.
    as_of : date-like, optional
        Features as known on this day (activity up to and including it); users of ``users`` who
        signed up after it are left out (they did not exist yet). Default: the day after the last
        event or order.
    user_col, time_col, amount_col, session_col, category_col, coupon_col, signup_col, age_col : str
        Column names (the world's by default). Set one to None when your data lacks it; its features
        are then left out.
    profile_cols : sequence of str
        Columns of ``users`` copied as they are (those present).
    night_hours : (int, int), default (22, 5)
        Night time for ``night_share`` (夜猫子): from the first hour (inclusive) to the second
        (exclusive), across midnight.
    promo_windows : sequence of (month, first day, last day)
        Promotion periods for ``promo_share`` (default 618 and 双11).
    engine : {"auto", "pandas", "duckdb", "polars"}
        Where pandas inputs are computed (see the engine notes of :mod:`opsplaybook.analytics`).

    Returns
    -------
    frame
        One row per user, sorted by user: ``frequency`` (orders), ``monetary`` (total amount, exact
        cents), ``aov`` (笔单价: monetary / frequency), ``recency`` (days from the last order's date to
        ``as_of``, missing for users who never bought), ``first_order_days`` (days since the first
        order, likewise), ``tenure_days`` (days since sign-up),
        ``coupon_share`` (share of orders with a coupon: 价格敏感), ``promo_share`` (share of orders in
        promotion windows), ``preferred_category`` (the category most ordered, else most browsed;
        ties: the first by name), ``events``, ``sessions``, ``active_days`` (distinct days with an
        event), ``days_since_active``, ``night_share`` (share of events at night: 夜猫子), then
        ``age`` + ``age_band`` and the ``profile_cols``. Counts of users without activity are 0;
        shares of users without orders/events are missing.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"user_id": [1, 1, 2], "amount": [10.0, 30.0, 5.0],
    ...     "ts": pd.to_datetime(["2025-06-10 10:00", "2025-07-01 23:30", "2025-07-02 08:00"]),
    ...     "category": ["书", "书", "茶"], "coupon_used": [True, False, True]})
    >>> f = user_features(orders=orders, session_col=None, signup_col=None, as_of="2025-07-10")
    >>> f[["user_id", "frequency", "monetary", "recency", "aov"]]
       user_id  frequency  monetary  recency   aov
    0        1          2      40.0        9  20.0
    1        2          1       5.0        8   5.0
    >>> f[["coupon_share", "promo_share", "preferred_category"]]
       coupon_share  promo_share preferred_category
    0           0.5          0.5                  书
    1           1.0          0.0                  茶
    """
    users = users if users is not None else _table(data, "users")
    events = events if events is not None else _table(data, "events")
    orders = orders if orders is not None else _table(data, "orders")
    if orders is None and events is None:
        raise InvalidParameterError("user_features needs `orders=` or `events=` (or a world as `data`).")
    lo, hi = night_hours
    if not (isinstance(lo, int) and isinstance(hi, int) and 0 <= lo < 24 and 0 <= hi < 24):
        raise InvalidParameterError(f"`night_hours`={night_hours!r} must be two hours 0-23, e.g. (22, 5).")
    as_of_day = None
    if as_of is not None:
        ts = parse_timestamp(as_of, param="as_of")
        as_of_day = _dt.datetime(ts.year, ts.month, ts.day)

    def present(cols):
        return [c for c in cols if c is not None]

    # --- the tables, on one engine (events first: the largest decides)
    tables = {"events": events, "orders": orders, "users": users}
    order_cols = present([user_col, time_col, amount_col, category_col, coupon_col])
    event_cols = present([user_col, time_col, session_col, category_col])
    lfs, back = lazy_tables(tables, engine=engine,
                            columns={"orders": order_cols, "events": event_cols},
                            times={"orders": {time_col: "time_col"}, "events": {time_col: "time_col"},
                                   **({"users": {signup_col: "signup_col"}} if signup_col else {})})
    ev, od, us = lfs["events"], lfs["orders"], lfs["users"]
    u, t = user_col, time_col
    if od is not None:
        od_cols = column_names(od)
        require_columns(od, user_col=u, time_col=t, amount_col=amount_col)
        coupon = coupon_col if coupon_col in od_cols else None
        ocat = category_col if category_col in od_cols else None
        od = prepare_amount(prepare_time(od, t), amount_col).filter(~nw.col(u).is_null() & ~nw.col(t).is_null())
    if ev is not None:
        ev_cols = column_names(ev)
        require_columns(ev, user_col=u, time_col=t)
        sess = session_col if session_col in ev_cols else None
        ecat = category_col if category_col in ev_cols else None
        ev = prepare_time(ev, t).filter(~nw.col(u).is_null() & ~nw.col(t).is_null())

    # --- as_of: activity before the end of that day; default the day after the last activity
    if as_of_day is None:
        lasts = [f.select(nw.col(t).max()).collect().item() for f in (od, ev) if f is not None]
        lasts = [x for x in lasts if x is not None]
        if not lasts:
            raise InvalidParameterError("The orders and events hold no times; nothing to describe.")
        last = max(lasts)
        as_of_day = _dt.datetime(last.year, last.month, last.day) + _dt.timedelta(days=1)
    else:
        as_of_day = as_of_day + _dt.timedelta(days=1)  # activity on the as_of day itself counts
    cutoff = nw.lit(as_of_day)
    ref = as_of_day - _dt.timedelta(days=1) if as_of is not None else as_of_day
    ref_day = float((ref - _EPOCH).days)

    def days_to_ref(col: str, frame) -> nw.Expr:  # calendar days from the value's date to the reference day
        return (nw.lit(ref_day) - day_number(nw.col(col), frame)).cast(nw.Int64)

    parts = []
    if od is not None:
        od = od.filter(nw.col(t) < cutoff)
        md = nw.col(t).dt.month().cast(nw.Int64) * 100 + nw.col(t).dt.day().cast(nw.Int64)  # Int8 would overflow
        promo = nw.lit(False)
        for month, first, last_day in promo_windows:
            promo = promo | ((md >= month * 100 + first) & (md <= month * 100 + last_day))
        aggs = [nw.len().alias("frequency"), nw.col("_cents").sum(), nw.col(t).max().alias("_last"),
                nw.col(t).min().alias("_first"), nw.col("_promo").mean().alias("promo_share")]
        prep = [(nw.col(amount_col).fill_null(0.0) * 100).round(0).cast(nw.Int64).alias("_cents"),
                promo.cast(nw.Float64).alias("_promo")]
        if coupon:
            prep.append(nw.col(coupon).cast(nw.Float64).alias("_coupon"))
            aggs.append(nw.col("_coupon").mean().alias("coupon_share"))
        per = od.with_columns(*prep).group_by(u).agg(*aggs)
        per = per.with_columns(
            (nw.col("_cents").cast(nw.Float64) / 100).alias("monetary"),
            days_to_ref("_last", per).alias("recency"),
            days_to_ref("_first", per).alias("first_order_days"),
        ).drop("_cents", "_last", "_first")
        parts.append(per)
    if ev is not None:
        ev = ev.filter(nw.col(t) < cutoff)
        hour = nw.col(t).dt.hour()
        night = (hour >= lo) | (hour < hi) if lo > hi else (hour >= lo) & (hour < hi)
        aggs = [nw.len().alias("events"), nw.col("_day").n_unique().alias("active_days"),
                nw.col(t).max().alias("_last"), nw.col("_night").mean().alias("night_share")]
        if sess:
            aggs.append(nw.col(sess).n_unique().alias("sessions"))
        per = ev.with_columns(_day(nw.col(t)).alias("_day"), night.cast(nw.Float64).alias("_night")) \
            .group_by(u).agg(*aggs)
        per = per.with_columns(days_to_ref("_last", per).alias("days_since_active")).drop("_last")
        parts.append(per)

    def favourite(frame, cat: str, name: str):
        counts = frame.filter(~nw.col(cat).is_null()).group_by(u, cat).agg(nw.len().alias("_n"))
        best = counts.group_by(u).agg(nw.col("_n").max().alias("_max"))
        return counts.join(best, on=u).filter(nw.col("_n") == nw.col("_max")).group_by(u) \
            .agg(nw.col(cat).min().alias(name))

    favs = []
    if od is not None and ocat:
        favs.append(favourite(od, ocat, "_fav_order"))
    if ev is not None and ecat:
        favs.append(favourite(ev, ecat, "_fav_event"))

    # --- the users: the users table, else everyone seen
    seen = [p.select(u) for p in parts]
    if us is not None:
        require_columns(us, user_col=u)
        us_cols = column_names(us)
        keep = [c for c in dict.fromkeys([u, signup_col, age_col, *profile_cols]) if c is not None and c in us_cols]
        if signup_col in us_cols:
            us = prepare_time(us, signup_col, param="signup_col")
            if as_of is not None:  # not signed up yet on as_of: not a user of that day
                us = us.filter(nw.col(signup_col).is_null() | (nw.col(signup_col) < cutoff))
        base = us.select(keep).unique([u])
    else:
        base = nw.concat(seen).unique([u])
    out = base
    for p in parts + favs:
        out = out.join(p, on=u, how="left")

    fill0 = [c for c in ("frequency", "events", "active_days", "sessions") if c in column_names(out)]
    cols = column_names(out)
    extra = [nw.col(c).fill_null(0).cast(nw.Int64) for c in fill0]
    if "monetary" in cols:
        extra.append(nw.col("monetary").fill_null(0.0))
    out = out.with_columns(*extra)
    more = []
    if "monetary" in cols:
        more.append(nw.when(nw.col("frequency") > 0).then(nw.col("monetary") / nw.col("frequency")).alias("aov"))
    if favs:  # most ordered, else most browsed
        fav_cols = [c for c in ("_fav_order", "_fav_event") if c in cols]
        more.append(nw.coalesce(*[nw.col(c) for c in fav_cols]).alias("preferred_category"))
    if signup_col and signup_col in cols:
        more.append(days_to_ref(signup_col, out).alias("tenure_days"))
    if age_col and age_col in cols:
        band = nw.lit(AGE_BANDS[-1][1])
        for (low, _), (_, name) in zip(reversed(AGE_BANDS[1:]), reversed(AGE_BANDS[:-1])):
            band = nw.when(nw.col(age_col) < low).then(nw.lit(name)).otherwise(band)
        more.append(nw.when(~nw.col(age_col).is_null()).then(band).alias("age_band"))
    out = out.with_columns(*more) if more else out
    cols = column_names(out)
    profile = [c for c in dict.fromkeys([age_col, "age_band", *profile_cols]) if c and c in cols and c != u]
    order = [u] + [c for c in FEATURE_COLUMNS if c in cols] + profile
    return back(out.select(order).sort(u))
