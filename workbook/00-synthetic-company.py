# %% lang="en"
LANG = "en"

# %% lang="zh"
LANG = "zh"

# %% [markdown] lang="en"
# # 00 · The synthetic company and the data system (运营数据体系)
#
# Every module of the workshop works on the same seeded synthetic company, so every learner sees
# the same numbers. This notebook builds the **operations data system** of that company, step by
# step, the way the fine-grained operations course (精细化运营) teaches it.
#
# **You will learn to**
#
# 1. tell apart the **three kinds of data** (三类数据): business data, user base data, behaviour data;
# 2. choose a **North Star metric** (北极星指标) and break it down into a **KPI tree** (指标树);
# 3. write sales with the **five growth formulas** (运营增长模型) of the growth course — channel,
#    product, funnel S = UV × CVR × P, value tier, fractal — and compute each on the company;
# 4. make **data that talks** (会说话的数据): a daily KPI table and a period-over-period split of
#    which factor moved revenue.
#
# **Time:** about 60 minutes in class (20 min data, 15 min North Star and KPI tree, 15 min growth
# formulas, 10 min data that talks), plus 30 minutes for the exercises
# (`exercises/en/00-Synthetic-Company-and-Data-System-exercises.ipynb`). The whole notebook runs in
# a few seconds.

# %% [markdown] lang="zh"
# # 00 · 合成公司与运营数据体系
#
# 整个课程的所有模块都用同一家“合成公司”的数据：随机种子固定，每位学员看到的数字完全一样，讲师可以
# 直接对着屏幕上的数字讲。本节按照《精细化运营》课程的思路，一步步为这家公司搭起**运营数据体系**。
#
# **学完本节，你能够**：
#
# 1. 分清**三类数据**：业务数据、用户基础数据、用户行为数据，知道各自回答什么问题；
# 2. 为业务选一个**北极星指标**，并把它拆成一棵**指标树**（KPI树）；
# 3. 用增长课程里的**五个运营增长模型**——渠道模型、产品模型、漏斗流量模型 S = UV × CVR × P、
#    用户价值分层模型、分形赋能模型——拆解销售额，并在公司数据上逐一算出来；
# 4. 做出**会说话的数据**：每日经营指标表，以及“这个月比上个月多卖的钱，到底是哪个因素带来的”。
#
# **时长**：课堂约 60 分钟（数据 20 分钟、北极星与指标树 15 分钟、增长模型 15 分钟、会说话的数据
# 10 分钟），另加 30 分钟练习（`exercises/zh/00-合成公司与运营数据体系-exercises.ipynb`）。
# 整本笔记本几秒钟就能跑完。

# %%
import pandas as pd

import opsplaybook as ops

ops.set_theme(lang=LANG)

# %% [markdown] lang="en"
# `load_demo()` reads the bundled demo company (5 000 users over one year, seed 0) from
# `datasets/demo/`: no waiting, identical for everyone. `ops.generate_world(n_users=..., seed=...)`
# makes a fresh one of any size.

# %% [markdown] lang="zh"
# `load_demo()` 读取随包附带的演示公司（5 000 名用户、一整年、随机种子 0），不用等待，人人相同。
# 想要更大或不同的公司，用 `ops.generate_world(n_users=..., seed=...)` 现场生成。

# %%
world = ops.load_demo()
world.summary()

# %% [markdown] lang="en"
# The company is an e-commerce app. Its data comes as a handful of tables: users, events,
# orders, channel spend, surveys, an experiment, points. Three of them carry almost everything this
# module needs: `users`, `events` and `orders`.

# %% [markdown] lang="zh"
# 这是一家电商 App。它的数据就是上面这几张表：用户、行为事件、订单、渠道投放、问卷、实验、积分。
# 本节用到的几乎都在其中三张：`users`（用户表）、`events`（行为日志）和 `orders`（订单表）。

# %% [markdown] lang="en"
# ## 1 · Three kinds of data (三类数据)
#
# The advanced user-operations course sorts an operator's data into three kinds, each answering a
# different question:
#
# | kind | answers | examples | in the company |
# |---|---|---|---|
# | **business data** (业务数据) | how is the business doing? where is the problem? | traffic (流量), users (用户量), active users (活跃用户数), GMV | computed from `events` + `orders` by `ops.kpis` |
# | **user base data** (用户基础数据) | who are the users? | age, region, occupation, gender, preferences: for personas and tags | `users` |
# | **behaviour data** (用户行为数据) | what do they do? | feature use, purchases, content watched | `events` (and `orders`) |
#
# Business data is what everyone looks at every day; user base and behaviour data are where you
# go to find out *why* the business data moved. We start with the user base data.

# %% [markdown] lang="zh"
# ## 1 · 三类数据
#
# 《高阶用户运营体系》把运营人员手里的数据分成三类，每一类回答一个不同的问题：
#
# | 类别 | 回答什么问题 | 典型内容 | 在合成公司里 |
# |---|---|---|---|
# | **业务数据** | 业务进展和健康度如何？问题出在哪里？ | 流量、用户量、活跃用户数、GMV | 由 `events` + `orders` 经 `ops.kpis` 算出 |
# | **用户基础数据** | 用户是谁？ | 年龄、地区、职业、性别、喜好——用来做画像、打标签 | `users` |
# | **用户行为数据** | 用户做了什么？ | 使用了哪些功能、买了什么、看了哪些内容 | `events`（以及 `orders`） |
#
# 业务数据是每天必看的“体温表”；一旦它有异动，要回答“为什么”，就得往下钻到用户基础数据和行为数据里
# 去找线索。先看用户基础数据。

