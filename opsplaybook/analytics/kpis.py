"""Operating KPIs per period (UV, DAU/WAU/MAU, conversion, ARPU …) and the revenue-driver split
GMV = UV × CVR × P (销售额 = 访客数 × 转化率 × 客单价).

One implementation written against narwhals: pandas, Polars, DuckDB and PySpark inputs give the
same numbers and are returned as the caller's kind of frame.
"""
from __future__ import annotations

import datetime as _dt
from fractions import Fraction

import narwhals as nw
import pandas as pd

from ..labels import get_lang, label
from ._common import (
    DataValidationError,
    InvalidParameterError,
    check_period,
    parse_timestamp,
    prepare_amount,
    prepare_time,
    require_columns,
)
from ._engine import lazy_tables, materialize, to_lazy

__all__ = ["kpis", "revenue_drivers", "KPI_COLUMNS"]

#: KPI columns of :func:`kpis`, in order (labels: ``kpi.<column>`` in the catalog)
KPI_COLUMNS = (
    "uv", "dau", "wau", "mau", "stickiness", "new_users", "buyers", "orders", "gmv",
    "cvr", "arpu", "arppu", "repeat_rate",
)
_FREQS = {"D": "D", "W": "W", "M": "M"}


def _ratio(num: str, den: str) -> nw.Expr:
    """num / den as Float64, null when the denominator is 0 or missing (the same on every engine)."""
    return (
        nw.when(nw.col(den) > 0)
        .then(nw.col(num).cast(nw.Float64) / nw.col(den).cast(nw.Float64))
        .otherwise(nw.lit(None, nw.Float64))
    )


def _finish(result):
    """A pandas result gets a fresh 0..n-1 index (narwhals keeps pandas' index through a sort)."""
    if isinstance(result, pd.DataFrame):
        return result.reset_index(drop=True)
    return result


_DAY = _dt.timedelta(days=1)


def _period_of_day(day: nw.Expr, freq: str) -> nw.Expr:
    """Start of the period of a midnight datetime: itself, the Monday of its week, the 1st of its month.

    Written with ``dt.weekday`` and timedelta literals (not day numbers) to keep the generated SQL
    small; ``(weekday + 6) % 7`` is the days since Monday on every engine, including narwhals'
    Spark backend, which reports Sunday as 0 instead of 7.
    """
    if freq == "D":
        return day
    if freq == "W":
        return day - ((day.dt.weekday() + 6) % 7) * nw.lit(_DAY)
    return day.dt.truncate("1mo")


def _next_active_day(user_days: nw.LazyFrame, u: str) -> nw.LazyFrame:
    """``user_days`` with ``_next``: the user's next active day after ``_day`` (null for the last one)."""
    return materialize(user_days.with_columns(nw.col("_day").shift(-1).over(u, order_by="_day").alias("_next")))


def _rolling_actives(days: nw.LazyFrame, nxt: nw.LazyFrame, widths: dict[str, int]) -> nw.LazyFrame:
    """Per day: users active at least once in the ``width`` days ending that day, for each window.

    A sweep line: each active day ``a`` of a user covers the days ``a … a+width-1``; consecutive
    active days ``a < b`` of the same user contribute +1 at ``a`` and -1 at ``min(b, a+width)``, so
    the covered stretches tile without overlap and a running sum over the days counts the users
    covered. The +1s of a day are its daily actives (``days._dau``); ``nxt``
    (:func:`_next_active_day`) gives the -1s. All windows share one sweep (one column each); days
    on which only -1s fall (no events) stay in the sweep, so the later days are right.
    """
    names = list(widths)
    parts = [days.select("_day", *[nw.col("_dau").cast(nw.Int64).alias(n) for n in names])]
    for name, width in widths.items():
        span = nw.lit(_dt.timedelta(days=width))
        end = (
            nw.when(nw.col("_next").is_null() | (nw.col("_next") > nw.col("_day") + span))
            .then(nw.col("_day") + span)
            .otherwise(nw.col("_next"))
        )
        parts.append(
            nxt.group_by(end.alias("_day")).agg(nw.len().alias("_n")).select(
                "_day", *[(-nw.col("_n").cast(nw.Int64) if n == name else nw.lit(0, nw.Int64)).alias(n) for n in names]
            )
        )
    return (
        nw.concat(parts)
        .group_by("_day")
        .agg(nw.col(*names).sum())
        .with_columns(nw.col(*names).cum_sum().over(order_by="_day").cast(nw.Int64))
    )


