"""Exercises of Module 0 — the synthetic company and the data system (运营数据体系).

In ``exercises/<lang>/00-...-exercises.ipynb``::

    from opsplaybook.exercises import ____, module00 as ex
    ex.bind(globals())
    ex.q1.check(); ex.q1.hint(); ex.q1.hint(2); ex.q1.solution()

Every expected value is computed from the world (``ops.load_demo()`` by default) — from scratch
with pandas where the notebook uses a package function, so the check is a second opinion — and
every message quotes the world's own numbers. Nothing here is a hard-coded result.
"""
from __future__ import annotations

from .core import Wrong, per_world
from .exercise import Exercise
from .kinds import ChartQuestion, ChoiceQuestion, Fact, FrameQuestion, NumberQuestion, OpenQuestion

__all__ = ["EXERCISE", "bind", "QUESTIONS", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]

NOV = ("2025-11-01", "2025-12-01")   # November 2025, the month of 双11
BASE, COMPARE = "2025-05-01", "2025-06-01"  # May → June, the month of 618


# -- the world's numbers, from scratch (pandas only) ---------------------------------------------
def _in(frame, start: str, end: str):
    return frame[(frame["ts"] >= start) & (frame["ts"] < end)]


@per_world
def _daily(world):
    """Daily UV, buyers, GMV, CVR and P, one row per day with at least one event (as ``ops.kpis``)."""
    import pandas as pd

    ev, od = world.events, world.orders
    uv = ev.groupby(ev["ts"].dt.floor("D"))["user_id"].nunique().sort_index()
    days = uv.index
    buyers = od.groupby(od["ts"].dt.floor("D"))["user_id"].nunique().reindex(days, fill_value=0)
    gmv = od.groupby(od["ts"].dt.floor("D"))["amount"].sum().reindex(days, fill_value=0.0)
    out = pd.DataFrame({"period": days, "uv": uv.to_numpy(), "buyers": buyers.to_numpy(), "gmv": gmv.to_numpy()})
    out["cvr"] = (out["buyers"] / out["uv"]).where(out["uv"] > 0)
    out["p"] = (out["gmv"] / out["buyers"]).where(out["buyers"] > 0)
    return out


@per_world
def _daily_nov(world):
    d = _daily(world)
    return d[(d["period"] >= NOV[0]) & (d["period"] < NOV[1])].reset_index(drop=True)


def _month(world, start: str, end: str) -> dict:
    ev, od = _in(world.events, start, end), _in(world.orders, start, end)
    uv, buyers, gmv = ev["user_id"].nunique(), od["user_id"].nunique(), float(od["amount"].sum())
    return {"uv": uv, "buyers": buyers, "orders": len(od), "gmv": gmv, "cvr": buyers / uv, "p": gmv / buyers,
            "events": len(ev)}


@per_world
def _nov(world) -> dict:
    m = _month(world, *NOV)
    m["dau_sum"] = int(_daily_nov(world)["uv"].sum())
    return m


@per_world
def _drivers(world) -> dict:
    """Shapley split of the GMV change May → June into UV, CVR and P (the formula of revenue_drivers,
    written out here for three factors)."""
    a, b = _month(world, BASE, "2025-06-01"), _month(world, COMPARE, "2025-07-01")
    f = ("uv", "cvr", "p")
    out = {}
    for i, k in enumerate(f):
        o1, o2 = (a[f[j]] for j in range(3) if j != i), (b[f[j]] for j in range(3) if j != i)
        (x0, y0), (x1, y1) = tuple(o1), tuple(o2)
        out[k] = (b[k] - a[k]) * ((x0 * y0 + x1 * y1) / 3 + (x0 * y1 + x1 * y0) / 6)
    ranked = sorted(f, key=lambda k: -abs(out[k]))
    return {"contrib": out, "ranked": ranked, "base": a, "compare": b}


_FACTOR = {"uv": {"en": "traffic UV", "zh": "访客数 UV"}, "cvr": {"en": "conversion rate CVR", "zh": "转化率 CVR"},
           "p": {"en": "revenue per buyer P", "zh": "客单价 P"}}


