"""The kinds of question on small answers worked out by hand: what counts as right, what message a
wrong answer gets, and that the placeholder is "not attempted" wherever it hides."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from opsplaybook.errors import InvalidParameterError
from opsplaybook.exercises import (
    ____,
    ChartQuestion,
    ChoiceQuestion,
    Fact,
    FrameQuestion,
    Incorrect,
    NotAttempted,
    NumberQuestion,
    OpenQuestion,
    Wrong,
)
from opsplaybook.exercises.core import contains_placeholder, text
from opsplaybook.exercises.kinds import chart_series, numbers_in

W = None  # these questions need no world


def wrong(q, answer, lang="en") -> str:
    with pytest.raises(Incorrect) as err:
        q.check_answer(answer, W, lang)
    return err.value.message


# ---------------------------------------------------------------- placeholder
_leaf = st.one_of(st.integers(), st.text(max_size=3), st.none(), st.floats(allow_nan=False))


@given(st.recursive(_leaf, lambda kids: st.one_of(st.lists(kids, max_size=3), st.tuples(kids, kids),
                                                  st.dictionaries(st.text(max_size=2), kids, max_size=3)),
                    max_leaves=12))
def test_placeholder_found_at_any_depth(value):
    assert not contains_placeholder(value)
    assert contains_placeholder([value, ____])
    assert contains_placeholder({"choice": value, "because": (value, ____)})


def test_placeholder_is_not_attempted_for_every_kind():
    qs = [NumberQuestion(var="n", expected=1), ChoiceQuestion(var="c", options={"A": "a", "B": "b"}, expected="A"),
          OpenQuestion(var="o", options={"A": "a", "B": "b"}, expected="A")]
    for q in qs:
        with pytest.raises(NotAttempted, match=r"Replace `____` in `.* = ____`"):
            q.check_answer(____, W, "en")
    with pytest.raises(NotAttempted, match="换成你的答案"):
        qs[2].check_answer({"choice": "A", "because": ____}, W, "zh")


# ---------------------------------------------------------------- numbers
def test_number_tolerance_and_teaching_messages():
    q = NumberQuestion(var="gmv", expected=lambda w: 1000.0, rel=1e-3, abs=0.0,
                       wrong=[Wrong(match=7, message={"en": "{received} is a count of orders.", "zh": "{received} 是订单数。"})])
    assert q.check_answer(1000.9, W, "en") == "`gmv` is right."        # within 0.1 %
    assert q.check_answer(np.float64(999.5), W, "en") == "`gmv` is right."
    assert wrong(q, 1002) == "`gmv` = 1,002, expected 1,000."
    assert wrong(q, 7) == "7 is a count of orders."
    assert wrong(q, 7, "zh") == "7 是订单数。"
    assert "should be a single number; it is str" in wrong(q, "1000")
    assert "should be a single number" in wrong(q, True)
    assert "holds 3 values" in wrong(q, pd.Series([1, 2, 3]))
    assert "NaN" in wrong(q, float("nan"))


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.floats(min_value=-0.05, max_value=0.05))
def test_number_right_exactly_within_the_relative_tolerance(expected, offset):
    q = NumberQuestion(var="x", expected=expected, rel=0.01, abs=0.0)
    answer = expected * (1 + offset)
    inside = abs(answer - expected) <= 0.01 * max(abs(answer), abs(expected))  # math.isclose's rule
    try:
        q.check_answer(answer, W, "en")
        right = True
    except Incorrect:
        right = False
    assert right == inside


def test_number_absolute_tolerance_for_counts():
    q = NumberQuestion(var="uv", expected=2229, rel=0, abs=0)
    assert q.check_answer(2229, W, "en")
    assert wrong(q, 2228, "zh") == "`uv` = 2,228，正确答案是 2,229。"


def test_declaring_a_wrong_answer_needs_match_or_when_with_example():
    with pytest.raises(InvalidParameterError, match="exactly one of `match=`"):
        Wrong(message="x")
    with pytest.raises(InvalidParameterError, match="also needs `example=`"):
        Wrong(message="x", when=lambda a, ctx: True)


def test_a_declared_wrong_answer_never_hides_the_right_one():
    q = NumberQuestion(var="n", expected=5, wrong=[Wrong(match=5, message="never shown")])
    assert q.check_answer(5, W, "en") == "`n` is right."


# ---------------------------------------------------------------- frames
EXPECTED = pd.DataFrame({"period": pd.to_datetime(["2025-11-01", "2025-11-02", "2025-11-03"]),
                         "uv": [10, 20, 30], "gmv": [100.0, 250.5, np.nan]})


def frame_q(**kw):
    return FrameQuestion(var="daily", expected=EXPECTED, sort_by="period", extra_columns=False, **kw)


def test_frame_right_in_any_row_order_index_and_date_type():
    q = frame_q()
    shuffled = EXPECTED.iloc[[2, 0, 1]].set_index(pd.Index([7, 8, 9]))
    assert q.check_answer(shuffled, W, "en") == "`daily` is right."
    as_text = EXPECTED.assign(period=EXPECTED["period"].dt.strftime("%Y-%m-%d"))
    assert q.check_answer(as_text, W, "en") == "`daily` is right."


def test_frame_works_on_a_polars_answer():
    pl = pytest.importorskip("polars")
    assert frame_q().check_answer(pl.from_pandas(EXPECTED), W, "en") == "`daily` is right."


def test_frame_diff_messages():
    q = frame_q()
    assert wrong(q, EXPECTED.drop(columns="gmv")) == "`daily` lacks the column(s) ['gmv']; it has ['period', 'uv']."
    assert "not asked for: ['extra']" in wrong(q, EXPECTED.assign(extra=1))
    assert wrong(q, EXPECTED.iloc[:2]) == "`daily` has 2 rows, expected 3."
    bad = EXPECTED.copy()
    bad.loc[1, "gmv"] = 250.0
    msg = wrong(q, bad)
    assert "1 row(s) differ" in msg and "row 1 (period=2025-11-02): `gmv` is 250, expected 250.50" in msg
    assert "should be a table (a DataFrame); it is pandas.Series" in wrong(q, EXPECTED["uv"])


def test_frame_typical_mistake_by_predicate():
    q = frame_q(wrong=[Wrong(when=lambda a, ctx: "gmv" not in a.columns and "revenue" in a.columns,
                             example=lambda w: EXPECTED.rename(columns={"gmv": "revenue"}),
                             message="Call the column `gmv`.")])
    assert wrong(q, EXPECTED.rename(columns={"gmv": "revenue"})) == "Call the column `gmv`."


# ---------------------------------------------------------------- choices
OPTIONS = {"A": {"en": "business data", "zh": "业务数据"}, "B": {"en": "user base data", "zh": "用户基础数据"}}


def test_choice_accepts_key_in_any_case_or_the_option_text():
    q = ChoiceQuestion(var="kind", options=OPTIONS, expected="A",
                       wrong=[Wrong(match="B", message={"en": "B describes who.", "zh": "B 描述用户是谁。"})])
    for answer in ("A", " a ", "business data", "业务数据", "A."):
        assert q.check_answer(answer, W, "en") == "`kind` is right."
    assert wrong(q, "B") == "B describes who."
    assert wrong(q, "用户基础数据", "zh") == "B 描述用户是谁。"
    assert "'Z' is not one of the options \"A\" (business data), \"B\" (user base data)." in wrong(q, "Z")
    assert "should be one of the options" in wrong(q, 1)


def test_choice_expected_must_be_an_option():
    q = ChoiceQuestion(var="kind", options=OPTIONS, expected="C")
    with pytest.raises(InvalidParameterError, match="'C' is not one of"):
        q.check_answer("A", W, "en")


# ---------------------------------------------------------------- charts
def line_ax(y, *, title="GMV", ylabel="yuan", bar=False):
    ax = Figure().subplots()
    (ax.bar if bar else ax.plot)(np.arange(len(y)), y)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    return ax


def test_chart_series_reads_lines_and_bars():
    ax = line_ax([1, 2, 3])
    ax.bar([0, 1], [5, 6])
    kinds = [(k, list(v)) for k, v in chart_series(ax)]
    assert kinds == [("line", [1.0, 2.0, 3.0]), ("bar", [5.0, 6.0])]


def test_chart_checks_artist_data_and_texts():
    y = [3.0, 1.0, 4.0, 1.0, 5.0]
    q = ChartQuestion(var="ax", expected=y, artist="line",
                      wrong=[Wrong(match=np.cumsum(y), message="That is cumulative.")])
    assert q.check_answer(line_ax(y), W, "en") == "`ax` is right."
    assert q.check_answer(line_ax(y).figure, W, "en") == "`ax` is right."  # a one-axes Figure is fine too
    assert wrong(q, line_ax(y, bar=True)) == "The chart has no line; this question asks for a line chart."
    assert "None of the chart's series is the data asked for (5 points expected; the chart has series of [4] points)" \
        in wrong(q, line_ax(y[:4]))
    assert wrong(q, line_ax(np.cumsum(y))) == "That is cumulative."
    assert "no title" in wrong(q, line_ax(y, title=""))
    assert "纵轴没有标签" in wrong(q, line_ax(y, ylabel=""), "zh")
    assert "should be the chart's Axes" in wrong(q, [1, 2])


# ---------------------------------------------------------------- open questions
def test_numbers_in_text():
    assert numbers_in("UV rose 2,208 → 2,229 (+0.95%)") == [2208.0, 2229.0, 0.95, 0.0095]
    assert numbers_in("没有数字") == []


def test_open_question_needs_choice_reasons_and_key_facts():
    q = OpenQuestion(var="ns", options={"A": "registered users", "B": "monthly buyers"}, expected="B", min_chars=10,
                     facts_required=[Fact(keywords=["value", "价值"], message={"en": "the value", "zh": "价值"}),
                                     Fact(number=lambda w: 1122, message={"en": "November's buyers", "zh": "11 月购买人数"})],
                     wrong=[Wrong(match="A", message="Registered users include fake sign-ups.")])
    right = {"choice": "B", "because": "Buyers got value: 1,122 of them in November."}
    assert q.check_answer(right, W, "en") == "`ns` is right."
    assert q.check_answer({"choice": "monthly buyers", "because": "用户得到价值，11 月有 1122 人购买"}, W, "zh")
    assert wrong(q, {"choice": "A", "because": "it is big and grows"}) == "Registered users include fake sign-ups."
    msg = wrong(q, {"choice": "B", "because": "it is the best one of them"})
    assert msg.startswith("The choice is right, but the reasons do not say yet:") and "- the value" in msg \
        and "- November's buyers" in msg
    assert "at least 10 characters" in wrong(q, {"choice": "B", "because": "good"})
    assert "lacks the key(s) ['because']" in wrong(q, {"choice": "B"})
    assert "should be a dict" in wrong(q, "B")


def test_text_fills_fields_and_keeps_unknown_ones():
    assert text({"en": "{a:,.1f} and {b}", "zh": "{a}"}, "en", a=1234.56) == "1,234.6 and {b}"
    assert text("plain", "zh") == "plain"
