# %% lang="en"
LANG = "en"

# %% lang="zh"
LANG = "zh"

# %% [markdown] lang="en"
# # 90 · Chart gallery
#
# Every chart of the kit, one after the other, drawn on the demo company. Each entry has three
# parts: **when to use the chart** (one sentence), the **data it needs** (prepared in plain pandas
# or by one analysis function), and the **one call that draws it**. Copy the cell, swap in your
# own table, and you have the chart.
#
# All charts take the data first and options by keyword, return the matplotlib `Axes` (so you can
# add to it), and write their titles, axes, segment and stage names in the language you pass
# with `lang=`. Column names are parameters: a team's own export works without renaming.
#
# **Time:** browse as needed; the whole notebook runs in about 15 seconds.

# %% [markdown] lang="zh"
# # 90 · 图表库
#
# 工具包里的每一种图表，都在这里用演示公司的数据画一遍。每张图分三步：**什么时候用**（一句话）、
# **需要什么数据**（几行 pandas，或者一个分析函数），以及**画图的那一行调用**。把单元格复制过去，
# 换成你自己的表，图就出来了。
#
# 所有画图函数都是“数据在前、选项用关键字”，返回 matplotlib 的 `Axes`（可以继续往上加东西）；
# 标题、坐标轴、客户分层和生命周期阶段的名字都按 `lang=` 的语言显示。列名都是参数，
# 团队自己导出的数据不用改列名也能画。
#
# **时长**：随用随查；整本笔记本约 15 秒跑完。

# %%
import matplotlib.pyplot as plt
import pandas as pd

import opsplaybook as ops
from opsplaybook.charts.drivers import plot_revenue_drivers_by, plot_revenue_waterfall
from opsplaybook.localization import localize

ops.set_theme(lang=LANG)
world = ops.load_demo()

# %% [markdown] lang="en"
# Several charts show customers by their RFM segment. The RFM table (one row per buyer: recency,
# frequency, monetary, the three scores and the segment) is computed once here.

# %% [markdown] lang="zh"
# 好几张图都按 RFM 客户分层来看客户。先算一次 RFM 表（每个购买过的客户一行：最近一次消费、
# 消费频次、消费金额、三个评分和所属分层），后面反复使用。

# %%
rfm = ops.rfm(world.orders, lang=LANG)
rfm.head(3)

# %% [markdown] lang="en"
# The column names above are what the `x=`, `y=` and `hue=` options below refer to. For a slide,
# `localize` shows the same rows with the catalog's headers and segment names.

# %% [markdown] lang="zh"
# 上表的英文列名，就是下面各图 `x=`、`y=`、`hue=` 参数要填的名字。要放进课件时，用 `localize`
# 把同样的几行换成中文表头和分层名称。

# %%
localize(rfm.head(3), lang=LANG)

# %% [markdown] lang="en"
# ## 1 · The twelve monitoring charts (常见数据统计和可视化方法)
#
# ### Scatter plot — `plot_scatter`
# Two numbers per customer, to see whether they move together (here: more orders, more spend).

# %% [markdown] lang="zh"
# ## 1 · 监控模块的十二种基础图表
#
# ### 散点图 `plot_scatter`
# 每个客户两个数值，看它们是否一起变化（这里：买得越多，花得越多）。

# %%
ax = ops.plot_scatter(rfm, x="frequency", y="monetary", hue="segment", logy=True, lang=LANG)

# %% [markdown] lang="en"
# ### Bubble chart — `plot_bubble`
# A third number as the bubble's size; with `by=`, one bubble per group (the group means).

# %% [markdown] lang="zh"
# ### 气泡图 `plot_bubble`
# 用气泡大小表示第三个数值；加上 `by=`，每组画一个气泡（组内均值）。

# %%
ax = ops.plot_bubble(rfm, x="recency", y="frequency", size="monetary", by="segment", lang=LANG)

# %% [markdown] lang="en"
# ### Jitter plot — `plot_jitter`
# Every customer as a dot per group: the spread and the outliers a mean would hide.

