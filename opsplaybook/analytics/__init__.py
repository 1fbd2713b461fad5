"""Event-log analytics on any engine (pandas, Polars, DuckDB, PySpark) through one implementation.

Each analysis is written once against narwhals (see ``_engine.py``); a pandas DataFrame in gives a
pandas DataFrame out, a Polars/DuckDB/Spark frame in gives that engine's frame out.

The functions are imported eagerly here (this sub-package is itself only imported on first use from
the top level), so that ``opsplaybook.analytics.funnel`` is the function even after the submodule of
the same name has been imported.
"""
from __future__ import annotations

from .aarrr import aarrr
from .features import user_features
from .funnel import funnel
from .growth import fractal_drivers, fractal_growth, growth_change, growth_decomposition, kpi_tree
from .kpis import kpis, revenue_drivers
from .lifecycle import lifecycle, lifecycle_counts, lifecycle_transitions, posthog_lifecycle
from .retention import RetentionResult, retention
from .rfm import rfm, rfm_strategy

__all__ = [
    "user_features",
    "funnel",
    "retention",
    "RetentionResult",
    "lifecycle",
    "lifecycle_counts",
    "lifecycle_transitions",
    "posthog_lifecycle",
    "rfm",
    "rfm_strategy",
    "kpis",
    "revenue_drivers",
    "aarrr",
    "growth_decomposition",
    "fractal_growth",
    "kpi_tree",
    "growth_change",
    "fractal_drivers",
]
