"""The claims of teaching notebook 01 (workbook/01-personas.py) hold on the demo world.

The notebook prints its numbers with code; its prose then talks about them ("172 night owls",
"ARI 0.64 … 0.07"). Each test here recomputes one claim from the demo world — by hand with pandas
where the notebook shows a hand computation, otherwise with the package call the notebook makes —
checks the fact the prose draws from it (a direction, a threshold, an equality with the hand
computation), and checks that the figure as written is in the prose of **both** languages. When the
demo company is regenerated and a figure moves, a test names the sentence to rewrite.

Running the notebooks (no error, nothing on stderr, no warning) is checked for every built notebook
by ``test_notebooks_clean.py`` and nbval; this file does not run them a second time. The expensive
results (clustering, the short-video world) are computed once per module.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import opsplaybook as ops
from opsplaybook.models.personas import NOT_ENOUGH_DATA, SUSPECTED_FAKE

ROOT = Path(__file__).resolve().parents[2]
BUILT = {"en": ROOT / "notebooks" / "en" / "01-Personas-and-Segmentation.ipynb",
         "zh": ROOT / "notebooks" / "zh" / "01-用户画像与用户群细分.ipynb"}


def _cells(lang: str) -> list[dict]:
    return json.loads(BUILT[lang].read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.fixture(scope="module")
def prose() -> dict[str, str]:
    """All markdown of each language's notebook, spaces normalised (so line breaks do not matter)."""
    out = {}
    for lang in BUILT:
        text = "\n".join(_source(c) for c in _cells(lang) if c["cell_type"] == "markdown")
        out[lang] = re.sub(r"\s+", " ", text)
    return out


def says(prose: dict[str, str], en: str | list[str], zh: str | list[str] | None = None) -> None:
    """Each snippet is in the prose of its language (``zh`` defaults to the same snippets)."""
    for lang, snippets in (("en", en), ("zh", en if zh is None else zh)):
        for s in [snippets] if isinstance(snippets, str) else snippets:
            assert s in prose[lang], f"the {lang} prose of notebook 01 no longer says {s!r}"


# ---------------------------------------------------------------- shared results (computed once)
@pytest.fixture(scope="module")
def features(demo_world):
    return ops.user_features(demo_world)


@pytest.fixture(scope="module")
def planted(demo_world, features):
    return features["user_id"].map(demo_world.truth.user_persona).to_numpy()


@pytest.fixture(scope="module")
def tags(features):
    return ops.tag_users(features, ops.DEFAULT_TAG_RULES, lang="en")


@pytest.fixture(scope="module")
def behaviour(demo_world, features):
    return features.merge(ops.event_mix(demo_world), on="user_id", how="left")


@pytest.fixture(scope="module")
def personas(behaviour):
    return ops.find_personas(behaviour)


@pytest.fixture(scope="module")
def video():
    world = ops.generate_world(2000, preset="short_video", seed=0)
    f = ops.user_features(world).merge(ops.event_mix(world, visit_event="app_open"), on="user_id", how="left")
    watches = world.events[world.events["event"] == "watch"].groupby("user_id").size()
    f["watches"] = f["user_id"].map(watches).fillna(0).astype(int)
    return world, f


VIDEO_ACTIONS = ["per_visit_watch", "per_visit_like", "per_visit_follow", "per_visit_comment",
                 "per_visit_share", "per_visit_invite", "per_visit_sign_in"]


# ---------------------------------------------------------------- the two notebooks
def test_both_languages_run_the_same_code():
    """Only the setup cell (LANG = ...) differs; every other code cell is the same, in the same order."""
    code = {lang: [_source(c) for c in _cells(lang) if c["cell_type"] == "code"] for lang in BUILT}
    assert code["en"][0] == 'LANG = "en"' and code["zh"][0] == 'LANG = "zh"'
    assert code["en"][1:] == code["zh"][1:]
    assert len(code["en"]) > 40
    # both explorers are displayed live (the cell's last line is the widget)
    assert any(c.rstrip().endswith("\neditor") for c in code["en"]) and any(c.rstrip().endswith("\nexplorer") for c in code["en"])


