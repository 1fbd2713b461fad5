# %% lang="en"
LANG = "en"

# %% lang="zh"
LANG = "zh"

# %% [markdown] lang="en"
# # 01 · Personas and segmentation (用户画像与用户群细分)
#
# Which users do we have, which of them matter, and what do we do for each? This module answers the
# first part of the platform user-operations course (用户画像和用户群细分评估) on the synthetic
# company: from the dimensions a team can split users by, through tags and tiers, to clustered
# personas, an assessment of each segment's value and a strategy per segment.
#
# **You will learn to**
#
# 1. choose **segmentation dimensions** (用户细分的主要维度) and test whether a dimension is worth
#    using: do the groups it makes behave differently?
# 2. design a **tag system** (标签体系): rule tags written as data (a YAML file the team edits), the
#    default tags of the kit (高价值, 价格敏感, 夜猫子, 新客, 沉睡, 高潜力, 疑似羊毛党) and why each
#    threshold is where it is;
# 3. tell **tiers** (用户分层: every user in exactly one level, the value pyramid 金字塔模型) from
#    **groups** (用户分群: a user may carry many tags);
# 4. **cluster users into personas** (用户群的聚合) and read the persona cards, and see the lesson of
#    the method: behaviour tells personas apart only for users with enough history;
# 5. **assess segments** (用户群价值评估): size, growth and mobility between two dates, need volume
#    and frequency, purchasing power, value share, the 80/20 rule (二八法则) and the long tail (长尾);
# 6. pick a **strategy per segment** (市场运营策略) and apply all of it to two cases: a short-video
#    app (短视频APP) and premium ride-hailing personas (滴滴专车).
#
# **Time:** about 120 minutes in class (15 min dimensions, 25 min tags, 15 min tiers vs groups,
# 25 min personas, 20 min assessment and strategy, 20 min the two cases), plus 30–40 minutes for
# the exercises (`exercises/en/01-Personas-and-Segmentation-exercises.ipynb`). The whole notebook
# runs in under half a minute.

# %% [markdown] lang="zh"
# # 01 · 用户画像与用户群细分
#
# 我们有哪些用户？哪些用户最重要？对每一类用户分别做什么？这一节对应《互联网平台用户运营》课程的第一部分
# “用户画像和用户群细分评估”，全部在合成公司的数据上动手做一遍：从细分维度出发，经过标签和分层，
# 到聚类得到的用户画像，再评估每个用户群的价值，最后为每个用户群定策略。
#
# **学完本节，你能够**：
#
# 1. 选择**用户细分的主要维度**，并检验一个维度值不值得用——按它分出来的几群人，行为到底有没有差别；
# 2. 设计**标签体系**：把规则写成数据（一份团队可以直接改的 YAML 文件），读懂工具包的默认标签
#    （高价值、价格敏感、夜猫子、新客、沉睡、高潜力、疑似羊毛党）以及每个阈值为什么定在那里；
# 3. 分清**用户分层**（每个用户只属于一个层级，如价值金字塔模型）和**用户分群**（一个用户可以带多个标签）；
# 4. 用**聚类把用户聚合成用户群**、读懂用户画像卡片，并记住这个方法最重要的一课：只有行为数据足够的
#    用户，才能凭行为分出画像；
# 5. **评估用户群价值**：规模、两个时点之间的成长性和流动性、需求量与频次、消费能力、价值占比，以及
#    二八法则和长尾；
# 6. 为每个用户群制定**市场运营策略**，并把整套方法用到两个案例上：短视频 APP 和滴滴专车的用户画像。
#
# **时长**：课堂约 120 分钟（细分维度 15 分钟、标签体系 25 分钟、分层与分群 15 分钟、用户画像 25 分钟、
# 价值评估与策略 20 分钟、两个案例 20 分钟），另加 30–40 分钟练习
# （`exercises/zh/01-用户画像与用户群细分-exercises.ipynb`）。整本笔记本不到半分钟就能跑完。

# %%
import pandas as pd
from sklearn.metrics import adjusted_rand_score

import opsplaybook as ops

ops.set_theme(lang=LANG)
world = ops.load_demo()

# %% [markdown] lang="en"
# The same demo company as in Module 0: 5 000 users over 2025, seed 0. Everything in this module
# starts from **one row per user**: `ops.user_features` turns the orders, events and users tables
# into value (`frequency` = orders, `monetary` = spend, `aov` = 笔单价, `recency`), activity
# (`sessions`, `active_days`, `days_since_active`), habits (`night_share` 夜猫子, `coupon_share`
# 价格敏感, `promo_share`, `preferred_category`) and the profile (age band, gender, city tier,
# channel, member level …).

# %% [markdown] lang="zh"
# 还是第 0 模块那家演示公司：5 000 名用户、2025 全年、随机种子 0。本模块的一切都从**每个用户一行**开始：用
# `ops.user_features` 把订单、行为、用户三张表变成每个用户的价值（订单数 `frequency`、消费金额 `monetary`、
# 笔单价 `aov`、最近一次购买距今天数 `recency`）、活跃度（会话数 `sessions`、活跃天数 `active_days`、多久
# 没来 `days_since_active`）、习惯（夜间行为占比 `night_share`、用券订单占比 `coupon_share`、大促订单占比
# `promo_share`、偏好品类 `preferred_category`）和基础属性（年龄段、性别、城市等级、渠道、会员等级……）。

# %%
features = ops.user_features(world)
features.head()

# %% [markdown] lang="en"
# By hand with pandas, the two value columns are a group-by of the orders. Every buyer's count and
# spend match (`True True`), and the third number is how many users ever bought:

# %% [markdown] lang="zh"
# 用 pandas 手算，两个价值列就是对订单表做一次分组汇总。每个买家的订单数和消费金额都对得上（`True True`），
# 第三个数是买过东西的用户数：

# %%
by_hand = world.orders.groupby("user_id")["amount"].agg(orders="size", spend="sum")
same = features.set_index("user_id").loc[by_hand.index]
orders_match = bool((same["frequency"] == by_hand["orders"]).all())
spend_matches = bool(((same["monetary"] - by_hand["spend"]).abs() < 0.005).all())   # to the cent
orders_match, spend_matches, len(by_hand)

# %% [markdown] lang="en"
# Only 1 047 of the 5 000 registered users ever bought. Keep that number in mind: it decides what
# can be said about the other four fifths in every section below.
#
# ## 1 · Segmentation dimensions (用户细分的主要维度)
#
# The courses list the usual dimensions to split users by:
#
# | dimension | question | in the company |
# |---|---|---|
# | **people** (人群, natural attributes 自然属性) | who are they? | `age_band`, `gender`, `city_tier`, `occupation` |
# | **channel** (渠道) | where did they come from? | `channel`, `platform` |
# | **usage scene** (使用场景) | when and where do they use the product? | `night_share`, `promo_share` |
# | **usage path** (使用路径) | what do they do on a visit? | the event mix (section 4) |
# | **value** (价值) | what are they worth? | `frequency`, `monetary`, `recency` |
#
# The test of a dimension, in the words of the user-operations course: *a segmentation is
# reasonable when the users it separates show clear, regular differences in behaviour*
# (被区分的用户在行为上能否呈现显著的差异和规律性). By hand, the share of buyers and the spend per user
# for each city tier:

# %% [markdown] lang="zh"
# 5 000 名注册用户里，只有 1 047 人买过东西。请记住这个数：后面每一节里，对另外五分之四的用户能说什么、
# 不能说什么，都取决于它。
#
# ## 1 · 用户细分的主要维度
#
# 课程里常用的细分维度：
#
# | 维度 | 回答什么问题 | 在合成公司里 |
# |---|---|---|
# | **人群**（自然属性） | 他们是谁？ | `age_band` 年龄段、`gender` 性别、`city_tier` 城市等级、`occupation` 职业 |
# | **渠道** | 从哪里来？ | `channel` 获客渠道、`platform` 平台 |
# | **使用场景** | 什么时候、在什么场合用？ | `night_share` 夜间占比、`promo_share` 大促占比 |
# | **使用路径** | 每次来都做些什么？ | 行为结构（第 4 节） |
# | **价值** | 值多少？ | `frequency`、`monetary`、`recency` |
#
# 怎么判断一个维度值不值得用？《用户运营体系》课程给的标准是：**判断用户细分是否合理的标志，在于被区分的
# 用户在行为上能否呈现显著的差异和规律性**。先用 pandas 手算每个城市等级的购买用户占比和人均消费：

