import sys; sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from nbtools import md, code, write

cells = [
md("""
# 00 · The synthetic company and the data system (运营数据体系)

Every module of the workshop works on the same seeded synthetic company, so every learner sees the
same numbers. This notebook introduces the company, the **three kinds of data** (三类数据) an
operations team works with, and the growth formula **S = UV × CVR × P** that turns a daily KPI table
into "data that talks" (会说话的数据).
"""),
code("""
import opsplaybook as ops

ops.set_theme(lang="zh")
"""),
md("""
`load_demo()` reads the bundled demo world (5 000 users, seed 0) from `datasets/demo/` — no waiting,
identical for everyone. `generate_world(n_users=..., seed=...)` makes a fresh one of any size.
"""),
code("""
world = ops.load_demo()
world
"""),
code("""
world.summary()
"""),
md("""
## Three kinds of data (三类数据)

1. **Business data** (业务数据): traffic (流量), user counts (用户量), active users (活跃用户数), GMV.
2. **User base data** (用户基础数据): age, region, occupation, gender — the raw material of personas
   and tags (用户画像、标签).
3. **Behaviour data** (行为数据): the event log — what users did, when, where.

We start with the user base data: one row per registered user.
"""),
code("""
world.users.head()
"""),
md("""
Where do our users live? City tier (城市等级) is the first segmentation dimension most teams use.
"""),
code("""
ops.plot_counts(world.users, x="city_tier")
"""),
md("""
The behaviour data is the event log (埋点数据): one row per tracked event, with a session, a
touchpoint (触点) and, for item events, the product and its category.
"""),
code("""
world.events.head(8)
"""),
code("""
world.events["event"].value_counts()
"""),
md("""
The purchase funnel is visible in the raw counts: many item views (`view`), fewer add-to-carts
(`cart`), fewer checkouts and payments. Module 3 turns this into an ordered funnel per user.

## Business data: the daily KPI table (每日经营指标)

`ops.kpis` computes the business data from the events and orders: UV, DAU/WAU/MAU, new users,
buyers, orders, GMV, conversion rate (CVR), ARPU and ARPPU per period.
"""),
code("""
monthly = ops.kpis(world.events, world.orders, freq="M", users=world.users)
monthly[["period", "uv", "buyers", "orders", "gmv", "cvr", "arppu"]].round({"gmv": 0, "cvr": 3, "arppu": 1})
"""),
md("""
## The funnel model of growth: S = UV × CVR × P (漏斗模型)

Revenue S (GMV) is traffic UV × conversion rate CVR (buyers / UV) × value per buyer P (GMV / buyer).
The identity holds exactly for every month:
"""),
code("""
check = monthly["uv"] * monthly["cvr"] * monthly["arppu"]
assert (check - monthly["gmv"]).abs().max() < 1e-6 * monthly["gmv"].max()
(check - monthly["gmv"]).abs().max()
"""),
md("""
## Data that talks (会说话的数据): why did revenue move?

November (双11) against October: which factor — traffic, conversion or value per buyer — moved
GMV? `revenue_drivers` splits the change into three contributions that add up exactly to it.
"""),
code("""
drivers = ops.revenue_drivers(monthly, base="2025-10", compare="2025-11")
drivers
"""),
md("""
Read the `contribution` column: in this company 双11 lifted GMV mostly through conversion (CVR) and value per buyer (P), hardly through traffic — the largest contribution is the factor to talk about in the weekly meeting.
The contributions sum to the GMV change exactly:
"""),
code("""
total = drivers["contribution"].sum()
change = monthly.set_index(monthly["period"].dt.strftime("%Y-%m")).loc[["2025-10", "2025-11"], "gmv"].diff().iloc[-1]
assert abs(total - change) < 1e-6 * abs(change)
round(total, 2), round(change, 2)
"""),
md("""
## The planted truth (植入的真相)

The company was *generated*, so we know what is true about it: which personas (用户画像) exist, which
acquisition channel is fraudulent, the A/B test's real lift, the aha moment. Later modules discover
these from the data alone — and `world.truth` lets us check the answers.
"""),
code("""
world.truth.personas[["persona", "label", "share", "activity", "hazard", "spend"]]
"""),
code("""
world.truth.fraud_channel, world.truth.aha, world.truth.ab["itt_lift"]
"""),
md("""
**Try it:** generate a short-video company (短视频APP) in English with
`ops.generate_world(n_users=2000, preset="short_video", locale="en_US", seed=1)` and look at its
event counts. Which events form its funnel?
"""),
]
write(__import__("pathlib").Path(__file__).parents[1] / "notebooks/00-Synthetic-Company-and-Data-System.ipynb", cells)
