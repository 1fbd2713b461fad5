"""revenue_driver_explorer: the state against direct analytics calls and hand computation, the view
driven by setting control values (as a learner does), errors, languages and the registry."""
from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opsplaybook as ops
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError
from opsplaybook.widgets import RevenueDriverState, explorers, revenue_driver_explorer


@pytest.fixture(scope="module")
def world():
    return ops.load_demo()


@pytest.fixture(scope="module")
def state(world):
    return RevenueDriverState(world, lang="zh")


@pytest.fixture(scope="module")
def monthly(world):
    return ops.kpis(world.events, world.orders, freq="M", users=world.users)


def month_gmv(orders: pd.DataFrame, start: pd.Timestamp) -> float:
    """GMV of the calendar month starting at ``start``, by hand (cents summed as integers)."""
    m = orders[(orders["ts"] >= start) & (orders["ts"] < start + pd.offsets.MonthBegin(1))]
    return int((m["amount"] * 100).round().astype("int64").sum()) / 100


# ------------------------------------------------------------------------------------ the state
def test_default_periods_are_the_last_two(state, monthly):
    periods = list(pd.to_datetime(monthly["period"]))
    assert state.base == periods[-2] and state.compare == periods[-1]
    assert state.breakdown == "none" and state.by_group is None


def test_split_equals_a_direct_revenue_drivers_call(state, monthly):
    for base, compare in [(state.periods[0], state.periods[5]), (state.periods[9], state.periods[10])]:
        state.update(base=base, compare=compare, breakdown=None)
        direct = ops.revenue_drivers(monthly, base, compare, lang="zh")
        pd.testing.assert_frame_equal(state.drivers.reset_index(drop=True), direct)
        assert math.isclose(state.drivers["contribution"].sum(), state.gmv_change, rel_tol=0, abs_tol=1e-6)


def test_gmv_of_both_periods_by_hand(state, world):
    state.update(base=state.periods[2], compare=state.periods[7])
    assert state.gmv_base == pytest.approx(month_gmv(world.orders, state.periods[2]), abs=0.005)
    assert state.gmv_compare == pytest.approx(month_gmv(world.orders, state.periods[7]), abs=0.005)
    # S = UV x CVR x P holds for the factors of each period
    f = state.drivers.set_index("factor")
    assert math.prod(f["base"]) == pytest.approx(state.gmv_base, rel=1e-9)
    assert math.prod(f["compare"]) == pytest.approx(state.gmv_compare, rel=1e-9)


def test_kpi_table_reads_the_kpis_of_both_periods(state, monthly):
    state.update(base=state.periods[3], compare=state.periods[4])
    rows = monthly.set_index("period")
    kt = state.kpi_table.set_index("metric")
    for m in ("gmv", "uv", "buyers", "cvr", "arppu", "orders"):
        assert kt.at[m, "base"] == pytest.approx(rows.at[state.periods[3], m])
        assert kt.at[m, "compare"] == pytest.approx(rows.at[state.periods[4], m])
        assert kt.at[m, "change"] == pytest.approx(rows.at[state.periods[4], m] - rows.at[state.periods[3], m])
    assert kt.at["uv", "label"] == ops.label("kpi.uv", "zh")


@pytest.mark.parametrize("dim", ["channel", "city_tier", "platform"])
def test_groups_add_up_to_the_whole_company(state, world, dim):
    state.update(base=state.periods[4], compare=state.periods[10], breakdown=dim)
    g = state.by_group
    groups, total = g.iloc[:-1], g.iloc[-1]
    assert total["group"] == ops.label("widget.sum_of_groups", "zh")
    assert set(groups["group"]) == set(world.users[dim].astype(str))
    # disjoint groups of users: GMV (and its change) adds up to the whole company's
    assert groups["gmv_base"].sum() == pytest.approx(state.gmv_base, abs=0.01)
    assert groups["gmv_compare"].sum() == pytest.approx(state.gmv_compare, abs=0.01)
    assert groups["gmv_change"].sum() == pytest.approx(state.gmv_change, abs=0.01)
    # each group's own split adds up to its own change
    parts = groups[["uv", "cvr", "p"]].sum(axis=1)
    assert (parts - groups["gmv_change"]).abs().max() < 1e-6
    # and UV, buyers add up too, in every period
    whole = state.kpis.set_index("period")
    for col in ("uv", "buyers", "orders"):
        summed = sum(k.set_index("period")[col] for k in state.group_kpis[dim].values())
        assert (summed == whole[col]).all(), col


