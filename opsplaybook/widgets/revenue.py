"""Module 0's explorer: what moved revenue between two periods, S = UV × CVR × P.

The state (:class:`RevenueDriverState`) computes, once at creation, the period KPIs of the whole
company and of every group of each breakdown (:func:`opsplaybook.kpis`); each change of the two
periods or of the breakdown then only splits the GMV change with
:func:`opsplaybook.revenue_drivers` (Shapley split, exact) for the whole company and for each group.
The view (:func:`revenue_driver_explorer`) shows the waterfall, the per-group split and the KPI table.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .._frames import as_pandas
from ..errors import InvalidParameterError, check_choice, check_columns, check_lang, did_you_mean
from ..labels import label
from ._base import ExplorerState, register

__all__ = ["RevenueDriverState", "revenue_driver_explorer"]

_FACTORS = ("uv", "cvr", "p")
#: the value of ``breakdown`` for "no breakdown" (a string: a dropdown cannot hold None as a value)
NO_BREAKDOWN = "none"
#: rows of the KPI table (columns of :func:`opsplaybook.kpis`), in order
KPI_ROWS = ("gmv", "uv", "cvr", "arppu", "buyers", "orders", "arpu", "new_users", "dau", "mau",
            "stickiness", "repeat_rate")
_PERCENT = {"cvr", "stickiness", "repeat_rate"}
_MONEY = {"gmv", "arpu", "arppu"}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _tables(data, *, user_col: str):
    """``(events, orders, users)`` as pandas frames from a World, a mapping or an object with them."""
    if isinstance(data, Mapping):
        get = data.get
    else:
        def get(name, default=None):
            return getattr(data, name, default)
    events, orders, users = get("events"), get("orders"), get("users")
    if events is None or orders is None:
        raise InvalidParameterError(
            f"`data` must be a World (e.g. `ops.load_demo()`) or a dict with 'events' and 'orders' "
            f"(and optionally 'users') frames; got {type(data).__name__}."
        )
    events = as_pandas(events, param="data.events")
    orders = as_pandas(orders, param="data.orders")
    users = as_pandas(users, param="data.users") if users is not None else None
    return events, orders, users


class RevenueDriverState(ExplorerState):
    """State of the revenue-driver explorer (plain Python: no widgets, no browser).

    Parameters
    ----------
    data : World or mapping
        A world (``ops.load_demo()``, ``ops.generate_world(...)``) or ``{"events": ..., "orders":
        ..., "users": ...}`` with the columns named below (``users`` is needed for breakdowns).
    base, compare : date-like, optional
        The two periods (a period start as in ``kpis()["period"]``, e.g. ``"2025-11-01"`` for
        November with ``freq="M"``). Default: the last two periods of the data.
    breakdown : str, optional
        A column of ``users`` to split by (one of ``breakdowns``); ``"none"`` (or ``None``): the
        whole company only.
    lang : {"zh", "en"}
        Language of labels and texts.
    freq : {"M", "W", "D"}
        Length of a period: calendar month, ISO week, day.
    breakdowns : sequence of str
        The user columns offered as breakdowns (each is prepared once at creation).
    max_groups : int
        Groups shown per breakdown: the largest ``max_groups - 1`` by users, the rest merged into
        one group "其他 / Other" (UV, buyers and GMV add up across disjoint groups of users).
    user_col, time_col, amount_col, signup_col : str
        Column names (of events, orders and users), as in :func:`opsplaybook.kpis`.
    engine : str
        Passed to :func:`opsplaybook.kpis` for the preparation. The explorer holds the tables in
        memory as pandas frames; ``"pandas"`` is the fastest engine for them (a Polars, DuckDB or
        Spark input is converted to pandas first, so the explorer is for data that fits in memory).

    Attributes (after each :meth:`update`)
    --------------------------------------
    drivers : DataFrame
        ``revenue_drivers(kpis, base, compare)`` of the whole company: one row per factor
        (``uv``, ``cvr``, ``p``) with ``base``, ``compare``, ``contribution`` and ``share``.
    gmv_base, gmv_compare, gmv_change : float
        GMV of the two periods and its change (the contributions add up to ``gmv_change``).
    kpi_table : DataFrame
        One row per KPI of :data:`KPI_ROWS`: ``metric``, ``label``, ``base``, ``compare``,
        ``change``, ``change_pct`` (the whole company).
    by_group : DataFrame or None
        With a breakdown: one row per group (``group``, ``gmv_base``, ``gmv_compare``,
        ``gmv_change``, ``uv``, ``cvr``, ``p`` — each group's own Shapley split) and a last row
        summing the groups; the groups' changes add up to ``gmv_change``.
    group_drivers : dict
        ``group -> revenue_drivers(...)`` frame of each group.
    summary : str
        One sentence that says what moved revenue ("data that talks").

    Examples
    --------
    >>> import opsplaybook as ops
    >>> state = RevenueDriverState(ops.load_demo(), lang="en")
    >>> state.update(breakdown="platform").by_group["group"].iloc[-1]
    'Sum of groups'
    >>> bool(abs(state.drivers["contribution"].sum() - state.gmv_change) < 1e-6)
    True
    """

    controls = ("base", "compare", "breakdown")

    def __init__(self, data, *, base=None, compare=None, breakdown: str | None = None, lang: str = "zh",
                 freq: str = "M", breakdowns: Sequence[str] = ("channel", "city_tier", "platform"),
                 max_groups: int = 8, user_col: str = "user_id", time_col: str = "ts",
                 amount_col: str = "amount", signup_col: str = "signup_ts", engine: str = "pandas"):
        from ..analytics import kpis

        self.lang = check_lang(lang)
        self.freq = check_choice("freq", freq, ("M", "W", "D"))
        if not isinstance(max_groups, int) or max_groups < 2:
            raise InvalidParameterError(f"`max_groups`={max_groups!r} must be an integer ≥ 2, e.g. 8.")
        events, orders, users = _tables(data, user_col=user_col)
        check_columns(events.columns, user_col=user_col, time_col=time_col)
        check_columns(orders.columns, user_col=user_col, time_col=time_col, amount_col=amount_col)
        # only the columns the KPIs read: the per-group copies below stay small
        events = events[[user_col, time_col]]
        orders = orders[[user_col, time_col, amount_col]]
        self.user_col = user_col
        breakdowns = [breakdowns] if isinstance(breakdowns, str) else list(breakdowns or ())
        if breakdowns and users is None:
            raise InvalidParameterError(
                f"`breakdowns`={breakdowns} need the users table: pass a World or a dict with 'users' "
                "(or `breakdowns=()`)."
            )
        if users is not None:
            check_columns(users.columns, user_col=user_col, **{f"breakdowns[{i}]": b for i, b in enumerate(breakdowns)})
        self.breakdowns = tuple(breakdowns)
        opts = dict(freq=self.freq, user_col=user_col, time_col=time_col, amount_col=amount_col,
                    signup_col=signup_col, engine=engine)

        # --- prepared once: period KPIs of the whole company and of each group
        # sign-ups count as new users when the users table has them (else: first event, see kpis)
        kusers = users[[user_col, signup_col]] if users is not None and signup_col in users.columns else None
        self.kpis = kpis(events, orders, users=kusers, **opts)
        self.periods = [pd.Timestamp(p) for p in self.kpis["period"]]
        if len(self.periods) < 1:
            raise InvalidParameterError("`data` has no events or orders: nothing to explore.")
        self.group_kpis: dict[str, dict[str, pd.DataFrame]] = {}
        # users with events or orders but no row in `users` count in the "missing" group, so that
        # the groups always add up to the whole company
        unknown = pd.Index(pd.concat([events[user_col], orders[user_col]]).unique())
        unknown = unknown.difference(pd.Index(users[user_col])) if users is not None else unknown[:0]
        for dim in self.breakdowns:
            self.group_kpis[dim] = {}
            for name, ids in self._groups(users, dim, max_groups, unknown):
                sub = kpis(events[events[user_col].isin(ids)], orders[orders[user_col].isin(ids)],
                           users=None if kusers is None else kusers[kusers[user_col].isin(ids)], **opts)
                self.group_kpis[dim][name] = self._all_periods(sub)
        # what each split reads (period, UV, buyers, GMV): smaller frames make every update cheaper
        split_cols = ["period", "uv", "buyers", "gmv"]
        self._split = {dim: {name: k[split_cols] for name, k in groups.items()} for dim, groups in self.group_kpis.items()}
        self._split_total = self.kpis[split_cols]

        # --- the parameters
        self.base = self._period(base, "base") if base is not None else self.periods[max(0, len(self.periods) - 2)]
        self.compare = self._period(compare, "compare") if compare is not None else self.periods[-1]
        self.breakdown = self._check_value("breakdown", NO_BREAKDOWN if breakdown is None else breakdown)
        self.compute()

    # ------------------------------------------------------------------ preparation helpers
    def _groups(self, users: pd.DataFrame, dim: str, max_groups: int, unknown: pd.Index):
        """``[(group label, user ids)]``: the largest groups by users, the rest as one "other" group;
        ``unknown`` users (not in ``users``) go with the users whose ``dim`` is missing."""
        missing = label("widget.missing_value", self.lang)
        if len(unknown):
            users = pd.concat([users[[self.user_col, dim]], pd.DataFrame({self.user_col: unknown, dim: None})],
                              ignore_index=True)
        col = users[dim]
        values = col.astype(object).where(col.notna(), missing)
        counts = values.value_counts(sort=False)
        order = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else None
        if order is None:  # largest first, ties by value
            counts = counts.sort_index(key=lambda ix: ix.astype(str)).sort_values(ascending=False, kind="stable")
        else:
            counts = counts.reindex([c for c in order if c in counts.index] + [v for v in counts.index if v not in order])
        keep = list(counts.index) if len(counts) <= max_groups else list(counts.index[: max_groups - 1])
        out = [(str(v), users.loc[values == v, self.user_col]) for v in keep]
        if len(keep) < len(counts):
            out.append((label("widget.other_groups", self.lang), users.loc[~values.isin(keep), self.user_col]))
        return out

    def _all_periods(self, k: pd.DataFrame) -> pd.DataFrame:
        """A group's KPIs on every period of the whole company (0 where the group had no activity)."""
        k = k.set_index("period").reindex(pd.DatetimeIndex(self.periods, name="period"))
        counts = ["uv", "buyers", "orders", "new_users", "wau", "mau"]
        k[counts] = k[counts].fillna(0).astype("int64")
        k[["gmv", "dau"]] = k[["gmv", "dau"]].fillna(0.0)
        return k.reset_index()

    def _period(self, value, name: str) -> pd.Timestamp:
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError):
            ts = None
        if ts is not None and ts in self.periods:
            return ts
        shown = [self.period_label(p) for p in self.periods]
        starts = [str(p.date()) for p in self.periods]
        raise InvalidParameterError(
            f"`{name}`={value!r} is not a period of the data (freq={self.freq!r}: periods start on "
            f"{starts[0]} … {starts[-1]}). Pass a period start such as {starts[-1]!r} ({shown[-1]})."
            + did_you_mean(str(value), starts)
        )

    # ------------------------------------------------------------------ the pattern
    def period_label(self, p: pd.Timestamp) -> str:
        """A period as people say it: "2025年11月" / "Nov 2025" (month), "2025-11-03当周" (week) …"""
        template = label(f"widget.period.{self.freq}", self.lang)
        return template.format(year=p.year, month=p.month, mon=_MONTHS_EN[p.month - 1], date=p.date())

    def options(self, name: str) -> list[tuple[str, object]]:
        self._check_name(name)
        if name in ("base", "compare"):
            return [(self.period_label(p), p) for p in self.periods]
        return [(label("widget.breakdown.none", self.lang), NO_BREAKDOWN)] + [
            (label(f"col.{d}", self.lang, default=d), d) for d in self.breakdowns
        ]

    def _check_value(self, name: str, value):
        if name in ("base", "compare"):
            return self._period(value, name)
        if name == "breakdown" and value is None:
            value = NO_BREAKDOWN
        return super()._check_value(name, value)

    def compute(self) -> None:
        from ..analytics import revenue_drivers

        lang = self.lang
        self.drivers = revenue_drivers(self._split_total, self.base, self.compare, lang=lang)
        rows = self.kpis.set_index("period")
        b, c = rows.loc[self.base], rows.loc[self.compare]
        self.gmv_base, self.gmv_compare = float(b["gmv"]), float(c["gmv"])
        self.gmv_change = self.gmv_compare - self.gmv_base
        table = []
        for m in KPI_ROWS:
            vb, vc = float(b[m]), float(c[m])
            table.append({"metric": m, "label": label(f"kpi.{m}", lang, default=m), "base": vb, "compare": vc,
                          "change": vc - vb, "change_pct": (vc - vb) / vb if vb else float("nan")})
        self.kpi_table = pd.DataFrame(table)

        self.group_drivers = {}
        self.by_group = None
        if self.breakdown != NO_BREAKDOWN:
            groups = []
            for name, k in self.group_kpis[self.breakdown].items():
                d = revenue_drivers(self._split[self.breakdown][name], self.base, self.compare, lang=lang)
                self.group_drivers[name] = d
                gk = k.set_index("period")
                g0, g1 = float(gk.at[self.base, "gmv"]), float(gk.at[self.compare, "gmv"])
                parts = dict(zip(d["factor"], d["contribution"]))
                groups.append({"group": name, "gmv_base": g0, "gmv_compare": g1, "gmv_change": g1 - g0,
                               **{f: float(parts[f]) for f in _FACTORS}})
            total = {"group": label("widget.sum_of_groups", lang)}
            for col in ("gmv_base", "gmv_compare", "gmv_change", *_FACTORS):
                total[col] = sum(g[col] for g in groups)
            self.by_group = pd.DataFrame([*groups, total])
        self.summary = self._summary()
        self._computed()

    def check(self) -> list[str]:
        """The split adds up: the three parts to the GMV change, each group's parts to its change,
        and the groups' changes to the whole company's (to the cent)."""
        wrong = []
        total = float(self.drivers["contribution"].sum())
        if abs(total - self.gmv_change) > 1e-6 * max(1.0, abs(self.gmv_change)):
            wrong.append(f"UV + CVR + P parts = {total} but the GMV change is {self.gmv_change}")
        if self.by_group is not None:
            g = self.by_group.iloc[:-1]
            gap = (g[list(_FACTORS)].sum(axis=1) - g["gmv_change"]).abs().max()
            if gap > 1e-6 * max(1.0, g["gmv_change"].abs().max()):
                wrong.append(f"a group's parts miss its change by {gap}")
            if abs(g["gmv_change"].sum() - self.gmv_change) > 0.01:
                wrong.append(f"groups' changes sum to {g['gmv_change'].sum()} but the GMV change is {self.gmv_change}")
        return wrong

    # ------------------------------------------------------------------ "data that talks"
    def money(self, x: float, *, signed: bool = False) -> str:
        from ..charts import format_number

        s = format_number(abs(x) if signed else x, self.lang, kind="yuan")
        return (("+" if x >= 0 else "-") + s) if signed else s

    def _summary(self) -> str:
        lang = self.lang
        if self.base == self.compare:
            return label("widget.same_period", lang)
        parts = dict(zip(self.drivers["factor"], self.drivers["contribution"]))
        pct = f"{self.gmv_change / self.gmv_base:+.1%}" if self.gmv_base else self.money(self.gmv_change, signed=True)
        text = label("widget.drivers.summary", lang).format(
            who="", s0=self.money(self.gmv_base), s1=self.money(self.gmv_compare), change=pct,
            base=self.period_label(self.base), compare=self.period_label(self.compare),
            **{f: self.money(parts[f], signed=True) for f in _FACTORS},
        )
        if self.by_group is not None and len(self.by_group) > 1:
            g = self.by_group.iloc[:-1]
            top = g.loc[g["gmv_change"].abs().idxmax()]
            text += (" " if lang == "en" else "") + label("widget.drivers.summary.largest", lang).format(
                group=top["group"], value=self.money(top["gmv_change"], signed=True))
        return text

    def format_value(self, metric: str, x: float, *, signed: bool = False) -> str:
        """A KPI value for the table: ¥ for money, % for rates, thousands for counts."""
        if x != x:  # NaN
            return "–"
        if metric in _MONEY:
            return self.money(x, signed=signed)
        if metric in _PERCENT:  # a change of a rate is in percentage points
            return f"{x * 100:+.1f}pp" if signed else f"{x:.1%}"
        if metric in ("dau",):
            return f"{x:+,.1f}" if signed else f"{x:,.1f}"
        return f"{x:+,.0f}" if signed else f"{x:,.0f}"


