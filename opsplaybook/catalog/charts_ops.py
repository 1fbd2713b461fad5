"""Labels of the charts of the analytics' results (:mod:`opsplaybook.charts.funnel_retention_charts`, ``lifecycle_charts``, ``value_charts``): titles, axis labels and annotations.

Keys start with ``ops.``; stage, segment, event and KPI names come from :mod:`.core`.
Texts with ``{…}`` are filled in by the chart (``str.format``).
"""

LABELS = {
    # --- funnel chart (漏斗图) ---
    "ops.funnel.title": {"zh": "转化漏斗", "en": "Conversion funnel"},
    "ops.funnel.xlabel": {"zh": "漏斗步骤", "en": "Funnel step"},
    "ops.funnel.ylabel": {"zh": "用户数", "en": "Users"},
    "ops.funnel.overall": {"zh": "总转化 {pct}", "en": "overall {pct}"},
    "ops.funnel.step": {"zh": "步骤转化", "en": "step conversion"},
    # --- cohort retention (同期群留存) ---
    "ops.retention.heatmap_title": {"zh": "同期群留存率", "en": "Cohort retention"},
    "ops.retention.curves_title": {"zh": "留存曲线", "en": "Retention curves"},
    "ops.retention.cohort": {"zh": "同期群（首次行为时间，人数）", "en": "Cohort (start, users)"},
    "ops.retention.cohort_tick": {"zh": "{cohort}（{size}人）", "en": "{cohort} (n={size})"},
    "ops.retention.period.D": {"zh": "第N天", "en": "Day N"},
    "ops.retention.period.W": {"zh": "第N周", "en": "Week N"},
    "ops.retention.period.M": {"zh": "第N月", "en": "Month N"},
    "ops.retention.period.any": {"zh": "第N期", "en": "Period N"},
    "ops.retention.rate": {"zh": "留存率", "en": "Retention rate"},
    "ops.retention.weighted": {"zh": "加权平均", "en": "Weighted mean"},
    "ops.retention.simple": {"zh": "简单平均", "en": "Simple mean"},
    "ops.retention.colorbar": {"zh": "留存率", "en": "Retained share"},
    # --- lifecycle (生命周期) ---
    "ops.lifecycle.area_title": {"zh": "各生命周期阶段用户数", "en": "Users by lifecycle stage"},
    "ops.lifecycle.share_title": {"zh": "各生命周期阶段用户占比", "en": "Share of users by lifecycle stage"},
    "ops.lifecycle.period": {"zh": "时间", "en": "Period"},
    "ops.lifecycle.users": {"zh": "用户数", "en": "Users"},
    "ops.lifecycle.share": {"zh": "用户占比", "en": "Share of users"},
    "ops.lifecycle.stage": {"zh": "生命周期阶段", "en": "Lifecycle stage"},
    "ops.posthog.title": {"zh": "活跃用户构成（新增/持续活跃/回流/本期流失）",
                          "en": "Lifecycle: new, returning, resurrecting, dormant"},
    # --- Sankey (桑基图) of stage transitions ---
    "ops.sankey.title": {"zh": "生命周期阶段流转（桑基图）", "en": "Lifecycle stage transitions (Sankey)"},
    "ops.sankey.title_flows": {"zh": "用户流动（桑基图）", "en": "How users moved (Sankey)"},
    "ops.sankey.start": {"zh": "期初", "en": "Start"},
    "ops.sankey.end": {"zh": "期末", "en": "End"},
    # --- RFM ---
    "ops.rfm.heatmap_title": {"zh": "RFM热力图：各R×F格的平均消费金额",
                              "en": "RFM heatmap: mean monetary value per R × F cell"},
    "ops.rfm.r_score": {"zh": "R分（最近一次消费，5=最近）", "en": "R score (recency, 5 = most recent)"},
    "ops.rfm.f_score": {"zh": "F分（消费频次，5=最高）", "en": "F score (frequency, 5 = most)"},
    "ops.rfm.m_mean": {"zh": "平均消费金额（元）", "en": "Mean monetary value (yuan)"},
    "ops.rfm.cell": {"zh": "{m}\n{n}人", "en": "{m}\nn={n}"},
    "ops.rfm.segments_title": {"zh": "RFM客户分层人数", "en": "Customers per RFM segment"},
    "ops.rfm.segments_value_title": {"zh": "RFM客户分层消费金额", "en": "Monetary value per RFM segment"},
    "ops.rfm.segment": {"zh": "客户分层", "en": "Segment"},
    "ops.rfm.users": {"zh": "客户数", "en": "Customers"},
    "ops.rfm.monetary": {"zh": "消费金额（元）", "en": "Monetary value (yuan)"},
    # --- Pareto / 80-20 (帕累托 / 二八法则) ---
    "ops.pareto.title": {"zh": "帕累托曲线（二八法则）", "en": "Pareto curve (80/20 rule)"},
    "ops.pareto.xlabel": {"zh": "用户累计占比（按贡献从高到低）", "en": "Cumulative share of users (top spenders first)"},
    "ops.pareto.ylabel": {"zh": "收入累计占比", "en": "Cumulative share of revenue"},
    "ops.pareto.mark": {"zh": "前{users}的用户贡献{value}的收入", "en": "top {users} of users bring {value} of revenue"},
    "ops.pareto.curve": {"zh": "累计收入占比", "en": "Cumulative revenue"},
    "ops.pareto.equality": {"zh": "完全平均", "en": "Equal shares"},
    # --- KPI dashboard (指标看板) ---
    "ops.kpi.title": {"zh": "核心指标看板", "en": "KPI dashboard"},
    "ops.kpi.period": {"zh": "日期", "en": "Date"},
}
