"""An exercise notebook's questions, bound to the notebook: ``ex.bind(globals())``, ``ex.q1.check()``.

The view layer of learntools' split: it reads the learner's answer from the bound globals, runs the
question's pure check, displays the feedback, records the outcome (for ``opsplaybook grade``) and,
under ``OPSPLAYBOOK_STRICT=1``, raises when the answer is not right.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import InvalidParameterError, check_lang, did_you_mean
from .core import (
    ____,
    CheckOutcome,
    ExerciseCheckFailed,
    NotAttempted,
    Question,
    Result,
    text,
)
from .view import show

__all__ = ["Exercise", "QuestionView", "LOG_ENV", "STRICT_ENV", "strict"]

#: environment variable naming a JSON-lines file every check() appends its outcome to
LOG_ENV = "OPSPLAYBOOK_CHECK_LOG"
#: environment variable that makes check() raise when an answer is not right
STRICT_ENV = "OPSPLAYBOOK_STRICT"
_MISSING = object()


def strict() -> bool:
    """Whether ``OPSPLAYBOOK_STRICT`` is set to a true value (1, true, yes)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _log(record: dict) -> None:
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def _demo_world():
    from ..world import load_demo

    return load_demo()


class Exercise:
    """The questions of one module's exercise notebook.

    Parameters
    ----------
    module : str
        The module number on two digits (``"00"``), as in the notebook's metadata.
    questions : mapping
        ``{"q1": Question, ...}`` in the order of the notebook.
    world : callable, optional
        Returns the world the expected answers are computed on (default: ``ops.load_demo()``);
        called once, on the first check.
    setup : str, optional
        Code the notebook runs before the questions (besides ``world = ops.load_demo()``), e.g.
        ``features = ops.user_features(world)``: the model solutions may use the names it defines,
        and the self-test runs it (once per language) before them.
    """

    def __init__(self, module: str, questions: Mapping[str, Question], *,
                 world: Callable[[], Any] | None = None, setup: str = "") -> None:
        self.module = module
        self.setup = setup.strip("\n")
        self.questions = dict(questions)
        for name, q in self.questions.items():
            q.name = name
        self._world_factory = world or _demo_world
        self._world = None
        self._globals: dict | None = None
        self._views = {name: QuestionView(self, name) for name in self.questions}

    # -- binding ------------------------------------------------------------------------------
    def bind(self, namespace: dict) -> None:
        """Let the checker read the notebook's answers (and ``LANG``): ``ex.bind(globals())``.

        Also defines ``____`` in the notebook when it is not there yet.
        """
        if not isinstance(namespace, dict):
            raise InvalidParameterError(f"`bind` takes the notebook's globals(): `ex.bind(globals())`; "
                                        f"got {type(namespace).__name__}.")
        namespace.setdefault("____", ____)
        self._globals = namespace

    @property
    def lang(self) -> str:
        """The notebook's ``LANG`` (``"zh"`` when it has none)."""
        lang = (self._globals or {}).get("LANG", "zh")
        return check_lang(lang, name="LANG")

    def world(self) -> Any:
        if self._world is None:
            self._world = self._world_factory()
        return self._world

    def use_world(self, world: Any) -> None:
        """Compute the expected answers on ``world`` instead of the demo world (tests, own data)."""
        self._world = world

    def __getattr__(self, name: str) -> QuestionView:
        views = self.__dict__.get("_views", {})
        if name in views:
            return views[name]
        raise AttributeError(f"This exercise has no question {name!r}; it has {list(views)}."
                             + did_you_mean(name, list(views)))

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._views))

    def __iter__(self):
        return iter(self._views.values())

    # -- pure evaluation (no display): what check() shows, the grader and the self-test use -----
    def evaluate(self, name: str, answer: Any = _MISSING, *, lang: str | None = None) -> Result:
        """Check ``answer`` (default: the bound notebook's variable) for question ``name``."""
        q = self.questions[name]
        lang = check_lang(lang or self.lang)
        try:
            if answer is _MISSING:
                answer = self._answer(q, lang)
            message = q.check_answer(answer, self.world(), lang)
            return Result(name, "right", message)
        except CheckOutcome as exc:
            return Result(name, exc.outcome, exc.message)
        except Exception as exc:  # the checker itself failed on this answer: say so, never crash the cell
            return Result(name, "error", q._msg("checker_failed", lang, error=f"{type(exc).__name__}: {exc}"))

    def _answer(self, q: Question, lang: str) -> Any:
        if self._globals is None:
            raise NotAttempted(q._msg("not_bound", lang))
        value = self._globals.get(q.var, _MISSING)
        if value is _MISSING:
            raise NotAttempted(q._msg("undefined", lang, var=q.var))
        return value


class QuestionView:
    """``ex.q1``: ``check()``, ``hint(n)``, ``solution()`` for one question of an :class:`Exercise`."""

    def __init__(self, exercise: Exercise, name: str) -> None:
        self._ex = exercise
        self.name = name

    @property
    def question(self) -> Question:
        return self._ex.questions[self.name]

    def _title(self, lang: str) -> str:
        n = self.name[1:] if self.name[:1] == "q" and self.name[1:].isdigit() else self.name
        return f"Q{n}" if lang == "en" else f"第 {n} 题"

    def check(self) -> None:
        """Check the answer: not attempted, wrong (with what to look at) or right (and why)."""
        lang = self._ex.lang
        res = self._ex.evaluate(self.name, lang=lang)
        _log({"module": self._ex.module, "question": self.name, "event": "check", "outcome": res.outcome,
              "message": res.message})
        show(res.outcome, res.message, lang=lang, title=self._title(lang))
        if strict() and not res.right:
            from ._messages import MESSAGES

            raise ExerciseCheckFailed(text(MESSAGES["strict"], lang, q=self._title(lang), outcome=res.outcome,
                                           message=res.message))

    def hint(self, n: int = 1) -> None:
        """Show hint ``n`` (1 = the first, gentlest one)."""
        q, lang = self.question, self._ex.lang
        _log({"module": self._ex.module, "question": self.name, "event": "hint", "n": n})
        if not q.hints:
            show("hint", q._msg("hint.none", lang), lang=lang, title=self._title(lang), n=0, of=0)
            return
        of = len(q.hints)
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= of:
            show("hint", q._msg("hint.range", lang, of=of), lang=lang, title=self._title(lang), n="–", of=of)
            return
        msg = text(q.hints[n - 1], lang, **q.context(self._ex.world(), lang))
        if n < of:
            msg += q._msg("hint.more", lang, next=n + 1)
        show("hint", msg, lang=lang, title=self._title(lang), n=n, of=of)

    def solution(self) -> None:
        """Show the model solution and why it is right."""
        q, lang = self.question, self._ex.lang
        _log({"module": self._ex.module, "question": self.name, "event": "solution"})
        explain = text(q.explain, lang, **q.context(self._ex.world(), lang))
        msg = f"```python\n{q.solution}\n```"
        if explain:
            msg += "\n\n" + explain
        show("solution", msg, lang=lang, title=self._title(lang))

    def __repr__(self) -> str:
        return f"<question {self.name} ({self.question.kind}): answer in `{self.question.var}`>"