def test_learning_goals_timing_and_cases_up_front(prose):
    first = {lang: _source(next(c for c in _cells(lang) if c["cell_type"] == "markdown" and _source(c).startswith("# 01 ·")))
             for lang in BUILT}
    assert "You will learn to" in first["en"] and "**Time:**" in first["en"]
    assert "学完本节，你能够" in first["zh"] and "**时长**" in first["zh"]
    for lang in BUILT:
        for term in ("短视频", "滴滴专车", "金字塔模型", "二八法则", "长尾"):
            assert term in prose[lang], (lang, term)
    # the ride-hailing case is presented as a discussion, never as measured data
    says(prose, ["no ride-hailing data", "**invented**"], ["没有网约车数据", "**虚构**"])


# ---------------------------------------------------------------- §0–§1 features and dimensions
def test_buyers_and_the_dimension_test(demo_world, features, prose):
    by_hand = demo_world.orders.groupby("user_id")["amount"].agg(orders="size", spend="sum")
    same = features.set_index("user_id").loc[by_hand.index]
    assert (same["frequency"] == by_hand["orders"]).all()
    assert ((same["monetary"] - by_hand["spend"]).abs() < 0.005).all()
    assert len(by_hand) == 1047 and len(features) == 5000
    says(prose, "1 047 of the 5 000", "5 000 名注册用户里，只有 1 047 人")

    per_user = features.groupby("city_tier")["monetary"].mean()
    assert round(per_user["一线"]) == 235 and round(per_user["三线及以下"]) == 78
    assert 2.7 < per_user["一线"] / per_user["三线及以下"] < 3.3          # "about three times"
    assert per_user.idxmax() == "一线" and per_user.idxmin() == "三线及以下"
    says(prose, "235 against 78 yuan", "235 元对 78 元")

    fraud = features[features["channel"] == "联盟广告"]
    assert len(fraud) == 191 and (fraud["frequency"] == 0).all()
    assert demo_world.truth.fraud_channel == "联盟广告"
    says(prose, "191 sign-ups and not one buyer", "191 个注册，却一个买家都没有")


# ---------------------------------------------------------------- §2 tags
def test_night_owls_by_hand_equal_the_rule_tag(demo_world, tags, prose):
    hour = demo_world.events["ts"].dt.hour
    night = ((hour >= 22) | (hour < 5)).groupby(demo_world.events["user_id"]).agg(["mean", "size"])
    owls = set(night.index[(night["mean"] >= 0.4) & (night["size"] >= 20)])
    assert owls == set(tags.wide.index[tags.wide["night_owl"]]) and len(owls) == 172
    says(prose, "172 night owls", "172 个夜猫子")


def test_tag_sizes_overlaps_and_the_bargain_check(tags, planted, prose):
    sizes = tags.sizes()
    assert sizes["users"].idxmax() == "dormant" and sizes.loc["dormant", "users"] == 2029
    assert round(100 * sizes.loc["dormant", "share"], 1) == 40.6
    says(prose, "2 029 users, 40.6 %", "2 029 人，占 40.6%")
    per_user = tags.wide.sum(axis=1)
    assert (per_user >= 2).sum() == 756 and (per_user == 0).sum() == 1388
    says(prose, ["756 users carry two tags or more", "1 388 carry none"], ["756 个用户带两个及以上标签", "1 388 人一个标签都没有"])

    tagged = tags.wide["suspected_bargain_hunter"].to_numpy()
    assert tagged[planted == "fake"].all() and (planted == "fake").sum() == 191   # every fake is caught
    assert (tagged & (planted == "bargain_hunter")).sum() == 145
    assert (tagged & ~np.isin(planted, ["fake", "bargain_hunter"])).sum() == 320  # ... and 320 ordinary users
    says(prose, ["All 191 planted fake sign-ups", "145 of the real bargain hunters", "320 ordinary users"],
         ["191 个虚假注册", "145 个", "320 个普通用户"])


