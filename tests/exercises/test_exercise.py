"""An Exercise bound to a notebook's globals: check/hint/solution, LANG, feedback rendering, strict
mode and the check log the grader reads."""
from __future__ import annotations

import json

import pytest

from opsplaybook.errors import InvalidParameterError
from opsplaybook.exercises import ____, Exercise, ExerciseCheckFailed, NumberQuestion, Wrong
from opsplaybook.exercises.view import render_markdown, render_plain


def make_exercise():
    q = NumberQuestion(var="total", expected=lambda w: sum(w), rel=0,
                       wrong=[Wrong(match=lambda w: len(w), message={"en": "{received} counts the items.",
                                                                        "zh": "{received} 是个数。"})],
                       hints=[{"en": "Add them up.", "zh": "加起来。"}, {"en": "`sum(world)`", "zh": "`sum(world)`"}],
                       solution="total = sum(world)",
                       explain={"en": "The sum is {expected:,.0f}.", "zh": "总和是 {expected:,.0f}。"})
    return Exercise("99", {"q1": q}, world=lambda: [10, 20, 30])


@pytest.fixture
def ex(monkeypatch):
    monkeypatch.delenv("OPSPLAYBOOK_STRICT", raising=False)
    monkeypatch.delenv("OPSPLAYBOOK_CHECK_LOG", raising=False)
    return make_exercise()


def test_check_reads_the_bound_globals_in_their_language(ex, capsys):
    g = {"LANG": "en", "total": ____}
    ex.bind(g)
    ex.q1.check()
    assert capsys.readouterr().out == "… Q1 · Not attempted yet: Replace `____` in `total = ____` with your answer, run the cell, then check again.\n"
    g["total"] = 3
    ex.q1.check()
    assert capsys.readouterr().out == "✘ Q1 · Incorrect: 3 counts the items.\n"
    g["total"] = 60
    ex.q1.check()
    assert capsys.readouterr().out == "✔ Q1 · Correct: The sum is 60.\n"
    g["LANG"] = "zh"
    g["total"] = 61
    ex.q1.check()
    assert capsys.readouterr().out == "✘ 第 1 题 · 不对：`total` = 61，正确答案是 60。\n"


def test_defaults_to_chinese_and_refuses_an_unknown_lang(ex):
    g = {}
    ex.bind(g)
    assert ex.lang == "zh" and g["____"] is ____  # bind also defines the placeholder
    assert ex.evaluate("q1").outcome == "not_attempted"
    assert "还没有变量 `total`" in ex.evaluate("q1").message
    g["LANG"] = "fr"
    with pytest.raises(InvalidParameterError, match=r"`LANG`='fr' is not allowed"):
        ex.q1.check()


def test_unbound_and_unknown_question(ex):
    assert "ex.bind(globals())" in ex.evaluate("q1", lang="en").message
    with pytest.raises(AttributeError, match=r"no question 'q2'.*Did you mean 'q1'"):
        ex.q2
    with pytest.raises(InvalidParameterError, match=r"ex.bind\(globals\(\)\)"):
        ex.bind([1])


def test_hints_are_numbered_and_solution_shows_code_and_why(ex, capsys):
    ex.bind({"LANG": "en"})
    ex.q1.hint()
    assert capsys.readouterr().out == "💡 Q1 · Hint 1/2: Add them up. (`hint(2)` gives the next one.)\n"
    ex.q1.hint(2)
    assert capsys.readouterr().out == "💡 Q1 · Hint 2/2: `sum(world)`\n"
    ex.q1.hint(3)
    assert "There are 2 hint(s)" in capsys.readouterr().out
    ex.q1.solution()
    assert capsys.readouterr().out == "✎ Q1 · Solution:\n```python\ntotal = sum(world)\n```\n\nThe sum is 60.\n"


def test_strict_mode_raises_on_anything_but_right(ex, monkeypatch, capsys):
    monkeypatch.setenv("OPSPLAYBOOK_STRICT", "1")
    g = {"LANG": "en", "total": ____}
    ex.bind(g)
    with pytest.raises(ExerciseCheckFailed, match="Q1 is not_attempted"):
        ex.q1.check()
    g["total"] = 5
    with pytest.raises(ExerciseCheckFailed, match="Q1 is wrong"):
        ex.q1.check()
    g["total"] = 60
    ex.q1.check()  # right: no exception
    assert isinstance(ExerciseCheckFailed("x"), AssertionError)


def test_every_check_hint_and_solution_is_logged(ex, monkeypatch, tmp_path, capsys):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("OPSPLAYBOOK_CHECK_LOG", str(log))
    g = {"LANG": "en", "total": 3}
    ex.bind(g)
    ex.q1.check()
    ex.q1.hint()
    g["total"] = 60
    ex.q1.check()
    ex.q1.solution()
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(r["event"], r.get("outcome")) for r in records] == [("check", "wrong"), ("hint", None),
                                                                ("check", "right"), ("solution", None)]
    assert all(r["module"] == "99" and r["question"] == "q1" for r in records)


def test_a_world_without_what_the_question_needs_is_uncheckable(ex):
    ex.bind({"LANG": "en", "total": 3})
    ex.use_world(object())  # sum() of it fails while computing the expected answer
    res = ex.evaluate("q1")
    assert res.outcome == "error" and "cannot be computed from this data (TypeError" in res.message


def test_a_checker_that_crashes_is_reported_not_raised(ex, monkeypatch):
    ex.bind({"LANG": "en", "total": 3})
    q = ex.questions["q1"]
    monkeypatch.setattr(q, "_compare", lambda *a: 1 / 0)
    res = ex.evaluate("q1")
    assert res.outcome == "error" and "The checker itself failed (ZeroDivisionError" in res.message


def test_feedback_renders_as_coloured_markdown_or_plain_text():
    md = render_markdown("wrong", "`n` = 3.", lang="en", title="Q1")
    assert md == '<span style="color:#c0392b">**✘ Q1 · Incorrect:**</span> `n` = 3.'
    assert render_markdown("right", "好。", lang="zh", title="第 1 题").endswith("**✔ 第 1 题 · 正确：**</span>好。")
    assert render_plain("hint", "look", lang="en", n=1, of=2) == "💡 Hint 1/2: look"
    multi = render_plain("wrong", "line 1\nline 2", lang="en")
    assert multi == "✘ Incorrect:\nline 1\nline 2"


def test_markdown_in_a_kernel(ex, monkeypatch):
    shown = []
    import IPython.display

    import opsplaybook.exercises.view as view

    monkeypatch.setattr(view, "_in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    ex.bind({"LANG": "en", "total": 60})
    ex.q1.check()
    assert shown[0].data.startswith('<span style="color:#2e8b3d">**✔ Q1 · Correct:**</span>')
