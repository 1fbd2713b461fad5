"""Presets: what kind of company the world is — data only, one generator.

A preset names its acquisition channels (with per-persona affinity and cost), the in-session
funnel of events, the extra events, home-page resource slots, product/content categories, the aha
moment, KANO features, the priced product, the A/B test and the reactivation campaign. A new preset
is a new entry in :data:`PRESETS` (copy one and edit the numbers); the generator is not touched.

Labels are ``(zh_CN, en_US)`` pairs. Channel persona weights are relative and are normalised per
persona by the generator; personas are the keys of :data:`opsplaybook.world.personas.PERSONAS`.
"""
from __future__ import annotations

P = ("loyal_vip", "price_sensitive", "early_adopter", "dormant_potential", "bargain_hunter", "fake")


def _w(*weights: float) -> dict[str, float]:
    """Per-persona weights in the order of ``P``."""
    return dict(zip(P, weights))


# Acquisition channels. cpi = cost per install (yuan); hazard = multiplier on churn hazard
# (channel quality); fraud = the channel's sign-ups are fake (bursts, shared devices).
ECOMMERCE_CHANNELS = [
    dict(key="organic", label=("自然流量", "Organic"), cpi=0.0, hazard=0.85, fraud=False, weights=_w(3, 2, 1.5, 2, 1, 0)),
    dict(key="douyin", label=("抖音信息流", "Douyin feed ads"), cpi=32.0, hazard=1.15, fraud=False, weights=_w(1, 3, 3, 2, 2, 0)),
    dict(key="wechat", label=("微信朋友圈广告", "WeChat Moments ads"), cpi=38.0, hazard=1.0, fraud=False, weights=_w(2, 2, 1, 2.5, 1, 0)),
    dict(key="xiaohongshu", label=("小红书种草", "Xiaohongshu KOL"), cpi=45.0, hazard=0.85, fraud=False, weights=_w(2.5, 1, 3, 1, 0.5, 0)),
    dict(key="baidu", label=("百度搜索", "Baidu search"), cpi=30.0, hazard=1.0, fraud=False, weights=_w(1.5, 1.5, 0.5, 2, 0.5, 0)),
    dict(key="referral", label=("老带新", "Referral"), cpi=15.0, hazard=0.8, fraud=False, weights=_w(1.5, 1.5, 1.5, 1, 3, 0)),
    dict(key="appstore", label=("应用商店", "App stores"), cpi=24.0, hazard=1.1, fraud=False, weights=_w(1, 1.5, 1.5, 1.5, 1, 0)),
    dict(key="ad_network", label=("联盟广告", "Ad network"), cpi=6.0, hazard=1.0, fraud=True, weights=_w(0, 0, 0, 0, 0, 1)),
]

HOME_SLOTS = [  # home-page resource slots (首页资源位), top to bottom; ctr = click-through at position 1
    dict(key="banner", label=("首页轮播图", "Home banner"), ctr=0.09),
    dict(key="flash_sale", label=("限时秒杀", "Flash sale"), ctr=0.11),
    dict(key="newcomer", label=("新人专区", "Newcomer zone"), ctr=0.06),
    dict(key="for_you", label=("猜你喜欢", "For you"), ctr=0.08),
    dict(key="live", label=("直播入口", "Live shopping"), ctr=0.05),
]

