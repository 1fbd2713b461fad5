"""Live explorers for the notebooks: each ``…_explorer(data, *, lang=...)`` returns an ipywidget.

Every explorer is a plain-Python **state** (the parameters a learner moves, a ``compute()`` that
calls the analytics, the results as attributes — testable without a browser) and a **view** that
only builds ipywidgets controls bound to the state and displays its results (a chart image and
HTML tables). See :mod:`opsplaybook.widgets._base`.

Importing this package loads neither ipywidgets nor matplotlib; building an explorer does.

Explorers
---------
- :func:`revenue_driver_explorer` (Module 0): the revenue-driver split S = UV × CVR × P between
  two periods, by channel, city tier or platform, with the KPI table.
- :func:`persona_explorer` (Module 1): k and the history needed → persona cards and a map of the groups.
- :func:`tag_rule_editor` (Module 1): thresholds of the default tag rules → tag sizes and overlaps.

Writing the explorer of a new module
------------------------------------
1. A state class (subclass of :class:`ExplorerState`) in a new module of this package: list the
   parameters a learner moves in ``controls``; do the expensive preparation once in ``__init__``
   (one call of the analytics per breakdown, say) so that :meth:`~ExplorerState.compute` stays
   under 100 ms; :meth:`~ExplorerState.options` gives each parameter's ``(label, value)`` choices
   (labels from the catalog, in ``lang``); :meth:`~ExplorerState.check` states the invariants the
   benchmark verifies after every update.
2. The explorer function builds the view with :class:`~opsplaybook.widgets._view.ExplorerWidget`
   (controls from :func:`~opsplaybook.widgets._view.selection_control`, a ``draw(state, figure)``
   that calls ``plot_…`` functions, a ``texts(state)`` for the HTML tables) and is decorated with
   ``@register(state=..., module=N)``.
3. Add the module to ``_EXPLORER_MODULES`` in ``_base.py`` and the names to ``__all__`` here:
   ``benchmarks/bench_widgets.py`` then times it, and tests drive it by setting
   ``widget.controls[name].value``.
"""
from __future__ import annotations

from ._base import ExplorerInfo, ExplorerState, explorers, register
from .personas import PersonaState, TagEditorState, persona_explorer, tag_rule_editor
from .revenue import RevenueDriverState, revenue_driver_explorer

__all__ = ["revenue_driver_explorer", "RevenueDriverState", "ExplorerState", "ExplorerInfo", "explorers",
           "register", "persona_explorer", "PersonaState", "tag_rule_editor", "TagEditorState"]
