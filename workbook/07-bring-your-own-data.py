# %% lang="en"
LANG = "en"

# %% lang="zh"
LANG = "zh"

# %% [markdown] lang="en"
# # 07 · Capstone: run the playbook on your own data (用自己的数据跑运营诊断)
#
# Modules 0–6 worked on the synthetic company, whose tables are clean and named the kit's way. A
# team's own export is not: Chinese headers, GBK text, its own event names, and a few rows that
# somebody typed by hand. This notebook walks through what a team does with such an export, from
# the raw files to a report it can trust and rerun every month.
#
# **You will learn to**
#
# 1. look at an export before reading it: format, encoding (GBK or UTF-8), delimiter;
# 2. write the **mapping** (字段映射) that tells the kit which column is the user, the time, the
#    amount, and which of your event names is which funnel step — guessed first, then fixed by hand;
# 3. **validate** the tables and read every problem at once (file, column, example rows, fix);
# 4. fix the data in pandas, one fix per problem, until the validation is clean;
# 5. run `ops.report(...)`, read `summary.json` and the suggested actions (建议动作);
# 6. rerun it monthly and compare the figures over time;
# 7. keep personal data safe: masked phone numbers, CSV formula injection.
#
# **Time:** about 60 minutes in class (10 min the files, 10 min the mapping, 15 min validation and
# fixes, 15 min the report and its actions, 10 min monthly runs and privacy). Teams then repeat it
# on their own export in the co-creation workshops (探讨共创, see `TRAINERS.md`). The notebook runs
# in under 20 seconds.

# %% [markdown] lang="zh"
# # 07 · 综合实战：用自己的数据跑运营诊断
#
# 前面几个模块用的都是合成公司的数据：表干净、列名也是工具包认识的样子。团队自己从系统里导出来的
# 数据可没这么整齐——中文表头、GBK 编码、自家的埋点事件名，还有几行明显是人工录入时敲错的。
# 这一节就带着大家走一遍：拿到一份“脏”导出，怎样一步步变成一份团队信得过、每个月都能重跑的运营
# 诊断报告。
#
# **学完本节，你能够：**
#
# 1. 读数据之前先“看”文件：什么格式、什么编码（GBK 还是 UTF-8）、用什么分隔符；
# 2. 写出**字段映射**（mapping）：告诉工具包哪一列是用户、哪一列是时间、哪一列是金额，自家的哪个
#    事件对应漏斗的哪一步——先让工具包猜，再由人来改；
# 3. 做**数据校验**，一次看到所有问题：哪个文件、哪一列、哪几行、怎么改；
# 4. 在 pandas 里逐条修数据，一个问题对应一处修改，直到校验通过；
# 5. 运行 `ops.report(...)`，读懂 `summary.json` 里的关键数字和报告给出的**建议动作**；
# 6. 每月重跑一次，把各月的数字放在一起比较；
# 7. 守住数据安全：手机号脱敏、防范 CSV 公式注入。
#
# **时长**：课堂约 60 分钟（看文件 10 分钟、字段映射 10 分钟、校验与修数 15 分钟、报告与建议动作
# 15 分钟、月度重跑与隐私 10 分钟）。之后在“探讨共创”环节，各组用自己的数据再做一遍（见讲师手册
# `TRAINERS.zh.md`）。整本笔记本 20 秒以内跑完。

# %%
import hashlib
import json
import re
import tempfile
from pathlib import Path

import pandas as pd

import opsplaybook as ops
from opsplaybook.io.exports import protect, write_csv
from opsplaybook.io.sample import write_sample_export

# %% [markdown] lang="en"
# ## 1 · The export
#
# The kit ships a deliberately messy sample export made from the demo company, in
# `datasets/sample_export/`: what a Chinese team typically gets out of its order system, its
# membership system and its tracking tool. If that folder is not there (an installed kit without
# the repository), the same three files are written fresh. Everything this notebook writes goes
# into a new temporary folder `WORK`; set `WORK` to a folder of yours to keep the reports.

# %% [markdown] lang="zh"
# 工具包自带一份故意做“脏”的样例导出，放在 `datasets/sample_export/`，由演示公司的数据生成，模拟
# 一个国内团队从订单系统、会员系统和埋点工具里各导出一张表的样子。如果找不到这个文件夹（比如只装了
# 工具包、没有下载仓库），下面的代码会现场生成同样的三个文件。本节写出的所有东西都放在一个新建的
# 临时文件夹 `WORK` 里；想保留报告，把 `WORK` 改成你自己的文件夹即可。

# %%
WORK = Path(tempfile.mkdtemp(prefix="opsplaybook-07-"))


