"""`opsplaybook grade` on a folder of good, blank, wrong and broken submissions built from Module 0's
learner notebook; `opsplaybook check` on one. Learners' files are never modified."""
from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from opsplaybook.cli import main
from opsplaybook.exercises import module00
from opsplaybook.exercises.grading import find_submissions, grade
from opsplaybook.workbook import build

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 45  # per notebook; a good Module 0 notebook runs in ~10 s on a loaded 2-core machine


def _answer(nb: dict, question: str, code: str) -> dict:
    """The learner notebook with the answer cell of ``question`` (the placeholder lines) replaced by ``code``."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and f"ex.{question}.check()" in src and "____" in src:
            kept = [line for line in src.split("\n") if "____" not in line and not line.startswith("# ")]
            cell["source"] = code + "\n" + "\n".join(kept)
            return nb
    raise AssertionError(f"no answer cell for {question}")


def _solved(nb: dict, **override: str) -> dict:
    for name, q in module00.QUESTIONS.items():
        nb = _answer(nb, name, override.get(name, q.solution))
    return nb


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("root")
    (root / "workbook").mkdir()
    for name in ("modules.toml", "00-synthetic-company-exercises.py"):
        shutil.copy(ROOT / "workbook" / name, root / "workbook" / name)
    build(root)
    return root


@pytest.fixture(scope="module")
def graded(built, tmp_path_factory):
    learner_en = json.loads(next((built / "exercises/en").glob("00-*.ipynb")).read_text(encoding="utf-8"))
    learner_zh = next((built / "exercises/zh").glob("00-*.ipynb"))
    subs = tmp_path_factory.mktemp("submissions")

    def save(rel: str, nb: dict | None = None, text: str | None = None) -> None:
        p = subs / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text if text is not None else json.dumps(nb, ensure_ascii=False), encoding="utf-8")

    save("ana.ipynb", _solved(learner_en))
    (subs / "bo").mkdir()
    shutil.copy(learner_zh, subs / "bo" / learner_zh.name)                       # blank, in a sub-folder
    not_the_driver = "cvr" if module00.QUESTIONS["q6"].expected(module00.EXERCISE.world()) != "cvr" else "uv"
    save("cy.ipynb", _solved(learner_en, q2="gmv_total = len(world.orders)", q6=f"driver = {not_the_driver!r}",
                             q3='uv_nov = world.events["visitor"].nunique()'))  # two wrong answers, one KeyError
    save("eve.ipynb", _solved(learner_en, q5="while True:\n    pass"))            # never ends
    save("fay.ipynb", text='{"cells": [{"cell_type": "code", "source": "x = ')  # cut short
    other = json.loads(json.dumps(learner_en))
    other["metadata"]["opsplaybook"]["module"] = "01"
    save("gus/ex01.ipynb", other)
    save("notes.txt", text="my answers are in my head")
    save(".ipynb_checkpoints/ana-checkpoint.ipynb", _solved(learner_en))   # JupyterLab's autosave: not a submission
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in subs.rglob("*") if p.is_file()}
    out = subs.parent / "grades.csv"
    report = grade(subs, timeout=TIMEOUT, out=out, jobs=2)  # two kernels at once; rows keep the folder's order
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in subs.rglob("*") if p.is_file()}
    return report, out, before, after, subs


def rows(report):
    return {r.learner: r for r in report.rows}


def test_every_file_gets_a_row_and_checkpoints_are_skipped(graded):
    report, *_ = graded
    assert [r.learner for r in report.rows] == ["ana", "bo", "cy", "eve", "fay", "gus", "notes.txt"]
    assert report.module == "00" and report.questions == list(module00.QUESTIONS)


def test_good_blank_and_wrong_submissions(graded):
    r = rows(graded[0])
    assert set(r["ana"].outcomes.values()) == {"right"} and r["ana"].status == "graded"
    assert set(r["bo"].outcomes.values()) == {"not_attempted"}
    assert r["cy"].outcomes["q2"] == "wrong" and r["cy"].outcomes["q6"] == "wrong"
    assert r["cy"].count("right") == len(module00.QUESTIONS) - 3
    assert "is the number of orders" in r["cy"].messages["q2"]


def test_broken_submissions_say_what_happened(graded):
    r = rows(graded[0])
    cy = r["cy"]
    assert cy.status == "graded" and cy.outcomes["q3"] == "error"   # its check never ran; the run went on
    assert cy.outcomes["q4"] == "right" and re.search(r"cell \d+ raised KeyError", cy.note)
    eve = r["eve"]
    assert eve.status == "timeout" and f"stopped after {TIMEOUT} s" in eve.note
    assert [eve.outcomes[q] for q in ("q1", "q2", "q3", "q4")] == ["right"] * 4   # graded up to the loop
    assert eve.outcomes["q5"] == "error" and eve.seconds < TIMEOUT + 20
    assert r["fay"].status == "invalid" and "not valid JSON" in r["fay"].note
    assert r["gus"].status == "other module" and "module 01, not of module 00" in r["gus"].note
    assert r["notes.txt"].status == "not a notebook" and ".txt" in r["notes.txt"].note


def test_no_kernel_is_left_running(graded):
    """Each submission's kernel is shut down after grading, the endless one too (it would spin on)."""
    psutil = pytest.importorskip("psutil")
    left = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "ipykernel" in " ".join(proc.cmdline()) and "opsplaybook-grade-" in proc.cwd():
                left.append((proc.pid, proc.status(), proc.cwd()))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    assert not left, f"kernels of graded notebooks still running: {left}"


