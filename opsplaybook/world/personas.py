"""The personas (用户画像) planted in the synthetic world — data only.

Each persona drives demographics, channel mix (through the preset's channel table), activity,
conversion, spend, price sensitivity, preference weights and churn hazard. The numbers are plausible
orders of magnitude for a Chinese consumer app (reasoning in the comments), not measurements.

Parameters
----------
share         share of registered users
female        share of women
age           (mean, sd) of age in years, clipped to 16–70
tiers         weights of city tiers (tier1, new_tier1, tier2, tier3_below)
platforms     weights of ios, android, mini_program, h5
night         share of sessions in the night profile (22:00–02:00, the 夜猫子 tag)
activity      probability of being active on a given day while not churned
hazard        daily probability of churning (first lifetime is geometric)
bounce        probability of being a one-and-done user (一次性用户): no activity after the sign-up day
              (apart from planted aha days) until a win-back campaign, if ever
sessions      mean number of extra sessions on an active day (Poisson)
depth         mean number of extra item views per session (Poisson)
browse        multiplier on the funnel's second step (view an item / watch) in a session
buy           multiplier on the funnel's continue probabilities after the first view
spend         multiplier on order value
items         mean number of extra items per order (Poisson)
social        multiplier on share / invite / comment / follow rates
deal          multiplier on coupon claims; ``coupon_use`` is the share of orders paid with a coupon
loyalty       multiplier on sign-in, points redemption and joining the private domain (私域)
aha_rate      mean count of the preset's aha event in the first 7 days (Poisson)
return_prob   chance that a churned user comes back after the reactivation campaign (召回活动)
price_ref     multiplier on the price a respondent considers normal (Van Westendorp)
pref          preference weights (功能/效率/效果/成本/风险), summing to 1
ab_base       chance of a first purchase within 14 days without the new-user benefit
"""
from __future__ import annotations

PREF_DIMENSIONS = ("function", "efficiency", "effect", "cost", "risk")

PERSONAS: dict[str, dict] = {
    # 高价值忠诚型: older, tier-1 heavy, buys often and much, rarely churns, ignores coupons.
    "loyal_vip": dict(
        share=0.12, female=0.55, age=(36, 8), tiers=(0.40, 0.35, 0.17, 0.08), platforms=(0.60, 0.30, 0.07, 0.03),
        night=0.10, activity=0.33, hazard=0.004, bounce=0.1, sessions=1.0, depth=3.0, browse=1.4, buy=1.15, spend=2.2, items=1.2,
        social=0.5, deal=0.3, coupon_use=0.15, loyalty=2.2, aha_rate=2.5, return_prob=0.45, price_ref=1.35,
        pref=(0.30, 0.20, 0.30, 0.05, 0.15), ab_base=0.42,
    ),
    # 价格敏感型: the mass market; buys on promotions, uses coupons, lower tiers.
    "price_sensitive": dict(
        share=0.28, female=0.60, age=(33, 10), tiers=(0.12, 0.25, 0.28, 0.35), platforms=(0.25, 0.50, 0.20, 0.05),
        night=0.15, activity=0.33, hazard=0.0095, bounce=0.72, sessions=0.3, depth=4.0, browse=1.2, buy=1.1, spend=0.8, items=0.6,
        social=0.4, deal=2.5, coupon_use=0.60, loyalty=0.5, aha_rate=0.8, return_prob=0.30, price_ref=0.75,
        pref=(0.15, 0.10, 0.15, 0.50, 0.10), ab_base=0.22,
    ),
    # 尝鲜型: young, tier-1/new-tier-1, tries everything early, shares a lot, loses interest fast.
    "early_adopter": dict(
        share=0.18, female=0.50, age=(25, 5), tiers=(0.35, 0.40, 0.17, 0.08), platforms=(0.55, 0.35, 0.07, 0.03),
        night=0.40, activity=0.38, hazard=0.019, bounce=0.68, sessions=0.5, depth=3.5, browse=1.2, buy=1.08, spend=1.2, items=0.5,
        social=4.0, deal=0.6, coupon_use=0.25, loyalty=0.4, aha_rate=1.2, return_prob=0.15, price_ref=1.10,
        pref=(0.40, 0.25, 0.20, 0.05, 0.10), ab_base=0.30,
    ),
    # 沉默潜力型: signs up, browses rarely, could be woken up (high reactivation response).
    "dormant_potential": dict(
        share=0.22, female=0.50, age=(40, 11), tiers=(0.20, 0.30, 0.27, 0.23), platforms=(0.35, 0.45, 0.15, 0.05),
        night=0.10, activity=0.21, hazard=0.026, bounce=0.92, sessions=0.1, depth=2.0, browse=0.6, buy=0.85, spend=1.1, items=0.4,
        social=0.4, deal=0.8, coupon_use=0.30, loyalty=0.6, aha_rate=0.3, return_prob=0.40, price_ref=1.00,
        pref=(0.20, 0.15, 0.20, 0.15, 0.30), ab_base=0.12,
    ),
    # 羊毛党: claims every coupon and new-user benefit, tiny baskets, invites for rewards, churns after.
    "bargain_hunter": dict(
        share=0.16, female=0.45, age=(29, 8), tiers=(0.10, 0.20, 0.30, 0.40), platforms=(0.15, 0.45, 0.35, 0.05),
        night=0.30, activity=0.28, hazard=0.012, bounce=0.72, sessions=0.4, depth=1.5, browse=0.9, buy=1.2, spend=0.35, items=0.2,
        social=2.0, deal=5.0, coupon_use=0.92, loyalty=0.4, aha_rate=0.7, return_prob=0.50, price_ref=0.55,
        pref=(0.10, 0.05, 0.10, 0.65, 0.10), ab_base=0.35,
    ),
    # 虚假注册: accounts made in bursts by the fraudulent channel, on shared devices; almost never seen again.
    "fake": dict(
        share=0.04, female=0.50, age=(27, 4), tiers=(0.25, 0.25, 0.25, 0.25), platforms=(0.0, 0.9, 0.0, 0.1),
        night=0.0, activity=0.01, hazard=0.6, bounce=0.97, sessions=0.0, depth=0.2, browse=0.3, buy=0.05, spend=0.2, items=0.0,
        social=0.0, deal=0.5, coupon_use=0.5, loyalty=0.0, aha_rate=0.02, return_prob=0.0, price_ref=1.0,
        pref=(0.2, 0.2, 0.2, 0.2, 0.2), ab_base=0.01,
    ),
}