# ---------------------------------------------------------------------------------- the view
def _texts(state: RevenueDriverState) -> dict[str, str]:
    from ._view import html_table

    lang = state.lang
    b, c = state.period_label(state.base), state.period_label(state.compare)
    kt = state.kpi_table
    rows, signs = [], {}
    for i, r in enumerate(kt.itertuples()):
        pct = "–" if r.change_pct != r.change_pct else f"{r.change_pct:+.1%}"
        rows.append([r.label, state.format_value(r.metric, r.base), state.format_value(r.metric, r.compare),
                     state.format_value(r.metric, r.change, signed=True), pct])
        signs[(i, 3)] = signs[(i, 4)] = r.change
    kpi_html = html_table([label("widget.col.metric", lang), b, c, label("widget.col.change", lang),
                           label("widget.col.change_pct", lang)], rows, signs=signs)
    out = {"summary": f'<p class="opsplaybook-summary" style="font-size:14px">{_escape(state.summary)}</p>'}
    if state.by_group is not None:
        g = state.by_group
        grows, gsigns = [], {}
        for i, r in enumerate(g.itertuples()):
            grows.append([r.group, state.money(r.gmv_base), state.money(r.gmv_compare),
                          state.money(r.gmv_change, signed=True),
                          *(state.money(getattr(r, f), signed=True) for f in _FACTORS)])
            for j, col in enumerate(("gmv_change", *_FACTORS), start=3):
                gsigns[(i, j)] = getattr(r, col)
        gmv = label("driver.gmv", lang)
        out["groups"] = html_table(
            [label(f"col.{state.breakdown}", lang, default=state.breakdown), f"{gmv} {b}", f"{gmv} {c}",
             label("widget.col.gmv_change", lang), label("widget.col.uv_part", lang),
             label("widget.col.cvr_part", lang), label("widget.col.p_part", lang)],
            grows, signs=gsigns, bold_last=True)
    else:
        out["groups"] = ""
    out["kpis"] = kpi_html
    return out