def kpis(
    events,
    orders,
    *,
    freq: str = "D",
    users=None,
    start=None,
    end=None,
    # columns (events and orders share user_col and time_col)
    user_col: str = "user_id",
    time_col: str = "ts",
    amount_col: str = "amount",
    order_col: str | None = None,
    signup_col: str = "signup_ts",
    exclude_refunds: bool = True,
    # execution
    engine: str = "auto",
):
    """The operating dashboard: one row per calendar period with traffic, activity and sales KPIs.

    Parameters
    ----------
    events : pandas, Polars, DuckDB or PySpark data frame, or None
        The behaviour log (one row per event; any event counts as activity). None for orders-only
        KPIs.
    orders : frame of the same kind
        One row per paid order.
    freq : {"D", "W", "M"}
        Period: calendar day, ISO week (Monday start) or calendar month.
    users : frame, optional
        The users table. When given, ``new_users`` counts sign-ups (``signup_col``) in the period;
        otherwise a user is new in the period of their first event in ``events``.
    start, end : date-like, optional
        Keep only periods whose start lies in ``[start, end]``. The rolling WAU/MAU windows still
        see the events before ``start``.
    user_col, time_col : str
        User and time columns (of events, orders and — for the user — users).
    amount_col : str
        Paid amount column of ``orders``.
    order_col : str, optional
        Order id column of ``orders``; when given, ``orders`` counts distinct ids instead of rows.
    signup_col : str
        Sign-up time column of ``users``.
    exclude_refunds : bool, default True
        Rows of ``orders`` with a negative amount are refunds, not orders: by default they are left
        out (of orders, buyers and sales). ``False`` takes the rows as they are (a refund then counts
        as an order and lowers the sales).
    engine : {"auto", "pandas", "duckdb", "polars"}
        For pandas input only: where the work runs (``"auto"``: DuckDB for large frames).

    Returns
    -------
    frame of the input's kind, one row per period that has events or orders, sorted by period:

    - ``period`` (datetime): start of the period (day; Monday of the week; first of the month).
    - ``uv``: distinct users with at least one event in the period (访客数).
    - ``dau``: mean daily active users over the days of the period that have any event
      (for ``freq="D"`` it equals ``uv``). A day without a single event is treated as outside the data.
    - ``wau``: distinct users active in the 7 days ending on the period's last day with events
      (rolling window; for a complete week and ``freq="W"`` it equals ``uv``).
    - ``mau``: distinct users active in the 30 days ending on that same day (rolling window).
    - ``stickiness``: ``dau / mau`` (用户粘性; for ``freq="M"``: mean DAU of the month over the
      30-day MAU at its end).
    - ``new_users``: sign-ups in the period (with ``users``) or users whose first event falls in it.
    - ``buyers``: distinct users with at least one order in the period.
    - ``orders``: orders in the period.
    - ``gmv``: total paid amount (amounts rounded to cents and summed as integer cents, so exact).
    - ``cvr``: ``buyers / uv`` (conversion rate, 支付转化率).
    - ``arpu``: ``gmv / uv`` (revenue per active user, UV价值).
    - ``arppu``: ``gmv / buyers`` (revenue per paying user, 客单价 in the UV×CVR×P formula).
    - ``repeat_rate``: share of the period's buyers with at least 2 orders **within the same period**
      (复购率, period definition; buyers who bought once in this period and once before count as
      not repeating here).

    Ratios are missing (null/NaN) when their denominator is 0. Counts are integers; a period with
    orders but no events has ``uv == 0``. With ``events=None`` the KPIs that need traffic (``uv``,
    ``dau``, ``wau``, ``mau``, ``stickiness``, ``cvr``, ``arpu``) are missing and ``new_users``
    counts sign-ups (with ``users``) or first-time buyers.

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import kpis
    >>> events = pd.DataFrame({"user_id": [1, 2, 1, 3],
    ...     "ts": pd.to_datetime(["2025-01-01 09:00", "2025-01-01 10:00", "2025-01-02 08:00", "2025-01-02 20:00"]),
    ...     "event": ["visit", "visit", "visit", "visit"]})
    >>> orders = pd.DataFrame({"user_id": [1, 1, 3], "amount": [10.0, 5.0, 20.0],
    ...     "ts": pd.to_datetime(["2025-01-01 09:05", "2025-01-01 12:00", "2025-01-02 20:30"])})
    >>> kpis(events, orders)[["period", "uv", "mau", "buyers", "gmv", "cvr", "repeat_rate"]]
          period  uv  mau  buyers   gmv  cvr  repeat_rate
    0 2025-01-01   2    2       1  15.0  0.5          1.0
    1 2025-01-02   2    3       1  20.0  0.5          0.0
    """
    if not isinstance(freq, str) or freq.strip().upper() not in _FREQS:
        check_period(freq, param="freq")
    freq = check_period(freq, param="freq")
    if not isinstance(exclude_refunds, bool):
        raise InvalidParameterError(f"`exclude_refunds`={exclude_refunds!r} must be True or False.")
    start_ts = parse_timestamp(start, param="start") if start is not None else None
    end_ts = parse_timestamp(end, param="end") if end is not None else None

    lfs, back = lazy_tables(
        {"events": events, "orders": orders, "users": users}, engine=engine,
        columns={"events": [user_col, time_col], "orders": [user_col, time_col, amount_col, order_col],
                 "users": [user_col, signup_col]},
        times={"events": {time_col: "time_col"}, "orders": {time_col: "time_col"}, "users": {signup_col: "signup_col"}},
    )
    ev, od = lfs["events"], lfs["orders"]
    if od is None:
        raise InvalidParameterError("kpis needs `orders` (the sales KPIs start from them); `events` may be None "
                                    "for orders-only KPIs (buyers, orders, GMV, ARPPU, repeat rate).")
    require_columns(od, user_col=user_col, time_col=time_col, amount_col=amount_col, order_col=order_col)
    od = prepare_amount(prepare_time(od, time_col), amount_col)
    u, t = user_col, time_col
    od = od.filter(~nw.col(u).is_null() & ~nw.col(t).is_null())
    if exclude_refunds:  # a negative amount is a refund, not an order
        od = od.filter(~(nw.col(amount_col) < 0) | nw.col(amount_col).is_null())
    if ev is not None:
        require_columns(ev, user_col=user_col, time_col=time_col)
        ev = prepare_time(ev, time_col).filter(~nw.col(u).is_null() & ~nw.col(t).is_null())
    else:  # orders only: the traffic and activity KPIs are missing, sales KPIs as usual
        ev = od.select(u, t).head(0)

    # --- activity: one row per (user, day), a calendar of days with their period
    user_days = materialize(ev.select(u, nw.col(t).dt.truncate("1d").alias("_day")).unique([u, "_day"]))
    days = (
        user_days.group_by("_day")
        .agg(nw.len().alias("_dau"))
        .with_columns(_period_of_day(nw.col("_day"), freq).alias("period"), nw.col("_dau").cast(nw.Int64))
    )
    days = materialize(days)
    nxt = _next_active_day(user_days, u)
    windows = days.join(_rolling_actives(days, nxt, {"wau": 7, "mau": 30}), on="_day", how="left")
    activity = _activity(windows)
    if freq == "D":  # user_days holds each user once per day: the day's distinct users are its DAU
        uv = days.select("period", nw.col("_dau").alias("uv"))
    else:
        uv = user_days.group_by(_period_of_day(nw.col("_day"), freq).alias("period")).agg(nw.col(u).n_unique().alias("uv"))

    # --- new users
    if users is not None:
        us = lfs["users"]
        require_columns(us, user_col=user_col, signup_col=signup_col)
        us = prepare_time(us, signup_col, param="signup_col")
        first = us.filter(~nw.col(signup_col).is_null()).select(nw.col(signup_col).dt.truncate("1d").alias("_day"))
    else:  # first event (orders only: first order, i.e. new buyers)
        first = (user_days if events is not None else od.select(u, nw.col(t).dt.truncate("1d").alias("_day"))) \
            .group_by(u).agg(nw.col("_day").min()).select("_day")
    new = (
        first.with_columns(_period_of_day(nw.col("_day"), freq).alias("period"))
        .group_by("period")
        .agg(nw.len().alias("new_users"))
    )

    # --- sales: per (period, buyer) first, then per period
    count = nw.col(order_col).n_unique() if order_col else nw.len()
    per_buyer = (
        od.with_columns(
            _period_of_day(nw.col(t).dt.truncate("1d"), freq).alias("period"),
            (nw.col(amount_col).fill_null(0.0) * 100).round(0).cast(nw.Int64).alias("_cents"),
        )
        .group_by("period", u)
        .agg(count.alias("_n"), nw.col("_cents").sum())
        .with_columns((nw.col("_n") >= 2).cast(nw.Int64).alias("_rep"))
    )
    sales = per_buyer.group_by("period").agg(
        nw.len().alias("buyers"),
        nw.col("_n").sum().alias("orders"),
        nw.col("_rep").sum().alias("_repeat"),
        nw.col("_cents").sum(),
    )

    # --- one row per period
    periods = nw.concat([days.select("period"), sales.select("period")]).unique(["period"])
    out = (
        periods.join(uv, on="period", how="left")
        .join(activity, on="period", how="left")
        .join(new, on="period", how="left")
        .join(sales, on="period", how="left")
        .with_columns(
            nw.col("uv", "wau", "mau", "new_users", "buyers", "orders", "_repeat", "_cents")
            .fill_null(0)
            .cast(nw.Int64),
            nw.col("dau").fill_null(0.0).cast(nw.Float64),
        )
        .with_columns((nw.col("_cents") / 100).alias("gmv"))
        .with_columns(
            _ratio("dau", "mau").alias("stickiness"),
            _ratio("buyers", "uv").alias("cvr"),
            _ratio("gmv", "uv").alias("arpu"),
            _ratio("gmv", "buyers").alias("arppu"),
            _ratio("_repeat", "buyers").alias("repeat_rate"),
        )
    )
    if events is None:
        out = out.with_columns(*[nw.lit(None, dtype=nw.Float64).alias(c)
                                 for c in ("uv", "dau", "wau", "mau", "stickiness", "cvr", "arpu")])
    if start_ts is not None:
        out = out.filter(nw.col("period") >= nw.lit(start_ts))
    if end_ts is not None:
        out = out.filter(nw.col("period") <= nw.lit(end_ts))
    return _finish(back(out.select("period", *KPI_COLUMNS).sort("period")))


