"""Exercises that check themselves (Kaggle Learn's feel): questions declared as data, pure checks,
feedback in the notebook's language, a self-test per exercise module, and grading.

In an exercise notebook::

    from opsplaybook.exercises import ____, module00 as ex
    ex.bind(globals())
    gmv_total = ____
    ex.q2.check()        # not attempted / wrong (what to look at) / right (and why)
    ex.q2.hint(); ex.q2.hint(2); ex.q2.solution()

Writing questions: :class:`NumberQuestion`, :class:`FrameQuestion`, :class:`ChoiceQuestion`,
:class:`ChartQuestion`, :class:`OpenQuestion` (with :class:`Wrong` answers and :class:`Fact` s),
collected in an :class:`Exercise`; see ``opsplaybook/exercises/module00.py`` and
``docs/dev/exercise-engine.md``.
"""
from __future__ import annotations

from .core import ____, ExerciseCheckFailed, Incorrect, NotAttempted, Placeholder, Result, Uncheckable, Wrong
from .exercise import Exercise
from .kinds import ChartQuestion, ChoiceQuestion, Fact, FrameQuestion, NumberQuestion, OpenQuestion
from .selftest import selftest

__all__ = ["____", "Placeholder", "Exercise", "NumberQuestion", "FrameQuestion", "ChoiceQuestion",
           "ChartQuestion", "OpenQuestion", "Wrong", "Fact", "NotAttempted", "Incorrect", "Uncheckable",
           "ExerciseCheckFailed", "Result", "selftest"]