def _driver_facts(world) -> dict:
    d = _drivers(world)
    c, (first, second, third) = d["contrib"], d["ranked"]
    return {"first": first, "second": second, "third": third,
            "first_en": _FACTOR[first]["en"], "first_zh": _FACTOR[first]["zh"],
            "second_en": _FACTOR[second]["en"], "second_zh": _FACTOR[second]["zh"],
            "third_en": _FACTOR[third]["en"], "third_zh": _FACTOR[third]["zh"],
            "c_first": c[first], "c_second": c[second], "c_third": c[third],
            "change": d["compare"]["gmv"] - d["base"]["gmv"],
            "uv0": d["base"]["uv"], "uv1": d["compare"]["uv"], "cvr0": d["base"]["cvr"], "cvr1": d["compare"]["cvr"],
            "p0": d["base"]["p"], "p1": d["compare"]["p"]}


@per_world
def _fraud(world) -> dict:
    users = world.users
    fraud = world.truth.fraud_channel
    n = int((users["channel"] == fraud).sum())
    active = world.events.groupby("user_id")["ts"].count()
    later = users.loc[users["channel"] == fraud, "user_id"].map(active).fillna(0)
    return {"fraud": fraud, "n_fraud": n, "n_users": len(users), "fraud_share": n / len(users),
            "fraud_inactive": int((later <= 2).sum())}


# -- the questions ---------------------------------------------------------------------------------
q1_question = ChoiceQuestion(
    var="kind_of_active_users",
    options={"A": {"en": "business data", "zh": "业务数据"},
             "B": {"en": "user base data", "zh": "用户基础数据"},
             "C": {"en": "behaviour data", "zh": "行为数据"}},
    expected="A",
    wrong=[
        Wrong(match="C", message={
            "en": "The *events* it is counted from are behaviour data (one row per thing a user did). The count "
                  "itself — one number per day for the whole business, a KPI on the daily report — is business data.",
            "zh": "用来计数的*埋点事件*是行为数据（用户做的每件事一行）；但“昨天的活跃用户数”本身是整个业务每天一个数、"
                  "写进经营日报的指标，属于业务数据。",
        }),
        Wrong(match="B", message={
            "en": "User base data describes *who* a user is (age, city, occupation, gender: one row per user in "
                  "`world.users`). Active users is a count over the business, not an attribute of one user.",
            "zh": "用户基础数据描述的是用户*是谁*（年龄、城市、职业、性别：`world.users` 里一人一行），"
                  "活跃用户数是对整个业务的计数，不是某个用户的属性。",
        }),
    ],
    hints=[
        {"en": "Ask of each kind: does it describe one user (who), one action (what, when), or the business as a whole?",
         "zh": "逐个问：它描述的是一个用户（是谁）、一次行为（做了什么、什么时候），还是整个业务？"},
        {"en": "The course lists traffic (流量), user counts (用户量), active users (活跃用户数) and GMV under the same kind.",
         "zh": "课程讲义把流量、用户量、活跃用户数和 GMV 放在同一类数据下。"},
    ],
    solution='kind_of_active_users = "A"',
    explain={"en": "Yesterday's active users is **business data** (业务数据): an aggregate KPI of the whole business, "
                   "like traffic, user counts and GMV. It is *computed from* behaviour data (the event log) — that is "
                   "how the three kinds connect.",
             "zh": "昨天的活跃用户数属于**业务数据**：和流量、用户量、GMV 一样，是衡量整个业务的汇总指标。"
                   "它是*由*行为数据（埋点事件日志）算出来的——三类数据就是这样连在一起的。"},
)

