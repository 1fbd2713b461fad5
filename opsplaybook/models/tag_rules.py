"""The default tag rule set (默认标签体系) for :func:`~opsplaybook.models.tags.tag_users`, as data.

Each tag has a ``rule`` (the operators of :mod:`opsplaybook.models.tags`), a ``label`` in zh/en, a
``why`` (the rationale: what the tag means for operations and why this threshold) and a
``strategy``. The thresholds are parameters of :func:`default_tag_rules`, so a trainer can move
them live (the tag-rule editor widget) and a team can export the set to YAML, edit it and load it
back.

>>> import pandas as pd
>>> f = pd.DataFrame({"user_id": [1, 2, 3], "monetary": [5000.0, 40.0, 0.0], "frequency": [9, 2, 0],
...     "aov": [555.0, 20.0, None], "coupon_share": [0.0, 1.0, None], "promo_share": [0.1, 0.0, None],
...     "night_share": [0.1, 0.2, 1.0], "events": [400, 50, 1], "sessions": [80, 9, 1],
...     "active_days": [60, 8, 1], "days_since_active": [1, 5, 200], "tenure_days": [300, 40, 200]})
>>> from opsplaybook.models.tags import tag_users
>>> tag_users(f, DEFAULT_TAG_RULES, lang="en").long.groupby("user_id")["tag"].apply(list).to_dict()
{1: ['high_value'], 2: ['price_sensitive', 'suspected_bargain_hunter'], 3: ['dormant', 'suspected_bargain_hunter']}
"""
from __future__ import annotations

import copy

from .._files import write_text_atomic
from ..errors import InvalidParameterError

__all__ = ["DEFAULT_TAG_RULES", "default_tag_rules", "tag_rules_yaml", "TAG_RULE_THRESHOLDS"]

#: The adjustable thresholds of the default set and their defaults (the editor's sliders).
TAG_RULE_THRESHOLDS = {
    "high_value_top": 0.05,       # 高价值: top share of users by monetary
    "price_coupon_share": 0.6,    # 价格敏感: share of orders with a coupon
    "night_share": 0.4,           # 夜猫子: share of events at night
    "night_min_events": 20,       # 夜猫子: enough events to judge habits
    "new_days": 30,               # 新客: days since sign-up
    "dormant_days": 90,           # 沉睡: days without any event
    "potential_active_days": 10,  # 高潜力: active days without (much) buying
    "potential_recent_days": 30,  # 高潜力: seen recently
    "bargain_coupon_share": 0.9,  # 疑似羊毛党: almost every order with a coupon …
    "bargain_aov": 100.0,         # … and small baskets
}


