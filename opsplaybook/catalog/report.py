"""Labels of the playbook report (``opsplaybook report``): headings, notes, and the action rules.

An action rule is data: ``report.action.<id>`` holds the sentence (with the triggering number as
``{value}``); :data:`ACTION_RULES` says when it fires (section, figure of ``summary.json``, comparison,
threshold). Editing a threshold or a sentence needs no code change.
"""

LABELS = {
    "report.title": {"zh": "用户运营诊断报告", "en": "User operations playbook report"},
    "report.generated": {"zh": "生成时间 {when}，数据：{sources}", "en": "Generated {when} from {sources}"},
    "report.toc": {"zh": "目录", "en": "Contents"},
    "report.actions": {"zh": "建议动作", "en": "Suggested actions"},
    "report.no_actions": {"zh": "本节数据未触发任何建议规则。", "en": "No action rule fired for this section."},
    "report.needs_events": {"zh": "本节需要行为日志（events）。用 --events 提供后即可生成。",
                            "en": "This section needs an event log: give it with --events."},
    "report.needs_users": {"zh": "本节需要用户表（users）。", "en": "This section needs a users table."},
    "report.note.lazy_validation": {
        "zh": "{kind}：按需读取，只校验了前 {rows} 行；各项分析运行时会检查全部行的时间和金额。",
        "en": "{kind}: validated on its first {rows} rows (read lazily); the analyses check times and amounts "
              "of all rows as they run."},
    "report.section.overview": {"zh": "经营概览（KPI）", "en": "KPI overview"},
    "report.section.drivers": {"zh": "销售额变化拆解（S = UV × CVR × P）", "en": "What moved sales (S = UV × CVR × P)"},
    "report.section.funnel": {"zh": "转化漏斗", "en": "Conversion funnel"},
    "report.section.retention": {"zh": "留存", "en": "Retention"},
    "report.section.lifecycle": {"zh": "生命周期阶段", "en": "Lifecycle stages"},
    "report.section.rfm": {"zh": "RFM客户分层与策略", "en": "RFM segments and strategies"},
    "report.section.repeat": {"zh": "复购与价值集中度（二八法则）", "en": "Repeat purchase and value concentration (80/20)"},
    "report.section.cohorts": {"zh": "购买用户同期群", "en": "Buyer cohorts"},
    "report.section.churn": {"zh": "流失风险名单", "en": "Churn-risk list"},
    "report.churn.rule": {"zh": "规则：至少买过 2 次，且距上次购买的天数超过其平均购买间隔的 2 倍（{n} 人）。"
                                 "按累计消费从高到低，前 {top} 人如下；完整名单见 users.csv 的 churn_risk 列。",
                          "en": "Rule: at least 2 orders and more days since the last order than twice the "
                                "buyer's mean gap between orders ({n} buyers). The top {top} by spend are listed; "
                                "the full list is the churn_risk column of users.csv."},
    "report.figure.repeat_rate": {"zh": "复购率（买过 2 次及以上的买家占比）", "en": "Repeat rate (buyers with 2+ orders)"},
    "report.figure.top20_share": {"zh": "前 20% 买家贡献的销售额占比", "en": "Revenue share of the top 20 % of buyers"},
    "report.figure.gini": {"zh": "基尼系数", "en": "Gini coefficient"},
    "report.figure.buyers": {"zh": "买家数", "en": "Buyers"},
    "report.figure.gmv": {"zh": "销售额", "en": "Sales"},
    "report.figure.orders": {"zh": "订单数", "en": "Orders"},
    "report.figure.aov": {"zh": "笔单价", "en": "Average order value"},
    "report.figure.funnel_cvr": {"zh": "漏斗整体转化率", "en": "Funnel conversion"},
    "report.figure.w1": {"zh": "第 1 周留存（加权平均）", "en": "Week-1 retention (weighted mean)"},
    "report.figure.churn_risk": {"zh": "流失风险买家数", "en": "Buyers at churn risk"},
    # --- actions (the sentence shows the number that triggered it)
    "report.action.repeat_low": {
        "zh": "复购率只有 {value}：把首购用户引入私域（企微/社群），7 天内推送复购券与关联推荐。",
        "en": "Only {value} of buyers bought again: bring first-time buyers into the private domain "
              "(WeCom/groups) and send a repeat coupon and related picks within 7 days."},
    "report.action.concentrated": {
        "zh": "前 20% 买家贡献了 {value} 的销售额：为这部分客户建立 VIP 服务与专属权益，并设流失预警。",
        "en": "The top 20 % of buyers bring {value} of sales: give them VIP service and rights, and "
              "watch them with a churn alert."},
    "report.action.long_tail": {
        "zh": "长尾买家（后 80%）只贡献 {value} 的销售额：用低门槛活动（拼团、满减）提升其频次，而不是逐个维护。",
        "en": "The long tail (bottom 80 % of buyers) brings only {value} of sales: lift their frequency "
              "with low-threshold campaigns (group buys, spend-and-save) rather than one-to-one care."},
    "report.action.churn_risk": {
        "zh": "{value} 名老买家已超过平时购买间隔的 2 倍仍未回购：按消费额从高到低安排专属客服回访或召回券。",
        "en": "{value} repeat buyers are past twice their usual gap between orders: contact them by spend "
              "(personal call-back, win-back coupon)."},
    "report.action.win_back_segment": {
        "zh": "“重要挽留客户”占买家的 {value}：高价值但久未购买，优先做一对一召回。",
        "en": "'Important to win back' are {value} of buyers: valuable but long gone; win them back one to one first."},
    "report.action.funnel_leak": {
        "zh": "漏斗中流失最多的一步是“{step}”，只有 {value} 的用户走到下一步：先优化这一步的页面与激励。",
        "en": "The biggest leak of the funnel is after '{step}': only {value} go on. Improve that step first."},
    "report.action.retention_low": {
        "zh": "第 1 周留存只有 {value}：找到新用户的顿悟时刻（Aha moment），把新手引导做成任务。",
        "en": "Week-1 retention is {value}: find the new users' aha moment and turn onboarding into tasks."},
    "report.action.gmv_down": {
        "zh": "最近一个月销售额比上月下降 {value}：看“销售额变化拆解”，先处理下降最多的因子。",
        "en": "Sales fell {value} in the last month: see 'What moved sales' and act on the factor that fell most."},
}

#: When each action fires: (action id, section, summary figure, comparison, threshold).
#: Figures are the keys of ``summary.json``'s "figures".
ACTION_RULES = (
    ("repeat_low", "repeat", "repeat_rate", "<", 0.30),
    ("concentrated", "repeat", "top20_share", ">=", 0.60),
    ("long_tail", "repeat", "tail_share", "<", 0.40),
    ("churn_risk", "churn", "churn_risk", ">", 0),
    ("win_back_segment", "rfm", "win_back_share", ">=", 0.10),
    ("funnel_leak", "funnel", "worst_step_rate", "<", 0.50),
    ("retention_low", "retention", "w1", "<", 0.20),
    ("gmv_down", "overview", "gmv_change", "<=", -0.10),
)
