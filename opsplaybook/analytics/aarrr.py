"""AARRR (海盗模型): acquisition, activation, retention, revenue and referral of one period in one table.

One implementation written against narwhals: pandas, Polars, DuckDB and PySpark inputs give the
same numbers and are returned as the caller's kind of frame.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import narwhals as nw
import pandas as pd

from ..labels import get_lang, label
from ._common import (
    InvalidParameterError,
    parse_timestamp,
    prepare_amount,
    prepare_time,
    require_columns,
)
from ._engine import lazy_tables

__all__ = ["aarrr", "REFERRAL_CHANNELS"]

#: names of the referral channel (老带新) in the synthetic world's presets and locales
REFERRAL_CHANNELS = ("老带新", "Referral", "邀请有礼", "Invite rewards")

_STAGES = ("acquisition", "activation", "retention", "revenue", "referral")


def _div(a, b):
    return float(a) / float(b) if b else float("nan")


def _whole_days(value, param: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidParameterError(f"`{param}`={value!r} must be a whole number of days >= 0.")
    return value


def aarrr(
    events,
    orders,
    *,
    start,
    end,
    users=None,
    # definitions
    activation_event: str | Sequence[str] = "purchase",
    activation_days: int = 7,
    retention_days: Sequence[int] = (1, 7, 30),
    invite_event: str = "invite",
    referral_channel: str | Sequence[str] | None = REFERRAL_CHANNELS,
    lang: str | None = None,
    # columns
    user_col: str = "user_id",
    time_col: str = "ts",
    event_col: str = "event",
    amount_col: str = "amount",
    signup_col: str = "signup_ts",
    channel_col: str = "channel",
    exclude_refunds: bool = True,
    # execution
    engine: str = "auto",
):
    """The pirate metrics of one period: one row per metric, grouped by AARRR stage.

    The period is the whole days from ``start`` to ``end``, both included. The *new users* of the
    period are the users who signed up in it (``users[signup_col]``; without ``users``: whose first
    event in ``events`` falls in it — then ``signup`` below means that first event).

    Parameters
    ----------
    events, orders : pandas, Polars, DuckDB or PySpark data frames
        The behaviour log and the paid orders (the world's ``events`` and ``orders``).
    start, end : date-like
        First and last day of the period (inclusive).
    users : frame, optional
        The users table, for sign-up times and acquisition channels.
    activation_event : str or list of str
        The event(s) that count as activation (激活), default ``"purchase"`` (first order).
    activation_days : int
        A new user is activated when they do ``activation_event`` within this many days
        (``signup <= ts < signup + activation_days``).
    retention_days : list of int
        The N of the day-N retention metrics.
    invite_event : str
        The event of sending an invitation (邀请).
    referral_channel : str or list of str, optional
        The value(s) of ``users[channel_col]`` that mean "came through an invitation" (老带新);
        default the synthetic world's names. ``None`` leaves the invite-conversion metrics missing.
    lang : {"zh", "en"}, optional
        Language of ``stage_label`` and ``metric_label``.
    user_col, time_col, event_col, amount_col, signup_col, channel_col : str
        Column names (``time_col`` and ``user_col`` in all three tables).
    exclude_refunds : bool, default True
        Rows of ``orders`` with a negative amount are refunds, not orders: by default they are left
        out (of buyers, activation by purchase and revenue). ``False`` takes the rows as they are.
    engine : {"auto", "pandas", "duckdb", "polars"}
        For pandas input only: where the work runs.

    Returns
    -------
    frame of the input's kind with columns ``stage``, ``stage_label``, ``metric``,
    ``metric_label``, ``value`` (float; missing when the denominator is 0), and these rows:

    ======================  ====================  ======================================================
    stage                   metric                definition
    ======================  ====================  ======================================================
    acquisition (获取)       ``new_users``         new users of the period (sign-ups)
    activation (激活)        ``activated_users``   new users who did ``activation_event`` within
                                                  ``activation_days`` days of signing up
    activation              ``activation_rate``   ``activated_users / new_users``
    retention (留存)         ``retention_dN``      share of the new users active (any event) on the
                                                  N-th calendar day after their sign-up day ("on day N",
                                                  N-day retention), among the new users whose day N is
                                                  not after the last day of ``events`` (matured)
    revenue (变现)           ``active_users``      users with any event in the period
    revenue                 ``buyers``            users with an order in the period
    revenue                 ``paying_rate``       ``buyers / active_users``
    revenue                 ``gmv``               total paid amount in the period
    revenue                 ``arpu``              ``gmv / active_users``
    revenue                 ``arppu``             ``gmv / buyers``
    referral (推荐)          ``invites``           ``invite_event`` events in the period
    referral                ``inviters``          users who sent at least one invite
    referral                ``invites_per_user``  ``invites / active_users`` (i)
    referral                ``referred_users``    new users whose channel is ``referral_channel``
    referral                ``invite_conversion`` ``referred_users / invites`` (c)
    referral                ``k_factor``          ``i × c`` (= referred sign-ups per active user; K > 1
                                                  means each user brings more than one new user)
    ======================  ====================  ======================================================

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import aarrr
    >>> users = pd.DataFrame({"user_id": [1, 2, 3], "channel": ["自然流量", "老带新", "老带新"],
    ...     "signup_ts": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02"])})
    >>> events = pd.DataFrame({"user_id": [1, 1, 2, 3, 1],
    ...     "ts": pd.to_datetime(["2025-01-01 09:00", "2025-01-01 09:10", "2025-01-01 12:00",
    ...                           "2025-01-02 08:00", "2025-01-02 10:00"]),
    ...     "event": ["visit", "invite", "visit", "visit", "purchase"]})
    >>> orders = pd.DataFrame({"user_id": [1], "ts": pd.to_datetime(["2025-01-02 10:00"]), "amount": [99.0]})
    >>> t = aarrr(events, orders, start="2025-01-01", end="2025-01-02", users=users, lang="en")
    >>> t.set_index("metric")["value"][["new_users", "activation_rate", "retention_d1", "k_factor"]]
    metric
    new_users          3.000000
    activation_rate    0.333333
    retention_d1       0.500000
    k_factor           0.666667
    Name: value, dtype: float64
    """
    lang = lang or get_lang()
    label("aarrr.acquisition", lang)  # validates lang
    t0 = parse_timestamp(start, param="start")
    t1 = parse_timestamp(end, param="end")
    lo = _dt.datetime(t0.year, t0.month, t0.day)
    hi = _dt.datetime(t1.year, t1.month, t1.day) + _dt.timedelta(days=1)
    if hi <= lo:
        raise InvalidParameterError(f"`end`={end!r} is before `start`={start!r}; give end >= start.")
    act_days = _whole_days(activation_days, "activation_days")
    if isinstance(retention_days, int):
        retention_days = [retention_days]
    ret_days = [_whole_days(n, "retention_days") for n in retention_days]
    act_events = [activation_event] if isinstance(activation_event, str) else list(activation_event)
    ref = [referral_channel] if isinstance(referral_channel, str) else (
        list(referral_channel) if referral_channel is not None else None
    )

    u, t = user_col, time_col
    lfs, back = lazy_tables({"events": events, "orders": orders, "users": users}, engine=engine)
    ev, od = lfs["events"], lfs["orders"]
    require_columns(ev, user_col=u, time_col=t, event_col=event_col)
    require_columns(od, user_col=u, time_col=t, amount_col=amount_col)
    ev = prepare_time(ev, t).filter(~nw.col(u).is_null() & ~nw.col(t).is_null())
    od = prepare_amount(prepare_time(od, t), amount_col).filter(~nw.col(u).is_null() & ~nw.col(t).is_null())
    if exclude_refunds:  # a negative amount is a refund, not an order
        od = od.filter(~(nw.col(amount_col) < 0) | nw.col(amount_col).is_null())
    in_period = (nw.col(t) >= nw.lit(lo)) & (nw.col(t) < nw.lit(hi))

    # --- the new users of the period and their sign-up time
    has_channel = False
    if users is not None:
        us = lfs["users"]
        require_columns(us, user_col=u, signup_col=signup_col)
        has_channel = channel_col in us.collect_schema().names()
        us = prepare_time(us, signup_col, param="signup_col")
        cols = [nw.col(u), nw.col(signup_col).alias("_signup")]
        if has_channel:
            cols.append(nw.col(channel_col).alias("_channel"))
        signups = us.filter(~nw.col(signup_col).is_null()).select(*cols)
    else:
        signups = ev.group_by(u).agg(nw.col(t).min().alias("_signup"))
    new = signups.filter((nw.col("_signup") >= nw.lit(lo)) & (nw.col("_signup") < nw.lit(hi)))
    n_new = new.select(nw.len()).collect().item(0, 0)

    # --- activation
    act = (
        ev.filter(nw.col(event_col).is_in(act_events))
        .select(u, t)
        .join(new.select(u, "_signup"), on=u, how="inner")
        .filter(
            (nw.col(t) >= nw.col("_signup"))
            & (nw.col(t) < nw.col("_signup") + nw.lit(_dt.timedelta(days=act_days)))
        )
        .select(nw.col(u).n_unique())
        .collect()
        .item(0, 0)
    )

    # --- retention of the new users: active on sign-up day + N (calendar days)
    last_ts = ev.select(nw.col(t).max()).collect().item(0, 0)
    last_day = None if last_ts is None or pd.isna(last_ts) else _dt.datetime(last_ts.year, last_ts.month, last_ts.day)
    retention = {}
    if ret_days:
        cohort = new.select(u, nw.col("_signup").dt.truncate("1d").alias("_sday"))
        user_days = ev.select(u, nw.col(t).dt.truncate("1d").alias("_day")).unique([u, "_day"])
        hits = cohort.join(user_days, on=u, how="inner").with_columns(
            *[
                (nw.col("_day") == nw.col("_sday") + nw.lit(_dt.timedelta(days=n))).cast(nw.Int64).alias(f"_r{n}")
                for n in ret_days
            ]
        )
        per_user = hits.group_by(u).agg(*[nw.col(f"_r{n}").max() for n in ret_days])
        returned = per_user.select(*[nw.col(f"_r{n}").sum() for n in ret_days]).collect().row(0)
        if last_day is None:
            matured = [0] * len(ret_days)
        else:
            matured = cohort.select(
                *[
                    (nw.col("_sday") + nw.lit(_dt.timedelta(days=n)) <= nw.lit(last_day))
                    .cast(nw.Int64)
                    .sum()
                    .alias(f"_m{n}")
                    for n in ret_days
                ]
            ).collect().row(0)
        for n, r, m in zip(ret_days, returned, matured):
            retention[n] = _div(r or 0, m or 0)

    # --- revenue of the period
    active = ev.filter(in_period).select(nw.col(u).n_unique()).collect().item(0, 0)
    buyers, cents = (
        od.filter(in_period)
        .with_columns((nw.col(amount_col).fill_null(0.0) * 100).round(0).cast(nw.Int64).alias("_cents"))
        .select(nw.col(u).n_unique().alias("b"), nw.col("_cents").sum().alias("c"))
        .collect()
        .row(0)
    )
    gmv = (cents or 0) / 100

    # --- referral
    invites, inviters = (
        ev.filter(in_period & (nw.col(event_col) == invite_event))
        .select(nw.len().alias("n"), nw.col(u).n_unique().alias("k"))
        .collect()
        .row(0)
    )
    if ref is not None and has_channel:
        referred = new.filter(nw.col("_channel").is_in(ref)).select(nw.len()).collect().item(0, 0)
    else:
        referred = None
    ipu = _div(invites, active)
    conv = _div(referred, invites) if referred is not None else float("nan")

    rows = [
        ("acquisition", "new_users", n_new),
        ("activation", "activated_users", act),
        ("activation", "activation_rate", _div(act, n_new)),
        *[("retention", f"retention_d{n}", retention[n]) for n in ret_days],
        ("revenue", "active_users", active),
        ("revenue", "buyers", buyers),
        ("revenue", "paying_rate", _div(buyers, active)),
        ("revenue", "gmv", gmv),
        ("revenue", "arpu", _div(gmv, active)),
        ("revenue", "arppu", _div(gmv, buyers)),
        ("referral", "invites", invites),
        ("referral", "inviters", inviters),
        ("referral", "invites_per_user", ipu),
        ("referral", "referred_users", float("nan") if referred is None else referred),
        ("referral", "invite_conversion", conv),
        ("referral", "k_factor", ipu * conv),
    ]
    out = pd.DataFrame(
        {
            "stage": [r[0] for r in rows],
            "stage_label": [label(f"aarrr.{r[0]}", lang) for r in rows],
            "metric": [r[1] for r in rows],
            "metric_label": [_metric_label(r[1], lang) for r in rows],
            "value": [float("nan") if r[2] is None else float(r[2]) for r in rows],
        }
    )
    return back(out)


def _metric_label(metric: str, lang: str) -> str:
    if metric.startswith("retention_d"):
        n = metric[len("retention_d"):]
        default = f"{n}日留存率" if lang == "zh" else f"Day-{n} retention"
        return label(f"aarrr.metric.{metric}", lang, default=default)
    return label(f"aarrr.metric.{metric}", lang)
