"""Labels of segmentation (用户画像和用户群细分): the value pyramid's levels."""

LABELS = {
    # --- value pyramid (金字塔模型), top to bottom ---
    "tier.vip": {"zh": "VIP用户（塔尖）", "en": "VIP (top of the pyramid)"},
    "tier.high": {"zh": "高价值用户", "en": "High-value users"},
    "tier.middle": {"zh": "中坚用户", "en": "Middle users"},
    "tier.base": {"zh": "大众用户（塔基）", "en": "Base users"},
}

LABELS.update({
    # --- persona groups (用户群的聚合 → 用户画像), named from the group's profile by persona_cards ---
    "cluster.loyal": {"zh": "高价值忠诚型", "en": "Loyal high-value"},
    "cluster.price": {"zh": "价格敏感型", "en": "Price-sensitive"},
    "cluster.early": {"zh": "尝鲜型", "en": "Early adopters"},
    "cluster.dormant": {"zh": "沉默潜力型", "en": "Dormant potential"},
    "cluster.niche": {"zh": "利基小众型", "en": "Niche group"},
    "cluster.mass": {"zh": "大众普通型", "en": "Mainstream"},
    "cluster.insufficient": {"zh": "数据不足", "en": "Not enough data yet"},
    "cluster.fake": {"zh": "疑似虚假注册", "en": "Suspected fake sign-ups"},
    # --- strategies per segment (市场运营策略, seed 000 §1.5) ---
    "strategy.promote": {"zh": "促进消费", "en": "Promote consumption"},
    "strategy.lower_barrier": {"zh": "降低门槛", "en": "Lower the barrier to buy"},
    "strategy.new_segment": {"zh": "挖掘新细分", "en": "Develop a new segment"},
    "strategy.upgrade": {"zh": "存量升级", "en": "Upgrade existing customers"},
    "strategy.niche": {"zh": "利基市场", "en": "Serve as a niche market"},
    "strategy.exclude": {"zh": "排除后再分析", "en": "Exclude before analysing"},
    "strategy.observe": {"zh": "先积累行为数据", "en": "Collect behaviour first"},
    # --- persona card columns and map ---
    "cluster.card.group": {"zh": "用户群", "en": "Group"},
    "cluster.map.title": {"zh": "用户群地图（标准化特征的主成分）", "en": "Map of the groups (principal components of the scaled features)"},
    "cluster.map.x": {"zh": "主成分1", "en": "Component 1"},
    "cluster.map.y": {"zh": "主成分2", "en": "Component 2"},
    "tags.overlap.title": {"zh": "标签重叠（同时带两个标签的用户数）", "en": "Tag overlap (users carrying both tags)"},
    "tags.sizes.title": {"zh": "各标签人数", "en": "Users per tag"},
    "tags.sizes.x": {"zh": "用户数", "en": "Users"},
})

LABELS.update({
    # --- explorers of Module 1 ---
    "explorer.persona.k": {"zh": "用户群数 k", "en": "Groups k"},
    "explorer.persona.min_orders": {"zh": "至少几单才参与聚类", "en": "Orders needed to be clustered"},
    "explorer.persona.col.name": {"zh": "建议名称", "en": "Suggested name"},
    "explorer.persona.col.strategy": {"zh": "建议策略", "en": "Strategy"},
    "explorer.persona.col.users": {"zh": "人数", "en": "Users"},
    "explorer.persona.col.share": {"zh": "人数占比", "en": "User share"},
    "explorer.persona.col.value_share": {"zh": "价值占比", "en": "Value share"},
    "explorer.persona.col.arpu": {"zh": "人均消费", "en": "Value per user"},
    "explorer.persona.col.frequency": {"zh": "人均订单", "en": "Orders per user"},
    "explorer.persona.col.coupon": {"zh": "用券占比", "en": "Coupon share"},
    "explorer.persona.col.night": {"zh": "夜间占比", "en": "Night share"},
    "explorer.persona.col.city": {"zh": "主要城市级别", "en": "Top city tier"},
    "explorer.persona.col.channel": {"zh": "主要渠道", "en": "Top channel"},
    "explorer.persona.summary": {"zh": "{clustered} 位用户（至少 {min_orders} 单）分成 {k} 群，轮廓系数 {sil:.2f}；另有 {rest} 位用户数据不足，单独成群。",
                               "en": "{clustered} users (at least {min_orders} orders) in {k} groups, silhouette {sil:.2f}; "
                                     "{rest} users without enough history form a group of their own."},
    "tags.widget.high_value_top": {"zh": "高价值：消费前", "en": "High value: top"},
    "tags.widget.price_coupon_share": {"zh": "价格敏感：用券占比 ≥", "en": "Price-sensitive: coupon share ≥"},
    "tags.widget.night_share": {"zh": "夜猫子：夜间占比 ≥", "en": "Night owl: night share ≥"},
    "tags.widget.dormant_days": {"zh": "沉睡：未活跃天数 ≥", "en": "Dormant: days inactive ≥"},
    "tags.widget.col.tag": {"zh": "标签", "en": "Tag"},
    "tags.widget.col.why": {"zh": "依据", "en": "Rationale"},
    "tags.widget.untagged": {"zh": "没有任何标签的用户：{n:,}（{share:.1%}）", "en": "Users without any tag: {n:,} ({share:.1%})"},
})