# %%
world.users.head()

# %% [markdown] lang="en"
# One row per registered user: who they are (gender, age, city and its tier, occupation), how they
# came (acquisition `channel`, `platform`, sign-up time) and their membership level
# (`member_level`). These columns are the raw material of personas and tags in Module 1.

# %% [markdown] lang="zh"
# 每个注册用户一行：他是谁（性别、年龄、城市及城市等级、职业），从哪里来（获客渠道 `channel`、
# 平台 `platform`、注册时间），现在是什么会员等级（`member_level`）。第 1 模块的用户画像和标签，
# 原料就是这些列。

# %%
ops.plot_counts(world.users, x="city_tier", lang=LANG)

# %% [markdown] lang="en"
# City tier (城市等级) is the first segmentation dimension most teams try: the chart shows how the
# users spread over the tiers, the largest group first.

# %% [markdown] lang="zh"
# 城市等级往往是团队做用户细分时第一个想到的维度。图中按人数从多到少排列，一眼能看出用户主要集中在
# 哪几级城市。

# %% [markdown] lang="en"
# The behaviour data is the event log (埋点数据): one row per tracked event, with its session,
# touchpoint (触点) and, for item events, the product and its category.

# %% [markdown] lang="zh"
# 用户行为数据就是埋点日志：每个被记录的行为一行，带着会话、触点，商品相关的事件还带着商品和品类。

# %%
world.events.head(8)

# %%
world.events["event"].value_counts()

# %% [markdown] lang="en"
# The shopping funnel already shows in the raw counts: many visits and item views, fewer
# add-to-carts, fewer checkouts, fewer payments. Module 3 turns this into an ordered funnel per user.
#
# **Business data is computed from behaviour data.** Here is one day, 双11 (11 November), by hand
# with pandas: visitors (UV) are the distinct users with any event that day, buyers the distinct
# users with an order, GMV the sum of the paid amounts.

# %% [markdown] lang="zh"
# 光看事件计数就能看出购物漏斗：访问和浏览商品很多，加购少一些，下单、支付更少。第 3 模块会把它做成
# 按用户、按顺序的漏斗。
#
# **业务数据是从行为数据算出来的**。先用 pandas 手算一天——双11 当天：访客数 UV = 当天有任何行为的
# 去重用户数，购买人数 = 当天下过单的去重用户数，GMV = 当天实付金额之和。

# %%
on_day = world.events["ts"].dt.normalize() == "2025-11-11"
paid_day = world.orders["ts"].dt.normalize() == "2025-11-11"
uv = world.events.loc[on_day, "user_id"].nunique()
buyers = world.orders.loc[paid_day, "user_id"].nunique()
gmv = round(world.orders.loc[paid_day, "amount"].sum(), 2)
uv, buyers, float(gmv)

# %% [markdown] lang="en"
# The three numbers are UV, buyers and GMV of that day. `ops.kpis` does the same for every day at
# once (and for weeks or months with `freq="W"`/`"M"`), with DAU/WAU/MAU, new users, orders,
# conversion rate (CVR), ARPU, ARPPU and repeat rate besides. Its 11 November row repeats the three
# numbers computed by hand:

# %% [markdown] lang="zh"
# 三个数依次是当天的 UV、购买人数和 GMV。`ops.kpis` 一次算出每一天的这些指标（`freq="W"`/`"M"`
# 则按周、按月），还附带 DAU/WAU/MAU、新用户数、订单数、转化率 CVR、ARPU、客单价 ARPPU 和复购率。
# 它在 11 月 11 日这一行的三个数，和上面手算的完全一致：

# %%
daily = ops.kpis(world.events, world.orders, freq="D", users=world.users)
daily.set_index("period").loc["2025-11-11", ["uv", "buyers", "gmv"]]

# %% [markdown] lang="en"
# The daily KPI table (每日经营指标表) is the first screen of the data system. It runs on a team's
# own export just as well: `ops.kpis` takes the column names as parameters (`user_col=`,
# `time_col=`, `amount_col=` …) and pandas, Polars, DuckDB or Spark frames.
#
# ## 2 · The North Star metric (北极星指标) and the KPI tree
#
# A **North Star metric** is the one number that best captures the value the product delivers to
# its users and that the whole team works to move; everything else hangs below it. The course's
# cases: Zhihu (知乎) chose the number of questions answered (value delivered to askers, not page
# views); a SaaS product the weekly active teams; a bank app its monthly active customers holding
# assets. For a shop like ours a good North Star is the **monthly buyers** (月购买用户数): people who
# got enough value to pay. GMV is not a good North Star on its own (a price rise lifts it without
# giving users anything more), but it is the result the North Star drives, and the growth formulas
# of the next section all decompose it.
#
# Monthly business data first:

