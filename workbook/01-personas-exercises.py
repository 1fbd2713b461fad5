# %% lang="en"
LANG = "en"

# %% lang="zh"
LANG = "zh"

# %% [markdown] lang="en"
# # Exercises 01 · Personas and segmentation
#
# Eight questions on the demo company, from "compute this number" to "choose and justify". They
# practise what the lesson showed: a tag computed by hand, the 80/20 rule, a tier model and its
# table, the sizes of the tag system, how well clustering recovers the personas, a strategy for a
# group, and which group to invest in first.
#
# **How it works.** Run the set-up cell first. In each answer cell, replace `____` with your code and
# run the cell: `ex.q1.check()` says *not attempted*, *incorrect* (with what to look at) or
# *correct* (and why). Stuck? Uncomment `ex.q1.hint()` — `ex.q1.hint(2)` gives a second, more
# concrete hint — and, as a last resort, `ex.q1.solution()`.
#
# **Time:** about 40 minutes (questions 1–5: 25 minutes; 6–8: 15 minutes). Every number comes from
# the same seeded company, so your neighbour gets the same answers.

# %% [markdown] lang="zh"
# # 练习 01 · 用户画像与用户群细分
#
# 一共 8 道题，全部用演示公司的数据来做，从“算出一个数”到“做出选择并说明理由”，对应课上讲过的内容：
# 亲手算一个标签、二八法则、分层模型和分层汇总表、标签体系里各标签的人数、聚类能不能找回真实画像、
# 给一个用户群选策略，以及预算应该先投给哪个用户群。
#
# **怎么做题：**先运行下面的准备单元格。每道题的答题单元格里，把 `____` 换成你的代码，
# 然后运行：`ex.q1.check()` 会告诉你“还没有作答”“不对”（并提示该看哪里）或“正确”（并说明为什么对）。
# 卡住了，就去掉 `ex.q1.hint()` 前面的 `#` 再运行；`ex.q1.hint(2)` 是更具体的第二条提示；
# 实在做不出来，再看 `ex.q1.solution()`。
#
# **时长：**约 40 分钟（第 1–5 题约 25 分钟，第 6–8 题约 15 分钟）。数据来自同一家固定随机种子的公司，
# 你和同桌算出来的答案完全一样。

# %%
import opsplaybook as ops
from opsplaybook.exercises import ____, module01 as ex

ops.set_theme(lang=LANG)
ex.bind(globals())
world = ops.load_demo()
features = ops.user_features(world).merge(ops.event_mix(world), on="user_id", how="left")

# %% [markdown] lang="en"
# `features` has **one row per user** (all registered users, buyers or not): `frequency` (orders),
# `monetary` (spend over the year, yuan), `aov` (spend per order), `coupon_share` (share of the
# user's orders with a coupon), `events`, `sessions`, `active_days`, `night_share` (share of the
# user's events between 22:00 and 05:00), profile columns such as `city_tier` and `channel`, and
# the behaviour mix `per_visit_…` (events of each type per 10 visits). Look at it with
# `features.head()` before you start.

# %% [markdown] lang="zh"
# `features` 是**每个用户一行**的用户特征表（全部注册用户，买没买过都在）：`frequency`（订单数）、`monetary`（全年消
# 费金额，元）、`aov`（笔单价）、`coupon_share`（用券订单占比）、`events`（行为次数）、`sessions`、`active_days`、`night_share`（22 点到
# 次日 5 点之间的行为占比），还有 `city_tier`、`channel` 等属性列，以及行为结构 `per_visit_…`（每 10 次访问里各类行为的
# 次数）。动手之前先用 `features.head()` 看一眼。

# %% [markdown] lang="en"
# ## 1 · A tag by hand: night owls (夜猫子)
#
# The tag system defines a **night owl** as a user with at least 20 events, 40 % or more of them
# between 22:00 and 05:00. What share of **all** users are night owls? Give it as a fraction
# between 0 and 1 and store it in `night_owl_share`.

# %% [markdown] lang="zh"
# ## 1 · 亲手算一个标签：夜猫子
#
# 标签体系对**夜猫子**的定义是：至少有 20 次行为，并且其中 40% 以上发生在 22 点到次日 5 点之间。
# 夜猫子占**全部**用户的比例是多少？写成 0 到 1 之间的小数，存进 `night_owl_share`。

