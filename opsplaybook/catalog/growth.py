"""Labels of the growth formulas (``analytics/growth.py``) and the KPI tree chart (``charts/kpi_tree.py``).

The model names follow the 1-day growth course outline (运营增长模型解析): 渠道模型, 产品模型,
漏斗流量模型, 用户价值分层模型, 分形赋能模型.
"""

LABELS = {
    # --- the five growth models (运营增长模型) ---
    "growth.model.channel": {"zh": "渠道模型", "en": "Channel model"},
    "growth.model.product": {"zh": "产品模型", "en": "Product model"},
    "growth.model.funnel": {"zh": "漏斗流量模型", "en": "Funnel model"},
    "growth.model.tier": {"zh": "用户价值分层模型", "en": "Value-tier model"},
    "growth.model.fractal": {"zh": "分形赋能模型", "en": "Fractal model"},
    # parts and columns
    "growth.part.new_customers": {"zh": "新客", "en": "New customers"},
    "growth.col.part": {"zh": "组成部分", "en": "Part"},
    "growth.col.sales": {"zh": "销售额", "en": "Sales"},
    "growth.col.share": {"zh": "占比", "en": "Share"},
    "growth.col.sellers": {"zh": "销售人员数N", "en": "Sellers (N)"},
    "growth.col.sales_per_seller": {"zh": "人均业绩", "en": "Sales per seller"},
    # --- KPI tree (指标树) ---
    "kpi_tree.title": {"zh": "北极星指标与KPI树", "en": "North Star metric and KPI tree"},
    "kpi_tree.north_star": {"zh": "北极星指标", "en": "North Star metric"},
    "kpi_tree.change": {"zh": "环比", "en": "vs previous"},
    "kpi_tree.node.gmv": {"zh": "销售额GMV", "en": "GMV"},
    "kpi_tree.formula.gmv": {"zh": "购买人数 × 客单价", "en": "buyers × P"},
    "kpi_tree.formula.buyers": {"zh": "UV × CVR", "en": "UV × CVR"},
    "kpi_tree.formula.p": {"zh": "人均订单数 × 笔单价", "en": "orders/buyer × AOV"},
    "kpi_tree.node.buyers": {"zh": "购买人数", "en": "Buyers"},
    "kpi_tree.node.uv": {"zh": "访客数UV", "en": "Visitors (UV)"},
    "kpi_tree.node.cvr": {"zh": "支付转化率CVR", "en": "Conversion rate (CVR)"},
    "kpi_tree.node.p": {"zh": "客单价P", "en": "Revenue per buyer (P)"},
    "kpi_tree.node.orders_per_buyer": {"zh": "人均订单数", "en": "Orders per buyer"},
    "kpi_tree.node.aov": {"zh": "笔单价", "en": "Average order value"},
}
