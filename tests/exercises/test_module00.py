"""Module 0's exercises: the checker tests itself (model solution right, each typical wrong answer gets
its message, placeholder not attempted); the expected answers agree with the kit's own functions
(a second computation); the exercise source's solution regions are the questions' solutions."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import opsplaybook as ops
from opsplaybook.exercises import module00, selftest
from opsplaybook.workbook.source import BEGIN, END, read_source

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "workbook" / "00-synthetic-company-exercises.py"


@pytest.fixture(scope="module")
def world():
    return ops.load_demo()


def test_selftest_both_languages(world):
    report = selftest(module00, world=world)
    assert report.ok, str(report)
    # every question: placeholder, solution, wrong type, and each declared wrong answer, in 2 languages
    n_cases = sum(3 + len(q.wrong) for q in module00.QUESTIONS.values()) * 2
    assert len(report.checked) == n_cases


def test_at_least_six_questions_of_every_kind():
    kinds = [q.kind for q in module00.QUESTIONS.values()]
    assert len(kinds) >= 6 and {"number", "frame", "choice", "chart", "open"} <= set(kinds)
    for q in module00.QUESTIONS.values():
        assert len(q.hints) >= 2 and q.solution and q.explain, q.name
        for lang in ("en", "zh"):
            assert all(isinstance(h, dict) and h[lang] for h in q.hints)


def test_expected_answers_agree_with_the_kits_functions(world):
    monthly = ops.kpis(world.events, world.orders, freq="M")
    nov = monthly[monthly["period"] == "2025-11-01"].iloc[0]
    q = module00.QUESTIONS
    assert q["q2"].expected(world) == pytest.approx(monthly["gmv"].sum(), rel=1e-12)
    assert q["q3"].expected(world) == nov["uv"]
    assert q["q4"].expected(world) == pytest.approx(nov["arppu"], rel=1e-12)
    assert q["q4"].expected(world) * nov["uv"] * nov["cvr"] == pytest.approx(nov["gmv"], rel=1e-12)  # S = UV × CVR × P
    daily = ops.kpis(world.events, world.orders, freq="D")
    want = daily[(daily["period"] >= "2025-11-01") & (daily["period"] < "2025-12-01")]
    got = q["q5"].expected(world)
    assert len(got) == 30
    for col, kcol in [("uv", "uv"), ("buyers", "buyers"), ("gmv", "gmv"), ("cvr", "cvr"), ("p", "arppu")]:
        np.testing.assert_allclose(got[col].to_numpy(float), want[kcol].to_numpy(float), rtol=1e-12)
    drivers = ops.revenue_drivers(monthly, "2025-05-01", "2025-06-01")
    facts = module00._drivers(world)
    for _, row in drivers.iterrows():
        assert facts["contrib"][row["factor"]] == pytest.approx(row["contribution"], rel=1e-9)
    assert q["q6"].expected(world) == drivers.loc[drivers["contribution"].abs().idxmax(), "factor"]
    np.testing.assert_allclose(q["q7"].expected(world), daily["gmv"].to_numpy(float), rtol=1e-12)


def test_expectations_follow_the_world_not_constants():
    """On another world every expected answer changes with the data (nothing is hard-coded)."""
    small = ops.generate_world(n_users=400, seed=3)
    demo = ops.load_demo()
    for name in ("q2", "q3", "q4"):
        q = module00.QUESTIONS[name]
        assert q.expected(small) != q.expected(demo)
        assert q.expected(small) == pytest.approx(q.expected(small))
    assert module00.QUESTIONS["q2"].expected(small) == pytest.approx(small.orders["amount"].sum())
    report = selftest(module00, world=small, langs=("en",))
    assert report.ok, str(report)


def test_messages_quote_the_worlds_numbers(world):
    ex = module00.EXERCISE
    ex.use_world(world)
    n_orders = len(world.orders)
    res = ex.evaluate("q2", n_orders, lang="en")
    assert res.outcome == "wrong" and res.message.startswith(f"{n_orders:,} is the number of orders")
    fraud = world.truth.fraud_channel
    res = ex.evaluate("q8", {"choice": "A", "because": "it is the biggest number we have"}, lang="zh")
    assert res.outcome == "wrong" and fraud in res.message
    n_fraud = int((world.users["channel"] == fraud).sum())
    assert f"{n_fraud:,}" in res.message


def _regions(path: Path) -> dict[str, tuple[str, list[str]]]:
    """question → (code of its solution region, learner names) from the exercise source."""
    out = {}
    for cell in read_source(path, exercises=True):
        if not cell.regions:
            continue
        lines = cell.source.split("\n")
        (begin, end), = cell.regions
        checks = re.findall(r"ex\.(q\d+)\.check\(\)", cell.source)
        assert len(checks) == 1, cell.source
        out[checks[0]] = "\n".join(lines[begin + 1:end])
    return out


def test_exercise_source_regions_are_the_questions_solutions():
    regions = _regions(SOURCE)
    assert sorted(regions) == sorted(module00.QUESTIONS)
    for name, code in regions.items():
        q = module00.QUESTIONS[name]
        assert code == q.solution, name
        assert re.search(rf"^{q.var} = ", code, re.M), f"{name}: the region must bind `{q.var}`"
    text = SOURCE.read_text(encoding="utf-8")
    assert text.count(BEGIN) == text.count(END) == len(module00.QUESTIONS)


def test_every_question_prompt_names_its_variable_in_both_languages():
    cells = read_source(SOURCE, exercises=True)
    md = {lang: "\n".join(c.source for c in cells if c.cell_type == "markdown" and c.lang == lang) for lang in ("en", "zh")}
    for q in module00.QUESTIONS.values():
        for lang in ("en", "zh"):
            assert f"`{q.var}`" in md[lang], (q.name, lang)
    assert sum(1 for ch in md["zh"] if "\u4e00" <= ch <= "\u9fff") > 800  # real Chinese prose, not a stub


def test_learner_placeholders_are_not_attempted(world):
    ex = module00.EXERCISE
    ex.use_world(world)
    g: dict = {"LANG": "en"}
    ex.bind(g)
    for q in module00.QUESTIONS.values():
        g[q.var] = g["____"]
    assert {ex.evaluate(n).outcome for n in module00.QUESTIONS} == {"not_attempted"}
