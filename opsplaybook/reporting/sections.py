"""The sections of the playbook report: each computes its figures with the kit's analyses, draws its
charts and returns them; :mod:`.run` decides which sections the given tables allow.

Every section function takes the prepared tables (kit column names) and the language, and returns a
:class:`Section`. Figures go into ``summary.json``; the action rules of the catalog read them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..labels import label

__all__ = ["Section", "SECTIONS"]


@dataclass
class Section:
    """One part of the report."""

    key: str
    figures: dict = field(default_factory=dict)       # numbers for summary.json and the action rules
    tables: list = field(default_factory=list)        # (caption, DataFrame) shown in the HTML
    charts: list = field(default_factory=list)        # matplotlib Figures
    notes: list = field(default_factory=list)         # sentences shown under the heading
    skipped: str | None = None                        # why the section could not run
    actions: list = field(default_factory=list)       # filled by the action rules
    user_columns: pd.DataFrame | None = None          # per-user columns for the exports (indexed by user)


def _pandas(x) -> pd.DataFrame:
    from .._frames import as_pandas

    return as_pandas(x)


def _monthly_kpis(t) -> pd.DataFrame:
    """The monthly KPI table, computed once per report (overview and drivers both read it: on a large
    event log it is the report's most expensive analysis)."""
    if "kpis_monthly" not in t:
        import opsplaybook as ops

        k = _pandas(ops.kpis(t.get("events"), t["orders"], freq="M", users=t.get("users")))
        t["kpis_monthly"] = k.sort_values("period").reset_index(drop=True)
    return t["kpis_monthly"].copy()


def overview(t, lang):
    import opsplaybook as ops

    s = Section("overview")
    k = _monthly_kpis(t)
    cols = [c for c in ("period", "uv", "mau", "new_users", "buyers", "orders", "gmv", "cvr", "arppu", "repeat_rate")
            if c in k.columns and (c not in ("uv", "mau", "cvr") or t.get("events") is not None)]
    s.tables.append((label("report.section.overview", lang), k[cols]))
    metrics = [m for m in ("gmv", "buyers", "orders", "uv", "cvr", "arppu") if m in cols]
    s.charts.append(ops.plot_kpi_dashboard(k, metrics=metrics[:6], lang=lang).figure)
    if len(k) >= 2 and k["gmv"].iloc[-2]:
        s.figures["gmv_change"] = float(k["gmv"].iloc[-1] / k["gmv"].iloc[-2] - 1)
    s.figures.update(gmv=float(k["gmv"].sum()), orders=int(k["orders"].sum()))
    return s


def drivers(t, lang):
    import opsplaybook as ops

    s = Section("drivers")
    k = _monthly_kpis(t)
    if len(k) < 2:
        s.skipped = "—"
        return s
    base, compare = k["period"].iloc[-2], k["period"].iloc[-1]
    d = _pandas(ops.revenue_drivers(k, base, compare, lang=lang))
    s.tables.append((f"{pd.Timestamp(base):%Y-%m} → {pd.Timestamp(compare):%Y-%m}", d))
    return s


def funnel(t, lang, steps=None):
    import opsplaybook as ops

    s = Section("funnel")
    ev = t["events"]
    steps = list(steps or [])
    if len(steps) < 2:
        s.skipped = ("漏斗需要至少两个步骤：在 mapping.yaml 的 funnel: 中写出事件名。" if lang == "zh" else
                     "A funnel needs two or more steps: list event names under funnel: in mapping.yaml.")
        return s
    f = _pandas(ops.funnel(ev, steps, window="7D"))
    s.tables.append((" → ".join(steps), f))
    s.charts.append(ops.plot_funnel(f, lang=lang).figure)
    users = f["users"].to_numpy(dtype=float)
    rates = users[1:] / np.where(users[:-1] > 0, users[:-1], np.nan)
    if len(rates) and np.isfinite(rates).any():
        worst = int(np.nanargmin(rates))
        s.figures.update(funnel_cvr=float(users[-1] / users[0]) if users[0] else None,
                         worst_step_rate=float(rates[worst]), worst_step=str(steps[worst]))
    return s


def retention(t, lang):
    import opsplaybook as ops

    s = Section("retention")
    ev = t["events"]
    r = ops.retention(ev, period="W", periods=8)
    s.charts.append(ops.plot_retention_heatmap(r, max_cohorts=12, lang=lang).figure)
    m = _pandas(r.mean)
    w1 = m.loc[m["period"] == 1, "weighted"]
    if len(w1) and pd.notna(w1.iloc[0]):
        s.figures["w1"] = float(w1.iloc[0])
    s.tables.append(("", m))
    return s


def rfm(t, lang):
    import opsplaybook as ops

    s = Section("rfm")
    r = _pandas(ops.rfm(t["orders"], lang=lang))
    counts = r.groupby(["segment_key", "segment"], sort=False).agg(users=("user_id", "size"),
                                                                   monetary=("monetary", "sum")).reset_index()
    counts["share"] = counts["users"] / counts["users"].sum()
    strat = _pandas(ops.rfm_strategy(lang=lang))
    table = counts.merge(strat.drop(columns=[c for c in ("segment",) if c in strat.columns]), on="segment_key",
                         how="left").sort_values("monetary", ascending=False)
    s.tables.append((label("report.section.rfm", lang), table.drop(columns=["segment_key"])))
    s.charts.append(ops.plot_rfm_segments(r, lang=lang).figure)
    wb = counts.loc[counts["segment_key"] == "important_win_back", "share"]
    s.figures["win_back_share"] = float(wb.iloc[0]) if len(wb) else 0.0
    s.user_columns = r.set_index("user_id")[["recency", "frequency", "monetary", "r_score", "f_score", "m_score",
                                            "segment"]].rename(columns={"segment": "rfm_segment"})
    return s


def repeat(t, lang):
    import opsplaybook as ops

    from ..models.pareto import pareto

    s = Section("repeat")
    buyers = t["features"].loc[lambda f: f["frequency"] > 0, ["user_id", "frequency", "monetary"]]
    p = pareto(buyers["monetary"].clip(lower=0))
    s.figures.update(repeat_rate=float((buyers["frequency"] >= 2).mean()), top20_share=p.top_share,
                     tail_share=p.tail_value_share, gini=p.gini, buyers=int(len(buyers)))
    freq = buyers["frequency"].clip(upper=10).value_counts().sort_index()
    table = pd.DataFrame({"orders": [str(i) if i < 10 else "10+" for i in freq.index], "buyers": freq.to_numpy(),
                          "share": (freq / freq.sum()).to_numpy()})
    s.tables.append((label("report.figure.repeat_rate", lang), table))
    s.charts.append(ops.plot_pareto(buyers.rename(columns={"monetary": "amount"}), lang=lang).figure)
    return s


def cohorts(t, lang):
    import opsplaybook as ops

    import narwhals as nw

    s = Section("cohorts")  # buyers' monthly cohorts: each order is a "purchase" event
    o = nw.from_native(t["orders"]).select("user_id", "ts").with_columns(nw.lit("purchase").alias("event")).to_native()
    r = ops.retention(o, period="M", periods=6)
    s.charts.append(ops.plot_retention_heatmap(r, max_cohorts=12, lang=lang).figure)
    return s


def churn(t, lang, top=20):
    s = Section("churn")
    f = t["features"].set_index("user_id")
    n = f["frequency"]
    gap = (f["first_order_days"] - f["recency"]) / (n - 1).where(n > 1)  # mean days between a buyer's orders
    risk = (n >= 2) & (f["recency"] > 2 * gap)
    lst = pd.DataFrame({"orders": n, "mean_gap_days": gap.round(1), "days_since_last": f["recency"],
                        "monetary": f["monetary"].round(2)})[risk].sort_values("monetary", ascending=False)
    s.figures["churn_risk"] = int(risk.sum())
    s.notes.append(label("report.churn.rule", lang).format(n=int(risk.sum()), top=min(top, len(lst))))
    s.tables.append(("", lst.head(top).reset_index()))
    s.user_columns = pd.DataFrame({"churn_risk": risk, "mean_gap_days": gap.round(1)})
    return s


def lifecycle(t, lang):
    import opsplaybook as ops

    s = Section("lifecycle")
    ev = t["events"]
    import narwhals as nw

    span = nw.from_native(ev).lazy().select(nw.col("ts").min().alias("a"), nw.col("ts").max().alias("b")).collect()
    start, end = (pd.Timestamp(span.item(0, c)).normalize() for c in ("a", "b"))
    c = _pandas(ops.lifecycle_counts(ev, start=start, end=end, freq="M", users=t.get("users")))
    s.charts.append(ops.plot_lifecycle_area(c, lang=lang).figure)
    s.tables.append(("", c.tail(12)))
    return s


#: Sections in report order: (key, function, the tables it needs). A section whose tables are not all
#: given is skipped by the run with the reason (``report.needs_events``), before it is called.
SECTIONS = (
    ("overview", overview, ("orders",)),
    ("drivers", drivers, ("orders", "events")),
    ("funnel", funnel, ("orders", "events")),
    ("retention", retention, ("orders", "events")),
    ("lifecycle", lifecycle, ("orders", "events")),
    ("rfm", rfm, ("orders",)),
    ("repeat", repeat, ("orders",)),
    ("cohorts", cohorts, ("orders",)),
    ("churn", churn, ("orders",)),
)