def _activity(windows: nw.LazyFrame) -> nw.LazyFrame:
    """Per period: mean DAU over its days, WAU/MAU on its last day with events."""
    last = windows.group_by("period").agg(nw.col("_day").max().alias("_day"), nw.col("_dau").mean().alias("dau"))
    return last.join(windows.select("_day", "wau", "mau"), on="_day", how="left").select(
        "period", "dau", "wau", "mau"
    )


# ------------------------------------------------------------------------------------ drivers
_FACTORS = ("uv", "cvr", "p")


def revenue_drivers(
    kpis,
    base,
    compare,
    *,
    lang: str | None = None,
    period_col: str = "period",
    uv_col: str = "uv",
    buyers_col: str = "buyers",
    gmv_col: str = "gmv",
):
    """Split the change of GMV between two periods into the parts due to UV, CVR and P.

    GMV = UV × CVR × P with CVR = buyers / UV and P = GMV / buyers (revenue per buyer, 客单价).
    The split is the **Shapley decomposition** (symmetric: each factor's contribution is its
    change times the average, over the 3! orders of changing the factors one at a time, of the
    other two factors' values at that moment). For three factors::

        ΔUV-part = ΔUV · [(CVR₀P₀ + CVR₁P₁)/3 + (CVR₀P₁ + CVR₁P₀)/6]   (and likewise for CVR, P)

    The three parts add up exactly to GMV₁ − GMV₀ (it is an algebraic identity; the arithmetic is
    done in exact fractions, so the only error is the final rounding of each part to a float).
    Unlike the log-mean Divisia index, it also works when a factor is 0.

    Parameters
    ----------
    kpis : frame
        Output of :func:`kpis` (or any frame with the period, UV, buyers and GMV columns).
    base, compare : date-like
        The two periods, as in the ``period`` column (e.g. ``"2025-03-01"`` for March with ``freq="M"``).
    lang : {"zh", "en"}, optional
        Language of ``factor_label``.
    period_col, uv_col, buyers_col, gmv_col : str
        Column names in ``kpis``.

    Returns
    -------
    frame of the input's kind with three rows (``uv``, ``cvr``, ``p``):

    - ``factor``: factor key; ``factor_label``: its name in ``lang``.
    - ``base``, ``compare``: the factor's value in each period (CVR is 0 when UV is 0; P is 0
      when there are no buyers).
    - ``contribution``: the factor's part of the GMV change (yuan); the three add up to the change.
    - ``share``: ``contribution / (GMV₁ − GMV₀)`` (missing when GMV did not change).

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import revenue_drivers
    >>> k = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]),
    ...                   "uv": [1000, 1200], "buyers": [50, 54], "gmv": [5000.0, 5940.0]})
    >>> revenue_drivers(k, "2025-01-01", "2025-02-01", lang="en")[["factor", "base", "compare", "contribution"]]
      factor     base   compare  contribution
    0     uv  1000.00  1200.000    996.666667
    1    cvr     0.05     0.045   -578.333333
    2      p   100.00   110.000    521.666667
    """
    lang = lang or get_lang()
    label("driver.uv", lang)  # validates lang
    b_ts = parse_timestamp(base, param="base")
    c_ts = parse_timestamp(compare, param="compare")
    lf, back = to_lazy(kpis, param="kpis")
    require_columns(lf, period_col=period_col, uv_col=uv_col, buyers_col=buyers_col, gmv_col=gmv_col)
    lf = prepare_time(lf, period_col, param="period_col")
    rows = (
        lf.filter((nw.col(period_col) == nw.lit(b_ts)) | (nw.col(period_col) == nw.lit(c_ts)))
        .select(period_col, uv_col, buyers_col, gmv_col)
        .collect()
        .rows(named=True)
    )
    found = {}
    for r in rows:
        p = r[period_col]
        key = _dt.datetime(p.year, p.month, p.day, getattr(p, "hour", 0), getattr(p, "minute", 0))
        found[key] = r
    values = []
    for param, ts in (("base", b_ts), ("compare", c_ts)):
        if ts not in found:
            avail = lf.select(period_col).collect()[period_col].to_list()
            shown = [str(getattr(a, "date", lambda: a)()) for a in avail[:12]]
            raise InvalidParameterError(
                f"`{param}`={str(ts.date()) if ts.time() == _dt.time() else str(ts)!r} is not a period "
                f"in `kpis` (column {period_col!r}). Available: {shown}{' …' if len(avail) > 12 else ''}."
            )
        r = found[ts]
        uv, buyers, gmv = int(r[uv_col] or 0), int(r[buyers_col] or 0), Fraction(float(r[gmv_col] or 0.0))
        if buyers == 0 and gmv != 0:
            raise DataValidationError(
                f"`kpis` row {param}={ts.date()} has {gmv_col}={float(gmv)} but {buyers_col}=0; "
                "GMV without buyers cannot be split into UV × CVR × P."
            )
        cvr = Fraction(buyers, uv) if uv else Fraction(0)
        p = gmv / buyers if buyers else Fraction(0)
        values.append((Fraction(uv), cvr, p, gmv))
    (x0, y0, z0, s0), (x1, y1, z1, s1) = values
    change = s1 - s0

    def shapley(d, a0, a1, b0, b1):
        return d * ((a0 * b0 + a1 * b1) / 3 + (a0 * b1 + a1 * b0) / 6)

    contrib = [
        shapley(x1 - x0, y0, y1, z0, z1),
        shapley(y1 - y0, x0, x1, z0, z1),
        shapley(z1 - z0, x0, x1, y0, y1),
    ]
    assert sum(contrib) == change  # exact in fractions
    data = {
        "factor": list(_FACTORS),
        "factor_label": [label(f"driver.{f}", lang) for f in _FACTORS],
        "base": [float(x0), float(y0), float(z0)],
        "compare": [float(x1), float(y1), float(z1)],
        "contribution": [float(c) for c in contrib],
        "share": [float(c / change) if change else float("nan") for c in contrib],
    }
    return back(pd.DataFrame(data))
