"""opsplaybook — a Jupyter workbook kit for user operations (用户运营) training.

Importing the package does nothing but define names: no data is loaded, no option is set, nothing
is sent anywhere. Public functions live in sub-packages (``world``, ``analytics``, ``charts`` …) and
are reachable from the top level, e.g. ``opsplaybook.generate_world`` or ``opsplaybook.funnel``;
each sub-package is imported the first time one of its names is used.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Sub-packages whose ``__all__`` names are offered at the top level, searched in this order.
_SUBPACKAGES = ("labels", "errors", "world", "analytics", "models", "charts", "widgets", "exercises", "io")


def _module_exports(name: str) -> list[str]:
    try:
        mod = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:  # a sub-package that does not exist (yet)
        if exc.name == f"{__name__}.{name}":
            return []
        raise
    return list(getattr(mod, "__all__", []))


def __getattr__(attr: str):
    if attr.startswith("__"):
        raise AttributeError(attr)
    for sub in _SUBPACKAGES:
        if attr in _module_exports(sub):
            value = getattr(importlib.import_module(f"{__name__}.{sub}"), attr)
            globals()[attr] = value
            return value
    raise AttributeError(f"module 'opsplaybook' has no attribute {attr!r}")


def __dir__() -> list[str]:
    names = set(globals())
    for sub in _SUBPACKAGES:
        names.update(_module_exports(sub))
    return sorted(names)
