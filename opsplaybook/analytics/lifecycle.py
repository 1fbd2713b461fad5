"""User lifecycle (用户生命周期) on any engine: stages as of a date, stage counts, transitions, PostHog lifecycle."""
from __future__ import annotations

import datetime as _dt

import narwhals as nw

from ..errors import InvalidParameterError, check_choice
from ..labels import get_lang, label
from ._common import (
    check_period,
    column_names,
    day_number,
    parse_timestamp,
    period_label,
    period_number,
    prepare_time,
    require_columns,
)
from ._engine import distinct_pairs, to_lazy, to_lazy_like

__all__ = ["lifecycle", "lifecycle_counts", "lifecycle_transitions", "posthog_lifecycle", "STAGES", "POSTHOG_STATUSES"]

#: lifecycle stage keys in funnel order (labels: ``stage.<key>`` in the catalog)
STAGES = ("potential", "new", "active", "returning", "silent", "churned")
#: PostHog lifecycle statuses (labels: ``posthog.<key>``)
POSTHOG_STATUSES = ("new", "returning", "resurrecting", "dormant")
_U, _D = "__u", "__day"


def _check_days(**kw) -> None:
    for name, v in kw.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise InvalidParameterError(f"`{name}`={v!r} must be a whole number of days >= 1.")
    if kw["churn_days"] <= kw["silent_days"]:
        raise InvalidParameterError(
            f"`churn_days`={kw['churn_days']!r} must be larger than `silent_days`={kw['silent_days']!r} "
            "(a user is silent before being churned)."
        )


def _active_days(lf, user_col, time_col):
    """Distinct (user, day number) pairs of the event log."""
    return distinct_pairs(lf, user_col, time_col, day_number(nw.col(time_col), lf), u=_U, p=_D)


def _users_frame(users, like, *, user_col, signup_col):
    """The optional user table as (user, signup day number or null), on the events' engine."""
    ulf = to_lazy_like(users, like, param="users")
    require_columns(ulf, user_col=user_col)
    cols = column_names(ulf)
    if signup_col is not None and signup_col in cols:
        ulf = prepare_time(ulf, signup_col, param="signup_col")
        return ulf.select(nw.col(user_col).alias(_U), day_number(nw.col(signup_col), ulf).alias("__signup")).unique([_U], keep="any")
    if signup_col is not None and signup_col != "signup_ts":  # explicitly named but missing
        require_columns(ulf, signup_col=signup_col)
    return ulf.select(nw.col(user_col).alias(_U), (nw.lit(None).cast(nw.Float64)).alias("__signup")).unique([_U], keep="any")


def _stage_frame(days, ulf, as_of_day: float, *, new_days, silent_days, churn_days, return_days):
    """One row per user: ``__u`` and ``stage`` (key) as of the day number ``as_of_day``."""
    past = days.filter(nw.col(_D) <= as_of_day)
    gaps = past.with_columns(nw.col(_D).shift(1).over(_U, order_by=_D).alias("__prev")).with_columns(
        nw.when((nw.col(_D) - nw.col("__prev")) > silent_days).then(nw.col(_D)).alias("__comeback")
    )
    per_user = gaps.group_by(_U).agg(
        nw.col(_D).min().alias("__first"), nw.col(_D).max().alias("__last"), nw.col("__comeback").max().alias("__back")
    )
    if ulf is not None:
        known = ulf.filter(nw.col("__signup").is_null() | (nw.col("__signup") <= as_of_day)).select(_U)
        # users in the user table plus anyone active (an active user missing from the table still counts)
        universe = nw.concat([known, per_user.select(_U)], how="vertical").unique()
        per_user = universe.join(per_user, on=_U, how="left")
    since_last = as_of_day - nw.col("__last")
    stage = (
        nw.when(nw.col("__last").is_null()).then(nw.lit("potential"))
        .when((as_of_day - nw.col("__first")) < new_days).then(nw.lit("new"))
        .when(since_last >= churn_days).then(nw.lit("churned"))
        .when(since_last >= silent_days).then(nw.lit("silent"))
        .when(~nw.col("__back").is_null() & ((as_of_day - nw.col("__back")) < return_days)).then(nw.lit("returning"))
        .otherwise(nw.lit("active"))
    )
    return per_user.select(_U, stage.alias("stage"))