q2_question = NumberQuestion(
    var="gmv_total",
    expected=lambda w: float(w.orders["amount"].sum()),
    rel=1e-6, abs=0.01,
    facts=lambda w: {"n_orders": len(w.orders), "mean_order": float(w.orders["amount"].mean())},
    wrong=[
        Wrong(match=lambda w: len(w.orders), message={
            "en": "{received} is the number of orders. GMV is money: add up the `amount` column of `world.orders`.",
            "zh": "{received} 是订单数。GMV 是金额：把 `world.orders` 的 `amount` 列加起来。"}),
        Wrong(match=lambda w: float(w.orders["amount"].mean()), message={
            "en": "{received} is the average order value (笔单价), the mean of `amount`. GMV is the total: `.sum()`.",
            "zh": "{received} 是平均每笔订单的金额（笔单价），即 `amount` 的平均值。GMV 是总额：用 `.sum()`。"}),
    ],
    look={"en": "Look at `world.orders`: one row per paid order, its value in `amount` (yuan).",
          "zh": "看 `world.orders`：每行是一笔已支付订单，金额在 `amount` 列（元）。"},
    hints=[
        {"en": "GMV (成交总额) is the total value of the paid orders of the period — here the whole year.",
         "zh": "GMV（成交总额）是这段时间所有已支付订单的金额之和，这里是全年。"},
        {"en": "`world.orders[\"amount\"].sum()`", "zh": "`world.orders[\"amount\"].sum()`"},
    ],
    solution='gmv_total = world.orders["amount"].sum()',
    explain={"en": "GMV = Σ amount over the year's {n_orders:,} paid orders = {expected:,.2f} yuan.",
             "zh": "GMV = 全年 {n_orders:,} 笔已支付订单的金额之和 = {expected:,.2f} 元。"},
)

q3_question = NumberQuestion(
    var="uv_nov",
    expected=lambda w: _nov(w)["uv"],
    rel=0, abs=0,
    facts=_nov,
    wrong=[
        Wrong(match=lambda w: _nov(w)["events"], message={
            "en": "{received} is the number of *events* in November. UV counts visitors: each user once "
                  "(`.nunique()` on `user_id`), however many times they came.",
            "zh": "{received} 是 11 月的*事件*条数。UV 数的是访客：每个用户不管来多少次只算一次（对 `user_id` 用 `.nunique()`）。"}),
        Wrong(match=lambda w: _nov(w)["dau_sum"], message={
            "en": "{received} adds up the daily UVs: a user who came on 10 days is counted 10 times. The monthly "
                  "UV counts each user once over the whole month.",
            "zh": "{received} 是把每天的 UV 加起来：一个来了 10 天的用户被算了 10 次。月 UV 在整个月里每人只算一次。"}),
        Wrong(match=lambda w: _nov(w)["buyers"], message={
            "en": "{received} is the number of *buyers* in November (people with an order). UV counts every visitor, "
                  "buyer or not: use `world.events`.",
            "zh": "{received} 是 11 月的*购买人数*（下过单的人）。UV 数的是所有访客，买没买都算：要用 `world.events`。"}),
    ],
    look={"en": "Keep the events of November 2025 (`ts` from 2025-11-01 up to, not including, 2025-12-01) and "
                "count the distinct `user_id`.",
          "zh": "先取 2025 年 11 月的事件（`ts` 从 2025-11-01 起，到 2025-12-01 之前），再数不同的 `user_id` 有多少个。"},
    hints=[
        {"en": "UV (unique visitors, 访客数) counts people, not visits: each user once per period.",
         "zh": "UV（独立访客数）数的是人，不是访问次数：一段时间里每人只算一次。"},
        {"en": "`nov = world.events[(world.events[\"ts\"] >= \"2025-11-01\") & (world.events[\"ts\"] < \"2025-12-01\")]`, "
               "then `nov[\"user_id\"].nunique()`.",
         "zh": "`nov = world.events[(world.events[\"ts\"] >= \"2025-11-01\") & (world.events[\"ts\"] < \"2025-12-01\")]`，"
               "然后 `nov[\"user_id\"].nunique()`。"},
    ],
    solution='nov = world.events[(world.events["ts"] >= "2025-11-01") & (world.events["ts"] < "2025-12-01")]\n'
             'uv_nov = nov["user_id"].nunique()',
    explain={"en": "{expected:,.0f} different users came in November, out of {events:,} events. (`ops.kpis(..., freq=\"M\")` "
                   "gives the same number in its `uv` column.)",
             "zh": "11 月共有 {expected:,.0f} 个不同的用户来访，产生了 {events:,} 条事件。（`ops.kpis(..., freq=\"M\")` "
                   "的 `uv` 列给出的是同一个数。）"},
)