def test_the_edited_yaml_doubles_the_high_value_tag(features, tmp_path, prose):
    text = ops.tag_rules_yaml()
    assert text.count("top: 0.05") == 1                       # the notebook's edit changes exactly one rule
    path = tmp_path / "tags.yaml"
    path.write_text(text.replace("top: 0.05", "top: 0.1"), encoding="utf-8")
    edited = ops.tag_users(features, path).sizes()
    assert edited.loc["high_value", "users"] == 500 == 2 * ops.tag_users(features, ops.DEFAULT_TAG_RULES).sizes().loc["high_value", "users"]
    says(prose, "500 high-value users now, twice as many", "高价值用户变成了 500 人，正好翻倍")
    with pytest.raises(ops.OpsPlaybookError, match="big_spender.*Did you mean 'monetary'"):
        ops.tag_users(features, {"big_spender": {"rule": {"monetry": {"top": 0.1}}}})


# ---------------------------------------------------------------- §3 tiers vs groups
def test_the_pyramid_by_hand_and_its_value_shares(features, tags, prose):
    buyers = features[features["frequency"] > 0]
    ahead = buyers["monetary"].rank(ascending=False, method="min") - 1
    level = pd.cut(ahead / len(buyers), [-1, 0.05 - 1e-9, 0.20 - 1e-9, 0.50 - 1e-9, 1],
                   labels=["vip", "high", "middle", "base"])
    tiers = ops.tier_users(buyers, lang="en")
    assert tiers["tier"].astype(str).tolist() == level.astype(str).tolist()   # the hand computation = tier_users
    s = ops.tier_summary(tiers)
    shares = (100 * s["value_share"]).round(1)
    assert (shares["vip"], shares["high"], shares["base"]) == (30.5, 36.7, 8.5)
    assert 0.6 < s.loc[["vip", "high"], "value_share"].sum() < 0.72            # "about two thirds"
    says(prose, ["(30.5 % + 36.7 %)", "brings 8.5 %"], ["（30.5% + 36.7%）", "只贡献 8.5%"])
    # exactly one level per buyer, more tags than buyers
    assert s["users"].sum() == len(buyers) == tiers["user_id"].nunique()
    assert tags.wide.loc[buyers["user_id"]].sum().sum() > len(buyers)


def test_the_value_tier_growth_model_adds_up(demo_world, features, prose):
    buyers = features[features["frequency"] > 0]
    tiers = ops.tier_users(buyers, lang="en")
    users = demo_world.users.merge(tiers[["user_id", "tier_label"]], on="user_id", how="left")
    by_tier = ops.growth_decomposition(demo_world.orders, model="tier", users=users, period="M",
                                       tier_col="tier_label", lang="en")
    monthly = demo_world.orders.groupby(demo_world.orders["ts"].dt.to_period("M"))["amount"].sum()
    assert np.allclose(by_tier.groupby("period")["sales"].sum().to_numpy(), monthly.to_numpy())
    # the last four months: new customers + VIP + high value bring 88 % or more, the base under 1 %
    share = by_tier.pivot(index="period", columns="part", values="share").tail(4)
    top = share["New customers"] + share["VIP (top of the pyramid)"] + share["High-value users"]
    assert top.min() >= 0.88 and share["Base users"].max() < 0.01
    says(prose, ["88 % or more", "the base brings under 1 %"], ["88% 以上", "塔基每个月都不到 1%"])


# ---------------------------------------------------------------- §4 personas and THE lesson
def test_event_mix_by_hand(demo_world):
    one = demo_world.events[demo_world.events["user_id"] == 5]["event"].value_counts()
    by_hand = (10 * one / one["visit"]).drop("visit")
    mix = ops.event_mix(demo_world).set_index("user_id").loc[5]
    for event, v in by_hand.items():
        assert mix[f"per_visit_{event}"] == pytest.approx(v)