def test_a_group_split_equals_a_direct_call_on_that_groups_data(state, world):
    state.update(base=state.periods[8], compare=state.periods[9], breakdown="platform")
    ids = world.users.loc[world.users["platform"] == "iOS", "user_id"]
    k = ops.kpis(world.events[world.events["user_id"].isin(ids)], world.orders[world.orders["user_id"].isin(ids)],
                 freq="M", users=world.users[world.users["user_id"].isin(ids)])
    direct = ops.revenue_drivers(k, state.periods[8], state.periods[9], lang="zh")
    pd.testing.assert_frame_equal(state.group_drivers["iOS"].reset_index(drop=True), direct)


def test_groups_add_up_when_some_users_lack_a_row_or_a_value(world):
    users = world.users.iloc[200:].copy()  # 200 buyers/visitors without a users row
    users.loc[users.index[:50], "platform"] = None  # and 50 without a platform
    data = {"events": world.events, "orders": world.orders, "users": users}
    s = RevenueDriverState(data, breakdown="platform", breakdowns=("platform",), lang="zh")
    groups = s.by_group.iloc[:-1]
    assert ops.label("widget.missing_value", "zh") in set(groups["group"])
    assert groups["gmv_change"].sum() == pytest.approx(s.gmv_change, abs=0.01)
    whole = s.kpis.set_index("period")["uv"]
    assert (sum(k.set_index("period")["uv"] for k in s.group_kpis["platform"].values()) == whole).all()


def test_small_groups_are_merged_into_other(world):
    s = RevenueDriverState(world, breakdown="channel", breakdowns=("channel",), max_groups=3, lang="en")
    groups = s.by_group["group"].tolist()
    counts = world.users["channel"].value_counts()
    assert groups == [*counts.index[:2], "Other", "Sum of groups"]
    assert s.by_group.iloc[:-1]["gmv_change"].sum() == pytest.approx(s.gmv_change, abs=0.01)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(i=st.integers(0, 11), j=st.integers(0, 11), dim=st.sampled_from([None, "none", "channel", "city_tier", "platform"]))
def test_every_split_adds_up(state, i, j, dim):
    state.update(base=state.periods[i], compare=state.periods[j], breakdown=dim)
    assert state.drivers["contribution"].sum() == pytest.approx(state.gmv_change, abs=1e-6)
    if dim not in (None, "none"):
        assert state.by_group.iloc[:-1]["gmv_change"].sum() == pytest.approx(state.gmv_change, abs=0.01)
    if i == j:
        assert state.gmv_change == 0 and state.summary == ops.label("widget.same_period", "zh")


def test_summary_talks_about_the_numbers(state):
    state.update(base=state.periods[10], compare=state.periods[11], breakdown=None)
    assert state.period_label(state.periods[10]) == "2025年11月"
    assert "2025年11月" in state.summary and "2025年12月" in state.summary
    assert state.money(state.gmv_base) in state.summary
    state.update(breakdown="channel")
    top = state.by_group.iloc[:-1].loc[lambda g: g["gmv_change"].abs().idxmax(), "group"]
    assert f"变化最大的分组是{top}" in state.summary


def test_state_accepts_dates_as_text_and_a_dict_of_tables(world):
    s = RevenueDriverState({"events": world.events, "orders": world.orders}, base="2025-03-01",
                           compare="2025-04-01", breakdowns=())
    assert s.base == pd.Timestamp("2025-03-01")
    assert s.options("breakdown") == [(ops.label("widget.breakdown.none", "zh"), "none")]


def test_weekly_periods(world):
    s = RevenueDriverState(world, freq="W", breakdowns=(), lang="en")
    assert all(p.day_of_week == 0 for p in s.periods)  # ISO weeks start on Monday
    assert s.period_label(s.periods[0]).startswith("week of ")
    assert s.drivers["contribution"].sum() == pytest.approx(s.gmv_change, abs=1e-6)


# ------------------------------------------------------------------------------------ errors
def test_unknown_parameter_suggests_the_right_one(state):
    with pytest.raises(InvalidParameterError, match=r"no parameter 'breakdwn'.*Did you mean 'breakdown'"):
        state.update(breakdwn="channel")


def test_a_date_that_is_not_a_period(state):
    with pytest.raises(InvalidParameterError, match=r"`base`='2025-03-15' is not a period.*2025-01-01 … 2025-12-01"):
        state.update(base="2025-03-15")
    with pytest.raises(InvalidParameterError, match=r"`compare`='next month'"):
        state.update(compare="next month")


def test_a_breakdown_that_is_not_offered(state):
    before = state.values()
    with pytest.raises(InvalidParameterError, match=r"`breakdown`='chanel' is not allowed.*Did you mean 'channel'"):
        state.update(breakdown="chanel", base=state.periods[0])
    assert state.values() == before  # nothing changed


