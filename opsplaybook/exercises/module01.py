"""Exercises of Module 1 — personas and segmentation (用户画像和用户群细分).

In ``exercises/<lang>/01-...-exercises.ipynb``::

    from opsplaybook.exercises import ____, module01 as ex
    ex.bind(globals())
    ex.q1.check(); ex.q1.hint(); ex.q1.hint(2); ex.q1.solution()

The notebook's set-up cell builds ``features`` (:func:`opsplaybook.user_features` joined with
:func:`opsplaybook.event_mix`), and the cell before question 6 the personas and their cards
(:data:`SETUP`, which the self-test runs before the model solutions).

Every expected value is computed from the world (``ops.load_demo()`` by default) or its planted
truth — from scratch with pandas where the notebook uses a package function (night-time share,
the Pareto head share, the tiers, the adjusted Rand index), so the check is a second opinion —
and every message quotes the world's own numbers. Nothing here is a hard-coded result.
"""
from __future__ import annotations

from collections.abc import Mapping

from .core import Incorrect, Wrong, per_world, text
from .exercise import Exercise
from .kinds import ChartQuestion, ChoiceQuestion, Fact, FrameQuestion, NumberQuestion, OpenQuestion, chart_series

__all__ = ["EXERCISE", "bind", "QUESTIONS", "SETUP", "CUTS", "LEVELS",
           "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]

#: What the notebook computes before the questions (the self-test runs it before the model solutions).
SETUP = ('features = ops.user_features(world).merge(ops.event_mix(world), on="user_id", how="left")\n'
         'personas = ops.find_personas(features)\n'
         'cards = ops.persona_cards(features, personas, lang=LANG)')

#: The member tiers of questions 3 and 4: yearly spend boundaries (yuan) and level names, bottom to top.
CUTS = (500, 2000, 5000)
LEVELS = ("regular", "silver", "gold", "diamond")
NIGHT = (22, 5)           # night time: from 22:00 to 05:00, as user_features' default night_hours
OWL_SHARE, OWL_EVENTS = 0.4, 20
MIN_ORDERS = 3            # find_personas' default: fewer orders → "not enough data yet"
PRICE_COUPON = 0.6        # the 价格敏感 tag: coupons on ≥ 60 % of a buyer's orders


class _Label(Mapping):
    """A catalog label as ``{"en": ..., "zh": ...}``, read when a message is shown (not at import)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __getitem__(self, lang: str) -> str:
        from ..labels import label

        if lang not in ("en", "zh"):
            raise KeyError(lang)
        return label(self.key, lang)

    def __iter__(self):
        return iter(("en", "zh"))

    def __len__(self) -> int:
        return 2


# -- the world's numbers, from scratch (pandas only) ---------------------------------------------
@per_world
def _night(world) -> dict:
    """The 夜猫子 rule by hand: ≥ 40 % of a user's events between 22:00 and 05:00, and ≥ 20 events."""
    ev, users = world.events, world.users["user_id"]
    hour = ev["ts"].dt.hour
    is_night = (hour >= NIGHT[0]) | (hour < NIGHT[1])
    n_events = ev.groupby("user_id").size().reindex(users, fill_value=0)
    n_night = is_night.groupby(ev["user_id"]).sum().reindex(users, fill_value=0)
    share = (n_night / n_events.where(n_events > 0)).fillna(0.0)
    owl = (share >= OWL_SHARE) & (n_events >= OWL_EVENTS)
    n, n_owls = len(users), int(owl.sum())
    n_active = int((n_events >= OWL_EVENTS).sum())
    n_no_min = int((share >= OWL_SHARE).sum())
    return {"n_users": n, "n_owls": n_owls, "share": n_owls / n, "n_active": n_active,
            "share_active": n_owls / n_active if n_active else float("nan"),
            "n_no_min": n_no_min, "share_no_min": n_no_min / n}


def _spend(world):
    """Each user's spend over the year (yuan), 0 for users who never bought, in ``world.users`` order."""
    users = world.users["user_id"]
    return world.orders.groupby("user_id")["amount"].sum().reindex(users, fill_value=0.0)


def _head_share(values, top: float = 0.2) -> float:
    """Share of the total from the largest ``top`` of the values, linear between units (the Lorenz curve)."""
    import numpy as np

    x = np.sort(np.asarray(values, dtype=float))[::-1]
    cum = np.concatenate([[0.0], np.cumsum(x) / x.sum()])
    return float(np.interp(top, np.arange(x.size + 1) / x.size, cum))


@per_world
def _pareto(world) -> dict:
    import numpy as np

    buyers = world.orders.groupby("user_id")["amount"].sum()
    x = np.sort(buyers.to_numpy(dtype=float))          # ascending
    n, total = x.size, x.sum()
    gini = float(2 * np.sum(np.arange(1, n + 1) * x) / (n * total) - (n + 1) / n)
    cum = np.cumsum(x[::-1]) / total                     # from the largest buyer down
    k = int(np.searchsorted(cum, 0.8))                   # buyers needed for 80 % of revenue
    prev = cum[k - 1] if k else 0.0
    head80 = (k + (0.8 - prev) / (cum[k] - prev)) / n
    share = _head_share(x)
    return {"share": share, "pct": share * 100, "n_buyers": n, "n_users": len(world.users), "gini": gini,
            "head80": head80, "tail": 1 - share,
            "share_orders": _head_share(world.orders["amount"]), "n_orders": len(world.orders),
            "share_all_users": _head_share(_spend(world))}


def _level(spend):
    """Level index per user, 0 = regular … 3 = diamond (``cuts[i-1] <= spend < cuts[i]``)."""
    import numpy as np

    return np.searchsorted(np.asarray(CUTS, dtype=float), spend.to_numpy(dtype=float), side="right")


@per_world
def _tiers(world) -> dict:
    import numpy as np
    import pandas as pd

    spend = _spend(world)
    lv = _level(spend)
    names = np.asarray(LEVELS)[lv]
    users = pd.Series(names).value_counts().reindex(LEVELS, fill_value=0)
    value = pd.Series(spend.to_numpy()).groupby(names).sum().reindex(LEVELS, fill_value=0.0)
    od = world.orders
    od_level = pd.Series(np.asarray(LEVELS)[_level(od.groupby("user_id")["amount"].transform("sum"))])
    orders = od_level.value_counts().reindex(LEVELS, fill_value=0)
    order_lv = np.searchsorted(np.asarray(CUTS, dtype=float), od["amount"].to_numpy(dtype=float), side="right")
    top_first = list(LEVELS[::-1])
    table = pd.DataFrame({"tier": top_first, "users": users[top_first].to_numpy(),
                          "value": value[top_first].to_numpy()})
    table["value_share"] = table["value"] / table["value"].sum()
    n_buyers = int((spend > 0).sum())
    return {"table": table, "users": users, "orders": orders, "n_users": len(spend), "n_orders": len(od),
            "n_buyers": n_buyers, "n_gold": int(users["gold"]), "n_gold_up": int(users["gold"] + users["diamond"]),
            "n_gold_orders": int((order_lv == LEVELS.index("gold")).sum()),
            "gold_share": users["gold"] / len(spend), "gold_value_share": float(value["gold"] / value.sum()),
            "top2_share": float((users["gold"] + users["diamond"]) / len(spend)),
            "top2_value_share": float((value["gold"] + value["diamond"]) / value.sum()),
            "n_regular": int(users["regular"]), "n_never": len(spend) - n_buyers,
            "regular_value_share": float(value["regular"] / value.sum())}


@per_world
def _features(world):
    import opsplaybook as ops

    return ops.user_features(world).merge(ops.event_mix(world), on="user_id", how="left")


@per_world
def _tags(world) -> dict:
    """The default tag set's sizes (rule order), and each user counted once under their first tag."""
    import opsplaybook as ops

    tags = ops.tag_users(_features(world), ops.DEFAULT_TAG_RULES)
    first = tags.long.drop_duplicates("user_id")["tag"].value_counts().reindex(tags.wide.columns, fill_value=0)
    sizes = tags.sizes()
    return {"users": sizes["users"].to_numpy(dtype=float), "share": sizes["share"].to_numpy(dtype=float),
            "first": first.to_numpy(dtype=float), "n_users": len(tags.wide),
            "n_tagged": int(tags.long["user_id"].nunique()), "n_pairs": len(tags.long),
            "n_tags": len(sizes),
            "names": [{"key": str(t), "en": _tag_label(t, "en"), "zh": _tag_label(t, "zh")} for t in sizes.index],
            "biggest_en": _tag_label(sizes.index[int(sizes["users"].argmax())], "en"),
            "biggest_zh": _tag_label(sizes.index[int(sizes["users"].argmax())], "zh")}


def _tag_label(tag: str, lang: str) -> str:
    import opsplaybook as ops

    return str(ops.DEFAULT_TAG_RULES.get(tag, {}).get("label", {}).get(lang, tag))


@per_world
def _personas(world):
    import opsplaybook as ops

    return ops.find_personas(_features(world))


def _ari(a, b) -> float:
    """Adjusted Rand index (Hubert & Arabie) from the contingency table, written out."""
    import pandas as pd

    table = pd.crosstab(pd.Series(a, name="a"), pd.Series(b, name="b")).to_numpy(dtype=float)

    def pairs(x):
        return (x * (x - 1) / 2).sum()

    n = table.sum()
    index, rows, cols = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    return float((index - expected) / ((rows + cols) / 2 - expected))


@per_world
def _agreement(world) -> dict:
    f = _features(world)
    planted = world.truth.user_persona.reindex(f["user_id"]).to_numpy()
    found = _personas(world).groups["group"].to_numpy()
    freq = f["frequency"].to_numpy()
    enough, buyers = freq >= MIN_ORDERS, freq >= 1
    more = freq > MIN_ORDERS
    return {"ari": _ari(planted[enough], found[enough]), "ari_all": _ari(planted, found),
            "ari_more": _ari(planted[more], found[more]), "n_more": int(more.sum()),
            "ari_buyers": _ari(planted[buyers], found[buyers]), "n_enough": int(enough.sum()),
            "n_users": len(f), "n_buyers": int(buyers.sum()), "k": _personas(world).k,
            "enough_share": float(enough.mean())}


@per_world
def _price(world) -> dict:
    """The 价格敏感 buyers (coupons on ≥ 60 % of their orders) against the other buyers, from the orders."""
    od = world.orders
    g = od.groupby("user_id")
    per = g["amount"].agg(["sum", "size"])
    per["coupon"] = g["coupon_used"].mean()
    per["aov"] = per["sum"] / per["size"]
    price = per["coupon"] >= PRICE_COUPON
    p, o = per[price], per[~price]
    total = per["sum"].sum()
    n_users = len(world.users)
    return {"n_price": len(p), "price_users_share": len(p) / n_users, "price_buyers_share": len(p) / len(per),
            "price_aov": float(p["aov"].mean()), "others_aov": float(o["aov"].mean()),
            "price_coupon": float(p["coupon"].mean()), "others_coupon": float(o["coupon"].mean()),
            "price_freq": float(p["size"].mean()), "others_freq": float(o["size"].mean()),
            "price_value_share": float(p["sum"].sum() / total), "others_value_share": float(o["sum"].sum() / total),
            "price_arpu": float(p["sum"].mean()), "others_arpu": float(o["sum"].mean())}


_NAME_KEYS = ("loyal", "price", "early", "dormant", "niche", "mass", "insufficient", "fake")


@per_world
def _cards(world) -> dict:
    """The persona cards of the notebook, with each group's name key (from the catalog)."""
    import opsplaybook as ops
    from ..labels import label

    cards = ops.persona_cards(_features(world), _personas(world), lang="en")
    by_text = {label(f"cluster.{k}", "en"): k for k in _NAME_KEYS}
    cards = cards.assign(key=cards["name"].map(by_text))
    clustered = cards[cards.index >= 0]
    top = clustered["value_share"].idxmax()
    facts = {"top_key": cards.at[top, "key"]}
    for key, row in cards.set_index("key").iterrows():
        for col in ("users", "share", "value_share", "arpu", "frequency", "coupon_share"):
            facts[f"{key}_{col}"] = float(row[col])
    t = cards.loc[top]
    facts.update({"top_users": int(t["users"]), "top_share": float(t["share"]), "top_value_share": float(t["value_share"]),
                  "top_arpu": float(t["arpu"]), "top_frequency": float(t["frequency"]),
                  "top_name_en": label(f"cluster.{t['key']}", "en"), "top_name_zh": label(f"cluster.{t['key']}", "zh"),
                  "arpu_ratio": float(t["arpu"] / cards["arpu"].drop(top).mean())})
    return facts


def _frame_col(a, col: str):
    """Column ``col`` of a learner's table as numbers, or None when it is not there / not numeric."""
    import pandas as pd

    try:
        return pd.to_numeric(a[col], errors="coerce").to_numpy(dtype=float)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _sum_is(a, col: str, value) -> bool:
    x = _frame_col(a, col)
    return x is not None and len(x) > 0 and abs(float(x.sum()) - float(value)) < 0.5


class _TierTable(FrameQuestion):
    """A per-tier table; a categorical ``tier`` column (as ``tier_summary`` returns) compares as text."""

    def _coerce(self, answer, ctx):
        import pandas as pd

        frame = super()._coerce(answer, ctx)
        cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
        return frame.astype({c: str for c in cats}) if cats else frame


_UNNAMED = {"en": "The bars are right but not all of them say which tag they are ({missing}): put the tag names on "
                   "the axis, e.g. plot `tags.sizes()` indexed by `label`, or use `ops.plot_tag_sizes`.",
            "zh": "柱子的数值对了，但不是每根柱子都标明了是哪个标签（缺少：{missing}）：把标签名写在坐标轴上，"
                  "例如用以 `label` 为索引的 `tags.sizes()` 来画，或者直接用 `ops.plot_tag_sizes`。"}


class _BarsAnyOrder(ChartQuestion):
    """Bars compared as a set of heights (sorting the bars by size is good practice, not a mistake);
    each bar must be named: every tag's name (key, or label in either language) among the tick labels."""

    def _matching(self, ax, values) -> bool:
        import numpy as np

        want = np.sort(values)
        return any(y.shape == values.shape and np.allclose(np.sort(y), want, rtol=self.rel, atol=0.0)
                   for kind, y in chart_series(ax) if self.artist in ("any", kind))

    def _compare(self, ax, expected, ctx) -> None:
        super()._compare(ax, expected, ctx)
        ticks = {t.get_text().strip() for t in list(ax.get_xticklabels()) + list(ax.get_yticklabels())}
        missing = [n[ctx["lang"]] for n in ctx.get("names", []) if not set(n.values()) & ticks]
        if missing:
            raise Incorrect(text(_UNNAMED, ctx["lang"], missing=", ".join(missing)))


# -- the questions ---------------------------------------------------------------------------------
q1_question = NumberQuestion(
    var="night_owl_share",
    expected=lambda w: _night(w)["share"],
    rel=1e-6,
    facts=_night,
    wrong=[
        Wrong(match=lambda w: _night(w)["share"] * 100, message={
            "en": "{received} is the share in per cent. Give it as a fraction between 0 and 1 (the way "
                  "`.mean()` of a True/False column gives it): {expected:.4f}, not {received}.",
            "zh": "{received} 是百分数。请写成 0 到 1 之间的小数（布尔列 `.mean()` 直接给出的就是它）："
                  "应写 {expected:.4f}，而不是 {received}。"}),
        Wrong(match=lambda w: _night(w)["n_owls"], message={
            "en": "{received} is the *number* of night owls. The question asks for their share of all "
                  "{n_users:,} users: divide by the number of users (or take `.mean()` of the True/False column).",
            "zh": "{received} 是夜猫子的*人数*。题目问的是他们占全部 {n_users:,} 个用户的比例：除以用户总数"
                  "（或直接对布尔列求 `.mean()`）。"}),
        Wrong(match=lambda w: _night(w)["share_no_min"], message={
            "en": "{received} forgets the minimum of 20 events: {n_no_min:,} users have a night share of 40 % or "
                  "more, but most of them came once, at night, and never again (one event at 23:00 is a night "
                  "share of 100 %). The rule keeps only users with at least 20 events.",
            "zh": "{received} 漏掉了“至少 20 次行为”这个条件：夜间占比 ≥ 40% 的用户有 {n_no_min:,} 个，但大多数只在"
                  "夜里来过一次就再没出现（23 点的一次访问，夜间占比就是 100%）。规则只算行为至少 20 次的用户。"}),
        Wrong(match=lambda w: _night(w)["share_active"], message={
            "en": "{received} divides by the {n_active:,} users with at least 20 events. The share asked for is of "
                  "*all* {n_users:,} users: a tag's size is always read against the whole user base.",
            "zh": "{received} 的分母是行为至少 20 次的 {n_active:,} 个用户。题目要的是占*全部* {n_users:,} 个用户的比例："
                  "标签的规模总是相对整个用户盘子来看的。"}),
    ],
    look={"en": "Night owls: `night_share >= 0.4` **and** `events >= 20`; the share is their number ÷ all users.",
          "zh": "夜猫子：`night_share >= 0.4` **并且** `events >= 20`；比例 = 夜猫子人数 ÷ 全部用户数。"},
    hints=[
        {"en": "`features` has one row per user, with `night_share` (share of the user's events between 22:00 "
               "and 05:00) and `events` (how many events the user has).",
         "zh": "`features` 每个用户一行，`night_share` 是该用户在 22 点到 5 点之间的行为占比，`events` 是他的行为次数。"},
        {"en": "Combine the two conditions with `&` (each in brackets), then `.mean()` of the True/False column: "
               "`((features[\"night_share\"] >= 0.4) & (features[\"events\"] >= 20)).mean()`.",
         "zh": "用 `&` 连接两个条件（每个条件加括号），再对得到的布尔列求 `.mean()`："
               "`((features[\"night_share\"] >= 0.4) & (features[\"events\"] >= 20)).mean()`。"},
    ],
    solution='is_owl = (features["night_share"] >= 0.4) & (features["events"] >= 20)\n'
             'night_owl_share = is_owl.mean()',
    explain={"en": "{n_owls:,} of the {n_users:,} users are night owls: {expected:.2%}. It was checked from the raw "
                   "event log (the hour of every event), and it is the size of the tag 夜猫子 (night owl) in "
                   "`ops.tag_users(features, ops.DEFAULT_TAG_RULES)`. Without the minimum of 20 events the tag "
                   "would hold {n_no_min:,} users, mostly one-off night visitors.",
             "zh": "{n_users:,} 个用户中有 {n_owls:,} 个夜猫子，占 {expected:.2%}。检查时直接用原始事件日志（每条事件的"
                   "小时）重算了一遍，它也正是 `ops.tag_users(features, ops.DEFAULT_TAG_RULES)` 里“夜猫子”标签的人数。"
                   "如果没有“至少 20 次行为”的门槛，这个标签会有 {n_no_min:,} 人，大多是只在夜里来过一次的过客。"},
)

q2_question = NumberQuestion(
    var="top20_share",
    expected=lambda w: _pareto(w)["share"],
    rel=0.003,  # the top 20 % of buyers by hand (without the fraction of a buyer at the cut) is within 0.1 %
    facts=_pareto,
    wrong=[
        Wrong(match=lambda w: _pareto(w)["pct"], message={
            "en": "{received} is the share in per cent; give it as a fraction between 0 and 1 ({pct:.1f} % = {share:.4f}).",
            "zh": "{received} 是百分数，请写成 0 到 1 之间的小数（{pct:.1f}% 即 {share:.4f}）。"}),
        Wrong(match=lambda w: _pareto(w)["share_orders"], message={
            "en": "{received} is the share of revenue from the top 20 % of *orders* (each of the {n_orders:,} orders "
                  "counted as a unit). 二八法则 is about customers: add up each buyer's orders first "
                  "(`ops.pareto(world.orders)` does, by `user_id`).",
            "zh": "{received} 是金额最大的 20% *订单*贡献的收入占比（把 {n_orders:,} 笔订单各当成一个单位）。"
                  "二八法则说的是客户：先把每个购买用户的订单金额加起来（`ops.pareto(world.orders)` 默认按 `user_id` 汇总）。"}),
        Wrong(match=lambda w: _pareto(w)["share_all_users"], message={
            "en": "{received} ranks all {n_users:,} registered users, most of whom never bought (value 0): their top "
                  "20 % holds every buyer. The question is about the {n_buyers:,} buyers.",
            "zh": "{received} 是把全部 {n_users:,} 个注册用户都排了队，其中大多数从没买过（金额为 0），前 20% 已经包含了所有"
                  "购买用户。题目问的是 {n_buyers:,} 个购买用户。"}),
        Wrong(match=lambda w: _pareto(w)["head80"], message={
            "en": "{received} answers the other question of 二八法则: the share of buyers that brings 80 % of revenue "
                  "(`head_share`). Asked here: the share of revenue from the top 20 % of buyers (`top_share`).",
            "zh": "{received} 回答的是二八法则的另一个问题：带来 80% 收入的用户占多少（`head_share`）。这里问的是："
                  "前 20% 的购买用户带来了多少收入（`top_share`）。"}),
    ],
    look={"en": "Rank the buyers by their total spend, take the top 20 % of them and divide their revenue by all revenue.",
          "zh": "按每个购买用户的消费总额从高到低排，取前 20% 的用户，用他们的收入除以总收入。"},
    hints=[
        {"en": "`ops.pareto(world.orders)` sums `amount` per `user_id` (only users with orders appear in "
               "`world.orders`) and returns the Lorenz curve, the top share, the long tail and the Gini coefficient.",
         "zh": "`ops.pareto(world.orders)` 会按 `user_id` 汇总 `amount`（`world.orders` 里只有下过单的用户），"
               "返回洛伦兹曲线、头部占比、长尾占比和基尼系数。"},
        {"en": "`ops.pareto(world.orders).top_share` (its `top` is 0.2 by default).",
         "zh": "`ops.pareto(world.orders).top_share`（`top` 默认就是 0.2）。"},
    ],
    solution='value = ops.pareto(world.orders)\n'
             'top20_share = value.top_share',
    explain={"en": "The top 20 % of the {n_buyers:,} buyers bring {share:.1%} of the revenue; the long tail (长尾), the "
                   "other 80 %, brings {tail:.1%}. Read the other way: {head80:.1%} of the buyers bring 80 % of the "
                   "revenue, and the Gini coefficient is {gini:.2f} (0 = everyone spends the same). Not exactly 80/20, "
                   "but the same lesson: a small head carries the business.",
             "zh": "{n_buyers:,} 个购买用户中，前 20% 带来了 {share:.1%} 的收入；其余 80% 的长尾只贡献 {tail:.1%}。"
                   "反过来看：{head80:.1%} 的购买用户带来了 80% 的收入，基尼系数为 {gini:.2f}（0 表示人人花得一样多）。"
                   "不是精确的二八，但道理相同：少数头部用户撑起了生意。"},
)

q3_question = NumberQuestion(
    var="n_gold",
    expected=lambda w: _tiers(w)["n_gold"],
    rel=0, abs=0,
    facts=_tiers,
    wrong=[
        Wrong(match=lambda w: _tiers(w)["n_gold_up"], message={
            "en": "{received} counts gold **and** diamond members (spend ≥ 2,000). In a tier model every user is in "
                  "exactly one level: gold is from 2,000 up to, not including, 5,000 yuan.",
            "zh": "{received} 把金卡**和**钻石会员（消费 ≥ 2,000）一起算了。分层模型里每个用户只属于一层："
                  "金卡是 2,000 元（含）到 5,000 元（不含）。"}),
        Wrong(match=lambda w: _tiers(w)["n_gold_orders"], message={
            "en": "{received} is the number of *orders* between 2,000 and 5,000 yuan. The tiers rank users by their "
                  "spend over the year (`monetary`, the sum of their orders), not single orders.",
            "zh": "{received} 是金额在 2,000 到 5,000 元之间的*订单*笔数。分层是按用户全年的消费总额（`monetary`，"
                  "他所有订单之和）来分的，不是按单笔订单。"}),
        Wrong(match=lambda w: _tiers(w)["gold_share"], message={
            "en": "{received} is the gold members' share of all users; the question asks how many users are gold.",
            "zh": "{received} 是金卡会员占全部用户的比例；题目问的是金卡会员有多少人。"}),
    ],
    look={"en": "`ops.tier_users(features, cuts=[500, 2000, 5000], levels=[\"regular\", \"silver\", \"gold\", "
                "\"diamond\"])` gives one row per user with its `tier`; count the rows whose tier is \"gold\".",
          "zh": "`ops.tier_users(features, cuts=[500, 2000, 5000], levels=[\"regular\", \"silver\", \"gold\", "
                "\"diamond\"])` 每个用户一行并给出 `tier`；数一数 tier 为 \"gold\" 的行。"},
    hints=[
        {"en": "Levels are named bottom to top; a user is in level i when `cuts[i-1] <= monetary < cuts[i]`.",
         "zh": "层级名称从下往上写；当 `cuts[i-1] <= monetary < cuts[i]` 时用户在第 i 层。"},
        {"en": "`tiers = ops.tier_users(features, cuts=[500, 2000, 5000], levels=[...])`, then "
               "`(tiers[\"tier\"] == \"gold\").sum()`.",
         "zh": "`tiers = ops.tier_users(features, cuts=[500, 2000, 5000], levels=[...])`，然后 "
               "`(tiers[\"tier\"] == \"gold\").sum()`。"},
    ],
    solution='tiers = ops.tier_users(features, cuts=[500, 2000, 5000], levels=["regular", "silver", "gold", "diamond"])\n'
             'n_gold = (tiers["tier"] == "gold").sum()',
    explain={"en": "{expected:,.0f} users spent from 2,000 to 5,000 yuan this year: {gold_share:.1%} of the users "
                   "and {gold_value_share:.1%} of the revenue. Gold and diamond together are {top2_share:.1%} of the "
                   "users and bring {top2_value_share:.1%} of the revenue: the top of the pyramid (金字塔模型).",
             "zh": "今年消费在 2,000 到 5,000 元之间的用户有 {expected:,.0f} 个：占用户的 {gold_share:.1%}，贡献了 "
                   "{gold_value_share:.1%} 的收入。金卡加钻石一共只占用户的 {top2_share:.1%}，却带来了 "
                   "{top2_value_share:.1%} 的收入——这就是金字塔模型的塔尖。"},
)


def _tier_example(world, **change):
    t = _tiers(world)["table"].copy()
    for col, fn in change.items():
        t[col] = fn(t, world)
    return t


q4_question = _TierTable(
    var="tier_table",
    expected=lambda w: _tiers(w)["table"],
    columns=["tier", "users", "value", "value_share"], sort_by="tier", rel=1e-6,
    facts=_tiers,
    wrong=[
        Wrong(when=lambda a, ctx: _sum_is(a, "value_share", 100),
              example=lambda w: _tier_example(w, value_share=lambda t, w: t["value_share"] * 100), message={
                  "en": "`value_share` adds up to 100: it is in per cent. Keep it as a fraction (the shares add up to 1).",
                  "zh": "`value_share` 加起来是 100，写成了百分数。请保留小数（各层占比加起来等于 1）。"}),
        Wrong(when=lambda a, ctx: _sum_is(a, "users", ctx["n_orders"]),
              example=lambda w: _tier_example(w, users=lambda t, w: _tiers(w)["orders"][t["tier"]].to_numpy()),
              message={
                  "en": "The `users` column adds up to {n_orders:,}, the number of orders: joining the tiers to "
                        "`world.orders` and counting rows counts orders. Count users: one row per user in `tiers`.",
                  "zh": "`users` 列加起来是 {n_orders:,}，正好是订单数：把分层表和 `world.orders` 连接后再数行数，数的是订单。"
                        "要数用户：`tiers` 里每个用户一行。"}),
        Wrong(when=lambda a, ctx: _sum_is(a, "users", ctx["n_buyers"]),
              example=lambda w: _tier_example(w, users=lambda t, w: t["users"] - (t["tier"] == "regular") * _tiers(w)["n_never"]),
              message={
                  "en": "The `users` column adds up to {n_buyers:,}, the buyers only. By the table of levels a spend "
                        "of 0 is \"below 500\": the {n_never:,} users who never bought are regular members too. The "
                        "member levels cover every registered user, each in exactly one level (a pyramid of the "
                        "buyers alone answers another question).",
                  "zh": "`users` 列加起来只有 {n_buyers:,}，只算了购买用户。按等级表，消费为 0 也属于“500 以下”："
                        "从没买过的 {n_never:,} 个用户同样是普通会员。会员等级覆盖全部注册用户，每人恰好在一层"
                        "（只对购买用户做金字塔，回答的是另一个问题）。"}),
        Wrong(when=lambda a, ctx: (_frame_col(a, "value_share") is not None and _frame_col(a, "users") is not None
                                   and len(a) > 0
                                   and abs(_frame_col(a, "value_share") - _frame_col(a, "users") / ctx["n_users"]).max() < 1e-9),
              example=lambda w: _tier_example(w, value_share=lambda t, w: t["users"] / _tiers(w)["n_users"]),
              message={
                  "en": "`value_share` holds each level's share of *users*. Asked: its share of the *revenue* — "
                        "the level's `value` ÷ the total value.",
                  "zh": "`value_share` 里放的是各层的*用户*占比。题目要的是*收入*占比：该层的 `value` ÷ 总收入。"}),
        Wrong(when=lambda a, ctx: "tier" not in map(str, a.columns) and getattr(a.index, "name", None) == "tier",
              example=lambda w: _tiers(w)["table"].set_index("tier"), message={
                  "en": "The levels are in the table's *index* (as `ops.tier_summary` returns them), not in a column "
                        "`tier`: add `.reset_index()`.",
                  "zh": "等级放在表的*索引*里（`ops.tier_summary` 就是这样返回的），而不是 `tier` 列：加上 `.reset_index()`。"}),
    ],
    look={"en": "One row per level (regular, silver, gold, diamond) with `tier`, `users` (users in the level), `value` "
                "(their spend) and `value_share` (value ÷ total value).",
          "zh": "每层一行（regular、silver、gold、diamond），列为 `tier`、`users`（该层人数）、`value`（该层消费总额）"
                "和 `value_share`（该层 value ÷ 总 value）。"},
    hints=[
        {"en": "`ops.tier_summary(tiers)` gives, per level, `users`, `share`, `value`, `value_share` and more, "
               "with the level as the index.",
         "zh": "`ops.tier_summary(tiers)` 按层给出 `users`、`share`、`value`、`value_share` 等列，层级在索引里。"},
        {"en": "`ops.tier_summary(tiers).reset_index()[[\"tier\", \"users\", \"value\", \"value_share\"]]`.",
         "zh": "`ops.tier_summary(tiers).reset_index()[[\"tier\", \"users\", \"value\", \"value_share\"]]`。"},
    ],
    solution='levels = ["regular", "silver", "gold", "diamond"]\n'
             'tier_table = ops.tier_summary(ops.tier_users(features, cuts=[500, 2000, 5000], levels=levels))\n'
             'tier_table = tier_table.reset_index()[["tier", "users", "value", "value_share"]]',
    explain={"en": "The member pyramid (会员金字塔): {n_regular:,} regular members ({n_never:,} of whom never bought) "
                   "bring {regular_value_share:.1%} of the revenue, while gold and diamond, {top2_share:.1%} of the "
                   "users, bring {top2_value_share:.1%}. It was checked against the same table computed from the raw "
                   "orders. Every user is in exactly one level (分层) — unlike tags (分群), where a user may carry many.",
             "zh": "会员金字塔：{n_regular:,} 个普通会员（其中 {n_never:,} 个从没买过）只贡献 {regular_value_share:.1%} "
                   "的收入，而只占 {top2_share:.1%} 用户的金卡和钻石会员贡献了 {top2_value_share:.1%}。检查时用原始订单"
                   "重新算了这张表。每个用户只在一层（分层）——这和一个用户可以带多个标签的分群不同。"},
)

q5_question = _BarsAnyOrder(
    var="ax_tags",
    expected=lambda w: _tags(w)["users"],
    artist="bar", title=True, ylabel=False, xlabel=False,
    facts=_tags,
    wrong=[
        Wrong(match=lambda w: _tags(w)["first"], message={
            "en": "The bars count each user once, under the first tag they carry (e.g. from "
                  "`drop_duplicates(\"user_id\")`): they add up to {n_tagged:,}. Tags overlap (分群): a user counts in "
                  "every tag they carry, so the bars of `tags.sizes()` add up to {n_pairs:,}.",
            "zh": "这些柱子把每个用户只算了一次，算在他的第一个标签下（比如用了 `drop_duplicates(\"user_id\")`），加起来是 "
                  "{n_tagged:,}。标签是可以重叠的（分群）：一个用户带几个标签就在几个标签里各算一次，"
                  "所以 `tags.sizes()` 的柱子加起来是 {n_pairs:,}。"}),
        Wrong(match=lambda w: _tags(w)["share"], message={
            "en": "The bars show each tag's *share* of the users. Draw the *number* of users per tag (the `users` "
                  "column of `tags.sizes()`); `ops.plot_tag_sizes` writes the share beside each bar.",
            "zh": "柱子画的是各标签的用户*占比*。请画每个标签的用户*人数*（`tags.sizes()` 的 `users` 列）；"
                  "`ops.plot_tag_sizes` 会在每根柱子旁边标出占比。"}),
        Wrong(match=lambda w: _tags(w)["share"] * 100, message={
            "en": "The bars show each tag's share in per cent. Draw the *number* of users per tag (the `users` column).",
            "zh": "柱子画的是各标签的百分比。请画每个标签的用户*人数*（`users` 列）。"}),
    ],
    look={"en": "One bar per tag of `ops.DEFAULT_TAG_RULES` ({n_tags} tags), named by the tag, its length the "
                "number of users carrying it.",
          "zh": "`ops.DEFAULT_TAG_RULES` 的每个标签一根柱子（共 {n_tags} 个标签），标上标签名，长度是带这个标签的用户数。"},
    hints=[
        {"en": "`tags = ops.tag_users(features, ops.DEFAULT_TAG_RULES, lang=LANG)`; `tags.sizes()` has one row per "
               "tag with `label`, `users` and `share`.",
         "zh": "`tags = ops.tag_users(features, ops.DEFAULT_TAG_RULES, lang=LANG)`；`tags.sizes()` 每个标签一行，"
               "有 `label`、`users`、`share` 三列。"},
        {"en": "`ax_tags = ops.plot_tag_sizes(tags.sizes(), lang=LANG)` draws it with a title (or "
               "`tags.sizes().set_index(\"label\")[\"users\"].plot.barh()` and `ax.set_title(...)`).",
         "zh": "`ax_tags = ops.plot_tag_sizes(tags.sizes(), lang=LANG)` 直接画好并带标题（也可以用 "
               "`tags.sizes().set_index(\"label\")[\"users\"].plot.barh()`，再 `ax.set_title(...)`）。"},
    ],
    solution='tags = ops.tag_users(features, ops.DEFAULT_TAG_RULES, lang=LANG)\n'
             'ax_tags = ops.plot_tag_sizes(tags.sizes(), lang=LANG)',
    explain={"en": "One named bar per tag, with a title. The largest tag is {biggest_en}; the bars add up to {n_pairs:,} "
                   "although only {n_tagged:,} of the {n_users:,} users carry a tag at all — tags overlap (分群), "
                   "which is what makes them useful for targeting and useless for adding up.",
             "zh": "每个标签一根标了名字的柱子，并有标题。人数最多的标签是“{biggest_zh}”；柱子加起来有 {n_pairs:,}，可 {n_users:,} "
                   "个用户里只有 {n_tagged:,} 个带了标签——标签会重叠（分群），所以适合圈人做活动，却不能直接相加。"},
)

q6_question = NumberQuestion(
    var="ari",
    expected=lambda w: _agreement(w)["ari"],
    rel=1e-6, abs=1e-9,
    facts=_agreement,
    wrong=[
        Wrong(match=lambda w: _agreement(w)["ari_all"], message={
            "en": "{received} compares all {n_users:,} users. Most of them (all but {n_enough:,}) have fewer than 3 "
                  "orders and sit in the group \"not enough data yet\" (-1), whatever their planted persona: nobody "
                  "can tell their persona from their behaviour, so the agreement is near 0. Compare the users with "
                  "3 or more orders only — the ones the clustering did group.",
            "zh": "{received} 比较的是全部 {n_users:,} 个用户。其中绝大多数（除了 {n_enough:,} 人以外）订单不到 3 笔，"
                  "不管真实画像是什么都被放进了“数据不足”组（-1）：光凭这么少的行为谁也分不出他们是哪类人，"
                  "所以一致度接近 0。只比较订单数不少于 3 笔、真正参与了聚类的用户。"}),
        Wrong(match=lambda w: _agreement(w)["ari_buyers"], message={
            "en": "{received} compares all {n_buyers:,} buyers, including those with one or two orders, who were "
                  "not clustered (group -1). Keep the users with 3 or more orders (`features[\"frequency\"] >= 3`).",
            "zh": "{received} 比较的是全部 {n_buyers:,} 个购买用户，其中只买过一两次的人并没有参与聚类（在 -1 组）。"
                  "只保留订单数不少于 3 笔的用户（`features[\"frequency\"] >= 3`）。"}),
        Wrong(match=lambda w: _agreement(w)["ari_more"], message={
            "en": "{received} compares the {n_more:,} users with *more than* 3 orders. The clustering groups the users "
                  "with 3 orders **or more** ({n_enough:,}): use `>= 3`.",
            "zh": "{received} 比较的是订单数*多于* 3 笔的 {n_more:,} 个用户。参与聚类的是订单数**不少于** 3 笔的用户"
                  "（{n_enough:,} 人）：要用 `>= 3`。"}),
    ],
    look={"en": "Keep the users with at least 3 orders; compare `world.truth.user_persona` (the planted persona) with "
                "`personas.groups[\"group\"]` using `sklearn.metrics.adjusted_rand_score`.",
          "zh": "只保留订单数不少于 3 笔的用户；用 `sklearn.metrics.adjusted_rand_score` 比较 `world.truth.user_persona`"
                "（埋下的真实画像）和 `personas.groups[\"group\"]`。"},
    hints=[
        {"en": "The adjusted Rand index (调整兰德指数) says how well two groupings agree: 1 = the same groups, 0 = "
               "no better than chance. The names of the groups do not matter, only who is together.",
         "zh": "调整兰德指数（ARI）衡量两种分组有多一致：1 表示分得完全一样，0 表示和随机分组差不多。"
               "组的名字叫什么不重要，重要的是哪些人被分在一起。"},
        {"en": "`enough = (features[\"frequency\"] >= 3).to_numpy()`, "
               "`planted = world.truth.user_persona.reindex(features[\"user_id\"]).to_numpy()`, "
               "`found = personas.groups[\"group\"].to_numpy()`, then (after "
               "`from sklearn.metrics import adjusted_rand_score`) "
               "`adjusted_rand_score(planted[enough], found[enough])`.",
         "zh": "`enough = (features[\"frequency\"] >= 3).to_numpy()`，"
               "`planted = world.truth.user_persona.reindex(features[\"user_id\"]).to_numpy()`，"
               "`found = personas.groups[\"group\"].to_numpy()`，再 `from sklearn.metrics import adjusted_rand_score`，然后 "
               "`adjusted_rand_score(planted[enough], found[enough])`。"},
    ],
    solution='from sklearn.metrics import adjusted_rand_score\n'
             'enough = (features["frequency"] >= 3).to_numpy()\n'
             'planted = world.truth.user_persona.reindex(features["user_id"]).to_numpy()\n'
             'found = personas.groups["group"].to_numpy()\n'
             'ari = adjusted_rand_score(planted[enough], found[enough])',
    explain={"en": "Among the {n_enough:,} users with 3 or more orders ({enough_share:.1%} of all users) the {k} groups "
                   "agree with the planted personas with an adjusted Rand index of {expected:.2f}; scored over all users "
                   "(everyone else in \"not enough data yet\") it is {ari_all:.2f} — a different number from the "
                   "notebook's clustering of everyone without a minimum, which is just as low. That is the lesson of clustering: behaviour tells personas apart only where "
                   "there is behaviour — users with too little history get \"not enough data yet\", not a guess. "
                   "(Checked with the index written out from the contingency table, not only with scikit-learn.)",
             "zh": "在订单数不少于 3 笔的 {n_enough:,} 个用户中（占全部用户的 {enough_share:.1%}），聚出的 {k} 个组与埋下的"
                   "真实画像的调整兰德指数为 {expected:.2f}；如果把其余用户（都在“数据不足”组）也算进来比较，只有 {ari_all:.2f}——这和讲义里“不设门槛、把所有人一起聚类”的结果不是同一个数，但同样很低。这就是聚类的教训："
                   "只有在有行为的地方，行为才能把画像分开——历史太少的用户应该标成“数据不足”，而不是硬猜一个画像。"
                   "（检查时按列联表公式重算了这个指数，不只依赖 scikit-learn。）"},
)

_STRATEGY = {"A": _Label("strategy.promote"), "B": _Label("strategy.lower_barrier"),
             "C": _Label("strategy.new_segment"), "D": _Label("strategy.upgrade"), "E": _Label("strategy.niche")}

q7_question = ChoiceQuestion(
    var="price_strategy",
    options=_STRATEGY,
    expected="B",
    facts=_price,
    wrong=[
        Wrong(match="D", message={
            "en": "Upgrading (存量升级: member upgrades, premium service) fits buyers who already pay full price and "
                  "spend most. These buyers pay {price_aov:,.0f} yuan per order against {others_aov:,.0f} for the "
                  "others and use a coupon on {price_coupon:.0%} of their orders: price, not service, is what decides.",
            "zh": "存量升级（会员升级、高端服务）适合已经按原价购买、花得最多的用户。这群人平均每单 {price_aov:,.0f} 元，"
                  "其他购买用户是 {others_aov:,.0f} 元；他们 {price_coupon:.0%} 的订单都用了券：决定他们买不买的是价格，不是服务。"}),
        Wrong(match="A", message={
            "en": "Promoting consumption (促进消费: recommendations, reminders, limited offers) pushes people who already "
                  "want the product and can pay. These buyers do buy — {price_freq:.1f} orders each on average — but "
                  "almost only with a coupon ({price_coupon:.0%} of their orders): the obstacle is the price of "
                  "entry, which is what lowering the barrier removes.",
            "zh": "促进消费（个性化推荐、提醒、限时优惠）是推动已经想买、也付得起的人多买。这群人确实会买——平均每人 "
                  "{price_freq:.1f} 单——但几乎只在有券时才买（{price_coupon:.0%} 的订单用了券）：挡住他们的是价格门槛，"
                  "而降低门槛正是去掉这道门槛。"}),
        Wrong(match="E", message={
            "en": "A niche market (利基市场) is a small group with a distinct need that it will pay well for. This group "
                  "pays less per order than the others ({price_aov:,.0f} vs {others_aov:,.0f} yuan) and asks for "
                  "discounts, not for something special.",
            "zh": "利基市场是有特殊需求、并且愿意为此多付钱的小群体。这群人每单比别人付得更少（{price_aov:,.0f} 元对 "
                  "{others_aov:,.0f} 元），要的是优惠，而不是特别的东西。"}),
        Wrong(match="C", message={
            "en": "A new segment (挖掘新细分) means users the business does not serve yet. These {n_price:,} users are "
                  "buyers already; the question is how to make them buy at a price they accept.",
            "zh": "挖掘新细分指的是还没有被服务到的用户。这 {n_price:,} 个人已经是购买用户了，问题是怎样让他们在能接受的"
                  "价格上买。"}),
    ],
    hints=[
        {"en": "Compare the two rows of the table above: orders per buyer (`frequency`), money per order (`aov`) and "
               "coupon use (`coupon_share`).",
         "zh": "比较上面表格的两行：每人订单数（`frequency`）、笔单价（`aov`）和用券比例（`coupon_share`）。"},
        {"en": "They buy cheaper baskets, mostly with coupons: what holds them back is the price of entry.",
         "zh": "他们买得更便宜，而且大多要用券：挡住他们的是进入的价格。"},
    ],
    solution='price_strategy = "B"',
    explain={"en": "**Lower the barrier to buy** (降低门槛: small coupons, group deals, entry-price products). The "
                   "{n_price:,} price-sensitive buyers use a coupon on {price_coupon:.0%} of their orders (others: "
                   "{others_coupon:.0%}) and pay {price_aov:,.0f} yuan per order (others: {others_aov:,.0f}). They "
                   "bring {price_value_share:.1%} of the revenue: make buying cheap to start, and keep the expensive "
                   "upgrade offers for the full-price buyers.",
             "zh": "**降低门槛**（小额券、拼团、低价入门款）。这 {n_price:,} 个价格敏感的购买用户有 {price_coupon:.0%} "
                   "的订单用了券（其他人是 {others_coupon:.0%}），每单平均 {price_aov:,.0f} 元（其他人 {others_aov:,.0f} "
                   "元）。他们贡献了 {price_value_share:.1%} 的收入：让他们以低成本开始买，把昂贵的升级权益留给按原价购买的用户。"},
)

_GROUPS = {"A": _Label("cluster.loyal"), "B": _Label("cluster.price"), "C": _Label("cluster.dormant"),
           "D": _Label("cluster.insufficient")}
_GROUP_KEYS = {"loyal": "A", "price": "B", "dormant": "C", "insufficient": "D"}

q8_question = OpenQuestion(
    var="target_first",
    options=_GROUPS,
    expected=lambda w: _GROUP_KEYS.get(_cards(w)["top_key"], _cards(w)["top_key"]),
    min_chars=15,
    facts=_cards,
    facts_required=[
        Fact(keywords=["value share", "share of revenue", "revenue share", "of the revenue", "of revenue", "of gmv",
                       "收入占比", "价值占比", "营收占比", "的收入", "收入的", "贡献"],
             number=lambda w: [_cards(w)["top_value_share"], _cards(w)["top_value_share"] * 100], rel=0.03,
             message={"en": "its share of the revenue ({top_value_share:.0%}: `value_share` on its card)",
                      "zh": "它贡献的收入占比（{top_value_share:.0%}：卡片上的 `value_share`）"}),
        Fact(keywords=["arpu", "per user", "each user", "per customer", "purchasing power", "frequency", "orders each",
                       "buy often", "人均", "消费能力", "购买力", "频次", "复购", "每人"],
             number=lambda w: [_cards(w)["top_arpu"], _cards(w)["top_frequency"]], rel=0.03,
             message={"en": "what one user of it is worth or how often they buy ({top_arpu:,.0f} yuan per user, "
                            "{top_frequency:.1f} orders each)",
                      "zh": "它的每个用户值多少、买得多勤（人均 {top_arpu:,.0f} 元，每人 {top_frequency:.1f} 单）"}),
    ],
    wrong=[
        Wrong(match="D", message={
            "en": "\"Not enough data yet\" is the largest group ({insufficient_share:.0%} of the users, "
                  "{insufficient_value_share:.0%} of the revenue), but it is not a persona: its users did too little "
                  "to be told apart, so no single offer fits them, and each brings {insufficient_arpu:,.0f} yuan "
                  "against {top_arpu:,.0f} in the {top_name_en} group. Its strategy is to collect behaviour first "
                  "(activation, Module 5 on the lifecycle), not to be targeted as one segment.",
            "zh": "“数据不足”是最大的组（占用户的 {insufficient_share:.0%}、收入的 {insufficient_value_share:.0%}），"
                  "但它不是一个画像：这些用户行为太少，分不出是哪类人，没有一种方案能同时适合他们；而且人均只有 "
                  "{insufficient_arpu:,.0f} 元，{top_name_zh}组是 {top_arpu:,.0f} 元。对它的策略是先积累行为数据"
                  "（激活，见第 5 模块“用户生命周期运营”），而不是把它当成一个细分市场来投放。"}),
        Wrong(match="B", message={
            "en": "The price-sensitive group is {price_share:.1%} of the users and brings {price_value_share:.1%} of "
                  "the revenue ({price_arpu:,.0f} yuan per user): worth a cheap entry offer, but not the first place "
                  "for the budget when the {top_name_en} group brings {top_value_share:.0%}.",
            "zh": "价格敏感型占用户的 {price_share:.1%}，贡献 {price_value_share:.1%} 的收入（人均 {price_arpu:,.0f} 元）："
                  "值得给一个低门槛的入门优惠，但当{top_name_zh}组贡献了 {top_value_share:.0%} 的收入时，预算不该先投给它。"}),
        Wrong(match="C", message={
            "en": "The dormant-potential group is {dormant_share:.1%} of the users and brings "
                  "{dormant_value_share:.1%} of the revenue: a candidate for a wake-up campaign, but small next to the "
                  "{top_name_en} group's {top_value_share:.0%}.",
            "zh": "沉默潜力型占用户的 {dormant_share:.1%}，贡献 {dormant_value_share:.1%} 的收入：可以做一次唤醒活动，"
                  "但和{top_name_zh}组的 {top_value_share:.0%} 相比太小了。"}),
    ],
    hints=[
        {"en": "Assess each group the way the course does (用户群价值评估): its size (`share`), what one user is worth "
               "(`arpu`), how often they buy (`frequency`) and its share of the revenue (`value_share`).",
         "zh": "按课程里“用户群价值评估”的方法看每个组：规模（`share`）、每个用户值多少（`arpu`）、买得多勤（`frequency`）"
               "和收入占比（`value_share`）。"},
        {"en": "Write `{{\"choice\": \"A\", \"because\": \"...\"}}` and put the group's revenue share and its value per "
               "user (or order frequency) in `because`; the biggest group is not always the most valuable.",
         "zh": "写成 `{{\"choice\": \"A\", \"because\": \"……\"}}`，在 because 里写出这个组的收入占比和人均价值（或购买频次）；"
               "人数最多的组不一定最有价值。"},
    ],
    model_answer=lambda w, lang: {
        "choice": _GROUP_KEYS.get(_cards(w)["top_key"], "A"),
        "because": (f"It brings {_cards(w)['top_value_share']:.0%} of revenue with {_cards(w)['top_share']:.0%} of "
                    f"users, {_cards(w)['top_arpu']:,.0f} yuan per user." if lang == "en" else
                    f"它只占 {_cards(w)['top_share']:.0%} 的用户，却贡献了 {_cards(w)['top_value_share']:.0%} 的收入，"
                    f"人均 {_cards(w)['top_arpu']:,.0f} 元。")},
    solution='top = cards[cards.index >= 0]["value_share"].idxmax()\n'
             'card = cards.loc[top]\n'
             'target_first = {\n'
             '    "choice": card["name"],\n'
             '    "because": (f"It brings {card[\'value_share\']:.0%} of the revenue with {card[\'share\']:.0%} of the users: "\n'
             '                f"{card[\'arpu\']:,.0f} yuan per user and {card[\'frequency\']:.1f} orders each. Upgrade them first "\n'
             '                "(存量升级) and keep them." if LANG == "en" else\n'
             '                f"它只占 {card[\'share\']:.0%} 的用户，却贡献了 {card[\'value_share\']:.0%} 的收入："\n'
             '                f"人均 {card[\'arpu\']:,.0f} 元、每人 {card[\'frequency\']:.1f} 单。先做存量升级，留住他们。"),\n'
             '}',
    explain={"en": "**{top_name_en}**: {top_users:,} users ({top_share:.1%}) bring {top_value_share:.1%} of the revenue, "
                   "{top_arpu:,.0f} yuan each and {top_frequency:.1f} orders a year. Size alone points to \"not enough "
                   "data yet\" ({insufficient_share:.0%} of the users), which is not a persona and brings "
                   "{insufficient_arpu:,.0f} yuan per user. Value share and purchasing power (用户群价值评估) say where "
                   "a budget returns most: upgrade and keep the loyal core first (存量升级), then lower the barrier "
                   "for the price-sensitive.",
             "zh": "**{top_name_zh}**：{top_users:,} 个用户（{top_share:.1%}）贡献了 {top_value_share:.1%} 的收入，"
                   "人均 {top_arpu:,.0f} 元、每年 {top_frequency:.1f} 单。只看规模会选“数据不足”（占用户的 "
                   "{insufficient_share:.0%}），但它不是一个画像，人均只有 {insufficient_arpu:,.0f} 元。"
                   "用户群价值评估看的是收入占比和消费能力：预算先投给忠诚的核心用户做存量升级、把他们留住，"
                   "再给价格敏感的人降低门槛。"},
)

QUESTIONS = {"q1": q1_question, "q2": q2_question, "q3": q3_question, "q4": q4_question,
             "q5": q5_question, "q6": q6_question, "q7": q7_question, "q8": q8_question}

EXERCISE = Exercise("01", QUESTIONS, setup=SETUP)
bind = EXERCISE.bind
q1, q2, q3, q4, q5, q6, q7, q8 = (EXERCISE.__getattr__(n) for n in QUESTIONS)