def find_sample_export(start=None):
    """The repository's datasets/sample_export, looked for upwards from the notebook's folder."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "datasets" / "sample_export").is_dir():
            return folder / "datasets" / "sample_export"
    return None


EXPORT = find_sample_export() or write_sample_export(WORK / "sample_export")
for p in sorted(EXPORT.iterdir()):
    print(f"{p.name:10}  {p.stat().st_size / 1024:8.1f} KB")

# %% [markdown] lang="en"
# Before touching anything, take a fingerprint of each file. At the end we check that nothing in
# the export changed: the kit only ever reads a team's files.

# %% [markdown] lang="zh"
# 动手之前，先给每个文件记一个“指纹”（哈希值）。最后我们会核对：导出文件一个字节都没被改过——
# 工具包只读团队的文件，从不改写。

# %%
def fingerprint(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in sorted(folder.iterdir())}


BEFORE = fingerprint(EXPORT)
ORDERS, USERS, EVENTS = EXPORT / "订单导出.csv", EXPORT / "会员信息.csv", EXPORT / "行为日志.csv"

# %% [markdown] lang="en"
# ## 2 · Look at the files before reading them
#
# `ops.sniff_file` reads the first megabyte of a file and tells its kind, its text encoding and its
# delimiter, without being told.

# %% [markdown] lang="zh"
# ## 2 · 读之前，先看文件
#
# `ops.sniff_file` 只看文件开头的一小段，就能判断文件类型、文本编码和分隔符，不需要你事先告诉它。

# %%
pd.DataFrame([{"file": p.name, "kind": i.kind, "encoding": i.encoding, "sep": i.sep}
              for p in (ORDERS, USERS, EVENTS) for i in [ops.sniff_file(p)]])

# %% [markdown] lang="en"
# The orders and the members are **GBK** text (reported as `gb18030`, the superset of GBK that the
# kit reads them with): what Chinese Excel and most Chinese systems write. The behaviour log is
# UTF-8, as tracking tools usually write. All three use commas. This is why a first attempt with
# plain pandas fails on the orders:

# %% [markdown] lang="zh"
# 订单表和会员表是 **GBK** 编码（显示为 `gb18030`，它是 GBK 的超集，工具包就按它来读）——中文版
# Excel 和大多数国内系统导出的 CSV 都是这样；行为日志是 UTF-8，埋点工具一般都这么导。三个文件都用
# 逗号分隔。这也解释了为什么直接用 pandas 读订单表会报错：

# %%
try:
    pd.read_csv(ORDERS)
except UnicodeDecodeError as e:
    print(f"{type(e).__name__}: {e}")

# %% [markdown] lang="en"
# `ops.read_table` detects the encoding and the delimiter and reads CSV, Excel (.xlsx) and Parquet
# the same way. `dtype=str` keeps every value as the text that was exported: member ids and phone
# numbers stay text (no lost leading zeros), and the validation below sees the bad values exactly as
# they were typed.

# %% [markdown] lang="zh"
# `ops.read_table` 自动识别编码和分隔符，CSV、Excel（.xlsx）、Parquet 都用同一个函数读。这里传
# `dtype=str`，让每个值都保持导出时的原样文本：会员 ID、手机号不会被当成数字丢掉开头的 0，后面的
# 校验也能看到录错的值本来的样子。

# %%
raw = {"orders": ops.read_table(ORDERS, dtype=str),
       "users": ops.read_table(USERS, dtype=str),
       "events": ops.read_table(EVENTS, dtype=str)}
for name, df in raw.items():
    print(f"{name:7} {len(df):>7,} rows   {list(df.columns)}")

# %%
raw["orders"].head()

# %% [markdown] lang="en"
# About two hundred order rows, 400 members and some twenty thousand events; the two GBK files have
# Chinese headers, the log English headers and Chinese event names. None of the names is what the kit calls `user_id`, `ts`,
# `amount` or `event`: that is what the mapping is for.

# %% [markdown] lang="zh"
# 订单两百来行、会员 400 人、行为记录两万多条；订单和会员是中文表头，行为日志表头是英文、事件名是中文。
# 没有一列叫工具包认识的 `user_id`、`ts`、`amount`、`event`——这正是字段映射要解决的问题。

# %%
raw["events"]["action"].value_counts()

# %% [markdown] lang="en"
# ## 3 · The mapping: guess first, then fix by hand
#
# `ops.guess_mapping` reads each file's headers and first values and guesses the table (orders,
# users, events) and each column's role; `ops.mapping_yaml` writes it as the YAML file a team keeps
# beside its exports, **with a comment per guess**. On the command line this is
# `opsplaybook mapping init 订单导出.csv 会员信息.csv 行为日志.csv --out mapping.yaml`.

# %% [markdown] lang="zh"
# ## 3 · 字段映射：先让工具包猜，再由人来改
#
# `ops.guess_mapping` 读每个文件的表头和前几千行的值，猜出它是哪张表（订单、会员、行为），以及每一列
# 扮演什么角色；`ops.mapping_yaml` 把结果写成一个 YAML 文件，团队把它和导出文件放在一起长期使用，
# **每一条猜测后面都附有理由**。命令行上等价于
# `opsplaybook mapping init 订单导出.csv 会员信息.csv 行为日志.csv --out mapping.yaml`。

# %%
guess = ops.guess_mapping([ORDERS, USERS, EVENTS])
for table in guess.tables.values():  # the mapping is kept beside the exports: file names are enough
    table.file = Path(table.file).name
GUESSED = ops.mapping_yaml(guess)
print(GUESSED)

# %% [markdown] lang="en"
# Read it like a reviewer. Each line says which header was recognised and shows a first value, so a
# wrong guess is easy to spot: `会员ID` is the user in both GBK files, `下单时间` the order time,
# `实付金额` (amount actually paid) the amount, `member_id`/`event_time`/`action` the log's user,
# time and event. `姓名` and `手机号` are recognised as **personal data** (`name`, `phone`): their
# values are not printed, and they will be masked in every export. Every one of the team's seven
# event names was matched to the kit's (`启动App` → `visit`, `支付成功` → `purchase` …).
#
# What no guess can know is the team's own **funnel**. The guess lists every funnel event it found:
# visit → view → cart → checkout → purchase. Compare the last two steps:

# %% [markdown] lang="zh"
# 像审稿一样逐行读。每一行都写明认出的是哪个表头、第一个值长什么样，猜错了一眼就能看出来：两个 GBK
# 文件里 `会员ID` 都是用户，`下单时间` 是时间，`实付金额` 是金额；行为日志的 `member_id`、
# `event_time`、`action` 分别是用户、时间和事件。`姓名`、`手机号` 被认作**个人信息**（`name`、
# `phone`）：它们的值不会被打印出来，之后所有导出文件里都会脱敏。团队自己的 7 个事件名也全部对上了
# 工具包的事件（`启动App` → `visit`，`支付成功` → `purchase` ……）。
#
# 但有一件事工具包猜不出来：团队自己的**漏斗**怎么定义。猜出来的漏斗把找到的事件都排了进去：
# visit → view → cart → checkout → purchase。比一比最后两步：

# %%
actions = raw["events"]["action"].value_counts()
print(f"提交订单 (checkout) {actions['提交订单']:,}   支付成功 (purchase) {actions['支付成功']:,}   "
      f"paid / submitted = {actions['支付成功'] / actions['提交订单']:.1%}")

# %% [markdown] lang="en"
# Almost every submitted order is paid. A step that loses almost nobody adds nothing to the picture,
# so this team keeps the four-step purchase funnel of Module 3 and watches payment success as a
# separate number. That is the hand edit, written into the team's `mapping.yaml`:

# %% [markdown] lang="zh"
# 提交了订单的几乎都支付成功了。这一步几乎没有流失，放进漏斗图里只是多一根一样高的柱子。所以这个团队
# 沿用第 3 模块的四步购买漏斗，把“支付成功率”单独作为一个指标来盯。这就是需要人工修改的地方，改好后
# 存成团队的 `mapping.yaml`：

# %%
MAPPING = WORK / "mapping.yaml"
edited = [("funnel: [visit, view, cart, purchase]  # our purchase funnel (checkout ≈ purchase)"
           if line.startswith("funnel:") else line) for line in GUESSED.splitlines()]
MAPPING.write_text("\n".join(edited) + "\n", encoding="utf-8")
print("\n".join(edited[-12:]))

# %% [markdown] lang="en"
# `ops.load_mapping` reads the file back with safe YAML loading (no code runs from a mapping file)
# and, given the data, checks that every mapped column exists.

# %% [markdown] lang="zh"
# `ops.load_mapping` 用安全方式读回 YAML（映射文件里写什么都不会被当作代码执行）；传入数据时，还会
# 逐一核对映射到的列是否真的存在。

# %%
mapping = ops.load_mapping(MAPPING, data=raw)
print("funnel:", mapping.funnel)
print("orders:", mapping.tables["orders"].columns)

# %% [markdown] lang="en"
# Mistakes in a mapping are stopped here, with a message naming both sides: a misspelled role, or
# a column the data does not have (a header exported as `实付金额(元)` one month, say).

# %% [markdown] lang="zh"
# 映射写错了，在这一步就会被拦下来，报错同时指出两边：角色名拼错了，或者映射到的列在数据里不存在
# （比如某个月导出的表头变成了 `实付金额(元)`）。

# %%
typos = [{"tables": {"orders": {"columns": {"user": "会员ID", "time": "下单时间", "amout": "实付金额"}}}},
         {"tables": {"orders": {"columns": {"user": "会员ID", "time": "下单时间", "amount": "实付金额(元)"}}}}]
for bad in typos:
    try:
        ops.load_mapping(bad, data=raw)
    except ops.OpsPlaybookError as e:
        print(f"{type(e).__name__}: {e}\n")

# %% [markdown] lang="en"
# ## 4 · Validate: every problem at once
#
# `ops.validate_tables` checks each mapped table (a pandera schema built from the roles): user ids
# present, times readable in one format and one time zone and not in the future, amounts numeric and
# not negative, no repeated order rows. It collects **every** problem before saying anything.

# %% [markdown] lang="zh"
# ## 4 · 校验：一次看到所有问题
#
# `ops.validate_tables` 按映射的角色逐表检查（底层是 pandera 校验规则）：用户 ID 不能为空；时间要能
# 识别、格式统一、时区统一、不能在未来；金额必须是数字、不能为负；订单不能有重复行。它会把**所有**
# 问题收集齐了再一起报告，而不是改一个、报一个。

# %%
check = ops.validate_tables(raw, mapping)
print(check.summary())

# %% [markdown] lang="en"
# Five problems, all in the orders, each with the file, the column, the data row (1 = the first row
# under the header) and a suggested fix: a time written as `昨天` (yesterday), an amount written as
# `免费` (free), an order without a member id, a negative amount, and a row exported twice. The
# members and the event log are clean.
#
# The report runs the same validation first and stops before any analysis, writing nothing:

# %% [markdown] lang="zh"
# 一共 5 个问题，全在订单表里，每一条都给出文件、列、数据行号（第 1 行是表头下的第一行数据）和修改
# 建议：下单时间写成了“昨天”，金额写成了“免费”，有一单没有会员 ID，有一笔负金额，还有一行被导出了
# 两遍。会员表和行为日志没有问题。
#
# `ops.report` 在分析之前也会先跑同样的校验；只要有问题就停下来，一个文件都不写：

# %%
REFUSED = WORK / "report-refused"
try:
    ops.report(orders=raw["orders"], users=raw["users"], events=raw["events"], mapping=MAPPING,
               out=REFUSED, lang=LANG, progress=False)
except ops.DataValidationError as e:
    print(str(e).splitlines()[0])
print("report folder written:", REFUSED.exists())

# %% [markdown] lang="en"
# ## 5 · Fix the data, one problem at a time
#
# The fixes are made on a copy (`orders`); `raw` keeps the export as read. Each fix is a rule on the
# values, not a row number, so the same code works on next month's export. `log` records what each
# fix did.

# %% [markdown] lang="zh"
# ## 5 · 修数据：一个问题，一处修改
#
# 所有修改都在副本 `orders` 上做，`raw` 始终保留读进来的原样。每一处修改都写成针对取值的规则，
# 而不是写死行号——这样下个月的导出也能直接套用。`log` 记下每一步改了多少行。

# %% lang="en"
STEPS = {"read": "export as read", "time": "dropped: time is not a date", "free": "repaired: 免费 → 0",
         "member": "dropped: no member id", "refund": "dropped: negative amount (refund)",
         "dup": "dropped: exact duplicate"}

# %% lang="zh"
STEPS = {"read": "原始导出", "time": "删除：时间无法识别", "free": "修复：免费 → 0", "member": "删除：缺会员 ID",
         "refund": "删除：负金额（退款）", "dup": "删除：完全重复的行"}

# %%
orders = raw["orders"].copy()
log = [("read", len(orders))]

# %% [markdown] lang="en"
# **Problem: `下单时间` is `昨天`.** A relative date typed by hand; nobody can tell which day it
# meant, so the row cannot be repaired. Look at it, then drop the rows whose time does not parse.

# %% [markdown] lang="zh"
# **问题：下单时间是“昨天”**。这是人工录入的相对日期，没人知道它指的是哪一天，没法修复。先看一眼这一
# 行，再把时间识别不了的行去掉。

# %%
when = pd.to_datetime(orders["下单时间"], errors="coerce", format="mixed")
print(orders[when.isna()])
orders = orders[when.notna()]
log.append(("time", len(orders)))

# %% [markdown] lang="en"
# **Problem: `实付金额` is `免费`.** A free order (a 0-yuan gift or trial) is still an order: keep it
# with the amount 0, so it counts for the buyer's frequency but adds nothing to sales.

# %% [markdown] lang="zh"
# **问题：实付金额是“免费”**。免费单（0 元赠品、试用）也是一单：保留这一行，金额记为 0——它计入买家的
# 购买次数，但不增加销售额。

# %%
free = orders["实付金额"].str.strip() == "免费"
print(orders[free])
orders.loc[free, "实付金额"] = "0"
log.append(("free", len(orders)))

# %% [markdown] lang="en"
# **Problem: an order without `会员ID`.** An order nobody owns cannot enter RFM or the lifecycle.
# If the order system can tell the buyer from the order number, fill it in there; here, drop it.

# %% [markdown] lang="zh"
# **问题：有一单没有会员 ID**。归属不到人的订单进不了 RFM，也进不了生命周期分析。如果订单系统能按订单号
# 查到买家，应当回到系统里补上；这里直接去掉。

# %%
no_member = orders["会员ID"].isna() | (orders["会员ID"].str.strip() == "")
print(orders[no_member])
orders = orders[~no_member]
log.append(("member", len(orders)))

# %% [markdown] lang="en"
# **Problem: a negative amount.** `-59.00` is a refund exported among the payments. The report counts
# paid orders; a refund would lower sales without being an order. Drop it here; a team with many
# refunds exports the order status and maps it (role `status`).

# %% [markdown] lang="zh"
# **问题：金额为负数**。`-59.00` 是混在支付记录里的一笔退款。报告统计的是已支付订单，退款既不是一单，
# 又会把销售额拉低。这里先去掉；退款多的团队，应当把订单状态一起导出，并映射为 `status` 角色。

# %%
amount = pd.to_numeric(orders["实付金额"], errors="coerce")
print(orders[amount < 0])
orders = orders[~(amount < 0)]
log.append(("refund", len(orders)))

# %% [markdown] lang="en"
# **Problem: a row repeated exactly.** Same order number, member, time and amount twice: the export
# ran over the same page twice. Keep the first.

# %% [markdown] lang="zh"
# **问题：有一行完全重复**。订单号、会员、时间、金额一模一样出现了两次——导出时同一页被翻了两遍。保留
# 第一行即可。

# %%
print(orders[orders.duplicated(keep=False)])
orders = orders.drop_duplicates()
log.append(("dup", len(orders)))
pd.DataFrame([(STEPS[step], rows) for step, rows in log], columns=["step", "order rows"])

# %% [markdown] lang="en"
# Five problems, five fixes: four rows dropped and one repaired (the table above). Validate again,
# on the fixed orders with the untouched members and events:

# %% [markdown] lang="zh"
# 五个问题、五处修改：去掉 4 行，修复 1 行（见上表）。用修好的订单表，加上原样的会员表和行为日志，
# 再校验一次：

# %%
clean = {**raw, "orders": orders}
print(ops.validate_tables(clean, mapping).summary())
print("rows in raw['orders'] (unchanged):", len(raw["orders"]))

# %% [markdown] lang="en"
# ## 6 · Run the playbook
#
# `ops.report` takes the tables (file paths or frames, here the fixed frames) and the mapping, runs
# every analysis the data allows (KPIs, revenue split, funnel, retention, lifecycle, RFM, repeat
# purchase and 80/20, buyer cohorts, churn risk) and writes one folder, atomically: it appears only
# when complete. The command line does the same with
# `opsplaybook report --orders … --events … --users … --mapping mapping.yaml --out DIR`.

# %% [markdown] lang="zh"
# ## 6 · 跑运营诊断
#
# `ops.report` 接收各张表（可以是文件路径，也可以是数据表，这里用修好的数据表）和字段映射，把数据能
# 支持的分析都跑一遍——经营 KPI、销售额拆解、漏斗、留存、生命周期、RFM、复购与二八法则、购买同期群、
# 流失风险——然后一次性写出一个文件夹：全部写完才出现，不会留下写了一半的结果。命令行的写法是
# `opsplaybook report --orders … --events … --users … --mapping mapping.yaml --out 文件夹`。

# %%
DEC = WORK / "report-2025-12"
result = ops.report(orders=clean["orders"], users=clean["users"], events=clean["events"], mapping=MAPPING,
                    out=DEC, lang=LANG, progress=False)
sorted(p.name for p in DEC.iterdir())

# %% [markdown] lang="en"
# `report.html` is one self-contained file (charts embedded, opens offline, Chinese renders without
# fonts installed): send it to the team. `users.csv` / `users.parquet` hold one row per member with
# segment, scores, churn risk; `summary.json` the key figures; `mapping.yaml` the mapping used.
# Open the HTML from the folder printed here:

# %% [markdown] lang="zh"
# `report.html` 是一个独立的网页文件（图表都嵌在里面，离线可打开，没装中文字体的电脑也能正常显示），
# 直接发给团队即可；`users.csv` / `users.parquet` 每个会员一行，带分层、评分、流失风险；
# `summary.json` 是关键数字；`mapping.yaml` 是这次用的映射。报告在这个文件夹里：

# %%
print(DEC / "report.html")

# %% [markdown] lang="en"
# ### The figures of `summary.json`
#
# The summary has a fixed schema (`opsplaybook.report/1`): per section its figures, the actions
# that fired, and why a section was skipped (none here: with events, every section runs).

# %% [markdown] lang="zh"
# ### `summary.json` 里的关键数字
#
# 摘要文件的结构是固定的（`opsplaybook.report/1`）：每一节的关键数字、触发的建议动作，以及没跑的
# 原因（这里有行为日志，所有章节都跑了）。

# %%
summary = json.loads((DEC / "summary.json").read_text(encoding="utf-8"))
print(summary["schema"], "| skipped:", [k for k, s in summary["sections"].items() if s["skipped"]])
figures = pd.DataFrame([{"section": ops.label(f"report.section.{k}", LANG), "figure": f, "value": v}
                        for k, s in summary["sections"].items() for f, v in s["figures"].items()])
fig = {f"{k}.{name}": v for k, s in summary["sections"].items() for name, v in s["figures"].items()}
figures

# %% [markdown] lang="en"
# Read the numbers as an operator would; this cell says them in words (会说话的数据):

# %% [markdown] lang="zh"
# 用运营的眼光读这些数字，下面这个单元格把它们“说”成话（会说话的数据）：

# %% lang="en"
print(f"{fig['repeat.repeat_rate']:.0%} of the {fig['repeat.buyers']} buyers bought more than once (repeat_rate).\n"
      f"The top 20 % of buyers bring {fig['repeat.top20_share']:.0%} of sales "
      f"(top20_share; Gini {fig['repeat.gini']:.2f}): one of them is worth about "
      f"{(fig['repeat.top20_share'] / 0.2) / (fig['repeat.tail_share'] / 0.8):.0f} buyers of the tail.\n"
      f"Week-1 retention is {fig['retention.w1']:.0%} (w1).\n"
      f"The funnel loses most after '{ops.label('event.' + fig['funnel.worst_step'], LANG)}': only "
      f"{fig['funnel.worst_step_rate']:.0%} go on (worst_step_rate).\n"
      f"{fig['churn.churn_risk']} repeat buyers are past twice their usual gap between orders (churn_risk).")

# %% lang="zh"
print(f"{fig['repeat.buyers']} 个买家里，{fig['repeat.repeat_rate']:.0%} 买过不止一次（复购率 repeat_rate）。\n"
      f"前 20% 的买家贡献了 {fig['repeat.top20_share']:.0%} 的销售额（top20_share；基尼系数 {fig['repeat.gini']:.2f}），"
      f"一个头部买家抵得上约 {(fig['repeat.top20_share'] / 0.2) / (fig['repeat.tail_share'] / 0.8):.0f} 个长尾买家。\n"
      f"第 1 周留存 {fig['retention.w1']:.0%}（w1）。\n"
      f"漏斗里流失最多的是“{ops.label('event.' + fig['funnel.worst_step'], LANG)}”之后：只有 "
      f"{fig['funnel.worst_step_rate']:.0%} 走到下一步（worst_step_rate）。\n"
      f"{fig['churn.churn_risk']} 名老买家已超过自己平时购买间隔的 2 倍还没回来（churn_risk）。")

# %% [markdown] lang="en"
# Value is concentrated: a fifth of the buyers bring most of the sales, the 80/20 rule (二八法则) of
# Module 4, so losing one top buyer costs as much as losing several from the tail (the ratio printed
# above). The churn-risk buyers are named one by one in `users.csv` (column `churn_risk`), sorted
# by spend in the report.

# %% [markdown] lang="zh"
# 价值高度集中：五分之一的买家贡献了大部分销售额，正是第 4 模块讲的二八法则——丢掉一个头部买家，相当于
# 丢掉好几个长尾买家（倍数见上面的输出）。有流失风险的老买家，在 `users.csv` 里逐个标了出来（`churn_risk` 列），报告里按
# 消费额从高到低排好了。

# %% [markdown] lang="en"
# ### The suggested actions
#
# Each action comes from a rule in the kit's catalog (`catalog/report.py`: section, figure,
# threshold) and states the number that triggered it; a team can change a threshold or a sentence
# without touching code.

# %% [markdown] lang="zh"
# ### 建议动作
#
# 每条建议都来自工具包目录里的一条规则（`catalog/report.py`：哪一节、哪个数字、什么阈值），并写明
# 触发它的那个数字；团队想调阈值、改措辞，改目录即可，不用动代码。

# %%
for key, section in summary["sections"].items():
    for action in section["actions"]:
        print(f"[{ops.label(f'report.section.{key}', LANG)}] {action}")

# %% [markdown] lang="en"
# One action deserves a second look before anyone acts on it: sales fell in December against
# November. November holds Double 11 (双十一), so a fall in December may be the season, not a
# problem; compare December with December of the year before (同比) before calling it one. A rule
# states a number; the team decides what it means.

# %% [markdown] lang="zh"
# 其中有一条要先想一想再行动：12 月销售额比 11 月明显下降。11 月有双十一，12 月回落很可能是季节性的，
# 不一定是问题——先和去年 12 月比一比（同比），再下结论。规则只负责把数字摆出来，数字意味着什么，要由
# 团队来判断。

# %% [markdown] lang="en"
# ## 7 · Every month: rerun and compare
#
# A team runs the same steps on each month's export: the same mapping file, the same fixes. Collect
# the fixes into one function:

# %% [markdown] lang="zh"
# ## 7 · 每月重跑，对比变化
#
# 团队每个月拿到新导出，都走同样的步骤：同一个映射文件、同样的修数规则。先把上面的修改收拢成一个函数：

# %%
def clean_orders(df):
    """The fixes of section 5, as one routine for every month's export."""
    df = df.copy()
    df.loc[df["实付金额"].str.strip() == "免费", "实付金额"] = "0"
    when = pd.to_datetime(df["下单时间"], errors="coerce", format="mixed")
    member = df["会员ID"].fillna("").str.strip() != ""
    amount = pd.to_numeric(df["实付金额"], errors="coerce")
    return df[when.notna() & member & ~(amount < 0)].drop_duplicates()