# %%
### BEGIN SOLUTION
is_owl = (features["night_share"] >= 0.4) & (features["events"] >= 20)
night_owl_share = is_owl.mean()
### END SOLUTION
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown] lang="en"
# ## 2 · The 80/20 rule (二八法则)
#
# Among the **buyers** (users with at least one order), what share of the year's revenue comes
# from the top 20 % of buyers by spend? Give it as a fraction and store it in `top20_share`.
# `ops.pareto` computes the Pareto (Lorenz) curve, the head and tail shares and the Gini coefficient.

# %% [markdown] lang="zh"
# ## 2 · 二八法则
#
# 在**购买用户**（至少下过一单的用户）中，按消费金额排在前 20% 的用户贡献了全年收入的多大比例？
# 写成小数，存进 `top20_share`。`ops.pareto` 能算出帕累托（洛伦兹）曲线、头部和长尾的占比以及基尼系数。

# %%
### BEGIN SOLUTION
value = ops.pareto(world.orders)
top20_share = value.top_share
### END SOLUTION
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown] lang="en"
# ## 3 · A tier model (用户分层): member levels
#
# The company plans member levels by spend over the year (`monetary`), every registered user —
# also those who never bought (spend 0) — in exactly one level:
#
# | level | spend (yuan) |
# |---|---|
# | `"regular"` | below 500 |
# | `"silver"` | 500 up to 2,000 |
# | `"gold"` | 2,000 up to 5,000 |
# | `"diamond"` | 5,000 and more |
#
# ("up to" excludes the upper bound.) Put every user in a level with `ops.tier_users(features,
# cuts=..., levels=...)` and count the **gold** members. Store the number in `n_gold`.

# %% [markdown] lang="zh"
# ## 3 · 分层模型：会员等级
#
# 公司打算按全年消费金额（`monetary`）给用户定会员等级：每个注册用户（包括从没买过、消费为 0 的用户）
# 都恰好属于一个等级：
#
# | 等级 | 全年消费（元） |
# |---|---|
# | `"regular"` 普通 | 500 以下 |
# | `"silver"` 银卡 | 500（含）到 2,000 |
# | `"gold"` 金卡 | 2,000（含）到 5,000 |
# | `"diamond"` 钻石 | 5,000 及以上 |
#
# 用 `ops.tier_users(features, cuts=..., levels=...)` 把每个用户分进一个等级，数一数**金卡**会员有多少人，
# 存进 `n_gold`。

# %%
### BEGIN SOLUTION
tiers = ops.tier_users(features, cuts=[500, 2000, 5000], levels=["regular", "silver", "gold", "diamond"])
n_gold = (tiers["tier"] == "gold").sum()
### END SOLUTION
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.hint(2)
# ex.q3.solution()

# %% [markdown] lang="en"
# ## 4 · The tier table: size and value per level
#
# For the same four levels, build the table a manager reads: one row per level and the columns
# `tier`, `users` (users in the level), `value` (their spend) and `value_share` (the level's share
# of all revenue, a fraction). Store it in `tier_table`. (Rows may come in any order; other
# columns may be there too.)

# %% [markdown] lang="zh"
# ## 4 · 分层汇总表：各层的规模与价值
#
# 还是这四个等级，做出管理者要看的那张表：每个等级一行，列为 `tier`、`users`（该层人数）、`value`（该层
# 消费总额）和 `value_share`（该层占全部收入的比例，写成小数）。存进 `tier_table`。
# （行的顺序不限，多出别的列也没关系。）

# %%
### BEGIN SOLUTION
levels = ["regular", "silver", "gold", "diamond"]
tier_table = ops.tier_summary(ops.tier_users(features, cuts=[500, 2000, 5000], levels=levels))
tier_table = tier_table.reset_index()[["tier", "users", "value", "value_share"]]
### END SOLUTION
ex.q4.check()

# %%
# ex.q4.hint()
# ex.q4.hint(2)
# ex.q4.solution()

# %% [markdown] lang="en"
# ## 5 · A chart: how many users carry each tag
#
# Apply the kit's default tag system, `ops.DEFAULT_TAG_RULES` (高价值, 价格敏感, 夜猫子, 新客, 沉睡,
# 高潜力, 疑似羊毛党), with `ops.tag_users`, and draw a **bar chart** of the number of users carrying
# each tag, each bar named by its tag, with a title. Store the chart's Axes in `ax_tags` (every
# `ops.plot_…` function and `DataFrame.plot` return it). The check reads the bars and their names off
# the chart, so any bar chart of the right numbers passes, in any order.