def _label_expr(lang: str) -> nw.Expr:
    expr = None
    for key in STAGES:
        text = nw.lit(label(f"stage.{key}", lang))
        expr = nw.when(nw.col("stage") == key).then(text) if expr is None else expr.when(nw.col("stage") == key).then(text)
    return expr.otherwise(nw.lit(None).cast(nw.String))


def lifecycle(
    events,
    *,
    as_of,
    users=None,
    # thresholds (days)
    new_days: int = 7,
    silent_days: int = 14,
    churn_days: int = 30,
    return_days: int = 7,
    # labels
    lang: str | None = None,
    # columns
    user_col: str = "user_id",
    time_col: str = "ts",
    signup_col: str | None = "signup_ts",
    engine: str = "auto",
):
    """Each user's lifecycle stage (生命周期阶段) as of a date.

    Activity is counted in calendar days: a user is *active on a day* when they have any event that
    day; only days up to and including ``as_of``'s day count. With *d* = days since the user's last
    active day, the stage is the first that applies:

    ========== ============================================================================
    potential  注册未活跃用户: in ``users`` (signed up by ``as_of``) but never active
    new        新用户: first active day less than ``new_days`` days ago
    churned    流失用户: *d* >= ``churn_days``
    silent     沉默用户: ``silent_days`` <= *d* < ``churn_days``
    returning  回流用户: active (*d* < ``silent_days``) and came back after having been silent
               or churned — two consecutive active days more than ``silent_days`` days apart —
               that comeback less than ``return_days`` days ago
    active     活跃用户: otherwise (*d* < ``silent_days``)
    ========== ============================================================================

    The defaults (7 / 14 / 30 / 7 days) are a common convention in Chinese user operations
    (近7日新增, 14天未活跃为沉默, 30天未活跃为流失); set them to your product's rhythm.

    Parameters
    ----------
    events : pandas, Polars, DuckDB or PySpark frame
        The event log (any event counts as activity; filter it first to use only some events).
    as_of : date, datetime or str
        The reference day (its whole day counts).
    users : frame, optional
        A user table (same engine) with ``user_col`` (and ``signup_col`` if present): users in it
        who signed up by ``as_of`` and were never active are "potential". Without it, the users
        are those with an event on or before ``as_of``.
    new_days, silent_days, churn_days, return_days : int
        Thresholds in days (see above); ``churn_days`` must exceed ``silent_days``.
    lang : {"zh", "en"}, optional
        Language of ``stage_label`` (default: :func:`opsplaybook.labels.get_lang`).
    user_col, time_col, signup_col : str
        Column names; ``signup_col`` is only used when ``users`` has it.
    engine : {"auto", "pandas", "duckdb", "polars"}
        For pandas input only: where the work runs.

    Returns
    -------
    frame of the input's engine, one row per user, sorted by user:
    ``user_col`` (the user), ``stage`` (str key, one of :data:`STAGES`), ``stage_label``
    (catalog label ``stage.<key>`` in ``lang``).

    Examples
    --------
    >>> import pandas as pd
    >>> import opsplaybook as ops
    >>> ev = pd.DataFrame({"user_id": [1, 2, 2, 3],
    ...                    "ts": pd.to_datetime(["2025-03-30", "2025-01-01", "2025-03-10", "2025-01-05"])})
    >>> ops.lifecycle(ev, as_of="2025-03-31", lang="en")
       user_id    stage stage_label
    0        1      new         New
    1        2   silent      Silent
    2        3  churned     Churned
    """
    _check_days(new_days=new_days, silent_days=silent_days, churn_days=churn_days, return_days=return_days)
    lang = lang or get_lang()
    label("stage.new", lang)  # validates lang
    day = _as_of_day(as_of, "as_of")
    lf, back = to_lazy(events, param="events", engine=engine, columns=[user_col, time_col], times={time_col: "time_col"})
    require_columns(lf, user_col=user_col, time_col=time_col)
    lf = prepare_time(lf, time_col)
    ulf = _users_frame(users, lf, user_col=user_col, signup_col=signup_col) if users is not None else None
    st = _stage_frame(
        _active_days(lf, user_col, time_col), ulf, day,
        new_days=new_days, silent_days=silent_days, churn_days=churn_days, return_days=return_days,
    )
    out = st.with_columns(_label_expr(lang).alias("stage_label")).sort(_U).rename({_U: user_col})
    return back(out)