q4_question = NumberQuestion(
    var="p_nov",
    expected=lambda w: _nov(w)["p"],
    rel=1e-4, abs=0.01,
    facts=_nov,
    wrong=[
        Wrong(match=lambda w: _nov(w)["gmv"] / _nov(w)["orders"], message={
            "en": "{received} is GMV per *order* (笔单价, average order value). P in S = UV × CVR × P is revenue per "
                  "*buyer* (客单价): many buyers order more than once in November.",
            "zh": "{received} 是每笔*订单*的金额（笔单价）。S = UV × CVR × P 里的 P 是每个*购买用户*的金额（客单价）："
                  "11 月很多人下了不止一单。"}),
        Wrong(match=lambda w: _nov(w)["gmv"] / _nov(w)["uv"], message={
            "en": "{received} is GMV per *visitor* (ARPU). P divides by the buyers only — the visitors who did not "
                  "buy are already in CVR.",
            "zh": "{received} 是每个*访客*的金额（ARPU）。P 只除以购买用户——没买的访客已经体现在 CVR 里了。"}),
    ],
    look={"en": "P = November GMV ÷ November buyers (distinct `user_id` in `world.orders`).",
          "zh": "P = 11 月 GMV ÷ 11 月购买人数（`world.orders` 里不同的 `user_id` 个数）。"},
    hints=[
        {"en": "In S = UV × CVR × P, CVR = buyers / UV, so P must be S / buyers for the product to give S back.",
         "zh": "S = UV × CVR × P 中 CVR = 购买人数 / UV，所以 P 必须是 S / 购买人数，三者相乘才等于 S。"},
        {"en": "Keep the orders of November in `od_nov`, then `od_nov[\"amount\"].sum() / od_nov[\"user_id\"].nunique()`.",
         "zh": "把 11 月的订单存进 `od_nov`，然后 `od_nov[\"amount\"].sum() / od_nov[\"user_id\"].nunique()`。"},
    ],
    solution='od_nov = world.orders[(world.orders["ts"] >= "2025-11-01") & (world.orders["ts"] < "2025-12-01")]\n'
             'p_nov = od_nov["amount"].sum() / od_nov["user_id"].nunique()',
    explain={"en": "P = {gmv:,.2f} / {buyers:,} buyers = {expected:,.2f} yuan. Check the funnel formula: "
                   "UV × CVR × P = {uv:,} × {cvr:.4f} × {expected:,.2f} = {gmv:,.2f} = GMV.",
             "zh": "P = {gmv:,.2f} ÷ {buyers:,} 个购买用户 = {expected:,.2f} 元。验证漏斗公式："
                   "UV × CVR × P = {uv:,} × {cvr:.4f} × {expected:,.2f} = {gmv:,.2f}，正好等于 GMV。"},
)

_COLS = ["period", "uv", "buyers", "gmv", "cvr", "p"]

