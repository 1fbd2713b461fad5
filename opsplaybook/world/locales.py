"""Locale data for the synthetic world: cities and tiers, occupations, genders, platforms, levels.

Only *data* lives here (as Faker keeps per-locale data apart from its providers' logic). Person names
come from Faker's own locale providers (see ``generator._name_pools``). Each entry is ``(zh_CN, en_US)``.
"""
from __future__ import annotations

LOCALES = ("zh_CN", "en_US")

# City tiers follow the common 第一财经·新一线城市研究所 grouping (一线 / 新一线 / 二线 / 三线及以下).
# Weights are rough shares of online shoppers within a tier (bigger cities weigh more).
CITY_TIERS = {
    "tier1": {
        "label": ("一线", "tier 1"),
        "cities": [("北京", "Beijing", 3), ("上海", "Shanghai", 3), ("广州", "Guangzhou", 2), ("深圳", "Shenzhen", 2)],
    },
    "new_tier1": {
        "label": ("新一线", "new tier 1"),
        "cities": [
            ("成都", "Chengdu", 3), ("杭州", "Hangzhou", 3), ("重庆", "Chongqing", 3), ("武汉", "Wuhan", 2),
            ("苏州", "Suzhou", 2), ("西安", "Xi'an", 2), ("南京", "Nanjing", 2), ("长沙", "Changsha", 2),
            ("天津", "Tianjin", 2), ("郑州", "Zhengzhou", 2), ("东莞", "Dongguan", 1), ("青岛", "Qingdao", 1),
            ("昆明", "Kunming", 1), ("宁波", "Ningbo", 1), ("合肥", "Hefei", 1),
        ],
    },
    "tier2": {
        "label": ("二线", "tier 2"),
        "cities": [
            ("厦门", "Xiamen", 2), ("福州", "Fuzhou", 2), ("济南", "Jinan", 2), ("大连", "Dalian", 2),
            ("沈阳", "Shenyang", 2), ("无锡", "Wuxi", 1), ("哈尔滨", "Harbin", 1), ("长春", "Changchun", 1),
            ("南宁", "Nanning", 1), ("贵阳", "Guiyang", 1), ("南昌", "Nanchang", 1), ("石家庄", "Shijiazhuang", 1),
        ],
    },
    "tier3_below": {
        "label": ("三线及以下", "tier 3+"),
        "cities": [
            ("洛阳", "Luoyang", 1), ("襄阳", "Xiangyang", 1), ("赣州", "Ganzhou", 1), ("桂林", "Guilin", 1),
            ("绵阳", "Mianyang", 1), ("湛江", "Zhanjiang", 1), ("宜昌", "Yichang", 1), ("遵义", "Zunyi", 1),
            ("商丘", "Shangqiu", 1), ("菏泽", "Heze", 1), ("曲靖", "Qujing", 1), ("九江", "Jiujiang", 1),
        ],
    },
}

GENDERS = {"female": ("女", "female"), "male": ("男", "male")}

# (key, zh, en, typical age range) — the generator only draws students under 24, retirees over 55.
OCCUPATIONS = [
    ("student", "学生", "student", (16, 24)),
    ("office", "公司职员", "office worker", (22, 55)),
    ("it", "IT/互联网从业者", "IT professional", (22, 45)),
    ("civil", "公务员/事业单位", "civil servant", (24, 58)),
    ("teacher", "教师", "teacher", (24, 58)),
    ("medical", "医护人员", "medical staff", (24, 58)),
    ("self", "个体经营者", "self-employed", (25, 60)),
    ("freelance", "自由职业者", "freelancer", (20, 50)),
    ("worker", "工人/服务业", "worker/service", (18, 58)),
    ("homemaker", "全职家庭", "homemaker", (25, 55)),
    ("retired", "退休", "retired", (55, 70)),
]

PLATFORMS = {"ios": ("iOS", "iOS"), "android": ("Android", "Android"), "mini_program": ("小程序", "Mini-program"), "h5": ("H5", "H5")}
# Where a session of a user on that platform happens (touchpoint).
PLATFORM_TOUCHPOINT = {"ios": "app", "android": "app", "mini_program": "mini_program", "h5": "h5"}
TOUCHPOINTS = ("app", "mini_program", "h5", "wecom")

# 会员等级 by points earned (1 point per yuan paid, 10 per daily sign-in).
MEMBER_LEVELS = [
    ("entry", ("入门", "entry"), 0),
    ("junior", ("初级", "junior"), 1000),
    ("intermediate", ("中级", "intermediate"), 5000),
    ("senior", ("高级", "senior"), 20000),
]


def pick(pair: tuple[str, str], locale: str) -> str:
    """The zh_CN or en_US member of a ``(zh, en)`` pair."""
    return pair[0] if locale == "zh_CN" else pair[1]