# %% [markdown] lang="zh"
# ## 5 · 画图：每个标签有多少人
#
# 用 `ops.tag_users` 套用工具包自带的默认标签体系 `ops.DEFAULT_TAG_RULES`（高价值、价格敏感、夜猫子、新客、
# 沉睡、高潜力、疑似羊毛党），画一张**柱状图**，显示每个标签的用户数，每根柱子标上标签名，并加上标题。
# 把图的 Axes 存进 `ax_tags`（所有 `ops.plot_…` 函数和 `DataFrame.plot` 都会返回它）。检查时直接从图上
# 读取柱子的数值和名字，所以只要数字对，用什么方法画、柱子按什么顺序排都可以。

# %%
### BEGIN SOLUTION
tags = ops.tag_users(features, ops.DEFAULT_TAG_RULES, lang=LANG)
ax_tags = ops.plot_tag_sizes(tags.sizes(), lang=LANG)
### END SOLUTION
ex.q5.check()

# %%
# ex.q5.hint()
# ex.q5.hint(2)
# ex.q5.solution()

# %% [markdown] lang="en"
# ## The personas of the company
#
# Questions 6 to 8 use the groups that clustering finds (`ops.find_personas`: k-means on the scaled
# behaviour, k chosen by the silhouette) and their persona cards. Users with fewer than 3 orders
# are not clustered: they get the group −1, "not enough data yet". Run the next cell and read the
# cards.

# %% [markdown] lang="zh"
# ## 这家公司的用户画像
#
# 第 6 到 8 题要用到聚类找出的用户群（`ops.find_personas`：对标准化后的行为特征做 k-means，用轮廓系数选 k）
# 和它们的画像卡片。订单少于 3 笔的用户不参与聚类，单独放进 −1 组“数据不足”。运行下面的单元格，读一读这些卡片。

# %%
personas = ops.find_personas(features)
cards = ops.persona_cards(features, personas, lang=LANG)
cards[["name", "users", "share", "frequency", "coupon_share", "arpu", "value_share"]]

# %% [markdown] lang="en"
# ## 6 · Did the clustering find the real personas?
#
# The synthetic company knows each user's **planted persona** (`world.truth.user_persona`, indexed
# by `user_id`) — in real life nobody does. Among the users with **3 or more orders**, how well do
# the groups of `personas.groups["group"]` agree with the planted personas? Measure it with the
# adjusted Rand index (`sklearn.metrics.adjusted_rand_score`: 1 = the same grouping, 0 = chance)
# and store it in `ari`.

# %% [markdown] lang="zh"
# ## 6 · 聚类找到真实画像了吗？
#
# 合成公司知道每个用户**埋下的真实画像**（`world.truth.user_persona`，索引是 `user_id`）——现实中没人知道。
# 在**订单数不少于 3 笔**的用户中，`personas.groups["group"]` 的分组和真实画像有多一致？用调整兰德指数
# （`sklearn.metrics.adjusted_rand_score`：1 表示分组完全一样，0 表示和随机差不多）来衡量，存进 `ari`。

# %%
### BEGIN SOLUTION
from sklearn.metrics import adjusted_rand_score
enough = (features["frequency"] >= 3).to_numpy()
planted = world.truth.user_persona.reindex(features["user_id"]).to_numpy()
found = personas.groups["group"].to_numpy()
ari = adjusted_rand_score(planted[enough], found[enough])
### END SOLUTION
ex.q6.check()

# %%
# ex.q6.hint()
# ex.q6.hint(2)
# ex.q6.solution()

# %% [markdown] lang="en"
# ## 7 · A strategy for the price-sensitive (价格敏感)
#
# The cell below compares the buyers tagged **price-sensitive** (a coupon on 60 % or more of their
# orders) with the other buyers: orders per buyer, spend per order, coupon use, spend. Which of the
# five strategies of the course fits them best?
#
# - `"A"` promote consumption (促进消费)
# - `"B"` lower the barrier to buy (降低门槛)
# - `"C"` develop a new segment (挖掘新细分)
# - `"D"` upgrade existing customers (存量升级)
# - `"E"` serve as a niche market (利基市场)
#
# Store the letter, as text, in `price_strategy`.

# %% [markdown] lang="zh"
# ## 7 · 给价格敏感的用户选策略
#
# 下面的单元格把带**价格敏感**标签的购买用户（60% 以上的订单用了券）和其他购买用户做了对比：
# 每人订单数、笔单价、用券比例、消费金额。课程讲的五种策略里，哪一种最适合他们？
#
# - `"A"` 促进消费
# - `"B"` 降低门槛
# - `"C"` 挖掘新细分
# - `"D"` 存量升级
# - `"E"` 利基市场
#
# 把选项字母（写成文字）存进 `price_strategy`。

