"""Cohort retention (留存分析) on any engine: one narwhals implementation, PostHog/Mixpanel definitions."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import narwhals as nw

from ..errors import InvalidParameterError, check_choice
from ._common import as_list, check_period, period_label, period_number, prepare_time, require_columns
from ._engine import collect_all, distinct_pairs, distinct_pairs_with_first, materialize, sharing, to_lazy

__all__ = ["retention", "RetentionResult", "MODES", "DEFAULT_PERIODS"]

MODES = ("on", "on_or_after")
#: how many periods after period 0 are shown when ``periods`` is not given
DEFAULT_PERIODS = {"D": 30, "W": 12, "M": 12}
_U = "__u"


@dataclass
class RetentionResult:
    """The result of :func:`retention`; frames are of the input's engine (pandas in → pandas).

    Attributes
    ----------
    matrix : frame
        One row per cohort: ``cohort`` (datetime, start of the cohort's period), ``cohort_size``
        (int, users), then ``"0"``, ``"1"``, … (float): share of the cohort retained in period *n*;
        missing (NaN/null) where the cohort has not reached period *n* yet.
    mean : frame
        One row per period index: ``period`` (int), ``weighted`` (retained users of all cohorts that
        reached the period / their users — the default curve of PostHog and Amplitude), ``simple``
        (plain mean of those cohorts' shares), ``cohorts`` (int, how many cohorts reached it).
    counts : frame
        Same shape as ``matrix`` with retained users instead of shares (nullable integers).
    period, mode : str
        The options the result was computed with.
    """

    matrix: object
    mean: object
    counts: object
    period: str = "D"
    mode: str = "on"
    _pandas: dict = field(default_factory=dict, repr=False)

    def _repr_html_(self) -> str:  # Jupyter shows the matrix as a table of percentages
        m = self._pandas.get("matrix")
        if m is None:
            from .._frames import as_pandas

            m = as_pandas(self.matrix, param="matrix")
        shown = m.copy()
        for c in shown.columns[2:]:
            shown[c] = shown[c].map(lambda v: "" if v != v else f"{v:.1%}")
        title = f"Retention ({'on' if self.mode == 'on' else 'on or after'}, period {self.period})"
        return f"<div><b>{title}</b>{shown.to_html(index=False)}</div>"


def retention(
    events,
    *,
    period: str = "D",
    mode: str = "on",
    start_event: str | Sequence[str] | None = None,
    return_event: str | Sequence[str] | None = None,
    periods: int | None = None,
    # columns
    user_col: str = "user_id",
    time_col: str = "ts",
    event_col: str = "event",
    # execution
    engine: str = "auto",
) -> RetentionResult:
    """Cohort × period retention matrix with cohort sizes and the mean curves.

    Semantics: **PostHog retention, "first time" cohorts, "on" / "on or after" criteria, period 0
    reference** (Mixpanel "birth" retention, "On" / "On or After"; 神策 特定日期留存).

    * **cohort**: the calendar period (day, Monday-start week, month) of the user's *first*
      ``start_event``; each user belongs to one cohort;
    * **period index** *n*: the calendar difference between the period of a ``return_event`` and
      the cohort period (a return on the next calendar day is day 1, whatever the hour);
    * ``mode="on"``: retained in period *n* if the user did a return event *in* period *n*;
      ``mode="on_or_after"``: in period *n* or any later period (unbounded retention);
    * **period 0** is 1 for every cohort by definition (the cohort is the users active then);
    * a cohort has **reached** period *n* when ``cohort + n`` is not after the last period in
      ``events`` (the last, possibly partial, period counts); unreached cells are missing, not 0;
    * **weighted mean** (default in PostHog/Amplitude): retained users of the cohorts that reached
      period *n* divided by those cohorts' users; **simple mean**: mean of their shares.

    Parameters
    ----------
    events : pandas, Polars, DuckDB or PySpark frame
        The event log.
    period : {"D", "W", "M"}, default "D"
        Cohort and period length: day, week (Monday start), calendar month.
    mode : {"on", "on_or_after"}, default "on"
    start_event, return_event : str or list of str, optional
        Events that put a user in a cohort / count as a return; ``None`` means any event.
    periods : int, optional
        Number of periods after period 0 to show (default 30 days, 12 weeks, 12 months).
    user_col, time_col, event_col : str
        Column names (defaults: the synthetic world's).
    engine : {"auto", "pandas", "duckdb", "polars"}
        For pandas input only: where the work runs.

    Returns
    -------
    RetentionResult
        ``.matrix``, ``.mean``, ``.counts`` (frames of the input's engine) — see
        :class:`RetentionResult` for their columns. In Jupyter it displays as the matrix.

    Raises
    ------
    ColumnNotFoundError, InvalidParameterError, DataValidationError

    Examples
    --------
    >>> import pandas as pd
    >>> import opsplaybook as ops
    >>> ev = pd.DataFrame({"user_id": [1, 1, 2, 2, 3],
    ...                    "ts": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-01",
    ...                                          "2025-01-03", "2025-01-02"]),
    ...                    "event": "visit"})
    >>> r = ops.retention(ev, period="D", periods=2)
    >>> r.matrix
          cohort  cohort_size    0    1    2
    0 2025-01-01            2  1.0  0.5  0.5
    1 2025-01-02            1  1.0  0.0  NaN
    >>> r.mean
       period  weighted  simple  cohorts
    0       0  1.000000    1.00        2
    1       1  0.333333    0.25        2
    2       2  0.500000    0.50        1
    """
    period = check_period(period)
    check_choice("mode", mode, MODES)
    if periods is None:
        periods = DEFAULT_PERIODS[period]
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 0:
        raise InvalidParameterError(f"`periods`={periods!r} must be a whole number >= 0, e.g. 30.")
    starts_ev = as_list(start_event)
    returns_ev = as_list(return_event)
    for name, val in (("start_event", starts_ev), ("return_event", returns_ev)):
        if not all(isinstance(v, str) and v for v in val):
            raise InvalidParameterError(f"`{name}` must be an event name or a list of names; got {val!r}.")

    lf, back = to_lazy(events, param="events", engine=engine,
                       columns=[user_col, time_col, *([event_col] if starts_ev or returns_ev else [])],
                        times={time_col: "time_col"})
    require_columns(lf, user_col=user_col, time_col=time_col, event_col=event_col if (starts_ev or returns_ev) else None)
    lf = prepare_time(lf, time_col)
    ts = nw.col(time_col)

    start_rows = lf.filter(nw.col(event_col).is_in(starts_ev)) if starts_ev else lf
    ret_rows = lf.filter(nw.col(event_col).is_in(returns_ev)) if returns_ev else lf
    # distinct (user, period) pairs: one pass over the log, like the hand-written SQL's DISTINCT
    per = period_number(ts, period, lf)
    any_event = not starts_ev and not returns_ev
    # with any event starting and returning, a user's cohort is the first of their (user, period)
    # pairs: on Polars the sorted pairs carry it (no join); elsewhere it is joined on below
    with sharing() as share:  # DuckDB: the shared pairs in a temporary table, dropped after the collect
        rets = distinct_pairs_with_first(ret_rows, user_col, time_col, per, u=_U, p="__p", first="__c") if any_event else None
        if rets is not None:
            rets = share(rets)
            cohorts = rets.filter(nw.col("__p") == nw.col("__c")).select(_U, "__c")  # each user's first pair
            last = rets.select(nw.col("__p").max().alias("__last"))
        else:
            rets = share(distinct_pairs(ret_rows, user_col, time_col, per, u=_U, p="__p"))
            if any_event:  # every event starts and returns: cohorts and the last period come from the pairs
                cohorts = rets.group_by(_U).agg(nw.col("__p").min().alias("__c"))
                last = rets.select(nw.col("__p").max().alias("__last"))
            else:
                cohorts = (start_rows.group_by(user_col).agg(ts.min().alias("__t0")).rename({user_col: _U})
                           .select(_U, period_number(nw.col("__t0"), period, lf).alias("__c")))
                last = lf.select(period_number(ts.max(), period, lf).alias("__last"))
            cohorts = materialize(cohorts)  # one row per user, used twice
            rets = rets.join(cohorts, on=_U, how="inner")
        hits = rets.with_columns((nw.col("__p") - nw.col("__c")).alias("__n")).filter(nw.col("__n") >= 1)
        if mode == "on":
            cell = hits.filter(nw.col("__n") <= periods).group_by("__c", "__n").agg(nw.len().alias("__k"))
        else:  # on or after: a user retained in n counts for every n' <= their last return
            cell = (
                hits.group_by(_U, "__c").agg(nw.col("__n").max().alias("__n"))
                .group_by("__c", "__n").agg(nw.len().alias("__k"))
            )
        sizes = cohorts.group_by("__c").agg(nw.len().alias("__size"))
        sizes_pd, cell_pd, last_pd = collect_all([sizes, cell, last])
    sizes_pd["__label"] = [period_label(c, period) for c in sizes_pd["__c"]]
    matrix, counts, mean = _assemble(sizes_pd, cell_pd, last_pd, periods, mode)
    return RetentionResult(
        matrix=back(matrix), mean=back(mean), counts=back(counts), period=period, mode=mode,
        _pandas={"matrix": matrix},
    )


def _assemble(sizes, cell, last, periods: int, mode: str):
    import numpy as np
    import pandas as pd

    cols = [str(n) for n in range(periods + 1)]
    last_p = last["__last"].iloc[0] if len(last) else np.nan
    sizes = sizes.dropna(subset=["__c"]).sort_values("__c").reset_index(drop=True)
    c_num = sizes["__c"].to_numpy(dtype="float64")
    size = sizes["__size"].to_numpy(dtype="float64")
    grid = np.zeros((len(sizes), periods + 1))
    grid[:, 0] = size
    if len(cell):
        pos = {c: i for i, c in enumerate(c_num)}
        for c, n, k in cell[["__c", "__n", "__k"]].itertuples(index=False):
            n = int(n)
            if mode == "on":
                grid[pos[float(c)], n] += k
            else:  # users whose last return is n count for 1..min(n, periods)
                grid[pos[float(c)], 1 : min(n, periods) + 1] += k
    reached = (c_num[:, None] + np.arange(periods + 1)[None, :]) <= last_p
    grid = np.where(reached, grid, np.nan)
    shares = grid / size[:, None] if len(sizes) else grid

    label = pd.to_datetime(sizes["__label"])
    if getattr(label.dt, "tz", None) is not None:
        label = label.dt.tz_localize(None)
    label = label.astype("datetime64[us]")
    base = pd.DataFrame({"cohort": label, "cohort_size": sizes["__size"].astype("int64")})
    matrix = pd.concat([base, pd.DataFrame(shares, columns=cols)], axis=1)
    counts = pd.concat([base, pd.DataFrame(grid, columns=cols).round().astype("Int64")], axis=1)

    with np.errstate(invalid="ignore", divide="ignore"):
        n_cohorts = reached.sum(axis=0)
        weighted_num = np.nansum(grid, axis=0)
        weighted_den = np.where(reached, size[:, None], 0).sum(axis=0)
        weighted = np.where(weighted_den > 0, weighted_num / np.where(weighted_den > 0, weighted_den, 1), np.nan)
        simple = np.where(n_cohorts > 0, np.nansum(shares, axis=0) / np.maximum(n_cohorts, 1), np.nan)
    mean = pd.DataFrame(
        {
            "period": np.arange(periods + 1, dtype="int64"),
            "weighted": weighted.astype("float64"),
            "simple": simple.astype("float64"),
            "cohorts": n_cohorts.astype("int64"),
        }
    )
    return matrix, counts, mean


_ = _dt
