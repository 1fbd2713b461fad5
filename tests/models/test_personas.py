"""find_personas() and persona_cards(): planted clusters recovered, history rules, cards by hand, errors."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError
from opsplaybook.models.personas import NOT_ENOUGH_DATA, SUSPECTED_FAKE, find_personas, persona_cards


def blobs(seed=0, n=200):
    """Three well separated behaviour groups plus users with fewer than 3 orders."""
    rng = np.random.default_rng(seed)
    f = pd.DataFrame({
        "user_id": np.arange(4 * n),
        "frequency": np.r_[rng.poisson(15, n) + 3, rng.poisson(4, n) + 3, rng.poisson(4, n) + 3, rng.integers(0, 3, n)],
        "monetary": np.r_[rng.gamma(20, 200, n), rng.gamma(20, 10, n), rng.gamma(20, 10, n), rng.gamma(2, 20, n)],
        "coupon_share": np.r_[rng.uniform(0, .1, n), rng.uniform(.8, 1, n), rng.uniform(0, .1, n), rng.uniform(0, 1, n)],
        "night_share": np.r_[rng.uniform(0, .1, n), rng.uniform(0, .1, n), rng.uniform(.7, .9, n), rng.uniform(0, 1, n)],
        "sessions": np.r_[rng.poisson(80, n), rng.poisson(20, n), rng.poisson(20, n), rng.poisson(3, n)],
    })
    truth = np.repeat([0, 1, 2, 3], n)
    return f, truth


COLS = ["frequency", "monetary", "coupon_share", "night_share", "sessions"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_planted_blobs_and_chooses_k_by_silhouette(seed):
    f, truth = blobs(seed)
    p = find_personas(f, columns=COLS, random_state=seed)
    enough = truth < 3
    assert p.k == 3                                 # the silhouette peaks at the planted number
    assert max(p.silhouette, key=p.silhouette.get) == 3
    assert set(p.silhouette) == set(range(3, 9))
    assert adjusted_rand_score(truth[enough], p.groups["group"][enough]) > 0.95
    # fewer than 3 orders → "not enough data yet", exactly
    assert (p.groups["group"].to_numpy() == NOT_ENOUGH_DATA).tolist() == (f["frequency"] < 3).tolist()


def test_same_groups_every_run_and_sample_then_assign():
    f, truth = blobs(3)
    a = find_personas(f, columns=COLS, k=3)
    b = find_personas(f, columns=COLS, k=3)
    assert a.groups.equals(b.groups)
    # fitting on a sample of 150 users and assigning the rest gives the same partition
    c = find_personas(f, columns=COLS, k=3, sample_size=150)
    enough = truth < 3
    assert adjusted_rand_score(a.groups["group"][enough], c.groups["group"][enough]) > 0.95
    # group 0 is the one with the largest centre (the heavy buyers here)
    assert a.centers.loc[0, "monetary"] == a.centers["monetary"].max()
    assert a.centers.loc[0, "monetary"] == pytest.approx(np.exp(np.log1p(f["monetary"][truth == 0]).mean()) - 1, rel=0.05)


def test_fake_users_get_their_own_group_and_map():
    f, truth = blobs(4)
    fake = np.zeros(len(f), bool)
    fake[[0, 1, 250, 700]] = True
    p = find_personas(f, columns=COLS, k=3, fake=fake)
    g = p.groups["group"].to_numpy()
    assert (g == SUSPECTED_FAKE).tolist() == fake.tolist()
    m = p.map()
    assert len(m) == int((g >= 0).sum()) and set(m["group"]) == {0, 1, 2}
    assert 0 < sum(m.attrs["explained"]) <= 1
    # a column name works as well
    f2 = f.assign(fake_flag=fake)
    assert p.groups.equals(find_personas(f2, columns=COLS, k=3, fake="fake_flag").groups)


def test_cards_by_hand_and_names():
    f, truth = blobs(5)
    f["city_tier"] = np.where(truth == 0, "一线", "三线")
    f["channel"] = np.where(np.arange(len(f)) % 4 == 0, "自然流量", "老带新")
    p = find_personas(f, columns=COLS, k=3)
    cards = persona_cards(f, p, lang="en")
    g = p.groups["group"]
    assert cards.index.tolist() == [0, 1, 2, -1]
    for gid in cards.index:
        part = f[g == gid]
        assert cards.loc[gid, "users"] == len(part)
        assert cards.loc[gid, "share"] == pytest.approx(len(part) / len(f))
        assert cards.loc[gid, "value"] == pytest.approx(part["monetary"].sum())
        assert cards.loc[gid, "value_share"] == pytest.approx(part["monetary"].sum() / f["monetary"].sum())
        assert cards.loc[gid, "coupon_share"] == pytest.approx(part["coupon_share"].mean())
    assert cards["share"].sum() == pytest.approx(1) and cards["value_share"].sum() == pytest.approx(1)
    assert cards.loc[0, "top_city_tier"] == "一线" and cards.loc[0, "top_city_tier_share"] == 1.0
    assert cards.loc[0, "top_channel"] == "老带新"
    by_truth = {int(pd.Series(g[truth == t]).mode()[0]): t for t in range(3)}
    names = {by_truth[gid]: cards.loc[gid, "name"] for gid in range(3)}
    assert names == {0: "Loyal high-value", 1: "Price-sensitive", 2: "Early adopters"}
    assert cards.loc[-1, "name"] == "Not enough data yet"
    zh = persona_cards(f, p)
    assert zh.loc[0, "name"] == "高价值忠诚型" and zh.loc[0, "strategy"] == "存量升级"


def test_cards_accept_a_frame_or_series_of_groups():
    f, _ = blobs(6)
    p = find_personas(f, columns=COLS, k=3)
    a = persona_cards(f, p)
    b = persona_cards(f, p.groups)
    c = persona_cards(f, p.groups.set_index("user_id")["group"])
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_demo_world_recovers_the_planted_personas_from_the_behaviour_mix(demo_world):
    """The planted personas among users with ≥ 3 orders (285 users on the current demo world).

    Measured (demo regenerated with sellers, Dec 2026): order counts, amounts and habits alone
    (``user_features``) reach an adjusted Rand index of 0.12 (silhouette picks k = 6): the planted
    personas differ in *what they do per visit*, which those columns do not see. Joined with
    ``event_mix`` (events of each type per visit) the silhouette picks k = 3 and the ARI is 0.64 —
    the issue's ≥ 0.6. That is the lesson: cluster on behaviour, and only for users with enough of it.
    """
    from opsplaybook import user_features

    from opsplaybook.models.personas import event_mix

    f = user_features(demo_world)
    persona = f["user_id"].map(demo_world.truth.user_persona).to_numpy()
    plain = find_personas(f)
    f = f.merge(event_mix(demo_world), on="user_id", how="left")
    p = find_personas(f)
    assert any(c.startswith("per_visit_") for c in p.columns)       # the mix is clustered by default
    g = p.groups["group"].to_numpy()
    enough = g >= 0
    assert enough.sum() == (f["frequency"] >= 3).sum()
    ari = adjusted_rand_score(persona[enough], g[enough])
    ari_plain = adjusted_rand_score(persona[enough], plain.groups["group"].to_numpy()[enough])
    assert ari >= 0.6                                                # measured 0.64
    assert ari_plain < 0.3 and ari > ari_plain + 0.3                 # measured 0.12
    top = persona[g == 0]
    assert (top == "loyal_vip").mean() >= 0.95                       # measured 1.00
    assert (persona[g == NOT_ENOUGH_DATA] == "fake").sum() == (persona == "fake").sum()  # fakes never buy 3 times
    cards = persona_cards(f, p)
    assert cards.loc[0, "name"] == "高价值忠诚型" and cards.loc[0, "value_share"] > 0.5


def test_event_mix_by_hand_and_errors():
    from opsplaybook.models.personas import event_mix

    ev = pd.DataFrame({"user_id": [1, 1, 1, 2, 2, 3], "event": ["visit", "cart", "cart", "visit", "visit", "cart"]})
    mix = event_mix(events=ev, per=1)
    assert mix["user_id"].tolist() == [1, 2, 3]
    assert mix["per_visit_cart"].tolist()[:2] == [2.0, 0.0] and np.isnan(mix["per_visit_cart"].iloc[2])
    with pytest.raises(InvalidParameterError, match="visit_event.*'visits'"):
        event_mix(events=ev, visit_event="visits")
    with pytest.raises(ColumnNotFoundError, match="event_col"):
        event_mix(events=ev, event_col="type")


def test_errors_name_the_parameter():
    f, _ = blobs(7)
    with pytest.raises(ColumnNotFoundError, match="monetry.*monetary"):
        find_personas(f, columns=["frequency", "monetry"])
    with pytest.raises(InvalidParameterError, match="at least 2"):
        find_personas(f, columns=COLS, k=1)
    with pytest.raises(InvalidParameterError, match="min_orders"):
        find_personas(f, columns=COLS, min_orders=-1)
    with pytest.raises(InvalidParameterError, match="k_range"):
        find_personas(f, columns=COLS, k_range=[])
    with pytest.raises(DataValidationError, match="min_orders"):
        find_personas(f, columns=COLS, min_orders=100)
    with pytest.raises(InvalidParameterError, match="text|numbers"):
        find_personas(f.assign(city=["x"] * len(f)), columns=["frequency", "city"])
    with pytest.raises(InvalidParameterError, match="shape"):
        find_personas(f, columns=COLS, fake=[True, False])
    with pytest.raises(ColumnNotFoundError, match="fake"):
        find_personas(f, columns=COLS, fake="is_fake")