def _as_of_day(value, param: str) -> float:
    ts = parse_timestamp(value, param=param)
    return float((_dt.date(ts.year, ts.month, ts.day) - _dt.date(1970, 1, 1)).days)


def _period_ends(start, end, freq: str) -> list[tuple[_dt.date, _dt.date]]:
    """(period start, last day) for each calendar period from ``start``'s period to ``end``'s."""
    s = parse_timestamp(start, param="start").date()
    e = parse_timestamp(end, param="end").date()
    if e < s:
        raise InvalidParameterError(f"`end`={end!r} is before `start`={start!r}.")
    out = []
    if freq == "D":
        cur = s
        while cur <= e:
            out.append((cur, cur))
            cur += _dt.timedelta(days=1)
    elif freq == "W":
        cur = s - _dt.timedelta(days=s.weekday())
        while cur <= e:
            out.append((cur, cur + _dt.timedelta(days=6)))
            cur += _dt.timedelta(days=7)
    else:
        cur = _dt.date(s.year, s.month, 1)
        while cur <= e:
            nxt = _dt.date(cur.year + (cur.month == 12), cur.month % 12 + 1, 1)
            out.append((cur, nxt - _dt.timedelta(days=1)))
            cur = nxt
    return out


def lifecycle_counts(
    events,
    *,
    start,
    end,
    freq: str = "M",
    users=None,
    new_days: int = 7,
    silent_days: int = 14,
    churn_days: int = 30,
    return_days: int = 7,
    user_col: str = "user_id",
    time_col: str = "ts",
    signup_col: str | None = "signup_ts",
    engine: str = "auto",
):
    """Users per lifecycle stage at the end of each period (for a stacked area/bar chart).

    For every calendar period (``freq``: "D" day, "W" Monday-start week, "M" month) from the one
    containing ``start`` to the one containing ``end``, the stages of :func:`lifecycle` are taken
    as of the period's last day. Stages with no user are omitted.

    Returns
    -------
    frame of the input's engine with columns ``period`` (datetime, start of the period), ``stage``
    (key, see :data:`STAGES`), ``users`` (int); sorted by period and stage order. For each period
    the ``users`` add up to the users known then.

    Examples
    --------
    >>> import pandas as pd
    >>> import opsplaybook as ops
    >>> ev = pd.DataFrame({"user_id": [1, 1, 2], "ts": pd.to_datetime(["2025-01-03", "2025-02-20", "2025-01-10"])})
    >>> ops.lifecycle_counts(ev, start="2025-01-01", end="2025-02-28", freq="M")
          period    stage  users
    0 2025-01-01   silent      2
    1 2025-02-01   active      1
    2 2025-02-01  churned      1
    """
    freq = check_period(freq, param="freq")
    _check_days(new_days=new_days, silent_days=silent_days, churn_days=churn_days, return_days=return_days)
    bounds = _period_ends(start, end, freq)
    lf, back = to_lazy(events, param="events", engine=engine, columns=[user_col, time_col], times={time_col: "time_col"})
    require_columns(lf, user_col=user_col, time_col=time_col)
    lf = prepare_time(lf, time_col)
    ulf = _users_frame(users, lf, user_col=user_col, signup_col=signup_col) if users is not None else None
    days = _active_days(lf, user_col, time_col)
    parts = []
    for i, (_, last_day) in enumerate(bounds):
        d = float((last_day - _dt.date(1970, 1, 1)).days)
        st = _stage_frame(days, ulf, d, new_days=new_days, silent_days=silent_days,
                          churn_days=churn_days, return_days=return_days)
        parts.append(st.group_by("stage").agg(nw.len().alias("users")).with_columns(nw.lit(i).alias("__i")))
    small = nw.concat(parts, how="vertical").collect().to_pandas()
    import pandas as pd

    order = {k: i for i, k in enumerate(STAGES)}
    small["period"] = pd.to_datetime([bounds[int(i)][0] for i in small["__i"]]).astype("datetime64[us]")
    small["__o"] = small["stage"].map(order)
    small = small.sort_values(["period", "__o"]).reset_index(drop=True)
    out = small[["period", "stage", "users"]].astype({"stage": "str", "users": "int64"})
    return back(out)


