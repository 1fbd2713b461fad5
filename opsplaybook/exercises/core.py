"""The core of the exercises: the placeholder ``____``, the outcomes of a check, and ``Question``.

learntools' split, kept: a question is **declared as data** (answer variable, expected value computed
from the world, tolerance, hints, solution, teaching messages for typical wrong answers); its checks
are pure and raise :class:`NotAttempted`, :class:`Incorrect` or :class:`Uncheckable`; displaying
and recording happen elsewhere (:mod:`.view`, :mod:`.exercise`).
"""
from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidParameterError, OpsPlaybookError

__all__ = ["Placeholder", "____", "is_placeholder", "contains_placeholder", "NotAttempted", "Incorrect",
           "Uncheckable", "ExerciseCheckFailed", "Result", "OUTCOMES", "Wrong", "Question", "text",
           "per_world"]

#: outcomes of a check, as written in logs and grade tables
OUTCOMES = ("right", "wrong", "not_attempted", "error")


class Placeholder:
    """The ``____`` a learner replaces with an answer; checks answer "not attempted" while it is there.

    >>> ____
    ____
    >>> is_placeholder(____), contains_placeholder({"choice": ____, "because": "..."})
    (True, True)
    """

    _instance: Placeholder | None = None

    def __new__(cls) -> Placeholder:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __reduce__(self):  # pickles (e.g. to a worker) as the same singleton
        return (Placeholder, ())


____ = Placeholder()


def is_placeholder(value: object) -> bool:
    """Whether ``value`` is the placeholder itself (also ``...``, otter-grader's placeholder)."""
    return value is ____ or value is Ellipsis or isinstance(value, Placeholder)