q5_question = FrameQuestion(
    var="daily_nov",
    expected=_daily_nov,
    columns=_COLS, sort_by="period", extra_columns=False, rel=1e-6,
    facts=lambda w: {"n_days": len(_daily_nov(w))},
    wrong=[
        Wrong(when=lambda a, ctx: len(a) > 2 * ctx["n_days"],
              example=lambda w: _daily(w), message={
                  "en": "{received}: that is every day of the year. Keep the rows of November only "
                        "(`period` from 2025-11-01 up to 2025-12-01).",
                  "zh": "{received}：这是全年每一天。只保留 11 月的行（`period` 从 2025-11-01 到 2025-12-01 之前）。"}),
        Wrong(when=lambda a, ctx: "arppu" in map(str, a.columns) and "p" not in map(str, a.columns),
              example=lambda w: _daily_nov(w).rename(columns={"p": "arppu"}), message={
                  "en": "`ops.kpis` calls P `arppu` (average revenue per paying user, 客单价). Rename it: "
                        "`.rename(columns={{\"arppu\": \"p\"}})`.",
                  "zh": "`ops.kpis` 把 P 叫作 `arppu`（每付费用户平均收入，即客单价）。改个名："
                        "`.rename(columns={{\"arppu\": \"p\"}})`。"}),
    ],
    look={"en": "Columns, in this order: period, uv, buyers, gmv, cvr, p; one row per day of November.",
          "zh": "列依次为 period、uv、buyers、gmv、cvr、p；11 月每天一行。"},
    hints=[
        {"en": "`ops.kpis(world.events, world.orders, freq=\"D\")` gives one row per day with all the KPIs.",
         "zh": "`ops.kpis(world.events, world.orders, freq=\"D\")` 给出每天一行、包含全部指标的表。"},
        {"en": "Filter `period` to November, keep the six columns (P is `arppu` there) and rename `arppu` to `p`.",
         "zh": "把 `period` 筛到 11 月，保留这六列（P 在那里叫 `arppu`），再把 `arppu` 改名为 `p`。"},
    ],
    solution='daily = ops.kpis(world.events, world.orders, freq="D")\n'
             'daily_nov = daily[(daily["period"] >= "2025-11-01") & (daily["period"] < "2025-12-01")]\n'
             'daily_nov = daily_nov[["period", "uv", "buyers", "gmv", "cvr", "arppu"]].rename(columns={"arppu": "p"})',
    explain={"en": "The daily KPI table (每日经营指标表) of November: {n_days} rows, and on every row "
                   "uv × cvr × p = gmv. It was checked against the same numbers computed from scratch with pandas.",
             "zh": "这就是 11 月的每日经营指标表：{n_days} 行，每一行都满足 uv × cvr × p = gmv。"
                   "检查时用 pandas 从原始事件和订单重新算了一遍，两者一致。"},
)

q6_question = ChoiceQuestion(
    var="driver",
    options={"uv": _FACTOR["uv"], "cvr": _FACTOR["cvr"], "p": _FACTOR["p"]},
    expected=lambda w: _drivers(w)["ranked"][0],
    facts=_driver_facts,
    wrong=[
        Wrong(match=lambda w: _drivers(w)["ranked"][1], message={
            "en": "{second_en} did add {c_second:,.0f} yuan, but {first_en} added more: {c_first:,.0f}. Read the "
                  "`contribution` column and take the largest (in absolute value).",
            "zh": "{second_zh} 确实贡献了 {c_second:,.0f} 元，但 {first_zh} 贡献更多：{c_first:,.0f} 元。"
                  "看 `contribution` 列，取（绝对值）最大的那个。"}),
        Wrong(match=lambda w: _drivers(w)["ranked"][2], message={
            "en": "{third_en} moved GMV the least of the three ({c_third:,.0f} yuan). Compare the `contribution` "
                  "column of `ops.revenue_drivers`.",
            "zh": "{third_zh} 是三者中影响最小的（{c_third:,.0f} 元）。比较 `ops.revenue_drivers` 结果里的 `contribution` 列。"}),
    ],
    hints=[
        {"en": "`monthly = ops.kpis(world.events, world.orders, freq=\"M\")`, then "
               "`ops.revenue_drivers(monthly, \"2025-05-01\", \"2025-06-01\")`.",
         "zh": "`monthly = ops.kpis(world.events, world.orders, freq=\"M\")`，然后 "
               "`ops.revenue_drivers(monthly, \"2025-05-01\", \"2025-06-01\")`。"},
        {"en": "The three contributions add up to the GMV change; the factor with the largest one is the answer.",
         "zh": "三项贡献加起来正好是 GMV 的变化，贡献最大的因素就是答案。"},
    ],
    solution='monthly = ops.kpis(world.events, world.orders, freq="M")\n'
             'drivers = ops.revenue_drivers(monthly, "2025-05-01", "2025-06-01")\n'
             'driver = drivers.loc[drivers["contribution"].abs().idxmax(), "factor"]',
    explain={"en": "From May to June (618) GMV rose by {change:,.0f} yuan: {first_en} {c_first:,.0f}, "
                   "{second_en} {c_second:,.0f}, {third_en} {c_third:,.0f}. UV went {uv0:,} → {uv1:,}, "
                   "CVR {cvr0:.1%} → {cvr1:.1%}, P {p0:,.0f} → {p1:,.0f}: this is the sentence for the weekly meeting.",
             "zh": "从 5 月到 6 月（618），GMV 增加了 {change:,.0f} 元：{first_zh} 贡献 {c_first:,.0f}，"
                   "{second_zh} {c_second:,.0f}，{third_zh} {c_third:,.0f}。UV 从 {uv0:,} 到 {uv1:,}，"
                   "CVR 从 {cvr0:.1%} 到 {cvr1:.1%}，P 从 {p0:,.0f} 到 {p1:,.0f}——这就是周会上“会说话的数据”。"},
)

