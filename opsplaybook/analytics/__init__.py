"""Event-log analytics on any engine (pandas, Polars, DuckDB, PySpark) through one implementation.

Each analysis is written once against narwhals (see ``_engine.py``); a pandas DataFrame in gives a
pandas DataFrame out, a Polars/DuckDB/Spark frame in gives that engine's frame out.
"""
from __future__ import annotations

import importlib

# name -> module that defines it (modules are imported on first use)
_EXPORTS = {
    "funnel": "funnel",
    "retention": "retention",
    "lifecycle": "lifecycle",
    "lifecycle_counts": "lifecycle",
    "lifecycle_transitions": "lifecycle",
    "posthog_lifecycle": "lifecycle",
    "rfm": "rfm",
    "rfm_strategy": "rfm",
    "kpis": "kpis",
    "RetentionResult": "retention",
    "revenue_drivers": "kpis",
    "aarrr": "aarrr",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        mod = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        value = getattr(mod, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
