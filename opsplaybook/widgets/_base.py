"""The explorer pattern: a plain-Python state + a view that only displays it, and the registry.

An explorer is two objects:

- a **state** (subclass of :class:`ExplorerState`): the parameters a learner can move (listed in
  ``controls``), the data prepared once at creation, and :meth:`~ExplorerState.compute`, which calls
  the analytics and stores the results as attributes. It needs no browser, kernel or ipywidgets, so
  tests and benchmarks drive it directly with :meth:`~ExplorerState.update`;
- a **view** (:class:`opsplaybook.widgets._view.ExplorerWidget`): ipywidgets controls named like the
  state's parameters, bound to it, and output widgets (a chart image, HTML tables) redrawn from the
  state after each change.

Each explorer function (``revenue_driver_explorer(world, *, lang=...)`` …) is registered with
:func:`register`, so :func:`explorers` lists them all (the benchmark times every one of them).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import InvalidParameterError, did_you_mean

__all__ = ["ExplorerState", "ExplorerInfo", "register", "explorers"]

# Modules (relative to this package) that define registered explorers; a new module adds one line.
_EXPLORER_MODULES = (".revenue", ".personas")
_REGISTRY: dict[str, ExplorerInfo] = {}


class ExplorerState:
    """Base class of an explorer's state.

    Subclasses set ``controls`` (the names of the parameters the view moves, in display order),
    store each as an attribute in ``__init__``, implement :meth:`options` and :meth:`compute`, and
    call ``self.compute()`` at the end of ``__init__``.
    """

    #: names of the parameters the view's controls change (each is an attribute of the state)
    controls: tuple[str, ...] = ()

    #: how many times :meth:`compute` ran (the view and tests use it to see that an update happened)
    computed: int = 0

    def compute(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def options(self, name: str) -> list[tuple[str, object]]:  # pragma: no cover - abstract
        """The allowed values of control ``name`` as ``(label, value)`` pairs, in display order."""
        raise NotImplementedError

    def check(self) -> list[str]:
        """Invariants of the current results that must hold after every update (e.g. "the parts
        add up to the change"): a list of what is wrong, empty when all is well. The benchmark
        calls it after each timed update."""
        return []

    def values(self) -> dict[str, object]:
        """The current value of every control."""
        return {name: getattr(self, name) for name in self.controls}

    def _check_name(self, name: str) -> None:
        if name not in self.controls:
            raise InvalidParameterError(
                f"{type(self).__name__} has no parameter {name!r} to update. Parameters: {list(self.controls)}."
                + did_you_mean(name, self.controls)
            )

    def _check_value(self, name: str, value: object) -> object:
        """``value`` if it is one of :meth:`options`; subclasses may normalise first (e.g. dates)."""
        allowed = [v for _, v in self.options(name)]
        if value in allowed:
            return value
        shown = [lab for lab, _ in self.options(name)]
        raise InvalidParameterError(
            f"`{name}`={value!r} is not allowed. Allowed: {allowed[:12]}{' …' if len(allowed) > 12 else ''} "
            f"(shown as {shown[:12]})." + did_you_mean(value, allowed)
        )

    def update(self, **changes: object) -> ExplorerState:
        """Set one or more parameters and recompute; returns the state.

        Nothing changes when a value is not allowed (the error names the parameter and the
        allowed values).
        """
        checked = {}
        for name, value in changes.items():
            self._check_name(name)
            checked[name] = self._check_value(name, value)
        for name, value in checked.items():
            setattr(self, name, value)
        self.compute()
        return self

    def _computed(self) -> None:
        """Subclasses call this at the end of :meth:`compute`."""
        self.computed += 1


@dataclass(frozen=True)
class ExplorerInfo:
    """One registered explorer: its function, the class of its state and the course module."""

    name: str
    func: Callable
    state: type
    module: int | None = None

    def build(self, world, *, lang: str = "zh", **options):
        """The explorer widget for ``world`` (what the notebook displays)."""
        return self.func(world, lang=lang, **options)


def register(*, state: type, module: int | None = None) -> Callable[[Callable], Callable]:
    """Decorator that adds an explorer function to the registry under its own name."""

    def deco(func: Callable) -> Callable:
        _REGISTRY[func.__name__] = ExplorerInfo(func.__name__, func, state, module)
        return func

    return deco


def explorers() -> dict[str, ExplorerInfo]:
    """Every registered explorer by function name, in registration order.

    >>> "revenue_driver_explorer" in explorers()
    True
    """
    for mod in _EXPLORER_MODULES:
        importlib.import_module(mod, __package__)
    return dict(_REGISTRY)