# %% [markdown] lang="zh"
# ### 抖动图 `plot_jitter`
# 每组里的每个客户都是一个点：能看到均值掩盖掉的分布和极端值。

# %%
ax = ops.plot_jitter(rfm, x="segment", y="monetary", logy=True, lang=LANG)

# %% [markdown] lang="en"
# ### Counts plot — `plot_counts`
# How many rows fall in each category: here, sign-ups per acquisition channel.

# %% [markdown] lang="zh"
# ### 计数图 `plot_counts`
# 每个类别有多少行：这里是各获客渠道的注册人数。

# %%
ax = ops.plot_counts(world.users, x="channel", lang=LANG)

# %% [markdown] lang="en"
# ### Histogram — `plot_histogram`
# The distribution of one number, optionally stacked by a group (age by gender).

# %% [markdown] lang="zh"
# ### 直方图 `plot_histogram`
# 一个数值的分布，可以按组堆叠（按性别看年龄分布）。

# %%
ax = ops.plot_histogram(world.users, x="age", hue="gender", discrete=True, lang=LANG)

# %% [markdown] lang="en"
# ### Box plot — `plot_box`
# Median, quartiles and outliers of a number per group, groups sorted by median (order value per
# category).

# %% [markdown] lang="zh"
# ### 箱线图 `plot_box`
# 每组数值的中位数、四分位数和离群点，按中位数排序（各品类的订单金额）。

# %%
ax = ops.plot_box(world.orders, x="category", y="amount", logy=True, lang=LANG)

# %% [markdown] lang="en"
# ### Correlogram — `plot_correlogram`
# Which numeric columns move together: here the weights survey respondents give to five
# preference dimensions.

# %% [markdown] lang="zh"
# ### 相关系数矩阵 `plot_correlogram`
# 哪些数值列一起变化：这里是问卷中受访者对五个偏好维度打的分。

# %%
ax = ops.plot_correlogram(world.survey_preference, columns=["function", "efficiency", "effect", "cost", "risk"],
                          lang=LANG)

# %% [markdown] lang="en"
# ### Pair plot — `plot_pairs`
# Every pair of a few columns at once, coloured by group; it returns a grid of charts (a Figure).
# Large tables are sampled (`max_points=`) so the grid stays quick to draw and to read.

# %% [markdown] lang="zh"
# ### 矩阵散点图 `plot_pairs`
# 一次看几列两两之间的关系，按组着色；返回的是一组图（Figure）。数据量大时会抽样（`max_points=`），
# 既画得快也看得清。

# %%
fig = ops.plot_pairs(rfm, vars=["recency", "frequency", "monetary"], hue="segment", max_points=1000, lang=LANG)

# %% [markdown] lang="en"
# ### Diverging bars — `plot_diverging_bars`
# Each group against the average: above or below, and by how much (sales per category).

# %% [markdown] lang="zh"
# ### 发散条形图 `plot_diverging_bars`
# 每组与平均水平相比高多少、低多少（各品类的销售额）。

# %%
ax = ops.plot_diverging_bars(world.orders, x="amount", y="category", agg="sum", lang=LANG)

# %% [markdown] lang="en"
# ### Ordered bars — `plot_ordered_bars`
# A ranking: groups sorted by a total or a mean.

# %% [markdown] lang="zh"
# ### 排序条形图 `plot_ordered_bars`
# 排名：各组按合计或均值从高到低排列。

# %%
ax = ops.plot_ordered_bars(world.orders, x="category", y="amount", agg="sum", lang=LANG)

# %% [markdown] lang="en"
# ### Area chart — `plot_area`
# How a total and its mix change over time: monthly sales by category.

# %% [markdown] lang="zh"
# ### 面积图 `plot_area`
# 总量和构成随时间的变化：各品类的月销售额。

# %%
monthly = world.orders.assign(month=world.orders["ts"].dt.to_period("M").dt.start_time)
ax = ops.plot_area(monthly, x="month", y="amount", hue="category", lang=LANG)

