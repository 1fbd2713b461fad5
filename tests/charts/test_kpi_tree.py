"""plot_kpi_tree(): one box per node with its name, value and change, links parent -> child,
colours by the sign of the change, texts in both languages, clear errors for a malformed tree."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from opsplaybook.analytics.growth import kpi_tree
from opsplaybook.charts._style import NEGATIVE_COLOR, POSITIVE_COLOR
from opsplaybook.charts.kpi_tree import plot_kpi_tree
from opsplaybook.errors import ColumnNotFoundError, DataValidationError

K = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                  "uv": [1000, 1200], "buyers": [50, 54], "orders": [60, 81], "gmv": [5000.0, 5940.0]})


def boxes(ax) -> dict[str, object]:
    return {t.get_text().split("\n")[1 if t.get_text().startswith("★") else 0]: t for t in ax.texts}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_box_per_node_with_value_and_change(lang):
    tree = kpi_tree(K, lang=lang)
    ax = plot_kpi_tree(tree, north_star="buyers", lang=lang)
    assert len(ax.texts) == 7 and len(ax.lines) == 6  # seven nodes, six links
    texts = [t.get_text() for t in ax.texts]
    star = "北极星指标" if lang == "zh" else "North Star metric"
    assert sum(star in s for s in texts) == 1
    gmv_formula = "购买人数 × 客单价" if lang == "zh" else "buyers × P"
    root = next(s for s in texts if gmv_formula in s)
    assert "18.8%" in root and star not in root  # GMV 5000 -> 5940; the star is on the buyers
    buyers = next(s for s in texts if star in s)
    assert "UV × CVR" in buyers and "54" in buyers and "8.0%" in buyers
    cvr = next(s for s in texts if ("转化率" if lang == "zh" else "Conversion rate") in s)
    assert "4.5%" in cvr and "↓10.0%" in cvr
    assert ("北极星指标与KPI树" if lang == "zh" else "North Star metric and KPI tree") in ax.get_title()
    assert "2025-02-01" in ax.get_title()


def test_colours_follow_the_sign_of_the_change():
    ax = plot_kpi_tree(kpi_tree(K, lang="en"), lang="en")
    b = boxes(ax)
    up = to_hex(b["Visitors (UV)"].get_bbox_patch().get_edgecolor())
    down = to_hex(b["Conversion rate (CVR)"].get_bbox_patch().get_edgecolor())
    assert up == to_hex(POSITIVE_COLOR) and down == to_hex(NEGATIVE_COLOR)


def test_children_sit_right_of_their_parent_and_parents_are_centred():
    ax = plot_kpi_tree(kpi_tree(K, lang="en"), lang="en")
    b = boxes(ax)
    root, p = b["GMV"].get_position(), b["Revenue per buyer (P)"].get_position()
    opb, aov = b["Orders per buyer"].get_position(), b["Average order value"].get_position()
    buyers, uv, cvr = (b[k].get_position() for k in ("Buyers", "Visitors (UV)", "Conversion rate (CVR)"))
    assert root[0] < p[0] < opb[0] == aov[0] and buyers[0] == p[0] and uv[0] == cvr[0] == opb[0]
    assert p[1] == pytest.approx((opb[1] + aov[1]) / 2)
    assert buyers[1] == pytest.approx((uv[1] + cvr[1]) / 2)
    assert root[1] == pytest.approx((buyers[1] + p[1]) / 2)


def test_a_custom_tree_and_its_errors():
    own = pd.DataFrame({"node": ["dau", "new", "old"], "parent": [None, "dau", "dau"],
                        "value": [100, 30, 70], "label": ["日活", "新用户", "老用户"]})
    ax = plot_kpi_tree(own, lang="zh", title="我的指标树")
    assert {t.get_text().split("\n")[1 if t.get_text().startswith("★") else 0] for t in ax.texts} == {"日活", "新用户", "老用户"}
    assert ax.get_title() == "我的指标树"
    with pytest.raises(DataValidationError, match=r"parent 'gmv', which is not a node"):
        plot_kpi_tree(own.assign(parent=[None, "gmv", "dau"]))
    with pytest.raises(DataValidationError, match="no root"):
        plot_kpi_tree(own.assign(parent=["old", "dau", "dau"]))
    with pytest.raises(DataValidationError, match=r"`north_star`='gmv' is not a node"):
        plot_kpi_tree(own, north_star="gmv")
    with pytest.raises(ColumnNotFoundError, match="value"):
        plot_kpi_tree(own.drop(columns="value"))