# %% [markdown] lang="zh"
# 每日经营指标表就是数据体系的第一屏。换成你们团队自己导出的数据也一样能用：`ops.kpis` 的列名都是
# 参数（`user_col=`、`time_col=`、`amount_col=` ……），pandas、Polars、DuckDB、Spark 的表都能直接传入。
#
# ## 2 · 北极星指标与指标树
#
# **北极星指标**是最能代表“产品为用户创造了多少价值”、全公司都朝它使劲的那一个数，其他指标都挂在
# 它下面。课程里的案例：知乎选的是“问题被回答的数量”（衡量提问者得到的价值，而不是页面浏览量）；
# SaaS 产品常选“周活跃团队数”；银行 App 选“有资产的月活客户数”。像我们这样的电商，一个好的北极星是
# **月购买用户数**：觉得值、愿意掏钱的人有多少。GMV 单独当北极星并不合适（涨价就能让它上去，用户却没有多
# 得到什么），但它是北极星带动的经营结果，下一节的五个增长模型拆的也都是它。
#
# 先看按月的业务数据：

# %%
monthly = ops.kpis(world.events, world.orders, freq="M", users=world.users)
monthly[["period", "uv", "buyers", "orders", "gmv", "cvr", "arppu"]]

# %% [markdown] lang="en"
# GMV grows over the year and jumps in November (双11). A KPI tree (指标树) writes the result as a
# product of levers, each owned by a team, with the North Star inside it: GMV = buyers × P, the
# buyers = UV × CVR, and P (revenue per buyer, 客单价) = orders per buyer × average order value
# (笔单价). Together that is the funnel formula S = UV × CVR × P. `ops.kpi_tree` computes every
# node for a month against the month before:

# %% [markdown] lang="zh"
# GMV 全年在涨，11 月（双11）跳了一大截。指标树把经营结果写成几个“抓手”相乘，每个抓手都能落到一个团队
# 头上，北极星就在树里：GMV = 购买人数 × 客单价 P，购买人数 = UV × CVR，P = 人均订单数 × 笔单价——合起来
# 正是漏斗公式 S = UV × CVR × P。`ops.kpi_tree` 算出某个月每个节点的值，以及和上个月相比的环比：

# %%
tree = ops.kpi_tree(monthly, period="2025-11-01", lang=LANG)
tree[["label", "value", "base", "change"]]

# %% [markdown] lang="en"
# By hand, the tree is just the KPI row of November. The six numbers below come in pairs: buyers × P
# and GMV, UV × CVR and buyers, orders per buyer × AOV and P; each pair is equal.

# %% [markdown] lang="zh"
# 手算一下：指标树就是 11 月那一行 KPI。下面六个数两两成对：购买人数 × P 与 GMV，UV × CVR 与购买人数，
# 人均订单数 × 笔单价与 P；每一对都相等。

# %%
nov = monthly.set_index("period").loc["2025-11-01"]
cvr, p = nov["buyers"] / nov["uv"], nov["gmv"] / nov["buyers"]
opb, aov = nov["orders"] / nov["buyers"], nov["gmv"] / nov["orders"]
[float(nov["buyers"] * p), float(nov["gmv"]), float(nov["uv"] * cvr), float(nov["buyers"]), float(opb * aov), float(p)]

# %%
ops.plot_kpi_tree(tree, north_star="buyers", lang=LANG)

# %% [markdown] lang="en"
# Read the tree from the right: blue boxes went up against October, orange ones went down; the star
# marks the North Star. The printed `change` column above says by how much.
#
# A **KPI design** (精细化运营KPI设计) follows from the tree: the traffic team owns UV, product and
# campaign teams own CVR, merchandising owns orders per buyer and AOV. A good KPI sits in the tree
# (moving it moves the North Star or the result), can be measured every day, and can be moved by the
# team that owns it.

# %% [markdown] lang="zh"
# 从右往左读这棵树：蓝框比 10 月涨了，橙框比 10 月跌了，星号标出的是北极星指标；涨跌多少看上面表里的
# `change` 列。
#
# **精细化运营 KPI 设计**就从这棵树来：流量团队对 UV 负责，产品和活动团队对转化率负责，商品团队对
# 人均订单数和笔单价负责。好的 KPI 要满足三条：在树上（它动了，北极星或经营结果就跟着动）、每天都能量化、
# 负责的团队真的推得动它。

# %% [markdown] lang="en"
# ## 3 · Five growth formulas (运营增长模型)
#
# The growth course opens with "the mission of operations is growth" and five ways of writing
# sales S. Each splits S into parts with owners and levers:
#
# | model | formula | split by |
# |---|---|---|
# | channel model (渠道模型) | S = S₁ + S₂ + … + Sₙ | channel |
# | product model (产品模型) | S = S₁ + S₂ + … + Sₙ | product or category |
# | funnel model (漏斗流量模型) | S = UV × CVR × P | traffic × conversion × value per customer |
# | value-tier model (用户价值分层模型) | S = S(new) + S(members) + S(VIP) + … | customer tier |
# | fractal model (分形赋能模型) | S = N × S(standard seller) | sellers × sales per seller |
#
# The course also ties them to stages: early on, hero products and the **funnel** bring new users;
# in the middle stage, the **fractal** model grows a matrix of sellers; later, the **value-tier**
# model grows the value of existing customers. `ops.growth_decomposition` computes the additive
# models; each part of its result adds up exactly (to the cent) to total sales.
#
# ### 3.1 Channel model (渠道模型)
#
# The company's acquisition channel is a user attribute, so the orders are joined to the users.
# By hand with pandas first:

# %% [markdown] lang="zh"
# ## 3 · 五个运营增长模型
#
# 增长课程开篇就说“运营的使命是实现业绩增长”，并给出了销售额 S 的五种写法。每一种都把 S 拆成几块，
# 每一块都有负责人、有抓手：
#
# | 模型 | 公式 | 按什么拆 |
# |---|---|---|
# | 渠道模型 | S = S1 + S2 + … + Sn | 渠道 |
# | 产品模型 | S = S1 + S2 + … + Sn | 产品或品类 |
# | 漏斗流量模型 | S = UV × CVR × P | 流量 × 转化率 × 客户价值 |
# | 用户价值分层模型 | S = S（新客） + S（会员） + S（VIP） + … | 用户价值层级 |
# | 分形赋能模型 | S = N × S（标准销售人员的业绩） | 销售人员数 × 人均业绩 |
#
# 课程还把它们对应到企业的不同阶段：初期靠爆款和**漏斗流量模型**获取新用户；中期搭**分形赋能模型**，
# 靠销售矩阵和社交裂变快速增长；后期靠**用户价值分层模型**做存量用户的价值增值。
# `ops.growth_decomposition` 负责计算其中的加法模型，拆出来的各部分加起来与总销售额分毫不差（精确到分）。
#
# ### 3.1 渠道模型
#
# 合成公司的获客渠道记在用户表上，所以要先把订单和用户关联起来。先用 pandas 手算：

# %%
with_channel = world.orders.merge(world.users[["user_id", "channel"]], on="user_id")
with_channel.groupby("channel")["amount"].sum().sort_values(ascending=False).round(2)

# %%
channel = ops.growth_decomposition(world.orders, model="channel", users=world.users)
channel

# %%
float(round(channel["sales"].sum(), 2)), float(round(world.orders["amount"].sum(), 2))

# %% [markdown] lang="en"
# The package gives the same sales per channel as the hand computation, plus orders, buyers and
# each channel's share; the parts add up to total sales. One acquisition channel is missing from
# the table although users signed up through it (the set printed below): it brought sign-ups and no
# buyers at all. That is the fraudulent channel planted in the world; Module 3 finds it from the
# data alone.

# %% [markdown] lang="zh"
# 包里的函数和手算结果一致，另外给出了每个渠道的订单数、购买人数和占比，各渠道加起来正好等于总销售额。
# 注意：有一个获客渠道明明有注册用户，却不在表里（下面打印的就是它）——它带来了注册，却一个买家都没有。
# 这正是合成世界里预先埋下的“作弊渠道”，第 3 模块会只凭数据把它揪出来。

# %%
set(world.users["channel"]) - set(channel["part"])

# %%
ops.plot_ordered_bars(channel, x="part", y="sales", title="growth.model.channel",
                      xlabel="col.channel", ylabel="growth.col.sales", lang=LANG)

# %% [markdown] lang="en"
# ### 3.2 Product model (产品模型)
#
# The same split by product category, a column of the orders themselves (no join needed).
# Sales per order (AOV) tells the expensive categories from the frequent ones:

# %% [markdown] lang="zh"
# ### 3.2 产品模型
#
# 同样的拆法，换成按品类拆。品类是订单表自己的列，不需要关联。再算一下每单金额（笔单价），
# 就能分出哪些品类“贵”，哪些品类“买得勤”：

# %%
product = ops.growth_decomposition(world.orders, model="product")
product.assign(aov=(product["sales"] / product["orders"]).round(1))

# %% [markdown] lang="en"
# The category with the largest sales is not the one with the most orders: one earns through a
# high price per order, another through frequency. That is the product-structure question of the
# course (traffic products 引流款, hero products 爆款, profit products 利润款), taken up in Module 2.

# %% [markdown] lang="zh"
# 销售额最高的品类并不是订单数最多的品类：有的靠单价高，有的靠买得勤。这就是课程里“产品结构”的问题
# ——引流款、爆款、利润款各司其职，第 2 模块会展开讲。

# %% [markdown] lang="en"
# ### 3.3 Funnel model (漏斗流量模型): S = UV × CVR × P
#
# The funnel model multiplies instead of adding: traffic UV, conversion rate CVR = buyers / UV,
# value per customer P = GMV / buyers (客单价). It is the monthly KPI table read across; the
# identity holds exactly for every month (the largest gap is a rounding error):

# %% [markdown] lang="zh"
# ### 3.3 漏斗流量模型：S = UV × CVR × P
#
# 漏斗流量模型是乘法：流量 UV × 转化率 CVR（= 购买人数 / UV）× 客户价值 P（= GMV / 购买人数，
# 即客单价）。它其实就是把月度 KPI 表横着读一遍，每个月都严格成立（最大误差只是浮点舍入）：

# %%
(monthly["uv"] * monthly["cvr"] * monthly["arppu"] - monthly["gmv"]).abs().max()