def contains_placeholder(value: object, _depth: int = 0) -> bool:
    """Whether ``value`` is, or holds (in a list, tuple, set or dict, at any depth), the placeholder."""
    if is_placeholder(value):
        return True
    if _depth > 20:
        return False
    if isinstance(value, Mapping):
        return any(contains_placeholder(v, _depth + 1) for v in list(value.keys()) + list(value.values()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(contains_placeholder(v, _depth + 1) for v in value)
    return False


class CheckOutcome(Exception):
    """Base of the three ways a check can end other than "right"; carries the teaching message."""

    outcome = "error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotAttempted(CheckOutcome):
    """The placeholder is still there (or the answer variable is not defined yet)."""

    outcome = "not_attempted"


class Incorrect(CheckOutcome):
    """The answer is wrong; the message says what was expected and what to look at."""

    outcome = "wrong"


class Uncheckable(CheckOutcome):
    """The answer cannot be checked (the checker itself failed); recorded as an error."""

    outcome = "error"


class ExerciseCheckFailed(OpsPlaybookError, AssertionError):
    """Raised by ``check()`` under ``OPSPLAYBOOK_STRICT=1`` when an answer is not right."""


@dataclass(frozen=True)
class Result:
    """The outcome of one check and its message (already in the learner's language)."""

    question: str
    outcome: str          # one of OUTCOMES
    message: str

    @property
    def right(self) -> bool:
        return self.outcome == "right"


class _Fields(dict):
    def __missing__(self, key: str) -> str:  # an unknown {field} is shown as written
        return "{" + key + "}"


def text(value: str | Mapping[str, str] | None, lang: str, /, **fields: Any) -> str:
    """A bilingual text in ``lang`` (``{"zh": ..., "en": ...}`` or a plain string), with ``{fields}``
    filled in (format specs work: ``{expected:,.2f}``).

    >>> text({"en": "expected {n:,}", "zh": "应为 {n:,}"}, "zh", n=13702)
    '应为 13,702'
    """
    if value is None:
        return ""
    if isinstance(value, Mapping):
        value = value.get(lang) or value.get("en") or next(iter(value.values()), "")
    try:
        return string.Formatter().vformat(str(value), (), _Fields(fields))
    except (ValueError, TypeError, AttributeError, IndexError):  # a format spec that does not fit the value
        return str(value)


def _resolve(value: Any, world: Any) -> Any:
    """A declared value: called with the world when it is a function (computed lazily)."""
    return value(world) if callable(value) else value


@dataclass
class Wrong:
    """A typical wrong answer and the message that teaches what went wrong.

    ``match`` is a value (or a function of the world computing it) compared the way the question
    compares answers (a number within tolerance, the same option …); or give ``when``, a predicate
    ``when(answer, ctx) -> bool``, plus ``example(world)`` building such an answer for the self-test.
    """

    message: str | Mapping[str, str]
    match: Any = None
    when: Callable[[Any, dict], bool] | None = None
    example: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if (self.match is None) == (self.when is None):
            raise InvalidParameterError("A `Wrong` needs exactly one of `match=` (a value or a function of the "
                                        "world) and `when=` (a predicate on the answer).")
        if self.when is not None and self.example is None:
            raise InvalidParameterError("A `Wrong` declared with `when=` also needs `example=`: a function of the "
                                        "world returning such a wrong answer, so the self-test can check the message.")


class Question:
    """A question declared as data; subclasses (:mod:`.kinds`) say how answers are compared.

    Parameters
    ----------
    var : str
        The notebook variable that holds the learner's answer.
    expected : value or callable(world)
        The right answer, or a function computing it from the world (called once per world).
    hints : list of texts
        Numbered hints (``hint()``, ``hint(2)``), each ``{"zh": ..., "en": ...}``.
    solution : str
        The model solution's code (run by the self-test, which checks that it is right).
    explain : text
        Why the solution is right; shown by ``solution()`` and after a right answer.
    wrong : list of :class:`Wrong`
        Typical wrong answers and their teaching messages, tried in order before the generic check.
    look : text
        What to look at, appended to the generic "wrong" message.
    facts : callable(world) -> dict
        Extra ``{fields}`` for the messages (e.g. numbers from the world to quote).
    """

    kind = "question"

    def __init__(self, *, var: str, expected: Any = None, hints: Iterable = (), solution: str = "",
                 explain: Any = None, wrong: Iterable[Wrong] = (), look: Any = None,
                 facts: Callable[[Any], dict] | None = None) -> None:
        if not isinstance(var, str) or not var.isidentifier():
            raise InvalidParameterError(f"`var`={var!r} must be a Python variable name, e.g. var=\"gmv_total\".")
        self.var = var
        self._expected = expected
        self.hints = list(hints)
        self.solution = solution.strip("\n")
        self.explain = explain
        self.wrong = list(wrong)
        self.look = look
        self._facts = facts
        self._cache: dict[int, tuple[Any, Any, dict, list]] = {}
        self.name = ""  # set by the Exercise that holds the question

    # -- declared values, computed once per world -------------------------------------------
    def _computed(self, world: Any) -> tuple[Any, dict, list]:
        hit = self._cache.get(id(world))
        if hit is None or hit[0] is not world:
            expected = self._prepare_expected(_resolve(self._expected, world))
            facts = dict(self._facts(world)) if self._facts else {}
            wrong = [None if w.match is None else self._prepare_expected(_resolve(w.match, world)) for w in self.wrong]
            hit = (world, expected, facts, wrong)
            self._cache = {id(world): hit}
        return hit[1], hit[2], hit[3]

    def expected(self, world: Any) -> Any:
        """The right answer on ``world``."""
        return self._computed(world)[0]

    def _prepare_expected(self, value: Any) -> Any:
        return value

    def context(self, world: Any, lang: str, answer: Any = None) -> dict:
        """The fields the messages may use: ``expected``, ``received``, ``var`` and the facts."""
        expected, facts, _ = self._computed(world)
        return {"world": world, "lang": lang, "var": self.var, "expected": expected,
                "received": self._show(answer), **facts}

    # -- the check: pure, raises or returns the "right" message -------------------------------
    def check_answer(self, answer: Any, world: Any, lang: str) -> str:
        """Check ``answer``: return the "right" message, or raise NotAttempted / Incorrect."""
        if contains_placeholder(answer):
            raise NotAttempted(self._msg("not_attempted", lang, var=self.var))
        try:
            ctx = self.context(world, lang, answer)
        except (InvalidParameterError, Incorrect):
            raise
        except Exception as exc:  # the world lacks what the question needs: not the learner's fault
            raise Uncheckable(self._msg("uncheckable", lang, error=f"{type(exc).__name__}: {exc}")) from exc
        answer = self._coerce(answer, ctx)  # raises Incorrect for an answer of the wrong type
        try:
            self._compare(answer, ctx["expected"], ctx)
        except Incorrect as generic:  # wrong: a declared typical mistake teaches better than the diff
            for w, value in zip(self.wrong, self._computed(world)[2]):
                hit = bool(w.when(answer, ctx)) if w.when is not None else self._same(answer, value, ctx)
                if hit:
                    raise Incorrect(text(w.message, lang, **ctx)) from None
            raise generic
        return text(self.explain, lang, **ctx)

    def _coerce(self, answer: Any, ctx: dict) -> Any:
        return answer

    def _same(self, answer: Any, value: Any, ctx: dict) -> bool:
        try:
            self._compare(answer, value, ctx)
        except Incorrect:
            return False
        return True

    def _compare(self, answer: Any, expected: Any, ctx: dict) -> None:
        raise NotImplementedError

    def _show(self, value: Any) -> str:
        return repr(value)

    def _wrong(self, key: str, ctx: dict, /, **fields: Any) -> Incorrect:
        msg = self._msg(key, ctx["lang"], **{**ctx, **fields})
        look = text(self.look, ctx["lang"], **ctx)
        if not look:
            return Incorrect(msg)
        return Incorrect(f"{msg}\n\n{look}" if "\n" in msg else f"{msg} {look}")

    @staticmethod
    def _msg(key: str, lang: str, /, **fields: Any) -> str:
        from ._messages import MESSAGES

        return text(MESSAGES[key], lang, **fields)

    # -- for the self-test ------------------------------------------------------------------
    def sample(self, value: Any, world: Any, lang: str) -> Any:
        """An answer of the kind a learner gives, made from a declared value (for self-tests)."""
        return value


def per_world(fn):
    """Decorator for an exercise module's expected values: ``fn(world)`` computed once per world.

    The checks and their messages ask for the same figures several times; the last world's result
    is kept (with the world itself, so a new world — another seed — is computed afresh).
    """
    import functools

    last: list = []

    @functools.wraps(fn)
    def wrapper(world):
        if not last or last[0] is not world:
            last[:] = [world, fn(world)]
        return last[1]

    return wrapper