q7_question = ChartQuestion(
    var="ax_gmv",
    expected=lambda w: _daily(w)["gmv"].to_numpy(),
    artist="line", title=True, ylabel=True,
    wrong=[
        Wrong(match=lambda w: _daily(w)["uv"].to_numpy(), message={
            "en": "The line shows UV, not GMV: plot the `gmv` column.",
            "zh": "这条线画的是 UV，不是 GMV：画 `gmv` 列。"}),
        Wrong(match=lambda w: _daily(w)["gmv"].cumsum().to_numpy(), message={
            "en": "The line is the *cumulative* GMV (it only goes up, so peaks vanish). Plot each day's GMV.",
            "zh": "这条线是*累计* GMV（只升不降，峰值就看不出来了）。请画每天的 GMV。"}),
    ],
    look={"en": "One line, one point per day of the year, y = that day's GMV.",
          "zh": "一条线，全年每天一个点，纵轴是当天的 GMV。"},
    hints=[
        {"en": "Start from `ops.kpis(world.events, world.orders, freq=\"D\")`: one row per day with a `gmv` column.",
         "zh": "从 `ops.kpis(world.events, world.orders, freq=\"D\")` 开始：每天一行，有 `gmv` 列。"},
        {"en": "`ax_gmv = daily.plot(x=\"period\", y=\"gmv\", legend=False)`, then `ax_gmv.set_title(...)` and "
               "`ax_gmv.set_ylabel(...)`.",
         "zh": "`ax_gmv = daily.plot(x=\"period\", y=\"gmv\", legend=False)`，再用 `ax_gmv.set_title(...)` 和 "
               "`ax_gmv.set_ylabel(...)` 加上标题和纵轴标签。"},
    ],
    solution='daily = ops.kpis(world.events, world.orders, freq="D")\n'
             'ax_gmv = daily.plot(x="period", y="gmv", legend=False)\n'
             'ax_gmv.set_title("Daily GMV, 2025" if LANG == "en" else "2025 年每日 GMV")\n'
             'ax_gmv.set_ylabel("GMV (yuan)" if LANG == "en" else "GMV（元）")',
    explain={"en": "A line of the year's daily GMV with a title and a labelled y axis: the peaks of 618 (June) and "
                   "双11 (November) stand out, which a table of 365 numbers hides.",
             "zh": "全年每日 GMV 的折线图，有标题和纵轴标签：618（6 月）和双11（11 月）的峰值一眼可见，"
                   "这是 365 个数字的表格看不出来的。"},
)