def lifecycle_transitions(
    events,
    start,
    end,
    *,
    users=None,
    new_days: int = 7,
    silent_days: int = 14,
    churn_days: int = 30,
    return_days: int = 7,
    user_col: str = "user_id",
    time_col: str = "ts",
    signup_col: str | None = "signup_ts",
    engine: str = "auto",
):
    """From→to table of lifecycle stages between two dates (the links of a Sankey chart).

    Each user known at ``end`` (active by then, or in ``users``) gets their :func:`lifecycle` stage
    as of ``start`` and as of ``end``; a user not yet known at ``start`` comes *from*
    "potential" (not yet active).

    Returns
    -------
    frame of the input's engine with columns ``from_stage``, ``to_stage`` (keys, see
    :data:`STAGES`) and ``users`` (int, > 0), sorted by stage order. ``users`` add up to the users
    known at ``end``.

    Examples
    --------
    >>> import pandas as pd
    >>> import opsplaybook as ops
    >>> ev = pd.DataFrame({"user_id": [1, 1, 2], "ts": pd.to_datetime(["2025-01-03", "2025-02-20", "2025-01-10"])})
    >>> ops.lifecycle_transitions(ev, "2025-01-31", "2025-02-28")
      from_stage to_stage  users
    0     silent   active      1
    1     silent  churned      1
    """
    _check_days(new_days=new_days, silent_days=silent_days, churn_days=churn_days, return_days=return_days)
    d0, d1 = _as_of_day(start, "start"), _as_of_day(end, "end")
    if d1 < d0:
        raise InvalidParameterError(f"`end`={end!r} is before `start`={start!r}.")
    lf, back = to_lazy(events, param="events", engine=engine, columns=[user_col, time_col], times={time_col: "time_col"})
    require_columns(lf, user_col=user_col, time_col=time_col)
    lf = prepare_time(lf, time_col)
    ulf = _users_frame(users, lf, user_col=user_col, signup_col=signup_col) if users is not None else None
    days = _active_days(lf, user_col, time_col)
    kw = dict(new_days=new_days, silent_days=silent_days, churn_days=churn_days, return_days=return_days)
    at_end = _stage_frame(days, ulf, d1, **kw).rename({"stage": "to_stage"})
    at_start = _stage_frame(days, ulf, d0, **kw).rename({"stage": "from_stage"})
    pairs = at_end.join(at_start, on=_U, how="left").with_columns(
        nw.col("from_stage").fill_null(nw.lit("potential"))
    )
    small = pairs.group_by("from_stage", "to_stage").agg(nw.len().alias("users")).collect().to_pandas()
    order = {k: i for i, k in enumerate(STAGES)}
    small = small.assign(__a=small["from_stage"].map(order), __b=small["to_stage"].map(order))
    small = small.sort_values(["__a", "__b"]).reset_index(drop=True)
    out = small[["from_stage", "to_stage", "users"]].astype({"from_stage": "str", "to_stage": "str", "users": "int64"})
    return back(out)