# %% [markdown] lang="en"
# Its value is in the levers: to sell more you bring more visitors (channels, content), convert
# more of them (product, campaigns, the last push 临门一脚), or raise what each buyer spends
# (bundles, upgrades, repeat purchases). Section 4 uses it to explain why revenue moved.
#
# ### 3.4 Value-tier model (用户价值分层模型)
#
# S = S(new customers) + S(members of each level): a buyer whose first order falls in the month
# is a new customer (新客) that month; the others are returning members, split by their member
# level (入门 → 初级 → 中级 → 高级, the top levels being the VIPs). By hand, the new customers'
# sales over the year:

# %% [markdown] lang="zh"
# 它的价值在于抓手：想多卖，要么多带来访客（渠道、内容），要么让更多访客下单（产品体验、活动、临门一脚），
# 要么让每个买家多花一点（组合购、升级、复购）。第 4 节就用它来解释销售额为什么变了。
#
# ### 3.4 用户价值分层模型
#
# S = S（新客）+ S（各等级会员）：某个月第一次下单的买家，这个月算“新客”；其余是回头的老会员，按会员等级
# 拆开（入门 → 初级 → 中级 → 高级，高等级就是 VIP）。先手算全年的新客销售额：

# %%
first_month = world.orders.groupby("user_id")["ts"].transform("min").dt.to_period("M")
is_new = first_month == world.orders["ts"].dt.to_period("M")
new_by_hand = world.orders.loc[is_new, "amount"].sum()
float(round(new_by_hand, 2))

# %%
LEVELS = ["入门", "初级", "中级", "高级"]
tier = ops.growth_decomposition(world.orders, model="tier", users=world.users, period="M",
                                tier_order=LEVELS, lang=LANG)
parts = list(tier["part"].unique())  # new customers first, then the levels
tier.pivot(index="period", columns="part", values="share")[parts].round(3)

# %%
new_label = ops.label("growth.part.new_customers", LANG)
float(round(tier.loc[tier["part"] == new_label, "sales"].sum(), 2)), float(round(new_by_hand, 2))

# %% [markdown] lang="en"
# The new customers' sales over the year equal the hand computation. Read the share table down its
# first column: in January every buyer is new (the company starts that month); from then on part of
# every month's sales comes from returning members. The new customers' share in the first and the
# last three months, then the returning buyers' sales over the year by member level, largest first:

# %% [markdown] lang="zh"
# 全年新客销售额和手算一致。顺着份额表第一列往下看：1 月所有买家都是新客（公司这个月才开张）；从那以后，
# 每个月都有一部分销售额来自回头的老会员。下面先打印第一个月和最后三个月的新客份额，再按会员等级列出
# 全年回头客的销售额（从多到少）：

# %%
new_share = tier.loc[tier["part"] == new_label].set_index("period")["share"]
new_share.iloc[[0, -3, -2, -1]].rename(lambda p: f"{p:%Y-%m}").round(3)

# %%
tier.loc[tier["part"] != new_label].groupby("part")["sales"].sum().sort_values(ascending=False).round(2)

# %% [markdown] lang="en"
# By the end of the year the new customers bring a much smaller share of sales than in January, and
# the rest comes from members who buy again. That is the late-stage picture of the course: growth
# comes more and more from the value of existing customers, which is what Modules 4 (RFM, member
# levels) and 5 (lifecycle) work on. (The world stores each user's *current* level; a real CRM would
# give the level at the time of each order.)

# %% [markdown] lang="zh"
# 到年底，新客贡献的份额已远低于 1 月，其余都来自再次购买的老会员。这正是课程说的“后期阶段”：增长越来越
# 依靠存量用户的价值提升——第 4 模块（RFM、会员等级）和第 5 模块（生命周期）就做这件事。（合成世界只记录
# 了用户*当前*的会员等级；真实的 CRM 里应当取下单当时的等级。）

# %%
tier_sales = tier.pivot(index="period", columns="part", values="sales").fillna(0)[parts].reset_index()
ops.plot_area(tier_sales, x="period", y=parts, title="growth.model.tier", ylabel="growth.col.sales", lang=LANG)

# %% [markdown] lang="en"
# ### 3.5 Fractal model (分形赋能模型): S = N × S(per seller)
#
# In the middle stage a centre equips many sellers — grid managers (网格长), community group
# leaders (社区团长), distributors (分销员), streamers — and sales grow with their number N and
# with what a standard seller sells. First the idea on a small hand-made table of a distribution
# team over two months (one row per order, `seller_id` = the seller who brought it, empty for
# self-serve orders):

# %% [markdown] lang="zh"
# ### 3.5 分形赋能模型：S = N × S（标准销售人员的业绩）
#
# 到了中期，一个中心赋能许多“销售节点”——网格长、社区团长、分销员、主播达人——销售额随节点数 N 和
# 每个标准节点的业绩一起增长。先用一张手工小表把道理讲清楚：一个分销团队两个月的订单（每单一行，
# `seller_id` 是带来这单的分销员，自然成交的订单留空）：

