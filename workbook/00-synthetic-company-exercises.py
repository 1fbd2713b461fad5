# %% lang="en"
LANG = "en"

# %% lang="zh"
LANG = "zh"

# %% [markdown] lang="en"
# # Exercises 00 · The synthetic company and the data system
#
# Eight questions on the demo company, from "compute this number" to "choose and justify". They
# practise what the lesson showed: the three kinds of data, GMV, UV, P and the funnel formula
# S = UV × CVR × P, the daily KPI table, which factor moved revenue, a chart, a North Star metric.
#
# **How it works.** Run the set-up cell first. In each answer cell, replace `____` with your code,
# run the cell: `ex.q1.check()` says *not attempted*, *incorrect* (with what to look at) or
# *correct* (and why). Stuck? Uncomment `ex.q1.hint()` — `ex.q1.hint(2)` gives a second, more
# concrete hint — and, as a last resort, `ex.q1.solution()`.
#
# **Time:** about 30 minutes. Every number comes from the same seeded company, so your neighbour
# gets the same answers.

# %% [markdown] lang="zh"
# # 练习 00 · 合成公司与运营数据体系
#
# 一共 8 道题，全部用演示公司的数据来做，从“算出一个数”到“做出选择并说明理由”，对应课上讲过的内容：
# 三类数据、GMV、UV、客单价 P 与漏斗公式 S = UV × CVR × P、每日经营指标表、“是哪个因素带来了增长”、
# 画一张图、选北极星指标。
#
# **怎么做题：**先运行下面的准备单元格。每道题的答题单元格里，把 `____` 换成你的代码，然后运行：
# `ex.q1.check()` 会告诉你“还没有作答”“不对”（并提示该看哪里）或“正确”（并说明为什么对）。
# 卡住了，就去掉 `ex.q1.hint()` 前面的 `#` 再运行；`ex.q1.hint(2)` 是更具体的第二条提示；
# 实在做不出来，再看 `ex.q1.solution()`。
#
# **时长：**约 30 分钟。数据来自同一家固定随机种子的公司，你和同桌算出来的答案完全一样。

# %%
import opsplaybook as ops
from opsplaybook.exercises import ____, module00 as ex

ops.set_theme(lang=LANG)
ex.bind(globals())
world = ops.load_demo()

# %% [markdown] lang="en"
# ## 1 · The three kinds of data (三类数据)
#
# In the weekly meeting a colleague says: *"Yesterday's number of active users (活跃用户数) is
# behaviour data, because it counts what users did."* Which kind of data is it really?
#
# - `"A"` business data (业务数据)
# - `"B"` user base data (用户基础数据)
# - `"C"` behaviour data (行为数据)
#
# Store the letter, as text, in `kind_of_active_users`.

# %% [markdown] lang="zh"
# ## 1 · 三类数据
#
# 周会上，一位同事说：“昨天的活跃用户数是行为数据，因为它数的是用户做了什么。”它到底属于哪一类数据？
#
# - `"A"` 业务数据
# - `"B"` 用户基础数据
# - `"C"` 行为数据
#
# 把选项字母（写成文字）存进变量 `kind_of_active_users`。

# %%
### BEGIN SOLUTION
kind_of_active_users = "A"
### END SOLUTION
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown] lang="en"
# ## 2 · GMV of the year
#
# GMV (成交总额) is the total value of the paid orders. `world.orders` has one row per paid order,
# its value in yuan in the column `amount`. What was the company's GMV over the whole year? Store it
# in `gmv_total`.

# %% [markdown] lang="zh"
# ## 2 · 全年 GMV
#
# GMV（成交总额）是所有已支付订单的金额之和。`world.orders` 每行是一笔已支付订单，金额（元）在
# `amount` 列。这家公司全年的 GMV 是多少？存进 `gmv_total`。

# %%
### BEGIN SOLUTION
gmv_total = world.orders["amount"].sum()
### END SOLUTION
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown] lang="en"
# ## 3 · UV of November (访客数)
#
# UV counts the *unique visitors* of a period: every user with at least one event in
# `world.events`, each counted once. How many visitors came in November 2025, the month of 双11?
# Store the number in `uv_nov`.

