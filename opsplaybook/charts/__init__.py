"""Charts: ``plot_…(data, *, ax=None, …)`` functions returning matplotlib Axes (or Figure), and
``set_theme(lang=…)`` which also makes Chinese labels render (bundled CJK font as the fallback).

Nothing here calls ``plt.show()``. Importing this sub-package imports matplotlib (not pyplot's GUI).
"""
from __future__ import annotations

from . import basic, model_charts, ops, theme
from .basic import *  # noqa: F401,F403
from .model_charts import *  # noqa: F401,F403
from .ops import *  # noqa: F401,F403
from .theme import *  # noqa: F401,F403

__all__ = [*theme.__all__, *basic.__all__, *ops.__all__, *model_charts.__all__]