# %% [markdown] lang="en"
# ### Histogram with density — `plot_density_histogram`
# The shape of a skewed amount (histogram, density curve and median), the top 1 % clipped.

# %% [markdown] lang="zh"
# ### 连续变量直方图 `plot_density_histogram`
# 偏态金额的形状：直方图、核密度曲线和中位数（去掉最高的 1%）。

# %%
ax = ops.plot_density_histogram(world.orders, x="amount", lang=LANG)

# %% [markdown] lang="en"
# ## 2 · Funnel and retention
#
# ### Conversion funnel — `plot_funnel`
# Where users drop out between the steps of a journey (`ops.funnel` counts each step within a
# conversion window).

# %% [markdown] lang="zh"
# ## 2 · 漏斗与留存
#
# ### 转化漏斗 `plot_funnel`
# 用户在路径的哪一步流失（`ops.funnel` 在转化窗口期内统计每一步的人数）。

# %%
steps = ["visit", "view", "cart", "checkout", "purchase"]
ax = ops.plot_funnel(ops.funnel(world.events, steps), lang=LANG)

# %% [markdown] lang="en"
# With `by=`, one funnel per group side by side: here per touchpoint (App, mini-program, H5).

# %% [markdown] lang="zh"
# 加上 `by=`，各组的漏斗并排对比：这里按触点（App、小程序、H5）拆开。

# %%
ax = ops.plot_funnel(ops.funnel(world.events, steps, by="touchpoint"), by="touchpoint", lang=LANG)

# %% [markdown] lang="en"
# ### Cohort retention heatmap — `plot_retention_heatmap`
# Each row a cohort of users who started in the same week, each column a later week: the share
# still active.

# %% [markdown] lang="zh"
# ### 同期群留存热力图 `plot_retention_heatmap`
# 每一行是同一周开始使用的一批用户（同期群），每一列是之后的第 N 周：仍然活跃的比例。

# %%
weekly = ops.retention(world.events, period="W", periods=9)
ax = ops.plot_retention_heatmap(weekly, max_cohorts=12, lang=LANG)

# %% [markdown] lang="en"
# ### Retention curves — `plot_retention_curves`
# The same table as curves, with the weighted mean over cohorts.

# %% [markdown] lang="zh"
# ### 留存曲线 `plot_retention_curves`
# 同一张表画成曲线，并给出各同期群的加权平均。

# %%
ax = ops.plot_retention_curves(weekly, lang=LANG)

# %% [markdown] lang="en"
# Pass a dict of results to compare groups: one curve per planted persona (the synthetic company's
# `world.truth` knows each user's persona).

# %% [markdown] lang="zh"
# 传入一个字典就能比较不同人群：每种用户画像一条曲线（合成公司的 `world.truth` 记录了每个用户的画像）。

# %%
persona = world.truth.user_persona
by_persona = {
    key: ops.retention(world.events[world.events["user_id"].isin(persona.index[persona == key])],
                       period="W", periods=9)
    for key in ["loyal_vip", "price_sensitive", "early_adopter", "bargain_hunter"]
}
ax = ops.plot_retention_curves(by_persona, lang=LANG)

# %% [markdown] lang="en"
# ## 3 · Lifecycle
#
# ### Users by lifecycle stage — `plot_lifecycle_area`
# How many users are new, active, silent, churned or reactivated, month by month.

# %% [markdown] lang="zh"
# ## 3 · 用户生命周期
#
# ### 各生命周期阶段用户数 `plot_lifecycle_area`
# 每个月有多少新用户、活跃用户、沉默用户、流失用户和回流用户。

# %%
stage_counts = ops.lifecycle_counts(world.events, start="2025-01-01", end="2025-12-31", freq="M", users=world.users)
ax = ops.plot_lifecycle_area(stage_counts, lang=LANG)