# %%
buyers = features[features["frequency"] >= 1].assign(price_sensitive=features["coupon_share"] >= 0.6)
buyers.groupby("price_sensitive")[["frequency", "aov", "coupon_share", "monetary"]].mean()

# %%
### BEGIN SOLUTION
price_strategy = "B"
### END SOLUTION
ex.q7.check()

# %%
# ex.q7.hint()
# ex.q7.hint(2)
# ex.q7.solution()

# %% [markdown] lang="en"
# ## 8 · Choose and justify: which group first?
#
# Next quarter's budget can go to one group of the persona cards above. Which group should the
# company invest in first to grow revenue, and why?
#
# - `"A"` Loyal high-value (高价值忠诚型)
# - `"B"` Price-sensitive (价格敏感型)
# - `"C"` Dormant potential (沉默潜力型)
# - `"D"` Not enough data yet (数据不足)
#
# Answer in `target_first`, a dict: `target_first = {"choice": "...", "because": "..."}` (the letter
# or the group's name). In `because`, use the assessment of the lesson (用户群价值评估): say what
# share of the revenue the group brings and what one of its users is worth (or how often they
# buy). The check looks for those key facts, not for exact words.

# %% [markdown] lang="zh"
# ## 8 · 做出选择并说明理由：先投哪个用户群？
#
# 下个季度的预算只能投给上面画像卡片里的一个用户群。为了增加收入，公司应该先投哪一个？为什么？
#
# - `"A"` 高价值忠诚型
# - `"B"` 价格敏感型
# - `"C"` 沉默潜力型
# - `"D"` 数据不足
#
# 把答案存进字典 `target_first`：`target_first = {"choice": "...", "because": "..."}`（写字母或组名都可以）。
# 在 `because` 里用课上讲的“用户群价值评估”来说明：这个组贡献了多大比例的收入，它的每个用户值多少
# （或者买得多勤）。检查看的是这些关键点，不是措辞。

# %%
### BEGIN SOLUTION
top = cards[cards.index >= 0]["value_share"].idxmax()
card = cards.loc[top]
target_first = {
    "choice": card["name"],
    "because": (f"It brings {card['value_share']:.0%} of the revenue with {card['share']:.0%} of the users: "
                f"{card['arpu']:,.0f} yuan per user and {card['frequency']:.1f} orders each. Upgrade them first "
                "(存量升级) and keep them." if LANG == "en" else
                f"它只占 {card['share']:.0%} 的用户，却贡献了 {card['value_share']:.0%} 的收入："
                f"人均 {card['arpu']:,.0f} 元、每人 {card['frequency']:.1f} 单。先做存量升级，留住他们。"),
}
### END SOLUTION
ex.q8.check()

# %%
# ex.q8.hint()
# ex.q8.hint(2)
# ex.q8.solution()

# %% [markdown] lang="en"
# ## Done?
#
# Re-run the whole notebook (Run → Run All Cells): every check should say *correct*. To hand it in,
# save the notebook and give the file to your trainer, who grades the room's notebooks with
# `opsplaybook grade`. You can check your own file the same way: `opsplaybook check <file>`.
#
# **Discuss:**
#
# - A short-video app (短视频APP) splits its users into creators, heavy viewers, casual scrollers
#   and new sign-ups. Which of them are *tiers* (one level per user) and which are *tags* (a user
#   can be several)? Which would you measure by value share, and which by growth?
# - For 滴滴专车 (premium ride-hailing), business travellers and "treat myself" riders may spend
#   the same per ride. What behaviour (not demographics) would tell them apart, and would the two
#   personas get the same strategy?

# %% [markdown] lang="zh"
# ## 做完了吗？
#
# 从头重新运行整本笔记本（Run → Run All Cells），每道题的检查都应显示“正确”。交作业时保存笔记本，
# 把文件交给讲师，讲师用 `opsplaybook grade` 一次批改全班的笔记本。你也可以自己先检查
# 一遍：`opsplaybook check <文件名>`。
#
# **讨论：**
#
# - 一款短视频APP 把用户分成创作者、重度观看者、随便刷刷的人和新注册用户。哪些是*分层*（每人只在一层），
#   哪些是*标签*（一个人可以同时是好几种）？哪些该看收入占比，哪些该看增长？
# - 对滴滴专车来说，商务出行的人和“犒劳自己”的人每单可能花得一样多。什么样的行为（而不是人口属性）
#   能把这两类人分开？这两个画像该用同一种策略吗？
