"""lifecycle(), lifecycle_counts(), lifecycle_transitions(), posthog_lifecycle(): hand-computed, 4 engines."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from helpers import assert_same, ev, norm

from opsplaybook.analytics.lifecycle import (
    STAGES,
    lifecycle,
    lifecycle_counts,
    lifecycle_transitions,
    posthog_lifecycle,
)
from opsplaybook.errors import ColumnNotFoundError, DataValidationError, InvalidParameterError

AS_OF = "2025-03-31"
EVENTS = ev([(u, t, "visit") for u, t in [
    (1, "2025-03-30"),                                                       # new (first 1 day ago)
    (2, "2025-01-01"), (2, "2025-03-20"),                                    # came back 11 days ago: active
    (3, "2025-01-01"), (3, "2025-03-28 23:00"),                              # came back 3 days ago: returning
    (4, "2025-03-01"), (4, "2025-03-10"), (4, "2025-03-20"), (4, "2025-03-29"),  # steady: active
    (5, "2025-02-01"), (5, "2025-03-17"),                                    # 14 days since: silent
    (7, "2025-02-01"), (7, "2025-03-01 12:00"),                              # 30 days since: churned
    (8, "2025-02-01"), (8, "2025-03-02"),                                    # 29 days since: silent
    (11, "2025-04-05"),                                                      # only after as_of
    (12, "2025-03-03"), (12, "2025-03-17"), (12, "2025-03-31 23:59"),        # gaps of 14 days: active
]])
EXPECTED = {1: "new", 2: "active", 3: "returning", 4: "active", 5: "silent", 7: "churned", 8: "silent", 12: "active"}
USERS = pd.DataFrame({
    "user_id": [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12],
    "signup_ts": pd.to_datetime(["2025-01-01"] * 8 + ["2025-04-02", "2025-03-01", "2025-01-01"]).astype("datetime64[us]"),
})


def stages(out) -> dict[int, str]:
    df = norm(out)
    return dict(zip(df["user_id"].astype(int), df["stage"]))


# ----------------------------------------------------------------------------- lifecycle
def test_stages_as_of_a_date():
    out = lifecycle(EVENTS, as_of=AS_OF, lang="en")
    assert list(out.columns) == ["user_id", "stage", "stage_label"]
    assert stages(out) == EXPECTED
    assert out.loc[out["stage"] == "silent", "stage_label"].unique().tolist() == ["Silent"]
    zh = lifecycle(EVENTS, as_of=AS_OF, lang="zh")
    assert dict(zip(zh["stage"], zh["stage_label"]))["returning"] == "回流用户"


def test_users_table_adds_potential_users_signed_up_by_as_of():
    out = lifecycle(EVENTS, as_of=AS_OF, users=USERS)
    # 9 never active -> potential; 10 signed up after as_of -> absent; 11 active only after as_of -> potential
    assert stages(out) == {**EXPECTED, 9: "potential", 11: "potential"}


def test_thresholds_are_configurable():
    out = lifecycle(EVENTS, as_of=AS_OF, silent_days=10, churn_days=20, new_days=3, return_days=14)
    got = stages(out)
    assert got[5] == "silent" and got[8] == "churned" and got[7] == "churned"
    assert got[2] == "silent"        # 11 days since the last visit
    assert got[1] == "new"
    assert got[12] == "returning"    # gaps of 14 > 10 days: came back 0 days ago
    assert got[4] == "active"


def test_as_of_whole_day_counts_and_columns_by_parameter():
    events = EVENTS.rename(columns={"user_id": "uid", "ts": "time"})
    out = lifecycle(events, as_of="2025-03-31 00:00", user_col="uid", time_col="time")
    assert list(out.columns[:2]) == ["uid", "stage"]
    assert dict(zip(out["uid"], out["stage"]))[12] == "active"  # its 23:59 visit that day counts


def test_lifecycle_empty_and_one_user():
    assert lifecycle(EVENTS.iloc[:0], as_of=AS_OF).empty
    assert stages(lifecycle(EVENTS.iloc[:1], as_of=AS_OF)) == {1: "new"}


# ----------------------------------------------------------------------------- counts, transitions
def test_lifecycle_counts_per_month():
    events = ev([(1, "2025-01-03", "v"), (1, "2025-02-20", "v"), (2, "2025-01-10", "v")])
    out = lifecycle_counts(events, start="2025-01-15", end="2025-02-28", freq="M")
    assert list(out.columns) == ["period", "stage", "users"]
    assert out.values.tolist() == [
        [pd.Timestamp("2025-01-01"), "silent", 2],
        [pd.Timestamp("2025-02-01"), "active", 1],
        [pd.Timestamp("2025-02-01"), "churned", 1],
    ]


def test_lifecycle_counts_add_up_to_the_users_known():
    out = lifecycle_counts(EVENTS, start="2025-01-01", end="2025-04-30", freq="W", users=USERS)
    per = out.groupby("period")["users"].sum()
    assert per.iloc[-1] == 11 and per.iloc[0] == 9  # 9 signed up by the first week's end
    assert set(out["stage"]) <= set(STAGES)


def test_lifecycle_transitions_for_a_sankey():
    events = ev([(1, "2025-01-03", "v"), (1, "2025-02-20", "v"), (2, "2025-01-10", "v"), (3, "2025-02-27", "v")])
    out = lifecycle_transitions(events, "2025-01-31", "2025-02-28")
    assert list(out.columns) == ["from_stage", "to_stage", "users"]
    assert out.values.tolist() == [["potential", "new", 1], ["silent", "active", 1], ["silent", "churned", 1]]


# ----------------------------------------------------------------------------- PostHog lifecycle
def test_posthog_lifecycle_weekly():
    events = ev([(u, t, "v") for u, t in [
        (1, "2025-01-06"), (1, "2025-01-13"), (1, "2025-01-27"),   # new, returning, (dormant), resurrecting
        (2, "2025-01-07"),                                           # new, then dormant
        (3, "2025-01-20"),                                           # new in week 3
    ]])
    out = posthog_lifecycle(events, freq="W")
    assert list(out.columns) == ["period", "status", "users"]
    wide = out.pivot(index="period", columns="status", values="users")[["new", "returning", "resurrecting", "dormant"]]
    assert wide.values.tolist() == [
        [2, 0, 0, 0],    # week of 01-06
        [0, 1, 0, -1],   # 01-13: user 1 returns, user 2 dormant
        [1, 0, 0, -1],   # 01-20: user 3 new, user 1 dormant
        [0, 0, 1, -1],   # 01-27: user 1 resurrecting, user 3 dormant
    ]


def test_posthog_lifecycle_users_created_before_first_event_are_resurrecting():
    events = ev([(1, "2025-01-15", "v"), (2, "2025-01-20", "v")])
    users = pd.DataFrame({"user_id": [1, 2], "signup_ts": pd.to_datetime(["2024-12-01", "2025-01-02"])})
    out = posthog_lifecycle(events, freq="M", users=users)
    assert out.values.tolist() == [
        [pd.Timestamp("2025-01-01"), "new", 1], [pd.Timestamp("2025-01-01"), "returning", 0],
        [pd.Timestamp("2025-01-01"), "resurrecting", 1], [pd.Timestamp("2025-01-01"), "dormant", 0],
    ]
    assert posthog_lifecycle(events.iloc[:0]).empty


# ----------------------------------------------------------------------------- every engine
def test_same_result_on_every_engine(constructor):
    native = constructor(EVENTS)
    users = constructor(USERS)
    assert_same(lifecycle(native, as_of=AS_OF, users=users, lang="en"), lifecycle(EVENTS, as_of=AS_OF, users=USERS, lang="en"))
    assert_same(
        lifecycle_counts(native, start="2025-02-01", end="2025-03-31", freq="M"),
        lifecycle_counts(EVENTS, start="2025-02-01", end="2025-03-31", freq="M"),
    )


def test_transitions_and_posthog_on_every_engine(constructor):
    native = constructor(EVENTS)
    assert_same(lifecycle_transitions(native, "2025-03-01", AS_OF), lifecycle_transitions(EVENTS, "2025-03-01", AS_OF))
    assert_same(posthog_lifecycle(native, freq="W"), posthog_lifecycle(EVENTS, freq="W"))


def test_pandas_on_duckdb_and_polars_gives_the_same():
    base = lifecycle(EVENTS, as_of=AS_OF, users=USERS, engine="pandas")
    for eng in ("duckdb", "polars"):
        assert_same(lifecycle(EVENTS, as_of=AS_OF, users=USERS, engine=eng), base)
        assert_same(posthog_lifecycle(EVENTS, engine=eng), posthog_lifecycle(EVENTS, engine="pandas"))


# ----------------------------------------------------------------------------- invariants
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    days=st.lists(st.tuples(st.integers(1, 10), st.integers(0, 120)), min_size=1, max_size=40),
    as_of=st.integers(0, 150),
)
def test_stage_counts_sum_to_the_users(days, as_of):
    events = pd.DataFrame(
        {"user_id": [u for u, _ in days], "ts": [pd.Timestamp("2025-01-01") + pd.Timedelta(days=d, hours=5) for _, d in days]}
    ).astype({"ts": "datetime64[us]"})
    users = pd.DataFrame({"user_id": range(1, 13), "signup_ts": pd.Timestamp("2024-12-01")})
    day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=as_of)
    out = lifecycle(events, as_of=day, users=users)
    assert len(out) == 12 and out["user_id"].is_unique
    assert set(out["stage"]) <= set(STAGES)
    counts = lifecycle_counts(events, start=day, end=day, freq="D", users=users)
    assert counts["users"].sum() == 12
    ph = posthog_lifecycle(events, freq="W")
    active = ph[ph["status"] != "dormant"].groupby("period")["users"].sum()
    weekly = events.assign(w=events["ts"].dt.to_period("W-SUN").dt.start_time).groupby("w")["user_id"].nunique()
    assert active[active > 0].to_dict() == {k: v for k, v in weekly.to_dict().items()}


# ----------------------------------------------------------------------------- bad input
def test_errors():
    with pytest.raises(InvalidParameterError, match=r"`churn_days`=10 must be larger than `silent_days`=14"):
        lifecycle(EVENTS, as_of=AS_OF, churn_days=10)
    with pytest.raises(InvalidParameterError, match=r"`new_days`=0 must be a whole number of days"):
        lifecycle(EVENTS, as_of=AS_OF, new_days=0)
    with pytest.raises(InvalidParameterError, match=r"`as_of`='end of march' is not a date"):
        lifecycle(EVENTS, as_of="end of march")
    with pytest.raises(InvalidParameterError, match=r"`freq`='Q' is not allowed"):
        lifecycle_counts(EVENTS, start="2025-01-01", end="2025-02-01", freq="Q")
    with pytest.raises(InvalidParameterError, match=r"`end`='2024-01-01' is before `start`"):
        lifecycle_transitions(EVENTS, "2025-01-01", "2024-01-01")
    with pytest.raises(ColumnNotFoundError, match=r"'uid' given as `user_col`.*Available"):
        lifecycle(EVENTS, as_of=AS_OF, user_col="uid")
    with pytest.raises(ColumnNotFoundError, match=r"'signup' given as `signup_col`.*Did you mean 'signup_ts'"):
        posthog_lifecycle(EVENTS, users=USERS, signup_col="signup")
    with pytest.raises(DataValidationError, match="not times"):
        lifecycle(EVENTS.assign(ts="?"), as_of=AS_OF)
    with pytest.raises(InvalidParameterError, match=r"`lang`='fr' is not allowed"):
        lifecycle(EVENTS, as_of=AS_OF, lang="fr")


# ----------------------------------------------------------------------------- the planted truth
def test_stages_reflect_the_planted_lifecycle(small_world):
    events, users, truth = small_world.events, small_world.users, small_world.truth
    planted = truth.lifecycle
    campaign = pd.Timestamp(truth.campaign["date"])
    # a few days after the reactivation campaign, users who had churned and came back are 回流
    after = lifecycle(events, as_of=campaign + pd.Timedelta(days=3), users=users).merge(planted, on="user_id")
    back = after[after["returned"] & (after["churn_date"] < campaign - pd.Timedelta(days=14))]
    assert len(back) > 20
    assert (back["stage"] == "returning").mean() > 0.95
    # at the end of the world, users whose planted final churn is over a month old are 流失
    end = pd.Timestamp(truth.start) + pd.Timedelta(days=truth.days - 1)
    final = lifecycle(events, as_of=end, users=users).merge(planted, on="user_id")
    gone = final[final["final_churn_date"] < end - pd.Timedelta(days=30)]
    assert len(gone) > 100
    assert (gone["stage"] == "churned").mean() > 0.95
    assert len(final) == len(users)


def test_posthog_lifecycle_on_the_world_adds_up(small_world):
    events = small_world.events
    ph = posthog_lifecycle(events, freq="M", users=small_world.users)
    active = ph[ph["status"] != "dormant"].groupby("period")["users"].sum()
    monthly = events.groupby(events["ts"].dt.to_period("M").dt.start_time)["user_id"].nunique()
    assert active.to_dict() == monthly.to_dict()
    assert_same(posthog_lifecycle(events, freq="M", users=small_world.users, engine="duckdb"), ph)
