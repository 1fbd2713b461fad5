"""Labels shared by the whole kit: events, personas, lifecycle stages, RFM segments, KPIs."""

LABELS = {
    # --- events of the ecommerce preset (埋点事件) ---
    "event.visit": {"zh": "访问", "en": "Visit"},
    "event.view": {"zh": "浏览商品", "en": "View item"},
    "event.cart": {"zh": "加购", "en": "Add to cart"},
    "event.checkout": {"zh": "下单", "en": "Checkout"},
    "event.purchase": {"zh": "支付", "en": "Purchase"},
    "event.share": {"zh": "分享", "en": "Share"},
    "event.invite": {"zh": "邀请好友", "en": "Invite"},
    "event.sign_in": {"zh": "签到", "en": "Daily sign-in"},
    "event.coupon_claim": {"zh": "领券", "en": "Claim coupon"},
    "event.points_redeem": {"zh": "积分兑换", "en": "Redeem points"},
    "event.slot_impression": {"zh": "资源位曝光", "en": "Slot impression"},
    "event.slot_click": {"zh": "资源位点击", "en": "Slot click"},
    "event.join_private": {"zh": "添加企微/入群", "en": "Add on WeCom / join group"},
    # --- events of the short_video preset ---
    "event.app_open": {"zh": "打开App", "en": "Open app"},
    "event.watch": {"zh": "观看视频", "en": "Watch"},
    "event.like": {"zh": "点赞", "en": "Like"},
    "event.comment": {"zh": "评论", "en": "Comment"},
    "event.follow": {"zh": "关注", "en": "Follow"},
    "event.member_trial": {"zh": "会员试用", "en": "Membership trial"},
    "event.member_purchase": {"zh": "购买会员", "en": "Buy membership"},
    # --- touchpoints (触点) where a session happens ---
    "touchpoint.app": {"zh": "App", "en": "App"},
    "touchpoint.mini_program": {"zh": "小程序", "en": "Mini-program"},
    "touchpoint.h5": {"zh": "H5页面", "en": "H5 page"},
    "touchpoint.wecom": {"zh": "企业微信", "en": "WeCom"},
    # --- personas (用户画像) planted in the synthetic world ---
    "persona.loyal_vip": {"zh": "高价值忠诚型", "en": "Loyal high-value"},
    "persona.price_sensitive": {"zh": "价格敏感型", "en": "Price-sensitive"},
    "persona.early_adopter": {"zh": "尝鲜型", "en": "Early adopter"},
    "persona.dormant_potential": {"zh": "沉默潜力型", "en": "Dormant potential"},
    "persona.bargain_hunter": {"zh": "羊毛党", "en": "Bargain hunter"},
    "persona.fake": {"zh": "虚假注册", "en": "Fake sign-up"},
    # --- lifecycle stages (用户生命周期) ---
    # "potential" holds users who signed up but never had an event. Practitioners read 潜在用户 as
    # prospects who have not signed up yet (not in the data), so the label says what the stage is.
    "stage.potential": {"zh": "注册未活跃用户", "en": "Signed up, never active"},
    "stage.new": {"zh": "新用户", "en": "New"},
    "stage.active": {"zh": "活跃用户", "en": "Active"},
    "stage.silent": {"zh": "沉默用户", "en": "Silent"},
    "stage.churned": {"zh": "流失用户", "en": "Churned"},
    "stage.returning": {"zh": "回流用户", "en": "Reactivated"},
    # PostHog lifecycle statuses of one period against the previous one. PostHog's "returning"
    # (active in both periods) is not the stage "returning" above (came back after being silent):
    # 持续活跃 vs 回流用户 in Chinese, "Returning" vs "Reactivated" in English.
    "posthog.new": {"zh": "新增", "en": "New"},
    "posthog.returning": {"zh": "持续活跃", "en": "Returning"},
    "posthog.resurrecting": {"zh": "回流", "en": "Resurrecting"},
    "posthog.dormant": {"zh": "本期流失", "en": "Dormant"},
    # --- RFM: Chinese 8-segment scheme (R近/远, F高/低, M高/低) ---
    "rfm.cn8.important_value": {"zh": "重要价值客户", "en": "Important value"},
    "rfm.cn8.important_develop": {"zh": "重要发展客户", "en": "Important to develop"},
    "rfm.cn8.important_keep": {"zh": "重要保持客户", "en": "Important to keep"},
    "rfm.cn8.important_retain": {"zh": "重要挽留客户", "en": "Important to win back"},
    "rfm.cn8.general_value": {"zh": "一般价值客户", "en": "General value"},
    "rfm.cn8.general_develop": {"zh": "一般发展客户", "en": "General to develop"},
    "rfm.cn8.general_keep": {"zh": "一般保持客户", "en": "General to keep"},
    "rfm.cn8.general_retain": {"zh": "一般挽留客户", "en": "General to win back"},
    # --- RFM: English 11-segment scheme, named as Chinese practitioners say them ---
    "rfm.en11.champions": {"zh": "核心客户", "en": "Champions"},
    "rfm.en11.loyal": {"zh": "忠诚客户", "en": "Loyal Customers"},
    "rfm.en11.potential_loyalist": {"zh": "潜在忠诚客户", "en": "Potential Loyalist"},
    "rfm.en11.new": {"zh": "新客户", "en": "New Customers"},
    "rfm.en11.promising": {"zh": "潜力客户", "en": "Promising"},
    "rfm.en11.need_attention": {"zh": "需关注客户", "en": "Need Attention"},
    "rfm.en11.about_to_sleep": {"zh": "即将沉睡客户", "en": "About To Sleep"},
    "rfm.en11.at_risk": {"zh": "有流失风险客户", "en": "At Risk"},
    "rfm.en11.cant_lose": {"zh": "不可流失客户", "en": "Can't Lose Them"},
    "rfm.en11.hibernating": {"zh": "沉睡客户", "en": "Hibernating"},
    "rfm.en11.lost": {"zh": "已流失客户", "en": "Lost"},
    "rfm.en11.others": {"zh": "其他客户", "en": "Others"},
    # --- KPIs (指标): one Chinese term per definition, as the e-commerce dashboards name them ---
    # (销售额 = the paid amounts, the S of the course's S = UV × CVR × P; 客单价 = GMV per buyer;
    # UV价值 = GMV per visitor; 投产比 = revenue / spend, not profit / cost)
    "kpi.uv": {"zh": "访客数UV", "en": "Visitors (UV)"},
    "kpi.dau": {"zh": "日活DAU", "en": "DAU"},
    "kpi.wau": {"zh": "周活WAU", "en": "WAU"},
    "kpi.mau": {"zh": "月活MAU", "en": "MAU"},
    "kpi.stickiness": {"zh": "用户粘性（DAU/MAU）", "en": "Stickiness (DAU/MAU)"},
    "kpi.new_users": {"zh": "新增用户数", "en": "New users"},
    "kpi.buyers": {"zh": "购买人数", "en": "Buyers"},
    "kpi.orders": {"zh": "订单数", "en": "Orders"},
    "kpi.gmv": {"zh": "销售额GMV", "en": "GMV"},
    "kpi.cvr": {"zh": "支付转化率", "en": "Conversion rate"},
    "kpi.arpu": {"zh": "UV价值（ARPU）", "en": "ARPU"},
    "kpi.arppu": {"zh": "客单价ARPPU", "en": "ARPPU"},
    "kpi.repeat_rate": {"zh": "复购率", "en": "Repeat-purchase rate"},
    "kpi.retention": {"zh": "留存率", "en": "Retention"},
    "kpi.cac": {"zh": "获客成本CAC", "en": "CAC"},
    "kpi.roi": {"zh": "投产比ROI", "en": "ROI"},
    # AARRR
    "aarrr.acquisition": {"zh": "获取", "en": "Acquisition"},
    "aarrr.activation": {"zh": "激活", "en": "Activation"},
    "aarrr.retention": {"zh": "留存", "en": "Retention"},
    "aarrr.revenue": {"zh": "变现", "en": "Revenue"},
    "aarrr.referral": {"zh": "推荐", "en": "Referral"},
}