q8_question = OpenQuestion(
    var="north_star",
    options={"A": {"en": "registered users", "zh": "注册用户数"},
             "B": {"en": "monthly buyers", "zh": "月购买用户数"},
             "C": {"en": "daily page views (PV)", "zh": "每日页面浏览量（PV）"},
             "D": {"en": "app installs", "zh": "App 下载量"}},
    expected="B",
    min_chars=15,
    facts=_fraud,
    facts_required=[
        Fact(keywords=["value", "buy", "bought", "purchase", "pay", "paid", "order", "repeat", "价值", "购买", "付费",
                       "下单", "买", "复购", "成交"],
             message={"en": "what value users get (a buyer has paid: the product was worth it to them)",
                      "zh": "用户得到了什么价值（买了，说明产品对他有价值）"}),
        Fact(keywords=["gmv", "revenue", "income", "sales", "s =", "s=", "uv", "cvr", "收入", "销售", "营收", "转化"],
             message={"en": "how it drives revenue (S = UV × CVR × P: buyers are UV × CVR)",
                      "zh": "它怎样带动收入（S = UV × CVR × P：购买用户数就是 UV × CVR）"}),
    ],
    wrong=[
        Wrong(match="A", message={
            "en": "Registered users only ever grow, and they count sign-ups that bring no value: in this company the "
                  "channel 「{fraud}」 alone brought {n_fraud:,} sign-ups ({fraud_share:.1%} of all users), and "
                  "silent users stay registered forever. A North Star must move with the value users get.",
            "zh": "注册用户数只增不减，而且把没有价值的注册也算进去了：这家公司仅「{fraud}」一个渠道就带来 "
                  "{n_fraud:,} 个注册（占全部用户的 {fraud_share:.1%}），沉默用户也永远算在注册数里。"
                  "北极星指标应该随用户得到的价值一起变化。"}),
        Wrong(match="C", message={
            "en": "Page views are a vanity metric: they rise when users click around more — even when they cannot "
                  "find what they want — and say nothing about whether anyone bought.",
            "zh": "PV 是“虚荣指标”：用户多点几下它就涨，哪怕是因为找不到想要的东西；它说明不了有没有人买。"}),
        Wrong(match="D", message={
            "en": "Installs measure only the top of the funnel (acquisition) and can be bought with ad spend; a "
                  "North Star measures the value delivered at the core of the product.",
            "zh": "下载量只衡量漏斗最上面的获客环节，而且可以花广告费买来；北极星指标衡量的是产品核心价值的交付。"}),
    ],
    hints=[
        {"en": "A North Star metric (北极星指标) counts the moments users get the product's core value, and moves "
               "revenue when it moves.",
         "zh": "北极星指标数的是用户获得产品核心价值的时刻，而且它一动，收入就跟着动。"},
        {"en": "Write `{{\"choice\": \"?\", \"because\": \"...\"}}`: in `because`, say what value it measures and how "
               "it connects to S = UV × CVR × P.",
         "zh": "写成 `{{\"choice\": \"?\", \"because\": \"……\"}}`：在 because 里说明它衡量了什么价值、和 "
               "S = UV × CVR × P 怎样联系。"},
    ],
    model_answer=lambda w, lang: {
        "choice": "B",
        "because": ("A buyer has paid, so the product gave them value; and buyers = UV × CVR, the first two factors "
                    "of GMV = UV × CVR × P." if lang == "en" else
                    "购买说明用户认可产品的价值；而且购买用户数 = UV × CVR，正是 GMV = UV × CVR × P 的前两个因子。")},
    solution='north_star = {\n'
             '    "choice": "B",\n'
             '    "because": ("A buyer has paid, so the product gave them value; and buyers = UV × CVR, "\n'
             '                "the first two factors of GMV = UV × CVR × P." if LANG == "en" else\n'
             '                "购买说明用户认可产品的价值；而且购买用户数 = UV × CVR，正是 GMV = UV × CVR × P 的前两个因子。"),\n'
             '}',
    explain={"en": "Monthly buyers (月购买用户数) counts people who got enough value to pay, and it is UV × CVR, the "
                   "first two factors of S = UV × CVR × P. Registered users would count the {n_fraud:,} sign-ups of "
                   "the fraudulent channel 「{fraud}」; PV and installs can grow while nobody buys.",
             "zh": "月购买用户数统计的是觉得值、愿意付钱的人，它又等于 UV × CVR，正是 S = UV × CVR × P 的前两个因子。"
                   "若用注册用户数，会把作弊渠道「{fraud}」的 {n_fraud:,} 个注册也算进去；PV 和下载量则可能在没人购买时照样增长。"},
)

QUESTIONS = {"q1": q1_question, "q2": q2_question, "q3": q3_question, "q4": q4_question,
             "q5": q5_question, "q6": q6_question, "q7": q7_question, "q8": q8_question}

EXERCISE = Exercise("00", QUESTIONS)
bind = EXERCISE.bind
q1, q2, q3, q4, q5, q6, q7, q8 = (EXERCISE.__getattr__(n) for n in QUESTIONS)
