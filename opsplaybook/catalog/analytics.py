"""Labels of the analytics owned by rfm.py, kpis.py and aarrr.py: RFM strategy texts, revenue-driver
factors and AARRR metric names.

Segment *names* live in :mod:`opsplaybook.catalog.core` (``rfm.cn8.*``, ``rfm.en11.*``); this module
holds what to *do* with each segment. The strategy texts follow the usual playbook of the RFM
literature (Hughes 1994; the rsquaredacademy ``rfm`` vignette's action column; common Chinese
operations handbooks): keep the valuable, develop the promising, win back the lapsing.
"""

LABELS = {
    # --- RFM strategy table: the goal of each segment (保持 / 发展 / 挽回 / 放弃) ---
    "rfm_goal.retain": {"zh": "保持", "en": "Retain"},
    "rfm_goal.develop": {"zh": "发展", "en": "Develop"},
    "rfm_goal.win_back": {"zh": "挽回", "en": "Win back"},
    "rfm_goal.low_cost": {"zh": "低成本维护", "en": "Low-cost upkeep"},
    # column headers of rfm_strategy()
    "rfm_strategy.col.segment": {"zh": "客户分层", "en": "Segment"},
    "rfm_strategy.col.rule": {"zh": "分层规则", "en": "Rule"},
    "rfm_strategy.col.who": {"zh": "客户特征", "en": "Who they are"},
    "rfm_strategy.col.goal": {"zh": "运营目标", "en": "Goal"},
    "rfm_strategy.col.action": {"zh": "运营策略", "en": "What to do"},
    # --- cn8: rule, who, action ---
    "rfm_strategy.cn8.important_value.rule": {"zh": "R近 F高 M高", "en": "recent, frequent, high spend"},
    "rfm_strategy.cn8.important_value.who": {
        "zh": "最近买过、常买、花得多：利润的主要来源",
        "en": "Bought recently, often and a lot: the core of the profit",
    },
    "rfm_strategy.cn8.important_value.action": {
        "zh": "VIP 专属服务与权益、新品优先体验、邀请加入私域社群；避免打扰式促销",
        "en": "VIP service and perks, early access to new products, invite to the private community; avoid spammy discounts",
    },
    "rfm_strategy.cn8.important_develop.rule": {"zh": "R近 F低 M高", "en": "recent, infrequent, high spend"},
    "rfm_strategy.cn8.important_develop.who": {
        "zh": "最近买过、花得多，但买得少：有潜力成为重要价值客户",
        "en": "Recent big spenders who buy rarely: could become the most valuable",
    },
    "rfm_strategy.cn8.important_develop.action": {
        "zh": "提高购买频次：会员积分、复购券、关联推荐、订阅/定期购",
        "en": "Raise purchase frequency: points, repeat-purchase coupons, cross-selling, subscriptions",
    },
    "rfm_strategy.cn8.important_keep.rule": {"zh": "R远 F高 M高", "en": "lapsing, frequent, high spend"},
    "rfm_strategy.cn8.important_keep.who": {
        "zh": "过去常买、花得多，但最近没来：高价值客户正在流失",
        "en": "Frequent big spenders who have not come back lately: valuable customers slipping away",
    },
    "rfm_strategy.cn8.important_keep.action": {
        "zh": "主动触达：专属客服回访、个性化召回短信/企微消息、老客专享福利",
        "en": "Reach out personally: account-manager call, personalised recall message, returning-customer perks",
    },
    "rfm_strategy.cn8.important_retain.rule": {"zh": "R远 F低 M高", "en": "lapsing, infrequent, high spend"},
    "rfm_strategy.cn8.important_retain.who": {
        "zh": "花得多但买得少、又很久没来：快要流失的高消费客户",
        "en": "High spenders who bought rarely and long ago: about to be lost",
    },
    "rfm_strategy.cn8.important_retain.action": {
        "zh": "重点挽回：了解流失原因（调研/回访）、大额召回券、推荐其曾买品类的新品",
        "en": "Win back: ask why they left, a strong recall coupon, new items in the categories they bought",
    },
    "rfm_strategy.cn8.general_value.rule": {"zh": "R近 F高 M低", "en": "recent, frequent, low spend"},
    "rfm_strategy.cn8.general_value.who": {
        "zh": "常来常买但每单金额小：忠诚的小额客户",
        "en": "Loyal, frequent buyers of small baskets",
    },
    "rfm_strategy.cn8.general_value.action": {
        "zh": "提高每单金额（笔单价）：满减、组合套餐、升级推荐、会员等级激励",
        "en": "Raise basket size: spend-more-save-more, bundles, upselling, tier incentives",
    },
    "rfm_strategy.cn8.general_develop.rule": {"zh": "R近 F低 M低", "en": "recent, infrequent, low spend"},
    "rfm_strategy.cn8.general_develop.who": {
        "zh": "最近才买、买得少、花得少：多为新客",
        "en": "Recent, few and small purchases: mostly new customers",
    },
    "rfm_strategy.cn8.general_develop.action": {
        "zh": "新客培育：新人礼包、首单后复购券、引导签到与加入私域",
        "en": "Onboard: welcome pack, second-order coupon, nudge to sign in daily and join the community",
    },
    "rfm_strategy.cn8.general_keep.rule": {"zh": "R远 F高 M低", "en": "lapsing, frequent, low spend"},
    "rfm_strategy.cn8.general_keep.who": {
        "zh": "过去常买小额，最近没来：可能被竞品吸引",
        "en": "Used to buy small baskets often, quiet lately: maybe lured away",
    },
    "rfm_strategy.cn8.general_keep.action": {
        "zh": "低成本唤醒：推送、短信、积分到期提醒、限时小额优惠",
        "en": "Cheap reactivation: push, SMS, points-expiry reminders, small time-limited offers",
    },
    "rfm_strategy.cn8.general_retain.rule": {"zh": "R远 F低 M低", "en": "lapsing, infrequent, low spend"},
    "rfm_strategy.cn8.general_retain.who": {
        "zh": "很久没来、买得少、花得少：价值最低的客户",
        "en": "Long gone, few and small purchases: the least valuable",
    },
    "rfm_strategy.cn8.general_retain.action": {
        "zh": "控制成本：只做批量低成本触达（大促通知），不投入高成本资源",
        "en": "Keep costs down: only cheap bulk messages (big sales), no expensive resources",
    },
    # --- en11: rule, who, action (after the rsquaredacademy rfm vignette's segment table) ---
    "rfm_strategy.en11.champions.rule": {"zh": "R4-5 F4-5 M4-5", "en": "R4-5 F4-5 M4-5"},
    "rfm_strategy.en11.champions.who": {
        "zh": "最近买过、常买、花得最多", "en": "Bought recently, buy often and spend the most",
    },
    "rfm_strategy.en11.champions.action": {
        "zh": "奖励他们；新品首发；请他们做口碑推荐", "en": "Reward them; early adopters of new products; ask them to promote the brand",
    },
    "rfm_strategy.en11.loyal.rule": {"zh": "R2-5 F3-5 M3-5", "en": "R2-5 F3-5 M3-5"},
    "rfm_strategy.en11.loyal.who": {
        "zh": "花得不少、经常购买，对促销敏感", "en": "Spend good money and buy often; respond to promotions",
    },
    "rfm_strategy.en11.loyal.action": {
        "zh": "升级销售更高价值商品；邀请评价；会员计划", "en": "Upsell higher-value products; ask for reviews; loyalty programme",
    },
    "rfm_strategy.en11.potential_loyalist.rule": {"zh": "R3-5 F1-3 M1-3", "en": "R3-5 F1-3 M1-3"},
    "rfm_strategy.en11.potential_loyalist.who": {
        "zh": "最近的客户，买过不止一次、花费中等", "en": "Recent customers who spent a good amount and bought more than once",
    },
    "rfm_strategy.en11.potential_loyalist.action": {
        "zh": "提供会员/积分计划，推荐其他商品", "en": "Offer membership or loyalty programme, recommend other products",
    },
    "rfm_strategy.en11.new.rule": {"zh": "R4-5 F≤1 M≤1", "en": "R4-5 F≤1 M≤1"},
    "rfm_strategy.en11.new.who": {"zh": "最近才第一次购买", "en": "Bought most recently, but not often"},
    "rfm_strategy.en11.new.action": {
        "zh": "新客引导与支持，尽早建立关系", "en": "Provide onboarding support, give them early success, start building a relationship",
    },
    "rfm_strategy.en11.promising.rule": {"zh": "R3-4 F≤1 M≤1", "en": "R3-4 F≤1 M≤1"},
    "rfm_strategy.en11.promising.who": {"zh": "最近买过但花得不多", "en": "Recent shoppers who have not spent much"},
    "rfm_strategy.en11.promising.action": {
        "zh": "建立品牌认知，提供免费试用", "en": "Create brand awareness, offer free trials",
    },
    "rfm_strategy.en11.need_attention.rule": {"zh": "R2-3 F2-3 M2-3", "en": "R2-3 F2-3 M2-3"},
    "rfm_strategy.en11.need_attention.who": {
        "zh": "各项都在平均水平，最近不太活跃", "en": "Above-average recency, frequency and spend; may not have bought very recently",
    },
    "rfm_strategy.en11.need_attention.action": {
        "zh": "限时优惠；基于购买历史的推荐；再激活", "en": "Limited-time offers; recommend based on past purchases; reactivate them",
    },
    "rfm_strategy.en11.about_to_sleep.rule": {"zh": "R2-3 F≤2 M≤2", "en": "R2-3 F≤2 M≤2"},
    "rfm_strategy.en11.about_to_sleep.who": {
        "zh": "近度、频次、金额都低于平均，快要沉睡", "en": "Below-average recency, frequency and spend; will be lost if not reactivated",
    },
    "rfm_strategy.en11.about_to_sleep.action": {
        "zh": "分享有价值的内容，推荐热门商品，重新建立联系", "en": "Share valuable resources, recommend popular products, reconnect",
    },
    "rfm_strategy.en11.at_risk.rule": {"zh": "R≤2 F2-5 M2-5", "en": "R≤2 F2-5 M2-5"},
    "rfm_strategy.en11.at_risk.who": {
        "zh": "曾经花得多、买得多，但很久没来", "en": "Spent big and bought often, but long ago",
    },
    "rfm_strategy.en11.at_risk.action": {
        "zh": "个性化召回邮件/消息，提供有吸引力的资源", "en": "Send personalised messages to reconnect, offer renewals and helpful resources",
    },
    "rfm_strategy.en11.cant_lose.rule": {"zh": "R≤1 F4-5 M4-5", "en": "R≤1 F4-5 M4-5"},
    "rfm_strategy.en11.cant_lose.who": {
        "zh": "曾经买得最多最频繁，但很久没来", "en": "Made the biggest and most frequent purchases, but have not come back for a long time",
    },
    "rfm_strategy.en11.cant_lose.action": {
        "zh": "用新品或续费把他们赢回来，别让他们去竞品；主动沟通", "en": "Win them back with renewals or newer products, do not lose them to the competition, talk to them",
    },
    "rfm_strategy.en11.hibernating.rule": {"zh": "R1-2 F1-2 M1-2", "en": "R1-2 F1-2 M1-2"},
    "rfm_strategy.en11.hibernating.who": {
        "zh": "最后一次购买很久以前，花得少、次数少", "en": "Last purchase long ago, low spend and few orders",
    },
    "rfm_strategy.en11.hibernating.action": {
        "zh": "推荐相关商品和特价，重建价值认知", "en": "Offer other relevant products and special discounts, recreate brand value",
    },
    "rfm_strategy.en11.lost.rule": {"zh": "R≤2 F≤2 M≤2", "en": "R≤2 F≤2 M≤2"},
    "rfm_strategy.en11.lost.who": {"zh": "近度、频次、金额都最低", "en": "Lowest recency, frequency and monetary scores"},
    "rfm_strategy.en11.lost.action": {
        "zh": "用触达活动唤醒兴趣，否则忽略", "en": "Revive interest with a reach-out campaign, ignore otherwise",
    },
    "rfm_strategy.en11.others.rule": {"zh": "不满足以上任何规则", "en": "matches no rule"},
    "rfm_strategy.en11.others.who": {"zh": "不属于任何规则的客户", "en": "Customers no rule matches"},
    "rfm_strategy.en11.others.action": {
        "zh": "按所在维度的高低单独制定策略", "en": "Decide case by case from their R, F and M scores",
    },
    # --- revenue drivers: GMV = UV x CVR x P (销售额 = 访客数 x 支付转化率 x 客单价, the course's
    # "S（销售额）= UV × CVR × P") ---
    "driver.uv": {"zh": "访客数UV", "en": "Visitors (UV)"},
    "driver.cvr": {"zh": "支付转化率CVR", "en": "Conversion rate (CVR)"},
    "driver.p": {"zh": "客单价P", "en": "Revenue per buyer (P)"},
    "driver.gmv": {"zh": "销售额GMV", "en": "GMV"},
    # --- AARRR metrics (one row each in aarrr()) ---
    "aarrr.metric.new_users": {"zh": "新增用户数", "en": "New users"},
    "aarrr.metric.activated_users": {"zh": "激活用户数", "en": "Activated users"},
    "aarrr.metric.activation_rate": {"zh": "激活率", "en": "Activation rate"},
    "aarrr.metric.retention_d1": {"zh": "次日留存率", "en": "Day-1 retention"},
    "aarrr.metric.retention_d7": {"zh": "7日留存率", "en": "Day-7 retention"},
    "aarrr.metric.retention_d30": {"zh": "30日留存率", "en": "Day-30 retention"},
    "aarrr.metric.active_users": {"zh": "活跃用户数", "en": "Active users"},
    "aarrr.metric.buyers": {"zh": "购买人数", "en": "Buyers"},
    "aarrr.metric.paying_rate": {"zh": "付费率", "en": "Paying rate"},
    "aarrr.metric.gmv": {"zh": "销售额GMV", "en": "GMV"},
    "aarrr.metric.arpu": {"zh": "UV价值（ARPU）", "en": "ARPU"},
    "aarrr.metric.arppu": {"zh": "客单价ARPPU", "en": "ARPPU"},
    "aarrr.metric.inviters": {"zh": "邀请人数", "en": "Inviters"},
    "aarrr.metric.invites": {"zh": "邀请次数", "en": "Invites"},
    "aarrr.metric.invites_per_user": {"zh": "人均邀请数", "en": "Invites per active user"},
    "aarrr.metric.referred_users": {"zh": "受邀注册数", "en": "Referred sign-ups"},
    "aarrr.metric.invite_conversion": {"zh": "邀请转化率", "en": "Invite conversion"},
    "aarrr.metric.k_factor": {"zh": "K因子", "en": "K-factor"},
}