print("same rows as the fixes above:", clean_orders(raw["orders"]).equals(orders))

# %% [markdown] lang="en"
# To see what a comparison looks like, pretend it is the beginning of December: the export then held
# the data up to 30 November. The mapping says which column is each table's time, so the cut needs
# no column names.

# %% [markdown] lang="zh"
# 为了演示对比的效果，假设现在是 12 月初：那时的导出只包含到 11 月 30 日为止的数据。每张表的时间列
# 是哪一列，映射里都写着，所以截取时不用再手写列名。

# %%
def until(tables, end):
    """The tables as an export made on `end` would have held them."""
    out = {}
    for kind, df in tables.items():
        roles = mapping.tables[kind].columns
        col = roles.get("time") or roles.get("signup_time")
        out[kind] = df if col is None else df[pd.to_datetime(df[col], format="mixed") < pd.Timestamp(end)]
    return out


november = until(clean, "2025-12-01")
NOV = WORK / "report-2025-11"
ops.report(**november, mapping=MAPPING, out=NOV, lang=LANG, progress=False)
print({kind: len(df) for kind, df in november.items()})

# %% [markdown] lang="en"
# Each run leaves its `summary.json`; a table of their figures, one column per run, is the team's
# trend sheet.

# %% [markdown] lang="zh"
# 每次运行都留下一份 `summary.json`；把各次的数字并排放进一张表，一列一个月，就是团队的趋势表。

