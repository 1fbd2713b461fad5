"""One zh/en label catalog for everything people read: segment and stage names, events, KPIs,
chart titles and axis labels.

The texts live as data in :mod:`opsplaybook.catalog` (one module per topic, each a ``LABELS`` dict of
``key -> {"zh": ..., "en": ...}``); code asks for a key and a language. A new language is a new entry
in each dict, not a code change.

>>> label("rfm.cn8.important_value", lang="zh")
'重要价值客户'
>>> label("rfm.cn8.important_value", lang="en")
'Important value'
"""
from __future__ import annotations

import importlib
from functools import lru_cache

from .errors import LANGS, UnknownLabelError, check_lang, did_you_mean

__all__ = ["LANGS", "label", "labels_for", "get_lang", "set_lang", "catalog"]

_CATALOG_MODULES = ("core", "analytics", "charts", "charts_ops", "charts_models", "growth", "widgets", "segments", "report")
_state = {"lang": "zh"}


def get_lang() -> str:
    """The current label language (``"zh"`` until :func:`set_lang` or ``set_theme(lang=...)``)."""
    return _state["lang"]


def set_lang(lang: str) -> None:
    """Set the label language used when a function is called without ``lang=``."""
    _state["lang"] = check_lang(lang)


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """The merged catalog, ``key -> {lang: text}``."""
    merged: dict[str, dict[str, str]] = {}
    for name in _CATALOG_MODULES:
        try:
            mod = importlib.import_module(f"{__package__}.catalog.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.catalog.{name}":
                continue
            raise
        for key, texts in mod.LABELS.items():
            if key in merged:
                raise RuntimeError(f"label key {key!r} is defined twice (catalog.{name})")
            merged[key] = texts
    return merged


def label(key: str, lang: str | None = None, default: str | None = None) -> str:
    """The text of ``key`` in ``lang`` (the current language by default).

    Unknown keys raise :class:`~opsplaybook.errors.UnknownLabelError` (a ``KeyError``) naming the
    closest known key, unless ``default`` is given.
    """
    lang = check_lang(lang or get_lang())
    entry = catalog().get(key)
    if entry is None:
        if default is not None:
            return default
        raise UnknownLabelError(f"No label {key!r} in the catalog." + did_you_mean(
            key, catalog(), otherwise=" Labels are listed by `opsplaybook.labels.catalog()`."))
    return entry.get(lang) or entry["en"]


def labels_for(prefix: str, lang: str | None = None) -> dict[str, str]:
    """All labels under ``prefix.`` as ``{suffix: text}``, in catalog order."""
    lang = check_lang(lang or get_lang())
    p = prefix.rstrip(".") + "."
    return {k[len(p):]: v.get(lang) or v["en"] for k, v in catalog().items() if k.startswith(p)}
