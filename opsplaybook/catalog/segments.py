"""Labels of segmentation (用户画像和用户群细分): the value pyramid's levels."""

LABELS = {
    # --- value pyramid (金字塔模型), top to bottom ---
    "tier.vip": {"zh": "VIP用户（塔尖）", "en": "VIP (top of the pyramid)"},
    "tier.high": {"zh": "高价值用户", "en": "High-value users"},
    "tier.middle": {"zh": "中坚用户", "en": "Middle users"},
    "tier.base": {"zh": "大众用户（塔基）", "en": "Base users"},
}