# %% [markdown] lang="en"
# ### Active-user mix (PostHog lifecycle) — `plot_posthog_lifecycle`
# Each week's active users split into new, returning and resurrecting, with the users lost this
# week below zero.

# %% [markdown] lang="zh"
# ### 活跃用户构成 `plot_posthog_lifecycle`
# 把每周的活跃用户拆成新增、持续活跃和回流，本期流失的用户画在零线以下。

# %%
ax = ops.plot_posthog_lifecycle(ops.posthog_lifecycle(world.events, freq="W", users=world.users), lang=LANG)

# %% [markdown] lang="en"
# ### Stage transitions (Sankey) — `plot_sankey`
# Where the users of each stage on one date are on a later date.

# %% [markdown] lang="zh"
# ### 阶段流转桑基图 `plot_sankey`
# 某一天处在各阶段的用户，到后来的某一天分别去了哪个阶段。

# %%
flows = ops.lifecycle_transitions(world.events, "2025-07-01", "2025-12-31", users=world.users)
ax = ops.plot_sankey(flows, start_label="2025-07-01", end_label="2025-12-31", lang=LANG)

# %% [markdown] lang="en"
# `ops.sankey_figure(flows, lang=LANG)` draws the same flows as an interactive Plotly chart (hover
# to see the numbers); it needs the optional extra: `pip install "opsplaybook[interactive]"`.

# %% [markdown] lang="zh"
# `ops.sankey_figure(flows, lang=LANG)` 会把同样的流转画成可交互的 Plotly 图（鼠标悬停显示人数），
# 需要先安装可选依赖：`pip install "opsplaybook[interactive]"`。

# %% [markdown] lang="en"
# ## 4 · Customer value and KPIs
#
# ### RFM heatmap — `plot_rfm_heatmap`
# Mean spend in each cell of recency score × frequency score, with the number of customers.

# %% [markdown] lang="zh"
# ## 4 · 客户价值与经营指标
#
# ### RFM 热力图 `plot_rfm_heatmap`
# R 分 × F 分每一格的平均消费金额和客户数。

# %%
ax = ops.plot_rfm_heatmap(rfm, lang=LANG)

# %% [markdown] lang="en"
# ### Customers per segment — `plot_rfm_segments`
# How many customers each RFM segment holds (`value="monetary"` for their spend instead) …

# %% [markdown] lang="zh"
# ### 各分层客户数 `plot_rfm_segments`
# 每个 RFM 分层有多少客户（`value="monetary"` 改看消费金额）……

# %%
ax = ops.plot_rfm_segments(rfm, lang=LANG)

# %% [markdown] lang="en"
# … or as a treemap, where area is the segment's size.

# %% [markdown] lang="zh"
# ……也可以画成矩形树图，面积就是分层的大小。

# %%
ax = ops.plot_rfm_segments(rfm, kind="treemap", lang=LANG)

# %% [markdown] lang="en"
# ### Pareto curve (80/20) — `plot_pareto`
# What share of revenue the top spenders bring; `n_users` counts the customers who never bought.

# %% [markdown] lang="zh"
# ### 帕累托曲线（二八法则）`plot_pareto`
# 消费最多的那部分用户贡献了多少收入；`n_users` 把从未购买的用户也算进分母。

# %%
ax = ops.plot_pareto(world.orders, n_users=len(world.users), lang=LANG)

# %% [markdown] lang="en"
# ### Persona map — `plot_persona_map`
# Module 1's clustering (`ops.find_personas` on `ops.user_features` plus the per-visit event mix) shown
# on two principal components, one colour per group: are the personas really apart?

# %% [markdown] lang="zh"
# ### 用户群分布图 `plot_persona_map`
# 第 1 模块的聚类结果（`ops.find_personas`，特征来自 `ops.user_features` 和每次访问的行为构成）投影到两个主成分上，
# 每个用户群一种颜色：几个画像是不是真的分得开，一眼就能看出来。