def test_silhouette_and_cards(behaviour, personas, planted, prose):
    assert personas.k == 3
    sil = personas.silhouette
    assert round(sil[3], 2) == 0.32 and max(v for k, v in sil.items() if k != 3) < 0.13
    says(prose, "(0.32; every other k stays below 0.13)", "（0.32，其余 k 都不到 0.13）")
    cards = ops.persona_cards(behaviour, personas, lang="zh")
    top = cards.loc[0]
    assert (top["name"], int(top["users"]), round(100 * top["share"])) == ("高价值忠诚型", 202, 4)
    assert round(top["arpu"], -2) == 2200 and round(100 * top["value_share"]) == 59
    assert cards.loc[NOT_ENOUGH_DATA, "users"] == 4715 == (behaviour["frequency"] < 3).sum()
    assert round(100 * cards.loc[NOT_ENOUGH_DATA, "share"]) == 94
    few = behaviour[behaviour["frequency"] < 3]
    assert few["sessions"].median() <= 2 and round(100 * (few["frequency"] == 0).mean()) == 84
    says(prose, "half came at most twice and 84 % never ordered", "一半人最多来过两次，84% 一单都没买过")
    says(prose, "94 % of the users", "94% 的用户")
    says(prose, ["202 users, 4 % of all users", "about 2 200 yuan", "59 % of all revenue", "4 715 users"],
         ["202 人，只占全部用户的 4%", "约 2 200 元", "全部收入的 59%", "4 715 个用户"])
    # the cross table: group 1 only loyal VIPs; group 3 named 沉默潜力型 but mostly planted loyal VIPs
    g = personas.groups["group"].to_numpy()
    assert (planted[g == 0] == "loyal_vip").all() and (g == 0).sum() == 202
    assert cards.loc[2, "name"] == "沉默潜力型" and (g == 2).sum() == 35 and (planted[g == 2] == "loyal_vip").sum() == 27
    says(prose, "27 of its 35 users are planted loyal VIPs", "35 人里有 27 人")


def test_kmeans_by_hand_is_the_packages_partition(behaviour, personas, prose):
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    enough = behaviour[behaviour["frequency"] >= 3]
    assert len(personas.columns) == 20 and sum(c.startswith("per_visit_") for c in personas.columns) == 12
    X = StandardScaler().fit_transform(np.log1p(enough[personas.columns].fillna(0).clip(lower=0)))
    with threadpool_limits(1):
        by_hand = KMeans(n_clusters=3, n_init=4, random_state=0).fit_predict(X)
    package = personas.groups.set_index("user_id").loc[enough["user_id"], "group"]
    assert adjusted_rand_score(by_hand, package) == 1.0
    says(prose, ["20 of them: eight behaviour columns and the twelve of the event mix", "is 1.0"],
         ["共 20 列：8 个行为特征加上行为结构的 12 列", "ARI 是 1.0"])


def test_the_lesson_enough_history_recovers_the_personas(behaviour, personas, planted, prose):
    g = personas.groups["group"].to_numpy()
    enough = g >= 0
    assert enough.sum() == 285
    ari = {3: adjusted_rand_score(planted[enough], g[enough])}
    for m in (0, 1, 2):
        gm = ops.find_personas(behaviour, k=3, min_orders=m).groups["group"].to_numpy()
        ari[m] = adjusted_rand_score(planted[gm >= 0], gm[gm >= 0])
    assert ari[3] >= 0.6 and ari[0] < 0.15                       # the threshold and the contrast
    assert ari[0] < ari[1] < ari[2] and ari[3] > ari[1]          # more history, better groups
    assert [round(ari[m], 2) for m in (0, 1, 2, 3)] == [0.07, 0.41, 0.70, 0.64]
    says(prose, ["0.64 among users with enough history, 0.07 over everyone",
                 "0.07 without a threshold, 0.41 from one order, 0.70 from two, 0.64 from three",
                 "285 users with 3 orders or more", "from 0.64 to 0.41"],
         ["ARI 是 0.64；全部用户一起聚，只有 0.07", "不设门槛 0.07，至少 1 单 0.41，至少 2 单 0.70，至少 3 单 0.64",
          "285 个至少 3 单用户", "从 0.64 降到 0.41"])


