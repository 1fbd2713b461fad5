"""Each exercise module tests its own checker: ``selftest(module00)``.

For every question and language: the placeholder answers "not attempted"; the model solution (the
question's ``solution`` code, run on the world) is right; each declared typical wrong answer is
wrong *with its own message*; an answer of the wrong type is wrong (not a crash).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import LANGS
from .core import ____, Question, text
from .exercise import Exercise

__all__ = ["selftest", "SelfTestReport", "run_solution", "setup_namespace"]


@dataclass
class SelfTestReport:
    """What :func:`selftest` tried; ``failures`` is empty when the checker behaves as declared."""

    checked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def __str__(self) -> str:
        lines = [f"{len(self.checked)} cases checked, {len(self.failures)} failed"]
        return "\n".join(lines + [f"FAILED {f}" for f in self.failures])


def _namespace(world: Any, lang: str) -> dict[str, Any]:
    import opsplaybook as ops

    ns: dict[str, Any] = {"ops": ops, "world": world, "LANG": lang, "____": ____}
    try:
        import pandas as pd

        ns["pd"] = pd
    except ImportError:  # pragma: no cover
        pass
    return ns


def setup_namespace(ex: Exercise, world: Any, lang: str) -> dict[str, Any]:
    """The names the exercise's set-up code (``Exercise(setup=...)``) defines, run on ``world``."""
    ns = _namespace(world, lang)
    if getattr(ex, "setup", ""):
        exec(compile(ex.setup, f"<set-up of exercise {ex.module}>", "exec"), ns)  # noqa: S102 - the kit's own code
    return ns


def run_solution(q: Question, world: Any, lang: str, *, namespace: dict | None = None) -> Any:
    """Run the question's model solution code and return the value of its answer variable.

    ``namespace`` (e.g. from :func:`setup_namespace`) holds names the solution may use; it is copied,
    not changed."""
    ns = {**namespace} if namespace is not None else _namespace(world, lang)
    exec(compile(q.solution, f"<solution of {q.name}>", "exec"), ns)  # noqa: S102 - the kit's own code
    return ns[q.var]


def _examples(q: Question, world: Any, lang: str) -> list[tuple[Any, str]]:
    """(wrong answer, its expected message) for each declared typical wrong answer."""
    out = []
    values = q._computed(world)[2]
    for w, value in zip(q.wrong, values):
        answer = w.example(world) if w.when is not None else q.sample(value, world, lang)
        out.append((answer, w))
    return out


_WRONG_TYPE = {"number": "a lot", "frame": 3.5, "choice": 2, "chart": [1, 2, 3], "open": "B"}


def selftest(exercise: Exercise | Any, *, world: Any = None, langs=LANGS) -> SelfTestReport:
    """Check an exercise's checker against its own declarations; returns a :class:`SelfTestReport`.

    ``exercise`` is an :class:`~.exercise.Exercise` or a module holding one as ``EXERCISE``.
    """
    import matplotlib.pyplot as plt

    ex: Exercise = getattr(exercise, "EXERCISE", exercise)
    world = world if world is not None else ex.world()
    rep = SelfTestReport()

    def expect(case: str, res, outcome: str, message: str | None = None) -> None:
        rep.checked.append(case)
        if res.outcome != outcome:
            rep.failures.append(f"{case}: expected {outcome}, got {res.outcome}: {res.message}")
        elif message is not None and message not in res.message:
            rep.failures.append(f"{case}: expected the message {message!r}, got {res.message!r}")

    saved = ex._world
    ex.use_world(world)
    setups: dict[str, dict] = {}
    try:
        for name, q in ex.questions.items():
            for lang in langs:
                expect(f"{name}/{lang}/placeholder", ex.evaluate(name, ____, lang=lang), "not_attempted")
                try:
                    if lang not in setups:  # the set-up code runs once per language
                        setups[lang] = setup_namespace(ex, world, lang)
                    model = run_solution(q, world, lang, namespace=setups[lang])
                except Exception as exc:  # the model solution itself is broken
                    rep.failures.append(f"{name}/{lang}/solution: the solution code raised {type(exc).__name__}: {exc}")
                    continue
                expect(f"{name}/{lang}/solution", ex.evaluate(name, model, lang=lang), "right")
                for i, (answer, w) in enumerate(_examples(q, world, lang), 1):
                    ctx = q.context(world, lang, answer)
                    expect(f"{name}/{lang}/wrong{i}", ex.evaluate(name, answer, lang=lang), "wrong",
                           text(w.message, lang, **ctx))
                expect(f"{name}/{lang}/wrong-type", ex.evaluate(name, _WRONG_TYPE[q.kind], lang=lang), "wrong")
                plt.close("all")
    finally:
        ex._world = saved
    return rep