# %%
def run_figures(folder):
    s = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return pd.Series({f"{k}.{f}": v for k, sec in s["sections"].items() for f, v in sec["figures"].items()
                      if isinstance(v, (int, float)) and not isinstance(v, bool)})


trend = pd.DataFrame({"2025-11": run_figures(NOV), "2025-12": run_figures(DEC)})
trend["change"] = trend["2025-12"] - trend["2025-11"]
trend.round(3)

# %% [markdown] lang="en"
# Read the changes, not the levels. November's run saw sales jump on October (`overview.gmv_change`
# in the first column: Double 11); December's sees the fall. December added orders and buyers
# (`repeat.buyers`), yet the repeat rate went *down*: new buyers have had no time to buy twice yet,
# so a good month for acquisition lowers this ratio. With a hundred buyers or fewer, a ratio that
# moves a few points from one run to the next may be noise; the same direction over three or four
# runs is a finding. On the command line a monthly run is one line per month, into a new folder
# each time (an existing folder is never overwritten without `--force`):
#
# ```bash
# opsplaybook report --orders 订单导出_清洗后.csv --events 行为日志.csv --users 会员信息.csv \
#     --mapping mapping.yaml --out reports/2025-12
# ```

# %% [markdown] lang="zh"
# 看变化，而不是只看水平。11 月那次运行里，销售额比 10 月猛涨（第一列的 `overview.gmv_change`，双十一）；
# 12 月这次则是上面看到的回落。12 月的订单和买家（`repeat.buyers`）都多了，复购率却**降**了：新买家还没
# 来得及买第二次，所以拉新做得好的月份，这个比率反而会被拉低。买家只有一百人上下时，一个比率前后差几个
# 百分点可能只是随机波动；连续三四次都朝同一个方向走，才算得上发现。命令行上，每月一行命令、每次写进
# 一个新文件夹（已有的文件夹不加 `--force` 不会被覆盖）：
#
# ```bash
# opsplaybook report --orders 订单导出_清洗后.csv --events 行为日志.csv --users 会员信息.csv \
#     --mapping mapping.yaml --out reports/2025-12
# ```

