"""Labels of the live explorers (``opsplaybook.widgets``) and of the revenue-driver charts
(``opsplaybook.charts.drivers``).

Templates with ``{name}`` fields are filled with ``str.format`` by the code that uses them.
"""

LABELS = {
    # --- controls shared by explorers ---
    "widget.base_period": {"zh": "基期", "en": "Base period"},
    "widget.compare_period": {"zh": "对比期", "en": "Compare period"},
    "widget.breakdown": {"zh": "拆分维度", "en": "Breakdown"},
    "widget.breakdown.none": {"zh": "不拆分（整体）", "en": "None (whole company)"},
    "widget.missing_value": {"zh": "（未填写）", "en": "(missing)"},
    "widget.sum_of_groups": {"zh": "合计（各组之和）", "en": "Sum of groups"},
    "widget.total": {"zh": "整体", "en": "Whole company"},
    "widget.other_groups": {"zh": "其他", "en": "Other"},
    # --- tables ---
    "widget.col.metric": {"zh": "指标", "en": "KPI"},
    "widget.col.change": {"zh": "变化", "en": "Change"},
    "widget.col.change_pct": {"zh": "变化率", "en": "Change %"},
    "widget.col.group": {"zh": "分组", "en": "Group"},
    "widget.col.gmv_change": {"zh": "销售额变化", "en": "GMV change"},
    "widget.col.uv_part": {"zh": "UV贡献", "en": "UV part"},
    "widget.col.cvr_part": {"zh": "CVR贡献", "en": "CVR part"},
    "widget.col.p_part": {"zh": "P贡献", "en": "P part"},
    # --- period names (freq of the explorer) ---
    "widget.period.M": {"zh": "{year}年{month}月", "en": "{mon} {year}"},
    "widget.period.W": {"zh": "{date}当周", "en": "week of {date}"},
    "widget.period.D": {"zh": "{date}", "en": "{date}"},
    # --- "data that talks": one sentence under the chart ---
    "widget.drivers.summary": {
        "zh": "{who}销售额从{base}的{s0}变为{compare}的{s1}（{change}），"
              "其中访客数UV贡献{uv}，支付转化率CVR贡献{cvr}，客单价P贡献{p}。",
        "en": "{who}GMV went from {s0} in {base} to {s1} in {compare} ({change}): "
              "visitors (UV) {uv}, conversion (CVR) {cvr}, revenue per buyer (P) {p}.",
    },
    "widget.drivers.summary.largest": {
        "zh": "变化最大的分组是{group}（{value}）。",
        "en": "The group that moved most is {group} ({value}).",
    },
    "widget.same_period": {
        "zh": "基期和对比期相同，没有变化可拆。请把其中一个滑块移到别的时期。",
        "en": "Base and compare period are the same: there is no change to split. Move one of the sliders.",
    },
    # --- charts of the revenue drivers (charts/drivers.py) ---
    "drivers.waterfall.title": {"zh": "销售额变化拆解：S = UV × CVR × P", "en": "What moved GMV: S = UV × CVR × P"},
    "drivers.waterfall.ylabel": {"zh": "销售额（元）", "en": "GMV (¥)"},
    "drivers.by.title": {"zh": "各组销售额变化的驱动因素", "en": "Drivers of the GMV change by group"},
    "drivers.by.xlabel": {"zh": "对销售额变化的贡献（元）", "en": "Contribution to the GMV change (¥)"},
    "drivers.net": {"zh": "净变化", "en": "Net change"},
}