def test_breakdown_column_missing(world):
    with pytest.raises(ColumnNotFoundError, match=r"'city_teir' given as `breakdowns\[0\]`.*Did you mean 'city_tier'"):
        RevenueDriverState(world, breakdowns=("city_teir",))


def test_data_that_is_not_a_world():
    with pytest.raises(InvalidParameterError, match=r"`data` must be a World"):
        RevenueDriverState([1, 2, 3])
    with pytest.raises(InvalidParameterError, match="max_groups"):
        RevenueDriverState({"events": pd.DataFrame(), "orders": pd.DataFrame()}, max_groups=1)


# ------------------------------------------------------------------------------------ the view
@pytest.fixture(scope="module")
def explorer(world):
    return revenue_driver_explorer(world, lang="zh")


def test_moving_the_slider_updates_state_chart_and_tables(explorer):
    w = explorer
    before = (w.chart.value, w.texts["kpis"].value, w.texts["summary"].value, w.renders)
    w.controls["compare"].value = w.state.periods[6]  # what moving the slider does
    assert w.state.compare == w.state.periods[6]
    assert w.renders == before[3] + 1
    assert w.chart.value != before[0] and w.chart.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert w.texts["kpis"].value != before[1] and w.texts["summary"].value != before[2]
    assert w.state.period_label(w.state.periods[6]) in w.texts["kpis"].value
    assert w.last_update_s > 0


def test_waterfall_shows_the_split(explorer):
    w = explorer
    w.controls["breakdown"].value = "none"
    w.controls["base"].value = w.state.periods[1]
    ax = w.figure.axes[0]
    bars = {p.get_gid(): p for p in ax.patches}
    parts = w.state.drivers.set_index("factor")["contribution"]
    for f in ("uv", "cvr", "p"):
        assert bars[f].get_height() == pytest.approx(parts[f])
    assert bars["base"].get_height() == pytest.approx(w.state.gmv_base)
    assert bars["compare"].get_height() == pytest.approx(w.state.gmv_compare)
    # the bars stand on the running total
    assert bars["cvr"].get_y() == pytest.approx(w.state.gmv_base + parts["uv"])
    labels = [t.get_text().replace("\n", "") for t in ax.get_xticklabels()]
    assert labels[1:4] == [ops.label(f"driver.{f}", "zh") for f in ("uv", "cvr", "p")]


def test_breakdown_dropdown_adds_the_group_chart_and_table(explorer):
    w = explorer
    w.controls["breakdown"].value = "city_tier"
    assert len(w.figure.axes) == 2
    right = w.figure.axes[1]
    names = [t.get_text() for t in right.get_yticklabels()]
    assert names == list(w.state.by_group["group"].iloc[:-1])
    net = [c for c in right.collections if c.get_gid() == "net"][0].get_offsets()[:, 0]
    assert list(net) == pytest.approx(list(w.state.by_group["gmv_change"].iloc[:-1]), abs=1e-6)
    for g in w.state.by_group["group"]:
        assert g in w.texts["groups"].value
    w.controls["breakdown"].value = "none"
    assert len(w.figure.axes) == 1 and w.texts["groups"].value == ""


def test_demo_moves_touch_every_control(explorer):
    moves = explorer.demo_moves()
    assert {name for name, _ in moves} == {"base", "compare", "breakdown"}
    start = explorer.state.values()
    for name, value in moves:
        explorer.controls[name].value = value
        assert getattr(explorer.state, name) == value
    assert explorer.state.values() == start  # each control ends where it started


def test_english_labels(world):
    w = revenue_driver_explorer(world, lang="en", breakdowns=("platform",), chart=False)
    assert w.chart is None
    assert w.controls["base"].description == "Base period"
    assert [lab for lab, _ in w.controls["breakdown"].options] == ["None (whole company)", "Platform"]
    assert w.controls["breakdown"].label == "None (whole company)"  # shown, not an empty dropdown
    assert w.controls["compare"].label == "Dec 2025"
    assert "GMV went from" in w.texts["summary"].value


def test_registry_lists_the_explorer(world):
    reg = explorers()
    info = reg["revenue_driver_explorer"]
    assert info.module == 0 and info.state is RevenueDriverState and info.func is revenue_driver_explorer
    w = info.build(world, lang="en", breakdowns=(), chart=False)
    assert isinstance(w.state, RevenueDriverState)


def test_importing_widgets_loads_no_ipywidgets_nor_matplotlib():
    code = ("import sys, opsplaybook.widgets; "
            "print(any(m.startswith(('ipywidgets', 'matplotlib')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