# %% [markdown] lang="en"
# ## 8 · Privacy: what leaves the team's hands
#
# The mapping marked `姓名` and `手机号` as personal data, so `users.csv` carries them masked: a
# name keeps its first character, a phone number its first three and last four digits.

# %% [markdown] lang="zh"
# ## 8 · 数据安全：离开团队的文件里有什么
#
# 映射把 `姓名`、`手机号` 标成了个人信息，所以 `users.csv` 里它们都是脱敏后的：姓名只留第一个字，
# 手机号只留前 3 位和后 4 位。

# %%
exported = pd.read_csv(DEC / "users.csv", dtype=str)
pd.concat([clean["users"][["会员ID", "姓名", "手机号"]].head(3).reset_index(drop=True),
           exported[["user_id", "name", "phone"]].head(3)], axis=1)

# %% [markdown] lang="en"
# Check it rather than believe it: search every file the report wrote for any of the 400 real phone
# numbers (and, to see that the search would find them, the members' file itself).

# %% [markdown] lang="zh"
# 不要只凭相信，动手查一查：在报告写出的每个文件里搜索这 400 个真实手机号（先在会员表原文件里搜一遍，
# 证明这个搜索确实找得到）。

# %%
phones = set(clean["users"]["手机号"])


def phones_in(path):
    """How many of the members' real phone numbers appear anywhere in a file."""
    text = path.read_bytes().decode("utf-8", errors="ignore")
    return len(phones & set(re.findall(r"(?=(1\d{10}))", text)))