def test_the_flagged_channel_is_exactly_the_planted_fakes(demo_world, behaviour, features, planted, prose):
    signals = ops.fraud_signals(demo_world.users, demo_world.events)
    flagged = signals.loc[signals["flagged"], "channel"].tolist()
    assert flagged == ["联盟广告"]
    fake = features["channel"].isin(flagged).to_numpy()
    g = ops.find_personas(behaviour, k=3, min_orders=0, fake=fake).groups["group"].to_numpy()
    assert ((g == SUSPECTED_FAKE) == (planted == "fake")).all() and (g == SUSPECTED_FAKE).sum() == 191
    says(prose, "its 191 users are exactly the 191 planted fakes", "191 个用户恰好就是预先埋下的 191 个虚假注册")


# ---------------------------------------------------------------- §5 assessment, 80/20
def test_segment_growth_and_mobility_by_hand(demo_world, features, prose):
    cuts, levels = [0.01, 500, 2000], ["未购", "入门", "中坚", "高价值"]
    june = ops.user_features(demo_world, as_of="2025-06-30")
    assert (june["tenure_days"] >= 0).all()   # user_features leaves out users not signed up yet
    before = ops.tier_users(june, cuts=cuts, levels=levels).rename(columns={"tier": "segment"})
    after = ops.tier_users(features, cuts=cuts, levels=levels).rename(columns={"tier": "segment"})
    a = ops.segment_assessment(before, after.merge(features[["user_id", "frequency"]], on="user_id"))
    top = a.table.loc["高价值"]
    # by hand: spend up to 30 June from the orders of the users signed up by then
    signed = demo_world.users.loc[demo_world.users["signup_ts"] < "2025-07-01", "user_id"]
    h1 = demo_world.orders[demo_world.orders["ts"] < "2025-07-01"].groupby("user_id")["amount"].sum()
    assert (top["users_before"], top["users"]) == ((h1 >= 2000).sum(), (features["monetary"] >= 2000).sum()) == (19, 101)
    assert len(june) == len(signed)
    assert top["stay_rate"] == 1.0 and top["need_volume"] == 640 and round(top["need_frequency"], 1) == 6.3
    assert round(top["purchasing_power"], -1) == 3350 and round(100 * top["value_share"]) == 45
    assert round(100 * top["share"]) == 2
    says(prose, ["from 19 to 101", "all 19 stayed", "640 orders, 6.3 each", "about 3 350 yuan", "45 % of all revenue from 2 %"],
         ["从 19 人增长到 101 人", "19 人全部留在这一层", "共下了 640 单，人均 6.3 单", "人均约 3 350 元", "2% 的用户贡献了 45% 的收入"])
    # the notebook's hand version of the matrix: a cross table of each user's two levels
    then = after["user_id"].map(before.set_index("user_id")["segment"].astype(str)).fillna("(new)")
    by_hand = pd.crosstab(then, after["segment"].astype(str))
    assert by_hand.equals(a.mobility.loc[by_hand.index, by_hand.columns].rename_axis(index="user_id", columns="segment"))
    into_top = a.mobility["高价值"]
    assert (into_top["中坚"], into_top["入门"], into_top["未购"], into_top["(new)"]) == (36, 8, 6, 32)
    says(prose, "36 came up from 中坚, 8 from 入门, 6 from 未购 and 32 are new", "36 人从中坚层升上来，8 人来自入门层，6 人来自未购层，还有 32 人")


