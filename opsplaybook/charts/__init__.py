"""Charts: ``plot_…(data, *, ax=None, …)`` functions returning matplotlib Axes (or Figure), and
``set_theme(lang=…)`` which also makes Chinese labels render (bundled CJK font as the fallback).

One module per topic: ``basic`` (the twelve monitoring charts), the charts of the analytics' results
(``funnel_retention_charts``, ``lifecycle_charts``, ``value_charts``), ``model_charts`` (the course
models), ``theme`` and ``fonts``; ``_style`` holds what they share (the opening and closing of every
chart, number formats, colours). Nothing here calls ``plt.show()``. Importing this sub-package
imports matplotlib (not pyplot's GUI).
"""
from __future__ import annotations

from . import basic, drivers, fonts, funnel_retention_charts, kpi_tree, lifecycle_charts, model_charts, theme, value_charts
from . import segment_charts
from .basic import *  # noqa: F401,F403
from .drivers import *  # noqa: F401,F403
from .fonts import *  # noqa: F401,F403
from .funnel_retention_charts import *  # noqa: F401,F403
from .kpi_tree import *  # noqa: F401,F403
from .lifecycle_charts import *  # noqa: F401,F403
from .model_charts import *  # noqa: F401,F403
from .segment_charts import *  # noqa: F401,F403
from .theme import *  # noqa: F401,F403
from .value_charts import *  # noqa: F401,F403

__all__ = [
    *theme.__all__,
    *fonts.__all__,
    *basic.__all__,
    *funnel_retention_charts.__all__,
    *lifecycle_charts.__all__,
    *value_charts.__all__,
    *model_charts.__all__,
    *kpi_tree.__all__,
    *drivers.__all__,
    *segment_charts.__all__,
]