print("the same search on the members' own file:", phones_in(USERS))
print("real phone numbers found per report file:", {p.name: phones_in(p) for p in sorted(DEC.iterdir())})
print("users.csv starts with a UTF-8 BOM (Excel opens the Chinese right):",
      (DEC / "users.csv").read_bytes().startswith(b"\xef\xbb\xbf"))

# %% [markdown] lang="en"
# **CSV formula injection.** A text cell that starts with `=`, `+`, `-` or `@` is run as a formula
# when the CSV is opened in Excel: a member who sets their nickname to `=HYPERLINK(...)` puts a link
# into everyone's spreadsheet (OWASP calls this CSV injection). Every export of the kit writes such
# cells with a leading `'`, which makes Excel show them as text. A small table shows it:

# %% [markdown] lang="zh"
# **CSV 公式注入**。以 `=`、`+`、`-`、`@` 开头的文本单元格，在 Excel 里打开时会被当成公式执行：
# 某个会员把昵称改成 `=HYPERLINK(...)`，所有打开这份表的同事电脑上就都多了一个可点的链接（OWASP 称之为
# CSV 注入）。工具包的每一个导出文件都会在这样的单元格前加一个 `'`，Excel 就只把它当文本显示。用一张
# 小表演示：

# %%
nicknames = pd.DataFrame({"会员ID": ["M900001", "M900002", "M900003"],
                          "昵称": ['=HYPERLINK("http://example.com","领券")', "@SUM(A1:A9)", "小鹿"],
                          "备注": ["-1+1", "+86 138 0013 8000", "老客"]})