def test_pareto_by_hand_and_by_the_package(features, prose):
    spend = features.loc[features["frequency"] > 0, "monetary"].sort_values(ascending=False)
    head = spend.head(round(0.2 * len(spend)))
    assert len(head) == 209 and round(head.sum() / spend.sum(), 3) == 0.671
    r = ops.pareto(spend)
    # the package interpolates: 20 % of 1 047 is 209.4 buyers, the 0.4 of the 210th counts
    assert r.top_share == pytest.approx((head.sum() + 0.4 * spend.iloc[209]) / spend.sum())
    assert (round(r.top_share, 3), round(r.head_share, 3), round(r.tail_value_share, 3), round(r.gini, 3)) == \
        (0.672, 0.308, 0.328, 0.636)
    x = np.sort(spend.to_numpy())
    gini = 2 * np.sum(np.arange(1, len(x) + 1) * x) / (len(x) * x.sum()) - (len(x) + 1) / len(x)
    assert r.gini == pytest.approx(gini)
    says(prose, ["(209 of 1 047) bring 67.1 %", "gives 0.672", "(0.308", "32.8 %", "0.636"],
         ["（1 047 人中的 209 人）贡献了买家收入的 67.1%", "给出 0.672", "（0.308", "32.8%", "0.636"])
    everyone = ops.pareto(features["monetary"])
    assert everyone.top_share > 0.99                              # "the top fifth includes almost every buyer"


def test_strategy_table_figures(features, tags, prose):
    value = features["monetary"].sum()
    share = {t: features.loc[tags.wide[t].to_numpy(), "monetary"].sum() / value for t in ("dormant", "high_value")}
    assert (round(100 * share["dormant"]), round(100 * share["high_value"])) == (14, 73)
    says(prose, ["2 029 users and 14 % of the value", "250 users and 73 %"], ["价值只占 14%", "却占了 73%"])
    t = features.groupby("city_tier").agg(users=("user_id", "size"), value=("monetary", "sum"))
    t = (100 * t / t.sum()).round(1)
    assert tuple(t.loc["三线及以下"]) == (25.4, 13.2) and tuple(t.loc["新一线"]) == (29.2, 36.4)
    says(prose, ["25.4 % of the users and 13.2 %", "29.2 % and 36.4 %"], ["25.4% 的用户、13.2% 的价值", "29.2% 的用户、36.4% 的价值"])


# ---------------------------------------------------------------- §7–§8 the cases
def test_short_video_case(video, prose):
    world, f = video
    assert (f["frequency"] > 0).sum() == 89
    says(prose, "89 of the 2 000 users ever paid", "只有 89 人付过费")
    assert round(ops.pareto(f["watches"]).top_share, 2) == 0.75
    says(prose, "make 75 % of the watches", "75% 的观看")
    three = ops.find_personas(f, columns=VIDEO_ACTIONS, min_orders=10, frequency_col="active_days", k_range=range(3, 7))
    four = ops.find_personas(f, columns=VIDEO_ACTIONS, min_orders=10, frequency_col="active_days", k=4)
    assert three.k == 3
    c = four.centers
    # the reading of the centres: 1 social (follow/comment/share/invite), 3 sign-in, 4 watches most, 2 watches least
    for col in ("per_visit_follow", "per_visit_comment", "per_visit_share", "per_visit_invite"):
        assert c[col].idxmax() == 0 and c[col].idxmin() == 3
    assert c["per_visit_sign_in"].idxmax() == 2 and c["per_visit_sign_in"][2] > 3 * c["per_visit_sign_in"].drop(2).max()
    assert c["per_visit_watch"].idxmax() == 3 and c["per_visit_watch"].idxmin() == 1 and c["per_visit_like"].idxmax() == 1
    planted = f["user_id"].map(world.truth.user_persona).to_numpy()
    g3, g4 = three.groups["group"].to_numpy(), four.groups["group"].to_numpy()
    active = g4 >= 0
    assert (active == (g3 >= 0)).all() and (active == (f["active_days"] >= 10)).all()
    aris = (round(adjusted_rand_score(planted[active], g3[active]), 2), round(adjusted_rand_score(planted[active], g4[active]), 2))
    assert aris == (0.45, 0.77)
    says(prose, "rises from 0.45 to 0.77", ["0.45", "0.77"])