def _escape(s: str) -> str:
    import html

    return html.escape(s)


def _draw(state: RevenueDriverState, fig) -> None:
    from ..charts.drivers import plot_revenue_drivers_by, plot_revenue_waterfall

    b, c = state.period_label(state.base), state.period_label(state.compare)
    if state.by_group is None:
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.92)
        ax = fig.add_subplot(1, 1, 1)
        plot_revenue_waterfall(state.drivers, ax=ax, lang=state.lang, base_label=b, compare_label=c)
        return
    # room on the left of the right panel for the group names
    longest = max(len(str(g)) for g in state.by_group["group"].iloc[:-1])
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.86, wspace=0.15 + 0.025 * min(longest, 14))
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1])
    plot_revenue_waterfall(state.drivers, ax=left, lang=state.lang, base_label=b, compare_label=c)
    plot_revenue_drivers_by(state.by_group.iloc[:-1], ax=right, lang=state.lang)


@register(state=RevenueDriverState, module=0)
def revenue_driver_explorer(world, *, lang: str = "zh", base=None, compare=None, breakdown: str | None = None,
                            freq: str = "M", breakdowns: Sequence[str] = ("channel", "city_tier", "platform"),
                            chart: bool = True, **columns):
    """Live explorer of the revenue-driver split S = UV × CVR × P (销售额 = 访客数 × 转化率 × 客单价).

    Two sliders pick the base and the compare period, a dropdown a breakdown (none, acquisition
    channel, city tier, platform …); the waterfall shows how much of the GMV change came from
    visitors (UV), conversion (CVR) and revenue per buyer (P) — the Shapley split of
    :func:`opsplaybook.revenue_drivers`, whose three parts add up exactly to the change — and,
    with a breakdown, each group's own split. A sentence says what moved revenue, and the KPI table
    (:func:`opsplaybook.kpis`) of both periods updates.

    Parameters
    ----------
    world : World or mapping
        ``ops.load_demo()``, a generated world, or ``{"events": ..., "orders": ..., "users": ...}``.
    lang : {"zh", "en"}
        Language of every label.
    base, compare, breakdown, freq, breakdowns
        Start values and options; see :class:`RevenueDriverState`.
    chart : bool
        Draw the chart (``False``: tables and sentence only).
    **columns
        ``user_col=``, ``time_col=``, ``amount_col=``, ``signup_col=``, ``max_groups=``, ``engine=``
        for a team's own tables (see :class:`RevenueDriverState`).

    Returns
    -------
    ipywidgets.VBox
        Display it as the last line of a cell. ``.state`` is the :class:`RevenueDriverState`,
        ``.controls`` the controls by name (``"base"``, ``"compare"``, ``"breakdown"``), ``.texts``
        the HTML outputs and ``.chart`` the chart image.

    Examples
    --------
    >>> import opsplaybook as ops
    >>> w = revenue_driver_explorer(ops.load_demo(), lang="en")
    >>> w.controls["breakdown"].value = "channel"        # what a learner does with the dropdown
    >>> w.state.breakdown, w.renders
    ('channel', 2)
    """
    try:
        import ipywidgets  # noqa: F401
    except ImportError:  # pragma: no cover - ipywidgets is a dependency of the kit
        raise ImportError("revenue_driver_explorer needs ipywidgets: pip install ipywidgets") from None
    from ._view import ExplorerWidget, selection_control

    state = RevenueDriverState(world, base=base, compare=compare, breakdown=breakdown, lang=lang, freq=freq,
                               breakdowns=breakdowns, **columns)
    controls = {
        "base": selection_control(state, "base", label("widget.base_period", lang)),
        "compare": selection_control(state, "compare", label("widget.compare_period", lang)),
        "breakdown": selection_control(state, "breakdown", label("widget.breakdown", lang), kind="dropdown",
                                       width="300px"),
    }
    return ExplorerWidget(state, controls, texts=_texts, draw=_draw if chart else None, figsize=(12, 5))