def test_learners_files_are_never_modified(graded):
    _, _, before, after, subs = graded
    assert before == after
    assert not (subs / "grades.csv").exists()


def test_csv_table_with_totals(graded):
    report, out, *_ = graded
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese file names right
    table = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [t["learner"] for t in table] == [r.learner for r in report.rows] + ["TOTAL (right)"]
    ana = table[0]
    assert ana["q1"] == "right" and ana["right"] == str(len(report.questions)) and ana["score"] == "8/8"
    assert table[1]["file"].startswith("bo/00-") and table[1]["not_attempted"] == "8"
    total = table[-1]
    assert total["q1"] == str(sum(1 for r in report.rows if r.outcomes.get("q1") == "right"))
    text = report.render()
    assert "ana" in text and "✔" in text and "timeout: stopped after" in text and "invalid: not valid JSON" in text


def test_learner_names_from_folders(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "whatever.ipynb").write_text("{}")
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "a.ipynb").write_text("{}")
    (tmp_path / "bob" / "b.ipynb").write_text("{}")
    (tmp_path / "carol.ipynb").write_text("{}")
    names = [n for n, _ in find_submissions(tmp_path)]
    assert names == ["alice", "bob/a", "bob/b", "carol"]


def test_grade_refuses_a_missing_folder_and_a_bad_timeout(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "--timeout", "0"]) == 2
    assert "`timeout`=0.0 must be a positive number" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "--jobs", "0"]) == 2
    assert "`jobs`=0 must be a whole number >= 1" in capsys.readouterr().err


def test_check_command_on_a_learners_notebook(built, tmp_path, capsys):
    learner = json.loads(next((built / "exercises/en").glob("00-*.ipynb")).read_text(encoding="utf-8"))
    mine = tmp_path / "mine.ipynb"
    mine.write_text(json.dumps(_solved(learner, q4="p_nov = 1.0")), encoding="utf-8")
    before = mine.read_bytes()
    code = main(["check", str(mine), "--lang", "en", "--timeout", str(TIMEOUT)])
    out = capsys.readouterr().out
    assert code == 1 and mine.read_bytes() == before
    assert "✔ Q1 · Correct" in out and "✘ Q4 · Incorrect: `p_nov` = 1, expected" in out and "7/8 right" in out


def _tiny(module="00", cells=("x = 1",)) -> dict:
    return {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": c}
                      for c in cells],
            "metadata": {"opsplaybook": {"module": module, "kind": "exercises", "lang": "en"},
                         "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def test_grader_uses_this_python_whatever_kernelspec_the_machine_has(tmp_path, monkeypatch):
    from opsplaybook.exercises.grading import grade_notebook

    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f",
                                                           "{connection_file}"], "display_name": "other", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = tmp_path / "tiny.ipynb"
    nb.write_text(json.dumps(_tiny(cells=("import opsplaybook", "1 / 0"))), encoding="utf-8")
    sub = grade_notebook(nb, timeout=TIMEOUT)
    assert sub.status == "graded" and "cell 1 raised ZeroDivisionError" in sub.note
    assert set(sub.outcomes.values()) == {"error"}  # no check ran


def test_metadata_that_is_not_a_module_number_is_not_an_exercise(tmp_path):
    from opsplaybook.exercises.grading import grade_notebook

    nb = tmp_path / "odd.ipynb"
    nb.write_text(json.dumps(_tiny(module="00.evil")), encoding="utf-8")
    assert grade_notebook(nb).status == "not an exercise"


def test_an_output_file_inside_the_folder_is_not_a_submission(tmp_path):
    (tmp_path / "notes.md").write_text("x")
    out = tmp_path / "grades.csv"
    out.write_text("old")
    report = grade(tmp_path, out=out)
    assert [r.learner for r in report.rows] == ["notes.md"] and report.module is None
    assert out.read_text(encoding="utf-8-sig").startswith("learner,file,status")


def test_endless_notebooks_are_stopped_also_in_parallel(tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(_tiny(cells=("x = 1", "while True:\n    pass", "y = 2"))),
                                                 encoding="utf-8")
    report = grade(tmp_path, timeout=5, jobs=2)
    assert [(r.learner, r.status) for r in report.rows] == [("a", "timeout"), ("b", "timeout")]
    assert all("stopped after 5 s (cell 1" in r.note and r.seconds < 40 for r in report.rows)