# %% [markdown] lang="zh"
# ## 3 · 11 月的 UV（访客数）
#
# UV 是一段时间里的**独立访客数**：在 `world.events` 里至少有一条事件的用户，每人只算一次。
# 2025 年 11 月（双11 所在的月份）有多少访客？把这个数存进 `uv_nov`。

# %%
### BEGIN SOLUTION
nov = world.events[(world.events["ts"] >= "2025-11-01") & (world.events["ts"] < "2025-12-01")]
uv_nov = nov["user_id"].nunique()
### END SOLUTION
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.hint(2)
# ex.q3.solution()

# %% [markdown] lang="en"
# ## 4 · P, revenue per buyer (客单价), and the funnel formula
#
# The funnel model of growth writes revenue as **S = UV × CVR × P**: traffic × conversion rate
# (buyers / UV) × revenue per buyer. Compute P for November 2025 from `world.orders` and store it in
# `p_nov`. The check then verifies that UV × CVR × P gives November's GMV back.

# %% [markdown] lang="zh"
# ## 4 · 客单价 P 与漏斗公式
#
# 漏斗流量模型把销售额写成 **S = UV × CVR × P**：流量 × 转化率（购买人数 / UV）× 客单价。
# 用 `world.orders` 算出 2025 年 11 月的客单价 P，存进 `p_nov`。检查时会顺便验证：
# UV × CVR × P 正好等于 11 月的 GMV。

# %%
### BEGIN SOLUTION
od_nov = world.orders[(world.orders["ts"] >= "2025-11-01") & (world.orders["ts"] < "2025-12-01")]
p_nov = od_nov["amount"].sum() / od_nov["user_id"].nunique()
### END SOLUTION
ex.q4.check()

# %%
# ex.q4.hint()
# ex.q4.hint(2)
# ex.q4.solution()

# %% [markdown] lang="en"
# ## 5 · The daily KPI table (每日经营指标表)
#
# Build November's daily KPI table: one row per day of November 2025 and exactly the columns
# `period`, `uv`, `buyers`, `gmv`, `cvr`, `p`, in that order. Store it in `daily_nov`.
# `ops.kpis` does most of the work — read its column names carefully.

# %% [markdown] lang="zh"
# ## 5 · 每日经营指标表
#
# 做出 11 月的每日经营指标表：2025 年 11 月每天一行，列依次正好是 `period`、`uv`、`buyers`、
# `gmv`、`cvr`、`p`。存进 `daily_nov`。大部分工作 `ops.kpis` 都能完成——注意看清它的列名。

# %%
### BEGIN SOLUTION
daily = ops.kpis(world.events, world.orders, freq="D")
daily_nov = daily[(daily["period"] >= "2025-11-01") & (daily["period"] < "2025-12-01")]
daily_nov = daily_nov[["period", "uv", "buyers", "gmv", "cvr", "arppu"]].rename(columns={"arppu": "p"})
### END SOLUTION
ex.q5.check()

# %%
# ex.q5.hint()
# ex.q5.hint(2)
# ex.q5.solution()

# %% [markdown] lang="en"
# ## 6 · Data that talks (会说话的数据): which factor moved revenue?
#
# GMV rose from May to June 2025 (the month of 618). Which factor of S = UV × CVR × P contributed
# the most to the rise? Answer `"uv"`, `"cvr"` or `"p"` in `driver`.
# `ops.revenue_drivers(monthly, base, compare)` splits the change into three contributions that add
# up exactly to it.

# %% [markdown] lang="zh"
# ## 6 · 会说话的数据：是哪个因素带来了增长？
#
# 2025 年 6 月（618 所在的月份）的 GMV 比 5 月高。在 S = UV × CVR × P 的三个因素里，哪一个对这次
# 增长贡献最大？在 `driver` 里回答 `"uv"`、`"cvr"` 或 `"p"`。
# `ops.revenue_drivers(monthly, base, compare)` 会把 GMV 的变化拆成三项贡献，三项相加正好等于总变化。