PRESETS: dict[str, dict] = {
    "ecommerce": dict(
        label=("电商平台", "E-commerce platform"),
        channels=ECOMMERCE_CHANNELS,
        # The session funnel: each step after the first happens with probability p given the previous
        # one, × the persona's `trait` multiplier (default `buy` from the third step on). `new_user`:
        # × this in the user's first 7 days (new-user benefits). `repeat`: the step can be repeated
        # (1 + Poisson(persona depth)); `item`: the step picks an item; `value`: it is paid.
        steps=[
            dict(event="visit"),
            dict(event="view", p=0.50, trait="browse", repeat=True, item=True),
            dict(event="cart", p=0.12, new_user=2.1),
            dict(event="checkout", p=0.27),
            dict(event="purchase", p=0.90, value=True),
        ],
        # Extra events: per-session probability `rate` × the persona's `trait` multiplier, at the
        # session's start or end. `once`: at most once per user (joining the private domain).
        extras=[
            dict(event="sign_in", rate=0.20, trait="loyalty", at="start"),
            dict(event="coupon_claim", rate=0.06, trait="deal", at="start"),
            dict(event="share", rate=0.03, trait="social", at="end"),
            dict(event="invite", rate=0.012, trait="social", at="end"),
            dict(event="points_redeem", rate=0.015, trait="loyalty", at="end"),
            dict(event="join_private", rate=0.25, trait="loyalty", at="end", once=True),
        ],
        slots=dict(slots=HOME_SLOTS, home_share=0.4, position_decay=0.75),
        # (key, labels, weight, median order value in yuan)
        categories=[
            ("apparel", ("服饰鞋包", "Apparel"), 0.22, 160.0),
            ("beauty", ("美妆个护", "Beauty"), 0.16, 140.0),
            ("food", ("食品生鲜", "Food & fresh"), 0.20, 70.0),
            ("home", ("家居日用", "Home"), 0.14, 90.0),
            ("digital", ("数码家电", "Electronics"), 0.10, 520.0),
            ("mother_baby", ("母婴用品", "Mother & baby"), 0.08, 180.0),
            ("sports", ("运动户外", "Sports"), 0.06, 210.0),
            ("books", ("图书文娱", "Books & media"), 0.04, 60.0),
        ],
        bounce_intent=0.5,  # multiplier on the second step (view / watch) in a one-and-done user's sessions
        value_sigma=0.55,  # lognormal sd of order value around the category median × persona spend
        # Aha moment (顿悟时刻): users with >= threshold of `event` in their first `days` days have
        # churn hazard × below; the others × above.
        aha=dict(event="sign_in", threshold=3, days=7, below=2.0, above=0.35),
        kano=[  # (labels, true category): A attractive, O one-dimensional, M must-be, I indifferent, R reverse
            (("极速退款", "Instant refund"), "M"),
            (("正品保障", "Authenticity guarantee"), "M"),
            (("会员包邮", "Free shipping for members"), "O"),
            (("个性化推荐", "Personalised recommendations"), "O"),
            (("AR虚拟试穿", "AR virtual try-on"), "A"),
            (("积分抽奖", "Points lottery"), "A"),
            (("直播购物", "Live shopping"), "I"),
            (("开屏广告", "Splash-screen ads"), "R"),
        ],
        price=dict(product=("年卡会员", "Annual membership"), reference=199.0, sigma=0.22),
        experiment=dict(name=("新客权益礼包", "New-user benefit pack"), window=(0.25, 0.75), exposure=0.92, lift=0.06, days=14),
        # Sellers (分销员/导购) of the fractal growth model S = N x S_per_seller: per block of 10 000
        # users, `per_chunk` sellers with lognormal(0, sigma) reach serve the users acquired through
        # `channels` and those who join the private domain; `attach` of their orders go through the seller.
        sellers=dict(per_chunk=20, sigma=1.0, channels=("referral",), attach=0.7),
        campaign=dict(name=("双11预热召回", "Singles' Day win-back"), at=0.82),
    ),
    "short_video": dict(
        label=("短视频APP", "Short-video app"),
        channels=[
            dict(key="organic", label=("自然流量", "Organic"), cpi=0.0, hazard=0.85, fraud=False, weights=_w(3, 2, 1.5, 2, 1, 0)),
            dict(key="douyin", label=("抖音信息流", "Douyin feed ads"), cpi=18.0, hazard=1.1, fraud=False, weights=_w(1, 3, 3, 2, 2, 0)),
            dict(key="wechat", label=("微信朋友圈广告", "WeChat Moments ads"), cpi=22.0, hazard=1.0, fraud=False, weights=_w(2, 2, 1, 2.5, 1, 0)),
            dict(key="weibo", label=("微博热搜", "Weibo trending"), cpi=20.0, hazard=1.05, fraud=False, weights=_w(1, 1.5, 3, 1, 1, 0)),
            dict(key="referral", label=("邀请有礼", "Invite rewards"), cpi=8.0, hazard=0.8, fraud=False, weights=_w(1.5, 1.5, 1.5, 1, 3, 0)),
            dict(key="appstore", label=("应用商店", "App stores"), cpi=14.0, hazard=1.1, fraud=False, weights=_w(1, 1.5, 1.5, 1.5, 1, 0)),
            dict(key="ad_network", label=("联盟广告", "Ad network"), cpi=3.0, hazard=1.0, fraud=True, weights=_w(0, 0, 0, 0, 0, 1)),
        ],
        steps=[
            dict(event="app_open"),
            dict(event="watch", p=0.97, repeat=True, item=True),
            dict(event="like", p=0.35),
            dict(event="member_trial", p=0.015),
            dict(event="member_purchase", p=0.30, value=True),
        ],
        # a short-video app is stickier than a shop: fewer one-and-done users, more active days,
        # longer lives (multipliers on the personas' parameters)
        persona_scale=dict(bounce=0.75, activity=1.3, hazard=0.9),
        extras=[
            dict(event="follow", rate=0.10, trait="social", at="end"),
            dict(event="sign_in", rate=0.10, trait="loyalty", at="start"),
            dict(event="comment", rate=0.05, trait="social", at="end"),
            dict(event="share", rate=0.04, trait="social", at="end"),
            dict(event="invite", rate=0.010, trait="social", at="end"),
            dict(event="join_private", rate=0.15, trait="loyalty", at="end", once=True),
        ],
        slots=dict(slots=[
            dict(key="hot_list", label=("热榜", "Trending"), ctr=0.10),
            dict(key="live", label=("直播广场", "Live plaza"), ctr=0.07),
            dict(key="vip_promo", label=("会员特惠", "VIP offer"), ctr=0.04),
        ], home_share=0.5, position_decay=0.7),
        categories=[
            ("funny", ("搞笑", "Comedy"), 0.20, 25.0),
            ("food", ("美食", "Food"), 0.16, 25.0),
            ("travel", ("旅行", "Travel"), 0.10, 25.0),
            ("knowledge", ("知识", "Knowledge"), 0.14, 30.0),
            ("games", ("游戏", "Games"), 0.14, 25.0),
            ("beauty", ("美妆", "Beauty"), 0.10, 25.0),
            ("sports", ("体育", "Sports"), 0.08, 25.0),
            ("pets", ("萌宠", "Pets"), 0.08, 25.0),
        ],
        bounce_intent=1.0,
        value_sigma=0.35,
        aha=dict(event="follow", threshold=5, days=7, below=2.0, above=0.35),
        kano=[
            (("高清画质", "HD playback"), "M"),
            (("无广告播放", "Ad-free playback"), "O"),
            (("离线下载", "Offline download"), "O"),
            (("AI剪辑模板", "AI editing templates"), "A"),
            (("互动弹幕", "Live danmaku"), "A"),
            (("皮肤主题", "Theme skins"), "I"),
            (("强制关注推荐", "Forced follow suggestions"), "R"),
        ],
        price=dict(product=("年度会员", "Annual VIP"), reference=168.0, sigma=0.22),
        experiment=dict(name=("新人会员体验卡", "New-user VIP trial"), window=(0.25, 0.75), exposure=0.92, lift=0.05, days=14),
        campaign=dict(name=("春节回流活动", "Spring Festival win-back"), at=0.82),
    ),
}