# %%
def by_dimension(dim):
    return features.groupby(dim).agg(users=("user_id", "size"),
                                     buyer_rate=("frequency", lambda s: (s > 0).mean()),
                                     value_per_user=("monetary", "mean")).round(3)


by_dimension("city_tier").sort_values("value_per_user", ascending=False)

# %%
ops.plot_ordered_bars(features, x="city_tier", y="monetary", agg="mean", ylabel="col.monetary", lang=LANG)

# %% [markdown] lang="en"
# City tier passes the test: a user in a first-tier city (一线) spends about three times as much as
# one in third-tier-and-below cities (三线及以下), 235 against 78 yuan. The same table for the
# acquisition channel:

# %% [markdown] lang="zh"
# 城市等级通过了检验：一线城市用户的人均消费约是三线及以下城市的三倍（235 元对 78 元）。再看获客渠道：

# %%
by_dimension("channel").sort_values("value_per_user", ascending=False)

# %% [markdown] lang="en"
# The channels differ as much, and one stands out at the bottom: 联盟广告 (affiliate ads) brought
# 191 sign-ups and not one buyer, the fraud channel planted in the world (Module 0 saw it too). A
# dimension can also *find a problem*: keep it in mind for the fake sign-ups of section 4.
#
# ## 2 · Identifying users and designing tags (用户识别和标签设计)
#
# A **tag** (标签) is a named rule on a user's features, e.g. 夜猫子 (night owl): at least 20 events,
# 40 % or more of them between 22:00 and 05:00. By hand with pandas, straight from the event log:

# %% [markdown] lang="zh"
# 不同渠道的差异同样明显，而且垫底的那个很扎眼：联盟广告带来了 191 个注册，却一个买家都没有——这就是合成世界里
# 埋下的作弊渠道（第 0 模块已经见过它）。细分维度也能**帮你发现问题**：第 4 节处理虚假注册时还会用到它。
#
# ## 2 · 用户识别和标签设计
#
# **标签**就是一条作用在用户特征上的、有名字的规则。比如“夜猫子”：至少有 20 次行为，其中 40% 以上发生在
# 22 点到次日 5 点。先用 pandas 直接从行为日志手算：

# %%
hour = world.events["ts"].dt.hour
at_night = (hour >= 22) | (hour < 5)
night = at_night.groupby(world.events["user_id"]).agg(share="mean", events="size")
owls = night[(night["share"] >= 0.4) & (night["events"] >= 20)]
len(owls)

# %% [markdown] lang="en"
# 172 night owls. In the kit the same tag is a **rule written as data**: no code, only column names,
# operators and thresholds. A team can read it, argue about it and change it without a programmer:

# %% [markdown] lang="zh"
# 一共 172 个夜猫子。在工具包里，同一个标签是**写成数据的规则**：没有代码，只有列名、运算符和阈值。
# 运营同事看得懂、可以讨论、可以直接改，不需要找程序员：

# %%
ops.DEFAULT_TAG_RULES["night_owl"]["rule"]

# %%
tags = ops.tag_users(features, ops.DEFAULT_TAG_RULES, lang=LANG)
tags.sizes()

# %% [markdown] lang="en"
# `ops.tag_users` applies the whole rule set at once and finds the same 172 night owls as the hand
# computation. The default set has seven tags; each carries its rationale (`why`) and a strategy,
# so the tag system documents itself:

# %% [markdown] lang="zh"
# `ops.tag_users` 一次跑完整套规则，夜猫子同样是 172 人，与手算一致。默认标签体系共 7 个标签，每个都带着
# 设定依据（`why`）和对应策略（`strategy`），标签体系自己就是一份说明书：

# %%
pd.DataFrame({tag: {"label": r["label"][LANG], "why": r["why"][LANG], "strategy": r["strategy"][LANG]}
              for tag, r in ops.DEFAULT_TAG_RULES.items()}).T

# %% [markdown] lang="en"
# The thresholds follow the operations they serve: 高价值 (high value) is the top 5 % by spend
# because a few users bring most of the revenue (section 5 measures how much); 新客 (new) is the
# first 30 days after sign-up, the activation window; 沉睡 (dormant) starts after 90 days without
# any visit; 高潜力 (high potential) is active but has bought at most once, so the lever is
# conversion. The sizes as a chart:

# %% [markdown] lang="zh"
# 阈值跟着它服务的运营动作走：高价值取消费金额前 5%，因为少数用户贡献了大部分收入（第 5 节会量出到底多少）；
# 新客是注册后 30 天内，正是激活的窗口期；90 天没有任何访问算沉睡；高潜力是经常来、却最多只买过一次的人，
# 抓手是转化。各标签人数画成图：

# %%
ops.plot_tag_sizes(tags.sizes(), lang=LANG)

# %% [markdown] lang="en"
# Dormant is by far the largest tag (2 029 users, 40.6 %). Tags are **groups** (用户分群): they may
# overlap, and one user can carry several. The overlap chart counts users carrying both tags of
# each pair (the diagonal is each tag's size):

# %% [markdown] lang="zh"
# 沉睡是最大的标签（2 029 人，占 40.6%）。标签属于**用户分群**：标签之间可以重叠，一个用户可以同时带好几个
# 标签。重叠图数的是每一对标签同时覆盖的用户数（对角线是各标签自己的人数）：

# %%
ops.plot_tag_overlap(tags.overlap(), labels=tags.labels, lang=LANG)

# %%
tags.wide.sum(axis=1).value_counts().sort_index().rename_axis("tags per user")

# %% [markdown] lang="en"
# 756 users carry two tags or more, and 1 388 carry none: a tag system does not have to cover
# everyone, and it never puts a user in exactly one box.
#
# **Check a tag against what you know.** 疑似羊毛党 (suspected bargain hunter) is written from
# behaviour only: coupons on almost every order with small baskets, or a single night-time session
# at sign-up and never an order. The synthetic world knows who is what (`world.truth`), so the tag
# can be checked against the planted personas:

# %% [markdown] lang="zh"
# 有 756 个用户带两个及以上标签，另有 1 388 人一个标签都没有：标签体系不必覆盖所有人，也从来不会把一个用户
# 只放进一个格子里。
#
# **拿已知事实检验标签**。“疑似羊毛党”只凭行为来判断：几乎每单都用券而且笔单价小，或者注册当晚只来过一次、
# 从来没下过单。合成世界知道每个用户的真实身份（`world.truth`），可以拿预先埋下的画像来核对这个标签：

# %%
planted = features["user_id"].map(world.truth.user_persona)
pd.crosstab(planted, tags.wide["suspected_bargain_hunter"].to_numpy(), margins=True)

# %% [markdown] lang="en"
# All 191 planted fake sign-ups (`fake`) and 145 of the real bargain hunters carry the tag, but so
# do 320 ordinary users. That is why the tag says *suspected* (疑似) and its strategy is "exclude from
# campaigns, review": a behaviour rule is a first filter, not a verdict. Section 4 adds the channel
# signal.
#
# **The YAML a team edits.** `ops.tag_rules_yaml` writes the rule set as text; the team changes a
# threshold (here: high value = top 10 % instead of 5 %), saves the file and the kit reads it back:

