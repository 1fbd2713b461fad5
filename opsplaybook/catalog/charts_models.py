"""Labels of the course models and their charts (:mod:`opsplaybook.models`,
:mod:`opsplaybook.charts.model_charts`): KANO, Van Westendorp, positioning map, channel value matrix,
A/B test.

Keys start with ``models.``. Texts with ``{…}`` are filled in by the chart (``str.format``).
"""

LABELS = {
    # --- KANO model (KANO模型) ---
    "models.kano.A": {"zh": "魅力属性", "en": "Attractive"},
    "models.kano.O": {"zh": "期望属性", "en": "One-dimensional"},
    "models.kano.M": {"zh": "必备属性", "en": "Must-be"},
    "models.kano.I": {"zh": "无差异属性", "en": "Indifferent"},
    "models.kano.R": {"zh": "反向属性", "en": "Reverse"},
    "models.kano.Q": {"zh": "可疑结果", "en": "Questionable"},
    "models.kano.title": {"zh": "KANO模型：Better-Worse系数", "en": "KANO model: Better–Worse coefficients"},
    "models.kano.xlabel": {"zh": "不满意影响力 |Worse|", "en": "Dissatisfaction impact |Worse|"},
    "models.kano.ylabel": {"zh": "满意影响力 Better", "en": "Satisfaction impact (Better)"},
    "models.kano.legend": {"zh": "KANO分类", "en": "KANO category"},
    # --- positioning map (二维空间市场定位模型) ---
    "models.positioning.title": {"zh": "二维市场定位图", "en": "Positioning map"},
    "models.positioning.mean": {"zh": "均值", "en": "mean"},
    "models.positioning.own": {"zh": "本品", "en": "Our product"},
    "models.positioning.competitor": {"zh": "竞品", "en": "Competitor"},
    # --- Van Westendorp (价格敏感度测试) ---
    "models.psm.title": {"zh": "价格敏感度测试（Van Westendorp）", "en": "Van Westendorp price sensitivity"},
    "models.psm.xlabel": {"zh": "价格（元）", "en": "Price (¥)"},
    "models.psm.ylabel": {"zh": "受访者累计占比", "en": "Cumulative share of respondents"},
    "models.psm.too_cheap": {"zh": "太便宜（怀疑质量）", "en": "Too cheap"},
    "models.psm.cheap": {"zh": "便宜划算", "en": "Cheap (a bargain)"},
    "models.psm.not_cheap": {"zh": "不便宜", "en": "Not cheap"},
    "models.psm.expensive": {"zh": "开始觉得贵", "en": "Getting expensive"},
    "models.psm.not_expensive": {"zh": "不贵", "en": "Not expensive"},
    "models.psm.too_expensive": {"zh": "太贵（不会买）", "en": "Too expensive"},
    "models.psm.range": {"zh": "可接受价格区间", "en": "Acceptable price range"},
    "models.psm.pmc": {"zh": "最低可接受价 PMC", "en": "PMC (marginal cheapness)"},
    "models.psm.pme": {"zh": "最高可接受价 PME", "en": "PME (marginal expensiveness)"},
    "models.psm.opp": {"zh": "最优价格 OPP", "en": "OPP (optimal price)"},
    "models.psm.ipp": {"zh": "无差异价格 IPP", "en": "IPP (indifference price)"},
    # --- channel value matrix (渠道价值评估矩阵) ---
    "models.channel.quadrant.star": {"zh": "明星渠道", "en": "Star channel"},
    "models.channel.quadrant.potential": {"zh": "潜力渠道", "en": "Potential channel"},
    "models.channel.quadrant.traffic": {"zh": "流量渠道（质量待提升）", "en": "Volume channel (low quality)"},
    "models.channel.quadrant.weak": {"zh": "低效渠道", "en": "Weak channel"},
    "models.channel.title": {"zh": "渠道价值评估矩阵（量×质）", "en": "Channel value matrix (volume × quality)"},
    "models.channel.volume": {"zh": "获客量（新增注册）", "en": "Volume (sign-ups)"},
    "models.channel.quality.retention": {"zh": "质量：7日内留存率", "en": "Quality: 7-day retention"},
    "models.channel.quality.arpu": {"zh": "质量：人均收入 ARPU", "en": "Quality: revenue per user"},
    "models.channel.quality.roi": {"zh": "质量：投资回报率 ROI", "en": "Quality: ROI"},
    "models.channel.size": {"zh": "气泡大小 = 投放花费", "en": "Bubble size = spend"},
    "models.channel.fraud": {"zh": "疑似作弊", "en": "Suspected fraud"},
    "models.channel.annotation": {"zh": "{channel}\n花费{spend}", "en": "{channel}\nspend {spend}"},
    # --- A/B test (AB测试) ---
    "models.ab.title": {"zh": "AB测试结果：转化率与置信区间", "en": "A/B test: conversion rate with confidence intervals"},
    "models.ab.control": {"zh": "对照组", "en": "Control"},
    "models.ab.treatment": {"zh": "实验组", "en": "Treatment"},
    "models.ab.rate": {"zh": "转化率", "en": "Conversion rate"},
    "models.ab.group": {"zh": "分组", "en": "Group"},
    "models.ab.lift": {"zh": "提升（百分点）", "en": "Lift (rate points)"},
    "models.ab.lift_title": {"zh": "绝对提升 {ci}置信区间", "en": "Absolute lift, {ci} CI"},
    "models.ab.summary": {
        "zh": "提升 {lift}（{ci}置信区间 {low} 至 {high}），p = {p}",
        "en": "lift {lift} ({ci} CI {low} to {high}), p = {p}",
    },
    "models.ab.significant": {"zh": "显著", "en": "significant"},
    "models.ab.not_significant": {"zh": "不显著", "en": "not significant"},
}