def test_ride_hailing_rules_tag_the_invented_riders_as_the_prose_says():
    """The six invented riders run through the rule language: one tag each for riders 1-5, none for 6."""
    code = "\n".join(_source(c) for c in _cells("en") if c["cell_type"] == "code")
    block = code[code.index("riders = pd.DataFrame"):code.index("ride_tags.long.assign")]
    namespace = {"pd": pd, "ops": ops, "LANG": "en"}
    exec(block, namespace)                                     # the notebook's own table and rules
    long = namespace["ride_tags"].long
    assert long.groupby("user_id")["tag"].apply(list).to_dict() == {
        1: ["business"], 2: ["airport"], 3: ["night_safety"], 4: ["family"], 5: ["price_trier"]}


# ---------------------------------------------------------------- the trainer's page
def _trainer_section(name: str, start: str, end: str) -> str:
    text = (ROOT / name).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text[text.index(start):text.index(end)])


def test_the_trainers_page_quotes_what_the_notebook_shows(prose):
    """TRAINERS.md / TRAINERS.zh.md repeat figures of the notebook; each must still be in the notebook's
    prose (which the tests above tie to the computation), so the trainer's page cannot go stale alone."""
    pages = {"en": _trainer_section("TRAINERS.md", "### Module 1 ·", "### Modules 2–6"),
             "zh": _trainer_section("TRAINERS.zh.md", "### 第 1 模块 ·", "### 第 2–6 模块")}
    figures = ["235", "78", "191", "320", "1 047", "285", "0.64", "0.07", "0.41", "0.45", "0.77", "89", "2 000",
               "36", "27", "35"]
    for lang, page in pages.items():
        for fig in figures:
            assert re.search(rf"(?<![\d.]){re.escape(fig)}(?!\.?\d)", page), (lang, fig)
            assert re.search(rf"(?<![\d.]){re.escape(fig)}(?!\.?\d)", prose[lang]), (lang, fig)
        # the exercises to assign: every question of the exercise notebook, by name
        from opsplaybook.exercises import module01
        assert [q for q in module01.QUESTIONS if not re.search(rf"\| {q} ", page)] == []
        assert "tag_rule_editor(features" in page and "persona_explorer(behaviour" in page
    # the explorer call the page gives is the notebook's own
    code = "\n".join(_source(c) for c in _cells("en") if c["cell_type"] == "code")
    call = re.search(r"persona_explorer\(behaviour, lang=LANG, ([^)]*)\)", code).group(1)
    assert f'persona_explorer(behaviour, lang="zh", {call})' in pages["zh"]
    assert f'persona_explorer(behaviour, lang="zh", {call})' in pages["en"]


# ---------------------------------------------------------------- the explorers, as the notebook and the trainer's page use them
def test_the_explorers_do_what_the_page_says(features, behaviour, personas, planted):
    from opsplaybook.widgets.personas import PersonaState, TagEditorState

    # the persona explorer opens on the groups of §4; at 1 order needed its groups have ARI 0.41
    state = PersonaState(behaviour, lang="zh", k_options=[3], min_orders_options=[1, 3])
    assert state.result.groups.equals(personas.groups)
    g = state.update(min_orders=1).result.groups["group"].to_numpy()
    assert round(adjusted_rand_score(planted[g >= 0], g[g >= 0]), 2) == 0.41
    assert len(state.cards) == 4 and state.cards.index.tolist()[-1] == NOT_ENOUGH_DATA
    # the tag editor: moving 高价值 from 5 % to 20 % makes its overlap with 价格敏感 grow
    tags = TagEditorState(features, lang="zh")
    before = tags.overlap.loc["high_value", "price_sensitive"]
    assert tags.update(high_value_top=0.2).overlap.loc["high_value", "price_sensitive"] > 10 * before > 0
    assert ops.tag_rules_yaml(tags.rules).count("top: 0.2") == 1      # the edited rules export as YAML