# %%
### BEGIN SOLUTION
monthly = ops.kpis(world.events, world.orders, freq="M")
drivers = ops.revenue_drivers(monthly, "2025-05-01", "2025-06-01")
driver = drivers.loc[drivers["contribution"].abs().idxmax(), "factor"]
### END SOLUTION
ex.q6.check()

# %%
# ex.q6.hint()
# ex.q6.hint(2)
# ex.q6.solution()

# %% [markdown] lang="en"
# ## 7 · A chart of daily GMV
#
# Draw the daily GMV of the whole year as a **line**, with a title and a label on the y axis, and
# store the chart's Axes in `ax_gmv` (`DataFrame.plot(...)` and every `ops.plot_…` function return
# it). The check reads the data off the line, so any line chart of the right numbers passes.

# %% [markdown] lang="zh"
# ## 7 · 画出每日 GMV
#
# 用**折线图**画出全年每天的 GMV，加上标题和纵轴标签，把图的 Axes 存进 `ax_gmv`
# （`DataFrame.plot(...)` 和所有 `ops.plot_…` 函数都会返回它）。检查时直接读取线上的数据，
# 所以只要数字对，用什么方法画折线都可以。

# %%
### BEGIN SOLUTION
daily = ops.kpis(world.events, world.orders, freq="D")
ax_gmv = daily.plot(x="period", y="gmv", legend=False)
ax_gmv.set_title("Daily GMV, 2025" if LANG == "en" else "2025 年每日 GMV")
ax_gmv.set_ylabel("GMV (yuan)" if LANG == "en" else "GMV（元）")
### END SOLUTION
ex.q7.check()

# %%
# ex.q7.hint()
# ex.q7.hint(2)
# ex.q7.solution()

# %% [markdown] lang="en"
# ## 8 · Choose and justify: a North Star metric (北极星指标)
#
# The company wants one North Star metric for next year. Which one, and why?
#
# - `"A"` registered users (注册用户数)
# - `"B"` monthly buyers (月购买用户数)
# - `"C"` daily page views, PV (每日页面浏览量)
# - `"D"` app installs (App 下载量)
#
# Answer in `north_star`, a dict: `north_star = {"choice": "...", "because": "..."}`. In `because`, say in a
# sentence or two what value the metric measures and how it connects to revenue. The check looks
# for those key facts, not for exact words.

# %% [markdown] lang="zh"
# ## 8 · 做出选择并说明理由：北极星指标
#
# 公司想为明年定一个北极星指标。选哪一个？为什么？
#
# - `"A"` 注册用户数
# - `"B"` 月购买用户数
# - `"C"` 每日页面浏览量（PV）
# - `"D"` App 下载量
#
# 把答案存进字典 `north_star`：`north_star = {"choice": "...", "because": "..."}`。在 `because` 里用一两句话说明：
# 这个指标衡量的是用户得到的什么价值，它又怎样和收入联系起来。检查看的是这些关键点，不是措辞。

# %%
### BEGIN SOLUTION
north_star = {
    "choice": "B",
    "because": ("A buyer has paid, so the product gave them value; and buyers = UV × CVR, "
                "the first two factors of GMV = UV × CVR × P." if LANG == "en" else
                "购买说明用户认可产品的价值；而且购买用户数 = UV × CVR，正是 GMV = UV × CVR × P 的前两个因子。"),
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
# **Discuss:** for a short-video app (短视频APP), what would the North Star be — daily watch time,
# creators who post, or paying members? What would each one miss?

# %% [markdown] lang="zh"
# ## 做完了吗？
#
# 从头重新运行整本笔记本（Run → Run All Cells），每道题的检查都应显示“正确”。交作业时保存笔记本，
# 把文件交给讲师，讲师用 `opsplaybook grade` 一次批改全班的笔记本。你也可以自己先检查一遍：
# `opsplaybook check <文件名>`。
#
# **讨论：**如果是一款短视频APP，北极星指标该选什么——每日观看时长、发布作品的创作者数，还是付费会员数？
# 每一个各会漏掉什么？