DEMO = write_csv(nicknames, WORK / "nicknames.csv")
print(DEMO.read_text(encoding="utf-8-sig"))

# %% [markdown] lang="en"
# The two formulas and the two cells starting with `-` and `+` got their `'`; `小鹿` and `老客` are
# unchanged. When a member id must leave the team but must not be traceable, hash it instead: with
# the same salt, the same member always gets the same code, so exports still join.

# %% [markdown] lang="zh"
# 两个公式，以及以 `-`、`+` 开头的两个单元格，前面都加上了 `'`；“小鹿”“老客”原样不动。如果会员 ID
# 也要发给外部、又不能让人追溯到具体的人，就改用哈希：同一个盐值下，同一个会员永远得到同一个代码，
# 几份导出之间仍然能关联起来。

# %%
protect(nicknames[["会员ID"]], pii={"会员ID": "hash"}, salt="our-team-2025")

# %% [markdown] lang="en"
# Last, the promise of section 1: the export is exactly as it was.

# %% [markdown] lang="zh"
# 最后兑现第 1 节的承诺：导出文件和开始时一模一样。

# %%
print("export unchanged:", fingerprint(EXPORT) == BEFORE)

# %% [markdown] lang="en"
# ## 9 · Your turn: a team's checklist
#
# 1. Export orders (needed), the event log and the member table; note each system's encoding.
# 2. `opsplaybook mapping init …  --out mapping.yaml`; read every comment; write your funnel.
# 3. Validate; fix each problem **at the source** when you can, in a cleaning script when you must.
# 4. Run the report; read `summary.json` and the actions; decide which actions you believe.
# 5. Keep `mapping.yaml` and the cleaning script in version control; rerun every month into a new
#    folder; keep the trend table.
#
# **Discussion.** (a) Which of the five problems would your own export have, and which team owns the
# system that makes it? (b) The report says sales fell in December: what would you check before acting?
# (c) Who in your company may see `users.csv`, and which columns would you hash instead of mask?

# %% [markdown] lang="zh"
# ## 9 · 轮到你了：团队清单
#
# 1. 导出订单表（必需）、行为日志和会员表，记下每个系统导出的编码。
# 2. 运行 `opsplaybook mapping init … --out mapping.yaml`，逐条读理由，写上自己的漏斗。
# 3. 校验；能在**源头系统**改的就在源头改，实在不行才写进清洗脚本。
# 4. 跑报告；读 `summary.json` 和建议动作，想清楚哪几条是真的该做的。
# 5. 把 `mapping.yaml` 和清洗脚本纳入版本管理；每月跑一次、每次写进新文件夹，维护好趋势表。
#
# **讨论题：**（a）这五类问题里，你们自己的导出会有哪几种？产生它的系统归哪个团队管？（b）报告说 12 月
# 销售额下降了，在采取行动之前，你会先核对什么？（c）公司里谁可以看 `users.csv`？哪些列应该哈希而不是
# 脱敏？
