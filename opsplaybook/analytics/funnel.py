"""Conversion funnels (漏斗分析) on any engine: one narwhals implementation, Mixpanel "first attempt" semantics."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

import narwhals as nw

from ..errors import ColumnNotFoundError, InvalidParameterError, check_choice, closest, did_you_mean
from ._common import (
    as_list,
    column_names,
    epoch_us,
    normalize_steps,
    parse_window,
    prepare_time,
    require_columns,
)
from ._engine import EventLog, _is_pd_frame, asof_forward, back_to, event_log, materialize, to_lazy, to_lazy_like

__all__ = ["funnel", "ORDERS"]

ORDERS = ("sequential", "strict", "any")
_U, _T, _E, _R = "__u", "__t", "__e", "__rid"


def funnel(
    events,
    steps: Sequence[str | Sequence[str]],
    *,
    window: object = "7D",
    order: str = "sequential",
    # breakdown
    by: str | Sequence[str] | None = None,
    users=None,
    # columns
    user_col: str = "user_id",
    time_col: str = "ts",
    event_col: str = "event",
    # execution
    engine: str = "auto",
):
    """Ordered conversion funnel (漏斗): how many users reach each step, and how fast.

    Semantics: **Mixpanel "uniques", first attempt.** A user's attempt starts at their *first*
    step-1 event (later step-1 events do not restart it); each next step is matched by the *first*
    matching event at or after the time of the previous step's event, and must happen within
    ``window`` of the step-1 event (the window is inclusive: an event exactly ``window`` after step 1
    still counts). Each user is counted once per step. This is also PostHog's "sequential" order
    with the "first occurrence" option; PostHog's default "best attempt in the window" can count
    more users when an early step-1 attempt fails and a later one succeeds.

    Details that follow from this:

    * **same timestamp**: events with equal times are treated as simultaneous, so a step-2 event at
      exactly the time of the step-1 event converts (in either row order);
    * **repeated steps**: a step that repeats an earlier step's event (``["view", "view"]``) needs
      a second, different event row (it may share the timestamp);
    * **alternatives**: a step given as a list (``["product1", "product2"]``) is reached by any of
      its events;
    * ``order="strict"``: as sequential, and in addition the user has *no other event* (of any
      name, funnel or not) strictly between the previous step's event and this step's event
      (PostHog's "strict order", Amplitude's "exact order"); events at the same time as either of
      the two do not break the chain;
    * ``order="any"``: the attempt starts at the user's first event of *any* step; a user reaches
      row *k* when they did each of steps 1 … *k*, in any order, within ``window`` of that start
      (Mixpanel/Amplitude "any order"). Steps may not share events in this mode.

    Parameters
    ----------
    events : pandas, Polars, DuckDB or PySpark frame
        The event log, one row per event.
    steps : list of str or list of (list of str)
        The funnel's steps in order. A step may be a list of alternative events. An event name
        that does not occur in ``events`` is refused when it looks like a typo of one that does
        (or when no step event occurs at all); otherwise its step simply has 0 users.
    window : str, timedelta, fixed pandas offset or None, default "7D"
        Conversion window counted from the step-1 event (``"7D"``, ``"24h"``, ``"30min"``,
        ``timedelta(days=7)``, ``pd.offsets.Day(7)``); ``None`` means unbounded.
    order : {"sequential", "strict", "any"}, default "sequential"
        See above.
    by : str or list of str, optional
        Break the funnel down by these columns. A column of ``users`` (joined on ``user_col``) is a
        user attribute (channel, segment); a column of ``events`` is taken from the event that
        opened the user's attempt (first touch; ties at the same time: the smallest value).
        Columns are looked up in ``users`` first.
    users : frame, optional
        A user table (same engine as ``events``) with ``user_col`` and the ``by`` columns.
    user_col, time_col, event_col : str
        Column names (defaults: the synthetic world's ``user_id``, ``ts``, ``event``).
    engine : {"auto", "pandas", "duckdb", "polars"}
        For pandas input only: where the work runs (``"auto"``: Polars when it is installed, else
        pandas; see ``opsplaybook.analytics._engine.settings``).

    Returns
    -------
    frame of the same engine as ``events``, one row per step (per ``by`` group):

    ``by`` columns
        The breakdown values (only when ``by`` is given).
    step : int
        1-based step number.
    step_name : str
        The step's event, alternatives joined with ``"|"``.
    users : int
        Users who reached the step (users of the group who did step 1, for step 1).
    conversion : float
        ``users / users of step 1`` (overall conversion; NaN when step 1 has no users).
    step_conversion : float
        ``users / users of the previous step`` (1.0 for step 1 with users; NaN when 0 / 0).
    drop_off : int
        Users who reached the previous step but not this one (0 for step 1).
    median_time : timedelta
        Median time from the previous step's event to this step's event over the users who
        reached this step (NaT for step 1, and when nobody reached the step). With
        ``order="any"``: the median time between completing steps 1 … k-1 and completing 1 … k.

    Notes
    -----
    Repeated funnels on one pandas frame (a widget's updates, other steps or windows) are fast: the
    first sequential funnel run on Polars prepares the frame's event log (integer user codes, each
    step event's rows), which is cached with the frame and reused while the frame is unchanged;
    a frame changed in place is prepared again. Strict and any-order funnels, repeated step events
    and ``by`` columns of ``events`` are computed without it (same results either way).

    Raises
    ------
    ColumnNotFoundError
        A column named by ``user_col``/``time_col``/``event_col``/``by`` is missing.
    InvalidParameterError
        Empty steps, a step event not in the data, an unknown ``order``, a window that does not parse.
    DataValidationError
        The time column holds values that are not times, or mixes time zones.

    Examples
    --------
    >>> import pandas as pd
    >>> import opsplaybook as ops
    >>> ev = pd.DataFrame({
    ...     "user_id": [1, 1, 1, 2, 2, 3],
    ...     "ts": pd.to_datetime(["2025-01-01 10:00", "2025-01-01 10:05", "2025-01-01 11:00",
    ...                           "2025-01-02 09:00", "2025-01-02 09:30", "2025-01-03 08:00"]),
    ...     "event": ["visit", "view", "purchase", "visit", "view", "visit"],
    ... })
    >>> ops.funnel(ev, ["visit", "view", "purchase"], window="1D")[["step", "users", "conversion"]]
       step  users  conversion
    0     1      3    1.000000
    1     2      2    0.666667
    2     3      1    0.333333
    """
    check_choice("order", order, ORDERS)
    step_sets = normalize_steps(steps)
    win = parse_window(window)
    by_cols = as_list(by)
    for c in by_cols:
        if not isinstance(c, str):
            raise InvalidParameterError(f"`by` must be a column name or a list of column names; got {c!r}.")
    if len(set(by_cols)) != len(by_cols) or set(by_cols) & {"step", "step_name", "users"}:
        raise InvalidParameterError(f"`by`={by!r}: names must be distinct and not output column names.")
    log = _prepared_log(events, users, step_sets, order, by_cols, engine=engine,
                        user_col=user_col, time_col=time_col, event_col=event_col)
    if log is not None:
        return _funnel_on_log(log, events, users, step_sets, win, by_cols, user_col=user_col)

    # a Polars LazyFrame's .columns resolves the schema with a PerformanceWarning; collect_schema() does not warn
    ev_cols = list(events.collect_schema().names() if hasattr(events, "collect_schema") else getattr(events, "columns", []))
    lf, back = to_lazy(
        events, param="events", engine=engine,
        columns=[user_col, time_col, event_col, *[c for c in by_cols if c in ev_cols]],
        times={time_col: "time_col"},
    )
    require_columns(lf, user_col=user_col, time_col=time_col, event_col=event_col)

    # where does each `by` column come from?
    user_by: list[str] = []
    ev_by: list[str] = []
    ulf = None
    if users is not None:
        ulf = to_lazy_like(users, lf, param="users")
        ucols = column_names(ulf)
        require_columns(ulf, user_col=user_col)
    else:
        ucols = []
    ecols = column_names(lf)
    for c in by_cols:
        if c in ucols and c != user_col:
            user_by.append(c)
        elif c in ecols:
            ev_by.append(c)
        else:
            avail = ecols + [x for x in ucols if x not in ecols]
            raise ColumnNotFoundError(
                f"Column {c!r} given in `by` is in neither `events` nor `users`. Available: {avail}."
                + did_you_mean(c, avail)
            )
    if order == "any":
        seen: dict[str, int] = {}
        for i, s in enumerate(step_sets, start=1):
            for e in s:
                if e in seen:
                    raise InvalidParameterError(
                        f"`steps`: event {e!r} is in step {seen[e]} and step {i}; with order='any' "
                        "steps may not share events. Use order='sequential' for repeated steps."
                    )
                seen[e] = i

    lf = prepare_time(lf, time_col)
    base = lf.select(
        nw.col(user_col).alias(_U), nw.col(time_col).alias(_T), nw.col(event_col).alias(_E),
        *[nw.col(c) for c in ev_by],
    )
    all_events = sorted({e for s in step_sets for e in s})
    fev = base.filter(nw.col(_E).is_in(all_events))

    if order == "any":
        final = _any_order(fev, step_sets, win, ev_by)
    else:
        chain = _sequential(base, fev, step_sets, win, ev_by, strict=(order == "strict"))
        final = chain.final() if by_cols else chain

    if user_by:
        assert ulf is not None
        attrs = ulf.select(nw.col(user_col).alias(_U), *[nw.col(c) for c in user_by]).unique([_U], keep="any")
        final = final.join(attrs, on=_U, how="left")

    small = _summarize(final, step_sets, by_cols)
    _check_steps_exist(base, all_events, _proven_present(small, step_sets))
    return back(_assemble(small, step_sets, by_cols))


def _summarize(final, step_sets, by_cols):
    """Users per step (``__n1`` …) and median step times (``__m2`` …) per ``by`` group, as pandas.

    ``final`` is one row per step-1 user with the step times, or (no ``by``) a :class:`_Chain`,
    whose links already hold each step's users with their previous and this step's time: the
    figures are read off the links, without joining them onto the step-1 users first.
    """
    if isinstance(final, _Chain):
        return final.summary()
    k = len(step_sets)
    t = [f"__t{i}" for i in range(1, k + 1)]
    if k > 1:
        final = final.with_columns(
            *[(epoch_us(nw.col(t[i]), final) - epoch_us(nw.col(t[i - 1]), final)).alias(f"__d{i + 1}") for i in range(1, k)]
        )
    aggs = [nw.col(t[i]).count().alias(f"__n{i + 1}") for i in range(k)]
    aggs += [nw.col(f"__d{i + 1}").median().alias(f"__m{i + 1}") for i in range(1, k)]
    if by_cols:
        summary = final.group_by(*by_cols).agg(*aggs)
    else:
        summary = final.select(*aggs)
    return summary.collect().to_pandas()


# ----------------------------------------------------------------------------- the prepared path
def _prepared_log(events, users, step_sets, order, by_cols, *, engine, user_col, time_col, event_col):
    """The cached :class:`~._engine.EventLog` of a pandas ``events`` frame when this funnel can run on it.

    That is: sequential order, no step repeating another step's event, and ``by`` columns (if any)
    all from ``users``. Strict and any-order funnels, repeated steps and first-touch ``by`` columns
    of ``events`` take the plain path (as do non-pandas inputs and pandas inputs run elsewhere).
    """
    if order != "sequential" or _steps_overlap(step_sets) or not _is_pd_frame(events):
        return None
    if by_cols:
        if users is None:
            return None
        try:
            ucols = column_names(nw.from_native(users))
        except TypeError:
            return None  # not a frame: the plain path names the problem
        if any(c not in ucols or c == user_col for c in by_cols):
            return None
    return event_log(events, engine=engine, user_col=user_col, time_col=time_col, event_col=event_col)


def _funnel_on_log(log: EventLog, events, users, step_sets, win, by_cols, *, user_col):
    """The sequential funnel on a prepared log.

    The first funnel of a frame runs :func:`_sequential`'s join chain on each step's rows of the
    log (integer user codes; nothing sorted yet). Later ones take step 1 from each user's first
    step-1 event (kept with the log) and one as-of join per step: the first step-k event at or
    after the user's step k-1 event, kept when it is within the window of step 1 — the same
    definition, on each step's rows sorted once (kept with the log; by the packed (user, time)
    key when it fits, else by time), without the join chain's rows per user and event.
    """
    if log.uses == 0:
        parts = log.rows_many(step_sets)
        chain = _sequential(None, None, step_sets, win, [], strict=False, parts=parts)
    else:
        first = log.first(step_sets[0])
        cur, links = first, []
        for i in range(2, len(step_sets) + 1):
            ti, prev = f"__t{i}", f"__t{i - 1}"
            part = log.part(step_sets[i - 1])
            if log.packed:  # one key (user, time): the next row of the same user or none
                left = cur.with_columns(log.key(prev).alias("__kl"))
                right = part.select(nw.col(_U).alias("__ur"), nw.col(_T).alias(ti), nw.col(log.K).alias("__kr"))
                joined = asof_forward(left, right, left_on="__kl", right_on="__kr")
                keep = nw.col("__ur") == nw.col(_U)
            else:
                right = part.select(_U, nw.col(_T).alias(ti))
                joined = asof_forward(cur, right, left_on=prev, right_on=ti, by=_U)
                keep = ~nw.col(ti).is_null()
            if win is not None:
                keep = keep & (nw.col(ti) <= nw.col("__t1") + win)
            nxt = materialize(joined.filter(keep))
            links.append(nxt.select(_U, prev, ti))
            cur = nxt.select(_U, "__t1", ti)
        chain = _Chain(first, links)
    final = chain
    if by_cols:
        ulf = to_lazy_like(users, chain.first, param="users")
        require_columns(ulf, user_col=user_col)
        attrs = log.users_table(ulf.select(user_col, *by_cols), user_col)
        final = chain.final().join(attrs.select(_U, *by_cols).unique([_U], keep="any"), on=_U, how="left")
    small = _summarize(final, step_sets, by_cols)
    log.uses += 1
    all_events = sorted({e for s in step_sets for e in s})
    if not all(log.occurs(e) for e in all_events):
        _refuse_typos(all_events, log.events)
    return back_to(events)(_assemble(small, step_sets, by_cols))


def _proven_present(small, step_sets) -> set[str]:
    """Step events the funnel's own counts prove to occur: a single-event step that some user reached."""
    present: set[str] = set()
    for i, s in enumerate(step_sets, start=1):
        col = f"__n{i}"
        if len(s) == 1 and col in small.columns and len(small) and small[col].fillna(0).sum() > 0:
            present.add(s[0])
    return present


def _check_steps_exist(base: nw.LazyFrame, all_events: list[str], proven: set[str] = frozenset()) -> None:
    """Refuse step events that are typos: none of the steps occurs, or a missing one is close to a real one.

    A correctly spelled event that just did not happen in this slice of data is allowed (0 users).
    Runs after the funnel itself: events in ``proven`` (a single-event step some user reached) need no
    scan, so the usual funnel costs no extra pass over the event log.
    """
    unproven = [e for e in all_events if e not in proven]
    if not unproven:
        return
    present = base.filter(nw.col(_E).is_in(unproven)).select(_E).unique().collect()[_E].to_list()
    if set(unproven) <= set(present):  # one cheap filtered scan
        return
    known = base.select(_E).unique().collect()[_E].to_list()
    _refuse_typos(all_events, sorted(str(x) for x in known if x is not None))


def _refuse_typos(all_events: list[str], known: list[str]) -> None:
    """Raise for a step event missing from ``known`` (the data's events) that looks like a typo,
    or when none of the step events occurs."""
    if not known or set(all_events) <= set(known):  # empty event log: nothing to check against
        return
    missing = [e for e in all_events if e not in known]
    for bad in missing:
        if closest(bad, known) is not None or len(missing) == len(all_events):
            raise InvalidParameterError(
                f"`steps`: event {bad!r} does not occur in the `event` column. Events in the data: {known}."
                + did_you_mean(bad, known)
            )


def _sequential(base, fev, step_sets, win, ev_by, *, strict: bool, parts=None):
    """Per step-1 user: ``__t1`` … ``__tK`` (null from the first step not reached) and the ``by`` values.

    Step k is computed from the users who reached step k-1 only (an inner chain, like hand-written
    SQL); each link is materialized so that DuckDB/Polars do not re-run the chain, and the links
    are left-joined onto the step-1 users at the end. ``parts`` (non-strict funnels without
    repeated step events only): each step's rows (``__u``, ``__t``) given, instead of filtering
    ``base`` (a prepared log picks them out itself).
    """
    k = len(step_sets)
    overlap = _steps_overlap(step_sets)
    # non-strict steps only ever read their own events: filter the log once per step, to that step
    # (the row index of repeated steps is numbered over the step events only, so it stays small)
    src_all = fev if (overlap and not strict) else base
    if overlap:
        src_all = src_all.with_row_index(_R, order_by=[_U, _T, _E])
        src_all = materialize(src_all)
    s1 = parts[0] if parts is not None else src_all.filter(nw.col(_E).is_in(list(step_sets[0])))
    first_aggs = [nw.col(_T).min().alias("__t1")]
    if overlap:
        first_aggs.append(nw.col(_R).min().alias("__r1"))
    first = s1.group_by(_U).agg(*first_aggs)
    if ev_by:  # the by value on the step-1 event that opened the attempt
        first = (
            first.join(s1.select(_U, nw.col(_T).alias("__tt"), *ev_by), on=_U, how="inner")
            .filter(nw.col("__tt") == nw.col("__t1"))
            .group_by(_U)
            .agg(*[nw.col(c).min() for c in ["__t1", *(["__r1"] if overlap else []), *ev_by]])
        )
    first = materialize(first)
    links = []
    cur = first.select(_U, "__t1", *(["__r1"] if overlap else []))
    for i in range(2, k + 1):
        prev = nw.col(f"__t{i - 1}")
        if parts is not None:
            src = parts[i - 1]
        else:
            src = src_all if strict else src_all.filter(nw.col(_E).is_in(list(step_sets[i - 1])))
        cols = [_U, _T] + ([_E] if strict else []) + ([_R] if overlap else [])
        joined = cur.join(src.select(*cols), on=_U, how="inner").filter(nw.col(_T) >= prev)
        if win is not None:
            joined = joined.filter(nw.col(_T) <= nw.col("__t1") + win)
        elig = nw.lit(True)
        if strict:
            elig = nw.col(_E).is_in(list(step_sets[i - 1]))
        if overlap:
            for j in range(1, i):
                elig = elig & (nw.col(_R) != nw.col(f"__r{j}"))
        carried = [c for c in cur.collect_schema().names() if c != _U]
        # conditional values are computed as columns first, then aggregated plainly (narwhals'
        # pandas backend ignores the condition of when/then inside group_by().agg())
        # (a plain sequential step counts every row: its time is taken as it is)
        cond_cols = [(nw.when(elig).then(nw.col(_T)) if strict or overlap else nw.col(_T)).alias("__ct")]
        if overlap:
            cond_cols.append(nw.when(elig).then(nw.col(_R)).alias("__cr"))
        if strict:
            cond_cols.append(nw.when(nw.col(_T) > prev).then(nw.col(_T)).alias("__cn"))
        aggs = [nw.col(c).min() for c in carried]
        aggs.append(nw.col("__ct").min().alias(f"__t{i}"))
        if overlap:
            aggs.append(nw.col("__cr").min().alias(f"__r{i}"))
        if strict:
            aggs.append(nw.col("__cn").min().alias("__next"))
        nxt = joined.with_columns(*cond_cols).group_by(_U).agg(*aggs).filter(~nw.col(f"__t{i}").is_null())
        if strict:
            # the step event must be at the previous step's time or at the user's very next time
            nxt = nxt.filter(nw.col("__next").is_null() | (nw.col(f"__t{i}") <= nw.col("__next"))).drop("__next")
        nxt = materialize(nxt)
        links.append(nxt.select(_U, f"__t{i - 1}", f"__t{i}"))
        # only what the next step needs travels on: t1 (window), the last time, and the used rows
        cur = nxt.select(_U, "__t1", f"__t{i}", *([f"__r{j}" for j in range(1, i + 1)] if overlap else []))
    return _Chain(first.select(_U, "__t1", *ev_by), links)


@dataclass
class _Chain:
    """A sequential funnel as computed: ``first`` (``__u``, ``__t1`` and the ``by`` values of
    events) holds the step-1 users; ``links[i - 2]`` (``__u``, ``__t{i-1}``, ``__t{i}``) the users
    who reached step ``i``, one row each."""

    first: nw.LazyFrame
    links: list

    def final(self) -> nw.LazyFrame:
        """One row per step-1 user with every step's time (null from the first step not reached)."""
        out = self.first
        for i, link in enumerate(self.links, start=2):
            out = out.join(link.select(_U, f"__t{i}"), on=_U, how="left")
        return out

    def summary(self):
        """Users per step and median step times (the no-``by`` case of :func:`_summarize`), as pandas:
        one row per link, cross-joined into one row and collected once (one query on every engine)."""
        out = self.first.select(nw.col("__t1").count().alias("__n1"))  # (a user whose times are all missing has none)
        for i, link in enumerate(self.links, start=2):
            a, b = nw.col(f"__t{i - 1}"), nw.col(f"__t{i}")
            d = link.with_columns((epoch_us(b, link) - epoch_us(a, link)).alias("__d"))
            out = out.join(d.select(b.count().alias(f"__n{i}"), nw.col("__d").median().alias(f"__m{i}")), how="cross")
        k = len(self.links) + 1
        return out.select(*[f"__n{i}" for i in range(1, k + 1)], *[f"__m{i}" for i in range(2, k + 1)]).collect().to_pandas()


def _any_order(fev, step_sets, win, ev_by):
    k = len(step_sets)
    anchor = fev.group_by(_U).agg(nw.col(_T).min().alias("__t0"))
    if ev_by:
        anchor = (
            anchor.join(fev.select(_U, nw.col(_T).alias("__tt"), *ev_by), on=_U, how="inner")
            .filter(nw.col("__tt") == nw.col("__t0"))
            .group_by(_U)
            .agg(nw.col("__t0").min(), *[nw.col(c).min() for c in ev_by])
        )
    joined = anchor.join(fev.select(_U, _T, _E), on=_U, how="inner")
    in_win = nw.lit(True) if win is None else (nw.col(_T) <= nw.col("__t0") + win)
    conds = [
        nw.when(in_win & nw.col(_E).is_in(list(s))).then(nw.col(_T)).alias(f"__f{i}")
        for i, s in enumerate(step_sets, start=1)
    ]
    aggs = [nw.col(c).min() for c in ["__t0", *ev_by]] + [
        nw.col(f"__f{i}").min() for i in range(1, len(step_sets) + 1)
    ]
    per_user = joined.with_columns(*conds).group_by(_U).agg(*aggs)
    done = []
    reached = nw.lit(True)
    for i in range(1, k + 1):
        reached = reached & ~nw.col(f"__f{i}").is_null()
        completion = nw.max_horizontal(*[nw.col(f"__f{j}") for j in range(1, i + 1)]) if i > 1 else nw.col("__f1")
        done.append(nw.when(reached).then(completion).alias(f"__t{i}"))
    return per_user.with_columns(*done)


def _steps_overlap(step_sets) -> bool:
    seen: set[str] = set()
    for s in step_sets:
        if seen & set(s):
            return True
        seen |= set(s)
    return False


def _assemble(small, step_sets, by_cols):
    import numpy as np
    import pandas as pd

    k = len(step_sets)
    names = ["|".join(s) for s in step_sets]
    if by_cols:
        small = small.sort_values(by_cols, na_position="last", kind="stable").reset_index(drop=True)
    elif len(small) == 0:
        small = pd.DataFrame({f"__n{i}": [0] for i in range(1, k + 1)})
    rows = []
    for _, r in small.iterrows():
        n = [int(r[f"__n{i}"]) if pd.notna(r[f"__n{i}"]) else 0 for i in range(1, k + 1)]
        for i in range(1, k + 1):
            med = r.get(f"__m{i}") if i > 1 else None
            med_td = int(np.round(med)) if med is not None and pd.notna(med) else None
            rows.append(
                {
                    **{c: r[c] for c in by_cols},
                    "step": i,
                    "step_name": names[i - 1],
                    "users": n[i - 1],
                    "conversion": n[i - 1] / n[0] if n[0] else np.nan,
                    "step_conversion": (n[i - 1] / n[i - 2] if n[i - 2] else np.nan) if i > 1 else (1.0 if n[0] else np.nan),
                    "drop_off": n[i - 2] - n[i - 1] if i > 1 else 0,
                    "median_time": med_td,
                }
            )
    cols = [*by_cols, "step", "step_name", "users", "conversion", "step_conversion", "drop_off", "median_time"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.astype(
        {"step": "int64", "step_name": "str", "users": "int64", "conversion": "float64",
         "step_conversion": "float64", "drop_off": "int64"}
    )
    med_us = pd.array(out["median_time"].astype(object).where(out["median_time"].notna(), None).tolist(), dtype="Int64")
    out["median_time"] = pd.to_timedelta(med_us.astype("float64"), unit="us").astype("timedelta64[us]")
    for c in by_cols:  # keep the by columns' own dtype where pandas inferred object
        if out[c].dtype == object and len(out) and small[c].dtype != object:
            out[c] = out[c].astype(small[c].dtype)
    return out


_ = _dt  # datetime is used in docstrings/examples