# %%
features = ops.user_features(world).merge(ops.event_mix(world), on="user_id", how="left")
personas = ops.find_personas(features)
ax = ops.plot_persona_map(personas.map(), lang=LANG)

# %% [markdown] lang="en"
# ### Tag sizes — `plot_tag_sizes`
# How many users carry each tag of the default rule set (`ops.tag_users(features, ops.DEFAULT_TAG_RULES)`).

# %% [markdown] lang="zh"
# ### 标签人数 `plot_tag_sizes`
# 默认标签规则（`ops.tag_users(features, ops.DEFAULT_TAG_RULES)`）下，每个标签覆盖多少用户、占多少比例。

# %%
tags = ops.tag_users(features, ops.DEFAULT_TAG_RULES, lang=LANG)
ax = ops.plot_tag_sizes(tags.sizes(), lang=LANG)

# %% [markdown] lang="en"
# ### Tag overlaps — `plot_tag_overlap`
# Users carrying both tags: a user may carry many tags (grouping 分群), unlike tiers (分层).

# %% [markdown] lang="zh"
# ### 标签重叠 `plot_tag_overlap`
# 同时带有两个标签的用户数：一个用户可以有多个标签（分群），这和每人只在一层的分层不同。

# %%
ax = ops.plot_tag_overlap(tags.overlap(), labels=tags.labels, lang=LANG)

# %% [markdown] lang="en"
# ### KPI dashboard — `plot_kpi_dashboard`
# Small multiples of the operating KPIs per week (`ops.kpis`), each with its latest value.

# %% [markdown] lang="zh"
# ### 核心指标看板 `plot_kpi_dashboard`
# 每周经营指标（`ops.kpis`）的小图组合，每张小图标出最新值。

# %%
weekly_kpis = ops.kpis(world.events, world.orders, freq="W", users=world.users)
ax = ops.plot_kpi_dashboard(weekly_kpis, ["dau", "gmv", "cvr", "arppu", "stickiness", "repeat_rate"], lang=LANG)

# %% [markdown] lang="en"
# ### What moved sales — `plot_revenue_waterfall`
# The change of sales between two months split into the parts due to visitors (UV), conversion
# (CVR) and revenue per buyer (P): S = UV × CVR × P.

# %% [markdown] lang="zh"
# ### 销售额变化拆解 `plot_revenue_waterfall`
# 把两个月之间销售额的变化拆成访客数 UV、支付转化率 CVR、客单价 P 各自带来的部分：S = UV × CVR × P。

# %%
monthly_kpis = ops.kpis(world.events, world.orders, freq="M")
drivers = ops.revenue_drivers(monthly_kpis, "2025-10-01", "2025-11-01")
ax = plot_revenue_waterfall(drivers, base_label="2025-10", compare_label="2025-11", lang=LANG)

# %% [markdown] lang="en"
# ### Drivers by group — `plot_revenue_drivers_by`
# The same split for each group (city tiers here): which factor moved sales where.

# %% [markdown] lang="zh"
# ### 各组的驱动因素 `plot_revenue_drivers_by`
# 对每个分组做同样的拆解（这里按城市等级）：哪个因素在哪里带动了销售额。

# %%
rows = []
for tier, ids in world.users.groupby("city_tier")["user_id"]:
    k = ops.kpis(world.events[world.events["user_id"].isin(ids)], world.orders[world.orders["user_id"].isin(ids)],
                 freq="M")
    split = ops.revenue_drivers(k, "2025-10-01", "2025-11-01").set_index("factor")["contribution"]
    rows.append({"group": tier, **split})
ax = plot_revenue_drivers_by(pd.DataFrame(rows), lang=LANG)

# %% [markdown] lang="en"
# ### KPI tree — `plot_kpi_tree`
# The North Star metric (sales) and the levers that multiply into it, with their change against
# the month before.

# %% [markdown] lang="zh"
# ### 指标树 `plot_kpi_tree`
# 北极星指标（销售额）和相乘得到它的各个杠杆，以及与上个月相比的变化。