# %% [markdown] lang="zh"
# 预先埋下的 191 个虚假注册（`fake`）全部被打上了这个标签，真正的羊毛党也抓到了 145 个；但同时有 320 个普通用户
# 被误伤。所以标签叫“**疑似**”，对应策略是“排除出活动名单、复核”：行为规则只是第一道筛子，不是定论。
# 第 4 节会再加上渠道信号。
#
# **团队直接改的 YAML**。`ops.tag_rules_yaml` 把整套规则写成文本；团队改一个阈值（这里把高价值从前 5% 改成
# 前 10%），存盘，工具包再读回来：

# %%
import tempfile
from pathlib import Path

text = ops.tag_rules_yaml()
print("\n".join(text.splitlines()[:6]))

# %%
folder = Path(tempfile.mkdtemp())
(folder / "tags.yaml").write_text(text.replace("top: 0.05", "top: 0.1"), encoding="utf-8")
ops.tag_users(features, folder / "tags.yaml", lang=LANG).sizes().loc["high_value"]

# %% [markdown] lang="en"
# 500 high-value users now, twice as many. A rule with a mistake is refused with a message that
# names the tag and suggests the fix, before anything is tagged:

# %% [markdown] lang="zh"
# 高价值用户变成了 500 人，正好翻倍。规则写错了，工具包会在打标签之前就拒绝，并指出是哪个标签、错在哪里、
# 该怎么改：

# %%
try:
    ops.tag_users(features, {"big_spender": {"rule": {"monetry": {"top": 0.1}}}})
except ops.OpsPlaybookError as error:
    print(error)

# %% [markdown] lang="en"
# ## 3 · Tiers vs groups (用户分层 vs 用户分群)
#
# The user-operations course draws the line sharply:
#
# - **tiering** (用户分层) is centred on *value*: *within one tier model, a user is in exactly one
#   level* (在同一分层模型下，一个用户只会处于一个层级中). The classic is the **value pyramid**
#   (金字塔模型): levels built from the bottom up by value contributed, each with its role and
#   benefits;
# - **grouping** (用户分群) is centred on *attributes*: a user has many of them, not mutually
#   exclusive — the tags of section 2.
#
# A pyramid by share of users only makes sense among users who have value: four fifths never bought,
# so the pyramid is built over the 1 047 buyers (non-buyers are the ground it stands on). By hand:
# a buyer is VIP when fewer than 5 % of the buyers spent more, high value when fewer than 20 % did,
# and so on:

# %% [markdown] lang="zh"
# ## 3 · 用户分层与用户分群
#
# 《用户运营体系》课程把两者分得很清楚：
#
# - **用户分层**以用户价值为中心：**在同一分层模型下，一个用户只会处于一个层级中**。最经典的是
#   **金字塔模型**：按用户价值贡献度由下到上搭建，每一层赋予对应的角色和权益；
# - **用户分群**以用户属性为中心：一个用户可能同时拥有多个属性，这些属性并不互斥——也就是第 2 节的标签。
#
# 按人数比例搭金字塔，只对有价值可比的用户才有意义：五分之四的用户从没买过，所以金字塔搭在 1 047 个买家
# 之上（没买过的人是金字塔脚下的地基）。先手算：消费金额比他高的买家不到 5%，他就是 VIP；不到 20%，就是
# 高价值用户；依此类推：

# %%
buyers = features[features["frequency"] > 0]
ahead = buyers["monetary"].rank(ascending=False, method="min") - 1   # buyers who spent more
n = len(buyers)
level = pd.cut(ahead / n, [-1, 0.05 - 1e-9, 0.20 - 1e-9, 0.50 - 1e-9, 1], labels=["vip", "high", "middle", "base"])
level.value_counts(sort=False)

# %%
tiers = ops.tier_users(buyers, lang=LANG)
pyramid = ops.tier_summary(tiers)
pyramid

# %% [markdown] lang="en"
# `ops.tier_users` (default shares 5 / 15 / 30 / 50 %) gives the same levels as the hand
# computation. The top two levels, a fifth of the buyers, bring about two thirds of the buyers'
# spend (30.5 % + 36.7 %); the base, half of the buyers, brings 8.5 %. As a pyramid: the share of
# users of each level next to its share of value:

# %% [markdown] lang="zh"
# `ops.tier_users`（默认比例 5% / 15% / 30% / 50%）分出的层级与手算完全一致。最上面两层只占买家的五分之一，
# 却贡献了买家消费的约三分之二（30.5% + 36.7%）；占一半人数的塔基只贡献 8.5%。画成金字塔：每一层的人数占比
# 和价值占比并排：

# %%
ax = (pyramid.set_index("label")[["share", "value_share"]].iloc[::-1]
      .rename(columns={"share": ops.label("explorer.persona.col.share", LANG),
                       "value_share": ops.label("explorer.persona.col.value_share", LANG)})
      .plot.barh(figsize=(7, 3.5)))
ax.set(ylabel="", title={"en": "Value pyramid of the buyers", "zh": "买家价值金字塔"}[LANG])
ax

# %% [markdown] lang="en"
# **Exactly one level vs many tags.** Every buyer has one level, and the levels add up to the buyers;
# the tags of the same users add up to more than the users:

# %% [markdown] lang="zh"
# **只属于一层 vs 可以带多个标签**。每个买家恰好一个层级，各层人数加起来就是买家数；同一批用户的标签数加起来
# 却比人数多：

# %%
buyer_tags = tags.wide.loc[buyers["user_id"]]
int(pyramid["users"].sum()), n, int(buyer_tags.sum().sum())

# %% [markdown] lang="en"
# That is why a tier model can carry a growth formula and a set of tags cannot: the levels split
# revenue without double counting. The **value-tier growth model** of Module 0, S = S(new) +
# S(members) + S(VIP) …, per month with the pyramid's levels (a buyer whose first order falls in the
# month is new that month):

# %% [markdown] lang="zh"
# 正因为如此，分层模型可以写成增长公式，标签却不行：层级拆分收入不会重复计算。第 0 模块的
# **用户价值分层模型** S = S（新客）+ S（会员）+ S（VIP）+ ……，换成金字塔的层级按月计算（某月第一次下单的买家，
# 当月算新客）：

# %%
users_tiered = world.users.merge(tiers[["user_id", "tier_label"]], on="user_id", how="left")
order = list(pyramid["label"])
by_tier = ops.growth_decomposition(world.orders, model="tier", users=users_tiered, period="M",
                                   tier_col="tier_label", tier_order=order[::-1], lang=LANG)
parts = list(by_tier["part"].unique())
by_tier.pivot(index="period", columns="part", values="share")[parts].round(3).tail(4)

# %%
sales = by_tier.pivot(index="period", columns="part", values="sales").fillna(0)[parts].reset_index()
ops.plot_area(sales, x="period", y=parts, title="growth.model.tier", ylabel="growth.col.sales", lang=LANG)

# %% [markdown] lang="en"
# Month by month, the new customers and the two top levels (VIP and high value) bring most of the
# sales — 88 % or more in each of the four months shown — while the base brings under 1 %. The tiers
# are the year-end ones (a real CRM would store each user's level when the order was placed).
#
# ## 4 · From behaviour to personas (用户群的聚合 → 用户画像)
#
# Tags are rules someone wrote; **clusters** are groups the data proposes. What separates the
# personas of a shop is less *how much* users buy than *what they do on a visit*: view, add to
# cart, claim coupons, share, invite … `ops.event_mix` counts each event type per 10 visits. By hand
# for one user:

# %% [markdown] lang="zh"
# 逐月看，销售额主要由新客和最上面两层（VIP 和高价值用户）撑起来——表里的四个月，每个月都在 88% 以上——
# 塔基每个月都不到 1%。这里用的是年底的层级（真实的 CRM 应当记录下单当时
# 用户所在的层级）。
#
# ## 4 · 用户群的聚合：从行为到用户画像
#
# 标签是人写出来的规则；**聚类**则是让数据自己提出分群。区分一家电商的用户画像，靠的与其说是“买了多少”，
# 不如说是“每次来都做什么”：浏览、加购、领券、分享、邀请……`ops.event_mix` 统计每 10 次访问里各类行为发生
# 多少次。先手算一个用户：