# %%
team = pd.DataFrame({
    "user_id": range(1, 13),
    "ts": pd.to_datetime(["2025-03-03", "2025-03-09", "2025-03-15", "2025-03-20", "2025-03-28",
                          "2025-04-02", "2025-04-06", "2025-04-11", "2025-04-17", "2025-04-22",
                          "2025-04-25", "2025-04-29"]),
    "amount": [300.0, 200.0, 250.0, 150.0, 100.0, 280.0, 220.0, 260.0, 240.0, 300.0, 200.0, 120.0],
    "seller_id": pd.array([1, 1, 2, 3, None, 1, 2, 3, 4, 5, 5, None], dtype="Int64"),
})
fractal = ops.fractal_growth(team, period="M")
fractal

# %% [markdown] lang="en"
# In March 3 sellers brought 900 yuan, 300 each; in April 5 sellers brought 1 500, still 300
# each: sales grew because N grew, not because sellers got better. The split of the change by hand
# (the average of "change N first" and "change the per-seller sales first"):

# %% [markdown] lang="zh"
# 3 月 3 名分销员带来 900 元，人均 300；4 月 5 名分销员带来 1 500 元，人均仍是 300。销售额的增长完全
# 来自“人多了”，而不是“人更能卖了”。把变化拆开手算一下（取“先变人数”和“先变人均”两种顺序的平均）：

# %%
(n0, n1), (s0, s1) = fractal["sellers"], fractal["sales_per_seller"]
more_sellers = (n1 - n0) * (s0 + s1) / 2
better_sellers = (s1 - s0) * (n0 + n1) / 2
float(more_sellers), float(better_sellers), float(fractal["seller_sales"].iloc[1] - fractal["seller_sales"].iloc[0])

# %%
ops.fractal_drivers(fractal, "2025-03-01", "2025-04-01", lang=LANG)

# %% [markdown] lang="en"
# `ops.fractal_drivers` gives the same split (and the shares). All 600 yuan of growth come from
# more sellers. The model's levers: recruit sellers (N) and equip
# them with tools, content and incentives so that the standard seller sells more (S per seller).
# With your own orders, pass the seller column: `ops.fractal_growth(orders, seller_col="...")`
# (and `ops.growth_decomposition(orders, model="fractal")` for each seller's part).

# %% [markdown] lang="zh"
# `ops.fractal_drivers` 给出同样的拆分（外加占比）。600 元的增长全部来自分销员变多。这个模型的两个抓手：
# 招募更多节点（N），以及用工具、内容、激励去赋能，让标准节点卖得更多（人均业绩）。用你们自己的订单数据
# 时，把分销员列名传进去即可：`ops.fractal_growth(orders, seller_col="...")`；要看每个分销员各自贡献多少，用
# `ops.growth_decomposition(orders, model="fractal")`。

# %% [markdown] lang="en"
# **The company's own sellers.** Users who came through referrals (老带新) are looked after by a
# distributor (分销员, 专属导购) of the company, and an order placed through a distributor's link
# carries its `seller_id` (empty for self-serve orders). By hand, per month of the last quarter:
# the number of active sellers N, their mean sales and their total:

# %% [markdown] lang="zh"
# **公司自己的分销员**。通过“老带新”进来的用户，会有一名公司的分销员（专属导购）跟进；经分销员链接成交的
# 订单带着 `seller_id`（自然成交的订单留空）。先手算最后一个季度每个月的活跃分销员人数 N、人均业绩和总业绩：

# %%
sold = world.orders.dropna(subset=["seller_id"])
per_seller = sold.groupby([sold["ts"].dt.strftime("%Y-%m"), "seller_id"])["amount"].sum()
per_seller.groupby(level=0).agg(["count", "mean", "sum"]).round(2).tail(3)

# %%
world_fractal = ops.fractal_growth(world.orders, period="M")
world_fractal[["period", "sellers", "sales_per_seller", "seller_sales", "seller_share"]].tail(3)

# %% [markdown] lang="en"
# The same N, mean and total as by hand; `seller_share` is the part of all sales the sellers
# brought. From October to November, did seller sales grow because there were more sellers or
# because each sold more?

# %% [markdown] lang="zh"
# N、人均和总额都与手算一致；`seller_share` 是分销员带来的销售额占全部销售额的比例。从 10 月到 11 月，
# 分销业绩的增长是因为分销员变多了，还是每个人卖得更多了？

# %%
ops.fractal_drivers(world_fractal, "2025-10-01", "2025-11-01", lang=LANG)

# %% [markdown] lang="en"
# The factor with the larger `share` is the lever that moved seller sales this month. The fractal
# model's question for the centre is whether it can keep the sales per seller up while N grows.
# Last, how evenly the year's seller sales are spread: the number of sellers, and the share the
# top fifth of them brought:

# %% [markdown] lang="zh"
# `share` 更大的那个因素，就是这个月推动分销业绩的抓手。分形赋能模型要总部回答的问题是：N 变大的同时，
# 能不能让人均业绩不掉下来？最后看看全年分销业绩分布得有多集中：分销员人数，以及排名前五分之一的分销员
# 贡献的份额：

