"""charts/drivers.py (the explorer's drawings): waterfall and per-group split checked on hand-made data."""
from __future__ import annotations

import pandas as pd
import pytest

from opsplaybook import revenue_drivers
from opsplaybook.charts.drivers import plot_revenue_drivers_by, plot_revenue_waterfall
from opsplaybook.errors import ColumnNotFoundError, DataValidationError
from opsplaybook.labels import label

# January: 1000 visitors, 50 buyers, ¥5000; February: 1200 visitors, 54 buyers, ¥5940
KPIS = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                     "uv": [1000, 1200], "buyers": [50, 54], "gmv": [5000.0, 5940.0]})


def test_waterfall_bars_by_hand():
    d = revenue_drivers(KPIS, "2025-01-01", "2025-02-01")
    ax = plot_revenue_waterfall(d, lang="zh", base_label="1月", compare_label="2月")
    bars = {p.get_gid(): p for p in ax.patches}
    # Shapley parts by hand: ΔUV·[(CVR0·P0 + CVR1·P1)/3 + (CVR0·P1 + CVR1·P0)/6] = 200·(5+4.95)/3 + 200·(5.5+4.5)/6
    uv = 200 * ((0.05 * 100 + 0.045 * 110) / 3 + (0.05 * 110 + 0.045 * 100) / 6)
    assert bars["uv"].get_height() == pytest.approx(uv)
    assert bars["base"].get_height() == pytest.approx(5000) and bars["compare"].get_height() == pytest.approx(5940)
    assert bars["cvr"].get_y() == pytest.approx(5000 + uv)  # stands on the running total
    assert bars["p"].get_y() + bars["p"].get_height() == pytest.approx(5940)
    assert bars["cvr"].get_facecolor() != bars["uv"].get_facecolor()  # a fall is drawn in the other colour
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["销售额GMV\n1月", "访客数UV", "支付转化率\nCVR", "客单价P", "销售额GMV\n2月"]
    assert ax.get_title() == label("drivers.waterfall.title", "zh")
    assert "+¥996.7" in [t.get_text() for t in ax.texts]


def test_a_running_total_below_zero_stays_in_view():
    # visitors fall 90 %, conversion triples: the UV part alone is larger than the base GMV
    k = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                      "uv": [1000, 100], "buyers": [50, 15], "gmv": [5000.0, 1500.0]})
    d = revenue_drivers(k, "2025-01-01", "2025-02-01")
    ax = plot_revenue_waterfall(d, lang="en")
    bars = {p.get_gid(): p for p in ax.patches}
    lowest = min(b.get_y() + min(0.0, b.get_height()) for b in bars.values())
    assert lowest < 0 and ax.get_ylim()[0] < lowest


def test_waterfall_titles_can_be_replaced_or_cleared():
    d = revenue_drivers(KPIS, "2025-01-01", "2025-02-01")
    ax = plot_revenue_waterfall(d, lang="en", title="Jan → Feb", ylabel="", annotate=False)
    assert ax.get_title() == "Jan → Feb" and ax.get_ylabel() == "" and not ax.texts


def test_waterfall_errors():
    d = revenue_drivers(KPIS, "2025-01-01", "2025-02-01")
    with pytest.raises(DataValidationError, match=r"lacks the factor\(s\) \['p'\]"):
        plot_revenue_waterfall(d[d["factor"] != "p"])
    with pytest.raises(ColumnNotFoundError, match=r"'contribution' given as `contribution_col`"):
        plot_revenue_waterfall(d.drop(columns="contribution"))


def test_groups_stack_positive_right_negative_left():
    split = pd.DataFrame({"group": ["A", "B"], "uv": [100.0, -50.0], "cvr": [-20.0, 10.0], "p": [5.0, -5.0]})
    ax = plot_revenue_drivers_by(split, lang="en")
    bars = {(p.get_gid(), round(p.get_y() + p.get_height() / 2)): p for p in ax.patches}
    # row A (y=0): uv from 0 to 100, p from 100 to 105, cvr from 0 to -20
    assert bars[("uv", 0)].get_x() == 0 and bars[("p", 0)].get_x() == pytest.approx(100)
    assert bars[("cvr", 0)].get_x() == 0 and bars[("cvr", 0)].get_width() == pytest.approx(-20)
    # row B (y=1): uv 0..-50, p -50..-55, cvr 0..10
    assert bars[("p", 1)].get_x() == pytest.approx(-50)
    net = [c for c in ax.collections if c.get_gid() == "net"][0].get_offsets()
    assert list(net[:, 0]) == pytest.approx([85.0, -45.0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        label("driver.uv", "en"), label("driver.cvr", "en"), label("driver.p", "en"), label("drivers.net", "en")]