def posthog_lifecycle(
    events,
    *,
    freq: str = "W",
    users=None,
    user_col: str = "user_id",
    time_col: str = "ts",
    signup_col: str | None = "signup_ts",
    engine: str = "auto",
):
    """PostHog's lifecycle view: new / returning / resurrecting / dormant users per period.

    Semantics (PostHog "Lifecycle" insight; see METRICS.md), per calendar period (``freq``):

    * **new**: active this period and created this period (creation = ``signup_col`` of ``users``
      when given, else the period of the user's first event);
    * **returning**: active this period and the previous period;
    * **resurrecting**: active this period, not the previous one, and not new (a user created
      before their first event counts as resurrecting);
    * **dormant**: active the previous period but not this one — reported **negative**.

    new + returning + resurrecting = the period's active users. Periods run from the first to
    the last period with an event (dormant users of the period after the last are not reported).

    Returns
    -------
    frame of the input's engine with columns ``period`` (datetime, period start), ``status`` (one
    of :data:`POSTHOG_STATUSES`), ``users`` (int; dormant ≤ 0); every status for every period
    (0 when none), sorted by period then status order.

    Examples
    --------
    >>> import pandas as pd
    >>> import opsplaybook as ops
    >>> ev = pd.DataFrame({"user_id": [1, 1, 2], "ts": pd.to_datetime(["2025-01-06", "2025-01-13", "2025-01-06"])})
    >>> ops.posthog_lifecycle(ev, freq="W")
          period        status  users
    0 2025-01-06           new      2
    1 2025-01-06     returning      0
    2 2025-01-06  resurrecting      0
    3 2025-01-06       dormant      0
    4 2025-01-13           new      0
    5 2025-01-13     returning      1
    6 2025-01-13  resurrecting      0
    7 2025-01-13       dormant     -1
    """
    freq = check_period(freq, param="freq")
    lf, back = to_lazy(events, param="events", engine=engine, columns=[user_col, time_col], times={time_col: "time_col"})
    require_columns(lf, user_col=user_col, time_col=time_col)
    lf = prepare_time(lf, time_col)
    act = distinct_pairs(lf, user_col, time_col, period_number(nw.col(time_col), freq, lf), u=_U, p="__p")
    created = act.group_by(_U).agg(nw.col("__p").min().alias("__created"))
    if users is not None:
        ulf = to_lazy_like(users, lf, param="users")
        require_columns(ulf, user_col=user_col, signup_col=signup_col)
        ulf = prepare_time(ulf, signup_col, param="signup_col")
        signed = ulf.select(nw.col(user_col).alias(_U), period_number(nw.col(signup_col), freq, ulf).alias("__s")).unique([_U], keep="any")
        created = created.join(signed, on=_U, how="left").with_columns(
            nw.when(nw.col("__s").is_null()).then(nw.col("__created")).otherwise(nw.col("__s")).alias("__created")
        ).select(_U, "__created")
    seq = act.with_columns(
        nw.col("__p").shift(1).over(_U, order_by="__p").alias("__prev"),
        nw.col("__p").shift(-1).over(_U, order_by="__p").alias("__next"),
    ).join(created, on=_U, how="left")
    status = (
        nw.when(nw.col("__p") == nw.col("__created")).then(nw.lit("new"))
        .when(nw.col("__prev") == nw.col("__p") - 1).then(nw.lit("returning"))
        .otherwise(nw.lit("resurrecting"))
    )
    active = seq.with_columns(status.alias("status")).group_by("__p", "status").agg(nw.len().alias("users"))
    dormant = (
        seq.filter(nw.col("__next").is_null() | (nw.col("__next") != nw.col("__p") + 1))
        .with_columns((nw.col("__p") + 1).alias("__p"))
        .group_by("__p").agg(nw.len().alias("users"))
        .with_columns(nw.lit("dormant").alias("status"))
        .select("__p", "status", "users")
    )
    small = nw.concat([active.select("__p", "status", "users"), dormant], how="vertical").collect().to_pandas()
    return back(_assemble_posthog(small, freq))


def _assemble_posthog(small, freq):
    import numpy as np
    import pandas as pd

    cols = ["period", "status", "users"]
    if small.empty:
        return pd.DataFrame({"period": pd.Series([], dtype="datetime64[us]"), "status": pd.Series([], dtype="str"),
                             "users": pd.Series([], dtype="int64")})
    p = small["__p"].astype("float64")
    first = p[small["status"] != "dormant"].min()
    last = p[small["status"] != "dormant"].max()
    grid = pd.MultiIndex.from_product([np.arange(first, last + 1), list(POSTHOG_STATUSES)], names=["__p", "status"])
    vals = small.assign(__p=p, users=small["users"].astype("int64")).groupby(["__p", "status"])["users"].sum()
    full = vals.reindex(grid, fill_value=0).reset_index()
    full["users"] = np.where(full["status"] == "dormant", -full["users"], full["users"]).astype("int64")
    full["period"] = [period_label(int(x), freq) for x in full["__p"]]
    full["period"] = pd.to_datetime(full["period"]).astype("datetime64[us]")
    return full[cols].astype({"status": "str"})


_ = check_choice