def default_tag_rules(**thresholds) -> dict:
    """The default rule set, with thresholds changed by keyword (see :data:`TAG_RULE_THRESHOLDS`).

    Parameters
    ----------
    **thresholds
        Any of :data:`TAG_RULE_THRESHOLDS` (e.g. ``high_value_top=0.1``).

    Returns
    -------
    dict
        ``{tag: {"rule": ..., "label": {"zh", "en"}, "why": {"zh", "en"}, "strategy": {"zh", "en"}}}``
        for ``high_value`` (高价值), ``price_sensitive`` (价格敏感), ``night_owl`` (夜猫子), ``new``
        (新客), ``dormant`` (沉睡), ``high_potential`` (高潜力), ``suspected_bargain_hunter``
        (疑似羊毛党). A fresh copy each call: edit it freely.

    Examples
    --------
    >>> default_tag_rules(high_value_top=0.1)["high_value"]["rule"]
    {'monetary': {'top': 0.1}}
    """
    unknown = sorted(set(thresholds) - set(TAG_RULE_THRESHOLDS))
    if unknown:
        from ..errors import did_you_mean

        raise InvalidParameterError(f"Unknown threshold {unknown[0]!r} for default_tag_rules. "
                                    f"Allowed: {list(TAG_RULE_THRESHOLDS)}." + did_you_mean(unknown[0], TAG_RULE_THRESHOLDS))
    t = {**TAG_RULE_THRESHOLDS, **thresholds}
    for name, v in t.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise InvalidParameterError(f"Threshold `{name}`={v!r} must be a number (default {TAG_RULE_THRESHOLDS[name]}).")
    return copy.deepcopy({
        "high_value": {
            "rule": {"monetary": {"top": t["high_value_top"]}},
            "label": {"zh": "高价值", "en": "High value"},
            "why": {"zh": f"消费金额排名前 {t['high_value_top']:.0%} 的用户，贡献了不成比例的收入（二八法则），是存量升级和会员权益的重点。",
                    "en": f"The top {t['high_value_top']:.0%} of users by spend bring a disproportionate share of revenue "
                          "(the 80/20 rule): the core of upgrades and member benefits."},
            "strategy": {"zh": "存量升级：专属服务、会员升级、防流失关怀", "en": "Upgrade: dedicated service, member upgrades, churn care"},
        },
        "price_sensitive": {
            "rule": {"all": [{"coupon_share": {">=": t["price_coupon_share"]}}, {"frequency": {">=": 1}}]},
            "label": {"zh": "价格敏感", "en": "Price-sensitive"},
            "why": {"zh": f"至少一单、且 {t['price_coupon_share']:.0%} 以上的订单用了优惠券：价格是他们下单的主要理由。",
                    "en": f"Buyers who used a coupon on at least {t['price_coupon_share']:.0%} of their orders: price is "
                          "their main reason to buy."},
            "strategy": {"zh": "降低门槛：小额券、拼团、低价入口款", "en": "Lower the barrier: small coupons, group deals, entry products"},
        },
        "night_owl": {
            "rule": {"all": [{"night_share": {">=": t["night_share"]}}, {"events": {">=": t["night_min_events"]}}]},
            "label": {"zh": "夜猫子", "en": "Night owl"},
            "why": {"zh": f"至少 {t['night_min_events']} 次行为、其中 {t['night_share']:.0%} 以上在 22 点到 5 点：推送和直播安排在夜间更容易触达。",
                    "en": f"At least {t['night_min_events']} events, {t['night_share']:.0%} or more of them between 22:00 "
                          "and 05:00: reach them with night-time pushes and live streams. The minimum keeps one-off "
                          "visitors out."},
            "strategy": {"zh": "触点时机：夜间推送、夜场活动", "en": "Timing: night pushes, late-night events"},
        },
        "new": {
            "rule": {"tenure_days": {"<=": t["new_days"]}},
            "label": {"zh": "新客", "en": "New"},
            "why": {"zh": f"注册不超过 {t['new_days']} 天：处在激活和首单的关键期。",
                    "en": f"Signed up at most {t['new_days']} days ago: the window for activation and the first order."},
            "strategy": {"zh": "新手引导、首单礼", "en": "Onboarding, first-order gift"},
        },
        "dormant": {
            "rule": {"all": [{"days_since_active": {">=": t["dormant_days"]}}, {"not": {"tag": "new"}}]},
            "label": {"zh": "沉睡", "en": "Dormant"},
            "why": {"zh": f"{t['dormant_days']} 天以上没有任何行为（新客除外）：再不唤醒就会流失。",
                    "en": f"No activity for {t['dormant_days']} days or more (new users excepted): wake them or lose them."},
            "strategy": {"zh": "唤醒：召回券、内容推送", "en": "Win back: recall coupons, content pushes"},
        },
        "high_potential": {
            "rule": {"all": [{"active_days": {">=": t["potential_active_days"]}}, {"frequency": {"<=": 1}},
                             {"days_since_active": {"<=": t["potential_recent_days"]}}]},
            "label": {"zh": "高潜力", "en": "High potential"},
            "why": {"zh": f"活跃 {t['potential_active_days']} 天以上、最近 {t['potential_recent_days']} 天内还来过，却最多只买过一次：需求在，缺的是转化。",
                    "en": f"Active on {t['potential_active_days']}+ days and seen in the last {t['potential_recent_days']} "
                          "days, yet at most one order: the interest is there, conversion is missing."},
            "strategy": {"zh": "促进消费：个性化推荐、限时优惠", "en": "Promote consumption: recommendations, limited offers"},
        },
        "suspected_bargain_hunter": {
            "rule": {"any": [
                {"all": [{"coupon_share": {">=": t["bargain_coupon_share"]}}, {"aov": {"<=": t["bargain_aov"]}}]},
                {"all": [{"frequency": {"==": 0}}, {"sessions": {"<=": 1}}, {"night_share": {">=": 0.99}}]},
            ]},
            "label": {"zh": "疑似羊毛党", "en": "Suspected bargain hunter"},
            "why": {"zh": f"几乎每单都用券（≥{t['bargain_coupon_share']:.0%}）且笔单价不超过 {t['bargain_aov']:g}，"
                          "或注册当晚只来过一次、从未下单：薅羊毛或虚假注册的典型痕迹。只凭行为会误伤部分真实用户，"
                          "请结合设备和渠道信号（fraud_signals）复核。",
                    "en": f"Coupons on almost every order (≥{t['bargain_coupon_share']:.0%}) with baskets of at most "
                          f"{t['bargain_aov']:g}, or a single night-time session at sign-up and never an order: the "
                          "traces of coupon farming and fake sign-ups. Behaviour alone also catches some real users; "
                          "confirm with device and channel signals (fraud_signals)."},
            "strategy": {"zh": "排除出活动名单、复核", "en": "Exclude from campaigns, review"},
        },
    })


#: The default rule set (thresholds of :data:`TAG_RULE_THRESHOLDS`); use :func:`default_tag_rules` for a copy to edit.
DEFAULT_TAG_RULES = default_tag_rules()


def tag_rules_yaml(rules=None, *, path=None, force: bool = False) -> str:
    """The rule set as YAML text for a team to edit (and :func:`tag_users` to read back).

    Parameters
    ----------
    rules : dict, optional
        A rule set; default :data:`DEFAULT_TAG_RULES`.
    path : str or Path, optional
        Also write the text there (atomically: a temporary file in the same folder, then moved).
    force : bool, default False
        Replace an existing file at ``path``.

    Returns
    -------
    str
        The YAML (UTF-8, Chinese kept readable, under a top-level ``tags:``).

    Examples
    --------
    >>> from opsplaybook.models.tags import load_tag_rules
    >>> text = tag_rules_yaml()
    >>> text.splitlines()[:4]
    ['tags:', '  high_value:', '    rule:', '      monetary:']
    """
    import yaml

    rules = DEFAULT_TAG_RULES if rules is None else rules
    if not isinstance(rules, dict):
        raise InvalidParameterError(f"`rules` must be a dict of tags, got {type(rules).__name__}.")
    text = yaml.safe_dump({"tags": rules}, allow_unicode=True, sort_keys=False, width=100)
    if path is not None:
        write_text_atomic(path, text, force=force, exists_message=f"{path} already exists; pass `force=True` to "
                          "replace it or choose another `path`.")
    return text