# %%
sellers = ops.growth_decomposition(world.orders, model="fractal").dropna(subset=["part"])
top = sellers.head(max(1, len(sellers) // 5))
len(sellers), float(round(top["sales"].sum() / sellers["sales"].sum(), 3))

# %% [markdown] lang="en"
# A fifth of the sellers bring a large part of the seller sales: the pyramid of the fractal model.
# Equipping the many (tools, content, training) and keeping the few top sellers are two different
# jobs.

# %% [markdown] lang="zh"
# 五分之一的分销员贡献了很大一部分分销业绩——这就是分形赋能模型里的“金字塔”。赋能大多数人（工具、内容、
# 培训）和留住少数头部分销员，是两件不同的工作。

# %% [markdown] lang="en"
# ## 4 · Data that talks (会说话的数据)
#
# A number on its own says little. It starts to talk when it is put next to a reference (yesterday,
# last month, the target) and split into the factors that moved it. First the daily KPI table
# around 双11:

# %% [markdown] lang="zh"
# ## 4 · 会说话的数据
#
# 一个孤零零的数字说明不了什么。把它和参照物（昨天、上个月、目标）放在一起，再拆成推动它变化的几个
# 因素，数据才开始“说话”。先看双11 前后的每日经营指标表：

# %%
around_1111 = daily[(daily["period"] >= "2025-11-01") & (daily["period"] <= "2025-11-18")]
around_1111[["period", "uv", "buyers", "orders", "gmv", "cvr", "arppu"]]

# %%
fig = ops.plot_kpi_dashboard(daily[daily["period"] >= "2025-10-01"], ["uv", "gmv", "cvr", "arppu"], lang=LANG)

# %% [markdown] lang="en"
# Against a reference the table starts to talk. The mean daily GMV of the campaign days (1–11
# November) and of the week after (12–18 November):

# %% [markdown] lang="zh"
# 有了参照物，这张表就开始“说话”了。下面是活动期（11 月 1–11 日）和活动后一周（11 月 12–18 日）的日均 GMV：

# %%
by_day = daily.set_index("period")["gmv"]
float(round(by_day["2025-11-01":"2025-11-11"].mean(), 2)), float(round(by_day["2025-11-12":"2025-11-18"].mean(), 2))

# %% [markdown] lang="en"
# The campaign days sold clearly more per day than the week after, when sales fall back. But *which*
# factor moved revenue from October to November? `ops.revenue_drivers`
# splits the change of GMV into the parts due to UV, CVR and P; the three parts add up exactly to
# the change:

# %% [markdown] lang="zh"
# 活动期的日均销售额明显高于活动之后的一周，活动一结束销售就回落了。那么从 10 月到 11 月，销售额的增长
# *到底是哪个因素*带来的？`ops.revenue_drivers` 把 GMV 的变化拆成 UV、CVR、P 三部分，三部分相加
# 正好等于变化量：

# %%
drivers = ops.revenue_drivers(monthly, "2025-10-01", "2025-11-01", lang=LANG)
drivers

# %%
change = nov["gmv"] - monthly.set_index("period").loc["2025-10-01", "gmv"]
float(round(drivers["contribution"].sum(), 2)), float(round(change, 2))

# %% [markdown] lang="en"
# Read the `contribution` column (yuan) and its `share`: the factor with the largest share is the
# one to talk about in the monthly review. Between these two months conversion (CVR) contributed
# most and visitors (UV) least: the extra revenue came from converting more of the visitors who
# came, not from bringing more of them. The 双11 campaign worked on conversion, not on reach.
#
# By hand, the classic **chain substitution** (连环替代法) changes the factors one at a time, here
# UV first, then CVR, then P, and is set beside the package's split:

# %% [markdown] lang="zh"
# 看 `contribution` 列（单位：元）和它的占比 `share`：占比最大的因素，就是月度复盘会上要重点讲的那个。
# 这两个月之间，转化率 CVR 的贡献最大，访客数 UV 的贡献最小：多出来的销售额来自“来的人里有更多人下了单”，
# 而不是“来的人更多”。双11 活动拉动的是转化，而不是触达。
#
# 手算的话，经典做法是**连环替代法**：一次只换一个因素，这里按 UV → CVR → P 的顺序，并和包里的结果并排对比：

# %%
oct_ = monthly.set_index("period").loc["2025-10-01"]
uv0, cvr0, p0 = oct_["uv"], oct_["cvr"], oct_["arppu"]
uv1, cvr1, p1 = nov["uv"], nov["cvr"], nov["arppu"]
by_uv = (uv1 - uv0) * cvr0 * p0
by_cvr = uv1 * (cvr1 - cvr0) * p0
by_p = uv1 * cvr1 * (p1 - p0)
chain = pd.DataFrame({"chain substitution": [by_uv, by_cvr, by_p],
                      "shapley": drivers["contribution"].to_numpy()}, index=["uv", "cvr", "p"])
chain.assign(difference=chain["chain substitution"] - chain["shapley"]).round(0)

# %% [markdown] lang="en"
# Both columns add up to the same GMV change, but chain substitution depends on the order chosen
# (try P first): a factor changed later collects more of the interaction between the factors.
# `revenue_drivers` uses the **Shapley** split, the average over all six orders, so no factor is
# favoured. The `difference` column shows how much the order matters when changes are as large as
# this month's; the ranking of the three factors is what to report.
#
# **Which channel brought the extra sales?** The additive models answer the same question part by
# part, with no interaction term at all: ΔS = ΔS₁ + … + ΔSₙ. By hand, November minus October per
# channel:

# %% [markdown] lang="zh"
# 两列加起来都等于同一个 GMV 变化量，但连环替代法的结果取决于替换顺序（换成先替换 P 试试）：越靠后替换的
# 因素，分到的交互作用越多。`revenue_drivers` 用的是 **Shapley 分解**——对六种替换顺序取平均，不偏向任何
# 一个因素。`difference` 列说明：像这个月这样变化幅度大时，顺序的影响不容忽视；向上汇报时，讲清三个因素
# 的排序比纠结具体金额更重要。
#
# **多卖的钱来自哪个渠道**？加法模型也能回答同样的问题，而且按块拆开，完全没有交互项：
# ΔS = ΔS1 + … + ΔSn。先手算每个渠道 11 月减 10 月：

# %%
month = with_channel["ts"].dt.strftime("%Y-%m")
by_month = with_channel.groupby([month, "channel"])["amount"].sum().unstack(0)
(by_month["2025-11"] - by_month["2025-10"]).sort_values(ascending=False).round(2)

# %%
channel_monthly = ops.growth_decomposition(world.orders, model="channel", users=world.users, period="M")
ops.growth_change(channel_monthly, "2025-10-01", "2025-11-01")

# %% [markdown] lang="en"
# `ops.growth_change` lines the two months up channel by channel: the same changes as by hand, plus
# each channel's share of the total rise (the shares add up to 1). The top rows are where most of
# the extra sales came from; to see *why* in each channel (more visitors, better conversion or
# bigger baskets), set the explorer below to the acquisition-channel breakdown.
#
# **The explorer.** Two sliders pick the base and the compare month, a dropdown a breakdown
# (acquisition channel, city tier, platform); the waterfall, the sentence under it and the KPI
# table update. It opens on October → November, the split computed above. In class: read it once,
# then ask the room to predict the split for November → December before moving the sliders.

# %% [markdown] lang="zh"
# `ops.growth_change` 把两个月按渠道逐一对齐：变化量与手算一致，另外给出每个渠道占总增量的份额（份额加起来
# 等于 1）。排在最前面的几个渠道，就是多卖的钱主要来自的地方；想知道每个渠道*为什么*涨（来的人多了、
# 转化高了，还是买得多了），把下面交互组件的细分维度切到“获客渠道”即可。
#
# **交互式探索**。两个滑块分别选基期和对比期（按月），下拉框选细分维度（获客渠道、城市等级、平台），瀑布图、
# 图下的结论句和 KPI 表会随之更新。它打开时就是上面算过的 10 月 → 11 月。课堂上的用法：先对照着讲一遍，
# 再请大家预测 11 月 → 12 月的拆分结果，然后拨动滑块揭晓答案。

# %%
from opsplaybook.widgets import revenue_driver_explorer

revenue_driver_explorer(world, base="2025-10-01", compare="2025-11-01", lang=LANG)

# %% [markdown] lang="en"
# ## 5 · Discussion (探讨)
#
# 1. **咪咕音乐 (Migu Music)** sells music memberships to a huge base of mobile subscribers. Which of
#    the five growth formulas fits it best today, and what would its KPI tree under the North Star
#    look like?
# 2. **樊登读书 (Fandeng Reading)** grew through agents and distributors who sell memberships in
#    their own circles. Write its fractal model: what are N and S per seller, what limits N, and
#    what does the centre have to provide so that S per seller does not fall as N grows?
# 3. **An online video platform** (在线视频平台) hesitates between three North Star metrics: daily
#    active users, total watch time, paying members. Which one would you choose, and which of the
#    other two becomes a guard-rail metric?
# 4. **Our company:** from October to November conversion moved revenue most. Is that good news?
#    What else would you check before the monthly review (the campaign's cost and discounts, refunds,
#    whether December keeps the buyers)?
# 5. **Your business:** write your sales with the formula that fits it best. Which part has an
#    owner today, and which has none?
#
# **Next:** the exercises of this module, then Module 1 (personas and segmentation).

# %% [markdown] lang="zh"
# ## 5 · 课堂探讨
#
# 1. **咪咕音乐**面向海量移动用户卖音乐会员。五个增长模型里，哪一个最适合它现在的阶段？它的北极星指标
#    和指标树会是什么样？
# 2. **樊登读书**靠代理商和分销员在各自的圈子里卖会员，迅速做大。请写出它的分形赋能模型：N 是什么？
#    人均业绩是什么？什么会限制 N 的增长？N 变大时，总部要提供什么，人均业绩才不会往下掉？
# 3. **在线视频平台**在三个北极星候选里犹豫：日活用户数、总播放时长、付费会员数。你选哪个？剩下两个里
#    哪一个应当作为“护栏指标”一起盯着？
# 4. **我们这家公司**：10 月到 11 月，推动销售额增长最多的是转化率。这是好消息吗？月度复盘之前，你还要
#    核对什么（活动成本和折扣力度、退款、12 月这些买家还在不在）？
# 5. **你自己的业务**：用最贴切的一个增长模型写出你们的销售额。哪一块今天有人负责？哪一块没人管？
#
# **下一步**：先做本模块的练习，然后进入第 1 模块（用户画像与用户群细分）。