# %%
one = world.events[world.events["user_id"] == 5]["event"].value_counts()
(10 * one / one["visit"]).round(2).drop("visit")

# %%
mix = ops.event_mix(world)
mix[mix["user_id"] == 5].T.squeeze().round(2)

# %% [markdown] lang="en"
# Same numbers. `ops.find_personas` clusters the users with k-means on the log-scaled, standardised
# behaviour columns and the event mix, and chooses the number of groups k by the **silhouette**
# (how much closer each user is to its own group than to the next one, from −1 to 1) over k = 3…8.
# Users with fewer than 3 orders are not clustered (more on that below):

# %% [markdown] lang="zh"
# 数字一样。`ops.find_personas` 对取对数、标准化后的行为特征和行为结构做 k-means 聚类，并在 k = 3…8 中按
# **轮廓系数**选出分群数 k（轮廓系数衡量每个用户离自己这群比离最近的另一群近多少，取值 −1 到 1）。订单不足
# 3 单的用户不参与聚类（原因见下文）：

# %%
behaviour = features.merge(mix, on="user_id", how="left")
personas = ops.find_personas(behaviour)
personas.k, {k: round(s, 3) for k, s in personas.silhouette.items()}

# %% [markdown] lang="en"
# The silhouette is clearly highest at k = 3 (0.32; every other k stays below 0.13). By hand with
# scikit-learn, the same clustering for k = 3: take the users with 3 orders or more, `log1p` the
# clustered columns (20 of them: eight behaviour columns and the twelve of the event mix),
# standardise them, run k-means. The ARI between the hand result and the package's groups is 1.0,
# the same partition (the package only numbers the groups differently):

# %% [markdown] lang="zh"
# 轮廓系数在 k = 3 时明显最高（0.32，其余 k 都不到 0.13）。用 scikit-learn 手工做一遍 k = 3 的聚类：取至少 3 单的
# 用户，对参与聚类的列（共 20 列：8 个行为特征加上行为结构的 12 列）取 `log1p`、再标准化，跑 k-means。手工结果和包里分群之间的 ARI 是 1.0，分法完全相同（包只是
# 给各群换了编号）：

# %%
import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

enough = behaviour[behaviour["frequency"] >= 3]
X = StandardScaler().fit_transform(np.log1p(enough[personas.columns].fillna(0).clip(lower=0)))
with threadpool_limits(1):   # one thread: much faster for a few hundred users on a shared machine
    by_hand_groups = KMeans(n_clusters=3, n_init=4, random_state=0).fit_predict(X)
package_groups = personas.groups.set_index("user_id").loc[enough["user_id"], "group"]
len(personas.columns), round(adjusted_rand_score(by_hand_groups, package_groups), 3)

# %% [markdown] lang="en"
# The package adds what the hand version lacks: the choice of k, groups numbered by activity, the
# history rule, fake sign-ups, and sampling for worlds of millions of users. The **persona
# cards** (用户画像卡片) describe each group: size, the most common age band, city tier and channel,
# behaviour, value and value share, and a suggested name and strategy:

# %% [markdown] lang="zh"
# 包在手工版本之外还做了这些事：自动选 k、按活跃程度给各群编号、历史门槛、单独处理虚假注册，以及面对上百万用户时
# 先抽样再分配。**用户画像卡片**描述每一群：人数、最常见的年龄段、
# 城市等级和渠道、行为、价值和价值占比，以及建议的名称和策略：

# %%
cards = ops.persona_cards(behaviour, personas, lang=LANG)
shown = cards.rename(index=lambda g: g + 1 if g >= 0 else g)   # groups 1, 2, 3 on screen; -1 stays -1
shown[["name", "strategy", "users", "share", "top_age_band", "top_city_tier", "top_channel",
       "frequency", "coupon_share", "arpu", "value_share"]].round(3)

# %% [markdown] lang="en"
# Group 1 (the first row) is the loyal core: 202 users, 4 % of all users, spending about 2 200
# yuan each and bringing 59 % of all revenue. The last row, "not enough data yet" (数据不足), holds
# the 4 715 users with fewer than 3 orders (group −1). The names are suggestions drawn from each group's
# averages, to discuss, not a verdict. The map shows the clustered users on the first two principal
# components of the scaled features:

# %% [markdown] lang="zh"
# 第 1 群（第一行）是忠诚的核心：202 人，只占全部用户的 4%，人均消费约 2 200 元，贡献了全部收入的 59%。最后一行
# “数据不足”（编号 −1）是订单不足 3 单的 4 715 个用户。名称是根据每群的平均值给出的建议，拿来讨论，不是定论。下面的
# 用户群地图把参与聚类的用户投影到标准化特征的前两个主成分上：

# %%
names = {g: f"{g + 1} {name}" for g, name in cards["name"].items() if g >= 0}
ops.plot_persona_map(personas.map(), names=names, lang=LANG)

# %% [markdown] lang="en"
# **Did the clusters find the real personas?** The synthetic world planted six personas (高价值忠诚型,
# 价格敏感型, 尝鲜型, 沉默潜力型, 羊毛党, 虚假注册), so the groups can be compared with the truth. By hand,
# the cross table of planted persona and group among the clustered users:

# %% [markdown] lang="zh"
# **聚类找到真实的画像了吗？** 合成世界预先埋了六种画像（高价值忠诚型、价格敏感型、尝鲜型、沉默潜力型、
# 羊毛党、虚假注册），所以可以拿分群结果和真相对照。先手工做一张交叉表：参与聚类的用户，真实画像 × 分到的群：

# %%
group = personas.groups["group"].to_numpy()
clustered = group >= 0
pd.crosstab(planted[clustered], group[clustered] + 1)

# %% [markdown] lang="en"
# Group 1 is made of planted loyal VIPs only (202 of 202). Group 2 gathers most of the planted
# price-sensitive users, early adopters and bargain hunters who bought 3 times or more. Group 3 is the
# surprise: its card says 沉默潜力型 (dormant potential) from its averages, yet 27 of its 35 users are
# planted loyal VIPs who visit less often. That is why the names are suggestions to check, not
# verdicts. The **adjusted Rand index** (ARI) condenses such a table into one number: 1 when the
# groups are the planted personas, about 0 when they are no better than chance.
#
# **THE lesson.** The ARI among the 285 users with 3 orders or more, and then over *all* users,
# clustered with the same k = 3 and no history rule (`min_orders=0`):

# %% [markdown] lang="zh"
# 第 1 群 202 人全部是预先埋下的高价值忠诚用户。第 2 群收进了买满 3 单的价格敏感型、尝鲜型和羊毛党中的大多数。
# 第 3 群出人意料：卡片根据平均值把它叫作“沉默潜力型”，可 35 人里有 27 人其实是来得没那么勤的高价值忠诚用户。
# 这正说明名称只是有待核实的建议，不是定论。**调整兰德指数**（ARI）把这样一张表浓缩成一个数：分群和真实画像
# 完全一致时为 1，和随机乱分差不多时约为 0。
#
# **本节最重要的一课**。先算 285 个至少 3 单用户的 ARI，再用同样的 k = 3、不设历史门槛（`min_orders=0`）对
# *全部*用户聚类，算一次 ARI：

# %%
everyone = ops.find_personas(behaviour, k=3, min_orders=0)
ari_enough = adjusted_rand_score(planted[clustered], group[clustered])
ari_all = adjusted_rand_score(planted, everyone.groups["group"])
round(ari_enough, 2), round(ari_all, 2)

# %% [markdown] lang="en"
# 0.64 among users with enough history, 0.07 over everyone. Most users did too little to be told
# apart by behaviour: of the 4 715 users with fewer than 3 orders, half came at most twice and 84 %
# never ordered. Clustering them anyway produces groups that *look* like personas on the map but are
# not. The ARI for each history threshold:

# %% [markdown] lang="zh"
# 行为数据足够的用户，ARI 是 0.64；全部用户一起聚，只有 0.07。订单不足 3 单的 4 715 人里，一半人最多
# 来过两次，84% 一单都没买过，凭这点行为根本分不出他们是谁；硬要把他们聚类，得到的分群在地图上*看起来*像画像，其实不是。再看不同历史门槛下的 ARI：

# %%
ari = {0: ari_all, 3: ari_enough}
for m in [1, 2]:
    g = ops.find_personas(behaviour, k=3, min_orders=m).groups["group"].to_numpy()
    ari[m] = adjusted_rand_score(planted[g >= 0], g[g >= 0])
ari = pd.Series(ari, name="ARI").sort_index().rename_axis("min_orders").round(2)
ari

# %%
ax = ari.plot.bar(rot=0, color="#4c72b0", figsize=(6, 3.2))
ax.set(ylim=(0, 1), ylabel="ARI", xlabel=ops.label("explorer.persona.min_orders", LANG),
       title={"en": "Groups vs planted personas (ARI)", "zh": "分群与真实画像的吻合度（ARI）"}[LANG])
ax

# %% [markdown] lang="en"
# The more history a user needs before being clustered, the better the groups match the planted
# personas: 0.07 without a threshold, 0.41 from one order, 0.70 from two, 0.64 from three (fewer
# users, a little noisier). So the kit does **not** guess a persona for a user without enough
# history: they get their own group, "not enough data yet", whose strategy is "collect behaviour
# first". For them the rule tags of section 2 (新客, 高潜力, 沉睡) are the right tool until they have
# done enough to be read.
#
# **Fake sign-ups.** When everyone is clustered, the fake sign-ups would form or pollute groups. The
# channel signal of section 1 finds them: `ops.fraud_signals` flags channels with bursts of sign-ups,
# shared devices and no later activity. Its users are passed as `fake=` and get a group of their own:

# %% [markdown] lang="zh"
# 参与聚类所需的历史越多，分群和真实画像就越吻合：不设门槛 0.07，至少 1 单 0.41，至少 2 单 0.70，至少 3 单 0.64
# （人更少，略有波动）。所以工具包**不会**给行为数据不够的用户硬猜一个画像：他们单独成群，叫“数据不足”，
# 策略是“先积累行为数据”。在他们做够能被读懂的事情之前，第 2 节的规则标签（新客、高潜力、沉睡）才是合适的工具。
#
# **虚假注册**。如果把所有人都拿去聚类，虚假注册的账号会自成一群，或者混进别的群里。第 1 节的渠道信号能把它们
# 找出来：`ops.fraud_signals` 标记注册突增、设备重复、注册后不活跃的渠道。这些渠道的用户作为 `fake=` 传进去，
# 单独成群：

# %%
signals = ops.fraud_signals(world.users, world.events)
flagged = signals.loc[signals["flagged"], "channel"].tolist()
fake = features["channel"].isin(flagged).to_numpy()
with_fakes = ops.find_personas(behaviour, k=3, min_orders=0, fake=fake)
flagged, pd.crosstab(planted == "fake", with_fakes.groups["group"].to_numpy() == ops.models.personas.SUSPECTED_FAKE)

# %% [markdown] lang="en"
# One channel is flagged, and its 191 users are exactly the 191 planted fakes: the group
# "suspected fake sign-ups" holds all of them and no one else. The behaviour tag of section 2 caught
# them too, together with 320 real users; the channel signal is what makes the call safe.
#
# ## 5 · Assessing and choosing segments (用户群价值评估和选择)
#
# The platform course assesses a segment on **size and its growth and mobility**
# (规模的成长性和流动性), **need volume and frequency** (需求量、频次), **purchasing power** (消费能力)
# and **value** (价值). Growth and mobility need two dates. Value levels with fixed cut-offs — 未购
# (never bought), 入门 (entry: under 500 yuan), 中坚 (core: 500–2 000), 高价值 (high value: 2 000 and
# more) — as known on 30 June and at the end of the year, for the users who had signed up by then:

# %% [markdown] lang="zh"
# 被标记的渠道只有一个，它的 191 个用户恰好就是预先埋下的 191 个虚假注册：“疑似虚假注册”这一群把它们全部收进来，
# 一个不多一个不少。第 2 节的行为标签也抓到了它们，但同时误伤了 320 个真实用户；让判断站得住的是渠道信号。
#
# ## 5 · 用户群价值评估和选择
#
# 《互联网平台用户运营》课程从几个方面评估一个用户群：**规模的成长性和流动性**、**需求量和频次**、**消费
# 能力**和**价值**。成长性和流动性需要两个时点。用固定门槛的价值层级（消费 0、500 元以下、500–2 000 元、2 000
# 元及以上），分别取 6 月 30 日和年底两个时点、当时已注册的用户：

# %%
CUTS, LEVELS = [0.01, 500, 2000], ["未购", "入门", "中坚", "高价值"]
june = ops.user_features(world, as_of="2025-06-30")   # the users signed up by then
before = ops.tier_users(june, cuts=CUTS, levels=LEVELS).rename(columns={"tier": "segment"})
after = ops.tier_users(features, cuts=CUTS, levels=LEVELS).rename(columns={"tier": "segment"})
after = after.merge(features[["user_id", "frequency"]], on="user_id")
assessment = ops.segment_assessment(before, after)
assessment.table.round(3)

# %% [markdown] lang="en"
# Read it by column. **Size and growth:** the 高价值 level (2 000 yuan and more) grew from 19 to 101
# users. **Stay rate:** all 19 stayed. **Need volume and frequency:** its users placed 640 orders,
# 6.3 each. **Purchasing power:** about 3 350 yuan per user. **Value share:** 45 % of all revenue
# from 2 % of the users. The **mobility matrix** says where each level's users went (rows: 30 June,
# "(new)" = signed up since; columns: year end):

# %% [markdown] lang="zh"
# 按列读这张表。**规模与成长性**：高价值层（消费 2 000 元及以上）从 19 人增长到 101 人。**留存率**：原来的 19 人
# 全部留在这一层。**需求量和频次**：这一层共下了 640 单，人均 6.3 单。**消费能力**：人均约 3 350 元。**价值占比**：2% 的
# 用户贡献了 45% 的收入。**流动性矩阵**告诉我们每一层的用户去了哪里（行：6 月 30 日所在层级，“(new)” 为
# 之后才注册的新用户；列：年底所在层级）：

# %%
rows = [s for s in LEVELS if s in assessment.mobility.index] + ["(new)"]
mobility = assessment.mobility.loc[rows, LEVELS]
mobility

# %% [markdown] lang="en"
# By hand, the matrix is a cross table of each user's level on the two dates ("(new)" for users
# not yet signed up on 30 June); every cell is the same:

# %% [markdown] lang="zh"
# 手算的话，流动性矩阵就是每个用户两个时点所在层级的交叉表（6 月 30 日还没注册的记为 “(new)”），每一格都一样：

# %%
level_then = after["user_id"].map(before.set_index("user_id")["segment"].astype(str)).fillna("(new)")
by_hand_flows = pd.crosstab(level_then, after["segment"].astype(str)).loc[rows, LEVELS]
bool((by_hand_flows.to_numpy() == mobility.to_numpy()).all())

# %%
flows = mobility.stack().rename("users").reset_index()
ops.plot_sankey(flows, stages=["(new)"] + LEVELS, from_col="before", to_col="after", lang=LANG,
                title={"en": "Value levels: 30 June → year end", "zh": "价值层级流动：6 月 30 日 → 年底"}[LANG])

# %% [markdown] lang="en"
# Most of the year-end 高价值 users were not high value in June: 36 came up from 中坚, 8 from 入门,
# 6 from 未购 and 32 are new sign-ups. Value levels are not fixed populations; the upgrade path
# (存量升级) from 中坚 to 高价值 is real and worth a campaign.
#
# **The 80/20 rule (二八法则) and the long tail (长尾).** By hand: sort the buyers by spend, and take
# the share of revenue of the top fifth:

# %% [markdown] lang="zh"
# 年底的高价值用户，大部分在 6 月时还不是高价值：36 人从中坚层升上来，8 人来自入门层，6 人来自未购层，还有
# 32 人是下半年的新注册用户。价值层级不是一成不变的人群；从中坚到高价值的升级通道（存量升级）真实存在，值得
# 专门做一次活动。
#
# **二八法则和长尾**。先手算：把买家按消费金额从高到低排好，看排在前五分之一的买家贡献了多少收入：

# %%
spend = buyers["monetary"].sort_values(ascending=False)
head = spend.head(round(0.2 * len(spend)))
len(head), round(head.sum() / spend.sum(), 3)

# %%
concentration = ops.pareto(buyers["monetary"])
{"top_share": round(concentration.top_share, 3), "head_share": round(concentration.head_share, 3),
 "tail_value_share": round(concentration.tail_value_share, 3), "gini": round(concentration.gini, 3)}

# %% [markdown] lang="en"
# The top 20 % of buyers (209 of 1 047) bring 67.1 % of the buyers' revenue: not quite 80/20, but
# the same shape. `ops.pareto` gives 0.672: 20 % of 1 047 is 209.4 buyers, and it counts the 0.4
# of the 210th too. It also gives the share of buyers that brings 80 % of the
# revenue (0.308: 80/30 rather than 80/20), the long tail's share (the other 80 % of buyers bring
# 32.8 %) and the Gini coefficient, 0.636 (0 = everyone spends the same, 1 = one buyer has it all).
# By hand, the Gini is G = 2·Σ i·xᵢ / (n·Σx) − (n + 1)/n with the buyers sorted from the smallest
# spend up; the curve follows, over all registered users (non-buyers included):

# %% [markdown] lang="zh"
# 前 20% 的买家（1 047 人中的 209 人）贡献了买家收入的 67.1%：不完全是二八，但形状一样。`ops.pareto` 给出 0.672：1 047
# 的 20% 是 209.4 人，它把第 210 名的 0.4 也算了进去。它另外还给出：贡献 80% 收入需要多少比例的买家（0.308，更像“八三”而不是“二八”）、长尾的份额（其余 80% 的
# 买家贡献 32.8%），以及基尼系数 0.636（0 表示人人花得一样多，1 表示一个人包揽全部）。基尼系数手算的公式是
# G = 2·Σ i·xᵢ / (n·Σx) − (n + 1)/n（买家按消费从小到大排序）；之后的曲线把全部注册用户（包括没买过的）都算进来：

# %%
x = np.sort(buyers["monetary"].to_numpy())   # the Gini by hand, buyers from smallest to largest
i = np.arange(1, len(x) + 1)
round(2 * (i * x).sum() / (len(x) * x.sum()) - (len(x) + 1) / len(x), 3)

# %%
ops.plot_pareto(world.orders, n_users=len(world.users), lang=LANG)

# %% [markdown] lang="en"
# Over all 5 000 users the curve is even steeper: the top fifth of users includes almost every buyer.
# Whether "20 %" means 20 % of users or of buyers changes the answer, so always say which.
#
# ## 6 · A strategy per segment (市场运营策略)
#
# The platform course lists six market strategies. Each fits a kind of segment the sections above
# found:
#
# | strategy | meaning | segment here |
# |---|---|---|
# | **promote consumption** (促进市场消费) | more orders from users who already buy | 高潜力 tag (active, at most one order); the 入门 level |
# | **lower the barrier** (降低市场消费门槛) | make the first or next purchase easier and cheaper | 价格敏感 tag, the price-sensitive persona: small coupons, group deals, entry products |
# | **develop a new segment** (挖掘新的细分市场) | serve a group the offer does not reach yet | 尝鲜型 / 夜猫子: night-time live streams, new categories |
# | **move up and down market** (市场上升和下沉) | take the offer to richer or to lower-tier markets | city tiers: 三线及以下 holds a quarter of the users and 13 % of the value (below) |
# | **upgrade existing customers** (存量市场升级) | raise the value of the valuable | persona group 1 (高价值忠诚型), the 中坚 → 高价值 path |
# | **niche market** (利基市场) | a small group served especially well | a group under 5 % of the clustered users with a distinct profile |
#
# The persona cards carry their strategy; the tags carry theirs. One table for the team:

# %% [markdown] lang="zh"
# 把全部 5 000 名用户算进来，曲线更陡：前五分之一的用户几乎囊括了所有买家。“20%”说的是全部用户还是买家，
# 答案完全不同，汇报时一定要说清楚。
#
# ## 6 · 为每个用户群制定市场运营策略
#
# 《互联网平台用户运营》课程列出六种市场运营策略，每一种都对应前面找到的某一类用户群：
#
# | 策略 | 含义 | 在这家公司里对应 |
# |---|---|---|
# | **促进市场消费** | 让已经在买的人买得更多 | 高潜力标签（常来、最多买过一次）；入门层 |
# | **降低市场消费门槛** | 让第一次或下一次购买更容易、更便宜 | 价格敏感标签、价格敏感型画像：小额券、拼团、低价入口款 |
# | **挖掘新的细分市场** | 服务现有产品还没覆盖到的人群 | 尝鲜型 / 夜猫子：夜场直播、新品类 |
# | **市场上升和下沉** | 把产品带到更高端或更下沉的市场 | 城市等级：三线及以下占四分之一的用户、13% 的价值（见下） |
# | **存量市场升级** | 提升高价值用户的价值 | 第 1 群（高价值忠诚型）、中坚 → 高价值的升级通道 |
# | **利基市场** | 把一个小众群体服务到极致 | 画像鲜明、人数不到聚类用户 5% 的小群 |
#
# 画像卡片带着各自的策略，标签也带着各自的策略。给团队的一张总表：

# %%
total_value = features["monetary"].sum()
tag_plan = tags.sizes().rename(columns={"label": "name"}).assign(
    kind="tag",
    strategy=[ops.DEFAULT_TAG_RULES[t]["strategy"][LANG] for t in tags.wide.columns],
    value_share=[features.loc[tags.wide[t].to_numpy(), "monetary"].sum() / total_value for t in tags.wide.columns])
columns = ["kind", "name", "strategy", "users", "value_share"]
plan = pd.concat([shown.assign(kind="persona")[columns], tag_plan[columns]])
plan.round(3)

# %% [markdown] lang="en"
# Read the value share with the size: the dormant tag holds 2 029 users and 14 % of the value (wake
# them up cheaply or let them go), the high-value tag 250 users and 73 % of it (serve them well). **Moving down market** (下沉) is a question of the city-tier dimension:

# %% [markdown] lang="zh"
# 价值占比要和人数一起读：沉睡标签有 2 029 人，价值只占 14%（用低成本的方式唤醒，或者放手）；高价值标签只有
# 250 人，却占了 73%（把他们服务好）。**市场下沉**则是城市等级这个维度上的问题：

# %%
tier_share = features.groupby("city_tier").agg(users=("user_id", "size"), value=("monetary", "sum"))
(tier_share / tier_share.sum()).round(3)

# %% [markdown] lang="en"
# 三线及以下 has 25.4 % of the users and 13.2 % of the value; 新一线 29.2 % and 36.4 %. Going down
# market means a cheaper entry offer (降低门槛) for many users who spend little so far.
#
# ## 7 · Case: segments of a short-video app (案例：短视频APP的客户群细分和用户画像)
#
# The same method on another business: `generate_world(preset="short_video")` makes a short-video
# app whose events are app opens, watches, likes, follows, comments, shares, invitations and
# sign-ins, and whose only purchase is a membership. A small world of 2 000 users keeps it fast:

# %% [markdown] lang="zh"
# 三线及以下城市占 25.4% 的用户、13.2% 的价值；新一线城市占 29.2% 的用户、36.4% 的价值。下沉意味着给大量目前花
# 得很少的用户一个更便宜的入口（降低门槛）。
#
# ## 7 · 案例：短视频APP的客户群细分和用户画像
#
# 同一套方法换一门生意：`generate_world(preset="short_video")` 生成一个短视频 App，行为是打开 App、观看、点赞、
# 关注、评论、分享、邀请、签到，唯一的购买是开通会员。用 2 000 个用户的小世界，跑得快：

# %%
video = ops.generate_world(2000, preset="short_video", seed=0)
video_mix = ops.event_mix(video, visit_event="app_open")   # a visit starts with opening the app
video_features = ops.user_features(video).merge(video_mix, on="user_id", how="left")
watches = video.events[video.events["event"] == "watch"].groupby("user_id").size()
video_features["watches"] = video_features["user_id"].map(watches).fillna(0).astype(int)
int((video_features["frequency"] > 0).sum()), int(video_features["watches"].sum())

# %% [markdown] lang="en"
# 89 of the 2 000 users ever paid. The user-operations course says where the value of such a product
# lies: *users who do not pay directly but use it often are worth their usage time and visit
# frequency* (不会直接付费 + 使用频次高：用户价值体现在使用时间、访问频次). Attention is the value, so
# the 80/20 question is asked of the watches:

# %% [markdown] lang="zh"
# 2 000 个用户里只有 89 人付过费。《用户运营体系》课程说得很清楚：**不会直接付费 + 使用频次高的产品，用户价值
# 体现在使用时间、访问频次等方面**。注意力就是价值，所以二八法则要问的是观看次数：

# %%
attention = ops.pareto(video_features["watches"])
round(attention.top_share, 3), round(attention.gini, 3)

# %% [markdown] lang="en"
# The top 20 % of users make 75 % of the watches. The personas are clustered on what users do per
# app open, for users active on at least 10 days (the history rule counts active days here, since
# almost nobody buys):

# %% [markdown] lang="zh"
# 前 20% 的用户贡献了 75% 的观看。用户画像按“每次打开 App 都做什么”来聚类，只纳入至少活跃 10 天的用户
# （几乎没人付费，所以这里的历史门槛数的是活跃天数）：

# %%
ACTIONS = ["per_visit_watch", "per_visit_like", "per_visit_follow", "per_visit_comment",
           "per_visit_share", "per_visit_invite", "per_visit_sign_in"]
video_personas = ops.find_personas(video_features, columns=ACTIONS, min_orders=10, frequency_col="active_days",
                                   k_range=range(3, 7))
video_personas.k, {k: round(s, 3) for k, s in video_personas.silhouette.items()}

# %% [markdown] lang="en"
# The silhouette prefers 3 groups. Ask for 4 and see whether the extra group is one the team would
# treat differently:

# %% [markdown] lang="zh"
# 轮廓系数倾向于分 3 群。再要求分 4 群，看多出来的那一群是不是团队会区别对待的一群人：

# %%
video_four = ops.find_personas(video_features, columns=ACTIONS, min_orders=10, frequency_col="active_days", k=4)
centres = video_four.centers.round(2)
centres.index = centres.index + 1
centres

# %%
centres.idxmax()

# %%
relative = centres / centres.mean()
relative.columns = [ops.label("event." + c.removeprefix("per_visit_"), LANG) for c in relative.columns]
ax = relative.T.plot.bar(figsize=(9, 3.8), rot=0)
ax.axhline(1, color="grey", linewidth=1)
ax.set(ylabel={"en": "× the average of the groups", "zh": "相当于各群平均的倍数"}[LANG],
       title={"en": "What each group does per app open", "zh": "各群每次打开 App 都做什么"}[LANG])
ax.legend(title={"en": "group", "zh": "用户群"}[LANG])
ax

# %% [markdown] lang="en"
# Read the centres (actions per 10 app opens; the chart divides each by the groups' average) by their
# maxima: group 1 follows, comments, shares and
# invites far more than the others — the **social spreaders** (社交传播型), the users a referral
# programme (邀请有礼) and creator incentives work on; group 3 signs in several times as often as any
# other group — the **task-driven** users (签到任务型), moved by sign-in rewards and the points
# system; group 4 watches the most and follows, comments, shares and invites least — **pure viewers** (沉浸观看型), served by the
# recommendation feed; group 2 watches least per app open and likes the most — **light
# browsers** (轻度浏览型), the ones to promote consumption (促进消费) with better first videos. The
# fourth group exists because sign-in behaviour is its own lever. Against the planted personas:

# %% [markdown] lang="zh"
# 按每一列的最大值来读这张中心表（每 10 次打开 App 的各类行为次数；图里把每一项除以各群的平均值）：第 1 群的关注、评论、分享、邀请都远多于
# 其他群——**社交传播型**，邀请有礼和创作者激励对他们最有效；第 3 群的签到次数是其他群的好几倍——**签到任务型**，
# 靠签到奖励和积分体系驱动；第 4 群看得最多，关注、评论、分享、邀请却最少——**沉浸观看型**，推荐算法的信息流就是为他们服务的；
# 第 2 群每次打开看得最少、点赞却最多——**轻度浏览型**，要用更好的首屏内容去**促进消费**。第 4 群之所以值得
# 单独拿出来，是因为签到行为本身就是一个独立的运营抓手。再和预先埋下的画像对照：

# %%
video_planted = video_features["user_id"].map(video.truth.user_persona)
video_groups = video_four.groups["group"].to_numpy()
active = video_groups >= 0
pd.crosstab(video_planted[active], video_groups[active] + 1)

# %%
three = video_personas.groups["group"].to_numpy()
{"k = 3": round(adjusted_rand_score(video_planted[active], three[active]), 2),
 "k = 4": round(adjusted_rand_score(video_planted[active], video_groups[active]), 2)}

# %% [markdown] lang="en"
# With 4 groups the ARI rises from 0.45 to 0.77: the sign-in group is a planted persona of its own
# that 3 groups merged with the viewers. The silhouette is a guide to k, not the last word; whether a
# split is worth keeping is decided by the lever it opens.
#
# ## 8 · Case for discussion: premium ride-hailing personas (案例：滴滴专车客户画像)
#
# The course outline names this case; the kit has **no ride-hailing data**, so it is a discussion
# case, not a measurement. The table lists rider personas a premium ride-hailing team typically
# starts from (hypotheses to test, not findings):
#
# | persona (hypothesis) | who | signals you could compute | strategy |
# |---|---|---|---|
# | business traveller (商务出行) | weekday trips at peak hours, paid by the company | share of weekday-peak trips, enterprise-payment share | 存量升级: enterprise accounts, invoices, priority dispatch |
# | airport and station rider (机场/高铁接送) | few but long trips to airports and stations | share of trips to/from airports and stations | 利基市场: flight-linked booking, luggage-friendly cars |
# | late-night safety rider (夜间安全出行) | trips after 22:00, often alone | night-trip share | 挖掘新细分: safety features, trusted drivers |
# | quality family trip (品质家庭出行) | weekends, several passengers, child seats | weekend share, passengers per trip | 促进消费: family packages, larger cars |
# | price-sensitive trier (价格敏感尝鲜者) | tries 专车 with a coupon, otherwise takes 快车 | coupon share, share of 专车 in all rides | 降低门槛: first-ride coupons, upgrade offers |
#
# The rule language of section 2 works on any team's columns. Six **invented** riders, only to show
# how the hypotheses become tags a ride-hailing team would run on its own data:

# %% [markdown] lang="zh"
# 与 4 群相比，3 群的 ARI 只有 0.45，分成 4 群后升到 0.77：签到型本身就是一种预先埋下的画像，分 3 群时被并进了
# 观看型里。轮廓系数是选 k 的参考，不是最终答案；一个拆分值不值得保留，要看它能不能对应一个运营抓手。
#
# ## 8 · 讨论案例：滴滴专车客户画像
#
# 课程大纲列了这个案例；工具包里**没有网约车数据**，所以这是一个讨论案例，不是测量结果。下表列出专车团队
# 通常会从哪些画像假设出发（有待检验的假设，不是结论）：
#
# | 画像（假设） | 是谁 | 可以计算的信号 | 策略 |
# |---|---|---|---|
# | 商务出行 | 工作日早晚高峰出行，公司付款 | 工作日高峰订单占比、企业支付占比 | 存量升级：企业账户、开票、优先派单 |
# | 机场/高铁接送 | 次数少、距离长，往返机场和车站 | 往返机场车站的订单占比 | 利基市场：航班联动预约、大行李空间车型 |
# | 夜间安全出行 | 22 点以后出行，常常独自一人 | 夜间订单占比 | 挖掘新细分：安全功能、认证司机 |
# | 品质家庭出行 | 周末、多人同行、需要儿童座椅 | 周末订单占比、每单乘客数 | 促进消费：家庭套餐、大空间车型 |
# | 价格敏感尝鲜者 | 用券才试专车，平时坐快车 | 用券占比、专车占全部订单的比例 | 降低门槛：首单券、升舱优惠 |
#
# 第 2 节的规则语言可以用在任何团队自己的列上。下面是六位**虚构**的乘客，只是为了演示这些假设如何变成专车团队
# 可以在自己数据上运行的标签：

# %%
riders = pd.DataFrame({
    "user_id": [1, 2, 3, 4, 5, 6],
    "peak_weekday_share": [0.85, 0.10, 0.20, 0.05, 0.30, 0.70],
    "enterprise_pay_share": [0.90, 0.00, 0.00, 0.00, 0.00, 0.10],
    "airport_share": [0.20, 0.60, 0.00, 0.05, 0.00, 0.00],
    "night_share": [0.05, 0.10, 0.65, 0.00, 0.20, 0.10],
    "weekend_share": [0.00, 0.30, 0.30, 0.80, 0.40, 0.10],
    "coupon_share": [0.00, 0.10, 0.20, 0.10, 0.90, 0.20],
})
ride_rules = {
    "business": {"rule": {"all": [{"peak_weekday_share": {">=": 0.6}}, {"enterprise_pay_share": {">=": 0.5}}]},
                 "label": {"zh": "商务出行", "en": "Business traveller"}},
    "airport": {"rule": {"airport_share": {">=": 0.4}}, "label": {"zh": "机场/高铁接送", "en": "Airport rider"}},
    "night_safety": {"rule": {"night_share": {">=": 0.5}}, "label": {"zh": "夜间安全出行", "en": "Late-night rider"}},
    "family": {"rule": {"weekend_share": {">=": 0.6}}, "label": {"zh": "品质家庭出行", "en": "Family trips"}},
    "price_trier": {"rule": {"coupon_share": {">=": 0.6}}, "label": {"zh": "价格敏感尝鲜者", "en": "Price-sensitive trier"}},
}
ride_tags = ops.tag_users(riders, ride_rules, lang=LANG)
ride_tags.long.assign(label=ride_tags.long["tag"].map(ride_tags.labels))

# %% [markdown] lang="en"
# Rider 6 rides at weekday peaks but pays privately: no tag. Is that a business traveller whose
# company does not pay (a target for enterprise accounts), or a commuter? That is the kind of
# question the discussion should raise: the data a team would need, and the test that would tell.
#
# ## 9 · The explorers (交互式探索)
#
# **The tag-rule editor.** Four sliders move the thresholds of 高价值, 价格敏感, 夜猫子 and 沉睡; the tag
# sizes, their overlaps and the number of untagged users update live, and `editor.state.rules` is
# the edited rule set, ready for `ops.tag_rules_yaml`. In class: ask the room where 沉睡 should start
# for this shop (30, 90 or 180 days), then move the slider and read the sizes.

# %% [markdown] lang="zh"
# 6 号乘客在工作日高峰出行，却是个人付款：一个标签都没有。他是公司不报销的商务人士（企业账户的目标客户），
# 还是普通通勤族？讨论就应该引出这样的问题：需要什么数据、做什么检验才能分辨。
#
# ## 9 · 交互式探索
#
# **标签规则编辑器**。四个滑块分别调整高价值、价格敏感、夜猫子、沉睡的阈值，各标签人数、标签重叠和“没有任何标签”
# 的人数随之实时更新；`editor.state.rules` 就是改好的规则，可以直接交给 `ops.tag_rules_yaml` 导出。课堂上的用法：
# 先请大家说说这家店的“沉睡”应该从多少天算起（30、90 还是 180 天），再拨动滑块，一起看人数怎么变。

# %%
from opsplaybook.widgets import persona_explorer, tag_rule_editor

editor = tag_rule_editor(features, lang=LANG)
editor

# %% [markdown] lang="en"
# **The persona explorer.** One control sets the number of groups k, the other the orders a user
# needs before being clustered; the cards and the map follow. It opens on k = 3 and 3 orders, the
# groups of section 4. In class: move the orders needed down to 1 and watch the groups change while
# the ARI of section 4 falls from 0.64 to 0.41.

# %% [markdown] lang="zh"
# **用户画像探索器**。一个控件选分群数 k，另一个选“至少几单才参与聚类”；画像卡片和用户群地图随之更新。它打开时
# 就是第 4 节的 k = 3、至少 3 单。课堂上的用法：把门槛降到 1 单，看分群怎么变——第 4 节算过，此时 ARI 会从 0.64
# 降到 0.41。

# %%
explorer = persona_explorer(behaviour, lang=LANG, k_options=[2, 3, 4], min_orders_options=[1, 2, 3])
explorer

# %% [markdown] lang="en"
# ## 10 · Discussion (探讨)
#
# 1. **Dimensions.** Which segmentation dimension would you try first in your own business, and
#    what behaviour difference would convince you it is worth keeping?
# 2. **Tags.** The 疑似羊毛党 tag caught all fake sign-ups and 320 real users. Would you exclude the
#    tagged users from the next coupon campaign? What would you check first?
# 3. **Tiers vs groups.** Your boss asks for "the VIP tag". Is VIP a tier or a tag in your
#    business, and what changes when it is one or the other?
# 4. **Personas.** 94 % of the users are "not enough data yet". A colleague wants to cluster them
#    anyway "to have personas for everyone". What do you answer, and what do you do for them instead?
# 5. **Short video.** Which of the four short-video groups would you grow first, with which lever,
#    and what number would show it worked?
# 6. **滴滴专车.** Pick one persona of the table: what data would confirm it exists, how big would it
#    have to be to deserve its own strategy, and which of the six strategies fits it?
#
# **Next:** the exercises of this module, then Module 2 (preference analysis and product planning).

# %% [markdown] lang="zh"
# ## 10 · 课堂探讨
#
# 1. **细分维度**：在你们自己的业务里，你会先试哪个细分维度？看到什么样的行为差异，才能说服你保留它？
# 2. **标签**：“疑似羊毛党”抓住了全部虚假注册，也误伤了 320 个真实用户。下一次发券活动要不要把带这个标签的人
#    都排除掉？排除之前你先核对什么？
# 3. **分层与分群**：老板要一个“VIP 标签”。在你们的业务里，VIP 是一个层级还是一个标签？两种做法有什么不同？
# 4. **用户画像**：94% 的用户属于“数据不足”。有同事坚持要把他们也聚类，“好让每个人都有画像”。你怎么回答？
#    对这些用户，你改做什么？
# 5. **短视频**：四个短视频用户群里，你先发展哪一群？用什么抓手？看哪个数字判断做成了？
# 6. **滴滴专车**：从表里挑一个画像：什么数据能证实它存在？它要多大，才值得单独一套策略？六种策略里哪一种适合它？
#
# **下一步**：先做本模块的练习，然后进入第 2 模块（用户需求偏好分析和产品规划）。
