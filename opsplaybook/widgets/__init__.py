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
"""
from __future__ import annotations

from ._base import ExplorerInfo, ExplorerState, explorers, register
from .revenue import RevenueDriverState, revenue_driver_explorer

__all__ = ["revenue_driver_explorer", "RevenueDriverState", "ExplorerState", "ExplorerInfo", "explorers",
           "register"]