# %%
ax = ops.plot_kpi_tree(ops.kpi_tree(monthly_kpis, period="2025-11-01", lang=LANG), lang=LANG)

# %% [markdown] lang="en"
# ## 5 · Models of the course
#
# ### KANO model — `plot_kano`
# Each feature placed by how much its presence satisfies (Better) and its absence dissatisfies
# (|Worse|), coloured by its KANO category.

# %% [markdown] lang="zh"
# ## 5 · 课程中的模型
#
# ### KANO 模型 `plot_kano`
# 每个功能点按“有了多满意”（Better）和“没有多不满”（|Worse|）定位，颜色表示 KANO 分类。

# %%
ax = ops.plot_kano(ops.kano(world.survey_kano), lang=LANG)

# %% [markdown] lang="en"
# ### Positioning map — `plot_positioning_map`
# Products on two axes against the average; here each category by average order value and
# repeat-purchase rate, bubble size = buyers.

# %% [markdown] lang="zh"
# ### 二维市场定位图 `plot_positioning_map`
# 在两个维度上与平均水平比较定位；这里每个品类按笔单价和复购率定位，气泡大小为购买人数。

# %%
per_buyer = world.orders.groupby(["category", "user_id"]).size()
categories = pd.DataFrame({
    "avg_order_value": world.orders.groupby("category")["amount"].mean(),
    "repeat_rate": (per_buyer > 1).groupby("category").mean(),
    "buyers": per_buyer.groupby("category").size(),
}).rename_axis("label").reset_index()
ax = ops.plot_positioning_map(categories, x="avg_order_value", y="repeat_rate", size="buyers",
                              x_kind="yuan", y_kind="percent", xlabel="models.positioning.avg_order_value",
                              ylabel="models.positioning.repeat_rate", lang=LANG)

# %% [markdown] lang="en"
# ### Price sensitivity (Van Westendorp) — `plot_price_sensitivity`
# The four answer curves of the price survey, the acceptable range and the optimal price.

# %% [markdown] lang="zh"
# ### 价格敏感度测试 `plot_price_sensitivity`
# 价格问卷的四条累计曲线、可接受价格区间和最优价格点。

# %%
ax = ops.plot_price_sensitivity(ops.van_westendorp(world.survey_price), lang=LANG)

# %% [markdown] lang="en"
# ### Channel value matrix — `plot_channel_matrix`
# Acquisition channels by volume (sign-ups) and quality (here: activity in months 2–3), bubble
# size = spend, suspected fraud marked.

# %% [markdown] lang="zh"
# ### 渠道价值评估矩阵 `plot_channel_matrix`
# 各获客渠道按量（新增注册）和质（这里：注册后第 2–3 个月的活跃）定位，气泡大小为投放花费，
# 并标出疑似作弊的渠道。

# %%
channels = ops.channel_value(world.users, world.channels, world.orders, world.events, retention_window=(31, 90))
ax = ops.plot_channel_matrix(channels, fraud=ops.fraud_signals(world.users, world.events), lang=LANG)

# %% [markdown] lang="en"
# ### A/B test result — `plot_ab_result`
# Conversion of control and treatment with confidence intervals, and the lift with its interval.

# %% [markdown] lang="zh"
# ### AB 测试结果 `plot_ab_result`
# 对照组和实验组的转化率及置信区间，以及提升幅度和它的置信区间。

# %%
ax = ops.plot_ab_result(ops.ab_test(world.experiment), lang=LANG)

# %% [markdown] lang="en"
# ## All charts as image files
#
# `opsplaybook gallery --out gallery --lang en` draws every chart of this page into PNG files with a
# Markdown index page (`gallery/gallery.md`), e.g. to paste into slides.

# %% [markdown] lang="zh"
# ## 把所有图表导出为图片
#
# `opsplaybook gallery --out gallery --lang zh` 会把本页所有图表画成 PNG 图片，并生成一个 Markdown
# 索引页（`gallery/gallery.md`），方便直接放进课件。
